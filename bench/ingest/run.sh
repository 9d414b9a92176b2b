#!/usr/bin/env bash
# The measurement ingestion benchmark: `vos ingest` of a CSV file into a fresh SQLite
# database, next to the sqlite3 shell's `.import` of the same file into a plain table, in one
# run (DESIGN section 8: at least 300,000 points/s durable into SQLite from CSV).
#   1. a template database: `vos demo`, then ACCOUNTS accounts with a committed case on the
#      service-desk-automation model (five KPIs each) -- not timed;
#   2. bench/ingest/gen_csv.py writes BENCH_POINTS hourly readings of those 200 series
#      (default 10,000,000), time-ordered as a telemetry export is;
#   3. `vos ingest FILE` (the release build) into a copy of the template, timed as a whole
#      process with its peak resident memory (bench/ingest/measure.py); then the database is
#      checked: the point count, PRAGMA integrity_check and `vos audit verify` (timed too);
#   4. `sqlite3 peer.db ".import --csv --skip 1 FILE m"` the same way: the shell's CSV import
#      into a table of five text columns with the same unique key (account, kpi, time,
#      source), in its default (rollback journal, synchronous=FULL) mode;
#   5. the floor: bench/ingest/sqlite_floor.c (built here with cc) stores as many points of
#      the same shape into a copy of the template from a bare C loop: what SQLite itself takes
#      for VOS's schema, without CSV, checks or audit;
#   6. bench/ingest/report.py prints the table and writes bench/out/ingest.txt (key value)
#      and bench/out/ingest-results.txt.
# Environment: VOS (default build/rel/vos), BENCH_POINTS (default 10000000), BENCH_DIR (where
# the CSV and the databases go, default a new directory under TMPDIR; about 300 bytes of disk
# per point), BENCH_KEEP=1 keeps them.  Exit status 1 when a step fails or the counts differ.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=/usr/bin/python3
OUT=bench/out
VOS=${VOS:-build/rel/vos}
POINTS=${BENCH_POINTS:-10000000}
ACCOUNTS=40

die() { echo "bench ingest: $*" >&2; exit 1; }
[ -x "$VOS" ] || die "$VOS is missing: run 'make' (or 'make bench')"
command -v sqlite3 >/dev/null || die "the sqlite3 shell is missing: apt-get install sqlite3"
mkdir -p "$OUT"
dir=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$dir"
cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$dir"; }
trap cleanup EXIT
kv="$OUT/ingest.txt"
: > "$kv"

echo "bench ingest: template database ($ACCOUNTS accounts, 5 committed KPIs each)"
tmpl="$dir/template.db"
"$PY" bench/ingest/gen_csv.py "$dir/kpis-only.csv" 0 --kpis-dir "$dir"
bench/ingest/template.sh "$VOS" "sqlite:$tmpl" "$dir/kpis.yaml" "$ACCOUNTS" ||
  die "the template database failed"
base=$(sqlite3 "$tmpl" "SELECT count(*) FROM measurements")

echo "bench ingest: writing $POINTS points"
csv="$dir/points.csv"
"$PY" bench/ingest/gen_csv.py "$csv" "$POINTS"
{
  echo "points $POINTS"
  echo "series $((ACCOUNTS * 5))"
  echo "csv_bytes $(stat -c %s "$csv")"
  echo "sqlite_version $(sqlite3 --version | cut -d' ' -f1)"
} >> "$kv"
sync

echo "bench ingest: vos ingest"
db="$dir/vos.db"
cp "$tmpl" "$db"
"$PY" bench/ingest/measure.py vos "$kv" "$VOS" ingest "$csv" --db "sqlite:$db" \
  > "$dir/ingest.out" || { cat "$dir/ingest.out"; die "vos ingest failed"; }
cat "$dir/ingest.out"
sed -n 's/^ingested [0-9]* measurements ([0-9]* new, [0-9]* unchanged) in \([0-9.]*\) s$/vos_ingest_s \1/p' \
  "$dir/ingest.out" >> "$kv"
stored=$(sqlite3 "$db" "SELECT count(*) FROM measurements")
[ "$stored" -eq $((base + POINTS)) ] || die "$stored points stored, expected $((base + POINTS))"
echo "vos_db_bytes $(($(stat -c %s "$db") + $(stat -c %s "$db-wal" 2>/dev/null || echo 0)))" >> "$kv"
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || die "integrity_check failed"
"$PY" bench/ingest/measure.py verify "$kv" "$VOS" audit verify --db "sqlite:$db" ||
  die "vos audit verify failed"

echo "bench ingest: sqlite3 .import"
peer="$dir/peer.db"
# the same unique key as VOS's measurements, so that the shell's import checks it too
sqlite3 "$peer" "CREATE TABLE m (account TEXT, kpi TEXT, time TEXT, value TEXT, source TEXT,
                                 UNIQUE (account, kpi, time, source))"
"$PY" bench/ingest/measure.py sqlite3 "$kv" sqlite3 "$peer" ".import --csv --skip 1 $csv m" ||
  die "the sqlite3 shell's .import failed"
[ "$(sqlite3 "$peer" 'SELECT count(*) FROM m')" -eq "$POINTS" ] || die "the peer lost rows"
echo "peer_db_bytes $(stat -c %s "$peer")" >> "$kv"

echo "bench ingest: the SQLite floor (bench/ingest/sqlite_floor.c)"
cc -std=c17 -D_POSIX_C_SOURCE=200809L -O2 -o "$dir/sqlite_floor" bench/ingest/sqlite_floor.c \
  $(pkg-config --cflags --libs sqlite3) || die "cannot build sqlite_floor"
cp "$tmpl" "$dir/floor.db"
first=$(sqlite3 "$tmpl" "SELECT min(id) FROM accounts WHERE name LIKE 'Bench Account %'")
"$dir/sqlite_floor" "$dir/floor.db" "$POINTS" "$first" "$ACCOUNTS" >> "$kv" ||
  die "sqlite_floor failed"

{ cat "$OUT/env.txt" 2>/dev/null || true; } >> "$kv"
"$PY" bench/ingest/report.py "$kv" > "$OUT/ingest-results.txt"
cat "$OUT/ingest-results.txt"
