/* Business cases: /api/v1/cases, their inputs, figures, simulation, tornado, lineage,
 * commitment, lifecycle and re-basing. */
#include "http/h_common.h"

#include "vos/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STAGES "hypothesis|committed|realizing|expanded|lost|closed"
#define TRAJECTORIES "linear|s_curve|step"

/* A case of a list and its names. */
typedef struct listed {
    const vos_case_row *row;
    const vos_case_names *names;
} listed;

static void listed_item(vos_jw *w, const void *p)
{
    const listed *it = p;
    vos_render_case_item(w, it->row, it->names);
}

static int64_t listed_id(const void *p)
{
    return ((const listed *)p)->row->id;
}

static vos_app *app_of(vos_req *rq)
{
    return vos_req_app(rq);
}

static void reply_case(vos_req *rq, int status, const vos_case_row *c)
{
    vos_reply_etag(rq, c->revision);
    vos_render_case(vos_reply_json(rq, status), c);
}

static int list_cases(vos_req *rq)
{
    vos_store_query q = {0};
    size_t page;
    int rc = vos_req_page(rq, &q, &page);
    if (rc == 0) rc = h_filter_id(rq, &q, "account_id", "account_id");
    if (rc == 0) rc = h_filter_enum(rq, &q, "stage", VOS_ENTITY_CASE, "stage");
    if (rc < 0) return rc;
    vos_case_row *rows = NULL;
    size_t n = 0;
    rc = vos_app_case_list(app_of(rq), vos_req_actor(rq), &rows, &n, &q);
    size_t shown = n < page ? n : page;
    vos_case_names *names = NULL;
    listed *items = NULL;
    if (rc == 0) rc = vos_app_case_names(app_of(rq), vos_req_actor(rq), rows, shown, &names);
    if (rc == 0 && !(items = calloc(shown + 1, sizeof *items)))
        rc = vos_error_set(VOS_ENOMEM, "out of memory");
    if (rc < 0) {
        vos_reply_error(rq, rc);
    } else {
        for (size_t i = 0; i < shown; i++)
            items[i] = (listed){&rows[i], &names[i]};
        /* n, not shown: h_page tells from n > page that more follow */
        h_page(rq, items, n > shown ? shown + 1 : shown, sizeof *items, page, listed_item,
               listed_id);
    }
    free(items);
    vos_case_names_free(names, shown);
    vos_case_rows_free(rows, n);
    return rc < 0 ? rc : 0;
}

static const vos_field create_fields[] = {
    {"account_id", VOS_F_INTEGER, false, 0, NULL, "the account (or give its name as account)"},
    {"account", VOS_F_STRING, false, 0, NULL, "the account's name (or give account_id)"},
    {"name", VOS_F_STRING, true, 0, NULL, "the case's name, unique within the account"},
    {"model", VOS_F_STRING, true, VOS_ID_MAX, NULL, "the model's key (its `model:` id)"},
    {"version", VOS_F_STRING, false, VOS_ID_MAX, NULL,
     "the model version (default: the latest approved)"},
};

static int create_case(vos_req *rq)
{
    json_t *b;
    int rc = vos_req_json(rq, &b);
    if (rc < 0) return rc;
    if (h_has(b, "account_id") == h_has(b, "account")) {
        vos_req_error(rq, "account_id", "give either account_id or account (the name)");
        return vos_req_errors_reply(rq, 400);
    }
    const char *account = h_str(b, "account");
    vos_account_row *acc = NULL;
    if (!account) {
        rc = vos_app_account_by_id(app_of(rq), vos_req_actor(rq), h_int(b, "account_id", 0), &acc);
        if (rc == VOS_ENOTFOUND) { /* a body naming nothing: the field is wrong */
            vos_req_error(rq, "account_id", "%s", vos_error_last());
            return vos_reply_error(rq, VOS_EINVALID);
        }
        if (rc < 0) return vos_reply_error(rq, rc);
        account = vos_req_strdup(rq, acc->name);
        vos_account_row_free(acc);
    }
    vos_case_row *c = NULL;
    rc = vos_app_case_create(app_of(rq), vos_req_actor(rq), account, h_str(b, "name"),
                             h_str(b, "model"), h_str(b, "version"), &c);
    if (rc < 0) return h_reply_error(rq, rc, b, create_fields, H_N(create_fields), false);
    vos_reply_location(rq, H_API "/cases/%lld", (long long)c->id);
    reply_case(rq, 201, c);
    vos_case_row_free(c);
    return 0;
}

static int get_case(vos_req *rq)
{
    int64_t id;
    int rc = vos_req_param_id(rq, "case_id", &id);
    if (rc < 0) return rc;
    vos_case_row *c = NULL;
    rc = vos_app_case_get(app_of(rq), vos_req_actor(rq), id, &c);
    if (rc < 0) return vos_reply_error(rq, rc);
    reply_case(rq, 200, c);
    vos_case_row_free(c);
    return 0;
}

/* ---- inputs ---- */

static const vos_field input_fields[] = {
    {"value", VOS_F_NUMBER, false, 0, NULL, "the input's value, in the input's unit"},
    {"low", VOS_F_NUMBER, false, 0, NULL, "low end of the range"},
    {"high", VOS_F_NUMBER, false, 0, NULL, "high end of the range"},
    {"evidence", VOS_F_STRING, false, VOS_TEXT_MAX, NULL,
     "where this case's value comes from (replaces the model's evidence in the case)"},
    {"confidence", VOS_F_STRING, false, 0, "low|medium|high",
     "the case's confidence in the value (replaces the model's)"},
};

static int set_input(vos_req *rq)
{
    int64_t id, revision;
    json_t *b;
    int rc = vos_req_param_id(rq, "case_id", &id);
    if (rc == 0) rc = vos_req_json(rq, &b);
    if (rc == 0) rc = vos_req_if_match(rq, &revision);
    if (rc < 0) return rc;
    vos_input_override ov = {0};
    ov.has_value = h_has(b, "value");
    ov.has_low = h_has(b, "low");
    ov.has_high = h_has(b, "high");
    ov.value = h_num(b, "value");
    ov.low = h_num(b, "low");
    ov.high = h_num(b, "high");
    ov.evidence = h_str(b, "evidence");
    ov.has_confidence = h_has(b, "confidence");
    if (ov.has_confidence) vos_confidence_parse(&ov.confidence, h_str(b, "confidence"));
    if (!ov.has_value && !ov.has_low && !ov.has_high && !ov.evidence && !ov.has_confidence) {
        vos_req_error(rq, "value",
                      "give value, low or high (numbers in the input's unit), evidence or "
                      "confidence");
        return vos_req_errors_reply(rq, 400);
    }
    if (vos_input_override_check_text(&ov, vos_req_param(rq, "input")) < 0) {
        vos_req_error(rq, ov.evidence && strstr(vos_error_last(), "evidence") ? "evidence"
                                                                                : "confidence",
                      "%s", vos_error_last());
        return vos_req_errors_reply(rq, 400);
    }
    vos_case_row *c = NULL;
    rc = vos_app_case_set(app_of(rq), vos_req_actor(rq), id, vos_req_param(rq, "input"), &ov,
                          revision, &c);
    if (rc < 0) return h_reply_error(rq, rc, b, input_fields, H_N(input_fields), false);
    reply_case(rq, 200, c);
    vos_case_row_free(c);
    return 0;
}

static int unset_input(vos_req *rq)
{
    int64_t id, revision;
    int rc = vos_req_param_id(rq, "case_id", &id);
    if (rc == 0) rc = vos_req_if_match(rq, &revision);
    if (rc < 0) return rc;
    vos_case_row *c = NULL;
    rc = vos_app_case_unset(app_of(rq), vos_req_actor(rq), id, vos_req_param(rq, "input"), revision,
                            &c);
    if (rc < 0) return vos_reply_error(rq, rc);
    reply_case(rq, 200, c);
    vos_case_row_free(c);
    return 0;
}

/* ---- computing ---- */

/* A computable case: its model and overrides, and the three scenarios' results. */
typedef struct opened {
    vos_model *m;
    vos_case *c;
    vos_result *res[VOS_SCENARIO_COUNT];
} opened;

static void opened_free(opened *o)
{
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++)
        vos_result_free(o->res[s]);
    vos_case_free(o->c);
    vos_model_free(o->m);
}

/* Opens case `case_id` of the path and, with `compute`, computes its three scenarios.
 * Replies the problem itself on failure. */
static int open_case(vos_req *rq, opened *o, bool compute)
{
    *o = (opened){0};
    int64_t id;
    int rc = vos_req_param_id(rq, "case_id", &id);
    if (rc < 0) return rc;
    rc = vos_app_case_open(app_of(rq), vos_req_actor(rq), id, &o->m, &o->c);
    for (int s = 0; compute && rc == 0 && s < VOS_SCENARIO_COUNT; s++) {
        rc = vos_result_new(&o->res[s], o->m);
        if (rc == 0) rc = vos_case_compute(o->c, (vos_scenario)s, o->res[s]);
    }
    if (rc < 0) {
        vos_reply_error(rq, rc);
        opened_free(o);
    }
    return rc;
}

/* The ?scenario argument (default expected); 400 for another name. */
static int scenario_arg(vos_req *rq, vos_scenario *out)
{
    *out = VOS_SCENARIO_EXPECTED;
    const char *s = vos_req_query(rq, "scenario");
    if (!s || vos_scenario_parse(out, s) == 0) return 0;
    vos_req_error(rq, "scenario", "must be conservative, expected or optimistic, not '%s'", s);
    return vos_req_errors_reply(rq, 400);
}

/* CaseFigures: {"model", "scenario", "scenarios"}; with ?detail=true the cash flow of the
 * scenario of ?scenario, as `vos case compute --case ID --format json` prints it. */
static int get_figures(vos_req *rq)
{
    vos_scenario s;
    bool detail;
    int rc = scenario_arg(rq, &s);
    if (rc == 0) rc = h_query_bool(rq, "detail", &detail);
    opened o;
    if (rc == 0) rc = open_case(rq, &o, true);
    if (rc < 0) return rc;
    vos_policy_warning *ws = NULL;
    size_t n_ws = 0;
    if (detail && (rc = vos_case_policy(o.c, &ws, &n_ws)) < 0) {
        opened_free(&o);
        return vos_reply_error(rq, rc);
    }
    vos_jw *w = vos_reply_json(rq, 200);
    vos_jw_object(w);
    vos_render_figures(w, o.m, o.res, s, detail);
    if (detail) vos_render_warnings(w, ws, n_ws);
    vos_jw_end(w);
    free(ws);
    opened_free(&o);
    return 0;
}

static const vos_field simulate_fields[] = {
    {"iterations", VOS_F_INTEGER, false, 0, NULL, "Monte Carlo draws: 1 to 100000 (default 10000)"},
    {"seed", VOS_F_INTEGER, false, 0, NULL,
     "seed of the generator, >= 0 (default 1): the same seed gives the same result"},
};

static int simulate(vos_req *rq)
{
    json_t *b = NULL;
    size_t len = 0;
    vos_req_body(rq, &len);
    int rc = len ? vos_req_json(rq, &b) : 0;
    if (rc < 0) return rc;
    int64_t iterations = h_int(b, "iterations", VOS_SIM_ITER_DEFAULT);
    int64_t seed = h_int(b, "seed", 1);
    if (iterations < 1 || iterations > VOS_API_SIM_ITER_MAX)
        vos_req_error(rq, "iterations", "must be from 1 to %d", VOS_API_SIM_ITER_MAX);
    if (seed < 0) vos_req_error(rq, "seed", "must be a whole number >= 0");
    if ((rc = vos_req_errors_reply(rq, 400)) < 0) return rc;
    opened o;
    if ((rc = open_case(rq, &o, false)) < 0) return rc;
    vos_simulation sim;
    rc = vos_case_simulate(o.c, (size_t)iterations, (uint64_t)seed, &sim);
    if (rc < 0)
        vos_reply_error(rq, rc);
    else
        vos_render_simulation(vos_reply_json(rq, 200), &sim);
    opened_free(&o);
    return rc;
}

/* Tornado: {"scenario": "expected", "npv": the expected NPV the bars swing around,
 * "bars": [{"input", "low", "high", "npv_low", "npv_high", "swing"}]}. */
static int get_tornado(vos_req *rq)
{
    opened o;
    int rc = open_case(rq, &o, false);
    if (rc < 0) return rc;
    vos_tornado_bar *bars = calloc(o.m->n_inputs + 1, sizeof *bars);
    size_t n = 0;
    rc = bars ? vos_result_new(&o.res[VOS_SCENARIO_EXPECTED], o.m)
              : vos_error_set(VOS_ENOMEM, "out of memory");
    if (rc == 0) rc = vos_case_compute(o.c, VOS_SCENARIO_EXPECTED, o.res[VOS_SCENARIO_EXPECTED]);
    if (rc == 0) rc = vos_case_tornado(o.c, bars, &n);
    if (rc < 0) {
        vos_reply_error(rq, rc);
    } else {
        vos_jw *w = vos_reply_json(rq, 200);
        vos_jw_object(w);
        vos_jw_key(w, "scenario");
        vos_jw_string(w, vos_scenario_name(VOS_SCENARIO_EXPECTED));
        vos_jw_key(w, "npv");
        vos_jw_number(w, o.res[VOS_SCENARIO_EXPECTED]->npv);
        vos_jw_key(w, "bars");
        vos_render_tornado(w, o.m, bars, n);
        vos_jw_end(w);
    }
    free(bars);
    opened_free(&o);
    return rc;
}

/* Explanation of ?target (npv, irr, driver:ID:year2, ...) in ?scenario. */
static int explain(vos_req *rq)
{
    const char *target = vos_req_query(rq, "target");
    vos_scenario s;
    if (!target)
        vos_req_error(rq, "target",
                      "is required: npv, irr, roi, payback, benefits, costs, net, "
                      "driver:ID, cost:ID or lever:NAME (optionally :yearN)");
    int rc = vos_req_errors_reply(rq, 400);
    if (rc == 0) rc = scenario_arg(rq, &s);
    opened o;
    if (rc == 0) rc = open_case(rq, &o, false);
    if (rc < 0) return rc;
    vos_figure f;
    vos_explanation *e = NULL;
    if (vos_figure_parse(&f, o.m, target) < 0) {
        vos_req_error(rq, "target", "%s", vos_error_last());
        rc = vos_req_errors_reply(rq, 400);
    } else if ((rc = vos_case_explain(&e, o.c, s, &f)) < 0) {
        vos_reply_error(rq, rc);
    } else {
        vos_render_explanation(vos_reply_json(rq, 200), o.m, s, e);
    }
    vos_explanation_free(e);
    opened_free(&o);
    return rc;
}

/* ---- commitment and lifecycle ---- */

static const vos_field kpi_fields[] = {
    {"kpi_key", VOS_F_STRING, true, VOS_ID_MAX, NULL, "a KPI of the case's model"},
    {"unit", VOS_F_STRING, false, 0, NULL, "the KPI's unit (default: the model's)"},
    {"baseline_value", VOS_F_NUMBER, true, 0, NULL, "the value before"},
    {"baseline_date", VOS_F_DATE, true, 0, NULL, "when the baseline was measured"},
    {"target_value", VOS_F_NUMBER, true, 0, NULL, "the value committed to"},
    {"target_date", VOS_F_DATE, true, 0, NULL, "when the target is due (after the baseline)"},
    {"trajectory", VOS_F_STRING, false, 0, TRAJECTORIES, "the path from baseline to target"},
    {"tolerance", VOS_F_NUMBER, false, 0, NULL,
     "drift allowed, a fraction in (0, 1] (default: the organisation's)"},
    {"owner_user_id", VOS_F_INTEGER, false, 0, NULL, "the user who owns the KPI"},
    {"data_source", VOS_F_STRING, false, VOS_TEXT_MAX, NULL, "where measurements come from"},
    {"milestones", VOS_F_ARRAY, false, VOS_MILESTONES_MAX, NULL,
     "trajectory step: [{date, value}], the value due by each date, dates ascending"},
};

static const vos_field milestone_fields[] = {
    {"date", VOS_F_DATE, true, 0, NULL, "from the baseline date to the target date"},
    {"value", VOS_F_NUMBER, true, 0, NULL, "from the baseline value to the target value"},
};

static const vos_field commit_fields[] = {
    {"kpis", VOS_F_ARRAY, true, VOS_API_KPIS_MAX, NULL,
     "the KPIs committed to: objects with the fields of CommitmentKpi"},
};

/* Reads the milestones of kpis[i] (checked as an array already) into request memory. */
static void read_milestones(vos_req *rq, json_t *arr, size_t i, vos_kpi_milestones *out)
{
    size_t count = json_array_size(arr);
    vos_kpi_milestone *ms = vos_req_alloc(rq, (count + 1) * sizeof *ms);
    *out = (vos_kpi_milestones){ms, ms ? count : 0};
    for (size_t j = 0; ms && j < count; j++) {
        json_t *item = json_array_get(arr, j);
        char where[64];
        snprintf(where, sizeof where, "kpis[%zu].milestones[%zu]", i, j);
        ms[j] = (vos_kpi_milestone){NULL, NAN};
        if (vos_req_check(rq, item, where, milestone_fields, H_N(milestone_fields))) continue;
        ms[j] = (vos_kpi_milestone){h_dup(rq, item, "date"), h_num(item, "value")};
    }
}

/* Reads kpis[] into rows and their milestones (request memory); field problems are replied
 * as 400. */
static int read_kpis(vos_req *rq, json_t *arr, vos_kpi_commitment **out, vos_kpi_milestones **ms,
                     size_t *n)
{
    size_t count = json_array_size(arr);
    vos_kpi_commitment *k = vos_req_alloc(rq, (count + 1) * sizeof *k);
    vos_kpi_milestones *m = vos_req_alloc(rq, (count + 1) * sizeof *m);
    if (!k || !m) return vos_reply_error(rq, vos_error_set(VOS_ENOMEM, "out of memory"));
    for (size_t i = 0; i < count; i++) {
        m[i] = (vos_kpi_milestones){NULL, 0};
        json_t *item = json_array_get(arr, i);
        char where[32];
        snprintf(where, sizeof where, "kpis[%zu]", i);
        k[i] = (vos_kpi_commitment){0};
        if (vos_req_check(rq, item, where, kpi_fields, sizeof kpi_fields / sizeof *kpi_fields))
            continue;
        k[i].kpi_key = h_dup(rq, item, "kpi_key");
        k[i].unit = h_dup(rq, item, "unit");
        k[i].baseline_value = h_num(item, "baseline_value");
        k[i].baseline_date = h_dup(rq, item, "baseline_date");
        k[i].target_value = h_num(item, "target_value");
        k[i].target_date = h_dup(rq, item, "target_date");
        if (h_has(item, "trajectory"))
            vos_trajectory_parse(&k[i].trajectory, h_str(item, "trajectory"));
        k[i].tolerance = h_num(item, "tolerance");
        k[i].owner_user_id = h_int(item, "owner_user_id", 0);
        k[i].data_source = h_dup(rq, item, "data_source");
        if (h_has(item, "milestones"))
            read_milestones(rq, json_object_get(item, "milestones"), i, &m[i]);
    }
    *out = k;
    *ms = m;
    *n = count;
    return vos_req_errors_reply(rq, 400);
}

static void reply_commitment(vos_req *rq, int status, int64_t case_id)
{
    vos_commitment_row *cm = NULL;
    vos_commitment_kpi_row *kpis = NULL;
    size_t n = 0;
    int rc = vos_app_commitment_get(app_of(rq), vos_req_actor(rq), case_id, &cm, &kpis, &n);
    if (rc < 0) {
        vos_reply_error(rq, rc);
        return;
    }
    static const vos_commitment_kpi_row none[1];
    vos_render_commitment(vos_reply_json(rq, status), cm, kpis ? kpis : none, n);
    vos_commitment_kpi_rows_free(kpis, n);
    vos_commitment_row_free(cm);
}

/* The field of kpi_fields that `text` mentions first, or NULL. */
static const char *first_field(const char *text)
{
    const char *best = NULL, *at = NULL;
    for (size_t i = 0; i < sizeof kpi_fields / sizeof *kpi_fields; i++) {
        const char *p = strstr(text, kpi_fields[i].name);
        if (p && (!at || p < at)) {
            at = p;
            best = kpi_fields[i].name;
        }
    }
    return best;
}

/* A refusal of the app that quotes one KPI's key ("KPI 'mttr': target_value must ...",
 * "'x' is not a KPI of ...") names that KPI, kpis[i] (and the field it mentions), as the
 * field of the problem. */
static int kpi_error(vos_req *rq, int rc, const vos_kpi_commitment *kpis, size_t n)
{
    const char *msg = vos_error_last();
    const char *key = strchr(msg, '\''), *quote = key ? strchr(key + 1, '\'') : NULL;
    for (size_t i = 0; rc == VOS_EINVALID && quote && i < n; i++) {
        size_t len = (size_t)(quote - key - 1);
        if (!kpis[i].kpi_key || strlen(kpis[i].kpi_key) != len ||
            strncmp(kpis[i].kpi_key, key + 1, len) != 0)
            continue;
        const char *field = first_field(quote);
        char name[64];
        unsigned long mj = 0;
        if (sscanf(quote, "': milestone %lu:", &mj) == 1 && mj >= 1)
            snprintf(name, sizeof name, "kpis[%zu].milestones[%lu]", i, mj - 1);
        else if (strstr(quote, "milestones"))
            snprintf(name, sizeof name, "kpis[%zu].milestones", i);
        else
            snprintf(name, sizeof name, "kpis[%zu]%s%s", i, field ? "." : "", field ? field : "");
        vos_req_error(rq, name, "%s", msg);
        break;
    }
    return vos_reply_error(rq, rc);
}

static int commit(vos_req *rq)
{
    int64_t id;
    json_t *b;
    int rc = vos_req_param_id(rq, "case_id", &id);
    if (rc == 0) rc = vos_req_json(rq, &b);
    vos_kpi_commitment *kpis = NULL;
    vos_kpi_milestones *ms = NULL;
    size_t n = 0;
    if (rc == 0) rc = read_kpis(rq, json_object_get(b, "kpis"), &kpis, &ms, &n);
    if (rc < 0) return rc;
    vos_commitment_row *cm = NULL;
    rc = vos_app_case_commit_plan(app_of(rq), vos_req_actor(rq), id, kpis, ms, n, &cm);
    if (rc < 0) return kpi_error(rq, rc, kpis, n);
    vos_commitment_row_free(cm);
    vos_reply_location(rq, H_API "/cases/%lld/commitment", (long long)id);
    reply_commitment(rq, 201, id);
    return 0;
}

static int get_commitment(vos_req *rq)
{
    int64_t id;
    int rc = vos_req_param_id(rq, "case_id", &id);
    if (rc < 0) return rc;
    reply_commitment(rq, 200, id);
    return 0;
}

static const vos_field transition_fields[] = {
    {"to", VOS_F_STRING, true, 0, STAGES,
     "the next stage: committed -> realizing -> expanded, or lost / closed"},
};

static int transition(vos_req *rq)
{
    int64_t id;
    json_t *b;
    int rc = vos_req_param_id(rq, "case_id", &id);
    if (rc == 0) rc = vos_req_json(rq, &b);
    if (rc < 0) return rc;
    vos_case_stage to = VOS_STAGE_HYPOTHESIS;
    vos_case_stage_parse(&to, h_str(b, "to"));
    vos_case_row *c = NULL;
    rc = vos_app_case_transition(app_of(rq), vos_req_actor(rq), id, to, &c);
    if (rc < 0) return vos_reply_error(rq, rc);
    reply_case(rq, 200, c);
    vos_case_row_free(c);
    return 0;
}

static const vos_field rebase_fields[] = {
    {"version", VOS_F_STRING, true, VOS_ID_MAX, NULL, "the version of the case's model to move to"},
};

/* Rebase: {"case", "version", "revision", "changes", "figures"}, as `vos case rebase --format
 * json` prints it. */
static int rebase(vos_req *rq)
{
    int64_t id;
    json_t *b;
    int rc = vos_req_param_id(rq, "case_id", &id);
    if (rc == 0) rc = vos_req_json(rq, &b);
    if (rc < 0) return rc;
    const char *version = h_str(b, "version");
    vos_changes ch = {0};
    vos_case_row *c = NULL;
    rc = vos_app_case_rebase(app_of(rq), vos_req_actor(rq), id, version, &ch, &c);
    if (rc < 0) return h_reply_error(rq, rc, b, rebase_fields, H_N(rebase_fields), false);
    vos_reply_etag(rq, c->revision);
    vos_jw *w = vos_reply_json(rq, 200);
    vos_jw_object(w);
    vos_jw_key(w, "case");
    vos_jw_integer(w, id);
    vos_jw_key(w, "version");
    vos_jw_string(w, version);
    vos_jw_key(w, "revision");
    vos_jw_integer(w, c->revision);
    vos_render_changes(w, &ch);
    vos_jw_end(w);
    vos_changes_free(&ch);
    vos_case_row_free(c);
    return 0;
}

#define CASE H_API "/cases/{case_id}"
static const char *const list_query[] = {"account_id", "stage", NULL};
static const char *const figures_query[] = {"scenario", "detail", NULL};
static const char *const explain_query[] = {"target", "scenario", NULL};

static const vos_route routes[] = {
    {"GET", H_API "/cases", list_cases, VOS_ROUTE_LIST, "listCases", "cases",
     "List the cases the caller sees, with their account's name and model", NULL, 0, NULL,
     list_query, 200, "CaseItem"},
    {"POST", H_API "/cases", create_case, 0, "createCase", "cases",
     "Create a hypothesis case for an account on a model version", create_fields,
     H_N(create_fields), NULL, NULL, 201, "Case"},
    {"GET", CASE, get_case, 0, "getCase", "cases", "Read one case (ETag: its revision)", NULL, 0,
     NULL, NULL, 200, "Case"},
    {"PUT", CASE "/inputs/{input}", set_input, 0, "setCaseInput", "cases",
     "Override one input of a hypothesis case (If-Match: the revision)", input_fields,
     H_N(input_fields), NULL, NULL, 200, "Case"},
    {"DELETE", CASE "/inputs/{input}", unset_input, 0, "unsetCaseInput", "cases",
     "Remove the override of one input (If-Match: the revision)", NULL, 0, NULL, NULL, 200, "Case"},
    {"GET", CASE "/figures", get_figures, 0, "getCaseFigures", "cases",
     "The figures of the three scenarios (?detail=true adds the cash flow of ?scenario)", NULL, 0,
     NULL, figures_query, 200, "CaseFigures"},
    {"POST", CASE "/simulate", simulate, 0, "simulateCase", "cases",
     "Run a seeded Monte Carlo simulation of the case", simulate_fields, H_N(simulate_fields), NULL,
     NULL, 200, "Simulation"},
    {"GET", CASE "/tornado", get_tornado, 0, "getCaseTornado", "cases",
     "Rank the ranged inputs by the NPV swing over their range", NULL, 0, NULL, NULL, 200,
     "Tornado"},
    {"GET", CASE "/explain", explain, 0, "explainCaseFigure", "cases",
     "Explain one figure back to its formula, inputs and evidence", NULL, 0, NULL, explain_query,
     200, "Explanation"},
    {"POST", CASE "/commit", commit, 0, "commitCase", "cases",
     "Commit to a hypothesis case and its KPIs: freezes a snapshot", commit_fields,
     H_N(commit_fields), NULL, NULL, 201, "Commitment"},
    {"GET", CASE "/commitment", get_commitment, 0, "getCaseCommitment", "cases",
     "Read the commitment of a committed case and its KPIs", NULL, 0, NULL, NULL, 200,
     "Commitment"},
    {"POST", CASE "/transition", transition, 0, "transitionCase", "cases",
     "Move a case along its lifecycle", transition_fields, H_N(transition_fields), NULL, NULL, 200,
     "Case"},
    {"POST", CASE "/rebase", rebase, 0, "rebaseCase", "cases",
     "Move a hypothesis case onto another version of its model; replies every change",
     rebase_fields, H_N(rebase_fields), NULL, NULL, 200, "Rebase"},
};

const vos_route_set vos_routes_cases = {routes, H_N(routes)};
