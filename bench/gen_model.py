#!/usr/bin/python3
"""Generates the benchmark model and its peers from one fixed seed.

Writes into the output directory (default bench/out):
  bench50.yaml      a VOS model: 50 drivers, 100 inputs (most with ranges), 36 months,
                    ramps, realization haircuts, recurring and one-time costs
  bench50.gnumeric  the same computation as a Gnumeric workbook made of formulas (inputs in
                    cells, one row per driver with ramp * haircut * value across the months,
                    cost rows, net row, NPV = NPV(rp, net1..net36) + net0, IRR)
  bench50.json      the same model as data for the numpy Monte Carlo peer (peer_numpy.py)
  bench50x20.gnumeric  the same sheet 20 times, to estimate the recalculation time alone
  tiny.gnumeric     a workbook of one formula, to show what ssconvert costs by itself

Every driver formula is a product of distinct, independent inputs (or a difference of two
inputs times a third, or another driver times an input of its own), so the model is
multilinear in its inputs and the exact expected NPV is the NPV at the inputs' means: the
peers use that as a third, exact reference for the Monte Carlo mean.

Usage: bench/gen_model.py [OUTDIR]   (python3 standard library only)
"""

import gzip
import json
import os
import random
import sys
from fractions import Fraction
from xml.sax.saxutils import escape

SEED = 20260101
N_DRIVERS = 50
N_INPUTS_TARGET = 100
YEARS = 3
MONTHS = YEARS * 12
RATE_YEAR = 0.10
CURRENCY = "USD"

# Minutes in each time unit (a year is 365 days, a month a twelfth of it), to derive the
# exact factor that turns each driver formula into USD per month.
MIN_PER = {"min": 1, "h": 60, "week": 10080, "month": 43800, "year": 525600}

# Input kinds: unit text, the unit as (currency exponent, {time unit: exponent}), and how
# values are drawn.
KINDS = {
    "volume":    ("1/month",  0, {"month": -1}, (200, 8000)),
    "events":    ("1/year",   0, {"year": -1},  (6, 400)),
    "minutes":   ("min",      0, {"min": 1},    (2, 25)),
    "hours":     ("h/week",   0, {"h": 1, "week": -1}, (0.5, 4)),
    "rate":      ("USD/h",    1, {"h": -1},     (35, 120)),
    "price":     ("USD",      1, {},            (20, 2000)),
    "share":     ("%",        0, {},            (2, 30)),
    "staff":     ("count",    0, {},            (10, 300)),
    "revenue":   ("USD/year", 1, {"year": -1},  (1e6, 20e6)),
    "spend":     ("USD/month", 1, {"month": -1}, (5000, 60000)),
}

# Driver templates: the input kinds multiplied together.  "gap" is (price_a - price_b) * volume,
# "chain" is an earlier driver times a share.
TEMPLATES = [
    ("time",     ["volume", "minutes", "rate"]),
    ("incident", ["events", "price"]),
    ("uplift",   ["revenue", "share"]),
    ("capacity", ["staff", "hours", "rate"]),
    ("avoided",  ["volume", "share", "price"]),
    ("gap",      ["price", "price", "volume"]),
    ("chain",    ["share"]),
    ("spend",    ["spend", "share"]),
]

SHARED = [("rate_agent", "rate", 48.0), ("rate_engineer", "rate", 85.0),
          ("rate_analyst", "rate", 62.0), ("rate_manager", "rate", 110.0)]

DISTS = ["pert", "pert", "pert", "triangular", "triangular", "uniform", "normal"]
COPIES = 20  # sheets of bench50x20.gnumeric
REUSE = 0.3  # chance that a driver reads an input of an earlier driver


def sig3(x):
    """x rounded to 3 significant digits (readable figures)."""
    return float(f"{x:.3g}")


def unit_factor(kinds):
    """Exact factor turning the product of `kinds` into USD per month."""
    cur, time, scale = 0, 0, Fraction(1)
    for k in kinds:
        _, c, t, _ = KINDS[k]
        cur += c
        for name, e in t.items():
            time += e
            scale *= Fraction(MIN_PER[name]) ** e
        if KINDS[k][0] == "%":
            scale /= 100
    assert cur == 1 and time == -1, kinds
    # `scale` is the product in USD per minute; a month has MIN_PER["month"] minutes
    return scale * MIN_PER["month"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.inputs = []   # dicts: id, kind, unit, dist, value, low, high
        self.drivers = []  # dicts: id, formula tree, factor, ramp, realization, start
        self.costs = []

    def new_input(self, ident, kind, value=None, dist=None):
        unit, _, _, (lo, hi) = KINDS[kind]
        r = self.r
        if value is None:
            if kind in ("volume", "events", "price", "revenue", "spend", "staff"):
                value = lo * (hi / lo) ** r.random()  # log-uniform magnitudes
            else:
                value = r.uniform(lo, hi)
        value = sig3(value)
        if kind == "staff":
            value = float(round(value))
        dist = dist or r.choice(DISTS + ["fixed"] if kind != "rate" else ["fixed", "pert"])
        d = {"id": ident, "kind": kind, "unit": unit, "dist": dist, "value": value}
        if dist == "normal":
            w = r.uniform(0.08, 0.2)
            d["low"], d["high"] = sig3(value * (1 - w)), sig3(value * (1 + w))
            d["value"] = (d["low"] + d["high"]) / 2
        elif dist != "fixed":
            a, b = r.uniform(0.1, 0.4), r.uniform(0.1, 0.5)
            if kind == "share":
                b = min(b, 0.9 * (100 / value - 1))
            d["low"], d["high"] = sig3(value * (1 - a)), sig3(value * (1 + b))
        if "low" in d:
            assert d["low"] < d["value"] < d["high"], d
        self.inputs.append(d)
        return ident

    def reuse_or_new(self, ident, kind):
        """An input of another driver of the same kind (drivers share inputs, as real models
        do; a driver never reads one input twice), or a new one."""
        pool = [d["id"] for d in self.inputs if d["kind"] == kind and d["id"][0] == "d"]
        if pool and self.r.random() < REUSE:
            return self.r.choice(pool)
        return self.new_input(ident, kind)

    def scale_to(self, operands, factor, target):
        """Rescales one of the driver's own volume-like inputs so that the driver is worth
        about `target` USD per month: realistic drivers differ, but not by 1000x."""
        vals = {d["id"]: d["value"] for d in self.inputs}
        value = eval_tree({"operands": operands, "factor": factor}, vals, {})
        ids = [n[1] for op in operands for n in leaves(op) if n[0] == "in"]
        own = [d for d in self.inputs if d["id"] in ids and d["id"].startswith("d")
               and d["kind"] in ("volume", "events", "staff", "revenue", "spend")
               and not any(d["id"] in leaf_ids(x) for x in self.drivers)]
        if not own or value <= 0:
            return
        d, k = own[0], target / value
        for key in ("value", "low", "high"):
            if key in d:
                d[key] = sig3(d[key] * k)
        if d["dist"] == "normal":
            d["value"] = (d["low"] + d["high"]) / 2

    def driver(self, i):
        r = self.r
        ident = f"d{i:02d}"
        tname, kinds = r.choice(TEMPLATES[:6] + TEMPLATES[7:]) if i < 5 else r.choice(TEMPLATES)
        operands = []
        if tname == "chain":
            j = r.randrange(0, i)
            src = self.drivers[j]
            operands = [("drv", src["id"]), ("in", self.new_input(f"{ident}_share", "share"))]
            factor = Fraction(1, 100)
        elif tname == "gap":
            a = self.new_input(f"{ident}_cost_before", "price")
            before = self.inputs[-1]
            top = before.get("low", before["value"])
            b = self.new_input(f"{ident}_cost_after", "price", value=top * r.uniform(0.4, 0.7))
            after = self.inputs[-1]
            if after.get("high", after["value"]) >= top:
                after["dist"] = "fixed"
                after.pop("low", None)
                after.pop("high", None)
            v = self.new_input(f"{ident}_volume", "volume")
            operands = [("sub", ("in", a), ("in", b)), ("in", v)]
            factor = unit_factor(["price", "volume"])
        else:
            for k in kinds:
                if k == "rate":
                    operands.append(("in", r.choice(SHARED)[0]))
                else:
                    operands.append(("in", self.reuse_or_new(f"{ident}_{k}", k)))
            factor = unit_factor(kinds)
        ramp = r.choice(["none", "linear", "linear", "scurve"])
        if tname != "chain":
            self.scale_to(operands, factor, 5e3 * (30 ** r.random()))
        self.drivers.append({
            "id": ident, "template": tname, "operands": operands, "factor": factor,
            "lever": r.choice(["cost", "cost", "revenue", "risk"]),
            "ramp": ramp, "ramp_months": 0 if ramp == "none" else r.randint(3, 12),
            "realization": r.choice([50, 60, 65, 70, 75, 80, 85, 90]),
            "start": r.choice([1, 1, 1, 2, 3, 4, 6]),
        })

    def build(self):
        for ident, kind, value in SHARED:
            self.new_input(ident, kind, value=value, dist="pert")
        for i in range(N_DRIVERS):
            self.driver(i)
        # cost inputs (ranged) and the costs themselves
        self.new_input("seats", "staff", value=400.0, dist="pert")
        self.new_input("seat_price", "spend", value=95.0, dist="triangular")
        self.new_input("services", "price", value=350000.0, dist="pert")
        while len(self.inputs) < N_INPUTS_TARGET:
            # padding inputs read by the cost formulas keep the count near the target
            n = len(self.inputs)
            self.new_input(f"ops_{n}", "spend", dist="pert")
        ops = [d["id"] for d in self.inputs if d["id"].startswith("ops_")]
        benefit = self.steady_benefit()
        self.costs = [
            {"id": "subscription", "once": False, "start": 1,
             "operands": [("in", "seats"), ("in", "seat_price")], "factor": Fraction(1)},
            {"id": "platform", "once": False, "start": 1,
             "const": sig3(benefit * 0.5 * 12), "factor": Fraction(1, 12)},
            {"id": "support", "once": False, "start": 4,
             "const": sig3(benefit * 0.05 * 12), "factor": Fraction(1, 12)},
            {"id": "implementation", "once": True, "at": 0,
             "operands": [("in", "services")], "factor": Fraction(1)},
            {"id": "migration", "once": True, "at": 0,
             "const": sig3(benefit * 1.5), "factor": Fraction(1)},
            {"id": "upgrade", "once": True, "at": 12,
             "const": sig3(benefit * 0.4), "factor": Fraction(1)},
        ]
        for k, ident in enumerate(ops):
            self.costs.append({"id": f"operations_{k}", "once": False, "start": 1 + k % 3,
                               "operands": [("in", ident)], "factor": Fraction(1)})

    def steady_benefit(self):
        """Benefit per month at full ramp with every input at its value (for cost sizing)."""
        vals = {d["id"]: d["value"] for d in self.inputs}
        dv, total = {}, 0.0
        for d in self.drivers:
            dv[d["id"]] = eval_tree(d, vals, dv)
            total += dv[d["id"]] * d["realization"] / 100
        return total


def leaves(node):
    if node[0] in ("in", "drv"):
        return [node]
    return leaves(node[1]) + leaves(node[2])


def leaf_ids(driver):
    return {n[1] for op in driver["operands"] for n in leaves(op)}


def eval_tree(d, vals, dv):
    def ev(node):
        if node[0] == "in":
            return vals[node[1]]
        if node[0] == "drv":
            return dv[node[1]]
        return ev(node[1]) - ev(node[2])
    p = float(d["factor"])
    for op in d.get("operands", []):
        p *= ev(op)
    if "const" in d:
        p *= d["const"]
    return p


# ---------------------------------------------------------------- renderers

def render(node, leaf):
    if node[0] in ("in", "drv"):
        return leaf(node)
    return f"({render(node[1], leaf)} - {render(node[2], leaf)})"


def yaml_formula(item):
    if "const" in item:
        per = "USD" if item["once"] else "USD/year"
        return f"{fmt_num(item['const'])} {per}"
    return " * ".join(render(op, lambda n: n[1]) for op in item["operands"])


def fmt_num(x):
    """Shortest text that reads back as the same double."""
    return repr(float(x))


def write_yaml(g, path):
    L = []
    w = L.append
    w("# Generated by bench/gen_model.py (seed %d): do not edit." % SEED)
    w("model: bench50")
    w("version: 1.0.0")
    w("name: Benchmark model, 50 drivers")
    w("description: Synthetic model for bench/ - 50 drivers over 100 inputs.")
    w(f"currency: {CURRENCY}")
    w(f"horizon: {{years: {YEARS}, period: month}}")
    w(f"discount_rate: {RATE_YEAR * 100:g}%/year")
    w("capabilities:")
    w("  - {id: platform, name: Benchmark platform, outcomes: [efficiency, growth, resilience]}")
    w("outcomes:")
    w("  - {id: efficiency, name: Lower operating cost, kpis: [unit_cost]}")
    w("  - {id: growth, name: More revenue, kpis: [win_rate]}")
    w("  - {id: resilience, name: Fewer losses, kpis: [incidents]}")
    w("kpis:")
    w("  - {id: unit_cost, name: Cost per transaction, unit: USD, better: lower}")
    w("  - {id: win_rate, name: Win rate, unit: \"%\", better: higher}")
    w("  - {id: incidents, name: Incidents, unit: 1/year, better: lower}")
    w("inputs:")
    for d in g.inputs:
        parts = [f"value: {fmt_num(d['value'])}"]
        if "low" in d:
            parts += [f"low: {fmt_num(d['low'])}", f"high: {fmt_num(d['high'])}"]
        parts.append(f"unit: \"{d['unit']}\"")
        parts.append(f"dist: {d['dist']}")
        parts.append("evidence: \"synthetic benchmark input\"")
        parts.append("confidence: " + ("high" if d["dist"] == "fixed" else "medium"))
        w(f"  {d['id']}: {{{', '.join(parts)}}}")
    w("drivers:")
    outcome = {"cost": "efficiency", "revenue": "growth", "risk": "resilience"}
    for d in g.drivers:
        w(f"  - id: {d['id']}")
        w(f"    name: Driver {d['id']} ({d['template']})")
        w(f"    lever: {d['lever']}")
        w(f"    outcome: {outcome[d['lever']]}")
        w(f"    formula: {yaml_formula(d)}")
        if d["ramp"] == "none":
            w("    ramp: none")
        else:
            w(f"    ramp: {{{d['ramp']}: {d['ramp_months']} months}}")
        w(f"    realization: {d['realization']}%")
        w(f"    start: {d['start']}")
    w("costs:")
    for c in g.costs:
        if c["once"]:
            w(f"  - {{id: {c['id']}, once: {yaml_formula(c)}, at: {c['at']}}}")
        else:
            w(f"  - {{id: {c['id']}, formula: {yaml_formula(c)}, start: {c['start']}}}")
    with open(path, "w") as f:
        f.write("\n".join(L) + "\n")


# ---------------------------------------------------------------- spreadsheet

def col_name(c):
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


class Sheet:
    def __init__(self):
        self.cells = {}

    def put(self, row, col, v):
        self.cells[(row, col)] = v

    def xml(self):
        out = []
        for (r, c), v in sorted(self.cells.items()):
            if isinstance(v, str) and v.startswith("="):
                out.append(f'<gnm:Cell Row="{r}" Col="{c}">{escape(v)}</gnm:Cell>')
            elif isinstance(v, str):
                out.append(f'<gnm:Cell Row="{r}" Col="{c}" ValueType="60">{escape(v)}</gnm:Cell>')
            else:
                out.append(f'<gnm:Cell Row="{r}" Col="{c}" ValueType="40">{fmt_num(v)}</gnm:Cell>')
        maxr = max(r for r, _ in self.cells)
        maxc = max(c for _, c in self.cells)
        return maxr, maxc, "\n".join(out)


# Layout (0-based rows/cols; A1 refs in formulas):
#   rows 0-5: summary (label in A, value in B): NPV, IRR, benefits, costs, rate, rp
#   row 7: header; row 8: month index t = 0..36 in columns G..
#   inputs from row 10: A id, B value
#   then drivers: A id, B value per month (formula over input cells), C realization, D start,
#   E ramp months, F ramp kind, G.. benefit per period
#   then costs: A id, B amount, C once(1)/recurring(0), D start or `at`, G.. cost per period
#   then totals: benefits, costs, net
FIRST_T_COL = 6


def write_gz(path, text):
    """Gzipped text with no timestamp, so that the same seed gives the same bytes."""
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(text.encode())


def write_gnumeric(g, path):
    s = Sheet()
    T = FIRST_T_COL
    t_cols = [T + t for t in range(MONTHS + 1)]
    last = col_name(t_cols[-1])
    s.put(7, 0, "item")
    for t in range(MONTHS + 1):
        s.put(8, T + t, float(t))
    row = 10
    in_ref = {}
    for d in g.inputs:
        s.put(row, 0, d["id"])
        s.put(row, 1, d["value"])
        in_ref[d["id"]] = f"$B${row + 1}"
        row += 1
    row += 1
    drv_ref = {}
    first_drv = row
    for d in g.drivers:
        r1 = row + 1

        def leaf(n):
            return in_ref[n[1]] if n[0] == "in" else drv_ref[n[1]]
        f = d["factor"]
        expr = "*".join(render(op, leaf) for op in d["operands"])
        s.put(row, 0, d["id"])
        s.put(row, 1, f"={expr}*{f.numerator}/{f.denominator}")
        s.put(row, 2, d["realization"] / 100)
        s.put(row, 3, float(d["start"]))
        s.put(row, 4, float(d["ramp_months"]))
        s.put(row, 5, d["ramp"])
        drv_ref[d["id"]] = f"$B${r1}"
        s.put(row, T, 0.0)
        for t in range(1, MONTHS + 1):
            tc = f"{col_name(T + t)}$9"
            x = f"MIN(1,MAX(0,({tc}-$D{r1}+1)/$E{r1}))"
            if d["ramp"] == "none":
                ramp = f"IF({tc}>=$D{r1},1,0)"
            elif d["ramp"] == "linear":
                ramp = x
            else:
                ramp = f"(3*{x}^2-2*{x}^3)"
            s.put(row, T + t, f"=$B{r1}*$C{r1}*{ramp}")
        row += 1
    last_drv = row - 1
    row += 1
    first_cost = row
    for c in g.costs:
        r1 = row + 1
        f = c["factor"]
        if "const" in c:
            s.put(row, 1, f"={fmt_num(c['const'])}*{f.numerator}/{f.denominator}")
        else:
            expr = "*".join(render(op, lambda n: in_ref[n[1]]) for op in c["operands"])
            s.put(row, 1, f"={expr}*{f.numerator}/{f.denominator}")
        s.put(row, 0, c["id"])
        s.put(row, 2, 1.0 if c["once"] else 0.0)
        s.put(row, 3, float(c["at"] if c["once"] else c["start"]))
        for t in range(MONTHS + 1):
            tc = f"{col_name(T + t)}$9"
            if c["once"]:
                s.put(row, T + t, f"=IF({tc}=$D{r1},$B{r1},0)")
            elif t == 0:
                s.put(row, T + t, 0.0)
            else:
                s.put(row, T + t, f"=IF({tc}>=$D{r1},$B{r1},0)")
        row += 1
    last_cost = row - 1
    row += 1
    rb, rc, rn = row, row + 1, row + 2
    s.put(rb, 0, "benefits")
    s.put(rc, 0, "costs")
    s.put(rn, 0, "net")
    for t in range(MONTHS + 1):
        cn = col_name(T + t)
        s.put(rb, T + t, f"=SUM({cn}{first_drv + 1}:{cn}{last_drv + 1})")
        s.put(rc, T + t, f"=SUM({cn}{first_cost + 1}:{cn}{last_cost + 1})")
        s.put(rn, T + t, f"={cn}{rb + 1}-{cn}{rc + 1}")
    t0, t1 = col_name(T), col_name(T + 1)
    net = lambda a, b: f"{a}{rn + 1}:{b}{rn + 1}"
    s.put(0, 0, "NPV")
    s.put(0, 1, f"=NPV(B6,{net(t1, last)})+{t0}{rn + 1}")
    s.put(1, 0, "IRR")
    s.put(1, 1, f"=(1+IRR({net(t0, last)}))^12-1")
    s.put(2, 0, "benefits")
    s.put(2, 1, f"=SUM({t0}{rb + 1}:{last}{rb + 1})")
    s.put(3, 0, "costs")
    s.put(3, 1, f"=SUM({t0}{rc + 1}:{last}{rc + 1})")
    s.put(4, 0, "rate")
    s.put(4, 1, RATE_YEAR)
    s.put(5, 0, "rp")
    s.put(5, 1, "=(1+B5)^(1/12)-1")
    maxr, maxc, cells = s.xml()

    def workbook(copies):
        names = ["Model"] + [f"Copy{k}" for k in range(1, copies)]
        sheets = "".join(f"""<gnm:Sheet>
<gnm:Name>{name}</gnm:Name>
<gnm:MaxCol>{maxc}</gnm:MaxCol>
<gnm:MaxRow>{maxr}</gnm:MaxRow>
<gnm:Cells>
{cells}
</gnm:Cells>
</gnm:Sheet>
""" for name in names)
        index = "".join(f"<gnm:SheetName>{n}</gnm:SheetName>" for n in names)
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<gnm:Workbook xmlns:gnm="http://www.gnumeric.org/v10.dtd">
<gnm:SheetNameIndex>{index}</gnm:SheetNameIndex>
<gnm:Sheets>
{sheets}</gnm:Sheets>
</gnm:Workbook>
"""
    doc = workbook(1)
    write_gz(path, doc)
    # the same model on COPIES sheets: the time it adds over one copy is what a
    # recalculation costs once the process runs (no start-up), for reference
    write_gz(path.replace(".gnumeric", f"x{COPIES}.gnumeric"), workbook(COPIES))
    # a workbook of one formula: what ssconvert costs with (almost) nothing to calculate
    tiny = doc.split("<gnm:Cells>")[0].replace(f"<gnm:MaxCol>{maxc}", "<gnm:MaxCol>1")
    tiny = tiny.replace(f"<gnm:MaxRow>{maxr}", "<gnm:MaxRow>0")
    tiny += ('<gnm:Cells>\n<gnm:Cell Row="0" Col="0">=1+1</gnm:Cell>\n</gnm:Cells>\n'
             "</gnm:Sheet>\n</gnm:Sheets>\n</gnm:Workbook>\n")
    write_gz(os.path.join(os.path.dirname(path), "tiny.gnumeric"), tiny)
    return sum(1 for v in s.cells.values() if isinstance(v, str) and v.startswith("="))


# ---------------------------------------------------------------- numpy peer data

def write_json(g, path):
    def np_expr(item):
        def leaf(n):
            return f"x[{n[1]!r}]" if n[0] == "in" else f"d[{n[1]!r}]"
        f = item["factor"]
        if "const" in item:
            return f"{fmt_num(item['const'])} * {f.numerator} / {f.denominator}"
        ops = " * ".join(render(op, leaf) for op in item["operands"])
        return f"{ops} * {f.numerator} / {f.denominator}"
    doc = {
        "seed": SEED, "months": MONTHS, "rate_year": RATE_YEAR,
        "inputs": [{k: d[k] for k in ("id", "dist", "value", "low", "high") if k in d}
                   for d in g.inputs],
        "drivers": [{"id": d["id"], "expr": np_expr(d), "ramp": d["ramp"],
                     "ramp_months": d["ramp_months"], "realization": d["realization"] / 100,
                     "start": d["start"]} for d in g.drivers],
        "costs": [{"id": c["id"], "expr": np_expr(c), "once": c["once"],
                   "at": c.get("at", 0), "start": c.get("start", 1)} for c in g.costs],
    }
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "out")
    os.makedirs(outdir, exist_ok=True)
    g = Gen(SEED)
    g.build()
    write_yaml(g, os.path.join(outdir, "bench50.yaml"))
    n_formulas = write_gnumeric(g, os.path.join(outdir, "bench50.gnumeric"))
    write_json(g, os.path.join(outdir, "bench50.json"))
    print(f"gen_model: {len(g.inputs)} inputs, {len(g.drivers)} drivers, {len(g.costs)} costs, "
          f"{MONTHS} months, {n_formulas} spreadsheet formulas -> {outdir}")


if __name__ == "__main__":
    main()
