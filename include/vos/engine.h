/* The value engine: a business case computed from a value model.
 *
 * A case is one model with input overrides (personalisation at the edge: only inputs change).
 * From it the engine computes, per scenario, the cash-flow table, totals by lever, NPV, IRR,
 * payback and ROI (docs/computation.md gives every rule); a tornado of input sensitivities; a
 * seeded Monte Carlo simulation; and the lineage of any figure.
 *
 * Cash flows have periods + 1 entries: index 0 is "up front" (one-time costs at 0), index t is
 * the t-th month (or year) of the horizon.  Money is in the model currency. */
#ifndef VOS_ENGINE_H
#define VOS_ENGINE_H

#include "vos/limits.h"
#include "vos/model.h"

#include <stddef.h>
#include <stdint.h>

typedef enum vos_scenario {
    VOS_SCENARIO_CONSERVATIVE = 0, /* each ranged input at the end of its range that lowers NPV */
    VOS_SCENARIO_EXPECTED,         /* every input at its value */
    VOS_SCENARIO_OPTIMISTIC        /* each ranged input at the end that raises NPV */
} vos_scenario;
#define VOS_SCENARIO_COUNT 3
const char *vos_scenario_name(vos_scenario s); /* "conservative", "expected", "optimistic" */
int vos_scenario_parse(vos_scenario *out, const char *name);

/* Which point of an input's range a scenario used. */
typedef enum vos_input_end { VOS_END_LIKELY = 0, VOS_END_LOW, VOS_END_HIGH } vos_input_end;
const char *vos_input_end_name(vos_input_end e); /* "value", "low", "high" */

typedef struct vos_case vos_case;

/* Creates a case over `model`, which is borrowed and must outlive the case.  The case owns
 * every buffer computation needs, so computing allocates nothing. */
int vos_case_new(vos_case **out, const vos_model *model);
void vos_case_free(vos_case *c);
const vos_model *vos_case_model(const vos_case *c);

/* An override of one input, in the input's declared unit.  Fields with has_* = 0 keep the
 * model's figure.  Overriding `value` alone of a ranged input keeps its low and high; the
 * result must still satisfy low <= value <= high.  A case may also give its own evidence for
 * the input (where its value comes from: text of 1 .. VOS_TEXT_MAX characters, no control
 * characters but tab and newline) and its own confidence; NULL / has_confidence = 0 keep the
 * model's. */
typedef struct vos_input_override {
    double value, low, high;
    int has_value, has_low, has_high;
    const char *evidence;       /* borrowed; vos_case_override copies it */
    vos_confidence confidence;  /* low, medium or high, with has_confidence */
    int has_confidence;
} vos_input_override;

/* Applies an override to input `input` (index into model->inputs).  VOS_EINVALID with a
 * message naming the input and rule when the result is not a valid distribution, or the
 * evidence or confidence is not valid (the message names the field). */
int vos_case_override(vos_case *c, size_t input, const vos_input_override *ov);
/* Parses a confidence given by name: low, medium or high (VOS_EINVALID otherwise). */
int vos_confidence_parse(vos_confidence *out, const char *name);
/* Checks the evidence and confidence of an override alone (the rules above); the message
 * names the input `id` and the field. */
int vos_input_override_check_text(const vos_input_override *ov, const char *id);
/* Applies overrides written in YAML or JSON: a map from input id to either a number (the
 * value, in the input's declared unit), a quantity with a unit ("0.1 h", "5%", converted to
 * the input's unit), or a map with any of value, low and high (each a number or a quantity).
 * Every problem is added to `diags` with its line and column; when there is any error, none
 * of the overrides is applied and VOS_EINVALID is returned. */
int vos_case_load_overrides(vos_case *c, const char *text, size_t len, vos_diags *diags);

/* The input's distribution as the case sees it (model figures plus overrides).  Borrowed. */
const vos_dist *vos_case_input(const vos_case *c, size_t input);
/* The input's evidence as the case sees it: the case's own when an override gave one, else
 * the model's; NULL when there is none.  *from_case (when not NULL) says it is the case's. */
const char *vos_case_input_evidence(const vos_case *c, size_t input, int *from_case);
/* The input's confidence as the case sees it (the case's own, else the model's). */
vos_confidence vos_case_input_confidence(const vos_case *c, size_t input, int *from_case);

/* ---- policy warnings ---- */

/* The policy rules of docs/model-language.md ("Policy warnings"): a model may break them and
 * still load, but its figures are less credible. */
typedef enum vos_policy_rule {
    VOS_POLICY_NO_EVIDENCE = 0,     /* input without evidence */
    VOS_POLICY_NO_RANGE,            /* input read by a formula, fixed, confidence not high */
    VOS_POLICY_UNUSED_INPUT,        /* input read by no formula */
    VOS_POLICY_NO_HAIRCUT,          /* driver with realization 1 */
    VOS_POLICY_NO_OUTCOME,          /* driver without an outcome */
    VOS_POLICY_CAPABILITY_EMPTY,    /* capability with an empty outcomes list */
    VOS_POLICY_OUTCOME_EMPTY,       /* outcome with an empty kpis list */
    VOS_POLICY_OUTCOME_UNLISTED,    /* outcome listed by no capability */
    VOS_POLICY_KPI_UNLISTED         /* KPI in no outcome */
} vos_policy_rule;
#define VOS_POLICY_RULE_COUNT 9
/* "no_evidence", "no_range", "unused_input", "no_haircut", "no_outcome", "empty_capability",
 * "empty_outcome", "unlisted_outcome", "unlisted_kpi". */
const char *vos_policy_rule_name(vos_policy_rule r);

typedef struct vos_policy_warning {
    vos_policy_rule rule;
    const char *element;            /* "input", "driver", "capability", "outcome", "kpi" */
    size_t index;                   /* into the model's array of that element */
    const char *id;                 /* the element's id (borrowed from the model) */
    char message[VOS_DIAG_MSG_MAX]; /* the sentence `vos model lint` prints */
} vos_policy_warning;

/* The model's policy warnings as the case sees its inputs: each input's evidence, confidence
 * and range are the case's (an override with evidence clears "no evidence"; one with a range,
 * or confidence high, clears "no range").  In the order inputs, drivers, capabilities,
 * outcomes, KPIs, each in model order.  *out (free()) holds *n warnings (NULL when none). */
int vos_case_policy(const vos_case *c, vos_policy_warning **out, size_t *n);

typedef struct vos_result {
    vos_scenario scenario;
    int periods;              /* P; per-period arrays hold P + 1 entries */
    vos_period period;
    double *inputs;           /* [n_inputs] input values used, in their units */
    vos_input_end *ends;      /* [n_inputs] which end each input took */
    double *driver_value;     /* [n_drivers] formula value in currency per period (before ramp) */
    double *benefit;          /* [n_drivers * (P+1)] benefit per driver per period */
    double *cost;             /* [n_costs * (P+1)] cost per cost item per period */
    double *lever;            /* [VOS_LEVER_COUNT * (P+1)] benefit per lever per period */
    double *benefits, *costs, *net, *cumulative; /* [P+1] totals per period */
    double *driver_total;     /* [n_drivers] over the horizon */
    double *cost_total;       /* [n_costs] over the horizon */
    double lever_total[VOS_LEVER_COUNT];
    double benefits_total, costs_total, net_total;
    double npv;               /* net flows discounted at the model rate, index 0 undiscounted */
    double irr;               /* annualised; valid when has_irr */
    double payback_months;    /* valid when has_payback */
    double roi;               /* (benefits_total - costs_total) / costs_total; when has_roi */
    int has_irr, has_payback, has_roi;
    char irr_error[VOS_DIAG_MSG_MAX];     /* why there is no IRR, when has_irr = 0 */
    char payback_error[VOS_DIAG_MSG_MAX]; /* why there is no payback */
} vos_result;

/* Allocates a result sized for `model`.  Caller frees with vos_result_free. */
int vos_result_new(vos_result **out, const vos_model *model);
void vos_result_free(vos_result *r);

/* Computes scenario `s` into `out` (made by vos_result_new for the same model).  Allocates
 * nothing.  VOS_ENUM when a formula gives a non-finite value (message names the driver or cost
 * and the input values). */
int vos_case_compute(vos_case *c, vos_scenario s, vos_result *out);

/* One bar of the tornado: NPV with the input at each end of its range, all other inputs at
 * their values. */
typedef struct vos_tornado_bar {
    size_t input;
    double low, high;         /* the input's range */
    double npv_low, npv_high; /* NPV with the input at low / at high */
    double swing;             /* |npv_high - npv_low| */
} vos_tornado_bar;

/* Fills `bars` (room for model->n_inputs) with one bar per ranged input, largest swing first
 * (ties: model order); *n receives the count.  Base NPV is the expected scenario's. */
int vos_case_tornado(vos_case *c, vos_tornado_bar *bars, size_t *n);

typedef struct vos_sim_stats {
    double mean, sd, min, max, p10, p50, p90; /* percentiles: Excel PERCENTILE.INC */
} vos_sim_stats;

typedef struct vos_simulation {
    size_t iterations;
    uint64_t seed;
    vos_sim_stats npv;
    vos_sim_stats roi;        /* over iterations where costs are non-zero */
    double p_npv_positive;    /* share of iterations with NPV > 0 */
    double hist_min, hist_max;/* NPV histogram: VOS_SIM_BINS equal bins over [min, max] */
    size_t hist[VOS_SIM_BINS];
} vos_simulation;

/* Runs `iterations` (1 .. VOS_SIM_ITER_MAX) Monte Carlo draws of every input from its
 * distribution with a generator seeded by `seed`: the same seed gives the same result on every
 * machine.  Allocates the sample buffers for the run.  VOS_ETOOLARGE past the cap. */
int vos_case_simulate(vos_case *c, size_t iterations, uint64_t seed, vos_simulation *out);

/* A figure of a case that can be explained.  Text forms (vos_figure_parse):
 *   npv | irr | roi | payback | benefits | costs | net
 *   driver:ID | cost:ID | lever:revenue|cost|risk
 * each optionally followed by ":yearN" (N = 1 .. horizon years) to restrict to one year, e.g.
 * "driver:agent_time:year2", "benefits:year1".  npv, irr, roi and payback take no year. */
typedef enum vos_figure_kind {
    VOS_FIGURE_NPV = 0,
    VOS_FIGURE_IRR,
    VOS_FIGURE_ROI,
    VOS_FIGURE_PAYBACK,
    VOS_FIGURE_BENEFITS,
    VOS_FIGURE_COSTS,
    VOS_FIGURE_NET,
    VOS_FIGURE_DRIVER,
    VOS_FIGURE_COST,
    VOS_FIGURE_LEVER
} vos_figure_kind;

typedef struct vos_figure {
    vos_figure_kind kind;
    size_t index;             /* driver, cost or lever */
    int year;                 /* 0 = the whole horizon */
} vos_figure;

int vos_figure_parse(vos_figure *out, const vos_model *m, const char *text);

/* One line of an explanation: an input, a driver, a conversion or a step of arithmetic. */
typedef struct vos_explain_term {
    char *label;              /* e.g. "input tickets", "ramp", "discount rate" */
    double value;
    char *unit;               /* formatted unit, "" when none */
    char *detail;             /* evidence, range, end used, conversion; "" when none */
} vos_explain_term;

typedef struct vos_explanation {
    char *figure;             /* e.g. "benefit of driver agent_time in year 2" */
    double value;
    char *unit;
    char *formula;            /* how the figure is computed from the terms */
    vos_explain_term *terms;
    size_t n_terms;
} vos_explanation;

/* Explains figure `f` of scenario `s`: the formula, the input values with units and evidence,
 * the conversions, ramp and haircut, and the arithmetic that gives the figure's value (the same
 * value vos_case_compute reports).  *out is owned by the caller (vos_explanation_free). */
int vos_case_explain(vos_explanation **out, vos_case *c, vos_scenario s, const vos_figure *f);
void vos_explanation_free(vos_explanation *e);

#endif
