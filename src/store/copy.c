/* Copying a whole installation into an empty store (vos_store_copy), e.g. from SQLite to
 * PostgreSQL.  The source is read in one read transaction (one consistent snapshot while
 * other processes keep writing); the target is written in one write transaction, verified,
 * and committed only when it holds what the source holds.
 *
 * Rows are inserted exactly as read (ids, revisions, stamps) with the backend's insert_copy,
 * entity by entity so that a reference points at a row copied before it.  The order is that
 * of enum vos_entity with accounts before users (a customer user needs its account); the one
 * reference that then points forward, account.owner_user_id, and a case's parent_case_id
 * when it names a later case, are inserted as none and written by an update once every row
 * is in (the update writes the row as read, revision and stamps included). */
#include "store_int.h"

#include "vos/error.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY_AUDIT "audit"
#define COPY_OUTBOX "outbox"
#define COPY_CREDENTIALS "credentials"

/* The order in which entities are copied. */
static const vos_entity copy_order[VOS_ENTITY_COUNT] = {
    VOS_ENTITY_ORGANISATION, VOS_ENTITY_ACCOUNT,          VOS_ENTITY_USER,
    VOS_ENTITY_MODEL,        VOS_ENTITY_MODEL_VERSION,    VOS_ENTITY_BENCHMARK,
    VOS_ENTITY_CASE,         VOS_ENTITY_COMMITMENT,       VOS_ENTITY_COMMITMENT_KPI,
    VOS_ENTITY_INGESTION,    VOS_ENTITY_MEASUREMENT,      VOS_ENTITY_PROOF_POINT,
    VOS_ENTITY_ALERT,        VOS_ENTITY_API_TOKEN,        VOS_ENTITY_WEBHOOK,
    VOS_ENTITY_ASSESSMENT,   VOS_ENTITY_ASSESSMENT_ANSWER};

/* A row inserted with a forward reference left out, to be written in full at the end. */
typedef struct pending {
    vos_entity entity;
    int64_t id;
} pending;

typedef struct copy_run {
    vos_store *dst, *src;
    vos_store_copy_progress progress;
    void *ctx;
    int64_t totals[VOS_ENTITY_COUNT]; /* rows of each entity in the source */
    int64_t audit_total, outbox_total;
    char head[VOS_SHA256_HEX_SIZE]; /* hash of the source's last audit record, "" for none */
    pending *pend;
    size_t n_pend, cap_pend;
} copy_run;

static int64_t row_key(const vos_entity_def *def, const void *row)
{
    return *(const int64_t *)field_cptr(row, &def->fields[0]); /* id (the audit log: seq) */
}

static void report(copy_run *c, const char *what, int64_t done, int64_t total)
{
    if (c->progress) c->progress(c->ctx, what, done, total);
}

/* ---- counting ------------------------------------------------------------------------------- */

/* The number of rows of def in st, read page by page. */
static int count_rows(vos_store *st, const vos_entity_def *def, int64_t *out)
{
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    *out = 0;
    for (;;) {
        void *rows = NULL;
        size_t n = 0;
        int rc = vos_store_rows(st, def, &q, NULL, &rows, &n);
        if (rc < 0) return rc;
        if (n) q.after_id = row_key(def, (const char *)rows + (n - 1) * def->size);
        vos_rows_free(def, rows, n);
        *out += (int64_t)n;
        if (n < q.limit) return 0;
    }
}

static int count_outbox(vos_store *st, int64_t *out)
{
    int64_t after = 0;
    *out = 0;
    for (;;) {
        vos_outbox_row *rows = NULL;
        size_t n = 0;
        int rc = st->be->outbox_list(st->be, 0, after, VOS_STORE_PAGE_MAX, &rows, &n);
        if (rc < 0) return rc;
        if (n) after = rows[n - 1].id;
        vos_outbox_rows_free(rows, n);
        *out += (int64_t)n;
        if (n < VOS_STORE_PAGE_MAX) return 0;
    }
}

static int not_empty(int64_t n, const char *what)
{
    return vos_error_set(VOS_ECONFLICT,
                         "the target store is not empty: it holds %" PRId64
                         " %s%s (copy into a new, empty store)",
                         n, what, n == 1 ? "" : "s");
}

/* VOS_ECONFLICT naming what the target holds, unless it holds no rows. */
static int check_empty(vos_store *dst)
{
    char what[VOS_NAME_MAX];
    for (int e = 0; e <= VOS_ENTITY_COUNT; e++) {
        const vos_entity_def *def =
            e < VOS_ENTITY_COUNT ? vos_entity_def_get((vos_entity)e) : vos_audit_def_get();
        int64_t n = 0;
        int rc = count_rows(dst, def, &n);
        if (rc < 0) return rc;
        snprintf(what, sizeof what, "%s%s", def->name, e < VOS_ENTITY_COUNT ? " row" : "");
        if (n) return not_empty(n, what);
    }
    int64_t n = 0;
    int rc = count_outbox(dst, &n);
    if (rc == 0 && n) rc = not_empty(n, "outbox event");
    return rc;
}

/* ---- entities ------------------------------------------------------------------------------- */

static int position(vos_entity e)
{
    for (int i = 0; i < VOS_ENTITY_COUNT; i++)
        if (copy_order[i] == e) return i;
    return VOS_ENTITY_COUNT;
}

/* Whether reference field f of a row of def (at position pos) names a row not copied yet. */
static bool points_forward(const vos_entity_def *def, int pos, const vos_field_def *f,
                           const void *row)
{
    if (f->type != VOS_FT_REF) return false;
    int64_t ref = *(const int64_t *)field_cptr(row, f);
    if (ref == 0) return false;
    int target = position(f->ref);
    return target > pos || (target == pos && ref >= row_key(def, row));
}

static int add_pending(copy_run *c, vos_entity e, int64_t id)
{
    if (c->n_pend == c->cap_pend) {
        size_t cap = c->cap_pend ? 2 * c->cap_pend : 16;
        pending *p = realloc(c->pend, cap * sizeof *p);
        if (!p) return vos_error_set(VOS_ENOMEM, "out of memory copying the store");
        c->pend = p;
        c->cap_pend = cap;
    }
    c->pend[c->n_pend++] = (pending){e, id};
    return 0;
}

/* Inserts one row of the source into the target, forward references left out (as none) and
 * remembered. */
static int copy_row(copy_run *c, const vos_entity_def *def, int pos, const void *row)
{
    vos_any_row tmp;
    memcpy(&tmp, row, def->size);
    bool later = false;
    for (size_t i = 0; i < def->n_fields; i++) {
        const vos_field_def *f = &def->fields[i];
        if (!points_forward(def, pos, f, row)) continue;
        if (f->flags & VOS_FF_FIXED || !(f->flags & VOS_FF_OPTIONAL))
            return vos_error_set(VOS_ERROR,
                                 "cannot copy %s %" PRId64 ": its %s refers to a row "
                                 "copied after it",
                                 def->name, row_key(def, row), f->name);
        *(int64_t *)field_ptr(&tmp, f) = 0;
        later = true;
    }
    vos_fault fault = {.kind = VOS_FAULT_NONE};
    int rc = c->dst->be->insert_copy(c->dst->be, def, &tmp, &fault);
    if (rc == 0 && (int)def->entity == VOS_ENTITY_MEASUREMENT)
        rc = vos_store_range_note(c->dst, &tmp.measurement); /* recorded by the commit */
    if (rc == 0 && later) rc = add_pending(c, (vos_entity)def->entity, row_key(def, row));
    return rc;
}

/* Copies every row of one entity (or of the audit log: pos -1), page by page. */
static int copy_table(copy_run *c, const vos_entity_def *def, int pos, const char *what,
                      int64_t total)
{
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    int64_t done = 0;
    for (;;) {
        void *rows = NULL;
        size_t n = 0;
        int rc = vos_store_rows(c->src, def, &q, NULL, &rows, &n);
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = copy_row(c, def, pos, (const char *)rows + i * def->size);
        if (rc == 0 && n) q.after_id = row_key(def, (const char *)rows + (n - 1) * def->size);
        vos_rows_free(def, rows, n);
        if (rc < 0) return rc;
        done += (int64_t)n;
        report(c, what, done, total);
        if (n < q.limit) break;
    }
    if (done != total)
        return vos_error_set(VOS_ERROR, "%s: %" PRId64 " rows copied, the source holds %" PRId64,
                             what, done, total);
    return 0;
}

/* Writes the rows inserted with a forward reference left out in full. */
static int finish_pending(copy_run *c)
{
    for (size_t i = 0; i < c->n_pend; i++) {
        const vos_entity_def *def = vos_entity_def_get(c->pend[i].entity);
        vos_any_row row;
        memset(&row, 0, sizeof row);
        int rc = c->src->be->get(c->src->be, def, c->pend[i].id, &row);
        vos_fault fault = {.kind = VOS_FAULT_NONE};
        const vos_field_def *rev = vos_row_field_of_type(def, VOS_FT_REVISION);
        int64_t expected = rev ? *(const int64_t *)field_cptr(&row, rev) : 0;
        if (rc == 0) rc = c->dst->be->update(c->dst->be, def, &row, expected, &fault);
        vos_row_clear(def, &row);
        if (rc < 0) return rc;
    }
    return 0;
}

static int copy_entities(copy_run *c)
{
    for (int i = 0; i < VOS_ENTITY_COUNT; i++) {
        const vos_entity_def *def = vos_entity_def_get(copy_order[i]);
        int rc = copy_table(c, def, i, def->name, c->totals[copy_order[i]]);
        if (rc < 0) return rc;
    }
    int rc = finish_pending(c);
    if (rc == 0) rc = copy_table(c, vos_audit_def_get(), -1, COPY_AUDIT, c->audit_total);
    return rc;
}

/* ---- records that are not entities ---------------------------------------------------------- */

/* Copies the password hash of every user that has one (0 added to *copied otherwise). */
static int copy_passwords(copy_run *c, int64_t *copied)
{
    const vos_entity_def *def = vos_entity_def_get(VOS_ENTITY_USER);
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    for (;;) {
        void *page = NULL;
        size_t n = 0;
        int rc = vos_store_rows(c->src, def, &q, NULL, &page, &n);
        const vos_user_row *rows = page;
        for (size_t i = 0; i < n && rc == 0; i++) {
            char *hash = NULL;
            rc = c->src->be->password_get(c->src->be, rows[i].id, &hash);
            vos_fault fault = {.kind = VOS_FAULT_NONE};
            if (rc == 0) rc = c->dst->be->password_set(c->dst->be, rows[i].id, hash, &fault);
            if (rc == 0) ++*copied;
            if (rc == VOS_ENOTFOUND) rc = 0; /* no password */
            free(hash);
            q.after_id = rows[i].id;
        }
        vos_rows_free(def, page, n);
        if (rc < 0) return rc;
        if (n < q.limit) return 0;
    }
}

static int copy_secrets(copy_run *c, int64_t *copied)
{
    const vos_entity_def *def = vos_entity_def_get(VOS_ENTITY_WEBHOOK);
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    for (;;) {
        void *page = NULL;
        size_t n = 0;
        int rc = vos_store_rows(c->src, def, &q, NULL, &page, &n);
        const vos_webhook_row *rows = page;
        for (size_t i = 0; i < n && rc == 0; i++) {
            char *secret = NULL;
            rc = c->src->be->webhook_secret_get(c->src->be, rows[i].id, &secret);
            vos_fault fault = {.kind = VOS_FAULT_NONE};
            if (rc == 0)
                rc = c->dst->be->webhook_secret_set(c->dst->be, rows[i].id, secret, &fault);
            if (rc == 0) ++*copied;
            if (rc == VOS_ENOTFOUND) rc = 0; /* no secret */
            free(secret);
            q.after_id = rows[i].id;
        }
        vos_rows_free(def, page, n);
        if (rc < 0) return rc;
        if (n < q.limit) return 0;
    }
}

static int copy_outbox(copy_run *c)
{
    int64_t after = 0, done = 0;
    for (;;) {
        vos_outbox_row *rows = NULL;
        size_t n = 0;
        int rc = c->src->be->outbox_list(c->src->be, 0, after, VOS_STORE_PAGE_MAX, &rows, &n);
        for (size_t i = 0; i < n && rc == 0; i++) {
            vos_fault fault = {.kind = VOS_FAULT_NONE};
            rc = c->dst->be->outbox_copy(c->dst->be, &rows[i], &fault);
            after = rows[i].id;
        }
        vos_outbox_rows_free(rows, n);
        if (rc < 0) return rc;
        done += (int64_t)n;
        report(c, COPY_OUTBOX, done, c->outbox_total);
        if (n < VOS_STORE_PAGE_MAX) return 0;
    }
}

static int copy_records(copy_run *c)
{
    int64_t credentials = 0;
    int rc = copy_passwords(c, &credentials);
    if (rc == 0) rc = copy_secrets(c, &credentials);
    if (rc == 0) report(c, COPY_CREDENTIALS, credentials, credentials);
    if (rc == 0) rc = copy_outbox(c);
    return rc;
}

/* ---- verification --------------------------------------------------------------------------- */

/* The totals of the source, and its audit head. */
static int count_source(copy_run *c)
{
    for (int e = 0; e < VOS_ENTITY_COUNT; e++) {
        int rc = count_rows(c->src, vos_entity_def_get((vos_entity)e), &c->totals[e]);
        if (rc < 0) return rc;
    }
    const vos_entity_def *def = vos_audit_def_get();
    int rc = count_rows(c->src, def, &c->audit_total);
    if (rc == 0) rc = count_outbox(c->src, &c->outbox_total);
    vos_store_query q = {.limit = 1, .descending = true};
    void *rows = NULL;
    size_t n = 0;
    if (rc == 0) rc = vos_store_rows(c->src, def, &q, NULL, &rows, &n);
    if (rc == 0) snprintf(c->head, sizeof c->head, "%s", n ? ((vos_audit_row *)rows)->hash : "");
    vos_rows_free(def, rows, n);
    return rc;
}

static int mismatch(const char *what, int64_t dst, int64_t src)
{
    return vos_error_set(VOS_ERROR,
                         "the copy does not verify: the target holds %" PRId64 " %s rows, "
                         "the source %" PRId64,
                         dst, what, src);
}

/* The target holds as many rows as the source, the same audit head, and verifies. */
static int verify_copy(copy_run *c)
{
    for (int e = 0; e < VOS_ENTITY_COUNT; e++) {
        const vos_entity_def *def = vos_entity_def_get((vos_entity)e);
        int64_t n = 0;
        int rc = count_rows(c->dst, def, &n);
        if (rc < 0) return rc;
        if (n != c->totals[e]) return mismatch(def->name, n, c->totals[e]);
    }
    int64_t n = 0;
    int rc = count_outbox(c->dst, &n);
    if (rc < 0) return rc;
    if (n != c->outbox_total) return mismatch(COPY_OUTBOX, n, c->outbox_total);
    vos_audit_report rep;
    rc = vos_store_audit_verify(c->dst, &rep);
    if (rc < 0) return rc;
    if (rep.problem != VOS_AUDIT_OK)
        return vos_error_set(VOS_ERROR, "the copy does not verify: %s", rep.message);
    if (rep.records != c->audit_total) return mismatch(COPY_AUDIT, rep.records, c->audit_total);
    if (strcmp(rep.head_hash, c->head) != 0)
        return vos_error_set(VOS_ERROR,
                             "the copy does not verify: its audit head %s differs from the "
                             "source's %s",
                             *rep.head_hash ? rep.head_hash : "(none)",
                             *c->head ? c->head : "(none)");
    return 0;
}

/* ---- the copy ------------------------------------------------------------------------------- */

static int check_handles(vos_store *dst, vos_store *src)
{
    if (!dst || !src || dst == src)
        return vos_error_set(VOS_EINVALID, "a store is copied into another store handle");
    if (src->txn != STORE_TXN_NONE || dst->txn != STORE_TXN_NONE)
        return vos_error_set(VOS_ERROR, "cannot copy while a transaction is open on either store");
    if (!dst->be->insert_copy || !dst->be->outbox_copy)
        return vos_error_set(VOS_ERROR, "the target's store backend cannot take whole copies");
    return 0;
}

static int run_copy(copy_run *c)
{
    int rc = check_empty(c->dst);
    if (rc == 0) rc = count_source(c);
    if (rc == 0) rc = copy_entities(c);
    if (rc == 0) rc = copy_records(c);
    if (rc == 0) rc = verify_copy(c);
    return rc;
}

int vos_store_copy(vos_store *dst, vos_store *src, vos_store_copy_progress progress, void *ctx)
{
    int rc = check_handles(dst, src);
    if (rc < 0) return rc;
    rc = src->be->begin(src->be, false); /* one snapshot of the source */
    if (rc < 0) return rc;
    src->txn = STORE_TXN_READ;
    copy_run c = {.dst = dst, .src = src, .progress = progress, .ctx = ctx};
    rc = vos_store_begin(dst);
    if (rc == 0) rc = run_copy(&c);
    if (rc == 0) {
        rc = vos_store_commit(dst);
    } else if (dst->txn != STORE_TXN_NONE) {
        char msg[VOS_ERROR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", vos_error_last());
        vos_store_rollback(dst);
        vos_error_set(rc, "%s", msg);
    }
    src->be->rollback(src->be);
    src->txn = STORE_TXN_NONE;
    free(c.pend);
    return rc;
}
