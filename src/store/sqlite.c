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
#include <math.h>
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

enum { OP_INSERT = 0, OP_GET, OP_UPDATE, OP_DELETE, OP_COUNT };

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
} sqlite_be;

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
    if (sqlite3_get_autocommit(b->db))
        return 0; /* none open, or SQLite already rolled it back after an error */
    return exec(b, "ROLLBACK", "cannot roll back the transaction");
}

static int sq_commit(vos_store_backend *be)
{
    sqlite_be *b = (sqlite_be *)be;
    int rc = sqlite3_exec(b->db, "COMMIT", NULL, NULL, NULL);
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

/* ---- integrity ------------------------------------------------------------------------------ */

/* Joins the lines of a migration into one string.  OUT: *out (caller frees). */
static int migration_text(const vos_sqlite_migration *m, char **out)
{
    size_t len = 0;
    for (const char *const *l = m->lines; *l; l++)
        len += strlen(*l);
    char *s = malloc(len + 1);
    if (!s) return vos_error_set(VOS_ENOMEM, "out of memory");
    size_t at = 0;
    for (const char *const *l = m->lines; *l; l++) {
        size_t n = strlen(*l);
        memcpy(s + at, *l, n);
        at += n;
    }
    s[at] = '\0';
    *out = s;
    return 0;
}

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
        rc = migration_text(m, &text);
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
    int rc = migration_text(m, &text);
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
    char mode[16];
    int rc =
        query_text(b, "PRAGMA journal_mode = WAL", mode, sizeof mode, "cannot open the database");
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

int vos_store_sqlite_open(vos_store_backend **out, const char *location)
{
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
