/* Committing a case: the KPIs committed to and a frozen snapshot of the case and its figures. */
#include "app_int.h"

#include "vos/error.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KPI_LIST_MAX 512 /* bytes of the list of a model's KPIs in a message */

/* What a commitment needs besides the KPIs: the rows it refers to and the loaded case. */
typedef struct commit_ctx {
    vos_case_row *c;
    vos_model_version_row *version;
    vos_model_row *model_row;
    vos_account_row *account;
    vos_model *model;
    vos_case *vc;
    app_overrides overrides;
    vos_result *results[VOS_SCENARIO_COUNT];
    vos_kpi_commitment *kpis; /* copies with defaults filled in; strings borrowed */
    const vos_kpi_milestones *milestones; /* [n_kpis] or NULL; borrowed */
    size_t n_kpis;
    double default_tolerance;
} commit_ctx;

static void ctx_free(commit_ctx *x)
{
    vos_case_row_free(x->c);
    vos_model_version_row_free(x->version);
    vos_model_row_free(x->model_row);
    vos_account_row_free(x->account);
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++)
        vos_result_free(x->results[s]);
    vos_case_free(x->vc);
    vos_model_free(x->model);
    app_overrides_free(&x->overrides);
    free(x->kpis);
}

/* ---- checks --------------------------------------------------------------------------------- */

static int need_approved(const commit_ctx *x)
{
    const char *key = x->model->id, *ver = x->version->version;
    switch (x->version->status) {
    case VOS_VERSION_APPROVED:
        return 0;
    case VOS_VERSION_DRAFT:
        return vos_error_set(VOS_ECONFLICT,
                             "model %s version %s is a draft; approve it before committing a case "
                             "on it",
                             key, ver);
    default:
        return vos_error_set(VOS_ECONFLICT,
                             "model %s version %s is retired; re-base case '%s' onto an approved "
                             "version before committing it",
                             key, ver, x->c->name);
    }
}

static void kpi_list(char *buf, size_t size, const vos_model *m)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < m->n_kpis && len < size; k++) {
        int w = snprintf(buf + len, size - len, "%s%s", k ? ", " : "", m->kpis[k].id);
        if (w < 0) break;
        len += (size_t)w;
    }
}

/* The KPI's unit must be the model's (as written, or the same unit spelt otherwise). */
static int check_unit(const vos_model *m, const vos_kpi *mk, const char *unit)
{
    if (!unit || !*unit || strcmp(unit, mk->unit_text) == 0) return 0;
    vos_unit u;
    if (vos_unit_parse(&u, unit, strlen(unit), m->currency, NULL) == 0 &&
        vos_unit_equal(&u, &mk->unit))
        return 0;
    return vos_error_set(VOS_EINVALID, "KPI '%s' is measured in %s in model %s, not in %s", mk->id,
                         mk->unit_text, m->id, unit);
}

/* Checks one KPI to commit to and fills in its defaults. */
static int check_kpi(const commit_ctx *x, vos_kpi_commitment *k, size_t i)
{
    const vos_model *m = x->model;
    if (!k->kpi_key || !*k->kpi_key)
        return vos_error_set(VOS_EINVALID, "KPI %zu of the commitment has no kpi_key", i + 1);
    long idx = vos_model_find_kpi(m, k->kpi_key);
    if (idx < 0) {
        char list[KPI_LIST_MAX];
        kpi_list(list, sizeof list, m);
        return vos_error_set(VOS_EINVALID, "'%.*s' is not a KPI of model %s (its KPIs: %s)",
                             VOS_ID_MAX, k->kpi_key, m->id, *list ? list : "none");
    }
    for (size_t j = 0; j < i; j++)
        if (strcmp(x->kpis[j].kpi_key, k->kpi_key) == 0)
            return vos_error_set(VOS_EINVALID, "KPI '%s' is committed to twice", k->kpi_key);
    const char *id = k->kpi_key;
    if (!isfinite(k->baseline_value) || !isfinite(k->target_value))
        return vos_error_set(VOS_EINVALID,
                             "KPI '%s': baseline_value and target_value must be "
                             "finite numbers",
                             id);
    if (k->baseline_value == k->target_value)
        return vos_error_set(VOS_EINVALID,
                             "KPI '%s': target_value must differ from "
                             "baseline_value (both are %.15g)",
                             id, k->target_value);
    bool lower = m->kpis[idx].better == VOS_BETTER_LOWER;
    if (lower != (k->target_value < k->baseline_value))
        return vos_error_set(VOS_EINVALID,
                             "KPI '%s' is %s-is-better in model %s: target_value %.15g must be "
                             "%s baseline_value %.15g",
                             id, lower ? "lower" : "higher", m->id, k->target_value,
                             lower ? "below" : "above", k->baseline_value);
    if (!app_is_date(k->baseline_date))
        return vos_error_set(VOS_EINVALID,
                             "KPI '%s': baseline_date '%.20s' is not a date "
                             "(YYYY-MM-DD)",
                             id, k->baseline_date ? k->baseline_date : "");
    if (!app_is_date(k->target_date))
        return vos_error_set(VOS_EINVALID,
                             "KPI '%s': target_date '%.20s' is not a date "
                             "(YYYY-MM-DD)",
                             id, k->target_date ? k->target_date : "");
    if (strcmp(k->target_date, k->baseline_date) <= 0)
        return vos_error_set(VOS_EINVALID,
                             "KPI '%s': target_date %s must be after baseline_date %s", id,
                             k->target_date, k->baseline_date);
    if (!vos_trajectory_name(k->trajectory))
        return vos_error_set(VOS_EINVALID, "KPI '%s': trajectory %d is not a trajectory", id,
                             (int)k->trajectory);
    if (k->tolerance == 0 || isnan(k->tolerance)) k->tolerance = x->default_tolerance;
    if (!(k->tolerance > 0 && k->tolerance <= 1))
        return vos_error_set(VOS_EINVALID,
                             "KPI '%s': tolerance must be a fraction in (0, 1], "
                             "e.g. 0.1 for 10%%",
                             id);
    int rc = check_unit(m, &m->kpis[idx], k->unit);
    if (rc < 0) return rc;
    if (!k->unit || !*k->unit) k->unit = m->kpis[idx].unit_text;
    return 0;
}

/* Checks the milestones of KPI k (checked by check_kpi already). */
static int check_milestones(const vos_kpi_commitment *k, const vos_kpi_milestones *ms)
{
    const char *id = k->kpi_key;
    if (!ms || ms->n == 0) return 0;
    if (k->trajectory != VOS_TRAJECTORY_STEP)
        return vos_error_set(VOS_EINVALID,
                             "KPI '%s': milestones need trajectory step (the trajectory is %s)",
                             id, vos_trajectory_name(k->trajectory));
    if (ms->n > VOS_MILESTONES_MAX)
        return vos_error_set(VOS_EINVALID, "KPI '%s': %zu milestones (at most %d)", id, ms->n,
                             VOS_MILESTONES_MAX);
    double lo = fmin(k->baseline_value, k->target_value);
    double hi = fmax(k->baseline_value, k->target_value);
    for (size_t j = 0; j < ms->n; j++) {
        const vos_kpi_milestone *it = &ms->items[j];
        if (!app_is_date(it->date))
            return vos_error_set(VOS_EINVALID,
                                 "KPI '%s': milestone %zu: date '%.20s' is not a date "
                                 "(YYYY-MM-DD)",
                                 id, j + 1, it->date ? it->date : "");
        if (strcmp(it->date, k->baseline_date) < 0 || strcmp(it->date, k->target_date) > 0)
            return vos_error_set(VOS_EINVALID,
                                 "KPI '%s': milestone %zu: date %s must lie from baseline_date "
                                 "%s to target_date %s",
                                 id, j + 1, it->date, k->baseline_date, k->target_date);
        if (j > 0 && strcmp(it->date, ms->items[j - 1].date) <= 0)
            return vos_error_set(VOS_EINVALID,
                                 "KPI '%s': milestone %zu: date %s must be after the date of "
                                 "milestone %zu (%s)",
                                 id, j + 1, it->date, j, ms->items[j - 1].date);
        if (!isfinite(it->value) || it->value < lo || it->value > hi)
            return vos_error_set(VOS_EINVALID,
                                 "KPI '%s': milestone %zu: value %.15g must lie from "
                                 "baseline_value %.15g to target_value %.15g",
                                 id, j + 1, it->value, k->baseline_value, k->target_value);
    }
    return 0;
}

/* ---- loading -------------------------------------------------------------------------------- */

static double default_tolerance(vos_app *app)
{
    vos_organisation_row *org = NULL;
    double t = VOS_APP_TOLERANCE_DEFAULT;
    if (vos_store_organisation_get(app->st, &org, 1) == 0) t = org->default_tolerance;
    vos_organisation_row_free(org);
    return t;
}

static int load_ctx(vos_app *app, const vos_actor *who, int64_t case_id, commit_ctx *x)
{
    int rc = app_case_get(app, who, case_id, &x->c);
    if (rc < 0) return rc;
    if (x->c->stage != VOS_STAGE_HYPOTHESIS)
        return vos_error_set(VOS_ECONFLICT, "case '%s' is %s; only a hypothesis can be committed",
                             x->c->name, vos_case_stage_name(x->c->stage));
    rc = app_case_model(app, x->c->model_version_id, &x->model, &x->version);
    if (rc == 0) rc = vos_store_model_get(app->st, &x->model_row, x->version->model_id);
    if (rc == 0) rc = need_approved(x);
    if (rc == 0) rc = vos_store_account_get(app->st, &x->account, x->c->account_id);
    if (rc == 0) rc = app_overrides_parse(&x->overrides, x->c->overrides, x->c->name);
    if (rc == 0) rc = vos_case_new(&x->vc, x->model);
    if (rc == 0) rc = app_overrides_apply(&x->overrides, x->vc);
    for (int s = 0; s < VOS_SCENARIO_COUNT && rc == 0; s++) {
        rc = vos_result_new(&x->results[s], x->model);
        if (rc == 0) rc = vos_case_compute(x->vc, (vos_scenario)s, x->results[s]);
    }
    x->default_tolerance = default_tolerance(app);
    return rc;
}

/* ---- the snapshot --------------------------------------------------------------------------- */

static void num(vos_jw *w, const char *key, double v)
{
    vos_jw_key(w, key);
    vos_jw_number(w, v);
}

static void str(vos_jw *w, const char *key, const char *v)
{
    vos_jw_key(w, key);
    if (v)
        vos_jw_string(w, v);
    else
        vos_jw_null(w);
}

static void ref(vos_jw *w, const char *key, int64_t id)
{
    vos_jw_key(w, key);
    if (id)
        vos_jw_integer(w, (long long)id);
    else
        vos_jw_null(w);
}

static void write_scenario(vos_jw *w, const vos_model *m, const vos_result *r)
{
    vos_jw_object(w);
    num(w, "npv", r->npv);
    num(w, "irr", r->has_irr ? r->irr : NAN);
    num(w, "payback_months", r->has_payback ? r->payback_months : NAN);
    num(w, "roi", r->has_roi ? r->roi : NAN);
    num(w, "benefits_total", r->benefits_total);
    num(w, "costs_total", r->costs_total);
    num(w, "net_total", r->net_total);
    vos_jw_key(w, "levers");
    vos_jw_object(w);
    for (int l = 0; l < VOS_LEVER_COUNT; l++)
        num(w, vos_lever_name((vos_lever)l), r->lever_total[l]);
    vos_jw_end(w);
    vos_jw_key(w, "drivers");
    vos_jw_object(w);
    for (size_t d = 0; d < m->n_drivers; d++)
        num(w, m->drivers[d].id, r->driver_total[d]);
    vos_jw_end(w);
    vos_jw_key(w, "costs");
    vos_jw_object(w);
    for (size_t c = 0; c < m->n_costs; c++)
        num(w, m->costs[c].id, r->cost_total[c]);
    vos_jw_end(w);
    vos_jw_key(w, "inputs");
    vos_jw_object(w);
    for (size_t i = 0; i < m->n_inputs; i++)
        num(w, m->inputs[i].id, r->inputs[i]);
    vos_jw_end(w);
    vos_jw_end(w);
}

static void write_kpi(vos_jw *w, const vos_model *m, const vos_kpi_commitment *k,
                      const vos_kpi_milestones *ms)
{
    const vos_kpi *mk = &m->kpis[vos_model_find_kpi(m, k->kpi_key)];
    vos_jw_object(w);
    str(w, "kpi", k->kpi_key);
    str(w, "name", mk->name);
    str(w, "unit", k->unit);
    str(w, "better", mk->better == VOS_BETTER_LOWER ? "lower" : "higher");
    num(w, "baseline_value", k->baseline_value);
    str(w, "baseline_date", k->baseline_date);
    num(w, "target_value", k->target_value);
    str(w, "target_date", k->target_date);
    str(w, "trajectory", vos_trajectory_name(k->trajectory));
    num(w, "tolerance", k->tolerance);
    ref(w, "owner_user_id", k->owner_user_id);
    str(w, "data_source", k->data_source);
    if (ms && ms->n) {
        vos_jw_key(w, "milestones");
        vos_jw_array(w);
        for (size_t j = 0; j < ms->n; j++) {
            vos_jw_object(w);
            str(w, "date", ms->items[j].date);
            num(w, "value", ms->items[j].value);
            vos_jw_end(w);
        }
        vos_jw_end(w);
    }
    vos_jw_end(w);
}

static int write_snapshot(const commit_ctx *x, const vos_actor *who, char **out)
{
    char now[VOS_STAMP_SIZE];
    vos_store_now(now);
    vos_jw w;
    vos_jw_init(&w, VOS_STORE_JSON_MAX);
    vos_jw_object(&w);
    vos_jw_key(&w, "case");
    vos_jw_object(&w);
    ref(&w, "id", x->c->id);
    str(&w, "name", x->c->name);
    ref(&w, "account_id", x->c->account_id);
    ref(&w, "model_version_id", x->c->model_version_id);
    ref(&w, "owner_user_id", x->c->owner_user_id);
    ref(&w, "parent_case_id", x->c->parent_case_id);
    vos_jw_key(&w, "revision");
    vos_jw_integer(&w, (long long)x->c->revision);
    vos_jw_end(&w);
    str(&w, "account", x->account->name);
    vos_jw_key(&w, "model");
    vos_jw_object(&w);
    str(&w, "key", x->model_row->key);
    str(&w, "version", x->version->version);
    str(&w, "content_sha256", x->version->content_sha256);
    str(&w, "currency", x->model->currency);
    vos_jw_end(&w);
    str(&w, "committed_at", now);
    str(&w, "committed_by", who->name);
    vos_jw_key(&w, "overrides");
    app_overrides_write(&w, &x->overrides, x->model);
    vos_jw_key(&w, "scenarios");
    vos_jw_object(&w);
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++) {
        vos_jw_key(&w, vos_scenario_name((vos_scenario)s));
        write_scenario(&w, x->model, x->results[s]);
    }
    vos_jw_end(&w);
    vos_jw_key(&w, "kpis");
    vos_jw_array(&w);
    for (size_t i = 0; i < x->n_kpis; i++)
        write_kpi(&w, x->model, &x->kpis[i], x->milestones ? &x->milestones[i] : NULL);
    vos_jw_end(&w);
    vos_jw_end(&w);
    size_t len;
    int rc = vos_jw_finish(&w, out, &len);
    if (rc < 0)
        return vos_error_set(rc, "the snapshot of case '%s' is larger than %d bytes", x->c->name,
                             VOS_STORE_JSON_MAX);
    return 0;
}

/* ---- writing -------------------------------------------------------------------------------- */

static int write_commitment(vos_app *app, const vos_actor *who, commit_ctx *x, const char *snapshot,
                            int64_t *commitment_id)
{
    vos_commitment_row cm = {
        .case_id = x->c->id, .snapshot = (char *)snapshot, .committed_by = who->user_id};
    int rc = vos_store_commitment_create(app->st, &cm);
    if (rc == 0) rc = app_audit(app, who, "case.commit", VOS_ENTITY_COMMITMENT, cm.id, NULL);
    *commitment_id = cm.id;
    for (size_t i = 0; i < x->n_kpis && rc == 0; i++) {
        vos_commitment_kpi_row k = x->kpis[i];
        k.commitment_id = cm.id;
        rc = vos_store_commitment_kpi_create(app->st, &k);
        if (rc == 0) rc = app_audit(app, who, "case.commit", VOS_ENTITY_COMMITMENT_KPI, k.id, NULL);
    }
    char *before = NULL;
    if (rc == 0) rc = app_before(app, VOS_ENTITY_CASE, x->c->id, &before);
    if (rc == 0) {
        x->c->stage = VOS_STAGE_COMMITTED;
        rc = vos_store_case_update(app->st, x->c);
    }
    if (rc == 0) {
        rc = app_audit(app, who, "case.commit", VOS_ENTITY_CASE, x->c->id, before);
        before = NULL;
    }
    free(before);
    return rc;
}

int vos_app_case_commit(vos_app *app, const vos_actor *who, int64_t case_id,
                        const vos_kpi_commitment *kpis, size_t n_kpis, vos_commitment_row **out)
{
    return vos_app_case_commit_plan(app, who, case_id, kpis, NULL, n_kpis, out);
}

int vos_app_case_commit_plan(vos_app *app, const vos_actor *who, int64_t case_id,
                             const vos_kpi_commitment *kpis, const vos_kpi_milestones *ms,
                             size_t n_kpis, vos_commitment_row **out)
{
    if (out) *out = NULL;
    int rc = app_allow(who, VOS_OP_CASE_COMMIT);
    if (rc < 0) return rc;
    if (!kpis || n_kpis == 0)
        return vos_error_set(VOS_EINVALID, "a commitment needs at least one KPI with its "
                                           "baseline and target");
    commit_ctx x = {0};
    x.kpis = malloc(n_kpis * sizeof *x.kpis);
    if (!x.kpis) return vos_error_set(VOS_ENOMEM, "out of memory");
    memcpy(x.kpis, kpis, n_kpis * sizeof *kpis);
    x.milestones = ms;
    char *snapshot = NULL;
    int64_t commitment_id = 0;
    if ((rc = app_begin(app)) < 0) goto out;
    rc = load_ctx(app, who, case_id, &x);
    for (size_t i = 0; i < n_kpis && rc == 0; i++) {
        x.n_kpis = i;
        rc = check_kpi(&x, &x.kpis[i], i);
        if (rc == 0 && ms) rc = check_milestones(&x.kpis[i], &ms[i]);
    }
    x.n_kpis = n_kpis;
    if (rc == 0) rc = write_snapshot(&x, who, &snapshot);
    if (rc == 0) rc = write_commitment(app, who, &x, snapshot, &commitment_id);
    if (rc == 0 && out) rc = vos_store_commitment_get(app->st, out, commitment_id);
    rc = app_end(app, rc);
    if (rc < 0 && out) {
        vos_commitment_row_free(*out);
        *out = NULL;
    }
out:
    free(snapshot);
    ctx_free(&x);
    return rc;
}
