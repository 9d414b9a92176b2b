/* The value engine: scenarios, cash flows, finance figures, tornado and Monte Carlo.
 * docs/computation.md states every rule implemented here. */
#include "engine_int.h"

#include "vos/error.h"
#include "vos/finance.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const scenario_names[VOS_SCENARIO_COUNT] = {"conservative", "expected",
                                                                "optimistic"};

const char *vos_scenario_name(vos_scenario s)
{
    return (unsigned)s < VOS_SCENARIO_COUNT ? scenario_names[s] : "?";
}

int vos_scenario_parse(vos_scenario *out, const char *name)
{
    for (int i = 0; i < VOS_SCENARIO_COUNT; i++)
        if (strcmp(name, scenario_names[i]) == 0) {
            *out = (vos_scenario)i;
            return 0;
        }
    return vos_error_set(VOS_EINVALID,
                         "unknown scenario '%s' (conservative, expected or optimistic)", name);
}

const char *vos_input_end_name(vos_input_end e)
{
    switch (e) {
    case VOS_END_LOW: return "low";
    case VOS_END_HIGH: return "high";
    default: return "value";
    }
}

int vos_case_months_per_period(const vos_case *c)
{
    return c->model->period == VOS_PERIOD_YEAR ? 12 : 1;
}

/* Ramp of a driver in month m (1-based), before the realization haircut. */
static double ramp_month(const vos_driver *d, int m)
{
    int k = m - d->start_month + 1;
    if (k < 1)
        return 0.0;
    if (d->ramp == VOS_RAMP_NONE || d->ramp_months <= 0)
        return 1.0;
    double x = (double)k / d->ramp_months;
    if (x > 1.0)
        x = 1.0;
    return d->ramp == VOS_RAMP_SCURVE ? x * x * (3.0 - 2.0 * x) : x;
}

double vos_driver_ramp(const vos_model *m, const vos_driver *d, int t)
{
    int mpp = m->period == VOS_PERIOD_YEAR ? 12 : 1;
    double r = 0;
    for (int k = 0; k < mpp; k++)
        r += ramp_month(d, (t - 1) * mpp + k + 1);
    return r / mpp;
}

/* Fills the per-period tables that depend only on the model: ramp * haircut per driver, the
 * share of each period in which each cost is paid, discount factors and their sums. */
static void build_tables(vos_case *c)
{
    const vos_model *m = c->model;
    int P = m->periods, mpp = vos_case_months_per_period(c);
    size_t W = (size_t)P + 1;
    double ppy = 12.0 / mpp;
    c->rate_period = expm1(log1p(m->discount_rate) / ppy);
    double lr = log1p(c->rate_period);
    for (int t = 0; t <= P; t++)
        c->disc[t] = exp(-lr * t);

    for (size_t d = 0; d < m->n_drivers; d++) {
        const vos_driver *drv = &m->drivers[d];
        double *row = c->ramp + d * W, pv = 0, sum = 0;
        row[0] = 0.0;
        for (int t = 1; t <= P; t++) {
            row[t] = vos_driver_ramp(m, drv, t) * drv->realization;
            pv += row[t] * c->disc[t];
            sum += row[t];
        }
        c->driver_pv[d] = pv;
        c->driver_sum[d] = sum;
    }
    for (size_t k = 0; k < m->n_costs; k++) {
        const vos_cost *cost = &m->costs[k];
        double *row = c->cost_active + k * W, pv = 0, sum = 0;
        for (int t = 0; t <= P; t++) {
            double a = 0;
            if (cost->once) {
                a = t == cost->at_period ? 1.0 : 0.0;
            } else if (t >= 1) {
                int months = 0;
                for (int i = 0; i < mpp; i++)
                    months += (t - 1) * mpp + i + 1 >= cost->start_month;
                a = (double)months / mpp;
            }
            row[t] = a;
            pv += a * c->disc[t];
            sum += a;
        }
        c->cost_pv[k] = pv;
        c->cost_sum[k] = sum;
    }
}

int vos_case_new(vos_case **out, const vos_model *model)
{
    *out = NULL;
    vos_case *c = calloc(1, sizeof *c);
    if (!c)
        return vos_error_set(VOS_ENOMEM, "out of memory");
    c->model = model;
    size_t W = (size_t)model->periods + 1, ni = model->n_inputs, nd = model->n_drivers,
           nc = model->n_costs;
    c->dists = calloc(ni ? ni : 1, sizeof *c->dists);
    c->evidence = calloc(ni ? ni : 1, sizeof *c->evidence);
    c->confidence = calloc(ni ? ni : 1, sizeof *c->confidence);
    c->own_confidence = calloc(ni ? ni : 1, 1);
    c->slots = calloc(model->n_slots ? model->n_slots : 1, sizeof *c->slots);
    c->ramp = calloc(nd * W + 1, sizeof *c->ramp);
    c->cost_active = calloc(nc * W + 1, sizeof *c->cost_active);
    c->disc = calloc(W, sizeof *c->disc);
    c->driver_pv = calloc(nd + 1, sizeof(double));
    c->driver_sum = calloc(nd + 1, sizeof(double));
    c->cost_pv = calloc(nc + 1, sizeof(double));
    c->cost_sum = calloc(nc + 1, sizeof(double));
    c->cost_value = calloc(nc + 1, sizeof(double));
    int ok = c->dists && c->evidence && c->confidence && c->own_confidence && c->slots && c->ramp && c->cost_active && c->disc && c->driver_pv &&
             c->driver_sum && c->cost_pv && c->cost_sum && c->cost_value;
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++) {
        c->ends[s] = calloc(ni + 1, sizeof *c->ends[s]);
        ok = ok && c->ends[s];
    }
    if (!ok) {
        vos_case_free(c);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < ni; i++) {
        c->dists[i] = model->inputs[i].dist;
        c->confidence[i] = model->inputs[i].confidence;
    }
    build_tables(c);
    *out = c;
    return 0;
}

void vos_case_free(vos_case *c)
{
    if (!c)
        return;
    free(c->dists);
    for (size_t i = 0; c->evidence && i < c->model->n_inputs; i++)
        free(c->evidence[i]);
    free(c->evidence);
    free(c->confidence);
    free(c->own_confidence);
    free(c->slots);
    free(c->ramp);
    free(c->cost_active);
    free(c->disc);
    free(c->driver_pv);
    free(c->driver_sum);
    free(c->cost_pv);
    free(c->cost_sum);
    free(c->cost_value);
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++)
        free(c->ends[s]);
    free(c);
}

const vos_model *vos_case_model(const vos_case *c)
{
    return c->model;
}

const vos_dist *vos_case_input(const vos_case *c, size_t input)
{
    return input < c->model->n_inputs ? &c->dists[input] : NULL;
}

const char *vos_case_input_evidence(const vos_case *c, size_t input, int *from_case)
{
    if (from_case) *from_case = 0;
    if (input >= c->model->n_inputs) return NULL;
    if (c->evidence[input]) {
        if (from_case) *from_case = 1;
        return c->evidence[input];
    }
    return c->model->inputs[input].evidence;
}

vos_confidence vos_case_input_confidence(const vos_case *c, size_t input, int *from_case)
{
    if (from_case) *from_case = 0;
    if (input >= c->model->n_inputs) return VOS_CONFIDENCE_UNSTATED;
    if (from_case) *from_case = c->own_confidence[input];
    return c->confidence[input];
}

int vos_confidence_parse(vos_confidence *out, const char *name)
{
    for (int c = VOS_CONFIDENCE_LOW; c <= VOS_CONFIDENCE_HIGH; c++)
        if (name && strcmp(name, vos_confidence_name((vos_confidence)c)) == 0) {
            *out = (vos_confidence)c;
            return 0;
        }
    return vos_error_set(VOS_EINVALID, "confidence must be low, medium or high, not '%.*s'",
                         VOS_ID_MAX, name ? name : "");
}

/* Characters of UTF-8 text (continuation bytes not counted). */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

int vos_input_override_check_text(const vos_input_override *ov, const char *id)
{
    if (ov->evidence) {
        const char *e = ov->evidence;
        size_t chars = utf8_chars(e);
        int blank = 1;
        for (const char *p = e; *p; p++) {
            unsigned char ch = (unsigned char)*p;
            if (ch < 0x20 && ch != '\t' && ch != '\n')
                return vos_error_set(VOS_EINVALID,
                                     "input '%s': evidence contains a control character", id);
            blank = blank && (ch == ' ' || ch == '\t' || ch == '\n');
        }
        if (blank)
            return vos_error_set(VOS_EINVALID,
                                 "input '%s': evidence must say where the value comes from "
                                 "(it is empty)",
                                 id);
        if (chars > VOS_TEXT_MAX)
            return vos_error_set(VOS_EINVALID,
                                 "input '%s': evidence is longer than %d characters (%zu)", id,
                                 VOS_TEXT_MAX, chars);
    }
    if (ov->has_confidence && (ov->confidence < VOS_CONFIDENCE_LOW ||
                               ov->confidence > VOS_CONFIDENCE_HIGH))
        return vos_error_set(VOS_EINVALID, "input '%s': confidence must be low, medium or high",
                             id);
    return 0;
}

/* Sets the case's own evidence and confidence of an input (checked already). */
static int override_text(vos_case *c, size_t input, const vos_input_override *ov)
{
    if (ov->evidence) {
        size_t len = strlen(ov->evidence);
        char *copy = malloc(len + 1);
        if (!copy) return vos_error_set(VOS_ENOMEM, "out of memory");
        memcpy(copy, ov->evidence, len + 1);
        free(c->evidence[input]);
        c->evidence[input] = copy;
    }
    if (ov->has_confidence) {
        c->confidence[input] = ov->confidence;
        c->own_confidence[input] = 1;
    }
    return 0;
}

int vos_case_override(vos_case *c, size_t input, const vos_input_override *ov)
{
    const vos_model *m = c->model;
    if (input >= m->n_inputs)
        return vos_error_set(VOS_ENOTFOUND, "no input number %zu", input);
    const vos_input *in = &m->inputs[input];
    int trc = vos_input_override_check_text(ov, in->id);
    if (trc < 0) return trc;
    if (!ov->has_value && !ov->has_low && !ov->has_high) return override_text(c, input, ov);
    vos_dist cur = c->dists[input], next;
    double value = ov->has_value ? ov->value : cur.likely;
    double low = ov->has_low ? ov->low : cur.low;
    double high = ov->has_high ? ov->high : cur.high;
    vos_dist_kind kind = cur.kind;
    if (kind == VOS_DIST_FIXED) {
        if (!ov->has_low && !ov->has_high)
            low = high = value;
        else if (low < high)
            kind = VOS_DIST_PERT; /* a range given to a fixed input makes it ranged */
        else if (!ov->has_low || !ov->has_high)
            return vos_error_set(VOS_EINVALID,
                                 "input '%s': a fixed input needs both low and high to get a "
                                 "range",
                                 in->id);
    }
    /* a new range re-derives the standard deviation of normal and lognormal inputs */
    double sd = ov->has_low || ov->has_high ? 0.0 : cur.sd;
    if (!isfinite(value) || !isfinite(low) || !isfinite(high))
        return vos_error_set(VOS_EINVALID, "input '%s': values must be finite numbers", in->id);
    if ((low > value || value > high) && !ov->has_low && !ov->has_high)
        return vos_error_set(VOS_EINVALID,
                             "input '%s': value %.15g must lie within its range [%.15g, %.15g]; "
                             "to move the range too, give low and high: {value: %.15g, low: ..., "
                             "high: ...}",
                             in->id, value, low, high, value);
    if (low > value || value > high)
        return vos_error_set(VOS_EINVALID,
                             "input '%s': value %.15g must lie within its range [%.15g, %.15g]",
                             in->id, value, low, high);
    int rc = vos_dist_init(&next, kind, low, value, high, sd);
    if (rc < 0)
        return vos_error_set(rc, "input '%s': %s", in->id, vos_error_last());
    rc = override_text(c, input, ov);
    if (rc < 0) return rc;
    c->dists[input] = next;
    c->ends_valid = 0;
    return 0;
}

int vos_case_eval(vos_case *c)
{
    const vos_model *m = c->model;
    for (size_t k = 0; k < m->n_drivers; k++) {
        size_t d = m->driver_order[k];
        double v = vos_formula_eval(m->drivers[d].formula, c->slots);
        if (!isfinite(v))
            return vos_error_set(VOS_ENUM, "driver '%s' is not a finite number (%s)",
                                 m->drivers[d].id, vos_formula_source(m->drivers[d].formula));
        c->slots[vos_model_driver_slot(m, d)] = v;
    }
    for (size_t k = 0; k < m->n_costs; k++) {
        double v = vos_formula_eval(m->costs[k].formula, c->slots);
        if (!isfinite(v))
            return vos_error_set(VOS_ENUM, "cost '%s' is not a finite number (%s)",
                                 m->costs[k].id, vos_formula_source(m->costs[k].formula));
        c->cost_value[k] = v;
    }
    return 0;
}

void vos_case_totals(const vos_case *c, double *npv, double *benefits, double *costs)
{
    const vos_model *m = c->model;
    double n = 0, b = 0, k = 0;
    for (size_t d = 0; d < m->n_drivers; d++) {
        double v = c->slots[vos_model_driver_slot(m, d)];
        n += v * c->driver_pv[d];
        b += v * c->driver_sum[d];
    }
    for (size_t j = 0; j < m->n_costs; j++) {
        n -= c->cost_value[j] * c->cost_pv[j];
        k += c->cost_value[j] * c->cost_sum[j];
    }
    *npv = n;
    *benefits = b;
    *costs = k;
}

static int fast_npv(vos_case *c, double *npv)
{
    int rc = vos_case_eval(c);
    if (rc < 0)
        return rc;
    double b, k;
    vos_case_totals(c, npv, &b, &k);
    return 0;
}

static int is_ranged(const vos_dist *d)
{
    return d->low < d->high;
}

static void set_likely(vos_case *c)
{
    for (size_t i = 0; i < c->model->n_inputs; i++)
        c->slots[i] = c->dists[i].likely;
}

/* Decides, per ranged input, which end of its range lowers (conservative) or raises
 * (optimistic) NPV, the other inputs at their values. */
static int compute_ends(vos_case *c)
{
    const vos_model *m = c->model;
    set_likely(c);
    for (size_t i = 0; i < m->n_inputs; i++) {
        const vos_dist *d = &c->dists[i];
        vos_input_end cons = VOS_END_LIKELY, opt = VOS_END_LIKELY;
        if (is_ranged(d)) {
            double lo, hi;
            int rc;
            c->slots[i] = d->low;
            if ((rc = fast_npv(c, &lo)) < 0)
                return vos_error_set(rc, "input '%s' at its low end %.15g: %s", m->inputs[i].id,
                                     d->low, vos_error_last());
            c->slots[i] = d->high;
            if ((rc = fast_npv(c, &hi)) < 0)
                return vos_error_set(rc, "input '%s' at its high end %.15g: %s",
                                     m->inputs[i].id, d->high, vos_error_last());
            c->slots[i] = d->likely;
            if (lo < hi) {
                cons = VOS_END_LOW;
                opt = VOS_END_HIGH;
            } else if (hi < lo) {
                cons = VOS_END_HIGH;
                opt = VOS_END_LOW;
            }
        }
        c->ends[VOS_SCENARIO_CONSERVATIVE][i] = cons;
        c->ends[VOS_SCENARIO_EXPECTED][i] = VOS_END_LIKELY;
        c->ends[VOS_SCENARIO_OPTIMISTIC][i] = opt;
    }
    c->ends_valid = 1;
    return 0;
}

static double end_value(const vos_dist *d, vos_input_end e)
{
    return e == VOS_END_LOW ? d->low : e == VOS_END_HIGH ? d->high : d->likely;
}

int vos_case_load_scenario(vos_case *c, vos_scenario s)
{
    if ((unsigned)s >= VOS_SCENARIO_COUNT)
        return vos_error_set(VOS_EINVALID, "unknown scenario number %d", (int)s);
    if (!c->ends_valid) {
        int rc = compute_ends(c);
        if (rc < 0)
            return rc;
    }
    for (size_t i = 0; i < c->model->n_inputs; i++)
        c->slots[i] = end_value(&c->dists[i], c->ends[s][i]);
    return vos_case_eval(c);
}

int vos_result_new(vos_result **out, const vos_model *m)
{
    *out = NULL;
    vos_result *r = calloc(1, sizeof *r);
    if (!r)
        return vos_error_set(VOS_ENOMEM, "out of memory");
    size_t W = (size_t)m->periods + 1;
    r->periods = m->periods;
    r->period = m->period;
    r->inputs = calloc(m->n_inputs + 1, sizeof(double));
    r->ends = calloc(m->n_inputs + 1, sizeof *r->ends);
    r->driver_value = calloc(m->n_drivers + 1, sizeof(double));
    r->benefit = calloc(m->n_drivers * W + 1, sizeof(double));
    r->cost = calloc(m->n_costs * W + 1, sizeof(double));
    r->lever = calloc(VOS_LEVER_COUNT * W, sizeof(double));
    r->benefits = calloc(W, sizeof(double));
    r->costs = calloc(W, sizeof(double));
    r->net = calloc(W, sizeof(double));
    r->cumulative = calloc(W, sizeof(double));
    r->driver_total = calloc(m->n_drivers + 1, sizeof(double));
    r->cost_total = calloc(m->n_costs + 1, sizeof(double));
    if (!r->inputs || !r->ends || !r->driver_value || !r->benefit || !r->cost || !r->lever ||
        !r->benefits || !r->costs || !r->net || !r->cumulative || !r->driver_total ||
        !r->cost_total) {
        vos_result_free(r);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    *out = r;
    return 0;
}

void vos_result_free(vos_result *r)
{
    if (!r)
        return;
    free(r->inputs);
    free(r->ends);
    free(r->driver_value);
    free(r->benefit);
    free(r->cost);
    free(r->lever);
    free(r->benefits);
    free(r->costs);
    free(r->net);
    free(r->cumulative);
    free(r->driver_total);
    free(r->cost_total);
    free(r);
}

/* Payback in months from the net flows: 0 when the cumulative flow never goes negative,
 * otherwise the first crossing back to non-negative after it first went negative. */
static void payback(const vos_case *c, vos_result *r)
{
    int P = r->periods;
    int j = 0;
    while (j <= P && r->cumulative[j] >= 0)
        j++;
    r->has_payback = 1;
    if (j > P) {
        r->payback_months = 0;
        return;
    }
    /* flows from the first negative cumulative on: [S_j, net_{j+1}, ...] */
    double first = r->net[j];
    r->net[j] = r->cumulative[j];
    double p;
    int rc = vos_fin_payback(&p, r->net + j, (size_t)(P - j + 1));
    r->net[j] = first;
    if (rc < 0) {
        r->has_payback = 0;
        snprintf(r->payback_error, sizeof r->payback_error,
                 "the cumulative net flow does not turn positive within the horizon");
        return;
    }
    r->payback_months = (j + p) * vos_case_months_per_period(c);
}

static void finance_figures(const vos_case *c, vos_result *r)
{
    size_t W = (size_t)r->periods + 1;
    double ppy = 12.0 / vos_case_months_per_period(c);
    if (vos_fin_npv_t0(&r->npv, c->rate_period, r->net, W) < 0)
        r->npv = NAN;
    double irr;
    r->has_irr = vos_fin_irr(&irr, r->net, W, 0.1 / ppy) == 0;
    if (r->has_irr) {
        r->irr = expm1(ppy * log1p(irr));
        r->irr_error[0] = '\0';
    } else {
        snprintf(r->irr_error, sizeof r->irr_error, "%s", vos_error_last());
    }
    payback(c, r);
    r->has_roi = vos_fin_roi(&r->roi, r->benefits_total, r->costs_total) == 0;
}

int vos_case_compute(vos_case *c, vos_scenario s, vos_result *r)
{
    const vos_model *m = c->model;
    int rc = vos_case_load_scenario(c, s);
    if (rc < 0)
        return rc;
    int P = m->periods;
    size_t W = (size_t)P + 1;
    r->scenario = s;
    for (size_t i = 0; i < m->n_inputs; i++) {
        r->inputs[i] = c->slots[i];
        r->ends[i] = c->ends[s][i];
    }
    memset(r->lever, 0, VOS_LEVER_COUNT * W * sizeof(double));
    memset(r->benefits, 0, W * sizeof(double));
    memset(r->costs, 0, W * sizeof(double));
    for (size_t d = 0; d < m->n_drivers; d++) {
        double v = c->slots[vos_model_driver_slot(m, d)], tot = 0;
        const double *ramp = c->ramp + d * W;
        double *row = r->benefit + d * W, *lev = r->lever + (size_t)m->drivers[d].lever * W;
        r->driver_value[d] = v;
        for (size_t t = 0; t < W; t++) {
            row[t] = v * ramp[t];
            lev[t] += row[t];
            r->benefits[t] += row[t];
            tot += row[t];
        }
        r->driver_total[d] = tot;
    }
    for (size_t k = 0; k < m->n_costs; k++) {
        double v = c->cost_value[k], tot = 0;
        const double *act = c->cost_active + k * W;
        double *row = r->cost + k * W;
        for (size_t t = 0; t < W; t++) {
            row[t] = v * act[t];
            r->costs[t] += row[t];
            tot += row[t];
        }
        r->cost_total[k] = tot;
    }
    double cum = 0, bsum = 0, csum = 0;
    for (size_t t = 0; t < W; t++) {
        r->net[t] = r->benefits[t] - r->costs[t];
        cum += r->net[t];
        r->cumulative[t] = cum;
        bsum += r->benefits[t];
        csum += r->costs[t];
    }
    for (int l = 0; l < VOS_LEVER_COUNT; l++) {
        double tot = 0;
        for (size_t t = 0; t < W; t++)
            tot += r->lever[(size_t)l * W + t];
        r->lever_total[l] = tot;
    }
    r->benefits_total = bsum;
    r->costs_total = csum;
    r->net_total = bsum - csum;
    finance_figures(c, r);
    return 0;
}

/* Sorts bars by swing, largest first, keeping model order among equal swings. */
static void sort_bars(vos_tornado_bar *bars, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        vos_tornado_bar tmp = bars[i];
        size_t j = i;
        while (j > 0 && bars[j - 1].swing < tmp.swing) {
            bars[j] = bars[j - 1];
            j--;
        }
        bars[j] = tmp;
    }
}

int vos_case_tornado(vos_case *c, vos_tornado_bar *bars, size_t *n)
{
    const vos_model *m = c->model;
    size_t k = 0;
    *n = 0;
    set_likely(c);
    for (size_t i = 0; i < m->n_inputs; i++) {
        const vos_dist *d = &c->dists[i];
        if (!is_ranged(d))
            continue;
        vos_tornado_bar *b = &bars[k++];
        int rc;
        b->input = i;
        b->low = d->low;
        b->high = d->high;
        c->slots[i] = d->low;
        if ((rc = fast_npv(c, &b->npv_low)) < 0)
            return rc;
        c->slots[i] = d->high;
        if ((rc = fast_npv(c, &b->npv_high)) < 0)
            return rc;
        c->slots[i] = d->likely;
        b->swing = fabs(b->npv_high - b->npv_low);
    }
    sort_bars(bars, k);
    *n = k;
    return 0;
}
