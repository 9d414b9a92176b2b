/* A streaming CSV reader (RFC 4180).
 *
 * Bytes go in by chunks of any size (vos_csv_feed, then vos_csv_finish at the end); each
 * complete record comes out through a callback, with the line it starts on.  The reader
 * follows RFC 4180 and what spreadsheets write:
 *   - fields are separated by ',' and records by CRLF, LF or a lone CR;
 *   - a field may be quoted with '"'; inside quotes ',', line breaks and doubled quotes ("")
 *     are data; spaces and tabs before an opening quote and after a closing one are ignored;
 *   - a UTF-8 byte order mark (EF BB BF) at the very start is dropped;
 *   - empty lines are skipped (a record of one empty field is written as "");
 *   - the last record may end without a line break.
 * Lines are counted from 1; a line break inside a quoted field counts, so every record knows
 * the line of the file it starts on.
 *
 * A malformed record (a quote inside an unquoted field, text after a closing quote, a NUL
 * byte, a field or record over its limit, too many fields, a quoted field not closed at the
 * end) is passed to the callback with `error` set and no fields; the reader then goes on with
 * the next record, so that a caller can report every bad record of a file in one run.
 * Memory is bounded by the limits: a reader never holds more than one record. */
#ifndef VOS_CSV_H
#define VOS_CSV_H

#include <stddef.h>
#include <stdint.h>

#define VOS_CSV_ERROR_MAX 160 /* bytes of a record's error message */

typedef struct vos_csv vos_csv;

/* Limits of one reader; 0 takes the default of vos/limits.h (VOS_CSV_FIELD_MAX,
 * VOS_CSV_RECORD_MAX, VOS_CSV_FIELDS_MAX). */
typedef struct vos_csv_limits {
    size_t field_max;  /* bytes of one field */
    size_t record_max; /* bytes of one record, its fields together */
    size_t fields_max; /* fields of one record */
} vos_csv_limits;

/* One record as the callback sees it (borrowed: valid during the call only).  Each field is
 * NUL-terminated (fields never contain a NUL byte) and may be changed in place, within its
 * length. */
typedef struct vos_csv_record {
    int64_t line;      /* the line the record starts on, from 1 */
    size_t n;          /* fields; 0 when error is set */
    char **field;      /* field[0..n) */
    const size_t *len; /* len[i]: bytes of field[i] */
    const char *error; /* NULL, or why the record is malformed (no line number in it) */
} vos_csv_record;

/* Called for every record.  A non-zero return stops the reader: vos_csv_feed and
 * vos_csv_finish return that value, and the reader must be reset before further use. */
typedef int (*vos_csv_record_fn)(void *ctx, const vos_csv_record *rec);

/* A new reader calling `fn(ctx, record)`; `limits` may be NULL (defaults).  OUT: *out, freed
 * with vos_csv_free.  VOS_ENOMEM. */
int vos_csv_new(vos_csv **out, const vos_csv_limits *limits, vos_csv_record_fn fn, void *ctx);
void vos_csv_free(vos_csv *c);

/* Reads `len` more bytes.  Returns 0, the callback's non-zero value, or VOS_ENOMEM. */
int vos_csv_feed(vos_csv *c, const char *data, size_t len);
/* Ends the input: the last record (one without a line break after it) is passed on, and a
 * quoted field still open is an error record.  Returns as vos_csv_feed.  After it, the
 * reader must be reset before it reads again. */
int vos_csv_finish(vos_csv *c);
/* Back to the state of a new reader (line 1, a byte order mark may come), to read the same
 * or another input again; the limits and the callback stay. */
void vos_csv_reset(vos_csv *c);

/* Lines and bytes read so far (the bytes include a dropped byte order mark). */
int64_t vos_csv_lines(const vos_csv *c);
uint64_t vos_csv_bytes(const vos_csv *c);

#endif
