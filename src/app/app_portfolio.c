/* The executives' portfolio (committed against realized value over the cases an actor sees)
 * and the success plan of one commitment. */
#include "app_realize_int.h"

#include "vos/error.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MONTHS_PER_QUARTER 3
#define OWNER_MAX (VOS_NAME_MAX + VOS_EMAIL_MAX + 8)

/* ---- the portfolio -------------------------------------------------------------------------- */

void vos_portfolio_free(vos_portfolio *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n_accounts; i++)
        free(p->accounts[i].name);
    for (size_t i = 0; i < p->n_skipped; i++)
        free(p->skipped[i].reason);
    free(p->accounts);
    free(p->skipped);
    free(p);
}

/* The portfolio's row of an account, added when it is new.  NULL when out of memory. */
static vos_portfolio_account *account_of(vos_portfolio *p, int64_t id, const char *name)
{
    for (size_t i = 0; i < p->n_accounts; i++)
        if (p->accounts[i].account_id == id) return &p->accounts[i];
    vos_portfolio_account *grown = realloc(p->accounts, (p->n_accounts + 1) * sizeof *grown);
    if (!grown) return NULL;
    p->accounts = grown;
    vos_portfolio_account *a = &p->accounts[p->n_accounts];
    *a = (vos_portfolio_account){.account_id = id, .name = app_strdup(name)};
    if (!a->name) return NULL;
    p->n_accounts++;
    return a;
}

static int skip(vos_portfolio *p, int64_t case_id, const char *reason)
{
    vos_portfolio_skip *grown = realloc(p->skipped, (p->n_skipped + 1) * sizeof *grown);
    if (!grown) return vos_error_set(VOS_ENOMEM, "out of memory");
    p->skipped = grown;
    p->skipped[p->n_skipped] = (vos_portfolio_skip){case_id, app_strdup(reason)};
    if (!p->skipped[p->n_skipped].reason) return vos_error_set(VOS_ENOMEM, "out of memory");
    p->n_skipped++;
    return 0;
}

/* Adds the realization of one case (ownership of c taken). */
static int add_case(vos_app *app, vos_portfolio *p, vos_case_row *c, double day)
{
    int64_t id = c->id;
    vos_case_realization *cr = NULL;
    int rc = app_realize_case(app, c, day, &cr);
    if (rc < 0) return rc == VOS_ENOMEM ? rc : skip(p, id, vos_error_last());
    if (strcmp(cr->model->currency, p->currency) != 0) {
        char why[VOS_NAME_MAX];
        snprintf(why, sizeof why, "its model is in %s, the organisation reports in %s",
                 cr->model->currency, p->currency);
        vos_case_realization_free(cr);
        return skip(p, id, why);
    }
    vos_portfolio_account *a = account_of(p, cr->account->id, cr->account->name);
    if (!a) {
        vos_case_realization_free(cr);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    const vos_realization *r = cr->r;
    a->cases++;
    a->committed_total += r->committed_total;
    a->planned_to_date += r->planned_to_date;
    a->realized_to_date += r->realized_to_date;
    p->cases++;
    p->committed_total += r->committed_total;
    p->planned_to_date += r->planned_to_date;
    p->realized_to_date += r->realized_to_date;
    for (int l = 0; l < VOS_LEVER_COUNT; l++) {
        p->lever_committed[l] += cr->lever_committed[l];
        p->lever_planned[l] += cr->lever_planned[l];
        p->lever_realized[l] += cr->lever_realized[l];
    }
    vos_case_realization_free(cr);
    return 0;
}

/* Every case the actor sees at `stage`, added page by page. */
static int add_stage(vos_app *app, const vos_actor *who, vos_portfolio *p, vos_case_stage stage,
                     double day)
{
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "stage", .i = stage};
    for (;;) {
        vos_case_row *rows = NULL;
        size_t n = 0;
        int rc = vos_app_case_list(app, who, &rows, &n, &q);
        for (size_t i = 0; i < n && rc == 0; i++) {
            q.after_id = rows[i].id;
            if (p->cases + p->n_skipped >= VOS_PORTFOLIO_CASES_MAX) {
                rc = vos_error_set(VOS_ETOOLARGE,
                                   "the portfolio has more than %d committed "
                                   "cases",
                                   VOS_PORTFOLIO_CASES_MAX);
                break;
            }
            vos_case_row *one = malloc(sizeof *one);
            if (!one) rc = vos_error_set(VOS_ENOMEM, "out of memory");
            if (rc == 0) {
                *one = rows[i];
                memset(&rows[i], 0, sizeof rows[i]);
                rc = add_case(app, p, one, day);
            }
        }
        vos_case_rows_free(rows, n);
        if (rc < 0 || n < q.limit) return rc;
    }
}

/* Counts the alerts that are not resolved, per account and in all. */
static int count_alerts(vos_app *app, const vos_actor *who, vos_portfolio *p)
{
    static const vos_alert_status states[] = {VOS_ALERT_OPEN, VOS_ALERT_ACKNOWLEDGED};
    for (size_t s = 0; s < 2; s++) {
        vos_store_query q = {.limit = VOS_STORE_PAGE_MAX, .n_where = 1};
        q.where[0] = (vos_store_filter){.field = "status", .i = states[s]};
        for (;;) {
            vos_alert_row *rows = NULL;
            size_t n = 0;
            int rc = vos_app_alert_list(app, who, &rows, &n, &q);
            for (size_t i = 0; i < n; i++) {
                q.after_id = rows[i].id;
                p->open_alerts++;
                for (size_t k = 0; k < p->n_accounts; k++)
                    if (p->accounts[k].account_id == rows[i].account_id)
                        p->accounts[k].open_alerts++;
            }
            vos_alert_rows_free(rows, n);
            if (rc < 0) return rc;
            if (n < q.limit) break;
        }
    }
    return 0;
}

static double rate(double realized, double planned)
{
    return planned != 0 ? realized / planned : NAN;
}

/* Worst first: the lowest realization rate, then the largest shortfall, then the name;
 * accounts with nothing planned yet last. */
static int worst_first(const void *pa, const void *pb)
{
    const vos_portfolio_account *a = pa, *b = pb;
    bool na = isnan(a->realization_rate), nb = isnan(b->realization_rate);
    if (na != nb) return na ? 1 : -1;
    if (!na && a->realization_rate != b->realization_rate)
        return a->realization_rate < b->realization_rate ? -1 : 1;
    double sa = a->planned_to_date - a->realized_to_date;
    double sb = b->planned_to_date - b->realized_to_date;
    if (sa != sb) return sa > sb ? -1 : 1;
    return strcmp(a->name, b->name);
}

static void org_currency(vos_app *app, char out[4])
{
    vos_organisation_row *org = NULL;
    snprintf(out, 4, "USD");
    if (vos_store_organisation_get(app->st, &org, 1) == 0) snprintf(out, 4, "%s", org->currency);
    vos_organisation_row_free(org);
}

int vos_app_portfolio(vos_app *app, const vos_actor *who, const char *as_of, vos_portfolio **out)
{
    *out = NULL;
    double day = 0;
    char stamp[VOS_STAMP_SIZE];
    int rc = app_allow(who, VOS_OP_CASE_READ);
    if (rc == 0) rc = app_as_of(as_of, &day, stamp);
    if (rc < 0) return rc;
    vos_portfolio *p = calloc(1, sizeof *p);
    if (!p) return vos_error_set(VOS_ENOMEM, "out of memory");
    snprintf(p->as_of, sizeof p->as_of, "%s", stamp);
    org_currency(app, p->currency);
    static const vos_case_stage stages[] = {VOS_STAGE_COMMITTED, VOS_STAGE_REALIZING,
                                            VOS_STAGE_EXPANDED, VOS_STAGE_CLOSED};
    for (size_t s = 0; s < sizeof stages / sizeof *stages && rc == 0; s++)
        rc = add_stage(app, who, p, stages[s], day);
    if (rc == 0) rc = count_alerts(app, who, p);
    if (rc < 0) {
        vos_portfolio_free(p);
        return rc;
    }
    p->realization_rate = rate(p->realized_to_date, p->planned_to_date);
    for (size_t i = 0; i < p->n_accounts; i++)
        p->accounts[i].realization_rate =
            rate(p->accounts[i].realized_to_date, p->accounts[i].planned_to_date);
    if (p->n_accounts > 1) qsort(p->accounts, p->n_accounts, sizeof *p->accounts, worst_first);
    *out = p;
    return 0;
}

/* ---- the success plan ----------------------------------------------------------------------- */

void vos_success_plan_free(vos_success_plan *p)
{
    if (!p) return;
    for (size_t i = 0; p->owners && p->cr && i < p->cr->n_kpis; i++)
        free(p->owners[i]);
    free(p->owners);
    for (size_t i = 0; i < p->n_periods; i++)
        free(p->periods[i].kpi_planned);
    free(p->periods);
    free(p->model_key);
    free(p->model_version);
    free(p->currency);
    free(p->committed_at);
    free(p->committed_by);
    vos_case_realization_free(p->cr);
    free(p);
}

static double num_or_nan(json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static char *dup_str(json_t *v)
{
    return app_strdup(json_is_string(v) ? json_string_value(v) : "");
}

/* The figures of the snapshot: model, currency, who committed when, the expected scenario. */
static int plan_snapshot(vos_success_plan *p)
{
    json_t *snap = json_loads(p->cr->commitment->snapshot, 0, NULL);
    if (!snap) return vos_error_set(VOS_ECONFLICT, "the commitment snapshot is not JSON");
    json_t *model = json_object_get(snap, "model");
    json_t *exp = json_object_get(json_object_get(snap, "scenarios"), "expected");
    p->model_key = dup_str(json_object_get(model, "key"));
    p->model_version = dup_str(json_object_get(model, "version"));
    p->currency = dup_str(json_object_get(model, "currency"));
    p->committed_at = dup_str(json_object_get(snap, "committed_at"));
    p->committed_by = dup_str(json_object_get(snap, "committed_by"));
    p->npv = num_or_nan(json_object_get(exp, "npv"));
    p->irr = num_or_nan(json_object_get(exp, "irr"));
    p->payback_months = num_or_nan(json_object_get(exp, "payback_months"));
    p->roi = num_or_nan(json_object_get(exp, "roi"));
    p->benefits_total = num_or_nan(json_object_get(exp, "benefits_total"));
    p->costs_total = num_or_nan(json_object_get(exp, "costs_total"));
    json_decref(snap);
    if (!p->model_key || !p->model_version || !p->currency || !p->committed_at || !p->committed_by)
        return vos_error_set(VOS_ENOMEM, "out of memory");
    return 0;
}

/* "Name <email>" of each KPI's owner. */
static int plan_owners(vos_app *app, vos_success_plan *p)
{
    size_t n = p->cr->n_kpis;
    p->owners = calloc(n ? n : 1, sizeof *p->owners);
    if (!p->owners) return vos_error_set(VOS_ENOMEM, "out of memory");
    for (size_t j = 0; j < n; j++) {
        vos_user_row *u = NULL;
        int64_t id = p->cr->kpi_rows[j].owner_user_id;
        if (!id || vos_store_user_get(app->st, &u, id) < 0) continue;
        char buf[OWNER_MAX];
        snprintf(buf, sizeof buf, "%s <%s>", u->name, u->email);
        vos_user_row_free(u);
        if (!(p->owners[j] = app_strdup(buf))) return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    return 0;
}

/* One quarter (or year) of the plan: periods [first, last] of the model. */
static int plan_period(vos_success_plan *p, vos_plan_period *q, int first, int last, int number)
{
    const vos_case_realization *cr = p->cr;
    const vos_model *m = cr->model;
    size_t W = (size_t)m->periods + 1;
    double L = cr->r->period_days;
    bool yearly = m->period == VOS_PERIOD_YEAR;
    snprintf(q->label, sizeof q->label, yearly ? "Year %d" : "Q%d", number);
    app_date_of_day(q->from, cr->start_day + (first - 1) * L);
    double end = cr->start_day + last * L;
    app_date_of_day(q->to, end - 1);
    for (int t = number == 1 ? 0 : first; t <= last; t++) { /* up-front flows go to the first */
        q->costs += cr->plan_costs[t];
        for (size_t d = 0; d < m->n_drivers; d++) {
            double v = cr->plan[d * W + (size_t)t];
            q->benefits += v;
            q->lever[m->drivers[d].lever] += v;
        }
    }
    q->kpi_planned = calloc(cr->n_kpis ? cr->n_kpis : 1, sizeof *q->kpi_planned);
    if (!q->kpi_planned) return vos_error_set(VOS_ENOMEM, "out of memory");
    for (size_t j = 0; j < cr->n_kpis; j++)
        q->kpi_planned[j] = vos_kpi_planned(&cr->plans[j], end - 1);
    return 0;
}

static int plan_periods(vos_success_plan *p)
{
    const vos_model *m = p->cr->model;
    int per = m->period == VOS_PERIOD_YEAR ? 1 : MONTHS_PER_QUARTER;
    size_t n = (size_t)((m->periods + per - 1) / per);
    p->periods = calloc(n ? n : 1, sizeof *p->periods);
    if (!p->periods) return vos_error_set(VOS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        int first = (int)i * per + 1, last = first + per - 1;
        if (last > m->periods) last = m->periods;
        p->n_periods++;
        int rc = plan_period(p, &p->periods[i], first, last, (int)i + 1);
        if (rc < 0) return rc;
    }
    return 0;
}

int vos_app_success_plan(vos_app *app, const vos_actor *who, int64_t case_id,
                         vos_success_plan **out)
{
    *out = NULL;
    vos_success_plan *p = calloc(1, sizeof *p);
    if (!p) return vos_error_set(VOS_ENOMEM, "out of memory");
    int rc = vos_app_case_realization(app, who, case_id, NULL, &p->cr);
    if (rc == 0) rc = plan_snapshot(p);
    if (rc == 0) rc = plan_owners(app, p);
    if (rc == 0) rc = plan_periods(p);
    if (rc < 0) {
        vos_success_plan_free(p);
        return rc;
    }
    *out = p;
    return 0;
}
