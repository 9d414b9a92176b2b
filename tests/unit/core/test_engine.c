/* The value engine: cash flows, finance figures, scenarios, tornado, Monte Carlo, lineage.
 * Expected figures are worked by hand from the rules of docs/computation.md. */
#include "vos/engine.h"
#include "vos/error.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vos_model *load(const char *yaml)
{
    vos_model *m = NULL;
    vos_diags d;
    vos_diags_init(&d);
    int rc = vos_model_load(&m, yaml, strlen(yaml), "test.yaml", &d);
    for (size_t i = 0; i < d.n; i++)
        if (d.items[i].severity == VOS_DIAG_ERROR)
            fprintf(stderr, "test.yaml:%d:%d: %s\n", d.items[i].line, d.items[i].col,
                    d.items[i].msg);
    vos_diags_free(&d);
    ck_assert_int_eq(rc, 0);
    return m;
}

#define HEAD(years, period, rate)                                                                  \
    "model: t\nversion: 1.0.0\ncurrency: USD\nhorizon: {years: " #years ", period: " #period     \
    "}\ndiscount_rate: " rate "\n"

/* 12 months of 100 USD/month against 600 USD up front. */
static const char simple[] = HEAD(1, month, "0%")
    "inputs:\n"
    "  a: {value: 100, low: 50, high: 200, unit: USD/month, evidence: e, confidence: high}\n"
    "drivers:\n"
    "  - {id: d1, lever: cost, formula: a, realization: 100%}\n"
    "costs:\n"
    "  - {id: c1, once: 600 USD, at: 0}\n";

typedef struct fixture {
    vos_model *m;
    vos_case *c;
    vos_result *r;
} fixture;

static fixture open_fx(const char *yaml)
{
    fixture f = {load(yaml), NULL, NULL};
    ck_assert_int_eq(vos_case_new(&f.c, f.m), 0);
    ck_assert_int_eq(vos_result_new(&f.r, f.m), 0);
    return f;
}

static void close_fx(fixture *f)
{
    vos_result_free(f->r);
    vos_case_free(f->c);
    vos_model_free(f->m);
}

START_TEST(simple_case_figures)
{
    fixture f = open_fx(simple);
    ck_assert_int_eq(vos_case_compute(f.c, VOS_SCENARIO_EXPECTED, f.r), 0);
    ck_assert_int_eq(f.r->periods, 12);
    ck_assert_double_eq(f.r->net[0], -600);
    ck_assert_double_eq(f.r->benefit[1], 100);
    ck_assert_double_eq(f.r->benefits_total, 1200);
    ck_assert_double_eq(f.r->costs_total, 600);
    ck_assert_double_eq(f.r->lever_total[VOS_LEVER_COST], 1200);
    ck_assert_double_eq(f.r->lever_total[VOS_LEVER_REVENUE], 0);
    ck_assert_double_eq_tol(f.r->npv, 600, 1e-9);
    ck_assert(f.r->has_payback);
    ck_assert_double_eq_tol(f.r->payback_months, 6, 1e-12);
    ck_assert(f.r->has_roi);
    ck_assert_double_eq_tol(f.r->roi, 1.0, 1e-15);
    /* monthly IRR of -600, 12 x 100 is 0.126946801395929 (bisection); annualised */
    ck_assert(f.r->has_irr);
    ck_assert_double_eq_tol(f.r->irr, pow(1.12694680139592926, 12) - 1, 1e-7);
    ck_assert_double_eq_tol(f.r->cumulative[12], 600, 1e-9);
    close_fx(&f);
}
END_TEST

START_TEST(scenarios_pick_the_hurting_end)
{
    fixture f = open_fx(simple);
    ck_assert_int_eq(vos_case_compute(f.c, VOS_SCENARIO_CONSERVATIVE, f.r), 0);
    ck_assert_double_eq(f.r->inputs[0], 50);
    ck_assert_int_eq(f.r->ends[0], VOS_END_LOW);
    ck_assert_double_eq_tol(f.r->npv, 0, 1e-9);
    ck_assert_int_eq(vos_case_compute(f.c, VOS_SCENARIO_OPTIMISTIC, f.r), 0);
    ck_assert_double_eq(f.r->inputs[0], 200);
    ck_assert_double_eq_tol(f.r->npv, 1800, 1e-9);
    close_fx(&f);
}
END_TEST

/* A larger input that raises a cost must take its high end in the conservative scenario. */
START_TEST(conservative_follows_sign_of_effect)
{
    fixture f = open_fx(HEAD(1, month, "0%")
        "inputs:\n"
        "  gain: {value: 100, unit: USD/month, evidence: e, confidence: high}\n"
        "  seats: {value: 10, low: 8, high: 15, evidence: e, confidence: high}\n"
        "drivers:\n  - {id: d, lever: revenue, formula: gain, realization: 90%}\n"
        "costs:\n  - {id: lic, formula: seats * 5 USD/month}\n");
    ck_assert_int_eq(vos_case_compute(f.c, VOS_SCENARIO_CONSERVATIVE, f.r), 0);
    ck_assert_int_eq(f.r->ends[1], VOS_END_HIGH);
    ck_assert_double_eq(f.r->inputs[1], 15);
    ck_assert_double_eq_tol(f.r->costs_total, 15 * 5 * 12, 1e-9);
    ck_assert_double_eq_tol(f.r->benefits_total, 90 * 12, 1e-9);
    ck_assert_int_eq(vos_case_compute(f.c, VOS_SCENARIO_OPTIMISTIC, f.r), 0);
    ck_assert_int_eq(f.r->ends[1], VOS_END_LOW);
    /* an input that cannot move NPV (fixed) stays at its value */
    ck_assert_int_eq(f.r->ends[0], VOS_END_LIKELY);
    close_fx(&f);
}
END_TEST

/* DESIGN.md's example: 12000 1/month * 6 min * 48 USD/h is exactly 57,600 USD/month. */
START_TEST(unit_conversion_is_exact)
{
    fixture f = open_fx(HEAD(3, month, "10%/year")
        "inputs:\n"
        "  tickets: {value: 12000, unit: 1/month, evidence: e, confidence: high}\n"
        "  minutes_saved: {value: 6, unit: min, evidence: e, confidence: high}\n"
        "  loaded_rate: {value: 48, unit: USD/h, evidence: e, confidence: high}\n"
        "drivers:\n"
        "  - {id: agent_time, lever: cost, formula: tickets * minutes_saved * loaded_rate}\n");
    ck_assert_int_eq(vos_case_compute(f.c, VOS_SCENARIO_EXPECTED, f.r), 0);
    ck_assert_double_eq(f.r->driver_value[0], 57600);
    ck_assert_double_eq(f.r->driver_total[0], 57600.0 * 36);
    ck_assert(!f.r->has_roi); /* no costs */
    ck_assert(!f.r->has_irr); /* no negative flow */
    ck_assert(f.r->has_payback);
    ck_assert_double_eq(f.r->payback_months, 0);
    close_fx(&f);
}
END_TEST

/* Linear ramp over 4 months, 50% haircut, 12%/year discount compounded monthly. */
START_TEST(ramp_haircut_discount)
{
    fixture f = open_fx(HEAD(1, month, "12%/year")
        "inputs:\n  v: {value: 1000, unit: USD/month, evidence: e, confidence: high}\n"
        "drivers:\n  - {id: d, lever: risk, formula: v, ramp: {linear: 4 months}, "
        "realization: 50%}\n"
        "costs:\n  - {id: up, once: 2000 USD}\n");
    ck_assert_int_eq(vos_case_compute(f.c, VOS_SCENARIO_EXPECTED, f.r), 0);
    double rp = pow(1.12, 1.0 / 12) - 1, npv = -2000, tot = 0;
    for (int t = 1; t <= 12; t++) {
        double b = 1000 * fmin(1.0, t / 4.0) * 0.5;
        ck_assert_double_eq_tol(f.r->benefit[t], b, 1e-9);
        npv += b / pow(1 + rp, t);
        tot += b;
    }
    ck_assert_double_eq_tol(f.r->npv, npv, 1e-7);
    ck_assert_double_eq_tol(f.r->lever_total[VOS_LEVER_RISK], tot, 1e-9);
    /* cumulative: -2000, -1875, -1625, -1250, -750, -250, +250: payback 5.5 months */
    ck_assert_double_eq_tol(f.r->payback_months, 5.5, 1e-12);
    close_fx(&f);
}
END_TEST

/* S-curve ramp: 3x^2 - 2x^3 with x = k/N; and a start month delays it. */
START_TEST(scurve_and_start)
{
    fixture f = open_fx(HEAD(1, month, "0%")
        "inputs:\n  v: {value: 100, unit: USD/month, evidence: e, confidence: high}\n"
        "drivers:\n  - {id: d, lever: cost, formula: v, ramp: {scurve: 4 months}, start: 3, "
        "realization: 100%}\n");
    ck_assert_int_eq(vos_case_compute(f.c, VOS_SCENARIO_EXPECTED, f.r), 0);
    ck_assert_double_eq(f.r->benefit[1], 0);
    ck_assert_double_eq(f.r->benefit[2], 0);
    double x = 0.25;
    ck_assert_double_eq_tol(f.r->benefit[3], 100 * x * x * (3 - 2 * x), 1e-12);
    x = 0.5;
    ck_assert_double_eq_tol(f.r->benefit[4], 100 * x * x * (3 - 2 * x), 1e-12);
    ck_assert_double_eq_tol(f.r->benefit[6], 100, 1e-12);
    ck_assert_double_eq_tol(f.r->benefit[12], 100, 1e-12);
    close_fx(&f);
}
END_TEST

/* Yearly periods: benefits per year with the ramp averaged over the year's months. */
START_TEST(yearly_periods)
{
    fixture f = open_fx(HEAD(2, year, "10%")
        "inputs:\n  v: {value: 10000, unit: USD/month, evidence: e, confidence: high}\n"
        "drivers:\n  - {id: d, lever: cost, formula: v, ramp: {linear: 6 months}, "
        "realization: 100%}\n"
        "costs:\n  - {id: sub, formula: 60000 USD/year}\n  - {id: impl, once: 50000 USD}\n");
    ck_assert_int_eq(vos_case_compute(f.c, VOS_SCENARIO_EXPECTED, f.r), 0);
    ck_assert_int_eq(f.r->periods, 2);
    ck_assert_double_eq_tol(f.r->driver_value[0], 120000, 1e-9);
    ck_assert_double_eq_tol(f.r->benefit[1], 120000 * 9.5 / 12, 1e-9);
    ck_assert_double_eq_tol(f.r->benefit[2], 120000, 1e-9);
    ck_assert_double_eq_tol(f.r->costs[1], 60000, 1e-9);
    double npv = -50000 + (95000 - 60000) / 1.1 + (120000 - 60000) / 1.21;
    ck_assert_double_eq_tol(f.r->npv, npv, 1e-7);
    close_fx(&f);
}
END_TEST

START_TEST(tornado_ranks_by_swing)
{
    fixture f = open_fx(HEAD(1, month, "0%")
        "inputs:\n"
        "  a: {value: 100, low: 90, high: 110, unit: USD/month, evidence: e, confidence: high}\n"
        "  b: {value: 100, low: 0, high: 300, unit: USD/month, evidence: e, confidence: high}\n"
        "  c: {value: 5, unit: USD/month, evidence: e, confidence: high}\n"
        "drivers:\n  - {id: d, lever: cost, formula: a + b + c, realization: 100%}\n");
    vos_tornado_bar bars[3];
    size_t n = 0;
    ck_assert_int_eq(vos_case_tornado(f.c, bars, &n), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(bars[0].input, 1);
    ck_assert_double_eq_tol(bars[0].swing, 300 * 12, 1e-9);
    ck_assert_double_eq_tol(bars[0].npv_low, (100 + 0 + 5) * 12, 1e-9);
    ck_assert_uint_eq(bars[1].input, 0);
    ck_assert_double_eq_tol(bars[1].swing, 20 * 12, 1e-9);
    close_fx(&f);
}
END_TEST

START_TEST(simulation_is_reproducible_and_right)
{
    fixture f = open_fx(HEAD(1, month, "0%")
        "inputs:\n"
        "  a: {value: 100, low: 50, high: 150, dist: uniform, unit: USD/month, evidence: e, "
        "confidence: high}\n"
        "drivers:\n  - {id: d, lever: cost, formula: a, realization: 100%}\n"
        "costs:\n  - {id: c1, once: 1000 USD}\n");
    vos_simulation s1, s2, s3;
    ck_assert_int_eq(vos_case_simulate(f.c, 20000, 42, &s1), 0);
    ck_assert_int_eq(vos_case_simulate(f.c, 20000, 42, &s2), 0);
    ck_assert_int_eq(vos_case_simulate(f.c, 20000, 43, &s3), 0);
    ck_assert_double_eq(s1.npv.mean, s2.npv.mean);
    ck_assert_double_eq(s1.npv.p50, s2.npv.p50);
    ck_assert(s1.npv.mean != s3.npv.mean);
    /* NPV = 12 a - 1000 with a ~ U(50, 150): mean 200, sd 12 * 100 / sqrt(12) = 346.41 */
    double se = 346.41 / sqrt(20000);
    ck_assert_double_eq_tol(s1.npv.mean, 200, 5 * se);
    ck_assert_double_eq_tol(s1.npv.sd, 346.41, 346.41 * 0.03);
    ck_assert_double_eq_tol(s1.npv.p10, 12 * 60 - 1000, 15);
    ck_assert_double_eq_tol(s1.npv.p90, 12 * 140 - 1000, 15);
    ck_assert_double_eq_tol(s1.p_npv_positive, 1 - (1000.0 / 12 - 50) / 100, 0.01);
    size_t total = 0;
    for (int b = 0; b < VOS_SIM_BINS; b++)
        total += s1.hist[b];
    ck_assert_uint_eq(total, 20000);
    ck_assert_int_eq(vos_case_simulate(f.c, 0, 1, &s1), VOS_ETOOLARGE);
    ck_assert_int_eq(vos_case_simulate(f.c, VOS_SIM_ITER_MAX + 1, 1, &s1), VOS_ETOOLARGE);
    close_fx(&f);
}
END_TEST

START_TEST(overrides_apply_all_or_nothing)
{
    fixture f = open_fx(HEAD(1, month, "0%")
        "inputs:\n"
        "  m: {value: 6, low: 3, high: 9, unit: min, evidence: e, confidence: high}\n"
        "  r: {value: 60, unit: USD/h, evidence: e, confidence: high}\n"
        "  n: {value: 100, unit: 1/month, evidence: e, confidence: high}\n"
        "drivers:\n  - {id: d, lever: cost, formula: m * r * n, realization: 100%}\n");
    vos_diags d;
    vos_diags_init(&d);
    const char *good = "m: 0.1 h\nn: {value: 200, low: 150, high: 250}\n";
    ck_assert_int_eq(vos_case_load_overrides(f.c, good, strlen(good), &d), 0);
    ck_assert_double_eq_tol(vos_case_input(f.c, 0)->likely, 6, 1e-12);
    ck_assert_double_eq(vos_case_input(f.c, 2)->likely, 200);
    ck_assert_double_eq(vos_case_input(f.c, 2)->high, 250);
    ck_assert_int_eq(vos_case_compute(f.c, VOS_SCENARIO_EXPECTED, f.r), 0);
    ck_assert_double_eq_tol(f.r->driver_value[0], 6 * 200, 1e-9);
    const char *bad = "m: 5\nnope: 3\nr: {value: 10, high: 5}\nn: 3 USD\n";
    ck_assert_int_eq(vos_case_load_overrides(f.c, bad, strlen(bad), &d), VOS_EINVALID);
    ck_assert_uint_eq(d.n_errors, 3);
    ck_assert_int_eq(d.items[0].line, 2); /* unknown input at its key */
    /* nothing of the bad file applied, not even the valid first line */
    ck_assert_double_eq_tol(vos_case_input(f.c, 0)->likely, 6, 1e-12);
    ck_assert_double_eq(vos_case_input(f.c, 2)->likely, 200);
    vos_diags_free(&d);
    close_fx(&f);
}
END_TEST

START_TEST(explain_matches_compute)
{
    fixture f = open_fx(HEAD(2, month, "10%/year")
        "inputs:\n"
        "  tickets: {value: 12000, low: 9000, high: 15000, unit: 1/month, evidence: ITSM, "
        "confidence: high}\n"
        "  minutes_saved: {value: 6, low: 3, high: 9, unit: min, dist: triangular, evidence: "
        "study, confidence: medium}\n"
        "  loaded_rate: {value: 48, unit: USD/h, evidence: BLS, confidence: high}\n"
        "drivers:\n"
        "  - {id: agent_time, lever: cost, formula: tickets * minutes_saved * loaded_rate, "
        "ramp: {linear: 6 months}, realization: 80%}\n"
        "costs:\n  - {id: sub, formula: 120000 USD/year}\n  - {id: impl, once: 40000 USD}\n");
    ck_assert_int_eq(vos_case_compute(f.c, VOS_SCENARIO_CONSERVATIVE, f.r), 0);
    vos_figure fig;
    vos_explanation *e = NULL;
    ck_assert_int_eq(vos_figure_parse(&fig, f.m, "driver:agent_time:year2"), 0);
    ck_assert_int_eq(vos_case_explain(&e, f.c, VOS_SCENARIO_CONSERVATIVE, &fig), 0);
    double y2 = 0;
    for (int t = 13; t <= 24; t++)
        y2 += f.r->benefit[t];
    ck_assert_double_eq_tol(e->value, y2, 1e-9);
    ck_assert_double_eq_tol(e->value, 9000 * 3 * 48 / 60.0 * 12 * 0.8, 1e-6);
    int saw_evidence = 0;
    for (size_t i = 0; i < e->n_terms; i++)
        if (strcmp(e->terms[i].label, "input tickets") == 0) {
            ck_assert_double_eq(e->terms[i].value, 9000);
            ck_assert_ptr_nonnull(strstr(e->terms[i].detail, "ITSM"));
            ck_assert_ptr_nonnull(strstr(e->terms[i].detail, "low"));
            saw_evidence = 1;
        }
    ck_assert(saw_evidence);
    vos_explanation_free(e);

    ck_assert_int_eq(vos_figure_parse(&fig, f.m, "npv"), 0);
    ck_assert_int_eq(vos_case_explain(&e, f.c, VOS_SCENARIO_CONSERVATIVE, &fig), 0);
    ck_assert_double_eq(e->value, f.r->npv);
    double pv = 0;
    for (size_t i = 0; i < e->n_terms; i++)
        if (strncmp(e->terms[i].label, "PV of", 5) == 0)
            pv += e->terms[i].value;
    ck_assert_double_eq_tol(pv, f.r->npv, 1e-6);
    vos_explanation_free(e);

    ck_assert_int_eq(vos_figure_parse(&fig, f.m, "cost:impl"), 0);
    ck_assert_int_eq(vos_case_explain(&e, f.c, VOS_SCENARIO_CONSERVATIVE, &fig), 0);
    ck_assert_double_eq(e->value, 40000);
    vos_explanation_free(e);

    ck_assert_int_eq(vos_figure_parse(&fig, f.m, "npv:year1"), VOS_EINVALID);
    ck_assert_int_eq(vos_figure_parse(&fig, f.m, "driver:nope"), VOS_ENOTFOUND);
    ck_assert_int_eq(vos_figure_parse(&fig, f.m, "benefits:year3"), VOS_EINVALID);
    ck_assert_int_eq(vos_figure_parse(&fig, f.m, "lever:risk:year2"), 0);
    ck_assert_int_eq(vos_figure_parse(&fig, f.m, "bogus"), VOS_EINVALID);
    close_fx(&f);
}
END_TEST

START_TEST(non_finite_is_an_error)
{
    fixture f = open_fx(HEAD(1, month, "0%")
        "inputs:\n"
        "  a: {value: 1, low: 0, high: 2, evidence: e, confidence: high}\n"
        "drivers:\n  - {id: d, lever: cost, formula: 100 USD/month / a, realization: 100%}\n");
    ck_assert_int_eq(vos_case_compute(f.c, VOS_SCENARIO_EXPECTED, f.r), VOS_ENUM);
    ck_assert_ptr_nonnull(strstr(vos_error_last(), "low end"));
    close_fx(&f);
}
END_TEST

Suite *vos_test_engine_suite(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("engine");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, simple_case_figures);
    tcase_add_test(tc, scenarios_pick_the_hurting_end);
    tcase_add_test(tc, conservative_follows_sign_of_effect);
    tcase_add_test(tc, unit_conversion_is_exact);
    tcase_add_test(tc, ramp_haircut_discount);
    tcase_add_test(tc, scurve_and_start);
    tcase_add_test(tc, yearly_periods);
    tcase_add_test(tc, tornado_ranks_by_swing);
    tcase_add_test(tc, simulation_is_reproducible_and_right);
    tcase_add_test(tc, overrides_apply_all_or_nothing);
    tcase_add_test(tc, explain_matches_compute);
    tcase_add_test(tc, non_finite_is_an_error);
    suite_add_tcase(s, tc);
    return s;
}
