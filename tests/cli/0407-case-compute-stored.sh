#!/usr/bin/env bash
# vos case compute / explain --case ID compute a stored case exactly as the model file with the
# same overrides would.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
simple_models
run 0 init
run 0 model import simple.yaml
run 0 model approve simple 1.0.0
run 0 account add "Contoso Bank"
run 0 case create --account "Contoso Bank" --name Pilot --model simple
run 0 case set 1 a --value 150 --low 80 --high 250

run 0 case compute --case 1 --format json --simulate 2000 --seed 7 --tornado
stored=$out
printf 'a: {value: 150, low: 80, high: 250}\n' > overrides.yaml
run 0 case compute simple.yaml --inputs overrides.yaml --format json --simulate 2000 --seed 7 --tornado
[ "$stored" = "$out" ] || { diff <(echo "$stored") <(echo "$out"); exit 1; }
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["scenarios"]["expected"]["npv"] == 1200, d' "$out"

run 0 case compute --case 1
grep -qE '^NPV \(USD\) +360 +1,200 +2,400$' <<<"$out" || { echo "$out"; exit 1; }
# --inputs on top of a stored case: a what-if that stores nothing
before=$(db_state)
printf 'a: 200\n' > what-if.yaml
run 0 case compute --case 1 --inputs what-if.yaml --format json
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["scenarios"]["expected"]["npv"] == 1800, d' "$out"
[ "$(db_state)" = "$before" ]

run 0 case explain --case 1 payback
has "payback = 4.000000 months" "$out"
run 0 case explain --case 1 npv --scenario conservative --format json
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["value"] == 360, d' "$out"

run 1 case compute --case 9
has "vos case: " "$err"
run 2 case compute --case 1 simple.yaml
has "unexpected argument 'simple.yaml'" "$err"
run 2 case compute simple.yaml --db sqlite:vos.db
has "--db goes with --case ID" "$err"
run 2 case explain --case 1
run 2 case compute --case zero
