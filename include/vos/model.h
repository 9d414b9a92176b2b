/* Value models: the governed definition of how a capability creates business value.
 *
 * A model is loaded from YAML (or JSON) text; see docs/model-language.md.  Loading validates
 * everything (unknown keys, missing fields, bad units, duplicate ids, dangling references,
 * cycles, formula errors) and reports every problem with its line and column.  A loaded model
 * is immutable and owns all its memory.
 *
 * Slots: every value a formula can read has a slot.  Slots 0 .. n_inputs-1 hold the inputs (in
 * their declared units); n_inputs .. n_inputs+n_drivers-1 hold the drivers' values (in model
 * currency per period); then three slots per KPI for realized formulas:
 * vos_model_kpi_slot(m, k, VOS_SYM_BASELINE|ACTUAL|TARGET), in the KPI's unit. */
#ifndef VOS_MODEL_H
#define VOS_MODEL_H

#include "vos/diag.h"
#include "vos/formula.h"
#include "vos/random.h"
#include "vos/unit.h"

#include <stddef.h>
#include <stdint.h>

typedef enum vos_lever { VOS_LEVER_REVENUE = 0, VOS_LEVER_COST, VOS_LEVER_RISK } vos_lever;
#define VOS_LEVER_COUNT 3
const char *vos_lever_name(vos_lever lever); /* "revenue", "cost", "risk" */

typedef enum vos_better { VOS_BETTER_HIGHER = 0, VOS_BETTER_LOWER } vos_better;
typedef enum vos_confidence {
    VOS_CONFIDENCE_UNSTATED = 0,
    VOS_CONFIDENCE_LOW,
    VOS_CONFIDENCE_MEDIUM,
    VOS_CONFIDENCE_HIGH
} vos_confidence;
const char *vos_confidence_name(vos_confidence c); /* "", "low", "medium", "high" */

typedef enum vos_period { VOS_PERIOD_MONTH = 0, VOS_PERIOD_YEAR } vos_period;
typedef enum vos_ramp_kind { VOS_RAMP_NONE = 0, VOS_RAMP_LINEAR, VOS_RAMP_SCURVE } vos_ramp_kind;

typedef struct vos_mark {
    int line, col; /* where the element starts in the source, 1-based */
} vos_mark;

typedef struct vos_capability {
    char *id, *name, *description;
    size_t *outcomes; /* indices into model->outcomes */
    size_t n_outcomes;
    vos_mark mark;
} vos_capability;

typedef struct vos_outcome {
    char *id, *name, *description;
    size_t *kpis; /* indices into model->kpis */
    size_t n_kpis;
    vos_mark mark;
} vos_outcome;

typedef struct vos_kpi {
    char *id, *name, *description;
    char *unit_text;
    vos_unit unit;
    vos_better better;
    vos_mark mark;
} vos_kpi;

typedef struct vos_input {
    char *id, *name, *description;
    char *unit_text; /* as written ("1/month"); "1" when none was given */
    vos_unit unit;
    vos_dist dist;   /* kind and low / likely (the input's `value`) / high / sd; for a fixed
                        input low == likely == high */
    int has_range;   /* low and high were given (or derived from sd for normal/lognormal) */
    char *evidence;  /* NULL when none */
    vos_confidence confidence;
    vos_mark mark;
} vos_input;

typedef struct vos_driver {
    char *id, *name, *description;
    vos_lever lever;
    size_t outcome;          /* index into model->outcomes, or SIZE_MAX when none is named */
    vos_formula *formula;    /* result in model currency per period */
    vos_formula *realized;   /* NULL when the driver has no `realized` formula */
    vos_ramp_kind ramp;
    int ramp_months;         /* months to full effect (0 with VOS_RAMP_NONE) */
    double realization;      /* haircut in [0, 1]; 1 when not given */
    int start_month;         /* first month with benefit, 1-based; default 1 */
    vos_mark mark;
} vos_driver;

typedef struct vos_cost {
    char *id, *name, *description;
    int once;                /* one-time cost (else recurring) */
    vos_formula *formula;    /* once: model currency; recurring: model currency per period */
    int at_period;           /* once: period index it is paid in (0 = up front, the default) */
    int start_month;         /* recurring: first month it is paid, 1-based; default 1 */
    vos_mark mark;
} vos_cost;

typedef struct vos_model {
    char *id, *version, *name, *description;
    char *currency;          /* ISO 4217 code, e.g. "USD" */
    int horizon_years;
    vos_period period;
    int periods;             /* horizon in periods: years*12 or years */
    vos_unit period_unit;    /* month or year */
    double discount_rate;    /* per year, as a fraction (0.10) */

    vos_capability *capabilities; size_t n_capabilities;
    vos_outcome *outcomes;        size_t n_outcomes;
    vos_kpi *kpis;                size_t n_kpis;
    vos_input *inputs;            size_t n_inputs;
    vos_driver *drivers;          size_t n_drivers;
    vos_cost *costs;              size_t n_costs;

    size_t *driver_order;    /* n_drivers indices: each driver after every driver it reads */
    size_t n_slots;          /* n_inputs + n_drivers + 3 * n_kpis */
    unsigned refs;           /* references: 1 from vos_model_load, +1 per vos_model_ref */
} vos_model;

/* Loads and validates a model from `len` bytes of YAML or JSON.  `filename` is only used in
 * messages.  Every problem found is added to `diags` (errors and policy warnings, e.g. an
 * input without evidence).  Returns 0 and *out (owned by the caller, vos_model_free) when
 * there are no errors; otherwise VOS_EINVALID (VOS_ETOOLARGE past VOS_MODEL_BYTES_MAX) and
 * *out is NULL. */
int vos_model_load(vos_model **out, const char *text, size_t len, const char *filename,
                   vos_diags *diags);

/* Drops one reference; the last one frees the model.  A model is immutable, so holders may
 * share it; the count is not atomic: share a model within one thread. */
void vos_model_free(vos_model *m);
/* Adds a reference and returns m. */
vos_model *vos_model_ref(vos_model *m);

/* Index of the element with that id, or -1. */
long vos_model_find_input(const vos_model *m, const char *id);
long vos_model_find_driver(const vos_model *m, const char *id);
long vos_model_find_kpi(const vos_model *m, const char *id);
long vos_model_find_cost(const vos_model *m, const char *id);

/* Slot numbers (see the top of this file). */
static inline uint32_t vos_model_input_slot(const vos_model *m, size_t i)
{
    (void)m;
    return (uint32_t)i;
}
static inline uint32_t vos_model_driver_slot(const vos_model *m, size_t d)
{
    return (uint32_t)(m->n_inputs + d);
}
static inline uint32_t vos_model_kpi_slot(const vos_model *m, size_t k, vos_sym_kind kind)
{
    return (uint32_t)(m->n_inputs + m->n_drivers + 3 * k + (size_t)(kind - VOS_SYM_BASELINE));
}

#endif
