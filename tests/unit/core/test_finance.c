/* Finance functions against published Excel examples and exact references.
 *
 * Sources of expected values:
 *   - "Excel doc": the worked examples on Microsoft's support pages for NPV, IRR, XNPV, XIRR,
 *     MIRR, PMT, PV and FV (support.microsoft.com/excel/functions/<name>-function), which
 *     show results rounded for display; asserted to their displayed precision.
 *   - "exact": the function's definition evaluated in 60-digit decimal arithmetic (Python's
 *     decimal module, ln/exp), rounded to double; asserted to near machine precision.
 *   - "gnumeric": ssconvert 1.12 evaluating the same formula, as a second spreadsheet engine. */
#include "vos/error.h"
#include "vos/finance.h"
#include "vos/limits.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* |got - want| <= rel * |want|, with a readable failure. */
#define ASSERT_REL(got, want, rel)                                                                 \
    do {                                                                                           \
        double got_ = (got), want_ = (want);                                                       \
        ck_assert_msg(fabs(got_ - want_) <= (rel)*fabs(want_), "%s = %.17g, want %.17g (rel %g)",  \
                      #got, got_, want_, (double)(rel));                                           \
    } while (0)

/* Rounds like a displayed cell: |got - shown| <= half a unit of the last shown digit. */
#define ASSERT_SHOWN(got, shown, unit) ck_assert_double_eq_tol((got), (shown), 0.5 * (unit))

static const double irr_doc[] = {-70000, 12000, 15000, 18000, 21000, 26000};
static const double mirr_doc[] = {-120000, 39000, 30000, 21000, 37000, 46000};
static const double x_doc_values[] = {-10000, 2750, 4250, 3250, 2750};
static const char *const x_doc_dates[] = {"2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15",
                                          "2009-04-01"};

static void parse_dates(int32_t *days, const char *const *text, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(vos_fin_date_parse(&days[i], text[i]), 0);
}

/* ---- NPV ---- */

START_TEST(npv_excel_examples)
{
    double x;
    /* Excel doc NPV example 1: NPV(10%, -10000, 3000, 4200, 6800) = $1,188.44. */
    const double v1[] = {-10000, 3000, 4200, 6800};
    ck_assert_int_eq(vos_fin_npv(&x, 0.1, v1, N_OF(v1)), 0);
    ASSERT_SHOWN(x, 1188.44, 0.01);
    ASSERT_REL(x, 1188.4434123352228, 1e-14); /* exact */

    /* Excel doc NPV example 2: NPV(8%, B4:B8) + B3 = $1,922.06, and with a year-6 loss of
     * 9000: NPV(8%, B4:B8, -9000) + B3 = ($3,749.47). */
    const double v2[] = {8000, 9200, 10000, 12000, 14500, -9000};
    ck_assert_int_eq(vos_fin_npv(&x, 0.08, v2, 5), 0);
    ASSERT_SHOWN(x - 40000, 1922.06, 0.01);
    ASSERT_REL(x - 40000, 1922.061554932372, 1e-13);
    ck_assert_int_eq(vos_fin_npv(&x, 0.08, v2, 6), 0);
    ASSERT_SHOWN(x - 40000, -3749.47, 0.01);
    ASSERT_REL(x - 40000, -3749.465087015571, 1e-13);
}
END_TEST

START_TEST(npv_t0_is_undiscounted_first_value)
{
    const double v[] = {-10000, 3000, 4200, 6800};
    double x, y;
    ck_assert_int_eq(vos_fin_npv_t0(&x, 0.1, v, N_OF(v)), 0);
    ASSERT_REL(x, 1307.287753568745, 1e-14); /* exact */
    ck_assert_int_eq(vos_fin_npv(&y, 0.1, v, N_OF(v)), 0);
    ASSERT_REL(x, y * 1.1, 1e-14);
    ck_assert_int_eq(vos_fin_npv_t0(&x, 0.0, v, N_OF(v)), 0);
    ck_assert_double_eq(x, 4000);
}
END_TEST

START_TEST(npv_rates_and_errors)
{
    const double v[] = {1, 2};
    double x = 42;
    ck_assert_int_eq(vos_fin_npv(&x, -1.0, v, 2), VOS_ENUM); /* Excel: #DIV/0! */
    ck_assert_double_eq(x, 42);
    /* Below -100% Excel still evaluates the integer powers: 1/(-1) + 2/(-1)^2 = 1. */
    ck_assert_int_eq(vos_fin_npv(&x, -2.0, v, 2), 0);
    ck_assert_double_eq(x, 1);
    ck_assert_int_eq(vos_fin_npv(&x, 0.1, v, 0), VOS_EINVALID);
    ck_assert_int_eq(vos_fin_npv(&x, NAN, v, 2), VOS_EINVALID);
    const double bad[] = {1, INFINITY};
    ck_assert_int_eq(vos_fin_npv(&x, 0.1, bad, 2), VOS_EINVALID);
    ck_assert_int_eq(vos_fin_npv(&x, 0.1, v, VOS_FINANCE_VALUES_MAX + 1), VOS_ETOOLARGE);
    ck_assert_int_eq(vos_fin_npv_t0(&x, -1.0, v, 2), VOS_ENUM);
}
END_TEST

START_TEST(npv_tiny_rate_keeps_digits)
{
    /* 361 flows at 1e-10 per period; (1 + 1e-10) rounded to a double would cost 6 digits. */
    double v[361];
    v[0] = -1000;
    for (int i = 1; i < 360; i++)
        v[i] = 3;
    v[360] = 5;
    double x;
    ck_assert_int_eq(vos_fin_npv(&x, 1e-10, v, N_OF(v)), 0);
    ASSERT_REL(x, 81.99998042580023, 1e-12); /* exact */
}
END_TEST

/* ---- IRR ---- */

START_TEST(irr_excel_examples)
{
    double x;
    /* Excel doc IRR: IRR(A2:A6) = -2.1%, IRR(A2:A7) = 8.7%, IRR(A2:A4, -10%) = -44.4%. */
    ck_assert_int_eq(vos_fin_irr(&x, irr_doc, 5, 0.1), 0);
    ASSERT_SHOWN(x, -0.021, 0.001);
    ASSERT_REL(x, -0.021244848273410992, 1e-12); /* exact; gnumeric agrees */
    ck_assert_int_eq(vos_fin_irr(&x, irr_doc, 6, 0.1), 0);
    ASSERT_SHOWN(x, 0.087, 0.001);
    ASSERT_REL(x, 0.08663094803653161, 1e-12);
    ck_assert_int_eq(vos_fin_irr(&x, irr_doc, 3, -0.1), 0);
    ASSERT_SHOWN(x, -0.444, 0.001);
    ASSERT_REL(x, -0.44350694133474056, 1e-12);

    /* The NPV at the IRR is zero (Excel doc: NPV(IRR(A2:A7), A2:A7) is about 1.79E-09). */
    double npv;
    ck_assert_int_eq(vos_fin_irr(&x, irr_doc, 6, 0.1), 0);
    ck_assert_int_eq(vos_fin_npv_t0(&npv, x, irr_doc, 6), 0);
    ck_assert_double_le(fabs(npv), 1e-9);
}
END_TEST

START_TEST(irr_errors)
{
    double x = 42;
    const double pos[] = {1, 2, 3};
    const double neg[] = {-1, 0, -3};
    ck_assert_int_eq(vos_fin_irr(&x, pos, 3, 0.1), VOS_ENUM); /* Excel: #NUM! */
    ck_assert_str_eq(vos_error_last(), "IRR needs at least one positive and one negative value");
    ck_assert_int_eq(vos_fin_irr(&x, neg, 3, 0.1), VOS_ENUM);
    ck_assert_int_eq(vos_fin_irr(&x, irr_doc, 6, -1.0), VOS_ENUM);
    ck_assert_int_eq(vos_fin_irr(&x, irr_doc, 6, NAN), VOS_EINVALID);
    ck_assert_int_eq(vos_fin_irr(&x, irr_doc, 0, 0.1), VOS_EINVALID);
    ck_assert_double_eq(x, 42);
    /* -1, +1, -1: NPV = -1 + x - x^2 with x = 1/(1+r) is negative for every rate. */
    const double never[] = {-1, 1, -1};
    ck_assert_int_eq(vos_fin_irr(&x, never, 3, 0.1), VOS_ENUM);
}
END_TEST

START_TEST(irr_several_roots_follow_the_guess)
{
    /* NPV = -100 + 230/(1+r) - 132/(1+r)^2 is zero at r = 10% and at r = 20%. */
    const double v[] = {-100, 230, -132};
    double x;
    ck_assert_int_eq(vos_fin_irr(&x, v, 3, 0.05), 0);
    ASSERT_REL(x, 0.1, 1e-12);
    ck_assert_int_eq(vos_fin_irr(&x, v, 3, 0.3), 0);
    ASSERT_REL(x, 0.2, 1e-12);
}
END_TEST

START_TEST(irr_falls_back_to_bracketing)
{
    /* From a guess of 1e6 (100,000,000%) Newton's first step leaves the domain; the scan
     * from the guess still finds the one root. */
    double x;
    ck_assert_int_eq(vos_fin_irr(&x, irr_doc, 6, 1e6), 0);
    ASSERT_REL(x, 0.08663094803653161, 1e-12);
}
END_TEST

START_TEST(irr_of_a_mortgage_gives_its_rate)
{
    /* 200,000 borrowed at 5%/12 over 360 months: PMT, then the IRR of the schedule. */
    double rate = 0.05 / 12, pmt;
    ck_assert_int_eq(vos_fin_pmt(&pmt, rate, 360, 200000, 0, 0), 0);
    ASSERT_REL(pmt, -1073.643246024278, 1e-13); /* exact */
    double flows[361];
    flows[0] = 200000;
    for (int i = 1; i <= 360; i++)
        flows[i] = pmt;
    double x;
    ck_assert_int_eq(vos_fin_irr(&x, flows, N_OF(flows), 0.1), 0);
    ASSERT_REL(x, rate, 1e-12);
    ck_assert_int_eq(vos_fin_irr(&x, flows, N_OF(flows), 0.004), 0);
    ASSERT_REL(x, rate, 1e-12);
}
END_TEST

START_TEST(irr_tiny_rate)
{
    /* The same over 360 periods at 1e-10: the rounded payment's schedule has its root at
     * 1.0000000025141789e-10 (exact); naive (1+r)^n would be off in the 7th digit. */
    double pmt;
    ck_assert_int_eq(vos_fin_pmt(&pmt, 1e-10, 360, 100000, 0, 0), 0);
    ASSERT_REL(pmt, -277.7777827916667, 1e-14); /* exact */
    double flows[361];
    flows[0] = 100000;
    for (int i = 1; i <= 360; i++)
        flows[i] = -277.7777827916667;
    double x;
    ck_assert_int_eq(vos_fin_irr(&x, flows, N_OF(flows), 0.1), 0);
    ASSERT_REL(x, 1.0000000025141789e-10, 1e-8);
    ck_assert_int_eq(vos_fin_irr(&x, flows, N_OF(flows), 0.0), 0);
    ASSERT_REL(x, 1.0000000025141789e-10, 1e-8);
}
END_TEST

START_TEST(irr_long_series)
{
    /* 100,000 equal flows returning 0.01% per period: the solver stays fast and exact. */
    size_t n = VOS_FINANCE_VALUES_MAX;
    double *v = malloc(n * sizeof *v);
    ck_assert_ptr_nonnull(v);
    double r = 1e-4, pmt;
    ck_assert_int_eq(vos_fin_pmt(&pmt, r, (double)(n - 1), 1e6, 0, 0), 0);
    v[0] = -1e6;
    for (size_t i = 1; i < n; i++)
        v[i] = -pmt;
    double x;
    ck_assert_int_eq(vos_fin_irr(&x, v, n, 0.1), 0);
    ASSERT_REL(x, r, 1e-9);
    free(v);
}
END_TEST

/* ---- XNPV / XIRR ---- */

START_TEST(xnpv_xirr_excel_examples)
{
    int32_t days[5];
    parse_dates(days, x_doc_dates, 5);
    double x;
    /* Excel doc XNPV: XNPV(.09, A2:A6, B2:B6) = $2,086.65 (2086.6476). */
    ck_assert_int_eq(vos_fin_xnpv(&x, 0.09, x_doc_values, days, 5), 0);
    ASSERT_SHOWN(x, 2086.6476, 0.0001);
    ASSERT_REL(x, 2086.6476020315367, 1e-13); /* exact */
    /* Excel doc XIRR: XIRR(A3:A7, B3:B7, 0.1) = 0.373362535 (37.34%); Excel iterates to
     * 0.000001%, so its ninth digit is not significant. */
    ck_assert_int_eq(vos_fin_xirr(&x, x_doc_values, days, 5, 0.1), 0);
    ASSERT_REL(x, 0.373362535, 1e-8);
    ASSERT_REL(x, 0.37336253351883153, 1e-12); /* exact; gnumeric 0.37336253351883151 */
    double npv;
    ck_assert_int_eq(vos_fin_xnpv(&npv, x, x_doc_values, days, 5), 0);
    ck_assert_double_le(fabs(npv), 1e-9);
}
END_TEST

START_TEST(xirr_dates_in_any_order_after_the_first)
{
    /* Excel: the dates after the first may come in any order. */
    const double v[] = {-10000, 2750, 3250, 4250, 2750};
    const char *const text[] = {"2008-01-01", "2008-03-01", "2009-02-15", "2008-10-30",
                                "2009-04-01"};
    int32_t days[5];
    parse_dates(days, text, 5);
    double x;
    ck_assert_int_eq(vos_fin_xirr(&x, v, days, 5, 0.1), 0);
    ASSERT_REL(x, 0.37336253351883153, 1e-12);
}
END_TEST

START_TEST(xnpv_xirr_errors)
{
    int32_t days[5];
    parse_dates(days, x_doc_dates, 5);
    double x = 42;
    int32_t early[2] = {days[1], days[0]};
    const double v[] = {-1, 2};
    ck_assert_int_eq(vos_fin_xnpv(&x, 0.1, v, early, 2), VOS_ENUM); /* Excel: #NUM! */
    ck_assert_int_eq(vos_fin_xirr(&x, v, early, 2, 0.1), VOS_ENUM);
    ck_assert_int_eq(vos_fin_xnpv(&x, -1.0, x_doc_values, days, 5), VOS_ENUM);
    const double pos[] = {1, 2};
    ck_assert_int_eq(vos_fin_xirr(&x, pos, days, 2, 0.1), VOS_ENUM);
    ck_assert_int_eq(vos_fin_xirr(&x, v, NULL, 2, 0.1), VOS_EINVALID);
    ck_assert_double_eq(x, 42);
    /* One year apart exactly (365 days): XIRR of -100 then +110 is 10%. */
    int32_t year[2];
    ck_assert_int_eq(vos_fin_date_parse(&year[0], "2021-01-01"), 0);
    ck_assert_int_eq(vos_fin_date_parse(&year[1], "2022-01-01"), 0);
    const double grow[] = {-100, 110};
    ck_assert_int_eq(vos_fin_xirr(&x, grow, year, 2, 0.1), 0);
    ASSERT_REL(x, 0.1, 1e-14);
}
END_TEST

/* ---- MIRR ---- */

START_TEST(mirr_excel_examples)
{
    double x;
    /* Excel doc MIRR: MIRR(A2:A7, 10%, 12%) = 13%, MIRR(A2:A5, 10%, 12%) = -5%,
     * MIRR(A2:A7, 10%, 14%) = 13%. */
    ck_assert_int_eq(vos_fin_mirr(&x, mirr_doc, 6, 0.1, 0.12), 0);
    ASSERT_SHOWN(x, 0.13, 0.01);
    ASSERT_REL(x, 0.12609413036590514, 1e-13); /* exact; gnumeric 0.12609413036590515 */
    ck_assert_int_eq(vos_fin_mirr(&x, mirr_doc, 4, 0.1, 0.12), 0);
    ASSERT_SHOWN(x, -0.05, 0.01);
    ASSERT_REL(x, -0.04804465524998082, 1e-13);
    ck_assert_int_eq(vos_fin_mirr(&x, mirr_doc, 6, 0.1, 0.14), 0);
    ASSERT_SHOWN(x, 0.13, 0.01);
    ASSERT_REL(x, 0.13475911082831485, 1e-13);
}
END_TEST

START_TEST(mirr_errors)
{
    double x = 42;
    const double pos[] = {1, 2, 3};
    ck_assert_int_eq(vos_fin_mirr(&x, pos, 3, 0.1, 0.1), VOS_ENUM); /* Excel: #DIV/0! */
    ck_assert_int_eq(vos_fin_mirr(&x, mirr_doc, 1, 0.1, 0.1), VOS_ENUM);
    ck_assert_int_eq(vos_fin_mirr(&x, mirr_doc, 6, -1.0, 0.1), VOS_ENUM);
    ck_assert_int_eq(vos_fin_mirr(&x, mirr_doc, 6, 0.1, -1.0), VOS_ENUM);
    ck_assert_double_eq(x, 42);
}
END_TEST

/* ---- PMT / PV / FV ---- */

START_TEST(pmt_excel_examples)
{
    double x;
    /* Excel doc PMT: PMT(8%/12, 10, 10000) = ($1,037.03); with type 1 ($1,030.16);
     * PMT(6%/12, 18*12, 0, 50000) = ($129.08). */
    ck_assert_int_eq(vos_fin_pmt(&x, 0.08 / 12, 10, 10000, 0, 0), 0);
    ASSERT_SHOWN(x, -1037.03, 0.01);
    ASSERT_REL(x, -1037.0320893591522, 1e-14); /* exact; gnumeric -1037.0320893591521756 */
    ck_assert_int_eq(vos_fin_pmt(&x, 0.08 / 12, 10, 10000, 0, 1), 0);
    ASSERT_SHOWN(x, -1030.16, 0.01);
    ASSERT_REL(x, -1030.1643271779658, 1e-14);
    ck_assert_int_eq(vos_fin_pmt(&x, 0.06 / 12, 18 * 12, 0, 50000, 0), 0);
    ASSERT_SHOWN(x, -129.08, 0.01);
    ASSERT_REL(x, -129.08116086799092, 1e-14);
}
END_TEST

START_TEST(pv_excel_example)
{
    double x;
    /* Excel doc PV: PV(8%/12, 12*20, 500, , 0) = ($59,777.15). */
    ck_assert_int_eq(vos_fin_pv(&x, 0.08 / 12, 12 * 20, 500, 0, 0), 0);
    ASSERT_SHOWN(x, -59777.15, 0.01);
    ASSERT_REL(x, -59777.14585118802, 1e-14); /* exact */
}
END_TEST

START_TEST(fv_excel_examples)
{
    double x;
    /* Excel doc FV: FV(6%/12, 10, -200, -500, 1) = $2,581.40; FV(12%/12, 12, -1000) =
     * $12,682.50; FV(11%/12, 35, -2000, , 1) = $82,846.25; FV(6%/12, 12, -100, -1000, 1) =
     * $2,301.40. */
    ck_assert_int_eq(vos_fin_fv(&x, 0.06 / 12, 10, -200, -500, 1), 0);
    ASSERT_SHOWN(x, 2581.40, 0.01);
    ASSERT_REL(x, 2581.403374060179, 1e-14); /* exact; gnumeric 2581.403374060179154 */
    ck_assert_int_eq(vos_fin_fv(&x, 0.12 / 12, 12, -1000, 0, 0), 0);
    ASSERT_SHOWN(x, 12682.50, 0.01);
    ASSERT_REL(x, 12682.503013196972, 1e-14);
    ck_assert_int_eq(vos_fin_fv(&x, 0.11 / 12, 35, -2000, 0, 1), 0);
    ASSERT_SHOWN(x, 82846.25, 0.01);
    ASSERT_REL(x, 82846.24637189951, 1e-14);
    ck_assert_int_eq(vos_fin_fv(&x, 0.06 / 12, 12, -100, -1000, 1), 0);
    ASSERT_SHOWN(x, 2301.40, 0.01);
    ASSERT_REL(x, 2301.4018303409407, 1e-14);
}
END_TEST

START_TEST(annuities_at_rate_zero_are_linear)
{
    double x;
    ck_assert_int_eq(vos_fin_pmt(&x, 0, 10, 1000, 0, 0), 0);
    ck_assert_double_eq(x, -100);
    ck_assert_int_eq(vos_fin_pmt(&x, 0, 10, 1000, 500, 1), 0);
    ck_assert_double_eq(x, -150);
    ck_assert_int_eq(vos_fin_pv(&x, 0, 10, -100, -50, 0), 0);
    ck_assert_double_eq(x, 1050);
    ck_assert_int_eq(vos_fin_fv(&x, 0, 10, -100, -1000, 1), 0);
    ck_assert_double_eq(x, 2000);
}
END_TEST

START_TEST(annuities_tiny_rate)
{
    double x;
    /* exact references at 1e-10 per period, 360 periods */
    ck_assert_int_eq(vos_fin_pmt(&x, 1e-10, 360, 100000, 0, 0), 0);
    ASSERT_REL(x, -277.7777827916667, 1e-14);
    ck_assert_int_eq(vos_fin_pv(&x, 1e-10, 360, -1000, 0, 1), 0);
    ASSERT_REL(x, 359999.9935380001, 1e-14);
    ck_assert_int_eq(vos_fin_fv(&x, 1e-10, 360, -1000, -5000, 0), 0);
    ASSERT_REL(x, 365000.0066420001, 1e-14);
}
END_TEST

START_TEST(annuities_round_trip)
{
    /* PV of the PMT of a loan is the loan; FV of the PMT with the loan is 0. */
    double pmt, x;
    ck_assert_int_eq(vos_fin_pmt(&pmt, 0.07 / 12, 240, 350000, -20000, 1), 0);
    ck_assert_int_eq(vos_fin_pv(&x, 0.07 / 12, 240, pmt, -20000, 1), 0);
    ASSERT_REL(x, 350000, 1e-13);
    ck_assert_int_eq(vos_fin_fv(&x, 0.07 / 12, 240, pmt, 350000, 1), 0);
    ASSERT_REL(x, -20000, 1e-10);
    /* Fractional nper is allowed, as in Excel. */
    ck_assert_int_eq(vos_fin_pmt(&pmt, 0.01, 12.5, 1000, 0, 0), 0);
    ck_assert_int_eq(vos_fin_pv(&x, 0.01, 12.5, pmt, 0, 0), 0);
    ASSERT_REL(x, 1000, 1e-13);
}
END_TEST

START_TEST(annuity_errors)
{
    double x = 42;
    ck_assert_int_eq(vos_fin_pmt(&x, 0.1, 0, 1000, 0, 0), VOS_ENUM); /* Excel: #NUM! */
    ck_assert_int_eq(vos_fin_pmt(&x, 0.0, 0, 1000, 0, 0), VOS_ENUM); /* Excel: #DIV/0! */
    ck_assert_int_eq(vos_fin_pmt(&x, 0.1, 10, 1000, 0, 2), VOS_EINVALID);
    ck_assert_int_eq(vos_fin_pv(&x, 0.1, 10, 100, 0, -1), VOS_EINVALID);
    ck_assert_int_eq(vos_fin_pmt(&x, -1.0, 10, 1000, 0, 0), VOS_ENUM);
    ck_assert_int_eq(vos_fin_pv(&x, -1.5, 10, 100, 0, 0), VOS_ENUM);
    ck_assert_int_eq(vos_fin_fv(&x, -1.0, 10, 100, 0, 0), VOS_ENUM);
    ck_assert_int_eq(vos_fin_fv(&x, 0.1, NAN, 100, 0, 0), VOS_EINVALID);
    ck_assert_int_eq(vos_fin_fv(&x, 1e6, 1e6, 100, 0, 0), VOS_ENUM); /* overflow */
    ck_assert_double_eq(x, 42);
    /* nper 0 is fine for PV and FV: nothing happens, so FV = -pv and PV = -fv. */
    ck_assert_int_eq(vos_fin_fv(&x, 0.1, 0, 100, 250, 0), 0);
    ck_assert_double_eq(x, -250);
    ck_assert_int_eq(vos_fin_pv(&x, 0.1, 0, 100, 250, 1), 0);
    ck_assert_double_eq(x, -250);
}
END_TEST

/* ---- payback, ROI ---- */

START_TEST(payback_interpolates_the_crossing)
{
    double x;
    const double v[] = {-1000, 300, 400, 500};
    ck_assert_int_eq(vos_fin_payback(&x, v, N_OF(v)), 0);
    ck_assert_double_eq_tol(x, 2.6, 1e-15); /* -300 left after year 2, 500 in year 3 */
    const double exact[] = {-300, 100, 200, 50};
    ck_assert_int_eq(vos_fin_payback(&x, exact, N_OF(exact)), 0);
    ck_assert_double_eq(x, 2);
    const double first[] = {0, -5, 10};
    ck_assert_int_eq(vos_fin_payback(&x, first, N_OF(first)), 0);
    ck_assert_double_eq(x, 0); /* S_0 >= 0 */
    /* The first crossing counts even if the sum dips again later. */
    const double dip[] = {-100, 150, -200, 300};
    ck_assert_int_eq(vos_fin_payback(&x, dip, N_OF(dip)), 0);
    ck_assert_double_eq_tol(x, 100.0 / 150.0, 1e-15);
    /* Decimal inputs whose binary sum misses zero by one rounding still pay back. */
    const double dec[] = {-0.1, -0.2, 0.3};
    ck_assert_int_eq(vos_fin_payback(&x, dec, N_OF(dec)), 0);
    ck_assert_double_eq(x, 2);
}
END_TEST

START_TEST(payback_errors)
{
    double x = 42;
    const double never[] = {-1000, 300, 400, 200};
    ck_assert_int_eq(vos_fin_payback(&x, never, N_OF(never)), VOS_ENUM);
    ck_assert_int_eq(vos_fin_payback(&x, never, 0), VOS_EINVALID);
    ck_assert_int_eq(vos_fin_discounted_payback(&x, -1.0, never, 4), VOS_ENUM);
    /* Pays back undiscounted (2.6 years) but not at 25%. */
    const double v[] = {-1000, 300, 400, 500};
    ck_assert_int_eq(vos_fin_discounted_payback(&x, 0.25, v, N_OF(v)), VOS_ENUM);
    ck_assert_double_eq(x, 42);
}
END_TEST

START_TEST(discounted_payback)
{
    double x;
    const double v[] = {-1000, 300, 400, 500, 600};
    /* exact: discounted sums at 10% cross in period 4: 3 + 21.036.../409.808... */
    ck_assert_int_eq(vos_fin_discounted_payback(&x, 0.1, v, N_OF(v)), 0);
    ASSERT_REL(x, 3.0513333333333335, 1e-14);
    double plain;
    ck_assert_int_eq(vos_fin_discounted_payback(&x, 0.0, v, N_OF(v)), 0);
    ck_assert_int_eq(vos_fin_payback(&plain, v, N_OF(v)), 0);
    ck_assert_double_eq(x, plain);
}
END_TEST

START_TEST(roi)
{
    double x = 42;
    ck_assert_int_eq(vos_fin_roi(&x, 150, 100), 0);
    ck_assert_double_eq(x, 0.5);
    ck_assert_int_eq(vos_fin_roi(&x, 50, 100), 0);
    ck_assert_double_eq(x, -0.5);
    x = 42;
    ck_assert_int_eq(vos_fin_roi(&x, 150, 0), VOS_ENUM);
    ck_assert_int_eq(vos_fin_roi(&x, NAN, 1), VOS_EINVALID);
    ck_assert_double_eq(x, 42);
}
END_TEST

/* ---- dates ---- */

START_TEST(date_parse_valid)
{
    int32_t d;
    ck_assert_int_eq(vos_fin_date_parse(&d, "1970-01-01"), 0);
    ck_assert_int_eq(d, 0);
    ck_assert_int_eq(vos_fin_date_parse(&d, "1969-12-31"), 0);
    ck_assert_int_eq(d, -1);
    /* Excel serial 39448 is 2008-01-01 (Excel doc XIRR); serial 25569 is 1970-01-01. */
    ck_assert_int_eq(vos_fin_date_parse(&d, "2008-01-01"), 0);
    ck_assert_int_eq(d, 39448 - 25569);
    ck_assert_int_eq(vos_fin_date_parse(&d, "2000-03-01"), 0);
    ck_assert_int_eq(d, 11017);
    ck_assert_int_eq(vos_fin_date_parse(&d, "2000-02-29"), 0); /* divisible by 400 */
    ck_assert_int_eq(d, 11016);
    ck_assert_int_eq(vos_fin_date_parse(&d, "2024-02-29"), 0);
    ck_assert_int_eq(vos_fin_date_parse(&d, "1900-01-01"), 0);
    ck_assert_int_eq(d, -25567);
    ck_assert_int_eq(vos_fin_date_parse(&d, "9999-12-31"), 0);
    ck_assert_int_eq(d, 2932896);
}
END_TEST

START_TEST(date_parse_invalid)
{
    static const char *const bad[] = {
        "2025-02-29", "1900-02-29",  "2100-02-29",  "2025-04-31",  "2025-13-01", "2025-00-10",
        "2025-01-00", "1899-12-31",  "0000-01-01",  "2025-1-01",   "2025-01-1",  "25-01-01",
        "2025/01/01", "2025-01-01x", " 2025-01-01", "2025-01-01 ", "",           "20250101",
        "2025-01-+1", "abcd-ef-gh",  "10000-01-01"};
    for (size_t i = 0; i < N_OF(bad); i++) {
        int32_t d = 7;
        ck_assert_msg(vos_fin_date_parse(&d, bad[i]) == VOS_EINVALID, "accepted '%s'", bad[i]);
        ck_assert_int_eq(d, 7);
    }
    int32_t d;
    ck_assert_int_eq(vos_fin_date_parse(&d, NULL), VOS_EINVALID);
    vos_fin_date_parse(&d, "2025-02-29");
    ck_assert_str_eq(vos_error_last(), "date \"2025-02-29\" does not exist");
}
END_TEST

Suite *vos_test_finance_suite(void)
{
    Suite *s = suite_create("finance");
    TCase *tc = tcase_create("npv");
    tcase_add_test(tc, npv_excel_examples);
    tcase_add_test(tc, npv_t0_is_undiscounted_first_value);
    tcase_add_test(tc, npv_rates_and_errors);
    tcase_add_test(tc, npv_tiny_rate_keeps_digits);
    suite_add_tcase(s, tc);

    tc = tcase_create("irr");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, irr_excel_examples);
    tcase_add_test(tc, irr_errors);
    tcase_add_test(tc, irr_several_roots_follow_the_guess);
    tcase_add_test(tc, irr_falls_back_to_bracketing);
    tcase_add_test(tc, irr_of_a_mortgage_gives_its_rate);
    tcase_add_test(tc, irr_tiny_rate);
    tcase_add_test(tc, irr_long_series);
    tcase_add_test(tc, xnpv_xirr_excel_examples);
    tcase_add_test(tc, xirr_dates_in_any_order_after_the_first);
    tcase_add_test(tc, xnpv_xirr_errors);
    tcase_add_test(tc, mirr_excel_examples);
    tcase_add_test(tc, mirr_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("annuity");
    tcase_add_test(tc, pmt_excel_examples);
    tcase_add_test(tc, pv_excel_example);
    tcase_add_test(tc, fv_excel_examples);
    tcase_add_test(tc, annuities_at_rate_zero_are_linear);
    tcase_add_test(tc, annuities_tiny_rate);
    tcase_add_test(tc, annuities_round_trip);
    tcase_add_test(tc, annuity_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("payback");
    tcase_add_test(tc, payback_interpolates_the_crossing);
    tcase_add_test(tc, payback_errors);
    tcase_add_test(tc, discounted_payback);
    tcase_add_test(tc, roi);
    tcase_add_test(tc, date_parse_valid);
    tcase_add_test(tc, date_parse_invalid);
    suite_add_tcase(s, tc);
    return s;
}
