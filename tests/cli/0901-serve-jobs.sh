#!/usr/bin/env bash
# vos serve works in the background: it sends the queued webhook events, evaluates the alerts
# on its schedule (an alert resolved by hand while its KPI still drifts is raised again), and
# stops cleanly on SIGTERM.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
D="$VOS_ROOT/tests/data/realization"
python3 "$D/webhook_receiver.py" &
receiver=$!
server=""
trap 'kill $receiver 2>/dev/null || true; [ -z "$server" ] || kill -9 $server 2>/dev/null || true' EXIT

day() { date -u -d "$1" +%F; }
sed -e "s/2026-01-01/$(day '-90 days')/" -e "s/2026-07-01/$(day '+90 days')/" \
  "$D/tiny-kpis.yaml" > kpis.yaml
run 0 init
run 0 model import "$D/tiny-desk.yaml"
run 0 model approve tiny-desk 1.0.0
run 0 account add Acme
run 0 case create --account Acme --name Desk --model tiny-desk
run 0 case commit 1 --kpis kpis.yaml
for _ in $(seq 100); do [ -s port ] && break; sleep 0.1; done
run 0 webhook add "http://127.0.0.1:$(cat port)/hook" --event alert.raised
printf 'account,kpi,time,value,source\nAcme,mttr,%sT08:00:00Z,9.9,itsm\n' "$(day '-10 days')" > m1.csv
run 0 ingest m1.csv
has "alerts: 1 raised" "$out"

# evaluation every 0.02 minutes (1.2 s), delivery every second
"$VOS" serve --listen 127.0.0.1:0 --port-file serve.port --evaluate-every 0.02 \
  --deliver-every 1 --quiet 2> serve.log &
server=$!
received() { [ -f received.jsonl ] && wc -l < received.jsonl || echo 0; }
for _ in $(seq 100); do [ "$(received)" -ge 1 ] && break; sleep 0.1; done
[ "$(received)" -eq 1 ] || { cat serve.log; exit 1; }

# resolved by hand while the KPI still drifts: the schedule raises a new alert and sends it
run 0 alerts resolve 1
for _ in $(seq 100); do [ "$(received)" -ge 2 ] && break; sleep 0.1; done
[ "$(received)" -eq 2 ] || { cat serve.log; exit 1; }
python3 - <<'PY'
import json
got = [json.loads(l) for l in open("received.jsonl")]
ids = [json.loads(g["body"])["alert"]["id"] for g in got]
assert ids == [1, 2], ids
assert all(g["headers"]["X-VOS-Event"] == "alert.raised" for g in got)
PY
run 0 alerts --status open
has "drift" "$out"

kill -TERM $server
for _ in $(seq 100); do kill -0 $server 2>/dev/null || break; sleep 0.1; done
set +e; wait $server; rc=$?; set -e
server=""
[ "$rc" -eq 0 ] || { echo "vos serve exited $rc"; cat serve.log; exit 1; }
if grep -q "Sanitizer" serve.log; then cat serve.log; exit 1; fi
has '"msg":"stopped"' "$(cat serve.log)"
run 0 audit verify
