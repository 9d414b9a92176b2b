#!/usr/bin/env bash
# vos model import / approve / retire / list / versions, and refusals that change nothing.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
simple_models
run 0 init

run 0 model import simple.yaml
[ "$out" = "imported simple 1.0.0 (draft)" ] || { echo "$out"; exit 1; }
has "simple.yaml:14:5: warning: driver 'd1' has no realization haircut" "$err"
run 0 model list
has "simple  Simple case  1.0.0 (draft)" "$out"

# the same text again writes nothing; a draft's text can be replaced
before=$(db_state)
run 0 model import simple.yaml
[ "$out" = "imported simple 1.0.0 (draft, unchanged)" ] || { echo "$out"; exit 1; }
[ "$(db_state)" = "$before" ]
printf '\n# edited\n' >> simple.yaml
run 0 model import simple.yaml
has "imported simple 1.0.0 (draft, replacing the earlier draft text)" "$out"

# a broken model: every diagnostic, exit 1, nothing written
before=$(db_state)
run 1 model import "$VOS_ROOT/tests/data/models/five-problems.yaml"
has "five-problems.yaml:7:1: error: unknown key 'colour'" "$err"
has "five-problems.yaml:22:5: error: cost 'licence': needs formula" "$err"
has "vos model import: $VOS_ROOT/tests/data/models/five-problems.yaml: 5 errors; nothing was imported" "$err"
[ "$(db_state)" = "$before" ]
# one broken file among good ones: the good ones are imported, the exit status says 1
run 1 model import simple-1.1.0.yaml "$VOS_ROOT/tests/data/models/cycle.yaml"
has "imported simple 1.1.0 (draft)" "$out"
has "cycle among drivers" "$err"

run 0 model approve simple 1.0.0
[ "$out" = "approved simple 1.0.0" ]
n=$(audit_count)
before=$(db_state)
# an approved version is immutable
run 1 model import simple.yaml
has "vos model import: simple.yaml: model 'simple' version 1.0.0 is approved and immutable; give the change a new version number" "$err"
run 1 model approve simple 1.0.0
has "vos model approve: model 'simple' version 1.0.0 is already approved" "$err"
run 1 model approve simple 9.9.9
has "vos model approve: " "$err"
run 1 model retire simple 1.1.0
has "vos model retire: " "$err"
run 1 model versions nosuch
has "vos model versions: " "$err"
[ "$(db_state)" = "$before" ]
[ "$(audit_count)" -eq "$n" ]
# and the store refuses an edit behind its back, too
if sqlite3 vos.db "UPDATE model_versions SET source = 'x' WHERE version = '1.0.0'" 2>/dev/null; then
  echo "an approved version was edited"; exit 1
fi

run 0 model versions simple
has "version  status    imported" "$out"
grep -qE '^1\.0\.0  +approved +20[0-9-]+T' <<<"$out"
grep -qE '^1\.1\.0  +draft +20[0-9-]+T' <<<"$out"
run 0 model retire simple 1.0.0
[ "$out" = "retired simple 1.0.0" ]
run 0 model list --format json
python3 - "$out" <<'PY'
import json, sys
models = json.loads(sys.argv[1])
assert [m["key"] for m in models] == ["simple"], models
vs = {v["version"]: v for v in models[0]["versions"]}
assert vs["1.0.0"]["status"] == "retired" and vs["1.0.0"]["retired_at"], vs
assert vs["1.1.0"]["status"] == "draft" and vs["1.1.0"]["approved_at"] is None, vs
import hashlib
assert vs["1.1.0"]["content_sha256"] == hashlib.sha256(open("simple-1.1.0.yaml", "rb").read()).hexdigest()
PY
run 0 model versions simple --format json
[ "$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])))' "$out")" -eq 2 ]

# usage
run 2 model import
run 2 model approve simple
run 2 model diff simple 1.0.0
run 2 model list --format xml
has "--format must be table or json, not 'xml'" "$err"
