#!/usr/bin/env bash
# vos case rebase: explicit, prints every figure change; refused when an override no longer fits.
# With a = 150 kept as an override, the range moves from 50 .. 200 (1.0.0) to 60 .. 220 (1.1.0):
# NPV = 12 a - 600: conservative 0 -> 120, expected 1,200 -> 1,200, optimistic 1,800 -> 2,040.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
simple_models
run 0 init
run 0 model import simple.yaml simple-1.1.0.yaml
run 0 model approve simple 1.0.0
run 0 model approve simple 1.1.0
run 0 account add "Contoso Bank"
run 0 case create --account "Contoso Bank" --name Pilot --model simple --version 1.0.0
run 0 case create --account "Contoso Bank" --name Low --model simple --version 1.0.0
run 0 case set 1 a 150
run 0 case set 2 a 55

# a = 55 is below the new range 60 .. 220: nothing changes
before=$(db_state)
run 1 case rebase 2 1.1.0
has "vos case rebase: " "$err"
has "'a'" "$err"
run 1 case rebase 1 4.0.0
has "4.0.0" "$err"
run 2 case rebase 1
[ "$(db_state)" = "$before" ]

run 0 case rebase 1 1.1.0
has "re-based case 1 onto version 1.1.0 (revision 3)" "$out"
grep -qE '^input +a +low +50 +60$' <<<"$out" || { echo "$out"; exit 1; }
grep -qE '^conservative +npv +0 +120 +\+120$' <<<"$out"
grep -qE '^expected +npv +1,200 +1,200 +0$' <<<"$out"
grep -qE '^optimistic +npv +1,800 +2,040 +\+240$' <<<"$out"
run 0 case show 1
has "  model      simple 1.1.0 (approved)" "$out"
grep -qE '^a +USD/month +120 \(60 \.\. 220\) +150 \(60 \.\. 220\)$' <<<"$out" || { echo "$out"; exit 1; }

# back again, as JSON
run 0 case rebase 1 1.0.0 --format json
python3 - "$out" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert d["case"] == 1 and d["version"] == "1.0.0" and d["revision"] == 4, d
f = {(x["scenario"], x["figure"]): x for x in d["figures"]}
assert (f[("conservative", "npv")]["before"], f[("conservative", "npv")]["after"]) == (120, 0)
assert f[("optimistic", "npv")]["change"] == -240
assert f[("expected", "npv")]["change"] == 0
PY
run 0 audit log --entity case:1 --limit 2
has "case.rebase" "$out"
has "model_version_id: 2 -> 1" "$out"
