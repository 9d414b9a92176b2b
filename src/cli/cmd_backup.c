/* vos backup: an online copy of the database, verified. */
#include "cli.h"

#include "vos/app.h"
#include "vos/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char backup_help[] =
    "usage: vos backup PATH [--db URL]\n"
    "\n"
    "Copies the whole database to a new SQLite file at PATH while VOS keeps running (the\n"
    "SQLite online backup API: writers are not stopped), then opens the copy and verifies\n"
    "its audit chain and every entity against it, as `vos audit verify` does.\n"
    "\n"
    "options:\n"
    "  --db URL     the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help   this help\n"
    "\n"
    "Exit status: 0 copied and verified, 1 refused (PATH exists) or the copy does not\n"
    "verify, 2 usage, 3 the copy could not be made.\n";

/* Opens the copy at `path` and verifies it. */
static int verify_copy(const char *path)
{
    const char *cmd = "vos backup";
    size_t len = strlen("sqlite:") + strlen(path) + 1;
    char *url = malloc(len);
    if (!url) return cli_fail(cmd, vos_error_set(VOS_ENOMEM, "out of memory"));
    snprintf(url, len, "sqlite:%s", path);
    vos_app *copy = NULL;
    int rc = cli_app_open(&copy, cmd, url);
    if (rc == CLI_OK) {
        vos_actor who = vos_actor_system();
        vos_audit_report report;
        memset(&report, 0, sizeof report);
        int err = vos_app_audit_verify(copy, &who, &report);
        if (err < 0) {
            rc = cli_fail(cmd, err);
        } else if (report.problem != VOS_AUDIT_OK) {
            fprintf(stderr, "%s: the copy at %s does not verify: %s\n", cmd, path, report.message);
            rc = CLI_PROBLEMS;
        } else {
            printf("backup written to %s: %lld audit records verified, head %s\n", path,
                   (long long)report.records, *report.head_hash ? report.head_hash : "(none)");
        }
    }
    vos_app_close(copy);
    free(url);
    return rc;
}

int vos_cmd_backup(int argc, char **argv)
{
    const char *db = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}};
    const char *cmd = "vos backup";
    cli_args a = {cmd, backup_help, opts, sizeof opts / sizeof *opts, 1, 1, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    const char *path = a.pos[0];
    struct stat sb;
    if (lstat(path, &sb) == 0) {
        fprintf(stderr, "%s: %s already exists; give a new file name\n", cmd, path);
        return CLI_PROBLEMS;
    }
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    int err = vos_app_backup(app, &who, path);
    vos_app_close(app);
    if (err < 0) return cli_fail(cmd, err);
    return verify_copy(path);
}
