/* The PostgreSQL schema (src/store/migrations/postgres/): its agreement with the entity
 * descriptions and with the SQLite schema's rule names, and the database refusing, by
 * itself, writes made behind VOS's back (as psql would make them).  Runs against
 * VOS_TEST_PG_URL (a template as VOS_TEST_STORE_URL, e.g.
 * "postgres://postgres@127.0.0.1:5432/{db}"); skipped with a message when it is unset. */
#include "store_fixture.h"

#include "vos/error.h"

#include <check.h>
#include <dirent.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQLITE_MIGRATIONS "src/store/migrations/sqlite"
#define NAMES_MAX 512 /* rule names collected from one schema */
#define FILE_MAX (1 << 20)

static storetest T;
static PGconn *raw;
static bool have_pg;

static void setup(void)
{
    const char *url = getenv("VOS_TEST_PG_URL");
    have_pg = url && *url;
    if (!have_pg) return;
    storetest_setup_url(&T, url);
    raw = PQconnectdb(T.url);
    ck_assert_msg(PQstatus(raw) == CONNECTION_OK, "connect %s: %s", T.url, PQerrorMessage(raw));
}

static void teardown(void)
{
    if (!have_pg) return;
    PQfinish(raw);
    raw = NULL;
    storetest_teardown(&T);
}

#define NEED_PG()                                                                                  \
    do {                                                                                           \
        if (!have_pg) {                                                                            \
            fprintf(stderr, "store_pg_schema: skipped (set VOS_TEST_PG_URL, e.g. "                 \
                            "postgres://postgres@127.0.0.1:5432/{db})\n");                         \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* Runs a query that must succeed; the caller clears the result. */
static PGresult *query(const char *sql, const char *param)
{
    const char *params[1] = {param};
    PGresult *r = PQexecParams(raw, sql, param ? 1 : 0, NULL, params, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(r);
    ck_assert_msg(s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK, "%s: %s", sql,
                  PQresultErrorMessage(r));
    return r;
}

static void exec_ok(const char *sql)
{
    PQclear(query(sql, NULL));
}

/* ---- the descriptions ----------------------------------------------------------------------- */

static const char *column_type(vos_field_type t)
{
    switch (t) {
    case VOS_FT_REAL:
        return "double precision";
    case VOS_FT_ID:
    case VOS_FT_REVISION:
    case VOS_FT_INT:
    case VOS_FT_REF:
    case VOS_FT_BOOL:
        return "bigint";
    default:
        return "text";
    }
}

static void check_table(const vos_entity_def *def)
{
    PGresult *r =
        query("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
              "WHERE table_schema = current_schema() AND table_name = $1 "
              "ORDER BY ordinal_position",
              def->table);
    ck_assert_msg((size_t)PQntuples(r) == def->n_fields, "%s has %d columns, %zu fields",
                  def->table, PQntuples(r), def->n_fields);
    for (size_t i = 0; i < def->n_fields; i++) {
        const vos_field_def *f = &def->fields[i];
        int row = (int)i;
        ck_assert_str_eq(PQgetvalue(r, row, 0), f->name);
        ck_assert_msg(strcmp(PQgetvalue(r, row, 1), column_type(f->type)) == 0,
                      "%s.%s is %s, not %s", def->table, f->name, PQgetvalue(r, row, 1),
                      column_type(f->type));
        bool optional = (f->flags & VOS_FF_OPTIONAL) != 0;
        ck_assert_msg(strcmp(PQgetvalue(r, row, 2), optional ? "YES" : "NO") == 0,
                      "%s.%s: nullable should be %d", def->table, f->name, optional);
    }
    PQclear(r);
}

/* Every table has the columns of its description, in its order, with their types. */
START_TEST(schema_matches_the_entity_descriptions)
{
    NEED_PG();
    for (int e = 0; e < VOS_ENTITY_COUNT; e++)
        check_table(vos_entity_def_get((vos_entity)e));
    check_table(vos_audit_def_get());
}
END_TEST

/* Each unique key of a description is a unique index of that name on its table, so the
 * constraint name PostgreSQL reports for a clash says which key was taken. */
START_TEST(unique_keys_are_unique_indexes_of_their_name)
{
    NEED_PG();
    for (int e = 0; e < VOS_ENTITY_COUNT; e++) {
        const vos_entity_def *def = vos_entity_def_get((vos_entity)e);
        for (size_t u = 0; u < def->n_uniques; u++) {
            PGresult *r = query("SELECT t.relname, x.indisunique FROM pg_class i "
                                "JOIN pg_index x ON x.indexrelid = i.oid "
                                "JOIN pg_class t ON t.oid = x.indrelid "
                                "WHERE i.relname = $1 AND i.relnamespace = "
                                "current_schema()::regnamespace",
                                def->uniques[u].name);
            ck_assert_msg(PQntuples(r) == 1, "no index named %s", def->uniques[u].name);
            ck_assert_str_eq(PQgetvalue(r, 0, 0), def->table);
            ck_assert_str_eq(PQgetvalue(r, 0, 1), "t");
            PQclear(r);
        }
    }
}
END_TEST

/* ---- rule names ----------------------------------------------------------------------------- */

typedef struct names {
    char *v[NAMES_MAX];
    size_t n;
} names;

static void names_add(names *ns, const char *s, size_t len)
{
    for (size_t i = 0; i < ns->n; i++)
        if (strlen(ns->v[i]) == len && strncmp(ns->v[i], s, len) == 0) return;
    ck_assert_uint_lt(ns->n, NAMES_MAX);
    ns->v[ns->n] = strndup(s, len);
    ck_assert_ptr_nonnull(ns->v[ns->n]);
    ns->n++;
}

static void names_free(names *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free(ns->v[i]);
    ns->n = 0;
}

static bool names_has(const names *ns, const char *s)
{
    for (size_t i = 0; i < ns->n; i++)
        if (strcmp(ns->v[i], s) == 0) return true;
    return false;
}

/* Adds every name that follows `mark` up to `end` in text. */
static void scan(names *ns, const char *text, const char *mark, char end)
{
    for (const char *p = strstr(text, mark); p; p = strstr(p, mark)) {
        p += strlen(mark);
        const char *q = strchr(p, end);
        if (q) names_add(ns, p, (size_t)(q - p));
    }
}

/* The CHECK constraint and RAISE names of every SQLite migration. */
static void sqlite_rules(names *ns)
{
    DIR *d = opendir(SQLITE_MIGRATIONS);
    ck_assert_msg(d != NULL, "cannot read %s (run the tests from the repository root)",
                  SQLITE_MIGRATIONS);
    char *buf = malloc(FILE_MAX);
    ck_assert_ptr_nonnull(buf);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 4, ".sql") != 0) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", SQLITE_MIGRATIONS, e->d_name);
        FILE *f = fopen(path, "rb");
        ck_assert_msg(f != NULL, "cannot read %s", path);
        size_t n = fread(buf, 1, FILE_MAX - 1, f);
        fclose(f);
        buf[n] = '\0';
        scan(ns, buf, "CONSTRAINT \"", '"');
        scan(ns, buf, "RAISE(ABORT, '", '\'');
    }
    closedir(d);
    free(buf);
}

/* The CHECK constraint names and the rules the triggers raise in the PostgreSQL schema. */
static void pg_rules(names *ns)
{
    PGresult *r = query("SELECT conname FROM pg_constraint WHERE contype = 'c' AND connamespace = "
                        "current_schema()::regnamespace "
                        "UNION SELECT substring(pg_get_triggerdef(t.oid) FROM "
                        "'vos_refuse\\(''([^'']+)''') FROM pg_trigger t WHERE NOT t.tgisinternal",
                        NULL);
    for (int i = 0; i < PQntuples(r); i++)
        if (!PQgetisnull(r, i, 0)) names_add(ns, PQgetvalue(r, i, 0), strlen(PQgetvalue(r, i, 0)));
    PQclear(r);
}

/* Every rule of the SQLite schema has its name here too, so that a violation reads the same
 * on both backends (schema.c's messages are looked up by these names). */
START_TEST(every_sqlite_rule_has_its_name)
{
    NEED_PG();
    /* SQLite's counter of measurement ids (0006): PostgreSQL gives them from an identity. */
    static const char *const sqlite_only[] = {"measurement_ids.one", "measurement_ids.next_id"};
    names sq = {0}, pg = {0};
    sqlite_rules(&sq);
    pg_rules(&pg);
    ck_assert_uint_gt(sq.n, 100);
    for (size_t i = 0; i < sq.n; i++) {
        bool skip = false;
        for (size_t k = 0; k < sizeof sqlite_only / sizeof sqlite_only[0]; k++)
            skip |= strcmp(sq.v[i], sqlite_only[k]) == 0;
        ck_assert_msg(skip || names_has(&pg, sq.v[i]), "rule %s is missing on PostgreSQL", sq.v[i]);
    }
    names_free(&sq);
    names_free(&pg);
}
END_TEST

/* ---- refusals ------------------------------------------------------------------------------- */

typedef struct refusal {
    const char *sql;
    const char *state; /* SQLSTATE */
    const char *name;  /* the constraint PostgreSQL names */
} refusal;

#define STAMP "'2026-01-05T10:00:00.000Z'"

/* A few rows, written as psql would (no VOS in between). */
static void seed(void)
{
    exec_ok("INSERT INTO accounts (revision, created_at, updated_at, name, size) "
            "VALUES (1, " STAMP ", " STAMP ", 'Acme', 'smb')");
    exec_ok("INSERT INTO models (revision, created_at, updated_at, key, name) "
            "VALUES (1, " STAMP ", " STAMP ", 'sda', 'SDA')");
    exec_ok("INSERT INTO model_versions (revision, created_at, updated_at, model_id, version, "
            "status, source, content_sha256, approved_at) VALUES (1, " STAMP ", " STAMP
            ", 1, '1.0.0', 'approved', 'model: sda', repeat('a', 64), " STAMP ")");
    exec_ok("INSERT INTO ingestions (created_at) VALUES (" STAMP ")");
    exec_ok("INSERT INTO measurements (ingestion_id, account_id, kpi_key, at, value, source) "
            "VALUES (1, 1, 'mttr', " STAMP ", 4.5, 'itsm')");
    exec_ok("INSERT INTO audit_log VALUES (1, " STAMP ", 'psql', 'account.create', 'account', "
            "1, NULL, '{}', repeat('0', 64), repeat('1', 64))");
}

/* Writes that break a rule fail with its SQLSTATE and name, whoever makes them. */
START_TEST(the_database_refuses_writes_behind_vos)
{
    NEED_PG();
    seed();
    static const refusal cases[] = {
        {"UPDATE audit_log SET actor = 'mallory'", "23514", "audit.append_only"},
        {"DELETE FROM audit_log", "23514", "audit.append_only"},
        {"TRUNCATE audit_log", "23514", "audit.append_only"},
        {"UPDATE model_versions SET source = 'model: x'", "23514", "model_version.frozen"},
        {"DELETE FROM model_versions", "23514", "model_version.frozen"},
        {"UPDATE model_versions SET status = 'draft'", "23514", "model_version.status"},
        {"UPDATE measurements SET value = 5", "23514", "measurement.frozen"},
        {"TRUNCATE measurements", "23514", "measurement.frozen"},
        {"DELETE FROM ingestions", "23514", "ingestion.frozen"},
        {"INSERT INTO measurements (ingestion_id, account_id, kpi_key, at, value, source) "
         "VALUES (1, 1, 'mttr', '2026-01-06T10:00:00.000Z', 'NaN', 'itsm')",
         "23514", "measurement.value"},
        {"INSERT INTO measurements (ingestion_id, account_id, kpi_key, at, value, source) "
         "VALUES (1, 1, 'mttr', " STAMP ", 4.5, 'itsm')",
         "23505", "measurement.key"},
        /* 2026 is no leap year; a stamp has milliseconds and a Z */
        {"UPDATE accounts SET updated_at = '2026-02-29T10:00:00.000Z'", "23514",
         "account.updated_at"},
        {"UPDATE accounts SET updated_at = '2026-01-05T10:00:00Z'", "23514", "account.updated_at"},
        {"UPDATE accounts SET segments = '{\"emea\": 1}'", "23514", "account.segments"},
        {"UPDATE accounts SET segments = '[\"emea\"'", "23514", "account.segments"},
        {"INSERT INTO accounts (revision, created_at, updated_at, name, size) "
         "VALUES (1, " STAMP ", " STAMP ", 'ACME', 'smb')",
         "23505", "account.name"},
        {"UPDATE models SET key = 'Sda'", "23514", "model.key"},
        {"INSERT INTO organisation VALUES (2, 1, " STAMP ", " STAMP ", 'V', 'USD', 1, 0.1, 30, 0)",
         "23514", "organisation.id"},
        {"INSERT INTO cases (revision, created_at, updated_at, account_id, model_version_id, name, "
         "stage, overrides) VALUES (1, " STAMP ", " STAMP ", 1, 1, 'Pilot', 'won', '{}')",
         "23514", "case.stage"},
        {"INSERT INTO cases (revision, created_at, updated_at, account_id, model_version_id, name, "
         "stage, overrides) VALUES (1, " STAMP ", " STAMP ", 1, 9, 'Pilot', 'lost', '{}')",
         "23503", "case.model_version_id_fkey"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        PGresult *r = PQexec(raw, cases[i].sql);
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        const char *name = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME);
        ck_assert_msg(state && strcmp(state, cases[i].state) == 0, "%s: state %s, not %s (%s)",
                      cases[i].sql, state ? state : "none", cases[i].state,
                      PQresultErrorMessage(r));
        ck_assert_msg(name && strcmp(name, cases[i].name) == 0, "%s: constraint %s, not %s",
                      cases[i].sql, name ? name : "none", cases[i].name);
        PQclear(r);
    }
    /* nothing of it happened */
    PGresult *r = query("SELECT (SELECT count(*) FROM audit_log) || ' ' || "
                        "(SELECT count(*) FROM measurements) || ' ' || "
                        "(SELECT status FROM model_versions) || ' ' || "
                        "(SELECT updated_at FROM accounts)",
                        NULL);
    ck_assert_str_eq(PQgetvalue(r, 0, 0), "1 1 approved 2026-01-05T10:00:00.000Z");
    PQclear(r);
}
END_TEST

/* Names compared without case find their row; texts otherwise compare and sort by bytes. */
START_TEST(names_ignore_case_and_texts_sort_by_bytes)
{
    NEED_PG();
    seed();
    PGresult *r = query("SELECT count(*) FROM accounts WHERE name = $1", "aCmE");
    ck_assert_str_eq(PQgetvalue(r, 0, 0), "1");
    PQclear(r);
    r = query("SELECT count(*) FROM models WHERE key = $1", "SDA");
    ck_assert_str_eq(PQgetvalue(r, 0, 0), "0");
    PQclear(r);
    /* by bytes, as SQLite's BINARY: 'Z' (0x5A) < '_' (0x5F) < 'a' (0x61) */
    exec_ok("INSERT INTO benchmarks (revision, created_at, updated_at, input_key, value, source, "
            "as_of) SELECT 1, " STAMP ", " STAMP ", 'rate', 1, s, '2026-01-01' "
            "FROM unnest(ARRAY['a', '_', 'Z']) AS s");
    r = query("SELECT string_agg(source, ',' ORDER BY source) FROM benchmarks", NULL);
    ck_assert_str_eq(PQgetvalue(r, 0, 0), "Z,_,a");
    PQclear(r);
    const char *const dates[][2] = {{"2024-02-29", "t"}, {"2100-02-29", "f"}, {"2000-02-29", "t"},
                                    {"2026-04-31", "f"}, {"2026-13-01", "f"}, {"2026-1-01", "f"}};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        r = query("SELECT vos_is_date($1)", dates[i][0]);
        ck_assert_msg(strcmp(PQgetvalue(r, 0, 0), dates[i][1]) == 0, "vos_is_date(%s) is %s",
                      dates[i][0], PQgetvalue(r, 0, 0));
        PQclear(r);
    }
}
END_TEST

Suite *vos_test_store_pg_schema_suite(void)
{
    Suite *s = suite_create("store_pg_schema");
    TCase *tc = tcase_create("schema");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, schema_matches_the_entity_descriptions);
    tcase_add_test(tc, unique_keys_are_unique_indexes_of_their_name);
    tcase_add_test(tc, every_sqlite_rule_has_its_name);
    tcase_add_test(tc, the_database_refuses_writes_behind_vos);
    tcase_add_test(tc, names_ignore_case_and_texts_sort_by_bytes);
    suite_add_tcase(s, tc);
    return s;
}
