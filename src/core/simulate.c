/* Monte Carlo simulation of a case: every input drawn from its distribution, NPV and ROI per
 * iteration by the engine's precomputed weights, then percentiles and a histogram. */
#include "engine_int.h"

#include "vos/error.h"
#include "vos/random.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Mean, sample standard deviation (n - 1), extremes and percentiles; sorts `v` in place. */
static void describe(vos_sim_stats *st, double *v, size_t n)
{
    memset(st, 0, sizeof *st);
    if (n == 0) {
        st->mean = st->sd = st->min = st->max = st->p10 = st->p50 = st->p90 = NAN;
        return;
    }
    double sum = 0, comp = 0; /* Neumaier summation */
    for (size_t i = 0; i < n; i++) {
        double t = sum + v[i];
        comp += fabs(sum) >= fabs(v[i]) ? (sum - t) + v[i] : (v[i] - t) + sum;
        sum = t;
    }
    double mean = (sum + comp) / (double)n, ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (v[i] - mean) * (v[i] - mean);
    qsort(v, n, sizeof *v, cmp_double);
    st->mean = mean;
    st->sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
    st->min = v[0];
    st->max = v[n - 1];
    st->p10 = vos_stats_percentile(v, n, 0.10);
    st->p50 = vos_stats_percentile(v, n, 0.50);
    st->p90 = vos_stats_percentile(v, n, 0.90);
}

static void histogram(vos_simulation *out, const double *sorted, size_t n)
{
    memset(out->hist, 0, sizeof out->hist);
    out->hist_min = sorted[0];
    out->hist_max = sorted[n - 1];
    double width = (out->hist_max - out->hist_min) / VOS_SIM_BINS;
    for (size_t i = 0; i < n; i++) {
        size_t b = width > 0 ? (size_t)((sorted[i] - out->hist_min) / width) : 0;
        out->hist[b < VOS_SIM_BINS ? b : VOS_SIM_BINS - 1]++;
    }
}

int vos_case_simulate(vos_case *c, size_t iterations, uint64_t seed, vos_simulation *out)
{
    const vos_model *m = c->model;
    memset(out, 0, sizeof *out);
    if (iterations < 1 || iterations > VOS_SIM_ITER_MAX)
        return vos_error_set(VOS_ETOOLARGE, "iterations must be between 1 and %d (got %zu)",
                             VOS_SIM_ITER_MAX, iterations);
    double *npv = malloc(iterations * sizeof *npv);
    double *roi = malloc(iterations * sizeof *roi);
    int rc = 0;
    if (!npv || !roi) {
        rc = vos_error_set(VOS_ENOMEM, "out of memory for %zu iterations", iterations);
        goto out;
    }
    vos_rng rng;
    vos_rng_seed(&rng, seed);
    size_t n_roi = 0, positive = 0;
    for (size_t it = 0; it < iterations; it++) {
        for (size_t i = 0; i < m->n_inputs; i++)
            c->slots[i] = vos_dist_sample(&c->dists[i], &rng);
        if ((rc = vos_case_eval(c)) < 0) {
            rc = vos_error_set(rc, "iteration %zu: %s", it + 1, vos_error_last());
            goto out;
        }
        double v, b, k;
        vos_case_totals(c, &v, &b, &k);
        npv[it] = v;
        positive += v > 0;
        if (k != 0)
            roi[n_roi++] = (b - k) / k;
    }
    out->iterations = iterations;
    out->seed = seed;
    out->p_npv_positive = (double)positive / (double)iterations;
    describe(&out->npv, npv, iterations);
    histogram(out, npv, iterations);
    describe(&out->roi, roi, n_roi);
out:
    free(npv);
    free(roi);
    return rc;
}
