/* A fresh store for each store test, from a URL template.
 *
 * VOS_TEST_STORE_URL selects the backend under test.  In it, "{dir}" is replaced by a new
 * temporary directory, removed afterwards, and "{db}" by a new database name
 * (vos_t_<pid>_<n>).  For a PostgreSQL URL (postgres:// or postgresql://) with "{db}" the
 * fixture creates that database first, through the server's maintenance database
 * "postgres" with the URL's user and host, and drops it (WITH (FORCE)) at teardown; a failed
 * test ends without its teardown, so each setup also drops the vos_t_ databases whose process
 * is gone.  E.g.
 *
 *     VOS_TEST_STORE_URL='postgres://postgres@127.0.0.1:5432/{db}' build/san/vos-test store
 *
 * (scripts/pg-cluster.sh starts a throwaway server).  The default is "sqlite:{dir}/vos.db",
 * so the suites written against include/vos/store.h run unchanged on another backend by
 * setting the variable.  The app suites (tests/unit/app/app_fixture.h) go through the same
 * setup. */
#ifndef VOS_TEST_STORE_FIXTURE_H
#define VOS_TEST_STORE_FIXTURE_H

#include "vos/store.h"

#include <limits.h>
#include <stdbool.h>

#define STORETEST_URL_DEFAULT "sqlite:{dir}/vos.db"

/* Asserts that expr returns 0. */
#define OK(expr)                                                                                   \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        ck_assert_msg(rc_ == 0, "%s: %s (%s)", #expr, vos_error_last(), vos_error_name(rc_));      \
    } while (0)
/* Asserts that expr fails with `code` and a message holding `text`. */
#define FAILS(expr, code, text)                                                                    \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        ck_assert_msg(rc_ == (code), "%s returned %d (%s), not %d", #expr, rc_, vos_error_last(),  \
                      (code));                                                                     \
        ck_assert_msg(strstr(vos_error_last(), (text)) != NULL, "message '%s' lacks '%s'",         \
                      vos_error_last(), (text));                                                   \
    } while (0)

#define STORETEST_DB_MAX 64 /* bytes of a database name made for "{db}", with its NUL */

typedef struct storetest {
    char dir[PATH_MAX];
    char db[STORETEST_DB_MAX]; /* the name put for "{db}" ("" when the URL has none) */
    bool made_db;              /* the fixture created database `db` (PostgreSQL) */
    char url[VOS_STORE_URL_MAX + 1];
    vos_store *st;
} storetest;

/* Makes the directory and the URL, and opens t->st (aborting the test on failure). */
void storetest_setup(storetest *t);
/* The same with a URL template of the caller's (for backend-specific suites). */
void storetest_setup_url(storetest *t, const char *tmpl);
/* Closes t->st (when open), drops the database made for "{db}" and removes the directory and
 * its files. */
void storetest_teardown(storetest *t);
/* Opens another handle on the same store (for the second writer of a test). */
vos_store *storetest_open(const storetest *t);
/* Whether the store under test is a SQLite file (t->dir/vos.db for the default template):
 * tests of what only SQLite has (backups to a file, the file itself) return early when not. */
bool storetest_is_sqlite(const storetest *t);

/* Shorthands that create a row in their own transaction and return its id (aborting the test
 * on failure).  With `audit`, each also appends its audit record as the app layer would. */
int64_t storetest_account(vos_store *st, const char *name, int audit);
int64_t storetest_model(vos_store *st, const char *key);
int64_t storetest_version(vos_store *st, int64_t model_id, const char *version);
int64_t storetest_case(vos_store *st, int64_t account_id, int64_t version_id, const char *name);

/* The hash of an audit record as docs/internals/store.md defines it, written from that text
 * rather than from src/store/audit.c. */
void storetest_audit_hash(const vos_audit_row *r, char out[VOS_SHA256_HEX_SIZE]);

#endif
