/* Error reporting for libvos.
 *
 * Every fallible function returns 0 on success or a negative code.  Named codes are for
 * failures a caller is expected to handle; anything else is VOS_ERROR (-1).  The message
 * that explains the last failure on this thread is available from vos_error_last(). */
#ifndef VOS_ERROR_H
#define VOS_ERROR_H

enum {
    VOS_OK = 0,
    VOS_ERROR = -1,      /* unexpected failure (out of memory, I/O, internal) */
    VOS_ENOTFOUND = -2,  /* the named thing does not exist */
    VOS_EINVALID = -3,   /* the input is malformed or violates a rule */
    VOS_ECONFLICT = -4,  /* the operation conflicts with current state */
    VOS_EFORBIDDEN = -5, /* the actor may not do this */
    VOS_ETOOLARGE = -6,  /* a size or count limit was exceeded */
    VOS_ENOMEM = -7,     /* allocation failed */
    VOS_ENUM = -8,       /* a numeric result is undefined (e.g. IRR does not converge) */
    VOS_ESTALE = -9,     /* the thing changed since the revision the caller read */
    VOS_EAUTH = -10      /* not signed in: unknown or expired credentials */
};

/* Sets the thread's last error message (printf-style) and returns `code`, so that
 * `return vos_error_set(VOS_EINVALID, "...")` reads naturally. */
int vos_error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The message of the last error set on this thread; never NULL ("" when none). Borrowed. */
const char *vos_error_last(void);

/* A short stable name for a code: "invalid", "not found", ... */
const char *vos_error_name(int code);

#endif
