/* Lists scoped to the accounts an actor may see (customers and partners). */
#include "app_int.h"

#include "vos/error.h"

#include <stdlib.h>
#include <string.h>

/* One page of rows of entity e (accounts or cases) from the store. */
static int page(vos_app *app, vos_entity e, void **rows, size_t *n, const vos_store_query *q)
{
    if (e == VOS_ENTITY_ACCOUNT) {
        vos_account_row *r = NULL;
        int rc = vos_store_account_list(app->st, &r, n, q);
        *rows = r;
        return rc;
    }
    vos_case_row *r = NULL;
    int rc = vos_store_case_list(app->st, &r, n, q);
    *rows = r;
    return rc;
}

static int64_t field_int(const vos_entity_def *def, const void *row, const char *name)
{
    for (size_t i = 0; i < def->n_fields; i++)
        if (strcmp(def->fields[i].name, name) == 0)
            return *(const int64_t *)((const char *)row + def->fields[i].offset);
    return 0;
}

/* Frees the text fields of one row, not the row. */
static void clear_row(const vos_entity_def *def, void *row)
{
    for (size_t i = 0; i < def->n_fields; i++)
        if (def->fields[i].type == VOS_FT_TEXT) {
            char **p = (char **)((char *)row + def->fields[i].offset);
            free(*p);
            *p = NULL;
        }
}

static size_t page_limit(const vos_store_query *q)
{
    size_t limit = q && q->limit ? q->limit : VOS_STORE_PAGE_DEFAULT;
    return limit > VOS_STORE_PAGE_MAX ? VOS_STORE_PAGE_MAX : limit;
}

/* Moves the rows of a store page that `who` may see to the end of *out (at most `limit` in
 * all), frees the others.  OUT: *last, the id of the last row looked at. */
static int keep_visible(vos_app *app, const vos_actor *who, const vos_entity_def *def, char *rows,
                        size_t n, char **out, size_t *n_out, size_t limit, int64_t *last)
{
    const char *account_field = def->entity == VOS_ENTITY_ACCOUNT ? "id" : "account_id";
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char *row = rows + i * def->size;
        int keep = rc == 0 && *n_out < limit &&
                   app_sees_account(app, who, field_int(def, row, account_field));
        if (*n_out < limit) *last = field_int(def, row, "id");
        if (keep) {
            char *grown = realloc(*out, (*n_out + 1) * def->size);
            if (!grown) {
                rc = vos_error_set(VOS_ENOMEM, "out of memory");
                keep = 0;
            } else {
                *out = grown;
                memcpy(*out + *n_out * def->size, row, def->size);
                (*n_out)++;
            }
        }
        if (!keep) clear_row(def, row);
    }
    free(rows);
    return rc;
}

int app_scoped_list(vos_app *app, const vos_actor *who, vos_entity e, void **out, size_t *n,
                    const vos_store_query *q)
{
    const vos_entity_def *def = vos_entity_def_get(e);
    vos_store_query pq = q ? *q : (vos_store_query){0};
    size_t limit = page_limit(q);
    pq.limit = limit;
    /* a customer sees one account: let the store filter by it */
    if (who->role == VOS_ROLE_CUSTOMER && pq.n_where < VOS_STORE_FILTERS_MAX)
        pq.where[pq.n_where++] = (vos_store_filter){
            .field = e == VOS_ENTITY_ACCOUNT ? "id" : "account_id", .i = who->account_id};
    char *rows_out = NULL;
    size_t n_out = 0;
    int rc = 0;
    for (;;) {
        void *rows = NULL;
        size_t got = 0;
        rc = page(app, e, &rows, &got, &pq);
        if (rc < 0) break;
        int64_t last = pq.after_id;
        rc = keep_visible(app, who, def, rows, got, &rows_out, &n_out, limit, &last);
        if (rc < 0 || got < limit || n_out >= limit) break;
        pq.after_id = last;
    }
    if (rc < 0) {
        for (size_t i = 0; i < n_out; i++)
            clear_row(def, rows_out + i * def->size);
        free(rows_out);
        return rc;
    }
    *out = rows_out;
    *n = n_out;
    return 0;
}
