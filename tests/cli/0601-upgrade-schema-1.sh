#!/usr/bin/env bash
# A database made before migration 0002 (schema version 1) is brought up to date on open; its
# audit records, written before organisation.customer_measurements existed, still verify; and
# the new tables work on it.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
sqlite3 vos.db < "$VOS_ROOT/tests/data/db/schema-1.sql"
[ "$(sqlite3 vos.db 'PRAGMA user_version')" = 1 ]

run 0 audit verify
has "audit chain verified: 2 records, head f1d43e4e3f852a05193e3267438e72fe683f9d90269931501ced069eadd8c584" "$out"
# every migration of src/store/migrations/sqlite/ applied, in order
files=$(ls "$VOS_ROOT"/src/store/migrations/sqlite/[0-9]*.sql)
latest=$(basename "$(printf '%s\n' "$files" | tail -1)" | sed -E 's/^0*([0-9]+)_.*/\1/')
names=$(printf '%s\n' "$files" | xargs -n1 basename | sed -E 's/^[0-9]+_(.*)\.sql$/\1/' | paste -sd,)
[ "$(sqlite3 vos.db 'PRAGMA user_version')" = "$latest" ]
[ "$(sqlite3 vos.db 'SELECT customer_measurements FROM organisation')" = 0 ]
[ "$(sqlite3 vos.db 'SELECT group_concat(name) FROM schema_migrations ORDER BY version')" = "$names" ]

run 0 user add ana@vendor.example --role seller --password-stdin <<<"correct horse battery staple"
run 0 token create --user ana@vendor.example --name ci
run 0 audit verify
has "audit chain verified: 5 records" "$out"
