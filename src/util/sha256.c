/* SHA-256 (FIPS 180-4; include/vos/sha256.h): the x86 SHA extensions when the processor has
 * them (checked with CPUID once per vos_sha256_init), else portable C. */
#include "vos/sha256.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static const uint32_t H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/* ---- portable C ----------------------------------------------------------------------------- */

static uint32_t ror(uint32_t x, int n)
{
    return x >> n | x << (32 - n);
}

static void blocks_c(uint32_t st[8], const unsigned char *p, size_t n)
{
    for (; n--; p += VOS_SHA256_BLOCK) {
        uint32_t w[64];
        for (int i = 0; i < 16; i++)
            w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
                   (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6],
                 h = st[7];
        for (int i = 0; i < 64; i++) {
            uint32_t t1 =
                h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
            uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        st[0] += a;
        st[1] += b;
        st[2] += c;
        st[3] += d;
        st[4] += e;
        st[5] += f;
        st[6] += g;
        st[7] += h;
    }
}

/* ---- x86 SHA extensions --------------------------------------------------------------------- *
 * The state is kept as ABEF and CDGH, the layout sha256rnds2 works on; each group of four
 * rounds adds the constants to four schedule words and runs two double rounds.  The schedule
 * of group g >= 4 is msg2(msg1(W[g-4], W[g-3]) + (W[g-2]:W[g-1] shifted by one word),
 * W[g-1]). */
#ifdef SHA256_X86
__attribute__((target("sha,sse4.1,ssse3"))) static void blocks_x86(uint32_t st[8],
                                                                   const unsigned char *p, size_t n)
{
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&st[0]), 0xB1); /* CDAB */
    __m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&st[4]), 0x1B);  /* EFGH */
    __m128i s0 = _mm_alignr_epi8(tmp, s1, 8);                                        /* ABEF */
    s1 = _mm_blend_epi16(s1, tmp, 0xF0);                                             /* CDGH */
    for (; n--; p += VOS_SHA256_BLOCK) {
        __m128i abef = s0, cdgh = s1, w[16];
        for (int g = 0; g < 4; g++)
            w[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), swap);
        for (int g = 4; g < 16; g++) {
            __m128i t = _mm_sha256msg1_epu32(w[g - 4], w[g - 3]);
            t = _mm_add_epi32(t, _mm_alignr_epi8(w[g - 1], w[g - 2], 4));
            w[g] = _mm_sha256msg2_epu32(t, w[g - 1]);
        }
        for (int g = 0; g < 16; g++) {
            __m128i m = _mm_add_epi32(w[g], _mm_loadu_si128((const __m128i *)&K[4 * g]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, m);
            s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(m, 0x0E));
        }
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
    }
    tmp = _mm_shuffle_epi32(s0, 0x1B);   /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);    /* DCHG */
    s0 = _mm_blend_epi16(tmp, s1, 0xF0); /* DCBA */
    s1 = _mm_alignr_epi8(s1, tmp, 8);    /* HGFE */
    _mm_storeu_si128((__m128i *)&st[0], s0);
    _mm_storeu_si128((__m128i *)&st[4], s1);
}

static int has_sha_x86(void)
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int sse41 = (c >> 19) & 1, ssse3 = (c >> 9) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return sse41 && ssse3 && ((b >> 29) & 1);
}
#endif

static void blocks(vos_sha256 *h, const unsigned char *p, size_t n)
{
#ifdef SHA256_X86
    if (h->accel) {
        blocks_x86(h->state, p, n);
        return;
    }
#endif
    blocks_c(h->state, p, n);
}

/* ---- the interface -------------------------------------------------------------------------- */

void vos_sha256_init(vos_sha256 *h)
{
    memcpy(h->state, H0, sizeof H0);
    h->bytes = 0;
    h->used = 0;
#ifdef SHA256_X86
    h->accel = has_sha_x86();
#else
    h->accel = 0;
#endif
}

void vos_sha256_update(vos_sha256 *h, const void *data, size_t len)
{
    const unsigned char *p = data;
    h->bytes += len;
    if (h->used) {
        size_t take = VOS_SHA256_BLOCK - h->used < len ? VOS_SHA256_BLOCK - h->used : len;
        memcpy(h->buf + h->used, p, take);
        h->used += take;
        p += take;
        len -= take;
        if (h->used < VOS_SHA256_BLOCK) return;
        blocks(h, h->buf, 1);
        h->used = 0;
    }
    if (len >= VOS_SHA256_BLOCK) {
        blocks(h, p, len / VOS_SHA256_BLOCK);
        p += len / VOS_SHA256_BLOCK * VOS_SHA256_BLOCK;
        len %= VOS_SHA256_BLOCK;
    }
    memcpy(h->buf, p, len);
    h->used = len;
}

void vos_sha256_final(vos_sha256 *h, unsigned char out[VOS_SHA256_BYTES])
{
    uint64_t bits = h->bytes * 8;
    static const unsigned char pad[VOS_SHA256_BLOCK] = {0x80};
    size_t n = h->used < 56 ? 56 - h->used : 120 - h->used;
    unsigned char len[8];
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    vos_sha256_update(h, pad, n);
    vos_sha256_update(h, len, sizeof len);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(h->state[i] >> 24);
        out[4 * i + 1] = (unsigned char)(h->state[i] >> 16);
        out[4 * i + 2] = (unsigned char)(h->state[i] >> 8);
        out[4 * i + 3] = (unsigned char)h->state[i];
    }
}
