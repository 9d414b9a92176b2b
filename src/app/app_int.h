/* Internals of the application layer shared by its files. */
#ifndef VOS_APP_INT_H
#define VOS_APP_INT_H

#include "vos/app.h"
#include "vos/jsonw.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define APP_MODEL_CACHE 16 /* loaded model versions kept per application handle */

/* A loaded model version kept for reuse: versions are immutable once approved, and a draft's
 * entry is keyed by its content hash, so a changed draft is loaded again. */
typedef struct app_cached_model {
    int64_t version_id;
    char sha256[VOS_SHA256_HEX_SIZE];
    vos_model *model; /* one reference held by the cache */
    uint64_t used;    /* the tick of its last use (least recently used goes first) */
} app_cached_model;

struct vos_app {
    vos_store *st;
    app_cached_model models[APP_MODEL_CACHE];
    uint64_t tick;
};

/* ---- actors and permissions (app.c) ---- */

/* 0 when `who` is a valid actor allowed to do `op`; VOS_EINVALID for a malformed actor,
 * VOS_EFORBIDDEN (naming the role and the operation) otherwise. */
int app_allow(const vos_actor *who, vos_app_op op);
/* Whether `who` may see rows of account `account_id` (customers and partners only their
 * own; every other role all). */
int app_sees_account(vos_app *app, const vos_actor *who, int64_t account_id);
/* True for the roles whose reads are scoped to accounts (customer, partner). */
bool app_scoped(const vos_actor *who);
/* A page of accounts or cases (entity e) as a scoped actor sees it: the query's page with
 * the rows of other accounts left out, filled up to its limit from the pages after it
 * (scope.c).  OUT: *out (vos_account_row or vos_case_row array), *n. */
int app_scoped_list(vos_app *app, const vos_actor *who, vos_entity e, void **out, size_t *n,
                    const vos_store_query *q);

/* ---- transactions and audit (app.c) ---- */

/* Opens the write transaction of one operation. */
int app_begin(vos_app *app);
/* Ends the operation's transaction: commits when rc is 0, else rolls back keeping the
 * message of rc.  Returns rc, or the commit's error. */
int app_end(vos_app *app, int rc);
/* The snapshot of (entity, id) before a write.  OUT: *before (caller frees). */
int app_before(vos_app *app, vos_entity entity, int64_t id, char **before);
/* Appends the audit record of a write made by `who` as operation `op`; frees `before`. */
int app_audit(vos_app *app, const vos_actor *who, const char *op, vos_entity entity, int64_t id,
              char *before);

/* ---- models (app_model.c) ---- */

/* The store key of a model id: the id itself, copied into `out`.  VOS_EINVALID when it is
 * empty or longer than VOS_ID_MAX; the store checks the grammar. */
int app_model_key(char out[VOS_ID_MAX + 1], const char *id);
/* The model with `key` (a model id or its store key) or VOS_ENOTFOUND "model 'key' does not exist".
 */
int app_model_by_key(vos_app *app, const char *key, vos_model_row **out);
/* The version of a model: `version` NULL = the latest approved one (by semantic version
 * order; VOS_ENOTFOUND "model 'k' has no approved version"). */
int app_version_find(vos_app *app, const vos_model_row *model, const char *version,
                     vos_model_version_row **out);
/* Loads the source of a stored version.  OUT: *out. */
int app_version_load(const vos_model_version_row *v, const char *key, vos_model **out);
/* The same through the handle's cache of loaded versions.  OUT: *out, a reference the caller
 * drops with vos_model_free. */
int app_version_load_cached(vos_app *app, const vos_model_version_row *v, const char *key,
                            vos_model **out);

/* Appends the element changes from model a to model b, then every figure of both, computed
 * with the overrides oa applied to a and ob to b (NULL: none). */
struct app_overrides;
int app_diff_models(vos_changes *out, const vos_model *a, const struct app_overrides *oa,
                    const vos_model *b, const struct app_overrides *ob);

/* ---- semantic versions (semver.c) ---- */

/* Orders two semantic versions by SemVer 2.0.0 precedence (build metadata ignored):
 * negative, 0 or positive. */
int app_semver_cmp(const char *a, const char *b);

/* ---- overrides of a case (overrides.c) ---- */

/* One stored override: the input id and the fields given. */
typedef struct app_override {
    char *input;
    vos_input_override ov; /* ov.evidence is owned by the override */
} app_override;

typedef struct app_overrides {
    app_override *items;
    size_t n;
} app_overrides;

/* Reads the stored JSON {"input": {"value": v, "low": l, "high": h, "evidence": text,
 * "confidence": "low|medium|high"}, ...} (any of the fields; a number alone is the value).
 * OUT: *out. */
int app_overrides_parse(app_overrides *out, const char *json, const char *case_name);
void app_overrides_free(app_overrides *o);
/* The override of `input`, or NULL. */
app_override *app_overrides_find(app_overrides *o, const char *input);
/* Sets (merging the given fields into an existing one) or, with ov NULL, removes one. */
int app_overrides_put(app_overrides *o, const char *input, const vos_input_override *ov);
/* Writes the overrides object into w, in the model's input order (unknown inputs last). */
void app_overrides_write(vos_jw *w, const app_overrides *o, const vos_model *m);
/* Writes the overrides as JSON in the model's input order (unknown inputs last, by name).
 * OUT: *out (caller frees). */
int app_overrides_json(const app_overrides *o, const vos_model *m, char **out);
/* Applies every override to a fresh case.  The first failure is the error (VOS_EINVALID,
 * naming the input). */
int app_overrides_apply(const app_overrides *o, vos_case *c);

/* ---- cases (app_case.c) ---- */

/* The case `case_id` as `who` may see it (VOS_ENOTFOUND otherwise).  OUT: *out. */
int app_case_get(vos_app *app, const vos_actor *who, int64_t case_id, vos_case_row **out);
/* The model of version `version_id` loaded, with the row.  OUT: *model, *row (may be NULL). */
int app_case_model(vos_app *app, int64_t version_id, vos_model **model,
                   vos_model_version_row **row);

/* ---- small helpers (app.c) ---- */

/* A heap copy of s (NULL for NULL); VOS_ENOMEM is reported by the caller. */
char *app_strdup(const char *s);
/* Whether s is a real calendar date YYYY-MM-DD. */
bool app_is_date(const char *s);

#endif
