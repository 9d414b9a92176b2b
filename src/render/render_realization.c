/* Renderers of realization (render_realization.h): JSON for the adapters and the success plan
 * document in Markdown or HTML. */
#include "render/render_realization.h"

#include "render/render.h"
#include "vos/error.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERCENT 100.0
#define CELL_MAX 512     /* bytes of one table cell of the plan */
#define PLAN_COLS_MAX 64 /* columns of the plan's quarterly table: its KPIs are capped there */

/* ---- JSON helpers --------------------------------------------------------------------------- */

static void num(vos_jw *w, const char *key, double v)
{
    vos_jw_key(w, key);
    vos_jw_number(w, v); /* non-finite numbers are written as null */
}

static void str(vos_jw *w, const char *key, const char *v)
{
    vos_jw_key(w, key);
    if (v)
        vos_jw_string(w, v);
    else
        vos_jw_null(w);
}

static void integer(vos_jw *w, const char *key, long long v)
{
    vos_jw_key(w, key);
    vos_jw_integer(w, v);
}

static void boolean(vos_jw *w, const char *key, bool v)
{
    vos_jw_key(w, key);
    vos_jw_bool(w, v);
}

static void levers(vos_jw *w, const double *committed, const double *planned,
                   const double *realized)
{
    vos_jw_key(w, "levers");
    vos_jw_object(w);
    for (int l = 0; l < VOS_LEVER_COUNT; l++) {
        vos_jw_key(w, vos_lever_name((vos_lever)l));
        vos_jw_object(w);
        num(w, "committed", committed[l]);
        num(w, "planned_to_date", planned[l]);
        num(w, "realized_to_date", realized[l]);
        vos_jw_end(w);
    }
    vos_jw_end(w);
}

/* ---- realization ---------------------------------------------------------------------------- */

static void forecast(vos_jw *w, const vos_kpi_status *s)
{
    vos_jw_key(w, "forecast");
    if (!s->has_forecast) {
        vos_jw_null(w);
        return;
    }
    vos_jw_object(w);
    num(w, "value", s->forecast);
    num(w, "low", s->forecast_low);
    num(w, "high", s->forecast_high);
    num(w, "level", VOS_FORECAST_LEVEL);
    num(w, "progress", s->forecast_progress);
    boolean(w, "misses", s->forecast_misses);
    integer(w, "points", (long long)s->forecast_points);
    vos_jw_end(w);
}

/* "YYYY-MM-DD" of a day counted from 1970-01-01 (the proleptic Gregorian calendar). */
static void date_of_day(char out[VOS_DATE_SIZE], double day)
{
    long long z = (long long)floor(day) + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    long long d = doy - (153 * mp + 2) / 5 + 1;
    long long m = mp < 10 ? mp + 3 : mp - 9;
    long long y = yoe + era * 400 + (m <= 2);
    unsigned yy = (unsigned)(y < 0 ? 0 : y > 9999 ? 9999 : y); /* four digits, as dates are */
    snprintf(out, VOS_DATE_SIZE, "%04u-%02u-%02u", yy, (unsigned)m % 13u, (unsigned)d % 32u);
}

/* The milestones of a step trajectory: [{"date", "value", "due", "missed"}]; a milestone is
 * due when its day is at or before as_of, missed when due and the actual falls short of it
 * in the direction of improvement (or there is no measurement). */
static void milestones(vos_jw *w, const vos_case_realization *cr, size_t j)
{
    const vos_kpi_plan *p = &cr->plans[j];
    double actual = cr->r->kpis[j].actual;
    double dir = p->target > p->baseline ? 1.0 : -1.0;
    vos_jw_key(w, "milestones");
    vos_jw_array(w);
    for (size_t i = 0; i < p->n_milestones; i++) {
        const vos_milestone *ms = &p->milestones[i];
        char date[VOS_DATE_SIZE];
        date_of_day(date, ms->day);
        bool due = ms->day <= cr->as_of_day;
        vos_jw_object(w);
        str(w, "date", date);
        num(w, "value", ms->value);
        boolean(w, "due", due);
        boolean(w, "missed", due && (isnan(actual) || dir * (ms->value - actual) > 0));
        vos_jw_end(w);
    }
    vos_jw_end(w);
}

static void kpi(vos_jw *w, const vos_case_realization *cr, size_t j)
{
    const vos_commitment_kpi_row *k = cr->kpis[j].commitment;
    const vos_kpi *mk = &cr->model->kpis[cr->kpis[j].kpi];
    const vos_kpi_status *s = &cr->r->kpis[j];
    vos_jw_object(w);
    str(w, "kpi", k->kpi_key);
    str(w, "name", mk->name);
    str(w, "unit", k->unit ? k->unit : mk->unit_text);
    str(w, "better", mk->better == VOS_BETTER_LOWER ? "lower" : "higher");
    num(w, "baseline_value", k->baseline_value);
    str(w, "baseline_date", k->baseline_date);
    num(w, "target_value", k->target_value);
    str(w, "target_date", k->target_date);
    str(w, "trajectory", vos_trajectory_name(k->trajectory));
    num(w, "tolerance", k->tolerance);
    integer(w, "measurements", (long long)cr->kpis[j].n_measurements);
    num(w, "actual", s->actual);
    str(w, "actual_at", cr->kpis[j].actual_at[0] ? cr->kpis[j].actual_at : NULL);
    num(w, "planned", s->planned);
    num(w, "progress", s->progress);
    num(w, "planned_progress", s->planned_progress);
    num(w, "variance", s->variance);
    num(w, "behind", s->behind);
    boolean(w, "drifting", s->drifting);
    boolean(w, "stale", s->stale);
    integer(w, "milestones_missed", (long long)s->milestones_missed);
    milestones(w, cr, j);
    forecast(w, s);
    vos_jw_end(w);
}

static void driver(vos_jw *w, const vos_case_realization *cr, size_t d)
{
    const vos_driver *md = &cr->model->drivers[d];
    const vos_driver_realization *dr = &cr->r->drivers[d];
    vos_jw_object(w);
    str(w, "driver", md->id);
    str(w, "name", md->name ? md->name : md->id);
    str(w, "lever", vos_lever_name(md->lever));
    boolean(w, "has_realized", dr->has_realized);
    num(w, "planned_to_date", dr->planned_to_date);
    num(w, "realized_to_date", dr->realized_to_date);
    num(w, "variance", dr->variance);
    num(w, "roi_points", dr->roi_points);
    integer(w, "periods_measured", dr->periods_measured);
    str(w, "missing_kpi",
        dr->missing_kpi < cr->model->n_kpis ? cr->model->kpis[dr->missing_kpi].id : NULL);
    vos_jw_key(w, "realized_per_period");
    vos_jw_numbers(w, dr->per_period, (size_t)cr->model->periods + 1);
    vos_jw_end(w);
}

void vos_render_realization(vos_jw *w, const vos_case_realization *cr)
{
    const vos_realization *r = cr->r;
    vos_jw_object(w);
    vos_jw_key(w, "case");
    vos_jw_object(w);
    integer(w, "id", (long long)cr->case_row->id);
    str(w, "name", cr->case_row->name);
    str(w, "stage", vos_case_stage_name(cr->case_row->stage));
    integer(w, "account_id", (long long)cr->case_row->account_id);
    vos_jw_end(w);
    str(w, "account", cr->account->name);
    vos_jw_key(w, "model");
    vos_render_model_summary(w, cr->model);
    str(w, "as_of", cr->as_of);
    str(w, "start", cr->start_date);
    num(w, "period_days", r->period_days);
    integer(w, "periods_elapsed", r->periods_elapsed);
    num(w, "committed_npv", cr->committed_npv);
    num(w, "committed_total", r->committed_total);
    num(w, "planned_to_date", r->planned_to_date);
    num(w, "realized_to_date", r->realized_to_date);
    num(w, "costs_to_date", r->costs_to_date);
    num(w, "percent_of_plan", r->percent_of_plan);
    num(w, "percent_of_total", r->percent_of_total);
    num(w, "roi_planned", r->roi_planned);
    num(w, "roi_realized", r->roi_realized);
    num(w, "roi_gap", r->roi_gap);
    levers(w, cr->lever_committed, cr->lever_planned, cr->lever_realized);
    vos_jw_key(w, "kpis");
    vos_jw_array(w);
    for (size_t j = 0; j < cr->n_kpis; j++)
        kpi(w, cr, j);
    vos_jw_end(w);
    vos_jw_key(w, "drivers");
    vos_jw_array(w);
    for (size_t d = 0; d < cr->model->n_drivers; d++)
        driver(w, cr, d);
    vos_jw_end(w);
    vos_jw_end(w);
}

/* ---- portfolio, alert evaluation ------------------------------------------------------------ */

void vos_render_portfolio(vos_jw *w, const vos_portfolio *p)
{
    vos_jw_object(w);
    str(w, "as_of", p->as_of);
    str(w, "currency", p->currency);
    integer(w, "cases", (long long)p->cases);
    num(w, "committed_total", p->committed_total);
    num(w, "planned_to_date", p->planned_to_date);
    num(w, "realized_to_date", p->realized_to_date);
    num(w, "realization_rate", p->realization_rate);
    integer(w, "open_alerts", (long long)p->open_alerts);
    levers(w, p->lever_committed, p->lever_planned, p->lever_realized);
    vos_jw_key(w, "accounts");
    vos_jw_array(w);
    for (size_t i = 0; i < p->n_accounts; i++) {
        const vos_portfolio_account *a = &p->accounts[i];
        vos_jw_object(w);
        integer(w, "account_id", (long long)a->account_id);
        str(w, "name", a->name);
        integer(w, "cases", (long long)a->cases);
        num(w, "committed_total", a->committed_total);
        num(w, "planned_to_date", a->planned_to_date);
        num(w, "realized_to_date", a->realized_to_date);
        num(w, "realization_rate", a->realization_rate);
        integer(w, "open_alerts", (long long)a->open_alerts);
        vos_jw_end(w);
    }
    vos_jw_end(w);
    vos_jw_key(w, "skipped");
    vos_jw_array(w);
    for (size_t i = 0; i < p->n_skipped; i++) {
        vos_jw_object(w);
        integer(w, "case_id", (long long)p->skipped[i].case_id);
        str(w, "reason", p->skipped[i].reason);
        vos_jw_end(w);
    }
    vos_jw_end(w);
    vos_jw_end(w);
}

void vos_render_alerts_summary(vos_jw *w, const vos_alerts_summary *s)
{
    vos_jw_object(w);
    integer(w, "cases", (long long)s->cases);
    integer(w, "raised", (long long)s->raised);
    integer(w, "updated", (long long)s->updated);
    integer(w, "resolved", (long long)s->resolved);
    integer(w, "unchanged", (long long)s->unchanged);
    integer(w, "failed", (long long)s->failed);
    str(w, "first_error", s->first_error[0] ? s->first_error : NULL);
    vos_jw_end(w);
}

/* ---- webhooks ------------------------------------------------------------------------------- */

void vos_render_webhook(vos_jw *w, const vos_webhook_row *row)
{
    vos_jw_object(w);
    integer(w, "id", (long long)row->id);
    integer(w, "revision", (long long)row->revision);
    str(w, "created_at", row->created_at);
    str(w, "updated_at", row->updated_at);
    str(w, "url", row->url);
    vos_jw_key(w, "events");
    vos_render_stored(w, row->events ? row->events : "[]");
    boolean(w, "active", row->active);
    vos_jw_key(w, "created_by");
    if (row->created_by)
        vos_jw_integer(w, (long long)row->created_by);
    else
        vos_jw_null(w);
    vos_jw_end(w);
}

void vos_render_delivery(vos_jw *w, const vos_outbox_row *row)
{
    vos_jw_object(w);
    integer(w, "id", (long long)row->id);
    integer(w, "webhook_id", (long long)row->webhook_id);
    str(w, "event", row->event);
    str(w, "created_at", row->created_at);
    integer(w, "attempts", (long long)row->attempts);
    str(w, "next_attempt_at", row->next_attempt_at);
    str(w, "claimed_until", row->claimed_until);
    str(w, "delivered_at", row->delivered_at);
    str(w, "failed_at", row->failed_at);
    vos_jw_key(w, "last_status");
    if (row->last_status)
        vos_jw_integer(w, row->last_status);
    else
        vos_jw_null(w);
    str(w, "last_error", row->last_error);
    str(w, "state", row->delivered_at ? "delivered" : row->failed_at ? "failed" : "pending");
    vos_jw_key(w, "payload");
    vos_render_stored(w, row->payload);
    vos_jw_end(w);
}

/* ---- the success plan document -------------------------------------------------------------- */

/* A growing text with a cap; errors are sticky. */
typedef struct doc {
    char *s;
    size_t len, cap;
    int err;
    bool html;
} doc;

static void put(doc *d, const char *text, size_t n)
{
    if (d->err) return;
    if (d->len + n + 1 > VOS_PLAN_DOC_MAX) {
        d->err = VOS_ETOOLARGE;
        return;
    }
    if (d->len + n + 1 > d->cap) {
        size_t cap = d->cap ? d->cap : 4096;
        while (cap < d->len + n + 1)
            cap *= 2;
        char *s = realloc(d->s, cap);
        if (!s) {
            d->err = VOS_ENOMEM;
            return;
        }
        d->s = s;
        d->cap = cap;
    }
    memcpy(d->s + d->len, text, n);
    d->len += n;
    d->s[d->len] = '\0';
}

static void raw(doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void raw(doc *d, const char *fmt, ...)
{
    char buf[CELL_MAX * 2];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0) put(d, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* Text as the format needs it: HTML escapes <>&"'; Markdown table cells escape | and turn
 * newlines into spaces. */
static void text(doc *d, const char *s)
{
    for (; s && *s; s++) {
        const char *rep = NULL;
        if (d->html) {
            rep = *s == '<'    ? "&lt;"
                  : *s == '>'  ? "&gt;"
                  : *s == '&'  ? "&amp;"
                  : *s == '"'  ? "&quot;"
                  : *s == '\'' ? "&#39;"
                               : NULL;
        } else {
            rep = *s == '|' ? "\\|" : (*s == '\n' || *s == '\r') ? " " : NULL;
        }
        if (rep)
            put(d, rep, strlen(rep));
        else
            put(d, s, 1);
    }
}

/* A whole number with thousands separators ("1,234,567"); "n/a" when not defined. */
static void money(char out[CELL_MAX], double v)
{
    if (!isfinite(v)) {
        snprintf(out, CELL_MAX, "n/a");
        return;
    }
    char digits[64];
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t n = strlen(digits), o = 0;
    if (v < 0 && strcmp(digits, "0") != 0) out[o++] = '-';
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

static void value(char out[CELL_MAX], double v)
{
    if (!isfinite(v))
        snprintf(out, CELL_MAX, "n/a");
    else
        snprintf(out, CELL_MAX, "%.6g", v);
}

static void heading(doc *d, int level, const char *title)
{
    if (d->html) {
        raw(d, "<h%d>", level);
        text(d, title);
        raw(d, "</h%d>\n", level);
    } else {
        for (int i = 0; i < level; i++)
            put(d, "#", 1);
        put(d, " ", 1);
        text(d, title);
        put(d, "\n\n", 2);
    }
}

static void paragraph(doc *d, const char *s)
{
    if (d->html) raw(d, "<p>");
    text(d, s);
    raw(d, d->html ? "</p>\n" : "\n\n");
}

/* A table row; `header` for the first.  Cells right-aligned from column `first_num` on. */
static void row(doc *d, const char *const *cells, size_t n, bool header, size_t first_num)
{
    if (d->html) {
        raw(d, "<tr>");
        for (size_t i = 0; i < n; i++) {
            raw(d, header ? "<th>" : i >= first_num ? "<td class=\"n\">" : "<td>");
            text(d, cells[i]);
            raw(d, header ? "</th>" : "</td>");
        }
        raw(d, "</tr>\n");
        return;
    }
    put(d, "|", 1);
    for (size_t i = 0; i < n; i++) {
        put(d, " ", 1);
        text(d, cells[i]);
        put(d, " |", 2);
    }
    put(d, "\n", 1);
    if (!header) return;
    put(d, "|", 1);
    for (size_t i = 0; i < n; i++)
        raw(d, i >= first_num ? "---:|" : "---|");
    put(d, "\n", 1);
}

static void table_begin(doc *d)
{
    if (d->html) raw(d, "<table>\n");
}

static void table_end(doc *d)
{
    raw(d, d->html ? "</table>\n" : "\n");
}

static const char PLAN_CSS[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;"
    "max-width:64rem;color:#1b1f24;line-height:1.45}"
    "h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}"
    "table{border-collapse:collapse;margin:.5rem 0 1rem}"
    "th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}"
    "th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "p.meta{color:#57606a}";

static void plan_figures(doc *d, const vos_success_plan *p)
{
    char title[CELL_MAX], v[CELL_MAX];
    snprintf(title, sizeof title, "Committed value (expected scenario, %s)", p->currency);
    heading(d, 2, title);
    table_begin(d);
    const char *head[] = {"figure", "value"};
    row(d, head, 2, true, 1);
    struct {
        const char *name;
        double x;
        int kind; /* 0 money, 1 percent, 2 months */
    } figs[] = {{"NPV", p->npv, 0},
                {"Total benefits", p->benefits_total, 0},
                {"Total costs", p->costs_total, 0},
                {"IRR", p->irr, 1},
                {"ROI", p->roi, 1},
                {"Payback (months)", p->payback_months, 2}};
    for (size_t i = 0; i < sizeof figs / sizeof *figs; i++) {
        if (figs[i].kind == 0)
            money(v, figs[i].x);
        else if (figs[i].kind == 1 && isfinite(figs[i].x))
            snprintf(v, sizeof v, "%.1f%%", figs[i].x * PERCENT);
        else if (figs[i].kind == 2 && isfinite(figs[i].x))
            snprintf(v, sizeof v, "%.1f", figs[i].x);
        else
            snprintf(v, sizeof v, "n/a");
        const char *cells[] = {figs[i].name, v};
        row(d, cells, 2, false, 1);
    }
    for (int l = 0; l < VOS_LEVER_COUNT; l++) {
        char name[CELL_MAX];
        snprintf(name, sizeof name, "Benefits from %s", vos_lever_name((vos_lever)l));
        money(v, p->cr->lever_committed[l]);
        const char *cells[] = {name, v};
        row(d, cells, 2, false, 1);
    }
    table_end(d);
}

static void plan_kpis(doc *d, const vos_success_plan *p)
{
    const vos_case_realization *cr = p->cr;
    heading(d, 2, "KPIs committed to");
    table_begin(d);
    const char *head[] = {"KPI",         "unit",       "baseline",  "baseline date", "target",
                          "target date", "trajectory", "tolerance", "owner",         "data source"};
    row(d, head, 10, true, 10);
    for (size_t j = 0; j < cr->n_kpis; j++) {
        const vos_commitment_kpi_row *k = &cr->kpi_rows[j];
        const vos_kpi *mk = &cr->model->kpis[cr->kpis[j].kpi];
        char name[CELL_MAX], base[CELL_MAX], target[CELL_MAX], tol[CELL_MAX];
        snprintf(name, sizeof name, "%s (%s)", mk->name, k->kpi_key);
        value(base, k->baseline_value);
        value(target, k->target_value);
        snprintf(tol, sizeof tol, "%.4g%%", k->tolerance * PERCENT);
        const char *cells[] = {name,
                               k->unit ? k->unit : mk->unit_text,
                               base,
                               k->baseline_date,
                               target,
                               k->target_date,
                               vos_trajectory_name(k->trajectory),
                               tol,
                               p->owners[j] ? p->owners[j] : "not named",
                               k->data_source ? k->data_source : "not named"};
        row(d, cells, 10, false, 10);
    }
    table_end(d);
}

static void plan_quarters(doc *d, const vos_success_plan *p)
{
    const vos_case_realization *cr = p->cr;
    bool yearly = cr->model->period == VOS_PERIOD_YEAR;
    size_t nk = cr->n_kpis < PLAN_COLS_MAX - 6 ? cr->n_kpis : PLAN_COLS_MAX - 6;
    char title[CELL_MAX];
    snprintf(title, sizeof title, "Plan by %s (%s; KPIs as planned on the last day)",
             yearly ? "year" : "quarter", p->currency);
    heading(d, 2, title);
    char(*cells)[CELL_MAX] = malloc(PLAN_COLS_MAX * sizeof *cells);
    if (!cells) {
        d->err = VOS_ENOMEM;
        return;
    }
    const char *ptr[PLAN_COLS_MAX];
    size_t n = 0;
    snprintf(cells[n++], CELL_MAX, "%s", yearly ? "year" : "quarter");
    snprintf(cells[n++], CELL_MAX, "from");
    snprintf(cells[n++], CELL_MAX, "to");
    snprintf(cells[n++], CELL_MAX, "benefits");
    snprintf(cells[n++], CELL_MAX, "costs");
    snprintf(cells[n++], CELL_MAX, "net");
    for (size_t j = 0; j < nk; j++)
        snprintf(cells[n++], CELL_MAX, "%s", cr->kpi_rows[j].kpi_key);
    for (size_t i = 0; i < n; i++)
        ptr[i] = cells[i];
    table_begin(d);
    row(d, ptr, n, true, 3);
    for (size_t q = 0; q < p->n_periods; q++) {
        const vos_plan_period *pp = &p->periods[q];
        n = 0;
        snprintf(cells[n++], CELL_MAX, "%s", pp->label);
        snprintf(cells[n++], CELL_MAX, "%s", pp->from);
        snprintf(cells[n++], CELL_MAX, "%s", pp->to);
        money(cells[n++], pp->benefits);
        money(cells[n++], pp->costs);
        money(cells[n++], pp->benefits - pp->costs);
        for (size_t j = 0; j < nk; j++)
            value(cells[n++], pp->kpi_planned[j]);
        row(d, ptr, n, false, 3);
    }
    table_end(d);
    free(cells);
}

int vos_render_success_plan(char **out, size_t *len, const vos_success_plan *p, bool html)
{
    *out = NULL;
    *len = 0;
    const vos_case_realization *cr = p->cr;
    doc d = {.html = html};
    char title[CELL_MAX * 2], meta[CELL_MAX * 3];
    snprintf(title, sizeof title, "Success plan: %s (%s)", cr->case_row->name, cr->account->name);
    if (html) {
        raw(&d, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
        text(&d, title);
        raw(&d, "</title>\n<style>%s</style>\n</head>\n<body>\n", PLAN_CSS);
    }
    heading(&d, 1, title);
    snprintf(meta, sizeof meta,
             "Committed on %.10s by %s, on value model %s version %s. The value is counted from "
             "%s; this plan shows the figures committed to, not the realization.",
             p->committed_at, p->committed_by, p->model_key, p->model_version, cr->start_date);
    if (html) raw(&d, "<p class=\"meta\">");
    text(&d, meta);
    raw(&d, html ? "</p>\n" : "\n\n");
    plan_figures(&d, p);
    plan_kpis(&d, p);
    plan_quarters(&d, p);
    paragraph(&d, "Each KPI is measured from its data source and compared with its planned "
                  "value; a KPI behind its plan by more than its tolerance raises an alert, as "
                  "do stale data, a forecast that misses the target and a missed target date.");
    if (html) raw(&d, "</body>\n</html>\n");
    if (d.err) {
        free(d.s);
        return vos_error_set(d.err, "the success plan of case '%s' is too large to write",
                             cr->case_row->name);
    }
    *out = d.s;
    *len = d.len;
    return 0;
}
