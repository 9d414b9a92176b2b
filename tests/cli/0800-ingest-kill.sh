#!/usr/bin/env bash
# vos ingest killed with SIGKILL at random moments, three times: every batch it acknowledged
# (--verbose prints a line once a batch is committed) is stored with all its points, no batch
# is stored in part, the file passes PRAGMA integrity_check (which also evaluates every CHECK
# constraint) and `vos audit verify`; a last run completes the file, and the database then
# holds exactly the file's distinct points.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 demo --models "$VOS_ROOT/models"

# 150,000 points of one series, one a minute: line L holds minute L - 2 after the base
rows=150000
python3 - "$rows" <<'PY'
import datetime, sys
n = int(sys.argv[1])
t0 = datetime.datetime(2024, 1, 1)
with open("big.csv", "w") as f:
    f.write("account,kpi,time,value,source\n")
    for i in range(n):
        t = (t0 + datetime.timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        f.write(f"Northwind Traders,mttr,{t},{(i % 997) / 100:.2f},kill test\n")
PY

# check_stored: every ingestion of big.csv holds all the points of its lines and nothing else
check_stored() {
  sqlite3 vos.db "PRAGMA integrity_check" | grep -qx ok || { echo "integrity_check failed"; exit 1; }
  python3 - <<'PY'
import re, sqlite3
db = sqlite3.connect("vos.db")
def minute(line):  # the stamp of a line of big.csv
    import datetime
    t = datetime.datetime(2024, 1, 1) + datetime.timedelta(minutes=line - 2)
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")
covered = 0
for ing, label in db.execute("SELECT id, label FROM ingestions WHERE label LIKE 'big.csv lines %'"):
    a, b = map(int, re.fullmatch(r"big\.csv lines (\d+)-(\d+)", label).groups())
    in_range = db.execute("SELECT count(*) FROM measurements WHERE source = 'kill test' AND "
                          "at BETWEEN ? AND ?", (minute(a), minute(b))).fetchone()[0]
    own = db.execute("SELECT count(*) FROM measurements WHERE ingestion_id = ?", (ing,)).fetchone()[0]
    assert in_range == b - a + 1, f"ingestion {ing} ({label}): {in_range} of {b - a + 1} points"
    assert 0 < own <= b - a + 1, f"ingestion {ing} ({label}) owns {own} points"
    covered += own
total = db.execute("SELECT count(*) FROM measurements WHERE source = 'kill test'").fetchone()[0]
assert total == covered, f"{total} points stored, {covered} in ingestions of big.csv"
PY
}

# check_acks FILE: each acknowledged batch is stored as it was acknowledged
check_acks() {
  { grep -E '^batch [0-9]+: lines [0-9]+-[0-9]+ committed: ' "$1" || true; } | while read -r line; do
    [[ $line =~ lines\ ([0-9]+)-([0-9]+)\ committed:\ ([0-9]+)\ rows,\ ([0-9]+)\ new.*ingestion\ ([0-9]+) ]] ||
      { echo "unexpected line: $line"; exit 1; }
    a=${BASH_REMATCH[1]} b=${BASH_REMATCH[2]} new=${BASH_REMATCH[4]} ing=${BASH_REMATCH[5]}
    got=$(sqlite3 vos.db "SELECT count(*) FROM measurements WHERE ingestion_id = $ing")
    label=$(sqlite3 vos.db "SELECT label FROM ingestions WHERE id = $ing")
    [ "$got" -eq "$new" ] || { echo "acknowledged $line, stored $got"; exit 1; }
    [ "$label" = "big.csv lines $a-$b" ] || { echo "ingestion $ing is labelled '$label'"; exit 1; }
  done
}

acked=0
for round in 1 2 3; do
  "$VOS" ingest big.csv --batch 2500 --verbose > "ack.$round" 2> "err.$round" &
  pid=$!
  sleep "$(python3 -c 'import random; print(round(random.uniform(0.5, 2.5), 2))')"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check_acks "ack.$round"
  check_stored
  run 0 audit verify
  acked=$((acked + $(grep -c ' committed: ' "ack.$round" || true)))
done

run 0 ingest big.csv --batch 2500
[[ $out =~ ingested\ $rows\ measurements\ \(([0-9]+)\ new,\ ([0-9]+)\ unchanged\) ]] || { echo "$out"; exit 1; }
before=${BASH_REMATCH[2]}
check_stored
[ "$(sqlite3 vos.db "SELECT count(*) FROM measurements WHERE source = 'kill test'")" -eq "$rows" ]
[ "$before" -ge $((acked * 2500)) ] || { echo "$before unchanged, $acked batches acknowledged"; exit 1; }
run 0 audit verify
run 0 ingest big.csv --batch 2500
has "ingested $rows measurements (0 new, $rows unchanged)" "$out"
