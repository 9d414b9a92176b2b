/* The background thread of `vos serve` (jobs.h): alert evaluation on a schedule and the
 * delivery of the webhook outbox, logged as JSON lines like the requests. */
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

#define LOG_EXTRA_MAX 1536 /* bytes of the fields of one log line */
#define NS_PER_S 1000000000.0

struct http_jobs {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_bool stop;
    vos_app *app;
    double evaluate_every_s, deliver_every_s;
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

static void evaluate(http_jobs *j)
{
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
    jobs_free(j);
}
