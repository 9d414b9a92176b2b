/* The web UI's files (src/http/static.c) without a socket: which requests are the UI's, media
 * types and cache headers, ETag and 304, the single-page fallback, and no way out of the root
 * by "..", hidden files or symlinks. */
#include "http/static.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_SIZE 512
#define DIR_SIZE 64 /* "/tmp/vos-static-XXXXXX" */

static char dir[DIR_SIZE];   /* the test's directory: web/ (the root) and outside/ */
static char root[PATH_SIZE]; /* dir/web */
static vos_http_config cfg;
static http_server srv;
static vos_req R;

static void path_of(char *out, const char *rel)
{
    snprintf(out, PATH_SIZE, "%s/%s", dir, rel);
}

static void put(const char *rel, const char *text)
{
    char p[PATH_SIZE];
    path_of(p, rel);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/vos-static-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char p[PATH_SIZE];
    path_of(root, "web");
    mkdir(root, 0755);
    path_of(p, "web/assets");
    mkdir(p, 0755);
    path_of(p, "outside");
    mkdir(p, 0755);
    put("web/index.html", "<!doctype html><div id=\"app\"></div>");
    put("web/assets/app-1234.js", "console.log(1)");
    put("web/assets/app-1234.css", "body{}");
    put("web/favicon.svg", "<svg/>");
    put("web/.env", "SECRET=hidden");
    put("outside/secret.txt", "outside-secret");
    char target[PATH_SIZE];
    path_of(target, "outside/secret.txt");
    path_of(p, "web/leak.txt");
    ck_assert_int_eq(symlink(target, p), 0);
    path_of(p, "web/assets/leak.js");
    ck_assert_int_eq(symlink("../../outside/secret.txt", p), 0);
    memset(&cfg, 0, sizeof cfg);
    cfg.web_root = root;
    memset(&srv, 0, sizeof srv);
    srv.cfg = &cfg;
}

static void teardown(void)
{
    static const char *const files[] = {"web/leak.txt",
                                        "web/assets/leak.js",
                                        "web/index.html",
                                        "web/assets/app-1234.js",
                                        "web/assets/app-1234.css",
                                        "web/favicon.svg",
                                        "web/.env",
                                        "outside/secret.txt"};
    static const char *const dirs[] = {"web/assets", "web", "outside"};
    char p[PATH_SIZE];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        path_of(p, files[i]);
        unlink(p);
    }
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        path_of(p, dirs[i]);
        rmdir(p);
    }
    rmdir(dir);
}

/* Serves method + path (with an optional If-None-Match) into R; returns whether the UI took
 * the request.  The caller releases R. */
static bool ask(const char *method, const char *path, const char *if_none_match)
{
    http_req_init(&R, NULL);
    http_req_set(&R, method, path);
    if (if_none_match) http_req_add(&R, &R.headers, "If-None-Match", if_none_match);
    if (!http_static_wants(&srv, &R)) return false;
    http_static_serve(&srv, &R);
    http_reply_finalize(&R);
    return true;
}

static const char *header(const char *name)
{
    for (const http_header *h = R.headers_out; h; h = h->next)
        if (strcasecmp(h->name, name) == 0) return h->value;
    return NULL;
}

static const char *body(void)
{
    return R.out ? R.out : "";
}

START_TEST(only_ui_paths_and_reads)
{
    static const char *const api[] = {"/api",     "/api/",    "/api/v1/cases",
                                      "/healthz", "/metrics", "/healthz/x"};
    for (size_t i = 0; i < sizeof api / sizeof *api; i++) {
        ck_assert_msg(!ask("GET", api[i], NULL), "%s is not the UI's", api[i]);
        http_req_release(&R);
    }
    ck_assert(!ask("POST", "/", NULL));
    http_req_release(&R);
    ck_assert(ask("GET", "/apis", NULL)); /* only /api itself and below */
    http_req_release(&R);
    ck_assert(ask("HEAD", "/", NULL));
    http_req_release(&R);
    cfg.web_root = NULL;
    ck_assert(!ask("GET", "/", NULL));
    http_req_release(&R);
}
END_TEST

START_TEST(files_with_media_type_and_cache)
{
    ck_assert(ask("GET", "/", NULL));
    ck_assert_int_eq(R.status, 200);
    ck_assert_str_eq(R.content_type, "text/html; charset=utf-8");
    ck_assert_str_eq(header("Cache-Control"), "no-cache");
    ck_assert_ptr_nonnull(strstr(body(), "id=\"app\""));
    http_req_release(&R);

    ck_assert(ask("GET", "/assets/app-1234.js", NULL));
    ck_assert_int_eq(R.status, 200);
    ck_assert_str_eq(R.content_type, "text/javascript; charset=utf-8");
    ck_assert_str_eq(header("Cache-Control"), "public, max-age=31536000, immutable");
    ck_assert_str_eq(body(), "console.log(1)");
    http_req_release(&R);

    ck_assert(ask("GET", "/assets/app-1234.css", NULL));
    ck_assert_str_eq(R.content_type, "text/css; charset=utf-8");
    http_req_release(&R);

    ck_assert(ask("GET", "/favicon.svg", NULL));
    ck_assert_str_eq(R.content_type, "image/svg+xml");
    ck_assert_str_eq(header("Cache-Control"), "no-cache");
    http_req_release(&R);
}
END_TEST

START_TEST(etag_and_not_modified)
{
    ck_assert(ask("GET", "/assets/app-1234.js", NULL));
    const char *etag = header("ETag");
    ck_assert_ptr_nonnull(etag);
    char kept[128];
    snprintf(kept, sizeof kept, "%s", etag);
    http_req_release(&R);
    ck_assert(ask("GET", "/assets/app-1234.js", kept));
    ck_assert_int_eq(R.status, 304);
    ck_assert_uint_eq(R.out_len, 0);
    ck_assert_str_eq(header("ETag"), kept);
    http_req_release(&R);
    ck_assert(ask("GET", "/assets/app-1234.js", "\"other\""));
    ck_assert_int_eq(R.status, 200);
    http_req_release(&R);
}
END_TEST

START_TEST(single_page_fallback)
{
    static const char *const screens[] = {"/cases/12", "/models/x", "/portal", "/a/b/c/d"};
    for (size_t i = 0; i < sizeof screens / sizeof *screens; i++) {
        ck_assert(ask("GET", screens[i], NULL));
        ck_assert_int_eq(R.status, 200);
        ck_assert_str_eq(R.content_type, "text/html; charset=utf-8");
        ck_assert_str_eq(header("Cache-Control"), "no-cache");
        http_req_release(&R);
    }
    /* a missing asset is not the application page */
    ck_assert(ask("GET", "/assets/gone-9999.js", NULL));
    ck_assert_int_eq(R.status, 404);
    ck_assert_str_eq(R.content_type, "application/problem+json");
    http_req_release(&R);
    /* a directory is not a file */
    ck_assert(ask("GET", "/assets", NULL));
    ck_assert_str_eq(R.content_type, "text/html; charset=utf-8");
    http_req_release(&R);
}
END_TEST

START_TEST(no_way_out_of_the_root)
{
    /* paths as libmicrohttpd hands them over: already percent-decoded */
    static const char *const bad[] = {"/../outside/secret.txt",
                                      "/assets/../../outside/secret.txt",
                                      "/./index.html",
                                      "/..",
                                      "/.env",
                                      "/assets/.hidden",
                                      "/..\\..\\outside",
                                      "/a\x01b",
                                      "relative"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert(ask("GET", bad[i], NULL));
        ck_assert_msg(R.status == 404, "%s: %d", bad[i], R.status);
        ck_assert_ptr_null(strstr(body(), "outside-secret"));
        ck_assert_ptr_null(strstr(body(), "SECRET"));
        http_req_release(&R);
    }
    /* symlinks that resolve outside the root are never followed */
    ck_assert(ask("GET", "/leak.txt", NULL));
    ck_assert_ptr_null(strstr(body(), "outside-secret"));
    ck_assert_str_eq(R.content_type, "text/html; charset=utf-8"); /* the application page */
    http_req_release(&R);
    ck_assert(ask("GET", "/assets/leak.js", NULL));
    ck_assert_int_eq(R.status, 404);
    ck_assert_ptr_null(strstr(body(), "outside-secret"));
    http_req_release(&R);
}
END_TEST

START_TEST(missing_index_and_root)
{
    char p[PATH_SIZE];
    path_of(p, "web/index.html");
    unlink(p);
    ck_assert(ask("GET", "/cases/1", NULL));
    ck_assert_int_eq(R.status, 404);
    ck_assert_ptr_nonnull(strstr(body(), "build-web.sh"));
    http_req_release(&R);
    cfg.web_root = "/nonexistent/vos-web-root";
    ck_assert(ask("GET", "/", NULL));
    ck_assert_int_eq(R.status, 500);
    http_req_release(&R);
}
END_TEST

Suite *vos_test_http_static_suite(void)
{
    Suite *s = suite_create("http_static");
    TCase *tc = tcase_create("static");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, only_ui_paths_and_reads);
    tcase_add_test(tc, files_with_media_type_and_cache);
    tcase_add_test(tc, etag_and_not_modified);
    tcase_add_test(tc, single_page_fallback);
    tcase_add_test(tc, no_way_out_of_the_root);
    tcase_add_test(tc, missing_index_and_root);
    suite_add_tcase(s, tc);
    return s;
}
