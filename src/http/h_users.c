/* Users, the organisation and API tokens: /api/v1/users, /api/v1/organisation,
 * /api/v1/tokens. */
#include "http/h_common.h"

#include "vos/error.h"

#include <string.h>

#define ROLES "admin|value_engineer|seller|csm|executive|customer|partner"

H_ROW_FNS(user, vos_user_row, vos_render_user, id)
H_ROW_FNS(token, vos_api_token_row, vos_render_api_token, id)

static void reply_user(vos_req *rq, int status, const vos_user_row *u)
{
    vos_reply_etag(rq, u->revision);
    vos_render_user(vos_reply_json(rq, status), u);
}

static int list_users(vos_req *rq)
{
    vos_store_query q = {0};
    size_t page;
    int rc = vos_req_page(rq, &q, &page);
    if (rc == 0) rc = h_filter_enum(rq, &q, "role", VOS_ENTITY_USER, "role");
    if (rc < 0) return rc;
    vos_user_row *rows = NULL;
    size_t n = 0;
    rc = vos_app_user_list(vos_req_app(rq), vos_req_actor(rq), &rows, &n, &q);
    if (rc < 0) return vos_reply_error(rq, rc);
    h_page(rq, rows, n, sizeof *rows, page, user_item, user_id);
    vos_user_rows_free(rows, n);
    return 0;
}

static const vos_field user_create_fields[] = {
    {"email", VOS_F_STRING, true, VOS_EMAIL_MAX, NULL, "the user's email, unique (sign-in name)"},
    {"name", VOS_F_STRING, true, 0, NULL, "the user's name"},
    {"role", VOS_F_STRING, true, 0, ROLES, "what the user may do"},
    {"account_id", VOS_F_INTEGER, false, 0, NULL,
     "the account a customer (or partner) is scoped to"},
    {"active", VOS_F_BOOL, false, 0, NULL, "whether the user may sign in (default true)"},
};

static int create_user(vos_req *rq)
{
    json_t *b;
    int rc = vos_req_json(rq, &b);
    if (rc < 0) return rc;
    vos_user_row u = {0};
    u.email = h_dup(rq, b, "email");
    u.name = h_dup(rq, b, "name");
    vos_role_parse(&u.role, h_str(b, "role"));
    u.account_id = h_int(b, "account_id", 0);
    u.active = !h_has(b, "active") || json_is_true(json_object_get(b, "active"));
    rc = vos_app_user_add(vos_req_app(rq), vos_req_actor(rq), &u);
    if (rc < 0) return h_reply_error(rq, rc, b, user_create_fields, H_N(user_create_fields), true);
    vos_reply_location(rq, H_API "/users/%lld", (long long)u.id);
    reply_user(rq, 201, &u);
    return 0;
}

static int get_user(vos_req *rq)
{
    int64_t id;
    int rc = vos_req_param_id(rq, "user_id", &id);
    if (rc < 0) return rc;
    vos_user_row *u = NULL;
    rc = vos_app_user_get(vos_req_app(rq), vos_req_actor(rq), id, &u);
    if (rc < 0) return vos_reply_error(rq, rc);
    reply_user(rq, 200, u);
    vos_user_row_free(u);
    return 0;
}

static const vos_field user_update_fields[] = {
    {"name", VOS_F_STRING, false, 0, NULL, "the user's name"},
    {"role", VOS_F_STRING, false, 0, ROLES, "what the user may do"},
    {"account_id", VOS_F_INTEGER, false, 0, NULL,
     "the account a customer (or partner) is scoped to; null: none"},
    {"active", VOS_F_BOOL, false, 0, NULL, "false ends the user's sessions and revokes tokens"},
};

/* PATCH: the fields given replace the stored ones (null clears account_id). */
static int update_user(vos_req *rq)
{
    int64_t id, revision;
    json_t *b;
    int rc = vos_req_param_id(rq, "user_id", &id);
    if (rc == 0) rc = vos_req_json(rq, &b);
    if (rc == 0) rc = vos_req_if_match(rq, &revision);
    if (rc < 0) return rc;
    vos_user_row *u = NULL;
    rc = vos_app_user_get(vos_req_app(rq), vos_req_actor(rq), id, &u);
    if (rc < 0) return vos_reply_error(rq, rc);
    char *old_name = u->name;
    if (h_has(b, "name")) u->name = h_dup(rq, b, "name");
    if (h_has(b, "role")) vos_role_parse(&u->role, h_str(b, "role"));
    if (json_object_get(b, "account_id")) u->account_id = h_int(b, "account_id", 0);
    if (h_has(b, "active")) u->active = json_is_true(json_object_get(b, "active"));
    if (revision) u->revision = revision;
    rc = vos_app_user_update(vos_req_app(rq), vos_req_actor(rq), u);
    if (rc < 0)
        h_reply_error(rq, rc, b, user_update_fields, H_N(user_update_fields), true);
    else
        reply_user(rq, 200, u);
    if (u->name != old_name) u->name = old_name; /* the request owns the new name */
    vos_user_row_free(u);
    return rc;
}

static const vos_field password_fields[] = {
    {"password", VOS_F_STRING, true, VOS_PASSWORD_MAX, NULL,
     "the new password: at least 12 characters"},
};

static int set_password(vos_req *rq)
{
    int64_t id;
    json_t *b;
    int rc = vos_req_param_id(rq, "user_id", &id);
    if (rc == 0) rc = vos_req_json(rq, &b);
    if (rc < 0) return rc;
    rc = vos_app_user_set_password(vos_req_app(rq), vos_req_actor(rq), id, h_str(b, "password"));
    if (rc < 0) return h_reply_error(rq, rc, b, password_fields, H_N(password_fields), false);
    return vos_reply_empty(rq, 204);
}

static int get_organisation(vos_req *rq)
{
    vos_organisation_row *org = NULL;
    int rc = vos_app_organisation_get(vos_req_app(rq), vos_req_actor(rq), &org);
    if (rc < 0) return vos_reply_error(rq, rc);
    vos_reply_etag(rq, org->revision);
    vos_render_organisation(vos_reply_json(rq, 200), org);
    vos_organisation_row_free(org);
    return 0;
}

static int list_tokens(vos_req *rq)
{
    vos_store_query q = {0};
    size_t page;
    int rc = vos_req_page(rq, &q, &page);
    if (rc < 0) return rc;
    vos_api_token_row *rows = NULL;
    size_t n = 0;
    rc = vos_app_token_list(vos_req_app(rq), vos_req_actor(rq), &rows, &n, &q);
    if (rc < 0) return vos_reply_error(rq, rc);
    h_page(rq, rows, n, sizeof *rows, page, token_item, token_id);
    vos_api_token_rows_free(rows, n);
    return 0;
}

static const vos_field token_fields[] = {
    {"name", VOS_F_STRING, true, 0, NULL, "what the token is for, unique among the user's"},
};

/* 201 {"token": ApiToken, "secret": "vos_..."}: the secret is shown this once. */
static int create_token(vos_req *rq)
{
    json_t *b;
    int rc = vos_req_json(rq, &b);
    if (rc < 0) return rc;
    char secret[VOS_SECRET_SIZE];
    vos_api_token_row *t = NULL;
    rc = vos_app_token_create(vos_req_app(rq), vos_req_actor(rq), h_str(b, "name"), secret, &t);
    if (rc < 0) return h_reply_error(rq, rc, b, token_fields, H_N(token_fields), false);
    vos_jw *w = vos_reply_json(rq, 201);
    vos_jw_object(w);
    vos_jw_key(w, "token");
    vos_render_api_token(w, t);
    vos_jw_key(w, "secret");
    vos_jw_string(w, secret);
    vos_jw_end(w);
    vos_reply_header(rq, "Cache-Control", "no-store");
    vos_api_token_row_free(t);
    memset(secret, 0, sizeof secret);
    return 0;
}

static int revoke_token(vos_req *rq)
{
    int64_t id;
    int rc = vos_req_param_id(rq, "token_id", &id);
    if (rc < 0) return rc;
    rc = vos_app_token_revoke(vos_req_app(rq), vos_req_actor(rq), id);
    if (rc < 0) return vos_reply_error(rq, rc);
    return vos_reply_empty(rq, 204);
}

static const char *const user_query[] = {"role", NULL};

static const vos_route routes[] = {
    {"GET", H_API "/users", list_users, VOS_ROUTE_LIST, "listUsers", "users",
     "List the users of the organisation", NULL, 0, NULL, user_query, 200, "User"},
    {"POST", H_API "/users", create_user, 0, "createUser", "users",
     "Add a user (without a password: set one with setUserPassword)", user_create_fields,
     H_N(user_create_fields), NULL, NULL, 201, "User"},
    {"GET", H_API "/users/{user_id}", get_user, 0, "getUser", "users", "Read one user", NULL, 0,
     NULL, NULL, 200, "User"},
    {"PATCH", H_API "/users/{user_id}", update_user, 0, "updateUser", "users",
     "Change a user's name, role, account or active flag (If-Match: the revision)",
     user_update_fields, H_N(user_update_fields), NULL, NULL, 200, "User"},
    {"PUT", H_API "/users/{user_id}/password", set_password, 0, "setUserPassword", "users",
     "Set a user's password (one's own, or anyone's as an admin)", password_fields,
     H_N(password_fields), NULL, NULL, 204, NULL},
    {"GET", H_API "/organisation", get_organisation, 0, "getOrganisation", "users",
     "Read the organisation's settings", NULL, 0, NULL, NULL, 200, "Organisation"},
    {"GET", H_API "/tokens", list_tokens, VOS_ROUTE_LIST, "listTokens", "users",
     "List one's API tokens (an admin: every user's)", NULL, 0, NULL, NULL, 200, "ApiToken"},
    {"POST", H_API "/tokens", create_token, 0, "createToken", "users",
     "Create an API token; the reply shows its secret once", token_fields, H_N(token_fields), NULL,
     NULL, 201, "ApiTokenCreated"},
    {"DELETE", H_API "/tokens/{token_id}", revoke_token, 0, "revokeToken", "users",
     "Revoke an API token", NULL, 0, NULL, NULL, 204, NULL},
};

const vos_route_set vos_routes_users = {routes, H_N(routes)};
