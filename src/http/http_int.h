/* Internals of the HTTP adapter shared by server.c, dispatch.c, req.c, reply.c, json_check.c,
 * routes.c, openapi.c, metrics.c and ratelimit.c.  Handlers (h_*.c) use http.h only, except
 * the session and system handlers of the server itself. */
#ifndef VOS_HTTP_INT_H
#define VOS_HTTP_INT_H

#include "http/http.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_ARENA_BLOCK 8192  /* bytes of one arena block (larger requests get their own) */
#define HTTP_REQUEST_ID_MAX 64 /* characters of a request id (X-Request-Id) */
#define HTTP_IP_MAX 64         /* characters of a client address */
#define HTTP_ERRORS_MAX 100    /* field problems kept for one reply (more are counted) */
#define HTTP_BODY_DISCARD_MAX                                                                      \
    (2 * (size_t)VOS_HTTP_BODY_MAX) /* bytes of an oversized body                                  \
             read and dropped so that the client sees the 413; a                                   \
             connection sending more is closed */
#define HTTP_DETAIL_MAX 1024        /* bytes of a problem's detail */
#define HTTP_BODIES_MAX                                                                            \
    ((size_t)256 << 20)     /* bytes of request bodies held at once by all                         \
                       requests (503 beyond: memory stays bounded) */
#define HTTP_ROUTES_MAX 256 /* routes of the whole table */
#define HTTP_METHODS "GET|POST|PUT|PATCH|DELETE"
#define HTTP_SESSION_COOKIE "vos_session"
#define HTTP_CSRF_HEADER "X-CSRF-Token"
#define HTTP_PROBLEM_TYPE "https://vos.invalid/problems/"
#define HTTP_RATE_KEYS 4096         /* credentials or addresses tracked by one rate limiter */
#define HTTP_DRAIN_S 30             /* seconds a stopping server waits for requests in flight */
#define HTTP_CONN_MEMORY (64 << 10) /* bytes of a connection's header and read buffers */
#define HTTP_CONNECTIONS_MAX 4096   /* open connections at most */
#define HTTP_API_VERSION "0.1.0"    /* info.version of the OpenAPI document */

/* ---- per-request memory ---- */

typedef struct http_block {
    struct http_block *next;
    size_t used, cap;
    _Alignas(max_align_t) unsigned char data[];
} http_block;

typedef struct http_arena {
    http_block *head;
} http_arena;

/* Memory freed all at once with http_arena_free; NULL when out of memory. */
void *http_arena_alloc(http_arena *a, size_t n);
void http_arena_free(http_arena *a);

/* ---- the request ---- */

typedef struct http_kv {
    const char *name, *value;
} http_kv;

typedef struct http_list {
    http_kv *items;
    size_t n, cap;
} http_list;

typedef struct http_header {
    struct http_header *next;
    const char *name, *value;
} http_header;

typedef struct http_field_error {
    struct http_field_error *next;
    const char *field, *message;
} http_field_error;

typedef enum http_reply_kind {
    HTTP_REPLY_NONE = 0, /* the handler has not replied */
    HTTP_REPLY_JSON,     /* rq->jw holds the body being written */
    HTTP_REPLY_BYTES,    /* rq->out holds the body */
    HTTP_REPLY_EMPTY     /* no body */
} http_reply_kind;

typedef struct http_server http_server;

struct vos_req {
    http_server *srv;
    http_arena arena;

    /* what was asked */
    const char *method, *path;
    http_list headers, query;
    char *body; /* malloc'ed, NUL-terminated */
    size_t body_len, body_cap;
    bool body_too_large;
    uint64_t received; /* body bytes received, kept or not */
    size_t held;       /* body bytes counted in the server's http_server.bodies */
    bool busy;         /* the server held too many bodies to keep this one: 503 */
    char client_ip[HTTP_IP_MAX];
    char request_id[HTTP_REQUEST_ID_MAX + 1];
    uint64_t start_ns;
    uint64_t handler_ns; /* time spent in the handler */

    /* routing */
    const vos_route *route;
    size_t route_index; /* index in the table; n_routes when none matched */
    http_kv params[VOS_HTTP_PARAMS_MAX];
    size_t n_params;

    /* who asks */
    vos_app *app;
    bool authenticated, by_cookie;
    vos_principal principal;
    const char *session_secret; /* the cookie's secret, when one was sent */
    char csrf[VOS_SECRET_SIZE];

    /* the body as JSON (parsed by the pipeline) */
    json_t *json;
    bool json_checked;

    /* field problems */
    http_field_error *errors, **errors_tail;
    size_t n_errors;

    /* the reply */
    int status;
    http_reply_kind kind;
    vos_jw jw;
    bool page_open;
    char *out; /* malloc'ed body */
    size_t out_len;
    const char *content_type;
    http_header *headers_out, **headers_tail;
    bool replayed;
    const char *log_error; /* what went wrong behind a 5xx (logged, never replied) */
    const char *log_actor; /* who signed in with this request (logged) */
    bool early;            /* the reply was queued before the body was read */
    bool observed;         /* counted in the metrics */
};

/* Initialises a request (arena empty, nothing read yet). */
void http_req_init(vos_req *rq, http_server *srv);
/* Frees everything the request holds (not rq itself). */
void http_req_release(vos_req *rq);
/* Records the request line, with its headers and query arguments added by the callers. */
int http_req_set(vos_req *rq, const char *method, const char *path);
int http_req_add(vos_req *rq, http_list *list, const char *name, const char *value);
/* Appends body bytes (capped: beyond VOS_HTTP_BODY_MAX sets body_too_large and drops them). */
int http_req_body_append(vos_req *rq, const char *data, size_t n);
/* The value of cookie `name` from the Cookie headers (arena copy), or NULL. */
const char *http_req_cookie(vos_req *rq, const char *name);
/* Builds the final reply body: finishes the JSON writer; a handler that did not reply or left
 * a page open becomes a 500.  Afterwards rq->out/out_len/content_type/status are final. */
void http_reply_finalize(vos_req *rq);
/* Drops the reply written so far (body and headers). */
void http_reply_reset(vos_req *rq);
/* A reply of `status` with the given body bytes (copied). */
int http_reply_bytes(vos_req *rq, int status, const char *content_type, const char *body,
                     size_t len);
/* The reason phrase of a status ("Not Found"). */
const char *http_status_text(int status);
/* Replaces every byte that is not part of valid UTF-8 by '?' (messages may quote a body). */
void http_utf8_clean(char *text);
/* Writes the 500 problem and keeps `message` for the log. */
int http_reply_internal(vos_req *rq, const char *message);

/* ---- JSON bodies (json_check.c) ---- */

/* Scans JSON text once for the limits VOS_HTTP_JSON_DEPTH_MAX, _STRING_MAX and _ARRAY_MAX
 * (it does not validate the grammar: jansson does).  Returns 0, or VOS_ETOOLARGE with a
 * message in msg. */
int http_json_scan(const char *text, size_t len, char *msg, size_t msg_size);
/* Scans and parses a request body: a JSON object, no duplicate keys.  Returns 0 with *out, or
 * VOS_EINVALID with msg explaining. */
int http_json_parse(json_t **out, const char *text, size_t len, char *msg, size_t msg_size);

/* ---- routes (routes.c) ---- */

/* Checks a route table: operation ids present and unique, methods known, patterns well
 * formed ("/seg/{name}/seg", at most VOS_HTTP_PARAMS_MAX parameters, no duplicate parameter
 * names), no two routes with the same method and pattern (parameter names ignored), success
 * status 200/201/204, tags and summaries present.  Returns 0 or VOS_EINVALID naming the first
 * problem. */
int http_routes_check(const vos_route *routes, size_t n);

/* Matches a path against one pattern; on success fills params (pointing into `scratch`, a
 * copy of the path the caller provides) and returns true. */
bool http_route_matches(const char *pattern, const char *path, http_kv *params, size_t *n_params,
                        char *scratch, size_t scratch_size);

/* The route for (method, path): OUT: *index.  Returns 0; VOS_ENOTFOUND when no pattern
 * matches the path; VOS_EINVALID when patterns match but not with this method (then `allow`
 * lists the methods, "GET, POST").  HEAD matches GET routes. */
int http_route_find(const vos_route *routes, size_t n, const char *method, const char *path,
                    size_t *index, http_kv *params, size_t *n_params, char *scratch,
                    size_t scratch_size, char *allow, size_t allow_size);

/* The roles allowed to call a route, for people ("admin, seller"; "everyone" for public
 * routes; "every signed-in user"), or NULL when routes.c does not list its operation. */
const char *http_route_roles(const vos_route *r, char *buf, size_t size);

/* ---- OpenAPI (openapi.c) ---- */

/* Whether openapi.c defines the component schema `name`. */
bool http_openapi_has_schema(const char *name);

/* ---- rate limits (ratelimit.c) ---- */

typedef struct http_limiter http_limiter;

/* A token bucket per key: `burst` tokens at most, refilled at `rate` per second. */
int http_limiter_new(http_limiter **out, double rate, double burst);
void http_limiter_free(http_limiter *l);
/* Takes one token of `key` at time `now` (seconds).  Returns 0 when allowed, else the whole
 * seconds until a token is available (at least 1). */
unsigned http_limiter_take(http_limiter *l, const char *key, double now);

/* ---- metrics (metrics.c) ---- */

typedef struct http_metrics http_metrics;

int http_metrics_new(http_metrics **out, const vos_route *routes, size_t n_routes);
void http_metrics_free(http_metrics *m);
/* Counts one answered request: its route index (n_routes: none matched), method, status and
 * time from its first byte to its last, and the time spent in the handler. */
void http_metrics_observe(http_metrics *m, size_t route_index, const char *method, int status,
                          uint64_t duration_ns, uint64_t handler_ns);
void http_metrics_rate_limited(http_metrics *m);
/* The Prometheus text exposition (format 0.0.4); start_time in seconds since the epoch.
 * OUT: *out (caller frees). */
int http_metrics_render(http_metrics *m, long in_flight, double start_time, char **out,
                        size_t *len);

/* ---- the server (server.c) ---- */

typedef struct http_pool {
    pthread_mutex_t lock;
    vos_app **free;
    size_t n_free, cap;
    const char *url;
} http_pool;

struct http_server {
    const vos_http_config *cfg;
    const vos_route *routes;
    size_t n_routes;
    http_pool pool;
    http_limiter *limiter, *login_limiter;
    http_metrics *metrics;
    atomic_bool stopping;
    atomic_long in_flight;
    atomic_size_t bodies; /* bytes of request bodies held now */
    double start_time;    /* seconds since the epoch */
    uint32_t id_prefix;   /* random: request ids differ between runs */
    atomic_ullong id_next;
    char *openapi; /* the OpenAPI document, generated once */
    size_t openapi_len;
};

/* Sets up a server without listening (the pipeline, pools, limiters, metrics): for
 * vos_http_serve and for tests that run requests through http_dispatch. */
int http_server_init(http_server *srv, const vos_http_config *cfg);
void http_server_fini(http_server *srv);

/* Runs the pipeline on a request whose line, headers and body are read: routing, security,
 * authentication, CSRF, rate limit, Idempotency-Key, JSON checks, the handler.  Leaves the
 * final reply in rq (http_reply_finalize done). */
void http_dispatch(http_server *srv, vos_req *rq);

/* Monotonic nanoseconds and wall-clock seconds. */
uint64_t http_now_ns(void);
double http_wall_s(void);

/* The client address of the request (for rate limits). */
const char *http_req_client(vos_req *rq);

/* Writes one JSON log line to stderr: {"time", "level", "msg", ...extra} where `extra` is
 * pre-written key/value JSON text without braces (may be NULL). */
void http_log(const char *level, const char *msg, const char *extra);

#endif
