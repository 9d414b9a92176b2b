# Bad arguments and bad overrides: a clear message naming the problem, the right exit code.
set -euo pipefail
m="$VOS_ROOT/tests/data/cases/simple.yaml"
expect() { # expect CODE PATTERN -- ARGS...
  local code=$1 pat=$2; shift 3
  set +e; "$VOS" "$@" >out.txt 2>err.txt; local rc=$?; set -e
  cat err.txt
  [ "$rc" -eq "$code" ] || { echo "expected exit $code, got $rc for: $*"; exit 1; }
  grep -qF -- "$pat" err.txt || { echo "expected '$pat' in stderr for: $*"; exit 1; }
}
expect 2 "unknown scenario 'worst'" -- case compute "$m" --scenario worst
expect 2 "--simulate takes 1 .. 1000000" -- case compute "$m" --simulate 0
expect 2 "unknown option '--bogus'" -- case compute "$m" --bogus
expect 2 "--format must be" -- case compute "$m" --format xml
expect 2 "no driver 'nope'" -- case explain "$m" driver:nope
expect 2 "takes no year" -- case explain "$m" irr:year1
expect 2 "unknown command 'frob'" -- case frob
expect 1 "No such file" -- case compute missing.yaml
printf 'a: lots\nb: 1\n' > bad.yaml
expect 1 "bad.yaml:2:1: error: unknown input 'b'" -- case compute "$m" --inputs bad.yaml
expect 1 "bad.yaml:1:4: error: input 'a'" -- case compute "$m" --inputs bad.yaml
printf 'a: {value: 300}\n' > range.yaml
expect 1 "value 300 must lie within its range [50, 200]" -- case compute "$m" --inputs range.yaml
printf 'a: 30 USD/week\n' > units.yaml
"$VOS" case compute "$m" --inputs units.yaml --format json > u.json
python3 -c '
import json; d = json.load(open("u.json"))
v = d["scenarios"]["expected"]["inputs"]["a"]["value"]
assert abs(v - 30 * 365 / 7 / 12) < 1e-12, v   # 30 USD/week in USD/month
'
"$VOS" case --help | grep -q "explain MODEL FIG"
"$VOS" case compute --help | grep -qF -- "--simulate [N]"
