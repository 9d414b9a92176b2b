/* The fixture of the store suites (store_fixture.h).  No suite of its own. */
#include "store_fixture.h"

#include "vos/error.h"

#include <check.h>
#include <dirent.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Replaces every "{dir}" of tmpl by dir. */
static void expand(char *out, size_t size, const char *tmpl, const char *dir)
{
    size_t n = 0;
    out[0] = '\0';
    while (*tmpl && n + 1 < size) {
        if (strncmp(tmpl, "{dir}", 5) == 0) {
            n += (size_t)snprintf(out + n, size - n, "%s", dir);
            tmpl += 5;
        } else {
            out[n++] = *tmpl++;
            out[n] = '\0';
        }
    }
}

void storetest_setup_url(storetest *t, const char *tmpl)
{
    memset(t, 0, sizeof *t);
    const char *base = getenv("TMPDIR");
    snprintf(t->dir, sizeof t->dir, "%s/vos-store-XXXXXX", base && *base ? base : "/tmp");
    ck_assert_msg(mkdtemp(t->dir) != NULL, "mkdtemp %s failed", t->dir);
    expand(t->url, sizeof t->url, tmpl, t->dir);
    int rc = vos_store_open(&t->st, t->url);
    ck_assert_msg(rc == 0, "open %s: %s", t->url, vos_error_last());
}

void storetest_setup(storetest *t)
{
    const char *tmpl = getenv("VOS_TEST_STORE_URL");
    storetest_setup_url(t, tmpl && *tmpl ? tmpl : STORETEST_URL_DEFAULT);
}

vos_store *storetest_open(const storetest *t)
{
    vos_store *st = NULL;
    int rc = vos_store_open(&st, t->url);
    ck_assert_msg(rc == 0, "open %s: %s", t->url, vos_error_last());
    return st;
}

void storetest_teardown(storetest *t)
{
    vos_store_close(t->st);
    t->st = NULL;
    DIR *d = opendir(t->dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char path[PATH_MAX + 256];
        snprintf(path, sizeof path, "%s/%s", t->dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(t->dir);
}

static void must(int rc, const char *what)
{
    ck_assert_msg(rc == 0, "%s: %s (%s)", what, vos_error_last(), vos_error_name(rc));
}

int64_t storetest_account(vos_store *st, const char *name, int audit)
{
    vos_account_row a = {.name = (char *)name, .size = VOS_ACCOUNT_SIZE_SMB};
    must(vos_store_begin(st), "begin");
    must(vos_store_account_create(st, &a), "create account");
    if (audit)
        must(vos_store_audit_append(st, NULL, "tester", "account.create", VOS_ENTITY_ACCOUNT, a.id,
                                    NULL),
             "audit");
    must(vos_store_commit(st), "commit");
    return a.id;
}

int64_t storetest_model(vos_store *st, const char *key)
{
    vos_model_row m = {.key = (char *)key, .name = (char *)key};
    must(vos_store_begin(st), "begin");
    must(vos_store_model_create(st, &m), "create model");
    must(vos_store_commit(st), "commit");
    return m.id;
}

int64_t storetest_version(vos_store *st, int64_t model_id, const char *version)
{
    vos_model_version_row v = {.model_id = model_id,
                               .version = (char *)version,
                               .status = VOS_VERSION_DRAFT,
                               .source = "model: m\n"};
    must(vos_store_begin(st), "begin");
    must(vos_store_model_version_create(st, &v), "create model_version");
    must(vos_store_commit(st), "commit");
    return v.id;
}

int64_t storetest_case(vos_store *st, int64_t account_id, int64_t version_id, const char *name)
{
    vos_case_row c = {.account_id = account_id,
                      .model_version_id = version_id,
                      .name = (char *)name,
                      .stage = VOS_STAGE_HYPOTHESIS,
                      .overrides = "{}"};
    must(vos_store_begin(st), "begin");
    must(vos_store_case_create(st, &c), "create case");
    must(vos_store_commit(st), "commit");
    return c.id;
}

static void hash_field(crypto_hash_sha256_state *sha, const char *s)
{
    unsigned char len[8];
    uint64_t n = s ? strlen(s) : UINT64_MAX;
    for (int i = 7; i >= 0; i--, n >>= 8)
        len[i] = (unsigned char)(n & 0xFF);
    crypto_hash_sha256_update(sha, len, 8);
    if (s) crypto_hash_sha256_update(sha, (const unsigned char *)s, strlen(s));
}

void storetest_audit_hash(const vos_audit_row *r, char out[VOS_SHA256_HEX_SIZE])
{
    unsigned char prev[32], h[32];
    ck_assert_int_eq(sodium_hex2bin(prev, 32, r->prev_hash, 64, NULL, NULL, NULL), 0);
    char seq[32], id[32];
    snprintf(seq, sizeof seq, "%" PRId64, r->seq);
    snprintf(id, sizeof id, "%" PRId64, r->entity_id);
    crypto_hash_sha256_state sha;
    crypto_hash_sha256_init(&sha);
    crypto_hash_sha256_update(&sha, prev, 32);
    const char *fields[] = {"vos.audit.v1", seq, r->at, r->actor, r->operation, r->entity_type, id};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        hash_field(&sha, fields[i]);
    hash_field(&sha, r->before_json);
    hash_field(&sha, r->after_json);
    crypto_hash_sha256_final(&sha, h);
    sodium_bin2hex(out, VOS_SHA256_HEX_SIZE, h, 32);
}
