/* Policy warnings of a model as a case sees its inputs (docs/model-language.md, "Policy
 * warnings").  The loader reports the same rules with their line and column while it reads a
 * model text; this is the structured form, computed from a loaded model and a case's inputs,
 * so that evidence a case gives clears the warning that asked for it. */
#include "engine_int.h"

#include "vos/error.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const rule_names[VOS_POLICY_RULE_COUNT] = {
    "no_evidence",      "no_range",         "unused_input",   "no_haircut",  "no_outcome",
    "empty_capability", "empty_outcome",    "unlisted_outcome", "unlisted_kpi"};

const char *vos_policy_rule_name(vos_policy_rule r)
{
    return (unsigned)r < VOS_POLICY_RULE_COUNT ? rule_names[r] : "?";
}

typedef struct warnings {
    vos_policy_warning *items;
    size_t n, cap;
    int nomem;
} warnings;

static void add(warnings *ws, vos_policy_rule rule, const char *element, size_t index,
                const char *id, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void add(warnings *ws, vos_policy_rule rule, const char *element, size_t index,
                const char *id, const char *fmt, ...)
{
    if (ws->nomem) return;
    if (ws->n == ws->cap) {
        size_t cap = ws->cap ? ws->cap * 2 : 8;
        vos_policy_warning *items = realloc(ws->items, cap * sizeof *items);
        if (!items) {
            ws->nomem = 1;
            return;
        }
        ws->items = items;
        ws->cap = cap;
    }
    vos_policy_warning *w = &ws->items[ws->n++];
    *w = (vos_policy_warning){.rule = rule, .element = element, .index = index, .id = id};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->message, sizeof w->message, fmt, ap);
    va_end(ap);
}

/* Marks in read[] (n_inputs) the inputs a formula reads. */
static void note_reads(unsigned char *read, const vos_model *m, const vos_formula *f)
{
    const uint32_t *slots;
    size_t n = f ? vos_formula_deps(f, &slots) : 0;
    for (size_t i = 0; i < n; i++)
        if (slots[i] < m->n_inputs) read[slots[i]] = 1;
}

static void input_warnings(warnings *ws, const vos_case *c, const unsigned char *read)
{
    const vos_model *m = c->model;
    for (size_t i = 0; i < m->n_inputs; i++) {
        const vos_input *in = &m->inputs[i];
        const vos_dist *d = &c->dists[i];
        if (!vos_case_input_evidence(c, i, NULL))
            add(ws, VOS_POLICY_NO_EVIDENCE, "input", i, in->id,
                "input '%s' has no evidence: say where the value comes from", in->id);
        bool ranged = in->has_range || d->low < d->high;
        if (!read[i])
            add(ws, VOS_POLICY_UNUSED_INPUT, "input", i, in->id,
                "input '%s' is not read by any formula (unused input)", in->id);
        else if (!ranged && c->confidence[i] != VOS_CONFIDENCE_HIGH)
            add(ws, VOS_POLICY_NO_RANGE, "input", i, in->id,
                "input '%s' has no range: the conservative scenario cannot move it (give low "
                "and high, or confidence: high)",
                in->id);
    }
}

static void driver_warnings(warnings *ws, const vos_model *m)
{
    for (size_t d = 0; d < m->n_drivers; d++) {
        const vos_driver *dr = &m->drivers[d];
        if (dr->realization == 1)
            add(ws, VOS_POLICY_NO_HAIRCUT, "driver", d, dr->id,
                "driver '%s' has no realization haircut: not all value is realized in "
                "practice (e.g. realization: 80%%)",
                dr->id);
        if (dr->outcome == SIZE_MAX)
            add(ws, VOS_POLICY_NO_OUTCOME, "driver", d, dr->id,
                "driver '%s' names no outcome: its value is not tied to a measurable result",
                dr->id);
    }
}

/* Capabilities and outcomes with empty lists; outcomes and KPIs nothing lists.  `used` has
 * room for n_outcomes + n_kpis flags. */
static void tree_warnings(warnings *ws, const vos_model *m, unsigned char *used)
{
    for (size_t k = 0; k < m->n_capabilities; k++) {
        const vos_capability *cap = &m->capabilities[k];
        if (cap->n_outcomes == 0)
            add(ws, VOS_POLICY_CAPABILITY_EMPTY, "capability", k, cap->id,
                "capability '%s': lists no outcomes: it creates no value", cap->id);
        for (size_t i = 0; i < cap->n_outcomes; i++)
            used[cap->outcomes[i]] = 1;
    }
    for (size_t o = 0; o < m->n_outcomes; o++) {
        const vos_outcome *out = &m->outcomes[o];
        if (out->n_kpis == 0)
            add(ws, VOS_POLICY_OUTCOME_EMPTY, "outcome", o, out->id,
                "outcome '%s': lists no KPIs: nothing can show it was achieved", out->id);
        for (size_t i = 0; i < out->n_kpis; i++)
            used[m->n_outcomes + out->kpis[i]] = 1;
    }
    for (size_t o = 0; o < m->n_outcomes; o++)
        if (!used[o])
            add(ws, VOS_POLICY_OUTCOME_UNLISTED, "outcome", o, m->outcomes[o].id,
                "outcome '%s' is listed by no capability", m->outcomes[o].id);
    for (size_t k = 0; k < m->n_kpis; k++)
        if (!used[m->n_outcomes + k])
            add(ws, VOS_POLICY_KPI_UNLISTED, "kpi", k, m->kpis[k].id,
                "KPI '%s' belongs to no outcome", m->kpis[k].id);
}

int vos_case_policy(const vos_case *c, vos_policy_warning **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const vos_model *m = c->model;
    unsigned char *read = calloc(m->n_inputs + 1, 1);
    unsigned char *used = calloc(m->n_outcomes + m->n_kpis + 1, 1);
    warnings ws = {0};
    if (read && used) {
        for (size_t d = 0; d < m->n_drivers; d++) {
            note_reads(read, m, m->drivers[d].formula);
            note_reads(read, m, m->drivers[d].realized);
        }
        for (size_t k = 0; k < m->n_costs; k++)
            note_reads(read, m, m->costs[k].formula);
        input_warnings(&ws, c, read);
        driver_warnings(&ws, m);
        tree_warnings(&ws, m, used);
    }
    free(read);
    free(used);
    if (!read || !used || ws.nomem) {
        free(ws.items);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    *out = ws.items;
    *n = ws.n;
    return 0;
}
