/* The arithmetic of a maturity self-assessment (vos/maturity.h): scores, the roadmap and its
 * plan by quarter, the indicators from usage and the radar chart's geometry.  The rules are
 * those of docs/maturity.md. */
#include "vos/maturity.h"

#include "vos/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MONTHS_PER_YEAR 12
#define YEAR_MIN 1
#define YEAR_MAX 9999
#define HALF 0.5
#define PI 3.14159265358979323846

/* ---- scores --------------------------------------------------------------------------------- */

static int check_stages(const vos_blueprint *bp, const int *stages)
{
    for (size_t i = 0; i < bp->n_dimensions; i++)
        if (stages[i] < 1 || stages[i] > VOS_MATURITY_STAGES)
            return vos_error_set(VOS_EINVALID, "dimension '%s' has stage %d: a stage is 1 to %d",
                                 bp->dimensions[i].key, stages[i], VOS_MATURITY_STAGES);
    return 0;
}

/* Scores the dimensions dims[0..n) (indices into stages). */
static void score_group(vos_maturity_group *g, const int *stages, const size_t *dims, size_t n)
{
    int sorted[VOS_BLUEPRINT_DIMENSIONS_MAX];
    int sum = 0;
    memset(g, 0, sizeof *g);
    if (n == 0) return;
    for (size_t i = 0; i < n; i++) { /* insertion sort: n is at most a few dozen */
        int v = stages[dims[i]];
        size_t j = i;
        for (; j > 0 && sorted[j - 1] > v; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = v;
        sum += v;
    }
    g->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) * HALF;
    g->mean = (double)sum / (double)n;
    g->stage = (int)floor(g->median);
    g->min = sorted[0];
    g->max = sorted[n - 1];
    g->spread = g->max - g->min;
    for (size_t i = 0; i < n; i++)
        if (stages[dims[i]] == g->min) g->weakest[g->n_weakest++] = dims[i];
}

int vos_maturity_score(vos_maturity_scores *out, const vos_blueprint *bp, const int *stages)
{
    memset(out, 0, sizeof *out);
    int rc = check_stages(bp, stages);
    if (rc < 0) return rc;
    size_t dims[VOS_BLUEPRINT_DIMENSIONS_MAX];
    for (size_t i = 0; i < bp->n_dimensions; i++)
        dims[i] = i;
    score_group(&out->overall, stages, dims, bp->n_dimensions);
    for (size_t p = 0; p < bp->n_pillars; p++)
        score_group(&out->pillars[p], stages, dims + bp->pillars[p].first, bp->pillars[p].n);
    out->n_pillars = bp->n_pillars;
    return 0;
}

int vos_maturity_default_target(const vos_maturity_scores *s)
{
    int t = s->overall.stage + 1;
    return t > VOS_MATURITY_STAGES ? VOS_MATURITY_STAGES : t < 1 ? 1 : t;
}

/* ---- dates ---------------------------------------------------------------------------------- */

static int days_in_month(int y, int m)
{
    static const int days[MONTHS_PER_YEAR] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* Reads "YYYY-MM-DD" (a real calendar date). */
static int parse_date(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != VOS_DATE_SIZE - 1 || s[4] != '-' || s[7] != '-') return -1;
    for (int i = 0; i < VOS_DATE_SIZE - 1; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
    *y = atoi(s);
    *m = atoi(s + 5);
    *d = atoi(s + 8);
    if (*y < YEAR_MIN || *m < 1 || *m > MONTHS_PER_YEAR) return -1;
    return *d >= 1 && *d <= days_in_month(*y, *m) ? 0 : -1;
}

int vos_date_add_months(char out[VOS_DATE_SIZE], const char *date, int months)
{
    int y, m, d;
    out[0] = '\0';
    if (parse_date(date, &y, &m, &d) < 0)
        return vos_error_set(VOS_EINVALID, "'%s' is not a date YYYY-MM-DD", date ? date : "");
    if (months < 0) return vos_error_set(VOS_EINVALID, "cannot add %d months", months);
    int total = (m - 1) + months;
    y += total / MONTHS_PER_YEAR;
    m = total % MONTHS_PER_YEAR + 1;
    if (y > YEAR_MAX) return vos_error_set(VOS_EINVALID, "the date is after the year %d", YEAR_MAX);
    int last = days_in_month(y, m);
    char tmp[VOS_DATE_SIZE * 4]; /* room for any int, so the compiler sees no truncation */
    int n = snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d > last ? last : d);
    if (n != VOS_DATE_SIZE - 1) return vos_error_set(VOS_EINVALID, "the date is out of range");
    memcpy(out, tmp, VOS_DATE_SIZE);
    return 0;
}

/* ---- roadmap -------------------------------------------------------------------------------- */

/* The dimensions below target, largest gap first, then in blueprint order (stable). */
static void roadmap_items(vos_roadmap *r, const vos_blueprint *bp, const int *stages)
{
    for (size_t i = 0; i < bp->n_dimensions; i++) {
        if (stages[i] >= r->target) continue;
        vos_roadmap_item it = {i, stages[i], stages[i] + 1, r->target - stages[i]};
        size_t j = r->n_items++;
        for (; j > 0 && r->items[j - 1].gap < it.gap; j--)
            r->items[j] = r->items[j - 1];
        r->items[j] = it;
    }
}

/* One phase per run of items at the same stage, a quarter each. */
static int roadmap_phases(vos_roadmap *r, const vos_blueprint *bp)
{
    for (size_t i = 0; i < r->n_items;) {
        size_t k = r->n_phases;
        vos_roadmap_phase *p = &r->phases[k];
        p->from = r->items[i].current;
        p->to = p->from + 1;
        p->gap = r->items[i].gap;
        p->first_item = i;
        while (i < r->n_items && r->items[i].current == p->from)
            i++;
        p->n_items = i - p->first_item;
        int rc = vos_date_add_months(p->starts, r->start, (int)k * VOS_ROADMAP_PHASE_MONTHS);
        if (rc == 0)
            rc = vos_date_add_months(p->due, r->start, (int)(k + 1) * VOS_ROADMAP_PHASE_MONTHS);
        if (rc < 0) return rc;
        r->n_actions += bp->transitions[p->from - 1].n_actions;
        r->n_phases++;
    }
    return 0;
}

int vos_maturity_roadmap(vos_roadmap *out, const vos_blueprint *bp, const int *stages, int target,
                         const char *start)
{
    memset(out, 0, sizeof *out);
    int rc = check_stages(bp, stages);
    if (rc < 0) return rc;
    if (target < 1 || target > VOS_MATURITY_STAGES)
        return vos_error_set(VOS_EINVALID, "the target stage %d is not a stage 1 to %d", target,
                             VOS_MATURITY_STAGES);
    int y, m, d;
    if (parse_date(start, &y, &m, &d) < 0)
        return vos_error_set(VOS_EINVALID, "the start '%s' is not a date YYYY-MM-DD",
                             start ? start : "");
    out->target = target;
    snprintf(out->start, sizeof out->start, "%s", start);
    roadmap_items(out, bp, stages);
    return roadmap_phases(out, bp);
}

/* ---- indicators ----------------------------------------------------------------------------- */

typedef struct indicator_def {
    const char *key, *name, *measure, *why;
    const char *informs[VOS_INDICATOR_INFORMS_MAX];
} indicator_def;

/* The dimension keys are those of blueprint v1 (models/maturity/value-blueprint-v1.yaml);
 * docs/maturity.md explains each mapping. */
static const indicator_def indicator_defs[VOS_INDICATOR_COUNT] = {
    [VOS_INDICATOR_CASE_COVERAGE] =
        {"case_coverage",
         "Accounts with a business case",
         "accounts with at least one business case / accounts",
         "Which customers get a value conversation is the Targeting Criteria dimension: the "
         "most strategic accounts (II), every customer served by a human channel (III), every "
         "customer (IV).",
         {"targeting"}},
    [VOS_INDICATOR_LIFECYCLE] =
        {"lifecycle_coverage",
         "Lifecycle stages covered per account",
         "lifecycle stages (opportunity, target, realization, expansion) covered by the cases "
         "of each account with a case, as a share of the four",
         "Timing of Value Engagement moves from one part of the customer lifecycle (II) to "
         "several (III) to the entire lifecycle (IV); Value Content Integration from assets "
         "tied to opportunities (III) to one record across pre- and post-sale (IV).",
         {"engagement_timing", "content_integration"}},
    [VOS_INDICATOR_CONTINUOUS_PROOF] =
        {"continuous_proof",
         "Committed cases with measurements (continuous proof)",
         "committed cases with at least one measurement of a committed KPI / committed cases",
         "A committed case that is measured keeps the value conversation going after the "
         "sale: the Design of Value Narrative moves from discrete to continuous (IV), the "
         "Customers' Value Experience from proposal to journey (IV), and Value Technology "
         "tracks the value agreed (III) and realized (IV).",
         {"value_narrative", "customer_experience", "value_technology"}},
    [VOS_INDICATOR_INPUT_EVIDENCE] =
        {"input_evidence",
         "Model inputs with evidence",
         "inputs that cite evidence / inputs of every model's latest approved version",
         "The Incremental Source of Value Discovery moves from reps' experience (I) to "
         "benchmarks and research (II) and supplier-customer collaboration (III): evidence "
         "cited for each input shows where the numbers come from.",
         {"value_discovery"}},
    [VOS_INDICATOR_GOVERNANCE] =
        {"model_governance",
         "Models under governance",
         "models with an approved version / models",
         "Approved, versioned value models are a formalized value management process (II and "
         "up) and value content created proactively for target segments by specialists (II).",
         {"process_maturity", "content_creation"}},
    [VOS_INDICATOR_FRONT_LINE] =
        {"front_line_ownership",
         "Front-line users who own a business case",
         "active sellers and CSMs who own at least one business case / active sellers and CSMs",
         "The Scope of Organizational Capability moves from a few specialists (I, II) to a "
         "common front-line capability (III); the Value Discussion Lead from experts and a "
         "centre of excellence (I, II) to front-line reps (III).",
         {"organizational_capability", "discussion_lead"}},
};

static int part_of_whole(int64_t part, int64_t whole, const char *what)
{
    if (part < 0 || whole < 0)
        return vos_error_set(VOS_EINVALID, "the counts of %s are negative", what);
    if (part > whole)
        return vos_error_set(VOS_EINVALID, "the counts of %s have a part larger than the whole",
                             what);
    return 0;
}

static void set_indicator(vos_indicator *out, vos_indicator_kind k, int64_t num, int64_t den)
{
    const indicator_def *d = &indicator_defs[k];
    memset(out, 0, sizeof *out);
    out->kind = k;
    out->key = d->key;
    out->name = d->name;
    out->measure = d->measure;
    out->why = d->why;
    out->numerator = num;
    out->denominator = den;
    out->value = den > 0 ? (double)num / (double)den : NAN;
    for (size_t i = 0; i < VOS_INDICATOR_INFORMS_MAX && d->informs[i]; i++)
        out->informs[out->n_informs++] = d->informs[i];
}

int vos_maturity_indicators(vos_indicator out[VOS_INDICATOR_COUNT], const vos_maturity_counts *c)
{
    int64_t lifecycle_den = VOS_LIFECYCLE_STAGES * c->accounts_with_case;
    int rc = part_of_whole(c->accounts_with_case, c->accounts, "accounts");
    if (rc == 0) rc = part_of_whole(c->lifecycle_stages, lifecycle_den, "lifecycle stages");
    if (rc == 0) rc = part_of_whole(c->measured_cases, c->committed_cases, "committed cases");
    if (rc == 0) rc = part_of_whole(c->inputs_with_evidence, c->inputs, "inputs");
    if (rc == 0) rc = part_of_whole(c->models_approved, c->models, "models");
    if (rc == 0) rc = part_of_whole(c->front_line_owners, c->front_line, "front-line users");
    if (rc < 0) return rc;
    set_indicator(&out[VOS_INDICATOR_CASE_COVERAGE], VOS_INDICATOR_CASE_COVERAGE,
                  c->accounts_with_case, c->accounts);
    set_indicator(&out[VOS_INDICATOR_LIFECYCLE], VOS_INDICATOR_LIFECYCLE, c->lifecycle_stages,
                  lifecycle_den);
    set_indicator(&out[VOS_INDICATOR_CONTINUOUS_PROOF], VOS_INDICATOR_CONTINUOUS_PROOF,
                  c->measured_cases, c->committed_cases);
    set_indicator(&out[VOS_INDICATOR_INPUT_EVIDENCE], VOS_INDICATOR_INPUT_EVIDENCE,
                  c->inputs_with_evidence, c->inputs);
    set_indicator(&out[VOS_INDICATOR_GOVERNANCE], VOS_INDICATOR_GOVERNANCE, c->models_approved,
                  c->models);
    set_indicator(&out[VOS_INDICATOR_FRONT_LINE], VOS_INDICATOR_FRONT_LINE, c->front_line_owners,
                  c->front_line);
    return 0;
}

/* ---- radar chart ---------------------------------------------------------------------------- */

vos_point vos_radar_point(size_t axis, size_t n_axes, double value, double cx, double cy,
                          double radius)
{
    double turn = n_axes ? 2 * PI * (double)axis / (double)n_axes : 0;
    double angle = turn - PI / 2; /* axis 0 points up; SVG's y grows downwards: clockwise */
    double r = radius * value / VOS_MATURITY_STAGES;
    return (vos_point){cx + r * cos(angle), cy + r * sin(angle)};
}
