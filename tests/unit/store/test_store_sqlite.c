/* The SQLite backend: its settings and migrations, the agreement of the schema with the entity
 * descriptions, errors of the file system, and tampering done with SQLite itself (as in the
 * sqlite3 shell) that the audit verification must find.  I/O errors are injected with a VFS
 * shim that fails writes after a chosen number of them. */
#include "store_fixture.h"

#include "store/sqlite_int.h"
#include "vos/error.h"
#include "vos/store.h"

#include <check.h>
#include <sys/stat.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SQLITE_URL "sqlite:{dir}/vos.db"
#define MIGRATIONS_DIR "src/store/migrations/sqlite" /* tests run from the repository root */
#define FAULT_POINTS_MAX 60 /* write numbers at which an I/O error is injected */

static storetest T;

static void setup(void)
{
    storetest_setup_url(&T, SQLITE_URL);
}

static void teardown(void)
{
    storetest_teardown(&T);
}

/* ---- a raw connection, as a person with the sqlite3 shell has ------------------------------- */

static sqlite3 *raw_open(void)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/vos.db", T.dir);
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, VOS_STORE_BUSY_TIMEOUT_MS);
    return db;
}

static void raw_exec(const char *sql)
{
    sqlite3 *db = raw_open();
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "?");
    sqlite3_close(db);
}

static int64_t raw_int(const char *sql)
{
    sqlite3 *db = raw_open();
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void expect_problem(vos_audit_problem problem, int64_t seq, const char *text)
{
    vos_audit_report rep;
    OK(vos_store_audit_verify(T.st, &rep));
    ck_assert_msg(rep.problem == problem, "problem %d, not %d: %s", rep.problem, problem,
                  rep.message);
    ck_assert_int_eq(rep.seq, seq);
    ck_assert_msg(strstr(rep.message, text), "message '%s' lacks '%s'", rep.message, text);
}

/* ---- settings and schema -------------------------------------------------------------------- */

START_TEST(wal_strict_tables_and_migrations)
{
    sqlite3 *db = raw_open();
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
    ck_assert_int_eq(raw_int("PRAGMA user_version"), vos_sqlite_migrations_count);
    ck_assert_int_eq(vos_store_schema_version(T.st), vos_sqlite_migrations_count);
    ck_assert_int_eq(raw_int("SELECT count(*) FROM schema_migrations"),
                     vos_sqlite_migrations_count);
    ck_assert_int_eq(raw_int("SELECT count(*) FROM pragma_table_list WHERE schema = 'main' "
                             "AND type = 'table' AND name NOT LIKE 'sqlite_%' AND strict = 0"),
                     0);
    /* reopening applies nothing twice */
    vos_store_close(T.st);
    T.st = storetest_open(&T);
    ck_assert_int_eq(raw_int("SELECT count(*) FROM schema_migrations"),
                     vos_sqlite_migrations_count);
}
END_TEST

static const char *column_type(vos_field_type t)
{
    switch (t) {
    case VOS_FT_REAL:
        return "REAL";
    case VOS_FT_ID:
    case VOS_FT_REVISION:
    case VOS_FT_INT:
    case VOS_FT_REF:
    case VOS_FT_BOOL:
        return "INTEGER";
    default:
        return "TEXT";
    }
}

static void check_table(sqlite3 *db, const vos_entity_def *def)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT name, type, \"notnull\" FROM pragma_table_info('%s')",
             def->table);
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    size_t i = 0;
    for (; sqlite3_step(st) == SQLITE_ROW; i++) {
        ck_assert_msg(i < def->n_fields, "%s has more columns than fields", def->table);
        const vos_field_def *f = &def->fields[i];
        ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), f->name);
        ck_assert_str_eq((const char *)sqlite3_column_text(st, 1), column_type(f->type));
        int optional = (f->flags & VOS_FF_OPTIONAL) || f->type == VOS_FT_ID;
        ck_assert_msg(sqlite3_column_int(st, 2) == !optional, "%s.%s: NOT NULL should be %d",
                      def->table, f->name, !optional);
    }
    ck_assert_msg(i == def->n_fields, "%s has %zu columns, %zu fields", def->table, i,
                  def->n_fields);
    sqlite3_finalize(st);
}

START_TEST(schema_matches_the_entity_descriptions)
{
    sqlite3 *db = raw_open();
    for (int e = 0; e < VOS_ENTITY_COUNT; e++)
        check_table(db, vos_entity_def_get((vos_entity)e));
    check_table(db, vos_audit_def_get());
    sqlite3_close(db);
}
END_TEST

/* The migrations built into the program are the .sql files of the source tree, unchanged. */
START_TEST(embedded_migrations_match_the_files)
{
    for (int i = 0; i < vos_sqlite_migrations_count; i++) {
        const vos_sqlite_migration *m = &vos_sqlite_migrations[i];
        ck_assert_int_eq(m->version, i + 1);
        char path[256];
        snprintf(path, sizeof path, "%s/%04d_%s.sql", MIGRATIONS_DIR, m->version, m->name);
        FILE *f = fopen(path, "rb");
        ck_assert_msg(f != NULL, "cannot read %s (run the tests from the repository root)", path);
        for (const char *const *line = m->lines; *line; line++) {
            char buf[1024];
            ck_assert_msg(fgets(buf, sizeof buf, f) != NULL, "%s ends early", path);
            ck_assert_msg(strcmp(buf, *line) == 0,
                          "%s differs from src/store/sqlite_migrations.c at '%s': run "
                          "python3 src/store/migrations/embed.py",
                          path, buf);
        }
        char extra[8];
        ck_assert_msg(fgets(extra, sizeof extra, f) == NULL, "%s has more lines", path);
        fclose(f);
    }
    char next[256];
    snprintf(next, sizeof next, "ls %s/%04d_*.sql >/dev/null 2>&1", MIGRATIONS_DIR,
             vos_sqlite_migrations_count + 1);
    ck_assert_msg(system(next) != 0, "a migration file is not embedded: run embed.py");
}
END_TEST

START_TEST(newer_database_is_refused)
{
    vos_store_close(T.st);
    T.st = NULL;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", vos_sqlite_migrations_count + 1);
    raw_exec(sql);
    vos_store *st = NULL;
    FAILS(vos_store_open(&st, T.url), VOS_ECONFLICT, "newer than this program knows");
    ck_assert_ptr_null(st);
}
END_TEST

START_TEST(file_system_errors_are_clear)
{
    vos_store *st = NULL;
    FAILS(vos_store_open(&st, "sqlite:/nonexistent-vos-dir/sub/vos.db"), VOS_ERROR,
          "cannot open the database '/nonexistent-vos-dir/sub/vos.db'");
    char path[PATH_MAX + 16], url[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/notes.txt", T.dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 200; i++)
        fputs("these are not the pages of a database\n", f);
    fclose(f);
    snprintf(url, sizeof url, "sqlite:%s", path);
    FAILS(vos_store_open(&st, url), VOS_ERROR, "is not a VOS database");
    snprintf(url, sizeof url, "sqlite:%s", T.dir);
    FAILS(vos_store_open(&st, url), VOS_ERROR, "cannot open the database");
}
END_TEST

START_TEST(second_writer_waits_then_reports_busy)
{
    vos_store_close(T.st);
    T.st = NULL;
    char url[sizeof T.url + 64];
    snprintf(url, sizeof url, "sqlite:file:%s/vos.db?busy_timeout=100", T.dir);
    vos_store *a = NULL, *b = NULL;
    OK(vos_store_open(&a, url));
    OK(vos_store_open(&b, url));
    OK(vos_store_begin(a));
    FAILS(vos_store_begin(b), VOS_ECONFLICT, "database is busy");
    vos_account_row r = {.name = "Acme"};
    OK(vos_store_account_create(a, &r));
    OK(vos_store_commit(a));
    OK(vos_store_begin(b)); /* free again */
    OK(vos_store_rollback(b));
    vos_account_row *got = NULL;
    OK(vos_store_account_get(b, &got, r.id)); /* readers see the committed write */
    vos_account_row_free(got);
    vos_store_close(a);
    vos_store_close(b);
}
END_TEST

/* Two processes creating the same new database at once: each migration is applied once. */
START_TEST(new_database_opened_by_two_processes)
{
    char url[sizeof T.url + 32];
    snprintf(url, sizeof url, "sqlite:%s/fresh.db", T.dir);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        ck_assert_int_ge(kids[k], 0);
        if (kids[k] == 0) {
            vos_store *st = NULL;
            int rc = vos_store_open(&st, url);
            if (rc == 0) rc = vos_store_begin(st);
            vos_account_row a = {.name = k ? "One" : "Zero"};
            if (rc == 0) rc = vos_store_account_create(st, &a);
            if (rc == 0) rc = vos_store_commit(st);
            if (rc < 0) fprintf(stderr, "process %d: %s\n", k, vos_error_last());
            vos_store_close(st);
            _exit(rc == 0 ? 0 : 1);
        }
    }
    for (int k = 0; k < 2; k++) {
        int status = 0;
        ck_assert_int_eq(waitpid(kids[k], &status, 0), kids[k]);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    vos_store *st = NULL;
    OK(vos_store_open(&st, url));
    ck_assert_int_eq(vos_store_schema_version(st), vos_sqlite_migrations_count);
    vos_account_row *rows = NULL;
    size_t n = 0;
    OK(vos_store_account_list(st, &rows, &n, NULL));
    ck_assert_uint_eq(n, 2);
    vos_account_rows_free(rows, n);
    vos_store_close(st);
}
END_TEST

/* ---- tampering ------------------------------------------------------------------------------ */

/* An audited history: account 1 created and updated, account 2 created, an ingestion of two
 * measurements.  Records: 1 create A, 2 update A, 3 create B, 4 ingestion. */
static void history(void)
{
    vos_account_row a = {.name = "Acme"}, b = {.name = "Beta"};
    char *before = NULL;
    OK(vos_store_begin(T.st));
    OK(vos_store_account_create(T.st, &a));
    OK(vos_store_audit_append(T.st, NULL, "ana", "account.create", VOS_ENTITY_ACCOUNT, a.id, NULL));
    OK(vos_store_snapshot(T.st, &before, VOS_ENTITY_ACCOUNT, a.id));
    a.industry = "Retail";
    OK(vos_store_account_update(T.st, &a));
    OK(vos_store_audit_append(T.st, NULL, "ana", "account.update", VOS_ENTITY_ACCOUNT, a.id,
                              before));
    OK(vos_store_account_create(T.st, &b));
    OK(vos_store_audit_append(T.st, NULL, "ana", "account.create", VOS_ENTITY_ACCOUNT, b.id, NULL));
    vos_ingestion_row ing = {.label = "q1.csv"};
    OK(vos_store_ingestion_create(T.st, &ing));
    vos_measurement_row m1 = {.ingestion_id = ing.id,
                              .account_id = a.id,
                              .kpi_key = "mttr",
                              .at = "2026-01-01T00:00:00.000Z",
                              .value = 8,
                              .source = "itsm"};
    vos_measurement_row m2 = m1;
    m2.at = "2026-02-01T00:00:00.000Z";
    m2.value = 7;
    vos_put_outcome out;
    OK(vos_store_measurement_put(T.st, &m1, &out, NULL));
    OK(vos_store_measurement_put(T.st, &m2, &out, NULL));
    OK(vos_store_audit_append(T.st, NULL, "ingest", "measurement.ingest", VOS_ENTITY_INGESTION,
                              ing.id, NULL));
    OK(vos_store_commit(T.st));
    free(before);
    expect_problem(VOS_AUDIT_OK, 0, "");
}

START_TEST(tamper_audit_content)
{
    history();
    raw_exec("DROP TRIGGER \"audit.no_update\";"
             "UPDATE audit_log SET after_json = replace(after_json, 'Retail', 'Mining') "
             "WHERE seq = 2");
    expect_problem(VOS_AUDIT_HASH, 2, "audit record 2 was altered");
}
END_TEST

START_TEST(tamper_audit_actor)
{
    history();
    raw_exec("DROP TRIGGER \"audit.no_update\"; UPDATE audit_log SET actor = 'bob' WHERE seq = 1");
    expect_problem(VOS_AUDIT_HASH, 1, "audit record 1 was altered");
}
END_TEST

START_TEST(tamper_audit_delete)
{
    history();
    raw_exec("DROP TRIGGER \"audit.no_delete\"; DELETE FROM audit_log WHERE seq = 2");
    expect_problem(VOS_AUDIT_GAP, 2, "audit record 2 is missing");
}
END_TEST

START_TEST(tamper_audit_delete_and_renumber)
{
    history();
    raw_exec("DROP TRIGGER \"audit.no_delete\"; DROP TRIGGER \"audit.no_update\";"
             "DELETE FROM audit_log WHERE seq = 2; UPDATE audit_log SET seq = seq - 1 "
             "WHERE seq > 2");
    expect_problem(VOS_AUDIT_LINK, 2, "does not follow record 1");
}
END_TEST

/* An attacker who also rehashes the record they changed breaks the link of the next one. */
START_TEST(tamper_audit_rehashed)
{
    history();
    vos_audit_row *r = NULL;
    size_t n = 0;
    OK(vos_store_audit_list(T.st, &r, &n, NULL));
    free(r[1].actor);
    r[1].actor = strdup("mallory");
    char hash[VOS_SHA256_HEX_SIZE], sql[512];
    storetest_audit_hash(&r[1], hash);
    snprintf(sql, sizeof sql,
             "DROP TRIGGER \"audit.no_update\"; UPDATE audit_log SET actor = 'mallory', "
             "hash = '%s' WHERE seq = 2",
             hash);
    vos_audit_rows_free(r, n);
    raw_exec(sql);
    expect_problem(VOS_AUDIT_LINK, 3, "audit record 3 does not follow record 2");
}
END_TEST

/* Removing the newest record keeps the chain intact; the entity it described gives it away. */
START_TEST(tamper_audit_truncate_tail)
{
    history();
    raw_exec("DROP TRIGGER \"audit.no_delete\"; DELETE FROM audit_log WHERE seq = 4");
    expect_problem(VOS_AUDIT_STATE, 0, "ingestion 1 has no audit record");
}
END_TEST

START_TEST(tamper_entity_update)
{
    history();
    raw_exec("UPDATE accounts SET name = 'Acme Holdings' WHERE id = 1");
    expect_problem(VOS_AUDIT_STATE, 2, "account 1 differs from its last audit record 2");
}
END_TEST

START_TEST(tamper_entity_insert)
{
    history();
    raw_exec("INSERT INTO accounts (revision, created_at, updated_at, name, size) "
             "VALUES (1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'Ghost', 'smb')");
    expect_problem(VOS_AUDIT_STATE, 0, "account 3 has no audit record");
}
END_TEST

START_TEST(tamper_entity_delete)
{
    history();
    raw_exec("DELETE FROM accounts WHERE id = 2");
    expect_problem(VOS_AUDIT_STATE, 3, "account 2 was deleted outside VOS");
}
END_TEST

START_TEST(tamper_measurement_value)
{
    history();
    raw_exec("DROP TRIGGER \"measurement.frozen_update\";"
             "UPDATE measurements SET value = 5 WHERE id = 2");
    expect_problem(VOS_AUDIT_STATE, 4, "ingestion 1 differs from its last audit record 4");
}
END_TEST

START_TEST(tamper_measurement_added)
{
    history();
    raw_exec("INSERT INTO measurements (ingestion_id, account_id, kpi_key, at, value, source) "
             "VALUES (1, 1, 'mttr', '2026-03-01T00:00:00.000Z', 2, 'itsm')");
    expect_problem(VOS_AUDIT_INTEGRITY, 0,
                   "measurement 3 of ingestion 1 lies outside the id range recorded for its "
                   "ingestion");
    /* recorded as a point of the ingestion, it changes the ingestion's points */
    raw_exec("UPDATE ingestion_ranges SET last_id = 3 WHERE ingestion_id = 1");
    expect_problem(VOS_AUDIT_STATE, 4, "ingestion 1 differs");
}
END_TEST

START_TEST(tamper_range_narrowed)
{
    history();
    raw_exec("UPDATE ingestion_ranges SET first_id = 2 WHERE ingestion_id = 1");
    expect_problem(VOS_AUDIT_INTEGRITY, 0,
                   "measurement 1 of ingestion 1 lies outside the id range recorded for its "
                   "ingestion");
    raw_exec("DELETE FROM ingestion_ranges");
    expect_problem(VOS_AUDIT_INTEGRITY, 0, "measurement 1 of ingestion 1 lies outside");
}
END_TEST

START_TEST(tamper_dangling_reference)
{
    history();
    raw_exec("INSERT INTO measurements (ingestion_id, account_id, kpi_key, at, value, source) "
             "VALUES (9, 1, 'mttr', '2026-03-01T00:00:00.000Z', 2, 'itsm')");
    expect_problem(VOS_AUDIT_INTEGRITY, 0,
                   "measurements row 3 refers to a missing row of "
                   "ingestions");
}
END_TEST

START_TEST(tamper_migration_record)
{
    history();
    raw_exec("UPDATE schema_migrations SET sha256 = 'x' WHERE version = 1");
    expect_problem(VOS_AUDIT_INTEGRITY, 0, "migration 0001_init recorded in the database differs");
}
END_TEST

/* ---- I/O errors ----------------------------------------------------------------------------- */

/* A VFS that passes everything to the default one, but fails writes and syncs once a budget
 * of them is spent: fault_after = -1 never fails. */
typedef struct faulty_file {
    sqlite3_file base;
    sqlite3_file *real; /* allocated right after this struct (szOsFile covers both) */
} faulty_file;

static sqlite3_vfs faulty_vfs;
static sqlite3_vfs *real_vfs;
static int fault_after = -1, fault_writes, fault_code = SQLITE_IOERR_WRITE;

static int fault_now(void)
{
    return fault_after >= 0 && fault_writes++ >= fault_after;
}

#define REAL(f) (((faulty_file *)(f))->real)
static int f_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}
static int f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, off);
}
static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off)
{
    return fault_now() ? fault_code : REAL(f)->pMethods->xWrite(REAL(f), b, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
    return fault_now() ? SQLITE_IOERR_FSYNC : REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int lock)
{
    return REAL(f)->pMethods->xLock(REAL(f), lock);
}
static int f_unlock(sqlite3_file *f, int lock)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), lock);
}
static int f_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shm_map(sqlite3_file *f, int pg, int size, int extend, void volatile **out)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, size, extend, out);
}
static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static const sqlite3_io_methods faulty_io = {
    2,          f_close,       f_read,      f_write,   f_truncate, f_sync,   f_size,
    f_lock,     f_unlock,      f_reserved,  f_control, f_sector,   f_device, f_shm_map,
    f_shm_lock, f_shm_barrier, f_shm_unmap, NULL,      NULL};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out)
{
    (void)vfs;
    faulty_file *f = (faulty_file *)file;
    f->real = (sqlite3_file *)(f + 1);
    int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out);
    f->base.pMethods = f->real->pMethods ? &faulty_io : NULL;
    return rc;
}
static int v_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
    (void)vfs;
    return real_vfs->xDelete(real_vfs, name, sync);
}
static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}
static int v_full(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}
static int v_random(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xRandomness(real_vfs, n, out);
}
static int v_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return real_vfs->xSleep(real_vfs, us);
}
static int v_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return real_vfs->xCurrentTime(real_vfs, out);
}
static int v_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xGetLastError(real_vfs, n, out);
}
static int v_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static void faulty_register(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    ck_assert_ptr_nonnull(real_vfs);
    ck_assert_int_ge(real_vfs->iVersion, 2);
    faulty_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(faulty_file) + real_vfs->szOsFile,
        .mxPathname = real_vfs->mxPathname,
        .zName = "vos_test_faulty",
        .xOpen = v_open,
        .xDelete = v_delete,
        .xAccess = v_access,
        .xFullPathname = v_full,
        .xRandomness = v_random,
        .xSleep = v_sleep,
        .xCurrentTime = v_time,
        .xGetLastError = v_error,
        .xCurrentTimeInt64 = v_time64,
    };
    ck_assert_int_eq(sqlite3_vfs_register(&faulty_vfs, 0), SQLITE_OK);
}

static int audited_write(vos_store *st, const char *name)
{
    vos_account_row a = {.name = (char *)name, .size = VOS_ACCOUNT_SIZE_SMB};
    int rc = vos_store_begin(st);
    if (rc == 0) rc = vos_store_account_create(st, &a);
    if (rc == 0)
        rc = vos_store_audit_append(st, NULL, "ana", "account.create", VOS_ENTITY_ACCOUNT, a.id,
                                    NULL);
    if (rc == 0) return vos_store_commit(st);
    char msg[VOS_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", vos_error_last());
    vos_store_rollback(st);
    vos_error_set(rc, "%s", msg);
    return rc;
}

/* Fails the k-th write or sync of an audited write, for k = 0, 1, 2, ... until one goes
 * through untouched: each failure must be a clear error, and after reopening the store must
 * verify, hold the write exactly when it was acknowledged, and hold everything before it. */
START_TEST(io_errors_surface_and_leave_the_store_consistent)
{
    faulty_register();
    vos_store_close(T.st);
    T.st = NULL;
    char url[sizeof T.url + 64];
    snprintf(url, sizeof url, "sqlite:file:%s/vos.db?vfs=vos_test_faulty", T.dir);
    vos_store *st = NULL;
    OK(vos_store_open(&st, url));
    OK(audited_write(st, "before"));
    vos_store_close(st);
    int acknowledged = 1, failures = 0, k;
    for (k = 0; k < FAULT_POINTS_MAX; k++) {
        char name[32];
        snprintf(name, sizeof name, "write-%d", k);
        OK(vos_store_open(&st, url));
        fault_code = k % 2 ? SQLITE_FULL : SQLITE_IOERR_WRITE;
        fault_writes = 0;
        fault_after = k;
        int rc = audited_write(st, name);
        int spent = fault_writes;
        fault_after = -1;
        if (rc < 0) {
            failures++;
            ck_assert_int_eq(rc, VOS_ERROR);
            ck_assert_msg(strstr(vos_error_last(), "disk I/O error") ||
                              strstr(vos_error_last(), "disk is full"),
                          "unclear error: %s", vos_error_last());
        }
        vos_store_close(st);

        OK(vos_store_open(&st, url));
        vos_account_row *a = NULL;
        int found = vos_store_account_by_name(st, &a, name);
        vos_account_row_free(a);
        ck_assert_msg((found == 0) == (rc == 0), "write %d: acknowledged %d, present %d", k,
                      rc == 0, found == 0);
        acknowledged += rc == 0;
        OK(vos_store_account_by_name(st, &a, "before"));
        vos_account_row_free(a);
        vos_audit_report rep;
        OK(vos_store_audit_verify(st, &rep));
        ck_assert_msg(rep.problem == VOS_AUDIT_OK, "after fault %d: %s", k, rep.message);
        ck_assert_int_eq(rep.records, acknowledged);
        vos_store_close(st);
        if (rc == 0 && spent <= k)
            break; /* the write needed fewer than k writes: every point was tried */
    }
    ck_assert_int_lt(k, FAULT_POINTS_MAX);
    ck_assert_int_gt(failures, 0);
    sqlite3_vfs_unregister(&faulty_vfs);
}
END_TEST


/* ---- backup --------------------------------------------------------------------------------- */

START_TEST(backup_is_a_consistent_copy_that_verifies)
{
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "Account %d", i);
        storetest_account(T.st, name, 1);
    }
    vos_audit_report rep;
    OK(vos_store_audit_verify(T.st, &rep));
    ck_assert_int_eq(rep.problem, VOS_AUDIT_OK);
    ck_assert_int_eq(rep.records, 5);

    char path[PATH_MAX + 32], url[PATH_MAX + 48];
    snprintf(path, sizeof path, "%s/copy.db", T.dir);
    FAILS(vos_store_backup(T.st, ""), VOS_EINVALID, "the backup path is empty");
    OK(vos_store_begin(T.st));
    FAILS(vos_store_backup(T.st, path), VOS_ECONFLICT, "transaction");
    OK(vos_store_rollback(T.st));
    OK(vos_store_backup(T.st, path));
    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0600);
    FAILS(vos_store_backup(T.st, path), VOS_ECONFLICT, "never overwrites");
    snprintf(path, sizeof path, "%s/no/such/dir/copy.db", T.dir);
    FAILS(vos_store_backup(T.st, path), VOS_ERROR, "cannot create the backup file");

    /* the original goes on; the copy holds exactly what was committed before it */
    storetest_account(T.st, "After the backup", 1);
    snprintf(url, sizeof url, "sqlite:%s/copy.db", T.dir);
    vos_store *copy = NULL;
    OK(vos_store_open(&copy, url));
    vos_audit_report crep;
    OK(vos_store_audit_verify(copy, &crep));
    ck_assert_int_eq(crep.problem, VOS_AUDIT_OK);
    ck_assert_int_eq(crep.records, 5);
    ck_assert_str_eq(crep.head_hash, rep.head_hash);
    vos_account_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    OK(vos_store_account_list(copy, &rows, &n, &q));
    ck_assert_uint_eq(n, 5);
    ck_assert_str_eq(rows[0].name, "Account 0");
    ck_assert_str_eq(rows[4].name, "Account 4");
    vos_account_rows_free(rows, n);
    vos_store_close(copy);
}
END_TEST

Suite *vos_test_store_sqlite_suite(void)
{
    Suite *s = suite_create("store_sqlite");
    TCase *tc = tcase_create("sqlite");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, wal_strict_tables_and_migrations);
    tcase_add_test(tc, schema_matches_the_entity_descriptions);
    tcase_add_test(tc, embedded_migrations_match_the_files);
    tcase_add_test(tc, newer_database_is_refused);
    tcase_add_test(tc, file_system_errors_are_clear);
    tcase_add_test(tc, second_writer_waits_then_reports_busy);
    tcase_add_test(tc, new_database_opened_by_two_processes);
    tcase_add_test(tc, backup_is_a_consistent_copy_that_verifies);
    tcase_add_test(tc, tamper_audit_content);
    tcase_add_test(tc, tamper_audit_actor);
    tcase_add_test(tc, tamper_audit_delete);
    tcase_add_test(tc, tamper_audit_delete_and_renumber);
    tcase_add_test(tc, tamper_audit_rehashed);
    tcase_add_test(tc, tamper_audit_truncate_tail);
    tcase_add_test(tc, tamper_entity_update);
    tcase_add_test(tc, tamper_entity_insert);
    tcase_add_test(tc, tamper_entity_delete);
    tcase_add_test(tc, tamper_measurement_value);
    tcase_add_test(tc, tamper_measurement_added);
    tcase_add_test(tc, tamper_range_narrowed);
    tcase_add_test(tc, tamper_dangling_reference);
    tcase_add_test(tc, tamper_migration_record);
    tcase_add_test(tc, io_errors_surface_and_leave_the_store_consistent);
    suite_add_tcase(s, tc);
    return s;
}
