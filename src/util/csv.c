/* A streaming CSV reader (include/vos/csv.h): a byte-at-a-time state machine with a fast
 * scan over the runs of plain bytes, so that a chunk boundary may fall anywhere (inside a
 * quote pair, between CR and LF, inside the byte order mark). */
#include "vos/csv.h"

#include "vos/error.h"
#include "vos/limits.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_BUF_START 4096 /* first allocation of the record buffer, in bytes */
#define CSV_FIELDS_START 16

static const unsigned char bom[] = {0xEF, 0xBB, 0xBF};
#define BOM_LEN ((int)sizeof bom)

typedef enum csv_state {
    S_START = 0, /* at the start of a field */
    S_BLANK,     /* blanks at the start of a field: kept unless a quote follows */
    S_PLAIN,     /* inside an unquoted field */
    S_QUOTED,    /* inside a quoted field */
    S_QUOTE,     /* a quote inside a quoted field: a doubled quote or the closing one */
    S_AFTER      /* after the closing quote: only blanks until the separator */
} csv_state;

struct vos_csv {
    vos_csv_limits lim;
    vos_csv_record_fn fn;
    void *ctx;
    /* the record being read: fields NUL-terminated one after the other in buf */
    char *buf;
    size_t len, cap;
    size_t field_start; /* offset of the current field in buf */
    size_t *starts;     /* offsets of the finished fields */
    size_t *lens;
    char **ptrs;
    size_t n_fields, fields_cap;
    size_t data; /* bytes of data in the record (without the NULs) */
    bool bad;    /* the record is malformed: its data is dropped */
    bool oom;    /* an allocation failed */
    char err[VOS_CSV_ERROR_MAX];
    csv_state state;
    bool last_cr;       /* the previous byte was a CR (its line is counted already) */
    int bom;            /* bytes of the byte order mark matched, or -1 once decided */
    int64_t line;       /* the line being read */
    int64_t rec_line;   /* the line the record starts on */
    int64_t quote_line; /* the line the open quote of the current field is on */
    uint64_t bytes;
};

/* Bytes that end a run of plain data, outside and inside quotes. */
static const unsigned char plain_stop[256] = {
    [','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1, [0] = 1};
static const unsigned char quoted_stop[256] = {['"'] = 1, ['\r'] = 1, ['\n'] = 1, [0] = 1};

int vos_csv_new(vos_csv **out, const vos_csv_limits *limits, vos_csv_record_fn fn, void *ctx)
{
    *out = NULL;
    vos_csv *c = calloc(1, sizeof *c);
    if (!c) return vos_error_set(VOS_ENOMEM, "out of memory");
    if (limits) c->lim = *limits;
    if (!c->lim.field_max) c->lim.field_max = VOS_CSV_FIELD_MAX;
    if (!c->lim.record_max) c->lim.record_max = VOS_CSV_RECORD_MAX;
    if (!c->lim.fields_max) c->lim.fields_max = VOS_CSV_FIELDS_MAX;
    c->fn = fn;
    c->ctx = ctx;
    vos_csv_reset(c);
    *out = c;
    return 0;
}

void vos_csv_free(vos_csv *c)
{
    if (!c) return;
    free(c->buf);
    free(c->starts);
    free(c->lens);
    free(c->ptrs);
    free(c);
}

static void clear_record(vos_csv *c)
{
    c->len = c->field_start = c->n_fields = c->data = 0;
    c->bad = false;
    c->state = S_START;
}

void vos_csv_reset(vos_csv *c)
{
    clear_record(c);
    c->last_cr = false;
    c->oom = false;
    c->bom = 0;
    c->line = c->rec_line = c->quote_line = 1;
    c->bytes = 0;
}

int64_t vos_csv_lines(const vos_csv *c)
{
    return c->line;
}

uint64_t vos_csv_bytes(const vos_csv *c)
{
    return c->bytes;
}

/* ---- the record buffer ---------------------------------------------------------------------- */

/* Marks the record malformed (the first problem wins). */
static void fail(vos_csv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(vos_csv *c, const char *fmt, ...)
{
    if (c->bad) return;
    c->bad = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
}

static bool reserve(vos_csv *c, size_t more)
{
    if (c->len + more <= c->cap) return true;
    size_t cap = c->cap ? c->cap : CSV_BUF_START;
    while (cap < c->len + more)
        cap *= 2;
    char *b = realloc(c->buf, cap);
    if (!b) {
        c->oom = true;
        return false;
    }
    c->buf = b;
    c->cap = cap;
    return true;
}

/* Appends n bytes of data to the current field, within the limits. */
static void put(vos_csv *c, const char *p, size_t n)
{
    if (c->bad || n == 0) return;
    if (c->len - c->field_start + n > c->lim.field_max) {
        fail(c, "field %zu is longer than %zu bytes", c->n_fields + 1, c->lim.field_max);
        return;
    }
    if (c->data + n > c->lim.record_max) {
        fail(c, "the record is longer than %zu bytes", c->lim.record_max);
        return;
    }
    if (!reserve(c, n + 1)) return;
    memcpy(c->buf + c->len, p, n);
    c->len += n;
    c->data += n;
}

static bool grow_fields(vos_csv *c)
{
    size_t cap = c->fields_cap ? 2 * c->fields_cap : CSV_FIELDS_START;
    if (cap > c->lim.fields_max) cap = c->lim.fields_max;
    size_t *s = realloc(c->starts, cap * sizeof *s);
    if (s) c->starts = s;
    size_t *l = realloc(c->lens, cap * sizeof *l);
    if (l) c->lens = l;
    char **p = realloc(c->ptrs, cap * sizeof *p);
    if (p) c->ptrs = p;
    if (!s || !l || !p) {
        c->oom = true;
        return false;
    }
    c->fields_cap = cap;
    return true;
}

static void end_field(vos_csv *c)
{
    if (c->bad) return;
    if (c->n_fields == c->lim.fields_max) {
        fail(c, "the record has more than %zu fields", c->lim.fields_max);
        return;
    }
    if (c->n_fields == c->fields_cap && !grow_fields(c)) return;
    if (!reserve(c, 1)) return;
    c->lens[c->n_fields] = c->len - c->field_start;
    c->starts[c->n_fields++] = c->field_start;
    c->buf[c->len++] = '\0';
    c->field_start = c->len;
}

/* Passes the record on (or skips an empty line) and starts the next one on `next_line`. */
static int end_record(vos_csv *c, bool empty, int64_t next_line)
{
    int rc = 0;
    if (!empty) {
        end_field(c);
        vos_csv_record rec = {.line = c->rec_line};
        if (c->bad) {
            rec.error = c->err;
        } else {
            for (size_t i = 0; i < c->n_fields; i++)
                c->ptrs[i] = c->buf + c->starts[i];
            rec.n = c->n_fields;
            rec.field = c->ptrs;
            rec.len = c->lens;
        }
        if (!c->oom) rc = c->fn(c->ctx, &rec);
    }
    clear_record(c);
    c->rec_line = next_line;
    return rc;
}

/* ---- the state machine ---------------------------------------------------------------------- */

static bool is_blank(unsigned char ch)
{
    return ch == ' ' || ch == '\t';
}

/* A line break (CR or LF) outside quotes at byte `ch`; an LF right after a CR belongs to it. */
static int line_break(vos_csv *c, unsigned char ch, bool empty)
{
    if (ch == '\n' && c->last_cr) {
        c->last_cr = false;
        return 0; /* the LF of a CRLF whose CR ended the record */
    }
    c->line++;
    c->last_cr = ch == '\r';
    return end_record(c, empty, c->line);
}

/* A byte at the start of a field (or among its leading blanks). */
static int at_start(vos_csv *c, unsigned char ch)
{
    switch (ch) {
    case '"':
        if (!c->bad) { /* blanks before an opening quote are not data */
            c->data -= c->len - c->field_start;
            c->len = c->field_start;
        }
        c->state = S_QUOTED;
        c->quote_line = c->line;
        return 0;
    case ',':
        end_field(c);
        c->state = S_START;
        return 0;
    case '\r':
    case '\n':
        /* a line of nothing (or blanks only) is no record */
        return line_break(c, ch, c->n_fields == 0);
    case ' ':
    case '\t':
        put(c, (const char *)&ch, 1);
        c->state = S_BLANK;
        return 0;
    case '\0':
        fail(c, "field %zu holds a NUL byte", c->n_fields + 1);
        c->state = S_PLAIN;
        return 0;
    default:
        put(c, (const char *)&ch, 1);
        c->state = S_PLAIN;
        return 0;
    }
}

/* A byte that stopped a plain run: ',', '"', CR, LF or NUL. */
static int in_plain(vos_csv *c, unsigned char ch)
{
    switch (ch) {
    case ',':
        end_field(c);
        c->state = S_START;
        return 0;
    case '\r':
    case '\n':
        return line_break(c, ch, false);
    case '"':
        fail(c,
             "field %zu has a quote inside unquoted text: quote the whole field and double "
             "each quote inside it",
             c->n_fields + 1);
        return 0;
    default:
        fail(c, "field %zu holds a NUL byte", c->n_fields + 1);
        return 0;
    }
}

/* A byte that stopped a quoted run: '"', CR, LF or NUL (line breaks are data here). */
static void in_quoted(vos_csv *c, unsigned char ch)
{
    switch (ch) {
    case '"':
        c->state = S_QUOTE;
        return;
    case '\n':
        if (!c->last_cr) c->line++;
        c->last_cr = false;
        put(c, "\n", 1);
        return;
    case '\r':
        c->line++;
        c->last_cr = true;
        put(c, "\r", 1);
        return;
    default:
        fail(c, "field %zu holds a NUL byte", c->n_fields + 1);
        return;
    }
}

/* A byte after a quote inside a quoted field, or after the closing quote. */
static int after_quote(vos_csv *c, unsigned char ch)
{
    if (ch == '"' && c->state == S_QUOTE) {
        put(c, "\"", 1);
        c->state = S_QUOTED;
        return 0;
    }
    if (is_blank(ch)) {
        c->state = S_AFTER;
        return 0;
    }
    if (ch == ',' || ch == '\r' || ch == '\n') return in_plain(c, ch);
    fail(c, "field %zu has text after its closing quote", c->n_fields + 1);
    c->state = S_PLAIN; /* the rest of the field is dropped with the record */
    return 0;
}

/* Length of the run of bytes from p[0] that `stop` does not stop at. */
static size_t run_length(const unsigned char *p, size_t n, const unsigned char *stop)
{
    size_t i = 0;
    while (i < n && !stop[p[i]])
        i++;
    return i;
}

static int process(vos_csv *c, const char *data, size_t n)
{
    const unsigned char *p = (const unsigned char *)data;
    size_t i = 0;
    int rc = 0;
    while (i < n && rc == 0 && !c->oom) {
        unsigned char ch = p[i];
        if (c->last_cr && ch != '\n') c->last_cr = false;
        switch (c->state) {
        case S_START:
        case S_BLANK:
            rc = at_start(c, ch);
            i++;
            break;
        case S_PLAIN: {
            size_t k = run_length(p + i, n - i, plain_stop);
            put(c, data + i, k);
            i += k;
            if (i < n) rc = in_plain(c, p[i++]);
            break;
        }
        case S_QUOTED: {
            size_t k = run_length(p + i, n - i, quoted_stop);
            put(c, data + i, k);
            i += k;
            if (i < n) in_quoted(c, p[i++]);
            break;
        }
        case S_QUOTE:
        case S_AFTER:
            rc = after_quote(c, ch);
            i++;
            break;
        }
    }
    if (rc == 0 && c->oom) rc = vos_error_set(VOS_ENOMEM, "out of memory reading CSV");
    return rc;
}

int vos_csv_feed(vos_csv *c, const char *data, size_t len)
{
    c->bytes += len;
    while (c->bom >= 0 && len > 0) {
        if ((unsigned char)*data == bom[c->bom]) {
            data++;
            len--;
            if (++c->bom == BOM_LEN) c->bom = -1;
            continue;
        }
        int matched = c->bom;
        c->bom = -1;
        int rc = process(c, (const char *)bom, (size_t)matched);
        if (rc) return rc;
    }
    return len ? process(c, data, len) : 0;
}

int vos_csv_finish(vos_csv *c)
{
    if (c->bom > 0) {
        int matched = c->bom;
        c->bom = -1;
        int rc = process(c, (const char *)bom, (size_t)matched);
        if (rc) return rc;
    }
    c->bom = -1;
    int rc;
    switch (c->state) {
    case S_START:
    case S_BLANK:
        rc = end_record(c, c->n_fields == 0, c->line);
        break;
    case S_QUOTED:
        fail(c, "field %zu opens a quote on line %lld that is not closed before the end",
             c->n_fields + 1, (long long)c->quote_line);
        rc = end_record(c, false, c->line);
        break;
    default:
        rc = end_record(c, false, c->line);
        break;
    }
    if (rc == 0 && c->oom) rc = vos_error_set(VOS_ENOMEM, "out of memory reading CSV");
    return rc;
}
