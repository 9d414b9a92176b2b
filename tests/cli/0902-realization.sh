#!/usr/bin/env bash
# vos realization show / portfolio, vos case plan and vos alerts on the tiny model, whose
# figures are worked by hand from docs/realization.md: 10,000 USD a month planned; realized
# 100 * (10 - mean mttr of the period) * 50 a month; periods of 365.25 / 12 days from the
# baseline date 2026-01-01; costs 100 USD a month.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
D="$VOS_ROOT/tests/data/realization"
run 0 init
run 0 model import "$D/tiny-desk.yaml"
run 0 model approve tiny-desk 1.0.0
run 0 account add Acme
run 0 account add Globex
run 0 case create --account Acme --name Desk --model tiny-desk
run 0 case create --account Globex --name Draft --model tiny-desk
run 0 case commit 1 --kpis "$D/tiny-kpis.yaml"
cat > m.csv <<'CSV'
account,kpi,time,value,source
Acme,mttr,2026-01-15T00:00:00Z,9.5,itsm
Acme,mttr,2026-02-15T00:00:00Z,9.0,itsm
Acme,mttr,2026-03-10T00:00:00Z,8.8,itsm
CSV
run 0 ingest m.csv

# two periods have ended by the end of 2026-03-31: 2,500 + 5,000 realized of 20,000 planned
run 0 realization show 1 --as-of 2026-03-31 --format json
python3 - "$out" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
assert r["as_of"] == "2026-03-31T23:59:59.999Z" and r["start"] == "2026-01-01", r
assert r["periods_elapsed"] == 2, r
close = lambda a, b: abs(a - b) <= 1e-9 * max(1, abs(b))
assert close(r["realized_to_date"], 7500) and close(r["planned_to_date"], 20000), r
assert close(r["committed_total"], 120000) and close(r["costs_to_date"], 200), r
assert close(r["percent_of_plan"], 0.375) and close(r["roi_realized"], 36.5), r
assert close(r["committed_npv"], 118800), r
k = r["kpis"][0]
assert k["kpi"] == "mttr" and k["actual"] == 8.8 and close(k["progress"], 0.6), k
assert k["measurements"] == 3 and k["actual_at"] == "2026-03-10T00:00:00.000Z", k
d = r["drivers"][0]
assert d["driver"] == "agent_time" and close(d["realized_per_period"][1], 2500), d
assert close(d["realized_per_period"][2], 5000) and d["realized_per_period"][3] == 0, d
assert close(r["levers"]["cost"]["realized_to_date"], 7500), r
PY
run 0 realization show 1 --as-of 2026-03-31
has "realized to date 7,500" "$out"
has "37.5% of the plan to date" "$out"
has "mttr" "$out"

run 0 realization portfolio --as-of 2026-03-31 --format json
python3 - "$out" <<'PY'
import json, sys
p = json.loads(sys.argv[1])
assert p["cases"] == 1 and abs(p["realization_rate"] - 0.375) < 1e-12, p
assert [a["name"] for a in p["accounts"]] == ["Acme"], p
PY
run 0 realization portfolio --as-of 2026-03-31
has "Acme" "$out"

# the success plan: Q1 holds 3 months of 10,000 and 300 of costs; the NPV is 118,800
run 0 case plan 1 -o plan.md
grep -qF "# Success plan: Desk (Acme)" plan.md
grep -qF "| NPV | 118,800 |" plan.md
grep -qF "| Q1 | 2026-01-01 | 2026-04-01 | 30,000 | 300 | 29,700 |" plan.md || { cat plan.md; exit 1; }
grep -qF "| Mean time to resolve (mttr) | h | 10 | 2026-01-01 | 8 | 2026-07-01 | linear | 10% |" plan.md
run 0 case plan 1 -o plan.html
grep -qF "<!DOCTYPE html>" plan.html
grep -qF "<td class=\"n\">118,800</td>" plan.html
run 0 case plan 1 -o - --format html
has "</html>" "$out"
run 1 case plan 2 -o draft.md
has "has no commitment" "$err"
[ ! -e draft.md ]
run 2 case plan 1 -o plan.txt
has "cannot tell the format" "$err"

# alerts at a chosen moment: mttr 8.8 on 2026-03-10 is ahead of the plan on 2026-03-31
run 0 alerts evaluate --as-of 2026-03-31
run 0 alerts --case 1 --status all --kind drift --format json
python3 - "$out" <<'PY'
import json, sys
assert all(a["status"] == "resolved" for a in json.loads(sys.argv[1])), sys.argv[1]
PY
# long after the target date, short of it: a missed milestone (and stale data)
run 0 alerts evaluate --as-of 2026-08-01 --format json
has '"cases":1' "$out"
run 0 alerts --kind milestone_missed
has "missed its target of 8 h due 2026-07-01" "$out"
id=$(sqlite3 vos.db "SELECT id FROM alerts WHERE kind = 'milestone_missed' AND status = 'open'")
run 0 alerts ack "$id"
has "acknowledged" "$out"
run 0 alerts evaluate --as-of 2026-08-01
has "0 raised" "$out"
[ "$(sqlite3 vos.db "SELECT count(*) FROM alerts WHERE kind = 'milestone_missed' AND status <> 'resolved'")" = 1 ]

# usage
run 2 realization show one
run 2 realization show 1 --as-of yesterday
has "as_of 'yesterday'" "$err"
run 1 realization show 2
has "has no commitment" "$err"
run 2 alerts --status bogus
run 2 realization
run 0 realization --help
has "portfolio" "$out"
run 0 audit verify
