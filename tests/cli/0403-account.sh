#!/usr/bin/env bash
# vos account add / list; duplicate names (without regard to case) are refused clearly.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 init

run 0 account add "Contoso Bank" --industry "Financial services" --size enterprise --segment emea --segment fsi
[ "$out" = "added account 'Contoso Bank' (id 1)" ] || { echo "$out"; exit 1; }
run 0 account add "Tailspin Retail" --size=smb
has "(id 2)" "$out"

before=$(db_state)
run 1 account add "CONTOSO bank"
[ "$err" = "vos account add: account name 'CONTOSO bank' already exists" ] || { echo "$err"; exit 1; }
run 1 account add "Bad	name"
has "vos account add: account name" "$err"
run 2 account add "Other" --size huge
has "--size must be smb, mid_market or enterprise, not 'huge'" "$err"
run 2 account add "Other" --colour red
has "unknown option '--colour'" "$err"
run 2 account add
[ "$(db_state)" = "$before" ]

run 0 account list
expected="id  name             industry            size        segments
 1  Contoso Bank     Financial services  enterprise  emea, fsi
 2  Tailspin Retail                      smb"
[ "$out" = "$expected" ] || { diff <(echo "$expected") <(echo "$out"); exit 1; }
run 0 account list --format json
python3 - "$out" <<'PY'
import json, sys
a = json.loads(sys.argv[1])
assert a[0]["name"] == "Contoso Bank" and a[0]["segments"] == ["emea", "fsi"], a
assert a[0]["size"] == "enterprise" and a[0]["industry"] == "Financial services", a
assert a[1]["industry"] is None and a[1]["segments"] == [] and a[1]["size"] == "smb", a
PY
run 0 account list --db sqlite:empty.db
has "no accounts" "$out"
