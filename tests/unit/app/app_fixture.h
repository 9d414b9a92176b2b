/* A fresh application over a temporary SQLite store for each app test, the example models as
 * test data, and checks that a failed operation changed nothing. */
#ifndef VOS_TEST_APP_FIXTURE_H
#define VOS_TEST_APP_FIXTURE_H

#include "../store/store_fixture.h"

#include "vos/app.h"

#include <stddef.h>
#include <stdint.h>

#define SDA_PATH "models/service-desk-automation.yaml"
#define SDA_KEY "service-desk-automation"

typedef struct apptest {
    storetest s;     /* the temporary directory, its URL, and a raw store handle (t->s.st) */
    vos_app *app;    /* the application over the same database */
    vos_actor admin; /* vos_actor_system() */
} apptest;

/* Opens the app over a fresh database and sets up the organisation (USD). */
void apptest_setup(apptest *t);
void apptest_teardown(apptest *t);

/* The text of a file relative to the repository root (tests run from there); aborts the
 * test when it cannot be read.  Caller frees. */
char *apptest_read(const char *path);
/* A copy of `text` with every occurrence of `from` replaced by `to`; asserts that `from`
 * occurs at least once.  Caller frees. */
char *apptest_replace(const char *text, const char *from, const char *to);
/* Imports model text as the admin; asserts success.  Returns the version id. */
int64_t apptest_import(apptest *t, const char *text);
/* Imports and approves; returns the version id. */
int64_t apptest_import_approved(apptest *t, const char *text, const char *version);
/* The service desk model at `version` (1.2.0 is the file as it is). */
char *apptest_sda(const char *version);
/* Adds an account, returning its id. */
int64_t apptest_account(apptest *t, const char *name, int64_t owner_user_id);
/* Creates a case on SDA_KEY at `version` (NULL: latest approved) for `account`. */
int64_t apptest_case(apptest *t, const char *account, const char *name, const char *version);

/* The state a failed operation must leave alone: the number of audit records and the
 * snapshot of one entity (may be absent). */
typedef struct apptest_state {
    size_t audit_records;
    char head_hash[VOS_SHA256_HEX_SIZE];
    char *snapshot; /* NULL when the entity does not exist */
} apptest_state;

void apptest_capture(apptest *t, apptest_state *s, vos_entity e, int64_t id);
/* Asserts the state equals a capture taken before; frees the capture. */
void apptest_unchanged(apptest *t, apptest_state *before, vos_entity e, int64_t id);

/* Number of audit records, and the last one (caller frees with vos_audit_rows_free(r, 1)). */
size_t apptest_audit_count(apptest *t);
vos_audit_row *apptest_audit_last(apptest *t);
/* Asserts that audit record `seq` has that operation, entity type, id and actor. */
void apptest_audit_is(apptest *t, int64_t seq, const char *op, const char *entity, int64_t id,
                      const char *actor);
/* Asserts vos_app_audit_verify passes. */
void apptest_verify(apptest *t);

#endif
