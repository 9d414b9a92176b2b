/* The points of an ingestion: the digest the store computes while inserting them (and the
 * bulk mode of the insert) must equal, byte for byte, the one computed from the stored rows
 * as docs/internals/store.md defines it (vos_store_snapshot outside the transaction, and
 * vos_store_audit_verify).  Values cover the shortest-text rules of vos_num_shortest: decimals
 * of 1 to 15 digits at every scale, doubles from random bits, and the edges (1e-4, 1e15,
 * -0, subnormals, 2^53); sources need JSON escaping. */
#include "store_fixture.h"

#include "vos/error.h"

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
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

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* The i-th value of a varied sequence. */
static double value_of(uint64_t *rng, int i)
{
    static const double edges[] = {0.0,
                                   -0.0,
                                   1e-4,
                                   9.99e-5,
                                   0.00012345,
                                   1e15,
                                   999999999999999.0,
                                   99999999999999.9,
                                   0.1 + 0.2,
                                   1.0 / 3.0,
                                   5e-324,
                                   DBL_MAX,
                                   -DBL_MAX,
                                   9007199254740992.0,
                                   123456.789,
                                   -0.5,
                                   1e21,
                                   1e-7,
                                   57600,
                                   2.675};
    int n_edges = (int)(sizeof edges / sizeof *edges);
    if (i < n_edges) return edges[i];
    uint64_t r = next(rng);
    if (i % 3 == 0) { /* any finite double */
        double d;
        do {
            uint64_t bits = next(rng);
            memcpy(&d, &bits, sizeof d);
        } while (!isfinite(d));
        return d;
    }
    int digits = 1 + (int)(r % 15), scale = (int)(r / 15 % 24);
    double m = (double)(next(rng) % (uint64_t)pow(10, digits));
    double v = m / pow(10, scale);
    return r % 2 ? -v : v;
}

/* A distinct stamp for every i below 12 * 28 * 24 * 60 * 60. */
static void stamp_of(char out[VOS_STAMP_SIZE], int i)
{
    char buf[64];
    snprintf(buf, sizeof buf, "2026-%02d-%02dT%02d:%02d:%02d.%03dZ", 1 + i / 2419200 % 12,
             1 + i / 86400 % 28, i / 3600 % 24, i / 60 % 60, i % 60, i % 1000);
    memcpy(out, buf, VOS_STAMP_SIZE - 1);
    out[VOS_STAMP_SIZE - 1] = '\0';
}

/* Puts n points of an ingestion in one transaction; checks that the snapshot taken inside it
 * (the digest) equals the one taken after the commit (the stored rows). */
static void ingest_and_compare(int64_t account, int n, int first)
{
    static const char *const sources[] = {"servicenow", "quote \" and \\ back", "unicode ü 漢字",
                                          "a/b <c> & 'd'"};
    uint64_t rng = 0x9E3779B97F4A7C15u ^ (uint64_t)first;
    OK(vos_store_begin(T.st));
    vos_ingestion_row ing = {.label = "points.csv"};
    OK(vos_store_ingestion_create(T.st, &ing));
    int64_t last_id = 0;
    for (int i = 0; i < n; i++) {
        char at[VOS_STAMP_SIZE];
        stamp_of(at, first + i);
        vos_measurement_row m = {.ingestion_id = ing.id,
                                 .account_id = account,
                                 .kpi_key = i % 2 ? "mttr" : "csat",
                                 .at = at,
                                 .value = value_of(&rng, i),
                                 .source = (char *)sources[i % 4]};
        vos_put_outcome out;
        OK(vos_store_measurement_put(T.st, &m, &out, NULL));
        ck_assert_int_eq(out, VOS_PUT_INSERTED);
        ck_assert_int_gt(m.id, last_id);
        last_id = m.id;
    }
    char *inside = NULL, *after = NULL;
    OK(vos_store_snapshot(T.st, &inside, VOS_ENTITY_INGESTION, ing.id));
    OK(vos_store_audit_append(T.st, NULL, "test", "measurement.ingest", VOS_ENTITY_INGESTION,
                              ing.id, NULL));
    OK(vos_store_commit(T.st));
    OK(vos_store_snapshot(T.st, &after, VOS_ENTITY_INGESTION, ing.id));
    ck_assert_str_eq(inside, after);
    char want[32];
    snprintf(want, sizeof want, "\"points\":%d,", n);
    ck_assert_ptr_nonnull(strstr(after, want));
    free(inside);
    free(after);
}

START_TEST(digest_while_inserting_equals_the_stored_points)
{
    int64_t acct = storetest_account(T.st, "Acme", 1);
    ingest_and_compare(acct, 20, 0);    /* below the bulk threshold */
    ingest_and_compare(acct, 4000, 20); /* through the bulk mode */
    ingest_and_compare(acct, 1, 5000);
    ingest_and_compare(acct, 9001, 6000);  /* two chunks of the hashing thread and a part */
    ingest_and_compare(acct, 8192, 20000); /* exactly two chunks */
    vos_audit_report rep;
    OK(vos_store_audit_verify(T.st, &rep));
    ck_assert_msg(rep.problem == VOS_AUDIT_OK, "%s", rep.message);
}
END_TEST

/* Duplicates and conflicts are told apart in the bulk mode too, and the transaction goes on
 * with other writes (which leave the bulk mode) and more points. */
START_TEST(bulk_mode_outcomes_and_other_writes)
{
    int64_t acct = storetest_account(T.st, "Acme", 1);
    OK(vos_store_begin(T.st));
    vos_ingestion_row ing = {.label = "bulk.csv"};
    OK(vos_store_ingestion_create(T.st, &ing));
    int n = VOS_STORE_BULK_PUTS + 500;
    char at[VOS_STAMP_SIZE];
    vos_put_outcome out;
    for (int i = 0; i < n; i++) {
        stamp_of(at, i);
        vos_measurement_row m = {.ingestion_id = ing.id,
                                 .account_id = acct,
                                 .kpi_key = "mttr",
                                 .at = at,
                                 .value = i * 0.25,
                                 .source = "erp"};
        OK(vos_store_measurement_put(T.st, &m, &out, NULL));
        ck_assert_int_eq(out, VOS_PUT_INSERTED);
    }
    stamp_of(at, 7);
    double existing = 0;
    vos_measurement_row again = {.ingestion_id = ing.id,
                                 .account_id = acct,
                                 .kpi_key = "mttr",
                                 .at = at,
                                 .value = 1.75,
                                 .source = "erp"};
    OK(vos_store_measurement_put(T.st, &again, &out, &existing));
    ck_assert_int_eq(out, VOS_PUT_DUPLICATE);
    ck_assert_double_eq(existing, 1.75);
    again.value = 2;
    OK(vos_store_measurement_put(T.st, &again, &out, &existing));
    ck_assert_int_eq(out, VOS_PUT_CONFLICT);
    ck_assert_double_eq(existing, 1.75);
    again.account_id = 999;
    FAILS(vos_store_measurement_put(T.st, &again, &out, NULL), VOS_EINVALID,
          "measurement account_id 999 does not exist (no such account)");
    /* another write ends the bulk mode; its own constraints hold */
    vos_account_row dup = {.name = "ACME"};
    FAILS(vos_store_account_create(T.st, &dup), VOS_ECONFLICT, "already exists");
    vos_account_row other = {.name = "Globex"};
    OK(vos_store_account_create(T.st, &other));
    stamp_of(at, n);
    vos_measurement_row more = {.ingestion_id = ing.id,
                                .account_id = other.id,
                                .kpi_key = "mttr",
                                .at = at,
                                .value = 3,
                                .source = "erp"};
    OK(vos_store_measurement_put(T.st, &more, &out, NULL));
    ck_assert_int_eq(out, VOS_PUT_INSERTED);
    char *inside = NULL, *after = NULL;
    OK(vos_store_snapshot(T.st, &inside, VOS_ENTITY_INGESTION, ing.id));
    OK(vos_store_commit(T.st));
    OK(vos_store_snapshot(T.st, &after, VOS_ENTITY_INGESTION, ing.id));
    ck_assert_str_eq(inside, after);
    free(inside);
    free(after);
    /* a rollback in bulk mode leaves nothing */
    OK(vos_store_begin(T.st));
    vos_ingestion_row gone = {.label = "gone.csv"};
    OK(vos_store_ingestion_create(T.st, &gone));
    for (int i = 0; i < n; i++) {
        stamp_of(at, 100000 + i);
        vos_measurement_row m = {.ingestion_id = gone.id,
                                 .account_id = acct,
                                 .kpi_key = "mttr",
                                 .at = at,
                                 .value = i,
                                 .source = "erp"};
        OK(vos_store_measurement_put(T.st, &m, &out, NULL));
    }
    OK(vos_store_rollback(T.st));
    vos_measurement_row *rows = NULL;
    size_t count = 0;
    vos_store_query q = {.limit = 1, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "ingestion_id", .i = gone.id};
    OK(vos_store_measurement_list(T.st, &rows, &count, &q));
    ck_assert_uint_eq(count, 0);
    vos_measurement_rows_free(rows, count);
}
END_TEST

/* The points of two ingestions in one transaction: each snapshot covers only its own. */
START_TEST(two_ingestions_in_one_transaction)
{
    int64_t acct = storetest_account(T.st, "Acme", 1);
    OK(vos_store_begin(T.st));
    vos_ingestion_row a = {.label = "a"}, b = {.label = "b"};
    OK(vos_store_ingestion_create(T.st, &a));
    OK(vos_store_ingestion_create(T.st, &b));
    vos_put_outcome out;
    for (int i = 0; i < 10; i++) {
        char at[VOS_STAMP_SIZE];
        stamp_of(at, i);
        vos_measurement_row m = {.ingestion_id = i % 2 ? a.id : b.id,
                                 .account_id = acct,
                                 .kpi_key = "mttr",
                                 .at = at,
                                 .value = i,
                                 .source = "erp"};
        OK(vos_store_measurement_put(T.st, &m, &out, NULL));
    }
    char *ia = NULL, *ib = NULL, *aa = NULL, *ab = NULL;
    OK(vos_store_snapshot(T.st, &ia, VOS_ENTITY_INGESTION, a.id));
    OK(vos_store_snapshot(T.st, &ib, VOS_ENTITY_INGESTION, b.id));
    OK(vos_store_commit(T.st));
    OK(vos_store_snapshot(T.st, &aa, VOS_ENTITY_INGESTION, a.id));
    OK(vos_store_snapshot(T.st, &ab, VOS_ENTITY_INGESTION, b.id));
    ck_assert_str_eq(ia, aa);
    ck_assert_str_eq(ib, ab);
    ck_assert_ptr_nonnull(strstr(aa, "\"points\":5,"));
    free(ia);
    free(ib);
    free(aa);
    free(ab);
}
END_TEST

Suite *vos_test_store_points_suite(void)
{
    Suite *s = suite_create("store_points");
    TCase *tc = tcase_create("points");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, digest_while_inserting_equals_the_stored_points);
    tcase_add_test(tc, bulk_mode_outcomes_and_other_writes);
    tcase_add_test(tc, two_ingestions_in_one_transaction);
    suite_add_tcase(s, tc);
    return s;
}
