/* The tables and buffers of measurement files (src/app/app_ingest_int.h). */
#include "app_ingest_int.h"

#include "vos/error.h"
#include "vos/limits.h"

#include <stdlib.h>
#include <string.h>

#define TABLE_START 64   /* first size of a table (a power of two) */
#define BATCH_START 1024 /* rows first allocated for a batch */

/* ---- names ---------------------------------------------------------------------------------- */

static uint64_t hash_text(const char *s)
{
    uint64_t h = UINT64_C(1469598103934665603); /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h;
}

void ingest_names_free(ingest_names *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->slots[i].text);
    free(t->slots);
    t->slots = NULL;
    t->last = NULL;
    t->cap = t->n = 0;
}

static ingest_name *name_slot(ingest_name *slots, size_t cap, const char *text, uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);
    while (slots[i].text && (slots[i].hash != h || strcmp(slots[i].text, text) != 0))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static int names_grow(ingest_names *t)
{
    size_t cap = t->cap ? 2 * t->cap : TABLE_START;
    ingest_name *slots = calloc(cap, sizeof *slots);
    if (!slots) return vos_error_set(VOS_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].text)
            *name_slot(slots, cap, t->slots[i].text, t->slots[i].hash) = t->slots[i];
    free(t->slots);
    t->slots = slots;
    t->last = NULL;
    t->cap = cap;
    return 0;
}

ingest_name *ingest_names_find(ingest_names *t, const char *text)
{
    if (t->last && strcmp(t->last->text, text) == 0) return t->last;
    if (!t->cap) return NULL;
    ingest_name *e = name_slot(t->slots, t->cap, text, hash_text(text));
    if (!e->text) return NULL;
    t->last = e;
    return e;
}

int ingest_names_get(ingest_names *t, const char *text, ingest_name **out, bool *added)
{
    *out = ingest_names_find(t, text);
    *added = !*out;
    if (*out) return 0;
    if (t->n >= VOS_INGEST_NAMES_MAX)
        return vos_error_set(VOS_ETOOLARGE,
                             "the file names more than %d different accounts or sources",
                             VOS_INGEST_NAMES_MAX);
    if ((t->n + 1) * 2 > t->cap) {
        int rc = names_grow(t);
        if (rc < 0) return rc;
    }
    uint64_t h = hash_text(text);
    ingest_name *e = name_slot(t->slots, t->cap, text, h);
    e->text = malloc(strlen(text) + 1);
    if (!e->text) return vos_error_set(VOS_ENOMEM, "out of memory");
    strcpy(e->text, text);
    e->hash = h;
    e->id = 0;
    t->n++;
    *out = e;
    return 0;
}

/* ---- series --------------------------------------------------------------------------------- */

static size_t series_slot(const ingest_series_entry *slots, size_t cap, int64_t account,
                          const char *kpi, const char *source)
{
    uint64_t h =
        (uint64_t)account * UINT64_C(0x9E3779B97F4A7C15) ^ (uintptr_t)kpi * 31u ^ (uintptr_t)source;
    size_t i = (size_t)(h ^ h >> 29) & (cap - 1);
    while (slots[i].id != INGEST_SERIES_NONE &&
           (slots[i].account != account || slots[i].kpi != kpi || slots[i].source != source))
        i = (i + 1) & (cap - 1);
    return i;
}

static int series_grow(ingest_series *m)
{
    size_t cap = m->cap ? 2 * m->cap : TABLE_START;
    ingest_series_entry *slots = malloc(cap * sizeof *slots);
    if (!slots) return vos_error_set(VOS_ENOMEM, "out of memory");
    for (size_t i = 0; i < cap; i++)
        slots[i].id = INGEST_SERIES_NONE;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].id != INGEST_SERIES_NONE) {
            const ingest_series_entry *e = &m->slots[i];
            slots[series_slot(slots, cap, e->account, e->kpi, e->source)] = *e;
        }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

int ingest_series_of(ingest_series *m, int64_t account, const char *kpi, const char *source,
                     uint32_t *id)
{
    if ((m->n + 1) * 2 > m->cap && m->n < VOS_INGEST_NAMES_MAX) {
        int rc = series_grow(m);
        if (rc < 0) return rc;
    }
    ingest_series_entry *e = &m->slots[series_slot(m->slots, m->cap, account, kpi, source)];
    if (e->id == INGEST_SERIES_NONE && m->n < VOS_INGEST_NAMES_MAX)
        *e = (ingest_series_entry){account, kpi, source, (uint32_t)m->n++};
    *id = e->id;
    return 0;
}

/* ---- batches -------------------------------------------------------------------------------- */

int ingest_batch_room(ingest_batch *b, size_t max)
{
    if (b->n < b->cap) return 0;
    size_t cap = b->cap ? 2 * b->cap : BATCH_START;
    if (cap > max) cap = max;
    vos_measurement_row *rows = realloc(b->rows, cap * sizeof *rows);
    if (rows) b->rows = rows;
    int64_t *lines = realloc(b->lines, cap * sizeof *lines);
    if (lines) b->lines = lines;
    char *stamps = realloc(b->stamps, cap * VOS_STAMP_SIZE);
    if (stamps) b->stamps = stamps;
    uint32_t *series = realloc(b->series, cap * sizeof *series);
    if (series) b->series = series;
    if (!rows || !lines || !stamps || !series) return vos_error_set(VOS_ENOMEM, "out of memory");
    b->cap = cap;
    return 0;
}

void ingest_batch_add(ingest_batch *b, const vos_measurement_row *r, const char *stamp,
                      int64_t line, uint32_t series)
{
    memcpy(b->stamps + b->n * VOS_STAMP_SIZE, stamp, VOS_STAMP_SIZE);
    b->lines[b->n] = line;
    b->series[b->n] = series;
    b->rows[b->n++] = *r;
}

static void swap_arrays(ingest_batch *a, ingest_batch *b)
{
    ingest_batch t = *a;
    a->rows = b->rows;
    a->lines = b->lines;
    a->stamps = b->stamps;
    a->series = b->series;
    b->rows = t.rows;
    b->lines = t.lines;
    b->stamps = t.stamps;
    b->series = t.series;
    size_t cap = a->cap;
    a->cap = b->cap;
    b->cap = cap;
}

int ingest_batch_sort(ingest_batch *b, ingest_batch *scratch, size_t n_series)
{
    while (scratch->cap < b->n) { /* the same room as the batch */
        scratch->n = scratch->cap;
        int rc = ingest_batch_room(scratch, b->n);
        if (rc < 0) return rc;
    }
    size_t k = n_series + 2; /* a count per series, one for the unsorted, one sentinel */
    size_t *starts = calloc(k, sizeof *starts);
    if (!starts) return vos_error_set(VOS_ENOMEM, "out of memory");
    size_t unsorted = n_series;
    for (size_t i = 0; i < b->n; i++)
        starts[(b->series[i] == INGEST_SERIES_NONE ? unsorted : b->series[i]) + 1]++;
    for (size_t s = 1; s < k; s++)
        starts[s] += starts[s - 1];
    for (size_t i = 0; i < b->n; i++) {
        size_t to = starts[b->series[i] == INGEST_SERIES_NONE ? unsorted : b->series[i]]++;
        scratch->rows[to] = b->rows[i];
        scratch->lines[to] = b->lines[i];
        scratch->series[to] = b->series[i];
        memcpy(scratch->stamps + to * VOS_STAMP_SIZE, b->stamps + i * VOS_STAMP_SIZE,
               VOS_STAMP_SIZE);
    }
    free(starts);
    scratch->n = b->n;
    swap_arrays(b, scratch);
    scratch->n = 0;
    for (size_t i = 0; i < b->n; i++)
        b->rows[i].at = b->stamps + i * VOS_STAMP_SIZE;
    return 0;
}

void ingest_batch_free(ingest_batch *b)
{
    free(b->rows);
    free(b->lines);
    free(b->stamps);
    free(b->series);
    memset(b, 0, sizeof *b);
}
