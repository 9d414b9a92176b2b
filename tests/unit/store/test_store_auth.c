/* The store's records of sign-in: API tokens (an audited entity), password hashes, sessions
 * and idempotency keys (records that are not entities, never audited).  Written against
 * include/vos/store.h only, so every backend runs it (VOS_TEST_STORE_URL). */
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

/* 64 hex digits made of one repeated digit: a stand-in for a SHA-256. */
static const char *digest(char d)
{
    static char buf[4][VOS_SHA256_HEX_SIZE];
    static int next;
    char *out = buf[next++ % 4];
    memset(out, d, VOS_SHA256_HEX_SIZE - 1);
    out[VOS_SHA256_HEX_SIZE - 1] = '\0';
    return out;
}

static int64_t add_user(const char *email, int audit)
{
    vos_user_row u = {
        .email = (char *)email, .name = "Ana", .role = VOS_ROLE_SELLER, .active = true};
    OK(vos_store_begin(T.st));
    OK(vos_store_user_create(T.st, &u));
    if (audit)
        OK(vos_store_audit_append(T.st, NULL, "tester", "user.add", VOS_ENTITY_USER, u.id, NULL));
    OK(vos_store_commit(T.st));
    return u.id;
}

/* Creates a token (with its audit record when `audit`); returns its id. */
static int64_t add_token(int64_t user, const char *name, char d, int audit)
{
    vos_api_token_row t = {.user_id = user, .name = (char *)name, .prefix = "vos_abcd"};
    memcpy(t.secret_sha256, digest(d), VOS_SHA256_HEX_SIZE);
    OK(vos_store_begin(T.st));
    OK(vos_store_api_token_create(T.st, &t));
    if (audit)
        OK(vos_store_audit_append(T.st, NULL, "tester", "token.create", VOS_ENTITY_API_TOKEN, t.id,
                                  NULL));
    OK(vos_store_commit(T.st));
    ck_assert_int_eq(t.revision, 1);
    return t.id;
}

/* ---- API tokens ----------------------------------------------------------------------------- */

START_TEST(tokens_create_get_update_and_find_by_secret)
{
    int64_t user = add_user("ana@vendor.example", 0);
    int64_t id = add_token(user, "ci", 'a', 0);
    vos_api_token_row *t = NULL;
    OK(vos_store_api_token_get(T.st, &t, id));
    ck_assert_int_eq(t->user_id, user);
    ck_assert_str_eq(t->name, "ci");
    ck_assert_str_eq(t->prefix, "vos_abcd");
    ck_assert_str_eq(t->secret_sha256, digest('a'));
    ck_assert_ptr_null(t->revoked_at);

    vos_api_token_row *found = NULL;
    OK(vos_store_api_token_by_secret(T.st, &found, digest('a')));
    ck_assert_int_eq(found->id, id);
    vos_api_token_row_free(found);
    found = (vos_api_token_row *)&T;
    FAILS(vos_store_api_token_by_secret(T.st, &found, digest('b')), VOS_ENOTFOUND,
          "no API token has that secret");
    ck_assert_ptr_null(found);
    char upper[VOS_SHA256_HEX_SIZE] = "ABC";
    FAILS(vos_store_api_token_by_secret(T.st, &found, upper), VOS_EINVALID, "64 lower-case hex");

    /* revoking is an update; the fixed fields (user, prefix, secret) are not written */
    char prefix[] = "changed!";
    char *old_prefix = t->prefix;
    t->prefix = prefix;
    t->revoked_at = strdup("2026-03-01T10:00:00.000Z");
    OK(vos_store_begin(T.st));
    OK(vos_store_api_token_update(T.st, t));
    OK(vos_store_commit(T.st));
    t->prefix = old_prefix;
    ck_assert_int_eq(t->revision, 2);
    vos_api_token_row *again = NULL;
    OK(vos_store_api_token_get(T.st, &again, id));
    ck_assert_str_eq(again->prefix, "vos_abcd");
    ck_assert_str_eq(again->revoked_at, "2026-03-01T10:00:00.000Z");

    /* a revocation is final */
    free(again->revoked_at);
    again->revoked_at = NULL;
    OK(vos_store_begin(T.st));
    FAILS(vos_store_api_token_update(T.st, again), VOS_ECONFLICT, "a revocation is final");
    OK(vos_store_rollback(T.st));
    vos_api_token_row_free(again);

    /* a stale revision is VOS_ESTALE, a missing token VOS_ENOTFOUND */
    t->revision = 1;
    OK(vos_store_begin(T.st));
    FAILS(vos_store_api_token_update(T.st, t), VOS_ESTALE,
          "api_token 1 was changed by someone else (revision 2, not 1)");
    t->id = 99;
    FAILS(vos_store_api_token_update(T.st, t), VOS_ENOTFOUND, "api_token 99 not found");
    OK(vos_store_rollback(T.st));
    vos_api_token_row_free(t);
    ck_assert_str_eq(vos_error_name(VOS_ESTALE), "stale");
    ck_assert_str_eq(vos_error_name(VOS_EAUTH), "not signed in");
}
END_TEST

START_TEST(token_names_and_secrets_are_unique)
{
    int64_t ana = add_user("ana@vendor.example", 0);
    int64_t bo = add_user("bo@vendor.example", 0);
    int64_t first = add_token(ana, "ci", 'a', 0);
    add_token(bo, "ci", 'b', 0); /* the same name for another user */

    vos_api_token_row dup = {.user_id = ana, .name = "ci", .prefix = "vos_x"};
    memcpy(dup.secret_sha256, digest('c'), VOS_SHA256_HEX_SIZE);
    OK(vos_store_begin(T.st));
    FAILS(vos_store_api_token_create(T.st, &dup), VOS_ECONFLICT,
          "api_token with user_id 1 and name 'ci' is already the name of one of the user's "
          "tokens");
    dup.name = "deploy";
    memcpy(dup.secret_sha256, digest('a'), VOS_SHA256_HEX_SIZE);
    FAILS(vos_store_api_token_create(T.st, &dup), VOS_ECONFLICT, "already exists");
    memcpy(dup.secret_sha256, "not a digest", sizeof "not a digest");
    FAILS(vos_store_api_token_create(T.st, &dup), VOS_EINVALID,
          "api_token secret_sha256 must be 64 lower-case hex digits");
    memcpy(dup.secret_sha256, digest('c'), VOS_SHA256_HEX_SIZE);
    dup.user_id = 42;
    FAILS(vos_store_api_token_create(T.st, &dup), VOS_EINVALID,
          "api_token user_id 42 does not exist (no such user)");
    dup.user_id = ana;
    dup.name = "";
    FAILS(vos_store_api_token_create(T.st, &dup), VOS_EINVALID, "api_token name is required");
    OK(vos_store_rollback(T.st));

    /* once the first "ci" is revoked, its name is free again */
    vos_api_token_row *t = NULL;
    OK(vos_store_api_token_get(T.st, &t, first));
    t->revoked_at = strdup("2026-03-01T10:00:00.000Z");
    dup.name = "ci";
    OK(vos_store_begin(T.st));
    OK(vos_store_api_token_update(T.st, t));
    OK(vos_store_api_token_create(T.st, &dup));
    OK(vos_store_commit(T.st));
    vos_api_token_row_free(t);

    /* tokens of one user that are not revoked */
    vos_store_query q = {.n_where = 2};
    q.where[0] = (vos_store_filter){.field = "user_id", .i = ana};
    q.where[1] = (vos_store_filter){.field = "revoked_at", .s = NULL};
    vos_api_token_row *rows = NULL;
    size_t n = 0;
    OK(vos_store_api_token_list(T.st, &rows, &n, &q));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(rows[0].id, dup.id);
    vos_api_token_rows_free(rows, n);

    /* a user with tokens cannot be deleted (deactivate instead) */
    OK(vos_store_begin(T.st));
    FAILS(vos_store_user_delete(T.st, ana, 1), VOS_ECONFLICT,
          "user 1 is still referred to by api_token");
    OK(vos_store_rollback(T.st));
}
END_TEST

START_TEST(token_snapshot_and_tamper_detection)
{
    int64_t user = add_user("ana@vendor.example", 1);
    int64_t id = add_token(user, "ci", 'a', 1);
    vos_entity e;
    OK(vos_entity_parse(&e, "api_token"));
    ck_assert_int_eq(e, VOS_ENTITY_API_TOKEN);
    ck_assert_str_eq(vos_entity_name(VOS_ENTITY_API_TOKEN), "api_token");

    vos_api_token_row *t = NULL;
    OK(vos_store_api_token_get(T.st, &t, id));
    char *json = NULL, want[1024];
    OK(vos_store_snapshot(T.st, &json, VOS_ENTITY_API_TOKEN, id));
    snprintf(want, sizeof want,
             "{\"id\":%lld,\"revision\":1,\"created_at\":\"%s\",\"updated_at\":\"%s\","
             "\"user_id\":%lld,\"name\":\"ci\",\"prefix\":\"vos_abcd\",\"secret_sha256\":\"%s\","
             "\"revoked_at\":null}",
             (long long)id, t->created_at, t->updated_at, (long long)user, digest('a'));
    ck_assert_str_eq(json, want);
    free(json);

    vos_audit_report r;
    OK(vos_store_audit_verify(T.st, &r));
    ck_assert_msg(r.problem == VOS_AUDIT_OK, "%s", r.message);

    /* a password, a session and an idempotency key are not entities: no audit record needed */
    vos_idempotency_row k = {
        .scope = "ana@vendor.example", .key = "k1", .method = "POST", .path = "/api/v1/accounts"};
    memcpy(k.request_sha256, digest('e'), VOS_SHA256_HEX_SIZE);
    OK(vos_store_begin(T.st));
    OK(vos_store_password_set(T.st, user, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"));
    OK(vos_store_session_create(T.st, digest('d'), user, "2099-01-01T00:00:00.000Z"));
    OK(vos_store_idempotency_reserve(T.st, &k));
    OK(vos_store_commit(T.st));
    OK(vos_store_audit_verify(T.st, &r));
    ck_assert_msg(r.problem == VOS_AUDIT_OK, "%s", r.message);

    /* a token changed without its audit record (as a direct database edit would) is found */
    t->revoked_at = strdup("2026-03-01T10:00:00.000Z");
    OK(vos_store_begin(T.st));
    OK(vos_store_api_token_update(T.st, t));
    OK(vos_store_commit(T.st));
    OK(vos_store_audit_verify(T.st, &r));
    ck_assert_int_eq(r.problem, VOS_AUDIT_STATE);
    ck_assert_str_eq(r.entity_type, "api_token");
    ck_assert_int_eq(r.entity_id, id);
    ck_assert_msg(strstr(r.message, "api_token 1 differs from its last audit record") != NULL, "%s",
                  r.message);
    vos_api_token_row_free(t);
}
END_TEST

START_TEST(token_without_audit_record_is_found)
{
    int64_t user = add_user("ana@vendor.example", 1);
    int64_t id = add_token(user, "ci", 'a', 0);
    vos_audit_report r;
    OK(vos_store_audit_verify(T.st, &r));
    ck_assert_int_eq(r.problem, VOS_AUDIT_STATE);
    ck_assert_str_eq(r.entity_type, "api_token");
    ck_assert_int_eq(r.entity_id, id);
    ck_assert_msg(strstr(r.message, "has no audit record") != NULL, "%s", r.message);
}
END_TEST

/* ---- the organisation's added field -----------------------------------------------------------
 */

START_TEST(customer_measurements_is_left_out_of_snapshots_while_false)
{
    vos_organisation_row o = {.name = "Vendor Inc",
                              .currency = "USD",
                              .fiscal_year_start = 1,
                              .default_tolerance = 0.1,
                              .stale_after_days = 30};
    OK(vos_store_begin(T.st));
    OK(vos_store_organisation_create(T.st, &o));
    OK(vos_store_audit_append(T.st, NULL, "system", "organisation.init", VOS_ENTITY_ORGANISATION, 1,
                              NULL));
    OK(vos_store_commit(T.st));
    /* exactly the snapshot of a database made before the field existed (schema version 1), so
     * its audit records still verify after the upgrade */
    char *json = NULL, want[1024];
    OK(vos_store_snapshot(T.st, &json, VOS_ENTITY_ORGANISATION, 1));
    snprintf(want, sizeof want,
             "{\"id\":1,\"revision\":1,\"created_at\":\"%s\",\"updated_at\":\"%s\","
             "\"name\":\"Vendor Inc\",\"currency\":\"USD\",\"fiscal_year_start\":1,"
             "\"default_tolerance\":0.1,\"stale_after_days\":30}",
             o.created_at, o.updated_at);
    ck_assert_str_eq(json, want);
    free(json);

    char *before = NULL;
    OK(vos_store_snapshot(T.st, &before, VOS_ENTITY_ORGANISATION, 1));
    o.customer_measurements = true;
    OK(vos_store_begin(T.st));
    OK(vos_store_organisation_update(T.st, &o));
    OK(vos_store_audit_append(T.st, NULL, "system", "organisation.update", VOS_ENTITY_ORGANISATION,
                              1, before));
    OK(vos_store_commit(T.st));
    free(before);
    vos_organisation_row *got = NULL;
    OK(vos_store_organisation_get(T.st, &got, 1));
    ck_assert(got->customer_measurements);
    vos_organisation_row_free(got);
    OK(vos_store_snapshot(T.st, &json, VOS_ENTITY_ORGANISATION, 1));
    ck_assert_msg(strstr(json, ",\"stale_after_days\":30,\"customer_measurements\":true}") != NULL,
                  "%s", json);
    free(json);
    vos_audit_report r;
    OK(vos_store_audit_verify(T.st, &r));
    ck_assert_msg(r.problem == VOS_AUDIT_OK, "%s", r.message);
}
END_TEST

/* ---- passwords ------------------------------------------------------------------------------ */

START_TEST(passwords_set_get_and_clear)
{
    int64_t user = add_user("ana@vendor.example", 0);
    char *hash = (char *)&T;
    FAILS(vos_store_password_get(T.st, user, &hash), VOS_ENOTFOUND, "user 1 has no password");
    ck_assert_ptr_null(hash);
    FAILS(vos_store_password_set(T.st, user, "$argon2id$x"), VOS_ERROR, "outside a transaction");

    OK(vos_store_begin(T.st));
    OK(vos_store_password_set(T.st, user, "$argon2id$first"));
    OK(vos_store_password_set(T.st, user, "$argon2id$second")); /* replaces */
    FAILS(vos_store_password_set(T.st, 77, "$argon2id$x"), VOS_EINVALID, "user 77 does not exist");
    FAILS(vos_store_password_set(T.st, user, ""), VOS_EINVALID, "visible ASCII");
    FAILS(vos_store_password_set(T.st, user, "with space"), VOS_EINVALID, "visible ASCII");
    char longer[VOS_PASSWORD_HASH_MAX + 2];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    FAILS(vos_store_password_set(T.st, user, longer), VOS_EINVALID, "1 to 128 characters");
    OK(vos_store_commit(T.st));
    OK(vos_store_password_get(T.st, user, &hash));
    ck_assert_str_eq(hash, "$argon2id$second");
    free(hash);

    OK(vos_store_begin(T.st));
    OK(vos_store_password_set(T.st, user, NULL));
    OK(vos_store_commit(T.st));
    FAILS(vos_store_password_get(T.st, user, &hash), VOS_ENOTFOUND, "no password");

    /* a password and the sessions of a user go with it */
    OK(vos_store_begin(T.st));
    OK(vos_store_password_set(T.st, user, "$argon2id$third"));
    OK(vos_store_session_create(T.st, digest('1'), user, "2099-01-01T00:00:00.000Z"));
    OK(vos_store_user_delete(T.st, user, 1));
    OK(vos_store_commit(T.st));
    int64_t uid = 0;
    char exp[VOS_STAMP_SIZE];
    FAILS(vos_store_password_get(T.st, user, &hash), VOS_ENOTFOUND, "no password");
    FAILS(vos_store_session_find(T.st, digest('1'), "2026-01-01T00:00:00.000Z", &uid, exp),
          VOS_ENOTFOUND, "no such session");
}
END_TEST

/* ---- sessions ------------------------------------------------------------------------------- */

START_TEST(sessions_create_find_expire_delete_and_purge)
{
    int64_t ana = add_user("ana@vendor.example", 0);
    int64_t bo = add_user("bo@vendor.example", 0);
    OK(vos_store_begin(T.st));
    OK(vos_store_session_create(T.st, digest('1'), ana, "2026-06-01T12:00:00.000Z"));
    OK(vos_store_session_create(T.st, digest('2'), ana, "2026-07-01T12:00:00.000Z"));
    OK(vos_store_session_create(T.st, digest('3'), bo, "2026-07-01T12:00:00.000Z"));
    OK(vos_store_session_create(T.st, digest('4'), bo, "2026-05-01T12:00:00.000Z"));
    FAILS(vos_store_session_create(T.st, digest('1'), bo, "2026-07-01T12:00:00.000Z"),
          VOS_ECONFLICT, "session already exists");
    FAILS(vos_store_session_create(T.st, digest('5'), 99, "2026-07-01T12:00:00.000Z"), VOS_EINVALID,
          "user 99 does not exist");
    char shorter[VOS_SHA256_HEX_SIZE] = "abc";
    FAILS(vos_store_session_create(T.st, shorter, ana, "2026-07-01T12:00:00.000Z"), VOS_EINVALID,
          "64 lower-case hex");
    FAILS(vos_store_session_create(T.st, digest('5'), ana, "tomorrow"), VOS_EINVALID,
          "session expires_at 'tomorrow' is not a UTC time");
    OK(vos_store_commit(T.st));

    int64_t uid = 0;
    char exp[VOS_STAMP_SIZE];
    OK(vos_store_session_find(T.st, digest('1'), "2026-06-01T11:59:59.999Z", &uid, exp));
    ck_assert_int_eq(uid, ana);
    ck_assert_str_eq(exp, "2026-06-01T12:00:00.000Z");
    /* expired at the instant it expires */
    FAILS(vos_store_session_find(T.st, digest('1'), "2026-06-01T12:00:00.000Z", &uid, exp),
          VOS_ENOTFOUND, "no such session (or it has expired)");
    ck_assert_int_eq(uid, 0);
    FAILS(vos_store_session_find(T.st, digest('9'), "2026-01-01T00:00:00.000Z", &uid, exp),
          VOS_ENOTFOUND, "no such session");

    /* delete one; deleting an unknown one is not an error */
    OK(vos_store_begin(T.st));
    OK(vos_store_session_delete(T.st, digest('2')));
    OK(vos_store_session_delete(T.st, digest('2')));
    OK(vos_store_commit(T.st));
    FAILS(vos_store_session_find(T.st, digest('2'), "2026-01-01T00:00:00.000Z", &uid, exp),
          VOS_ENOTFOUND, "no such session");

    /* purge at 2026-06-15: the expired ones (1, 4) go, bo's current one stays */
    OK(vos_store_begin(T.st));
    OK(vos_store_session_purge(T.st, 0, "2026-06-15T00:00:00.000Z"));
    OK(vos_store_commit(T.st));
    const char *early = "2026-01-01T00:00:00.000Z";
    FAILS(vos_store_session_find(T.st, digest('1'), early, &uid, exp), VOS_ENOTFOUND, "session");
    FAILS(vos_store_session_find(T.st, digest('4'), early, &uid, exp), VOS_ENOTFOUND, "session");
    OK(vos_store_session_find(T.st, digest('3'), early, &uid, exp));
    ck_assert_int_eq(uid, bo);
    /* purge with a user: all of that user's go */
    OK(vos_store_begin(T.st));
    OK(vos_store_session_create(T.st, digest('6'), ana, "2026-07-01T12:00:00.000Z"));
    OK(vos_store_session_purge(T.st, bo, early));
    OK(vos_store_commit(T.st));
    FAILS(vos_store_session_find(T.st, digest('3'), early, &uid, exp), VOS_ENOTFOUND, "session");
    OK(vos_store_session_find(T.st, digest('6'), early, &uid, exp));
    ck_assert_int_eq(uid, ana);
}
END_TEST

/* ---- idempotency keys ----------------------------------------------------------------------- */

static vos_idempotency_row key_row(const char *scope, const char *key)
{
    vos_idempotency_row k = {
        .scope = (char *)scope, .key = (char *)key, .method = "POST", .path = "/api/v1/accounts"};
    memcpy(k.request_sha256, digest('e'), VOS_SHA256_HEX_SIZE);
    return k;
}

START_TEST(idempotency_keys_reserve_finish_delete_and_purge)
{
    vos_idempotency_row k = key_row("ana@vendor.example", "4f1c-7a");
    char before_reserve[VOS_STAMP_SIZE];
    vos_store_now(before_reserve);
    OK(vos_store_begin(T.st));
    OK(vos_store_idempotency_reserve(T.st, &k));
    FAILS(vos_store_idempotency_reserve(T.st, &k), VOS_ECONFLICT,
          "idempotency key '4f1c-7a' is already in use");
    vos_idempotency_row other = key_row("bo@vendor.example", "4f1c-7a"); /* another scope */
    OK(vos_store_idempotency_reserve(T.st, &other));
    OK(vos_store_commit(T.st));

    vos_idempotency_row *got = NULL;
    OK(vos_store_idempotency_get(T.st, &got, "ana@vendor.example", "4f1c-7a"));
    ck_assert_int_eq(got->status, 0);
    ck_assert_str_eq(got->method, "POST");
    ck_assert_str_eq(got->path, "/api/v1/accounts");
    ck_assert_str_eq(got->request_sha256, digest('e'));
    ck_assert_ptr_null(got->content_type);
    ck_assert_ptr_null(got->body);
    ck_assert_str_ge(got->created_at, before_reserve);
    vos_idempotency_row_free(got);
    got = (vos_idempotency_row *)&T;
    FAILS(vos_store_idempotency_get(T.st, &got, "ana@vendor.example", "nope"), VOS_ENOTFOUND,
          "idempotency key 'nope' does not exist");
    ck_assert_ptr_null(got);

    OK(vos_store_begin(T.st));
    FAILS(vos_store_idempotency_finish(T.st, "ana@vendor.example", "4f1c-7a", 99, NULL, "{}"),
          VOS_EINVALID, "not an HTTP status");
    OK(vos_store_idempotency_finish(T.st, "ana@vendor.example", "4f1c-7a", 201, "application/json",
                                    "{\"id\":7}"));
    FAILS(vos_store_idempotency_finish(T.st, "ana@vendor.example", "4f1c-7a", 201,
                                       "application/json", "{\"id\":8}"),
          VOS_ENOTFOUND, "is not reserved");
    FAILS(vos_store_idempotency_finish(T.st, "ana@vendor.example", "nope", 201, NULL, ""),
          VOS_ENOTFOUND, "is not reserved");
    OK(vos_store_commit(T.st));
    OK(vos_store_idempotency_get(T.st, &got, "ana@vendor.example", "4f1c-7a"));
    ck_assert_int_eq(got->status, 201);
    ck_assert_str_eq(got->content_type, "application/json");
    ck_assert_str_eq(got->body, "{\"id\":7}");
    vos_idempotency_row_free(got);

    /* keys are checked */
    OK(vos_store_begin(T.st));
    vos_idempotency_row bad = key_row("ana@vendor.example", "has space");
    FAILS(vos_store_idempotency_reserve(T.st, &bad), VOS_EINVALID, "visible ASCII");
    char longer[VOS_IDEMPOTENCY_KEY_MAX + 2];
    memset(longer, 'k', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    bad.key = longer;
    FAILS(vos_store_idempotency_reserve(T.st, &bad), VOS_EINVALID, "1 to 128 characters");
    bad.key = "fine";
    bad.method = "post";
    FAILS(vos_store_idempotency_reserve(T.st, &bad), VOS_EINVALID, "capital letters");
    bad.method = "POST";
    bad.request_sha256[0] = 'X';
    FAILS(vos_store_idempotency_reserve(T.st, &bad), VOS_EINVALID, "request_sha256");

    /* delete, then purge what was created before a time */
    OK(vos_store_idempotency_delete(T.st, "bo@vendor.example", "4f1c-7a"));
    FAILS(vos_store_idempotency_delete(T.st, "bo@vendor.example", "4f1c-7a"), VOS_ENOTFOUND,
          "does not exist");
    OK(vos_store_idempotency_purge(T.st, "2000-01-01T00:00:00.000Z")); /* nothing that old */
    OK(vos_store_commit(T.st));
    OK(vos_store_idempotency_get(T.st, &got, "ana@vendor.example", "4f1c-7a"));
    vos_idempotency_row_free(got);
    OK(vos_store_begin(T.st));
    OK(vos_store_idempotency_purge(T.st, "2999-01-01T00:00:00.000Z"));
    FAILS(vos_store_idempotency_purge(T.st, "yesterday"), VOS_EINVALID, "not a UTC stamp");
    OK(vos_store_commit(T.st));
    FAILS(vos_store_idempotency_get(T.st, &got, "ana@vendor.example", "4f1c-7a"), VOS_ENOTFOUND,
          "does not exist");
    vos_idempotency_row_free(NULL);
}
END_TEST

Suite *vos_test_store_auth_suite(void)
{
    Suite *s = suite_create("store_auth");
    TCase *tc = tcase_create("records");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, tokens_create_get_update_and_find_by_secret);
    tcase_add_test(tc, token_names_and_secrets_are_unique);
    tcase_add_test(tc, token_snapshot_and_tamper_detection);
    tcase_add_test(tc, token_without_audit_record_is_found);
    tcase_add_test(tc, customer_measurements_is_left_out_of_snapshots_while_false);
    tcase_add_test(tc, passwords_set_get_and_clear);
    tcase_add_test(tc, sessions_create_find_expire_delete_and_purge);
    tcase_add_test(tc, idempotency_keys_reserve_finish_delete_and_purge);
    suite_add_tcase(s, tc);
    return s;
}
