/* The app layer's business cases: create, override inputs, commit, lifecycle, re-base.
 *
 * Reference for figures: the value engine (vos_case_compute with vos_case_override applied
 * directly), whose figures are checked against spreadsheets in the core suites; the app must
 * store and report exactly those numbers. */
#include "app_fixture.h"

#include "vos/error.h"

#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static apptest T;
static int64_t V12; /* version 1.2.0 of the service desk model, approved */

static void setup(void)
{
    apptest_setup(&T);
    char *text = apptest_sda("1.2.0");
    V12 = apptest_import_approved(&T, text, "1.2.0");
    free(text);
    apptest_account(&T, "Acme", 0);
}

static void teardown(void)
{
    apptest_teardown(&T);
}

static int set_value(int64_t c, const char *input, double v)
{
    vos_input_override ov = {.value = v, .has_value = 1};
    return vos_app_case_set(T.app, &T.admin, c, input, &ov, 0, NULL);
}

static char *case_overrides(int64_t c)
{
    vos_case_row *row = NULL;
    OK(vos_app_case_get(T.app, &T.admin, c, &row));
    char *s = strdup(row->overrides);
    vos_case_row_free(row);
    return s;
}

/* One KPI commitment on mttr: 8 h down to 5 h over 2026. */
static vos_kpi_commitment mttr_kpi(void)
{
    return (vos_kpi_commitment){.kpi_key = "mttr",
                                .baseline_value = 8,
                                .baseline_date = "2026-01-01",
                                .target_value = 5,
                                .target_date = "2026-12-31",
                                .trajectory = VOS_TRAJECTORY_LINEAR,
                                .data_source = "ServiceNow"};
}

/* ---- create --------------------------------------------------------------------------------- */

START_TEST(create_pins_the_latest_approved_version)
{
    vos_actor seller = {.name = "sam@vendor.example", .role = VOS_ROLE_SELLER};
    vos_case_row *c = NULL;
    OK(vos_app_case_create(T.app, &seller, "Acme", "Service desk 2026", SDA_KEY, NULL, &c));
    ck_assert_int_eq(c->model_version_id, V12);
    ck_assert_int_eq(c->stage, VOS_STAGE_HYPOTHESIS);
    ck_assert_str_eq(c->overrides, "{}");
    ck_assert_str_eq(c->name, "Service desk 2026");
    apptest_audit_is(&T, (int64_t)apptest_audit_count(&T), "case.create", "case", c->id,
                     "sam@vendor.example");
    vos_case_row_free(c);
    apptest_verify(&T);
}
END_TEST

START_TEST(create_refuses_bad_references)
{
    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_CASE, 1);
    vos_case_row *c = NULL;
    FAILS(vos_app_case_create(T.app, &T.admin, "Initech", "Q3", SDA_KEY, NULL, &c), VOS_ENOTFOUND,
          "account 'Initech' does not exist");
    ck_assert_ptr_null(c);
    FAILS(vos_app_case_create(T.app, &T.admin, "Acme", "Q3", "no-model", NULL, &c), VOS_ENOTFOUND,
          "model 'no-model' does not exist");
    FAILS(vos_app_case_create(T.app, &T.admin, "Acme", "Q3", SDA_KEY, "7.0.0", &c), VOS_ENOTFOUND,
          "has no version '7.0.0'");
    FAILS(vos_app_case_create(T.app, &T.admin, "Acme", "", SDA_KEY, NULL, &c), VOS_EINVALID,
          "case name is required");
    apptest_unchanged(&T, &s, VOS_ENTITY_CASE, 1);

    apptest_case(&T, "Acme", "Q3", NULL);
    apptest_capture(&T, &s, VOS_ENTITY_CASE, 1);
    FAILS(vos_app_case_create(T.app, &T.admin, "Acme", "q3", SDA_KEY, NULL, &c), VOS_ECONFLICT,
          "already exists");
    apptest_unchanged(&T, &s, VOS_ENTITY_CASE, 1);
}
END_TEST

/* ---- overrides ------------------------------------------------------------------------------ */

START_TEST(set_overrides_inputs_and_the_engine_sees_them)
{
    int64_t c = apptest_case(&T, "Acme", "Q3", NULL);
    vos_case_row *row = NULL;
    vos_input_override ov = {.value = 11000, .has_value = 1};
    OK(vos_app_case_set(T.app, &T.admin, c, "tickets", &ov, 1, &row));
    ck_assert_str_eq(row->overrides, "{\"tickets\":{\"value\":11000}}");
    ck_assert_int_eq(row->revision, 2);
    vos_case_row_free(row);
    vos_audit_row *last = apptest_audit_last(&T);
    ck_assert_str_eq(last->operation, "case.set");
    ck_assert_ptr_nonnull(strstr(last->before_json, "\"overrides\":\"{}\""));
    vos_audit_rows_free(last, 1);

    /* a second field merges into the input's override; inputs are kept in model order */
    vos_input_override range = {.low = 9000, .high = 14000, .has_low = 1, .has_high = 1};
    OK(vos_app_case_set(T.app, &T.admin, c, "tickets", &range, 2, NULL));
    OK(set_value(c, "agent_rate", 0.5e2));
    OK(set_value(c, "deflection_rate", 12.5));
    char *json = case_overrides(c);
    ck_assert_str_eq(json, "{\"tickets\":{\"value\":11000,\"low\":9000,\"high\":14000},"
                           "\"agent_rate\":{\"value\":50},\"deflection_rate\":{\"value\":12.5}}");
    free(json);

    /* the computable case equals the engine's own case with the same overrides */
    vos_model *m = NULL;
    vos_case *vc = NULL;
    OK(vos_app_case_open(T.app, &T.admin, c, &m, &vc));
    vos_case *ref = NULL;
    OK(vos_case_new(&ref, m));
    vos_input_override o1 = {
        .value = 11000, .low = 9000, .high = 14000, .has_value = 1, .has_low = 1, .has_high = 1};
    OK(vos_case_override(ref, (size_t)vos_model_find_input(m, "tickets"), &o1));
    vos_input_override o2 = {.value = 50, .has_value = 1};
    OK(vos_case_override(ref, (size_t)vos_model_find_input(m, "agent_rate"), &o2));
    vos_input_override o3 = {.value = 12.5, .has_value = 1};
    OK(vos_case_override(ref, (size_t)vos_model_find_input(m, "deflection_rate"), &o3));
    vos_result *r1 = NULL, *r2 = NULL;
    OK(vos_result_new(&r1, m));
    OK(vos_result_new(&r2, m));
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++) {
        OK(vos_case_compute(vc, (vos_scenario)s, r1));
        OK(vos_case_compute(ref, (vos_scenario)s, r2));
        ck_assert_double_eq(r1->npv, r2->npv);
        ck_assert_double_eq(r1->benefits_total, r2->benefits_total);
    }
    OK(vos_case_compute(vc, VOS_SCENARIO_EXPECTED, r1));
    ck_assert_double_eq(r1->inputs[vos_model_find_input(m, "tickets")], 11000);
    vos_result_free(r1);
    vos_result_free(r2);
    vos_case_free(ref);
    vos_case_free(vc);
    vos_model_free(m);

    /* unset goes back to the model's figure */
    OK(vos_app_case_unset(T.app, &T.admin, c, "agent_rate", 0, NULL));
    json = case_overrides(c);
    ck_assert_str_eq(json, "{\"tickets\":{\"value\":11000,\"low\":9000,\"high\":14000},"
                           "\"deflection_rate\":{\"value\":12.5}}");
    free(json);
    apptest_audit_is(&T, (int64_t)apptest_audit_count(&T), "case.unset", "case", c, "system");
    apptest_verify(&T);
}
END_TEST

START_TEST(set_refuses_what_is_not_an_input)
{
    int64_t c = apptest_case(&T, "Acme", "Q3", NULL);
    OK(set_value(c, "tickets", 11000));
    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_CASE, c);
    FAILS(set_value(c, "triage_time", 1000), VOS_EINVALID,
          "'triage_time' is a driver formula of model service-desk-automation; a case overrides "
          "inputs only");
    FAILS(set_value(c, "subscription", 1000), VOS_EINVALID,
          "'subscription' is a cost formula of model service-desk-automation");
    FAILS(set_value(c, "mttr", 1), VOS_EINVALID, "'mttr' is a KPI of model");
    FAILS(set_value(c, "ticket", 1), VOS_EINVALID,
          "model service-desk-automation version 1.2.0 has no input 'ticket'");
    /* outside the input's range without a new range */
    FAILS(set_value(c, "agent_rate", 60), VOS_EINVALID,
          "input 'agent_rate': value 60 must lie within its range [44, 53]");
    vos_input_override bad = {.low = 50, .high = 40, .has_low = 1, .has_high = 1};
    ck_assert_int_eq(vos_app_case_set(T.app, &T.admin, c, "agent_rate", &bad, 0, NULL),
                     VOS_EINVALID);
    vos_input_override nan_ov = {.value = NAN, .has_value = 1};
    FAILS(vos_app_case_set(T.app, &T.admin, c, "agent_rate", &nan_ov, 0, NULL), VOS_EINVALID,
          "finite");
    vos_input_override none = {0};
    FAILS(vos_app_case_set(T.app, &T.admin, c, "agent_rate", &none, 0, NULL), VOS_EINVALID,
          "nothing to override");
    FAILS(vos_app_case_unset(T.app, &T.admin, c, "agent_rate", 0, NULL), VOS_ENOTFOUND,
          "case 'Q3' does not override input 'agent_rate'");
    /* a stale revision: someone else changed it since revision 1 */
    vos_input_override ov = {.value = 12000, .has_value = 1};
    FAILS(vos_app_case_set(T.app, &T.admin, c, "tickets", &ov, 1, NULL), VOS_ESTALE,
          "case 'Q3' was changed by someone else (revision 2, not 1)");
    vos_actor exec = {.name = "e", .role = VOS_ROLE_EXECUTIVE};
    FAILS(vos_app_case_set(T.app, &exec, c, "tickets", &ov, 0, NULL), VOS_EFORBIDDEN,
          "(executive) may not change cases");
    FAILS(vos_app_case_set(T.app, &T.admin, 999, "tickets", &ov, 0, NULL), VOS_ENOTFOUND,
          "case 999 does not exist");
    apptest_unchanged(&T, &s, VOS_ENTITY_CASE, c);
}
END_TEST

/* ---- commit --------------------------------------------------------------------------------- */

static json_t *load_json(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    ck_assert_msg(j != NULL, "snapshot is not JSON: %s", err.text);
    return j;
}

START_TEST(commit_freezes_a_snapshot)
{
    int64_t c = apptest_case(&T, "Acme", "Q3", NULL);
    OK(set_value(c, "tickets", 11000));
    size_t records = apptest_audit_count(&T);
    vos_kpi_commitment k[2] = {mttr_kpi(), mttr_kpi()};
    k[1].kpi_key = "self_service_rate";
    k[1].baseline_value = 5;
    k[1].target_value = 15;
    k[1].tolerance = 0.2;
    k[1].trajectory = VOS_TRAJECTORY_S_CURVE;
    vos_actor seller = {.name = "sam@vendor.example", .user_id = 0, .role = VOS_ROLE_SELLER};
    vos_commitment_row *cm = NULL;
    OK(vos_app_case_commit(T.app, &seller, c, k, 2, &cm));
    ck_assert_int_eq(cm->case_id, c);

    /* one record for the commitment, one per KPI, one for the case; all "case.commit" */
    ck_assert_uint_eq(apptest_audit_count(&T), records + 4);
    apptest_audit_is(&T, (int64_t)records + 1, "case.commit", "commitment", cm->id,
                     "sam@vendor.example");
    apptest_audit_is(&T, (int64_t)records + 2, "case.commit", "commitment_kpi", 1,
                     "sam@vendor.example");
    apptest_audit_is(&T, (int64_t)records + 3, "case.commit", "commitment_kpi", 2,
                     "sam@vendor.example");
    apptest_audit_is(&T, (int64_t)records + 4, "case.commit", "case", c, "sam@vendor.example");

    vos_case_row *row = NULL;
    OK(vos_app_case_get(T.app, &T.admin, c, &row));
    ck_assert_int_eq(row->stage, VOS_STAGE_COMMITTED);
    vos_case_row_free(row);

    vos_commitment_kpi_row *kr = NULL;
    OK(vos_store_commitment_kpi_get(T.s.st, &kr, 1));
    ck_assert_str_eq(kr->kpi_key, "mttr");
    ck_assert_str_eq(kr->unit, "h");         /* the model's unit */
    ck_assert_double_eq(kr->tolerance, 0.1); /* the organisation's default */
    ck_assert_str_eq(kr->data_source, "ServiceNow");
    vos_commitment_kpi_row_free(kr);
    OK(vos_store_commitment_kpi_get(T.s.st, &kr, 2));
    ck_assert_double_eq(kr->tolerance, 0.2);
    ck_assert_int_eq(kr->trajectory, VOS_TRAJECTORY_S_CURVE);
    vos_commitment_kpi_row_free(kr);

    /* the snapshot holds the model version, overrides and the engine's figures */
    vos_model_version_row *v = NULL;
    OK(vos_store_model_version_get(T.s.st, &v, V12));
    json_t *snap = load_json(cm->snapshot);
    json_t *model = json_object_get(snap, "model");
    ck_assert_str_eq(json_string_value(json_object_get(model, "key")), "service-desk-automation");
    ck_assert_str_eq(json_string_value(json_object_get(model, "version")), "1.2.0");
    ck_assert_str_eq(json_string_value(json_object_get(model, "content_sha256")),
                     v->content_sha256);
    ck_assert_str_eq(json_string_value(json_object_get(snap, "account")), "Acme");
    json_t *ov = json_object_get(json_object_get(snap, "overrides"), "tickets");
    ck_assert_double_eq(json_number_value(json_object_get(ov, "value")), 11000);
    json_t *kpis = json_object_get(snap, "kpis");
    ck_assert_uint_eq(json_array_size(kpis), 2);
    ck_assert_double_eq(json_number_value(json_object_get(json_array_get(kpis, 0), "tolerance")),
                        0.1);

    vos_model *m = NULL;
    vos_case *vc = NULL;
    OK(vos_app_case_open(T.app, &T.admin, c, &m, &vc));
    vos_result *r = NULL;
    OK(vos_result_new(&r, m));
    json_t *scen = json_object_get(snap, "scenarios");
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++) {
        OK(vos_case_compute(vc, (vos_scenario)s, r));
        json_t *one = json_object_get(scen, vos_scenario_name((vos_scenario)s));
        ck_assert_ptr_nonnull(one);
        /* numbers round-trip exactly (shortest form) */
        ck_assert_double_eq(json_number_value(json_object_get(one, "npv")), r->npv);
        ck_assert_double_eq(json_number_value(json_object_get(one, "benefits_total")),
                            r->benefits_total);
        ck_assert_double_eq(json_number_value(json_object_get(one, "costs_total")), r->costs_total);
        if (r->has_irr) ck_assert_double_eq(json_number_value(json_object_get(one, "irr")), r->irr);
        json_t *levers = json_object_get(one, "levers");
        ck_assert_double_eq(json_number_value(json_object_get(levers, "cost")),
                            r->lever_total[VOS_LEVER_COST]);
        json_t *drivers = json_object_get(one, "drivers");
        ck_assert_double_eq(json_number_value(json_object_get(drivers, "triage_time")),
                            r->driver_total[vos_model_find_driver(m, "triage_time")]);
    }
    vos_result_free(r);
    vos_case_free(vc);
    vos_model_free(m);
    json_decref(snap);
    vos_model_version_row_free(v);
    vos_commitment_row_free(cm);

    /* frozen from now on */
    FAILS(set_value(c, "tickets", 12000), VOS_ECONFLICT,
          "case 'Q3' is committed: its inputs are frozen");
    FAILS(vos_app_case_commit(T.app, &T.admin, c, k, 1, NULL), VOS_ECONFLICT,
          "case 'Q3' is committed; only a hypothesis can be committed");
    apptest_verify(&T);
}
END_TEST

START_TEST(commit_needs_an_approved_version)
{
    char *text = apptest_sda("1.3.0");
    apptest_import(&T, text);
    free(text);
    int64_t c = apptest_case(&T, "Acme", "Draft case", "1.3.0"); /* a draft may be pinned */
    vos_kpi_commitment k = mttr_kpi();
    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_CASE, c);
    FAILS(vos_app_case_commit(T.app, &T.admin, c, &k, 1, NULL), VOS_ECONFLICT,
          "model service-desk-automation version 1.3.0 is a draft; approve it before "
          "committing a case on it");
    apptest_unchanged(&T, &s, VOS_ENTITY_CASE, c);
    vos_commitment_row *rows = NULL;
    size_t n = 0;
    OK(vos_store_commitment_list(T.s.st, &rows, &n, NULL));
    ck_assert_uint_eq(n, 0);

    vos_actor csm = {.name = "c", .role = VOS_ROLE_CSM};
    FAILS(vos_app_case_commit(T.app, &csm, c, &k, 1, NULL), VOS_EFORBIDDEN,
          "(csm) may not commit cases");
}
END_TEST

START_TEST(commit_checks_every_kpi)
{
    int64_t c = apptest_case(&T, "Acme", "Q3", NULL);
    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_CASE, c);
    vos_kpi_commitment k[2] = {mttr_kpi(), mttr_kpi()};
    k[1].kpi_key = "nps";
    FAILS(vos_app_case_commit(T.app, &T.admin, c, k, 2, NULL), VOS_EINVALID,
          "'nps' is not a KPI of model service-desk-automation (its KPIs: triage_effort, mttr, "
          "self_service_rate, escalation_share, p1_incidents)");
    FAILS(vos_app_case_commit(T.app, &T.admin, c, k, 0, NULL), VOS_EINVALID,
          "a commitment needs at least one KPI");
    k[1] = mttr_kpi();
    FAILS(vos_app_case_commit(T.app, &T.admin, c, k, 2, NULL), VOS_EINVALID,
          "KPI 'mttr' is committed to twice");
    k[0].target_value = 8;
    FAILS(vos_app_case_commit(T.app, &T.admin, c, k, 1, NULL), VOS_EINVALID,
          "KPI 'mttr': target_value must differ from baseline_value");
    k[0] = mttr_kpi();
    k[0].target_value = 9; /* mttr is lower-is-better: a target above the baseline is no gain */
    FAILS(vos_app_case_commit(T.app, &T.admin, c, k, 1, NULL), VOS_EINVALID,
          "KPI 'mttr' is lower-is-better in model service-desk-automation: target_value 9 must "
          "be below baseline_value 8");
    k[0] = mttr_kpi();
    k[0].target_date = "2025-06-30";
    FAILS(vos_app_case_commit(T.app, &T.admin, c, k, 1, NULL), VOS_EINVALID,
          "KPI 'mttr': target_date 2025-06-30 must be after baseline_date 2026-01-01");
    k[0].target_date = "2026-02-30";
    FAILS(vos_app_case_commit(T.app, &T.admin, c, k, 1, NULL), VOS_EINVALID,
          "KPI 'mttr': target_date '2026-02-30' is not a date");
    k[0] = mttr_kpi();
    k[0].tolerance = 1.5;
    FAILS(vos_app_case_commit(T.app, &T.admin, c, k, 1, NULL), VOS_EINVALID,
          "KPI 'mttr': tolerance must be a fraction in (0, 1]");
    k[0] = mttr_kpi();
    k[0].baseline_value = INFINITY;
    FAILS(vos_app_case_commit(T.app, &T.admin, c, k, 1, NULL), VOS_EINVALID, "finite numbers");
    k[0] = mttr_kpi();
    k[0].unit = "USD";
    FAILS(vos_app_case_commit(T.app, &T.admin, c, k, 1, NULL), VOS_EINVALID,
          "KPI 'mttr' is measured in h in model service-desk-automation, not in USD");
    apptest_unchanged(&T, &s, VOS_ENTITY_CASE, c);
    k[0].unit = "hours"; /* the same unit spelt otherwise */
    OK(vos_app_case_commit(T.app, &T.admin, c, k, 1, NULL));
}
END_TEST

/* ---- lifecycle ------------------------------------------------------------------------------ */

START_TEST(transitions_follow_the_lifecycle)
{
    int64_t c = apptest_case(&T, "Acme", "Q3", NULL);
    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_CASE, c);
    FAILS(vos_app_case_transition(T.app, &T.admin, c, VOS_STAGE_REALIZING, NULL), VOS_ECONFLICT,
          "case 'Q3' cannot move from hypothesis to realizing");
    FAILS(vos_app_case_transition(T.app, &T.admin, c, VOS_STAGE_COMMITTED, NULL), VOS_ECONFLICT,
          "only by committing it");
    FAILS(vos_app_case_transition(T.app, &T.admin, c, VOS_STAGE_HYPOTHESIS, NULL), VOS_ECONFLICT,
          "case 'Q3' is already hypothesis");
    apptest_unchanged(&T, &s, VOS_ENTITY_CASE, c);

    vos_kpi_commitment k = mttr_kpi();
    OK(vos_app_case_commit(T.app, &T.admin, c, &k, 1, NULL));
    vos_actor csm = {.name = "carla@vendor.example", .role = VOS_ROLE_CSM};
    vos_case_row *row = NULL;
    OK(vos_app_case_transition(T.app, &csm, c, VOS_STAGE_REALIZING, &row));
    ck_assert_int_eq(row->stage, VOS_STAGE_REALIZING);
    vos_case_row_free(row);
    apptest_audit_is(&T, (int64_t)apptest_audit_count(&T), "case.transition", "case", c,
                     "carla@vendor.example");
    OK(vos_app_case_transition(T.app, &csm, c, VOS_STAGE_EXPANDED, NULL));
    apptest_capture(&T, &s, VOS_ENTITY_CASE, c);
    FAILS(vos_app_case_transition(T.app, &csm, c, VOS_STAGE_LOST, NULL), VOS_ECONFLICT,
          "case 'Q3' cannot move from expanded to lost");
    FAILS(vos_app_case_transition(T.app, &csm, c, (vos_case_stage)17, NULL), VOS_EINVALID,
          "stage 17 is not a stage");
    apptest_unchanged(&T, &s, VOS_ENTITY_CASE, c);

    /* a hypothesis can be lost or closed; nothing follows */
    int64_t c2 = apptest_case(&T, "Acme", "Q4", NULL);
    OK(vos_app_case_transition(T.app, &T.admin, c2, VOS_STAGE_LOST, NULL));
    FAILS(vos_app_case_transition(T.app, &T.admin, c2, VOS_STAGE_CLOSED, NULL), VOS_ECONFLICT,
          "cannot move from lost to closed");
    int64_t c3 = apptest_case(&T, "Acme", "Q5", NULL);
    OK(vos_app_case_commit(T.app, &T.admin, c3, &k, 1, NULL));
    OK(vos_app_case_transition(T.app, &T.admin, c3, VOS_STAGE_CLOSED, NULL));
    apptest_verify(&T);
}
END_TEST

/* ---- re-base -------------------------------------------------------------------------------- */

/* 1.3.0: 13,000 tickets and a 10% uplift in the triage formula. */
static void import_13(int approve)
{
    char *text = apptest_sda("1.3.0");
    char *a = apptest_replace(text, "value: 12000", "value: 13000");
    char *b = apptest_replace(a, "formula: tickets * triage_minutes_saved * agent_rate",
                              "formula: tickets * triage_minutes_saved * agent_rate * 1.1");
    if (approve)
        apptest_import_approved(&T, b, "1.3.0");
    else
        apptest_import(&T, b);
    free(text);
    free(a);
    free(b);
}

static const vos_change *find_change(const vos_changes *c, const char *element, const char *id)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->items[i].element, element) == 0 && strcmp(c->items[i].id, id) == 0)
            return &c->items[i];
    return NULL;
}

/* NPV of scenario s of model version `version_id` with tickets overridden to `tickets`. */
static double npv_with_tickets(int64_t version_id, vos_scenario s, double tickets)
{
    vos_model_version_row *v = NULL;
    OK(vos_store_model_version_get(T.s.st, &v, version_id));
    vos_diags d;
    vos_diags_init(&d);
    vos_model *m = NULL;
    OK(vos_model_load(&m, v->source, strlen(v->source), "x", &d));
    vos_case *c = NULL;
    OK(vos_case_new(&c, m));
    vos_input_override ov = {.value = tickets, .has_value = 1};
    OK(vos_case_override(c, (size_t)vos_model_find_input(m, "tickets"), &ov));
    vos_result *r = NULL;
    OK(vos_result_new(&r, m));
    OK(vos_case_compute(c, s, r));
    double npv = r->npv;
    vos_result_free(r);
    vos_case_free(c);
    vos_model_free(m);
    vos_diags_free(&d);
    vos_model_version_row_free(v);
    return npv;
}

START_TEST(rebase_reports_every_figure)
{
    int64_t c = apptest_case(&T, "Acme", "Q3", NULL);
    OK(set_value(c, "tickets", 11000));
    import_13(1);
    vos_changes ch;
    vos_case_row *row = NULL;
    OK(vos_app_case_rebase(T.app, &T.admin, c, "1.3.0", &ch, &row));
    ck_assert_int_ne(row->model_version_id, V12);
    ck_assert_str_eq(row->overrides, "{\"tickets\":{\"value\":11000}}");
    apptest_audit_is(&T, (int64_t)apptest_audit_count(&T), "case.rebase", "case", c, "system");

    ck_assert_uint_eq(ch.n, 2 + VOS_SCENARIO_COUNT * VOS_DIFF_FIGURE_COUNT);
    const vos_change *x = find_change(&ch, "driver", "triage_time");
    ck_assert_ptr_nonnull(x);
    ck_assert_str_eq(x->field, "formula");
    ck_assert_ptr_nonnull(find_change(&ch, "input", "tickets"));
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++) {
        char id[64];
        snprintf(id, sizeof id, "%s.npv", vos_scenario_name((vos_scenario)s));
        x = find_change(&ch, "figure", id);
        ck_assert_ptr_nonnull(x);
        /* the case's override holds on both sides: only the formula moves the figures */
        ck_assert_double_eq(x->before_value, npv_with_tickets(V12, (vos_scenario)s, 11000));
        ck_assert_double_eq(x->after_value,
                            npv_with_tickets(row->model_version_id, (vos_scenario)s, 11000));
        ck_assert_double_gt(x->after_value, x->before_value);
    }
    vos_changes_free(&ch);
    vos_case_row_free(row);

    /* back again is also explicit; the same version is refused */
    OK(vos_app_case_rebase(T.app, &T.admin, c, "1.2.0", &ch, NULL));
    vos_changes_free(&ch);
    FAILS(vos_app_case_rebase(T.app, &T.admin, c, "1.2.0", &ch, NULL), VOS_ECONFLICT,
          "case 'Q3' is already on model 'service-desk-automation' version 1.2.0");
    ck_assert_uint_eq(ch.n, 0);
    apptest_verify(&T);
}
END_TEST

START_TEST(rebase_refuses_overrides_that_no_longer_apply)
{
    int64_t c = apptest_case(&T, "Acme", "Q3", NULL);
    OK(set_value(c, "tickets", 13400));
    OK(set_value(c, "p1_impact", 30000));
    /* 2.0.0: the tickets range ends at 13,000 and p1_impact is now p1_cost */
    char *text = apptest_sda("2.0.0");
    char *a = apptest_replace(text, "high: 13500", "high: 13000");
    char *b = apptest_replace(a, "p1_impact", "p1_cost");
    apptest_import_approved(&T, b, "2.0.0");
    free(text);
    free(a);
    free(b);

    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_CASE, c);
    vos_changes ch;
    FAILS(vos_app_case_rebase(T.app, &T.admin, c, "2.0.0", &ch, NULL), VOS_EINVALID,
          "case 'Q3' cannot move to version 2.0.0: input 'p1_impact' does not exist in version "
          "2.0.0; input 'tickets': value 13400 must lie within its range [10500, 13000]");
    ck_assert_uint_eq(ch.n, 0);
    apptest_unchanged(&T, &s, VOS_ENTITY_CASE, c);

    /* committed cases stay on their version; retired versions are not a target */
    FAILS(vos_app_case_rebase(T.app, &T.admin, c, "3.0.0", &ch, NULL), VOS_ENOTFOUND,
          "has no version '3.0.0'");
    OK(vos_app_case_unset(T.app, &T.admin, c, "p1_impact", 0, NULL));
    vos_kpi_commitment k = mttr_kpi();
    OK(vos_app_case_commit(T.app, &T.admin, c, &k, 1, NULL));
    apptest_capture(&T, &s, VOS_ENTITY_CASE, c);
    FAILS(vos_app_case_rebase(T.app, &T.admin, c, "2.0.0", &ch, NULL), VOS_ECONFLICT,
          "is committed: its inputs are frozen");
    apptest_unchanged(&T, &s, VOS_ENTITY_CASE, c);
    int64_t c2 = apptest_case(&T, "Acme", "Q4", "1.2.0");
    OK(vos_app_model_retire(T.app, &T.admin, SDA_KEY, "2.0.0", NULL));
    FAILS(vos_app_case_rebase(T.app, &T.admin, c2, "2.0.0", &ch, NULL), VOS_ECONFLICT,
          "version 2.0.0 is retired");
}
END_TEST

/* Overrides follow an input whose unit changed to another unit of the same dimension. */
START_TEST(rebase_converts_units)
{
    int64_t c = apptest_case(&T, "Acme", "Q3", NULL);
    OK(set_value(c, "triage_minutes_saved", 3));
    char *text = apptest_sda("1.4.0");
    /* the same input now in hours: 2.5 min = 1/24 h, range 1.5..4 min = 0.025..1/15 h */
    char *b = apptest_replace(text, "value: 2.5\n    low: 1.5\n    high: 4\n    unit: min",
                              "value: 0.0416666666666667\n    low: 0.025\n    high: "
                              "0.0666666666666667\n    unit: h");
    apptest_import_approved(&T, b, "1.4.0");
    free(text);
    free(b);
    vos_changes ch;
    vos_case_row *row = NULL;
    OK(vos_app_case_rebase(T.app, &T.admin, c, "1.4.0", &ch, &row));
    ck_assert_str_eq(row->overrides, "{\"triage_minutes_saved\":{\"value\":0.05}}");
    vos_case_row_free(row);
    vos_changes_free(&ch);
    apptest_verify(&T);
}
END_TEST

START_TEST(audit_verifies_after_a_working_day)
{
    int64_t c = apptest_case(&T, "Acme", "Q3", NULL);
    OK(set_value(c, "tickets", 11000));
    OK(set_value(c, "agent_rate", 50));
    OK(vos_app_case_unset(T.app, &T.admin, c, "agent_rate", 0, NULL));
    import_13(1);
    vos_changes ch;
    OK(vos_app_case_rebase(T.app, &T.admin, c, "1.3.0", &ch, NULL));
    vos_changes_free(&ch);
    vos_kpi_commitment k = mttr_kpi();
    OK(vos_app_case_commit(T.app, &T.admin, c, &k, 1, NULL));
    OK(vos_app_case_transition(T.app, &T.admin, c, VOS_STAGE_REALIZING, NULL));
    OK(vos_app_model_retire(T.app, &T.admin, SDA_KEY, "1.2.0", NULL));
    /* failures in between leave no trace */
    ck_assert_int_lt(set_value(c, "tickets", 1), 0);
    ck_assert_int_lt(vos_app_case_transition(T.app, &T.admin, c, VOS_STAGE_HYPOTHESIS, NULL), 0);
    apptest_verify(&T);
    vos_audit_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    OK(vos_app_audit_log(T.app, &T.admin, &rows, &n, &q));
    const char *ops[] = {"organisation.init", "model.import", "model.import",  "model.approve",
                         "account.add",       "case.create",  "case.set",      "case.set",
                         "case.unset",        "model.import", "model.approve", "case.rebase",
                         "case.commit",       "case.commit",  "case.commit",   "case.transition",
                         "model.retire"};
    ck_assert_uint_eq(n, sizeof ops / sizeof ops[0]);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(rows[i].operation, ops[i]);
    vos_audit_rows_free(rows, n);
}
END_TEST

Suite *vos_test_app_case_suite(void)
{
    Suite *s = suite_create("app_case");
    TCase *tc = tcase_create("app_case");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, create_pins_the_latest_approved_version);
    tcase_add_test(tc, create_refuses_bad_references);
    tcase_add_test(tc, set_overrides_inputs_and_the_engine_sees_them);
    tcase_add_test(tc, set_refuses_what_is_not_an_input);
    tcase_add_test(tc, commit_freezes_a_snapshot);
    tcase_add_test(tc, commit_needs_an_approved_version);
    tcase_add_test(tc, commit_checks_every_kpi);
    tcase_add_test(tc, transitions_follow_the_lifecycle);
    tcase_add_test(tc, rebase_reports_every_figure);
    tcase_add_test(tc, rebase_refuses_overrides_that_no_longer_apply);
    tcase_add_test(tc, rebase_converts_units);
    tcase_add_test(tc, audit_verifies_after_a_working_day);
    suite_add_tcase(s, tc);
    return s;
}
