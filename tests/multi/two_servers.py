#!/usr/bin/python3
"""Two `vos serve` processes on one database: concurrent writes, no lost update, one chain.

Usage: tests/multi/two_servers.py DB_URL

Loads the demo into DB_URL (which must hold no data yet), starts two servers on it
(127.0.0.1, free ports), then WRITERS threads per server write at once for a few seconds:
  - every thread reads one shared case (its ETag) and overrides one of its inputs with
    If-Match: each write either succeeds (200, the revision moves on by one) or is refused
    as stale (412); nothing else is allowed;
  - every thread adds accounts of its own (201 each).
Afterwards, read through both servers: the case's revision is 1 + the number of 200s (no
update was lost or counted twice), its audit history holds exactly that many updates with
revisions 2..N in order, every account is there once, both servers verify the audit chain,
and so does `vos audit verify` on the database.  Both servers stop on SIGTERM with status 0.
Prints `N passed, N failed` as its last line.

Environment: VOS (default build/san/vos), VOS_ROOT (default the repository root),
MULTI_SECONDS (time the writers run, default 4), MULTI_WRITERS (threads per server, default 3).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "api"))
import run as api  # noqa: E402  (tests/api/run.py: Server, VOS, ROOT)

VOS, ROOT = api.VOS, api.ROOT
SECONDS = float(os.environ.get("MULTI_SECONDS", "4"))
WRITERS = int(os.environ.get("MULTI_WRITERS", "3"))
REQUEST_TIMEOUT = api.REQUEST_TIMEOUT
# After run.py's own server options: no rate limit in the way, API only.
SERVER_ARGS = ["--rate", "100000", "--burst", "100000", "--quiet", "--no-web"]
INPUT = "tickets"          # an input of service-desk-automation, range [10500, 13500]
LOW, HIGH = 10500, 13500

checks = {"passed": 0, "failed": 0}


def check(ok, what):
    checks["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    return ok


def run(*args):
    return subprocess.run([VOS, *args], check=True, capture_output=True, text=True,
                          timeout=REQUEST_TIMEOUT * 5).stdout


def serve(name, db, tmp):
    """A `vos serve` of run.py on db, with `name` and `base` (the API's URL) set."""
    s = api.Server(tmp, db, name, SERVER_ARGS)
    s.name = name
    s.base = f"http://127.0.0.1:{s.port}/api/v1"
    return s


def call(base, token, method, path, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    h = {"Authorization": "Bearer " + token}
    if data is not None:
        h["Content-Type"] = "application/json"
    h.update(headers or {})
    req = urllib.request.Request(base + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT) as r:
            return r.status, dict(r.headers), json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            doc = json.loads(raw)
        except ValueError:
            doc = raw.decode(errors="replace")
        return e.code, dict(e.headers), doc


def get_all(base, token, path):
    """Every item of a list, following the `next` cursors; None on an error."""
    items, after = [], None
    while True:
        sep = "&" if "?" in path else "?"
        st, _, doc = call(base, token, "GET", path + (f"{sep}after={after}" if after else ""))
        if st != 200:
            print(f"     GET {path}: {st} {doc}", flush=True)
            return None
        items += doc["items"]
        after = doc.get("next")
        if not after:
            return items


def writer(server, token, case_id, tag, stop_at, out):
    ok = stale = accounts = 0
    other = []
    i = 0
    while time.monotonic() < stop_at:
        i += 1
        st, hd, doc = call(server.base, token, "GET", f"/cases/{case_id}")
        if st != 200:
            other.append(f"GET case: {st} {doc}")
            break
        value = LOW + (hash((tag, i)) % (HIGH - LOW))
        st, _, doc = call(server.base, token, "PUT", f"/cases/{case_id}/inputs/{INPUT}",
                          {"value": value}, {"If-Match": hd.get("ETag", "")})
        if st == 200:
            ok += 1
        elif st == 412:
            stale += 1
        else:
            other.append(f"PUT input: {st} {doc}")
        if i % 4 == 0:
            st, _, doc = call(server.base, token, "POST", "/accounts",
                              {"name": f"Race {tag} {i}", "size": "smb"})
            if st == 201:
                accounts += 1
            else:
                other.append(f"POST account: {st} {doc}")
    out[tag] = {"ok": ok, "stale": stale, "accounts": accounts, "other": other}


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 2
    db = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="vos-multi-")
    servers = []
    try:
        run("demo", "--db", db, "--models", os.path.join(ROOT, "models"))
        token = run("token", "create", "--user", "admin@vos.demo", "--name", "multi",
                    "--db", db).strip().splitlines()[0]
        servers = [serve("a", db, tmp), serve("b", db, tmp)]
        a, b = servers
        accounts_before = len(get_all(a.base, token, "/accounts") or [])
        st, _, case = call(a.base, token, "POST", "/cases",
                           {"account_id": 1, "name": "Two servers", "model":
                            "service-desk-automation"})
        if not check(st == 201, f"case created through server a ({st})"):
            return 1
        case_id = case["id"]
        st, _, seen = call(b.base, token, "GET", f"/cases/{case_id}")
        check(st == 200 and seen["revision"] == 1, "server b reads the case server a made")

        results = {}
        stop_at = time.monotonic() + SECONDS
        threads = [threading.Thread(target=writer, args=(s, token, case_id, f"{s.name}{k}",
                                                         stop_at, results))
                   for s in servers for k in range(WRITERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ok = sum(r["ok"] for r in results.values())
        stale = sum(r["stale"] for r in results.values())
        added = sum(r["accounts"] for r in results.values())
        other = [o for r in results.values() for o in r["other"]]
        print(f"     {ok} updates succeeded, {stale} refused as stale, {added} accounts added, "
              f"per writer: " + ", ".join(f"{k} {v['ok']}/{v['stale']}"
                                          for k, v in sorted(results.items())), flush=True)
        check(not other, "every write answered 200/201 or 412: " + "; ".join(other[:3]))
        check(ok > 0 and all(r["ok"] > 0 for r in results.values()),
              "every writer on both servers got updates through")

        for s in servers:
            st, _, doc = call(s.base, token, "GET", f"/cases/{case_id}")
            check(st == 200 and doc["revision"] == 1 + ok,
                  f"server {s.name}: case revision {doc.get('revision')} = 1 + {ok} updates")
        hist = get_all(a.base, token, f"/audit?entity_type=case&entity_id={case_id}") or []
        updates = [r for r in hist if r["operation"] != "case.create"]
        revs = [r["after"]["revision"] for r in updates]
        check(revs == list(range(2, 2 + ok)),
              f"the case's audit history has {len(updates)} updates with revisions 2..{1 + ok}")
        for s in servers:
            names = [x["name"] for x in get_all(s.base, token, "/accounts") or []]
            check(len(names) == accounts_before + added and len(set(names)) == len(names),
                  f"server {s.name}: {len(names)} accounts = {accounts_before} + {added}, "
                  "each once")
            st, _, doc = call(s.base, token, "GET", "/audit/verify")
            check(st == 200 and doc.get("ok") is True,
                  f"server {s.name}: the audit chain verifies ({st} {doc})")
        for s in servers:
            code = s.stop()
            report = s.sanitizer_report()
            check(code == 0 and report is None,
                  f"server {s.name} stopped with status {code}, no sanitizer report"
                  + (": " + report if report else ""))
        r = subprocess.run([VOS, "audit", "verify", "--db", db], capture_output=True, text=True,
                           timeout=REQUEST_TIMEOUT * 5)
        check(r.returncode == 0, "vos audit verify on the database: " +
              (r.stdout + r.stderr).strip().splitlines()[-1 if r.stdout else 0])
    except Exception as e:  # a broken run is one failure with its reason, not a traceback
        check(False, f"run: {e}")
    finally:
        for s in servers:
            s.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{checks['passed']} passed, {checks['failed']} failed")
    return 0 if checks["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
