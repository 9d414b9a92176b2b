/* Internals of measurement files (app_ingest.c): the tables of the names a file uses, its
 * series, and the buffers that hold a batch of rows (ingest_batch.c). */
#ifndef VOS_APP_INGEST_INT_H
#define VOS_APP_INGEST_INT_H

#include "vos/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the names a file uses: account spellings and sources ---- */

typedef struct ingest_name {
    char *text; /* NULL: a free slot */
    uint64_t hash;
    int64_t id; /* for accounts: the account's id, 0 when there is none by that name */
} ingest_name;

typedef struct ingest_names {
    ingest_name *slots;
    size_t cap, n;
    ingest_name *last; /* the entry found last (rows repeat a name row after row), or NULL */
} ingest_names;

void ingest_names_free(ingest_names *t);
/* The entry of `text`, or NULL.  Used by one thread at a time (it remembers the last). */
ingest_name *ingest_names_find(ingest_names *t, const char *text);
/* The entry of `text`, added (with id 0) when new (at most VOS_INGEST_NAMES_MAX:
 * VOS_ETOOLARGE).  OUT: *out, *added. */
int ingest_names_get(ingest_names *t, const char *text, ingest_name **out, bool *added);

/* ---- series: (account, KPI, source) ---- *
 * A batch is written series by series, each in the order of the file: the unique index of
 * the measurements (account, kpi, time, source) then grows at one place per series instead
 * of at every series in turn, as a time-ordered export would have it, which makes writing a
 * batch of many series markedly faster.  Which rows a batch holds does not change. */

#define INGEST_SERIES_NONE UINT32_MAX /* beyond VOS_INGEST_NAMES_MAX series: not sorted */

typedef struct ingest_series_entry {
    int64_t account;
    const char *kpi, *source; /* interned: equal text, equal pointer */
    uint32_t id;              /* INGEST_SERIES_NONE: a free slot */
} ingest_series_entry;

typedef struct ingest_series {
    ingest_series_entry *slots;
    size_t cap, n;
} ingest_series;

/* The number of the series of a row (INGEST_SERIES_NONE once there are too many). */
int ingest_series_of(ingest_series *m, int64_t account, const char *kpi, const char *source,
                     uint32_t *id);

/* ---- a batch of rows held ---- */

typedef struct ingest_batch {
    vos_measurement_row *rows; /* rows[i].at points at stamps + i * VOS_STAMP_SIZE once ready */
    int64_t *lines;            /* the line of each row */
    char *stamps;
    uint32_t *series; /* the series of each row */
    size_t n, cap;
} ingest_batch;

/* Room for one more row, growing by doubling up to `max` rows.  VOS_ENOMEM. */
int ingest_batch_room(ingest_batch *b, size_t max);
/* Appends a row (kpi_key and source must outlive the batch). */
void ingest_batch_add(ingest_batch *b, const vos_measurement_row *r, const char *stamp,
                      int64_t line, uint32_t series);
/* Puts the rows in series order (stable: each series keeps the order of the file), using
 * `scratch` (which receives the old arrays), and points each row's `at` at its stamp.
 * `n_series` is the number of series numbered so far. */
int ingest_batch_sort(ingest_batch *b, ingest_batch *scratch, size_t n_series);
void ingest_batch_free(ingest_batch *b);

#endif
