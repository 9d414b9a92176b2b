#!/usr/bin/env bash
# Runs every test of `make check` and ends with one summary line "N passed, N failed".
#   1. unit suites (Check, forked per test, ASan+UBSan build)
#   2. CLI cases tests/cli/NNNN-*.sh against the sanitizer build of `vos`
#   3. API cases tests/api/NNNN-*.json against `vos serve`, and the OpenAPI lint
#   4. each libFuzzer target over its committed corpus, then briefly on new inputs
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
if lint=$(timeout 600 scripts/openapi-lint.sh build/san/vos 2>&1); then
  passed=$((passed + 1)); echo "ok   openapi-lint"
else
  failed=$((failed + 1)); failures+=("openapi-lint"); echo "FAIL openapi-lint"; printf '%s\n' "$lint" | tail -40
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
