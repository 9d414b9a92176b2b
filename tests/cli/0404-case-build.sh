#!/usr/bin/env bash
# vos case create / set / unset / show / list on a stored case.
# simple.yaml: NPV = 12 a - 600 at 0% (a in USD/month), payback = 600 / a months.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
simple_models
run 0 init
run 0 model import simple.yaml simple-1.1.0.yaml
run 0 model approve simple 1.0.0
run 0 account add "Contoso Bank"
run 0 account add "Tailspin Retail"

# the latest approved version by default; a draft only when pinned
run 0 case create --account "contoso bank" --name Pilot --model simple
[ "$out" = "created case 1 'Pilot' for contoso bank on simple 1.0.0 (hypothesis)" ] || { echo "$out"; exit 1; }
run 0 case create --account "Tailspin Retail" --name "Next year" --model simple --version 1.1.0 -q
[ "$out" = "2" ]

before=$(db_state)
run 1 case create --account "Contoso Bank" --name PILOT --model simple
has "vos case create: " "$err"
has "PILOT" "$err"
run 1 case create --account Nobody --name X --model simple
has "Nobody" "$err"
run 1 case create --account "Contoso Bank" --name X --model nosuch
has "nosuch" "$err"
run 1 case create --account "Contoso Bank" --name X --model simple --version 3.0.0
has "3.0.0" "$err"
run 2 case create --account "Contoso Bank" --name X
has "--account, --name and --model are required" "$err"
[ "$(db_state)" = "$before" ]

# overrides: a value, a range, a quantity converted to the input's unit
run 0 case set 1 a 150
[ "$out" = "case 1: a is now 150 (50 .. 200) USD/month" ] || { echo "$out"; exit 1; }
run 0 case set 1 a --low 80 --high 250
[ "$out" = "case 1: a is now 150 (80 .. 250) USD/month" ]
run 0 case set 1 a "0.2 USD/h"          # 0.2 USD/h x 730 h/month = 146 USD/month
[ "$out" = "case 1: a is now 146 (80 .. 250) USD/month" ] || { echo "$out"; exit 1; }
run 0 case set 1 a -5 --low -10         # negative numbers are values, not options
[ "$out" = "case 1: a is now -5 (-10 .. 250) USD/month" ] || { echo "$out"; exit 1; }
run 0 case unset 1 a
[ "$out" = "case 1: a is back to the model's 100 (50 .. 200) USD/month" ] || { echo "$out"; exit 1; }
run 0 case set 1 a --value 150 --low 80 --high 250

# refusals change nothing
before=$(db_state)
run 1 case set 1 d1 5
has "vos case set: 'd1' is a driver formula of model simple; a case overrides inputs only" "$err"
run 1 case set 1 c1 5
has "case overrides inputs only" "$err"
run 1 case set 1 nosuch 5
has "nosuch" "$err"
run 1 case set 1 a 300
has "vos case set: input 'a': value 300 must lie within its range [80, 250]" "$err"
run 1 case set 1 a "3 h"
has "vos case set: input 'a': '3 h': " "$err"
run 1 case set 1 a 160 --revision 1
has "vos case set: " "$err"
run 1 case set 99 a 5
has "99" "$err"
run 2 case set 1 a
has "give a VALUE, --low, --high, --evidence or --confidence" "$err"
run 2 case set x a 1
has "the case ID must be a number >= 1, not 'x'" "$err"
[ "$(db_state)" = "$before" ]

run 0 case show 1
has "case 1: Pilot" "$out"
has "  account    Contoso Bank" "$out"
has "  model      simple 1.0.0 (approved)" "$out"
has "  stage      hypothesis" "$out"
grep -qE '^a +USD/month +100 \(50 \.\. 200\) +150 \(80 \.\. 250\)$' <<<"$out" || { echo "$out"; exit 1; }
grep -qE '^NPV \(USD\) +360 +1,200 +2,400$' <<<"$out"
grep -qE '^Payback \(months\) +7\.5 +4\.0 +2\.4$' <<<"$out"
run 0 case show 1 --format json
python3 - "$out" <<'PY'
import json, sys
c = json.loads(sys.argv[1])
assert c["id"] == 1 and c["stage"] == "hypothesis" and c["account"]["name"] == "Contoso Bank", c
assert c["model"] == {"key": "simple", "version": "1.0.0", "status": "approved", "currency": "USD"}, c
assert c["overrides"] == {"a": {"value": 150, "low": 80, "high": 250}}, c["overrides"]
s = c["scenarios"]
assert (s["conservative"]["npv"], s["expected"]["npv"], s["optimistic"]["npv"]) == (360, 1200, 2400), s
assert s["expected"]["payback_months"] == 4 and s["expected"]["roi"] == 2, s["expected"]
PY
run 0 case show 2
has "No overrides" "$out"
has "simple 1.1.0 (draft)" "$out"
run 1 case show 42
has "vos case show: " "$err"

run 0 case list
expected_head='id  account          name       stage       model   version  updated'
has "$expected_head" "$out"
grep -qE '^ 1  Contoso Bank     Pilot      hypothesis  simple  1\.0\.0    20' <<<"$out" || { echo "$out"; exit 1; }
grep -qE '^ 2  Tailspin Retail  Next year  hypothesis  simple  1\.1\.0    20' <<<"$out"
run 0 case list --account "tailspin retail" --format json
python3 -c 'import json,sys; c=json.loads(sys.argv[1]); assert [x["id"] for x in c]==[2], c' "$out"
run 0 case list --stage committed
[ "$out" = "no cases" ]
run 1 case list --account Nobody
run 1 case list --stage done
has "--stage must be" "$err"
