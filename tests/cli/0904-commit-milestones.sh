#!/usr/bin/env bash
# vos case commit --kpis with a step trajectory and its milestones: the file's structure is
# checked with line and column, the milestones' order and range by the app (naming the KPI and
# the milestone), and a commitment made keeps them: the realization shows each milestone, due
# or not, and missed when the actual is short of it (mttr is better lower: 9.5 > 9 is short).
source "$VOS_ROOT/tests/cli/db-helpers.sh"
D="$VOS_ROOT/tests/data/realization"
run 0 init
run 0 model import "$D/tiny-desk.yaml"
run 0 model approve tiny-desk 1.0.0
run 0 account add Acme
run 0 case create --account Acme --name Desk --model tiny-desk

kpis() { # TRAJECTORY MILESTONES...: a KPI file for mttr 10 -> 8 over 2026-01-01..2026-07-01
  printf 'kpis:\n  - kpi: mttr\n    baseline: {value: 10, date: 2026-01-01}\n'
  printf '    target: {value: 8, date: 2026-07-01}\n    trajectory: %s\n' "$1"
  shift
  [ $# -gt 0 ] && printf '    milestones:\n'
  for m in "$@"; do printf '      - %s\n' "$m"; done
}

# the structure: line and column, every problem at once, nothing committed
kpis step '{date: 2026-03-01}' '{date: 2026-04-01, value: fast, when: soon}' > bad.yaml
run 1 case commit 1 --kpis bad.yaml
has "bad.yaml:7:9: error: kpi 'mttr': milestone 1: needs value" "$err"
has "kpi 'mttr': milestone 2: unknown key 'when' (date, value)" "$err"
has "kpi 'mttr': milestone 2: value must be a number in the KPI's unit, not 'fast'" "$err"
has "nothing was committed" "$err"
printf 'kpis:\n  - kpi: mttr\n    baseline: {value: 10, date: 2026-01-01}\n    target: {value: 8, date: 2026-07-01}\n    trajectory: step\n    milestones: {date: 2026-03-01, value: 9}\n' > notlist.yaml
run 1 case commit 1 --kpis notlist.yaml
has "notlist.yaml:6:17: error: kpi 'mttr': milestones must be a list" "$err"

# the app's rules: step only, dates ascending within the two dates, values between the two
kpis linear '{date: 2026-03-01, value: 9}' > linear.yaml
run 1 case commit 1 --kpis linear.yaml
has "milestone" "$err"
has "step" "$err"
kpis step '{date: 2026-05-01, value: 9}' '{date: 2026-03-01, value: 8.5}' > order.yaml
run 1 case commit 1 --kpis order.yaml
has "KPI 'mttr': milestone 2" "$err"
kpis step '{date: 2026-03-01, value: 11}' > range.yaml
run 1 case commit 1 --kpis range.yaml
has "KPI 'mttr': milestone 1" "$err"
kpis step '{date: 2026-08-01, value: 9}' > late.yaml
run 1 case commit 1 --kpis late.yaml
has "KPI 'mttr': milestone 1" "$err"
run 0 case show 1 --format json
has '"stage":"hypothesis"' "$(tr -d ' \n' <<<"$out")"

# a good file commits; the realization lists the milestones
kpis step '{date: 2026-03-01, value: 9}' '{date: 2026-05-01, value: 8.5}' > good.yaml
run 0 case commit 1 --kpis good.yaml
has "committed case 1" "$out"
cat > m.csv <<'CSV'
account,kpi,time,value,source
Acme,mttr,2026-03-10T00:00:00Z,9.5,itsm
CSV
run 0 ingest m.csv
run 0 realization show 1 --as-of 2026-03-31 --format json
python3 - "$out" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
k = r["kpis"][0]
assert k["trajectory"] == "step", k
ms = k["milestones"]
assert [m["date"] for m in ms] == ["2026-03-01", "2026-05-01"], ms
assert [m["value"] for m in ms] == [9, 8.5], ms
assert ms[0]["due"] is True and ms[0]["missed"] is True, ms   # 9.5 is short of 9 (lower is better)
assert ms[1]["due"] is False and ms[1]["missed"] is False, ms
assert k["planned"] == 9, k                                    # the plan holds milestone 1
PY
