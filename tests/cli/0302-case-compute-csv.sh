# CSV output: one row per period, index 0 up front, exact numbers.
set -euo pipefail
"$VOS" case compute "$VOS_ROOT/tests/data/cases/simple.yaml" --format csv > out.csv
cat out.csv
[ "$(head -1 out.csv)" = "period,d1,benefits,c1,costs,net,cumulative" ]
[ "$(sed -n 2p out.csv)" = "0,0,0,600,600,-600,-600" ]
[ "$(sed -n 8p out.csv)" = "6,100,100,0,0,100,0" ]
[ "$(wc -l < out.csv)" -eq 14 ]
