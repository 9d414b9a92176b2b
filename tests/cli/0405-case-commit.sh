#!/usr/bin/env bash
# vos case commit (with a KPI file) and transition; a committed case is frozen; refusals change
# nothing.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
simple_models
run 0 init
run 0 model import simple.yaml simple-1.1.0.yaml
run 0 model approve simple 1.0.0
run 0 account add "Contoso Bank"
run 0 case create --account "Contoso Bank" --name Pilot --model simple
run 0 case create --account "Contoso Bank" --name Draft --model simple --version 1.1.0
run 0 case set 1 a --value 150 --low 80 --high 250

cat > kpis.yaml <<'YAML'
kpis:
  - kpi: k
    baseline: {value: 8, date: 2026-01-15}
    target: {value: 5, date: 2027-01-15}
    trajectory: s_curve
    tolerance: 15%
    data_source: ServiceNow resolution times
YAML

# refusals first: the database stays as it was
before=$(db_state)
run 1 case commit 2 --kpis kpis.yaml            # pinned to a draft version
has "vos case commit: " "$err"
has "1.1.0" "$err"
cat > bad-kpis.yaml <<'YAML'
- kpi: k
  baseline: {value: eight, date: 2026-01-15}
  target: {value: 5}
  trajectory: sideways
  tolerance: 150%
  colour: red
YAML
run 1 case commit 1 --kpis bad-kpis.yaml
has "bad-kpis.yaml:6:3: error: kpi 'k': unknown key 'colour' (kpi, baseline, target," "$err"
has "bad-kpis.yaml:2:21: error: kpi 'k': baseline: value must be a number in the KPI's unit, not 'eight'" "$err"
has "bad-kpis.yaml:3:11: error: kpi 'k': target: needs date" "$err"
has "bad-kpis.yaml:4:15: error: kpi 'k': trajectory must be linear, s_curve or step, not 'sideways'" "$err"
has "bad-kpis.yaml:5:14: error: kpi 'k': tolerance must be more than 0% and at most 100%, not '150%'" "$err"
has "vos case commit: bad-kpis.yaml: the KPI file has errors; nothing was committed" "$err"
printf -- '- kpi: k\n  baseline: {value: 1, date: 2026-01-15\n' > syntax.yaml
run 1 case commit 1 --kpis syntax.yaml
has "syntax.yaml:3:1: error: YAML syntax: " "$err"
sed 's/kpi: k/kpi: nosuch/' kpis.yaml > other-kpi.yaml
run 1 case commit 1 --kpis other-kpi.yaml            # not a KPI of the model
has "nosuch" "$err"
sed 's/2027-01-15/2025-01-15/' kpis.yaml > early.yaml
run 1 case commit 1 --kpis early.yaml                # the target before the baseline
has "vos case commit: " "$err"
sed 's/data_source: .*/owner: nobody@example.com/' kpis.yaml > owner.yaml
run 1 case commit 1 --kpis owner.yaml
has "vos case commit: kpi 'k': owner 'nobody@example.com' is not a user of VOS" "$err"
run 3 case commit 1 --kpis missing.yaml
run 1 case transition 1 committed                     # only through commit
has "vos case transition: " "$err"
run 2 case transition 1 done
has "STAGE must be" "$err"
[ "$(db_state)" = "$before" ]

run 0 case commit 1 --kpis kpis.yaml
grep -qE '^committed case 1: commitment 1 with 1 KPI, snapshot sha256 [0-9a-f]{64}$' <<<"$out" || { echo "$out"; exit 1; }
sha=${out##* }
python3 - "$sha" <<'PY'
import hashlib, json, sqlite3, sys
db = sqlite3.connect("vos.db")
snap, stored = db.execute("SELECT snapshot, snapshot_sha256 FROM commitments WHERE case_id = 1").fetchone()
assert stored == sys.argv[1] == hashlib.sha256(snap.encode()).hexdigest()
s = json.loads(snap)
assert s["overrides"] == {"a": {"value": 150, "low": 80, "high": 250}}, s["overrides"]
# NPV = 12 a - 600 with a = 80 / 150 / 250
assert [s["scenarios"][k]["npv"] for k in ("conservative", "expected", "optimistic")] == [360, 1200, 2400]
k = db.execute("SELECT kpi_key, baseline_value, baseline_date, target_value, target_date, trajectory,"
               " tolerance, data_source FROM commitment_kpis").fetchall()
assert k == [("k", 8.0, "2026-01-15", 5.0, "2027-01-15", "s_curve", 0.15, "ServiceNow resolution times")], k
PY
run 0 case show 1
has "  stage      committed" "$out"

# frozen from now on
before=$(db_state)
run 1 case set 1 a 120
has "vos case set: case 'Pilot' is committed: its inputs are frozen" "$err"
run 1 case unset 1 a
run 1 case commit 1 --kpis kpis.yaml
run 1 case rebase 1 1.1.0
[ "$(db_state)" = "$before" ]

run 0 case transition 1 realizing
[ "$out" = "case 1 is now realizing" ]
run 1 case transition 1 committed
has "realizing" "$err"
has "committed" "$err"
run 0 case transition 1 expanded
run 1 case transition 1 lost
run 0 case transition 2 lost
[ "$out" = "case 2 is now lost" ]
run 0 case list --stage expanded
grep -qE '^ 1  Contoso Bank  Pilot  expanded' <<<"$out" || { echo "$out"; exit 1; }

# every step is in the audit log and the chain holds
run 0 audit log --entity case:1
has "case.commit" "$out"
has "stage: 'realizing' -> 'expanded'" "$out"
run 0 audit verify
has "audit chain verified: " "$out"
