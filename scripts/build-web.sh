#!/usr/bin/env bash
# Builds the web UI into web/dist when it is missing or older than its sources: installs the
# npm packages from the committed package-lock.json (npm ci) when web/node_modules is missing
# or older than the lock file, then type-checks and bundles (npm run build).  Nothing is
# fetched when web/dist is up to date.
# Usage: scripts/build-web.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/../web"
force=${1:-}
if ! command -v npm >/dev/null 2>&1; then
  echo "build-web: npm is missing (scripts/install-deps.sh check installs Node.js and npm)" >&2
  exit 1
fi
stale() { # true when web/dist/index.html is older than any source of the build
  [ -f dist/index.html ] || return 0
  [ -n "$(find src public index.html package.json package-lock.json vite.config.ts tsconfig.json \
           -newer dist/index.html -print -quit 2>/dev/null)" ]
}
if [ "$force" != --force ] && ! stale; then
  exit 0
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  echo "build-web: npm ci (web/package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi
echo "build-web: npm run build -> web/dist"
npm run --silent build -- --logLevel warn
