#!/usr/bin/env bash
# vos migrate: the demo installation copied into a new SQLite database, row for row, and
# verified; a target that holds data, or the source itself, is refused and left unchanged.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
(cd "$VOS_ROOT" && "$VOS" demo --db "sqlite:$OLDPWD/vos.db") > demo.out 2> demo.err || {
  cat demo.out demo.err; exit 1; }

run 0 migrate --from sqlite:vos.db --to sqlite:new.db
n=$(audit_count)
head=$(sqlite3 vos.db "SELECT hash FROM audit_log WHERE seq = $n")
has "copied sqlite:vos.db to sqlite:new.db" "$out"
has "audit head $head" "$out"
has "audit chain verified: $n records" "$out"
accounts=$(sqlite3 vos.db 'SELECT count(*) FROM accounts')
has "account $accounts/$accounts" "$err"
has "audit $n/$n" "$err"
grep -qE '^account +'"$accounts"'$' <<<"$out" || { echo "$out"; exit 1; }

# every table the copy covers holds the same rows, column for column (sessions are not copied)
for t in organisation users accounts models model_versions benchmarks cases commitments \
         commitment_kpis ingestions measurements proof_points alerts api_tokens webhooks \
         assessments assessment_answers audit_log credentials webhook_secrets webhook_outbox; do
  a=$(sqlite3 vos.db "SELECT * FROM $t ORDER BY 1" | sha256sum)
  b=$(sqlite3 new.db "SELECT * FROM $t ORDER BY 1" | sha256sum)
  [ "$a" = "$b" ] || { echo "table $t differs"; exit 1; }
done
[ "$(sqlite3 new.db 'SELECT count(*) FROM measurements')" -gt 0 ]
[ "$(sqlite3 new.db 'SELECT count(*) FROM credentials')" -gt 0 ]
run 0 audit verify --db sqlite:new.db
has "audit chain verified: $n records, head $head" "$out"

# the copy goes on by itself: a new account gets the next id, the chain still verifies
max=$(sqlite3 new.db 'SELECT max(id) FROM accounts')
run 0 account add "Hooli" --db sqlite:new.db
[ "$(sqlite3 new.db "SELECT id FROM accounts WHERE name = 'Hooli'")" -eq $((max + 1)) ]
run 0 audit verify --db sqlite:new.db

# refused: a target that holds data (unchanged), the source itself, bad usage
before=$(sqlite3 new.db .dump | sha256sum)
run 1 migrate --from sqlite:vos.db --to sqlite:new.db --quiet
has "vos migrate: the target store is not empty: it holds 1 organisation row" "$err"
[ "$(sqlite3 new.db .dump | sha256sum)" = "$before" ]
run 1 migrate --from sqlite:vos.db --to sqlite:./vos.db
has "vos migrate: --from and --to name the same database" "$err"
run 2 migrate --from sqlite:vos.db
has "give both --from URL and --to URL" "$err"
run 2 migrate --from sqlite:vos.db --to sqlite:x.db extra
run 2 migrate --from sqlite:vos.db --to sqlite:x.db --bogus
run 1 migrate --from nosuch:vos.db --to sqlite:x.db
has "unknown store scheme 'nosuch'" "$err"
run 0 migrate --help
has "usage: vos migrate --from URL --to URL [--quiet]" "$out"

# a source file that does not exist is refused, and not created
run 1 migrate --from sqlite:missing.db --to sqlite:missing-copy.db
has "vos migrate: the database to copy, sqlite:missing.db, does not exist" "$err"
[ ! -e missing.db ] && [ ! -e missing-copy.db ] || { echo "a database was created"; exit 1; }

# --quiet: no progress lines; an empty source copies to an empty target
run 0 account list --db sqlite:empty.db
run 0 migrate --from sqlite:empty.db --to sqlite:empty-copy.db --quiet
[ -z "$err" ] || { echo "$err"; exit 1; }
has "audit chain verified: 0 records" "$out"

# a password in a URL is never repeated: not in refusals, nor when a store cannot be opened
run 1 migrate --from "postgres://vos:s3cret-pw@127.0.0.1:1/vos" --to "postgres://vos:s3cret-pw@127.0.0.1:1/vos"
has "the same database (postgres://vos:***@127.0.0.1:1/vos)" "$err"
lacks "s3cret-pw" "$err"
run 3 account list --db "postgres://vos:s3cret-pw@127.0.0.1:1/vos?connect_timeout=2"
has "vos account list: postgres://vos:***@127.0.0.1:1/vos?connect_timeout=2: " "$err"
lacks "s3cret-pw" "$err"
