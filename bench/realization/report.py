#!/usr/bin/python3
"""Prints the table of the realization benchmark and checks that VOS and the peer agree.

Usage: bench/realization/report.py KV.txt PORTFOLIO.json PEER.txt
KV.txt holds the key value lines of bench/realization/run.sh (with measure.py's figures of
`vos` and `peer`), PORTFOLIO.json the output of `vos realization portfolio --format json`,
PEER.txt the peer's line "CASES REALIZED".  Exit status 1 when a process failed, the number
of cases differs, or the realized totals differ by more than 1e-9 relative.
"""
import json
import sys

TOLERANCE = 1e-9


def main():
    if len(sys.argv) != 4:
        print(__doc__.split("Usage: ")[1].split("\n")[0], file=sys.stderr)
        return 2
    kv = {}
    with open(sys.argv[1]) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition(" ")
            kv[key] = value
    with open(sys.argv[2]) as f:
        portfolio = json.load(f)
    with open(sys.argv[3]) as f:
        peer_cases, peer_realized = f.read().split()
    vos_cases, vos_realized = int(portfolio["cases"]), float(portfolio["realized_to_date"])
    peer_cases, peer_realized = int(peer_cases), float(peer_realized)
    vos_s, peer_s = float(kv["vos_wall_s"]), float(kv["peer_wall_s"])
    rel = abs(vos_realized - peer_realized) / max(abs(peer_realized), 1e-300)
    print(f"Realization: {kv['cases']} committed cases x {kv['kpis']} KPIs x {kv['days']} daily "
          f"readings ({int(kv['points']):,} points), as of {kv['as_of']}")
    print(f"{'measure':<36}{'vos realization':>18}{'sqlite3 SQL':>14}{'peer/VOS':>10}")
    print(f"{'wall time, whole process':<36}{vos_s:>17.2f}s{peer_s:>13.2f}s"
          f"{peer_s / vos_s:>9.2f}x")
    vos_cpu = float(kv["vos_user_s"]) + float(kv["vos_sys_s"])
    peer_cpu = float(kv["peer_user_s"]) + float(kv["peer_sys_s"])
    print(f"{'CPU time, user + system':<36}{vos_cpu:>17.2f}s{peer_cpu:>13.2f}s")
    print(f"{'cases/s':<36}{vos_cases / vos_s:>18,.1f}{peer_cases / peer_s:>14,.1f}")
    print(f"{'peak resident memory':<36}{int(kv['vos_rss_kb']) / 1024:>15.1f} MB"
          f"{int(kv['peer_rss_kb']) / 1024:>11.1f} MB")
    print(f"{'cases':<36}{vos_cases:>18}{peer_cases:>14}")
    print(f"realized to date, all cases: VOS {vos_realized:,.2f}, peer {peer_realized:,.2f}, "
          f"relative difference {rel:.1e}")
    ok = (kv.get("vos_status") == "0" and kv.get("peer_status") == "0"
          and vos_cases == peer_cases == int(kv["cases"]) and rel <= TOLERANCE)
    if not ok:
        print("realization: VOS and the peer disagree (or a process failed)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
