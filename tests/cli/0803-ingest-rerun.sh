#!/usr/bin/env bash
# Re-running vos ingest is idempotent: the same file again stores nothing (no ingestion, no
# audit record); a file that grew stores only its new rows; a file of several batches
# (--batch) writes one ingestion per batch with new points, labelled with its lines.  A point
# stored with another value stops the run at its line: the batches before it stay, its own
# batch is not written, and the message says so.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 demo --models "$VOS_ROOT/models"
python3 - <<'PY'
import datetime
t0 = datetime.datetime(2025, 1, 1)
def rows(n, value=lambda i: i / 4):
    return "".join(f"Northwind Traders,{'mttr' if i % 2 else 'triage_effort'},"
                   f"{(t0 + datetime.timedelta(hours=i // 2)).strftime('%Y-%m-%dT%H:%MZ')},"
                   f"{value(i)},rerun\n" for i in range(n))
head = "account,kpi,time,value,source\n"
open("a.csv", "w").write(head + rows(1000))
open("grown.csv", "w").write(head + rows(1300))
open("changed.csv", "w").write(head + rows(1400, lambda i: 99 if i == 1250 else i / 4))
PY
run 0 ingest a.csv --batch 300 --verbose
has "batch 1: lines 2-301 committed: 300 rows, 300 new, 0 unchanged" "$out"
has "batch 4: lines 902-1001 committed: 100 rows, 100 new, 0 unchanged" "$out"
has "ingested 1000 measurements (1000 new, 0 unchanged)" "$out"
[ "$(sqlite3 vos.db "SELECT group_concat(label, ';') FROM ingestions WHERE label LIKE 'a.csv%'")" = \
  "a.csv lines 2-301;a.csv lines 302-601;a.csv lines 602-901;a.csv lines 902-1001" ]

# the same again: nothing written at all
before=$(db_state)
run 0 ingest a.csv --batch 300 --verbose
has "batch 1: lines 2-301 stored already: 300 rows unchanged" "$out"
has "ingested 1000 measurements (0 new, 1000 unchanged)" "$out"
[ "$(db_state)" = "$before" ]

# a file that grew: only the new rows, in one batch (one ingestion)
records=$(audit_count)
run 0 ingest grown.csv
has "ingested 1300 measurements (300 new, 1000 unchanged)" "$out"
[ "$(audit_count)" -eq $((records + 1)) ]
[ "$(sqlite3 vos.db "SELECT count(*) FROM measurements WHERE source = 'rerun'")" -eq 1300 ]

# a changed value on line 1252 (in the batch of lines 1202-1401): the first batches stay
run 1 ingest changed.csv --batch 200 --verbose
has "batch 6: lines 1002-1201 stored already: 200 rows unchanged" "$out"
lacks "batch 7" "$out"
has "vos ingest: changed.csv: line 1252: KPI 'triage_effort' of account 'Northwind Traders' at 2025-01-27T01:00:00.000Z from 'rerun' is stored as 312.5, not 99; a measurement is never changed" "$err"
has "the batches before it are stored" "$err"
[ "$(sqlite3 vos.db "SELECT count(*) FROM measurements WHERE source = 'rerun'")" -eq 1300 ]
run 0 audit verify
