/* Webhook secrets and the delivery outbox: records that are not entities.  Like passwords and
 * sessions (records.c) they have no revision, no snapshot and no audit record: a secret must
 * never reach the audit log, and a delivery attempt is operational state, not a change of the
 * domain (the alert it tells of is audited).  The generic layer checks the fields and turns a
 * backend's constraint faults into messages. */
#include "store_int.h"

#include "vos/error.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUTBOX_EVENT_MAX 64 /* characters of an event name */
#define HTTP_STATUS_TOP 999 /* the largest status kept with a delivery */

void vos_outbox_rows_free(vos_outbox_row *rows, size_t n)
{
    if (!rows) return;
    for (size_t i = 0; i < n; i++) {
        free(rows[i].event);
        free(rows[i].payload);
        free(rows[i].claimed_until);
        free(rows[i].delivered_at);
        free(rows[i].failed_at);
        free(rows[i].last_error);
    }
    free(rows);
}

static int check_stamp(const char *s, const char *what)
{
    if (s && vos_text_check(s, VOS_TF_STAMP, VOS_STAMP_SIZE - 1, "outbox", what) == 0) return 0;
    return vos_error_set(VOS_EINVALID, "outbox %s is not a UTC stamp (YYYY-MM-DDTHH:MM:SS.mmmZ)",
                         what);
}

static int check_id(int64_t id, const char *what)
{
    if (id > 0) return 0;
    return vos_error_set(VOS_EINVALID, "%s %" PRId64 " is not an id", what, id);
}

/* ---- secrets -------------------------------------------------------------------------------- */

static bool visible_ascii(const char *s)
{
    for (; *s; s++)
        if (*s < '!' || *s > '~') return false;
    return true;
}

int vos_store_webhook_secret_set(vos_store *st, int64_t webhook_id, const char *secret)
{
    int rc = vos_store_need_write(st, "set a webhook secret");
    if (rc == 0) rc = check_id(webhook_id, "webhook secret: webhook");
    size_t len = secret ? strlen(secret) : 0;
    if (rc == 0 &&
        (len < VOS_WEBHOOK_SECRET_MIN || len > VOS_WEBHOOK_SECRET_MAX || !visible_ascii(secret)))
        rc = vos_error_set(VOS_EINVALID,
                           "a webhook secret must be %d to %d characters of visible ASCII",
                           VOS_WEBHOOK_SECRET_MIN, VOS_WEBHOOK_SECRET_MAX);
    if (rc < 0) return rc;
    vos_fault fault = {.kind = VOS_FAULT_NONE};
    rc = st->be->webhook_secret_set(st->be, webhook_id, secret, &fault);
    if (rc == VOS_ECONFLICT && fault.kind == VOS_FAULT_FOREIGN_KEY)
        return vos_error_set(VOS_EINVALID, "webhook %" PRId64 " does not exist", webhook_id);
    if (rc == VOS_ECONFLICT && fault.kind != VOS_FAULT_NONE)
        return vos_error_set(VOS_EINVALID, "webhook secret breaks the rule '%s'", fault.name);
    return rc;
}

int vos_store_webhook_secret_get(vos_store *st, int64_t webhook_id, char **secret)
{
    *secret = NULL;
    return st->be->webhook_secret_get(st->be, webhook_id, secret);
}

/* ---- the outbox ----------------------------------------------------------------------------- */

int vos_store_outbox_add(vos_store *st, vos_outbox_row *row)
{
    int rc = vos_store_need_write(st, "add an outbox event");
    if (rc == 0) rc = check_id(row->webhook_id, "outbox webhook");
    if (rc == 0 && !row->event) rc = vos_error_set(VOS_EINVALID, "outbox event is required");
    if (rc == 0)
        rc = vos_text_check(row->event, VOS_TF_OPERATION, OUTBOX_EVENT_MAX, "outbox", "event");
    if (rc == 0 && !*row->event) rc = vos_error_set(VOS_EINVALID, "outbox event is required");
    if (rc == 0 && !row->payload) rc = vos_error_set(VOS_EINVALID, "outbox payload is required");
    if (rc == 0)
        rc = vos_text_check(row->payload, VOS_TF_JSON_OBJECT, VOS_STORE_JSON_MAX, "outbox",
                            "payload");
    if (rc < 0) return rc;
    vos_outbox_row r = *row;
    vos_store_now(r.created_at);
    memcpy(r.next_attempt_at, r.created_at, VOS_STAMP_SIZE);
    r.attempts = 0;
    r.claimed_until = r.delivered_at = r.failed_at = r.last_error = NULL;
    r.last_status = 0;
    vos_fault fault = {.kind = VOS_FAULT_NONE};
    rc = st->be->outbox_insert(st->be, &r, &fault);
    if (rc == VOS_ECONFLICT && fault.kind == VOS_FAULT_FOREIGN_KEY)
        return vos_error_set(VOS_EINVALID, "outbox webhook_id %" PRId64 " does not exist",
                             row->webhook_id);
    if (rc == VOS_ECONFLICT && fault.kind != VOS_FAULT_NONE)
        return vos_error_set(VOS_EINVALID, "outbox event breaks the rule '%s'", fault.name);
    if (rc == 0) {
        row->id = r.id;
        memcpy(row->created_at, r.created_at, VOS_STAMP_SIZE);
        memcpy(row->next_attempt_at, r.next_attempt_at, VOS_STAMP_SIZE);
        row->attempts = 0;
    }
    return rc;
}

int vos_store_outbox_claim(vos_store *st, vos_outbox_row **out, size_t *n, const char *now,
                           const char *due_by, const char *until, size_t max)
{
    *out = NULL;
    *n = 0;
    int rc = vos_store_need_write(st, "claim outbox events");
    if (rc == 0) rc = check_stamp(now, "claim time");
    if (rc == 0) rc = check_stamp(until, "lease end");
    if (rc == 0 && due_by) rc = check_stamp(due_by, "due time");
    if (rc == 0 && strcmp(until, now) <= 0)
        rc = vos_error_set(VOS_EINVALID, "an outbox lease must end after the claim time");
    if (rc < 0) return rc;
    if (max == 0) return 0;
    if (max > VOS_STORE_PAGE_MAX) max = VOS_STORE_PAGE_MAX;
    return st->be->outbox_claim(st->be, now, due_by ? due_by : now, until, max, out, n);
}

int vos_store_outbox_finish(vos_store *st, int64_t id, int64_t attempts, vos_outbox_outcome outcome,
                            int status, const char *error, const char *at)
{
    int rc = vos_store_need_write(st, "record an outbox attempt");
    if (rc == 0) rc = check_id(id, "outbox event");
    if (rc == 0) rc = check_stamp(at, "attempt time");
    if (rc == 0 && (status < 0 || status > HTTP_STATUS_TOP))
        rc = vos_error_set(VOS_EINVALID, "outbox status %d is not an HTTP status", status);
    if (rc == 0 && (outcome < VOS_OUTBOX_DELIVERED || outcome > VOS_OUTBOX_FAILED))
        rc = vos_error_set(VOS_EINVALID, "outbox outcome %d does not exist", (int)outcome);
    if (rc == 0 && attempts < 0)
        rc = vos_error_set(VOS_EINVALID, "outbox attempts must not be negative");
    if (rc < 0) return rc;
    char cut[VOS_OUTBOX_ERROR_MAX + 1];
    if (error && *error) {
        /* keep a prefix that ends on a character boundary */
        size_t len = strlen(error);
        if (len > VOS_OUTBOX_ERROR_MAX) len = VOS_OUTBOX_ERROR_MAX;
        while (len > 0 && (error[len] & 0xC0) == 0x80)
            len--;
        memcpy(cut, error, len);
        cut[len] = '\0';
        if (vos_text_check(cut, VOS_TF_TEXT, VOS_OUTBOX_ERROR_MAX, "outbox", "last_error") < 0)
            snprintf(cut, sizeof cut, "(the error text was not printable)");
        error = cut;
    } else {
        error = NULL;
    }
    vos_outbox_row r = {.id = id, .attempts = attempts + 1, .last_status = status};
    r.last_error = (char *)error;
    char stamp[VOS_STAMP_SIZE];
    memcpy(stamp, at, VOS_STAMP_SIZE);
    switch (outcome) {
    case VOS_OUTBOX_DELIVERED:
        r.delivered_at = stamp;
        break;
    case VOS_OUTBOX_FAILED:
        r.failed_at = stamp;
        break;
    case VOS_OUTBOX_RETRY: /* a finished row keeps the time it was last due ("" here) */
        memcpy(r.next_attempt_at, at, VOS_STAMP_SIZE);
        break;
    }
    vos_fault fault = {.kind = VOS_FAULT_NONE};
    rc = st->be->outbox_finish(st->be, &r, attempts, &fault);
    if (rc == VOS_ENOTFOUND) {
        vos_outbox_row *rows = NULL;
        size_t n = 0;
        int lrc = st->be->outbox_list(st->be, 0, id - 1, 1, &rows, &n);
        bool exists = lrc == 0 && n == 1 && rows[0].id == id;
        vos_outbox_rows_free(rows, n);
        if (lrc < 0) return lrc;
        if (!exists) return vos_error_set(VOS_ENOTFOUND, "outbox event %" PRId64 " is gone", id);
        return vos_error_set(
            VOS_ESTALE, "outbox event %" PRId64 " was attempted by another sender meanwhile", id);
    }
    if (rc == VOS_ECONFLICT && fault.kind != VOS_FAULT_NONE)
        return vos_error_set(VOS_EINVALID, "outbox event breaks the rule '%s'", fault.name);
    return rc;
}

int vos_store_outbox_list(vos_store *st, vos_outbox_row **out, size_t *n, int64_t webhook_id,
                          int64_t after_id, size_t limit)
{
    *out = NULL;
    *n = 0;
    if (webhook_id < 0 || after_id < 0)
        return vos_error_set(VOS_EINVALID, "outbox ids must not be negative");
    if (limit == 0) limit = VOS_STORE_PAGE_DEFAULT;
    if (limit > VOS_STORE_PAGE_MAX) limit = VOS_STORE_PAGE_MAX;
    return st->be->outbox_list(st->be, webhook_id, after_id, limit, out, n);
}

int vos_store_outbox_retry_now(vos_store *st, int64_t webhook_id, const char *now)
{
    int rc = vos_store_need_write(st, "reschedule the outbox");
    if (rc == 0) rc = check_stamp(now, "retry time");
    if (rc == 0 && webhook_id < 0)
        rc = vos_error_set(VOS_EINVALID, "outbox webhook ids must not be negative");
    if (rc < 0) return rc;
    return st->be->outbox_retry_now(st->be, webhook_id, now);
}

int vos_store_outbox_purge(vos_store *st, const char *before)
{
    int rc = vos_store_need_write(st, "purge the outbox");
    if (rc == 0) rc = check_stamp(before, "purge time");
    if (rc < 0) return rc;
    return st->be->outbox_purge(st->be, before);
}
