/* vos case: compute, simulate and explain a business case from a value model file or a stored
 * case; the commands on stored cases (create, set, commit, ...) are in cmd_case_store.c. */
#include "cli.h"

#include "vos/app.h"
#include "vos/engine.h"
#include "vos/error.h"
#include "vos/jsonw.h"
#include "vos/number.h"

#include "render/render.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define JSON_OUTPUT_MAX (256u << 20)

typedef enum { FMT_TABLE, FMT_JSON, FMT_CSV } out_format;

typedef struct case_opts {
    const char *model_path, *inputs_path, *figure;
    const char *case_id, *db; /* --case ID (a stored case instead of a model file), --db URL */
    vos_scenario scenario;
    out_format format;
    size_t simulate;
    uint64_t seed;
    int tornado, monthly;
} case_opts;

static const char compute_help[] =
    "usage: vos case compute MODEL [options]\n"
    "       vos case compute --case ID [--db URL] [options]\n"
    "\n"
    "Computes the business case of a value model: the three scenarios side by side\n"
    "(conservative, expected, optimistic), the cash flow of one scenario, and on request a\n"
    "Monte Carlo simulation and a tornado of input sensitivities.\n"
    "\n"
    "options:\n"
    "  --case ID           compute a stored case (its pinned model version and overrides)\n"
    "                      instead of a model file\n"
    "  --db URL            the database of --case (default $VOS_DB, else sqlite:vos.db)\n"
    "  --inputs FILE       input overrides (YAML or JSON): `id: value`, `id: \"0.1 h\"` or\n"
    "                      `id: {value: V, low: L, high: H}`; with --case, applied on top\n"
    "                      of the case's own overrides (nothing is stored)\n"
    "  --scenario S        conservative | expected | optimistic: the scenario whose cash flow\n"
    "                      is shown (default expected)\n"
    "  --simulate [N]      run N Monte Carlo iterations (1 .. 1000000; default 10000)\n"
    "  --seed S            seed of the simulation (default 1): the same seed gives the same\n"
    "                      result on every machine\n"
    "  --tornado           rank inputs by the NPV swing over their range\n"
    "  --monthly           cash flow per period instead of per year (table format)\n"
    "  --format F          table (default), json or csv (csv: the cash flow per period)\n"
    "  -h, --help          this help\n"
    "\n"
    "example: vos case compute models/service-desk-automation.yaml --simulate 10000 --tornado\n";

static const char explain_help[] =
    "usage: vos case explain MODEL FIGURE [options]\n"
    "       vos case explain --case ID FIGURE [--db URL] [options]\n"
    "\n"
    "Explains one figure of a business case: its formula, the input values with units,\n"
    "evidence and confidence, how units were converted, and the arithmetic that gives it.\n"
    "\n"
    "FIGURE is one of npv, irr, roi, payback, benefits, costs, net, driver:ID, cost:ID,\n"
    "lever:revenue|cost|risk; all but npv, irr, roi and payback take an optional :yearN,\n"
    "e.g. driver:agent_time:year2.\n"
    "\n"
    "options:\n"
    "  --case ID           explain a figure of a stored case instead of a model file\n"
    "  --db URL            the database of --case (default $VOS_DB, else sqlite:vos.db)\n"
    "  --inputs FILE       input overrides, as for vos case compute\n"
    "  --scenario S        conservative | expected (default) | optimistic\n"
    "  --format F          text (default) or json\n"
    "  -h, --help          this help\n";

static const char case_help[] =
    "usage: vos case <command> [options]\n"
    "\n"
    "From a model file (or a stored case with --case ID):\n"
    "  compute MODEL           compute scenarios, cash flow, simulation and sensitivity\n"
    "  explain MODEL FIGURE    explain one figure back to its formulas, inputs and evidence\n"
    "\n"
    "Stored cases (--db URL, default $VOS_DB, else sqlite:vos.db):\n"
    "  create                  create a case for an account on a model version\n"
    "  set ID INPUT VALUE      override one input of a hypothesis case\n"
    "  unset ID INPUT          remove an override\n"
    "  commit ID               commit to the case (and its KPIs): freezes a snapshot\n"
    "  show ID                 the case, its overrides and its figures\n"
    "  transition ID STAGE     move a case along its lifecycle\n"
    "  rebase ID VERSION       move a hypothesis case to another version of its model\n"
    "  list                    list the cases\n"
    "  plan ID -o FILE         write the success plan of a committed case (.md or .html)\n"
    "\n"
    "`vos case <command> --help` describes each command.\n";

static int parse_u64(uint64_t *out, const char *s)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno)
        return -1;
    *out = v;
    return 0;
}

/* Whether s is a whole number (the optional value of --simulate). */
static int is_count(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Assigns the positional arguments: MODEL [FIGURE], or FIGURE alone with --case. */
static int take_positionals(case_opts *o, const char *pos[2], int n, int explain)
{
    const char *help = explain ? explain_help : compute_help;
    int want = (o->case_id ? 0 : 1) + (explain ? 1 : 0);
    if (n > want) {
        fprintf(stderr, "vos case: unexpected argument '%s' (see --help)\n", pos[want]);
        return CLI_USAGE;
    }
    if (n < want) {
        fputs(help, stderr);
        return CLI_USAGE;
    }
    if (!o->case_id)
        o->model_path = pos[0];
    if (explain)
        o->figure = pos[n - 1];
    if (o->db && !o->case_id) {
        fprintf(stderr, "vos case: --db goes with --case ID\n");
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* Parses the options shared by compute and explain.  Returns CLI_OK, or a CLI_* status to exit
 * with (help printed, usage error reported). */
static int parse_opts(case_opts *o, int argc, char **argv, int explain)
{
    const char *help = explain ? explain_help : compute_help;
    memset(o, 0, sizeof *o);
    o->scenario = VOS_SCENARIO_EXPECTED;
    o->seed = 1;
    int positional = 0;
    const char *pos[2] = {NULL, NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (cli_is_help(a)) {
            fputs(help, stdout);
            return -1;
        }
        size_t klen = strcspn(a, "=");
        static const char *const with_value[] = {"--inputs",   "--scenario", "--format",
                                                 "--simulate", "--seed",     "--case",
                                                 "--db"};
        int takes_value = 0;
        for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++)
            takes_value |= klen == strlen(with_value[k]) && strncmp(a, with_value[k], klen) == 0;
        int optional = klen == strlen("--simulate") && strncmp(a, "--simulate", klen) == 0;
        if (optional && a[klen] != '=' && (i + 1 >= argc || !is_count(argv[i + 1]))) {
            val = ""; /* --simulate alone: the default number of iterations */
        } else if (takes_value) {
            if (a[klen] == '=') {
                val = a + klen + 1;
            } else if (i + 1 < argc) {
                val = argv[++i];
            } else {
                fprintf(stderr, "vos case: %s needs a value\n", a);
                return CLI_USAGE;
            }
        }
#define IS(opt) (klen == strlen(opt) && strncmp(a, opt, klen) == 0)
        if (IS("--inputs")) {
            o->inputs_path = val;
        } else if (IS("--case")) {
            o->case_id = val;
        } else if (IS("--db")) {
            o->db = val;
        } else if (IS("--scenario")) {
            if (vos_scenario_parse(&o->scenario, val) < 0) {
                fprintf(stderr, "vos case: --scenario: %s\n", vos_error_last());
                return CLI_USAGE;
            }
        } else if (IS("--format")) {
            if (strcmp(val, "json") == 0)
                o->format = FMT_JSON;
            else if (strcmp(val, "table") == 0 || strcmp(val, "text") == 0)
                o->format = FMT_TABLE;
            else if (strcmp(val, "csv") == 0 && !explain)
                o->format = FMT_CSV;
            else {
                fprintf(stderr, "vos case: --format must be %s, not '%s'\n",
                        explain ? "text or json" : "table, json or csv", val);
                return CLI_USAGE;
            }
        } else if (!explain && IS("--simulate")) {
            uint64_t n = VOS_SIM_ITER_DEFAULT;
            if (*val && (parse_u64(&n, val) < 0 || n < 1 || n > VOS_SIM_ITER_MAX)) {
                fprintf(stderr, "vos case: --simulate takes 1 .. %d iterations, not '%s'\n",
                        VOS_SIM_ITER_MAX, val);
                return CLI_USAGE;
            }
            o->simulate = (size_t)n;
        } else if (!explain && IS("--seed")) {
            if (parse_u64(&o->seed, val) < 0) {
                fprintf(stderr, "vos case: --seed takes a whole number >= 0, not '%s'\n", val);
                return CLI_USAGE;
            }
        } else if (!explain && strcmp(a, "--tornado") == 0) {
            o->tornado = 1;
        } else if (!explain && strcmp(a, "--monthly") == 0) {
            o->monthly = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "vos case: unknown option '%s' (see --help)\n", a);
            return CLI_USAGE;
        } else if (positional < 2) {
            pos[positional++] = a;
        } else {
            fprintf(stderr, "vos case: unexpected argument '%s' (see --help)\n", a);
            return CLI_USAGE;
        }
#undef IS
    }
    return take_positionals(o, pos, positional, explain);
}

/* Opens the stored case --case ID. */
static int open_stored_case(vos_model **m, vos_case **c, const case_opts *o)
{
    long long id;
    if (cli_parse_id(&id, "vos case", "--case", o->case_id) < 0)
        return CLI_USAGE;
    vos_app *app = NULL;
    int rc = cli_app_open(&app, "vos case", cli_db_url(o->db));
    if (rc != CLI_OK)
        return rc;
    vos_actor who = vos_actor_system();
    int err = vos_app_case_open(app, &who, id, m, c);
    vos_app_close(app);
    return err < 0 ? cli_fail("vos case", err) : CLI_OK;
}

/* Loads the model and the overrides into a new case (or opens the stored case and applies
 * the overrides on top). */
static int open_case(vos_model **m, vos_case **c, const case_opts *o)
{
    *m = NULL;
    *c = NULL;
    if (o->case_id) {
        int rc = open_stored_case(m, c, o);
        if (rc != CLI_OK)
            return rc;
    } else if (cli_load_model(m, o->model_path) < 0) {
        return CLI_PROBLEMS;
    } else if (vos_case_new(c, *m) < 0) {
        fprintf(stderr, "vos case: %s\n", vos_error_last());
        return CLI_FAILED;
    }
    if (!o->inputs_path)
        return CLI_OK;
    char *text = NULL;
    size_t len = 0;
    if (cli_read_file(&text, &len, o->inputs_path, VOS_MODEL_BYTES_MAX) < 0)
        return CLI_FAILED;
    vos_diags d;
    vos_diags_init(&d);
    int rc = vos_case_load_overrides(*c, text, len, &d);
    vos_diags_sort(&d);
    cli_print_diags(stderr, o->inputs_path, &d, 0);
    vos_diags_free(&d);
    free(text);
    return rc < 0 ? CLI_PROBLEMS : CLI_OK;
}

/* --- formatting helpers --- */

typedef struct cell {
    char s[64];
} cell;

static cell money(double x)
{
    cell c;
    vos_num_grouped(c.s, sizeof c.s, x, 0);
    return c;
}

static cell fixed(double x, int dec)
{
    cell c;
    vos_num_grouped(c.s, sizeof c.s, x, dec);
    return c;
}

static cell percent_dec(double x, int ok, int dec)
{
    cell c;
    if (!ok || !isfinite(x)) {
        snprintf(c.s, sizeof c.s, "n/a");
        return c;
    }
    vos_num_grouped(c.s, sizeof c.s, x * 100, dec);
    strcat(c.s, "%");
    return c;
}

static cell percent(double x, int ok)
{
    return percent_dec(x, ok, 1);
}

static cell months(double x, int ok)
{
    cell c;
    if (!ok)
        snprintf(c.s, sizeof c.s, "never");
    else
        vos_num_grouped(c.s, sizeof c.s, x, 1);
    return c;
}

static cell shortest(double x)
{
    cell c;
    if (isfinite(x))
        vos_num_shortest(c.s, sizeof c.s, x == 0 ? 0.0 : x);
    else
        c.s[0] = '\0';
    return c;
}

static const char *period_name(const vos_model *m)
{
    return m->period == VOS_PERIOD_YEAR ? "year" : "month";
}

/* --- table output --- */

void cli_print_model_header(const vos_model *m)
{
    printf("%s  (%s %s)\n", m->name, m->id, m->version);
    printf("%s, %d year%s by %s, discount rate %s%%/year\n\n", m->currency, m->horizon_years,
           m->horizon_years == 1 ? "" : "s", period_name(m), fixed(m->discount_rate * 100, 2).s);
}

void cli_print_scenarios(const vos_model *m, vos_result *const res[VOS_SCENARIO_COUNT])
{
    printf("%-24s", "");
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++)
        printf("%16s", vos_scenario_name((vos_scenario)s));
    printf("\n");
#define ROW(label, expr)                                                                           \
    do {                                                                                           \
        printf("%-24s", label);                                                                    \
        for (int s = 0; s < VOS_SCENARIO_COUNT; s++) {                                             \
            const vos_result *r = res[s];                                                          \
            printf("%16s", (expr).s);                                                              \
        }                                                                                          \
        printf("\n");                                                                              \
    } while (0)
    for (int l = 0; l < VOS_LEVER_COUNT; l++) {
        char label[40];
        snprintf(label, sizeof label, "Benefits: %s", vos_lever_name((vos_lever)l));
        ROW(label, money(r->lever_total[l]));
    }
    ROW("Total benefits", money(r->benefits_total));
    ROW("Total costs", money(r->costs_total));
    ROW("Net value", money(r->net_total));
    char npv[40];
    snprintf(npv, sizeof npv, "NPV (%s)", m->currency);
    ROW(npv, money(r->npv));
    ROW("IRR (annual)", percent(r->irr, r->has_irr));
    ROW("Payback (months)", months(r->payback_months, r->has_payback));
    ROW("ROI", percent(r->roi, r->has_roi));
#undef ROW
}

static void print_cash_flow(const vos_model *m, const vos_result *r, int monthly)
{
    size_t W = (size_t)r->periods + 1;
    int ppy = m->period == VOS_PERIOD_YEAR ? 1 : 12;
    int cols = monthly ? r->periods : m->horizon_years;
    printf("\nCash flow by %s, %s scenario (%s)\n", monthly ? period_name(m) : "year",
           vos_scenario_name(r->scenario), m->currency);
    size_t lw = 14;
    for (size_t d = 0; d < m->n_drivers; d++)
        if (strlen(m->drivers[d].id) + 10 > lw)
            lw = strlen(m->drivers[d].id) + 10;
    for (size_t k = 0; k < m->n_costs; k++)
        if (strlen(m->costs[k].id) + 2 > lw)
            lw = strlen(m->costs[k].id) + 2;
    printf("%-*s%14s", (int)lw, "", "up front");
    for (int y = 1; y <= cols; y++) {
        char h[24];
        snprintf(h, sizeof h, "%s %d", monthly ? period_name(m) : "year", y);
        printf("%14s", h);
    }
    printf("%16s\n", "total");
    /* one row: the up-front entry, then sums over each column's periods, then the total */
#define LINE(label, arr, cumulative)                                                               \
    do {                                                                                           \
        const double *a_ = (arr);                                                                  \
        printf("%-*s%14s", (int)lw, label, money(a_[0]).s);                                        \
        double tot_ = a_[0];                                                                       \
        for (int c_ = 1; c_ <= cols; c_++) {                                                       \
            int per_ = monthly ? 1 : ppy;                                                          \
            double s_ = 0;                                                                         \
            for (int t_ = (c_ - 1) * per_ + 1; t_ <= c_ * per_; t_++)                              \
                s_ += a_[t_];                                                                      \
            if (cumulative)                                                                        \
                s_ = a_[c_ * per_];                                                                \
            else                                                                                   \
                tot_ += s_;                                                                        \
            printf("%14s", money(s_).s);                                                           \
        }                                                                                          \
        printf("%16s\n", cumulative ? "" : money(tot_).s);                                         \
    } while (0)
    for (size_t d = 0; d < m->n_drivers; d++) {
        char label[VOS_ID_MAX + 16];
        snprintf(label, sizeof label, "%s (%s)", m->drivers[d].id,
                 vos_lever_name(m->drivers[d].lever));
        LINE(label, r->benefit + d * W, 0);
    }
    LINE("Benefits", r->benefits, 0);
    for (size_t k = 0; k < m->n_costs; k++)
        LINE(m->costs[k].id, r->cost + k * W, 0);
    LINE("Costs", r->costs, 0);
    LINE("Net", r->net, 0);
    LINE("Cumulative", r->cumulative, 1);
#undef LINE
}

static void print_inputs(const vos_model *m, vos_case *c, vos_result *const res[])
{
    printf("\nInputs (the scenario columns show the value each scenario used)\n");
    printf("%-22s %-12s%14s%14s%14s  %-12s %s\n", "input", "unit", "low", "value", "high",
           "dist", "conservative / optimistic");
    for (size_t i = 0; i < m->n_inputs; i++) {
        const vos_dist *d = vos_case_input(c, i);
        int ranged = d->low < d->high;
        printf("%-22s %-12s%14s%14s%14s  %-12s %s / %s\n", m->inputs[i].id,
               m->inputs[i].unit_text, ranged ? fixed(d->low, 2).s : "",
               fixed(d->likely, 2).s, ranged ? fixed(d->high, 2).s : "",
               vos_dist_kind_name(d->kind),
               vos_input_end_name(res[VOS_SCENARIO_CONSERVATIVE]->ends[i]),
               vos_input_end_name(res[VOS_SCENARIO_OPTIMISTIC]->ends[i]));
    }
}

static void print_simulation(const vos_model *m, const vos_simulation *s)
{
    printf("\nMonte Carlo: %s iterations, seed %" PRIu64 "\n", fixed((double)s->iterations, 0).s,
           s->seed);
    printf("%-10s%16s%16s%16s%16s%16s\n", "", "mean", "sd", "P10", "P50", "P90");
    printf("%-10s%16s%16s%16s%16s%16s\n", "NPV", money(s->npv.mean).s, money(s->npv.sd).s,
           money(s->npv.p10).s, money(s->npv.p50).s, money(s->npv.p90).s);
    printf("%-10s%16s%16s%16s%16s%16s\n", "ROI", percent(s->roi.mean, 1).s,
           percent(s->roi.sd, 1).s, percent(s->roi.p10, 1).s, percent(s->roi.p50, 1).s,
           percent(s->roi.p90, 1).s);
    printf("P(NPV > 0): %s\n", percent_dec(s->p_npv_positive, 1, 2).s);
    printf("NPV histogram (%s)\n", m->currency);
    size_t peak = 1;
    for (int b = 0; b < VOS_SIM_BINS; b++)
        if (s->hist[b] > peak)
            peak = s->hist[b];
    double w = (s->hist_max - s->hist_min) / VOS_SIM_BINS;
    for (int b = 0; b < VOS_SIM_BINS; b++) {
        char bar[41];
        size_t n = s->hist[b] * 40 / peak;
        memset(bar, '#', n);
        bar[n] = '\0';
        printf("%14s .. %-14s %-40s %zu\n", money(s->hist_min + b * w).s,
               money(s->hist_min + (b + 1) * w).s, bar, s->hist[b]);
    }
}

static void print_tornado(const vos_model *m, const vos_tornado_bar *bars, size_t n)
{
    printf("\nSensitivity of NPV: each ranged input from low to high, the others at their "
           "values\n");
    printf("%-22s%14s%14s%16s%16s%16s\n", "input", "low", "high", "NPV at low", "NPV at high",
           "swing");
    for (size_t i = 0; i < n; i++)
        printf("%-22s%14s%14s%16s%16s%16s\n", m->inputs[bars[i].input].id,
               fixed(bars[i].low, 2).s, fixed(bars[i].high, 2).s, money(bars[i].npv_low).s,
               money(bars[i].npv_high).s, money(bars[i].swing).s);
}

/* --- JSON output --- */

static int print_json(vos_jw *w)
{
    char *text;
    size_t len;
    if (vos_jw_finish(w, &text, &len) < 0) {
        fprintf(stderr, "vos case: %s\n", vos_error_last());
        return CLI_FAILED;
    }
    fwrite(text, 1, len, stdout);
    putchar('\n');
    free(text);
    return CLI_OK;
}

static int output_json(const vos_case *c, vos_result *const res[], const case_opts *o,
                       const vos_simulation *sim, const vos_tornado_bar *bars, size_t n_bars)
{
    const vos_model *m = vos_case_model(c);
    vos_policy_warning *ws = NULL;
    size_t n_ws = 0;
    if (vos_case_policy(c, &ws, &n_ws) < 0) {
        fprintf(stderr, "vos case: %s\n", vos_error_last());
        return CLI_FAILED;
    }
    vos_jw w;
    vos_jw_init(&w, JSON_OUTPUT_MAX);
    vos_jw_object(&w);
    vos_render_figures(&w, m, res, o->scenario, true);
    vos_render_warnings(&w, ws, n_ws);
    free(ws);
    if (sim) {
        vos_jw_key(&w, "simulation");
        vos_render_simulation(&w, sim);
    }
    if (bars) {
        vos_jw_key(&w, "tornado");
        vos_render_tornado(&w, m, bars, n_bars);
    }
    vos_jw_end(&w);
    return print_json(&w);
}

static void output_csv(const vos_model *m, const vos_result *r)
{
    size_t W = (size_t)r->periods + 1;
    printf("period");
    for (size_t d = 0; d < m->n_drivers; d++)
        printf(",%s", m->drivers[d].id);
    printf(",benefits");
    for (size_t k = 0; k < m->n_costs; k++)
        printf(",%s", m->costs[k].id);
    printf(",costs,net,cumulative\n");
    for (size_t t = 0; t < W; t++) {
        printf("%zu", t);
        for (size_t d = 0; d < m->n_drivers; d++)
            printf(",%s", shortest(r->benefit[d * W + t]).s);
        printf(",%s", shortest(r->benefits[t]).s);
        for (size_t k = 0; k < m->n_costs; k++)
            printf(",%s", shortest(r->cost[k * W + t]).s);
        printf(",%s,%s,%s\n", shortest(r->costs[t]).s, shortest(r->net[t]).s,
               shortest(r->cumulative[t]).s);
    }
}

static int cmd_compute(int argc, char **argv)
{
    case_opts o;
    int rc = parse_opts(&o, argc, argv, 0);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    vos_model *m = NULL;
    vos_case *c = NULL;
    vos_result *res[VOS_SCENARIO_COUNT] = {0};
    vos_tornado_bar *bars = NULL;
    size_t n_bars = 0;
    vos_simulation sim;
    if ((rc = open_case(&m, &c, &o)) != CLI_OK)
        goto out;
    rc = CLI_FAILED;
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++)
        if (vos_result_new(&res[s], m) < 0 || vos_case_compute(c, (vos_scenario)s, res[s]) < 0) {
            fprintf(stderr, "vos case: %s: %s scenario: %s\n",
                    o.model_path ? o.model_path : m->id, vos_scenario_name((vos_scenario)s),
                    vos_error_last());
            goto out;
        }
    if (o.tornado) {
        bars = calloc(m->n_inputs + 1, sizeof *bars);
        if (!bars || vos_case_tornado(c, bars, &n_bars) < 0) {
            fprintf(stderr, "vos case: tornado: %s\n", bars ? vos_error_last() : "out of memory");
            goto out;
        }
    }
    if (o.simulate && vos_case_simulate(c, o.simulate, o.seed, &sim) < 0) {
        fprintf(stderr, "vos case: simulation: %s\n", vos_error_last());
        goto out;
    }
    rc = CLI_OK;
    if (o.format == FMT_JSON) {
        rc = output_json(c, res, &o, o.simulate ? &sim : NULL, bars, n_bars);
    } else if (o.format == FMT_CSV) {
        output_csv(m, res[o.scenario]);
    } else {
        cli_print_model_header(m);
        cli_print_scenarios(m, res);
        print_cash_flow(m, res[o.scenario], o.monthly);
        print_inputs(m, c, res);
        if (o.tornado)
            print_tornado(m, bars, n_bars);
        if (o.simulate)
            print_simulation(m, &sim);
    }
out:
    free(bars);
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++)
        vos_result_free(res[s]);
    vos_case_free(c);
    vos_model_free(m);
    return rc;
}

static void explain_text(const vos_explanation *e, const char *scenario)
{
    int dec = fabs(e->value) >= 1000 ? 2 : 6;
    printf("%s = %s %s  (%s scenario)\n", e->figure, fixed(e->value, dec).s, e->unit, scenario);
    printf("  = %s\n\n", e->formula);
    size_t lw = 8;
    for (size_t i = 0; i < e->n_terms; i++)
        if (strlen(e->terms[i].label) > lw)
            lw = strlen(e->terms[i].label);
    for (size_t i = 0; i < e->n_terms; i++) {
        const vos_explain_term *t = &e->terms[i];
        int d = fabs(t->value) >= 1000 ? 2 : fabs(t->value) >= 1 ? 4 : 6;
        printf("  %-*s %18s %-12s %s\n", (int)lw, t->label, fixed(t->value, d).s, t->unit,
               t->detail);
    }
}

static int explain_json(const vos_explanation *e, const case_opts *o, const vos_model *m)
{
    vos_jw w;
    vos_jw_init(&w, JSON_OUTPUT_MAX);
    vos_render_explanation(&w, m, o->scenario, e);
    return print_json(&w);
}

static int cmd_explain(int argc, char **argv)
{
    case_opts o;
    int rc = parse_opts(&o, argc, argv, 1);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    vos_model *m = NULL;
    vos_case *c = NULL;
    vos_explanation *e = NULL;
    vos_figure f;
    if ((rc = open_case(&m, &c, &o)) != CLI_OK)
        goto out;
    if (vos_figure_parse(&f, m, o.figure) < 0) {
        fprintf(stderr, "vos case explain: %s\n", vos_error_last());
        rc = CLI_USAGE;
        goto out;
    }
    if (vos_case_explain(&e, c, o.scenario, &f) < 0) {
        fprintf(stderr, "vos case explain: %s\n", vos_error_last());
        rc = CLI_FAILED;
        goto out;
    }
    if (o.format == FMT_JSON)
        rc = explain_json(e, &o, m);
    else
        explain_text(e, vos_scenario_name(o.scenario));
out:
    vos_explanation_free(e);
    vos_case_free(c);
    vos_model_free(m);
    return rc;
}

static const struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
} subcommands[] = {
    {"compute", cmd_compute},         {"explain", cmd_explain},
    {"create", cli_case_create},      {"set", cli_case_set},
    {"unset", cli_case_unset},        {"commit", cli_case_commit},
    {"show", cli_case_show},          {"transition", cli_case_transition},
    {"rebase", cli_case_rebase},      {"list", cli_case_list},
    {"plan", cli_case_plan},
};

int vos_cmd_case(int argc, char **argv)
{
    if (argc < 2) {
        fputs(case_help, stderr);
        return CLI_USAGE;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        fputs(case_help, stdout);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof subcommands / sizeof *subcommands; i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "vos case: unknown command '%s' (see vos case --help)\n", argv[1]);
    return CLI_USAGE;
}
