/* Finance functions with Excel's semantics and sign conventions.
 *
 * Each returns 0 and writes *out, or returns a negative code and sets vos_error_last():
 *   VOS_EINVALID  where Excel answers #VALUE! (e.g. mismatched lengths, bad type flag)
 *   VOS_ENUM      where Excel answers #NUM! or #DIV/0! (no sign change, no convergence,
 *                 rate = -1, nper = 0, date before the first date, ...)
 * Rates are per period as fractions (0.1 is 10%).  Values are ordered cash flows; negative
 * is money paid out.  Nothing allocates; `n` is at most VOS_FINANCE_VALUES_MAX.
 * The model engine uses these same functions. */
#ifndef VOS_FINANCE_H
#define VOS_FINANCE_H

#include <stddef.h>
#include <stdint.h>

/* Excel NPV: values[0] is discounted one period: sum values[i] / (1+rate)^(i+1). */
int vos_fin_npv(double *out, double rate, const double *values, size_t n);

/* NPV with values[0] at time 0 (undiscounted): sum values[i] / (1+rate)^i. */
int vos_fin_npv_t0(double *out, double rate, const double *values, size_t n);

/* Excel IRR: the rate r with npv_t0(r, values) = 0.  Newton from `guess` (Excel's default
 * is 0.1) with a bracketing fallback; relative accuracy 1e-7 or better.  Needs at least one
 * positive and one negative value. */
int vos_fin_irr(double *out, const double *values, size_t n, double guess);

/* Excel XNPV: sum values[i] / (1+rate)^((days[i]-days[0])/365).  `days` are day numbers
 * (vos_fin_date_parse); a date before days[0] is an error. */
int vos_fin_xnpv(double *out, double rate, const double *values, const int32_t *days, size_t n);

/* Excel XIRR: the rate with xnpv = 0; `guess` as for IRR. */
int vos_fin_xirr(double *out, const double *values, const int32_t *days, size_t n, double guess);

/* Excel MIRR(values, finance_rate, reinvest_rate). */
int vos_fin_mirr(double *out, const double *values, size_t n, double finance_rate,
                 double reinvest_rate);

/* Excel PMT, PV, FV.  `type` is 0 (payments at period end) or 1 (at period start). */
int vos_fin_pmt(double *out, double rate, double nper, double pv, double fv, int type);
int vos_fin_pv(double *out, double rate, double nper, double pmt, double fv, int type);
int vos_fin_fv(double *out, double rate, double nper, double pmt, double pv, int type);

/* Payback in periods: the first crossing of the cumulative sum of values (values[0] at time
 * 0) from negative to non-negative, linearly interpolated within the period of the crossing.
 * VOS_ENUM if the cumulative sum never becomes non-negative after being negative. */
int vos_fin_payback(double *out, const double *values, size_t n);

/* As vos_fin_payback over values[i] / (1+rate)^i. */
int vos_fin_discounted_payback(double *out, double rate, const double *values, size_t n);

/* ROI = (benefits - costs) / costs; VOS_ENUM when costs is 0. */
int vos_fin_roi(double *out, double benefits, double costs);

/* Parses "YYYY-MM-DD" (proleptic Gregorian, 1900-01-01 .. 9999-12-31) into a day number
 * (days since 1970-01-01).  VOS_EINVALID on anything else, including 2025-02-29. */
int vos_fin_date_parse(int32_t *out, const char *text);

#endif
