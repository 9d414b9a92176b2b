/* Seeded random numbers, the input distributions of Monte Carlo, and sample statistics.
 *
 * The generator is xoshiro256** seeded through splitmix64: the same seed gives the same
 * stream on every machine.  Nothing here allocates; the generator's whole state is the
 * vos_rng the caller owns (the samplers' tables are constants). */
#ifndef VOS_RANDOM_H
#define VOS_RANDOM_H

#include <stddef.h>
#include <stdint.h>

typedef struct vos_rng {
    uint64_t s[4];
} vos_rng;

void vos_rng_seed(vos_rng *rng, uint64_t seed);
uint64_t vos_rng_next(vos_rng *rng);
/* Uniform on [0, 1) with 53 random bits. */
double vos_rng_uniform(vos_rng *rng);
/* Standard normal: 256-layer ziggurat (Marsaglia and Tsang 2000) with Marsaglia's tail method;
 * exact up to rounding.  One 64-bit draw in 98.5% of calls, never fewer. */
double vos_rng_normal(vos_rng *rng);
/* Gamma(shape, 1), shape > 0 (Marsaglia-Tsang on the ziggurat normal; shape < 1 by boosting);
 * NaN for other shapes. */
double vos_rng_gamma(vos_rng *rng, double shape);
/* Beta(a, b) from two gammas, a > 0 and b > 0; NaN otherwise. */
double vos_rng_beta(vos_rng *rng, double a, double b);

typedef enum vos_dist_kind {
    VOS_DIST_FIXED = 0,  /* always `likely` */
    VOS_DIST_UNIFORM,    /* on [low, high] */
    VOS_DIST_TRIANGULAR, /* min low, mode likely, max high */
    VOS_DIST_PERT,       /* Beta-PERT, min low, mode likely, max high, lambda 4 */
    VOS_DIST_NORMAL,     /* mean likely, standard deviation sd */
    VOS_DIST_LOGNORMAL   /* the variable's own mean likely (> 0) and standard deviation sd */
} vos_dist_kind;

/* Name as written in models ("fixed", "uniform", "triangular", "pert", "normal",
 * "lognormal"); vos_dist_kind_parse returns VOS_EINVALID for any other name. */
const char *vos_dist_kind_name(vos_dist_kind kind);
int vos_dist_kind_parse(vos_dist_kind *out, const char *name);

typedef struct vos_dist {
    vos_dist_kind kind;
    double low, likely, high, sd; /* as given (sd derived where it was not) */
    double p[4];                  /* precomputed sampling parameters */
} vos_dist;

/* The 90th percentile of the standard normal distribution: a range low..high read as P10..P90
 * spans 2 * VOS_DIST_Z90 standard deviations. */
#define VOS_DIST_Z90 1.2815515655446004

/* Validates and prepares a distribution (OUT: *out, left untouched on failure).
 *
 * For normal and lognormal, sd == 0 means "derive sd from the range", low and high being read
 * as the 10th and 90th percentiles:
 *   normal:    sd = (high - low) / (2 * VOS_DIST_Z90);
 *   lognormal: fitted in log space, sigma = (ln high - ln low) / (2 * VOS_DIST_Z90) and
 *              mu = ln likely - sigma^2 / 2 so that the mean stays `likely`; out->sd is then the
 *              implied sd of the variable, likely * sqrt(exp(sigma^2) - 1).  Requires low > 0.
 * With sd > 0 the lognormal is the one whose own mean is likely and sd is sd:
 * sigma^2 = ln(1 + sd^2 / likely^2), mu = ln likely - sigma^2 / 2; low and high are not used.
 *
 * Errors (VOS_EINVALID, message names the rule): non-finite numbers; sd < 0; low > likely or
 * likely > high for uniform, triangular, pert, and for normal/lognormal when sd is derived
 * from the range; low == high for uniform/triangular/pert; lognormal likely <= 0. */
int vos_dist_init(vos_dist *out, vos_dist_kind kind, double low, double likely, double high,
                  double sd);

double vos_dist_sample(const vos_dist *d, vos_rng *rng);
/* Closed-form mean, variance and quantile (0 < p < 1) of the distribution.  The quantile of
 * p <= 0 or p >= 1 is the end of the support (low/high, or -/+infinity for normal, 0/+infinity
 * for lognormal); NaN gives NaN.  The PERT quantile inverts the regularized incomplete beta
 * function numerically (absolute error below 1e-12 of the range). */
double vos_dist_mean(const vos_dist *d);
double vos_dist_variance(const vos_dist *d);
double vos_dist_quantile(const vos_dist *d, double p);
/* Cumulative distribution function P(X <= x) (for PERT the regularized incomplete beta). */
double vos_dist_cdf(const vos_dist *d, double x);

/* Inverse of the standard normal CDF (Acklam with one Halley refinement; |error| < 1e-14). */
double vos_normal_quantile(double p);

/* Excel PERCENTILE.INC of an ascending-sorted sample: rank h = (n-1)p, linear interpolation.
 * NaN when n == 0 or p is outside [0, 1] (where Excel gives #NUM!). */
double vos_stats_percentile(const double *sorted, size_t n, double p);

#endif
