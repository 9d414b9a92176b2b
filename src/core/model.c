/* The value-model loader: YAML or JSON text -> a validated vos_model (see vos/model.h and
 * docs/model-language.md).
 *
 * Loading runs in passes over a vos_ytree: the header; KPIs, outcomes and capabilities
 * (each referring to the ones before); inputs; drivers and costs without their formulas;
 * the shared input/driver namespace; the formulas; the driver graph (cycles, evaluation
 * order); the policy warnings.  Every pass reports what it finds and goes on, skipping only
 * what depends on a broken part, so one run lists every problem of a file. */
#include "vos/model.h"

#include "core/yaml_tree.h"
#include "vos/error.h"
#include "vos/limits.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINUTES_PER_MONTH 43800
#define MINUTES_PER_YEAR 525600
#define MONTHS_PER_YEAR 12
#define RANGE_P_LOW 0.1  /* quantile that stands for `low` of a normal input given by sd */
#define RANGE_P_HIGH 0.9 /* quantile that stands for `high` */
#define FIELDS_MAX 16    /* keys of one kind of map */
#define EL_TEXT_MAX (VOS_YNODE_SHOW_MAX + 48)
#define SHORT_TEXT_MAX 128 /* bytes of a rate or duration copied for parsing */
#define NO_INDEX ((size_t)-1)

/* --- names --- */

static const char *const LEVER_NAMES[] = {"revenue", "cost", "risk", NULL};
static const char *const BETTER_NAMES[] = {"higher", "lower", NULL};
static const char *const CONFIDENCE_NAMES[] = {"low", "medium", "high", NULL};
static const char *const PERIOD_NAMES[] = {"month", "year", NULL};
static const char *const DIST_NAMES[] = {"fixed",  "uniform",   "triangular", "pert",
                                         "normal", "lognormal", NULL};

const char *vos_lever_name(vos_lever lever)
{
    return (unsigned)lever < VOS_LEVER_COUNT ? LEVER_NAMES[lever] : "";
}

const char *vos_confidence_name(vos_confidence c)
{
    return c >= VOS_CONFIDENCE_LOW && c <= VOS_CONFIDENCE_HIGH ? CONFIDENCE_NAMES[c - 1] : "";
}

/* --- freeing --- */

static void free_texts(char *id, char *name, char *description)
{
    free(id);
    free(name);
    free(description);
}

vos_model *vos_model_ref(vos_model *m)
{
    if (m) m->refs++;
    return m;
}

void vos_model_free(vos_model *m)
{
    if (!m || --m->refs > 0) return;
    free_texts(m->id, m->name, m->description);
    free(m->version);
    free(m->currency);
    for (size_t i = 0; i < m->n_capabilities; i++) {
        vos_capability *c = &m->capabilities[i];
        free_texts(c->id, c->name, c->description);
        free(c->outcomes);
    }
    for (size_t i = 0; i < m->n_outcomes; i++) {
        vos_outcome *o = &m->outcomes[i];
        free_texts(o->id, o->name, o->description);
        free(o->kpis);
    }
    for (size_t i = 0; i < m->n_kpis; i++) {
        free_texts(m->kpis[i].id, m->kpis[i].name, m->kpis[i].description);
        free(m->kpis[i].unit_text);
    }
    for (size_t i = 0; i < m->n_inputs; i++) {
        vos_input *in = &m->inputs[i];
        free_texts(in->id, in->name, in->description);
        free(in->unit_text);
        free(in->evidence);
    }
    for (size_t i = 0; i < m->n_drivers; i++) {
        vos_driver *d = &m->drivers[i];
        free_texts(d->id, d->name, d->description);
        vos_formula_free(d->formula);
        vos_formula_free(d->realized);
    }
    for (size_t i = 0; i < m->n_costs; i++) {
        free_texts(m->costs[i].id, m->costs[i].name, m->costs[i].description);
        vos_formula_free(m->costs[i].formula);
    }
    free(m->capabilities);
    free(m->outcomes);
    free(m->kpis);
    free(m->inputs);
    free(m->drivers);
    free(m->costs);
    free(m->driver_order);
    free(m);
}

/* --- lookups --- */

#define FIND_BY_ID(arr, n, id)                                                                     \
    do {                                                                                           \
        for (size_t i_ = 0; m && id && i_ < (n); i_++)                                             \
            if ((arr)[i_].id && strcmp((arr)[i_].id, id) == 0) return (long)i_;                    \
        return -1;                                                                                 \
    } while (0)

long vos_model_find_input(const vos_model *m, const char *id)
{
    FIND_BY_ID(m->inputs, m->n_inputs, id);
}

long vos_model_find_driver(const vos_model *m, const char *id)
{
    FIND_BY_ID(m->drivers, m->n_drivers, id);
}

long vos_model_find_kpi(const vos_model *m, const char *id)
{
    FIND_BY_ID(m->kpis, m->n_kpis, id);
}

long vos_model_find_cost(const vos_model *m, const char *id)
{
    FIND_BY_ID(m->costs, m->n_costs, id);
}

/* --- loader state --- */

/* One id of a sorted index: ids sort by text, then by position in the file. */
typedef struct idref {
    const char *id;
    size_t index; /* element index (for the input/driver namespace: the slot) */
    const char *kind;
    vos_mark mark;
} idref;

typedef struct idindex {
    idref *refs;
    size_t n;
} idindex;

typedef struct loader {
    vos_model *m;
    vos_diags *diags;
    size_t errors0; /* diags->n_errors before this load */
    int nomem;
    int currency_ok;      /* units can be parsed */
    const char *currency; /* for unit text: the model's, or "XXX" when it is broken */
    int months;           /* horizon in months; 0 when the horizon is broken */
    vos_unit per_period;  /* currency per period: what drivers and recurring costs yield */
    vos_unit money;       /* currency: what one-time costs yield */
    unsigned char *kpi_unit_ok, *input_unit_ok;
    unsigned char *input_bad; /* the input's definition is not a map: no policy checks */
    const vos_ynode **drv_formula, **drv_realized, **cost_formula;
    idindex kpi_ix, outcome_ix, symbols;
    int formulas_ok; /* every formula compiled */
    unsigned char *input_read;
    size_t **reads; /* per driver: the drivers its formulas read */
    size_t *n_reads;
} loader;

/* How the element being loaded is named in messages. */
typedef struct el {
    char pre[EL_TEXT_MAX]; /* "driver 'x': " ("" at the top level) */
    char in[EL_TEXT_MAX];  /* " in driver 'x'" ("" at the top level) */
} el;

static vos_mark mark_of(const vos_ynode *n)
{
    vos_mark mk = {n->line, n->col};
    return mk;
}

static void diag_at(loader *L, vos_diag_severity sev, int line, int col, const char *fmt,
                    va_list ap)
{
    char msg[VOS_DIAG_MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    vos_diags_add(L->diags, sev, line, col, "%s", msg);
}

static void error_at(loader *L, const vos_ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void error_at(loader *L, const vos_ynode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_at(L, VOS_DIAG_ERROR, n ? n->line : 0, n ? n->col : 0, fmt, ap);
    va_end(ap);
}

static void error_mark(loader *L, vos_mark mk, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void error_mark(loader *L, vos_mark mk, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_at(L, VOS_DIAG_ERROR, mk.line, mk.col, fmt, ap);
    va_end(ap);
}

static void warn_mark(loader *L, vos_mark mk, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn_mark(loader *L, vos_mark mk, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_at(L, VOS_DIAG_WARNING, mk.line, mk.col, fmt, ap);
    va_end(ap);
}

static char *dup_text(loader *L, const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (!p) {
        L->nomem = 1;
        return NULL;
    }
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

/* Names an element: "KPI 'mttr'", or "KPI 3" (1-based position) when its id is unusable. */
static void el_init(el *e, const char *kind, const vos_ynode *id, size_t index)
{
    char shown[VOS_YNODE_SHOW_MAX];
    if (id && id->kind == VOS_YNODE_SCALAR && !id->is_null) {
        vos_ynode_show(id, shown, sizeof shown);
        snprintf(e->pre, sizeof e->pre, "%s '%s': ", kind, shown);
        snprintf(e->in, sizeof e->in, " in %s '%s'", kind, shown);
    } else {
        snprintf(e->pre, sizeof e->pre, "%s %zu: ", kind, index + 1);
        snprintf(e->in, sizeof e->in, " in %s %zu", kind, index + 1);
    }
}

static void el_top(el *e)
{
    e->pre[0] = '\0';
    e->in[0] = '\0';
}

static int present(const vos_ynode *v)
{
    return v && !(v->kind == VOS_YNODE_SCALAR && v->is_null);
}

/* Sorts the values of `map` into vals[] by the NULL-terminated key list; reports keys that
 * are not in the list. */
static void take_fields(loader *L, const vos_ynode *map, const el *e, const char *const *keys,
                        const vos_ynode **vals)
{
    size_t nk = 0;
    while (keys[nk])
        vals[nk++] = NULL;
    for (size_t i = 0; i < map->n; i++) {
        const vos_ynode *k = map->items[2 * i];
        size_t j = 0;
        while (j < nk && !vos_ynode_is(k, keys[j]))
            j++;
        if (j < nk) {
            vals[j] = map->items[2 * i + 1];
            continue;
        }
        char allowed[FIELDS_MAX * 16] = "", shown[VOS_YNODE_SHOW_MAX];
        size_t used = 0;
        for (j = 0; j < nk && used < sizeof allowed; j++)
            used += (size_t)snprintf(allowed + used, sizeof allowed - used, "%s%s", j ? ", " : "",
                                     keys[j]);
        error_at(L, k, "unknown key '%s'%s (allowed: %s)", vos_ynode_show(k, shown, sizeof shown),
                 e->in, allowed);
    }
}

/* Whether a required field is there with a value; reports it when not. */
static int need(loader *L, const vos_ynode *map, const vos_ynode *v, const char *field, const el *e)
{
    if (!v) {
        error_at(L, map, "missing field '%s'%s", field, e->in);
        return 0;
    }
    if (!present(v)) {
        error_at(L, v, "%s%s has no value", e->pre, field);
        return 0;
    }
    return v->kind != VOS_YNODE_BAD;
}

/* --- scalar getters: each reports its own problem and returns 0 or -1 --- */

static int want_scalar(loader *L, const vos_ynode *v, const el *e, const char *field,
                       const char *expected)
{
    if (v->kind == VOS_YNODE_BAD) return -1;
    if (v->kind != VOS_YNODE_SCALAR) {
        error_at(L, v, "%s%s must be %s, not %s", e->pre, field, expected, vos_ynode_kind_name(v));
        return -1;
    }
    return 0;
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static int get_text(loader *L, const vos_ynode *v, const el *e, const char *field, size_t max_chars,
                    char **out)
{
    if (want_scalar(L, v, e, field, "text") < 0) return -1;
    if (memchr(v->text, '\0', v->len)) {
        error_at(L, v, "%s%s contains a NUL character", e->pre, field);
        return -1;
    }
    if (utf8_chars(v->text, v->len) > max_chars) {
        error_at(L, v, "%s%s is longer than %zu characters", e->pre, field, max_chars);
        return -1;
    }
    free(*out);
    *out = dup_text(L, v->text, v->len);
    return *out ? 0 : -1;
}

/* Element ids: [a-z][a-z0-9_]*, at most VOS_ID_MAX characters.  An id that breaks the rule
 * is reported and kept in printable form (see vos_ynode_show), so that later messages can
 * name the element. */
static int get_id(loader *L, const vos_ynode *v, const el *e, const char *kind, char **out)
{
    if (want_scalar(L, v, e, "id", "text") < 0) return -1;
    int ok = v->len > 0 && v->len <= VOS_ID_MAX && v->text[0] >= 'a' && v->text[0] <= 'z';
    for (size_t i = 0; ok && i < v->len; i++) {
        char c = v->text[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }
    if (!ok) {
        char shown[VOS_YNODE_SHOW_MAX];
        error_at(L, v,
                 "%s id '%s' must be a lowercase letter followed by lowercase letters, digits or "
                 "'_' (at most %d characters)",
                 kind, vos_ynode_show(v, shown, sizeof shown), VOS_ID_MAX);
        *out = dup_text(L, shown, strlen(shown)); /* printable, for later messages */
        return -1;
    }
    *out = dup_text(L, v->text, v->len);
    return *out ? 0 : -1;
}

/* A decimal number written in full: [+-]digits[.digits][e[+-]digits], finite. */
static int parse_decimal(const char *s, size_t len, double *out)
{
    size_t i = 0, digits = 0;
    if (i < len && (s[i] == '+' || s[i] == '-')) i++;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (!digits) return -1;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) i++;
        size_t exp_digits = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, exp_digits++;
        if (!exp_digits) return -1;
    }
    if (i != len || len >= SHORT_TEXT_MAX) return -1;
    char buf[SHORT_TEXT_MAX];
    memcpy(buf, s, len);
    buf[len] = '\0';
    double x = strtod(buf, NULL);
    if (!isfinite(x)) return -1;
    *out = x;
    return 0;
}

static int get_number(loader *L, const vos_ynode *v, const el *e, const char *field, double *out)
{
    if (want_scalar(L, v, e, field, "a number") < 0) return -1;
    if (parse_decimal(v->text, v->len, out) < 0) {
        char shown[VOS_YNODE_SHOW_MAX];
        error_at(L, v, "%s%s must be a number, not '%s'", e->pre, field,
                 vos_ynode_show(v, shown, sizeof shown));
        return -1;
    }
    return 0;
}

static int get_int(loader *L, const vos_ynode *v, const el *e, const char *field, int lo, int hi,
                   int *out)
{
    double x;
    if (get_number(L, v, e, field, &x) < 0) return -1;
    if (x != floor(x) || x < lo || x > hi) {
        error_at(L, v, "%s%s must be a whole number from %d to %d, not %g", e->pre, field, lo, hi,
                 x);
        return -1;
    }
    *out = (int)x;
    return 0;
}

/* One of the NULL-terminated `names`; *out is its position. */
static int get_enum(loader *L, const vos_ynode *v, const el *e, const char *field,
                    const char *const *names, int *out)
{
    if (want_scalar(L, v, e, field, "a name") < 0) return -1;
    char list[FIELDS_MAX * 16] = "";
    size_t used = 0;
    for (int i = 0; names[i]; i++) {
        if (vos_ynode_is(v, names[i])) {
            *out = i;
            return 0;
        }
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
    }
    char shown[VOS_YNODE_SHOW_MAX];
    error_at(L, v, "%s%s must be one of %s, not '%s'", e->pre, field, list,
             vos_ynode_show(v, shown, sizeof shown));
    return -1;
}

/* Unit text, parsed when the model currency is known.  Returns 0 when *unit is usable. */
static int get_unit(loader *L, const vos_ynode *v, const el *e, char **text, vos_unit *unit)
{
    if (get_text(L, v, e, "unit", VOS_NAME_MAX, text) < 0) return -1;
    if (!L->currency_ok) return -1;
    size_t off = 0;
    if (vos_unit_parse(unit, v->text, v->len, L->currency, &off) < 0) {
        vos_diags_add(L->diags, VOS_DIAG_ERROR, v->line, vos_ynode_col_at(v, off), "%sunit: %s",
                      e->pre, vos_error_last());
        return -1;
    }
    return 0;
}

/* Copies a short scalar for the quantity parser (which wants NUL-terminated text). */
static int short_copy(loader *L, const vos_ynode *v, const el *e, const char *field,
                      char buf[SHORT_TEXT_MAX])
{
    if (want_scalar(L, v, e, field, "text") < 0) return -1;
    if (v->len >= SHORT_TEXT_MAX || memchr(v->text, '\0', v->len)) {
        error_at(L, v, "%s%s is not a quantity", e->pre, field);
        return -1;
    }
    memcpy(buf, v->text, v->len);
    buf[v->len] = '\0';
    return 0;
}

/* A quantity such as "80%" or "6 months"; reports parse errors at their column. */
static int get_quantity(loader *L, const vos_ynode *v, const el *e, const char *field,
                        double *value, vos_unit *unit)
{
    char buf[SHORT_TEXT_MAX];
    if (short_copy(L, v, e, field, buf) < 0) return -1;
    size_t off = 0;
    if (vos_quantity_parse(value, unit, buf, L->currency, &off) < 0) {
        vos_diags_add(L->diags, VOS_DIAG_ERROR, v->line, vos_ynode_col_at(v, off), "%s%s: %s",
                      e->pre, field, vos_error_last());
        return -1;
    }
    return 0;
}

/* --- id indexes --- */

static int idref_cmp(const void *pa, const void *pb)
{
    const idref *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    if (c) return c;
    if (a->mark.line != b->mark.line) return a->mark.line < b->mark.line ? -1 : 1;
    return (a->mark.col > b->mark.col) - (a->mark.col < b->mark.col);
}

static void index_add(idindex *ix, const char *id, size_t index, const char *kind, vos_mark mk)
{
    if (id) ix->refs[ix->n++] = (idref){id, index, kind, mk};
}

/* Sorts an index filled by index_add and reports every id used more than once, at the
 * later use. */
static void index_finish(loader *L, idindex *ix)
{
    if (ix->n > 1) qsort(ix->refs, ix->n, sizeof *ix->refs, idref_cmp);
    for (size_t i = 1, first = 0; i < ix->n; i++) {
        if (strcmp(ix->refs[i].id, ix->refs[first].id) != 0) {
            first = i;
            continue;
        }
        const idref *a = &ix->refs[first], *b = &ix->refs[i];
        error_mark(L, b->mark, "duplicate id '%s' (first used by the %s at line %d)", b->id,
                   a->kind, a->mark.line);
    }
}

static int id_cmp_n(const char *id, const char *name, size_t len)
{
    size_t il = strlen(id), n = il < len ? il : len;
    int c = memcmp(id, name, n);
    if (c) return c;
    return (il > len) - (il < len);
}

/* The first element (in file order) with that id, or NULL. */
static const idref *index_find(const idindex *ix, const char *name, size_t len)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (id_cmp_n(ix->refs[mid].id, name, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->n && id_cmp_n(ix->refs[lo].id, name, len) == 0 ? &ix->refs[lo] : NULL;
}

static int index_alloc(loader *L, idindex *ix, size_t n)
{
    ix->refs = malloc((n ? n : 1) * sizeof *ix->refs);
    ix->n = 0;
    if (!ix->refs) L->nomem = 1;
    return ix->refs ? 0 : -1;
}

/* A list of references to elements of `ix` (e.g. an outcome's KPIs). */
static int get_refs(loader *L, const vos_ynode *v, const el *e, const char *field, const char *kind,
                    const idindex *ix, size_t **out, size_t *n_out)
{
    if (v->kind == VOS_YNODE_BAD) return -1;
    if (v->kind != VOS_YNODE_LIST) {
        error_at(L, v, "%s%s must be a list of %s ids, not %s", e->pre, field, kind,
                 vos_ynode_kind_name(v));
        return -1;
    }
    if (v->n > VOS_ELEMENTS_MAX) {
        error_at(L, v, "%s%s lists %zu ids; the limit is %d", e->pre, field, v->n,
                 VOS_ELEMENTS_MAX);
        return -1;
    }
    *out = malloc((v->n ? v->n : 1) * sizeof **out);
    if (!*out) {
        L->nomem = 1;
        return -1;
    }
    for (size_t i = 0; i < v->n; i++) {
        const vos_ynode *item = v->items[i];
        char shown[VOS_YNODE_SHOW_MAX];
        if (want_scalar(L, item, e, field, "a list of ids") < 0) continue;
        const idref *r = index_find(ix, item->text, item->len);
        if (!r) {
            error_at(L, item, "%sunknown %s '%s'", e->pre, kind,
                     vos_ynode_show(item, shown, sizeof shown));
            continue;
        }
        size_t j = 0;
        while (j < *n_out && (*out)[j] != r->index)
            j++;
        if (j < *n_out) {
            error_at(L, item, "%s%s '%s' is listed twice", e->pre, kind, r->id);
            continue;
        }
        (*out)[(*n_out)++] = r->index;
    }
    return 0;
}

/* A section that is a list of maps: NULL when absent or empty; reports other shapes. */
static const vos_ynode *section_list(loader *L, const vos_ynode *v, const char *field, size_t max)
{
    if (!present(v) || v->kind == VOS_YNODE_BAD) return NULL;
    if (v->kind != VOS_YNODE_LIST) {
        error_at(L, v, "%s must be a list, not %s", field, vos_ynode_kind_name(v));
        return NULL;
    }
    if (v->n > max) {
        error_at(L, v, "too many %s (%zu; the limit is %zu)", field, v->n, max);
        return NULL;
    }
    return v;
}

/* Whether list item `v` is a map; reports it when not. */
static int item_is_map(loader *L, const vos_ynode *v, const char *kind, const char *example)
{
    if (v->kind == VOS_YNODE_MAP) return 1;
    if (v->kind != VOS_YNODE_BAD)
        error_at(L, v, "each %s must be a map such as %s, not %s", kind, example,
                 vos_ynode_kind_name(v));
    return 0;
}

static void *alloc_array(loader *L, size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) L->nomem = 1;
    return p;
}

/* --- the header: model, version, name, description, currency, horizon, discount_rate --- */

static void get_model_id(loader *L, const vos_ynode *v, const el *e)
{
    if (want_scalar(L, v, e, "model", "an id") < 0) return;
    int ok = v->len > 0 && v->len <= VOS_ID_MAX;
    for (size_t i = 0; ok && i < v->len; i++) {
        char c = v->text[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        ok = alnum || (i > 0 && (c == '.' || c == '_' || c == '-'));
    }
    if (!ok) {
        char shown[VOS_YNODE_SHOW_MAX];
        error_at(L, v,
                 "model id '%s' must be lowercase letters, digits, '.', '_' or '-', starting with "
                 "a letter or digit (at most %d characters)",
                 vos_ynode_show(v, shown, sizeof shown), VOS_ID_MAX);
        return;
    }
    L->m->id = dup_text(L, v->text, v->len);
}

/* Semantic version 2.0.0: MAJOR.MINOR.PATCH without leading zeros, then optional
 * -prerelease and +build identifiers ([0-9A-Za-z-]+ separated by dots). */
static int is_semver(const char *s, size_t len)
{
    size_t i = 0;
    for (int part = 0; part < 3; part++) {
        size_t start = i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == start || (s[start] == '0' && i - start > 1)) return 0;
        if (part < 2 && (i >= len || s[i++] != '.')) return 0;
    }
    for (int tail = 0; tail < 2 && i < len; tail++) {
        if (s[i] != (tail == 0 ? '-' : '+')) continue;
        do {
            size_t start = ++i;
            while (i < len && ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
                               (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-'))
                i++;
            if (i == start) return 0;
        } while (i < len && s[i] == '.');
    }
    return i == len;
}

static void get_version(loader *L, const vos_ynode *v, const el *e)
{
    if (want_scalar(L, v, e, "version", "text") < 0) return;
    if (!is_semver(v->text, v->len) || v->len > VOS_ID_MAX) {
        char shown[VOS_YNODE_SHOW_MAX];
        error_at(L, v, "version '%s' must be a semantic version MAJOR.MINOR.PATCH, e.g. 1.2.0",
                 vos_ynode_show(v, shown, sizeof shown));
        return;
    }
    L->m->version = dup_text(L, v->text, v->len);
}

static void get_currency(loader *L, const vos_ynode *v, const el *e)
{
    if (want_scalar(L, v, e, "currency", "text") < 0) return;
    int ok = v->len == 3;
    for (size_t i = 0; ok && i < 3; i++)
        ok = v->text[i] >= 'A' && v->text[i] <= 'Z';
    if (!ok) {
        char shown[VOS_YNODE_SHOW_MAX];
        error_at(L, v, "currency '%s' must be an ISO 4217 code of 3 capital letters, e.g. USD",
                 vos_ynode_show(v, shown, sizeof shown));
        return;
    }
    L->m->currency = dup_text(L, v->text, v->len);
    if (L->m->currency) {
        L->currency = L->m->currency;
        L->currency_ok = 1;
    }
}

static void get_horizon(loader *L, const vos_ynode *v)
{
    static const char *const keys[] = {"years", "period", NULL};
    const vos_ynode *f[FIELDS_MAX];
    el e;
    snprintf(e.pre, sizeof e.pre, "horizon: ");
    snprintf(e.in, sizeof e.in, " in horizon");
    if (v->kind != VOS_YNODE_MAP) {
        if (v->kind != VOS_YNODE_BAD)
            error_at(L, v, "horizon must be a map such as {years: 3, period: month}, not %s",
                     vos_ynode_kind_name(v));
        return;
    }
    take_fields(L, v, &e, keys, f);
    int years = 0, period = VOS_PERIOD_MONTH, ok = 1;
    if (!need(L, v, f[0], "years", &e) ||
        get_int(L, f[0], &e, "years", 1, VOS_HORIZON_YEARS_MAX, &years) < 0)
        ok = 0;
    if (present(f[1]) && get_enum(L, f[1], &e, "period", PERIOD_NAMES, &period) < 0) ok = 0;
    vos_model *m = L->m;
    m->period = (vos_period)period;
    if (!ok) return;
    m->horizon_years = years;
    m->periods = period == VOS_PERIOD_MONTH ? years * MONTHS_PER_YEAR : years;
    L->months = years * MONTHS_PER_YEAR;
}

/* Splits "10%/year" at its last '/' into a dimensionless rate and a time unit; returns the
 * rate per year, compounding a rate per other time: (1 + r)^(year / unit) - 1. */
static int parse_rate(loader *L, const vos_ynode *v, const el *e, double *out)
{
    double r;
    if (want_scalar(L, v, e, "discount_rate", "a rate") < 0) return -1;
    if (parse_decimal(v->text, v->len, &r) == 0) {
        *out = r;
        return 0;
    }
    char buf[SHORT_TEXT_MAX];
    if (short_copy(L, v, e, "discount_rate", buf) < 0) return -1;
    char *slash = strrchr(buf, '/');
    double minutes = MINUTES_PER_YEAR;
    if (slash) {
        vos_unit tu;
        size_t off = 0, at = (size_t)(slash + 1 - buf);
        if (vos_unit_parse(&tu, slash + 1, strlen(slash + 1), L->currency, &off) < 0) {
            vos_diags_add(L->diags, VOS_DIAG_ERROR, v->line, vos_ynode_col_at(v, at + off),
                          "discount_rate: %s", vos_error_last());
            return -1;
        }
        if (tu.currency != 0 || tu.time != 1) {
            error_at(L, v, "discount_rate must be a rate per time unit, e.g. 10%%/year");
            return -1;
        }
        minutes = (double)tu.num / (double)tu.den;
        *slash = '\0';
    }
    vos_unit u;
    size_t off = 0;
    if (vos_quantity_parse(&r, &u, buf, L->currency, &off) < 0) {
        vos_diags_add(L->diags, VOS_DIAG_ERROR, v->line, vos_ynode_col_at(v, off),
                      "discount_rate: %s", vos_error_last());
        return -1;
    }
    if (u.currency != 0 || u.time != 0) {
        error_at(L, v, "discount_rate must be a percentage per year, e.g. 10%%/year");
        return -1;
    }
    r = r * (double)u.num / (double)u.den;
    if (minutes != MINUTES_PER_YEAR && r > -1) r = pow(1 + r, MINUTES_PER_YEAR / minutes) - 1;
    *out = r;
    return 0;
}

static void get_discount_rate(loader *L, const vos_ynode *v, const el *e)
{
    double r;
    if (parse_rate(L, v, e, &r) < 0) return;
    if (!(r >= 0 && r < 1)) {
        error_at(L, v,
                 "discount_rate must be at least 0 and below 100%%/year (%g%%/year); a plain "
                 "number is a fraction: 0.1 is 10%%",
                 r * 100);
        return;
    }
    L->m->discount_rate = r;
}

enum {
    T_MODEL,
    T_VERSION,
    T_NAME,
    T_DESC,
    T_CURRENCY,
    T_HORIZON,
    T_RATE,
    T_CAPABILITIES,
    T_OUTCOMES,
    T_KPIS,
    T_INPUTS,
    T_DRIVERS,
    T_COSTS
};
static const char *const TOP_KEYS[] = {
    "model",        "version",  "name", "description", "currency", "horizon", "discount_rate",
    "capabilities", "outcomes", "kpis", "inputs",      "drivers",  "costs",   NULL};

static void load_header(loader *L, const vos_ynode *root, const vos_ynode **f)
{
    el e;
    el_top(&e);
    vos_model *m = L->m;
    if (need(L, root, f[T_MODEL], "model", &e)) get_model_id(L, f[T_MODEL], &e);
    if (need(L, root, f[T_VERSION], "version", &e)) get_version(L, f[T_VERSION], &e);
    if (present(f[T_NAME])) get_text(L, f[T_NAME], &e, "name", VOS_NAME_MAX, &m->name);
    if (!m->name && m->id) m->name = dup_text(L, m->id, strlen(m->id));
    if (present(f[T_DESC]))
        get_text(L, f[T_DESC], &e, "description", VOS_TEXT_MAX, &m->description);
    if (need(L, root, f[T_CURRENCY], "currency", &e)) get_currency(L, f[T_CURRENCY], &e);
    if (need(L, root, f[T_HORIZON], "horizon", &e)) get_horizon(L, f[T_HORIZON]);
    if (need(L, root, f[T_RATE], "discount_rate", &e)) get_discount_rate(L, f[T_RATE], &e);
    int64_t minutes = m->period == VOS_PERIOD_YEAR ? MINUTES_PER_YEAR : MINUTES_PER_MONTH;
    m->period_unit = vos_unit_make(0, 1, minutes);
    L->per_period = vos_unit_make(1, -1, minutes);
    L->money = vos_unit_make(1, 0, 1);
}

/* --- KPIs, outcomes, capabilities --- */

enum { K_ID, K_NAME, K_DESC, K_UNIT, K_BETTER };
static const char *const KPI_KEYS[] = {"id", "name", "description", "unit", "better", NULL};

static void load_kpi(loader *L, const vos_ynode *map, size_t index)
{
    const vos_ynode *f[FIELDS_MAX];
    el e;
    el_init(&e, "KPI", vos_ynode_get(map, "id"), index);
    take_fields(L, map, &e, KPI_KEYS, f);
    size_t k_ix = L->m->n_kpis++;
    vos_kpi *k = &L->m->kpis[k_ix];
    k->mark = mark_of(map);
    if (need(L, map, f[K_ID], "id", &e)) get_id(L, f[K_ID], &e, "KPI", &k->id);
    if (need(L, map, f[K_NAME], "name", &e))
        get_text(L, f[K_NAME], &e, "name", VOS_NAME_MAX, &k->name);
    if (present(f[K_DESC]))
        get_text(L, f[K_DESC], &e, "description", VOS_TEXT_MAX, &k->description);
    if (need(L, map, f[K_UNIT], "unit", &e))
        L->kpi_unit_ok[k_ix] = get_unit(L, f[K_UNIT], &e, &k->unit_text, &k->unit) == 0;
    int better = 0;
    if (need(L, map, f[K_BETTER], "better", &e) &&
        get_enum(L, f[K_BETTER], &e, "better", BETTER_NAMES, &better) == 0)
        k->better = (vos_better)better;
}

static void load_kpis(loader *L, const vos_ynode *v)
{
    const vos_ynode *list = section_list(L, v, "kpis", VOS_ELEMENTS_MAX);
    size_t n = list ? list->n : 0;
    L->m->kpis = alloc_array(L, n, sizeof *L->m->kpis);
    L->kpi_unit_ok = alloc_array(L, n, 1);
    if (index_alloc(L, &L->kpi_ix, n) < 0 || L->nomem) return;
    for (size_t i = 0; i < n; i++)
        if (item_is_map(L, list->items[i], "KPI", "{id: mttr, name: ..., unit: h, better: lower}"))
            load_kpi(L, list->items[i], i);
    for (size_t i = 0; i < L->m->n_kpis; i++)
        index_add(&L->kpi_ix, L->m->kpis[i].id, i, "KPI", L->m->kpis[i].mark);
    index_finish(L, &L->kpi_ix);
}

enum { O_ID, O_NAME, O_DESC, O_KPIS };
static const char *const OUTCOME_KEYS[] = {"id", "name", "description", "kpis", NULL};

static void load_outcome(loader *L, const vos_ynode *map, size_t index)
{
    const vos_ynode *f[FIELDS_MAX];
    el e;
    el_init(&e, "outcome", vos_ynode_get(map, "id"), index);
    take_fields(L, map, &e, OUTCOME_KEYS, f);
    vos_outcome *o = &L->m->outcomes[L->m->n_outcomes++];
    o->mark = mark_of(map);
    if (need(L, map, f[O_ID], "id", &e)) get_id(L, f[O_ID], &e, "outcome", &o->id);
    if (need(L, map, f[O_NAME], "name", &e))
        get_text(L, f[O_NAME], &e, "name", VOS_NAME_MAX, &o->name);
    if (present(f[O_DESC]))
        get_text(L, f[O_DESC], &e, "description", VOS_TEXT_MAX, &o->description);
    if (!f[O_KPIS] || !present(f[O_KPIS])) {
        need(L, map, f[O_KPIS], "kpis", &e);
        return;
    }
    if (get_refs(L, f[O_KPIS], &e, "kpis", "KPI", &L->kpi_ix, &o->kpis, &o->n_kpis) == 0 &&
        f[O_KPIS]->n == 0)
        warn_mark(L, mark_of(f[O_KPIS]), "%slists no KPIs: nothing can show it was achieved",
                  e.pre);
}

static void load_outcomes(loader *L, const vos_ynode *v)
{
    const vos_ynode *list = section_list(L, v, "outcomes", VOS_ELEMENTS_MAX);
    size_t n = list ? list->n : 0;
    L->m->outcomes = alloc_array(L, n, sizeof *L->m->outcomes);
    if (index_alloc(L, &L->outcome_ix, n) < 0 || L->nomem) return;
    for (size_t i = 0; i < n; i++)
        if (item_is_map(L, list->items[i], "outcome", "{id: ..., name: ..., kpis: [...]}"))
            load_outcome(L, list->items[i], i);
    for (size_t i = 0; i < L->m->n_outcomes; i++)
        index_add(&L->outcome_ix, L->m->outcomes[i].id, i, "outcome", L->m->outcomes[i].mark);
    index_finish(L, &L->outcome_ix);
}

enum { C_ID, C_NAME, C_DESC, C_OUTCOMES };
static const char *const CAPABILITY_KEYS[] = {"id", "name", "description", "outcomes", NULL};

static void load_capability(loader *L, const vos_ynode *map, size_t index)
{
    const vos_ynode *f[FIELDS_MAX];
    el e;
    el_init(&e, "capability", vos_ynode_get(map, "id"), index);
    take_fields(L, map, &e, CAPABILITY_KEYS, f);
    vos_capability *c = &L->m->capabilities[L->m->n_capabilities++];
    c->mark = mark_of(map);
    if (need(L, map, f[C_ID], "id", &e)) get_id(L, f[C_ID], &e, "capability", &c->id);
    if (need(L, map, f[C_NAME], "name", &e))
        get_text(L, f[C_NAME], &e, "name", VOS_NAME_MAX, &c->name);
    if (present(f[C_DESC]))
        get_text(L, f[C_DESC], &e, "description", VOS_TEXT_MAX, &c->description);
    if (!f[C_OUTCOMES] || !present(f[C_OUTCOMES])) {
        need(L, map, f[C_OUTCOMES], "outcomes", &e);
        return;
    }
    if (get_refs(L, f[C_OUTCOMES], &e, "outcomes", "outcome", &L->outcome_ix, &c->outcomes,
                 &c->n_outcomes) == 0 &&
        f[C_OUTCOMES]->n == 0)
        warn_mark(L, mark_of(f[C_OUTCOMES]), "%slists no outcomes: it creates no value", e.pre);
}

static void load_capabilities(loader *L, const vos_ynode *v)
{
    const vos_ynode *list = section_list(L, v, "capabilities", VOS_ELEMENTS_MAX);
    size_t n = list ? list->n : 0;
    idindex ix = {NULL, 0};
    L->m->capabilities = alloc_array(L, n, sizeof *L->m->capabilities);
    if (index_alloc(L, &ix, n) < 0 || L->nomem) goto out;
    for (size_t i = 0; i < n; i++)
        if (item_is_map(L, list->items[i], "capability", "{id: ..., name: ..., outcomes: [...]}"))
            load_capability(L, list->items[i], i);
    for (size_t i = 0; i < L->m->n_capabilities; i++)
        index_add(&ix, L->m->capabilities[i].id, i, "capability", L->m->capabilities[i].mark);
    index_finish(L, &ix);
out:
    free(ix.refs);
}

/* --- inputs --- */

enum { I_VALUE, I_LOW, I_HIGH, I_UNIT, I_DIST, I_SD, I_EVIDENCE, I_CONFIDENCE, I_NAME, I_DESC };
static const char *const INPUT_KEYS[] = {"value", "low",         "high",     "unit",
                                         "dist",  "sd",          "evidence", "confidence",
                                         "name",  "description", NULL};

/* The numbers of an input as read (has_* = 0 when absent or broken). */
typedef struct input_numbers {
    double value, low, high, sd;
    int has_low, has_high, has_sd, has_kind, broken;
    vos_dist_kind kind;
} input_numbers;

static void read_input_numbers(loader *L, const vos_ynode *map, const vos_ynode **f, const el *e,
                               input_numbers *x)
{
    memset(x, 0, sizeof *x);
    if (!need(L, map, f[I_VALUE], "value", e) ||
        get_number(L, f[I_VALUE], e, "value", &x->value) < 0)
        x->broken = 1;
    struct {
        int k;
        const char *name;
        double *out;
        int *has;
    } opt[] = {{I_LOW, "low", &x->low, &x->has_low},
               {I_HIGH, "high", &x->high, &x->has_high},
               {I_SD, "sd", &x->sd, &x->has_sd}};
    for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++) {
        if (!present(f[opt[i].k])) continue;
        if (get_number(L, f[opt[i].k], e, opt[i].name, opt[i].out) < 0)
            x->broken = 1;
        else
            *opt[i].has = 1;
    }
    if (!present(f[I_DIST])) return;
    int kind = 0;
    if (get_enum(L, f[I_DIST], e, "dist", DIST_NAMES, &kind) < 0 ||
        vos_dist_kind_parse(&x->kind, DIST_NAMES[kind]) < 0)
        x->broken = 1;
    else
        x->has_kind = 1;
}

/* Checks the rules of ranges and distributions, then prepares in->dist. */
static void input_dist(loader *L, vos_input *in, const vos_ynode *map, const vos_ynode **f,
                       const el *e, const input_numbers *x)
{
    int range = x->has_low && x->has_high;
    vos_dist_kind kind = x->has_kind ? x->kind : range ? VOS_DIST_PERT : VOS_DIST_FIXED;
    int normal = kind == VOS_DIST_NORMAL || kind == VOS_DIST_LOGNORMAL;
    size_t errors = L->diags->n_errors;
    if (x->has_low != x->has_high)
        error_at(L, f[x->has_low ? I_LOW : I_HIGH], "%sgive both low and high, or neither", e->pre);
    else if (kind == VOS_DIST_FIXED && range)
        error_at(L, f[I_DIST], "%sa fixed input has no range; use dist: pert or drop low/high",
                 e->pre);
    else if (!normal && !range && kind != VOS_DIST_FIXED)
        error_at(L, f[I_DIST], "%sdist: %s needs low and high", e->pre, vos_dist_kind_name(kind));
    else if (normal && !range && !x->has_sd)
        error_at(L, f[I_DIST], "%sdist: %s needs sd, or low and high (read as P10 and P90)", e->pre,
                 vos_dist_kind_name(kind));
    if (x->has_sd && !normal)
        error_at(L, f[I_SD], "%ssd applies only to dist: normal or lognormal", e->pre);
    else if (x->has_sd && !(x->sd > 0))
        error_at(L, f[I_SD], "%ssd must be positive", e->pre);
    if (range && x->low > x->value)
        error_at(L, f[I_LOW], "%slow (%g) must not be above value (%g)", e->pre, x->low, x->value);
    if (range && x->high < x->value)
        error_at(L, f[I_HIGH], "%shigh (%g) must not be below value (%g)", e->pre, x->high,
                 x->value);
    if (L->diags->n_errors != errors || x->broken) return;
    double low = range ? x->low : x->value, high = range ? x->high : x->value;
    if (vos_dist_init(&in->dist, kind, low, x->value, high, x->has_sd ? x->sd : 0) < 0) {
        error_at(L, map, "%s%s", e->pre, vos_error_last());
        return;
    }
    if (normal && !range) {
        in->dist.low = vos_dist_quantile(&in->dist, RANGE_P_LOW);
        in->dist.high = vos_dist_quantile(&in->dist, RANGE_P_HIGH);
    }
    in->has_range = kind != VOS_DIST_FIXED;
}

static void load_input(loader *L, const vos_ynode *key, const vos_ynode *map, size_t index)
{
    const vos_ynode *f[FIELDS_MAX];
    el e;
    el_init(&e, "input", key, index);
    size_t i_ix = L->m->n_inputs++;
    vos_input *in = &L->m->inputs[i_ix];
    in->mark = mark_of(key);
    get_id(L, key, &e, "input", &in->id);
    if (map->kind != VOS_YNODE_MAP) {
        L->input_bad[i_ix] = 1;
        if (map->kind != VOS_YNODE_BAD)
            error_at(L, map, "%smust be a map such as {value: 12000, unit: 1/month}, not %s", e.pre,
                     vos_ynode_kind_name(map));
        return;
    }
    take_fields(L, map, &e, INPUT_KEYS, f);
    if (present(f[I_NAME])) get_text(L, f[I_NAME], &e, "name", VOS_NAME_MAX, &in->name);
    if (!in->name && in->id) in->name = dup_text(L, in->id, strlen(in->id));
    if (present(f[I_DESC]))
        get_text(L, f[I_DESC], &e, "description", VOS_TEXT_MAX, &in->description);
    if (present(f[I_EVIDENCE]))
        get_text(L, f[I_EVIDENCE], &e, "evidence", VOS_TEXT_MAX, &in->evidence);
    int conf = 0;
    if (present(f[I_CONFIDENCE]) &&
        get_enum(L, f[I_CONFIDENCE], &e, "confidence", CONFIDENCE_NAMES, &conf) == 0)
        in->confidence = (vos_confidence)(conf + 1);
    if (present(f[I_UNIT])) {
        L->input_unit_ok[i_ix] = get_unit(L, f[I_UNIT], &e, &in->unit_text, &in->unit) == 0;
    } else {
        in->unit_text = dup_text(L, "1", 1);
        in->unit = vos_unit_one();
        L->input_unit_ok[i_ix] = 1;
    }
    input_numbers x;
    read_input_numbers(L, map, f, &e, &x);
    input_dist(L, in, map, f, &e, &x);
}

static void load_inputs(loader *L, const vos_ynode *v)
{
    size_t n = 0;
    if (present(v) && v->kind != VOS_YNODE_BAD) {
        if (v->kind != VOS_YNODE_MAP)
            error_at(L, v,
                     "inputs must be a map from input id to its definition, e.g. "
                     "tickets: {value: 12000, unit: 1/month}; not %s",
                     vos_ynode_kind_name(v));
        else if (v->n > VOS_INPUTS_MAX)
            error_at(L, v, "too many inputs (%zu; the limit is %d)", v->n, VOS_INPUTS_MAX);
        else
            n = v->n;
    }
    L->m->inputs = alloc_array(L, n, sizeof *L->m->inputs);
    L->input_unit_ok = alloc_array(L, n, 1);
    L->input_read = alloc_array(L, n, 1);
    L->input_bad = alloc_array(L, n, 1);
    if (L->nomem) return;
    for (size_t i = 0; i < n; i++)
        load_input(L, v->items[2 * i], v->items[2 * i + 1], i);
}

/* --- drivers and costs (formulas are compiled later) --- */

/* ramp: none | {linear: DURATION} | {scurve: DURATION}; DURATION is a time quantity or a
 * number of months, rounded to whole months. */
static void get_ramp(loader *L, const vos_ynode *v, const el *e, vos_driver *d)
{
    static const char shape[] = "none, {linear: DURATION} or {scurve: DURATION}";
    if (v->kind == VOS_YNODE_BAD || vos_ynode_is(v, "none")) return;
    if (v->kind != VOS_YNODE_MAP || v->n != 1 ||
        !(vos_ynode_is(v->items[0], "linear") || vos_ynode_is(v->items[0], "scurve"))) {
        error_at(L, v, "%sramp must be %s, e.g. {linear: 6 months}", e->pre, shape);
        return;
    }
    vos_ramp_kind kind = vos_ynode_is(v->items[0], "linear") ? VOS_RAMP_LINEAR : VOS_RAMP_SCURVE;
    const vos_ynode *dur = v->items[1];
    double months;
    if (want_scalar(L, dur, e, "ramp", "a duration") < 0) return;
    if (parse_decimal(dur->text, dur->len, &months) < 0) {
        vos_unit u, month = vos_unit_make(0, 1, MINUTES_PER_MONTH);
        if (get_quantity(L, dur, e, "ramp", &months, &u) < 0) return;
        if (u.currency != 0 || u.time != 1) {
            error_at(L, dur, "%sramp must last a time, e.g. 6 months", e->pre);
            return;
        }
        vos_unit_convert(&months, &u, &month, L->currency);
    }
    int max = L->months ? L->months : VOS_PERIODS_MAX;
    double whole = floor(months + 0.5);
    if (!(whole >= 1 && whole <= max)) {
        error_at(L, dur, "%sramp must last from 1 to %d months (the horizon), not %g months",
                 e->pre, max, months);
        return;
    }
    d->ramp = kind;
    d->ramp_months = (int)whole;
}

/* A share in (0, 1]: a fraction (0.8) or a percentage (80%). */
static void get_realization(loader *L, const vos_ynode *v, const el *e, double *out)
{
    double x;
    if (want_scalar(L, v, e, "realization", "a fraction or a percentage") < 0) return;
    if (parse_decimal(v->text, v->len, &x) < 0) {
        vos_unit u, one = vos_unit_one();
        char buf[SHORT_TEXT_MAX];
        size_t off;
        if (v->len >= SHORT_TEXT_MAX || memchr(v->text, '\0', v->len))
            x = NAN;
        else {
            memcpy(buf, v->text, v->len);
            buf[v->len] = '\0';
            if (vos_quantity_parse(&x, &u, buf, L->currency, &off) < 0 ||
                vos_unit_convert(&x, &u, &one, L->currency) < 0)
                x = NAN;
        }
    }
    if (!(x > 0 && x <= 1)) {
        error_at(L, v,
                 "%srealization must be a fraction (0.8) or a percentage (80%%) above 0 "
                 "and at most 100%%",
                 e->pre);
        return;
    }
    *out = x;
}

enum {
    D_ID,
    D_NAME,
    D_DESC,
    D_LEVER,
    D_OUTCOME,
    D_FORMULA,
    D_REALIZED,
    D_RAMP,
    D_REALIZATION,
    D_START
};
static const char *const DRIVER_KEYS[] = {"id",          "name",    "description", "lever",
                                          "outcome",     "formula", "realized",    "ramp",
                                          "realization", "start",   NULL};

static void load_driver(loader *L, const vos_ynode *map, size_t index)
{
    const vos_ynode *f[FIELDS_MAX];
    el e;
    el_init(&e, "driver", vos_ynode_get(map, "id"), index);
    take_fields(L, map, &e, DRIVER_KEYS, f);
    size_t d_ix = L->m->n_drivers++;
    vos_driver *d = &L->m->drivers[d_ix];
    d->mark = mark_of(map);
    d->outcome = SIZE_MAX;
    d->realization = 1;
    d->start_month = 1;
    if (need(L, map, f[D_ID], "id", &e)) get_id(L, f[D_ID], &e, "driver", &d->id);
    if (present(f[D_NAME])) get_text(L, f[D_NAME], &e, "name", VOS_NAME_MAX, &d->name);
    if (!d->name && d->id) d->name = dup_text(L, d->id, strlen(d->id));
    if (present(f[D_DESC]))
        get_text(L, f[D_DESC], &e, "description", VOS_TEXT_MAX, &d->description);
    int lever = 0;
    if (need(L, map, f[D_LEVER], "lever", &e) &&
        get_enum(L, f[D_LEVER], &e, "lever", LEVER_NAMES, &lever) == 0)
        d->lever = (vos_lever)lever;
    if (present(f[D_OUTCOME]) && want_scalar(L, f[D_OUTCOME], &e, "outcome", "an id") == 0) {
        const idref *r = index_find(&L->outcome_ix, f[D_OUTCOME]->text, f[D_OUTCOME]->len);
        char shown[VOS_YNODE_SHOW_MAX];
        if (r)
            d->outcome = r->index;
        else
            error_at(L, f[D_OUTCOME], "%sunknown outcome '%s'", e.pre,
                     vos_ynode_show(f[D_OUTCOME], shown, sizeof shown));
    }
    if (need(L, map, f[D_FORMULA], "formula", &e)) L->drv_formula[d_ix] = f[D_FORMULA];
    if (present(f[D_REALIZED])) L->drv_realized[d_ix] = f[D_REALIZED];
    if (present(f[D_RAMP])) get_ramp(L, f[D_RAMP], &e, d);
    if (present(f[D_REALIZATION])) get_realization(L, f[D_REALIZATION], &e, &d->realization);
    int max = L->months ? L->months : VOS_PERIODS_MAX;
    if (present(f[D_START])) get_int(L, f[D_START], &e, "start", 1, max, &d->start_month);
}

static void load_drivers(loader *L, const vos_ynode *v)
{
    const vos_ynode *list = section_list(L, v, "drivers", VOS_DRIVERS_MAX);
    size_t n = list ? list->n : 0;
    L->m->drivers = alloc_array(L, n, sizeof *L->m->drivers);
    L->drv_formula = alloc_array(L, n, sizeof *L->drv_formula);
    L->drv_realized = alloc_array(L, n, sizeof *L->drv_realized);
    L->reads = alloc_array(L, n, sizeof *L->reads);
    L->n_reads = alloc_array(L, n, sizeof *L->n_reads);
    if (L->nomem) return;
    for (size_t i = 0; i < n; i++)
        if (item_is_map(L, list->items[i], "driver", "{id: ..., lever: cost, formula: ...}"))
            load_driver(L, list->items[i], i);
}

enum { S_ID, S_NAME, S_DESC, S_FORMULA, S_ONCE, S_AT, S_START };
static const char *const COST_KEYS[] = {"id",   "name", "description", "formula",
                                        "once", "at",   "start",       NULL};

static void load_cost(loader *L, const vos_ynode *map, size_t index)
{
    const vos_ynode *f[FIELDS_MAX];
    el e;
    el_init(&e, "cost", vos_ynode_get(map, "id"), index);
    take_fields(L, map, &e, COST_KEYS, f);
    size_t c_ix = L->m->n_costs++;
    vos_cost *c = &L->m->costs[c_ix];
    c->mark = mark_of(map);
    c->start_month = 1;
    if (need(L, map, f[S_ID], "id", &e)) get_id(L, f[S_ID], &e, "cost", &c->id);
    if (present(f[S_NAME])) get_text(L, f[S_NAME], &e, "name", VOS_NAME_MAX, &c->name);
    if (!c->name && c->id) c->name = dup_text(L, c->id, strlen(c->id));
    if (present(f[S_DESC]))
        get_text(L, f[S_DESC], &e, "description", VOS_TEXT_MAX, &c->description);
    int has_formula = present(f[S_FORMULA]), has_once = present(f[S_ONCE]);
    if (has_formula && has_once) {
        error_at(L, f[S_ONCE],
                 "%sgive either formula (a recurring cost) or once (a one-time "
                 "cost), not both",
                 e.pre);
        return;
    }
    if (!has_formula && !has_once) {
        error_at(L, map, "%sneeds formula (a recurring cost) or once (a one-time cost)", e.pre);
        return;
    }
    c->once = has_once;
    L->cost_formula[c_ix] = has_once ? f[S_ONCE] : f[S_FORMULA];
    int max_months = L->months ? L->months : VOS_PERIODS_MAX;
    int max_periods = L->months ? L->m->periods : VOS_PERIODS_MAX;
    if (present(f[S_AT]) && !has_once)
        error_at(L, f[S_AT], "%sat applies only to one-time costs (once)", e.pre);
    else if (present(f[S_AT]))
        get_int(L, f[S_AT], &e, "at", 0, max_periods, &c->at_period);
    if (present(f[S_START]) && has_once)
        error_at(L, f[S_START],
                 "%sstart applies only to recurring costs (formula); a one-time "
                 "cost is paid in period 'at'",
                 e.pre);
    else if (present(f[S_START]))
        get_int(L, f[S_START], &e, "start", 1, max_months, &c->start_month);
}

static void load_costs(loader *L, const vos_ynode *v)
{
    const vos_ynode *list = section_list(L, v, "costs", VOS_COSTS_MAX);
    size_t n = list ? list->n : 0;
    idindex ix = {NULL, 0};
    L->m->costs = alloc_array(L, n, sizeof *L->m->costs);
    L->cost_formula = alloc_array(L, n, sizeof *L->cost_formula);
    if (index_alloc(L, &ix, n) < 0 || L->nomem) goto out;
    for (size_t i = 0; i < n; i++)
        if (item_is_map(L, list->items[i], "cost", "{id: ..., formula: 1000 USD/month}"))
            load_cost(L, list->items[i], i);
    for (size_t i = 0; i < L->m->n_costs; i++)
        index_add(&ix, L->m->costs[i].id, i, "cost", L->m->costs[i].mark);
    index_finish(L, &ix);
out:
    free(ix.refs);
}

/* --- formulas --- */

typedef struct resolver {
    loader *L;
    int allow_kpi; /* realized formulas may read KPIs */
    int tainted;   /* a symbol with a broken unit was read: its errors are not the formula's */
} resolver;

static int resolve(void *ctx, vos_sym_kind kind, const char *name, size_t len, uint32_t *slot,
                   vos_unit *unit)
{
    resolver *r = ctx;
    loader *L = r->L;
    const vos_model *m = L->m;
    int shown = len > VOS_ID_MAX ? VOS_ID_MAX : (int)len;
    if (kind != VOS_SYM_NAME) {
        if (!r->allow_kpi)
            return vos_error_set(VOS_EINVALID, "KPI accessors (baseline, actual, target) are "
                                               "only allowed in realized formulas");
        const idref *k = index_find(&L->kpi_ix, name, len);
        if (!k) return vos_error_set(VOS_EINVALID, "unknown KPI '%.*s'", shown, name);
        r->tainted |= !L->kpi_unit_ok[k->index];
        *slot = vos_model_kpi_slot(m, k->index, kind);
        *unit = L->kpi_unit_ok[k->index] ? m->kpis[k->index].unit : vos_unit_one();
        return 0;
    }
    const idref *s = index_find(&L->symbols, name, len);
    if (!s) {
        if (index_find(&L->kpi_ix, name, len))
            return vos_error_set(VOS_EINVALID,
                                 "'%.*s' is a KPI: a realized formula reads it as baseline(%.*s), "
                                 "actual(%.*s) or target(%.*s)",
                                 shown, name, shown, name, shown, name, shown, name);
        return VOS_ENOTFOUND;
    }
    *slot = (uint32_t)s->index;
    if (s->index < m->n_inputs) {
        r->tainted |= !L->input_unit_ok[s->index];
        *unit = L->input_unit_ok[s->index] ? m->inputs[s->index].unit : vos_unit_one();
    } else {
        *unit = L->per_period;
    }
    return 0;
}

/* Compiles one formula scalar; reports errors at the column of the offending token. */
static void compile(loader *L, const vos_ynode *v, const el *e, const char *field,
                    const vos_unit *target, int allow_kpi, vos_formula **out)
{
    if (v->kind == VOS_YNODE_BAD) {
        L->formulas_ok = 0;
        return;
    }
    if (v->kind != VOS_YNODE_SCALAR) {
        error_at(L, v, "%s%s must be a formula (text), not %s", e->pre, field,
                 vos_ynode_kind_name(v));
        L->formulas_ok = 0;
        return;
    }
    resolver r = {L, allow_kpi, 0};
    vos_symtab syms = {resolve, &r, L->m->currency};
    vos_formula_error fe;
    memset(&fe, 0, sizeof fe);
    int rc = vos_formula_compile(out, v->text, v->len, &syms, target, &fe);
    if (rc == 0) return;
    *out = NULL;
    L->formulas_ok = 0;
    if (rc == VOS_ENOMEM) {
        L->nomem = 1;
        return;
    }
    if (!r.tainted)
        vos_diags_add(L->diags, VOS_DIAG_ERROR, v->line, vos_ynode_col_at(v, fe.offset), "%s%s: %s",
                      e->pre, field, fe.msg);
}

/* Marks the inputs a formula reads and returns how many of its slots are drivers'. */
static void note_reads(loader *L, const vos_formula *fm, size_t d, size_t *stamp)
{
    const uint32_t *slots;
    size_t n = fm ? vos_formula_deps(fm, &slots) : 0;
    const vos_model *m = L->m;
    for (size_t i = 0; i < n; i++) {
        size_t s = slots[i];
        if (s < m->n_inputs) {
            L->input_read[s] = 1;
        } else if (d != NO_INDEX && s < m->n_inputs + m->n_drivers) {
            size_t e = s - m->n_inputs;
            if (stamp[e] == d + 1) continue;
            stamp[e] = d + 1;
            L->reads[d][L->n_reads[d]++] = e;
        }
    }
}

static void compile_formulas(loader *L)
{
    vos_model *m = L->m;
    size_t *stamp = alloc_array(L, m->n_drivers, sizeof *stamp);
    if (!stamp) return;
    for (size_t d = 0; d < m->n_drivers; d++) {
        vos_driver *dr = &m->drivers[d];
        el e;
        el_init(&e, "driver", NULL, d);
        if (dr->id) snprintf(e.pre, sizeof e.pre, "driver '%s': ", dr->id);
        if (L->drv_formula[d])
            compile(L, L->drv_formula[d], &e, "formula", &L->per_period, 0, &dr->formula);
        if (L->drv_realized[d])
            compile(L, L->drv_realized[d], &e, "realized", &L->per_period, 1, &dr->realized);
        L->reads[d] = alloc_array(L, m->n_drivers, sizeof **L->reads);
        if (!L->reads[d]) break;
        note_reads(L, dr->formula, d, stamp);
        note_reads(L, dr->realized, d, stamp);
    }
    for (size_t c = 0; c < m->n_costs && !L->nomem; c++) {
        vos_cost *co = &m->costs[c];
        el e;
        el_init(&e, "cost", NULL, c);
        if (co->id) snprintf(e.pre, sizeof e.pre, "cost '%s': ", co->id);
        if (!L->cost_formula[c]) continue;
        compile(L, L->cost_formula[c], &e, co->once ? "once" : "formula",
                co->once ? &L->money : &L->per_period, 0, &co->formula);
        note_reads(L, co->formula, NO_INDEX, stamp);
    }
    free(stamp);
}

/* --- the driver graph: cycles and evaluation order --- */

/* Strongly connected components (Tarjan, without recursion).  comp[d] gets a component
 * number; returns the number of components or -1. */
static long driver_components(loader *L, size_t *comp)
{
    size_t n = L->m->n_drivers, counter = 0, sp = 0, cp = 0;
    long ncomp = 0;
    size_t *num = alloc_array(L, n, sizeof *num), *low = alloc_array(L, n, sizeof *low);
    size_t *stack = alloc_array(L, n, sizeof *stack), *call = alloc_array(L, n, sizeof *call);
    size_t *edge = alloc_array(L, n, sizeof *edge);
    unsigned char *on = alloc_array(L, n, 1);
    if (L->nomem) {
        ncomp = -1;
        goto out;
    }
    for (size_t s = 0; s < n; s++) {
        if (num[s]) continue;
        num[s] = low[s] = ++counter;
        stack[sp++] = s;
        on[s] = 1;
        call[cp++] = s;
        edge[s] = 0;
        while (cp) {
            size_t v = call[cp - 1];
            if (edge[v] < L->n_reads[v]) {
                size_t w = L->reads[v][edge[v]++];
                if (!num[w]) {
                    num[w] = low[w] = ++counter;
                    stack[sp++] = w;
                    on[w] = 1;
                    call[cp++] = w;
                    edge[w] = 0;
                } else if (on[w] && num[w] < low[v]) {
                    low[v] = num[w];
                }
                continue;
            }
            cp--;
            if (low[v] == num[v]) {
                size_t w;
                do {
                    w = stack[--sp];
                    on[w] = 0;
                    comp[w] = (size_t)ncomp;
                } while (w != v);
                ncomp++;
            }
            if (cp && low[v] < low[call[cp - 1]]) low[call[cp - 1]] = low[v];
        }
    }
out:
    free(num);
    free(low);
    free(stack);
    free(call);
    free(edge);
    free(on);
    return ncomp;
}

/* Reports the shortest cycle through driver s inside its component, as
 * "cycle among drivers: s -> ... -> s" at s. */
static void report_cycle(loader *L, size_t s, const size_t *comp, size_t *parent, size_t *queue)
{
    const vos_model *m = L->m;
    size_t n = m->n_drivers, head = 0, tail = 0, last = NO_INDEX;
    for (size_t i = 0; i < n; i++)
        parent[i] = NO_INDEX;
    queue[tail++] = s;
    while (head < tail && last == NO_INDEX) {
        size_t u = queue[head++];
        for (size_t i = 0; i < L->n_reads[u]; i++) {
            size_t w = L->reads[u][i];
            if (comp[w] != comp[s]) continue;
            if (w == s) {
                last = u;
                break;
            }
            if (parent[w] == NO_INDEX) {
                parent[w] = u;
                queue[tail++] = w;
            }
        }
    }
    size_t len = 0;
    for (size_t u = last; u != s && u != NO_INDEX; u = parent[u])
        queue[len++] = u; /* reversed path, s excluded */
    char msg[VOS_DIAG_MSG_MAX];
    int used = snprintf(msg, sizeof msg, "cycle among drivers: %s", m->drivers[s].id);
    for (size_t i = len; i-- > 0 && used > 0 && (size_t)used < sizeof msg;)
        used += snprintf(msg + used, sizeof msg - (size_t)used, " -> %s", m->drivers[queue[i]].id);
    if (used > 0 && (size_t)used < sizeof msg)
        snprintf(msg + used, sizeof msg - (size_t)used, " -> %s", m->drivers[s].id);
    error_mark(L, m->drivers[s].mark, "%s", msg);
}

/* Topological order, stable: the earliest driver (in file order) whose reads are all
 * placed goes next.  users[] lists, for each driver, the drivers that read it. */
static void order_drivers(loader *L)
{
    vos_model *m = L->m;
    size_t n = m->n_drivers, edges = 0;
    for (size_t d = 0; d < n; d++)
        edges += L->n_reads[d];
    size_t *pending = alloc_array(L, n, sizeof *pending);
    size_t *first = alloc_array(L, n + 1, sizeof *first);
    size_t *users = alloc_array(L, edges, sizeof *users);
    unsigned char *done = alloc_array(L, n, 1);
    m->driver_order = alloc_array(L, n, sizeof *m->driver_order);
    if (L->nomem) goto out;
    for (size_t d = 0; d < n; d++)
        for (size_t i = 0; i < L->n_reads[d]; i++)
            first[L->reads[d][i] + 1]++;
    for (size_t d = 0; d < n; d++)
        first[d + 1] += first[d];
    for (size_t d = 0; d < n; d++) /* pending[e] counts the users of e placed so far */
        for (size_t i = 0; i < L->n_reads[d]; i++) {
            size_t e = L->reads[d][i];
            users[first[e] + pending[e]++] = d;
        }
    for (size_t d = 0; d < n; d++)
        pending[d] = L->n_reads[d];
    for (size_t k = 0; k < n; k++) {
        size_t d = 0;
        while (d < n && (done[d] || pending[d]))
            d++;
        if (d == n) break; /* cannot happen without a cycle */
        done[d] = 1;
        m->driver_order[k] = d;
        for (size_t i = first[d]; i < first[d + 1]; i++)
            pending[users[i]]--;
    }
out:
    free(pending);
    free(first);
    free(users);
    free(done);
}

static void check_driver_graph(loader *L)
{
    size_t n = L->m->n_drivers;
    size_t *comp = alloc_array(L, n, sizeof *comp), *size = alloc_array(L, n, sizeof *size);
    size_t *parent = alloc_array(L, n, sizeof *parent), *queue = alloc_array(L, n, sizeof *queue);
    unsigned char *seen = alloc_array(L, n, 1);
    int cycles = 0;
    if (L->nomem || driver_components(L, comp) < 0) goto out;
    for (size_t d = 0; d < n; d++)
        size[comp[d]]++;
    for (size_t d = 0; d < n; d++) {
        int self = 0;
        for (size_t i = 0; i < L->n_reads[d]; i++)
            self |= L->reads[d][i] == d;
        if (seen[comp[d]] || (size[comp[d]] < 2 && !self)) continue;
        seen[comp[d]] = 1; /* d is the component's first driver in file order */
        report_cycle(L, d, comp, parent, queue);
        cycles++;
    }
    if (!cycles) order_drivers(L);
out:
    free(comp);
    free(size);
    free(parent);
    free(queue);
    free(seen);
}

/* --- policy warnings --- */

static void policy_warnings(loader *L)
{
    const vos_model *m = L->m;
    for (size_t i = 0; i < m->n_inputs; i++) {
        const vos_input *in = &m->inputs[i];
        if (!in->id || L->input_bad[i]) continue;
        if (!in->evidence)
            warn_mark(L, in->mark, "input '%s' has no evidence: say where the value comes from",
                      in->id);
        if (!L->formulas_ok) continue;
        if (!L->input_read[i])
            warn_mark(L, in->mark, "input '%s' is not read by any formula (unused input)", in->id);
        else if (!in->has_range && in->confidence != VOS_CONFIDENCE_HIGH)
            warn_mark(L, in->mark,
                      "input '%s' has no range: the conservative scenario cannot move it (give "
                      "low and high, or confidence: high)",
                      in->id);
    }
    for (size_t d = 0; d < m->n_drivers; d++) {
        const vos_driver *dr = &m->drivers[d];
        if (!dr->id) continue;
        if (dr->realization == 1)
            warn_mark(L, dr->mark,
                      "driver '%s' has no realization haircut: not all value is realized in "
                      "practice (e.g. realization: 80%%)",
                      dr->id);
        if (dr->outcome == SIZE_MAX)
            warn_mark(L, dr->mark,
                      "driver '%s' names no outcome: its value is not tied to a "
                      "measurable result",
                      dr->id);
    }
    unsigned char *used = alloc_array(L, m->n_outcomes + m->n_kpis, 1);
    if (!used) return;
    for (size_t c = 0; c < m->n_capabilities; c++)
        for (size_t i = 0; i < m->capabilities[c].n_outcomes; i++)
            used[m->capabilities[c].outcomes[i]] = 1;
    for (size_t o = 0; o < m->n_outcomes; o++)
        for (size_t i = 0; i < m->outcomes[o].n_kpis; i++)
            used[m->n_outcomes + m->outcomes[o].kpis[i]] = 1;
    for (size_t o = 0; o < m->n_outcomes; o++)
        if (!used[o] && m->outcomes[o].id)
            warn_mark(L, m->outcomes[o].mark, "outcome '%s' is listed by no capability",
                      m->outcomes[o].id);
    for (size_t k = 0; k < m->n_kpis; k++)
        if (!used[m->n_outcomes + k] && m->kpis[k].id)
            warn_mark(L, m->kpis[k].mark, "KPI '%s' belongs to no outcome", m->kpis[k].id);
    free(used);
}

/* --- the whole load --- */

static void build_symbols(loader *L)
{
    vos_model *m = L->m;
    if (index_alloc(L, &L->symbols, m->n_inputs + m->n_drivers) < 0) return;
    for (size_t i = 0; i < m->n_inputs; i++)
        index_add(&L->symbols, m->inputs[i].id, i, "input", m->inputs[i].mark);
    for (size_t d = 0; d < m->n_drivers; d++)
        index_add(&L->symbols, m->drivers[d].id, m->n_inputs + d, "driver", m->drivers[d].mark);
    index_finish(L, &L->symbols);
}

static void loader_free(loader *L)
{
    free(L->kpi_unit_ok);
    free(L->input_unit_ok);
    free(L->drv_formula);
    free(L->drv_realized);
    free(L->cost_formula);
    free(L->kpi_ix.refs);
    free(L->outcome_ix.refs);
    free(L->symbols.refs);
    free(L->input_read);
    free(L->input_bad);
    for (size_t d = 0; L->reads && d < L->m->n_drivers; d++)
        free(L->reads[d]);
    free(L->reads);
    free(L->n_reads);
}

static void load_tree(loader *L, const vos_ynode *root)
{
    if (root->kind != VOS_YNODE_MAP) {
        error_at(L, root,
                 "a model file must be a map with model, version, currency, horizon, "
                 "discount_rate, inputs, drivers, ...; not %s",
                 vos_ynode_kind_name(root));
        return;
    }
    const vos_ynode *f[FIELDS_MAX];
    el e;
    el_top(&e);
    take_fields(L, root, &e, TOP_KEYS, f);
    load_header(L, root, f);
    load_kpis(L, f[T_KPIS]);
    load_outcomes(L, f[T_OUTCOMES]);
    load_capabilities(L, f[T_CAPABILITIES]);
    load_inputs(L, f[T_INPUTS]);
    load_drivers(L, f[T_DRIVERS]);
    load_costs(L, f[T_COSTS]);
    if (L->nomem) return;
    L->m->n_slots = L->m->n_inputs + L->m->n_drivers + 3 * L->m->n_kpis;
    build_symbols(L);
    L->formulas_ok = L->currency_ok;
    if (L->currency_ok && !L->nomem) compile_formulas(L);
    if (L->currency_ok && !L->nomem) check_driver_graph(L);
    if (!L->nomem) policy_warnings(L);
}

int vos_model_load(vos_model **out, const char *text, size_t len, const char *filename,
                   vos_diags *diags)
{
    (void)filename; /* diagnostics carry line and column; the caller names the file */
    *out = NULL;
    if (len > VOS_MODEL_BYTES_MAX) {
        vos_diags_add(diags, VOS_DIAG_ERROR, 0, 0, "larger than the limit of %d bytes",
                      VOS_MODEL_BYTES_MAX);
        return vos_error_set(VOS_ETOOLARGE, "model larger than the limit of %d bytes",
                             VOS_MODEL_BYTES_MAX);
    }
    size_t errors0 = diags->n_errors;
    vos_ytree *tree = NULL;
    int rc = vos_ytree_parse(&tree, text, len, diags);
    if (rc < 0) return rc == VOS_ENOMEM ? rc : vos_error_set(VOS_EINVALID, "the model has errors");
    loader L;
    memset(&L, 0, sizeof L);
    L.diags = diags;
    L.errors0 = errors0;
    L.currency = "XXX";
    L.m = calloc(1, sizeof *L.m);
    if (!L.m) {
        vos_ytree_free(tree);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    L.m->refs = 1;
    load_tree(&L, vos_ytree_root(tree));
    loader_free(&L);
    vos_ytree_free(tree);
    if (L.nomem) {
        vos_diags_add(diags, VOS_DIAG_ERROR, 0, 0, "out of memory");
        vos_model_free(L.m);
        return vos_error_set(VOS_ENOMEM, "out of memory loading the model");
    }
    if (diags->n_errors != L.errors0) {
        vos_model_free(L.m);
        return vos_error_set(VOS_EINVALID, "the model has %zu errors", diags->n_errors - L.errors0);
    }
    *out = L.m;
    return 0;
}
