/* A streaming JSON writer into a bounded buffer.
 *
 * Numbers are written in their shortest round-trip form (vos_num_shortest), so 0.1 stays 0.1;
 * non-finite numbers are written as null.  Strings are escaped per RFC 8259 (UTF-8 passes
 * through).  Commas are placed automatically.  Errors (buffer over `max` bytes, nesting over
 * VOS_JSONW_DEPTH, out of memory) are sticky and reported by vos_jw_finish. */
#ifndef VOS_JSONW_H
#define VOS_JSONW_H

#include <stddef.h>

#define VOS_JSONW_DEPTH 32

typedef struct vos_jw {
    char *buf;
    size_t len, cap, max;
    int err;                         /* 0, VOS_ETOOLARGE or VOS_ENOMEM */
    int depth;
    int count[VOS_JSONW_DEPTH + 1];  /* values written at each depth */
    char close[VOS_JSONW_DEPTH + 1]; /* the bracket that closes each open level */
    int after_key;
} vos_jw;

void vos_jw_init(vos_jw *w, size_t max);
void vos_jw_object(vos_jw *w);     /* { */
void vos_jw_array(vos_jw *w);      /* [ */
void vos_jw_end(vos_jw *w);        /* } or ] */
void vos_jw_key(vos_jw *w, const char *key);
void vos_jw_string(vos_jw *w, const char *s);
void vos_jw_number(vos_jw *w, double x);
void vos_jw_integer(vos_jw *w, long long x);
void vos_jw_bool(vos_jw *w, int b);
void vos_jw_null(vos_jw *w);
/* Writes `nums` as an array of numbers. */
void vos_jw_numbers(vos_jw *w, const double *nums, size_t n);

/* On success returns 0 and hands over the NUL-terminated text (*out, caller frees) and its
 * length; the writer is reset.  Otherwise returns the sticky error and frees the buffer. */
int vos_jw_finish(vos_jw *w, char **out, size_t *len);
void vos_jw_free(vos_jw *w);

#endif
