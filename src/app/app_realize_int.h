/* Internals shared by the files of realization: the figures of a case (app_realize.c), the
 * portfolio and the success plan (app_portfolio.c), alerts (app_alerts.c) and webhooks
 * (app_webhooks.c). */
#ifndef VOS_APP_REALIZE_INT_H
#define VOS_APP_REALIZE_INT_H

#include "app_int.h"

#include "vos/app_realize.h"

#include <stdbool.h>
#include <stdint.h>

#define APP_SECONDS_PER_DAY 86400.0

/* ---- days (app_realize.c): days since 1970-01-01 00:00 UTC ---- */

/* The day of a date "YYYY-MM-DD" (its midnight); NAN when it is not a date. */
double app_day_of_date(const char *date);
/* The day and time of a stamp "YYYY-MM-DDTHH:MM:SS.mmmZ"; NAN when it is not one. */
double app_day_of_stamp(const char *stamp);
/* The date of a day (its integer part). */
void app_date_of_day(char out[VOS_DATE_SIZE], double day);
/* The stamp of a day and time, to the millisecond. */
void app_stamp_of_day(char out[VOS_STAMP_SIZE], double day);
/* The moment of an `as_of` argument: NULL = now, a date = the end of that day (23:59:59.999),
 * a stamp as it is.  VOS_EINVALID naming the argument otherwise. */
int app_as_of(const char *as_of, double *day, char stamp[VOS_STAMP_SIZE]);

/* ---- realization (app_realize.c) ---- */

/* The realization of case `c` (read already, visible to the caller, ownership taken) at
 * `as_of_day`, without permission checks.  OUT: *out. */
int app_realize_case(vos_app *app, vos_case_row *c, double as_of_day, vos_case_realization **out);
/* Whether a case of this stage has a commitment that realization reads. */
bool app_stage_committed(vos_case_stage s);
/* Whether alerts are evaluated for a case of this stage (committed, realizing). */
bool app_stage_realizing(vos_case_stage s);

/* ---- webhooks (app_webhooks.c) ---- */

/* Writes event `event` about `alert` (written in the open transaction) to the outbox of every
 * active webhook that wants it.  `account` and `case_name` describe the alert (may be NULL). */
int app_webhooks_enqueue(vos_app *app, const char *event, const vos_alert_row *alert,
                         const char *account, const char *case_name);

#endif
