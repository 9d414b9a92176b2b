/* Accounts (the vendor's customers): /api/v1/accounts. */
#include "http/h_common.h"

#include "vos/error.h"

#include <stdlib.h>

#define SIZES "smb|mid_market|enterprise"

H_ROW_FNS(account, vos_account_row, vos_render_account, id)

static int list_accounts(vos_req *rq)
{
    vos_store_query q = {0};
    size_t page;
    int rc = vos_req_page(rq, &q, &page);
    if (rc == 0) rc = h_filter_enum(rq, &q, "size", VOS_ENTITY_ACCOUNT, "size");
    if (rc == 0) h_filter_text(rq, &q, "industry", "industry");
    if (rc == 0) rc = h_filter_id(rq, &q, "owner_user_id", "owner_user_id");
    if (rc < 0) return rc;
    vos_account_row *rows = NULL;
    size_t n = 0;
    rc = vos_app_account_list(vos_req_app(rq), vos_req_actor(rq), &rows, &n, &q);
    if (rc < 0) return vos_reply_error(rq, rc);
    h_page(rq, rows, n, sizeof *rows, page, account_item, account_id);
    vos_account_rows_free(rows, n);
    return 0;
}

static const vos_field account_fields[] = {
    {"name", VOS_F_STRING, true, 0, NULL, "the account's name, unique without regard to case"},
    {"industry", VOS_F_STRING, false, 0, NULL, "e.g. \"Financial services\""},
    {"size", VOS_F_STRING, false, 0, SIZES, "the account's size"},
    {"segments", VOS_F_ARRAY, false, VOS_API_SEGMENTS_MAX, NULL,
     "names of segments, e.g. [\"emea\"]"},
    {"owner_user_id", VOS_F_INTEGER, false, 0, NULL, "the user who owns the account"},
};

/* The segments as JSON array text in the request's memory; each must be a string. */
static int segments_text(vos_req *rq, json_t *arr, char **out)
{
    *out = NULL;
    if (!arr || json_is_null(arr)) return 0;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (!json_is_string(v)) vos_req_error(rq, "segments", "must hold names (strings)");
    }
    int rc = vos_req_errors_reply(rq, 400);
    if (rc < 0) return rc;
    char *text = json_dumps(arr, JSON_COMPACT);
    if (!text) return vos_error_set(VOS_ENOMEM, "out of memory");
    *out = vos_req_strdup(rq, text);
    free(text);
    return *out ? 0 : vos_error_set(VOS_ENOMEM, "out of memory");
}

static int create_account(vos_req *rq)
{
    json_t *b;
    int rc = vos_req_json(rq, &b);
    if (rc < 0) return rc;
    vos_account_row a = {0};
    a.name = h_dup(rq, b, "name");
    a.industry = h_dup(rq, b, "industry");
    if (h_has(b, "size")) vos_account_size_parse(&a.size, h_str(b, "size"));
    a.owner_user_id = h_int(b, "owner_user_id", 0);
    rc = segments_text(rq, json_object_get(b, "segments"), &a.segments);
    if (rc < 0) return rc == VOS_ENOMEM ? vos_reply_error(rq, rc) : rc;
    rc = vos_app_account_add(vos_req_app(rq), vos_req_actor(rq), &a);
    if (rc < 0) return h_reply_error(rq, rc, b, account_fields, H_N(account_fields), false);
    vos_reply_location(rq, H_API "/accounts/%lld", (long long)a.id);
    vos_reply_etag(rq, a.revision);
    vos_render_account(vos_reply_json(rq, 201), &a);
    return 0;
}

static int get_account(vos_req *rq)
{
    int64_t id;
    int rc = vos_req_param_id(rq, "account_id", &id);
    if (rc < 0) return rc;
    vos_account_row *a = NULL;
    rc = vos_app_account_by_id(vos_req_app(rq), vos_req_actor(rq), id, &a);
    if (rc < 0) return vos_reply_error(rq, rc);
    vos_reply_etag(rq, a->revision);
    vos_render_account(vos_reply_json(rq, 200), a);
    vos_account_row_free(a);
    return 0;
}

static const char *const list_query[] = {"industry", "size", "owner_user_id", NULL};

static const vos_route routes[] = {
    {"GET", H_API "/accounts", list_accounts, VOS_ROUTE_LIST, "listAccounts", "accounts",
     "List the accounts the caller sees", NULL, 0, NULL, list_query, 200, "Account"},
    {"POST", H_API "/accounts", create_account, 0, "createAccount", "accounts", "Add an account",
     account_fields, H_N(account_fields), NULL, NULL, 201, "Account"},
    {"GET", H_API "/accounts/{account_id}", get_account, 0, "getAccount", "accounts",
     "Read one account", NULL, 0, NULL, NULL, 200, "Account"},
};

const vos_route_set vos_routes_accounts = {routes, H_N(routes)};
