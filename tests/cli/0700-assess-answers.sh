#!/usr/bin/env bash
# vos assess take from an answers file: the scores of the median rule (worked out in
# tests/data/maturity/answers-2026.yaml), every row audited, show / history / JSON, --by.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 init
answers="$VOS_ROOT/tests/data/maturity/answers-2026.yaml"

run 0 assess blueprint
has "Ecosystems' Value Blueprint (ecosystems-value-blueprint 1.0.0)" "$out"
has "  2  II   Emerging      Value is centralized (Value = Expertise)" "$out"
has "  Value Technology  (value_technology)" "$out"
has "IV. PROGRESSIVE TO V. LEADING EDGE" "$out"
has "     8. Adaptability of platform to emerging technology (e.g., AI)" "$out"
run 0 assess blueprint --format json
python3 - "$out" <<'PY'
import json, sys
b = json.loads(sys.argv[1])
dims = [d for p in b["pillars"] for d in p["dimensions"]]
assert len(dims) == 15 and all(len(d["stages"]) == 5 for d in dims), dims
assert [len(p["dimensions"]) for p in b["pillars"]] == [5, 6, 4]
assert [len(t["actions"]) for t in b["transitions"]] == [11, 11, 8, 7]
assert b["stages"][4]["equation"] == "Value = Product"
PY

records=$(audit_count)
run 0 assess take --answers "$answers"
has "recorded assessment 1 (2026-01-15)" "$out"
has "Assessment 1, taken 2026-01-15 by the system, against Ecosystems' Value Blueprint (ecosystems-value-blueprint 1.0.0)" "$out"
has "Overall: II Emerging (median 2, mean 2.47, spread 4: I Nascent to V Leading Edge); target IV Progressive" "$out"
has "Weakest: Scope of Organizational Capability, Customers' Value Experience, Value Content Integration" "$out"
has "Notes: Leadership offsite" "$out"
[ "$(audit_count)" = $((records + 16)) ]
[ "$(sqlite3 vos.db "SELECT count(*) FROM audit_log WHERE operation = 'assessment.take'")" = 16 ]
run 0 audit verify

run 0 assess show
has "Value Execution             2.5  II Emerging" "$out"
has "Value Technology                                                  value_technology           II Emerging      Business cases in one shared tool" "$out"
has "Accounts with a business case" "$out"
has "no data" "$out"
run 0 assess show 1 --format json
python3 - "$out" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
a = d["assessment"]
assert a["taken_at"] == "2026-01-15" and a["target_stage"] == 4 and a["taken_by"] is None, a
o = a["scores"]["overall"]
assert o["median"] == 2 and o["stage"] == 2 and o["min"] == 1 and o["max"] == 5 and o["spread"] == 4, o
assert abs(o["mean"] - 37 / 15) < 1e-12, o
assert o["weakest"] == ["organizational_capability", "customer_experience", "content_integration"], o
assert [p["median"] for p in a["scores"]["pillars"]] == [2, 2.5, 2], a["scores"]
ans = {x["dimension"]: x for x in a["answers"]}
assert ans["process_maturity"]["stage"] == 3 and ans["targeting"]["stage"] == 2, ans
assert ans["value_technology"]["evidence"] == "Business cases in one shared tool", ans
assert ans["value_discovery"]["description"] == "Artificial intelligence", ans
ind = {x["key"]: x for x in d["indicators"]}
assert len(ind) == 6 and ind["case_coverage"]["value"] is None, ind
assert ind["continuous_proof"]["informs"][0] == {"dimension": "value_narrative", "name": "Design of Value Narrative", "stage": 2}, ind
PY

# a later assessment by a user, from standard input, with the target from the command line
run 0 user add eve@vendor.example --role executive --name "Eve Exec"
sed -e 's/taken_at: 2026-01-15/taken_at: 2026-03-31/' -e 's/organizational_capability: 1/organizational_capability: 3/' \
    -e 's/customer_experience: 1/customer_experience: 2/' -e 's/content_integration: 1/content_integration: 2/' \
    "$answers" > later.yaml
run 0 assess take --answers - --by eve@vendor.example --target-stage 3 --format json < later.yaml
python3 - "$out" <<'PY'
import json, sys
a = json.loads(sys.argv[1])
assert a["id"] == 2 and a["assessor"] == "eve@vendor.example" and a["target_stage"] == 3, a
assert a["scores"]["overall"]["median"] == 2 and a["scores"]["overall"]["min"] == 2, a["scores"]
PY
run 1 assess take --answers later.yaml --by ghost@vendor.example
has "--by ghost@vendor.example: no active user has that email" "$err"
run 0 user add sam@vendor.example --role seller --name "Sam Seller"
run 1 assess take --answers later.yaml --by sam@vendor.example
has "sam@vendor.example (seller) may not take maturity assessments" "$err"

run 0 assess history
expected="id  taken_at    by                  median  overall      Value Strategy  Value Execution  Value Tools & Resources  change
 1  2026-01-15  system                   2  II Emerging  2               2.5              2
 2  2026-03-31  eve@vendor.example       2  II Emerging  3               2.5              2                            +0"
[ "$out" = "$expected" ] || { diff <(echo "$expected") <(echo "$out"); exit 1; }
run 0 assess history --format json
python3 - "$out" <<'PY'
import json, sys
h = json.loads(sys.argv[1])
assert [a["id"] for a in h] == [1, 2] and "answers" not in h[0], h
PY
run 0 audit verify
