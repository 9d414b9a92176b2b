#!/usr/bin/python3
"""Prints the table of the PostgreSQL benchmark: the same work on SQLite and PostgreSQL.

Usage: bench/pg/report.py PG.txt
Reads the `key value` lines bench/pg/run.sh wrote: `vos ingest` of one CSV file into each
backend (points/s, wall and CPU time, peak resident memory) and the read API under wrk
(requests/s and p99 latency of GET /accounts/1 and GET /cases/1/figures) on each backend,
with PostgreSQL's figure as a share of SQLite's.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "ingest"))
from report import read  # noqa: E402  (bench/ingest/report.py: the key value lines)


def ms(x):
    return f"{x * 1e3:.0f} us" if x < 1 else f"{x:.2f} ms"


def main():
    if len(sys.argv) != 2:
        print(__doc__.split("Usage: ")[1].split("\n")[0], file=sys.stderr)
        return 2
    d = read(sys.argv[1])
    n = int(d["points"])
    lines = []
    w = lines.append
    w(f"PostgreSQL next to SQLite  {d.get('date', '')}")
    w(f"machine: {d.get('cpu', '?')}, {d.get('cores', '?')} cores; PostgreSQL "
      f"{d.get('postgres', '?')} (a local throwaway cluster, fsync on), SQLite "
      f"{d.get('sqlite_version', '?')}")
    w("")
    w(f"ingestion: `vos ingest` of {n:,} points from one CSV file (batches of 100,000, each durable "
      "at its commit)")
    hdr = f"{'backend':<12}{'points/s':>12}{'wall':>10}{'user':>9}{'sys':>9}{'peak RSS':>11}"
    w(hdr)
    w("-" * len(hdr))
    rates = {}
    for b in ("sqlite", "postgres"):
        wall = float(d[f"ingest_{b}_wall_s"])
        rates[b] = n / wall
        w(f"{b:<12}{rates[b]:>12,.0f}{wall:>9.2f}s{float(d[f'ingest_{b}_user_s']):>8.2f}s"
          f"{float(d[f'ingest_{b}_sys_s']):>8.2f}s{int(d[f'ingest_{b}_rss_kb']) / 1024:>8.1f} MB")
    w(f"PostgreSQL ingests at {rates['postgres'] / rates['sqlite']:.0%} of SQLite's rate "
      "(its client and server share the two cores).")
    w("")
    w("read API: requests/s and p99 under wrk (vos serve, one process)")
    hdr = (f"{'endpoint':<28}{'SQLite r/s':>12}{'p99':>10}{'PostgreSQL r/s':>16}{'p99':>10}"
           f"{'PG/SQLite':>11}")
    w(hdr)
    w("-" * len(hdr))
    for name, label in (("account", "GET /accounts/1"), ("figures", "GET /cases/1/figures")):
        s_rps = float(d[f"http_sqlite_{name}_rps"])
        p_rps = float(d[f"http_postgres_{name}_rps"])
        w(f"{label:<28}{s_rps:>12,.0f}{ms(float(d[f'http_sqlite_{name}_p99'])):>10}"
          f"{p_rps:>16,.0f}{ms(float(d[f'http_postgres_{name}_p99'])):>10}"
          f"{p_rps / s_rps:>10.0%}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
