#!/usr/bin/python3
"""The spreadsheet peer: recalculates the generated workbook with Gnumeric's ssconvert and
reads the results back.

Usage: bench/peer_gnumeric.py WORKBOOK.gnumeric
Runs `ssconvert --recalc WORKBOOK out.csv` once and prints the summary cells of the sheet
(rows 1-4 of column B: NPV, annualised IRR, total benefits, total costs) as `key value`
lines: spreadsheet_npv, spreadsheet_irr, spreadsheet_benefits, spreadsheet_costs, plus the
number of formula cells and the ssconvert version.  Timing is bench/wall.py's job.
"""

import csv
import gzip
import os
import subprocess
import sys
import tempfile

KEYS = {"NPV": "spreadsheet_npv", "IRR": "spreadsheet_irr",
        "benefits": "spreadsheet_benefits", "costs": "spreadsheet_costs"}


def main():
    if len(sys.argv) != 2:
        print(__doc__.split("Usage: ")[1].split("\n")[0], file=sys.stderr)
        return 2
    book = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.csv")
        subprocess.run(["ssconvert", "--recalc", book, out], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        with open(out, newline="") as f:
            rows = list(csv.reader(f))
    found = {}
    for row in rows[:8]:
        if row and row[0] in KEYS:
            found[KEYS[row[0]]] = row[1]
    missing = [k for k in KEYS.values() if k not in found]
    if missing:
        print(f"peer_gnumeric: {book}: no {', '.join(missing)} in the recalculated sheet",
              file=sys.stderr)
        return 1
    for k, v in found.items():
        print(f"{k} {v}")
    with gzip.open(book, "rt") as f:
        n = f.read().count('">=')  # formula cells: <gnm:Cell Row=".." Col="..">=...
    print(f"spreadsheet_formulas {n}")
    ver = subprocess.run(["ssconvert", "--version"], capture_output=True, text=True).stdout
    print(f"ssconvert_version {ver.split(chr(39))[1] if chr(39) in ver else ver.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
