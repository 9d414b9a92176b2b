#!/usr/bin/env bash
# vos demo loads the example models, accounts and cases into an empty database; the audit chain
# verifies; a second run is refused politely.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
(cd "$VOS_ROOT" && "$VOS" demo --db "sqlite:$OLDPWD/demo.db") > demo.out 2> demo.err || {
  cat demo.out demo.err; exit 1; }
out=$(cat demo.out)
has "loading the demo into sqlite:" "$out"
for m in inventory-optimisation sales-productivity security-risk-reduction service-desk-automation; do
  grep -qE "^  model +$m [0-9.]+ \(approved\)$" <<<"$out" || { echo "$out"; exit 1; }
done
[ "$(grep -c '^  account ' <<<"$out")" -eq 4 ]
[ "$(grep -c '^  case ' <<<"$out")" -eq 4 ]
has "Try next:" "$out"

run 0 audit verify --db sqlite:demo.db
has "audit chain verified: " "$out"
run 0 case list --db sqlite:demo.db --format json
python3 - "$out" <<'PY'
import json, sys
cases = json.loads(sys.argv[1])
assert len(cases) == 4, cases
stages = sorted(c["stage"] for c in cases)
assert stages == ["committed", "hypothesis", "hypothesis", "realizing"], stages
assert len({c["model"] for c in cases}) == 4 and len({c["account"] for c in cases}) == 4, cases
PY
run 0 case show 1 --db sqlite:demo.db
has "  stage      realizing" "$out"
[ "$(sqlite3 demo.db 'SELECT count(*) FROM commitment_kpis')" -ge 2 ]

# --models DIR from anywhere; a non-empty database is refused and left alone
VOS_DB=sqlite:demo.db run 1 demo --models "$VOS_ROOT/models"
has "already has models" "$err"
run 0 demo --models "$VOS_ROOT/models" --db sqlite:second.db
run 0 audit verify --db sqlite:second.db
run 3 demo --models no-such-dir --db sqlite:third.db
has "no-such-dir" "$err"
