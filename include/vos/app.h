/* The application layer: one function per operation of VOS.
 *
 * Every write operation runs in one store transaction, checks that the actor may do it and
 * that the domain's invariants hold, performs its writes, and appends one audit record per
 * entity written (vos_store_audit_append), all or nothing: on any error the transaction is
 * rolled back and the database is unchanged.  Nothing outside this layer writes to the store.
 * Handlers of the command line (and later HTTP) are thin: parse, call one vos_app_* function,
 * render.
 *
 * Errors: VOS_EINVALID (bad input: the message names the entity and field), VOS_ENOTFOUND,
 * VOS_ECONFLICT (the state forbids it: an approved version is immutable, a committed case is
 * frozen, a unique name taken), VOS_ESTALE (the row changed since the revision the caller
 * read), VOS_EFORBIDDEN (the actor's role may not), VOS_ERROR (I/O).  vos_error_last()
 * explains. */
#ifndef VOS_APP_H
#define VOS_APP_H

#include "vos/diag.h"
#include "vos/engine.h"
#include "vos/model.h"
#include "vos/model_diff.h"
#include "vos/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct vos_app vos_app;

/* Who is acting.  `name` is what the audit log records (a user's email, or "system"). */
typedef struct vos_actor {
    const char *name;
    int64_t user_id;    /* 0 for the system */
    vos_role role;
    int64_t account_id; /* the account a customer (or partner) is scoped to; 0 otherwise */
} vos_actor;
/* Scoping: a customer sees the account `account_id` only; a partner sees that account and
 * every account whose owner_user_id is its user_id.  Other roles see every account. */

/* The actor of local administration from the command line: "system", role admin. */
vos_actor vos_actor_system(void);

/* Defaults of a new organisation (vos_app_init). */
#define VOS_APP_TOLERANCE_DEFAULT 0.1 /* KPI tolerance: 10% */
#define VOS_APP_STALE_DAYS_DEFAULT 30 /* a KPI without measurements for longer is stale */
#define VOS_APP_FISCAL_START_DEFAULT 1 /* fiscal year from January */

/* What an actor may do, by role (docs/internals/app.md has the table).  Every vos_app_*
 * function checks its operation; adapters may ask first, e.g. to hide a button. */
typedef enum vos_app_op {
    VOS_OP_INIT = 0,        /* vos_app_init */
    VOS_OP_USER_ADD,        /* vos_app_user_add */
    VOS_OP_USER_READ,       /* vos_app_user_list */
    VOS_OP_ACCOUNT_ADD,     /* vos_app_account_add */
    VOS_OP_ACCOUNT_READ,    /* vos_app_account_list, _get (scoped for customers, partners) */
    VOS_OP_MODEL_WRITE,     /* vos_app_model_import, _approve, _retire */
    VOS_OP_MODEL_READ,      /* vos_app_model_list, _versions, _load, _diff */
    VOS_OP_CASE_CREATE,     /* vos_app_case_create */
    VOS_OP_CASE_READ,       /* vos_app_case_get, _list, _open (scoped) */
    VOS_OP_CASE_EDIT,       /* vos_app_case_set, _unset, _rebase */
    VOS_OP_CASE_COMMIT,     /* vos_app_case_commit */
    VOS_OP_CASE_TRANSITION, /* vos_app_case_transition */
    VOS_OP_AUDIT_READ,      /* vos_app_audit_log, _verify */
    VOS_OP_BACKUP,          /* vos_app_backup */
    VOS_OP_USER_UPDATE,     /* vos_app_user_update, another user's password */
    VOS_OP_TOKEN,           /* vos_app_token_* on one's own tokens (every role) */
    VOS_OP_BENCHMARK_WRITE, /* vos_app_benchmark_add */
    VOS_OP_BENCHMARK_READ,  /* vos_app_benchmark_list */
    VOS_OP_MEASUREMENT_WRITE, /* vos_app_measurement_add (customers: their account, if the
                                 organisation allows it) */
    VOS_OP_MEASUREMENT_READ,  /* vos_app_measurement_list (scoped) */
    VOS_OP_PROOF_WRITE,       /* vos_app_proof_point_add, _update */
    VOS_OP_PROOF_READ,        /* vos_app_proof_point_list (scoped) */
    VOS_OP_ALERT_READ,        /* vos_app_alert_list (scoped) */
    VOS_OP_ALERT_UPDATE,      /* vos_app_alert_acknowledge, _resolve */
    VOS_OP_ASSESS_WRITE,      /* vos_app_assessment_take (vos/app_assess.h) */
    VOS_OP_ASSESS_READ        /* the blueprint, assessments, roadmaps, maturity indicators */
} vos_app_op;
#define VOS_APP_OP_COUNT 26

/* Whether `who` (a valid actor) may do `op` at all; scoping to accounts comes on top. */
bool vos_app_allows(const vos_actor *who, vos_app_op op);

/* Opens the store at `url` (vos_store_open) and the application over it.  OUT: *out, closed
 * with vos_app_close. */
int vos_app_open(vos_app **out, const char *url);
void vos_app_close(vos_app *app);

/* ---- organisation ---- */

/* Creates the organisation row if there is none (name, currency, defaults: tolerance 10%,
 * stale after 30 days, fiscal year from January).  OUT: *created (may be NULL) 1 when it was
 * created, 0 when it existed already (then nothing changes). */
int vos_app_init(vos_app *app, const vos_actor *who, const char *org_name, const char *currency,
                 int *created);
/* The organisation (every role may read it).  OUT: *out.  VOS_ENOTFOUND before init. */
int vos_app_organisation_get(vos_app *app, const vos_actor *who, vos_organisation_row **out);
/* Changes the organisation's settings (every field but id and the stamps).  Roles: admin
 * (VOS_OP_INIT).  `row->revision` must be the current one (VOS_ESTALE otherwise).  Audited
 * "organisation.update". */
int vos_app_organisation_update(vos_app *app, const vos_actor *who, vos_organisation_row *row);

/* ---- users and accounts ---- */

int vos_app_user_add(vos_app *app, const vos_actor *who, vos_user_row *row);
int vos_app_user_list(vos_app *app, const vos_actor *who, vos_user_row **out, size_t *n,
                      const vos_store_query *q);
int vos_app_account_add(vos_app *app, const vos_actor *who, vos_account_row *row);
int vos_app_account_list(vos_app *app, const vos_actor *who, vos_account_row **out, size_t *n,
                         const vos_store_query *q);
/* By name (without case); customers and partners only see their own accounts
 * (VOS_ENOTFOUND for the others, never VOS_EFORBIDDEN: existence is not disclosed). */
int vos_app_account_get(vos_app *app, const vos_actor *who, const char *name,
                        vos_account_row **out);
/* The same by id. */
int vos_app_account_by_id(vos_app *app, const vos_actor *who, int64_t account_id,
                          vos_account_row **out);

/* ---- value models (the value fabric) ----
 *
 * `key` is the model id of the YAML ("service-desk-automation"), which is also its store key.
 * Audit operations: model.import, model.approve, model.retire. */

/* Imports model text (YAML or JSON) as a draft version of its model (creating the model on
 * first import).  The text must load without errors (vos_model_load; every problem goes to
 * `diags`, VOS_EINVALID).  Importing a version that exists as a draft replaces its text;
 * one that is approved or retired is VOS_ECONFLICT ("... is approved and immutable; give the
 * change a new version number").  Roles: admin, value_engineer.  OUT: *out (may be NULL). */
/* Importing the same text again writes nothing; a new version whose model name or
 * description changed updates the model row too. */
int vos_app_model_import(vos_app *app, const vos_actor *who, const char *text, size_t len,
                         const char *filename, vos_diags *diags, vos_model_version_row **out);

/* draft -> approved (sets approved_by/at; the version becomes immutable), and
 * approved -> retired.  Any other move is VOS_ECONFLICT.  Roles: admin, value_engineer. */
int vos_app_model_approve(vos_app *app, const vos_actor *who, const char *key,
                          const char *version, vos_model_version_row **out);
int vos_app_model_retire(vos_app *app, const vos_actor *who, const char *key,
                         const char *version, vos_model_version_row **out);

int vos_app_model_list(vos_app *app, const vos_actor *who, vos_model_row **out, size_t *n,
                       const vos_store_query *q);
/* Versions of one model, oldest first. */
int vos_app_model_versions(vos_app *app, const vos_actor *who, const char *key,
                           vos_model_version_row **out, size_t *n);
/* The loaded model of one version; `version` NULL means the latest approved one. */
int vos_app_model_load(vos_app *app, const vos_actor *who, const char *key, const char *version,
                       vos_model **out, vos_model_version_row **row);

/* Every difference between versions `from` and `to` of model `key`: the elements and their
 * fields, then every figure of the expected, conservative and optimistic scenarios computed
 * from each version's own inputs. */
int vos_app_model_diff(vos_app *app, const vos_actor *who, const char *key, const char *from,
                       const char *to, vos_changes *out);

/* ---- business cases ---- */

/* Creates a case `name` for `account` on model `key` at `version` (NULL: the latest approved
 * version; a draft may be pinned explicitly while building, but not committed; a retired one
 * is VOS_ECONFLICT).  Stage hypothesis, no overrides, owner `who`.  Roles: admin,
 * value_engineer, seller, csm.  Audit operations of cases: case.create, case.set, case.unset,
 * case.commit, case.transition, case.rebase. */
int vos_app_case_create(vos_app *app, const vos_actor *who, const char *account,
                        const char *name, const char *key, const char *version,
                        vos_case_row **out);

int vos_app_case_get(vos_app *app, const vos_actor *who, int64_t case_id, vos_case_row **out);
int vos_app_case_list(vos_app *app, const vos_actor *who, vos_case_row **out, size_t *n,
                      const vos_store_query *q);

/* What a list of cases shows of each case besides its row: its account's name, its model's
 * key and the version it is pinned to. */
typedef struct vos_case_names {
    char *account;          /* the account's name */
    char *model;            /* the model's key (its `model:` id) */
    char *version;          /* the model version */
} vos_case_names;
/* The names of rows[0..n) (cases `who` has read), one per row.  OUT: *out (n entries;
 * vos_case_names_free). */
int vos_app_case_names(vos_app *app, const vos_actor *who, const vos_case_row *rows, size_t n,
                       vos_case_names **out);
void vos_case_names_free(vos_case_names *names, size_t n);

/* Overrides one input of a hypothesis case (value and/or low/high, in the input's unit; the
 * case's own evidence and confidence for the input).
 * Only inputs can be overridden: naming a driver or cost is VOS_EINVALID ("'x' is a formula
 * of the model; a case overrides inputs only"), an unknown id too; the override must be a
 * valid distribution (vos_case_override).  A committed or later case is VOS_ECONFLICT.
 * The fields given replace those of the input's existing override; the others are kept.
 * Stored as JSON {"input": {"value": v, "low": l, "high": h, "evidence": text,
 * "confidence": c}} (the fields given) in the model's input order.
 * `expected_revision` 0 skips the optimistic-concurrency check; another revision than the
 * current one is VOS_ESTALE. */
int vos_app_case_set(vos_app *app, const vos_actor *who, int64_t case_id, const char *input,
                     const vos_input_override *ov, int64_t expected_revision,
                     vos_case_row **out);
/* Removes the override of one input (back to the model's figures); VOS_ENOTFOUND when the
 * case does not override it. */
int vos_app_case_unset(vos_app *app, const vos_actor *who, int64_t case_id, const char *input,
                       int64_t expected_revision, vos_case_row **out);

/* The case as a computable object: its pinned model loaded and its overrides applied.
 * OUT: *model and *c (free c first, then the model). */
int vos_app_case_open(vos_app *app, const vos_actor *who, int64_t case_id, vos_model **model,
                      vos_case **c);

/* A KPI to commit to (model KPI id, baseline, target, trajectory, tolerance, ...). */
typedef vos_commitment_kpi_row vos_kpi_commitment;

/* Commits a hypothesis case: its model version must be approved; at least one KPI; each KPI
 * must be a KPI of the model, once, with finite baseline and target values that differ, real
 * dates with the target after the baseline, the model's unit (none = the model's) and a
 * tolerance in (0, 1] (0 or NAN = the organisation's default).  Freezes a snapshot of the
 * case (model key, version, content SHA-256, overrides, every figure of the three scenarios,
 * the KPIs; docs/internals/app.md gives its shape), stores the commitment and its KPIs and
 * moves the case to committed.  Roles: admin, seller, value_engineer. */
int vos_app_case_commit(vos_app *app, const vos_actor *who, int64_t case_id,
                        const vos_kpi_commitment *kpis, size_t n_kpis,
                        vos_commitment_row **out);

/* A milestone of a step trajectory: by `date` (YYYY-MM-DD) the KPI is to reach `value`. */
typedef struct vos_kpi_milestone {
    const char *date;
    double value;
} vos_kpi_milestone;
/* The milestones of one KPI of a commitment (none: n = 0). */
typedef struct vos_kpi_milestones {
    const vos_kpi_milestone *items;
    size_t n;
} vos_kpi_milestones;

/* vos_app_case_commit with the milestones of each KPI's step trajectory: ms[i] belongs to
 * kpis[i] (ms NULL: none).  Milestones need trajectory step; at most VOS_MILESTONES_MAX per
 * KPI, real dates strictly ascending from the baseline date to the target date (both
 * included), finite values from the baseline value to the target value (both included).  A
 * refusal names the KPI and the milestone ("KPI 'mttr': milestone 2: ...").  The snapshot
 * keeps them as "milestones": [{"date", "value"}] of its KPI (docs/realization.md). */
int vos_app_case_commit_plan(vos_app *app, const vos_actor *who, int64_t case_id,
                             const vos_kpi_commitment *kpis, const vos_kpi_milestones *ms,
                             size_t n_kpis, vos_commitment_row **out);

/* Moves a case along its lifecycle: committed -> realizing -> expanded; any stage before
 * expanded -> lost or closed; hypothesis -> committed only through vos_app_case_commit.
 * Any other move is VOS_ECONFLICT naming both stages.  Roles: admin, value_engineer, seller,
 * csm. */
int vos_app_case_transition(vos_app *app, const vos_actor *who, int64_t case_id,
                            vos_case_stage to, vos_case_row **out);

/* Re-bases a hypothesis case onto another version of its model (not retired), explicitly:
 * every override must still name an input of the new version with a valid value (else
 * VOS_EINVALID listing them, nothing changes); an input whose unit changed to another of the
 * same dimension has its override converted.  OUT: *changes, the model's element changes
 * between the two versions, then every figure of the three scenarios before and after, both
 * computed with the case's overrides (vos_model_diff, vos_changes_add_figures). */
int vos_app_case_rebase(vos_app *app, const vos_actor *who, int64_t case_id,
                        const char *to_version, vos_changes *changes, vos_case_row **out);

/* ---- audit ---- */

/* Roles: admin, executive. */
int vos_app_audit_log(vos_app *app, const vos_actor *who, vos_audit_row **out, size_t *n,
                      const vos_store_query *q);
int vos_app_audit_verify(vos_app *app, const vos_actor *who, vos_audit_report *report);

/* ---- users, sign-in, sessions and API tokens ----
 *
 * Passwords are stored as argon2id hashes (libsodium crypto_pwhash_str, interactive limits)
 * in a table of their own, never in an audited row or an audit record.  Session and API token
 * secrets are 32 random bytes in base64url (43 characters; API tokens carry the prefix
 * "vos_"), shown once and stored as their SHA-256 only.  A session's CSRF token is derived
 * from its secret (base64url of SHA-256("csrf:" || secret)), so it needs no storage. */

#define VOS_PASSWORD_MIN 12        /* characters of a password at least */
#define VOS_PASSWORD_MAX 256       /* bytes of a password at most */
#define VOS_SECRET_SIZE 48         /* a session, CSRF or API token secret with its NUL */
#define VOS_SESSION_TTL_S (8 * 3600) /* a session lasts 8 hours from sign-in */
#define VOS_TOKENS_PER_USER_MAX 50 /* API tokens (not revoked) of one user */

/* An authenticated actor with storage for its name (actor.name points at `email`). */
typedef struct vos_principal {
    vos_actor actor;
    char email[VOS_EMAIL_MAX + 1];
    int64_t token_id; /* the API token used; 0 for a session */
} vos_principal;

/* Changes the fields of a user that may change: name, role, account_id, active (email and id
 * are fixed).  Roles: admin.  Deactivating a user ends their sessions and revokes their
 * tokens.  `row->revision` must be the current one (VOS_ESTALE otherwise). */
int vos_app_user_update(vos_app *app, const vos_actor *who, vos_user_row *row);
/* By id; VOS_ENOTFOUND. Roles: USER_READ, or the user themselves. */
int vos_app_user_get(vos_app *app, const vos_actor *who, int64_t user_id, vos_user_row **out);

/* 0 when `password` has VOS_PASSWORD_MIN..VOS_PASSWORD_MAX characters (counted in UTF-8
 * code points; the maximum in bytes); VOS_EINVALID saying which bound it misses.  Lets an
 * adapter refuse a password before it creates the user it belongs to. */
int vos_app_password_check(const char *password);

/* Sets a user's password (VOS_PASSWORD_MIN..VOS_PASSWORD_MAX, VOS_EINVALID otherwise).  An
 * admin may set anyone's; every user their own.  Audited as "user.password" on the user,
 * whose recorded state does not include the password.  Sessions and tokens stay valid. */
int vos_app_user_set_password(vos_app *app, const vos_actor *who, int64_t user_id,
                              const char *password);

typedef struct vos_session_out {
    char secret[VOS_SECRET_SIZE]; /* the session cookie's value */
    char csrf[VOS_SECRET_SIZE];   /* what browser writes send back in X-CSRF-Token */
    char expires_at[VOS_STAMP_SIZE];
    vos_principal who;
} vos_session_out;

/* Signs in: VOS_EAUTH ("wrong email or password", the same for an unknown email, a wrong
 * password, a user without a password or an inactive one).  Creates a session. */
int vos_app_login(vos_app *app, const char *email, const char *password, vos_session_out *out);
/* The principal of a session secret and its CSRF token; VOS_EAUTH when unknown or expired. */
int vos_app_session_resolve(vos_app *app, const char *secret, vos_principal *out,
                            char csrf[VOS_SECRET_SIZE]);
/* Ends a session (unknown secrets are ignored). */
int vos_app_logout(vos_app *app, const char *secret);

/* Creates an API token `name` for the actor's own user (the system actor cannot have
 * tokens: VOS_EINVALID).  OUT: secret (shown once) and *out (may be NULL).  Audited as
 * "token.create" on entity api_token. */
int vos_app_token_create(vos_app *app, const vos_actor *who, const char *name,
                         char secret[VOS_SECRET_SIZE], vos_api_token_row **out);
/* The same for the user `user_id`: one's own (every role) or, for an admin, any active
 * user's (e.g. the command line acting as the system).  VOS_ENOTFOUND for a user that does
 * not exist, VOS_EINVALID for an inactive one. */
int vos_app_token_create_for(vos_app *app, const vos_actor *who, int64_t user_id,
                             const char *name, char secret[VOS_SECRET_SIZE],
                             vos_api_token_row **out);
/* The actor's own tokens; an admin's list holds every user's. */
int vos_app_token_list(vos_app *app, const vos_actor *who, vos_api_token_row **out, size_t *n,
                       const vos_store_query *q);
/* Revokes a token of the actor's own (admin: any); audited "token.revoke".  Another user's
 * token is VOS_ENOTFOUND (its existence is not disclosed); a revoked one VOS_ECONFLICT. */
int vos_app_token_revoke(vos_app *app, const vos_actor *who, int64_t token_id);
/* The principal of a bearer secret; VOS_EAUTH when unknown, revoked or its user inactive. */
int vos_app_token_resolve(vos_app *app, const char *secret, vos_principal *out);

/* ---- idempotent writes ----
 *
 * A client retrying a write sends the same Idempotency-Key; the first response is kept for
 * 24 hours and replayed.  Keys are per user (the system actor: per name). */

/* VOS_IDEMPOTENCY_KEY_MAX (vos/limits.h): characters of a key, visible ASCII */
#define VOS_IDEMPOTENCY_TTL_S (24 * 3600)
#define VOS_IDEMPOTENCY_ABANDON_S 600 /* a reservation older than this never finished (the
                                         server stopped): the next request takes it over */

typedef struct vos_idempotent_reply {
    int status;         /* 0: the key is new and now reserved for this request */
    char *content_type; /* of the kept reply (caller frees) */
    char *body;         /* the kept reply (caller frees) */
} vos_idempotent_reply;

/* Looks the key up for (actor, key): new -> reserves it (status 0); kept -> the reply; the
 * same key with another request (method, path or body SHA-256 differ) -> VOS_EINVALID; a
 * reserved key whose request has not finished -> VOS_ECONFLICT. */
int vos_app_idempotency_begin(vos_app *app, const vos_actor *who, const char *key,
                              const char *method, const char *path,
                              const char request_sha256[VOS_SHA256_HEX_SIZE],
                              vos_idempotent_reply *out);
/* Keeps the reply of a reserved key (status 0 < status < 500); finishing with a 5xx status
 * releases the key instead, as vos_app_idempotency_release does after a failure, so the
 * client may retry.  VOS_ENOTFOUND when the key is not reserved; VOS_ETOOLARGE for a body
 * over VOS_IDEMPOTENCY_REPLY_MAX (then release the key). */
int vos_app_idempotency_finish(vos_app *app, const vos_actor *who, const char *key, int status,
                               const char *content_type, const char *body);
/* Drops a reserved key (one whose reply is kept stays; an unknown one is ignored). */
int vos_app_idempotency_release(vos_app *app, const vos_actor *who, const char *key);

/* ---- benchmarks, measurements, proof points, alerts ---- */

/* Benchmarks: input values by industry/segment with source and date (vos_benchmark_row).
 * Add: Roles admin, value_engineer; audited "benchmark.add".  List: internal roles and
 * partners; filters of q (input_key, industry, segment) apply. */
int vos_app_benchmark_add(vos_app *app, const vos_actor *who, vos_benchmark_row *row);
int vos_app_benchmark_list(vos_app *app, const vos_actor *who, vos_benchmark_row **out,
                           size_t *n, const vos_store_query *q);

/* Writes a batch of measurements in one transaction, all or nothing, as one ingestion
 * labelled `label`: each row's account must be visible to the actor and have a committed
 * (or later) case with a commitment KPI of that key; values finite; times stamps.  Rows
 * already stored (same account, KPI, time and source) change nothing.  OUT: *added and
 * *unchanged (may be NULL).  The message of a bad row names its index ("measurement 3: ...").
 * Roles: admin, value_engineer, csm; a customer for their own account.
 * 1..VOS_MEASUREMENT_BATCH_MAX rows (VOS_EINVALID, VOS_ETOOLARGE).  A row stored already
 * with another value is VOS_ECONFLICT naming both values.  A batch with no new point writes
 * nothing at all (no ingestion, no audit record) and succeeds.  A customer needs the
 * organisation's customer_measurements (VOS_EFORBIDDEN).  Sets rows[i].id and .ingestion_id
 * of the points inserted. */
int vos_app_measurement_add(vos_app *app, const vos_actor *who, const char *label,
                            vos_measurement_row *rows, size_t n, size_t *added,
                            size_t *unchanged);
/* Measurements, scoped; filters account_id, kpi_key, at (>=, <). */
int vos_app_measurement_list(vos_app *app, const vos_actor *who, vos_measurement_row **out,
                             size_t *n, const vos_store_query *q);

/* Proof points of an account (optional case and KPI).  Roles: admin, value_engineer, csm;
 * read: scoped.  Audited "proof_point.add", "proof_point.update". */
int vos_app_proof_point_add(vos_app *app, const vos_actor *who, vos_proof_point_row *row);
/* Update: `row->revision` must be the current one (VOS_ESTALE otherwise); account_id is
 * fixed (0 keeps it).  The case, if any, must be one of the proof point's account. */
int vos_app_proof_point_update(vos_app *app, const vos_actor *who, vos_proof_point_row *row);
int vos_app_proof_point_list(vos_app *app, const vos_actor *who, vos_proof_point_row **out,
                             size_t *n, const vos_store_query *q);

/* Alerts, scoped; acknowledge (open -> acknowledged) and resolve (open or acknowledged ->
 * resolved).  Roles to update: admin, value_engineer, csm.  Audited "alert.acknowledge",
 * "alert.resolve". */
int vos_app_alert_list(vos_app *app, const vos_actor *who, vos_alert_row **out, size_t *n,
                       const vos_store_query *q);
int vos_app_alert_acknowledge(vos_app *app, const vos_actor *who, int64_t alert_id,
                              vos_alert_row **out);
int vos_app_alert_resolve(vos_app *app, const vos_actor *who, int64_t alert_id,
                          vos_alert_row **out);

/* The commitment of a case and its KPIs (VOS_ENOTFOUND for a case not committed), scoped by
 * the case.  OUT: *out, *kpis[0..*n_kpis) in the order committed (kpis and n_kpis may both be
 * NULL: the KPIs are not read). */
int vos_app_commitment_get(vos_app *app, const vos_actor *who, int64_t case_id,
                           vos_commitment_row **out, vos_commitment_kpi_row **kpis,
                           size_t *n_kpis);

/* ---- operations ---- */

/* Copies the whole database, online, to a new file at `path` (which must not exist:
 * VOS_ECONFLICT), readable by its owner only (vos_store_backup).  Not audited: it writes no
 * entity.  Roles: admin. */
int vos_app_backup(vos_app *app, const vos_actor *who, const char *path);

/* Copies the whole installation of `src` into the store of `app`, which must be empty
 * (vos_store_copy): every entity with its ids, the audit log, password hashes, webhook
 * secrets and the outbox, checked (row counts, audit head, the audit chain) before it is
 * committed.  Not audited: the copy carries the source's own audit log.  `progress` (may be
 * NULL) is told of each entity as it is copied.  Errors: VOS_ECONFLICT (the target is not
 * empty), VOS_ERROR.  Roles: admin. */
int vos_app_copy(vos_app *app, const vos_actor *who, vos_app *src,
                 vos_store_copy_progress progress, void *ctx);

/* Takes the lease of background job `name` ("alerts.evaluate") for `holder` (the process's
 * name for itself, e.g. "host:pid") for `seconds` from now, in its own transaction
 * (vos_store_job_claim): of several processes sharing the database, one runs each scheduled
 * run.  OUT: *claimed (false: another holder's lease has not ended; nothing written). */
int vos_app_job_claim(vos_app *app, bool *claimed, const char *name, const char *holder,
                      double seconds);

#endif
