/* vos_store_measurement_points: the same rows as vos_store_measurement_series with the same
 * arguments, in the same order (by at, then by id, also when several sources share an `at`
 * and their ids disagree with the order of their source names), with the same bounds
 * (from inclusive, to exclusive), the same exclusions (other accounts, other KPIs), the
 * same empty results and the same VOS_ETOOLARGE.  Runs on every backend through the fixture,
 * and once more through the generic layer's fallback (a backend without measurement_points). */
#include "store_fixture.h"

#include "store/store_int.h"
#include "vos/error.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JAN(d, h) "2026-01-" d "T" h ":00:00.000Z"

static storetest T;

static void setup(void)
{
    storetest_setup(&T);
}

static void teardown(void)
{
    storetest_teardown(&T);
}

/* Puts one point (in the open transaction); it must be new. */
static void put(int64_t ingestion, int64_t account, const char *kpi, const char *at,
                const char *source, double value)
{
    vos_measurement_row m = {.ingestion_id = ingestion,
                             .account_id = account,
                             .kpi_key = (char *)kpi,
                             .at = (char *)at,
                             .value = value,
                             .source = (char *)source};
    vos_put_outcome out = VOS_PUT_CONFLICT;
    OK(vos_store_measurement_put(T.st, &m, &out, NULL));
    ck_assert_int_eq(out, VOS_PUT_INSERTED);
}

/* Reads the series both ways, asserts they agree point for point and returns the points
 * (caller frees) and their number. */
static vos_measurement_point *both(int64_t account, const char *kpi, const char *from,
                                   const char *to, size_t *n)
{
    vos_measurement_row *rows = NULL;
    size_t n_rows = 0;
    OK(vos_store_measurement_series(T.st, &rows, &n_rows, account, kpi, from, to));
    vos_measurement_point *pts = (vos_measurement_point *)&n_rows; /* overwritten */
    *n = 99;
    OK(vos_store_measurement_points(T.st, &pts, n, account, kpi, from, to));
    ck_assert_uint_eq(*n, n_rows);
    if (*n == 0) ck_assert_ptr_null(pts);
    for (size_t i = 0; i < *n; i++) {
        ck_assert_str_eq(pts[i].at, rows[i].at);
        ck_assert_msg(memcmp(&pts[i].value, &rows[i].value, sizeof(double)) == 0,
                      "point %zu: %.17g, row %.17g", i, pts[i].value, rows[i].value);
    }
    vos_measurement_rows_free(rows, n_rows);
    return pts;
}

/* Asserts that pts[0..n) has exactly the values want[0..n). */
static void values_are(const vos_measurement_point *pts, size_t n, const double *want, size_t k)
{
    ck_assert_uint_eq(n, k);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(pts[i].value == want[i], "point %zu (%s): %.17g, not %.17g", i, pts[i].at,
                      pts[i].value, want[i]);
}

/* Account `acct`'s "mttr": points put out of time order, ties of `at` from several sources
 * put so that id order differs from source order, neighbours on another account and KPI. */
static void load(int64_t acct, int64_t other)
{
    OK(vos_store_begin(T.st));
    vos_ingestion_row ing = {.label = "series.csv"};
    OK(vos_store_ingestion_create(T.st, &ing));
    put(ing.id, acct, "mttr", JAN("05", "00"), "servicenow", 5);
    put(ing.id, acct, "mttr", JAN("02", "00"), "zendesk", 2.1); /* id before "jira"'s */
    put(ing.id, acct, "mttr", JAN("02", "00"), "jira", 2.2);
    put(ing.id, acct, "mttr", JAN("03", "00"), "m", 3.1); /* ids m < z < a */
    put(ing.id, acct, "mttr", JAN("03", "00"), "z", 3.2);
    put(ing.id, acct, "mttr", JAN("03", "00"), "a", 3.3);
    put(ing.id, acct, "mttr", JAN("01", "00"), "servicenow", 1);
    put(ing.id, acct, "mttr", JAN("04", "00"), "servicenow", -0.0);
    put(ing.id, acct, "mttr", JAN("04", "12"), "servicenow", 0.1);
    put(ing.id, acct, "mttr", JAN("06", "00"), "servicenow", 1e300);
    put(ing.id, acct, "mttr_p90", JAN("03", "00"), "servicenow", 90); /* another KPI */
    put(ing.id, acct, "csat", JAN("03", "00"), "servicenow", 4.5);
    put(ing.id, other, "mttr", JAN("03", "00"), "servicenow", 77); /* another account */
    put(ing.id, other, "mttr", JAN("07", "00"), "servicenow", 78);
    OK(vos_store_commit(T.st));
}

/* Every bound and tie, on the backend's own read. */
static void check_series(int64_t acct, int64_t other)
{
    size_t n = 0;
    vos_measurement_point *p = both(acct, "mttr", NULL, NULL, &n);
    const double all[] = {1, 2.1, 2.2, 3.1, 3.2, 3.3, -0.0, 0.1, 5, 1e300};
    values_are(p, n, all, sizeof all / sizeof *all);
    ck_assert_str_eq(p[0].at, JAN("01", "00"));
    ck_assert_str_eq(p[6].at, JAN("04", "00"));
    ck_assert(p[6].value == 0); /* -0.0 reads back as the series reads it (SQLite: +0.0) */
    ck_assert_str_eq(p[9].at, JAN("06", "00"));
    free(p);

    /* from inclusive, to exclusive */
    p = both(acct, "mttr", JAN("02", "00"), JAN("04", "12"), &n);
    const double mid[] = {2.1, 2.2, 3.1, 3.2, 3.3, -0.0};
    values_are(p, n, mid, sizeof mid / sizeof *mid);
    free(p);
    p = both(acct, "mttr", JAN("03", "00"), NULL, &n);
    const double late[] = {3.1, 3.2, 3.3, -0.0, 0.1, 5, 1e300};
    values_are(p, n, late, sizeof late / sizeof *late);
    free(p);
    p = both(acct, "mttr", NULL, JAN("03", "00"), &n);
    const double early[] = {1, 2.1, 2.2};
    values_are(p, n, early, sizeof early / sizeof *early);
    free(p);
    p = both(acct, "mttr", "2026-01-03T00:00:00.001Z", JAN("04", "12"), &n);
    const double after3[] = {-0.0};
    values_are(p, n, after3, 1);
    free(p);

    /* other accounts and KPIs */
    p = both(other, "mttr", NULL, NULL, &n);
    const double theirs[] = {77, 78};
    values_are(p, n, theirs, 2);
    free(p);
    p = both(acct, "mttr_p90", NULL, NULL, &n);
    const double p90[] = {90};
    values_are(p, n, p90, 1);
    free(p);

    /* empty: no such KPI, account or time range */
    p = both(acct, "mtt", NULL, NULL, &n);
    ck_assert_uint_eq(n, 0);
    p = both(999, "mttr", NULL, NULL, &n);
    ck_assert_uint_eq(n, 0);
    p = both(acct, "mttr", JAN("04", "13"), JAN("05", "00"), &n);
    ck_assert_uint_eq(n, 0);
    p = both(acct, "mttr", JAN("05", "00"), JAN("02", "00"), &n);
    ck_assert_uint_eq(n, 0);
    p = both(acct, NULL, NULL, NULL, &n);
    ck_assert_uint_eq(n, 0);
}

START_TEST(points_equal_series)
{
    int64_t acct = storetest_account(T.st, "Acme", 0);
    int64_t other = storetest_account(T.st, "Globex", 0);
    load(acct, other);
    check_series(acct, other);
}
END_TEST

/* The generic layer's fallback for a backend without measurement_points. */
START_TEST(fallback_equals_series)
{
    int64_t acct = storetest_account(T.st, "Acme", 0);
    int64_t other = storetest_account(T.st, "Globex", 0);
    load(acct, other);
    T.st->be->measurement_points = NULL; /* this handle's backend only */
    check_series(acct, other);
}
END_TEST

/* More than VOS_STORE_SERIES_MAX points: the same error both ways; one fewer is read. */
static void too_large(void)
{
    int64_t acct = storetest_account(T.st, "Acme", 0);
    size_t total = VOS_STORE_SERIES_MAX + 1;
    vos_measurement_row *rows = calloc(total, sizeof *rows);
    char(*at)[VOS_STAMP_SIZE] = calloc(total, sizeof *at);
    vos_put_outcome *out = calloc(total, sizeof *out);
    ck_assert(rows && at && out);
    OK(vos_store_begin(T.st));
    vos_ingestion_row ing = {.label = "big.csv"};
    OK(vos_store_ingestion_create(T.st, &ing));
    for (size_t i = 0; i < total; i++) { /* one point a minute, from 2026-01-01 */
        snprintf(at[i], VOS_STAMP_SIZE, "2026-%02zu-%02zuT%02zu:%02zu:00.000Z", 1 + i / 40320,
                 1 + i / 1440 % 28, i / 60 % 24, i % 60);
        rows[i] = (vos_measurement_row){.ingestion_id = ing.id,
                                        .account_id = acct,
                                        .kpi_key = "mttr",
                                        .at = at[i],
                                        .value = (double)i,
                                        .source = "servicenow"};
    }
    OK(vos_store_measurements_put(T.st, rows, total, out, NULL, NULL));
    OK(vos_store_commit(T.st));

    vos_measurement_row *s = (vos_measurement_row *)rows;
    size_t n = 7;
    FAILS(vos_store_measurement_series(T.st, &s, &n, acct, "mttr", NULL, NULL), VOS_ETOOLARGE,
          "more than 100000 measurements of account");
    char msg[256];
    snprintf(msg, sizeof msg, "%s", vos_error_last());
    vos_measurement_point *p = (vos_measurement_point *)at;
    n = 7;
    FAILS(vos_store_measurement_points(T.st, &p, &n, acct, "mttr", NULL, NULL), VOS_ETOOLARGE,
          msg);
    ck_assert_str_eq(vos_error_last(), msg);
    ck_assert_ptr_null(p);
    ck_assert_uint_eq(n, 0);

    /* without the last point: exactly the limit, in time order */
    p = both(acct, "mttr", NULL, at[total - 1], &n);
    ck_assert_uint_eq(n, VOS_STORE_SERIES_MAX);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(p[i].value == (double)i && strcmp(p[i].at, at[i]) == 0, "point %zu", i);
    free(p);
    free(rows);
    free(at);
    free(out);
}

START_TEST(too_large_as_series)
{
    too_large();
}
END_TEST

START_TEST(fallback_too_large_as_series)
{
    T.st->be->measurement_points = NULL;
    too_large();
}
END_TEST

Suite *vos_test_store_series_suite(void)
{
    Suite *s = suite_create("store_series");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, points_equal_series);
    tcase_add_test(tc, fallback_equals_series);
    tcase_add_test(tc, too_large_as_series);
    tcase_add_test(tc, fallback_too_large_as_series);
    suite_add_tcase(s, tc);
    return s;
}
