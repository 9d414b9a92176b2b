/* Sessions: signing in (a cookie and its CSRF token), who am I, signing out. */
#include "http/http_int.h"

#include "vos/error.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define COOKIE_MAX 256

/* {"id", "email", "name", "role", "account_id"} of the signed-in user; `name` from the user
 * row when it can be read. */
static void write_user(vos_jw *w, vos_req *rq, const vos_principal *p)
{
    vos_user_row *row = NULL;
    if (vos_app_user_get(vos_req_app(rq), &p->actor, p->actor.user_id, &row) < 0) row = NULL;
    vos_jw_object(w);
    vos_jw_key(w, "id");
    vos_jw_integer(w, p->actor.user_id);
    vos_jw_key(w, "email");
    vos_jw_string(w, p->email);
    vos_jw_key(w, "name");
    vos_jw_string(w, row ? row->name : NULL);
    vos_jw_key(w, "role");
    vos_jw_string(w, vos_role_name(p->actor.role));
    vos_jw_key(w, "account_id");
    if (p->actor.account_id)
        vos_jw_integer(w, p->actor.account_id);
    else
        vos_jw_null(w);
    vos_jw_end(w);
    vos_user_row_free(row);
}

static void set_cookie(vos_req *rq, const char *value, long max_age)
{
    char cookie[COOKIE_MAX];
    snprintf(cookie, sizeof cookie, "%s=%s; HttpOnly; SameSite=Lax; Path=/; Max-Age=%ld%s",
             HTTP_SESSION_COOKIE, value, max_age, rq->srv->cfg->secure_cookies ? "; Secure" : "");
    vos_reply_header(rq, "Set-Cookie", cookie);
}

/* POST /api/v1/session */
static int sign_in(vos_req *rq)
{
    unsigned wait = http_limiter_take(rq->srv->login_limiter, http_req_client(rq), http_wall_s());
    if (wait) {
        http_metrics_rate_limited(rq->srv->metrics);
        vos_reply_problem(rq, 429, "too many sign-in attempts from this address; retry in %u s",
                          wait);
        char after[16];
        snprintf(after, sizeof after, "%u", wait);
        vos_reply_header(rq, "Retry-After", after);
        return VOS_ETOOLARGE;
    }
    json_t *body;
    int rc = vos_req_json(rq, &body);
    if (rc < 0) return rc;
    const char *email = json_string_value(json_object_get(body, "email"));
    const char *password = json_string_value(json_object_get(body, "password"));
    vos_session_out s;
    rc = vos_app_login(vos_req_app(rq), email, password, &s);
    if (rc < 0) return vos_reply_error(rq, rc);
    vos_jw *w = vos_reply_json(rq, 201);
    vos_jw_object(w);
    vos_jw_key(w, "user");
    write_user(w, rq, &s.who);
    vos_jw_key(w, "csrf_token");
    vos_jw_string(w, s.csrf);
    vos_jw_key(w, "expires_at");
    vos_jw_string(w, s.expires_at);
    vos_jw_end(w);
    set_cookie(rq, s.secret, VOS_SESSION_TTL_S);
    rq->log_actor = vos_req_strdup(rq, s.who.email);
    sodium_memzero(&s, sizeof s);
    return 0;
}

/* GET /api/v1/session */
static int whoami(vos_req *rq)
{
    const vos_principal *p = vos_req_principal(rq);
    vos_jw *w = vos_reply_json(rq, 200);
    vos_jw_object(w);
    vos_jw_key(w, "user");
    write_user(w, rq, p);
    vos_jw_key(w, "auth");
    vos_jw_string(w, rq->by_cookie ? "session" : "token");
    vos_jw_key(w, "csrf_token");
    vos_jw_string(w, rq->by_cookie ? rq->csrf : NULL);
    vos_jw_end(w);
    return 0;
}

/* DELETE /api/v1/session: ends the cookie's session (a bearer token has none to end). */
static int sign_out(vos_req *rq)
{
    if (rq->by_cookie && rq->session_secret) {
        int rc = vos_app_logout(vos_req_app(rq), rq->session_secret);
        if (rc < 0) return vos_reply_error(rq, rc);
    }
    vos_reply_empty(rq, 204);
    set_cookie(rq, "", 0);
    return 0;
}

static const vos_field sign_in_fields[] = {
    {"email", VOS_F_STRING, true, VOS_EMAIL_MAX, NULL, "the user's email address"},
    {"password", VOS_F_STRING, true, VOS_PASSWORD_MAX, NULL, "the user's password"},
};

static const vos_route routes[] = {
    {.method = "POST",
     .pattern = "/api/v1/session",
     .handler = sign_in,
     .flags = VOS_ROUTE_PUBLIC,
     .operation_id = "createSession",
     .tag = "session",
     .summary = "Sign in: sets the session cookie and returns its CSRF token",
     .body = sign_in_fields,
     .n_body = sizeof sign_in_fields / sizeof *sign_in_fields,
     .status = 201,
     .response = "SessionCreated"},
    {.method = "GET",
     .pattern = "/api/v1/session",
     .handler = whoami,
     .operation_id = "getSession",
     .tag = "session",
     .summary = "The signed-in user, and the session's CSRF token",
     .status = 200,
     .response = "Session"},
    {.method = "DELETE",
     .pattern = "/api/v1/session",
     .handler = sign_out,
     .operation_id = "deleteSession",
     .tag = "session",
     .summary = "Sign out: ends the session and clears its cookie",
     .status = 204},
};

const vos_route_set vos_routes_session = {routes, sizeof routes / sizeof *routes};
