#!/usr/bin/env bash
# vos model: help, usage errors (exit 2) and unreadable files (exit 3).
set -euo pipefail
status() { set +e; "$@" >out.txt 2>err.txt; echo $?; set -e; }

[ "$(status "$VOS" model --help)" = 0 ]
grep -q '^usage: vos model <subcommand>' out.txt
grep -q '^  lint ' out.txt
[ "$(status "$VOS" model lint --help)" = 0 ]
grep -q -- '--strict' out.txt
[ "$(status "$VOS" model)" = 2 ]
grep -q '^usage: vos model' err.txt
[ "$(status "$VOS" model frobnicate)" = 2 ]
grep -q "unknown subcommand 'frobnicate'" err.txt
[ "$(status "$VOS" model lint)" = 2 ]
grep -q 'no FILE given' err.txt
[ "$(status "$VOS" model lint --bogus x.yaml)" = 2 ]
grep -q "unknown option '--bogus'" err.txt
[ "$(status "$VOS" model lint missing.yaml)" = 3 ]
grep -q '^vos: missing.yaml: No such file or directory' err.txt

# an unreadable file does not stop the others
cp "$VOS_ROOT/tests/data/models/service-desk.yaml" good.yaml
[ "$(status "$VOS" model lint missing.yaml good.yaml)" = 3 ]
grep -q '^good.yaml: ok' out.txt
# options may follow the files; "--" ends them
[ "$(status "$VOS" model lint good.yaml --strict)" = 1 ]
cp good.yaml ./-q.yaml
[ "$(status "$VOS" model lint -- -q.yaml)" = 0 ]
grep -q '^-q.yaml: ok' out.txt
