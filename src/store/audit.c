/* The audit log: a hash chain of every write, and its verification.
 *
 * Record n is hashed as SHA-256 over the 32 bytes of record n-1's hash followed by the
 * record's fields, each length-prefixed (docs/internals/store.md gives the exact bytes), so a
 * record cannot be altered, removed or reordered without breaking the chain.  Each record
 * also holds the canonical JSON of the entity after the write; verification compares every
 * entity in the database with its last record, which reveals edits made behind VOS's back. */
#include "store_int.h"

#include "vos/error.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_DOMAIN "vos.audit.v1" /* first field of every hashed record */
#define NULL_LENGTH UINT64_MAX      /* the length prefix of a field that is none */
#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define LATEST_START 1024 /* first allocation of the per-entity table of verify */

/* ---- hashing -------------------------------------------------------------------------------- */

static void hash_field(crypto_hash_sha256_state *sha, const char *s)
{
    uint64_t len = s ? (uint64_t)strlen(s) : NULL_LENGTH;
    unsigned char prefix[8];
    for (int i = 0; i < 8; i++)
        prefix[i] = (unsigned char)(len >> (56 - 8 * i));
    crypto_hash_sha256_update(sha, prefix, sizeof prefix);
    if (s) crypto_hash_sha256_update(sha, (const unsigned char *)s, (unsigned long long)len);
}

/* hash = SHA-256(prev_hash as 32 bytes || F(domain) || F(seq) || F(at) || F(actor) ||
 * F(operation) || F(entity_type) || F(entity_id) || F(before_json) || F(after_json)), where
 * F(x) is x's byte length as 8 bytes big-endian then x (all ones and nothing for none), and
 * numbers are in decimal.  A prev_hash that is not 64 hex digits hashes as 32 zero bytes. */
static void audit_hash(const vos_audit_row *r, char out[VOS_SHA256_HEX_SIZE])
{
    unsigned char prev[crypto_hash_sha256_BYTES] = {0};
    size_t got = 0;
    if (sodium_hex2bin(prev, sizeof prev, r->prev_hash, strlen(r->prev_hash), NULL, &got, NULL) !=
            0 ||
        got != sizeof prev)
        memset(prev, 0, sizeof prev);
    char seq[24], id[24];
    snprintf(seq, sizeof seq, "%" PRId64, r->seq);
    snprintf(id, sizeof id, "%" PRId64, r->entity_id);
    crypto_hash_sha256_state sha;
    crypto_hash_sha256_init(&sha);
    crypto_hash_sha256_update(&sha, prev, sizeof prev);
    hash_field(&sha, AUDIT_DOMAIN);
    hash_field(&sha, seq);
    hash_field(&sha, r->at);
    hash_field(&sha, r->actor);
    hash_field(&sha, r->operation);
    hash_field(&sha, r->entity_type);
    hash_field(&sha, id);
    hash_field(&sha, r->before_json);
    hash_field(&sha, r->after_json);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&sha, h);
    sodium_bin2hex(out, VOS_SHA256_HEX_SIZE, h, sizeof h);
}

/* ---- append --------------------------------------------------------------------------------- */

/* The seq and hash of the last record (0 and 64 zeros for an empty log). */
static int audit_last(vos_store *st, int64_t *seq, char hash[VOS_SHA256_HEX_SIZE])
{
    const vos_entity_def *def = vos_audit_def_get();
    vos_store_query q = {.limit = 1, .descending = true};
    void *rows = NULL;
    size_t n = 0;
    int rc = vos_store_rows(st, def, &q, NULL, &rows, &n);
    if (rc < 0) return rc;
    const vos_audit_row *last = rows;
    *seq = n ? last->seq : 0;
    snprintf(hash, VOS_SHA256_HEX_SIZE, "%s", n ? last->hash : ZERO_HASH);
    vos_rows_free(def, rows, n);
    return 0;
}

static int check_append_args(const char *actor, const char *operation, vos_entity entity,
                             int64_t entity_id, const char *before_json)
{
    const char *what = "audit record";
    if (!actor || !*actor) return vos_error_set(VOS_EINVALID, "audit record actor is required");
    int rc = vos_text_check(actor, VOS_TF_NAME, VOS_ACTOR_MAX, what, "actor");
    if (rc == 0 && (!operation || !*operation))
        rc = vos_error_set(VOS_EINVALID, "audit record operation is required");
    if (rc == 0) rc = vos_text_check(operation, VOS_TF_OPERATION, VOS_ID_MAX, what, "operation");
    if (rc == 0 && !vos_entity_def_get(entity))
        rc = vos_error_set(VOS_EINVALID, "audit record entity %d does not exist", (int)entity);
    if (rc == 0 && entity_id <= 0)
        rc = vos_error_set(VOS_EINVALID, "audit record entity_id must be an id");
    if (rc == 0 && before_json)
        rc = vos_text_check(before_json, VOS_TF_JSON_OBJECT, VOS_STORE_SNAPSHOT_MAX, what,
                            "before_json");
    return rc;
}

int vos_store_audit_append(vos_store *st, int64_t *seq, const char *actor, const char *operation,
                           vos_entity entity, int64_t entity_id, const char *before_json)
{
    int rc = vos_store_need_write(st, "append an audit record");
    if (rc == 0) rc = check_append_args(actor, operation, entity, entity_id, before_json);
    if (rc < 0) return rc;
    char *after = NULL;
    rc = vos_store_snapshot(st, &after, entity, entity_id);
    if (rc == VOS_ENOTFOUND) rc = 0; /* deleted: no after image */
    vos_audit_row r;
    memset(&r, 0, sizeof r);
    if (rc == 0) rc = audit_last(st, &r.seq, r.prev_hash);
    if (rc == 0) {
        r.seq++;
        vos_store_now(r.at);
        r.actor = (char *)actor;
        r.operation = (char *)operation;
        r.entity_type = (char *)vos_entity_name(entity);
        r.entity_id = entity_id;
        r.before_json = (char *)before_json;
        r.after_json = after;
        audit_hash(&r, r.hash);
        vos_fault fault = {.kind = VOS_FAULT_NONE};
        rc = st->be->insert(st->be, vos_audit_def_get(), &r, &fault);
        if (rc == VOS_ECONFLICT)
            rc = vos_error_set(VOS_ECONFLICT,
                               "audit record %" PRId64 " was written meanwhile: "
                               "writes must hold the transaction",
                               r.seq);
    }
    free(after);
    if (rc == 0 && seq) *seq = r.seq;
    return rc;
}

int vos_store_audit_list(vos_store *st, vos_audit_row **out, size_t *n, const vos_store_query *q)
{
    vos_store_query qq = {.limit = 0};
    if (q) qq = *q;
    if (qq.limit > VOS_STORE_PAGE_MAX) qq.limit = VOS_STORE_PAGE_MAX;
    void *rows = NULL;
    int rc = vos_store_rows(st, vos_audit_def_get(), &qq, NULL, &rows, n);
    *out = rows;
    return rc;
}

void vos_audit_rows_free(vos_audit_row *rows, size_t n)
{
    vos_rows_free(vos_audit_def_get(), rows, n);
}

/* ---- verify: the chain ---------------------------------------------------------------------- */

/* The last audit record of one entity, as far as the chain walk has seen. */
typedef struct latest {
    int entity;
    int64_t id, seq;
    bool has_after;
    unsigned char after[crypto_hash_sha256_BYTES]; /* SHA-256 of after_json */
} latest;

typedef struct latest_table {
    latest *v;
    size_t n, cap;
} latest_table;

static int latest_cmp(const void *a, const void *b)
{
    const latest *x = a, *y = b;
    if (x->entity != y->entity) return x->entity < y->entity ? -1 : 1;
    if (x->id != y->id) return x->id < y->id ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorts and keeps only the last record of each entity. */
static void latest_compact(latest_table *t)
{
    if (!t->n) return;
    qsort(t->v, t->n, sizeof *t->v, latest_cmp);
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (k && t->v[k - 1].entity == t->v[i].entity && t->v[k - 1].id == t->v[i].id) k--;
        t->v[k++] = t->v[i];
    }
    t->n = k;
}

static int latest_add(latest_table *t, const vos_audit_row *r)
{
    vos_entity e;
    if (vos_entity_parse(&e, r->entity_type) < 0)
        return 0; /* not an entity of this store: nothing to compare */
    if (vos_entity_def_get(e)->flags & VOS_EF_UNAUDITED) return 0;
    if (t->n == t->cap) {
        latest_compact(t);
        if (t->cap == 0 || t->n > t->cap / 2) {
            size_t cap = t->cap ? t->cap * 2 : LATEST_START;
            latest *v = realloc(t->v, cap * sizeof *v);
            if (!v) return vos_error_set(VOS_ENOMEM, "out of memory verifying the audit log");
            t->v = v;
            t->cap = cap;
        }
    }
    latest *l = &t->v[t->n++];
    l->entity = (int)e;
    l->id = r->entity_id;
    l->seq = r->seq;
    l->has_after = r->after_json != NULL;
    if (r->after_json)
        crypto_hash_sha256(l->after, (const unsigned char *)r->after_json, strlen(r->after_json));
    return 0;
}

static void report(vos_audit_report *rep, vos_audit_problem problem, int64_t seq, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));
static void report(vos_audit_report *rep, vos_audit_problem problem, int64_t seq, const char *fmt,
                   ...)
{
    va_list ap;
    va_start(ap, fmt);
    rep->problem = problem;
    rep->seq = seq;
    vsnprintf(rep->message, sizeof rep->message, fmt, ap);
    va_end(ap);
}

/* Checks one record against the one before it. */
static void check_record(const vos_audit_row *r, int64_t expected, const char *prev,
                         vos_audit_report *rep)
{
    char hash[VOS_SHA256_HEX_SIZE];
    if (r->seq != expected) {
        report(rep, VOS_AUDIT_GAP, expected,
               "audit record %" PRId64 " is missing: the log goes from %" PRId64 " to %" PRId64,
               expected, expected - 1, r->seq);
        return;
    }
    if (strcmp(r->prev_hash, prev) != 0) {
        report(rep, VOS_AUDIT_LINK, r->seq,
               "audit record %" PRId64 " does not follow record %" PRId64
               ": its prev_hash is not that record's hash",
               r->seq, r->seq - 1);
        return;
    }
    audit_hash(r, hash);
    if (strcmp(hash, r->hash) != 0)
        report(rep, VOS_AUDIT_HASH, r->seq,
               "audit record %" PRId64 " was altered: its hash does not match its content", r->seq);
}

/* Walks the whole log in seq order; fills rep->records, rep->head_hash, and the table. */
static int walk_chain(vos_store *st, vos_audit_report *rep, latest_table *t)
{
    const vos_entity_def *def = vos_audit_def_get();
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    char prev[VOS_SHA256_HEX_SIZE] = ZERO_HASH;
    for (;;) {
        void *rows = NULL;
        size_t n = 0;
        int rc = vos_store_rows(st, def, &q, NULL, &rows, &n);
        if (rc < 0) return rc;
        const vos_audit_row *r = rows;
        for (size_t i = 0; i < n && rep->problem == VOS_AUDIT_OK && rc == 0; i++) {
            check_record(&r[i], rep->records + 1, prev, rep);
            if (rep->problem != VOS_AUDIT_OK) break;
            rc = latest_add(t, &r[i]);
            snprintf(prev, sizeof prev, "%s", r[i].hash);
            rep->records++;
            q.after_id = r[i].seq;
        }
        vos_rows_free(def, rows, n);
        if (rc < 0 || rep->problem != VOS_AUDIT_OK || n < q.limit) break;
    }
    snprintf(rep->head_hash, sizeof rep->head_hash, "%s", rep->records ? prev : "");
    return 0;
}

/* ---- verify: the entities ------------------------------------------------------------------- */

/* Compares one row with its last audit record l (NULL when it has none). */
static int check_row(vos_store *st, const vos_entity_def *def, const void *row, int64_t id,
                     const latest *l, vos_audit_report *rep)
{
    const char *name = def->name;
    if (!l) {
        report(rep, VOS_AUDIT_STATE, 0,
               "%s %" PRId64 " has no audit record: it was written outside VOS", name, id);
    } else if (!l->has_after) {
        report(rep, VOS_AUDIT_STATE, l->seq,
               "%s %" PRId64 " exists although audit record %" PRId64 " deleted it", name, id,
               l->seq);
    } else {
        char *json = NULL;
        int rc = vos_store_row_snapshot(st, def, row, &json);
        if (rc < 0) return rc;
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, (const unsigned char *)json, strlen(json));
        free(json);
        if (memcmp(h, l->after, sizeof h) == 0) return 0;
        report(rep, VOS_AUDIT_STATE, l->seq,
               "%s %" PRId64 " differs from its last audit record %" PRId64
               ": it was changed outside VOS",
               name, id, l->seq);
    }
    rep->entity_type = name;
    rep->entity_id = id;
    return 0;
}

static void report_vanished(const vos_entity_def *def, const latest *l, vos_audit_report *rep)
{
    report(rep, VOS_AUDIT_STATE, l->seq,
           "%s %" PRId64 " was deleted outside VOS (its last audit record is %" PRId64 ")",
           def->name, l->id, l->seq);
    rep->entity_type = def->name;
    rep->entity_id = l->id;
}

/* Merges the rows of one entity (in id order) with its slice of the sorted table. */
static int check_entity(vos_store *st, const vos_entity_def *def, const latest *l, size_t nl,
                        vos_audit_report *rep)
{
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    size_t k = 0;
    for (;;) {
        void *rows = NULL;
        size_t n = 0;
        int rc = vos_store_rows(st, def, &q, NULL, &rows, &n);
        if (rc < 0) return rc;
        for (size_t i = 0; i < n && rc == 0 && rep->problem == VOS_AUDIT_OK; i++) {
            const void *row = (const char *)rows + i * def->size;
            int64_t id = *(const int64_t *)row; /* the id is the first field */
            while (k < nl && l[k].id < id && !l[k].has_after)
                k++; /* deleted through VOS, and gone */
            if (k < nl && l[k].id < id) {
                report_vanished(def, &l[k], rep);
                break;
            }
            rc = check_row(st, def, row, id, k < nl && l[k].id == id ? &l[k] : NULL, rep);
            if (k < nl && l[k].id == id) k++;
            q.after_id = id;
        }
        vos_rows_free(def, rows, n);
        if (rc < 0) return rc;
        if (rep->problem != VOS_AUDIT_OK || n < q.limit) break;
    }
    for (; k < nl && rep->problem == VOS_AUDIT_OK; k++)
        if (l[k].has_after) report_vanished(def, &l[k], rep);
    return 0;
}

static int check_entities(vos_store *st, latest_table *t, vos_audit_report *rep)
{
    latest_compact(t);
    size_t at = 0;
    for (int e = 0; e < VOS_ENTITY_COUNT && rep->problem == VOS_AUDIT_OK; e++) {
        const vos_entity_def *def = vos_entity_def_get((vos_entity)e);
        size_t end = at;
        while (end < t->n && t->v[end].entity == e)
            end++;
        if (!(def->flags & VOS_EF_UNAUDITED)) {
            int rc = check_entity(st, def, t->v + at, end - at, rep);
            if (rc < 0) return rc;
        }
        at = end;
    }
    return 0;
}

static int verify(vos_store *st, vos_audit_report *rep)
{
    char problem[VOS_ERROR_MSG_MAX];
    int rc = st->txn == STORE_TXN_WRITE ? vos_store_range_flush(st) : 0; /* the writes so far */
    if (rc == 0) rc = st->be->check(st->be, problem, sizeof problem);
    if (rc < 0) return rc;
    if (problem[0]) {
        report(rep, VOS_AUDIT_INTEGRITY, 0, "%s", problem);
        return 0;
    }
    latest_table t = {NULL, 0, 0};
    rc = walk_chain(st, rep, &t);
    if (rc == 0 && rep->problem == VOS_AUDIT_OK) rc = check_entities(st, &t, rep);
    free(t.v);
    return rc;
}

int vos_store_audit_verify(vos_store *st, vos_audit_report *rep)
{
    memset(rep, 0, sizeof *rep);
    int own = st->txn == STORE_TXN_NONE; /* read in one snapshot unless the caller has one */
    if (own) {
        int rc = st->be->begin(st->be, false);
        if (rc < 0) return rc;
        st->txn = STORE_TXN_READ;
    }
    int rc = verify(st, rep);
    if (own) {
        st->be->rollback(st->be);
        st->txn = STORE_TXN_NONE;
    }
    if (rc < 0) {
        rep->problem = VOS_AUDIT_INTEGRITY;
        snprintf(rep->message, sizeof rep->message, "%s", vos_error_last());
    }
    return rc;
}
