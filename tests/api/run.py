#!/usr/bin/env python3
"""API tests: starts the real `vos serve` on a free loopback port over a fresh demo database
and runs the numbered case files tests/api/NNNN-name.json in order (format: README.md).

Usage: tests/api/run.py [CASE ...]      (case names or paths; default: every case)
Environment:
  VOS          the vos binary (default build/san/vos under the repository root)
  VOS_ROOT     the repository root (default: two directories above this file)
  API_TIMEOUT  seconds for the whole run (default 900)
  API_VERBOSE  1: print the server's log after a failure

Prints "ok NNNN-name" or "FAIL NNNN-name: step K: ..." per case file and ends with the line
"N passed, N failed".  Exit status 0 when nothing failed."""

import glob
import http.client
import json
import os
import re
import signal
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.environ.get("VOS_ROOT") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
VOS = os.environ.get("VOS") or os.path.join(ROOT, "build", "san", "vos")
TIMEOUT = float(os.environ.get("API_TIMEOUT", "900"))
VERBOSE = os.environ.get("API_VERBOSE") == "1"
DB_URL = os.environ.get("API_DB")  # the database URL (an empty one); default a new SQLite file
DEMO_PASSWORD = "vos-demo-password"
START_TIMEOUT = 60      # seconds to wait for a server's port file
STOP_TIMEOUT = 60       # seconds to wait for a server to exit after SIGTERM
REQUEST_TIMEOUT = 120   # seconds of one request
# Limits of the shared server: generous, so that only the cases that test limits meet them.
SERVER_ARGS = ["--threads", "2", "--login-rate", "6000", "--rate", "1000", "--burst", "5000"]
SANITIZER = re.compile(r"AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class CaseFailure(Exception):
    pass


class Server:
    """One `vos serve` process with its log and its signed-in sessions."""

    def __init__(self, workdir, db, name, extra_args=()):
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.port_file = os.path.join(self.dir, "port")
        self.log_path = os.path.join(self.dir, "server.log")
        self.log = open(self.log_path, "wb")
        args = [VOS, "serve", "--db", db, "--listen", "127.0.0.1:0",
                "--port-file", self.port_file] + SERVER_ARGS + list(extra_args)
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        self.port = None
        self.sessions = {}
        deadline = time.time() + START_TIMEOUT
        while time.time() < deadline:
            if os.path.exists(self.port_file):
                with open(self.port_file) as f:
                    text = f.read().strip()
                if text:
                    self.port = int(text)
                    return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.kill()
        raise CaseFailure("the server did not start: " + self.log_text()[-2000:])

    def log_text(self):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self):
        """SIGTERM, then the exit status (None when it had to be killed)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def sanitizer_report(self):
        m = SANITIZER.search(self.log_text())
        if not m:
            return None
        text = self.log_text()
        return text[max(0, m.start() - 200):m.start() + 3000]


# ---- requests ----

def substitute(value, env):
    """${var} in strings, recursively; a string that is exactly "${var}" takes the variable's
    value with its JSON type."""
    if isinstance(value, str):
        whole = re.fullmatch(r"\$\{([A-Za-z0-9_]+)\}", value)
        if whole:
            if whole.group(1) not in env:
                raise CaseFailure("unknown variable ${%s}" % whole.group(1))
            return env[whole.group(1)]

        def one(m):
            if m.group(1) not in env:
                raise CaseFailure("unknown variable ${%s}" % m.group(1))
            v = env[m.group(1)]
            return v if isinstance(v, str) else json.dumps(v)
        return re.sub(r"\$\{([A-Za-z0-9_]+)\}", one, value)
    if isinstance(value, list):
        return [substitute(v, env) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, env) for k, v in value.items()}
    return value


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body        # bytes
        self.text = body.decode("utf-8", "replace")
        try:
            self.json = json.loads(self.text) if self.text else None
        except ValueError:
            self.json = None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def cookie(self, name):
        for k, v in self.headers:
            if k.lower() == "set-cookie":
                first = v.split(";", 1)[0]
                if first.split("=", 1)[0].strip() == name:
                    return first.split("=", 1)[1]
        return None


def raw_request(port, method, path, headers, body, pause_ms=0, started=None, headers_only=False):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in headers.items():
            conn.putheader(k, v)
        if body is not None and "content-length" not in {k.lower() for k in headers}:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        if body and not headers_only:
            if pause_ms:
                half = len(body) // 2
                conn.send(body[:half])
                if started:
                    started.set()
                time.sleep(pause_ms / 1000.0)
                conn.send(body[half:])
            else:
                try:
                    conn.send(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the server answered early; read its reply
        if started:
            started.set()
        resp = conn.getresponse()
        return Reply(resp.status, resp.getheaders(), resp.read())
    finally:
        conn.close()


def request_body(step, env):
    if "body_gen" in step:
        g = step["body_gen"]
        text = g.get("head", "") + g.get("sep", ",").join([g.get("item", "0")] * g["count"]) + \
            g.get("tail", "")
        return text.encode(), None
    if "body_size" in step:
        return b"x" * step["body_size"], None
    if "body" not in step:
        return None, None
    body = substitute(step["body"], env)
    if isinstance(body, str):
        return body.encode(), None
    return json.dumps(body).encode(), "application/json"


class Runner:
    def __init__(self, server, env):
        self.server = server
        self.env = env
        self.pending = {}

    def sign_in(self, email):
        s = self.server.sessions.get(email)
        if s:
            return s
        body = json.dumps({"email": email, "password": DEMO_PASSWORD}).encode()
        r = raw_request(self.server.port, "POST", "/api/v1/session",
                        {"Content-Type": "application/json"}, body)
        if r.status != 201 or not r.json:
            raise CaseFailure("signing in as %s: %d %s" % (email, r.status, r.text[:300]))
        s = (r.cookie("vos_session"), r.json["csrf_token"])
        self.server.sessions[email] = s
        return s

    def build(self, step):
        method = step.get("method", "GET")
        path = substitute(step["path"], self.env)
        headers = {}
        who = substitute(step.get("as", "anonymous"), self.env)
        if who.startswith("bearer:"):
            name = who[len("bearer:"):]
            if name not in self.env:
                raise CaseFailure("no saved token '%s'" % name)
            headers["Authorization"] = "Bearer " + str(self.env[name])
        elif who.startswith("cookie:"):
            headers["Cookie"] = "vos_session=" + str(self.env[who[len("cookie:"):]])
        elif who != "anonymous":
            cookie, csrf = self.sign_in(who)
            headers["Cookie"] = "vos_session=" + cookie
            want = step.get("csrf", True)
            if method in UNSAFE and want is not False:
                headers["X-CSRF-Token"] = csrf if want is True else str(want)
        body, ctype = request_body(step, self.env)
        if ctype:
            headers["Content-Type"] = ctype
        for k, v in substitute(step.get("headers", {}), self.env).items():
            if v is None:
                headers.pop(k, None)
            else:
                headers[k] = str(v)
        return method, path, headers, body

    def send(self, step, started=None):
        method, path, headers, body = self.build(step)
        return raw_request(self.server.port, method, path, headers, body,
                           step.get("pause_ms", 0), started, step.get("headers_only", False))

    def run_step(self, step):
        if "sleep_ms" in step:
            time.sleep(step["sleep_ms"] / 1000.0)
            return
        if "signal" in step:
            self.server.proc.send_signal(getattr(signal, "SIG" + step["signal"]))
            return
        if "exit" in step:
            try:
                code = self.server.proc.wait(step.get("within_ms", STOP_TIMEOUT * 1000) / 1000.0)
            except subprocess.TimeoutExpired:
                raise CaseFailure("the server did not exit")
            if code != step["exit"]:
                raise CaseFailure("the server exited %s, not %s" % (code, step["exit"]))
            return
        if "async" in step:
            started = threading.Event()
            box = {}

            def work():
                try:
                    box["reply"] = self.send(step, started)
                except Exception as e:  # reported by the "wait" step
                    box["error"] = e
                    started.set()
            t = threading.Thread(target=work, daemon=True)
            t.start()
            started.wait(REQUEST_TIMEOUT)
            self.pending[step["async"]] = (t, box)
            return
        if "wait" in step:
            t, box = self.pending.pop(step["wait"])
            t.join(REQUEST_TIMEOUT)
            if "error" in box:
                raise CaseFailure("request '%s' failed: %s" % (step["wait"], box["error"]))
            if "reply" not in box:
                raise CaseFailure("request '%s' got no reply" % step["wait"])
            self.check(step, box["reply"])
            return
        tries = step.get("repeat", 1)
        for i in range(tries):
            r = self.send(step)
            if r.status in expected_statuses(step) or i == tries - 1:
                break
        self.check(step, r)

    def check(self, step, r):
        want = expected_statuses(step)
        if want and r.status not in want:
            raise CaseFailure("status %d, expected %s: %s" % (
                r.status, "/".join(map(str, want)), r.text[:500]))
        if "body_has" in step:
            if r.json is None:
                raise CaseFailure("the reply is not JSON: %r" % r.text[:300])
            why = subset(substitute(step["body_has"], self.env), r.json, "$")
            if why:
                raise CaseFailure(why + " in " + r.text[:500])
        for s in step.get("body_text_has", []):
            if substitute(s, self.env) not in r.text:
                raise CaseFailure("the reply lacks %r: %s" % (s, r.text[:300]))
        for s in step.get("body_text_lacks", []):
            if substitute(s, self.env) in r.text:
                raise CaseFailure("the reply has %r: %s" % (s, r.text[:300]))
        for k, v in step.get("headers_has", {}).items():
            got = r.header(k)
            if got is None:
                raise CaseFailure("no %s header" % k)
            if not text_matches(substitute(v, self.env), got):
                raise CaseFailure("header %s is %r, expected %r" % (k, got, v))
        for k in step.get("headers_lacks", []):
            if r.header(k) is not None:
                raise CaseFailure("unexpected header %s: %s" % (k, r.header(k)))
        for var, where in step.get("save", {}).items():
            self.env[var] = extract(r, where)
        if "check" in step:
            CHECKS[step["check"]](r, self)


def expected_statuses(step):
    s = step.get("status")
    if s is None:
        return []
    return s if isinstance(s, list) else [s]


def text_matches(want, got):
    if want == "*":
        return True
    if isinstance(want, str) and want.startswith("~"):
        return re.search(want[1:], got) is not None
    return want == got


def subset(want, got, where):
    """None when `got` contains `want`: objects by key, arrays by each expected element
    matching some element, strings exactly ("*" anything, "~regex" a search)."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return "%s is not an object" % where
        for k, v in want.items():
            if k not in got:
                return "%s.%s is missing" % (where, k)
            why = subset(v, got[k], "%s.%s" % (where, k))
            if why:
                return why
        return None
    if isinstance(want, list):
        if not isinstance(got, list):
            return "%s is not an array" % where
        for i, v in enumerate(want):
            if not any(subset(v, g, where) is None for g in got):
                return "%s has no element like %s" % (where, json.dumps(v))
        return None
    if isinstance(want, str) and isinstance(got, str):
        return None if text_matches(want, got) else "%s is %r, expected %r" % (where, got, want)
    if isinstance(want, bool) or isinstance(got, bool) or want is None or got is None:
        return None if want is got or want == got and type(want) is type(got) else \
            "%s is %s, expected %s" % (where, json.dumps(got), json.dumps(want))
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return None if want == got else "%s is %s, expected %s" % (where, got, want)
    return "%s is %s, expected %s" % (where, json.dumps(got), json.dumps(want))


def extract(r, where):
    if where.startswith("header:"):
        return r.header(where[len("header:"):])
    if where.startswith("cookie:"):
        return r.cookie(where[len("cookie:"):])
    if where == "body":
        return r.text
    v = r.json
    for part in where.split(".") if where else []:
        if isinstance(v, list) and part.isdigit() and int(part) < len(v):
            v = v[int(part)]
        elif isinstance(v, dict) and part in v:
            v = v[part]
        else:
            raise CaseFailure("nothing at %s in %s" % (where, r.text[:300]))
    return v


# ---- checks too specific for the case format ("check": NAME) ----

def check_openapi(r, runner):
    """The document is OpenAPI 3.1 and names every route of `vos serve --print-routes`."""
    doc = r.json
    if not doc or doc.get("openapi") != "3.1.0":
        raise CaseFailure("not an OpenAPI 3.1 document")
    table = subprocess.run([VOS, "serve", "--print-routes"], capture_output=True, text=True,
                           timeout=60).stdout
    routes = re.findall(r"^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \|", table, re.M)
    if len(routes) < 5:
        raise CaseFailure("--print-routes lists %d routes" % len(routes))
    ids = set()
    for method, path in routes:
        op = doc["paths"].get(path, {}).get(method.lower())
        if not op:
            raise CaseFailure("the document lacks %s %s" % (method, path))
        if op["operationId"] in ids:
            raise CaseFailure("operationId %s twice" % op["operationId"])
        ids.add(op["operationId"])
    n_ops = sum(len(v) for v in doc["paths"].values())
    if n_ops != len(routes):
        raise CaseFailure("the document has %d operations, the table %d" % (n_ops, len(routes)))


def check_metrics(r, runner):
    """Prometheus text: every sample line is `name{labels} value` with a TYPE line before."""
    typed = set()
    for line in r.text.splitlines():
        if line.startswith("# TYPE "):
            typed.add(line.split()[2])
        elif line and not line.startswith("#"):
            m = re.fullmatch(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})? (\S+)',
                             line)
            if not m:
                raise CaseFailure("malformed metrics line %r" % line)
            base = re.sub(r"_(bucket|sum|count)$", "", m.group(1))
            if m.group(1) not in typed and base not in typed:
                raise CaseFailure("no TYPE for %s" % m.group(1))
            float(m.group(3).replace("+Inf", "inf"))


def check_docs_routes(r, runner):
    """docs/api.md holds the route table of `vos serve --print-routes` as it is now."""
    table = subprocess.run([VOS, "serve", "--print-routes"], capture_output=True, text=True,
                           timeout=60).stdout
    with open(os.path.join(ROOT, "docs", "api.md")) as f:
        page = f.read()
    m = re.search(r"<!-- routes: vos serve --print-routes -->\n(.*?)<!-- end of routes -->",
                  page, re.S)
    if not m:
        raise CaseFailure("docs/api.md has no route table markers")
    if m.group(1) != table:
        raise CaseFailure("the route table of docs/api.md differs from `vos serve "
                          "--print-routes`: paste the new table there")


CHECKS = {"openapi": check_openapi, "metrics": check_metrics, "docs_routes": check_docs_routes}


# ---- the run ----

def load_case(path):
    with open(path) as f:
        data = json.load(f)
    if isinstance(data, list):
        return {"steps": data}
    return data


def run_case(path, shared, workdir, db):
    case = load_case(path)
    name = os.path.basename(path)[:-len(".json")]
    own = None
    try:
        server = shared
        if "server" in case:
            own = server = Server(workdir, db, name, case["server"].get("args", []))
        runner = Runner(server, {})
        for k, step in enumerate(case["steps"], 1):
            try:
                runner.run_step(step)
            except CaseFailure as e:
                raise CaseFailure("step %d: %s" % (k, e))
            except (OSError, http.client.HTTPException, ValueError, KeyError) as e:
                raise CaseFailure("step %d: %s: %s" % (k, type(e).__name__, e))
        if own:
            code = own.stop()
            if code not in (0, None) or own.proc.returncode != 0:
                raise CaseFailure("its server exited %s" % own.proc.returncode)
            report = own.sanitizer_report()
            if report:
                raise CaseFailure("sanitizer report in the server log:\n" + report)
        return None
    except CaseFailure as e:
        if own and VERBOSE:
            sys.stdout.write(own.log_text()[-4000:])
        return str(e)
    finally:
        if own:
            own.kill()


def main(argv):
    if not os.access(VOS, os.X_OK):
        print("FAIL api: %s is not built" % VOS)
        print("0 passed, 1 failed")
        return 1
    names = argv[1:]
    here = os.path.dirname(os.path.abspath(__file__))
    if names:
        paths = [n if os.path.exists(n) else os.path.join(here, n + ".json") for n in names]
    else:
        paths = sorted(glob.glob(os.path.join(here, "[0-9]*.json")))
    workdir = tempfile.mkdtemp(prefix="vos-api-")
    db = DB_URL or "sqlite:" + os.path.join(workdir, "vos.db")
    passed = failed = 0
    shared = None

    def on_alarm(signum, frame):
        raise CaseFailure("the API tests took longer than %g s" % TIMEOUT)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(TIMEOUT))
    try:
        demo = subprocess.run([VOS, "demo", "--db", db, "--models",
                               os.path.join(ROOT, "models")], capture_output=True, text=True)
        if demo.returncode != 0:
            raise CaseFailure("vos demo failed: " + demo.stderr[-2000:])
        shared = Server(workdir, db, "shared")
        for path in paths:
            name = os.path.basename(path)[:-len(".json")]
            why = run_case(path, shared, workdir, db)
            if why is None:
                passed += 1
                print("ok   %s" % name)
            else:
                failed += 1
                print("FAIL %s: %s" % (name, why))
            sys.stdout.flush()
        code = shared.stop()
        report = shared.sanitizer_report()
        if code != 0 or report:
            failed += 1
            print("FAIL server: exit status %s%s" % (code, "\n" + report if report else ""))
    except CaseFailure as e:
        failed += 1
        print("FAIL api: %s" % e)
    finally:
        signal.alarm(0)
        if shared:
            if failed and VERBOSE:
                sys.stdout.write(shared.log_text()[-6000:])
            shared.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
