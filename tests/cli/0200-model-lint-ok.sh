#!/usr/bin/env bash
# vos model lint on a valid model: warnings are listed, the summary says ok, exit 0;
# --strict makes warnings fail, --quiet drops the summary of clean files.
set -euo pipefail
m="$VOS_ROOT/tests/data/models/service-desk.yaml"
cp "$m" model.yaml

out=$("$VOS" model lint model.yaml)
expected="model.yaml:14:3: warning: input 'minutes_saved' has no evidence: say where the value comes from
model.yaml: ok (3 inputs, 1 driver, 2 costs), 1 warning"
[ "$out" = "$expected" ] || { printf 'got:\n%s\n' "$out"; exit 1; }

set +e
out=$("$VOS" model lint --strict model.yaml); rc=$?
set -e
[ $rc -eq 1 ] || { echo "--strict exit $rc"; exit 1; }
grep -qx 'model.yaml: 0 errors, 1 warning' <<<"$out"

out=$("$VOS" model lint --quiet model.yaml)
[ "$out" = "model.yaml:14:3: warning: input 'minutes_saved' has no evidence: say where the value comes from" ]

# the same model as JSON, and from standard input
out=$("$VOS" model lint "$VOS_ROOT/tests/data/models/service-desk.json")
grep -q 'service-desk.json: ok (3 inputs, 1 driver, 2 costs), 1 warning$' <<<"$out"
out=$("$VOS" model lint - < model.yaml)
grep -qx -- '-: ok (3 inputs, 1 driver, 2 costs), 1 warning' <<<"$out"

# a model without any warning
sed -e 's/confidence: medium}/confidence: medium, evidence: "time study"}/' model.yaml > clean.yaml
out=$("$VOS" model lint clean.yaml)
[ "$out" = "clean.yaml: ok (3 inputs, 1 driver, 2 costs)" ] || { echo "$out"; exit 1; }
[ -z "$("$VOS" model lint --quiet clean.yaml)" ]
