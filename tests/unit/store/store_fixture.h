/* A fresh store for each store test, from a URL template.
 *
 * VOS_TEST_STORE_URL selects the backend under test; "{dir}" in it is replaced by a new
 * temporary directory, removed afterwards.  The default is "sqlite:{dir}/vos.db", so the
 * suites written against include/vos/store.h run unchanged on another backend by setting
 * the variable. */
#ifndef VOS_TEST_STORE_FIXTURE_H
#define VOS_TEST_STORE_FIXTURE_H

#include "vos/store.h"

#include <limits.h>

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

typedef struct storetest {
    char dir[PATH_MAX];
    char url[VOS_STORE_URL_MAX + 1];
    vos_store *st;
} storetest;

/* Makes the directory and the URL, and opens t->st (aborting the test on failure). */
void storetest_setup(storetest *t);
/* The same with a URL template of the caller's (for backend-specific suites). */
void storetest_setup_url(storetest *t, const char *tmpl);
/* Closes t->st (when open) and removes the directory and its files. */
void storetest_teardown(storetest *t);
/* Opens another handle on the same store (for the second writer of a test). */
vos_store *storetest_open(const storetest *t);

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
