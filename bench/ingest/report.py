#!/usr/bin/python3
"""Prints the table of the measurement ingestion benchmark.

Usage: bench/ingest/report.py INGEST.txt
Reads the `key value` lines bench/ingest/run.sh wrote and prints points/s, wall and CPU time
and peak resident memory of `vos ingest` and of the sqlite3 shell's .import of the same file,
with the ratio and the budget of DESIGN section 8 (at least 300,000 points/s durable into
SQLite from CSV), judged on the ingestion as `vos ingest` reports it (from the first byte of
the file to the commit of the last batch; the alerts it then evaluates are not ingestion) and
shown for the whole process too.  A figure over budget is marked OVER; it does not fail the
run.
"""

import sys

BUDGET_POINTS_S = 300000


def read(path):
    out = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition(" ")
            if k:
                out[k] = v
    return out


def main():
    if len(sys.argv) != 2:
        print(__doc__.split("Usage: ")[1].split("\n")[0], file=sys.stderr)
        return 2
    d = read(sys.argv[1])
    n = int(d["points"])
    vw, pw = float(d["vos_wall_s"]), float(d["sqlite3_wall_s"])
    vi = float(d.get("vos_ingest_s", vw))
    rate_v, rate_p, rate_i = n / vw, n / pw, n / vi
    lines = []
    w = lines.append
    w(f"Measurement ingestion benchmark  {d.get('date', '')}")
    w(f"machine: {d.get('cpu', '?')}, {d.get('cores', '?')} cores; SQLite "
      f"{d.get('sqlite_version', '?')}")
    w(f"file: {n:,} points ({d.get('series')} series, hourly, time-ordered), "
      f"{int(d['csv_bytes']) / 1e6:,.0f} MB of CSV")
    w("")
    hdr = f"{'measure':<40}{'vos ingest':>16}{'sqlite3 .import':>18}{'peer/VOS':>10}  budget"
    w(hdr)
    w("-" * (len(hdr) + 16))
    ok = rate_i >= BUDGET_POINTS_S
    w(f"{'points/s durable (the ingestion)':<40}{rate_i:>16,.0f}{rate_p:>18,.0f}"
      f"{rate_p / rate_i:>9.2f}x  >= {BUDGET_POINTS_S:,}: {'met' if ok else 'OVER'}")
    w(f"{'points/s (whole process, alerts too)':<40}{rate_v:>16,.0f}{rate_p:>18,.0f}"
      f"{rate_p / rate_v:>9.2f}x")
    w(f"{'wall time':<40}{vw:>15.2f}s{pw:>17.2f}s")
    cv = float(d["vos_user_s"]) + float(d["vos_sys_s"])
    cp = float(d["sqlite3_user_s"]) + float(d["sqlite3_sys_s"])
    w(f"{'CPU time (user + system)':<40}{cv:>15.2f}s{cp:>17.2f}s")
    w(f"{'peak resident memory':<40}{int(d['vos_rss_kb']) / 1024:>13.1f} MB"
      f"{int(d['sqlite3_rss_kb']) / 1024:>15.1f} MB")
    w(f"{'database size':<40}{int(d['vos_db_bytes']) / 1e6:>13,.0f} MB"
      f"{int(d['peer_db_bytes']) / 1e6:>15,.0f} MB")
    w("")
    if "floor_s" in d:
        fl = float(d["floor_s"])
        w(f"SQLite floor: a C loop storing {n:,} points of the same shape into VOS's schema "
          f"(prepared upsert, batches of 100,000 sorted by series, no CSV, checks or audit): "
          f"{fl:.2f} s, {n / fl:,.0f} points/s; vos ingest's ingestion takes "
          f"{vi / fl:.2f}x that.")
    w(f"vos ingest reports {vi:.2f} s for the ingestion itself ({rate_i:,.0f} points/s); the "
      f"rest of the process is opening the database and evaluating the alerts of the cases "
      f"that received points.")
    w("vos ingest checks every row of the file (accounts, committed KPIs, times, values) before "
      "it writes anything, then writes batches of 100,000 rows, each one transaction and one "
      "audited ingestion (WAL, synchronous=FULL, the unique key (account, kpi, time, source), "
      "two foreign keys, the SHA-256 of every point for the audit record).  The peer imports "
      "into a table of five text columns with the same unique key (account, kpi, time, "
      "source), in one transaction, without reference, check or audit.")
    w(f"vos audit verify of the result (integrity check, audit chain, every point's digest "
      f"recomputed): {float(d['verify_wall_s']):.2f} s.")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
