/* `vos assess`: the maturity self-assessment on the command line (cmd_assess.c dispatches and
 * shows; assess_take.c takes an assessment from an answers file or interactively). */
#ifndef VOS_CLI_ASSESS_H
#define VOS_CLI_ASSESS_H

#include "vos/app_assess.h"
#include "vos/diag.h"

#include <stdio.h>

/* vos assess take ... */
int cli_assess_take(int argc, char **argv);

/* Prints an assessment as `vos assess show` does (with the indicators when `ind` is not
 * NULL).  Returns CLI_OK or CLI_FAILED. */
int cli_assess_print(const vos_assessment *a, const vos_indicator *ind, size_t n_ind);

/* The answers file of `vos assess take --answers FILE` (docs/maturity.md): every problem goes
 * to `diags` with its line and column, checked against the blueprint `bp` (unknown or
 * repeated dimensions, stages outside 1..5, dimensions not answered).  OUT: *in, whose texts
 * and answers live until cli_answers_free.  VOS_EINVALID when there is any error. */
typedef struct cli_answers {
    vos_assessment_in in;
    vos_assessment_answer_in answers[VOS_BLUEPRINT_DIMENSIONS_MAX];
    void *doc_; /* the parsed YAML document the texts point into */
} cli_answers;
int cli_answers_load(cli_answers *out, const char *text, size_t len, const vos_blueprint *bp,
                     vos_diags *diags);
void cli_answers_free(cli_answers *a);

#endif
