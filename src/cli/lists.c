/* Whole lists from the paged list operations of the app layer. */
#include "cli.h"

#include "vos/app.h"
#include "vos/error.h"

#include <stdlib.h>
#include <string.h>

/* Defines NAME(app, &rows, &n, base, max): the rows of LIST matching `base` (its filters and
 * order; NULL for all), at most `max` of them (0: all), page by page with the key KEY as the
 * cursor. */
#define CLI_DEFINE_ALL(NAME, ROW, LIST, FREE, KEY, WHAT)                                           \
    int NAME(vos_app *app, ROW **out, size_t *n, const vos_store_query *base, size_t max)          \
    {                                                                                              \
        vos_actor who = vos_actor_system();                                                        \
        ROW *all = NULL;                                                                           \
        size_t n_all = 0;                                                                          \
        vos_store_query q = {0};                                                                   \
        if (base) q = *base;                                                                       \
        *out = NULL;                                                                               \
        *n = 0;                                                                                    \
        for (;;) {                                                                                 \
            q.limit = VOS_STORE_PAGE_MAX;                                                          \
            if (max && max - n_all < q.limit) q.limit = max - n_all;                               \
            ROW *page = NULL;                                                                      \
            size_t n_page = 0;                                                                     \
            int err = LIST(app, &who, &page, &n_page, &q);                                         \
            if (err < 0) {                                                                         \
                FREE(all, n_all);                                                                  \
                return err;                                                                        \
            }                                                                                      \
            if (n_page == 0) {                                                                     \
                FREE(page, 0);                                                                     \
                break;                                                                             \
            }                                                                                      \
            ROW *grown = realloc(all, (n_all + n_page) * sizeof *all);                             \
            if (!grown) {                                                                          \
                FREE(page, n_page);                                                                \
                FREE(all, n_all);                                                                  \
                return vos_error_set(VOS_ENOMEM, "out of memory listing " WHAT);                   \
            }                                                                                      \
            all = grown;                                                                           \
            memcpy(all + n_all, page, n_page * sizeof *page);                                      \
            n_all += n_page;                                                                       \
            q.after_id = page[n_page - 1].KEY;                                                     \
            free(page); /* its rows now belong to `all` */                                         \
            if (n_page < q.limit || (max && n_all >= max)) break;                                  \
        }                                                                                          \
        *out = all;                                                                                \
        *n = n_all;                                                                                \
        return 0;                                                                                  \
    }

CLI_DEFINE_ALL(cli_accounts_all, vos_account_row, vos_app_account_list, vos_account_rows_free, id,
               "accounts")
CLI_DEFINE_ALL(cli_models_all, vos_model_row, vos_app_model_list, vos_model_rows_free, id, "models")
CLI_DEFINE_ALL(cli_cases_all, vos_case_row, vos_app_case_list, vos_case_rows_free, id, "cases")
CLI_DEFINE_ALL(cli_audit_all, vos_audit_row, vos_app_audit_log, vos_audit_rows_free, seq,
               "audit records")
