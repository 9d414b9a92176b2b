#!/usr/bin/env bash
# `vos finance` as a long-running filter: CRLF and blank lines, a 360-month mortgage whose
# IRR gives the rate back, an over-long line answered with an error, and answers flushed
# one line at a time (the reply to the first request arrives before stdin closes).
set -euo pipefail

# PMT of 200,000 at 0.5% a month over 360 months; then the IRR of that schedule.  The
# payment is rounded to a double, so the schedule's exact IRR (60-digit decimal Newton) is
# 0.0049999999999999995117, whose nearest double prints as 0.004999999999999999.
pmt=$(printf '{"fn": "pmt", "args": {"rate": 0.005, "nper": 360, "pv": 200000}}\r\n\r\n' \
      | "$VOS" finance)
[ "$pmt" = '{"value": -1199.1010503055047}' ] || { echo "pmt: $pmt"; exit 1; }
flows="200000$(printf ', -1199.1010503055047%.0s' $(seq 360))"
irr=$(printf '{"fn": "irr", "args": {"values": [%s]}}\n' "$flows" | "$VOS" finance)
[ "$irr" = '{"value": 0.004999999999999999}' ] || { echo "irr: $irr"; exit 1; }

# A line over the 1 MiB limit is answered with an error; the next line still works.
{
  printf '{"fn": "npv", "args": {"rate": 0.1, "values": [1'
  head -c 1100000 /dev/zero | tr '\0' ' '
  printf ']}}\n{"fn": "roi", "args": {"benefits": 3, "costs": 2}}\n'
} > long.jsonl
"$VOS" finance < long.jsonl > got.jsonl
printf '%s\n' '{"error": "line 1: line is longer than 1048576 bytes"}' '{"value": 0.5}' \
  > expected.jsonl
diff -u expected.jsonl got.jsonl

# Each answer is flushed as soon as its line is read.
mkfifo in.fifo
"$VOS" finance < in.fifo > out.jsonl &
pid=$!
exec 3> in.fifo
printf '{"fn": "roi", "args": {"benefits": 4, "costs": 2}}\n' >&3
for _ in $(seq 100); do
  [ -s out.jsonl ] && break
  sleep 0.1
done
first=$(cat out.jsonl)
exec 3>&-
wait "$pid"
[ "$first" = '{"value": 1}' ] || { echo "not flushed: '$first'"; exit 1; }
