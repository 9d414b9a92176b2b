/* The realization of a committed case: its commitment, the committed plan recomputed from the
 * pinned model version, the committed KPIs with their measurements, handed to the engine
 * (include/vos/realization.h).  Also the days arithmetic the realization files share. */
#include "app_data_int.h"
#include "app_realize_int.h"

#include "vos/error.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MS_PER_DAY 86400000LL
#define NPV_MATCH_REL 1e-9 /* relative difference allowed between recomputed and committed NPV */
#define NPV_MATCH_ABS 1e-6 /* ... and absolute, for an NPV of (nearly) 0 */

/* ---- days ----------------------------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* The date of a day number (H. Hinnant's civil_from_days). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int digits_at(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

double app_day_of_date(const char *date)
{
    if (!app_is_date(date)) return NAN;
    int y = 0, m = 0, d = 0;
    digits_at(date, 4, &y);
    digits_at(date + 5, 2, &m);
    digits_at(date + 8, 2, &d);
    return (double)days_from_civil(y, (unsigned)m, (unsigned)d);
}

/* Milliseconds since the epoch of a stamp; -1 when it is not one. */
static int64_t ms_of_stamp(const char *s)
{
    char date[VOS_DATE_SIZE];
    int h, mi, sec, ms;
    if (!s || strlen(s) != VOS_STAMP_SIZE - 1 || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        s[19] != '.' || s[23] != 'Z')
        return -1;
    memcpy(date, s, 10);
    date[10] = '\0';
    double day = app_day_of_date(date);
    if (isnan(day) || digits_at(s + 11, 2, &h) < 0 || digits_at(s + 14, 2, &mi) < 0 ||
        digits_at(s + 17, 2, &sec) < 0 || digits_at(s + 20, 3, &ms) < 0 || h > 23 || mi > 59 ||
        sec > 59)
        return -1;
    return (int64_t)day * MS_PER_DAY + ((int64_t)h * 3600 + mi * 60 + sec) * 1000 + ms;
}

double app_day_of_stamp(const char *stamp)
{
    int64_t ms = ms_of_stamp(stamp);
    return ms < 0 ? NAN : (double)ms / (double)MS_PER_DAY;
}

void app_date_of_day(char out[VOS_DATE_SIZE], double day)
{
    int64_t y;
    unsigned m, d;
    civil_from_days((int64_t)floor(day), &y, &m, &d);
    char buf[32];
    snprintf(buf, sizeof buf, "%04lld-%02u-%02u", (long long)y, m, d);
    memcpy(out, buf, VOS_DATE_SIZE - 1);
    out[VOS_DATE_SIZE - 1] = '\0';
}

static void stamp_of_ms(char out[VOS_STAMP_SIZE], int64_t ms)
{
    int64_t day = ms >= 0 ? ms / MS_PER_DAY : -((-ms + MS_PER_DAY - 1) / MS_PER_DAY);
    int64_t rest = ms - day * MS_PER_DAY;
    char date[VOS_DATE_SIZE], buf[64];
    app_date_of_day(date, (double)day);
    snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03dZ", date, (int)(rest / 3600000),
             (int)(rest / 60000 % 60), (int)(rest / 1000 % 60), (int)(rest % 1000));
    memcpy(out, buf, VOS_STAMP_SIZE - 1);
    out[VOS_STAMP_SIZE - 1] = '\0';
}

void app_stamp_of_day(char out[VOS_STAMP_SIZE], double day)
{
    stamp_of_ms(out, llround(day * (double)MS_PER_DAY));
}

int app_as_of(const char *as_of, double *day, char stamp[VOS_STAMP_SIZE])
{
    if (!as_of || !*as_of) {
        vos_store_now(stamp);
    } else if (app_is_date(as_of)) {
        snprintf(stamp, VOS_STAMP_SIZE, "%.10sT23:59:59.999Z", as_of);
    } else if (ms_of_stamp(as_of) >= 0) {
        snprintf(stamp, VOS_STAMP_SIZE, "%s", as_of);
    } else {
        return vos_error_set(VOS_EINVALID,
                             "as_of '%.40s' is neither a date (YYYY-MM-DD) nor a UTC time "
                             "(YYYY-MM-DDTHH:MM:SS.mmmZ)",
                             as_of);
    }
    *day = app_day_of_stamp(stamp);
    return 0;
}

/* ---- stages --------------------------------------------------------------------------------- */

bool app_stage_committed(vos_case_stage s)
{
    return s == VOS_STAGE_COMMITTED || s == VOS_STAGE_REALIZING || s == VOS_STAGE_EXPANDED ||
           s == VOS_STAGE_CLOSED;
}

bool app_stage_realizing(vos_case_stage s)
{
    return s == VOS_STAGE_COMMITTED || s == VOS_STAGE_REALIZING;
}

/* ---- freeing -------------------------------------------------------------------------------- */

void vos_case_realization_free(vos_case_realization *cr)
{
    if (!cr) return;
    vos_case_row_free(cr->case_row);
    vos_account_row_free(cr->account);
    vos_commitment_row_free(cr->commitment);
    vos_commitment_kpi_rows_free(cr->kpi_rows, cr->n_kpis);
    for (size_t j = 0; cr->plans && j < cr->n_kpis; j++) {
        free((void *)cr->plans[j].day);
        free((void *)cr->plans[j].value);
        free((void *)cr->plans[j].milestones);
    }
    free(cr->plans);
    free(cr->kpis);
    vos_realization_free(cr->r);
    free(cr->inputs);
    free(cr->plan);
    free(cr->plan_costs);
    vos_model_free(cr->model);
    free(cr);
}

/* ---- the committed plan --------------------------------------------------------------------- */

/* The snapshot's expected NPV and committed lever totals, and its overrides as JSON text.
 * OUT: *overrides (caller frees). */
static int read_snapshot(vos_case_realization *cr, json_t *snap, const char *sha, char **overrides)
{
    const char *name = cr->case_row->name;
    json_t *exp = json_object_get(json_object_get(snap, "scenarios"), "expected");
    json_t *npv = json_object_get(exp, "npv");
    const char *want =
        json_string_value(json_object_get(json_object_get(snap, "model"), "content_sha256"));
    if (!json_is_number(npv))
        return vos_error_set(
            VOS_ECONFLICT, "the commitment of case '%s' has no expected NPV in its snapshot", name);
    if (!want || strcmp(want, sha) != 0)
        return vos_error_set(VOS_ECONFLICT,
                             "case '%s' now pins a model version other than the one committed "
                             "to (content SHA-256 differs)",
                             name);
    cr->committed_npv = json_number_value(npv);
    json_t *levers = json_object_get(exp, "levers");
    for (int l = 0; l < VOS_LEVER_COUNT; l++)
        cr->lever_committed[l] =
            json_number_value(json_object_get(levers, vos_lever_name((vos_lever)l)));
    json_t *ov = json_object_get(snap, "overrides");
    *overrides = json_dumps(ov ? ov : json_object(), JSON_COMPACT);
    if (!*overrides) return vos_error_set(VOS_ENOMEM, "out of memory");
    return 0;
}

static bool npv_matches(double a, double b)
{
    double d = fabs(a - b);
    return d <= NPV_MATCH_ABS || d <= NPV_MATCH_REL * fmax(fabs(a), fabs(b));
}

/* Recomputes the expected scenario of the commitment: the model with the snapshot's overrides.
 * Fills cr->inputs, cr->plan and cr->plan_costs. */
static int recompute_plan(vos_case_realization *cr, const char *overrides)
{
    const vos_model *m = cr->model;
    size_t W = (size_t)m->periods + 1;
    app_overrides ov = {0};
    vos_case *vc = NULL;
    vos_result *res = NULL;
    int rc = app_overrides_parse(&ov, overrides, cr->case_row->name);
    if (rc == 0) rc = vos_case_new(&vc, m);
    if (rc == 0) rc = app_overrides_apply(&ov, vc);
    if (rc == 0) rc = vos_result_new(&res, m);
    if (rc == 0) rc = vos_case_compute(vc, VOS_SCENARIO_EXPECTED, res);
    if (rc == 0 && !npv_matches(res->npv, cr->committed_npv))
        rc = vos_error_set(VOS_ECONFLICT,
                           "the committed plan of case '%s' cannot be recomputed: its NPV is "
                           "now %.15g, the commitment says %.15g",
                           cr->case_row->name, res->npv, cr->committed_npv);
    if (rc == 0) {
        cr->inputs = malloc((m->n_inputs ? m->n_inputs : 1) * sizeof *cr->inputs);
        cr->plan = malloc((m->n_drivers ? m->n_drivers * W : 1) * sizeof *cr->plan);
        cr->plan_costs = malloc(W * sizeof *cr->plan_costs);
        if (!cr->inputs || !cr->plan || !cr->plan_costs)
            rc = vos_error_set(VOS_ENOMEM, "out of memory");
    }
    if (rc == 0) {
        memcpy(cr->inputs, res->inputs, m->n_inputs * sizeof *cr->inputs);
        memcpy(cr->plan, res->benefit, m->n_drivers * W * sizeof *cr->plan);
        memcpy(cr->plan_costs, res->costs, W * sizeof *cr->plan_costs);
    }
    vos_result_free(res);
    vos_case_free(vc);
    app_overrides_free(&ov);
    return rc;
}

/* ---- the KPIs ------------------------------------------------------------------------------- */

/* Step milestones of KPI j from the snapshot (optional: "milestones": [{"date", "value"}]). */
static int read_milestones(vos_kpi_plan *p, json_t *kpi, const char *id)
{
    json_t *list = json_object_get(kpi, "milestones");
    size_t n = json_array_size(list);
    if (n == 0) return 0;
    if (n > VOS_MILESTONES_MAX)
        return vos_error_set(VOS_ECONFLICT, "KPI '%s' has more than %d milestones", id,
                             VOS_MILESTONES_MAX);
    vos_milestone *ms = calloc(n, sizeof *ms);
    if (!ms) return vos_error_set(VOS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(list, i);
        ms[i].day = app_day_of_date(json_string_value(json_object_get(it, "date")));
        ms[i].value = json_number_value(json_object_get(it, "value"));
    }
    p->milestones = ms;
    p->n_milestones = n;
    return 0;
}

/* The measurements of KPI row k from its baseline date up to cr->as_of (inclusive). */
static int read_series(vos_app *app, vos_case_realization *cr, size_t j)
{
    const vos_commitment_kpi_row *k = &cr->kpi_rows[j];
    vos_kpi_plan *p = &cr->plans[j];
    char from[VOS_STAMP_SIZE], to[VOS_STAMP_SIZE];
    snprintf(from, sizeof from, "%.10sT00:00:00.000Z", k->baseline_date);
    stamp_of_ms(to, ms_of_stamp(cr->as_of) + 1);
    vos_measurement_point *pts = NULL;
    size_t n = 0;
    int rc = vos_store_measurement_points(app->st, &pts, &n, cr->case_row->account_id, k->kpi_key,
                                          from, to);
    if (rc < 0) return rc;
    double *day = malloc((n ? n : 1) * sizeof *day), *value = malloc((n ? n : 1) * sizeof *value);
    if (!day || !value) {
        free(day);
        free(value);
        free(pts);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        day[i] = app_day_of_stamp(pts[i].at);
        value[i] = pts[i].value;
    }
    p->day = day;
    p->value = value;
    p->n = n;
    cr->kpis[j].n_measurements = n;
    if (n) snprintf(cr->kpis[j].actual_at, VOS_STAMP_SIZE, "%s", pts[n - 1].at);
    free(pts);
    return 0;
}

/* Fills the engine's plan of every committed KPI; start_day = the earliest baseline. */
static int read_kpis(vos_app *app, vos_case_realization *cr, json_t *snap)
{
    size_t n = cr->n_kpis;
    if (n > VOS_REALIZATION_KPIS_MAX)
        return vos_error_set(VOS_ETOOLARGE, "case '%s' commits to more than %d KPIs",
                             cr->case_row->name, VOS_REALIZATION_KPIS_MAX);
    cr->plans = calloc(n ? n : 1, sizeof *cr->plans);
    cr->kpis = calloc(n ? n : 1, sizeof *cr->kpis);
    if (!cr->plans || !cr->kpis) return vos_error_set(VOS_ENOMEM, "out of memory");
    json_t *snap_kpis = json_object_get(snap, "kpis");
    cr->start_day = INFINITY;
    for (size_t j = 0; j < n; j++) {
        const vos_commitment_kpi_row *k = &cr->kpi_rows[j];
        long idx = vos_model_find_kpi(cr->model, k->kpi_key);
        if (idx < 0)
            return vos_error_set(VOS_ECONFLICT, "KPI '%s' committed to is not a KPI of model %s",
                                 k->kpi_key, cr->model->id);
        vos_kpi_plan *p = &cr->plans[j];
        *p = (vos_kpi_plan){.kpi = (size_t)idx,
                            .baseline = k->baseline_value,
                            .baseline_day = app_day_of_date(k->baseline_date),
                            .target = k->target_value,
                            .target_day = app_day_of_date(k->target_date),
                            .trajectory = k->trajectory,
                            .tolerance = k->tolerance};
        cr->kpis[j].commitment = k;
        cr->kpis[j].kpi = (size_t)idx;
        json_t *sk = NULL;
        for (size_t i = 0; i < json_array_size(snap_kpis) && !sk; i++) {
            json_t *it = json_array_get(snap_kpis, i);
            const char *key = json_string_value(json_object_get(it, "kpi"));
            if (key && strcmp(key, k->kpi_key) == 0) sk = it;
        }
        int rc = read_milestones(p, sk, k->kpi_key);
        if (rc == 0) rc = read_series(app, cr, j);
        if (rc < 0) return rc;
        if (p->baseline_day < cr->start_day) cr->start_day = p->baseline_day;
    }
    if (n == 0) cr->start_day = app_day_of_stamp(cr->commitment->created_at);
    app_date_of_day(cr->start_date, cr->start_day);
    return 0;
}

/* ---- the figures ---------------------------------------------------------------------------- */

static int64_t stale_days(vos_app *app)
{
    vos_organisation_row *org = NULL;
    int64_t days = VOS_APP_STALE_DAYS_DEFAULT;
    if (vos_store_organisation_get(app->st, &org, 1) == 0) days = org->stale_after_days;
    vos_organisation_row_free(org);
    return days;
}

static int compute(vos_case_realization *cr)
{
    vos_realization_input in = {.model = cr->model,
                                .inputs = cr->inputs,
                                .plan = cr->plan,
                                .plan_costs = cr->plan_costs,
                                .start_day = cr->start_day,
                                .kpis = cr->plans,
                                .n_kpis = cr->n_kpis,
                                .as_of = cr->as_of_day,
                                .stale_after_days = (double)cr->stale_after_days};
    int rc = vos_realization_compute(&cr->r, &in);
    if (rc < 0) {
        char why[VOS_ERROR_MSG_MAX]; /* the message is rewritten from itself: copy it first */
        snprintf(why, sizeof why, "%s", vos_error_last());
        return vos_error_set(rc, "case '%s': %s", cr->case_row->name, why);
    }
    for (size_t d = 0; d < cr->model->n_drivers; d++) {
        vos_lever l = cr->model->drivers[d].lever;
        cr->lever_planned[l] += cr->r->drivers[d].planned_to_date;
        cr->lever_realized[l] += cr->r->drivers[d].realized_to_date;
    }
    return 0;
}

/* Loads what the realization of cr->case_row needs, then computes it. */
static int realize(vos_app *app, vos_case_realization *cr)
{
    vos_case_row *c = cr->case_row;
    vos_model_version_row *version = NULL;
    json_t *snap = NULL;
    char *overrides = NULL;
    int rc = app_commitment_find(app, c->id, &cr->commitment);
    if (rc == VOS_ENOTFOUND)
        return vos_error_set(VOS_ENOTFOUND, "case '%s' has no commitment (it is %s)", c->name,
                             vos_case_stage_name(c->stage));
    if (rc == 0) rc = vos_store_account_get(app->st, &cr->account, c->account_id);
    if (rc == 0) rc = app_commitment_kpis(app, cr->commitment->id, &cr->kpi_rows, &cr->n_kpis);
    if (rc == 0) rc = app_case_model(app, c->model_version_id, &cr->model, &version);
    if (rc == 0 && !(snap = json_loads(cr->commitment->snapshot, 0, NULL)))
        rc = vos_error_set(VOS_ECONFLICT, "the commitment snapshot of case '%s' is not JSON",
                           c->name);
    if (rc == 0) rc = read_snapshot(cr, snap, version->content_sha256, &overrides);
    if (rc == 0) rc = recompute_plan(cr, overrides);
    if (rc == 0) rc = read_kpis(app, cr, snap);
    if (rc == 0) {
        cr->stale_after_days = stale_days(app);
        rc = compute(cr);
    }
    free(overrides);
    json_decref(snap);
    vos_model_version_row_free(version);
    return rc;
}

int app_realize_case(vos_app *app, vos_case_row *c, double as_of_day, vos_case_realization **out)
{
    *out = NULL;
    vos_case_realization *cr = calloc(1, sizeof *cr);
    if (!cr) {
        vos_case_row_free(c);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    cr->case_row = c;
    cr->as_of_day = as_of_day;
    app_stamp_of_day(cr->as_of, as_of_day);
    int rc = realize(app, cr);
    if (rc < 0) {
        vos_case_realization_free(cr);
        return rc;
    }
    *out = cr;
    return 0;
}

int vos_app_case_realization(vos_app *app, const vos_actor *who, int64_t case_id, const char *as_of,
                             vos_case_realization **out)
{
    *out = NULL;
    int rc = app_allow(who, VOS_OP_CASE_READ);
    double day = 0;
    char stamp[VOS_STAMP_SIZE];
    if (rc == 0) rc = app_as_of(as_of, &day, stamp);
    vos_case_row *c = NULL;
    if (rc == 0) rc = app_case_get(app, who, case_id, &c);
    if (rc < 0) return rc;
    return app_realize_case(app, c, app_day_of_stamp(stamp), out);
}
