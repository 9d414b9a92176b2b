#!/usr/bin/python3
"""Wall-clock time of a whole command, process start included.

Usage: bench/wall.py PREFIX RUNS CMD [ARG...]
Uses hyperfine when it is installed (`-N`: no shell, so nothing is subtracted), else a loop
of RUNS runs after one warm-up.  Prints `PREFIX_ms` (median), `PREFIX_ms_min`,
`PREFIX_runs` and `PREFIX_timer` (hyperfine or loop).  The command's output is discarded;
a failing run is an error.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def with_hyperfine(runs, cmd):
    with tempfile.TemporaryDirectory() as tmp:
        export = os.path.join(tmp, "h.json")
        line = " ".join(cmd)
        subprocess.run(["hyperfine", "-N", "--warmup", "1", "--runs", str(runs),
                        "--export-json", export, "--", line],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(export) as f:
            res = json.load(f)["results"][0]
    times = res["times"]
    return statistics.median(times), min(times)


def with_loop(runs, cmd):
    def once():
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - t0
    once()
    times = [once() for _ in range(runs)]
    return statistics.median(times), min(times)


def main():
    if len(sys.argv) < 4:
        print(__doc__.split("Usage: ")[1].split("\n")[0], file=sys.stderr)
        return 2
    prefix, runs, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    use_hf = shutil.which("hyperfine") is not None and all(" " not in a for a in cmd)
    med, low = with_hyperfine(runs, cmd) if use_hf else with_loop(runs, cmd)
    print(f"{prefix}_ms {med * 1e3:.3f}\n{prefix}_ms_min {low * 1e3:.3f}\n"
          f"{prefix}_runs {runs}\n{prefix}_timer {'hyperfine' if use_hf else 'loop'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
