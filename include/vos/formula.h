/* The formula language: compile once to bytecode, evaluate without allocating.
 *
 *   expr     := expr ('+'|'-') expr | expr ('*'|'/') expr | '-' expr | expr '^' expr
 *             | expr cmp expr | '(' expr ')' | NUMBER [unit] | NAME | NAME '(' args ')'
 *   cmp      := '<' | '<=' | '>' | '>=' | '==' | '!='
 * Precedence, lowest first: comparison; + -; * /; unary minus; ^ (right-associative, so
 * -2^2 is -4 and 2^3^2 is 512).  A number may carry a unit written right after it:
 * `6 min`, `120000 USD/year`, `80%`, `10 / month` (a '/' or '*' after a number continues its
 * unit only when followed by a unit name that is not a known symbol).
 * Functions: min(a, b, ...), max(a, b, ...), sum(a, b, ...), abs(x), round(x [, digits]) (Excel
 * ROUND: half away from zero), floor(x), ceil(x), clamp(x, lo, hi), if(cond, a, b),
 * sqrt(x) (dimension exponents must be even), exp(x) and ln(x) (dimensionless).
 * KPI accessors (only where the symbol table allows them, e.g. in `realized` formulas):
 * baseline(kpi), actual(kpi), target(kpi).
 *
 * Units are checked at compile time: + - min max sum clamp, comparisons and the branches of
 * if need the same dimensions (the right operand is converted to the left one's unit);
 * * and / combine units; ^ needs an integer constant exponent unless its base is
 * dimensionless; the result is converted to the caller's target unit.  Every error carries the
 * byte offset of the offending token. */
#ifndef VOS_FORMULA_H
#define VOS_FORMULA_H

#include "vos/limits.h"
#include "vos/unit.h"

#include <stddef.h>
#include <stdint.h>

typedef enum vos_sym_kind {
    VOS_SYM_NAME = 0,  /* a plain name: an input or a driver */
    VOS_SYM_BASELINE,  /* baseline(kpi) */
    VOS_SYM_ACTUAL,    /* actual(kpi) */
    VOS_SYM_TARGET     /* target(kpi) */
} vos_sym_kind;

/* How the compiler resolves names.  `resolve` gets the name (len bytes, not NUL-terminated)
 * and returns 0 with the value slot and the unit of values stored in that slot, VOS_ENOTFOUND
 * for an unknown name (the compiler reports "unknown name 'x'"), or VOS_EINVALID after
 * setting vos_error_last() (e.g. "KPI accessors are only allowed in realized formulas"),
 * which the compiler reports as is. */
typedef struct vos_symtab {
    int (*resolve)(void *ctx, vos_sym_kind kind, const char *name, size_t len, uint32_t *slot,
                   vos_unit *unit);
    void *ctx;
    const char *currency; /* the model currency, for unit literals */
} vos_symtab;

typedef struct vos_formula_error {
    size_t offset;                 /* byte offset in the source where the problem is */
    char msg[VOS_DIAG_MSG_MAX];    /* e.g. "unit mismatch: USD*h/month where USD/month is needed" */
} vos_formula_error;

typedef struct vos_formula vos_formula;

/* Compiles `src` (len bytes).  When `target` is not NULL the result is converted to that unit,
 * and a result of other dimensions is an error that shows both units.  On success *out is
 * owned by the caller (vos_formula_free).  On failure returns VOS_EINVALID (or VOS_ETOOLARGE
 * past the limits of vos/limits.h, or VOS_ENOMEM) and fills *err. */
int vos_formula_compile(vos_formula **out, const char *src, size_t len, const vos_symtab *syms,
                        const vos_unit *target, vos_formula_error *err);

/* Evaluates with slot values taken from `slots` (each in its slot's unit).  Allocates nothing.
 * Division by zero and domain errors give inf or NaN; callers check isfinite(). */
double vos_formula_eval(const vos_formula *f, const double *slots);

/* The unit of the result (the target unit when one was given).  Borrowed. */
const vos_unit *vos_formula_unit(const vos_formula *f);

/* The distinct slots the formula reads, ascending.
 * Borrowed; valid until vos_formula_free. */
size_t vos_formula_deps(const vos_formula *f, const uint32_t **slots);

/* Whether the formula reads no slot (its value is a constant). */
int vos_formula_is_constant(const vos_formula *f);

/* The source text, NUL-terminated.  Borrowed. */
const char *vos_formula_source(const vos_formula *f);

void vos_formula_free(vos_formula *f);

#endif
