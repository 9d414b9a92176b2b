/* Realization: trajectories, KPI status, the trend forecast and its Student t quantile, and the
 * value realized to date.  Expected figures are worked by hand from the rules of
 * docs/realization.md (the worked example there is the `realizing` test below); t quantiles
 * come from published tables and from Gnumeric 1.12's R.QT (R's qt); the 90-point trend from
 * numpy 1.24's polyfit. */
#include "vos/engine.h"
#include "vos/error.h"
#include "vos/realization.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S 20089.0 /* 2025-01-01: days since 1970-01-01 */
#define L (365.25 / 12)

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

/* A plan from baseline (b at day bd) to target (t at day td). */
static vos_kpi_plan plan(size_t kpi, double b, double bd, double t, double td, vos_trajectory tr)
{
    vos_kpi_plan p;
    memset(&p, 0, sizeof p);
    p.kpi = kpi;
    p.baseline = b;
    p.baseline_day = bd;
    p.target = t;
    p.target_day = td;
    p.trajectory = tr;
    p.tolerance = 0.1;
    return p;
}

/* --- trajectories --- */

START_TEST(linear_trajectory)
{
    vos_kpi_plan p = plan(0, 100, 0, 200, 100, VOS_TRAJECTORY_LINEAR);
    ck_assert_double_eq(vos_kpi_planned(&p, -5), 100);
    ck_assert_double_eq(vos_kpi_planned(&p, 0), 100);
    ck_assert_double_eq(vos_kpi_planned(&p, 25), 125);
    ck_assert_double_eq(vos_kpi_planned(&p, 50), 150);
    ck_assert_double_eq(vos_kpi_planned(&p, 100), 200);
    ck_assert_double_eq(vos_kpi_planned(&p, 150), 200);
    /* lower is better: 8 h down to 6 h */
    vos_kpi_plan q = plan(0, 8, 0, 6, 100, VOS_TRAJECTORY_LINEAR);
    ck_assert_double_eq(vos_kpi_planned(&q, 50), 7);
    ck_assert_double_eq(vos_kpi_planned(&q, 75), 6.5);
    ck_assert_double_eq(vos_kpi_planned(&q, -1), 8);
    ck_assert_double_eq(vos_kpi_planned(&q, 101), 6);
}
END_TEST

START_TEST(s_curve_trajectory)
{
    /* smoothstep x^2 (3 - 2x): x = 1/4 -> 5/32, 1/2 -> 1/2, 3/4 -> 27/32 */
    vos_kpi_plan p = plan(0, 100, 0, 200, 100, VOS_TRAJECTORY_S_CURVE);
    ck_assert_double_eq(vos_kpi_planned(&p, -1), 100);
    ck_assert_double_eq(vos_kpi_planned(&p, 0), 100);
    ck_assert_double_eq(vos_kpi_planned(&p, 25), 115.625);
    ck_assert_double_eq(vos_kpi_planned(&p, 50), 150);
    ck_assert_double_eq(vos_kpi_planned(&p, 75), 184.375);
    ck_assert_double_eq(vos_kpi_planned(&p, 100), 200);
    ck_assert_double_eq(vos_kpi_planned(&p, 1000), 200);
    vos_kpi_plan q = plan(0, 8, 0, 6, 100, VOS_TRAJECTORY_S_CURVE);
    ck_assert_double_eq(vos_kpi_planned(&q, 25), 8 - 2 * 5.0 / 32);
}
END_TEST

START_TEST(step_trajectory)
{
    vos_milestone ms[] = {{30, 120}, {60, 170}};
    vos_kpi_plan p = plan(0, 100, 0, 200, 100, VOS_TRAJECTORY_STEP);
    p.milestones = ms;
    p.n_milestones = 2;
    ck_assert_double_eq(vos_kpi_planned(&p, -1), 100);
    ck_assert_double_eq(vos_kpi_planned(&p, 10), 100);
    ck_assert_double_eq(vos_kpi_planned(&p, 29.99), 100);
    ck_assert_double_eq(vos_kpi_planned(&p, 30), 120);
    ck_assert_double_eq(vos_kpi_planned(&p, 45), 120);
    ck_assert_double_eq(vos_kpi_planned(&p, 60), 170);
    ck_assert_double_eq(vos_kpi_planned(&p, 99.9), 170);
    ck_assert_double_eq(vos_kpi_planned(&p, 100), 200);
    ck_assert_double_eq(vos_kpi_planned(&p, 120), 200);
    /* without milestones: the baseline until the target day */
    p.n_milestones = 0;
    ck_assert_double_eq(vos_kpi_planned(&p, 99.9), 100);
    ck_assert_double_eq(vos_kpi_planned(&p, 100), 200);
}
END_TEST

START_TEST(progress_either_direction)
{
    vos_kpi_plan up = plan(0, 100, 0, 200, 100, VOS_TRAJECTORY_LINEAR);
    ck_assert_double_eq(vos_kpi_progress(&up, 150), 0.5);
    ck_assert_double_eq(vos_kpi_progress(&up, 100), 0);
    ck_assert_double_eq(vos_kpi_progress(&up, 250), 1.5);
    vos_kpi_plan down = plan(0, 8, 0, 6, 100, VOS_TRAJECTORY_LINEAR);
    ck_assert_double_eq(vos_kpi_progress(&down, 7), 0.5);
    ck_assert_double_eq(vos_kpi_progress(&down, 6), 1);
    ck_assert_double_eq(vos_kpi_progress(&down, 9), -0.5); /* worse than the baseline */
    ck_assert_double_eq(vos_kpi_progress(&down, 5), 1.5);  /* not clamped */
}
END_TEST

/* --- Student t and the trend --- */

START_TEST(t_quantiles_table)
{
    /* Published tables of Student's t (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2), 6 decimals */
    static const double table[][3] = {
        {0.9, 1, 3.077684},    {0.9, 5, 1.475884},  {0.95, 10, 1.812461}, {0.975, 30, 2.042272},
        {0.975, 1, 12.706205}, {0.95, 1, 6.313752}, {0.975, 2, 4.302653}, {0.995, 2, 9.924843},
        {0.975, 10, 2.228139}, {0.9, 2, 1.885618},  {0.975, 5, 2.570582}, {0.95, 120, 1.657651},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        ck_assert_double_eq_tol(vos_student_t_quantile(table[i][0], table[i][1]), table[i][2],
                                1e-6);
        ck_assert_double_eq_tol(vos_student_t_quantile(1 - table[i][0], table[i][1]), -table[i][2],
                                1e-6);
    }
    /* infinite degrees of freedom: the normal quantile z_0.9 = 1.281552 */
    ck_assert_double_eq_tol(vos_student_t_quantile(0.9, 1e9), 1.281552, 1e-6);
    ck_assert_double_eq_tol(vos_student_t_quantile(0.9, INFINITY), 1.2815515655446004, 1e-14);
    ck_assert_double_eq(vos_student_t_quantile(0.5, 7), 0);
    ck_assert(isnan(vos_student_t_quantile(0, 7)));
    ck_assert(isnan(vos_student_t_quantile(1, 7)));
    ck_assert(isnan(vos_student_t_quantile(0.9, 0)));
}
END_TEST

START_TEST(t_quantiles_reference)
{
    /* Gnumeric 1.12 TINV / R.QT (R's qt) to 1e-12 relative, incl. non-integer dof */
    static const double ref[][3] = {
        {0.9, 1, 3.07768353717525322},      {0.9, 5, 1.4758840488244822507},
        {0.95, 10, 1.8124611228116773023},  {0.975, 30, 2.0422724563012389538},
        {0.9, 1e6, 1.2815524121299384807},  {0.975, 2, 4.3026527297494638522},
        {0.999, 3, 10.214531852407386561},  {0.6, 7, 0.2631668613520228121},
        {0.9, 88, 1.291245947640793703},    {0.1, 4, -1.53320627405894443},
        {0.9, 3, 1.6377443536962108477},    {0.75, 3, 0.76489232840434528016},
        {0.95, 120, 1.6576508993552367008}, {0.999, 1, 318.30883898555043932},
    };
    for (size_t i = 0; i < sizeof ref / sizeof *ref; i++) {
        double t = vos_student_t_quantile(ref[i][0], ref[i][1]);
        ck_assert_double_eq_tol(t, ref[i][2], 1e-12 * fabs(ref[i][2]));
    }
    /* Non-integer and small dof, where Gnumeric 1.12 is less exact: the tail P(T > t) at the
     * quantile, integrated by 2000-point Gauss-Legendre (numpy), is the requested one. */
    ck_assert_double_eq_tol(vos_student_t_quantile(0.99, 1.5), 11.197316179568446, 1e-9);
    ck_assert_double_eq_tol(vos_student_t_quantile(0.99, 0.5), 1028.4910104716118, 1e-7);
    ck_assert_double_eq_tol(vos_student_t_quantile(0.9, 0.1), 1604425.7056664617, 1e-3);
    /* far tails: P(T > t) ~ x^a / (2 a B(a, 1/2)), x = dof / t^2, a = dof / 2, solved for t;
     * beyond the doubles: infinite; tiny p at large dof: z + (z^3 + z) / (4 dof) + ... with
     * the normal z_1e-20 = -9.262340089798408 */
    ck_assert_double_eq_tol(vos_student_t_quantile(1e-12, 0.1) / -1.6044257056665326e116, 1, 1e-12);
    ck_assert(isinf(vos_student_t_quantile(0.975, 0.001)));
    ck_assert(vos_student_t_quantile(0.025, 0.001) < 0);
    ck_assert_double_eq_tol(vos_student_t_quantile(1e-20, 1e6), -9.262541065291611, 1e-12);
    /* either side of the switch to the asymptotic expansion (dof 1e5) */
    double a = vos_student_t_quantile(0.9, 99999), b = vos_student_t_quantile(0.9, 100001);
    ck_assert_double_eq_tol(a - b, 2 * (1.2815515655446004 * (1 + 1.6423744) / 4) / 1e10, 1e-13);
}
END_TEST

START_TEST(trend_hand_example)
{
    /* x 1..5, y 2 4 5 4 5: xbar 3, ybar 4, Sxx 10, Sxy 6, b 0.6, a 2.2; residuals
     * -0.8 0.6 1 -0.6 -0.2, SSE 2.4, s^2 = 2.4 / 3 = 0.8.  At x0 = 6: fit 5.8,
     * half width t_{0.9,3} sqrt(0.8) sqrt(1 + 1/5 + 9/10) = 1.637744 x 0.894427 x 1.449138
     * = 2.122759 */
    double x[] = {1, 2, 3, 4, 5}, y[] = {2, 4, 5, 4, 5}, fit, low, high;
    ck_assert_int_eq(vos_trend_forecast(x, y, 5, 6, 0.8, &fit, &low, &high), 0);
    double half = 1.6377443536962108 * sqrt(0.8) * sqrt(2.1);
    ck_assert_double_eq_tol(half, 2.122759, 1e-6);
    ck_assert_double_eq_tol(fit, 5.8, 1e-14);
    ck_assert_double_eq_tol(low, 5.8 - half, 1e-12);
    ck_assert_double_eq_tol(high, 5.8 + half, 1e-12);
    /* the same points 20000 days later: no digits lost */
    double xs[5];
    for (int i = 0; i < 5; i++)
        xs[i] = x[i] + 20000;
    double f2, l2, h2;
    ck_assert_int_eq(vos_trend_forecast(xs, y, 5, 20006, 0.8, &f2, &l2, &h2), 0);
    ck_assert_double_eq_tol(f2, 5.8, 1e-11);
    ck_assert_double_eq_tol(h2 - l2, 2 * half, 1e-10);
    /* a perfect line: an interval of width 0 */
    double yl[] = {1, 3, 5, 7, 9};
    ck_assert_int_eq(vos_trend_forecast(x, yl, 5, 10, 0.8, &fit, &low, &high), 0);
    ck_assert_double_eq_tol(fit, 19, 1e-13);
    ck_assert_double_eq_tol(high - low, 0, 1e-12);
}
END_TEST

START_TEST(trend_numpy_reference)
{
    /* x = 20000 + 3i, y = 50 + 0.3i + 2 sin i, i = 0..89; numpy.polyfit on centred x, the
     * interval with t_{0.9,88} = 1.291245947640794 (R.QT). */
    double x[90], y[90], fit, low, high;
    for (int i = 0; i < 90; i++) {
        x[i] = 20000 + 3.0 * i;
        y[i] = 50 + 0.3 * i + 2 * sin(i);
    }
    ck_assert_int_eq(vos_trend_forecast(x, y, 90, 20400, 0.8, &fit, &low, &high), 0);
    ck_assert_double_eq_tol(fit, 89.89832483551041, 1e-10);
    ck_assert_double_eq_tol(low, 87.9324265072594, 1e-10);
    ck_assert_double_eq_tol(high, 91.86422316376142, 1e-10);
}
END_TEST

START_TEST(trend_rejects)
{
    double x[] = {1, 1, 1}, y[] = {1, 2, 3}, f, l, h;
    ck_assert_int_eq(vos_trend_forecast(x, y, 2, 5, 0.8, &f, &l, &h), VOS_EINVALID);
    ck_assert_int_eq(vos_trend_forecast(x, y, 3, 5, 0.8, &f, &l, &h), VOS_EINVALID);
    ck_assert_ptr_nonnull(strstr(vos_error_last(), "same day"));
    double x2[] = {1, 2, 3};
    ck_assert_int_eq(vos_trend_forecast(x2, y, 3, 5, 1.0, &f, &l, &h), VOS_EINVALID);
    double yn[] = {1, NAN, 3};
    ck_assert_int_eq(vos_trend_forecast(x2, yn, 3, 5, 0.8, &f, &l, &h), VOS_EINVALID);
    ck_assert_int_eq(vos_trend_forecast(x2, y, 3, 5, 0.8, &f, &l, &h), 0);
}
END_TEST

/* --- the worked example of docs/realization.md --- */

static const char service_desk[] =
    "model: desk\nversion: 1.0.0\ncurrency: USD\n"
    "horizon: {years: 1, period: month}\ndiscount_rate: 0%\n"
    "kpis:\n"
    "  - {id: mttr, name: Mean time to resolve, unit: h, better: lower}\n"
    "  - {id: adoption, name: Adoption, unit: '%', better: higher}\n"
    "inputs:\n"
    "  tickets: {value: 1000, unit: 1/month, evidence: e, confidence: high}\n"
    "  hours_saved: {value: 2, unit: h, evidence: e, confidence: high}\n"
    "  rate: {value: 50, unit: USD/h, evidence: e, confidence: high}\n"
    "  users: {value: 200, evidence: e, confidence: high}\n"
    "  value_per_user: {value: 100, unit: USD/month, evidence: e, confidence: high}\n"
    "  uplift: {value: 40, unit: '%', evidence: e, confidence: high}\n"
    "drivers:\n"
    "  - id: agent_time\n"
    "    lever: cost\n"
    "    formula: tickets * hours_saved * rate\n"
    "    realized: tickets * (baseline(mttr) - actual(mttr)) * rate\n"
    "    realization: 80%\n"
    "  - id: adoption_value\n"
    "    lever: revenue\n"
    "    formula: users * value_per_user * uplift\n"
    "    realized: users * value_per_user * (actual(adoption) - baseline(adoption))\n"
    "    ramp: {linear: 4 months}\n"
    "    realization: 100%\n"
    "costs:\n"
    "  - {id: licence, formula: 20000 USD/month}\n"
    "  - {id: setup, once: 40000 USD, at: 0}\n";

typedef struct example {
    vos_model *m;
    vos_case *c;
    vos_result *plan;
    double mttr_day[7], mttr_value[7];
    double adoption_day[2], adoption_value[2];
    vos_kpi_plan kpis[2];
    vos_realization_input in;
} example;

/* The case committed on 2025-01-01 (S) and looked at on S + 96, in period 4. */
static void example_open(example *e)
{
    memset(e, 0, sizeof *e);
    e->m = load(service_desk);
    ck_assert_int_eq(vos_case_new(&e->c, e->m), 0);
    ck_assert_int_eq(vos_result_new(&e->plan, e->m), 0);
    ck_assert_int_eq(vos_case_compute(e->c, VOS_SCENARIO_EXPECTED, e->plan), 0);
    static const double md[] = {-10, 5, 20, 40, 50, 75, 100};
    static const double mv[] = {8.0, 6.6, 6.4, 6.3, 6.5, 6.4, 5.0};
    for (int i = 0; i < 7; i++) {
        e->mttr_day[i] = S + md[i];
        e->mttr_value[i] = mv[i];
    }
    e->adoption_day[0] = S + 45;
    e->adoption_day[1] = S + 55;
    e->adoption_value[0] = 30;
    e->adoption_value[1] = 34;
    e->kpis[0] = plan(0, 8, S, 6, S + 180, VOS_TRAJECTORY_LINEAR);
    e->kpis[0].day = e->mttr_day;
    e->kpis[0].value = e->mttr_value;
    e->kpis[0].n = 7;
    e->kpis[1] = plan(1, 20, S, 60, S + 180, VOS_TRAJECTORY_S_CURVE);
    e->kpis[1].day = e->adoption_day;
    e->kpis[1].value = e->adoption_value;
    e->kpis[1].n = 2;
    e->in.model = e->m;
    e->in.inputs = e->plan->inputs;
    e->in.plan = e->plan->benefit;
    e->in.plan_costs = e->plan->costs;
    e->in.start_day = S;
    e->in.kpis = e->kpis;
    e->in.n_kpis = 2;
    e->in.as_of = S + 96;
    e->in.stale_after_days = 30;
}

static void example_close(example *e)
{
    vos_result_free(e->plan);
    vos_case_free(e->c);
    vos_model_free(e->m);
}

START_TEST(example_plan)
{
    /* the commitment: agent_time 1000/month x 2 h x 50 USD/h = 100,000 x 80% = 80,000 a month;
     * adoption_value 200 x 100 USD/month x 40% = 8,000 ramped 1/4, 2/4, 3/4, 1 ... */
    example e;
    example_open(&e);
    const double *b = e.plan->benefit;
    ck_assert_double_eq_tol(b[1], 80000, 1e-9);
    ck_assert_double_eq_tol(b[13 + 1], 2000, 1e-9);
    ck_assert_double_eq_tol(b[13 + 2], 4000, 1e-9);
    ck_assert_double_eq_tol(b[13 + 3], 6000, 1e-9);
    ck_assert_double_eq_tol(b[13 + 4], 8000, 1e-9);
    ck_assert_double_eq_tol(e.plan->costs[0], 40000, 1e-9);
    ck_assert_double_eq_tol(e.plan->costs[1], 20000, 1e-9);
    example_close(&e);
}
END_TEST

START_TEST(example_value_to_date)
{
    example e;
    example_open(&e);
    vos_realization *r = NULL;
    ck_assert_int_eq(vos_realization_compute(&r, &e.in), 0);
    /* 96 days / 30.4375 = 3.15: three whole periods */
    ck_assert_int_eq(r->periods_elapsed, 3);
    ck_assert_double_eq(r->period_days, 30.4375);
    /* agent_time: mttr means 6.5 (days 5, 20), 6.4 (days 40, 50), 6.4 (day 75); the point
     * before the start (day -10) and the one after as_of (day 100) count for no period.
     * 1000/month x (8 - 6.5) h x 50 USD/h = 75,000, then 80,000 and 80,000 */
    const vos_driver_realization *at = &r->drivers[0];
    ck_assert(at->has_realized);
    ck_assert_uint_eq(at->missing_kpi, SIZE_MAX);
    ck_assert_int_eq(at->periods_measured, 3);
    ck_assert_double_eq(at->per_period[0], 0);
    ck_assert_double_eq_tol(at->per_period[1], 75000, 1e-8);
    ck_assert_double_eq_tol(at->per_period[2], 80000, 1e-8);
    ck_assert_double_eq_tol(at->per_period[3], 80000, 1e-8);
    ck_assert_double_eq(at->per_period[4], 0);
    ck_assert_double_eq_tol(at->realized_to_date, 235000, 1e-8);
    ck_assert_double_eq_tol(at->planned_to_date, 240000, 1e-8);
    ck_assert_double_eq_tol(at->variance, -5000, 1e-8);
    /* adoption_value: no point in period 1 (nothing realized), mean 32% in period 2, carried
     * forward into period 3: 200 x 100 USD/month x (32% - 20%) = 2,400 x ramp 2/4 = 1,200,
     * then x 3/4 = 1,800 */
    const vos_driver_realization *ad = &r->drivers[1];
    ck_assert_int_eq(ad->periods_measured, 2);
    ck_assert_double_eq(ad->per_period[1], 0);
    ck_assert_double_eq_tol(ad->per_period[2], 1200, 1e-8);
    ck_assert_double_eq_tol(ad->per_period[3], 1800, 1e-8);
    ck_assert_double_eq_tol(ad->realized_to_date, 3000, 1e-8);
    ck_assert_double_eq_tol(ad->planned_to_date, 12000, 1e-8);
    ck_assert_double_eq_tol(ad->variance, -9000, 1e-8);
    /* totals: planned 252,000, realized 238,000, costs 40,000 + 3 x 20,000 = 100,000 */
    ck_assert_double_eq_tol(r->planned_to_date, 252000, 1e-8);
    ck_assert_double_eq_tol(r->realized_to_date, 238000, 1e-8);
    ck_assert_double_eq_tol(r->costs_to_date, 100000, 1e-8);
    ck_assert_double_eq_tol(r->committed_total, 960000 + 84000, 1e-7);
    ck_assert_double_eq_tol(r->percent_of_plan, 238.0 / 252, 1e-14);
    ck_assert_double_eq_tol(r->percent_of_total, 238000.0 / 1044000, 1e-14);
    /* "ROI is 14 points behind plan; 9 of them come from adoption": 152% planned, 138% */
    ck_assert_double_eq_tol(r->roi_planned, 1.52, 1e-14);
    ck_assert_double_eq_tol(r->roi_realized, 1.38, 1e-14);
    ck_assert_double_eq_tol(r->roi_gap, -0.14, 1e-14);
    ck_assert_double_eq_tol(ad->roi_points, -0.09, 1e-14);
    ck_assert_double_eq_tol(at->roi_points, -0.05, 1e-14);
    ck_assert_double_eq_tol(at->roi_points + ad->roi_points, r->roi_gap, 1e-14);
    vos_realization_free(r);
    example_close(&e);
}
END_TEST

START_TEST(example_kpi_status)
{
    example e;
    example_open(&e);
    vos_realization *r = NULL;
    ck_assert_int_eq(vos_realization_compute(&r, &e.in), 0);
    ck_assert_uint_eq(r->n_kpis, 2);
    /* mttr (lower is better), day 96 of 180: planned 8 - 2 x 96/180 = 6.9333; actual 6.4 of
     * day 75; ahead by (6.9333 - 6.4) / 1.0667 = half the planned improvement */
    const vos_kpi_status *mt = &r->kpis[0];
    ck_assert_uint_eq(mt->kpi, 0);
    ck_assert_double_eq_tol(mt->planned, 8 - 2 * 96.0 / 180, 1e-13);
    ck_assert_double_eq(mt->actual, 6.4);
    ck_assert_double_eq(mt->actual_day, S + 75);
    ck_assert_double_eq_tol(mt->progress, 0.8, 1e-13);
    ck_assert_double_eq_tol(mt->planned_progress, 96.0 / 180, 1e-13);
    ck_assert_double_eq_tol(mt->variance, 6.4 - (8 - 2 * 96.0 / 180), 1e-13);
    ck_assert_double_eq_tol(mt->behind, -0.5, 1e-12);
    ck_assert(!mt->drifting);
    ck_assert(!mt->stale); /* 21 days */
    /* the trend through the 6 points up to as_of (days -10 .. 75 from S): xbar 30, ybar 6.7,
     * Sxx 4850, Sxy -68, b = -68/4850; at day 180: 6.7 - 150 x 68/4850 = 4459/970; SSE
     * 2732/2425, s^2 = 683/2425; t_{0.9,4} = 1.5332062740589444 (R.QT); factor
     * 1 + 1/6 + 150^2/4850 = 3379/582 */
    ck_assert(mt->has_forecast);
    ck_assert_uint_eq(mt->forecast_points, 6);
    double half = 1.5332062740589444 * sqrt(683.0 / 2425) * sqrt(3379.0 / 582);
    ck_assert_double_eq_tol(mt->forecast, 4459.0 / 970, 1e-11);
    ck_assert_double_eq_tol(mt->forecast_low, 4459.0 / 970 - half, 1e-10);
    ck_assert_double_eq_tol(mt->forecast_high, 4459.0 / 970 + half, 1e-10);
    ck_assert_double_eq_tol(mt->forecast_low, 2.6363132053448775, 1e-10); /* numpy */
    ck_assert_double_eq_tol(mt->forecast_progress, (4459.0 / 970 - 8) / -2, 1e-11);
    ck_assert(!mt->forecast_misses);
    ck_assert_uint_eq(mt->milestones_missed, 0);
    /* adoption (s-curve), x = 96/180 = 8/15: planned 20 + 40 x 1856/3375 = 41.997; actual 34
     * of day 55; behind (41.997 - 34) / 21.997 = 26990/74240 */
    const vos_kpi_status *ad = &r->kpis[1];
    ck_assert_double_eq_tol(ad->planned, 20 + 40 * 1856.0 / 3375, 1e-12);
    ck_assert_double_eq(ad->actual, 34);
    ck_assert_double_eq_tol(ad->progress, 0.35, 1e-15);
    ck_assert_double_eq_tol(ad->behind, 26990.0 / 74240, 1e-13);
    ck_assert(ad->drifting);
    ck_assert(ad->stale); /* 41 days */
    ck_assert(!ad->has_forecast);
    ck_assert_uint_eq(ad->forecast_points, 0);
    ck_assert(isnan(ad->forecast));
    ck_assert(!ad->forecast_misses);
    vos_realization_free(r);
    example_close(&e);
}
END_TEST

START_TEST(example_before_start)
{
    example e;
    example_open(&e);
    e.in.as_of = S - 1;
    vos_realization *r = NULL;
    ck_assert_int_eq(vos_realization_compute(&r, &e.in), 0);
    ck_assert_int_eq(r->periods_elapsed, 0);
    ck_assert_double_eq(r->planned_to_date, 0);
    ck_assert_double_eq(r->realized_to_date, 0);
    ck_assert_double_eq(r->costs_to_date, 40000); /* the up-front cost has been paid */
    ck_assert(isnan(r->percent_of_plan));
    ck_assert_double_eq(r->roi_planned, -1);
    ck_assert_double_eq(r->roi_gap, 0);
    ck_assert_double_eq(r->kpis[0].actual, 8.0); /* the point of day -10 */
    ck_assert_double_eq(r->kpis[0].planned, 8);
    vos_realization_free(r);
    /* exactly at the end of period 3 (S + 3L): three periods; a hair before: two */
    e.in.as_of = S + 3 * L;
    ck_assert_int_eq(vos_realization_compute(&r, &e.in), 0);
    ck_assert_int_eq(r->periods_elapsed, 3);
    vos_realization_free(r);
    e.in.as_of = nextafter(S + 3 * L, 0);
    ck_assert_int_eq(vos_realization_compute(&r, &e.in), 0);
    ck_assert_int_eq(r->periods_elapsed, 2);
    vos_realization_free(r);
    /* long after the horizon: 12 periods at most */
    e.in.as_of = S + 5000;
    ck_assert_int_eq(vos_realization_compute(&r, &e.in), 0);
    ck_assert_int_eq(r->periods_elapsed, 12);
    ck_assert_double_eq_tol(r->planned_to_date, r->committed_total, 1e-7);
    ck_assert_double_eq_tol(r->percent_of_total, r->percent_of_plan, 1e-12);
    /* agent_time: 75,000, 80,000 twice, then the 5 h of day 100 (period 4) carried through
     * month 12: 9 x 1000 x 3 x 50 */
    ck_assert_double_eq_tol(r->drivers[0].realized_to_date, 75000 + 2 * 80000.0 + 9 * 150000.0,
                            1e-7);
    vos_realization_free(r);
    example_close(&e);
}
END_TEST

START_TEST(example_unplanned_kpi)
{
    /* adoption has no plan: adoption_value cannot be realized and says which KPI it lacks */
    example e;
    example_open(&e);
    e.in.n_kpis = 1;
    vos_realization *r = NULL;
    ck_assert_int_eq(vos_realization_compute(&r, &e.in), 0);
    ck_assert_uint_eq(r->drivers[1].missing_kpi, 1);
    ck_assert_double_eq(r->drivers[1].realized_to_date, 0);
    ck_assert_int_eq(r->drivers[1].periods_measured, 0);
    ck_assert_double_eq_tol(r->drivers[1].roi_points, -0.12, 1e-14);
    ck_assert_double_eq_tol(r->drivers[0].realized_to_date, 235000, 1e-8);
    vos_realization_free(r);
    example_close(&e);
}
END_TEST

/* --- drift, staleness, milestones, forecast misses --- */

static const char one_kpi[] =
    "model: k\nversion: 1.0.0\ncurrency: USD\nhorizon: {years: 1, period: month}\n"
    "discount_rate: 0%\n"
    "kpis:\n  - {id: volume, name: Volume, unit: '1', better: higher}\n"
    "  - {id: mttr, name: MTTR, unit: h, better: lower}\n";

/* The status of one plan at as_of (stale after 30 days). */
static vos_kpi_status status_of(const vos_model *m, const vos_kpi_plan *p, double as_of)
{
    double zero[13] = {0};
    vos_realization_input in = {.model = m,
                                .plan_costs = zero,
                                .kpis = p,
                                .n_kpis = 1,
                                .as_of = as_of,
                                .stale_after_days = 30};
    vos_realization *r = NULL;
    ck_assert_int_eq(vos_realization_compute(&r, &in), 0);
    vos_kpi_status st = r->kpis[0];
    vos_realization_free(r);
    return st;
}

START_TEST(drift_at_tolerance)
{
    vos_model *m = load(one_kpi);
    double day[] = {40}, value[] = {145};
    vos_kpi_plan p = plan(0, 100, 0, 200, 100, VOS_TRAJECTORY_LINEAR);
    p.day = day;
    p.value = value;
    p.n = 1;
    /* day 50: planned 150, planned improvement 50; 145 is 5/50 = 10% behind: at tolerance */
    vos_kpi_status st = status_of(m, &p, 50);
    ck_assert_double_eq(st.behind, 0.1);
    ck_assert(!st.drifting);
    value[0] = 144.99; /* 10.02% behind */
    st = status_of(m, &p, 50);
    ck_assert_double_eq_tol(st.behind, 0.1002, 1e-12);
    ck_assert(st.drifting);
    value[0] = 160; /* ahead */
    st = status_of(m, &p, 50);
    ck_assert_double_eq(st.behind, -0.2);
    ck_assert(!st.drifting);
    /* before the baseline day the plan expects no improvement yet: the shortfall is measured
     * against the whole improvement |200 - 100| */
    day[0] = -20;
    value[0] = 95;
    st = status_of(m, &p, -10);
    ck_assert_double_eq(st.planned, 100);
    ck_assert_double_eq(st.behind, 0.05);
    vos_model_free(m);
}
END_TEST

START_TEST(drift_lower_is_better)
{
    vos_model *m = load(one_kpi);
    double day[] = {45}, value[] = {7.25};
    vos_kpi_plan p = plan(1, 8, 0, 6, 100, VOS_TRAJECTORY_LINEAR);
    p.tolerance = 0.25;
    p.day = day;
    p.value = value;
    p.n = 1;
    /* day 50: planned 7 h, planned improvement 1 h; 7.25 h is 25% behind: at tolerance */
    vos_kpi_status st = status_of(m, &p, 50);
    ck_assert_double_eq(st.variance, 0.25);
    ck_assert_double_eq(st.behind, 0.25);
    ck_assert(!st.drifting);
    value[0] = nextafter(7.25, 8); /* one unit in the last place worse */
    st = status_of(m, &p, 50);
    ck_assert(st.behind > 0.25);
    ck_assert(st.drifting);
    value[0] = 6.5; /* better than planned: ahead by half */
    st = status_of(m, &p, 50);
    ck_assert_double_eq(st.behind, -0.5);
    ck_assert(!st.drifting);
    ck_assert_double_eq(st.progress, 0.75);
    vos_model_free(m);
}
END_TEST

START_TEST(stale_after)
{
    vos_model *m = load(one_kpi);
    double day[] = {10, 70}, value[] = {110, 150};
    vos_kpi_plan p = plan(0, 100, 0, 200, 100, VOS_TRAJECTORY_LINEAR);
    p.day = day;
    p.value = value;
    p.n = 2;
    ck_assert(!status_of(m, &p, 100).stale); /* exactly 30 days */
    ck_assert(status_of(m, &p, 100.5).stale);
    ck_assert(!status_of(m, &p, 71).stale);
    /* as_of before the latest point: the point does not count yet */
    vos_kpi_status st = status_of(m, &p, 69);
    ck_assert_double_eq(st.actual, 110);
    ck_assert(st.stale);
    /* no measurement at all */
    p.n = 0;
    st = status_of(m, &p, 50);
    ck_assert(st.stale);
    ck_assert(isnan(st.actual) && isnan(st.actual_day) && isnan(st.progress));
    ck_assert(isnan(st.variance) && isnan(st.behind));
    ck_assert(!st.drifting && !st.has_forecast);
    vos_model_free(m);
}
END_TEST

START_TEST(milestones_missed)
{
    vos_model *m = load(one_kpi);
    vos_milestone ms[] = {{20, 120}, {40, 150}, {60, 180}};
    double day[] = {45}, value[] = {130};
    vos_kpi_plan p = plan(0, 100, 0, 200, 100, VOS_TRAJECTORY_STEP);
    p.milestones = ms;
    p.n_milestones = 3;
    p.day = day;
    p.value = value;
    p.n = 1;
    /* day 50: 120 reached, 150 missed, 180 not due */
    vos_kpi_status st = status_of(m, &p, 50);
    ck_assert_double_eq(st.planned, 150);
    ck_assert_uint_eq(st.milestones_missed, 1);
    ck_assert_uint_eq(status_of(m, &p, 60).milestones_missed, 2); /* due on its day */
    value[0] = 150;
    ck_assert_uint_eq(status_of(m, &p, 50).milestones_missed, 0);
    /* no measurement: every milestone due is missed */
    p.n = 0;
    ck_assert_uint_eq(status_of(m, &p, 45).milestones_missed, 2);
    /* lower is better: 10 h to 4 h with 8 h by day 20 and 6 h by day 40 */
    vos_milestone down[] = {{20, 8}, {40, 6}};
    double dd[] = {30}, dv[] = {7};
    vos_kpi_plan q = plan(1, 10, 0, 4, 100, VOS_TRAJECTORY_STEP);
    q.milestones = down;
    q.n_milestones = 2;
    q.day = dd;
    q.value = dv;
    q.n = 1;
    ck_assert_uint_eq(status_of(m, &q, 39).milestones_missed, 0);
    ck_assert_uint_eq(status_of(m, &q, 45).milestones_missed, 1);
    /* milestones count only on a step trajectory */
    q.trajectory = VOS_TRAJECTORY_LINEAR;
    ck_assert_uint_eq(status_of(m, &q, 45).milestones_missed, 0);
    vos_model_free(m);
}
END_TEST

START_TEST(forecast_misses_target)
{
    vos_model *m = load(one_kpi);
    double day[] = {0, 10, 20, 30}, value[] = {100, 102, 104, 106};
    vos_kpi_plan p = plan(0, 100, 0, 200, 100, VOS_TRAJECTORY_LINEAR);
    p.day = day;
    p.value = value;
    p.n = 4;
    /* 0.2 a day: 120 on day 100, a fifth of the way */
    vos_kpi_status st = status_of(m, &p, 30);
    ck_assert(st.has_forecast);
    ck_assert_double_eq_tol(st.forecast, 120, 1e-12);
    ck_assert_double_eq_tol(st.forecast_progress, 0.2, 1e-13);
    ck_assert(st.forecast_misses);
    /* three points on two days: no forecast */
    double d2[] = {0, 10, 10}, v2[] = {100, 102, 103};
    p.day = d2;
    p.value = v2;
    p.n = 3;
    st = status_of(m, &p, 30);
    ck_assert(!st.has_forecast);
    ck_assert(!st.forecast_misses);
    vos_model_free(m);
}
END_TEST

START_TEST(forecast_latest_points)
{
    /* 100 points: 10 wild ones, then 90 on the line 100 + 2 x; only the latest 90 count */
    vos_model *m = load(one_kpi);
    double day[100], value[100];
    for (int i = 0; i < 100; i++) {
        day[i] = i * 0.5;
        value[i] = i < 10 ? 1000 : 100 + 2 * day[i];
    }
    vos_kpi_plan p = plan(0, 100, 0, 250, 100, VOS_TRAJECTORY_LINEAR);
    p.day = day;
    p.value = value;
    p.n = 100;
    vos_kpi_status st = status_of(m, &p, 60);
    ck_assert_uint_eq(st.forecast_points, 90);
    ck_assert_double_eq_tol(st.forecast, 300, 1e-10);
    ck_assert_double_eq_tol(st.forecast_high - st.forecast_low, 0, 1e-9);
    ck_assert(!st.forecast_misses);
    vos_model_free(m);
}
END_TEST

/* --- other models --- */

START_TEST(yearly_periods_and_driver_slots)
{
    /* yearly periods of 365.25 days; the ramp of a year is the mean of its months' (linear 6
     * months: (1/6 + ... + 6/6 + 6) / 12 = 9.5/12); a realized formula reads a driver as its
     * formula's value per period (before ramp and haircut), as the engine does */
    static const char yaml[] =
        "model: y\nversion: 1.0.0\ncurrency: USD\nhorizon: {years: 3, period: year}\n"
        "discount_rate: 0%\n"
        "kpis:\n  - {id: mttr, name: MTTR, unit: h, better: lower}\n"
        "inputs:\n"
        "  saving: {value: 120000, unit: USD/year, evidence: e, confidence: high}\n"
        "drivers:\n"
        "  - id: base\n    lever: cost\n    formula: saving\n    realization: 50%\n"
        "  - id: share\n    lever: cost\n    formula: base * 10%\n    realization: 50%\n"
        "    ramp: {linear: 6 months}\n"
        "    realized: base * 10% * (baseline(mttr) - actual(mttr)) / "
        "(baseline(mttr) - target(mttr))\n";
    vos_model *m = load(yaml);
    double day[] = {S + 100, S + 400}, value[] = {7, 6.5};
    vos_kpi_plan p = plan(0, 8, S, 6, S + 365, VOS_TRAJECTORY_LINEAR);
    p.day = day;
    p.value = value;
    p.n = 2;
    double inputs[] = {120000}, flows[2 * 4] = {0}, costs[4] = {0};
    vos_realization_input in = {.model = m,
                                .inputs = inputs,
                                .plan = flows,
                                .plan_costs = costs,
                                .start_day = S,
                                .kpis = &p,
                                .n_kpis = 1,
                                .as_of = S + 800,
                                .stale_after_days = 30};
    vos_realization *r = NULL;
    ck_assert_int_eq(vos_realization_compute(&r, &in), 0);
    ck_assert_double_eq(r->period_days, 365.25);
    ck_assert_int_eq(r->periods_elapsed, 2);
    /* year 1: 12,000 x (8 - 7)/2 x 9.5/12 = 4,750; year 2: 12,000 x 0.75 x 1 = 9,000 */
    ck_assert_double_eq_tol(r->drivers[1].per_period[1], 4750, 1e-9);
    ck_assert_double_eq_tol(r->drivers[1].per_period[2], 9000, 1e-9);
    ck_assert_double_eq_tol(r->drivers[1].realized_to_date, 13750, 1e-9);
    ck_assert(!r->drivers[0].has_realized);
    ck_assert_double_eq(r->drivers[0].realized_to_date, 0);
    ck_assert(isnan(r->roi_planned) && isnan(r->drivers[1].roi_points)); /* no costs */
    vos_realization_free(r);
    vos_model_free(m);
}
END_TEST

START_TEST(realized_not_finite)
{
    static const char yaml[] =
        "model: z\nversion: 1.0.0\ncurrency: USD\nhorizon: {years: 1, period: month}\n"
        "discount_rate: 0%\n"
        "kpis:\n  - {id: mttr, name: MTTR, unit: h, better: lower}\n"
        "inputs:\n"
        "  value_per_hour: {value: 10, unit: USD/month/h, evidence: e, confidence: high}\n"
        "drivers:\n"
        "  - id: d\n    lever: cost\n    formula: value_per_hour * 1 h\n    realization: 50%\n"
        "    realized: value_per_hour * baseline(mttr) * baseline(mttr) / actual(mttr)\n";
    vos_model *m = load(yaml);
    double day[] = {S + 40}, value[] = {0};
    vos_kpi_plan p = plan(0, 8, S, 6, S + 365, VOS_TRAJECTORY_LINEAR);
    p.day = day;
    p.value = value;
    p.n = 1;
    double inputs[] = {10}, flows[13] = {0}, costs[13] = {0};
    vos_realization_input in = {.model = m,
                                .inputs = inputs,
                                .plan = flows,
                                .plan_costs = costs,
                                .start_day = S,
                                .kpis = &p,
                                .n_kpis = 1,
                                .as_of = S + 100,
                                .stale_after_days = 30};
    vos_realization *r = (vos_realization *)1;
    ck_assert_int_eq(vos_realization_compute(&r, &in), VOS_ENUM);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(vos_error_last(), "driver 'd': realized value in period 2 is not a finite "
                                       "number (value_per_hour * baseline(mttr) * "
                                       "baseline(mttr) / actual(mttr))");
    value[0] = 4; /* 10 x 8 x 8 / 4 = 160 USD/month in periods 2 and 3 */
    ck_assert_int_eq(vos_realization_compute(&r, &in), 0);
    ck_assert_double_eq_tol(r->drivers[0].realized_to_date, 320, 1e-12);
    vos_realization_free(r);
    vos_model_free(m);
}
END_TEST

/* --- bad input --- */

/* Computes with one broken plan and checks the code and that the message contains `want`. */
static void expect_bad(example *e, const char *want)
{
    vos_realization *r = NULL;
    ck_assert_int_eq(vos_realization_compute(&r, &e->in), VOS_EINVALID);
    ck_assert_ptr_null(r);
    if (!strstr(vos_error_last(), want))
        ck_abort_msg("message '%s' lacks '%s'", vos_error_last(), want);
}

START_TEST(bad_input)
{
    example e;
    example_open(&e);
    vos_kpi_plan good = e.kpis[0];
    e.kpis[0].target_day = S - 1;
    expect_bad(&e, "KPI 'mttr': target_day 20088 must be after baseline_day 20089");
    e.kpis[0] = good;
    e.kpis[0].target = 8;
    expect_bad(&e, "KPI 'mttr': target must differ from baseline (both are 8)");
    e.kpis[0] = good;
    e.kpis[0].baseline = NAN;
    expect_bad(&e, "KPI 'mttr': baseline and target must be finite");
    e.kpis[0] = good;
    e.kpis[0].tolerance = 0;
    expect_bad(&e, "KPI 'mttr': tolerance must be a fraction in (0, 1]");
    e.kpis[0] = good;
    e.kpis[0].trajectory = (vos_trajectory)7;
    expect_bad(&e, "KPI 'mttr': trajectory 7 is not linear, s-curve or step");
    e.kpis[0] = good;
    e.mttr_day[3] = S + 1;
    expect_bad(&e, "KPI 'mttr': measurement 4: day 20090 is before the day of measurement 3 "
                   "(20109): days must be ascending");
    e.mttr_day[3] = S + 40;
    e.adoption_value[1] = INFINITY;
    expect_bad(&e, "KPI 'adoption': measurement 2: value is not a finite number");
    e.adoption_value[1] = 34;
    vos_milestone ms[] = {{S + 10, 7}, {S + 200, 6.5}};
    e.kpis[0].milestones = ms;
    e.kpis[0].n_milestones = 2;
    expect_bad(&e, "KPI 'mttr': milestone 2: day 20289 is not between baseline_day 20089 and "
                   "target_day 20269");
    ms[1].day = S + 10;
    expect_bad(&e, "KPI 'mttr': milestone 2: day 20099 must be after the day of milestone 1");
    e.kpis[0] = good;
    e.kpis[1].kpi = 0;
    expect_bad(&e, "KPI 'mttr' is planned twice (plans 1 and 2)");
    e.kpis[1].kpi = 9;
    expect_bad(&e, "KPI plan 2: kpi 9 is not a KPI of model desk (it has 2)");
    e.kpis[1].kpi = 1;
    e.in.stale_after_days = 0;
    expect_bad(&e, "stale_after_days must be a positive number of days");
    e.in.stale_after_days = 30;
    e.in.as_of = NAN;
    expect_bad(&e, "start_day and as_of must be finite");
    e.in.as_of = S + 96;
    e.plan->inputs[0] = NAN;
    expect_bad(&e, "input 'tickets' is not a finite number");
    e.plan->inputs[0] = 1000;
    e.plan->benefit[13 + 2] = INFINITY;
    expect_bad(&e, "plan of driver 'adoption_value', period 2: not a finite number");
    e.plan->benefit[13 + 2] = 4000;
    vos_realization *r = NULL;
    ck_assert_int_eq(vos_realization_compute(&r, &e.in), 0);
    vos_realization_free(r);
    vos_realization_free(NULL);
    example_close(&e);
}
END_TEST

Suite *vos_test_realization_suite(void)
{
    Suite *s = suite_create("realization");
    TCase *tc = tcase_create("realization");
    tcase_add_test(tc, linear_trajectory);
    tcase_add_test(tc, s_curve_trajectory);
    tcase_add_test(tc, step_trajectory);
    tcase_add_test(tc, progress_either_direction);
    tcase_add_test(tc, t_quantiles_table);
    tcase_add_test(tc, t_quantiles_reference);
    tcase_add_test(tc, trend_hand_example);
    tcase_add_test(tc, trend_numpy_reference);
    tcase_add_test(tc, trend_rejects);
    tcase_add_test(tc, example_plan);
    tcase_add_test(tc, example_value_to_date);
    tcase_add_test(tc, example_kpi_status);
    tcase_add_test(tc, example_before_start);
    tcase_add_test(tc, example_unplanned_kpi);
    tcase_add_test(tc, drift_at_tolerance);
    tcase_add_test(tc, drift_lower_is_better);
    tcase_add_test(tc, stale_after);
    tcase_add_test(tc, milestones_missed);
    tcase_add_test(tc, forecast_misses_target);
    tcase_add_test(tc, forecast_latest_points);
    tcase_add_test(tc, yearly_periods_and_driver_slots);
    tcase_add_test(tc, realized_not_finite);
    tcase_add_test(tc, bad_input);
    suite_add_tcase(s, tc);
    return s;
}
