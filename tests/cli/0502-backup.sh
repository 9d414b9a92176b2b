#!/usr/bin/env bash
# vos backup: an online copy (while another process writes), verified; an existing file is
# refused.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 init
for i in 1 2 3; do run 0 account add "Account $i"; done

run 0 backup copy.db
n=$(audit_count)
[ "$out" = "backup written to copy.db: $n audit records verified, head $(sqlite3 vos.db "SELECT hash FROM audit_log WHERE seq = $n")" ] || { echo "$out"; exit 1; }
[ "$(sqlite3 copy.db 'SELECT group_concat(name) FROM accounts')" = "Account 1,Account 2,Account 3" ]
run 0 audit verify --db sqlite:copy.db

# an existing file is never overwritten
before=$(sha256sum copy.db)
run 1 backup copy.db
has "vos backup: copy.db already exists; give a new file name" "$err"
[ "$(sha256sum copy.db)" = "$before" ]
run 3 backup no/such/dir/copy.db
has "vos backup: " "$err"
run 2 backup
run 2 backup a.db b.db

# online: a writer keeps adding accounts while the copies are taken
( for i in $(seq 10 40); do "$VOS" account add "Busy $i" >/dev/null 2>&1 || exit 1; done ) &
writer=$!
for k in 1 2 3; do
  run 0 backup "online-$k.db"
  run 0 audit verify --db "sqlite:online-$k.db"
done
wait "$writer"
run 0 audit verify
[ "$(sqlite3 vos.db 'SELECT count(*) FROM accounts')" -eq 34 ]
