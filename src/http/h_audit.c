/* The audit log: /api/v1/audit. */
#include "http/h_common.h"

H_ROW_FNS(audit, vos_audit_row, vos_render_audit, seq)

/* Records oldest first; the cursor is the record's seq. */
static int list_audit(vos_req *rq)
{
    vos_store_query q = {0};
    size_t page;
    int rc = vos_req_page(rq, &q, &page);
    if (rc == 0) rc = h_filter_id(rq, &q, "entity_id", "entity_id");
    if (rc < 0) return rc;
    h_filter_text(rq, &q, "entity_type", "entity_type");
    h_filter_text(rq, &q, "actor", "actor");
    h_filter_text(rq, &q, "operation", "operation");
    vos_audit_row *rows = NULL;
    size_t n = 0;
    rc = vos_app_audit_log(vos_req_app(rq), vos_req_actor(rq), &rows, &n, &q);
    if (rc < 0) return vos_reply_error(rq, rc);
    h_page(rq, rows, n, sizeof *rows, page, audit_item, audit_id);
    vos_audit_rows_free(rows, n);
    return 0;
}

/* AuditReport: 200 whether or not the chain verifies ("ok" says). */
static int verify(vos_req *rq)
{
    vos_audit_report report = {0};
    int rc = vos_app_audit_verify(vos_req_app(rq), vos_req_actor(rq), &report);
    if (rc < 0) return vos_reply_error(rq, rc);
    vos_render_audit_report(vos_reply_json(rq, 200), &report);
    return 0;
}

static const char *const list_query[] = {"entity_type", "entity_id", "actor", "operation", NULL};

static const vos_route routes[] = {
    {"GET", H_API "/audit", list_audit, VOS_ROUTE_LIST, "listAudit", "audit",
     "The audit log, oldest first (filters: entity, actor, operation)", NULL, 0, NULL, list_query,
     200, "AuditRecord"},
    {"GET", H_API "/audit/verify", verify, 0, "verifyAudit", "audit",
     "Verify the audit chain and every entity against its last record", NULL, 0, NULL, NULL, 200,
     "AuditReport"},
};

const vos_route_set vos_routes_audit = {routes, H_N(routes)};
