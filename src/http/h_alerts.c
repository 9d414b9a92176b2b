/* Alerts (drift, stale data, forecast misses): /api/v1/alerts. */
#include "http/h_common.h"

H_ROW_FNS(alert, vos_alert_row, vos_render_alert, id)

static int list_alerts(vos_req *rq)
{
    vos_store_query q = {0};
    size_t page;
    int rc = vos_req_page(rq, &q, &page);
    if (rc == 0) rc = h_filter_id(rq, &q, "account_id", "account_id");
    if (rc == 0) rc = h_filter_id(rq, &q, "case_id", "case_id");
    if (rc == 0) rc = h_filter_enum(rq, &q, "status", VOS_ENTITY_ALERT, "status");
    if (rc == 0) rc = h_filter_enum(rq, &q, "kind", VOS_ENTITY_ALERT, "kind");
    if (rc < 0) return rc;
    vos_alert_row *rows = NULL;
    size_t n = 0;
    rc = vos_app_alert_list(vos_req_app(rq), vos_req_actor(rq), &rows, &n, &q);
    if (rc < 0) return vos_reply_error(rq, rc);
    h_page(rq, rows, n, sizeof *rows, page, alert_item, alert_id);
    vos_alert_rows_free(rows, n);
    return 0;
}

static int move_alert(vos_req *rq, bool resolve)
{
    int64_t id;
    int rc = vos_req_param_id(rq, "alert_id", &id);
    if (rc < 0) return rc;
    vos_alert_row *a = NULL;
    rc = resolve ? vos_app_alert_resolve(vos_req_app(rq), vos_req_actor(rq), id, &a)
                 : vos_app_alert_acknowledge(vos_req_app(rq), vos_req_actor(rq), id, &a);
    if (rc < 0) return vos_reply_error(rq, rc);
    vos_reply_etag(rq, a->revision);
    vos_render_alert(vos_reply_json(rq, 200), a);
    vos_alert_row_free(a);
    return 0;
}

static int acknowledge(vos_req *rq)
{
    return move_alert(rq, false);
}

static int resolve(vos_req *rq)
{
    return move_alert(rq, true);
}

static const char *const list_query[] = {"account_id", "case_id", "status", "kind", NULL};

static const vos_route routes[] = {
    {"GET", H_API "/alerts", list_alerts, VOS_ROUTE_LIST, "listAlerts", "alerts",
     "List alerts by account, case, status and kind", NULL, 0, NULL, list_query, 200, "Alert"},
    {"POST", H_API "/alerts/{alert_id}/acknowledge", acknowledge, 0, "acknowledgeAlert", "alerts",
     "Acknowledge an open alert", NULL, 0, NULL, NULL, 200, "Alert"},
    {"POST", H_API "/alerts/{alert_id}/resolve", resolve, 0, "resolveAlert", "alerts",
     "Resolve an open or acknowledged alert", NULL, 0, NULL, NULL, 200, "Alert"},
};

const vos_route_set vos_routes_alerts = {routes, H_N(routes)};
