#!/usr/bin/env bash
# Webhooks: the event of an alert is queued with the alert (by the evaluation that follows an
# ingestion) and POSTed with a signature that Python's hmac module verifies; a receiver that
# answers 500 gets the same delivery again later; an event whose sender was killed in the
# middle of the request is delivered by the next sender once the first one's lease ran out.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
D="$VOS_ROOT/tests/data/realization"
python3 "$D/webhook_receiver.py" &
receiver=$!
trap 'kill $receiver 2>/dev/null || true' EXIT

# the tiny model, committed with a baseline 90 days ago and a target 90 days ahead
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
port=$(cat port)
secret=receiver-shared-secret-0900
run 0 webhook add "http://127.0.0.1:$port/hook" --secret "$secret"
has "webhook 1 added" "$out"
lacks "$secret" "$out"
[ "$(sqlite3 vos.db "SELECT count(*) FROM audit_log WHERE ifnull(after_json, '') LIKE '%$secret%'")" = 0 ]
run 0 webhook list
has "http://127.0.0.1:$port/hook" "$out"

# mttr 9.9 ten days ago, planned about 9.0 by now: drifting; the ingestion evaluates the alerts
printf 'account,kpi,time,value,source\nAcme,mttr,%sT08:00:00Z,9.9,itsm\n' "$(day '-10 days')" > m1.csv
run 0 ingest m1.csv
has "alerts: 1 raised, 0 resolved" "$out"
run 0 alerts
has "drift" "$out"
run 0 webhook deliveries
has "alert.raised" "$out"
has "pending" "$out"

# the receiver fails: retried later (not now), then sent again with --all
echo fail > mode
run 0 webhook deliver
has "attempted 1: 0 delivered, 1 to retry, 0 failed" "$out"
run 0 webhook deliver
has "attempted 0:" "$out"
run 0 webhook deliveries --format json
python3 - "$out" <<'PY'
import json, sys, datetime
d = json.loads(sys.argv[1])[0]
assert d["attempts"] == 1 and d["last_status"] == 500 and d["state"] == "pending", d
assert "HTTP 500" in d["last_error"], d
due = datetime.datetime.strptime(d["next_attempt_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
wait = (due - datetime.datetime.utcnow()).total_seconds()
assert 30 < wait <= 61, wait  # the first retry waits a minute
PY
echo ok > mode
run 0 webhook deliver --all
has "attempted 1: 1 delivered, 0 to retry, 0 failed" "$out"

# both attempts: the same delivery, signed over timestamp "." body
python3 - "$secret" <<'PY'
import hashlib, hmac, json, sys, time
secret = sys.argv[1].encode()
got = [json.loads(l) for l in open("received.jsonl")]
assert [g["mode"] for g in got] == ["fail", "ok"], got
for g in got:
    h = {k.lower(): v for k, v in g["headers"].items()}
    ts, body = h["x-vos-timestamp"], g["body"]
    want = "sha256=" + hmac.new(secret, (ts + "." + body).encode(), hashlib.sha256).hexdigest()
    assert hmac.compare_digest(h["x-vos-signature"], want), (h, want)
    assert abs(time.time() - int(ts)) < 300, ts
    assert h["x-vos-event"] == "alert.raised" and h["content-type"] == "application/json", h
    event = json.loads(body)
    assert event["event"] == "alert.raised", event
    a = event["alert"]
    assert a["kind"] == "drift" and a["kpi_key"] == "mttr" and a["account"] == "Acme", a
    assert a["case"] == "Desk" and a["status"] == "open", a
assert got[0]["headers"]["X-VOS-Delivery"] == got[1]["headers"]["X-VOS-Delivery"], got
PY

# back on plan: the alert resolves itself and queues alert.resolved
printf 'account,kpi,time,value,source\nAcme,mttr,%sT08:00:00Z,8.9,itsm\n' "$(day '-1 days')" > m2.csv
run 0 ingest m2.csv
has "alerts: 0 raised, 1 resolved" "$out"

# the sender is killed while the receiver hangs: the next sender waits for the lease
# (1 x 3 s timeout + 5 s), then delivers the same event
echo hang > mode
"$VOS" webhook deliver --timeout 3 > killed.out 2>&1 &
sender=$!
for _ in $(seq 100); do [ "$(wc -l < received.jsonl)" -ge 3 ] && break; sleep 0.1; done
[ "$(wc -l < received.jsonl)" -eq 3 ]
kill -9 $sender
wait $sender 2>/dev/null || true
echo ok > mode
run 0 webhook deliver --timeout 3
has "attempted 0:" "$out"
delivered=""
for _ in $(seq 30); do
  run 0 webhook deliver --timeout 3
  if grep -qF "1 delivered" <<<"$out"; then delivered=yes; break; fi
  sleep 0.5
done
[ "$delivered" = yes ] || { echo "the event was not delivered after the lease"; exit 1; }
python3 - <<'PY'
import json
got = [json.loads(l) for l in open("received.jsonl")]
assert [g["mode"] for g in got] == ["fail", "ok", "hang", "ok"], [g["mode"] for g in got]
assert got[2]["headers"]["X-VOS-Delivery"] == got[3]["headers"]["X-VOS-Delivery"]
assert got[3]["headers"]["X-VOS-Event"] == "alert.resolved"
assert json.loads(got[3]["body"])["alert"]["status"] == "resolved"
PY
run 0 webhook deliveries --format json
python3 - "$out" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert [x["state"] for x in d] == ["delivered", "delivered"], d
assert [x["attempts"] for x in d] == [2, 1], d
PY
run 0 audit verify
run 0 webhook remove 1
run 1 webhook remove 1
has "webhook 1 does not exist" "$err"
