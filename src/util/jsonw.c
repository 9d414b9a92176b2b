#include "vos/jsonw.h"

#include "vos/error.h"
#include "vos/number.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vos_jw_init(vos_jw *w, size_t max)
{
    memset(w, 0, sizeof *w);
    w->max = max;
}

static void put(vos_jw *w, const char *s, size_t n)
{
    if (w->err)
        return;
    if (w->len + n + 1 > w->max) {
        w->err = VOS_ETOOLARGE;
        return;
    }
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap < w->len + n + 1)
            cap *= 2;
        if (cap > w->max)
            cap = w->max;
        char *b = realloc(w->buf, cap);
        if (!b) {
            w->err = VOS_ENOMEM;
            return;
        }
        w->buf = b;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

static void puts_(vos_jw *w, const char *s)
{
    put(w, s, strlen(s));
}

/* Separator before a value (or key) at the current depth. */
static void before_value(vos_jw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->count[w->depth]++ > 0)
        put(w, ",", 1);
}

static void open_(vos_jw *w, const char *c)
{
    before_value(w);
    if (w->depth >= VOS_JSONW_DEPTH) {
        if (!w->err)
            w->err = VOS_ETOOLARGE;
        return;
    }
    put(w, c, 1);
    w->count[++w->depth] = 0;
    w->close[w->depth] = *c == '{' ? '}' : ']';
}

void vos_jw_object(vos_jw *w)
{
    open_(w, "{");
}

void vos_jw_array(vos_jw *w)
{
    open_(w, "[");
}

void vos_jw_end(vos_jw *w)
{
    if (w->depth == 0 || w->err)
        return;
    put(w, &w->close[w->depth], 1);
    w->depth--;
}

static void string_(vos_jw *w, const char *s)
{
    put(w, "\"", 1);
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        const char *esc = NULL;
        char u[8];
        switch (*p) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (*p < 0x20) {
                snprintf(u, sizeof u, "\\u%04x", *p);
                esc = u;
            }
        }
        if (esc) {
            put(w, run, (size_t)((const char *)p - run));
            puts_(w, esc);
            run = (const char *)p + 1;
        }
    }
    puts_(w, run);
    put(w, "\"", 1);
}

void vos_jw_key(vos_jw *w, const char *key)
{
    before_value(w);
    string_(w, key);
    put(w, ":", 1);
    w->after_key = 1;
}

void vos_jw_string(vos_jw *w, const char *s)
{
    before_value(w);
    if (s)
        string_(w, s);
    else
        puts_(w, "null");
}

void vos_jw_number(vos_jw *w, double x)
{
    before_value(w);
    if (!isfinite(x)) {
        puts_(w, "null");
        return;
    }
    char b[40];
    vos_num_shortest(b, sizeof b, x == 0 ? 0.0 : x); /* no "-0" */
    puts_(w, b);
}

void vos_jw_integer(vos_jw *w, long long x)
{
    char b[32];
    before_value(w);
    snprintf(b, sizeof b, "%lld", x);
    puts_(w, b);
}

void vos_jw_bool(vos_jw *w, int b)
{
    before_value(w);
    puts_(w, b ? "true" : "false");
}

void vos_jw_null(vos_jw *w)
{
    before_value(w);
    puts_(w, "null");
}

void vos_jw_numbers(vos_jw *w, const double *nums, size_t n)
{
    vos_jw_array(w);
    for (size_t i = 0; i < n; i++)
        vos_jw_number(w, nums[i]);
    vos_jw_end(w);
}

int vos_jw_finish(vos_jw *w, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (!w->err && !w->buf)
        put(w, "", 0);
    if (w->err) {
        int err = w->err;
        vos_jw_free(w);
        return vos_error_set(err, err == VOS_ETOOLARGE ? "JSON output exceeds its size limit"
                                                       : "out of memory writing JSON");
    }
    *out = w->buf;
    *len = w->len;
    w->buf = NULL;
    vos_jw_free(w);
    return 0;
}

void vos_jw_free(vos_jw *w)
{
    free(w->buf);
    size_t max = w->max;
    memset(w, 0, sizeof *w);
    w->max = max;
}
