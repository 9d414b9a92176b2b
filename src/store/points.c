/* The points of an ingestion, hashed while they are inserted.
 *
 * An ingestion's audit snapshot holds "points" and "points_sha256": the SHA-256 of the
 * canonical JSON of each of its measurements in id order, each followed by "\n"
 * (docs/internals/store.md).  Re-reading a batch of 100,000 points to hash them when its audit
 * record is written costs as much as a third of inserting them, so the store hashes each point
 * as it inserts it instead, and the snapshot taken by the audit record uses that digest.  It is
 * used only when it provably covers every point of the ingestion in id order:
 *   - the ingestion was created by this handle in the open write transaction (so it had no
 *     points, and no other connection can write until the commit);
 *   - every point of it inserted since went through this handle's inserts (the store's only
 *     way to write a measurement), each with a higher id than the one before.
 * Otherwise (another ingestion, a transaction ended, ids out of order) the snapshot re-reads
 * the points, as vos_store_audit_verify always does: the digest is a shortcut, never a second
 * definition.  The canonical JSON is written by a direct writer that produces the bytes of
 * vos_row_json_open; the store suites compare the two on varied values.
 *
 * Writing the JSON and hashing it cost about half a microsecond a point, a sixth of a bulk
 * load, so they run beside the inserts: vos_points_add copies the point into a chunk, and
 * a full chunk (POINTS_CHUNK points) goes to a hashing thread of the ingestion while the
 * next one fills (two chunks in turn; the inserting thread waits only when the hashing one
 * is a whole chunk behind).  The digest, a new ingestion and the end of the transaction
 * first wait for the thread to finish its chunk and hash what is left in the caller's.  A
 * small ingestion never fills a chunk and starts no thread.  The thread lives no longer
 * than the ingestion's transaction. */
#include "store_int.h"

#include "vos/number.h"
#include "vos/sha256.h"

#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define POINT_JSON_MAX 2048   /* bytes of a point's JSON written directly (else vos_jw) */
#define DECIMAL_DIGITS 15     /* significant digits of the decimals written directly */
#define INT_TEXT 24           /* bytes of a 64-bit integer in decimal */
#define POINTS_CHUNK 4096     /* points handed to the hashing thread at once */
#define CHUNK_TEXT (1 << 20)  /* bytes of the texts of a chunk's points */

/* Points copied for hashing: rows whose texts live in `text`. */
typedef struct points_chunk {
    size_t n, used; /* points, bytes of text */
    vos_measurement_row rows[POINTS_CHUNK];
    char text[CHUNK_TEXT];
} points_chunk;

struct store_points {
    int64_t ingestion_id;
    int64_t last_id; /* id of the last point added */
    int64_t count;
    bool valid;
    vos_sha256 sha;      /* the SHA instructions where the processor has them; the hashing
                            thread's while it runs a chunk */
    points_chunk *fill;  /* being filled by the inserting thread */
    points_chunk *spare; /* the other chunk when no one hashes it, else NULL */
    /* the hashing thread */
    bool running;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    points_chunk *queued; /* handed over, not hashed yet */
    bool busy, quit, broken;
    bool failed; /* a point could not be written as JSON: written by whoever hashes (the
                    thread, or the inserting thread while the thread is idle) */
};

static void hash_chunk(store_points *pt, points_chunk *c);

static void *hashing_thread(void *arg)
{
    store_points *pt = arg;
    pthread_mutex_lock(&pt->mu);
    for (;;) {
        while (!pt->queued && !pt->quit)
            pthread_cond_wait(&pt->cv, &pt->mu);
        if (!pt->queued) break;
        points_chunk *c = pt->queued;
        pt->queued = NULL;
        pt->busy = true;
        pthread_mutex_unlock(&pt->mu);
        hash_chunk(pt, c);
        pthread_mutex_lock(&pt->mu);
        pt->spare = c;
        pt->busy = false;
        pthread_cond_broadcast(&pt->cv);
    }
    pthread_mutex_unlock(&pt->mu);
    return NULL;
}

/* Waits until the hashing thread has hashed every chunk handed over. */
static void drain(store_points *pt)
{
    if (!pt->running) return;
    pthread_mutex_lock(&pt->mu);
    while (pt->queued || pt->busy)
        pthread_cond_wait(&pt->cv, &pt->mu);
    pthread_mutex_unlock(&pt->mu);
}

/* Hashes every point added so far: the thread's chunks, then the one filling, here. */
static void catch_up(store_points *pt)
{
    drain(pt);
    if (pt->fill && pt->fill->n) hash_chunk(pt, pt->fill);
    if (pt->fill) pt->fill->n = pt->fill->used = 0;
}

/* Hands the full chunk to the hashing thread (started on first use; hashed here when it
 * cannot start) and takes the other one to fill. */
static void hand_over(store_points *pt)
{
    if (!pt->running && !pt->broken) {
        pt->quit = false;
        pt->running = pthread_create(&pt->thread, NULL, hashing_thread, pt) == 0;
        pt->broken = !pt->running;
    }
    if (!pt->running) {
        hash_chunk(pt, pt->fill);
        pt->fill->n = pt->fill->used = 0;
        return;
    }
    pthread_mutex_lock(&pt->mu);
    while (!pt->spare)
        pthread_cond_wait(&pt->cv, &pt->mu);
    pt->queued = pt->fill;
    pt->fill = pt->spare;
    pt->spare = NULL;
    pthread_cond_broadcast(&pt->cv);
    pthread_mutex_unlock(&pt->mu);
    pt->fill->n = pt->fill->used = 0;
}

static void stop_thread(store_points *pt)
{
    if (!pt->running) return;
    drain(pt);
    pthread_mutex_lock(&pt->mu);
    pt->quit = true;
    pthread_cond_broadcast(&pt->cv);
    pthread_mutex_unlock(&pt->mu);
    pthread_join(pt->thread, NULL);
    pt->running = false;
}

void vos_points_drop(vos_store *st)
{
    store_points *pt = st->points;
    if (!pt) return;
    stop_thread(pt);
    pthread_mutex_destroy(&pt->mu);
    pthread_cond_destroy(&pt->cv);
    free(pt->fill);
    free(pt->spare);
    free(pt);
    st->points = NULL;
}

void vos_points_start(vos_store *st, int64_t ingestion_id)
{
    store_points *pt = st->points;
    if (!pt) {
        pt = calloc(1, sizeof *pt);
        if (!pt) return; /* without a digest the snapshot re-reads the points */
        pthread_mutex_init(&pt->mu, NULL);
        pthread_cond_init(&pt->cv, NULL);
        pt->fill = malloc(sizeof *pt->fill);
        pt->spare = malloc(sizeof *pt->spare);
        st->points = pt;
        if (!pt->fill || !pt->spare) {
            vos_points_drop(st);
            return;
        }
    }
    drain(pt); /* the points of an earlier ingestion no longer count */
    pt->fill->n = pt->fill->used = 0;
    pt->ingestion_id = ingestion_id;
    pt->last_id = 0;
    pt->count = 0;
    pt->valid = true;
    pt->failed = false;
    vos_sha256_init(&pt->sha);
}

/* ---- the canonical JSON, written directly --------------------------------------------------- */

typedef struct out {
    char *p, *end;
    bool over;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->over || (size_t)(o->end - o->p) < n) {
        o->over = true;
        return;
    }
    memcpy(o->p, s, n);
    o->p += n;
}

static void put_int(out *o, int64_t v)
{
    char b[INT_TEXT];
    char *e = b + sizeof b, *q = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--q = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--q = '-';
    put(o, q, (size_t)(e - q));
}

/* A JSON string escaped as vos_jw_string does. */
static void put_string(out *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    put(o, "\"", 1);
    size_t plain = 0; /* most text needs no escape: copy its run at once */
    while ((unsigned char)s[plain] >= 0x20 && s[plain] != '"' && s[plain] != '\\')
        plain++;
    put(o, s, plain);
    s += plain;
    const char *run = s;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t n = 2;
        switch (*c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            if (*c >= 0x20) continue;
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[*c >> 4];
            esc[5] = hex[*c & 0xF];
            n = 6;
        }
        put(o, run, (size_t)((const char *)c - run));
        put(o, esc, n);
        run = (const char *)c + 1;
    }
    put(o, run, strlen(run));
    put(o, "\"", 1);
}

static const double pow10_tab[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,
                                   1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19};

/* Writes x as vos_num_shortest writes it ("%.15g") when x is the double nearest a decimal m /
 * 10^k of at most 15 significant digits with 1e-4 <= |x| < 1e15: then that decimal reads back
 * as x, so it is what %.15g prints, in fixed notation without trailing zeros.  The test
 * (double)m / 10^k == |x| is exact: m < 2^53 and 10^k (k <= 19) are doubles, so the quotient
 * is the correctly rounded value of the decimal, as strtod reads it.  Returns the length, or
 * 0 when x is not such a number (the caller then uses vos_num_shortest). */
static int decimal_text(char out_text[40], double x)
{
    double ax = fabs(x);
    if (!(ax >= 1e-4 && ax < 1e15)) return 0;
    for (int k = 0; k < (int)(sizeof pow10_tab / sizeof *pow10_tab); k++) {
        double scaled = ax * pow10_tab[k];
        if (scaled >= 1e15) return 0;
        double m = nearbyint(scaled);
        if (m == 0 || m / pow10_tab[k] != ax) continue;
        char digits[DECIMAL_DIGITS + 1];
        uint64_t u = (uint64_t)m;
        int d = 0;
        char rev[DECIMAL_DIGITS + 1];
        while (u) {
            rev[d++] = (char)('0' + u % 10);
            u /= 10;
        }
        if (k > d + 3) return 0; /* below 1e-4 after all: %g would write an exponent */
        for (int i = 0; i < d; i++)
            digits[i] = rev[d - 1 - i];
        char *q = out_text;
        if (x < 0) *q++ = '-';
        int whole = d - k; /* digits before the point */
        if (whole <= 0) {
            *q++ = '0';
        } else {
            memcpy(q, digits, (size_t)whole);
            q += whole;
        }
        int frac_end = d; /* digits of the fraction up to the last non-zero one */
        while (frac_end > (whole > 0 ? whole : 0) && digits[frac_end - 1] == '0')
            frac_end--;
        if (k > 0 && frac_end > (whole > 0 ? whole : 0)) {
            *q++ = '.';
            for (int z = whole; z < 0; z++)
                *q++ = '0';
            int from = whole > 0 ? whole : 0;
            memcpy(q, digits + from, (size_t)(frac_end - from));
            q += frac_end - from;
        }
        *q = '\0';
        return (int)(q - out_text);
    }
    return 0;
}

static void put_number(out *o, double x)
{
    char b[40];
    if (!isfinite(x)) {
        put(o, "null", 4);
        return;
    }
    int n = x == 0 ? 0 : decimal_text(b, x);
    if (n == 0) n = vos_num_shortest(b, sizeof b, x == 0 ? 0.0 : x);
    put(o, b, (size_t)n);
}

/* The canonical JSON of a row whose fields are ids, integers, references, numbers and text
 * (a measurement), into buf.  Returns its length, or 0 when the row has another kind of field
 * or does not fit (the caller then writes it with vos_row_json_open). */
static size_t point_json(char *buf, size_t size, const vos_entity_def *def, const void *row)
{
    out o = {buf, buf + size, false};
    put(&o, "{", 1);
    for (size_t i = 0; i < def->n_fields; i++) {
        const vos_field_def *f = &def->fields[i];
        const void *p = field_cptr(row, f);
        if (f->flags & VOS_FF_ADDED) return 0;
        if (i) put(&o, ",", 1);
        put_string(&o, f->name);
        put(&o, ":", 1);
        switch (f->type) {
        case VOS_FT_ID:
        case VOS_FT_INT:
            put_int(&o, *(const int64_t *)p);
            break;
        case VOS_FT_REF:
            if (*(const int64_t *)p)
                put_int(&o, *(const int64_t *)p);
            else
                put(&o, "null", 4);
            break;
        case VOS_FT_REAL:
            put_number(&o, *(const double *)p);
            break;
        case VOS_FT_TEXT:
            if (*(char *const *)p)
                put_string(&o, *(char *const *)p);
            else
                put(&o, "null", 4);
            break;
        default:
            return 0;
        }
    }
    put(&o, "}\n", 2);
    return o.over ? 0 : (size_t)(o.p - buf);
}

/* ---- the digest ----------------------------------------------------------------------------- */

/* Adds the canonical JSON of chunk c's points to the digest (after a failure, nothing). */
static void hash_chunk(store_points *pt, points_chunk *c)
{
    const vos_entity_def *def = vos_entity_def_get(VOS_ENTITY_MEASUREMENT);
    char buf[POINT_JSON_MAX];
    for (size_t i = 0; i < c->n && !pt->failed; i++) {
        const vos_measurement_row *r = &c->rows[i];
        size_t len = point_json(buf, sizeof buf, def, r);
        if (len) {
            vos_sha256_update(&pt->sha, buf, len);
            continue;
        }
        vos_jw w;
        vos_jw_init(&w, VOS_STORE_SNAPSHOT_MAX);
        vos_row_json_open(def, r, &w);
        vos_jw_end(&w);
        char *text = NULL;
        if (vos_jw_finish(&w, &text, &len) < 0) {
            pt->failed = true;
            break;
        }
        vos_sha256_update(&pt->sha, text, len);
        vos_sha256_update(&pt->sha, "\n", 1);
        free(text);
    }
}

/* A copy of text s in c's text, or NULL when it does not fit (s NULL stays NULL: *ok). */
static char *keep_text(points_chunk *c, const char *s, bool *ok)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    if (n > CHUNK_TEXT - c->used) {
        *ok = false;
        return NULL;
    }
    char *copy = memcpy(c->text + c->used, s, n);
    c->used += n;
    return copy;
}

/* Copies r into the chunk filling; false when its texts do not fit in what is left. */
static bool keep_point(points_chunk *c, const vos_measurement_row *r)
{
    size_t used = c->used;
    bool ok = true;
    vos_measurement_row *k = &c->rows[c->n];
    *k = *r;
    k->kpi_key = keep_text(c, r->kpi_key, &ok);
    k->at = keep_text(c, r->at, &ok);
    k->source = keep_text(c, r->source, &ok);
    if (!ok) {
        c->used = used;
        return false;
    }
    c->n++;
    return true;
}

void vos_points_add(vos_store *st, const vos_measurement_row *r)
{
    store_points *pt = st->points;
    if (!pt || !pt->valid || r->ingestion_id != pt->ingestion_id) return;
    if (r->id <= pt->last_id) {
        pt->valid = false; /* out of id order: the snapshot re-reads the points */
        return;
    }
    if (!keep_point(pt->fill, r)) {
        hand_over(pt); /* its texts do not fit: the next chunk takes it */
        if (!keep_point(pt->fill, r)) {
            pt->valid = false;
            return;
        }
    }
    if (pt->fill->n == POINTS_CHUNK) hand_over(pt);
    pt->last_id = r->id;
    pt->count++;
}

int vos_points_digest(vos_store *st, int64_t ingestion_id, int64_t *count,
                      char hex[VOS_SHA256_HEX_SIZE])
{
    store_points *pt = st->points;
    if (st->txn != STORE_TXN_WRITE || !pt || pt->ingestion_id != ingestion_id) return 0;
    catch_up(pt);
    if (!pt->valid || pt->failed) return 0;
    vos_sha256 copy = pt->sha; /* more points may follow */
    unsigned char h[VOS_SHA256_BYTES];
    vos_sha256_final(&copy, h);
    sodium_bin2hex(hex, VOS_SHA256_HEX_SIZE, h, sizeof h);
    *count = pt->count;
    return 1;
}
