/* Finance functions with Excel's semantics and sign conventions (include/vos/finance.h,
 * docs/finance.md).
 *
 * Numerics: every power (1+r)^t is computed as exp(t * log1p(r)) and every (1+r)^t - 1 as
 * expm1(t * log1p(r)), so that a rate of 1e-10 keeps all of its digits (1 + 1e-10 rounded to
 * a double would lose six of them).  Terms and sums are carried in long double and sums are
 * compensated (Neumaier), so results are correctly rounded doubles in all but rare cases.  IRR and
 * XIRR share one solver: Newton's method from the guess, then, if Newton fails, a scan outwards
 * from the guess for a sign change of the NPV followed by Brent's method inside that bracket. */
#include "vos/finance.h"

#include "vos/error.h"
#include "vos/limits.h"

#include <float.h>
#include <math.h>

#define FIN_DAYS_PER_YEAR 365.0  /* XNPV/XIRR count actual days over a 365-day year */
#define FIN_NEWTON_REL_TOL 1e-14 /* Newton stops when a step is below this share of the rate */
#define FIN_NOISE_EPS 8.0        /* |sum| <= this * DBL_EPSILON * sum|terms| counts as 0 */
#define FIN_BRENT_ABS_TOL 1e-20  /* absolute tolerance of Brent near a rate of 0 */
/* The bracketing grid in x = log(1 + rate): steps of 0.01 for |x| <= 2 (rates -86% .. 639%),
 * then steps growing by 2% out to |x| = 50 (rates -100% + 2e-22 .. 5e21). */
#define FIN_GRID_STEP 0.01
#define FIN_GRID_FINE 200
#define FIN_GRID_GROWTH 1.02
#define FIN_GRID_X_MAX 50.0
#define FIN_ANCHOR_EVERY 32 /* periodic discount factors: one exact power every 32 */
#define FIN_DATE_YEAR_MIN 1900
#define FIN_DATE_YEAR_MAX 9999

/* ---- small helpers ---------------------------------------------------------------------- */

/* Intermediate results are carried in long double (64-bit significand on x86-64), so that
 * the double results are correctly rounded in all but rare cases. */
typedef long double fin_real;

/* Neumaier's compensated sum. */
typedef struct {
    fin_real s, c;
} fin_sum;

static void sum_add(fin_sum *k, fin_real x)
{
    fin_real t = k->s + x;
    if (fabsl(k->s) >= fabsl(x))
        k->c += (k->s - t) + x;
    else
        k->c += (x - t) + k->s;
    k->s = t;
}

static double sum_value(const fin_sum *k)
{
    return (double)(k->s + k->c);
}

/* Stores x in *out unless it is not finite (overflow): VOS_ENUM then. */
static int finish(double *out, double x, const char *fn)
{
    if (!isfinite(x))
        return vos_error_set(VOS_ENUM, "%s: the result is not a finite number (overflow)", fn);
    *out = x;
    return 0;
}

static int check_finite(double x, const char *fn, const char *what)
{
    if (!isfinite(x)) return vos_error_set(VOS_EINVALID, "%s: %s is not a finite number", fn, what);
    return 0;
}

/* The cash flows must be 1..VOS_FINANCE_VALUES_MAX finite numbers. */
static int check_values(const double *values, size_t n, const char *fn)
{
    if (n == 0) return vos_error_set(VOS_EINVALID, "%s: values is empty", fn);
    if (n > VOS_FINANCE_VALUES_MAX)
        return vos_error_set(VOS_ETOOLARGE, "%s: more than %d values", fn, VOS_FINANCE_VALUES_MAX);
    if (!values) return vos_error_set(VOS_EINVALID, "%s: values is missing", fn);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(values[i]))
            return vos_error_set(VOS_EINVALID, "%s: values[%zu] is not a finite number", fn, i);
    return 0;
}

/* Excel: a date before the first date is #NUM!. */
static int check_days(const int32_t *days, size_t n, const char *fn)
{
    if (!days) return vos_error_set(VOS_EINVALID, "%s: dates are missing", fn);
    for (size_t i = 1; i < n; i++)
        if (days[i] < days[0])
            return vos_error_set(VOS_ENUM, "%s: dates[%zu] is before the first date dates[0]", fn,
                                 i);
    return 0;
}

static int has_both_signs(const double *values, size_t n)
{
    int pos = 0, neg = 0;
    for (size_t i = 0; i < n; i++) {
        pos |= values[i] > 0;
        neg |= values[i] < 0;
    }
    return pos && neg;
}

/* ---- NPV family ------------------------------------------------------------------------- */

/* Cash flows at times t_i: i periods, or (days[i] - days[0]) / 365 years. */
typedef struct {
    const double *v;
    const int32_t *days; /* NULL for periodic flows */
    size_t n;
} fin_flows;

static double flow_time(const fin_flows *f, size_t i)
{
    if (!f->days) return (double)i;
    return ((double)f->days[i] - (double)f->days[0]) / FIN_DAYS_PER_YEAR;
}

/* Discount factors (1+r)^-(i+shift) for i = 0, 1, 2, ...: multiplied up by (1+r)^-1 and
 * recomputed exactly every FIN_ANCHOR_EVERY steps, so rounding cannot build up (an exact
 * power per term would cost 25 times as much). */
typedef struct {
    fin_real lg, q, d;
    fin_real shift;
    size_t i;
} fin_disc;

static fin_disc disc_start(fin_real lg, int shift)
{
    fin_disc dc = {lg, expl(-lg), 1, shift, 0};
    return dc;
}

static fin_real disc_next(fin_disc *dc)
{
    if (dc->i % FIN_ANCHOR_EVERY == 0)
        dc->d = expl(-((fin_real)dc->i + dc->shift) * dc->lg);
    else
        dc->d *= dc->q;
    dc->i++;
    return dc->d;
}

/* NPV at time 0 of the flows at rate r > -1, its derivative in r, and sum |terms| (the scale
 * of its rounding error). */
typedef struct {
    double f, df, scale;
} fin_npv;

static fin_npv npv_eval(const fin_flows *f, double rate)
{
    fin_real lg = log1pl(rate);
    fin_disc dc = disc_start(lg, 0);
    fin_sum s = {0, 0}, ds = {0, 0};
    double scale = 0;
    for (size_t i = 0; i < f->n; i++) {
        fin_real t = flow_time(f, i);
        fin_real term = f->v[i] * (f->days ? expl(-t * lg) : disc_next(&dc));
        sum_add(&s, term);
        sum_add(&ds, -t * term);
        scale += fabs((double)term);
    }
    fin_npv e = {sum_value(&s), sum_value(&ds) / (1.0 + rate), scale};
    return e;
}

/* The NPV in plain double precision, for locating sign changes only. */
static double npv_rough(const fin_flows *f, double rate)
{
    double lg = log1p(rate), s = 0;
    for (size_t i = 0; i < f->n; i++)
        s += f->v[i] * exp(-flow_time(f, i) * lg);
    return s;
}

/* sum values[i] / (1+rate)^(i+shift); Excel NPV has shift 1.  Rates below -1 use integer
 * powers as Excel does; -1 divides by zero. */
static int npv_shifted(double *out, double rate, const double *values, size_t n, int shift,
                       const char *fn)
{
    int rc = check_values(values, n, fn);
    if (rc == 0) rc = check_finite(rate, fn, "rate");
    if (rc) return rc;
    if (rate == -1.0)
        return vos_error_set(VOS_ENUM, "%s: a rate of -1 (-100%%) divides by zero", fn);
    fin_disc dc = disc_start(rate > -1.0 ? log1pl(rate) : 0.0L, shift);
    fin_sum s = {0, 0};
    for (size_t i = 0; i < n; i++) {
        fin_real d = rate > -1.0 ? disc_next(&dc) : powl(1.0L + rate, -((fin_real)i + shift));
        sum_add(&s, values[i] * d);
    }
    return finish(out, sum_value(&s), fn);
}

int vos_fin_npv(double *out, double rate, const double *values, size_t n)
{
    return npv_shifted(out, rate, values, n, 1, "NPV");
}

int vos_fin_npv_t0(double *out, double rate, const double *values, size_t n)
{
    return npv_shifted(out, rate, values, n, 0, "NPV_T0");
}

int vos_fin_xnpv(double *out, double rate, const double *values, const int32_t *days, size_t n)
{
    int rc = check_values(values, n, "XNPV");
    if (rc == 0) rc = check_days(days, n, "XNPV");
    if (rc == 0) rc = check_finite(rate, "XNPV", "rate");
    if (rc) return rc;
    if (rate <= -1.0) return vos_error_set(VOS_ENUM, "XNPV: rate must be greater than -1 (-100%%)");
    fin_flows f = {values, days, n};
    return finish(out, npv_eval(&f, rate).f, "XNPV");
}

/* ---- IRR / XIRR solver ------------------------------------------------------------------ */

/* Newton's method from `guess` (as Excel).  Converged when the step is below
 * FIN_NEWTON_REL_TOL of the rate or the NPV is within rounding noise of zero.  Returns -1
 * when it fails: a flat or non-finite NPV, a step to a rate <= -1, or no convergence. */
static int newton(double *out, const fin_flows *f, double guess)
{
    double r = guess;
    for (int it = 0; it < VOS_FINANCE_ITER_MAX; it++) {
        fin_npv e = npv_eval(f, r);
        if (!isfinite(e.f) || !isfinite(e.df)) return -1;
        if (e.f == 0.0) {
            *out = r;
            return 0;
        }
        if (e.df == 0.0) return -1;
        double step = e.f / e.df;
        double next = r - step;
        if (!isfinite(next) || next <= -1.0) return -1;
        if (fabs(step) <= FIN_NEWTON_REL_TOL * fabs(next) ||
            fabs(e.f) <= FIN_NOISE_EPS * DBL_EPSILON * e.scale) {
            *out = next;
            return 0;
        }
        r = next;
    }
    return -1;
}

/* Brent's method (zeroin) for the NPV root in [a, b], where the NPV values fa and fb have
 * opposite signs. */
static double brent(const fin_flows *f, double a, double b, double fa, double fb)
{
    double c = a, fc = fa, d = b - a, e = d;
    for (int it = 0; it < VOS_FINANCE_ITER_MAX; it++) {
        if ((fb > 0) == (fc > 0)) {
            c = a;
            fc = fa;
            d = e = b - a;
        }
        if (fabs(fc) < fabs(fb)) {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        double tol = 2.0 * DBL_EPSILON * fabs(b) + 0.5 * FIN_BRENT_ABS_TOL;
        double m = 0.5 * (c - b);
        if (fabs(m) <= tol || fb == 0.0) return b;
        if (fabs(e) >= tol && fabs(fa) > fabs(fb)) {
            double s = fb / fa, p, q;
            if (a == c) {
                p = 2.0 * m * s;
                q = 1.0 - s;
            } else {
                double qq = fa / fc, rr = fb / fc;
                p = s * (2.0 * m * qq * (qq - rr) - (b - a) * (rr - 1.0));
                q = (qq - 1.0) * (rr - 1.0) * (s - 1.0);
            }
            if (p > 0)
                q = -q;
            else
                p = -p;
            if (2.0 * p < fmin(3.0 * m * q - fabs(tol * q), fabs(e * q))) {
                e = d;
                d = p / q;
            } else {
                d = m;
                e = m;
            }
        } else {
            d = m;
            e = m;
        }
        a = b;
        fa = fb;
        b += fabs(d) > tol ? d : (m > 0 ? tol : -tol);
        fb = npv_eval(f, b).f;
    }
    return b;
}

/* x = log(1 + rate) at grid point k. */
static double grid_x(long k)
{
    long a = k < 0 ? -k : k;
    double x = a <= FIN_GRID_FINE ? (double)a * FIN_GRID_STEP
                                  : FIN_GRID_FINE * FIN_GRID_STEP *
                                        pow(FIN_GRID_GROWTH, (double)(a - FIN_GRID_FINE));
    return k < 0 ? -x : x;
}

/* The grid point nearest to x = log(1 + rate), with |x| capped at FIN_GRID_X_MAX. */
static long grid_index(double x)
{
    double a = fabs(x), edge = FIN_GRID_FINE * FIN_GRID_STEP;
    double k = a <= edge
                   ? a / FIN_GRID_STEP
                   : FIN_GRID_FINE + log(fmin(a, FIN_GRID_X_MAX) / edge) / log(FIN_GRID_GROWTH);
    long i = lround(k);
    return x < 0 ? -i : i;
}

/* The NPV at grid point k; NAN where it overflows. */
static double grid_npv(const fin_flows *f, long k, double *rate)
{
    *rate = expm1(grid_x(k));
    if (*rate <= -1.0) return NAN;
    double v = npv_rough(f, *rate);
    return isfinite(v) ? v : NAN;
}

/* One side of the outward scan: the last grid point with a finite NPV. */
typedef struct {
    double rate, v;
    int seen;
} fin_side;

/* Steps one side to grid point k; returns 1 with the bracket when the sign changed. */
static int scan_step(const fin_flows *f, fin_side *side, long k, double *a, double *b, double *fa,
                     double *fb)
{
    double rate, v = grid_npv(f, k, &rate);
    if (isnan(v)) return 0;
    if (side->seen && (v == 0.0 || (v > 0) != (side->v > 0))) {
        *a = side->rate;
        *fa = side->v;
        *b = rate;
        *fb = v;
        return 1;
    }
    side->rate = rate;
    side->v = v;
    side->seen = 1;
    return 0;
}

/* Brent in a bracket found with rough values, re-evaluated precisely first. */
static double solve_bracket(const fin_flows *f, double a, double b)
{
    double fa = npv_eval(f, a).f, fb = npv_eval(f, b).f;
    if (fa == 0.0) return a;
    if (fb == 0.0) return b;
    if ((fa > 0) == (fb > 0)) /* both ends are within rounding noise of a root */
        return fabs(fa) <= fabs(fb) ? a : b;
    return brent(f, a, b, fa, fb);
}

/* Scans the grid outwards from the guess and solves in the first bracket found, which is
 * the sign change nearest to the guess. */
static int bracket(double *out, const fin_flows *f, double guess)
{
    long kmax = grid_index(FIN_GRID_X_MAX);
    long k0 = grid_index(log1p(guess));
    fin_side up = {0, 0, 0};
    double a, b, fa, fb;
    scan_step(f, &up, k0, &a, &b, &fa, &fb);
    if (up.seen && up.v == 0.0) {
        *out = up.rate;
        return 0;
    }
    fin_side down = up;
    for (long j = 1; k0 + j <= kmax || k0 - j >= -kmax; j++) {
        int found = (k0 + j <= kmax && scan_step(f, &up, k0 + j, &a, &b, &fa, &fb)) ||
                    (k0 - j >= -kmax && scan_step(f, &down, k0 - j, &a, &b, &fa, &fb));
        if (found) {
            *out = solve_bracket(f, a, b);
            return 0;
        }
    }
    return -1;
}

static int solve_rate(double *out, const fin_flows *f, double guess, const char *fn)
{
    if (check_finite(guess, fn, "guess")) return VOS_EINVALID;
    if (guess <= -1.0)
        return vos_error_set(VOS_ENUM, "%s: guess must be greater than -1 (-100%%)", fn);
    if (!has_both_signs(f->v, f->n))
        return vos_error_set(VOS_ENUM, "%s needs at least one positive and one negative value", fn);
    double r;
    if (newton(&r, f, guess) == 0 || bracket(&r, f, guess) == 0) return finish(out, r, fn);
    return vos_error_set(VOS_ENUM,
                         "%s did not converge: no rate above -100%% makes the net present "
                         "value zero (try another guess)",
                         fn);
}

int vos_fin_irr(double *out, const double *values, size_t n, double guess)
{
    int rc = check_values(values, n, "IRR");
    if (rc) return rc;
    fin_flows f = {values, NULL, n};
    return solve_rate(out, &f, guess, "IRR");
}

int vos_fin_xirr(double *out, const double *values, const int32_t *days, size_t n, double guess)
{
    int rc = check_values(values, n, "XIRR");
    if (rc == 0) rc = check_days(days, n, "XIRR");
    if (rc) return rc;
    fin_flows f = {values, days, n};
    return solve_rate(out, &f, guess, "XIRR");
}

/* Excel MIRR: ((FV of the positive flows at reinvest_rate) / (PV of the negative flows at
 * finance_rate))^(1/(n-1)) - 1, both taken at the ends of the n-1 periods. */
int vos_fin_mirr(double *out, const double *values, size_t n, double finance_rate,
                 double reinvest_rate)
{
    int rc = check_values(values, n, "MIRR");
    if (rc == 0) rc = check_finite(finance_rate, "MIRR", "finance_rate");
    if (rc == 0) rc = check_finite(reinvest_rate, "MIRR", "reinvest_rate");
    if (rc) return rc;
    if (finance_rate <= -1.0 || reinvest_rate <= -1.0)
        return vos_error_set(VOS_ENUM, "MIRR: rates must be greater than -1 (-100%%)");
    fin_real lf = log1pl(finance_rate), lr = log1pl(reinvest_rate);
    fin_sum pos = {0, 0}, neg = {0, 0};
    for (size_t i = 0; i < n; i++) {
        if (values[i] > 0)
            sum_add(&pos, values[i] * expl((fin_real)(n - 1 - i) * lr));
        else if (values[i] < 0)
            sum_add(&neg, -values[i] * expl(-(fin_real)i * lf));
    }
    fin_real fv_pos = pos.s + pos.c, pv_neg = neg.s + neg.c;
    if (!(fv_pos > 0) || !(pv_neg > 0))
        return vos_error_set(VOS_ENUM, "MIRR needs at least one positive and one negative value");
    return finish(out, (double)expm1l(logl(fv_pos / pv_neg) / (fin_real)(n - 1)), "MIRR");
}

/* ---- annuities: PMT, PV, FV ------------------------------------------------------------- */

/* Excel's annuity identity, with g = (1+rate)^nper and A = ((1+rate)^nper - 1) / rate
 * (A = nper when rate is 0):  pv * g + pmt * (1 + rate * type) * A + fv = 0. */
typedef struct {
    fin_real g, a, due; /* due = 1 + rate * type */
} fin_annuity;

static int annuity(fin_annuity *out, double rate, double nper, int type, const char *fn)
{
    int rc = check_finite(rate, fn, "rate");
    if (rc == 0) rc = check_finite(nper, fn, "nper");
    if (rc) return rc;
    if (type != 0 && type != 1)
        return vos_error_set(VOS_EINVALID, "%s: type must be 0 (end of period) or 1 (start)", fn);
    if (rate <= -1.0)
        return vos_error_set(VOS_ENUM, "%s: rate must be greater than -1 (-100%%)", fn);
    if (rate == 0.0) {
        out->g = 1.0L;
        out->a = nper;
    } else {
        fin_real x = nper * log1pl(rate);
        out->g = expl(x);
        out->a = expm1l(x) / rate;
    }
    out->due = 1.0L + (fin_real)rate * type;
    return 0;
}

int vos_fin_pmt(double *out, double rate, double nper, double pv, double fv, int type)
{
    fin_annuity an;
    int rc = annuity(&an, rate, nper, type, "PMT");
    if (rc == 0) rc = check_finite(pv, "PMT", "pv");
    if (rc == 0) rc = check_finite(fv, "PMT", "fv");
    if (rc) return rc;
    if (an.a == 0.0L) return vos_error_set(VOS_ENUM, "PMT: nper must not be 0");
    return finish(out, (double)(-(fv + pv * an.g) / (an.due * an.a)), "PMT");
}

int vos_fin_pv(double *out, double rate, double nper, double pmt, double fv, int type)
{
    fin_annuity an;
    int rc = annuity(&an, rate, nper, type, "PV");
    if (rc == 0) rc = check_finite(pmt, "PV", "pmt");
    if (rc == 0) rc = check_finite(fv, "PV", "fv");
    if (rc) return rc;
    return finish(out, (double)(-(fv + pmt * an.due * an.a) / an.g), "PV");
}

int vos_fin_fv(double *out, double rate, double nper, double pmt, double pv, int type)
{
    fin_annuity an;
    int rc = annuity(&an, rate, nper, type, "FV");
    if (rc == 0) rc = check_finite(pmt, "FV", "pmt");
    if (rc == 0) rc = check_finite(pv, "FV", "pv");
    if (rc) return rc;
    return finish(out, (double)(-(pv * an.g + pmt * an.due * an.a)), "FV");
}

/* ---- payback, ROI ----------------------------------------------------------------------- */

/* The first crossing of the cumulative sum S_k of values[i] * (1+rate)^-i from negative to
 * non-negative, at (k-1) + -S_{k-1} / (discounted values[k]); 0 when S_0 >= 0.  A sum within
 * rounding noise of zero counts as zero.  `lg` is log1p(rate), 0 for plain payback. */
static int payback_scan(double *out, const double *values, size_t n, double lg, const char *fn)
{
    fin_sum s = {0, 0};
    fin_real scale = 0, prev = 0;
    for (size_t i = 0; i < n; i++) {
        fin_real dv = lg == 0.0 ? values[i] : values[i] * expl(-(fin_real)i * lg);
        sum_add(&s, dv);
        scale += fabsl(dv);
        fin_real cur = s.s + s.c;
        if (fabsl(cur) <= FIN_NOISE_EPS * DBL_EPSILON * scale) cur = 0;
        if (cur >= 0) {
            fin_real frac = i == 0 ? 0 : fminl(1, -prev / dv);
            return finish(out, i == 0 ? 0.0 : (double)((fin_real)(i - 1) + frac), fn);
        }
        prev = cur;
    }
    return vos_error_set(VOS_ENUM, "%s: the cumulative cash flow never turns non-negative", fn);
}

int vos_fin_payback(double *out, const double *values, size_t n)
{
    int rc = check_values(values, n, "PAYBACK");
    if (rc) return rc;
    return payback_scan(out, values, n, 0.0, "PAYBACK");
}

int vos_fin_discounted_payback(double *out, double rate, const double *values, size_t n)
{
    int rc = check_values(values, n, "DISCOUNTED_PAYBACK");
    if (rc == 0) rc = check_finite(rate, "DISCOUNTED_PAYBACK", "rate");
    if (rc) return rc;
    if (rate <= -1.0)
        return vos_error_set(VOS_ENUM, "DISCOUNTED_PAYBACK: rate must be greater than -1 (-100%%)");
    return payback_scan(out, values, n, log1p(rate), "DISCOUNTED_PAYBACK");
}

int vos_fin_roi(double *out, double benefits, double costs)
{
    int rc = check_finite(benefits, "ROI", "benefits");
    if (rc == 0) rc = check_finite(costs, "ROI", "costs");
    if (rc) return rc;
    if (costs == 0.0)
        return vos_error_set(VOS_ENUM, "ROI: costs are 0, so the return is undefined");
    return finish(out, (benefits - costs) / costs, "ROI");
}

/* ---- dates ------------------------------------------------------------------------------ */

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

/* Reads `len` decimal digits; -1 if any is not a digit. */
static int read_digits(const char *s, int len)
{
    int v = 0;
    for (int i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int vos_fin_date_parse(int32_t *out, const char *text)
{
    if (!text) return vos_error_set(VOS_EINVALID, "date is missing");
    int y = read_digits(text, 4);
    int m = y < 0 || text[4] != '-' ? -1 : read_digits(text + 5, 2);
    int d = m < 0 || text[7] != '-' ? -1 : read_digits(text + 8, 2);
    if (d < 0 || text[10] != '\0')
        return vos_error_set(VOS_EINVALID, "invalid date \"%.40s\": expected YYYY-MM-DD", text);
    if (y < FIN_DATE_YEAR_MIN || y > FIN_DATE_YEAR_MAX)
        return vos_error_set(VOS_EINVALID, "date \"%s\" is outside 1900-01-01 .. 9999-12-31", text);
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return vos_error_set(VOS_EINVALID, "date \"%s\" does not exist", text);
    *out = days_from_civil(y, m, d);
    return 0;
}
