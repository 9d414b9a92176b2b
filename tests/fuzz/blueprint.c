/* libFuzzer target: arbitrary bytes as a maturity blueprint (vos_blueprint_load).  A blueprint
 * that loads must be complete (every text present, five stage texts per dimension, pillars
 * covering the dimensions in order), and scoring and a roadmap over it must succeed for stages
 * taken from the input's first bytes. */
#include "vos/diag.h"
#include "vos/error.h"
#include "vos/maturity.h"

#include <stdint.h>
#include <stdlib.h>

static void check(const vos_blueprint *bp, const uint8_t *data, size_t size)
{
    if (!bp->id || !bp->version || !bp->source || bp->n_pillars == 0 || bp->n_dimensions == 0)
        abort();
    size_t next = 0;
    for (size_t p = 0; p < bp->n_pillars; p++) {
        if (!bp->pillars[p].key || !bp->pillars[p].name || bp->pillars[p].first != next) abort();
        next += bp->pillars[p].n;
    }
    if (next != bp->n_dimensions) abort();
    int stages[VOS_BLUEPRINT_DIMENSIONS_MAX];
    for (size_t i = 0; i < bp->n_dimensions; i++) {
        const vos_bp_dimension *d = &bp->dimensions[i];
        if (!d->key || !d->name || vos_blueprint_dimension(bp, d->key) != (int)i) abort();
        for (int s = 0; s < VOS_MATURITY_STAGES; s++)
            if (!d->stages[s]) abort();
        stages[i] = 1 + (i < size ? data[i] : 0) % VOS_MATURITY_STAGES;
    }
    for (int t = 0; t < VOS_MATURITY_TRANSITIONS; t++)
        for (size_t a = 0; a < bp->transitions[t].n_actions; a++)
            if (!bp->transitions[t].actions[a].text) abort();
    vos_maturity_scores sc;
    vos_roadmap r;
    if (vos_maturity_score(&sc, bp, stages) != 0) abort();
    if (sc.overall.min < 1 || sc.overall.max > VOS_MATURITY_STAGES) abort();
    if (vos_maturity_roadmap(&r, bp, stages, VOS_MATURITY_STAGES, "2026-01-31") != 0) abort();
    if (r.n_items > bp->n_dimensions) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vos_diags d;
    vos_diags_init(&d);
    vos_blueprint *bp = NULL;
    int rc = vos_blueprint_load(&bp, (const char *)data, size, &d);
    if (rc == 0) {
        if (!bp || d.n_errors) abort();
        check(bp, data, size);
    } else if (bp || (rc != VOS_ENOMEM && d.n_errors == 0 && rc != VOS_ETOOLARGE)) {
        abort();
    }
    vos_blueprint_free(bp);
    vos_diags_free(&d);
    return 0;
}
