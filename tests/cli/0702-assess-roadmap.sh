#!/usr/bin/env bash
# vos assess roadmap: the dimensions below the target, largest gap first (then in the
# blueprint's order); one quarter per transition from --start; the blueprint's actions with
# owner and due date.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 init
run 0 user add val@vendor.example --role value_engineer --name "Val Engineer"
run 0 assess take --answers "$VOS_ROOT/tests/data/maturity/answers-2026.yaml"

# target IV (the assessment's): stage I (gap 3) organizational_capability, customer_experience,
# content_integration; stage II (gap 2) prioritization, value_narrative, targeting,
# engagement_timing, organizational_support, value_technology; stage III (gap 1)
# process_maturity, partners, content_creation.
run 0 assess roadmap --start 2026-11-30 --owner val@vendor.example
has "Roadmap of assessment 1 (2026-01-15) to IV Progressive, from 2026-11-30; owner: val@vendor.example" "$out"
has "12 dimensions below the target, largest gap first:" "$out"
order=$(grep -E '^  [A-Z].* gap [0-9]$' <<<"$out" | sed -E 's/ +(I|II|III|IV|V) .*gap ([0-9])$/ \2/; s/^  //')
expected="Scope of Organizational Capability 3
Customers' Value Experience 3
Value Content Integration 3
Organizational Prioritization of Customer Value 2
Design of Value Narrative 2
Targeting Criteria for Value Interactions 2
Timing of Value Engagement 2
Incremental Organizational Support for Value-Based Conversations 2
Value Technology 2
Value Management Process Maturity 1
Working with Partners 1
Value Content Creation 1"
[ "$order" = "$expected" ] || { diff <(echo "$expected") <(echo "$order"); exit 1; }
has "Quarter 1, 2026-11-30 to 2027-02-28: I. NASCENT TO II. EMERGING (gap 3)" "$out"
has "  for: organizational_capability, customer_experience, content_integration" "$out"
has "Quarter 2, 2027-02-28 to 2027-05-30: II. EMERGING TO III. ESTABLISHED (gap 2)" "$out"
has "Quarter 3, 2027-05-30 to 2027-08-30: III. ESTABLISHED TO IV. PROGRESSIVE (gap 1)" "$out"
has "   1. Collect the best examples of business cases and value-based content currently in use" "$out"
has "  30. CEO and top executives serve as value champions to the entire organization (not just sales), regularly emphasizing its priority and seeking ways to improve execution" "$out"
has "      owner val@vendor.example, due 2027-08-30" "$out"
has "        5. Understanding specifically how to coach a value-based selling approach, using the organization’s specific value-selling platform" "$out"

run 0 assess roadmap 1 --target II --start 2026-01-01 --format json
python3 - "$out" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
assert r["target"] == 2 and r["start"] == "2026-01-01" and r["owner"] is None, r
assert [i["dimension"] for i in r["items"]] == ["organizational_capability", "customer_experience", "content_integration"], r["items"]
assert all(i["current"] == 1 and i["next"] == 2 and i["gap"] == 1 for i in r["items"]), r["items"]
assert len(r["phases"]) == 1 and r["phases"][0]["due"] == "2026-04-01" and r["actions"] == 11, r
a = r["phases"][0]["actions"][0]
assert a == {"text": "Collect the best examples of business cases and value-based content currently in use", "steps": [], "owner": None, "due": "2026-04-01"}, a
PY
run 0 assess roadmap --target 1
has "Every dimension has reached the target stage." "$out"
run 1 assess roadmap --owner nobody@vendor.example
has "no user has the email 'nobody@vendor.example' (the roadmap's owner)" "$err"
run 1 assess roadmap --start 2026-02-30
has "the start '2026-02-30' is not a date YYYY-MM-DD" "$err"
run 1 assess roadmap 7
has "assessment 7 does not exist" "$err"
run 2 assess roadmap x
has "ID must be a number >= 1, not 'x'" "$err"
run 1 assess roadmap --db sqlite:empty.db
has "no assessment has been taken yet (vos assess take)" "$err"
