#!/usr/bin/python3
"""The numpy peer of the VOS Monte Carlo benchmark.

Reads the model data written by gen_model.py (bench50.json) and runs the same simulation as
`vos_case_simulate`: every input drawn from its distribution (Beta-PERT with lambda 4,
triangular, uniform, normal with sd = (high - low) / (2 * z0.9), fixed), driver and cost values
evaluated from the draws, NPV as the sum of each driver value times its precomputed
discounted ramp-and-haircut weight minus each cost times its discounted schedule weight, then
mean, sd, PERCENTILE.INC P10/P50/P90 and P(NPV > 0).  Sampling is vectorised per
distribution kind and the formulas are evaluated on whole columns, as a numpy user would write
it.  The weights and the compiled formulas are prepared once, outside the timed region, as
VOS prepares them when a case is created.

Also prints the deterministic NPVs (expected, conservative, optimistic) and the exact mean NPV
(the model is multilinear in independent inputs, so it is the NPV at the inputs' means).

Usage: bench/peer_numpy.py MODEL.json [ITERATIONS] [SEED] [RUNS]
Output: `key value` lines.
"""

import json
import sys
import time

import numpy as np

Z90 = 1.2815515655446004  # the 90th percentile of the standard normal


def ramp(kind, months, start, t):
    """Ramp of month t (1-based) for a driver starting at month `start`."""
    k = t - start + 1
    if k < 1:
        return 0.0
    if kind == "none":
        return 1.0
    x = min(1.0, k / months)
    return x if kind == "linear" else 3 * x * x - 2 * x * x * x


class Model:
    def __init__(self, doc):
        self.doc = doc
        P = doc["months"]
        rp = (1 + doc["rate_year"]) ** (1 / 12) - 1
        disc = (1 + rp) ** -np.arange(P + 1, dtype=float)
        self.disc = disc
        self.inputs = doc["inputs"]
        self.drivers = doc["drivers"]
        self.costs = doc["costs"]
        # weights: NPV and undiscounted totals per unit of driver value / cost amount
        self.w_drv = np.empty(len(self.drivers))
        self.s_drv = np.empty(len(self.drivers))
        for i, d in enumerate(self.drivers):
            r = np.array([0.0] + [ramp(d["ramp"], d["ramp_months"], d["start"], t)
                                  for t in range(1, P + 1)]) * d["realization"]
            self.w_drv[i], self.s_drv[i] = r @ disc, r.sum()
        self.w_cost = np.empty(len(self.costs))
        self.s_cost = np.empty(len(self.costs))
        for i, c in enumerate(self.costs):
            a = np.zeros(P + 1)
            if c["once"]:
                a[c["at"]] = 1.0
            else:
                a[max(1, c["start"]):] = 1.0
            self.w_cost[i], self.s_cost[i] = a @ disc, a.sum()
        self.code_drv = [compile(d["expr"], d["id"], "eval") for d in self.drivers]
        self.code_cost = [compile(c["expr"], c["id"], "eval") for c in self.costs]
        # sampling groups: (kind, column indices, parameter arrays)
        self.ids = [v["id"] for v in self.inputs]
        self.groups = {}
        for j, v in enumerate(self.inputs):
            self.groups.setdefault(v["dist"], []).append(j)

    def values(self, x):
        """Driver values and cost amounts (arrays or scalars) from input values x[id]."""
        d = {}
        dv = []
        for drv, code in zip(self.drivers, self.code_drv):
            d[drv["id"]] = eval(code, {}, {"x": x, "d": d})
            dv.append(d[drv["id"]])
        cv = [eval(code, {}, {"x": x, "d": d}) for code in self.code_cost]
        return dv, cv

    def npv_of(self, x):
        dv, cv = self.values(x)
        return sum(v * w for v, w in zip(dv, self.w_drv)) - sum(v * w for v, w in zip(cv, self.w_cost))

    def point(self, choose):
        return {v["id"]: choose(v) for v in self.inputs}

    def scenarios(self):
        base = self.point(lambda v: v["value"])
        exp_npv = self.npv_of(base)
        cons, opt = dict(base), dict(base)
        for v in self.inputs:
            if "low" not in v:
                continue
            lo = self.npv_of({**base, v["id"]: v["low"]})
            hi = self.npv_of({**base, v["id"]: v["high"]})
            cons[v["id"]] = v["low"] if lo <= hi else v["high"]
            opt[v["id"]] = v["high"] if lo <= hi else v["low"]
        return exp_npv, self.npv_of(cons), self.npv_of(opt)

    def exact_mean(self):
        def mean(v):
            k, a, m = v["dist"], v.get("low"), v["value"]
            b = v.get("high")
            return {"fixed": m, "normal": m, "uniform": (a + b) / 2 if a is not None else m,
                    "triangular": (a + m + b) / 3 if a is not None else m,
                    "pert": (a + 4 * m + b) / 6 if a is not None else m}[k]
        return self.npv_of(self.point(mean))

    def sample(self, rng, n):
        """Columns of n draws per input id."""
        x = {}
        for kind, cols in self.groups.items():
            v = [self.inputs[j] for j in cols]
            m = np.array([e["value"] for e in v])
            if kind == "fixed":
                draws = np.broadcast_to(m, (n, len(v)))
            else:
                lo = np.array([e["low"] for e in v])
                hi = np.array([e["high"] for e in v])
                size = (n, len(v))
                if kind == "uniform":
                    draws = rng.uniform(lo, hi, size)
                elif kind == "triangular":
                    draws = rng.triangular(lo, m, hi, size)
                elif kind == "pert":
                    a = 1 + 4 * (m - lo) / (hi - lo)
                    b = 1 + 4 * (hi - m) / (hi - lo)
                    draws = lo + (hi - lo) * rng.beta(a, b, size)
                elif kind == "normal":
                    draws = rng.normal(m, (hi - lo) / (2 * Z90), size)
                else:
                    raise ValueError(f"distribution {kind} is not in the benchmark")
            for c, j in enumerate(cols):
                x[self.ids[j]] = draws[:, c]
        return x

    def simulate(self, n, seed):
        rng = np.random.default_rng(seed)
        x = self.sample(rng, n)
        dv, cv = self.values(x)
        V = np.column_stack([np.broadcast_to(v, (n,)) for v in dv])
        C = np.column_stack([np.broadcast_to(v, (n,)) for v in cv])
        npv = V @ self.w_drv - C @ self.w_cost
        benefits = V @ self.s_drv
        costs = C @ self.s_cost
        roi = (benefits - costs) / costs
        p10, p50, p90 = np.percentile(npv, [10, 50, 90])  # linear: PERCENTILE.INC
        return {"mean": npv.mean(), "sd": npv.std(ddof=1), "p10": p10, "p50": p50, "p90": p90,
                "p_positive": np.mean(npv > 0), "roi_mean": roi.mean()}


def main():
    if len(sys.argv) < 2:
        print(__doc__.split("Usage: ")[1].split("\n")[0], file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        model = Model(json.load(f))
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 7
    e, c, o = model.scenarios()
    print(f"npv_expected {e!r}\nnpv_conservative {c!r}\nnpv_optimistic {o!r}")
    print(f"exact_mean {model.exact_mean()!r}")
    model.simulate(n, seed)  # warm-up
    times = []
    for r in range(runs):
        t0 = time.perf_counter()
        res = model.simulate(n, seed + r)
        times.append(time.perf_counter() - t0)
    res = model.simulate(n, seed)
    print(f"sim_iterations {n}\nsim_seed {seed}\nsim_runs {runs}")
    print(f"sim_ms {np.median(times) * 1e3:.3f}\nsim_ms_min {min(times) * 1e3:.3f}")
    for k, v in res.items():
        print(f"mc_{k} {float(v)!r}")
    print(f"numpy_version {np.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
