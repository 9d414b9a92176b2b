#!/usr/bin/env bash
# Runs the value-engine benchmarks with their peers and writes bench/out/results.txt.
#   1. bench/gen_model.py generates the 50-driver, 36-month model as YAML, as a Gnumeric
#      workbook of formulas, and as data for the numpy peer (one fixed seed).
#   2. build/rel/vos-bench times vos_case_compute and vos_case_simulate (10,000 iterations).
#   3. Gnumeric's `ssconvert --recalc` recalculates the workbook (wall time per run, process
#      start included); the numpy peer runs the same Monte Carlo.
#   4. bench/report.py checks that VOS, the spreadsheet and numpy agree and prints the table.
#   5. bench/http/run.sh measures the read API (`vos serve` under wrk, next to a libmicrohttpd
#      hello-world) and its table is appended to the results.
#   6. bench/ingest/run.sh measures `vos ingest` of a CSV file of BENCH_POINTS measurements
#      (default 10,000,000) next to the sqlite3 shell's .import; its table is appended too.
#   7. bench/realization/run.sh recomputes the realization of 1,000 committed cases of 20 KPIs
#      with 3 years of daily measurements, next to the same arithmetic in SQL; it runs when its
#      database exists (bench/out/realization) or BENCH_REALIZATION=1 asks to make it (about
#      7 minutes, 3 GB of disk, once); its table is appended too.
#   8. bench/pg/run.sh runs the ingestion (BENCH_PG_POINTS, default 1,000,000) and read-API
#      benchmarks on a throwaway PostgreSQL cluster next to SQLite; its table is appended.
# Environment: VOS_BENCH, VOS (binaries; default build/rel/...), BENCH_RUNS (timed runs of
# each whole-process command, default 10), BENCH_CPU (pin every process to that CPU),
# BENCH_SECONDS (wrk's time per API endpoint, default 10), BENCH_POINTS (points of the
# ingestion benchmark, default 10000000), BENCH_REALIZATION=1 (make the realization
# benchmark's database when it is missing).
# `make bench` builds the binaries first.  Exit status 1 when the figures disagree or the API
# benchmark fails.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=/usr/bin/python3
OUT=bench/out
BENCH=${VOS_BENCH:-build/rel/vos-bench}
VOS=${VOS:-build/rel/vos}
RUNS=${BENCH_RUNS:-10}
ITERATIONS=10000
SEED=42

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$BENCH" ] || die "$BENCH is missing: run 'make bench'"
command -v ssconvert >/dev/null || die "ssconvert is missing: scripts/install-deps.sh bench"
"$PY" -c 'import numpy' 2>/dev/null || die "numpy is missing: scripts/install-deps.sh bench"

mkdir -p "$OUT"
rm -f "$OUT"/{vos,numpy,gnumeric,wall,env}.txt "$OUT"/results.txt
"$PY" bench/gen_model.py "$OUT"

{
  echo "date $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "cpu $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "cores $(nproc --all)"
  echo "cc $(${CC:-cc} --version | head -1)"
  echo "python $("$PY" -c 'import platform; print(platform.python_version())')"
  echo "pinned ${BENCH_CPU:-no}"
} > "$OUT/env.txt"

# One thread everywhere: the budgets are for one core.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
pin=()
if [ -n "${BENCH_CPU:-}" ]; then
  pin=(taskset -c "$BENCH_CPU")
fi

echo "bench: VOS engine"
"${pin[@]}" "$BENCH" "$OUT/bench50.yaml" --iterations "$ITERATIONS" --seed "$SEED" \
  > "$OUT/vos.txt"
echo "bench: numpy Monte Carlo"
"${pin[@]}" "$PY" bench/peer_numpy.py "$OUT/bench50.json" "$ITERATIONS" "$SEED" 7 \
  > "$OUT/numpy.txt"
echo "bench: gnumeric recalculation"
"$PY" bench/peer_gnumeric.py "$OUT/bench50.gnumeric" > "$OUT/gnumeric.txt"
"${pin[@]}" "$PY" bench/wall.py ssconvert "$RUNS" \
  ssconvert --recalc "$OUT/bench50.gnumeric" "$OUT/bench50.csv" > "$OUT/wall.txt"
"${pin[@]}" "$PY" bench/wall.py start "$RUNS" \
  ssconvert --recalc "$OUT/tiny.gnumeric" "$OUT/tiny.csv" >> "$OUT/wall.txt"
"${pin[@]}" "$PY" bench/wall.py copies "$(( (RUNS + 1) / 2 ))" \
  ssconvert --recalc "$OUT/bench50x20.gnumeric" "$OUT/bench50x20.csv" >> "$OUT/wall.txt"
echo "copies 20" >> "$OUT/wall.txt"
if [ -x "$VOS" ] && "$VOS" case compute "$OUT/bench50.yaml" >/dev/null 2>&1; then
  "${pin[@]}" "$PY" bench/wall.py cli "$RUNS" "$VOS" case compute "$OUT/bench50.yaml" \
    >> "$OUT/wall.txt"
fi

echo
status=0
"$PY" bench/report.py "$OUT" > "$OUT/results.txt" || status=$?
cat "$OUT/results.txt"

echo
echo "bench: read API (bench/http/run.sh)"
VOS="$VOS" bench/http/run.sh || die "the API benchmark failed (see above)"
{ echo; cat "$OUT/http-results.txt"; } >> "$OUT/results.txt"

echo
echo "bench: measurement ingestion (bench/ingest/run.sh)"
VOS="$VOS" bench/ingest/run.sh || die "the ingestion benchmark failed (see above)"
{ echo; cat "$OUT/ingest-results.txt"; } >> "$OUT/results.txt"

echo
if [ "${BENCH_REALIZATION:-0}" = 1 ] || [ -f "$OUT/realization/params" ]; then
  echo "bench: realization (bench/realization/run.sh)"
  VOS="$VOS" bench/realization/run.sh || die "the realization benchmark failed (see above)"
  { echo; cat "$OUT/realization-results.txt"; } >> "$OUT/results.txt"
else
  echo "bench: realization skipped: BENCH_REALIZATION=1 makes its database (once, about 7 minutes)"
fi

echo
echo "bench: PostgreSQL next to SQLite (bench/pg/run.sh)"
VOS="$VOS" bench/pg/run.sh || die "the PostgreSQL benchmark failed (see above)"
{ echo; cat "$OUT/pg-results.txt"; } >> "$OUT/results.txt"
[ "$status" -eq 0 ] || die "the figures disagree (see above)"
echo "bench: wrote $OUT/results.txt"
