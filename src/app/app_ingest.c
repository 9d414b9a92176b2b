/* Measurement files (include/vos/ingest.h): CSV read in one pass that checks every row, then
 * written in batches through app_points_write, the code of vos_app_measurement_add.
 *
 * A file that fits in one batch is held in memory during the check and written from there.
 * A larger one is read a second time (the source rewinds) and written batch by batch, so that
 * memory stays bounded by two batches whatever the size of the file, and nothing is written
 * unless every row of the whole file is good.  In the second reading a thread of its own
 * reads and sorts the next batch while this one writes the current one into the store (the
 * reader touches neither the store nor anything the writer changes: every account, KPI and
 * source it meets was looked up in the first reading, and one it does not know means the
 * file changed in between, which stops the ingestion). */
#include "app_ingest_int.h"
#include "app_measure_int.h"

#include "vos/csv.h"
#include "vos/error.h"
#include "vos/ingest.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define READ_CHUNK (1 << 20)              /* bytes read from the source at a time */
#define LABEL_TEXT (VOS_NAME_MAX * 4 + 1) /* bytes of a label (characters of up to 4 bytes) */
#define LINES_TEXT 48                     /* bytes of " lines A-B" */

/* The batches of the second reading, handed from the reading thread to the writing one:
 * buffer k % 2 holds batch k; the reader fills batch `filled` while fewer than two are
 * waiting, the writer writes batch `written` while it is below `filled`. */
typedef struct handover {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    ingest_batch buf[2];
    int64_t first[2], last[2]; /* the lines of each batch, in the order of the file */
    int64_t filled, written;
    int64_t rows_read;
    uint64_t bytes_read;
    bool finished; /* the reader is done (reader_rc says how) */
    bool stop;     /* the writer failed: the reader stops */
    int reader_rc;
    char reader_msg[VOS_ERROR_MSG_MAX];
} handover;

typedef struct ingest {
    vos_app *app;
    const vos_actor *who;
    app_points *pts;
    const vos_ingest_options *opt;
    const vos_ingest_source *src;
    vos_ingest_report *rep;   /* the caller's */
    vos_ingest_report *found; /* where rows' problems go: rep, or in the second reading (by
                                 the reading thread) a report of its own */
    vos_ingest_report again;
    vos_csv *csv;
    char *buf;    /* READ_CHUNK bytes */
    size_t batch; /* rows per batch */
    int64_t now_ms;
    int reading; /* 1: checking every row; 2: reading again to write */
    bool have_header;
    int map[VOS_INGEST_COLUMNS];
    size_t n_columns;
    vos_ingest_memo memo; /* of the reading under way */
    ingest_names accounts, sources;
    ingest_series series;
    int64_t rows;          /* data rows of this reading */
    bool spilled;          /* the first reading met more rows than one batch */
    int64_t batch_no;      /* batches written so far */
    ingest_batch *filling; /* the batch being read */
    ingest_batch scratch;  /* for sorting */
    handover ho;
    int rc; /* why the reader was stopped */
} ingest;

/* Stops the CSV reader with rc (vos_csv_feed then returns 1). */
static int stop(ingest *g, int rc)
{
    g->rc = rc;
    return 1;
}

/* ---- writing a batch ------------------------------------------------------------------------ */

/* The label of a batch: the caller's, with the lines when the file takes several batches. */
static const char *batch_label(ingest *g, int64_t first, int64_t last, char out[LABEL_TEXT])
{
    const char *label = g->opt->label;
    if (!g->spilled) return label;
    char lines[LINES_TEXT];
    snprintf(lines, sizeof lines, "%slines %" PRId64 "-%" PRId64, label && *label ? " " : "", first,
             last);
    size_t keep = label ? strlen(label) : 0;
    size_t room = VOS_NAME_MAX - strlen(lines); /* characters: at least one per byte kept */
    if (keep > room) {
        keep = room;
        while (keep > 0 && ((unsigned char)label[keep] & 0xC0) == 0x80)
            keep--;
    }
    snprintf(out, LABEL_TEXT, "%.*s%s", (int)keep, label ? label : "", lines);
    return out;
}

/* Adds the accounts of the rows just inserted to rep->accounts (a sorted set). */
static int note_accounts(vos_ingest_report *rep, const vos_measurement_row *rows, size_t n)
{
    int64_t last = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t id = rows[i].account_id;
        if (!rows[i].ingestion_id || id == last) continue;
        last = id;
        size_t lo = 0, hi = rep->n_accounts;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (rep->accounts[mid] < id)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < rep->n_accounts && rep->accounts[lo] == id) continue;
        int64_t *grown = realloc(rep->accounts, (rep->n_accounts + 1) * sizeof *grown);
        if (!grown) return vos_error_set(VOS_ENOMEM, "out of memory");
        rep->accounts = grown;
        memmove(&rep->accounts[lo + 1], &rep->accounts[lo],
                (rep->n_accounts - lo) * sizeof *rep->accounts);
        rep->accounts[lo] = id;
        rep->n_accounts++;
    }
    return 0;
}

/* Writes a sorted batch (lines first..last of the file) as one ingestion.  A row stored with
 * another value becomes a problem of its line. */
static int write_batch(ingest *g, ingest_batch *b, int64_t first, int64_t last)
{
    if (b->n == 0) return 0;
    char label[LABEL_TEXT];
    size_t added = 0, unchanged = 0, failed = SIZE_MAX;
    int64_t ingestion = 0;
    int rc = app_points_write(g->pts, batch_label(g, first, last, label), b->rows, b->n, &added,
                              &unchanged, &ingestion, &failed);
    if (rc < 0) {
        if (failed < b->n) {
            const char *msg = strchr(vos_error_last(), ':'); /* after "measurement K:" */
            char text[VOS_ERROR_MSG_MAX];
            snprintf(text, sizeof text, "line %" PRId64 ":%s", b->lines[failed],
                     msg ? msg + 1 : vos_error_last());
            vos_ingest_problem_add(g->rep, b->lines[failed], rc == VOS_ECONFLICT ? "value" : NULL,
                                   "%s", text);
            vos_error_set(rc, "%s", text);
        }
        return rc;
    }
    if (added && (rc = note_accounts(g->rep, b->rows, b->n)) < 0) return rc;
    vos_ingest_batch done = {.number = ++g->batch_no,
                             .first_line = first,
                             .last_line = last,
                             .rows = b->n,
                             .added = added,
                             .unchanged = unchanged,
                             .ingestion_id = ingestion};
    g->rep->added += (int64_t)added;
    g->rep->unchanged += (int64_t)unchanged;
    g->rep->batches += ingestion != 0;
    b->n = 0;
    if (g->opt->on_batch) g->opt->on_batch(g->opt->ctx, &done);
    return 0;
}

/* ---- checking a row ------------------------------------------------------------------------- */

/* The id of the account a row names (by name, or by id when the text is a number); 0 when
 * it names none the actor sees.  The second reading only finds the names of the first. */
static int account_of(ingest *g, const char *text, int64_t *id)
{
    ingest_name *e = NULL;
    bool added = false;
    int rc = g->reading == 1 ? ingest_names_get(&g->accounts, text, &e, &added)
                             : ((e = ingest_names_find(&g->accounts, text)) ? 0 : VOS_ECONFLICT);
    if (rc < 0 || !added) {
        *id = e ? e->id : 0;
        return rc;
    }
    vos_account_row *a = NULL;
    rc = vos_app_account_get(g->app, g->who, text, &a);
    if (rc == VOS_ENOTFOUND && strspn(text, "0123456789") == strlen(text) && strlen(text) < 19)
        rc = vos_app_account_by_id(g->app, g->who, strtoll(text, NULL, 10), &a);
    if (rc == 0) e->id = a->id;
    vos_account_row_free(a);
    *id = e->id;
    /* a text that cannot be a name (too long, control characters) names no account */
    return rc == VOS_ENOTFOUND || rc == VOS_EINVALID ? 0 : rc;
}

/* The account and KPI of a row: the KPI's key as the account's entry keeps it, or NULL with
 * a problem. */
static int account_and_kpi(ingest *g, const vos_csv_record *rec, const char *const *text,
                           int64_t *id, const char **key)
{
    char q[INGEST_QUOTE_SIZE], qa[INGEST_QUOTE_SIZE];
    long long line = (long long)rec->line;
    *key = NULL;
    if (!*text[VOS_COL_ACCOUNT]) return 0; /* reported as empty */
    int rc = account_of(g, text[VOS_COL_ACCOUNT], id);
    if (rc < 0) return rc;
    const app_points_account *a = NULL;
    if (*id && g->reading == 1 && (rc = app_points_account_get(g->pts, *id, &a)) < 0) return rc;
    if (*id && g->reading == 2 && !(a = app_points_find(g->pts, *id))) return VOS_ECONFLICT;
    if (!a || !a->name)
        return vos_ingest_problem_add(g->found, rec->line, "account",
                                      "account '%s' on line %lld does not exist",
                                      ingest_quote(q, text[VOS_COL_ACCOUNT]), line);
    if (!*text[VOS_COL_KPI]) return 0;
    *key = app_points_kpi(a, text[VOS_COL_KPI]);
    if (*key) return 0;
    return vos_ingest_problem_add(g->found, rec->line, "kpi",
                                  "kpi '%s' on line %lld is not a KPI committed to for account "
                                  "'%s'",
                                  ingest_quote(q, text[VOS_COL_KPI]), line,
                                  ingest_quote(qa, a->name));
}

/* The place of a problem's column among a line's problems: the record first, then the
 * columns in the order of a written header. */
static int column_rank(const char *field)
{
    for (int c = 0; field && c < VOS_INGEST_COLUMNS; c++)
        if (strcmp(field, vos_ingest_column_name((vos_ingest_column)c)) == 0) return c;
    return -1;
}

/* Orders the problems from index `first` on (those of one line) by column, keeping the order
 * of those of one column. */
static void order_problems(vos_ingest_report *rep, size_t first)
{
    for (size_t i = first + 1; i < rep->n_problems; i++) {
        vos_ingest_problem p = rep->problems[i];
        size_t k = i;
        while (k > first && column_rank(rep->problems[k - 1].field) > column_rank(p.field)) {
            rep->problems[k] = rep->problems[k - 1];
            k--;
        }
        rep->problems[k] = p;
    }
}

/* Checks one data record.  OUT: the row (its account, its KPI's and source's stable copies,
 * its value), its stamp.  VOS_EINVALID when the row is bad (its problems added). */
static int check_row(ingest *g, const vos_csv_record *rec, vos_measurement_row *row,
                     char stamp[VOS_STAMP_SIZE])
{
    const char *text[VOS_INGEST_COLUMNS];
    size_t first = g->found->n_problems;
    int parsed = vos_ingest_row_parse(rec, g->map, g->n_columns, g->now_ms, &g->memo, text,
                                      stamp, &row->value, g->found);
    if (parsed == VOS_ENOMEM || rec->n != g->n_columns) return parsed; /* no fields to look at */
    const char *key = NULL;
    int rc = account_and_kpi(g, rec, text, &row->account_id, &key);
    order_problems(g->found, first);
    if (rc < 0) return rc;
    if (parsed < 0 || !key) return VOS_EINVALID;
    row->kpi_key = (char *)key;
    ingest_name *e = NULL;
    bool added = false;
    rc = g->reading == 1
             ? ingest_names_get(&g->sources, text[VOS_COL_SOURCE], &e, &added)
             : ((e = ingest_names_find(&g->sources, text[VOS_COL_SOURCE])) ? 0 : VOS_ECONFLICT);
    if (rc < 0) return rc;
    row->source = e->text;
    return 0;
}

/* ---- the records ---------------------------------------------------------------------------- */

static int hand_over(ingest *g);

/* One data record: checked; held when good (and, in the second reading, handed over batch by
 * batch). */
static int data_row(ingest *g, const vos_csv_record *rec)
{
    g->rows++;
    if (g->reading == 1 && g->opt->on_progress && g->rows % VOS_INGEST_PROGRESS_ROWS == 0)
        g->opt->on_progress(g->opt->ctx, 1, g->rows, vos_csv_bytes(g->csv));
    if (g->opt->max_rows && g->rows > g->opt->max_rows)
        return stop(g, vos_error_set(VOS_ETOOLARGE,
                                     "the file holds more than %" PRId64 " measurements",
                                     g->opt->max_rows));
    char stamp[VOS_STAMP_SIZE];
    vos_measurement_row row = {0};
    size_t before = g->found->n_problems + g->found->more;
    int rc = check_row(g, rec, &row, stamp);
    if (g->reading == 2 && rc < 0) /* good in the first reading */
        return stop(g, vos_error_set(VOS_ECONFLICT,
                                     "the file changed while it was read "
                                     "(line %lld)",
                                     (long long)rec->line));
    if (rc < 0 && rc != VOS_EINVALID) return stop(g, rc);
    if (rc < 0) {
        if (g->found->n_problems + g->found->more == before) /* never silently: say so */
            vos_ingest_problem_add(g->found, rec->line, NULL, "line %lld cannot be read",
                                   (long long)rec->line);
        return 0;
    }
    if (g->reading == 1 && (g->spilled || g->filling->n == g->batch)) {
        g->spilled = true; /* written in the second reading */
        return 0;
    }
    uint32_t series = 0;
    if ((rc = ingest_batch_room(g->filling, g->batch)) < 0 ||
        (rc = ingest_series_of(&g->series, row.account_id, row.kpi_key, row.source, &series)) < 0)
        return stop(g, rc);
    ingest_batch_add(g->filling, &row, stamp, rec->line, series);
    if (g->reading == 2 && g->filling->n == g->batch && (rc = hand_over(g)) != 0)
        return stop(g, rc);
    return 0;
}

static int on_record(void *ctx, const vos_csv_record *rec)
{
    ingest *g = ctx;
    int rc = 0;
    if (rec->error && g->reading == 2)
        return stop(g, vos_error_set(VOS_ECONFLICT,
                                     "the file changed while it was read "
                                     "(line %lld)",
                                     (long long)rec->line));
    if (rec->error)
        rc = vos_ingest_problem_add(g->found, rec->line, NULL, "line %lld: %s",
                                    (long long)rec->line, rec->error);
    if (rc == VOS_ENOMEM) return stop(g, rc);
    if (!g->have_header) {
        g->have_header = true;
        g->n_columns = rec->n;
        if (rc == 0) rc = vos_ingest_header(g->map, rec, g->found);
        /* without a header no row can be read */
        return rc < 0 ? stop(g, rc == VOS_ENOMEM ? rc : VOS_EINVALID) : 0;
    }
    return rec->error ? 0 : data_row(g, rec);
}

/* Reads the whole source through the CSV reader. */
static int read_all(ingest *g)
{
    vos_csv_reset(g->csv);
    memset(&g->memo, 0, sizeof g->memo);
    g->have_header = false;
    g->rows = 0;
    g->rc = 0;
    for (;;) {
        size_t got = 0;
        int rc = g->src->read(g->src->ctx, g->buf, READ_CHUNK, &got);
        if (rc < 0) return rc;
        rc = got ? vos_csv_feed(g->csv, g->buf, got) : vos_csv_finish(g->csv);
        if (rc) return rc == 1 ? g->rc : rc;
        if (!got) return 0;
    }
}

/* ---- the second reading: a reading thread and this one, writing ---------------------------- */

/* Sorts the batch read and hands it to the writer; waits while two are waiting.  Returns 0,
 * or 1 when the writer has stopped. */
static int hand_over(ingest *g)
{
    handover *h = &g->ho;
    ingest_batch *b = g->filling;
    int64_t first = b->n ? b->lines[0] : 0, last = b->n ? b->lines[b->n - 1] : 0;
    int rc = ingest_batch_sort(b, &g->scratch, g->series.n);
    if (rc < 0) return rc;
    pthread_mutex_lock(&h->mu);
    int k = (int)(h->filled % 2);
    h->first[k] = first;
    h->last[k] = last;
    h->filled++;
    h->rows_read = g->rows;
    h->bytes_read = vos_csv_bytes(g->csv);
    pthread_cond_broadcast(&h->cv);
    while (h->filled - h->written >= 2 && !h->stop)
        pthread_cond_wait(&h->cv, &h->mu);
    bool stopped = h->stop;
    g->filling = &h->buf[h->filled % 2];
    pthread_mutex_unlock(&h->mu);
    g->filling->n = 0;
    return stopped ? 1 : 0;
}

static void *reading_thread(void *arg)
{
    ingest *g = arg;
    handover *h = &g->ho;
    int rc = read_all(g);
    if (rc == 0 && g->filling->n) rc = hand_over(g); /* the last batch */
    pthread_mutex_lock(&h->mu);
    h->reader_rc = rc < 0 ? rc : 0;
    if (rc < 0) snprintf(h->reader_msg, sizeof h->reader_msg, "%s", vos_error_last());
    h->finished = true;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

/* Writes the batches the reading thread hands over, in order, until it is done. */
static int write_handed(ingest *g)
{
    handover *h = &g->ho;
    int rc = 0;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (h->written == h->filled && !h->finished)
            pthread_cond_wait(&h->cv, &h->mu);
        if (h->written == h->filled) break; /* finished, all written */
        int k = (int)(h->written % 2);
        int64_t rows = h->rows_read;
        uint64_t bytes = h->bytes_read;
        pthread_mutex_unlock(&h->mu);
        rc = write_batch(g, &h->buf[k], h->first[k], h->last[k]);
        if (rc == 0 && g->opt->on_progress) g->opt->on_progress(g->opt->ctx, 2, rows, bytes);
        pthread_mutex_lock(&h->mu);
        h->written++;
        if (rc < 0) h->stop = true;
        pthread_cond_broadcast(&h->cv);
        if (rc < 0) break;
    }
    pthread_mutex_unlock(&h->mu);
    return rc;
}

/* The second reading: every row again, written batch by batch. */
static int write_all(ingest *g)
{
    if (!g->src->rewind)
        return vos_error_set(VOS_ETOOLARGE,
                             "the input holds more than %zu measurements and cannot be read "
                             "twice: give a file",
                             g->batch);
    int rc = g->src->rewind(g->src->ctx);
    if (rc < 0) return rc;
    int64_t rows = g->rows;
    handover *h = &g->ho;
    g->reading = 2;
    g->found = &g->again;
    g->filling = &h->buf[0];
    g->filling->n = 0;
    pthread_t reader;
    if (pthread_create(&reader, NULL, reading_thread, g) != 0)
        return vos_error_set(VOS_ERROR, "cannot start a thread to read the file");
    rc = write_handed(g);
    pthread_join(reader, NULL);
    if (rc == 0 && h->reader_rc < 0) rc = vos_error_set(h->reader_rc, "%s", h->reader_msg);
    if (rc == 0 && g->rows != rows)
        rc = vos_error_set(VOS_ECONFLICT,
                           "the file changed while it was read (%" PRId64 " rows, not %" PRId64 ")",
                           g->rows, rows);
    return rc;
}

/* ---- the ingestion -------------------------------------------------------------------------- */

/* One sentence about the problems found: the first, how many more, and that nothing was
 * written. */
static int problems_found(const vos_ingest_report *rep)
{
    size_t total = rep->n_problems + rep->more;
    if (total == 1)
        return vos_error_set(VOS_EINVALID, "%s; nothing was written", rep->problems[0].message);
    return vos_error_set(VOS_EINVALID, "%s (and %zu more problem%s); nothing was written",
                         rep->problems[0].message, total - 1, total == 2 ? "" : "s");
}

static int run(ingest *g)
{
    int rc = app_points_may_send(g->pts);
    if (rc == 0) rc = read_all(g);
    g->rep->rows = g->rows;
    if (rc < 0 && rc != VOS_EINVALID) return rc;
    if (g->rep->n_problems || g->rep->more) return problems_found(g->rep);
    if (rc < 0) return rc;
    if (g->rows == 0)
        return vos_error_set(VOS_EINVALID,
                             "the file holds no measurements (a header "
                             "account,kpi,time,value,source, then one row per measurement)");
    if (g->spilled) return write_all(g);
    ingest_batch *b = g->filling;
    int64_t first = b->lines[0], last = b->lines[b->n - 1];
    rc = ingest_batch_sort(b, &g->scratch, g->series.n);
    return rc < 0 ? rc : write_batch(g, b, first, last);
}

static int64_t clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int vos_app_measurement_ingest(vos_app *app, const vos_actor *who, const vos_ingest_source *src,
                               const vos_ingest_options *opt, vos_ingest_report *rep)
{
    int rc = app_allow(who, VOS_OP_MEASUREMENT_WRITE);
    if (rc < 0) return rc;
    if (opt->batch > VOS_MEASUREMENT_BATCH_MAX)
        return vos_error_set(VOS_EINVALID, "a batch holds 1 to %d measurements, not %zu",
                             VOS_MEASUREMENT_BATCH_MAX, opt->batch);
    ingest *g = calloc(1, sizeof *g);
    if (!g) return vos_error_set(VOS_ENOMEM, "out of memory");
    *g = (ingest){.app = app, .who = who, .opt = opt, .src = src, .rep = rep, .reading = 1};
    g->found = rep;
    g->batch = opt->batch ? opt->batch : VOS_MEASUREMENT_BATCH_MAX;
    g->now_ms = opt->now_ms ? opt->now_ms : clock_ms();
    g->filling = &g->ho.buf[0];
    pthread_mutex_init(&g->ho.mu, NULL);
    pthread_cond_init(&g->ho.cv, NULL);
    vos_csv_limits lim = {.field_max = VOS_INGEST_FIELD_MAX,
                          .record_max = VOS_INGEST_RECORD_MAX,
                          .fields_max = VOS_INGEST_COLUMNS_MAX};
    g->buf = malloc(READ_CHUNK);
    rc = g->buf ? app_points_new(&g->pts, app, who) : vos_error_set(VOS_ENOMEM, "out of memory");
    if (rc == 0) rc = vos_csv_new(&g->csv, &lim, on_record, g);
    if (rc == 0) rc = run(g);
    vos_csv_free(g->csv);
    app_points_free(g->pts);
    ingest_names_free(&g->accounts);
    ingest_names_free(&g->sources);
    free(g->series.slots);
    ingest_batch_free(&g->ho.buf[0]);
    ingest_batch_free(&g->ho.buf[1]);
    ingest_batch_free(&g->scratch);
    vos_ingest_report_free(&g->again);
    pthread_mutex_destroy(&g->ho.mu);
    pthread_cond_destroy(&g->ho.cv);
    free(g->buf);
    free(g);
    return rc;
}
