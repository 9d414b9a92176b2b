/* Internal state of a case, shared by the engine's source files. */
#ifndef VOS_ENGINE_INT_H
#define VOS_ENGINE_INT_H

#include "vos/engine.h"

struct vos_case {
    const vos_model *model;
    vos_dist *dists;          /* [n_inputs] model distributions with overrides applied */
    char **evidence;          /* [n_inputs] the case's own evidence (owned), NULL: the model's */
    vos_confidence *confidence; /* [n_inputs] the confidence as the case sees it */
    unsigned char *own_confidence; /* [n_inputs] 1 when confidence[i] is the case's */
    double *slots;            /* [n_slots] working values for formula evaluation */
    double *ramp;             /* [n_drivers * (P+1)] ramp(t) * realization, index 0 = 0 */
    double *cost_active;      /* [n_costs * (P+1)] share of period t in which the cost is paid */
    double *disc;             /* [P+1] 1 / (1+rp)^t */
    double *driver_pv;        /* [n_drivers] sum_t ramp * disc: NPV per unit of driver value */
    double *driver_sum;       /* [n_drivers] sum_t ramp */
    double *cost_pv;          /* [n_costs] sum_t active * disc */
    double *cost_sum;         /* [n_costs] sum_t active */
    double *cost_value;       /* [n_costs] last evaluated amount (per period, or once) */
    vos_input_end *ends[VOS_SCENARIO_COUNT]; /* [n_inputs] per scenario */
    int ends_valid;           /* ends[] reflect the current dists */
    double rate_period;       /* discount rate per period */
};

/* The ramp of driver d in period t (1-based): the mean over the period's months of the
 * month's ramp (docs/computation.md), before the realization haircut.  The engine and the
 * realization engine share it. */
double vos_driver_ramp(const vos_model *m, const vos_driver *d, int t);

/* Sets the input slots for scenario `s` (computing the scenario ends first if needed). */
int vos_case_load_scenario(vos_case *c, vos_scenario s);
/* Evaluates drivers (into slots) and costs (into cost_value) from the input slots.
 * VOS_ENUM with a message when a value is not finite. */
int vos_case_eval(vos_case *c);
/* NPV and undiscounted benefit and cost totals of the evaluated slots, by the precomputed
 * weights (linear in driver values and cost amounts). */
void vos_case_totals(const vos_case *c, double *npv, double *benefits, double *costs);
/* Months per period (1 or 12). */
int vos_case_months_per_period(const vos_case *c);

#endif
