#!/usr/bin/env bash
# Builds the hello-world ceiling of the API benchmark: bench/http/hello.c -> build/rel/http-hello
# (optimised like build/rel/vos, linked with the same libmicrohttpd).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-build/rel/http-hello}
mkdir -p "$(dirname "$OUT")"
${CC:-cc} -std=c17 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes -Wvla \
  -D_POSIX_C_SOURCE=200809L -O2 -g $(pkg-config --cflags libmicrohttpd) \
  -o "$OUT" bench/http/hello.c $(pkg-config --libs libmicrohttpd) -lpthread
