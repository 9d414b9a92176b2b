/* The measurement history of the demo: weekly points of every committed KPI from its baseline
 * date to today, on the way to the target with a little seeded noise, one KPI falling behind
 * its plan so that the demo shows an alert; then the alerts are evaluated. */
#include "cli.h"

#include "vos/app_realize.h"
#include "vos/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SECONDS_PER_DAY 86400
#define WEEK_DAYS 7
#define POINTS_MAX 1024      /* points of one KPI at most (20 years of weeks) */
#define NOISE 0.02           /* of the committed improvement, either way */
#define BEHIND_SHARE 0.3     /* the drifting KPI delivers this share of its plan */
#define HOUR_OF_POINTS 9     /* measurements are stamped 09:00 UTC */
#define VALUE_DECIMALS 100.0 /* values are kept to two decimals */
#define SOURCE "demo telemetry"

/* xorshift64*: a fixed sequence per seed, the same on every machine. */
static double noise(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    uint64_t x = *s * 0x2545F4914F6CDD1DULL;
    return ((double)(x >> 11) / 9007199254740992.0 * 2 - 1) * NOISE;
}

static time_t time_of_date(const char *date)
{
    struct tm tm = {0};
    if (sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = HOUR_OF_POINTS;
    /* days since the epoch of a UTC date, without the local time zone of mktime */
    int y = tm.tm_year + 1900, m = tm.tm_mon + 1;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + tm.tm_mday - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146097 + doe - 719468;
    return (time_t)days * SECONDS_PER_DAY + HOUR_OF_POINTS * 3600;
}

/* The weekly points of one committed KPI up to now.  OUT: rows[0..*n) (texts owned by the
 * caller's `stamps`). */
static void kpi_points(const vos_commitment_kpi_row *k, int64_t account_id, bool behind,
                       uint64_t seed, vos_measurement_row *rows, char (*stamps)[VOS_STAMP_SIZE],
                       size_t *n)
{
    time_t from = time_of_date(k->baseline_date), to = time_of_date(k->target_date);
    time_t now = time(NULL);
    double span = difftime(to, from);
    *n = 0;
    for (time_t t = from; t <= now && *n < POINTS_MAX && span > 0;
         t += (time_t)WEEK_DAYS * SECONDS_PER_DAY) {
        double x = difftime(t, from) / span;
        if (x > 1) x = 1;
        double progress = (behind ? BEHIND_SHARE * x : x) + noise(&seed);
        double v = k->baseline_value + (k->target_value - k->baseline_value) * progress;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(stamps[*n], VOS_STAMP_SIZE, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
        rows[*n] = (vos_measurement_row){.account_id = account_id,
                                         .kpi_key = k->kpi_key,
                                         .at = stamps[*n],
                                         .value = round(v * VALUE_DECIMALS) / VALUE_DECIMALS,
                                         .source = SOURCE};
        ++*n;
    }
}

/* Adds the history of one case; `drift` makes its last KPI fall behind. */
static int case_history(vos_app *app, int64_t case_id, bool drift, size_t *points, size_t *kpis)
{
    vos_actor who = vos_actor_system();
    vos_commitment_row *cm = NULL;
    vos_commitment_kpi_row *k = NULL;
    vos_case_row *c = NULL;
    size_t nk = 0;
    int err = vos_app_case_get(app, &who, case_id, &c);
    if (err == 0) err = vos_app_commitment_get(app, &who, case_id, &cm, &k, &nk);
    vos_measurement_row *rows = calloc(POINTS_MAX, sizeof *rows);
    char(*stamps)[VOS_STAMP_SIZE] = calloc(POINTS_MAX, sizeof *stamps);
    if (err == 0 && (!rows || !stamps)) err = vos_error_set(VOS_ENOMEM, "out of memory");
    for (size_t j = 0; j < nk && err == 0; j++) {
        size_t n = 0;
        kpi_points(&k[j], c->account_id, drift && j + 1 == nk, (uint64_t)case_id * 977 + j + 1,
                   rows, stamps, &n);
        if (n) err = vos_app_measurement_add(app, &who, "demo history", rows, n, NULL, NULL);
        *points += n;
        ++*kpis;
    }
    free(rows);
    free(stamps);
    vos_commitment_kpi_rows_free(k, nk);
    vos_commitment_row_free(cm);
    vos_case_row_free(c);
    return err;
}

int cli_demo_history(struct vos_app *app, const long long *case_ids, size_t n)
{
    size_t points = 0, kpis = 0;
    for (size_t i = 0; i < n; i++) {
        int err = case_history(app, (int64_t)case_ids[i], i + 1 == n, &points, &kpis);
        if (err < 0) return cli_fail("vos demo", err);
    }
    vos_actor who = vos_actor_system();
    vos_alerts_summary s;
    int err = vos_app_alerts_evaluate(app, &who, 0, NULL, &s);
    if (err < 0) return cli_fail("vos demo", err);
    printf("  history  %zu weekly measurements of %zu committed KPIs; %zu alert%s raised\n", points,
           kpis, s.raised, s.raised == 1 ? "" : "s");
    return CLI_OK;
}
