/* libFuzzer target: arbitrary bytes as a formula.  The first byte picks the target unit (none,
 * USD/month, h, 1) and whether KPI accessors are allowed; the rest is the source.  Successful
 * compiles are evaluated and their invariants checked. */
#include "core/formula_int.h"
#include "vos/error.h"
#include "vos/formula.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    uint32_t slot;
    const char *unit;
} SYMS[] = {
    {"tickets", 0, "1/month"},
    {"minutes_saved", 1, "min"},
    {"loaded_rate", 2, "USD/h"},
    {"hours", 3, "h"},
    {"rate", 4, "%"},
    {"n", 5, "1"},
    {"day", 6, "1"},
    {"fee", 7, "USD/year"},
    {"area", 8, "h^2"},
};
#define N_SLOTS 16
#define KPI_SLOT 10

static int allow_kpis;

static int resolve(void *ctx, vos_sym_kind kind, const char *name, size_t len, uint32_t *slot,
                   vos_unit *unit)
{
    (void)ctx;
    if (kind != VOS_SYM_NAME) {
        if (len != 4 || memcmp(name, "mttr", 4) != 0) return VOS_ENOTFOUND;
        if (!allow_kpis)
            return vos_error_set(VOS_EINVALID,
                                 "KPI accessors are only allowed here in realized formulas");
        *slot = KPI_SLOT + (uint32_t)(kind - VOS_SYM_BASELINE);
        return vos_unit_parse(unit, "h", 1, "USD", NULL);
    }
    for (size_t i = 0; i < sizeof SYMS / sizeof *SYMS; i++) {
        if (strlen(SYMS[i].name) == len && memcmp(SYMS[i].name, name, len) == 0) {
            *slot = SYMS[i].slot;
            return vos_unit_parse(unit, SYMS[i].unit, strlen(SYMS[i].unit), "USD", NULL);
        }
    }
    return VOS_ENOTFOUND;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *targets[] = {NULL, "USD/month", "h", "1"};
    static const double slots[N_SLOTS] = {12000, 6, 48, 2, 50, 2, -3, 1200, 4, 0, 40, 30, 20};
    if (size == 0) return 0;
    const vos_symtab syms = {resolve, NULL, "USD"};
    const char *target = targets[data[0] & 3];
    allow_kpis = (data[0] >> 2) & 1;
    vos_unit t;
    if (target && vos_unit_parse(&t, target, strlen(target), "USD", NULL) != 0) abort();
    vos_formula *f = NULL;
    vos_formula_error err;
    int rc =
        vos_formula_compile(&f, (const char *)data + 1, size - 1, &syms, target ? &t : NULL, &err);
    if (rc != 0) {
        if (f || err.offset > size - 1 || !err.msg[0] || strlen(err.msg) >= sizeof err.msg) abort();
        return 0;
    }
    const uint32_t *deps;
    size_t n = vos_formula_deps(f, &deps);
    for (size_t i = 0; i < n; i++)
        if (deps[i] >= N_SLOTS || (i > 0 && deps[i] <= deps[i - 1])) abort();
    if (vos_formula_is_constant(f) != (n == 0)) abort();
    if (target && !vos_unit_equal(vos_formula_unit(f), &t)) abort();
    const vos_instr *code;
    if (vos_formula_code(f, &code) == 0) abort();
    (void)vos_formula_eval(f, slots);
    char buf[128];
    vos_unit_format(buf, sizeof buf, vos_formula_unit(f), "USD");
    vos_formula_free(f);
    return 0;
}
