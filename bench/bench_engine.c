/* vos-bench: times the value engine on one model.
 *
 *   vos-bench MODEL.yaml [--iterations N] [--seed S] [--batches B] [--runs R]
 *
 * Reads the model file (libvos does no I/O), loads it, creates a case and measures
 *   - vos_case_compute of the expected scenario: batches of calls sized to about 20 ms each,
 *     reporting the median (and minimum) of the per-call times of the batches;
 *   - vos_case_simulate with N iterations (default 10,000) and a fixed seed: one warm-up run,
 *     then R runs, reporting the median (and minimum) time per run;
 *   - vos_model_load of the text (parse, validate, compile), for reference.
 * Prints `key value` lines on stdout (bench/run.sh reads them); numbers carry 17 significant
 * digits where they are compared with a peer. */
#include "vos/diag.h"
#include "vos/engine.h"
#include "vos/error.h"
#include "vos/model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_BATCHES_DEFAULT 21
#define BENCH_RUNS_DEFAULT 7
#define BENCH_LOAD_RUNS 5
#define BENCH_SEED_DEFAULT 42
#define BENCH_BATCH_TARGET_S 0.02 /* aim for batches of about this many seconds */
#define BENCH_CALIBRATE_CALLS 64
#define BENCH_MAX_SAMPLES 1001

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n-1] (sorts v). */
static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Reads a whole file into a NUL-terminated buffer owned by the caller. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "vos-bench: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        char *grown = realloc(buf, cap * 2);
        if (!grown) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        fprintf(stderr, "vos-bench: cannot read %s\n", path);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int load(vos_model **out, const char *text, size_t len, const char *path)
{
    vos_diags diags;
    vos_diags_init(&diags);
    int rc = vos_model_load(out, text, len, path, &diags);
    if (rc < 0) {
        vos_diags_sort(&diags);
        for (size_t i = 0; i < diags.n; i++)
            fprintf(stderr, "%s:%d:%d: %s: %s\n", path, diags.items[i].line, diags.items[i].col,
                    diags.items[i].severity == VOS_DIAG_ERROR ? "error" : "warning",
                    diags.items[i].msg);
        fprintf(stderr, "vos-bench: %s does not load: %s\n", path, vos_error_last());
    }
    vos_diags_free(&diags);
    return rc;
}

/* Median time of vos_model_load in milliseconds. */
static double time_load(const char *text, size_t len, const char *path)
{
    double t[BENCH_LOAD_RUNS];
    for (int i = 0; i < BENCH_LOAD_RUNS; i++) {
        vos_model *m = NULL;
        double t0 = now_s();
        if (load(&m, text, len, path) < 0)
            return -1;
        t[i] = (now_s() - t0) * 1e3;
        vos_model_free(m);
    }
    return median(t, BENCH_LOAD_RUNS);
}

static void print_result(const char *prefix, const vos_result *r)
{
    printf("%snpv %.17g\n", prefix, r->npv);
    if (r->has_irr)
        printf("%sirr %.17g\n", prefix, r->irr);
    if (r->has_payback)
        printf("%spayback_months %.17g\n", prefix, r->payback_months);
    if (r->has_roi)
        printf("%sroi %.17g\n", prefix, r->roi);
    printf("%sbenefits_total %.17g\n%scosts_total %.17g\n", prefix, r->benefits_total, prefix,
           r->costs_total);
}

/* Times vos_case_compute (expected scenario); prints per-call microseconds. */
static int bench_compute(vos_case *c, vos_result *r, int batches)
{
    double t0 = now_s();
    for (int i = 0; i < BENCH_CALIBRATE_CALLS; i++)
        if (vos_case_compute(c, VOS_SCENARIO_EXPECTED, r) < 0)
            return -1;
    double per = (now_s() - t0) / BENCH_CALIBRATE_CALLS;
    long calls = per > 0 ? (long)(BENCH_BATCH_TARGET_S / per) : 1000;
    if (calls < 1)
        calls = 1;
    double us[BENCH_MAX_SAMPLES];
    for (int b = 0; b < batches; b++) {
        t0 = now_s();
        for (long i = 0; i < calls; i++)
            if (vos_case_compute(c, VOS_SCENARIO_EXPECTED, r) < 0)
                return -1;
        us[b] = (now_s() - t0) / (double)calls * 1e6;
    }
    double med = median(us, (size_t)batches);
    printf("compute_us %.4f\ncompute_us_min %.4f\ncompute_calls %ld\ncompute_batches %d\n", med,
           us[0], calls * batches, batches);
    return 0;
}

/* Times vos_case_simulate; prints milliseconds per run and the statistics of the first seed. */
static int bench_simulate(vos_case *c, size_t iterations, uint64_t seed, int runs)
{
    vos_simulation sim;
    if (vos_case_simulate(c, iterations, seed, &sim) < 0) /* warm-up, and the reported run */
        return -1;
    double ms[BENCH_MAX_SAMPLES];
    for (int i = 0; i < runs; i++) {
        vos_simulation s;
        double t0 = now_s();
        if (vos_case_simulate(c, iterations, seed + (uint64_t)i, &s) < 0)
            return -1;
        ms[i] = (now_s() - t0) * 1e3;
    }
    double med = median(ms, (size_t)runs);
    printf("sim_iterations %zu\nsim_seed %llu\nsim_runs %d\nsim_ms %.4f\nsim_ms_min %.4f\n",
           iterations, (unsigned long long)seed, runs, med, ms[0]);
    printf("mc_mean %.17g\nmc_sd %.17g\nmc_p10 %.17g\nmc_p50 %.17g\nmc_p90 %.17g\n"
           "mc_p_positive %.17g\nmc_roi_mean %.17g\n",
           sim.npv.mean, sim.npv.sd, sim.npv.p10, sim.npv.p50, sim.npv.p90, sim.p_npv_positive,
           sim.roi.mean);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: vos-bench MODEL.yaml [--iterations N] [--seed S] [--batches B] "
                    "[--runs R]\n");
    return 2;
}

/* Parses a positive integer option value no larger than `max`; -1 when invalid. */
static long long parse_count(const char *s, long long max)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    return (errno || *end || end == s || v < 1 || v > max) ? -1 : v;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    long long iterations = VOS_SIM_ITER_DEFAULT, seed = BENCH_SEED_DEFAULT;
    long long batches = BENCH_BATCHES_DEFAULT, runs = BENCH_RUNS_DEFAULT;
    const struct {
        const char *name;
        long long *value;
        long long max;
    } opts[] = {
        {"--iterations", &iterations, VOS_SIM_ITER_MAX},
        {"--seed", &seed, 1LL << 62},
        {"--batches", &batches, BENCH_MAX_SAMPLES},
        {"--runs", &runs, BENCH_MAX_SAMPLES},
    };
    for (int i = 1; i < argc; i++) {
        size_t k = 0;
        while (k < sizeof opts / sizeof opts[0] && strcmp(argv[i], opts[k].name) != 0)
            k++;
        if (k < sizeof opts / sizeof opts[0]) {
            if (i + 1 >= argc || (*opts[k].value = parse_count(argv[++i], opts[k].max)) < 0)
                return usage();
        } else if (argv[i][0] == '-' || path) {
            return usage();
        } else {
            path = argv[i];
        }
    }
    if (!path)
        return usage();

    int status = 1;
    size_t len = 0;
    char *text = read_file(path, &len);
    vos_model *m = NULL;
    vos_case *c = NULL;
    vos_result *r = NULL;
    if (!text || load(&m, text, len, path) < 0)
        goto out;
    if (vos_case_new(&c, m) < 0 || vos_result_new(&r, m) < 0) {
        fprintf(stderr, "vos-bench: %s\n", vos_error_last());
        goto out;
    }
    printf("model %s\ninputs %zu\ndrivers %zu\ncosts %zu\nperiods %d\n", m->id, m->n_inputs,
           m->n_drivers, m->n_costs, m->periods);
    printf("load_ms %.4f\n", time_load(text, len, path));
    static const char *const prefix[VOS_SCENARIO_COUNT] = {"conservative_", "expected_",
                                                           "optimistic_"};
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++) {
        if (vos_case_compute(c, (vos_scenario)s, r) < 0) {
            fprintf(stderr, "vos-bench: compute %s: %s\n", prefix[s], vos_error_last());
            goto out;
        }
        print_result(prefix[s], r);
    }
    fflush(stdout);
    if (bench_compute(c, r, (int)batches) < 0 ||
        bench_simulate(c, (size_t)iterations, (uint64_t)seed, (int)runs) < 0) {
        fprintf(stderr, "vos-bench: %s\n", vos_error_last());
        goto out;
    }
    status = 0;
out:
    vos_result_free(r);
    vos_case_free(c);
    vos_model_free(m);
    free(text);
    return status;
}
