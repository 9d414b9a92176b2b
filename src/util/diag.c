#include "vos/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vos_diags_init(vos_diags *d)
{
    memset(d, 0, sizeof *d);
}

void vos_diags_add(vos_diags *d, vos_diag_severity sev, int line, int col, const char *fmt, ...)
{
    if (sev == VOS_DIAG_ERROR)
        d->n_errors++;
    else
        d->n_warnings++;
    if (d->n >= VOS_DIAG_MAX)
        return;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        vos_diag *items = realloc(d->items, cap * sizeof *items);
        if (!items)
            return; /* counted above; the message is lost, the failure is not */
        d->items = items;
        d->cap = cap;
    }
    vos_diag *g = &d->items[d->n++];
    g->severity = sev;
    g->line = line;
    g->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->msg, sizeof g->msg, fmt, ap);
    va_end(ap);
}

void vos_diags_sort(vos_diags *d)
{
    /* insertion sort: stable, and n is at most VOS_DIAG_MAX */
    for (size_t i = 1; i < d->n; i++) {
        vos_diag tmp = d->items[i];
        size_t j = i;
        while (j > 0 && (d->items[j - 1].line > tmp.line ||
                         (d->items[j - 1].line == tmp.line && d->items[j - 1].col > tmp.col))) {
            d->items[j] = d->items[j - 1];
            j--;
        }
        d->items[j] = tmp;
    }
}

void vos_diags_free(vos_diags *d)
{
    free(d->items);
    memset(d, 0, sizeof *d);
}
