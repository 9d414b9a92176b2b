/* vos migrate: copy a whole installation into a new database (e.g. SQLite to PostgreSQL),
 * verified. */
#include "cli.h"

#include "vos/app.h"
#include "vos/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PROGRESS_EVERY 100000 /* rows between two progress lines of one large table */
#define SUMMARY_MAX 24        /* entities, the audit log, credentials and the outbox */
#define SQLITE_SCHEME "sqlite:"

static const char migrate_help[] =
    "usage: vos migrate --from URL --to URL [--quiet]\n"
    "\n"
    "Copies a whole installation into another database, e.g. from SQLite to PostgreSQL:\n"
    "every entity with its ids, revisions and times, the audit log, password hashes, webhook\n"
    "secrets and the webhook outbox (sessions are not copied: users sign in again).  Opening\n"
    "the target creates it (or brings its schema up to date); it must hold no data.  The copy\n"
    "is one transaction of the target, committed only once it checks out: the same number of\n"
    "rows of every entity, the same audit head, and the audit chain and every entity against\n"
    "it (as `vos audit verify`).  On any failure the target holds nothing of it.  The source\n"
    "is read in one snapshot, so it may stay in use meanwhile; what is written to it after\n"
    "the copy starts is not copied.\n"
    "\n"
    "options:\n"
    "  --from URL   the database to copy (e.g. sqlite:vos.db)\n"
    "  --to URL     the database to copy into (e.g. sqlite:new.db, postgres://host/vos)\n"
    "  --quiet      no progress lines on standard error\n"
    "  -h, --help   this help\n"
    "\n"
    "Exit status: 0 copied and verified, 1 refused (the target is not empty, or is the\n"
    "source), 2 usage, 3 a database could not be opened, read or written, or the copy did\n"
    "not verify.\n";

/* Rows copied, as the progress callback last told them. */
typedef struct migrate_progress {
    int quiet;
    struct {
        char what[32];
        int64_t done;
    } rows[SUMMARY_MAX];
    size_t n;
} migrate_progress;

static void on_progress(void *ctx, const char *what, int64_t done, int64_t total)
{
    migrate_progress *p = ctx;
    size_t i = 0;
    while (i < p->n && strcmp(p->rows[i].what, what) != 0)
        i++;
    if (i == p->n && p->n < SUMMARY_MAX) snprintf(p->rows[p->n++].what, 32, "%s", what);
    int64_t before = i < p->n ? p->rows[i].done : 0;
    if (i < p->n) p->rows[i].done = done;
    if (p->quiet) return;
    if (done == total || done / PROGRESS_EVERY != before / PROGRESS_EVERY)
        fprintf(stderr, "%s %lld/%lld\n", what, (long long)done, (long long)total);
}

/* Whether url names a SQLite file (not a "file:" URI or a database in memory) that does not
 * exist: opening it would create an empty database and copy nothing. */
static int missing_sqlite_file(const char *url)
{
    size_t k = strlen(SQLITE_SCHEME);
    if (strncmp(url, SQLITE_SCHEME, k) != 0) return 0;
    const char *path = url + k;
    if (!*path || strncmp(path, "file:", 5) == 0 || strcmp(path, ":memory:") == 0) return 0;
    struct stat st;
    return stat(path, &st) != 0;
}

/* Whether two URLs name the same database: the same text, or two SQLite paths of one
 * existing file. */
static int same_database(const char *a, const char *b)
{
    if (strcmp(a, b) == 0) return 1;
    size_t k = strlen(SQLITE_SCHEME);
    if (strncmp(a, SQLITE_SCHEME, k) != 0 || strncmp(b, SQLITE_SCHEME, k) != 0) return 0;
    struct stat sa, sb;
    return stat(a + k, &sa) == 0 && stat(b + k, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static int print_summary(vos_app *dst, const char *from, const char *to, const migrate_progress *p)
{
    const char *cmd = "vos migrate";
    vos_actor who = vos_actor_system();
    vos_audit_report report;
    memset(&report, 0, sizeof report);
    int err = vos_app_audit_verify(dst, &who, &report);
    if (err < 0) return cli_fail(cmd, err);
    if (report.problem != VOS_AUDIT_OK) {
        fprintf(stderr, "%s: the copy does not verify: %s\n", cmd, report.message);
        return CLI_FAILED;
    }
    char shown_from[CLI_URL_SHOWN_MAX], shown_to[CLI_URL_SHOWN_MAX];
    cli_url_shown(shown_from, from);
    cli_url_shown(shown_to, to);
    printf("copied %s to %s\n", shown_from, shown_to);
    cli_table t;
    cli_table_init(&t, 2, 1u << 1);
    cli_table_cell(&t, "rows");
    cli_table_cell(&t, "copied");
    for (size_t i = 0; i < p->n; i++) {
        cli_table_cell(&t, "%s", p->rows[i].what);
        cli_table_cell(&t, "%lld", (long long)p->rows[i].done);
    }
    int rc = cli_table_print(stdout, &t);
    cli_table_free(&t);
    printf("audit head %s\n", *report.head_hash ? report.head_hash : "(empty log)");
    printf("audit chain verified: %lld records\n", (long long)report.records);
    return rc;
}

int vos_cmd_migrate(int argc, char **argv)
{
    const char *from = NULL, *to = NULL;
    int quiet = 0;
    cli_option opts[] = {{"--from", &from, NULL, NULL, 0},
                         {"--to", &to, NULL, NULL, 0},
                         {"--quiet", NULL, &quiet, NULL, 0}};
    const char *cmd = "vos migrate";
    cli_args a = {cmd, migrate_help, opts, sizeof opts / sizeof *opts, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    if (!from || !*from || !to || !*to) {
        fprintf(stderr, "%s: give both --from URL and --to URL (see vos migrate --help)\n", cmd);
        return CLI_USAGE;
    }
    char shown[CLI_URL_SHOWN_MAX];
    cli_url_shown(shown, from);
    if (same_database(from, to)) {
        fprintf(stderr, "%s: --from and --to name the same database (%s)\n", cmd, shown);
        return CLI_PROBLEMS;
    }
    if (missing_sqlite_file(from)) {
        fprintf(stderr, "%s: the database to copy, %s, does not exist\n", cmd, shown);
        return CLI_PROBLEMS;
    }
    vos_app *src = NULL, *dst = NULL;
    if ((rc = cli_app_open(&src, cmd, from)) != CLI_OK) return rc;
    if ((rc = cli_app_open(&dst, cmd, to)) != CLI_OK) {
        vos_app_close(src);
        return rc;
    }
    migrate_progress p = {.quiet = quiet, .n = 0};
    vos_actor who = vos_actor_system();
    int err = vos_app_copy(dst, &who, src, on_progress, &p);
    rc = err < 0 ? cli_fail(cmd, err) : print_summary(dst, from, to, &p);
    vos_app_close(dst);
    vos_app_close(src);
    return rc;
}
