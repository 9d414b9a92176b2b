#!/usr/bin/env bash
# The demo of `make run`: lints the example models and computes the demo business case.
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
cat <<EOT

Try next:
  $vos case explain $demo driver:triage_time:year2
  $vos case compute models/inventory-optimisation.yaml --format json
  $vos case compute models/sales-productivity.yaml --scenario conservative --monthly
  $vos --help
EOT
