/* The names a list of cases shows next to each case: account, model key and version. */
#include "app_int.h"

#include "vos/error.h"

#include <stdlib.h>

void vos_case_names_free(vos_case_names *names, size_t n)
{
    for (size_t i = 0; names && i < n; i++) {
        free(names[i].account);
        free(names[i].model);
        free(names[i].version);
    }
    free(names);
}

/* The names of rows[i], copied from an earlier row with the same account or version when
 * there is one (a page of cases names few accounts and models). */
static int names_of(vos_app *app, const vos_case_row *rows, vos_case_names *names, size_t i)
{
    vos_case_names *nm = &names[i];
    for (size_t j = 0; j < i && !nm->account; j++)
        if (rows[j].account_id == rows[i].account_id) nm->account = app_strdup(names[j].account);
    for (size_t j = 0; j < i && !nm->model; j++)
        if (rows[j].model_version_id == rows[i].model_version_id) {
            nm->model = app_strdup(names[j].model);
            nm->version = app_strdup(names[j].version);
        }
    int rc = 0;
    if (!nm->account) {
        vos_account_row *a = NULL;
        rc = vos_store_account_get(app->st, &a, rows[i].account_id);
        if (rc == 0) nm->account = app_strdup(a->name);
        vos_account_row_free(a);
    }
    if (rc == 0 && !nm->model) {
        vos_model_version_row *v = NULL;
        vos_model_row *m = NULL;
        rc = vos_store_model_version_get(app->st, &v, rows[i].model_version_id);
        if (rc == 0) rc = vos_store_model_get(app->st, &m, v->model_id);
        if (rc == 0) {
            nm->model = app_strdup(m->key);
            nm->version = app_strdup(v->version);
        }
        vos_model_version_row_free(v);
        vos_model_row_free(m);
    }
    if (rc == 0 && (!nm->account || !nm->model || !nm->version))
        rc = vos_error_set(VOS_ENOMEM, "out of memory");
    return rc;
}

int vos_app_case_names(vos_app *app, const vos_actor *who, const vos_case_row *rows, size_t n,
                       vos_case_names **out)
{
    *out = NULL;
    int rc = app_allow(who, VOS_OP_CASE_READ);
    if (rc < 0) return rc;
    vos_case_names *names = calloc(n ? n : 1, sizeof *names);
    if (!names) return vos_error_set(VOS_ENOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = names_of(app, rows, names, i);
    if (rc < 0) {
        vos_case_names_free(names, n);
        return rc;
    }
    *out = names;
    return 0;
}
