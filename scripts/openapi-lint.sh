#!/usr/bin/env bash
# Lints the OpenAPI document of the route table with @redocly/cli (tools/openapi): builds it
# with `vos serve --print-openapi > build/openapi.json`, installs the linter from the committed
# package-lock.json when tools/openapi/node_modules is missing, and fails on any error or
# warning.
# Usage: scripts/openapi-lint.sh [PATH-TO-VOS]   (default build/san/vos)
set -euo pipefail
cd "$(dirname "$0")/.."
vos=${1:-build/san/vos}
mkdir -p build
"$vos" serve --print-openapi > build/openapi.json
if [ ! -d tools/openapi/node_modules/@redocly/cli ]; then
  npm ci --prefix tools/openapi --no-audit --no-fund >/dev/null
fi
out=$(npx --prefix tools/openapi redocly lint build/openapi.json \
        --config tools/openapi/redocly.yaml --format=stylish 2>&1) || { printf '%s\n' "$out"; exit 1; }
printf '%s\n' "$out" | grep -Ev 'Deprecation warning|Node.js|npm warn|^ *[║╔╚]|^$' || true
if printf '%s\n' "$out" | grep -Eq '(^|[^a-z])(warning|error) '; then
  echo "openapi-lint: the document has warnings"
  exit 1
fi
echo "openapi-lint: build/openapi.json is lint-clean"
