/* The application's operations of the maturity self-assessment (docs/maturity.md): the
 * blueprints built into VOS, taking an assessment, its history, the roadmap to a target stage,
 * and the indicators measured from the organisation's own data.  The arithmetic is core's
 * (vos/maturity.h); these functions add permissions, transactions, the audit log and the
 * reading of the store, as every vos_app_* operation does (vos/app.h).
 *
 * Roles: taking an assessment VOS_OP_ASSESS_WRITE (admin, value_engineer, executive); reading
 * VOS_OP_ASSESS_READ (every internal role: admin, value_engineer, seller, csm, executive). */
#ifndef VOS_APP_ASSESS_H
#define VOS_APP_ASSESS_H

#include "vos/app.h"
#include "vos/maturity.h"

#include <stddef.h>
#include <stdint.h>

/* A blueprint built into VOS (the YAML files of models/maturity, embedded at build time):
 * `id` and `version` both NULL give the current one, otherwise both must name one
 * (VOS_ENOTFOUND "blueprint 'x' version 'y' is not built into VOS").  OUT: *out
 * (vos_blueprint_free). */
int vos_app_blueprint(vos_app *app, const vos_actor *who, const char *id, const char *version,
                      vos_blueprint **out);

/* One answer: the stage (1..5) whose description fits a dimension, and optional evidence. */
typedef struct vos_assessment_answer_in {
    const char *dimension; /* the dimension's key, e.g. "value_technology" */
    int stage;
    const char *evidence; /* NULL or "": none */
} vos_assessment_answer_in;

typedef struct vos_assessment_in {
    const char *taken_at; /* YYYY-MM-DD, not after today (UTC); NULL: today */
    int target_stage;     /* 1..5; 0: one stage above the overall stage, at most V */
    const char *notes;    /* optional */
    const vos_assessment_answer_in *answers;
    size_t n_answers;
} vos_assessment_in;

/* An assessment as stored, with its blueprint and scores. */
typedef struct vos_assessment {
    vos_assessment_row *row;
    vos_assessment_answer_row *answers;       /* in the blueprint's order of dimensions */
    size_t n_answers;                         /* the blueprint's n_dimensions */
    vos_blueprint *blueprint;                 /* the blueprint it was taken against */
    int stages[VOS_BLUEPRINT_DIMENSIONS_MAX]; /* the stage of dimension i */
    vos_maturity_scores scores;
    char *assessor; /* the email of row->taken_by, or NULL for the system */
} vos_assessment;

/* Frees what an assessment holds (not the struct); vos_assessment_free also the struct.
 * NULL is a no-op for both. */
void vos_assessment_clear(vos_assessment *a);
void vos_assessment_free(vos_assessment *a);
/* Clears a[0..n) and frees the array. */
void vos_assessments_free(vos_assessment *a, size_t n);

/* Records an assessment against the current blueprint, by `who` (taken_by: its user, none for
 * the system), in one transaction: the assessment and one answer per dimension, each audited
 * ("assessment.take" on every row written).  Every dimension of the blueprint must be
 * answered exactly once with a stage 1..5 (VOS_EINVALID naming the unknown, repeated or
 * missing dimensions: "answer 3: 'foo' is not a dimension of the blueprint (the keys are
 * ...)"; "2 dimensions are not answered: targeting, value_technology").  OUT: *out (may be
 * NULL; vos_assessment_free). */
int vos_app_assessment_take(vos_app *app, const vos_actor *who, const vos_assessment_in *in,
                            vos_assessment **out);

/* Assessment `id`, or with id 0 the latest (the last taken_at, then the last id):
 * VOS_ENOTFOUND "no assessment has been taken yet (vos assess take)".  OUT: *out. */
int vos_app_assessment_get(vos_app *app, const vos_actor *who, int64_t id, vos_assessment **out);

/* A page of assessments in the order of q (by id; NULL: the first default page), each
 * complete.  OUT: *out[0..*n) (vos_assessments_free). */
int vos_app_assessment_list(vos_app *app, const vos_actor *who, const vos_store_query *q,
                            vos_assessment **out, size_t *n);

/* Every assessment, oldest first (by taken_at, then id): the history of progress.
 * OUT: *out[0..*n) (vos_assessments_free). */
int vos_app_assessment_history(vos_app *app, const vos_actor *who, vos_assessment **out, size_t *n);

/* The roadmap of assessment `id` (0: the latest) to `target` (0: the assessment's target
 * stage), its plan starting on `start` (NULL: today, UTC), as vos_maturity_roadmap computes
 * it.  `owner`, when not NULL, must be the email of a user (VOS_ENOTFOUND otherwise): the
 * adapters show it as the owner of every action.  OUT: *a (the assessment; may be NULL) and
 * *out. */
int vos_app_assessment_roadmap(vos_app *app, const vos_actor *who, int64_t id, int target,
                               const char *start, const char *owner, vos_assessment **a,
                               vos_roadmap *out);

/* The counts of the organisation's own data that the indicators divide (vos_maturity_counts
 * says what each is; docs/maturity.md how they are taken), and the indicators.  Reads the
 * whole store: accounts, cases, commitments and their KPIs (one look-up of a measurement per
 * committed KPI), models and the inputs of their latest approved versions, users.
 * OUT: out[VOS_INDICATOR_COUNT]; *counts (may be NULL). */
int vos_app_maturity_indicators(vos_app *app, const vos_actor *who,
                                vos_indicator out[VOS_INDICATOR_COUNT],
                                vos_maturity_counts *counts);

#endif
