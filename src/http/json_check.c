/* JSON request bodies: a one-pass scan for size limits before parsing, the parse itself
 * (objects only, no duplicate keys), and the check of an object against a route's fields. */
#include "http/http_int.h"

#include "vos/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the scan ---- */

int http_json_scan(const char *text, size_t len, char *msg, size_t msg_size)
{
    /* per open container: whether it is an array, and the commas seen at its level */
    bool is_array[VOS_HTTP_JSON_DEPTH_MAX + 1];
    size_t commas[VOS_HTTP_JSON_DEPTH_MAX + 1];
    size_t depth = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '"') {
            /* decoded size: an escape is one byte, \uXXXX up to three */
            size_t bytes = 0;
            for (i++; i < len && text[i] != '"'; i++) {
                if (text[i] == '\\') {
                    bytes += i + 1 < len && text[i + 1] == 'u' ? 3 : 1;
                    i += i + 1 < len && text[i + 1] == 'u' ? 5 : 1;
                } else {
                    bytes++;
                }
                if (bytes > VOS_HTTP_JSON_STRING_MAX) {
                    snprintf(msg, msg_size, "a string of the body is longer than %d bytes",
                             VOS_HTTP_JSON_STRING_MAX);
                    return VOS_ETOOLARGE;
                }
            }
        } else if (c == '[' || c == '{') {
            if (depth == VOS_HTTP_JSON_DEPTH_MAX) {
                snprintf(msg, msg_size, "the body nests deeper than %d levels",
                         VOS_HTTP_JSON_DEPTH_MAX);
                return VOS_ETOOLARGE;
            }
            depth++;
            is_array[depth] = c == '[';
            commas[depth] = 0;
        } else if (c == ']' || c == '}') {
            if (depth > 0) depth--;
        } else if (c == ',' && depth > 0 && is_array[depth]) {
            if (++commas[depth] >= VOS_HTTP_JSON_ARRAY_MAX) {
                snprintf(msg, msg_size, "an array of the body has more than %d elements",
                         VOS_HTTP_JSON_ARRAY_MAX);
                return VOS_ETOOLARGE;
            }
        }
    }
    return 0;
}

int http_json_parse(json_t **out, const char *text, size_t len, char *msg, size_t msg_size)
{
    *out = NULL;
    if (http_json_scan(text, len, msg, msg_size) < 0) return VOS_EINVALID;
    json_error_t err;
    json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
    if (!v) {
        snprintf(msg, msg_size, "the body is not valid JSON: %s (line %d, column %d)", err.text,
                 err.line, err.column);
        return VOS_EINVALID;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        snprintf(msg, msg_size, "the body must be a JSON object");
        return VOS_EINVALID;
    }
    *out = v;
    return 0;
}

/* ---- field checks ---- */

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* "YYYY-MM-DD", a real calendar date (proleptic Gregorian). */
static bool is_date(const char *s)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2))
        return false;
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    if (m < 1 || m > 12 || d < 1) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* "YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z" */
static bool is_stamp(const char *s)
{
    if (!is_date(s) || s[10] != 'T' || !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2) ||
        s[16] != ':' || !digits(s + 17, 2))
        return false;
    if (num(s + 11, 2) > 23 || num(s + 14, 2) > 59 || num(s + 17, 2) > 60) return false;
    const char *p = s + 19;
    if (*p == '.') {
        size_t n = 0;
        for (p++; *p >= '0' && *p <= '9'; p++)
            n++;
        if (n < 1 || n > 9) return false;
    }
    return p[0] == 'Z' && p[1] == '\0';
}

/* Whether `value` is one of "a|b|c". */
static bool in_enum(const char *values, const char *value)
{
    size_t n = strlen(value);
    for (const char *p = values; *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, value, n) == 0) return true;
        if (!bar) break;
        p = bar + 1;
    }
    return false;
}

static void check_value(vos_req *rq, const char *name, const vos_field *f, json_t *v)
{
    switch (f->type) {
    case VOS_F_STRING: {
        size_t max = f->max ? f->max : VOS_NAME_MAX;
        if (!json_is_string(v)) {
            vos_req_error(rq, name, "must be a string");
        } else if (utf8_chars(json_string_value(v)) > max ||
                   strlen(json_string_value(v)) != json_string_length(v)) {
            vos_req_error(rq, name, "must be at most %zu characters without NUL bytes", max);
        } else if (f->enum_values && !in_enum(f->enum_values, json_string_value(v))) {
            char list[512];
            size_t o = 0;
            for (const char *p = f->enum_values; *p && o + 3 < sizeof list; p++) {
                if (*p == '|') list[o++] = ',';
                list[o++] = *p == '|' ? ' ' : *p;
            }
            list[o] = '\0';
            vos_req_error(rq, name, "must be one of %s", list);
        }
        break;
    }
    case VOS_F_INTEGER:
        if (!json_is_integer(v)) vos_req_error(rq, name, "must be a whole number");
        break;
    case VOS_F_NUMBER:
        if (!json_is_number(v) || !isfinite(json_number_value(v)))
            vos_req_error(rq, name, "must be a number");
        break;
    case VOS_F_BOOL:
        if (!json_is_boolean(v)) vos_req_error(rq, name, "must be true or false");
        break;
    case VOS_F_DATE:
        if (!json_is_string(v) || !is_date(json_string_value(v)) ||
            strlen(json_string_value(v)) != 10)
            vos_req_error(rq, name, "must be a date YYYY-MM-DD");
        break;
    case VOS_F_STAMP:
        if (!json_is_string(v) || !is_stamp(json_string_value(v)))
            vos_req_error(rq, name, "must be a time YYYY-MM-DDTHH:MM:SSZ (UTC)");
        break;
    case VOS_F_OBJECT:
        if (!json_is_object(v)) vos_req_error(rq, name, "must be an object");
        break;
    case VOS_F_ARRAY: {
        size_t max = f->max ? f->max : VOS_HTTP_JSON_ARRAY_MAX;
        if (!json_is_array(v))
            vos_req_error(rq, name, "must be an array");
        else if (json_array_size(v) > max)
            vos_req_error(rq, name, "must have at most %zu elements", max);
        break;
    }
    }
}

size_t vos_req_check(vos_req *rq, json_t *obj, const char *where, const vos_field *fields, size_t n)
{
    size_t before = rq->n_errors;
    char name[512];
    if (!json_is_object(obj)) {
        vos_req_error(rq, where ? where : "", "must be an object");
        return rq->n_errors - before;
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        size_t i = 0;
        while (i < n && strcmp(fields[i].name, key) != 0)
            i++;
        if (i == n) {
            snprintf(name, sizeof name, "%s%s%s", where ? where : "", where ? "." : "", key);
            vos_req_error(rq, name, "is not a field of this request");
        }
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%s%s%s", where ? where : "", where ? "." : "", fields[i].name);
        json_t *fv = json_object_get(obj, fields[i].name);
        if (!fv || json_is_null(fv)) {
            if (fields[i].required) vos_req_error(rq, name, "is required");
            continue;
        }
        check_value(rq, name, &fields[i], fv);
    }
    return rq->n_errors - before;
}

int vos_req_json(vos_req *rq, json_t **out)
{
    *out = NULL;
    if (!rq->json) {
        if (rq->body_len == 0)
            return vos_reply_problem(rq, 400, "the request needs a JSON object body");
        char msg[HTTP_DETAIL_MAX];
        if (http_json_parse(&rq->json, rq->body, rq->body_len, msg, sizeof msg) < 0)
            return vos_reply_problem(rq, 400, "%s", msg);
    }
    if (!rq->json_checked) {
        const vos_route *r = rq->route;
        vos_req_check(rq, rq->json, NULL, r ? r->body : NULL, r ? r->n_body : 0);
        int rc = vos_req_errors_reply(rq, 400);
        if (rc < 0) return rc;
        rq->json_checked = true;
    }
    *out = rq->json;
    return 0;
}
