/* SHA-256: the test vectors of FIPS 180-4 (NIST's "abc", the empty string, the two-block
 * message and one million 'a'), then random messages in random pieces compared with
 * libsodium's crypto_hash_sha256, with the SHA instructions (where the processor has them)
 * and in portable C. */
#include "vos/sha256.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hex(char out[65], const unsigned char d[32])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void digest_of(char out[65], const void *data, size_t len, int accel)
{
    vos_sha256 h;
    vos_sha256_init(&h);
    if (!accel) h.accel = 0;
    vos_sha256_update(&h, data, len);
    unsigned char d[VOS_SHA256_BYTES];
    vos_sha256_final(&h, d);
    hex(out, d);
}

START_TEST(fips_180_vectors)
{
    static const struct {
        const char *msg, *digest;
    } v[] = {
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    char got[65];
    for (int accel = 0; accel <= 1; accel++)
        for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
            digest_of(got, v[i].msg, strlen(v[i].msg), accel);
            ck_assert_str_eq(got, v[i].digest);
        }
    char *a = malloc(1000000);
    ck_assert_ptr_nonnull(a);
    memset(a, 'a', 1000000);
    for (int accel = 0; accel <= 1; accel++) {
        digest_of(got, a, 1000000, accel);
        ck_assert_str_eq(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
    free(a);
}
END_TEST

START_TEST(same_as_libsodium_in_pieces)
{
    ck_assert_int_ge(sodium_init(), 0);
    unsigned char msg[1000];
    unsigned seed = 12345;
    for (int round = 0; round < 400; round++) {
        size_t len = (size_t)(rand_r(&seed) % (int)sizeof msg);
        for (size_t i = 0; i < len; i++)
            msg[i] = (unsigned char)rand_r(&seed);
        unsigned char want[32], got[32];
        crypto_hash_sha256(want, msg, len);
        for (int accel = 0; accel <= 1; accel++) {
            vos_sha256 h;
            vos_sha256_init(&h);
            if (!accel) h.accel = 0;
            for (size_t at = 0; at < len;) {
                size_t piece = (size_t)(rand_r(&seed) % 150);
                if (piece > len - at) piece = len - at;
                vos_sha256_update(&h, msg + at, piece);
                at += piece;
            }
            vos_sha256 copy = h; /* a copy can be finished while the original goes on */
            vos_sha256_final(&copy, got);
            ck_assert_mem_eq(got, want, 32);
            vos_sha256_final(&h, got);
            ck_assert_mem_eq(got, want, 32);
        }
    }
}
END_TEST

Suite *vos_test_sha256_suite(void)
{
    Suite *s = suite_create("sha256");
    TCase *tc = tcase_create("digests");
    tcase_add_test(tc, fips_180_vectors);
    tcase_add_test(tc, same_as_libsodium_in_pieces);
    suite_add_tcase(s, tc);
    return s;
}
