/* Requests and replies without a socket: the JSON body scan and checks, query arguments,
 * pagination, If-Match, cookies, problem replies, the rate limiter and the metrics text. */
#include "http/http_int.h"

#include "vos/error.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static vos_req R;

static void setup(void)
{
    http_req_init(&R, NULL);
    http_req_set(&R, "POST", "/x");
}

static void teardown(void)
{
    http_req_release(&R);
}

/* A string of n copies of c. */
static char *repeat(const char *head, const char *item, size_t n, const char *tail)
{
    size_t hl = strlen(head), il = strlen(item), tl = strlen(tail);
    char *s = malloc(hl + il * n + tl + 1);
    memcpy(s, head, hl);
    for (size_t i = 0; i < n; i++)
        memcpy(s + hl + i * il, item, il);
    memcpy(s + hl + il * n, tail, tl + 1);
    return s;
}

static int scan(const char *text)
{
    char msg[256];
    return http_json_scan(text, strlen(text), msg, sizeof msg);
}

START_TEST(scan_limits_depth)
{
    char *ok = repeat("", "[", VOS_HTTP_JSON_DEPTH_MAX, "");
    char *deep = repeat("", "[", VOS_HTTP_JSON_DEPTH_MAX + 1, "");
    ck_assert_int_eq(scan(ok), 0);
    ck_assert_int_eq(scan(deep), VOS_ETOOLARGE);
    /* brackets inside strings are text */
    char *quoted = repeat("[\"", "[", 100, "\"]");
    ck_assert_int_eq(scan(quoted), 0);
    /* closing brackets bring the depth back down */
    char *flat = repeat("", "[[]]", 1000, "");
    ck_assert_int_eq(scan(flat), 0);
    free(ok);
    free(deep);
    free(quoted);
    free(flat);
}
END_TEST

START_TEST(scan_limits_strings_and_arrays)
{
    char *ok = repeat("\"", "a", VOS_HTTP_JSON_STRING_MAX, "\"");
    char *big = repeat("\"", "a", VOS_HTTP_JSON_STRING_MAX + 1, "\"");
    ck_assert_int_eq(scan(ok), 0);
    ck_assert_int_eq(scan(big), VOS_ETOOLARGE);
    /* an escape counts once: \n is one byte; \u00e9 up to three */
    char *esc = repeat("\"", "\\n", VOS_HTTP_JSON_STRING_MAX, "\"");
    ck_assert_int_eq(scan(esc), 0);
    char *uni = repeat("\"", "\\u00e9", VOS_HTTP_JSON_STRING_MAX / 3 + 1, "\"");
    ck_assert_int_eq(scan(uni), VOS_ETOOLARGE);
    char *arr = repeat("[0", ",0", VOS_HTTP_JSON_ARRAY_MAX - 1, "]");
    char *arr_big = repeat("[0", ",0", VOS_HTTP_JSON_ARRAY_MAX, "]");
    ck_assert_int_eq(scan(arr), 0);
    ck_assert_int_eq(scan(arr_big), VOS_ETOOLARGE);
    /* commas of an object do not count as elements */
    char *obj = repeat("{\"a\":0", ",\"a\":0", VOS_HTTP_JSON_ARRAY_MAX, "}");
    ck_assert_int_eq(scan(obj), 0);
    free(ok);
    free(big);
    free(esc);
    free(uni);
    free(arr);
    free(arr_big);
    free(obj);
}
END_TEST

START_TEST(parse_wants_one_object_without_duplicates)
{
    json_t *v = NULL;
    char msg[256];
    ck_assert_int_eq(http_json_parse(&v, "{\"a\": 1}", 8, msg, sizeof msg), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(v, "a")), 1);
    json_decref(v);
    static const char *const bad[][2] = {
        {"{\"a\": 1, \"a\": 2}", "duplicate"},
        {"[1]", "the body must be a JSON object"},
        {"3", "the body must be a JSON object"},
        {"{\"a\": }", "not valid JSON"},
        {"{} {}", "not valid JSON"},
        {"", "not valid JSON"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_int_eq(http_json_parse(&v, bad[i][0], strlen(bad[i][0]), msg, sizeof msg),
                         VOS_EINVALID);
        ck_assert_ptr_null(v);
        ck_assert_msg(strstr(msg, bad[i][1]), "%s: %s", bad[i][0], msg);
    }
}
END_TEST

static const vos_field fields[] = {
    {"name", VOS_F_STRING, true, 5, NULL, NULL},
    {"size", VOS_F_STRING, false, 0, "smb|mid_market|enterprise", NULL},
    {"count", VOS_F_INTEGER, false, 0, NULL, NULL},
    {"rate", VOS_F_NUMBER, false, 0, NULL, NULL},
    {"on", VOS_F_BOOL, false, 0, NULL, NULL},
    {"day", VOS_F_DATE, false, 0, NULL, NULL},
    {"at", VOS_F_STAMP, false, 0, NULL, NULL},
    {"extra", VOS_F_OBJECT, false, 0, NULL, NULL},
    {"list", VOS_F_ARRAY, false, 2, NULL, NULL},
};
#define N_FIELDS (sizeof fields / sizeof *fields)

/* The message of field `name` after checking `text`, or NULL when it has none. */
static const char *problem_of(const char *text, const char *name)
{
    json_t *v = json_loads(text, 0, NULL);
    ck_assert_ptr_nonnull(v);
    http_req_release(&R);
    setup();
    vos_req_check(&R, v, NULL, fields, N_FIELDS);
    json_decref(v);
    for (const http_field_error *e = R.errors; e; e = e->next)
        if (strcmp(e->field, name) == 0) return e->message;
    return NULL;
}

START_TEST(fields_are_checked_by_type)
{
    ck_assert_ptr_null(problem_of("{\"name\": \"\u00e9t\u00e9s\"}", "name")); /* 5 characters */
    ck_assert_str_eq(problem_of("{\"name\": \"abcdef\"}", "name"),
                     "must be at most 5 characters without NUL bytes");
    ck_assert_str_eq(problem_of("{}", "name"), "is required");
    ck_assert_str_eq(problem_of("{\"name\": null}", "name"), "is required");
    ck_assert_str_eq(problem_of("{\"name\": 3}", "name"), "must be a string");
    ck_assert_ptr_null(problem_of("{\"name\": \"a\", \"size\": null}", "size"));
    ck_assert_str_eq(problem_of("{\"size\": \"huge\"}", "size"),
                     "must be one of smb, mid_market, enterprise");
    ck_assert_ptr_null(problem_of("{\"size\": \"enterprise\"}", "size"));
    ck_assert_str_eq(problem_of("{\"count\": 1.5}", "count"), "must be a whole number");
    ck_assert_ptr_null(problem_of("{\"count\": -3}", "count"));
    ck_assert_ptr_null(problem_of("{\"rate\": 3}", "rate"));
    ck_assert_str_eq(problem_of("{\"rate\": \"3\"}", "rate"), "must be a number");
    ck_assert_str_eq(problem_of("{\"on\": 1}", "on"), "must be true or false");
    ck_assert_ptr_null(problem_of("{\"day\": \"2024-02-29\"}", "day"));
    ck_assert_str_eq(problem_of("{\"day\": \"2023-02-29\"}", "day"), "must be a date YYYY-MM-DD");
    ck_assert_str_eq(problem_of("{\"day\": \"2023-02-01T00:00:00Z\"}", "day"),
                     "must be a date YYYY-MM-DD");
    ck_assert_ptr_null(problem_of("{\"at\": \"2026-01-31T12:00:00Z\"}", "at"));
    ck_assert_ptr_null(problem_of("{\"at\": \"2026-01-31T12:00:00.123Z\"}", "at"));
    ck_assert_str_eq(problem_of("{\"at\": \"2026-01-31T12:00:00+01:00\"}", "at"),
                     "must be a time YYYY-MM-DDTHH:MM:SSZ (UTC)");
    ck_assert_str_eq(problem_of("{\"at\": \"2026-01-31T24:00:00Z\"}", "at"),
                     "must be a time YYYY-MM-DDTHH:MM:SSZ (UTC)");
    ck_assert_str_eq(problem_of("{\"extra\": []}", "extra"), "must be an object");
    ck_assert_str_eq(problem_of("{\"list\": [1, 2, 3]}", "list"), "must have at most 2 elements");
    ck_assert_str_eq(problem_of("{\"list\": {}}", "list"), "must be an array");
    ck_assert_str_eq(problem_of("{\"other\": 1}", "other"), "is not a field of this request");
}
END_TEST

START_TEST(nested_checks_prefix_their_fields)
{
    json_t *v = json_loads("{\"count\": \"x\", \"what\": 1}", 0, NULL);
    size_t n = vos_req_check(&R, v, "kpis[2]", fields, N_FIELDS);
    json_decref(v);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(R.errors->field, "kpis[2].what");
    ck_assert_str_eq(R.errors->next->field, "kpis[2].name");
    ck_assert_str_eq(R.errors->next->next->field, "kpis[2].count");
    ck_assert_int_eq(vos_req_errors_reply(&R, 0), VOS_EINVALID);
    ck_assert_int_eq(R.status, 400);
    http_reply_finalize(&R);
    json_t *body = json_loads(R.out, 0, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(body, "detail")),
                     "the request has 3 problems");
    ck_assert_uint_eq(json_array_size(json_object_get(body, "errors")), 3);
    ck_assert_str_eq(json_string_value(json_object_get(body, "type")),
                     "https://vos.invalid/problems/bad-request");
    ck_assert_str_eq(R.content_type, "application/problem+json");
    json_decref(body);
}
END_TEST

START_TEST(request_json_checks_the_route_fields)
{
    vos_route route = {"POST", "/x",     NULL, 0,    "x", "t", "s",
                       fields, N_FIELDS, NULL, NULL, 201, NULL};
    R.route = &route;
    json_t *v;
    ck_assert_int_eq(vos_req_json(&R, &v), VOS_EINVALID);
    ck_assert_int_eq(R.status, 400);
    http_req_body_append(&R, "{\"name\": \"ok\"}", 14);
    http_reply_reset(&R);
    ck_assert_int_eq(vos_req_json(&R, &v), 0);
    ck_assert_str_eq(json_string_value(json_object_get(v, "name")), "ok");
    ck_assert_ptr_eq(R.json, v);
}
END_TEST

START_TEST(queries_pages_and_if_match)
{
    http_req_add(&R, &R.query, "limit", "20");
    http_req_add(&R, &R.query, "after", "41");
    http_req_add(&R, &R.query, "account_id", "x");
    vos_store_query q = {0};
    size_t page;
    ck_assert_int_eq(vos_req_page(&R, &q, &page), 0);
    ck_assert_uint_eq(page, 20);
    ck_assert_uint_eq(q.limit, 21);
    ck_assert_int_eq(q.after_id, 41);
    int64_t id;
    ck_assert_int_eq(vos_req_query_id(&R, "account_id", &id), VOS_EINVALID);
    ck_assert_int_eq(R.status, 400);
    ck_assert_int_eq(vos_req_query_id(&R, "case_id", &id), 0);
    ck_assert_int_eq(id, 0);

    static const char *const good[][2] = {
        {"3", "3"}, {"\"3\"", "3"}, {"W/\"17\"", "17"}, {"*", "0"}};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        http_req_release(&R);
        setup();
        http_req_add(&R, &R.headers, "if-match", good[i][0]);
        int64_t rev = -1;
        ck_assert_int_eq(vos_req_if_match(&R, &rev), 0);
        ck_assert_int_eq(rev, atoll(good[i][1]));
    }
    static const char *const bad[] = {"\"x\"", "0", "-1", "\"3", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        http_req_release(&R);
        setup();
        http_req_add(&R, &R.headers, "If-Match", bad[i]);
        int64_t rev;
        ck_assert_msg(vos_req_if_match(&R, &rev) == VOS_EINVALID, "If-Match: %s", bad[i]);
    }
    static const char *const limits[] = {"0", "501", "x", "-1"};
    for (size_t i = 0; i < sizeof limits / sizeof *limits; i++) {
        http_req_release(&R);
        setup();
        http_req_add(&R, &R.query, "limit", limits[i]);
        ck_assert_int_eq(vos_req_page(&R, &q, &page), VOS_EINVALID);
    }
    http_req_release(&R);
    setup();
    ck_assert_int_eq(vos_req_page(&R, &q, &page), 0);
    ck_assert_uint_eq(page, VOS_HTTP_PAGE_DEFAULT);
}
END_TEST

START_TEST(params_and_cookies)
{
    R.params[0] = (http_kv){"proof_point_id", "12x"};
    R.n_params = 1;
    int64_t id;
    ck_assert_int_eq(vos_req_param_id(&R, "proof_point_id", &id), VOS_ENOTFOUND);
    ck_assert_int_eq(R.status, 404);
    http_reply_finalize(&R);
    ck_assert_ptr_nonnull(strstr(R.out, "\"detail\":\"no such proof point\""));
    R.params[0].value = "12";
    ck_assert_int_eq(vos_req_param_id(&R, "proof_point_id", &id), 0);
    ck_assert_int_eq(id, 12);
    http_req_add(&R, &R.headers, "Cookie", "theme=dark; vos_session=abc_123; x=1");
    ck_assert_str_eq(http_req_cookie(&R, "vos_session"), "abc_123");
    ck_assert_str_eq(http_req_cookie(&R, "x"), "1");
    ck_assert_ptr_null(http_req_cookie(&R, "vos"));
    ck_assert_str_eq(vos_req_header(&R, "COOKIE"), "theme=dark; vos_session=abc_123; x=1");
}
END_TEST

START_TEST(errors_map_to_statuses)
{
    static const struct {
        int rc, status;
    } map[] = {{VOS_EINVALID, 422},   {VOS_ENUM, 422},   {VOS_ENOTFOUND, 404}, {VOS_ECONFLICT, 409},
               {VOS_EFORBIDDEN, 403}, {VOS_ESTALE, 412}, {VOS_EAUTH, 401},     {VOS_ETOOLARGE, 413},
               {VOS_ERROR, 500},      {VOS_ENOMEM, 500}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
        http_reply_reset(&R);
        vos_error_set(map[i].rc, "SELECT secret FROM x failed");
        ck_assert_int_eq(vos_reply_error(&R, map[i].rc), map[i].rc);
        ck_assert_int_eq(R.status, map[i].status);
        http_reply_finalize(&R);
        /* a 500 never shows the internal message, which goes to the log */
        ck_assert_int_eq(strstr(R.out, "SELECT") != NULL, map[i].status != 500);
        if (map[i].status == 500) ck_assert_ptr_nonnull(strstr(R.log_error, "SELECT"));
        free(R.out);
        R.out = NULL;
    }
}
END_TEST

static int no_reply(vos_req *rq)
{
    (void)rq;
    return 0;
}

START_TEST(a_handler_that_does_not_reply_is_a_500)
{
    ck_assert_int_eq(no_reply(&R), 0);
    http_reply_finalize(&R);
    ck_assert_int_eq(R.status, 500);
    ck_assert_str_eq(R.log_error, "the handler returned without replying");
    http_reply_reset(&R);
    vos_reply_page(&R);
    http_reply_finalize(&R);
    ck_assert_int_eq(R.status, 500);
    http_reply_reset(&R);
    vos_jw *w = vos_reply_page(&R);
    vos_jw_integer(w, 1);
    vos_reply_page_end(&R, 9);
    http_reply_finalize(&R);
    ck_assert_int_eq(R.status, 200);
    ck_assert_str_eq(R.out, "{\"items\":[1],\"next\":\"9\"}");
    http_reply_reset(&R);
    vos_reply_etag(&R, 4);
    vos_reply_empty(&R, 204);
    http_reply_finalize(&R);
    ck_assert_ptr_null(R.out);
    ck_assert_str_eq(R.headers_out->value, "\"4\"");
    /* a problem drops the headers of the reply it replaces */
    vos_reply_problem(&R, 409, "no");
    ck_assert_ptr_null(R.headers_out);
}
END_TEST

START_TEST(rate_limiter_is_a_token_bucket)
{
    http_limiter *l;
    ck_assert_int_eq(http_limiter_new(&l, 2, 3), 0);
    double t = 1000;
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(http_limiter_take(l, "ip:1", t), 0);
    ck_assert_uint_eq(http_limiter_take(l, "ip:1", t), 1); /* 1 token at 2/s: 0.5 s -> 1 */
    ck_assert_uint_eq(http_limiter_take(l, "ip:2", t), 0); /* keys are separate */
    ck_assert_uint_eq(http_limiter_take(l, "ip:1", t + 0.5), 0);
    ck_assert_uint_eq(http_limiter_take(l, "ip:1", t + 0.5), 1);
    /* a full refill after a long pause, never above the burst */
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(http_limiter_take(l, "ip:1", t + 100), 0);
    ck_assert_uint_ne(http_limiter_take(l, "ip:1", t + 100), 0);
    /* many keys: the table stays bounded and keeps working */
    char key[32];
    double end = t + 200 + 3 * HTTP_RATE_KEYS;
    for (int i = 0; i < 3 * HTTP_RATE_KEYS; i++) {
        snprintf(key, sizeof key, "ip:%d", i);
        http_limiter_take(l, key, t + 200 + i);
    }
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(http_limiter_take(l, "ip:new", end), 0);
    ck_assert_uint_eq(http_limiter_take(l, "ip:new", end), 1);
    http_limiter_free(l);
    http_limiter *slow;
    ck_assert_int_eq(http_limiter_new(&slow, 10.0 / 60, 10), 0); /* 10 a minute */
    for (int i = 0; i < 10; i++)
        ck_assert_uint_eq(http_limiter_take(slow, "ip:9", 50), 0);
    ck_assert_uint_eq(http_limiter_take(slow, "ip:9", 50), 6);
    http_limiter_free(slow);
}
END_TEST

START_TEST(metrics_text_counts_requests)
{
    vos_route routes[] = {
        {"GET", "/a/{a_id}", no_reply, 0, "getA", "t", "s", NULL, 0, NULL, NULL, 200, NULL}};
    http_metrics *m;
    ck_assert_int_eq(http_metrics_new(&m, routes, 1), 0);
    http_metrics_observe(m, 0, "GET", 200, 3000000, 1000000); /* 3 ms */
    http_metrics_observe(m, 0, "GET", 200, 20000000, 0);      /* 20 ms */
    http_metrics_observe(m, 1, "BREW", 404, 100000, 0);
    http_metrics_rate_limited(m);
    char *text;
    size_t len;
    ck_assert_int_eq(http_metrics_render(m, 2, 1700000000.5, &text, &len), 0);
    static const char *const want[] = {
        "vos_http_requests_total{route=\"/a/{a_id}\",method=\"GET\",status=\"200\"} 2\n",
        "vos_http_requests_total{route=\"none\",method=\"OTHER\",status=\"404\"} 1\n",
        "vos_http_request_duration_seconds_bucket{route=\"/a/{a_id}\",method=\"GET\","
        "le=\"0.0025\"} 0\n",
        "vos_http_request_duration_seconds_bucket{route=\"/a/{a_id}\",method=\"GET\","
        "le=\"0.005\"} 1\n",
        "vos_http_request_duration_seconds_bucket{route=\"/a/{a_id}\",method=\"GET\","
        "le=\"0.025\"} 2\n",
        "vos_http_request_duration_seconds_sum{route=\"/a/{a_id}\",method=\"GET\"} 0.023\n",
        "vos_http_request_duration_seconds_count{route=\"/a/{a_id}\",method=\"GET\"} 2\n",
        "vos_http_handler_duration_seconds_sum{route=\"/a/{a_id}\",method=\"GET\"} 0.001\n",
        "vos_http_requests_in_flight 2\n",
        "vos_http_rate_limited_total 1\n",
        "process_start_time_seconds 1700000000.5\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        ck_assert_msg(strstr(text, want[i]), "missing: %s", want[i]);
    free(text);
    http_metrics_free(m);
}
END_TEST

Suite *vos_test_http_request_suite(void)
{
    Suite *s = suite_create("http_request");
    TCase *tc = tcase_create("json");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, scan_limits_depth);
    tcase_add_test(tc, scan_limits_strings_and_arrays);
    tcase_add_test(tc, parse_wants_one_object_without_duplicates);
    tcase_add_test(tc, fields_are_checked_by_type);
    tcase_add_test(tc, nested_checks_prefix_their_fields);
    tcase_add_test(tc, request_json_checks_the_route_fields);
    suite_add_tcase(s, tc);
    tc = tcase_create("request");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, queries_pages_and_if_match);
    tcase_add_test(tc, params_and_cookies);
    tcase_add_test(tc, errors_map_to_statuses);
    tcase_add_test(tc, a_handler_that_does_not_reply_is_a_500);
    suite_add_tcase(s, tc);
    tc = tcase_create("limits");
    tcase_add_test(tc, rate_limiter_is_a_token_bucket);
    tcase_add_test(tc, metrics_text_counts_requests);
    suite_add_tcase(s, tc);
    return s;
}
