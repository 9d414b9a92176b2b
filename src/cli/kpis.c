/* The KPI file of `vos case commit --kpis FILE`: YAML (or JSON), read with libyaml's document
 * loader.  Shape (docs/cli.md):
 *
 *   - kpi: mttr
 *     baseline: {value: 8, date: 2026-01-15}
 *     target: {value: 5, date: 2027-01-15}
 *     trajectory: linear          # linear | s_curve | step (default linear)
 *     milestones:                 # step only: by each date the KPI is to reach its value
 *       - {date: 2026-07-15, value: 7}
 *     tolerance: 10%              # or 0.1; default: the organisation's
 *     owner: jane@example.com     # a user's email, optional
 *     data_source: ServiceNow     # optional
 *     unit: h                     # optional
 *
 * The list may also be the value of a top-level `kpis:` key.  Values are plain numbers in the
 * KPI's unit.  The file is read here rather than by the model loader because only libvos's
 * public headers are open to the command line. */
#include "cli.h"

#include "vos/app.h"
#include "vos/diag.h"
#include "vos/error.h"
#include "vos/realization.h"
#include "vos/unit.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define KPIS_MAX 200 /* KPIs in one commitment file */

typedef struct reader {
    yaml_document_t *doc;
    vos_diags *diags;
    int bad;
} reader;

#define LINE(n) ((int)(n)->start_mark.line + 1)
#define COL(n) ((int)(n)->start_mark.column + 1)

static void problem(reader *r, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(reader *r, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[VOS_DIAG_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    vos_diags_add(r->diags, VOS_DIAG_ERROR, n ? LINE(n) : 0, n ? COL(n) : 0, "%s", msg);
    r->bad = 1;
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *map_get(reader *r, yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const char *k = scalar(yaml_document_get_node(r->doc, p->key));
        if (k && strcmp(k, key) == 0) return yaml_document_get_node(r->doc, p->value);
    }
    return NULL;
}

/* Checks that every key of `map` is one of `allowed` (a NULL-terminated list). */
static void check_keys(reader *r, yaml_node_t *map, const char *where, const char *const *allowed,
                       const char *allowed_text)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *kn = yaml_document_get_node(r->doc, p->key);
        const char *k = scalar(kn);
        int ok = 0;
        for (size_t i = 0; k && allowed[i]; i++)
            ok |= strcmp(k, allowed[i]) == 0;
        if (!ok) {
            problem(r, kn, "%s: unknown key '%s' (%s)", where, k ? k : "?", allowed_text);
        }
    }
}

/* A copy of a text field (NULL when absent). */
static char *text_field(reader *r, yaml_node_t *map, const char *key, const char *where,
                        int required)
{
    yaml_node_t *n = map_get(r, map, key);
    const char *s = scalar(n);
    if (!n && required)
        problem(r, map, "%s: needs %s", where, key);
    else if (n && !s)
        problem(r, n, "%s: %s must be text", where, key);
    if (!s || !*s) return NULL;
    char *copy = strdup(s);
    if (!copy) problem(r, n, "%s: out of memory", where);
    return copy;
}

static int parse_number(double *out, const char *s)
{
    char *end;
    errno = 0;
    double v = s ? strtod(s, &end) : NAN;
    if (!s || !*s || *end || errno || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

/* baseline / target: {value: NUMBER, date: YYYY-MM-DD}. */
static void point(reader *r, yaml_node_t *kpi, const char *key, const char *where, double *value,
                  char **date)
{
    char ctx[VOS_DIAG_MSG_MAX];
    snprintf(ctx, sizeof ctx, "%s: %s", where, key);
    yaml_node_t *n = map_get(r, kpi, key);
    if (!n) {
        problem(r, kpi, "%s: needs %s: {value: NUMBER, date: YYYY-MM-DD}", where, key);
        return;
    }
    if (n->type != YAML_MAPPING_NODE) {
        problem(r, n, "%s must be a map {value: NUMBER, date: YYYY-MM-DD}", ctx);
        return;
    }
    static const char *const keys[] = {"value", "date", NULL};
    check_keys(r, n, ctx, keys, "value, date");
    yaml_node_t *v = map_get(r, n, "value");
    if (!v)
        problem(r, n, "%s: needs value", ctx);
    else if (parse_number(value, scalar(v)) < 0)
        problem(r, v, "%s: value must be a number in the KPI's unit, not '%s'", ctx,
                scalar(v) ? scalar(v) : "a list or map");
    *date = text_field(r, n, "date", ctx, 1);
}

/* tolerance: a fraction (0.1) or a percentage ("10%"). */
static void tolerance(reader *r, yaml_node_t *kpi, const char *where, double *out)
{
    yaml_node_t *n = map_get(r, kpi, "tolerance");
    *out = 0; /* the organisation's default */
    if (!n) return;
    const char *s = scalar(n);
    double v;
    vos_unit u, pct;
    size_t len = s ? strlen(s) : 0;
    if (len && s[len - 1] == '%' && vos_quantity_parse(&v, &u, s, "USD", NULL) == 0 &&
        vos_unit_parse(&pct, "%", 1, "USD", NULL) == 0 && vos_unit_equal(&u, &pct) && isfinite(v)) {
        *out = v / 100;
    } else if (parse_number(&v, s) == 0) {
        *out = v;
    } else {
        problem(r, n,
                "%s: tolerance must be a percentage such as 10%% or a fraction such as "
                "0.1, not '%s'",
                where, s ? s : "a list or map");
        return;
    }
    if (!(*out > 0 && *out <= 1))
        problem(r, n, "%s: tolerance must be more than 0%% and at most 100%%, not '%s'", where, s);
}

/* milestones: a list of {date: YYYY-MM-DD, value: NUMBER} (the app checks their order and
 * range against the KPI's baseline and target).  OUT: *ms (items allocated here). */
static void milestones(reader *r, yaml_node_t *kpi, const char *where, vos_kpi_milestones *ms)
{
    yaml_node_t *n = map_get(r, kpi, "milestones");
    ms->items = NULL;
    ms->n = 0;
    if (!n) return;
    if (n->type != YAML_SEQUENCE_NODE) {
        problem(r, n, "%s: milestones must be a list of {date: YYYY-MM-DD, value: NUMBER}", where);
        return;
    }
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (count > VOS_MILESTONES_MAX) {
        problem(r, n, "%s: more than %d milestones", where, VOS_MILESTONES_MAX);
        return;
    }
    vos_kpi_milestone *items = calloc(count + 1, sizeof *items);
    if (!items) {
        problem(r, n, "%s: out of memory", where);
        return;
    }
    ms->items = items;
    ms->n = count;
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *m = yaml_document_get_node(r->doc, n->data.sequence.items.start[i]);
        char ctx[VOS_DIAG_MSG_MAX];
        snprintf(ctx, sizeof ctx, "%s: milestone %zu", where, i + 1);
        items[i].value = NAN;
        if (m->type != YAML_MAPPING_NODE) {
            problem(r, m, "%s must be a map {date: YYYY-MM-DD, value: NUMBER}", ctx);
            continue;
        }
        static const char *const keys[] = {"date", "value", NULL};
        check_keys(r, m, ctx, keys, "date, value");
        items[i].date = text_field(r, m, "date", ctx, 1);
        yaml_node_t *v = map_get(r, m, "value");
        if (!v)
            problem(r, m, "%s: needs value", ctx);
        else if (parse_number(&items[i].value, scalar(v)) < 0)
            problem(r, v, "%s: value must be a number in the KPI's unit, not '%s'", ctx,
                    scalar(v) ? scalar(v) : "a list or map");
    }
}

static void one_kpi(reader *r, yaml_node_t *n, size_t index, vos_kpi_commitment *row, char **owner,
                    vos_kpi_milestones *ms)
{
    char where[VOS_ID_MAX + 32];
    const char *id = n->type == YAML_MAPPING_NODE ? scalar(map_get(r, n, "kpi")) : NULL;
    if (id)
        snprintf(where, sizeof where, "kpi '%.*s'", VOS_ID_MAX, id);
    else
        snprintf(where, sizeof where, "KPI %zu", index + 1);
    if (n->type != YAML_MAPPING_NODE) {
        problem(r, n, "%s must be a map with kpi, baseline, target, ...", where);
        return;
    }
    static const char *const keys[] = {"kpi",       "baseline", "target",      "trajectory",
                                       "milestones", "tolerance", "owner",     "data_source",
                                       "unit",       NULL};
    check_keys(r, n, where, keys,
               "kpi, baseline, target, trajectory, milestones, tolerance, owner, data_source, "
               "unit");
    row->kpi_key = text_field(r, n, "kpi", where, 1);
    row->unit = text_field(r, n, "unit", where, 0);
    row->data_source = text_field(r, n, "data_source", where, 0);
    *owner = text_field(r, n, "owner", where, 0);
    point(r, n, "baseline", where, &row->baseline_value, &row->baseline_date);
    point(r, n, "target", where, &row->target_value, &row->target_date);
    tolerance(r, n, where, &row->tolerance);
    yaml_node_t *t = map_get(r, n, "trajectory");
    row->trajectory = VOS_TRAJECTORY_LINEAR;
    if (t && vos_trajectory_parse(&row->trajectory, scalar(t) ? scalar(t) : "") < 0)
        problem(r, t, "%s: trajectory must be linear, s_curve or step, not '%s'", where,
                scalar(t) ? scalar(t) : "a list or map");
    milestones(r, n, where, ms);
}

/* The list of KPIs: the root, or the root's `kpis:`. */
static yaml_node_t *kpi_list(reader *r)
{
    yaml_node_t *root = yaml_document_get_root_node(r->doc);
    if (!root) {
        problem(r, NULL, "the file is empty: it should list the KPIs to commit to");
        return NULL;
    }
    if (root->type == YAML_MAPPING_NODE && map_get(r, root, "kpis")) {
        static const char *const keys[] = {"kpis", NULL};
        check_keys(r, root, "the file", keys, "kpis");
        root = map_get(r, root, "kpis");
    }
    if (root->type != YAML_SEQUENCE_NODE) {
        problem(r, root, "the file must be a list of KPIs (- kpi: ID ...)");
        return NULL;
    }
    return root;
}

void cli_kpis_free(vos_kpi_commitment *rows, char **owners, vos_kpi_milestones *ms, size_t n)
{
    for (size_t i = 0; owners && i < n; i++)
        free(owners[i]);
    free(owners);
    for (size_t i = 0; ms && i < n; i++) {
        for (size_t k = 0; k < ms[i].n; k++)
            free((char *)ms[i].items[k].date);
        free((vos_kpi_milestone *)ms[i].items);
    }
    free(ms);
    vos_commitment_kpi_rows_free(rows, n);
}

static int load_rows(reader *r, vos_kpi_commitment **out, char ***owners, vos_kpi_milestones **ms,
                     size_t *n)
{
    yaml_node_t *list = kpi_list(r);
    if (!list) return VOS_EINVALID;
    size_t count = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (count > KPIS_MAX) {
        problem(r, list, "more than %d KPIs", KPIS_MAX);
        return VOS_ETOOLARGE;
    }
    *out = calloc(count + 1, sizeof **out);
    *owners = calloc(count + 1, sizeof **owners);
    *ms = calloc(count + 1, sizeof **ms);
    if (!*out || !*owners || !*ms) return vos_error_set(VOS_ENOMEM, "out of memory reading KPIs");
    *n = count;
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *item = yaml_document_get_node(r->doc, list->data.sequence.items.start[i]);
        one_kpi(r, item, i, &(*out)[i], &(*owners)[i], &(*ms)[i]);
    }
    return r->bad ? VOS_EINVALID : 0;
}

int cli_kpis_load(vos_kpi_commitment **out, char ***owners, vos_kpi_milestones **ms, size_t *n,
                  const char *text, size_t len, vos_diags *diags)
{
    *out = NULL;
    *owners = NULL;
    *ms = NULL;
    *n = 0;
    yaml_parser_t p;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&p)) return vos_error_set(VOS_ENOMEM, "out of memory reading KPIs");
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    if (!yaml_parser_load(&p, &doc)) {
        vos_diags_add(diags, VOS_DIAG_ERROR, (int)p.problem_mark.line + 1,
                      (int)p.problem_mark.column + 1, "YAML syntax: %s",
                      p.problem ? p.problem : "malformed");
        yaml_parser_delete(&p);
        return vos_error_set(VOS_EINVALID, "the KPI file is not valid YAML");
    }
    reader r = {&doc, diags, 0};
    int rc = load_rows(&r, out, owners, ms, n);
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
    if (rc < 0) {
        cli_kpis_free(*out, *owners, *ms, *n);
        *out = NULL;
        *owners = NULL;
        *ms = NULL;
        *n = 0;
        if (rc != VOS_ENOMEM) vos_error_set(rc, "the KPI file has errors");
    }
    return rc;
}
