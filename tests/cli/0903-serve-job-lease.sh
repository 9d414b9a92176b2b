#!/usr/bin/env bash
# Two `vos serve` processes on one database share the background jobs: each scheduled run
# (alert evaluation, webhook delivery) takes the job's lease first, so while one process holds
# it the other skips its runs and logs that it did; a clean stop gives the leases up.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
s1=""; s2=""
trap 'for p in $s1 $s2; do kill -9 $p 2>/dev/null || true; done' EXIT
run 0 init

# evaluation every 0.02 minutes (1.2 s), delivery every second
serve() {
  "$VOS" serve --listen 127.0.0.1:0 --port-file "$1.port" --evaluate-every 0.02 \
    --deliver-every 1 --quiet 2> "$1.log" &
}
serve one; s1=$!
for _ in $(seq 100); do [ -s one.port ] && break; sleep 0.1; done
serve two; s2=$!
sleep 4

leases=$(sqlite3 vos.db "SELECT name || ' ' || holder FROM job_leases ORDER BY name")
grep -qE "^alerts.evaluate [^ ]+:($s1|$s2)$" <<<"$leases" || { echo "$leases"; exit 1; }
grep -qE "^webhooks.deliver [^ ]+:($s1|$s2)$" <<<"$leases" || { echo "$leases"; exit 1; }
logs=$(cat one.log two.log)
has '"msg":"run skipped: another process holds the job lease","job":"alerts.evaluate"' "$logs"
has '"msg":"run skipped: another process holds the job lease","job":"webhooks.deliver"' "$logs"
# logged once per series of skipped runs, not once per run
[ "$(grep -c '"job":"webhooks.deliver"' two.log)" -le 2 ] || { cat two.log; exit 1; }

for p in $s1 $s2; do kill -TERM $p; done
for p in $s1 $s2; do
  set +e; wait $p; rc=$?; set -e
  [ "$rc" -eq 0 ] || { echo "vos serve $p exited $rc"; cat one.log two.log; exit 1; }
done
s1=""; s2=""
if grep -q "Sanitizer" one.log two.log; then cat one.log two.log; exit 1; fi
# given up on stop: the leases end at once
now=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
[ "$(sqlite3 vos.db "SELECT count(*) FROM job_leases WHERE leased_until > '$now'")" -eq 0 ]
run 0 audit verify
