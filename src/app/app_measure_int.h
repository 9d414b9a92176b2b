/* Internals of measurement ingestion shared by the batch of vos_app_measurement_add
 * (app_measure.c) and the CSV files of vos_app_measurement_ingest (app_ingest.c): both check
 * rows against the same accounts and KPIs and write each batch through app_points_write. */
#ifndef VOS_APP_MEASURE_INT_H
#define VOS_APP_MEASURE_INT_H

#include "app_int.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An account that rows name, as the actor sees it, and the KPIs committed to for it. */
typedef struct app_points_account {
    int64_t id;
    char *name;  /* NULL when it does not exist or the actor does not see it */
    char **kpis; /* the keys committed to in the account's cases, each once */
    size_t n_kpis;
} app_points_account;

/* The accounts met so far by one ingestion (read on first use, kept until freed). */
typedef struct app_points app_points;

/* OUT: *out, for `who` writing through `app`; freed with app_points_free.  VOS_ENOMEM. */
int app_points_new(app_points **out, vos_app *app, const vos_actor *who);
void app_points_free(app_points *p);

/* The entry of account `id` (read on first use).  OUT: *out, borrowed until p is freed. */
int app_points_account_get(app_points *p, int64_t id, const app_points_account **out);

/* The entry of account `id` when it was read already, else NULL; reads nothing and changes
 * nothing in p (so another thread may call it while p is in use, as long as no account is
 * read into p meanwhile). */
const app_points_account *app_points_find(const app_points *p, int64_t id);

/* The account's committed KPI `key` as stored in the entry (a string that lives as long as
 * p), or NULL when the account has no such KPI. */
const char *app_points_kpi(const app_points_account *a, const char *key);

/* 0 when the actor may send measurements now (a customer only when the organisation accepts
 * them: VOS_EFORBIDDEN otherwise). */
int app_points_may_send(app_points *p);

/* Checks, then writes rows[0..n) as one ingestion labelled `label`, in one transaction, all
 * or nothing, as vos_app_measurement_add describes (the caller has checked the actor's
 * operation and the size).  A row's problem fails the batch with its message prefixed by
 * "measurement K: " (K = i + 1) and *failed = i.  OUT: *added, *unchanged, *ingestion_id
 * (0 when nothing was new: then nothing at all is written), *failed (SIZE_MAX when no row
 * failed). */
int app_points_write(app_points *p, const char *label, vos_measurement_row *rows, size_t n,
                     size_t *added, size_t *unchanged, int64_t *ingestion_id, size_t *failed);

/* A field's text for a message: its first 40 bytes (not cutting a character), control
 * characters shown as '?', "..." when cut.  Returns out. */
#define INGEST_QUOTE_SIZE 48
const char *ingest_quote(char out[INGEST_QUOTE_SIZE], const char *s);

#endif
