#!/usr/bin/env bash
# Two vos processes writing at once: every write lands, once, and the audit chain stays valid.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 init
writer() {
  for i in $(seq 1 25); do
    "$VOS" account add "$1 $i" --segment "$1" >/dev/null 2>>"$1.err" || { echo "$1 $i failed" >>"$1.err"; exit 1; }
  done
}
writer alpha & a=$!
writer beta & b=$!
wait "$a" || { cat alpha.err; exit 1; }
wait "$b" || { cat beta.err; exit 1; }
[ "$(sqlite3 vos.db "SELECT count(*) FROM accounts WHERE name LIKE 'alpha %'")" -eq 25 ]
[ "$(sqlite3 vos.db "SELECT count(*) FROM accounts WHERE name LIKE 'beta %'")" -eq 25 ]
[ "$(audit_count)" -eq 51 ]
run 0 audit verify
has "audit chain verified: 51 records" "$out"
run 0 account list --format json
python3 -c 'import json,sys; a=json.loads(sys.argv[1]); assert len(a) == 50 and len({x["name"] for x in a}) == 50' "$out"
