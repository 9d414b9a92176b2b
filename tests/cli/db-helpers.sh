# Helpers of the database cases (tests/cli/04xx-*.sh and 05xx-*.sh), sourced by each.
# Every case runs in a fresh temporary directory; the database is ./vos.db (the default).
set -euo pipefail
unset VOS_DB

# run RC ARGS...: runs vos ARGS; fails the case unless it exits with RC.  Leaves its standard
# output in $out and its standard error in $err.
run() {
  local want=$1
  shift
  set +e
  out=$("$VOS" "$@" 2>.stderr)
  local rc=$?
  set -e
  err=$(cat .stderr)
  if [ "$rc" -ne "$want" ]; then
    printf 'vos %s: exit %d, expected %d\nstdout:\n%s\nstderr:\n%s\n' "$*" "$rc" "$want" "$out" "$err"
    exit 1
  fi
}

# has TEXT IN: fails unless IN contains TEXT (a fixed string).
has() {
  grep -qF -- "$1" <<<"$2" || { printf 'expected: %s\nin:\n%s\n' "$1" "$2"; exit 1; }
}

# lacks TEXT IN: fails if IN contains TEXT.
lacks() {
  if grep -qF -- "$1" <<<"$2"; then printf 'unexpected: %s\nin:\n%s\n' "$1" "$2"; exit 1; fi
}

# The whole content of ./vos.db, as a hash: equal before and after a refused operation.
db_state() { sqlite3 vos.db .dump | sha256sum; }

audit_count() { sqlite3 vos.db "SELECT count(*) FROM audit_log"; }

# simple.yaml (version 1.0.0: input a = 100 USD/month, range 50 .. 200; one-time cost 600 USD;
# 12 months at 0% discount) and simple-1.1.0.yaml (a = 120, range 60 .. 220).
simple_models() {
  cp "$VOS_ROOT/tests/data/cases/simple.yaml" simple.yaml
  sed -e 's/^version: 1.0.0/version: 1.1.0/' \
      -e 's/value: 100, low: 50, high: 200/value: 120, low: 60, high: 220/' \
      simple.yaml > simple-1.1.0.yaml
}
