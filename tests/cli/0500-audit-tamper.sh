#!/usr/bin/env bash
# vos audit verify passes on a database written by VOS, and finds any row changed by hand in the
# sqlite3 shell: it names the first broken record (or entity) and exits 1.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
simple_models
run 0 init
run 0 model import simple.yaml
run 0 model approve simple 1.0.0
run 0 account add "Contoso Bank" --industry Banking
run 0 case create --account "Contoso Bank" --name Pilot --model simple
run 0 case set 1 a 150
printf -- '- {kpi: k, baseline: {value: 8, date: 2026-01-15}, target: {value: 5, date: 2027-01-15}}\n' > kpis.yaml
run 0 case commit 1 --kpis kpis.yaml

n=$(audit_count)
head=$(sqlite3 vos.db "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")
run 0 audit verify
[ "$out" = "audit chain verified: $n records, head $head" ] || { echo "$out"; exit 1; }
run 0 audit verify --format json
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["ok"] and d["records"] == int(sys.argv[2]), d' "$out" "$n"

# tamper SQL -> what verify must report
seq_of() { sqlite3 vos.db "SELECT max(seq) FROM audit_log WHERE entity_type = '$1' AND entity_id = $2"; }
account_seq=$(seq_of account 1)
case_seq=$(seq_of case 1)
kpi_seq=$(seq_of commitment_kpi 1)
checks=(
  "UPDATE accounts SET industry = 'Retail' WHERE id = 1"
  "(state) at record $account_seq, account 1: account 1 differs from its last audit record $account_seq"
  "UPDATE cases SET stage = 'hypothesis' WHERE id = 1"
  "(state) at record $case_seq, case 1: "
  "UPDATE cases SET overrides = '{\"a\":{\"value\":199}}' WHERE id = 1"
  "(state) at record $case_seq, case 1: "
  "DELETE FROM commitment_kpis WHERE id = 1"
  "(state) at record $kpi_seq, commitment_kpi 1: commitment_kpi 1 was deleted outside VOS"
  "INSERT INTO accounts (name, size, created_at, updated_at, revision) VALUES ('Ghost', 'unstated', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1)"
  "(state), account 2: account 2 has no audit record: it was written outside VOS"
  "DROP TRIGGER \"commitment.frozen_update\"; UPDATE commitments SET snapshot = '{}' WHERE id = 1"
  "(state) at record "
  "DROP TRIGGER \"audit.no_update\"; UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"
  "(hash) at record 3: audit record 3 was altered"
  "DROP TRIGGER \"audit.no_update\"; UPDATE audit_log SET after_json = replace(after_json, 'Banking', 'Retail') WHERE entity_type = 'account'"
  "(hash) at record $account_seq: "
  "DROP TRIGGER \"audit.no_delete\"; DELETE FROM audit_log WHERE seq = 4"
  "(gap) at record 4: audit record 4 is missing"
)
cp vos.db pristine.db
for ((i = 0; i < ${#checks[@]}; i += 2)); do
  sql=${checks[i]} want=${checks[i + 1]}
  rm -f vos.db vos.db-wal vos.db-shm
  cp pristine.db vos.db
  sqlite3 vos.db "$sql"
  run 1 audit verify
  has "audit verification FAILED $want" "$out"
  run 1 audit verify --format json
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert not d["ok"] and d["message"], d' "$out"
done

# the JSON report names the problem, the record and the entity
rm -f vos.db vos.db-wal vos.db-shm
cp pristine.db vos.db
sqlite3 vos.db "UPDATE accounts SET industry = 'Retail' WHERE id = 1"
run 1 audit verify --format json
python3 - "$out" "$account_seq" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert d["problem"] == "state" and d["seq"] == int(sys.argv[2]), d
assert d["entity_type"] == "account" and d["entity_id"] == 1, d
PY
