#!/usr/bin/env bash
# `vos finance --help` documents the protocol and every function with its arguments;
# unexpected arguments are usage errors (exit 2).
set -euo pipefail

"$VOS" finance --help > help.txt
for word in '"fn"' '"args"' '"value"' '"error"' \
    'npv(rate, values)' 'npv_t0(rate, values)' 'irr(values, guess?)' \
    'xnpv(rate, values, dates)' 'xirr(values, dates, guess?)' \
    'mirr(values, finance_rate, reinvest_rate)' 'pmt(rate, nper, pv, fv?, type?)' \
    'pv(rate, nper, pmt, fv?, type?)' 'fv(rate, nper, pmt, pv?, type?)' 'payback(values)' \
    'discounted_payback(rate, values)' 'roi(benefits, costs)'; do
  grep -qF -- "$word" help.txt || { echo "help does not mention $word"; exit 1; }
done

status=0
"$VOS" finance --bogus < /dev/null > out.txt 2> err.txt || status=$?
[ "$status" -eq 2 ] || { echo "exit status $status for --bogus, want 2"; exit 1; }
[ ! -s out.txt ] || { echo "usage error wrote to stdout"; exit 1; }
grep -q "unexpected argument '--bogus'" err.txt

# No input: no output, success.
"$VOS" finance < /dev/null > out.txt
[ ! -s out.txt ]
