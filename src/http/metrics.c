/* Metrics in the Prometheus text format 0.0.4: requests by route, method and status, latency
 * histograms by route, time in handlers, requests in flight, rate-limited requests and the
 * process's start time, memory and CPU.  Counters are atomics: observing takes no lock. */
#include "http/http_int.h"

#include "vos/error.h"
#include "vos/number.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define METRIC_STATUS_MIN 100
#define METRIC_STATUSES 500 /* statuses 100..599 */
#define METRIC_TEXT_MAX (4 << 20)

static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                0.1,    0.25,  0.5,    1,     2.5,  5,     10};
#define N_BOUNDS (sizeof bounds / sizeof *bounds)

/* Methods of requests that matched no route (their route label is "none"). */
static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OTHER"};
#define N_METHODS (sizeof methods / sizeof *methods)

typedef struct route_stats {
    atomic_ullong status[METRIC_STATUSES];
    atomic_ullong bucket[N_BOUNDS + 1]; /* the last is +Inf */
    atomic_ullong count, sum_ns, handler_count, handler_ns;
} route_stats;

struct http_metrics {
    const vos_route *routes;
    size_t n;
    route_stats *stats; /* n routes, then N_METHODS for requests that matched none */
    atomic_ullong rate_limited;
};

int http_metrics_new(http_metrics **out, const vos_route *routes, size_t n_routes)
{
    *out = NULL;
    http_metrics *m = calloc(1, sizeof *m);
    if (!m) return vos_error_set(VOS_ENOMEM, "out of memory");
    m->stats = calloc(n_routes + N_METHODS, sizeof *m->stats);
    if (!m->stats) {
        free(m);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    m->routes = routes;
    m->n = n_routes;
    *out = m;
    return 0;
}

void http_metrics_free(http_metrics *m)
{
    if (!m) return;
    free(m->stats);
    free(m);
}

static size_t method_slot(const char *method)
{
    for (size_t i = 0; i + 1 < N_METHODS; i++)
        if (method && strcmp(method, methods[i]) == 0) return i;
    return N_METHODS - 1;
}

void http_metrics_observe(http_metrics *m, size_t route_index, const char *method, int status,
                          uint64_t duration_ns, uint64_t handler_ns)
{
    route_stats *s =
        route_index < m->n ? &m->stats[route_index] : &m->stats[m->n + method_slot(method)];
    if (status >= METRIC_STATUS_MIN && status < METRIC_STATUS_MIN + METRIC_STATUSES)
        atomic_fetch_add_explicit(&s->status[status - METRIC_STATUS_MIN], 1, memory_order_relaxed);
    double secs = (double)duration_ns / 1e9;
    size_t b = 0;
    while (b < N_BOUNDS && secs > bounds[b])
        b++;
    atomic_fetch_add_explicit(&s->bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->sum_ns, duration_ns, memory_order_relaxed);
    if (handler_ns) {
        atomic_fetch_add_explicit(&s->handler_count, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&s->handler_ns, handler_ns, memory_order_relaxed);
    }
}

void http_metrics_rate_limited(http_metrics *m)
{
    atomic_fetch_add_explicit(&m->rate_limited, 1, memory_order_relaxed);
}

/* ---- the text ---- */

typedef struct text {
    char *buf;
    size_t len, cap;
    int err;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...)
{
    if (t->err) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->buf ? t->buf + t->len : NULL, t->buf ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->err = VOS_ERROR;
            return;
        }
        if (t->buf && t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap ? t->cap * 2 : 4096;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        if (cap > METRIC_TEXT_MAX) {
            t->err = VOS_ETOOLARGE;
            return;
        }
        char *b = realloc(t->buf, cap);
        if (!b) {
            t->err = VOS_ENOMEM;
            return;
        }
        t->buf = b;
        t->cap = cap;
    }
}

static const char *num(char *buf, size_t size, double x)
{
    vos_num_shortest(buf, size, x);
    return buf;
}

static void labels(const http_metrics *m, size_t i, const char **route, const char **method)
{
    *route = i < m->n ? m->routes[i].pattern : "none";
    *method = i < m->n ? m->routes[i].method : methods[i - m->n];
}

static void render_requests(text *t, http_metrics *m)
{
    put(t, "# HELP vos_http_requests_total Requests answered, by route pattern, method and "
           "status.\n# TYPE vos_http_requests_total counter\n");
    for (size_t i = 0; i < m->n + N_METHODS; i++) {
        const char *route, *method;
        labels(m, i, &route, &method);
        for (int s = 0; s < METRIC_STATUSES; s++) {
            unsigned long long c = atomic_load(&m->stats[i].status[s]);
            if (c)
                put(t, "vos_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n",
                    route, method, s + METRIC_STATUS_MIN, c);
        }
    }
}

static void render_durations(text *t, http_metrics *m)
{
    char a[40];
    put(t, "# HELP vos_http_request_duration_seconds Time from a request's first call to its "
           "reply, by route.\n# TYPE vos_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i < m->n + N_METHODS; i++) {
        route_stats *s = &m->stats[i];
        unsigned long long count = atomic_load(&s->count), cum = 0;
        if (!count) continue;
        const char *route, *method;
        labels(m, i, &route, &method);
        const char *l = "vos_http_request_duration_seconds";
        for (size_t b = 0; b <= N_BOUNDS; b++) {
            cum += atomic_load(&s->bucket[b]);
            put(t, "%s_bucket{route=\"%s\",method=\"%s\",le=\"%s\"} %llu\n", l, route, method,
                b < N_BOUNDS ? num(a, sizeof a, bounds[b]) : "+Inf", cum);
        }
        put(t, "%s_sum{route=\"%s\",method=\"%s\"} %s\n", l, route, method,
            num(a, sizeof a, (double)atomic_load(&s->sum_ns) / 1e9));
        put(t, "%s_count{route=\"%s\",method=\"%s\"} %llu\n", l, route, method, cum);
    }
    put(t, "# HELP vos_http_handler_duration_seconds Time spent in route handlers (the database "
           "and rendering), by route.\n# TYPE vos_http_handler_duration_seconds summary\n");
    for (size_t i = 0; i < m->n; i++) {
        route_stats *s = &m->stats[i];
        unsigned long long count = atomic_load(&s->handler_count);
        if (!count) continue;
        const char *route, *method;
        labels(m, i, &route, &method);
        put(t, "vos_http_handler_duration_seconds_sum{route=\"%s\",method=\"%s\"} %s\n", route,
            method, num(a, sizeof a, (double)atomic_load(&s->handler_ns) / 1e9));
        put(t, "vos_http_handler_duration_seconds_count{route=\"%s\",method=\"%s\"} %llu\n", route,
            method, count);
    }
}

static void render_process(text *t, double start_time)
{
    char a[40];
    put(t,
        "# HELP process_start_time_seconds Start time of the process since the Unix epoch.\n"
        "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds %s\n",
        num(a, sizeof a, start_time));
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0) {
        double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
        put(t,
            "# HELP process_cpu_seconds_total User and system CPU time spent.\n"
            "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total %s\n",
            num(a, sizeof a, cpu));
    }
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long long size, resident;
    if (f && fscanf(f, "%llu %llu", &size, &resident) == 2)
        put(t,
            "# HELP process_resident_memory_bytes Resident memory size.\n"
            "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes %llu\n",
            resident * (unsigned long long)sysconf(_SC_PAGESIZE));
    if (f) fclose(f);
}

int http_metrics_render(http_metrics *m, long in_flight, double start_time, char **out, size_t *len)
{
    text t = {0};
    *out = NULL;
    *len = 0;
    render_requests(&t, m);
    render_durations(&t, m);
    put(&t,
        "# HELP vos_http_requests_in_flight Requests being read, handled or answered.\n"
        "# TYPE vos_http_requests_in_flight gauge\nvos_http_requests_in_flight %ld\n",
        in_flight);
    put(&t,
        "# HELP vos_http_rate_limited_total Requests refused with 429.\n"
        "# TYPE vos_http_rate_limited_total counter\nvos_http_rate_limited_total %llu\n",
        atomic_load(&m->rate_limited));
    put(&t,
        "# HELP vos_build_info The version of VOS serving.\n# TYPE vos_build_info gauge\n"
        "vos_build_info{version=\"%s\"} 1\n",
        HTTP_API_VERSION);
    render_process(&t, start_time);
    if (t.err) {
        free(t.buf);
        return vos_error_set(t.err, "writing the metrics failed");
    }
    *out = t.buf;
    *len = t.len;
    return 0;
}
