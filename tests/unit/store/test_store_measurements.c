/* vos_store_measurements_put: a batch of points gives, row for row, what the same points put
 * one by one with vos_store_measurement_put give (outcomes, stored values, ids in input
 * order, the ingestion's points digest), also for keys repeated inside the batch and across
 * the backend's chunks, and an error names its row.  Runs on every backend through the
 * fixture (PostgreSQL writes a batch with one statement per chunk). */
#include "store_fixture.h"

#include "vos/error.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIG_BATCH 12000 /* more than two chunks of the PostgreSQL backend (5,000) */

static storetest T;

static void setup(void)
{
    storetest_setup(&T);
}

static void teardown(void)
{
    storetest_teardown(&T);
}

/* Points with their own stamp storage. */
typedef struct batch {
    vos_measurement_row *rows;
    char (*at)[VOS_STAMP_SIZE];
    vos_put_outcome *out;
    double *existing;
    size_t n;
} batch;

static void batch_init(batch *b, size_t n)
{
    b->rows = calloc(n, sizeof *b->rows);
    b->at = calloc(n, sizeof *b->at);
    b->out = calloc(n, sizeof *b->out);
    b->existing = calloc(n, sizeof *b->existing);
    ck_assert(b->rows && b->at && b->out && b->existing);
    b->n = n;
}

static void batch_free(batch *b)
{
    free(b->rows);
    free(b->at);
    free(b->out);
    free(b->existing);
}

/* Row i: hour `hour` of 2026 of KPI kpi, value v. */
static void batch_set(batch *b, size_t i, int64_t ingestion, int64_t account, const char *kpi,
                      int hour, double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, "2026-%02d-%02dT%02d:00:00.000Z", 1 + hour / 672 % 12,
             1 + hour / 24 % 28, hour % 24);
    memcpy(b->at[i], buf, VOS_STAMP_SIZE - 1);
    b->at[i][VOS_STAMP_SIZE - 1] = '\0';
    b->rows[i] = (vos_measurement_row){.ingestion_id = ingestion,
                                       .account_id = account,
                                       .kpi_key = (char *)kpi,
                                       .at = b->at[i],
                                       .value = v,
                                       .source = "erp \"main\" \\ ü"};
}

static int64_t new_ingestion(const char *label)
{
    vos_ingestion_row ing = {.label = (char *)label};
    OK(vos_store_ingestion_create(T.st, &ing));
    return ing.id;
}

static size_t stored_count(int64_t ingestion)
{
    vos_measurement_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "ingestion_id", .i = ingestion};
    OK(vos_store_measurement_list(T.st, &rows, &n, &q));
    vos_measurement_rows_free(rows, n);
    return n;
}

/* Outcomes against stored points and against earlier rows of the same batch. */
START_TEST(outcomes_row_by_row)
{
    int64_t acct = storetest_account(T.st, "Acme", 1);
    OK(vos_store_begin(T.st));
    batch pre;
    batch_init(&pre, 1);
    batch_set(&pre, 0, new_ingestion("old.csv"), acct, "csat", 0, 1.5);
    OK(vos_store_measurements_put(T.st, pre.rows, 1, pre.out, NULL, NULL));
    ck_assert_int_eq(pre.out[0], VOS_PUT_INSERTED);
    int64_t old_id = pre.rows[0].id;
    OK(vos_store_commit(T.st));

    OK(vos_store_begin(T.st));
    int64_t ing = new_ingestion("new.csv");
    batch b;
    batch_init(&b, 8);
    batch_set(&b, 0, ing, acct, "csat", 1, 10);   /* new */
    batch_set(&b, 1, ing, acct, "csat", 0, 1.5);  /* stored already, same value */
    batch_set(&b, 2, ing, acct, "csat", 0, 2.5);  /* stored already, other value */
    batch_set(&b, 3, ing, acct, "mttr", 1, 0.1);  /* new */
    batch_set(&b, 4, ing, acct, "csat", 1, 10);   /* as row 0 */
    batch_set(&b, 5, ing, acct, "mttr", 1, 0.2);  /* row 3's key, other value */
    batch_set(&b, 6, ing, acct, "csat", 2, -0.0); /* new */
    batch_set(&b, 7, ing, acct, "mttr", 1, 0.1);  /* as row 3 */
    size_t failed = 0;
    OK(vos_store_measurements_put(T.st, b.rows, b.n, b.out, b.existing, &failed));
    ck_assert_uint_eq(failed, SIZE_MAX);
    const vos_put_outcome want[] = {VOS_PUT_INSERTED,  VOS_PUT_DUPLICATE, VOS_PUT_CONFLICT,
                                    VOS_PUT_INSERTED,  VOS_PUT_DUPLICATE, VOS_PUT_CONFLICT,
                                    VOS_PUT_INSERTED,  VOS_PUT_DUPLICATE};
    for (size_t i = 0; i < b.n; i++)
        ck_assert_msg(b.out[i] == want[i], "row %zu: outcome %d, not %d", i, b.out[i], want[i]);
    ck_assert_double_eq(b.existing[1], 1.5);
    ck_assert_double_eq(b.existing[2], 1.5);
    ck_assert_double_eq(b.existing[4], 10);
    ck_assert_double_eq(b.existing[5], 0.1);
    ck_assert_double_eq(b.existing[7], 0.1);
    /* ids: the next ones after the stored point, in input order; none for skipped rows */
    ck_assert_int_gt(b.rows[0].id, old_id);
    ck_assert_int_eq(b.rows[3].id, b.rows[0].id + 1);
    ck_assert_int_eq(b.rows[6].id, b.rows[3].id + 1);
    ck_assert_int_eq(b.rows[1].id, 0);
    ck_assert_int_eq(b.rows[5].id, 0);
    OK(vos_store_commit(T.st));
    ck_assert_uint_eq(stored_count(ing), 3);
    vos_measurement_row *got = NULL;
    OK(vos_store_measurement_get(T.st, &got, b.rows[6].id));
    ck_assert_double_eq(got->value, 0.0);
    ck_assert_str_eq(got->source, "erp \"main\" \\ ü");
    ck_assert_str_eq(got->at, "2026-01-01T02:00:00.000Z");
    vos_measurement_row_free(got);
    batch_free(&pre);
    batch_free(&b);
}
END_TEST

/* Fills b with BIG_BATCH rows: 3 KPIs, with every 7th row repeating the key of the row 5,003
 * before it (the same value when that row's index is even), so that repeats fall in the same
 * and in another chunk. */
static void big_batch(batch *b, int64_t ing, int64_t acct)
{
    static const char *const kpis[] = {"csat", "mttr", "nps"};
    batch_init(b, BIG_BATCH);
    for (size_t i = 0; i < BIG_BATCH; i++) {
        size_t k = i % 7 == 6 && i >= 5003 ? i - 5003 : i;
        double v = k == i || k % 2 == 0 ? (double)k * 0.1 + 1.0 / 3.0 : -(double)k;
        batch_set(b, i, ing, acct, kpis[k % 3], (int)(k / 3), v);
    }
}

/* A big batch and the same points put one by one give the same outcomes, the same ids and
 * the same points digest; a rollback leaves nothing and gives the ids back. */
START_TEST(batch_equals_single_puts)
{
    int64_t acct = storetest_account(T.st, "Acme", 1);
    OK(vos_store_begin(T.st));
    int64_t ing = new_ingestion("big.csv");
    batch b;
    big_batch(&b, ing, acct);
    OK(vos_store_measurements_put(T.st, b.rows, b.n, b.out, b.existing, NULL));
    char *batched = NULL;
    OK(vos_store_snapshot(T.st, &batched, VOS_ENTITY_INGESTION, ing));
    OK(vos_store_rollback(T.st));
    ck_assert_uint_eq(stored_count(ing), 0);

    OK(vos_store_begin(T.st));
    ck_assert_int_eq(new_ingestion("big.csv"), ing); /* the rollback gave the id back */
    size_t inserted = 0;
    int64_t last = 0;
    for (size_t i = 0; i < b.n; i++) {
        vos_measurement_row m = b.rows[i];
        m.id = 0;
        vos_put_outcome out;
        double existing = NAN;
        OK(vos_store_measurement_put(T.st, &m, &out, &existing));
        ck_assert_msg(out == b.out[i], "row %zu: batch %d, single %d", i, b.out[i], out);
        ck_assert_int_eq(m.id, out == VOS_PUT_INSERTED ? b.rows[i].id : 0);
        if (out != VOS_PUT_INSERTED) {
            ck_assert_double_eq(existing, b.existing[i]);
            continue;
        }
        ck_assert_int_gt(m.id, last);
        last = m.id;
        inserted++;
    }
    ck_assert_uint_lt(inserted, BIG_BATCH);
    ck_assert_uint_gt(inserted, BIG_BATCH - BIG_BATCH / 7);
    char *single = NULL;
    OK(vos_store_snapshot(T.st, &single, VOS_ENTITY_INGESTION, ing));
    /* the same ingestion id and points; created_at differs */
    ck_assert_ptr_nonnull(strstr(batched, "\"points\":"));
    ck_assert_str_eq(strstr(batched, "\"points\":"), strstr(single, "\"points\":"));
    OK(vos_store_audit_append(T.st, NULL, "test", "measurement.ingest", VOS_ENTITY_INGESTION, ing,
                              NULL));
    OK(vos_store_commit(T.st));
    char *after = NULL;
    OK(vos_store_snapshot(T.st, &after, VOS_ENTITY_INGESTION, ing));
    ck_assert_str_eq(single, after);
    vos_audit_report rep;
    OK(vos_store_audit_verify(T.st, &rep));
    ck_assert_msg(rep.problem == VOS_AUDIT_OK, "%s", rep.message);
    free(batched);
    free(single);
    free(after);
    batch_free(&b);
}
END_TEST

/* A missing account in the middle of a batch: the error names that row with the single put's
 * message; after the rollback nothing is stored. */
START_TEST(missing_account_names_its_row)
{
    int64_t acct = storetest_account(T.st, "Acme", 1);
    OK(vos_store_begin(T.st));
    int64_t ing = new_ingestion("bad.csv");
    batch b;
    batch_init(&b, 10);
    for (size_t i = 0; i < b.n; i++)
        batch_set(&b, i, ing, i == 6 ? 999 : acct, "csat", (int)i, (double)i);
    size_t failed = 0;
    FAILS(vos_store_measurements_put(T.st, b.rows, b.n, b.out, b.existing, &failed), VOS_EINVALID,
          "measurement account_id 999 does not exist (no such account)");
    ck_assert_uint_eq(failed, 6);
    OK(vos_store_rollback(T.st));
    ck_assert_uint_eq(stored_count(ing), 0);
    batch_free(&b);
}
END_TEST

/* Every row is validated before any is written: a bad one is named by its index. */
START_TEST(invalid_row_names_its_row)
{
    int64_t acct = storetest_account(T.st, "Acme", 1);
    OK(vos_store_begin(T.st));
    int64_t ing = new_ingestion("bad.csv");
    batch b;
    batch_init(&b, 5);
    for (size_t i = 0; i < b.n; i++)
        batch_set(&b, i, ing, acct, i == 3 ? "Bad Key" : "csat", (int)i, (double)i);
    size_t failed = 0;
    FAILS(vos_store_measurements_put(T.st, b.rows, b.n, b.out, b.existing, &failed), VOS_EINVALID,
          "kpi_key");
    ck_assert_uint_eq(failed, 3);
    OK(vos_store_rollback(T.st));
    ck_assert_uint_eq(stored_count(ing), 0);
    /* outside a transaction nothing is written either */
    FAILS(vos_store_measurements_put(T.st, b.rows, b.n, b.out, b.existing, &failed), VOS_ERROR,
          "transaction");
    batch_free(&b);
}
END_TEST

/* The ids of ingestion `ingestion`'s points, as listed by ingestion (in id order), also with
 * more filters (no room left to narrow by the ingestion's range: the same rows). */
static size_t listed_ids(int64_t ingestion, int64_t *ids, size_t max, int64_t account)
{
    vos_measurement_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "ingestion_id", .i = ingestion};
    OK(vos_store_measurement_list(T.st, &rows, &n, &q));
    ck_assert_uint_le(n, max);
    for (size_t i = 0; i < n; i++)
        ids[i] = rows[i].id;
    vos_measurement_rows_free(rows, n);
    q.n_where = VOS_STORE_FILTERS_MAX;
    q.where[1] = (vos_store_filter){.field = "account_id", .i = account};
    q.where[2] = (vos_store_filter){.field = "at", .cmp = VOS_CMP_GE, .s = "2000-01-01T00:00:00.000Z"};
    q.where[3] = (vos_store_filter){.field = "value", .cmp = VOS_CMP_GE, .r = -1e300};
    size_t m = 0;
    OK(vos_store_measurement_list(T.st, &rows, &m, &q));
    ck_assert_uint_eq(m, n);
    for (size_t i = 0; i < m; i++)
        ck_assert_int_eq(rows[i].id, ids[i]);
    vos_measurement_rows_free(rows, m);
    return n;
}

/* The points of an ingestion are found by ingestion however the ingestions' points are mixed
 * in one transaction (the store records each ingestion's id range), before and after the
 * commit; an ingestion without points lists none; a rollback records nothing; the audit
 * snapshot of each ingestion counts exactly its points, and the database verifies. */
START_TEST(points_found_by_ingestion)
{
    int64_t acct = storetest_account(T.st, "Acme", 1);
    OK(vos_store_begin(T.st));
    int64_t a = new_ingestion("a.csv"), b = new_ingestion("b.csv"), empty = new_ingestion("e");
    batch pts;
    batch_init(&pts, 9);
    const int64_t owner[] = {a, a, b, a, b, b, a, b, a};
    for (size_t i = 0; i < pts.n; i++) {
        batch_set(&pts, i, owner[i], acct, "csat", (int)i, (double)i);
        OK(vos_store_measurements_put(T.st, &pts.rows[i], 1, &pts.out[i], NULL, NULL));
    }
    int64_t ids[16];
    ck_assert_uint_eq(listed_ids(a, ids, 16, acct), 5); /* read inside the transaction */
    ck_assert_int_eq(ids[0], pts.rows[0].id);
    ck_assert_int_eq(ids[4], pts.rows[8].id);
    OK(vos_store_audit_append(T.st, NULL, "ingest", "measurement.ingest", VOS_ENTITY_INGESTION,
                              a, NULL));
    OK(vos_store_audit_append(T.st, NULL, "ingest", "measurement.ingest", VOS_ENTITY_INGESTION,
                              b, NULL));
    OK(vos_store_audit_append(T.st, NULL, "ingest", "measurement.ingest", VOS_ENTITY_INGESTION,
                              empty, NULL));
    OK(vos_store_commit(T.st));
    ck_assert_uint_eq(listed_ids(a, ids, 16, acct), 5);
    ck_assert_uint_eq(listed_ids(b, ids, 16, acct), 4);
    ck_assert_int_eq(ids[0], pts.rows[2].id);
    ck_assert_int_eq(ids[3], pts.rows[7].id);
    ck_assert_uint_eq(listed_ids(empty, ids, 16, acct), 0);
    char *snap = NULL;
    OK(vos_store_snapshot(T.st, &snap, VOS_ENTITY_INGESTION, b));
    ck_assert_msg(strstr(snap, "\"points\":4"), "%s", snap);
    free(snap);

    /* a rolled back ingestion leaves no range behind; its ids are drawn again */
    OK(vos_store_begin(T.st));
    int64_t gone = new_ingestion("gone.csv");
    batch_set(&pts, 0, gone, acct, "csat", 100, 1);
    OK(vos_store_measurements_put(T.st, pts.rows, 1, pts.out, NULL, NULL));
    OK(vos_store_rollback(T.st));
    ck_assert_uint_eq(listed_ids(gone, ids, 16, acct), 0);
    vos_audit_report rep;
    OK(vos_store_audit_verify(T.st, &rep));
    ck_assert_msg(rep.problem == VOS_AUDIT_OK, "%s", rep.message);
    batch_free(&pts);
}
END_TEST

Suite *vos_test_store_measurements_suite(void)
{
    Suite *s = suite_create("store_measurements");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, outcomes_row_by_row);
    tcase_add_test(tc, batch_equals_single_puts);
    tcase_add_test(tc, missing_account_names_its_row);
    tcase_add_test(tc, invalid_row_names_its_row);
    tcase_add_test(tc, points_found_by_ingestion);
    suite_add_tcase(s, tc);
    return s;
}
