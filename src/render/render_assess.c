/* JSON of maturity assessments: the blueprint, assessments, roadmaps and indicators
 * (render_assess.h).  The HTML report is in render_report.c. */
#include "render/render_assess.h"

#include <stdio.h>
#include <string.h>

static void text_or_null(vos_jw *w, const char *s)
{
    if (s)
        vos_jw_string(w, s);
    else
        vos_jw_null(w);
}

const char *vos_render_stage_label(char *buf, size_t size, const vos_blueprint *bp, int stage)
{
    if (stage < 1 || stage > VOS_MATURITY_STAGES)
        snprintf(buf, size, "%d", stage);
    else
        snprintf(buf, size, "%s %s", bp->stages[stage - 1].numeral, bp->stages[stage - 1].name);
    return buf;
}

/* ---- the blueprint ---- */

static void render_stage(vos_jw *w, const vos_bp_stage *s)
{
    vos_jw_object(w);
    vos_jw_key(w, "number");
    vos_jw_integer(w, s->number);
    vos_jw_key(w, "numeral");
    vos_jw_string(w, s->numeral);
    vos_jw_key(w, "key");
    vos_jw_string(w, s->key);
    vos_jw_key(w, "name");
    vos_jw_string(w, s->name);
    vos_jw_key(w, "tagline");
    vos_jw_string(w, s->tagline);
    vos_jw_key(w, "equation");
    vos_jw_string(w, s->equation);
    vos_jw_end(w);
}

static void render_pillar(vos_jw *w, const vos_blueprint *bp, const vos_bp_pillar *p)
{
    vos_jw_object(w);
    vos_jw_key(w, "key");
    vos_jw_string(w, p->key);
    vos_jw_key(w, "name");
    vos_jw_string(w, p->name);
    vos_jw_key(w, "dimensions");
    vos_jw_array(w);
    for (size_t i = p->first; i < p->first + p->n; i++) {
        const vos_bp_dimension *d = &bp->dimensions[i];
        vos_jw_object(w);
        vos_jw_key(w, "key");
        vos_jw_string(w, d->key);
        vos_jw_key(w, "name");
        vos_jw_string(w, d->name);
        vos_jw_key(w, "stages");
        vos_jw_array(w);
        for (int s = 0; s < VOS_MATURITY_STAGES; s++)
            vos_jw_string(w, d->stages[s]);
        vos_jw_end(w);
        vos_jw_end(w);
    }
    vos_jw_end(w);
    vos_jw_end(w);
}

static void render_action(vos_jw *w, const vos_bp_action *a, const char *owner, const char *due)
{
    vos_jw_object(w);
    vos_jw_key(w, "text");
    vos_jw_string(w, a->text);
    vos_jw_key(w, "steps");
    vos_jw_array(w);
    for (size_t i = 0; i < a->n_steps; i++)
        vos_jw_string(w, a->steps[i]);
    vos_jw_end(w);
    if (due) {
        vos_jw_key(w, "owner");
        text_or_null(w, owner);
        vos_jw_key(w, "due");
        vos_jw_string(w, due);
    }
    vos_jw_end(w);
}

void vos_render_blueprint(vos_jw *w, const vos_blueprint *bp)
{
    vos_jw_object(w);
    vos_jw_key(w, "id");
    vos_jw_string(w, bp->id);
    vos_jw_key(w, "version");
    vos_jw_string(w, bp->version);
    vos_jw_key(w, "source");
    vos_jw_string(w, bp->source);
    vos_jw_key(w, "stages");
    vos_jw_array(w);
    for (int s = 0; s < VOS_MATURITY_STAGES; s++)
        render_stage(w, &bp->stages[s]);
    vos_jw_end(w);
    vos_jw_key(w, "pillars");
    vos_jw_array(w);
    for (size_t p = 0; p < bp->n_pillars; p++)
        render_pillar(w, bp, &bp->pillars[p]);
    vos_jw_end(w);
    vos_jw_key(w, "transitions");
    vos_jw_array(w);
    for (int t = 0; t < VOS_MATURITY_TRANSITIONS; t++) {
        const vos_bp_transition *tr = &bp->transitions[t];
        vos_jw_object(w);
        vos_jw_key(w, "from");
        vos_jw_integer(w, tr->from);
        vos_jw_key(w, "to");
        vos_jw_integer(w, tr->to);
        vos_jw_key(w, "title");
        vos_jw_string(w, tr->title);
        vos_jw_key(w, "actions");
        vos_jw_array(w);
        for (size_t i = 0; i < tr->n_actions; i++)
            render_action(w, &tr->actions[i], NULL, NULL);
        vos_jw_end(w);
        vos_jw_end(w);
    }
    vos_jw_end(w);
    vos_jw_end(w);
}

/* ---- assessments ---- */

static void group_keys(vos_jw *w, const vos_blueprint *bp, const vos_maturity_group *g)
{
    char label[64];
    vos_jw_key(w, "median");
    vos_jw_number(w, g->median);
    vos_jw_key(w, "mean");
    vos_jw_number(w, g->mean);
    vos_jw_key(w, "stage");
    vos_jw_integer(w, g->stage);
    vos_jw_key(w, "stage_name");
    vos_jw_string(w, vos_render_stage_label(label, sizeof label, bp, g->stage));
    vos_jw_key(w, "min");
    vos_jw_integer(w, g->min);
    vos_jw_key(w, "max");
    vos_jw_integer(w, g->max);
    vos_jw_key(w, "spread");
    vos_jw_integer(w, g->spread);
    vos_jw_key(w, "weakest");
    vos_jw_array(w);
    for (size_t i = 0; i < g->n_weakest; i++)
        vos_jw_string(w, bp->dimensions[g->weakest[i]].key);
    vos_jw_end(w);
}

void vos_render_maturity_group(vos_jw *w, const vos_blueprint *bp, const vos_maturity_group *g)
{
    vos_jw_object(w);
    group_keys(w, bp, g);
    vos_jw_end(w);
}

static void render_scores(vos_jw *w, const vos_blueprint *bp, const vos_maturity_scores *s)
{
    vos_jw_object(w);
    vos_jw_key(w, "overall");
    vos_render_maturity_group(w, bp, &s->overall);
    vos_jw_key(w, "pillars");
    vos_jw_array(w);
    for (size_t p = 0; p < s->n_pillars; p++) {
        vos_jw_object(w);
        vos_jw_key(w, "key");
        vos_jw_string(w, bp->pillars[p].key);
        vos_jw_key(w, "name");
        vos_jw_string(w, bp->pillars[p].name);
        group_keys(w, bp, &s->pillars[p]);
        vos_jw_end(w);
    }
    vos_jw_end(w);
    vos_jw_end(w);
}

static void render_answers(vos_jw *w, const vos_assessment *a)
{
    const vos_blueprint *bp = a->blueprint;
    char label[64];
    vos_jw_array(w);
    for (size_t i = 0; i < a->n_answers; i++) {
        const vos_bp_dimension *d = &bp->dimensions[i];
        int st = a->stages[i];
        vos_jw_object(w);
        vos_jw_key(w, "dimension");
        vos_jw_string(w, d->key);
        vos_jw_key(w, "name");
        vos_jw_string(w, d->name);
        vos_jw_key(w, "pillar");
        vos_jw_string(w, bp->pillars[d->pillar].key);
        vos_jw_key(w, "stage");
        vos_jw_integer(w, st);
        vos_jw_key(w, "stage_name");
        vos_jw_string(w, vos_render_stage_label(label, sizeof label, bp, st));
        vos_jw_key(w, "description");
        vos_jw_string(w, d->stages[st - 1]);
        vos_jw_key(w, "evidence");
        text_or_null(w, a->answers[i].evidence);
        vos_jw_end(w);
    }
    vos_jw_end(w);
}

void vos_render_assessment(vos_jw *w, const vos_assessment *a, int answers)
{
    const vos_assessment_row *r = a->row;
    vos_jw_object(w);
    vos_jw_key(w, "id");
    vos_jw_integer(w, r->id);
    vos_jw_key(w, "created_at");
    vos_jw_string(w, r->created_at);
    vos_jw_key(w, "taken_at");
    vos_jw_string(w, r->taken_at);
    vos_jw_key(w, "taken_by");
    if (r->taken_by)
        vos_jw_integer(w, r->taken_by);
    else
        vos_jw_null(w);
    vos_jw_key(w, "assessor");
    text_or_null(w, a->assessor);
    vos_jw_key(w, "blueprint");
    vos_jw_object(w);
    vos_jw_key(w, "id");
    vos_jw_string(w, r->blueprint);
    vos_jw_key(w, "version");
    vos_jw_string(w, r->blueprint_version);
    vos_jw_end(w);
    vos_jw_key(w, "target_stage");
    vos_jw_integer(w, r->target_stage);
    vos_jw_key(w, "notes");
    text_or_null(w, r->notes);
    vos_jw_key(w, "scores");
    render_scores(w, a->blueprint, &a->scores);
    if (answers) {
        vos_jw_key(w, "answers");
        render_answers(w, a);
    }
    vos_jw_end(w);
}

/* ---- roadmap ---- */

static void render_item(vos_jw *w, const vos_blueprint *bp, const vos_roadmap_item *it)
{
    const vos_bp_dimension *d = &bp->dimensions[it->dimension];
    vos_jw_object(w);
    vos_jw_key(w, "dimension");
    vos_jw_string(w, d->key);
    vos_jw_key(w, "name");
    vos_jw_string(w, d->name);
    vos_jw_key(w, "pillar");
    vos_jw_string(w, bp->pillars[d->pillar].key);
    vos_jw_key(w, "current");
    vos_jw_integer(w, it->current);
    vos_jw_key(w, "next");
    vos_jw_integer(w, it->next);
    vos_jw_key(w, "gap");
    vos_jw_integer(w, it->gap);
    vos_jw_end(w);
}

static void render_phase(vos_jw *w, const vos_blueprint *bp, const vos_roadmap *r,
                         const vos_roadmap_phase *p, const char *owner)
{
    const vos_bp_transition *t = &bp->transitions[p->from - 1];
    vos_jw_object(w);
    vos_jw_key(w, "from");
    vos_jw_integer(w, p->from);
    vos_jw_key(w, "to");
    vos_jw_integer(w, p->to);
    vos_jw_key(w, "title");
    vos_jw_string(w, t->title);
    vos_jw_key(w, "gap");
    vos_jw_integer(w, p->gap);
    vos_jw_key(w, "starts");
    vos_jw_string(w, p->starts);
    vos_jw_key(w, "due");
    vos_jw_string(w, p->due);
    vos_jw_key(w, "dimensions");
    vos_jw_array(w);
    for (size_t i = p->first_item; i < p->first_item + p->n_items; i++)
        vos_jw_string(w, bp->dimensions[r->items[i].dimension].key);
    vos_jw_end(w);
    vos_jw_key(w, "actions");
    vos_jw_array(w);
    for (size_t i = 0; i < t->n_actions; i++)
        render_action(w, &t->actions[i], owner, p->due);
    vos_jw_end(w);
    vos_jw_end(w);
}

void vos_render_roadmap(vos_jw *w, const vos_assessment *a, const vos_roadmap *r, const char *owner)
{
    const vos_blueprint *bp = a->blueprint;
    vos_jw_object(w);
    vos_jw_key(w, "assessment_id");
    vos_jw_integer(w, a->row->id);
    vos_jw_key(w, "target");
    vos_jw_integer(w, r->target);
    vos_jw_key(w, "start");
    vos_jw_string(w, r->start);
    vos_jw_key(w, "owner");
    text_or_null(w, owner);
    vos_jw_key(w, "items");
    vos_jw_array(w);
    for (size_t i = 0; i < r->n_items; i++)
        render_item(w, bp, &r->items[i]);
    vos_jw_end(w);
    vos_jw_key(w, "phases");
    vos_jw_array(w);
    for (size_t p = 0; p < r->n_phases; p++)
        render_phase(w, bp, r, &r->phases[p], owner);
    vos_jw_end(w);
    vos_jw_key(w, "actions");
    vos_jw_integer(w, (long long)r->n_actions);
    vos_jw_end(w);
}

/* ---- indicators ---- */

void vos_render_indicators(vos_jw *w, const vos_indicator *ind, size_t n, const vos_blueprint *bp,
                           const int *stages)
{
    vos_jw_array(w);
    for (size_t k = 0; k < n; k++) {
        const vos_indicator *x = &ind[k];
        vos_jw_object(w);
        vos_jw_key(w, "key");
        vos_jw_string(w, x->key);
        vos_jw_key(w, "name");
        vos_jw_string(w, x->name);
        vos_jw_key(w, "measure");
        vos_jw_string(w, x->measure);
        vos_jw_key(w, "numerator");
        vos_jw_integer(w, (long long)x->numerator);
        vos_jw_key(w, "denominator");
        vos_jw_integer(w, (long long)x->denominator);
        vos_jw_key(w, "value");
        vos_jw_number(w, x->value); /* NAN: null */
        vos_jw_key(w, "informs");
        vos_jw_array(w);
        for (size_t i = 0; i < x->n_informs; i++) {
            int d = bp ? vos_blueprint_dimension(bp, x->informs[i]) : -1;
            vos_jw_object(w);
            vos_jw_key(w, "dimension");
            vos_jw_string(w, x->informs[i]);
            vos_jw_key(w, "name");
            text_or_null(w, d >= 0 ? bp->dimensions[d].name : NULL);
            vos_jw_key(w, "stage");
            if (d >= 0 && stages)
                vos_jw_integer(w, stages[d]);
            else
                vos_jw_null(w);
            vos_jw_end(w);
        }
        vos_jw_end(w);
        vos_jw_key(w, "why");
        vos_jw_string(w, x->why);
        vos_jw_end(w);
    }
    vos_jw_end(w);
}
