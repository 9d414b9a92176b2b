/* The floor of the ingestion benchmark: what SQLite itself takes to store the same points in
 * VOS's measurements table, from a bare C loop with no CSV, no checks and no audit.
 *
 * Usage: sqlite_floor DB POINTS FIRST_ACCOUNT ACCOUNTS
 * DB is a copy of the benchmark's template database (its schema and accounts FIRST_ACCOUNT ..
 * FIRST_ACCOUNT + ACCOUNTS - 1).  Writes POINTS points of ACCOUNTS x 5 series, hourly, in
 * batches of 100,000 as vos ingest does: one transaction and one ingestion row each, rows
 * sorted by series, one prepared INSERT ... ON CONFLICT DO NOTHING, CHECK constraints not
 * evaluated, the batch's id range recorded in ingestion_ranges, WAL with synchronous=FULL,
 * foreign keys on, memory statistics off, and the
 * settings of vos ingest's bulk load: a 64 MiB page cache, checkpoints every 64 MiB of
 * write-ahead log.  Prints
 * `floor_s SECONDS` (the loop, commits included). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BATCH 100000
#define KPIS 5

static const char *const kpi[KPIS] = {"triage_effort", "mttr", "self_service_rate",
                                      "escalation_share", "p1_incidents"};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int run(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK) return 0;
    fprintf(stderr, "sqlite_floor: %s: %s\n", sql, err);
    sqlite3_free(err);
    return -1;
}

/* Checkpoints every 64 MiB of write-ahead log, in pages of the database's size. */
static int set_checkpoints(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    long page = 4096;
    if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        page = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint = %ld", (64L << 20) / page);
    return run(db, sql);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: sqlite_floor DB POINTS FIRST_ACCOUNT ACCOUNTS\n");
        return 2;
    }
    long points = atol(argv[2]), first = atol(argv[3]), accounts = atol(argv[4]);
    long series = accounts * KPIS, hours = (points + series - 1) / series;
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3 *db = NULL;
    sqlite3_stmt *ins = NULL;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK ||
        run(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                "PRAGMA ignore_check_constraints = ON; PRAGMA cache_size = -65536") < 0 ||
        set_checkpoints(db) < 0 ||
        sqlite3_prepare_v3(db,
                           "INSERT INTO measurements (ingestion_id, account_id, kpi_key, at, "
                           "value, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT "
                           "(account_id, kpi_key, at, source) DO NOTHING",
                           -1, SQLITE_PREPARE_PERSISTENT, &ins, NULL) != SQLITE_OK) {
        fprintf(stderr, "sqlite_floor: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    time_t start = time(NULL) - (time_t)hours * 3600;
    double t0 = now_s();
    for (long done = 0; done < points;) {
        long n = points - done < BATCH ? points - done : BATCH;
        long h0 = done / series, h1 = (done + n - 1) / series; /* hours of this batch */
        if (run(db, "BEGIN IMMEDIATE; INSERT INTO ingestions (created_at, label) "
                    "VALUES ('2026-01-01T00:00:00.000Z', 'floor')") < 0)
            return 1;
        sqlite3_int64 ing = sqlite3_last_insert_rowid(db);
        for (long s = 0; s < series; s++) /* series by series, as vos ingest writes a batch */
            for (long h = h0; h <= h1; h++) {
                long i = h * series + s;
                if (i < done || i >= done + n) continue;
                char at[48], source[48];
                time_t t = start + h * 3600;
                struct tm tm;
                gmtime_r(&t, &tm);
                strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
                snprintf(source, sizeof source, "bench-telemetry-%03ld", s / KPIS);
                sqlite3_bind_int64(ins, 1, ing);
                sqlite3_bind_int64(ins, 2, first + s / KPIS);
                sqlite3_bind_text(ins, 3, kpi[s % KPIS], -1, SQLITE_STATIC);
                sqlite3_bind_text(ins, 4, at, -1, SQLITE_TRANSIENT);
                sqlite3_bind_double(ins, 5, (double)(i % 1000) / 100);
                sqlite3_bind_text(ins, 6, source, -1, SQLITE_TRANSIENT);
                if (sqlite3_step(ins) != SQLITE_DONE) {
                    fprintf(stderr, "sqlite_floor: %s\n", sqlite3_errmsg(db));
                    return 1;
                }
                sqlite3_reset(ins);
            }
        char range[320]; /* where the batch's points lie, as the store records it */
        snprintf(range, sizeof range,
                 "INSERT INTO ingestion_ranges (ingestion_id, first_id, last_id) "
                 "SELECT %lld, min(id), max(id) FROM measurements WHERE id > (SELECT "
                 "coalesce(max(last_id), 0) FROM ingestion_ranges); COMMIT",
                 (long long)ing);
        if (run(db, range) < 0) return 1;
        done += n;
    }
    printf("floor_s %.3f\n", now_s() - t0);
    sqlite3_finalize(ins);
    sqlite3_close(db);
    return 0;
}
