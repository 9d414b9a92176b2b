#!/usr/bin/env bash
# The PostgreSQL benchmarks: the same ingestion and read-API work on SQLite and on PostgreSQL,
# in one run.
#   1. scripts/pg-cluster.sh starts a throwaway PostgreSQL cluster (fsync on, loopback only);
#   2. ingestion: a template store on each backend (`vos demo`, then 40 accounts with a
#      committed case of five KPIs, as bench/ingest does), a CSV file of BENCH_PG_POINTS hourly
#      readings (bench/ingest/gen_csv.py, default 1,000,000), then `vos ingest FILE` into each,
#      timed as a whole process with its peak resident memory (bench/ingest/measure.py); the
#      stored count and `vos audit verify` are checked on both;
#   3. the read API: bench/http/run.sh with BENCH_DB set to a new SQLite file and to a new
#      PostgreSQL database (hello-world, GET /accounts/1, GET /cases/1/figures under wrk);
#   4. bench/pg/report.py prints the table side by side and writes bench/out/pg-results.txt.
# Environment: VOS (default build/rel/vos), BENCH_PG_POINTS (default 1000000), BENCH_SECONDS
# (wrk's time per endpoint, default 10).  Exit status 1 when a step fails or counts differ.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=/usr/bin/python3
OUT=bench/out
VOS=${VOS:-build/rel/vos}
POINTS=${BENCH_PG_POINTS:-1000000}
ACCOUNTS=40

die() { echo "bench pg: $*" >&2; exit 1; }
[ -x "$VOS" ] || die "$VOS is missing: run 'make' (or 'make bench')"
command -v psql >/dev/null || die "psql is missing: scripts/install-deps.sh bench"
mkdir -p "$OUT"
dir=$(mktemp -d)
chmod 755 "$dir"
cleanup() {
  scripts/pg-cluster.sh stop "$dir/cluster" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
kv="$OUT/pg.txt"
: > "$kv"

echo "bench pg: starting a PostgreSQL cluster"
base=$(scripts/pg-cluster.sh start "$dir/cluster") || die "the cluster did not start"
# A URL naming database $1 on the cluster.
pg_url() { echo "${base%/*}/$1"; }
pg_create() { psql -q -X "$base" -c "CREATE DATABASE $1" >/dev/null || die "CREATE DATABASE $1"; }
{
  echo "date $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "cpu $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "cores $(nproc --all)"
  echo "postgres $(psql -X -At "$base" -c 'SHOW server_version')"
  echo "sqlite_version $(sqlite3 --version | cut -d' ' -f1)"
  echo "points $POINTS"
} >> "$kv"

# setup URL: the template of the ingestion benchmark on one store.
setup() {
  bench/ingest/template.sh "$VOS" "$1" "$dir/kpis.yaml" "$ACCOUNTS" || die "setup of $1 failed"
}

"$PY" bench/ingest/gen_csv.py "$dir/kpis-only.csv" 0 --kpis-dir "$dir"
sq="sqlite:$dir/ingest.db"
pg_create vos_ingest
pg=$(pg_url vos_ingest)
echo "bench pg: template stores ($ACCOUNTS accounts, 5 committed KPIs each) on both backends"
setup "$sq"
setup "$pg"
echo "bench pg: writing $POINTS points"
"$PY" bench/ingest/gen_csv.py "$dir/points.csv" "$POINTS"
sync

for backend in sqlite postgres; do
  db=$sq
  [ "$backend" = postgres ] && db=$pg
  echo "bench pg: vos ingest into $backend"
  "$PY" bench/ingest/measure.py "ingest_$backend" "$kv" "$VOS" ingest "$dir/points.csv" \
    --db "$db" > "$dir/ingest-$backend.out" || { cat "$dir/ingest-$backend.out"; die "failed"; }
  cat "$dir/ingest-$backend.out"
  "$VOS" audit verify --db "$db" >/dev/null || die "vos audit verify failed on $backend"
done
n_sq=$(sqlite3 "$dir/ingest.db" "SELECT count(*) FROM measurements")
n_pg=$(psql -X -At "$pg" -c "SELECT count(*) FROM measurements")
[ "$n_sq" -eq "$n_pg" ] || die "SQLite holds $n_sq points, PostgreSQL $n_pg"
echo "stored $n_pg" >> "$kv"

for backend in sqlite postgres; do
  db="sqlite:$dir/http.db"
  if [ "$backend" = postgres ]; then pg_create vos_http; db=$(pg_url vos_http); fi
  echo "bench pg: the read API on $backend"
  BENCH_DB=$db BENCH_TAG=$backend bench/http/run.sh > "$dir/http-$backend.out" ||
    { cat "$dir/http-$backend.out"; die "the API benchmark failed on $backend"; }
  sed "s/^/http_${backend}_/" "$OUT/http-$backend.txt" >> "$kv"
done

"$PY" bench/pg/report.py "$kv" > "$OUT/pg-results.txt"
cat "$OUT/pg-results.txt"
