/* Proof points (value proven at an account): /api/v1/proof-points. */
#include "http/h_common.h"

#include "vos/error.h"

#include <math.h>
#include <stdlib.h>

#define PROOF_STATUSES "draft|validated|published"

H_ROW_FNS(proof, vos_proof_point_row, vos_render_proof_point, id)

static void reply_proof(vos_req *rq, int status, const vos_proof_point_row *p)
{
    vos_reply_etag(rq, p->revision);
    vos_render_proof_point(vos_reply_json(rq, status), p);
}

static int list_proof_points(vos_req *rq)
{
    vos_store_query q = {0};
    size_t page;
    int rc = vos_req_page(rq, &q, &page);
    if (rc == 0) rc = h_filter_id(rq, &q, "account_id", "account_id");
    if (rc == 0) rc = h_filter_id(rq, &q, "case_id", "case_id");
    if (rc == 0) rc = h_filter_enum(rq, &q, "status", VOS_ENTITY_PROOF_POINT, "status");
    if (rc < 0) return rc;
    h_filter_text(rq, &q, "kpi_key", "kpi_key");
    vos_proof_point_row *rows = NULL;
    size_t n = 0;
    rc = vos_app_proof_point_list(vos_req_app(rq), vos_req_actor(rq), &rows, &n, &q);
    if (rc < 0) return vos_reply_error(rq, rc);
    h_page(rq, rows, n, sizeof *rows, page, proof_item, proof_id);
    vos_proof_point_rows_free(rows, n);
    return 0;
}

#define PROOF_FIELDS(required)                                                                     \
    {"case_id", VOS_F_INTEGER, false, 0, NULL, "the case it proves, of the same account"},         \
        {"kpi_key", VOS_F_STRING, false, VOS_ID_MAX, NULL, "the KPI it is about"},                 \
        {"title", VOS_F_STRING, required, 0, NULL, "one line"},                                    \
        {"statement", VOS_F_STRING, false, VOS_TEXT_MAX, NULL, "what was proven"},                 \
        {"value", VOS_F_NUMBER, false, 0, NULL, "the figure proven, in `unit`"},                   \
        {"unit", VOS_F_STRING, false, 0, NULL, "the unit of `value`"},                             \
        {"evidence", VOS_F_STRING, false, VOS_TEXT_MAX, NULL, "where the proof comes from"},       \
    {                                                                                              \
        "status", VOS_F_STRING, false, 0, PROOF_STATUSES, "draft, validated or published"          \
    }

static const vos_field create_fields[] = {
    {"account_id", VOS_F_INTEGER, true, 0, NULL, "the account where the value was proven"},
    PROOF_FIELDS(true),
};
static const vos_field update_fields[] = {PROOF_FIELDS(false)};

/* Sets the fields present in `b` (null clears an optional one). */
static void apply(vos_req *rq, json_t *b, vos_proof_point_row *p)
{
    if (json_object_get(b, "case_id")) p->case_id = h_int(b, "case_id", 0);
    if (json_object_get(b, "kpi_key")) p->kpi_key = h_dup(rq, b, "kpi_key");
    if (json_object_get(b, "title")) p->title = h_dup(rq, b, "title");
    if (json_object_get(b, "statement")) p->statement = h_dup(rq, b, "statement");
    if (json_object_get(b, "value")) p->value = h_num(b, "value");
    if (json_object_get(b, "unit")) p->unit = h_dup(rq, b, "unit");
    if (json_object_get(b, "evidence")) p->evidence = h_dup(rq, b, "evidence");
    if (h_has(b, "status")) vos_proof_status_parse(&p->status, h_str(b, "status"));
}

static int create_proof_point(vos_req *rq)
{
    json_t *b;
    int rc = vos_req_json(rq, &b);
    if (rc < 0) return rc;
    vos_proof_point_row p = {0};
    p.value = NAN;
    p.account_id = h_int(b, "account_id", 0);
    apply(rq, b, &p);
    rc = vos_app_proof_point_add(vos_req_app(rq), vos_req_actor(rq), &p);
    if (rc < 0) return h_reply_error(rq, rc, b, create_fields, H_N(create_fields), false);
    reply_proof(rq, 201, &p);
    return 0;
}

/* The text fields of a row, to give back to the row before it is freed. */
typedef struct texts {
    char *kpi_key, *title, *statement, *unit, *evidence;
} texts;

static texts texts_of(const vos_proof_point_row *p)
{
    return (texts){p->kpi_key, p->title, p->statement, p->unit, p->evidence};
}

static void texts_restore(vos_proof_point_row *p, texts t)
{
    p->kpi_key = t.kpi_key;
    p->title = t.title;
    p->statement = t.statement;
    p->unit = t.unit;
    p->evidence = t.evidence;
}

/* PATCH: the stored proof point with the fields given (If-Match: the revision). */
static int update_proof_point(vos_req *rq)
{
    int64_t id, revision;
    json_t *b;
    int rc = vos_req_param_id(rq, "proof_point_id", &id);
    if (rc == 0) rc = vos_req_json(rq, &b);
    if (rc == 0) rc = vos_req_if_match(rq, &revision);
    if (rc < 0) return rc;
    vos_store_query q = {.limit = 1, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "id", .cmp = VOS_CMP_EQ, .i = id};
    vos_proof_point_row *rows = NULL;
    size_t n = 0;
    rc = vos_app_proof_point_list(vos_req_app(rq), vos_req_actor(rq), &rows, &n, &q);
    if (rc < 0) return vos_reply_error(rq, rc);
    if (n == 0) {
        vos_proof_point_rows_free(rows, n);
        return vos_reply_problem(rq, 404, "proof point %lld does not exist", (long long)id);
    }
    vos_proof_point_row *p = &rows[0];
    texts stored = texts_of(p);
    apply(rq, b, p);
    if (revision) p->revision = revision;
    rc = vos_app_proof_point_update(vos_req_app(rq), vos_req_actor(rq), p);
    if (rc < 0)
        h_reply_error(rq, rc, b, update_fields, H_N(update_fields), false);
    else
        reply_proof(rq, 200, p);
    texts_restore(p, stored); /* the new texts belong to the request */
    vos_proof_point_rows_free(rows, n);
    return rc;
}

static const char *const list_query[] = {"account_id", "case_id", "kpi_key", "status", NULL};

static const vos_route routes[] = {
    {"GET", H_API "/proof-points", list_proof_points, VOS_ROUTE_LIST, "listProofPoints",
     "proof-points", "List proof points by account, case, KPI and status", NULL, 0, NULL,
     list_query, 200, "ProofPoint"},
    {"POST", H_API "/proof-points", create_proof_point, 0, "createProofPoint", "proof-points",
     "Record a proof point", create_fields, H_N(create_fields), NULL, NULL, 201, "ProofPoint"},
    {"PATCH", H_API "/proof-points/{proof_point_id}", update_proof_point, 0, "updateProofPoint",
     "proof-points", "Change a proof point (If-Match: the revision); its account is fixed",
     update_fields, H_N(update_fields), NULL, NULL, 200, "ProofPoint"},
};

const vos_route_set vos_routes_proof_points = {routes, H_N(routes)};
