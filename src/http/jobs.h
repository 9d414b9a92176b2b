/* The background work of `vos serve`: one thread, with a database handle of its own, that
 * evaluates the alerts of every committed case every `evaluate_every_s` seconds (the first
 * time at start) and sends the webhook outbox every `deliver_every_s` seconds.  Each run first
 * takes the job's lease until the next run is due ("alerts.evaluate", "webhooks.deliver";
 * vos_app_job_claim), so of several processes on one database one runs it; the others skip
 * it.  It stops when asked, after the attempt or evaluation in progress, and gives its leases
 * up. */
#ifndef VOS_HTTP_JOBS_H
#define VOS_HTTP_JOBS_H

#define HTTP_EVALUATE_EVERY_S (15 * 60) /* default: alerts every 15 minutes */
#define HTTP_DELIVER_EVERY_S 5          /* default: the outbox every 5 seconds */

typedef struct http_jobs http_jobs;

/* Starts the thread on database `db_url` (it inherits the caller's signal mask).  A period of
 * 0 takes the default above, a negative one turns that job off; with both off no thread is
 * started (*out is NULL).  OUT: *out, stopped with http_jobs_stop. */
int http_jobs_start(http_jobs **out, const char *db_url, double evaluate_every_s,
                    double deliver_every_s);
/* Asks the thread to stop, waits for it and frees it.  NULL is a no-op. */
void http_jobs_stop(http_jobs *j);

#endif
