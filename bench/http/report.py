#!/usr/bin/python3
"""Prints the table of the read API benchmark from the outputs of wrk.

Usage: bench/http/report.py RUNDIR KEYVALUE_OUT
Reads RUNDIR/env.txt and RUNDIR/{hello,account,figures}.wrk (wrk --latency output), prints the
table and writes the figures as `key value` lines to KEYVALUE_OUT.  Exits 1, after printing,
when a run saw socket errors or answers other than 2xx/3xx, or made no requests.
"""

import os
import re
import sys

# DESIGN section 8: "Read API: sustained thousands of requests/s on 2 cores with p99 under
# 10 ms" -- read here as at least 2,000 requests/s with a p99 latency under 10 ms.
BUDGET_RPS = 2000.0
BUDGET_P99_MS = 10.0

RUNS = [
    ("hello", "libmicrohttpd hello-world (the ceiling)"),
    ("account", "GET /api/v1/accounts/1"),
    ("figures", "GET /api/v1/cases/1/figures"),
]
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def read_env(path):
    out = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition(" ")
            if k:
                out[k] = v
    return out


def duration_ms(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    return float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")


def parse_wrk(path):
    text = open(path).read()
    r = {"rps": float("nan"), "requests": 0, "non2xx": 0, "socket_errors": 0}
    m = re.search(r"Requests/sec:\s+([0-9.]+)", text)
    if m:
        r["rps"] = float(m.group(1))
    m = re.search(r"(\d+) requests in ([0-9.]+\w+)", text)
    if m:
        r["requests"] = int(m.group(1))
    for pct in ("50", "75", "90", "99"):
        m = re.search(r"^\s+%s%%\s+([0-9.]+\w+)" % pct, text, re.M)
        r["p" + pct] = duration_ms(m.group(1)) if m else float("nan")
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        r["non2xx"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        r["socket_errors"] = sum(int(g) for g in m.groups())
    return r


def ms(x):
    return f"{x * 1e3:.0f} us" if x < 1 else f"{x:.2f} ms"


def main():
    if len(sys.argv) != 3:
        print(__doc__.split("Usage: ")[1].split("\n")[0], file=sys.stderr)
        return 2
    run_dir, kv_out = sys.argv[1], sys.argv[2]
    env = read_env(os.path.join(run_dir, "env.txt"))
    res = {name: parse_wrk(os.path.join(run_dir, name + ".wrk")) for name, _ in RUNS}
    failures = []
    lines = []
    w = lines.append
    w(f"VOS read API benchmark  {env.get('date', '')}")
    w(f"machine: {env.get('cpu', '?')}, {env.get('cores', '?')} cores shared by the server and "
      f"wrk; libmicrohttpd {env.get('mhd', '?')}, wrk {env.get('wrk', '?')}")
    w(f"load: wrk {env.get('wrk_threads')} threads, {env.get('connections')} connections, "
      f"{env.get('seconds')} s per endpoint after a warm-up; servers: "
      f"{env.get('server_threads')} worker threads; load average before the run "
      f"{env.get('load', '?')}")
    w("")
    hdr = (f"{'endpoint':<42}{'requests/s':>12}{'p50':>11}{'p99':>11}{'of hello':>10}  "
           f"{'budget':<10}")
    w(hdr)
    w("-" * len(hdr))
    ceiling = res["hello"]["rps"]
    for name, label in RUNS:
        r = res[name]
        ratio = r["rps"] / ceiling if ceiling > 0 else float("nan")
        budget = ""
        if name != "hello":
            ok = r["rps"] >= BUDGET_RPS and r["p99"] < BUDGET_P99_MS
            budget = "ok" if ok else "OVER"
        w(f"{label:<42}{r['rps']:>12,.0f}{ms(r['p50']):>11}{ms(r['p99']):>11}"
          f"{ratio:>9.1%}  {budget:<10}")
        if r["requests"] == 0:
            failures.append(f"{label}: no requests completed")
        if r["non2xx"]:
            failures.append(f"{label}: {r['non2xx']} answers were not 2xx/3xx")
        if r["socket_errors"]:
            failures.append(f"{label}: {r['socket_errors']} socket errors")
    w("")
    w(f"budget (DESIGN 8): a read endpoint sustains >= {BUDGET_RPS:,.0f} requests/s with p99 "
      f"< {BUDGET_P99_MS:g} ms on 2 cores.")
    w("figures computes the case's three scenarios (NPV, IRR, payback, ROI) on every request.")
    for f in failures:
        w("FAILED: " + f)
    print("\n".join(lines))
    with open(kv_out, "w") as f:
        for k, v in env.items():
            f.write(f"{k} {v}\n")
        for name, _ in RUNS:
            for k, v in res[name].items():
                f.write(f"{name}_{k} {v}\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
