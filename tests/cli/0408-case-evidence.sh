#!/usr/bin/env bash
# vos case set --evidence / --confidence: a case's own evidence for an input replaces the
# model's in the lineage and clears the policy warning that asked for evidence; stored overrides
# keep it next to the value; a bad confidence or empty evidence is refused.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
# simple.yaml without evidence for `a`: `vos model lint` warns "no evidence".
sed -e 's/, evidence: "test fixture"//' "$VOS_ROOT/tests/data/cases/simple.yaml" > simple.yaml
run 0 init
run 0 model import simple.yaml
run 0 model approve simple 1.0.0
run 0 account add "Contoso Bank"
run 0 case create --account "Contoso Bank" --name Pilot --model simple

run 0 case compute --case 1 --format json
python3 - "$out" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
codes = [(w["code"], w["element"], w["id"]) for w in d["warnings"]]
# realization 100% (no haircut) stays a warning of the model; `a` has no evidence
assert codes == [("no_evidence", "input", "a"), ("no_haircut", "driver", "d1")], codes
assert d["warnings"][0]["message"] == "input 'a' has no evidence: say where the value comes from"
PY

run 2 case set 1 a --confidence sure
has "--confidence: confidence must be low, medium or high, not 'sure'" "$err"
before=$(db_state)
run 1 case set 1 a --evidence "   "
has "input 'a': evidence must say where the value comes from (it is empty)" "$err"
[ "$(db_state)" = "$before" ]

run 0 case set 1 a --evidence "Payroll export, March 2026" --confidence medium
has "case 1: a is now" "$out"
has "evidence (this case): Payroll export, March 2026; confidence (this case): medium" "$out"
[ "$(sqlite3 vos.db "SELECT overrides FROM cases WHERE id = 1")" = \
  '{"a":{"evidence":"Payroll export, March 2026","confidence":"medium"}}' ]

run 0 case set 1 a 150
[ "$(sqlite3 vos.db "SELECT overrides FROM cases WHERE id = 1")" = \
  '{"a":{"value":150,"evidence":"Payroll export, March 2026","confidence":"medium"}}' ]

run 0 case compute --case 1 --format json
python3 - "$out" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert [w["code"] for w in d["warnings"]] == ["no_haircut"], d["warnings"]
assert d["scenarios"]["expected"]["npv"] == 12 * 150 - 600, d["scenarios"]["expected"]
PY
run 0 case explain --case 1 driver:d1 --format json
python3 - "$out" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
t = [t for t in d["terms"] if t["label"] == "input a"][0]
assert t["value"] == 150, t
assert "evidence (this case): Payroll export, March 2026; confidence (this case): medium" in t["detail"], t
PY
