/* The app layer's value models: import as drafts, approve, retire, load, versions, diff.
 *
 * Reference for figures: the value engine itself (vos_case_compute on the model loaded straight
 * from the file), whose figures are checked against spreadsheets in the core suites. */
#include "app_fixture.h"

#include "vos/error.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static apptest T;

static void setup(void)
{
    apptest_setup(&T);
}

static void teardown(void)
{
    apptest_teardown(&T);
}

static int import(const vos_actor *who, const char *text, vos_diags *d, vos_model_version_row **out)
{
    return vos_app_model_import(T.app, who, text, strlen(text), "sda.yaml", d, out);
}

/* ---- import --------------------------------------------------------------------------------- */

START_TEST(import_creates_the_model_and_a_draft)
{
    char *text = apptest_sda("1.2.0");
    vos_diags d;
    vos_diags_init(&d);
    vos_actor ve = {.name = "vic@vendor.example", .user_id = 0, .role = VOS_ROLE_VALUE_ENGINEER};
    vos_model_version_row *v = NULL;
    OK(import(&ve, text, &d, &v));
    ck_assert_uint_eq(d.n_errors, 0);
    ck_assert_int_eq(v->status, VOS_VERSION_DRAFT);
    ck_assert_str_eq(v->version, "1.2.0");
    ck_assert_str_eq(v->source, text);
    ck_assert_uint_eq(strlen(v->content_sha256), 64);
    apptest_audit_is(&T, 2, "model.import", "model", v->model_id, "vic@vendor.example");
    apptest_audit_is(&T, 3, "model.import", "model_version", v->id, "vic@vendor.example");

    vos_model_row *models = NULL;
    size_t n = 0;
    OK(vos_app_model_list(T.app, &ve, &models, &n, NULL));
    ck_assert_uint_eq(n, 1);
    /* the model is stored under its model-language id */
    ck_assert_str_eq(models[0].key, "service-desk-automation");
    ck_assert_str_eq(models[0].name, "IT service desk automation");
    ck_assert_ptr_nonnull(strstr(models[0].description, "automating an internal IT service desk"));
    vos_model_rows_free(models, n);

    /* found by its id; another spelling is another model */
    vos_model_version_row *vs = NULL;
    OK(vos_app_model_versions(T.app, &ve, "service-desk-automation", &vs, &n));
    ck_assert_uint_eq(n, 1);
    vos_model_version_rows_free(vs, n);
    ck_assert_int_eq(vos_app_model_versions(T.app, &ve, "service_desk_automation", &vs, &n),
                     VOS_ENOTFOUND);
    vos_model_version_row_free(v);
    vos_diags_free(&d);
    free(text);
    apptest_verify(&T);
}
END_TEST

START_TEST(reimport_replaces_a_draft)
{
    char *text = apptest_sda("1.2.0");
    int64_t id = apptest_import(&T, text);
    size_t records = apptest_audit_count(&T);

    /* the same text again: nothing to write */
    apptest_import(&T, text);
    ck_assert_uint_eq(apptest_audit_count(&T), records);

    char *changed = apptest_replace(text, "value: 12000", "value: 12500");
    ck_assert_int_eq(apptest_import(&T, changed), id);
    ck_assert_uint_eq(apptest_audit_count(&T), records + 1);
    vos_audit_row *last = apptest_audit_last(&T);
    ck_assert_str_eq(last->operation, "model.import");
    ck_assert_str_eq(last->entity_type, "model_version");
    ck_assert_ptr_nonnull(last->before_json);
    vos_audit_rows_free(last, 1);

    vos_model *m = NULL;
    vos_model_version_row *v = NULL;
    OK(vos_app_model_load(T.app, &T.admin, SDA_KEY, "1.2.0", &m, &v));
    ck_assert_int_eq(v->revision, 2);
    ck_assert_double_eq(m->inputs[vos_model_find_input(m, "tickets")].dist.likely, 12500);
    vos_model_free(m);
    vos_model_version_row_free(v);

    /* a new version with a new name renames the model, audited */
    char *renamed = apptest_replace(changed, "name: IT service desk automation\n",
                                    "name: Service desk automation\n");
    char *v13 = apptest_replace(renamed, "version: 1.2.0", "version: 1.3.0");
    apptest_import(&T, v13);
    vos_model_row *models = NULL;
    size_t n = 0;
    OK(vos_app_model_list(T.app, &T.admin, &models, &n, NULL));
    ck_assert_str_eq(models[0].name, "Service desk automation");
    ck_assert_int_eq(models[0].revision, 2);
    vos_model_rows_free(models, n);
    free(v13);
    free(renamed);
    free(changed);
    free(text);
    apptest_verify(&T);
}
END_TEST

START_TEST(import_of_a_bad_model_changes_nothing)
{
    char *text = apptest_sda("1.2.0");
    char *bad = apptest_replace(text, "formula: tickets * triage_minutes_saved * agent_rate",
                                "formula: tickets * triage_minutes_saved * agent_rat");
    vos_diags d;
    vos_diags_init(&d);
    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_MODEL, 1);
    vos_model_version_row *v = NULL;
    FAILS(import(&T.admin, bad, &d, &v), VOS_EINVALID, "sda.yaml has 1 error(s)");
    ck_assert_ptr_null(v);
    ck_assert_uint_eq(d.n_errors, 1);
    ck_assert_ptr_nonnull(strstr(d.items[0].msg, "agent_rat"));
    apptest_unchanged(&T, &s, VOS_ENTITY_MODEL, 1);

    vos_actor seller = {.name = "s", .role = VOS_ROLE_SELLER};
    apptest_capture(&T, &s, VOS_ENTITY_MODEL, 1);
    FAILS(import(&seller, text, &d, &v), VOS_EFORBIDDEN, "may not import, approve or retire");
    apptest_unchanged(&T, &s, VOS_ENTITY_MODEL, 1);
    vos_diags_free(&d);
    free(bad);
    free(text);
}
END_TEST

/* ---- approve, retire ------------------------------------------------------------------------ */

START_TEST(approved_versions_are_immutable)
{
    char *text = apptest_sda("1.2.0");
    int64_t id = apptest_import(&T, text);
    vos_actor ve = {.name = "vic@vendor.example", .user_id = 0, .role = VOS_ROLE_VALUE_ENGINEER};
    vos_model_version_row *v = NULL;
    OK(vos_app_model_approve(T.app, &ve, SDA_KEY, "1.2.0", &v));
    ck_assert_int_eq(v->status, VOS_VERSION_APPROVED);
    ck_assert_ptr_nonnull(v->approved_at);
    vos_model_version_row_free(v);
    vos_audit_row *last = apptest_audit_last(&T);
    ck_assert_str_eq(last->operation, "model.approve");
    ck_assert_int_eq(last->entity_id, id);
    ck_assert_ptr_nonnull(strstr(last->after_json, "\"status\":\"approved\""));
    vos_audit_rows_free(last, 1);

    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_MODEL_VERSION, id);
    char *edited = apptest_replace(text, "value: 12000", "value: 12500");
    vos_diags d;
    vos_diags_init(&d);
    FAILS(import(&T.admin, edited, &d, NULL), VOS_ECONFLICT,
          "model 'service-desk-automation' version 1.2.0 is approved and immutable; give the "
          "change a new version number");
    apptest_unchanged(&T, &s, VOS_ENTITY_MODEL_VERSION, id);

    apptest_capture(&T, &s, VOS_ENTITY_MODEL_VERSION, id);
    FAILS(vos_app_model_approve(T.app, &T.admin, SDA_KEY, "1.2.0", NULL), VOS_ECONFLICT,
          "is already approved");
    apptest_unchanged(&T, &s, VOS_ENTITY_MODEL_VERSION, id);

    OK(vos_app_model_retire(T.app, &T.admin, SDA_KEY, "1.2.0", &v));
    ck_assert_int_eq(v->status, VOS_VERSION_RETIRED);
    ck_assert_ptr_nonnull(v->retired_at);
    vos_model_version_row_free(v);
    apptest_audit_is(&T, (int64_t)apptest_audit_count(&T), "model.retire", "model_version", id,
                     "system");
    FAILS(import(&T.admin, edited, &d, NULL), VOS_ECONFLICT, "is retired and immutable");
    FAILS(vos_app_model_approve(T.app, &T.admin, SDA_KEY, "1.2.0", NULL), VOS_ECONFLICT,
          "version 1.2.0 is retired; only a draft version can be approved");

    /* a draft cannot be retired; an unknown version is not found */
    char *v13 = apptest_replace(text, "version: 1.2.0", "version: 1.3.0");
    apptest_import(&T, v13);
    FAILS(vos_app_model_retire(T.app, &T.admin, SDA_KEY, "1.3.0", NULL), VOS_ECONFLICT,
          "version 1.3.0 is a draft; only an approved version can be retired");
    FAILS(vos_app_model_approve(T.app, &T.admin, SDA_KEY, "9.9.9", NULL), VOS_ENOTFOUND,
          "has no version '9.9.9'");
    FAILS(vos_app_model_approve(T.app, &T.admin, "no-such-model", "1.0.0", NULL), VOS_ENOTFOUND,
          "model 'no-such-model' does not exist");
    vos_diags_free(&d);
    free(v13);
    free(edited);
    free(text);
    apptest_verify(&T);
}
END_TEST

START_TEST(load_needs_an_approved_version)
{
    char *text = apptest_sda("1.2.0");
    apptest_import(&T, text);
    vos_model *m = NULL;
    FAILS(vos_app_model_load(T.app, &T.admin, SDA_KEY, NULL, &m, NULL), VOS_ENOTFOUND,
          "has no approved version");
    ck_assert_ptr_null(m);
    OK(vos_app_model_load(T.app, &T.admin, SDA_KEY, "1.2.0", &m, NULL)); /* a draft by name */
    ck_assert_str_eq(m->id, SDA_KEY);
    vos_model_free(m);
    free(text);
}
END_TEST

START_TEST(versions_oldest_first)
{
    const char *order[] = {"1.2.0", "1.0.0", "2.0.0"};
    for (int i = 0; i < 3; i++) {
        char *text = apptest_sda(order[i]);
        apptest_import(&T, text);
        free(text);
    }
    vos_model_version_row *vs = NULL;
    size_t n = 0;
    OK(vos_app_model_versions(T.app, &T.admin, SDA_KEY, &vs, &n));
    ck_assert_uint_eq(n, 3);
    for (int i = 0; i < 3; i++)
        ck_assert_str_eq(vs[i].version, order[i]);
    vos_model_version_rows_free(vs, n);
}
END_TEST

/* ---- diff ----------------------------------------------------------------------------------- */

/* The service desk model at 1.3.0 with 13,000 tickets and a 10% uplift in the triage formula. */
static char *sda_13(void)
{
    char *text = apptest_sda("1.3.0");
    char *a = apptest_replace(text, "value: 12000", "value: 13000");
    char *b = apptest_replace(a, "formula: tickets * triage_minutes_saved * agent_rate",
                              "formula: tickets * triage_minutes_saved * agent_rate * 1.1");
    free(text);
    free(a);
    return b;
}

/* The three scenarios of a model text computed by the engine directly. */
static void compute(const char *text, vos_result *out[VOS_SCENARIO_COUNT], vos_model **m)
{
    vos_diags d;
    vos_diags_init(&d);
    OK(vos_model_load(m, text, strlen(text), "x.yaml", &d));
    vos_case *c = NULL;
    OK(vos_case_new(&c, *m));
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++) {
        OK(vos_result_new(&out[s], *m));
        OK(vos_case_compute(c, (vos_scenario)s, out[s]));
    }
    vos_case_free(c);
    vos_diags_free(&d);
}

static const vos_change *find_change(const vos_changes *c, const char *element, const char *id,
                                     const char *field)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->items[i].element, element) == 0 && strcmp(c->items[i].id, id) == 0 &&
            strcmp(c->items[i].field, field) == 0)
            return &c->items[i];
    return NULL;
}

START_TEST(diff_lists_elements_and_every_figure)
{
    char *v12 = apptest_sda("1.2.0"), *v13 = sda_13();
    apptest_import(&T, v12);
    apptest_import(&T, v13);
    vos_changes ch;
    OK(vos_app_model_diff(T.app, &T.admin, SDA_KEY, "1.2.0", "1.3.0", &ch));

    /* elements first: the input value and the formula, nothing else */
    ck_assert_uint_eq(ch.n, 2 + VOS_SCENARIO_COUNT * VOS_DIFF_FIGURE_COUNT);
    ck_assert_str_eq(ch.items[0].element, "input");
    ck_assert_str_eq(ch.items[0].id, "tickets");
    ck_assert_str_eq(ch.items[0].field, "value");
    ck_assert_str_eq(ch.items[0].before, "12000");
    ck_assert_str_eq(ch.items[0].after, "13000");
    ck_assert_str_eq(ch.items[1].element, "driver");
    ck_assert_str_eq(ch.items[1].id, "triage_time");
    ck_assert_str_eq(ch.items[1].field, "formula");
    ck_assert_str_eq(ch.items[1].before, "tickets * triage_minutes_saved * agent_rate");
    ck_assert_str_eq(ch.items[1].after, "tickets * triage_minutes_saved * agent_rate * 1.1");

    /* then every figure of every scenario, expected first, equal ones included */
    ck_assert_str_eq(ch.items[2].id, "expected.npv");
    vos_result *ra[VOS_SCENARIO_COUNT], *rb[VOS_SCENARIO_COUNT];
    vos_model *ma = NULL, *mb = NULL;
    compute(v12, ra, &ma);
    compute(v13, rb, &mb);
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++) {
        char id[64];
        snprintf(id, sizeof id, "%s.npv", vos_scenario_name((vos_scenario)s));
        const vos_change *npv = find_change(&ch, "figure", id, "value");
        ck_assert_ptr_nonnull(npv);
        ck_assert_double_eq(npv->before_value, ra[s]->npv);
        ck_assert_double_eq(npv->after_value, rb[s]->npv);
        ck_assert_double_gt(npv->after_value, npv->before_value);
        snprintf(id, sizeof id, "%s.costs_total", vos_scenario_name((vos_scenario)s));
        const vos_change *costs = find_change(&ch, "figure", id, "value");
        ck_assert_ptr_nonnull(costs);
        ck_assert_double_eq(costs->before_value, costs->after_value);
        ck_assert_str_eq(costs->before, costs->after);
        snprintf(id, sizeof id, "%s.revenue", vos_scenario_name((vos_scenario)s));
        const vos_change *rev = find_change(&ch, "figure", id, "value");
        ck_assert_ptr_nonnull(rev);
        ck_assert_double_eq(rev->before_value, 0); /* the model has no revenue driver */
        snprintf(id, sizeof id, "%s.cost", vos_scenario_name((vos_scenario)s));
        const vos_change *cost = find_change(&ch, "figure", id, "value");
        ck_assert_double_eq(cost->before_value, ra[s]->lever_total[VOS_LEVER_COST]);
        ck_assert_double_eq(cost->after_value, rb[s]->lever_total[VOS_LEVER_COST]);
        snprintf(id, sizeof id, "%s.payback_months", vos_scenario_name((vos_scenario)s));
        const vos_change *pb = find_change(&ch, "figure", id, "value");
        ck_assert_ptr_nonnull(pb);
        if (ra[s]->has_payback) ck_assert_double_eq(pb->before_value, ra[s]->payback_months);
        vos_result_free(ra[s]);
        vos_result_free(rb[s]);
    }
    /* the risk lever does not read tickets: unchanged */
    const vos_change *risk = find_change(&ch, "figure", "expected.risk", "value");
    ck_assert_double_eq(risk->before_value, risk->after_value);
    vos_model_free(ma);
    vos_model_free(mb);
    vos_changes_free(&ch);
    ck_assert_uint_eq(ch.n, 0);

    /* the other way round, and errors */
    OK(vos_app_model_diff(T.app, &T.admin, SDA_KEY, "1.3.0", "1.2.0", &ch));
    ck_assert_str_eq(ch.items[0].before, "13000");
    vos_changes_free(&ch);
    FAILS(vos_app_model_diff(T.app, &T.admin, SDA_KEY, "1.2.0", "4.0.0", &ch), VOS_ENOTFOUND,
          "has no version '4.0.0'");
    ck_assert_uint_eq(ch.n, 0);
    free(v12);
    free(v13);
}
END_TEST

START_TEST(diff_of_added_and_removed_elements)
{
    char *v12 = apptest_sda("1.2.0");
    /* 2.0.0: the p1 driver and its inputs gone, a new cost, a changed KPI and horizon */
    char *a = apptest_replace(v12, "version: 1.2.0", "version: 2.0.0");
    char *b = apptest_replace(a, "horizon: {years: 3, period: month}",
                              "horizon: {years: 5, period: month}");
    char *c = apptest_replace(b, "  - id: implementation\n",
                              "  - id: training\n    once: 5000 USD\n  - id: implementation\n");
    char *d = apptest_replace(c, "unit: h, better: lower}", "unit: min, better: lower}");
    apptest_import(&T, v12);
    apptest_import(&T, d);
    vos_changes ch;
    OK(vos_app_model_diff(T.app, &T.admin, SDA_KEY, "1.2.0", "2.0.0", &ch));
    const vos_change *x = find_change(&ch, "model", SDA_KEY, "horizon");
    ck_assert_ptr_nonnull(x);
    ck_assert_str_eq(x->before, "3 years");
    ck_assert_str_eq(x->after, "5 years");
    x = find_change(&ch, "cost", "training", "added");
    ck_assert_ptr_nonnull(x);
    ck_assert_ptr_null(x->before);
    ck_assert_str_eq(x->after, "once: 5000 USD");
    x = find_change(&ch, "kpi", "mttr", "unit");
    ck_assert_ptr_nonnull(x);
    ck_assert_str_eq(x->before, "h");
    ck_assert_str_eq(x->after, "min");
    vos_changes_free(&ch);

    OK(vos_app_model_diff(T.app, &T.admin, SDA_KEY, "2.0.0", "1.2.0", &ch));
    x = find_change(&ch, "cost", "training", "removed");
    ck_assert_ptr_nonnull(x);
    ck_assert_str_eq(x->before, "once: 5000 USD");
    ck_assert_ptr_null(x->after);
    vos_changes_free(&ch);
    free(a);
    free(b);
    free(c);
    free(d);
    free(v12);
}
END_TEST

Suite *vos_test_app_model_suite(void)
{
    Suite *s = suite_create("app_model");
    TCase *tc = tcase_create("app_model");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, import_creates_the_model_and_a_draft);
    tcase_add_test(tc, reimport_replaces_a_draft);
    tcase_add_test(tc, import_of_a_bad_model_changes_nothing);
    tcase_add_test(tc, approved_versions_are_immutable);
    tcase_add_test(tc, load_needs_an_approved_version);
    tcase_add_test(tc, versions_oldest_first);
    tcase_add_test(tc, diff_lists_elements_and_every_figure);
    tcase_add_test(tc, diff_of_added_and_removed_elements);
    suite_add_tcase(s, tc);
    return s;
}
