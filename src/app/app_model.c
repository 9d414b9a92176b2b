/* Value models: import as drafts, approve, retire, list, load and compare versions. */
#include "app_int.h"

#include "vos/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- lookups -------------------------------------------------------------------------------- */

int app_model_key(char out[VOS_ID_MAX + 1], const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0) return vos_error_set(VOS_EINVALID, "the model key is empty");
    if (n > VOS_ID_MAX)
        return vos_error_set(VOS_EINVALID, "model key '%.*s...' is longer than %d characters",
                             VOS_ID_MAX, id, VOS_ID_MAX);
    memcpy(out, id, n + 1);
    return 0;
}

int app_model_by_key(vos_app *app, const char *key, vos_model_row **out)
{
    *out = NULL;
    char stored[VOS_ID_MAX + 1];
    int rc = app_model_key(stored, key);
    if (rc < 0) return rc;
    rc = vos_store_model_by_key(app->st, out, stored);
    if (rc == VOS_ENOTFOUND) return vos_error_set(VOS_ENOTFOUND, "model '%s' does not exist", key);
    return rc;
}

/* Every version of a model, in id order (oldest first).  OUT: *out, *n. */
static int all_versions(vos_app *app, int64_t model_id, vos_model_version_row **out, size_t *n)
{
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "model_id", .i = model_id};
    vos_model_version_row *all = NULL;
    size_t n_all = 0;
    int rc = 0;
    for (;;) {
        vos_model_version_row *page = NULL;
        size_t got = 0;
        rc = vos_store_model_version_list(app->st, &page, &got, &q);
        if (rc < 0) break;
        vos_model_version_row *grown = got ? realloc(all, (n_all + got) * sizeof *all) : all;
        if (!grown) {
            vos_model_version_rows_free(page, got);
            rc = vos_error_set(VOS_ENOMEM, "out of memory");
            break;
        }
        all = grown;
        if (got) memcpy(all + n_all, page, got * sizeof *page);
        n_all += got;
        free(page); /* the rows' strings moved to `all` */
        if (got < q.limit) break;
        q.after_id = all[n_all - 1].id;
    }
    if (rc < 0) {
        vos_model_version_rows_free(all, n_all);
        return rc;
    }
    *out = all;
    *n = n_all;
    return 0;
}

int app_version_find(vos_app *app, const vos_model_row *model, const char *version,
                     vos_model_version_row **out)
{
    *out = NULL;
    if (version) {
        int rc = vos_store_model_version_find(app->st, out, model->id, version);
        if (rc == VOS_ENOTFOUND)
            return vos_error_set(VOS_ENOTFOUND, "model '%s' has no version '%.*s'", model->key,
                                 VOS_ID_MAX, version);
        return rc;
    }
    vos_model_version_row *all = NULL;
    size_t n = 0;
    int rc = all_versions(app, model->id, &all, &n);
    if (rc < 0) return rc;
    long best = -1;
    for (size_t i = 0; i < n; i++)
        if (all[i].status == VOS_VERSION_APPROVED &&
            (best < 0 || app_semver_cmp(all[i].version, all[best].version) > 0))
            best = (long)i;
    if (best < 0) {
        vos_model_version_rows_free(all, n);
        return vos_error_set(VOS_ENOTFOUND, "model '%s' has no approved version", model->key);
    }
    int64_t id = all[best].id;
    vos_model_version_rows_free(all, n);
    return vos_store_model_version_get(app->st, out, id);
}

int app_version_load(const vos_model_version_row *v, const char *key, vos_model **out)
{
    vos_diags diags;
    vos_diags_init(&diags);
    int rc = vos_model_load(out, v->source, strlen(v->source), key, &diags);
    if (rc < 0) {
        const char *first = "";
        for (size_t i = 0; i < diags.n; i++)
            if (diags.items[i].severity == VOS_DIAG_ERROR) {
                first = diags.items[i].msg;
                break;
            }
        rc = vos_error_set(VOS_ERROR, "model '%s' version %s no longer loads: %s", key, v->version,
                           *first ? first : vos_error_last());
    }
    vos_diags_free(&diags);
    return rc;
}

int app_version_load_cached(vos_app *app, const vos_model_version_row *v, const char *key,
                            vos_model **out)
{
    app_cached_model *slot = &app->models[0];
    for (size_t i = 0; i < APP_MODEL_CACHE; i++) {
        app_cached_model *e = &app->models[i];
        if (e->model && e->version_id == v->id && strcmp(e->sha256, v->content_sha256) == 0) {
            e->used = ++app->tick;
            *out = vos_model_ref(e->model);
            return 0;
        }
        if (!e->model || (slot->model && e->used < slot->used)) slot = e;
    }
    int rc = app_version_load(v, key, out);
    if (rc < 0) return rc;
    vos_model_free(slot->model);
    slot->version_id = v->id;
    memcpy(slot->sha256, v->content_sha256, sizeof slot->sha256);
    slot->model = vos_model_ref(*out);
    slot->used = ++app->tick;
    return 0;
}

/* ---- import --------------------------------------------------------------------------------- */

static bool same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Creates the model row of `m`, or brings its name and description up to date. */
static int import_model_row(vos_app *app, const vos_actor *who, const vos_model *m,
                            int64_t *model_id)
{
    const char *name = m->name ? m->name : m->id;
    char key[VOS_ID_MAX + 1];
    int rc = app_model_key(key, m->id);
    if (rc < 0) return rc;
    vos_model_row *row = NULL;
    rc = vos_store_model_by_key(app->st, &row, key);
    if (rc == VOS_ENOTFOUND) {
        vos_model_row fresh = {.key = key, .name = (char *)name, .description = m->description};
        rc = vos_store_model_create(app->st, &fresh);
        if (rc == 0) rc = app_audit(app, who, "model.import", VOS_ENTITY_MODEL, fresh.id, NULL);
        *model_id = fresh.id;
        return rc;
    }
    if (rc < 0) {
        vos_model_row_free(row);
        return rc;
    }
    *model_id = row->id;
    if (!same_text(row->name, name) || !same_text(row->description, m->description)) {
        char *before = NULL;
        rc = app_before(app, VOS_ENTITY_MODEL, row->id, &before);
        char *old_name = row->name, *old_desc = row->description;
        row->name = (char *)name;
        row->description = m->description;
        if (rc == 0) rc = vos_store_model_update(app->st, row);
        row->name = old_name;
        row->description = old_desc;
        if (rc == 0)
            rc = app_audit(app, who, "model.import", VOS_ENTITY_MODEL, row->id, before);
        else
            free(before);
    }
    vos_model_row_free(row);
    return rc;
}

/* Creates the draft version, or replaces the source of an existing draft. */
static int import_version_row(vos_app *app, const vos_actor *who, const vos_model *m,
                              int64_t model_id, char *source, int64_t *version_id)
{
    vos_model_version_row *v = NULL;
    int rc = vos_store_model_version_find(app->st, &v, model_id, m->version);
    if (rc == VOS_ENOTFOUND) {
        vos_model_version_row fresh = {.model_id = model_id,
                                       .version = m->version,
                                       .status = VOS_VERSION_DRAFT,
                                       .source = source,
                                       .created_by = who->user_id};
        rc = vos_store_model_version_create(app->st, &fresh);
        if (rc == 0)
            rc = app_audit(app, who, "model.import", VOS_ENTITY_MODEL_VERSION, fresh.id, NULL);
        *version_id = fresh.id;
        return rc;
    }
    if (rc < 0) return rc;
    *version_id = v->id;
    if (v->status != VOS_VERSION_DRAFT) {
        rc = vos_error_set(VOS_ECONFLICT,
                           "model '%s' version %s is %s and immutable; give the change a new "
                           "version number",
                           m->id, m->version, vos_version_status_name(v->status));
    } else if (strcmp(v->source, source) != 0) {
        char *before = NULL;
        rc = app_before(app, VOS_ENTITY_MODEL_VERSION, v->id, &before);
        char *old = v->source;
        v->source = source;
        if (rc == 0) rc = vos_store_model_version_update(app->st, v);
        v->source = old;
        if (rc == 0)
            rc = app_audit(app, who, "model.import", VOS_ENTITY_MODEL_VERSION, v->id, before);
        else
            free(before);
    }
    vos_model_version_row_free(v);
    return rc;
}

int vos_app_model_import(vos_app *app, const vos_actor *who, const char *text, size_t len,
                         const char *filename, vos_diags *diags, vos_model_version_row **out)
{
    if (out) *out = NULL;
    int rc = app_allow(who, VOS_OP_MODEL_WRITE);
    if (rc < 0) return rc;
    if (!text) return vos_error_set(VOS_EINVALID, "the model text is missing");
    const char *shown = filename ? filename : "the model";
    if (memchr(text, '\0', len))
        return vos_error_set(VOS_EINVALID, "%s holds a NUL byte: it is not a text file", shown);
    vos_model *m = NULL;
    rc = vos_model_load(&m, text, len, filename, diags);
    if (rc < 0)
        return vos_error_set(rc, "%s has %zu error(s); nothing was imported", shown,
                             diags->n_errors);
    char *source = malloc(len + 1);
    if (!source) {
        vos_model_free(m);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    memcpy(source, text, len);
    source[len] = '\0';
    int64_t model_id = 0, version_id = 0;
    if ((rc = app_begin(app)) == 0) {
        rc = import_model_row(app, who, m, &model_id);
        if (rc == 0) rc = import_version_row(app, who, m, model_id, source, &version_id);
        if (rc == 0 && out) rc = vos_store_model_version_get(app->st, out, version_id);
        rc = app_end(app, rc);
    }
    if (rc < 0 && out) {
        vos_model_version_row_free(*out);
        *out = NULL;
    }
    free(source);
    vos_model_free(m);
    return rc;
}

/* ---- approve, retire ------------------------------------------------------------------------ */

/* Moves version `version` of model `key` from `from` to `to`, stamping the move. */
static int move_version(vos_app *app, const vos_actor *who, const char *key, const char *version,
                        vos_version_status to, vos_model_version_row **out)
{
    if (out) *out = NULL;
    int rc = app_allow(who, VOS_OP_MODEL_WRITE);
    if (rc < 0) return rc;
    if (!version || !*version)
        return vos_error_set(VOS_EINVALID, "give the version of model '%s' to %s", key ? key : "",
                             to == VOS_VERSION_APPROVED ? "approve" : "retire");
    if ((rc = app_begin(app)) < 0) return rc;
    vos_model_row *model = NULL;
    vos_model_version_row *v = NULL;
    char *before = NULL;
    rc = app_model_by_key(app, key, &model);
    if (rc == 0) rc = app_version_find(app, model, version, &v);
    if (rc < 0) goto out;
    vos_version_status from = to == VOS_VERSION_APPROVED ? VOS_VERSION_DRAFT : VOS_VERSION_APPROVED;
    if (v->status == to) {
        rc = vos_error_set(VOS_ECONFLICT, "model '%s' version %s is already %s", key, v->version,
                           vos_version_status_name(to));
        goto out;
    }
    if (v->status != from) {
        rc = vos_error_set(VOS_ECONFLICT, "model '%s' version %s is %s; %s", key, v->version,
                           v->status == VOS_VERSION_DRAFT ? "a draft" : "retired",
                           to == VOS_VERSION_APPROVED ? "only a draft version can be approved"
                                                      : "only an approved version can be retired");
        goto out;
    }
    char now[VOS_STAMP_SIZE];
    vos_store_now(now);
    rc = app_before(app, VOS_ENTITY_MODEL_VERSION, v->id, &before);
    if (rc < 0) goto out;
    char **stamp = to == VOS_VERSION_APPROVED ? &v->approved_at : &v->retired_at;
    free(*stamp);
    *stamp = app_strdup(now);
    if (!*stamp) {
        rc = vos_error_set(VOS_ENOMEM, "out of memory");
        goto out;
    }
    v->status = to;
    if (to == VOS_VERSION_APPROVED) v->approved_by = who->user_id;
    rc = vos_store_model_version_update(app->st, v);
    if (rc == 0) {
        rc = app_audit(app, who, to == VOS_VERSION_APPROVED ? "model.approve" : "model.retire",
                       VOS_ENTITY_MODEL_VERSION, v->id, before);
        before = NULL;
    }
    if (rc == 0 && out) rc = vos_store_model_version_get(app->st, out, v->id);
out:
    free(before);
    vos_model_row_free(model);
    vos_model_version_row_free(v);
    rc = app_end(app, rc);
    if (rc < 0 && out) {
        vos_model_version_row_free(*out);
        *out = NULL;
    }
    return rc;
}

int vos_app_model_approve(vos_app *app, const vos_actor *who, const char *key, const char *version,
                          vos_model_version_row **out)
{
    return move_version(app, who, key, version, VOS_VERSION_APPROVED, out);
}

int vos_app_model_retire(vos_app *app, const vos_actor *who, const char *key, const char *version,
                         vos_model_version_row **out)
{
    return move_version(app, who, key, version, VOS_VERSION_RETIRED, out);
}

/* ---- reading -------------------------------------------------------------------------------- */

int vos_app_model_list(vos_app *app, const vos_actor *who, vos_model_row **out, size_t *n,
                       const vos_store_query *q)
{
    *out = NULL;
    *n = 0;
    int rc = app_allow(who, VOS_OP_MODEL_READ);
    if (rc < 0) return rc;
    return vos_store_model_list(app->st, out, n, q);
}

int vos_app_model_versions(vos_app *app, const vos_actor *who, const char *key,
                           vos_model_version_row **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int rc = app_allow(who, VOS_OP_MODEL_READ);
    if (rc < 0) return rc;
    vos_model_row *model = NULL;
    rc = app_model_by_key(app, key, &model);
    if (rc == 0) rc = all_versions(app, model->id, out, n);
    vos_model_row_free(model);
    return rc;
}

int vos_app_model_load(vos_app *app, const vos_actor *who, const char *key, const char *version,
                       vos_model **out, vos_model_version_row **row)
{
    *out = NULL;
    if (row) *row = NULL;
    int rc = app_allow(who, VOS_OP_MODEL_READ);
    if (rc < 0) return rc;
    vos_model_row *model = NULL;
    vos_model_version_row *v = NULL;
    rc = app_model_by_key(app, key, &model);
    if (rc == 0) rc = app_version_find(app, model, version, &v);
    if (rc == 0) rc = app_version_load_cached(app, v, model->key, out);
    if (rc == 0 && row) {
        *row = v;
        v = NULL;
    }
    vos_model_version_row_free(v);
    vos_model_row_free(model);
    return rc;
}

/* ---- diff ----------------------------------------------------------------------------------- */

int app_diff_models(vos_changes *out, const vos_model *a, const app_overrides *oa,
                    const vos_model *b, const app_overrides *ob)
{
    vos_case *ca = NULL, *cb = NULL;
    int rc = vos_model_diff(out, a, b);
    if (rc == 0) rc = vos_case_new(&ca, a);
    if (rc == 0) rc = vos_case_new(&cb, b);
    if (rc == 0 && oa) rc = app_overrides_apply(oa, ca);
    if (rc == 0 && ob) rc = app_overrides_apply(ob, cb);
    if (rc == 0) rc = vos_changes_add_figures(out, ca, cb);
    vos_case_free(ca);
    vos_case_free(cb);
    return rc;
}

int vos_app_model_diff(vos_app *app, const vos_actor *who, const char *key, const char *from,
                       const char *to, vos_changes *out)
{
    *out = (vos_changes){0};
    int rc = app_allow(who, VOS_OP_MODEL_READ);
    if (rc < 0) return rc;
    if (!from || !to)
        return vos_error_set(VOS_EINVALID, "give both versions of model '%s' to compare",
                             key ? key : "");
    vos_model_row *model = NULL;
    vos_model_version_row *va = NULL, *vb = NULL;
    vos_model *ma = NULL, *mb = NULL;
    rc = app_model_by_key(app, key, &model);
    if (rc == 0) rc = app_version_find(app, model, from, &va);
    if (rc == 0) rc = app_version_find(app, model, to, &vb);
    if (rc == 0) rc = app_version_load(va, model->key, &ma);
    if (rc == 0) rc = app_version_load(vb, model->key, &mb);
    if (rc == 0) rc = app_diff_models(out, ma, NULL, mb, NULL);
    if (rc < 0) vos_changes_free(out);
    vos_model_free(ma);
    vos_model_free(mb);
    vos_model_version_row_free(va);
    vos_model_version_row_free(vb);
    vos_model_row_free(model);
    return rc;
}
