/* Realization: /api/v1/cases/{case_id}/realization, /api/v1/cases/{case_id}/success-plan,
 * /api/v1/portfolio, /api/v1/alerts/evaluate and /api/v1/webhooks. */
#include "http/h_common.h"

#include "render/render_realization.h"
#include "vos/app_realize.h"
#include "vos/error.h"

#include <stdio.h>
#include <string.h>

#define CASE H_API "/cases/{case_id}"
#define WEBHOOK H_API "/webhooks/{webhook_id}"
#define DATE_LEN 10

/* Whether s is a real calendar date "YYYY-MM-DD". */
static bool is_date(const char *s)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    char tail;
    if (strlen(s) != DATE_LEN || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
        s[4] != '-' || s[7] != '-' || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

/* ?as_of: a date (the end of that day) or an RFC 3339 UTC time.  OUT: *out (NULL: now; in
 * the request's memory).  Replies 400 for another value. */
static int as_of_arg(vos_req *rq, const char **out)
{
    *out = NULL;
    const char *v = vos_req_query(rq, "as_of");
    if (!v) return 0;
    char stamp[VOS_STAMP_SIZE];
    if (is_date(v)) {
        *out = v; /* a date: the app takes its end */
        return 0;
    }
    if (strlen(v) == DATE_LEN || !h_stamp(stamp, v)) {
        vos_req_error(rq, "as_of",
                      "must be a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM:SSZ (UTC)");
        return vos_req_errors_reply(rq, 400);
    }
    *out = vos_req_strdup(rq, stamp);
    return *out ? 0 : vos_reply_error(rq, vos_error_set(VOS_ENOMEM, "out of memory"));
}

/* ---- cases ---------------------------------------------------------------------------------- */

static int get_realization(vos_req *rq)
{
    int64_t id;
    const char *as_of;
    int rc = vos_req_param_id(rq, "case_id", &id);
    if (rc == 0) rc = as_of_arg(rq, &as_of);
    if (rc < 0) return rc;
    vos_case_realization *cr = NULL;
    rc = vos_app_case_realization(vos_req_app(rq), vos_req_actor(rq), id, as_of, &cr);
    if (rc < 0) return vos_reply_error(rq, rc);
    vos_render_realization(vos_reply_json(rq, 200), cr);
    vos_case_realization_free(cr);
    return 0;
}

/* html when ?format=html, or without ?format when the client accepts text/html. */
static int plan_format(vos_req *rq, bool *html)
{
    const char *f = vos_req_query(rq, "format");
    if (f && strcmp(f, "html") != 0 && strcmp(f, "md") != 0) {
        vos_req_error(rq, "format", "must be md or html, not '%.40s'", f);
        return vos_req_errors_reply(rq, 400);
    }
    const char *accept = vos_req_header(rq, "Accept");
    *html = f ? strcmp(f, "html") == 0 : accept && strstr(accept, "text/html") != NULL;
    return 0;
}

static int get_success_plan(vos_req *rq)
{
    int64_t id;
    bool html = false;
    int rc = vos_req_param_id(rq, "case_id", &id);
    if (rc == 0) rc = plan_format(rq, &html);
    if (rc < 0) return rc;
    vos_success_plan *p = NULL;
    char *text = NULL;
    size_t len = 0;
    rc = vos_app_success_plan(vos_req_app(rq), vos_req_actor(rq), id, &p);
    if (rc == 0) rc = vos_render_success_plan(&text, &len, p, html);
    vos_success_plan_free(p);
    if (rc < 0) return vos_reply_error(rq, rc);
    if (html) /* a self-contained page: its inline style must be allowed */
        vos_reply_header(rq, "Content-Security-Policy",
                         "default-src 'none'; style-src "
                         "'unsafe-inline'");
    rc = vos_reply_text(rq, 200, html ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8",
                        text, len);
    free(text);
    return rc;
}

static int get_portfolio(vos_req *rq)
{
    const char *as_of;
    int rc = as_of_arg(rq, &as_of);
    if (rc < 0) return rc;
    vos_portfolio *p = NULL;
    rc = vos_app_portfolio(vos_req_app(rq), vos_req_actor(rq), as_of, &p);
    if (rc < 0) return vos_reply_error(rq, rc);
    vos_render_portfolio(vos_reply_json(rq, 200), p);
    vos_portfolio_free(p);
    return 0;
}

/* ---- alerts --------------------------------------------------------------------------------- */

static const vos_field evaluate_fields[] = {
    {"case_id", VOS_F_INTEGER, false, 0, NULL,
     "evaluate this case only (default: every committed or realizing case)"},
    {"as_of", VOS_F_STAMP, false, 0, NULL, "the moment to evaluate at (default: now)"},
};

static int evaluate(vos_req *rq)
{
    json_t *b;
    int rc = vos_req_json(rq, &b);
    if (rc < 0) return rc;
    char stamp[VOS_STAMP_SIZE];
    const char *as_of = NULL;
    if (h_has(b, "as_of") && h_stamp(stamp, h_str(b, "as_of"))) as_of = stamp;
    int64_t case_id = h_int(b, "case_id", 0);
    if (h_has(b, "case_id") && case_id < 1) {
        vos_req_error(rq, "case_id", "must be a case id (a whole number >= 1)");
        return vos_req_errors_reply(rq, 400);
    }
    vos_alerts_summary s;
    rc = vos_app_alerts_evaluate(vos_req_app(rq), vos_req_actor(rq), case_id, as_of, &s);
    if (rc < 0) return h_reply_error(rq, rc, b, evaluate_fields, H_N(evaluate_fields), false);
    vos_render_alerts_summary(vos_reply_json(rq, 200), &s);
    return 0;
}

/* ---- webhooks ------------------------------------------------------------------------------- */

static void webhook_item(vos_jw *w, const void *row)
{
    vos_render_webhook(w, row);
}

static int64_t webhook_id(const void *row)
{
    return ((const vos_webhook_row *)row)->id;
}

static int list_webhooks(vos_req *rq)
{
    vos_store_query q = {0};
    size_t page;
    int rc = vos_req_page(rq, &q, &page);
    if (rc < 0) return rc;
    vos_webhook_row *rows = NULL;
    size_t n = 0;
    rc = vos_app_webhook_list(vos_req_app(rq), vos_req_actor(rq), &rows, &n, &q);
    if (rc < 0) return vos_reply_error(rq, rc);
    h_page(rq, rows, n, sizeof *rows, page, webhook_item, webhook_id);
    vos_webhook_rows_free(rows, n);
    return 0;
}

static const vos_field webhook_fields[] = {
    {"url", VOS_F_STRING, true, VOS_URL_MAX, NULL, "where events are POSTed (http or https)"},
    {"events", VOS_F_ARRAY, false, VOS_WEBHOOK_EVENTS_MAX, NULL,
     "the events wanted: alert.raised, alert.resolved (default: every event)"},
    {"secret", VOS_F_STRING, false, VOS_WEBHOOK_SECRET_MAX, NULL,
     "the signing secret, 16 to 256 visible ASCII characters (default: a random one, replied "
     "once)"},
};

static int create_webhook(vos_req *rq)
{
    json_t *b;
    int rc = vos_req_json(rq, &b);
    if (rc < 0) return rc;
    json_t *list = json_object_get(b, "events");
    size_t n = json_array_size(list);
    const char **events = vos_req_alloc(rq, (n + 1) * sizeof *events);
    if (!events) return vos_reply_error(rq, vos_error_set(VOS_ENOMEM, "out of memory"));
    for (size_t i = 0; i < n; i++) {
        events[i] = json_string_value(json_array_get(list, i));
        if (!events[i]) vos_req_error(rq, "events", "must be a list of event names");
    }
    if ((rc = vos_req_errors_reply(rq, 400)) < 0) return rc;
    char secret[VOS_WEBHOOK_SECRET_SIZE];
    vos_webhook_row *w = NULL;
    rc = vos_app_webhook_add(vos_req_app(rq), vos_req_actor(rq), h_str(b, "url"), events, n,
                             h_str(b, "secret"), secret, &w);
    if (rc < 0) return h_reply_error(rq, rc, b, webhook_fields, H_N(webhook_fields), false);
    vos_reply_location(rq, H_API "/webhooks/%lld", (long long)w->id);
    vos_jw *j = vos_reply_json(rq, 201);
    vos_jw_object(j);
    vos_jw_key(j, "webhook");
    vos_render_webhook(j, w);
    vos_jw_key(j, "secret");
    if (secret[0])
        vos_jw_string(j, secret);
    else
        vos_jw_null(j);
    vos_jw_end(j);
    vos_webhook_row_free(w);
    return 0;
}

static int delete_webhook(vos_req *rq)
{
    int64_t id;
    int rc = vos_req_param_id(rq, "webhook_id", &id);
    if (rc < 0) return rc;
    rc = vos_app_webhook_remove(vos_req_app(rq), vos_req_actor(rq), id);
    if (rc < 0) return vos_reply_error(rq, rc);
    return vos_reply_empty(rq, 204);
}

static void delivery_item(vos_jw *w, const void *row)
{
    vos_render_delivery(w, row);
}

static int64_t delivery_id(const void *row)
{
    return ((const vos_outbox_row *)row)->id;
}

static int list_deliveries(vos_req *rq)
{
    int64_t id;
    vos_store_query q = {0};
    size_t page;
    int rc = vos_req_param_id(rq, "webhook_id", &id);
    if (rc == 0) rc = vos_req_page(rq, &q, &page);
    if (rc < 0) return rc;
    vos_webhook_row *w = NULL;
    vos_outbox_row *rows = NULL;
    size_t n = 0;
    vos_app *app = vos_req_app(rq);
    rc = vos_app_webhook_get(app, vos_req_actor(rq), id, &w);
    vos_webhook_row_free(w);
    if (rc == 0)
        rc = vos_app_webhook_deliveries(app, vos_req_actor(rq), id, q.after_id, q.limit, &rows, &n);
    if (rc < 0) return vos_reply_error(rq, rc);
    h_page(rq, rows, n, sizeof *rows, page, delivery_item, delivery_id);
    vos_outbox_rows_free(rows, n);
    return 0;
}

static const char *const as_of_query[] = {"as_of", NULL};
static const char *const plan_query[] = {"format", NULL};

static const vos_route routes[] = {
    {"GET", CASE "/realization", get_realization, 0, "getCaseRealization", "cases",
     "The value a committed case has realized from its measurements against its plan (?as_of)",
     NULL, 0, NULL, as_of_query, 200, "Realization"},
    {"GET", CASE "/success-plan", get_success_plan, VOS_ROUTE_RAW, "getCaseSuccessPlan", "cases",
     "The success plan of a committed case: text/markdown, or text/html (?format=html or "
     "Accept: text/html)",
     NULL, 0, NULL, plan_query, 200, NULL},
    {"GET", H_API "/portfolio", get_portfolio, 0, "getPortfolio", "realization",
     "Committed against realized value over the cases the caller sees, by account and lever", NULL,
     0, NULL, as_of_query, 200, "Portfolio"},
    {"POST", H_API "/alerts/evaluate", evaluate, 0, "evaluateAlerts", "alerts",
     "Evaluate the alerts of every committed case (or of one) now: raise, update, resolve",
     evaluate_fields, H_N(evaluate_fields), NULL, NULL, 200, "AlertEvaluation"},
    {"GET", H_API "/webhooks", list_webhooks, VOS_ROUTE_LIST, "listWebhooks", "webhooks",
     "List the webhooks", NULL, 0, NULL, NULL, 200, "Webhook"},
    {"POST", H_API "/webhooks", create_webhook, 0, "createWebhook", "webhooks",
     "Add a webhook; the reply holds its signing secret, shown this once", webhook_fields,
     H_N(webhook_fields), NULL, NULL, 201, "WebhookCreated"},
    {"DELETE", WEBHOOK, delete_webhook, 0, "deleteWebhook", "webhooks",
     "Remove a webhook with its secret and its undelivered events", NULL, 0, NULL, NULL, 204, NULL},
    {"GET", WEBHOOK "/deliveries", list_deliveries, VOS_ROUTE_LIST, "listWebhookDeliveries",
     "webhooks", "List the events queued for a webhook and their delivery attempts", NULL, 0, NULL,
     NULL, 200, "Delivery"},
};

const vos_route_set vos_routes_realization = {routes, H_N(routes)};
