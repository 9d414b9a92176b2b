/* Several processes on one store (any backend, through include/vos/store.h): two writers at
 * once lose nothing and keep the audit chain whole; a writer killed with SIGKILL in the middle
 * of its work leaves a consistent store that holds every write it acknowledged. */
#include "store_fixture.h"

#include "vos/error.h"
#include "vos/store.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WRITES_PER_WRITER 60 /* transactions of each concurrent writer */
#define CRASH_ROUNDS 3       /* kill -9 a writer this many times */
#define ACKS_BEFORE_KILL 20  /* acknowledged writes of a round before the kill */
#define CRASH_WRITES_MAX 100000

static storetest T;

static void setup(void)
{
    storetest_setup(&T);
}

static void teardown(void)
{
    storetest_teardown(&T);
}

/* One audited write, as the app layer does it.  Returns 0 or a VOS error code. */
static int audited_account(vos_store *st, const char *name)
{
    vos_account_row a = {.name = (char *)name, .size = VOS_ACCOUNT_SIZE_MID_MARKET};
    int rc = vos_store_begin(st);
    if (rc == 0) rc = vos_store_account_create(st, &a);
    if (rc == 0)
        rc = vos_store_audit_append(st, NULL, "writer", "account.create", VOS_ENTITY_ACCOUNT, a.id,
                                    NULL);
    if (rc == 0) return vos_store_commit(st);
    vos_store_rollback(st);
    return rc;
}

/* The body of a child process: never returns into the test runner. */
static void writer(const char *url, int who)
{
    vos_store *st = NULL;
    if (vos_store_open(&st, url) < 0) {
        fprintf(stderr, "writer %d: %s\n", who, vos_error_last());
        _exit(1);
    }
    for (int i = 0; i < WRITES_PER_WRITER; i++) {
        char name[64];
        snprintf(name, sizeof name, "writer-%d-%03d", who, i);
        if (audited_account(st, name) < 0) {
            fprintf(stderr, "writer %d at %d: %s\n", who, i, vos_error_last());
            _exit(1);
        }
    }
    vos_store_close(st);
    _exit(0);
}

static void verify_ok(vos_store *st, int64_t records)
{
    vos_audit_report rep;
    OK(vos_store_audit_verify(st, &rep));
    ck_assert_msg(rep.problem == VOS_AUDIT_OK, "verify: %s", rep.message);
    ck_assert_int_eq(rep.records, records);
}

static size_t count_accounts(vos_store *st)
{
    size_t total = 0, n = 0;
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    do {
        vos_account_row *rows = NULL;
        OK(vos_store_account_list(st, &rows, &n, &q));
        total += n;
        if (n) q.after_id = rows[n - 1].id;
        vos_account_rows_free(rows, n);
    } while (n == q.limit);
    return total;
}

START_TEST(two_processes_write_at_once)
{
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        ck_assert_int_ge(kids[k], 0);
        if (kids[k] == 0) writer(T.url, k);
    }
    for (int k = 0; k < 2; k++) {
        int status = 0;
        ck_assert_int_eq(waitpid(kids[k], &status, 0), kids[k]);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %d failed", k);
    }
    ck_assert_uint_eq(count_accounts(T.st), 2 * WRITES_PER_WRITER);
    vos_account_row *a = NULL;
    OK(vos_store_account_by_name(T.st, &a, "writer-1-059"));
    vos_account_row_free(a);
    verify_ok(T.st, 2 * WRITES_PER_WRITER);
}
END_TEST

/* Writes audited accounts "crash-<round>-<i>" until killed, acknowledging each commit on fd. */
static void crash_writer(const char *url, int round, int fd)
{
    vos_store *st = NULL;
    if (vos_store_open(&st, url) < 0) _exit(1);
    for (int i = 0; i < CRASH_WRITES_MAX; i++) {
        char name[64];
        snprintf(name, sizeof name, "crash-%d-%d", round, i);
        if (audited_account(st, name) < 0) _exit(2);
        if (write(fd, &i, sizeof i) != (ssize_t)sizeof i) _exit(3);
    }
    _exit(0);
}

/* Reads acknowledgements from number `from` on until `want` came (-1: until the writer's end
 * of the pipe closes); returns how many came. */
static int read_acks(int fd, int from, int want)
{
    int got = 0, i;
    while (want < 0 || got < want) {
        ssize_t n = read(fd, &i, sizeof i);
        if (n == 0) break;
        if (n < 0 && errno == EINTR) continue;
        ck_assert_int_eq(n, (ssize_t)sizeof i);
        ck_assert_int_eq(i, from + got); /* in order, none lost */
        got++;
    }
    return got;
}

START_TEST(kill_9_keeps_every_acknowledged_write)
{
    size_t before = 0;
    srand((unsigned)time(NULL));
    for (int round = 0; round < CRASH_ROUNDS; round++) {
        int fds[2];
        ck_assert_int_eq(pipe(fds), 0);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            close(fds[0]);
            crash_writer(T.url, round, fds[1]);
        }
        close(fds[1]);
        int acked = read_acks(fds[0], 0, ACKS_BEFORE_KILL);
        ck_assert_int_eq(acked, ACKS_BEFORE_KILL);
        struct timespec pause = {0, (long)(rand() % 3000) * 1000}; /* land anywhere in a write */
        nanosleep(&pause, NULL);
        ck_assert_int_eq(kill(pid, SIGKILL), 0);
        int status = 0;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        acked += read_acks(fds[0], acked, -1); /* the ones sent before the kill */
        close(fds[0]);

        vos_store *st = storetest_open(&T); /* recovery happens on open */
        for (int i = 0; i < acked; i++) {
            char name[64];
            snprintf(name, sizeof name, "crash-%d-%d", round, i);
            vos_account_row *a = NULL;
            OK(vos_store_account_by_name(st, &a, name));
            vos_account_row_free(a);
        }
        size_t now = count_accounts(st);
        /* the write in flight at the kill is either wholly there or wholly absent */
        ck_assert_uint_ge(now, before + (size_t)acked);
        ck_assert_uint_le(now, before + (size_t)acked + 1);
        verify_ok(st, (int64_t)now);
        before = now;
        vos_store_close(st);
    }
}
END_TEST

Suite *vos_test_store_process_suite(void)
{
    Suite *s = suite_create("store_process");
    TCase *tc = tcase_create("processes");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, two_processes_write_at_once);
    tcase_add_test(tc, kill_9_keeps_every_acknowledged_write);
    suite_add_tcase(s, tc);
    return s;
}
