/* Internals of the store shared by the generic layer and the backends. */
#ifndef VOS_STORE_INT_H
#define VOS_STORE_INT_H

#include "vos/jsonw.h"
#include "vos/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The SHA-256 of an ingestion's points, computed while they are inserted (store.c). */
typedef struct store_points store_points;

struct vos_store {
    vos_store_backend *be;
    int txn; /* STORE_TXN_* this handle opened */
    store_points *points; /* of the ingestion created in the open transaction, or NULL */
    size_t puts;          /* measurements put in the open transaction */
    /* the id range of the points of one ingestion inserted in the open transaction and not
     * recorded yet (ingestion_id 0: none); recorded before a point of another ingestion, a
     * read of an ingestion's points, and the commit */
    struct {
        int64_t ingestion_id, first, last;
    } range;
};

enum { STORE_TXN_NONE = 0, STORE_TXN_READ, STORE_TXN_WRITE };

/* Backends: each opens `location` (the URL after "<scheme>:").  OUT: *out. */
int vos_store_sqlite_open(vos_store_backend **out, const char *location);
int vos_store_postgres_open(vos_store_backend **out, const char *location);

/* ---- generic operations (store.c), shared with audit.c ---- */

/* A buffer that holds any row (validated copies live on the stack in it). */
typedef union vos_any_row {
    vos_organisation_row organisation;
    vos_user_row user;
    vos_account_row account;
    vos_model_row model;
    vos_model_version_row model_version;
    vos_benchmark_row benchmark;
    vos_case_row case_;
    vos_commitment_row commitment;
    vos_commitment_kpi_row commitment_kpi;
    vos_ingestion_row ingestion;
    vos_measurement_row measurement;
    vos_proof_point_row proof_point;
    vos_alert_row alert;
    vos_api_token_row api_token;
    vos_webhook_row webhook;
    vos_assessment_row assessment;
    vos_assessment_answer_row assessment_answer;
    vos_audit_row audit;
} vos_any_row;

/* VOS_ERROR unless a write transaction of this handle is open and still alive. */
int vos_store_need_write(vos_store *st, const char *what);
/* Lists rows of def by a query (NULL = first page), validating it.  `order_by` NULL = id.
 * OUT: *rows, *n (vos_rows_free). */
int vos_store_rows(vos_store *st, const vos_entity_def *def, const vos_store_query *q,
                   const char *order_by, void **rows, size_t *n);
/* The canonical JSON of a row already read.  OUT: *out (caller frees). */
int vos_store_row_snapshot(vos_store *st, const vos_entity_def *def, const void *row, char **out);

/* ---- the id ranges of ingestions (store.c) ---- */

/* Measurement `r` (given its id) was just inserted in the open write transaction: widens the
 * range of its ingestion, recording the pending range of another ingestion first. */
int vos_store_range_note(vos_store *st, const vos_measurement_row *r);
/* Records the pending range, if any. */
int vos_store_range_flush(vos_store *st);
/* Both backends' check: the first measurement outside the recorded range of its ingestion,
 * as "measurement ID of ingestion ID" (no row: none). */
#define VOS_STORE_RANGE_CHECK_SQL                                                                  \
    "SELECT 'measurement ' || m.id || ' of ingestion ' || m.ingestion_id "                         \
    "FROM measurements m LEFT JOIN ingestion_ranges r ON r.ingestion_id = m.ingestion_id "         \
    "WHERE r.ingestion_id IS NULL OR m.id < r.first_id OR m.id > r.last_id LIMIT 1"
/* The problem the check reports for `found` (the text of VOS_STORE_RANGE_CHECK_SQL). */
#define VOS_STORE_RANGE_PROBLEM "%s lies outside the id range recorded for its ingestion"

/* ---- the points of an ingestion, hashed while inserted (points.c) ---- */

/* Forgets the digest (the transaction ended). */
void vos_points_drop(vos_store *st);
/* Ingestion `ingestion_id` was just created in the open write transaction: it has no points. */
void vos_points_start(vos_store *st, int64_t ingestion_id);
/* Measurement `r` (as validated and given its id) was just inserted. */
void vos_points_add(vos_store *st, const vos_measurement_row *r);
/* 1 with *count and hex (the "points" and "points_sha256" of the ingestion's snapshot) when
 * the digest covers every point of the ingestion; 0 when the points must be read back. */
int vos_points_digest(vos_store *st, int64_t ingestion_id, int64_t *count,
                      char hex[VOS_SHA256_HEX_SIZE]);

/* ---- rows (row.c) ---- */

static inline void *field_ptr(void *row, const vos_field_def *f)
{
    return (char *)row + f->offset;
}
static inline const void *field_cptr(const void *row, const vos_field_def *f)
{
    return (const char *)row + f->offset;
}

/* The field of `def` named `name`, or NULL. */
const vos_field_def *vos_row_field(const vos_entity_def *def, const char *name);
/* True when def has a field of the type. */
const vos_field_def *vos_row_field_of_type(const vos_entity_def *def, vos_field_type type);
/* Frees the text fields of one row (not the row itself). */
void vos_row_clear(const vos_entity_def *def, void *row);
/* Frees rows[0..n) and the array. */
void vos_rows_free(const vos_entity_def *def, void *rows, size_t n);
/* Checks every field a write stores (formats, lengths, ranges, enums, references given);
 * VOS_EINVALID naming the entity and field. */
int vos_row_validate(const vos_entity_def *def, const void *row);
/* Sets the digest fields from their sources. */
void vos_row_derive(const vos_entity_def *def, void *row);
/* Normalises optional text "" to none (NULL) in a shallow copy: the caller's strings are
 * untouched.  `copy` must be def->size bytes. */
void vos_row_normalise(const vos_entity_def *def, const void *row, void *copy);
/* Writes the canonical JSON object of a row into w, leaving it open for more keys: the
 * caller closes it with vos_jw_end. */
void vos_row_json_open(const vos_entity_def *def, const void *row, vos_jw *w);
/* Validates one text value by format; `what` names it in messages ("account name"). */
int vos_text_check(const char *s, vos_text_format format, size_t max, const char *entity,
                   const char *field);
/* The enum name of a field's value, or NULL when out of range. */
const char *vos_row_enum_name(const vos_field_def *f, int v);

/* ---- constraints (schema.c) ---- */

typedef struct vos_constraint_msg {
    const char *name; /* constraint or trigger name */
    int code;         /* VOS_EINVALID or VOS_ECONFLICT */
    int with_id;      /* prefix the message with "<entity> <id> " */
    const char *message;
} vos_constraint_msg;

/* The message for a named constraint, or NULL when it has none of its own. */
const vos_constraint_msg *vos_constraint_find(const char *name);

/* ---- migrations (row.c) ---- */

/* Joins NULL-terminated lines (an embedded migration) into one string.  OUT: *out (caller
 * frees). */
int vos_lines_join(const char *const *lines, char **out);

/* ---- digests (row.c) ---- */

/* Lower-case hex SHA-256 of `len` bytes. */
void vos_sha256_hex(char out[VOS_SHA256_HEX_SIZE], const void *data, size_t len);
/* Whether s is 64 lower-case hex digits. */
bool vos_is_sha256_hex(const char *s);

#endif
