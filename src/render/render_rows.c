/* JSON of stored rows, written from the store's own description of each entity
 * (vos_entity_def), so that the names in JSON are the names of the store. */
#include "render/render.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define UNSTATED "unstated" /* the enum name that means "none" (account size) */

/* The fields a renderer leaves out (NULL-terminated), e.g. secrets. */
typedef const char *const omit_list[];

static bool omitted(const char *name, const char *const *omit)
{
    for (; omit && *omit; omit++)
        if (strcmp(*omit, name) == 0) return true;
    return false;
}

static void text_value(vos_jw *w, const vos_field_def *f, const char *text)
{
    bool json = f->format == VOS_TF_JSON_OBJECT || f->format == VOS_TF_JSON_ARRAY;
    if (json && text) {
        vos_render_stored(w, text);
    } else if (f->format == VOS_TF_JSON_ARRAY) {
        vos_jw_array(w); /* none: an empty list */
        vos_jw_end(w);
    } else if (text) {
        vos_jw_string(w, text);
    } else {
        vos_jw_null(w);
    }
}

static void enum_value(vos_jw *w, const vos_field_def *f, int v)
{
    const char *name = v >= 0 && v < f->n_names ? f->names[v] : NULL;
    if (name && strcmp(name, UNSTATED) != 0)
        vos_jw_string(w, name);
    else
        vos_jw_null(w);
}

static void field_value(vos_jw *w, const vos_field_def *f, const char *base)
{
    const void *p = base + f->offset;
    int64_t i;
    switch (f->type) {
    case VOS_FT_ID:
    case VOS_FT_REVISION:
    case VOS_FT_INT:
        memcpy(&i, p, sizeof i);
        vos_jw_integer(w, (long long)i);
        break;
    case VOS_FT_REF:
        memcpy(&i, p, sizeof i);
        if (i)
            vos_jw_integer(w, (long long)i);
        else
            vos_jw_null(w);
        break;
    case VOS_FT_REAL:
        vos_jw_number(w, *(const double *)p); /* NAN (none) is written as null */
        break;
    case VOS_FT_BOOL:
        vos_jw_bool(w, *(const bool *)p);
        break;
    case VOS_FT_ENUM:
        enum_value(w, f, *(const int *)p);
        break;
    case VOS_FT_TEXT:
        text_value(w, f, *(char *const *)p);
        break;
    case VOS_FT_CREATED:
    case VOS_FT_UPDATED:
    case VOS_FT_DIGEST:
        vos_jw_string(w, (const char *)p);
        break;
    }
}

/* Writes every field of `row` (an entity `e` row) but those in `omit` as keys of the open
 * object. */
static void row_fields(vos_jw *w, vos_entity e, const void *row, const char *const *omit)
{
    const vos_entity_def *def = vos_entity_def_get(e);
    for (size_t k = 0; def && k < def->n_fields; k++) {
        const vos_field_def *f = &def->fields[k];
        if (omitted(f->name, omit)) continue;
        vos_jw_key(w, f->name);
        field_value(w, f, row);
    }
}

static void row_object(vos_jw *w, vos_entity e, const void *row, const char *const *omit)
{
    vos_jw_object(w);
    row_fields(w, e, row, omit);
    vos_jw_end(w);
}

void vos_render_organisation(vos_jw *w, const vos_organisation_row *row)
{
    row_object(w, VOS_ENTITY_ORGANISATION, row, NULL);
}

void vos_render_user(vos_jw *w, const vos_user_row *row)
{
    row_object(w, VOS_ENTITY_USER, row, NULL);
}

void vos_render_account(vos_jw *w, const vos_account_row *row)
{
    row_object(w, VOS_ENTITY_ACCOUNT, row, NULL);
}

void vos_render_model(vos_jw *w, const vos_model_row *row)
{
    row_object(w, VOS_ENTITY_MODEL, row, NULL);
}

void vos_render_model_version(vos_jw *w, const vos_model_version_row *row, const char *key,
                              bool with_source)
{
    static omit_list no_source = {"source", NULL};
    vos_jw_object(w);
    row_fields(w, VOS_ENTITY_MODEL_VERSION, row, with_source ? NULL : no_source);
    if (key) {
        vos_jw_key(w, "model");
        vos_jw_string(w, key);
    }
    vos_jw_end(w);
}

void vos_render_benchmark(vos_jw *w, const vos_benchmark_row *row)
{
    row_object(w, VOS_ENTITY_BENCHMARK, row, NULL);
}

void vos_render_case(vos_jw *w, const vos_case_row *row)
{
    row_object(w, VOS_ENTITY_CASE, row, NULL);
}

void vos_render_case_item(vos_jw *w, const vos_case_row *row, const vos_case_names *names)
{
    vos_jw_object(w);
    row_fields(w, VOS_ENTITY_CASE, row, NULL);
    vos_jw_key(w, "account_name");
    vos_jw_string(w, names->account);
    vos_jw_key(w, "model");
    vos_jw_string(w, names->model);
    vos_jw_key(w, "version");
    vos_jw_string(w, names->version);
    vos_jw_end(w);
}

void vos_render_commitment_kpi(vos_jw *w, const vos_commitment_kpi_row *row)
{
    row_object(w, VOS_ENTITY_COMMITMENT_KPI, row, NULL);
}

void vos_render_commitment(vos_jw *w, const vos_commitment_row *row,
                           const vos_commitment_kpi_row *kpis, size_t n_kpis)
{
    vos_jw_object(w);
    row_fields(w, VOS_ENTITY_COMMITMENT, row, NULL);
    if (kpis) {
        vos_jw_key(w, "kpis");
        vos_jw_array(w);
        for (size_t i = 0; i < n_kpis; i++)
            vos_render_commitment_kpi(w, &kpis[i]);
        vos_jw_end(w);
    }
    vos_jw_end(w);
}

void vos_render_ingestion(vos_jw *w, const vos_ingestion_row *row)
{
    row_object(w, VOS_ENTITY_INGESTION, row, NULL);
}

void vos_render_measurement(vos_jw *w, const vos_measurement_row *row)
{
    row_object(w, VOS_ENTITY_MEASUREMENT, row, NULL);
}

void vos_render_proof_point(vos_jw *w, const vos_proof_point_row *row)
{
    row_object(w, VOS_ENTITY_PROOF_POINT, row, NULL);
}

void vos_render_alert(vos_jw *w, const vos_alert_row *row)
{
    row_object(w, VOS_ENTITY_ALERT, row, NULL);
}

void vos_render_api_token(vos_jw *w, const vos_api_token_row *row)
{
    static omit_list secret = {"secret_sha256", NULL};
    row_object(w, VOS_ENTITY_API_TOKEN, row, secret);
}
