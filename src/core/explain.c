/* Lineage: how any figure of a case follows from formulas, inputs and evidence. */
#include "engine_int.h"

#include "vos/error.h"
#include "vos/number.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const figure_names[] = {"npv",   "irr", "roi",    "payback", "benefits",
                                           "costs", "net", "driver", "cost",    "lever"};

static int parse_year(const vos_model *m, const char *text, int *year)
{
    char *end;
    if (strncmp(text, "year", 4) != 0)
        return vos_error_set(VOS_EINVALID, "expected ':yearN' after the figure, got ':%s'", text);
    long y = strtol(text + 4, &end, 10);
    if (end == text + 4 || *end || y < 1 || y > m->horizon_years)
        return vos_error_set(VOS_EINVALID, "year must be year1 .. year%d, got '%s'",
                             m->horizon_years, text);
    *year = (int)y;
    return 0;
}

int vos_figure_parse(vos_figure *out, const vos_model *m, const char *text)
{
    char buf[256];
    memset(out, 0, sizeof *out);
    if (strlen(text) >= sizeof buf)
        return vos_error_set(VOS_EINVALID, "figure name too long");
    strcpy(buf, text);
    char *kind = buf, *id = strchr(buf, ':'), *year = NULL;
    if (id)
        *id++ = '\0';
    size_t k = 0;
    while (k < sizeof figure_names / sizeof *figure_names && strcmp(kind, figure_names[k]) != 0)
        k++;
    if (k == sizeof figure_names / sizeof *figure_names)
        return vos_error_set(VOS_EINVALID,
                             "unknown figure '%s' (npv, irr, roi, payback, benefits, costs, net, "
                             "driver:ID, cost:ID, lever:NAME, optionally :yearN)",
                             kind);
    out->kind = (vos_figure_kind)k;
    if (out->kind >= VOS_FIGURE_DRIVER) {
        if (!id || !*id)
            return vos_error_set(VOS_EINVALID, "figure '%s' needs an id, e.g. %s:ID", kind, kind);
        year = strchr(id, ':');
        if (year)
            *year++ = '\0';
        long idx = -1;
        if (out->kind == VOS_FIGURE_DRIVER)
            idx = vos_model_find_driver(m, id);
        else if (out->kind == VOS_FIGURE_COST)
            idx = vos_model_find_cost(m, id);
        else
            for (int l = 0; l < VOS_LEVER_COUNT; l++)
                if (strcmp(id, vos_lever_name((vos_lever)l)) == 0)
                    idx = l;
        if (idx < 0)
            return vos_error_set(VOS_ENOTFOUND, "no %s '%s' in model %s", kind, id, m->id);
        out->index = (size_t)idx;
    } else {
        year = id;
    }
    if (year) {
        if (out->kind <= VOS_FIGURE_PAYBACK)
            return vos_error_set(VOS_EINVALID, "%s is a figure of the whole horizon; it takes no "
                                               "year",
                                 kind);
        return parse_year(m, year, &out->year);
    }
    return 0;
}

/* --- building explanations --- */

typedef struct builder {
    vos_explanation *e;
    size_t cap;
    int failed;
} builder;

static char *vfmt(const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = vfmt(f, ap);
    va_end(ap);
    return s;
}

static void term(builder *b, const char *label, double value, const char *unit,
                 const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));
static void term(builder *b, const char *label, double value, const char *unit,
                 const char *detail_fmt, ...)
{
    if (b->failed)
        return;
    vos_explanation *e = b->e;
    if (e->n_terms == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8;
        vos_explain_term *t = realloc(e->terms, cap * sizeof *t);
        if (!t) {
            b->failed = 1;
            return;
        }
        e->terms = t;
        b->cap = cap;
    }
    vos_explain_term *t = &e->terms[e->n_terms];
    va_list ap;
    va_start(ap, detail_fmt);
    t->detail = vfmt(detail_fmt, ap);
    va_end(ap);
    t->label = fmt("%s", label);
    t->unit = fmt("%s", unit ? unit : "");
    t->value = value;
    e->n_terms++;
    if (!t->detail || !t->label || !t->unit)
        b->failed = 1;
}

void vos_explanation_free(vos_explanation *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n_terms; i++) {
        free(e->terms[i].label);
        free(e->terms[i].unit);
        free(e->terms[i].detail);
    }
    free(e->terms);
    free(e->figure);
    free(e->unit);
    free(e->formula);
    free(e);
}

/* Readable number with thousands separators and up to `dec` decimals. */
typedef struct numtxt {
    char s[64];
} numtxt;
static numtxt num(double x, int dec)
{
    numtxt t;
    vos_num_grouped(t.s, sizeof t.s, x, dec);
    return t;
}

/* Decimals that show a figure of this size sensibly. */
static int decimals_for(double x)
{
    double a = fabs(x);
    return a >= 1000 ? 0 : a >= 1 ? 2 : 4;
}

/* The symbol table of a model, for recompiling a formula without a target unit. */
static int resolve(void *ctx, vos_sym_kind kind, const char *name, size_t len, uint32_t *slot,
                   vos_unit *unit)
{
    const vos_model *m = ctx;
    char id[VOS_ID_MAX + 1];
    if (len > VOS_ID_MAX)
        return VOS_ENOTFOUND;
    memcpy(id, name, len);
    id[len] = '\0';
    long i;
    if (kind != VOS_SYM_NAME) {
        if ((i = vos_model_find_kpi(m, id)) < 0)
            return VOS_ENOTFOUND;
        *slot = vos_model_kpi_slot(m, (size_t)i, kind);
        *unit = m->kpis[i].unit;
        return 0;
    }
    if ((i = vos_model_find_input(m, id)) >= 0) {
        *slot = vos_model_input_slot(m, (size_t)i);
        *unit = m->inputs[i].unit;
        return 0;
    }
    if ((i = vos_model_find_driver(m, id)) >= 0) {
        *slot = vos_model_driver_slot(m, (size_t)i);
        *unit = vos_unit_make(1, 0, 1);
        vos_unit_div(unit, unit, &m->period_unit);
        return 0;
    }
    return VOS_ENOTFOUND;
}

/* Describes how a formula's natural unit was converted to the unit the engine uses. */
static char *conversion_text(const vos_model *m, const vos_formula *f)
{
    vos_symtab syms = {resolve, (void *)m, m->currency};
    vos_formula *raw = NULL;
    vos_formula_error err;
    const char *src = vos_formula_source(f);
    char from[128], to[128];
    int64_t n = 1, d = 1;
    vos_unit_format(to, sizeof to, vos_formula_unit(f), m->currency);
    if (vos_formula_compile(&raw, src, strlen(src), &syms, NULL, &err) < 0)
        return fmt("%s", src);
    vos_unit_format(from, sizeof from, vos_formula_unit(raw), m->currency);
    vos_unit_factor(&n, &d, vos_formula_unit(raw), vos_formula_unit(f), m->currency);
    vos_formula_free(raw);
    if (n == d)
        return fmt("%s (in %s)", src, to);
    return fmt("%s, computed in %s and converted to %s (x %lld/%lld)", src, from, to,
               (long long)n, (long long)d);
}

static void input_term(builder *b, const vos_case *c, const vos_result *r, size_t i)
{
    const vos_input *in = &c->model->inputs[i];
    const vos_dist *d = &c->dists[i];
    char range[200] = "fixed";
    if (d->low < d->high)
        snprintf(range, sizeof range, "%s of %s .. %s (%s)", vos_input_end_name(r->ends[i]),
                 num(d->low, decimals_for(d->low)).s, num(d->high, decimals_for(d->high)).s,
                 vos_dist_kind_name(d->kind));
    char label[VOS_ID_MAX + 16];
    snprintf(label, sizeof label, "input %s", in->id);
    int ev_case, conf_case;
    const char *ev = vos_case_input_evidence(c, i, &ev_case);
    vos_confidence conf = vos_case_input_confidence(c, i, &conf_case);
    term(b, label, r->inputs[i], in->unit_text, "%s; evidence%s: %s; confidence%s: %s", range,
         ev_case ? " (this case)" : "", ev ? ev : "none given", conf_case ? " (this case)" : "",
         conf ? vos_confidence_name(conf) : "unstated");
}

/* Terms for every slot a formula reads: inputs with evidence, drivers with their formula. */
static void dependency_terms(builder *b, const vos_case *c, const vos_result *r,
                             const vos_formula *f, const char *per)
{
    const vos_model *m = c->model;
    const uint32_t *slots;
    size_t n = vos_formula_deps(f, &slots);
    for (size_t k = 0; k < n; k++) {
        uint32_t s = slots[k];
        if (s < m->n_inputs) {
            input_term(b, c, r, s);
        } else if (s < m->n_inputs + m->n_drivers) {
            const vos_driver *d = &m->drivers[s - m->n_inputs];
            char label[VOS_ID_MAX + 16];
            snprintf(label, sizeof label, "driver %s", d->id);
            term(b, label, r->driver_value[s - m->n_inputs], per, "formula: %s",
                 vos_formula_source(d->formula));
        }
    }
}

/* First and last period of a figure restricted to `year` (0 = whole horizon). */
static void period_range(const vos_case *c, int year, int *t0, int *t1)
{
    int ppy = 12 / vos_case_months_per_period(c);
    if (year == 0) {
        *t0 = 1;
        *t1 = c->model->periods;
    } else {
        *t0 = (year - 1) * ppy + 1;
        *t1 = year * ppy;
    }
}

static double row_sum(const double *row, int t0, int t1)
{
    double s = 0;
    for (int t = t0; t <= t1; t++)
        s += row[t];
    return s;
}

static const char *period_word(const vos_case *c)
{
    return c->model->period == VOS_PERIOD_YEAR ? "years" : "months";
}

static char *span_text(const vos_case *c, int year)
{
    if (year == 0)
        return fmt("over the %d-year horizon", c->model->horizon_years);
    return fmt("in year %d", year);
}

static void explain_driver(builder *b, const vos_case *c, const vos_result *r, size_t d, int year,
                           const char *cur, const char *per)
{
    const vos_model *m = c->model;
    const vos_driver *drv = &m->drivers[d];
    size_t W = (size_t)m->periods + 1;
    int t0, t1;
    period_range(c, year, &t0, &t1);
    vos_explanation *e = b->e;
    char *span = span_text(c, year);
    e->figure = fmt("benefit of driver %s (%s lever) %s", drv->id, vos_lever_name(drv->lever),
                    span ? span : "");
    free(span);
    e->value = row_sum(r->benefit + d * W, t0, t1);
    e->unit = fmt("%s", cur);
    double ramp_sum = row_sum(c->ramp + d * W, t0, t1);
    int n = t1 - t0 + 1;
    double mean_ramp = drv->realization > 0 ? ramp_sum / n / drv->realization : 0;
    char *conv = conversion_text(m, drv->formula);
    term(b, "formula", r->driver_value[d], per, "%s", conv ? conv : "");
    free(conv);
    dependency_terms(b, c, r, drv->formula, per);
    term(b, "periods", n, period_word(c), "%s %d to %d", period_word(c), t0, t1);
    if (drv->ramp == VOS_RAMP_NONE)
        term(b, "ramp", mean_ramp, "", "none: full effect from month %d", drv->start_month);
    else
        term(b, "ramp", mean_ramp, "", "%s over %d months from month %d; mean over the periods",
             drv->ramp == VOS_RAMP_LINEAR ? "linear" : "s-curve", drv->ramp_months,
             drv->start_month);
    term(b, "realization", drv->realization, "", "haircut applied to every period");
    e->formula = fmt("%s %s x %d %s x ramp %s x realization %s%% = %s %s",
                     num(r->driver_value[d], 2).s, per, n, period_word(c), num(mean_ramp, 4).s,
                     num(drv->realization * 100, 2).s, num(e->value, 2).s, cur);
}

static void explain_cost(builder *b, const vos_case *c, const vos_result *r, size_t k, int year,
                         const char *cur, const char *per)
{
    const vos_model *m = c->model;
    const vos_cost *cost = &m->costs[k];
    size_t W = (size_t)m->periods + 1;
    int t0, t1;
    period_range(c, year, &t0, &t1);
    if (cost->once && year == 0)
        t0 = 0;
    vos_explanation *e = b->e;
    char *span = span_text(c, year);
    e->figure = fmt("cost %s %s", cost->id, span ? span : "");
    free(span);
    e->value = row_sum(r->cost + k * W, t0, t1);
    e->unit = fmt("%s", cur);
    double amount = c->cost_value[k];
    char *conv = conversion_text(m, cost->formula);
    term(b, cost->once ? "one-time amount" : "amount per period", amount, cost->once ? cur : per,
         "%s", conv ? conv : "");
    free(conv);
    dependency_terms(b, c, r, cost->formula, per);
    double paid = row_sum(c->cost_active + k * W, t0, t1);
    if (cost->once) {
        term(b, "paid in period", cost->at_period, "", "period %d (0 = up front)",
             cost->at_period);
        e->formula = fmt("%s %s, once", num(amount, 2).s, cur);
    } else {
        term(b, "periods paid", paid, period_word(c), "from month %d", cost->start_month);
        e->formula = fmt("%s %s x %s %s = %s %s", num(amount, 2).s, per, num(paid, 2).s,
                         period_word(c), num(e->value, 2).s, cur);
    }
}

static void explain_sum(builder *b, const vos_case *c, const vos_result *r, const vos_figure *f,
                        const char *cur)
{
    const vos_model *m = c->model;
    size_t W = (size_t)m->periods + 1;
    int t0, t1;
    period_range(c, f->year, &t0, &t1);
    if (f->year == 0)
        t0 = 0;
    vos_explanation *e = b->e;
    char *span = span_text(c, f->year);
    e->unit = fmt("%s", cur);
    if (f->kind == VOS_FIGURE_LEVER) {
        e->figure = fmt("benefits of the %s lever %s", vos_lever_name((vos_lever)f->index),
                        span ? span : "");
        e->value = row_sum(r->lever + f->index * W, t0, t1);
        for (size_t d = 0; d < m->n_drivers; d++)
            if ((size_t)m->drivers[d].lever == f->index)
                term(b, m->drivers[d].id, row_sum(r->benefit + d * W, t0, t1), cur, "driver");
        e->formula = fmt("sum of the drivers of the %s lever", vos_lever_name((vos_lever)f->index));
    } else if (f->kind == VOS_FIGURE_BENEFITS) {
        e->figure = fmt("total benefits %s", span ? span : "");
        e->value = row_sum(r->benefits, t0, t1);
        for (int l = 0; l < VOS_LEVER_COUNT; l++)
            term(b, vos_lever_name((vos_lever)l), row_sum(r->lever + (size_t)l * W, t0, t1), cur,
                 "lever");
        e->formula = fmt("%s", "revenue + cost + risk levers");
    } else if (f->kind == VOS_FIGURE_COSTS) {
        e->figure = fmt("total costs %s", span ? span : "");
        e->value = row_sum(r->costs, t0, t1);
        for (size_t k = 0; k < m->n_costs; k++)
            term(b, m->costs[k].id, row_sum(r->cost + k * W, t0, t1), cur,
                 m->costs[k].once ? "one-time cost" : "recurring cost");
        e->formula = fmt("%s", "sum of the cost items");
    } else {
        e->figure = fmt("net value %s", span ? span : "");
        double ben = row_sum(r->benefits, t0, t1), cst = row_sum(r->costs, t0, t1);
        e->value = ben - cst;
        term(b, "benefits", ben, cur, "all levers");
        term(b, "costs", cst, cur, "all cost items");
        e->formula = fmt("%s", "benefits - costs");
    }
    free(span);
}

static double pv_of(const vos_case *c, const double *row)
{
    double s = 0;
    for (int t = 0; t <= c->model->periods; t++)
        s += row[t] * c->disc[t];
    return s;
}

static void explain_npv(builder *b, const vos_case *c, const vos_result *r, const char *cur)
{
    const vos_model *m = c->model;
    size_t W = (size_t)m->periods + 1;
    vos_explanation *e = b->e;
    e->figure = fmt("%s", "net present value");
    e->value = r->npv;
    e->unit = fmt("%s", cur);
    term(b, "discount rate", m->discount_rate, "1/year", "the model's annual rate");
    term(b, "rate per period", c->rate_period, m->period == VOS_PERIOD_YEAR ? "1/year" : "1/month",
         "(1 + annual rate)^(1/%d) - 1", 12 / vos_case_months_per_period(c));
    for (size_t d = 0; d < m->n_drivers; d++) {
        char label[VOS_ID_MAX + 32];
        snprintf(label, sizeof label, "PV of driver %s", m->drivers[d].id);
        term(b, label, pv_of(c, r->benefit + d * W), cur, "%s lever; undiscounted %s",
             vos_lever_name(m->drivers[d].lever), num(r->driver_total[d], 2).s);
    }
    for (size_t k = 0; k < m->n_costs; k++) {
        char label[VOS_ID_MAX + 32];
        snprintf(label, sizeof label, "PV of cost %s", m->costs[k].id);
        term(b, label, -pv_of(c, r->cost + k * W), cur, "undiscounted %s",
             num(r->cost_total[k], 2).s);
    }
    e->formula = fmt("sum over t = 0 .. %d of net(t) / (1 + %s)^t, which equals the sum of the "
                     "present values below",
                     m->periods, num(c->rate_period, 6).s);
}

static void explain_ratio(builder *b, const vos_case *c, const vos_result *r, vos_figure_kind k,
                          const char *cur)
{
    vos_explanation *e = b->e;
    int mpp = vos_case_months_per_period(c);
    if (k == VOS_FIGURE_ROI) {
        e->figure = fmt("%s", "return on investment");
        e->value = r->has_roi ? r->roi : NAN;
        e->unit = fmt("%s", "1");
        term(b, "benefits", r->benefits_total, cur, "undiscounted, over the horizon");
        term(b, "costs", r->costs_total, cur, "undiscounted, over the horizon");
        e->formula = fmt("%s", r->has_roi ? "(benefits - costs) / costs" : "no ROI: costs are zero");
    } else if (k == VOS_FIGURE_IRR) {
        e->figure = fmt("%s", "internal rate of return (annualised)");
        e->value = r->has_irr ? r->irr : NAN;
        e->unit = fmt("%s", "1/year");
        term(b, "net flows", (double)r->periods + 1, "", "up front and %d %s", r->periods,
             period_word(c));
        term(b, "net value", r->net_total, cur, "sum of the net flows");
        if (r->has_irr)
            term(b, "rate per period", expm1(log1p(r->irr) * mpp / 12.0),
                 mpp == 1 ? "1/month" : "1/year", "Excel IRR of the net flows");
        if (r->has_irr)
            e->formula = fmt("(1 + rate per period)^%d - 1, where the rate per period makes the "
                             "NPV of the net flows zero",
                             12 / mpp);
        else
            e->formula = fmt("no IRR: %s", r->irr_error);
    } else {
        e->figure = fmt("%s", "payback");
        e->value = r->has_payback ? r->payback_months : NAN;
        e->unit = fmt("%s", "months");
        if (r->has_payback) {
            int t = (int)(r->payback_months / mpp);
            if (t > r->periods)
                t = r->periods;
            term(b, "cumulative net before", r->cumulative[t], cur,
                 "at the end of period %d", t);
            if (t < r->periods)
                term(b, "net flow of the next period", r->net[t + 1], cur, "period %d", t + 1);
            e->formula = fmt("first period in which the cumulative net flow turns non-negative, "
                             "interpolated linearly within it");
        } else {
            e->formula = fmt("no payback: %s", r->payback_error);
        }
    }
}

int vos_case_explain(vos_explanation **out, vos_case *c, vos_scenario s, const vos_figure *f)
{
    *out = NULL;
    const vos_model *m = c->model;
    vos_result *r = NULL;
    int rc = vos_result_new(&r, m);
    if (rc < 0)
        return rc;
    if ((rc = vos_case_compute(c, s, r)) < 0)
        goto out;
    builder b = {calloc(1, sizeof(vos_explanation)), 0, 0};
    if (!b.e) {
        rc = vos_error_set(VOS_ENOMEM, "out of memory");
        goto out;
    }
    char per[64];
    vos_unit cpp = vos_unit_make(1, 0, 1);
    vos_unit_div(&cpp, &cpp, &m->period_unit);
    vos_unit_format(per, sizeof per, &cpp, m->currency);
    switch (f->kind) {
    case VOS_FIGURE_DRIVER: explain_driver(&b, c, r, f->index, f->year, m->currency, per); break;
    case VOS_FIGURE_COST: explain_cost(&b, c, r, f->index, f->year, m->currency, per); break;
    case VOS_FIGURE_NPV: explain_npv(&b, c, r, m->currency); break;
    case VOS_FIGURE_IRR:
    case VOS_FIGURE_ROI:
    case VOS_FIGURE_PAYBACK: explain_ratio(&b, c, r, f->kind, m->currency); break;
    default: explain_sum(&b, c, r, f, m->currency); break;
    }
    if (b.failed || !b.e->figure || !b.e->unit || !b.e->formula) {
        vos_explanation_free(b.e);
        rc = vos_error_set(VOS_ENOMEM, "out of memory");
        goto out;
    }
    *out = b.e;
out:
    vos_result_free(r);
    return rc;
}
