#!/usr/bin/env bash
# vos model lint reports every problem of a file at once, sorted, as FILE:LINE:COL, and exits 1.
set -euo pipefail
cp "$VOS_ROOT/tests/data/models/five-problems.yaml" bad.yaml
cp "$VOS_ROOT/tests/data/models/service-desk.yaml" good.yaml

set +e
out=$("$VOS" model lint bad.yaml good.yaml); rc=$?
set -e
[ $rc -eq 1 ] || { echo "exit $rc"; exit 1; }
expected="bad.yaml:7:1: error: unknown key 'colour' (allowed: model, version, name, description, currency, horizon, discount_rate, capabilities, outcomes, kpis, inputs, drivers, costs)
bad.yaml:12:28: error: input 'hours': unit: unknown unit 'hrs' (units: min, h, day, week, month, year, %, count, USD)
bad.yaml:14:3: error: duplicate key 'rate' (first at line 13)
bad.yaml:19:21: error: driver 'saving': formula: unknown name 'hours_saved'
bad.yaml:22:5: error: cost 'licence': needs formula (a recurring cost) or once (a one-time cost)
bad.yaml: 5 errors, 0 warnings
good.yaml:14:3: warning: input 'minutes_saved' has no evidence: say where the value comes from
good.yaml: ok (3 inputs, 1 driver, 2 costs), 1 warning"
[ "$out" = "$expected" ] || { printf 'got:\n%s\n' "$out"; diff <(echo "$expected") <(echo "$out"); exit 1; }

# cycles name their members; unit mismatches show both units
set +e
out=$("$VOS" model lint "$VOS_ROOT/tests/data/models/cycle.yaml"); rc=$?
set -e
[ $rc -eq 1 ]
grep -q 'cycle.yaml:9:5: error: cycle among drivers: a -> b -> c -> a$' <<<"$out"
grep -q 'cycle.yaml:12:5: error: cycle among drivers: d -> d$' <<<"$out"
set +e
out=$("$VOS" model lint --quiet "$VOS_ROOT/tests/data/models/units.yaml"); rc=$?
set -e
[ $rc -eq 1 ]
grep -q "units.yaml:17:15: error: driver 'money_only': formula: unit mismatch: formula gives USD where USD/year is needed" <<<"$out"
grep -q 'units.yaml: 3 errors, 2 warnings$' <<<"$out"

# YAML syntax errors carry libyaml's position
printf 'model: x\ninputs: {a: 1\n' > syntax.yaml
set +e
out=$("$VOS" model lint syntax.yaml); rc=$?
set -e
[ $rc -eq 1 ]
grep -q "^syntax.yaml:3:1: error: YAML syntax: did not find expected ',' or '}'" <<<"$out"
