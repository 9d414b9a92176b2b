/* SHA-256 (FIPS 180-4) for hashing many small records fast.
 *
 * The same digests as libsodium's crypto_hash_sha256, computed with the processor's SHA
 * instructions (x86 SHA extensions) when it has them, else in portable C.  The store hashes
 * an ingestion's points with it while inserting them (src/store/points.c), where libsodium's
 * portable code cost a tenth of the ingestion; everything else keeps using libsodium. */
#ifndef VOS_SHA256_H
#define VOS_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define VOS_SHA256_BYTES 32
#define VOS_SHA256_BLOCK 64

typedef struct vos_sha256 {
    uint32_t state[8];
    uint64_t bytes;                      /* hashed so far */
    unsigned char buf[VOS_SHA256_BLOCK]; /* a partial block */
    size_t used;
    int accel; /* set by init: 1 to use the SHA instructions (0 forces portable C) */
} vos_sha256;

void vos_sha256_init(vos_sha256 *h);
void vos_sha256_update(vos_sha256 *h, const void *data, size_t len);
/* Writes the digest; h may be updated no more (a copy of h may be finished to read the digest
 * of what was hashed so far). */
void vos_sha256_final(vos_sha256 *h, unsigned char out[VOS_SHA256_BYTES]);

#endif
