/* vos ingest: measurements from a CSV file (docs/ingestion.md). */
#include "cli.h"

#include "vos/app.h"
#include "vos/app_realize.h"
#include "vos/error.h"
#include "vos/ingest.h"
#include "vos/number.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LABEL_CHARS 150      /* characters of the file name kept as the default label */
#define PROGRESS_AFTER_S 1.0 /* a terminal sees progress once an ingestion takes this long */
#define PROGRESS_EVERY_S 0.25
#define COUNT_TEXT 32

static const char ingest_help[] =
    "usage: vos ingest FILE.csv|- [--label L] [--batch N] [--verbose] [--db URL]\n"
    "\n"
    "Stores the measurements of a CSV file (- reads standard input).  The file starts with\n"
    "the header account,kpi,time,value,source, then one measurement per line:\n"
    "\n"
    "    account,kpi,time,value,source\n"
    "    Northwind Traders,mttr,2026-03-01T08:00:00Z,8.25,ServiceNow\n"
    "\n"
    "account is an account's name (or id); kpi a KPI committed to for it; time an ISO 8601\n"
    "date (midnight UTC) or a date and time with Z or an offset (+02:00); value a number with\n"
    "a decimal point; source the name of the data source.\n"
    "\n"
    "Every row is checked before anything is written: when a row is bad, every problem is\n"
    "listed with its line and nothing is written.  The rows are then written in batches of\n"
    "N rows, each batch one transaction (stored whole or not at all) and one audited\n"
    "ingestion.  A point already stored with the same value is skipped, so running a file\n"
    "again (also after an interruption) stores only what is missing.\n"
    "\n"
    "options:\n"
    "  --label L      the label of the ingestions (default: the file's name; a file of\n"
    "                 several batches adds \"lines A-B\" to each)\n"
    "  --batch N      rows per transaction, 1 to 100000 (default 100000)\n"
    "  --verbose      print a line when each batch is committed\n"
    "  --db URL       the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help     this help\n"
    "\n"
    "Exit status: 0 stored, 1 bad rows (nothing written) or a point stored with another\n"
    "value, 2 usage, 3 the file or the database cannot be read or written.\n";

/* ---- the input: a file, or standard input spooled to a temporary file ----------------------- */

typedef struct input {
    const char *path; /* for messages */
    FILE *f;          /* what is read now */
    FILE *file;       /* the file opened here, or NULL for standard input */
    FILE *spool;      /* a copy of a pipe, for the second reading (NULL for a file) */
} input;

static int input_read(void *ctx, char *buf, size_t size, size_t *got)
{
    input *in = ctx;
    *got = fread(buf, 1, size, in->f);
    if (*got < size && ferror(in->f))
        return vos_error_set(VOS_ERROR, "%s: cannot read: %s", in->path, strerror(errno));
    if (in->spool && in->f != in->spool && *got && fwrite(buf, 1, *got, in->spool) != *got)
        return vos_error_set(VOS_ERROR, "cannot keep a copy of standard input: %s",
                             strerror(errno));
    return 0;
}

static int input_rewind(void *ctx)
{
    input *in = ctx;
    if (in->spool) in->f = in->spool;
    if (fflush(in->f) != 0 || fseek(in->f, 0, SEEK_SET) != 0)
        return vos_error_set(VOS_ERROR, "%s: cannot read it again: %s", in->path, strerror(errno));
    clearerr(in->f);
    return 0;
}

static int input_open(input *in, const char *path)
{
    in->path = path;
    if (strcmp(path, "-") != 0) {
        in->f = in->file = fopen(path, "rb");
        if (!in->f) fprintf(stderr, "vos ingest: %s: %s\n", path, strerror(errno));
        return in->f ? 0 : -1;
    }
    in->path = "standard input";
    in->f = stdin;
    struct stat sb;
    if (fstat(fileno(stdin), &sb) == 0 && S_ISREG(sb.st_mode)) return 0;
    in->spool = tmpfile();
    if (!in->spool)
        fprintf(stderr, "vos ingest: cannot make a temporary copy of standard input: %s\n",
                strerror(errno));
    return in->spool ? 0 : -1;
}

static void input_close(input *in)
{
    if (in->file) fclose(in->file);
    if (in->spool) fclose(in->spool);
}

/* ---- progress ------------------------------------------------------------------------------- */

typedef struct progress {
    bool tty;     /* standard error is a terminal */
    bool verbose; /* a line per batch on standard output */
    bool shown;   /* a progress line is on the terminal */
    double start, last;
    int64_t batch_rows; /* rows of the batch size, for the verbose lines */
} progress;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *grouped(char out[COUNT_TEXT], double x)
{
    vos_num_grouped(out, COUNT_TEXT, x, 0);
    return out;
}

static void clear_progress(progress *p)
{
    if (!p->shown) return;
    fputs("\r\033[K", stderr);
    p->shown = false;
}

static void on_progress(void *ctx, int reading, int64_t rows, uint64_t bytes)
{
    progress *p = ctx;
    double t = now_s(), took = t - p->start;
    (void)bytes;
    if (!p->tty || took < PROGRESS_AFTER_S || t - p->last < PROGRESS_EVERY_S) return;
    p->last = t;
    char r[COUNT_TEXT], rate[COUNT_TEXT];
    fprintf(stderr, "\r\033[K%s: %s rows read (%s rows/s)", reading == 1 ? "checking" : "writing",
            grouped(r, (double)rows), grouped(rate, (double)rows / took));
    p->shown = true;
}

static void on_batch(void *ctx, const vos_ingest_batch *b)
{
    progress *p = ctx;
    if (!p->verbose) return;
    clear_progress(p);
    if (b->ingestion_id)
        printf("batch %lld: lines %lld-%lld committed: %zu rows, %zu new, %zu unchanged "
               "(ingestion %lld)\n",
               (long long)b->number, (long long)b->first_line, (long long)b->last_line, b->rows,
               b->added, b->unchanged, (long long)b->ingestion_id);
    else
        printf("batch %lld: lines %lld-%lld stored already: %zu rows unchanged\n",
               (long long)b->number, (long long)b->first_line, (long long)b->last_line, b->rows);
    fflush(stdout);
}

/* ---- the command ---------------------------------------------------------------------------- */

/* The default label: the file's name without its directories, cut to LABEL_CHARS. */
static void default_label(char *out, size_t size, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > LABEL_CHARS) {
        n = LABEL_CHARS;
        while (n > 0 && ((unsigned char)base[n] & 0xC0) == 0x80)
            n--;
    }
    snprintf(out, size, "%.*s", (int)n, base);
}

static int parse_batch(const char *text, size_t *out)
{
    char *end = NULL;
    errno = 0;
    long long v = text ? strtoll(text, &end, 10) : 0;
    if (!text) return 0;
    if (!*text || *end || errno || v < 1 || v > VOS_MEASUREMENT_BATCH_MAX) {
        fprintf(stderr, "vos ingest: --batch must be a number from 1 to %d, not '%s'\n",
                VOS_MEASUREMENT_BATCH_MAX, text);
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

static void print_problems(const char *path, const vos_ingest_report *rep)
{
    for (size_t i = 0; i < rep->n_problems; i++)
        fprintf(stderr, "vos ingest: %s: %s\n", path, rep->problems[i].message);
    if (rep->more)
        fprintf(stderr, "vos ingest: %s: ... and %zu more problem%s\n", path, rep->more,
                rep->more == 1 ? "" : "s");
}

static int report_failure(const char *path, int rc, const vos_ingest_report *rep)
{
    if (rc == VOS_EINVALID && rep->n_problems) {
        print_problems(path, rep);
        fprintf(stderr, "vos ingest: %s: %zu problem%s found; nothing was written\n", path,
                rep->n_problems + rep->more, rep->n_problems + rep->more == 1 ? "" : "s");
        return CLI_PROBLEMS;
    }
    fprintf(stderr, "vos ingest: %s: %s\n", path, vos_error_last());
    if (rep->batches || rep->unchanged)
        fprintf(stderr,
                "vos ingest: %s: the batches before it are stored (%lld new, %lld unchanged); "
                "running the file again skips them\n",
                path, (long long)rep->added, (long long)rep->unchanged);
    return cli_status(rc);
}

int vos_cmd_ingest(int argc, char **argv)
{
    const char *db = NULL, *label = NULL, *batch = NULL;
    int verbose = 0;
    cli_option opts[] = {
        {"--db", &db, NULL, NULL, 0},
        {"--label", &label, NULL, NULL, 0},
        {"--batch", &batch, NULL, NULL, 0},
        {"--verbose", NULL, &verbose, NULL, 0},
    };
    const char *cmd = "vos ingest";
    cli_args a = {cmd, ingest_help, opts, sizeof opts / sizeof *opts, 1, 1, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    vos_ingest_options opt = {0};
    if (parse_batch(batch, &opt.batch) < 0) return CLI_USAGE;
    char name[LABEL_CHARS * 4 + 1];
    default_label(name, sizeof name, strcmp(a.pos[0], "-") == 0 ? "" : a.pos[0]);
    opt.label = label ? label : name;
    input in = {0};
    if (input_open(&in, a.pos[0]) < 0) return CLI_FAILED;
    progress p = {.tty = isatty(STDERR_FILENO), .verbose = verbose > 0, .start = now_s()};
    opt.on_batch = on_batch;
    opt.on_progress = on_progress;
    opt.ctx = &p;
    vos_app *app = NULL;
    vos_ingest_report rep = {0};
    if ((rc = cli_app_open(&app, cmd, cli_db_url(db))) == CLI_OK) {
        vos_actor who = vos_actor_system();
        vos_ingest_source src = {input_read, input_rewind, &in};
        int err = vos_app_measurement_ingest(app, &who, &src, &opt, &rep);
        clear_progress(&p);
        if (err < 0)
            rc = report_failure(in.path, err, &rep);
        else
            printf("ingested %lld measurements (%lld new, %lld unchanged) in %.2f s\n",
                   (long long)rep.rows, (long long)rep.added, (long long)rep.unchanged,
                   now_s() - p.start);
        /* the alerts of the accounts that received new points follow them
         * (docs/alerts-and-webhooks.md) */
        vos_alerts_summary s;
        if (err == 0 && rep.added > 0 &&
            vos_app_alerts_evaluate_accounts(app, &who, rep.accounts, rep.n_accounts, &s) == 0 &&
            s.raised + s.resolved > 0)
            printf("alerts: %zu raised, %zu resolved\n", s.raised, s.resolved);
    }
    vos_ingest_report_free(&rep);
    vos_app_close(app);
    input_close(&in);
    return rc;
}
