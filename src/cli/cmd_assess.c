/* vos assess: the maturity self-assessment against the Ecosystems' Value Blueprint
 * (docs/maturity.md): the blueprint, taking an assessment (assess_take.c), showing one with
 * the indicators from usage, the history, the roadmap and the HTML report. */
#include "assess.h"
#include "cli.h"

#include "render/render_assess.h"
#include "vos/error.h"
#include "vos/jsonw.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EVIDENCE_SHOWN 60 /* characters of evidence shown in a table (JSON has all of it) */
#define PERCENT 100.0

static const char assess_help[] =
    "usage: vos assess <command> [options]\n"
    "\n"
    "The value maturity self-assessment against the Ecosystems' Value Blueprint: 5 stages,\n"
    "15 dimensions in 3 pillars (docs/maturity.md).\n"
    "\n"
    "commands:\n"
    "  blueprint         print the stages, the dimensions and the actions between stages\n"
    "  take              record an assessment (from --answers FILE, or asked in a terminal)\n"
    "  show [ID]         an assessment's scores beside the indicators from usage\n"
    "  history           every assessment, oldest first, with the change between them\n"
    "  roadmap [ID]      the actions to reach the target stage, as a plan by quarter\n"
    "  report [ID] -o F  a self-contained HTML report with a radar chart\n"
    "\n"
    "ID is an assessment's id; without it, the latest assessment.  `vos assess <command>\n"
    "--help` describes each command.\n";

static const char blueprint_help[] =
    "usage: vos assess blueprint [--format table|json] [--db URL]\n"
    "\n"
    "Prints the blueprint built into VOS: its stages, its dimensions by pillar with their keys\n"
    "(used in answers files) and what each looks like at every stage, and the actions that\n"
    "move an organisation from one stage to the next.\n"
    "\n"
    "options:\n"
    "  --format F     table (default) or json\n"
    "  --db URL       the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help     this help\n";

static const char show_help[] =
    "usage: vos assess show [ID] [--format table|json] [--db URL]\n"
    "\n"
    "Shows an assessment (default: the latest): the overall and pillar scores (median,\n"
    "weakest dimensions, spread), the stage chosen for each dimension with its evidence, and\n"
    "beside them the indicators measured from this organisation's own VOS data, each with the\n"
    "dimensions it informs.\n"
    "\n"
    "options:\n"
    "  --format F     table (default) or json\n"
    "  --db URL       the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help     this help\n"
    "\n"
    "Exit status: 0 shown, 1 no such assessment, 2 usage, 3 the database cannot be used.\n";

static const char history_help[] =
    "usage: vos assess history [--format table|json] [--db URL]\n"
    "\n"
    "Lists every assessment, oldest first (by the date it stands for): the overall median and\n"
    "stage, each pillar's median, the target, and the change of the overall median since the\n"
    "assessment before.\n"
    "\n"
    "options:\n"
    "  --format F     table (default) or json\n"
    "  --db URL       the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help     this help\n";

static const char roadmap_help[] =
    "usage: vos assess roadmap [ID] [--target N] [--owner EMAIL] [--start YYYY-MM-DD]\n"
    "                          [--format table|json] [--db URL]\n"
    "\n"
    "The plan from an assessment (default: the latest) to the target stage (default: the\n"
    "assessment's): for each dimension below it, the blueprint's actions of its next\n"
    "transition, largest gap first.  Dimensions at the same stage share a transition; each\n"
    "transition takes one quarter from the start, and its actions are due at its end.\n"
    "\n"
    "options:\n"
    "  --target N     the stage to reach, 1..5 (or I..V)\n"
    "  --owner EMAIL  the user who owns the actions (must exist)\n"
    "  --start D      the first quarter's first day (default today)\n"
    "  --format F     table (default) or json\n"
    "  --db URL       the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help     this help\n";

static const char report_help[] =
    "usage: vos assess report [ID] -o FILE [--target N] [--owner EMAIL] [--start YYYY-MM-DD]\n"
    "                         [--db URL]\n"
    "\n"
    "Writes one self-contained HTML file (inline CSS and SVG, no external resources) about an\n"
    "assessment (default: the latest): the summary and progress since the assessment before,\n"
    "a radar chart of the 15 dimensions (stages chosen, target, the assessment before), the\n"
    "pillar scores, the answers, the indicators from usage and the roadmap.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE  where to write the report (\"-\": standard output)\n"
    "  --target N         the roadmap's target stage (default: the assessment's)\n"
    "  --owner EMAIL      the owner of the roadmap's actions\n"
    "  --start D          the roadmap's start (default today)\n"
    "  --db URL           the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help         this help\n";

/* ---- shared ---- */

static int parse_target(const char *cmd, const char *text, int *out)
{
    static const char *const numerals[] = {"I", "II", "III", "IV", "V"};
    *out = 0;
    if (!text) return CLI_OK;
    for (int i = 0; i < VOS_MATURITY_STAGES; i++) {
        char digit[2] = {(char)('1' + i), '\0'};
        if (strcmp(text, digit) == 0 || strcmp(text, numerals[i]) == 0) *out = i + 1;
    }
    if (*out) return CLI_OK;
    fprintf(stderr, "%s: --target must be a stage 1 to %d (or I..V), not '%s'\n", cmd,
            VOS_MATURITY_STAGES, text);
    return CLI_USAGE;
}

/* The optional ID argument: 0 (the latest) when absent. */
static int parse_assessment_id(const char *cmd, const cli_args *a, int64_t *id)
{
    *id = 0;
    if (a->n_pos == 0) return CLI_OK;
    long long v;
    if (cli_parse_id(&v, cmd, "ID", a->pos[0]) < 0) return CLI_USAGE;
    *id = v;
    return CLI_OK;
}

static const char *stage_label(char *buf, size_t size, const vos_blueprint *bp, int stage)
{
    return vos_render_stage_label(buf, size, bp, stage);
}

/* The names of dims[0..n), comma-separated, into buf. */
static const char *names(char *buf, size_t size, const vos_blueprint *bp, const size_t *dims,
                         size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
                                bp->dimensions[dims[i]].name);
    return buf;
}

/* ---- blueprint ---- */

static void print_blueprint(const vos_blueprint *bp)
{
    printf("%s (%s %s)\n\nStages:\n", bp->source, bp->id, bp->version);
    for (int s = 0; s < VOS_MATURITY_STAGES; s++) {
        const vos_bp_stage *st = &bp->stages[s];
        printf("  %d  %-4s %-13s %s (%s)\n", st->number, st->numeral, st->name, st->tagline,
               st->equation);
    }
    for (size_t p = 0; p < bp->n_pillars; p++) {
        printf("\n%s\n", bp->pillars[p].name);
        for (size_t i = bp->pillars[p].first; i < bp->pillars[p].first + bp->pillars[p].n; i++) {
            const vos_bp_dimension *d = &bp->dimensions[i];
            printf("\n  %s  (%s)\n", d->name, d->key);
            for (int s = 0; s < VOS_MATURITY_STAGES; s++)
                printf("    %-4s %s\n", bp->stages[s].numeral, d->stages[s]);
        }
    }
    for (int t = 0; t < VOS_MATURITY_TRANSITIONS; t++) {
        const vos_bp_transition *tr = &bp->transitions[t];
        printf("\n%s\n", tr->title);
        for (size_t i = 0; i < tr->n_actions; i++) {
            printf("  - %s\n", tr->actions[i].text);
            for (size_t k = 0; k < tr->actions[i].n_steps; k++)
                printf("     %zu. %s\n", k + 1, tr->actions[i].steps[k]);
        }
    }
}

static int cmd_blueprint(int argc, char **argv)
{
    const char *db = NULL, *format = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}, {"--format", &format, NULL, NULL, 0}};
    const char *cmd = "vos assess blueprint";
    cli_args a = {cmd, blueprint_help, opts, sizeof opts / sizeof *opts, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(cmd, format);
    if (json < 0) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_blueprint *bp = NULL;
    int err = vos_app_blueprint(app, &who, NULL, NULL, &bp);
    if (err < 0) {
        rc = cli_fail(cmd, err);
    } else if (json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_render_blueprint(&w, bp);
        rc = cli_print_json(cmd, &w);
    } else {
        print_blueprint(bp);
    }
    vos_blueprint_free(bp);
    vos_app_close(app);
    return rc;
}

/* ---- show ---- */

static int print_pillars(const vos_assessment *a)
{
    const vos_blueprint *bp = a->blueprint;
    char label[64], weak[1024];
    cli_table t;
    cli_table_init(&t, 5, 1u << 1 | 1u << 4);
    cli_table_cell(&t, "pillar");
    cli_table_cell(&t, "median");
    cli_table_cell(&t, "stage");
    cli_table_cell(&t, "weakest");
    cli_table_cell(&t, "spread");
    for (size_t p = 0; p < a->scores.n_pillars + 1; p++) {
        const vos_maturity_group *g =
            p < a->scores.n_pillars ? &a->scores.pillars[p] : &a->scores.overall;
        cli_table_cell(&t, "%s", p < a->scores.n_pillars ? bp->pillars[p].name : "Overall");
        cli_table_cell(&t, "%g", g->median);
        cli_table_cell(&t, "%s", stage_label(label, sizeof label, bp, g->stage));
        cli_table_cell(&t, "%s", names(weak, sizeof weak, bp, g->weakest, g->n_weakest));
        cli_table_cell(&t, "%d", g->spread);
    }
    int rc = cli_table_print(stdout, &t);
    cli_table_free(&t);
    return rc;
}

static int print_answers(const vos_assessment *a)
{
    const vos_blueprint *bp = a->blueprint;
    char label[64];
    cli_table t;
    cli_table_init(&t, 4, 0);
    cli_table_cell(&t, "dimension");
    cli_table_cell(&t, "key");
    cli_table_cell(&t, "stage");
    cli_table_cell(&t, "evidence");
    for (size_t i = 0; i < a->n_answers; i++) {
        const vos_bp_dimension *d = &bp->dimensions[i];
        const char *ev = a->answers[i].evidence ? a->answers[i].evidence : "";
        cli_table_cell(&t, "%s", d->name);
        cli_table_cell(&t, "%s", d->key);
        cli_table_cell(&t, "%s", stage_label(label, sizeof label, bp, a->stages[i]));
        if (strlen(ev) > EVIDENCE_SHOWN)
            cli_table_cell(&t, "%.*s...", EVIDENCE_SHOWN, ev);
        else
            cli_table_cell(&t, "%s", ev);
    }
    int rc = cli_table_print(stdout, &t);
    cli_table_free(&t);
    return rc;
}

static int print_indicators(const vos_assessment *a, const vos_indicator *ind, size_t n)
{
    const vos_blueprint *bp = a->blueprint;
    cli_table t;
    cli_table_init(&t, 4, 1u << 1 | 1u << 2);
    cli_table_cell(&t, "indicator (this organisation's VOS data)");
    cli_table_cell(&t, "value");
    cli_table_cell(&t, "counts");
    cli_table_cell(&t, "informs (self-assessed stage)");
    for (size_t k = 0; k < n; k++) {
        char informs[1024], label[64];
        size_t len = 0;
        informs[0] = '\0';
        for (size_t i = 0; i < ind[k].n_informs && len < sizeof informs; i++) {
            int d = vos_blueprint_dimension(bp, ind[k].informs[i]);
            if (d < 0) continue;
            len += (size_t)snprintf(informs + len, sizeof informs - len, "%s%s (%s)",
                                    len ? ", " : "", bp->dimensions[d].key,
                                    stage_label(label, sizeof label, bp, a->stages[d]));
        }
        cli_table_cell(&t, "%s", ind[k].name);
        if (isnan(ind[k].value))
            cli_table_cell(&t, "no data");
        else
            cli_table_cell(&t, "%.1f%%", ind[k].value * PERCENT);
        cli_table_cell(&t, "%lld/%lld", (long long)ind[k].numerator, (long long)ind[k].denominator);
        cli_table_cell(&t, "%s", informs);
    }
    int rc = cli_table_print(stdout, &t);
    cli_table_free(&t);
    return rc;
}

int cli_assess_print(const vos_assessment *a, const vos_indicator *ind, size_t n_ind)
{
    const vos_blueprint *bp = a->blueprint;
    const vos_maturity_group *g = &a->scores.overall;
    char label[64], lo[64], hi[64], weak[1024];
    printf("Assessment %lld, taken %s by %s, against %s (%s %s)\n", (long long)a->row->id,
           a->row->taken_at, a->assessor ? a->assessor : "the system", bp->source,
           a->row->blueprint, a->row->blueprint_version);
    printf("Overall: %s (median %g, mean %.2f, spread %d: %s to %s); target %s\n",
           stage_label(label, sizeof label, bp, g->stage), g->median, g->mean, g->spread,
           stage_label(lo, sizeof lo, bp, g->min), stage_label(hi, sizeof hi, bp, g->max),
           stage_label(weak, sizeof weak, bp, (int)a->row->target_stage));
    printf("Weakest: %s\n", names(weak, sizeof weak, bp, g->weakest, g->n_weakest));
    if (a->row->notes) printf("Notes: %s\n", a->row->notes);
    putchar('\n');
    int rc = print_pillars(a);
    putchar('\n');
    if (rc == CLI_OK) rc = print_answers(a);
    if (rc == CLI_OK && ind) {
        putchar('\n');
        rc = print_indicators(a, ind, n_ind);
    }
    return rc;
}

static int cmd_show(int argc, char **argv)
{
    const char *db = NULL, *format = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}, {"--format", &format, NULL, NULL, 0}};
    const char *cmd = "vos assess show";
    cli_args a = {cmd, show_help, opts, sizeof opts / sizeof *opts, 0, 1, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(cmd, format);
    int64_t id;
    if (json < 0 || parse_assessment_id(cmd, &a, &id) != CLI_OK) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_assessment *as = NULL;
    vos_indicator ind[VOS_INDICATOR_COUNT];
    int err = vos_app_assessment_get(app, &who, id, &as);
    if (err == 0) err = vos_app_maturity_indicators(app, &who, ind, NULL);
    if (err < 0) {
        rc = cli_fail(cmd, err);
    } else if (json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_jw_object(&w);
        vos_jw_key(&w, "assessment");
        vos_render_assessment(&w, as, 1);
        vos_jw_key(&w, "indicators");
        vos_render_indicators(&w, ind, VOS_INDICATOR_COUNT, as->blueprint, as->stages);
        vos_jw_end(&w);
        rc = cli_print_json(cmd, &w);
    } else {
        rc = cli_assess_print(as, ind, VOS_INDICATOR_COUNT);
    }
    vos_assessment_free(as);
    vos_app_close(app);
    return rc;
}

/* ---- history ---- */

static int print_history(const vos_assessment *h, size_t n)
{
    if (n == 0) {
        printf("no assessments yet (take one with `vos assess take`)\n");
        return CLI_OK;
    }
    const vos_blueprint *bp = h[n - 1].blueprint;
    size_t cols = 5 + bp->n_pillars + 1;
    char label[64];
    cli_table t;
    cli_table_init(&t, cols, 1u | 1u << 3 | 1u << (cols - 1));
    cli_table_cell(&t, "id");
    cli_table_cell(&t, "taken_at");
    cli_table_cell(&t, "by");
    cli_table_cell(&t, "median");
    cli_table_cell(&t, "overall");
    for (size_t p = 0; p < bp->n_pillars; p++)
        cli_table_cell(&t, "%s", bp->pillars[p].name);
    cli_table_cell(&t, "change");
    for (size_t i = 0; i < n; i++) {
        const vos_assessment *a = &h[i];
        cli_table_cell(&t, "%lld", (long long)a->row->id);
        cli_table_cell(&t, "%s", a->row->taken_at);
        cli_table_cell(&t, "%s", a->assessor ? a->assessor : "system");
        cli_table_cell(&t, "%g", a->scores.overall.median);
        cli_table_cell(&t, "%s",
                       stage_label(label, sizeof label, a->blueprint, a->scores.overall.stage));
        for (size_t p = 0; p < bp->n_pillars; p++)
            if (p < a->scores.n_pillars)
                cli_table_cell(&t, "%g", a->scores.pillars[p].median);
            else
                cli_table_cell(&t, "%s", "");
        if (i == 0)
            cli_table_cell(&t, "%s", "");
        else
            cli_table_cell(&t, "%+g", a->scores.overall.median - h[i - 1].scores.overall.median);
    }
    int rc = cli_table_print(stdout, &t);
    cli_table_free(&t);
    return rc;
}

static int cmd_history(int argc, char **argv)
{
    const char *db = NULL, *format = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}, {"--format", &format, NULL, NULL, 0}};
    const char *cmd = "vos assess history";
    cli_args a = {cmd, history_help, opts, sizeof opts / sizeof *opts, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(cmd, format);
    if (json < 0) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_assessment *h = NULL;
    size_t n = 0;
    int err = vos_app_assessment_history(app, &who, &h, &n);
    if (err < 0) {
        rc = cli_fail(cmd, err);
    } else if (json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_jw_array(&w);
        for (size_t i = 0; i < n; i++)
            vos_render_assessment(&w, &h[i], 0);
        vos_jw_end(&w);
        rc = cli_print_json(cmd, &w);
    } else {
        rc = print_history(h, n);
    }
    vos_assessments_free(h, n);
    vos_app_close(app);
    return rc;
}

/* ---- roadmap ---- */

static void print_roadmap(const vos_assessment *a, const vos_roadmap *r, const char *owner)
{
    const vos_blueprint *bp = a->blueprint;
    char label[64], now[64], next[64];
    printf("Roadmap of assessment %lld (%s) to %s, from %s; owner: %s\n", (long long)a->row->id,
           a->row->taken_at, stage_label(label, sizeof label, bp, r->target), r->start,
           owner ? owner : "unassigned");
    if (r->n_items == 0) {
        printf("\nEvery dimension has reached the target stage.\n");
        return;
    }
    printf("\n%zu dimensions below the target, largest gap first:\n", r->n_items);
    for (size_t i = 0; i < r->n_items; i++) {
        const vos_roadmap_item *it = &r->items[i];
        printf("  %-66s %-16s -> %-16s gap %d\n", bp->dimensions[it->dimension].name,
               stage_label(now, sizeof now, bp, it->current),
               stage_label(next, sizeof next, bp, it->next), it->gap);
    }
    size_t number = 0;
    for (size_t k = 0; k < r->n_phases; k++) {
        const vos_roadmap_phase *p = &r->phases[k];
        const vos_bp_transition *t = &bp->transitions[p->from - 1];
        printf("\nQuarter %zu, %s to %s: %s (gap %d)\n  for: ", k + 1, p->starts, p->due, t->title,
               p->gap);
        for (size_t i = p->first_item; i < p->first_item + p->n_items; i++)
            printf("%s%s", i > p->first_item ? ", " : "",
                   bp->dimensions[r->items[i].dimension].key);
        putchar('\n');
        for (size_t i = 0; i < t->n_actions; i++) {
            printf("  %2zu. %s\n", ++number, t->actions[i].text);
            for (size_t s = 0; s < t->actions[i].n_steps; s++)
                printf("        %zu. %s\n", s + 1, t->actions[i].steps[s]);
            printf("      owner %s, due %s\n", owner ? owner : "unassigned", p->due);
        }
    }
}

typedef struct plan_opts {
    const char *db, *target, *owner, *start, *format, *output;
} plan_opts;

static int cmd_roadmap(int argc, char **argv)
{
    plan_opts o = {0};
    cli_option opts[] = {
        {"--db", &o.db, NULL, NULL, 0},         {"--target", &o.target, NULL, NULL, 0},
        {"--owner", &o.owner, NULL, NULL, 0},   {"--start", &o.start, NULL, NULL, 0},
        {"--format", &o.format, NULL, NULL, 0},
    };
    const char *cmd = "vos assess roadmap";
    cli_args a = {cmd, roadmap_help, opts, sizeof opts / sizeof *opts, 0, 1, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(cmd, o.format), target;
    int64_t id;
    if (json < 0 || parse_assessment_id(cmd, &a, &id) != CLI_OK ||
        parse_target(cmd, o.target, &target) != CLI_OK)
        return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(o.db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_assessment *as = NULL;
    vos_roadmap r;
    int err = vos_app_assessment_roadmap(app, &who, id, target, o.start, o.owner, &as, &r);
    if (err < 0) {
        rc = cli_fail(cmd, err);
    } else if (json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_render_roadmap(&w, as, &r, o.owner);
        rc = cli_print_json(cmd, &w);
    } else {
        print_roadmap(as, &r, o.owner);
    }
    vos_assessment_free(as);
    vos_app_close(app);
    return rc;
}

/* ---- report ---- */

/* The assessment taken before `a` (by taken_at, then id), or NULL; from the history h. */
static const vos_assessment *previous(const vos_assessment *h, size_t n, const vos_assessment *a)
{
    for (size_t i = 1; i < n; i++)
        if (h[i].row->id == a->row->id) return &h[i - 1];
    return NULL;
}

static int write_report(const char *cmd, const char *path, const char *html, size_t len)
{
    int to_stdout = strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", cmd, path, strerror(errno));
        return CLI_FAILED;
    }
    int ok = fwrite(html, 1, len, f) == len;
    if (!to_stdout) ok = (fclose(f) == 0) && ok;
    if (!ok) {
        fprintf(stderr, "%s: %s: cannot write the report\n", cmd, path);
        return CLI_FAILED;
    }
    return CLI_OK;
}

static int make_report(vos_app *app, const char *cmd, const plan_opts *o, int64_t id, int target)
{
    vos_actor who = vos_actor_system();
    vos_assessment *as = NULL, *h = NULL;
    size_t n = 0;
    vos_roadmap r;
    vos_indicator ind[VOS_INDICATOR_COUNT];
    vos_organisation_row *org = NULL;
    char *html = NULL;
    size_t len = 0;
    int err = vos_app_assessment_roadmap(app, &who, id, target, o->start, o->owner, &as, &r);
    if (err == 0) err = vos_app_assessment_history(app, &who, &h, &n);
    if (err == 0) err = vos_app_maturity_indicators(app, &who, ind, NULL);
    if (err == 0 && vos_app_organisation_get(app, &who, &org) < 0) org = NULL;
    if (err == 0)
        err = vos_render_assessment_report(&html, &len, org ? org->name : NULL, as,
                                           previous(h, n, as), ind, VOS_INDICATOR_COUNT, &r,
                                           o->owner);
    int rc = err < 0 ? cli_fail(cmd, err) : write_report(cmd, o->output, html, len);
    if (rc == CLI_OK && strcmp(o->output, "-") != 0)
        printf("wrote %s: assessment %lld (%s), %zu dimensions, roadmap to %s with %zu actions\n",
               o->output, (long long)as->row->id, as->row->taken_at, as->n_answers,
               as->blueprint->stages[r.target - 1].name, r.n_actions);
    free(html);
    vos_organisation_row_free(org);
    vos_assessments_free(h, n);
    vos_assessment_free(as);
    return rc;
}

static int cmd_report(int argc, char **argv)
{
    plan_opts o = {0};
    cli_option opts[] = {
        {"--db", &o.db, NULL, NULL, 0},       {"--target", &o.target, NULL, NULL, 0},
        {"--owner", &o.owner, NULL, NULL, 0}, {"--start", &o.start, NULL, NULL, 0},
        {"-o", &o.output, NULL, NULL, 0},     {"--output", &o.output, NULL, NULL, 0},
    };
    const char *cmd = "vos assess report";
    cli_args a = {cmd, report_help, opts, sizeof opts / sizeof *opts, 0, 1, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    int target;
    int64_t id;
    if (parse_assessment_id(cmd, &a, &id) != CLI_OK ||
        parse_target(cmd, o.target, &target) != CLI_OK)
        return CLI_USAGE;
    if (!o.output) {
        fprintf(stderr, "%s: -o FILE is required (where to write the HTML report)\n", cmd);
        return CLI_USAGE;
    }
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(o.db))) != CLI_OK) return rc;
    rc = make_report(app, cmd, &o, id, target);
    vos_app_close(app);
    return rc;
}

/* ---- dispatch ---- */

int vos_cmd_assess(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } subs[] = {{"blueprint", cmd_blueprint}, {"take", cli_assess_take}, {"show", cmd_show},
                {"history", cmd_history},     {"roadmap", cmd_roadmap},  {"report", cmd_report}};
    if (argc < 2) {
        fputs(assess_help, stderr);
        return CLI_USAGE;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        fputs(assess_help, stdout);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
        if (strcmp(argv[1], subs[i].name) == 0) return subs[i].run(argc - 1, argv + 1);
    fprintf(stderr,
            "vos assess: unknown command '%s' (blueprint, take, show, history, roadmap, report)\n",
            argv[1]);
    return CLI_USAGE;
}
