/* vos model: value model files (lint) and the governed models of a database (import,
 * approve, retire, diff, list, versions). */
#include "cli.h"

#include "vos/app.h"
#include "vos/diag.h"
#include "vos/error.h"
#include "vos/jsonw.h"
#include "vos/limits.h"
#include "vos/model.h"

#include "render/render.h"

#include <stdint.h>
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

/* ---- the models of a database ---- */

static const char import_help[] =
    "usage: vos model import FILE... [--db URL]\n"
    "\n"
    "Stores each model file (YAML or JSON; '-' reads standard input) as a draft version of its\n"
    "model, creating the model on first import.  A file with errors is reported like\n"
    "`vos model lint` does and nothing of it is stored.  Importing a version that is still a\n"
    "draft replaces its text; an approved or retired version is immutable: give the change a\n"
    "new version number.\n"
    "\n"
    "options:\n"
    "  --db URL     the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help   this help\n"
    "\n"
    "Exit status: 0 every file imported, 1 a file has errors or was refused, 2 usage,\n"
    "3 a file or the database could not be read.\n";

static const char approve_help[] =
    "usage: vos model approve KEY VERSION [--db URL]\n"
    "\n"
    "Approves a draft version of a model: from now on it is immutable, and cases can be\n"
    "committed on it.\n"
    "\n"
    "options:\n"
    "  --db URL     the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help   this help\n";

static const char retire_help[] =
    "usage: vos model retire KEY VERSION [--db URL]\n"
    "\n"
    "Retires an approved version: it stays readable (cases pinned to it keep it) but is no\n"
    "longer the latest approved version new cases start from.\n"
    "\n"
    "options:\n"
    "  --db URL     the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help   this help\n";

static const char diff_help[] =
    "usage: vos model diff KEY FROM TO [--format table|json] [--db URL]\n"
    "\n"
    "Shows every difference between versions FROM and TO of model KEY: the elements that\n"
    "were added, removed or changed (inputs, drivers, costs, KPIs, ...), then every figure of\n"
    "the conservative, expected and optimistic scenarios computed from each version's own\n"
    "inputs: before, after and the change.\n"
    "\n"
    "options:\n"
    "  --format F   table (default) or json\n"
    "  --db URL     the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help   this help\n";

static const char list_help[] =
    "usage: vos model list [--format table|json] [--db URL]\n"
    "\n"
    "Lists the models of the database with each version and its status (draft, approved,\n"
    "retired).\n"
    "\n"
    "options:\n"
    "  --format F   table (default) or json\n"
    "  --db URL     the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help   this help\n";

static const char versions_help[] =
    "usage: vos model versions KEY [--format table|json] [--db URL]\n"
    "\n"
    "Lists the versions of one model, oldest first: status, when it was imported, approved\n"
    "and retired, and the SHA-256 of its text.\n"
    "\n"
    "options:\n"
    "  --format F   table (default) or json\n"
    "  --db URL     the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help   this help\n";

/* The SHA-256 of the text stored for the version of the model in `text`, into sha ("" when
 * the text does not load or the version is not stored yet), and the model's id into key. */
static void stored_sha(char sha[VOS_SHA256_HEX_SIZE], char *key, size_t key_size, vos_app *app,
                       const char *text, size_t len, const char *path)
{
    vos_actor who = vos_actor_system();
    vos_model *m = NULL;
    vos_diags quiet;
    vos_diags_init(&quiet);
    sha[0] = '\0';
    snprintf(key, key_size, "model");
    if (vos_model_load(&m, text, len, path, &quiet) == 0) {
        snprintf(key, key_size, "%s", m->id);
        vos_model_version_row *v = NULL;
        size_t n = 0;
        if (vos_app_model_versions(app, &who, m->id, &v, &n) == 0)
            for (size_t i = 0; i < n; i++)
                if (strcmp(v[i].version, m->version) == 0)
                    memcpy(sha, v[i].content_sha256, VOS_SHA256_HEX_SIZE);
        vos_model_version_rows_free(v, n);
    }
    vos_model_free(m);
    vos_diags_free(&quiet);
}

/* Imports one file; returns its exit status. */
static int import_file(vos_app *app, const char *path)
{
    const char *cmd = "vos model import";
    char *text = NULL;
    size_t len = 0;
    if (cli_read_file(&text, &len, path, VOS_MODEL_BYTES_MAX) < 0)
        return CLI_FAILED;
    char before[VOS_SHA256_HEX_SIZE], key[VOS_ID_MAX + 1];
    stored_sha(before, key, sizeof key, app, text, len, path);
    vos_diags d;
    vos_diags_init(&d);
    vos_model_version_row *row = NULL;
    vos_actor who = vos_actor_system();
    int rc = CLI_OK, err = vos_app_model_import(app, &who, text, len, path, &d, &row);
    vos_diags_sort(&d);
    cli_print_diags(stderr, path, &d, 1);
    if (err < 0 && d.n_errors > 0) {
        fprintf(stderr, "%s: %s: %zu %s; nothing was imported\n", cmd, path, d.n_errors,
                plural(d.n_errors, "error", "errors"));
        rc = cli_status(err);
    } else if (err < 0) {
        fprintf(stderr, "%s: %s: %s\n", cmd, path, vos_error_last());
        rc = cli_status(err);
    } else {
        const char *what = !*before                                      ? ""
                           : strcmp(before, row->content_sha256) == 0 ? ", unchanged"
                                                                        : ", replacing the "
                                                                          "earlier draft text";
        printf("imported %s %s (draft%s)\n", key, row->version, what);
    }
    vos_model_version_row_free(row);
    vos_diags_free(&d);
    free(text);
    return rc;
}

static int cmd_import(int argc, char **argv)
{
    const char *db = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}};
    cli_args a = {"vos model import", import_help, opts, 1, 1, SIZE_MAX, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(db))) != CLI_OK)
        return rc;
    for (size_t i = 0; i < a.n_pos; i++) {
        int r = import_file(app, a.pos[i]);
        fflush(stdout);
        if (r > rc)
            rc = r;
    }
    vos_app_close(app);
    return rc;
}

/* approve and retire: KEY VERSION. */
static int move_version(int argc, char **argv, int retire)
{
    const char *db = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}};
    cli_args a = {retire ? "vos model retire" : "vos model approve",
                  retire ? retire_help : approve_help, opts, 1, 2, 2, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(db))) != CLI_OK)
        return rc;
    vos_actor who = vos_actor_system();
    vos_model_version_row *row = NULL;
    int err = retire ? vos_app_model_retire(app, &who, a.pos[0], a.pos[1], &row)
                     : vos_app_model_approve(app, &who, a.pos[0], a.pos[1], &row);
    if (err < 0)
        rc = cli_fail(a.cmd, err);
    else
        printf("%s %s %s\n", retire ? "retired" : "approved", a.pos[0], a.pos[1]);
    vos_model_version_row_free(row);
    vos_app_close(app);
    return rc;
}

static int cmd_approve(int argc, char **argv)
{
    return move_version(argc, argv, 0);
}

static int cmd_retire(int argc, char **argv)
{
    return move_version(argc, argv, 1);
}

static int cmd_diff(int argc, char **argv)
{
    const char *db = NULL, *format = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}, {"--format", &format, NULL, NULL, 0}};
    cli_args a = {"vos model diff", diff_help, opts, 2, 3, 3, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(a.cmd, format);
    if (json < 0)
        return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(db))) != CLI_OK)
        return rc;
    vos_actor who = vos_actor_system();
    vos_changes ch = {0};
    int err = vos_app_model_diff(app, &who, a.pos[0], a.pos[1], a.pos[2], &ch);
    if (err < 0) {
        rc = cli_fail(a.cmd, err);
    } else if (json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_jw_object(&w);
        vos_jw_key(&w, "model");
        vos_jw_string(&w, a.pos[0]);
        vos_jw_key(&w, "from");
        vos_jw_string(&w, a.pos[1]);
        vos_jw_key(&w, "to");
        vos_jw_string(&w, a.pos[2]);
        vos_render_changes(&w, &ch);
        vos_jw_end(&w);
        rc = cli_print_json(a.cmd, &w);
    } else {
        printf("%s %s -> %s\n\n", a.pos[0], a.pos[1], a.pos[2]);
        rc = cli_print_changes(&ch);
    }
    vos_changes_free(&ch);
    vos_app_close(app);
    return rc;
}

static void json_text_or_null(vos_jw *w, const char *key, const char *text)
{
    vos_jw_key(w, key);
    if (text)
        vos_jw_string(w, text);
    else
        vos_jw_null(w);
}

static void json_version(vos_jw *w, const vos_model_version_row *v)
{
    vos_jw_object(w);
    vos_jw_key(w, "version");
    vos_jw_string(w, v->version);
    vos_jw_key(w, "status");
    vos_jw_string(w, vos_version_status_name(v->status));
    vos_jw_key(w, "created_at");
    vos_jw_string(w, v->created_at);
    json_text_or_null(w, "approved_at", v->approved_at);
    json_text_or_null(w, "retired_at", v->retired_at);
    vos_jw_key(w, "content_sha256");
    vos_jw_string(w, v->content_sha256);
    vos_jw_end(w);
}

/* "1.0.0 (approved), 1.1.0 (draft)" into buf. */
static void versions_text(char *buf, size_t size, const vos_model_version_row *v, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s (%s)", i ? ", " : "", v[i].version,
                                vos_version_status_name(v[i].status));
}

/* Renders models[0..n) with their versions, which are read one model at a time. */
static int render_models(vos_app *app, const vos_model_row *models, size_t n, int json)
{
    vos_actor who = vos_actor_system();
    vos_jw w;
    cli_table t;
    vos_jw_init(&w, CLI_JSON_MAX);
    vos_jw_array(&w);
    cli_table_init(&t, 3, 0);
    cli_table_cell(&t, "model");
    cli_table_cell(&t, "name");
    cli_table_cell(&t, "versions");
    int rc = CLI_OK;
    for (size_t i = 0; i < n && rc == CLI_OK; i++) {
        vos_model_version_row *v = NULL;
        size_t nv = 0;
        int err = vos_app_model_versions(app, &who, models[i].key, &v, &nv);
        if (err < 0) {
            rc = cli_fail("vos model list", err);
            break;
        }
        vos_jw_object(&w);
        vos_jw_key(&w, "key");
        vos_jw_string(&w, models[i].key);
        vos_jw_key(&w, "name");
        vos_jw_string(&w, models[i].name);
        json_text_or_null(&w, "description", models[i].description);
        vos_jw_key(&w, "versions");
        vos_jw_array(&w);
        for (size_t k = 0; k < nv; k++)
            json_version(&w, &v[k]);
        vos_jw_end(&w);
        vos_jw_end(&w);
        char text[1024];
        versions_text(text, sizeof text, v, nv);
        cli_table_cell(&t, "%s", models[i].key);
        cli_table_cell(&t, "%s", models[i].name);
        cli_table_cell(&t, "%s", text);
        vos_model_version_rows_free(v, nv);
    }
    vos_jw_end(&w);
    if (rc == CLI_OK && json)
        rc = cli_print_json("vos model list", &w);
    else if (rc == CLI_OK && n == 0)
        printf("no models (import one with `vos model import FILE`)\n");
    else if (rc == CLI_OK)
        rc = cli_table_print(stdout, &t);
    vos_jw_free(&w);
    cli_table_free(&t);
    return rc;
}

static int cmd_list(int argc, char **argv)
{
    const char *db = NULL, *format = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}, {"--format", &format, NULL, NULL, 0}};
    cli_args a = {"vos model list", list_help, opts, 2, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(a.cmd, format);
    if (json < 0)
        return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(db))) != CLI_OK)
        return rc;
    vos_model_row *models = NULL;
    size_t n = 0;
    int err = cli_models_all(app, &models, &n, NULL, 0);
    rc = err < 0 ? cli_fail(a.cmd, err) : render_models(app, models, n, json);
    vos_model_rows_free(models, n);
    vos_app_close(app);
    return rc;
}

static int render_versions(const vos_model_version_row *v, size_t n, int json)
{
    if (json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_jw_array(&w);
        for (size_t i = 0; i < n; i++)
            json_version(&w, &v[i]);
        vos_jw_end(&w);
        return cli_print_json("vos model versions", &w);
    }
    cli_table t;
    cli_table_init(&t, 6, 0);
    const char *head[] = {"version", "status", "imported", "approved", "retired", "sha256"};
    for (size_t c = 0; c < 6; c++)
        cli_table_cell(&t, "%s", head[c]);
    for (size_t i = 0; i < n; i++) {
        cli_table_cell(&t, "%s", v[i].version);
        cli_table_cell(&t, "%s", vos_version_status_name(v[i].status));
        cli_table_cell(&t, "%s", v[i].created_at);
        cli_table_cell(&t, "%s", v[i].approved_at ? v[i].approved_at : "");
        cli_table_cell(&t, "%s", v[i].retired_at ? v[i].retired_at : "");
        cli_table_cell(&t, "%.12s", v[i].content_sha256);
    }
    int rc = cli_table_print(stdout, &t);
    cli_table_free(&t);
    return rc;
}

static int cmd_versions(int argc, char **argv)
{
    const char *db = NULL, *format = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}, {"--format", &format, NULL, NULL, 0}};
    cli_args a = {"vos model versions", versions_help, opts, 2, 1, 1, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(a.cmd, format);
    if (json < 0)
        return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(db))) != CLI_OK)
        return rc;
    vos_actor who = vos_actor_system();
    vos_model_version_row *v = NULL;
    size_t n = 0;
    int err = vos_app_model_versions(app, &who, a.pos[0], &v, &n);
    rc = err < 0 ? cli_fail(a.cmd, err) : render_versions(v, n, json);
    vos_model_version_rows_free(v, n);
    vos_app_close(app);
    return rc;
}

static const struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommands[] = {
    {"lint", cmd_lint, "check model files and report every problem with its line and column"},
    {"import", cmd_import, "store model files as draft versions"},
    {"approve", cmd_approve, "approve a draft version: it becomes immutable"},
    {"retire", cmd_retire, "retire an approved version"},
    {"diff", cmd_diff, "show what changed between two versions, elements and figures"},
    {"list", cmd_list, "list the models with their versions and statuses"},
    {"versions", cmd_versions, "list the versions of one model"},
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
