/* Rows described by vos_entity_def: validation, normalisation, canonical JSON, freeing.
 * Shared by every backend, so that all of them accept, refuse and serialise rows alike. */
#include "store_int.h"

#include "vos/error.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUOTE_MAX 60 /* characters of a value quoted in a message */

const vos_field_def *vos_row_field(const vos_entity_def *def, const char *name)
{
    for (size_t i = 0; name && i < def->n_fields; i++)
        if (strcmp(def->fields[i].name, name) == 0) return &def->fields[i];
    return NULL;
}

const vos_field_def *vos_row_field_of_type(const vos_entity_def *def, vos_field_type type)
{
    for (size_t i = 0; i < def->n_fields; i++)
        if (def->fields[i].type == type) return &def->fields[i];
    return NULL;
}

void vos_row_clear(const vos_entity_def *def, void *row)
{
    if (!row) return;
    for (size_t i = 0; i < def->n_fields; i++) {
        const vos_field_def *f = &def->fields[i];
        if (f->type == VOS_FT_TEXT) {
            char **p = field_ptr(row, f);
            free(*p);
            *p = NULL;
        }
    }
}

void vos_rows_free(const vos_entity_def *def, void *rows, size_t n)
{
    if (!rows) return;
    for (size_t i = 0; i < n; i++)
        vos_row_clear(def, (char *)rows + i * def->size);
    free(rows);
}

const char *vos_row_enum_name(const vos_field_def *f, int v)
{
    return v >= 0 && v < f->n_names ? f->names[v] : NULL;
}

void vos_sha256_hex(char out[VOS_SHA256_HEX_SIZE], const void *data, size_t len)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(out, VOS_SHA256_HEX_SIZE, h, sizeof h);
}

bool vos_is_sha256_hex(const char *s)
{
    size_t n = 0;
    for (; s[n] && n < VOS_SHA256_HEX_SIZE; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f'))) return false;
    return n == VOS_SHA256_HEX_SIZE - 1;
}

/* ---- text formats --------------------------------------------------------------------------- */

/* Counts the characters of valid UTF-8 text; -1 when it is not valid (overlong forms,
 * surrogates and code points above U+10FFFF are refused). */
static long utf8_chars(const unsigned char *s)
{
    long n = 0;
    while (*s) {
        unsigned c = *s;
        int len = c < 0x80             ? 1
                  : (c & 0xE0) == 0xC0 ? 2
                  : (c & 0xF0) == 0xE0 ? 3
                  : (c & 0xF8) == 0xF0 ? 4
                                       : 0;
        if (!len) return -1;
        unsigned long cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
        for (int k = 1; k < len; k++) {
            if ((s[k] & 0xC0) != 0x80) return -1;
            cp = cp << 6 | (s[k] & 0x3F);
        }
        static const unsigned long min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
        s += len;
        n++;
    }
    return n;
}

static int has_control(const char *s, int allow_lines)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 || c == 0x7F) && !(allow_lines && (c == '\n' || c == '\t' || c == '\r')))
            return 1;
    }
    return 0;
}

/* Writes s quoted for a message when it is short and printable, else "". */
static const char *quoted(char *buf, size_t size, const char *s)
{
    if (strlen(s) > QUOTE_MAX || has_control(s, 0)) return "";
    snprintf(buf, size, " '%s'", s);
    return buf;
}

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* "YYYY-MM-DD", a real calendar date from year 1. */
static int is_date(const char *s)
{
    if (strlen(s) < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2))
        return 0;
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

static int is_stamp(const char *s)
{
    return strlen(s) == VOS_STAMP_SIZE - 1 && is_date(s) && s[10] == 'T' && digits(s + 11, 2) &&
           s[13] == ':' && digits(s + 14, 2) && s[16] == ':' && digits(s + 17, 2) && s[19] == '.' &&
           digits(s + 20, 3) && s[23] == 'Z' && num(s + 11, 2) < 24 && num(s + 14, 2) < 60 &&
           num(s + 17, 2) < 60;
}

static int is_key(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z')) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

static int is_operation(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '.'))
            return 0;
    return 1;
}

/* http:// or https:// and a host: no spaces, controls or quotes anywhere. */
static int is_url(const char *s)
{
    const char *rest = strncmp(s, "https://", 8) == 0  ? s + 8
                       : strncmp(s, "http://", 7) == 0 ? s + 7
                                                       : NULL;
    if (!rest || !*rest || *rest == '/' || *rest == ':') return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || *s == 0x7F || *s == '"' || *s == '<' || *s == '>' ||
            *s == '\\')
            return 0;
    return 1;
}

/* The model language's model ids: [a-z0-9][a-z0-9._-]* (src/core/model.c). */
static int is_model_id(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))) return 0;
    for (; *s; s++) {
        int alnum = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9');
        if (!alnum && *s != '.' && *s != '_' && *s != '-') return 0;
    }
    return 1;
}

static int is_email(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || !at[1] || strchr(at + 1, '@')) return 0;
    for (; *s; s++)
        if (*s == ' ') return 0;
    return 1;
}

/* A numeric semver identifier: digits without a leading zero.  Returns its length or 0. */
static size_t semver_number(const char *s)
{
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9')
        n++;
    return n == 0 || (n > 1 && s[0] == '0') ? 0 : n;
}

/* Dot-separated identifiers of [0-9A-Za-z-], none empty.  Returns the length or 0. */
static size_t semver_idents(const char *s)
{
    size_t n = 0, run = 0;
    for (;; n++) {
        char c = s[n];
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            c == '-') {
            run++;
        } else if (c == '.' && run) {
            run = 0;
        } else {
            return run ? n : 0;
        }
    }
}

/* MAJOR.MINOR.PATCH[-prerelease][+build] (semver.org 2.0.0). */
static int is_semver(const char *s)
{
    for (int part = 0; part < 3; part++) {
        size_t n = semver_number(s);
        if (!n) return 0;
        s += n;
        if (part < 2 && *s++ != '.') return 0;
    }
    if (*s == '-') {
        size_t n = semver_idents(s + 1);
        if (!n) return 0;
        s += 1 + n;
    }
    if (*s == '+') {
        size_t n = semver_idents(s + 1);
        if (!n) return 0;
        s += 1 + n;
    }
    return *s == '\0';
}

static int is_currency(const char *s)
{
    return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
           s[2] >= 'A' && s[2] <= 'Z';
}

static int check_json(const char *s, vos_text_format format, const char *entity, const char *field)
{
    json_error_t err;
    json_t *j = json_loads(s, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
    if (!j)
        return vos_error_set(VOS_EINVALID, "%s %s is not valid JSON: %s (line %d, column %d)",
                             entity, field, err.text, err.line, err.column);
    int ok = format == VOS_TF_JSON_OBJECT ? json_is_object(j) : json_is_array(j);
    json_decref(j);
    if (!ok)
        return vos_error_set(VOS_EINVALID, "%s %s must be a JSON %s", entity, field,
                             format == VOS_TF_JSON_OBJECT ? "object" : "array");
    return 0;
}

static int check_chars(const char *s, vos_text_format format, size_t max, const char *entity,
                       const char *field)
{
    int bytes =
        format == VOS_TF_DOCUMENT || format == VOS_TF_JSON_OBJECT || format == VOS_TF_JSON_ARRAY;
    size_t len = strlen(s);
    if (bytes && len > max)
        return vos_error_set(VOS_ETOOLARGE, "%s %s is longer than %zu bytes", entity, field, max);
    if (!bytes && len > 4 * max) /* a bound before counting: 4 bytes per character at most */
        return vos_error_set(VOS_ETOOLARGE, "%s %s is longer than %zu characters", entity, field,
                             max);
    long chars = utf8_chars((const unsigned char *)s);
    if (chars < 0) return vos_error_set(VOS_EINVALID, "%s %s is not valid UTF-8", entity, field);
    if (!bytes && (size_t)chars > max)
        return vos_error_set(VOS_ETOOLARGE, "%s %s is longer than %zu characters", entity, field,
                             max);
    return 0;
}

int vos_text_check(const char *s, vos_text_format format, size_t max, const char *entity,
                   const char *field)
{
    int rc = check_chars(s, format, max, entity, field);
    if (rc < 0) return rc;
    char q[QUOTE_MAX + 8];
    switch (format) {
    case VOS_TF_NAME:
        if (has_control(s, 0))
            return vos_error_set(VOS_EINVALID, "%s %s must not hold control characters", entity,
                                 field);
        if (s[0] == ' ' || s[strlen(s) - 1] == ' ')
            return vos_error_set(VOS_EINVALID, "%s %s must not begin or end with a space", entity,
                                 field);
        return 0;
    case VOS_TF_TEXT:
    case VOS_TF_DOCUMENT:
        if (has_control(s, 1))
            return vos_error_set(VOS_EINVALID, "%s %s must not hold control characters", entity,
                                 field);
        return 0;
    case VOS_TF_KEY:
        if (is_key(s)) return 0;
        return vos_error_set(VOS_EINVALID,
                             "%s %s%s must start with a-z and hold only a-z, 0-9 and _", entity,
                             field, quoted(q, sizeof q, s));
    case VOS_TF_EMAIL:
        if (is_email(s) && !has_control(s, 0)) return 0;
        return vos_error_set(VOS_EINVALID, "%s %s%s is not an email address", entity, field,
                             quoted(q, sizeof q, s));
    case VOS_TF_DATE:
        if (strlen(s) == 10 && is_date(s)) return 0;
        return vos_error_set(VOS_EINVALID, "%s %s%s is not a date (YYYY-MM-DD)", entity, field,
                             quoted(q, sizeof q, s));
    case VOS_TF_STAMP:
        if (is_stamp(s)) return 0;
        return vos_error_set(VOS_EINVALID, "%s %s%s is not a UTC time (YYYY-MM-DDTHH:MM:SS.mmmZ)",
                             entity, field, quoted(q, sizeof q, s));
    case VOS_TF_SEMVER:
        if (is_semver(s)) return 0;
        return vos_error_set(VOS_EINVALID, "%s %s%s is not a semantic version (MAJOR.MINOR.PATCH)",
                             entity, field, quoted(q, sizeof q, s));
    case VOS_TF_CURRENCY:
        if (is_currency(s)) return 0;
        return vos_error_set(VOS_EINVALID, "%s %s%s must be three capital letters (ISO 4217)",
                             entity, field, quoted(q, sizeof q, s));
    case VOS_TF_JSON_OBJECT:
    case VOS_TF_JSON_ARRAY:
        return check_json(s, format, entity, field);
    case VOS_TF_OPERATION:
        if (is_operation(s)) return 0;
        return vos_error_set(VOS_EINVALID, "%s %s%s may hold only a-z, 0-9, _ and .", entity, field,
                             quoted(q, sizeof q, s));
    case VOS_TF_MODEL_ID:
        if (is_model_id(s)) return 0;
        return vos_error_set(VOS_EINVALID,
                             "%s %s%s must start with a-z or 0-9 and hold only a-z, 0-9, '.', '_' "
                             "and '-'",
                             entity, field, quoted(q, sizeof q, s));
    case VOS_TF_URL:
        if (is_url(s)) return 0;
        return vos_error_set(VOS_EINVALID,
                             "%s %s%s is not an http:// or https:// URL with a host and without "
                             "spaces",
                             entity, field, quoted(q, sizeof q, s));
    }
    return 0;
}

/* ---- validation ----------------------------------------------------------------------------- */

static int check_field(const vos_entity_def *def, const vos_field_def *f, const void *row)
{
    const void *p = field_cptr(row, f);
    int optional = (f->flags & VOS_FF_OPTIONAL) != 0;
    switch (f->type) {
    case VOS_FT_INT: {
        int64_t v = *(const int64_t *)p;
        if (f->lo < f->hi && (v < f->lo || v > f->hi))
            return vos_error_set(VOS_EINVALID, "%s %s must be between %d and %d", def->name,
                                 f->name, f->lo, f->hi);
        return 0;
    }
    case VOS_FT_REF: {
        int64_t v = *(const int64_t *)p;
        if (v == 0 && !optional)
            return vos_error_set(VOS_EINVALID, "%s %s is required", def->name, f->name);
        if (v < 0)
            return vos_error_set(VOS_EINVALID, "%s %s %lld is not an id", def->name, f->name,
                                 (long long)v);
        return 0;
    }
    case VOS_FT_REAL: {
        double v = *(const double *)p;
        if (isnan(v) && !optional)
            return vos_error_set(VOS_EINVALID, "%s %s is required", def->name, f->name);
        if (isinf(v))
            return vos_error_set(VOS_EINVALID, "%s %s must be a finite number", def->name, f->name);
        return 0;
    }
    case VOS_FT_ENUM: {
        int v = *(const int *)p;
        if (vos_row_enum_name(f, v)) return 0;
        char list[VOS_ERROR_MSG_MAX / 2] = "";
        for (int i = 0; i < f->n_names; i++) {
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", f->names[i]);
        }
        return vos_error_set(VOS_EINVALID, "%s %s %d is not one of %s", def->name, f->name, v,
                             list);
    }
    case VOS_FT_TEXT: {
        const char *s = *(char *const *)p;
        if (!s || !*s)
            return optional ? 0
                            : vos_error_set(VOS_EINVALID, "%s %s is required", def->name, f->name);
        return vos_text_check(s, f->format, f->max, def->name, f->name);
    }
    case VOS_FT_DIGEST: /* a digest with a source is derived after validation */
        if (f->source || vos_is_sha256_hex(p)) return 0;
        return vos_error_set(VOS_EINVALID, "%s %s must be 64 lower-case hex digits (SHA-256)",
                             def->name, f->name);
    default:
        return 0;
    }
}

int vos_row_validate(const vos_entity_def *def, const void *row)
{
    for (size_t i = 0; i < def->n_fields; i++) {
        int rc = check_field(def, &def->fields[i], row);
        if (rc < 0) return rc;
    }
    return 0;
}

void vos_row_derive(const vos_entity_def *def, void *row)
{
    for (size_t i = 0; i < def->n_fields; i++) {
        const vos_field_def *f = &def->fields[i];
        if (f->type != VOS_FT_DIGEST || !f->source) continue;
        const char *src = *(char *const *)field_cptr(row, vos_row_field(def, f->source));
        vos_sha256_hex(field_ptr(row, f), src ? src : "", src ? strlen(src) : 0);
    }
}

void vos_row_normalise(const vos_entity_def *def, const void *row, void *copy)
{
    memcpy(copy, row, def->size);
    for (size_t i = 0; i < def->n_fields; i++) {
        const vos_field_def *f = &def->fields[i];
        if (f->type != VOS_FT_TEXT || !(f->flags & VOS_FF_OPTIONAL)) continue;
        char **p = field_ptr(copy, f);
        if (*p && !**p) *p = NULL;
    }
}

/* ---- canonical JSON ------------------------------------------------------------------------- */

/* Whether a field holds its default: false, 0, none. */
static bool is_default(const vos_field_def *f, const void *p)
{
    switch (f->type) {
    case VOS_FT_INT:
    case VOS_FT_REF:
        return *(const int64_t *)p == 0;
    case VOS_FT_REAL:
        return isnan(*(const double *)p);
    case VOS_FT_BOOL:
        return !*(const bool *)p;
    case VOS_FT_ENUM:
        return *(const int *)p == 0;
    case VOS_FT_TEXT:
        return *(char *const *)p == NULL;
    default:
        return false;
    }
}

void vos_row_json_open(const vos_entity_def *def, const void *row, vos_jw *w)
{
    vos_jw_object(w);
    for (size_t i = 0; i < def->n_fields; i++) {
        const vos_field_def *f = &def->fields[i];
        const void *p = field_cptr(row, f);
        if ((f->flags & VOS_FF_ADDED) && is_default(f, p)) continue;
        vos_jw_key(w, f->name);
        switch (f->type) {
        case VOS_FT_ID:
        case VOS_FT_REVISION:
        case VOS_FT_INT:
            vos_jw_integer(w, (long long)*(const int64_t *)p);
            break;
        case VOS_FT_REF: {
            int64_t v = *(const int64_t *)p;
            if (v)
                vos_jw_integer(w, (long long)v);
            else
                vos_jw_null(w);
            break;
        }
        case VOS_FT_REAL:
            vos_jw_number(w, *(const double *)p); /* NAN (none) is written as null */
            break;
        case VOS_FT_BOOL:
            vos_jw_bool(w, *(const bool *)p);
            break;
        case VOS_FT_ENUM:
            vos_jw_string(w, vos_row_enum_name(f, *(const int *)p));
            break;
        case VOS_FT_TEXT:
            vos_jw_string(w, *(char *const *)p);
            break;
        case VOS_FT_CREATED:
        case VOS_FT_UPDATED:
        case VOS_FT_DIGEST:
            vos_jw_string(w, (const char *)p);
            break;
        }
    }
}

int vos_lines_join(const char *const *lines, char **out)
{
    size_t len = 0;
    for (const char *const *l = lines; *l; l++)
        len += strlen(*l);
    char *s = malloc(len + 1);
    if (!s) return vos_error_set(VOS_ENOMEM, "out of memory");
    size_t at = 0;
    for (const char *const *l = lines; *l; l++) {
        size_t n = strlen(*l);
        memcpy(s + at, *l, n);
        at += n;
    }
    s[at] = '\0';
    *out = s;
    return 0;
}
