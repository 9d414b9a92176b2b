/* Seeded random numbers, Monte Carlo input distributions and sample percentiles.
 *
 * Generator: xoshiro256** 1.0 (Blackman and Vigna), its state filled by splitmix64 from the
 * seed.  Deviates: Box-Muller normals (both of each pair used; sin and cos computed here),
 * Marsaglia-Tsang gammas, betas as a ratio of gammas.  Quantiles and CDFs are closed forms,
 * except for PERT: the regularized incomplete beta function (continued fraction) and its
 * inverse by safeguarded Newton steps.  See docs/internals/random.md. */
#include "vos/random.h"
#include "vos/error.h"

#include <math.h>
#include <string.h>

/* No fused multiply-adds: the same seed must give the same bits on every machine.  GCC already
 * keeps them apart in ISO C mode; clang needs to be told. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#define PI_4 0.78539816339744830961566084581988 /* pi / 4 */
#define SQRT_2PI 2.5066282746310005024157652848110
#define SQRT_1_2 0.70710678118654752440084436210485 /* 1 / sqrt(2) */

#define UNIFORM_SCALE 0x1.0p-53 /* 2^-53: one step of the 53-bit uniform grid */
#define UNIFORM_SHIFT 11        /* 64 - 53 bits dropped from each 64-bit output */

#define PERT_LAMBDA 4.0 /* weight of the mode in Beta-PERT */

#define MT_SQUEEZE 0.0331 /* Marsaglia-Tsang quick acceptance constant */

#define ACKLAM_P_LOW 0.02425 /* Acklam: lower tail / central region boundary */
#define INCBETA_ITER_MAX 300 /* continued fraction terms of the incomplete beta */
#define INCBETA_EPS 1e-15    /* relative convergence of the continued fraction */
#define INCBETA_TINY 1e-300  /* Lentz: stand-in for a zero denominator */
#define BETAINV_ITER_MAX 200 /* Newton / bisection steps of the inverse incomplete beta */
#define BETAINV_TOL 1e-15    /* relative step size at which the inverse has converged */

/* ---- generator ---------------------------------------------------------------------------- */

static uint64_t splitmix64_next(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* Fills the state with four consecutive splitmix64 outputs starting from `seed` (never all
 * zero: splitmix64 is a bijection of its counter, so four outputs cannot all be 0). */
void vos_rng_seed(vos_rng *rng, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64_next(&x);
    rng->spare = 0.0;
    rng->has_spare = 0;
}

uint64_t vos_rng_next(vos_rng *rng)
{
    uint64_t *s = rng->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double vos_rng_uniform(vos_rng *rng)
{
    return (double)(vos_rng_next(rng) >> UNIFORM_SHIFT) * UNIFORM_SCALE;
}

/* sin x and cos x for 0 <= x <= pi/4 by their Taylor series through x^17 and x^18 (the first
 * omitted terms, (pi/4)^19/19! and (pi/4)^20/20!, are below 1e-19), each evaluated as a
 * polynomial in x^2 by Estrin's scheme to keep the dependency chains short. */
static void sincos_octant(double x, double *s, double *c)
{
    double x2 = x * x, x4 = x2 * x2, x8 = x4 * x4;
    /* sin x = x + x^3 (S1 + S2 x^2 + ... + S8 x^14), Sn = (-1)^n / (2n+1)! */
    double s12 = -1.0 / 6.0 + x2 * (1.0 / 120.0);
    double s34 = -1.0 / 5040.0 + x2 * (1.0 / 362880.0);
    double s56 = -1.0 / 39916800.0 + x2 * (1.0 / 6227020800.0);
    double s78 = -1.0 / 1307674368000.0 + x2 * (1.0 / 355687428096000.0);
    double ps = (s12 + x4 * s34) + x8 * (s56 + x4 * s78);
    *s = x + x * x2 * ps;
    /* cos x = 1 - x^2/2 + x^4 (C2 + C3 x^2 + ... + C9 x^14), Cn = (-1)^n / (2n)! */
    double c23 = 1.0 / 24.0 - x2 * (1.0 / 720.0);
    double c45 = 1.0 / 40320.0 - x2 * (1.0 / 3628800.0);
    double c67 = 1.0 / 479001600.0 - x2 * (1.0 / 87178291200.0);
    double c89 = 1.0 / 20922789888000.0 - x2 * (1.0 / 6402373705728000.0);
    double pc = (c23 + x4 * c45) + x8 * (c67 + x4 * c89);
    *c = 1.0 - 0.5 * x2 + x4 * pc;
}

/* sin and cos of 2 pi u for u in [0, 1).  The reduction is exact in u: 8u = k + f splits the
 * circle into octants k, and only the angle within an octant, at most pi/4, is multiplied by
 * pi.  Odd octants mirror (f becomes 1 - f, sin and cos trade places); the quadrant k / 2
 * gives the signs.  Branch-free (the octant is random, so branches would mispredict), and
 * independent of the platform's sin and cos. */
static void sincos_turn(double u, double *s, double *c)
{
    static const double sign_sin[4] = {1.0, 1.0, -1.0, -1.0};
    static const double sign_cos[4] = {1.0, -1.0, -1.0, 1.0};
    double v = 8.0 * u;
    int k = (int)v;
    double f = v - (double)k;
    int odd = k & 1, quadrant = (k >> 1) & 3;
    double w[2]; /* sin, cos of the reduced angle */
    sincos_octant(PI_4 * (f + odd * (1.0 - 2.0 * f)), &w[0], &w[1]); /* f, or 1 - f exactly */
    int which = (k ^ (k >> 1)) & 1;                                  /* 1: sin comes from w[1] */
    *s = sign_sin[quadrant] * w[which];
    *c = sign_cos[quadrant] * w[which ^ 1];
}

/* Box-Muller: one pair of uniforms gives two independent normals; the second is kept for the
 * next call.  1 - u lies in (0, 1], so the logarithm is always finite. */
double vos_rng_normal(vos_rng *rng)
{
    if (rng->has_spare) {
        rng->has_spare = 0;
        return rng->spare;
    }
    double u1 = 1.0 - vos_rng_uniform(rng);
    double u2 = vos_rng_uniform(rng);
    double r = sqrt(-2.0 * log(u1));
    double s, c;
    sincos_turn(u2, &s, &c);
    rng->spare = r * s;
    rng->has_spare = 1;
    return r * c;
}

/* Marsaglia-Tsang for shape >= 1 with its constants precomputed: d = shape - 1/3,
 * c = 1 / sqrt(9 d). */
static double gamma_mt(vos_rng *rng, double d, double c)
{
    for (;;) {
        double x, v;
        do {
            x = vos_rng_normal(rng);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        double u = vos_rng_uniform(rng);
        double x2 = x * x;
        if (u < 1.0 - MT_SQUEEZE * x2 * x2) return d * v;
        if (log(u) < 0.5 * x2 + d * (1.0 - v + log(v))) return d * v;
    }
}

double vos_rng_gamma(vos_rng *rng, double shape)
{
    if (!(shape > 0.0) || !isfinite(shape)) return NAN;
    double boost = 1.0, a = shape;
    if (shape < 1.0) {
        /* Gamma(a) = Gamma(a + 1) * U^(1/a), U in (0, 1] */
        boost = pow(1.0 - vos_rng_uniform(rng), 1.0 / shape);
        a = shape + 1.0;
    }
    double d = a - 1.0 / 3.0;
    return gamma_mt(rng, d, 1.0 / sqrt(9.0 * d)) * boost;
}

/* X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).  When both gammas underflow to 0 (only for
 * tiny shapes, where Beta(a, b) is nearly Bernoulli(a / (a + b))), picks an end with that
 * probability. */
double vos_rng_beta(vos_rng *rng, double a, double b)
{
    if (!(a > 0.0) || !(b > 0.0) || !isfinite(a) || !isfinite(b)) return NAN;
    double x = vos_rng_gamma(rng, a);
    double y = vos_rng_gamma(rng, b);
    double sum = x + y;
    if (sum > 0.0) return x / sum;
    return vos_rng_uniform(rng) < a / (a + b) ? 1.0 : 0.0;
}

/* ---- kinds -------------------------------------------------------------------------------- */

static const char *const kind_names[] = {
    [VOS_DIST_FIXED] = "fixed",           [VOS_DIST_UNIFORM] = "uniform",
    [VOS_DIST_TRIANGULAR] = "triangular", [VOS_DIST_PERT] = "pert",
    [VOS_DIST_NORMAL] = "normal",         [VOS_DIST_LOGNORMAL] = "lognormal",
};
#define N_KINDS (sizeof kind_names / sizeof kind_names[0])

const char *vos_dist_kind_name(vos_dist_kind kind)
{
    if ((unsigned)kind >= N_KINDS) return "unknown";
    return kind_names[kind];
}

int vos_dist_kind_parse(vos_dist_kind *out, const char *name)
{
    for (size_t i = 0; name && i < N_KINDS; i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (vos_dist_kind)i;
            return 0;
        }
    }
    return vos_error_set(VOS_EINVALID,
                         "unknown distribution '%s' (expected fixed, uniform, triangular, pert, "
                         "normal or lognormal)",
                         name ? name : "");
}

/* ---- initialisation ----------------------------------------------------------------------- */

static int check_numbers(double low, double likely, double high, double sd)
{
    if (!isfinite(low)) return vos_error_set(VOS_EINVALID, "low must be a finite number");
    if (!isfinite(likely)) return vos_error_set(VOS_EINVALID, "the value must be a finite number");
    if (!isfinite(high)) return vos_error_set(VOS_EINVALID, "high must be a finite number");
    if (!isfinite(sd)) return vos_error_set(VOS_EINVALID, "sd must be a finite number");
    if (sd < 0.0) return vos_error_set(VOS_EINVALID, "sd (%.15g) must not be negative", sd);
    return 0;
}

static int check_order(const vos_dist *d)
{
    if (d->low > d->likely)
        return vos_error_set(VOS_EINVALID, "low (%.15g) must not exceed the value (%.15g)", d->low,
                             d->likely);
    if (d->likely > d->high)
        return vos_error_set(VOS_EINVALID, "the value (%.15g) must not exceed high (%.15g)",
                             d->likely, d->high);
    return 0;
}

static double pert_alpha(const vos_dist *d)
{
    return 1.0 + PERT_LAMBDA * (d->likely - d->low) / (d->high - d->low);
}

static double pert_beta(const vos_dist *d)
{
    return 1.0 + PERT_LAMBDA * (d->high - d->likely) / (d->high - d->low);
}

/* Uniform, triangular and PERT: a proper range around the value. */
static int init_bounded(vos_dist *d)
{
    int rc = check_order(d);
    if (rc < 0) return rc;
    if (!(d->low < d->high))
        return vos_error_set(VOS_EINVALID,
                             "low (%.15g) must be below high (%.15g) for a %s distribution", d->low,
                             d->high, vos_dist_kind_name(d->kind));
    double range = d->high - d->low;
    if (d->kind == VOS_DIST_UNIFORM) {
        d->p[0] = range;
    } else if (d->kind == VOS_DIST_TRIANGULAR) {
        d->p[0] = (d->likely - d->low) / range; /* CDF at the mode */
        d->p[1] = range * (d->likely - d->low);
        d->p[2] = range * (d->high - d->likely);
    } else {
        d->p[0] = pert_alpha(d) - 1.0 / 3.0;
        d->p[1] = 1.0 / sqrt(9.0 * d->p[0]);
        d->p[2] = pert_beta(d) - 1.0 / 3.0;
        d->p[3] = 1.0 / sqrt(9.0 * d->p[2]);
    }
    return 0;
}

static int init_normal(vos_dist *d)
{
    if (d->sd == 0.0) {
        int rc = check_order(d);
        if (rc < 0) return rc;
        d->sd = (d->high - d->low) / (2.0 * VOS_DIST_Z90);
    }
    d->p[0] = d->likely;
    d->p[1] = d->sd;
    return 0;
}

static int init_lognormal(vos_dist *d)
{
    if (!(d->likely > 0.0))
        return vos_error_set(VOS_EINVALID, "a lognormal value (%.15g) must be positive", d->likely);
    double sigma2;
    if (d->sd == 0.0) {
        int rc = check_order(d);
        if (rc < 0) return rc;
        if (!(d->low > 0.0))
            return vos_error_set(VOS_EINVALID,
                                 "lognormal low (%.15g) must be positive to derive sd from "
                                 "the range",
                                 d->low);
        double sigma = (log(d->high) - log(d->low)) / (2.0 * VOS_DIST_Z90);
        sigma2 = sigma * sigma;
        d->sd = d->likely * sqrt(expm1(sigma2));
    } else {
        double cv = d->sd / d->likely;
        sigma2 = log1p(cv * cv);
    }
    d->p[0] = log(d->likely) - 0.5 * sigma2;
    d->p[1] = sqrt(sigma2);
    return 0;
}

int vos_dist_init(vos_dist *out, vos_dist_kind kind, double low, double likely, double high,
                  double sd)
{
    vos_dist d = {.kind = kind, .low = low, .likely = likely, .high = high, .sd = sd};
    int rc = check_numbers(low, likely, high, sd);
    if (rc < 0) return rc;
    switch (kind) {
    case VOS_DIST_FIXED:
        break;
    case VOS_DIST_UNIFORM:
    case VOS_DIST_TRIANGULAR:
    case VOS_DIST_PERT:
        rc = init_bounded(&d);
        break;
    case VOS_DIST_NORMAL:
        rc = init_normal(&d);
        break;
    case VOS_DIST_LOGNORMAL:
        rc = init_lognormal(&d);
        break;
    default:
        return vos_error_set(VOS_EINVALID, "unknown distribution kind %d", (int)kind);
    }
    if (rc < 0) return rc;
    *out = d;
    return 0;
}

/* ---- sampling and moments ----------------------------------------------------------------- */

double vos_dist_sample(const vos_dist *d, vos_rng *rng)
{
    switch (d->kind) {
    case VOS_DIST_UNIFORM:
        return d->low + d->p[0] * vos_rng_uniform(rng);
    case VOS_DIST_TRIANGULAR: {
        double u = vos_rng_uniform(rng);
        if (u < d->p[0]) return d->low + sqrt(u * d->p[1]);
        return d->high - sqrt((1.0 - u) * d->p[2]);
    }
    case VOS_DIST_PERT: {
        double x = gamma_mt(rng, d->p[0], d->p[1]);
        double y = gamma_mt(rng, d->p[2], d->p[3]);
        return d->low + (d->high - d->low) * (x / (x + y));
    }
    case VOS_DIST_NORMAL:
        return d->p[0] + d->p[1] * vos_rng_normal(rng);
    case VOS_DIST_LOGNORMAL:
        return exp(d->p[0] + d->p[1] * vos_rng_normal(rng));
    case VOS_DIST_FIXED:
    default:
        return d->likely;
    }
}

double vos_dist_mean(const vos_dist *d)
{
    switch (d->kind) {
    case VOS_DIST_UNIFORM:
        return 0.5 * (d->low + d->high);
    case VOS_DIST_TRIANGULAR:
        return (d->low + d->likely + d->high) / 3.0;
    case VOS_DIST_PERT:
        return (d->low + PERT_LAMBDA * d->likely + d->high) / (PERT_LAMBDA + 2.0);
    case VOS_DIST_FIXED:
    case VOS_DIST_NORMAL:
    case VOS_DIST_LOGNORMAL:
    default:
        return d->likely;
    }
}

double vos_dist_variance(const vos_dist *d)
{
    double a = d->low, m = d->likely, b = d->high;
    switch (d->kind) {
    case VOS_DIST_UNIFORM:
        return (b - a) * (b - a) / 12.0;
    case VOS_DIST_TRIANGULAR:
        return (a * a + m * m + b * b - a * m - a * b - m * b) / 18.0;
    case VOS_DIST_PERT: {
        double alpha = pert_alpha(d), beta = pert_beta(d), s = alpha + beta;
        return alpha * beta / (s * s * (s + 1.0)) * (b - a) * (b - a);
    }
    case VOS_DIST_NORMAL:
    case VOS_DIST_LOGNORMAL:
        return d->sd * d->sd;
    case VOS_DIST_FIXED:
    default:
        return 0.0;
    }
}

/* ---- special functions -------------------------------------------------------------------- */

/* Standard normal CDF. */
static double normal_cdf(double z)
{
    return 0.5 * erfc(-z * SQRT_1_2);
}

/* Acklam's rational approximation for p <= 0.5 (relative error below 1.15e-9). */
static double acklam_lower(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    if (p < ACKLAM_P_LOW) {
        double q = sqrt(-2.0 * log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    }
    double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

/* Works on the lower half and reflects (1 - p is exact for p >= 0.5), so the Halley step
 * never suffers from cancellation in the upper tail.  p outside [0, 1] or NaN gives NaN. */
double vos_normal_quantile(double p)
{
    if (isnan(p) || p < 0.0 || p > 1.0) return NAN;
    if (p == 0.0) return -INFINITY;
    if (p == 1.0) return INFINITY;
    if (p > 0.5) return -vos_normal_quantile(1.0 - p);
    double x = acklam_lower(p);
    /* Halley: u = (Phi(x) - p) / phi(x), written relative to p so that neither factor
     * overflows nor loses precision deep in the tail. */
    double u = (normal_cdf(x) / p - 1.0) * SQRT_2PI * exp(log(p) + 0.5 * x * x);
    return x - u / (1.0 + 0.5 * x * u);
}

/* ln B(a, b) for the PERT shapes (a, b >= 1, a + b = 6): tgamma is exact enough and, unlike
 * lgamma, touches no global state. */
static double ln_beta(double a, double b)
{
    return log(tgamma(a)) + log(tgamma(b)) - log(tgamma(a + b));
}

/* Continued fraction of the incomplete beta function (modified Lentz), converging for
 * x < (a + 1) / (a + b + 2). */
static double incbeta_cf(double a, double b, double x)
{
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < INCBETA_TINY) d = INCBETA_TINY;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= INCBETA_ITER_MAX; m++) {
        for (int odd = 0; odd < 2; odd++) {
            double coef = odd ? -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1.0))
                              : m * (b - m) * x / ((a + 2 * m - 1.0) * (a + 2 * m));
            d = 1.0 + coef * d;
            if (fabs(d) < INCBETA_TINY) d = INCBETA_TINY;
            c = 1.0 + coef / c;
            if (fabs(c) < INCBETA_TINY) c = INCBETA_TINY;
            d = 1.0 / d;
            double delta = c * d;
            h *= delta;
            if (odd && fabs(delta - 1.0) < INCBETA_EPS) return h;
        }
    }
    return h;
}

/* Regularized incomplete beta I_x(a, b), lnb = ln B(a, b). */
static double incbeta(double a, double b, double lnb, double x)
{
    if (x <= 0.0) return 0.0;
    if (x >= 1.0) return 1.0;
    double front = exp(a * log(x) + b * log1p(-x) - lnb);
    if (x < (a + 1.0) / (a + b + 2.0)) return front * incbeta_cf(a, b, x) / a;
    return 1.0 - front * incbeta_cf(b, a, 1.0 - x) / b;
}

/* x with I_x(a, b) = p, 0 < p < 1: Newton steps kept inside a shrinking bracket, bisection
 * when a step would leave it. */
static double incbeta_inv(double a, double b, double p)
{
    double lnb = ln_beta(a, b);
    double lo = 0.0, hi = 1.0, x = a / (a + b);
    for (int i = 0; i < BETAINV_ITER_MAX; i++) {
        double f = incbeta(a, b, lnb, x) - p;
        if (f == 0.0) return x;
        if (f < 0.0)
            lo = x;
        else
            hi = x;
        double dens = exp((a - 1.0) * log(x) + (b - 1.0) * log1p(-x) - lnb);
        double next = x - f / dens;
        if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
        if (fabs(next - x) <= BETAINV_TOL * x) return next;
        x = next;
    }
    return x;
}

/* ---- quantiles and CDFs ------------------------------------------------------------------- */

static double quantile_inner(const vos_dist *d, double p)
{
    switch (d->kind) {
    case VOS_DIST_UNIFORM:
        return d->low + p * d->p[0];
    case VOS_DIST_TRIANGULAR:
        if (p < d->p[0]) return d->low + sqrt(p * d->p[1]);
        return d->high - sqrt((1.0 - p) * d->p[2]);
    case VOS_DIST_PERT:
        return d->low + (d->high - d->low) * incbeta_inv(pert_alpha(d), pert_beta(d), p);
    case VOS_DIST_NORMAL:
        return d->p[0] + d->p[1] * vos_normal_quantile(p);
    case VOS_DIST_LOGNORMAL:
        if (d->p[1] == 0.0) return d->likely;
        return exp(d->p[0] + d->p[1] * vos_normal_quantile(p));
    case VOS_DIST_FIXED:
    default:
        return d->likely;
    }
}

double vos_dist_quantile(const vos_dist *d, double p)
{
    if (isnan(p)) return NAN;
    if (d->kind == VOS_DIST_FIXED) return d->likely;
    int bounded =
        d->kind == VOS_DIST_UNIFORM || d->kind == VOS_DIST_TRIANGULAR || d->kind == VOS_DIST_PERT;
    if (p <= 0.0) return bounded ? d->low : d->kind == VOS_DIST_LOGNORMAL ? 0.0 : -INFINITY;
    if (p >= 1.0) return bounded ? d->high : INFINITY;
    return quantile_inner(d, p);
}

static double triangular_cdf(const vos_dist *d, double x)
{
    if (x <= d->low) return 0.0;
    if (x >= d->high) return 1.0;
    if (x <= d->likely) return (x - d->low) * (x - d->low) / d->p[1];
    return 1.0 - (d->high - x) * (d->high - x) / d->p[2];
}

double vos_dist_cdf(const vos_dist *d, double x)
{
    if (isnan(x)) return NAN;
    switch (d->kind) {
    case VOS_DIST_UNIFORM:
        return x <= d->low ? 0.0 : x >= d->high ? 1.0 : (x - d->low) / d->p[0];
    case VOS_DIST_TRIANGULAR:
        return triangular_cdf(d, x);
    case VOS_DIST_PERT: {
        double a = pert_alpha(d), b = pert_beta(d);
        return incbeta(a, b, ln_beta(a, b), (x - d->low) / (d->high - d->low));
    }
    case VOS_DIST_NORMAL:
        if (d->p[1] == 0.0) return x < d->p[0] ? 0.0 : 1.0;
        return normal_cdf((x - d->p[0]) / d->p[1]);
    case VOS_DIST_LOGNORMAL:
        if (x <= 0.0) return 0.0;
        if (d->p[1] == 0.0) return x < d->likely ? 0.0 : 1.0;
        return normal_cdf((log(x) - d->p[0]) / d->p[1]);
    case VOS_DIST_FIXED:
    default:
        return x < d->likely ? 0.0 : 1.0;
    }
}

/* ---- sample statistics -------------------------------------------------------------------- */

double vos_stats_percentile(const double *sorted, size_t n, double p)
{
    if (n == 0 || isnan(p) || p < 0.0 || p > 1.0) return NAN;
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)h;
    if (lo >= n - 1) return sorted[n - 1];
    return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}
