/* Realization in the app layer: the figures of a committed case from its measurements
 * (hand-computed from the rules of include/vos/realization.h for a one-driver model), the
 * portfolio, the success plan, alert evaluation (raise, deduplicate, update, resolve
 * automatically), the webhook outbox written in the alert's transaction, claiming with a
 * lease, and the retry schedule. */
#include "app_fixture.h"

#include "vos/app_realize.h"
#include "vos/error.h"

#include <check.h>
#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static apptest T;
static int64_t ACME, GLOBEX, CASE_A, CASE_G;

/* One driver worth tickets * hours_saved * rate = 100 * 2 * 50 = 10,000 USD a month, realized
 * as tickets * (baseline(mttr) - actual(mttr)) * rate; 100 USD a month of subscription; no
 * discounting, so the NPV is the plain sum. */
static const char TINY[] =
    "model: tiny-desk\n"
    "version: 1.0.0\n"
    "name: Tiny desk\n"
    "currency: USD\n"
    "horizon: {years: 1, period: month}\n"
    "discount_rate: 0\n"
    "outcomes: [{id: faster, name: Faster resolution, kpis: [mttr]}]\n"
    "kpis:\n"
    "  - {id: mttr, name: Mean time to resolve, unit: h, better: lower}\n"
    "inputs:\n"
    "  tickets: {value: 100, unit: 1/month, evidence: test, confidence: high}\n"
    "  hours_saved: {value: 2, unit: h, evidence: test, confidence: high}\n"
    "  rate: {value: 50, unit: USD/h, evidence: test, confidence: high}\n"
    "drivers:\n"
    "  - id: agent_time\n"
    "    lever: cost\n"
    "    outcome: faster\n"
    "    formula: tickets * hours_saved * rate\n"
    "    realized: tickets * (baseline(mttr) - actual(mttr)) * rate\n"
    "costs:\n"
    "  - {id: subscription, formula: 1200 USD/year}\n";

/* Days since 1970-01-01 of 2026-01-01: 56 years with 14 leap days. */
#define JAN1_2026 20454.0

static int64_t case_on_tiny(const char *account, const char *name)
{
    vos_case_row *c = NULL;
    OK(vos_app_case_create(T.app, &T.admin, account, name, "tiny-desk", NULL, &c));
    int64_t id = c->id;
    vos_case_row_free(c);
    vos_kpi_commitment k = {.kpi_key = "mttr",
                            .baseline_value = 10,
                            .baseline_date = "2026-01-01",
                            .target_value = 8,
                            .target_date = "2026-07-01",
                            .trajectory = VOS_TRAJECTORY_LINEAR,
                            .tolerance = 0.1};
    OK(vos_app_case_commit(T.app, &T.admin, id, &k, 1, NULL));
    return id;
}

static void measure(int64_t account, const char *at, double value)
{
    vos_measurement_row r = {.account_id = account,
                             .kpi_key = "mttr",
                             .at = (char *)at,
                             .value = value,
                             .source = "itsm"};
    OK(vos_app_measurement_add(T.app, &T.admin, "test", &r, 1, NULL, NULL));
}

static void setup(void)
{
    apptest_setup(&T);
    apptest_import(&T, TINY);
    OK(vos_app_model_approve(T.app, &T.admin, "tiny-desk", "1.0.0", NULL));
    ACME = apptest_account(&T, "Acme", 0);
    GLOBEX = apptest_account(&T, "Globex", 0);
    CASE_A = case_on_tiny("Acme", "Desk");
    CASE_G = case_on_tiny("Globex", "Desk");
}

static void teardown(void)
{
    apptest_teardown(&T);
}

/* ---- realization ---------------------------------------------------------------------------- */

START_TEST(realization_is_computed_from_the_measurements)
{
    measure(ACME, "2026-01-15T00:00:00.000Z", 9.5);
    measure(ACME, "2026-02-15T00:00:00.000Z", 9.0);
    measure(ACME, "2026-03-10T00:00:00.000Z", 8.8);
    vos_case_realization *cr = NULL;
    OK(vos_app_case_realization(T.app, &T.admin, CASE_A, "2026-03-31", &cr));
    /* start: the baseline date; as_of: the end of 2026-03-31, 89.99999 days later */
    ck_assert_double_eq(cr->start_day, JAN1_2026);
    ck_assert_str_eq(cr->start_date, "2026-01-01");
    ck_assert_str_eq(cr->as_of, "2026-03-31T23:59:59.999Z");
    const vos_realization *r = cr->r;
    /* periods of 365.25 / 12 = 30.4375 days: two have ended by then */
    ck_assert_int_eq(r->periods_elapsed, 2);
    /* period 1 holds 9.5: 100 * (10 - 9.5) * 50 = 2,500; period 2 holds 9.0: 5,000 */
    ck_assert_double_eq_tol(r->realized_to_date, 7500, 1e-9);
    ck_assert_double_eq_tol(r->planned_to_date, 20000, 1e-9);
    ck_assert_double_eq_tol(r->committed_total, 120000, 1e-9);
    ck_assert_double_eq_tol(r->costs_to_date, 200, 1e-9);
    ck_assert_double_eq_tol(r->percent_of_plan, 0.375, 1e-12);
    ck_assert_double_eq_tol(r->roi_planned, 99, 1e-9);
    ck_assert_double_eq_tol(r->roi_realized, 36.5, 1e-9);
    ck_assert_double_eq_tol(cr->committed_npv, 120000 - 1200, 1e-6);
    ck_assert_double_eq_tol(cr->lever_realized[VOS_LEVER_COST], 7500, 1e-9);
    ck_assert_double_eq_tol(cr->lever_committed[VOS_LEVER_COST], 120000, 1e-9);
    /* the KPI: latest 8.8, progress (8.8 - 10) / (8 - 10) = 0.6; plan on a 181-day line */
    const vos_kpi_status *k = &r->kpis[0];
    ck_assert_double_eq(k->actual, 8.8);
    ck_assert_double_eq_tol(k->progress, 0.6, 1e-12);
    double x = (cr->as_of_day - JAN1_2026) / 181.0;
    ck_assert_double_eq_tol(k->planned, 10 - 2 * x, 1e-9);
    ck_assert(!k->drifting);
    ck_assert_uint_eq(cr->kpis[0].n_measurements, 3);
    ck_assert_str_eq(cr->kpis[0].actual_at, "2026-03-10T00:00:00.000Z");
    vos_case_realization_free(cr);

    /* a measurement after as_of is not read */
    measure(ACME, "2026-04-02T00:00:00.000Z", 8.1);
    OK(vos_app_case_realization(T.app, &T.admin, CASE_A, "2026-03-31T23:59:59.999Z", &cr));
    ck_assert_uint_eq(cr->kpis[0].n_measurements, 3);
    vos_case_realization_free(cr);
}
END_TEST

START_TEST(realization_is_refused_when_it_cannot_be)
{
    vos_case_realization *cr = NULL;
    vos_case_row *c = NULL;
    OK(vos_app_case_create(T.app, &T.admin, "Acme", "Draft", "tiny-desk", NULL, &c));
    FAILS(vos_app_case_realization(T.app, &T.admin, c->id, NULL, &cr), VOS_ENOTFOUND,
          "has no commitment");
    vos_case_row_free(c);
    FAILS(vos_app_case_realization(T.app, &T.admin, CASE_A, "yesterday", &cr), VOS_EINVALID,
          "as_of");
    /* a customer of another account does not see the case */
    vos_actor kim = {.name = "kim@globex.example", .role = VOS_ROLE_CUSTOMER, .account_id = GLOBEX};
    FAILS(vos_app_case_realization(T.app, &kim, CASE_A, NULL, &cr), VOS_ENOTFOUND, "");
    OK(vos_app_case_realization(T.app, &kim, CASE_G, NULL, &cr));
    vos_case_realization_free(cr);
}
END_TEST

/* ---- portfolio and success plan ------------------------------------------------------------- */

START_TEST(portfolio_sums_and_orders_worst_first)
{
    measure(ACME, "2026-01-15T00:00:00.000Z", 9.5);   /* 2,500 of 10,000 planned in period 1 */
    measure(GLOBEX, "2026-01-15T00:00:00.000Z", 9.0); /* 5,000 */
    vos_portfolio *p = NULL;
    OK(vos_app_portfolio(T.app, &T.admin, "2026-02-10", &p));
    ck_assert_uint_eq(p->cases, 2);
    ck_assert_str_eq(p->currency, "USD");
    ck_assert_double_eq_tol(p->committed_total, 240000, 1e-6);
    ck_assert_double_eq_tol(p->planned_to_date, 20000, 1e-6);
    ck_assert_double_eq_tol(p->realized_to_date, 7500, 1e-6);
    ck_assert_double_eq_tol(p->realization_rate, 0.375, 1e-12);
    ck_assert_double_eq_tol(p->lever_realized[VOS_LEVER_COST], 7500, 1e-6);
    ck_assert_uint_eq(p->n_accounts, 2);
    ck_assert_str_eq(p->accounts[0].name, "Acme"); /* 25% of plan before Globex's 50% */
    ck_assert_double_eq_tol(p->accounts[0].realization_rate, 0.25, 1e-12);
    ck_assert_str_eq(p->accounts[1].name, "Globex");
    vos_portfolio_free(p);
    /* a customer's portfolio is its own account's */
    vos_actor kim = {.name = "kim@globex.example", .role = VOS_ROLE_CUSTOMER, .account_id = GLOBEX};
    OK(vos_app_portfolio(T.app, &kim, "2026-02-10", &p));
    ck_assert_uint_eq(p->n_accounts, 1);
    ck_assert_str_eq(p->accounts[0].name, "Globex");
    ck_assert_double_eq_tol(p->realized_to_date, 5000, 1e-6);
    vos_portfolio_free(p);
}
END_TEST

START_TEST(success_plan_has_quarters)
{
    vos_success_plan *p = NULL;
    OK(vos_app_success_plan(T.app, &T.admin, CASE_A, &p));
    ck_assert_str_eq(p->model_key, "tiny-desk");
    ck_assert_str_eq(p->currency, "USD");
    ck_assert_double_eq_tol(p->npv, 118800, 1e-6);
    ck_assert_uint_eq(p->n_periods, 4);
    ck_assert_str_eq(p->periods[0].label, "Q1");
    ck_assert_str_eq(p->periods[0].from, "2026-01-01");
    ck_assert_double_eq_tol(p->periods[0].benefits, 30000, 1e-9);
    ck_assert_double_eq_tol(p->periods[0].costs, 300, 1e-9);
    /* Q2 ends 6 * 30.4375 = 182.625 days after the start, past the target date (day 181) */
    ck_assert_double_eq_tol(p->periods[1].kpi_planned[0], 8, 1e-12);
    /* Q1's last day is 91.3125 - 1 days after the start: 10 - 2 * 90.3125 / 181 */
    ck_assert_double_eq_tol(p->periods[0].kpi_planned[0], 10 - 2 * 90.3125 / 181, 1e-9);
    ck_assert_ptr_null(p->owners[0]);
    vos_success_plan_free(p);
}
END_TEST

/* ---- alerts --------------------------------------------------------------------------------- */

static size_t alerts_where(int64_t case_id, vos_alert_status status, vos_alert_kind kind)
{
    vos_store_query q = {.limit = 100, .n_where = 3};
    q.where[0] = (vos_store_filter){.field = "case_id", .i = case_id};
    q.where[1] = (vos_store_filter){.field = "status", .i = status};
    q.where[2] = (vos_store_filter){.field = "kind", .i = kind};
    vos_alert_row *rows = NULL;
    size_t n = 0;
    OK(vos_store_alert_list(T.s.st, &rows, &n, &q));
    vos_alert_rows_free(rows, n);
    return n;
}

static vos_alert_row *the_alert(int64_t case_id, vos_alert_kind kind)
{
    vos_store_query q = {.limit = 1, .n_where = 2, .descending = true};
    q.where[0] = (vos_store_filter){.field = "case_id", .i = case_id};
    q.where[1] = (vos_store_filter){.field = "kind", .i = kind};
    vos_alert_row *rows = NULL;
    size_t n = 0;
    OK(vos_store_alert_list(T.s.st, &rows, &n, &q));
    ck_assert_uint_eq(n, 1);
    return rows;
}

START_TEST(alerts_are_raised_once_updated_and_resolved)
{
    measure(ACME, "2026-03-10T00:00:00.000Z", 9.9); /* far behind the plan (about 9.0) */
    vos_alerts_summary s;
    OK(vos_app_alerts_evaluate(T.app, &T.admin, CASE_A, "2026-03-31", &s));
    ck_assert_uint_eq(s.cases, 1);
    ck_assert_uint_eq(s.raised, 1);
    ck_assert_uint_eq(alerts_where(CASE_A, VOS_ALERT_OPEN, VOS_ALERT_DRIFT), 1);
    vos_alert_row *a = the_alert(CASE_A, VOS_ALERT_DRIFT);
    ck_assert_str_eq(a->kpi_key, "mttr");
    ck_assert_int_eq(a->severity, VOS_SEVERITY_CRITICAL); /* 90% behind: beyond 2 x 10% */
    ck_assert_msg(strstr(a->message, "behind its plan") != NULL, "%s", a->message);
    vos_audit_row *last = apptest_audit_last(&T);
    ck_assert_str_eq(last->operation, "alert.raise");
    vos_audit_rows_free(last, 1);
    int64_t id = a->id;
    vos_alert_row_free(a);

    /* the same evaluation again: nothing new */
    size_t records = apptest_audit_count(&T);
    OK(vos_app_alerts_evaluate(T.app, &T.admin, CASE_A, "2026-03-31", &s));
    ck_assert_uint_eq(s.raised + s.updated + s.resolved, 0);
    ck_assert_uint_eq(s.unchanged, 1);
    ck_assert_uint_eq(apptest_audit_count(&T), records);

    /* acknowledged, still the one alert; a later day updates its figures in place */
    OK(vos_app_alert_acknowledge(T.app, &T.admin, id, NULL));
    OK(vos_app_alerts_evaluate(T.app, &T.admin, CASE_A, "2026-04-05", &s));
    ck_assert_uint_eq(s.raised, 0);
    ck_assert_uint_eq(s.updated, 1);
    ck_assert_uint_eq(alerts_where(CASE_A, VOS_ALERT_ACKNOWLEDGED, VOS_ALERT_DRIFT), 1);
    ck_assert_uint_eq(alerts_where(CASE_A, VOS_ALERT_OPEN, VOS_ALERT_DRIFT), 0);

    /* back on plan: resolved automatically, saying so */
    measure(ACME, "2026-04-05T08:00:00.000Z", 8.6);
    OK(vos_app_alerts_evaluate(T.app, &T.admin, CASE_A, "2026-04-05", &s));
    ck_assert_uint_eq(s.resolved, 1);
    a = the_alert(CASE_A, VOS_ALERT_DRIFT);
    ck_assert_int_eq(a->id, id);
    ck_assert_int_eq(a->status, VOS_ALERT_RESOLVED);
    ck_assert_ptr_nonnull(a->resolved_at);
    ck_assert_msg(strstr(a->message, "Resolved automatically") != NULL, "%s", a->message);
    vos_alert_row_free(a);
    last = apptest_audit_last(&T);
    ck_assert_str_eq(last->operation, "alert.resolve");
    vos_audit_rows_free(last, 1);

    /* drifting again later raises a new alert (the resolved one stays resolved) */
    measure(ACME, "2026-05-01T00:00:00.000Z", 9.95);
    OK(vos_app_alerts_evaluate(T.app, &T.admin, CASE_A, "2026-05-01", &s));
    ck_assert_uint_ge(s.raised, 1); /* with three points now, a forecast miss too */
    ck_assert_uint_eq(alerts_where(CASE_A, VOS_ALERT_RESOLVED, VOS_ALERT_DRIFT), 1);
    ck_assert_uint_eq(alerts_where(CASE_A, VOS_ALERT_OPEN, VOS_ALERT_DRIFT), 1);
    apptest_verify(&T);
}
END_TEST

START_TEST(stale_forecast_and_missed_target)
{
    vos_alerts_summary s;
    /* no measurement yet, 20 days after the baseline: not stale (30 days) */
    OK(vos_app_alerts_evaluate(T.app, &T.admin, CASE_A, "2026-01-21", &s));
    ck_assert_uint_eq(s.raised, 0);
    /* 40 days: stale, counted from the baseline date */
    OK(vos_app_alerts_evaluate(T.app, &T.admin, CASE_A, "2026-02-10", &s));
    ck_assert_uint_eq(alerts_where(CASE_A, VOS_ALERT_OPEN, VOS_ALERT_STALE), 1);
    vos_alert_row *a = the_alert(CASE_A, VOS_ALERT_STALE);
    ck_assert_msg(strstr(a->message, "since its baseline date 2026-01-01") != NULL, "%s",
                  a->message);
    vos_alert_row_free(a);
    /* three points on a line that reaches only about 9.6 by the target date: a forecast miss */
    measure(ACME, "2026-02-01T00:00:00.000Z", 10.0);
    measure(ACME, "2026-02-08T00:00:00.000Z", 9.98);
    measure(ACME, "2026-02-15T00:00:00.000Z", 9.96);
    OK(vos_app_alerts_evaluate(T.app, &T.admin, CASE_A, "2026-02-16", &s));
    ck_assert_uint_eq(alerts_where(CASE_A, VOS_ALERT_RESOLVED, VOS_ALERT_STALE), 1);
    ck_assert_uint_eq(alerts_where(CASE_A, VOS_ALERT_OPEN, VOS_ALERT_FORECAST_MISS), 1);
    /* after the target date, short of the target: the milestone is missed (and stale) */
    OK(vos_app_alerts_evaluate(T.app, &T.admin, CASE_A, "2026-07-03", &s));
    ck_assert_uint_eq(alerts_where(CASE_A, VOS_ALERT_OPEN, VOS_ALERT_MILESTONE_MISSED), 1);
    a = the_alert(CASE_A, VOS_ALERT_MILESTONE_MISSED);
    ck_assert_int_eq(a->severity, VOS_SEVERITY_CRITICAL);
    ck_assert_msg(strstr(a->message, "missed its target of 8 h due 2026-07-01") != NULL, "%s",
                  a->message);
    vos_alert_row_free(a);
    ck_assert_uint_eq(alerts_where(CASE_A, VOS_ALERT_OPEN, VOS_ALERT_STALE), 1);
    /* a case that is closed has its alerts resolved by the next evaluation of all cases */
    vos_case_row *c = NULL;
    OK(vos_app_case_transition(T.app, &T.admin, CASE_A, VOS_STAGE_CLOSED, &c));
    vos_case_row_free(c);
    OK(vos_app_alerts_evaluate(T.app, &T.admin, 0, "2026-07-03", &s));
    ck_assert_uint_eq(alerts_where(CASE_A, VOS_ALERT_OPEN, VOS_ALERT_MILESTONE_MISSED), 0);
    a = the_alert(CASE_A, VOS_ALERT_MILESTONE_MISSED);
    ck_assert_msg(strstr(a->message, "no longer being realized") != NULL, "%s", a->message);
    vos_alert_row_free(a);
    apptest_verify(&T);
}
END_TEST

START_TEST(evaluation_roles)
{
    vos_alerts_summary s;
    vos_actor seller = {.name = "sam@vendor.example", .role = VOS_ROLE_SELLER};
    FAILS(vos_app_alerts_evaluate(T.app, &seller, 0, NULL, &s), VOS_EFORBIDDEN, "may not");
    /* a customer who may send its account's measurements may evaluate its case */
    vos_actor kim = {.name = "kim@acme.example", .role = VOS_ROLE_CUSTOMER, .account_id = ACME};
    OK(vos_app_alerts_evaluate(T.app, &kim, CASE_A, NULL, &s));
    FAILS(vos_app_alerts_evaluate(T.app, &kim, CASE_G, NULL, &s), VOS_ENOTFOUND, "");
    FAILS(vos_app_alerts_evaluate(T.app, &kim, 0, NULL, &s), VOS_EFORBIDDEN, "may not");
}
END_TEST

/* ---- webhooks and the outbox ---------------------------------------------------------------- */

static size_t outbox_count(void)
{
    vos_outbox_row *rows = NULL;
    size_t n = 0;
    OK(vos_store_outbox_list(T.s.st, &rows, &n, 0, 0, 0));
    vos_outbox_rows_free(rows, n);
    return n;
}

static int64_t add_webhook(const char *secret)
{
    vos_webhook_row *w = NULL;
    char out[VOS_WEBHOOK_SECRET_SIZE];
    OK(vos_app_webhook_add(T.app, &T.admin, "http://127.0.0.1:9/hook", NULL, 0, secret, out, &w));
    int64_t id = w->id;
    vos_webhook_row_free(w);
    return id;
}

START_TEST(webhooks_keep_their_secret_out_of_the_audit_log)
{
    char secret[VOS_WEBHOOK_SECRET_SIZE];
    vos_webhook_row *w = NULL;
    const char *events[] = {VOS_EVENT_ALERT_RAISED};
    OK(vos_app_webhook_add(T.app, &T.admin, "https://hooks.example/vos", events, 1, NULL, secret,
                           &w));
    ck_assert_uint_eq(strlen(secret), 43); /* 32 random bytes in base64url */
    ck_assert_str_eq(w->events, "[\"alert.raised\"]");
    vos_audit_row *last = apptest_audit_last(&T);
    ck_assert_str_eq(last->operation, "webhook.add");
    ck_assert_ptr_null(strstr(last->after_json, secret));
    ck_assert_ptr_nonnull(strstr(last->after_json, w->secret_sha256));
    vos_audit_rows_free(last, 1);
    char *kept = NULL;
    OK(vos_store_webhook_secret_get(T.s.st, w->id, &kept));
    ck_assert_str_eq(kept, secret);
    free(kept);
    const char *bad[] = {"alert.exploded"};
    FAILS(vos_app_webhook_add(T.app, &T.admin, "https://x.example", bad, 1, NULL, NULL, NULL),
          VOS_EINVALID, "not an event");
    FAILS(vos_app_webhook_add(T.app, &T.admin, "ftp://x.example", NULL, 0, NULL, NULL, NULL),
          VOS_EINVALID, "URL");
    FAILS(vos_app_webhook_add(T.app, &T.admin, "https://x.example", NULL, 0, "short", NULL, NULL),
          VOS_EINVALID, "secret");
    vos_actor csm = {.name = "ana@vendor.example", .role = VOS_ROLE_CSM};
    FAILS(vos_app_webhook_add(T.app, &csm, "https://x.example", NULL, 0, NULL, NULL, NULL),
          VOS_EFORBIDDEN, "webhooks");
    OK(vos_app_webhook_remove(T.app, &T.admin, w->id));
    FAILS(vos_store_webhook_secret_get(T.s.st, w->id, &kept), VOS_ENOTFOUND, "");
    FAILS(vos_app_webhook_remove(T.app, &T.admin, w->id), VOS_ENOTFOUND, "does not exist");
    vos_webhook_row_free(w);
    apptest_verify(&T);
}
END_TEST

START_TEST(events_are_written_with_their_alert)
{
    if (!storetest_is_sqlite(&T.s)) return; /* the failure is injected with a SQLite trigger */
    int64_t hook = add_webhook("a-secret-of-twenty-chars");
    measure(ACME, "2026-03-10T00:00:00.000Z", 9.9);
    vos_alerts_summary s;
    OK(vos_app_alerts_evaluate(T.app, &T.admin, CASE_A, "2026-03-31", &s));
    ck_assert_uint_eq(s.raised, 1);
    vos_outbox_row *rows = NULL;
    size_t n = 0;
    OK(vos_store_outbox_list(T.s.st, &rows, &n, hook, 0, 0));
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(rows[0].event, "alert.raised");
    ck_assert_int_eq(rows[0].attempts, 0);
    json_t *body = json_loads(rows[0].payload, 0, NULL);
    ck_assert_ptr_nonnull(body);
    ck_assert_str_eq(json_string_value(json_object_get(body, "event")), "alert.raised");
    json_t *alert = json_object_get(body, "alert");
    ck_assert_str_eq(json_string_value(json_object_get(alert, "kind")), "drift");
    ck_assert_str_eq(json_string_value(json_object_get(alert, "account")), "Acme");
    ck_assert_int_eq(json_integer_value(json_object_get(alert, "case_id")), CASE_A);
    json_decref(body);
    vos_outbox_rows_free(rows, n);

    /* an outbox that refuses the event refuses the alert too: one transaction */
    measure(GLOBEX, "2026-03-10T00:00:00.000Z", 9.9);
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/vos.db", T.s.dir);
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db,
                                  "CREATE TRIGGER refuse BEFORE INSERT ON webhook_outbox "
                                  "BEGIN SELECT RAISE(ABORT, 'outbox.refused'); END",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    size_t records = apptest_audit_count(&T);
    ck_assert_int_lt(vos_app_alerts_evaluate(T.app, &T.admin, CASE_G, "2026-03-31", &s), 0);
    ck_assert_uint_eq(alerts_where(CASE_G, VOS_ALERT_OPEN, VOS_ALERT_DRIFT), 0);
    ck_assert_uint_eq(apptest_audit_count(&T), records);
    ck_assert_uint_eq(outbox_count(), 1);
    ck_assert_int_eq(sqlite3_exec(db, "DROP TRIGGER refuse", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    OK(vos_app_alerts_evaluate(T.app, &T.admin, CASE_G, "2026-03-31", &s));
    ck_assert_uint_eq(outbox_count(), 2);
    apptest_verify(&T);
}
END_TEST

/* Outbox row i of webhook `hook` tells `event` of alert `id`, now `status`, on Acme's Desk. */
static void event_is(int64_t hook, size_t i, const char *event, int64_t id, const char *status)
{
    vos_outbox_row *rows = NULL;
    size_t n = 0;
    OK(vos_store_outbox_list(T.s.st, &rows, &n, hook, 0, 0));
    ck_assert_uint_gt(n, i);
    ck_assert_str_eq(rows[i].event, event);
    json_t *body = json_loads(rows[i].payload, 0, NULL), *alert = json_object_get(body, "alert");
    ck_assert_str_eq(json_string_value(json_object_get(body, "event")), event);
    ck_assert_int_eq(json_integer_value(json_object_get(alert, "id")), id);
    ck_assert_str_eq(json_string_value(json_object_get(alert, "status")), status);
    ck_assert_str_eq(json_string_value(json_object_get(alert, "account")), "Acme");
    ck_assert_str_eq(json_string_value(json_object_get(alert, "case")), "Desk");
    json_decref(body);
    vos_outbox_rows_free(rows, n);
}

START_TEST(moves_by_hand_write_events)
{
    if (!storetest_is_sqlite(&T.s)) return; /* the failure is injected with a SQLite trigger */
    int64_t hook = add_webhook(NULL); /* every event */
    const char *only[] = {VOS_EVENT_ALERT_RAISED};
    OK(vos_app_webhook_add(T.app, &T.admin, "http://127.0.0.1:9/raised", only, 1, NULL, NULL,
                           NULL));
    measure(ACME, "2026-03-10T00:00:00.000Z", 9.9);
    OK(vos_app_alerts_evaluate(T.app, &T.admin, CASE_A, "2026-03-31", NULL));
    vos_alert_row *a = the_alert(CASE_A, VOS_ALERT_DRIFT);
    int64_t id = a->id;
    vos_alert_row_free(a);
    ck_assert_uint_eq(outbox_count(), 2); /* alert.raised, to both webhooks */

    /* an outbox that refuses the event refuses the acknowledgement too: one transaction */
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/vos.db", T.s.dir);
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db,
                                  "CREATE TRIGGER refuse BEFORE INSERT ON webhook_outbox "
                                  "BEGIN SELECT RAISE(ABORT, 'outbox.refused'); END",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    size_t records = apptest_audit_count(&T);
    ck_assert_int_lt(vos_app_alert_acknowledge(T.app, &T.admin, id, NULL), 0);
    ck_assert_uint_eq(alerts_where(CASE_A, VOS_ALERT_OPEN, VOS_ALERT_DRIFT), 1);
    ck_assert_uint_eq(apptest_audit_count(&T), records);
    ck_assert_int_eq(sqlite3_exec(db, "DROP TRIGGER refuse", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    /* acknowledged, then resolved by hand: one event each, to the webhook of every event */
    OK(vos_app_alert_acknowledge(T.app, &T.admin, id, NULL));
    ck_assert_uint_eq(outbox_count(), 3);
    event_is(hook, 1, "alert.acknowledged", id, "acknowledged");
    OK(vos_app_alert_resolve(T.app, &T.admin, id, NULL));
    ck_assert_uint_eq(outbox_count(), 4);
    event_is(hook, 2, VOS_EVENT_ALERT_RESOLVED, id, "resolved");
    apptest_verify(&T);
}
END_TEST

START_TEST(claims_are_leased)
{
    int64_t hook = add_webhook("a-secret-of-twenty-chars");
    vos_outbox_row ev = {.webhook_id = hook, .event = "alert.raised", .payload = "{\"n\":1}"};
    OK(vos_store_begin(T.s.st));
    OK(vos_store_outbox_add(T.s.st, &ev));
    OK(vos_store_commit(T.s.st));
    const char *now = "2099-01-01T00:00:00.000Z", *lease = "2099-01-01T00:01:00.000Z";
    vos_outbox_row *rows = NULL;
    size_t n = 0;
    OK(vos_store_begin(T.s.st));
    OK(vos_store_outbox_claim(T.s.st, &rows, &n, now, NULL, lease, 10));
    OK(vos_store_commit(T.s.st));
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(rows[0].claimed_until, lease);
    vos_outbox_rows_free(rows, n);

    /* a second handle (another process) cannot claim it while the lease runs */
    vos_store *other = storetest_open(&T.s);
    OK(vos_store_begin(other));
    OK(vos_store_outbox_claim(other, &rows, &n, "2099-01-01T00:00:30.000Z", NULL,
                              "2099-01-01T00:01:30.000Z", 10));
    OK(vos_store_commit(other));
    ck_assert_uint_eq(n, 0);
    vos_outbox_rows_free(rows, n);
    /* ... and can once it ran out (the first sender died): it records attempt 1 */
    OK(vos_store_begin(other));
    OK(vos_store_outbox_claim(other, &rows, &n, "2099-01-01T00:01:00.000Z", NULL,
                              "2099-01-01T00:02:00.000Z", 10));
    ck_assert_uint_eq(n, 1);
    OK(vos_store_outbox_finish(other, rows[0].id, rows[0].attempts, VOS_OUTBOX_RETRY, 500,
                               "the receiver replied HTTP 500", "2099-01-01T00:02:01.000Z"));
    OK(vos_store_commit(other));
    int64_t id = rows[0].id;
    vos_outbox_rows_free(rows, n);
    vos_store_close(other);
    /* the first sender's late record is refused: the row moved on */
    OK(vos_store_begin(T.s.st));
    FAILS(vos_store_outbox_finish(T.s.st, id, 0, VOS_OUTBOX_DELIVERED, 200, NULL,
                                  "2099-01-01T00:02:02.000Z"),
          VOS_ESTALE, "another sender");
    OK(vos_store_rollback(T.s.st));
    /* not due before its retry time; due after; --all makes it due now */
    OK(vos_store_begin(T.s.st));
    OK(vos_store_outbox_claim(T.s.st, &rows, &n, "2099-01-01T00:02:00.500Z", NULL,
                              "2099-01-01T00:03:00.000Z", 10));
    ck_assert_uint_eq(n, 0);
    vos_outbox_rows_free(rows, n);
    OK(vos_store_outbox_retry_now(T.s.st, 0, "2099-01-01T00:02:00.600Z"));
    OK(vos_store_outbox_claim(T.s.st, &rows, &n, "2099-01-01T00:02:00.700Z", NULL,
                              "2099-01-01T00:03:00.000Z", 10));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(rows[0].attempts, 1);
    ck_assert_int_eq(rows[0].last_status, 500);
    OK(vos_store_outbox_finish(T.s.st, id, 1, VOS_OUTBOX_DELIVERED, 204, NULL,
                               "2099-01-01T00:02:01.000Z"));
    OK(vos_store_commit(T.s.st));
    vos_outbox_rows_free(rows, n);
    OK(vos_store_outbox_list(T.s.st, &rows, &n, hook, 0, 0));
    ck_assert_str_eq(rows[0].delivered_at, "2099-01-01T00:02:01.000Z");
    ck_assert_ptr_null(rows[0].claimed_until);
    ck_assert_ptr_null(rows[0].last_error);
    ck_assert_int_eq(rows[0].attempts, 2);
    vos_outbox_rows_free(rows, n);
}
END_TEST

START_TEST(retries_back_off_to_six_hours)
{
    /* 1, 2, 4, 8, ... minutes, capped at 6 hours */
    static const double want[] = {60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        ck_assert_double_eq(vos_webhook_backoff_s((int64_t)i + 1), want[i]);
    ck_assert_double_eq(vos_webhook_backoff_s(1000), 21600);
}
END_TEST

START_TEST(signatures_are_hmac_sha256)
{
    /* HMAC-SHA256 under the secret over timestamp "." body, written "sha256=<hex>"; checked
     * here against libsodium's one-shot HMAC of the joined message (and against Python's hmac
     * module by tests/cli/0900-webhook.sh) */
    char sig[VOS_WEBHOOK_SIGNATURE_SIZE];
    vos_webhook_signature(sig, "key-of-twenty-chars!", "1700000000", "{\"a\":1}", 7);
    const char *msg = "1700000000.{\"a\":1}";
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES] = {0}; /* the secret, zero-padded */
    memcpy(key, "key-of-twenty-chars!", 20);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, (const unsigned char *)msg, strlen(msg), key);
    char hex[2 * sizeof mac + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    ck_assert_int_eq(strncmp(sig, "sha256=", 7), 0);
    ck_assert_str_eq(sig + 7, hex);
}
END_TEST

Suite *vos_test_app_realize_suite(void)
{
    Suite *s = suite_create("app_realize");
    TCase *tc = tcase_create("realize");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, realization_is_computed_from_the_measurements);
    tcase_add_test(tc, realization_is_refused_when_it_cannot_be);
    tcase_add_test(tc, portfolio_sums_and_orders_worst_first);
    tcase_add_test(tc, success_plan_has_quarters);
    tcase_add_test(tc, alerts_are_raised_once_updated_and_resolved);
    tcase_add_test(tc, stale_forecast_and_missed_target);
    tcase_add_test(tc, evaluation_roles);
    tcase_add_test(tc, webhooks_keep_their_secret_out_of_the_audit_log);
    tcase_add_test(tc, events_are_written_with_their_alert);
    tcase_add_test(tc, moves_by_hand_write_events);
    tcase_add_test(tc, claims_are_leased);
    tcase_add_test(tc, retries_back_off_to_six_hours);
    tcase_add_test(tc, signatures_are_hmac_sha256);
    suite_add_tcase(s, tc);
    return s;
}
