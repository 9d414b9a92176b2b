#!/usr/bin/env python3
"""The authorization matrix of the API: every route x every demo role.

Starts `vos serve` on a fresh demo database (with the helpers of tests/api/run.py), signs in
each demo user once, and sends every route of /api/v1/openapi.json as every role.  What each
role may do is computed from the permission table in src/app/app.c (`permissions`, the table
vos_app_allows answers from) and the operation each route performs (OPS below):

  - allowed: the status is not 401 or 403 (nor 5xx; a GET of the role's own data not 404);
  - forbidden: 403;
  - scoped roles (customers, the partner) asking for an account outside their scope (its
    account, case, measurements, alerts or proof points, by path, query or body): 404 when
    the operation is allowed to the role (403 or 404 when it is not), never 2xx, and the reply
    holds nothing of that account (its name, its case's name, its ids);
  - any reply to a scoped role holds no account outside the scope (names or account_id);
  - a write that fails (forbidden, hidden or refused) leaves the audit log unchanged (its
    length, read as admin from GET /api/v1/audit before and after);
  - the portfolio shows each role the accounts of its committed cases: scoped roles their
    own account only, the others every account with a committed case.

Most routes are checked against one operation of the table.  Two rules are not entries of it:
  - webhooks are for admins only (src/app/app_webhooks.c, allow_admin; no operation of the
    table names them): rule "admin";
  - POST /api/v1/alerts/evaluate checks VOS_OP_ALERT_UPDATE, and for one case also lets in
    whoever may send measurements (VOS_OP_MEASUREMENT_WRITE) to a case they see
    (src/app/app_alerts.c): it runs with a case ("home") and without one ("all").

Each scoped role is asked with the ids of its own account ("home": Northwind Traders for the
customer of Northwind, Contoso Bank for the customer of Contoso, Fabrikam Manufacturing for the
partner, who owns it) and with those of another ("foreign": Contoso for the customer of
Northwind, Northwind for the others).  The other roles use Northwind's ids.  The roles column
of `vos serve --print-routes` (docs/api.md) is checked against the same expectations.

Usage: tests/api/matrix.py           (environment as tests/api/run.py: VOS, VOS_ROOT)
Prints the matrix (route x role -> status; "home/foreign" for scoped roles, "own/other" for
routes on users, "home/all" for the evaluation of alerts) and ends with "N passed, N failed".
Exit status 0 when nothing failed."""

import datetime
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as api  # noqa: E402  (tests/api/run.py: Server, raw_request, VOS, ROOT)

# ---- the demo (src/cli/cmd_demo.c) ----

PASSWORD = api.DEMO_PASSWORD
ACCOUNTS = {1: "Northwind Traders", 2: "Contoso Bank", 3: "Fabrikam Manufacturing",
            4: "Tailspin Retail"}
CASES = {1: "Service desk automation", 2: "Identity security programme",
         3: "Inventory optimisation", 4: "Sales productivity"}
A, B, C = 1, 2, 3  # Northwind, Contoso, Fabrikam (owned by the partner)
# The accounts with a committed case once the setup ran: the demo commits A's and B's, the
# setup C's (the portfolio of an unscoped role shows exactly these, summed or skipped).
COMMITTED = {A, B, C}

# (column, email, role, home account, scope: the accounts it sees, or None for all)
ROLES = [
    ("admin", "admin@vos.demo", "admin", A, None),
    ("engineer", "engineer@vos.demo", "value_engineer", A, None),
    ("seller", "seller@vos.demo", "seller", A, None),
    ("csm", "csm@vos.demo", "csm", A, None),
    ("exec", "exec@vos.demo", "executive", A, None),
    ("partner", "partner@vos.demo", "partner", C, {C}),
    ("custA", "customer@northwind.demo", "customer", A, {A}),
    ("custB", "customer@contoso.demo", "customer", B, {B}),
]
FOREIGN = {"partner": A, "custA": B, "custB": A}

# Per account: the case, one of its inputs, a committed KPI, the model and its version.
HOME = {
    A: {"case_id": 1, "input": "tickets", "kpi_key": "mttr", "model": "service-desk-automation"},
    B: {"case_id": 2, "input": "identity_alerts", "kpi_key": "mfa_coverage",
        "model": "security-risk-reduction"},
    C: {"case_id": 3, "input": "avg_inventory", "kpi_key": "inventory_value",
        "model": "inventory-optimisation"},
}
MATRIX_MODEL = "service-desk-automation"
MATRIX_VERSION = "99.0.0"  # a draft imported by the setup: approved, then retired by the matrix
STAMP = "2026-01-15T00:00:00Z"
# Where the matrix's webhooks point: the discard port of the loopback, where nothing listens
# (the server's delivery job fails to connect and schedules a retry).
HOOK_URL = "http://127.0.0.1:9/matrix"

# ---- what each route does: the vos_app_op it is checked against ----
#   "public": no credentials needed; "any": every signed-in user;
#   ("self", OP): the caller's own user, else OP (the route runs twice: own and other user);
#   ("case", OP, EXTRA): OP; for one case named in the body, OP or EXTRA (the route runs
#   twice: with the home case and without a case);
#   "admin": admins only, by a rule of the app outside the permissions table;
#   an op name of VOS_OP_*: that operation.
OPS = {
    "getHealth": "public", "getMetrics": "public", "getOpenApi": "public",
    "createSession": "public", "getSession": "any", "deleteSession": "any",
    "listUsers": "USER_READ", "createUser": "USER_ADD", "getUser": ("self", "USER_READ"),
    "updateUser": "USER_UPDATE", "setUserPassword": ("self", "USER_UPDATE"),
    "getOrganisation": "any",
    "listTokens": "TOKEN", "createToken": "TOKEN", "revokeToken": "TOKEN",
    "listModels": "MODEL_READ", "importModel": "MODEL_WRITE", "getModel": "MODEL_READ",
    "listModelVersions": "MODEL_READ", "getModelVersion": "MODEL_READ",
    "approveModelVersion": "MODEL_WRITE", "retireModelVersion": "MODEL_WRITE",
    "diffModel": "MODEL_READ",
    "listBenchmarks": "BENCHMARK_READ", "createBenchmark": "BENCHMARK_WRITE",
    "listAccounts": "ACCOUNT_READ", "createAccount": "ACCOUNT_ADD", "getAccount": "ACCOUNT_READ",
    "listCases": "CASE_READ", "createCase": "CASE_CREATE", "getCase": "CASE_READ",
    "setCaseInput": "CASE_EDIT", "unsetCaseInput": "CASE_EDIT", "getCaseFigures": "CASE_READ",
    "simulateCase": "CASE_READ", "getCaseTornado": "CASE_READ", "explainCaseFigure": "CASE_READ",
    "commitCase": "CASE_COMMIT", "getCaseCommitment": "CASE_READ",
    "transitionCase": "CASE_TRANSITION", "rebaseCase": "CASE_EDIT",
    "listMeasurements": "MEASUREMENT_READ", "addMeasurements": "MEASUREMENT_WRITE",
    "listAlerts": "ALERT_READ", "acknowledgeAlert": "ALERT_UPDATE", "resolveAlert": "ALERT_UPDATE",
    "listProofPoints": "PROOF_READ", "createProofPoint": "PROOF_WRITE",
    "updateProofPoint": "PROOF_WRITE",
    "listAudit": "AUDIT_READ", "verifyAudit": "AUDIT_READ",
    # realization (src/app/app_realize.c, app_portfolio.c: scoped as the case or its account)
    "getCaseRealization": "CASE_READ", "getCaseSuccessPlan": "CASE_READ",
    "getPortfolio": "CASE_READ",
    # alerts (src/app/app_alerts.c, allow_evaluate)
    "evaluateAlerts": ("case", "ALERT_UPDATE", "MEASUREMENT_WRITE"),
    # webhooks (src/app/app_webhooks.c, allow_admin: "admins only")
    "listWebhooks": "admin", "createWebhook": "admin", "deleteWebhook": "admin",
    "listWebhookDeliveries": "admin",
    # maturity (src/app/app_assess.c, app_indicators.c)
    "getMaturityBlueprint": "ASSESS_READ", "getMaturityIndicators": "ASSESS_READ",
    "listAssessments": "ASSESS_READ", "getAssessment": "ASSESS_READ",
    "getAssessmentRoadmap": "ASSESS_READ", "getAssessmentReport": "ASSESS_READ",
    "takeAssessment": "ASSESS_WRITE",
}
PSEUDO_OPS = {"admin": {"admin"}}  # rules of the app outside the permissions table
# A route not in OPS is judged by its tag and method (and reported as guessed).
TAG_OPS = {
    "users": ("USER_READ", "USER_UPDATE"), "models": ("MODEL_READ", "MODEL_WRITE"),
    "benchmarks": ("BENCHMARK_READ", "BENCHMARK_WRITE"),
    "accounts": ("ACCOUNT_READ", "ACCOUNT_ADD"), "cases": ("CASE_READ", "CASE_EDIT"),
    "measurements": ("MEASUREMENT_READ", "MEASUREMENT_WRITE"),
    "alerts": ("ALERT_READ", "ALERT_UPDATE"), "proof-points": ("PROOF_READ", "PROOF_WRITE"),
    "audit": ("AUDIT_READ", "AUDIT_READ"), "session": ("any", "any"), "system": ("public",) * 2,
    "realization": ("CASE_READ", "CASE_READ"), "webhooks": ("admin", "admin"),
    "maturity": ("ASSESS_READ", "ASSESS_WRITE"),
}
# Query arguments a route needs; "{x}" takes the context's value.  Lists filtered by account
# are asked for the foreign account as well.
QUERY = {
    "diffModel": "from={base_version}&to=" + MATRIX_VERSION,
    "explainCaseFigure": "target=npv",
    "getModelVersion": "source=true",
}
FILTERED_LISTS = {"listCases", "listMeasurements", "listAlerts", "listProofPoints"}
# Routes whose path parameter is another value of the context than its name: the webhook
# removed by deleteWebhook is not the one whose deliveries are listed after it.
PARAMS = {"deleteWebhook": {"webhook_id": "doomed_webhook_id"}}


def body_of(op, ctx, col):
    """The JSON body (or bytes) of a write, valid so that the permission check is reached."""
    today = datetime.date.today()
    bodies = {
        "createSession": {"email": ctx["email"], "password": PASSWORD},
        "createUser": {"email": "matrix-%s@vos.demo" % col, "name": "Matrix " + col,
                       "role": "seller"},
        "updateUser": {"name": "Matrix victim"},
        "setUserPassword": {"password": PASSWORD},
        "createToken": {"name": "matrix-extra"},
        "createBenchmark": {"input_key": "agent_rate", "value": 50, "low": 40, "high": 60,
                            "unit": "USD/h", "source": "matrix " + col, "as_of": "2025-01-01"},
        "createAccount": {"name": "Matrix account " + col, "industry": "Matrix"},
        "createCase": {"account_id": ctx["account_id"], "name": "Matrix case " + col,
                       "model": ctx["model"]},
        "setCaseInput": {"value": 1000},
        "simulateCase": {"iterations": 100, "seed": 1},
        "commitCase": {"kpis": [{"kpi_key": ctx["kpi_key"], "baseline_value": 10,
                                 "baseline_date": today.isoformat(), "target_value": 5,
                                 "target_date": today.replace(year=today.year + 1).isoformat()
                                 if not (today.month == 2 and today.day == 29) else
                                 today.replace(year=today.year + 1, day=28).isoformat()}]},
        "transitionCase": {"to": "expanded"},
        "rebaseCase": {"version": ctx["base_version"]},
        "addMeasurements": {"label": "matrix", "measurements": [
            {"account_id": ctx["account_id"], "kpi_key": ctx["kpi_key"], "at": STAMP,
             "value": 8.5, "source": "matrix"}]},
        "createProofPoint": {"account_id": ctx["account_id"], "title": "Matrix proof " + col},
        "updateProofPoint": {"title": "Matrix proof, changed by " + col},
        "evaluateAlerts": {} if ctx.get("every_case") else {"case_id": ctx["case_id"]},
        "createWebhook": {"url": HOOK_URL + "/" + col, "events": ["alert.raised"]},
        "takeAssessment": {"notes": "Matrix assessment by " + col, "target_stage": 3,
                           "answers": [{"dimension": d, "stage": 2, "evidence": "matrix"}
                                       for d in ctx.get("dimensions", ())]},
    }
    if op == "importModel":
        return ctx["model_text"].encode(), "application/yaml"
    if op in bodies:
        return json.dumps(bodies[op]).encode(), "application/json"
    return None, None


class Failures:
    """Counts checked things (a request with all its checks, a route of the roles column):
    passed when every check of it holds; `items` lists every check that did not."""

    def __init__(self):
        self.passed = self.failed = 0
        self.items = []

    def record(self, problems):
        if problems:
            self.failed += 1
            self.items.extend(problems)
        else:
            self.passed += 1

    def check(self, ok, what):
        self.record([] if ok else [what])
        return ok


class Checks:
    """The checks of one request."""

    def __init__(self):
        self.problems = []

    def check(self, ok, what):
        if not ok:
            self.problems.append(what)
        return ok


# ---- the permission table ----

def read_permissions():
    """{op name: set of role names} from the `permissions` array of src/app/app.c."""
    src = open(os.path.join(api.ROOT, "src", "app", "app.c")).read()
    macros = {}
    for m in re.finditer(r"^#define (\w+)(\([^)]*\))?[ \t]*((?:.*\\\n)*.*)$", src, re.M):
        if not m.group(2):
            macros[m.group(1)] = m.group(3).replace("\\\n", " ")

    def roles(expr, depth=0):
        out = {r.lower() for r in re.findall(r"ROLE\(VOS_ROLE_(\w+)\)", expr)}
        for tok in re.findall(r"\b[A-Z][A-Z_]+\b", expr):
            if tok in macros and depth < 8:
                out |= roles(macros[tok], depth + 1)
        return out

    table = re.search(r"permissions\[VOS_APP_OP_COUNT\]\s*=\s*\{(.*?)\n\};", src, re.S)
    if not table:
        raise api.CaseFailure("src/app/app.c has no permissions table")
    perms = {}
    for m in re.finditer(r"\[VOS_OP_(\w+)\]\s*=\s*\{\s*\"(?:[^\"\\]|\\.)*\"\s*,(.*?)\}",
                         table.group(1), re.S):
        perms[m.group(1)] = roles(m.group(2))
    if len(perms) < 20 or not all(perms.values()):
        raise api.CaseFailure("could not read the permissions table of src/app/app.c")
    return perms


# ---- the server ----

class Client:
    def __init__(self, server):
        self.port = server.port
        self.audit_cursor = 0
        self.audit_n = 0
        self.admin_token = None

    def send(self, method, path, headers=None, body=None, ctype=None):
        h = dict(headers or {})
        if ctype:
            h["Content-Type"] = ctype
        return api.raw_request(self.port, method, path, h, body)

    def audit_length(self):
        """The number of audit records, read as admin (new records since the last call)."""
        while True:
            after = "&after=%d" % self.audit_cursor if self.audit_cursor else ""
            r = self.send("GET", "/api/v1/audit?limit=500" + after,
                          {"Authorization": "Bearer " + self.admin_token})
            if r.status != 200 or not r.json:
                raise api.CaseFailure("reading the audit log: %d %s" % (r.status, r.text[:300]))
            items = r.json["items"]
            self.audit_n += len(items)
            if items:
                self.audit_cursor = items[-1]["seq"]
            if not r.json.get("next"):
                return self.audit_n


def sign_in(client, email):
    body = json.dumps({"email": email, "password": PASSWORD}).encode()
    r = client.send("POST", "/api/v1/session", {}, body, "application/json")
    if r.status != 201 or not r.json:
        raise api.CaseFailure("signing in as %s: %d %s" % (email, r.status, r.text[:300]))
    return r.cookie("vos_session"), r.json["csrf_token"], r.json["user"]["id"]


def create_token(client, cookie, csrf, name):
    r = client.send("POST", "/api/v1/tokens",
                    {"Cookie": "vos_session=" + cookie, "X-CSRF-Token": csrf},
                    json.dumps({"name": name}).encode(), "application/json")
    if r.status != 201 or not r.json:
        raise api.CaseFailure("creating token %s: %d %s" % (name, r.status, r.text[:300]))
    return r.json["secret"], r.json["token"]["id"]


def insert_alerts(db):
    """One open alert per account A, B, C (alerts come from the realization monitor, which has
    no API): written straight into the database before the server starts."""
    con = sqlite3.connect(db)
    ids = {}
    now = "2026-01-15T00:00:00.000Z"
    for acc in (A, B, C):
        cur = con.execute(
            "INSERT INTO alerts (revision, created_at, updated_at, account_id, case_id, kpi_key,"
            " kind, severity, status, message) VALUES (1, ?, ?, ?, ?, ?, 'drift', 'warning',"
            " 'open', ?)", (now, now, acc, HOME[acc]["case_id"], HOME[acc]["kpi_key"],
                            "matrix alert of " + ACCOUNTS[acc]))
        ids[acc] = cur.lastrowid
    con.commit()
    con.close()
    return ids


def setup(client, admin, model_text):
    """As admin: the draft model version, the partner's case committed, a measurement and a
    proof point per account A, B, C, the victim user of the routes on other users, two
    webhooks (one to list the deliveries of, one to remove), the latest of the demo's
    assessments and the dimensions of the blueprint.  Returns the values of the context."""
    auth = {"Authorization": "Bearer " + admin}

    def ok(r, what, statuses=(200, 201)):
        if r.status not in statuses:
            raise api.CaseFailure("setup: %s: %d %s" % (what, r.status, r.text[:400]))
        return r.json

    ok(client.send("POST", "/api/v1/models", auth, model_text.encode(), "application/yaml"),
       "importing the draft model version")
    commit, _ = body_of("commitCase", dict(HOME[C], email="", account_id=C, base_version=""), "")
    ok(client.send("POST", "/api/v1/cases/%d/commit" % HOME[C]["case_id"], auth, commit,
                   "application/json"), "committing the partner's case")
    proofs = {}
    for acc in (A, B, C):
        m = {"measurements": [{"account_id": acc, "kpi_key": HOME[acc]["kpi_key"], "at": STAMP,
                               "value": 8.5, "source": "matrix"}]}
        ok(client.send("POST", "/api/v1/measurements", auth, json.dumps(m).encode(),
                       "application/json"), "measurements of account %d" % acc)
        p = {"account_id": acc, "case_id": HOME[acc]["case_id"],
             "title": "Matrix proof point of " + ACCOUNTS[acc]}
        proofs[acc] = ok(client.send("POST", "/api/v1/proof-points", auth,
                                     json.dumps(p).encode(), "application/json"),
                         "proof point of account %d" % acc)["id"]
    victim = ok(client.send("POST", "/api/v1/users", auth,
                            json.dumps({"email": "matrix-victim@vos.demo", "name": "Victim",
                                        "role": "seller"}).encode(), "application/json"),
                "the victim user")["id"]
    hooks = []
    for name in ("kept", "doomed"):
        body = {"url": HOOK_URL + "/" + name, "events": ["alert.raised"]}
        hooks.append(ok(client.send("POST", "/api/v1/webhooks", auth, json.dumps(body).encode(),
                                    "application/json"), "the %s webhook" % name)["webhook"]["id"])
    assessments = ok(client.send("GET", "/api/v1/assessments", auth), "the assessments")["items"]
    if not assessments:
        raise api.CaseFailure("setup: the demo has no assessment")
    blueprint = ok(client.send("GET", "/api/v1/maturity/blueprint", auth), "the blueprint")
    dims = [d["key"] for p in blueprint["pillars"] for d in p["dimensions"]]
    return {"proofs": proofs, "victim": victim, "webhook_id": hooks[0],
            "doomed_webhook_id": hooks[1],
            "assessment_id": max(a["id"] for a in assessments), "dimensions": dims}


# ---- expectations ----

def roles_of(rule, perms):
    """The roles an operation (a name of the table or of PSEUDO_OPS) is allowed to."""
    return PSEUDO_OPS[rule] if rule in PSEUDO_OPS else perms.get(rule, set())


def expectation(op_id, route, role, perms, variant):
    """What `role` should get: "allow", "deny", "hidden" (404) or "hidden_or_deny"."""
    rule = OPS.get(op_id)
    if rule is None:
        read, write = TAG_OPS.get(route["tag"], ("any", "any"))
        rule = read if route["method"] == "GET" else write
    if rule == "public":
        return "allow"
    if rule == "any":
        return "allow"
    roles = None
    if isinstance(rule, tuple) and rule[0] == "self":
        if variant == "own":
            return "allow"
        roles = roles_of(rule[1], perms)
    elif isinstance(rule, tuple) and rule[0] == "case":
        roles = roles_of(rule[1], perms)
        if variant != "all":
            roles = roles | roles_of(rule[2], perms)
    allowed = role in (roles if roles is not None else roles_of(rule, perms))
    if variant == "foreign":
        return "hidden" if allowed else "hidden_or_deny"
    return "allow" if allowed else "deny"


def roles_allowed(op_id, route, perms):
    """The roles the roles column should name first (before a ';'), or "public", "any", or
    None when the column cannot be checked (rules on the caller's own user)."""
    rule = OPS.get(op_id)
    if isinstance(rule, tuple):
        return roles_of(rule[1], perms) if rule[0] == "case" else None
    if rule in ("public", "any") or rule is None:
        return rule
    return roles_of(rule, perms)


# ---- the leak checks ----

def walk(v):
    if isinstance(v, dict):
        yield v
        for x in v.values():
            yield from walk(x)
    elif isinstance(v, list):
        for x in v:
            yield from walk(x)


def leak(reply, scope, tag, foreign):
    """Why the reply shows a scoped role something outside `scope`, or None."""
    text = reply.text
    for acc, name in ACCOUNTS.items():
        if acc not in scope and name in text:
            return "shows account '%s'" % name
    if foreign is not None and CASES[HOME[foreign]["case_id"]] in text:
        return "shows case '%s'" % CASES[HOME[foreign]["case_id"]]
    for d in walk(reply.json):
        a = d.get("account_id")
        if isinstance(a, int) and not isinstance(a, bool) and a not in scope:
            return "shows account_id %d" % a
        if foreign is not None and d.get("case_id") == HOME[foreign]["case_id"]:
            return "shows case_id %d" % HOME[foreign]["case_id"]
    if tag == "accounts" and isinstance(reply.json, dict):
        objs = reply.json.get("items", [reply.json])
        for o in objs if isinstance(objs, list) else []:
            if isinstance(o, dict) and isinstance(o.get("id"), int) and o["id"] not in scope:
                return "shows account %d" % o["id"]
    return None


def portfolio_accounts(reply):
    """The accounts a portfolio reply shows: those it sums, and those of the cases it skipped
    (e.g. Fabrikam's, whose model is in EUR while the organisation reports in USD)."""
    reply = reply if isinstance(reply, dict) else {}
    case_account = {HOME[acc]["case_id"]: acc for acc in HOME}
    seen = {a.get("account_id") for a in reply.get("accounts", [])}
    seen |= {case_account.get(k.get("case_id"), k.get("case_id"))
             for k in reply.get("skipped", [])}
    return sorted(seen, key=str)


# ---- the run ----

def routes_of(doc):
    out = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            out.append({"method": method.upper(), "path": path, "id": op["operationId"],
                        "tag": (op.get("tags") or [""])[0],
                        "public": op.get("security") == [],
                        "query": [p["name"] for p in op.get("parameters", [])
                                  if p.get("in") == "query"]})
    return out


def fill(path, ctx):
    def one(m):
        name = m.group(1)
        if name not in ctx:
            raise api.CaseFailure("matrix.py has no value for the path parameter {%s} of %s"
                                  % (name, path))
        return str(ctx[name])
    return re.sub(r"\{([a-z_][a-z0-9_]*)\}", one, path)


class Matrix:
    def __init__(self, client, perms, f):
        self.client = client
        self.perms = perms
        self.f = f
        self.cells = {}
        self.guessed = set()
        self.requests = 0
        self.refused_writes = 0

    def request(self, route, col, who, ctx, variant):
        """Sends one request and checks it; returns the cell text."""
        op_id = route["id"]
        want = expectation(op_id, route, who["role"], self.perms, variant)
        if op_id not in OPS:
            self.guessed.add(op_id)
        ctx = dict(ctx, **{k: ctx[v] for k, v in PARAMS.get(op_id, {}).items()})
        path = fill(route["path"], ctx)
        q = QUERY.get(op_id)
        if op_id in FILTERED_LISTS and variant == "foreign":
            q = "account_id={account_id}"
        if q:
            path += "?" + q.format(**ctx)
        body, ctype = body_of(op_id, ctx, col)
        headers = {}
        if route["tag"] == "session" and not route["public"]:
            headers["Cookie"] = "vos_session=" + who["cookie"]
            headers["X-CSRF-Token"] = who["csrf"]
        elif not route["public"]:
            headers["Authorization"] = "Bearer " + who["token"]
        write = route["method"] != "GET" and not route["public"]
        before = self.client.audit_length() if write else None
        r = self.client.send(route["method"], path, headers, body, ctype)
        self.requests += 1
        label = "%s %s as %s (%s)" % (route["method"], path, col, variant)
        s = r.status
        c = Checks()
        text = r.text[:300]
        ok = c.check(s < 500, "%s: %d, a server error: %s" % (label, s, text))
        if want == "allow":
            ok &= c.check(s not in (401, 403), "%s: %d, but the role may: %s" % (label, s, text))
            if route["method"] == "GET" and variant != "other":
                ok &= c.check(s != 404, "%s: 404 for the role's own data: %s" % (label, text))
        elif want == "deny":
            ok &= c.check(s == 403, "%s: %d, expected 403: %s" % (label, s, text))
        elif op_id in FILTERED_LISTS:
            empty = s == 200 and isinstance(r.json, dict) and r.json.get("items") == []
            ok &= c.check(empty or s in (403, 404), "%s: %d, expected 404 or an empty list: %s"
                          % (label, s, text))
        else:
            allowed = (404,) if want == "hidden" else (403, 404)
            if body is not None and route["method"] == "POST" and "{" not in route["path"]:
                allowed += (400, 422)  # the foreign account is named in the body
            ok &= c.check(s in allowed, "%s: %d, expected %s: %s"
                          % (label, s, "/".join(map(str, allowed)), text))
        if who["scope"] is not None:
            foreign = FOREIGN[col] if variant == "foreign" else None
            why = leak(r, who["scope"], route["tag"], foreign)
            ok &= c.check(why is None, "%s: the reply %s: %s" % (label, why, text))
        if op_id == "getPortfolio" and s == 200:
            seen = portfolio_accounts(r.json)
            want_seen = sorted(who["scope"] or COMMITTED)
            ok &= c.check(seen == want_seen, "%s: the portfolio shows accounts %s, expected %s: %s"
                          % (label, seen, want_seen, text))
        if write and not 200 <= s < 300:
            self.refused_writes += 1
            after = self.client.audit_length()
            ok &= c.check(after == before, "%s: %d, yet the audit log grew by %d"
                          % (label, s, after - before))
        self.f.record(c.problems)
        return "%d%s" % (s, "" if ok else "!")

    def run_route(self, route, roles, contexts):
        row = {}
        for col, who in roles.items():
            variants = [("home", contexts[who["home"]])]
            rule = OPS.get(route["id"])
            kind = rule[0] if isinstance(rule, tuple) else None
            if kind == "self":
                variants = [("own", dict(contexts[who["home"]], user_id=who["user_id"])),
                            ("other", contexts[who["home"]])]
            if kind == "case":
                variants.append(("all", dict(contexts[who["home"]], every_case=True)))
            if kind != "self" and who["scope"] is not None and self.scoped(route):
                variants.append(("foreign", contexts[FOREIGN[col]]))
            cells = []
            for variant, ctx in variants:
                ctx = dict(ctx, email=who["email"], token_id=who["victim_token"])
                if "user_id" not in ctx or variant == "other":
                    ctx["user_id"] = contexts["victim"]
                cells.append(self.request(route, col, who, ctx, variant))
            row[col] = "/".join(cells)
        self.cells[(route["method"], route["path"])] = row

    @staticmethod
    def scoped(route):
        if route["id"] in FILTERED_LISTS:
            return True
        if re.search(r"\{(account_id|case_id|alert_id|proof_point_id)\}", route["path"]):
            return True
        return route["id"] in ("createCase", "addMeasurements", "createProofPoint",
                               "evaluateAlerts")


def check_roles_column(routes, perms, f):
    """`vos serve --print-routes` names, per route, the roles the matrix expects."""
    out = subprocess.run([api.VOS, "serve", "--print-routes"], capture_output=True, text=True,
                         timeout=60).stdout
    table = {(m, p): roles.strip() for m, p, roles in
             re.findall(r"^\| (\w+) \| `([^`]+)` \| .* \| ([^|]*) \|$", out, re.M)}
    all_roles = {r[2] for r in ROLES}
    for route in routes:
        want = roles_allowed(route["id"], route, perms)
        if want is None:
            continue
        got = table.get((route["method"], route["path"]))
        label = "--print-routes, %s %s" % (route["method"], route["path"])
        named = set(n.strip() for n in (got or "").split(";")[0].split(","))
        if want == "public":
            f.check(got == "everyone", "%s: roles '%s', expected everyone" % (label, got))
        elif want == "any" or want == all_roles:
            f.check(bool(got) and (got.startswith("every signed-in user") or named == all_roles),
                    "%s: roles '%s', expected every signed-in user" % (label, got))
        else:
            f.check(named == want, "%s: roles '%s', expected %s"
                    % (label, got, ", ".join(sorted(want))))


def print_matrix(m, routes, roles):
    cols = list(roles)
    width = max(len(r["method"]) + 1 + len(r["path"]) for r in routes)
    cw = max([9] + [len(c) + 1 for row in m.cells.values() for c in row.values()])
    print("%-*s" % (width, "route") + "".join("%*s" % (cw, c) for c in cols))
    for r in routes:
        row = m.cells.get((r["method"], r["path"]), {})
        print("%-*s" % (width, r["method"] + " " + r["path"]) +
              "".join("%*s" % (cw, row.get(c, "-")) for c in cols))


def main():
    t0 = time.time()
    f = Failures()
    workdir = tempfile.mkdtemp(prefix="vos-matrix-")
    server = None
    try:
        if not os.access(api.VOS, os.X_OK):
            raise api.CaseFailure("%s is not built" % api.VOS)
        perms = read_permissions()
        for rule in OPS.values():
            for name in rule[1:] if isinstance(rule, tuple) else (rule,):
                if name not in ("public", "any") and name not in perms and \
                        name not in PSEUDO_OPS:
                    raise api.CaseFailure("VOS_OP_%s is not in the permissions table" % name)
        db = os.path.join(workdir, "vos.db")
        demo = subprocess.run([api.VOS, "demo", "--db", "sqlite:" + db, "--models",
                               os.path.join(api.ROOT, "models")], capture_output=True, text=True)
        if demo.returncode != 0:
            raise api.CaseFailure("vos demo failed: " + demo.stderr[-2000:])
        alerts = insert_alerts(db)
        # no evaluation of alerts in the background: the audit log grows only by the matrix
        server = api.Server(workdir, "sqlite:" + db, "matrix", ["--evaluate-every", "0"])
        client = Client(server)

        roles = {}
        for col, email, role, home, scope in ROLES:
            cookie, csrf, uid = sign_in(client, email)
            token, _ = create_token(client, cookie, csrf, "matrix")
            _, victim_token = create_token(client, cookie, csrf, "matrix-victim")
            roles[col] = {"email": email, "role": role, "home": home, "scope": scope,
                          "cookie": cookie, "csrf": csrf, "user_id": uid, "token": token,
                          "victim_token": victim_token}
        client.admin_token = roles["admin"]["token"]

        src = open(os.path.join(api.ROOT, "models", MATRIX_MODEL + ".yaml")).read()
        base = re.search(r"^version:\s*(\S+)", src, re.M).group(1)
        model_text = re.sub(r"^version:\s*\S+", "version: " + MATRIX_VERSION, src, count=1,
                            flags=re.M)
        made = setup(client, client.admin_token, model_text)
        contexts = {"victim": made["victim"]}
        for acc in (A, B, C):
            contexts[acc] = dict(HOME[acc], account_id=acc, proof_point_id=made["proofs"][acc],
                                 alert_id=alerts[acc], key=MATRIX_MODEL, version=MATRIX_VERSION,
                                 base_version=base, model_text=model_text,
                                 webhook_id=made["webhook_id"],
                                 doomed_webhook_id=made["doomed_webhook_id"],
                                 assessment_id=made["assessment_id"],
                                 dimensions=made["dimensions"])

        doc = client.send("GET", "/api/v1/openapi.json").json
        routes = routes_of(doc)
        m = Matrix(client, perms, f)
        last = [r for r in routes if r["id"] == "deleteSession"]  # signs the roles out
        for route in [r for r in routes if r["id"] != "deleteSession"] + last:
            m.run_route(route, roles, contexts)
        check_roles_column(routes, perms, f)

        print_matrix(m, routes, roles)
        print("cells: status of the request with the role's own ids (/ with another account's "
              "ids for scoped roles; own/other user for user routes; home case/every case for "
              "the evaluation of alerts); ! marks a failed check")
        print("%d requests; %d refused writes, each leaving the audit log as it was"
              % (m.requests, m.refused_writes))
        if m.guessed:
            print("expectations guessed from the tag (add them to OPS): " +
                  ", ".join(sorted(m.guessed)))
        code = server.stop()
        report = server.sanitizer_report()
        f.check(code == 0 and not report, "the server exited %s%s" % (
            code, "\n" + report if report else ""))
    except (api.CaseFailure, OSError, ValueError, KeyError) as e:
        f.record(["matrix: %s: %s" % (type(e).__name__, e)])
    finally:
        if server:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    for why in f.items:
        print("FAIL " + why)
    print("matrix: %.1f s" % (time.time() - t0))
    print("%d passed, %d failed" % (f.passed, f.failed))
    return 0 if not f.items else 1


if __name__ == "__main__":
    sys.exit(main())
