/* Maturity: the Ecosystems' Value Blueprint and the arithmetic of a self-assessment.
 *
 * The blueprint (models/maturity/value-blueprint-v1.yaml; docs/maturity.md) describes five
 * stages of value maturity (I Nascent .. V Leading Edge), fifteen dimensions in three pillars
 * with what each dimension looks like at each stage, and the actions that move an organisation
 * from one stage to the next.  vos_blueprint_load reads it from text: this module reads no
 * files.  An assessment chooses, for every dimension, the stage whose description fits
 * (1..5); from those choices this module computes the scores, the roadmap to a target stage
 * with its plan by quarter, the indicators measured from an organisation's own VOS data, and
 * the geometry of the radar chart.  Everything here is pure: no I/O, no globals. */
#ifndef VOS_MATURITY_H
#define VOS_MATURITY_H

#include "vos/diag.h"
#include "vos/limits.h"

#include <stddef.h>
#include <stdint.h>

#define VOS_MATURITY_STAGES 5                              /* I .. V */
#define VOS_MATURITY_TRANSITIONS (VOS_MATURITY_STAGES - 1) /* I->II .. IV->V */
#define VOS_DATE_SIZE 11                                   /* "YYYY-MM-DD" and a NUL */

/* ---- the blueprint ---------------------------------------------------------------------------
 * Every text is borrowed from the blueprint and lives until vos_blueprint_free. */

typedef struct vos_bp_stage {
    int number;           /* 1..5 */
    const char *numeral;  /* "I" */
    const char *key;      /* "nascent" */
    const char *name;     /* "Nascent" */
    const char *tagline;  /* "Value is atomized" */
    const char *equation; /* "Value = Spreadsheet" */
} vos_bp_stage;

typedef struct vos_bp_pillar {
    const char *key;  /* "value_strategy" */
    const char *name; /* "Value Strategy" */
    size_t first, n;  /* its dimensions: dimensions[first .. first + n) */
} vos_bp_pillar;

typedef struct vos_bp_dimension {
    const char *key;                         /* "value_technology" */
    const char *name;                        /* "Value Technology" */
    size_t pillar;                           /* index of its pillar */
    const char *stages[VOS_MATURITY_STAGES]; /* the description at stage s is stages[s - 1] */
} vos_bp_dimension;

typedef struct vos_bp_action {
    const char *text;
    const char **steps; /* the numbered points under the action ("1. ..."), or NULL */
    size_t n_steps;
} vos_bp_action;

typedef struct vos_bp_transition {
    int from, to;      /* stages, to = from + 1 */
    const char *title; /* "I. NASCENT TO II. EMERGING" */
    vos_bp_action *actions;
    size_t n_actions;
} vos_bp_transition;

struct vos_ytree;

typedef struct vos_blueprint {
    const char *id;      /* "ecosystems-value-blueprint" */
    const char *version; /* "1.0.0" */
    const char *source;  /* the title of the document it transcribes */
    vos_bp_stage stages[VOS_MATURITY_STAGES];
    vos_bp_pillar *pillars;
    size_t n_pillars;
    vos_bp_dimension *dimensions; /* pillar by pillar, in the source's order */
    size_t n_dimensions;
    vos_bp_transition transitions[VOS_MATURITY_TRANSITIONS]; /* [i]: stage i+1 -> i+2 */
    struct vos_ytree *tree_; /* private: the parsed text the strings point into */
} vos_blueprint;

/* Loads a blueprint from `len` bytes of YAML (or JSON) text; the shape is that of
 * models/maturity/value-blueprint-v1.yaml (docs/maturity.md).  Every problem goes to `diags`
 * with its line and column (unknown keys, missing fields, a dimension without exactly five
 * stage texts, a duplicate key, stages or transitions out of order).  OUT: *out (owned by
 * the caller, vos_blueprint_free).  VOS_EINVALID when there is any error (then *out is NULL),
 * VOS_ETOOLARGE over VOS_BLUEPRINT_BYTES_MAX or the VOS_BLUEPRINT_* counts, VOS_ENOMEM. */
int vos_blueprint_load(vos_blueprint **out, const char *text, size_t len, vos_diags *diags);
void vos_blueprint_free(vos_blueprint *bp);

/* The index of the dimension with `key`, or -1. */
int vos_blueprint_dimension(const vos_blueprint *bp, const char *key);

/* ---- scores ----------------------------------------------------------------------------------
 * The rule (docs/maturity.md): a dimension scores the stage chosen for it (1..5).  A group of
 * dimensions (a pillar, or all of them) scores the median of its dimensions' stages (for an
 * even count, the mean of the two middle ones), and names its weakest dimensions (those at
 * its lowest stage) and its spread (highest minus lowest stage).  The stage a group has
 * reached is its median rounded down: a pillar with a median of 2.5 has reached stage II. */

typedef struct vos_maturity_group {
    double median; /* 1..5, a multiple of 0.5 */
    double mean;   /* shown for information; the median is the score */
    int stage;     /* floor(median): the stage reached */
    int min, max, spread;
    size_t n_weakest;
    size_t weakest[VOS_BLUEPRINT_DIMENSIONS_MAX]; /* dimension indices at `min`, in order */
} vos_maturity_group;

typedef struct vos_maturity_scores {
    vos_maturity_group overall;
    vos_maturity_group pillars[VOS_BLUEPRINT_PILLARS_MAX]; /* by pillar index */
    size_t n_pillars;
} vos_maturity_scores;

/* Scores the stages chosen, stages[i] for dimension i of bp (bp->n_dimensions of them).
 * OUT: *out.  VOS_EINVALID naming the dimension when a stage is not 1..5. */
int vos_maturity_score(vos_maturity_scores *out, const vos_blueprint *bp, const int *stages);

/* The target stage when none is chosen: one stage above the overall stage, at most V. */
int vos_maturity_default_target(const vos_maturity_scores *s);

/* ---- roadmap ---------------------------------------------------------------------------------
 * For each dimension below the target stage: the next transition (its stage -> one above),
 * with the gap (target - stage).  Dimensions with the largest gap come first (then in the
 * blueprint's order).  Dimensions at the same stage share a transition, so the plan has one
 * phase per transition needed, largest gap first; each phase takes one quarter from `start`:
 * phase k starts at start + 3k months and is due at start + 3(k + 1) months (a day past the
 * end of a shorter month becomes its last day).  Every action of the phase's transition is
 * due at the phase's due date. */

#define VOS_ROADMAP_PHASE_MONTHS 3 /* one quarter per phase */

typedef struct vos_roadmap_item {
    size_t dimension; /* index in the blueprint */
    int current;      /* the stage chosen */
    int next;         /* current + 1: the stage its actions lead to */
    int gap;          /* target - current, >= 1 */
} vos_roadmap_item;

typedef struct vos_roadmap_phase {
    int from, to;               /* the transition: bp->transitions[from - 1] */
    int gap;                    /* of its dimensions */
    size_t first_item, n_items; /* its dimensions: items[first_item .. first_item + n_items) */
    char starts[VOS_DATE_SIZE]; /* YYYY-MM-DD */
    char due[VOS_DATE_SIZE];    /* YYYY-MM-DD */
} vos_roadmap_phase;

typedef struct vos_roadmap {
    int target;
    char start[VOS_DATE_SIZE];
    vos_roadmap_item items[VOS_BLUEPRINT_DIMENSIONS_MAX];
    size_t n_items;
    vos_roadmap_phase phases[VOS_MATURITY_TRANSITIONS];
    size_t n_phases;
    size_t n_actions; /* actions of every phase together */
} vos_roadmap;

/* The roadmap from `stages` (as for vos_maturity_score) to `target` (1..5), its plan
 * starting on `start` ("YYYY-MM-DD").  OUT: *out (nothing to free).  VOS_EINVALID for a stage
 * or target out of range or a malformed date. */
int vos_maturity_roadmap(vos_roadmap *out, const vos_blueprint *bp, const int *stages, int target,
                         const char *start);

/* `date` ("YYYY-MM-DD") plus `months` (>= 0), the day clamped to the end of a shorter month
 * ("2026-11-30" + 3 = "2027-02-28").  VOS_EINVALID for a malformed date. */
int vos_date_add_months(char out[VOS_DATE_SIZE], const char *date, int months);

/* ---- indicators from usage -------------------------------------------------------------------
 * Counts taken from an organisation's own VOS data (by the app layer) turned into shares that
 * stand beside the self-assessment, each with the dimensions it informs and why
 * (docs/maturity.md). */

typedef struct vos_maturity_counts {
    int64_t accounts;             /* every account */
    int64_t accounts_with_case;   /* accounts with at least one business case */
    int64_t lifecycle_stages;     /* over the accounts with a case, the lifecycle stages each
                                     covers (opportunity, target, realization, expansion: 0..4)
                                     added up */
    int64_t committed_cases;      /* cases with a commitment */
    int64_t measured_cases;       /* of those, cases with a measurement of a committed KPI */
    int64_t inputs;               /* inputs of every model's latest approved version */
    int64_t inputs_with_evidence; /* of those, inputs that cite evidence */
    int64_t models;               /* every model */
    int64_t models_approved;      /* models with an approved version */
    int64_t front_line;           /* active users in front-line roles (seller, csm) */
    int64_t front_line_owners;    /* of those, users who own a business case */
} vos_maturity_counts;

typedef enum vos_indicator_kind {
    VOS_INDICATOR_CASE_COVERAGE = 0, /* accounts with a business case / accounts */
    VOS_INDICATOR_LIFECYCLE,         /* lifecycle stages covered / (4 x accounts with a case) */
    VOS_INDICATOR_CONTINUOUS_PROOF,  /* committed cases with measurements / committed cases */
    VOS_INDICATOR_INPUT_EVIDENCE,    /* inputs with evidence / inputs of approved models */
    VOS_INDICATOR_GOVERNANCE,        /* models with an approved version / models */
    VOS_INDICATOR_FRONT_LINE         /* front-line users owning a case / front-line users */
} vos_indicator_kind;
#define VOS_INDICATOR_COUNT 6
#define VOS_LIFECYCLE_STAGES 4 /* opportunity, target, realization, expansion */
#define VOS_INDICATOR_INFORMS_MAX 4

typedef struct vos_indicator {
    vos_indicator_kind kind;
    const char *key;     /* "case_coverage" */
    const char *name;    /* "Accounts with a business case" */
    const char *measure; /* what is divided by what, in words */
    int64_t numerator, denominator;
    double value; /* numerator / denominator (0..1); NAN when the denominator is 0 */
    const char *informs[VOS_INDICATOR_INFORMS_MAX]; /* dimension keys of blueprint v1 */
    size_t n_informs;
    const char *why; /* one sentence: why it informs those dimensions */
} vos_indicator;

/* The indicators from the counts, in vos_indicator_kind order.  Texts are static.
 * VOS_EINVALID when a count is negative or a part exceeds its whole. */
int vos_maturity_indicators(vos_indicator out[VOS_INDICATOR_COUNT], const vos_maturity_counts *c);

/* ---- the radar chart -------------------------------------------------------------------------
 * One axis per dimension, axis 0 pointing up and the others following clockwise at equal
 * angles; the centre is stage 0 and the outer ring stage V.  Coordinates are SVG's (y grows
 * downwards). */

typedef struct vos_point {
    double x, y;
} vos_point;

/* The point of `value` (0 .. VOS_MATURITY_STAGES) on axis `axis` of `n_axes` for a chart
 * centred at (cx, cy) whose outer ring has radius `radius`. */
vos_point vos_radar_point(size_t axis, size_t n_axes, double value, double cx, double cy,
                          double radius);

#endif
