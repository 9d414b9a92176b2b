/* Realization in the application layer: the figures of a committed case from its
 * measurements, alerts on committed KPIs, webhooks with a durable outbox, the executives'
 * portfolio and the success plan of a commitment.
 *
 * The engine (include/vos/realization.h) computes; this layer loads the commitment, the model
 * and the measurements, checks who may see what, and writes alerts and outbox events in one
 * transaction with their audit records.  docs/alerts-and-webhooks.md describes the alerts and
 * the events; docs/realization.md the figures. */
#ifndef VOS_APP_REALIZE_H
#define VOS_APP_REALIZE_H

#include "vos/app.h"
#include "vos/realization.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- realization of one case ----
 *
 * Days are days since 1970-01-01 00:00 UTC (a stamp's time of day is the fraction).  The plan
 * starts (start_day) on the earliest baseline date of the committed KPIs: the value is counted
 * from when the baselines were measured, whatever day the commitment was signed.  The
 * committed cash flow per driver and period is recomputed from the pinned model version (whose
 * content SHA-256 must be the snapshot's) and the snapshot's overrides; its NPV must equal the
 * snapshot's expected NPV (to 1e-9 relative), else the realization is refused with
 * VOS_ECONFLICT: the figures would not be those committed to. */

#define VOS_DATE_SIZE 11 /* "YYYY-MM-DD" and a NUL */

typedef struct vos_kpi_realization {
    const vos_commitment_kpi_row *commitment; /* borrowed from the case realization */
    size_t kpi;                               /* index into model->kpis */
    size_t n_measurements;                    /* points read (from the baseline date to as_of) */
    char actual_at[VOS_STAMP_SIZE];           /* the stamp of the latest one, "" when none */
} vos_kpi_realization;

typedef struct vos_case_realization {
    vos_case_row *case_row;
    vos_account_row *account;
    vos_commitment_row *commitment;
    vos_commitment_kpi_row *kpi_rows; /* in the order committed */
    size_t n_kpis;
    vos_model *model;          /* the pinned model version, loaded */
    vos_kpi_plan *plans;       /* n_kpis: what the engine was given (measurements owned) */
    vos_kpi_realization *kpis; /* n_kpis */
    vos_realization *r;        /* the engine's figures */
    double *inputs;            /* model->n_inputs: the expected scenario's input values */
    double *plan;              /* n_drivers x (periods + 1): the committed benefit */
    double *plan_costs;        /* periods + 1: the committed costs */
    double start_day, as_of_day;
    char start_date[VOS_DATE_SIZE];
    char as_of[VOS_STAMP_SIZE];
    double committed_npv;                    /* the snapshot's expected NPV (the plan matches it) */
    double lever_committed[VOS_LEVER_COUNT]; /* committed benefits by lever, whole horizon */
    double lever_planned[VOS_LEVER_COUNT];   /* ... planned to date */
    double lever_realized[VOS_LEVER_COUNT];  /* ... realized to date */
    int64_t stale_after_days;                /* the organisation's setting */
} vos_case_realization;

/* The realization of a committed (or later) case at `as_of`: NULL for now, a date
 * "YYYY-MM-DD" (the end of that day, 23:59:59.999 UTC) or a stamp.  Roles: every role that
 * reads cases, scoped (VOS_OP_CASE_READ; a case the actor may not see is VOS_ENOTFOUND).
 * VOS_ENOTFOUND for a case without a commitment, VOS_EINVALID for a bad as_of, VOS_ECONFLICT
 * when the plan cannot be recomputed as committed, VOS_ETOOLARGE for a KPI with more than
 * VOS_STORE_SERIES_MAX measurements since its baseline.  OUT: *out
 * (vos_case_realization_free). */
int vos_app_case_realization(vos_app *app, const vos_actor *who, int64_t case_id, const char *as_of,
                             vos_case_realization **out);
void vos_case_realization_free(vos_case_realization *cr);

/* ---- the portfolio (executives) ---- */

typedef struct vos_portfolio_account {
    int64_t account_id;
    char *name;
    size_t cases;
    double committed_total, planned_to_date, realized_to_date;
    double realization_rate; /* realized / planned to date; NAN while nothing is planned */
    size_t open_alerts;      /* alerts not resolved (open or acknowledged) */
} vos_portfolio_account;

/* A committed case left out of the sums, and why. */
typedef struct vos_portfolio_skip {
    int64_t case_id;
    char *reason;
} vos_portfolio_skip;

typedef struct vos_portfolio {
    char as_of[VOS_STAMP_SIZE];
    char currency[4]; /* the organisation's: cases of models in another one are skipped */
    size_t cases;     /* cases summed */
    double committed_total, planned_to_date, realized_to_date;
    double realization_rate; /* realized / planned to date; NAN while nothing is planned */
    double lever_committed[VOS_LEVER_COUNT], lever_planned[VOS_LEVER_COUNT],
        lever_realized[VOS_LEVER_COUNT];
    size_t open_alerts;
    vos_portfolio_account *accounts; /* worst first: lowest realization rate, then the largest
                                        shortfall (planned - realized), then by name; accounts
                                        with nothing planned yet last */
    size_t n_accounts;
    vos_portfolio_skip *skipped;
    size_t n_skipped;
} vos_portfolio;

/* Committed against realized value over every case the actor sees that has a commitment
 * (stages committed, realizing, expanded and closed).  Roles: VOS_OP_CASE_READ, scoped.
 * as_of as for vos_app_case_realization.  OUT: *out (vos_portfolio_free). */
int vos_app_portfolio(vos_app *app, const vos_actor *who, const char *as_of, vos_portfolio **out);
void vos_portfolio_free(vos_portfolio *p);

/* ---- the success plan ---- */

typedef struct vos_plan_period {
    char label[VOS_NAME_MAX + 1];                /* "Q1" .. or "Year 1" for yearly models */
    char from[VOS_DATE_SIZE], to[VOS_DATE_SIZE]; /* the days it spans (to inclusive) */
    double benefits, costs;                      /* committed expected figures of its periods */
    double lever[VOS_LEVER_COUNT];
    double *kpi_planned; /* n_kpis: each KPI's planned value on its last day */
} vos_plan_period;

typedef struct vos_success_plan {
    vos_case_realization *cr; /* the commitment, model and plan (as_of: now) */
    char *model_key, *model_version, *currency, *committed_at, *committed_by;
    double npv, irr, payback_months, roi; /* expected scenario; NAN when not defined */
    double benefits_total, costs_total;
    char **owners; /* n_kpis: owner's name and email, or NULL */
    vos_plan_period *periods;
    size_t n_periods;
} vos_success_plan;

/* The success plan of a committed case: the commitment's figures, its KPIs with baseline,
 * target, dates, trajectory, tolerance, owner and data source, and the planned values per
 * quarter (per year for yearly models) from the start over the model's horizon.  Roles and
 * errors as vos_app_case_realization.  OUT: *out (vos_success_plan_free). */
int vos_app_success_plan(vos_app *app, const vos_actor *who, int64_t case_id,
                         vos_success_plan **out);
void vos_success_plan_free(vos_success_plan *p);

/* ---- alerts ----
 *
 * Kinds: drift (a KPI behind its plan beyond its tolerance), stale (no measurement for the
 * organisation's stale_after_days; counted from the baseline date while there is none),
 * forecast_miss (the trend misses the target), milestone_missed (a step milestone's date, or
 * the target date, passed with the KPI short of it).  At most one alert per kind is not
 * resolved per (account, case, KPI): a condition that persists updates that alert's message
 * and severity when they change ("alert.update"); a condition that cleared resolves it
 * automatically ("alert.resolve", the message says so).  Each raise and resolve also writes an
 * event for every active webhook that wants it, in the same transaction. */

typedef struct vos_alerts_summary {
    size_t cases; /* cases evaluated */
    size_t raised, updated, resolved, unchanged;
    size_t failed;                       /* cases whose realization could not be computed */
    char first_error[VOS_ERROR_MSG_MAX]; /* why the first of them failed, or "" */
} vos_alerts_summary;

/* Evaluates the alerts of case `case_id` (committed or realizing; 0: every such case, and
 * resolves the alerts left open on cases that are no longer realized) at `as_of` (NULL: now).
 * One transaction per case.  Roles: VOS_OP_ALERT_UPDATE; for one case, also whoever may send
 * its measurements (VOS_OP_MEASUREMENT_WRITE, scoped), so that an ingestion can be followed
 * by its evaluation.  A case whose realization fails is counted in `failed` and the others go
 * on; the call fails only when nothing could be evaluated.  OUT: *out (may be NULL). */
int vos_app_alerts_evaluate(vos_app *app, const vos_actor *who, int64_t case_id, const char *as_of,
                            vos_alerts_summary *out);
/* Evaluates, now, the alerts of every committed or realizing case of the accounts
 * account_ids[0..n) (repeats are ignored) that `who` sees: what follows an ingestion of
 * their measurements.  Roles as vos_app_alerts_evaluate for one case.  OUT: *out (may be
 * NULL). */
int vos_app_alerts_evaluate_accounts(vos_app *app, const vos_actor *who, const int64_t *account_ids,
                                     size_t n, vos_alerts_summary *out);

/* ---- webhooks ---- */

#define VOS_EVENT_ALERT_RAISED "alert.raised"
#define VOS_EVENT_ALERT_RESOLVED "alert.resolved"
#define VOS_EVENT_ALERT_ACKNOWLEDGED "alert.acknowledged"
#define VOS_WEBHOOK_SECRET_SIZE (VOS_WEBHOOK_SECRET_MAX + 1)

/* Adds a webhook: `url` (http or https), the events it wants (NULL or none: every event;
 * each one of the VOS_EVENT_* names) and its signing secret (NULL: 32 random bytes in
 * base64url, written to secret_out to be shown once).  Roles: admin.  Audited
 * "webhook.add" (the audit record holds the secret's SHA-256, never the secret).  At most
 * VOS_WEBHOOKS_MAX webhooks.  OUT: secret_out (may be NULL), *out (may be NULL). */
int vos_app_webhook_add(vos_app *app, const vos_actor *who, const char *url,
                        const char *const *events, size_t n_events, const char *secret,
                        char secret_out[VOS_WEBHOOK_SECRET_SIZE], vos_webhook_row **out);
/* Roles: admin. */
int vos_app_webhook_list(vos_app *app, const vos_actor *who, vos_webhook_row **out, size_t *n,
                         const vos_store_query *q);
/* One webhook; VOS_ENOTFOUND.  Roles: admin. */
int vos_app_webhook_get(vos_app *app, const vos_actor *who, int64_t webhook_id,
                        vos_webhook_row **out);
/* Deletes a webhook, its secret and its undelivered events.  Roles: admin.  Audited
 * "webhook.remove".  VOS_ENOTFOUND. */
int vos_app_webhook_remove(vos_app *app, const vos_actor *who, int64_t webhook_id);
/* The deliveries of a webhook (0: of every webhook), id > after_id, at most `limit`.  Roles:
 * admin.  OUT: rows (vos_outbox_rows_free). */
int vos_app_webhook_deliveries(vos_app *app, const vos_actor *who, int64_t webhook_id,
                               int64_t after_id, size_t limit, vos_outbox_row **out, size_t *n);

/* ---- delivering the outbox ----
 *
 * A delivery POSTs the event's JSON with the headers
 *     Content-Type: application/json
 *     X-VOS-Event: <event name>
 *     X-VOS-Delivery: <outbox id>
 *     X-VOS-Timestamp: <Unix seconds of the attempt>
 *     X-VOS-Signature: sha256=<hex HMAC-SHA256 with the secret over timestamp "." body>
 * A 2xx reply delivers it; anything else (another status, a timeout, no connection) is
 * retried after vos_webhook_backoff_s(attempts), at most `max_attempts` times, then it is
 * marked failed.  Delivery is at least once: a receiver drops a repeated X-VOS-Delivery. */

#define VOS_WEBHOOK_TIMEOUT_S 10        /* seconds of one attempt, connection included */
#define VOS_WEBHOOK_ATTEMPTS_MAX 12     /* attempts before an event is marked failed */
#define VOS_WEBHOOK_BACKOFF_FIRST_S 60  /* the first retry: 1 minute; then 2, 4, ... */
#define VOS_WEBHOOK_BACKOFF_MAX_S 21600 /* at most 6 hours between attempts */
#define VOS_WEBHOOK_BATCH 1             /* events claimed at once (each its own lease) */
#define VOS_WEBHOOK_SIGNATURE_SIZE 72   /* "sha256=" + 64 hex digits + NUL */

typedef struct vos_delivery_options {
    double timeout_s;        /* per attempt (0: VOS_WEBHOOK_TIMEOUT_S) */
    int max_attempts;        /* (0: VOS_WEBHOOK_ATTEMPTS_MAX) */
    size_t batch;            /* events claimed at once (0: VOS_WEBHOOK_BATCH) */
    bool all;                /* send every undelivered event now, due or not */
    const atomic_bool *stop; /* when given and set, the run ends after the current attempt (the
                                events claimed and not sent are sent once their lease ends) */
} vos_delivery_options;

typedef struct vos_delivery_report {
    size_t attempted, delivered, retried, failed;
} vos_delivery_report;

/* Claims the due events, `batch` at a time, leased for as long as their attempts may take
 * (batch x timeout) and 5 seconds, so that no other process sends them meanwhile, and sends
 * each one, recording every attempt.  Loops until nothing is due.  Runs as the system (no
 * actor: it only carries out what was decided).  OUT: *report (may be NULL). */
int vos_app_webhooks_deliver(vos_app *app, const vos_delivery_options *opt,
                             vos_delivery_report *report);
/* Starts the HTTP client library (libcurl) once per process; vos_app_webhooks_deliver calls
 * it too, but a server calls it before it starts its threads.  VOS_ERROR when it fails. */
int vos_app_webhooks_init(void);

/* Seconds to wait after `attempts` failed attempts (attempts >= 1): 60 * 2^(attempts - 1),
 * at most VOS_WEBHOOK_BACKOFF_MAX_S. */
double vos_webhook_backoff_s(int64_t attempts);
/* "sha256=" and the hex HMAC-SHA256 of timestamp "." body under `secret`. */
void vos_webhook_signature(char out[VOS_WEBHOOK_SIGNATURE_SIZE], const char *secret,
                           const char *timestamp, const char *body, size_t len);

#endif
