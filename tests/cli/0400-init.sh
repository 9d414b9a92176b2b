#!/usr/bin/env bash
# vos init creates the database and the organisation once; again, it changes nothing and says so.
source "$VOS_ROOT/tests/cli/db-helpers.sh"

run 0 init --name "Northwind Software" --currency EUR
[ "$out" = "initialised sqlite:vos.db: organisation 'Northwind Software' (EUR)" ] || { echo "$out"; exit 1; }
[ "$(audit_count)" -eq 1 ]
[ "$(sqlite3 vos.db "SELECT entity_type FROM audit_log")" = organisation ]
before=$(db_state)
run 0 init --name "Other name"
[ "$out" = "sqlite:vos.db is already initialised; nothing changed" ] || { echo "$out"; exit 1; }
[ "$(db_state)" = "$before" ]
[ "$(sqlite3 vos.db 'SELECT name || "/" || currency FROM organisation')" = "Northwind Software/EUR" ]

# --db and VOS_DB pick the database; --db wins
run 0 init --db sqlite:other.db
has "initialised sqlite:other.db: organisation 'My organisation' (USD)" "$out"
VOS_DB=sqlite:env.db run 0 init
has "initialised sqlite:env.db" "$out"
[ -f env.db ]
VOS_DB=sqlite:env.db run 0 init --db sqlite:flag.db
has "initialised sqlite:flag.db" "$out"

# bad input names the field, and nothing is written
run 1 init --db sqlite:bad.db --currency usd
has "vos init: " "$err"
has "currency" "$err"
[ "$(sqlite3 bad.db 'SELECT count(*) FROM organisation')" -eq 0 ]
[ "$(sqlite3 bad.db 'SELECT count(*) FROM audit_log')" -eq 0 ]

# usage and failures
run 2 init --colour blue
has "vos init: unknown option '--colour'" "$err"
run 2 init extra
has "unexpected argument 'extra'" "$err"
run 0 init --help
has "usage: vos init" "$out"
printf 'not a database' > junk.db
run 3 init --db sqlite:junk.db
has "vos init: sqlite:junk.db: " "$err"
run 1 init --db postgres-ish:x
has "vos init: postgres-ish:x: " "$err"
