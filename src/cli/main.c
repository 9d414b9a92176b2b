/* vos: the Value Operating System command line. */
#include "cli.h"

#include <string.h>

#define VOS_VERSION "0.1.0"

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"init", vos_cmd_init, "create the database and the organisation"},
    {"model", vos_cmd_model, "lint, import, approve, diff and list value models"},
    {"account", vos_cmd_account, "add and list accounts (customers)"},
    {"user", vos_cmd_user, "add and list users, set their passwords"},
    {"token", vos_cmd_token, "create, list and revoke API tokens for integrations"},
    {"case", vos_cmd_case, "build, compute, explain, commit and re-base business cases"},
    {"realization", vos_cmd_realization, "value realized against committed, per case and portfolio"},
    {"alerts", vos_cmd_alerts, "list, acknowledge, resolve and evaluate KPI alerts"},
    {"webhook", vos_cmd_webhook, "send alert events to other systems (signed HTTP POSTs)"},
    {"audit", vos_cmd_audit, "verify the audit chain and show the history of changes"},
    {"backup", vos_cmd_backup, "copy the database, online, and verify the copy"},
    {"migrate", vos_cmd_migrate, "copy a whole installation into a new database, verified"},
    {"assess", vos_cmd_assess, "take the value maturity self-assessment; roadmap and report"},
    {"ingest", vos_cmd_ingest, "store measurements from a CSV file"},
    {"demo", vos_cmd_demo, "load the example models, accounts and cases into a database"},
    {"serve", vos_cmd_serve, "serve the HTTP API (REST + JSON under /api/v1)"},
    {"finance", vos_cmd_finance, "evaluate finance functions (JSON Lines on stdin)"},
};

static void usage(FILE *to)
{
    fprintf(to, "usage: vos <command> [options]\n\n"
                "VOS, the Value Operating System: define, quantify, commit to, track and prove\n"
                "the business value delivered to customers.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(to, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(to, "\nDatabase commands take --db URL (default $VOS_DB, else sqlite:vos.db).\n"
                "`vos <command> --help` describes each command.  `vos --version` prints the "
                "version.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("vos %s\n", VOS_VERSION);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "vos: unknown command '%s' (see vos --help)\n", argv[1]);
    return CLI_USAGE;
}
