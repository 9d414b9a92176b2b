/* Diagnostics: errors and warnings with a line and column, collected so that a loader can
 * report every problem of a file at once. */
#ifndef VOS_DIAG_H
#define VOS_DIAG_H

#include "vos/limits.h"

#include <stddef.h>

typedef enum vos_diag_severity { VOS_DIAG_ERROR = 0, VOS_DIAG_WARNING } vos_diag_severity;

typedef struct vos_diag {
    vos_diag_severity severity;
    int line, col; /* 1-based; 0 when the problem concerns the whole file */
    char msg[VOS_DIAG_MSG_MAX];
} vos_diag;

typedef struct vos_diags {
    vos_diag *items; /* sorted by vos_diags_sort; at most VOS_DIAG_MAX kept */
    size_t n, cap;
    size_t n_errors, n_warnings; /* counted even past VOS_DIAG_MAX */
} vos_diags;

void vos_diags_init(vos_diags *d);
void vos_diags_add(vos_diags *d, vos_diag_severity sev, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Orders by line, then column, keeping the order of insertion among equals. */
void vos_diags_sort(vos_diags *d);
void vos_diags_free(vos_diags *d);

#endif
