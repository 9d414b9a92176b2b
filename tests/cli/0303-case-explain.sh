# vos case explain traces a figure to its inputs and evidence, as text and JSON.
set -euo pipefail
m="$VOS_ROOT/tests/data/cases/simple.yaml"
out=$("$VOS" case explain "$m" driver:d1 --scenario optimistic)
echo "$out"
grep -F 'benefit of driver d1 (cost lever) over the 1-year horizon = 2,400.00 USD  (optimistic scenario)' <<<"$out"
grep -E 'input a +200\.0000 USD/month +high of 50\.00 \.\. 200\.00 \(pert\); evidence: test fixture; confidence: high' <<<"$out"
"$VOS" case explain "$m" npv --format json > npv.json
python3 -c '
import json; d = json.load(open("npv.json"))
assert d["value"] == 600 and d["unit"] == "USD", d
pv = sum(t["value"] for t in d["terms"] if t["label"].startswith("PV of"))
assert abs(pv - 600) < 1e-9, pv
'
"$VOS" case explain "$m" payback | grep -F 'payback = 6.000000 months'
