#!/usr/bin/env bash
# After storing new points, vos ingest evaluates the alerts of the accounts the file touched,
# and only theirs: a second account whose KPIs have no data (stale once evaluated) gets no
# alert from an ingestion for the first one; `vos alerts evaluate` then raises it.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 demo --models "$VOS_ROOT/models"
cat > kpis.yaml <<'YAML'
- kpi: mttr
  baseline: {value: 9.5, date: 2024-01-01}
  target: {value: 7, date: 2027-01-01}
- kpi: triage_effort
  baseline: {value: 4, date: 2024-01-01}
  target: {value: 1.5, date: 2027-01-01}
YAML
for name in "Alerts A" "Alerts B"; do
  run 0 account add "$name"
  run 0 case create --account "$name" --name Savings --model service-desk-automation --quiet
  run 0 case commit "$out" --kpis kpis.yaml
done
a=$(sqlite3 vos.db "SELECT id FROM accounts WHERE name = 'Alerts A'")
b=$(sqlite3 vos.db "SELECT id FROM accounts WHERE name = 'Alerts B'")
others=$(sqlite3 vos.db "SELECT count(*) FROM alerts WHERE account_id NOT IN ($a, $b)")

# mttr 12 h against a baseline of 9.5: drifting; triage_effort has no data: stale
printf 'account,kpi,time,value,source\nAlerts A,mttr,%s,12,meter\n' "$(date -u -d yesterday +%F)" \
  > a.csv
run 0 ingest a.csv
has "alerts: 2 raised, 0 resolved" "$out"
[ "$(sqlite3 vos.db "SELECT group_concat(kind, ' ') FROM (SELECT kind FROM alerts
      WHERE account_id = $a ORDER BY kind)")" = "drift stale" ]
[ "$(sqlite3 vos.db "SELECT count(*) FROM alerts WHERE account_id = $b")" -eq 0 ]
[ "$(sqlite3 vos.db "SELECT count(*) FROM alerts WHERE account_id NOT IN ($a, $b)")" -eq "$others" ]

# evaluating every case reaches the second account: both its KPIs are stale
run 0 alerts evaluate
[ "$(sqlite3 vos.db "SELECT count(*) FROM alerts WHERE account_id = $b AND kind = 'stale'")" -eq 2 ]
run 0 audit verify
