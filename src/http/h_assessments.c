/* Maturity self-assessments (docs/maturity.md): /api/v1/maturity/blueprint,
 * /api/v1/maturity/indicators and /api/v1/assessments (take, list, read, roadmap, HTML
 * report). */
#include "http/h_common.h"

#include "render/render_assess.h"
#include "vos/app_assess.h"
#include "vos/error.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void assessment_item(vos_jw *w, const void *row)
{
    vos_render_assessment(w, (const vos_assessment *)row, 0);
}

static int64_t assessment_id(const void *row)
{
    return ((const vos_assessment *)row)->row->id;
}

/* ---- the blueprint and the indicators ---- */

static int get_blueprint(vos_req *rq)
{
    vos_blueprint *bp = NULL;
    int rc = vos_app_blueprint(vos_req_app(rq), vos_req_actor(rq), NULL, NULL, &bp);
    if (rc < 0) return vos_reply_error(rq, rc);
    vos_render_blueprint(vos_reply_json(rq, 200), bp);
    vos_blueprint_free(bp);
    return 0;
}

static void render_counts(vos_jw *w, const vos_maturity_counts *c)
{
    const struct {
        const char *name;
        int64_t value;
    } counts[] = {
        {"accounts", c->accounts},
        {"accounts_with_case", c->accounts_with_case},
        {"lifecycle_stages", c->lifecycle_stages},
        {"committed_cases", c->committed_cases},
        {"measured_cases", c->measured_cases},
        {"inputs", c->inputs},
        {"inputs_with_evidence", c->inputs_with_evidence},
        {"models", c->models},
        {"models_approved", c->models_approved},
        {"front_line", c->front_line},
        {"front_line_owners", c->front_line_owners},
    };
    vos_jw_object(w);
    for (size_t i = 0; i < H_N(counts); i++) {
        vos_jw_key(w, counts[i].name);
        vos_jw_integer(w, (long long)counts[i].value);
    }
    vos_jw_end(w);
}

/* The indicators beside the latest assessment's stages (none when there is no assessment). */
static int get_indicators(vos_req *rq)
{
    vos_app *app = vos_req_app(rq);
    const vos_actor *who = vos_req_actor(rq);
    vos_indicator ind[VOS_INDICATOR_COUNT];
    vos_maturity_counts c;
    vos_assessment *a = NULL;
    vos_blueprint *bp = NULL;
    int rc = vos_app_maturity_indicators(app, who, ind, &c);
    if (rc == 0) rc = vos_app_assessment_get(app, who, 0, &a);
    if (rc == VOS_ENOTFOUND) rc = vos_app_blueprint(app, who, NULL, NULL, &bp);
    if (rc < 0) return vos_reply_error(rq, rc);
    vos_jw *w = vos_reply_json(rq, 200);
    vos_jw_object(w);
    vos_jw_key(w, "assessment_id");
    if (a)
        vos_jw_integer(w, a->row->id);
    else
        vos_jw_null(w);
    vos_jw_key(w, "counts");
    render_counts(w, &c);
    vos_jw_key(w, "indicators");
    vos_render_indicators(w, ind, VOS_INDICATOR_COUNT, a ? a->blueprint : bp, a ? a->stages : NULL);
    vos_jw_end(w);
    vos_assessment_free(a);
    vos_blueprint_free(bp);
    return 0;
}

/* ---- assessments ---- */

static int list_assessments(vos_req *rq)
{
    vos_store_query q = {0};
    size_t page;
    int rc = vos_req_page(rq, &q, &page);
    if (rc < 0) return rc;
    vos_assessment *rows = NULL;
    size_t n = 0;
    rc = vos_app_assessment_list(vos_req_app(rq), vos_req_actor(rq), &q, &rows, &n);
    if (rc < 0) return vos_reply_error(rq, rc);
    h_page(rq, rows, n, sizeof *rows, page, assessment_item, assessment_id);
    vos_assessments_free(rows, n);
    return 0;
}

static const vos_field answer_fields[] = {
    {"dimension", VOS_F_STRING, true, VOS_ID_MAX, NULL,
     "the dimension's key (GET /api/v1/maturity/blueprint)"},
    {"stage", VOS_F_INTEGER, true, 0, NULL, "the stage whose description fits: 1 (I) to 5 (V)"},
    {"evidence", VOS_F_STRING, false, VOS_TEXT_MAX, NULL, "what supports the answer"},
};

static const vos_field take_fields[] = {
    {"taken_at", VOS_F_DATE, false, 0, NULL, "the date it stands for (default today), not later"},
    {"target_stage", VOS_F_INTEGER, false, 0, NULL,
     "the stage to reach, 1..5 (default: one above the overall stage)"},
    {"notes", VOS_F_STRING, false, VOS_TEXT_MAX, NULL, "notes"},
    {"answers", VOS_F_ARRAY, true, VOS_BLUEPRINT_DIMENSIONS_MAX, NULL,
     "one {dimension, stage, evidence} per dimension of the blueprint"},
};

/* An integer of a body as an int for the app, which names it when it is out of range. */
static int small_int(int64_t v)
{
    return v < INT_MIN ? INT_MIN : v > INT_MAX ? INT_MAX : (int)v;
}

/* Reads the answers of a checked body into in (texts borrowed from the body). */
static int read_answers(vos_req *rq, json_t *arr, vos_assessment_in *in)
{
    size_t n = json_array_size(arr);
    vos_assessment_answer_in *answers = vos_req_alloc(rq, (n ? n : 1) * sizeof *answers);
    if (!answers) return vos_reply_error(rq, vos_error_set(VOS_ENOMEM, "out of memory"));
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_array_get(arr, i);
        char where[32];
        snprintf(where, sizeof where, "answers[%zu]", i);
        if (!json_is_object(item)) {
            vos_req_error(rq, where, "must be an object {dimension, stage, evidence}");
            continue;
        }
        if (vos_req_check(rq, item, where, answer_fields, H_N(answer_fields))) continue;
        answers[i] = (vos_assessment_answer_in){
            h_str(item, "dimension"), small_int(h_int(item, "stage", 0)), h_str(item, "evidence")};
    }
    int rc = vos_req_errors_reply(rq, 400);
    if (rc < 0) return rc;
    in->answers = answers;
    in->n_answers = n;
    return 0;
}

static int take_assessment(vos_req *rq)
{
    json_t *b;
    int rc = vos_req_json(rq, &b);
    if (rc < 0) return rc;
    vos_assessment_in in = {h_str(b, "taken_at"), 0, h_str(b, "notes"), NULL, 0};
    int64_t target = h_int(b, "target_stage", 0);
    if (h_has(b, "target_stage") && (target < 1 || target > VOS_MATURITY_STAGES)) {
        vos_req_error(rq, "target_stage", "must be a stage 1 to %d, not %lld", VOS_MATURITY_STAGES,
                      (long long)target);
        return vos_req_errors_reply(rq, 422);
    }
    in.target_stage = (int)target;
    rc = read_answers(rq, json_object_get(b, "answers"), &in);
    if (rc < 0) return rc;
    vos_assessment *a = NULL;
    rc = vos_app_assessment_take(vos_req_app(rq), vos_req_actor(rq), &in, &a);
    if (rc < 0 && strncmp(vos_error_last(), "answer ", 7) == 0)
        return h_batch_error(rq, rc, "answer", "answers");
    if (rc < 0 && strstr(vos_error_last(), "not answered")) {
        vos_req_error(rq, "answers", "%s", vos_error_last());
        return vos_reply_error(rq, rc);
    }
    if (rc < 0) return h_reply_error(rq, rc, b, take_fields, H_N(take_fields), false);
    vos_reply_location(rq, H_API "/assessments/%lld", (long long)a->row->id);
    vos_render_assessment(vos_reply_json(rq, 201), a, 1);
    vos_assessment_free(a);
    return 0;
}

static int get_assessment(vos_req *rq)
{
    int64_t id;
    int rc = vos_req_param_id(rq, "assessment_id", &id);
    if (rc < 0) return rc;
    vos_assessment *a = NULL;
    rc = vos_app_assessment_get(vos_req_app(rq), vos_req_actor(rq), id, &a);
    if (rc < 0) return vos_reply_error(rq, rc);
    vos_render_assessment(vos_reply_json(rq, 200), a, 1);
    vos_assessment_free(a);
    return 0;
}

/* ---- roadmap and report ---- */

/* ?target=1..5 (0 when absent); replies 400 otherwise. */
static int query_target(vos_req *rq, int *out)
{
    const char *t = vos_req_query(rq, "target");
    *out = 0;
    if (!t) return 0;
    if (t[0] >= '1' && t[0] <= '0' + VOS_MATURITY_STAGES && t[1] == '\0') {
        *out = t[0] - '0';
        return 0;
    }
    vos_req_error(rq, "target", "must be a stage 1 to %d, not '%.*s'", VOS_MATURITY_STAGES,
                  VOS_ID_MAX, t);
    return vos_req_errors_reply(rq, 400);
}

/* The assessment of the path and its roadmap from ?target, ?start and ?owner. */
static int roadmap_of(vos_req *rq, vos_assessment **a, vos_roadmap *r, const char **owner)
{
    int64_t id;
    int target;
    int rc = vos_req_param_id(rq, "assessment_id", &id);
    if (rc == 0) rc = query_target(rq, &target);
    if (rc < 0) return rc;
    *owner = vos_req_query(rq, "owner");
    if (*owner && !**owner) *owner = NULL;
    rc = vos_app_assessment_roadmap(vos_req_app(rq), vos_req_actor(rq), id, target,
                                    vos_req_query(rq, "start"), *owner, a, r);
    return rc < 0 ? vos_reply_error(rq, rc) : 0;
}

static int get_roadmap(vos_req *rq)
{
    vos_assessment *a = NULL;
    vos_roadmap r;
    const char *owner = NULL;
    int rc = roadmap_of(rq, &a, &r, &owner);
    if (rc < 0) return rc;
    vos_render_roadmap(vos_reply_json(rq, 200), a, &r, owner);
    vos_assessment_free(a);
    return 0;
}

/* The assessment before `a` in the history (by taken_at, then id), or NULL. */
static const vos_assessment *before(const vos_assessment *h, size_t n, const vos_assessment *a)
{
    for (size_t i = 1; i < n; i++)
        if (h[i].row->id == a->row->id) return &h[i - 1];
    return NULL;
}

static int get_report(vos_req *rq)
{
    vos_app *app = vos_req_app(rq);
    const vos_actor *who = vos_req_actor(rq);
    vos_assessment *a = NULL, *h = NULL;
    vos_roadmap r;
    const char *owner = NULL;
    int rc = roadmap_of(rq, &a, &r, &owner);
    if (rc < 0) return rc;
    size_t n = 0;
    vos_indicator ind[VOS_INDICATOR_COUNT];
    vos_organisation_row *org = NULL;
    char *html = NULL;
    size_t len = 0;
    rc = vos_app_assessment_history(app, who, &h, &n);
    if (rc == 0) rc = vos_app_maturity_indicators(app, who, ind, NULL);
    if (rc == 0 && vos_app_organisation_get(app, who, &org) < 0) org = NULL;
    if (rc == 0)
        rc = vos_render_assessment_report(&html, &len, org ? org->name : NULL, a, before(h, n, a),
                                          ind, VOS_INDICATOR_COUNT, &r, owner);
    if (rc == 0)
        rc = vos_reply_text(rq, 200, "text/html; charset=utf-8", html, len);
    else
        rc = vos_reply_error(rq, rc);
    free(html);
    vos_organisation_row_free(org);
    vos_assessments_free(h, n);
    vos_assessment_free(a);
    return rc;
}

static const char *const plan_query[] = {"target", "start", "owner", NULL};

static const vos_route routes[] = {
    {"GET", H_API "/maturity/blueprint", get_blueprint, 0, "getMaturityBlueprint", "maturity",
     "The Ecosystems' Value Blueprint: stages, dimensions and actions", NULL, 0, NULL, NULL, 200,
     "Blueprint"},
    {"GET", H_API "/maturity/indicators", get_indicators, 0, "getMaturityIndicators", "maturity",
     "Indicators of maturity from the organisation's own data, beside the latest assessment", NULL,
     0, NULL, NULL, 200, "MaturityIndicators"},
    {"GET", H_API "/assessments", list_assessments, VOS_ROUTE_LIST, "listAssessments", "maturity",
     "List the maturity assessments (by id) with their scores", NULL, 0, NULL, NULL, 200,
     "AssessmentSummary"},
    {"POST", H_API "/assessments", take_assessment, 0, "takeAssessment", "maturity",
     "Record a maturity self-assessment (a stage for every dimension)", take_fields,
     H_N(take_fields), NULL, NULL, 201, "Assessment"},
    {"GET", H_API "/assessments/{assessment_id}", get_assessment, 0, "getAssessment", "maturity",
     "Read one assessment with its answers and scores", NULL, 0, NULL, NULL, 200, "Assessment"},
    {"GET", H_API "/assessments/{assessment_id}/roadmap", get_roadmap, 0, "getAssessmentRoadmap",
     "maturity", "The actions to reach the target stage, as a plan by quarter", NULL, 0, NULL,
     plan_query, 200, "Roadmap"},
    {"GET", H_API "/assessments/{assessment_id}/report", get_report, VOS_ROUTE_RAW | VOS_ROUTE_HTML,
     "getAssessmentReport", "maturity",
     "The assessment's report: one self-contained HTML page with a radar chart", NULL, 0, NULL,
     plan_query, 200, NULL},
};

const vos_route_set vos_routes_assessments = {routes, H_N(routes)};
