#!/usr/bin/python3
"""Runs one command and reports its wall time, CPU time and peak resident memory.

Usage: bench/ingest/measure.py NAME OUT.txt COMMAND [ARG...]
Appends `NAME_wall_s`, `NAME_user_s`, `NAME_sys_s`, `NAME_rss_kb` and `NAME_status` lines to
OUT.txt (key value), from os.wait4 on the command's own process (so the figures are the
command's alone), and passes its standard output through.  Exits with the command's status.
"""

import os
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 4:
        print(__doc__.split("Usage: ")[1].split("\n")[0], file=sys.stderr)
        return 2
    name, out, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t0
    code = os.waitstatus_to_exitcode(status)
    with open(out, "a") as f:
        f.write(f"{name}_wall_s {wall:.3f}\n{name}_user_s {ru.ru_utime:.3f}\n"
                f"{name}_sys_s {ru.ru_stime:.3f}\n{name}_rss_kb {ru.ru_maxrss}\n"
                f"{name}_status {code}\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
