#!/usr/bin/env bash
# The demo of `make run`: lints the example models, computes and explains the demo business
# case from its file, then loads the example into a fresh database (build/demo.db) and shows a
# stored case, its history and the verified audit chain.
# Usage: scripts/run-demo.sh PATH-TO-VOS
set -euo pipefail
vos=${1:-build/rel/vos}
cd "$(dirname "$0")/.."
demo=models/service-desk-automation.yaml
echo "== vos model lint models/*.yaml"
"$vos" model lint --quiet models/*.yaml && echo "all example models lint clean"
echo
echo "== vos case compute $demo --tornado --simulate 10000"
"$vos" case compute "$demo" --tornado --simulate 10000
echo
echo "== vos case explain $demo npv --scenario conservative"
"$vos" case explain "$demo" npv --scenario conservative
echo

mkdir -p build
db=build/demo.db
rm -f "$db" "$db-wal" "$db-shm"
export VOS_DB="sqlite:$db"
echo "== VOS_DB=$VOS_DB vos demo"
"$vos" demo
echo
echo "== vos case show 1"
"$vos" case show 1
echo
echo "== vos audit log --entity case:1"
"$vos" audit log --entity case:1
echo
echo "== vos audit verify"
"$vos" audit verify
cat <<EOT

Try next:
  $vos case explain $demo driver:triage_time:year2
  $vos case compute models/inventory-optimisation.yaml --format json
  $vos case compute --case 2 --db sqlite:$db --tornado
  $vos --help
EOT
