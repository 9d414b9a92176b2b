/* The trend of a KPI: an ordinary least-squares line and its prediction interval, and the
 * Student t quantile the interval needs.  docs/realization.md describes both. */
#include "vos/error.h"
#include "vos/realization.h"

#include <float.h>
#include <math.h>

#define PI 3.14159265358979323846
#define LN_SQRT_2PI 0.918938533204672741780329736406 /* ln sqrt(2 pi) */
#define LGAMMA_STIRLING_MIN 10.0 /* Stirling's series is exact to double precision above */
#define BETA_CF_ITER_MAX 10000   /* iterations of the continued fraction; ~sqrt(a + b) needed */
#define BETA_CF_EPS 1e-16
#define BETA_CF_TINY 1e-300 /* Lentz's guard against a zero denominator */
#define T_NEWTON_ITER_MAX 300
#define T_EXPANSION_DOF 1e5 /* above: the asymptotic expansion in 1/dof is exact enough */
#define T_TAIL_LOG_U 1e100  /* t / sqrt(dof) beyond which the tail is taken in logarithms */

/* ln Gamma(x) - [(x - 1/2) ln x - x + ln sqrt(2 pi)] for x >= 10: Stirling's series
 * (Abramowitz & Stegun 6.1.41), terms up to x^-13, below 1e-17 there. */
static double stirling_corr(double x)
{
    static const double c[] = {1.0 / 12,   -1.0 / 360,      1.0 / 1260, -1.0 / 1680,
                               1.0 / 1188, -691.0 / 360360, 1.0 / 156};
    double r = 1.0 / x, r2 = r * r, s = 0;
    for (int i = (int)(sizeof c / sizeof *c) - 1; i >= 0; i--)
        s = s * r2 + c[i];
    return s * r;
}

/* ln Gamma(x) for x > 0, by the recurrence Gamma(x) = Gamma(x + n) / (x (x+1) ... (x+n-1))
 * up to Stirling's range.  Written here because lgamma() writes the global `signgam`. */
static double log_gamma(double x)
{
    double shift = 0;
    while (x < LGAMMA_STIRLING_MIN) {
        shift += log(x);
        x += 1.0;
    }
    return (x - 0.5) * log(x) - x + LN_SQRT_2PI + stirling_corr(x) - shift;
}

/* ln B(a, b) for a, b > 0 without the cancellation of ln Gamma differences at large
 * arguments (the decomposition of R's lbeta). */
static double log_beta(double a, double b)
{
    double p = a < b ? a : b, q = a < b ? b : a, pq = p + q;
    if (p >= LGAMMA_STIRLING_MIN) {
        double corr = stirling_corr(p) + stirling_corr(q) - stirling_corr(pq);
        return -0.5 * log(q) + LN_SQRT_2PI + corr + (p - 0.5) * log(p / pq) + q * log1p(-p / pq);
    }
    if (q >= LGAMMA_STIRLING_MIN) {
        double corr = stirling_corr(q) - stirling_corr(pq);
        return log_gamma(p) + corr + p - p * log(pq) + (q - 0.5) * log1p(-p / pq);
    }
    return log_gamma(p) + log_gamma(q) - log_gamma(pq);
}

/* The continued fraction of the incomplete beta function by the modified Lentz method
 * (Press et al., Numerical Recipes, 3rd ed., section 6.4). */
static double beta_cf(double a, double b, double x)
{
    double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap;
    if (fabs(d) < BETA_CF_TINY) d = BETA_CF_TINY;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= BETA_CF_ITER_MAX; m++) {
        int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1 + aa * d;
        if (fabs(d) < BETA_CF_TINY) d = BETA_CF_TINY;
        c = 1 + aa / c;
        if (fabs(c) < BETA_CF_TINY) c = BETA_CF_TINY;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        if (fabs(d) < BETA_CF_TINY) d = BETA_CF_TINY;
        c = 1 + aa / c;
        if (fabs(c) < BETA_CF_TINY) c = BETA_CF_TINY;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < BETA_CF_EPS) break;
    }
    return h;
}

/* The regularized incomplete beta function I_x(a, b), with y = 1 - x given separately so that
 * x near 1 loses no digits.  The fraction converges fast on the side of the mean it is
 * evaluated on; the other side uses I_x(a, b) = 1 - I_y(b, a). */
static double incomplete_beta(double a, double b, double x, double y)
{
    if (x <= 0) return 0;
    if (y <= 0) return 1;
    double lx = x < 0.5 ? log(x) : log1p(-y), ly = y < 0.5 ? log(y) : log1p(-x);
    double front = exp(a * lx + b * ly - log_beta(a, b));
    if (x < (a + 1) / (a + b + 2)) return front * beta_cf(a, b, x) / a;
    return 1 - front * beta_cf(b, a, y) / b;
}

/* P(T > t) for t >= 0: I_x(dof/2, 1/2) / 2 with x = dof / (dof + t^2).  Far out in the tail
 * (x below 1e-200, where x itself would underflow) the leading term x^a / (a B(a, 1/2)) of
 * the series is exact to double precision and is taken in logarithms. */
static double t_tail(double t, double dof)
{
    double u = t / sqrt(dof), x, y;
    if (!(u <= T_TAIL_LOG_U)) /* also when u overflows */
        return 0.5 * exp(-dof * (log(t) - 0.5 * log(dof)) - log(dof / 2) - log_beta(dof / 2, 0.5));
    if (u > 1) {
        double w = 1 / u, w2 = w * w;
        x = w2 / (1 + w2);
        y = 1 / (1 + w2);
    } else {
        double u2 = u * u;
        x = 1 / (1 + u2);
        y = u2 / (1 + u2);
    }
    return 0.5 * incomplete_beta(dof / 2, 0.5, x, y);
}

/* The density of Student's t: (1 + t^2/dof)^(-(dof+1)/2) / (sqrt(dof) B(dof/2, 1/2)). */
static double t_density(double t, double dof)
{
    double u = t / sqrt(dof);
    double l1p = u <= T_TAIL_LOG_U ? log1p(u * u) : 2 * (log(t) - 0.5 * log(dof));
    return exp(-log_beta(dof / 2, 0.5) - 0.5 * log(dof) - (dof + 1) / 2 * l1p);
}

/* The standard normal quantile: Wichura's algorithm AS 241 (PPND16, Applied Statistics 37
 * (1988) 477-484), relative error below 1e-16. */
static double normal_quantile(double p)
{
    // clang-format off
    double q = p - 0.5, r, v;
    if (fabs(q) <= 0.425) {
        r = 0.180625 - q * q;
        return q *
               (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r +
                     67265.770927008700853) * r + 45921.953931549871457) * r +
                   13731.693765509461125) * r + 1971.5909503065514427) * r +
                 133.14166789178437745) * r + 3.387132872796366608) /
               (((((((r * 5226.495278852545925 + 28729.085735721942674) * r +
                     39307.89580009271061) * r + 21213.794301586595867) * r +
                   5394.1960214247511077) * r + 687.1870074920579083) * r +
                 42.313330701600911252) * r + 1.0);
    }
    r = sqrt(-log(q < 0 ? p : 1 - p));
    if (r <= 5) {
        r -= 1.6;
        v = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r +
                  0.24178072517745061177) * r + 1.27045825245236838258) * r +
                3.64784832476320460504) * r + 5.7694972214606914055) * r +
              4.6303378461565452959) * r + 1.42343711074968357734) /
            (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r +
                  0.0151986665636164571966) * r + 0.14810397642748007459) * r +
                0.68976733498510000455) * r + 1.6763848301838038494) * r +
              2.05319162663775882187) * r + 1.0);
    } else {
        r -= 5;
        v = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r +
                  0.0012426609473880784386) * r + 0.026532189526576123093) * r +
                0.29656057182850489123) * r + 1.7848265399172913358) * r +
              5.4637849111641143699) * r + 6.6579046435011037772) /
            (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r +
                  1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r +
                0.0148753612908506148525) * r + 0.13692988092273580531) * r +
              0.59983220655588793769) * r + 1.0);
    }
    // clang-format on
    return q < 0 ? -v : v;
}

/* The t quantile from the normal one z by the asymptotic expansion in 1/dof
 * (Abramowitz & Stegun 26.7.5). */
static double t_expansion(double z, double dof)
{
    double z2 = z * z;
    double g1 = (z2 + 1) * z / 4;
    double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
    double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
    double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
    return z + (g1 + (g2 + (g3 + g4 / dof) / dof) / dof) / dof;
}

/* The t >= 0 with P(T > t) = q, 0 < q < 1/2: Newton's method on the tail, kept inside a
 * bracket [lo, hi] (bisection, geometric when the bracket spans orders of magnitude).  The
 * tail is convex for t > 0, so Newton steps approach the root from below. */
static double t_upper(double q, double dof)
{
    double z = -normal_quantile(q);
    double t = dof >= 1 ? t_expansion(z, dof) : z;
    if (!(t > 0) || !isfinite(t)) t = 1;
    double lo = 0, hi = t;
    while (t_tail(hi, dof) > q) {
        lo = hi;
        if (hi > DBL_MAX / 2) return INFINITY;
        hi *= 2;
    }
    t = lo > 0 ? lo : hi / 2;
    for (int i = 0; i < T_NEWTON_ITER_MAX; i++) {
        double g = t_tail(t, dof) - q;
        if (g == 0) return t;
        if (g > 0)
            lo = t;
        else
            hi = t;
        double next = t + g / t_density(t, dof);
        if (!(next > lo && next < hi))
            next = lo > 0 && hi / lo > 4 ? sqrt(lo * hi) : 0.5 * (lo + hi);
        if (fabs(next - t) <= 4 * DBL_EPSILON * next || hi - lo <= 4 * DBL_EPSILON * hi)
            return next;
        t = next;
    }
    return t;
}

double vos_student_t_quantile(double p, double dof)
{
    if (!(p > 0 && p < 1) || !(dof > 0)) return NAN;
    if (p == 0.5) return 0;
    double q = p < 0.5 ? p : 1 - p, t;
    if (dof == 1) {
        t = tan(PI * (0.5 - q)); /* Cauchy */
    } else if (dof == 2) {
        t = (1 - 2 * q) / sqrt(2 * q * (1 - q));
    } else if (dof > T_EXPANSION_DOF || isinf(dof)) {
        t = isinf(dof) ? -normal_quantile(q) : t_expansion(-normal_quantile(q), dof);
    } else {
        t = t_upper(q, dof);
    }
    return p < 0.5 ? -t : t;
}

/* The least-squares line through (x, y) and the prediction interval of a new observation at
 * x0 (e.g. Montgomery & Runger, Applied Statistics and Probability for Engineers, 11-6;
 * Draper & Smith, Applied Regression Analysis, 1.4):
 *
 *   b = Sxy / Sxx,  a = ybar - b xbar,  s^2 = sum (y - a - b x)^2 / (n - 2)
 *   y0 = a + b x0  +-  t_{(1+level)/2, n-2} s sqrt(1 + 1/n + (x0 - xbar)^2 / Sxx)
 *
 * The sums are taken about the means (two passes, with the rounding of the mean corrected),
 * so that days since 1970 (~20000) lose no digits to cancellation. */
int vos_trend_forecast(const double *x, const double *y, size_t n, double x0, double level,
                       double *fit, double *low, double *high)
{
    if (n < 3 || !x || !y)
        return vos_error_set(VOS_EINVALID, "a trend needs at least 3 points (%zu given)", n);
    if (!(level > 0 && level < 1) || !isfinite(x0))
        return vos_error_set(VOS_EINVALID, "trend: level must be in (0, 1) and x0 finite");
    double sx = 0, sy = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]))
            return vos_error_set(VOS_EINVALID, "trend: point %zu is not finite", i + 1);
        sx += x[i];
        sy += y[i];
    }
    double xm = sx / (double)n, ym = sy / (double)n, dx = 0, dy = 0, sxx = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        double u = x[i] - xm, v = y[i] - ym;
        dx += u;
        dy += v;
        sxx += u * u;
        sxy += u * v;
    }
    sxx -= dx * dx / (double)n;
    sxy -= dx * dy / (double)n;
    xm += dx / (double)n;
    ym += dy / (double)n;
    if (!(sxx > 0))
        return vos_error_set(VOS_EINVALID, "trend: all %zu points are on the same day", n);
    double b = sxy / sxx, sse = 0;
    for (size_t i = 0; i < n; i++) {
        double r = y[i] - ym - b * (x[i] - xm);
        sse += r * r;
    }
    double s = sqrt(sse / (double)(n - 2)), d = x0 - xm;
    double half = vos_student_t_quantile((1 + level) / 2, (double)(n - 2)) * s *
                  sqrt(1 + 1 / (double)n + d * d / sxx);
    *fit = ym + b * d;
    *low = *fit - half;
    *high = *fit + half;
    return 0;
}
