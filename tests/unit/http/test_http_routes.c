/* The route table: its checks, path matching, roles, and the OpenAPI document made from it. */
#include "http/http_int.h"

#include "vos/error.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int dummy(vos_req *rq)
{
    return vos_reply_empty(rq, 204);
}

#define ROUTE(m, p, id)                                                                            \
    {                                                                                              \
        m, p, dummy, 0, id, "system", "a summary", NULL, 0, NULL, NULL, 200, NULL                  \
    }

START_TEST(the_table_passes_its_checks)
{
    size_t n;
    const vos_route *r = vos_http_routes(&n);
    ck_assert_uint_ge(n, 6);
    ck_assert_msg(http_routes_check(r, n) == 0, "%s", vos_error_last());
    /* the order of the sets: system first, then session */
    ck_assert_str_eq(r[0].operation_id, "getHealth");
    ck_assert_str_eq(r[3].operation_id, "createSession");
}
END_TEST

START_TEST(every_response_schema_is_defined)
{
    size_t n;
    const vos_route *r = vos_http_routes(&n);
    for (size_t i = 0; i < n; i++)
        if (r[i].response)
            ck_assert_msg(http_openapi_has_schema(r[i].response),
                          "route %s names the response schema %s that openapi.c does not define",
                          r[i].operation_id, r[i].response);
}
END_TEST

START_TEST(every_route_lists_its_roles)
{
    size_t n;
    const vos_route *r = vos_http_routes(&n);
    char buf[256];
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(http_route_roles(&r[i], buf, sizeof buf) != NULL,
                      "routes.c does not list the roles of %s", r[i].operation_id);
    ck_assert_str_eq(http_route_roles(&r[0], buf, sizeof buf), "everyone");
}
END_TEST

static void refused(const vos_route *routes, size_t n, const char *why)
{
    ck_assert_int_eq(http_routes_check(routes, n), VOS_EINVALID);
    ck_assert_msg(strstr(vos_error_last(), why), "'%s' lacks '%s'", vos_error_last(), why);
}

START_TEST(checks_refuse_bad_tables)
{
    vos_route two[] = {ROUTE("GET", "/a", "getA"), ROUTE("POST", "/a", "getA")};
    refused(two, 2, "operation id getA is used twice");
    vos_route same[] = {ROUTE("GET", "/a/{x_id}", "one"), ROUTE("GET", "/a/{y_id}", "two")};
    refused(same, 2, "are both GET /a/{y_id}");
    vos_route ok_pair[] = {ROUTE("GET", "/a/{x_id}", "one"), ROUTE("PUT", "/a/{x_id}", "two"),
                           ROUTE("GET", "/a/mine", "three")};
    ck_assert_int_eq(http_routes_check(ok_pair, 3), 0);
    static const char *const bad[][2] = {
        {"a/b", "does not start with /"},
        {"/a/", "ends with /"},
        {"/a//b", "empty segment"},
        {"/{x", "malformed {parameter}"},
        {"/a{x}", "the character '{'"},
        {"/{X}", "malformed {parameter}"},
        {"/{}", "malformed {parameter}"},
        {"/{x}y", "malformed {parameter}"},
        {"/{a}/{a}", "names a parameter twice"},
        {"/{a}/{b}/{c}/{d}/{e}", "more than 4 parameters"},
        {"/a b", "the character ' '"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        vos_route r[] = {ROUTE("GET", bad[i][0], "op")};
        refused(r, 1, bad[i][1]);
    }
    vos_route m[] = {ROUTE("FETCH", "/a", "op")};
    refused(m, 1, "unknown method");
    vos_route s[] = {ROUTE("GET", "/a", "op")};
    s[0].status = 202;
    refused(s, 1, "success status 202");
    s[0].status = 200;
    s[0].flags = VOS_ROUTE_LIST;
    refused(s, 1, "a list replies 200 with a response schema");
    s[0].flags = 0;
    s[0].summary = "";
    refused(s, 1, "needs a tag and a summary");
    vos_route root[] = {ROUTE("GET", "/", "root")};
    ck_assert_int_eq(http_routes_check(root, 1), 0);
}
END_TEST

START_TEST(paths_match_patterns)
{
    http_kv p[VOS_HTTP_PARAMS_MAX];
    size_t n;
    char scratch[256];
    ck_assert(http_route_matches("/api/v1/cases/{case_id}", "/api/v1/cases/12", p, &n, scratch,
                                 sizeof scratch));
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(p[0].name, "case_id");
    ck_assert_str_eq(p[0].value, "12");
    ck_assert(http_route_matches("/m/{key}/versions/{version}", "/m/sda/versions/1.2.0", p, &n,
                                 scratch, sizeof scratch));
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(p[1].name, "version");
    ck_assert_str_eq(p[1].value, "1.2.0");
    static const char *const no[][2] = {
        {"/api/v1/cases/{case_id}", "/api/v1/cases"},
        {"/api/v1/cases/{case_id}", "/api/v1/cases/"},
        {"/api/v1/cases/{case_id}", "/api/v1/cases/1/x"},
        {"/api/v1/cases", "/api/v1/casesx"},
        {"/api/v1/cases", "/api/v1/case"},
        {"/api/v1/cases", "/api/v1/cases/"},
        {"/a", ""},
    };
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        ck_assert_msg(!http_route_matches(no[i][0], no[i][1], p, &n, scratch, sizeof scratch),
                      "%s matched %s", no[i][0], no[i][1]);
    ck_assert(http_route_matches("/", "/", p, &n, scratch, sizeof scratch));
}
END_TEST

START_TEST(finding_prefers_literals_and_lists_methods)
{
    vos_route r[] = {ROUTE("GET", "/c/{case_id}", "get"), ROUTE("GET", "/c/mine", "mine"),
                     ROUTE("DELETE", "/c/{case_id}", "del"), ROUTE("POST", "/c", "add")};
    http_kv p[VOS_HTTP_PARAMS_MAX];
    size_t n, index;
    char scratch[256], allow[64];
    ck_assert_int_eq(http_route_find(r, 4, "GET", "/c/mine", &index, p, &n, scratch, sizeof scratch,
                                     allow, sizeof allow),
                     0);
    ck_assert_uint_eq(index, 1);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(http_route_find(r, 4, "GET", "/c/7", &index, p, &n, scratch, sizeof scratch,
                                     allow, sizeof allow),
                     0);
    ck_assert_uint_eq(index, 0);
    ck_assert_str_eq(p[0].value, "7");
    ck_assert_int_eq(http_route_find(r, 4, "HEAD", "/c/7", &index, p, &n, scratch, sizeof scratch,
                                     allow, sizeof allow),
                     0);
    ck_assert_int_eq(http_route_find(r, 4, "PUT", "/c/7", &index, p, &n, scratch, sizeof scratch,
                                     allow, sizeof allow),
                     VOS_EINVALID);
    ck_assert_str_eq(allow, "GET, DELETE");
    ck_assert_int_eq(http_route_find(r, 4, "GET", "/d", &index, p, &n, scratch, sizeof scratch,
                                     allow, sizeof allow),
                     VOS_ENOTFOUND);
}
END_TEST

/* The value at a path of keys (NULL-terminated). */
static json_t *at(json_t *v, ...)
{
    va_list ap;
    va_start(ap, v);
    for (const char *k; v && (k = va_arg(ap, const char *));)
        v = json_object_get(v, k);
    va_end(ap);
    return v;
}

/* Every "$ref" of the document points at something it defines. */
static void refs_resolve(json_t *doc, json_t *v)
{
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            if (strcmp(k, "$ref") == 0) {
                const char *ref = json_string_value(x);
                ck_assert_ptr_nonnull(ref);
                ck_assert(strncmp(ref, "#/components/", 13) == 0);
                char kind[32], name[128];
                ck_assert_int_eq(sscanf(ref + 13, "%31[^/]/%127s", kind, name), 2);
                json_t *target = json_object_get(
                    json_object_get(json_object_get(doc, "components"), kind), name);
                ck_assert_msg(target != NULL, "%s is not defined", ref);
            } else {
                refs_resolve(doc, x);
            }
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) refs_resolve(doc, x);
    }
}

START_TEST(openapi_names_every_route)
{
    char *text = NULL;
    size_t len = 0;
    ck_assert_int_eq(vos_http_openapi(&text, &len), 0);
    ck_assert_uint_eq(strlen(text), len);
    json_error_t err;
    json_t *doc = json_loads(text, 0, &err);
    ck_assert_msg(doc != NULL, "%s", err.text);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
    json_t *paths = json_object_get(doc, "paths");
    size_t n, ops = 0;
    const vos_route *r = vos_http_routes(&n);
    for (size_t i = 0; i < n; i++) {
        char method[8];
        size_t k = 0;
        for (; r[i].method[k]; k++)
            method[k] = (char)(r[i].method[k] + ('a' - 'A'));
        method[k] = '\0';
        json_t *op = json_object_get(json_object_get(paths, r[i].pattern), method);
        ck_assert_msg(op != NULL, "%s %s missing", r[i].method, r[i].pattern);
        ck_assert_str_eq(json_string_value(json_object_get(op, "operationId")), r[i].operation_id);
        char status[8];
        snprintf(status, sizeof status, "%d", r[i].status);
        ck_assert(json_object_get(json_object_get(op, "responses"), status) != NULL);
        bool public_route = r[i].flags & VOS_ROUTE_PUBLIC;
        ck_assert_int_eq(json_object_get(json_object_get(op, "responses"), "401") != NULL,
                         !public_route);
    }
    const char *p;
    json_t *item;
    json_object_foreach(paths, p, item) ops += json_object_size(item);
    ck_assert_uint_eq(ops, n);
    refs_resolve(doc, doc);
    /* the sign-in body comes from the route's fields */
    json_t *schema = at(paths, "/api/v1/session", "post", "requestBody", "content",
                        "application/json", "schema", NULL);
    ck_assert_ptr_nonnull(schema);
    ck_assert_int_eq(json_integer_value(at(schema, "properties", "email", "maxLength", NULL)),
                     VOS_EMAIL_MAX);
    ck_assert_uint_eq(json_array_size(json_object_get(schema, "required")), 2);
    json_decref(doc);
    free(text);
}
END_TEST

START_TEST(the_markdown_table_has_a_row_per_route)
{
    char *text = NULL;
    size_t len = 0, n, rows = 0;
    ck_assert_int_eq(vos_http_routes_markdown(&text, &len), 0);
    vos_http_routes(&n);
    for (const char *p = text; (p = strchr(p, '\n')); p++)
        rows++;
    ck_assert_uint_eq(rows, n + 2);
    ck_assert_ptr_nonnull(strstr(text, "| GET | `/healthz` | "));
    free(text);
}
END_TEST

Suite *vos_test_http_routes_suite(void)
{
    Suite *s = suite_create("http_routes");
    TCase *tc = tcase_create("table");
    tcase_add_test(tc, the_table_passes_its_checks);
    tcase_add_test(tc, every_response_schema_is_defined);
    tcase_add_test(tc, every_route_lists_its_roles);
    tcase_add_test(tc, checks_refuse_bad_tables);
    suite_add_tcase(s, tc);
    tc = tcase_create("matching");
    tcase_add_test(tc, paths_match_patterns);
    tcase_add_test(tc, finding_prefers_literals_and_lists_methods);
    suite_add_tcase(s, tc);
    tc = tcase_create("documents");
    tcase_add_test(tc, openapi_names_every_route);
    tcase_add_test(tc, the_markdown_table_has_a_row_per_route);
    suite_add_tcase(s, tc);
    return s;
}
