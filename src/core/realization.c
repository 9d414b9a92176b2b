/* Realization: the committed KPIs against their trajectories, and the value delivered to date
 * from the measurements.  include/vos/realization.h states the rules and docs/realization.md
 * works an example through every one of them. */
#include "vos/realization.h"

#include "engine_int.h"

#include "vos/error.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DAYS_PER_YEAR 365.25 /* calendar periods: the mean Julian year */
#define MONTHS_PER_YEAR 12
#define NO_PLAN SIZE_MAX
#define KPI_SLOTS 3 /* baseline, actual, target of each KPI: vos_model_kpi_slot */

/* --- one KPI against its trajectory --- */

double vos_kpi_planned(const vos_kpi_plan *p, double day)
{
    if (day <= p->baseline_day) return p->baseline;
    if (day >= p->target_day) return p->target;
    double x = (day - p->baseline_day) / (p->target_day - p->baseline_day);
    double gain = p->target - p->baseline;
    switch (p->trajectory) {
    case VOS_TRAJECTORY_S_CURVE:
        return p->baseline + gain * (x * x * (3 - 2 * x));
    case VOS_TRAJECTORY_STEP: {
        double v = p->baseline;
        for (size_t i = 0; i < p->n_milestones && p->milestones[i].day <= day; i++)
            v = p->milestones[i].value;
        return v;
    }
    default:
        return p->baseline + gain * x;
    }
}

double vos_kpi_progress(const vos_kpi_plan *p, double value)
{
    return (value - p->baseline) / (p->target - p->baseline);
}

/* +1 when the KPI improves upwards (target above baseline), -1 when downwards. */
static double improving(const vos_kpi_plan *p)
{
    return p->target > p->baseline ? 1.0 : -1.0;
}

/* The number of measurements at or before `day`. */
static size_t points_until(const vos_kpi_plan *p, double day)
{
    size_t n = p->n;
    while (n > 0 && p->day[n - 1] > day)
        n--;
    return n;
}

/* The linear trend through the latest points up to the n-th and its value at the target day,
 * when they span at least 3 distinct days. */
static void kpi_forecast(vos_kpi_status *st, const vos_kpi_plan *p, size_t n)
{
    size_t first = n > VOS_FORECAST_POINTS_MAX ? n - VOS_FORECAST_POINTS_MAX : 0, days = 0;
    for (size_t i = first; i < n; i++)
        days += i == first || p->day[i] != p->day[i - 1];
    st->forecast = st->forecast_low = st->forecast_high = st->forecast_progress = NAN;
    if (days < 3) return;
    if (vos_trend_forecast(p->day + first, p->value + first, n - first, p->target_day,
                           VOS_FORECAST_LEVEL, &st->forecast, &st->forecast_low,
                           &st->forecast_high) < 0)
        return;
    st->has_forecast = true;
    st->forecast_points = n - first;
    st->forecast_progress = vos_kpi_progress(p, st->forecast);
    st->forecast_misses = improving(p) * (p->target - st->forecast) > 0;
}

/* Step milestones whose day is at or before as_of while the actual (none: every one) falls
 * short of them in the direction of improvement. */
static size_t milestones_missed(const vos_kpi_plan *p, double as_of, double actual)
{
    size_t missed = 0;
    if (p->trajectory != VOS_TRAJECTORY_STEP) return 0;
    for (size_t i = 0; i < p->n_milestones && p->milestones[i].day <= as_of; i++)
        missed += isnan(actual) || improving(p) * (p->milestones[i].value - actual) > 0;
    return missed;
}

/* The status of one committed KPI at as_of. */
static void kpi_status(vos_kpi_status *st, const vos_kpi_plan *p, double as_of,
                       double stale_after_days)
{
    size_t n = points_until(p, as_of);
    memset(st, 0, sizeof *st);
    st->kpi = p->kpi;
    st->planned = vos_kpi_planned(p, as_of);
    st->planned_progress = vos_kpi_progress(p, st->planned);
    st->actual = n ? p->value[n - 1] : NAN;
    st->actual_day = n ? p->day[n - 1] : NAN;
    st->progress = vos_kpi_progress(p, st->actual);
    st->variance = st->actual - st->planned;
    double planned_gain = fabs(st->planned - p->baseline);
    if (planned_gain == 0) planned_gain = fabs(p->target - p->baseline);
    st->behind = improving(p) * (st->planned - st->actual) / planned_gain;
    st->drifting = st->behind > p->tolerance;
    st->stale = n == 0 || as_of - p->day[n - 1] > stale_after_days;
    kpi_forecast(st, p, n);
    st->milestones_missed = milestones_missed(p, as_of, st->actual);
}

/* --- input checks --- */

static const char *trajectory_text(vos_trajectory t)
{
    switch (t) {
    case VOS_TRAJECTORY_LINEAR:
        return "linear";
    case VOS_TRAJECTORY_S_CURVE:
        return "s-curve";
    case VOS_TRAJECTORY_STEP:
        return "step";
    default:
        return NULL;
    }
}

static int check_milestones(const vos_kpi_plan *p, const char *id)
{
    if (p->n_milestones > VOS_MILESTONES_MAX)
        return vos_error_set(VOS_EINVALID, "KPI '%s': %zu milestones (at most %d)", id,
                             p->n_milestones, VOS_MILESTONES_MAX);
    if (p->n_milestones && !p->milestones)
        return vos_error_set(VOS_EINVALID, "KPI '%s': milestones missing", id);
    for (size_t i = 0; i < p->n_milestones; i++) {
        const vos_milestone *ms = &p->milestones[i];
        if (!isfinite(ms->day) || !isfinite(ms->value))
            return vos_error_set(VOS_EINVALID,
                                 "KPI '%s': milestone %zu: day and value must be "
                                 "finite numbers",
                                 id, i + 1);
        if (ms->day < p->baseline_day || ms->day > p->target_day)
            return vos_error_set(VOS_EINVALID,
                                 "KPI '%s': milestone %zu: day %.10g is not "
                                 "between baseline_day %.10g and target_day %.10g",
                                 id, i + 1, ms->day, p->baseline_day, p->target_day);
        if (i > 0 && ms->day <= p->milestones[i - 1].day)
            return vos_error_set(VOS_EINVALID,
                                 "KPI '%s': milestone %zu: day %.10g must be after "
                                 "the day of milestone %zu (%.10g)",
                                 id, i + 1, ms->day, i, p->milestones[i - 1].day);
    }
    return 0;
}

static int check_measurements(const vos_kpi_plan *p, const char *id)
{
    if (p->n && (!p->day || !p->value))
        return vos_error_set(VOS_EINVALID, "KPI '%s': measurements missing", id);
    for (size_t i = 0; i < p->n; i++) {
        if (!isfinite(p->day[i]))
            return vos_error_set(VOS_EINVALID,
                                 "KPI '%s': measurement %zu: day is not a "
                                 "finite number",
                                 id, i + 1);
        if (!isfinite(p->value[i]))
            return vos_error_set(VOS_EINVALID,
                                 "KPI '%s': measurement %zu: value is not a "
                                 "finite number",
                                 id, i + 1);
        if (i > 0 && p->day[i] < p->day[i - 1])
            return vos_error_set(VOS_EINVALID,
                                 "KPI '%s': measurement %zu: day %.10g is before "
                                 "the day of measurement %zu (%.10g): days must be ascending",
                                 id, i + 1, p->day[i], i, p->day[i - 1]);
    }
    return 0;
}

/* Checks plan j and records it in plan_of (model KPI -> plan).  Messages name the KPI. */
static int check_plan(const vos_model *m, const vos_kpi_plan *p, size_t j, size_t *plan_of)
{
    if (p->kpi >= m->n_kpis)
        return vos_error_set(VOS_EINVALID,
                             "KPI plan %zu: kpi %zu is not a KPI of model %s "
                             "(it has %zu)",
                             j + 1, p->kpi, m->id, m->n_kpis);
    const char *id = m->kpis[p->kpi].id;
    if (plan_of[p->kpi] != NO_PLAN)
        return vos_error_set(VOS_EINVALID, "KPI '%s' is planned twice (plans %zu and %zu)", id,
                             plan_of[p->kpi] + 1, j + 1);
    plan_of[p->kpi] = j;
    if (!isfinite(p->baseline) || !isfinite(p->target))
        return vos_error_set(VOS_EINVALID,
                             "KPI '%s': baseline and target must be finite "
                             "numbers",
                             id);
    if (!isfinite(p->baseline_day) || !isfinite(p->target_day))
        return vos_error_set(VOS_EINVALID,
                             "KPI '%s': baseline_day and target_day must be "
                             "finite numbers",
                             id);
    if (!(p->target_day > p->baseline_day))
        return vos_error_set(VOS_EINVALID,
                             "KPI '%s': target_day %.10g must be after "
                             "baseline_day %.10g",
                             id, p->target_day, p->baseline_day);
    if (p->target == p->baseline)
        return vos_error_set(VOS_EINVALID,
                             "KPI '%s': target must differ from baseline (both "
                             "are %.15g)",
                             id, p->target);
    if (!trajectory_text(p->trajectory))
        return vos_error_set(VOS_EINVALID,
                             "KPI '%s': trajectory %d is not linear, s-curve or "
                             "step",
                             id, (int)p->trajectory);
    if (!(p->tolerance > 0 && p->tolerance <= 1))
        return vos_error_set(VOS_EINVALID, "KPI '%s': tolerance must be a fraction in (0, 1]", id);
    int rc = check_milestones(p, id);
    return rc < 0 ? rc : check_measurements(p, id);
}

/* Checks the case's figures: inputs, committed flows and dates. */
static int check_figures(const vos_realization_input *in)
{
    const vos_model *m = in->model;
    size_t W = (size_t)m->periods + 1;
    if ((m->n_inputs && !in->inputs) || (m->n_drivers && !in->plan) || !in->plan_costs ||
        (in->n_kpis && !in->kpis))
        return vos_error_set(VOS_EINVALID, "realization: inputs, plan, plan_costs or kpis "
                                           "missing");
    for (size_t i = 0; i < m->n_inputs; i++)
        if (!isfinite(in->inputs[i]))
            return vos_error_set(VOS_EINVALID, "input '%s' is not a finite number",
                                 m->inputs[i].id);
    for (size_t d = 0; d < m->n_drivers; d++)
        for (size_t t = 0; t < W; t++)
            if (!isfinite(in->plan[d * W + t]))
                return vos_error_set(VOS_EINVALID,
                                     "plan of driver '%s', period %zu: not a "
                                     "finite number",
                                     m->drivers[d].id, t);
    for (size_t t = 0; t < W; t++)
        if (!isfinite(in->plan_costs[t]))
            return vos_error_set(VOS_EINVALID, "plan_costs, period %zu: not a finite number", t);
    if (!isfinite(in->start_day) || !isfinite(in->as_of))
        return vos_error_set(VOS_EINVALID, "realization: start_day and as_of must be finite "
                                           "numbers");
    if (!(in->stale_after_days > 0) || !isfinite(in->stale_after_days))
        return vos_error_set(VOS_EINVALID, "realization: stale_after_days must be a positive "
                                           "number of days");
    return 0;
}

/* --- value realized per period --- */

/* Scratch of one computation, allocated once before the loops. */
typedef struct scratch {
    double *slots;    /* model->n_slots formula slots */
    size_t *plan_of;  /* model->n_kpis: the plan of each model KPI, or NO_PLAN */
    size_t *cursor;   /* n_kpis: the next measurement of each plan to read */
    bool *has_actual; /* n_kpis: whether actual(k) has a value yet */
} scratch;

static double period_days(const vos_model *m)
{
    return m->period == VOS_PERIOD_YEAR ? DAYS_PER_YEAR : DAYS_PER_YEAR / MONTHS_PER_YEAR;
}

/* The day period k ends on (and period k + 1 starts on). */
static double period_edge(double start_day, double L, int k)
{
    return start_day + k * L;
}

/* Whole periods from start_day to as_of, at most `periods`. */
static int periods_elapsed(double start_day, double as_of, double L, int periods)
{
    int e = 0;
    if (as_of >= start_day) {
        double q = floor((as_of - start_day) / L);
        e = q > periods ? periods : (int)q;
    }
    while (e < periods && period_edge(start_day, L, e + 1) <= as_of)
        e++;
    while (e > 0 && period_edge(start_day, L, e) > as_of)
        e--;
    return e;
}

/* Fills the input, driver and plan slots: the drivers' values are their formulas' (currency
 * per period, before ramp and haircut), as the engine computes them. */
static int fill_slots(const vos_realization_input *in, scratch *s)
{
    const vos_model *m = in->model;
    for (size_t i = 0; i < m->n_slots; i++)
        s->slots[i] = NAN;
    for (size_t i = 0; i < m->n_inputs; i++)
        s->slots[vos_model_input_slot(m, i)] = in->inputs[i];
    for (size_t k = 0; k < m->n_drivers; k++) {
        size_t d = m->driver_order[k];
        double v = vos_formula_eval(m->drivers[d].formula, s->slots);
        if (!isfinite(v))
            return vos_error_set(VOS_ENUM, "driver '%s' is not a finite number (%s)",
                                 m->drivers[d].id, vos_formula_source(m->drivers[d].formula));
        s->slots[vos_model_driver_slot(m, d)] = v;
    }
    for (size_t j = 0; j < in->n_kpis; j++) {
        const vos_kpi_plan *p = &in->kpis[j];
        s->slots[vos_model_kpi_slot(m, p->kpi, VOS_SYM_BASELINE)] = p->baseline;
        s->slots[vos_model_kpi_slot(m, p->kpi, VOS_SYM_TARGET)] = p->target;
    }
    return 0;
}

/* Sets actual(k) of every plan for period [lo, hi): the mean of its measurements there, else
 * the value carried from the latest earlier period (none before the first measurement). */
static void read_period(const vos_realization_input *in, scratch *s, double lo, double hi)
{
    const vos_model *m = in->model;
    for (size_t j = 0; j < in->n_kpis; j++) {
        const vos_kpi_plan *p = &in->kpis[j];
        double sum = 0;
        size_t count = 0, i = s->cursor[j];
        for (; i < p->n && p->day[i] < hi; i++)
            if (p->day[i] >= lo) {
                sum += p->value[i];
                count++;
            }
        s->cursor[j] = i;
        if (count == 0) continue;
        s->slots[vos_model_kpi_slot(m, p->kpi, VOS_SYM_ACTUAL)] = sum / (double)count;
        s->has_actual[j] = true;
    }
}

/* The first KPI the formula reads that has no plan, or NO_PLAN. */
static size_t missing_kpi(const vos_model *m, const vos_formula *f, const scratch *s)
{
    const uint32_t *deps;
    size_t n = vos_formula_deps(f, &deps), base = m->n_inputs + m->n_drivers;
    for (size_t i = 0; i < n; i++)
        if (deps[i] >= base && s->plan_of[(deps[i] - base) / KPI_SLOTS] == NO_PLAN)
            return (deps[i] - base) / KPI_SLOTS;
    return NO_PLAN;
}

/* Whether every KPI the formula reads with actual() has a value in this period. */
static bool actuals_known(const vos_model *m, const vos_formula *f, const scratch *s)
{
    const uint32_t *deps;
    size_t n = vos_formula_deps(f, &deps), base = m->n_inputs + m->n_drivers;
    for (size_t i = 0; i < n; i++) {
        if (deps[i] < base || (deps[i] - base) % KPI_SLOTS != VOS_SYM_ACTUAL - VOS_SYM_BASELINE)
            continue;
        if (!s->has_actual[s->plan_of[(deps[i] - base) / KPI_SLOTS]]) return false;
    }
    return true;
}

/* The realized value of every driver in each elapsed period, into r->drivers. */
static int realize(vos_realization *r, const vos_realization_input *in, scratch *s)
{
    const vos_model *m = in->model;
    double L = r->period_days;
    int rc = fill_slots(in, s);
    if (rc < 0) return rc;
    for (size_t d = 0; d < m->n_drivers; d++) {
        const vos_formula *f = m->drivers[d].realized;
        r->drivers[d].missing_kpi = f ? missing_kpi(m, f, s) : NO_PLAN;
    }
    for (int t = 1; t <= r->periods_elapsed; t++) {
        read_period(in, s, period_edge(in->start_day, L, t - 1), period_edge(in->start_day, L, t));
        for (size_t d = 0; d < m->n_drivers; d++) {
            const vos_driver *drv = &m->drivers[d];
            vos_driver_realization *dr = &r->drivers[d];
            if (!drv->realized || dr->missing_kpi != NO_PLAN || !actuals_known(m, drv->realized, s))
                continue;
            dr->periods_measured++;
            double ramp = vos_driver_ramp(m, drv, t);
            if (ramp == 0) continue;
            double v = vos_formula_eval(drv->realized, s->slots);
            if (!isfinite(v))
                return vos_error_set(VOS_ENUM,
                                     "driver '%s': realized value in period %d is not "
                                     "a finite number (%s)",
                                     drv->id, t, vos_formula_source(drv->realized));
            dr->per_period[t] = v * ramp;
            dr->realized_to_date += v * ramp;
        }
    }
    return 0;
}

/* --- totals --- */

/* Planned and realized to date, the committed total, costs, percentages and ROI. */
static void totals(vos_realization *r, const vos_realization_input *in)
{
    const vos_model *m = in->model;
    size_t W = (size_t)m->periods + 1, E = (size_t)r->periods_elapsed;
    for (size_t t = 0; t <= E; t++)
        r->costs_to_date += in->plan_costs[t];
    double C = r->costs_to_date;
    for (size_t d = 0; d < m->n_drivers; d++) {
        vos_driver_realization *dr = &r->drivers[d];
        const double *row = in->plan + d * W;
        for (size_t t = 0; t < W; t++) {
            r->committed_total += row[t];
            if (t <= E) dr->planned_to_date += row[t];
        }
        dr->variance = dr->realized_to_date - dr->planned_to_date;
        dr->roi_points = C != 0 ? dr->variance / C : NAN;
        r->planned_to_date += dr->planned_to_date;
        r->realized_to_date += dr->realized_to_date;
    }
    r->percent_of_plan = r->planned_to_date != 0 ? r->realized_to_date / r->planned_to_date : NAN;
    r->percent_of_total = r->committed_total != 0 ? r->realized_to_date / r->committed_total : NAN;
    r->roi_planned = C != 0 ? (r->planned_to_date - C) / C : NAN;
    r->roi_realized = C != 0 ? (r->realized_to_date - C) / C : NAN;
    r->roi_gap = r->roi_realized - r->roi_planned;
}

/* --- the computation --- */

static void scratch_free(scratch *s)
{
    free(s->slots);
    free(s->plan_of);
    free(s->cursor);
    free(s->has_actual);
}

static int scratch_init(scratch *s, const vos_realization_input *in)
{
    const vos_model *m = in->model;
    s->slots = malloc((m->n_slots ? m->n_slots : 1) * sizeof *s->slots);
    s->plan_of = malloc((m->n_kpis ? m->n_kpis : 1) * sizeof *s->plan_of);
    s->cursor = calloc(in->n_kpis ? in->n_kpis : 1, sizeof *s->cursor);
    s->has_actual = calloc(in->n_kpis ? in->n_kpis : 1, sizeof *s->has_actual);
    if (!s->slots || !s->plan_of || !s->cursor || !s->has_actual)
        return vos_error_set(VOS_ENOMEM, "out of memory computing realization");
    for (size_t k = 0; k < m->n_kpis; k++)
        s->plan_of[k] = NO_PLAN;
    return 0;
}

/* The result sized for the input: every figure 0, every driver's series zeroed. */
static int result_new(vos_realization **out, const vos_realization_input *in)
{
    const vos_model *m = in->model;
    size_t W = (size_t)m->periods + 1;
    vos_realization *r = calloc(1, sizeof *r);
    if (!r) return vos_error_set(VOS_ENOMEM, "out of memory computing realization");
    *out = r;
    r->kpis = calloc(in->n_kpis ? in->n_kpis : 1, sizeof *r->kpis);
    r->drivers = calloc(m->n_drivers ? m->n_drivers : 1, sizeof *r->drivers);
    double *series = calloc(m->n_drivers ? m->n_drivers * W : 1, sizeof *series);
    if (!r->kpis || !r->drivers || !series) {
        free(series);
        return vos_error_set(VOS_ENOMEM, "out of memory computing realization");
    }
    r->n_kpis = in->n_kpis;
    r->n_drivers = m->n_drivers;
    for (size_t d = 0; d < m->n_drivers; d++) {
        r->drivers[d].driver = d;
        r->drivers[d].has_realized = m->drivers[d].realized != NULL;
        r->drivers[d].per_period = series + d * W;
    }
    if (m->n_drivers == 0) free(series);
    return 0;
}

int vos_realization_compute(vos_realization **out, const vos_realization_input *in)
{
    scratch s = {0};
    vos_realization *r = NULL;
    int rc;
    *out = NULL;
    if (!in || !in->model) return vos_error_set(VOS_EINVALID, "realization: no model");
    const vos_model *m = in->model;
    if ((rc = scratch_init(&s, in)) < 0) goto out;
    if ((rc = check_figures(in)) < 0) goto out;
    for (size_t j = 0; j < in->n_kpis; j++)
        if ((rc = check_plan(m, &in->kpis[j], j, s.plan_of)) < 0) goto out;
    if ((rc = result_new(&r, in)) < 0) goto out;
    r->period_days = period_days(m);
    r->periods_elapsed = periods_elapsed(in->start_day, in->as_of, r->period_days, m->periods);
    for (size_t j = 0; j < in->n_kpis; j++)
        kpi_status(&r->kpis[j], &in->kpis[j], in->as_of, in->stale_after_days);
    if ((rc = realize(r, in, &s)) < 0) goto out;
    totals(r, in);
    *out = r;
    r = NULL;
out:
    vos_realization_free(r);
    scratch_free(&s);
    return rc;
}

void vos_realization_free(vos_realization *r)
{
    if (!r) return;
    if (r->drivers && r->n_drivers) free(r->drivers[0].per_period);
    free(r->drivers);
    free(r->kpis);
    free(r);
}
