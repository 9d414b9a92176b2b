/* Internals of the formula compiler: the bytecode.  A compiled formula is a flat array of
 * instructions for a stack machine with no jumps: each instruction pops its operands and
 * pushes one result, so the depth of the stack at every instruction is known at compile time.
 * Kept apart from formula.c so that tests and tools can inspect compiled code. */
#ifndef VOS_FORMULA_INT_H
#define VOS_FORMULA_INT_H

#include "vos/formula.h"

#include <stddef.h>
#include <stdint.h>

typedef enum vos_op {
    VOS_OP_PUSH = 0, /* push arg.k */
    VOS_OP_LOAD,     /* push slots[arg.slot] */
    VOS_OP_ADD,      /* a b -> a + b */
    VOS_OP_SUB,
    VOS_OP_MUL,
    VOS_OP_DIV,
    VOS_OP_POW,
    VOS_OP_NEG,  /* a -> -a */
    VOS_OP_MULK, /* a -> a * arg.k (unit conversion) */
    VOS_OP_DIVK, /* a -> a / arg.k (unit conversion) */
    VOS_OP_LT,   /* a b -> 1 or 0 (NaN when either is NaN) */
    VOS_OP_LE,
    VOS_OP_GT,
    VOS_OP_GE,
    VOS_OP_EQ,
    VOS_OP_NE,
    VOS_OP_MIN, /* a b -> smaller (NaN when either is NaN) */
    VOS_OP_MAX,
    VOS_OP_ABS,
    VOS_OP_ROUND, /* x digits -> Excel ROUND(x, digits) */
    VOS_OP_FLOOR,
    VOS_OP_CEIL,
    VOS_OP_SQRT,
    VOS_OP_EXP,
    VOS_OP_LN,
    VOS_OP_SELECT, /* c a b -> c != 0 ? a : b (NaN when c is NaN) */
    VOS_OP_COUNT_
} vos_op;

typedef struct vos_instr {
    uint8_t op;      /* vos_op */
    uint32_t offset; /* byte offset in the source of the token that produced it */
    union {
        double k;
        uint32_t slot;
    } arg;
} vos_instr;

/* The code of a compiled formula (borrowed; valid until vos_formula_free). */
size_t vos_formula_code(const vos_formula *f, const vos_instr **code);

/* Excel ROUND: x rounded half away from zero to trunc(digits) decimal places (negative
 * digits round to tens, hundreds, ...), judging halves at 15 significant digits. */
double vos_excel_round(double x, double digits);

#endif
