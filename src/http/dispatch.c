/* The request pipeline, in order: route, body size, database handle, authentication, CSRF,
 * rate limit, Idempotency-Key, JSON body checks, the handler, the final reply. */
#include "http/http_int.h"
#include "http/static.h"

#include "vos/error.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the database handles of the workers ---- */

static int pool_get(http_pool *p, vos_app **out)
{
    *out = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->n_free > 0) *out = p->free[--p->n_free];
    pthread_mutex_unlock(&p->lock);
    if (*out) return 0;
    return vos_app_open(out, p->url);
}

static void pool_put(http_pool *p, vos_app *app)
{
    if (!app) return;
    pthread_mutex_lock(&p->lock);
    if (p->n_free < p->cap) {
        p->free[p->n_free++] = app;
        app = NULL;
    }
    pthread_mutex_unlock(&p->lock);
    vos_app_close(app);
}

/* ---- steps ---- */

static bool unsafe_method(const char *m)
{
    return strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0 ||
           strcmp(m, "DELETE") == 0;
}

static int route(http_server *srv, vos_req *rq)
{
    char allow[64];
    size_t scratch_size = strlen(rq->path) + 2 * VOS_HTTP_PARAMS_MAX + 256;
    char *scratch = vos_req_alloc(rq, scratch_size);
    if (!scratch) return http_reply_internal(rq, "out of memory");
    rq->route_index = srv->n_routes;
    int rc = http_route_find(srv->routes, srv->n_routes, rq->method, rq->path, &rq->route_index,
                             rq->params, &rq->n_params, scratch, scratch_size, allow, sizeof allow);
    if (rc == VOS_ENOTFOUND) return vos_reply_problem(rq, 404, "no resource at %s", rq->path);
    if (rc < 0) {
        vos_reply_problem(rq, 405, "%s is not allowed on %s (allowed: %s)", rq->method, rq->path,
                          allow);
        vos_reply_header(rq, "Allow", allow);
        return VOS_EINVALID;
    }
    rq->route = &srv->routes[rq->route_index];
    return 0;
}

static int unauthenticated(vos_req *rq, const char *detail, bool bad_credentials)
{
    vos_reply_problem(rq, 401, "%s", detail);
    vos_reply_header(rq, "WWW-Authenticate",
                     bad_credentials ? "Bearer error=\"invalid_token\"" : "Bearer");
    return VOS_EAUTH;
}

/* Who is asking: a bearer token, else the session cookie.  Invalid credentials on a public
 * route count as none (an expired cookie must not stop anyone signing in again). */
static int authenticate(vos_req *rq)
{
    bool public_route = rq->route->flags & VOS_ROUTE_PUBLIC;
    const char *authz = vos_req_header(rq, "Authorization");
    const char *cookie = http_req_cookie(rq, HTTP_SESSION_COOKIE);
    int rc = VOS_EAUTH;
    if (authz) {
        if (strncasecmp(authz, "Bearer ", 7) == 0) {
            const char *secret = authz + 7;
            while (*secret == ' ')
                secret++;
            rc = vos_app_token_resolve(rq->app, secret, &rq->principal);
        }
    } else if (cookie && *cookie) {
        rq->session_secret = cookie;
        rc = vos_app_session_resolve(rq->app, cookie, &rq->principal, rq->csrf);
        rq->by_cookie = rc == 0;
    }
    if (rc == 0) {
        rq->authenticated = true;
        return 0;
    }
    if (rc != VOS_EAUTH) return vos_reply_error(rq, rc);
    memset(&rq->principal, 0, sizeof rq->principal);
    if (public_route) return 0;
    if (authz)
        return unauthenticated(rq, "the Authorization header does not hold a valid API token",
                               true);
    if (cookie) return unauthenticated(rq, "the session has ended or expired; sign in again", true);
    return unauthenticated(rq,
                           "sign in first (POST /api/v1/session) or send an API token in "
                           "Authorization: Bearer",
                           false);
}

static int check_csrf(vos_req *rq)
{
    if (!rq->by_cookie || !unsafe_method(rq->method) || (rq->route->flags & VOS_ROUTE_PUBLIC))
        return 0;
    const char *sent = vos_req_header(rq, HTTP_CSRF_HEADER);
    size_t n = strlen(rq->csrf);
    if (sent && n > 0 && strlen(sent) == n && sodium_memcmp(sent, rq->csrf, n) == 0) return 0;
    return vos_reply_problem(rq, 403,
                             "a write with the session cookie needs the header %s with the "
                             "session's csrf_token",
                             HTTP_CSRF_HEADER);
}

static int rate_limit(http_server *srv, vos_req *rq)
{
    if (rq->route->flags & VOS_ROUTE_UNLIMITED) return 0;
    char key[HTTP_IP_MAX + 32];
    if (rq->authenticated)
        snprintf(key, sizeof key, "user:%lld", (long long)rq->principal.actor.user_id);
    else
        snprintf(key, sizeof key, "ip:%s", rq->client_ip);
    unsigned wait = http_limiter_take(srv->limiter, key, http_wall_s());
    if (wait == 0) return 0;
    http_metrics_rate_limited(srv->metrics);
    vos_reply_problem(rq, 429, "too many requests; retry in %u s", wait);
    char after[16];
    snprintf(after, sizeof after, "%u", wait);
    vos_reply_header(rq, "Retry-After", after);
    return VOS_ETOOLARGE;
}

static bool key_ok(const char *key)
{
    size_t n = strlen(key);
    if (n == 0 || n > VOS_IDEMPOTENCY_KEY_MAX) return false;
    for (const char *p = key; *p; p++)
        if (*p < 0x20 || *p > 0x7e) return false;
    return true;
}

/* Idempotency-Key on POST: replays a kept reply (returns 1), reserves the key (*reserved), or
 * replies a problem (negative). */
static int idempotency_begin(vos_req *rq, const char *key, bool *reserved)
{
    *reserved = false;
    if (!key_ok(key)) {
        vos_req_error(rq, "Idempotency-Key", "must be 1 to %d printable ASCII characters",
                      VOS_IDEMPOTENCY_KEY_MAX);
        return vos_req_errors_reply(rq, 400);
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    char hex[VOS_SHA256_HEX_SIZE];
    crypto_hash_sha256(digest, (const unsigned char *)(rq->body ? rq->body : ""), rq->body_len);
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    vos_idempotent_reply kept = {0};
    int rc = vos_app_idempotency_begin(rq->app, &rq->principal.actor, key, rq->method, rq->path,
                                       hex, &kept);
    if (rc == VOS_EINVALID)
        return vos_reply_problem(rq, 422,
                                 "Idempotency-Key '%s' was used before with another request", key);
    if (rc == VOS_ECONFLICT)
        return vos_reply_problem(rq, 409,
                                 "a request with Idempotency-Key '%s' is still in progress", key);
    if (rc < 0) return vos_reply_error(rq, rc);
    if (kept.status == 0) {
        *reserved = true;
        return 0;
    }
    const char *body = kept.body ? kept.body : "";
    if (kept.status == 204 || (!*body && (!kept.content_type || !*kept.content_type)))
        vos_reply_empty(rq, kept.status);
    else
        http_reply_bytes(rq, kept.status, kept.content_type, body, strlen(body));
    vos_reply_header(rq, "Idempotency-Replayed", "true");
    rq->replayed = true;
    free(kept.content_type);
    free(kept.body);
    return 1;
}

/* Whether the handler marked its reply as not to be stored (it shows a secret). */
static bool reply_no_store(const vos_req *rq)
{
    for (const http_header *h = rq->headers_out; h; h = h->next)
        if (strcasecmp(h->name, "Cache-Control") == 0 && strstr(h->value, "no-store")) return true;
    return false;
}

/* Keeps the reply for the key, or releases the key after a server error or for a reply that
 * shows a secret (a token's secret is never stored). */
static void idempotency_end(vos_req *rq, const char *key)
{
    const vos_actor *who = &rq->principal.actor;
    int rc;
    if (rq->status > 0 && rq->status < 500 && !reply_no_store(rq))
        rc = vos_app_idempotency_finish(rq->app, who, key, rq->status,
                                        rq->content_type ? rq->content_type : "",
                                        rq->out ? rq->out : "");
    else
        rc = vos_app_idempotency_release(rq->app, who, key);
    if (rc < 0) {
        char extra[HTTP_DETAIL_MAX + 64];
        vos_jw w;
        vos_jw_init(&w, sizeof extra);
        vos_jw_object(&w);
        vos_jw_key(&w, "request_id");
        vos_jw_string(&w, rq->request_id);
        vos_jw_key(&w, "error");
        vos_jw_string(&w, vos_error_last());
        vos_jw_end(&w);
        char *text = NULL;
        size_t len;
        if (vos_jw_finish(&w, &text, &len) == 0 && len > 2) {
            text[len - 1] = '\0';
            http_log("error", "keeping the reply of an Idempotency-Key failed", text + 1);
        }
        free(text);
    }
}

/* Parses a JSON body before the handler so that malformed JSON is a 400 whatever the handler
 * does.  Routes that take another media type read the raw body. */
static int parse_body(vos_req *rq)
{
    if (rq->body_len == 0 || rq->route->body_media) return 0;
    if (strcmp(rq->method, "POST") != 0 && strcmp(rq->method, "PUT") != 0 &&
        strcmp(rq->method, "PATCH") != 0)
        return 0;
    char msg[HTTP_DETAIL_MAX];
    if (http_json_parse(&rq->json, rq->body, rq->body_len, msg, sizeof msg) < 0)
        return vos_reply_problem(rq, 400, "%s", msg);
    return 0;
}

static void run_handler(vos_req *rq)
{
    uint64_t t0 = http_now_ns();
    int rc = rq->route->handler(rq);
    rq->handler_ns = http_now_ns() - t0;
    if (rc < 0 && rq->kind == HTTP_REPLY_NONE) vos_reply_error(rq, rc);
}

void http_dispatch(http_server *srv, vos_req *rq)
{
    const char *key = NULL;
    bool reserved = false;
    if (http_static_wants(srv, rq)) { /* the web UI's files */
        http_static_serve(srv, rq);
        goto out;
    }
    if (route(srv, rq) < 0) goto out;
    if (rq->body_too_large) {
        vos_reply_problem(rq, 413, "the body is larger than %d bytes", VOS_HTTP_BODY_MAX);
        goto out;
    }
    if (rq->busy) {
        vos_reply_problem(rq, 503, "the server is receiving too many large bodies; retry");
        vos_reply_header(rq, "Retry-After", "1");
        goto out;
    }
    int rc = pool_get(&srv->pool, &rq->app);
    if (rc < 0) {
        vos_reply_error(rq, rc);
        goto out;
    }
    if (authenticate(rq) < 0 || check_csrf(rq) < 0 || rate_limit(srv, rq) < 0) goto out;
    if (strcmp(rq->method, "POST") == 0 && rq->authenticated)
        key = vos_req_header(rq, "Idempotency-Key");
    if (key && (rc = idempotency_begin(rq, key, &reserved)) != 0) goto out;
    if (parse_body(rq) < 0) goto out;
    run_handler(rq);
out:
    http_reply_finalize(rq);
    if (reserved) idempotency_end(rq, key);
    pool_put(&srv->pool, rq->app);
    rq->app = NULL;
}
