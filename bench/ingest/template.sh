#!/usr/bin/env bash
# The template store of the ingestion benchmarks: `vos demo`, then ACCOUNTS accounts named
# "Bench Account NNN" (bench/ingest/gen_csv.py writes their readings), each with a committed
# case on the service-desk-automation model (its five KPIs, from KPIS, the file gen_csv.py
# writes with --kpis-dir).
# Usage: bench/ingest/template.sh VOS DB_URL KPIS ACCOUNTS
set -euo pipefail
vos=$1 db=$2 kpis=$3 accounts=$4
"$vos" demo --db "$db" >/dev/null || { echo "bench: vos demo --db $db failed" >&2; exit 1; }
for i in $(seq 0 $((accounts - 1))); do
  name=$(printf "Bench Account %03d" "$i")
  "$vos" account add "$name" --db "$db" >/dev/null
  id=$("$vos" case create --account "$name" --name "Service desk" \
       --model service-desk-automation --quiet --db "$db")
  "$vos" case commit "$id" --kpis "$kpis" --db "$db" >/dev/null
done
