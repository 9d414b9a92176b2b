/* Measurements (observed KPI values): /api/v1/measurements.  A batch comes as JSON or as a
 * CSV file (Content-Type text/csv: the measurement files of docs/ingestion.md, read by the
 * same vos_app_measurement_ingest as `vos ingest`). */
#include "http/h_common.h"
#include "http/http_int.h"

#include "vos/app_realize.h"
#include "vos/error.h"
#include "vos/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

H_ROW_FNS(measurement, vos_measurement_row, vos_render_measurement, id)

static int list_measurements(vos_req *rq)
{
    vos_store_query q = {0};
    size_t page;
    int rc = vos_req_page(rq, &q, &page);
    if (rc == 0) rc = h_filter_id(rq, &q, "account_id", "account_id");
    if (rc == 0) h_filter_text(rq, &q, "kpi_key", "kpi_key");
    if (rc == 0) rc = h_filter_time(rq, &q, "from", "at", VOS_CMP_GE);
    if (rc == 0) rc = h_filter_time(rq, &q, "to", "at", VOS_CMP_LT);
    if (rc < 0) return rc;
    vos_measurement_row *rows = NULL;
    size_t n = 0;
    rc = vos_app_measurement_list(vos_req_app(rq), vos_req_actor(rq), &rows, &n, &q);
    if (rc < 0) return vos_reply_error(rq, rc);
    h_page(rq, rows, n, sizeof *rows, page, measurement_item, measurement_id);
    vos_measurement_rows_free(rows, n);
    return 0;
}

static const vos_field batch_fields[] = {
    {"label", VOS_F_STRING, false, 0, NULL, "what the batch is, e.g. a file name"},
    {"measurements", VOS_F_ARRAY, true, VOS_MEASUREMENT_BATCH_MAX, NULL,
     "the measurements: objects with account_id (or account), kpi_key, at, value, source"},
};

static const vos_field row_fields[] = {
    {"account_id", VOS_F_INTEGER, false, 0, NULL, "the account (or give its name as account)"},
    {"account", VOS_F_STRING, false, 0, NULL, "the account's name (or give account_id)"},
    {"kpi_key", VOS_F_STRING, true, VOS_ID_MAX, NULL, "a KPI committed to for the account"},
    {"at", VOS_F_STAMP, true, 0, NULL, "when the value was observed (UTC)"},
    {"value", VOS_F_NUMBER, true, 0, NULL, "the value, in the KPI's unit"},
    {"source", VOS_F_STRING, true, 0, NULL, "the data source's name"},
};

/* The id of the account named `name`, looked up once per distinct name of the batch. */
typedef struct named {
    const char *name;
    int64_t id;
} named;

static int account_id_of(vos_req *rq, named *seen, size_t *n_seen, const char *name, int64_t *out)
{
    for (size_t i = 0; i < *n_seen; i++)
        if (strcmp(seen[i].name, name) == 0) {
            *out = seen[i].id;
            return 0;
        }
    if (*n_seen == VOS_API_BATCH_NAMES_MAX)
        return vos_error_set(VOS_ETOOLARGE,
                             "a batch names at most %d accounts by name; give account_id instead",
                             VOS_API_BATCH_NAMES_MAX);
    vos_account_row *a = NULL;
    int rc = vos_app_account_get(vos_req_app(rq), vos_req_actor(rq), name, &a);
    if (rc < 0) return rc;
    seen[*n_seen] = (named){name, a->id};
    (*n_seen)++;
    *out = a->id;
    vos_account_row_free(a);
    return 0;
}

/* Reads one row of the batch into r; problems name "measurements[i].<field>". */
static int read_row(vos_req *rq, json_t *item, size_t i, vos_measurement_row *r, named *seen,
                    size_t *n_seen)
{
    char where[48];
    snprintf(where, sizeof where, "measurements[%zu]", i);
    if (vos_req_check(rq, item, where, row_fields, sizeof row_fields / sizeof *row_fields))
        return 0;
    if (h_has(item, "account_id") == h_has(item, "account")) {
        vos_req_error(rq, where, "give either account_id or account (the name)");
        return 0;
    }
    *r = (vos_measurement_row){0};
    r->account_id = h_int(item, "account_id", 0);
    if (h_has(item, "account")) {
        int rc = account_id_of(rq, seen, n_seen, h_str(item, "account"), &r->account_id);
        if (rc == VOS_ENOTFOUND) {
            snprintf(where + strlen(where), sizeof where - strlen(where), ".account");
            vos_req_error(rq, where, "%s", vos_error_last());
        } else if (rc < 0) {
            return rc;
        }
    }
    r->kpi_key = (char *)h_str(item, "kpi_key");
    r->value = h_num(item, "value");
    r->source = (char *)h_str(item, "source");
    r->at = vos_req_alloc(rq, VOS_STAMP_SIZE);
    if (!r->at) return vos_error_set(VOS_ENOMEM, "out of memory");
    h_stamp(r->at, h_str(item, "at"));
    return 0;
}

/* ---- CSV ---------------------------------------------------------------------------------- */

#define CSV_MEDIA "text/csv"

/* Whether the body is a CSV file: Content-Type text/csv (any parameters). */
static bool is_csv(const char *type)
{
    size_t len = strcspn(type ? type : "", "; ");
    return type && len == strlen(CSV_MEDIA) && strncasecmp(type, CSV_MEDIA, len) == 0;
}

/* The charset parameter of a Content-Type is absent or UTF-8 (or its ASCII subset). */
static bool utf8_charset(const char *type)
{
    const char *p = strchr(type, ';');
    while (p) {
        p++;
        while (*p == ' ')
            p++;
        if (strncasecmp(p, "charset=", 8) == 0) {
            p += 8 + (p[8] == '"');
            return strncasecmp(p, "utf-8", 5) == 0 || strncasecmp(p, "us-ascii", 8) == 0;
        }
        p = strchr(p, ';');
    }
    return true;
}

typedef struct body_source {
    const char *text;
    size_t len, at;
} body_source;

static int body_read(void *ctx, char *buf, size_t size, size_t *got)
{
    body_source *b = ctx;
    *got = b->len - b->at < size ? b->len - b->at : size;
    memcpy(buf, b->text + b->at, *got);
    b->at += *got;
    return 0;
}

static int body_rewind(void *ctx)
{
    ((body_source *)ctx)->at = 0;
    return 0;
}

static void keep_ingestion(void *ctx, const vos_ingest_batch *b)
{
    if (b->ingestion_id) *(int64_t *)ctx = b->ingestion_id;
}

/* The problems of a file: status 422 (bad rows) or 409 (a point stored with another value),
 * errors [{"line", "field", "message"}] for each problem kept; "more" counts the rest. */
static int reply_csv_problems(vos_req *rq, int status, const vos_ingest_report *rep)
{
    vos_jw w;
    vos_jw_init(&w, VOS_HTTP_REPLY_MAX);
    vos_jw_object(&w);
    vos_jw_key(&w, "type");
    vos_jw_string(&w, status == 409 ? HTTP_PROBLEM_TYPE "conflict" : HTTP_PROBLEM_TYPE "invalid");
    vos_jw_key(&w, "title");
    vos_jw_string(&w, http_status_text(status));
    vos_jw_key(&w, "status");
    vos_jw_integer(&w, status);
    vos_jw_key(&w, "detail");
    char detail[HTTP_DETAIL_MAX];
    snprintf(detail, sizeof detail, "%s", vos_error_last());
    http_utf8_clean(detail);
    vos_jw_string(&w, detail);
    vos_jw_key(&w, "errors");
    vos_jw_array(&w);
    for (size_t i = 0; i < rep->n_problems; i++) {
        char msg[VOS_INGEST_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "%s", rep->problems[i].message);
        http_utf8_clean(msg);
        vos_jw_object(&w);
        vos_jw_key(&w, "line");
        vos_jw_integer(&w, rep->problems[i].line);
        vos_jw_key(&w, "field");
        vos_jw_string(&w, rep->problems[i].field); /* null for the record as a whole */
        vos_jw_key(&w, "message");
        vos_jw_string(&w, msg);
        vos_jw_end(&w);
    }
    vos_jw_end(&w);
    vos_jw_key(&w, "more");
    vos_jw_integer(&w, (long long)rep->more);
    vos_jw_key(&w, "request_id");
    vos_jw_string(&w, rq->request_id);
    vos_jw_end(&w);
    char *text = NULL;
    size_t len = 0;
    int rc = vos_jw_finish(&w, &text, &len);
    if (rc < 0) return vos_reply_error(rq, rc);
    vos_reply_text(rq, status, "application/problem+json", text, len);
    free(text);
    return status == 409 ? VOS_ECONFLICT : VOS_EINVALID;
}

static void reply_csv_batch(vos_req *rq, int64_t ingestion, const vos_ingest_report *rep)
{
    vos_jw *w = vos_reply_json(rq, 201);
    vos_jw_object(w);
    vos_jw_key(w, "ingestion_id");
    if (ingestion)
        vos_jw_integer(w, ingestion);
    else
        vos_jw_null(w);
    vos_jw_key(w, "added");
    vos_jw_integer(w, (long long)rep->added);
    vos_jw_key(w, "unchanged");
    vos_jw_integer(w, (long long)rep->unchanged);
    vos_jw_key(w, "rows");
    vos_jw_integer(w, (long long)rep->rows);
    vos_jw_end(w);
}

/* A CSV file of measurements (?label= names it): one batch, all or nothing, of at most
 * VOS_MEASUREMENT_BATCH_MAX rows.  Replies as for JSON, with the "rows" read. */
static int add_csv(vos_req *rq, const char *type)
{
    if (!utf8_charset(type))
        return vos_reply_problem(rq, 415, "a measurement file is UTF-8 text, not %s", type);
    body_source body = {.text = NULL};
    body.text = vos_req_body(rq, &body.len);
    if (body.len == 0)
        return vos_reply_problem(rq, 400,
                                 "the request needs a CSV body: the header "
                                 "account,kpi,time,value,source, then one measurement per line");
    int64_t ingestion = 0;
    vos_ingest_options opt = {.label = vos_req_query(rq, "label"),
                              .max_rows = VOS_MEASUREMENT_BATCH_MAX,
                              .on_batch = keep_ingestion,
                              .ctx = &ingestion};
    vos_ingest_source src = {body_read, body_rewind, &body};
    vos_ingest_report rep = {0};
    int rc = vos_app_measurement_ingest(vos_req_app(rq), vos_req_actor(rq), &src, &opt, &rep);
    if (rc == VOS_ETOOLARGE && rep.rows > opt.max_rows)
        vos_error_set(rc,
                      "an upload holds at most %d measurements: split the file, or load it with "
                      "`vos ingest`, which writes any number in batches",
                      VOS_MEASUREMENT_BATCH_MAX);
    if (rc < 0 && rep.n_problems && (rc == VOS_EINVALID || rc == VOS_ECONFLICT))
        rc = reply_csv_problems(rq, rc == VOS_ECONFLICT ? 409 : 422, &rep);
    else if (rc < 0)
        vos_reply_error(rq, rc);
    /* the alerts of the accounts follow their new points (the schedule retries a failure) */
    if (rc == 0 && rep.n_accounts)
        vos_app_alerts_evaluate_accounts(vos_req_app(rq), vos_req_actor(rq), rep.accounts,
                                         rep.n_accounts, NULL);
    if (rc == 0) reply_csv_batch(rq, ingestion, &rep);
    vos_ingest_report_free(&rep);
    return rc;
}

/* ---- the route ------------------------------------------------------------------------------ */

/* MeasurementBatch: {"ingestion_id" (null when nothing was new), "added", "unchanged"}; a
 * text/csv body is a measurement file. */
static int add_measurements(vos_req *rq)
{
    const char *type = vos_req_header(rq, "Content-Type");
    if (is_csv(type)) return add_csv(rq, type);
    json_t *b;
    int rc = vos_req_json(rq, &b);
    if (rc < 0) return rc;
    json_t *arr = json_object_get(b, "measurements");
    size_t n = json_array_size(arr);
    vos_measurement_row *rows = vos_req_alloc(rq, (n + 1) * sizeof *rows);
    named *seen = vos_req_alloc(rq, (VOS_API_BATCH_NAMES_MAX + 1) * sizeof *seen);
    if (!rows || !seen) return vos_reply_error(rq, vos_error_set(VOS_ENOMEM, "out of memory"));
    size_t n_seen = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = read_row(rq, json_array_get(arr, i), i, &rows[i], seen, &n_seen);
    if (rc < 0) return vos_reply_error(rq, rc);
    if ((rc = vos_req_errors_reply(rq, 400)) < 0) return rc;
    size_t added = 0, unchanged = 0;
    rc = vos_app_measurement_add(vos_req_app(rq), vos_req_actor(rq), h_str(b, "label"), rows, n,
                                 &added, &unchanged);
    if (rc < 0) return h_batch_error(rq, rc, "measurement", "measurements");
    /* the alerts of the accounts follow their new points (the schedule retries a failure) */
    int64_t *accounts = added ? vos_req_alloc(rq, n * sizeof *accounts) : NULL;
    for (size_t i = 0; accounts && i < n; i++)
        accounts[i] = rows[i].account_id;
    if (accounts)
        vos_app_alerts_evaluate_accounts(vos_req_app(rq), vos_req_actor(rq), accounts, n, NULL);
    int64_t ingestion = 0;
    for (size_t i = 0; i < n && !ingestion; i++)
        ingestion = rows[i].ingestion_id;
    vos_jw *w = vos_reply_json(rq, 201);
    vos_jw_object(w);
    vos_jw_key(w, "ingestion_id");
    if (ingestion)
        vos_jw_integer(w, ingestion);
    else
        vos_jw_null(w);
    vos_jw_key(w, "added");
    vos_jw_integer(w, (long long)added);
    vos_jw_key(w, "unchanged");
    vos_jw_integer(w, (long long)unchanged);
    vos_jw_end(w);
    return 0;
}

static const char *const list_query[] = {"account_id", "kpi_key", "from", "to", NULL};
static const char *const add_query[] = {"label", NULL}; /* of a CSV body */

static const vos_route routes[] = {
    {"GET", H_API "/measurements", list_measurements, VOS_ROUTE_LIST, "listMeasurements",
     "measurements", "List measurements by account, KPI and time (from <= at < to)", NULL, 0, NULL,
     list_query, 200, "Measurement"},
    {"POST", H_API "/measurements", add_measurements, 0, "addMeasurements", "measurements",
     "Add a batch of measurements (JSON, or a CSV file as text/csv) in one transaction, all or "
     "nothing, idempotently",
     batch_fields, H_N(batch_fields), "application/json, " CSV_MEDIA, add_query, 201,
     "MeasurementBatch"},
};

const vos_route_set vos_routes_measurements = {routes, H_N(routes)};
