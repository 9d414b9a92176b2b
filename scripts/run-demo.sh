#!/usr/bin/env bash
# The demo of `make run`: lints the example models, computes and explains the demo business
# case from its file, then loads the example into a fresh database (build/demo.db), shows a
# stored case, its history and the verified audit chain, builds the web UI (scripts/build-web.sh)
# and serves the API and the UI on that database in the foreground until Ctrl-C.
# Usage: scripts/run-demo.sh PATH-TO-VOS
# Environment: VOS_LISTEN (default 127.0.0.1:8080) is where the API listens.
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

echo
echo "== scripts/build-web.sh (the web UI, when web/dist is missing or older than web/src)"
web=(--web-root web/dist)
scripts/build-web.sh || { web=(--no-web); echo "the web UI could not be built: serving the API only"; }

listen=${VOS_LISTEN:-127.0.0.1:8080}
url="http://$listen"
cat <<EOT

== vos serve --listen $listen (Ctrl-C stops it)
The web UI is at $url/ (docs/web.md): sign in as any demo user below.
The API is at $url/api/v1 (docs/api.md), its OpenAPI document at $url/api/v1/openapi.json.
Every demo user signs in with the password vos-demo-password:
  admin@vos.demo  engineer@vos.demo  seller@vos.demo  csm@vos.demo  exec@vos.demo
  partner@vos.demo  customer@northwind.demo  customer@contoso.demo
For example:
  curl -c /tmp/vos.cookies -H 'Content-Type: application/json' \\
       -d '{"email": "seller@vos.demo", "password": "vos-demo-password"}' $url/api/v1/session
  curl -b /tmp/vos.cookies $url/api/v1/cases
  curl -b /tmp/vos.cookies $url/api/v1/cases/1/figures

EOT
exec "$vos" serve --listen "$listen" "${web[@]}"
