/* Measurements: a batch ingested in one transaction, all or nothing and idempotent, and the
 * scoped list.  The checks and the writing of a batch (app_points_*) serve both the rows of
 * vos_app_measurement_add and the CSV files of vos_app_measurement_ingest (app_ingest.c). */
#include "app_data_int.h"
#include "app_measure_int.h"

#include "vos/error.h"
#include "vos/ingest.h"
#include "vos/number.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NUM_TEXT 32 /* bytes of a number in its shortest round-trip form */

/* The accounts met so far, sorted by id (a batch may name many). */
struct app_points {
    vos_app *app;
    const vos_actor *who;
    app_points_account *accounts;
    size_t n, cap;
    size_t last; /* index of the account of the previous row (rows come in runs) */
    int64_t now_ms; /* times are checked against now (vos_ingest_time); 0: checked already */
};

int app_points_new(app_points **out, vos_app *app, const vos_actor *who)
{
    *out = calloc(1, sizeof **out);
    if (!*out) return vos_error_set(VOS_ENOMEM, "out of memory");
    (*out)->app = app;
    (*out)->who = who;
    return 0;
}

void app_points_free(app_points *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) {
        for (size_t k = 0; k < p->accounts[i].n_kpis; k++)
            free(p->accounts[i].kpis[k]);
        free(p->accounts[i].kpis);
        free(p->accounts[i].name);
    }
    free(p->accounts);
    free(p);
}

/* ---- the KPIs committed to for an account --------------------------------------------------- */

const char *app_points_kpi(const app_points_account *a, const char *key)
{
    for (size_t k = 0; k < a->n_kpis; k++)
        if (strcmp(a->kpis[k], key) == 0) return a->kpis[k];
    return NULL;
}

static int add_kpi(app_points_account *a, const char *key)
{
    if (app_points_kpi(a, key)) return 0;
    char **grown = realloc(a->kpis, (a->n_kpis + 1) * sizeof *grown);
    char *copy = app_strdup(key);
    if (grown) a->kpis = grown;
    if (!grown || !copy) {
        free(copy);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    a->kpis[a->n_kpis++] = copy;
    return 0;
}

/* Adds the KPIs of the commitment of case `case_id`, if it has one. */
static int add_case_kpis(vos_app *app, int64_t case_id, app_points_account *a)
{
    vos_commitment_row *cm = NULL;
    vos_commitment_kpi_row *kpis = NULL;
    size_t n = 0;
    int rc = app_commitment_find(app, case_id, &cm);
    if (rc == VOS_ENOTFOUND) return 0;
    if (rc == 0) rc = app_commitment_kpis(app, cm->id, &kpis, &n);
    for (size_t k = 0; k < n && rc == 0; k++)
        rc = add_kpi(a, kpis[k].kpi_key);
    vos_commitment_kpi_rows_free(kpis, n);
    vos_commitment_row_free(cm);
    return rc;
}

/* The KPIs committed to in every case of the account that was committed: a case at stage
 * committed or later (realizing, expanded, and lost or closed after its commitment) has a
 * commitment; a hypothesis has none. */
static int load_kpis(vos_app *app, app_points_account *a)
{
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "account_id", .i = a->id};
    for (;;) {
        vos_case_row *cases = NULL;
        size_t n = 0;
        int rc = vos_store_case_list(app->st, &cases, &n, &q);
        for (size_t i = 0; i < n && rc == 0; i++)
            if (cases[i].stage != VOS_STAGE_HYPOTHESIS) rc = add_case_kpis(app, cases[i].id, a);
        if (n) q.after_id = cases[n - 1].id;
        vos_case_rows_free(cases, n);
        if (rc < 0) return rc;
        if (n < q.limit) return 0;
    }
}

/* Reads account `id` as the actor sees it into *a. */
static int load_account(app_points *p, app_points_account *a)
{
    vos_account_row *row = NULL;
    int rc = vos_store_account_get(p->app->st, &row, a->id);
    if (rc == VOS_ENOTFOUND) return 0;
    if (rc == 0 && app_sees_account(p->app, p->who, a->id)) {
        a->name = app_strdup(row->name);
        rc = a->name ? load_kpis(p->app, a) : vos_error_set(VOS_ENOMEM, "out of memory");
    }
    vos_account_row_free(row);
    return rc;
}

const app_points_account *app_points_find(const app_points *p, int64_t id)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->accounts[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->n && p->accounts[lo].id == id ? &p->accounts[lo] : NULL;
}

int app_points_account_get(app_points *p, int64_t id, const app_points_account **out)
{
    if (p->n && p->accounts[p->last].id == id) {
        *out = &p->accounts[p->last];
        return 0;
    }
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->accounts[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == p->n || p->accounts[lo].id != id) {
        if (p->n == p->cap) {
            size_t cap = p->cap ? 2 * p->cap : 8;
            app_points_account *grown = realloc(p->accounts, cap * sizeof *grown);
            if (!grown) return vos_error_set(VOS_ENOMEM, "out of memory");
            p->accounts = grown;
            p->cap = cap;
        }
        memmove(&p->accounts[lo + 1], &p->accounts[lo], (p->n - lo) * sizeof *p->accounts);
        p->accounts[lo] = (app_points_account){.id = id};
        p->n++;
        int rc = load_account(p, &p->accounts[lo]);
        if (rc < 0) return rc;
    }
    p->last = lo;
    *out = &p->accounts[lo];
    return 0;
}

/* ---- checking and writing rows -------------------------------------------------------------- */

/* The bounds of a measurement's time, as a CSV file's times are checked (vos_ingest_time):
 * years VOS_INGEST_YEAR_MIN..VOS_INGEST_YEAR_MAX and at most VOS_INGEST_FUTURE_S after now,
 * with the same words ("measurement 3: at '1969-12-31T00:00:00.000Z' is before 1970").  The
 * exact stamp format is the store's check. */
static int check_time(const vos_measurement_row *r, size_t k, int64_t now_ms)
{
    char stamp[VOS_STAMP_SIZE], why[VOS_ERROR_MSG_MAX / 2];
    if (vos_ingest_time(stamp, NULL, r->at, now_ms, why, sizeof why) == 0) return 0;
    return vos_error_set(VOS_EINVALID, "measurement %zu: at '%.*s' %s", k, VOS_STAMP_SIZE + 8,
                         r->at, why);
}

static int64_t clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Checks row i (0-based; messages count from 1) before anything is written. */
static int check_row(app_points *p, const vos_measurement_row *r, size_t i)
{
    const app_points_account *a = NULL;
    int rc = app_points_account_get(p, r->account_id, &a);
    if (rc < 0) return rc;
    size_t k = i + 1;
    if (!a->name)
        return vos_error_set(VOS_EINVALID, "measurement %zu: account %" PRId64 " does not exist", k,
                             r->account_id);
    if (!r->kpi_key || !*r->kpi_key)
        return vos_error_set(VOS_EINVALID, "measurement %zu: kpi_key is required", k);
    if (!app_points_kpi(a, r->kpi_key))
        return vos_error_set(VOS_EINVALID,
                             "measurement %zu: account '%s' has no committed KPI '%.*s'", k,
                             a->name, VOS_ID_MAX, r->kpi_key);
    if (!isfinite(r->value))
        return vos_error_set(VOS_EINVALID, "measurement %zu: value must be a finite number", k);
    if (!r->at || !*r->at)
        return vos_error_set(VOS_EINVALID,
                             "measurement %zu: at is required (a UTC time "
                             "YYYY-MM-DDTHH:MM:SS.mmmZ)",
                             k);
    if (!r->source || !*r->source)
        return vos_error_set(
            VOS_EINVALID, "measurement %zu: source is required (the name of the data source)", k);
    return p->now_ms ? check_time(r, k, p->now_ms) : 0;
}

/* Prefixes the store's message about row i with its number: "measurement 3: at '...' is ...". */
static int row_failed(size_t i, int rc)
{
    char msg[VOS_ERROR_MSG_MAX];
    const char *prefix = "measurement ", *m = vos_error_last();
    if (strncmp(m, prefix, strlen(prefix)) == 0) m += strlen(prefix);
    snprintf(msg, sizeof msg, "%s", m);
    return vos_error_set(rc, "measurement %zu: %s", i + 1, msg);
}

static int conflict(app_points *p, const vos_measurement_row *r, size_t i, double stored)
{
    const app_points_account *a = NULL;
    int rc = app_points_account_get(p, r->account_id, &a);
    if (rc < 0) return rc;
    char was[NUM_TEXT], now[NUM_TEXT];
    vos_num_shortest(was, sizeof was, stored);
    vos_num_shortest(now, sizeof now, r->value);
    return vos_error_set(VOS_ECONFLICT,
                         "measurement %zu: KPI '%s' of account '%s' at %s from '%s' is stored as "
                         "%s, not %s; a measurement is never changed",
                         i + 1, r->kpi_key, a->name, r->at, r->source, was, now);
}

/* Counts row i by its outcome as added or unchanged; a conflict fails. */
static int put_outcome(app_points *p, vos_measurement_row *r, size_t i, vos_put_outcome outcome,
                       double stored, size_t *added, size_t *unchanged)
{
    if (outcome == VOS_PUT_INSERTED) {
        (*added)++;
        return 0;
    }
    r->ingestion_id = 0;
    if (outcome == VOS_PUT_DUPLICATE) {
        (*unchanged)++;
        return 0;
    }
    return conflict(p, r, i, stored);
}

/* Writes rows[lo..lo+n) (n <= VOS_STORE_PUT_BATCH) as part of ingestion `ingestion_id` with
 * one batched put; counts each as added or unchanged.  *failed names the row that fails. */
static int put_rows(app_points *p, vos_measurement_row *rows, size_t lo, size_t n,
                    int64_t ingestion_id, size_t *added, size_t *unchanged, size_t *failed)
{
    vos_put_outcome *outcomes = malloc(n * sizeof *outcomes);
    double *stored = malloc(n * sizeof *stored);
    size_t bad = SIZE_MAX;
    int rc = 0;
    for (size_t j = 0; j < n; j++) {
        rows[lo + j].id = 0;
        rows[lo + j].ingestion_id = ingestion_id;
    }
    if (outcomes && stored)
        rc = vos_store_measurements_put(p->app->st, rows + lo, n, outcomes, stored, &bad);
    else
        rc = vos_error_set(VOS_ENOMEM, "out of memory");
    if (rc < 0) {
        *failed = lo + (bad < n ? bad : 0);
        rc = row_failed(*failed, rc);
    }
    for (size_t j = 0; j < n && rc == 0; j++)
        if ((rc = put_outcome(p, &rows[lo + j], lo + j, outcomes[j], stored[j], added,
                              unchanged)) < 0)
            *failed = lo + j;
    free(outcomes);
    free(stored);
    return rc;
}

/* A customer may send measurements only when the organisation accepts them. */
static int customer_may_send(vos_app *app, const vos_actor *who)
{
    if (who->role != VOS_ROLE_CUSTOMER) return 0;
    vos_organisation_row *org = NULL;
    int rc = vos_store_organisation_get(app->st, &org, 1);
    bool accepts = rc == 0 && org->customer_measurements;
    vos_organisation_row_free(org);
    if (rc < 0 && rc != VOS_ENOTFOUND) return rc;
    if (accepts) return 0;
    return vos_error_set(VOS_EFORBIDDEN,
                         "%s (customer) may not send measurements: the organisation does not "
                         "accept measurements from customers",
                         who->name);
}

int app_points_may_send(app_points *p)
{
    return customer_may_send(p->app, p->who);
}

static void forget_ids(vos_measurement_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rows[i].id = rows[i].ingestion_id = 0;
}

/* Checks every row, then writes the ingestion and the rows; *failed names the bad row. */
static int ingest(app_points *p, const char *label, vos_measurement_row *rows, size_t n,
                  size_t *added, size_t *unchanged, int64_t *ingestion_id, size_t *failed)
{
    int rc = customer_may_send(p->app, p->who);
    for (size_t i = 0; i < n && rc == 0; i++)
        if ((rc = check_row(p, &rows[i], i)) == VOS_EINVALID) *failed = i;
    vos_ingestion_row ing = {.label = (char *)label, .created_by = p->who->user_id};
    if (rc == 0) rc = vos_store_ingestion_create(p->app->st, &ing);
    for (size_t i = 0; i < n && rc == 0; i += VOS_STORE_PUT_BATCH)
        rc = put_rows(p, rows, i, n - i < VOS_STORE_PUT_BATCH ? n - i : VOS_STORE_PUT_BATCH,
                      ing.id, added, unchanged, failed);
    if (rc == 0 && *added > 0) {
        rc = app_audit(p->app, p->who, "measurement.ingest", VOS_ENTITY_INGESTION, ing.id, NULL);
        *ingestion_id = ing.id;
    }
    return rc;
}

int app_points_write(app_points *p, const char *label, vos_measurement_row *rows, size_t n,
                     size_t *added, size_t *unchanged, int64_t *ingestion_id, size_t *failed)
{
    *added = *unchanged = 0;
    *ingestion_id = 0;
    *failed = SIZE_MAX;
    int rc = app_begin(p->app);
    if (rc < 0) return rc;
    rc = ingest(p, label, rows, n, added, unchanged, ingestion_id, failed);
    if (rc == 0 && *added == 0) {
        vos_store_rollback(p->app->st); /* every point is stored already: write nothing at all */
        forget_ids(rows, n);
    } else {
        rc = app_end(p->app, rc);
        if (rc < 0) forget_ids(rows, n);
    }
    if (rc < 0) *added = *unchanged = 0, *ingestion_id = 0;
    return rc;
}

/* ---- operations ----------------------------------------------------------------------------- */

int vos_app_measurement_add(vos_app *app, const vos_actor *who, const char *label,
                            vos_measurement_row *rows, size_t n, size_t *added, size_t *unchanged)
{
    if (added) *added = 0;
    if (unchanged) *unchanged = 0;
    int rc = app_allow(who, VOS_OP_MEASUREMENT_WRITE);
    if (rc < 0) return rc;
    if (!rows || n == 0) return vos_error_set(VOS_EINVALID, "the batch has no measurements");
    if (n > VOS_MEASUREMENT_BATCH_MAX)
        return vos_error_set(VOS_ETOOLARGE,
                             "a batch holds at most %d measurements, this one %zu: split it",
                             VOS_MEASUREMENT_BATCH_MAX, n);
    app_points *p = NULL;
    if ((rc = app_points_new(&p, app, who)) < 0) return rc;
    p->now_ms = clock_ms(); /* rows of a CSV file were checked by vos_ingest_row_parse */
    size_t n_added = 0, n_same = 0, failed = 0;
    int64_t ingestion = 0;
    rc = app_points_write(p, label, rows, n, &n_added, &n_same, &ingestion, &failed);
    app_points_free(p);
    if (rc < 0) return rc;
    if (added) *added = n_added;
    if (unchanged) *unchanged = n_same;
    return 0;
}

int vos_app_measurement_list(vos_app *app, const vos_actor *who, vos_measurement_row **out,
                             size_t *n, const vos_store_query *q)
{
    *out = NULL;
    *n = 0;
    int rc = app_allow(who, VOS_OP_MEASUREMENT_READ);
    if (rc < 0) return rc;
    void *rows = NULL;
    rc = app_account_rows(app, who, VOS_ENTITY_MEASUREMENT, &rows, n, q);
    *out = rows;
    return rc;
}
