/* Leases of background jobs (vos_store_job_claim): free, held by another holder, ended,
 * taken again by its holder, and the checks of the arguments.  Written against
 * include/vos/store.h only, so every backend runs it (VOS_TEST_STORE_URL). */
#include "store_fixture.h"

#include "vos/app.h"
#include "vos/error.h"
#include "vos/store.h"

#include <check.h>
#include <math.h>
#include <string.h>
#include <time.h>

#define T0 "2026-05-01T10:00:00.000Z"
#define T1 "2026-05-01T10:00:05.000Z"
#define T2 "2026-05-01T10:00:10.000Z"
#define T3 "2026-05-01T10:00:15.000Z"
#define JOB "alerts.evaluate"

static storetest T;

static void setup(void)
{
    storetest_setup(&T);
}

static void teardown(void)
{
    storetest_teardown(&T);
}

/* Claims in a transaction of its own on st; returns whether the lease was taken. */
static bool claim(vos_store *st, const char *name, const char *holder, const char *now,
                  const char *until)
{
    bool claimed = true;
    OK(vos_store_begin(st));
    OK(vos_store_job_claim(st, &claimed, name, holder, now, until));
    OK(vos_store_commit(st));
    return claimed;
}

START_TEST(a_lease_belongs_to_one_holder_until_it_ends)
{
    ck_assert(claim(T.st, JOB, "web-1:100", T0, T2));  /* never leased: free */
    ck_assert(!claim(T.st, JOB, "web-2:200", T1, T3)); /* held by web-1 until T2 */
    ck_assert(claim(T.st, JOB, "web-1:100", T1, T3));  /* its holder takes it again: until T3 */
    ck_assert(!claim(T.st, JOB, "web-2:200", T2, T3)); /* still web-1's at T2 */
    ck_assert(claim(T.st, JOB, "web-2:200", T3, "2026-05-01T10:00:20.000Z")); /* ended at T3 */
    ck_assert(!claim(T.st, JOB, "web-1:100", T3, "2026-05-01T10:00:20.000Z"));
    /* another job is leased apart */
    ck_assert(claim(T.st, "webhooks.deliver", "web-1:100", T3, "2026-05-01T10:00:20.000Z"));
}
END_TEST

/* A second handle (another process) sees the lease; a refused claim writes nothing. */
START_TEST(another_handle_sees_the_lease)
{
    vos_store *other = storetest_open(&T);
    ck_assert(claim(T.st, JOB, "web-1:100", T0, T2));
    ck_assert(!claim(other, JOB, "web-2:200", T1, T3));
    ck_assert(!claim(other, JOB, "web-2:200", T1, T3));
    ck_assert(claim(other, JOB, "web-2:200", T2, T3)); /* web-1's ended at T2, not T3 */
    ck_assert(!claim(T.st, JOB, "web-1:100", T2, T3));
    vos_store_close(other);
}
END_TEST

START_TEST(claims_check_their_arguments)
{
    bool claimed = true;
    FAILS(vos_store_job_claim(T.st, &claimed, JOB, "web-1", T0, T1), VOS_ERROR,
          "cannot claim a job lease outside a transaction");
    ck_assert(!claimed);
    OK(vos_store_begin(T.st));
    FAILS(vos_store_job_claim(T.st, &claimed, "", "web-1", T0, T1), VOS_EINVALID,
          "job lease name is required");
    FAILS(vos_store_job_claim(T.st, &claimed, "Alerts.Evaluate", "web-1", T0, T1), VOS_EINVALID,
          "job lease name 'Alerts.Evaluate' must be 1 to 64 characters of a-z, 0-9, '_' and '.'");
    FAILS(vos_store_job_claim(T.st, &claimed, "alerts evaluate", "web-1", T0, T1), VOS_EINVALID,
          "job lease name 'alerts evaluate' must be");
    char long_name[80];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    FAILS(vos_store_job_claim(T.st, &claimed, long_name, "web-1", T0, T1), VOS_EINVALID,
          "must be 1 to 64 characters");
    FAILS(vos_store_job_claim(T.st, &claimed, JOB, NULL, T0, T1), VOS_EINVALID,
          "job lease holder is required");
    FAILS(vos_store_job_claim(T.st, &claimed, JOB, "web-1\nweb-2", T0, T1), VOS_EINVALID,
          "job lease holder must not hold control characters");
    char long_holder[VOS_NAME_MAX + 2];
    memset(long_holder, 'h', sizeof long_holder - 1);
    long_holder[sizeof long_holder - 1] = '\0';
    FAILS(vos_store_job_claim(T.st, &claimed, JOB, long_holder, T0, T1), VOS_ETOOLARGE,
          "job lease holder is longer than 200 characters");
    FAILS(vos_store_job_claim(T.st, &claimed, JOB, "web-1", "2026-05-01 10:00", T1), VOS_EINVALID,
          "job lease claim time is not a UTC stamp");
    FAILS(vos_store_job_claim(T.st, &claimed, JOB, "web-1", T0, NULL), VOS_EINVALID,
          "job lease end is not a UTC stamp");
    FAILS(vos_store_job_claim(T.st, &claimed, JOB, "web-1", T1, T1), VOS_EINVALID,
          "a job lease must end after the claim time");
    OK(vos_store_job_claim(T.st, &claimed, JOB, "web-1", T0, T1)); /* the transaction lives on */
    ck_assert(claimed);
    OK(vos_store_rollback(T.st));
    ck_assert(claim(T.st, JOB, "web-2", T0, T1)); /* rolled back: free */
}
END_TEST

/* The app's form: a lease of `seconds` from now, in a transaction of its own. */
START_TEST(app_claims_from_now)
{
    vos_app *a = NULL, *b = NULL;
    OK(vos_app_open(&a, T.url));
    OK(vos_app_open(&b, T.url));
    bool claimed = false;
    OK(vos_app_job_claim(a, &claimed, JOB, "web-1:100", 60));
    ck_assert(claimed);
    OK(vos_app_job_claim(b, &claimed, JOB, "web-2:200", 60));
    ck_assert(!claimed);
    OK(vos_app_job_claim(a, &claimed, JOB, "web-1:100", 0.001)); /* given up: ends at once */
    ck_assert(claimed);
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    OK(vos_app_job_claim(b, &claimed, JOB, "web-2:200", 60));
    ck_assert(claimed);
    FAILS(vos_app_job_claim(a, &claimed, JOB, "web-1:100", 0), VOS_EINVALID,
          "a job lease must last at least a millisecond");
    FAILS(vos_app_job_claim(a, &claimed, JOB, "web-1:100", NAN), VOS_EINVALID, "millisecond");
    vos_app_close(a);
    vos_app_close(b);
}
END_TEST

Suite *vos_test_store_jobs_suite(void)
{
    Suite *s = suite_create("store_jobs");
    TCase *tc = tcase_create("jobs");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, a_lease_belongs_to_one_holder_until_it_ends);
    tcase_add_test(tc, another_handle_sees_the_lease);
    tcase_add_test(tc, claims_check_their_arguments);
    tcase_add_test(tc, app_claims_from_now);
    suite_add_tcase(s, tc);
    return s;
}
