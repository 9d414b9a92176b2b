/* The formula compiler and evaluator (include/vos/formula.h, docs/formulas.md).
 *
 * One pass: a recursive-descent parser emits stack-machine code (formula_int.h) as it goes.
 * Every subexpression is described by an `operand`: its unit and where its code starts.  Unit
 * conversions are emitted right after the code of the operand they convert, and a
 * subexpression whose operands are all constants is evaluated at once and replaced by one
 * PUSH (constant folding).  A final pass checks the stack depth and lists the slots read. */
#include "core/formula_int.h"
#include "vos/error.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_SHOWN 64                 /* bytes of a name quoted in a message */
#define UNIT_SHOWN 96                 /* bytes of a unit shown in a message */
#define NUMBER_TEXT_MAX 128           /* bytes of one number literal */
#define UNIT_POW_DIGITS 3             /* digits of an exponent written after a unit name */
#define POW_UNIT_EXP_MAX 64           /* |constant exponent| tried as a power of a unit */
#define SIG_DIGITS 15                 /* Excel compares numbers at 15 significant digits */
#define ROUND_DIGITS_MAX 400          /* |digits| of round() beyond which nothing changes */
#define EXACT_POW10_MAX 22            /* 10^22 is the largest power of ten a double holds exactly */
#define TWO_POW_52 4503599627370496.0 /* doubles at or above this have no fraction */

struct vos_formula {
    vos_instr *code;
    size_t n_code;
    uint32_t *deps;
    size_t n_deps;
    vos_unit unit;
    char *source;
};

/* --- evaluation --- */

static const double POW10[EXACT_POW10_MAX + 1] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                                  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static double pow10_of(int e)
{
    return e <= EXACT_POW10_MAX ? POW10[e] : pow(10.0, e);
}

/* Half a unit in the 15th significant digit of y > 0: two numbers closer than that are
 * the same number to Excel. */
static double sig_tolerance(double y)
{
    return 0.5 * pow(10.0, floor(log10(y)) - (SIG_DIGITS - 1));
}

/* x, or the integer nearest to it when x equals that integer at 15 significant digits. */
static double snap_integer(double x)
{
    double r = nearbyint(x);
    if (x != 0 && isfinite(x) && fabs(x - r) <= sig_tolerance(fabs(x))) return r;
    return x;
}

double vos_excel_round(double x, double digits)
{
    if (isnan(x) || isnan(digits)) return NAN;
    if (isinf(x)) return x;
    double d = trunc(digits);
    if (d > ROUND_DIGITS_MAX) return x;
    if (d < -ROUND_DIGITS_MAX) return 0.0;
    int di = (int)d;
    double scale = pow10_of(di < 0 ? -di : di);
    double ax = fabs(x);
    double y = di >= 0 ? ax * scale : ax / scale;
    if (!isfinite(y) || y >= TWO_POW_52) return x;
    double r = floor(y);
    if (y > 0 && (y - r) + sig_tolerance(y) >= 0.5) r += 1;
    double res = di >= 0 ? r / scale : r * scale;
    if (res == 0) return 0.0;
    return x < 0 ? -res : res;
}

static double nan_or(double a, double b, double v)
{
    return isnan(a) ? a : isnan(b) ? b : v;
}

#define BINARY(expr)                                                                               \
    do {                                                                                           \
        double b_ = st[--sp], a_ = st[sp - 1];                                                     \
        st[sp - 1] = (expr);                                                                       \
    } while (0)
#define UNARY(expr)                                                                                \
    do {                                                                                           \
        double a_ = st[sp - 1];                                                                    \
        st[sp - 1] = (expr);                                                                       \
    } while (0)

/* Runs n instructions over a fixed stack; the compiler guarantees the depth fits. */
static double run(const vos_instr *code, size_t n, const double *slots)
{
    double st[VOS_FORMULA_STACK_MAX];
    size_t sp = 0;
    for (size_t i = 0; i < n; i++) {
        const vos_instr *in = &code[i];
        switch ((vos_op)in->op) {
        case VOS_OP_PUSH:
            st[sp++] = in->arg.k;
            break;
        case VOS_OP_LOAD:
            st[sp++] = slots[in->arg.slot];
            break;
        case VOS_OP_ADD:
            BINARY(a_ + b_);
            break;
        case VOS_OP_SUB:
            BINARY(a_ - b_);
            break;
        case VOS_OP_MUL:
            BINARY(a_ * b_);
            break;
        case VOS_OP_DIV:
            BINARY(a_ / b_);
            break;
        case VOS_OP_POW:
            BINARY(pow(a_, b_));
            break;
        case VOS_OP_NEG:
            UNARY(-a_);
            break;
        case VOS_OP_MULK:
            UNARY(a_ * in->arg.k);
            break;
        case VOS_OP_DIVK:
            UNARY(a_ / in->arg.k);
            break;
        case VOS_OP_LT:
            BINARY(nan_or(a_, b_, a_ < b_));
            break;
        case VOS_OP_LE:
            BINARY(nan_or(a_, b_, a_ <= b_));
            break;
        case VOS_OP_GT:
            BINARY(nan_or(a_, b_, a_ > b_));
            break;
        case VOS_OP_GE:
            BINARY(nan_or(a_, b_, a_ >= b_));
            break;
        case VOS_OP_EQ:
            BINARY(nan_or(a_, b_, a_ == b_));
            break;
        case VOS_OP_NE:
            BINARY(nan_or(a_, b_, a_ != b_));
            break;
        case VOS_OP_MIN:
            BINARY(nan_or(a_, b_, b_ < a_ ? b_ : a_));
            break;
        case VOS_OP_MAX:
            BINARY(nan_or(a_, b_, b_ > a_ ? b_ : a_));
            break;
        case VOS_OP_ABS:
            UNARY(fabs(a_));
            break;
        case VOS_OP_ROUND:
            BINARY(vos_excel_round(a_, b_));
            break;
        case VOS_OP_FLOOR:
            UNARY(floor(snap_integer(a_)));
            break;
        case VOS_OP_CEIL:
            UNARY(ceil(snap_integer(a_)));
            break;
        case VOS_OP_SQRT:
            UNARY(sqrt(a_));
            break;
        case VOS_OP_EXP:
            UNARY(exp(a_));
            break;
        case VOS_OP_LN:
            UNARY(log(a_));
            break;
        case VOS_OP_SELECT:
            sp -= 2;
            st[sp - 1] = isnan(st[sp - 1]) ? st[sp - 1] : st[sp - 1] != 0 ? st[sp] : st[sp + 1];
            break;
        case VOS_OP_COUNT_:
            break;
        }
    }
    return sp ? st[sp - 1] : NAN;
}

/* Change of stack depth by each instruction. */
static int stack_effect(vos_op op)
{
    switch (op) {
    case VOS_OP_PUSH:
    case VOS_OP_LOAD:
        return 1;
    case VOS_OP_NEG:
    case VOS_OP_MULK:
    case VOS_OP_DIVK:
    case VOS_OP_ABS:
    case VOS_OP_FLOOR:
    case VOS_OP_CEIL:
    case VOS_OP_SQRT:
    case VOS_OP_EXP:
    case VOS_OP_LN:
    case VOS_OP_COUNT_:
        return 0;
    case VOS_OP_SELECT:
        return -2;
    default:
        return -1;
    }
}

/* --- lexer --- */

typedef enum tok_kind {
    T_END = 0,
    T_NUM,
    T_NAME,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    T_CARET,
    T_LPAREN,
    T_RPAREN,
    T_COMMA,
    T_PERCENT,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    T_EQ,
    T_NE,
    T_BAD
} tok_kind;

typedef struct token {
    tok_kind kind;
    size_t at, len;
} token;

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
    return is_name_start(c) || is_digit(c);
}

/* Length of the number starting at s[i]: digits, an optional '.' and digits (at least one
 * digit in all), and an exponent when 'e' is followed by digits. */
static size_t number_len(const char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && is_digit(s[j]))
        j++;
    if (j < len && s[j] == '.') {
        j++;
        while (j < len && is_digit(s[j]))
            j++;
    }
    if (j < len && (s[j] == 'e' || s[j] == 'E')) {
        size_t k = j + 1;
        if (k < len && (s[k] == '+' || s[k] == '-')) k++;
        if (k < len && is_digit(s[k])) {
            while (k < len && is_digit(s[k]))
                k++;
            j = k;
        }
    }
    return j - i;
}

static token lex(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    token t = {T_END, i, 0};
    if (i >= len) return t;
    char c = s[i], n = i + 1 < len ? s[i + 1] : '\0';
    t.len = 1;
    if (is_digit(c) || (c == '.' && is_digit(n))) {
        t.kind = T_NUM;
        t.len = number_len(s, len, i);
    } else if (is_name_start(c)) {
        t.kind = T_NAME;
        while (i + t.len < len && is_name_char(s[i + t.len]))
            t.len++;
    } else if (c == '<' || c == '>' || c == '=' || c == '!') {
        bool eq = n == '=';
        t.len = eq ? 2 : 1;
        t.kind = c == '<'   ? (eq ? T_LE : T_LT)
                 : c == '>' ? (eq ? T_GE : T_GT)
                 : !eq      ? T_BAD
                 : c == '=' ? T_EQ
                            : T_NE;
        if (t.kind == T_BAD) t.len = 1;
    } else {
        static const char singles[] = "+-*/^(),%";
        static const tok_kind kinds[] = {T_PLUS,   T_MINUS,  T_STAR,  T_SLASH,  T_CARET,
                                         T_LPAREN, T_RPAREN, T_COMMA, T_PERCENT};
        const char *p = c ? strchr(singles, c) : NULL;
        t.kind = p ? kinds[p - singles] : T_BAD;
    }
    return t;
}

/* --- parser state and errors --- */

typedef struct operand {
    vos_unit unit;
    size_t start; /* index of its first instruction */
    size_t at;    /* source offset where it starts */
    bool konst;   /* its code is one PUSH */
    bool zero;    /* a bare literal 0, which takes the unit of what it meets */
} operand;

typedef struct parser {
    const char *src;
    size_t len;
    token tok;
    const vos_symtab *syms;
    const char *currency;
    vos_instr *code;
    size_t n;
    int depth;
    vos_formula_error *err;
} parser;

static int fail(parser *p, int rc, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(parser *p, int rc, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
    va_end(ap);
    p->err->offset = at;
    return vos_error_set(rc, "%s", p->err->msg);
}

static int shown(size_t len)
{
    return len > NAME_SHOWN ? NAME_SHOWN : (int)len;
}

/* Describes a token for a message: 'x', end of formula, byte 0x01. */
static void describe(const parser *p, const token *t, char *buf, size_t size)
{
    if (t->kind == T_END) {
        snprintf(buf, size, "end of formula");
        return;
    }
    unsigned char c = (unsigned char)p->src[t->at];
    if (t->kind == T_BAD && (c < ' ' || c > '~'))
        snprintf(buf, size, "byte 0x%02x", c);
    else
        snprintf(buf, size, "'%.*s'", shown(t->len), p->src + t->at);
}

static void show_unit(const parser *p, const vos_unit *u, char *buf, size_t size)
{
    vos_unit_format(buf, size, u, p->currency);
}

static void advance(parser *p)
{
    p->tok = lex(p->src, p->len, p->tok.at + p->tok.len);
}

static token peek_after(const parser *p, const token *t)
{
    return lex(p->src, p->len, t->at + t->len);
}

static bool dimensionless(const vos_unit *u)
{
    return u->currency == 0 && u->time == 0;
}

/* --- code emission --- */

static int emit(parser *p, vos_op op, size_t at, double k, uint32_t slot)
{
    if (p->n >= VOS_FORMULA_OPS_MAX)
        return fail(p, VOS_ETOOLARGE, at, "formula too long: more than %d operations",
                    VOS_FORMULA_OPS_MAX);
    vos_instr *in = &p->code[p->n++];
    memset(in, 0, sizeof *in);
    in->op = (uint8_t)op;
    in->offset = (uint32_t)at;
    if (op == VOS_OP_LOAD)
        in->arg.slot = slot;
    else
        in->arg.k = k;
    return 0;
}

/* Replaces the code [start, end) of a constant by one PUSH of its value. */
static void fold_range(parser *p, size_t start, size_t end)
{
    if (end - start == 1 && p->code[start].op == VOS_OP_PUSH) return;
    double v = run(p->code + start, end - start, NULL);
    p->code[start].op = VOS_OP_PUSH;
    p->code[start].arg.k = v;
    memmove(p->code + start + 1, p->code + end, (p->n - end) * sizeof *p->code);
    p->n -= end - start - 1;
}

static void fold(parser *p, operand *o)
{
    if (o->konst) fold_range(p, o->start, p->n);
}

/* Inserts, at `end` (where o's code ends), the instructions that convert o into unit `to`,
 * which has the same dimensions; the code after `end` moves up. */
static int convert_at(parser *p, operand *o, size_t end, const vos_unit *to)
{
    int64_t num, den;
    vos_instr ins[2];
    size_t k = 0;
    if (vos_unit_factor(&num, &den, &o->unit, to, p->currency) < 0)
        return fail(p, VOS_ETOOLARGE, o->at, "%s", vos_error_last());
    if (num != 1)
        ins[k++] = (vos_instr){.op = VOS_OP_MULK, .offset = (uint32_t)o->at, .arg.k = (double)num};
    if (den != 1)
        ins[k++] = (vos_instr){.op = VOS_OP_DIVK, .offset = (uint32_t)o->at, .arg.k = (double)den};
    o->unit = *to;
    if (k == 0) return 0;
    if (p->n + k > VOS_FORMULA_OPS_MAX)
        return fail(p, VOS_ETOOLARGE, o->at, "formula too long: more than %d operations",
                    VOS_FORMULA_OPS_MAX);
    memmove(p->code + end + k, p->code + end, (p->n - end) * sizeof *p->code);
    memcpy(p->code + end, ins, k * sizeof *ins);
    p->n += k;
    if (o->konst) fold_range(p, o->start, end + k);
    return 0;
}

/* Converts o, whose code is the last emitted, into unit `to`. */
static int convert(parser *p, operand *o, const vos_unit *to)
{
    return convert_at(p, o, p->n, to);
}

/* Makes r (emitted after l) comparable with l: a bare 0 takes the other side's unit, the
 * dimensions must agree, and r is converted into l's unit. */
static int same_unit(parser *p, operand *l, operand *r, size_t at, const char *verb,
                     const char *where)
{
    if (l->zero && !r->zero)
        l->unit = r->unit;
    else if (r->zero)
        r->unit = l->unit;
    if (!vos_unit_same_dim(&l->unit, &r->unit)) {
        char a[UNIT_SHOWN], b[UNIT_SHOWN];
        show_unit(p, &l->unit, a, sizeof a);
        show_unit(p, &r->unit, b, sizeof b);
        return fail(p, VOS_EINVALID, at, "unit mismatch: cannot %s %s and %s%s", verb, a, b, where);
    }
    return convert(p, r, &l->unit);
}

/* Emits op on the top of the stack, whose code begins at acc->start, and folds it. */
static int apply(parser *p, operand *acc, vos_op op, size_t at, bool konst)
{
    int rc = emit(p, op, at, 0, 0);
    if (rc < 0) return rc;
    acc->konst = konst;
    acc->zero = false;
    fold(p, acc);
    return 0;
}

static int unit_too_large(parser *p, size_t at)
{
    return fail(p, VOS_ETOOLARGE, at,
                "unit too large: exponents of currency and time must stay within -8..8 and "
                "scales within 64-bit integers");
}

/* l op r for + - * / and comparisons; the result replaces l. */
static int binary(parser *p, operand *l, operand *r, vos_op op, size_t at)
{
    static const char *verbs[VOS_OP_COUNT_] = {[VOS_OP_ADD] = "add", [VOS_OP_SUB] = "subtract"};
    vos_unit u;
    int rc = 0;
    if (op == VOS_OP_ADD || op == VOS_OP_SUB) {
        rc = same_unit(p, l, r, at, verbs[op], "");
        u = l->unit;
    } else if (op == VOS_OP_MUL || op == VOS_OP_DIV) {
        rc = op == VOS_OP_MUL ? vos_unit_mul(&u, &l->unit, &r->unit)
                              : vos_unit_div(&u, &l->unit, &r->unit);
        if (rc < 0) return unit_too_large(p, at);
    } else {
        rc = same_unit(p, l, r, at, "compare", "");
        u = vos_unit_one();
    }
    if (rc < 0) return rc;
    l->unit = u;
    return apply(p, l, op, at, l->konst && r->konst);
}

/* base ^ ex: a constant integer exponent raises the unit; otherwise the base must be
 * dimensionless.  The exponent must be dimensionless. */
static int power(parser *p, operand *base, operand *ex, size_t at)
{
    char a[UNIT_SHOWN];
    vos_unit one = vos_unit_one(), u;
    int rc;
    if (!dimensionless(&ex->unit) && !ex->zero) {
        show_unit(p, &ex->unit, a, sizeof a);
        return fail(p, VOS_EINVALID, ex->at, "the exponent must be dimensionless, not %s", a);
    }
    ex->unit = ex->zero ? one : ex->unit;
    if ((rc = convert(p, ex, &one)) < 0) return rc;
    if (ex->konst) {
        double e = p->code[ex->start].arg.k;
        if (e == trunc(e) && fabs(e) <= POW_UNIT_EXP_MAX &&
            vos_unit_pow(&u, &base->unit, (int)e) == 0) {
            base->unit = u;
            return apply(p, base, VOS_OP_POW, at, base->konst);
        }
        if (e == trunc(e) && !dimensionless(&base->unit)) return unit_too_large(p, at);
    }
    if (!dimensionless(&base->unit) && !base->zero) {
        show_unit(p, &base->unit, a, sizeof a);
        return fail(p, VOS_EINVALID, at,
                    "a power with a non-integer or variable exponent needs a dimensionless "
                    "base, not %s",
                    a);
    }
    base->unit = base->zero ? one : base->unit;
    bool konst = base->konst && ex->konst;
    if ((rc = convert_at(p, base, ex->start, &one)) < 0) return rc;
    base->unit = one;
    return apply(p, base, VOS_OP_POW, at, konst);
}

/* --- names --- */

static int resolve(parser *p, vos_sym_kind kind, const token *t, uint32_t *slot, vos_unit *u)
{
    if (!p->syms || !p->syms->resolve) return VOS_ENOTFOUND;
    return p->syms->resolve(p->syms->ctx, kind, p->src + t->at, t->len, slot, u);
}

/* Whether t is a unit name here: a unit, not a symbol, not a function call. */
static bool unit_word(parser *p, const token *t, vos_unit *u)
{
    uint32_t slot;
    vos_unit su;
    if (t->kind != T_NAME || !vos_unit_lookup(u, p->src + t->at, t->len, p->currency)) return false;
    token next = peek_after(p, t);
    if (next.kind == T_LPAREN) return false;
    return resolve(p, VOS_SYM_NAME, t, &slot, &su) == VOS_ENOTFOUND;
}

static bool is_integer_token(const parser *p, const token *t)
{
    if (t->kind != T_NUM || t->len > UNIT_POW_DIGITS) return false;
    for (size_t i = 0; i < t->len; i++)
        if (!is_digit(p->src[t->at + i])) return false;
    return true;
}

/* After a unit name: '^' INTEGER (or '^' '-' INTEGER) raises it. */
static int unit_power(parser *p, vos_unit *u)
{
    if (p->tok.kind != T_CARET) return 0;
    token t = peek_after(p, &p->tok), d = t;
    int sign = 1;
    if (t.kind == T_MINUS) {
        d = peek_after(p, &t);
        sign = -1;
    }
    if (!is_integer_token(p, &d)) return 0;
    int e = 0;
    for (size_t i = 0; i < d.len; i++)
        e = e * 10 + (p->src[d.at + i] - '0');
    e *= sign;
    size_t at = p->tok.at;
    p->tok = d;
    advance(p);
    if (vos_unit_pow(u, u, e) < 0) return unit_too_large(p, at);
    return 0;
}

/* Reads the unit written after a number: a leading '%' or unit name (or "1" before
 * '/' unit), then ('*' | '/') unit-name pairs, each name optionally raised ^INTEGER. */
static int unit_literal(parser *p, vos_unit *out, bool *had)
{
    vos_unit u = vos_unit_one(), w;
    int rc;
    *had = false;
    if (p->tok.kind == T_PERCENT) {
        vos_unit_lookup(&u, "%", 1, NULL);
        *had = true;
        advance(p);
    } else if (unit_word(p, &p->tok, &w)) {
        u = w;
        *had = true;
        advance(p);
        if ((rc = unit_power(p, &u)) < 0) return rc;
    } else if (p->tok.kind == T_NUM && p->tok.len == 1 && p->src[p->tok.at] == '1') {
        token slash = peek_after(p, &p->tok), name = peek_after(p, &slash);
        if (slash.kind == T_SLASH && unit_word(p, &name, &w)) advance(p);
    }
    while (p->tok.kind == T_STAR || p->tok.kind == T_SLASH) {
        token op = p->tok, name = peek_after(p, &op);
        if (!unit_word(p, &name, &w)) break;
        p->tok = name;
        advance(p);
        if ((rc = unit_power(p, &w)) < 0) return rc;
        rc = op.kind == T_STAR ? vos_unit_mul(&u, &u, &w) : vos_unit_div(&u, &u, &w);
        if (rc < 0) return unit_too_large(p, op.at);
        *had = true;
    }
    *out = u;
    return 0;
}

/* --- functions --- */

typedef enum fn_id {
    FN_MIN,
    FN_MAX,
    FN_SUM,
    FN_ABS,
    FN_ROUND,
    FN_FLOOR,
    FN_CEIL,
    FN_CLAMP,
    FN_IF,
    FN_SQRT,
    FN_EXP,
    FN_LN,
    FN_BASELINE,
    FN_ACTUAL,
    FN_TARGET,
    FN_COUNT_
} fn_id;

typedef struct fn_def {
    const char *name;
    int min_args, max_args;
} fn_def;

static const fn_def FUNCS[FN_COUNT_] = {
    [FN_MIN] = {"min", 1, VOS_FORMULA_ARGS_MAX},
    [FN_MAX] = {"max", 1, VOS_FORMULA_ARGS_MAX},
    [FN_SUM] = {"sum", 1, VOS_FORMULA_ARGS_MAX},
    [FN_ABS] = {"abs", 1, 1},
    [FN_ROUND] = {"round", 1, 2},
    [FN_FLOOR] = {"floor", 1, 1},
    [FN_CEIL] = {"ceil", 1, 1},
    [FN_CLAMP] = {"clamp", 3, 3},
    [FN_IF] = {"if", 3, 3},
    [FN_SQRT] = {"sqrt", 1, 1},
    [FN_EXP] = {"exp", 1, 1},
    [FN_LN] = {"ln", 1, 1},
    [FN_BASELINE] = {"baseline", 1, 1},
    [FN_ACTUAL] = {"actual", 1, 1},
    [FN_TARGET] = {"target", 1, 1},
};

/* State of one call while its arguments are parsed. */
typedef struct call {
    fn_id fn;
    size_t at; /* offset of the function name */
    int nargs;
    bool konst;     /* every argument so far is a constant */
    operand acc;    /* the result so far; for if() the condition */
    operand branch; /* if(): the value when true */
} call;

static int arity_error(parser *p, const call *c, size_t at)
{
    const fn_def *d = &FUNCS[c->fn];
    if (d->max_args == VOS_FORMULA_ARGS_MAX && c->nargs >= d->max_args)
        return fail(p, VOS_ETOOLARGE, at, "too many arguments to '%s' (at most %d)", d->name,
                    d->max_args);
    if (d->max_args == VOS_FORMULA_ARGS_MAX)
        return fail(p, VOS_EINVALID, at, "'%s' takes at least %d argument%s", d->name, d->min_args,
                    d->min_args == 1 ? "" : "s");
    if (d->min_args == d->max_args)
        return fail(p, VOS_EINVALID, at, "'%s' takes %d argument%s", d->name, d->min_args,
                    d->min_args == 1 ? "" : "s");
    return fail(p, VOS_EINVALID, at, "'%s' takes %d or %d arguments", d->name, d->min_args,
                d->max_args);
}

/* Takes argument number c->nargs, whose code was just emitted. */
static int call_arg(parser *p, call *c, operand *arg)
{
    char where[32];
    int i = c->nargs++;
    c->konst = c->konst && arg->konst;
    snprintf(where, sizeof where, " in %s()", FUNCS[c->fn].name);
    if (i == 0) {
        c->acc = *arg;
        return 0;
    }
    int rc;
    switch (c->fn) {
    case FN_MIN:
    case FN_MAX:
    case FN_SUM:
        if ((rc = same_unit(p, &c->acc, arg, arg->at, "mix", where)) < 0) return rc;
        return apply(p, &c->acc,
                     c->fn == FN_MIN   ? VOS_OP_MIN
                     : c->fn == FN_MAX ? VOS_OP_MAX
                                       : VOS_OP_ADD,
                     arg->at, c->acc.konst && arg->konst);
    case FN_CLAMP:
        if ((rc = same_unit(p, &c->acc, arg, arg->at, "mix", where)) < 0) return rc;
        return apply(p, &c->acc, i == 1 ? VOS_OP_MAX : VOS_OP_MIN, arg->at,
                     c->acc.konst && arg->konst);
    case FN_ROUND:
        if (!dimensionless(&arg->unit) && !arg->zero) {
            char a[UNIT_SHOWN];
            show_unit(p, &arg->unit, a, sizeof a);
            return fail(p, VOS_EINVALID, arg->at,
                        "the digits of round() must be dimensionless, not %s", a);
        }
        {
            vos_unit one = vos_unit_one();
            arg->unit = arg->zero ? one : arg->unit;
            return convert(p, arg, &one);
        }
    case FN_IF:
        if (i == 1) {
            c->branch = *arg;
            return 0;
        }
        return same_unit(p, &c->branch, arg, arg->at, "mix", " in the branches of if()");
    default:
        return 0;
    }
}

/* sqrt(x): even powers of currency and time; the scale is kept when it is a perfect square,
 * else x is first converted to the base unit (scale 1). */
static int call_sqrt(parser *p, call *c)
{
    operand *x = &c->acc;
    if (x->zero) x->unit = vos_unit_one();
    if (x->unit.currency % 2 != 0 || x->unit.time % 2 != 0) {
        char a[UNIT_SHOWN];
        show_unit(p, &x->unit, a, sizeof a);
        return fail(p, VOS_EINVALID, x->at, "sqrt() needs even powers of currency and time, not %s",
                    a);
    }
    int64_t rn = (int64_t)llround(sqrt((double)x->unit.num));
    int64_t rd = (int64_t)llround(sqrt((double)x->unit.den));
    vos_unit half = {(int8_t)(x->unit.currency / 2), (int8_t)(x->unit.time / 2), 1, 1};
    int64_t sn, sd;
    if (!__builtin_mul_overflow(rn, rn, &sn) && !__builtin_mul_overflow(rd, rd, &sd) &&
        sn == x->unit.num && sd == x->unit.den) {
        half.num = rn;
        half.den = rd;
    } else {
        vos_unit base = {x->unit.currency, x->unit.time, 1, 1};
        int rc = convert(p, x, &base);
        if (rc < 0) return rc;
    }
    x->unit = half;
    return apply(p, x, VOS_OP_SQRT, c->at, c->konst);
}

/* exp() and ln() take and give dimensionless values. */
static int call_dimensionless(parser *p, call *c, vos_op op)
{
    operand *x = &c->acc;
    vos_unit one = vos_unit_one();
    if (!dimensionless(&x->unit) && !x->zero) {
        char a[UNIT_SHOWN];
        show_unit(p, &x->unit, a, sizeof a);
        return fail(p, VOS_EINVALID, x->at, "%s() needs a dimensionless argument, not %s",
                    FUNCS[c->fn].name, a);
    }
    x->unit = x->zero ? one : x->unit;
    int rc = convert(p, x, &one);
    if (rc < 0) return rc;
    return apply(p, x, op, c->at, c->konst);
}

/* Emits what remains after the last argument. */
static int call_finish(parser *p, call *c, operand *out)
{
    int rc = 0;
    operand *x = &c->acc;
    switch (c->fn) {
    case FN_ABS:
        rc = apply(p, x, VOS_OP_ABS, c->at, c->konst);
        break;
    case FN_FLOOR:
        rc = apply(p, x, VOS_OP_FLOOR, c->at, c->konst);
        break;
    case FN_CEIL:
        rc = apply(p, x, VOS_OP_CEIL, c->at, c->konst);
        break;
    case FN_ROUND:
        if (c->nargs == 1 && (rc = emit(p, VOS_OP_PUSH, c->at, 0, 0)) < 0) return rc;
        rc = apply(p, x, VOS_OP_ROUND, c->at, c->konst);
        break;
    case FN_IF:
        x->unit = c->branch.unit;
        rc = apply(p, x, VOS_OP_SELECT, c->at, c->konst);
        break;
    case FN_SQRT:
        rc = call_sqrt(p, c);
        break;
    case FN_EXP:
        rc = call_dimensionless(p, c, VOS_OP_EXP);
        break;
    case FN_LN:
        rc = call_dimensionless(p, c, VOS_OP_LN);
        break;
    default:
        x->zero = false;
        break;
    }
    *out = *x;
    out->at = c->at;
    return rc;
}

/* --- grammar --- */

static int parse_expr(parser *p, operand *out);
static int parse_unary(parser *p, operand *out);

/* Enters one level of nesting (parentheses, call, unary minus, exponent) at offset `at`. */
static int nest(parser *p, size_t at)
{
    if (++p->depth > VOS_FORMULA_STACK_MAX)
        return fail(p, VOS_ETOOLARGE, at, "formula nests too deeply (more than %d levels)",
                    VOS_FORMULA_STACK_MAX);
    return 0;
}

static int expect(parser *p, tok_kind kind, const char *what)
{
    if (p->tok.kind == kind) {
        advance(p);
        return 0;
    }
    if (p->tok.kind == T_END)
        return fail(p, VOS_EINVALID, p->tok.at, "expected %s before the end of formula", what);
    char d[NAME_SHOWN + 16];
    describe(p, &p->tok, d, sizeof d);
    return fail(p, VOS_EINVALID, p->tok.at, "expected %s, found %s", what, d);
}

/* baseline(kpi), actual(kpi), target(kpi): p->tok is '('. */
static int parse_accessor(parser *p, fn_id fn, size_t at, operand *out)
{
    static const vos_sym_kind kinds[FN_COUNT_] = {[FN_BASELINE] = VOS_SYM_BASELINE,
                                                  [FN_ACTUAL] = VOS_SYM_ACTUAL,
                                                  [FN_TARGET] = VOS_SYM_TARGET};
    advance(p);
    token name = p->tok;
    if (name.kind != T_NAME || peek_after(p, &name).kind != T_RPAREN)
        return fail(p, VOS_EINVALID, name.at, "'%s' takes a KPI id, e.g. %s(kpi_id)",
                    FUNCS[fn].name, FUNCS[fn].name);
    uint32_t slot;
    vos_unit u;
    int rc = resolve(p, kinds[fn], &name, &slot, &u);
    if (rc == VOS_ENOTFOUND)
        return fail(p, VOS_EINVALID, name.at, "unknown KPI '%.*s'", shown(name.len),
                    p->src + name.at);
    if (rc < 0)
        return fail(p, rc == VOS_ENOMEM ? rc : VOS_EINVALID, name.at, "%s", vos_error_last());
    advance(p);
    advance(p);
    *out = (operand){.unit = u, .start = p->n, .at = at};
    return emit(p, VOS_OP_LOAD, at, 0, slot);
}

/* NAME '(' args ')': p->tok is '('. */
static int parse_call(parser *p, const token *name, operand *out)
{
    call c = {.fn = FN_COUNT_, .at = name->at, .konst = true};
    for (int i = 0; i < FN_COUNT_; i++)
        if (strlen(FUNCS[i].name) == name->len &&
            !memcmp(FUNCS[i].name, p->src + name->at, name->len))
            c.fn = (fn_id)i;
    if (c.fn == FN_COUNT_)
        return fail(p, VOS_EINVALID, name->at, "unknown function '%.*s'", shown(name->len),
                    p->src + name->at);
    if (c.fn == FN_BASELINE || c.fn == FN_ACTUAL || c.fn == FN_TARGET)
        return parse_accessor(p, c.fn, name->at, out);
    size_t open = p->tok.at;
    advance(p);
    int rc;
    if ((rc = nest(p, open)) < 0) return rc;
    if (p->tok.kind != T_RPAREN) {
        for (;;) {
            operand arg;
            if (c.nargs >= FUNCS[c.fn].max_args) return arity_error(p, &c, p->tok.at);
            if ((rc = parse_expr(p, &arg)) < 0 || (rc = call_arg(p, &c, &arg)) < 0) return rc;
            if (p->tok.kind != T_COMMA) break;
            advance(p);
        }
    }
    if ((rc = expect(p, T_RPAREN, "',' or ')'")) < 0) return rc;
    p->depth--;
    if (c.nargs < FUNCS[c.fn].min_args) return arity_error(p, &c, name->at);
    return call_finish(p, &c, out);
}

static int parse_number(parser *p, operand *out)
{
    token t = p->tok;
    char buf[NUMBER_TEXT_MAX];
    if (t.len >= sizeof buf) return fail(p, VOS_EINVALID, t.at, "number too long");
    memcpy(buf, p->src + t.at, t.len);
    buf[t.len] = '\0';
    double v = strtod(buf, NULL);
    if (!isfinite(v)) return fail(p, VOS_EINVALID, t.at, "number out of range");
    advance(p);
    bool had;
    vos_unit u;
    int rc = unit_literal(p, &u, &had);
    if (rc < 0) return rc;
    *out = (operand){.unit = u, .start = p->n, .at = t.at, .konst = true, .zero = v == 0 && !had};
    return emit(p, VOS_OP_PUSH, t.at, v, 0);
}

static int parse_name(parser *p, operand *out)
{
    token t = p->tok;
    advance(p);
    if (p->tok.kind == T_LPAREN) return parse_call(p, &t, out);
    uint32_t slot;
    vos_unit u;
    int rc = resolve(p, VOS_SYM_NAME, &t, &slot, &u);
    if (rc == VOS_ENOTFOUND) {
        if (vos_unit_lookup(&u, p->src + t.at, t.len, p->currency))
            return fail(p, VOS_EINVALID, t.at,
                        "'%.*s' is a unit, not a value: write a number before it, e.g. 1 %.*s",
                        shown(t.len), p->src + t.at, shown(t.len), p->src + t.at);
        return fail(p, VOS_EINVALID, t.at, "unknown name '%.*s'", shown(t.len), p->src + t.at);
    }
    if (rc < 0) return fail(p, rc == VOS_ENOMEM ? rc : VOS_EINVALID, t.at, "%s", vos_error_last());
    *out = (operand){.unit = u, .start = p->n, .at = t.at};
    return emit(p, VOS_OP_LOAD, t.at, 0, slot);
}

static int parse_primary(parser *p, operand *out)
{
    char d[NAME_SHOWN + 16];
    int rc;
    switch (p->tok.kind) {
    case T_NUM:
        return parse_number(p, out);
    case T_NAME:
        return parse_name(p, out);
    case T_LPAREN: {
        size_t at = p->tok.at;
        advance(p);
        if ((rc = nest(p, at)) < 0 || (rc = parse_expr(p, out)) < 0 ||
            (rc = expect(p, T_RPAREN, "')'")) < 0)
            return rc;
        p->depth--;
        out->at = at;
        return 0;
    }
    case T_END:
        return fail(p, VOS_EINVALID, p->tok.at, "unexpected end of formula");
    case T_BAD:
        describe(p, &p->tok, d, sizeof d);
        if (p->src[p->tok.at] == '=')
            return fail(p, VOS_EINVALID, p->tok.at, "unexpected '=' (use '==' to compare)");
        return fail(p, VOS_EINVALID, p->tok.at, "unexpected %s", d);
    default:
        describe(p, &p->tok, d, sizeof d);
        return fail(p, VOS_EINVALID, p->tok.at, "expected a value, found %s", d);
    }
}

/* power := primary ('^' unary)?   (right-associative through unary) */
static int parse_power(parser *p, operand *out)
{
    int rc = parse_primary(p, out);
    if (rc < 0 || p->tok.kind != T_CARET) return rc;
    size_t at = p->tok.at;
    operand ex;
    advance(p);
    if ((rc = nest(p, at)) < 0 || (rc = parse_unary(p, &ex)) < 0) return rc;
    p->depth--;
    return power(p, out, &ex, at);
}

/* unary := '-' unary | power */
static int parse_unary(parser *p, operand *out)
{
    if (p->tok.kind != T_MINUS) return parse_power(p, out);
    size_t at = p->tok.at;
    int rc;
    advance(p);
    if ((rc = nest(p, at)) < 0 || (rc = parse_unary(p, out)) < 0) return rc;
    p->depth--;
    bool zero = out->zero;
    if ((rc = apply(p, out, VOS_OP_NEG, at, out->konst)) < 0) return rc;
    out->zero = zero;
    out->at = at;
    return 0;
}

/* product := unary (('*' | '/') unary)* */
static int parse_product(parser *p, operand *out)
{
    int rc = parse_unary(p, out);
    while (rc == 0 && (p->tok.kind == T_STAR || p->tok.kind == T_SLASH)) {
        vos_op op = p->tok.kind == T_STAR ? VOS_OP_MUL : VOS_OP_DIV;
        size_t at = p->tok.at;
        operand r;
        advance(p);
        if ((rc = parse_unary(p, &r)) == 0) rc = binary(p, out, &r, op, at);
    }
    return rc;
}

/* sum := product (('+' | '-') product)* */
static int parse_sum(parser *p, operand *out)
{
    int rc = parse_product(p, out);
    while (rc == 0 && (p->tok.kind == T_PLUS || p->tok.kind == T_MINUS)) {
        vos_op op = p->tok.kind == T_PLUS ? VOS_OP_ADD : VOS_OP_SUB;
        size_t at = p->tok.at;
        operand r;
        advance(p);
        if ((rc = parse_product(p, &r)) == 0) rc = binary(p, out, &r, op, at);
    }
    return rc;
}

static vos_op compare_op(tok_kind k)
{
    switch (k) {
    case T_LT:
        return VOS_OP_LT;
    case T_LE:
        return VOS_OP_LE;
    case T_GT:
        return VOS_OP_GT;
    case T_GE:
        return VOS_OP_GE;
    case T_EQ:
        return VOS_OP_EQ;
    case T_NE:
        return VOS_OP_NE;
    default:
        return VOS_OP_COUNT_;
    }
}

/* expr := sum (cmp sum)?   (comparisons do not chain) */
static int parse_expr(parser *p, operand *out)
{
    int rc;
    if ((rc = parse_sum(p, out)) < 0) return rc;
    vos_op op = compare_op(p->tok.kind);
    if (op != VOS_OP_COUNT_) {
        size_t at = p->tok.at;
        operand r;
        advance(p);
        if ((rc = parse_sum(p, &r)) < 0 || (rc = binary(p, out, &r, op, at)) < 0) return rc;
        if (compare_op(p->tok.kind) != VOS_OP_COUNT_)
            return fail(p, VOS_EINVALID, p->tok.at,
                        "comparisons cannot be chained; combine them with if()");
    }
    return 0;
}

/* --- compile --- */

/* The deepest stack the code needs; *at gets the offset of the first instruction that goes
 * deeper than VOS_FORMULA_STACK_MAX. */
static int max_depth(const vos_instr *code, size_t n, size_t *at)
{
    int d = 0, max = 0;
    *at = 0;
    for (size_t i = 0; i < n; i++) {
        d += stack_effect((vos_op)code[i].op);
        if (d > VOS_FORMULA_STACK_MAX && max <= VOS_FORMULA_STACK_MAX) *at = code[i].offset;
        if (d > max) max = d;
    }
    return max;
}

static int cmp_slot(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Lists the distinct slots the code reads, ascending, into f->deps. */
static int collect_deps(vos_formula *f)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n_code; i++)
        n += f->code[i].op == VOS_OP_LOAD;
    if (n == 0) return 0;
    f->deps = malloc(n * sizeof *f->deps);
    if (!f->deps) return vos_error_set(VOS_ENOMEM, "out of memory compiling a formula");
    n = 0;
    for (size_t i = 0; i < f->n_code; i++)
        if (f->code[i].op == VOS_OP_LOAD) f->deps[n++] = f->code[i].arg.slot;
    qsort(f->deps, n, sizeof *f->deps, cmp_slot);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || f->deps[k - 1] != f->deps[i]) f->deps[k++] = f->deps[i];
    f->n_deps = k;
    return 0;
}

/* Parses the whole source into p->code; *unit gets the unit of the result. */
static int compile_source(parser *p, const vos_unit *target, vos_unit *unit)
{
    operand r;
    int rc;
    char d[NAME_SHOWN + 16];
    advance(p);
    if (p->tok.kind == T_END) return fail(p, VOS_EINVALID, p->tok.at, "empty formula");
    if ((rc = parse_expr(p, &r)) < 0) return rc;
    if (p->tok.kind == T_RPAREN) return fail(p, VOS_EINVALID, p->tok.at, "unmatched ')'");
    if (p->tok.kind == T_BAD && p->src[p->tok.at] == '=')
        return fail(p, VOS_EINVALID, p->tok.at, "unexpected '=' (use '==' to compare)");
    if (p->tok.kind != T_END) {
        describe(p, &p->tok, d, sizeof d);
        return fail(p, VOS_EINVALID, p->tok.at, "expected an operator or the end, found %s", d);
    }
    if (target) {
        if (r.zero) r.unit = *target;
        if (!vos_unit_same_dim(&r.unit, target)) {
            char a[UNIT_SHOWN], b[UNIT_SHOWN];
            show_unit(p, &r.unit, a, sizeof a);
            show_unit(p, target, b, sizeof b);
            return fail(p, VOS_EINVALID, r.at, "unit mismatch: formula gives %s where %s is needed",
                        a, b);
        }
        if ((rc = convert(p, &r, target)) < 0) return rc;
    }
    size_t at;
    if (max_depth(p->code, p->n, &at) > VOS_FORMULA_STACK_MAX)
        return fail(p, VOS_ETOOLARGE, at,
                    "formula too complex: needs more than %d evaluation stack entries; split it "
                    "into several drivers",
                    VOS_FORMULA_STACK_MAX);
    *unit = r.unit;
    return 0;
}

int vos_formula_compile(vos_formula **out, const char *src, size_t len, const vos_symtab *syms,
                        const vos_unit *target, vos_formula_error *err)
{
    vos_formula_error scratch;
    vos_formula *f = NULL;
    parser p = {.src = src ? src : "",
                .len = src ? len : 0,
                .syms = syms,
                .currency = syms ? syms->currency : NULL,
                .err = err ? err : &scratch};
    int rc;
    *out = NULL;
    p.err->offset = 0;
    p.err->msg[0] = '\0';
    if (p.len > VOS_FORMULA_CHARS_MAX)
        return fail(&p, VOS_ETOOLARGE, VOS_FORMULA_CHARS_MAX,
                    "formula too long: more than %d characters", VOS_FORMULA_CHARS_MAX);
    p.code = malloc(VOS_FORMULA_OPS_MAX * sizeof *p.code);
    f = calloc(1, sizeof *f);
    if (!p.code || !f || !(f->source = malloc(p.len + 1))) {
        rc = fail(&p, VOS_ENOMEM, 0, "out of memory compiling a formula");
        goto out;
    }
    memcpy(f->source, p.src, p.len);
    f->source[p.len] = '\0';
    if ((rc = compile_source(&p, target, &f->unit)) < 0) goto out;
    f->n_code = p.n;
    f->code = malloc(p.n * sizeof *f->code);
    if (!f->code) {
        rc = fail(&p, VOS_ENOMEM, 0, "out of memory compiling a formula");
        goto out;
    }
    memcpy(f->code, p.code, p.n * sizeof *f->code);
    if ((rc = collect_deps(f)) < 0) {
        rc = fail(&p, rc, 0, "out of memory compiling a formula");
        goto out;
    }
    *out = f;
    f = NULL;
out:
    free(p.code);
    vos_formula_free(f);
    return rc;
}

double vos_formula_eval(const vos_formula *f, const double *slots)
{
    return f ? run(f->code, f->n_code, slots) : NAN;
}

const vos_unit *vos_formula_unit(const vos_formula *f)
{
    return &f->unit;
}

size_t vos_formula_deps(const vos_formula *f, const uint32_t **slots)
{
    *slots = f->deps;
    return f->n_deps;
}

int vos_formula_is_constant(const vos_formula *f)
{
    return f->n_deps == 0;
}

const char *vos_formula_source(const vos_formula *f)
{
    return f->source;
}

size_t vos_formula_code(const vos_formula *f, const vos_instr **code)
{
    *code = f->code;
    return f->n_code;
}

void vos_formula_free(vos_formula *f)
{
    if (!f) return;
    free(f->code);
    free(f->deps);
    free(f->source);
    free(f);
}
