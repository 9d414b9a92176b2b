/* The route table: the sets of the handler files gathered in one table, checked once, and
 * matched against request paths. */
#include "http/http_int.h"

#include "vos/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The sets in the order of the OpenAPI document. */
static const vos_route_set *const sets[] = {
    &vos_routes_system,     &vos_routes_session,      &vos_routes_users, &vos_routes_models,
    &vos_routes_benchmarks, &vos_routes_accounts,     &vos_routes_cases, &vos_routes_measurements,
    &vos_routes_alerts,     &vos_routes_proof_points, &vos_routes_audit,
    &vos_routes_realization,
    &vos_routes_assessments,
};

static vos_route table[HTTP_ROUTES_MAX];
static size_t table_n;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void table_build(void)
{
    for (size_t s = 0; s < sizeof sets / sizeof *sets; s++)
        for (size_t i = 0; i < sets[s]->n && table_n < HTTP_ROUTES_MAX; i++)
            table[table_n++] = sets[s]->routes[i];
}

const vos_route *vos_http_routes(size_t *n)
{
    pthread_once(&table_once, table_build);
    *n = table_n;
    return table;
}

/* ---- checking ---- */

static bool method_known(const char *m)
{
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
        if (m && strcmp(m, methods[i]) == 0) return true;
    return false;
}

static bool literal_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~' || c == ':';
}

static bool param_char(char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (!first && ((c >= '0' && c <= '9') || c == '_'));
}

/* Checks one pattern; writes its normal form ("{}" for each parameter) into norm. */
static int pattern_check(const char *pattern, char *norm, size_t norm_size)
{
    if (!pattern || pattern[0] != '/') return vos_error_set(VOS_EINVALID, "does not start with /");
    size_t len = strlen(pattern);
    if (len >= norm_size) return vos_error_set(VOS_EINVALID, "is too long");
    if (len > 1 && pattern[len - 1] == '/') return vos_error_set(VOS_EINVALID, "ends with /");
    const char *names[VOS_HTTP_PARAMS_MAX];
    size_t name_len[VOS_HTTP_PARAMS_MAX], n_params = 0, o = 0;
    const char *p = pattern;
    while (*p) {
        norm[o++] = *p++; /* the '/' */
        if (*p == '/' || (*p == '\0' && p - pattern > 1))
            return vos_error_set(VOS_EINVALID, "has an empty segment");
        if (*p == '{') {
            const char *name = ++p;
            while (*p && param_char(*p, p == name))
                p++;
            if (*p != '}' || p == name || (p[1] != '/' && p[1] != '\0'))
                return vos_error_set(VOS_EINVALID, "has a malformed {parameter}");
            if (n_params == VOS_HTTP_PARAMS_MAX)
                return vos_error_set(VOS_EINVALID, "has more than %d parameters",
                                     VOS_HTTP_PARAMS_MAX);
            for (size_t k = 0; k < n_params; k++)
                if (name_len[k] == (size_t)(p - name) && !strncmp(names[k], name, name_len[k]))
                    return vos_error_set(VOS_EINVALID, "names a parameter twice");
            names[n_params] = name;
            name_len[n_params++] = (size_t)(p - name);
            p++;
            norm[o++] = '{';
            norm[o++] = '}';
        } else {
            while (*p && *p != '/') {
                if (!literal_char(*p))
                    return vos_error_set(VOS_EINVALID, "has the character '%c'", *p);
                norm[o++] = *p++;
            }
        }
    }
    norm[o] = '\0';
    return 0;
}

static int route_check(const vos_route *r, char *norm, size_t norm_size)
{
    const char *what = r->operation_id ? r->operation_id : "(no operation id)";
    if (!r->operation_id || !*r->operation_id)
        return vos_error_set(VOS_EINVALID, "route %s %s has no operation id",
                             r->method ? r->method : "?", r->pattern ? r->pattern : "?");
    if (!method_known(r->method))
        return vos_error_set(VOS_EINVALID, "route %s: unknown method", what);
    if (!r->handler) return vos_error_set(VOS_EINVALID, "route %s has no handler", what);
    if (!r->tag || !*r->tag || !r->summary || !*r->summary)
        return vos_error_set(VOS_EINVALID, "route %s needs a tag and a summary", what);
    if (r->status != 200 && r->status != 201 && r->status != 204)
        return vos_error_set(VOS_EINVALID, "route %s: success status %d is not 200, 201 or 204",
                             what, r->status);
    if ((r->flags & VOS_ROUTE_LIST) && (r->status != 200 || !r->response))
        return vos_error_set(VOS_EINVALID, "route %s: a list replies 200 with a response schema",
                             what);
    if (r->n_body && !r->body)
        return vos_error_set(VOS_EINVALID, "route %s: n_body without body fields", what);
    if (pattern_check(r->pattern, norm, norm_size) < 0) {
        char why[256];
        snprintf(why, sizeof why, "%s", vos_error_last());
        return vos_error_set(VOS_EINVALID, "route %s: pattern '%s' %s", what,
                             r->pattern ? r->pattern : "", why);
    }
    return 0;
}

int http_routes_check(const vos_route *routes, size_t n)
{
    char a[512], b[512];
    if (n > HTTP_ROUTES_MAX)
        return vos_error_set(VOS_EINVALID, "more than %d routes", HTTP_ROUTES_MAX);
    for (size_t i = 0; i < n; i++) {
        int rc = route_check(&routes[i], a, sizeof a);
        if (rc < 0) return rc;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(routes[i].operation_id, routes[j].operation_id) == 0)
                return vos_error_set(VOS_EINVALID, "operation id %s is used twice",
                                     routes[i].operation_id);
            if (strcmp(routes[i].method, routes[j].method) != 0) continue;
            pattern_check(routes[j].pattern, b, sizeof b);
            if (strcmp(a, b) == 0)
                return vos_error_set(VOS_EINVALID, "routes %s and %s are both %s %s",
                                     routes[j].operation_id, routes[i].operation_id,
                                     routes[i].method, routes[i].pattern);
        }
    }
    return 0;
}

/* ---- matching ---- */

bool http_route_matches(const char *pattern, const char *path, http_kv *params, size_t *n_params,
                        char *scratch, size_t scratch_size)
{
    size_t n = 0, o = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p != '/' || *s != '/') return false;
        p++;
        s++;
        if (*p == '{') {
            const char *name = ++p;
            while (*p && *p != '}')
                p++;
            size_t name_len = (size_t)(p - name);
            if (*p) p++;
            const char *v = s;
            while (*s && *s != '/')
                s++;
            size_t vlen = (size_t)(s - v);
            if (vlen == 0 || n == VOS_HTTP_PARAMS_MAX || o + name_len + vlen + 2 > scratch_size)
                return false;
            params[n].name = scratch + o;
            memcpy(scratch + o, name, name_len);
            o += name_len;
            scratch[o++] = '\0';
            params[n].value = scratch + o;
            memcpy(scratch + o, v, vlen);
            o += vlen;
            scratch[o++] = '\0';
            n++;
        } else {
            while (*p && *p != '/' && *p == *s) {
                p++;
                s++;
            }
            if ((*p && *p != '/') || (*s && *s != '/')) return false;
        }
    }
    if (*p || *s) return false;
    *n_params = n;
    return true;
}

/* Literal segments of a pattern: a more literal pattern wins ("/cases/mine" over
 * "/cases/{case_id}"). */
static size_t literals(const char *pattern)
{
    size_t n = 0;
    for (const char *p = pattern; *p; p++)
        if (*p == '/' && p[1] != '{') n++;
    return n;
}

int http_route_find(const vos_route *routes, size_t n, const char *method, const char *path,
                    size_t *index, http_kv *params, size_t *n_params, char *scratch,
                    size_t scratch_size, char *allow, size_t allow_size)
{
    const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
    size_t best = n, best_lit = 0, al = 0;
    http_kv tmp[VOS_HTTP_PARAMS_MAX];
    size_t n_tmp;
    bool path_known = false;
    if (allow_size) allow[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!http_route_matches(routes[i].pattern, path, tmp, &n_tmp, scratch, scratch_size))
            continue;
        path_known = true;
        if (strcmp(routes[i].method, want) != 0) {
            if (!strstr(allow, routes[i].method) && al + 16 < allow_size)
                al += (size_t)snprintf(allow + al, allow_size - al, "%s%s", al ? ", " : "",
                                       routes[i].method);
            continue;
        }
        size_t lit = literals(routes[i].pattern);
        if (best == n || lit > best_lit) {
            best = i;
            best_lit = lit;
        }
    }
    if (best == n) return path_known ? VOS_EINVALID : VOS_ENOTFOUND;
    /* match the winner again so that params point at its names */
    http_route_matches(routes[best].pattern, path, params, n_params, scratch, scratch_size);
    *index = best;
    return 0;
}

/* ---- roles, for people ---- */

/* What each authenticated operation asks of the app layer: the vos_app_op it checks (roles
 * from vos_app_allows), or a sentence when the rule is not one operation's.  A unit test
 * fails when a route of the table is missing here. */
#define ROUTE_TEXT (-1)
#define TOKENS_OWN "every signed-in user, their own tokens (an admin: every user's)"
static const struct {
    const char *operation_id;
    int op;
    const char *text;
} route_ops[] = {
    {"getSession", ROUTE_TEXT, "every signed-in user"},
    {"deleteSession", ROUTE_TEXT, "every signed-in user"},
    {"listUsers", VOS_OP_USER_READ, NULL},
    {"createUser", VOS_OP_USER_ADD, NULL},
    {"getUser", ROUTE_TEXT, "admin, value_engineer, seller, csm, executive; every user their own"},
    {"updateUser", VOS_OP_USER_UPDATE, NULL},
    {"setUserPassword", ROUTE_TEXT, "admin; every user their own"},
    {"getOrganisation", ROUTE_TEXT, "every signed-in user"},
    {"listTokens", ROUTE_TEXT, TOKENS_OWN},
    {"createToken", ROUTE_TEXT, TOKENS_OWN},
    {"revokeToken", ROUTE_TEXT, TOKENS_OWN},
    {"listModels", VOS_OP_MODEL_READ, NULL},
    {"importModel", VOS_OP_MODEL_WRITE, NULL},
    {"getModel", VOS_OP_MODEL_READ, NULL},
    {"listModelVersions", VOS_OP_MODEL_READ, NULL},
    {"getModelVersion", VOS_OP_MODEL_READ, NULL},
    {"approveModelVersion", VOS_OP_MODEL_WRITE, NULL},
    {"retireModelVersion", VOS_OP_MODEL_WRITE, NULL},
    {"diffModel", VOS_OP_MODEL_READ, NULL},
    {"listBenchmarks", VOS_OP_BENCHMARK_READ, NULL},
    {"createBenchmark", VOS_OP_BENCHMARK_WRITE, NULL},
    {"listAccounts", VOS_OP_ACCOUNT_READ, NULL},
    {"createAccount", VOS_OP_ACCOUNT_ADD, NULL},
    {"getAccount", VOS_OP_ACCOUNT_READ, NULL},
    {"listCases", VOS_OP_CASE_READ, NULL},
    {"createCase", VOS_OP_CASE_CREATE, NULL},
    {"getCase", VOS_OP_CASE_READ, NULL},
    {"setCaseInput", VOS_OP_CASE_EDIT, NULL},
    {"unsetCaseInput", VOS_OP_CASE_EDIT, NULL},
    {"getCaseFigures", VOS_OP_CASE_READ, NULL},
    {"simulateCase", VOS_OP_CASE_READ, NULL},
    {"getCaseTornado", VOS_OP_CASE_READ, NULL},
    {"explainCaseFigure", VOS_OP_CASE_READ, NULL},
    {"commitCase", VOS_OP_CASE_COMMIT, NULL},
    {"getCaseCommitment", VOS_OP_CASE_READ, NULL},
    {"transitionCase", VOS_OP_CASE_TRANSITION, NULL},
    {"rebaseCase", VOS_OP_CASE_EDIT, NULL},
    {"listMeasurements", VOS_OP_MEASUREMENT_READ, NULL},
    {"addMeasurements", VOS_OP_MEASUREMENT_WRITE, NULL},
    {"listAlerts", VOS_OP_ALERT_READ, NULL},
    {"acknowledgeAlert", VOS_OP_ALERT_UPDATE, NULL},
    {"resolveAlert", VOS_OP_ALERT_UPDATE, NULL},
    {"listProofPoints", VOS_OP_PROOF_READ, NULL},
    {"createProofPoint", VOS_OP_PROOF_WRITE, NULL},
    {"updateProofPoint", VOS_OP_PROOF_WRITE, NULL},
    {"listAudit", VOS_OP_AUDIT_READ, NULL},
    {"getCaseRealization", VOS_OP_CASE_READ, NULL},
    {"getCaseSuccessPlan", VOS_OP_CASE_READ, NULL},
    {"getPortfolio", VOS_OP_CASE_READ, NULL},
    {"evaluateAlerts", ROUTE_TEXT,
     "admin, value_engineer, csm; for one case also whoever may send its measurements"},
    {"listWebhooks", ROUTE_TEXT, "admin"},
    {"createWebhook", ROUTE_TEXT, "admin"},
    {"deleteWebhook", ROUTE_TEXT, "admin"},
    {"listWebhookDeliveries", ROUTE_TEXT, "admin"},
    {"verifyAudit", VOS_OP_AUDIT_READ, NULL},
    {"getMaturityBlueprint", VOS_OP_ASSESS_READ, NULL},
    {"getMaturityIndicators", VOS_OP_ASSESS_READ, NULL},
    {"listAssessments", VOS_OP_ASSESS_READ, NULL},
    {"takeAssessment", VOS_OP_ASSESS_WRITE, NULL},
    {"getAssessment", VOS_OP_ASSESS_READ, NULL},
    {"getAssessmentRoadmap", VOS_OP_ASSESS_READ, NULL},
    {"getAssessmentReport", VOS_OP_ASSESS_READ, NULL},
};

const char *http_route_roles(const vos_route *r, char *buf, size_t size)
{
    if (r->flags & VOS_ROUTE_PUBLIC) return "everyone";
    for (size_t i = 0; i < sizeof route_ops / sizeof *route_ops; i++) {
        if (strcmp(route_ops[i].operation_id, r->operation_id) != 0) continue;
        if (route_ops[i].op == ROUTE_TEXT) return route_ops[i].text;
        size_t o = 0;
        buf[0] = '\0';
        for (int role = VOS_ROLE_ADMIN; role <= VOS_ROLE_PARTNER; role++) {
            vos_actor who = {.name = "x", .user_id = 1, .role = (vos_role)role, .account_id = 1};
            if (vos_app_allows(&who, (vos_app_op)route_ops[i].op) && o + 32 < size)
                o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? ", " : "",
                                      vos_role_name((vos_role)role));
        }
        return buf;
    }
    return NULL;
}

int vos_http_routes_markdown(char **out, size_t *len)
{
    size_t n;
    const vos_route *r = vos_http_routes(&n);
    size_t cap = 256 + n * 512, o = 0;
    char *buf = malloc(cap);
    if (!buf) return vos_error_set(VOS_ENOMEM, "out of memory");
    o += (size_t)snprintf(buf + o, cap - o,
                          "| method | path | summary | roles |\n|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        char roles[256];
        const char *who = http_route_roles(&r[i], roles, sizeof roles);
        int w = snprintf(buf + o, cap - o, "| %s | `%s` | %s | %s |\n", r[i].method, r[i].pattern,
                         r[i].summary, who ? who : "(not listed)");
        if (w < 0 || (size_t)w >= cap - o) {
            free(buf);
            return vos_error_set(VOS_ETOOLARGE, "the route table is too large to print");
        }
        o += (size_t)w;
    }
    *out = buf;
    *len = o;
    return 0;
}
