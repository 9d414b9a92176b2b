/* Rate limits: a token bucket per key (a user, or a client address) in a fixed-size open
 * addressing table.  When the table fills up, buckets that have refilled completely (and so
 * hold no state worth keeping) are dropped; if every bucket is still draining, new keys share
 * one overflow bucket, so memory stays bounded whatever the number of clients. */
#include "http/http_int.h"

#include "vos/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMITER_KEY_MAX 80
#define LIMITER_LOAD_NUM 3 /* the table is swept when 3/4 full */
#define LIMITER_LOAD_DEN 4

typedef struct bucket {
    char key[LIMITER_KEY_MAX]; /* "" = free slot */
    double tokens, at;
} bucket;

struct http_limiter {
    pthread_mutex_t lock;
    double rate, burst;
    bucket *slots;
    size_t cap, used;
    bucket overflow;
};

int http_limiter_new(http_limiter **out, double rate, double burst)
{
    *out = NULL;
    if (!(rate > 0) || !(burst >= 1))
        return vos_error_set(VOS_EINVALID, "a rate limit needs a rate > 0 and a burst >= 1");
    http_limiter *l = calloc(1, sizeof *l);
    if (!l) return vos_error_set(VOS_ENOMEM, "out of memory");
    l->slots = calloc(HTTP_RATE_KEYS, sizeof *l->slots);
    if (!l->slots) {
        free(l);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&l->lock, NULL);
    l->rate = rate;
    l->burst = burst;
    l->cap = HTTP_RATE_KEYS;
    l->overflow.tokens = burst;
    *out = l;
    return 0;
}

void http_limiter_free(http_limiter *l)
{
    if (!l) return;
    pthread_mutex_destroy(&l->lock);
    free(l->slots);
    free(l);
}

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static double level(const http_limiter *l, const bucket *b, double now)
{
    double t = b->tokens + (now - b->at) * l->rate;
    return t > l->burst ? l->burst : t;
}

/* Rebuilds the table without the buckets that are full again. */
static void sweep(http_limiter *l, double now)
{
    bucket *old = malloc(l->cap * sizeof *old);
    if (!old) return;
    memcpy(old, l->slots, l->cap * sizeof *old);
    memset(l->slots, 0, l->cap * sizeof *l->slots);
    l->used = 0;
    for (size_t i = 0; i < l->cap; i++) {
        if (!old[i].key[0] || level(l, &old[i], now) >= l->burst) continue;
        size_t j = hash(old[i].key) & (l->cap - 1);
        while (l->slots[j].key[0])
            j = (j + 1) & (l->cap - 1);
        l->slots[j] = old[i];
        l->used++;
    }
    free(old);
}

static bucket *find(http_limiter *l, const char *key, double now)
{
    size_t j = hash(key) & (l->cap - 1);
    while (l->slots[j].key[0]) {
        if (strcmp(l->slots[j].key, key) == 0) return &l->slots[j];
        j = (j + 1) & (l->cap - 1);
    }
    if (l->used + 1 > l->cap * LIMITER_LOAD_NUM / LIMITER_LOAD_DEN) {
        sweep(l, now);
        if (l->used + 1 > l->cap * LIMITER_LOAD_NUM / LIMITER_LOAD_DEN) return &l->overflow;
        j = hash(key) & (l->cap - 1);
        while (l->slots[j].key[0])
            j = (j + 1) & (l->cap - 1);
    }
    bucket *b = &l->slots[j];
    snprintf(b->key, sizeof b->key, "%s", key);
    b->tokens = l->burst;
    b->at = now;
    l->used++;
    return b;
}

unsigned http_limiter_take(http_limiter *l, const char *key, double now)
{
    pthread_mutex_lock(&l->lock);
    bucket *b = find(l, key, now);
    double t = level(l, b, now);
    unsigned wait = 0;
    if (t >= 1) {
        t -= 1;
    } else {
        double w = ceil((1 - t) / l->rate);
        wait = w < 1 ? 1 : (unsigned)w;
    }
    b->tokens = t;
    b->at = now > b->at ? now : b->at;
    pthread_mutex_unlock(&l->lock);
    return wait;
}
