/* The background thread of `vos serve` (jobs.h): alert evaluation on a schedule and the
 * delivery of the webhook outbox, logged as JSON lines like the requests.  Several processes
 * may share one database: before each run the thread takes the job's lease (vos_app_job_claim)
 * until its next run is due, and skips the run while another process holds it. */
#include "http/jobs.h"

#include "http/http_int.h"
#include "vos/app_realize.h"
#include "vos/error.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_EXTRA_MAX 1536 /* bytes of the fields of one log line */
#define NS_PER_S 1000000000.0
#define HOST_MAX 128 /* bytes of the host name kept in the lease holder */
#define JOB_EVALUATE "alerts.evaluate"
#define JOB_DELIVER "webhooks.deliver"
#define LEASE_RELEASE_S 0.001 /* a lease given up on stop ends this soon */

/* A job's lease as this process last saw it. */
typedef struct job_lease {
    const char *name;
    size_t skipped; /* runs skipped in a row (another process held the lease) */
    bool held;      /* this process took the lease last */
} job_lease;

struct http_jobs {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_bool stop;
    vos_app *app;
    double evaluate_every_s, deliver_every_s;
    char holder[VOS_NAME_MAX + 1]; /* "<hostname>:<pid>" */
    job_lease evaluate_lease, deliver_lease;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / NS_PER_S;
}

/* A JSON string of `s` for a log line's fields (quotes and controls escaped). */
static void json_text(char *out, size_t size, const char *s)
{
    vos_jw w;
    char *text = NULL;
    size_t len = 0;
    vos_jw_init(&w, size);
    vos_jw_string(&w, s);
    if (vos_jw_finish(&w, &text, &len) == 0)
        snprintf(out, size, "%s", text);
    else
        snprintf(out, size, "\"\"");
    free(text);
}

/* Names this process in leases: "<hostname>:<pid>". */
static void holder_name(char out[VOS_NAME_MAX + 1])
{
    char host[HOST_MAX] = "";
    if (gethostname(host, sizeof host) != 0 || !host[0]) snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = '\0';
    for (char *p = host; *p; p++)
        if ((unsigned char)*p < ' ' || *p == 0x7f) *p = '_'; /* one line */
    snprintf(out, VOS_NAME_MAX + 1, "%s:%ld", host, (long)getpid());
}

/* Takes the lease of a job until its next run (`period_s` from now).  False when another
 * process holds it (the first of a series of skipped runs is logged) or it cannot be taken. */
static bool claim(http_jobs *j, job_lease *l, double period_s)
{
    bool claimed = false;
    char extra[LOG_EXTRA_MAX], err[LOG_EXTRA_MAX / 2];
    int rc = vos_app_job_claim(j->app, &claimed, l->name, j->holder, period_s);
    if (rc < 0) {
        json_text(err, sizeof err, vos_error_last());
        snprintf(extra, sizeof extra, "\"job\":\"%s\",\"error\":%s", l->name, err);
        http_log("error", "cannot take the job lease", extra);
        return false;
    }
    l->held = claimed;
    if (!claimed) {
        if (l->skipped++ == 0) {
            snprintf(extra, sizeof extra, "\"job\":\"%s\"", l->name);
            http_log("info", "run skipped: another process holds the job lease", extra);
        }
        return false;
    }
    if (l->skipped) {
        snprintf(extra, sizeof extra, "\"job\":\"%s\",\"skipped\":%zu", l->name, l->skipped);
        http_log("info", "job lease taken again after skipped runs", extra);
        l->skipped = 0;
    }
    return true;
}

static void evaluate(http_jobs *j)
{
    if (!claim(j, &j->evaluate_lease, j->evaluate_every_s)) return;
    vos_actor who = vos_actor_system();
    vos_alerts_summary s;
    char extra[LOG_EXTRA_MAX], err[LOG_EXTRA_MAX / 2];
    int rc = vos_app_alerts_evaluate(j->app, &who, 0, NULL, &s);
    if (rc < 0) {
        json_text(err, sizeof err, vos_error_last());
        snprintf(extra, sizeof extra, "\"error\":%s", err);
        http_log("error", "alert evaluation failed", extra);
        return;
    }
    if (s.raised + s.updated + s.resolved + s.failed == 0) return;
    json_text(err, sizeof err, s.first_error);
    snprintf(extra, sizeof extra,
             "\"cases\":%zu,\"raised\":%zu,\"updated\":%zu,\"resolved\":%zu,\"failed\":%zu%s%s",
             s.cases, s.raised, s.updated, s.resolved, s.failed, s.failed ? ",\"error\":" : "",
             s.failed ? err : "");
    http_log(s.failed ? "warning" : "info", "alerts evaluated", extra);
}

static void deliver(http_jobs *j)
{
    if (!claim(j, &j->deliver_lease, j->deliver_every_s)) return;
    vos_delivery_options o = {.stop = &j->stop};
    vos_delivery_report r;
    char extra[LOG_EXTRA_MAX], err[LOG_EXTRA_MAX / 2];
    int rc = vos_app_webhooks_deliver(j->app, &o, &r);
    if (rc < 0) {
        json_text(err, sizeof err, vos_error_last());
        snprintf(extra, sizeof extra, "\"error\":%s", err);
        http_log("error", "webhook delivery failed", extra);
    }
    if (r.attempted == 0) return;
    snprintf(extra, sizeof extra,
             "\"attempted\":%zu,\"delivered\":%zu,\"retried\":%zu,\"failed\":%zu", r.attempted,
             r.delivered, r.retried, r.failed);
    http_log(r.retried || r.failed ? "warning" : "info", "webhooks delivered", extra);
}

/* Sleeps until `until` (monotonic seconds) or until asked to stop. */
static void sleep_until(http_jobs *j, double until)
{
    struct timespec real;
    clock_gettime(CLOCK_REALTIME, &real);
    double wait = until - now_s();
    if (wait <= 0) return;
    double end = (double)real.tv_sec + (double)real.tv_nsec / NS_PER_S + wait;
    struct timespec ts = {.tv_sec = (time_t)floor(end),
                          .tv_nsec = (long)((end - floor(end)) * NS_PER_S)};
    pthread_mutex_lock(&j->lock);
    while (!atomic_load(&j->stop)) {
        int rc = pthread_cond_timedwait(&j->wake, &j->lock, &ts);
        if (rc == ETIMEDOUT) break;
    }
    pthread_mutex_unlock(&j->lock);
}

static void *run(void *arg)
{
    http_jobs *j = arg;
    double next_eval = now_s(), next_deliver = now_s();
    bool eval_on = j->evaluate_every_s > 0, deliver_on = j->deliver_every_s > 0;
    while (!atomic_load(&j->stop)) {
        if (eval_on && now_s() >= next_eval) {
            evaluate(j);
            next_eval = now_s() + j->evaluate_every_s;
            next_deliver = now_s(); /* send what the evaluation queued */
        }
        if (deliver_on && now_s() >= next_deliver && !atomic_load(&j->stop)) {
            deliver(j);
            next_deliver = now_s() + j->deliver_every_s;
        }
        double next = eval_on ? next_eval : next_deliver;
        if (deliver_on && next_deliver < next) next = next_deliver;
        sleep_until(j, next);
    }
    return NULL;
}

/* On a clean stop: the leases this process holds end now, so that another process (or this
 * one restarted) need not wait out the period. */
static void release(http_jobs *j, job_lease *l)
{
    bool claimed = false;
    if (l->held) vos_app_job_claim(j->app, &claimed, l->name, j->holder, LEASE_RELEASE_S);
    l->held = false;
}

static void jobs_free(http_jobs *j)
{
    vos_app_close(j->app);
    pthread_cond_destroy(&j->wake);
    pthread_mutex_destroy(&j->lock);
    free(j);
}

int http_jobs_start(http_jobs **out, const char *db_url, double evaluate_every_s,
                    double deliver_every_s)
{
    *out = NULL;
    if (evaluate_every_s == 0) evaluate_every_s = HTTP_EVALUATE_EVERY_S;
    if (deliver_every_s == 0) deliver_every_s = HTTP_DELIVER_EVERY_S;
    if (!(evaluate_every_s > 0) && !(deliver_every_s > 0)) return 0;
    int rc = vos_app_webhooks_init(); /* once, before any other thread uses libcurl */
    if (rc < 0) return rc;
    http_jobs *j = calloc(1, sizeof *j);
    if (!j) return vos_error_set(VOS_ENOMEM, "out of memory");
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->wake, NULL);
    atomic_init(&j->stop, false);
    j->evaluate_every_s = evaluate_every_s;
    j->deliver_every_s = deliver_every_s;
    holder_name(j->holder);
    j->evaluate_lease.name = JOB_EVALUATE;
    j->deliver_lease.name = JOB_DELIVER;
    rc = vos_app_open(&j->app, db_url);
    if (rc == 0 && pthread_create(&j->thread, NULL, run, j) != 0)
        rc = vos_error_set(VOS_ERROR, "cannot start the background thread: %s", strerror(errno));
    if (rc < 0) {
        jobs_free(j);
        return rc;
    }
    *out = j;
    return 0;
}

void http_jobs_stop(http_jobs *j)
{
    if (!j) return;
    pthread_mutex_lock(&j->lock);
    atomic_store(&j->stop, true);
    pthread_cond_broadcast(&j->wake);
    pthread_mutex_unlock(&j->lock);
    pthread_join(j->thread, NULL);
    release(j, &j->evaluate_lease);
    release(j, &j->deliver_lease);
    jobs_free(j);
}
