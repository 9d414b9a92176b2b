#!/usr/bin/env bash
# Browser tests of the web UI (tests/e2e/README.md): installs the test's npm packages with
# `npm ci` when missing, builds web/dist when stale (scripts/build-web.sh), loads the demo into
# a temporary database, serves it with `vos serve --web-root` on a free loopback port, drives
# Debian's Chromium with playwright-core (tests/e2e/run.mjs), stops the server with SIGTERM
# (it must exit 0 without sanitizer reports) and ends with "N passed, N failed".
# Usage: tests/e2e/run.sh [--screenshots] [NAME-SUBSTRING...]
# Environment: VOS (default build/san/vos), CHROMIUM (default /usr/bin/chromium),
#   E2E_TIMEOUT (seconds for the browser run, default 240), E2E_VERBOSE=1 (print the server log).
set -u
cd "$(dirname "$0")/../.."
root=$PWD
vos=${VOS:-build/san/vos}
case "$vos" in /*) ;; *) vos="$root/$vos" ;; esac
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
shots=""
if [ "${1:-}" = --screenshots ]; then shots="$root/docs/screenshots"; shift; fi
only=$(IFS=,; echo "$*")

fail() { echo "FAIL e2e: $*"; echo "0 passed, 1 failed"; exit 1; }
[ -x "$vos" ] || fail "$vos is not built (make $vos)"
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing (scripts/install-deps.sh check installs Debian's chromium)"
command -v node >/dev/null 2>&1 || fail "node is missing"
if [ ! -d tests/e2e/node_modules/playwright-core ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error) >/dev/null || fail "npm ci in tests/e2e failed"
fi
scripts/build-web.sh || fail "building web/dist failed"

tmp=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# The web root: a copy of web/dist with two symlinks out of it (static.mjs checks neither leaks).
secret="e2e-secret-$$-outside-the-web-root"
mkdir -p "$tmp/outside"
echo "$secret" > "$tmp/outside/secret.txt"
cp -r web/dist "$tmp/web"
ln -s "$tmp/outside/secret.txt" "$tmp/web/leak.txt"
ln -s ../../outside/secret.txt "$tmp/web/assets/leak.js"

"$vos" demo --db "sqlite:$tmp/vos.db" --models models >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log"; fail "vos demo failed"; }
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
"$vos" serve --db "sqlite:$tmp/vos.db" --listen 127.0.0.1:0 --port-file "$tmp/port" \
  --web-root "$tmp/web" --threads 2 --rate 2000 --burst 5000 --login-rate 2000 \
  >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do [ -s "$tmp/port" ] && break; sleep 0.1; done
[ -s "$tmp/port" ] || { cat "$tmp/server.log"; fail "the server did not start"; }
port=$(cat "$tmp/port")

out=$(E2E_BASE="http://127.0.0.1:$port" E2E_SCREENSHOTS="$shots" E2E_ONLY="$only" \
      E2E_SECRET="$secret" E2E_WEB_ROOT="$tmp/web" E2E_FAIL_DIR="$root/build/e2e-failures" \
      timeout "${E2E_TIMEOUT:-240}" node tests/e2e/run.mjs 2>&1)
rc=$?
summary=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -1)
printf '%s\n' "$out" | grep -Ev '^[0-9]+ passed, [0-9]+ failed$'
passed=0 failed=0
if [ -n "$summary" ]; then
  passed=${summary%% passed*}
  failed=$(sed -E 's/.*, ([0-9]+) failed$/\1/' <<<"$summary")
else
  echo "FAIL e2e: the browser run ended (exit $rc) without its summary"
  failed=$((failed + 1))
fi

kill -TERM "$server_pid"
code=0
for _ in $(seq 300); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server_pid" 2>/dev/null; then
  kill -KILL "$server_pid"; code=timeout
else
  wait "$server_pid"; code=$?
fi
server_pid=""
if [ "$code" != 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$tmp/server.log"; then
  echo "FAIL e2e server: exit $code or a sanitizer report"
  grep -E -A30 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$tmp/server.log" | head -60
  failed=$((failed + 1))
else
  echo "ok   e2e server: stopped cleanly, no sanitizer report"
  passed=$((passed + 1))
fi
if [ "${E2E_VERBOSE:-0}" = 1 ] || { [ "$failed" -gt 0 ] && [ "${E2E_VERBOSE:-0}" != 0 ]; }; then
  grep -v '"level":"info"' "$tmp/server.log" | tail -40
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
