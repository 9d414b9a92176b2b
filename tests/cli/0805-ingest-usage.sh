#!/usr/bin/env bash
# vos ingest: help, usage errors (exit 2), a file that cannot be read (exit 3).
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 ingest --help
has "usage: vos ingest FILE.csv|- [--label L] [--batch N] [--verbose] [--db URL]" "$out"
has "account,kpi,time,value,source" "$out"
run 2 ingest
run 2 ingest a.csv b.csv
has "unexpected argument 'b.csv'" "$err"
run 2 ingest a.csv --batch 0
has "--batch must be a number from 1 to 100000, not '0'" "$err"
run 2 ingest a.csv --batch 100001
run 2 ingest a.csv --batch ten
run 2 ingest a.csv --speed fast
has "unknown option '--speed'" "$err"
run 3 ingest no-such.csv
has "vos ingest: no-such.csv: No such file or directory" "$err"
run 0 --help
has "ingest" "$out"
