#!/usr/bin/env bash
# The read API benchmark: `vos serve` against a libmicrohttpd hello-world, in one run.
#   1. builds build/rel/http-hello (bench/http/hello.c: the same daemon flags, thread pool and
#      limits as vos serve);
#   2. loads the demo into a fresh database, creates an API token for admin@vos.demo and starts
#      `vos serve` on a free loopback port (rate limit raised out of the way, --quiet);
#   3. runs wrk (BENCH_THREADS threads, BENCH_CONNECTIONS connections, BENCH_SECONDS seconds
#      each, after a short warm-up) against the hello-world, GET /api/v1/accounts/1 (a read)
#      and GET /api/v1/cases/1/figures (a read that computes the case's three scenarios),
#      the last two with Authorization: Bearer;
#   4. bench/http/report.py prints requests/s, p99 latency and the ratio to the hello-world,
#      and writes bench/out/http.txt (key value) and bench/out/http-results.txt (the table).
# Environment: VOS (default build/rel/vos), BENCH_SECONDS (default 10), BENCH_THREADS (wrk
# threads, default 2), BENCH_CONNECTIONS (default 32), SERVE_THREADS (server worker threads,
# default: vos serve's default, the number of CPUs), BENCH_DB (the database URL: default a new
# SQLite file; any other URL must name an empty database, e.g. a PostgreSQL one), BENCH_TAG
# (written into the outputs' names: bench/out/http-TAG.txt; default none).
# Exit status 1 when a server does not start or answers anything but 2xx under load.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=/usr/bin/python3
OUT=bench/out
VOS=${VOS:-build/rel/vos}
HELLO=build/rel/http-hello
SECONDS_EACH=${BENCH_SECONDS:-10}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
WARMUP=2
RATE=1000000000 # per-token requests/s and burst of vos serve: no throttling during the run

die() { echo "bench http: $*" >&2; exit 1; }
[ -x "$VOS" ] || die "$VOS is missing: run 'make' (or 'make bench')"
command -v wrk >/dev/null || die "wrk is missing: apt-get install wrk"
bench/http/build.sh "$HELLO"

mkdir -p "$OUT"
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# Waits until a server has written its port file; prints the port.
wait_port() {
  local file=$1 pid=$2
  for _ in $(seq 1 200); do
    if [ -s "$file" ]; then cat "$file"; return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

db=${BENCH_DB:-sqlite:$tmp/bench.db}
suffix=${BENCH_TAG:+-$BENCH_TAG}
"$VOS" demo --db "$db" >/dev/null || die "vos demo failed"
token=$("$VOS" token create --user admin@vos.demo --name http-bench --db "$db" 2>/dev/null) ||
  die "vos token create failed"

threads=()
[ -n "${SERVE_THREADS:-}" ] && threads=(--threads "$SERVE_THREADS")
"$HELLO" --port-file "$tmp/hello.port" "${threads[@]}" 2>"$tmp/hello.log" &
pids+=($!)
hello_port=$(wait_port "$tmp/hello.port" "${pids[-1]}") || die "http-hello did not start"
"$VOS" serve --db "$db" --listen 127.0.0.1:0 --port-file "$tmp/vos.port" --quiet \
  --rate "$RATE" --burst "$RATE" "${threads[@]}" 2>"$tmp/vos.log" &
pids+=($!)
vos_port=$(wait_port "$tmp/vos.port" "${pids[-1]}") ||
  { cat "$tmp/vos.log" >&2; die "vos serve did not start"; }

auth="Authorization: Bearer $token"
# Both endpoints answer 200 before they are timed (wrk counts other statuses but runs on).
"$PY" - "http://127.0.0.1:$vos_port" "$token" <<'PYEOF' || die "an endpoint does not answer 200"
import sys, urllib.request
for path in ("/api/v1/accounts/1", "/api/v1/cases/1/figures"):
    req = urllib.request.Request(sys.argv[1] + path,
                                 headers={"Authorization": "Bearer " + sys.argv[2]})
    try:
        urllib.request.urlopen(req, timeout=30).read()
    except Exception as e:
        sys.exit("bench http: GET %s: %s" % (path, e))
PYEOF

{
  echo "date $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "cpu $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "cores $(nproc --all)"
  echo "mhd $(pkg-config --modversion libmicrohttpd)"
  echo "wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}')"
  echo "seconds $SECONDS_EACH"
  echo "wrk_threads $THREADS"
  echo "connections $CONNECTIONS"
  echo "server_threads ${SERVE_THREADS:-$(getconf _NPROCESSORS_ONLN)}"
  echo "load $(cut -d' ' -f1 /proc/loadavg)"
} > "$tmp/env.txt"

# run NAME PORT PATH [HEADER]: a warm-up, then the timed run into $tmp/NAME.wrk
run() {
  local name=$1 port=$2 path=$3 hdr=()
  [ $# -ge 4 ] && hdr=(-H "$4")
  local url="http://127.0.0.1:$port$path"
  echo "bench http: $name ($url, ${SECONDS_EACH} s)"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "${hdr[@]}" "$url" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "${hdr[@]}" "$url" \
    > "$tmp/$name.wrk"
}
run hello "$hello_port" /
run account "$vos_port" /api/v1/accounts/1 "$auth"
run figures "$vos_port" /api/v1/cases/1/figures "$auth"

status=0
echo "db ${db%%:*}" >> "$tmp/env.txt"
"$PY" bench/http/report.py "$tmp" "$OUT/http$suffix.txt" > "$OUT/http$suffix-results.txt" ||
  status=$?
cat "$OUT/http$suffix-results.txt"
[ "$status" -eq 0 ] || die "a server answered errors under load (see above)"
echo "bench http: wrote $OUT/http$suffix-results.txt and $OUT/http$suffix.txt"
