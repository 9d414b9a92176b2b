#!/usr/bin/env bash
# Every database command and subcommand has --help (exit 0), names unknown options and extra
# arguments (exit 2), and needs nothing from the database to say so.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
commands=(
  "init" "model import" "model approve" "model retire" "model diff" "model list"
  "model versions" "account add" "account list" "case create" "case set" "case unset"
  "case commit" "case show" "case transition" "case rebase" "case list" "audit verify"
  "audit log" "backup" "demo"
)
for c in "${commands[@]}"; do
  # shellcheck disable=SC2086
  run 0 $c --help
  has "usage: vos $c" "$out"
  has "--db URL" "$out"
  # shellcheck disable=SC2086
  run 2 $c --frobnicate
  has "vos $c: unknown option '--frobnicate' (see --help)" "$err"
done
[ ! -e vos.db ]   # none of these opened the database

for c in model account case audit; do
  run 0 "$c" --help
  run 2 "$c"
  run 2 "$c" frob
  has "frob" "$err"
done
run 0 --help
for c in init model account case audit backup demo; do has "  $c " "$out"; done
run 2 model list extra
has "vos model list: unexpected argument 'extra'" "$err"
run 2 case show 1 --format=yaml
has "vos case show: --format must be table or json, not 'yaml'" "$err"
run 2 case show 1 --format
has "vos case show: --format needs a value" "$err"
run 2 account add X --segment
run 2 case list --stage
