#!/usr/bin/env bash
# vos ingest of a good file: a byte order mark, CRLF, quoted fields, accounts by name (any
# case) and by id, dates and times with offsets; the points land in UTC with the values
# given, as one audited ingestion labelled with the file's name; --label, --verbose.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 demo --models "$VOS_ROOT/models"
printf '\xef\xbb\xbfaccount,kpi,time,value,source\r\n' > meter.csv
printf 'Northwind Traders,mttr,2025-03-01,9.5,ServiceNow\r\n' >> meter.csv
printf '"northwind traders","mttr","2025-03-02T10:30:00+02:00","9.25","ServiceNow"\r\n' >> meter.csv
printf '1,triage_effort,2025-03-02 23:30:00.123456-01:00,3.75,"Service ""Now"", EU"\r\n' >> meter.csv
printf '\r\n' >> meter.csv
printf 'Contoso Bank , mfa_coverage , 2025-03-03T00:00Z , -1.5e1 , Okta\r\n' >> meter.csv
records=$(audit_count)
run 0 ingest meter.csv
[[ $out =~ ^ingested\ 4\ measurements\ \(4\ new,\ 0\ unchanged\)\ in\ [0-9.]+\ s$ ]] || { echo "$out"; exit 1; }
[ "$(audit_count)" -eq $((records + 1)) ]

got=$(sqlite3 -separator '|' vos.db "SELECT a.name, m.kpi_key, m.at, m.value, m.source, i.label
  FROM measurements m JOIN accounts a ON a.id = m.account_id JOIN ingestions i ON i.id = m.ingestion_id
  WHERE m.source != 'demo telemetry' ORDER BY m.at")
want='Northwind Traders|mttr|2025-03-01T00:00:00.000Z|9.5|ServiceNow|meter.csv
Northwind Traders|mttr|2025-03-02T08:30:00.000Z|9.25|ServiceNow|meter.csv
Contoso Bank|mfa_coverage|2025-03-03T00:00:00.000Z|-15.0|Okta|meter.csv
Northwind Traders|triage_effort|2025-03-03T00:30:00.123Z|3.75|Service "Now", EU|meter.csv'
[ "$got" = "$want" ] || { printf 'got:\n%s\nwant:\n%s\n' "$got" "$want"; exit 1; }
run 0 audit log --entity ingestion --format json
has '"points":4' "$out"
run 0 audit verify

# --label and --verbose; a file in a directory is labelled with its name only
mkdir -p exports
printf 'account,kpi,time,value,source\nNorthwind Traders,mttr,2025-03-04,9,ServiceNow\n' > exports/day.csv
run 0 ingest exports/day.csv --verbose
[[ $out =~ batch\ 1:\ lines\ 2-2\ committed:\ 1\ rows,\ 1\ new,\ 0\ unchanged\ \(ingestion\ ([0-9]+)\) ]] || {
  echo "$out"; exit 1; }
[ "$(sqlite3 vos.db "SELECT label FROM ingestions WHERE id = ${BASH_REMATCH[1]}")" = day.csv ]
printf 'account,kpi,time,value,source\nNorthwind Traders,mttr,2025-03-05,9,ServiceNow\n' > d2.csv
run 0 ingest d2.csv --label "March export"
[ "$(sqlite3 vos.db "SELECT label FROM ingestions ORDER BY id DESC LIMIT 1")" = "March export" ]

# the JSON names of the columns, in another order
printf 'source,at,value,kpi_key,account_id\nServiceNow,2025-03-06,8.75,mttr,1\n' > json-names.csv
run 0 ingest json-names.csv
has "ingested 1 measurements (1 new, 0 unchanged)" "$out"
run 0 audit verify
