#!/usr/bin/env bash
# The realization benchmark (issue 5): recompute the realization of 1,000 committed cases of
# 20 KPIs with 3 years of daily measurements (21,920,000 points), next to the same arithmetic
# as one SQL query run by the sqlite3 shell over the same database, in one run.
#   1. the database, made once and kept under BENCH_REAL_DIR (reused while the number of
#      cases and days are the same): bench/realization/gen.py writes the model, the KPI
#      commitment, the CSV file and the peer's query; `vos init`, the model imported and
#      approved, CASES accounts each with a case committed on it, then `vos ingest` of the
#      file (its time is printed, not reported);
#   2. timed as a whole process (bench/ingest/measure.py): `vos realization portfolio --as-of
#      LAST_DAY --format json`, which reads every case, its commitment and the measurements of
#      its KPIs and computes its realization through the app layer (the code of `vos
#      realization show`);
#   3. timed the same way: `sqlite3 -readonly DB .read peer.sql`, the realized value to date
#      of every case (monthly means of each KPI, times the driver's figures, summed);
#   4. bench/realization/report.py checks that the two totals agree and prints the table
#      (bench/out/realization-results.txt, key value lines in bench/out/realization.txt).
# Environment: VOS (default build/rel/vos), BENCH_REAL_CASES (default 1000), BENCH_REAL_DAYS
# (default 1096), BENCH_REAL_DIR (default bench/out/realization; about 120 bytes of disk per
# point, 3 GB at the default size), BENCH_REAL_REGEN=1 makes the database again.  Making it
# takes about 7 minutes at the default size on 2 cores; the timed part under a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=/usr/bin/python3
OUT=bench/out
VOS=${VOS:-build/rel/vos}
CASES=${BENCH_REAL_CASES:-1000}
DAYS=${BENCH_REAL_DAYS:-1096}
dir=${BENCH_REAL_DIR:-$OUT/realization}
db="$dir/vos.db"
url="sqlite:$db"

die() { echo "bench realization: $*" >&2; exit 1; }
[ -x "$VOS" ] || die "$VOS is missing: run 'make' (or 'make bench')"
command -v sqlite3 >/dev/null || die "the sqlite3 shell is missing: apt-get install sqlite3"
mkdir -p "$OUT" "$dir"

want="cases $CASES days $DAYS"
if [ "${BENCH_REAL_REGEN:-0}" = 1 ] || [ ! -f "$dir/params" ] ||
   [ "$(head -1 "$dir/params")" != "$want" ] || [ ! -f "$db" ]; then
  echo "bench realization: making the database ($CASES cases, $DAYS days; once)"
  rm -f "$db" "$db-wal" "$db-shm" "$dir/params"
  start=$(date -u -d "-$((DAYS + 2)) days" +%Y-%m-%d)
  "$PY" bench/realization/gen.py "$dir" "$CASES" "$DAYS" "$start"
  "$VOS" init --db "$url" --name "Realization benchmark" >/dev/null
  "$VOS" model import "$dir/model.yaml" --db "$url" >/dev/null 2>"$dir/import.log" ||
    { cat "$dir/import.log"; die "vos model import failed"; }
  "$VOS" model approve bench-realization 1.0.0 --db "$url" >/dev/null
  for i in $(seq 0 $((CASES - 1))); do
    name=$(printf "Realization %04d" "$i")
    "$VOS" account add "$name" --db "$url" >/dev/null
    id=$("$VOS" case create --account "$name" --name "Savings" --model bench-realization \
         --quiet --db "$url")
    "$VOS" case commit "$id" --kpis "$dir/kpis.yaml" --db "$url" >/dev/null
  done
  "$VOS" ingest "$dir/points.csv" --db "$url" || die "vos ingest failed"
  rm -f "$dir/points.csv"
  { echo "$want"; echo "start $start"; } > "$dir/params"
fi
start=$(sed -n 's/^start //p' "$dir/params")
as_of=$(date -u -d "$start + $((DAYS - 1)) days" +%Y-%m-%d)

kv="$OUT/realization.txt"
{
  echo "cases $CASES"
  echo "kpis 20"
  echo "days $DAYS"
  echo "points $(sqlite3 -readonly "$db" 'SELECT count(*) FROM measurements')"
  echo "as_of $as_of"
} > "$kv"

echo "bench realization: vos realization portfolio (as of $as_of)"
sync
"$PY" bench/ingest/measure.py vos "$kv" "$VOS" realization portfolio --as-of "$as_of" \
  --format json --db "$url" > "$dir/portfolio.json" || die "vos realization portfolio failed"

echo "bench realization: the peer, one SQL query in the sqlite3 shell"
"$PY" bench/ingest/measure.py peer "$kv" sqlite3 -readonly -batch -noheader -separator ' ' \
  "$db" ".read $dir/peer.sql" > "$dir/peer.txt" || die "the peer's query failed"

{ cat "$OUT/env.txt" 2>/dev/null || true; } >> "$kv"
"$PY" bench/realization/report.py "$kv" "$dir/portfolio.json" "$dir/peer.txt" \
  > "$OUT/realization-results.txt" || { cat "$OUT/realization-results.txt"; exit 1; }
cat "$OUT/realization-results.txt"
