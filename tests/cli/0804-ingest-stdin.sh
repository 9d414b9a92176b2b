#!/usr/bin/env bash
# vos ingest - reads standard input: from a pipe (kept in a temporary copy, so that a file of
# several batches can be checked whole before anything is written, then read again) and from
# a redirected file; bad rows on standard input are reported with their lines.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 demo --models "$VOS_ROOT/models"
python3 - <<'PY'
import datetime
t0 = datetime.datetime(2025, 2, 1)
with open("in.csv", "w") as f:
    f.write("account,kpi,time,value,source\n")
    for i in range(700):
        f.write(f"Contoso Bank,mfa_coverage,{(t0 + datetime.timedelta(hours=i)).isoformat()}Z,"
                f"{40 + i / 100},stdin\n")
PY
# a pipe, three batches
set +e
out=$(cat in.csv | "$VOS" ingest - --batch 250 --verbose 2>.stderr)
rc=$?
set -e
[ "$rc" -eq 0 ] || { cat .stderr; exit 1; }
has "batch 3: lines 502-701 committed: 200 rows, 200 new, 0 unchanged" "$out"
has "ingested 700 measurements (700 new, 0 unchanged)" "$out"
[ "$(sqlite3 vos.db "SELECT count(*) FROM measurements WHERE source = 'stdin'")" -eq 700 ]
[ "$(sqlite3 vos.db "SELECT label FROM ingestions ORDER BY id DESC LIMIT 1")" = "lines 502-701" ]

# a redirected file, with a label; then the same points through a pipe change nothing
run 0 ingest - --label "from a file" < in.csv
has "ingested 700 measurements (0 new, 700 unchanged)" "$out"
before=$(db_state)
set +e
out=$(head -n 300 in.csv | "$VOS" ingest - 2>.stderr)
rc=$?
set -e
[ "$rc" -eq 0 ] || { cat .stderr; exit 1; }
has "ingested 299 measurements (0 new, 299 unchanged)" "$out"
[ "$(db_state)" = "$before" ]

# bad rows on standard input
set +e
out=$(printf 'account,kpi,time,value,source\nContoso Bank,mfa_coverage,2025-03-01,high,stdin\n' |
      "$VOS" ingest - 2>.stderr)
rc=$?
set -e
err=$(cat .stderr)
[ "$rc" -eq 1 ] || { echo "exit $rc"; exit 1; }
has "vos ingest: standard input: value 'high' on line 2 is not a number" "$err"
[ "$(db_state)" = "$before" ]
