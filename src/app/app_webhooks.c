/* Webhooks: adding, listing and removing them, and writing alert events to their outbox in
 * the transaction of the alert.  Sending the outbox is app_deliver.c. */
#include "app_realize_int.h"

#include "vos/error.h"

#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECRET_RANDOM_BYTES 32 /* a generated secret: 43 characters of base64url */
#define EVENTS_JSON_MAX 1024   /* bytes of a webhook's event filter */

static const char *const known_events[] = {VOS_EVENT_ALERT_RAISED, VOS_EVENT_ALERT_RESOLVED,
                                           VOS_EVENT_ALERT_ACKNOWLEDGED};
#define N_EVENTS (sizeof known_events / sizeof *known_events)

/* Webhooks are the organisation's integrations: admins manage them. */
static int allow_admin(const vos_actor *who)
{
    int rc = app_allow(who, VOS_OP_INIT);
    if (rc == VOS_EFORBIDDEN)
        return vos_error_set(VOS_EFORBIDDEN, "%s (%s) may not manage webhooks (admins only)",
                             who->name, vos_role_name(who->role));
    return rc;
}

/* ---- adding --------------------------------------------------------------------------------- */

/* The event filter as a JSON array of known, distinct names.  OUT: *out (caller frees). */
static int events_json(const char *const *events, size_t n, char **out)
{
    if (n > VOS_WEBHOOK_EVENTS_MAX)
        return vos_error_set(VOS_ETOOLARGE, "a webhook names at most %d events",
                             VOS_WEBHOOK_EVENTS_MAX);
    vos_jw w;
    vos_jw_init(&w, EVENTS_JSON_MAX);
    vos_jw_array(&w);
    for (size_t i = 0; i < n; i++) {
        bool known = false, repeated = false;
        for (size_t k = 0; k < N_EVENTS; k++)
            known |= events[i] && strcmp(events[i], known_events[k]) == 0;
        for (size_t j = 0; j < i && known; j++)
            repeated |= strcmp(events[i], events[j]) == 0;
        if (!known) {
            vos_jw_free(&w);
            return vos_error_set(
                VOS_EINVALID, "webhook events: '%.64s' is not an event (events: %s, %s, %s)",
                events[i] ? events[i] : "", VOS_EVENT_ALERT_RAISED, VOS_EVENT_ALERT_RESOLVED,
                VOS_EVENT_ALERT_ACKNOWLEDGED);
        }
        if (!repeated) vos_jw_string(&w, events[i]);
    }
    vos_jw_end(&w);
    size_t len;
    int rc = vos_jw_finish(&w, out, &len);
    return rc < 0 ? vos_error_set(rc, "the webhook's events are too long") : 0;
}

/* The secret to sign with: the caller's (checked) or a new random one. */
static int make_secret(const char *given, char out[VOS_WEBHOOK_SECRET_SIZE])
{
    if (given) {
        size_t len = strlen(given);
        bool visible = true;
        for (const char *p = given; *p; p++)
            visible &= *p >= '!' && *p <= '~';
        if (len < VOS_WEBHOOK_SECRET_MIN || len > VOS_WEBHOOK_SECRET_MAX || !visible)
            return vos_error_set(VOS_EINVALID,
                                 "webhook secret must be %d to %d characters of visible ASCII",
                                 VOS_WEBHOOK_SECRET_MIN, VOS_WEBHOOK_SECRET_MAX);
        memcpy(out, given, len + 1);
        return 0;
    }
    unsigned char raw[SECRET_RANDOM_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, VOS_WEBHOOK_SECRET_SIZE, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    return 0;
}

static int count_webhooks(vos_app *app, size_t *n)
{
    vos_store_query q = {.limit = VOS_WEBHOOKS_MAX + 1};
    vos_webhook_row *rows = NULL;
    int rc = vos_store_webhook_list(app->st, &rows, n, &q);
    vos_webhook_rows_free(rows, *n);
    return rc;
}

int vos_app_webhook_add(vos_app *app, const vos_actor *who, const char *url,
                        const char *const *events, size_t n_events, const char *secret,
                        char secret_out[VOS_WEBHOOK_SECRET_SIZE], vos_webhook_row **out)
{
    if (out) *out = NULL;
    if (secret_out) secret_out[0] = '\0';
    int rc = allow_admin(who);
    if (rc < 0) return rc;
    char key[VOS_WEBHOOK_SECRET_SIZE], *filter = NULL;
    if (!url || !*url) return vos_error_set(VOS_EINVALID, "webhook url is required");
    if ((rc = make_secret(secret, key)) < 0) return rc;
    if ((rc = events_json(events, events ? n_events : 0, &filter)) < 0) return rc;
    vos_webhook_row row = {
        .url = (char *)url, .events = filter, .active = true, .created_by = who->user_id};
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)key, strlen(key));
    sodium_bin2hex(row.secret_sha256, sizeof row.secret_sha256, digest, sizeof digest);
    size_t have = 0;
    if ((rc = app_begin(app)) < 0) goto out;
    rc = count_webhooks(app, &have);
    if (rc == 0 && have >= VOS_WEBHOOKS_MAX)
        rc = vos_error_set(VOS_ECONFLICT, "the organisation has %d webhooks already (the most)",
                           VOS_WEBHOOKS_MAX);
    if (rc == 0) rc = vos_store_webhook_create(app->st, &row);
    if (rc == 0) rc = vos_store_webhook_secret_set(app->st, row.id, key);
    if (rc == 0) rc = app_audit(app, who, "webhook.add", VOS_ENTITY_WEBHOOK, row.id, NULL);
    if (rc == 0 && out) rc = vos_store_webhook_get(app->st, out, row.id);
    rc = app_end(app, rc);
    if (rc == 0 && secret_out && !secret) memcpy(secret_out, key, strlen(key) + 1);
    if (rc < 0 && out) {
        vos_webhook_row_free(*out);
        *out = NULL;
    }
out:
    sodium_memzero(key, sizeof key);
    free(filter);
    return rc;
}

/* ---- listing and removing ------------------------------------------------------------------- */

int vos_app_webhook_list(vos_app *app, const vos_actor *who, vos_webhook_row **out, size_t *n,
                         const vos_store_query *q)
{
    *out = NULL;
    *n = 0;
    int rc = allow_admin(who);
    if (rc < 0) return rc;
    return vos_store_webhook_list(app->st, out, n, q);
}

int vos_app_webhook_get(vos_app *app, const vos_actor *who, int64_t webhook_id,
                        vos_webhook_row **out)
{
    *out = NULL;
    int rc = allow_admin(who);
    if (rc == 0) rc = vos_store_webhook_get(app->st, out, webhook_id);
    if (rc == VOS_ENOTFOUND)
        return vos_error_set(VOS_ENOTFOUND, "webhook %" PRId64 " does not exist", webhook_id);
    return rc;
}

int vos_app_webhook_remove(vos_app *app, const vos_actor *who, int64_t webhook_id)
{
    int rc = allow_admin(who);
    if (rc < 0) return rc;
    if ((rc = app_begin(app)) < 0) return rc;
    vos_webhook_row *w = NULL;
    char *before = NULL;
    rc = vos_store_webhook_get(app->st, &w, webhook_id);
    if (rc == VOS_ENOTFOUND)
        rc = vos_error_set(VOS_ENOTFOUND, "webhook %" PRId64 " does not exist", webhook_id);
    if (rc == 0) rc = app_before(app, VOS_ENTITY_WEBHOOK, webhook_id, &before);
    if (rc == 0) rc = vos_store_webhook_delete(app->st, webhook_id, w->revision);
    if (rc == 0) {
        rc = app_audit(app, who, "webhook.remove", VOS_ENTITY_WEBHOOK, webhook_id, before);
        before = NULL;
    }
    free(before);
    vos_webhook_row_free(w);
    return app_end(app, rc);
}

int vos_app_webhook_deliveries(vos_app *app, const vos_actor *who, int64_t webhook_id,
                               int64_t after_id, size_t limit, vos_outbox_row **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int rc = allow_admin(who);
    if (rc < 0) return rc;
    return vos_store_outbox_list(app->st, out, n, webhook_id, after_id, limit);
}

/* ---- events --------------------------------------------------------------------------------- */

/* Whether a webhook's filter (a JSON array; empty: every event) takes `event`. */
static bool wants(const vos_webhook_row *w, const char *event)
{
    json_t *list = json_loads(w->events ? w->events : "[]", 0, NULL);
    size_t i;
    json_t *v;
    bool yes = json_array_size(list) == 0;
    json_array_foreach(list, i, v) yes |= json_is_string(v) && !strcmp(json_string_value(v), event);
    json_decref(list);
    return yes;
}

static void str_or_null(vos_jw *w, const char *key, const char *v)
{
    vos_jw_key(w, key);
    if (v)
        vos_jw_string(w, v);
    else
        vos_jw_null(w);
}

static void id_or_null(vos_jw *w, const char *key, int64_t id)
{
    vos_jw_key(w, key);
    if (id)
        vos_jw_integer(w, (long long)id);
    else
        vos_jw_null(w);
}

/* The body of an alert event (docs/alerts-and-webhooks.md). */
static int event_payload(const char *event, const vos_alert_row *a, const char *account,
                         const char *case_name, char **out)
{
    char now[VOS_STAMP_SIZE];
    vos_store_now(now);
    vos_jw w;
    vos_jw_init(&w, VOS_STORE_JSON_MAX);
    vos_jw_object(&w);
    str_or_null(&w, "event", event);
    str_or_null(&w, "occurred_at", now);
    vos_jw_key(&w, "alert");
    vos_jw_object(&w);
    id_or_null(&w, "id", a->id);
    id_or_null(&w, "account_id", a->account_id);
    str_or_null(&w, "account", account);
    id_or_null(&w, "case_id", a->case_id);
    str_or_null(&w, "case", case_name);
    str_or_null(&w, "kpi_key", a->kpi_key);
    str_or_null(&w, "kind", vos_alert_kind_name(a->kind));
    str_or_null(&w, "severity", vos_alert_severity_name(a->severity));
    str_or_null(&w, "status", vos_alert_status_name(a->status));
    str_or_null(&w, "message", a->message);
    str_or_null(&w, "created_at", a->created_at);
    str_or_null(&w, "updated_at", a->updated_at);
    str_or_null(&w, "resolved_at", a->resolved_at);
    vos_jw_end(&w);
    vos_jw_end(&w);
    size_t len;
    int rc = vos_jw_finish(&w, out, &len);
    return rc < 0 ? vos_error_set(rc, "the event of alert %" PRId64 " is too large", a->id) : 0;
}

int app_webhooks_enqueue(vos_app *app, const char *event, const vos_alert_row *alert,
                         const char *account, const char *case_name)
{
    vos_store_query q = {.limit = VOS_WEBHOOKS_MAX, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "active", .i = 1};
    vos_webhook_row *hooks = NULL;
    size_t n = 0;
    char *payload = NULL;
    int rc = vos_store_webhook_list(app->st, &hooks, &n, &q);
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (!wants(&hooks[i], event)) continue;
        if (!payload) rc = event_payload(event, alert, account, case_name, &payload);
        vos_outbox_row row = {
            .webhook_id = hooks[i].id, .event = (char *)event, .payload = payload};
        if (rc == 0) rc = vos_store_outbox_add(app->st, &row);
    }
    free(payload);
    vos_webhook_rows_free(hooks, n);
    return rc;
}
