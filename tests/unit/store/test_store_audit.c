/* The audit log through the store interface (any backend): the hash chain, recomputed here
 * independently from the format of docs/internals/store.md, and verification finding writes
 * that bypassed the log.  Tampering with the database file itself is in test_store_sqlite.c. */
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

static void verify_ok(vos_store *st, int64_t records)
{
    vos_audit_report rep;
    OK(vos_store_audit_verify(st, &rep));
    ck_assert_msg(rep.problem == VOS_AUDIT_OK, "verify: %s", rep.message);
    ck_assert_int_eq(rep.records, records);
}

/* create, update, delete of one account, each audited like the app layer does it */
static int64_t three_writes(vos_store *st)
{
    vos_account_row a = {.name = "Acme", .size = VOS_ACCOUNT_SIZE_SMB};
    int64_t seq = 0;
    OK(vos_store_begin(st));
    OK(vos_store_account_create(st, &a));
    OK(vos_store_audit_append(st, &seq, "ana@vendor.example", "account.create", VOS_ENTITY_ACCOUNT,
                              a.id, NULL));
    ck_assert_int_eq(seq, 1);
    OK(vos_store_commit(st));

    char *before = NULL;
    OK(vos_store_begin(st));
    OK(vos_store_snapshot(st, &before, VOS_ENTITY_ACCOUNT, a.id));
    a.industry = "Retail";
    OK(vos_store_account_update(st, &a));
    OK(vos_store_audit_append(st, &seq, "ana@vendor.example", "account.update", VOS_ENTITY_ACCOUNT,
                              a.id, before));
    OK(vos_store_commit(st));
    free(before);

    OK(vos_store_begin(st));
    OK(vos_store_snapshot(st, &before, VOS_ENTITY_ACCOUNT, a.id));
    OK(vos_store_account_delete(st, a.id, a.revision));
    OK(vos_store_audit_append(st, &seq, "system", "account.delete", VOS_ENTITY_ACCOUNT, a.id,
                              before));
    OK(vos_store_commit(st));
    free(before);
    ck_assert_int_eq(seq, 3);
    return a.id;
}

START_TEST(records_form_a_chain)
{
    int64_t id = three_writes(T.st);
    vos_audit_row *r = NULL;
    size_t n = 0;
    OK(vos_store_audit_list(T.st, &r, &n, NULL));
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(r[0].prev_hash,
                     "0000000000000000000000000000000000000000000000000000000000000000");
    for (size_t i = 0; i < n; i++) {
        char want[VOS_SHA256_HEX_SIZE];
        storetest_audit_hash(&r[i], want);
        ck_assert_int_eq(r[i].seq, (int64_t)i + 1);
        ck_assert_str_eq(r[i].hash, want);
        ck_assert_str_eq(r[i].entity_type, "account");
        ck_assert_int_eq(r[i].entity_id, id);
        if (i) ck_assert_str_eq(r[i].prev_hash, r[i - 1].hash);
    }
    ck_assert_str_eq(r[0].operation, "account.create");
    ck_assert_ptr_null(r[0].before_json);
    ck_assert_ptr_nonnull(strstr(r[0].after_json, "\"name\":\"Acme\""));
    ck_assert_str_eq(r[1].before_json, r[0].after_json);
    ck_assert_ptr_nonnull(strstr(r[1].after_json, "\"industry\":\"Retail\",\"size\":\"smb\""));
    ck_assert_ptr_nonnull(strstr(r[1].after_json, "\"revision\":2"));
    ck_assert_str_eq(r[2].before_json, r[1].after_json);
    ck_assert_ptr_null(r[2].after_json);
    ck_assert_str_eq(r[2].actor, "system");

    vos_audit_report rep;
    OK(vos_store_audit_verify(T.st, &rep));
    ck_assert_int_eq(rep.problem, VOS_AUDIT_OK);
    ck_assert_int_eq(rep.records, 3);
    ck_assert_str_eq(rep.head_hash, r[2].hash);
    ck_assert_str_eq(rep.message, "");

    vos_store_query q = {.after_id = 1, .limit = 1, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "operation", .s = "account.delete"};
    vos_audit_row *d = NULL;
    OK(vos_store_audit_list(T.st, &d, &n, &q));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(d[0].seq, 3);
    vos_audit_rows_free(d, n);
    vos_audit_rows_free(r, 3);
}
END_TEST

START_TEST(empty_log_verifies)
{
    vos_audit_report rep;
    OK(vos_store_audit_verify(T.st, &rep));
    ck_assert_int_eq(rep.problem, VOS_AUDIT_OK);
    ck_assert_int_eq(rep.records, 0);
    ck_assert_str_eq(rep.head_hash, "");
}
END_TEST

START_TEST(append_arguments_are_checked)
{
    int64_t id = storetest_account(T.st, "Acme", 0);
    OK(vos_store_begin(T.st));
    FAILS(vos_store_audit_append(T.st, NULL, "", "account.create", VOS_ENTITY_ACCOUNT, id, NULL),
          VOS_EINVALID, "audit record actor is required");
    FAILS(vos_store_audit_append(T.st, NULL, "ana", "Account Create", VOS_ENTITY_ACCOUNT, id, NULL),
          VOS_EINVALID, "audit record operation 'Account Create' may hold only a-z, 0-9, _ and .");
    FAILS(vos_store_audit_append(T.st, NULL, "ana", "account.create", (vos_entity)99, id, NULL),
          VOS_EINVALID, "audit record entity 99 does not exist");
    FAILS(vos_store_audit_append(T.st, NULL, "ana", "account.create", VOS_ENTITY_ACCOUNT, 0, NULL),
          VOS_EINVALID, "entity_id must be an id");
    FAILS(vos_store_audit_append(T.st, NULL, "ana", "account.update", VOS_ENTITY_ACCOUNT, id,
                                 "{not json"),
          VOS_EINVALID, "audit record before_json is not valid JSON");
    OK(vos_store_commit(T.st));
    vos_audit_row *r = NULL;
    size_t n = 1;
    OK(vos_store_audit_list(T.st, &r, &n, NULL));
    ck_assert_uint_eq(n, 0);
    vos_audit_rows_free(r, n);
}
END_TEST

START_TEST(verify_finds_a_write_without_audit)
{
    storetest_account(T.st, "Audited", 1);
    verify_ok(T.st, 1);
    int64_t sneaky = storetest_account(T.st, "Unaudited", 0);
    vos_audit_report rep;
    OK(vos_store_audit_verify(T.st, &rep));
    ck_assert_int_eq(rep.problem, VOS_AUDIT_STATE);
    ck_assert_int_eq(rep.seq, 0);
    ck_assert_str_eq(rep.entity_type, "account");
    ck_assert_int_eq(rep.entity_id, sneaky);
    ck_assert_str_eq(rep.message, "account 2 has no audit record: it was written outside VOS");
}
END_TEST

START_TEST(verify_finds_an_update_without_audit)
{
    int64_t id = storetest_account(T.st, "Acme", 1);
    vos_account_row *a = NULL;
    OK(vos_store_account_get(T.st, &a, id));
    a->size = VOS_ACCOUNT_SIZE_ENTERPRISE;
    OK(vos_store_begin(T.st));
    OK(vos_store_account_update(T.st, a));
    OK(vos_store_commit(T.st));
    vos_audit_report rep;
    OK(vos_store_audit_verify(T.st, &rep));
    ck_assert_int_eq(rep.problem, VOS_AUDIT_STATE);
    ck_assert_int_eq(rep.seq, 1);
    ck_assert_str_eq(rep.message,
                     "account 1 differs from its last audit record 1: it was changed outside VOS");
    /* auditing the change afterwards (as a repair would) makes the store consistent again */
    char *before = NULL; /* unknown any more: recorded as none */
    OK(vos_store_begin(T.st));
    OK(vos_store_audit_append(T.st, NULL, "admin", "account.repair", VOS_ENTITY_ACCOUNT, id,
                              before));
    OK(vos_store_commit(T.st));
    verify_ok(T.st, 2);
    vos_account_row_free(a);
}
END_TEST

START_TEST(verify_finds_a_delete_without_audit)
{
    int64_t keep = storetest_account(T.st, "Keep", 1);
    int64_t id = storetest_account(T.st, "Gone", 1);
    OK(vos_store_begin(T.st));
    OK(vos_store_account_delete(T.st, id, 1));
    OK(vos_store_commit(T.st));
    vos_audit_report rep;
    OK(vos_store_audit_verify(T.st, &rep));
    ck_assert_int_eq(rep.problem, VOS_AUDIT_STATE);
    ck_assert_int_eq(rep.seq, 2);
    ck_assert_int_eq(rep.entity_id, id);
    ck_assert_str_eq(rep.message, "account 2 was deleted outside VOS (its last audit record is 2)");
    (void)keep;
}
END_TEST

START_TEST(audited_deletes_verify)
{
    three_writes(T.st);
    storetest_account(T.st, "Next", 1);
    verify_ok(T.st, 4);
}
END_TEST

START_TEST(ingestion_snapshot_covers_its_points)
{
    int64_t acct = storetest_account(T.st, "Acme", 1);
    vos_ingestion_row ing = {.label = "june.csv"};
    OK(vos_store_begin(T.st));
    OK(vos_store_ingestion_create(T.st, &ing));
    const char *at[3] = {"2026-06-01T00:00:00.000Z", "2026-06-02T00:00:00.000Z",
                         "2026-06-03T00:00:00.000Z"};
    for (int i = 0; i < 3; i++) {
        vos_measurement_row m = {.ingestion_id = ing.id,
                                 .account_id = acct,
                                 .kpi_key = "mttr",
                                 .at = (char *)at[i],
                                 .value = 5 + i,
                                 .source = "servicenow"};
        vos_put_outcome out;
        OK(vos_store_measurement_put(T.st, &m, &out, NULL));
    }
    OK(vos_store_audit_append(T.st, NULL, "ingest", "measurement.ingest", VOS_ENTITY_INGESTION,
                              ing.id, NULL));
    OK(vos_store_commit(T.st));
    char *json = NULL;
    OK(vos_store_snapshot(T.st, &json, VOS_ENTITY_INGESTION, ing.id));
    ck_assert_ptr_nonnull(strstr(json, "\"label\":\"june.csv\",\"created_by\":null,\"points\":3,"
                                       "\"points_sha256\":\""));
    free(json);
    verify_ok(T.st, 2);

    /* a later ingestion with its own points leaves the first one's snapshot as it was */
    vos_ingestion_row ing2 = {.label = "july.csv"};
    OK(vos_store_begin(T.st));
    OK(vos_store_ingestion_create(T.st, &ing2));
    vos_measurement_row m = {.ingestion_id = ing2.id,
                             .account_id = acct,
                             .kpi_key = "mttr",
                             .at = "2026-07-01T00:00:00.000Z",
                             .value = 4,
                             .source = "servicenow"};
    vos_put_outcome out;
    OK(vos_store_measurement_put(T.st, &m, &out, NULL));
    OK(vos_store_audit_append(T.st, NULL, "ingest", "measurement.ingest", VOS_ENTITY_INGESTION,
                              ing2.id, NULL));
    OK(vos_store_commit(T.st));
    verify_ok(T.st, 3);
}
END_TEST

START_TEST(verify_inside_a_transaction_sees_it)
{
    storetest_account(T.st, "Acme", 1);
    vos_account_row b = {.name = "Beta"};
    OK(vos_store_begin(T.st));
    OK(vos_store_account_create(T.st, &b));
    vos_audit_report rep;
    OK(vos_store_audit_verify(T.st, &rep));
    ck_assert_int_eq(rep.problem, VOS_AUDIT_STATE); /* Beta is not audited yet */
    OK(vos_store_audit_append(T.st, NULL, "ana", "account.create", VOS_ENTITY_ACCOUNT, b.id, NULL));
    verify_ok(T.st, 2);
    OK(vos_store_commit(T.st));
    verify_ok(T.st, 2);
}
END_TEST

/* More records than the verifier's first table holds, most of them about the same few
 * entities, so that it compacts while walking; then one unaudited change among them. */
START_TEST(verify_handles_many_records)
{
    enum { ACCOUNTS = 3, UPDATES = 700 };
    vos_account_row a[ACCOUNTS] = {{.name = "A"}, {.name = "B"}, {.name = "C"}};
    OK(vos_store_begin(T.st));
    for (int k = 0; k < ACCOUNTS; k++) {
        OK(vos_store_account_create(T.st, &a[k]));
        OK(vos_store_audit_append(T.st, NULL, "bulk", "account.create", VOS_ENTITY_ACCOUNT, a[k].id,
                                  NULL));
    }
    for (int i = 0; i < UPDATES; i++)
        for (int k = 0; k < ACCOUNTS; k++) {
            a[k].size = (vos_account_size)(i % 4);
            OK(vos_store_account_update(T.st, &a[k]));
            OK(vos_store_audit_append(T.st, NULL, "bulk", "account.update", VOS_ENTITY_ACCOUNT,
                                      a[k].id, NULL));
        }
    OK(vos_store_commit(T.st));
    verify_ok(T.st, ACCOUNTS * (UPDATES + 1));
    a[1].industry = "Mining";
    OK(vos_store_begin(T.st));
    OK(vos_store_account_update(T.st, &a[1]));
    OK(vos_store_commit(T.st));
    vos_audit_report rep;
    OK(vos_store_audit_verify(T.st, &rep));
    ck_assert_int_eq(rep.problem, VOS_AUDIT_STATE);
    ck_assert_int_eq(rep.entity_id, a[1].id);
    ck_assert_int_eq(rep.seq, ACCOUNTS * (UPDATES + 1) - 1); /* B's last audited update */
}
END_TEST

Suite *vos_test_store_audit_suite(void)
{
    Suite *s = suite_create("store_audit");
    TCase *tc = tcase_create("audit");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, records_form_a_chain);
    tcase_add_test(tc, empty_log_verifies);
    tcase_add_test(tc, append_arguments_are_checked);
    tcase_add_test(tc, verify_finds_a_write_without_audit);
    tcase_add_test(tc, verify_finds_an_update_without_audit);
    tcase_add_test(tc, verify_finds_a_delete_without_audit);
    tcase_add_test(tc, audited_deletes_verify);
    tcase_add_test(tc, ingestion_snapshot_covers_its_points);
    tcase_add_test(tc, verify_inside_a_transaction_sees_it);
    tcase_add_test(tc, verify_handles_many_records);
    suite_add_tcase(s, tc);
    return s;
}
