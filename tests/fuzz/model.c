/* libFuzzer target: arbitrary bytes as a model file.  Every load must end in a model or in
 * diagnostics (never a crash or a leak); a loaded model's invariants are checked and its
 * formulas evaluated once. */
#include "vos/model.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

static void check_model(const vos_model *m)
{
    CHECK(m->id && m->version && m->name && m->currency);
    CHECK(m->n_slots == m->n_inputs + m->n_drivers + 3 * m->n_kpis);
    CHECK(m->discount_rate >= 0 && m->discount_rate < 1);
    CHECK(m->periods == (m->period == VOS_PERIOD_MONTH ? 12 : 1) * m->horizon_years);
    double *slots = calloc(m->n_slots ? m->n_slots : 1, sizeof *slots);
    unsigned char *placed = calloc(m->n_drivers ? m->n_drivers : 1, 1);
    CHECK(slots && placed);
    for (size_t i = 0; i < m->n_inputs; i++) {
        const vos_input *in = &m->inputs[i];
        CHECK(in->id && in->name && in->unit_text);
        CHECK(vos_model_find_input(m, in->id) == (long)i);
        slots[vos_model_input_slot(m, i)] = in->dist.likely;
    }
    for (size_t k = 0; k < m->n_drivers; k++) {
        size_t d = m->driver_order[k];
        CHECK(d < m->n_drivers && !placed[d]);
        const uint32_t *deps;
        size_t n = vos_formula_deps(m->drivers[d].formula, &deps);
        for (size_t i = 0; i < n; i++)
            if (deps[i] >= m->n_inputs && deps[i] < m->n_inputs + m->n_drivers)
                CHECK(placed[deps[i] - m->n_inputs]);
        placed[d] = 1;
        slots[vos_model_driver_slot(m, d)] = vos_formula_eval(m->drivers[d].formula, slots);
        if (m->drivers[d].realized)
            (void)vos_formula_eval(m->drivers[d].realized, slots);
        CHECK(m->drivers[d].realization > 0 && m->drivers[d].realization <= 1);
    }
    for (size_t c = 0; c < m->n_costs; c++)
        (void)vos_formula_eval(m->costs[c].formula, slots);
    free(slots);
    free(placed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vos_diags d;
    vos_diags_init(&d);
    vos_model *m = NULL;
    int rc = vos_model_load(&m, (const char *)data, size, "fuzz.yaml", &d);
    CHECK((rc == 0) == (m != NULL));
    CHECK(rc != 0 || d.n_errors == 0);
    CHECK(rc == 0 || d.n_errors > 0);
    if (m)
        check_model(m);
    vos_diags_sort(&d);
    vos_model_free(m);
    vos_diags_free(&d);
    return 0;
}
