#include "vos/error.h"
#include "vos/limits.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_msg[VOS_ERROR_MSG_MAX];

int vos_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_msg, sizeof last_msg, fmt, ap);
    va_end(ap);
    return code;
}

const char *vos_error_last(void)
{
    return last_msg;
}

const char *vos_error_name(int code)
{
    switch (code) {
    case VOS_OK: return "ok";
    case VOS_ENOTFOUND: return "not found";
    case VOS_EINVALID: return "invalid";
    case VOS_ECONFLICT: return "conflict";
    case VOS_EFORBIDDEN: return "forbidden";
    case VOS_ETOOLARGE: return "too large";
    case VOS_ENOMEM: return "out of memory";
    case VOS_ENUM: return "no numeric result";
    case VOS_ESTALE: return "stale";
    case VOS_EAUTH: return "not signed in";
    default: return "error";
    }
}
