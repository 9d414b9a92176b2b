/* Differences between two models, and between the figures of two computations.
 *
 * Used to show what a new version of a model changes (element by element, field by field)
 * and what re-basing a case onto it does to every figure.  Pure: compares loaded models and
 * computes cases, nothing else. */
#ifndef VOS_MODEL_DIFF_H
#define VOS_MODEL_DIFF_H

#include "vos/engine.h"
#include "vos/model.h"

#include <stddef.h>

/* One difference between two versions of a model, or between two computations of a case. */
typedef struct vos_change {
    char *element; /* "model", "input", "driver", "cost", "kpi", "outcome", "capability",
                      or "figure" */
    char *id;      /* the element's id; for figures "<scenario>.<figure>", e.g. "expected.npv" */
    char *field;   /* what changed ("value", "formula", ...), "added" or "removed" */
    char *before;  /* text of the old value, NULL when added */
    char *after;   /* text of the new value, NULL when removed */
    double before_value, after_value; /* figures only (NAN when not defined) */
} vos_change;

typedef struct vos_changes {
    vos_change *items;
    size_t n;
} vos_changes;

/* Frees the items and empties *c (which stays usable).  NULL is a no-op. */
void vos_changes_free(vos_changes *c);

/* Appends to `out` every difference between models `a` (before) and `b` (after):
 *   model       fields name, description, currency, horizon, period, discount_rate
 *   input       added / removed; name, description, value, low, high, unit, dist, sd,
 *               evidence, confidence
 *   driver      added / removed; name, description, lever, outcome, formula, realized, ramp,
 *               realization, start
 *   cost        added / removed; name, description, kind (once / recurring), formula, at,
 *               start
 *   kpi         added / removed; name, description, unit, better
 *   outcome     added / removed; name, description, kpis
 *   capability  added / removed; name, description, outcomes
 * in that order; within a kind, the elements of `a` in their order, then those only in `b`.
 * Numbers are written in their shortest round-trip form, formulas as written, "none" where
 * a field is absent.  An added element's `after` (a removed one's `before`) summarises it.
 * On failure (out of memory) the changes appended so far stay in `out`. */
int vos_model_diff(vos_changes *out, const vos_model *a, const vos_model *b);

/* The figures compared by vos_changes_add_figures, in this order. */
#define VOS_DIFF_FIGURES                                                                           \
    "npv", "irr", "payback_months", "roi", "benefits_total", "costs_total", "revenue", "cost",     \
        "risk"
#define VOS_DIFF_FIGURE_COUNT 9

/* Computes the expected, conservative and optimistic scenarios of both cases (each over its
 * own model) and appends one "figure" change per scenario and figure, always, also when the
 * value is unchanged: id "<scenario>.<figure>", field "value", before/after as text ("n/a"
 * where the figure is not defined: no IRR, no payback, no ROI) and as numbers (NAN there).
 * Errors: those of vos_case_compute (VOS_ENUM), VOS_ENOMEM. */
int vos_changes_add_figures(vos_changes *out, vos_case *before, vos_case *after);

#endif
