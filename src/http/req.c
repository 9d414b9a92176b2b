/* Reading a request: the per-request arena, the request line, headers, query arguments,
 * cookies, path parameters, pagination and If-Match. */
#include "http/http_int.h"

#include "vos/error.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- arena ---- */

void *http_arena_alloc(http_arena *a, size_t n)
{
    const size_t align = _Alignof(max_align_t);
    n = (n + align - 1) / align * align;
    if (n == 0) n = align;
    http_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > HTTP_ARENA_BLOCK ? n : HTTP_ARENA_BLOCK;
        b = malloc(sizeof *b + cap);
        if (!b) return NULL;
        b->cap = cap;
        b->used = 0;
        if (a->head && n > HTTP_ARENA_BLOCK) {
            /* an oversized block goes behind the current one, which keeps its free space */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

void http_arena_free(http_arena *a)
{
    http_block *b = a->head;
    while (b) {
        http_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

void *vos_req_alloc(vos_req *rq, size_t n)
{
    return http_arena_alloc(&rq->arena, n);
}

char *vos_req_strdup(vos_req *rq, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s);
    char *p = http_arena_alloc(&rq->arena, n + 1);
    if (p) memcpy(p, s, n + 1);
    return p;
}

/* ---- the request ---- */

void http_req_init(vos_req *rq, http_server *srv)
{
    memset(rq, 0, sizeof *rq);
    rq->srv = srv;
    rq->errors_tail = &rq->errors;
    rq->headers_tail = &rq->headers_out;
    rq->method = "";
    rq->path = "";
    rq->start_ns = http_now_ns();
}

void http_req_release(vos_req *rq)
{
    free(rq->body);
    free(rq->out);
    vos_jw_free(&rq->jw);
    json_decref(rq->json);
    free(rq->headers.items);
    free(rq->query.items);
    http_arena_free(&rq->arena);
    rq->body = rq->out = NULL;
    rq->json = NULL;
    rq->headers.items = rq->query.items = NULL;
}

int http_req_set(vos_req *rq, const char *method, const char *path)
{
    rq->method = vos_req_strdup(rq, method);
    rq->path = vos_req_strdup(rq, path);
    if (!rq->method || !rq->path) return vos_error_set(VOS_ENOMEM, "out of memory");
    return 0;
}

int http_req_add(vos_req *rq, http_list *list, const char *name, const char *value)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 16;
        http_kv *items = realloc(list->items, cap * sizeof *items);
        if (!items) return vos_error_set(VOS_ENOMEM, "out of memory");
        list->items = items;
        list->cap = cap;
    }
    const char *n = vos_req_strdup(rq, name ? name : "");
    const char *v = vos_req_strdup(rq, value ? value : "");
    if (!n || !v) return vos_error_set(VOS_ENOMEM, "out of memory");
    list->items[list->n++] = (http_kv){n, v};
    return 0;
}

int http_req_body_append(vos_req *rq, const char *data, size_t n)
{
    if (rq->body_too_large || n > VOS_HTTP_BODY_MAX - rq->body_len) {
        rq->body_too_large = true;
        return VOS_ETOOLARGE;
    }
    if (rq->body_len + n + 1 > rq->body_cap) {
        size_t cap = rq->body_cap ? rq->body_cap : 1024;
        while (cap < rq->body_len + n + 1)
            cap *= 2;
        char *b = realloc(rq->body, cap);
        if (!b) return vos_error_set(VOS_ENOMEM, "out of memory");
        rq->body = b;
        rq->body_cap = cap;
    }
    memcpy(rq->body + rq->body_len, data, n);
    rq->body_len += n;
    rq->body[rq->body_len] = '\0';
    return 0;
}

const char *http_req_client(vos_req *rq)
{
    return rq->client_ip;
}

/* ---- accessors of http.h ---- */

vos_app *vos_req_app(vos_req *rq)
{
    return rq->app;
}

const vos_actor *vos_req_actor(vos_req *rq)
{
    return rq->authenticated ? &rq->principal.actor : NULL;
}

const vos_principal *vos_req_principal(vos_req *rq)
{
    return rq->authenticated ? &rq->principal : NULL;
}

const char *vos_req_method(vos_req *rq)
{
    return rq->method;
}

const char *vos_req_path(vos_req *rq)
{
    return rq->path;
}

const char *vos_req_param(vos_req *rq, const char *name)
{
    for (size_t i = 0; i < rq->n_params; i++)
        if (strcmp(rq->params[i].name, name) == 0) return rq->params[i].value;
    return NULL;
}

static const char *list_get(const http_list *l, const char *name, bool nocase)
{
    for (size_t i = 0; i < l->n; i++)
        if (nocase ? strcasecmp(l->items[i].name, name) == 0 : strcmp(l->items[i].name, name) == 0)
            return l->items[i].value;
    return NULL;
}

const char *vos_req_query(vos_req *rq, const char *name)
{
    return list_get(&rq->query, name, false);
}

const char *vos_req_header(vos_req *rq, const char *name)
{
    return list_get(&rq->headers, name, true);
}

const char *vos_req_body(vos_req *rq, size_t *len)
{
    if (len) *len = rq->body_len;
    return rq->body ? rq->body : "";
}

/* A whole number 1..INT64_MAX written in decimal digits only. */
static bool parse_id(const char *s, int64_t *out)
{
    if (!s || !isdigit((unsigned char)*s)) return false;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || errno || v < 1) return false;
    *out = v;
    return true;
}

int vos_req_param_id(vos_req *rq, const char *name, int64_t *out)
{
    *out = 0;
    if (parse_id(vos_req_param(rq, name), out)) return 0;
    /* "proof_point_id" -> "proof point" */
    char what[64];
    size_t n = strlen(name);
    if (n > 3 && strcmp(name + n - 3, "_id") == 0) n -= 3;
    if (n >= sizeof what) n = sizeof what - 1;
    for (size_t i = 0; i < n; i++)
        what[i] = name[i] == '_' ? ' ' : name[i];
    what[n] = '\0';
    vos_reply_problem(rq, 404, "no such %s", what);
    return VOS_ENOTFOUND;
}

int vos_req_query_id(vos_req *rq, const char *name, int64_t *out)
{
    *out = 0;
    const char *v = vos_req_query(rq, name);
    if (!v) return 0;
    if (parse_id(v, out)) return 0;
    vos_req_error(rq, name, "must be a whole number >= 1");
    return vos_req_errors_reply(rq, 400);
}

/* ---- cookies ---- */

const char *http_req_cookie(vos_req *rq, const char *name)
{
    size_t nlen = strlen(name);
    for (size_t i = 0; i < rq->headers.n; i++) {
        if (strcasecmp(rq->headers.items[i].name, "Cookie") != 0) continue;
        const char *p = rq->headers.items[i].value;
        while (*p) {
            while (*p == ' ' || *p == ';')
                p++;
            const char *eq = strchr(p, '=');
            const char *semi = strchr(p, ';');
            if (!semi) semi = p + strlen(p);
            if (eq && eq < semi && (size_t)(eq - p) == nlen && strncmp(p, name, nlen) == 0) {
                const char *v = eq + 1;
                size_t vlen = (size_t)(semi - v);
                if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
                    v++;
                    vlen -= 2;
                }
                char *copy = vos_req_alloc(rq, vlen + 1);
                if (!copy) return NULL;
                memcpy(copy, v, vlen);
                copy[vlen] = '\0';
                return copy;
            }
            p = semi;
        }
    }
    return NULL;
}

/* ---- If-Match and pagination ---- */

int vos_req_if_match(vos_req *rq, int64_t *revision)
{
    *revision = 0;
    const char *h = vos_req_header(rq, "If-Match");
    if (!h) return 0;
    while (*h == ' ')
        h++;
    if (strcmp(h, "*") == 0) return 0;
    char buf[32];
    size_t n = strlen(h);
    while (n > 0 && h[n - 1] == ' ')
        n--;
    if (n >= 2 && strncmp(h, "W/", 2) == 0) {
        h += 2;
        n -= 2;
    }
    if (n >= 2 && h[0] == '"' && h[n - 1] == '"') {
        h++;
        n -= 2;
    }
    if (n > 0 && n < sizeof buf) {
        memcpy(buf, h, n);
        buf[n] = '\0';
        if (parse_id(buf, revision)) return 0;
    }
    vos_req_error(rq, "If-Match", "must be the revision of an ETag, such as \"3\"");
    return vos_req_errors_reply(rq, 400);
}

int vos_req_page(vos_req *rq, vos_store_query *q, size_t *page)
{
    *page = VOS_HTTP_PAGE_DEFAULT;
    const char *limit = vos_req_query(rq, "limit");
    const char *after = vos_req_query(rq, "after");
    int64_t v = 0;
    if (limit && (!parse_id(limit, &v) || v > VOS_HTTP_PAGE_MAX))
        vos_req_error(rq, "limit", "must be a whole number from 1 to %d", VOS_HTTP_PAGE_MAX);
    else if (limit)
        *page = (size_t)v;
    int64_t cursor = 0;
    if (after && *after && !parse_id(after, &cursor))
        vos_req_error(rq, "after", "is not a cursor of this list (use the `next` of a page)");
    int rc = vos_req_errors_reply(rq, 400);
    if (rc < 0) return rc;
    q->after_id = cursor;
    q->limit = *page + 1;
    return 0;
}

/* ---- field problems ---- */

void vos_req_error(vos_req *rq, const char *field, const char *fmt, ...)
{
    rq->n_errors++;
    if (rq->n_errors > HTTP_ERRORS_MAX) return;
    char msg[HTTP_DETAIL_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    http_utf8_clean(msg);
    http_field_error *e = vos_req_alloc(rq, sizeof *e);
    if (!e) return;
    e->next = NULL;
    char *name = vos_req_strdup(rq, field ? field : "");
    e->message = vos_req_strdup(rq, msg);
    if (!name || !e->message) return;
    http_utf8_clean(name);
    e->field = name;
    *rq->errors_tail = e;
    rq->errors_tail = &e->next;
}

int vos_req_errors_reply(vos_req *rq, int status)
{
    if (rq->n_errors == 0) return 0;
    if (status == 0) status = 400;
    const http_field_error *e = rq->errors;
    if (rq->n_errors == 1 && e)
        return vos_reply_problem(rq, status, "%s%s%s", e->field, *e->field ? " " : "", e->message);
    return vos_reply_problem(rq, status, "the request has %zu problems", rq->n_errors);
}
