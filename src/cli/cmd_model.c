/* vos model: work with value model files.  Subcommands live in one table so that more can
 * be added next to `lint`. */
#include "cli.h"

#include "vos/diag.h"
#include "vos/limits.h"
#include "vos/model.h"

#include <stdlib.h>
#include <string.h>

typedef struct lint_opts {
    int strict; /* warnings fail too */
    int quiet;  /* print only problems */
} lint_opts;

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void lint_usage(FILE *to)
{
    fprintf(to,
            "usage: vos model lint [--strict] [--quiet] FILE...\n\n"
            "Loads each value model (YAML or JSON; '-' reads standard input) and reports every\n"
            "problem as FILE:LINE:COL: error|warning: message, then one summary line per "
            "file.\n\n"
            "options:\n"
            "  --strict      warnings fail the lint too\n"
            "  -q, --quiet   print only problems (no summary for files that pass)\n"
            "  -h, --help    show this help\n\n"
            "Exit status: 0 no errors, 1 a file has errors (or warnings with --strict),\n"
            "2 usage error, 3 a file could not be read.  See docs/model-language.md.\n");
}

static void print_diags(const char *path, const vos_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const vos_diag *g = &d->items[i];
        const char *sev = g->severity == VOS_DIAG_ERROR ? "error" : "warning";
        if (g->line > 0)
            printf("%s:%d:%d: %s: %s\n", path, g->line, g->col, sev, g->msg);
        else
            printf("%s: %s: %s\n", path, sev, g->msg);
    }
    size_t shown = d->n, total = d->n_errors + d->n_warnings;
    if (total > shown)
        printf("%s: %zu more %s not shown\n", path, total - shown,
               plural(total - shown, "problem", "problems"));
}

/* Lints one file; returns its exit status. */
static int lint_file(const char *path, const lint_opts *o)
{
    char *text = NULL;
    size_t len = 0;
    if (cli_read_file(&text, &len, path, VOS_MODEL_BYTES_MAX) < 0) return CLI_FAILED;
    vos_diags d;
    vos_diags_init(&d);
    vos_model *m = NULL;
    vos_model_load(&m, text, len, path, &d);
    vos_diags_sort(&d);
    int failed = d.n_errors > 0 || (o->strict && d.n_warnings > 0);
    print_diags(path, &d);
    if (failed) {
        printf("%s: %zu %s, %zu %s\n", path, d.n_errors, plural(d.n_errors, "error", "errors"),
               d.n_warnings, plural(d.n_warnings, "warning", "warnings"));
    } else if (!o->quiet) {
        printf("%s: ok (%zu %s, %zu %s, %zu %s)", path, m->n_inputs,
               plural(m->n_inputs, "input", "inputs"), m->n_drivers,
               plural(m->n_drivers, "driver", "drivers"), m->n_costs,
               plural(m->n_costs, "cost", "costs"));
        if (d.n_warnings)
            printf(", %zu %s", d.n_warnings, plural(d.n_warnings, "warning", "warnings"));
        printf("\n");
    }
    vos_model_free(m);
    vos_diags_free(&d);
    free(text);
    return failed ? CLI_PROBLEMS : CLI_OK;
}

/* Options may come before or after the files; "--" ends them. */
static int cmd_lint(int argc, char **argv)
{
    lint_opts o = {0, 0};
    int files = 0, status = CLI_OK, opts_done = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opts_done || a[0] != '-' || a[1] == '\0') {
            files++;
        } else if (strcmp(a, "--") == 0) {
            opts_done = 1;
        } else if (cli_is_help(a)) {
            lint_usage(stdout);
            return CLI_OK;
        } else if (strcmp(a, "--strict") == 0) {
            o.strict = 1;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o.quiet = 1;
        } else {
            fprintf(stderr, "vos model lint: unknown option '%s'\n", a);
            lint_usage(stderr);
            return CLI_USAGE;
        }
    }
    if (!files) {
        fprintf(stderr, "vos model lint: no FILE given\n");
        lint_usage(stderr);
        return CLI_USAGE;
    }
    opts_done = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!opts_done && a[0] == '-' && a[1] != '\0') {
            opts_done = strcmp(a, "--") == 0;
            continue;
        }
        int rc = lint_file(a, &o);
        fflush(stdout);
        if (rc > status) status = rc;
    }
    return status;
}

static const struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommands[] = {
    {"lint", cmd_lint, "check model files and report every problem with its line and column"},
};

static void model_usage(FILE *to)
{
    fprintf(to, "usage: vos model <subcommand> [options]\n\nsubcommands:\n");
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        fprintf(to, "  %-8s %s\n", subcommands[i].name, subcommands[i].summary);
    fprintf(to, "\n`vos model <subcommand> --help` describes each one; docs/model-language.md "
                "describes model files.\n");
}

int vos_cmd_model(int argc, char **argv)
{
    if (argc < 2) {
        model_usage(stderr);
        return CLI_USAGE;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        model_usage(stdout);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "vos model: unknown subcommand '%s'\n", argv[1]);
    model_usage(stderr);
    return CLI_USAGE;
}
