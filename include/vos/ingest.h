/* Measurement files: CSV in, measurements stored (docs/ingestion.md).
 *
 * A measurement file is CSV (RFC 4180, include/vos/csv.h) whose first record is the header
 * `account,kpi,time,value,source` (any order; also account_id, kpi_key and at), then one
 * measurement per record.  vos_app_measurement_ingest reads it, checks every row and reports
 * every problem with its line (up to VOS_INGEST_PROBLEMS_MAX, the rest counted), and writes
 * nothing unless every row is good.  It then writes the rows in batches of at most
 * VOS_MEASUREMENT_BATCH_MAX (or opt->batch) rows, each batch one ingestion in one transaction
 * through the same code as vos_app_measurement_add: all or nothing, idempotent on (account,
 * kpi, time, source).  The command line (`vos ingest`) and the HTTP API (POST
 * /api/v1/measurements with Content-Type text/csv) both call it.
 *
 * The functions that turn the text of one field into a value (vos_ingest_time,
 * vos_ingest_value) and check a row without the store (vos_ingest_row_parse) are pure; the
 * fuzz target tests/fuzz/csv.c drives them with the reader. */
#ifndef VOS_INGEST_H
#define VOS_INGEST_H

#include "vos/app.h"
#include "vos/csv.h"
#include "vos/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VOS_INGEST_MESSAGE_MAX 320 /* bytes of one problem's message */

/* The columns of a measurement file, in the order of a written header. */
typedef enum vos_ingest_column {
    VOS_COL_ACCOUNT = 0, /* the account's name, or its id */
    VOS_COL_KPI,         /* a KPI key committed to for the account */
    VOS_COL_TIME,        /* ISO 8601: a date, or a date and time with Z or an offset */
    VOS_COL_VALUE,       /* a decimal number, e.g. -12.5 or 1.5e3 */
    VOS_COL_SOURCE       /* the name of the data source */
} vos_ingest_column;
#define VOS_INGEST_COLUMNS 5

/* "account", "kpi", "time", "value", "source". */
const char *vos_ingest_column_name(vos_ingest_column c);

/* One problem of a file: the line of the record, the column (or NULL for the record as a
 * whole) and a sentence that names the line, e.g. "value 'abc' on line 7 is not a number". */
typedef struct vos_ingest_problem {
    int64_t line;
    const char *field; /* static */
    char message[VOS_INGEST_MESSAGE_MAX];
} vos_ingest_problem;

/* What an ingestion did and found.  Zero it before the call; free it with
 * vos_ingest_report_free. */
typedef struct vos_ingest_report {
    int64_t rows;      /* measurement rows read (the header and empty lines not counted) */
    int64_t added;     /* points written */
    int64_t unchanged; /* points that were stored already */
    int64_t batches;   /* batches committed (those with nothing new write nothing) */
    vos_ingest_problem *problems; /* the first VOS_INGEST_PROBLEMS_MAX problems, by line */
    size_t n_problems;
    size_t more;       /* problems found beyond those kept */
    int64_t *accounts; /* the accounts that received new points, ascending (e.g. to
                          evaluate their alerts) */
    size_t n_accounts;
} vos_ingest_report;

void vos_ingest_report_free(vos_ingest_report *rep);

/* A batch that was committed (or found to hold nothing new). */
typedef struct vos_ingest_batch {
    int64_t number;     /* 1, 2, ... */
    int64_t first_line; /* lines of its first and last rows */
    int64_t last_line;
    size_t rows, added, unchanged;
    int64_t ingestion_id; /* 0 when nothing was new (nothing was written) */
} vos_ingest_batch;

/* Where the bytes come from: `read` fills buf with up to `size` bytes and sets *got (0 at the
 * end); `rewind` starts again from the first byte, for the second reading of a file larger
 * than one batch (NULL: the source cannot, and such a file is refused with VOS_ETOOLARGE).
 * Both return 0 or a negative VOS_E* code with vos_error_set. */
typedef struct vos_ingest_source {
    int (*read)(void *ctx, char *buf, size_t size, size_t *got);
    int (*rewind)(void *ctx);
    void *ctx;
} vos_ingest_source;

typedef struct vos_ingest_options {
    const char *label; /* of each ingestion (NULL: none); a file of several batches labels
                          them "LABEL lines A-B" */
    size_t batch;      /* rows per transaction, 1..VOS_MEASUREMENT_BATCH_MAX (0: the most) */
    int64_t max_rows;  /* refuse a file of more rows with VOS_ETOOLARGE (0: no limit) */
    int64_t now_ms;    /* the time "now" for the check of future stamps, in milliseconds
                          since 1970 UTC (0: the clock) */
    /* Called after each batch is committed (or found to hold nothing new). */
    void (*on_batch)(void *ctx, const vos_ingest_batch *b);
    /* Called every VOS_INGEST_PROGRESS_ROWS rows read, with the rows and bytes so far and
     * the reading (1: checking, 2: writing). */
    void (*on_progress)(void *ctx, int reading, int64_t rows, uint64_t bytes);
    void *ctx;
} vos_ingest_options;

#define VOS_INGEST_PROGRESS_ROWS 65536

/* Reads a measurement file from `src` as `who` and writes its rows (see the top of this
 * header).  Roles: those of vos_app_measurement_add.  OUT: *rep (rows, added, unchanged,
 * batches, problems).  Returns 0 when every row is stored; VOS_EINVALID when the file has bad
 * rows (rep->problems; nothing written) or no rows; VOS_ETOOLARGE beyond opt->max_rows;
 * VOS_ECONFLICT when a row's point is stored with another value (the problem names its line;
 * the batches before it stay written, its own batch is not); VOS_EFORBIDDEN; VOS_ERROR for
 * I/O.  vos_error_last() gives one sentence about the whole. */
int vos_app_measurement_ingest(vos_app *app, const vos_actor *who, const vos_ingest_source *src,
                               const vos_ingest_options *opt, vos_ingest_report *rep);

/* ---- fields, without the store ---- */

/* The UTC stamp of an ISO 8601 time: YYYY-MM-DD (midnight UTC), or
 * YYYY-MM-DDTHH:MM[:SS[.f...]] followed by Z or +HH:MM / -HH:MM (a space may stand for the T;
 * fractions beyond milliseconds are cut).  It must fall in the years VOS_INGEST_YEAR_MIN to
 * VOS_INGEST_YEAR_MAX (UTC) and at most VOS_INGEST_FUTURE_S after `now_ms`.  OUT: out
 * ("YYYY-MM-DDTHH:MM:SS.mmmZ"), *ms (may be NULL: milliseconds since 1970).  Returns 0, or
 * VOS_EINVALID with `why` (e.g. "is not a date or time (...)", "is before 1970", "is more
 * than a day in the future"). */
int vos_ingest_time(char out[VOS_STAMP_SIZE], int64_t *ms, const char *text, int64_t now_ms,
                    char *why, size_t why_size);

/* A finite decimal number: [+-]digits[.digits][(e|E)[+-]digits] (digits on at least one side
 * of the point).  Returns 0, or VOS_EINVALID with `why` ("is not a number", "is out of
 * range"). */
int vos_ingest_value(double *out, const char *text, char *why, size_t why_size);

/* The columns of a header record: map[c] is the field index of column c.  Names are compared
 * without case and surrounding blanks.  Returns 0, or VOS_EINVALID with one problem per
 * unknown, repeated or missing column added to rep. */
int vos_ingest_header(int map[VOS_INGEST_COLUMNS], const vos_csv_record *rec,
                      vos_ingest_report *rep);

/* The last good time a reading met, as written and as a stamp: the rows of a telemetry file
 * share their time series by series (every series at one hour, then the next), and a time
 * equal to the one before is then not read again.  Zero it before the first row; one per
 * reading (and thread). */
typedef struct vos_ingest_memo {
    char text[VOS_STAMP_SIZE + 16]; /* "" when none; longer times are not kept */
    char stamp[VOS_STAMP_SIZE];
} vos_ingest_memo;

/* The text of each column of a data record, trimmed of surrounding blanks (in place), checked
 * as far as it can be without the store: the number of fields, an empty account, KPI or
 * source, the time and the value.  Problems are added to rep with the record's line.  memo
 * (may be NULL) spares reading a time equal to the last good one again (with the same
 * now_ms).  OUT: text[c] (pointers into the record), stamp, *value.  Returns 0 when the row
 * is good so far, VOS_EINVALID when it is not, VOS_ENOMEM. */
int vos_ingest_row_parse(const vos_csv_record *rec, const int map[VOS_INGEST_COLUMNS],
                         size_t n_columns, int64_t now_ms, vos_ingest_memo *memo,
                         const char *text[VOS_INGEST_COLUMNS], char stamp[VOS_STAMP_SIZE],
                         double *value, vos_ingest_report *rep);

/* Adds a problem to rep (kept while fewer than VOS_INGEST_PROBLEMS_MAX, else counted).
 * Returns VOS_EINVALID, or VOS_ENOMEM. */
int vos_ingest_problem_add(vos_ingest_report *rep, int64_t line, const char *field, const char *fmt,
                           ...) __attribute__((format(printf, 4, 5)));

#endif
