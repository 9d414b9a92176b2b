/* Aligned text tables for the command line. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_CELL_MAX 1024 /* bytes of one cell; longer text is cut */
#define TABLE_GAP 2         /* spaces between columns */

void cli_table_init(cli_table *t, size_t n_cols, unsigned right)
{
    memset(t, 0, sizeof *t);
    t->n_cols = n_cols;
    t->right = right;
}

void cli_table_cell(cli_table *t, const char *fmt, ...)
{
    if (t->oom) return;
    if (t->n_cells == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 64;
        char **cells = realloc(t->cells, ncap * sizeof *cells);
        if (!cells) {
            t->oom = 1;
            return;
        }
        t->cells = cells;
        t->cap = ncap;
    }
    char buf[TABLE_CELL_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *s = strdup(buf);
    if (!s) {
        t->oom = 1;
        return;
    }
    t->cells[t->n_cells++] = s;
}

/* Width of UTF-8 text in characters (continuation bytes do not count). */
static size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* Prints one row: cells padded to the column widths, without trailing blanks. */
static void print_row(FILE *to, const cli_table *t, char *const *cells, size_t n,
                      const size_t *width)
{
    size_t blanks = 0; /* owed before the next text */
    for (size_t c = 0; c < n; c++) {
        size_t pad = width[c] - text_width(cells[c]);
        int right = (t->right >> c) & 1u;
        if (c > 0) blanks += TABLE_GAP;
        if (right) blanks += pad;
        if (*cells[c]) {
            fprintf(to, "%*s%s", (int)blanks, "", cells[c]);
            blanks = 0;
        }
        if (!right) blanks += pad;
    }
    fputc('\n', to);
}

int cli_table_print(FILE *to, const cli_table *t)
{
    if (t->oom) {
        fprintf(stderr, "vos: out of memory\n");
        return CLI_FAILED;
    }
    size_t nc = t->n_cols, width[CLI_TABLE_COLS_MAX] = {0};
    for (size_t i = 0; i < t->n_cells; i++) {
        size_t w = text_width(t->cells[i]);
        if (w > width[i % nc]) width[i % nc] = w;
    }
    for (size_t i = 0; i < t->n_cells; i += nc) {
        size_t n = t->n_cells - i < nc ? t->n_cells - i : nc;
        print_row(to, t, t->cells + i, n, width);
    }
    return CLI_OK;
}

void cli_table_free(cli_table *t)
{
    for (size_t i = 0; i < t->n_cells; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}
