/* Value models and their versions: /api/v1/models. */
#include "http/h_common.h"

#include "vos/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MODEL_MEDIA "application/yaml, application/json"

H_ROW_FNS(model, vos_model_row, vos_render_model, id)

static int list_models(vos_req *rq)
{
    vos_store_query q = {0};
    size_t page;
    int rc = vos_req_page(rq, &q, &page);
    if (rc < 0) return rc;
    vos_model_row *rows = NULL;
    size_t n = 0;
    rc = vos_app_model_list(vos_req_app(rq), vos_req_actor(rq), &rows, &n, &q);
    if (rc < 0) return vos_reply_error(rq, rc);
    h_page(rq, rows, n, sizeof *rows, page, model_item, model_id);
    vos_model_rows_free(rows, n);
    return 0;
}

/* Whether the Content-Type (without parameters) is one of a model's media types; an absent
 * one is accepted (the loader tells YAML from JSON itself). */
static bool model_media(const char *type)
{
    static const char *const ok[] = {"application/yaml", "application/x-yaml", "text/yaml",
                                     "text/x-yaml", "application/json"};
    if (!type) return true;
    size_t len = strcspn(type, "; ");
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (strlen(ok[i]) == len && strncasecmp(type, ok[i], len) == 0) return true;
    return false;
}

/* 422 with every diagnostic of the model: errors [{"line", "column", "severity", "message"}]. */
static int reply_diags(vos_req *rq, const vos_diags *d)
{
    vos_jw w;
    vos_jw_init(&w, VOS_HTTP_REPLY_MAX);
    vos_jw_object(&w);
    vos_jw_key(&w, "type");
    vos_jw_string(&w, "https://vos.invalid/problems/invalid");
    vos_jw_key(&w, "title");
    vos_jw_string(&w, "Unprocessable Content");
    vos_jw_key(&w, "status");
    vos_jw_integer(&w, 422);
    vos_jw_key(&w, "detail");
    vos_jw_string(&w, vos_error_last());
    vos_jw_key(&w, "errors");
    vos_jw_array(&w);
    for (size_t i = 0; i < d->n; i++) {
        vos_jw_object(&w);
        vos_jw_key(&w, "line");
        vos_jw_integer(&w, d->items[i].line);
        vos_jw_key(&w, "column");
        vos_jw_integer(&w, d->items[i].col);
        vos_jw_key(&w, "severity");
        vos_jw_string(&w, d->items[i].severity == VOS_DIAG_ERROR ? "error" : "warning");
        vos_jw_key(&w, "message");
        vos_jw_string(&w, d->items[i].msg);
        vos_jw_end(&w);
    }
    vos_jw_end(&w);
    vos_jw_end(&w);
    char *text = NULL;
    size_t len = 0;
    int rc = vos_jw_finish(&w, &text, &len);
    if (rc < 0) return vos_reply_error(rq, rc);
    vos_reply_text(rq, 422, "application/problem+json", text, len);
    free(text);
    return VOS_EINVALID;
}

/* The key of model `model_id` into a string of the request's memory (NULL when not found). */
static const char *model_key(vos_req *rq, int64_t model_id)
{
    vos_store_query q = {.limit = 1, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "id", .cmp = VOS_CMP_EQ, .i = model_id};
    vos_model_row *m = NULL;
    size_t n = 0;
    const char *key = NULL;
    if (vos_app_model_list(vos_req_app(rq), vos_req_actor(rq), &m, &n, &q) == 0 && n)
        key = vos_req_strdup(rq, m[0].key);
    vos_model_rows_free(m, n);
    return key;
}

static void reply_version(vos_req *rq, int status, const vos_model_version_row *v, const char *key,
                          bool source)
{
    vos_reply_etag(rq, v->revision);
    vos_render_model_version(vos_reply_json(rq, status), v, key, source);
}

/* The body is the model text (YAML or JSON) itself. */
static int import_model(vos_req *rq)
{
    const char *type = vos_req_header(rq, "Content-Type");
    if (!model_media(type))
        return vos_reply_problem(rq, 415, "a model is sent as %s, not %s", MODEL_MEDIA, type);
    size_t len = 0;
    const char *text = vos_req_body(rq, &len);
    if (len == 0) return vos_reply_problem(rq, 400, "the request needs the model text as body");
    vos_diags d;
    vos_diags_init(&d);
    vos_model_version_row *v = NULL;
    int rc =
        vos_app_model_import(vos_req_app(rq), vos_req_actor(rq), text, len, "the model", &d, &v);
    vos_diags_sort(&d);
    if (rc < 0 && d.n_errors > 0)
        rc = reply_diags(rq, &d);
    else if (rc < 0)
        vos_reply_error(rq, rc);
    vos_diags_free(&d);
    if (rc < 0) return rc;
    const char *key = model_key(rq, v->model_id);
    if (key) vos_reply_location(rq, H_API "/models/%s/versions/%s", key, v->version);
    reply_version(rq, 201, v, key, false);
    vos_model_version_row_free(v);
    return 0;
}

static int get_model(vos_req *rq)
{
    const char *key = vos_req_param(rq, "key");
    vos_store_query q = {.limit = 1, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "key", .cmp = VOS_CMP_EQ, .s = key};
    vos_model_row *m = NULL;
    size_t n = 0;
    int rc = vos_app_model_list(vos_req_app(rq), vos_req_actor(rq), &m, &n, &q);
    if (rc < 0) return vos_reply_error(rq, rc);
    if (n == 0) {
        vos_model_rows_free(m, n);
        return vos_reply_problem(rq, 404, "model '%s' does not exist", key);
    }
    vos_reply_etag(rq, m[0].revision);
    vos_render_model(vos_reply_json(rq, 200), &m[0]);
    vos_model_rows_free(m, n);
    return 0;
}

/* The versions, oldest first, paged by id in memory (a model has few). */
static int list_versions(vos_req *rq)
{
    const char *key = vos_req_param(rq, "key");
    vos_store_query q = {0};
    size_t page;
    int rc = vos_req_page(rq, &q, &page);
    if (rc < 0) return rc;
    vos_model_version_row *v = NULL;
    size_t n = 0;
    rc = vos_app_model_versions(vos_req_app(rq), vos_req_actor(rq), key, &v, &n);
    if (rc < 0) return vos_reply_error(rq, rc);
    vos_jw *w = vos_reply_page(rq);
    size_t shown = 0;
    int64_t last = 0;
    bool more = false;
    for (size_t i = 0; i < n; i++) {
        if (v[i].id <= q.after_id) continue;
        if (shown == page) {
            more = true;
            break;
        }
        vos_render_model_version(w, &v[i], key, false);
        last = v[i].id;
        shown++;
    }
    vos_reply_page_end(rq, more ? last : 0);
    vos_model_version_rows_free(v, n);
    return 0;
}

static int get_version(vos_req *rq)
{
    const char *key = vos_req_param(rq, "key"), *version = vos_req_param(rq, "version");
    bool source;
    int rc = h_query_bool(rq, "source", &source);
    if (rc < 0) return rc;
    vos_model_version_row *v = NULL;
    size_t n = 0;
    rc = vos_app_model_versions(vos_req_app(rq), vos_req_actor(rq), key, &v, &n);
    if (rc < 0) return vos_reply_error(rq, rc);
    size_t i = 0;
    while (i < n && strcmp(v[i].version, version) != 0)
        i++;
    if (i == n)
        rc = vos_reply_problem(rq, 404, "model '%s' has no version '%s'", key, version);
    else
        reply_version(rq, 200, &v[i], key, source);
    vos_model_version_rows_free(v, n);
    return rc;
}

static int move_version(vos_req *rq, bool retire)
{
    const char *key = vos_req_param(rq, "key"), *version = vos_req_param(rq, "version");
    vos_model_version_row *v = NULL;
    int rc = retire ? vos_app_model_retire(vos_req_app(rq), vos_req_actor(rq), key, version, &v)
                    : vos_app_model_approve(vos_req_app(rq), vos_req_actor(rq), key, version, &v);
    if (rc < 0) return vos_reply_error(rq, rc);
    reply_version(rq, 200, v, key, false);
    vos_model_version_row_free(v);
    return 0;
}

static int approve_version(vos_req *rq)
{
    return move_version(rq, false);
}

static int retire_version(vos_req *rq)
{
    return move_version(rq, true);
}

/* ModelDiff: {"model", "from", "to", "changes": [...], "figures": [...]}. */
static int diff_model(vos_req *rq)
{
    const char *key = vos_req_param(rq, "key");
    const char *from = vos_req_query(rq, "from"), *to = vos_req_query(rq, "to");
    if (!from) vos_req_error(rq, "from", "is required: the version to compare from");
    if (!to) vos_req_error(rq, "to", "is required: the version to compare to");
    int rc = vos_req_errors_reply(rq, 400);
    if (rc < 0) return rc;
    vos_changes ch = {0};
    rc = vos_app_model_diff(vos_req_app(rq), vos_req_actor(rq), key, from, to, &ch);
    if (rc < 0) return vos_reply_error(rq, rc);
    vos_jw *w = vos_reply_json(rq, 200);
    vos_jw_object(w);
    vos_jw_key(w, "model");
    vos_jw_string(w, key);
    vos_jw_key(w, "from");
    vos_jw_string(w, from);
    vos_jw_key(w, "to");
    vos_jw_string(w, to);
    vos_render_changes(w, &ch);
    vos_jw_end(w);
    vos_changes_free(&ch);
    return 0;
}

static const char *const version_query[] = {"source", NULL};
static const char *const diff_query[] = {"from", "to", NULL};

static const vos_route routes[] = {
    {"GET", H_API "/models", list_models, VOS_ROUTE_LIST, "listModels", "models",
     "List the value models", NULL, 0, NULL, NULL, 200, "Model"},
    {"POST", H_API "/models", import_model, 0, "importModel", "models",
     "Import a model text (YAML or JSON) as a draft version; 422 lists every problem with its "
     "line and column",
     NULL, 0, MODEL_MEDIA, NULL, 201, "ModelVersion"},
    {"GET", H_API "/models/{key}", get_model, 0, "getModel", "models", "Read one model", NULL, 0,
     NULL, NULL, 200, "Model"},
    {"GET", H_API "/models/{key}/versions", list_versions, VOS_ROUTE_LIST, "listModelVersions",
     "models", "List the versions of a model, oldest first", NULL, 0, NULL, NULL, 200,
     "ModelVersion"},
    {"GET", H_API "/models/{key}/versions/{version}", get_version, 0, "getModelVersion", "models",
     "Read one version (?source=true includes the model text)", NULL, 0, NULL, version_query, 200,
     "ModelVersion"},
    {"POST", H_API "/models/{key}/versions/{version}/approve", approve_version, 0,
     "approveModelVersion", "models", "Approve a draft version: it becomes immutable", NULL, 0,
     NULL, NULL, 200, "ModelVersion"},
    {"POST", H_API "/models/{key}/versions/{version}/retire", retire_version, 0,
     "retireModelVersion", "models", "Retire an approved version", NULL, 0, NULL, NULL, 200,
     "ModelVersion"},
    {"GET", H_API "/models/{key}/diff", diff_model, 0, "diffModel", "models",
     "Every change between two versions: elements, then the figures of the three scenarios", NULL,
     0, NULL, diff_query, 200, "ModelDiff"},
};

const vos_route_set vos_routes_models = {routes, H_N(routes)};
