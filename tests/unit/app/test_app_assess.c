/* The app layer's maturity assessments: the built-in blueprint (the same text as
 * models/maturity/value-blueprint-v1.yaml), taking an assessment (every row audited, all or
 * nothing, each kind of bad answer named), roles, the latest assessment and the history, the
 * roadmap with its owner, and the indicators counted from a small data set whose every figure
 * is worked out by hand below. */
#include "app/blueprints.h"
#include "app_fixture.h"

#include "vos/app_assess.h"
#include "vos/error.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_DIMS 15

static apptest T;

static void setup(void)
{
    apptest_setup(&T);
}

static void teardown(void)
{
    apptest_teardown(&T);
}

/* The keys of blueprint v1 in order; stages: strategy 2 3 1 2 4 | execution 3 2 2 4 1 3 |
 * tools 2 2 5 1 (overall median 2, so the default target is III). */
static const char *const KEYS[N_DIMS] = {
    "prioritization",      "process_maturity",      "organizational_capability",
    "value_narrative",     "executive_sponsorship", "partners",
    "targeting",           "engagement_timing",     "discussion_lead",
    "customer_experience", "content_creation",      "organizational_support",
    "value_technology",    "value_discovery",       "content_integration"};
static const int STAGES[N_DIMS] = {2, 3, 1, 2, 4, 3, 2, 2, 4, 1, 3, 2, 2, 5, 1};

static vos_assessment_answer_in answers[N_DIMS];

/* Answers in the order given, `stages` (NULL: STAGES). */
static vos_assessment_in input(const char *taken_at, int target, const int *stages)
{
    for (int i = 0; i < N_DIMS; i++)
        answers[i] = (vos_assessment_answer_in){KEYS[i], stages ? stages[i] : STAGES[i],
                                                i == 12 ? "Spreadsheets only" : NULL};
    return (vos_assessment_in){taken_at, target, "First review", answers, N_DIMS};
}

static vos_actor actor(const char *name, vos_role role, int64_t user_id)
{
    return (vos_actor){.name = name, .user_id = user_id, .role = role, .account_id = 0};
}

static int64_t add_user(const char *email, vos_role role, bool active)
{
    vos_user_row u = {.email = (char *)email, .name = "Someone", .role = role, .active = active};
    OK(vos_app_user_add(T.app, &T.admin, &u));
    return u.id;
}

static void today(char out[VOS_DATE_SIZE])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, VOS_DATE_SIZE, "%Y-%m-%d", &tm);
}

/* ---- the blueprint ---- */

START_TEST(builtin_blueprint_is_the_file)
{
    ck_assert_uint_ge(app_blueprints_count, 1);
    const app_blueprint_text *b = &app_blueprints[app_blueprints_count - 1];
    ck_assert_str_eq(b->path, "models/maturity/value-blueprint-v1.yaml");
    char *file = apptest_read(b->path);
    size_t at = 0;
    for (const char *const *l = b->lines; *l; l++) {
        size_t n = strlen(*l);
        ck_assert_msg(strncmp(file + at, *l, n) == 0,
                      "%s differs from src/app/blueprints.c at '%s': run python3 "
                      "src/app/embed_blueprints.py",
                      b->path, *l);
        at += n;
    }
    ck_assert_msg(file[at] == '\0', "%s has more lines than src/app/blueprints.c", b->path);
    free(file);

    vos_blueprint *bp = NULL;
    OK(vos_app_blueprint(T.app, &T.admin, NULL, NULL, &bp));
    ck_assert_str_eq(bp->id, "ecosystems-value-blueprint");
    ck_assert_str_eq(bp->version, "1.0.0");
    ck_assert_uint_eq(bp->n_dimensions, N_DIMS);
    for (int i = 0; i < N_DIMS; i++)
        ck_assert_str_eq(bp->dimensions[i].key, KEYS[i]);
    vos_blueprint_free(bp);
    OK(vos_app_blueprint(T.app, &T.admin, "ecosystems-value-blueprint", "1.0.0", &bp));
    vos_blueprint_free(bp);
    FAILS(vos_app_blueprint(T.app, &T.admin, "ecosystems-value-blueprint", "9.0.0", &bp),
          VOS_ENOTFOUND, "version '9.0.0' is not built into VOS");
    FAILS(vos_app_blueprint(T.app, &T.admin, "ecosystems-value-blueprint", NULL, &bp), VOS_EINVALID,
          "its id and its version");
    vos_actor cust = {.name = "k", .user_id = 9, .role = VOS_ROLE_CUSTOMER, .account_id = 1};
    FAILS(vos_app_blueprint(T.app, &cust, NULL, NULL, &bp), VOS_EFORBIDDEN,
          "may not read maturity assessments");
}
END_TEST

/* ---- taking an assessment ---- */

START_TEST(take_stores_audits_and_scores)
{
    int64_t eve = add_user("eve@vendor.example", VOS_ROLE_EXECUTIVE, true);
    vos_actor exec = actor("eve@vendor.example", VOS_ROLE_EXECUTIVE, eve);
    size_t records = apptest_audit_count(&T);
    vos_assessment_in in = input("2025-06-30", 0, NULL);
    vos_assessment *a = NULL;
    OK(vos_app_assessment_take(T.app, &exec, &in, &a));
    ck_assert_int_eq(a->row->id, 1);
    ck_assert_str_eq(a->row->taken_at, "2025-06-30");
    ck_assert_int_eq(a->row->taken_by, eve);
    ck_assert_str_eq(a->assessor, "eve@vendor.example");
    ck_assert_str_eq(a->row->blueprint, "ecosystems-value-blueprint");
    ck_assert_str_eq(a->row->blueprint_version, "1.0.0");
    ck_assert_int_eq(a->row->target_stage, 3); /* default: one above the overall stage II */
    ck_assert_str_eq(a->row->notes, "First review");
    ck_assert_uint_eq(a->n_answers, N_DIMS);
    for (int i = 0; i < N_DIMS; i++) {
        ck_assert_str_eq(a->answers[i].dimension_key, KEYS[i]);
        ck_assert_int_eq(a->answers[i].stage, STAGES[i]);
        ck_assert_int_eq(a->stages[i], STAGES[i]);
    }
    ck_assert_str_eq(a->answers[12].evidence, "Spreadsheets only");
    ck_assert_ptr_null(a->answers[0].evidence);
    ck_assert_double_eq(a->scores.overall.median, 2);
    ck_assert_double_eq(a->scores.pillars[1].median, 2.5);
    ck_assert_int_eq(a->scores.overall.spread, 4);
    vos_assessment_free(a);

    /* one audit record per row: the assessment and its 15 answers */
    ck_assert_uint_eq(apptest_audit_count(&T), records + 1 + N_DIMS);
    apptest_audit_is(&T, (int64_t)records + 1, "assessment.take", "assessment", 1,
                     "eve@vendor.example");
    apptest_audit_is(&T, (int64_t)records + 2, "assessment.take", "assessment_answer", 1,
                     "eve@vendor.example");
    apptest_audit_is(&T, (int64_t)records + 1 + N_DIMS, "assessment.take", "assessment_answer",
                     N_DIMS, "eve@vendor.example");
    apptest_verify(&T);

    /* answers in another order, the system as actor, an explicit target */
    vos_assessment_answer_in rev[N_DIMS];
    for (int i = 0; i < N_DIMS; i++)
        rev[i] = (vos_assessment_answer_in){KEYS[N_DIMS - 1 - i], 3, ""};
    vos_assessment_in in2 = {NULL, 5, NULL, rev, N_DIMS};
    OK(vos_app_assessment_take(T.app, &T.admin, &in2, &a));
    char now[VOS_DATE_SIZE];
    today(now);
    ck_assert_str_eq(a->row->taken_at, now);
    ck_assert_int_eq(a->row->taken_by, 0);
    ck_assert_ptr_null(a->assessor);
    ck_assert_int_eq(a->row->target_stage, 5);
    ck_assert_str_eq(a->answers[0].dimension_key, "prioritization");
    ck_assert_double_eq(a->scores.overall.median, 3);
    ck_assert_uint_eq(a->scores.overall.n_weakest, N_DIMS);
    vos_assessment_free(a);
    apptest_verify(&T);
}
END_TEST

/* Takes `in` expecting a failure with `code` and `text`, and that nothing was written. */
static void refused(const vos_actor *who, const vos_assessment_in *in, int code, const char *text)
{
    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_ASSESSMENT, 1);
    vos_assessment *a = NULL;
    FAILS(vos_app_assessment_take(T.app, who, in, &a), code, text);
    ck_assert_ptr_null(a);
    apptest_unchanged(&T, &s, VOS_ENTITY_ASSESSMENT, 1);
}

START_TEST(bad_answers_are_named_and_change_nothing)
{
    vos_assessment_in in = input("2026-01-01", 0, NULL);
    answers[3].dimension = "value_narratives";
    refused(&T.admin, &in, VOS_EINVALID,
            "answer 4: 'value_narratives' is not a dimension of the blueprint (the keys are "
            "prioritization, process_maturity,");
    in = input("2026-01-01", 0, NULL);
    answers[5].dimension = "targeting";
    refused(&T.admin, &in, VOS_EINVALID, "answer 7: dimension 'targeting' is answered twice");
    in = input("2026-01-01", 0, NULL);
    answers[12].stage = 6;
    refused(&T.admin, &in, VOS_EINVALID,
            "answer 13: dimension 'value_technology' has stage 6: a stage is 1 (Nascent) to 5 "
            "(Leading Edge)");
    in = input("2026-01-01", 0, NULL);
    answers[0].stage = 0;
    refused(&T.admin, &in, VOS_EINVALID, "answer 1: dimension 'prioritization' has stage 0");
    in = input("2026-01-01", 0, NULL);
    in.n_answers = 13;
    refused(&T.admin, &in, VOS_EINVALID,
            "2 dimensions are not answered: value_discovery, content_integration");
    in.n_answers = 0;
    refused(&T.admin, &in, VOS_EINVALID, "15 dimensions are not answered: prioritization,");
    in = input("2026-02-30", 0, NULL);
    refused(&T.admin, &in, VOS_EINVALID, "taken_at '2026-02-30' is not a date");
    in = input("2999-01-01", 0, NULL);
    refused(&T.admin, &in, VOS_EINVALID, "taken_at 2999-01-01 is in the future");
    in = input("2026-01-01", 6, NULL);
    refused(&T.admin, &in, VOS_EINVALID, "target_stage 6 is not a stage 1 to 5");
    in = input("2026-01-01", -1, NULL);
    refused(&T.admin, &in, VOS_EINVALID, "target_stage -1");
    in = input("2026-01-01", 0, NULL);
    vos_actor seller = actor("sam@vendor.example", VOS_ROLE_SELLER, 0);
    refused(&seller, &in, VOS_EFORBIDDEN, "seller) may not take maturity assessments");
    FAILS(vos_app_assessment_take(T.app, &T.admin, NULL, NULL), VOS_EINVALID, "no assessment");
    apptest_verify(&T);
}
END_TEST

/* ---- reading ---- */

START_TEST(latest_and_history_follow_taken_at)
{
    vos_assessment *a = NULL;
    FAILS(vos_app_assessment_get(T.app, &T.admin, 0, &a), VOS_ENOTFOUND,
          "no assessment has been taken yet");
    int later[N_DIMS];
    for (int i = 0; i < N_DIMS; i++)
        later[i] = STAGES[i] < 5 ? STAGES[i] + 1 : 5;
    vos_assessment_in in = input("2026-01-15", 4, later);
    OK(vos_app_assessment_take(T.app, &T.admin, &in, NULL)); /* id 1, the newer */
    in = input("2025-07-01", 3, NULL);
    OK(vos_app_assessment_take(T.app, &T.admin, &in, NULL)); /* id 2, taken earlier */
    in = input("2025-07-01", 3, NULL);
    OK(vos_app_assessment_take(T.app, &T.admin, &in, NULL)); /* id 3, same day as 2 */

    OK(vos_app_assessment_get(T.app, &T.admin, 0, &a));
    ck_assert_int_eq(a->row->id, 1); /* latest by taken_at, not by id */
    ck_assert_double_eq(a->scores.overall.median, 3);
    vos_assessment_free(a);
    OK(vos_app_assessment_get(T.app, &T.admin, 2, &a));
    ck_assert_str_eq(a->row->taken_at, "2025-07-01");
    vos_assessment_free(a);
    FAILS(vos_app_assessment_get(T.app, &T.admin, 9, &a), VOS_ENOTFOUND,
          "assessment 9 does not exist");

    vos_assessment *h = NULL;
    size_t n = 0;
    vos_actor seller = actor("sam@vendor.example", VOS_ROLE_SELLER, 0);
    OK(vos_app_assessment_history(T.app, &seller, &h, &n));
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(h[0].row->id, 2);
    ck_assert_int_eq(h[1].row->id, 3);
    ck_assert_int_eq(h[2].row->id, 1);
    ck_assert_double_eq(h[0].scores.overall.median, 2);
    ck_assert_double_eq(h[2].scores.overall.median, 3);
    vos_assessments_free(h, n);

    vos_store_query q = {.limit = 2, .descending = true};
    OK(vos_app_assessment_list(T.app, &T.admin, &q, &h, &n));
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(h[0].row->id, 3);
    ck_assert_int_eq(h[1].row->id, 2);
    vos_assessments_free(h, n);

    vos_actor partner = actor("pat@partner.example", VOS_ROLE_PARTNER, 0);
    FAILS(vos_app_assessment_history(T.app, &partner, &h, &n), VOS_EFORBIDDEN,
          "may not read maturity assessments");
}
END_TEST

START_TEST(roadmap_uses_target_start_and_owner)
{
    add_user("owner@vendor.example", VOS_ROLE_VALUE_ENGINEER, true);
    vos_assessment_in in = input("2026-01-15", 4, NULL);
    OK(vos_app_assessment_take(T.app, &T.admin, &in, NULL));
    vos_roadmap r;
    vos_assessment *a = NULL;
    OK(vos_app_assessment_roadmap(T.app, &T.admin, 0, 0, "2026-11-30", "owner@vendor.example", &a,
                                  &r));
    ck_assert_int_eq(r.target, 4); /* the assessment's target */
    ck_assert_uint_eq(r.n_items, 12);
    ck_assert_str_eq(a->blueprint->dimensions[r.items[0].dimension].key,
                     "organizational_capability");
    ck_assert_uint_eq(r.n_phases, 3);
    ck_assert_str_eq(r.phases[0].due, "2027-02-28");
    ck_assert_uint_eq(r.n_actions, 30);
    vos_assessment_free(a);

    OK(vos_app_assessment_roadmap(T.app, &T.admin, 1, 2, "2026-01-01", NULL, NULL, &r));
    ck_assert_int_eq(r.target, 2);
    ck_assert_uint_eq(r.n_items, 3);
    ck_assert_str_eq(r.phases[0].due, "2026-04-01");
    OK(vos_app_assessment_roadmap(T.app, &T.admin, 1, 0, NULL, NULL, NULL, &r));
    char now[VOS_DATE_SIZE];
    today(now);
    ck_assert_str_eq(r.start, now);

    FAILS(
        vos_app_assessment_roadmap(T.app, &T.admin, 1, 0, NULL, "nobody@vendor.example", NULL, &r),
        VOS_ENOTFOUND, "no user has the email 'nobody@vendor.example'");
    FAILS(vos_app_assessment_roadmap(T.app, &T.admin, 1, 7, NULL, NULL, NULL, &r), VOS_EINVALID,
          "target stage 7");
    FAILS(vos_app_assessment_roadmap(T.app, &T.admin, 1, 0, "2026-13-01", NULL, NULL, &r),
          VOS_EINVALID, "not a date");
    FAILS(vos_app_assessment_roadmap(T.app, &T.admin, 5, 0, NULL, NULL, NULL, &r), VOS_ENOTFOUND,
          "assessment 5");
}
END_TEST

/* ---- indicators ----
 * Users: Sam (seller, owns Acme's case), Cas (csm, owns none), Ina (seller, inactive).
 * Accounts: Acme (a case committed on mttr and measured, then realizing and expanded: 4
 * lifecycle stages), Globex (a committed case, no measurement: 2), Initech (a hypothesis: 1),
 * Umbrella (no case).  Models: service-desk-automation, whose latest approved version 1.3.0
 * has 11 inputs of which 10 cite evidence (1.2.0 has 11 of 11), and a draft-only model. */
static void commit_mttr(const vos_actor *who, int64_t case_id)
{
    vos_kpi_commitment k = {.kpi_key = "mttr",
                            .baseline_value = 8,
                            .baseline_date = "2026-01-01",
                            .target_value = 5,
                            .target_date = "2026-12-31"};
    OK(vos_app_case_commit(T.app, who, case_id, &k, 1, NULL));
}

START_TEST(indicators_count_the_organisation_data)
{
    vos_indicator ind[VOS_INDICATOR_COUNT];
    vos_maturity_counts c;
    OK(vos_app_maturity_indicators(T.app, &T.admin, ind, &c));
    ck_assert_int_eq(c.accounts, 0);
    ck_assert(isnan(ind[VOS_INDICATOR_CASE_COVERAGE].value));

    char *text = apptest_sda("1.2.0");
    apptest_import_approved(&T, text, "1.2.0");
    free(text);
    text = apptest_sda("1.3.0");
    char *less = apptest_replace(text,
                                 "    evidence: \"Customer ITSM export, trailing 12 months "
                                 "(illustrative)\"\n",
                                 "");
    apptest_import_approved(&T, less, "1.3.0");
    free(less);
    char *other = apptest_replace(text, "model: service-desk-automation", "model: other-desk");
    apptest_import(&T, other);
    free(other);
    free(text);

    int64_t sam = add_user("sam@vendor.example", VOS_ROLE_SELLER, true);
    add_user("cas@vendor.example", VOS_ROLE_CSM, true);
    add_user("ina@vendor.example", VOS_ROLE_SELLER, false);
    vos_actor seller = actor("sam@vendor.example", VOS_ROLE_SELLER, sam);
    int64_t acme = apptest_account(&T, "Acme", 0);
    apptest_account(&T, "Globex", 0);
    apptest_account(&T, "Initech", 0);
    apptest_account(&T, "Umbrella", 0);

    vos_case_row *cs = NULL;
    OK(vos_app_case_create(T.app, &seller, "Acme", "Q1", SDA_KEY, NULL, &cs));
    int64_t q1 = cs->id;
    vos_case_row_free(cs);
    commit_mttr(&seller, q1);
    vos_measurement_row m = {.account_id = acme,
                             .kpi_key = "mttr",
                             .at = "2026-02-01T00:00:00.000Z",
                             .value = 7.5,
                             .source = "itsm"};
    OK(vos_app_measurement_add(T.app, &T.admin, "feb", &m, 1, NULL, NULL));
    OK(vos_app_case_transition(T.app, &seller, q1, VOS_STAGE_REALIZING, &cs));
    vos_case_row_free(cs);
    OK(vos_app_case_transition(T.app, &seller, q1, VOS_STAGE_EXPANDED, &cs));
    vos_case_row_free(cs);
    commit_mttr(&T.admin, apptest_case(&T, "Globex", "G1", NULL));
    apptest_case(&T, "Initech", "I1", NULL);

    OK(vos_app_maturity_indicators(T.app, &seller, ind, &c));
    ck_assert_int_eq(c.accounts, 4);
    ck_assert_int_eq(c.accounts_with_case, 3);
    ck_assert_int_eq(c.lifecycle_stages, 4 + 2 + 1);
    ck_assert_int_eq(c.committed_cases, 2);
    ck_assert_int_eq(c.measured_cases, 1);
    ck_assert_int_eq(c.models, 2);
    ck_assert_int_eq(c.models_approved, 1);
    ck_assert_int_eq(c.inputs, 11);
    ck_assert_int_eq(c.inputs_with_evidence, 10);
    ck_assert_int_eq(c.front_line, 2);
    ck_assert_int_eq(c.front_line_owners, 1);
    ck_assert_double_eq(ind[VOS_INDICATOR_CASE_COVERAGE].value, 0.75);
    ck_assert_double_eq_tol(ind[VOS_INDICATOR_LIFECYCLE].value, 7.0 / 12.0, 1e-15);
    ck_assert_double_eq(ind[VOS_INDICATOR_CONTINUOUS_PROOF].value, 0.5);
    ck_assert_double_eq_tol(ind[VOS_INDICATOR_INPUT_EVIDENCE].value, 10.0 / 11.0, 1e-15);
    ck_assert_double_eq(ind[VOS_INDICATOR_GOVERNANCE].value, 0.5);
    ck_assert_double_eq(ind[VOS_INDICATOR_FRONT_LINE].value, 0.5);

    vos_actor cust = {.name = "k", .user_id = 9, .role = VOS_ROLE_CUSTOMER, .account_id = acme};
    FAILS(vos_app_maturity_indicators(T.app, &cust, ind, NULL), VOS_EFORBIDDEN,
          "may not read maturity assessments");
}
END_TEST

Suite *vos_test_app_assess_suite(void)
{
    Suite *s = suite_create("app_assess");
    TCase *tc = tcase_create("assessments");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, builtin_blueprint_is_the_file);
    tcase_add_test(tc, take_stores_audits_and_scores);
    tcase_add_test(tc, bad_answers_are_named_and_change_nothing);
    tcase_add_test(tc, latest_and_history_follow_taken_at);
    tcase_add_test(tc, roadmap_uses_target_start_and_owner);
    tcase_add_test(tc, indicators_count_the_organisation_data);
    suite_add_tcase(s, tc);
    return s;
}
