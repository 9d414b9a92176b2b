/* The database of the command line: which one, opening it, and exit statuses for errors. */
#include "cli.h"

#include "vos/app.h"
#include "vos/error.h"
#include "vos/jsonw.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cli_db_url(const char *opt)
{
    if (opt && *opt) return opt;
    const char *env = getenv(CLI_DB_ENV);
    return env && *env ? env : CLI_DB_DEFAULT;
}

void cli_url_shown(char out[CLI_URL_SHOWN_MAX], const char *url)
{
    const char *auth = strstr(url, "://");
    const char *host_end = auth ? auth + 3 + strcspn(auth + 3, "/?#") : NULL;
    const char *at = NULL;
    for (const char *c = auth ? auth + 3 : NULL; c && c < host_end; c++)
        if (*c == '@') at = c; /* the last '@' before the host ends the user information */
    const char *colon = at ? memchr(auth + 3, ':', (size_t)(at - (auth + 3))) : NULL;
    if (!colon) {
        snprintf(out, CLI_URL_SHOWN_MAX, "%s", url);
        return;
    }
    snprintf(out, CLI_URL_SHOWN_MAX, "%.*s***%s", (int)(colon + 1 - url), url, at);
}

int cli_status(int code)
{
    switch (code) {
    case VOS_OK:
        return CLI_OK;
    case VOS_EINVALID:
    case VOS_ENOTFOUND:
    case VOS_ECONFLICT:
    case VOS_ESTALE:
    case VOS_EFORBIDDEN:
    case VOS_ETOOLARGE:
    case VOS_ENUM:
        return CLI_PROBLEMS;
    default:
        return CLI_FAILED;
    }
}

int cli_fail(const char *cmd, int code)
{
    const char *msg = vos_error_last();
    fprintf(stderr, "%s: %s\n", cmd, *msg ? msg : vos_error_name(code));
    return cli_status(code);
}

int cli_app_open(vos_app **out, const char *cmd, const char *url)
{
    *out = NULL;
    int rc = vos_app_open(out, url);
    if (rc < 0) {
        const char *msg = vos_error_last();
        char shown[CLI_URL_SHOWN_MAX];
        cli_url_shown(shown, url);
        fprintf(stderr, "%s: %s: %s\n", cmd, shown, *msg ? msg : vos_error_name(rc));
        return rc == VOS_EINVALID || rc == VOS_ECONFLICT ? CLI_PROBLEMS : CLI_FAILED;
    }
    return CLI_OK;
}

int cli_parse_id(long long *out, const char *cmd, const char *what, const char *text)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (!*text || *end || errno || v < 1) {
        fprintf(stderr, "%s: %s must be a number >= 1, not '%s'\n", cmd, what, text);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_print_json(const char *cmd, vos_jw *w)
{
    char *text;
    size_t len;
    if (vos_jw_finish(w, &text, &len) < 0) {
        fprintf(stderr, "%s: %s\n", cmd, vos_error_last());
        return CLI_FAILED;
    }
    fwrite(text, 1, len, stdout);
    putchar('\n');
    free(text);
    return CLI_OK;
}
