#!/usr/bin/env bash
# vos audit log: the history, oldest first, filtered by entity, limited, as a table or JSON.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 init
run 0 account add "Contoso Bank"
run 0 account add "Tailspin Retail" --industry Retail

run 0 audit log
expected_re='^seq +at +actor +operation +entity +changes
 *1 +20[0-9T:.-]+Z +system +organisation\.[a-z_]+ +organisation 1 +created
 *2 +20[0-9T:.-]+Z +system +account\.[a-z_]+ +account 1 +created
 *3 +20[0-9T:.-]+Z +system +account\.[a-z_]+ +account 2 +created$'
python3 -c 'import re,sys; assert re.fullmatch(sys.argv[1], sys.argv[2]), sys.argv[2]' "$expected_re" "$out"

run 0 audit log --entity account:2 --format json
python3 - "$out" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
assert len(r) == 1 and r[0]["seq"] == 3 and r[0]["entity_type"] == "account", r
assert r[0]["before"] is None and r[0]["after"]["name"] == "Tailspin Retail", r
assert r[0]["after"]["industry"] == "Retail" and len(r[0]["hash"]) == 64, r
PY
run 0 audit log --entity account
[ "$(grep -c 'account [12]' <<<"$out")" -eq 2 ]
run 0 audit log --limit 2
lacks "organisation 1" "$out"
grep -qE '^ *2 .*account 1' <<<"$out"
run 0 audit log --limit 2 --format json
python3 -c 'import json,sys; assert [r["seq"] for r in json.loads(sys.argv[1])] == [2, 3]' "$out"
run 0 audit log --entity case
[ "$out" = "no audit records" ]

# the chain links every record to the one before it
run 0 audit log --format json
python3 - "$out" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
assert r[0]["prev_hash"] == "0" * 64
for a, b in zip(r, r[1:]):
    assert b["prev_hash"] == a["hash"], (a, b)
PY

run 2 audit log --entity nosuch
has "--entity: " "$err"
run 2 audit log --entity account:x
run 2 audit log --limit 0
run 2 audit log --format yaml
run 2 audit frob
has "vos audit: unknown command 'frob'" "$err"
