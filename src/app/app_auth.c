/* Users, sign-in, sessions, API tokens and idempotent writes.
 *
 * Secrets are 32 random bytes in base64url without padding (43 characters); only their
 * SHA-256 is stored, and a secret is only ever compared by looking its hash up, never byte
 * by byte.  Passwords are argon2id hashes (crypto_pwhash_str at the interactive limits),
 * computed and verified outside any transaction so that the 0.1 s they take never holds the
 * write lock.  libsodium is initialised by vos_store_open (sodium_init is thread-safe). */
#include "app_int.h"

#include "vos/error.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SECRET_BYTES 32     /* random bytes of a session or token secret */
#define SECRET_CHARS 43     /* their base64url length, without padding */
#define TOKEN_PREFIX "vos_" /* what an API token secret starts with */
#define TOKEN_SHOWN 8       /* characters of a token kept to recognise it */
#define CSRF_DOMAIN "csrf:" /* hashed before a session secret into its CSRF token */
#define LOGIN_FAILED "wrong email or password"
#define SESSION_UNKNOWN "not signed in: the session is unknown or has expired; sign in again"
#define TOKEN_UNKNOWN "not signed in: the API token is unknown or revoked"
#define HTTP_ERROR_MIN 500 /* replies from here on are not kept */
#define HTTP_STATUS_MAX 599

/* A verifier for sign-ins whose user has no password (or does not exist): an argon2id hash of
 * random bytes nobody knows, so that such a sign-in costs as much time as a real one and the
 * time taken does not tell which emails exist. */
static const char dummy_hash[] = "$argon2id$v=19$m=65536,t=2,p=1$nwNJxLywxcM7eK6kKlD+1A$DE+"
                                 "wDGxJx8y4vrdUtVnjaMmjzEEPTh+7xwBHa3pk1Cs";

/* ---- small helpers -------------------------------------------------------------------------- */

/* The time `offset_s` seconds from now, as the store writes stamps. */
static void stamp_from_now(char out[VOS_STAMP_SIZE], int64_t offset_s)
{
    struct timespec ts;
    struct tm tm;
    char buf[64]; /* room for any int the fields could hold */
    clock_gettime(CLOCK_REALTIME, &ts);
    time_t t = ts.tv_sec + (time_t)offset_s;
    gmtime_r(&t, &tm);
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             (int)(ts.tv_nsec / 1000000));
    memcpy(out, buf, VOS_STAMP_SIZE - 1);
    out[VOS_STAMP_SIZE - 1] = '\0';
}

static void sha256_hex(char out[VOS_SHA256_HEX_SIZE], const char *text)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
    sodium_bin2hex(out, VOS_SHA256_HEX_SIZE, h, sizeof h);
}

/* A new secret: `prefix` then 32 random bytes in base64url. */
static void new_secret(char out[VOS_SECRET_SIZE], const char *prefix)
{
    unsigned char raw[SECRET_BYTES];
    size_t plen = strlen(prefix);
    randombytes_buf(raw, sizeof raw);
    memcpy(out, prefix, plen);
    sodium_bin2base64(out + plen, VOS_SECRET_SIZE - plen, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

/* The CSRF token of a session: base64url(SHA-256("csrf:" || secret)). */
static void csrf_of(char out[VOS_SECRET_SIZE], const char *secret)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state sha;
    crypto_hash_sha256_init(&sha);
    crypto_hash_sha256_update(&sha, (const unsigned char *)CSRF_DOMAIN, strlen(CSRF_DOMAIN));
    crypto_hash_sha256_update(&sha, (const unsigned char *)secret, strlen(secret));
    crypto_hash_sha256_final(&sha, h);
    sodium_bin2base64(out, VOS_SECRET_SIZE, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Whether s is `prefix` then SECRET_CHARS base64url characters. */
static bool is_secret(const char *s, const char *prefix)
{
    size_t plen = strlen(prefix);
    if (!s || strncmp(s, prefix, plen) != 0) return false;
    s += plen;
    size_t n = 0;
    for (; s[n] && n <= SECRET_CHARS; n++) {
        char c = s[n];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
        if (!ok) return false;
    }
    return n == SECRET_CHARS;
}

/* 0 when `who` is a well-formed actor (any role); VOS_EINVALID otherwise. */
static int valid_actor(const vos_actor *who)
{
    if (!who || !who->name || !*who->name)
        return vos_error_set(VOS_EINVALID, "the actor has no name");
    if (!vos_role_name(who->role))
        return vos_error_set(VOS_EINVALID, "the actor's role %d is not a role", (int)who->role);
    return 0;
}

/* Fills a principal from a user row. */
static void principal_of(vos_principal *out, const vos_user_row *u, int64_t token_id)
{
    memset(out, 0, sizeof *out);
    snprintf(out->email, sizeof out->email, "%s", u->email);
    out->actor.name = out->email;
    out->actor.user_id = u->id;
    out->actor.role = u->role;
    out->actor.account_id = u->account_id;
    out->token_id = token_id;
}

/* The active user `user_id` as a principal; VOS_EAUTH with `message` when it is gone or
 * inactive. */
static int active_principal(vos_app *app, int64_t user_id, int64_t token_id, vos_principal *out,
                            const char *message)
{
    vos_user_row *u = NULL;
    int rc = vos_store_user_get(app->st, &u, user_id);
    if (rc == 0 && !u->active) rc = VOS_ENOTFOUND;
    if (rc == 0) principal_of(out, u, token_id);
    vos_user_row_free(u);
    if (rc == VOS_ENOTFOUND) return vos_error_set(VOS_EAUTH, "%s", message);
    return rc;
}

/* ---- users ---------------------------------------------------------------------------------- */

int vos_app_user_get(vos_app *app, const vos_actor *who, int64_t user_id, vos_user_row **out)
{
    *out = NULL;
    int rc = valid_actor(who);
    if (rc == 0 && !(who->user_id > 0 && who->user_id == user_id))
        rc = app_allow(who, VOS_OP_USER_READ);
    if (rc < 0) return rc;
    rc = vos_store_user_get(app->st, out, user_id);
    if (rc == VOS_ENOTFOUND)
        return vos_error_set(VOS_ENOTFOUND, "user %" PRId64 " does not exist", user_id);
    return rc;
}

/* Revokes every token of a user that is not revoked yet, each with its audit record. */
static int revoke_all(vos_app *app, const vos_actor *who, int64_t user_id, const char *now)
{
    for (;;) {
        vos_store_query q = {.limit = VOS_STORE_PAGE_MAX, .n_where = 2};
        q.where[0] = (vos_store_filter){.field = "user_id", .i = user_id};
        q.where[1] = (vos_store_filter){.field = "revoked_at", .s = NULL};
        vos_api_token_row *t = NULL;
        size_t n = 0;
        int rc = vos_store_api_token_list(app->st, &t, &n, &q);
        for (size_t i = 0; i < n && rc == 0; i++) {
            char *before = NULL;
            rc = app_before(app, VOS_ENTITY_API_TOKEN, t[i].id, &before);
            char *old = t[i].revoked_at;
            t[i].revoked_at = (char *)now;
            if (rc == 0) rc = vos_store_api_token_update(app->st, &t[i]);
            t[i].revoked_at = old;
            if (rc == 0) {
                rc = app_audit(app, who, "token.revoke", VOS_ENTITY_API_TOKEN, t[i].id, before);
            } else {
                free(before);
            }
        }
        vos_api_token_rows_free(t, n);
        if (rc < 0 || n == 0) return rc; /* revoked rows leave the filter: re-read from start */
    }
}

int vos_app_user_update(vos_app *app, const vos_actor *who, vos_user_row *row)
{
    int rc = app_allow(who, VOS_OP_USER_UPDATE);
    if (rc < 0) return rc;
    if ((rc = app_begin(app)) < 0) return rc;
    vos_user_row *cur = NULL;
    char *before = NULL;
    rc = vos_store_user_get(app->st, &cur, row->id);
    if (rc == VOS_ENOTFOUND)
        rc = vos_error_set(VOS_ENOTFOUND, "user %" PRId64 " does not exist", row->id);
    if (rc == 0) rc = app_before(app, VOS_ENTITY_USER, row->id, &before);
    if (rc == 0) {
        vos_user_row next = *cur; /* email and id stay as stored */
        next.name = row->name;
        next.role = row->role;
        next.account_id = row->account_id;
        next.active = row->active;
        next.revision = row->revision;
        rc = vos_store_user_update(app->st, &next);
        if (rc == 0) {
            row->revision = next.revision;
            memcpy(row->updated_at, next.updated_at, sizeof row->updated_at);
            rc = app_audit(app, who, "user.update", VOS_ENTITY_USER, row->id, before);
            before = NULL;
        }
    }
    if (rc == 0 && cur->active && !row->active) {
        char now[VOS_STAMP_SIZE];
        vos_store_now(now);
        rc = vos_store_session_purge(app->st, row->id, now);
        if (rc == 0) rc = revoke_all(app, who, row->id, now);
    }
    free(before);
    vos_user_row_free(cur);
    return app_end(app, rc);
}

/* ---- passwords ------------------------------------------------------------------------------ */

int vos_app_password_check(const char *password)
{
    if (!password) return vos_error_set(VOS_EINVALID, "the password is required");
    size_t bytes = strlen(password), chars = 0;
    for (size_t i = 0; i < bytes; i++)
        chars += ((unsigned char)password[i] & 0xC0) != 0x80; /* UTF-8 lead bytes */
    if (chars < VOS_PASSWORD_MIN)
        return vos_error_set(VOS_EINVALID, "a password needs at least %d characters",
                             VOS_PASSWORD_MIN);
    if (bytes > VOS_PASSWORD_MAX)
        return vos_error_set(VOS_EINVALID, "a password may have at most %d bytes",
                             VOS_PASSWORD_MAX);
    return 0;
}

int vos_app_user_set_password(vos_app *app, const vos_actor *who, int64_t user_id,
                              const char *password)
{
    int rc = valid_actor(who);
    if (rc == 0 && !(who->user_id > 0 && who->user_id == user_id))
        rc = app_allow(who, VOS_OP_USER_UPDATE);
    if (rc == 0) rc = vos_app_password_check(password);
    if (rc < 0) return rc;
    vos_user_row *u = NULL;
    rc = vos_store_user_get(app->st, &u, user_id);
    vos_user_row_free(u);
    if (rc == VOS_ENOTFOUND)
        return vos_error_set(VOS_ENOTFOUND, "user %" PRId64 " does not exist", user_id);
    if (rc < 0) return rc;
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return vos_error_set(VOS_ENOMEM, "out of memory hashing the password");
    if ((rc = app_begin(app)) < 0) return rc;
    char *before = NULL;
    rc = app_before(app, VOS_ENTITY_USER, user_id, &before);
    if (rc == 0) rc = vos_store_password_set(app->st, user_id, hash);
    if (rc == 0) {
        rc = app_audit(app, who, "user.password", VOS_ENTITY_USER, user_id, before);
        before = NULL;
    }
    free(before);
    sodium_memzero(hash, sizeof hash);
    return app_end(app, rc);
}

/* ---- sessions ------------------------------------------------------------------------------- */

/* Checks email and password; OUT: *user (the active user they belong to).  Every failure is
 * the same VOS_EAUTH, after the same work. */
static int check_login(vos_app *app, const char *email, const char *password, vos_user_row **user)
{
    *user = NULL;
    if (!email || !*email || !password || strlen(password) > VOS_PASSWORD_MAX)
        return vos_error_set(VOS_EAUTH, LOGIN_FAILED);
    vos_user_row *u = NULL;
    char *hash = NULL;
    int rc = vos_store_user_by_email(app->st, &u, email);
    if (rc == 0) rc = vos_store_password_get(app->st, u->id, &hash);
    if (rc < 0 && rc != VOS_ENOTFOUND) {
        vos_user_row_free(u);
        return rc;
    }
    bool ok = crypto_pwhash_str_verify(hash ? hash : dummy_hash, password, strlen(password)) == 0;
    ok = ok && hash && u && u->active;
    free(hash);
    if (!ok) {
        vos_user_row_free(u);
        return vos_error_set(VOS_EAUTH, LOGIN_FAILED);
    }
    *user = u;
    return 0;
}

int vos_app_login(vos_app *app, const char *email, const char *password, vos_session_out *out)
{
    memset(out, 0, sizeof *out);
    vos_user_row *u = NULL;
    int rc = check_login(app, email, password, &u);
    if (rc < 0) return rc;
    char digest[VOS_SHA256_HEX_SIZE], now[VOS_STAMP_SIZE];
    vos_session_out s;
    memset(&s, 0, sizeof s);
    new_secret(s.secret, "");
    csrf_of(s.csrf, s.secret);
    sha256_hex(digest, s.secret);
    stamp_from_now(s.expires_at, VOS_SESSION_TTL_S);
    vos_store_now(now);
    principal_of(&s.who, u, 0);
    vos_user_row_free(u);
    if ((rc = app_begin(app)) < 0) return rc;
    rc = vos_store_session_purge(app->st, 0, now);
    if (rc == 0) rc = vos_store_session_create(app->st, digest, s.who.actor.user_id, s.expires_at);
    rc = app_end(app, rc);
    if (rc == 0) {
        *out = s;
        out->who.actor.name = out->who.email;
    }
    sodium_memzero(&s, sizeof s);
    return rc;
}

int vos_app_session_resolve(vos_app *app, const char *secret, vos_principal *out,
                            char csrf[VOS_SECRET_SIZE])
{
    memset(out, 0, sizeof *out);
    if (csrf) csrf[0] = '\0';
    if (!is_secret(secret, "")) return vos_error_set(VOS_EAUTH, SESSION_UNKNOWN);
    char digest[VOS_SHA256_HEX_SIZE], now[VOS_STAMP_SIZE], expires[VOS_STAMP_SIZE];
    int64_t user_id = 0;
    sha256_hex(digest, secret);
    vos_store_now(now);
    int rc = vos_store_session_find(app->st, digest, now, &user_id, expires);
    if (rc == VOS_ENOTFOUND) return vos_error_set(VOS_EAUTH, SESSION_UNKNOWN);
    if (rc == 0) rc = active_principal(app, user_id, 0, out, SESSION_UNKNOWN);
    if (rc == 0 && csrf) csrf_of(csrf, secret);
    return rc;
}

int vos_app_logout(vos_app *app, const char *secret)
{
    if (!is_secret(secret, "")) return 0; /* no such session */
    char digest[VOS_SHA256_HEX_SIZE];
    sha256_hex(digest, secret);
    int rc = app_begin(app);
    if (rc < 0) return rc;
    return app_end(app, vos_store_session_delete(app->st, digest));
}

/* ---- API tokens ----------------------------------------------------------------------------- */

/* VOS_ETOOLARGE when the user has VOS_TOKENS_PER_USER_MAX tokens that are not revoked. */
static int check_token_count(vos_app *app, int64_t user_id)
{
    vos_store_query q = {.limit = VOS_TOKENS_PER_USER_MAX, .n_where = 2};
    q.where[0] = (vos_store_filter){.field = "user_id", .i = user_id};
    q.where[1] = (vos_store_filter){.field = "revoked_at", .s = NULL};
    vos_api_token_row *t = NULL;
    size_t n = 0;
    int rc = vos_store_api_token_list(app->st, &t, &n, &q);
    vos_api_token_rows_free(t, n);
    if (rc == 0 && n >= VOS_TOKENS_PER_USER_MAX)
        return vos_error_set(VOS_ETOOLARGE, "a user may have at most %d API tokens: revoke one",
                             VOS_TOKENS_PER_USER_MAX);
    return rc;
}

/* Checks that `user_id` names an active user who may get a token from `who`. */
static int token_owner(vos_app *app, const vos_actor *who, int64_t user_id)
{
    int rc = app_allow(who, VOS_OP_TOKEN);
    if (rc == 0 && user_id <= 0 && who->user_id <= 0)
        return vos_error_set(VOS_EINVALID, "%s is not a user and cannot have API tokens",
                             who->name);
    if (rc == 0 && user_id != who->user_id) rc = app_allow(who, VOS_OP_USER_UPDATE);
    if (rc < 0) return rc;
    vos_user_row *u = NULL;
    rc = vos_store_user_get(app->st, &u, user_id);
    if (rc == VOS_ENOTFOUND)
        return vos_error_set(VOS_ENOTFOUND, "user %" PRId64 " does not exist", user_id);
    if (rc == 0 && !u->active)
        rc =
            vos_error_set(VOS_EINVALID, "user %s is inactive and cannot have API tokens", u->email);
    vos_user_row_free(u);
    return rc;
}

int vos_app_token_create_for(vos_app *app, const vos_actor *who, int64_t user_id, const char *name,
                             char secret[VOS_SECRET_SIZE], vos_api_token_row **out)
{
    secret[0] = '\0';
    if (out) *out = NULL;
    int rc = token_owner(app, who, user_id);
    if (rc < 0) return rc;
    char s[VOS_SECRET_SIZE], prefix[TOKEN_SHOWN + 1];
    new_secret(s, TOKEN_PREFIX);
    snprintf(prefix, sizeof prefix, "%.*s", TOKEN_SHOWN, s);
    vos_api_token_row row = {.user_id = user_id, .name = (char *)name, .prefix = prefix};
    sha256_hex(row.secret_sha256, s);
    if ((rc = app_begin(app)) < 0) return rc;
    rc = check_token_count(app, user_id);
    if (rc == 0) rc = vos_store_api_token_create(app->st, &row);
    if (rc == 0) rc = app_audit(app, who, "token.create", VOS_ENTITY_API_TOKEN, row.id, NULL);
    if (rc == 0 && out) rc = vos_store_api_token_get(app->st, out, row.id);
    rc = app_end(app, rc);
    if (rc == 0) memcpy(secret, s, VOS_SECRET_SIZE);
    if (rc < 0 && out) {
        vos_api_token_row_free(*out);
        *out = NULL;
    }
    sodium_memzero(s, sizeof s);
    return rc;
}

int vos_app_token_create(vos_app *app, const vos_actor *who, const char *name,
                         char secret[VOS_SECRET_SIZE], vos_api_token_row **out)
{
    return vos_app_token_create_for(app, who, who ? who->user_id : 0, name, secret, out);
}

int vos_app_token_list(vos_app *app, const vos_actor *who, vos_api_token_row **out, size_t *n,
                       const vos_store_query *q)
{
    *out = NULL;
    *n = 0;
    int rc = app_allow(who, VOS_OP_TOKEN);
    if (rc < 0) return rc;
    if (who->role == VOS_ROLE_ADMIN) return vos_store_api_token_list(app->st, out, n, q);
    vos_store_query own = {.limit = 0};
    if (q) own = *q;
    if (own.n_where >= VOS_STORE_FILTERS_MAX)
        return vos_error_set(VOS_ETOOLARGE, "a query has more than %d filters",
                             VOS_STORE_FILTERS_MAX - 1);
    own.where[own.n_where++] = (vos_store_filter){.field = "user_id", .i = who->user_id};
    return vos_store_api_token_list(app->st, out, n, &own);
}

int vos_app_token_revoke(vos_app *app, const vos_actor *who, int64_t token_id)
{
    int rc = app_allow(who, VOS_OP_TOKEN);
    if (rc < 0) return rc;
    if ((rc = app_begin(app)) < 0) return rc;
    vos_api_token_row *t = NULL;
    char *before = NULL, now[VOS_STAMP_SIZE];
    rc = vos_store_api_token_get(app->st, &t, token_id);
    if (rc == 0 && who->role != VOS_ROLE_ADMIN && t->user_id != who->user_id)
        rc = VOS_ENOTFOUND; /* another user's token: its existence is not disclosed */
    if (rc == VOS_ENOTFOUND)
        rc = vos_error_set(VOS_ENOTFOUND, "API token %" PRId64 " does not exist", token_id);
    if (rc == 0 && t->revoked_at)
        rc = vos_error_set(VOS_ECONFLICT, "API token %" PRId64 " ('%s') is already revoked",
                           token_id, t->name);
    if (rc == 0) rc = app_before(app, VOS_ENTITY_API_TOKEN, token_id, &before);
    if (rc == 0) {
        vos_store_now(now);
        t->revoked_at = app_strdup(now);
        rc = t->revoked_at ? vos_store_api_token_update(app->st, t)
                           : vos_error_set(VOS_ENOMEM, "out of memory");
    }
    if (rc == 0) {
        rc = app_audit(app, who, "token.revoke", VOS_ENTITY_API_TOKEN, token_id, before);
        before = NULL;
    }
    free(before);
    vos_api_token_row_free(t);
    return app_end(app, rc);
}

int vos_app_token_resolve(vos_app *app, const char *secret, vos_principal *out)
{
    memset(out, 0, sizeof *out);
    if (!is_secret(secret, TOKEN_PREFIX)) return vos_error_set(VOS_EAUTH, TOKEN_UNKNOWN);
    char digest[VOS_SHA256_HEX_SIZE];
    sha256_hex(digest, secret);
    vos_api_token_row *t = NULL;
    int rc = vos_store_api_token_by_secret(app->st, &t, digest);
    if (rc == 0 && t->revoked_at) rc = VOS_ENOTFOUND;
    if (rc == 0) rc = active_principal(app, t->user_id, t->id, out, TOKEN_UNKNOWN);
    vos_api_token_row_free(t);
    if (rc == VOS_ENOTFOUND) return vos_error_set(VOS_EAUTH, TOKEN_UNKNOWN);
    return rc;
}

/* ---- idempotent writes ---------------------------------------------------------------------- */

static int check_key(const char *key)
{
    size_t n = key ? strlen(key) : 0;
    bool ok = n >= 1 && n <= VOS_IDEMPOTENCY_KEY_MAX;
    for (size_t i = 0; ok && i < n; i++)
        ok = key[i] >= '!' && key[i] <= '~';
    if (ok) return 0;
    return vos_error_set(VOS_EINVALID,
                         "an Idempotency-Key must be 1 to %d characters of visible ASCII",
                         VOS_IDEMPOTENCY_KEY_MAX);
}

static bool same_request(const vos_idempotency_row *r, const char *method, const char *path,
                         const char *request_sha256)
{
    return strcmp(r->method, method) == 0 && strcmp(r->path, path) == 0 &&
           strcmp(r->request_sha256, request_sha256) == 0;
}

/* What a kept key means for this request: its reply, a mismatch, or still in progress (a
 * reservation older than VOS_IDEMPOTENCY_ABANDON_S is dropped: its request never finished). */
static int kept(vos_app *app, const vos_idempotency_row *r, const char *method, const char *path,
                const char *request_sha256, vos_idempotent_reply *out, bool *again)
{
    char abandoned[VOS_STAMP_SIZE];
    *again = false;
    if (!same_request(r, method, path, request_sha256))
        return vos_error_set(VOS_EINVALID,
                             "Idempotency-Key '%s' was already used for another request (%s %s)",
                             r->key, r->method, r->path);
    if (r->status == 0) {
        stamp_from_now(abandoned, -VOS_IDEMPOTENCY_ABANDON_S);
        if (strcmp(r->created_at, abandoned) < 0) {
            *again = true;
            return vos_store_idempotency_delete(app->st, r->scope, r->key);
        }
        return vos_error_set(VOS_ECONFLICT,
                             "a request with Idempotency-Key '%s' is still in progress", r->key);
    }
    out->status = r->status;
    out->content_type = app_strdup(r->content_type);
    out->body = app_strdup(r->body);
    if ((r->content_type && !out->content_type) || (r->body && !out->body)) {
        free(out->content_type);
        free(out->body);
        memset(out, 0, sizeof *out);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    return 0;
}

int vos_app_idempotency_begin(vos_app *app, const vos_actor *who, const char *key,
                              const char *method, const char *path,
                              const char request_sha256[VOS_SHA256_HEX_SIZE],
                              vos_idempotent_reply *out)
{
    memset(out, 0, sizeof *out);
    int rc = valid_actor(who);
    if (rc == 0) rc = check_key(key);
    if (rc == 0 && (!method || !path || !request_sha256))
        rc = vos_error_set(VOS_EINVALID, "an idempotent request needs its method, path and "
                                         "SHA-256");
    if (rc < 0) return rc;
    char expired[VOS_STAMP_SIZE];
    stamp_from_now(expired, -VOS_IDEMPOTENCY_TTL_S);
    if ((rc = app_begin(app)) < 0) return rc;
    rc = vos_store_idempotency_purge(app->st, expired);
    vos_idempotency_row *r = NULL;
    bool again = false;
    if (rc == 0) rc = vos_store_idempotency_get(app->st, &r, who->name, key);
    if (rc == 0) rc = kept(app, r, method, path, request_sha256, out, &again);
    if (rc == VOS_ENOTFOUND || again) {
        vos_idempotency_row res = {.scope = (char *)who->name,
                                   .key = (char *)key,
                                   .method = (char *)method,
                                   .path = (char *)path};
        snprintf(res.request_sha256, sizeof res.request_sha256, "%s", request_sha256);
        rc = vos_store_idempotency_reserve(app->st, &res);
    }
    vos_idempotency_row_free(r);
    rc = app_end(app, rc);
    if (rc < 0) {
        free(out->content_type);
        free(out->body);
        memset(out, 0, sizeof *out);
    }
    return rc;
}

int vos_app_idempotency_finish(vos_app *app, const vos_actor *who, const char *key, int status,
                               const char *content_type, const char *body)
{
    int rc = valid_actor(who);
    if (rc == 0) rc = check_key(key);
    if (rc == 0 && (status <= 0 || status > HTTP_STATUS_MAX))
        rc = vos_error_set(VOS_EINVALID, "%d is not an HTTP status", status);
    if (rc < 0) return rc;
    if (status >= HTTP_ERROR_MIN) return vos_app_idempotency_release(app, who, key);
    if ((rc = app_begin(app)) < 0) return rc;
    rc = vos_store_idempotency_finish(app->st, who->name, key, status, content_type, body);
    return app_end(app, rc);
}

int vos_app_idempotency_release(vos_app *app, const vos_actor *who, const char *key)
{
    int rc = valid_actor(who);
    if (rc == 0) rc = check_key(key);
    if (rc < 0) return rc;
    if ((rc = app_begin(app)) < 0) return rc;
    vos_idempotency_row *r = NULL;
    rc = vos_store_idempotency_get(app->st, &r, who->name, key);
    if (rc == 0 && r->status == 0) rc = vos_store_idempotency_delete(app->st, who->name, key);
    if (rc == VOS_ENOTFOUND) rc = 0; /* nothing reserved: nothing to release */
    vos_idempotency_row_free(r);
    return app_end(app, rc);
}
