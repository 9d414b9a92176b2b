/* The PostgreSQL backend of the store.
 *
 * One libpq connection per store handle (a process that serves many requests keeps a pool of
 * handles).  Statements are generated from the entity descriptions (src/store/schema.c), as
 * the SQLite backend does, and prepared once per connection under a name; values travel as
 * text: integers in decimal, reals with 17 significant digits (they read back bit for bit),
 * stamps as the same "YYYY-MM-DDTHH:MM:SS.mmmZ" text as SQLite stores, so canonical JSON and
 * audit hashes are byte-identical across backends.
 *
 * Transactions.  A write transaction is READ COMMITTED and first takes a transaction-scoped
 * advisory lock (WRITE_LOCK_KEY), waiting at most the busy timeout: writers are serialised
 * across every process exactly like SQLite's single writer, so the audit log stays one chain
 * and the generic layer's read-then-write checks hold.  A read transaction (the audit check)
 * is REPEATABLE READ READ ONLY: one snapshot.  PostgreSQL aborts a transaction at its first
 * failed statement, so each write inside a transaction runs under a savepoint and a failed one
 * leaves the transaction as it was.  The idempotent measurement insert needs none: it cannot
 * fail on a unique key (ON CONFLICT DO NOTHING) nor on a reference (it inserts only when both
 * exist), and the generic layer has checked every other constraint.
 *
 * Schema.  The numbered migrations of postgres_migrations.c (src/store/migrations/postgres/),
 * applied on open, each in its own transaction, while holding a session advisory lock
 * (MIGRATE_LOCK_KEY) so that two processes starting at once do not both migrate.  Applied
 * migrations are recorded in schema_migrations (version, name, sha256, applied_at), which
 * 0001 creates (the backend creates it when 0001 did not). */
#include "postgres_int.h"
#include "store_int.h"

#include "vos/error.h"

#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQL_MAX 4096                 /* bytes of one generated statement */
#define LIST_CACHE_MAX 64            /* list statements kept prepared per connection */
#define SLOTS (VOS_ENTITY_COUNT + 1) /* statement slots: the entities, then the audit log */
#define ROWS_START 16                /* first allocation of a list result, in rows */
#define PARAMS_MAX 40                /* parameters of one statement */
#define NUM_MAX 32                   /* bytes of one number written as text */
#define NAME_LEN 24                  /* bytes of a prepared statement's name */
#define DIAG_MAX 200                 /* bytes of a server message quoted in an error */
#define SEQ_MAX 192                  /* bytes of a sequence's qualified name */
#define RESTORE_MAX (SEQ_MAX + 64)   /* bytes of a statement that puts a sequence back */
#define TOUCHED_MAX (SLOTS + 1)      /* sequences one transaction can draw from */
#define MEAS_CHUNK 5000              /* measurements written by one statement */
#define TEXTBUF_START 65536          /* first allocation of a batch's array literal, in bytes */

/* Advisory lock keys (PostgreSQL's one 64-bit key space, per database): "VOS" then a
 * number. */
#define WRITE_LOCK_KEY INT64_C(0x564F530001)   /* held by the one write transaction */
#define MIGRATE_LOCK_KEY INT64_C(0x564F530002) /* held while migrating the schema */

enum { OP_INSERT = 0, OP_GET, OP_UPDATE, OP_DELETE, OP_COPY, OP_COUNT };

/* The statements of the records that are not entities. */
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
    AUX_MEAS_PUT,
    AUX_MEAS_FIND,
    AUX_MEAS_PUT_MANY,
    AUX_RANGE_PUT,
    AUX_RANGE_GET,
    AUX_COUNT
};

#define OUTBOX_COLUMNS                                                                             \
    "id, webhook_id, event, payload, created_at, attempts, next_attempt_at, claimed_until, "       \
    "delivered_at, failed_at, last_status, last_error"

static const char *const aux_sql[AUX_COUNT] = {
    [AUX_PASSWORD_SET] =
        "INSERT INTO credentials (user_id, password_hash) VALUES ($1, $2) "
        "ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash",
    [AUX_PASSWORD_CLEAR] = "DELETE FROM credentials WHERE user_id = $1",
    [AUX_PASSWORD_GET] = "SELECT password_hash FROM credentials WHERE user_id = $1",
    [AUX_SESSION_INSERT] = "INSERT INTO sessions (secret_sha256, user_id, created_at, expires_at) "
                           "VALUES ($1, $2, $3, $4)",
    [AUX_SESSION_FIND] = "SELECT user_id, expires_at FROM sessions "
                         "WHERE secret_sha256 = $1 AND expires_at > $2",
    [AUX_SESSION_DELETE] = "DELETE FROM sessions WHERE secret_sha256 = $1",
    [AUX_SESSION_PURGE] = "DELETE FROM sessions WHERE user_id = $1 OR expires_at <= $2",
    [AUX_IDEM_INSERT] = "INSERT INTO idempotency_keys (scope, \"key\", method, path, "
                        "request_sha256, status, content_type, body, created_at) "
                        "VALUES ($1, $2, $3, $4, $5, 0, NULL, NULL, $6)",
    [AUX_IDEM_GET] = "SELECT scope, \"key\", method, path, request_sha256, status, content_type, "
                     "body, created_at FROM idempotency_keys WHERE scope = $1 AND \"key\" = $2",
    [AUX_IDEM_FINISH] = "UPDATE idempotency_keys SET status = $3, content_type = $4, body = $5 "
                        "WHERE scope = $1 AND \"key\" = $2 AND status = 0",
    [AUX_IDEM_DELETE] = "DELETE FROM idempotency_keys WHERE scope = $1 AND \"key\" = $2",
    [AUX_IDEM_PURGE] = "DELETE FROM idempotency_keys WHERE created_at < $1",
    [AUX_SECRET_SET] = "INSERT INTO webhook_secrets (webhook_id, secret) VALUES ($1, $2) "
                       "ON CONFLICT (webhook_id) DO UPDATE SET secret = excluded.secret",
    [AUX_SECRET_GET] = "SELECT secret FROM webhook_secrets WHERE webhook_id = $1",
    [AUX_OUTBOX_INSERT] = "INSERT INTO webhook_outbox (webhook_id, event, payload, created_at, "
                          "attempts, next_attempt_at) VALUES ($1, $2, $3, $4, 0, $5) RETURNING id",
    /* one statement selects and leases; SKIP LOCKED: a row another transaction is leasing is
     * never waited for nor returned twice */
    [AUX_OUTBOX_CLAIM] = "UPDATE webhook_outbox SET claimed_until = $2 WHERE id IN ("
                         "SELECT id FROM webhook_outbox WHERE delivered_at IS NULL "
                         "AND failed_at IS NULL AND next_attempt_at <= $4 "
                         "AND (claimed_until IS NULL OR claimed_until <= $1) "
                         "ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) "
                         "RETURNING " OUTBOX_COLUMNS,
    [AUX_OUTBOX_FINISH] = "UPDATE webhook_outbox SET attempts = $3, "
                          "next_attempt_at = coalesce($4, next_attempt_at), delivered_at = $5, "
                          "failed_at = $6, last_status = $7, last_error = $8, "
                          "claimed_until = NULL WHERE id = $1 AND attempts = $2",
    [AUX_OUTBOX_LIST] = "SELECT " OUTBOX_COLUMNS " FROM webhook_outbox "
                        "WHERE webhook_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    [AUX_OUTBOX_LIST_ALL] = "SELECT " OUTBOX_COLUMNS " FROM webhook_outbox "
                            "WHERE id > $1 ORDER BY id LIMIT $2",
    [AUX_OUTBOX_PURGE] = "DELETE FROM webhook_outbox WHERE created_at < $1 "
                         "AND (delivered_at IS NOT NULL OR failed_at IS NOT NULL)",
    [AUX_OUTBOX_RETRY_NOW] = "UPDATE webhook_outbox SET next_attempt_at = $2 "
                             "WHERE ($1::bigint = 0 OR webhook_id = $1) AND delivered_at IS NULL "
                             "AND failed_at IS NULL AND next_attempt_at > $2 "
                             "AND (claimed_until IS NULL OR claimed_until <= $2)",
    [AUX_OUTBOX_COPY] = "INSERT INTO webhook_outbox (" OUTBOX_COLUMNS ") "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    /* the test and the lease are one statement */
    [AUX_JOB_CLAIM] = "INSERT INTO job_leases (name, holder, leased_until) VALUES ($1, $2, $4) "
                      "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                      "leased_until = excluded.leased_until "
                      "WHERE job_leases.leased_until <= $3 OR job_leases.holder = excluded.holder "
                      "RETURNING name",
    /* inserts only when both references exist and the key is free: it cannot fail on them */
    [AUX_RANGE_PUT] = "INSERT INTO ingestion_ranges (ingestion_id, first_id, last_id) "
                      "VALUES ($1, $2, $3) ON CONFLICT (ingestion_id) DO UPDATE SET "
                      "first_id = LEAST(ingestion_ranges.first_id, excluded.first_id), "
                      "last_id = GREATEST(ingestion_ranges.last_id, excluded.last_id)",
    [AUX_RANGE_GET] = "SELECT first_id, last_id FROM ingestion_ranges WHERE ingestion_id = $1",
    [AUX_MEAS_PUT] = "INSERT INTO measurements (ingestion_id, account_id, kpi_key, \"at\", value, "
                     "source) SELECT $1::bigint, $2::bigint, $3::text, $4::text, "
                     "$5::double precision, $6::text "
                     "WHERE EXISTS (SELECT 1 FROM ingestions WHERE id = $1::bigint) "
                     "AND EXISTS (SELECT 1 FROM accounts WHERE id = $2::bigint) "
                     "AND NOT EXISTS (SELECT 1 FROM measurements WHERE account_id = $2::bigint "
                     "AND kpi_key = $3::text AND \"at\" = $4::text AND source = $6::text) "
                     "ON CONFLICT (account_id, kpi_key, \"at\", source) DO NOTHING RETURNING id",
    [AUX_MEAS_FIND] = "SELECT value FROM measurements WHERE account_id = $1 AND kpi_key = $2 "
                      "AND \"at\" = $3 AND source = $4",
    /* rows from arrays, numbered by `ord`: `bad` is the first whose ingestion or account is
     * missing (then nothing is inserted), `first` the first row of each key, `old` the value
     * stored under a key before; the first row of each new key is inserted, in input order so
     * that the ids follow it.  One result row per input row: bad, first, old, and in the
     * first row the inserted ids in ascending order.  No joins: the planner sees arrays of
     * unknown length and must not pick a nested loop over them. */
    [AUX_MEAS_PUT_MANY] =
        "WITH t AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], "
        "$5::double precision[], $6::text[]) WITH ORDINALITY "
        "AS u(ingestion_id, account_id, kpi_key, \"at\", value, source, ord)), "
        "bad AS (SELECT min(ord) AS ord FROM t "
        "WHERE NOT EXISTS (SELECT 1 FROM ingestions i WHERE i.id = t.ingestion_id) "
        "OR NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.account_id)), "
        "w AS (SELECT t.*, min(ord) OVER (PARTITION BY account_id, kpi_key, \"at\", source) "
        "AS first FROM t), "
        "f AS (SELECT w.*, CASE WHEN ord = first THEN (SELECT m.value FROM measurements m "
        "WHERE m.account_id = w.account_id AND m.kpi_key = w.kpi_key AND m.\"at\" = w.\"at\" "
        "AND m.source = w.source) END AS old FROM w), "
        "ins AS (INSERT INTO measurements (ingestion_id, account_id, kpi_key, \"at\", value, "
        "source) SELECT ingestion_id, account_id, kpi_key, \"at\", value, source FROM f "
        "WHERE ord = first AND old IS NULL AND (SELECT ord FROM bad) IS NULL ORDER BY ord "
        "ON CONFLICT (account_id, kpi_key, \"at\", source) DO NOTHING RETURNING id) "
        "SELECT (SELECT ord FROM bad) AS bad_ord, f.first, f.old, "
        "CASE WHEN f.ord = 1 THEN (SELECT array_agg(id ORDER BY id) FROM ins) END "
        "FROM f ORDER BY f.ord",
};

/* measurement_points, one statement per pair of bounds (bit 0: from, bit 1: to) so that
 * each plan seeks its range in the index "measurement.key" (account_id, kpi_key, at,
 * source). */
#define POINTS_SQL(range)                                                                          \
    "SELECT \"at\", value FROM measurements WHERE account_id = $1 AND kpi_key = $2" range          \
    " ORDER BY \"at\", id LIMIT $3"
enum { POINTS_FROM = 1, POINTS_TO = 2, POINTS_SQL_COUNT = 4 };
static const char *const points_sql[POINTS_SQL_COUNT] = {
    POINTS_SQL(""),
    POINTS_SQL(" AND \"at\" >= $4"),
    POINTS_SQL(" AND \"at\" < $4"),
    POINTS_SQL(" AND \"at\" >= $4 AND \"at\" < $5"),
};

/* A statement prepared on the connection under `name`; valid while gen matches the
 * backend's (a new connection prepares everything again). */
typedef struct prepared {
    unsigned gen;
    char name[NAME_LEN];
} prepared;

/* The id sequence of a table, looked up once per connection ("" when it has none). */
typedef struct sequence {
    unsigned gen;
    char name[SEQ_MAX];
} sequence;

typedef struct cached_list {
    char *sql;
    prepared p;
} cached_list;

typedef struct pg_be {
    vos_store_backend base; /* first: the generic layer holds a vos_store_backend * */
    PGconn *conn;
    int busy_ms;
    unsigned gen;     /* connection generation: 1, +1 on every reconnect */
    unsigned next_id; /* for the names of list statements */
    prepared ops[SLOTS][OP_COUNT];
    cached_list lists[LIST_CACHE_MAX];
    size_t evict; /* next list slot to reuse when all are taken */
    prepared aux[AUX_COUNT];
    bool copied[SLOTS]; /* rows were copied in with their ids: the sequence must catch up */
    bool outbox_copied;
    sequence seqs[SLOTS];
    sequence outbox_seq;
    /* the sequences the open transaction drew from, each with the statement that puts it
     * back as it was when the transaction began (see run_write_seq) */
    const char *touched[TOUCHED_MAX];
    char untouch[TOUCHED_MAX][RESTORE_MAX];
    int n_touched;
    prepared points[POINTS_SQL_COUNT]; /* measurement_points, by its bounds */
} pg_be;

/* ---- parameters ----------------------------------------------------------------------------- */

typedef struct params {
    const char *v[PARAMS_MAX];
    char num[PARAMS_MAX][NUM_MAX];
    int n;
} params;

static void p_text(params *p, const char *s)
{
    if (p->n < PARAMS_MAX) p->v[p->n++] = s;
}

static void p_int(params *p, int64_t x)
{
    if (p->n >= PARAMS_MAX) return;
    snprintf(p->num[p->n], NUM_MAX, "%" PRId64, x);
    p->v[p->n] = p->num[p->n];
    p->n++;
}

/* 17 significant digits: the text reads back as the same double. */
static void p_real(params *p, double x)
{
    if (p->n >= PARAMS_MAX) return;
    snprintf(p->num[p->n], NUM_MAX, "%.17g", x);
    p->v[p->n] = p->num[p->n];
    p->n++;
}

/* ---- errors --------------------------------------------------------------------------------- */

static const char *diag(const PGresult *res, int field)
{
    const char *s = res ? PQresultErrorField(res, field) : NULL;
    return s ? s : "";
}

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

/* Which unique key of def a clash names: by the constraint (index) name, which the schema
 * gives as the vos_unique_def name (or that name and "_unique"); failing that by the columns
 * of the detail "Key (a, b)=(...) already exists.". */
static int match_unique(const vos_entity_def *def, const char *constraint, const char *detail)
{
    if (!def) return -1;
    for (size_t i = 0; i < def->n_uniques; i++) {
        const char *name = def->uniques[i].name;
        size_t len = strlen(name);
        if (strncmp(constraint, name, len) == 0 &&
            (constraint[len] == '\0' || strcmp(constraint + len, "_unique") == 0))
            return (int)i;
    }
    const char *p = strstr(detail, "Key (");
    if (!p) return -1;
    p += 5;
    const char *end = strstr(p, ")=(");
    if (!end) return -1;
    char cols[6][VOS_NAME_MAX + 1];
    int n = 0;
    while (p < end && n < 6) {
        size_t len = strcspn(p, ",");
        if (p + len > end) len = (size_t)(end - p);
        const char *s = p, *e = p + len;
        while (s < e && *s == ' ')
            s++;
        if (e - s >= 2 && *s == '"' && e[-1] == '"') { /* a quoted column name */
            s++;
            e--;
        }
        snprintf(cols[n++], sizeof cols[0], "%.*s", (int)(e - s), s);
        p += len;
        if (*p == ',') p++;
    }
    for (size_t i = 0; i < def->n_uniques; i++)
        if (unique_matches(&def->uniques[i], cols, n)) return (int)i;
    return -1;
}

/* Fills *fault from the SQLSTATE of a failed statement; VOS_FAULT_NONE when it is not a
 * constraint. */
static void parse_fault(const PGresult *res, const vos_entity_def *def, vos_fault *fault)
{
    const char *state = diag(res, PG_DIAG_SQLSTATE);
    const char *constraint = diag(res, PG_DIAG_CONSTRAINT_NAME);
    memset(fault, 0, sizeof *fault);
    fault->index = -1;
    if (strcmp(state, "23505") == 0) { /* unique_violation */
        fault->kind = VOS_FAULT_UNIQUE;
        fault->index = match_unique(def, constraint, diag(res, PG_DIAG_MESSAGE_DETAIL));
    } else if (strcmp(state, "23503") == 0) { /* foreign_key_violation */
        fault->kind = VOS_FAULT_FOREIGN_KEY;
    } else if (strcmp(state, "23502") == 0) { /* not_null_violation */
        fault->kind = VOS_FAULT_NOT_NULL;
        snprintf(fault->name, sizeof fault->name, "%s", diag(res, PG_DIAG_COLUMN_NAME));
    } else if (strcmp(state, "23514") == 0 || strcmp(state, "23P01") == 0 ||
               strcmp(state, "23001") == 0 || strcmp(state, "P0001") == 0) {
        /* a CHECK (named), or a trigger that raised with the rule's name as its message */
        fault->kind = VOS_FAULT_CHECK;
        snprintf(fault->name, sizeof fault->name, "%s",
                 constraint[0] ? constraint : diag(res, PG_DIAG_MESSAGE_PRIMARY));
    }
}

static int connection_lost(pg_be *b, const char *what)
{
    char msg[DIAG_MAX + 1];
    snprintf(msg, sizeof msg, "%s", PQerrorMessage(b->conn));
    msg[strcspn(msg, "\n")] = '\0';
    return vos_error_set(VOS_ERROR, "%s: the connection to PostgreSQL failed (%s)", what,
                         msg[0] ? msg : "no reply");
}

/* Turns a failed result (or none) into a VOS error naming `what` was being done; fills
 * *fault (when given) for a constraint violation.  Never quotes SQL. */
static int fail(pg_be *b, const PGresult *res, const vos_entity_def *def, vos_fault *fault,
                const char *what)
{
    if (!res || PQstatus(b->conn) == CONNECTION_BAD) return connection_lost(b, what);
    const char *state = diag(res, PG_DIAG_SQLSTATE);
    const char *primary = diag(res, PG_DIAG_MESSAGE_PRIMARY);
    if (strncmp(state, "23", 2) == 0 || strcmp(state, "P0001") == 0) {
        if (fault) {
            parse_fault(res, def, fault);
            if (fault->kind != VOS_FAULT_NONE)
                return vos_error_set(VOS_ECONFLICT, "%s: a constraint failed (%s)", what,
                                     fault->name[0] ? fault->name : "unique key");
        }
        return vos_error_set(VOS_ERROR, "%s: a database constraint failed", what);
    }
    if (strcmp(state, "55P03") == 0 || strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
        return vos_error_set(VOS_ECONFLICT,
                             "%s: database is busy (another writer held it for more than %d ms)",
                             what, b->busy_ms);
    if (strcmp(state, "53100") == 0) return vos_error_set(VOS_ERROR, "%s: disk is full", what);
    if (strcmp(state, "58030") == 0) return vos_error_set(VOS_ERROR, "%s: disk I/O error", what);
    if (strcmp(state, "53200") == 0) return vos_error_set(VOS_ENOMEM, "%s: out of memory", what);
    if (strcmp(state, "54000") == 0)
        return vos_error_set(VOS_ETOOLARGE, "%s: a value is too large", what);
    if (strcmp(state, "25P02") == 0)
        return vos_error_set(VOS_ERROR,
                             "%s: the transaction was rolled back after an earlier error", what);
    return vos_error_set(VOS_ERROR, "%s: %.*s (SQLSTATE %s)", what, DIAG_MAX,
                         primary[0] ? primary : PQresStatus(PQresultStatus(res)), state);
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

/* Runs a statement without parameters or preparation (transaction control, setup). */
static int exec(pg_be *b, const char *sql, const char *what)
{
    PGresult *res = PQexec(b->conn, sql);
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : fail(b, res, NULL, NULL, what);
    PQclear(res);
    return rc;
}

static int query_text(pg_be *b, const char *sql, char *out, size_t size, const char *what);

/* Prepares `sql` as p->name unless it is prepared on this connection already. */
static int prepare(pg_be *b, prepared *p, const char *sql)
{
    if (p->gen == b->gen) return 0;
    PGresult *res = PQprepare(b->conn, p->name, sql, 0, NULL);
    int rc = res && PQresultStatus(res) == PGRES_COMMAND_OK
                 ? 0
                 : fail(b, res, NULL, NULL, "cannot prepare a statement");
    PQclear(res);
    if (rc == 0) p->gen = b->gen;
    return rc;
}

/* Executes prepared statement p.  OUT: *res (caller clears) when it succeeded. */
static int run(pg_be *b, const prepared *p, const params *pa, const vos_entity_def *def,
               vos_fault *fault, const char *what, PGresult **out)
{
    *out = NULL;
    PGresult *res = PQexecPrepared(b->conn, p->name, pa->n, pa->v, NULL, NULL, 0);
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
        *out = res;
        return 0;
    }
    int rc = fail(b, res, def, fault, what);
    PQclear(res);
    return rc;
}

/* The id sequence of `table` ("" when none).  OUT: the name, valid until the next reconnect. */
static int sequence_of(pg_be *b, sequence *s, const char *table, const char *id, const char **out)
{
    if (s->gen != b->gen) {
        char sql[SQL_MAX / 16];
        snprintf(sql, sizeof sql, "SELECT pg_get_serial_sequence('\"%s\"', '%s')", table, id);
        int rc = query_text(b, sql, s->name, sizeof s->name, "cannot find the id sequence");
        if (rc < 0) return rc;
        s->gen = b->gen;
    }
    *out = s->name;
    return 0;
}

/* Reads the state of sequence `seq` after running `first` (a statement or ""), in one round
 * trip.  OUT: restore, a statement "; SELECT setval(...)" that puts the sequence back so. */
static int sequence_state(pg_be *b, const char *first, const char *seq, char *restore, size_t size,
                          const char *what)
{
    char sql[SQL_MAX / 8];
    snprintf(sql, sizeof sql, "%sSELECT last_value, is_called FROM %s", first, seq);
    PGresult *res = PQexec(b->conn, sql);
    int rc = res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1
                 ? 0
                 : fail(b, res, NULL, NULL, what);
    restore[0] = '\0';
    if (rc == 0) {
        char *lit = PQescapeLiteral(b->conn, seq, strlen(seq));
        if (lit)
            snprintf(restore, size, "; SELECT setval(%s, %s, %s)", lit, PQgetvalue(res, 0, 0),
                     PQgetvalue(res, 0, 1)[0] == 't' ? "true" : "false");
        PQfreemem(lit);
    }
    PQclear(res);
    return rc;
}

/* Remembers the state of a sequence the transaction is about to draw from for the first
 * time, so that a rollback gives its numbers back. */
static void sequence_touch(pg_be *b, const char *seq, const char *restore)
{
    for (int i = 0; i < b->n_touched; i++)
        if (b->touched[i] == seq) return;
    if (b->n_touched == TOUCHED_MAX) return;
    b->touched[b->n_touched] = seq;
    snprintf(b->untouch[b->n_touched], RESTORE_MAX, "%s", restore);
    b->n_touched++;
}

/* Opens the savepoint of a write; with a sequence, reads its state into restore (a setval
 * statement that puts it back), all in one round trip. */
static int savepoint(pg_be *b, const char *seq, char *restore, size_t size, const char *what)
{
    restore[0] = '\0';
    if (!seq || !seq[0]) return exec(b, "SAVEPOINT vos_write", what);
    int rc = sequence_state(b, "SAVEPOINT vos_write; ", seq, restore, size, what);
    if (rc == 0) sequence_touch(b, seq, restore);
    return rc;
}

/* A write: inside a transaction under a savepoint, so that a failure undoes only itself.
 * `seq` (NULL: none) is the id sequence an insert draws from.  PostgreSQL never gives a
 * number back; SQLite's AUTOINCREMENT does, when an insert fails or its transaction rolls
 * back.  Writers hold the write lock, so no one else draws meanwhile: a failed insert puts
 * the sequence back as it was before, a rollback as it was when the transaction began, and
 * ids are the same on both backends. */
static int run_write_seq(pg_be *b, const prepared *p, const params *pa, const vos_entity_def *def,
                         vos_fault *fault, const char *what, PGresult **out, const char *seq)
{
    bool sp = PQtransactionStatus(b->conn) == PQTRANS_INTRANS;
    char restore[SQL_MAX / 8];
    if (sp) {
        int rc = savepoint(b, seq, restore, sizeof restore, what);
        if (rc < 0) return rc;
    }
    int rc = run(b, p, pa, def, fault, what, out);
    if (!sp) return rc;
    if (rc == 0) {
        int rel = exec(b, "RELEASE SAVEPOINT vos_write", what);
        if (rel < 0) {
            PQclear(*out);
            *out = NULL;
        }
        return rel;
    }
    char msg[VOS_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", vos_error_last());
    if (PQstatus(b->conn) != CONNECTION_BAD) {
        char sql[SQL_MAX / 4];
        snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT vos_write; RELEASE SAVEPOINT vos_write%s",
                 restore);
        exec(b, sql, what);
    }
    vos_error_set(rc, "%s", msg);
    return rc;
}

static int run_write(pg_be *b, const prepared *p, const params *pa, const vos_entity_def *def,
                     vos_fault *fault, const char *what, PGresult **out)
{
    return run_write_seq(b, p, pa, def, fault, what, out, NULL);
}

/* The number of rows a write changed. */
static int64_t changes(const PGresult *res)
{
    const char *s = PQcmdTuples((PGresult *)res);
    return s && *s ? strtoll(s, NULL, 10) : 0;
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

/* INSERT of every field (with_id) or of all but a generated id. */
static void build_insert(sqlbuf *sb, const vos_entity_def *def, int with_id)
{
    int n = 0;
    sb_add(sb, "INSERT INTO \"%s\" (", def->table);
    for (size_t i = 0; i < def->n_fields; i++) {
        if (def->fields[i].type == VOS_FT_ID && !with_id) continue;
        sb_add(sb, "%s\"%s\"", n++ ? ", " : "", def->fields[i].name);
    }
    sb_add(sb, ") VALUES (");
    for (int i = 1; i <= n; i++)
        sb_add(sb, "%s$%d", i > 1 ? ", " : "", i);
    sb_add(sb, ")");
    if (!with_id) sb_add(sb, " RETURNING \"%s\"", id_name(def));
}

static void build_op(sqlbuf *sb, const vos_entity_def *def, int op)
{
    const char *id = id_name(def);
    int n = 0;
    switch (op) {
    case OP_INSERT:
        build_insert(sb, def, insert_binds_id(def));
        break;
    case OP_COPY:
        build_insert(sb, def, 1);
        break;
    case OP_GET:
        sb_add(sb, "SELECT ");
        sb_columns(sb, def);
        sb_add(sb, " FROM \"%s\" WHERE \"%s\" = $1", def->table, id);
        break;
    case OP_UPDATE:
        sb_add(sb, "UPDATE \"%s\" SET ", def->table);
        for (size_t i = 0; i < def->n_fields; i++) {
            if (!update_writes(&def->fields[i])) continue;
            n++;
            sb_add(sb, "%s\"%s\" = $%d", n > 1 ? ", " : "", def->fields[i].name, n);
        }
        sb_add(sb, " WHERE \"%s\" = $%d", id, n + 1);
        if (has_revision(def)) sb_add(sb, " AND \"revision\" = $%d", n + 2);
        break;
    case OP_DELETE:
        sb_add(sb, "DELETE FROM \"%s\" WHERE \"%s\" = $1%s", def->table, id,
               has_revision(def) ? " AND \"revision\" = $2" : "");
        break;
    }
}

static int slot_of(const vos_entity_def *def)
{
    return def->entity + 1; /* the audit log (-1) takes slot 0 */
}

/* The prepared statement of one operation on def, prepared on first use. */
static int op_stmt(pg_be *b, const vos_entity_def *def, int op, const prepared **out)
{
    prepared *p = &b->ops[slot_of(def)][op];
    if (p->gen != b->gen) {
        sqlbuf sb = {.len = 0};
        build_op(&sb, def, op);
        if (sb.over)
            return vos_error_set(VOS_ERROR, "internal: a statement is longer than %d bytes",
                                 SQL_MAX);
        snprintf(p->name, sizeof p->name, "vos_%d_%d", slot_of(def), op);
        int rc = prepare(b, p, sb.s);
        if (rc < 0) return rc;
    }
    *out = p;
    return 0;
}

static int aux_stmt(pg_be *b, int which, const prepared **out)
{
    prepared *p = &b->aux[which];
    if (p->gen != b->gen) {
        snprintf(p->name, sizeof p->name, "vos_aux_%d", which);
        int rc = prepare(b, p, aux_sql[which]);
        if (rc < 0) return rc;
    }
    *out = p;
    return 0;
}

/* A list statement by its text, from the cache or prepared now. */
static int list_stmt(pg_be *b, const sqlbuf *sb, const prepared **out)
{
    if (sb->over)
        return vos_error_set(VOS_ERROR, "internal: a statement is longer than %d bytes", SQL_MAX);
    for (size_t i = 0; i < LIST_CACHE_MAX; i++)
        if (b->lists[i].sql && b->lists[i].p.gen == b->gen && strcmp(b->lists[i].sql, sb->s) == 0) {
            *out = &b->lists[i].p;
            return 0;
        }
    size_t k = LIST_CACHE_MAX;
    for (size_t i = 0; i < LIST_CACHE_MAX && k == LIST_CACHE_MAX; i++)
        if (!b->lists[i].sql || b->lists[i].p.gen != b->gen) k = i;
    if (k == LIST_CACHE_MAX) {
        k = b->evict++ % LIST_CACHE_MAX;
        char sql[NAME_LEN + 16];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", b->lists[k].p.name);
        PQclear(PQexec(b->conn, sql)); /* a leftover only costs server memory */
    }
    cached_list *c = &b->lists[k];
    free(c->sql);
    c->sql = strdup(sb->s);
    if (!c->sql) return vos_error_set(VOS_ENOMEM, "out of memory");
    c->p.gen = 0;
    snprintf(c->p.name, sizeof c->p.name, "vos_list_%u", b->next_id++);
    int rc = prepare(b, &c->p, sb->s);
    if (rc < 0) {
        free(c->sql);
        c->sql = NULL;
        return rc;
    }
    *out = &c->p;
    return 0;
}

/* ---- values --------------------------------------------------------------------------------- */

static void bind_field(params *p, const vos_field_def *f, const void *row)
{
    const void *v = field_cptr(row, f);
    switch (f->type) {
    case VOS_FT_ID:
    case VOS_FT_REVISION:
    case VOS_FT_INT:
        p_int(p, *(const int64_t *)v);
        return;
    case VOS_FT_REF: {
        int64_t x = *(const int64_t *)v;
        if (x)
            p_int(p, x);
        else
            p_text(p, NULL);
        return;
    }
    case VOS_FT_REAL: {
        double x = *(const double *)v;
        if (isnan(x))
            p_text(p, NULL);
        else
            p_real(p, x);
        return;
    }
    case VOS_FT_BOOL:
        p_text(p, *(const bool *)v ? "1" : "0");
        return;
    case VOS_FT_ENUM:
        p_text(p, vos_row_enum_name(f, *(const int *)v));
        return;
    case VOS_FT_TEXT:
        p_text(p, *(char *const *)v);
        return;
    case VOS_FT_CREATED:
    case VOS_FT_UPDATED:
    case VOS_FT_DIGEST:
        p_text(p, (const char *)v);
        return;
    }
}

static int64_t col_int(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? 0 : strtoll(PQgetvalue(res, r, c), NULL, 10);
}

static double col_real(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? NAN : strtod(PQgetvalue(res, r, c), NULL);
}

/* A boolean column reads "t"/"f"; an integer one "1"/"0". */
static bool col_bool(const PGresult *res, int r, int c)
{
    const char *s = PQgetvalue(res, r, c);
    return !PQgetisnull(res, r, c) && (s[0] == 't' || (s[0] != '0' && s[0] != 'f'));
}

/* A heap copy of a column (NULL stays NULL); VOS_ENOMEM. */
static int col_copy(const PGresult *res, int r, int c, char **out)
{
    *out = NULL;
    if (PQgetisnull(res, r, c)) return 0;
    int n = PQgetlength(res, r, c);
    char *copy = malloc((size_t)n + 1);
    if (!copy) return vos_error_set(VOS_ENOMEM, "out of memory");
    memcpy(copy, PQgetvalue(res, r, c), (size_t)n);
    copy[n] = '\0';
    *out = copy;
    return 0;
}

static void col_fixed(const PGresult *res, int r, int c, char *out, size_t size)
{
    snprintf(out, size, "%s", PQgetisnull(res, r, c) ? "" : PQgetvalue(res, r, c));
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

/* Reads column c of result row r into the field; text is copied. */
static int read_field(const PGresult *res, int r, int c, const vos_entity_def *def,
                      const vos_field_def *f, void *row)
{
    void *p = field_ptr(row, f);
    switch (f->type) {
    case VOS_FT_ID:
    case VOS_FT_REVISION:
    case VOS_FT_INT:
    case VOS_FT_REF:
        *(int64_t *)p = col_int(res, r, c);
        return 0;
    case VOS_FT_REAL:
        *(double *)p = col_real(res, r, c);
        return 0;
    case VOS_FT_BOOL:
        *(bool *)p = col_bool(res, r, c);
        return 0;
    case VOS_FT_ENUM:
        return read_enum(def, f, PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c), (int *)p);
    case VOS_FT_TEXT: {
        int rc = col_copy(res, r, c, (char **)p);
        if (rc < 0) return vos_error_set(rc, "out of memory reading %s %s", def->name, f->name);
        return 0;
    }
    case VOS_FT_CREATED:
    case VOS_FT_UPDATED:
    case VOS_FT_DIGEST:
        col_fixed(res, r, c, p, f->type == VOS_FT_DIGEST ? VOS_SHA256_HEX_SIZE : VOS_STAMP_SIZE);
        return 0;
    }
    return 0;
}

static int read_row(const PGresult *res, int r, const vos_entity_def *def, void *row)
{
    for (size_t i = 0; i < def->n_fields; i++) {
        int rc = read_field(res, r, (int)i, def, &def->fields[i], row);
        if (rc < 0) {
            vos_row_clear(def, row);
            return rc;
        }
    }
    return 0;
}

/* The text of the one value of a one-row result, copied into out ("" for none). */
static int query_text(pg_be *b, const char *sql, char *out, size_t size, const char *what)
{
    PGresult *res = PQexec(b->conn, sql);
    int rc = res && PQresultStatus(res) == PGRES_TUPLES_OK ? 0 : fail(b, res, NULL, NULL, what);
    if (rc == 0)
        snprintf(out, size, "%s",
                 PQntuples(res) && !PQgetisnull(res, 0, 0) ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    return rc;
}

/* ---- sequences after copies ----------------------------------------------------------------- */

/* Moves the id sequence of `table` beyond its largest id (no-op for a table without one). */
static int sequence_catch_up(pg_be *b, const char *table, const char *id)
{
    char sql[SQL_MAX / 4];
    snprintf(sql, sizeof sql,
             "SELECT setval(s, coalesce(m, 1), m IS NOT NULL) "
             "FROM pg_get_serial_sequence('\"%s\"', '%s') AS s, "
             "(SELECT max(\"%s\") AS m FROM \"%s\") AS t WHERE s IS NOT NULL",
             table, id, id, table);
    return exec(b, sql, "cannot advance the id sequence");
}

/* Brings every sequence of a table that had rows copied in up to date. */
static int copies_settle(pg_be *b)
{
    for (int s = 0; s < SLOTS; s++) {
        if (!b->copied[s]) continue;
        const vos_entity_def *def = s == 0 ? vos_audit_def_get() : vos_entity_def_get(s - 1);
        int rc = sequence_catch_up(b, def->table, id_name(def));
        if (rc < 0) return rc;
        b->copied[s] = false;
    }
    if (b->outbox_copied) {
        int rc = sequence_catch_up(b, "webhook_outbox", "id");
        if (rc < 0) return rc;
        b->outbox_copied = false;
    }
    return 0;
}

static void copies_forget(pg_be *b)
{
    memset(b->copied, 0, sizeof b->copied);
    b->outbox_copied = false;
}

/* ---- connection ----------------------------------------------------------------------------- */

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* The session settings every connection needs. */
static int session_setup(pg_be *b)
{
    PQsetNoticeProcessor(b->conn, quiet_notices, NULL);
    return exec(b,
                "SET client_encoding TO 'UTF8'; SET extra_float_digits TO 3; "
                "SET standard_conforming_strings TO on",
                "cannot set up the connection");
}

/* Reconnects a connection that broke (the server restarted) while no transaction was open;
 * every statement is prepared again on the new one. */
static int ensure_connected(pg_be *b)
{
    if (PQstatus(b->conn) == CONNECTION_OK) return 0;
    PQreset(b->conn);
    if (PQstatus(b->conn) != CONNECTION_OK) return connection_lost(b, "cannot reconnect");
    b->gen++;
    copies_forget(b);
    return session_setup(b);
}

/* ---- transactions --------------------------------------------------------------------------- */

static int pg_rollback(vos_store_backend *be)
{
    pg_be *b = (pg_be *)be;
    copies_forget(b);
    int n = b->n_touched;
    b->n_touched = 0;
    if (PQstatus(b->conn) != CONNECTION_OK || PQtransactionStatus(b->conn) == PQTRANS_IDLE)
        return 0;
    if (n == 0 || PQtransactionStatus(b->conn) != PQTRANS_INTRANS)
        return exec(b, "ROLLBACK", "cannot roll back the transaction");
    char sql[TOUCHED_MAX * RESTORE_MAX + 16] = "SELECT 1"; /* the sequences, under the lock */
    for (int i = 0; i < n; i++)
        strcat(sql, b->untouch[i]);
    strcat(sql, "; ROLLBACK");
    return exec(b, sql, "cannot roll back the transaction");
}

static int pg_begin(vos_store_backend *be, bool write)
{
    pg_be *b = (pg_be *)be;
    int rc = ensure_connected(b);
    if (rc < 0) return rc;
    if (PQtransactionStatus(b->conn) != PQTRANS_IDLE) pg_rollback(be); /* one left aborted */
    b->n_touched = 0;
    if (!write)
        return exec(b, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                    "cannot start a transaction");
    char sql[SQL_MAX / 8];
    snprintf(sql, sizeof sql,
             "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = %d; "
             "SELECT pg_advisory_xact_lock(%" PRId64 ")",
             b->busy_ms, WRITE_LOCK_KEY);
    rc = exec(b, sql, "cannot start a transaction");
    if (rc < 0) {
        char msg[VOS_ERROR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", vos_error_last());
        pg_rollback(be);
        vos_error_set(rc, "%s", msg);
    }
    return rc;
}

/* 1 inside a live transaction.  One that a failed statement aborted is rolled back here, as
 * SQLite does by itself: it can take no more statements. */
static int pg_in_transaction(vos_store_backend *be)
{
    pg_be *b = (pg_be *)be;
    PGTransactionStatusType s = PQtransactionStatus(b->conn);
    if (s == PQTRANS_INERROR) pg_rollback(be);
    return s == PQTRANS_INTRANS || s == PQTRANS_ACTIVE;
}

static int pg_commit(vos_store_backend *be)
{
    pg_be *b = (pg_be *)be;
    int rc = copies_settle(b);
    PGresult *res = NULL;
    b->n_touched = 0;
    if (rc == 0) {
        res = PQexec(b->conn, "COMMIT");
        if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
            rc = fail(b, res, NULL, NULL, "cannot commit the transaction");
        else if (strcmp(PQcmdStatus(res), "COMMIT") != 0) /* it was aborted: rolled back */
            rc = vos_error_set(VOS_ERROR, "cannot commit the transaction: it was rolled back "
                                          "after an earlier error");
    }
    PQclear(res);
    if (rc == 0) return 0;
    char msg[VOS_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", vos_error_last());
    pg_rollback(be);
    vos_error_set(rc, "%s", msg);
    return rc;
}

/* ---- rows ----------------------------------------------------------------------------------- */

static int pg_insert(vos_store_backend *be, const vos_entity_def *def, void *row, vos_fault *fault)
{
    pg_be *b = (pg_be *)be;
    int rc = b->copied[slot_of(def)] ? copies_settle(b) : 0;
    const prepared *p = NULL;
    const char *seq = NULL;
    if (rc == 0) rc = op_stmt(b, def, OP_INSERT, &p);
    if (rc == 0 && !insert_binds_id(def))
        rc = sequence_of(b, &b->seqs[slot_of(def)], def->table, id_name(def), &seq);
    if (rc < 0) return rc;
    params pa = {.n = 0};
    for (size_t i = 0; i < def->n_fields; i++) {
        const vos_field_def *f = &def->fields[i];
        if (f->type == VOS_FT_ID && !insert_binds_id(def)) continue;
        bind_field(&pa, f, row);
    }
    char what[VOS_NAME_MAX];
    snprintf(what, sizeof what, "cannot write %s", def->name);
    PGresult *res = NULL;
    rc = run_write_seq(b, p, &pa, def, fault, what, &res, seq);
    if (rc == 0 && !insert_binds_id(def))
        *(int64_t *)field_ptr(row, &def->fields[0]) = col_int(res, 0, 0);
    PQclear(res);
    return rc;
}

static int pg_insert_copy(vos_store_backend *be, const vos_entity_def *def, const void *row,
                          vos_fault *fault)
{
    pg_be *b = (pg_be *)be;
    const prepared *p = NULL;
    int rc = op_stmt(b, def, OP_COPY, &p);
    if (rc < 0) return rc;
    params pa = {.n = 0};
    for (size_t i = 0; i < def->n_fields; i++)
        bind_field(&pa, &def->fields[i], row);
    char what[VOS_NAME_MAX];
    snprintf(what, sizeof what, "cannot copy %s", def->name);
    PGresult *res = NULL;
    rc = run_write(b, p, &pa, def, fault, what, &res);
    PQclear(res);
    if (rc == 0) b->copied[slot_of(def)] = true; /* the sequence catches up before it is used */
    return rc;
}

static int pg_get(vos_store_backend *be, const vos_entity_def *def, int64_t id, void *row)
{
    pg_be *b = (pg_be *)be;
    const prepared *p = NULL;
    int rc = op_stmt(b, def, OP_GET, &p);
    if (rc < 0) return rc;
    params pa = {.n = 0};
    p_int(&pa, id);
    char what[VOS_NAME_MAX];
    snprintf(what, sizeof what, "cannot read %s %" PRId64, def->name, id);
    PGresult *res = NULL;
    rc = run(b, p, &pa, def, NULL, what, &res);
    if (rc == 0)
        rc = PQntuples(res)
                 ? read_row(res, 0, def, row)
                 : vos_error_set(VOS_ENOTFOUND, "%s %" PRId64 " not found", def->name, id);
    PQclear(res);
    return rc;
}

/* Runs a bound write; VOS_ENOTFOUND when it changed no row. */
static int write_one(pg_be *b, const prepared *p, const params *pa, const vos_entity_def *def,
                     int64_t id, vos_fault *fault, const char *verb)
{
    char what[VOS_NAME_MAX];
    snprintf(what, sizeof what, "cannot %s %s %" PRId64, verb, def->name, id);
    PGresult *res = NULL;
    int rc = run_write(b, p, pa, def, fault, what, &res);
    if (rc == 0 && changes(res) == 0)
        rc = vos_error_set(VOS_ENOTFOUND, "%s %" PRId64 " not found", def->name, id);
    PQclear(res);
    return rc;
}

static int pg_update(vos_store_backend *be, const vos_entity_def *def, const void *row,
                     int64_t expected, vos_fault *fault)
{
    pg_be *b = (pg_be *)be;
    const prepared *p = NULL;
    int rc = op_stmt(b, def, OP_UPDATE, &p);
    if (rc < 0) return rc;
    params pa = {.n = 0};
    for (size_t i = 0; i < def->n_fields; i++)
        if (update_writes(&def->fields[i])) bind_field(&pa, &def->fields[i], row);
    int64_t id = *(const int64_t *)field_cptr(row, &def->fields[0]);
    p_int(&pa, id);
    if (has_revision(def)) p_int(&pa, expected);
    return write_one(b, p, &pa, def, id, fault, "update");
}

static int pg_remove(vos_store_backend *be, const vos_entity_def *def, int64_t id, int64_t expected,
                     vos_fault *fault)
{
    pg_be *b = (pg_be *)be;
    const prepared *p = NULL;
    int rc = op_stmt(b, def, OP_DELETE, &p);
    if (rc < 0) return rc;
    params pa = {.n = 0};
    p_int(&pa, id);
    if (has_revision(def)) p_int(&pa, expected);
    return write_one(b, p, &pa, def, id, fault, "delete");
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

static void bind_filter(params *p, const vos_field_def *f, const vos_store_filter *w)
{
    switch (f->type) {
    case VOS_FT_REAL:
        p_real(p, w->r);
        break;
    case VOS_FT_BOOL:
        p_text(p, w->i ? "1" : "0");
        break;
    case VOS_FT_ENUM:
        p_text(p, vos_row_enum_name(f, (int)w->i));
        break;
    case VOS_FT_TEXT:
    case VOS_FT_CREATED:
    case VOS_FT_UPDATED:
    case VOS_FT_DIGEST:
        p_text(p, w->s ? w->s : "");
        break;
    default:
        p_int(p, w->i);
        break;
    }
}

static void build_list(sqlbuf *sb, const vos_entity_def *def, const vos_store_query *q,
                       const char *order_by)
{
    static const char *const ops[] = {"=", ">=", "<"};
    const char *id = id_name(def);
    int n = 0;
    sb_add(sb, "SELECT ");
    sb_columns(sb, def);
    sb_add(sb, " FROM \"%s\" WHERE true", def->table);
    if (q->after_id) sb_add(sb, " AND \"%s\" %s $%d", id, q->descending ? "<" : ">", ++n);
    for (size_t i = 0; i < q->n_where; i++) {
        const vos_field_def *f = vos_row_field(def, q->where[i].field);
        if (filter_is_none(f, &q->where[i]))
            sb_add(sb, " AND \"%s\" IS NULL", f->name);
        else
            sb_add(sb, " AND \"%s\" %s $%d", f->name, ops[q->where[i].cmp], ++n);
    }
    sb_add(sb, " ORDER BY ");
    if (order_by) sb_add(sb, "\"%s\"%s, ", order_by, q->descending ? " DESC" : "");
    sb_add(sb, "\"%s\"%s LIMIT $%d", id, q->descending ? " DESC" : "", n + 1);
}

static int pg_list(vos_store_backend *be, const vos_entity_def *def, const vos_store_query *q,
                   const char *order_by, void **out, size_t *n_out)
{
    pg_be *b = (pg_be *)be;
    sqlbuf sb = {.len = 0};
    build_list(&sb, def, q, order_by);
    const prepared *p = NULL;
    int rc = list_stmt(b, &sb, &p);
    if (rc < 0) return rc;
    params pa = {.n = 0};
    if (q->after_id) p_int(&pa, q->after_id);
    for (size_t i = 0; i < q->n_where; i++) {
        const vos_field_def *f = vos_row_field(def, q->where[i].field);
        if (!filter_is_none(f, &q->where[i])) bind_filter(&pa, f, &q->where[i]);
    }
    p_int(&pa, (int64_t)q->limit);
    char what[VOS_NAME_MAX];
    snprintf(what, sizeof what, "cannot list %s rows", def->name);
    PGresult *res = NULL;
    rc = run(b, p, &pa, def, NULL, what, &res);
    if (rc < 0) return rc;
    size_t n = (size_t)PQntuples(res);
    char *rows = n ? calloc(n, def->size) : NULL;
    if (n && !rows) rc = vos_error_set(VOS_ENOMEM, "out of memory listing %s rows", def->name);
    size_t done = 0;
    for (; rc == 0 && done < n; done++)
        rc = read_row(res, (int)done, def, rows + done * def->size);
    PQclear(res);
    if (rc < 0) {
        vos_rows_free(def, rows, done ? done - 1 : 0);
        return rc;
    }
    *out = rows;
    *n_out = n;
    return 0;
}

/* ---- credentials, sessions, idempotency keys ------------------------------------------------ */

/* Runs aux statement `which` as a write.  OUT: *changed (may be NULL). */
static int aux_write(pg_be *b, int which, const params *pa, vos_fault *fault, const char *what,
                     int64_t *changed)
{
    const prepared *p = NULL;
    int rc = aux_stmt(b, which, &p);
    if (rc < 0) return rc;
    PGresult *res = NULL;
    rc = run_write(b, p, pa, NULL, fault, what, &res);
    if (changed) *changed = rc == 0 ? changes(res) : 0;
    PQclear(res);
    return rc;
}

/* Runs aux statement `which` as a read.  OUT: *res (caller clears). */
static int aux_read(pg_be *b, int which, const params *pa, const char *what, PGresult **res)
{
    const prepared *p = NULL;
    int rc = aux_stmt(b, which, &p);
    if (rc < 0) return rc;
    return run(b, p, pa, NULL, NULL, what, res);
}

static int pg_password_set(vos_store_backend *be, int64_t user_id, const char *hash,
                           vos_fault *fault)
{
    params pa = {.n = 0};
    p_int(&pa, user_id);
    if (hash) p_text(&pa, hash);
    return aux_write((pg_be *)be, hash ? AUX_PASSWORD_SET : AUX_PASSWORD_CLEAR, &pa, fault,
                     "cannot write the password", NULL);
}

/* Reads the one text column of a one-row result of `which`; VOS_ENOTFOUND as `missing`. */
static int aux_text(pg_be *b, int which, const params *pa, const char *what, char **out,
                    const char *missing)
{
    PGresult *res = NULL;
    int rc = aux_read(b, which, pa, what, &res);
    if (rc == 0)
        rc =
            PQntuples(res) ? col_copy(res, 0, 0, out) : vos_error_set(VOS_ENOTFOUND, "%s", missing);
    PQclear(res);
    return rc;
}

static int pg_password_get(vos_store_backend *be, int64_t user_id, char **hash)
{
    params pa = {.n = 0};
    p_int(&pa, user_id);
    char missing[VOS_NAME_MAX];
    snprintf(missing, sizeof missing, "user %" PRId64 " has no password", user_id);
    return aux_text((pg_be *)be, AUX_PASSWORD_GET, &pa, "cannot read the password", hash, missing);
}

static int pg_session_insert(vos_store_backend *be, const char *secret_sha256, int64_t user_id,
                             const char *created_at, const char *expires_at, vos_fault *fault)
{
    params pa = {.n = 0};
    p_text(&pa, secret_sha256);
    p_int(&pa, user_id);
    p_text(&pa, created_at);
    p_text(&pa, expires_at);
    return aux_write((pg_be *)be, AUX_SESSION_INSERT, &pa, fault, "cannot write the session", NULL);
}

static int pg_session_find(vos_store_backend *be, const char *secret_sha256, const char *now,
                           int64_t *user_id, char expires_at[VOS_STAMP_SIZE])
{
    params pa = {.n = 0};
    p_text(&pa, secret_sha256);
    p_text(&pa, now);
    PGresult *res = NULL;
    int rc = aux_read((pg_be *)be, AUX_SESSION_FIND, &pa, "cannot read the session", &res);
    if (rc == 0 && PQntuples(res)) {
        *user_id = col_int(res, 0, 0);
        col_fixed(res, 0, 1, expires_at, VOS_STAMP_SIZE);
    } else if (rc == 0) {
        rc = vos_error_set(VOS_ENOTFOUND, "no such session (or it has expired)");
    }
    PQclear(res);
    return rc;
}

static int pg_session_delete(vos_store_backend *be, const char *secret_sha256)
{
    params pa = {.n = 0};
    p_text(&pa, secret_sha256);
    return aux_write((pg_be *)be, AUX_SESSION_DELETE, &pa, NULL, "cannot delete the session", NULL);
}

static int pg_session_purge(vos_store_backend *be, int64_t user_id, const char *now)
{
    params pa = {.n = 0};
    p_int(&pa, user_id > 0 ? user_id : -1); /* no user has id -1 */
    p_text(&pa, now);
    return aux_write((pg_be *)be, AUX_SESSION_PURGE, &pa, NULL, "cannot delete sessions", NULL);
}

static int pg_idempotency_insert(vos_store_backend *be, const vos_idempotency_row *row,
                                 vos_fault *fault)
{
    params pa = {.n = 0};
    p_text(&pa, row->scope);
    p_text(&pa, row->key);
    p_text(&pa, row->method);
    p_text(&pa, row->path);
    p_text(&pa, row->request_sha256);
    p_text(&pa, row->created_at);
    return aux_write((pg_be *)be, AUX_IDEM_INSERT, &pa, fault, "cannot write the idempotency key",
                     NULL);
}

static int pg_idempotency_get(vos_store_backend *be, const char *scope, const char *key,
                              vos_idempotency_row *out)
{
    params pa = {.n = 0};
    p_text(&pa, scope);
    p_text(&pa, key);
    PGresult *res = NULL;
    int rc = aux_read((pg_be *)be, AUX_IDEM_GET, &pa, "cannot read the idempotency key", &res);
    if (rc == 0 && !PQntuples(res))
        rc = vos_error_set(VOS_ENOTFOUND, "idempotency key '%.*s' does not exist",
                           VOS_IDEMPOTENCY_KEY_MAX, key);
    if (rc == 0) rc = col_copy(res, 0, 0, &out->scope);
    if (rc == 0) rc = col_copy(res, 0, 1, &out->key);
    if (rc == 0) rc = col_copy(res, 0, 2, &out->method);
    if (rc == 0) rc = col_copy(res, 0, 3, &out->path);
    if (rc == 0) {
        col_fixed(res, 0, 4, out->request_sha256, VOS_SHA256_HEX_SIZE);
        out->status = (int)col_int(res, 0, 5);
        rc = col_copy(res, 0, 6, &out->content_type);
    }
    if (rc == 0) rc = col_copy(res, 0, 7, &out->body);
    if (rc == 0) col_fixed(res, 0, 8, out->created_at, VOS_STAMP_SIZE);
    PQclear(res);
    return rc;
}

static int pg_idempotency_finish(vos_store_backend *be, const char *scope, const char *key,
                                 int status, const char *content_type, const char *body,
                                 vos_fault *fault)
{
    params pa = {.n = 0};
    p_text(&pa, scope);
    p_text(&pa, key);
    p_int(&pa, status);
    p_text(&pa, content_type);
    p_text(&pa, body);
    int64_t changed = 0;
    int rc = aux_write((pg_be *)be, AUX_IDEM_FINISH, &pa, fault, "cannot keep the reply", &changed);
    if (rc == 0 && !changed) return vos_error_set(VOS_ENOTFOUND, "no reserved idempotency key");
    return rc;
}

static int pg_idempotency_delete(vos_store_backend *be, const char *scope, const char *key)
{
    params pa = {.n = 0};
    p_text(&pa, scope);
    p_text(&pa, key);
    int64_t changed = 0;
    int rc = aux_write((pg_be *)be, AUX_IDEM_DELETE, &pa, NULL, "cannot delete the idempotency key",
                       &changed);
    if (rc == 0 && !changed) return vos_error_set(VOS_ENOTFOUND, "no such idempotency key");
    return rc;
}

static int pg_idempotency_purge(vos_store_backend *be, const char *before)
{
    params pa = {.n = 0};
    p_text(&pa, before);
    return aux_write((pg_be *)be, AUX_IDEM_PURGE, &pa, NULL, "cannot delete idempotency keys",
                     NULL);
}

/* ---- webhook secrets, the outbox, job leases ------------------------------------------------ */

static int pg_webhook_secret_set(vos_store_backend *be, int64_t webhook_id, const char *secret,
                                 vos_fault *fault)
{
    params pa = {.n = 0};
    p_int(&pa, webhook_id);
    p_text(&pa, secret);
    return aux_write((pg_be *)be, AUX_SECRET_SET, &pa, fault, "cannot write the webhook secret",
                     NULL);
}

static int pg_webhook_secret_get(vos_store_backend *be, int64_t webhook_id, char **secret)
{
    params pa = {.n = 0};
    p_int(&pa, webhook_id);
    char missing[VOS_NAME_MAX];
    snprintf(missing, sizeof missing, "webhook %" PRId64 " has no secret", webhook_id);
    return aux_text((pg_be *)be, AUX_SECRET_GET, &pa, "cannot read the webhook secret", secret,
                    missing);
}

static int pg_outbox_insert(vos_store_backend *be, vos_outbox_row *row, vos_fault *fault)
{
    pg_be *b = (pg_be *)be;
    int rc = b->outbox_copied ? copies_settle(b) : 0;
    const prepared *p = NULL;
    const char *seq = NULL;
    if (rc == 0) rc = aux_stmt(b, AUX_OUTBOX_INSERT, &p);
    if (rc == 0) rc = sequence_of(b, &b->outbox_seq, "webhook_outbox", "id", &seq);
    if (rc < 0) return rc;
    params pa = {.n = 0};
    p_int(&pa, row->webhook_id);
    p_text(&pa, row->event);
    p_text(&pa, row->payload);
    p_text(&pa, row->created_at);
    p_text(&pa, row->next_attempt_at);
    PGresult *res = NULL;
    rc = run_write_seq(b, p, &pa, NULL, fault, "cannot write the outbox event", &res, seq);
    if (rc == 0) row->id = col_int(res, 0, 0);
    PQclear(res);
    return rc;
}

static int pg_outbox_copy(vos_store_backend *be, const vos_outbox_row *row, vos_fault *fault)
{
    pg_be *b = (pg_be *)be;
    params pa = {.n = 0};
    p_int(&pa, row->id);
    p_int(&pa, row->webhook_id);
    p_text(&pa, row->event);
    p_text(&pa, row->payload);
    p_text(&pa, row->created_at);
    p_int(&pa, row->attempts);
    p_text(&pa, row->next_attempt_at);
    p_text(&pa, row->claimed_until);
    p_text(&pa, row->delivered_at);
    p_text(&pa, row->failed_at);
    p_int(&pa, row->last_status);
    p_text(&pa, row->last_error);
    int rc = aux_write(b, AUX_OUTBOX_COPY, &pa, fault, "cannot copy the outbox event", NULL);
    if (rc == 0) b->outbox_copied = true;
    return rc;
}

/* Reads the OUTBOX_COLUMNS of result row r. */
static int read_outbox(const PGresult *res, int r, vos_outbox_row *o)
{
    o->id = col_int(res, r, 0);
    o->webhook_id = col_int(res, r, 1);
    int rc = col_copy(res, r, 2, &o->event);
    if (rc == 0) rc = col_copy(res, r, 3, &o->payload);
    col_fixed(res, r, 4, o->created_at, VOS_STAMP_SIZE);
    o->attempts = col_int(res, r, 5);
    col_fixed(res, r, 6, o->next_attempt_at, VOS_STAMP_SIZE);
    if (rc == 0) rc = col_copy(res, r, 7, &o->claimed_until);
    if (rc == 0) rc = col_copy(res, r, 8, &o->delivered_at);
    if (rc == 0) rc = col_copy(res, r, 9, &o->failed_at);
    o->last_status = (int)col_int(res, r, 10);
    if (rc == 0) rc = col_copy(res, r, 11, &o->last_error);
    return rc;
}

/* The outbox rows of a result.  OUT: *out, *n. */
static int outbox_rows(const PGresult *res, vos_outbox_row **out, size_t *n_out)
{
    size_t n = (size_t)PQntuples(res);
    vos_outbox_row *rows = n ? calloc(n, sizeof *rows) : NULL;
    if (n && !rows) return vos_error_set(VOS_ENOMEM, "out of memory reading the outbox");
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = read_outbox(res, (int)i, &rows[i]);
    if (rc < 0) {
        vos_outbox_rows_free(rows, n);
        return rc;
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

static int pg_outbox_claim(vos_store_backend *be, const char *now, const char *due_by,
                           const char *until, size_t max, vos_outbox_row **rows, size_t *n)
{
    pg_be *b = (pg_be *)be;
    const prepared *p = NULL;
    int rc = aux_stmt(b, AUX_OUTBOX_CLAIM, &p);
    if (rc < 0) return rc;
    params pa = {.n = 0};
    p_text(&pa, now);
    p_text(&pa, until);
    p_int(&pa, (int64_t)max);
    p_text(&pa, due_by);
    PGresult *res = NULL;
    rc = run_write(b, p, &pa, NULL, NULL, "cannot claim outbox events", &res);
    if (rc == 0) rc = outbox_rows(res, rows, n);
    PQclear(res);
    if (rc == 0 && *n > 1) qsort(*rows, *n, sizeof **rows, outbox_cmp); /* RETURNING: no order */
    return rc;
}

static int pg_outbox_finish(vos_store_backend *be, const vos_outbox_row *row, int64_t expected,
                            vos_fault *fault)
{
    params pa = {.n = 0};
    p_int(&pa, row->id);
    p_int(&pa, expected);
    p_int(&pa, row->attempts);
    p_text(&pa, row->next_attempt_at[0] ? row->next_attempt_at : NULL);
    p_text(&pa, row->delivered_at);
    p_text(&pa, row->failed_at);
    p_int(&pa, row->last_status);
    p_text(&pa, row->last_error);
    int64_t changed = 0;
    int rc = aux_write((pg_be *)be, AUX_OUTBOX_FINISH, &pa, fault,
                       "cannot record the outbox attempt", &changed);
    if (rc == 0 && !changed) return vos_error_set(VOS_ENOTFOUND, "no such outbox event");
    return rc;
}

static int pg_outbox_list(vos_store_backend *be, int64_t webhook_id, int64_t after_id, size_t limit,
                          vos_outbox_row **rows, size_t *n)
{
    params pa = {.n = 0};
    if (webhook_id) p_int(&pa, webhook_id);
    p_int(&pa, after_id);
    p_int(&pa, (int64_t)limit);
    PGresult *res = NULL;
    int rc = aux_read((pg_be *)be, webhook_id ? AUX_OUTBOX_LIST : AUX_OUTBOX_LIST_ALL, &pa,
                      "cannot read the outbox", &res);
    if (rc == 0) rc = outbox_rows(res, rows, n);
    PQclear(res);
    return rc;
}

static int pg_outbox_purge(vos_store_backend *be, const char *before)
{
    params pa = {.n = 0};
    p_text(&pa, before);
    return aux_write((pg_be *)be, AUX_OUTBOX_PURGE, &pa, NULL, "cannot purge the outbox", NULL);
}

static int pg_outbox_retry_now(vos_store_backend *be, int64_t webhook_id, const char *now)
{
    params pa = {.n = 0};
    p_int(&pa, webhook_id);
    p_text(&pa, now);
    return aux_write((pg_be *)be, AUX_OUTBOX_RETRY_NOW, &pa, NULL, "cannot reschedule the outbox",
                     NULL);
}

static int pg_job_claim(vos_store_backend *be, const char *name, const char *holder,
                        const char *now, const char *until, bool *claimed)
{
    pg_be *b = (pg_be *)be;
    const prepared *p = NULL;
    int rc = aux_stmt(b, AUX_JOB_CLAIM, &p);
    if (rc < 0) return rc;
    params pa = {.n = 0};
    p_text(&pa, name);
    p_text(&pa, holder);
    p_text(&pa, now);
    p_text(&pa, until);
    PGresult *res = NULL;
    vos_fault fault;
    rc = run_write(b, p, &pa, NULL, &fault, "cannot take the job lease", &res);
    if (rc == 0) *claimed = PQntuples(res) == 1;
    PQclear(res);
    return rc;
}

/* ---- ingestion ranges ----------------------------------------------------------------------- */

static int pg_ingestion_range_put(vos_store_backend *be, int64_t ingestion_id, int64_t first,
                                  int64_t last)
{
    params pa = {.n = 0};
    p_int(&pa, ingestion_id);
    p_int(&pa, first);
    p_int(&pa, last);
    return aux_write((pg_be *)be, AUX_RANGE_PUT, &pa, NULL,
                     "cannot write the range of an ingestion", NULL);
}

static int pg_ingestion_range_get(vos_store_backend *be, int64_t ingestion_id, int64_t *first,
                                  int64_t *last)
{
    params pa = {.n = 0};
    p_int(&pa, ingestion_id);
    PGresult *res = NULL;
    int rc = aux_read((pg_be *)be, AUX_RANGE_GET, &pa, "cannot read the range of an ingestion",
                      &res);
    if (rc == 0 && PQntuples(res) == 1) {
        *first = col_int(res, 0, 0);
        *last = col_int(res, 0, 1);
    } else if (rc == 0) {
        rc = vos_error_set(VOS_ENOTFOUND, "ingestion %" PRId64 " has no recorded range",
                           ingestion_id);
    }
    PQclear(res);
    return rc;
}

/* ---- measurements --------------------------------------------------------------------------- */

/* The value stored under row's key, after the insert skipped it; a key not found means a
 * reference was missing. */
static int meas_stored(pg_be *b, const vos_measurement_row *row, vos_put_outcome *outcome,
                       double *existing, vos_fault *fault)
{
    params pa = {.n = 0};
    p_int(&pa, row->account_id);
    p_text(&pa, row->kpi_key);
    p_text(&pa, row->at);
    p_text(&pa, row->source);
    PGresult *res = NULL;
    int rc = aux_read(b, AUX_MEAS_FIND, &pa, "cannot read a measurement", &res);
    if (rc == 0 && PQntuples(res)) {
        double stored = col_real(res, 0, 0);
        *outcome = stored == row->value ? VOS_PUT_DUPLICATE : VOS_PUT_CONFLICT;
        if (existing) *existing = stored;
    } else if (rc == 0) {
        memset(fault, 0, sizeof *fault);
        fault->kind = VOS_FAULT_FOREIGN_KEY;
        fault->index = -1;
        rc = vos_error_set(VOS_ECONFLICT, "cannot write measurement: a reference points nowhere");
    }
    PQclear(res);
    return rc;
}

static bool meas_touched(const pg_be *b, const char *seq)
{
    if (PQtransactionStatus(b->conn) != PQTRANS_INTRANS) return true; /* nothing to give back */
    for (int i = 0; i < b->n_touched; i++)
        if (b->touched[i] == seq) return true;
    return false;
}

/* One statement per point; the generic layer's `bulk` changes nothing here: the insert
 * evaluates every constraint, and needs no savepoint (see the top of this file). */
static int pg_measurement_put(vos_store_backend *be, vos_measurement_row *row, bool bulk,
                              vos_put_outcome *outcome, double *existing, vos_fault *fault)
{
    pg_be *b = (pg_be *)be;
    (void)bulk;
    const vos_entity_def *def = vos_entity_def_get(VOS_ENTITY_MEASUREMENT);
    int rc = b->copied[slot_of(def)] ? copies_settle(b) : 0;
    const char *seq = NULL;
    if (rc == 0) rc = sequence_of(b, &b->seqs[slot_of(def)], def->table, id_name(def), &seq);
    if (rc == 0 && seq[0] && !meas_touched(b, seq)) {
        char restore[RESTORE_MAX];
        rc = sequence_state(b, "", seq, restore, sizeof restore, "cannot write measurement");
        if (rc == 0) sequence_touch(b, seq, restore);
    }
    if (rc < 0) return rc;
    params pa = {.n = 0};
    p_int(&pa, row->ingestion_id);
    p_int(&pa, row->account_id);
    p_text(&pa, row->kpi_key);
    p_text(&pa, row->at);
    p_real(&pa, row->value);
    p_text(&pa, row->source);
    const prepared *p = NULL;
    rc = aux_stmt(b, AUX_MEAS_PUT, &p);
    if (rc < 0) return rc;
    PGresult *res = NULL;
    rc = run(b, p, &pa, def, fault, "cannot write measurement", &res);
    if (rc == 0 && PQntuples(res)) {
        row->id = col_int(res, 0, 0);
        *outcome = VOS_PUT_INSERTED;
    } else if (rc == 0) {
        rc = meas_stored(b, row, outcome, existing, fault);
    }
    PQclear(res);
    return rc;
}

/* ---- batched measurements ------------------------------------------------------------------- */

/* A growing text (the array literals of a batch); `oom` once an allocation failed. */
typedef struct textbuf {
    char *s;
    size_t len, cap;
    bool oom;
} textbuf;

static void tb_add(textbuf *t, const char *s, size_t n)
{
    if (t->oom) return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : TEXTBUF_START;
        while (t->len + n + 1 > cap)
            cap *= 2;
        char *grown = realloc(t->s, cap);
        if (!grown) {
            t->oom = true;
            return;
        }
        t->s = grown;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

/* Appends s as a quoted element of an array literal: "..." with " and \ escaped. */
static void tb_element(textbuf *t, const char *s)
{
    tb_add(t, "\"", 1);
    for (const char *run = s;; s++) {
        if (*s != '"' && *s != '\\' && *s) continue;
        tb_add(t, run, (size_t)(s - run));
        if (!*s) break;
        tb_add(t, "\\", 1);
        run = s;
    }
    tb_add(t, "\"", 1);
}

enum { MA_INGESTION = 0, MA_ACCOUNT, MA_KPI, MA_AT, MA_VALUE, MA_SOURCE, MA_COUNT };

/* The six array literals of rows[0..n), as AUX_MEAS_PUT_MANY takes them. */
static int meas_arrays(textbuf a[MA_COUNT], const vos_measurement_row *rows, size_t n)
{
    char num[NUM_MAX];
    for (int k = 0; k < MA_COUNT; k++) {
        a[k].len = 0;
        tb_add(&a[k], "{", 1);
    }
    for (size_t i = 0; i < n; i++) {
        const vos_measurement_row *r = &rows[i];
        const char *sep = i ? "," : "";
        int len = snprintf(num, sizeof num, "%s%" PRId64, sep, r->ingestion_id);
        tb_add(&a[MA_INGESTION], num, (size_t)len);
        len = snprintf(num, sizeof num, "%s%" PRId64, sep, r->account_id);
        tb_add(&a[MA_ACCOUNT], num, (size_t)len);
        len = snprintf(num, sizeof num, "%s%.17g", sep, r->value); /* reads back exactly */
        tb_add(&a[MA_VALUE], num, (size_t)len);
        tb_add(&a[MA_KPI], sep, strlen(sep));
        tb_element(&a[MA_KPI], r->kpi_key);
        tb_add(&a[MA_AT], sep, strlen(sep));
        tb_element(&a[MA_AT], r->at);
        tb_add(&a[MA_SOURCE], sep, strlen(sep));
        tb_element(&a[MA_SOURCE], r->source);
    }
    for (int k = 0; k < MA_COUNT; k++) {
        tb_add(&a[k], "}", 1);
        if (a[k].oom) return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    return 0;
}

/* The outcomes of a chunk from its result (see AUX_MEAS_PUT_MANY): the rows inserted take
 * the ids listed in row 0, in order.  OUT: *failed on an error. */
static int meas_outcomes(const PGresult *res, vos_measurement_row *rows, size_t n,
                         vos_put_outcome *outcomes, double *existing, size_t *failed)
{
    const char *ids = PQgetisnull(res, 0, 3) ? "" : PQgetvalue(res, 0, 3);
    if (*ids == '{') ids++;
    for (size_t r = 0; r < n; r++) {
        int64_t first = col_int(res, (int)r, 1) - 1;
        double stored = NAN;
        if (!PQgetisnull(res, (int)r, 2)) {
            stored = col_real(res, (int)r, 2);
        } else if (first == (int64_t)r && *ids >= '0' && *ids <= '9') {
            char *end = NULL;
            rows[r].id = strtoll(ids, &end, 10);
            ids = *end == ',' ? end + 1 : end;
            outcomes[r] = VOS_PUT_INSERTED;
            continue;
        } else if (first >= 0 && first < (int64_t)r) {
            stored = rows[first].value; /* as inserted by row `first` of this chunk */
        } else {
            *failed = r;
            return vos_error_set(VOS_ERROR, "cannot write measurement: the database skipped it");
        }
        outcomes[r] = stored == rows[r].value ? VOS_PUT_DUPLICATE : VOS_PUT_CONFLICT;
        if (existing) existing[r] = stored;
    }
    return 0;
}

/* Puts rows[0..n) (n <= MEAS_CHUNK) with one statement.  OUT: *failed, *fault as for
 * pg_measurements_put. */
static int meas_chunk(pg_be *b, textbuf a[MA_COUNT], vos_measurement_row *rows, size_t n,
                      vos_put_outcome *outcomes, double *existing, size_t *failed,
                      vos_fault *fault)
{
    const prepared *p = NULL;
    int rc = meas_arrays(a, rows, n);
    if (rc == 0) rc = aux_stmt(b, AUX_MEAS_PUT_MANY, &p);
    if (rc < 0) return rc;
    params pa = {.n = 0};
    for (int k = 0; k < MA_COUNT; k++)
        p_text(&pa, a[k].s);
    PGresult *res = NULL;
    const vos_entity_def *def = vos_entity_def_get(VOS_ENTITY_MEASUREMENT);
    rc = run(b, p, &pa, def, fault, "cannot write measurement", &res);
    if (rc == 0 && (size_t)PQntuples(res) != n)
        rc = vos_error_set(VOS_ERROR, "cannot write measurement: %d results for %zu rows",
                           PQntuples(res), n);
    if (rc == 0 && !PQgetisnull(res, 0, 0)) { /* a reference points nowhere */
        *failed = (size_t)col_int(res, 0, 0) - 1;
        memset(fault, 0, sizeof *fault);
        fault->kind = VOS_FAULT_FOREIGN_KEY;
        fault->index = -1;
        rc = vos_error_set(VOS_ECONFLICT, "cannot write measurement: a reference points nowhere");
    }
    if (rc == 0) rc = meas_outcomes(res, rows, n, outcomes, existing, failed);
    PQclear(res);
    return rc;
}

/* Chunks of MEAS_CHUNK rows, one statement each, under one savepoint: a failure undoes the
 * whole call and gives its ids back (see run_write_seq). */
static int pg_measurements_put(vos_store_backend *be, vos_measurement_row *rows, size_t n,
                               vos_put_outcome *outcomes, double *existing, size_t *failed,
                               vos_fault *fault)
{
    pg_be *b = (pg_be *)be;
    const vos_entity_def *def = vos_entity_def_get(VOS_ENTITY_MEASUREMENT);
    *failed = SIZE_MAX;
    int rc = b->copied[slot_of(def)] ? copies_settle(b) : 0;
    const char *seq = NULL;
    if (rc == 0) rc = sequence_of(b, &b->seqs[slot_of(def)], def->table, id_name(def), &seq);
    char restore[RESTORE_MAX];
    if (rc == 0) rc = savepoint(b, seq, restore, sizeof restore, "cannot write measurement");
    if (rc < 0) return rc;
    textbuf a[MA_COUNT] = {{0}};
    for (size_t lo = 0; lo < n && rc == 0; lo += MEAS_CHUNK) {
        size_t m = n - lo < MEAS_CHUNK ? n - lo : MEAS_CHUNK;
        rc = meas_chunk(b, a, rows + lo, m, outcomes + lo, existing ? existing + lo : NULL,
                        failed, fault);
        if (rc < 0 && *failed != SIZE_MAX) *failed += lo;
    }
    for (int k = 0; k < MA_COUNT; k++)
        free(a[k].s);
    if (rc == 0) return exec(b, "RELEASE SAVEPOINT vos_write", "cannot write measurement");
    char msg[VOS_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", vos_error_last());
    if (PQstatus(b->conn) != CONNECTION_BAD) {
        char sql[SQL_MAX / 4];
        snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT vos_write; RELEASE SAVEPOINT vos_write%s",
                 restore);
        exec(b, sql, "cannot write measurement");
    }
    vos_error_set(rc, "%s", msg);
    return rc;
}

/* ---- series ---------------------------------------------------------------------------------- */

/* The points of a series result: one allocation (NULL when empty). */
static int points_of(const PGresult *res, vos_measurement_point **out, size_t *n_out)
{
    size_t n = (size_t)PQntuples(res);
    if (n == 0) return 0;
    vos_measurement_point *pts = malloc(n * sizeof *pts);
    if (!pts) return vos_error_set(VOS_ENOMEM, "out of memory reading a series");
    for (size_t i = 0; i < n; i++) {
        col_fixed(res, (int)i, 0, pts[i].at, sizeof pts[i].at);
        pts[i].value = col_real(res, (int)i, 1);
    }
    *out = pts;
    *n_out = n;
    return 0;
}

static int pg_measurement_points(vos_store_backend *be, int64_t account_id, const char *kpi_key,
                                 const char *from, const char *to, size_t limit,
                                 vos_measurement_point **out, size_t *n)
{
    pg_be *b = (pg_be *)be;
    int which = (from ? POINTS_FROM : 0) | (to ? POINTS_TO : 0);
    prepared *p = &b->points[which];
    if (p->gen != b->gen) {
        snprintf(p->name, sizeof p->name, "vos_points_%d", which);
        int rc = prepare(b, p, points_sql[which]);
        if (rc < 0) return rc;
    }
    params pa = {.n = 0};
    p_int(&pa, account_id);
    p_text(&pa, kpi_key);
    p_int(&pa, (int64_t)limit);
    if (from) p_text(&pa, from);
    if (to) p_text(&pa, to);
    PGresult *res = NULL;
    int rc = run(b, p, &pa, NULL, NULL, "cannot read a series", &res);
    if (rc == 0) rc = points_of(res, out, n);
    PQclear(res);
    return rc;
}

/* ---- integrity ------------------------------------------------------------------------------ */

/* Compares the migrations recorded in the database with the ones built in. */
static int check_migrations(pg_be *b, char *problem, size_t size)
{
    for (int i = 0; i < vos_pg_migrations_count && !problem[0]; i++) {
        const vos_pg_migration *m = &vos_pg_migrations[i];
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

/* PostgreSQL enforces every constraint on every write and checks its own pages; what can
 * still be wrong is a constraint left NOT VALID (added without checking the rows it had) or
 * a schema other than the one this program built. */
static int pg_check(vos_store_backend *be, char *problem, size_t size)
{
    pg_be *b = (pg_be *)be;
    char name[VOS_NAME_MAX + 1];
    problem[0] = '\0';
    int rc = query_text(b,
                        "SELECT c.conname FROM pg_constraint c JOIN pg_namespace n "
                        "ON n.oid = c.connamespace WHERE n.nspname = current_schema() "
                        "AND NOT c.convalidated LIMIT 1",
                        name, sizeof name, "cannot check the database");
    if (rc < 0) return rc;
    if (name[0]) {
        snprintf(problem, size, "the constraint '%s' is not validated", name);
        return 0;
    }
    char text[VOS_ERROR_MSG_MAX / 2];
    rc = query_text(b, VOS_STORE_RANGE_CHECK_SQL, text, sizeof text, "cannot check the ranges");
    if (rc < 0) return rc;
    if (text[0]) {
        snprintf(problem, size, VOS_STORE_RANGE_PROBLEM, text);
        return 0;
    }
    return check_migrations(b, problem, size);
}

static int pg_backup(vos_store_backend *be, const char *path)
{
    (void)be;
    (void)path;
    return vos_error_set(VOS_EINVALID, "backups of a PostgreSQL store are taken with pg_dump "
                                       "(docs/internals/store.md)");
}

/* ---- migrations ----------------------------------------------------------------------------- */

static int schema_version(pg_be *b, int64_t *out)
{
    char text[NUM_MAX];
    *out = 0;
    int rc = query_text(b, "SELECT to_regclass('schema_migrations') IS NOT NULL", text, sizeof text,
                        "cannot read the schema version");
    if (rc < 0 || text[0] != 't') return rc;
    rc = query_text(b, "SELECT coalesce(max(version), 0) FROM schema_migrations", text, sizeof text,
                    "cannot read the schema version");
    if (rc == 0) *out = strtoll(text, NULL, 10);
    return rc;
}

static int pg_schema_version(vos_store_backend *be)
{
    int64_t v = 0;
    return schema_version((pg_be *)be, &v) < 0 ? -1 : (int)v;
}

/* Applies one migration in the open transaction and records it. */
static int apply_one(pg_be *b, const vos_pg_migration *m)
{
    char *text = NULL;
    int rc = vos_lines_join(m->lines, &text);
    if (rc < 0) return rc;
    char what[VOS_NAME_MAX];
    snprintf(what, sizeof what, "migration %04d_%s failed", m->version, m->name);
    rc = exec(b, text, what);
    if (rc == 0)
        rc = exec(b,
                  "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
                  "name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL)",
                  what);
    if (rc == 0) {
        char hash[VOS_SHA256_HEX_SIZE], now[VOS_STAMP_SIZE], sql[SQL_MAX / 4];
        vos_sha256_hex(hash, text, strlen(text));
        vos_store_now(now);
        snprintf(sql, sizeof sql,
                 "INSERT INTO schema_migrations (version, name, sha256, applied_at) "
                 "VALUES (%d, '%s', '%s', '%s')",
                 m->version, m->name, hash, now);
        rc = exec(b, sql, what);
    }
    free(text);
    return rc;
}

/* Applies the migrations the database lacks, each in its own transaction, holding the
 * migration lock so that another process opening the database meanwhile waits, then finds
 * them applied. */
static int migrate(pg_be *b)
{
    char sql[SQL_MAX / 16];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_lock(%" PRId64 ")", MIGRATE_LOCK_KEY);
    int rc = exec(b, sql, "cannot lock the schema for migration");
    if (rc < 0) return rc;
    int64_t have = 0;
    rc = schema_version(b, &have);
    for (int i = 0; rc == 0 && have <= vos_pg_migrations_count && i < vos_pg_migrations_count;
         i++) {
        const vos_pg_migration *m = &vos_pg_migrations[i];
        if (have >= m->version) continue;
        rc = exec(b, "BEGIN", "cannot start the schema migration");
        if (rc == 0) rc = apply_one(b, m);
        if (rc == 0)
            rc = pg_commit(&b->base);
        else
            pg_rollback(&b->base);
        if (rc == 0) rc = schema_version(b, &have);
    }
    char msg[VOS_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", vos_error_last());
    snprintf(sql, sizeof sql, "SELECT pg_advisory_unlock(%" PRId64 ")", MIGRATE_LOCK_KEY);
    int unlock = exec(b, sql, "cannot unlock the schema");
    if (rc < 0) return vos_error_set(rc, "%s", msg);
    if (unlock < 0) return unlock;
    if (have > vos_pg_migrations_count)
        return vos_error_set(VOS_ECONFLICT,
                             "the database has schema version %" PRId64 ", newer than this "
                             "program knows (%d): use a newer vos",
                             have, vos_pg_migrations_count);
    return 0;
}

/* ---- opening and closing -------------------------------------------------------------------- */

static void pg_free(vos_store_backend *be)
{
    pg_be *b = (pg_be *)be;
    if (!b) return;
    for (size_t i = 0; i < LIST_CACHE_MAX; i++)
        free(b->lists[i].sql);
    PQfinish(b->conn);
    free(b);
}

static const vos_store_backend pg_vtable = {
    .version = VOS_STORE_BACKEND_VERSION,
    .free = pg_free,
    .schema_version = pg_schema_version,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .in_transaction = pg_in_transaction,
    .insert = pg_insert,
    .get = pg_get,
    .update = pg_update,
    .remove = pg_remove,
    .list = pg_list,
    .check = pg_check,
    .backup = pg_backup,
    .password_set = pg_password_set,
    .password_get = pg_password_get,
    .session_insert = pg_session_insert,
    .session_find = pg_session_find,
    .session_delete = pg_session_delete,
    .session_purge = pg_session_purge,
    .idempotency_insert = pg_idempotency_insert,
    .idempotency_get = pg_idempotency_get,
    .idempotency_finish = pg_idempotency_finish,
    .idempotency_delete = pg_idempotency_delete,
    .idempotency_purge = pg_idempotency_purge,
    .webhook_secret_set = pg_webhook_secret_set,
    .webhook_secret_get = pg_webhook_secret_get,
    .outbox_insert = pg_outbox_insert,
    .outbox_claim = pg_outbox_claim,
    .outbox_finish = pg_outbox_finish,
    .outbox_list = pg_outbox_list,
    .outbox_purge = pg_outbox_purge,
    .outbox_retry_now = pg_outbox_retry_now,
    .measurement_put = pg_measurement_put,
    .job_claim = pg_job_claim,
    .ingestion_range_put = pg_ingestion_range_put,
    .ingestion_range_get = pg_ingestion_range_get,
    .insert_copy = pg_insert_copy,
    .outbox_copy = pg_outbox_copy,
    .measurements_put = pg_measurements_put,
    .measurement_points = pg_measurement_points,
};

/* `location` is the URL after "postgres:" or "postgresql:" ("//user@host:port/db?..."): any
 * libpq connection URI. */
int vos_store_postgres_open(vos_store_backend **out, const char *location)
{
    *out = NULL;
    if (strncmp(location, "//", 2) != 0)
        return vos_error_set(VOS_EINVALID, "a PostgreSQL store URL has the form "
                                           "postgres://USER@HOST:PORT/DATABASE");
    size_t len = strlen("postgresql:") + strlen(location) + 1;
    char *uri = malloc(len);
    pg_be *b = calloc(1, sizeof *b);
    if (!uri || !b) {
        free(uri);
        free(b);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    snprintf(uri, len, "postgresql:%s", location);
    b->base = pg_vtable;
    b->busy_ms = VOS_STORE_BUSY_TIMEOUT_MS;
    b->gen = 1;
    const char *const keys[] = {"dbname", "fallback_application_name", NULL};
    const char *const values[] = {uri, "vos", NULL};
    b->conn = PQconnectdbParams(keys, values, 1);
    free(uri);
    int rc = 0;
    if (!b->conn)
        rc = vos_error_set(VOS_ENOMEM, "out of memory");
    else if (PQstatus(b->conn) != CONNECTION_OK)
        rc = connection_lost(b, "cannot open the PostgreSQL store");
    if (rc == 0) rc = session_setup(b);
    if (rc == 0) rc = migrate(b);
    if (rc < 0) {
        pg_free(&b->base);
        return rc;
    }
    *out = &b->base;
    return 0;
}
