/* The `vos` command line: one function per top-level command, plus shared helpers.
 * Each command returns the process exit status: 0 success, 1 the operation was refused or the
 * work found problems (bad input, a conflict, lint errors, a failed verification), 2 usage
 * errors, 3 other failures (I/O, a database that cannot be opened). */
#ifndef VOS_CLI_H
#define VOS_CLI_H

#include <stddef.h>
#include <stdio.h>

enum { CLI_OK = 0, CLI_PROBLEMS = 1, CLI_USAGE = 2, CLI_FAILED = 3 };

int vos_cmd_model(int argc, char **argv);
int vos_cmd_case(int argc, char **argv);
int vos_cmd_finance(int argc, char **argv);
int vos_cmd_init(int argc, char **argv);
int vos_cmd_account(int argc, char **argv);
int vos_cmd_audit(int argc, char **argv);
int vos_cmd_backup(int argc, char **argv);
int vos_cmd_migrate(int argc, char **argv); /* cmd_migrate.c */
int vos_cmd_demo(int argc, char **argv);
int vos_cmd_user(int argc, char **argv);
int vos_cmd_token(int argc, char **argv);
int vos_cmd_serve(int argc, char **argv);
int vos_cmd_ingest(int argc, char **argv);
int vos_cmd_assess(int argc, char **argv);
int vos_cmd_realization(int argc, char **argv); /* cmd_realization.c */
int vos_cmd_alerts(int argc, char **argv);      /* cmd_alerts.c */
int vos_cmd_webhook(int argc, char **argv);     /* cmd_alerts.c */

struct vos_diags;
struct vos_model;

/* Subcommands of `vos case` on stored cases (cmd_case_store.c). */
int cli_case_create(int argc, char **argv);
int cli_case_set(int argc, char **argv);
int cli_case_unset(int argc, char **argv);
int cli_case_commit(int argc, char **argv);
int cli_case_show(int argc, char **argv);
int cli_case_transition(int argc, char **argv);
int cli_case_rebase(int argc, char **argv);
int cli_case_list(int argc, char **argv);
int cli_case_plan(int argc, char **argv); /* the success plan (cmd_realization.c) */

/* The demo's measurement history (demo_history.c): weekly points of every KPI committed in
 * the cases `case_ids` from its baseline date (CLI_DEMO_HISTORY_DAYS ago) to today, the last
 * KPI of the last case behind its plan; then the alerts are evaluated.  Returns CLI_OK or
 * prints the error and returns its status. */
#define CLI_DEMO_HISTORY_DAYS 182
struct vos_app;
int cli_demo_history(struct vos_app *app, const long long *case_ids, size_t n);

/* Renderers of computed cases shared by the case commands (cmd_case.c). */
struct vos_result;
struct vos_jw;
/* "NAME  (ID VERSION)" and the currency, horizon and discount rate. */
void cli_print_model_header(const struct vos_model *m);
/* The table of figures: benefits by lever, totals, NPV, IRR, payback, ROI per scenario. */
void cli_print_scenarios(const struct vos_model *m, struct vos_result *const res[3]);
/* The JSON of --format json is written by the shared renderers (src/render/render.h). */

/* Reads a whole file ("-" is standard input) into a NUL-terminated buffer of at most `max`
 * bytes.  Returns 0 with *out (caller frees) and *len, or prints "vos: PATH: reason" to
 * stderr and returns -1. */
int cli_read_file(char **out, size_t *len, const char *path, size_t max);

/* Prints diagnostics as `FILE:LINE:COL: error: message` lines to `to`, warnings too when
 * `warnings` is set. */
void cli_print_diags(FILE *to, const char *file, const struct vos_diags *d, int warnings);

/* Reads and loads a model file; on failure prints the errors to stderr and returns -1. */
int cli_load_model(struct vos_model **out, const char *path);

/* Whether argv[i] is -h or --help. */
int cli_is_help(const char *arg);

/* ---- options (args.c) ---- */

/* One option of a command.  A flag counts in *count; an option with a value stores the last
 * value in *value, or appends to many[0 .. max_many) (then *count is the number given). */
typedef struct cli_option {
    const char *name;   /* "--db" */
    const char **value; /* NULL for a flag */
    int *count;         /* may be NULL for options with a value */
    const char **many;  /* a repeatable option's values, or NULL */
    size_t max_many;
} cli_option;

/* The arguments of one command: its name for messages ("vos case set"), its help text, its
 * options and how many positional arguments it takes. */
typedef struct cli_args {
    const char *cmd, *help;
    cli_option *opts;
    size_t n_opts;
    size_t min_pos, max_pos;
    char **pos;   /* OUT: the positional arguments, gathered at the front of argv + 1 */
    size_t n_pos; /* OUT */
} cli_args;

/* Parses argv[1 .. argc): `--name value`, `--name=value`, flags, positional arguments
 * (including negative numbers), "--" ends the options.  The positional arguments are moved,
 * in order, to argv[1 .. 1 + n_pos) (as getopt permutes argv).  -h/--help prints the help to stdout
 * and returns -1; an unknown option, a missing value or a wrong number of positional
 * arguments prints a message naming it and returns CLI_USAGE; otherwise CLI_OK. */
int cli_parse_args(cli_args *a, int argc, char **argv);

/* Whether the --format value is "json" (1) or "table"/"text" (0); otherwise prints a usage
 * error for `cmd` and returns -1.  NULL means table. */
int cli_format_json(const char *cmd, const char *format);

/* ---- the database (db.c) ---- */

struct vos_app;

#define CLI_DB_DEFAULT "sqlite:vos.db"
#define CLI_DB_ENV "VOS_DB"

/* The database URL: `opt` (--db) when given, else $VOS_DB, else CLI_DB_DEFAULT.  Borrowed. */
const char *cli_db_url(const char *opt);

#define CLI_URL_SHOWN_MAX 4100 /* bytes of a store URL as shown (VOS_STORE_URL_MAX and more) */

/* `url` as the command line shows it: a password in "scheme://user:password@host" is
 * replaced by "***", so that messages and summaries never repeat one.  OUT: out. */
void cli_url_shown(char out[CLI_URL_SHOWN_MAX], const char *url);

/* Opens the application on the database `url`; on failure prints "vos CMD: message" and
 * returns the exit status to use (CLI_PROBLEMS or CLI_FAILED), else CLI_OK. */
int cli_app_open(struct vos_app **out, const char *cmd, const char *url);

/* The exit status for a libvos error code: CLI_PROBLEMS for a refused operation (invalid,
 * not found, conflict, stale revision, forbidden, too large, undefined number), CLI_FAILED
 * otherwise. */
int cli_status(int code);

/* Prints "vos CMD: <vos_error_last()>" to stderr and returns cli_status(code). */
int cli_fail(const char *cmd, int code);

/* Parses a database id (a whole number >= 1) named `what` for messages; prints a usage error
 * and returns -1 when it is not one. */
int cli_parse_id(long long *out, const char *cmd, const char *what, const char *text);

/* Writes the finished JSON of `w` and a newline to stdout.  Returns CLI_OK or CLI_FAILED. */
int cli_print_json(const char *cmd, struct vos_jw *w);

/* ---- whole lists (lists.c) ---- */

/* The rows of an app list operation that match `base` (filters and order; NULL for all), at
 * most `max` (0: every one), read page by page.  OUT: *out and *n, freed with the rows'
 * _free.  Errors as the list operation's. */
struct vos_account_row;
struct vos_model_row;
struct vos_case_row;
struct vos_audit_row;
struct vos_store_query;
int cli_accounts_all(struct vos_app *app, struct vos_account_row **out, size_t *n,
                     const struct vos_store_query *base, size_t max);
int cli_models_all(struct vos_app *app, struct vos_model_row **out, size_t *n,
                   const struct vos_store_query *base, size_t max);
int cli_cases_all(struct vos_app *app, struct vos_case_row **out, size_t *n,
                  const struct vos_store_query *base, size_t max);
int cli_audit_all(struct vos_app *app, struct vos_audit_row **out, size_t *n,
                  const struct vos_store_query *base, size_t max);

/* ---- tables (table.c) ---- */

#define CLI_TABLE_COLS_MAX 16

/* A text table: cells are added row by row (the first row is the header), then printed with
 * every column as wide as its widest cell.  Bit i of `right` right-aligns column i. */
typedef struct cli_table {
    size_t n_cols, n_cells, cap;
    char **cells;
    unsigned right;
    int oom; /* an allocation failed: printing reports it */
} cli_table;

void cli_table_init(cli_table *t, size_t n_cols, unsigned right);
void cli_table_cell(cli_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns CLI_OK, or CLI_FAILED when a cell could not be stored. */
int cli_table_print(FILE *to, const cli_table *t);
void cli_table_free(cli_table *t);

/* ---- KPI commitments (kpis.c) ---- */

struct vos_commitment_kpi_row;
struct vos_kpi_milestones;
/* Reads the KPI file of `vos case commit --kpis` (YAML or JSON; docs/cli.md).  Every problem
 * goes to `diags` with its line and column.  OUT: rows[0..n), owners[0..n) (the owner emails
 * as written, NULL when none) and ms[0..n) (each KPI's milestones, n = 0 when none), freed
 * with cli_kpis_free.  VOS_EINVALID when there is any error (then nothing is returned). */
int cli_kpis_load(struct vos_commitment_kpi_row **out, char ***owners,
                  struct vos_kpi_milestones **ms, size_t *n, const char *text, size_t len,
                  struct vos_diags *diags);
void cli_kpis_free(struct vos_commitment_kpi_row *rows, char **owners,
                   struct vos_kpi_milestones *ms, size_t n);

/* ---- changes (changes.c) ---- */

struct vos_changes;
/* Prints the element changes as a table, then the figures: scenario, figure, before, after,
 * change.  Returns CLI_OK or CLI_FAILED. */
int cli_print_changes(const struct vos_changes *ch);

#define CLI_JSON_MAX (256u << 20) /* bytes of one JSON document written by the CLI */

#endif
