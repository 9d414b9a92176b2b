/* Tests of src/core/random.c: the generator against published reference outputs, the
 * distributions against closed forms and spreadsheet values, and statistical tests of the
 * samplers (fixed seeds, so every run sees the same draws).
 *
 * Reference sources:
 *  - splitmix64, seed 1234567: Rosetta Code, "Pseudo-random numbers/Splitmix64".
 *  - xoshiro256** from state {1, 2, 3, 4}: output of the reference xoshiro256starstar.c
 *    (Blackman and Vigna), as quoted by independent ports.
 *  - PERCENTILE.INC({1,3,2,4}, 0.3) = 1.9: Microsoft's PERCENTILE.INC documentation.
 *  - NORMSINV, BETAINV, BETADIST, LOGINV, PERCENTILE: Gnumeric 1.12 (`ssconvert --recalc`),
 *    which evaluates them in extended precision.
 *  - Normal stream of seed 42: an independent Python implementation of the ziggurat as
 *    docs/internals/random.md describes it (bit-identical over 400,000 draws).
 *  - Normal tail probabilities and the truncated-normal mean: exact, through erfc.
 *  - Erlang CDF (gamma of integer shape): closed form. */
#include "vos/error.h"
#include "vos/random.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_DRAWS 200000
#define SE_BOUND 5.0        /* sample moments must lie within this many standard errors */
#define KS_C_001 1.94947985 /* Kolmogorov-Smirnov: sqrt(-ln(0.001 / 2) / 2), alpha = 0.001 */

/* ---- generator ---------------------------------------------------------------------------- */

START_TEST(splitmix_seeding_matches_reference)
{
    /* The state is the first four splitmix64 outputs of the seed. */
    static const uint64_t want[4] = {UINT64_C(6457827717110365317), UINT64_C(3203168211198807973),
                                     UINT64_C(9817491932198370423), UINT64_C(4593380528125082431)};
    vos_rng rng;
    vos_rng_seed(&rng, 1234567);
    for (int i = 0; i < 4; i++)
        ck_assert_uint_eq(rng.s[i], want[i]);
}
END_TEST

START_TEST(xoshiro_matches_reference)
{
    static const uint64_t want[10] = {
        UINT64_C(11520),
        UINT64_C(0),
        UINT64_C(1509978240),
        UINT64_C(1215971899390074240),
        UINT64_C(1216172134540287360),
        UINT64_C(607988272756665600),
        UINT64_C(16172922978634559625),
        UINT64_C(8476171486693032832),
        UINT64_C(10595114339597558777),
        UINT64_C(2904607092377533576),
    };
    vos_rng rng = {.s = {1, 2, 3, 4}};
    for (int i = 0; i < 10; i++)
        ck_assert_uint_eq(vos_rng_next(&rng), want[i]);
}
END_TEST

START_TEST(seeded_stream_is_stable)
{
    /* splitmix64-seeded xoshiro256**, seed 42 (an independent Python implementation of the two
     * reference algorithms gives the same numbers). */
    vos_rng rng;
    vos_rng_seed(&rng, 42);
    ck_assert_uint_eq(vos_rng_next(&rng), UINT64_C(1546998764402558742));
    ck_assert_uint_eq(vos_rng_next(&rng), UINT64_C(6990951692964543102));
    ck_assert_uint_eq(vos_rng_next(&rng), UINT64_C(12544586762248559009));
    ck_assert_uint_eq(vos_rng_next(&rng), UINT64_C(17057574109182124193));
}
END_TEST

START_TEST(normal_stream_matches_reference)
{
    /* Seed 42, from an independent Python implementation of the sampler as documented in
     * docs/internals/random.md (same tables, Python's IEEE doubles): the first four draws take
     * the fast path, draw 353 a wedge (accepted after the exp test), draw 2073 the tail
     * (Marsaglia's method, through libm's log: compared to 1e-14). */
    static const double first[4] = {-0.21544694582006876, 0.5870120171506976, -0.8934986148266679,
                                    1.2149398882331617};
    vos_rng rng;
    vos_rng_seed(&rng, 42);
    double x[2074];
    for (int i = 0; i < 2074; i++)
        x[i] = vos_rng_normal(&rng);
    for (int i = 0; i < 4; i++)
        ck_assert(x[i] == first[i]);
    ck_assert(x[353] == -0.019817370060505646);
    ck_assert_double_eq_tol(x[2073], 3.974007707267981, 1e-14);
}
END_TEST

START_TEST(uniform_is_top_53_bits)
{
    vos_rng a, b;
    vos_rng_seed(&a, 7);
    vos_rng_seed(&b, 7);
    for (int i = 0; i < 1000; i++) {
        uint64_t x = vos_rng_next(&a);
        double u = vos_rng_uniform(&b);
        ck_assert(u == (double)(x >> 11) * 0x1.0p-53);
        ck_assert(u >= 0.0 && u < 1.0);
    }
}
END_TEST

static void fill(vos_rng *rng, const vos_dist *d, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = vos_dist_sample(d, rng);
}

START_TEST(same_seed_same_stream)
{
    enum { N = 1000 };
    vos_dist kinds[4];
    ck_assert_int_eq(vos_dist_init(&kinds[0], VOS_DIST_PERT, 9000, 12000, 15000, 0), 0);
    ck_assert_int_eq(vos_dist_init(&kinds[1], VOS_DIST_NORMAL, 80, 100, 120, 0), 0);
    ck_assert_int_eq(vos_dist_init(&kinds[2], VOS_DIST_LOGNORMAL, 0, 50, 0, 20), 0);
    ck_assert_int_eq(vos_dist_init(&kinds[3], VOS_DIST_TRIANGULAR, 1, 2, 5, 0), 0);
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    ck_assert_ptr_nonnull(x);
    ck_assert_ptr_nonnull(y);
    for (int k = 0; k < 4; k++) {
        vos_rng a, b;
        vos_rng_seed(&a, 20240611);
        vos_rng_seed(&b, 20240611);
        fill(&a, &kinds[k], x, N);
        fill(&b, &kinds[k], y, N);
        ck_assert_int_eq(memcmp(x, y, N * sizeof *x), 0);
        vos_rng_seed(&b, 20240612);
        fill(&b, &kinds[k], y, N);
        size_t same = 0;
        for (size_t i = 0; i < N; i++)
            same += x[i] == y[i];
        ck_assert_uint_lt(same, 5);
    }
    free(x);
    free(y);
}
END_TEST

START_TEST(reseeding_restarts_the_normal_stream)
{
    /* The whole state is s[4]: reseeding in the middle of a stream replays it from the start. */
    enum { N = 300 };
    double first[N];
    vos_rng a;
    vos_rng_seed(&a, 3);
    for (int i = 0; i < N; i++)
        first[i] = vos_rng_normal(&a);
    vos_rng_seed(&a, 3);
    for (int i = 0; i < N; i++)
        ck_assert(vos_rng_normal(&a) == first[i]);
}
END_TEST

START_TEST(invalid_shapes_give_nan)
{
    vos_rng rng;
    vos_rng_seed(&rng, 1);
    ck_assert(isnan(vos_rng_gamma(&rng, 0.0)));
    ck_assert(isnan(vos_rng_gamma(&rng, -1.0)));
    ck_assert(isnan(vos_rng_gamma(&rng, NAN)));
    ck_assert(isnan(vos_rng_beta(&rng, 1.0, 0.0)));
    ck_assert(isnan(vos_rng_beta(&rng, INFINITY, 1.0)));
}
END_TEST

/* ---- distributions: names, validation, closed forms --------------------------------------- */

START_TEST(kind_names_round_trip)
{
    static const char *names[] = {"fixed", "uniform", "triangular", "pert", "normal", "lognormal"};
    for (int i = 0; i < 6; i++) {
        vos_dist_kind k;
        ck_assert_int_eq(vos_dist_kind_parse(&k, names[i]), 0);
        ck_assert_int_eq(k, i);
        ck_assert_str_eq(vos_dist_kind_name(k), names[i]);
    }
    vos_dist_kind k;
    ck_assert_int_eq(vos_dist_kind_parse(&k, "beta"), VOS_EINVALID);
    ck_assert_ptr_nonnull(strstr(vos_error_last(), "'beta'"));
    ck_assert_int_eq(vos_dist_kind_parse(&k, "PERT"), VOS_EINVALID);
    ck_assert_int_eq(vos_dist_kind_parse(&k, NULL), VOS_EINVALID);
    ck_assert_str_eq(vos_dist_kind_name((vos_dist_kind)42), "unknown");
}
END_TEST

static void expect_invalid(vos_dist_kind kind, double low, double likely, double high, double sd,
                           const char *msg)
{
    vos_dist d = {.kind = VOS_DIST_FIXED, .likely = -99};
    ck_assert_int_eq(vos_dist_init(&d, kind, low, likely, high, sd), VOS_EINVALID);
    ck_assert_msg(strcmp(vos_error_last(), msg) == 0, "got \"%s\", want \"%s\"", vos_error_last(),
                  msg);
    ck_assert(d.likely == -99); /* untouched on failure */
}

START_TEST(validation_errors)
{
    expect_invalid(VOS_DIST_PERT, 5, 3, 10, 0, "low (5) must not exceed the value (3)");
    expect_invalid(VOS_DIST_TRIANGULAR, 1, 12, 10, 0, "the value (12) must not exceed high (10)");
    expect_invalid(VOS_DIST_UNIFORM, 0, 11, 10, 0, "the value (11) must not exceed high (10)");
    expect_invalid(VOS_DIST_UNIFORM, 4, 4, 4, 0,
                   "low (4) must be below high (4) for a uniform distribution");
    expect_invalid(VOS_DIST_PERT, 4, 4, 4, 0,
                   "low (4) must be below high (4) for a pert distribution");
    expect_invalid(VOS_DIST_NORMAL, 0, 1, 2, -1, "sd (-1) must not be negative");
    expect_invalid(VOS_DIST_NORMAL, 3, 1, 2, 0, "low (3) must not exceed the value (1)");
    expect_invalid(VOS_DIST_LOGNORMAL, 0, 0, 0, 1, "a lognormal value (0) must be positive");
    expect_invalid(VOS_DIST_LOGNORMAL, -1, -0.5, 2, 1, "a lognormal value (-0.5) must be positive");
    expect_invalid(VOS_DIST_LOGNORMAL, 0, 1, 2, 0,
                   "lognormal low (0) must be positive to derive sd from the range");
    expect_invalid(VOS_DIST_PERT, NAN, 1, 2, 0, "low must be a finite number");
    expect_invalid(VOS_DIST_FIXED, 0, INFINITY, 2, 0, "the value must be a finite number");
    expect_invalid(VOS_DIST_PERT, 0, 1, INFINITY, 0, "high must be a finite number");
    expect_invalid(VOS_DIST_NORMAL, 0, 1, 2, NAN, "sd must be a finite number");
    expect_invalid((vos_dist_kind)9, 0, 1, 2, 0, "unknown distribution kind 9");

    /* What the rules allow. */
    vos_dist d;
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_FIXED, 7, 7, 7, 0), 0);
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_PERT, 0, 0, 1, 0), 0); /* mode at an end */
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_TRIANGULAR, 0, 1, 1, 0), 0);
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_NORMAL, 9, 1, 0, 2), 0); /* range unused */
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_LOGNORMAL, 0, 5, 0, 2), 0);
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_NORMAL, 5, 5, 5, 0), 0); /* point mass */
    ck_assert(d.sd == 0.0);
}
END_TEST

START_TEST(derived_sd)
{
    vos_dist d;
    /* normal: low and high are P10 and P90 */
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_NORMAL, 80, 100, 120, 0), 0);
    ck_assert_double_eq_tol(d.sd, 40.0 / (2.0 * 1.2815515655446004), 1e-12);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.1), 80.0, 1e-9);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.9), 120.0, 1e-9);
    ck_assert_double_eq(vos_dist_mean(&d), 100.0);

    /* lognormal: sigma from the range in log space, mean kept at the value */
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_LOGNORMAL, 50, 100, 200, 0), 0);
    double sigma = log(4.0) / (2.0 * 1.2815515655446004);
    ck_assert_double_eq_tol(d.sd, 100.0 * sqrt(exp(sigma * sigma) - 1.0), 1e-9);
    ck_assert_double_eq(vos_dist_mean(&d), 100.0);
    ck_assert_double_eq_tol(vos_dist_variance(&d), d.sd * d.sd, 1e-9);
    /* the P90/P10 ratio of the fit is high/low */
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.9) / vos_dist_quantile(&d, 0.1), 4.0, 1e-12);
    /* median exp(mu) = likely * exp(-sigma^2 / 2) */
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.5), 100.0 * exp(-0.5 * sigma * sigma), 1e-10);
}
END_TEST

START_TEST(closed_form_moments)
{
    vos_dist d;
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_FIXED, 3, 3, 3, 0), 0);
    ck_assert_double_eq(vos_dist_mean(&d), 3.0);
    ck_assert_double_eq(vos_dist_variance(&d), 0.0);

    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_UNIFORM, 2, 5, 8, 0), 0);
    ck_assert_double_eq_tol(vos_dist_mean(&d), 5.0, 1e-15);
    ck_assert_double_eq_tol(vos_dist_variance(&d), 3.0, 1e-15);

    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_TRIANGULAR, 1, 2, 5, 0), 0);
    ck_assert_double_eq_tol(vos_dist_mean(&d), 8.0 / 3.0, 1e-15);
    ck_assert_double_eq_tol(vos_dist_variance(&d), 13.0 / 18.0, 1e-15);

    /* PERT: mean (min + 4 mode + max) / 6; alpha = beta = 3: variance 9/(36*7) * range^2 */
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_PERT, 0, 10, 20, 0), 0);
    ck_assert_double_eq_tol(vos_dist_mean(&d), 10.0, 1e-14);
    ck_assert_double_eq_tol(vos_dist_variance(&d), 400.0 / 28.0, 1e-12);
    /* alpha 1.8, beta 4.2 on [10, 40]: variance 1.8*4.2/(36*7) * 900 = 27 */
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_PERT, 10, 16, 40, 0), 0);
    ck_assert_double_eq_tol(vos_dist_mean(&d), 19.0, 1e-14);
    ck_assert_double_eq_tol(vos_dist_variance(&d), 27.0, 1e-12);

    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_NORMAL, 0, -4, 0, 2.5), 0);
    ck_assert_double_eq(vos_dist_mean(&d), -4.0);
    ck_assert_double_eq(vos_dist_variance(&d), 6.25);

    /* lognormal given the variable's mean 100 and sd 30: sigma^2 = ln 1.09 */
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_LOGNORMAL, 0, 100, 0, 30), 0);
    ck_assert_double_eq(vos_dist_mean(&d), 100.0);
    ck_assert_double_eq_tol(vos_dist_variance(&d), 900.0, 1e-12);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.5), 100.0 / sqrt(1.09), 1e-11);
}
END_TEST

/* ---- quantiles ---------------------------------------------------------------------------- */

START_TEST(normal_quantile_reference)
{
    /* Gnumeric NORMSINV */
    ck_assert_double_eq_tol(vos_normal_quantile(0.975), 1.9599639845400541183, 1e-14);
    ck_assert_double_eq_tol(vos_normal_quantile(0.9), 1.2815515655446004433, 1e-14);
    ck_assert_double_eq_tol(vos_normal_quantile(0.1), -1.2815515655446004436, 1e-14);
    ck_assert_double_eq_tol(vos_normal_quantile(0.3), -0.5244005127080407968, 1e-14);
    ck_assert_double_eq_tol(vos_normal_quantile(0.02425), -1.9729610513118847301, 1e-14);
    /* NORMSINV(0.999999) = 4.7534243088228939687, of the decimal 0.999999; the double nearest
     * to it is further from 1, so the lower tail, where 1e-6 is exact enough, is checked */
    ck_assert_double_eq_tol(vos_normal_quantile(1e-6), -4.7534243088228939687, 1e-13);
    ck_assert_double_eq_tol(vos_normal_quantile(1e-10), -6.361340902404056013, 1e-13);
    ck_assert_double_eq_tol(vos_normal_quantile(1e-300), -37.04709629936120021, 1e-12);
    ck_assert_double_eq(vos_normal_quantile(0.5), 0.0);
    ck_assert(vos_normal_quantile(0.0) == -INFINITY);
    ck_assert(vos_normal_quantile(1.0) == INFINITY);
    ck_assert(isnan(vos_normal_quantile(-0.1)));
    ck_assert(isnan(vos_normal_quantile(1.5)));
    ck_assert(isnan(vos_normal_quantile(NAN)));
    /* symmetry and round trip through the CDF */
    for (int i = 1; i < 1000; i++) {
        double p = i / 1000.0;
        double z = vos_normal_quantile(p);
        ck_assert_double_eq_tol(z, -vos_normal_quantile(1.0 - p), 1e-14);
        ck_assert_double_eq_tol(0.5 * erfc(-z / sqrt(2.0)), p, 1e-15);
    }
}
END_TEST

START_TEST(pert_quantile_reference)
{
    vos_dist d;
    /* alpha = beta = 3 on [0, 20]: Gnumeric BETAINV(p, 3, 3, 0, 20) */
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_PERT, 0, 10, 20, 0), 0);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.1), 4.9327290657693318525, 1e-10);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.5), 10.0, 1e-10);
    /* alpha 1.8, beta 4.2 on [10, 40]: BETAINV(p, 1.8, 4.2, 10, 40) */
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_PERT, 10, 16, 40, 0), 0);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.9), 26.36002151300745341, 1e-10);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.5), 18.300167781775565242, 1e-10);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.001), 10.189419225035410314, 1e-10);
    /* mode at the minimum: alpha 1, beta 5; BETAINV(0.25, 1, 5, 100, 200) */
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_PERT, 100, 100, 200, 0), 0);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.25), 105.59124887050980179, 1e-10);
    ck_assert_double_eq_tol(vos_dist_cdf(&d, 110), 0.40951, 1e-14); /* BETADIST(0.1, 1, 5) */
    /* mode at the maximum: alpha 5, beta 1; BETAINV(0.999, 5, 1, -3, 7) */
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_PERT, -3, 7, 7, 0), 0);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.999), 6.9979991995196637444, 1e-10);
    /* alpha 2.5, beta 3.5: BETADIST(0.3, 2.5, 3.5) */
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_PERT, 0, 0.375, 1, 0), 0);
    ck_assert_double_eq_tol(vos_dist_cdf(&d, 0.3), 0.29675298929566639757, 1e-14);
}
END_TEST

START_TEST(other_quantiles_reference)
{
    vos_dist d;
    /* lognormal with mu 0.5, sigma 0.25, given through the variable's mean and sd:
     * Gnumeric LOGINV(0.9, 0.5, 0.25) */
    double mu = 0.5, s2 = 0.0625;
    double mean = exp(mu + s2 / 2), sd = mean * sqrt(expm1(s2));
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_LOGNORMAL, 0, mean, 0, sd), 0);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.9), 2.2713807156931204974, 1e-12);
    /* LOGINV(0.1, 4.56, 0.3) */
    mu = 4.56, s2 = 0.09;
    mean = exp(mu + s2 / 2), sd = mean * sqrt(expm1(s2));
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_LOGNORMAL, 0, mean, 0, sd), 0);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.1), 65.074614721739130516, 1e-10);
    ck_assert(vos_dist_quantile(&d, 0.0) == 0.0);
    ck_assert(vos_dist_quantile(&d, 1.0) == INFINITY);

    /* triangular(1, 2, 5): F(mode) = 1/4; the p = 0.5 quantile is 5 - sqrt(6) */
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_TRIANGULAR, 1, 2, 5, 0), 0);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.25), 2.0, 1e-15);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.5), 5.0 - sqrt(6.0), 1e-15);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.0625), 1.5, 1e-15);
    ck_assert(vos_dist_quantile(&d, 0.0) == 1.0);
    ck_assert(vos_dist_quantile(&d, 1.0) == 5.0);

    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_UNIFORM, 2, 5, 8, 0), 0);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.25), 3.5, 1e-15);
    ck_assert(isnan(vos_dist_quantile(&d, NAN)));

    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_NORMAL, 0, 10, 0, 2), 0);
    ck_assert_double_eq_tol(vos_dist_quantile(&d, 0.975), 10 + 2 * 1.9599639845400541183, 1e-13);
    ck_assert(vos_dist_quantile(&d, 0.0) == -INFINITY);

    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_FIXED, 4, 4, 4, 0), 0);
    ck_assert_double_eq(vos_dist_quantile(&d, 0.3), 4.0);
    ck_assert_double_eq(vos_dist_cdf(&d, 3.9), 0.0);
    ck_assert_double_eq(vos_dist_cdf(&d, 4.0), 1.0);
}
END_TEST

START_TEST(quantile_cdf_round_trip)
{
    vos_dist d[5];
    ck_assert_int_eq(vos_dist_init(&d[0], VOS_DIST_UNIFORM, -3, 0, 7, 0), 0);
    ck_assert_int_eq(vos_dist_init(&d[1], VOS_DIST_TRIANGULAR, 9000, 10000, 15000, 0), 0);
    ck_assert_int_eq(vos_dist_init(&d[2], VOS_DIST_PERT, 9000, 12000, 15000, 0), 0);
    ck_assert_int_eq(vos_dist_init(&d[3], VOS_DIST_NORMAL, 80, 100, 120, 0), 0);
    ck_assert_int_eq(vos_dist_init(&d[4], VOS_DIST_LOGNORMAL, 0, 0.05, 0, 0.04), 0);
    for (int k = 0; k < 5; k++) {
        double prev = -INFINITY;
        for (int i = 1; i < 500; i++) {
            double p = i / 500.0;
            double x = vos_dist_quantile(&d[k], p);
            ck_assert_msg(x > prev, "%s quantile not increasing at p=%g",
                          vos_dist_kind_name(d[k].kind), p);
            ck_assert_msg(fabs(vos_dist_cdf(&d[k], x) - p) < 1e-12, "%s round trip at p=%g: %.17g",
                          vos_dist_kind_name(d[k].kind), p, vos_dist_cdf(&d[k], x));
            prev = x;
        }
    }
}
END_TEST

/* ---- statistical tests of the samplers ---------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef double (*cdf_fn)(const void *ctx, double x);

static double dist_cdf(const void *ctx, double x)
{
    return vos_dist_cdf(ctx, x);
}

/* Kolmogorov-Smirnov statistic of an ascending sample against a CDF. */
static double ks_statistic(const double *sorted, size_t n, cdf_fn cdf, const void *ctx)
{
    double worst = 0.0;
    for (size_t i = 0; i < n; i++) {
        double f = cdf(ctx, sorted[i]);
        double above = (double)(i + 1) / (double)n - f, below = f - (double)i / (double)n;
        worst = fmax(worst, fmax(above, below));
    }
    return worst;
}

/* Sorts x and asserts its KS statistic against `cdf` is below the alpha = 0.001 critical
 * value. */
static void check_ks(double *x, size_t n, cdf_fn cdf, const void *ctx, const char *what)
{
    qsort(x, n, sizeof *x, cmp_double);
    double dn = ks_statistic(x, n, cdf, ctx), crit = KS_C_001 / sqrt((double)n);
    ck_assert_msg(dn < crit, "%s: KS statistic %.5g above %.5g (n = %zu)", what, dn, crit, n);
}

/* Checks the sample mean against the closed form within SE_BOUND standard errors, the sample
 * variance within SE_BOUND standard errors of the variance estimator (estimated from the
 * sample's fourth central moment), and, when `ks`, the KS statistic at alpha = 0.001. */
static void check_sample(double *x, size_t n, double mean, double var, const vos_dist *ks,
                         const char *what)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += x[i];
    double m = sum / (double)n, m2 = 0.0, m4 = 0.0;
    for (size_t i = 0; i < n; i++) {
        double e = (x[i] - m) * (x[i] - m);
        m2 += e;
        m4 += e * e;
    }
    double s2 = m2 / (double)(n - 1);
    m4 /= (double)n;
    double se_mean = sqrt(var / (double)n);
    double se_var = sqrt((m4 - s2 * s2) / (double)n);
    ck_assert_msg(fabs(m - mean) <= SE_BOUND * se_mean, "%s: mean %.10g, expected %.10g (se %.3g)",
                  what, m, mean, se_mean);
    ck_assert_msg(fabs(s2 - var) <= SE_BOUND * se_var,
                  "%s: variance %.10g, expected %.10g (se %.3g)", what, s2, var, se_var);
    if (ks) check_ks(x, n, dist_cdf, ks, what);
}

static void check_dist(vos_dist_kind kind, double low, double likely, double high, double sd,
                       uint64_t seed)
{
    vos_dist d;
    ck_assert_int_eq(vos_dist_init(&d, kind, low, likely, high, sd), 0);
    double *x = malloc(N_DRAWS * sizeof *x);
    ck_assert_ptr_nonnull(x);
    vos_rng rng;
    vos_rng_seed(&rng, seed);
    fill(&rng, &d, x, N_DRAWS);
    check_sample(x, N_DRAWS, vos_dist_mean(&d), vos_dist_variance(&d), &d,
                 vos_dist_kind_name(kind));
    free(x);
}

START_TEST(uniform_sampler)
{
    check_dist(VOS_DIST_UNIFORM, -3, 0, 7, 0, 101);
}
END_TEST

START_TEST(triangular_sampler)
{
    check_dist(VOS_DIST_TRIANGULAR, 1, 2, 5, 0, 102);
    check_dist(VOS_DIST_TRIANGULAR, 0, 0, 1, 0, 103); /* mode at an end */
}
END_TEST

START_TEST(pert_sampler)
{
    check_dist(VOS_DIST_PERT, 9000, 12000, 15000, 0, 104);
    check_dist(VOS_DIST_PERT, 10, 16, 40, 0, 105);
    check_dist(VOS_DIST_PERT, 100, 100, 200, 0, 106); /* alpha 1 */
    check_dist(VOS_DIST_PERT, -3, 7, 7, 0, 114);      /* beta 1 */
}
END_TEST

START_TEST(normal_sampler)
{
    check_dist(VOS_DIST_NORMAL, 0, 100, 0, 15, 107);
    check_dist(VOS_DIST_NORMAL, 80, 100, 120, 0, 108);
}
END_TEST

START_TEST(lognormal_sampler)
{
    check_dist(VOS_DIST_LOGNORMAL, 0, 100, 0, 30, 109);
    check_dist(VOS_DIST_LOGNORMAL, 50, 100, 200, 0, 110);
}
END_TEST

START_TEST(fixed_sampler)
{
    vos_dist d;
    vos_rng rng;
    vos_rng_seed(&rng, 111);
    ck_assert_int_eq(vos_dist_init(&d, VOS_DIST_FIXED, 2.5, 2.5, 2.5, 0), 0);
    for (int i = 0; i < 100; i++)
        ck_assert_double_eq(vos_dist_sample(&d, &rng), 2.5);
}
END_TEST

START_TEST(gamma_and_beta_samplers)
{
    static const double shapes[] = {0.3, 1.0, 3.7};
    double *x = malloc(N_DRAWS * sizeof *x);
    ck_assert_ptr_nonnull(x);
    vos_rng rng;
    vos_rng_seed(&rng, 112);
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        for (size_t i = 0; i < N_DRAWS; i++)
            x[i] = vos_rng_gamma(&rng, shapes[k]);
        check_sample(x, N_DRAWS, shapes[k], shapes[k], NULL, "gamma"); /* mean = var = shape */
    }
    double a = 0.5, b = 0.7, s = a + b;
    for (size_t i = 0; i < N_DRAWS; i++)
        x[i] = vos_rng_beta(&rng, a, b);
    check_sample(x, N_DRAWS, a / s, a * b / (s * s * (s + 1)), NULL, "beta");
    free(x);
}
END_TEST

START_TEST(standard_normal_sampler)
{
    double *x = malloc(N_DRAWS * sizeof *x);
    ck_assert_ptr_nonnull(x);
    vos_rng rng;
    vos_rng_seed(&rng, 113);
    for (size_t i = 0; i < N_DRAWS; i++)
        x[i] = vos_rng_normal(&rng);
    /* The two deviates of each Box-Muller pair, and consecutive pairs, are independent: the
     * lag-1 correlation of the stream is 0 within SE_BOUND standard errors (1 / sqrt(n)). */
    double cov = 0.0;
    for (size_t i = 0; i + 1 < N_DRAWS; i++)
        cov += x[i] * x[i + 1];
    cov /= (double)(N_DRAWS - 1);
    ck_assert_msg(fabs(cov) <= SE_BOUND / sqrt((double)N_DRAWS), "lag-1 correlation %.5g", cov);
    vos_dist std;
    ck_assert_int_eq(vos_dist_init(&std, VOS_DIST_NORMAL, 0, 0, 0, 1), 0);
    check_sample(x, N_DRAWS, 0.0, 1.0, &std, "standard normal");
    free(x);
}
END_TEST

/* Erlang CDF, the gamma of integer shape n: 1 - e^-x sum_{k<n} x^k / k!. */
static double erlang_cdf(const void *ctx, double x)
{
    int n = *(const int *)ctx;
    if (x <= 0.0) return 0.0;
    double term = 1.0, sum = 1.0;
    for (int k = 1; k < n; k++) {
        term *= x / k;
        sum += term;
    }
    return 1.0 - exp(-x) * sum;
}

#define GAMMA_KS_DRAWS 2000000

START_TEST(gamma_sampler_ks)
{
    /* Shapes 1, 2 and 4 run Marsaglia-Tsang with d = 2/3, 5/3 and 11/3, the range PERT uses
     * (shapes 1 to 5), where the squeeze is loosest (d = 2/3) to tight.  2,000,000 draws each:
     * enough to see a squeeze that accepts even a little too much. */
    static const int shapes[] = {1, 2, 4};
    double *x = malloc(GAMMA_KS_DRAWS * sizeof *x);
    ck_assert_ptr_nonnull(x);
    vos_rng rng;
    vos_rng_seed(&rng, 115);
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        for (size_t i = 0; i < GAMMA_KS_DRAWS; i++)
            x[i] = vos_rng_gamma(&rng, shapes[k]);
        check_ks(x, GAMMA_KS_DRAWS, erlang_cdf, &shapes[k], "gamma");
    }
    free(x);
}
END_TEST

static double std_normal_cdf(const void *ctx, double x)
{
    (void)ctx;
    return 0.5 * erfc(-x / sqrt(2.0));
}

/* P(|Z| > z), exact through erfc. */
static double two_sided_tail(double z)
{
    return isinf(z) ? 0.0 : erfc(z / sqrt(2.0));
}

/* Asserts that `count` successes in n trials agree with probability p within SE_BOUND binomial
 * standard errors. */
static void check_binomial(size_t count, size_t n, double p, const char *what)
{
    double expect = (double)n * p, se = sqrt((double)n * p * (1.0 - p));
    ck_assert_msg(fabs((double)count - expect) <= SE_BOUND * se,
                  "%s: %zu of %zu, expected %.1f (se %.2f)", what, count, n, expect, se);
}

#define TAIL_DRAWS 40000000 /* P(|Z| > 3.5) = 4.65e-4: about 18,600 tail draws */
#define TAIL_FROM 3.5
#define ZIGGURAT_R 3.6541528853610088 /* where the ziggurat hands over to the tail method */
#define SQRT_2PI 2.5066282746310005

/* CDF of |Z| given |Z| > *from: 1 - P(|Z| > t) / P(|Z| > from). */
static double tail_cdf(const void *ctx, double t)
{
    double from = *(const double *)ctx;
    return t <= from ? 0.0 : 1.0 - two_sided_tail(t) / two_sided_tail(from);
}

/* Draws beyond r come from Marsaglia's tail method alone: their mean must be the truncated
 * normal's, lambda = phi(r) / P(Z > r), within SE_BOUND standard errors (variance
 * 1 + r lambda - lambda^2). */
static void check_truncated_mean(const double *sorted, size_t n, double r)
{
    double lambda = exp(-0.5 * r * r) / SQRT_2PI / (0.5 * two_sided_tail(r));
    double var = 1.0 + r * lambda - lambda * lambda, sum = 0.0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (sorted[i] <= r) continue;
        sum += sorted[i];
        m++;
    }
    double mean = sum / (double)m, se = sqrt(var / (double)m);
    ck_assert_msg(fabs(mean - lambda) <= SE_BOUND * se,
                  "mean of |Z| beyond r: %.6f, expected %.6f (se %.2g, n = %zu)", mean, lambda, se,
                  m);
}

START_TEST(normal_sampler_tail)
{
    /* Frequencies of |Z| in bins on both sides of r against the exact normal tail
     * probabilities, within binomial bounds; the sign balance of the tail; the shape of |Z|
     * beyond 3.5 and beyond r (KS against the conditional CDFs); the mean beyond r. */
    static const double edges[] = {TAIL_FROM, ZIGGURAT_R, 4.0, 4.5, INFINITY};
    static const double from[] = {TAIL_FROM, ZIGGURAT_R};
    enum { N_BINS = sizeof edges / sizeof edges[0] - 1, TAIL_CAP = 30000 };
    size_t count[N_BINS] = {0}, negative = 0, n_tail = 0;
    double *tail = malloc(TAIL_CAP * sizeof *tail);
    ck_assert_ptr_nonnull(tail);
    vos_rng rng;
    vos_rng_seed(&rng, 116);
    for (size_t i = 0; i < TAIL_DRAWS; i++) {
        double z = vos_rng_normal(&rng), a = fabs(z);
        if (!(a > TAIL_FROM)) continue;
        ck_assert_uint_lt(n_tail, TAIL_CAP);
        tail[n_tail++] = a;
        negative += z < 0.0;
        for (int b = 0; b < N_BINS; b++)
            count[b] += a > edges[b] && a <= edges[b + 1];
    }
    check_binomial(n_tail, TAIL_DRAWS, two_sided_tail(TAIL_FROM), "|Z| > 3.5");
    for (int b = 0; b < N_BINS; b++) {
        char what[64];
        snprintf(what, sizeof what, "%g < |Z| <= %g", edges[b], edges[b + 1]);
        check_binomial(count[b], TAIL_DRAWS,
                       two_sided_tail(edges[b]) - two_sided_tail(edges[b + 1]), what);
    }
    check_binomial(negative, n_tail, 0.5, "negative tail draws");
    check_ks(tail, n_tail, tail_cdf, &from[0], "|Z| beyond 3.5"); /* sorts tail */
    size_t n_r = count[1] + count[2] + count[3];
    check_ks(tail + (n_tail - n_r), n_r, tail_cdf, &from[1], "|Z| beyond r");
    check_truncated_mean(tail, n_tail, ZIGGURAT_R);
    free(tail);
}
END_TEST

#define HIST_DRAWS 4000000
#define HIST_BINS 1000
#define CHI2_Z_001 3.090232306167813 /* upper 0.001 point of the standard normal */

START_TEST(normal_sampler_fine_histogram)
{
    /* 1,000 equiprobable bins (through the exact CDF) catch local distortions that a KS test
     * of 200,000 draws cannot, such as one wrong layer or overhang of the ziggurat.  Pearson's
     * chi-square must stay below its 0.001 critical value (Wilson-Hilferty, 999 degrees of
     * freedom: about 1143). */
    size_t *bins = calloc(HIST_BINS, sizeof *bins);
    ck_assert_ptr_nonnull(bins);
    vos_rng rng;
    vos_rng_seed(&rng, 117);
    for (size_t i = 0; i < HIST_DRAWS; i++) {
        size_t b = (size_t)(std_normal_cdf(NULL, vos_rng_normal(&rng)) * HIST_BINS);
        bins[b < HIST_BINS ? b : HIST_BINS - 1]++;
    }
    double expect = (double)HIST_DRAWS / HIST_BINS, chi2 = 0.0;
    for (size_t b = 0; b < HIST_BINS; b++)
        chi2 += ((double)bins[b] - expect) * ((double)bins[b] - expect) / expect;
    double k = HIST_BINS - 1, h = 2.0 / (9.0 * k);
    double crit = k * pow(1.0 - h + CHI2_Z_001 * sqrt(h), 3.0);
    ck_assert_msg(chi2 < crit, "chi-square %.1f above %.1f", chi2, crit);
    free(bins);
}
END_TEST

/* ---- percentile --------------------------------------------------------------------------- */

START_TEST(percentile_excel)
{
    /* Microsoft documentation: PERCENTILE.INC({1,3,2,4}, 0.3) = 1.9 */
    static const double a[] = {1, 2, 3, 4};
    ck_assert_double_eq_tol(vos_stats_percentile(a, 4, 0.3), 1.9, 1e-15);
    ck_assert_double_eq(vos_stats_percentile(a, 4, 0.0), 1.0);
    ck_assert_double_eq(vos_stats_percentile(a, 4, 1.0), 4.0);
    ck_assert_double_eq(vos_stats_percentile(a, 4, 0.5), 2.5);
    /* Gnumeric PERCENTILE */
    static const double b[] = {15, 20, 35, 40, 50};
    ck_assert_double_eq_tol(vos_stats_percentile(b, 5, 0.4), 29.0, 1e-13);
    ck_assert_double_eq_tol(vos_stats_percentile(b, 5, 0.05), 16.0, 1e-13);
    static const double c[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    ck_assert_double_eq_tol(vos_stats_percentile(c, 10, 0.9), 9.1, 1e-13);
    /* one value, no values, p outside [0, 1] (Excel: #NUM!) */
    ck_assert_double_eq(vos_stats_percentile(b, 1, 0.7), 15.0);
    ck_assert(isnan(vos_stats_percentile(NULL, 0, 0.5)));
    ck_assert(isnan(vos_stats_percentile(a, 4, -0.01)));
    ck_assert(isnan(vos_stats_percentile(a, 4, 1.01)));
    ck_assert(isnan(vos_stats_percentile(a, 4, NAN)));
}
END_TEST

Suite *vos_test_random_suite(void)
{
    Suite *s = suite_create("random");
    TCase *gen = tcase_create("generator");
    tcase_add_test(gen, splitmix_seeding_matches_reference);
    tcase_add_test(gen, xoshiro_matches_reference);
    tcase_add_test(gen, seeded_stream_is_stable);
    tcase_add_test(gen, normal_stream_matches_reference);
    tcase_add_test(gen, uniform_is_top_53_bits);
    tcase_add_test(gen, same_seed_same_stream);
    tcase_add_test(gen, reseeding_restarts_the_normal_stream);
    tcase_add_test(gen, invalid_shapes_give_nan);
    suite_add_tcase(s, gen);

    TCase *dist = tcase_create("distributions");
    tcase_add_test(dist, kind_names_round_trip);
    tcase_add_test(dist, validation_errors);
    tcase_add_test(dist, derived_sd);
    tcase_add_test(dist, closed_form_moments);
    tcase_add_test(dist, normal_quantile_reference);
    tcase_add_test(dist, pert_quantile_reference);
    tcase_add_test(dist, other_quantiles_reference);
    tcase_add_test(dist, quantile_cdf_round_trip);
    suite_add_tcase(s, dist);

    TCase *stat = tcase_create("samplers");
    tcase_set_timeout(stat, 60);
    tcase_add_test(stat, uniform_sampler);
    tcase_add_test(stat, triangular_sampler);
    tcase_add_test(stat, pert_sampler);
    tcase_add_test(stat, normal_sampler);
    tcase_add_test(stat, lognormal_sampler);
    tcase_add_test(stat, fixed_sampler);
    tcase_add_test(stat, gamma_and_beta_samplers);
    tcase_add_test(stat, standard_normal_sampler);
    tcase_add_test(stat, gamma_sampler_ks);
    tcase_add_test(stat, normal_sampler_tail);
    tcase_add_test(stat, normal_sampler_fine_histogram);
    suite_add_tcase(s, stat);

    TCase *pct = tcase_create("percentile");
    tcase_add_test(pct, percentile_excel);
    suite_add_tcase(s, pct);
    return s;
}
