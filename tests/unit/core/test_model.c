/* The model loader: the struct it builds from the DESIGN.md example (YAML and JSON), and every
 * class of diagnostic with its line and column. */
#include "vos/error.h"
#include "vos/model.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_PER_MONTH 43800
#define MIN_PER_YEAR 525600

/* --- helpers --- */

static char *read_fixture(const char *name, size_t *len)
{
    const char *root = getenv("VOS_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/models/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static vos_model *load_fixture(const char *name, vos_diags *d, int *rc)
{
    size_t len;
    char *text = read_fixture(name, &len);
    vos_model *m = NULL;
    vos_diags_init(d);
    *rc = vos_model_load(&m, text, len, name, d);
    vos_diags_sort(d);
    free(text);
    return m;
}

static vos_model *load_text(const char *text, vos_diags *d, int *rc)
{
    vos_model *m = NULL;
    vos_diags_init(d);
    *rc = vos_model_load(&m, text, strlen(text), "test.yaml", d);
    vos_diags_sort(d);
    return m;
}

static void dump(const vos_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        fprintf(stderr, "  %d:%d: %s: %s\n", d->items[i].line, d->items[i].col,
                d->items[i].severity == VOS_DIAG_ERROR ? "error" : "warning", d->items[i].msg);
}

/* Whether a diagnostic of that severity at line:col contains `part`. */
static int has(const vos_diags *d, vos_diag_severity sev, int line, int col, const char *part)
{
    for (size_t i = 0; i < d->n; i++) {
        const vos_diag *g = &d->items[i];
        if (g->severity == sev && g->line == line && g->col == col && strstr(g->msg, part))
            return 1;
    }
    dump(d);
    return 0;
}

#define HAS_ERROR(d, line, col, part)                                                              \
    ck_assert_msg(has(d, VOS_DIAG_ERROR, line, col, part), "no error %d:%d '%s'", line, col, part)
#define HAS_WARNING(d, line, col, part)                                                            \
    ck_assert_msg(has(d, VOS_DIAG_WARNING, line, col, part), "no warning %d:%d '%s'", line, col,  \
                  part)

/* A valid header to build small models on; it takes lines 1-5. */
#define HEADER                                                                                     \
    "model: t\n"                                                                                   \
    "version: 1.0.0\n"                                                                             \
    "currency: USD\n"                                                                              \
    "horizon: {years: 2}\n"                                                                        \
    "discount_rate: 10%\n"

/* Loads HEADER + body, expecting failure, and returns the diagnostics (caller frees). */
static vos_diags fails(const char *body)
{
    char text[8192];
    snprintf(text, sizeof text, "%s%s", HEADER, body);
    vos_diags d;
    int rc;
    vos_model *m = load_text(text, &d, &rc);
    if (rc != VOS_EINVALID)
        dump(&d);
    ck_assert_int_eq(rc, VOS_EINVALID);
    ck_assert_ptr_null(m);
    return d;
}

/* Loads HEADER + body, expecting success. */
static vos_model *loads(const char *body, vos_diags *d)
{
    char text[8192];
    snprintf(text, sizeof text, "%s%s", HEADER, body);
    int rc;
    vos_model *m = load_text(text, d, &rc);
    if (rc != 0)
        dump(d);
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(m);
    return m;
}

static void assert_unit(const vos_unit *u, int currency, int time, int64_t minutes)
{
    vos_unit want = vos_unit_make(currency, time, minutes);
    ck_assert_msg(vos_unit_equal(u, &want), "unit %d/%d %lld/%lld, want %d/%d %lld/%lld",
                  u->currency, u->time, (long long)u->num, (long long)u->den, want.currency,
                  want.time, (long long)want.num, (long long)want.den);
}

/* --- the DESIGN.md example --- */

static void check_service_desk(const vos_model *m)
{
    ck_assert_str_eq(m->id, "service-desk-automation");
    ck_assert_str_eq(m->version, "1.2.0");
    ck_assert_str_eq(m->name, "service-desk-automation");
    ck_assert_ptr_null(m->description);
    ck_assert_str_eq(m->currency, "USD");
    ck_assert_int_eq(m->horizon_years, 3);
    ck_assert_int_eq(m->period, VOS_PERIOD_MONTH);
    ck_assert_int_eq(m->periods, 36);
    assert_unit(&m->period_unit, 0, 1, MIN_PER_MONTH);
    ck_assert_double_eq(m->discount_rate, 0.10);

    ck_assert_uint_eq(m->n_capabilities, 1);
    ck_assert_str_eq(m->capabilities[0].id, "auto_triage");
    ck_assert_str_eq(m->capabilities[0].name, "AI ticket triage");
    ck_assert_uint_eq(m->capabilities[0].n_outcomes, 1);
    ck_assert_uint_eq(m->capabilities[0].outcomes[0], 0);
    ck_assert_uint_eq(m->n_outcomes, 1);
    ck_assert_str_eq(m->outcomes[0].id, "faster_resolution");
    ck_assert_uint_eq(m->outcomes[0].n_kpis, 1);
    ck_assert_uint_eq(m->outcomes[0].kpis[0], 0);
    ck_assert_uint_eq(m->n_kpis, 1);
    ck_assert_str_eq(m->kpis[0].id, "mttr");
    ck_assert_str_eq(m->kpis[0].unit_text, "h");
    assert_unit(&m->kpis[0].unit, 0, 1, 60);
    ck_assert_int_eq(m->kpis[0].better, VOS_BETTER_LOWER);

    ck_assert_uint_eq(m->n_inputs, 3);
    const vos_input *t = &m->inputs[0], *ms = &m->inputs[1], *lr = &m->inputs[2];
    ck_assert_str_eq(t->id, "tickets");
    ck_assert_str_eq(t->name, "tickets");
    ck_assert_str_eq(t->unit_text, "1/month");
    assert_unit(&t->unit, 0, -1, MIN_PER_MONTH);
    ck_assert_int_eq(t->dist.kind, VOS_DIST_PERT);
    ck_assert_double_eq(t->dist.low, 9000);
    ck_assert_double_eq(t->dist.likely, 12000);
    ck_assert_double_eq(t->dist.high, 15000);
    ck_assert_int_eq(t->has_range, 1);
    ck_assert_str_eq(t->evidence, "ITSM export 2026-Q3");
    ck_assert_int_eq(t->confidence, VOS_CONFIDENCE_HIGH);
    ck_assert_str_eq(ms->id, "minutes_saved");
    assert_unit(&ms->unit, 0, 1, 1);
    ck_assert_int_eq(ms->dist.kind, VOS_DIST_TRIANGULAR);
    ck_assert_double_eq(ms->dist.low, 3);
    ck_assert_double_eq(ms->dist.high, 9);
    ck_assert_ptr_null(ms->evidence);
    ck_assert_int_eq(ms->confidence, VOS_CONFIDENCE_MEDIUM);
    ck_assert_str_eq(lr->id, "loaded_rate");
    assert_unit(&lr->unit, 1, -1, 60);
    ck_assert_int_eq(lr->dist.kind, VOS_DIST_FIXED);
    ck_assert_double_eq(lr->dist.low, 48);
    ck_assert_double_eq(lr->dist.likely, 48);
    ck_assert_double_eq(lr->dist.high, 48);
    ck_assert_int_eq(lr->has_range, 0);

    ck_assert_uint_eq(m->n_drivers, 1);
    const vos_driver *d = &m->drivers[0];
    ck_assert_str_eq(d->id, "agent_time");
    ck_assert_int_eq(d->lever, VOS_LEVER_COST);
    ck_assert_uint_eq(d->outcome, 0);
    ck_assert_int_eq(d->ramp, VOS_RAMP_LINEAR);
    ck_assert_int_eq(d->ramp_months, 6);
    ck_assert_double_eq(d->realization, 0.8);
    ck_assert_int_eq(d->start_month, 1);
    assert_unit(vos_formula_unit(d->formula), 1, -1, MIN_PER_MONTH);

    /* Slots: inputs 0-2, the driver 3, then mttr's baseline, actual, target 4-6. */
    ck_assert_uint_eq(m->n_slots, 7);
    ck_assert_uint_eq(vos_model_driver_slot(m, 0), 3);
    ck_assert_uint_eq(vos_model_kpi_slot(m, 0, VOS_SYM_BASELINE), 4);
    ck_assert_uint_eq(vos_model_kpi_slot(m, 0, VOS_SYM_TARGET), 6);
    double slots[7] = {12000, 6, 48, 0, 10, 8, 7};
    /* 12000/month * 6 min * 48 USD/h = 12000 * 0.1 h * 48 USD/h = 57600 USD/month */
    ck_assert_double_eq_tol(vos_formula_eval(d->formula, slots), 57600, 1e-9);
    /* 12000/month * (10 h - 8 h) * 48 USD/h = 1152000 USD/month */
    ck_assert_ptr_nonnull(d->realized);
    ck_assert_double_eq_tol(vos_formula_eval(d->realized, slots), 1152000, 1e-6);
    ck_assert_uint_eq(m->driver_order[0], 0);

    ck_assert_uint_eq(m->n_costs, 2);
    ck_assert_str_eq(m->costs[0].id, "subscription");
    ck_assert_int_eq(m->costs[0].once, 0);
    ck_assert_int_eq(m->costs[0].start_month, 1);
    ck_assert_double_eq_tol(vos_formula_eval(m->costs[0].formula, slots), 10000, 1e-9);
    ck_assert_str_eq(m->costs[1].id, "implementation");
    ck_assert_int_eq(m->costs[1].once, 1);
    ck_assert_int_eq(m->costs[1].at_period, 0);
    assert_unit(vos_formula_unit(m->costs[1].formula), 1, 0, 1);
    ck_assert_double_eq_tol(vos_formula_eval(m->costs[1].formula, slots), 40000, 1e-9);

    ck_assert_int_eq(vos_model_find_input(m, "loaded_rate"), 2);
    ck_assert_int_eq(vos_model_find_input(m, "agent_time"), -1);
    ck_assert_int_eq(vos_model_find_driver(m, "agent_time"), 0);
    ck_assert_int_eq(vos_model_find_kpi(m, "mttr"), 0);
    ck_assert_int_eq(vos_model_find_cost(m, "implementation"), 1);
    ck_assert_int_eq(vos_model_find_cost(m, "nope"), -1);
}

START_TEST(design_example_yaml)
{
    vos_diags d;
    int rc;
    vos_model *m = load_fixture("service-desk.yaml", &d, &rc);
    if (rc)
        dump(&d);
    ck_assert_int_eq(rc, 0);
    check_service_desk(m);
    /* The one policy problem: minutes_saved cites no evidence. */
    ck_assert_uint_eq(d.n_errors, 0);
    ck_assert_uint_eq(d.n_warnings, 1);
    HAS_WARNING(&d, 14, 3, "input 'minutes_saved' has no evidence");
    ck_assert_int_eq(m->inputs[1].mark.line, 14);
    ck_assert_int_eq(m->drivers[0].mark.line, 17);
    ck_assert_int_eq(m->drivers[0].mark.col, 5);
    vos_model_free(m);
    vos_diags_free(&d);
}
END_TEST

START_TEST(design_example_json)
{
    vos_diags d;
    int rc;
    vos_model *m = load_fixture("service-desk.json", &d, &rc);
    if (rc)
        dump(&d);
    ck_assert_int_eq(rc, 0);
    check_service_desk(m);
    ck_assert_uint_eq(d.n_warnings, 1);
    HAS_WARNING(&d, 13, 5, "input 'minutes_saved' has no evidence");
    vos_model_free(m);
    vos_diags_free(&d);
}
END_TEST

/* --- every class of diagnostic --- */

START_TEST(five_problems_five_errors)
{
    vos_diags d;
    int rc;
    vos_model *m = load_fixture("five-problems.yaml", &d, &rc);
    ck_assert_int_eq(rc, VOS_EINVALID);
    ck_assert_ptr_null(m);
    /* all five at once, nothing else */
    ck_assert_uint_eq(d.n, 5);
    ck_assert_uint_eq(d.n_errors, 5);
    ck_assert_uint_eq(d.n_warnings, 0);
    HAS_ERROR(&d, 7, 1, "unknown key 'colour' (allowed: model, version, name,");
    HAS_ERROR(&d, 12, 28, "input 'hours': unit: unknown unit 'hrs'");
    HAS_ERROR(&d, 14, 3, "duplicate key 'rate' (first at line 13)");
    HAS_ERROR(&d, 19, 21, "driver 'saving': formula: unknown name 'hours_saved'");
    HAS_ERROR(&d, 22, 5, "cost 'licence': needs formula (a recurring cost) or once");
    vos_diags_free(&d);
}
END_TEST

START_TEST(unknown_keys_everywhere)
{
    vos_diags d = fails("horizon2: 1\n"                                       /* 6 */
                        "kpis: [{id: k, name: K, unit: h, better: lower, colour: red}]\n"
                        "inputs:\n"                                           /* 8 */
                        "  x: {value: 1, evidense: typo}\n"                   /* 9 */
                        "drivers:\n"
                        "  - {id: dr, lever: cost, formula: 1 USD/month, ramp: {linear: 2, x: 1}}\n"
                        "costs:\n"
                        "  - {id: c, formula: 1 USD/month, every: month}\n");
    HAS_ERROR(&d, 6, 1, "unknown key 'horizon2' (allowed:");
    HAS_ERROR(&d, 7, 49, "unknown key 'colour' in KPI 'k' (allowed: id, name, description, "
                         "unit, better)");
    HAS_ERROR(&d, 9, 17, "unknown key 'evidense' in input 'x' (allowed: value, low, high, unit, "
                         "dist, sd, evidence, confidence, name, description)");
    HAS_ERROR(&d, 11, 55, "driver 'dr': ramp must be none, {linear: DURATION} or "
                          "{scurve: DURATION}");
    HAS_ERROR(&d, 13, 35, "unknown key 'every' in cost 'c'");
    ck_assert_uint_eq(d.n_errors, 5);
    vos_diags_free(&d);
}
END_TEST

START_TEST(missing_fields)
{
    vos_diags d;
    int rc;
    load_text("version: 1.0.0\n", &d, &rc);
    ck_assert_int_eq(rc, VOS_EINVALID);
    HAS_ERROR(&d, 1, 1, "missing field 'model'");
    HAS_ERROR(&d, 1, 1, "missing field 'currency'");
    HAS_ERROR(&d, 1, 1, "missing field 'horizon'");
    HAS_ERROR(&d, 1, 1, "missing field 'discount_rate'");
    ck_assert_uint_eq(d.n_errors, 4);
    vos_diags_free(&d);

    d = fails("kpis: [{id: k, name: K, unit: h}]\n"
              "outcomes: [{id: o, name: O}]\n"
              "capabilities:\n"
              "  - {name: C, outcomes: [o]}\n"
              "inputs:\n"
              "  x: {unit: h}\n"
              "drivers:\n"
              "  - id: dr\n"
              "    formula:\n"
              "    realization: 0.5\n");
    HAS_ERROR(&d, 6, 8, "missing field 'better' in KPI 'k'");
    HAS_ERROR(&d, 7, 12, "missing field 'kpis' in outcome 'o'");
    HAS_ERROR(&d, 9, 5, "missing field 'id' in capability 1");
    HAS_ERROR(&d, 11, 6, "missing field 'value' in input 'x'");
    HAS_ERROR(&d, 13, 5, "missing field 'lever' in driver 'dr'");
    HAS_ERROR(&d, 14, 13, "driver 'dr': formula has no value");
    ck_assert_uint_eq(d.n_errors, 6);
    vos_diags_free(&d);
}
END_TEST

START_TEST(bad_units)
{
    vos_diags d = fails("kpis: [{id: k, name: K, unit: hour/wek, better: lower}]\n"
                        "inputs:\n"
                        "  x: {value: 1, unit: 'USD per h'}\n"
                        "  y: {value: 1, unit: EUR}\n"
                        "drivers:\n"
                        "  - {id: dr, lever: cost, formula: x * y}\n");
    HAS_ERROR(&d, 6, 36, "KPI 'k': unit: unknown unit 'wek'");
    HAS_ERROR(&d, 8, 28, "input 'x': unit: unexpected 'per'");
    HAS_ERROR(&d, 9, 23, "input 'y': unit: unknown unit 'EUR'");
    /* the driver reads the broken inputs: no second error about its formula */
    ck_assert_uint_eq(d.n_errors, 3);
    vos_diags_free(&d);
}
END_TEST

START_TEST(duplicate_ids)
{
    vos_diags d = fails("kpis:\n"
                        "  - {id: k, name: K, unit: h, better: lower}\n" /* 7 */
                        "  - {id: k, name: K2, unit: h, better: lower}\n"
                        "inputs:\n"
                        "  x: {value: 1}\n" /* 10 */
                        "drivers:\n"
                        "  - {id: x, lever: cost, formula: 1 USD/month}\n" /* 12 */
                        "costs:\n"
                        "  - {id: c, formula: 1 USD/month}\n"
                        "  - {id: c, once: 1 USD}\n"); /* 15 */
    HAS_ERROR(&d, 8, 5, "duplicate id 'k' (first used by the KPI at line 7)");
    HAS_ERROR(&d, 12, 5, "duplicate id 'x' (first used by the input at line 10)");
    HAS_ERROR(&d, 15, 5, "duplicate id 'c' (first used by the cost at line 14)");
    ck_assert_uint_eq(d.n_errors, 3);
    vos_diags_free(&d);
}
END_TEST

START_TEST(dangling_references)
{
    vos_diags d = fails("kpis: [{id: k, name: K, unit: h, better: lower}]\n"
                        "outcomes: [{id: o, name: O, kpis: [k, kk]}]\n"
                        "capabilities: [{id: c, name: C, outcomes: [o, oo, o]}]\n"
                        "inputs:\n"
                        "  x: {value: 1, unit: USD/month}\n"
                        "drivers:\n"
                        "  - {id: dr, lever: cost, outcome: nowhere, formula: x + y}\n");
    HAS_ERROR(&d, 7, 39, "outcome 'o': unknown KPI 'kk'");
    HAS_ERROR(&d, 8, 47, "capability 'c': unknown outcome 'oo'");
    HAS_ERROR(&d, 8, 51, "capability 'c': outcome 'o' is listed twice");
    HAS_ERROR(&d, 12, 36, "driver 'dr': unknown outcome 'nowhere'");
    HAS_ERROR(&d, 12, 58, "driver 'dr': formula: unknown name 'y'");
    ck_assert_uint_eq(d.n_errors, 5);
    vos_diags_free(&d);
}
END_TEST

START_TEST(cycles_name_their_members)
{
    vos_diags d;
    int rc;
    vos_model *m = load_fixture("cycle.yaml", &d, &rc);
    ck_assert_int_eq(rc, VOS_EINVALID);
    ck_assert_ptr_null(m);
    HAS_ERROR(&d, 9, 5, "cycle among drivers: a -> b -> c -> a");
    HAS_ERROR(&d, 12, 5, "cycle among drivers: d -> d");
    ck_assert_uint_eq(d.n_errors, 2);
    vos_diags_free(&d);

    /* Two cycles that share no driver but are linked: both are reported. */
    d = fails("inputs:\n"
              "  base: {value: 1, unit: USD/month}\n"
              "drivers:\n"
              "  - {id: x, lever: cost, formula: x}\n"       /* 9 */
              "  - {id: s, lever: cost, formula: x + y}\n"   /* 10 */
              "  - {id: y, lever: cost, formula: s + base}\n");
    HAS_ERROR(&d, 9, 5, "cycle among drivers: x -> x");
    HAS_ERROR(&d, 10, 5, "cycle among drivers: s -> y -> s");
    ck_assert_uint_eq(d.n_errors, 2);
    vos_diags_free(&d);
}
END_TEST

START_TEST(unit_mismatch_shows_both_units)
{
    vos_diags d;
    int rc;
    vos_model *m = load_fixture("units.yaml", &d, &rc);
    ck_assert_int_eq(rc, VOS_EINVALID);
    ck_assert_ptr_null(m);
    HAS_ERROR(&d, 13, 14, "driver 'wrong': formula: unit mismatch");
    HAS_ERROR(&d, 13, 14, "USD/year");
    HAS_ERROR(&d, 17, 15, "gives USD where USD/year is needed");
    HAS_ERROR(&d, 19, 23, "cost 'setup': once: unit mismatch: formula gives USD/month where USD "
                          "is needed");
    ck_assert_uint_eq(d.n_errors, 3);
    vos_diags_free(&d);
}
END_TEST

START_TEST(kpi_accessors_only_in_realized)
{
    vos_diags d = fails("kpis: [{id: k, name: K, unit: h, better: lower}]\n"
                        "inputs:\n"
                        "  r: {value: 1, unit: USD/h/month}\n"
                        "drivers:\n"
                        "  - id: dr\n"
                        "    lever: cost\n"
                        "    formula: r * baseline(k)\n"                    /* 12 */
                        "    realized: r * (baseline(k) - actual(kk))\n"    /* 13 */
                        "costs:\n"
                        "  - {id: c, formula: r * k}\n");                   /* 15 */
    HAS_ERROR(&d, 12, 27, "only allowed in realized formulas");
    HAS_ERROR(&d, 13, 41, "unknown KPI 'kk'");
    HAS_ERROR(&d, 15, 26, "'k' is a KPI: a realized formula reads it as baseline(k)");
    ck_assert_uint_eq(d.n_errors, 3);
    vos_diags_free(&d);
}
END_TEST

/* --- header fields --- */

static double rate_of(const char *rate)
{
    char text[512];
    snprintf(text, sizeof text,
             "model: t\nversion: 1.0.0\ncurrency: USD\nhorizon: {years: 1}\ndiscount_rate: %s\n",
             rate);
    vos_diags d;
    int rc;
    vos_model *m = load_text(text, &d, &rc);
    double r = rc == 0 ? m->discount_rate : NAN;
    vos_model_free(m);
    vos_diags_free(&d);
    return r;
}

START_TEST(discount_rates)
{
    ck_assert_double_eq(rate_of("10%/year"), 0.10);
    ck_assert_double_eq(rate_of("10%"), 0.10);
    ck_assert_double_eq(rate_of("0.1"), 0.10);
    ck_assert_double_eq(rate_of("\"0.1/year\""), 0.10);
    ck_assert_double_eq(rate_of("0"), 0);
    ck_assert_double_eq(rate_of("250 bp"), 0.025);
    /* 1% a month compounds to (1.01)^12 - 1 = 12.682503013196977% a year */
    ck_assert_double_eq_tol(rate_of("1%/month"), 0.12682503013196977, 1e-15);
    ck_assert_double_eq_tol(rate_of("0.05%/day"), pow(1.0005, 365) - 1, 1e-15);
    ck_assert(isnan(rate_of("-5%")));
    ck_assert(isnan(rate_of("100%")));
    ck_assert(isnan(rate_of("10")));
    ck_assert(isnan(rate_of("10 USD/year")));
    ck_assert(isnan(rate_of("10%/USD")));
    ck_assert(isnan(rate_of("ten")));

    vos_diags d;
    int rc;
    load_text("model: t\nversion: 1.0.0\ncurrency: USD\nhorizon: {years: 1}\n"
              "discount_rate: 10%/yeer\n",
              &d, &rc);
    HAS_ERROR(&d, 5, 20, "discount_rate: unknown unit 'yeer'");
    vos_diags_free(&d);
    load_text("model: t\nversion: 1.0.0\ncurrency: USD\nhorizon: {years: 1}\ndiscount_rate: 10\n",
              &d, &rc);
    HAS_ERROR(&d, 5, 16, "a plain number is a fraction: 0.1 is 10%");
    vos_diags_free(&d);
}
END_TEST

START_TEST(header_rules)
{
    vos_diags d;
    int rc;
    load_text("model: Bad Id\nversion: 1.2\nname: [x]\ncurrency: usd\n"
              "horizon: {years: 31, period: week}\ndiscount_rate: 5%\n",
              &d, &rc);
    ck_assert_int_eq(rc, VOS_EINVALID);
    HAS_ERROR(&d, 1, 8, "model id 'Bad Id' must be lowercase");
    HAS_ERROR(&d, 2, 10, "version '1.2' must be a semantic version MAJOR.MINOR.PATCH");
    HAS_ERROR(&d, 3, 7, "name must be text, not a list");
    HAS_ERROR(&d, 4, 11, "currency 'usd' must be an ISO 4217 code");
    HAS_ERROR(&d, 5, 18, "horizon: years must be a whole number from 1 to 30, not 31");
    HAS_ERROR(&d, 5, 30, "horizon: period must be one of month, year, not 'week'");
    ck_assert_uint_eq(d.n_errors, 6);
    vos_diags_free(&d);

    vos_model *m = load_text("model: a.b_c-2\nversion: 2.0.0-rc.1+build.5\nname: Nice name\n"
                             "description: |\n  Two\n  lines\ncurrency: EUR\n"
                             "horizon: {years: 5, period: year}\ndiscount_rate: 0.07\n",
                             &d, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(m->id, "a.b_c-2");
    ck_assert_str_eq(m->version, "2.0.0-rc.1+build.5");
    ck_assert_str_eq(m->name, "Nice name");
    ck_assert_str_eq(m->description, "Two\nlines\n");
    ck_assert_int_eq(m->period, VOS_PERIOD_YEAR);
    ck_assert_int_eq(m->periods, 5);
    assert_unit(&m->period_unit, 0, 1, MIN_PER_YEAR);
    ck_assert_uint_eq(m->n_inputs, 0);
    ck_assert_uint_eq(m->n_slots, 0);
    vos_model_free(m);
    vos_diags_free(&d);
}
END_TEST

/* --- inputs --- */

START_TEST(input_distributions)
{
    vos_diags d;
    vos_model *m = loads("inputs:\n"
                         "  a: {value: 5}\n"
                         "  b: {value: 5, low: 1, high: 9}\n"
                         "  c: {value: 5, low: 1, high: 9, dist: uniform}\n"
                         "  n: {value: 100, sd: 10, dist: normal}\n"
                         "  l: {value: 100, low: 80, high: 130, dist: lognormal}\n"
                         "  q: {value: \"7\", unit: '%'}\n",
                         &d);
    ck_assert_int_eq(m->inputs[0].dist.kind, VOS_DIST_FIXED);
    ck_assert_int_eq(m->inputs[0].has_range, 0);
    ck_assert_str_eq(m->inputs[0].unit_text, "1");
    ck_assert_int_eq(m->inputs[0].confidence, VOS_CONFIDENCE_UNSTATED);
    ck_assert_int_eq(m->inputs[1].dist.kind, VOS_DIST_PERT);
    ck_assert_int_eq(m->inputs[2].dist.kind, VOS_DIST_UNIFORM);
    /* normal by sd: low/high are P10/P90 = 100 -/+ 1.2815515655446004 * 10 */
    const vos_input *n = &m->inputs[3];
    ck_assert_int_eq(n->dist.kind, VOS_DIST_NORMAL);
    ck_assert_int_eq(n->has_range, 1);
    ck_assert_double_eq_tol(n->dist.low, 87.184484344553996, 1e-9);
    ck_assert_double_eq_tol(n->dist.high, 112.815515655446004, 1e-9);
    ck_assert_double_eq(n->dist.sd, 10);
    ck_assert_int_eq(m->inputs[4].dist.kind, VOS_DIST_LOGNORMAL);
    ck_assert_double_eq(m->inputs[4].dist.low, 80);
    ck_assert_double_eq(m->inputs[5].dist.likely, 7);
    ck_assert_int_eq(m->inputs[5].unit.time, 0);
    ck_assert_int_eq(m->inputs[5].unit.num, 1);
    ck_assert_int_eq(m->inputs[5].unit.den, 100);
    vos_model_free(m);
    vos_diags_free(&d);

    d = fails("inputs:\n"
              "  a: {value: 5, low: 1, high: 9, dist: fixed}\n"   /* 7 */
              "  b: {value: 5, low: 1}\n"                         /* 8 */
              "  c: {value: 5, dist: triangular}\n"               /* 9 */
              "  e: {value: 5, low: 6, high: 9}\n"                /* 10 */
              "  f: {value: 5, sd: 2}\n"                          /* 11 */
              "  g: {value: 5, dist: normal}\n"                   /* 12 */
              "  h: {value: 5, dist: gaussian}\n"                 /* 13 */
              "  i: {value: 5 apples}\n"                          /* 14 */
              "  j: {value: 5, low: 5, high: 5}\n"                /* 15 */
              "  k: {value: 5, dist: normal, sd: -1}\n"           /* 16 */
              "  l: 12000\n"                                      /* 17 */
              "  M: {value: 1, confidence: sure}\n");             /* 18 */
    HAS_ERROR(&d, 7, 40, "input 'a': a fixed input has no range; use dist: pert or drop low/high");
    HAS_ERROR(&d, 8, 22, "input 'b': give both low and high, or neither");
    HAS_ERROR(&d, 9, 23, "input 'c': dist: triangular needs low and high");
    HAS_ERROR(&d, 10, 22, "input 'e': low (6) must not be above value (5)");
    HAS_ERROR(&d, 11, 21, "input 'f': sd applies only to dist: normal or lognormal");
    HAS_ERROR(&d, 12, 23, "input 'g': dist: normal needs sd, or low and high");
    HAS_ERROR(&d, 13, 23, "input 'h': dist must be one of fixed, uniform, triangular, pert, "
                          "normal, lognormal, not 'gaussian'");
    HAS_ERROR(&d, 14, 14, "input 'i': value must be a number, not '5 apples'");
    HAS_ERROR(&d, 15, 6, "input 'j':");
    HAS_ERROR(&d, 16, 35, "input 'k': sd must be positive");
    HAS_ERROR(&d, 17, 6, "input 'l': must be a map such as {value: 12000, unit: 1/month}");
    HAS_ERROR(&d, 18, 3, "input id 'M' must be a lowercase letter");
    HAS_ERROR(&d, 18, 29, "input 'M': confidence must be one of low, medium, high, not 'sure'");
    ck_assert_uint_eq(d.n_errors, 13);
    vos_diags_free(&d);
}
END_TEST

/* --- drivers and costs --- */

START_TEST(driver_fields)
{
    vos_diags d;
    vos_model *m = loads("inputs:\n"
                         "  v: {value: 1, unit: USD/month}\n"
                         "drivers:\n"
                         "  - {id: a, lever: revenue, formula: v, ramp: {scurve: 90 days}, "
                         "realization: 0.75, start: 4}\n"
                         "  - {id: b, lever: risk, formula: v, ramp: {linear: 2 years}}\n"
                         "  - {id: c, lever: cost, formula: v, ramp: {linear: 4}, realization: 100%}\n"
                         "  - {id: e, lever: cost, formula: v, ramp: none}\n",
                         &d);
    ck_assert_int_eq(m->drivers[0].lever, VOS_LEVER_REVENUE);
    ck_assert_int_eq(m->drivers[0].ramp, VOS_RAMP_SCURVE);
    ck_assert_int_eq(m->drivers[0].ramp_months, 3); /* 90 days = 2.96 months */
    ck_assert_double_eq(m->drivers[0].realization, 0.75);
    ck_assert_int_eq(m->drivers[0].start_month, 4);
    ck_assert_uint_eq(m->drivers[0].outcome, SIZE_MAX);
    ck_assert_ptr_null(m->drivers[0].realized);
    ck_assert_int_eq(m->drivers[1].lever, VOS_LEVER_RISK);
    ck_assert_int_eq(m->drivers[1].ramp_months, 24);
    ck_assert_int_eq(m->drivers[2].ramp, VOS_RAMP_LINEAR);
    ck_assert_int_eq(m->drivers[2].ramp_months, 4);
    ck_assert_double_eq(m->drivers[2].realization, 1);
    ck_assert_int_eq(m->drivers[3].ramp, VOS_RAMP_NONE);
    ck_assert_int_eq(m->drivers[3].ramp_months, 0);
    ck_assert_str_eq(vos_lever_name(VOS_LEVER_RISK), "risk");
    ck_assert_str_eq(vos_confidence_name(VOS_CONFIDENCE_MEDIUM), "medium");
    ck_assert_str_eq(vos_confidence_name(VOS_CONFIDENCE_UNSTATED), "");
    vos_model_free(m);
    vos_diags_free(&d);

    d = fails("inputs:\n"
              "  v: {value: 1, unit: USD/month}\n"
              "drivers:\n"
              "  - {id: a, lever: profit, formula: v}\n"                       /* 9 */
              "  - {id: b, lever: cost, formula: v, realization: 1.5}\n"        /* 10 */
              "  - {id: c, lever: cost, formula: v, ramp: {linear: 25 months}}\n"
              "  - {id: e, lever: cost, formula: v, ramp: {linear: 3 USD}}\n"
              "  - {id: f, lever: cost, formula: v, start: 25}\n"
              "  - {id: g, lever: cost, formula: [v]}\n"
              "  - Hello\n");                                                  /* 15 */
    HAS_ERROR(&d, 9, 20, "driver 'a': lever must be one of revenue, cost, risk, not 'profit'");
    HAS_ERROR(&d, 10, 51, "driver 'b': realization must be a fraction (0.8) or a percentage (80%)");
    HAS_ERROR(&d, 11, 53, "driver 'c': ramp must last from 1 to 24 months");
    HAS_ERROR(&d, 12, 53, "driver 'e': ramp must last a time");
    HAS_ERROR(&d, 13, 45, "driver 'f': start must be a whole number from 1 to 24, not 25");
    HAS_ERROR(&d, 14, 35, "driver 'g': formula must be a formula (text), not a list");
    HAS_ERROR(&d, 15, 5, "each driver must be a map");
    ck_assert_uint_eq(d.n_errors, 7);
    vos_diags_free(&d);
}
END_TEST

START_TEST(cost_fields)
{
    vos_diags d;
    vos_model *m = loads("inputs:\n"
                         "  seats: {value: 50, unit: count}\n"
                         "drivers:\n"
                         "  - {id: dr, lever: cost, formula: seats * 10 USD/month}\n"
                         "costs:\n"
                         "  - {id: licence, name: Licence, formula: seats * 30 USD/month, start: 3}\n"
                         "  - {id: setup, once: 5000 USD, at: 2}\n"
                         "  - {id: share, formula: dr / 2}\n",
                         &d);
    double slots[2] = {50, 500};
    ck_assert_str_eq(m->costs[0].name, "Licence");
    ck_assert_int_eq(m->costs[0].once, 0);
    ck_assert_int_eq(m->costs[0].start_month, 3);
    ck_assert_double_eq_tol(vos_formula_eval(m->costs[0].formula, slots), 1500, 1e-9);
    ck_assert_str_eq(m->costs[1].name, "setup");
    ck_assert_int_eq(m->costs[1].once, 1);
    ck_assert_int_eq(m->costs[1].at_period, 2);
    ck_assert_double_eq_tol(vos_formula_eval(m->costs[1].formula, slots), 5000, 1e-9);
    ck_assert_double_eq_tol(vos_formula_eval(m->costs[2].formula, slots), 250, 1e-9);
    vos_model_free(m);
    vos_diags_free(&d);

    d = fails("costs:\n"
              "  - {id: a, once: 5000}\n"                                /* 7 */
              "  - {id: b, formula: 1 USD/month, at: 3}\n"               /* 8 */
              "  - {id: c, once: 1 USD, start: 2}\n"                     /* 9 */
              "  - {id: e, once: 1 USD, at: 25}\n"                       /* 10 */
              "  - {id: f, formula: 1 USD/month, once: 2 USD}\n");       /* 11 */
    HAS_ERROR(&d, 7, 19, "cost 'a': once: unit mismatch");
    HAS_ERROR(&d, 8, 39, "cost 'b': at applies only to one-time costs (once)");
    HAS_ERROR(&d, 9, 33, "cost 'c': start applies only to recurring costs");
    HAS_ERROR(&d, 10, 30, "cost 'e': at must be a whole number from 0 to 24, not 25");
    HAS_ERROR(&d, 11, 41, "cost 'f': give either formula (a recurring cost) or once");
    ck_assert_uint_eq(d.n_errors, 5);
    vos_diags_free(&d);
}
END_TEST

START_TEST(driver_order_is_topological_and_stable)
{
    vos_diags d;
    vos_model *m = loads("inputs:\n"
                         "  v: {value: 1, unit: USD/month}\n"
                         "drivers:\n"
                         "  - {id: total, lever: cost, formula: part_b + part_a}\n"
                         "  - {id: part_a, lever: cost, formula: v}\n"
                         "  - {id: part_b, lever: cost, formula: part_a * 2}\n"
                         "  - {id: alone, lever: cost, formula: v}\n"
                         "costs:\n"
                         "  - {id: fee, formula: total / 10}\n",
                         &d);
    /* part_a first (no reads), then part_b, then total; `alone` is free and keeps its place
     * after the earliest ready driver each time */
    ck_assert_uint_eq(m->driver_order[0], 1);
    ck_assert_uint_eq(m->driver_order[1], 2);
    ck_assert_uint_eq(m->driver_order[2], 0);
    ck_assert_uint_eq(m->driver_order[3], 3);
    ck_assert_uint_eq(m->n_slots, 5);
    const uint32_t *deps;
    ck_assert_uint_eq(vos_formula_deps(m->drivers[0].formula, &deps), 2);
    ck_assert_uint_eq(deps[0], vos_model_driver_slot(m, 1));
    ck_assert_uint_eq(deps[1], vos_model_driver_slot(m, 2));
    vos_model_free(m);
    vos_diags_free(&d);
}
END_TEST

/* --- formula positions --- */

START_TEST(formula_error_columns)
{
    vos_diags d = fails("inputs:\n"
                        "  v: {value: 1, unit: USD/month}\n"
                        "drivers:\n"
                        "  - {id: a, lever: cost, formula: 'v + zz'}\n"      /* 9 */
                        "  - {id: b, lever: cost, formula: \"v + \\u00e9\"}\n" /* 10 */
                        "  - id: c\n"
                        "    lever: cost\n"
                        "    formula: >\n"                                    /* 13 */
                        "      v + qq\n"
                        "  - {id: é, lever: cost, formula: v + yy}\n");       /* 15 */
    HAS_ERROR(&d, 9, 40, "driver 'a': formula: unknown name 'zz'");
    /* an escape makes the text differ from the source: reported at the scalar */
    HAS_ERROR(&d, 10, 35, "driver 'b': formula:");
    /* block scalars: reported where the scalar starts */
    HAS_ERROR(&d, 13, 14, "driver 'c': formula: unknown name 'qq'");
    /* columns count characters: the 'é' is one column */
    HAS_ERROR(&d, 15, 10, "driver id 'é' must be");
    HAS_ERROR(&d, 15, 39, "driver 'é': formula: unknown name 'yy'");
    ck_assert_uint_eq(d.n_errors, 5);
    vos_diags_free(&d);
}
END_TEST

/* --- YAML rules --- */

START_TEST(yaml_rules)
{
    vos_diags d;
    int rc;
    load_text(HEADER "inputs:\n  a: &x {value: 1}\n  b: *x\n", &d, &rc);
    ck_assert_int_eq(rc, VOS_EINVALID);
    HAS_ERROR(&d, 7, 6, "anchors are not supported");
    HAS_ERROR(&d, 8, 6, "aliases are not supported");
    ck_assert_uint_eq(d.n_errors, 2);
    vos_diags_free(&d);

    load_text(HEADER "---\nmodel: other\n", &d, &rc);
    ck_assert_int_eq(rc, VOS_EINVALID);
    HAS_ERROR(&d, 6, 1, "a model file holds one YAML document; another one starts here");
    vos_diags_free(&d);

    load_text("---\n" HEADER "---\n" HEADER, &d, &rc);
    HAS_ERROR(&d, 7, 1, "a model file holds one YAML document");
    vos_diags_free(&d);

    load_text(HEADER "inputs: {a: {value: 1}\n", &d, &rc);
    HAS_ERROR(&d, 7, 1, "YAML syntax: did not find expected ',' or '}'");
    vos_diags_free(&d);

    load_text("model: t\xff\n", &d, &rc);
    HAS_ERROR(&d, 1, 9, "invalid text: invalid leading UTF-8 octet");
    vos_diags_free(&d);

    /* a UTF-8 byte order mark is skipped and does not count as a column */
    load_text("\xEF\xBB\xBF" HEADER "colour: x\n", &d, &rc);
    HAS_ERROR(&d, 6, 1, "unknown key 'colour'");
    ck_assert_uint_eq(d.n_errors, 1);
    vos_diags_free(&d);

    load_text("", &d, &rc);
    HAS_ERROR(&d, 0, 0, "empty file");
    vos_diags_free(&d);

    load_text("# only a comment\n", &d, &rc);
    HAS_ERROR(&d, 0, 0, "empty file");
    vos_diags_free(&d);

    load_text("- a\n- b\n", &d, &rc);
    HAS_ERROR(&d, 1, 1, "a model file must be a map");
    vos_diags_free(&d);

    load_text(HEADER "description: !!str x\n", &d, &rc);
    HAS_ERROR(&d, 6, 14, "tags are not supported");
    vos_diags_free(&d);

    load_text(HEADER "? [a]\n: 1\n", &d, &rc);
    HAS_ERROR(&d, 6, 3, "map keys must be text, not a list");
    vos_diags_free(&d);

    /* nesting: 40 levels of lists */
    char deep[256] = HEADER "description: ";
    for (int i = 0; i < 40; i++)
        strcat(deep, "[");
    load_text(deep, &d, &rc);
    ck_assert_int_eq(rc, VOS_EINVALID);
    HAS_ERROR(&d, 6, 45, "nesting deeper than 32 levels");
    vos_diags_free(&d);
}
END_TEST

START_TEST(limits)
{
    vos_diags d;
    vos_diags_init(&d);
    vos_model *m = (vos_model *)1;
    ck_assert_int_eq(vos_model_load(&m, "", (size_t)VOS_MODEL_BYTES_MAX + 1, "x", &d),
                     VOS_ETOOLARGE);
    ck_assert_ptr_null(m);
    vos_diags_free(&d);

    char text[8192];
    char longname[VOS_NAME_MAX + 2];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    snprintf(text, sizeof text, "name: %s\ninputs:\n  %s: {value: 1}\n", longname,
             "a_very_long_identifier_that_goes_on_and_on_for_more_than_sixty_four_chars");
    d = fails(text);
    HAS_ERROR(&d, 6, 7, "name is longer than 200 characters");
    HAS_ERROR(&d, 8, 3, "input id 'a_very_long");
    vos_diags_free(&d);
    vos_model_free(NULL);
}
END_TEST

/* --- policy warnings --- */

START_TEST(policy_warnings)
{
    vos_diags d;
    vos_model *m = loads("capabilities:\n"
                         "  - {id: cap, name: Cap, outcomes: []}\n"          /* 7 */
                         "outcomes:\n"
                         "  - {id: lonely, name: Lonely, kpis: []}\n"        /* 9 */
                         "kpis:\n"
                         "  - {id: orphan, name: Orphan, unit: h, better: lower}\n" /* 11 */
                         "inputs:\n"
                         "  guess: {value: 3, unit: USD/month, confidence: medium, evidence: x}\n"
                         "  spare: {value: 1, evidence: y, confidence: high}\n" /* 14 */
                         "  sure: {value: 2, unit: USD/month, confidence: high}\n"
                         "drivers:\n"
                         "  - {id: dr, lever: cost, formula: guess + sure}\n", /* 17 */
                         &d);
    HAS_WARNING(&d, 7, 36, "capability 'cap': lists no outcomes");
    HAS_WARNING(&d, 9, 38, "outcome 'lonely': lists no KPIs");
    HAS_WARNING(&d, 9, 5, "outcome 'lonely' is listed by no capability");
    HAS_WARNING(&d, 11, 5, "KPI 'orphan' belongs to no outcome");
    HAS_WARNING(&d, 13, 3, "input 'guess' has no range: the conservative scenario cannot move it");
    HAS_WARNING(&d, 14, 3, "input 'spare' is not read by any formula (unused input)");
    HAS_WARNING(&d, 15, 3, "input 'sure' has no evidence");
    HAS_WARNING(&d, 17, 5, "driver 'dr' has no realization haircut");
    HAS_WARNING(&d, 17, 5, "driver 'dr' names no outcome");
    ck_assert_uint_eq(d.n_warnings, 9);
    ck_assert_uint_eq(d.n_errors, 0);
    vos_model_free(m);
    vos_diags_free(&d);
}
END_TEST

Suite *vos_test_model_suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("load");
    tcase_add_test(tc, design_example_yaml);
    tcase_add_test(tc, design_example_json);
    tcase_add_test(tc, five_problems_five_errors);
    tcase_add_test(tc, unknown_keys_everywhere);
    tcase_add_test(tc, missing_fields);
    tcase_add_test(tc, bad_units);
    tcase_add_test(tc, duplicate_ids);
    tcase_add_test(tc, dangling_references);
    tcase_add_test(tc, cycles_name_their_members);
    tcase_add_test(tc, unit_mismatch_shows_both_units);
    tcase_add_test(tc, kpi_accessors_only_in_realized);
    tcase_add_test(tc, discount_rates);
    tcase_add_test(tc, header_rules);
    tcase_add_test(tc, input_distributions);
    tcase_add_test(tc, driver_fields);
    tcase_add_test(tc, cost_fields);
    tcase_add_test(tc, driver_order_is_topological_and_stable);
    tcase_add_test(tc, formula_error_columns);
    tcase_add_test(tc, yaml_rules);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, policy_warnings);
    suite_add_tcase(s, tc);
    return s;
}
