#!/usr/bin/env bash
# Runs every test of `make check` and ends with one summary line "N passed, N failed".
#   1. unit suites (Check, forked per test, ASan+UBSan build)
#   2. CLI cases tests/cli/NNNN-*.sh against the sanitizer build of `vos`
#   3. API cases tests/api/NNNN-*.json against `vos serve`, and the OpenAPI lint
#   4. the store and app suites and the API cases again, on a throwaway PostgreSQL cluster
#   5. browser tests (tests/e2e)
#   6. each libFuzzer target over its committed corpus, then briefly on new inputs
# Environment: FUZZ_SECONDS (default 10) bounds the fresh fuzzing of each target.
set -u
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0 failed=0
failures=()

echo "== unit tests"
out=$(build/san/vos-test 2>&1); rc=$?
printf '%s\n' "$out"
line=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks: ' | tail -1)
if [ -n "$line" ]; then
  n=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
  f=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
  e=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
  passed=$((passed + n - f - e)); failed=$((failed + f + e))
  [ $((f + e)) -gt 0 ] && failures+=("unit: $f failures, $e errors")
  while IFS= read -r l; do failures+=("unit: $l"); done < <(printf '%s\n' "$out" | grep -E '^[^ ]+:[0-9]+:[FE]:')
fi
if [ -z "$line" ] || { [ $rc -ne 0 ] && [ ${#failures[@]} -eq 0 ]; }; then
  failed=$((failed + 1)); failures+=("unit runner exited $rc")
fi

echo "== CLI tests"
export VOS="$PWD/build/san/vos" VOS_ROOT="$PWD"
for t in tests/cli/[0-9]*.sh; do
  [ -e "$t" ] || continue
  name=$(basename "$t" .sh)
  tmp=$(mktemp -d)
  if (cd "$tmp" && timeout 120 bash "$VOS_ROOT/$t") >"$tmp/.log" 2>&1; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); failures+=("cli: $name"); echo "FAIL $name"; sed 's/^/    /' "$tmp/.log" | tail -30
  fi
  rm -rf "$tmp"
done

echo "== API tests"
# tests/api/run.py starts `vos serve` on a free port over a demo database and runs the case
# files tests/api/NNNN-*.json; it ends with "N passed, N failed".
# tests/api/matrix.py checks every route x every role against the permission table.
run_counted() { # NAME TIMEOUT COMMAND...: a runner that ends with "N passed, N failed"
  local name=$1 secs=$2; shift 2
  local out rc line p f
  out=$(timeout "$secs" "$@" 2>&1); rc=$?
  printf '%s\n' "$out"
  line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -1)
  if [ -n "$line" ]; then
    p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")
    f=$(sed -E 's/.*, ([0-9]+) failed$/\1/' <<<"$line")
    passed=$((passed + p)); failed=$((failed + f))
    while IFS= read -r l; do failures+=("$name: ${l#FAIL }"); done < <(printf '%s\n' "$out" | grep -E '^FAIL ' | cut -c1-200)
    if [ "$f" -eq 0 ] && [ $rc -ne 0 ]; then failed=$((failed + 1)); failures+=("$name runner exited $rc"); fi
  else
    failed=$((failed + 1)); failures+=("$name runner exited $rc")
  fi
}
run_counted api 900 python3 tests/api/run.py
run_counted matrix 300 python3 tests/api/matrix.py
multi_dir=$(mktemp -d)
run_counted multi 300 python3 tests/multi/two_servers.py "sqlite:$multi_dir/vos.db"
rm -rf "$multi_dir"
if lint=$(timeout 600 scripts/openapi-lint.sh build/san/vos 2>&1); then
  passed=$((passed + 1)); echo "ok   openapi-lint"
else
  failed=$((failed + 1)); failures+=("openapi-lint"); echo "FAIL openapi-lint"; printf '%s\n' "$lint" | tail -40
fi

echo "== PostgreSQL"
# scripts/pg-cluster.sh starts a throwaway server in a temporary directory (as an unprivileged
# user, on a free loopback port).  The store and app suites run against it with a database
# per test (store_fixture.h: "{db}"), then the API cases against `vos serve` over a demo
# database on it.  The cluster is removed however the phase ends.
pg_dir=""
pg_stop() {
  [ -n "$pg_dir" ] && timeout 60 scripts/pg-cluster.sh stop "$pg_dir" >/dev/null 2>&1
  pg_dir=""
}
trap pg_stop EXIT
trap 'pg_stop; exit 130' INT TERM
pg_unit() { # runs the suites store*, app* (not store_sqlite) on $pg_url, counted like unit
  local suites s out line n f e
  suites=$(scripts/gen-suites.sh tests/unit/*/test_*.c | sed -E 's/^X\((.*)\)$/\1/' |
             grep -E '^(store|app)(_|$)' | grep -vx store_sqlite)
  for s in $suites; do
    out=$(VOS_TEST_STORE_URL="${pg_url%/*}/{db}" VOS_TEST_PG_URL="${pg_url%/*}/{db}" \
          CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-4} timeout 900 build/san/vos-test "$s" 2>&1)
    line=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks: ' | tail -1)
    if [ -z "$line" ]; then
      failed=$((failed + 1)); failures+=("pg unit: suite $s printed no summary")
      printf '%s\n' "$out" | tail -20
      continue
    fi
    n=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
    f=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
    e=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
    passed=$((passed + n - f - e)); failed=$((failed + f + e))
    echo "pg $s: $line"
    while IFS= read -r l; do failures+=("pg unit: $l"); echo "    $l"; done \
      < <(printf '%s\n' "$out" | grep -E '^[^ ]+:[0-9]+:[FE]:')
  done
}
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  failed=$((failed + 1))
  failures+=("postgres: no server binaries in /usr/lib/postgresql/*/bin: run scripts/install-deps.sh check")
  echo "FAIL postgres: the PostgreSQL phase cannot run: no server binaries (install Debian's postgresql)"
else
  pg_dir=$(mktemp -d /tmp/vos-pg-XXXXXX) # a short path the postgres user can reach
  if pg_url=$(timeout 180 scripts/pg-cluster.sh start "$pg_dir" 2>"$pg_dir.err"); then
    echo "cluster: $pg_url"
    pg_unit
    pg_psql=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql
    # The API cases on the fresh database vos_api (the demo and every server of run.py), then
    # two servers writing at once on the fresh database vos_multi.
    if timeout 60 "$pg_psql" -X -q -d "$pg_url" -c 'CREATE DATABASE vos_api' >/dev/null; then
      export API_DB="${pg_url%/*}/vos_api"
      run_counted api-pg 900 python3 tests/api/run.py
      unset API_DB
    else
      failed=$((failed + 1)); failures+=("api-pg: cannot create the database vos_api")
    fi
    if timeout 60 "$pg_psql" -X -q -d "$pg_url" -c 'CREATE DATABASE vos_multi' >/dev/null; then
      run_counted multi-pg 300 python3 tests/multi/two_servers.py "${pg_url%/*}/vos_multi"
    else
      failed=$((failed + 1)); failures+=("multi-pg: cannot create the database vos_multi")
    fi
  else
    failed=$((failed + 1)); failures+=("postgres: the throwaway cluster did not start")
    echo "FAIL postgres: the throwaway cluster did not start"; tail -20 "$pg_dir.err"
  fi
  rm -f "$pg_dir.err"
  pg_stop
fi

echo "== browser tests"
# tests/e2e/run.sh builds web/dist when stale, serves a fresh demo database with
# `vos serve --web-root`, drives Debian's Chromium with playwright-core and ends with
# "N passed, N failed".
run_counted e2e 420 tests/e2e/run.sh

echo "== fuzz targets"
secs=${FUZZ_SECONDS:-10}
for f in build/fuzz/*; do
  [ -x "$f" ] || continue
  name=$(basename "$f")
  corpus="tests/fuzz/corpus/$name"
  work=$(mktemp -d)
  [ -d "$corpus" ] && cp -r "$corpus/." "$work/" 2>/dev/null
  if timeout $((secs + 60)) "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
       "$work" >"$work.log" 2>&1; then
    passed=$((passed + 1)); echo "ok   fuzz $name ($(grep -Eo 'stat::number_of_executed_units: [0-9]+|Done [0-9]+ runs' "$work.log" | tail -1))"
  else
    failed=$((failed + 1)); failures+=("fuzz: $name"); echo "FAIL fuzz $name"; tail -40 "$work.log"
  fi
  rm -rf "$work" "$work.log"
done

echo
for f in "${failures[@]}"; do echo "failed: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
