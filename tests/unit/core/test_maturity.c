/* Maturity: the blueprint file against the source document it transcribes (every one of the
 * 75 cells, every action and numbered point, compared with the source's text with only
 * whitespace normalised), the loader's diagnostics, the scoring rule with hand-computed
 * values, the roadmap's order and dates, the indicators, and the radar chart's geometry.
 *
 * The source is tests/data/maturity/ecosystems-value-blueprint.txt, a byte-for-byte copy of
 * the Ecosystems' Value Blueprint document; it is parsed here independently of the loader:
 * pillar headings, one tab-separated line per dimension (name and five stage texts), a
 * heading per transition ("I. NASCENT TO II. EMERGING"), "- " actions and " N. " points. */
#include "vos/error.h"
#include "vos/maturity.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLUEPRINT_PATH "models/maturity/value-blueprint-v1.yaml"
#define SOURCE_PATH "tests/data/maturity/ecosystems-value-blueprint.txt"
#define SRC_LINES_MAX 512
#define TEXT_MAX 2048
#define EPS 1e-12

/* ---- helpers ---- */

static char *read_text(const char *rel, size_t *len)
{
    const char *root = getenv("VOS_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s (run the tests from the repository root)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static vos_blueprint *load_v1(void)
{
    size_t len;
    char *text = read_text(BLUEPRINT_PATH, &len);
    vos_diags d;
    vos_diags_init(&d);
    vos_blueprint *bp = NULL;
    int rc = vos_blueprint_load(&bp, text, len, &d);
    ck_assert_msg(rc == 0, "%s: %s (%s)", BLUEPRINT_PATH, vos_error_last(),
                  d.n ? d.items[0].msg : "");
    vos_diags_free(&d);
    free(text);
    return bp;
}

/* `s` with runs of whitespace made one space and the ends trimmed, into out. */
static const char *norm(char out[TEXT_MAX], const char *s)
{
    size_t n = 0;
    int space = 0;
    for (; *s && n < TEXT_MAX - 1; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            space = n > 0;
            continue;
        }
        if (space && n < TEXT_MAX - 1) out[n++] = ' ';
        space = 0;
        out[n++] = *s;
    }
    out[n] = '\0';
    return out;
}

static void same_text(const char *source, const char *blueprint, const char *what)
{
    char a[TEXT_MAX], b[TEXT_MAX];
    ck_assert_msg(blueprint != NULL, "%s: missing from the blueprint", what);
    ck_assert_msg(strcmp(norm(a, source), norm(b, blueprint)) == 0,
                  "%s differs from the source:\n  source:    %s\n  blueprint: %s", what, a, b);
}

/* The source document split into lines (in place). */
typedef struct source {
    char *text;
    char *lines[SRC_LINES_MAX];
    size_t n;
} source;

static void source_read(source *s)
{
    size_t len;
    s->text = read_text(SOURCE_PATH, &len);
    s->n = 0;
    for (char *p = s->text; p && *p && s->n < SRC_LINES_MAX;) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        size_t l = strlen(p);
        if (l && p[l - 1] == '\r') p[l - 1] = '\0';
        s->lines[s->n++] = p;
        p = nl ? nl + 1 : NULL;
    }
}

/* ---- the blueprint file against the source ---- */

START_TEST(blueprint_loads_with_its_shape)
{
    vos_blueprint *bp = load_v1();
    ck_assert_str_eq(bp->id, "ecosystems-value-blueprint");
    ck_assert_str_eq(bp->version, "1.0.0");
    ck_assert_str_eq(bp->source, "Ecosystems' Value Blueprint");
    ck_assert_uint_eq(bp->n_pillars, 3);
    ck_assert_uint_eq(bp->pillars[0].n, 5);
    ck_assert_uint_eq(bp->pillars[1].n, 6);
    ck_assert_uint_eq(bp->pillars[2].n, 4);
    ck_assert_uint_eq(bp->n_dimensions, 15);
    ck_assert_uint_eq(bp->pillars[1].first, 5);
    ck_assert_uint_eq(bp->dimensions[14].pillar, 2);
    static const size_t actions[VOS_MATURITY_TRANSITIONS] = {11, 11, 8, 7};
    for (int t = 0; t < VOS_MATURITY_TRANSITIONS; t++) {
        ck_assert_int_eq(bp->transitions[t].from, t + 1);
        ck_assert_int_eq(bp->transitions[t].to, t + 2);
        ck_assert_uint_eq(bp->transitions[t].n_actions, actions[t]);
    }
    ck_assert_int_eq(vos_blueprint_dimension(bp, "value_technology"), 12);
    ck_assert_int_eq(vos_blueprint_dimension(bp, "nope"), -1);
    ck_assert_str_eq(bp->stages[4].key, "leading_edge");
    vos_blueprint_free(bp);
}
END_TEST

/* The title, and each stage's heading "I. Nascent - Value is atomized" and "(Value = ...)". */
START_TEST(stages_match_the_source)
{
    vos_blueprint *bp = load_v1();
    source s;
    source_read(&s);
    size_t i = 0;
    while (i < s.n && !*s.lines[i])
        i++;
    same_text(s.lines[i++], bp->source, "the title");
    for (int st = 0; st < VOS_MATURITY_STAGES; st++) {
        while (i < s.n && !*s.lines[i])
            i++;
        ck_assert_uint_lt(i + 1, s.n);
        char heading[TEXT_MAX], equation[TEXT_MAX];
        const vos_bp_stage *g = &bp->stages[st];
        ck_assert_int_eq(g->number, st + 1);
        snprintf(heading, sizeof heading, "%s. %s - %s", g->numeral, g->name, g->tagline);
        snprintf(equation, sizeof equation, "(%s)", g->equation);
        same_text(s.lines[i++], heading, "a stage heading");
        same_text(s.lines[i++], equation, "a stage equation");
    }
    free(s.text);
    vos_blueprint_free(bp);
}
END_TEST

/* All 15 x 5 cells, the pillar names and the dimension names, in the source's order. */
START_TEST(every_cell_matches_the_source)
{
    vos_blueprint *bp = load_v1();
    source s;
    source_read(&s);
    size_t pillar = 0, dim = 0, cells = 0;
    for (size_t i = 0; i < s.n; i++) {
        char *l = s.lines[i];
        if (strstr(l, " TO ") && !strchr(l, '\t')) break; /* the actions begin */
        if (!*l) continue;
        if (!strchr(l, '\t')) { /* a pillar heading; skip the title and the stage headings */
            if (strncmp(l, "Value ", 6) != 0) continue;
            ck_assert_uint_lt(pillar, bp->n_pillars);
            same_text(l, bp->pillars[pillar].name, "a pillar name");
            ck_assert_uint_eq(bp->pillars[pillar].first, dim);
            pillar++;
            continue;
        }
        char *cell[VOS_MATURITY_STAGES + 1];
        size_t n = 0;
        for (char *p = l; p && n < VOS_MATURITY_STAGES + 1;) {
            cell[n++] = p;
            char *tab = strchr(p, '\t');
            if (tab) *tab = '\0';
            p = tab ? tab + 1 : NULL;
        }
        ck_assert_uint_eq(n, VOS_MATURITY_STAGES + 1);
        ck_assert_uint_lt(dim, bp->n_dimensions);
        const vos_bp_dimension *d = &bp->dimensions[dim];
        ck_assert_uint_eq(d->pillar, pillar - 1);
        same_text(cell[0], d->name, "a dimension name");
        for (int st = 0; st < VOS_MATURITY_STAGES; st++) {
            char what[256];
            snprintf(what, sizeof what, "dimension '%s' stage %d", d->key, st + 1);
            same_text(cell[st + 1], d->stages[st], what);
            cells++;
        }
        dim++;
    }
    ck_assert_uint_eq(pillar, 3);
    ck_assert_uint_eq(dim, 15);
    ck_assert_uint_eq(cells, 75);
    free(s.text);
    vos_blueprint_free(bp);
}
END_TEST

/* The four transitions: headings, every action and every numbered point, in order. */
START_TEST(every_action_matches_the_source)
{
    vos_blueprint *bp = load_v1();
    source s;
    source_read(&s);
    int t = -1;
    size_t action = 0, step = 0, total = 0, steps = 0;
    for (size_t i = 0; i < s.n; i++) {
        const char *l = s.lines[i];
        if (strchr(l, '\t') || !*l) continue;
        if (strstr(l, " TO ") && l[0] != '-' && l[0] != ' ') {
            if (t >= 0) ck_assert_uint_eq(bp->transitions[t].n_actions, action);
            t++;
            ck_assert_int_lt(t, VOS_MATURITY_TRANSITIONS);
            same_text(l, bp->transitions[t].title, "a transition heading");
            action = 0;
            continue;
        }
        if (t < 0) continue;
        char what[128];
        if (l[0] == '-' && l[1] == ' ') {
            if (action > 0) ck_assert_uint_eq(bp->transitions[t].actions[action - 1].n_steps, step);
            ck_assert_uint_lt(action, bp->transitions[t].n_actions);
            snprintf(what, sizeof what, "transition %d action %zu", t + 1, action + 1);
            same_text(l + 2, bp->transitions[t].actions[action].text, what);
            action++;
            total++;
            step = 0;
            continue;
        }
        /* " N. point" under the last action */
        const char *p = l;
        while (*p == ' ')
            p++;
        char *end;
        long number = strtol(p, &end, 10);
        ck_assert_msg(end != p && *end == '.', "unexpected line in the source: '%s'", l);
        ck_assert_int_eq(number, (long)step + 1);
        const vos_bp_action *a = &bp->transitions[t].actions[action - 1];
        ck_assert_uint_lt(step, a->n_steps);
        snprintf(what, sizeof what, "transition %d action %zu point %zu", t + 1, action, step + 1);
        same_text(end + 1, a->steps[step], what);
        step++;
        steps++;
    }
    ck_assert_int_eq(t, VOS_MATURITY_TRANSITIONS - 1);
    ck_assert_uint_eq(bp->transitions[t].n_actions, action);
    ck_assert_uint_eq(total, 37);
    ck_assert_uint_eq(steps, 13);
    free(s.text);
    vos_blueprint_free(bp);
}
END_TEST

/* A paraphrase fails the comparison: the helper the tests above rely on tells texts apart. */
START_TEST(a_paraphrase_is_told_apart)
{
    char a[TEXT_MAX], b[TEXT_MAX];
    ck_assert_str_eq(norm(a, "  No common\tdefinition\n or  process "),
                     norm(b, "No common definition or process"));
    ck_assert_str_ne(norm(a, "No common definition or formalized process for value management"),
                     norm(b, "No shared definition or formal process for value management"));
}
END_TEST

/* ---- the loader's diagnostics ---- */

static int load_text(const char *text, vos_diags *d)
{
    vos_blueprint *bp = NULL;
    int rc = vos_blueprint_load(&bp, text, strlen(text), d);
    vos_blueprint_free(bp);
    return rc;
}

static int has_diag(const vos_diags *d, int line, const char *text)
{
    for (size_t i = 0; i < d->n; i++)
        if ((line == 0 || d->items[i].line == line) && strstr(d->items[i].msg, text)) return 1;
    return 0;
}

static char *v1_with(const char *from, const char *to)
{
    size_t len;
    char *text = read_text(BLUEPRINT_PATH, &len);
    char *at = strstr(text, from);
    ck_assert_msg(at != NULL, "'%s' is not in the blueprint", from);
    size_t nf = strlen(from), nt = strlen(to);
    char *out = malloc(len - nf + nt + 1);
    ck_assert_ptr_nonnull(out);
    memcpy(out, text, (size_t)(at - text));
    memcpy(out + (at - text), to, nt);
    strcpy(out + (at - text) + nt, at + nf);
    free(text);
    return out;
}

/* The line of the first occurrence of `what` in the v1 file. */
static int v1_line(const char *what)
{
    size_t len;
    char *text = read_text(BLUEPRINT_PATH, &len);
    char *at = strstr(text, what);
    ck_assert_ptr_nonnull(at);
    int line = 1;
    for (char *p = text; p < at; p++)
        line += *p == '\n';
    free(text);
    return line;
}

START_TEST(loader_names_problems_with_lines)
{
    vos_diags d;
    vos_diags_init(&d);
    char *t = v1_with("    key: leading_edge\n", "    key: leading_edge\n    colour: blue\n");
    ck_assert_int_eq(load_text(t, &d), VOS_EINVALID);
    ck_assert(has_diag(&d, v1_line("    key: leading_edge\n") + 1, "unknown key 'colour'"));
    free(t);
    vos_diags_free(&d);

    vos_diags_init(&d);
    t = v1_with("      - key: targeting\n", "      - key: partners\n");
    ck_assert_int_eq(load_text(t, &d), VOS_EINVALID);
    ck_assert(has_diag(&d, v1_line("      - key: targeting\n"), "taken by another dimension"));
    free(t);
    vos_diags_free(&d);

    vos_diags_init(&d);
    t = v1_with("          - >-\n            No organizational support\n", "");
    ck_assert_int_eq(load_text(t, &d), VOS_EINVALID);
    ck_assert(has_diag(&d, 0, "stages must list exactly 5, not 4"));
    free(t);
    vos_diags_free(&d);

    vos_diags_init(&d);
    t = v1_with("  - from: 3\n    to: 4\n", "  - from: 3\n    to: 5\n");
    ck_assert_int_eq(load_text(t, &d), VOS_EINVALID);
    ck_assert(has_diag(&d, v1_line("  - from: 3\n"), "transition 3 goes from 3 to 5"));
    free(t);
    vos_diags_free(&d);

    vos_diags_init(&d);
    ck_assert_int_eq(load_text("blueprint: x\n", &d), VOS_EINVALID);
    ck_assert(has_diag(&d, 1, "needs version"));
    ck_assert(has_diag(&d, 1, "needs stages"));
    vos_diags_free(&d);

    vos_diags_init(&d);
    ck_assert_int_eq(load_text("[1, 2", &d), VOS_EINVALID);
    ck_assert_uint_gt(d.n_errors, 0);
    vos_diags_free(&d);
}
END_TEST

/* ---- scores ---- */

/* Stages by dimension: strategy 2 3 1 2 4 | execution 3 2 2 4 1 3 | tools 2 2 5 1. */
static const int STAGES[15] = {2, 3, 1, 2, 4, 3, 2, 2, 4, 1, 3, 2, 2, 5, 1};

START_TEST(scores_follow_the_median_rule)
{
    vos_blueprint *bp = load_v1();
    vos_maturity_scores s;
    ck_assert_int_eq(vos_maturity_score(&s, bp, STAGES), 0);
    /* all 15 sorted: 1 1 1 2 2 2 2 2 2 3 3 3 4 4 5 -> the 8th is 2; sum 37 */
    ck_assert_double_eq(s.overall.median, 2);
    ck_assert_double_eq_tol(s.overall.mean, 37.0 / 15.0, EPS);
    ck_assert_int_eq(s.overall.stage, 2);
    ck_assert_int_eq(s.overall.min, 1);
    ck_assert_int_eq(s.overall.max, 5);
    ck_assert_int_eq(s.overall.spread, 4);
    ck_assert_uint_eq(s.overall.n_weakest, 3);
    ck_assert_str_eq(bp->dimensions[s.overall.weakest[0]].key, "organizational_capability");
    ck_assert_str_eq(bp->dimensions[s.overall.weakest[1]].key, "customer_experience");
    ck_assert_str_eq(bp->dimensions[s.overall.weakest[2]].key, "content_integration");
    ck_assert_uint_eq(s.n_pillars, 3);
    /* strategy: 1 2 2 3 4 -> 2; mean 12/5 */
    ck_assert_double_eq(s.pillars[0].median, 2);
    ck_assert_double_eq_tol(s.pillars[0].mean, 2.4, EPS);
    ck_assert_int_eq(s.pillars[0].spread, 3);
    ck_assert_uint_eq(s.pillars[0].n_weakest, 1);
    ck_assert_uint_eq(s.pillars[0].weakest[0], 2);
    /* execution: 1 2 2 3 3 4 -> (2 + 3) / 2 = 2.5, stage II */
    ck_assert_double_eq(s.pillars[1].median, 2.5);
    ck_assert_int_eq(s.pillars[1].stage, 2);
    ck_assert_double_eq_tol(s.pillars[1].mean, 2.5, EPS);
    ck_assert_uint_eq(s.pillars[1].weakest[0], 9);
    /* tools: 1 2 2 5 -> 2, spread 4 */
    ck_assert_double_eq(s.pillars[2].median, 2);
    ck_assert_int_eq(s.pillars[2].min, 1);
    ck_assert_int_eq(s.pillars[2].max, 5);
    ck_assert_int_eq(s.pillars[2].spread, 4);
    ck_assert_uint_eq(s.pillars[2].weakest[0], 14);
    ck_assert_int_eq(vos_maturity_default_target(&s), 3);

    int all5[15], bad[15];
    for (int i = 0; i < 15; i++)
        all5[i] = 5, bad[i] = STAGES[i];
    ck_assert_int_eq(vos_maturity_score(&s, bp, all5), 0);
    ck_assert_double_eq(s.overall.median, 5);
    ck_assert_int_eq(s.overall.spread, 0);
    ck_assert_uint_eq(s.overall.n_weakest, 15);
    ck_assert_int_eq(vos_maturity_default_target(&s), 5);
    bad[12] = 6;
    ck_assert_int_eq(vos_maturity_score(&s, bp, bad), VOS_EINVALID);
    ck_assert_ptr_nonnull(strstr(vos_error_last(), "'value_technology' has stage 6"));
    bad[12] = 0;
    ck_assert_int_eq(vos_maturity_score(&s, bp, bad), VOS_EINVALID);
    vos_blueprint_free(bp);
}
END_TEST

/* ---- roadmap ---- */

START_TEST(roadmap_orders_by_gap_and_spreads_quarters)
{
    vos_blueprint *bp = load_v1();
    vos_roadmap r;
    ck_assert_int_eq(vos_maturity_roadmap(&r, bp, STAGES, 4, "2026-11-30"), 0);
    /* gap 3 (stage I): 2 9 14; gap 2 (stage II): 0 3 6 7 11 12; gap 1 (stage III): 1 5 10 */
    static const size_t order[] = {2, 9, 14, 0, 3, 6, 7, 11, 12, 1, 5, 10};
    static const int gaps[] = {3, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1};
    ck_assert_uint_eq(r.n_items, 12);
    for (size_t i = 0; i < 12; i++) {
        ck_assert_uint_eq(r.items[i].dimension, order[i]);
        ck_assert_int_eq(r.items[i].gap, gaps[i]);
        ck_assert_int_eq(r.items[i].next, r.items[i].current + 1);
    }
    ck_assert_uint_eq(r.n_phases, 3);
    ck_assert_int_eq(r.phases[0].from, 1);
    ck_assert_int_eq(r.phases[0].to, 2);
    ck_assert_uint_eq(r.phases[0].first_item, 0);
    ck_assert_uint_eq(r.phases[0].n_items, 3);
    ck_assert_str_eq(r.phases[0].starts, "2026-11-30");
    ck_assert_str_eq(r.phases[0].due, "2027-02-28"); /* clamped to February's end */
    ck_assert_int_eq(r.phases[1].from, 2);
    ck_assert_uint_eq(r.phases[1].n_items, 6);
    ck_assert_str_eq(r.phases[1].starts, "2027-02-28");
    ck_assert_str_eq(r.phases[1].due, "2027-05-30"); /* from the start, not the due before */
    ck_assert_int_eq(r.phases[2].from, 3);
    ck_assert_int_eq(r.phases[2].gap, 1);
    ck_assert_str_eq(r.phases[2].due, "2027-08-30");
    ck_assert_uint_eq(r.n_actions, 11 + 11 + 8);

    ck_assert_int_eq(vos_maturity_roadmap(&r, bp, STAGES, 1, "2026-01-01"), 0);
    ck_assert_uint_eq(r.n_items, 0);
    ck_assert_uint_eq(r.n_phases, 0);
    ck_assert_int_eq(vos_maturity_roadmap(&r, bp, STAGES, 2, "2026-01-01"), 0);
    ck_assert_uint_eq(r.n_items, 3);
    ck_assert_uint_eq(r.n_actions, 11);
    ck_assert_int_eq(vos_maturity_roadmap(&r, bp, STAGES, 6, "2026-01-01"), VOS_EINVALID);
    ck_assert_int_eq(vos_maturity_roadmap(&r, bp, STAGES, 3, "2026-02-30"), VOS_EINVALID);
    vos_blueprint_free(bp);
}
END_TEST

START_TEST(months_are_added_as_calendars_do)
{
    char out[VOS_DATE_SIZE];
    ck_assert_int_eq(vos_date_add_months(out, "2024-01-31", 1), 0);
    ck_assert_str_eq(out, "2024-02-29");
    ck_assert_int_eq(vos_date_add_months(out, "2023-01-31", 1), 0);
    ck_assert_str_eq(out, "2023-02-28");
    ck_assert_int_eq(vos_date_add_months(out, "2026-12-15", 3), 0);
    ck_assert_str_eq(out, "2027-03-15");
    ck_assert_int_eq(vos_date_add_months(out, "2026-05-31", 12), 0);
    ck_assert_str_eq(out, "2027-05-31");
    ck_assert_int_eq(vos_date_add_months(out, "2026-05-31", 0), 0);
    ck_assert_str_eq(out, "2026-05-31");
    ck_assert_int_eq(vos_date_add_months(out, "2026-13-01", 1), VOS_EINVALID);
    ck_assert_int_eq(vos_date_add_months(out, "2026-1-01", 1), VOS_EINVALID);
    ck_assert_int_eq(vos_date_add_months(out, "2026-01-01", -1), VOS_EINVALID);
}
END_TEST

/* ---- indicators ---- */

START_TEST(indicators_divide_counts_and_name_dimensions)
{
    vos_maturity_counts c = {.accounts = 4,
                             .accounts_with_case = 3,
                             .lifecycle_stages = 7,
                             .committed_cases = 2,
                             .measured_cases = 1,
                             .inputs = 40,
                             .inputs_with_evidence = 30,
                             .models = 5,
                             .models_approved = 4,
                             .front_line = 0,
                             .front_line_owners = 0};
    vos_indicator ind[VOS_INDICATOR_COUNT];
    ck_assert_int_eq(vos_maturity_indicators(ind, &c), 0);
    ck_assert_str_eq(ind[VOS_INDICATOR_CASE_COVERAGE].key, "case_coverage");
    ck_assert_double_eq(ind[VOS_INDICATOR_CASE_COVERAGE].value, 0.75);
    ck_assert_int_eq(ind[VOS_INDICATOR_LIFECYCLE].denominator, 12); /* 4 stages x 3 accounts */
    ck_assert_double_eq_tol(ind[VOS_INDICATOR_LIFECYCLE].value, 7.0 / 12.0, EPS);
    ck_assert_double_eq(ind[VOS_INDICATOR_CONTINUOUS_PROOF].value, 0.5);
    ck_assert_double_eq(ind[VOS_INDICATOR_INPUT_EVIDENCE].value, 0.75);
    ck_assert_double_eq(ind[VOS_INDICATOR_GOVERNANCE].value, 0.8);
    ck_assert(isnan(ind[VOS_INDICATOR_FRONT_LINE].value)); /* no front-line users: no share */
    ck_assert_str_eq(ind[VOS_INDICATOR_CONTINUOUS_PROOF].informs[0], "value_narrative");

    vos_blueprint *bp = load_v1();
    for (int k = 0; k < VOS_INDICATOR_COUNT; k++) {
        ck_assert_int_eq(ind[k].kind, k);
        ck_assert_uint_gt(ind[k].n_informs, 0);
        ck_assert_ptr_nonnull(ind[k].why);
        for (size_t i = 0; i < ind[k].n_informs; i++)
            ck_assert_msg(vos_blueprint_dimension(bp, ind[k].informs[i]) >= 0,
                          "%s informs '%s', which is no dimension", ind[k].key, ind[k].informs[i]);
    }
    vos_blueprint_free(bp);

    c.measured_cases = 3;
    ck_assert_int_eq(vos_maturity_indicators(ind, &c), VOS_EINVALID);
    c.measured_cases = 1;
    c.lifecycle_stages = 13;
    ck_assert_int_eq(vos_maturity_indicators(ind, &c), VOS_EINVALID);
    c.lifecycle_stages = -1;
    ck_assert_int_eq(vos_maturity_indicators(ind, &c), VOS_EINVALID);
}
END_TEST

/* ---- radar ---- */

START_TEST(radar_points_lie_on_their_axes)
{
    const double cx = 300, cy = 250, r = 200;
    vos_point p = vos_radar_point(0, 15, 5, cx, cy, r); /* axis 0 at stage V: straight up */
    ck_assert_double_eq_tol(p.x, cx, EPS);
    ck_assert_double_eq_tol(p.y, cy - r, EPS);
    /* axis 5 of 15 is a third of a turn clockwise from the top: 30 degrees below the right */
    p = vos_radar_point(5, 15, 5, cx, cy, r);
    ck_assert_double_eq_tol(p.x, cx + r * sqrt(3) / 2, 1e-9);
    ck_assert_double_eq_tol(p.y, cy + r / 2, 1e-9);
    ck_assert_double_eq_tol(hypot(p.x - cx, p.y - cy), r, 1e-9); /* on the outer ring */
    p = vos_radar_point(1, 4, 5, cx, cy, r);                     /* a quarter turn: to the right */
    ck_assert_double_eq_tol(p.x, cx + r, 1e-9);
    ck_assert_double_eq_tol(p.y, cy, 1e-9);
    p = vos_radar_point(7, 15, 2, cx, cy, r); /* stage II: two fifths of the radius */
    ck_assert_double_eq_tol(hypot(p.x - cx, p.y - cy), r * 2 / 5, 1e-9);
    p = vos_radar_point(3, 15, 0, cx, cy, r); /* stage 0 is the centre */
    ck_assert_double_eq_tol(p.x, cx, EPS);
    ck_assert_double_eq_tol(p.y, cy, EPS);
}
END_TEST

Suite *vos_test_maturity_suite(void)
{
    Suite *s = suite_create("maturity");
    TCase *tc = tcase_create("blueprint");
    tcase_add_test(tc, blueprint_loads_with_its_shape);
    tcase_add_test(tc, stages_match_the_source);
    tcase_add_test(tc, every_cell_matches_the_source);
    tcase_add_test(tc, every_action_matches_the_source);
    tcase_add_test(tc, a_paraphrase_is_told_apart);
    tcase_add_test(tc, loader_names_problems_with_lines);
    suite_add_tcase(s, tc);
    tc = tcase_create("arithmetic");
    tcase_add_test(tc, scores_follow_the_median_rule);
    tcase_add_test(tc, roadmap_orders_by_gap_and_spreads_quarters);
    tcase_add_test(tc, months_are_added_as_calendars_do);
    tcase_add_test(tc, indicators_divide_counts_and_name_dimensions);
    tcase_add_test(tc, radar_points_lie_on_their_axes);
    suite_add_tcase(s, tc);
    return s;
}
