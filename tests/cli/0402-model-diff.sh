#!/usr/bin/env bash
# vos model diff: element changes, then every figure of the three scenarios before and after.
# simple.yaml: 12 months of `a` USD/month against 600 USD up front at 0%, so by hand:
#   NPV = 12 a - 600; 1.0.0 has a = 50 / 100 / 200 (conservative / expected / optimistic),
#   1.1.0 has a = 60 / 120 / 220: NPV 0 / 600 / 1,800 -> 120 / 840 / 2,040;
#   payback = 600 / a months: 6 -> 5 (expected); ROI = (12 a - 600) / 600: 100% -> 140%.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
simple_models
run 0 init
run 0 model import simple.yaml simple-1.1.0.yaml

run 0 model diff simple 1.0.0 1.1.0
has "simple 1.0.0 -> 1.1.0" "$out"
grep -qE '^input +a +value +100 +120$' <<<"$out" || { echo "$out"; exit 1; }
grep -qE '^input +a +low +50 +60$' <<<"$out"
grep -qE '^input +a +high +200 +220$' <<<"$out"
grep -qE '^expected +npv +600 +840 +\+240$' <<<"$out"
grep -qE '^conservative +npv +0 +120 +\+120$' <<<"$out"
grep -qE '^optimistic +npv +1,800 +2,040 +\+240$' <<<"$out"
grep -qE '^expected +payback_months +6\.0 +5\.0 +-1\.0$' <<<"$out"
grep -qE '^expected +roi +100\.0% +140\.0% +\+40\.0 pp$' <<<"$out"

run 0 model diff simple 1.0.0 1.1.0 --format json
python3 - "$out" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert (d["model"], d["from"], d["to"]) == ("simple", "1.0.0", "1.1.0"), d
ch = {(c["element"], c["id"], c["field"]): (c["before"], c["after"]) for c in d["changes"]}
assert ch[("input", "a", "value")] == ("100", "120"), ch
fig = {(f["scenario"], f["figure"]): f for f in d["figures"]}
for scen, a0, a1 in (("conservative", 50, 60), ("expected", 100, 120), ("optimistic", 200, 220)):
    f = fig[(scen, "npv")]
    assert f["before"] == 12 * a0 - 600 and f["after"] == 12 * a1 - 600, f
    assert f["change"] == 12 * (a1 - a0), f
    assert fig[(scen, "costs_total")]["change"] == 0
assert abs(fig[("expected", "roi")]["after"] - 1.4) < 1e-12
PY

# the same version: nothing changed, and the figures are equal
run 0 model diff simple 1.0.0 1.0.0
has "no element of the model changed" "$out"
run 1 model diff simple 1.0.0 7.0.0
has "vos model diff: " "$err"
has "7.0.0" "$err"
run 1 model diff nosuch 1.0.0 1.1.0
has "nosuch" "$err"
