#!/usr/bin/python3
"""Writes the inputs of the realization benchmark.

Usage: bench/realization/gen.py DIR CASES DAYS START_DATE
Writes into DIR:
  model.yaml  the model bench-realization: 20 KPIs (hours, lower is better), and for each
              one a cost driver kNN_savings = volume x hours saved x rate whose `realized`
              formula is volume x (baseline(kNN) - actual(kNN)) x rate; 3 years, monthly
              periods, no ramp, realization 100%, one monthly cost;
  kpis.yaml   the commitment of every case: each KPI's baseline on START_DATE, its target
              three years later;
  points.csv  one reading a day of every KPI of every account "Realization NNNN" (CASES
              accounts), DAYS days from START_DATE at 12:00 UTC, values a seeded walk from the
              baseline towards the target with two decimals;
  peer.sql    the peer: the same realized value to date of every case as one SQL query of the
              measurements table (run by the sqlite3 shell), with the model's figures.
The same arguments give the same bytes.
"""

import datetime
import os
import random
import sys

KPIS = 20
SEED = 20261124
PERIOD_DAYS = 365.25 / 12  # the mean calendar month of docs/realization.md
PERIODS = 36
LINES_PER_WRITE = 50000


def kpi_figures(k):
    """(baseline, target, volume a month, rate USD/h, hours saved) of KPI k."""
    baseline = 10.0 + k
    target = baseline * (0.6 + 0.01 * k)
    volume = 1000 + 250 * k
    rate = 40 + k
    return baseline, target, volume, rate, baseline - target


def write_model(path):
    with open(path, "w") as f:
        f.write("model: bench-realization\nversion: 1.0.0\nname: Realization benchmark\n")
        f.write("currency: USD\nhorizon: {years: 3, period: month}\ndiscount_rate: 0%\n")
        f.write("kpis:\n")
        for k in range(KPIS):
            f.write(f"  - {{id: k{k:02d}, name: Hours per task {k}, unit: h, better: lower}}\n")
        f.write("inputs:\n")
        for k in range(KPIS):
            _, _, volume, rate, saved = kpi_figures(k)
            for name, value, unit in ((f"volume_{k:02d}", volume, "1/month"),
                                      (f"saved_{k:02d}", saved, "h"),
                                      (f"rate_{k:02d}", rate, "USD/h")):
                f.write(f"  {name}: {{value: {value!r}, unit: {unit}, evidence: bench, "
                        f"confidence: high}}\n")
        f.write("drivers:\n")
        for k in range(KPIS):
            f.write(f"  - id: k{k:02d}_savings\n    lever: cost\n")
            f.write(f"    formula: volume_{k:02d} * saved_{k:02d} * rate_{k:02d}\n")
            f.write(f"    realized: volume_{k:02d} * (baseline(k{k:02d}) - actual(k{k:02d}))"
                    f" * rate_{k:02d}\n")
            f.write("    realization: 100%\n")
        f.write("costs:\n  - {id: licence, formula: 1000 USD/month}\n")


def write_kpis(path, start):
    end = start.replace(year=start.year + 3)
    with open(path, "w") as f:
        for k in range(KPIS):
            baseline, target, _, _, _ = kpi_figures(k)
            f.write(f"- kpi: k{k:02d}\n")
            f.write(f"  baseline: {{value: {baseline!r}, date: {start}}}\n")
            f.write(f"  target: {{value: {target!r}, date: {end}}}\n")
            f.write("  data_source: bench\n")


def write_points(path, cases, days, start):
    rng = random.Random(SEED)
    with open(path, "w", newline="") as f:
        f.write("account,kpi,time,value,source\r\n")
        buf = []
        stamps = [(start + datetime.timedelta(days=d)).isoformat() + "T12:00:00Z"
                  for d in range(days)]
        for a in range(cases):
            account = f"Realization {a:04d}"
            for k in range(KPIS):
                baseline, target, _, _, _ = kpi_figures(k)
                step = (target - baseline) / days
                level = baseline
                for d in range(days):
                    level += step
                    value = level + rng.uniform(-0.5, 0.5)
                    buf.append(f"{account},k{k:02d},{stamps[d]},{value:.2f},bench\r\n")
                if len(buf) >= LINES_PER_WRITE:
                    f.write("".join(buf))
                    buf.clear()
        f.write("".join(buf))


def elapsed(days):
    """The periods elapsed at the end of the last day of readings (docs/realization.md)."""
    k = 0
    while k < PERIODS and (k + 1) * PERIOD_DAYS <= days - 1e-6:
        k += 1
    return k


def write_peer(path, start, days):
    """realized(d, k) = volume x (baseline - mean of period k) x rate, summed over the
    periods 1..36 of every case (daily readings: no period is empty, nothing to carry)."""
    with open(path, "w") as f:
        f.write("-- The peer of the realization benchmark (written by bench/realization/gen.py)\n")
        f.write("CREATE TEMP TABLE kpi (kpi_key TEXT PRIMARY KEY, baseline REAL, factor REAL);\n")
        f.write("INSERT INTO kpi VALUES\n")
        rows = []
        for k in range(KPIS):
            baseline, _, volume, rate, _ = kpi_figures(k)
            rows.append(f"  ('k{k:02d}', {baseline!r}, {float(volume * rate)!r})")
        f.write(",\n".join(rows) + ";\n")
        f.write(
            "SELECT count(DISTINCT account_id) AS cases, printf('%.6f', sum(kpi.factor * "
            "(kpi.baseline - mean))) AS realized\n"
            "FROM (SELECT account_id, kpi_key, avg(value) AS mean,\n"
            f"             CAST((julianday(at) - julianday('{start}')) / {PERIOD_DAYS!r} AS "
            "INTEGER) + 1 AS period\n"
            "      FROM measurements\n"
            f"      WHERE at >= '{start}'\n"
            "      GROUP BY account_id, kpi_key, period)\n"
            f"JOIN kpi USING (kpi_key) WHERE period BETWEEN 1 AND {elapsed(days)};\n")


def main():
    if len(sys.argv) != 5:
        print(__doc__.split("Usage: ")[1].split("\n")[0], file=sys.stderr)
        return 2
    out, cases, days = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    start = datetime.date.fromisoformat(sys.argv[4])
    write_model(os.path.join(out, "model.yaml"))
    write_kpis(os.path.join(out, "kpis.yaml"), start)
    write_peer(os.path.join(out, "peer.sql"), start, days)
    write_points(os.path.join(out, "points.csv"), cases, days, start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
