/* The entities of the store, described once for every backend.
 *
 * Each description lists the fields of a row struct in the order of its table's columns
 * (src/store/migrations/<backend>/): the generic layer validates, serialises and reports
 * errors from it, and backends build their statements from it.  A test checks that the
 * descriptions and the SQLite schema agree. */
#include "store_int.h"

#include "vos/error.h"

#include <stddef.h>
#include <string.h>

/* ---- enumerations --------------------------------------------------------------------------- */

static const char *const role_names[] = {"admin",     "value_engineer", "seller", "csm",
                                         "executive", "customer",       "partner"};
static const char *const size_names[] = {"unstated", "smb", "mid_market", "enterprise"};
static const char *const status_names[] = {"draft", "approved", "retired"};
static const char *const stage_names[] = {"hypothesis", "committed", "realizing",
                                          "expanded",   "lost",      "closed"};
static const char *const trajectory_names[] = {"linear", "s_curve", "step"};
static const char *const proof_names[] = {"draft", "validated", "published"};
static const char *const kind_names[] = {"drift", "stale", "forecast_miss", "milestone_missed"};
static const char *const severity_names[] = {"info", "warning", "critical"};
static const char *const alert_status_names[] = {"open", "acknowledged", "resolved"};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *enum_name(const char *const *names, int n, int v)
{
    return v >= 0 && v < n ? names[v] : NULL;
}

static int enum_parse(int *out, const char *const *names, int n, const char *name, const char *what)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(names[i], name) == 0) {
            *out = i;
            return 0;
        }
    return vos_error_set(VOS_EINVALID, "'%s' is not a %s", name ? name : "(null)", what);
}

#define ENUM_FUNCS(e, names, what)                                                                 \
    const char *vos_##e##_name(vos_##e v)                                                          \
    {                                                                                              \
        return enum_name(names, COUNT(names), (int)v);                                             \
    }                                                                                              \
    int vos_##e##_parse(vos_##e *out, const char *name)                                            \
    {                                                                                              \
        int v = 0;                                                                                 \
        int rc = enum_parse(&v, names, COUNT(names), name, what);                                  \
        if (rc == 0) *out = (vos_##e)v;                                                            \
        return rc;                                                                                 \
    }

ENUM_FUNCS(role, role_names, "role")
ENUM_FUNCS(account_size, size_names, "account size")
ENUM_FUNCS(version_status, status_names, "model version status")
ENUM_FUNCS(case_stage, stage_names, "case stage")
ENUM_FUNCS(trajectory, trajectory_names, "trajectory")
ENUM_FUNCS(proof_status, proof_names, "proof point status")
ENUM_FUNCS(alert_kind, kind_names, "alert kind")
ENUM_FUNCS(alert_severity, severity_names, "alert severity")
ENUM_FUNCS(alert_status, alert_status_names, "alert status")

/* Enums are stored and read through int-sized fields. */
_Static_assert(sizeof(vos_role) == sizeof(int), "enum size");
_Static_assert(sizeof(vos_case_stage) == sizeof(int), "enum size");

/* ---- field descriptions --------------------------------------------------------------------- */

#define FIELD(T, f, ...)                                                                           \
    {                                                                                              \
        .name = #f, .offset = offsetof(T, f), __VA_ARGS__                                          \
    }
#define META(T)                                                                                    \
    FIELD(T, id, .type = VOS_FT_ID), FIELD(T, revision, .type = VOS_FT_REVISION),                  \
        FIELD(T, created_at, .type = VOS_FT_CREATED), FIELD(T, updated_at, .type = VOS_FT_UPDATED)
#define TEXT(T, f, fmt, mx, fl)                                                                    \
    FIELD(T, f, .type = VOS_FT_TEXT, .format = fmt, .max = mx, .flags = fl)
#define NAME(T, f, fl) TEXT(T, f, VOS_TF_NAME, VOS_NAME_MAX, fl)
#define KEY(T, f, fl) TEXT(T, f, VOS_TF_KEY, VOS_ID_MAX, fl)
#define NOTE(T, f, fl) TEXT(T, f, VOS_TF_TEXT, VOS_TEXT_MAX, fl)
#define DATE(T, f, fl) TEXT(T, f, VOS_TF_DATE, VOS_STAMP_SIZE - 1, fl)
#define STAMP(T, f, fl) TEXT(T, f, VOS_TF_STAMP, VOS_STAMP_SIZE - 1, fl)
#define REF(T, f, e, fl) FIELD(T, f, .type = VOS_FT_REF, .ref = e, .flags = fl)
#define REAL(T, f, fl) FIELD(T, f, .type = VOS_FT_REAL, .flags = fl)
#define ENUM(T, f, n) FIELD(T, f, .type = VOS_FT_ENUM, .names = n, .n_names = COUNT(n))
#define OPT VOS_FF_OPTIONAL
#define FIXED VOS_FF_FIXED
#define DEF(e, nm, tb, T, fl, fs, us)                                                              \
    {                                                                                              \
        e, nm, tb, sizeof(T), fl, fs, COUNT(fs), us, COUNT(us)                                     \
    }
#define DEF0(e, nm, tb, T, fl, fs)                                                                 \
    {                                                                                              \
        e, nm, tb, sizeof(T), fl, fs, COUNT(fs), NULL, 0                                           \
    }

#define DAYS_MAX 3650 /* stale_after_days: ten years */
#define MONTHS 12

typedef vos_organisation_row org_t;
static const vos_field_def org_fields[] = {
    META(org_t),
    NAME(org_t, name, 0),
    TEXT(org_t, currency, VOS_TF_CURRENCY, 3, 0),
    FIELD(org_t, fiscal_year_start, .type = VOS_FT_INT, .lo = 1, .hi = MONTHS),
    REAL(org_t, default_tolerance, 0),
    FIELD(org_t, stale_after_days, .type = VOS_FT_INT, .lo = 1, .hi = DAYS_MAX),
    FIELD(org_t, customer_measurements, .type = VOS_FT_BOOL, .flags = VOS_FF_ADDED),
};

typedef vos_user_row user_t;
static const vos_field_def user_fields[] = {
    META(user_t),
    TEXT(user_t, email, VOS_TF_EMAIL, VOS_EMAIL_MAX, 0),
    NAME(user_t, name, 0),
    ENUM(user_t, role, role_names),
    REF(user_t, account_id, VOS_ENTITY_ACCOUNT, OPT),
    FIELD(user_t, active, .type = VOS_FT_BOOL),
};
static const vos_unique_def user_uniques[] = {{.name = "user.email", .fields = {"email"}}};

typedef vos_account_row account_t;
static const vos_field_def account_fields[] = {
    META(account_t),
    NAME(account_t, name, 0),
    NAME(account_t, industry, OPT),
    ENUM(account_t, size, size_names),
    TEXT(account_t, segments, VOS_TF_JSON_ARRAY, VOS_TEXT_MAX, OPT),
    REF(account_t, owner_user_id, VOS_ENTITY_USER, OPT),
};
static const vos_unique_def account_uniques[] = {{.name = "account.name", .fields = {"name"}}};

typedef vos_model_row model_t;
static const vos_field_def model_fields[] = {
    META(model_t),
    TEXT(model_t, key, VOS_TF_MODEL_ID, VOS_ID_MAX, 0),
    NAME(model_t, name, 0),
    NOTE(model_t, description, OPT),
};
static const vos_unique_def model_uniques[] = {{.name = "model.key", .fields = {"key"}}};

typedef vos_model_version_row version_t;
static const vos_field_def version_fields[] = {
    META(version_t),
    REF(version_t, model_id, VOS_ENTITY_MODEL, FIXED),
    TEXT(version_t, version, VOS_TF_SEMVER, VOS_ID_MAX, 0),
    ENUM(version_t, status, status_names),
    TEXT(version_t, source, VOS_TF_DOCUMENT, VOS_MODEL_BYTES_MAX, 0),
    FIELD(version_t, content_sha256, .type = VOS_FT_DIGEST, .source = "source"),
    REF(version_t, created_by, VOS_ENTITY_USER, OPT),
    REF(version_t, approved_by, VOS_ENTITY_USER, OPT),
    STAMP(version_t, approved_at, OPT),
    STAMP(version_t, retired_at, OPT),
};
static const vos_unique_def version_uniques[] = {
    {.name = "model_version.version", .fields = {"model_id", "version"}}};

typedef vos_benchmark_row bench_t;
static const vos_field_def bench_fields[] = {
    META(bench_t),
    KEY(bench_t, input_key, 0),
    NAME(bench_t, industry, OPT),
    NAME(bench_t, segment, OPT),
    REAL(bench_t, value, 0),
    REAL(bench_t, low, OPT),
    REAL(bench_t, high, OPT),
    NAME(bench_t, unit, OPT),
    NOTE(bench_t, source, 0),
    DATE(bench_t, as_of, 0),
};
static const vos_unique_def bench_uniques[] = {
    {.name = "benchmark.key", .fields = {"input_key", "industry", "segment", "source", "as_of"}}};

typedef vos_case_row case_t;
static const vos_field_def case_fields[] = {
    META(case_t),
    REF(case_t, account_id, VOS_ENTITY_ACCOUNT, FIXED),
    REF(case_t, model_version_id, VOS_ENTITY_MODEL_VERSION, 0),
    NAME(case_t, name, 0),
    ENUM(case_t, stage, stage_names),
    TEXT(case_t, overrides, VOS_TF_JSON_OBJECT, VOS_STORE_JSON_MAX, 0),
    REF(case_t, owner_user_id, VOS_ENTITY_USER, OPT),
    REF(case_t, parent_case_id, VOS_ENTITY_CASE, OPT),
};
static const vos_unique_def case_uniques[] = {
    {.name = "case.name", .fields = {"account_id", "name"}}};

typedef vos_commitment_row commit_t;
static const vos_field_def commit_fields[] = {
    FIELD(commit_t, id, .type = VOS_FT_ID),
    FIELD(commit_t, created_at, .type = VOS_FT_CREATED),
    REF(commit_t, case_id, VOS_ENTITY_CASE, FIXED),
    TEXT(commit_t, snapshot, VOS_TF_JSON_OBJECT, VOS_STORE_JSON_MAX, FIXED),
    FIELD(commit_t, snapshot_sha256, .type = VOS_FT_DIGEST, .source = "snapshot"),
    REF(commit_t, committed_by, VOS_ENTITY_USER, OPT | FIXED),
};
static const vos_unique_def commit_uniques[] = {
    {.name = "commitment.case_id", .fields = {"case_id"}}};

typedef vos_commitment_kpi_row ckpi_t;
static const vos_field_def ckpi_fields[] = {
    META(ckpi_t),
    REF(ckpi_t, commitment_id, VOS_ENTITY_COMMITMENT, FIXED),
    KEY(ckpi_t, kpi_key, FIXED),
    NAME(ckpi_t, unit, OPT),
    REAL(ckpi_t, baseline_value, 0),
    DATE(ckpi_t, baseline_date, 0),
    REAL(ckpi_t, target_value, 0),
    DATE(ckpi_t, target_date, 0),
    ENUM(ckpi_t, trajectory, trajectory_names),
    REAL(ckpi_t, tolerance, 0),
    REF(ckpi_t, owner_user_id, VOS_ENTITY_USER, OPT),
    NOTE(ckpi_t, data_source, OPT),
};
static const vos_unique_def ckpi_uniques[] = {
    {.name = "commitment_kpi.kpi_key", .fields = {"commitment_id", "kpi_key"}}};

typedef vos_ingestion_row ingest_t;
static const vos_field_def ingest_fields[] = {
    FIELD(ingest_t, id, .type = VOS_FT_ID),
    FIELD(ingest_t, created_at, .type = VOS_FT_CREATED),
    NAME(ingest_t, label, OPT | FIXED),
    REF(ingest_t, created_by, VOS_ENTITY_USER, OPT | FIXED),
};

typedef vos_measurement_row meas_t;
static const vos_field_def meas_fields[] = {
    FIELD(meas_t, id, .type = VOS_FT_ID),
    REF(meas_t, ingestion_id, VOS_ENTITY_INGESTION, FIXED),
    REF(meas_t, account_id, VOS_ENTITY_ACCOUNT, FIXED),
    KEY(meas_t, kpi_key, FIXED),
    STAMP(meas_t, at, FIXED),
    REAL(meas_t, value, FIXED),
    NAME(meas_t, source, FIXED),
};
static const vos_unique_def meas_uniques[] = {
    {.name = "measurement.key", .fields = {"account_id", "kpi_key", "at", "source"}}};

typedef vos_proof_point_row proof_t;
static const vos_field_def proof_fields[] = {
    META(proof_t),
    REF(proof_t, account_id, VOS_ENTITY_ACCOUNT, FIXED),
    REF(proof_t, case_id, VOS_ENTITY_CASE, OPT),
    KEY(proof_t, kpi_key, OPT),
    NAME(proof_t, title, 0),
    NOTE(proof_t, statement, OPT),
    REAL(proof_t, value, OPT),
    NAME(proof_t, unit, OPT),
    NOTE(proof_t, evidence, OPT),
    ENUM(proof_t, status, proof_names),
};

typedef vos_alert_row alert_t;
static const vos_field_def alert_fields[] = {
    META(alert_t),
    REF(alert_t, account_id, VOS_ENTITY_ACCOUNT, FIXED),
    REF(alert_t, case_id, VOS_ENTITY_CASE, OPT),
    KEY(alert_t, kpi_key, OPT),
    ENUM(alert_t, kind, kind_names),
    ENUM(alert_t, severity, severity_names),
    ENUM(alert_t, status, alert_status_names),
    NOTE(alert_t, message, 0),
    STAMP(alert_t, resolved_at, OPT),
};
static const vos_unique_def alert_uniques[] = {
    {.name = "alert.open",
     .fields = {"account_id", "case_id", "kpi_key", "kind"},
     .taken = "is already open (not resolved)"}};

typedef vos_api_token_row token_t;
static const vos_field_def token_fields[] = {
    META(token_t),
    REF(token_t, user_id, VOS_ENTITY_USER, FIXED),
    NAME(token_t, name, 0),
    NAME(token_t, prefix, FIXED),
    FIELD(token_t, secret_sha256, .type = VOS_FT_DIGEST, .flags = FIXED),
    STAMP(token_t, revoked_at, OPT),
};
static const vos_unique_def token_uniques[] = {
    {.name = "api_token.secret_sha256", .fields = {"secret_sha256"}},
    {.name = "api_token.name",
     .fields = {"user_id", "name"},
     .taken = "is already the name of one of the user's tokens"},
};

typedef vos_webhook_row webhook_t;
static const vos_field_def webhook_fields[] = {
    META(webhook_t),
    TEXT(webhook_t, url, VOS_TF_URL, VOS_URL_MAX, 0),
    TEXT(webhook_t, events, VOS_TF_JSON_ARRAY, VOS_TEXT_MAX, 0),
    FIELD(webhook_t, active, .type = VOS_FT_BOOL),
    FIELD(webhook_t, secret_sha256, .type = VOS_FT_DIGEST, .flags = FIXED),
    REF(webhook_t, created_by, VOS_ENTITY_USER, OPT | FIXED),
};

#define STAGE_MAX 5 /* maturity stages I..V (vos/maturity.h) */

typedef vos_assessment_row assess_t;
static const vos_field_def assess_fields[] = {
    FIELD(assess_t, id, .type = VOS_FT_ID),
    FIELD(assess_t, created_at, .type = VOS_FT_CREATED),
    DATE(assess_t, taken_at, FIXED),
    REF(assess_t, taken_by, VOS_ENTITY_USER, OPT | FIXED),
    TEXT(assess_t, blueprint, VOS_TF_MODEL_ID, VOS_ID_MAX, FIXED),
    TEXT(assess_t, blueprint_version, VOS_TF_SEMVER, VOS_ID_MAX, FIXED),
    FIELD(assess_t, target_stage, .type = VOS_FT_INT, .lo = 1, .hi = STAGE_MAX, .flags = FIXED),
    NOTE(assess_t, notes, OPT | FIXED),
};

typedef vos_assessment_answer_row answer_t;
static const vos_field_def answer_fields[] = {
    FIELD(answer_t, id, .type = VOS_FT_ID),
    FIELD(answer_t, created_at, .type = VOS_FT_CREATED),
    REF(answer_t, assessment_id, VOS_ENTITY_ASSESSMENT, FIXED),
    KEY(answer_t, dimension_key, FIXED),
    FIELD(answer_t, stage, .type = VOS_FT_INT, .lo = 1, .hi = STAGE_MAX, .flags = FIXED),
    NOTE(answer_t, evidence, OPT | FIXED),
};
static const vos_unique_def answer_uniques[] = {
    {.name = "assessment_answer.dimension_key",
     .fields = {"assessment_id", "dimension_key"},
     .taken = "is already answered in this assessment"}};

typedef vos_audit_row audit_t;
static const vos_field_def audit_fields[] = {
    FIELD(audit_t, seq, .type = VOS_FT_ID),
    FIELD(audit_t, at, .type = VOS_FT_CREATED),
    TEXT(audit_t, actor, VOS_TF_NAME, VOS_ACTOR_MAX, 0),
    TEXT(audit_t, operation, VOS_TF_OPERATION, VOS_ID_MAX, 0),
    KEY(audit_t, entity_type, 0),
    FIELD(audit_t, entity_id, .type = VOS_FT_INT),
    TEXT(audit_t, before_json, VOS_TF_JSON_OBJECT, VOS_STORE_SNAPSHOT_MAX, OPT),
    TEXT(audit_t, after_json, VOS_TF_JSON_OBJECT, VOS_STORE_SNAPSHOT_MAX, OPT),
    FIELD(audit_t, prev_hash, .type = VOS_FT_DIGEST), /* set by the chain, not derived */
    FIELD(audit_t, hash, .type = VOS_FT_DIGEST),
};

#define APPEND_ONLY (VOS_EF_NO_UPDATE | VOS_EF_NO_DELETE)

static const vos_entity_def defs[VOS_ENTITY_COUNT] = {
    DEF0(VOS_ENTITY_ORGANISATION, "organisation", "organisation", org_t,
         VOS_EF_SINGLETON | VOS_EF_NO_DELETE, org_fields),
    DEF(VOS_ENTITY_USER, "user", "users", user_t, 0, user_fields, user_uniques),
    DEF(VOS_ENTITY_ACCOUNT, "account", "accounts", account_t, 0, account_fields, account_uniques),
    DEF(VOS_ENTITY_MODEL, "model", "models", model_t, 0, model_fields, model_uniques),
    DEF(VOS_ENTITY_MODEL_VERSION, "model_version", "model_versions", version_t, 0, version_fields,
        version_uniques),
    DEF(VOS_ENTITY_BENCHMARK, "benchmark", "benchmarks", bench_t, 0, bench_fields, bench_uniques),
    DEF(VOS_ENTITY_CASE, "case", "cases", case_t, 0, case_fields, case_uniques),
    DEF(VOS_ENTITY_COMMITMENT, "commitment", "commitments", commit_t, APPEND_ONLY, commit_fields,
        commit_uniques),
    DEF(VOS_ENTITY_COMMITMENT_KPI, "commitment_kpi", "commitment_kpis", ckpi_t, 0, ckpi_fields,
        ckpi_uniques),
    DEF0(VOS_ENTITY_INGESTION, "ingestion", "ingestions", ingest_t, APPEND_ONLY, ingest_fields),
    DEF(VOS_ENTITY_MEASUREMENT, "measurement", "measurements", meas_t,
        APPEND_ONLY | VOS_EF_UNAUDITED, meas_fields, meas_uniques),
    DEF0(VOS_ENTITY_PROOF_POINT, "proof_point", "proof_points", proof_t, 0, proof_fields),
    DEF(VOS_ENTITY_ALERT, "alert", "alerts", alert_t, 0, alert_fields, alert_uniques),
    DEF(VOS_ENTITY_API_TOKEN, "api_token", "api_tokens", token_t, VOS_EF_NO_DELETE, token_fields,
        token_uniques),
    DEF0(VOS_ENTITY_WEBHOOK, "webhook", "webhooks", webhook_t, 0, webhook_fields),
    DEF0(VOS_ENTITY_ASSESSMENT, "assessment", "assessments", assess_t, APPEND_ONLY,
         assess_fields),
    DEF(VOS_ENTITY_ASSESSMENT_ANSWER, "assessment_answer", "assessment_answers", answer_t,
        APPEND_ONLY, answer_fields, answer_uniques),
};

static const vos_entity_def audit_def =
    DEF0(-1, "audit record", "audit_log", audit_t, APPEND_ONLY | VOS_EF_EXPLICIT_ID, audit_fields);

const vos_entity_def *vos_entity_def_get(vos_entity e)
{
    return (int)e >= 0 && (int)e < VOS_ENTITY_COUNT ? &defs[e] : NULL;
}

const vos_entity_def *vos_audit_def_get(void)
{
    return &audit_def;
}

const char *vos_entity_name(vos_entity e)
{
    const vos_entity_def *def = vos_entity_def_get(e);
    return def ? def->name : NULL;
}

int vos_entity_parse(vos_entity *out, const char *name)
{
    for (int e = 0; name && e < VOS_ENTITY_COUNT; e++)
        if (strcmp(defs[e].name, name) == 0) {
            *out = (vos_entity)e;
            return 0;
        }
    return vos_error_set(VOS_EINVALID, "'%s' is not an entity", name ? name : "(null)");
}

/* ---- named constraints ---------------------------------------------------------------------- *
 * Constraints and triggers of the schema are named "<entity>.<field>" or "<entity>.<rule>".
 * A CHECK on one field without an entry here is reported as "<entity> <field> is not valid";
 * these are the rules that need their own words. */

static const vos_constraint_msg constraint_msgs[] = {
    {"organisation.id", VOS_ECONFLICT, 0, "there is only one organisation (id 1)"},
    {"organisation.default_tolerance", VOS_EINVALID, 0,
     "organisation default_tolerance must be more than 0 and at most 1"},
    {"user.customer_account", VOS_EINVALID, 0, "a user with role customer needs an account_id"},
    {"model_version.approved_at", VOS_EINVALID, 0,
     "a model_version that is approved or retired needs approved_at"},
    {"model_version.retired_at", VOS_EINVALID, 0,
     "a model_version needs retired_at exactly when it is retired"},
    {"model_version.frozen", VOS_ECONFLICT, 1,
     "is approved: its model_id, version and source cannot change and it cannot be deleted"},
    {"model_version.status", VOS_ECONFLICT, 1,
     "cannot move back: status goes from draft to approved to retired"},
    {"benchmark.range", VOS_EINVALID, 0, "benchmark needs low <= value <= high"},
    {"commitment.frozen", VOS_ECONFLICT, 1, "is frozen: a commitment is never changed or deleted"},
    {"commitment_kpi.target_date", VOS_EINVALID, 0,
     "commitment_kpi target_date must be after baseline_date"},
    {"commitment_kpi.target_value", VOS_EINVALID, 0,
     "commitment_kpi target_value must differ from baseline_value"},
    {"commitment_kpi.tolerance", VOS_EINVALID, 0,
     "commitment_kpi tolerance must be more than 0 and at most 1"},
    {"ingestion.frozen", VOS_ECONFLICT, 1, "is frozen: an ingestion is never changed or deleted"},
    {"measurement.frozen", VOS_ECONFLICT, 1, "is frozen: a measurement is never changed"},
    {"alert.resolved_at", VOS_EINVALID, 0,
     "alert resolved_at is required exactly when its status is resolved"},
    {"api_token.frozen", VOS_ECONFLICT, 1,
     "cannot change: a token's user, prefix and secret are fixed, a revocation is final and "
     "tokens are never deleted"},
    {"webhook.frozen", VOS_ECONFLICT, 1,
     "cannot change its secret or creator: add a new webhook for a new secret"},
    {"outbox.done", VOS_EINVALID, 0, "a delivery is either delivered or failed, not both"},
    {"assessment.frozen", VOS_ECONFLICT, 1,
     "is frozen: an assessment is never changed or deleted (take a new one)"},
    {"assessment_answer.frozen", VOS_ECONFLICT, 1,
     "is frozen: an answer of an assessment is never changed or deleted"},
    {"audit.append_only", VOS_ECONFLICT, 0, "audit records are never changed or deleted"},
};

const vos_constraint_msg *vos_constraint_find(const char *name)
{
    for (size_t i = 0; i < sizeof constraint_msgs / sizeof constraint_msgs[0]; i++)
        if (strcmp(constraint_msgs[i].name, name) == 0) return &constraint_msgs[i];
    return NULL;
}
