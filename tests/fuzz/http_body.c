/* libFuzzer target: arbitrary bytes as the JSON body of a route of the API.
 *
 * Input: "<operationId>\n<body>".  The first line names the route whose body fields check the
 * body (an unknown name picks a route with body fields by a hash of the line, so that mutated
 * names still reach every route); without a newline the whole input is the body of a route
 * picked by its length.  For each input:
 *   1. http_json_scan: 0 or VOS_ETOOLARGE with a message;
 *   2. http_json_parse: a JSON object within the limits the scan enforces (depth, string
 *      bytes, array elements), or VOS_EINVALID with a message and no value;
 *   3. vos_req_json on a request without a connection, with the route's fields: either the
 *      checked object, or a 400 problem whose body is valid JSON listing field errors.
 * Never a crash, an undefined behaviour or a leak. */
#include "http/http_int.h"

#include "vos/error.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

#define MSG_SIZE 1024

/* The routes that take a JSON object body with fields. */
static const vos_route *body_routes[HTTP_ROUTES_MAX];
static size_t n_body_routes;

static void find_body_routes(void)
{
    if (n_body_routes) return;
    size_t n;
    const vos_route *r = vos_http_routes(&n);
    for (size_t i = 0; i < n && n_body_routes < HTTP_ROUTES_MAX; i++)
        if (r[i].body && r[i].n_body > 0 && !r[i].body_media) body_routes[n_body_routes++] = &r[i];
}

static const vos_route *pick_route(const char *name, size_t len)
{
    if (n_body_routes == 0) return NULL;
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)name[i]) * 16777619u;
    for (size_t i = 0; i < n_body_routes; i++) {
        const char *id = body_routes[i]->operation_id;
        if (strlen(id) == len && memcmp(id, name, len) == 0) return body_routes[i];
    }
    return body_routes[h % n_body_routes];
}

/* Depth, longest string and largest array of a parsed value are within the scan's limits. */
static void check_limits(json_t *v, size_t depth)
{
    if (json_is_object(v)) {
        CHECK(depth < VOS_HTTP_JSON_DEPTH_MAX);
        const char *key;
        json_t *item;
        json_object_foreach(v, key, item)
        {
            CHECK(strlen(key) <= VOS_HTTP_JSON_STRING_MAX);
            check_limits(item, depth + 1);
        }
    } else if (json_is_array(v)) {
        CHECK(depth < VOS_HTTP_JSON_DEPTH_MAX);
        CHECK(json_array_size(v) <= VOS_HTTP_JSON_ARRAY_MAX);
        for (size_t i = 0; i < json_array_size(v); i++)
            check_limits(json_array_get(v, i), depth + 1);
    } else if (json_is_string(v)) {
        CHECK(json_string_length(v) <= VOS_HTTP_JSON_STRING_MAX);
    } else if (json_is_real(v)) {
        CHECK(json_real_value(v) == json_real_value(v)); /* jansson never yields NaN */
    }
}

/* Whether `key` is one of the body fields of `route`. */
static bool is_field(const vos_route *route, const char *key)
{
    for (size_t i = 0; i < route->n_body; i++)
        if (strcmp(route->body[i].name, key) == 0) return true;
    return false;
}

/* The body through the request pipeline's own check, without a connection. */
static void check_request(const vos_route *route, const char *body, size_t len)
{
    vos_req rq;
    http_req_init(&rq, NULL);
    CHECK(http_req_set(&rq, "POST", route->pattern) == 0);
    rq.route = route;
    if (len) CHECK(http_req_body_append(&rq, body, len) == 0);
    json_t *obj = NULL;
    int rc = vos_req_json(&rq, &obj);
    if (rc == 0) {
        CHECK(obj && json_is_object(obj) && rq.kind == HTTP_REPLY_NONE);
        const char *key;
        json_t *v;
        json_object_foreach(obj, key, v)
        {
            CHECK(is_field(route, key));
        }
        for (size_t i = 0; i < route->n_body; i++)
            if (route->body[i].required) {
                json_t *f = json_object_get(obj, route->body[i].name);
                CHECK(f && !json_is_null(f));
            }
        /* a handler's check of a nested object against the same fields adds its problems */
        json_t *nested = json_object();
        json_object_set_new(nested, "x", json_true());
        CHECK(vos_req_check(&rq, nested, "nested[0]", route->body, route->n_body) >= 1);
        json_decref(nested);
        CHECK(vos_req_errors_reply(&rq, 400) < 0 && rq.status == 400);
    } else {
        CHECK(rc < 0 && obj == NULL);
        CHECK(rq.status == 400 && rq.kind == HTTP_REPLY_JSON);
    }
    http_reply_finalize(&rq);
    if (rq.status == 400) {
        CHECK(rq.out && rq.out_len > 0);
        json_error_t err;
        json_t *problem = json_loadb(rq.out, rq.out_len, 0, &err);
        CHECK(problem && json_is_object(problem));
        CHECK(json_integer_value(json_object_get(problem, "status")) == 400);
        CHECK(json_is_string(json_object_get(problem, "detail")));
        json_t *errors = json_object_get(problem, "errors");
        CHECK(!errors || (json_is_array(errors) && json_array_size(errors) <= HTTP_ERRORS_MAX));
        json_decref(problem);
    }
    http_req_release(&rq);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    find_body_routes();
    const char *text = (const char *)data;
    const char *nl = memchr(text, '\n', size);
    const vos_route *route;
    const char *body = text;
    size_t len = size;
    if (nl) {
        route = pick_route(text, (size_t)(nl - text));
        body = nl + 1;
        len = size - (size_t)(nl - text) - 1;
    } else {
        route = n_body_routes ? body_routes[size % n_body_routes] : NULL;
    }

    char msg[MSG_SIZE];
    msg[0] = '\0';
    int rc = http_json_scan(body, len, msg, sizeof msg);
    CHECK(rc == 0 || (rc == VOS_ETOOLARGE && msg[0]));

    json_t *v = NULL;
    msg[0] = '\0';
    int prc = http_json_parse(&v, body, len, msg, sizeof msg);
    if (prc == 0) {
        CHECK(rc == 0 && v && json_is_object(v));
        check_limits(v, 0);
    } else {
        CHECK(prc == VOS_EINVALID && !v && msg[0]);
    }
    json_decref(v);

    if (route) check_request(route, body, len);
    return 0;
}
