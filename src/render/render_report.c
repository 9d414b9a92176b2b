/* The HTML report of a maturity assessment (vos_render_assessment_report): one self-contained
 * page, inline CSS and an inline SVG radar chart drawn here from core's geometry
 * (vos_radar_point), so it opens offline, prints, and can be mailed as one file. */
#include "render/render_assess.h"

#include "vos/error.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a bounded text buffer ---- */

#define HB_FIRST_CAP (64 * 1024) /* bytes first allocated for a report */

typedef struct hbuf {
    char *s;
    size_t len, cap;
    int err; /* 0, VOS_ETOOLARGE or VOS_ENOMEM: sticky */
} hbuf;

static void hb_put(hbuf *b, const char *s, size_t n)
{
    if (b->err) return;
    if (b->len + n + 1 > VOS_ASSESS_REPORT_MAX) {
        b->err = VOS_ETOOLARGE;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : HB_FIRST_CAP;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *s2 = realloc(b->s, cap);
        if (!s2) {
            b->err = VOS_ENOMEM;
            return;
        }
        b->s = s2;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void hb_str(hbuf *b, const char *s)
{
    hb_put(b, s, strlen(s));
}

static void hb_fmt(hbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void hb_fmt(hbuf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    hb_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Text with &, <, >, " and ' escaped. */
static void hb_esc(hbuf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            hb_str(b, "&amp;");
            break;
        case '<':
            hb_str(b, "&lt;");
            break;
        case '>':
            hb_str(b, "&gt;");
            break;
        case '"':
            hb_str(b, "&quot;");
            break;
        case '\'':
            hb_str(b, "&#39;");
            break;
        default:
            hb_put(b, s, 1);
        }
    }
}

/* ---- pieces ---- */

#define CHART_W 800
#define CHART_H 600
#define CHART_CX 400.0
#define CHART_CY 300.0
#define CHART_R 220.0
#define LABEL_GAP 14.0  /* px between the outer ring and an axis label */
#define LABEL_CHARS 24  /* characters of one line of an axis label */
#define LABEL_LINE 13.0 /* px between the lines of a label */
#define SIDE_TOLERANCE 1.0
#define DOT_R 3.0         /* px: the marker of a dimension's stage */
#define RING_LABEL_DX 4.0 /* px from axis 0 to a ring's numeral */
#define RING_LABEL_DY 3.0
#define PERCENT 100.0

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1d2433;"
    "max-width:1040px;margin:2em auto;padding:0 1em;line-height:1.45}"
    "h1{margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #d5dae3}"
    ".sub{color:#5a6478;margin-top:0}.big{font-size:1.5em;font-weight:600}"
    "table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:.92em}"
    "th,td{border:1px solid #d5dae3;padding:.35em .5em;text-align:left;vertical-align:top}"
    "th{background:#f2f4f8}td.num{text-align:right;white-space:nowrap}"
    ".stage{white-space:nowrap;font-weight:600}.muted{color:#5a6478}"
    "svg{max-width:100%;height:auto}.ring{fill:none;stroke:#d5dae3}.axis{stroke:#e3e7ee}"
    ".ring-label{font-size:10px;fill:#8a93a5}.axis-label{font-size:11px;fill:#1d2433}"
    ".current{fill:rgba(37,99,235,.22);stroke:#2563eb;stroke-width:2}"
    ".target{fill:none;stroke:#16a34a;stroke-width:1.5;stroke-dasharray:6 4}"
    ".before{fill:none;stroke:#9333ea;stroke-width:1.5;stroke-dasharray:2 3}"
    ".dot{fill:#2563eb}.legend span{display:inline-block;margin-right:1.2em}"
    ".key{display:inline-block;width:1.6em;height:.3em;vertical-align:middle;margin-right:.3em}"
    "ol.steps{margin:.3em 0 0 1.2em;padding:0}"
    "footer{margin-top:2.5em;font-size:.85em;color:#5a6478}";

static void points(hbuf *b, size_t n, const int *stages, int uniform)
{
    for (size_t i = 0; i < n; i++) {
        vos_point p =
            vos_radar_point(i, n, stages ? stages[i] : uniform, CHART_CX, CHART_CY, CHART_R);
        hb_fmt(b, "%s%.1f,%.1f", i ? " " : "", p.x, p.y);
    }
}

/* A dimension's name in lines of at most LABEL_CHARS characters (words are not split).
 * OUT: starts[k], lens[k] of each line; returns the number of lines. */
static size_t wrap(const char *s, const char **starts, size_t *lens, size_t max_lines)
{
    size_t n = 0;
    while (*s && n < max_lines) {
        while (*s == ' ')
            s++;
        size_t len = strlen(s), cut = len;
        if (len > LABEL_CHARS) {
            cut = 0;
            for (size_t i = 0; i <= LABEL_CHARS && i < len; i++)
                if (s[i] == ' ') cut = i;
            if (cut == 0) cut = strcspn(s, " ");
        }
        starts[n] = s;
        lens[n++] = cut;
        s += cut;
    }
    return n;
}

static void axis_label(hbuf *b, const vos_bp_dimension *d, size_t i, size_t n)
{
    enum { MAX_LINES = 6 };
    const char *starts[MAX_LINES];
    size_t lens[MAX_LINES];
    size_t lines = wrap(d->name, starts, lens, MAX_LINES);
    vos_point p =
        vos_radar_point(i, n, VOS_MATURITY_STAGES, CHART_CX, CHART_CY, CHART_R + LABEL_GAP);
    const char *anchor = p.x > CHART_CX + SIDE_TOLERANCE   ? "start"
                         : p.x < CHART_CX - SIDE_TOLERANCE ? "end"
                                                           : "middle";
    double height = (double)(lines - 1) * LABEL_LINE;
    double y = p.y < CHART_CY - CHART_R / 2   ? p.y - height
               : p.y > CHART_CY + CHART_R / 2 ? p.y + LABEL_LINE * 0.8
                                              : p.y - height / 2 + LABEL_LINE * 0.3;
    hb_fmt(b, "<text class=\"axis-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", p.x, y,
           anchor);
    hb_str(b, "<title>");
    hb_esc(b, d->key);
    hb_str(b, "</title>");
    for (size_t k = 0; k < lines; k++) {
        hb_fmt(b, "<tspan x=\"%.1f\" dy=\"%g\">", p.x, k ? LABEL_LINE : 0.0);
        char line[LABEL_CHARS * 4 + 1];
        snprintf(line, sizeof line, "%.*s", (int)lens[k], starts[k]);
        hb_esc(b, line);
        hb_str(b, "</tspan>");
    }
    hb_str(b, "</text>\n");
}

static void radar(hbuf *b, const vos_assessment *a, const vos_assessment *before, int target)
{
    const vos_blueprint *bp = a->blueprint;
    size_t n = bp->n_dimensions;
    hb_fmt(b,
           "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
           "height=\"%d\" role=\"img\" aria-label=\"Radar chart of the %zu dimensions\">\n",
           CHART_W, CHART_H, CHART_W, CHART_H, n);
    for (int s = 1; s <= VOS_MATURITY_STAGES; s++) {
        hb_str(b, "<polygon class=\"ring\" points=\"");
        points(b, n, NULL, s);
        vos_point top = vos_radar_point(0, n, s, CHART_CX, CHART_CY, CHART_R);
        hb_fmt(b, "\"/><text class=\"ring-label\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
               top.x + RING_LABEL_DX, top.y - RING_LABEL_DY, bp->stages[s - 1].numeral);
    }
    for (size_t i = 0; i < n; i++) {
        vos_point p = vos_radar_point(i, n, VOS_MATURITY_STAGES, CHART_CX, CHART_CY, CHART_R);
        hb_fmt(b, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
               CHART_CX, CHART_CY, p.x, p.y);
    }
    hb_str(b, "<polygon class=\"target\" points=\"");
    points(b, n, NULL, target);
    hb_str(b, "\"/>\n");
    if (before && before->blueprint->n_dimensions == n) {
        hb_str(b, "<polygon class=\"before\" points=\"");
        points(b, n, before->stages, 0);
        hb_str(b, "\"/>\n");
    }
    hb_str(b, "<polygon class=\"current\" points=\"");
    points(b, n, a->stages, 0);
    hb_str(b, "\"/>\n");
    for (size_t i = 0; i < n; i++) {
        vos_point p = vos_radar_point(i, n, a->stages[i], CHART_CX, CHART_CY, CHART_R);
        hb_fmt(b, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"%g\"/>\n", p.x, p.y, DOT_R);
    }
    for (size_t i = 0; i < n; i++)
        axis_label(b, &bp->dimensions[i], i, n);
    hb_str(b, "</svg>\n");
}

static void stage_cell(hbuf *b, const vos_blueprint *bp, int stage)
{
    char label[64];
    hb_str(b, "<td class=\"stage\">");
    hb_esc(b, vos_render_stage_label(label, sizeof label, bp, stage));
    hb_str(b, "</td>");
}

static void dimension_list(hbuf *b, const vos_blueprint *bp, const size_t *dims, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) hb_str(b, ", ");
        hb_esc(b, bp->dimensions[dims[i]].name);
    }
}

/* ---- sections ---- */

static void header(hbuf *b, const char *title, const vos_assessment *a)
{
    const vos_assessment_row *r = a->row;
    hb_str(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              "<title>Value maturity assessment ");
    hb_esc(b, r->taken_at);
    hb_str(b, "</title>\n<style>");
    hb_str(b, css);
    hb_str(b, "</style>\n</head>\n<body>\n<header>\n<h1>Value maturity assessment</h1>\n"
              "<p class=\"sub\">");
    if (title) {
        hb_esc(b, title);
        hb_str(b, " &middot; ");
    }
    hb_fmt(b, "assessment %lld, taken ", (long long)r->id);
    hb_esc(b, r->taken_at);
    hb_str(b, " by ");
    hb_esc(b, a->assessor ? a->assessor : "the system");
    hb_str(b, " &middot; ");
    hb_esc(b, a->blueprint->source);
    hb_str(b, " (");
    hb_esc(b, r->blueprint);
    hb_str(b, " ");
    hb_esc(b, r->blueprint_version);
    hb_str(b, ")</p>\n</header>\n");
}

static void summary(hbuf *b, const vos_assessment *a, const vos_assessment *before, int target)
{
    const vos_blueprint *bp = a->blueprint;
    const vos_maturity_group *g = &a->scores.overall;
    const vos_bp_stage *s = &bp->stages[g->stage - 1];
    char label[64];
    hb_str(b, "<section>\n<p class=\"big\">Overall stage: ");
    hb_esc(b, vos_render_stage_label(label, sizeof label, bp, g->stage));
    hb_str(b, "</p>\n<p>");
    hb_esc(b, s->tagline);
    hb_str(b, " (");
    hb_esc(b, s->equation);
    hb_fmt(b,
           ").  The median of the %zu dimensions is %g (mean %.2f); they spread over %d "
           "stage%s, from ",
           bp->n_dimensions, g->median, g->mean, g->spread, g->spread == 1 ? "" : "s");
    hb_esc(b, vos_render_stage_label(label, sizeof label, bp, g->min));
    hb_str(b, " to ");
    hb_esc(b, vos_render_stage_label(label, sizeof label, bp, g->max));
    hb_str(b, ".  Weakest: ");
    dimension_list(b, bp, g->weakest, g->n_weakest);
    hb_str(b, ".</p>\n<p>Target stage: <strong>");
    hb_esc(b, vos_render_stage_label(label, sizeof label, bp, target));
    size_t below = 0;
    for (size_t i = 0; i < bp->n_dimensions; i++)
        below += a->stages[i] < target;
    hb_fmt(b, "</strong>; %zu of %zu dimensions are below it.</p>\n", below, bp->n_dimensions);
    if (a->row->notes) {
        hb_str(b, "<p class=\"muted\">Notes: ");
        hb_esc(b, a->row->notes);
        hb_str(b, "</p>\n");
    }
    if (before && before->blueprint->n_dimensions == bp->n_dimensions) {
        size_t up = 0, down = 0;
        for (size_t i = 0; i < bp->n_dimensions; i++) {
            up += a->stages[i] > before->stages[i];
            down += a->stages[i] < before->stages[i];
        }
        hb_str(b, "<p>Progress since ");
        hb_esc(b, before->row->taken_at);
        hb_fmt(b,
               " (assessment %lld): overall median %g &rarr; %g; %zu dimension%s up, %zu down."
               "</p>\n",
               (long long)before->row->id, before->scores.overall.median, g->median, up,
               up == 1 ? "" : "s", down);
    }
    hb_str(b, "</section>\n");
}

static void chart_section(hbuf *b, const vos_assessment *a, const vos_assessment *before,
                          int target)
{
    hb_str(b, "<section>\n<h2>The fifteen dimensions</h2>\n");
    radar(b, a, before, target);
    hb_str(b, "<p class=\"legend\"><span><i class=\"key\" style=\"background:#2563eb\"></i>"
              "stages chosen</span><span><i class=\"key\" style=\"background:#16a34a\"></i>"
              "target</span>");
    if (before) {
        hb_str(b, "<span><i class=\"key\" style=\"background:#9333ea\"></i>");
        hb_esc(b, before->row->taken_at);
        hb_str(b, "</span>");
    }
    hb_str(b, "</p>\n</section>\n");
}

static void pillar_section(hbuf *b, const vos_assessment *a)
{
    const vos_blueprint *bp = a->blueprint;
    hb_str(b, "<section>\n<h2>Pillars</h2>\n<table>\n<tr><th>Pillar</th><th>Median</th>"
              "<th>Stage</th><th>Weakest</th><th>Spread</th></tr>\n");
    for (size_t p = 0; p < a->scores.n_pillars; p++) {
        const vos_maturity_group *g = &a->scores.pillars[p];
        hb_str(b, "<tr><td>");
        hb_esc(b, bp->pillars[p].name);
        hb_fmt(b, "</td><td class=\"num\">%g</td>", g->median);
        stage_cell(b, bp, g->stage);
        hb_str(b, "<td>");
        dimension_list(b, bp, g->weakest, g->n_weakest);
        hb_fmt(b, "</td><td class=\"num\">%d</td></tr>\n", g->spread);
    }
    hb_fmt(b, "<tr><th>Overall</th><td class=\"num\">%g</td>", a->scores.overall.median);
    stage_cell(b, bp, a->scores.overall.stage);
    hb_str(b, "<td>");
    dimension_list(b, bp, a->scores.overall.weakest, a->scores.overall.n_weakest);
    hb_fmt(b, "</td><td class=\"num\">%d</td></tr>\n</table>\n</section>\n",
           a->scores.overall.spread);
}

static void answer_section(hbuf *b, const vos_assessment *a, const vos_assessment *before)
{
    const vos_blueprint *bp = a->blueprint;
    int with_before = before && before->blueprint->n_dimensions == bp->n_dimensions;
    hb_str(b, "<section>\n<h2>Answers</h2>\n<table>\n<tr><th>Pillar</th><th>Dimension</th>"
              "<th>Stage</th><th>What it looks like</th><th>Evidence</th>");
    if (with_before) hb_str(b, "<th>Before</th>");
    hb_str(b, "</tr>\n");
    for (size_t i = 0; i < a->n_answers; i++) {
        const vos_bp_dimension *d = &bp->dimensions[i];
        hb_str(b, "<tr><td>");
        hb_esc(b, bp->pillars[d->pillar].name);
        hb_str(b, "</td><td>");
        hb_esc(b, d->name);
        hb_str(b, "</td>");
        stage_cell(b, bp, a->stages[i]);
        hb_str(b, "<td>");
        hb_esc(b, d->stages[a->stages[i] - 1]);
        hb_str(b, "</td><td>");
        hb_esc(b, a->answers[i].evidence ? a->answers[i].evidence : "");
        hb_str(b, "</td>");
        if (with_before) stage_cell(b, bp, before->stages[i]);
        hb_str(b, "</tr>\n");
    }
    hb_str(b, "</table>\n</section>\n");
}

static void indicator_section(hbuf *b, const vos_assessment *a, const vos_indicator *ind, size_t n)
{
    const vos_blueprint *bp = a->blueprint;
    hb_str(b, "<section>\n<h2>Evidence from usage</h2>\n<p class=\"muted\">Measured from this "
              "organisation's own VOS data when the report was made, beside the "
              "self-assessed stages of the dimensions each one informs.</p>\n<table>\n"
              "<tr><th>Indicator</th><th>Value</th><th>Counts</th><th>Informs "
              "(self-assessed)</th><th>Why</th></tr>\n");
    for (size_t k = 0; k < n; k++) {
        const vos_indicator *x = &ind[k];
        hb_str(b, "<tr><td>");
        hb_esc(b, x->name);
        if (isnan(x->value))
            hb_str(b, "</td><td class=\"num\">no data</td>");
        else
            hb_fmt(b, "</td><td class=\"num\">%.1f%%</td>", x->value * PERCENT);
        hb_fmt(b, "<td class=\"num\">%lld / %lld</td><td>", (long long)x->numerator,
               (long long)x->denominator);
        for (size_t i = 0; i < x->n_informs; i++) {
            int d = vos_blueprint_dimension(bp, x->informs[i]);
            char label[64];
            if (i) hb_str(b, "<br>");
            hb_esc(b, d >= 0 ? bp->dimensions[d].name : x->informs[i]);
            if (d >= 0) {
                hb_str(b, " (");
                hb_esc(b, vos_render_stage_label(label, sizeof label, bp, a->stages[d]));
                hb_str(b, ")");
            }
        }
        hb_str(b, "</td><td>");
        hb_esc(b, x->why);
        hb_str(b, "<br><span class=\"muted\">");
        hb_esc(b, x->measure);
        hb_str(b, "</span></td></tr>\n");
    }
    hb_str(b, "</table>\n</section>\n");
}

static void action_row(hbuf *b, size_t number, const vos_bp_action *act, const char *owner,
                       const char *due)
{
    hb_fmt(b, "<tr><td class=\"num\">%zu</td><td>", number);
    hb_esc(b, act->text);
    if (act->n_steps) {
        hb_str(b, "<ol class=\"steps\">");
        for (size_t s = 0; s < act->n_steps; s++) {
            hb_str(b, "<li>");
            hb_esc(b, act->steps[s]);
            hb_str(b, "</li>");
        }
        hb_str(b, "</ol>");
    }
    hb_str(b, "</td><td>");
    hb_esc(b, owner ? owner : "unassigned");
    hb_str(b, "</td><td class=\"num\">");
    hb_esc(b, due);
    hb_str(b, "</td></tr>\n");
}

static void roadmap_section(hbuf *b, const vos_assessment *a, const vos_roadmap *r,
                            const char *owner)
{
    const vos_blueprint *bp = a->blueprint;
    char label[64];
    hb_str(b, "<section>\n<h2>Roadmap to ");
    hb_esc(b, vos_render_stage_label(label, sizeof label, bp, r->target));
    hb_str(b, "</h2>\n");
    if (r->n_phases == 0) {
        hb_str(b, "<p>Every dimension has reached the target stage.</p>\n</section>\n");
        return;
    }
    hb_fmt(b,
           "<p class=\"muted\">%zu dimensions below the target, largest gap first; one "
           "quarter per transition from ",
           r->n_items);
    hb_esc(b, r->start);
    hb_fmt(b, "; %zu actions.</p>\n", r->n_actions);
    size_t number = 0;
    for (size_t k = 0; k < r->n_phases; k++) {
        const vos_roadmap_phase *p = &r->phases[k];
        const vos_bp_transition *t = &bp->transitions[p->from - 1];
        hb_fmt(b, "<h3>Quarter %zu (", k + 1);
        hb_esc(b, p->starts);
        hb_str(b, " to ");
        hb_esc(b, p->due);
        hb_str(b, "): ");
        hb_esc(b, t->title);
        hb_fmt(b, "</h3>\n<p>Gap %d, for: ", p->gap);
        for (size_t i = p->first_item; i < p->first_item + p->n_items; i++) {
            if (i > p->first_item) hb_str(b, ", ");
            hb_esc(b, bp->dimensions[r->items[i].dimension].name);
        }
        hb_str(b, ".</p>\n<table>\n<tr><th>#</th><th>Action</th><th>Owner</th><th>Due</th>"
                  "</tr>\n");
        for (size_t i = 0; i < t->n_actions; i++)
            action_row(b, ++number, &t->actions[i], owner, p->due);
        hb_str(b, "</table>\n");
    }
    hb_str(b, "</section>\n");
}

static void footer(hbuf *b)
{
    hb_str(b, "<footer>How the scores are computed: each dimension scores the stage chosen "
              "for it (I = 1 to V = 5); a pillar and the whole scores the median of its "
              "dimensions (for an even count, the mean of the two middle ones), rounded down "
              "to the stage reached, with its weakest dimensions and its spread (highest "
              "minus lowest stage).  Made by VOS, the Value Operating System.</footer>\n"
              "</body>\n</html>\n");
}

int vos_render_assessment_report(char **out, size_t *len, const char *title,
                                 const vos_assessment *a, const vos_assessment *before,
                                 const vos_indicator *ind, size_t n_ind, const vos_roadmap *r,
                                 const char *owner)
{
    *out = NULL;
    *len = 0;
    hbuf b = {0};
    int target = r ? r->target : (int)a->row->target_stage;
    header(&b, title, a);
    summary(&b, a, before, target);
    chart_section(&b, a, before, target);
    pillar_section(&b, a);
    answer_section(&b, a, before);
    if (ind && n_ind) indicator_section(&b, a, ind, n_ind);
    if (r) roadmap_section(&b, a, r, owner);
    footer(&b);
    if (b.err) {
        free(b.s);
        return b.err == VOS_ENOMEM
                   ? vos_error_set(VOS_ENOMEM, "out of memory writing the report")
                   : vos_error_set(VOS_ETOOLARGE, "the report is larger than %d bytes",
                                   VOS_ASSESS_REPORT_MAX);
    }
    *out = b.s;
    *len = b.len;
    return 0;
}
