/* What only the PostgreSQL backend has to show: writers on several connections serialised
 * into one audit chain, outbox claims and job leases across connections, messages of
 * constraint clashes, a failed write inside a transaction, exact reals, busy writers, and the
 * errors of opening.  Runs against VOS_TEST_PG_URL (a template as VOS_TEST_STORE_URL, e.g.
 * "postgres://postgres@127.0.0.1:5432/{db}"; scripts/pg-cluster.sh starts a throwaway
 * server); every test is skipped with a message when it is unset. */
#include "store_fixture.h"

#include "vos/error.h"
#include "vos/store.h"

#include <check.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RACERS 2       /* handles writing at once, one thread each */
#define RACE_WRITES 40 /* transactions of each racer */
#define EVENTS 30      /* outbox rows claimed by the racers */
#define NOW "2026-05-01T10:00:00.000Z"
#define LATER "2026-05-01T10:05:00.000Z"
#define LEASE_END "2999-01-01T00:00:00.000Z" /* a lease that outlasts the test */

static storetest T;
static bool have_pg;

static void setup(void)
{
    const char *url = getenv("VOS_TEST_PG_URL");
    have_pg = url && *url;
    if (have_pg) storetest_setup_url(&T, url);
}

static void teardown(void)
{
    if (have_pg) storetest_teardown(&T);
}

#define NEED_PG()                                                                                  \
    do {                                                                                           \
        if (!have_pg) {                                                                            \
            fprintf(stderr, "store_postgres: skipped (set VOS_TEST_PG_URL, e.g. "                  \
                            "postgres://postgres@127.0.0.1:5432/{db})\n");                         \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* ---- two writers, one chain ----------------------------------------------------------------- */

typedef struct racer {
    vos_store *st;
    int index;
    int failures;
    char error[VOS_ERROR_MSG_MAX];
} racer;

/* Creates RACE_WRITES accounts, each with its audit record, in transactions of its own. */
static void *race_accounts(void *arg)
{
    racer *r = arg;
    for (int i = 0; i < RACE_WRITES && !r->failures; i++) {
        char name[VOS_NAME_MAX];
        snprintf(name, sizeof name, "Racer %d account %d", r->index, i);
        vos_account_row a = {.name = name, .size = VOS_ACCOUNT_SIZE_SMB};
        int rc = vos_store_begin(r->st);
        if (rc == 0) rc = vos_store_account_create(r->st, &a);
        if (rc == 0)
            rc = vos_store_audit_append(r->st, NULL, "tester", "account.create", VOS_ENTITY_ACCOUNT,
                                        a.id, NULL);
        if (rc == 0) rc = vos_store_commit(r->st);
        if (rc < 0) {
            snprintf(r->error, sizeof r->error, "%s", vos_error_last());
            vos_store_rollback(r->st);
            r->failures++;
        }
    }
    return NULL;
}

START_TEST(racing_writers_make_one_valid_chain)
{
    NEED_PG();
    racer r[RACERS];
    pthread_t th[RACERS];
    for (int i = 0; i < RACERS; i++) {
        r[i] = (racer){.st = storetest_open(&T), .index = i};
        ck_assert_int_eq(pthread_create(&th[i], NULL, race_accounts, &r[i]), 0);
    }
    for (int i = 0; i < RACERS; i++) {
        pthread_join(th[i], NULL);
        ck_assert_msg(r[i].failures == 0, "racer %d: %s", i, r[i].error);
        vos_store_close(r[i].st);
    }
    vos_audit_report rep;
    OK(vos_store_audit_verify(T.st, &rep));
    ck_assert_msg(rep.problem == VOS_AUDIT_OK, "%s", rep.message);
    ck_assert_int_eq(rep.records, RACERS * RACE_WRITES);
    vos_account_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    OK(vos_store_account_list(T.st, &rows, &n, &q));
    ck_assert_uint_eq(n, RACERS * RACE_WRITES);
    for (size_t i = 0; i < n; i++) /* ids without gaps: no write was lost or refused */
        ck_assert_int_eq(rows[i].id, (int64_t)i + 1);
    vos_account_rows_free(rows, n);
}
END_TEST

/* ---- outbox claims and job leases ----------------------------------------------------------- */

typedef struct claimer {
    vos_store *st;
    int64_t got[EVENTS];
    int n, failures;
    char error[VOS_ERROR_MSG_MAX];
} claimer;

/* Claims one row at a time, in transactions of its own, until none is left. */
static void *claim_all(void *arg)
{
    claimer *c = arg;
    for (;;) {
        vos_outbox_row *rows = NULL;
        size_t n = 0;
        int rc = vos_store_begin(c->st);
        char now[VOS_STAMP_SIZE];
        vos_store_now(now); /* the rows are due from the moment they were added */
        if (rc == 0) rc = vos_store_outbox_claim(c->st, &rows, &n, now, NULL, LEASE_END, 1);
        if (rc == 0) rc = vos_store_commit(c->st);
        if (rc < 0) {
            snprintf(c->error, sizeof c->error, "%s", vos_error_last());
            vos_store_rollback(c->st);
            c->failures++;
            return NULL;
        }
        for (size_t i = 0; i < n && c->n < EVENTS; i++)
            c->got[c->n++] = rows[i].id;
        vos_outbox_rows_free(rows, n);
        if (n == 0) return NULL;
    }
}

START_TEST(two_handles_never_claim_the_same_row)
{
    NEED_PG();
    vos_webhook_row w = {.url = "https://hooks.example/vos", .events = "[]", .active = true};
    memset(w.secret_sha256, 'b', VOS_SHA256_HEX_SIZE - 1);
    OK(vos_store_begin(T.st));
    OK(vos_store_webhook_create(T.st, &w));
    for (int i = 0; i < EVENTS; i++) {
        vos_outbox_row ev = {.webhook_id = w.id, .event = "alert.raised", .payload = "{}"};
        OK(vos_store_outbox_add(T.st, &ev));
    }
    OK(vos_store_commit(T.st));

    claimer c[RACERS];
    pthread_t th[RACERS];
    for (int i = 0; i < RACERS; i++) {
        c[i] = (claimer){.st = storetest_open(&T)};
        ck_assert_int_eq(pthread_create(&th[i], NULL, claim_all, &c[i]), 0);
    }
    int seen[EVENTS + 1] = {0};
    int total = 0;
    for (int i = 0; i < RACERS; i++) {
        pthread_join(th[i], NULL);
        ck_assert_msg(c[i].failures == 0, "claimer %d: %s", i, c[i].error);
        for (int k = 0; k < c[i].n; k++) {
            ck_assert(c[i].got[k] >= 1 && c[i].got[k] <= EVENTS);
            seen[c[i].got[k]]++;
        }
        total += c[i].n;
        vos_store_close(c[i].st);
    }
    ck_assert_int_eq(total, EVENTS);
    for (int id = 1; id <= EVENTS; id++)
        ck_assert_msg(seen[id] == 1, "outbox row %d claimed %d times", id, seen[id]);
}
END_TEST

static bool claim_job(vos_store *st, const char *holder, const char *now, const char *until)
{
    bool claimed = false;
    OK(vos_store_begin(st));
    OK(vos_store_job_claim(st, &claimed, "alerts.evaluate", holder, now, until));
    OK(vos_store_commit(st));
    return claimed;
}

START_TEST(a_job_lease_holds_across_connections)
{
    NEED_PG();
    vos_store *other = storetest_open(&T);
    ck_assert(claim_job(T.st, "web-1:100", NOW, LATER));
    ck_assert(!claim_job(other, "web-2:200", NOW, LATER)); /* web-1 holds it */
    ck_assert(claim_job(T.st, "web-1:100", NOW, LATER));   /* its holder again */
    ck_assert(claim_job(other, "web-2:200", LATER, "2026-05-01T10:10:00.000Z")); /* ended */
    ck_assert(!claim_job(T.st, "web-1:100", LATER, "2026-05-01T10:10:00.000Z"));
    vos_store_close(other);
}
END_TEST

/* ---- constraints and transactions ----------------------------------------------------------- */

START_TEST(a_unique_clash_names_the_field)
{
    NEED_PG();
    storetest_account(T.st, "Acme", 0);
    vos_account_row a = {.name = "ACME", .size = VOS_ACCOUNT_SIZE_SMB}; /* without case */
    OK(vos_store_begin(T.st));
    FAILS(vos_store_account_create(T.st, &a), VOS_ECONFLICT, "account name 'ACME' already exists");
    vos_user_row u = {
        .email = "ann@example.com", .name = "Ann", .role = VOS_ROLE_ADMIN, .active = true};
    OK(vos_store_user_create(T.st, &u));
    u.email = "ANN@example.com";
    FAILS(vos_store_user_create(T.st, &u), VOS_ECONFLICT,
          "user email 'ANN@example.com' already exists");
    OK(vos_store_commit(T.st));
    vos_user_row *found = NULL;
    OK(vos_store_user_by_email(T.st, &found, "Ann@Example.com"));
    ck_assert_str_eq(found->email, "ann@example.com");
    vos_user_row_free(found);
}
END_TEST

START_TEST(a_failed_write_leaves_the_transaction_usable)
{
    NEED_PG();
    OK(vos_store_begin(T.st));
    vos_account_row a = {.name = "Acme", .size = VOS_ACCOUNT_SIZE_SMB};
    OK(vos_store_account_create(T.st, &a));
    vos_account_row dup = {.name = "Acme", .size = VOS_ACCOUNT_SIZE_SMB};
    FAILS(vos_store_account_create(T.st, &dup), VOS_ECONFLICT, "already exists");
    vos_case_row c = {.account_id = a.id,
                      .model_version_id = 99,
                      .name = "Q3",
                      .stage = VOS_STAGE_HYPOTHESIS,
                      .overrides = "{}"};
    FAILS(vos_store_case_create(T.st, &c), VOS_EINVALID, "case model_version_id 99 does not exist");
    vos_account_row b = {.name = "Beta", .size = VOS_ACCOUNT_SIZE_SMB};
    OK(vos_store_account_create(T.st, &b));
    ck_assert_int_eq(b.id, 2); /* the refused insert drew no id */
    OK(vos_store_commit(T.st));
    vos_account_row *rows = NULL;
    size_t n = 0;
    OK(vos_store_account_list(T.st, &rows, &n, NULL));
    ck_assert_uint_eq(n, 2);
    vos_account_rows_free(rows, n);

    /* a rolled-back transaction gives its ids back too, as SQLite does */
    OK(vos_store_begin(T.st));
    vos_account_row gone = {.name = "Gone", .size = VOS_ACCOUNT_SIZE_SMB};
    OK(vos_store_account_create(T.st, &gone));
    ck_assert_int_eq(gone.id, 3);
    OK(vos_store_rollback(T.st));
    ck_assert_int_eq(storetest_account(T.st, "Gamma", 0), 3);
}
END_TEST

/* Reals are stored with every bit: the extremes of a double and values without a short
 * decimal form read back equal. */
START_TEST(reals_round_trip_exactly)
{
    NEED_PG();
    const double values[] = {0.1 + 0.2, 1.0 / 3.0,         DBL_MAX,
                             -DBL_MAX,  DBL_MIN,           4.9406564584124654e-324,
                             -0.0,      123456789.12345678};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char source[32];
        snprintf(source, sizeof source, "source %zu", i);
        vos_benchmark_row b = {.input_key = "tickets",
                               .value = values[i],
                               .low = NAN,
                               .high = NAN,
                               .source = source,
                               .as_of = "2026-01-31"};
        OK(vos_store_begin(T.st));
        OK(vos_store_benchmark_create(T.st, &b));
        OK(vos_store_commit(T.st));
        vos_benchmark_row *got = NULL;
        OK(vos_store_benchmark_get(T.st, &got, b.id));
        ck_assert_msg(memcmp(&got->value, &values[i], sizeof(double)) == 0, "%.17g read as %.17g",
                      values[i], got->value);
        ck_assert(isnan(got->low));
        vos_benchmark_row_free(got);
    }
}
END_TEST

/* A second writer waits for the first, then is told the database is busy. */
START_TEST(a_second_writer_waits_then_is_busy)
{
    NEED_PG();
    vos_store *other = storetest_open(&T);
    OK(vos_store_begin(T.st));
    FAILS(vos_store_begin(other), VOS_ECONFLICT, "database is busy");
    OK(vos_store_rollback(T.st));
    OK(vos_store_begin(other)); /* free again */
    OK(vos_store_commit(other));
    vos_store_close(other);
}
END_TEST

/* ---- opening -------------------------------------------------------------------------------- */

START_TEST(opening_errors_name_the_problem_without_the_password)
{
    NEED_PG();
    vos_store *st = NULL;
    FAILS(vos_store_open(&st, "postgres://vos:s3cret-pw@127.0.0.1:1/vos"), VOS_ERROR,
          "cannot open the PostgreSQL store");
    ck_assert_ptr_null(strstr(vos_error_last(), "s3cret-pw"));
    FAILS(vos_store_open(&st, "postgres:vos"), VOS_EINVALID, "postgres://USER@HOST:PORT/DATABASE");
    /* "postgresql:" is the same backend */
    char url[VOS_STORE_URL_MAX + 16];
    snprintf(url, sizeof url, "postgresql%s", strchr(T.url, ':'));
    OK(vos_store_open(&st, url));
    ck_assert_int_eq(vos_store_schema_version(st), vos_store_schema_version(T.st));
    ck_assert_int_ge(vos_store_schema_version(st), 1);
    vos_store_close(st);
    FAILS(vos_store_backup(T.st, "/tmp/vos-never-written.db"), VOS_EINVALID, "pg_dump");
}
END_TEST

Suite *vos_test_store_postgres_suite(void)
{
    Suite *s = suite_create("store_postgres");
    TCase *tc = tcase_create("postgres");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, racing_writers_make_one_valid_chain);
    tcase_add_test(tc, two_handles_never_claim_the_same_row);
    tcase_add_test(tc, a_job_lease_holds_across_connections);
    tcase_add_test(tc, a_unique_clash_names_the_field);
    tcase_add_test(tc, a_failed_write_leaves_the_transaction_usable);
    tcase_add_test(tc, reals_round_trip_exactly);
    tcase_add_test(tc, a_second_writer_waits_then_is_busy);
    tcase_add_test(tc, opening_errors_name_the_problem_without_the_password);
    suite_add_tcase(s, tc);
    return s;
}
