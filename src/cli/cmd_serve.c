/* vos serve: the HTTP API (docs/api.md). */
#include "cli.h"

#include "http/http.h"
#include "vos/error.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SERVE_LISTEN_DEFAULT "127.0.0.1:8080"
#define SERVE_THREADS_MAX 256
#define PERIOD_MAX_S (366.0 * 24 * 3600) /* --evaluate-every, --deliver-every at most */
#define SERVE_WEB_ROOT_DEFAULT "web/dist" /* the built web UI, when the directory exists */

static const char serve_help[] =
    "usage: vos serve [--listen HOST:PORT] [--db URL] [--threads N] [--secure-cookies]\n"
    "                 [--port-file FILE] [--rate N] [--burst N] [--login-rate N] [--quiet]\n"
    "                 [--web-root DIR | --no-web] [--evaluate-every MINUTES]\n"
    "                 [--deliver-every SECONDS]\n"
    "       vos serve --print-openapi | --print-routes\n"
    "\n"
    "Serves the VOS API (REST + JSON under /api/v1, docs/api.md) until SIGTERM or SIGINT,\n"
    "then stops accepting, finishes the requests in flight and exits 0.  Writes one JSON log\n"
    "line per request to stderr.  The database must be initialised (vos init or vos demo).\n"
    "\n"
    "options:\n"
    "  --listen HOST:PORT  the address (default 127.0.0.1:8080; port 0 picks a free port;\n"
    "                      [::1]:8080 for IPv6, :8080 for every IPv4 interface)\n"
    "  --db URL            the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  --threads N         worker threads (default: the number of CPUs)\n"
    "  --secure-cookies    mark the session cookie Secure (behind a TLS proxy)\n"
    "  --port-file FILE    write the bound port to FILE once listening\n"
    "  --rate N            requests per second per user or client address (default 50)\n"
    "  --burst N           requests above the rate in a burst (default 200)\n"
    "  --login-rate N      sign-in attempts per minute per client address (default 10)\n"
    "  --quiet             log failed requests only\n"
    "  --evaluate-every MINUTES\n"
    "                      evaluate the alerts of every committed case at start and then\n"
    "                      this often (default 15; 0 never)\n"
    "  --deliver-every SECONDS\n"
    "                      send the webhook events that are due this often (default 5; 0\n"
    "                      never)\n"
    "  --web-root DIR      serve the built web UI from DIR at / (default: web/dist when that\n"
    "                      directory exists; docs/web.md)\n"
    "  --no-web            serve the API only\n"
    "  --print-openapi     print the OpenAPI 3.1 document and exit\n"
    "  --print-routes      print the route table (Markdown) and exit\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit status: 0 stopped by a signal (or printed), 1 the database is not initialised,\n"
    "2 usage, 3 the server could not start.\n";

/* A number > 0 (rates) or a whole number in [1, max] (threads). */
static int parse_positive(double *out, const char *opt, const char *text, double max)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (!*text || *end || errno || !(v > 0) || v > max || !isfinite(v)) {
        fprintf(stderr, "vos serve: %s must be a number > 0 and <= %g, not '%s'\n", opt, max, text);
        return -1;
    }
    *out = v;
    return 0;
}

static bool is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The directory of the web UI: --web-root (which must be a directory), none with --no-web,
 * else web/dist when it exists. */
static int web_root_choose(const char **out, const char *given, int no_web)
{
    *out = NULL;
    if (no_web && given) {
        fprintf(stderr, "vos serve: --web-root and --no-web exclude each other\n");
        return -1;
    }
    if (no_web) return 0;
    if (given) {
        if (!is_dir(given)) {
            fprintf(stderr,
                    "vos serve: --web-root '%s' is not a directory (build the web UI "
                    "with scripts/build-web.sh)\n",
                    given);
            return -1;
        }
        *out = given;
    } else if (is_dir(SERVE_WEB_ROOT_DEFAULT)) {
        *out = SERVE_WEB_ROOT_DEFAULT;
    }
    return 0;
}

/* A period of the background work: a number >= 0 of `unit` seconds, 0 for never (the
 * configuration's negative); at most a year. */
static int parse_period(double *out, const char *opt, const char *text, double unit)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (!*text || *end || errno || !(v >= 0) || v * unit > PERIOD_MAX_S) {
        fprintf(stderr, "vos serve: %s must be a number >= 0 (0: never), not '%s'\n", opt, text);
        return -1;
    }
    *out = v == 0 ? -1 : v * unit;
    return 0;
}

static int print_text(int (*make)(char **, size_t *))
{
    char *text = NULL;
    size_t len = 0;
    int rc = make(&text, &len);
    if (rc < 0) return cli_fail("vos serve", rc);
    fwrite(text, 1, len, stdout);
    if (len && text[len - 1] != '\n') putchar('\n');
    free(text);
    return CLI_OK;
}

int vos_cmd_serve(int argc, char **argv)
{
    const char *listen = SERVE_LISTEN_DEFAULT, *db = NULL, *threads = NULL, *port_file = NULL;
    const char *rate = NULL, *burst = NULL, *login = NULL, *web_root = NULL;
    const char *evaluate = NULL, *deliver = NULL;
    int secure = 0, print_openapi = 0, print_routes = 0, quiet = 0, no_web = 0;
    cli_option opts[] = {
        {"--listen", &listen, NULL, NULL, 0},
        {"--db", &db, NULL, NULL, 0},
        {"--threads", &threads, NULL, NULL, 0},
        {"--port-file", &port_file, NULL, NULL, 0},
        {"--rate", &rate, NULL, NULL, 0},
        {"--burst", &burst, NULL, NULL, 0},
        {"--login-rate", &login, NULL, NULL, 0},
        {"--evaluate-every", &evaluate, NULL, NULL, 0},
        {"--deliver-every", &deliver, NULL, NULL, 0},
        {"--web-root", &web_root, NULL, NULL, 0},
        {"--no-web", NULL, &no_web, NULL, 0},
        {"--secure-cookies", NULL, &secure, NULL, 0},
        {"--quiet", NULL, &quiet, NULL, 0},
        {"--print-openapi", NULL, &print_openapi, NULL, 0},
        {"--print-routes", NULL, &print_routes, NULL, 0},
    };
    cli_args a = {"vos serve", serve_help, opts, sizeof opts / sizeof *opts, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    if (print_openapi) return print_text(vos_http_openapi);
    if (print_routes) return print_text(vos_http_routes_markdown);

    vos_http_config cfg = {.listen = listen,
                           .db_url = cli_db_url(db),
                           .secure_cookies = secure,
                           .port_file = port_file,
                           .quiet = quiet};
    if (web_root_choose(&cfg.web_root, web_root, no_web) < 0) return CLI_USAGE;
    double v;
    if (threads) {
        if (parse_positive(&v, "--threads", threads, SERVE_THREADS_MAX) < 0) return CLI_USAGE;
        if (v != floor(v)) {
            fprintf(stderr, "vos serve: --threads must be a whole number, not '%s'\n", threads);
            return CLI_USAGE;
        }
        cfg.threads = (unsigned)v;
    }
    if (rate && parse_positive(&cfg.rate_per_s, "--rate", rate, 1e9) < 0) return CLI_USAGE;
    if (burst && parse_positive(&cfg.rate_burst, "--burst", burst, 1e9) < 0) return CLI_USAGE;
    if (login && parse_positive(&cfg.login_per_min, "--login-rate", login, 1e9) < 0)
        return CLI_USAGE;
    if (evaluate && parse_period(&cfg.evaluate_every_s, "--evaluate-every", evaluate, 60) < 0)
        return CLI_USAGE;
    if (deliver && parse_period(&cfg.deliver_every_s, "--deliver-every", deliver, 1) < 0)
        return CLI_USAGE;
    rc = vos_http_serve(&cfg);
    if (rc == VOS_EINVALID) {
        fprintf(stderr, "vos serve: %s\n", vos_error_last());
        return CLI_USAGE;
    }
    if (rc < 0) {
        fprintf(stderr, "vos serve: %s\n", vos_error_last());
        return rc == VOS_ENOTFOUND || rc == VOS_ECONFLICT ? CLI_PROBLEMS : CLI_FAILED;
    }
    return CLI_OK;
}
