/* Delivering the webhook outbox: claim due events under a lease, POST each one signed with
 * its webhook's secret (libcurl), record the attempt.  The network is used outside any
 * transaction; a claim and each record are short transactions of their own. */
#include "app_realize_int.h"

#include "vos/error.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LEASE_MARGIN_S 5.0 /* a claim's lease: the time its attempts may take, and this */
#define DUE_NEVER "9999-12-31T23:59:59.999Z"
#define HEADER_MAX 160 /* bytes of one request header line */
#define STATUS_OK_MIN 200
#define STATUS_OK_MAX 299
#define USER_AGENT "vos-webhook/1"

/* ---- signatures and backoff ------------------------------------------------------------------ */

void vos_webhook_signature(char out[VOS_WEBHOOK_SIGNATURE_SIZE], const char *secret,
                           const char *timestamp, const char *body, size_t len)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)timestamp, strlen(timestamp));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
    crypto_auth_hmacsha256_final(&st, mac);
    memcpy(out, "sha256=", 7);
    sodium_bin2hex(out + 7, VOS_WEBHOOK_SIGNATURE_SIZE - 7, mac, sizeof mac);
    sodium_memzero(&st, sizeof st);
}

double vos_webhook_backoff_s(int64_t attempts)
{
    double s = VOS_WEBHOOK_BACKOFF_FIRST_S;
    for (int64_t i = 1; i < attempts && s < VOS_WEBHOOK_BACKOFF_MAX_S; i++)
        s *= 2;
    return s < VOS_WEBHOOK_BACKOFF_MAX_S ? s : VOS_WEBHOOK_BACKOFF_MAX_S;
}

/* ---- times ---------------------------------------------------------------------------------- */

static double now_day(void)
{
    char now[VOS_STAMP_SIZE];
    vos_store_now(now);
    return app_day_of_stamp(now);
}

static void stamp_after(char out[VOS_STAMP_SIZE], double day, double seconds)
{
    app_stamp_of_day(out, day + seconds / APP_SECONDS_PER_DAY);
}

/* ---- one HTTP attempt ----------------------------------------------------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_ready = CURLE_FAILED_INIT;

static void curl_start(void)
{
    curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* The reply body is not kept: a receiver says all it needs with its status. */
static size_t discard(char *data, size_t size, size_t n, void *user)
{
    (void)data;
    (void)user;
    return size * n;
}

typedef struct attempt {
    int status;                       /* HTTP status, 0 when there was no reply */
    char error[VOS_OUTBOX_ERROR_MAX]; /* "" when it was delivered */
} attempt;

static struct curl_slist *headers_of(const vos_outbox_row *row, const char *ts, const char *sig)
{
    char line[HEADER_MAX];
    struct curl_slist *h = NULL, *t;
    const char *fixed[] = {"Content-Type: application/json", "Expect:"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if ((t = curl_slist_append(h, fixed[i]))) h = t;
    snprintf(line, sizeof line, "X-VOS-Event: %s", row->event);
    if ((t = curl_slist_append(h, line))) h = t;
    snprintf(line, sizeof line, "X-VOS-Delivery: %" PRId64, row->id);
    if ((t = curl_slist_append(h, line))) h = t;
    snprintf(line, sizeof line, "X-VOS-Timestamp: %s", ts);
    if ((t = curl_slist_append(h, line))) h = t;
    snprintf(line, sizeof line, "X-VOS-Signature: %s", sig);
    if ((t = curl_slist_append(h, line))) h = t;
    return h;
}

/* POSTs one event to `url`, signed with `secret`. */
static void post(attempt *a, const char *url, const char *secret, const vos_outbox_row *row,
                 double timeout_s)
{
    char ts[32], sig[VOS_WEBHOOK_SIGNATURE_SIZE], err[CURL_ERROR_SIZE] = "";
    snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
    size_t len = strlen(row->payload);
    vos_webhook_signature(sig, secret, ts, row->payload, len);
    a->status = 0;
    a->error[0] = '\0';
    CURL *c = curl_easy_init();
    struct curl_slist *h = headers_of(row, ts, sig);
    if (!c || !h) {
        snprintf(a->error, sizeof a->error, "cannot start an HTTP request (out of memory)");
        goto out;
    }
    long ms = (long)(timeout_s * 1000);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, ms);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, USER_AGENT);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, row->payload);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    a->status = rc == CURLE_OK ? (int)status : 0;
    if (rc != CURLE_OK)
        snprintf(a->error, sizeof a->error, "%s%s%s", curl_easy_strerror(rc), err[0] ? ": " : "",
                 err);
    else if (status < STATUS_OK_MIN || status > STATUS_OK_MAX)
        snprintf(a->error, sizeof a->error, "the receiver replied HTTP %ld", status);
out:
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

/* ---- one delivery --------------------------------------------------------------------------- */

/* Sends row (claimed) and records the attempt. */
static int deliver_one(vos_app *app, const vos_outbox_row *row, const vos_delivery_options *o,
                       vos_delivery_report *rep)
{
    vos_webhook_row *w = NULL;
    char *secret = NULL;
    attempt a = {0, ""};
    int rc = vos_store_webhook_get(app->st, &w, row->webhook_id);
    if (rc == VOS_ENOTFOUND) return 0; /* removed meanwhile: its events went with it */
    if (rc == 0 && w->active) rc = vos_store_webhook_secret_get(app->st, w->id, &secret);
    if (rc == 0 && w->active)
        post(&a, w->url, secret, row, o->timeout_s);
    else if (rc == 0)
        snprintf(a.error, sizeof a.error, "webhook %" PRId64 " is inactive", w->id);
    if (secret) sodium_memzero(secret, strlen(secret));
    free(secret);
    if (rc < 0) {
        vos_webhook_row_free(w);
        return rc;
    }
    bool ok = a.error[0] == '\0';
    bool give_up = !ok && (!w->active || row->attempts + 1 >= o->max_attempts);
    vos_webhook_row_free(w);
    char at[VOS_STAMP_SIZE];
    double now = now_day();
    vos_outbox_outcome out = ok        ? VOS_OUTBOX_DELIVERED
                             : give_up ? VOS_OUTBOX_FAILED
                                       : VOS_OUTBOX_RETRY;
    stamp_after(at, now, out == VOS_OUTBOX_RETRY ? vos_webhook_backoff_s(row->attempts + 1) : 0);
    if ((rc = app_begin(app)) < 0) return rc;
    rc = vos_store_outbox_finish(app->st, row->id, row->attempts, out, a.status,
                                 ok ? NULL : a.error, at);
    if (rc == VOS_ESTALE || rc == VOS_ENOTFOUND) rc = 0; /* another sender moved it on */
    rc = app_end(app, rc);
    rep->attempted++;
    *(out == VOS_OUTBOX_DELIVERED ? &rep->delivered
      : out == VOS_OUTBOX_FAILED  ? &rep->failed
                                  : &rep->retried) += 1;
    return rc;
}

/* Claims the next batch of due events.  OUT: rows. */
static int claim(vos_app *app, const vos_delivery_options *o, const char *due_by,
                 vos_outbox_row **rows, size_t *n)
{
    char now[VOS_STAMP_SIZE], until[VOS_STAMP_SIZE];
    double day = now_day();
    app_stamp_of_day(now, day);
    stamp_after(until, day, (double)o->batch * o->timeout_s + LEASE_MARGIN_S);
    int rc = app_begin(app);
    if (rc < 0) return rc;
    rc = vos_store_outbox_claim(app->st, rows, n, now, due_by ? due_by : now, until, o->batch);
    rc = app_end(app, rc);
    if (rc < 0) {
        vos_outbox_rows_free(*rows, *n);
        *rows = NULL;
        *n = 0;
    }
    return rc;
}

/* With opt->all, every pending event is made due now first. */
static int retry_all_now(vos_app *app)
{
    char now[VOS_STAMP_SIZE];
    vos_store_now(now);
    int rc = app_begin(app);
    if (rc < 0) return rc;
    return app_end(app, vos_store_outbox_retry_now(app->st, 0, now));
}

int vos_app_webhooks_init(void)
{
    pthread_once(&curl_once, curl_start);
    if (curl_ready != CURLE_OK)
        return vos_error_set(VOS_ERROR, "libcurl could not start: %s",
                             curl_easy_strerror(curl_ready));
    return 0;
}

static bool stopping(const vos_delivery_options *o)
{
    return o->stop && atomic_load(o->stop);
}

int vos_app_webhooks_deliver(vos_app *app, const vos_delivery_options *opt,
                             vos_delivery_report *report)
{
    vos_delivery_report rep = {0};
    vos_delivery_options o = {0};
    if (opt) o = *opt;
    if (!(o.timeout_s > 0)) o.timeout_s = VOS_WEBHOOK_TIMEOUT_S;
    if (o.max_attempts <= 0) o.max_attempts = VOS_WEBHOOK_ATTEMPTS_MAX;
    if (o.batch == 0) o.batch = VOS_WEBHOOK_BATCH;
    if (report) *report = rep;
    int rc = vos_app_webhooks_init();
    if (rc < 0) return rc;
    if (o.all) rc = retry_all_now(app);
    /* events retried in this run are due later than its start: the loop ends */
    char start[VOS_STAMP_SIZE];
    vos_store_now(start);
    while (rc == 0 && !stopping(&o)) {
        vos_outbox_row *rows = NULL;
        size_t n = 0;
        rc = claim(app, &o, start, &rows, &n);
        for (size_t i = 0; i < n && rc == 0 && !stopping(&o); i++)
            rc = deliver_one(app, &rows[i], &o, &rep);
        vos_outbox_rows_free(rows, n);
        if (n < o.batch) break;
    }
    if (report) *report = rep;
    return rc;
}
