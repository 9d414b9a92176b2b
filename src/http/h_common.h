/* Helpers shared by the resource handlers (h_*.c): reading fields of a checked JSON body,
 * filters of list queries, times, and writing pages of rows.  Nothing here decides anything
 * of the domain: that is the app layer's. */
#ifndef VOS_H_COMMON_H
#define VOS_H_COMMON_H

#include "http/http.h"
#include "render/render.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define H_API "/api/v1"
#define H_N(a) (sizeof(a) / sizeof((a)[0])) /* elements of an array */

/* ---- fields of a body that vos_req_json / vos_req_check accepted ---- */

/* Whether the field is present and not null. */
bool h_has(json_t *obj, const char *key);
/* A string field (borrowed from the body), or NULL when absent or null. */
const char *h_str(json_t *obj, const char *key);
/* An integer field, or `dflt` when absent or null. */
int64_t h_int(json_t *obj, const char *key, int64_t dflt);
/* A number field, or NAN when absent or null. */
double h_num(json_t *obj, const char *key);
/* A string field copied into the request's memory (the store wants char *), or NULL. */
char *h_dup(vos_req *rq, json_t *obj, const char *key);

/* A time for the store, "YYYY-MM-DDTHH:MM:SS.mmmZ", from an RFC 3339 UTC time with any
 * fraction (kept to the millisecond) or a date "YYYY-MM-DD" (midnight UTC).  Returns false
 * when `in` is neither. */
bool h_stamp(char out[VOS_STAMP_SIZE], const char *in);

/* ---- list queries ---- */

/* Adds "field = id" to q when the query argument `name` is given (a whole number >= 1);
 * replies 400 otherwise (negative return). */
int h_filter_id(vos_req *rq, vos_store_query *q, const char *name, const char *field);
/* Adds "field = text" when the query argument `name` is given. */
void h_filter_text(vos_req *rq, vos_store_query *q, const char *name, const char *field);
/* Adds "field = value" for the enumeration `field` of entity `e` given by name in the query
 * argument `name`; another name is a 400 listing the names the store knows. */
int h_filter_enum(vos_req *rq, vos_store_query *q, const char *name, vos_entity e,
                  const char *field);
/* Adds "field cmp time" for a time argument (h_stamp); 400 when malformed. */
int h_filter_time(vos_req *rq, vos_store_query *q, const char *name, const char *field,
                  vos_store_cmp cmp);
/* A boolean query argument: absent -> false; "true"/"1" -> true, "false"/"0" -> false; else
 * 400 (negative return). */
int h_query_bool(vos_req *rq, const char *name, bool *out);

/* Replies a page of rows[0..n) rendered by `render`, at most `page` of them; when more follow
 * (n > page) `next` is the id of the last row written (`id_of` reads it). */
typedef void (*h_render_fn)(vos_jw *w, const void *row);
typedef int64_t (*h_id_fn)(const void *row);
void h_page(vos_req *rq, const void *rows, size_t n, size_t size, size_t page, h_render_fn render,
            h_id_fn id_of);

/* Defines `static void NAME_item(vos_jw *, const void *)` and `static int64_t NAME_id(const
 * void *)` for rows of type ROW rendered by RENDER, with the cursor field KEY. */
#define H_ROW_FNS(NAME, ROW, RENDER, KEY)                                                          \
    static void NAME##_item(vos_jw *w, const void *row)                                            \
    {                                                                                              \
        RENDER(w, (const ROW *)row);                                                               \
    }                                                                                              \
    static int64_t NAME##_id(const void *row)                                                      \
    {                                                                                              \
        return ((const ROW *)row)->KEY;                                                            \
    }

/* vos_reply_error, and when the app refused the body `body` (VOS_EINVALID) with a message that
 * names one of its `fields` (as a word), that field is named in the problem's errors too: the
 * first one the message names, or with `absent_first` the first one named that the body lacks
 * if any ("a user with role customer needs an account_id"). */
int h_reply_error(vos_req *rq, int rc, json_t *body, const vos_field *fields, size_t n,
                  bool absent_first);

/* Replies 422 with a field problem when the app refused a row of a batch: the message of the
 * app names the row as "<what> N: ..." (N from 1); the problem names it "<array>[N-1]". */
int h_batch_error(vos_req *rq, int rc, const char *what, const char *array);

#endif
