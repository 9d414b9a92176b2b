/* Internals shared by the files of the realization data: benchmarks, proof points, alerts and
 * commitments (app_data.c) and measurements (app_measure.c). */
#ifndef VOS_APP_DATA_INT_H
#define VOS_APP_DATA_INT_H

#include "app_int.h"

#include <stddef.h>
#include <stdint.h>

/* A page of rows of an entity that belongs to an account (measurement, proof_point, alert)
 * as `who` sees it: unscoped actors get the store's page of q; customers and partners get
 * the rows of their accounts only, filled up to the page's limit from the store's following
 * pages, so a page that is not full means the end (as app_scoped_list does for accounts and
 * cases).  OUT: *out (an array of the entity's row type, freed with its _rows_free), *n. */
int app_account_rows(vos_app *app, const vos_actor *who, vos_entity e, void **out, size_t *n,
                     const vos_store_query *q);

/* The commitment of case `case_id`; VOS_ENOTFOUND (without a message) when it has none. */
int app_commitment_find(vos_app *app, int64_t case_id, vos_commitment_row **out);
/* Every KPI of commitment `commitment_id`, in the order committed.  OUT: *out, *n
 * (vos_commitment_kpi_rows_free). */
int app_commitment_kpis(vos_app *app, int64_t commitment_id, vos_commitment_kpi_row **out,
                        size_t *n);

#endif
