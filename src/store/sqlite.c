/* The SQLite backend of the store.
 *
 * One connection per store handle, in WAL mode with synchronous=FULL (a write acknowledged by
 * COMMIT survives a crash or power loss), foreign keys on, and a busy timeout so that writers
 * in other processes wait for each other instead of failing.  Statements are generated from
 * the entity descriptions (src/store/schema.c) and prepared once per handle.  Schema changes
 * are the numbered migrations of sqlite_migrations.c, applied on open. */
#include "sqlite_int.h"
#include "store_int.h"

#include "vos/error.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQL_MAX 4096                 /* bytes of one generated statement */
#define LIST_CACHE_MAX 32            /* list statements kept prepared per handle */
#define SLOTS (VOS_ENTITY_COUNT + 1) /* statement slots: the entities, then the audit log */
#define ROWS_START 16                /* first allocation of a list result, in rows */

enum { OP_INSERT = 0, OP_GET, OP_UPDATE, OP_DELETE, OP_COPY, OP_COUNT };

/* The statements of the records that are not entities (credentials, sessions, idempotency). */
enum {
    AUX_PASSWORD_SET = 0,
    AUX_PASSWORD_CLEAR,
    AUX_PASSWORD_GET,
    AUX_SESSION_INSERT,
    AUX_SESSION_FIND,
    AUX_SESSION_DELETE,
    AUX_SESSION_PURGE,
    AUX_IDEM_INSERT,
    AUX_IDEM_GET,
    AUX_IDEM_FINISH,
    AUX_IDEM_DELETE,
    AUX_IDEM_PURGE,
    AUX_SECRET_SET,
    AUX_SECRET_GET,
    AUX_OUTBOX_INSERT,
    AUX_OUTBOX_CLAIM,
    AUX_OUTBOX_FINISH,
    AUX_OUTBOX_LIST,
    AUX_OUTBOX_LIST_ALL,
    AUX_OUTBOX_PURGE,
    AUX_OUTBOX_RETRY_NOW,
    AUX_OUTBOX_COPY,
    AUX_JOB_CLAIM,
    AUX_RANGE_PUT,
    AUX_RANGE_GET,
    AUX_COUNT
};

#define OUTBOX_COLUMNS                                                                             \
    "id, webhook_id, event, payload, created_at, attempts, next_attempt_at, claimed_until, "       \
    "delivered_at, failed_at, last_status, last_error"

static const char *const aux_sql[AUX_COUNT] = {
    [AUX_PASSWORD_SET] =
        "INSERT INTO credentials (user_id, password_hash) VALUES (?1, ?2) "
        "ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash",
    [AUX_PASSWORD_CLEAR] = "DELETE FROM credentials WHERE user_id = ?1",
    [AUX_PASSWORD_GET] = "SELECT password_hash FROM credentials WHERE user_id = ?1",
    [AUX_SESSION_INSERT] = "INSERT INTO sessions (secret_sha256, user_id, created_at, expires_at) "
                           "VALUES (?1, ?2, ?3, ?4)",
    [AUX_SESSION_FIND] = "SELECT user_id, expires_at FROM sessions "
                         "WHERE secret_sha256 = ?1 AND expires_at > ?2",
    [AUX_SESSION_DELETE] = "DELETE FROM sessions WHERE secret_sha256 = ?1",
    [AUX_SESSION_PURGE] = "DELETE FROM sessions WHERE user_id = ?1 OR expires_at <= ?2",
    [AUX_IDEM_INSERT] = "INSERT INTO idempotency_keys (scope, key, method, path, request_sha256, "
                        "status, content_type, body, created_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, 0, NULL, NULL, ?6)",
    [AUX_IDEM_GET] = "SELECT scope, key, method, path, request_sha256, status, content_type, body, "
                     "created_at FROM idempotency_keys WHERE scope = ?1 AND key = ?2",
    [AUX_IDEM_FINISH] = "UPDATE idempotency_keys SET status = ?3, content_type = ?4, body = ?5 "
                        "WHERE scope = ?1 AND key = ?2 AND status = 0",
    [AUX_IDEM_DELETE] = "DELETE FROM idempotency_keys WHERE scope = ?1 AND key = ?2",
    [AUX_IDEM_PURGE] = "DELETE FROM idempotency_keys WHERE created_at < ?1",
    [AUX_SECRET_SET] = "INSERT INTO webhook_secrets (webhook_id, secret) VALUES (?1, ?2) "
                       "ON CONFLICT (webhook_id) DO UPDATE SET secret = excluded.secret",
    [AUX_SECRET_GET] = "SELECT secret FROM webhook_secrets WHERE webhook_id = ?1",
    [AUX_OUTBOX_INSERT] = "INSERT INTO webhook_outbox (webhook_id, event, payload, created_at, "
                          "attempts, next_attempt_at) VALUES (?1, ?2, ?3, ?4, 0, ?5)",
    /* one statement selects and leases: no other writer can interleave */
    [AUX_OUTBOX_CLAIM] = "UPDATE webhook_outbox SET claimed_until = ?2 WHERE id IN ("
                         "SELECT id FROM webhook_outbox WHERE delivered_at IS NULL "
                         "AND failed_at IS NULL AND next_attempt_at <= ?4 "
                         "AND (claimed_until IS NULL OR claimed_until <= ?1) "
                         "ORDER BY next_attempt_at, id LIMIT ?3) RETURNING " OUTBOX_COLUMNS,
    [AUX_OUTBOX_FINISH] = "UPDATE webhook_outbox SET attempts = ?3, "
                          "next_attempt_at = coalesce(?4, next_attempt_at), delivered_at = ?5, "
                          "failed_at = ?6, last_status = ?7, last_error = ?8, "
                          "claimed_until = NULL WHERE id = ?1 AND attempts = ?2",
    [AUX_OUTBOX_LIST] = "SELECT " OUTBOX_COLUMNS " FROM webhook_outbox "
                        "WHERE webhook_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
    [AUX_OUTBOX_LIST_ALL] = "SELECT " OUTBOX_COLUMNS " FROM webhook_outbox "
                            "WHERE id > ?2 ORDER BY id LIMIT ?3",
    [AUX_OUTBOX_PURGE] = "DELETE FROM webhook_outbox WHERE created_at < ?1 "
                         "AND (delivered_at IS NOT NULL OR failed_at IS NOT NULL)",
    [AUX_OUTBOX_RETRY_NOW] = "UPDATE webhook_outbox SET next_attempt_at = ?2 "
                             "WHERE (?1 = 0 OR webhook_id = ?1) AND delivered_at IS NULL "
                             "AND failed_at IS NULL AND next_attempt_at > ?2 "
                             "AND (claimed_until IS NULL OR claimed_until <= ?2)",
    [AUX_OUTBOX_COPY] = "INSERT INTO webhook_outbox (" OUTBOX_COLUMNS ") "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    /* one statement tests and takes the lease: no other writer can interleave */
    [AUX_JOB_CLAIM] = "INSERT INTO job_leases (name, holder, leased_until) VALUES (?1, ?2, ?4) "
                      "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                      "leased_until = excluded.leased_until "
                      "WHERE job_leases.leased_until <= ?3 OR job_leases.holder = excluded.holder",
    [AUX_RANGE_PUT] = "INSERT INTO ingestion_ranges (ingestion_id, first_id, last_id) "
                      "VALUES (?1, ?2, ?3) ON CONFLICT (ingestion_id) DO UPDATE SET "
                      "first_id = min(first_id, excluded.first_id), "
                      "last_id = max(last_id, excluded.last_id)",
    [AUX_RANGE_GET] = "SELECT first_id, last_id FROM ingestion_ranges WHERE ingestion_id = ?1",
};

/* measurement_points, one statement per pair of bounds (bit 0: from, bit 1: to) so that
 * each seeks its range in the index "measurement.key" (account_id, kpi_key, at, source).  It
 * reads in the index's order: sorting by at, id instead costs a sorter for the ties of
 * equal `at` (points_read puts them in id order). */
#define POINTS_SQL(range)                                                                          \
    "SELECT at, value, id FROM measurements WHERE account_id = ?1 AND kpi_key = ?2" range          \
    " ORDER BY at, source LIMIT ?5"
enum { POINTS_FROM = 1, POINTS_TO = 2, POINTS_SQL_COUNT = 4 };
static const char *const points_sql[POINTS_SQL_COUNT] = {
    POINTS_SQL(""),
    POINTS_SQL(" AND at >= ?3"),
    POINTS_SQL(" AND at < ?4"),
    POINTS_SQL(" AND at >= ?3 AND at < ?4"),
};

typedef struct cached_stmt {
    char *sql;
    sqlite3_stmt *stmt;
} cached_stmt;

typedef struct sqlite_be {
    vos_store_backend base; /* first: the generic layer holds a vos_store_backend * */
    sqlite3 *db;
    int busy_ms;
    sqlite3_stmt *ops[SLOTS][OP_COUNT];
    cached_stmt lists[LIST_CACHE_MAX];
    size_t evict; /* next list slot to reuse when all are taken */
    sqlite3_stmt *aux[AUX_COUNT];
    sqlite3_stmt *meas_put, *meas_find; /* measurement_put (see "measurements in bulk") */
    bool bulk;                          /* in the bulk mode of measurement_put */
    bool deferred;                      /* the transaction raised PRAGMA wal_autocheckpoint */
    int64_t checkpoint;                 /* the value to restore when it ends */
    bool big_cache;                     /* the page cache was raised for a bulk load */

    /* measurement_points, by its bounds */
    sqlite3_stmt *points[POINTS_SQL_COUNT];
} sqlite_be;

static void bulk_end(sqlite_be *b);
static void checkpoint_restore(sqlite_be *b);

/* ---- errors --------------------------------------------------------------------------------- */

static int unique_matches(const vos_unique_def *u, char cols[][VOS_NAME_MAX + 1], int n)
{
    int count = 0;
    while (count < (int)(sizeof u->fields / sizeof u->fields[0]) && u->fields[count])
        count++;
    if (count != n) return 0;
    for (int i = 0; i < n; i++) {
        int found = 0;
        for (int k = 0; k < count; k++)
            found |= strcmp(cols[i], u->fields[k]) == 0;
        if (!found) return 0;
    }
    return 1;
}

/* Which unique key of def "UNIQUE constraint failed: index 'x'" or "...: t.a, t.b" names. */
static int match_unique(const vos_entity_def *def, const char *msg)
{
    const char *p = strchr(msg, ':');
    if (!def || !p) return -1;
    p++;
    while (*p == ' ')
        p++;
    if (strncmp(p, "index '", 7) == 0) {
        p += 7;
        size_t len = strcspn(p, "'");
        for (size_t i = 0; i < def->n_uniques; i++)
            if (strlen(def->uniques[i].name) == len && strncmp(def->uniques[i].name, p, len) == 0)
                return (int)i;
        return -1;
    }
    char cols[6][VOS_NAME_MAX + 1];
    int n = 0;
    while (*p && n < 6) {
        size_t len = strcspn(p, ",");
        const char *dot = memchr(p, '.', len);
        const char *col = dot ? dot + 1 : p;
        size_t clen = len - (size_t)(col - p);
        snprintf(cols[n++], sizeof cols[0], "%.*s", (int)clen, col);
        p += len;
        while (*p == ',' || *p == ' ')
            p++;
    }
    for (size_t i = 0; i < def->n_uniques; i++)
        if (unique_matches(&def->uniques[i], cols, n)) return (int)i;
    return -1;
}

static void parse_fault(sqlite_be *b, int rc, const vos_entity_def *def, vos_fault *fault)
{
    const char *msg = sqlite3_errmsg(b->db);
    const char *colon = strrchr(msg, ':');
    const char *tail = colon ? colon + 1 + (colon[1] == ' ') : msg;
    memset(fault, 0, sizeof *fault);
    fault->index = -1;
    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        fault->kind = VOS_FAULT_UNIQUE;
        fault->index = match_unique(def, msg);
        break;
    case SQLITE_CONSTRAINT_CHECK:
        fault->kind = VOS_FAULT_CHECK;
        snprintf(fault->name, sizeof fault->name, "%s", tail);
        break;
    case SQLITE_CONSTRAINT_TRIGGER:
        fault->kind = VOS_FAULT_CHECK;
        snprintf(fault->name, sizeof fault->name, "%s", msg);
        break;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        fault->kind = VOS_FAULT_FOREIGN_KEY;
        break;
    case SQLITE_CONSTRAINT_NOTNULL: {
        const char *dot = strrchr(tail, '.');
        fault->kind = VOS_FAULT_NOT_NULL;
        snprintf(fault->name, sizeof fault->name, "%s", dot ? dot + 1 : tail);
        break;
    }
    default:
        break;
    }
}

/* Turns the failed SQLite result `rc` into a VOS error naming `what` was being done; fills
 * *fault (when given) for a constraint violation.  Never quotes SQL. */
static int fail(sqlite_be *b, int rc, const vos_entity_def *def, vos_fault *fault, const char *what)
{
    switch (rc & 0xFF) {
    case SQLITE_CONSTRAINT:
        if (fault) {
            parse_fault(b, rc, def, fault);
            if (fault->kind != VOS_FAULT_NONE)
                return vos_error_set(VOS_ECONFLICT, "%s: a constraint failed (%s)", what,
                                     fault->name[0] ? fault->name : "unique key");
        }
        return vos_error_set(VOS_ERROR, "%s: a database constraint failed", what);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return vos_error_set(VOS_ECONFLICT,
                             "%s: database is busy (another writer held it for more than %d ms)",
                             what, b->busy_ms);
    case SQLITE_FULL:
        return vos_error_set(VOS_ERROR, "%s: disk is full", what);
    case SQLITE_IOERR:
        return vos_error_set(VOS_ERROR, "%s: disk I/O error", what);
    case SQLITE_CORRUPT:
        return vos_error_set(VOS_ERROR, "%s: the database file is damaged", what);
    case SQLITE_NOTADB:
        return vos_error_set(VOS_ERROR, "%s: the file is not a database", what);
    case SQLITE_READONLY:
        return vos_error_set(VOS_ERROR, "%s: the database is read-only", what);
    case SQLITE_CANTOPEN:
        return vos_error_set(VOS_ERROR, "%s: cannot open the database file", what);
    case SQLITE_NOMEM:
        return vos_error_set(VOS_ENOMEM, "%s: out of memory", what);
    case SQLITE_TOOBIG:
        return vos_error_set(VOS_ETOOLARGE, "%s: a value is too large", what);
    default:
        return vos_error_set(VOS_ERROR, "%s: %s", what, sqlite3_errstr(rc));
    }
}

/* ---- statements ----------------------------------------------------------------------------- */

typedef struct sqlbuf {
    char s[SQL_MAX];
    size_t len;
    int over;
} sqlbuf;

static void sb_add(sqlbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(sqlbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(sb->s + sb->len, sizeof sb->s - sb->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof sb->s - sb->len)
        sb->over = 1;
    else
        sb->len += (size_t)n;
}

static int prepare(sqlite_be *b, const sqlbuf *sb, sqlite3_stmt **out)
{
    if (sb->over)
        return vos_error_set(VOS_ERROR, "internal: a statement is longer than %d bytes", SQL_MAX);
    int rc = sqlite3_prepare_v3(b->db, sb->s, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
    if (rc != SQLITE_OK) return fail(b, rc, NULL, NULL, "cannot prepare a statement");
    return 0;
}

static void done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static const char *id_name(const vos_entity_def *def)
{
    return def->fields[0].name; /* the first field is the id ("id", or "seq") */
}

static int has_revision(const vos_entity_def *def)
{
    return vos_row_field_of_type(def, VOS_FT_REVISION) != NULL;
}

static int insert_binds_id(const vos_entity_def *def)
{
    return (def->flags & (VOS_EF_SINGLETON | VOS_EF_EXPLICIT_ID)) != 0;
}

static int update_writes(const vos_field_def *f)
{
    return f->type != VOS_FT_ID && f->type != VOS_FT_CREATED && !(f->flags & VOS_FF_FIXED);
}

static void sb_columns(sqlbuf *sb, const vos_entity_def *def)
{
    for (size_t i = 0; i < def->n_fields; i++)
        sb_add(sb, "%s\"%s\"", i ? ", " : "", def->fields[i].name);
}

static void build_op(sqlbuf *sb, const vos_entity_def *def, int op)
{
    const char *id = id_name(def);
    switch (op) {
    case OP_INSERT: {
        int first = 1;
        sb_add(sb, "INSERT INTO \"%s\" (", def->table);
        for (size_t i = 0; i < def->n_fields; i++) {
            if (def->fields[i].type == VOS_FT_ID && !insert_binds_id(def)) continue;
            sb_add(sb, "%s\"%s\"", first ? "" : ", ", def->fields[i].name);
            first = 0;
        }
        sb_add(sb, ") VALUES (");
        first = 1;
        for (size_t i = 0; i < def->n_fields; i++) {
            if (def->fields[i].type == VOS_FT_ID && !insert_binds_id(def)) continue;
            sb_add(sb, "%s?", first ? "" : ", ");
            first = 0;
        }
        sb_add(sb, ")");
        break;
    }
    case OP_GET:
        sb_add(sb, "SELECT ");
        sb_columns(sb, def);
        sb_add(sb, " FROM \"%s\" WHERE \"%s\" = ?", def->table, id);
        break;
    case OP_UPDATE: {
        int first = 1;
        sb_add(sb, "UPDATE \"%s\" SET ", def->table);
        for (size_t i = 0; i < def->n_fields; i++) {
            if (!update_writes(&def->fields[i])) continue;
            sb_add(sb, "%s\"%s\" = ?", first ? "" : ", ", def->fields[i].name);
            first = 0;
        }
        sb_add(sb, " WHERE \"%s\" = ?%s", id, has_revision(def) ? " AND \"revision\" = ?" : "");
        break;
    }
    case OP_DELETE:
        sb_add(sb, "DELETE FROM \"%s\" WHERE \"%s\" = ?%s", def->table, id,
               has_revision(def) ? " AND \"revision\" = ?" : "");
        break;
    case OP_COPY: /* every column, the id included */
        sb_add(sb, "INSERT INTO \"%s\" (", def->table);
        sb_columns(sb, def);
        sb_add(sb, ") VALUES (");
        for (size_t i = 0; i < def->n_fields; i++)
            sb_add(sb, "%s?", i ? ", " : "");
        sb_add(sb, ")");
        break;
    }
}

static int slot_of(const vos_entity_def *def)
{
    return def->entity + 1; /* the audit log (-1) takes slot 0 */
}

/* The prepared statement of one operation on def, prepared on first use. */
static int op_stmt(sqlite_be *b, const vos_entity_def *def, int op, sqlite3_stmt **out)
{
    sqlite3_stmt **slot = &b->ops[slot_of(def)][op];
    if (!*slot) {
        sqlbuf sb = {.len = 0};
        build_op(&sb, def, op);
        int rc = prepare(b, &sb, slot);
        if (rc < 0) return rc;
    }
    *out = *slot;
    return 0;
}

/* A list statement by its text, from the cache or prepared now. */
static int list_stmt(sqlite_be *b, const sqlbuf *sb, sqlite3_stmt **out)
{
    for (size_t i = 0; i < LIST_CACHE_MAX; i++)
        if (b->lists[i].sql && strcmp(b->lists[i].sql, sb->s) == 0) {
            *out = b->lists[i].stmt;
            return 0;
        }
    size_t k = LIST_CACHE_MAX;
    for (size_t i = 0; i < LIST_CACHE_MAX && k == LIST_CACHE_MAX; i++)
        if (!b->lists[i].sql) k = i;
    if (k == LIST_CACHE_MAX) {
        k = b->evict++ % LIST_CACHE_MAX;
        sqlite3_finalize(b->lists[k].stmt);
        free(b->lists[k].sql);
        b->lists[k].sql = NULL;
        b->lists[k].stmt = NULL;
    }
    sqlite3_stmt *st = NULL;
    int rc = prepare(b, sb, &st);
    if (rc < 0) return rc;
    char *copy = strdup(sb->s);
    if (!copy) {
        sqlite3_finalize(st);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    b->lists[k].sql = copy;
    b->lists[k].stmt = st;
    *out = st;
    return 0;
}

/* ---- values --------------------------------------------------------------------------------- */

static int bind_field(sqlite3_stmt *st, int idx, const vos_field_def *f, const void *row)
{
    const void *p = field_cptr(row, f);
    switch (f->type) {
    case VOS_FT_ID:
    case VOS_FT_REVISION:
    case VOS_FT_INT:
        return sqlite3_bind_int64(st, idx, *(const int64_t *)p);
    case VOS_FT_REF: {
        int64_t v = *(const int64_t *)p;
        return v ? sqlite3_bind_int64(st, idx, v) : sqlite3_bind_null(st, idx);
    }
    case VOS_FT_REAL: {
        double v = *(const double *)p;
        return isnan(v) ? sqlite3_bind_null(st, idx) : sqlite3_bind_double(st, idx, v);
    }
    case VOS_FT_BOOL:
        return sqlite3_bind_int(st, idx, *(const bool *)p ? 1 : 0);
    case VOS_FT_ENUM: {
        const char *name = vos_row_enum_name(f, *(const int *)p);
        return name ? sqlite3_bind_text(st, idx, name, -1, SQLITE_STATIC)
                    : sqlite3_bind_null(st, idx);
    }
    case VOS_FT_TEXT: {
        const char *s = *(char *const *)p;
        return s ? sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, idx);
    }
    case VOS_FT_CREATED:
    case VOS_FT_UPDATED:
    case VOS_FT_DIGEST:
        return sqlite3_bind_text(st, idx, (const char *)p, -1, SQLITE_STATIC);
    }
    return SQLITE_MISUSE;
}

static int read_enum(const vos_entity_def *def, const vos_field_def *f, const char *text, int *out)
{
    for (int i = 0; text && i < f->n_names; i++)
        if (strcmp(f->names[i], text) == 0) {
            *out = i;
            return 0;
        }
    return vos_error_set(VOS_ERROR, "the database holds an unknown %s %s '%.40s'", def->name,
                         f->name, text ? text : "(null)");
}

/* Reads column `col` into the field; text is copied.  Fixed-size text that does not fit (only
 * possible in a damaged database) is cut, which the audit check then reports. */
static int read_field(sqlite3_stmt *st, int col, const vos_entity_def *def, const vos_field_def *f,
                      void *row)
{
    void *p = field_ptr(row, f);
    int null = sqlite3_column_type(st, col) == SQLITE_NULL;
    switch (f->type) {
    case VOS_FT_ID:
    case VOS_FT_REVISION:
    case VOS_FT_INT:
    case VOS_FT_REF:
        *(int64_t *)p = sqlite3_column_int64(st, col);
        return 0;
    case VOS_FT_REAL:
        *(double *)p = null ? NAN : sqlite3_column_double(st, col);
        return 0;
    case VOS_FT_BOOL:
        *(bool *)p = sqlite3_column_int64(st, col) != 0;
        return 0;
    case VOS_FT_ENUM:
        return read_enum(def, f, (const char *)sqlite3_column_text(st, col), (int *)p);
    case VOS_FT_TEXT: {
        if (null) return 0;
        const unsigned char *s = sqlite3_column_text(st, col);
        int n = sqlite3_column_bytes(st, col);
        char *copy = malloc((size_t)n + 1);
        if (!s || !copy) {
            free(copy);
            return vos_error_set(VOS_ENOMEM, "out of memory reading %s %s", def->name, f->name);
        }
        memcpy(copy, s, (size_t)n);
        copy[n] = '\0';
        *(char **)p = copy;
        return 0;
    }
    case VOS_FT_CREATED:
    case VOS_FT_UPDATED:
    case VOS_FT_DIGEST: {
        size_t size = f->type == VOS_FT_DIGEST ? VOS_SHA256_HEX_SIZE : VOS_STAMP_SIZE;
        const unsigned char *s = sqlite3_column_text(st, col);
        snprintf(p, size, "%s", s ? (const char *)s : "");
        return 0;
    }
    }
    return 0;
}

static int read_row(sqlite3_stmt *st, const vos_entity_def *def, void *row)
{
    for (size_t i = 0; i < def->n_fields; i++) {
        int rc = read_field(st, (int)i, def, &def->fields[i], row);
        if (rc < 0) {
            vos_row_clear(def, row);
            return rc;
        }
    }
    return 0;
}

/* ---- plain statements ----------------------------------------------------------------------- */

static int exec(sqlite_be *b, const char *sql, const char *what)
{
    int rc = sqlite3_exec(b->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : fail(b, rc, NULL, NULL, what);
}

/* The integer result of a one-value statement (a PRAGMA). */
static int query_int(sqlite_be *b, const char *sql, int64_t *out, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(b->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return 0;
    }
    int err = fail(b, rc, NULL, NULL, what);
    sqlite3_finalize(st);
    return err;
}

/* The text result of a one-value statement, copied into out. */
static int query_text(sqlite_be *b, const char *sql, char *out, size_t size, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(b->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        const unsigned char *s = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
        snprintf(out, size, "%s", s ? (const char *)s : "");
        sqlite3_finalize(st);
        return 0;
    }
    int err = fail(b, rc, NULL, NULL, what);
    sqlite3_finalize(st);
    return err;
}

/* ---- transactions --------------------------------------------------------------------------- */

static int sq_begin(vos_store_backend *be, bool write)
{
    sqlite_be *b = (sqlite_be *)be;
    return exec(b, write ? "BEGIN IMMEDIATE" : "BEGIN", "cannot start a transaction");
}

static int sq_in_transaction(vos_store_backend *be)
{
    return !sqlite3_get_autocommit(((sqlite_be *)be)->db);
}

static int sq_rollback(vos_store_backend *be)
{
    sqlite_be *b = (sqlite_be *)be;
    bulk_end(b);
    int rc = sqlite3_get_autocommit(b->db) /* none open, or SQLite rolled it back already */
                 ? 0
                 : exec(b, "ROLLBACK", "cannot roll back the transaction");
    checkpoint_restore(b);
    return rc;
}

static int sq_commit(vos_store_backend *be)
{
    sqlite_be *b = (sqlite_be *)be;
    bulk_end(b);
    int rc = sqlite3_exec(b->db, "COMMIT", NULL, NULL, NULL);
    checkpoint_restore(b);
    if (rc == SQLITE_OK) return 0;
    int err = fail(b, rc, NULL, NULL, "cannot commit the transaction");
    char msg[VOS_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", vos_error_last());
    sq_rollback(be);
    vos_error_set(err, "%s", msg);
    return err;
}

/* ---- rows ----------------------------------------------------------------------------------- */

static int sq_insert(vos_store_backend *be, const vos_entity_def *def, void *row, vos_fault *fault)
{
    sqlite_be *b = (sqlite_be *)be;
    bulk_end(b);
    sqlite3_stmt *st = NULL;
    int rc = op_stmt(b, def, OP_INSERT, &st);
    if (rc < 0) return rc;
    int idx = 1;
    for (size_t i = 0; i < def->n_fields; i++) {
        const vos_field_def *f = &def->fields[i];
        if (f->type == VOS_FT_ID && !insert_binds_id(def)) continue;
        bind_field(st, idx++, f, row);
    }
    char what[VOS_NAME_MAX];
    snprintf(what, sizeof what, "cannot write %s", def->name);
    rc = sqlite3_step(st);
    int err = rc == SQLITE_DONE ? 0 : fail(b, rc, def, fault, what);
    done(st);
    if (err == 0 && !insert_binds_id(def))
        *(int64_t *)field_ptr(row, &def->fields[0]) = sqlite3_last_insert_rowid(b->db);
    return err;
}

/* Binds every field, the id included.  An AUTOINCREMENT table keeps the largest id ever
 * inserted in sqlite_sequence, so the next plain insert gets a larger one; the others take
 * max(id) + 1. */
static int sq_insert_copy(vos_store_backend *be, const vos_entity_def *def, const void *row,
                          vos_fault *fault)
{
    sqlite_be *b = (sqlite_be *)be;
    bulk_end(b);
    sqlite3_stmt *st = NULL;
    int rc = op_stmt(b, def, OP_COPY, &st);
    if (rc < 0) return rc;
    for (size_t i = 0; i < def->n_fields; i++)
        bind_field(st, (int)i + 1, &def->fields[i], row);
    char what[VOS_NAME_MAX];
    snprintf(what, sizeof what, "cannot copy %s %lld", def->name,
             (long long)*(const int64_t *)field_cptr(row, &def->fields[0]));
    rc = sqlite3_step(st);
    int err = rc == SQLITE_DONE ? 0 : fail(b, rc, def, fault, what);
    done(st);
    return err;
}

static int sq_get(vos_store_backend *be, const vos_entity_def *def, int64_t id, void *row)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = op_stmt(b, def, OP_GET, &st);
    if (rc < 0) return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    int err;
    if (rc == SQLITE_ROW) {
        err = read_row(st, def, row);
    } else if (rc == SQLITE_DONE) {
        err = vos_error_set(VOS_ENOTFOUND, "%s %lld not found", def->name, (long long)id);
    } else {
        char what[VOS_NAME_MAX];
        snprintf(what, sizeof what, "cannot read %s %lld", def->name, (long long)id);
        err = fail(b, rc, def, NULL, what);
    }
    done(st);
    return err;
}

/* Runs a write statement with bindings in place; VOS_ENOTFOUND when it changed no row. */
static int step_write(sqlite_be *b, sqlite3_stmt *st, const vos_entity_def *def, int64_t id,
                      vos_fault *fault, const char *verb)
{
    char what[VOS_NAME_MAX];
    snprintf(what, sizeof what, "cannot %s %s %lld", verb, def->name, (long long)id);
    int rc = sqlite3_step(st);
    int err = rc == SQLITE_DONE ? 0 : fail(b, rc, def, fault, what);
    done(st);
    if (err == 0 && sqlite3_changes(b->db) == 0)
        err = vos_error_set(VOS_ENOTFOUND, "%s %lld not found", def->name, (long long)id);
    return err;
}

static int sq_update(vos_store_backend *be, const vos_entity_def *def, const void *row,
                     int64_t expected, vos_fault *fault)
{
    sqlite_be *b = (sqlite_be *)be;
    bulk_end(b);
    sqlite3_stmt *st = NULL;
    int rc = op_stmt(b, def, OP_UPDATE, &st);
    if (rc < 0) return rc;
    int idx = 1;
    for (size_t i = 0; i < def->n_fields; i++)
        if (update_writes(&def->fields[i])) bind_field(st, idx++, &def->fields[i], row);
    int64_t id = *(const int64_t *)field_cptr(row, &def->fields[0]);
    sqlite3_bind_int64(st, idx++, id);
    if (has_revision(def)) sqlite3_bind_int64(st, idx, expected);
    return step_write(b, st, def, id, fault, "update");
}

static int sq_remove(vos_store_backend *be, const vos_entity_def *def, int64_t id, int64_t expected,
                     vos_fault *fault)
{
    sqlite_be *b = (sqlite_be *)be;
    bulk_end(b);
    sqlite3_stmt *st = NULL;
    int rc = op_stmt(b, def, OP_DELETE, &st);
    if (rc < 0) return rc;
    sqlite3_bind_int64(st, 1, id);
    if (has_revision(def)) sqlite3_bind_int64(st, 2, expected);
    return step_write(b, st, def, id, fault, "delete");
}

/* A filter value that means "none" is matched with IS NULL and binds nothing. */
static int filter_is_none(const vos_field_def *f, const vos_store_filter *w)
{
    if (w->cmp != VOS_CMP_EQ) return 0;
    switch (f->type) {
    case VOS_FT_REF:
        return w->i == 0;
    case VOS_FT_REAL:
        return isnan(w->r);
    case VOS_FT_TEXT:
        return w->s == NULL;
    default:
        return 0;
    }
}

static void bind_filter(sqlite3_stmt *st, int idx, const vos_field_def *f,
                        const vos_store_filter *w)
{
    switch (f->type) {
    case VOS_FT_REAL:
        sqlite3_bind_double(st, idx, w->r);
        break;
    case VOS_FT_ENUM:
        sqlite3_bind_text(st, idx, vos_row_enum_name(f, (int)w->i), -1, SQLITE_STATIC);
        break;
    case VOS_FT_TEXT:
    case VOS_FT_CREATED:
    case VOS_FT_UPDATED:
    case VOS_FT_DIGEST:
        sqlite3_bind_text(st, idx, w->s ? w->s : "", -1, SQLITE_STATIC);
        break;
    default:
        sqlite3_bind_int64(st, idx, w->i);
        break;
    }
}

static void build_list(sqlbuf *sb, const vos_entity_def *def, const vos_store_query *q,
                       const char *order_by)
{
    static const char *const ops[] = {"=", ">=", "<"};
    const char *id = id_name(def);
    sb_add(sb, "SELECT ");
    sb_columns(sb, def);
    sb_add(sb, " FROM \"%s\" WHERE 1", def->table);
    if (q->after_id) sb_add(sb, " AND \"%s\" %s ?", id, q->descending ? "<" : ">");
    for (size_t i = 0; i < q->n_where; i++) {
        const vos_field_def *f = vos_row_field(def, q->where[i].field);
        if (filter_is_none(f, &q->where[i]))
            sb_add(sb, " AND \"%s\" IS NULL", f->name);
        else
            sb_add(sb, " AND \"%s\" %s ?", f->name, ops[q->where[i].cmp]);
    }
    sb_add(sb, " ORDER BY ");
    if (order_by) sb_add(sb, "\"%s\"%s, ", order_by, q->descending ? " DESC" : "");
    sb_add(sb, "\"%s\"%s LIMIT ?", id, q->descending ? " DESC" : "");
}

static int grow_rows(const vos_entity_def *def, char **rows, size_t *cap, size_t n)
{
    if (n < *cap) return 0;
    size_t cap2 = *cap ? *cap * 2 : ROWS_START;
    char *r = realloc(*rows, cap2 * def->size);
    if (!r) return vos_error_set(VOS_ENOMEM, "out of memory listing %s rows", def->name);
    memset(r + *cap * def->size, 0, (cap2 - *cap) * def->size);
    *rows = r;
    *cap = cap2;
    return 0;
}

static int sq_list(vos_store_backend *be, const vos_entity_def *def, const vos_store_query *q,
                   const char *order_by, void **out, size_t *n_out)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlbuf sb = {.len = 0};
    build_list(&sb, def, q, order_by);
    sqlite3_stmt *st = NULL;
    int rc = list_stmt(b, &sb, &st);
    if (rc < 0) return rc;
    int idx = 1;
    if (q->after_id) sqlite3_bind_int64(st, idx++, q->after_id);
    for (size_t i = 0; i < q->n_where; i++) {
        const vos_field_def *f = vos_row_field(def, q->where[i].field);
        if (!filter_is_none(f, &q->where[i])) bind_filter(st, idx++, f, &q->where[i]);
    }
    sqlite3_bind_int64(st, idx, (int64_t)q->limit);
    char *rows = NULL;
    size_t n = 0, cap = 0;
    int err = 0;
    while (err == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        err = grow_rows(def, &rows, &cap, n);
        if (err == 0) err = read_row(st, def, rows + n * def->size);
        if (err == 0) n++;
    }
    if (err == 0 && rc != SQLITE_DONE) {
        char what[VOS_NAME_MAX];
        snprintf(what, sizeof what, "cannot list %s rows", def->name);
        err = fail(b, rc, def, NULL, what);
    }
    done(st);
    if (err < 0) {
        vos_rows_free(def, rows, n);
        return err;
    }
    *out = rows;
    *n_out = n;
    return 0;
}

/* ---- credentials, sessions, idempotency keys ------------------------------------------------ */

/* The prepared statement `which` of aux_sql, prepared on first use. */
static int aux_stmt(sqlite_be *b, int which, sqlite3_stmt **out)
{
    if (!b->aux[which]) {
        int rc = sqlite3_prepare_v3(b->db, aux_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                                    &b->aux[which], NULL);
        if (rc != SQLITE_OK) return fail(b, rc, NULL, NULL, "cannot prepare a statement");
    }
    *out = b->aux[which];
    return 0;
}

static void bind_text(sqlite3_stmt *st, int idx, const char *s)
{
    if (s)
        sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, idx);
}

/* Runs a bound write statement.  Returns 0 (*changed = rows changed) or an error naming
 * `what`, with *fault filled for a constraint. */
static int aux_write(sqlite_be *b, sqlite3_stmt *st, vos_fault *fault, const char *what,
                     int *changed)
{
    int rc = sqlite3_step(st);
    int err = rc == SQLITE_DONE ? 0 : fail(b, rc, NULL, fault, what);
    done(st);
    if (changed) *changed = err == 0 ? sqlite3_changes(b->db) : 0;
    return err;
}

/* A heap copy of column `col` (NULL stays NULL); VOS_ENOMEM. */
static int column_copy(sqlite3_stmt *st, int col, char **out)
{
    *out = NULL;
    if (sqlite3_column_type(st, col) == SQLITE_NULL) return 0;
    const unsigned char *s = sqlite3_column_text(st, col);
    int n = sqlite3_column_bytes(st, col);
    char *copy = malloc((size_t)n + 1);
    if (!s || !copy) {
        free(copy);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    memcpy(copy, s, (size_t)n);
    copy[n] = '\0';
    *out = copy;
    return 0;
}

static int sq_password_set(vos_store_backend *be, int64_t user_id, const char *hash,
                           vos_fault *fault)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, hash ? AUX_PASSWORD_SET : AUX_PASSWORD_CLEAR, &st);
    if (rc < 0) return rc;
    sqlite3_bind_int64(st, 1, user_id);
    if (hash) sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    return aux_write(b, st, fault, "cannot write the password", NULL);
}

static int sq_password_get(vos_store_backend *be, int64_t user_id, char **hash)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_PASSWORD_GET, &st);
    if (rc < 0) return rc;
    sqlite3_bind_int64(st, 1, user_id);
    rc = sqlite3_step(st);
    int err = rc == SQLITE_ROW ? column_copy(st, 0, hash)
              : rc == SQLITE_DONE
                  ? vos_error_set(VOS_ENOTFOUND, "user %lld has no password", (long long)user_id)
                  : fail(b, rc, NULL, NULL, "cannot read the password");
    done(st);
    return err;
}

static int sq_session_insert(vos_store_backend *be, const char *secret_sha256, int64_t user_id,
                             const char *created_at, const char *expires_at, vos_fault *fault)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_SESSION_INSERT, &st);
    if (rc < 0) return rc;
    sqlite3_bind_text(st, 1, secret_sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_text(st, 3, created_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, expires_at, -1, SQLITE_STATIC);
    return aux_write(b, st, fault, "cannot write the session", NULL);
}

static int sq_session_find(vos_store_backend *be, const char *secret_sha256, const char *now,
                           int64_t *user_id, char expires_at[VOS_STAMP_SIZE])
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_SESSION_FIND, &st);
    if (rc < 0) return rc;
    sqlite3_bind_text(st, 1, secret_sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    int err = 0;
    if (rc == SQLITE_ROW) {
        const unsigned char *exp = sqlite3_column_text(st, 1);
        *user_id = sqlite3_column_int64(st, 0);
        snprintf(expires_at, VOS_STAMP_SIZE, "%s", exp ? (const char *)exp : "");
    } else if (rc == SQLITE_DONE) {
        err = vos_error_set(VOS_ENOTFOUND, "no such session (or it has expired)");
    } else {
        err = fail(b, rc, NULL, NULL, "cannot read the session");
    }
    done(st);
    return err;
}

static int sq_session_delete(vos_store_backend *be, const char *secret_sha256)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_SESSION_DELETE, &st);
    if (rc < 0) return rc;
    sqlite3_bind_text(st, 1, secret_sha256, -1, SQLITE_STATIC);
    return aux_write(b, st, NULL, "cannot delete the session", NULL);
}

static int sq_session_purge(vos_store_backend *be, int64_t user_id, const char *now)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_SESSION_PURGE, &st);
    if (rc < 0) return rc;
    sqlite3_bind_int64(st, 1, user_id > 0 ? user_id : -1); /* no user has id -1 */
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    return aux_write(b, st, NULL, "cannot delete sessions", NULL);
}

static int sq_idempotency_insert(vos_store_backend *be, const vos_idempotency_row *row,
                                 vos_fault *fault)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_IDEM_INSERT, &st);
    if (rc < 0) return rc;
    bind_text(st, 1, row->scope);
    bind_text(st, 2, row->key);
    bind_text(st, 3, row->method);
    bind_text(st, 4, row->path);
    bind_text(st, 5, row->request_sha256);
    bind_text(st, 6, row->created_at);
    return aux_write(b, st, fault, "cannot write the idempotency key", NULL);
}

static int read_idempotency(sqlite3_stmt *st, vos_idempotency_row *out)
{
    int rc = column_copy(st, 0, &out->scope);
    if (rc == 0) rc = column_copy(st, 1, &out->key);
    if (rc == 0) rc = column_copy(st, 2, &out->method);
    if (rc == 0) rc = column_copy(st, 3, &out->path);
    const unsigned char *digest = sqlite3_column_text(st, 4);
    snprintf(out->request_sha256, VOS_SHA256_HEX_SIZE, "%s", digest ? (const char *)digest : "");
    out->status = sqlite3_column_int(st, 5);
    if (rc == 0) rc = column_copy(st, 6, &out->content_type);
    if (rc == 0) rc = column_copy(st, 7, &out->body);
    const unsigned char *at = sqlite3_column_text(st, 8);
    snprintf(out->created_at, VOS_STAMP_SIZE, "%s", at ? (const char *)at : "");
    return rc;
}

static int sq_idempotency_get(vos_store_backend *be, const char *scope, const char *key,
                              vos_idempotency_row *out)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_IDEM_GET, &st);
    if (rc < 0) return rc;
    sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    int err = rc == SQLITE_ROW ? read_idempotency(st, out)
              : rc == SQLITE_DONE
                  ? vos_error_set(VOS_ENOTFOUND, "idempotency key '%.*s' does not exist",
                                  VOS_IDEMPOTENCY_KEY_MAX, key)
                  : fail(b, rc, NULL, NULL, "cannot read the idempotency key");
    done(st);
    return err;
}

static int sq_idempotency_finish(vos_store_backend *be, const char *scope, const char *key,
                                 int status, const char *content_type, const char *body,
                                 vos_fault *fault)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_IDEM_FINISH, &st);
    if (rc < 0) return rc;
    sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, status);
    bind_text(st, 4, content_type);
    bind_text(st, 5, body);
    int changed = 0;
    rc = aux_write(b, st, fault, "cannot keep the reply", &changed);
    if (rc == 0 && !changed) return vos_error_set(VOS_ENOTFOUND, "no reserved idempotency key");
    return rc;
}

static int sq_idempotency_delete(vos_store_backend *be, const char *scope, const char *key)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_IDEM_DELETE, &st);
    if (rc < 0) return rc;
    sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    int changed = 0;
    rc = aux_write(b, st, NULL, "cannot delete the idempotency key", &changed);
    if (rc == 0 && !changed) return vos_error_set(VOS_ENOTFOUND, "no such idempotency key");
    return rc;
}

static int sq_idempotency_purge(vos_store_backend *be, const char *before)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_IDEM_PURGE, &st);
    if (rc < 0) return rc;
    sqlite3_bind_text(st, 1, before, -1, SQLITE_STATIC);
    return aux_write(b, st, NULL, "cannot delete idempotency keys", NULL);
}

/* ---- webhook secrets and the outbox --------------------------------------------------------- */

static int sq_webhook_secret_set(vos_store_backend *be, int64_t webhook_id, const char *secret,
                                 vos_fault *fault)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_SECRET_SET, &st);
    if (rc < 0) return rc;
    sqlite3_bind_int64(st, 1, webhook_id);
    sqlite3_bind_text(st, 2, secret, -1, SQLITE_STATIC);
    return aux_write(b, st, fault, "cannot write the webhook secret", NULL);
}

static int sq_webhook_secret_get(vos_store_backend *be, int64_t webhook_id, char **secret)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_SECRET_GET, &st);
    if (rc < 0) return rc;
    sqlite3_bind_int64(st, 1, webhook_id);
    rc = sqlite3_step(st);
    int err = rc == SQLITE_ROW    ? column_copy(st, 0, secret)
              : rc == SQLITE_DONE ? vos_error_set(VOS_ENOTFOUND, "webhook %lld has no secret",
                                                  (long long)webhook_id)
                                  : fail(b, rc, NULL, NULL, "cannot read the webhook secret");
    done(st);
    return err;
}

static int sq_outbox_insert(vos_store_backend *be, vos_outbox_row *row, vos_fault *fault)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_OUTBOX_INSERT, &st);
    if (rc < 0) return rc;
    sqlite3_bind_int64(st, 1, row->webhook_id);
    bind_text(st, 2, row->event);
    bind_text(st, 3, row->payload);
    bind_text(st, 4, row->created_at);
    bind_text(st, 5, row->next_attempt_at);
    rc = aux_write(b, st, fault, "cannot write the outbox event", NULL);
    if (rc == 0) row->id = sqlite3_last_insert_rowid(b->db);
    return rc;
}

static int sq_outbox_copy(vos_store_backend *be, const vos_outbox_row *row, vos_fault *fault)
{
    sqlite_be *b = (sqlite_be *)be;
    bulk_end(b);
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_OUTBOX_COPY, &st);
    if (rc < 0) return rc;
    sqlite3_bind_int64(st, 1, row->id);
    sqlite3_bind_int64(st, 2, row->webhook_id);
    bind_text(st, 3, row->event);
    bind_text(st, 4, row->payload);
    bind_text(st, 5, row->created_at);
    sqlite3_bind_int64(st, 6, row->attempts);
    bind_text(st, 7, row->next_attempt_at);
    bind_text(st, 8, row->claimed_until);
    bind_text(st, 9, row->delivered_at);
    bind_text(st, 10, row->failed_at);
    sqlite3_bind_int(st, 11, row->last_status);
    bind_text(st, 12, row->last_error);
    return aux_write(b, st, fault, "cannot copy the outbox event", NULL);
}

static void column_stamp(sqlite3_stmt *st, int col, char out[VOS_STAMP_SIZE])
{
    const unsigned char *s = sqlite3_column_text(st, col);
    snprintf(out, VOS_STAMP_SIZE, "%s", s ? (const char *)s : "");
}

/* Reads the OUTBOX_COLUMNS of the current result row. */
static int read_outbox(sqlite3_stmt *st, vos_outbox_row *r)
{
    r->id = sqlite3_column_int64(st, 0);
    r->webhook_id = sqlite3_column_int64(st, 1);
    int rc = column_copy(st, 2, &r->event);
    if (rc == 0) rc = column_copy(st, 3, &r->payload);
    column_stamp(st, 4, r->created_at);
    r->attempts = sqlite3_column_int64(st, 5);
    column_stamp(st, 6, r->next_attempt_at);
    if (rc == 0) rc = column_copy(st, 7, &r->claimed_until);
    if (rc == 0) rc = column_copy(st, 8, &r->delivered_at);
    if (rc == 0) rc = column_copy(st, 9, &r->failed_at);
    r->last_status = sqlite3_column_int(st, 10);
    if (rc == 0) rc = column_copy(st, 11, &r->last_error);
    return rc;
}

/* Steps a bound statement that returns outbox rows.  OUT: *out, *n. */
static int outbox_rows(sqlite_be *b, sqlite3_stmt *st, const char *what, vos_outbox_row **out,
                       size_t *n_out)
{
    vos_outbox_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc, err = 0;
    while (err == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t cap2 = cap ? 2 * cap : ROWS_START;
            vos_outbox_row *r = realloc(rows, cap2 * sizeof *r);
            if (!r) {
                err = vos_error_set(VOS_ENOMEM, "out of memory reading the outbox");
                break;
            }
            rows = r;
            cap = cap2;
        }
        memset(&rows[n], 0, sizeof rows[n]);
        err = read_outbox(st, &rows[n]);
        n++;
    }
    if (err == 0 && rc != SQLITE_DONE) err = fail(b, rc, NULL, NULL, what);
    done(st);
    if (err < 0) {
        vos_outbox_rows_free(rows, n);
        return err;
    }
    *out = rows;
    *n_out = n;
    return 0;
}

static int outbox_cmp(const void *pa, const void *pb)
{
    const vos_outbox_row *a = pa, *b = pb;
    int c = strcmp(a->next_attempt_at, b->next_attempt_at);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

static int sq_outbox_claim(vos_store_backend *be, const char *now, const char *due_by,
                           const char *until, size_t max, vos_outbox_row **rows, size_t *n)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_OUTBOX_CLAIM, &st);
    if (rc < 0) return rc;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, until, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (int64_t)max);
    sqlite3_bind_text(st, 4, due_by, -1, SQLITE_STATIC);
    rc = outbox_rows(b, st, "cannot claim outbox events", rows, n);
    if (rc == 0 && *n > 1) qsort(*rows, *n, sizeof **rows, outbox_cmp); /* RETURNING: no order */
    return rc;
}

static int sq_outbox_finish(vos_store_backend *be, const vos_outbox_row *row, int64_t expected,
                            vos_fault *fault)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_OUTBOX_FINISH, &st);
    if (rc < 0) return rc;
    sqlite3_bind_int64(st, 1, row->id);
    sqlite3_bind_int64(st, 2, expected);
    sqlite3_bind_int64(st, 3, row->attempts);
    bind_text(st, 4, row->next_attempt_at[0] ? row->next_attempt_at : NULL);
    bind_text(st, 5, row->delivered_at);
    bind_text(st, 6, row->failed_at);
    sqlite3_bind_int(st, 7, row->last_status);
    bind_text(st, 8, row->last_error);
    int changed = 0;
    rc = aux_write(b, st, fault, "cannot record the outbox attempt", &changed);
    if (rc == 0 && !changed) return vos_error_set(VOS_ENOTFOUND, "no such outbox event");
    return rc;
}

static int sq_outbox_list(vos_store_backend *be, int64_t webhook_id, int64_t after_id,
                          size_t limit, vos_outbox_row **rows, size_t *n)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, webhook_id ? AUX_OUTBOX_LIST : AUX_OUTBOX_LIST_ALL, &st);
    if (rc < 0) return rc;
    if (webhook_id) sqlite3_bind_int64(st, 1, webhook_id);
    sqlite3_bind_int64(st, 2, after_id);
    sqlite3_bind_int64(st, 3, (int64_t)limit);
    return outbox_rows(b, st, "cannot read the outbox", rows, n);
}

static int sq_outbox_purge(vos_store_backend *be, const char *before)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_OUTBOX_PURGE, &st);
    if (rc < 0) return rc;
    sqlite3_bind_text(st, 1, before, -1, SQLITE_STATIC);
    return aux_write(b, st, NULL, "cannot purge the outbox", NULL);
}

static int sq_outbox_retry_now(vos_store_backend *be, int64_t webhook_id, const char *now)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_OUTBOX_RETRY_NOW, &st);
    if (rc < 0) return rc;
    sqlite3_bind_int64(st, 1, webhook_id);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    return aux_write(b, st, NULL, "cannot reschedule the outbox", NULL);
}

/* ---- job leases ----------------------------------------------------------------------------- */

static int sq_job_claim(vos_store_backend *be, const char *name, const char *holder,
                        const char *now, const char *until, bool *claimed)
{
    sqlite_be *b = (sqlite_be *)be;
    bulk_end(b);
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_JOB_CLAIM, &st);
    if (rc < 0) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, holder, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, until, -1, SQLITE_STATIC);
    int changed = 0;
    rc = aux_write(b, st, NULL, "cannot claim the job lease", &changed);
    *claimed = rc == 0 && changed > 0;
    return rc;
}

/* ---- ingestion ranges ----------------------------------------------------------------------- */

static int sq_ingestion_range_put(vos_store_backend *be, int64_t ingestion_id, int64_t first,
                                  int64_t last)
{
    sqlite_be *b = (sqlite_be *)be;
    bulk_end(b);
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_RANGE_PUT, &st);
    if (rc < 0) return rc;
    sqlite3_bind_int64(st, 1, ingestion_id);
    sqlite3_bind_int64(st, 2, first);
    sqlite3_bind_int64(st, 3, last);
    return aux_write(b, st, NULL, "cannot write the range of an ingestion", NULL);
}

static int sq_ingestion_range_get(vos_store_backend *be, int64_t ingestion_id, int64_t *first,
                                  int64_t *last)
{
    sqlite_be *b = (sqlite_be *)be;
    sqlite3_stmt *st = NULL;
    int rc = aux_stmt(b, AUX_RANGE_GET, &st);
    if (rc < 0) return rc;
    sqlite3_bind_int64(st, 1, ingestion_id);
    rc = sqlite3_step(st);
    int err = 0;
    if (rc == SQLITE_ROW) {
        *first = sqlite3_column_int64(st, 0);
        *last = sqlite3_column_int64(st, 1);
    } else {
        err = rc == SQLITE_DONE ? vos_error_set(VOS_ENOTFOUND, "ingestion %" PRId64
                                                " has no recorded range", ingestion_id)
                                : fail(b, rc, NULL, NULL, "cannot read the range of an ingestion");
    }
    done(st);
    return err;
}

/* ---- integrity ------------------------------------------------------------------------------ */

/* Compares the migrations recorded in the database with the ones built in. */
static int check_migrations(sqlite_be *b, char *problem, size_t size)
{
    for (int i = 0; i < vos_sqlite_migrations_count && !problem[0]; i++) {
        const vos_sqlite_migration *m = &vos_sqlite_migrations[i];
        char sql[SQL_MAX / 16], recorded[VOS_SHA256_HEX_SIZE], want[VOS_SHA256_HEX_SIZE];
        snprintf(sql, sizeof sql, "SELECT sha256 FROM schema_migrations WHERE version = %d",
                 m->version);
        int rc = query_text(b, sql, recorded, sizeof recorded, "cannot read schema_migrations");
        if (rc < 0) return rc;
        char *text = NULL;
        rc = vos_lines_join(m->lines, &text);
        if (rc < 0) return rc;
        vos_sha256_hex(want, text, strlen(text));
        free(text);
        if (strcmp(recorded, want) != 0)
            snprintf(problem, size,
                     "migration %04d_%s recorded in the database differs from "
                     "the one built into this program",
                     m->version, m->name);
    }
    return 0;
}

static int sq_check(vos_store_backend *be, char *problem, size_t size)
{
    sqlite_be *b = (sqlite_be *)be;
    char text[VOS_ERROR_MSG_MAX / 2];
    problem[0] = '\0';
    int rc =
        query_text(b, "PRAGMA integrity_check(1)", text, sizeof text, "cannot check the database");
    if (rc < 0) return rc;
    if (strcmp(text, "ok") != 0) {
        snprintf(problem, size, "the database file is damaged: %s", text);
        return 0;
    }
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(b->db, "PRAGMA foreign_key_check", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(problem, size, "%s row %lld refers to a missing row of %s",
                 (const char *)sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 1),
                 (const char *)sqlite3_column_text(st, 2));
    int err = rc == SQLITE_ROW || rc == SQLITE_DONE
                  ? 0
                  : fail(b, rc, NULL, NULL, "cannot check references");
    sqlite3_finalize(st);
    if (err < 0 || problem[0]) return err;
    rc = query_text(b, VOS_STORE_RANGE_CHECK_SQL, text, sizeof text, "cannot check the ranges");
    if (rc < 0) return rc;
    if (text[0]) {
        snprintf(problem, size, VOS_STORE_RANGE_PROBLEM, text);
        return 0;
    }
    return check_migrations(b, problem, size);
}

/* ---- migrations ----------------------------------------------------------------------------- */

static int schema_version(sqlite_be *b, int64_t *out)
{
    return query_int(b, "PRAGMA user_version", out, "cannot read the schema version");
}

static int sq_schema_version(vos_store_backend *be)
{
    int64_t v = 0;
    return schema_version((sqlite_be *)be, &v) < 0 ? -1 : (int)v;
}

static int apply_one(sqlite_be *b, const vos_sqlite_migration *m)
{
    char *text = NULL;
    int rc = vos_lines_join(m->lines, &text);
    if (rc < 0) return rc;
    char what[VOS_NAME_MAX];
    snprintf(what, sizeof what, "migration %04d_%s failed", m->version, m->name);
    rc = exec(b, text, what);
    int64_t broken = 0;
    if (rc == 0) rc = query_int(b, "SELECT count(*) FROM pragma_foreign_key_check", &broken, what);
    if (rc == 0 && broken)
        rc = vos_error_set(VOS_ERROR, "%s: it leaves %lld broken references", what,
                           (long long)broken);
    if (rc == 0) {
        char hash[VOS_SHA256_HEX_SIZE], now[VOS_STAMP_SIZE], sql[SQL_MAX / 4];
        vos_sha256_hex(hash, text, strlen(text));
        vos_store_now(now);
        snprintf(sql, sizeof sql,
                 "INSERT INTO schema_migrations (version, name, sha256, applied_at) "
                 "VALUES (%d, '%s', '%s', '%s'); PRAGMA user_version = %d",
                 m->version, m->name, hash, now, m->version);
        rc = exec(b, sql, what);
    }
    free(text);
    return rc;
}

/* Applies the migrations the database lacks, each in its own write transaction (so that
 * another process opening the same database at the same time waits, then skips it).  Runs
 * with foreign keys off, as SQLite's schema changes require, and checks them before commit. */
static int migrate(sqlite_be *b)
{
    int64_t have = 0;
    int rc = schema_version(b, &have);
    for (int i = 0;
         rc == 0 && have <= vos_sqlite_migrations_count && i < vos_sqlite_migrations_count; i++) {
        const vos_sqlite_migration *m = &vos_sqlite_migrations[i];
        if (have >= m->version) continue;
        rc = exec(b, "BEGIN IMMEDIATE", "cannot start the schema migration");
        if (rc == 0)
            rc = schema_version(b, &have); /* another process may have migrated meanwhile */
        if (rc == 0 && have < m->version) rc = apply_one(b, m);
        if (rc == 0)
            rc = sq_commit(&b->base);
        else
            sq_rollback(&b->base);
        if (rc == 0) rc = schema_version(b, &have);
    }
    if (rc == 0 && have > vos_sqlite_migrations_count)
        return vos_error_set(VOS_ECONFLICT,
                             "the database has schema version %lld, newer than this program "
                             "knows (%d): use a newer vos",
                             (long long)have, vos_sqlite_migrations_count);
    return rc;
}

/* ---- measurements in bulk -------------------------------------------------------------------- *
 * measurement_put inserts with one statement prepared once per handle, which skips a point
 * already stored (ON CONFLICT DO NOTHING) instead of failing, and reads the stored value back
 * only then.  Once the generic layer says a bulk load is under way, the handle turns off the
 * evaluation of CHECK constraints on insert (PRAGMA ignore_check_constraints) and lets the
 * write-ahead log grow to VOS_STORE_BULK_CHECKPOINT_BYTES before a commit copies it into the
 * database (a page that each batch changes, such as the last leaf of every series in the
 * unique index, is then copied once for several batches; every commit still syncs the log,
 * so durability is the same), until the next other write, commit or rollback.  It also
 * raises its page cache to VOS_STORE_BULK_CACHE_BYTES, for the rest of its life: the leaves
 * where 200 series grow, and the branches above them, then stay in memory from one batch to
 * the next (restoring the default at each commit would drop them).  The CHECKs of a
 * measurement (kpi_key a key of at most 64 characters, at a stamp, source 1..200
 * characters) are the field formats the generic layer has checked on the row already
 * (vos_row_validate, at least as strict); evaluating them again costs about a third of an
 * insert (strftime() on every stamp).  Unique keys, NOT NULL, STRICT types and foreign keys
 * stay enforced, and PRAGMA integrity_check, which vos_store_audit_verify runs, evaluates
 * every CHECK constraint of every row, so a breach would still be found.  The pragma
 * expires the handle's prepared statements: each is prepared again on its next use, with
 * the checks in force at that moment. */

static const char meas_put_sql[] =
    "INSERT INTO measurements (ingestion_id, account_id, kpi_key, at, value, source) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (account_id, kpi_key, at, source) DO NOTHING";
static const char meas_find_sql[] = "SELECT value FROM measurements WHERE account_id = ?1 "
                                    "AND kpi_key = ?2 AND at = ?3 AND source = ?4";

static int bulk_set(sqlite_be *b, bool on)
{
    if (b->bulk == on) return 0;
    int rc = 0;
    char sql[SQL_MAX / 16];
    if (on && !b->deferred) {
        int64_t page = 0;
        rc = query_int(b, "PRAGMA wal_autocheckpoint", &b->checkpoint, "cannot load in bulk");
        if (rc == 0) rc = query_int(b, "PRAGMA page_size", &page, "cannot load in bulk");
        snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint = %lld",
                 (long long)(VOS_STORE_BULK_CHECKPOINT_BYTES / (page > 0 ? page : 4096)));
        if (rc == 0) rc = exec(b, sql, "cannot load in bulk");
        b->deferred = rc == 0;
    }
    if (on && !b->big_cache) { /* kept: a smaller cache would drop the pages of the next batch */
        snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", -(VOS_STORE_BULK_CACHE_BYTES >> 10));
        if (rc == 0) rc = exec(b, sql, "cannot load in bulk");
        b->big_cache = rc == 0;
    }
    snprintf(sql, sizeof sql, "PRAGMA ignore_check_constraints = %d", on ? 1 : 0);
    if (rc == 0) rc = exec(b, sql, "cannot load in bulk");
    if (rc == 0) b->bulk = on;
    return rc;
}

/* Leaves the bulk mode (a pragma cannot fail here but for lack of memory, which the next
 * statement reports). */
static void bulk_end(sqlite_be *b)
{
    if (b->bulk) bulk_set(b, false);
}

/* After the commit or rollback of a transaction that loaded in bulk: the usual checkpoints. */
static void checkpoint_restore(sqlite_be *b)
{
    if (!b->deferred) return;
    char sql[SQL_MAX / 16];
    snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint = %lld", (long long)b->checkpoint);
    b->deferred = exec(b, sql, "cannot restore the checkpoints") < 0;
}

static int meas_stmt(sqlite_be *b, const char *sql, sqlite3_stmt **slot)
{
    if (*slot) return 0;
    int rc = sqlite3_prepare_v3(b->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
    return rc == SQLITE_OK ? 0 : fail(b, rc, NULL, NULL, "cannot prepare a statement");
}

/* The value stored under row's key, after the insert skipped it. */
static int meas_stored(sqlite_be *b, const vos_measurement_row *row, vos_put_outcome *outcome,
                       double *existing)
{
    int rc = meas_stmt(b, meas_find_sql, &b->meas_find);
    if (rc < 0) return rc;
    sqlite3_stmt *st = b->meas_find;
    sqlite3_bind_int64(st, 1, row->account_id);
    sqlite3_bind_text(st, 2, row->kpi_key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, row->at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->source, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    int err = 0;
    if (rc == SQLITE_ROW) {
        double stored = sqlite3_column_double(st, 0);
        *outcome = stored == row->value ? VOS_PUT_DUPLICATE : VOS_PUT_CONFLICT;
        if (existing) *existing = stored;
    } else if (rc == SQLITE_DONE) {
        err = vos_error_set(VOS_ERROR, "a measurement was neither written nor found");
    } else {
        err = fail(b, rc, NULL, NULL, "cannot read a measurement");
    }
    done(st);
    return err;
}

static int sq_measurement_put(vos_store_backend *be, vos_measurement_row *row, bool bulk,
                              vos_put_outcome *outcome, double *existing, vos_fault *fault)
{
    sqlite_be *b = (sqlite_be *)be;
    const vos_entity_def *def = vos_entity_def_get(VOS_ENTITY_MEASUREMENT);
    int rc = bulk ? bulk_set(b, true) : 0;
    if (rc == 0) rc = meas_stmt(b, meas_put_sql, &b->meas_put);
    if (rc < 0) return rc;
    sqlite3_stmt *st = b->meas_put;
    sqlite3_bind_int64(st, 1, row->ingestion_id);
    sqlite3_bind_int64(st, 2, row->account_id);
    sqlite3_bind_text(st, 3, row->kpi_key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->at, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 5, row->value);
    sqlite3_bind_text(st, 6, row->source, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    int err = rc == SQLITE_DONE ? 0 : fail(b, rc, def, fault, "cannot write measurement");
    sqlite3_reset(st); /* every parameter is bound again on the next use */
    if (err < 0) return err;
    if (sqlite3_changes(b->db) == 0) return meas_stored(b, row, outcome, existing);
    row->id = sqlite3_last_insert_rowid(b->db);
    *outcome = VOS_PUT_INSERTED;
    return 0;
}

/* ---- series ---------------------------------------------------------------------------------- */

/* The ids of the points of one run of equal `at`, to put the run in id order. */
typedef struct id_run {
    int64_t *id;
    size_t n, cap;
} id_run;

/* Appends point (at, value, id) to pts[0..n) (room for it taken), before the points of the
 * run of equal `at` that ends pts with a larger id. */
static int points_add(vos_measurement_point *pts, size_t n, id_run *run, const char *at,
                      size_t len, double value, int64_t id)
{
    if (len >= VOS_STAMP_SIZE) len = VOS_STAMP_SIZE - 1;
    if (n == 0 || strncmp(pts[n - 1].at, at, len) != 0 || pts[n - 1].at[len])
        run->n = 0; /* a new `at` */
    if (run->n == run->cap) {
        size_t cap2 = run->cap ? 2 * run->cap : ROWS_START;
        int64_t *ids = realloc(run->id, cap2 * sizeof *ids);
        if (!ids) return vos_error_set(VOS_ENOMEM, "out of memory reading a series");
        run->id = ids;
        run->cap = cap2;
    }
    size_t k = run->n++; /* pts[n - k .. n) is the run so far */
    while (k > 0 && run->id[k - 1] > id) {
        run->id[k] = run->id[k - 1];
        pts[n] = pts[n - 1];
        k--;
        n--;
    }
    run->id[k] = id;
    memcpy(pts[n].at, at, len);
    pts[n].at[len] = '\0';
    pts[n].value = value;
    return 0;
}

/* Steps a bound points statement.  OUT: *out (grown geometrically), *n_out. */
static int points_read(sqlite_be *b, sqlite3_stmt *st, vos_measurement_point **out,
                       size_t *n_out)
{
    vos_measurement_point *pts = NULL;
    id_run run = {.n = 0};
    size_t n = 0, cap = 0;
    int rc, err = 0;
    while (err == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t cap2 = cap ? 2 * cap : ROWS_START;
            vos_measurement_point *p = realloc(pts, cap2 * sizeof *p);
            if (!p) {
                err = vos_error_set(VOS_ENOMEM, "out of memory reading a series");
                break;
            }
            pts = p;
            cap = cap2;
        }
        const char *at = (const char *)sqlite3_column_text(st, 0);
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        err = points_add(pts, n, &run, at ? at : "", len, sqlite3_column_double(st, 1),
                         sqlite3_column_int64(st, 2));
        if (err == 0) n++;
    }
    if (err == 0 && rc != SQLITE_DONE) err = fail(b, rc, NULL, NULL, "cannot read a series");
    done(st);
    free(run.id);
    if (err < 0) {
        free(pts);
        return err;
    }
    *out = pts;
    *n_out = n;
    return 0;
}

static int sq_measurement_points(vos_store_backend *be, int64_t account_id, const char *kpi_key,
                                 const char *from, const char *to, size_t limit,
                                 vos_measurement_point **out, size_t *n)
{
    sqlite_be *b = (sqlite_be *)be;
    int which = (from ? POINTS_FROM : 0) | (to ? POINTS_TO : 0);
    int rc = meas_stmt(b, points_sql[which], &b->points[which]);
    if (rc < 0) return rc;
    sqlite3_stmt *st = b->points[which];
    sqlite3_bind_int64(st, 1, account_id);
    sqlite3_bind_text(st, 2, kpi_key, -1, SQLITE_STATIC);
    if (from) sqlite3_bind_text(st, 3, from, -1, SQLITE_STATIC);
    if (to) sqlite3_bind_text(st, 4, to, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, (int64_t)limit);
    return points_read(b, st, out, n);
}

/* ---- opening and closing -------------------------------------------------------------------- */

static void sq_free(vos_store_backend *be)
{
    sqlite_be *b = (sqlite_be *)be;
    if (!b) return;
    for (int s = 0; s < SLOTS; s++)
        for (int op = 0; op < OP_COUNT; op++)
            sqlite3_finalize(b->ops[s][op]);
    for (size_t i = 0; i < LIST_CACHE_MAX; i++) {
        sqlite3_finalize(b->lists[i].stmt);
        free(b->lists[i].sql);
    }
    for (int i = 0; i < AUX_COUNT; i++)
        sqlite3_finalize(b->aux[i]);
    sqlite3_finalize(b->meas_put);
    sqlite3_finalize(b->meas_find);
    for (int i = 0; i < POINTS_SQL_COUNT; i++)
        sqlite3_finalize(b->points[i]);
    sqlite3_close(b->db);
    free(b);
}

/* ---- backup --------------------------------------------------------------------------------- */

/* Creates `path` exclusively (never an existing file), readable by its owner only. */
static int create_new_file(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0 && errno == EEXIST)
        return vos_error_set(VOS_ECONFLICT, "'%s' already exists; a backup never overwrites a file",
                             path);
    if (fd < 0)
        return vos_error_set(VOS_ERROR, "cannot create the backup file '%s': %s", path,
                             strerror(errno));
    close(fd);
    return 0;
}

/* Copies every page in one step: the source is read in one read transaction (in WAL mode
 * writers carry on meanwhile), so the copy is one consistent snapshot. */
static int sq_backup(vos_store_backend *be, const char *path)
{
    sqlite_be *b = (sqlite_be *)be;
    int rc = create_new_file(path);
    if (rc < 0) return rc;
    sqlite3 *dest = NULL;
    int src = sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (src == SQLITE_OK) {
        sqlite3_busy_timeout(dest, b->busy_ms);
        sqlite3_backup *bk = sqlite3_backup_init(dest, "main", b->db, "main");
        if (!bk) {
            src = sqlite3_errcode(dest);
        } else {
            src = sqlite3_backup_step(bk, -1);
            int fin = sqlite3_backup_finish(bk);
            src = src == SQLITE_DONE ? fin : src;
        }
    }
    char what[VOS_NAME_MAX + 64];
    snprintf(what, sizeof what, "cannot write the backup '%.*s'", VOS_NAME_MAX, path);
    rc = src == SQLITE_OK ? 0 : fail(b, src, NULL, NULL, what);
    if (rc == VOS_ECONFLICT) /* busy or locked: still a failure of this copy */
        rc = vos_error_set(VOS_ERROR, "%s", vos_error_last());
    if (sqlite3_close(dest) != SQLITE_OK && rc == 0)
        rc = vos_error_set(VOS_ERROR, "%s: cannot close it", what);
    if (rc < 0) unlink(path);
    return rc;
}

static int is_memory(const char *location)
{
    return strcmp(location, ":memory:") == 0 || strstr(location, "mode=memory") != NULL;
}

/* The connection settings every handle needs, before and after migrating. */
static int configure(sqlite_be *b, const char *location)
{
    char mode[16], sql[SQL_MAX / 16];
    /* A new database takes larger pages than SQLite's 4 KiB: a measurement is written into
     * B-trees that grow at one place per series, and with 16 KiB pages loading 10 million
     * points takes a third less time (docs/internals/store.md).  An existing database keeps
     * its pages (the pragma changes nothing once the file has content). */
    snprintf(sql, sizeof sql, "PRAGMA page_size = %d", VOS_STORE_SQLITE_PAGE_SIZE);
    int rc = exec(b, sql, "cannot open the database");
    if (rc == 0)
        rc = query_text(b, "PRAGMA journal_mode = WAL", mode, sizeof mode,
                        "cannot open the database");
    if (rc < 0) return rc;
    if (strcmp(mode, "wal") != 0 && !is_memory(location))
        return vos_error_set(VOS_ERROR, "cannot switch the database '%s' to WAL mode (%s)",
                             location, mode);
    rc = exec(b, "PRAGMA synchronous = FULL", "cannot open the database");
    if (rc == 0) rc = exec(b, "PRAGMA foreign_keys = OFF", "cannot open the database");
    if (rc == 0) rc = migrate(b);
    if (rc == 0) rc = exec(b, "PRAGMA foreign_keys = ON", "cannot open the database");
    int64_t fk = 0;
    if (rc == 0) rc = query_int(b, "PRAGMA foreign_keys", &fk, "cannot open the database");
    if (rc == 0 && fk != 1)
        rc = vos_error_set(VOS_ERROR, "this SQLite cannot enforce foreign keys");
    return rc;
}

/* Once per process, before SQLite is first used: no memory statistics, which VOS does not
 * read and which otherwise take a global mutex around every allocation (about a tenth of the
 * cost of inserting a measurement).  When something else used SQLite first this changes
 * nothing. */
static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int vos_store_sqlite_open(vos_store_backend **out, const char *location)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_sqlite);
    *out = NULL;
    if (!location[0])
        return vos_error_set(VOS_EINVALID, "the store URL 'sqlite:' names no database file");
    sqlite_be *b = calloc(1, sizeof *b);
    if (!b) return vos_error_set(VOS_ENOMEM, "out of memory");
    b->base = (vos_store_backend){
        .version = VOS_STORE_BACKEND_VERSION,
        .free = sq_free,
        .schema_version = sq_schema_version,
        .begin = sq_begin,
        .commit = sq_commit,
        .rollback = sq_rollback,
        .in_transaction = sq_in_transaction,
        .insert = sq_insert,
        .get = sq_get,
        .update = sq_update,
        .remove = sq_remove,
        .list = sq_list,
        .check = sq_check,
        .backup = sq_backup,
        .password_set = sq_password_set,
        .password_get = sq_password_get,
        .session_insert = sq_session_insert,
        .session_find = sq_session_find,
        .session_delete = sq_session_delete,
        .session_purge = sq_session_purge,
        .idempotency_insert = sq_idempotency_insert,
        .idempotency_get = sq_idempotency_get,
        .idempotency_finish = sq_idempotency_finish,
        .idempotency_delete = sq_idempotency_delete,
        .idempotency_purge = sq_idempotency_purge,
        .webhook_secret_set = sq_webhook_secret_set,
        .webhook_secret_get = sq_webhook_secret_get,
        .outbox_insert = sq_outbox_insert,
        .outbox_claim = sq_outbox_claim,
        .outbox_finish = sq_outbox_finish,
        .outbox_list = sq_outbox_list,
        .outbox_purge = sq_outbox_purge,
        .outbox_retry_now = sq_outbox_retry_now,
        .measurement_put = sq_measurement_put,
        .job_claim = sq_job_claim,
        .insert_copy = sq_insert_copy,
        .outbox_copy = sq_outbox_copy,
        .ingestion_range_put = sq_ingestion_range_put,
        .ingestion_range_get = sq_ingestion_range_get,
        .measurement_points = sq_measurement_points,
    };
    b->busy_ms = VOS_STORE_BUSY_TIMEOUT_MS;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (strncmp(location, "file:", 5) == 0) flags |= SQLITE_OPEN_URI;
    int rc = sqlite3_open_v2(location, &b->db, flags, NULL);
    if (rc != SQLITE_OK) {
        rc = vos_error_set(VOS_ERROR, "cannot open the database '%s': %s", location,
                           b->db ? sqlite3_errmsg(b->db) : sqlite3_errstr(rc));
        sq_free(&b->base);
        return rc;
    }
    sqlite3_extended_result_codes(b->db, 1);
    if (flags & SQLITE_OPEN_URI)
        b->busy_ms =
            (int)sqlite3_uri_int64(sqlite3_db_filename(b->db, "main"), "busy_timeout", b->busy_ms);
    sqlite3_busy_timeout(b->db, b->busy_ms);
    rc = configure(b, location);
    if (rc < 0) {
        if ((sqlite3_errcode(b->db) & 0xFF) == SQLITE_NOTADB)
            rc = vos_error_set(VOS_ERROR, "'%s' is not a VOS database (not a SQLite file)",
                               location);
        sq_free(&b->base);
        return rc;
    }
    *out = &b->base;
    return 0;
}
