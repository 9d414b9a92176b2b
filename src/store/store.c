/* The generic layer of the store: opening by URL, transactions, and the typed row
 * operations, which validate rows, set ids, revisions and stamps, and turn a backend's
 * constraint faults into messages that name the entity and field. */
#include "store_int.h"

#include "vos/error.h"

#include <inttypes.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MSG_PART 256 /* bytes of one part of a message (a value list) */

static const struct {
    const char *scheme;
    int (*open)(vos_store_backend **out, const char *location);
} backends[] = {
    {"sqlite", vos_store_sqlite_open},
    {"postgres", vos_store_postgres_open},
    {"postgresql", vos_store_postgres_open},
};

/* ---- opening -------------------------------------------------------------------------------- */

int vos_store_open(vos_store **out, const char *url)
{
    *out = NULL;
    if (!url || !*url)
        return vos_error_set(VOS_EINVALID, "the store URL is empty (expected e.g. sqlite:vos.db)");
    if (strlen(url) > VOS_STORE_URL_MAX)
        return vos_error_set(VOS_ETOOLARGE, "the store URL is longer than %d bytes",
                             VOS_STORE_URL_MAX);
    size_t scheme_len = strcspn(url, ":");
    if (!url[scheme_len])
        return vos_error_set(VOS_EINVALID,
                             "the store URL has no scheme (expected e.g. sqlite:vos.db)");
    int (*open)(vos_store_backend **, const char *) = NULL;
    for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++)
        if (strlen(backends[i].scheme) == scheme_len &&
            strncmp(backends[i].scheme, url, scheme_len) == 0)
            open = backends[i].open;
    if (!open)
        return vos_error_set(VOS_EINVALID, "unknown store scheme '%.*s' (known: sqlite, postgres, "
                                          "postgresql)",
                             (int)(scheme_len < VOS_NAME_MAX ? scheme_len : VOS_NAME_MAX), url);
    if (sodium_init() < 0) return vos_error_set(VOS_ERROR, "cannot initialise libsodium");
    vos_store *st = calloc(1, sizeof *st);
    if (!st) return vos_error_set(VOS_ENOMEM, "out of memory");
    int rc = open(&st->be, url + scheme_len + 1);
    if (rc == 0 && st->be->version != VOS_STORE_BACKEND_VERSION)
        rc = vos_error_set(VOS_ERROR, "store backend version %u is not supported", st->be->version);
    if (rc < 0) {
        vos_store_close(st);
        return rc;
    }
    *out = st;
    return 0;
}

void vos_store_close(vos_store *st)
{
    if (!st) return;
    if (st->be) {
        st->be->rollback(st->be);
        st->be->free(st->be);
    }
    vos_points_drop(st);
    free(st);
}

int vos_store_schema_version(vos_store *st)
{
    return st->be->schema_version(st->be);
}

void vos_store_now(char out[VOS_STAMP_SIZE])
{
    struct timespec ts;
    struct tm tm;
    char buf[64]; /* room for any int the fields could hold */
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             (int)(ts.tv_nsec / 1000000));
    memcpy(out, buf, VOS_STAMP_SIZE - 1);
    out[VOS_STAMP_SIZE - 1] = '\0';
}

/* ---- transactions --------------------------------------------------------------------------- */

int vos_store_begin(vos_store *st)
{
    if (st->txn != STORE_TXN_NONE)
        return vos_error_set(VOS_ECONFLICT, "a transaction is already open on this store");
    int rc = st->be->begin(st->be, true);
    if (rc == 0) st->txn = STORE_TXN_WRITE;
    st->puts = 0;
    st->range.ingestion_id = 0;
    vos_points_drop(st);
    return rc;
}

int vos_store_commit(vos_store *st)
{
    if (st->txn == STORE_TXN_NONE)
        return vos_error_set(VOS_ERROR, "no transaction is open on this store");
    int rc = st->txn == STORE_TXN_WRITE ? vos_store_range_flush(st) : 0;
    st->txn = STORE_TXN_NONE;
    st->range.ingestion_id = 0;
    vos_points_drop(st);
    if (!st->be->in_transaction(st->be))
        return vos_error_set(VOS_ERROR, "the transaction was rolled back after an earlier error: "
                                        "nothing of it was written");
    if (rc < 0) {
        char why[VOS_ERROR_MSG_MAX];
        snprintf(why, sizeof why, "%s", vos_error_last());
        st->be->rollback(st->be);
        return vos_error_set(rc, "%s; nothing of the transaction was written", why);
    }
    return st->be->commit(st->be);
}

int vos_store_rollback(vos_store *st)
{
    st->txn = STORE_TXN_NONE;
    st->range.ingestion_id = 0;
    vos_points_drop(st);
    return st->be->rollback(st->be);
}

/* ---- the id ranges of ingestions ------------------------------------------------------------ */

int vos_store_range_flush(vos_store *st)
{
    if (!st->range.ingestion_id) return 0;
    int64_t id = st->range.ingestion_id;
    st->range.ingestion_id = 0;
    return st->be->ingestion_range_put(st->be, id, st->range.first, st->range.last);
}

int vos_store_range_note(vos_store *st, const vos_measurement_row *r)
{
    if (st->range.ingestion_id && st->range.ingestion_id != r->ingestion_id) {
        int rc = vos_store_range_flush(st);
        if (rc < 0) return rc;
    }
    if (!st->range.ingestion_id) {
        st->range.ingestion_id = r->ingestion_id;
        st->range.first = st->range.last = r->id;
        return 0;
    }
    if (r->id < st->range.first) st->range.first = r->id;
    if (r->id > st->range.last) st->range.last = r->id;
    return 0;
}

/* Point r (validated and given its id) was just inserted: into its ingestion's digest and
 * id range, which every insert of a point keeps. */
static int point_inserted(vos_store *st, const vos_measurement_row *r)
{
    vos_points_add(st, r);
    return vos_store_range_note(st, r);
}

/* A query of measurements by ingestion: narrowed to the ingestion's id range when there is
 * room for two more filters (it still filters on ingestion_id).  *none when the ingestion
 * has no recorded range, so no point. */
static int narrow_to_range(vos_store *st, vos_store_query *q, bool *none)
{
    *none = false;
    const vos_store_filter *by = NULL;
    for (size_t i = 0; i < q->n_where && !by; i++)
        if (strcmp(q->where[i].field, "ingestion_id") == 0 && q->where[i].cmp == VOS_CMP_EQ)
            by = &q->where[i];
    if (!by) return 0;
    int rc = st->txn == STORE_TXN_WRITE ? vos_store_range_flush(st) : 0;
    int64_t first = 0, last = 0;
    if (rc == 0) rc = st->be->ingestion_range_get(st->be, by->i, &first, &last);
    if (rc == VOS_ENOTFOUND) {
        *none = true;
        return 0;
    }
    if (rc < 0 || q->n_where + 2 > VOS_STORE_FILTERS_MAX) return rc;
    q->where[q->n_where++] = (vos_store_filter){.field = "id", .cmp = VOS_CMP_GE, .i = first};
    if (last < INT64_MAX)
        q->where[q->n_where++] =
            (vos_store_filter){.field = "id", .cmp = VOS_CMP_LT, .i = last + 1};
    return 0;
}

int vos_store_need_write(vos_store *st, const char *what)
{
    if (st->txn != STORE_TXN_WRITE)
        return vos_error_set(VOS_ERROR, "cannot %s outside a transaction", what);
    if (!st->be->in_transaction(st->be))
        return vos_error_set(
            VOS_ERROR, "cannot %s: the transaction was rolled back after an earlier error", what);
    return 0;
}

/* ---- messages for constraint faults --------------------------------------------------------- */

/* Appends a field's value of a row, as a message shows it. */
static void describe_value(char *buf, size_t size, const vos_field_def *f, const void *row)
{
    const void *p = field_cptr(row, f);
    size_t len = strlen(buf);
    switch (f->type) {
    case VOS_FT_TEXT: {
        const char *s = *(char *const *)p;
        if (s)
            snprintf(buf + len, size - len, "'%.60s'", s);
        else
            snprintf(buf + len, size - len, "none");
        break;
    }
    case VOS_FT_ENUM:
        snprintf(buf + len, size - len, "'%s'", vos_row_enum_name(f, *(const int *)p));
        break;
    case VOS_FT_REAL:
        snprintf(buf + len, size - len, "%.17g", *(const double *)p);
        break;
    case VOS_FT_REF:
        if (*(const int64_t *)p == 0) {
            snprintf(buf + len, size - len, "none");
            break;
        }
        /* fallthrough */
    default:
        snprintf(buf + len, size - len, "%" PRId64, *(const int64_t *)p);
        break;
    }
}

/* "account name 'Acme' already exists", "case with account_id 1 and name 'Q3' ...". */
static int unique_message(const vos_entity_def *def, const vos_unique_def *u, const void *row)
{
    int n = 0;
    while (n < (int)(sizeof u->fields / sizeof u->fields[0]) && u->fields[n])
        n++;
    const char *taken = u->taken ? u->taken : "already exists";
    char vals[MSG_PART] = "";
    if (n == 1) {
        describe_value(vals, sizeof vals, vos_row_field(def, u->fields[0]), row);
        return vos_error_set(VOS_ECONFLICT, "%s %s %s %s", def->name, u->fields[0], vals, taken);
    }
    for (int i = 0; i < n; i++) {
        size_t len = strlen(vals);
        snprintf(vals + len, sizeof vals - len, "%s%s ",
                 i == 0       ? ""
                 : i == n - 1 ? " and "
                              : ", ",
                 u->fields[i]);
        describe_value(vals, sizeof vals, vos_row_field(def, u->fields[i]), row);
    }
    return vos_error_set(VOS_ECONFLICT, "%s with %s %s", def->name, vals, taken);
}

static int check_message(const vos_entity_def *def, const char *name, int64_t id)
{
    const vos_constraint_msg *m = vos_constraint_find(name);
    if (m && m->with_id)
        return vos_error_set(m->code, "%s %" PRId64 " %s", def->name, id, m->message);
    if (m) return vos_error_set(m->code, "%s", m->message);
    const char *dot = strchr(name, '.');
    if (dot && vos_row_field(def, dot + 1))
        return vos_error_set(VOS_EINVALID, "%s %s is not valid", def->name, dot + 1);
    return vos_error_set(VOS_EINVALID, "%s breaks the rule '%s'", def->name, name);
}

/* After a foreign key fault on insert or update: names the reference that points nowhere. */
static int dangling_message(vos_store *st, const vos_entity_def *def, const void *row)
{
    for (size_t i = 0; i < def->n_fields; i++) {
        const vos_field_def *f = &def->fields[i];
        int64_t ref = f->type == VOS_FT_REF ? *(const int64_t *)field_cptr(row, f) : 0;
        if (!ref) continue;
        const vos_entity_def *target = vos_entity_def_get(f->ref);
        vos_any_row tmp;
        memset(&tmp, 0, sizeof tmp);
        int rc = st->be->get(st->be, target, ref, &tmp);
        vos_row_clear(target, &tmp);
        if (rc == VOS_ENOTFOUND)
            return vos_error_set(VOS_EINVALID, "%s %s %" PRId64 " does not exist (no such %s)",
                                 def->name, f->name, ref, target->name);
        if (rc < 0) return rc;
    }
    return vos_error_set(VOS_EINVALID, "%s refers to a row that does not exist", def->name);
}

/* After a foreign key fault on delete: names a row that still refers to the deleted one. */
static int referrer_message(vos_store *st, const vos_entity_def *def, int64_t id)
{
    for (int e = 0; e < VOS_ENTITY_COUNT; e++) {
        const vos_entity_def *other = vos_entity_def_get((vos_entity)e);
        for (size_t i = 0; i < other->n_fields; i++) {
            const vos_field_def *f = &other->fields[i];
            if (f->type != VOS_FT_REF || (int)f->ref != def->entity) continue;
            vos_store_query q = {.limit = 1, .n_where = 1};
            q.where[0] = (vos_store_filter){.field = f->name, .i = id};
            void *rows = NULL;
            size_t n = 0;
            int rc = st->be->list(st->be, other, &q, NULL, &rows, &n);
            if (rc < 0) return rc;
            int64_t rid = n ? *(int64_t *)rows : 0;
            vos_rows_free(other, rows, n);
            if (n)
                return vos_error_set(VOS_ECONFLICT,
                                     "%s %" PRId64 " is still referred to by %s %" PRId64 " (%s)",
                                     def->name, id, other->name, rid, f->name);
        }
    }
    return vos_error_set(VOS_ECONFLICT, "%s %" PRId64 " is still referred to", def->name, id);
}

/* Rewrites the message of a write that broke a constraint. */
static int explain(vos_store *st, const vos_entity_def *def, const void *row, int64_t id,
                   const vos_fault *fault, int deleting)
{
    switch (fault->kind) {
    case VOS_FAULT_UNIQUE:
        if (fault->index >= 0) return unique_message(def, &def->uniques[fault->index], row);
        return vos_error_set(VOS_ECONFLICT, "%s %" PRId64 " already exists", def->name, id);
    case VOS_FAULT_CHECK:
        return check_message(def, fault->name, id);
    case VOS_FAULT_FOREIGN_KEY:
        return deleting ? referrer_message(st, def, id) : dangling_message(st, def, row);
    case VOS_FAULT_NOT_NULL:
        return vos_error_set(VOS_EINVALID, "%s %s is required", def->name, fault->name);
    default:
        return VOS_ECONFLICT;
    }
}

/* ---- generic row operations ----------------------------------------------------------------- */

static int64_t row_id(const vos_entity_def *def, const void *row)
{
    return *(const int64_t *)field_cptr(row, &def->fields[0]);
}

static void set_stamps(const vos_entity_def *def, void *row, int creating)
{
    char now[VOS_STAMP_SIZE];
    if (!vos_row_field_of_type(def, VOS_FT_CREATED) && !vos_row_field_of_type(def, VOS_FT_UPDATED))
        return; /* a measurement has none: spare the clock on the bulk path */
    vos_store_now(now);
    for (size_t i = 0; i < def->n_fields; i++) {
        const vos_field_def *f = &def->fields[i];
        if (f->type == VOS_FT_UPDATED || (creating && f->type == VOS_FT_CREATED))
            memcpy(field_ptr(row, f), now, VOS_STAMP_SIZE);
    }
}

/* Copies the fields the store sets (id, revision, stamps, digests) from `from` to `to`. */
static void copy_outputs(const vos_entity_def *def, const void *from, void *to)
{
    for (size_t i = 0; i < def->n_fields; i++) {
        const vos_field_def *f = &def->fields[i];
        size_t size = 0;
        switch (f->type) {
        case VOS_FT_ID:
        case VOS_FT_REVISION:
            size = sizeof(int64_t);
            break;
        case VOS_FT_CREATED:
        case VOS_FT_UPDATED:
            size = VOS_STAMP_SIZE;
            break;
        case VOS_FT_DIGEST:
            size = VOS_SHA256_HEX_SIZE;
            break;
        default:
            break;
        }
        if (size) memcpy(field_ptr(to, f), field_cptr(from, f), size);
    }
}

static int row_create(vos_store *st, vos_entity e, void *row, vos_fault *fault_out)
{
    const vos_entity_def *def = vos_entity_def_get(e);
    char what[VOS_NAME_MAX];
    snprintf(what, sizeof what, "create %s", def->name);
    int rc = vos_store_need_write(st, what);
    if (rc < 0) return rc;
    vos_any_row copy;
    vos_row_normalise(def, row, &copy);
    rc = vos_row_validate(def, &copy);
    if (rc < 0) return rc;
    if (def->flags & VOS_EF_SINGLETON) *(int64_t *)field_ptr(&copy, &def->fields[0]) = 1;
    const vos_field_def *rev = vos_row_field_of_type(def, VOS_FT_REVISION);
    if (rev) *(int64_t *)field_ptr(&copy, rev) = 1;
    set_stamps(def, &copy, 1);
    vos_row_derive(def, &copy);
    vos_fault fault = {.kind = VOS_FAULT_NONE};
    rc = st->be->insert(st->be, def, &copy, &fault);
    if (fault_out) *fault_out = fault;
    if (rc == VOS_ECONFLICT && fault.kind != VOS_FAULT_NONE)
        return explain(st, def, &copy, row_id(def, &copy), &fault, 0);
    if (rc == 0) copy_outputs(def, &copy, row);
    if (rc == 0 && e == VOS_ENTITY_INGESTION) vos_points_start(st, row_id(def, &copy));
    if (rc == 0 && e == VOS_ENTITY_MEASUREMENT) rc = point_inserted(st, &copy.measurement);
    return rc;
}

/* After an update or delete matched no row: was it missing, or at another revision? */
static int stale_or_missing(vos_store *st, const vos_entity_def *def, int64_t id, int64_t expected)
{
    vos_any_row now;
    memset(&now, 0, sizeof now);
    int rc = st->be->get(st->be, def, id, &now);
    if (rc < 0) return rc;
    const vos_field_def *rev = vos_row_field_of_type(def, VOS_FT_REVISION);
    int64_t current = rev ? *(int64_t *)field_ptr(&now, rev) : 0;
    vos_row_clear(def, &now);
    return vos_error_set(VOS_ESTALE,
                         "%s %" PRId64 " was changed by someone else (revision %" PRId64
                         ", not %" PRId64 "): read it again",
                         def->name, id, current, expected);
}

static int row_update(vos_store *st, vos_entity e, void *row)
{
    const vos_entity_def *def = vos_entity_def_get(e);
    char what[VOS_NAME_MAX];
    snprintf(what, sizeof what, "update %s", def->name);
    int rc = vos_store_need_write(st, what);
    const vos_field_def *rev = vos_row_field_of_type(def, VOS_FT_REVISION);
    if (rc == 0 && (!rev || (def->flags & VOS_EF_NO_UPDATE)))
        rc = vos_error_set(VOS_EINVALID, "a %s is never updated", def->name);
    if (rc < 0) return rc;
    vos_any_row copy;
    vos_row_normalise(def, row, &copy);
    rc = vos_row_validate(def, &copy);
    if (rc < 0) return rc;
    int64_t expected = *(int64_t *)field_ptr(&copy, rev);
    *(int64_t *)field_ptr(&copy, rev) = expected + 1;
    set_stamps(def, &copy, 0);
    vos_row_derive(def, &copy);
    vos_fault fault = {.kind = VOS_FAULT_NONE};
    int64_t id = row_id(def, &copy);
    rc = st->be->update(st->be, def, &copy, expected, &fault);
    if (rc == VOS_ENOTFOUND) return stale_or_missing(st, def, id, expected);
    if (rc == VOS_ECONFLICT && fault.kind != VOS_FAULT_NONE)
        return explain(st, def, &copy, id, &fault, 0);
    if (rc == 0) copy_outputs(def, &copy, row);
    return rc;
}

static int row_delete(vos_store *st, vos_entity e, int64_t id, int64_t revision)
{
    const vos_entity_def *def = vos_entity_def_get(e);
    char what[VOS_NAME_MAX];
    snprintf(what, sizeof what, "delete %s", def->name);
    int rc = vos_store_need_write(st, what);
    if (rc == 0 && (def->flags & VOS_EF_NO_DELETE))
        rc = vos_error_set(VOS_EINVALID, "a %s is never deleted", def->name);
    if (rc < 0) return rc;
    vos_fault fault = {.kind = VOS_FAULT_NONE};
    rc = st->be->remove(st->be, def, id, revision, &fault);
    if (rc == VOS_ENOTFOUND) return stale_or_missing(st, def, id, revision);
    if (rc == VOS_ECONFLICT && fault.kind != VOS_FAULT_NONE)
        return explain(st, def, NULL, id, &fault, 1);
    return rc;
}

static int row_get(vos_store *st, vos_entity e, void **out, int64_t id)
{
    const vos_entity_def *def = vos_entity_def_get(e);
    *out = NULL;
    void *row = calloc(1, def->size);
    if (!row) return vos_error_set(VOS_ENOMEM, "out of memory");
    int rc = st->be->get(st->be, def, id, row);
    if (rc < 0) {
        free(row);
        return rc;
    }
    *out = row;
    return 0;
}

static int check_filter(const vos_entity_def *def, const vos_store_filter *w)
{
    const vos_field_def *f = vos_row_field(def, w->field);
    if (!f)
        return vos_error_set(VOS_EINVALID, "%s has no field '%.60s' to filter on", def->name,
                             w->field ? w->field : "(null)");
    if (w->cmp != VOS_CMP_EQ && w->cmp != VOS_CMP_GE && w->cmp != VOS_CMP_LT)
        return vos_error_set(VOS_EINVALID, "filter on %s %s has an unknown comparison", def->name,
                             f->name);
    if (f->type == VOS_FT_ENUM && !vos_row_enum_name(f, (int)w->i))
        return vos_error_set(VOS_EINVALID, "%s %s %" PRId64 " is not a valid value", def->name,
                             f->name, w->i);
    if (w->cmp != VOS_CMP_EQ && f->type == VOS_FT_TEXT && !w->s)
        return vos_error_set(VOS_EINVALID, "filter on %s %s compares with none", def->name,
                             f->name);
    return 0;
}

int vos_store_rows(vos_store *st, const vos_entity_def *def, const vos_store_query *q,
                   const char *order_by, void **rows, size_t *n)
{
    vos_store_query qq = {.limit = 0};
    if (q) qq = *q;
    *rows = NULL;
    *n = 0;
    if (qq.limit == 0) qq.limit = VOS_STORE_PAGE_DEFAULT;
    if (qq.n_where > VOS_STORE_FILTERS_MAX)
        return vos_error_set(VOS_ETOOLARGE, "a query has more than %d filters",
                             VOS_STORE_FILTERS_MAX);
    if (qq.after_id < 0)
        return vos_error_set(VOS_EINVALID, "the cursor (after_id) must not be negative");
    for (size_t i = 0; i < qq.n_where; i++) {
        int rc = check_filter(def, &qq.where[i]);
        if (rc < 0) return rc;
    }
    if (def->entity == VOS_ENTITY_MEASUREMENT) {
        bool none = false;
        int rc = narrow_to_range(st, &qq, &none);
        if (rc < 0 || none) return rc;
    }
    return st->be->list(st->be, def, &qq, order_by, rows, n);
}

static int row_list(vos_store *st, vos_entity e, void **out, size_t *n, const vos_store_query *q)
{
    vos_store_query qq = {.limit = 0};
    if (q) qq = *q;
    if (qq.limit > VOS_STORE_PAGE_MAX) qq.limit = VOS_STORE_PAGE_MAX;
    return vos_store_rows(st, vos_entity_def_get(e), &qq, NULL, out, n);
}

/* The first row whose fields equal the given values, or VOS_ENOTFOUND. */
static int row_find(vos_store *st, vos_entity e, void **out, const vos_store_filter *where,
                    size_t n_where)
{
    const vos_entity_def *def = vos_entity_def_get(e);
    vos_store_query q = {.limit = 1, .n_where = n_where};
    memcpy(q.where, where, n_where * sizeof *where);
    size_t n = 0;
    *out = NULL;
    int rc = vos_store_rows(st, def, &q, NULL, out, &n);
    if (rc == 0 && n == 0) {
        char vals[MSG_PART] = "";
        for (size_t i = 0; i < n_where; i++) {
            size_t len = strlen(vals);
            if (where[i].s)
                snprintf(vals + len, sizeof vals - len, "%s%s '%.60s'", i ? " and " : "",
                         where[i].field, where[i].s);
            else
                snprintf(vals + len, sizeof vals - len, "%s%s %" PRId64, i ? " and " : "",
                         where[i].field, where[i].i);
        }
        return vos_error_set(VOS_ENOTFOUND, "no %s with %s", def->name, vals);
    }
    return rc;
}

/* ---- typed wrappers ------------------------------------------------------------------------- */

#define ROW_READ_FUNCS(E, ENT)                                                                     \
    int vos_store_##E##_create(vos_store *st, vos_##E##_row *row)                                  \
    {                                                                                              \
        return row_create(st, ENT, row, NULL);                                                     \
    }                                                                                              \
    int vos_store_##E##_get(vos_store *st, vos_##E##_row **out, int64_t id)                        \
    {                                                                                              \
        void *row = NULL;                                                                          \
        int rc = row_get(st, ENT, &row, id);                                                       \
        *out = row;                                                                                \
        return rc;                                                                                 \
    }                                                                                              \
    int vos_store_##E##_list(vos_store *st, vos_##E##_row **out, size_t *n,                        \
                             const vos_store_query *q)                                             \
    {                                                                                              \
        void *rows = NULL;                                                                         \
        int rc = row_list(st, ENT, &rows, n, q);                                                   \
        *out = rows;                                                                               \
        return rc;                                                                                 \
    }                                                                                              \
    void vos_##E##_row_free(vos_##E##_row *row)                                                    \
    {                                                                                              \
        vos_rows_free(vos_entity_def_get(ENT), row, 1);                                            \
    }                                                                                              \
    void vos_##E##_rows_free(vos_##E##_row *rows, size_t n)                                        \
    {                                                                                              \
        vos_rows_free(vos_entity_def_get(ENT), rows, n);                                           \
    }
#define ROW_UPDATE_FUNCS(E, ENT)                                                                   \
    ROW_READ_FUNCS(E, ENT)                                                                         \
    int vos_store_##E##_update(vos_store *st, vos_##E##_row *row)                                  \
    {                                                                                              \
        return row_update(st, ENT, row);                                                           \
    }
#define ROW_FUNCS(E, ENT)                                                                          \
    ROW_UPDATE_FUNCS(E, ENT)                                                                       \
    int vos_store_##E##_delete(vos_store *st, int64_t id, int64_t revision)                        \
    {                                                                                              \
        return row_delete(st, ENT, id, revision);                                                  \
    }

ROW_UPDATE_FUNCS(organisation, VOS_ENTITY_ORGANISATION)
ROW_FUNCS(user, VOS_ENTITY_USER)
ROW_FUNCS(account, VOS_ENTITY_ACCOUNT)
ROW_FUNCS(model, VOS_ENTITY_MODEL)
ROW_FUNCS(model_version, VOS_ENTITY_MODEL_VERSION)
ROW_FUNCS(benchmark, VOS_ENTITY_BENCHMARK)
ROW_FUNCS(case, VOS_ENTITY_CASE)
ROW_READ_FUNCS(commitment, VOS_ENTITY_COMMITMENT)
ROW_FUNCS(commitment_kpi, VOS_ENTITY_COMMITMENT_KPI)
ROW_READ_FUNCS(ingestion, VOS_ENTITY_INGESTION)
ROW_READ_FUNCS(measurement, VOS_ENTITY_MEASUREMENT)
ROW_FUNCS(proof_point, VOS_ENTITY_PROOF_POINT)
ROW_FUNCS(alert, VOS_ENTITY_ALERT)
ROW_UPDATE_FUNCS(api_token, VOS_ENTITY_API_TOKEN)
ROW_FUNCS(webhook, VOS_ENTITY_WEBHOOK)
ROW_READ_FUNCS(assessment, VOS_ENTITY_ASSESSMENT)
ROW_READ_FUNCS(assessment_answer, VOS_ENTITY_ASSESSMENT_ANSWER)

/* ---- lookups -------------------------------------------------------------------------------- */

int vos_store_user_by_email(vos_store *st, vos_user_row **out, const char *email)
{
    vos_store_filter w = {.field = "email", .s = email ? email : ""};
    void *row = NULL;
    int rc = row_find(st, VOS_ENTITY_USER, &row, &w, 1);
    *out = row;
    return rc;
}

int vos_store_account_by_name(vos_store *st, vos_account_row **out, const char *name)
{
    vos_store_filter w = {.field = "name", .s = name ? name : ""};
    void *row = NULL;
    int rc = row_find(st, VOS_ENTITY_ACCOUNT, &row, &w, 1);
    *out = row;
    return rc;
}

int vos_store_model_by_key(vos_store *st, vos_model_row **out, const char *key)
{
    vos_store_filter w = {.field = "key", .s = key ? key : ""};
    void *row = NULL;
    int rc = row_find(st, VOS_ENTITY_MODEL, &row, &w, 1);
    *out = row;
    return rc;
}

int vos_store_api_token_by_secret(vos_store *st, vos_api_token_row **out,
                                  const char secret_sha256[VOS_SHA256_HEX_SIZE])
{
    *out = NULL;
    if (!secret_sha256 || !vos_is_sha256_hex(secret_sha256))
        return vos_error_set(VOS_EINVALID, "an API token secret_sha256 must be 64 lower-case hex "
                                           "digits");
    vos_store_filter w = {.field = "secret_sha256", .s = secret_sha256};
    void *row = NULL;
    int rc = row_find(st, VOS_ENTITY_API_TOKEN, &row, &w, 1);
    if (rc == VOS_ENOTFOUND) /* the message does not repeat the digest */
        return vos_error_set(VOS_ENOTFOUND, "no API token has that secret");
    *out = row;
    return rc;
}

int vos_store_model_version_find(vos_store *st, vos_model_version_row **out, int64_t model_id,
                                 const char *version)
{
    vos_store_filter w[2] = {{.field = "model_id", .i = model_id},
                             {.field = "version", .s = version ? version : ""}};
    void *row = NULL;
    int rc = row_find(st, VOS_ENTITY_MODEL_VERSION, &row, w, 2);
    *out = row;
    return rc;
}

/* ---- measurements --------------------------------------------------------------------------- */

/* The backend's own idempotent insert (measurement_put): validated here as row_create does,
 * and hashed into the ingestion's points when inserted.  After VOS_STORE_BULK_PUTS puts in
 * one transaction the backend is told that a bulk load is under way. */
static int measurement_put_fast(vos_store *st, vos_measurement_row *row, vos_put_outcome *outcome,
                                double *existing)
{
    const vos_entity_def *def = vos_entity_def_get(VOS_ENTITY_MEASUREMENT);
    int rc = vos_store_need_write(st, "create measurement");
    if (rc < 0) return rc;
    vos_any_row copy;
    vos_row_normalise(def, row, &copy);
    rc = vos_row_validate(def, &copy);
    if (rc < 0) return rc;
    vos_fault fault = {.kind = VOS_FAULT_NONE};
    bool bulk = ++st->puts > VOS_STORE_BULK_PUTS;
    rc = st->be->measurement_put(st->be, &copy.measurement, bulk, outcome, existing, &fault);
    if (rc == VOS_ECONFLICT && fault.kind != VOS_FAULT_NONE)
        return explain(st, def, &copy, 0, &fault, 0);
    if (rc < 0 || *outcome != VOS_PUT_INSERTED) return rc;
    row->id = copy.measurement.id;
    return point_inserted(st, &copy.measurement);
}

int vos_store_measurement_put(vos_store *st, vos_measurement_row *row, vos_put_outcome *outcome,
                              double *existing)
{
    if (st->be->measurement_put) return measurement_put_fast(st, row, outcome, existing);
    vos_fault fault = {.kind = VOS_FAULT_NONE};
    int rc = row_create(st, VOS_ENTITY_MEASUREMENT, row, &fault);
    if (rc == 0) {
        *outcome = VOS_PUT_INSERTED;
        return 0;
    }
    if (rc != VOS_ECONFLICT || fault.kind != VOS_FAULT_UNIQUE) return rc;
    vos_store_filter w[4] = {{.field = "account_id", .i = row->account_id},
                             {.field = "kpi_key", .s = row->kpi_key},
                             {.field = "at", .s = row->at},
                             {.field = "source", .s = row->source}};
    void *found = NULL;
    rc = row_find(st, VOS_ENTITY_MEASUREMENT, &found, w, 4);
    if (rc < 0) return rc;
    double stored = ((vos_measurement_row *)found)->value;
    vos_measurement_row_free(found);
    *outcome = stored == row->value ? VOS_PUT_DUPLICATE : VOS_PUT_CONFLICT;
    if (existing) *existing = stored;
    return 0;
}

/* The rows one by one, through vos_store_measurement_put. */
static int measurements_put_each(vos_store *st, vos_measurement_row *rows, size_t n,
                                 vos_put_outcome *outcomes, double *existing, size_t *failed)
{
    for (size_t i = 0; i < n; i++) {
        int rc = vos_store_measurement_put(st, &rows[i], &outcomes[i],
                                           existing ? &existing[i] : NULL);
        if (rc < 0) {
            *failed = i;
            return rc;
        }
    }
    return 0;
}

/* Validates every row into copies[0..n) (normalised, ids cleared).  OUT: *failed. */
static int measurements_validate(const vos_measurement_row *rows, size_t n,
                                 vos_measurement_row *copies, size_t *failed)
{
    const vos_entity_def *def = vos_entity_def_get(VOS_ENTITY_MEASUREMENT);
    for (size_t i = 0; i < n; i++) {
        vos_any_row copy;
        vos_row_normalise(def, &rows[i], &copy);
        int rc = vos_row_validate(def, &copy);
        if (rc < 0) {
            *failed = i;
            return rc;
        }
        copies[i] = copy.measurement;
        copies[i].id = 0;
    }
    return 0;
}

int vos_store_measurements_put(vos_store *st, vos_measurement_row *rows, size_t n,
                               vos_put_outcome *outcomes, double *existing, size_t *failed)
{
    size_t ignored = SIZE_MAX;
    if (!failed) failed = &ignored;
    *failed = SIZE_MAX;
    int rc = vos_store_need_write(st, "create measurement");
    if (rc < 0 || n == 0) return rc;
    if (!st->be->measurements_put)
        return measurements_put_each(st, rows, n, outcomes, existing, failed);
    vos_measurement_row *copies = malloc(n * sizeof *copies);
    if (!copies) return vos_error_set(VOS_ENOMEM, "out of memory");
    rc = measurements_validate(rows, n, copies, failed);
    vos_fault fault = {.kind = VOS_FAULT_NONE};
    if (rc == 0) {
        st->puts += n;
        rc = st->be->measurements_put(st->be, copies, n, outcomes, existing, failed, &fault);
    }
    if (rc == VOS_ECONFLICT && fault.kind != VOS_FAULT_NONE && *failed < n)
        rc = explain(st, vos_entity_def_get(VOS_ENTITY_MEASUREMENT), &copies[*failed], 0,
                     &fault, 0);
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (outcomes[i] != VOS_PUT_INSERTED) continue;
        rows[i].id = copies[i].id;
        rc = point_inserted(st, &copies[i]);
    }
    free(copies);
    return rc;
}

/* The error of a series longer than VOS_STORE_SERIES_MAX. */
static int series_too_large(int64_t account_id, const char *kpi_key)
{
    return vos_error_set(VOS_ETOOLARGE,
                         "more than %d measurements of account %" PRId64
                         " KPI '%.60s': narrow the time range",
                         VOS_STORE_SERIES_MAX, account_id, kpi_key ? kpi_key : "");
}

int vos_store_measurement_series(vos_store *st, vos_measurement_row **out, size_t *n,
                                 int64_t account_id, const char *kpi_key, const char *from,
                                 const char *to)
{
    vos_store_query q = {.limit = VOS_STORE_SERIES_MAX + 1};
    q.where[q.n_where++] = (vos_store_filter){.field = "account_id", .i = account_id};
    q.where[q.n_where++] = (vos_store_filter){.field = "kpi_key", .s = kpi_key ? kpi_key : ""};
    if (from)
        q.where[q.n_where++] = (vos_store_filter){.field = "at", .cmp = VOS_CMP_GE, .s = from};
    if (to) q.where[q.n_where++] = (vos_store_filter){.field = "at", .cmp = VOS_CMP_LT, .s = to};
    void *rows = NULL;
    *out = NULL;
    *n = 0;
    const vos_entity_def *def = vos_entity_def_get(VOS_ENTITY_MEASUREMENT);
    int rc = vos_store_rows(st, def, &q, "at", &rows, n);
    if (rc < 0) return rc;
    if (*n > VOS_STORE_SERIES_MAX) {
        vos_rows_free(def, rows, *n);
        *n = 0;
        return series_too_large(account_id, kpi_key);
    }
    *out = rows;
    return 0;
}

/* The points of vos_store_measurement_series's rows, for a backend without its own read. */
static int points_of_series(vos_store *st, vos_measurement_point **out, size_t *n,
                            int64_t account_id, const char *kpi_key, const char *from,
                            const char *to)
{
    vos_measurement_row *rows = NULL;
    size_t got = 0;
    int rc = vos_store_measurement_series(st, &rows, &got, account_id, kpi_key, from, to);
    if (rc < 0 || got == 0) return rc;
    vos_measurement_point *pts = malloc(got * sizeof *pts);
    if (!pts) {
        vos_measurement_rows_free(rows, got);
        return vos_error_set(VOS_ENOMEM, "out of memory reading a series");
    }
    for (size_t i = 0; i < got; i++) {
        snprintf(pts[i].at, sizeof pts[i].at, "%s", rows[i].at ? rows[i].at : "");
        pts[i].value = rows[i].value;
    }
    vos_measurement_rows_free(rows, got);
    *out = pts;
    *n = got;
    return 0;
}

int vos_store_measurement_points(vos_store *st, vos_measurement_point **out, size_t *n,
                                 int64_t account_id, const char *kpi_key, const char *from,
                                 const char *to)
{
    *out = NULL;
    *n = 0;
    if (!st->be->measurement_points)
        return points_of_series(st, out, n, account_id, kpi_key, from, to);
    vos_measurement_point *pts = NULL;
    size_t got = 0;
    int rc = st->be->measurement_points(st->be, account_id, kpi_key ? kpi_key : "", from, to,
                                        VOS_STORE_SERIES_MAX + 1, &pts, &got);
    if (rc < 0) return rc;
    if (got > VOS_STORE_SERIES_MAX) {
        free(pts);
        return series_too_large(account_id, kpi_key);
    }
    *out = pts;
    *n = got;
    return 0;
}

/* ---- snapshots ------------------------------------------------------------------------------ */

/* Adds "points" and "points_sha256" to an ingestion's snapshot: the count of its measurements
 * and the SHA-256 of their canonical JSON objects in id order, each followed by "\n". */
static int ingestion_points(vos_store *st, int64_t id, vos_jw *w)
{
    int64_t known = 0;
    char known_hex[VOS_SHA256_HEX_SIZE];
    if (vos_points_digest(st, id, &known, known_hex)) { /* hashed while inserted (points.c) */
        vos_jw_key(w, "points");
        vos_jw_integer(w, (long long)known);
        vos_jw_key(w, "points_sha256");
        vos_jw_string(w, known_hex);
        return 0;
    }
    const vos_entity_def *def = vos_entity_def_get(VOS_ENTITY_MEASUREMENT);
    crypto_hash_sha256_state sha;
    crypto_hash_sha256_init(&sha);
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "ingestion_id", .i = id};
    int64_t points = 0;
    for (;;) {
        void *rows = NULL;
        size_t n = 0;
        int rc = vos_store_rows(st, def, &q, NULL, &rows, &n);
        if (rc < 0) return rc;
        for (size_t i = 0; i < n && rc == 0; i++) {
            const void *row = (const char *)rows + i * def->size;
            vos_jw pw;
            vos_jw_init(&pw, VOS_STORE_SNAPSHOT_MAX);
            vos_row_json_open(def, row, &pw);
            vos_jw_end(&pw);
            char *text = NULL;
            size_t len = 0;
            rc = vos_jw_finish(&pw, &text, &len);
            if (rc == 0) {
                crypto_hash_sha256_update(&sha, (const unsigned char *)text, len);
                crypto_hash_sha256_update(&sha, (const unsigned char *)"\n", 1);
            }
            free(text);
            q.after_id = row_id(def, row);
        }
        vos_rows_free(def, rows, n);
        if (rc < 0) return vos_error_set(rc, "cannot write the snapshot of ingestion %" PRId64, id);
        points += (int64_t)n;
        if (n < q.limit) break;
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[VOS_SHA256_HEX_SIZE];
    crypto_hash_sha256_final(&sha, h);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    vos_jw_key(w, "points");
    vos_jw_integer(w, (long long)points);
    vos_jw_key(w, "points_sha256");
    vos_jw_string(w, hex);
    return 0;
}

int vos_store_row_snapshot(vos_store *st, const vos_entity_def *def, const void *row, char **out)
{
    vos_jw w;
    vos_jw_init(&w, VOS_STORE_SNAPSHOT_MAX);
    vos_row_json_open(def, row, &w);
    if (def->entity == VOS_ENTITY_INGESTION) {
        int rc = ingestion_points(st, row_id(def, row), &w);
        if (rc < 0) {
            vos_jw_free(&w);
            return rc;
        }
    }
    vos_jw_end(&w);
    size_t len = 0;
    int rc = vos_jw_finish(&w, out, &len);
    if (rc < 0)
        return vos_error_set(rc, "%s %" PRId64 " is too large to snapshot", def->name,
                             row_id(def, row));
    return 0;
}

int vos_store_snapshot(vos_store *st, char **out, vos_entity entity, int64_t id)
{
    const vos_entity_def *def = vos_entity_def_get(entity);
    *out = NULL;
    if (!def) return vos_error_set(VOS_EINVALID, "entity %d does not exist", (int)entity);
    vos_any_row row;
    memset(&row, 0, sizeof row);
    int rc = st->be->get(st->be, def, id, &row);
    if (rc == 0) rc = vos_store_row_snapshot(st, def, &row, out);
    vos_row_clear(def, &row);
    return rc;
}

/* ---- operations ----------------------------------------------------------------------------- */

int vos_store_backup(vos_store *st, const char *path)
{
    if (!path || !*path) return vos_error_set(VOS_EINVALID, "the backup path is empty");
    if (st->txn != STORE_TXN_NONE)
        return vos_error_set(VOS_ECONFLICT,
                             "cannot back up while a transaction is open on this store");
    if (!st->be->backup)
        return vos_error_set(VOS_ERROR, "this store backend cannot make backups");
    return st->be->backup(st->be, path);
}
