# Every example model lints clean and computes in every format, with simulation and tornado.
set -euo pipefail
"$VOS" model lint --strict "$VOS_ROOT"/models/*.yaml
for m in "$VOS_ROOT"/models/*.yaml; do
  "$VOS" case compute "$m" --tornado --simulate 2000 > /dev/null
  "$VOS" case compute "$m" --format csv > /dev/null
  "$VOS" case compute "$m" --format json --simulate 500 | python3 -c '
import json, sys
d = json.load(sys.stdin)
e = d["scenarios"]["expected"]
c = d["scenarios"]["conservative"]
o = d["scenarios"]["optimistic"]
assert c["npv"] <= e["npv"] <= o["npv"], (c["npv"], e["npv"], o["npv"])
assert abs(e["benefits_total"] - sum(e["levers"].values())) < 1e-6 * max(1, e["benefits_total"])
'
  "$VOS" case explain "$m" npv > /dev/null
done
