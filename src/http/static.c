/* The web UI's files (static.h): media types, cache headers, ETag/304, the single-page
 * application fallback to index.html, and no way out of the root. */
#define _XOPEN_SOURCE 700 /* realpath() is an XSI function */
#include "http/static.h"

#include "vos/error.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATIC_ASSETS "/assets/"   /* hashed file names: cached for good */
#define STATIC_INDEX "/index.html" /* the application's page */
#define STATIC_FILE_MAX ((size_t)VOS_HTTP_REPLY_MAX)
#define STATIC_CACHE_IMMUTABLE "public, max-age=31536000, immutable"
#define STATIC_CACHE_REVALIDATE "no-cache"
#define STATIC_ETAG_MAX 64

static const struct {
    const char *ext, *type;
} media_types[] = {
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"txt", "text/plain; charset=utf-8"},
    {"wasm", "application/wasm"},
};

static const char *media_type(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof media_types / sizeof *media_types; i++)
            if (strcasecmp(dot + 1, media_types[i].ext) == 0) return media_types[i].type;
    return "application/octet-stream";
}

/* Whether `path` is `prefix` itself or below it ("/api" and "/api/v1", not "/apis"). */
static bool under(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

bool http_static_wants(const http_server *srv, const vos_req *rq)
{
    const char *root = srv->cfg ? srv->cfg->web_root : NULL;
    if (!root || !*root) return false;
    if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) return false;
    return !under(rq->path, "/api") && !under(rq->path, "/healthz") && !under(rq->path, "/metrics");
}

/* An absolute path (already percent-decoded by libmicrohttpd) whose segments are all plain
 * names: no "." or "..", no hidden files, no control characters or backslashes. */
static bool path_plain(const char *path)
{
    if (path[0] != '/') return false;
    for (const char *seg = path + 1; *seg;) {
        size_t n = strcspn(seg, "/");
        if (n > 0 && seg[0] == '.') return false; /* ".", "..", ".git", ".env" */
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)seg[i] < 0x20 || seg[i] == '\\' || seg[i] == 0x7f) return false;
        seg += n;
        if (*seg == '/') seg++;
    }
    return true;
}

/* The real path of root + rel when it is a regular file inside root (symlinks resolved and
 * checked), else NULL.  OUT: a malloc'ed path. */
static char *resolve(const char *root, const char *rel)
{
    size_t n = strlen(root) + strlen(rel) + 1;
    char *joined = malloc(n);
    if (!joined) return NULL;
    snprintf(joined, n, "%s%s", root, rel);
    char *real = realpath(joined, NULL);
    free(joined);
    if (!real) return NULL;
    size_t rn = strlen(root);
    struct stat sb;
    if (strncmp(real, root, rn) != 0 || real[rn] != '/' || stat(real, &sb) != 0 ||
        !S_ISREG(sb.st_mode)) {
        free(real);
        return NULL;
    }
    return real;
}

/* Whether If-None-Match names the ETag (or is "*"). */
static bool not_modified(vos_req *rq, const char *etag)
{
    const char *inm = vos_req_header(rq, "If-None-Match");
    if (!inm) return false;
    if (strcmp(inm, "*") == 0) return true;
    return strstr(inm, etag) != NULL;
}

/* Reads the whole file (at most STATIC_FILE_MAX bytes).  OUT: *out (malloc'ed), *len. */
static int read_file(int fd, size_t size, char **out, size_t *len)
{
    char *buf = malloc(size ? size : 1);
    if (!buf) return vos_error_set(VOS_ENOMEM, "out of memory reading a web file");
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    *out = buf;
    *len = got;
    return 0;
}

/* Sends one file with its media type, ETag and Cache-Control, or 304. */
static void send_file(vos_req *rq, const char *file, const char *cache)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0) close(fd);
        vos_reply_problem(rq, 404, "no file at %s", rq->path);
        return;
    }
    if ((uintmax_t)sb.st_size > STATIC_FILE_MAX) {
        close(fd);
        http_reply_internal(rq, "a file of the web root is larger than a reply may be");
        return;
    }
    char etag[STATIC_ETAG_MAX];
    snprintf(etag, sizeof etag, "\"%jx-%jx-%lx\"", (uintmax_t)sb.st_size,
             (uintmax_t)sb.st_mtim.tv_sec, (unsigned long)sb.st_mtim.tv_nsec);
    if (not_modified(rq, etag)) {
        close(fd);
        vos_reply_empty(rq, 304);
    } else {
        char *body = NULL;
        size_t len = 0;
        int rc = read_file(fd, (size_t)sb.st_size, &body, &len);
        close(fd);
        if (rc < 0) {
            http_reply_internal(rq, vos_error_last());
            return;
        }
        http_reply_bytes(rq, 200, media_type(file), body, len);
        free(body);
    }
    vos_reply_header(rq, "ETag", etag);
    vos_reply_header(rq, "Cache-Control", cache);
}

void http_static_serve(const http_server *srv, vos_req *rq)
{
    char *root = realpath(srv->cfg->web_root, NULL);
    char *file = NULL;
    if (!root) {
        char what[HTTP_DETAIL_MAX];
        snprintf(what, sizeof what, "web root %s: %s", srv->cfg->web_root, strerror(errno));
        http_reply_internal(rq, what);
        return;
    }
    const char *path = rq->path;
    if (!path_plain(path)) {
        vos_reply_problem(rq, 404, "no file at %s", path);
        goto out;
    }
    bool asset = strncmp(path, STATIC_ASSETS, strlen(STATIC_ASSETS)) == 0;
    if (strcmp(path, "/") != 0) file = resolve(root, path);
    if (file) {
        send_file(rq, file, asset ? STATIC_CACHE_IMMUTABLE : STATIC_CACHE_REVALIDATE);
    } else if (asset) {
        vos_reply_problem(rq, 404, "no file at %s", path);
    } else if ((file = resolve(root, STATIC_INDEX))) {
        send_file(rq, file, STATIC_CACHE_REVALIDATE);
    } else {
        vos_reply_problem(rq, 404,
                          "the web root %s has no index.html; build the web UI with "
                          "scripts/build-web.sh",
                          srv->cfg->web_root);
    }
out:
    free(file);
    free(root);
}
