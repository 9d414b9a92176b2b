/* The fixture of the store suites (store_fixture.h).  No suite of its own. */
#include "store_fixture.h"

#include "vos/error.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ADMIN_CONNECT_TIMEOUT "10" /* seconds to reach the server of a {db} URL */
#define ADMIN_MSG_MAX 512          /* bytes of a message of the server */
#define DB_PREFIX "vos_t_"         /* databases made for "{db}": vos_t_<pid>_<n> */

/* Replaces every "{dir}" of tmpl by dir and every "{db}" by db. */
static void expand(char *out, size_t size, const char *tmpl, const char *dir, const char *db)
{
    size_t n = 0;
    out[0] = '\0';
    while (*tmpl && n + 1 < size) {
        if (strncmp(tmpl, "{dir}", 5) == 0) {
            n += (size_t)snprintf(out + n, size - n, "%s", dir);
            tmpl += 5;
        } else if (strncmp(tmpl, "{db}", 4) == 0) {
            n += (size_t)snprintf(out + n, size - n, "%s", db);
            tmpl += 4;
        } else {
            out[n++] = *tmpl++;
            out[n] = '\0';
        }
        if (n >= size) n = size - 1;
    }
}

static bool is_postgres(const char *url)
{
    return strncmp(url, "postgres:", 9) == 0 || strncmp(url, "postgresql:", 11) == 0;
}

/* Connects to the maintenance database "postgres" of the server of `url` (libpq reads the
 * URL and the later dbname overrides its database).  OUT: msg, libpq's error on failure. */
static PGconn *pg_admin(const char *url, char *msg, size_t size)
{
    const char *const keys[] = {"dbname", "dbname", "connect_timeout", NULL};
    const char *const values[] = {url, "postgres", ADMIN_CONNECT_TIMEOUT, NULL};
    PGconn *c = PQconnectdbParams(keys, values, 1);
    if (PQstatus(c) == CONNECTION_OK) return c;
    snprintf(msg, size, "%s", c ? PQerrorMessage(c) : "out of memory");
    PQfinish(c);
    return NULL;
}

/* Runs a statement without result rows.  OUT: msg, the server's error on failure. */
static int pg_run(PGconn *c, const char *sql, char *msg, size_t size)
{
    PGresult *r = PQexec(c, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
    if (rc < 0) snprintf(msg, size, "%s", PQresultErrorMessage(r));
    PQclear(r);
    return rc;
}

/* Drops the databases that tests of this machine made and left behind: a test that fails
 * ends its process at once, without its teardown.  A database is left when the process in
 * its name is gone; one of a live process (a test running now) is kept. */
static void drop_orphans(PGconn *c)
{
    PGresult *r = PQexec(c, "SELECT datname FROM pg_database WHERE datname LIKE 'vos\\_t\\_%'");
    for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
        const char *name = PQgetvalue(r, i, 0);
        char *end = NULL;
        long pid = strtol(name + strlen(DB_PREFIX), &end, 10);
        if (pid <= 0 || *end != '_' || kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
        char sql[STORETEST_DB_MAX + 64], msg[ADMIN_MSG_MAX];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", name);
        pg_run(c, sql, msg, sizeof msg); /* another test may be dropping it too */
    }
    PQclear(r);
}

/* Creates database t->db on the server of t->url, after dropping the orphans of earlier
 * tests. */
static void create_db(const storetest *t)
{
    char sql[STORETEST_DB_MAX + 64], msg[ADMIN_MSG_MAX] = "";
    PGconn *c = pg_admin(t->url, msg, sizeof msg);
    ck_assert_msg(c != NULL, "cannot reach the server of %s: %s", t->url, msg);
    drop_orphans(c);
    snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", t->db);
    int rc = pg_run(c, sql, msg, sizeof msg);
    PQfinish(c);
    ck_assert_msg(rc == 0, "cannot create database %s for %s: %s", t->db, t->url, msg);
}

static void drop_db(const storetest *t)
{
    char sql[STORETEST_DB_MAX + 64], msg[ADMIN_MSG_MAX] = "";
    PGconn *c = pg_admin(t->url, msg, sizeof msg);
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", t->db);
    if (!c || pg_run(c, sql, msg, sizeof msg) < 0)
        fprintf(stderr, "store fixture: cannot drop database %s: %s", t->db, msg);
    PQfinish(c);
}

void storetest_setup_url(storetest *t, const char *tmpl)
{
    static unsigned serial; /* databases named by this process so far */
    memset(t, 0, sizeof *t);
    const char *base = getenv("TMPDIR");
    snprintf(t->dir, sizeof t->dir, "%s/vos-store-XXXXXX", base && *base ? base : "/tmp");
    ck_assert_msg(mkdtemp(t->dir) != NULL, "mkdtemp %s failed", t->dir);
    if (strstr(tmpl, "{db}"))
        snprintf(t->db, sizeof t->db, DB_PREFIX "%ld_%u", (long)getpid(), serial++);
    expand(t->url, sizeof t->url, tmpl, t->dir, t->db);
    t->made_db = t->db[0] && is_postgres(t->url);
    if (t->made_db) create_db(t);
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

bool storetest_is_sqlite(const storetest *t)
{
    return strncmp(t->url, "sqlite:", 7) == 0;
}

void storetest_teardown(storetest *t)
{
    vos_store_close(t->st);
    t->st = NULL;
    if (t->made_db) drop_db(t);
    t->made_db = false;
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
