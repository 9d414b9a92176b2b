#!/usr/bin/python3
"""Checks the agreement of VOS and its peers and prints the benchmark table.

Usage: bench/report.py OUTDIR
Reads the `key value` files that bench/run.sh wrote into OUTDIR (vos.txt, numpy.txt,
gnumeric.txt, wall.txt, env.txt) and prints the results.  Exits 1, after printing, when
  - VOS and the spreadsheet differ on the expected NPV by more than 1e-6 relative;
  - VOS and the numpy peer differ on the expected, conservative or optimistic NPV by more
    than 1e-6 relative;
  - a Monte Carlo mean is more than 5 standard errors from the exact mean NPV, or the VOS
    and numpy medians or P(NPV > 0) are more than 5 standard errors apart.
"""

import math
import os
import sys

REL_TOL = 1e-6
Z_MAX = 5.0
BUDGET_COMPUTE_US = 100.0
BUDGET_SIM_MS = 20.0


def read(path):
    out = {}
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition(" ")
            if k:
                out[k] = v
    return out


def num(d, k):
    return float(d[k]) if k in d else math.nan


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


def fmt_money(x):
    return f"{x:,.2f}"


def main():
    if len(sys.argv) != 2:
        print(__doc__.split("Usage: ")[1].split("\n")[0], file=sys.stderr)
        return 2
    out = sys.argv[1]
    vos, npy = read(os.path.join(out, "vos.txt")), read(os.path.join(out, "numpy.txt"))
    gnm, wall = read(os.path.join(out, "gnumeric.txt")), read(os.path.join(out, "wall.txt"))
    env = read(os.path.join(out, "env.txt"))
    failures = []
    lines = []
    w = lines.append

    w(f"VOS engine benchmark  {env.get('date', '')}")
    w(f"machine: {env.get('cpu', '?')}, {env.get('cores', '?')} cores (pinned to CPU: "
      f"{env.get('pinned', 'no')}); {env.get('cc', '')}")
    w(f"model: {vos.get('model')} - {vos.get('inputs')} inputs, {vos.get('drivers')} drivers, "
      f"{vos.get('costs')} costs, {vos.get('periods')} monthly periods; spreadsheet: "
      f"{gnm.get('spreadsheet_formulas')} formulas")
    w(f"peers: gnumeric ssconvert {gnm.get('ssconvert_version')}, numpy "
      f"{npy.get('numpy_version')} (python {env.get('python', '?')})")
    w("")

    c_us, s_ms = num(vos, "compute_us"), num(vos, "sim_ms")
    g_ms, n_ms = num(wall, "ssconvert_ms"), num(npy, "sim_ms")
    iters = int(num(vos, "sim_iterations"))
    hdr = f"{'measure':<44}{'VOS':>12}  {'peer':<26}{'peer/VOS':>10}  {'budget':<16}"
    w(hdr)
    w("-" * len(hdr))

    def dur(seconds):
        if seconds < 1e-3:
            return f"{seconds * 1e6:.1f} us"
        return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"

    def row(measure, v, peer, p, budget=None, ok=None):
        """v, p in seconds."""
        ratio = f"{p / v:,.0f}x" if v > 0 and p == p else "-"
        b = "" if budget is None else f"{budget} {'ok' if ok else 'OVER'}"
        w(f"{measure:<44}{dur(v):>12}  {peer + ' ' + dur(p):<26}{ratio:>10}  {b:<16}")

    row("recompute, expected scenario (per call)", c_us * 1e-6, "ssconvert", g_ms * 1e-3,
        f"< {BUDGET_COMPUTE_US:g} us", c_us < BUDGET_COMPUTE_US)
    row(f"Monte Carlo, {iters:,} iterations (per run)", s_ms * 1e-3, "numpy", n_ms * 1e-3,
        f"< {BUDGET_SIM_MS:g} ms", s_ms < BUDGET_SIM_MS)
    if "cli_ms" in wall:
        row("whole process: load, compute, print", num(wall, "cli_ms") * 1e-3, "ssconvert",
            g_ms * 1e-3)
    w("")
    w(f"recompute: median of {vos.get('compute_batches')} batches, "
      f"{vos.get('compute_calls')} calls of vos_case_compute in all "
      f"(fastest batch {num(vos, 'compute_us_min'):.3f} us/call).")
    w(f"ssconvert: wall time of `ssconvert --recalc` per recalculation, process start and "
      f"file load included, nothing subtracted; median of {wall.get('ssconvert_runs')} runs "
      f"({wall.get('ssconvert_timer')}).  A one-formula workbook takes "
      f"{num(wall, 'start_ms'):.1f} ms the same way.")
    if "copies_ms" in wall:
        k = int(num(wall, "copies"))
        per = (num(wall, "copies_ms_min") - num(wall, "ssconvert_ms_min")) / (k - 1)
        w(f"ssconvert without process start: the model on {k} sheets of one workbook takes "
          f"{per:.1f} ms more per extra sheet (load and recalculate; fastest runs), "
          f"{per * 1e3 / c_us:,.0f}x VOS's recompute and "
          f"{per / (num(vos, 'load_ms') + c_us / 1e3):,.0f}x VOS's load plus recompute.")
    w(f"Monte Carlo: median of {vos.get('sim_runs')} runs of vos_case_simulate (fastest "
      f"{num(vos, 'sim_ms_min'):.1f} ms) and of {npy.get('sim_runs')} runs of the numpy peer "
      f"(fastest {num(npy, 'sim_ms_min'):.1f} ms), each in-process, single thread.")
    if "cli_ms" in wall:
        w(f"whole process: `vos case compute` on the model file, median of "
          f"{wall.get('cli_runs')} runs ({wall.get('cli_timer')}).")
    w(f"model load (parse, validate, compile {vos.get('drivers')} formulas): "
      f"{num(vos, 'load_ms'):.3f} ms.")
    w("")

    w("agreement")
    e_v, e_g = num(vos, "expected_npv"), num(gnm, "spreadsheet_npv")
    r = rel(e_v, e_g)
    ok = r <= REL_TOL
    w(f"  NPV expected: VOS {fmt_money(e_v)}  spreadsheet {fmt_money(e_g)}  "
      f"rel. diff {r:.1e}  {'agree' if ok else 'DISAGREE'}")
    if not ok:
        failures.append(f"VOS and the spreadsheet disagree on NPV ({e_v!r} vs {e_g!r})")
    if "expected_irr" in vos:
        i_v, i_g = num(vos, "expected_irr"), num(gnm, "spreadsheet_irr")
        w(f"  IRR (annualised): VOS {i_v:.10f}  spreadsheet {i_g:.10f}  "
          f"rel. diff {rel(i_v, i_g):.1e}")
    for k, label in (("benefits_total", "benefits"), ("costs_total", "costs")):
        a, b = num(vos, "expected_" + k), num(gnm, "spreadsheet_" + label)
        w(f"  total {label}: VOS {fmt_money(a)}  spreadsheet {fmt_money(b)}  "
          f"rel. diff {rel(a, b):.1e}")
    for s in ("expected", "conservative", "optimistic"):
        a, b = num(vos, f"{s}_npv"), num(npy, f"npv_{s}")
        r = rel(a, b)
        ok = r <= REL_TOL
        w(f"  NPV {s}: VOS {fmt_money(a)}  numpy {fmt_money(b)}  rel. diff {r:.1e}  "
          f"{'agree' if ok else 'DISAGREE'}")
        if not ok:
            failures.append(f"VOS and numpy disagree on the {s} NPV ({a!r} vs {b!r})")

    w("")
    w(f"Monte Carlo, {iters:,} iterations (VOS seed {vos.get('sim_seed')}, numpy seed "
      f"{npy.get('sim_seed', vos.get('sim_seed'))}: different generators, so the figures agree "
      f"within sampling error, not exactly)")
    exact = num(npy, "exact_mean")
    sd = num(vos, "mc_sd")
    se = sd / math.sqrt(iters)
    w(f"  {'':<14}{'VOS':>18}{'numpy':>18}   z")
    for k in ("mean", "sd", "p10", "p50", "p90"):
        a, b = num(vos, "mc_" + k), num(npy, "mc_" + k)
        if k == "mean":
            z = f"{(a - b) / (se * math.sqrt(2)):+.2f}"
        elif k == "p50":
            z = f"{(a - b) / (1.2533 * se * math.sqrt(2)):+.2f}"  # se of a median ~ 1.2533 se
        elif k == "sd":
            z = f"{(a - b) / (sd / math.sqrt(iters - 1)):+.2f}"   # se of an sd ~ sd/sqrt(2n)
        else:
            z = ""
        w(f"  NPV {k:<10}{fmt_money(a):>18}{fmt_money(b):>18}   {z}")
        if k in ("mean", "p50") and abs(float(z)) > Z_MAX:
            failures.append(f"Monte Carlo NPV {k}: VOS {a!r} vs numpy {b!r} (z {z})")
    p_v, p_n = num(vos, "mc_p_positive"), num(npy, "mc_p_positive")
    pp = (p_v + p_n) / 2
    se_p = math.sqrt(max(pp * (1 - pp), 1e-12) * 2 / iters)
    zp = (p_v - p_n) / se_p
    w(f"  {'P(NPV > 0)':<14}{p_v:>18.4f}{p_n:>18.4f}   {zp:+.2f}")
    if abs(zp) > Z_MAX:
        failures.append(f"Monte Carlo P(NPV > 0): VOS {p_v} vs numpy {p_n}")
    for who, d in (("VOS", vos), ("numpy", npy)):
        z = (num(d, "mc_mean") - exact) / se
        w(f"  {who} mean vs the exact mean NPV {fmt_money(exact)}: z {z:+.2f}")
        if abs(z) > Z_MAX:
            failures.append(f"{who} Monte Carlo mean is {z:+.1f} standard errors from exact")

    w("")
    if failures:
        w("FAILED:")
        for f in failures:
            w(f"  {f}")
    else:
        w("all checks passed")
    print("\n".join(lines))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
