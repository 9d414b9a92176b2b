/* The records of the store that are not entities: password hashes, sessions and idempotency
 * keys.  They have no revision, no snapshot and no audit record (a password hash or a kept
 * reply must never reach the audit log); the generic layer checks their fields and turns a
 * backend's constraint faults into messages, as it does for entities. */
#include "store_int.h"

#include "vos/error.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define HTTP_STATUS_MIN 100
#define HTTP_STATUS_MAX 599

/* Whether every byte of s is visible ASCII ('!' .. '~'). */
static bool is_visible_ascii(const char *s)
{
    for (; *s; s++)
        if (*s < '!' || *s > '~') return false;
    return true;
}

static int check_digest(const char *hex, const char *what)
{
    if (hex && vos_is_sha256_hex(hex)) return 0;
    return vos_error_set(VOS_EINVALID, "%s must be 64 lower-case hex digits (SHA-256)", what);
}

static int check_user(int64_t user_id, const char *what)
{
    if (user_id > 0) return 0;
    return vos_error_set(VOS_EINVALID, "%s user_id %" PRId64 " is not an id", what, user_id);
}

/* The message for a write of a record that broke a constraint: a missing user, or the
 * constraint's name. */
static int record_fault(const vos_fault *fault, int64_t user_id, const char *what)
{
    switch (fault->kind) {
    case VOS_FAULT_FOREIGN_KEY:
        return vos_error_set(VOS_EINVALID, "%s: user %" PRId64 " does not exist", what, user_id);
    case VOS_FAULT_UNIQUE:
        return vos_error_set(VOS_ECONFLICT, "%s already exists", what);
    default:
        return vos_error_set(VOS_EINVALID, "%s breaks the rule '%s'", what, fault->name);
    }
}

/* ---- passwords ------------------------------------------------------------------------------ */

int vos_store_password_set(vos_store *st, int64_t user_id, const char *hash)
{
    int rc = vos_store_need_write(st, "set a password");
    if (rc == 0) rc = check_user(user_id, "password");
    if (rc == 0 && hash) {
        size_t len = strlen(hash);
        if (len == 0 || len > VOS_PASSWORD_HASH_MAX || !is_visible_ascii(hash))
            rc = vos_error_set(VOS_EINVALID,
                               "a password hash must be 1 to %d characters of visible ASCII",
                               VOS_PASSWORD_HASH_MAX);
    }
    if (rc < 0) return rc;
    vos_fault fault = {.kind = VOS_FAULT_NONE};
    rc = st->be->password_set(st->be, user_id, hash, &fault);
    if (rc == VOS_ECONFLICT && fault.kind != VOS_FAULT_NONE)
        return record_fault(&fault, user_id, "password");
    return rc;
}

int vos_store_password_get(vos_store *st, int64_t user_id, char **hash)
{
    *hash = NULL;
    return st->be->password_get(st->be, user_id, hash);
}

/* ---- sessions ------------------------------------------------------------------------------- */

int vos_store_session_create(vos_store *st, const char secret_sha256[VOS_SHA256_HEX_SIZE],
                             int64_t user_id, const char *expires_at)
{
    int rc = vos_store_need_write(st, "create a session");
    if (rc == 0) rc = check_digest(secret_sha256, "a session secret_sha256");
    if (rc == 0) rc = check_user(user_id, "session");
    if (rc == 0 && !expires_at) rc = vos_error_set(VOS_EINVALID, "session expires_at is required");
    if (rc == 0)
        rc = vos_text_check(expires_at, VOS_TF_STAMP, VOS_STAMP_SIZE - 1, "session", "expires_at");
    if (rc < 0) return rc;
    char now[VOS_STAMP_SIZE];
    vos_store_now(now);
    vos_fault fault = {.kind = VOS_FAULT_NONE};
    rc = st->be->session_insert(st->be, secret_sha256, user_id, now, expires_at, &fault);
    if (rc == VOS_ECONFLICT && fault.kind != VOS_FAULT_NONE)
        return record_fault(&fault, user_id, "session");
    return rc;
}

int vos_store_session_find(vos_store *st, const char secret_sha256[VOS_SHA256_HEX_SIZE],
                           const char *now, int64_t *user_id, char expires_at[VOS_STAMP_SIZE])
{
    *user_id = 0;
    expires_at[0] = '\0';
    int rc = check_digest(secret_sha256, "a session secret_sha256");
    if (rc == 0 &&
        (!now || vos_text_check(now, VOS_TF_STAMP, VOS_STAMP_SIZE - 1, "session", "time") < 0))
        rc = vos_error_set(VOS_EINVALID, "the time to find a session at is not a UTC stamp");
    if (rc < 0) return rc;
    return st->be->session_find(st->be, secret_sha256, now, user_id, expires_at);
}

int vos_store_session_delete(vos_store *st, const char secret_sha256[VOS_SHA256_HEX_SIZE])
{
    int rc = vos_store_need_write(st, "delete a session");
    if (rc == 0) rc = check_digest(secret_sha256, "a session secret_sha256");
    if (rc < 0) return rc;
    return st->be->session_delete(st->be, secret_sha256);
}

int vos_store_session_purge(vos_store *st, int64_t user_id, const char *now)
{
    int rc = vos_store_need_write(st, "purge sessions");
    if (rc == 0 && user_id < 0)
        rc = vos_error_set(VOS_EINVALID, "session user_id %" PRId64 " is not an id", user_id);
    if (rc == 0 &&
        (!now || vos_text_check(now, VOS_TF_STAMP, VOS_STAMP_SIZE - 1, "session", "time") < 0))
        rc = vos_error_set(VOS_EINVALID, "the time to purge sessions at is not a UTC stamp");
    if (rc < 0) return rc;
    return st->be->session_purge(st->be, user_id, now);
}

/* ---- idempotency keys ----------------------------------------------------------------------- */

void vos_idempotency_row_free(vos_idempotency_row *row)
{
    if (!row) return;
    free(row->scope);
    free(row->key);
    free(row->method);
    free(row->path);
    free(row->content_type);
    free(row->body);
    free(row);
}

static int check_scope_key(const char *scope, const char *key)
{
    int rc = scope ? 0 : vos_error_set(VOS_EINVALID, "idempotency scope is required");
    if (rc == 0 && !*scope) rc = vos_error_set(VOS_EINVALID, "idempotency scope is required");
    if (rc == 0) rc = vos_text_check(scope, VOS_TF_NAME, VOS_ACTOR_MAX, "idempotency", "scope");
    if (rc == 0 &&
        (!key || !*key || strlen(key) > VOS_IDEMPOTENCY_KEY_MAX || !is_visible_ascii(key)))
        rc = vos_error_set(VOS_EINVALID,
                           "an idempotency key must be 1 to %d characters of visible ASCII",
                           VOS_IDEMPOTENCY_KEY_MAX);
    return rc;
}

static int check_request(const vos_idempotency_row *row)
{
    const char *m = row->method;
    size_t n = m ? strlen(m) : 0;
    bool upper = n > 0 && n <= VOS_IDEMPOTENCY_METHOD_MAX;
    for (size_t i = 0; upper && i < n; i++)
        upper = m[i] >= 'A' && m[i] <= 'Z';
    if (!upper)
        return vos_error_set(VOS_EINVALID, "idempotency method must be 1 to %d capital letters",
                             VOS_IDEMPOTENCY_METHOD_MAX);
    if (!row->path || !*row->path || strlen(row->path) > VOS_IDEMPOTENCY_PATH_MAX ||
        !is_visible_ascii(row->path))
        return vos_error_set(VOS_EINVALID,
                             "idempotency path must be 1 to %d bytes of visible ASCII",
                             VOS_IDEMPOTENCY_PATH_MAX);
    return check_digest(row->request_sha256, "idempotency request_sha256");
}

int vos_store_idempotency_reserve(vos_store *st, const vos_idempotency_row *row)
{
    int rc = vos_store_need_write(st, "reserve an idempotency key");
    if (rc == 0) rc = check_scope_key(row->scope, row->key);
    if (rc == 0) rc = check_request(row);
    if (rc < 0) return rc;
    vos_idempotency_row r = *row;
    r.status = 0;
    r.content_type = NULL;
    r.body = NULL;
    vos_store_now(r.created_at);
    vos_fault fault = {.kind = VOS_FAULT_NONE};
    rc = st->be->idempotency_insert(st->be, &r, &fault);
    if (rc == VOS_ECONFLICT && fault.kind == VOS_FAULT_UNIQUE)
        return vos_error_set(VOS_ECONFLICT, "idempotency key '%s' is already in use", row->key);
    if (rc == VOS_ECONFLICT && fault.kind != VOS_FAULT_NONE)
        return record_fault(&fault, 0, "idempotency key");
    return rc;
}

int vos_store_idempotency_get(vos_store *st, vos_idempotency_row **out, const char *scope,
                              const char *key)
{
    *out = NULL;
    int rc = check_scope_key(scope, key);
    if (rc < 0) return rc;
    vos_idempotency_row *row = calloc(1, sizeof *row);
    if (!row) return vos_error_set(VOS_ENOMEM, "out of memory");
    rc = st->be->idempotency_get(st->be, scope, key, row);
    if (rc < 0) {
        vos_idempotency_row_free(row);
        return rc;
    }
    *out = row;
    return 0;
}

int vos_store_idempotency_finish(vos_store *st, const char *scope, const char *key, int status,
                                 const char *content_type, const char *body)
{
    int rc = vos_store_need_write(st, "keep a reply");
    if (rc == 0) rc = check_scope_key(scope, key);
    if (rc == 0 && (status < HTTP_STATUS_MIN || status > HTTP_STATUS_MAX))
        rc = vos_error_set(VOS_EINVALID, "idempotency status %d is not an HTTP status", status);
    if (rc == 0 && content_type)
        rc = vos_text_check(content_type, VOS_TF_NAME, VOS_NAME_MAX, "idempotency", "content_type");
    if (rc == 0 && body && strlen(body) > VOS_IDEMPOTENCY_REPLY_MAX)
        rc = vos_error_set(VOS_ETOOLARGE, "a reply to keep is longer than %d bytes",
                           VOS_IDEMPOTENCY_REPLY_MAX);
    if (rc < 0) return rc;
    if (content_type && !*content_type) content_type = NULL;
    vos_fault fault = {.kind = VOS_FAULT_NONE};
    rc = st->be->idempotency_finish(st->be, scope, key, status, content_type, body ? body : "",
                                    &fault);
    if (rc == VOS_ENOTFOUND)
        return vos_error_set(VOS_ENOTFOUND, "idempotency key '%s' is not reserved", key);
    if (rc == VOS_ECONFLICT && fault.kind != VOS_FAULT_NONE)
        return record_fault(&fault, 0, "idempotency key");
    return rc;
}

int vos_store_idempotency_delete(vos_store *st, const char *scope, const char *key)
{
    int rc = vos_store_need_write(st, "delete an idempotency key");
    if (rc == 0) rc = check_scope_key(scope, key);
    if (rc < 0) return rc;
    rc = st->be->idempotency_delete(st->be, scope, key);
    if (rc == VOS_ENOTFOUND)
        return vos_error_set(VOS_ENOTFOUND, "idempotency key '%s' does not exist", key);
    return rc;
}

int vos_store_idempotency_purge(vos_store *st, const char *before)
{
    int rc = vos_store_need_write(st, "purge idempotency keys");
    if (rc == 0 && (!before || vos_text_check(before, VOS_TF_STAMP, VOS_STAMP_SIZE - 1,
                                              "idempotency", "time") < 0))
        rc = vos_error_set(VOS_EINVALID, "the time to purge idempotency keys before is not a "
                                         "UTC stamp");
    if (rc < 0) return rc;
    return st->be->idempotency_purge(st->be, before);
}
