/* Writing a reply: JSON bodies, pages, other media, headers, and RFC 9457 problems. */
#include "http/http_int.h"

#include "vos/error.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTTP_JSON_TYPE "application/json"
#define HTTP_PROBLEM_MEDIA "application/problem+json"

static const struct {
    int status;
    const char *text, *slug;
} statuses[] = {
    {200, "OK", NULL},
    {201, "Created", NULL},
    {204, "No Content", NULL},
    {304, "Not Modified", NULL},
    {400, "Bad Request", "bad-request"},
    {401, "Unauthorized", "unauthenticated"},
    {403, "Forbidden", "forbidden"},
    {404, "Not Found", "not-found"},
    {405, "Method Not Allowed", "method-not-allowed"},
    {409, "Conflict", "conflict"},
    {412, "Precondition Failed", "precondition-failed"},
    {413, "Content Too Large", "too-large"},
    {415, "Unsupported Media Type", "unsupported-media-type"},
    {422, "Unprocessable Content", "invalid"},
    {429, "Too Many Requests", "rate-limited"},
    {500, "Internal Server Error", "internal"},
    {503, "Service Unavailable", "unavailable"},
};

static size_t status_at(int status)
{
    for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
        if (statuses[i].status == status) return i;
    return SIZE_MAX;
}

const char *http_status_text(int status)
{
    size_t i = status_at(status);
    if (i != SIZE_MAX) return statuses[i].text;
    return status >= 500 ? "Server Error" : status >= 400 ? "Client Error" : "OK";
}

static const char *status_slug(int status)
{
    size_t i = status_at(status);
    if (i != SIZE_MAX && statuses[i].slug) return statuses[i].slug;
    return status >= 500 ? "internal" : "bad-request";
}

void http_reply_reset(vos_req *rq)
{
    vos_jw_free(&rq->jw);
    free(rq->out);
    rq->out = NULL;
    rq->out_len = 0;
    rq->kind = HTTP_REPLY_NONE;
    rq->status = 0;
    rq->page_open = false;
    rq->content_type = NULL;
    rq->headers_out = NULL;
    rq->headers_tail = &rq->headers_out;
}

/* Drops the body written so far but keeps the headers the handler added. */
static void reset_body(vos_req *rq)
{
    vos_jw_free(&rq->jw);
    free(rq->out);
    rq->out = NULL;
    rq->out_len = 0;
    rq->page_open = false;
    rq->content_type = NULL;
}

vos_jw *vos_reply_json(vos_req *rq, int status)
{
    reset_body(rq);
    vos_jw_init(&rq->jw, VOS_HTTP_REPLY_MAX);
    rq->status = status;
    rq->kind = HTTP_REPLY_JSON;
    rq->content_type = HTTP_JSON_TYPE;
    return &rq->jw;
}

vos_jw *vos_reply_page(vos_req *rq)
{
    vos_jw *w = vos_reply_json(rq, 200);
    vos_jw_object(w);
    vos_jw_key(w, "items");
    vos_jw_array(w);
    rq->page_open = true;
    return w;
}

void vos_reply_page_end(vos_req *rq, int64_t next_after)
{
    if (!rq->page_open) return;
    vos_jw *w = &rq->jw;
    vos_jw_end(w);
    vos_jw_key(w, "next");
    if (next_after > 0) {
        char cursor[24];
        snprintf(cursor, sizeof cursor, "%" PRId64, next_after);
        vos_jw_string(w, cursor);
    } else {
        vos_jw_null(w);
    }
    vos_jw_end(w);
    rq->page_open = false;
}

int http_reply_bytes(vos_req *rq, int status, const char *content_type, const char *body,
                     size_t len)
{
    reset_body(rq);
    rq->out = malloc(len + 1);
    if (!rq->out) return http_reply_internal(rq, "out of memory copying a reply");
    if (len) memcpy(rq->out, body, len);
    rq->out[len] = '\0';
    rq->out_len = len;
    rq->status = status;
    rq->kind = HTTP_REPLY_BYTES;
    rq->content_type = vos_req_strdup(rq, content_type);
    return 0;
}

int vos_reply_text(vos_req *rq, int status, const char *content_type, const char *body, size_t len)
{
    return http_reply_bytes(rq, status, content_type, body, len);
}

int vos_reply_empty(vos_req *rq, int status)
{
    reset_body(rq);
    rq->status = status;
    rq->kind = HTTP_REPLY_EMPTY;
    return 0;
}

void vos_reply_header(vos_req *rq, const char *name, const char *value)
{
    http_header *h = vos_req_alloc(rq, sizeof *h);
    if (!h) return;
    h->next = NULL;
    h->name = vos_req_strdup(rq, name);
    h->value = vos_req_strdup(rq, value);
    if (!h->name || !h->value) return;
    *rq->headers_tail = h;
    rq->headers_tail = &h->next;
}

void vos_reply_etag(vos_req *rq, int64_t revision)
{
    char etag[32];
    snprintf(etag, sizeof etag, "\"%" PRId64 "\"", revision);
    vos_reply_header(rq, "ETag", etag);
}

void vos_reply_location(vos_req *rq, const char *fmt, ...)
{
    char where[HTTP_DETAIL_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(where, sizeof where, fmt, ap);
    va_end(ap);
    vos_reply_header(rq, "Location", where);
}

/* ---- problems ---- */

static int problem_code(int status)
{
    switch (status) {
    case 400:
    case 422:
        return VOS_EINVALID;
    case 401:
        return VOS_EAUTH;
    case 403:
        return VOS_EFORBIDDEN;
    case 404:
        return VOS_ENOTFOUND;
    case 409:
        return VOS_ECONFLICT;
    case 412:
        return VOS_ESTALE;
    case 413:
        return VOS_ETOOLARGE;
    default:
        return VOS_ERROR;
    }
}

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t n = c >= 0xC2 && c <= 0xDF   ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
    if (n == 0) return 0;
    unsigned char lo = 0x80, hi = 0xBF; /* the second byte's range excludes overlongs, surrogates */
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return n;
}

void http_utf8_clean(char *text)
{
    unsigned char *s = (unsigned char *)text;
    while (*s) {
        size_t n = utf8_seq(s);
        if (n == 0) {
            *s++ = '?';
        } else {
            s += n;
        }
    }
}

/* Writes the problem body for `status` and `detail` with the collected field errors.  The
 * headers of a reply the handler began are dropped: a problem carries only its own. */
static void write_problem(vos_req *rq, int status, const char *text)
{
    char detail[HTTP_DETAIL_MAX];
    snprintf(detail, sizeof detail, "%s", text);
    http_utf8_clean(detail);
    http_reply_reset(rq);
    vos_jw *w = vos_reply_json(rq, status);
    rq->content_type = HTTP_PROBLEM_MEDIA;
    char type[128];
    snprintf(type, sizeof type, "%s%s", HTTP_PROBLEM_TYPE, status_slug(status));
    vos_jw_object(w);
    vos_jw_key(w, "type");
    vos_jw_string(w, type);
    vos_jw_key(w, "title");
    vos_jw_string(w, http_status_text(status));
    vos_jw_key(w, "status");
    vos_jw_integer(w, status);
    vos_jw_key(w, "detail");
    vos_jw_string(w, detail);
    if (rq->errors) {
        vos_jw_key(w, "errors");
        vos_jw_array(w);
        for (const http_field_error *e = rq->errors; e; e = e->next) {
            vos_jw_object(w);
            vos_jw_key(w, "field");
            vos_jw_string(w, e->field);
            vos_jw_key(w, "message");
            vos_jw_string(w, e->message);
            vos_jw_end(w);
        }
        vos_jw_end(w);
    }
    vos_jw_key(w, "request_id");
    vos_jw_string(w, rq->request_id);
    vos_jw_end(w);
}

int vos_reply_problem(vos_req *rq, int status, const char *fmt, ...)
{
    char detail[HTTP_DETAIL_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    write_problem(rq, status, detail);
    return problem_code(status);
}

int http_reply_internal(vos_req *rq, const char *message)
{
    rq->log_error = vos_req_strdup(rq, message && *message ? message : "internal error");
    write_problem(rq, 500,
                  "the server could not complete the request; the request id names it "
                  "in the server's log");
    return VOS_ERROR;
}

static int error_status(int rc)
{
    switch (rc) {
    case VOS_EINVALID:
    case VOS_ENUM:
        return 422;
    case VOS_ENOTFOUND:
        return 404;
    case VOS_ECONFLICT:
        return 409;
    case VOS_EFORBIDDEN:
        return 403;
    case VOS_ESTALE:
        return 412;
    case VOS_EAUTH:
        return 401;
    case VOS_ETOOLARGE:
        return 413;
    default:
        return 500;
    }
}

int vos_reply_error(vos_req *rq, int rc)
{
    if (rc >= 0) rc = VOS_ERROR;
    int status = error_status(rc);
    const char *msg = vos_error_last();
    if (status == 500) {
        char what[HTTP_DETAIL_MAX];
        snprintf(what, sizeof what, "%s: %s", vos_error_name(rc), *msg ? msg : "no message");
        http_reply_internal(rq, what);
        return rc;
    }
    char detail[HTTP_DETAIL_MAX];
    snprintf(detail, sizeof detail, "%s", *msg ? msg : vos_error_name(rc));
    write_problem(rq, status, detail);
    if (status == 401) vos_reply_header(rq, "WWW-Authenticate", "Bearer");
    return rc;
}

/* ---- the final body ---- */

void http_reply_finalize(vos_req *rq)
{
    if (rq->kind == HTTP_REPLY_NONE) {
        http_reply_internal(rq, "the handler returned without replying");
    } else if (rq->kind == HTTP_REPLY_JSON && rq->page_open) {
        http_reply_internal(rq, "the handler did not end its page (vos_reply_page_end)");
    } else if (rq->kind == HTTP_REPLY_JSON && rq->jw.depth != 0 && !rq->jw.err) {
        http_reply_internal(rq, "the handler left a JSON object or array open");
    }
    if (rq->kind == HTTP_REPLY_JSON) {
        char *text = NULL;
        size_t len = 0;
        int rc = vos_jw_finish(&rq->jw, &text, &len);
        if (rc < 0 || (len == 0 && rq->status != 204)) {
            free(text);
            char what[HTTP_DETAIL_MAX];
            snprintf(what, sizeof what, "writing the reply: %s",
                     rc < 0 ? vos_error_last() : "empty JSON");
            http_reply_internal(rq, what);
            rc = vos_jw_finish(&rq->jw, &text, &len);
            if (rc < 0) {
                rq->kind = HTTP_REPLY_EMPTY;
                rq->status = 500;
                return;
            }
        }
        free(rq->out);
        rq->out = text;
        rq->out_len = len;
        rq->kind = HTTP_REPLY_BYTES;
    }
    if (rq->kind == HTTP_REPLY_EMPTY) {
        free(rq->out);
        rq->out = NULL;
        rq->out_len = 0;
        rq->content_type = NULL;
    }
}
