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
 * frozen, a stale revision, a unique name taken), VOS_EFORBIDDEN (the actor's role may not),
 * VOS_ERROR (I/O).  vos_error_last() explains. */
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
    VOS_OP_BACKUP           /* vos_app_backup */
} vos_app_op;
#define VOS_APP_OP_COUNT 14

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

/* Overrides one input of a hypothesis case (value and/or low/high, in the input's unit).
 * Only inputs can be overridden: naming a driver or cost is VOS_EINVALID ("'x' is a formula
 * of the model; a case overrides inputs only"), an unknown id too; the override must be a
 * valid distribution (vos_case_override).  A committed or later case is VOS_ECONFLICT.
 * The fields given replace those of the input's existing override; the others are kept.
 * Stored as JSON {"input": {"value": v, "low": l, "high": h}} in the model's input order.
 * `expected_revision` 0 skips the optimistic-concurrency check. */
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

/* ---- operations ---- */

/* Copies the whole database, online, to a new file at `path` (which must not exist:
 * VOS_ECONFLICT), readable by its owner only (vos_store_backup).  Not audited: it writes no
 * entity.  Roles: admin. */
int vos_app_backup(vos_app *app, const vos_actor *who, const char *path);

#endif
