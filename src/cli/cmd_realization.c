/* vos realization (show, portfolio) and vos case plan: the value delivered against the value
 * committed to, and the success plan of a commitment. */
#include "cli.h"

#include "render/render.h"
#include "render/render_realization.h"
#include "vos/app_realize.h"
#include "vos/error.h"
#include "vos/number.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DB_OPTION "  --db URL            the database (default $VOS_DB, else sqlite:vos.db)\n"
#define HELP_OPTION "  -h, --help          this help\n"
#define FORMAT_OPTION "  --format F          table (default) or json\n"
#define ASOF_OPTION                                                                                \
    "  --as-of WHEN        a date (the end of that day, UTC) or a UTC time; default now\n"
#define NUM_TEXT 64
#define PERCENT 100.0

static const char realization_help[] =
    "usage: vos realization show CASE [--as-of WHEN] [--format table|json] [--db URL]\n"
    "       vos realization portfolio [--as-of WHEN] [--format table|json] [--db URL]\n"
    "\n"
    "Realization: the value a committed case has delivered, from its measurements, against the\n"
    "value committed to (docs/realization.md).\n"
    "\n"
    "commands:\n"
    "  show CASE     one case: value planned and realized to date by driver and lever, ROI,\n"
    "                and each committed KPI against its plan (progress, variance, forecast)\n"
    "  portfolio     every committed case: committed against realized value, by account\n"
    "                (worst first) and by lever, with the alerts not resolved\n";

static const char show_help[] =
    "usage: vos realization show CASE [--as-of WHEN] [--format table|json] [--db URL]\n"
    "\n"
    "Shows the realization of a committed case (CASE is its id): the committed plan, recomputed\n"
    "from the pinned model version, against the value realized from the measurements of its\n"
    "KPIs, per driver and lever, and each KPI's progress, variance against its trajectory,\n"
    "staleness and forecast at its target date.\n"
    "\n"
    "options:\n" ASOF_OPTION FORMAT_OPTION DB_OPTION HELP_OPTION "\n"
    "Exit status: 0 shown, 1 refused (no such case, not committed), 2 usage, 3 failure.\n";

static const char portfolio_help[] =
    "usage: vos realization portfolio [--as-of WHEN] [--format table|json] [--db URL]\n"
    "\n"
    "Sums every committed case (committed, realizing, expanded, closed): committed value,\n"
    "planned and realized to date and the realization rate (realized / planned), by account\n"
    "(the worst first) and by lever, in the organisation's currency, with the number of\n"
    "alerts that are not resolved.\n"
    "\n"
    "options:\n" ASOF_OPTION FORMAT_OPTION DB_OPTION HELP_OPTION;

static const char plan_help[] =
    "usage: vos case plan CASE -o FILE [--format md|html] [--db URL]\n"
    "\n"
    "Writes the success plan of a committed case: the committed figures, the KPIs with their\n"
    "baselines, targets, dates, trajectories, tolerances, owners and data sources, and the\n"
    "planned values per quarter (per year for yearly models).  The format follows the file's\n"
    "extension (.md or .html) unless --format says; \"-o -\" writes to standard output.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE   where to write (- for standard output)\n"
    "  --format F          md (Markdown) or html (one self-contained page)\n" DB_OPTION HELP_OPTION;

/* ---- numbers for people --------------------------------------------------------------------- */

static const char *money(char buf[NUM_TEXT], double x)
{
    vos_num_grouped(buf, NUM_TEXT, x, 0);
    return buf;
}

static const char *pct(char buf[NUM_TEXT], double x)
{
    if (!isfinite(x))
        snprintf(buf, NUM_TEXT, "n/a");
    else
        snprintf(buf, NUM_TEXT, "%.1f%%", x * PERCENT);
    return buf;
}

static const char *val(char buf[NUM_TEXT], double x)
{
    if (!isfinite(x))
        snprintf(buf, NUM_TEXT, "n/a");
    else
        snprintf(buf, NUM_TEXT, "%.4g", x);
    return buf;
}

static int print_json_of(const char *cmd, void (*render)(vos_jw *, const void *), const void *x)
{
    vos_jw w;
    vos_jw_init(&w, CLI_JSON_MAX);
    render(&w, x);
    return cli_print_json(cmd, &w);
}

static void render_cr(vos_jw *w, const void *x)
{
    vos_render_realization(w, x);
}

static void render_portfolio(vos_jw *w, const void *x)
{
    vos_render_portfolio(w, x);
}

/* ---- show ----------------------------------------------------------------------------------- */

/* The KPI's state in the words of the alerts (docs/alerts-and-webhooks.md). */
static const char *kpi_state(const vos_kpi_status *s, double tolerance)
{
    if (isnan(s->actual)) return "no data";
    if (s->drifting) return "drifting";
    if (s->stale) return "stale";
    if (s->has_forecast && s->forecast_misses && s->forecast_progress < 1 - tolerance)
        return "forecast misses";
    return "on track";
}

static int show_kpis(const vos_case_realization *cr)
{
    cli_table t;
    cli_table_init(&t, 9, 0x1FE);
    const char *head[] = {"KPI", "baseline", "target", "planned", "actual",
                          "on",  "progress", "behind", "status"};
    for (size_t i = 0; i < 9; i++)
        cli_table_cell(&t, "%s", head[i]);
    for (size_t j = 0; j < cr->n_kpis; j++) {
        const vos_kpi_status *s = &cr->r->kpis[j];
        const vos_commitment_kpi_row *k = cr->kpis[j].commitment;
        char a[NUM_TEXT], b[NUM_TEXT];
        cli_table_cell(&t, "%s", k->kpi_key);
        cli_table_cell(&t, "%s", val(a, k->baseline_value));
        cli_table_cell(&t, "%s", val(a, k->target_value));
        cli_table_cell(&t, "%s", val(a, s->planned));
        cli_table_cell(&t, "%s", val(a, s->actual));
        cli_table_cell(&t, "%.10s", cr->kpis[j].actual_at[0] ? cr->kpis[j].actual_at : "-");
        cli_table_cell(&t, "%s", pct(a, s->progress));
        cli_table_cell(&t, "%s", pct(b, s->behind));
        cli_table_cell(&t, "%s", kpi_state(s, cr->plans[j].tolerance));
    }
    int rc = cli_table_print(stdout, &t);
    cli_table_free(&t);
    for (size_t j = 0; j < cr->n_kpis && rc == CLI_OK; j++) {
        const vos_kpi_status *s = &cr->r->kpis[j];
        char f[NUM_TEXT], lo[NUM_TEXT], hi[NUM_TEXT];
        if (s->has_forecast)
            printf("  %s forecast at %s: %s (%.0f%% interval %s .. %s)%s\n",
                   cr->kpis[j].commitment->kpi_key, cr->kpis[j].commitment->target_date,
                   val(f, s->forecast), VOS_FORECAST_LEVEL * PERCENT, val(lo, s->forecast_low),
                   val(hi, s->forecast_high), s->forecast_misses ? ", short of the target" : "");
    }
    return rc;
}

static int show_drivers(const vos_case_realization *cr)
{
    cli_table t;
    cli_table_init(&t, 5, 0x1C);
    const char *head[] = {"driver", "lever", "planned to date", "realized to date", "variance"};
    for (size_t i = 0; i < 5; i++)
        cli_table_cell(&t, "%s", head[i]);
    for (size_t d = 0; d < cr->model->n_drivers; d++) {
        const vos_driver_realization *dr = &cr->r->drivers[d];
        char a[NUM_TEXT];
        cli_table_cell(&t, "%s", cr->model->drivers[d].id);
        cli_table_cell(&t, "%s", vos_lever_name(cr->model->drivers[d].lever));
        cli_table_cell(&t, "%s", money(a, dr->planned_to_date));
        if (!dr->has_realized)
            cli_table_cell(&t, "(no realized formula)");
        else if (dr->missing_kpi < cr->model->n_kpis)
            cli_table_cell(&t, "(KPI %s not committed)", cr->model->kpis[dr->missing_kpi].id);
        else
            cli_table_cell(&t, "%s", money(a, dr->realized_to_date));
        cli_table_cell(&t, "%s", money(a, dr->variance));
    }
    int rc = cli_table_print(stdout, &t);
    cli_table_free(&t);
    return rc;
}

static int show_text(const vos_case_realization *cr)
{
    const vos_realization *r = cr->r;
    const vos_model *m = cr->model;
    char a[NUM_TEXT], b[NUM_TEXT], c[NUM_TEXT];
    printf("case %lld %s (%s), %s; model %s %s\n", (long long)cr->case_row->id, cr->case_row->name,
           cr->account->name, vos_case_stage_name(cr->case_row->stage), m->id, m->version);
    printf("as of %s; the plan starts %s: %d of %d %ss elapsed\n\n", cr->as_of, cr->start_date,
           r->periods_elapsed, m->periods, m->period == VOS_PERIOD_YEAR ? "year" : "month");
    printf("value (%s)        committed %s   planned to date %s   realized to date %s\n",
           m->currency, money(a, r->committed_total), money(b, r->planned_to_date),
           money(c, r->realized_to_date));
    printf("realized          %s of the plan to date, %s of the committed total\n",
           pct(a, r->percent_of_plan), pct(b, r->percent_of_total));
    printf("costs to date     %s; ROI to date planned %s, realized %s\n\n",
           money(a, r->costs_to_date), pct(b, r->roi_planned), pct(c, r->roi_realized));
    int rc = show_kpis(cr);
    if (rc == CLI_OK) {
        putchar('\n');
        rc = show_drivers(cr);
    }
    return rc;
}

static int cmd_show(int argc, char **argv)
{
    const char *db = NULL, *format = NULL, *as_of = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0},
                         {"--format", &format, NULL, NULL, 0},
                         {"--as-of", &as_of, NULL, NULL, 0}};
    cli_args a = {"vos realization show", show_help, opts, 3, 1, 1, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    long long id;
    int json = cli_format_json(a.cmd, format);
    if (json < 0 || cli_parse_id(&id, a.cmd, "the case ID", a.pos[0]) < 0) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_case_realization *cr = NULL;
    int err = vos_app_case_realization(app, &who, id, as_of, &cr);
    if (err == VOS_EINVALID && strstr(vos_error_last(), "as_of")) {
        fprintf(stderr, "%s: %s\n", a.cmd, vos_error_last());
        rc = CLI_USAGE;
    } else if (err < 0) {
        rc = cli_fail(a.cmd, err);
    } else {
        rc = json ? print_json_of(a.cmd, render_cr, cr) : show_text(cr);
    }
    vos_case_realization_free(cr);
    vos_app_close(app);
    return rc;
}

/* ---- portfolio ------------------------------------------------------------------------------ */

static int portfolio_text(const vos_portfolio *p)
{
    char a[NUM_TEXT], b[NUM_TEXT], c[NUM_TEXT], d[NUM_TEXT];
    printf("portfolio as of %s (%s): %zu committed case%s, %zu alert%s not resolved\n", p->as_of,
           p->currency, p->cases, p->cases == 1 ? "" : "s", p->open_alerts,
           p->open_alerts == 1 ? "" : "s");
    printf("committed %s   planned to date %s   realized to date %s   realization rate %s\n\n",
           money(a, p->committed_total), money(b, p->planned_to_date),
           money(c, p->realized_to_date), pct(d, p->realization_rate));
    cli_table t;
    cli_table_init(&t, 7, 0x7E);
    const char *head[] = {"account",          "cases", "committed", "planned to date",
                          "realized to date", "rate",  "alerts"};
    for (size_t i = 0; i < 7; i++)
        cli_table_cell(&t, "%s", head[i]);
    for (size_t i = 0; i < p->n_accounts; i++) {
        const vos_portfolio_account *x = &p->accounts[i];
        cli_table_cell(&t, "%s", x->name);
        cli_table_cell(&t, "%zu", x->cases);
        cli_table_cell(&t, "%s", money(a, x->committed_total));
        cli_table_cell(&t, "%s", money(a, x->planned_to_date));
        cli_table_cell(&t, "%s", money(a, x->realized_to_date));
        cli_table_cell(&t, "%s", pct(a, x->realization_rate));
        cli_table_cell(&t, "%zu", x->open_alerts);
    }
    int rc = cli_table_print(stdout, &t);
    cli_table_free(&t);
    if (rc != CLI_OK) return rc;
    putchar('\n');
    cli_table_init(&t, 4, 0xE);
    const char *lh[] = {"lever", "committed", "planned to date", "realized to date"};
    for (size_t i = 0; i < 4; i++)
        cli_table_cell(&t, "%s", lh[i]);
    for (int l = 0; l < VOS_LEVER_COUNT; l++) {
        cli_table_cell(&t, "%s", vos_lever_name((vos_lever)l));
        cli_table_cell(&t, "%s", money(a, p->lever_committed[l]));
        cli_table_cell(&t, "%s", money(a, p->lever_planned[l]));
        cli_table_cell(&t, "%s", money(a, p->lever_realized[l]));
    }
    rc = cli_table_print(stdout, &t);
    cli_table_free(&t);
    for (size_t i = 0; i < p->n_skipped; i++)
        printf("skipped case %lld: %s\n", (long long)p->skipped[i].case_id, p->skipped[i].reason);
    return rc;
}

static int cmd_portfolio(int argc, char **argv)
{
    const char *db = NULL, *format = NULL, *as_of = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0},
                         {"--format", &format, NULL, NULL, 0},
                         {"--as-of", &as_of, NULL, NULL, 0}};
    cli_args a = {"vos realization portfolio", portfolio_help, opts, 3, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(a.cmd, format);
    if (json < 0) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_portfolio *p = NULL;
    int err = vos_app_portfolio(app, &who, as_of, &p);
    if (err < 0)
        rc = cli_fail(a.cmd, err);
    else
        rc = json ? print_json_of(a.cmd, render_portfolio, p) : portfolio_text(p);
    vos_portfolio_free(p);
    vos_app_close(app);
    return rc;
}

int vos_cmd_realization(int argc, char **argv)
{
    if (argc < 2) {
        fputs(realization_help, stderr);
        return CLI_USAGE;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        fputs(realization_help, stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "show") == 0) return cmd_show(argc - 1, argv + 1);
    if (strcmp(argv[1], "portfolio") == 0) return cmd_portfolio(argc - 1, argv + 1);
    fprintf(stderr, "vos realization: unknown command '%s' (see vos realization --help)\n",
            argv[1]);
    return CLI_USAGE;
}

/* ---- vos case plan -------------------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* html: 1, md: 0, or -1 after a usage message. */
static int plan_format(const char *cmd, const char *format, const char *out)
{
    if (format) {
        if (strcmp(format, "html") == 0) return 1;
        if (strcmp(format, "md") == 0 || strcmp(format, "markdown") == 0) return 0;
        fprintf(stderr, "%s: --format must be md or html, not '%s'\n", cmd, format);
        return -1;
    }
    if (ends_with(out, ".html") || ends_with(out, ".htm")) return 1;
    if (ends_with(out, ".md") || strcmp(out, "-") == 0) return 0;
    fprintf(stderr,
            "%s: cannot tell the format from '%s': name it .md or .html, or give "
            "--format\n",
            cmd, out);
    return -1;
}

static int write_out(const char *cmd, const char *path, const char *text, size_t len)
{
    if (strcmp(path, "-") == 0) {
        fwrite(text, 1, len, stdout);
        return CLI_OK;
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "%s: %s: %s\n", cmd, path, strerror(errno));
        if (f) fclose(f);
        return CLI_FAILED;
    }
    return CLI_OK;
}

int cli_case_plan(int argc, char **argv)
{
    const char *db = NULL, *format = NULL, *out = NULL, *o = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0},
                         {"--format", &format, NULL, NULL, 0},
                         {"--output", &out, NULL, NULL, 0},
                         {"-o", &o, NULL, NULL, 0}};
    cli_args a = {"vos case plan", plan_help, opts, 4, 1, 1, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    if (!out) out = o;
    long long id;
    if (cli_parse_id(&id, a.cmd, "the case ID", a.pos[0]) < 0) return CLI_USAGE;
    if (!out) {
        fprintf(stderr,
                "%s: give the file to write with -o FILE (.md or .html; - for standard "
                "output)\n",
                a.cmd);
        return CLI_USAGE;
    }
    int html = plan_format(a.cmd, format, out);
    if (html < 0) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_success_plan *p = NULL;
    char *text = NULL;
    size_t len = 0;
    int err = vos_app_success_plan(app, &who, id, &p);
    if (err == 0) err = vos_render_success_plan(&text, &len, p, html);
    if (err < 0)
        rc = cli_fail(a.cmd, err);
    else
        rc = write_out(a.cmd, out, text, len);
    free(text);
    vos_success_plan_free(p);
    vos_app_close(app);
    return rc;
}
