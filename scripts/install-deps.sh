#!/usr/bin/env bash
# Installs the Debian packages VOS needs to build, test and benchmark.
# Usage: scripts/install-deps.sh [build|check|bench]   (default: build)
# As root it runs apt-get; otherwise it prints the command to run.
set -eu
profile=${1:-build}
pkgs="build-essential pkg-config libjansson-dev libyaml-dev libsqlite3-dev libsodium-dev libmicrohttpd-dev libcurl4-openssl-dev libpq-dev"
case "$profile" in
  build) ;;
  check) pkgs="$pkgs check libsubunit-dev clang libclang-rt-14-dev python3 sqlite3 curl chromium postgresql" ;;
  bench) pkgs="$pkgs gnumeric python3-numpy hyperfine wrk sqlite3 postgresql" ;;
  *) echo "install-deps: unknown profile '$profile' (build, check, bench)" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node.js and npm (OpenAPI lint, web UI): Debian's packages unless a node with npm is present.
if [ "$profile" != bench ] && ! command -v npm >/dev/null 2>&1; then
  missing="$missing nodejs npm"
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing Debian packages:$missing" >&2
  echo "install-deps: run as root: apt-get install -y$missing" >&2
  exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
