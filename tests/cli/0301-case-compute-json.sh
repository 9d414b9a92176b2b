# JSON output carries exact figures for every scenario and the cash flow of the chosen one.
set -euo pipefail
"$VOS" case compute "$VOS_ROOT/tests/data/cases/simple.yaml" --format json --scenario conservative \
  --simulate 2000 --seed 7 --tornado > out.json
python3 - <<'PY'
import json
d = json.load(open("out.json"))
s = d["scenarios"]
assert s["expected"]["npv"] == 600, s["expected"]["npv"]
assert s["conservative"]["npv"] == 0
assert s["optimistic"]["npv"] == 1800
assert s["expected"]["payback_months"] == 6
assert s["expected"]["roi"] == 1
assert s["conservative"]["inputs"]["a"] == {"value": 50, "end": "low"}
cf = s["conservative"]["cash_flow"]
assert cf["net"][0] == -600 and len(cf["net"]) == 13, cf["net"]
assert "cash_flow" not in s["expected"]
assert abs((1 + 0.12694680139592926) ** 12 - 1 - s["expected"]["irr"]) < 1e-7
assert d["simulation"]["iterations"] == 2000 and d["simulation"]["seed"] == 7
assert sum(d["simulation"]["histogram"]["counts"]) == 2000
assert d["tornado"][0]["input"] == "a" and d["tornado"][0]["swing"] == 1800
print("ok")
PY
# the same seed gives the same simulation
"$VOS" case compute "$VOS_ROOT/tests/data/cases/simple.yaml" --format json --scenario conservative \
  --simulate 2000 --seed 7 --tornado > again.json
cmp out.json again.json
