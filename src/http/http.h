/* The HTTP adapter: `vos serve`.
 *
 * server.c runs libmicrohttpd (internal thread pool, epoll), reads each request with its body
 * (capped), authenticates it (session cookie with CSRF token for unsafe methods, or
 * Authorization: Bearer API token), applies the rate limit and Idempotency-Key, finds its
 * route and calls the route's handler with a vos_req.  Handlers (h_*.c) are thin: they read
 * the request through vos_req_*, call one vos_app_* function and write the reply through
 * vos_reply_*.  Only this adapter maps VOS error codes to HTTP statuses (vos_reply_error).
 *
 * Conventions of the API (docs/api.md):
 *   - JSON bodies written with vos_jw (numbers in shortest round-trip form).
 *   - Errors are RFC 9457 application/problem+json:
 *       {"type": "https://vos.invalid/problems/<slug>", "title": "...", "status": 422,
 *        "detail": "one sentence", "errors": [{"field": "kpis[0].target.value",
 *        "message": "..."}]}
 *   - Lists: ?limit=N (1..VOS_HTTP_PAGE_MAX, default VOS_HTTP_PAGE_DEFAULT) and ?after=CURSOR;
 *     reply {"items": [...], "next": "CURSOR" | null}.
 *   - Entities with a revision carry ETag: "<revision>"; updates honour If-Match (412 when
 *     stale).
 *   - POST honours Idempotency-Key (the first reply is replayed for 24 hours). */
#ifndef VOS_HTTP_H
#define VOS_HTTP_H

#include "vos/app.h"
#include "vos/jsonw.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- limits ---- */
#define VOS_HTTP_BODY_MAX (8 << 20)     /* bytes of a request body (413 beyond) */
#define VOS_HTTP_JSON_DEPTH_MAX 32      /* nesting of a JSON body (400 beyond) */
#define VOS_HTTP_JSON_STRING_MAX 65536  /* bytes of one JSON string in a body (400 beyond) */
#define VOS_HTTP_JSON_ARRAY_MAX 100000  /* elements of one JSON array in a body (400 beyond) */
#define VOS_HTTP_REPLY_MAX (64 << 20)   /* bytes of one reply */
#define VOS_HTTP_PAGE_DEFAULT 50
#define VOS_HTTP_PAGE_MAX 500
#define VOS_HTTP_PARAMS_MAX 4           /* {parameters} in one route pattern */
#define VOS_HTTP_TIMEOUT_S 30           /* idle connection timeout */
#define VOS_HTTP_RATE_PER_S 50          /* sustained requests per second per credential/IP */
#define VOS_HTTP_RATE_BURST 200         /* burst above the sustained rate */
#define VOS_HTTP_LOGIN_RATE_PER_MIN 10  /* sign-in attempts per minute per IP */

typedef struct vos_req vos_req;

/* ---- the route table ---- */

typedef int (*vos_handler)(vos_req *rq);

/* The type of a field of a JSON body (also what the OpenAPI document says of it). */
typedef enum vos_ftype {
    VOS_F_STRING = 0, /* string of at most `max` characters (0: VOS_NAME_MAX) */
    VOS_F_INTEGER,    /* integer (JSON number without fraction) */
    VOS_F_NUMBER,     /* finite number */
    VOS_F_BOOL,
    VOS_F_DATE,       /* "YYYY-MM-DD" */
    VOS_F_STAMP,      /* RFC 3339 time "YYYY-MM-DDTHH:MM:SS[.fff]Z" */
    VOS_F_OBJECT,     /* any object (checked by the handler) */
    VOS_F_ARRAY       /* array of at most `max` elements (0: VOS_HTTP_JSON_ARRAY_MAX) */
} vos_ftype;

typedef struct vos_field {
    const char *name;
    vos_ftype type;
    bool required;
    size_t max;
    const char *enum_values; /* for strings: "a|b|c", the only values allowed; NULL: any */
    const char *doc;         /* one line for the OpenAPI document */
} vos_field;

enum {
    VOS_ROUTE_PUBLIC = 1u << 0, /* no credentials needed (sign-in, health, metrics, OpenAPI) */
    VOS_ROUTE_LIST = 1u << 1,   /* a paginated list: ?limit, ?after, reply {items, next} */
    VOS_ROUTE_RAW = 1u << 2,    /* the reply is not JSON (metrics text) */
    VOS_ROUTE_UNLIMITED = 1u << 3, /* not rate-limited (health and metrics probes) */
    VOS_ROUTE_HTML = 1u << 4       /* with VOS_ROUTE_RAW: the reply is text/html */
};

typedef struct vos_route {
    const char *method;         /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *pattern;        /* "/api/v1/cases/{case_id}": {name} matches one segment */
    vos_handler handler;
    unsigned flags;             /* VOS_ROUTE_* */
    const char *operation_id;   /* OpenAPI operationId, unique: "listCases" */
    const char *tag;            /* OpenAPI tag: "cases" */
    const char *summary;        /* one line */
    const vos_field *body;      /* fields of a JSON object body; NULL: none */
    size_t n_body;
    const char *body_media;     /* a non-JSON body's media types ("application/yaml"), or NULL */
    const char *const *query;   /* NULL-terminated query parameter names (besides limit/after) */
    int status;                 /* the success status: 200, 201 or 204 */
    const char *response;       /* OpenAPI component schema of the success body (of each item
                                   for lists), or NULL */
} vos_route;

/* Each h_*.c file exports its routes; routes.c gathers them into one table. */
typedef struct vos_route_set {
    const vos_route *routes;
    size_t n;
} vos_route_set;

/* The sets of the table (routes.c concatenates them in this order). */
extern const vos_route_set vos_routes_system;       /* h_system.c: health, metrics, OpenAPI */
extern const vos_route_set vos_routes_session;      /* h_session.c: sign-in, sign-out */
extern const vos_route_set vos_routes_users;
extern const vos_route_set vos_routes_models;
extern const vos_route_set vos_routes_benchmarks;
extern const vos_route_set vos_routes_accounts;
extern const vos_route_set vos_routes_cases;
extern const vos_route_set vos_routes_measurements;
extern const vos_route_set vos_routes_alerts;
extern const vos_route_set vos_routes_proof_points;
extern const vos_route_set vos_routes_audit;
extern const vos_route_set vos_routes_assessments; /* h_assessments.c: maturity */
extern const vos_route_set vos_routes_realization; /* h_realization.c: realization, portfolio,
                                                      alert evaluation, webhooks */

/* The whole table, in the order the OpenAPI document lists it. */
const vos_route *vos_http_routes(size_t *n);
/* The table as Markdown (method, path, summary, roles) for docs/api.md.  OUT: *out (caller
 * frees). */
int vos_http_routes_markdown(char **out, size_t *len);

/* ---- reading the request ---- */

vos_app *vos_req_app(vos_req *rq);
/* The authenticated actor; for a public route without credentials, NULL. */
const vos_actor *vos_req_actor(vos_req *rq);
/* The principal (user id, token id), or NULL as above. */
const vos_principal *vos_req_principal(vos_req *rq);
const char *vos_req_method(vos_req *rq);
const char *vos_req_path(vos_req *rq);

/* A path parameter by its name in the pattern (decoded), or NULL. */
const char *vos_req_param(vos_req *rq, const char *name);
/* A path parameter that must be a positive integer id; otherwise replies 404 ("no such
 * <what>") and returns a negative code. */
int vos_req_param_id(vos_req *rq, const char *name, int64_t *out);
/* A query-string argument (decoded), or NULL when absent. */
const char *vos_req_query(vos_req *rq, const char *name);
/* A query argument that must be a positive integer when present: returns 0 with *out (0 when
 * absent), or replies 400 naming the argument and returns a negative code. */
int vos_req_query_id(vos_req *rq, const char *name, int64_t *out);
/* A header value, or NULL. */
const char *vos_req_header(vos_req *rq, const char *name);
/* The raw body (NUL-terminated) and its length; "" when none. */
const char *vos_req_body(vos_req *rq, size_t *len);

/* Parses the body as a JSON object and checks it against the route's `body` fields: no
 * unknown fields, required ones present, each of its type and size.  Every problem is
 * collected and replied at once as 400 with the errors list.  OUT: *out (borrowed; freed
 * with the request).  Returns 0, or a negative code after replying. */
int vos_req_json(vos_req *rq, json_t **out);
/* The same check for a nested object against its own fields; `where` prefixes the field
 * names in errors ("kpis[2]").  Problems are added to the request's error list and
 * reported by vos_req_errors_reply; returns the number of problems found. */
size_t vos_req_check(vos_req *rq, json_t *obj, const char *where, const vos_field *fields,
                     size_t n);
/* Adds a problem about one field to the request's error list. */
void vos_req_error(vos_req *rq, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* When problems were added: replies 400 (or `status`) with them and returns a negative code;
 * otherwise returns 0. */
int vos_req_errors_reply(vos_req *rq, int status);

/* If-Match: 0 when absent; the revision it names; or replies 400 for a malformed one
 * (returns a negative code).  Accepts "3", "\"3\"" and W/"3". */
int vos_req_if_match(vos_req *rq, int64_t *revision);

/* Reads ?limit and ?after into q (q->after_id, q->limit = page + 1 so that the handler sees
 * whether more rows follow).  OUT: *page, the page size.  Replies 400 for a bad limit or
 * cursor. */
int vos_req_page(vos_req *rq, vos_store_query *q, size_t *page);

/* Memory that lives until the reply has been sent. */
void *vos_req_alloc(vos_req *rq, size_t n);
char *vos_req_strdup(vos_req *rq, const char *s);

/* ---- writing the reply ---- */

/* A JSON writer for the reply body with status `status`; the server sends what was written
 * when the handler returns (a writer error becomes a 500). */
vos_jw *vos_reply_json(vos_req *rq, int status);
/* Starts a paginated list reply: writes {"items": [ and returns the writer; the handler
 * writes at most `page` items, then calls vos_reply_page_end with the cursor value of the
 * last item written when more follow (0: none). */
vos_jw *vos_reply_page(vos_req *rq);
void vos_reply_page_end(vos_req *rq, int64_t next_after);
/* A reply of another media type (copied). */
int vos_reply_text(vos_req *rq, int status, const char *content_type, const char *body,
                   size_t len);
/* A reply without a body (204). */
int vos_reply_empty(vos_req *rq, int status);
/* ETag: "<revision>". */
void vos_reply_etag(vos_req *rq, int64_t revision);
/* Location: the path built from fmt. */
void vos_reply_location(vos_req *rq, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Any other header (Set-Cookie, Retry-After, ...); may be called more than once. */
void vos_reply_header(vos_req *rq, const char *name, const char *value);

/* Replies application/problem+json for a VOS error code and vos_error_last():
 *   VOS_EINVALID, VOS_ENUM -> 422; VOS_ENOTFOUND -> 404; VOS_ECONFLICT -> 409;
 *   VOS_EFORBIDDEN -> 403; VOS_ESTALE -> 412; VOS_EAUTH -> 401; VOS_ETOOLARGE -> 413;
 *   anything else -> 500 with a generic detail (the message goes to the log only).
 * Returns rc (negative), so `return vos_reply_error(rq, rc);` reads naturally. */
int vos_reply_error(vos_req *rq, int rc);
/* A problem reply with a status and detail of the caller's; the errors added with
 * vos_req_error are included. */
int vos_reply_problem(vos_req *rq, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- the server ---- */

typedef struct vos_http_config {
    const char *listen;   /* "127.0.0.1:8080" (host:port; port 0 picks a free one) */
    const char *db_url;   /* the store URL */
    unsigned threads;     /* worker threads (0: the number of CPUs) */
    bool secure_cookies;  /* add Secure to the session cookie (behind TLS) */
    const char *web_root; /* directory of the built web UI, or NULL */
    const char *port_file; /* when set, the bound port is written there once listening */
    double rate_per_s;     /* requests per second per credential or address (0: default
                              VOS_HTTP_RATE_PER_S) */
    double rate_burst;     /* bucket size (0: VOS_HTTP_RATE_BURST) */
    double login_per_min;  /* sign-in attempts per minute per address (0:
                              VOS_HTTP_LOGIN_RATE_PER_MIN) */
    bool quiet;            /* no per-request log lines (errors are still logged) */
    double evaluate_every_s; /* alerts of every committed case evaluated this often, and at
                                start (0: every 15 minutes; negative: never) */
    double deliver_every_s;  /* the webhook outbox sent this often (0: every 5 seconds;
                                negative: never) */
} vos_http_config;

/* Runs the server until SIGTERM or SIGINT: then stops accepting, finishes the requests in
 * flight, closes the database and returns 0.  Writes one log line per request to stderr. */
int vos_http_serve(const vos_http_config *cfg);

/* The OpenAPI 3.1 document of the route table (openapi.c).  OUT: *out (caller frees). */
int vos_http_openapi(char **out, size_t *len);

#endif
