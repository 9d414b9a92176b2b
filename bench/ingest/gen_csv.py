#!/usr/bin/python3
"""Writes the measurement file of the ingestion benchmark, and the KPI commitments it needs.

Usage: bench/ingest/gen_csv.py OUT.csv POINTS [--kpis-dir DIR]
The file is what a telemetry export looks like: the header account,kpi,time,value,source,
then one hourly reading of every series per hour, oldest first, ending at the last full
hour before now (so no time is in the future).  The series are the KPIs committed to in the
accounts of bench/ingest/setup.sh: ACCOUNTS accounts named "Bench Account NNN", each with
the five KPIs of the service-desk-automation model, one source per account.  Values follow a
seeded random walk with two decimals.  The same POINTS give the same bytes on every run
within the same hour.

With --kpis-dir, also writes DIR/kpis.yaml, the commitment file setup.sh gives to
`vos case commit --kpis`.
"""

import datetime
import os
import random
import sys

ACCOUNTS = 40
KPIS = [  # (kpi, baseline, target, start of the walk)
    ("triage_effort", 4.0, 1.5, 4.0),
    ("mttr", 9.5, 7.0, 9.5),
    ("self_service_rate", 20.0, 35.0, 20.0),
    ("escalation_share", 18.0, 12.0, 18.0),
    ("p1_incidents", 6.0, 3.0, 6.0),
]
SEED = 20261123
LINES_PER_WRITE = 20000


def account_name(i):
    return f"Bench Account {i:03d}"


def write_kpis(path):
    today = datetime.date.today().replace(day=1)  # the first of a month exists in every year
    with open(path, "w") as f:
        for kpi, base, target, _ in KPIS:
            f.write(f"- kpi: {kpi}\n")
            f.write(f"  baseline: {{value: {base}, date: {today.replace(year=today.year - 6)}}}\n")
            f.write(f"  target: {{value: {target}, date: {today.replace(year=today.year + 1)}}}\n")
            f.write("  data_source: bench telemetry\n")


def main():
    args = sys.argv[1:]
    kpis_dir = None
    if "--kpis-dir" in args:
        i = args.index("--kpis-dir")
        kpis_dir = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__.split("Usage: ")[1].split("\n")[0], file=sys.stderr)
        return 2
    out, points = args[0], int(args[1])
    if kpis_dir:
        write_kpis(os.path.join(kpis_dir, "kpis.yaml"))
    series = [(account_name(a), kpi, start, f"bench-telemetry-{a:03d}")
              for a in range(ACCOUNTS) for kpi, _, _, start in KPIS]
    hours = -(-points // len(series))
    end = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0)
    t = end - datetime.timedelta(hours=hours - 1)
    rng = random.Random(SEED)
    level = [s[2] for s in series]
    written = 0
    with open(out, "w", newline="") as f:
        f.write("account,kpi,time,value,source\r\n")
        buf = []
        while written < points:
            stamp = t.strftime("%Y-%m-%dT%H:%M:%SZ")
            for k, (acct, kpi, _, src) in enumerate(series):
                if written == points:
                    break
                level[k] = max(0.0, level[k] + rng.uniform(-0.05, 0.05) * (1 + level[k] / 10))
                buf.append(f"{acct},{kpi},{stamp},{level[k]:.2f},{src}\r\n")
                written += 1
            if len(buf) >= LINES_PER_WRITE:
                f.write("".join(buf))
                buf.clear()
            t += datetime.timedelta(hours=1)
        f.write("".join(buf))
    return 0


if __name__ == "__main__":
    sys.exit(main())
