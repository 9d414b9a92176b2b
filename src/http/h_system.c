/* Routes of the server itself: health, metrics and the OpenAPI document. */
#include "http/http_int.h"

#include "vos/error.h"

#include <stdlib.h>

/* GET /healthz: the server answers and its database reads (the organisation's row). */
static int health(vos_req *rq)
{
    vos_actor system = vos_actor_system();
    vos_organisation_row *org = NULL;
    int rc = vos_app_organisation_get(vos_req_app(rq), &system, &org);
    vos_organisation_row_free(org);
    if (rc < 0) {
        rq->log_error = vos_req_strdup(rq, vos_error_last());
        return vos_reply_problem(rq, 503, "the database does not answer");
    }
    vos_jw *w = vos_reply_json(rq, 200);
    vos_jw_object(w);
    vos_jw_key(w, "status");
    vos_jw_string(w, "ok");
    vos_jw_end(w);
    return 0;
}

/* GET /metrics */
static int metrics(vos_req *rq)
{
    http_server *srv = rq->srv;
    char *text = NULL;
    size_t len = 0;
    int rc = http_metrics_render(srv->metrics, atomic_load(&srv->in_flight), srv->start_time, &text,
                                 &len);
    if (rc < 0) return vos_reply_error(rq, rc);
    rc = vos_reply_text(rq, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
    free(text);
    return rc;
}

/* GET /api/v1/openapi.json */
static int openapi(vos_req *rq)
{
    http_server *srv = rq->srv;
    return vos_reply_text(rq, 200, "application/json", srv->openapi, srv->openapi_len);
}

static const vos_route routes[] = {
    {.method = "GET",
     .pattern = "/healthz",
     .handler = health,
     .flags = VOS_ROUTE_PUBLIC | VOS_ROUTE_UNLIMITED,
     .operation_id = "getHealth",
     .tag = "system",
     .summary = "Whether the server and its database answer",
     .status = 200,
     .response = "Health"},
    {.method = "GET",
     .pattern = "/metrics",
     .handler = metrics,
     .flags = VOS_ROUTE_PUBLIC | VOS_ROUTE_RAW | VOS_ROUTE_UNLIMITED,
     .operation_id = "getMetrics",
     .tag = "system",
     .summary = "Metrics in the Prometheus text format",
     .status = 200},
    {.method = "GET",
     .pattern = "/api/v1/openapi.json",
     .handler = openapi,
     .flags = VOS_ROUTE_PUBLIC,
     .operation_id = "getOpenApi",
     .tag = "system",
     .summary = "This OpenAPI document",
     .status = 200},
};

const vos_route_set vos_routes_system = {routes, sizeof routes / sizeof *routes};
