/* The data of realization around the cases: accounts by id, benchmarks, proof points, alerts
 * and commitments, and the scoped lists of rows that belong to an account.  Measurements are
 * in app_measure.c. */
#include "app_data_int.h"
#include "app_realize_int.h"

#include "vos/error.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- rows of an account, scoped ------------------------------------------------------------ */

/* One page of the store's rows of entity e (OUT: *rows, *n). */
static int store_page(vos_app *app, vos_entity e, void **rows, size_t *n, const vos_store_query *q)
{
    int rc;
    switch (e) {
    case VOS_ENTITY_MEASUREMENT: {
        vos_measurement_row *r = NULL;
        rc = vos_store_measurement_list(app->st, &r, n, q);
        *rows = r;
        return rc;
    }
    case VOS_ENTITY_PROOF_POINT: {
        vos_proof_point_row *r = NULL;
        rc = vos_store_proof_point_list(app->st, &r, n, q);
        *rows = r;
        return rc;
    }
    case VOS_ENTITY_ALERT: {
        vos_alert_row *r = NULL;
        rc = vos_store_alert_list(app->st, &r, n, q);
        *rows = r;
        return rc;
    }
    default:
        return vos_error_set(VOS_EINVALID, "entity %d does not belong to an account", (int)e);
    }
}

static int64_t int_field(const vos_entity_def *def, const void *row, const char *name)
{
    for (size_t i = 0; i < def->n_fields; i++)
        if (strcmp(def->fields[i].name, name) == 0)
            return *(const int64_t *)((const char *)row + def->fields[i].offset);
    return 0;
}

/* Frees the text fields of one row, not the row. */
static void clear_row(const vos_entity_def *def, void *row)
{
    for (size_t i = 0; i < def->n_fields; i++)
        if (def->fields[i].type == VOS_FT_TEXT) {
            char **p = (char **)((char *)row + def->fields[i].offset);
            free(*p);
            *p = NULL;
        }
}

/* The last account asked about and the answer, since rows of one account come in runs. */
typedef struct seen_account {
    int64_t id;
    int sees;
} seen_account;

static int sees(vos_app *app, const vos_actor *who, int64_t account_id, seen_account *last)
{
    if (last->sees < 0 || last->id != account_id)
        *last = (seen_account){account_id, app_sees_account(app, who, account_id)};
    return last->sees;
}

/* Moves the rows of a store page that `who` sees to kept[*n_kept..limit), clears the others.
 * OUT: *last_id, the id of the last row looked at. */
static void keep_visible(vos_app *app, const vos_actor *who, const vos_entity_def *def, char *rows,
                         size_t n, char *kept, size_t *n_kept, size_t limit, int64_t *last_id,
                         seen_account *last)
{
    for (size_t i = 0; i < n; i++) {
        char *row = rows + i * def->size;
        if (*n_kept < limit) {
            *last_id = int_field(def, row, "id");
            if (sees(app, who, int_field(def, row, "account_id"), last)) {
                memcpy(kept + *n_kept * def->size, row, def->size);
                (*n_kept)++;
                continue;
            }
        }
        clear_row(def, row);
    }
    free(rows);
}

int app_account_rows(vos_app *app, const vos_actor *who, vos_entity e, void **out, size_t *n,
                     const vos_store_query *q)
{
    *out = NULL;
    *n = 0;
    if (!app_scoped(who)) return store_page(app, e, out, n, q);
    const vos_entity_def *def = vos_entity_def_get(e);
    vos_store_query pq = q ? *q : (vos_store_query){0};
    size_t limit = pq.limit ? pq.limit : VOS_STORE_PAGE_DEFAULT;
    if (limit > VOS_STORE_PAGE_MAX) limit = VOS_STORE_PAGE_MAX;
    pq.limit = limit;
    /* a customer sees one account: let the store filter by it */
    if (who->role == VOS_ROLE_CUSTOMER && pq.n_where < VOS_STORE_FILTERS_MAX)
        pq.where[pq.n_where++] = (vos_store_filter){.field = "account_id", .i = who->account_id};
    char *kept = malloc(limit * def->size);
    if (!kept) return vos_error_set(VOS_ENOMEM, "out of memory");
    size_t n_kept = 0;
    seen_account last = {0, -1};
    int rc;
    for (;;) {
        void *rows = NULL;
        size_t got = 0;
        rc = store_page(app, e, &rows, &got, &pq);
        if (rc < 0) break;
        keep_visible(app, who, def, rows, got, kept, &n_kept, limit, &pq.after_id, &last);
        if (got < limit || n_kept >= limit) break;
    }
    if (rc < 0 || n_kept == 0) {
        for (size_t i = 0; i < n_kept; i++)
            clear_row(def, kept + i * def->size);
        free(kept);
        return rc;
    }
    *out = kept;
    *n = n_kept;
    return 0;
}

/* ---- accounts ------------------------------------------------------------------------------- */

/* The account `account_id` if `who` sees it; else VOS_ENOTFOUND "account N does not exist". */
static int visible_account(vos_app *app, const vos_actor *who, int64_t account_id,
                           vos_account_row **out)
{
    *out = NULL;
    vos_account_row *a = NULL;
    int rc = vos_store_account_get(app->st, &a, account_id);
    if (rc == 0 && !app_sees_account(app, who, a->id)) {
        vos_account_row_free(a);
        a = NULL;
        rc = VOS_ENOTFOUND;
    }
    if (rc == VOS_ENOTFOUND)
        return vos_error_set(VOS_ENOTFOUND, "account %" PRId64 " does not exist", account_id);
    *out = a;
    return rc;
}

int vos_app_account_by_id(vos_app *app, const vos_actor *who, int64_t account_id,
                          vos_account_row **out)
{
    *out = NULL;
    int rc = app_allow(who, VOS_OP_ACCOUNT_READ);
    if (rc < 0) return rc;
    return visible_account(app, who, account_id, out);
}

/* ---- benchmarks ----------------------------------------------------------------------------- */

int vos_app_benchmark_add(vos_app *app, const vos_actor *who, vos_benchmark_row *row)
{
    int rc = app_allow(who, VOS_OP_BENCHMARK_WRITE);
    if (rc < 0) return rc;
    if (!row) return vos_error_set(VOS_EINVALID, "no benchmark given");
    if ((rc = app_begin(app)) < 0) return rc;
    rc = vos_store_benchmark_create(app->st, row);
    if (rc == 0) rc = app_audit(app, who, "benchmark.add", VOS_ENTITY_BENCHMARK, row->id, NULL);
    return app_end(app, rc);
}

int vos_app_benchmark_list(vos_app *app, const vos_actor *who, vos_benchmark_row **out, size_t *n,
                           const vos_store_query *q)
{
    *out = NULL;
    *n = 0;
    int rc = app_allow(who, VOS_OP_BENCHMARK_READ);
    if (rc < 0) return rc;
    return vos_store_benchmark_list(app->st, out, n, q);
}

/* ---- proof points --------------------------------------------------------------------------- */

/* The account of a proof point must be visible, and its case (optional) one of that account. */
static int check_proof_refs(vos_app *app, const vos_actor *who, const vos_proof_point_row *row)
{
    if (row->account_id == 0)
        return vos_error_set(VOS_EINVALID, "proof point account_id is required");
    vos_account_row *a = NULL;
    vos_case_row *c = NULL;
    int rc = visible_account(app, who, row->account_id, &a);
    if (rc == 0 && row->case_id != 0) rc = app_case_get(app, who, row->case_id, &c);
    if (rc == 0 && c && c->account_id != a->id)
        rc = vos_error_set(VOS_EINVALID,
                           "proof point case_id %" PRId64 ": case '%s' is not a case of "
                           "account '%s'",
                           c->id, c->name, a->name);
    vos_case_row_free(c);
    vos_account_row_free(a);
    return rc;
}

int vos_app_proof_point_add(vos_app *app, const vos_actor *who, vos_proof_point_row *row)
{
    int rc = app_allow(who, VOS_OP_PROOF_WRITE);
    if (rc < 0) return rc;
    if (!row) return vos_error_set(VOS_EINVALID, "no proof point given");
    if ((rc = app_begin(app)) < 0) return rc;
    rc = check_proof_refs(app, who, row);
    if (rc == 0) rc = vos_store_proof_point_create(app->st, row);
    if (rc == 0) rc = app_audit(app, who, "proof_point.add", VOS_ENTITY_PROOF_POINT, row->id, NULL);
    return app_end(app, rc);
}

/* The stored proof point `id` as `who` sees it, at revision `revision` (VOS_ESTALE). */
static int current_proof(vos_app *app, const vos_actor *who, int64_t id, int64_t revision,
                         vos_proof_point_row **out)
{
    vos_proof_point_row *p = NULL;
    int rc = vos_store_proof_point_get(app->st, &p, id);
    if (rc == 0 && !app_sees_account(app, who, p->account_id)) rc = VOS_ENOTFOUND;
    if (rc == VOS_ENOTFOUND)
        rc = vos_error_set(VOS_ENOTFOUND, "proof point %" PRId64 " does not exist", id);
    else if (rc == 0 && p->revision != revision)
        rc = vos_error_set(VOS_ESTALE,
                           "proof point %" PRId64 " was changed by someone else (revision %" PRId64
                           ", not %" PRId64 "); read it again",
                           id, p->revision, revision);
    if (rc < 0) {
        vos_proof_point_row_free(p);
        p = NULL;
    }
    *out = p;
    return rc;
}

int vos_app_proof_point_update(vos_app *app, const vos_actor *who, vos_proof_point_row *row)
{
    int rc = app_allow(who, VOS_OP_PROOF_WRITE);
    if (rc < 0) return rc;
    if (!row) return vos_error_set(VOS_EINVALID, "no proof point given");
    if ((rc = app_begin(app)) < 0) return rc;
    vos_proof_point_row *cur = NULL;
    char *before = NULL;
    rc = current_proof(app, who, row->id, row->revision, &cur);
    if (rc == 0 && row->account_id != 0 && row->account_id != cur->account_id)
        rc = vos_error_set(VOS_EINVALID,
                           "proof point %" PRId64 ": account_id is fixed (%" PRId64
                           "); record a new proof point for account %" PRId64,
                           row->id, cur->account_id, row->account_id);
    if (rc == 0) {
        row->account_id = cur->account_id;
        rc = check_proof_refs(app, who, row);
    }
    if (rc == 0) rc = app_before(app, VOS_ENTITY_PROOF_POINT, row->id, &before);
    if (rc == 0) rc = vos_store_proof_point_update(app->st, row);
    if (rc == 0) {
        rc = app_audit(app, who, "proof_point.update", VOS_ENTITY_PROOF_POINT, row->id, before);
        before = NULL;
    }
    free(before);
    vos_proof_point_row_free(cur);
    return app_end(app, rc);
}

int vos_app_proof_point_list(vos_app *app, const vos_actor *who, vos_proof_point_row **out,
                             size_t *n, const vos_store_query *q)
{
    *out = NULL;
    *n = 0;
    int rc = app_allow(who, VOS_OP_PROOF_READ);
    if (rc < 0) return rc;
    void *rows = NULL;
    rc = app_account_rows(app, who, VOS_ENTITY_PROOF_POINT, &rows, n, q);
    *out = rows;
    return rc;
}

/* ---- alerts --------------------------------------------------------------------------------- */

int vos_app_alert_list(vos_app *app, const vos_actor *who, vos_alert_row **out, size_t *n,
                       const vos_store_query *q)
{
    *out = NULL;
    *n = 0;
    int rc = app_allow(who, VOS_OP_ALERT_READ);
    if (rc < 0) return rc;
    void *rows = NULL;
    rc = app_account_rows(app, who, VOS_ENTITY_ALERT, &rows, n, q);
    *out = rows;
    return rc;
}

/* open -> acknowledged, open or acknowledged -> resolved. */
static int alert_move_refused(const vos_alert_row *a, vos_alert_status to)
{
    bool ok = to == VOS_ALERT_ACKNOWLEDGED ? a->status == VOS_ALERT_OPEN
                                           : a->status != VOS_ALERT_RESOLVED;
    if (ok) return 0;
    if (a->status == to)
        return vos_error_set(VOS_ECONFLICT, "alert %" PRId64 " is already %s", a->id,
                             vos_alert_status_name(to));
    return vos_error_set(VOS_ECONFLICT, "alert %" PRId64 " cannot move from %s to %s", a->id,
                         vos_alert_status_name(a->status), vos_alert_status_name(to));
}

/* The event of an alert acknowledged by hand (an evaluation never acknowledges); one resolved
 * by hand sends VOS_EVENT_ALERT_RESOLVED, as one resolved automatically. */

/* Writes the webhook event of alert `alert_id`, just moved by hand, in the open transaction,
 * as an evaluation writes the events of the alerts it raises and resolves (app_alerts.c).
 * OUT: *out, the moved alert (also on failure: the caller frees it). */
static int alert_event(vos_app *app, int64_t alert_id, vos_alert_row **out)
{
    vos_account_row *acc = NULL;
    vos_case_row *c = NULL;
    int rc = vos_store_alert_get(app->st, out, alert_id);
    if (rc == 0) rc = vos_store_account_get(app->st, &acc, (*out)->account_id);
    if (rc == 0 && (*out)->case_id) rc = vos_store_case_get(app->st, &c, (*out)->case_id);
    if (rc == 0) {
        const char *event = (*out)->status == VOS_ALERT_RESOLVED ? VOS_EVENT_ALERT_RESOLVED
                                                                 : VOS_EVENT_ALERT_ACKNOWLEDGED;
        rc = app_webhooks_enqueue(app, event, *out, acc->name, c ? c->name : NULL);
    }
    vos_case_row_free(c);
    vos_account_row_free(acc);
    return rc;
}

/* Moves alert `alert_id` to `to` (acknowledged or resolved), audited as `op`, with its webhook
 * event in the same transaction. */
static int alert_move(vos_app *app, const vos_actor *who, int64_t alert_id, vos_alert_status to,
                      const char *op, vos_alert_row **out)
{
    if (out) *out = NULL;
    int rc = app_allow(who, VOS_OP_ALERT_UPDATE);
    if (rc < 0) return rc;
    if ((rc = app_begin(app)) < 0) return rc;
    vos_alert_row *a = NULL, *moved = NULL;
    char *before = NULL, now[VOS_STAMP_SIZE];
    rc = vos_store_alert_get(app->st, &a, alert_id);
    if (rc == 0 && !app_sees_account(app, who, a->account_id)) rc = VOS_ENOTFOUND;
    if (rc == VOS_ENOTFOUND)
        rc = vos_error_set(VOS_ENOTFOUND, "alert %" PRId64 " does not exist", alert_id);
    if (rc == 0) rc = alert_move_refused(a, to);
    if (rc == 0) rc = app_before(app, VOS_ENTITY_ALERT, a->id, &before);
    if (rc == 0) {
        char *old = a->resolved_at;
        vos_store_now(now);
        a->status = to;
        if (to == VOS_ALERT_RESOLVED) a->resolved_at = now;
        rc = vos_store_alert_update(app->st, a);
        a->resolved_at = old;
    }
    if (rc == 0) {
        rc = app_audit(app, who, op, VOS_ENTITY_ALERT, alert_id, before);
        before = NULL;
    }
    if (rc == 0) rc = alert_event(app, alert_id, &moved);
    if (rc == 0 && out) {
        *out = moved;
        moved = NULL;
    }
    free(before);
    vos_alert_row_free(a);
    vos_alert_row_free(moved);
    rc = app_end(app, rc);
    if (rc < 0 && out) {
        vos_alert_row_free(*out);
        *out = NULL;
    }
    return rc;
}

int vos_app_alert_acknowledge(vos_app *app, const vos_actor *who, int64_t alert_id,
                              vos_alert_row **out)
{
    return alert_move(app, who, alert_id, VOS_ALERT_ACKNOWLEDGED, "alert.acknowledge", out);
}

int vos_app_alert_resolve(vos_app *app, const vos_actor *who, int64_t alert_id, vos_alert_row **out)
{
    return alert_move(app, who, alert_id, VOS_ALERT_RESOLVED, "alert.resolve", out);
}

/* ---- commitments ---------------------------------------------------------------------------- */

int app_commitment_kpis(vos_app *app, int64_t commitment_id, vos_commitment_kpi_row **out,
                        size_t *n)
{
    *out = NULL;
    *n = 0;
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "commitment_id", .i = commitment_id};
    vos_commitment_kpi_row *all = NULL;
    size_t n_all = 0;
    for (;;) {
        vos_commitment_kpi_row *page = NULL, *grown = NULL;
        size_t got = 0;
        int rc = vos_store_commitment_kpi_list(app->st, &page, &got, &q);
        if (rc == 0 && !(grown = realloc(all, (n_all + got + 1) * sizeof *all)))
            rc = vos_error_set(VOS_ENOMEM, "out of memory");
        if (rc < 0) {
            vos_commitment_kpi_rows_free(page, got);
            vos_commitment_kpi_rows_free(all, n_all);
            return rc;
        }
        all = grown;
        if (got) memcpy(all + n_all, page, got * sizeof *page);
        n_all += got;
        free(page); /* the rows' texts now belong to `all` */
        if (got < q.limit) break;
        q.after_id = all[n_all - 1].id;
    }
    *out = all;
    *n = n_all;
    return 0;
}

int app_commitment_find(vos_app *app, int64_t case_id, vos_commitment_row **out)
{
    *out = NULL;
    vos_store_query q = {.limit = 1, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "case_id", .i = case_id};
    size_t n = 0;
    int rc = vos_store_commitment_list(app->st, out, &n, &q);
    if (rc == 0 && n == 0) {
        vos_commitment_rows_free(*out, n);
        *out = NULL;
        rc = VOS_ENOTFOUND;
    }
    return rc;
}

int vos_app_commitment_get(vos_app *app, const vos_actor *who, int64_t case_id,
                           vos_commitment_row **out, vos_commitment_kpi_row **kpis, size_t *n_kpis)
{
    *out = NULL;
    if (kpis) *kpis = NULL;
    if (n_kpis) *n_kpis = 0;
    int rc = app_allow(who, VOS_OP_CASE_READ);
    if (rc < 0) return rc;
    vos_case_row *c = NULL;
    vos_commitment_row *found = NULL;
    rc = app_case_get(app, who, case_id, &c);
    if (rc == 0) rc = app_commitment_find(app, case_id, &found);
    if (rc == VOS_ENOTFOUND && c)
        rc = vos_error_set(VOS_ENOTFOUND, "case '%s' has no commitment (it is %s)", c->name,
                           vos_case_stage_name(c->stage));
    if (rc == 0 && kpis && n_kpis) rc = app_commitment_kpis(app, found->id, kpis, n_kpis);
    if (rc == 0) {
        *out = found;
        found = NULL;
    }
    vos_commitment_row_free(found);
    vos_case_row_free(c);
    return rc;
}
