/* The formula language: precedence, functions, units, errors with offsets, limits, deps.
 * ROUND expectations are the examples of Microsoft's Excel ROUND documentation
 * (support.microsoft.com, "ROUND function"). */
#include "core/formula_int.h"
#include "vos/error.h"
#include "vos/formula.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Symbols: name, slot, unit text.  KPI mttr (h) has slots 10..12. */
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
    {"count", 6, "1"},
    {"fee", 7, "USD/year"},
};

static double slots[16] = {12000, 6, 48, 2, 50, 2, 3, 1200, 0, 0, 40, 30, 20};

static int no_kpis; /* when set, KPI accessors are refused like outside `realized` */

static int resolve(void *ctx, vos_sym_kind kind, const char *name, size_t len, uint32_t *slot,
                   vos_unit *unit)
{
    (void)ctx;
    if (kind != VOS_SYM_NAME) {
        if (len != 4 || memcmp(name, "mttr", 4) != 0) return VOS_ENOTFOUND;
        if (no_kpis)
            return vos_error_set(VOS_EINVALID,
                                 "KPI accessors are only allowed in realized formulas");
        *slot = 10 + (uint32_t)(kind - VOS_SYM_BASELINE);
        return vos_unit_parse(unit, "h", 1, "USD", NULL);
    }
    if (len == 6 && memcmp(name, "secret", 6) == 0)
        return vos_error_set(VOS_EINVALID, "'secret' may not be read here");
    for (size_t i = 0; i < sizeof SYMS / sizeof *SYMS; i++) {
        if (strlen(SYMS[i].name) == len && memcmp(SYMS[i].name, name, len) == 0) {
            *slot = SYMS[i].slot;
            return vos_unit_parse(unit, SYMS[i].unit, strlen(SYMS[i].unit), "USD", NULL);
        }
    }
    return VOS_ENOTFOUND;
}

static const vos_symtab SYMTAB = {resolve, NULL, "USD"};

static vos_unit unit_of(const char *text)
{
    vos_unit u;
    ck_assert_int_eq(vos_unit_parse(&u, text, strlen(text), "USD", NULL), 0);
    return u;
}

static vos_formula *compile(const char *src, const char *target)
{
    vos_formula *f = NULL;
    vos_formula_error err;
    vos_unit t;
    if (target) t = unit_of(target);
    int rc = vos_formula_compile(&f, src, strlen(src), &SYMTAB, target ? &t : NULL, &err);
    ck_assert_msg(rc == 0, "'%s': %s (at %zu)", src, err.msg, err.offset);
    ck_assert_ptr_nonnull(f);
    return f;
}

/* Value of src converted to target (or in its own unit when target is NULL). */
static double value(const char *src, const char *target)
{
    vos_formula *f = compile(src, target);
    double v = vos_formula_eval(f, slots);
    vos_formula_free(f);
    return v;
}

#define EQ(src, target, expected) ck_assert_double_eq(value(src, target), expected)

static void fails(const char *src, const char *target, int code, size_t offset, const char *msg)
{
    vos_formula *f = (vos_formula *)1;
    vos_formula_error err;
    vos_unit t;
    if (target) t = unit_of(target);
    int rc = vos_formula_compile(&f, src, strlen(src), &SYMTAB, target ? &t : NULL, &err);
    ck_assert_msg(rc == code, "'%.60s': rc %d, expected %d (%s)", src, rc, code, err.msg);
    ck_assert_ptr_null(f);
    ck_assert_msg(err.offset == offset, "'%.60s': offset %zu, expected %zu (%s)", src, err.offset,
                  offset, err.msg);
    ck_assert_msg(strstr(err.msg, msg), "'%.60s': message '%s' lacks '%s'", src, err.msg, msg);
    ck_assert_str_eq(vos_error_last(), err.msg);
}

/* A string of n copies of s (caller frees). */
static char *repeat(const char *s, int n, const char *tail)
{
    size_t k = strlen(s), t = strlen(tail);
    char *buf = malloc(k * (size_t)n + t + 1);
    for (int i = 0; i < n; i++)
        memcpy(buf + k * (size_t)i, s, k);
    memcpy(buf + k * (size_t)n, tail, t + 1);
    return buf;
}

START_TEST(precedence)
{
    EQ("-2^2", NULL, -4);
    EQ("2^3^2", NULL, 512);
    EQ("1-2-3", NULL, -4);
    EQ("8/4/2", NULL, 1);
    EQ("2+3*4", NULL, 14);
    EQ("(2+3)*4", NULL, 20);
    EQ("2*-3", NULL, -6);
    EQ("2^-1", NULL, 0.5);
    EQ("-2^-2", NULL, -0.25);
    EQ("1+2*3^2", NULL, 19);
    EQ("- -3", NULL, 3);
    EQ("1 + 1 == 2", NULL, 1);
    EQ("2 * 3 > 5", NULL, 1);
    EQ("1 <= 0", NULL, 0);
    EQ("1 != 1", NULL, 0);
    EQ(".5e1 + 1.", NULL, 6);
    /* the same with slot values (n = 2), so nothing is folded */
    EQ("-n^2", NULL, -4);
    EQ("n^3^n", NULL, 512);
    EQ("n-n-n", NULL, -2);
    EQ("8/n/n", NULL, 2);
    EQ("n+n*n^n", NULL, 10);
    EQ("n^-n", NULL, 0.25);
}
END_TEST

START_TEST(design_example_exact)
{
    /* 12000 tickets/month * 6 min * 48 USD/h = 57,600 USD/month, exactly */
    EQ("tickets * minutes_saved * loaded_rate", "USD/month", 57600);
    EQ("12000 1/month * 6 min * 48 USD/h", "USD/month", 57600);
    EQ("tickets * minutes_saved * loaded_rate", "USD/year", 691200);
    vos_formula *f = compile("tickets * minutes_saved * loaded_rate", "USD/month");
    ck_assert(vos_unit_equal(vos_formula_unit(f), &(vos_unit){1, -1, 1, 43800}));
    vos_formula_free(f);
    f = compile("tickets * minutes_saved * loaded_rate", NULL);
    char buf[64];
    vos_unit_format(buf, sizeof buf, vos_formula_unit(f), "USD");
    ck_assert_str_eq(buf, "USD*min/h/month");
    vos_formula_free(f);
}
END_TEST

START_TEST(unit_conversions)
{
    EQ("6 min + 1 h", NULL, 66);
    EQ("6 min + 1 h", "h", 1.1);
    EQ("1 h + 6 min", NULL, 1.1);
    EQ("1 year / 1 month", "1", 12);
    EQ("1 year / 1 month", NULL, 1); /* in its own unit, year/month */
    EQ("1 year", "month", 12);
    EQ("120000 USD/year", "USD/month", 10000);
    EQ("fee", "USD/month", 100);
    EQ("80%", "1", 0.8);
    EQ("80%", NULL, 80);
    EQ("1 + 5%", NULL, 1.05);
    EQ("5% + 1", "1", 1.05);
    EQ("10 / month", "1/year", 120);
    EQ("10%/year * 6 months", "%", 5);
    EQ("rate * loaded_rate * hours", "USD", 48);
    EQ("2 h^2 / 1 h", "min", 120);
    EQ("25 bp", "%", 0.25);
    EQ("90 s", "min", 1.5);
    EQ("2 weeks", "day", 14);
    EQ("1 day", "h", 24);
    EQ("3 items * 2 each", NULL, 6);
    EQ("hours > 90 min", NULL, 1);
    EQ("30 min < hours", NULL, 1);
    EQ("2 ^ (200% )", NULL, 4);
}
END_TEST

START_TEST(zero_takes_any_unit)
{
    EQ("max(0, loaded_rate - 50 USD/h) * hours", "USD", 0);
    EQ("max(loaded_rate - 50 USD/h, 0)", "USD/h", 0);
    EQ("0", "USD/month", 0);
    EQ("if(hours > 0, hours, 0)", "h", 2);
    EQ("hours + -0", "h", 2);
}
END_TEST

START_TEST(functions)
{
    EQ("min(3, 1, 2)", NULL, 1);
    EQ("max(3, 1, 2)", NULL, 3);
    EQ("sum(1, 2, 3)", NULL, 6);
    EQ("min(7)", NULL, 7);
    EQ("abs(-2.5)", NULL, 2.5);
    EQ("floor(2.7)", NULL, 2);
    EQ("floor(-2.5)", NULL, -3);
    EQ("ceil(2.1)", NULL, 3);
    EQ("ceil(-2.1)", NULL, -2);
    EQ("ceil((0.1 + 0.2) * 10)", NULL, 3); /* 3.0000000000000004 is 3 at 15 digits */
    EQ("clamp(5, 0, 3)", NULL, 3);
    EQ("clamp(-1, 0, 3)", NULL, 0);
    EQ("clamp(2, 0, 3)", NULL, 2);
    EQ("if(1 > 2, 10, 20)", NULL, 20);
    EQ("if(n, 10, 20)", NULL, 10);
    EQ("if(n - 2, 10, 20)", NULL, 20);
    EQ("sqrt(16)", NULL, 4);
    EQ("sqrt(n * 8)", NULL, 4);
    EQ("exp(0)", NULL, 1);
    ck_assert_double_eq_tol(value("ln(exp(2))", NULL), 2, 1e-15);
    EQ("ln(1)", NULL, 0);
    /* with units */
    EQ("min(1 h, 30 min)", NULL, 0.5);
    EQ("max(30 min, hours)", "min", 120);
    EQ("sum(1 h, 30 min, hours)", "h", 3.5);
    EQ("clamp(hours, 0, 90 min)", "min", 90);
    EQ("if(rate > 40%, 1 USD, 200 USD)", NULL, 1);
    EQ("sqrt(4 h^2)", "h", 2);
    EQ("sqrt(hours * 8 h)", "h", 4);
    EQ("sqrt(hours * 8 min)", "min", sqrt(2 * 60 * 8));
    EQ("round(90 min)", "min", 90);
    EQ("round(hours * 1.25)", NULL, 3);
    EQ("exp(0%)", NULL, 1);
    EQ("baseline(mttr) - actual(mttr)", "h", 10);
    EQ("target(mttr)", "min", 1200);
}
END_TEST

START_TEST(excel_round)
{
    /* Microsoft's examples for ROUND */
    EQ("round(2.15, 1)", NULL, 2.2);
    EQ("round(2.149, 1)", NULL, 2.1);
    EQ("round(-1.475, 2)", NULL, -1.48);
    EQ("round(21.5, -1)", NULL, 20);
    EQ("round(626.3, -3)", NULL, 1000);
    EQ("round(1.98, -1)", NULL, 0);
    EQ("round(-50.55, -2)", NULL, -100);
    EQ("round(23.7825, 2)", NULL, 23.78);
    /* half away from zero, judged at 15 significant digits; 2.675, 1.005 and 0.285 agree
     * with Gnumeric 1.12 (ssconvert --recalc) */
    EQ("round(2.5)", NULL, 3);
    EQ("round(-2.5)", NULL, -3);
    EQ("round(0.5)", NULL, 1);
    EQ("round(2.675, 2)", NULL, 2.68);
    EQ("round(1.005, 2)", NULL, 1.01);
    EQ("round(0.285, 2)", NULL, 0.29);
    EQ("round(1234.5678, 2.9)", NULL, 1234.57); /* digits truncated */
    EQ("round(-0.001, 2)", NULL, 0);
    EQ("round(1e20, 2)", NULL, 1e20);
    EQ("round(123, 400)", NULL, 123);
    ck_assert(isnan(vos_excel_round(NAN, 1)));
    ck_assert(isinf(vos_excel_round(INFINITY, 1)));
}
END_TEST

START_TEST(unit_errors)
{
    fails("hours * 48 USD", "USD/month", VOS_EINVALID, 0,
          "unit mismatch: formula gives USD*h where USD/month is needed");
    fails("tickets * hours * loaded_rate * hours", "USD/month", VOS_EINVALID, 0,
          "formula gives USD*h/month where USD/month is needed");
    fails("loaded_rate + hours", NULL, VOS_EINVALID, 12, "unit mismatch: cannot add USD/h and h");
    fails("hours - 1", NULL, VOS_EINVALID, 6, "cannot subtract h and 1");
    fails("1 USD < 2 h", NULL, VOS_EINVALID, 6, "cannot compare USD and h");
    fails("min(1 h, 2 USD)", NULL, VOS_EINVALID, 9, "cannot mix h and USD in min()");
    fails("sum(1 h, 2 h, 2)", NULL, VOS_EINVALID, 14, "cannot mix h and 1 in sum()");
    fails("clamp(hours, 0, 1 USD)", NULL, VOS_EINVALID, 16, "in clamp()");
    fails("if(1, 1 h, 1 USD)", NULL, VOS_EINVALID, 11, "cannot mix h and USD in the branches");
    fails("hours ^ 0.5", NULL, VOS_EINVALID, 6, "dimensionless base, not h");
    fails("hours ^ n", NULL, VOS_EINVALID, 6, "dimensionless base");
    fails("2 ^ hours", NULL, VOS_EINVALID, 4, "exponent must be dimensionless, not h");
    fails("hours ^ 9", NULL, VOS_ETOOLARGE, 6, "unit too large");
    fails("sqrt(hours)", NULL, VOS_EINVALID, 5, "sqrt() needs even powers");
    fails("exp(hours)", NULL, VOS_EINVALID, 4, "exp() needs a dimensionless argument, not h");
    fails("ln(1 USD)", NULL, VOS_EINVALID, 3, "ln() needs a dimensionless");
    fails("round(hours, 1 h)", NULL, VOS_EINVALID, 13, "digits of round() must be dimensionless");
    fails("hours*hours*hours*hours*hours*hours*hours*hours*hours", NULL, VOS_ETOOLARGE, 47,
          "unit too large");
}
END_TEST

START_TEST(syntax_errors)
{
    fails("", NULL, VOS_EINVALID, 0, "empty formula");
    fails("   ", NULL, VOS_EINVALID, 3, "empty formula");
    fails("h", NULL, VOS_EINVALID, 0, "'h' is a unit, not a value");
    fails("tickets / month", NULL, VOS_EINVALID, 10, "'month' is a unit");
    fails("x + 1", NULL, VOS_EINVALID, 0, "unknown name 'x'");
    fails("foo(1)", NULL, VOS_EINVALID, 0, "unknown function 'foo'");
    fails("min()", NULL, VOS_EINVALID, 0, "'min' takes at least 1 argument");
    fails("abs(1, 2)", NULL, VOS_EINVALID, 7, "'abs' takes 1 argument");
    fails("round(1, 2, 3)", NULL, VOS_EINVALID, 12, "'round' takes 1 or 2 arguments");
    fails("clamp(1, 2)", NULL, VOS_EINVALID, 0, "'clamp' takes 3 arguments");
    fails("if(1, 2)", NULL, VOS_EINVALID, 0, "'if' takes 3 arguments");
    fails("(1 + 2", NULL, VOS_EINVALID, 6, "expected ')'");
    fails("min(1 2)", NULL, VOS_EINVALID, 6, "expected ',' or ')', found '2'");
    fails("1 +", NULL, VOS_EINVALID, 3, "unexpected end of formula");
    fails("1 2", NULL, VOS_EINVALID, 2, "expected an operator or the end, found '2'");
    fails("1)", NULL, VOS_EINVALID, 1, "unmatched ')'");
    fails("1 + * 2", NULL, VOS_EINVALID, 4, "expected a value, found '*'");
    fails("#", NULL, VOS_EINVALID, 0, "unexpected '#'");
    fails("1 + \x01", NULL, VOS_EINVALID, 4, "unexpected byte 0x01");
    fails("1 = 1", NULL, VOS_EINVALID, 2, "use '==' to compare");
    fails("1 < 2 < 3", NULL, VOS_EINVALID, 6, "comparisons cannot be chained");
    fails("1e999", NULL, VOS_EINVALID, 0, "number out of range");
    fails("+1", NULL, VOS_EINVALID, 0, "expected a value, found '+'");
    fails("secret * 2", NULL, VOS_EINVALID, 0, "'secret' may not be read here");
    fails("baseline(nokpi)", NULL, VOS_EINVALID, 9, "unknown KPI 'nokpi'");
    fails("baseline(1)", NULL, VOS_EINVALID, 9, "'baseline' takes a KPI id");
    fails("actual(mttr + 1)", NULL, VOS_EINVALID, 7, "'actual' takes a KPI id");
    fails("5 count", NULL, VOS_EINVALID, 2, "found 'count'"); /* count is a symbol here */
    fails("5 min(1)", NULL, VOS_EINVALID, 2, "found 'min'");
    no_kpis = 1;
    fails("actual(mttr)", NULL, VOS_EINVALID, 7, "only allowed in realized formulas");
    no_kpis = 0;
}
END_TEST

START_TEST(unit_literals_and_symbols)
{
    EQ("count * 2", NULL, 6);       /* a symbol wins over the unit name */
    EQ("min(6 min, 1 h)", NULL, 6); /* 'min' before '(' is the function */
    EQ("2 * 3 h", "min", 360);      /* 3 h is one literal */
    EQ("12 / 2 h", "1/h", 6);       /* 12 / (2 h) */
    EQ("6 min * 2", NULL, 12);      /* '*' then a number ends the unit */
    EQ("1 h^2", "min^2", 3600);
    EQ("1 h^-1", "1/min", 1.0 / 60);
    EQ("12000 1/month", "1/year", 144000);
    EQ("100 USD / month * 12 month", "USD", 1200);
}
END_TEST

START_TEST(limits)
{
    char *s = repeat("(", 100, "1");
    fails(s, NULL, VOS_ETOOLARGE, 64, "nests too deeply");
    free(s);
    s = repeat("-", 100, "1");
    fails(s, NULL, VOS_ETOOLARGE, 64, "nests too deeply");
    free(s);
    s = repeat("2^", 100, "1");
    fails(s, NULL, VOS_ETOOLARGE, 129, "nests too deeply");
    free(s);
    s = repeat("n+", 1100, "n");
    fails(s, NULL, VOS_ETOOLARGE, 2047, "more than 2048 operations");
    free(s);
    s = repeat("n+n*(", 40, "n");
    char *t = repeat(")", 40, "");
    char *u = malloc(strlen(s) + strlen(t) + 1);
    strcpy(u, s);
    strcat(u, t);
    fails(u, NULL, VOS_ETOOLARGE, 160, "more than 64 evaluation stack entries");
    free(s);
    free(t);
    free(u);
    s = repeat("1,", 33, "1)");
    t = malloc(strlen(s) + 5);
    strcpy(t, "sum(");
    strcat(t, s);
    fails(t, NULL, VOS_ETOOLARGE, 68, "too many arguments to 'sum' (at most 32)");
    free(s);
    free(t);
    s = repeat(" ", VOS_FORMULA_CHARS_MAX, "1");
    fails(s, NULL, VOS_ETOOLARGE, VOS_FORMULA_CHARS_MAX, "more than 4000 characters");
    free(s);
    /* constants fold: a long constant chain compiles to one instruction */
    s = repeat("1+", 1500, "1");
    vos_formula *f = compile(s, NULL);
    const vos_instr *code;
    ck_assert_uint_eq(vos_formula_code(f, &code), 1);
    ck_assert_double_eq(vos_formula_eval(f, slots), 1501);
    vos_formula_free(f);
    free(s);
    /* 60 levels that need 2 stack entries each are fine when they nest to the left */
    s = repeat("(", 60, "n");
    t = repeat("+n)", 60, "");
    u = malloc(strlen(s) + strlen(t) + 1);
    strcpy(u, s);
    strcat(u, t);
    ck_assert_double_eq(value(u, NULL), 122);
    free(s);
    free(t);
    free(u);
}
END_TEST

START_TEST(folding_and_code)
{
    const vos_instr *code;
    vos_formula *f = compile("2 * 3 + 4", NULL);
    ck_assert_uint_eq(vos_formula_code(f, &code), 1);
    ck_assert_int_eq(code[0].op, VOS_OP_PUSH);
    ck_assert(vos_formula_is_constant(f));
    vos_formula_free(f);
    /* minutes -> hours: a single divide by 60 after the load */
    f = compile("minutes_saved", "h");
    ck_assert_uint_eq(vos_formula_code(f, &code), 2);
    ck_assert_int_eq(code[0].op, VOS_OP_LOAD);
    ck_assert_int_eq(code[1].op, VOS_OP_DIVK);
    ck_assert_double_eq(code[1].arg.k, 60);
    ck_assert(!vos_formula_is_constant(f));
    vos_formula_free(f);
    /* same unit: no conversion at all */
    f = compile("hours + 1 h", "h");
    ck_assert_uint_eq(vos_formula_code(f, &code), 3);
    vos_formula_free(f);
}
END_TEST

START_TEST(deps_and_source)
{
    const uint32_t *deps;
    vos_formula *f = compile("loaded_rate * tickets * minutes_saved + tickets * "
                             "(baseline(mttr) - actual(mttr)) * loaded_rate",
                             "USD/month");
    size_t n = vos_formula_deps(f, &deps);
    ck_assert_uint_eq(n, 5);
    uint32_t want[] = {0, 1, 2, 10, 11};
    for (size_t i = 0; i < n; i++)
        ck_assert_uint_eq(deps[i], want[i]);
    ck_assert_str_eq(vos_formula_source(f), "loaded_rate * tickets * minutes_saved + tickets * "
                                            "(baseline(mttr) - actual(mttr)) * loaded_rate");
    /* 12000/month * 6 min * 48 USD/h + 12000/month * (40 h - 30 h) * 48 USD/h */
    ck_assert_double_eq(vos_formula_eval(f, slots), 57600 + 5760000);
    vos_formula_free(f);
    f = compile("120000 USD/year", "USD/month");
    ck_assert_uint_eq(vos_formula_deps(f, &deps), 0);
    ck_assert(vos_formula_is_constant(f));
    vos_formula_free(f);
    vos_formula_free(NULL);
}
END_TEST

START_TEST(eval_edge_values)
{
    ck_assert(isinf(value("n / 0", NULL)));
    ck_assert(isnan(value("ln(0 - n)", NULL)));
    ck_assert(isnan(value("if(0/0, 1, 2)", NULL)));
    ck_assert(isnan(value("max(0/0, 1)", NULL)));
    ck_assert(isnan(value("0/0 > 1", NULL)));
    ck_assert(isnan(vos_formula_eval(NULL, slots)));
}
END_TEST

START_TEST(no_symbol_table)
{
    vos_formula *f = NULL;
    vos_formula_error err;
    ck_assert_int_eq(vos_formula_compile(&f, "2 * 3", 5, NULL, NULL, &err), 0);
    ck_assert_double_eq(vos_formula_eval(f, NULL), 6);
    vos_formula_free(f);
    ck_assert_int_eq(vos_formula_compile(&f, "x", 1, NULL, NULL, &err), VOS_EINVALID);
    ck_assert_str_eq(err.msg, "unknown name 'x'");
    /* len bounds the source: the rest is not read */
    ck_assert_int_eq(vos_formula_compile(&f, "2 * 3 garbage", 5, NULL, NULL, NULL), 0);
    ck_assert_str_eq(vos_formula_source(f), "2 * 3");
    vos_formula_free(f);
}
END_TEST

Suite *vos_test_formula_suite(void)
{
    Suite *s = suite_create("formula");
    TCase *tc = tcase_create("formula");
    tcase_add_test(tc, precedence);
    tcase_add_test(tc, design_example_exact);
    tcase_add_test(tc, unit_conversions);
    tcase_add_test(tc, zero_takes_any_unit);
    tcase_add_test(tc, functions);
    tcase_add_test(tc, excel_round);
    tcase_add_test(tc, unit_errors);
    tcase_add_test(tc, syntax_errors);
    tcase_add_test(tc, unit_literals_and_symbols);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, folding_and_code);
    tcase_add_test(tc, deps_and_source);
    tcase_add_test(tc, eval_edge_values);
    tcase_add_test(tc, no_symbol_table);
    suite_add_tcase(s, tc);
    return s;
}
