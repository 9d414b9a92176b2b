#!/usr/bin/env bash
# vos ingest of a file with bad rows: every problem is listed with its line (in line order,
# each line's problems in column order), the count is given, exit 1, and nothing at all is
# written, not even the good rows; past 100 problems the rest are counted ("... and N more").
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 demo --models "$VOS_ROOT/models"
cat > bad.csv <<'CSV'
account,kpi,time,value,source
Northwind Traders,mttr,2025-03-01,9.5,ServiceNow
Northwind Traders,mttr,2025-03-02,abc,ServiceNow
Acme Corp,mttr,2025-03-03,1,ServiceNow
Northwind Traders,csat,2025-03-04,1,ServiceNow
Northwind Traders,mttr,2025-02-30,1,ServiceNow
Northwind Traders,mttr,1969-12-31T23:59:59Z,1,ServiceNow
Northwind Traders,mttr,2201-01-01,1,ServiceNow
Northwind Traders,mttr,2025-03-08T10:00,1,ServiceNow
Northwind Traders,mttr,2025-03-09,1e999,ServiceNow
Northwind Traders,mttr,2025-03-10,"3,5",ServiceNow
Northwind Traders,mttr,2025-03-11,nan,
Northwind Traders,mttr,2025-03-12,1
Northwind Traders,mttr,2025-03-13,1,ServiceNow,extra
,,2025-03-14,1,ServiceNow
Northwind Traders,mttr,2025-03-15,1,Service"Now
Northwind Traders,csat,2025-03-17,abc,ServiceNow
Northwind Traders,mttr,2025-03-16,1,ServiceNow
CSV
before=$(db_state)
run 1 ingest bad.csv
want="vos ingest: bad.csv: value 'abc' on line 3 is not a number
vos ingest: bad.csv: account 'Acme Corp' on line 4 does not exist
vos ingest: bad.csv: kpi 'csat' on line 5 is not a KPI committed to for account 'Northwind Traders'
vos ingest: bad.csv: time '2025-02-30' on line 6 is not a real date
vos ingest: bad.csv: time '1969-12-31T23:59:59Z' on line 7 is before 1970
vos ingest: bad.csv: time '2201-01-01' on line 8 is after 2200
vos ingest: bad.csv: time '2025-03-08T10:00' on line 9 has no time zone: end it with Z (UTC) or an offset such as +02:00
vos ingest: bad.csv: value '1e999' on line 10 is out of range
vos ingest: bad.csv: value '3,5' on line 11 is not a number (write the decimal point as '.')
vos ingest: bad.csv: value 'nan' on line 12 is not a number
vos ingest: bad.csv: source on line 12 is empty
vos ingest: bad.csv: line 13 has 4 fields, not 5 as the header
vos ingest: bad.csv: line 14 has 6 fields, not 5 as the header
vos ingest: bad.csv: account on line 15 is empty
vos ingest: bad.csv: kpi on line 15 is empty
vos ingest: bad.csv: line 16: field 5 has a quote inside unquoted text: quote the whole field and double each quote inside it
vos ingest: bad.csv: kpi 'csat' on line 17 is not a KPI committed to for account 'Northwind Traders'
vos ingest: bad.csv: value 'abc' on line 17 is not a number
vos ingest: bad.csv: 18 problems found; nothing was written"
[ "$err" = "$want" ] || { printf 'got:\n%s\nwant:\n%s\n' "$err" "$want"; exit 1; }
[ -z "$out" ]
[ "$(db_state)" = "$before" ]

# a time more than a day ahead
tomorrow2=$(date -u -d '+2 days' +%Y-%m-%d)
printf 'account,kpi,time,value,source\nNorthwind Traders,mttr,%s,1,s\n' "$tomorrow2" > future.csv
run 1 ingest future.csv
has "time '$tomorrow2' on line 2 is more than a day in the future" "$err"

# a header that is not one
printf 'Northwind Traders,mttr,2025-03-01,9.5,ServiceNow\n' > noheader.csv
run 1 ingest noheader.csv
has "column 'Northwind Traders' on line 1 is not one of account, kpi, time, value, source" "$err"
has "the header on line 1 has no column 'account'" "$err"
printf 'account,kpi,time,value,value\n' > twice.csv
run 1 ingest twice.csv
has "column 'value' on line 1 appears twice" "$err"
printf 'account,kpi,time,value,source\n' > empty.csv
run 1 ingest empty.csv
has "the file holds no measurements" "$err"
[ "$(db_state)" = "$before" ]

# 150 bad rows: 100 listed, then the count of the others
python3 - <<'PY'
with open("many.csv", "w") as f:
    f.write("account,kpi,time,value,source\n")
    for i in range(150):
        f.write(f"Northwind Traders,mttr,2025-03-01,x{i},ServiceNow\n")
PY
run 1 ingest many.csv
[ "$(grep -c "is not a number" <<<"$err")" -eq 100 ]
has "value 'x99' on line 101 is not a number" "$err"
lacks "x100" "$err"
has "vos ingest: many.csv: ... and 50 more problems" "$err"
has "vos ingest: many.csv: 150 problems found; nothing was written" "$err"
[ "$(db_state)" = "$before" ]
