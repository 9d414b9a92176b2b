/* Monte Carlo simulation of a case: every input drawn from its distribution, NPV and ROI per
 * iteration by the engine's precomputed weights, then percentiles and a histogram. */
#include "engine_int.h"

#include "vos/error.h"
#include "vos/random.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Reorders v[0..n) so that v[k] holds the k-th smallest value, smaller ones before it and
 * larger ones after (Hoare's quickselect, median-of-three pivot): O(n) on average. */
static void select_kth(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        double a = v[lo], b = v[mid], c = v[hi];
        double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

/* Excel PERCENTILE.INC of v (reordered in place) by selection instead of a full sort: the
 * same arithmetic as vos_stats_percentile over the sorted values. */
static double percentile_inc(double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)h;
    select_kth(v, n, lo);
    if (lo >= n - 1)
        return v[lo];
    double next = v[lo + 1];
    for (size_t i = lo + 2; i < n; i++)
        if (v[i] < next)
            next = v[i];
    return v[lo] + (h - (double)lo) * (next - v[lo]);
}

/* Mean, sample standard deviation (n - 1), extremes and percentiles; reorders `v`. */
static void describe(vos_sim_stats *st, double *v, size_t n)
{
    memset(st, 0, sizeof *st);
    if (n == 0) {
        st->mean = st->sd = st->min = st->max = st->p10 = st->p50 = st->p90 = NAN;
        return;
    }
    double sum = 0, comp = 0; /* Neumaier summation */
    double lo = v[0], hi = v[0];
    for (size_t i = 0; i < n; i++) {
        double t = sum + v[i];
        comp += fabs(sum) >= fabs(v[i]) ? (sum - t) + v[i] : (v[i] - t) + sum;
        sum = t;
        lo = v[i] < lo ? v[i] : lo;
        hi = v[i] > hi ? v[i] : hi;
    }
    double mean = (sum + comp) / (double)n, ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (v[i] - mean) * (v[i] - mean);
    st->mean = mean;
    st->sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
    st->min = lo;
    st->max = hi;
    st->p10 = percentile_inc(v, n, 0.10);
    st->p50 = percentile_inc(v, n, 0.50);
    st->p90 = percentile_inc(v, n, 0.90);
}

static void histogram(vos_simulation *out, const double *v, size_t n)
{
    memset(out->hist, 0, sizeof out->hist);
    out->hist_min = out->npv.min;
    out->hist_max = out->npv.max;
    double width = (out->hist_max - out->hist_min) / VOS_SIM_BINS;
    for (size_t i = 0; i < n; i++) {
        size_t b = width > 0 ? (size_t)((v[i] - out->hist_min) / width) : 0;
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
