#include "cli.h"

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
