/* libFuzzer target: arbitrary bytes as a measurement file.  The bytes go through the CSV
 * reader twice, whole and in chunks of 1 to 17 bytes (by the input's length), and both
 * readings must
 * give the same records (the same digest of their lines, fields and errors); every record's
 * fields must be NUL-terminated at their lengths.  The first record is read as the header and
 * the others as rows (vos_ingest_header, vos_ingest_row_parse: the checks that need no store),
 * whose stamps and values must be well formed when accepted. */
#include "vos/csv.h"
#include "vos/error.h"
#include "vos/ingest.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NOW_MS INT64_C(1795000000000) /* a fixed "now": 2026-11-18 */
#define SMALL_LIMIT 64                /* limits of the second reading, to reach them */

typedef struct state {
    uint64_t digest; /* of everything the reader passed on */
    long records;
    int have_header;
    int map[VOS_INGEST_COLUMNS];
    size_t n_columns;
    vos_ingest_report rep;
    int check_rows;
    vos_ingest_memo memo; /* the rows' memo, as a reading keeps it */
} state;

static void mix(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        *h = (*h ^ b[i]) * UINT64_C(1099511628211);
}

static void check_row(state *s, const vos_csv_record *rec)
{
    if (!s->have_header) {
        s->have_header = 1;
        s->n_columns = rec->n;
        if (vos_ingest_header(s->map, rec, &s->rep) < 0) s->check_rows = 0;
        return;
    }
    const char *text[VOS_INGEST_COLUMNS];
    char stamp[VOS_STAMP_SIZE];
    double value = NAN;
    vos_ingest_memo none = {{0}, {0}};
    char again[VOS_STAMP_SIZE] = "";
    bool fresh = vos_ingest_row_parse(rec, s->map, s->n_columns, NOW_MS, &none, text, again,
                                      &value, &s->rep) == 0;
    /* with the memo of the rows before, the same answer */
    if (vos_ingest_row_parse(rec, s->map, s->n_columns, NOW_MS, &s->memo, text, stamp, &value,
                             &s->rep) == 0) {
        if (!fresh || strcmp(again, stamp) != 0) abort();
        if (strlen(stamp) != VOS_STAMP_SIZE - 1 || stamp[10] != 'T' || stamp[23] != 'Z') abort();
        if (!isfinite(value)) abort();
        for (int c = 0; c < VOS_INGEST_COLUMNS; c++)
            if (c != VOS_COL_TIME && c != VOS_COL_VALUE && c != VOS_COL_SOURCE && !*text[c])
                abort();
    }
}

static int on_record(void *ctx, const vos_csv_record *rec)
{
    state *s = ctx;
    s->records++;
    mix(&s->digest, &rec->line, sizeof rec->line);
    if (rec->error) {
        if (rec->n != 0) abort();
        mix(&s->digest, rec->error, strlen(rec->error));
        return 0;
    }
    for (size_t i = 0; i < rec->n; i++) {
        if (rec->field[i][rec->len[i]] != '\0' || memchr(rec->field[i], 0, rec->len[i])) abort();
        mix(&s->digest, &rec->len[i], sizeof rec->len[i]);
        mix(&s->digest, rec->field[i], rec->len[i]);
    }
    if (s->check_rows) check_row(s, rec); /* trims fields in place: after the digest */
    return 0;
}

static uint64_t read_csv(const uint8_t *data, size_t size, size_t chunk, const vos_csv_limits *lim,
                         int rows, long *records)
{
    state s = {.digest = UINT64_C(1469598103934665603), .check_rows = rows};
    vos_csv *c = NULL;
    if (vos_csv_new(&c, lim, on_record, &s) < 0) abort();
    for (size_t at = 0; at < size; at += chunk)
        if (vos_csv_feed(c, (const char *)data + at, size - at < chunk ? size - at : chunk) != 0)
            abort();
    if (vos_csv_finish(c) != 0) abort();
    if (s.rep.n_problems > VOS_INGEST_PROBLEMS_MAX) abort();
    vos_ingest_report_free(&s.rep);
    vos_csv_free(c);
    *records = s.records;
    return s.digest;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t chunk = 1 + size % 17;
    long n_whole = 0, n_chunks = 0;
    uint64_t whole = read_csv(data, size, size ? size : 1, NULL, 1, &n_whole);
    uint64_t chunks = read_csv(data, size, chunk, NULL, 0, &n_chunks);
    if (whole != chunks || n_whole != n_chunks) abort();
    vos_csv_limits small = {SMALL_LIMIT, 2 * SMALL_LIMIT, 8};
    read_csv(data, size, chunk, &small, 1, &n_chunks);
    return 0;
}
