/* Seeded random numbers, the input distributions of Monte Carlo, and sample statistics.
 *
 * The generator is xoshiro256** seeded through splitmix64: the same seed gives the same
 * stream on every machine.  Nothing here allocates. */
#ifndef VOS_RANDOM_H
#define VOS_RANDOM_H

#include <stddef.h>
#include <stdint.h>

typedef struct vos_rng {
    uint64_t s[4];
    double spare;     /* second normal deviate of the last Box-Muller pair */
    int has_spare;
} vos_rng;

void vos_rng_seed(vos_rng *rng, uint64_t seed);
uint64_t vos_rng_next(vos_rng *rng);
/* Uniform on [0, 1) with 53 random bits. */
double vos_rng_uniform(vos_rng *rng);
/* Standard normal (Box-Muller, both deviates used). */
double vos_rng_normal(vos_rng *rng);
/* Gamma(shape, 1), shape > 0 (Marsaglia-Tsang; shape < 1 by boosting). */
double vos_rng_gamma(vos_rng *rng, double shape);
/* Beta(a, b) from two gammas. */
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

/* Validates and prepares a distribution.  For normal and lognormal, sd <= 0 means "derive sd
 * from the range": sd = (high - low) / (2 * 1.2815515655446004), i.e. low and high are read
 * as the 10th and 90th percentiles (for lognormal, of the variable itself, fitted in log
 * space).  Errors (VOS_EINVALID, message names the rule): low > likely or likely > high where
 * the kind uses them, low == high for uniform/triangular/pert, sd < 0, lognormal likely <= 0,
 * non-finite numbers. */
int vos_dist_init(vos_dist *out, vos_dist_kind kind, double low, double likely, double high,
                  double sd);

double vos_dist_sample(const vos_dist *d, vos_rng *rng);
/* Closed-form mean, variance and quantile (0 < p < 1) of the distribution. */
double vos_dist_mean(const vos_dist *d);
double vos_dist_variance(const vos_dist *d);
double vos_dist_quantile(const vos_dist *d, double p);

/* Inverse of the standard normal CDF (Acklam with one Halley refinement; |error| < 1e-14). */
double vos_normal_quantile(double p);

/* Excel PERCENTILE.INC of an ascending-sorted sample: rank h = (n-1)p, linear interpolation. */
double vos_stats_percentile(const double *sorted, size_t n, double p);

#endif
