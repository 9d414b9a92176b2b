/* The app layer's users, sign-in, sessions, API tokens and idempotent writes.
 *
 * argon2id costs about 0.1 s per hash or verification, so each test hashes only a few times.
 * Secrets and CSRF tokens are checked against this file's own SHA-256 use and its own
 * base64url encoder (RFC 4648 section 5, no padding), written from the RFC rather than taken
 * from libsodium's encoder; the encoder itself is checked on the RFC's test vectors. */
#include "app_fixture.h"

#include "vos/error.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PASSWORD "correct horse battery staple"

static apptest T;

static void setup(void)
{
    apptest_setup(&T);
}

static void teardown(void)
{
    apptest_teardown(&T);
}

static vos_actor actor(const char *name, vos_role role, int64_t user_id, int64_t account_id)
{
    return (vos_actor){.name = name, .user_id = user_id, .role = role, .account_id = account_id};
}

static int64_t add_user(const char *email, vos_role role, int64_t account_id, bool active)
{
    vos_user_row u = {.email = (char *)email,
                      .name = "Someone",
                      .role = role,
                      .account_id = account_id,
                      .active = active};
    OK(vos_app_user_add(T.app, &T.admin, &u));
    return u.id;
}

/* RFC 4648 base64url without padding. */
static void b64url(char *out, const unsigned char *in, size_t n)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < n) v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < n) v |= in[i + 2];
        size_t chars = n - i >= 3 ? 4 : n - i + 1;
        for (size_t k = 0; k < chars; k++)
            out[o++] = abc[(v >> (18 - 6 * k)) & 63];
    }
    out[o] = '\0';
}

static void sha256_hex(char out[VOS_SHA256_HEX_SIZE], const char *s)
{
    unsigned char h[32];
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(out, VOS_SHA256_HEX_SIZE, h, 32);
}

/* Seconds since 1970 of a stamp "YYYY-MM-DDTHH:MM:SS.mmmZ" (days from H. Hinnant's
 * days_from_civil). */
static long long epoch_s(const char *stamp)
{
    int y, m, d, hh, mm, ss;
    ck_assert_int_eq(sscanf(stamp, "%d-%d-%dT%d:%d:%d", &y, &m, &d, &hh, &mm, &ss), 6);
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long long days = era * 146097 + doe - 719468;
    return days * 86400 + hh * 3600 + mm * 60 + ss;
}

static bool is_b64url(const char *s, size_t n)
{
    if (strlen(s) != n) return false;
    for (; *s; s++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *s))
            return false;
    return true;
}

START_TEST(base64url_matches_rfc4648)
{
    /* RFC 4648 section 10: BASE64("foob") = "Zm9vYg==", BASE64("fooba") = "Zm9vYmE=" */
    char out[16];
    b64url(out, (const unsigned char *)"foob", 4);
    ck_assert_str_eq(out, "Zm9vYg");
    b64url(out, (const unsigned char *)"fooba", 5);
    ck_assert_str_eq(out, "Zm9vYmE");
    b64url(out, (const unsigned char *)"foobar", 6);
    ck_assert_str_eq(out, "Zm9vYmFy");
    const unsigned char url[] = {0xfb, 0xff}; /* "+/8=" in base64, "-_8" in base64url */
    b64url(out, url, 2);
    ck_assert_str_eq(out, "-_8");
}
END_TEST

/* ---- sign-in -------------------------------------------------------------------------------- */

START_TEST(login_failures_all_look_the_same)
{
    int64_t ana = add_user("ana@vendor.example", VOS_ROLE_SELLER, 0, true);
    add_user("bo@vendor.example", VOS_ROLE_SELLER, 0, true); /* no password */
    int64_t cy = add_user("cy@vendor.example", VOS_ROLE_CSM, 0, false);
    OK(vos_app_user_set_password(T.app, &T.admin, ana, PASSWORD));
    OK(vos_app_user_set_password(T.app, &T.admin, cy, PASSWORD));
    vos_session_out s;
    const char *msg = "wrong email or password";
    FAILS(vos_app_login(T.app, "ana@vendor.example", "wrong password!", &s), VOS_EAUTH, msg);
    ck_assert_str_eq(vos_error_last(), msg);
    FAILS(vos_app_login(T.app, "nobody@vendor.example", PASSWORD, &s), VOS_EAUTH, msg);
    ck_assert_str_eq(vos_error_last(), msg);
    FAILS(vos_app_login(T.app, "bo@vendor.example", PASSWORD, &s), VOS_EAUTH, msg);
    ck_assert_str_eq(vos_error_last(), msg);
    FAILS(vos_app_login(T.app, "cy@vendor.example", PASSWORD, &s), VOS_EAUTH, msg); /* inactive */
    ck_assert_str_eq(vos_error_last(), msg);
    FAILS(vos_app_login(T.app, "", PASSWORD, &s), VOS_EAUTH, msg);
    FAILS(vos_app_login(T.app, "ana@vendor.example", NULL, &s), VOS_EAUTH, msg);
    char huge[VOS_PASSWORD_MAX + 2];
    memset(huge, 'p', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    FAILS(vos_app_login(T.app, "ana@vendor.example", huge, &s), VOS_EAUTH, msg);
    ck_assert_str_eq(s.secret, "");

    /* the email is compared without case */
    OK(vos_app_login(T.app, "ANA@Vendor.Example", PASSWORD, &s));
    ck_assert_str_eq(s.who.email, "ana@vendor.example");
    ck_assert_ptr_eq(s.who.actor.name, s.who.email);
    ck_assert_int_eq(s.who.actor.user_id, ana);
    ck_assert_int_eq(s.who.actor.role, VOS_ROLE_SELLER);
    ck_assert_int_eq(s.who.token_id, 0);
}
END_TEST

START_TEST(sessions_resolve_expire_and_end)
{
    int64_t acct = apptest_account(&T, "Northwind", 0);
    int64_t ana = add_user("ana@northwind.example", VOS_ROLE_CUSTOMER, acct, true);
    OK(vos_app_user_set_password(T.app, &T.admin, ana, PASSWORD));
    char before_login[VOS_STAMP_SIZE];
    vos_store_now(before_login);

    /* an expired session of hers, left over: sign-in purges it */
    char old[VOS_SHA256_HEX_SIZE];
    sha256_hex(old, "an old session secret");
    OK(vos_store_begin(T.s.st));
    OK(vos_store_session_create(T.s.st, old, ana, "2020-01-01T00:00:00.000Z"));
    OK(vos_store_commit(T.s.st));

    vos_session_out s;
    OK(vos_app_login(T.app, "ana@northwind.example", PASSWORD, &s));
    ck_assert_msg(is_b64url(s.secret, 43), "secret '%s'", s.secret);
    ck_assert_msg(is_b64url(s.csrf, 43), "csrf '%s'", s.csrf);
    ck_assert_int_eq(s.who.actor.account_id, acct);
    ck_assert_int_eq(s.who.actor.role, VOS_ROLE_CUSTOMER);
    ck_assert_str_gt(s.expires_at, before_login);

    /* CSRF = base64url(SHA-256("csrf:" || secret)), computed here independently */
    char pre[128], want[64];
    unsigned char h[32];
    snprintf(pre, sizeof pre, "csrf:%s", s.secret);
    crypto_hash_sha256(h, (const unsigned char *)pre, strlen(pre));
    b64url(want, h, 32);
    ck_assert_str_eq(s.csrf, want);

    /* the database keeps SHA-256(secret) only, expiring VOS_SESSION_TTL_S after sign-in */
    char digest[VOS_SHA256_HEX_SIZE], exp[VOS_STAMP_SIZE];
    int64_t uid = 0;
    sha256_hex(digest, s.secret);
    OK(vos_store_session_find(T.s.st, digest, before_login, &uid, exp));
    ck_assert_int_eq(uid, ana);
    ck_assert_str_eq(exp, s.expires_at);
    FAILS(vos_store_session_find(T.s.st, old, "2000-01-01T00:00:00.000Z", &uid, exp), VOS_ENOTFOUND,
          "session"); /* purged */
    long long lasts = epoch_s(s.expires_at) - epoch_s(before_login);
    ck_assert_int_ge(lasts, VOS_SESSION_TTL_S);
    ck_assert_int_le(lasts, VOS_SESSION_TTL_S + 60);

    vos_principal p;
    char csrf[VOS_SECRET_SIZE];
    OK(vos_app_session_resolve(T.app, s.secret, &p, csrf));
    ck_assert_str_eq(p.email, "ana@northwind.example");
    ck_assert_ptr_eq(p.actor.name, p.email);
    ck_assert_int_eq(p.actor.user_id, ana);
    ck_assert_int_eq(p.actor.account_id, acct);
    ck_assert_str_eq(csrf, s.csrf);

    const char *msg = "not signed in";
    FAILS(vos_app_session_resolve(T.app, "not-a-session", &p, csrf), VOS_EAUTH, msg);
    ck_assert_str_eq(csrf, "");
    FAILS(vos_app_session_resolve(T.app, NULL, &p, csrf), VOS_EAUTH, msg);
    char other[VOS_SECRET_SIZE];
    memcpy(other, s.secret, sizeof other);
    other[0] = other[0] == 'A' ? 'B' : 'A';
    FAILS(vos_app_session_resolve(T.app, other, &p, csrf), VOS_EAUTH, msg);

    /* the same session, expired (rewritten with a past expiry) */
    OK(vos_store_begin(T.s.st));
    OK(vos_store_session_delete(T.s.st, digest));
    OK(vos_store_session_create(T.s.st, digest, ana, "2021-01-01T00:00:00.000Z"));
    OK(vos_store_commit(T.s.st));
    FAILS(vos_app_session_resolve(T.app, s.secret, &p, csrf), VOS_EAUTH,
          "the session is unknown or has expired");
    OK(vos_store_begin(T.s.st));
    OK(vos_store_session_delete(T.s.st, digest));
    OK(vos_store_session_create(T.s.st, digest, ana, "2999-01-01T00:00:00.000Z"));
    OK(vos_store_commit(T.s.st));
    OK(vos_app_session_resolve(T.app, s.secret, &p, NULL));

    /* sign-out ends it; unknown secrets are ignored */
    OK(vos_app_logout(T.app, s.secret));
    FAILS(vos_app_session_resolve(T.app, s.secret, &p, csrf), VOS_EAUTH, msg);
    OK(vos_app_logout(T.app, s.secret));
    OK(vos_app_logout(T.app, "whatever"));
    OK(vos_app_logout(T.app, NULL));
}
END_TEST

/* ---- passwords ------------------------------------------------------------------------------ */

/* Asserts that no audit record holds `text`. */
static void audit_lacks(const char *text)
{
    vos_audit_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    OK(vos_store_audit_list(T.s.st, &rows, &n, &q));
    ck_assert_uint_gt(n, 0);
    for (size_t i = 0; i < n; i++) {
        const char *parts[] = {rows[i].actor, rows[i].operation, rows[i].before_json,
                               rows[i].after_json};
        for (size_t k = 0; k < sizeof parts / sizeof *parts; k++)
            ck_assert_msg(!parts[k] || !strstr(parts[k], text), "audit record %lld holds '%s'",
                          (long long)rows[i].seq, text);
    }
    vos_audit_rows_free(rows, n);
}

START_TEST(passwords_are_checked_hashed_and_never_audited)
{
    int64_t ana = add_user("ana@vendor.example", VOS_ROLE_SELLER, 0, true);
    int64_t bo = add_user("bo@vendor.example", VOS_ROLE_VALUE_ENGINEER, 0, true);
    vos_actor as_ana = actor("ana@vendor.example", VOS_ROLE_SELLER, ana, 0);
    apptest_state st;
    apptest_capture(&T, &st, VOS_ENTITY_USER, ana);
    FAILS(vos_app_user_set_password(T.app, &T.admin, ana, "elevenchars"), VOS_EINVALID,
          "at least 12 characters");
    /* 12 characters of which some take two bytes: long enough */
    ck_assert_int_eq(vos_app_password_check("\xc3\xa9t\xc3\xa9-\xc3\xa0-la-mer"), 0);
    ck_assert_int_eq(vos_app_password_check("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"),
                     VOS_EINVALID); /* 6 characters in 12 bytes */
    char huge[VOS_PASSWORD_MAX + 2];
    memset(huge, 'p', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    FAILS(vos_app_user_set_password(T.app, &T.admin, ana, huge), VOS_EINVALID, "at most 256 bytes");
    huge[VOS_PASSWORD_MAX] = '\0';
    ck_assert_int_eq(vos_app_password_check(huge), 0);
    FAILS(vos_app_user_set_password(T.app, &T.admin, ana, NULL), VOS_EINVALID, "required");
    FAILS(vos_app_user_set_password(T.app, &as_ana, bo, PASSWORD), VOS_EFORBIDDEN,
          "ana@vendor.example (seller) may not change users");
    FAILS(vos_app_user_set_password(T.app, &T.admin, 99, PASSWORD), VOS_ENOTFOUND,
          "user 99 does not exist");
    apptest_unchanged(&T, &st, VOS_ENTITY_USER, ana);

    /* every user sets their own; the audit record's before and after are the user row */
    size_t records = apptest_audit_count(&T);
    OK(vos_app_user_set_password(T.app, &as_ana, ana, PASSWORD));
    apptest_audit_is(&T, (int64_t)records + 1, "user.password", "user", ana, "ana@vendor.example");
    vos_audit_row *last = apptest_audit_last(&T);
    ck_assert_str_eq(last->before_json, last->after_json);
    vos_audit_rows_free(last, 1);

    char *hash = NULL;
    OK(vos_store_password_get(T.s.st, ana, &hash));
    ck_assert_msg(strncmp(hash, "$argon2id$v=19$m=65536,t=2,p=1$", 31) == 0, "%s", hash);
    ck_assert_int_eq(crypto_pwhash_str_verify(hash, PASSWORD, strlen(PASSWORD)), 0);
    audit_lacks(hash);
    audit_lacks(PASSWORD);
    audit_lacks("argon2");
    free(hash);
    apptest_verify(&T);
}
END_TEST

/* ---- users ---------------------------------------------------------------------------------- */

START_TEST(user_get_and_update)
{
    int64_t acct = apptest_account(&T, "Northwind", 0);
    int64_t ana = add_user("ana@vendor.example", VOS_ROLE_SELLER, 0, true);
    int64_t cu = add_user("cu@northwind.example", VOS_ROLE_CUSTOMER, acct, true);
    vos_actor as_ana = actor("ana@vendor.example", VOS_ROLE_SELLER, ana, 0);
    vos_actor as_cu = actor("cu@northwind.example", VOS_ROLE_CUSTOMER, cu, acct);
    vos_user_row *u = NULL;
    OK(vos_app_user_get(T.app, &as_cu, cu, &u)); /* oneself */
    vos_user_row_free(u);
    FAILS(vos_app_user_get(T.app, &as_cu, ana, &u), VOS_EFORBIDDEN,
          "cu@northwind.example (customer) may not list users");
    ck_assert_ptr_null(u);
    FAILS(vos_app_user_get(T.app, &as_ana, 99, &u), VOS_ENOTFOUND, "user 99 does not exist");
    OK(vos_app_user_get(T.app, &as_ana, cu, &u));
    ck_assert_str_eq(u->email, "cu@northwind.example");

    /* admins change name, role, account and active; the email stays */
    apptest_state st;
    apptest_capture(&T, &st, VOS_ENTITY_USER, cu);
    u->role = VOS_ROLE_SELLER;
    FAILS(vos_app_user_update(T.app, &as_ana, u), VOS_EFORBIDDEN,
          "ana@vendor.example (seller) may not change users");
    int64_t read = u->revision;
    u->revision = read + 1;
    FAILS(vos_app_user_update(T.app, &T.admin, u), VOS_ESTALE,
          "user 2 was changed by someone else (revision 1, not 2)");
    u->revision = read;
    u->role = VOS_ROLE_CUSTOMER;
    u->account_id = 0;
    FAILS(vos_app_user_update(T.app, &T.admin, u), VOS_EINVALID,
          "a user with role customer needs an account_id");
    apptest_unchanged(&T, &st, VOS_ENTITY_USER, cu);

    char email[] = "someone.else@example.com";
    char *kept = u->email;
    u->email = email;
    u->account_id = acct;
    free(u->name);
    u->name = strdup("Cu Stomer");
    free(kept);
    OK(vos_app_user_update(T.app, &T.admin, u));
    ck_assert_int_eq(u->revision, 2);
    vos_audit_row *last = apptest_audit_last(&T);
    ck_assert_str_eq(last->operation, "user.update");
    ck_assert_int_eq(last->entity_id, cu);
    vos_audit_rows_free(last, 1);
    u->email = NULL;
    vos_user_row_free(u);
    OK(vos_app_user_get(T.app, &T.admin, cu, &u));
    ck_assert_str_eq(u->email, "cu@northwind.example");
    ck_assert_str_eq(u->name, "Cu Stomer");
    vos_user_row_free(u);
    apptest_verify(&T);
}
END_TEST

/* ---- API tokens ----------------------------------------------------------------------------- */

START_TEST(tokens_create_resolve_list_and_revoke)
{
    int64_t ana = add_user("ana@vendor.example", VOS_ROLE_SELLER, 0, true);
    int64_t bo = add_user("bo@vendor.example", VOS_ROLE_CSM, 0, true);
    vos_actor as_ana = actor("ana@vendor.example", VOS_ROLE_SELLER, ana, 0);
    vos_actor as_bo = actor("bo@vendor.example", VOS_ROLE_CSM, bo, 0);
    char secret[VOS_SECRET_SIZE], bo_secret[VOS_SECRET_SIZE];
    vos_api_token_row *t = NULL;
    OK(vos_app_token_create(T.app, &as_ana, "ci", secret, &t));
    ck_assert_uint_eq(strlen(secret), 47);
    ck_assert_msg(strncmp(secret, "vos_", 4) == 0 && is_b64url(secret + 4, 43), "%s", secret);
    ck_assert_int_eq(t->user_id, ana);
    ck_assert_str_eq(t->name, "ci");
    ck_assert_int_eq(strncmp(t->prefix, secret, 8), 0);
    ck_assert_uint_eq(strlen(t->prefix), 8);
    char digest[VOS_SHA256_HEX_SIZE];
    sha256_hex(digest, secret);
    ck_assert_str_eq(t->secret_sha256, digest);
    int64_t ana_token = t->id;
    vos_api_token_row_free(t);
    apptest_audit_is(&T, (int64_t)apptest_audit_count(&T), "token.create", "api_token", ana_token,
                     "ana@vendor.example");
    audit_lacks(secret);
    OK(vos_app_token_create(T.app, &as_bo, "sync", bo_secret, NULL));

    vos_principal p;
    OK(vos_app_token_resolve(T.app, secret, &p));
    ck_assert_str_eq(p.email, "ana@vendor.example");
    ck_assert_ptr_eq(p.actor.name, p.email);
    ck_assert_int_eq(p.actor.user_id, ana);
    ck_assert_int_eq(p.actor.role, VOS_ROLE_SELLER);
    ck_assert_int_eq(p.token_id, ana_token);
    const char *msg = "not signed in: the API token is unknown or revoked";
    FAILS(vos_app_token_resolve(T.app, "vos_short", &p), VOS_EAUTH, msg);
    FAILS(vos_app_token_resolve(T.app, secret + 4, &p), VOS_EAUTH, msg); /* without vos_ */
    char forged[VOS_SECRET_SIZE];
    memcpy(forged, secret, sizeof forged);
    forged[10] = forged[10] == 'x' ? 'y' : 'x';
    FAILS(vos_app_token_resolve(T.app, forged, &p), VOS_EAUTH, msg);

    /* names are unique per user; the system actor has no user */
    char again[VOS_SECRET_SIZE];
    FAILS(vos_app_token_create(T.app, &as_ana, "ci", again, NULL), VOS_ECONFLICT,
          "is already the name of one of the user's tokens");
    ck_assert_str_eq(again, "");
    FAILS(vos_app_token_create(T.app, &T.admin, "ops", again, NULL), VOS_EINVALID,
          "system is not a user and cannot have API tokens");

    /* lists: one's own; an admin sees every user's */
    vos_api_token_row *rows = NULL;
    size_t n = 0;
    OK(vos_app_token_list(T.app, &as_ana, &rows, &n, NULL));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(rows[0].id, ana_token);
    vos_api_token_rows_free(rows, n);
    OK(vos_app_token_list(T.app, &T.admin, &rows, &n, NULL));
    ck_assert_uint_eq(n, 2);
    vos_api_token_rows_free(rows, n);

    /* another user's token is not found (not disclosed); the owner or an admin revokes */
    apptest_state st;
    apptest_capture(&T, &st, VOS_ENTITY_API_TOKEN, ana_token);
    FAILS(vos_app_token_revoke(T.app, &as_bo, ana_token), VOS_ENOTFOUND,
          "API token 1 does not exist");
    FAILS(vos_app_token_revoke(T.app, &as_bo, 77), VOS_ENOTFOUND, "API token 77 does not exist");
    apptest_unchanged(&T, &st, VOS_ENTITY_API_TOKEN, ana_token);
    OK(vos_app_token_revoke(T.app, &as_ana, ana_token));
    apptest_audit_is(&T, (int64_t)apptest_audit_count(&T), "token.revoke", "api_token", ana_token,
                     "ana@vendor.example");
    FAILS(vos_app_token_resolve(T.app, secret, &p), VOS_EAUTH, msg);
    FAILS(vos_app_token_revoke(T.app, &as_ana, ana_token), VOS_ECONFLICT, "is already revoked");
    OK(vos_app_token_revoke(T.app, &T.admin, 2)); /* bo's, by an admin */
    FAILS(vos_app_token_resolve(T.app, bo_secret, &p), VOS_EAUTH, msg);
    /* the name of a revoked token is free again */
    OK(vos_app_token_create(T.app, &as_ana, "ci", again, NULL));
    OK(vos_app_token_resolve(T.app, again, &p));

    /* an admin (the command line) creates tokens for other users; others may not */
    FAILS(vos_app_token_create_for(T.app, &as_ana, bo, "x", again, NULL), VOS_EFORBIDDEN,
          "ana@vendor.example (seller) may not change users");
    FAILS(vos_app_token_create_for(T.app, &T.admin, 42, "x", again, NULL), VOS_ENOTFOUND,
          "user 42 does not exist");
    int64_t cy = add_user("cy@vendor.example", VOS_ROLE_CSM, 0, false);
    FAILS(vos_app_token_create_for(T.app, &T.admin, cy, "x", again, NULL), VOS_EINVALID,
          "user cy@vendor.example is inactive");
    OK(vos_app_token_create_for(T.app, &T.admin, bo, "from-admin", again, &t));
    ck_assert_int_eq(t->user_id, bo);
    apptest_audit_is(&T, (int64_t)apptest_audit_count(&T), "token.create", "api_token", t->id,
                     "system");
    vos_api_token_row_free(t);
    OK(vos_app_token_resolve(T.app, again, &p));
    ck_assert_str_eq(p.email, "bo@vendor.example");
    apptest_verify(&T);
}
END_TEST

START_TEST(token_count_is_capped)
{
    int64_t ana = add_user("ana@vendor.example", VOS_ROLE_SELLER, 0, true);
    vos_actor as_ana = actor("ana@vendor.example", VOS_ROLE_SELLER, ana, 0);
    char secret[VOS_SECRET_SIZE], name[32];
    for (int i = 0; i < VOS_TOKENS_PER_USER_MAX; i++) {
        snprintf(name, sizeof name, "t%d", i);
        OK(vos_app_token_create(T.app, &as_ana, name, secret, NULL));
    }
    FAILS(vos_app_token_create(T.app, &as_ana, "one more", secret, NULL), VOS_ETOOLARGE,
          "at most 50 API tokens");
    OK(vos_app_token_revoke(T.app, &as_ana, 1));
    OK(vos_app_token_create(T.app, &as_ana, "one more", secret, NULL));
}
END_TEST

START_TEST(deactivating_a_user_ends_sessions_and_tokens)
{
    int64_t ana = add_user("ana@vendor.example", VOS_ROLE_SELLER, 0, true);
    vos_actor as_ana = actor("ana@vendor.example", VOS_ROLE_SELLER, ana, 0);
    OK(vos_app_user_set_password(T.app, &T.admin, ana, PASSWORD));
    vos_session_out s;
    OK(vos_app_login(T.app, "ana@vendor.example", PASSWORD, &s));
    char one[VOS_SECRET_SIZE], two[VOS_SECRET_SIZE];
    OK(vos_app_token_create(T.app, &as_ana, "one", one, NULL));
    OK(vos_app_token_create(T.app, &as_ana, "two", two, NULL));
    OK(vos_app_token_revoke(T.app, &as_ana, 2));
    vos_principal p;
    OK(vos_app_session_resolve(T.app, s.secret, &p, NULL));
    OK(vos_app_token_resolve(T.app, one, &p));

    size_t records = apptest_audit_count(&T);
    vos_user_row *u = NULL;
    OK(vos_app_user_get(T.app, &T.admin, ana, &u));
    u->active = false;
    OK(vos_app_user_update(T.app, &T.admin, u));
    vos_user_row_free(u);
    /* user.update, then the revocation of the one live token (two was revoked already) */
    apptest_audit_is(&T, (int64_t)records + 1, "user.update", "user", ana, "system");
    apptest_audit_is(&T, (int64_t)records + 2, "token.revoke", "api_token", 1, "system");
    ck_assert_uint_eq(apptest_audit_count(&T), records + 2);
    FAILS(vos_app_session_resolve(T.app, s.secret, &p, NULL), VOS_EAUTH, "not signed in");
    FAILS(vos_app_token_resolve(T.app, one, &p), VOS_EAUTH, "not signed in");
    vos_api_token_row *t = NULL;
    OK(vos_store_api_token_get(T.s.st, &t, 1));
    ck_assert_ptr_nonnull(t->revoked_at);
    vos_api_token_row_free(t);
    FAILS(vos_app_login(T.app, "ana@vendor.example", PASSWORD, &s), VOS_EAUTH,
          "wrong email or password");
    apptest_verify(&T);
}
END_TEST

/* ---- idempotent writes ---------------------------------------------------------------------- */

START_TEST(idempotency_reserve_replay_mismatch_and_release)
{
    vos_actor ana = actor("ana@vendor.example", VOS_ROLE_SELLER, 0, 0);
    vos_actor bo = actor("bo@vendor.example", VOS_ROLE_SELLER, 0, 0);
    char body_sha[VOS_SHA256_HEX_SIZE], other_sha[VOS_SHA256_HEX_SIZE];
    sha256_hex(body_sha, "{\"name\":\"Acme\"}");
    sha256_hex(other_sha, "{\"name\":\"Other\"}");
    const char *path = "/api/v1/accounts";
    vos_idempotent_reply r;

    OK(vos_app_idempotency_begin(T.app, &ana, "k-1", "POST", path, body_sha, &r));
    ck_assert_int_eq(r.status, 0); /* new: reserved */
    ck_assert_ptr_null(r.body);
    FAILS(vos_app_idempotency_begin(T.app, &ana, "k-1", "POST", path, body_sha, &r), VOS_ECONFLICT,
          "a request with Idempotency-Key 'k-1' is still in progress");
    OK(vos_app_idempotency_begin(T.app, &bo, "k-1", "POST", path, body_sha, &r)); /* per actor */
    ck_assert_int_eq(r.status, 0);

    OK(vos_app_idempotency_finish(T.app, &ana, "k-1", 201, "application/json", "{\"id\":3}"));
    OK(vos_app_idempotency_begin(T.app, &ana, "k-1", "POST", path, body_sha, &r));
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(r.content_type, "application/json");
    ck_assert_str_eq(r.body, "{\"id\":3}");
    free(r.content_type);
    free(r.body);
    FAILS(vos_app_idempotency_finish(T.app, &ana, "k-1", 201, "application/json", "{}"),
          VOS_ENOTFOUND, "is not reserved");

    /* the same key with another request */
    FAILS(vos_app_idempotency_begin(T.app, &ana, "k-1", "POST", path, other_sha, &r), VOS_EINVALID,
          "Idempotency-Key 'k-1' was already used for another request "
          "(POST /api/v1/accounts)");
    FAILS(vos_app_idempotency_begin(T.app, &ana, "k-1", "POST", "/api/v1/cases", body_sha, &r),
          VOS_EINVALID, "another request");
    FAILS(vos_app_idempotency_begin(T.app, &ana, "k-1", "PUT", path, body_sha, &r), VOS_EINVALID,
          "another request");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_null(r.body);

    /* releasing a kept reply changes nothing; a reserved key is released */
    OK(vos_app_idempotency_release(T.app, &ana, "k-1"));
    OK(vos_app_idempotency_begin(T.app, &ana, "k-1", "POST", path, body_sha, &r));
    ck_assert_int_eq(r.status, 201);
    free(r.content_type);
    free(r.body);
    OK(vos_app_idempotency_release(T.app, &bo, "k-1"));
    OK(vos_app_idempotency_begin(T.app, &bo, "k-1", "POST", path, other_sha, &r));
    ck_assert_int_eq(r.status, 0);
    OK(vos_app_idempotency_release(T.app, &bo, "never-used"));

    /* a 5xx reply is not kept: the key is released for a retry */
    OK(vos_app_idempotency_finish(T.app, &bo, "k-1", 503, "application/problem+json", "{}"));
    OK(vos_app_idempotency_begin(T.app, &bo, "k-1", "POST", path, body_sha, &r));
    ck_assert_int_eq(r.status, 0);
    FAILS(vos_app_idempotency_finish(T.app, &bo, "k-1", 0, NULL, NULL), VOS_EINVALID,
          "0 is not an HTTP status");

    /* keys are 1..128 characters of visible ASCII */
    char longer[VOS_IDEMPOTENCY_KEY_MAX + 2];
    memset(longer, 'k', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    const char *bad[] = {"", "has space", "tab\tkey", "caf\xc3\xa9", longer};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        FAILS(vos_app_idempotency_begin(T.app, &ana, bad[i], "POST", path, body_sha, &r),
              VOS_EINVALID, "1 to 128 characters of visible ASCII");
    longer[VOS_IDEMPOTENCY_KEY_MAX] = '\0';
    OK(vos_app_idempotency_begin(T.app, &ana, longer, "POST", path, body_sha, &r));
    ck_assert_int_eq(r.status, 0);
}
END_TEST

Suite *vos_test_app_auth_suite(void)
{
    Suite *s = suite_create("app_auth");
    TCase *tc = tcase_create("auth");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, base64url_matches_rfc4648);
    tcase_add_test(tc, login_failures_all_look_the_same);
    tcase_add_test(tc, sessions_resolve_expire_and_end);
    tcase_add_test(tc, passwords_are_checked_hashed_and_never_audited);
    tcase_add_test(tc, user_get_and_update);
    tcase_add_test(tc, tokens_create_resolve_list_and_revoke);
    tcase_add_test(tc, token_count_is_capped);
    tcase_add_test(tc, deactivating_a_user_ends_sessions_and_tokens);
    tcase_add_test(tc, idempotency_reserve_replay_mismatch_and_release);
    suite_add_tcase(s, tc);
    return s;
}
