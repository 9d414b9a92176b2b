/* Renderers of maturity assessments (docs/maturity.md), shared by `vos assess` and the HTTP
 * API: JSON of the blueprint, an assessment, the history, a roadmap and the indicators, and
 * the self-contained HTML report with its radar chart.  Conventions as in render/render.h:
 * numbers in their shortest round-trip form, a number that is not defined (an indicator with
 * nothing to divide) as null. */
#ifndef VOS_RENDER_ASSESS_H
#define VOS_RENDER_ASSESS_H

#include "vos/app_assess.h"
#include "vos/jsonw.h"
#include "vos/maturity.h"

#include <stddef.h>

/* The blueprint:
 *   {"id", "version", "source",
 *    "stages": [{"number", "numeral", "key", "name", "tagline", "equation"}, ...],
 *    "pillars": [{"key", "name", "dimensions": [{"key", "name", "stages": [5 texts]}]}],
 *    "transitions": [{"from", "to", "title", "actions": [{"text", "steps": [texts]}]}]} */
void vos_render_blueprint(vos_jw *w, const vos_blueprint *bp);

/* A group's score: {"median", "mean", "stage", "stage_name", "min", "max", "spread",
 * "weakest": [dimension keys]} */
void vos_render_maturity_group(vos_jw *w, const vos_blueprint *bp, const vos_maturity_group *g);

/* An assessment:
 *   {"id", "created_at", "taken_at", "taken_by", "assessor", "blueprint": {"id", "version"},
 *    "target_stage", "notes",
 *    "scores": {"overall": group, "pillars": [{"key", "name", group's keys...}]},
 *    "answers": [{"dimension", "name", "pillar", "stage", "stage_name", "description",
 *                 "evidence"}]}
 * without "answers" when `answers` is 0 (the summary of a history). */
void vos_render_assessment(vos_jw *w, const vos_assessment *a, int answers);

/* A roadmap of assessment `a`, `owner` (may be NULL) owning every action:
 *   {"assessment_id", "target", "start", "owner",
 *    "items": [{"dimension", "name", "pillar", "current", "next", "gap"}],
 *    "phases": [{"from", "to", "title", "gap", "starts", "due", "dimensions": [keys],
 *                "actions": [{"text", "steps": [texts], "owner", "due"}]}],
 *    "actions": number of actions} */
void vos_render_roadmap(vos_jw *w, const vos_assessment *a, const vos_roadmap *r,
                        const char *owner);

/* The indicators beside a self-assessment:
 *   [{"key", "name", "measure", "numerator", "denominator", "value" (null without data),
 *     "informs": [{"dimension", "name", "stage" (self-assessed; null without `stages`)}],
 *     "why"}]
 * `bp` names the dimensions; `stages` (may be NULL) are the self-assessed stages. */
void vos_render_indicators(vos_jw *w, const vos_indicator *ind, size_t n, const vos_blueprint *bp,
                           const int *stages);

/* The report of an assessment as one self-contained HTML page (inline CSS and SVG, no
 * external resources): summary, the radar chart (one axis per dimension labelled with its
 * name, rings for stages I..V, the stages chosen, the target stage and the earlier
 * assessment's stages), pillar scores, the answers, the indicators (when
 * `ind` is not NULL), the roadmap (when `r` is not NULL; `owner` may be NULL) and, when
 * `before` is not NULL, the progress since that earlier assessment.  `title` names the
 * organisation (may be NULL).  OUT: *out (caller frees), *len.  VOS_ETOOLARGE over
 * VOS_ASSESS_REPORT_MAX, VOS_ENOMEM. */
int vos_render_assessment_report(char **out, size_t *len, const char *title,
                                 const vos_assessment *a, const vos_assessment *before,
                                 const vos_indicator *ind, size_t n_ind, const vos_roadmap *r,
                                 const char *owner);

/* "II Emerging" for stage 2 of bp, into buf. */
const char *vos_render_stage_label(char *buf, size_t size, const vos_blueprint *bp, int stage);

#endif
