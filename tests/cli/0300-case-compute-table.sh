# vos case compute prints the three scenarios and the cash flow of a hand-checkable case.
set -euo pipefail
out=$("$VOS" case compute "$VOS_ROOT/tests/data/cases/simple.yaml")
echo "$out"
grep -E '^NPV \(USD\) +0 +600 +1,800$' <<<"$out"
grep -E '^Payback \(months\) +12\.0 +6\.0 +3\.0$' <<<"$out"
grep -E '^ROI +0\.0% +100\.0% +300\.0%$' <<<"$out"
grep -E '^Cumulative +-600 +600 *$' <<<"$out"
grep -E '^a +USD/month +50\.00 +100\.00 +200\.00 +pert +low / high$' <<<"$out"
