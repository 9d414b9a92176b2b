/* The store's maturity assessments: assessments and their answers (audited entities, never
 * changed or deleted), their checks, the uniqueness of an answer per dimension, the canonical
 * snapshot and the audit chain covering them.  Written against include/vos/store.h only, so
 * every backend runs it (VOS_TEST_STORE_URL). */
#include "store_fixture.h"

#include "vos/error.h"
#include "vos/store.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static storetest T;

static void setup(void)
{
    storetest_setup(&T);
}

static void teardown(void)
{
    storetest_teardown(&T);
}

static vos_assessment_row assessment(const char *taken_at, int64_t target)
{
    return (vos_assessment_row){.taken_at = (char *)taken_at,
                                .blueprint = "ecosystems-value-blueprint",
                                .blueprint_version = "1.0.0",
                                .target_stage = target,
                                .notes = "Quarterly review"};
}

/* Creates an assessment and answers (stages[i] for keys[i]), audited when `audit`. */
static int64_t add(const char *taken_at, const char *const *keys, const int *stages, size_t n,
                   int audit)
{
    vos_assessment_row a = assessment(taken_at, 3);
    OK(vos_store_begin(T.st));
    OK(vos_store_assessment_create(T.st, &a));
    if (audit)
        OK(vos_store_audit_append(T.st, NULL, "tester", "assessment.take", VOS_ENTITY_ASSESSMENT,
                                  a.id, NULL));
    for (size_t i = 0; i < n; i++) {
        vos_assessment_answer_row an = {.assessment_id = a.id,
                                        .dimension_key = (char *)keys[i],
                                        .stage = stages[i],
                                        .evidence = i == 0 ? "CRM report" : ""};
        OK(vos_store_assessment_answer_create(T.st, &an));
        if (audit)
            OK(vos_store_audit_append(T.st, NULL, "tester", "assessment.take",
                                      VOS_ENTITY_ASSESSMENT_ANSWER, an.id, NULL));
    }
    OK(vos_store_commit(T.st));
    return a.id;
}

static const char *const KEYS[] = {"prioritization", "targeting", "value_technology"};
static const int STAGES[] = {2, 3, 1};

START_TEST(assessments_create_get_and_list)
{
    int64_t first = add("2025-06-30", KEYS, STAGES, 3, 1);
    int64_t second = add("2026-01-15", KEYS, STAGES, 2, 1);
    ck_assert_int_eq(first, 1);
    ck_assert_int_eq(second, 2);

    vos_assessment_row *a = NULL;
    OK(vos_store_assessment_get(T.st, &a, first));
    ck_assert_str_eq(a->taken_at, "2025-06-30");
    ck_assert_int_eq(a->taken_by, 0);
    ck_assert_str_eq(a->blueprint, "ecosystems-value-blueprint");
    ck_assert_str_eq(a->blueprint_version, "1.0.0");
    ck_assert_int_eq(a->target_stage, 3);
    ck_assert_str_eq(a->notes, "Quarterly review");
    ck_assert_int_eq(strlen(a->created_at), VOS_STAMP_SIZE - 1);
    vos_assessment_row_free(a);

    vos_assessment_answer_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.n_where = 1};
    q.where[0] = (vos_store_filter){.field = "assessment_id", .i = first};
    OK(vos_store_assessment_answer_list(T.st, &rows, &n, &q));
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(rows[0].dimension_key, "prioritization");
    ck_assert_int_eq(rows[0].stage, 2);
    ck_assert_str_eq(rows[0].evidence, "CRM report");
    ck_assert_ptr_null(rows[1].evidence); /* "" is stored as none */
    ck_assert_str_eq(rows[2].dimension_key, "value_technology");
    ck_assert_int_eq(rows[2].stage, 1);
    vos_assessment_answer_rows_free(rows, n);

    vos_assessment_row *list = NULL;
    vos_store_query d = {.descending = true};
    OK(vos_store_assessment_list(T.st, &list, &n, &d));
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(list[0].id, second);
    vos_assessment_rows_free(list, n);

    FAILS(vos_store_assessment_get(T.st, &a, 99), VOS_ENOTFOUND, "assessment 99");
}
END_TEST

START_TEST(assessment_fields_are_checked)
{
    OK(vos_store_begin(T.st));
    vos_assessment_row a = assessment("2026-02-30", 3);
    FAILS(vos_store_assessment_create(T.st, &a), VOS_EINVALID, "taken_at");
    a = assessment("2026-02-01", 6);
    FAILS(vos_store_assessment_create(T.st, &a), VOS_EINVALID, "target_stage");
    a = assessment("2026-02-01", 0);
    FAILS(vos_store_assessment_create(T.st, &a), VOS_EINVALID, "target_stage");
    a = assessment("2026-02-01", 3);
    a.blueprint = "Not An Id";
    FAILS(vos_store_assessment_create(T.st, &a), VOS_EINVALID, "blueprint");
    a = assessment("2026-02-01", 3);
    a.blueprint_version = "one";
    FAILS(vos_store_assessment_create(T.st, &a), VOS_EINVALID, "blueprint_version");
    a = assessment("2026-02-01", 3);
    a.taken_by = 42;
    FAILS(vos_store_assessment_create(T.st, &a), VOS_EINVALID, "taken_by 42 does not exist");
    a = assessment("2026-02-01", 3);
    OK(vos_store_assessment_create(T.st, &a));

    vos_assessment_answer_row an = {
        .assessment_id = a.id, .dimension_key = "targeting", .stage = 0};
    FAILS(vos_store_assessment_answer_create(T.st, &an), VOS_EINVALID, "stage");
    an.stage = 6;
    FAILS(vos_store_assessment_answer_create(T.st, &an), VOS_EINVALID, "stage");
    an.stage = 2;
    an.dimension_key = "Targeting";
    FAILS(vos_store_assessment_answer_create(T.st, &an), VOS_EINVALID, "dimension_key");
    an.dimension_key = "targeting";
    an.assessment_id = 77;
    FAILS(vos_store_assessment_answer_create(T.st, &an), VOS_EINVALID,
          "assessment_id 77 does not exist");
    an.assessment_id = a.id;
    OK(vos_store_assessment_answer_create(T.st, &an));
    an.stage = 3;
    FAILS(vos_store_assessment_answer_create(T.st, &an), VOS_ECONFLICT,
          "is already answered in this assessment");
    OK(vos_store_commit(T.st));

    vos_assessment_answer_row *rows = NULL;
    size_t n = 0;
    OK(vos_store_assessment_answer_list(T.st, &rows, &n, NULL));
    ck_assert_uint_eq(n, 1); /* the failed writes changed nothing */
    ck_assert_int_eq(rows[0].stage, 2);
    vos_assessment_answer_rows_free(rows, n);
}
END_TEST

START_TEST(assessments_snapshot_and_audit)
{
    int64_t id = add("2026-01-15", KEYS, STAGES, 3, 1);
    vos_entity e;
    OK(vos_entity_parse(&e, "assessment_answer"));
    ck_assert_int_eq(e, VOS_ENTITY_ASSESSMENT_ANSWER);
    ck_assert_str_eq(vos_entity_name(VOS_ENTITY_ASSESSMENT), "assessment");

    vos_assessment_row *a = NULL;
    OK(vos_store_assessment_get(T.st, &a, id));
    char *json = NULL, want[1024];
    OK(vos_store_snapshot(T.st, &json, VOS_ENTITY_ASSESSMENT, id));
    snprintf(want, sizeof want,
             "{\"id\":%lld,\"created_at\":\"%s\",\"taken_at\":\"2026-01-15\",\"taken_by\":null,"
             "\"blueprint\":\"ecosystems-value-blueprint\",\"blueprint_version\":\"1.0.0\","
             "\"target_stage\":3,\"notes\":\"Quarterly review\"}",
             (long long)id, a->created_at);
    ck_assert_str_eq(json, want);
    free(json);
    vos_assessment_row_free(a);

    OK(vos_store_snapshot(T.st, &json, VOS_ENTITY_ASSESSMENT_ANSWER, 3));
    ck_assert_ptr_nonnull(strstr(json, "\"assessment_id\":1,\"dimension_key\":\"value_technology\","
                                       "\"stage\":1,\"evidence\":null}"));
    free(json);

    vos_audit_report r;
    OK(vos_store_audit_verify(T.st, &r));
    ck_assert_msg(r.problem == VOS_AUDIT_OK, "%s", r.message);
    ck_assert_int_eq(r.records, 4);

    /* an answer written without its audit record is found */
    add("2026-02-15", KEYS + 2, STAGES + 2, 1, 0);
    OK(vos_store_audit_verify(T.st, &r));
    ck_assert_int_eq(r.problem, VOS_AUDIT_STATE);
    ck_assert_str_eq(r.entity_type, "assessment");
    ck_assert_int_eq(r.entity_id, 2);
}
END_TEST

Suite *vos_test_store_assess_suite(void)
{
    Suite *s = suite_create("store_assess");
    TCase *tc = tcase_create("assessments");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, assessments_create_get_and_list);
    tcase_add_test(tc, assessment_fields_are_checked);
    tcase_add_test(tc, assessments_snapshot_and_audit);
    suite_add_tcase(s, tc);
    return s;
}
