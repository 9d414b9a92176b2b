/* Serving the built web UI (vos_http_config.web_root) from `vos serve`, same origin as the API.
 *
 * Any GET or HEAD whose path is not the API (/api, /api/...), /healthz or /metrics is for the
 * UI: a file under the root is sent with its media type; `/` and every path that is not a file
 * get index.html (the single-page application routes in the browser), except under /assets/,
 * where a missing file is 404.  Hashed assets under /assets/ are cached for a year
 * (immutable); everything else is revalidated (no-cache, with an ETag and 304).  Paths with a
 * `.` or `..` segment, hidden files and anything that resolves outside the root (symlinks)
 * are 404. */
#ifndef VOS_HTTP_STATIC_H
#define VOS_HTTP_STATIC_H

#include "http/http_int.h"

#include <stdbool.h>

/* Whether the request is one for the web UI (web_root is set, GET or HEAD, not an API,
 * health or metrics path). */
bool http_static_wants(const http_server *srv, const vos_req *rq);

/* Replies to a request for the web UI: the file, 304, index.html or a 404 problem. */
void http_static_serve(const http_server *srv, vos_req *rq);

#endif
