/* `vos serve`: libmicrohttpd with an internal thread pool (epoll), one database handle per
 * worker, the request body read in the access handler under a cap, one log line per request,
 * and a graceful stop on SIGTERM or SIGINT. */
#include "http/http_int.h"
#include "http/jobs.h"

#include "vos/error.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HTTP_HOST_MAX 256
#define HTTP_DRAIN_POLL_NS 10000000L /* 10 ms between checks for requests in flight */

/* ---- time and logs ---- */

uint64_t http_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double http_wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes the finished line of `w` (an object) and a newline to stderr in one call. */
static void log_write(vos_jw *w)
{
    char *text = NULL;
    size_t len = 0;
    if (vos_jw_finish(w, &text, &len) == 0) {
        char *line = realloc(text, len + 2);
        if (line) {
            line[len] = '\n';
            line[len + 1] = '\0';
            fwrite(line, 1, len + 1, stderr);
            text = line;
        }
    }
    free(text);
}

static void log_begin(vos_jw *w, const char *level, const char *msg)
{
    char now[VOS_STAMP_SIZE];
    vos_store_now(now);
    vos_jw_init(w, VOS_HTTP_REPLY_MAX);
    vos_jw_object(w);
    vos_jw_key(w, "time");
    vos_jw_string(w, now);
    vos_jw_key(w, "level");
    vos_jw_string(w, level);
    vos_jw_key(w, "msg");
    vos_jw_string(w, msg);
}

void http_log(const char *level, const char *msg, const char *extra)
{
    vos_jw w;
    log_begin(&w, level, msg);
    vos_jw_end(&w);
    char *text = NULL;
    size_t len = 0;
    if (vos_jw_finish(&w, &text, &len) < 0) return;
    text[len - 1] = '\0'; /* drop the closing brace */
    fprintf(stderr, "%s%s%s}\n", text, extra && *extra ? "," : "", extra ? extra : "");
    free(text);
}

static void log_request(http_server *srv, vos_req *rq, uint64_t duration_ns, bool aborted)
{
    bool failed = rq->status >= 500 || rq->status == 0;
    if (srv->cfg->quiet && !failed) return;
    /* what the client sent is logged as valid UTF-8 */
    char *method = vos_req_strdup(rq, rq->method), *path = vos_req_strdup(rq, rq->path);
    char *error = vos_req_strdup(rq, rq->log_error);
    if (method) http_utf8_clean(method);
    if (path) http_utf8_clean(path);
    if (error) http_utf8_clean(error);
    vos_jw w;
    log_begin(&w, failed && !aborted ? "error" : "info", "request");
    vos_jw_key(&w, "method");
    vos_jw_string(&w, method);
    vos_jw_key(&w, "route");
    vos_jw_string(&w, rq->route ? rq->route->pattern : NULL);
    vos_jw_key(&w, "path");
    vos_jw_string(&w, path);
    vos_jw_key(&w, "status");
    vos_jw_integer(&w, rq->status);
    vos_jw_key(&w, "duration_us");
    vos_jw_integer(&w, (long long)(duration_ns / 1000));
    vos_jw_key(&w, "bytes");
    vos_jw_integer(&w, (long long)rq->out_len);
    vos_jw_key(&w, "actor");
    vos_jw_string(&w, rq->authenticated ? rq->principal.email : rq->log_actor);
    vos_jw_key(&w, "client");
    vos_jw_string(&w, rq->client_ip);
    vos_jw_key(&w, "request_id");
    vos_jw_string(&w, rq->request_id);
    if (rq->replayed) {
        vos_jw_key(&w, "replayed");
        vos_jw_bool(&w, 1);
    }
    if (aborted) {
        vos_jw_key(&w, "aborted");
        vos_jw_bool(&w, 1);
    }
    if (error) {
        vos_jw_key(&w, "error");
        vos_jw_string(&w, error);
    }
    vos_jw_end(&w);
    log_write(&w);
}

static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[HTTP_DETAIL_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    vos_jw w;
    log_begin(&w, "warning", "libmicrohttpd");
    vos_jw_key(&w, "detail");
    vos_jw_string(&w, msg);
    vos_jw_end(&w);
    log_write(&w);
}

/* ---- the server object ---- */

int http_server_init(http_server *srv, const vos_http_config *cfg)
{
    memset(srv, 0, sizeof *srv);
    srv->cfg = cfg;
    atomic_init(&srv->stopping, false);
    atomic_init(&srv->in_flight, 0);
    atomic_init(&srv->bodies, 0);
    atomic_init(&srv->id_next, 1);
    srv->start_time = http_wall_s();
    srv->id_prefix = randombytes_random();
    srv->routes = vos_http_routes(&srv->n_routes);
    int rc = http_routes_check(srv->routes, srv->n_routes);
    if (rc < 0) return rc;
    pthread_mutex_init(&srv->pool.lock, NULL);
    srv->pool.url = cfg->db_url;
    srv->pool.cap = 2 * (cfg->threads ? cfg->threads : 1) + 2;
    srv->pool.free = calloc(srv->pool.cap, sizeof *srv->pool.free);
    double rate = cfg->rate_per_s > 0 ? cfg->rate_per_s : VOS_HTTP_RATE_PER_S;
    double burst = cfg->rate_burst > 0 ? cfg->rate_burst : VOS_HTTP_RATE_BURST;
    double login = cfg->login_per_min > 0 ? cfg->login_per_min : VOS_HTTP_LOGIN_RATE_PER_MIN;
    if (!srv->pool.free || (rc = http_limiter_new(&srv->limiter, rate, burst)) < 0 ||
        (rc = http_limiter_new(&srv->login_limiter, login / 60.0, login)) < 0 ||
        (rc = http_metrics_new(&srv->metrics, srv->routes, srv->n_routes)) < 0 ||
        (rc = vos_http_openapi(&srv->openapi, &srv->openapi_len)) < 0) {
        http_server_fini(srv);
        return rc < 0 ? rc : vos_error_set(VOS_ENOMEM, "out of memory");
    }
    return 0;
}

void http_server_fini(http_server *srv)
{
    if (srv->pool.free) {
        for (size_t i = 0; i < srv->pool.n_free; i++)
            vos_app_close(srv->pool.free[i]);
        free(srv->pool.free);
        pthread_mutex_destroy(&srv->pool.lock);
    }
    http_limiter_free(srv->limiter);
    http_limiter_free(srv->login_limiter);
    http_metrics_free(srv->metrics);
    free(srv->openapi);
    memset(srv, 0, sizeof *srv);
}

/* ---- one request ---- */

static enum MHD_Result on_value(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    vos_req *rq = cls;
    http_list *list = kind == MHD_HEADER_KIND ? &rq->headers : &rq->query;
    return http_req_add(rq, list, key, value) < 0 ? MHD_NO : MHD_YES;
}

static bool request_id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > HTTP_REQUEST_ID_MAX) return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.' || *p == ':'))
            return false;
    return true;
}

static void client_address(vos_req *rq, struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(rq->client_ip, sizeof rq->client_ip, "unknown");
    if (!ci || !ci->client_addr) return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, rq->client_ip,
                  sizeof rq->client_ip);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  rq->client_ip, sizeof rq->client_ip);
}

/* The first call of a request: its line, headers, query, client and id. */
static int request_begin(http_server *srv, vos_req *rq, struct MHD_Connection *c, const char *url,
                         const char *method)
{
    if (http_req_set(rq, method, url) < 0) return -1;
    if (MHD_get_connection_values(c, MHD_HEADER_KIND, on_value, rq) < 0) return -1;
    if (MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, on_value, rq) < 0) return -1;
    client_address(rq, c);
    const char *id = vos_req_header(rq, "X-Request-Id");
    if (id && request_id_ok(id))
        snprintf(rq->request_id, sizeof rq->request_id, "%s", id);
    else
        snprintf(rq->request_id, sizeof rq->request_id, "%08x%08llx", srv->id_prefix,
                 (unsigned long long)atomic_fetch_add(&srv->id_next, 1));
    return 0;
}

static bool add_header(struct MHD_Response *resp, const char *name, const char *value)
{
    return MHD_add_response_header(resp, name, value) == MHD_YES;
}

/* Counts the request in the metrics once: when its reply is queued (so that a client's next
 * request sees it counted), or when it ends without one. */
static void observe(http_server *srv, vos_req *rq)
{
    if (rq->observed) return;
    rq->observed = true;
    http_metrics_observe(srv->metrics, rq->route ? rq->route_index : srv->n_routes, rq->method,
                         rq->status, http_now_ns() - rq->start_ns, rq->handler_ns);
}

/* Whether the handler set header `name` itself (then the default is not added). */
static bool handler_set(const vos_req *rq, const char *name)
{
    for (const http_header *h = rq->headers_out; h; h = h->next)
        if (strcasecmp(h->name, name) == 0) return true;
    return false;
}

static enum MHD_Result send_reply(http_server *srv, struct MHD_Connection *c, vos_req *rq)
{
    struct MHD_Response *resp;
    if (rq->out_len > 0) {
        resp = MHD_create_response_from_buffer(rq->out_len, rq->out, MHD_RESPMEM_MUST_FREE);
        if (resp) rq->out = NULL; /* libmicrohttpd frees it */
    } else {
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!resp) return MHD_NO;
    bool ok = true;
    if (rq->content_type) ok &= add_header(resp, "Content-Type", rq->content_type);
    static const char *const defaults[][2] = {
        {"X-Content-Type-Options", "nosniff"}, {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "no-referrer"},    {"Content-Security-Policy", "default-src 'self'"},
        {"Cache-Control", "no-store"},
    };
    for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
        if (!handler_set(rq, defaults[i][0]))
            ok &= add_header(resp, defaults[i][0], defaults[i][1]);
    ok &= add_header(resp, "X-Request-Id", rq->request_id);
    for (const http_header *h = rq->headers_out; h; h = h->next)
        ok &= add_header(resp, h->name, h->value);
    if (atomic_load(&srv->stopping)) ok &= add_header(resp, "Connection", "close");
    observe(srv, rq);
    enum MHD_Result r = ok ? MHD_queue_response(c, (unsigned)rq->status, resp) : MHD_NO;
    MHD_destroy_response(resp);
    return r;
}

/* Content-Length over the cap: reply at once when the client waits for 100 Continue or the
 * body is too large even to drop; otherwise read and drop it, then reply, so that a client
 * that sends the whole body first still reads the 413. */
static bool reply_early(vos_req *rq)
{
    const char *cl = vos_req_header(rq, "Content-Length");
    if (!cl) return false;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(cl, &end, 10);
    if (errno == 0 && *end == '\0' && n <= VOS_HTTP_BODY_MAX) return false;
    rq->body_too_large = true;
    const char *expect = vos_req_header(rq, "Expect");
    return (expect && strcasecmp(expect, "100-continue") == 0) || errno ||
           n > HTTP_BODY_DISCARD_MAX;
}

/* Counts n more body bytes of rq against HTTP_BODIES_MAX; false (and rq->busy) when the
 * server holds too much already. */
static bool hold(http_server *srv, vos_req *rq, size_t n)
{
    if (atomic_fetch_add(&srv->bodies, n) + n > HTTP_BODIES_MAX) {
        atomic_fetch_sub(&srv->bodies, n);
        rq->busy = true;
        return false;
    }
    rq->held += n;
    return true;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **con_cls)
{
    (void)version;
    http_server *srv = cls;
    vos_req *rq = *con_cls;
    if (!rq) {
        rq = malloc(sizeof *rq);
        if (!rq) return MHD_NO;
        http_req_init(rq, srv);
        *con_cls = rq;
        atomic_fetch_add(&srv->in_flight, 1);
        if (request_begin(srv, rq, c, url, method) < 0) return MHD_NO;
        if (reply_early(rq)) {
            rq->early = true;
            http_dispatch(srv, rq);
            return send_reply(srv, c, rq);
        }
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        rq->received += n;
        if (rq->early) return MHD_YES;
        if (!rq->body_too_large && !rq->busy && hold(srv, rq, n) &&
            http_req_body_append(rq, upload_data, n) == VOS_ENOMEM)
            return MHD_NO;
        /* a body beyond what is worth reading to answer 413 closes the connection */
        return rq->received > HTTP_BODY_DISCARD_MAX ? MHD_NO : MHD_YES;
    }
    if (rq->early) return MHD_YES;
    http_dispatch(srv, rq);
    return send_reply(srv, c, rq);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    http_server *srv = cls;
    vos_req *rq = *con_cls;
    if (!rq) return;
    uint64_t duration = http_now_ns() - rq->start_ns;
    bool aborted = toe != MHD_REQUEST_TERMINATED_COMPLETED_OK;
    log_request(srv, rq, duration, aborted);
    observe(srv, rq);
    atomic_fetch_sub(&srv->bodies, rq->held);
    http_req_release(rq);
    free(rq);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

/* ---- starting and stopping ---- */

/* Refuses a database that does not exist or has no organisation, without creating it. */
static int store_ready(const char *url)
{
    const char *path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : NULL;
    struct stat sb;
    if (path && strncmp(path, "file:", 5) != 0 && stat(path, &sb) != 0)
        return vos_error_set(VOS_ENOTFOUND,
                             "%s does not exist; create it with `vos init --db %s` or load the "
                             "example with `vos demo --db %s`",
                             url, url, url);
    vos_store *st = NULL;
    int rc = vos_store_open(&st, url);
    if (rc < 0) return rc;
    vos_organisation_row *org = NULL;
    rc = vos_store_organisation_get(st, &org, 1);
    vos_organisation_row_free(org);
    vos_store_close(st);
    if (rc == VOS_ENOTFOUND)
        return vos_error_set(VOS_ENOTFOUND,
                             "%s is not initialised; run `vos init --db %s` or `vos demo --db %s` "
                             "first",
                             url, url, url);
    return rc;
}

typedef struct http_listen {
    struct sockaddr_storage addr;
    char host[HTTP_HOST_MAX];
    bool v6;
} http_listen;

/* "HOST:PORT", "[V6]:PORT", ":PORT" (every interface) or "PORT" (loopback). */
static int parse_listen(http_listen *out, const char *listen)
{
    char host[HTTP_HOST_MAX] = "127.0.0.1";
    const char *port = listen;
    const char *colon = strrchr(listen, ':');
    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (!close || close[1] != ':' || (size_t)(close - listen - 1) >= sizeof host)
            return vos_error_set(VOS_EINVALID, "--listen '%s' is not [ADDRESS]:PORT", listen);
        memcpy(host, listen + 1, (size_t)(close - listen - 1));
        host[close - listen - 1] = '\0';
        port = close + 2;
    } else if (colon) {
        if ((size_t)(colon - listen) >= sizeof host)
            return vos_error_set(VOS_EINVALID, "--listen '%s': host too long", listen);
        memcpy(host, listen, (size_t)(colon - listen));
        host[colon - listen] = '\0';
        if (!*host) snprintf(host, sizeof host, "0.0.0.0");
        port = colon + 1;
    }
    char *end;
    long p = strtol(port, &end, 10);
    if (!*port || *end || p < 0 || p > 65535)
        return vos_error_set(VOS_EINVALID, "--listen '%s': the port must be 0..65535", listen);
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV | AI_PASSIVE};
    struct addrinfo *res = NULL;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0 || !res)
        return vos_error_set(VOS_EINVALID, "--listen '%s': %s", listen, gai_strerror(gai));
    memset(out, 0, sizeof *out);
    memcpy(&out->addr, res->ai_addr, res->ai_addrlen);
    out->v6 = res->ai_family == AF_INET6;
    freeaddrinfo(res);
    snprintf(out->host, sizeof out->host, out->v6 ? "[%s]" : "%s", host);
    return 0;
}

static int write_port_file(const char *path, unsigned port)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) return vos_error_set(VOS_ERROR, "%s: %s", tmp, strerror(errno));
    fprintf(f, "%u\n", port);
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        return vos_error_set(VOS_ERROR, "%s: %s", path, strerror(errno));
    return 0;
}

static unsigned cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

static struct MHD_Daemon *start_daemon(http_server *srv, const http_listen *l, unsigned threads)
{
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | (l->v6 ? MHD_USE_IPv6 : 0);
    return MHD_start_daemon(
        flags, 0, NULL, NULL, on_access, srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL,
        MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&l->addr, MHD_OPTION_THREAD_POOL_SIZE,
        threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)VOS_HTTP_TIMEOUT_S,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)HTTP_CONNECTIONS_MAX, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_END);
}

/* Stops accepting, waits (bounded) for the requests in flight, then stops the workers. */
static void stop_daemon(http_server *srv, struct MHD_Daemon *d)
{
    atomic_store(&srv->stopping, true);
    MHD_socket fd = MHD_quiesce_daemon(d);
    if (fd != MHD_INVALID_SOCKET) close(fd);
    uint64_t deadline = http_now_ns() + (uint64_t)HTTP_DRAIN_S * 1000000000u;
    struct timespec pause = {0, HTTP_DRAIN_POLL_NS};
    while (atomic_load(&srv->in_flight) > 0 && http_now_ns() < deadline)
        nanosleep(&pause, NULL);
    MHD_stop_daemon(d);
}

/* Opens the workers' database handles before listening, so that a bad database fails now. */
static int pool_fill(http_server *srv, unsigned n)
{
    for (unsigned i = 0; i < n && srv->pool.n_free < srv->pool.cap; i++) {
        vos_app *app = NULL;
        int rc = vos_app_open(&app, srv->cfg->db_url);
        if (rc < 0) return rc;
        srv->pool.free[srv->pool.n_free++] = app;
    }
    return 0;
}

int vos_http_serve(const vos_http_config *cfg)
{
    vos_http_config c = *cfg;
    if (!c.listen || !*c.listen) c.listen = "127.0.0.1:8080";
    if (!c.threads) c.threads = cpu_count();
    if (sodium_init() < 0) return vos_error_set(VOS_ERROR, "libsodium could not start");
    http_listen l;
    int rc = parse_listen(&l, c.listen);
    if (rc < 0 || (rc = store_ready(c.db_url)) < 0) return rc;
    http_server srv;
    if ((rc = http_server_init(&srv, &c)) < 0) return rc;
    if ((rc = pool_fill(&srv, c.threads)) < 0) goto out;

    sigset_t stop_signals, old;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, &old); /* the workers inherit the mask */
    struct sigaction ign = {.sa_handler = SIG_IGN};
    sigaction(SIGPIPE, &ign, NULL);
    http_jobs *jobs = NULL; /* alert evaluation and webhook delivery (jobs.h) */
    rc = http_jobs_start(&jobs, c.db_url, c.evaluate_every_s, c.deliver_every_s);
    struct MHD_Daemon *d = rc < 0 ? NULL : start_daemon(&srv, &l, c.threads);
    if (!d) {
        if (rc == 0)
            rc = vos_error_set(VOS_ERROR, "cannot listen on %s: %s", c.listen,
                               errno ? strerror(errno) : "libmicrohttpd refused the options");
        http_jobs_stop(jobs);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        goto out;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = di ? di->port : 0;
    fprintf(stderr, "listening on http://%s:%u\n", l.host, port);
    if (c.port_file && (rc = write_port_file(c.port_file, port)) < 0) {
        http_jobs_stop(jobs);
        stop_daemon(&srv, d);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        goto out;
    }
    int sig = 0;
    while (sigwait(&stop_signals, &sig) != 0)
        ;
    char extra[64];
    snprintf(extra, sizeof extra, "\"signal\":%d,\"in_flight\":%ld", sig,
             atomic_load(&srv.in_flight));
    http_log("info", "stopping", extra);
    http_jobs_stop(jobs);
    stop_daemon(&srv, d);
    http_log("info", "stopped", NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    rc = 0;
out:
    http_server_fini(&srv);
    return rc;
}
