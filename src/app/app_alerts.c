/* Evaluating alerts: the realization of each committed case tells which conditions hold for
 * each committed KPI (drift, stale data, forecast miss, missed milestone); each condition has
 * at most one alert that is not resolved, raised, updated or resolved here in one transaction
 * per case, with the events of the case's webhooks (docs/alerts-and-webhooks.md). */
#include "app_realize_int.h"

#include "vos/error.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KINDS 4              /* drift, stale, forecast_miss, milestone_missed */
#define MSG_MAX VOS_TEXT_MAX /* characters of an alert message */
#define NUM_TEXT 48          /* bytes of one formatted figure */
#define CRITICAL_DRIFT 2.0   /* behind more than this many tolerances: critical */
#define PERCENT 100.0

/* One condition of one KPI: whether it holds, and what its alert says. */
typedef struct condition {
    vos_alert_kind kind;
    bool holds;
    vos_alert_severity severity;
    char message[MSG_MAX + 1];
    const char *cleared; /* why it no longer holds, for the resolution */
} condition;

/* ---- wording -------------------------------------------------------------------------------- */

/* A figure as people read it: up to 4 significant digits, whole numbers from 10,000 on. */
static void fig(char out[NUM_TEXT], double v)
{
    if (isnan(v))
        snprintf(out, NUM_TEXT, "none");
    else if (fabs(v) >= 1e4)
        snprintf(out, NUM_TEXT, "%.0f", v);
    else
        snprintf(out, NUM_TEXT, "%.4g", v);
}

static void say(condition *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(condition *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->message, sizeof c->message, fmt, ap);
    va_end(ap);
}

static const char *unit_of(const vos_kpi_realization *k, const vos_model *m)
{
    const char *u = k->commitment->unit ? k->commitment->unit : m->kpis[k->kpi].unit_text;
    return u && strcmp(u, "1") != 0 ? u : "";
}

/* ---- the conditions of one KPI -------------------------------------------------------------- */

static void drift(condition *c, const vos_case_realization *cr, size_t j)
{
    const vos_kpi_status *s = &cr->r->kpis[j];
    const vos_kpi_realization *k = &cr->kpis[j];
    const char *id = k->commitment->kpi_key, *u = unit_of(k, cr->model);
    char actual[NUM_TEXT], planned[NUM_TEXT], date[VOS_DATE_SIZE];
    c->kind = VOS_ALERT_DRIFT;
    c->holds = s->drifting;
    c->cleared = "the KPI is back within its tolerance of its plan";
    if (!c->holds) return;
    double tol = cr->plans[j].tolerance;
    c->severity = s->behind > CRITICAL_DRIFT * tol ? VOS_SEVERITY_CRITICAL : VOS_SEVERITY_WARNING;
    fig(actual, s->actual);
    fig(planned, s->planned);
    app_date_of_day(date, s->actual_day);
    say(c,
        "KPI %s (%s) is %.0f%% behind its plan, beyond its tolerance of %.0f%%: %s%s%s measured "
        "on %s, %s%s%s planned.",
        id, cr->model->kpis[k->kpi].name, s->behind * PERCENT, tol * PERCENT, actual, *u ? " " : "",
        u, date, planned, *u ? " " : "", u);
}

static void stale(condition *c, const vos_case_realization *cr, size_t j)
{
    const vos_kpi_status *s = &cr->r->kpis[j];
    const vos_kpi_realization *k = &cr->kpis[j];
    const vos_kpi_plan *p = &cr->plans[j];
    double days = (double)cr->stale_after_days;
    c->kind = VOS_ALERT_STALE;
    c->cleared = "a measurement arrived";
    /* without any measurement the KPI is stale once stale_after_days passed since its baseline */
    c->holds = s->stale && (!isnan(s->actual_day) || cr->as_of_day - p->baseline_day > days);
    c->severity = VOS_SEVERITY_WARNING;
    if (!c->holds) return;
    char date[VOS_DATE_SIZE];
    app_date_of_day(date, isnan(s->actual_day) ? p->baseline_day : s->actual_day);
    say(c, "No measurement of KPI %s (%s) since %s%s: it is stale after %" PRId64 " days.",
        k->commitment->kpi_key, cr->model->kpis[k->kpi].name,
        isnan(s->actual_day) ? "its baseline date " : "", date, cr->stale_after_days);
}

static void forecast(condition *c, const vos_case_realization *cr, size_t j)
{
    const vos_kpi_status *s = &cr->r->kpis[j];
    const vos_kpi_realization *k = &cr->kpis[j];
    const vos_kpi_plan *p = &cr->plans[j];
    const char *u = unit_of(k, cr->model), *sp = *u ? " " : "";
    /* a miss within the tolerance of the committed improvement is noise, not news */
    double floor_progress = 1 - p->tolerance;
    c->kind = VOS_ALERT_FORECAST_MISS;
    c->holds = s->has_forecast && s->forecast_misses && s->forecast_progress < floor_progress;
    c->cleared = "the forecast reaches the target within its tolerance";
    if (!c->holds) return;
    double up = p->target > p->baseline ? 1 : -1;
    double best = vos_kpi_progress(p, up > 0 ? s->forecast_high : s->forecast_low);
    c->severity = best < floor_progress ? VOS_SEVERITY_CRITICAL : VOS_SEVERITY_WARNING;
    char f[NUM_TEXT], lo[NUM_TEXT], hi[NUM_TEXT], t[NUM_TEXT];
    fig(f, s->forecast);
    fig(lo, s->forecast_low);
    fig(hi, s->forecast_high);
    fig(t, p->target);
    say(c,
        "The trend of KPI %s (%s) forecasts %s%s%s on its target date %s (%.0f%% interval %s to "
        "%s%s%s), short of the target %s%s%s.",
        k->commitment->kpi_key, cr->model->kpis[k->kpi].name, f, sp, u, k->commitment->target_date,
        VOS_FORECAST_LEVEL * PERCENT, lo, hi, sp, u, t, sp, u);
}

static void milestone(condition *c, const vos_case_realization *cr, size_t j)
{
    const vos_kpi_status *s = &cr->r->kpis[j];
    const vos_kpi_realization *k = &cr->kpis[j];
    const vos_kpi_plan *p = &cr->plans[j];
    const char *u = unit_of(k, cr->model), *sp = *u ? " " : "";
    /* the target date has passed once its whole day is over */
    bool target_missed = cr->as_of_day >= p->target_day + 1 && !(s->progress >= 1);
    c->kind = VOS_ALERT_MILESTONE_MISSED;
    c->holds = target_missed || s->milestones_missed > 0;
    c->severity = VOS_SEVERITY_CRITICAL;
    c->cleared = "the KPI reached it";
    if (!c->holds) return;
    char actual[NUM_TEXT], target[NUM_TEXT], date[VOS_DATE_SIZE] = "";
    fig(actual, s->actual);
    fig(target, p->target);
    if (!isnan(s->actual_day)) app_date_of_day(date, s->actual_day);
    char latest[NUM_TEXT * 2 + VOS_DATE_SIZE + 64];
    if (isnan(s->actual))
        snprintf(latest, sizeof latest, "there is no measurement");
    else
        snprintf(latest, sizeof latest, "the latest measurement is %s%s%s on %s", actual, sp, u,
                 date);
    if (target_missed)
        say(c, "KPI %s (%s) missed its target of %s%s%s due %s: %s.", k->commitment->kpi_key,
            cr->model->kpis[k->kpi].name, target, sp, u, k->commitment->target_date, latest);
    else
        say(c, "KPI %s (%s) missed %zu milestone%s of its step plan: %s.", k->commitment->kpi_key,
            cr->model->kpis[k->kpi].name, s->milestones_missed,
            s->milestones_missed == 1 ? "" : "s", latest);
}

/* ---- writing alerts ------------------------------------------------------------------------- */

typedef struct eval_ctx {
    vos_app *app;
    const vos_actor *who;
    vos_alerts_summary *sum;
    const char *account; /* names for the events */
    const char *case_name;
} eval_ctx;

static int raise_alert(eval_ctx *x, const vos_case_row *c, const char *kpi, const condition *k)
{
    vos_alert_row a = {.account_id = c->account_id,
                       .case_id = c->id,
                       .kpi_key = (char *)kpi,
                       .kind = k->kind,
                       .severity = k->severity,
                       .status = VOS_ALERT_OPEN,
                       .message = (char *)k->message};
    int rc = vos_store_alert_create(x->app->st, &a);
    if (rc == 0) rc = app_audit(x->app, x->who, "alert.raise", VOS_ENTITY_ALERT, a.id, NULL);
    if (rc == 0)
        rc = app_webhooks_enqueue(x->app, VOS_EVENT_ALERT_RAISED, &a, x->account, x->case_name);
    if (rc == 0) x->sum->raised++;
    return rc;
}

static int update_alert(eval_ctx *x, vos_alert_row *a, const condition *k)
{
    if (a->severity == k->severity && a->message && strcmp(a->message, k->message) == 0) {
        x->sum->unchanged++;
        return 0;
    }
    char *before = NULL, *old = a->message;
    int rc = app_before(x->app, VOS_ENTITY_ALERT, a->id, &before);
    if (rc == 0) {
        a->severity = k->severity;
        a->message = (char *)k->message;
        rc = vos_store_alert_update(x->app->st, a);
        a->message = old;
    }
    if (rc == 0) {
        rc = app_audit(x->app, x->who, "alert.update", VOS_ENTITY_ALERT, a->id, before);
        before = NULL;
    }
    free(before);
    if (rc == 0) x->sum->updated++;
    return rc;
}

/* Resolves an alert whose condition cleared, saying why in its message. */
static int resolve_alert(eval_ctx *x, vos_alert_row *a, const char *why)
{
    char now[VOS_STAMP_SIZE], date[VOS_DATE_SIZE], msg[MSG_MAX + 1];
    vos_store_now(now);
    snprintf(date, sizeof date, "%.10s", now);
    char tail[VOS_NAME_MAX * 2];
    snprintf(tail, sizeof tail, " Resolved automatically on %s: %s.", date, why);
    size_t keep = strlen(a->message ? a->message : "");
    if (keep + strlen(tail) > MSG_MAX) keep = MSG_MAX - strlen(tail);
    while (keep > 0 && (a->message[keep] & 0xC0) == 0x80)
        keep--; /* cut on a character boundary */
    snprintf(msg, sizeof msg, "%.*s%s", (int)keep, a->message ? a->message : "", tail);
    char *before = NULL, *old_msg = a->message, *old_at = a->resolved_at;
    int rc = app_before(x->app, VOS_ENTITY_ALERT, a->id, &before);
    if (rc == 0) {
        a->status = VOS_ALERT_RESOLVED;
        a->message = msg;
        a->resolved_at = now;
        rc = vos_store_alert_update(x->app->st, a);
    }
    if (rc == 0) {
        rc = app_audit(x->app, x->who, "alert.resolve", VOS_ENTITY_ALERT, a->id, before);
        before = NULL;
    }
    if (rc == 0)
        rc = app_webhooks_enqueue(x->app, VOS_EVENT_ALERT_RESOLVED, a, x->account, x->case_name);
    a->message = old_msg;
    a->resolved_at = old_at;
    free(before);
    if (rc == 0) x->sum->resolved++;
    return rc;
}

/* The alerts of case `case_id` that are not resolved.  OUT: rows (vos_alert_rows_free). */
static int open_alerts(vos_app *app, int64_t case_id, vos_alert_row **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    vos_alert_row *all = NULL;
    size_t n_all = 0;
    static const vos_alert_status open_states[] = {VOS_ALERT_OPEN, VOS_ALERT_ACKNOWLEDGED};
    for (size_t s = 0; s < 2; s++) {
        vos_store_query q = {.limit = VOS_STORE_PAGE_MAX, .n_where = 2};
        q.where[0] = (vos_store_filter){.field = "case_id", .i = case_id};
        q.where[1] = (vos_store_filter){.field = "status", .i = open_states[s]};
        vos_alert_row *page = NULL, *grown = NULL;
        size_t got = 0;
        int rc = vos_store_alert_list(app->st, &page, &got, &q);
        if (rc == 0 && !(grown = realloc(all, (n_all + got + 1) * sizeof *all)))
            rc = vos_error_set(VOS_ENOMEM, "out of memory");
        if (rc < 0) {
            vos_alert_rows_free(page, got);
            vos_alert_rows_free(all, n_all);
            return rc;
        }
        all = grown;
        if (got) memcpy(all + n_all, page, got * sizeof *page);
        n_all += got;
        free(page);
    }
    *out = all;
    *n = n_all;
    return 0;
}

static vos_alert_row *find(vos_alert_row *rows, size_t n, const char *kpi, vos_alert_kind kind)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].kind == kind && rows[i].kpi_key && kpi && !strcmp(rows[i].kpi_key, kpi))
            return &rows[i];
    return NULL;
}

/* Applies the conditions of every KPI of cr to the case's alerts, in the open transaction. */
static int apply(eval_ctx *x, const vos_case_realization *cr)
{
    vos_alert_row *alerts = NULL;
    size_t n = 0;
    int rc = open_alerts(x->app, cr->case_row->id, &alerts, &n);
    bool *seen = calloc(n ? n : 1, sizeof *seen);
    condition *c = malloc(KINDS * sizeof *c);
    if (rc == 0 && (!seen || !c)) rc = vos_error_set(VOS_ENOMEM, "out of memory");
    for (size_t j = 0; j < cr->n_kpis && rc == 0; j++) {
        const char *kpi = cr->kpi_rows[j].kpi_key;
        memset(c, 0, KINDS * sizeof *c);
        drift(&c[0], cr, j);
        stale(&c[1], cr, j);
        forecast(&c[2], cr, j);
        milestone(&c[3], cr, j);
        for (int k = 0; k < KINDS && rc == 0; k++) {
            vos_alert_row *a = find(alerts, n, kpi, c[k].kind);
            if (a) seen[a - alerts] = true;
            if (c[k].holds)
                rc = a ? update_alert(x, a, &c[k]) : raise_alert(x, cr->case_row, kpi, &c[k]);
            else if (a)
                rc = resolve_alert(x, a, c[k].cleared);
        }
    }
    /* alerts of KPIs that are no longer committed to (none today) stay as they are */
    free(c);
    free(seen);
    vos_alert_rows_free(alerts, n);
    return rc;
}

/* Resolves every alert of a case that is no longer being realized. */
static int close_case(eval_ctx *x, const vos_case_row *c)
{
    vos_alert_row *alerts = NULL;
    size_t n = 0;
    char why[VOS_NAME_MAX + 64];
    snprintf(why, sizeof why, "case '%s' is %s, no longer being realized", c->name,
             vos_case_stage_name(c->stage));
    int rc = open_alerts(x->app, c->id, &alerts, &n);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = resolve_alert(x, &alerts[i], why);
    vos_alert_rows_free(alerts, n);
    return rc;
}

/* ---- evaluating ----------------------------------------------------------------------------- */

static void note_failure(vos_alerts_summary *sum)
{
    if (!sum->first_error[0])
        snprintf(sum->first_error, sizeof sum->first_error, "%s", vos_error_last());
    sum->failed++;
}

/* Evaluates one case (ownership of c taken) at as_of_day. */
static int evaluate_case(eval_ctx *x, vos_case_row *c, double as_of_day)
{
    vos_case_realization *cr = NULL;
    int rc = 0;
    if (app_stage_realizing(c->stage)) {
        rc = app_realize_case(x->app, c, as_of_day, &cr);
        c = NULL;
        if (rc < 0) {
            note_failure(x->sum);
            return 0;
        }
    }
    const vos_case_row *row = cr ? cr->case_row : c;
    vos_account_row *acc = NULL;
    if (!cr) vos_store_account_get(x->app->st, &acc, row->account_id);
    x->account = cr ? cr->account->name : acc ? acc->name : NULL;
    x->case_name = row->name;
    if ((rc = app_begin(x->app)) == 0) {
        rc = cr ? apply(x, cr) : close_case(x, row);
        rc = app_end(x->app, rc);
    }
    if (rc == 0) x->sum->cases++;
    vos_account_row_free(acc);
    vos_case_realization_free(cr);
    vos_case_row_free(c);
    return rc;
}

/* Every case at `stage` (of account `account_id`; 0: of every account), page by page. */
static int evaluate_stage(eval_ctx *x, vos_case_stage stage, int64_t account_id, double as_of_day)
{
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "stage", .i = stage};
    if (account_id)
        q.where[q.n_where++] = (vos_store_filter){.field = "account_id", .i = account_id};
    for (;;) {
        vos_case_row *rows = NULL;
        size_t n = 0;
        int rc = vos_store_case_list(x->app->st, &rows, &n, &q);
        if (rc < 0) return rc;
        for (size_t i = 0; i < n && rc == 0; i++) {
            q.after_id = rows[i].id;
            vos_case_row *one = malloc(sizeof *one);
            if (!one) rc = vos_error_set(VOS_ENOMEM, "out of memory");
            if (rc == 0) {
                *one = rows[i];
                memset(&rows[i], 0, sizeof rows[i]); /* its texts now belong to `one` */
                rc = evaluate_case(x, one, as_of_day);
            }
        }
        vos_case_rows_free(rows, n);
        if (rc < 0 || n < q.limit) return rc;
    }
}

/* Resolves the alerts left on cases that moved on (lost, closed, expanded). */
static int sweep(eval_ctx *x, double as_of_day)
{
    static const vos_alert_status open_states[] = {VOS_ALERT_OPEN, VOS_ALERT_ACKNOWLEDGED};
    int64_t done_case = 0;
    for (size_t s = 0; s < 2; s++) {
        vos_store_query q = {.limit = VOS_STORE_PAGE_MAX, .n_where = 1};
        q.where[0] = (vos_store_filter){.field = "status", .i = open_states[s]};
        for (;;) {
            vos_alert_row *rows = NULL;
            size_t n = 0;
            int rc = vos_store_alert_list(x->app->st, &rows, &n, &q);
            for (size_t i = 0; i < n && rc == 0; i++) {
                q.after_id = rows[i].id;
                vos_case_row *c = NULL;
                if (!rows[i].case_id || rows[i].case_id == done_case) continue;
                rc = vos_store_case_get(x->app->st, &c, rows[i].case_id);
                if (rc == 0 && !app_stage_realizing(c->stage)) {
                    done_case = c->id;
                    rc = evaluate_case(x, c, as_of_day);
                } else {
                    vos_case_row_free(c);
                }
            }
            vos_alert_rows_free(rows, n);
            if (rc < 0) return rc;
            if (n < q.limit) break;
        }
    }
    return 0;
}

/* Who may evaluate: alert managers everywhere; for one case, also its measurement senders. */
static int allow_evaluate(vos_app *app, const vos_actor *who, int64_t case_id, vos_case_row **c)
{
    *c = NULL;
    int rc = app_allow(who, VOS_OP_ALERT_UPDATE);
    if (rc == VOS_EFORBIDDEN && case_id && vos_app_allows(who, VOS_OP_MEASUREMENT_WRITE)) rc = 0;
    if (rc == 0 && case_id) rc = app_case_get(app, who, case_id, c);
    return rc;
}

int vos_app_alerts_evaluate(vos_app *app, const vos_actor *who, int64_t case_id, const char *as_of,
                            vos_alerts_summary *out)
{
    vos_alerts_summary sum;
    memset(&sum, 0, sizeof sum);
    if (out) *out = sum;
    double day = 0;
    char stamp[VOS_STAMP_SIZE];
    vos_case_row *c = NULL;
    int rc = allow_evaluate(app, who, case_id, &c);
    if (rc == 0) rc = app_as_of(as_of, &day, stamp);
    if (rc < 0) {
        vos_case_row_free(c);
        return rc;
    }
    eval_ctx x = {.app = app, .who = who, .sum = &sum};
    if (c) {
        rc = evaluate_case(&x, c, day);
    } else {
        rc = evaluate_stage(&x, VOS_STAGE_COMMITTED, 0, day);
        if (rc == 0) rc = evaluate_stage(&x, VOS_STAGE_REALIZING, 0, day);
        if (rc == 0) rc = sweep(&x, day);
    }
    if (rc == 0 && sum.failed && sum.cases == 0)
        rc = vos_error_set(VOS_ECONFLICT, "no case could be evaluated: %s", sum.first_error);
    if (out) *out = sum;
    return rc;
}

static int by_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int vos_app_alerts_evaluate_accounts(vos_app *app, const vos_actor *who, const int64_t *account_ids,
                                     size_t n, vos_alerts_summary *out)
{
    vos_alerts_summary sum;
    memset(&sum, 0, sizeof sum);
    if (out) *out = sum;
    int rc = app_allow(who, VOS_OP_ALERT_UPDATE);
    if (rc == VOS_EFORBIDDEN && vos_app_allows(who, VOS_OP_MEASUREMENT_WRITE)) rc = 0;
    if (rc < 0) return rc;
    char stamp[VOS_STAMP_SIZE];
    double day = 0;
    app_as_of(NULL, &day, stamp);
    int64_t *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids) return vos_error_set(VOS_ENOMEM, "out of memory");
    if (n) memcpy(ids, account_ids, n * sizeof *ids);
    qsort(ids, n, sizeof *ids, by_id); /* a batch names few accounts, many times */
    eval_ctx x = {.app = app, .who = who, .sum = &sum};
    for (size_t i = 0; i < n && rc == 0; i++) {
        if ((i > 0 && ids[i] == ids[i - 1]) || !app_sees_account(app, who, ids[i])) continue;
        rc = evaluate_stage(&x, VOS_STAGE_COMMITTED, ids[i], day);
        if (rc == 0) rc = evaluate_stage(&x, VOS_STAGE_REALIZING, ids[i], day);
    }
    free(ids);
    if (out) *out = sum;
    return rc;
}
