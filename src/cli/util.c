#include "cli.h"

#include "vos/diag.h"
#include "vos/limits.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cli_read_file(char **out, size_t *len, const char *path, size_t max)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "vos: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    int rc = -1;
    if (!buf) {
        fprintf(stderr, "vos: %s: out of memory\n", path);
        goto out;
    }
    for (;;) {
        if (n == cap) {
            if (cap >= max + 1) {
                fprintf(stderr, "vos: %s: larger than the limit of %zu bytes\n", path, max);
                goto out;
            }
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *nbuf = realloc(buf, ncap + 1);
            if (!nbuf) {
                fprintf(stderr, "vos: %s: out of memory\n", path);
                goto out;
            }
            buf = nbuf;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                fprintf(stderr, "vos: %s: read error: %s\n", path, strerror(errno));
                goto out;
            }
            break;
        }
    }
    if (n > max) {
        fprintf(stderr, "vos: %s: larger than the limit of %zu bytes\n", path, max);
        goto out;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    if (!is_stdin)
        fclose(f);
    return rc;
}

void cli_print_diags(FILE *to, const char *file, const vos_diags *d, int warnings)
{
    for (size_t i = 0; i < d->n; i++) {
        const vos_diag *g = &d->items[i];
        if (g->severity == VOS_DIAG_WARNING && !warnings)
            continue;
        const char *sev = g->severity == VOS_DIAG_ERROR ? "error" : "warning";
        if (g->line > 0)
            fprintf(to, "%s:%d:%d: %s: %s\n", file, g->line, g->col, sev, g->msg);
        else
            fprintf(to, "%s: %s: %s\n", file, sev, g->msg);
    }
    size_t shown = d->n_errors + (warnings ? d->n_warnings : 0);
    if (shown > d->n)
        fprintf(to, "%s: ... and %zu more\n", file, shown - d->n);
}
