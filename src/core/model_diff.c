/* Differences between two models and between the figures of two cases. */
#include "vos/model_diff.h"

#include "vos/error.h"
#include "vos/number.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUM_TEXT 32     /* bytes of a number in its shortest form */
#define SUMMARY_MAX 512 /* bytes of the summary of an added or removed element */
#define LIST_MAX 4096   /* bytes of a list of ids ("mttr, triage_effort") */
#define CHANGES_START 8 /* first allocation of a list of changes (a power of two) */

void vos_changes_free(vos_changes *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) {
        vos_change *x = &c->items[i];
        free(x->element);
        free(x->id);
        free(x->field);
        free(x->before);
        free(x->after);
    }
    free(c->items);
    c->items = NULL;
    c->n = 0;
}

static char *dup_or_null(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Appends one change (copying every text).  The array grows by doubling. */
static int add(vos_changes *out, const char *element, const char *id, const char *field,
               const char *before, const char *after, double bv, double av)
{
    size_t n = out->n;
    if (n == 0 || (n >= CHANGES_START && (n & (n - 1)) == 0)) { /* the array is full */
        size_t cap = n ? 2 * n : CHANGES_START;
        vos_change *items = realloc(out->items, cap * sizeof *items);
        if (!items) return vos_error_set(VOS_ENOMEM, "out of memory");
        out->items = items;
    }
    vos_change *x = &out->items[n];
    *x = (vos_change){dup_or_null(element),
                      dup_or_null(id),
                      dup_or_null(field),
                      dup_or_null(before),
                      dup_or_null(after),
                      bv,
                      av};
    out->n = n + 1;
    if (!x->element || !x->id || !x->field || (before && !x->before) || (after && !x->after))
        return vos_error_set(VOS_ENOMEM, "out of memory");
    return 0;
}

static int add_text(vos_changes *out, const char *element, const char *id, const char *field,
                    const char *before, const char *after)
{
    return add(out, element, id, field, before, after, NAN, NAN);
}

/* ---- fields --------------------------------------------------------------------------------- */

static const char *or_none(const char *s)
{
    return s ? s : "none";
}

/* A change when the texts differ (NULL is "none"). */
static int text_field(vos_changes *out, const char *element, const char *id, const char *field,
                      const char *a, const char *b)
{
    if (strcmp(or_none(a), or_none(b)) == 0) return 0;
    return add_text(out, element, id, field, or_none(a), or_none(b));
}

static void num_text(char buf[NUM_TEXT], double x)
{
    if (isfinite(x))
        vos_num_shortest(buf, NUM_TEXT, x);
    else
        snprintf(buf, NUM_TEXT, "n/a");
}

/* A change when the numbers differ (exactly; NAN equals NAN). */
static int num_field(vos_changes *out, const char *element, const char *id, const char *field,
                     double a, double b)
{
    if (a == b || (isnan(a) && isnan(b))) return 0;
    char ta[NUM_TEXT], tb[NUM_TEXT];
    num_text(ta, a);
    num_text(tb, b);
    return add_text(out, element, id, field, ta, tb);
}

static int int_field(vos_changes *out, const char *element, const char *id, const char *field,
                     long a, long b)
{
    if (a == b) return 0;
    char ta[NUM_TEXT], tb[NUM_TEXT];
    snprintf(ta, sizeof ta, "%ld", a);
    snprintf(tb, sizeof tb, "%ld", b);
    return add_text(out, element, id, field, ta, tb);
}

static void fmt(char *buf, size_t size, const char *f, ...) __attribute__((format(printf, 3, 4)));
static void fmt(char *buf, size_t size, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, size, f, ap);
    va_end(ap);
}

/* ---- the model's own fields ------------------------------------------------------------------ */

static const char *period_name(vos_period p)
{
    return p == VOS_PERIOD_YEAR ? "year" : "month";
}

static int model_fields(vos_changes *out, const vos_model *a, const vos_model *b)
{
    const char *id = b->id;
    char ha[NUM_TEXT], hb[NUM_TEXT];
    fmt(ha, sizeof ha, "%d years", a->horizon_years);
    fmt(hb, sizeof hb, "%d years", b->horizon_years);
    int rc = text_field(out, "model", id, "name", a->name, b->name);
    if (rc == 0) rc = text_field(out, "model", id, "description", a->description, b->description);
    if (rc == 0) rc = text_field(out, "model", id, "currency", a->currency, b->currency);
    if (rc == 0) rc = text_field(out, "model", id, "horizon", ha, hb);
    if (rc == 0)
        rc = text_field(out, "model", id, "period", period_name(a->period), period_name(b->period));
    if (rc == 0)
        rc = num_field(out, "model", id, "discount_rate", a->discount_rate, b->discount_rate);
    return rc;
}

/* ---- inputs --------------------------------------------------------------------------------- */

static void input_summary(char *buf, size_t size, const vos_input *in)
{
    char v[NUM_TEXT], lo[NUM_TEXT], hi[NUM_TEXT];
    num_text(v, in->dist.likely);
    num_text(lo, in->dist.low);
    num_text(hi, in->dist.high);
    if (in->has_range)
        fmt(buf, size, "%s %s (%s, %s..%s)", v, in->unit_text, vos_dist_kind_name(in->dist.kind),
            lo, hi);
    else
        fmt(buf, size, "%s %s", v, in->unit_text);
}

static bool has_sd(vos_dist_kind k)
{
    return k == VOS_DIST_NORMAL || k == VOS_DIST_LOGNORMAL;
}

static int input_fields(vos_changes *out, const vos_input *a, const vos_input *b)
{
    const char *e = "input", *id = a->id;
    int rc = text_field(out, e, id, "name", a->name, b->name);
    if (rc == 0) rc = text_field(out, e, id, "description", a->description, b->description);
    if (rc == 0) rc = num_field(out, e, id, "value", a->dist.likely, b->dist.likely);
    if (rc == 0) rc = num_field(out, e, id, "low", a->dist.low, b->dist.low);
    if (rc == 0) rc = num_field(out, e, id, "high", a->dist.high, b->dist.high);
    if (rc == 0) rc = text_field(out, e, id, "unit", a->unit_text, b->unit_text);
    if (rc == 0)
        rc = text_field(out, e, id, "dist", vos_dist_kind_name(a->dist.kind),
                        vos_dist_kind_name(b->dist.kind));
    if (rc == 0 && (has_sd(a->dist.kind) || has_sd(b->dist.kind)))
        rc = num_field(out, e, id, "sd", a->dist.sd, b->dist.sd);
    if (rc == 0) rc = text_field(out, e, id, "evidence", a->evidence, b->evidence);
    if (rc == 0) {
        const char *ca = vos_confidence_name(a->confidence);
        const char *cb = vos_confidence_name(b->confidence);
        rc = text_field(out, e, id, "confidence", *ca ? ca : NULL, *cb ? cb : NULL);
    }
    return rc;
}

static int inputs(vos_changes *out, const vos_model *a, const vos_model *b)
{
    char sum[SUMMARY_MAX];
    int rc = 0;
    for (size_t i = 0; i < a->n_inputs && rc == 0; i++) {
        long j = vos_model_find_input(b, a->inputs[i].id);
        if (j < 0) {
            input_summary(sum, sizeof sum, &a->inputs[i]);
            rc = add_text(out, "input", a->inputs[i].id, "removed", sum, NULL);
        } else {
            rc = input_fields(out, &a->inputs[i], &b->inputs[j]);
        }
    }
    for (size_t j = 0; j < b->n_inputs && rc == 0; j++)
        if (vos_model_find_input(a, b->inputs[j].id) < 0) {
            input_summary(sum, sizeof sum, &b->inputs[j]);
            rc = add_text(out, "input", b->inputs[j].id, "added", NULL, sum);
        }
    return rc;
}

/* ---- drivers -------------------------------------------------------------------------------- */

static const char *outcome_id(const vos_model *m, size_t o)
{
    return o < m->n_outcomes ? m->outcomes[o].id : NULL;
}

static void ramp_text(char *buf, size_t size, const vos_driver *d)
{
    if (d->ramp == VOS_RAMP_NONE)
        fmt(buf, size, "none");
    else
        fmt(buf, size, "%s %d months", d->ramp == VOS_RAMP_LINEAR ? "linear" : "scurve",
            d->ramp_months);
}

static const char *formula_text(const vos_formula *f)
{
    return f ? vos_formula_source(f) : NULL;
}

static int driver_fields(vos_changes *out, const vos_model *ma, const vos_driver *a,
                         const vos_model *mb, const vos_driver *b)
{
    const char *e = "driver", *id = a->id;
    char ra[SUMMARY_MAX / 4], rb[SUMMARY_MAX / 4];
    ramp_text(ra, sizeof ra, a);
    ramp_text(rb, sizeof rb, b);
    int rc = text_field(out, e, id, "name", a->name, b->name);
    if (rc == 0) rc = text_field(out, e, id, "description", a->description, b->description);
    if (rc == 0)
        rc = text_field(out, e, id, "lever", vos_lever_name(a->lever), vos_lever_name(b->lever));
    if (rc == 0)
        rc = text_field(out, e, id, "outcome", outcome_id(ma, a->outcome),
                        outcome_id(mb, b->outcome));
    if (rc == 0)
        rc = text_field(out, e, id, "formula", formula_text(a->formula), formula_text(b->formula));
    if (rc == 0)
        rc = text_field(out, e, id, "realized", formula_text(a->realized),
                        formula_text(b->realized));
    if (rc == 0) rc = text_field(out, e, id, "ramp", ra, rb);
    if (rc == 0) rc = num_field(out, e, id, "realization", a->realization, b->realization);
    if (rc == 0) rc = int_field(out, e, id, "start", a->start_month, b->start_month);
    return rc;
}

static void driver_summary(char *buf, size_t size, const vos_driver *d)
{
    fmt(buf, size, "%s: %s", vos_lever_name(d->lever), formula_text(d->formula));
}

static int drivers(vos_changes *out, const vos_model *a, const vos_model *b)
{
    char sum[SUMMARY_MAX];
    int rc = 0;
    for (size_t i = 0; i < a->n_drivers && rc == 0; i++) {
        long j = vos_model_find_driver(b, a->drivers[i].id);
        if (j < 0) {
            driver_summary(sum, sizeof sum, &a->drivers[i]);
            rc = add_text(out, "driver", a->drivers[i].id, "removed", sum, NULL);
        } else {
            rc = driver_fields(out, a, &a->drivers[i], b, &b->drivers[j]);
        }
    }
    for (size_t j = 0; j < b->n_drivers && rc == 0; j++)
        if (vos_model_find_driver(a, b->drivers[j].id) < 0) {
            driver_summary(sum, sizeof sum, &b->drivers[j]);
            rc = add_text(out, "driver", b->drivers[j].id, "added", NULL, sum);
        }
    return rc;
}

/* ---- costs ---------------------------------------------------------------------------------- */

static const char *cost_kind(const vos_cost *c)
{
    return c->once ? "once" : "recurring";
}

static int cost_fields(vos_changes *out, const vos_cost *a, const vos_cost *b)
{
    const char *e = "cost", *id = a->id;
    int rc = text_field(out, e, id, "name", a->name, b->name);
    if (rc == 0) rc = text_field(out, e, id, "description", a->description, b->description);
    if (rc == 0) rc = text_field(out, e, id, "kind", cost_kind(a), cost_kind(b));
    if (rc == 0)
        rc = text_field(out, e, id, "formula", formula_text(a->formula), formula_text(b->formula));
    if (rc == 0 && a->once && b->once) rc = int_field(out, e, id, "at", a->at_period, b->at_period);
    if (rc == 0 && !a->once && !b->once)
        rc = int_field(out, e, id, "start", a->start_month, b->start_month);
    return rc;
}

static void cost_summary(char *buf, size_t size, const vos_cost *c)
{
    fmt(buf, size, "%s: %s", cost_kind(c), formula_text(c->formula));
}

static int costs(vos_changes *out, const vos_model *a, const vos_model *b)
{
    char sum[SUMMARY_MAX];
    int rc = 0;
    for (size_t i = 0; i < a->n_costs && rc == 0; i++) {
        long j = vos_model_find_cost(b, a->costs[i].id);
        if (j < 0) {
            cost_summary(sum, sizeof sum, &a->costs[i]);
            rc = add_text(out, "cost", a->costs[i].id, "removed", sum, NULL);
        } else {
            rc = cost_fields(out, &a->costs[i], &b->costs[j]);
        }
    }
    for (size_t j = 0; j < b->n_costs && rc == 0; j++)
        if (vos_model_find_cost(a, b->costs[j].id) < 0) {
            cost_summary(sum, sizeof sum, &b->costs[j]);
            rc = add_text(out, "cost", b->costs[j].id, "added", NULL, sum);
        }
    return rc;
}

/* ---- KPIs, outcomes, capabilities ----------------------------------------------------------- */

static const char *better_name(vos_better b)
{
    return b == VOS_BETTER_LOWER ? "lower" : "higher";
}

static int kpi_fields(vos_changes *out, const vos_kpi *a, const vos_kpi *b)
{
    const char *e = "kpi", *id = a->id;
    int rc = text_field(out, e, id, "name", a->name, b->name);
    if (rc == 0) rc = text_field(out, e, id, "description", a->description, b->description);
    if (rc == 0) rc = text_field(out, e, id, "unit", a->unit_text, b->unit_text);
    if (rc == 0)
        rc = text_field(out, e, id, "better", better_name(a->better), better_name(b->better));
    return rc;
}

static int kpis(vos_changes *out, const vos_model *a, const vos_model *b)
{
    int rc = 0;
    for (size_t i = 0; i < a->n_kpis && rc == 0; i++) {
        long j = vos_model_find_kpi(b, a->kpis[i].id);
        rc = j < 0 ? add_text(out, "kpi", a->kpis[i].id, "removed", or_none(a->kpis[i].name), NULL)
                   : kpi_fields(out, &a->kpis[i], &b->kpis[j]);
    }
    for (size_t j = 0; j < b->n_kpis && rc == 0; j++)
        if (vos_model_find_kpi(a, b->kpis[j].id) < 0)
            rc = add_text(out, "kpi", b->kpis[j].id, "added", NULL, or_none(b->kpis[j].name));
    return rc;
}

/* Writes "id, id, ..." of the elements an outcome or capability names. */
static void id_list(char *buf, size_t size, const size_t *idx, size_t n,
                    const char *(*id_of)(const vos_model *, size_t), const vos_model *m)
{
    buf[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < n && len < size; i++) {
        int w = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", id_of(m, idx[i]));
        if (w < 0) break;
        len += (size_t)w;
    }
}

static const char *kpi_id(const vos_model *m, size_t k)
{
    return m->kpis[k].id;
}

static const char *outcome_id_at(const vos_model *m, size_t o)
{
    return m->outcomes[o].id;
}

static long find_outcome(const vos_model *m, const char *id)
{
    for (size_t i = 0; i < m->n_outcomes; i++)
        if (strcmp(m->outcomes[i].id, id) == 0) return (long)i;
    return -1;
}

static long find_capability(const vos_model *m, const char *id)
{
    for (size_t i = 0; i < m->n_capabilities; i++)
        if (strcmp(m->capabilities[i].id, id) == 0) return (long)i;
    return -1;
}

/* Compares the fields an outcome and a capability share: name, description and the list of
 * ids they name. */
static int grouping_fields(vos_changes *out, const char *e, const char *id, const char *na,
                           const char *nb, const char *da, const char *db, const char *list,
                           const char *la, const char *lb)
{
    int rc = text_field(out, e, id, "name", na, nb);
    if (rc == 0) rc = text_field(out, e, id, "description", da, db);
    if (rc == 0) rc = text_field(out, e, id, list, la, lb);
    return rc;
}

static int outcomes(vos_changes *out, const vos_model *a, const vos_model *b)
{
    char *la = malloc(LIST_MAX), *lb = malloc(LIST_MAX);
    int rc = la && lb ? 0 : vos_error_set(VOS_ENOMEM, "out of memory");
    for (size_t i = 0; i < a->n_outcomes && rc == 0; i++) {
        const vos_outcome *oa = &a->outcomes[i];
        long j = find_outcome(b, oa->id);
        if (j < 0) {
            rc = add_text(out, "outcome", oa->id, "removed", or_none(oa->name), NULL);
            continue;
        }
        const vos_outcome *ob = &b->outcomes[j];
        id_list(la, LIST_MAX, oa->kpis, oa->n_kpis, kpi_id, a);
        id_list(lb, LIST_MAX, ob->kpis, ob->n_kpis, kpi_id, b);
        rc = grouping_fields(out, "outcome", oa->id, oa->name, ob->name, oa->description,
                             ob->description, "kpis", la, lb);
    }
    for (size_t j = 0; j < b->n_outcomes && rc == 0; j++)
        if (find_outcome(a, b->outcomes[j].id) < 0)
            rc = add_text(out, "outcome", b->outcomes[j].id, "added", NULL,
                          or_none(b->outcomes[j].name));
    free(la);
    free(lb);
    return rc;
}

static int capabilities(vos_changes *out, const vos_model *a, const vos_model *b)
{
    char *la = malloc(LIST_MAX), *lb = malloc(LIST_MAX);
    int rc = la && lb ? 0 : vos_error_set(VOS_ENOMEM, "out of memory");
    for (size_t i = 0; i < a->n_capabilities && rc == 0; i++) {
        const vos_capability *ca = &a->capabilities[i];
        long j = find_capability(b, ca->id);
        if (j < 0) {
            rc = add_text(out, "capability", ca->id, "removed", or_none(ca->name), NULL);
            continue;
        }
        const vos_capability *cb = &b->capabilities[j];
        id_list(la, LIST_MAX, ca->outcomes, ca->n_outcomes, outcome_id_at, a);
        id_list(lb, LIST_MAX, cb->outcomes, cb->n_outcomes, outcome_id_at, b);
        rc = grouping_fields(out, "capability", ca->id, ca->name, cb->name, ca->description,
                             cb->description, "outcomes", la, lb);
    }
    for (size_t j = 0; j < b->n_capabilities && rc == 0; j++)
        if (find_capability(a, b->capabilities[j].id) < 0)
            rc = add_text(out, "capability", b->capabilities[j].id, "added", NULL,
                          or_none(b->capabilities[j].name));
    free(la);
    free(lb);
    return rc;
}

int vos_model_diff(vos_changes *out, const vos_model *a, const vos_model *b)
{
    int rc = model_fields(out, a, b);
    if (rc == 0) rc = inputs(out, a, b);
    if (rc == 0) rc = drivers(out, a, b);
    if (rc == 0) rc = costs(out, a, b);
    if (rc == 0) rc = kpis(out, a, b);
    if (rc == 0) rc = outcomes(out, a, b);
    if (rc == 0) rc = capabilities(out, a, b);
    return rc;
}

/* ---- figures -------------------------------------------------------------------------------- */

static const char *const figure_names[VOS_DIFF_FIGURE_COUNT] = {VOS_DIFF_FIGURES};

/* The figures of one result in the order of figure_names (NAN where not defined). */
static void figures_of(const vos_result *r, double v[VOS_DIFF_FIGURE_COUNT])
{
    v[0] = r->npv;
    v[1] = r->has_irr ? r->irr : NAN;
    v[2] = r->has_payback ? r->payback_months : NAN;
    v[3] = r->has_roi ? r->roi : NAN;
    v[4] = r->benefits_total;
    v[5] = r->costs_total;
    v[6] = r->lever_total[VOS_LEVER_REVENUE];
    v[7] = r->lever_total[VOS_LEVER_COST];
    v[8] = r->lever_total[VOS_LEVER_RISK];
}

static int scenario_figures(vos_changes *out, vos_scenario s, vos_case *ca, vos_result *ra,
                            vos_case *cb, vos_result *rb)
{
    int rc = vos_case_compute(ca, s, ra);
    if (rc == 0) rc = vos_case_compute(cb, s, rb);
    if (rc < 0) return rc;
    double va[VOS_DIFF_FIGURE_COUNT], vb[VOS_DIFF_FIGURE_COUNT];
    figures_of(ra, va);
    figures_of(rb, vb);
    for (int f = 0; f < VOS_DIFF_FIGURE_COUNT && rc == 0; f++) {
        char id[64], ta[NUM_TEXT], tb[NUM_TEXT];
        fmt(id, sizeof id, "%s.%s", vos_scenario_name(s), figure_names[f]);
        num_text(ta, va[f]);
        num_text(tb, vb[f]);
        rc = add(out, "figure", id, "value", ta, tb, va[f], vb[f]);
    }
    return rc;
}

int vos_changes_add_figures(vos_changes *out, vos_case *before, vos_case *after)
{
    static const vos_scenario order[VOS_SCENARIO_COUNT] = {
        VOS_SCENARIO_EXPECTED, VOS_SCENARIO_CONSERVATIVE, VOS_SCENARIO_OPTIMISTIC};
    vos_result *ra = NULL, *rb = NULL;
    int rc = vos_result_new(&ra, vos_case_model(before));
    if (rc == 0) rc = vos_result_new(&rb, vos_case_model(after));
    for (int i = 0; i < VOS_SCENARIO_COUNT && rc == 0; i++)
        rc = scenario_figures(out, order[i], before, ra, after, rb);
    vos_result_free(ra);
    vos_result_free(rb);
    return rc;
}
