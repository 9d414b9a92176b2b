/* Helpers shared by the resource handlers. */
#include "http/h_common.h"

#include "vos/error.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATE_LEN 10    /* "YYYY-MM-DD" */
#define SECONDS_LEN 19 /* "YYYY-MM-DDTHH:MM:SS" */
#define MILLI_DIGITS 3

/* ---- body fields ---- */

bool h_has(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return v && !json_is_null(v);
}

const char *h_str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

int64_t h_int(json_t *obj, const char *key, int64_t dflt)
{
    json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

double h_num(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

char *h_dup(vos_req *rq, json_t *obj, const char *key)
{
    const char *s = h_str(obj, key);
    return s ? vos_req_strdup(rq, s) : NULL;
}

static bool digits_at(const char *s, size_t from, size_t n)
{
    for (size_t i = from; i < from + n; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    return true;
}

bool h_stamp(char out[VOS_STAMP_SIZE], const char *in)
{
    if (!in) return false;
    size_t len = strlen(in);
    bool date = len >= DATE_LEN && digits_at(in, 0, 4) && in[4] == '-' && digits_at(in, 5, 2) &&
                in[7] == '-' && digits_at(in, 8, 2);
    if (!date) return false;
    if (len == DATE_LEN) {
        snprintf(out, VOS_STAMP_SIZE, "%.10sT00:00:00.000Z", in);
        return true;
    }
    if (len < SECONDS_LEN + 1 || in[10] != 'T' || !digits_at(in, 11, 2) || in[13] != ':' ||
        !digits_at(in, 14, 2) || in[16] != ':' || !digits_at(in, 17, 2))
        return false;
    char milli[MILLI_DIGITS + 1] = "000";
    const char *p = in + SECONDS_LEN;
    if (*p == '.') {
        size_t n = 0;
        for (p++; isdigit((unsigned char)*p); p++, n++)
            if (n < MILLI_DIGITS) milli[n] = *p;
        if (n == 0) return false;
    }
    if (p[0] != 'Z' || p[1] != '\0') return false;
    snprintf(out, VOS_STAMP_SIZE, "%.19s.%sZ", in, milli);
    return true;
}

/* ---- list queries ---- */

static void add_filter(vos_store_query *q, vos_store_filter f)
{
    if (q->n_where < VOS_STORE_FILTERS_MAX) q->where[q->n_where++] = f;
}

int h_filter_id(vos_req *rq, vos_store_query *q, const char *name, const char *field)
{
    int64_t id = 0;
    int rc = vos_req_query_id(rq, name, &id);
    if (rc < 0) return rc;
    if (id) add_filter(q, (vos_store_filter){.field = field, .cmp = VOS_CMP_EQ, .i = id});
    return 0;
}

void h_filter_text(vos_req *rq, vos_store_query *q, const char *name, const char *field)
{
    const char *v = vos_req_query(rq, name);
    if (v) add_filter(q, (vos_store_filter){.field = field, .cmp = VOS_CMP_EQ, .s = v});
}

static const vos_field_def *field_def(vos_entity e, const char *field)
{
    const vos_entity_def *def = vos_entity_def_get(e);
    for (size_t i = 0; def && i < def->n_fields; i++)
        if (strcmp(def->fields[i].name, field) == 0) return &def->fields[i];
    return NULL;
}

int h_filter_enum(vos_req *rq, vos_store_query *q, const char *name, vos_entity e,
                  const char *field)
{
    const char *v = vos_req_query(rq, name);
    const vos_field_def *f = field_def(e, field);
    if (!v || !f) return 0;
    for (int i = 0; i < f->n_names; i++)
        if (strcmp(f->names[i], v) == 0) {
            add_filter(q, (vos_store_filter){.field = field, .cmp = VOS_CMP_EQ, .i = i});
            return 0;
        }
    char list[512];
    size_t o = 0;
    list[0] = '\0';
    for (int i = 0; i < f->n_names && o < sizeof list; i++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", f->names[i]);
    vos_req_error(rq, name, "must be one of %s, not '%s'", list, v);
    return vos_req_errors_reply(rq, 400);
}

int h_filter_time(vos_req *rq, vos_store_query *q, const char *name, const char *field,
                  vos_store_cmp cmp)
{
    const char *v = vos_req_query(rq, name);
    if (!v) return 0;
    char *stamp = vos_req_alloc(rq, VOS_STAMP_SIZE);
    if (!stamp) return vos_error_set(VOS_ENOMEM, "out of memory");
    if (!h_stamp(stamp, v)) {
        vos_req_error(rq, name, "must be a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM:SSZ (UTC)");
        return vos_req_errors_reply(rq, 400);
    }
    add_filter(q, (vos_store_filter){.field = field, .cmp = cmp, .s = stamp});
    return 0;
}

int h_query_bool(vos_req *rq, const char *name, bool *out)
{
    const char *v = vos_req_query(rq, name);
    *out = false;
    if (!v || strcmp(v, "false") == 0 || strcmp(v, "0") == 0) return 0;
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || !*v) {
        *out = true;
        return 0;
    }
    vos_req_error(rq, name, "must be true or false");
    return vos_req_errors_reply(rq, 400);
}

void h_page(vos_req *rq, const void *rows, size_t n, size_t size, size_t page, h_render_fn render,
            h_id_fn id_of)
{
    vos_jw *w = vos_reply_page(rq);
    size_t shown = n < page ? n : page;
    const char *p = rows;
    for (size_t i = 0; i < shown; i++)
        render(w, p + i * size);
    vos_reply_page_end(rq, n > page && shown ? id_of(p + (shown - 1) * size) : 0);
}

int h_batch_error(vos_req *rq, int rc, const char *what, const char *array)
{
    const char *msg = vos_error_last();
    size_t wl = strlen(what);
    char *end = NULL;
    if (strncmp(msg, what, wl) == 0 && msg[wl] == ' ') {
        unsigned long k = strtoul(msg + wl + 1, &end, 10);
        if (k >= 1 && end && end[0] == ':' && end[1] == ' ') {
            char field[128];
            snprintf(field, sizeof field, "%s[%lu]", array, k - 1);
            vos_req_error(rq, field, "%s", end + 2);
        }
    }
    return vos_reply_error(rq, rc);
}

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Where `word` first occurs in `text` as a whole word, or NULL. */
static const char *find_word(const char *text, const char *word)
{
    size_t len = strlen(word);
    for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
        if ((p == text || !word_char(p[-1])) && !word_char(p[len])) return p;
    return NULL;
}

int h_reply_error(vos_req *rq, int rc, json_t *body, const vos_field *fields, size_t n,
                  bool absent_first)
{
    const char *msg = vos_error_last(), *at = NULL, *name = NULL, *absent_at = NULL;
    const char *absent = NULL;
    for (size_t i = 0; rc == VOS_EINVALID && i < n; i++) {
        const char *p = find_word(msg, fields[i].name);
        if (p && (!at || p < at)) {
            at = p;
            name = fields[i].name;
        }
        if (absent_first && p && !h_has(body, fields[i].name) && (!absent_at || p < absent_at)) {
            absent_at = p;
            absent = fields[i].name;
        }
    }
    if (absent || name) vos_req_error(rq, absent ? absent : name, "%s", msg);
    return vos_reply_error(rq, rc);
}
