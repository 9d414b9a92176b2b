/* The store: persistence of VOS entities behind one interface.
 *
 * A store is opened from a URL whose scheme picks the backend:
 *
 *     vos_store *st;
 *     if (vos_store_open(&st, "sqlite:vos.db") < 0) ... vos_error_last() ...
 *
 * The store holds data only; rules of the domain (who may do what, which stage may follow
 * which) live in the app layer.  The database still guards its own consistency: enums,
 * formats, ranges, uniqueness, references, the immutability of an approved model version, a
 * commitment or an audit record.  Every violation is an error that names the entity and the
 * field ("account name 'Acme' already exists"), and a failed operation changes nothing.
 *
 * Transactions.  The caller opens them: writes are only accepted between vos_store_begin and
 * vos_store_commit / vos_store_rollback, so that a change and its audit record are one unit.
 * begin waits for another writer (up to VOS_STORE_BUSY_TIMEOUT_MS) and then fails with
 * VOS_ECONFLICT "database is busy".  Reads work inside or outside a transaction.  One store
 * handle serves one thread at a time; open one handle per thread or process.
 *
 * Rows.  Each entity has a plain struct (vos_<entity>_row).  Its first fields are set by the
 * store: `id` on create, `revision` (1 on create, +1 on every update), `created_at` and
 * `updated_at`.  Optional fields use a marker for "none": NULL text, 0 for a reference,
 * NAN for a number; optional text given as "" is stored as none.  Rows passed to create and
 * update are only read, except for the store-set fields, which are written back.  Rows
 * returned by get and list belong to the caller and are released with the _free functions.
 *
 * Optimistic concurrency.  update and delete take the revision the caller read; if the row
 * changed since, they fail with VOS_ESTALE and change nothing.
 *
 * Audit.  vos_store_audit_append records who did what to which entity, with the entity's
 * canonical JSON before and after, chained by SHA-256 (docs/internals/store.md gives the
 * exact format).  vos_store_audit_verify walks the chain and compares every entity with its
 * last audit record, so an edit made behind VOS's back (e.g. in the sqlite3 shell) is found. */
#ifndef VOS_STORE_H
#define VOS_STORE_H

#include "vos/realization.h"
#include "vos/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VOS_STAMP_SIZE 25      /* "2026-01-31T12:00:00.000Z" (UTC, milliseconds) and a NUL */
#define VOS_SHA256_HEX_SIZE 65 /* 64 lower-case hex digits and a NUL */

typedef struct vos_store vos_store;

/* ---- opening -------------------------------------------------------------------------------- */

/* Opens the store at `url` and brings its schema up to date (numbered migrations, each in its
 * own transaction).  Schemes:
 *   sqlite:PATH          a SQLite file (created if missing), e.g. "sqlite:vos.db"
 *   sqlite:file:URI      a SQLite URI filename, e.g. "sqlite:file:vos.db?busy_timeout=200"
 *                        (busy_timeout in milliseconds overrides VOS_STORE_BUSY_TIMEOUT_MS)
 * OUT: *out, closed with vos_store_close.  Errors: VOS_EINVALID (malformed URL, unknown
 * scheme), VOS_ECONFLICT (the database was made by a newer VOS), VOS_ERROR (cannot open,
 * not a database, I/O). */
int vos_store_open(vos_store **out, const char *url);

/* Rolls back an open transaction and closes the store.  NULL is a no-op. */
void vos_store_close(vos_store *st);

/* The schema version of the open database (the number of the last migration applied). */
int vos_store_schema_version(vos_store *st);

/* ---- transactions --------------------------------------------------------------------------- */

/* Opens a write transaction, waiting for other writers.  Errors: VOS_ECONFLICT (busy, or a
 * transaction is already open on this handle), VOS_ERROR (I/O). */
int vos_store_begin(vos_store *st);
/* Makes the transaction durable: once this returns 0 it survives a crash or power loss.  On
 * failure (e.g. a disk I/O error) the transaction is rolled back and nothing of it is
 * visible. */
int vos_store_commit(vos_store *st);
/* Discards the transaction.  A no-op when none is open. */
int vos_store_rollback(vos_store *st);

/* The current time as the store writes it: "YYYY-MM-DDTHH:MM:SS.mmmZ", UTC. */
void vos_store_now(char out[VOS_STAMP_SIZE]);

/* ---- entities ------------------------------------------------------------------------------- */

typedef enum vos_entity {
    VOS_ENTITY_ORGANISATION = 0,
    VOS_ENTITY_USER,
    VOS_ENTITY_ACCOUNT,
    VOS_ENTITY_MODEL,
    VOS_ENTITY_MODEL_VERSION,
    VOS_ENTITY_BENCHMARK,
    VOS_ENTITY_CASE,
    VOS_ENTITY_COMMITMENT,
    VOS_ENTITY_COMMITMENT_KPI,
    VOS_ENTITY_INGESTION,
    VOS_ENTITY_MEASUREMENT,
    VOS_ENTITY_PROOF_POINT,
    VOS_ENTITY_ALERT,
    VOS_ENTITY_API_TOKEN,
    VOS_ENTITY_WEBHOOK,
    VOS_ENTITY_ASSESSMENT,
    VOS_ENTITY_ASSESSMENT_ANSWER
} vos_entity;
#define VOS_ENTITY_COUNT 17

/* "organisation", "user", "account", "model", "model_version", "benchmark", "case",
 * "commitment", "commitment_kpi", "ingestion", "measurement", "proof_point", "alert",
 * "api_token", "webhook", "assessment", "assessment_answer". */
const char *vos_entity_name(vos_entity e);
/* OUT: *out.  VOS_EINVALID when `name` is not an entity name. */
int vos_entity_parse(vos_entity *out, const char *name);

/* Enumerations stored by name.  For each, vos_<enum>_name(v) gives the stored name (NULL when
 * v is out of range) and vos_<enum>_parse(&v, name) reads one (VOS_EINVALID otherwise). */
typedef enum vos_role {
    VOS_ROLE_ADMIN = 0,
    VOS_ROLE_VALUE_ENGINEER,
    VOS_ROLE_SELLER,
    VOS_ROLE_CSM,
    VOS_ROLE_EXECUTIVE,
    VOS_ROLE_CUSTOMER, /* scoped to one account: user.account_id is required */
    VOS_ROLE_PARTNER
} vos_role;
typedef enum vos_account_size {
    VOS_ACCOUNT_SIZE_UNSTATED = 0,
    VOS_ACCOUNT_SIZE_SMB,
    VOS_ACCOUNT_SIZE_MID_MARKET,
    VOS_ACCOUNT_SIZE_ENTERPRISE
} vos_account_size;
typedef enum vos_version_status {
    VOS_VERSION_DRAFT = 0,
    VOS_VERSION_APPROVED, /* immutable from here on */
    VOS_VERSION_RETIRED
} vos_version_status;
typedef enum vos_case_stage {
    VOS_STAGE_HYPOTHESIS = 0,
    VOS_STAGE_COMMITTED,
    VOS_STAGE_REALIZING,
    VOS_STAGE_EXPANDED,
    VOS_STAGE_LOST,
    VOS_STAGE_CLOSED
} vos_case_stage;
typedef enum vos_proof_status {
    VOS_PROOF_DRAFT = 0,
    VOS_PROOF_VALIDATED,
    VOS_PROOF_PUBLISHED
} vos_proof_status;
typedef enum vos_alert_kind {
    VOS_ALERT_DRIFT = 0,    /* a KPI drifted beyond its tolerance */
    VOS_ALERT_STALE,        /* no recent measurement */
    VOS_ALERT_FORECAST_MISS, /* the forecast misses the target */
    VOS_ALERT_MILESTONE_MISSED /* a milestone's (or the target's) date passed, not reached */
} vos_alert_kind;
typedef enum vos_alert_severity {
    VOS_SEVERITY_INFO = 0,
    VOS_SEVERITY_WARNING,
    VOS_SEVERITY_CRITICAL
} vos_alert_severity;
typedef enum vos_alert_status {
    VOS_ALERT_OPEN = 0,
    VOS_ALERT_ACKNOWLEDGED,
    VOS_ALERT_RESOLVED /* resolved_at is required */
} vos_alert_status;

#define VOS_STORE_ENUM_API(e)                                                                      \
    const char *vos_##e##_name(vos_##e v);                                                         \
    int vos_##e##_parse(vos_##e *out, const char *name);
VOS_STORE_ENUM_API(role)
VOS_STORE_ENUM_API(account_size)
VOS_STORE_ENUM_API(version_status)
VOS_STORE_ENUM_API(case_stage)
VOS_STORE_ENUM_API(trajectory)
VOS_STORE_ENUM_API(proof_status)
VOS_STORE_ENUM_API(alert_kind)
VOS_STORE_ENUM_API(alert_severity)
VOS_STORE_ENUM_API(alert_status)

/* Field formats, checked on every write:
 *   key     [a-z][a-z0-9_]*, at most VOS_ID_MAX characters (model, input and KPI ids)
 *   date    "YYYY-MM-DD", a real calendar date
 *   stamp   "YYYY-MM-DDTHH:MM:SS.mmmZ" (see vos_store_now)
 *   name    1..VOS_NAME_MAX characters, no control characters
 *   text    up to VOS_TEXT_MAX characters, newlines allowed
 * Every text must be valid UTF-8. */

/* The organisation using VOS: one row, id 1.  get fails with VOS_ENOTFOUND until created. */
typedef struct vos_organisation_row {
    int64_t id, revision;
    char created_at[VOS_STAMP_SIZE], updated_at[VOS_STAMP_SIZE];
    char *name;                /* name */
    char *currency;            /* ISO 4217 code, three capital letters ("USD") */
    int64_t fiscal_year_start; /* month 1..12 */
    double default_tolerance;  /* KPI tolerance when none is given: (0, 1], e.g. 0.1 */
    int64_t stale_after_days;  /* a KPI without measurements for longer is stale: 1..3650 */
    bool customer_measurements; /* customer users may send measurements of their account */
} vos_organisation_row;

typedef struct vos_user_row {
    int64_t id, revision;
    char created_at[VOS_STAMP_SIZE], updated_at[VOS_STAMP_SIZE];
    char *email; /* unique, compared without case; at most VOS_EMAIL_MAX characters */
    char *name;  /* name */
    vos_role role;
    int64_t account_id; /* account a customer user is scoped to; 0 = none */
    bool active;
} vos_user_row;

/* A customer of the vendor. */
typedef struct vos_account_row {
    int64_t id, revision;
    char created_at[VOS_STAMP_SIZE], updated_at[VOS_STAMP_SIZE];
    char *name;     /* name, unique without case */
    char *industry; /* name, optional */
    vos_account_size size;
    char *segments;        /* optional JSON array of segment names, e.g. ["emea","fsi"] */
    int64_t owner_user_id; /* optional */
} vos_account_row;

/* A value model; its content lives in its versions. */
typedef struct vos_model_row {
    int64_t id, revision;
    char created_at[VOS_STAMP_SIZE], updated_at[VOS_STAMP_SIZE];
    char *key;         /* key, unique: the `model:` id of the YAML */
    char *name;        /* name */
    char *description; /* text, optional */
} vos_model_row;

/* One version of a model: draft -> approved -> retired.  Once approved, model_id, version
 * and source never change, the status only moves forward, and the row cannot be deleted. */
typedef struct vos_model_version_row {
    int64_t id, revision;
    char created_at[VOS_STAMP_SIZE], updated_at[VOS_STAMP_SIZE];
    int64_t model_id;          /* fixed at create */
    char *version;             /* semantic version "1.2.0", unique per model */
    vos_version_status status; /* approved needs approved_at; retired also retired_at */
    char *source; /* the model text (YAML or JSON), at most VOS_MODEL_BYTES_MAX bytes */
    char content_sha256[VOS_SHA256_HEX_SIZE]; /* SHA-256 of source, set by the store */
    int64_t created_by, approved_by;          /* users, optional */
    char *approved_at, *retired_at;           /* stamps, optional */
} vos_model_version_row;

/* A reference value for a model input, by industry and segment. */
typedef struct vos_benchmark_row {
    int64_t id, revision;
    char created_at[VOS_STAMP_SIZE], updated_at[VOS_STAMP_SIZE];
    char *input_key; /* key of the input it informs */
    char *industry;  /* name, optional: none = every industry */
    char *segment;   /* name, optional: none = every segment */
    double value;
    double low, high; /* optional range, low <= value <= high */
    char *unit;       /* unit text as in a model ("USD/h"), optional */
    char *source;     /* text: where the number comes from */
    char *as_of;      /* date of the source */
} vos_benchmark_row;
/* Unique: (input_key, industry, segment, source, as_of). */

/* A business case for an account, pinned to one model version, overriding inputs only. */
typedef struct vos_case_row {
    int64_t id, revision;
    char created_at[VOS_STAMP_SIZE], updated_at[VOS_STAMP_SIZE];
    int64_t account_id;       /* fixed at create */
    int64_t model_version_id; /* the pinned version (re-basing changes it explicitly) */
    char *name;               /* name, unique per account without case */
    vos_case_stage stage;
    char *overrides;        /* JSON object of input overrides keyed by input id; "{}" if none */
    int64_t owner_user_id;  /* optional */
    int64_t parent_case_id; /* the case this one expands, optional */
} vos_case_row;

/* The frozen snapshot of a case at commitment: cannot be updated or deleted. */
typedef struct vos_commitment_row {
    int64_t id;
    char created_at[VOS_STAMP_SIZE];
    int64_t case_id;                           /* unique: one commitment per case */
    char *snapshot;                            /* JSON object */
    char snapshot_sha256[VOS_SHA256_HEX_SIZE]; /* SHA-256 of snapshot, set by the store */
    int64_t committed_by;                      /* user, optional */
} vos_commitment_row;

/* A KPI committed to: baseline, target, trajectory between them, tolerance, owner. */
typedef struct vos_commitment_kpi_row {
    int64_t id, revision;
    char created_at[VOS_STAMP_SIZE], updated_at[VOS_STAMP_SIZE];
    int64_t commitment_id; /* fixed at create */
    char *kpi_key;         /* key, unique per commitment, fixed at create */
    char *unit;            /* unit text, optional */
    double baseline_value;
    char *baseline_date; /* date */
    double target_value; /* differs from baseline_value */
    char *target_date;   /* date after baseline_date */
    vos_trajectory trajectory;
    double tolerance;      /* fraction (0, 1], e.g. 0.1 */
    int64_t owner_user_id; /* optional */
    char *data_source;     /* text, optional */
} vos_commitment_kpi_row;

/* One batch of measurements, written in one transaction.  Its audit snapshot includes the
 * number of its measurements and a SHA-256 over them, so the audit log covers every point. */
typedef struct vos_ingestion_row {
    int64_t id;
    char created_at[VOS_STAMP_SIZE];
    char *label;        /* text, optional (e.g. the file name) */
    int64_t created_by; /* user, optional */
} vos_ingestion_row;

/* One observed KPI value; unique on (account_id, kpi_key, at, source); never updated. */
typedef struct vos_measurement_row {
    int64_t id;
    int64_t ingestion_id;
    int64_t account_id;
    char *kpi_key; /* key */
    char *at;      /* stamp */
    double value;  /* finite */
    char *source;  /* name of the data source */
} vos_measurement_row;

typedef struct vos_proof_point_row {
    int64_t id, revision;
    char created_at[VOS_STAMP_SIZE], updated_at[VOS_STAMP_SIZE];
    int64_t account_id; /* fixed at create */
    int64_t case_id;    /* optional */
    char *kpi_key;      /* key, optional */
    char *title;        /* name */
    char *statement;    /* text, optional */
    double value;       /* optional */
    char *unit;         /* optional */
    char *evidence;     /* text, optional */
    vos_proof_status status;
} vos_proof_point_row;

/* At most one alert of a kind is not yet resolved per (account, case, KPI). */
typedef struct vos_alert_row {
    int64_t id, revision;
    char created_at[VOS_STAMP_SIZE], updated_at[VOS_STAMP_SIZE];
    int64_t account_id; /* fixed at create */
    int64_t case_id;    /* optional */
    char *kpi_key;      /* key, optional */
    vos_alert_kind kind;
    vos_alert_severity severity;
    vos_alert_status status;
    char *message;     /* text */
    char *resolved_at; /* stamp, required exactly when status is resolved */
} vos_alert_row;

/* An API token of a user for integrations (Authorization: Bearer).  The secret itself is
 * never stored.  Audited; never deleted (revoking sets revoked_at). */
typedef struct vos_api_token_row {
    int64_t id, revision;
    char created_at[VOS_STAMP_SIZE], updated_at[VOS_STAMP_SIZE];
    int64_t user_id;                         /* fixed at create */
    char *name;                              /* name, unique per user among tokens */
    char *prefix;                            /* the secret's first 8 characters, to recognise it */
    char secret_sha256[VOS_SHA256_HEX_SIZE]; /* unique; fixed at create */
    char *revoked_at;                        /* stamp, optional */
} vos_api_token_row;

/* A receiver of events (alerts raised and resolved), POSTed to its URL and signed with its
 * secret (docs/alerts-and-webhooks.md).  The secret itself lives outside the audited row
 * (vos_store_webhook_secret_set); the row keeps its SHA-256.  Audited; may be deleted (its
 * secret and undelivered events go with it). */
typedef struct vos_webhook_row {
    int64_t id, revision;
    char created_at[VOS_STAMP_SIZE], updated_at[VOS_STAMP_SIZE];
    char *url;                               /* url: http:// or https:// */
    char *events;                            /* JSON array of event names; [] = every event */
    bool active;                             /* inactive webhooks are sent nothing */
    char secret_sha256[VOS_SHA256_HEX_SIZE]; /* SHA-256 of the signing secret; fixed */
    int64_t created_by;                      /* user, optional; fixed */
} vos_webhook_row;

/* A maturity self-assessment against a blueprint (docs/maturity.md); its answers are
 * assessment_answer rows.  Like a commitment, never updated or deleted. */
typedef struct vos_assessment_row {
    int64_t id;
    char created_at[VOS_STAMP_SIZE];
    char *taken_at;            /* date the assessment stands for */
    int64_t taken_by;          /* user, optional (none: the system) */
    char *blueprint;           /* the blueprint's id, model-id format */
    char *blueprint_version;   /* semantic version */
    int64_t target_stage;      /* 1..5 */
    char *notes;               /* text, optional */
} vos_assessment_row;

/* The stage chosen for one dimension; unique on (assessment_id, dimension_key); never
 * updated or deleted. */
typedef struct vos_assessment_answer_row {
    int64_t id;
    char created_at[VOS_STAMP_SIZE];
    int64_t assessment_id;
    char *dimension_key; /* key of a dimension of the blueprint */
    int64_t stage;       /* 1..5 */
    char *evidence;      /* text, optional */
} vos_assessment_answer_row;

/* ---- queries -------------------------------------------------------------------------------- */

typedef enum vos_store_cmp { VOS_CMP_EQ = 0, VOS_CMP_GE, VOS_CMP_LT } vos_store_cmp;

/* One condition "<field> <cmp> <value>".  The value is read by the field's type: `i` for
 * integers, references, booleans and enums; `r` for numbers; `s` for text (NULL = none:
 * matches rows where the field is none; only with VOS_CMP_EQ). */
typedef struct vos_store_filter {
    const char *field;
    vos_store_cmp cmp;
    int64_t i;
    double r;
    const char *s;
} vos_store_filter;

/* A page of rows.  Rows come in ascending id order, starting after `after_id` (the cursor:
 * pass the last id of the previous page); `descending` reverses the order (then only ids
 * below after_id, unless it is 0).  `limit` 0 means VOS_STORE_PAGE_DEFAULT; more than
 * VOS_STORE_PAGE_MAX is capped.  A NULL query means the first default page. */
typedef struct vos_store_query {
    int64_t after_id;
    size_t limit;
    bool descending;
    vos_store_filter where[VOS_STORE_FILTERS_MAX];
    size_t n_where;
} vos_store_query;

/* ---- rows: create, get, update, delete, list ------------------------------------------------ */

/* For each entity E (row type vos_E_row):
 *
 *   vos_store_E_create(st, row)      inserts; sets row->id, the revision and the stamps.
 *                                    VOS_EINVALID (a field is malformed or refers to nothing),
 *                                    VOS_ECONFLICT (unique key taken).
 *   vos_store_E_get(st, &out, id)    OUT: *out, freed with vos_E_row_free.  VOS_ENOTFOUND.
 *   vos_store_E_update(st, row)      writes every field but the fixed ones where id and
 *                                    revision match; advances row->revision and updated_at.
 *                                    VOS_ENOTFOUND, VOS_ESTALE (stale revision), VOS_ECONFLICT
 *                                    (frozen row).
 *   vos_store_E_delete(st, id, rev)  VOS_ENOTFOUND, VOS_ESTALE (stale revision), VOS_ECONFLICT
 *                                    (frozen row, or still referred to: the message names the
 *                                    referrer).
 *   vos_store_E_list(st, &rows, &n, q)  OUT: rows[0..n) freed with vos_E_rows_free.
 *                                    VOS_EINVALID for an unknown filter field.
 *
 * Writes need an open transaction (vos_store_begin).  Entities that are never updated or
 * deleted (commitment, ingestion, measurement; the organisation is never deleted) do not
 * have those functions. */
#define VOS_STORE_ROW_READ_API(E)                                                                  \
    int vos_store_##E##_create(vos_store *st, vos_##E##_row *row);                                 \
    int vos_store_##E##_get(vos_store *st, vos_##E##_row **out, int64_t id);                       \
    int vos_store_##E##_list(vos_store *st, vos_##E##_row **out, size_t *n,                        \
                             const vos_store_query *q);                                            \
    void vos_##E##_row_free(vos_##E##_row *row);                                                   \
    void vos_##E##_rows_free(vos_##E##_row *rows, size_t n);
#define VOS_STORE_ROW_UPDATE_API(E)                                                                \
    VOS_STORE_ROW_READ_API(E)                                                                      \
    int vos_store_##E##_update(vos_store *st, vos_##E##_row *row);
#define VOS_STORE_ROW_API(E)                                                                       \
    VOS_STORE_ROW_UPDATE_API(E)                                                                    \
    int vos_store_##E##_delete(vos_store *st, int64_t id, int64_t revision);

VOS_STORE_ROW_UPDATE_API(organisation)
VOS_STORE_ROW_API(user)
VOS_STORE_ROW_API(account)
VOS_STORE_ROW_API(model)
VOS_STORE_ROW_API(model_version)
VOS_STORE_ROW_API(benchmark)
VOS_STORE_ROW_API(case)
VOS_STORE_ROW_READ_API(commitment)
VOS_STORE_ROW_API(commitment_kpi)
VOS_STORE_ROW_READ_API(ingestion)
VOS_STORE_ROW_READ_API(measurement)
VOS_STORE_ROW_API(proof_point)
VOS_STORE_ROW_API(alert)
VOS_STORE_ROW_UPDATE_API(api_token)
VOS_STORE_ROW_API(webhook)
VOS_STORE_ROW_READ_API(assessment)
VOS_STORE_ROW_READ_API(assessment_answer)
int vos_store_api_token_by_secret(vos_store *st, vos_api_token_row **out,
                                  const char secret_sha256[VOS_SHA256_HEX_SIZE]);

/* ---- credentials, sessions, idempotency keys: not entities, never audited ----------------- */

/* The argon2id hash of a user's password (crypto_pwhash_str format); NULL clears it.
 * Writes need a transaction. */
int vos_store_password_set(vos_store *st, int64_t user_id, const char *hash);
/* OUT: *hash (caller frees).  VOS_ENOTFOUND when the user has no password. */
int vos_store_password_get(vos_store *st, int64_t user_id, char **hash);

/* Sessions by the SHA-256 of their secret. */
int vos_store_session_create(vos_store *st, const char secret_sha256[VOS_SHA256_HEX_SIZE],
                             int64_t user_id, const char *expires_at);
/* OUT: *user_id, expires_at.  VOS_ENOTFOUND (also when expired at `now`). */
int vos_store_session_find(vos_store *st, const char secret_sha256[VOS_SHA256_HEX_SIZE],
                           const char *now, int64_t *user_id, char expires_at[VOS_STAMP_SIZE]);
int vos_store_session_delete(vos_store *st, const char secret_sha256[VOS_SHA256_HEX_SIZE]);
/* Removes every session of a user (user_id > 0) and every expired one. */
int vos_store_session_purge(vos_store *st, int64_t user_id, const char *now);

/* Idempotency keys (scope = the actor's name).  status 0 = reserved, in progress. */
typedef struct vos_idempotency_row {
    char *scope, *key, *method, *path;
    char request_sha256[VOS_SHA256_HEX_SIZE];
    int status;
    char *content_type, *body; /* NULL while reserved */
    char created_at[VOS_STAMP_SIZE];
} vos_idempotency_row;
void vos_idempotency_row_free(vos_idempotency_row *row);
/* Inserts a reservation; VOS_ECONFLICT when (scope, key) exists. */
int vos_store_idempotency_reserve(vos_store *st, const vos_idempotency_row *row);
int vos_store_idempotency_get(vos_store *st, vos_idempotency_row **out, const char *scope,
                              const char *key);
int vos_store_idempotency_finish(vos_store *st, const char *scope, const char *key, int status,
                                 const char *content_type, const char *body);
int vos_store_idempotency_delete(vos_store *st, const char *scope, const char *key);
/* Removes keys created before `before`. */
int vos_store_idempotency_purge(vos_store *st, const char *before);

/* ---- webhook secrets and the delivery outbox: not entities, never audited ---------------- */

/* The signing secret of a webhook: VOS_WEBHOOK_SECRET_MIN..VOS_WEBHOOK_SECRET_MAX characters
 * of visible ASCII, written once in the transaction that creates the webhook.  Writes need a
 * transaction. */
int vos_store_webhook_secret_set(vos_store *st, int64_t webhook_id, const char *secret);
/* OUT: *secret (caller frees).  VOS_ENOTFOUND. */
int vos_store_webhook_secret_get(vos_store *st, int64_t webhook_id, char **secret);

/* One event to deliver to one webhook (a delivery: its id is the X-VOS-Delivery header). */
typedef struct vos_outbox_row {
    int64_t id;                           /* set by the store */
    int64_t webhook_id;
    char *event;                          /* [a-z0-9_.]+, e.g. "alert.raised" */
    char *payload;                        /* JSON object: the body that is POSTed */
    char created_at[VOS_STAMP_SIZE];      /* set by the store */
    int64_t attempts;                     /* sends tried so far */
    char next_attempt_at[VOS_STAMP_SIZE]; /* when it is due */
    char *claimed_until;                  /* stamp: the lease of the sender, or NULL */
    char *delivered_at;                   /* stamp of the 2xx reply, or NULL */
    char *failed_at;                      /* stamp when it was given up, or NULL */
    int last_status;                      /* HTTP status of the last attempt; 0: none */
    char *last_error;                     /* why the last attempt failed, or NULL */
} vos_outbox_row;
void vos_outbox_rows_free(vos_outbox_row *rows, size_t n);

/* Adds an event for a webhook in the open transaction, due at once (attempts 0).  Sets
 * row->id, created_at and next_attempt_at.  VOS_EINVALID for a bad event name or payload,
 * or a webhook that does not exist. */
int vos_store_outbox_add(vos_store *st, vos_outbox_row *row);
/* Claims at most `max` rows due by `due_by` (next_attempt_at <= due_by; NULL: now), neither
 * delivered nor failed, and not leased at `now` (claimed_until none or <= now), the earliest
 * due first, and leases them until `until`.  Needs a write transaction; the selection and the
 * lease are one statement, so while a lease runs no other handle or process claims the row.
 * OUT: rows (with claimed_until = until), freed with vos_outbox_rows_free. */
int vos_store_outbox_claim(vos_store *st, vos_outbox_row **out, size_t *n, const char *now,
                           const char *due_by, const char *until, size_t max);

typedef enum vos_outbox_outcome {
    VOS_OUTBOX_DELIVERED = 0, /* a 2xx reply: delivered_at = at */
    VOS_OUTBOX_RETRY,         /* try again: next_attempt_at = at */
    VOS_OUTBOX_FAILED         /* given up: failed_at = at */
} vos_outbox_outcome;

/* Records one attempt of a claimed row: attempts + 1, its HTTP status (0: no reply) and
 * error (NULL for none), the outcome at stamp `at`, and ends the lease.  `attempts` is the
 * count the claim read: VOS_ESTALE when the row moved on meanwhile (its lease ran out and
 * another sender recorded an attempt), VOS_ENOTFOUND when it is gone.  Needs a
 * transaction. */
int vos_store_outbox_finish(vos_store *st, int64_t id, int64_t attempts,
                            vos_outbox_outcome outcome, int status, const char *error,
                            const char *at);
/* Rows of webhook `webhook_id` (0: of every webhook) with id > after_id, in id order, at most
 * `limit` (0: VOS_STORE_PAGE_DEFAULT; capped at VOS_STORE_PAGE_MAX).  OUT: rows. */
int vos_store_outbox_list(vos_store *st, vos_outbox_row **out, size_t *n, int64_t webhook_id,
                          int64_t after_id, size_t limit);
/* Deletes the delivered and failed rows created before `before`.  Needs a transaction. */
int vos_store_outbox_purge(vos_store *st, const char *before);
/* Makes every row of webhook `webhook_id` (0: of every webhook) that is neither delivered nor
 * failed nor leased at `now` due at `now` (e.g. once a receiver's outage is over).  Needs a
 * transaction. */
int vos_store_outbox_retry_now(vos_store *st, int64_t webhook_id, const char *now);

/* ---- leases of background jobs ------------------------------------------------------------- */

/* Takes the lease of background job `name` ([a-z0-9_.]+, e.g. "alerts.evaluate") for `holder`
 * (a process's name for itself, one line) until stamp `until`, when the job is free at stamp
 * `now`: never leased, its lease ended at or before `now`, or held by `holder` already.  Needs
 * a write transaction; the test and the lease are one statement, so of several processes that
 * share one database one runs the job at a time.  OUT: *claimed (false: another holder has
 * it, nothing written). */
int vos_store_job_claim(vos_store *st, bool *claimed, const char *name, const char *holder,
                        const char *now, const char *until);

/* ---- copying a whole installation ----------------------------------------------------------- */

/* Progress of vos_store_copy: `what` is an entity name (or "audit", "outbox", "credentials"),
 * `done` of `total` rows copied so far. */
typedef void (*vos_store_copy_progress)(void *ctx, const char *what, int64_t done, int64_t total);

/* Copies every row of `src` into `dst`, which must hold no rows yet: entities with their ids,
 * revisions and stamps, the audit log, password hashes, webhook secrets and the outbox
 * (sessions and idempotency keys are not copied: users sign in again).  Runs in one write
 * transaction of `dst` (none may be open on either handle), then checks that both hold the
 * same number of rows of every entity, the same audit head and that the audit chain of `dst`
 * verifies.  Errors: VOS_ECONFLICT (dst is not empty), VOS_ERROR; on failure dst is as it
 * was. */
int vos_store_copy(vos_store *dst, vos_store *src, vos_store_copy_progress progress, void *ctx);

/* Lookups by a unique key.  OUT: *out, freed with the row's _free.  VOS_ENOTFOUND. */
int vos_store_user_by_email(vos_store *st, vos_user_row **out, const char *email);
int vos_store_account_by_name(vos_store *st, vos_account_row **out, const char *name);
int vos_store_model_by_key(vos_store *st, vos_model_row **out, const char *key);
int vos_store_model_version_find(vos_store *st, vos_model_version_row **out, int64_t model_id,
                                 const char *version);

/* What vos_store_measurement_put did with one point. */
typedef enum vos_put_outcome {
    VOS_PUT_INSERTED = 0, /* new point, stored */
    VOS_PUT_DUPLICATE,    /* the same point (same value) was already stored: nothing written */
    VOS_PUT_CONFLICT      /* a point with the same key but another value exists: nothing
                             written; *existing holds the stored value */
} vos_put_outcome;

/* Idempotent insert of one measurement on (account_id, kpi_key, at, source).  Sets row->id
 * when inserted.  OUT: *outcome; *existing (may be NULL) the stored value on DUPLICATE or
 * CONFLICT.  The caller decides whether a conflict fails its batch.  Errors as for create. */
int vos_store_measurement_put(vos_store *st, vos_measurement_row *row, vos_put_outcome *outcome,
                              double *existing);

/* The same for rows[0..n), in order, as n calls of vos_store_measurement_put would do them:
 * row i's outcome in outcomes[i]; existing[i] (existing may be NULL) the stored value on
 * DUPLICATE or CONFLICT, where a row whose key an earlier row of the same call inserted is
 * told against that row's value; rows[i].id set when inserted, ids increasing with i.  Every
 * row is validated before anything is written.  On an error, *failed (may be NULL) is the
 * index of the row it is about (SIZE_MAX when none), the message is the one the single put
 * would give for that row, and some rows of the call may have been written: roll the
 * transaction back.  A backend with its own batched insert (PostgreSQL) writes many rows per
 * round trip. */
int vos_store_measurements_put(vos_store *st, vos_measurement_row *rows, size_t n,
                               vos_put_outcome *outcomes, double *existing, size_t *failed);

/* The measurements of one KPI of one account with from <= at < to (either may be NULL for
 * open), ordered by time.  OUT: rows[0..n), freed with vos_measurement_rows_free.
 * VOS_ETOOLARGE when more than VOS_STORE_SERIES_MAX match. */
int vos_store_measurement_series(vos_store *st, vos_measurement_row **out, size_t *n,
                                 int64_t account_id, const char *kpi_key, const char *from,
                                 const char *to);

/* One point of a series: when and what, as vos_store_measurement_points reads them. */
typedef struct vos_measurement_point {
    char at[VOS_STAMP_SIZE];
    double value;
} vos_measurement_point;

/* The same rows as vos_store_measurement_series with the same arguments, in the same order
 * (by at, then by id), but only their time and value: the cheap read of a series for
 * realization and alerts.  OUT: (*out)[0..*n), one allocation freed with free() (NULL when
 * *n is 0); on an error *out is NULL and *n 0.  VOS_ETOOLARGE (the same message) when more
 * than VOS_STORE_SERIES_MAX match. */
int vos_store_measurement_points(vos_store *st, vos_measurement_point **out, size_t *n,
                                 int64_t account_id, const char *kpi_key, const char *from,
                                 const char *to);

/* The canonical JSON of one row as the audit log records it: an object with every field in
 * declaration order (none = null, enums by name; a field added to an entity after its first
 * release, such as organisation.customer_measurements, is left out while it is false, so
 * that the records written before it existed still match); an ingestion adds "points" and
 * "points_sha256".  OUT: *out (caller frees).  VOS_ENOTFOUND. */
int vos_store_snapshot(vos_store *st, char **out, vos_entity entity, int64_t id);

/* ---- audit log ------------------------------------------------------------------------------ */

typedef struct vos_audit_row {
    int64_t seq; /* 1, 2, 3, ... without gaps */
    char at[VOS_STAMP_SIZE];
    char *actor;       /* who: a user email or a name such as "system" */
    char *operation;   /* what: e.g. "account.create", [a-z0-9_.]+ */
    char *entity_type; /* vos_entity_name of the entity written */
    int64_t entity_id;
    char *before_json; /* snapshot before the write; NULL when the entity did not exist */
    char *after_json;  /* snapshot after the write; NULL when the entity was deleted */
    char prev_hash[VOS_SHA256_HEX_SIZE]; /* hash of the previous record; 64 zeros for seq 1 */
    char hash[VOS_SHA256_HEX_SIZE];      /* SHA-256(prev_hash || record) */
} vos_audit_row;

/* Appends an audit record for a write to (entity, entity_id) made in the open transaction.
 * `before_json` is the entity's snapshot taken before the write (vos_store_snapshot; NULL
 * when it did not exist); the after snapshot is taken now (NULL when the row is gone).
 * OUT: *seq (may be NULL).  Errors: VOS_EINVALID (bad actor or operation), VOS_ERROR. */
int vos_store_audit_append(vos_store *st, int64_t *seq, const char *actor, const char *operation,
                           vos_entity entity, int64_t entity_id, const char *before_json);

/* Audit records by seq (query->after_id is a seq; filters on entity_type, entity_id, actor,
 * operation).  OUT: rows[0..n), freed with vos_audit_rows_free. */
int vos_store_audit_list(vos_store *st, vos_audit_row **out, size_t *n, const vos_store_query *q);
void vos_audit_rows_free(vos_audit_row *rows, size_t n);

typedef enum vos_audit_problem {
    VOS_AUDIT_OK = 0,
    VOS_AUDIT_GAP,      /* record `seq` is missing */
    VOS_AUDIT_LINK,     /* record `seq` does not point at the hash of the record before it */
    VOS_AUDIT_HASH,     /* record `seq` was altered: its hash does not match its content */
    VOS_AUDIT_STATE,    /* an entity differs from its last audit record `seq` (0: it has none) */
    VOS_AUDIT_INTEGRITY /* the database itself is damaged or inconsistent */
} vos_audit_problem;

typedef struct vos_audit_report {
    vos_audit_problem problem;
    int64_t records;         /* audit records checked */
    int64_t seq;             /* the first broken record; 0 when none applies */
    const char *entity_type; /* VOS_AUDIT_STATE: the entity ("account"), else NULL; static */
    int64_t entity_id;
    char head_hash[VOS_SHA256_HEX_SIZE]; /* hash of the last record ("" for an empty log) */
    char message[VOS_ERROR_MSG_MAX];     /* one sentence explaining the problem, or "" */
} vos_audit_report;

/* Checks the whole store: the database's own integrity, the audit chain record by record
 * (gaps, links, hashes), then every audited entity against its last audit record.  Stops at
 * the first problem.  OUT: *report.  Returns 0 when the check ran (report->problem says
 * whether it passed); a negative code when it could not run. */
int vos_store_audit_verify(vos_store *st, vos_audit_report *report);

/* ---- operations ----------------------------------------------------------------------------- */

/* Copies the whole database, online, into a new file at `path` (a plain file path), while
 * other handles and processes keep reading and writing: the copy is one consistent snapshot
 * of the committed data (SQLite: the backup API).  The new file opens with vos_store_open
 * ("sqlite:PATH") and verifies like the original.  It is created readable by its owner only.
 * Errors: VOS_EINVALID (empty path), VOS_ECONFLICT (`path` exists: a backup never overwrites;
 * or a transaction is open on this handle), VOS_ERROR (cannot create or write the file; a
 * partial file is removed). */
int vos_store_backup(vos_store *st, const char *path);

/* ---- backend interface ---------------------------------------------------------------------- *
 * A backend implements vos_store_backend (a versioned table of functions, as libgit2's refdb
 * backends do) over the entity descriptions below; the generic layer validates rows, sets
 * stamps and revisions, formats errors and runs the audit log, so a backend only moves rows.
 * SQLite is src/store/sqlite.c. */

typedef enum vos_field_type {
    VOS_FT_ID = 0,   /* int64_t primary key, set by the store */
    VOS_FT_REVISION, /* int64_t, set by the store */
    VOS_FT_CREATED,  /* char[VOS_STAMP_SIZE], set by the store on create */
    VOS_FT_UPDATED,  /* char[VOS_STAMP_SIZE], set by the store on create and update */
    VOS_FT_INT,      /* int64_t */
    VOS_FT_REF,      /* int64_t id of a row of `ref`; 0 = none */
    VOS_FT_REAL,     /* double; NAN = none */
    VOS_FT_BOOL,     /* bool, stored as 0 or 1 */
    VOS_FT_ENUM,     /* an int-sized enum, stored as names[value] */
    VOS_FT_TEXT,     /* char *; NULL = none */
    VOS_FT_DIGEST    /* char[VOS_SHA256_HEX_SIZE]: SHA-256 of the text field `source`
                        (without a source: a hash the store sets, as in the audit log) */
} vos_field_type;

typedef enum vos_text_format {
    VOS_TF_NAME = 0, /* one line */
    VOS_TF_TEXT,     /* free text */
    VOS_TF_DOCUMENT, /* free text measured in bytes (a model source) */
    VOS_TF_KEY,      /* [a-z][a-z0-9_]* (input, KPI and entity keys) */
    VOS_TF_EMAIL,
    VOS_TF_DATE,
    VOS_TF_STAMP,
    VOS_TF_SEMVER,
    VOS_TF_CURRENCY,
    VOS_TF_JSON_OBJECT,
    VOS_TF_JSON_ARRAY,
    VOS_TF_OPERATION, /* [a-z0-9_.]+ */
    VOS_TF_MODEL_ID,  /* [a-z0-9][a-z0-9._-]*: a model's `model:` id, as the model language */
    VOS_TF_URL        /* an http:// or https:// URL with a host, no spaces or controls */
} vos_text_format;

#define VOS_FF_OPTIONAL 1u /* may be none */
#define VOS_FF_FIXED 2u    /* set on create, never by update */
#define VOS_FF_ADDED 4u    /* added after the entity's first release: the canonical JSON leaves
                              it out while it holds its default (false, 0, none), so snapshots
                              recorded before it existed stay valid */

typedef struct vos_field_def {
    const char *name; /* column name, JSON key and the word used in messages */
    vos_field_type type;
    vos_text_format format;   /* VOS_FT_TEXT */
    unsigned flags;           /* VOS_FF_* */
    size_t offset;            /* in the row struct */
    size_t max;               /* VOS_FT_TEXT: characters (bytes for JSON and documents) */
    vos_entity ref;           /* VOS_FT_REF: the entity referred to */
    const char *const *names; /* VOS_FT_ENUM: stored names by value */
    int n_names;
    int lo, hi;         /* VOS_FT_INT: inclusive range when lo < hi */
    const char *source; /* VOS_FT_DIGEST: the text field hashed */
} vos_field_def;

typedef struct vos_unique_def {
    const char *name;      /* the constraint or index name in the schema */
    const char *fields[6]; /* the fields it spans, NULL-terminated */
    const char *taken;     /* how a clash is told: NULL for "already exists" */
} vos_unique_def;

#define VOS_EF_SINGLETON 1u    /* one row, id 1, given on create */
#define VOS_EF_NO_UPDATE 2u    /* rows are never updated */
#define VOS_EF_NO_DELETE 4u    /* rows are never deleted */
#define VOS_EF_UNAUDITED 8u    /* covered by another entity's audit snapshot */
#define VOS_EF_EXPLICIT_ID 16u /* the caller gives the id (the audit log's seq) */

typedef struct vos_entity_def {
    int entity;        /* vos_entity, or -1 for the audit log */
    const char *name;  /* "account" */
    const char *table; /* "accounts" */
    size_t size;       /* of the row struct */
    unsigned flags;    /* VOS_EF_* */
    const vos_field_def *fields;
    size_t n_fields;
    const vos_unique_def *uniques;
    size_t n_uniques;
} vos_entity_def;

/* The description of an entity (never NULL for a valid entity), and of the audit log. */
const vos_entity_def *vos_entity_def_get(vos_entity e);
const vos_entity_def *vos_audit_def_get(void);

/* A constraint that a write broke, as a backend reports it. */
typedef enum vos_fault_kind {
    VOS_FAULT_NONE = 0,
    VOS_FAULT_UNIQUE,      /* `index`: which of def->uniques (-1 when not known) */
    VOS_FAULT_CHECK,       /* `name`: the constraint or trigger name ("case.overrides") */
    VOS_FAULT_FOREIGN_KEY, /* a reference points nowhere, or a deleted row is referred to */
    VOS_FAULT_NOT_NULL     /* `name`: the field */
} vos_fault_kind;

typedef struct vos_fault {
    vos_fault_kind kind;
    int index;
    char name[VOS_NAME_MAX + 1];
} vos_fault;

#define VOS_STORE_BACKEND_VERSION 5 /* 2: credentials, sessions, idempotency keys;
                                       3: webhook secrets and the outbox;
                                       4: job leases and copies (vos_store_copy);
                                       5: the id ranges of ingestions, and the
                                          optional measurement_points */

/* Every function returns 0 or a negative VOS_E* code with vos_error_set.  A write that
 * breaks a constraint fills *fault and returns VOS_ECONFLICT; the generic layer rewrites
 * the message.  A failed write leaves the open transaction as it was before the call. */
typedef struct vos_store_backend vos_store_backend;
struct vos_store_backend {
    unsigned int version; /* VOS_STORE_BACKEND_VERSION */
    void (*free)(vos_store_backend *be);
    int (*schema_version)(vos_store_backend *be);
    int (*begin)(vos_store_backend *be, bool write); /* write: wait for the write lock */
    int (*commit)(vos_store_backend *be);
    int (*rollback)(vos_store_backend *be);
    /* 1 when a transaction is open; 0 also after the database rolled one back on an error */
    int (*in_transaction)(vos_store_backend *be);
    /* Inserts row; sets its id unless the entity has VOS_EF_SINGLETON / _EXPLICIT_ID. */
    int (*insert)(vos_store_backend *be, const vos_entity_def *def, void *row, vos_fault *fault);
    /* Fills the zeroed `row`.  VOS_ENOTFOUND. */
    int (*get)(vos_store_backend *be, const vos_entity_def *def, int64_t id, void *row);
    /* Writes every non-fixed field, the revision and updated_at of `row` where id matches
     * and the revision is `expected`.  VOS_ENOTFOUND when no row matched. */
    int (*update)(vos_store_backend *be, const vos_entity_def *def, const void *row,
                  int64_t expected, vos_fault *fault);
    /* Deletes where id matches (and the revision is `expected`, for entities with one).
     * VOS_ENOTFOUND when no row matched. */
    int (*remove)(vos_store_backend *be, const vos_entity_def *def, int64_t id, int64_t expected,
                  vos_fault *fault);
    /* OUT: *rows (an array of *n zero-based rows of def->size, caller frees), in the order of
     * q (validated by the caller; limit already resolved).  `order_by` is NULL (by id) or a
     * field, then by id. */
    int (*list)(vos_store_backend *be, const vos_entity_def *def, const vos_store_query *q,
                const char *order_by, void **rows, size_t *n);
    /* Checks the database's own integrity; OUT: problem ("" when none). */
    int (*check)(vos_store_backend *be, char *problem, size_t size);
    /* Copies the committed database into the new file `path` (which the caller has checked
     * does not exist); removes what it created on failure. */
    int (*backup)(vos_store_backend *be, const char *path);

    /* Since version 2: the records that are not entities (validated by the generic layer;
     * text is bound as given).  A write that breaks a constraint fills *fault as above. */
    /* Inserts or replaces the password hash of a user; NULL deletes it. */
    int (*password_set)(vos_store_backend *be, int64_t user_id, const char *hash,
                        vos_fault *fault);
    /* OUT: *hash (caller frees).  VOS_ENOTFOUND. */
    int (*password_get)(vos_store_backend *be, int64_t user_id, char **hash);
    int (*session_insert)(vos_store_backend *be, const char *secret_sha256, int64_t user_id,
                          const char *created_at, const char *expires_at, vos_fault *fault);
    /* The session whose expires_at is after `now`.  OUT: *user_id, expires_at.
     * VOS_ENOTFOUND. */
    int (*session_find)(vos_store_backend *be, const char *secret_sha256, const char *now,
                        int64_t *user_id, char expires_at[VOS_STAMP_SIZE]);
    int (*session_delete)(vos_store_backend *be, const char *secret_sha256);
    /* Deletes the sessions of user_id (when > 0) and those with expires_at <= now. */
    int (*session_purge)(vos_store_backend *be, int64_t user_id, const char *now);
    /* Inserts row (created_at as given); a taken (scope, key) is a VOS_FAULT_UNIQUE fault. */
    int (*idempotency_insert)(vos_store_backend *be, const vos_idempotency_row *row,
                              vos_fault *fault);
    /* OUT: *out, a zeroed row filled (caller frees its text and itself).  VOS_ENOTFOUND. */
    int (*idempotency_get)(vos_store_backend *be, const char *scope, const char *key,
                           vos_idempotency_row *out);
    /* Stores the reply of a key whose status is 0.  VOS_ENOTFOUND when none matched. */
    int (*idempotency_finish)(vos_store_backend *be, const char *scope, const char *key,
                              int status, const char *content_type, const char *body,
                              vos_fault *fault);
    /* VOS_ENOTFOUND when none matched. */
    int (*idempotency_delete)(vos_store_backend *be, const char *scope, const char *key);
    /* Deletes the keys with created_at < before. */
    int (*idempotency_purge)(vos_store_backend *be, const char *before);

    /* Since version 3: webhook secrets and the outbox (vos_store_outbox_*). */
    int (*webhook_secret_set)(vos_store_backend *be, int64_t webhook_id, const char *secret,
                              vos_fault *fault);
    /* OUT: *secret (caller frees).  VOS_ENOTFOUND. */
    int (*webhook_secret_get)(vos_store_backend *be, int64_t webhook_id, char **secret);
    /* Inserts row (every field as given but id, which it sets). */
    int (*outbox_insert)(vos_store_backend *be, vos_outbox_row *row, vos_fault *fault);
    /* Claims and leases as vos_store_outbox_claim.  OUT: *rows (caller frees), *n. */
    int (*outbox_claim)(vos_store_backend *be, const char *now, const char *due_by,
                        const char *until, size_t max, vos_outbox_row **rows, size_t *n);
    /* Writes attempts, next_attempt_at, delivered_at, failed_at, last_status and last_error
     * of `row` and clears claimed_until where id matches and attempts is `expected`.
     * VOS_ENOTFOUND when no row matched. */
    int (*outbox_finish)(vos_store_backend *be, const vos_outbox_row *row, int64_t expected,
                         vos_fault *fault);
    /* OUT: *rows (caller frees), *n. */
    int (*outbox_list)(vos_store_backend *be, int64_t webhook_id, int64_t after_id, size_t limit,
                       vos_outbox_row **rows, size_t *n);
    int (*outbox_purge)(vos_store_backend *be, const char *before);
    int (*outbox_retry_now)(vos_store_backend *be, int64_t webhook_id, const char *now);

    /* Optional (NULL: measurements are written with `insert`, a clash read back with
     * `list`).  The idempotent insert of one measurement the generic layer has validated,
     * for vos_store_measurement_put: inserts it unless its key (account_id, kpi_key, at,
     * source) is taken, sets row->id and *outcome VOS_PUT_INSERTED; else writes nothing and
     * sets VOS_PUT_DUPLICATE or VOS_PUT_CONFLICT with *existing the stored value.  `bulk` is
     * true once the transaction has put many: the backend may then spare work that the
     * generic layer's validation makes redundant, as long as every constraint still holds
     * when the transaction commits and a later check of the database would find a breach
     * (docs/internals/store.md, "Bulk measurements"); any other write of the transaction,
     * its commit or its rollback ends such a mode. */
    int (*measurement_put)(vos_store_backend *be, vos_measurement_row *row, bool bulk,
                           vos_put_outcome *outcome, double *existing, vos_fault *fault);

    /* Since version 4: job leases and copies. */
    /* As vos_store_job_claim (arguments checked by the generic layer). */
    int (*job_claim)(vos_store_backend *be, const char *name, const char *holder,
                     const char *now, const char *until, bool *claimed);
    /* Inserts `row` exactly as given, id, revision and stamps included (for any entity and
     * the audit log), and keeps the backend's generator of ids beyond every id so inserted:
     * the next `insert` of the entity gets a larger id. */
    int (*insert_copy)(vos_store_backend *be, const vos_entity_def *def, const void *row,
                       vos_fault *fault);
    /* Inserts an outbox row exactly as given, id included (ids stay ahead as above). */
    int (*outbox_copy)(vos_store_backend *be, const vos_outbox_row *row, vos_fault *fault);

    /* Optional (NULL: the generic layer calls vos_store_measurement_put for each row).  The
     * idempotent insert of rows[0..n), validated by the generic layer, for
     * vos_store_measurements_put: the same outcomes, existing values and ids as n calls of
     * `measurement_put` in order (a key taken by an earlier row of the call is a duplicate
     * or a conflict against that row's value; ids increase with the index, and a row not
     * inserted draws no id).  On an error it writes nothing of the call, sets *failed to the
     * index of the row the error is about (SIZE_MAX when none) and fills *fault for that row
     * as `measurement_put` would. */
    int (*measurements_put)(vos_store_backend *be, vos_measurement_row *rows, size_t n,
                            vos_put_outcome *outcomes, double *existing, size_t *failed,
                            vos_fault *fault);

    /* Since version 5: where the measurements of an ingestion lie (the generic layer keeps
     * it, docs/internals/store.md "Ingestion ranges"). */
    /* Widens the recorded id range of ingestion_id's measurements to include first..last
     * (1 <= first <= last), recording it when there is none. */
    int (*ingestion_range_put)(vos_store_backend *be, int64_t ingestion_id, int64_t first,
                               int64_t last);
    /* OUT: *first, *last.  VOS_ENOTFOUND when none is recorded (the ingestion has no point). */
    int (*ingestion_range_get)(vos_store_backend *be, int64_t ingestion_id, int64_t *first,
                               int64_t *last);
    /* Optional (NULL: the generic layer reads the rows with `list`).  The time and value of
     * the measurements of kpi_key of account_id with from <= at < to (from, to NULL: open),
     * by at, then by id, at most `limit` of them, for vos_store_measurement_points.  OUT:
     * *points (one allocation, caller frees; NULL when none), *n. */
    int (*measurement_points)(vos_store_backend *be, int64_t account_id, const char *kpi_key,
                              const char *from, const char *to, size_t limit,
                              vos_measurement_point **points, size_t *n);
};

#endif
