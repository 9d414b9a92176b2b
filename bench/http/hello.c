/* The ceiling of the API benchmark: a libmicrohttpd server that answers every request with a
 * constant JSON body, started with the same daemon flags and options as `vos serve`
 * (src/http/server.c: internal polling thread, epoll, a pool of worker threads, the same
 * timeouts and limits), so that the difference to `vos serve` is what VOS does per request.
 *
 * usage: http-hello [--listen HOST:PORT] [--threads N] [--port-file FILE]
 * Runs until SIGTERM or SIGINT.  Port 0 picks a free port; the bound port is written to
 * FILE once listening. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The values of src/http: VOS_HTTP_TIMEOUT_S, HTTP_CONN_MEMORY, HTTP_CONNECTIONS_MAX. */
#define HELLO_TIMEOUT_S 30
#define HELLO_CONN_MEMORY (64 << 10)
#define HELLO_CONNECTIONS_MAX 4096
#define HELLO_THREADS_MAX 256

static const char hello_body[] = "{\"hello\":\"world\"}";

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url,
                                 const char *method, const char *version,
                                 const char *upload_data, size_t *upload_data_size,
                                 void **con_cls)
{
    (void)cls, (void)url, (void)method, (void)version, (void)upload_data;
    static int first;
    if (*con_cls == NULL) { /* the headers: wait for the body */
        *con_cls = &first;
        return MHD_YES;
    }
    if (*upload_data_size > 0) { /* body bytes: dropped */
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        sizeof hello_body - 1, (void *)hello_body, MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "application/json");
    enum MHD_Result r = MHD_queue_response(c, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return r;
}

static int usage(void)
{
    fprintf(stderr, "usage: http-hello [--listen HOST:PORT] [--threads N] [--port-file FILE]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *listen = "127.0.0.1:0", *port_file = NULL;
    long threads = sysconf(_SC_NPROCESSORS_ONLN);
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--listen") == 0)
            listen = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--threads") == 0)
            threads = strtol(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--port-file") == 0)
            port_file = argv[++i];
        else
            return usage();
    }
    if (threads < 1 || threads > HELLO_THREADS_MAX) return usage();

    char host[64] = "127.0.0.1";
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host) return usage();
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)strtol(colon + 1, NULL, 10))};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) return usage();

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    struct sigaction ign = {.sa_handler = SIG_IGN};
    sigaction(SIGPIPE, &ign, NULL);

    unsigned flags =
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_access, NULL, MHD_OPTION_SOCK_ADDR,
        (const struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HELLO_TIMEOUT_S,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HELLO_CONN_MEMORY,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)HELLO_CONNECTIONS_MAX,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "http-hello: cannot listen on %s\n", listen);
        return 3;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = di ? di->port : 0;
    fprintf(stderr, "listening on http://%s:%u (%ld threads)\n", host, port, threads);
    if (port_file) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0 || rename(tmp, port_file) != 0) {
            fprintf(stderr, "http-hello: cannot write %s\n", port_file);
            MHD_stop_daemon(d);
            return 3;
        }
    }
    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    MHD_stop_daemon(d);
    return 0;
}
