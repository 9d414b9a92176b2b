/* The app layer: organisation, users, accounts, permissions and scoping, audit, backup. */
#include "app_fixture.h"

#include "vos/error.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static apptest T;

static void setup(void)
{
    apptest_setup(&T);
}

static void teardown(void)
{
    apptest_teardown(&T);
}

static vos_actor actor(const char *name, vos_role role, int64_t user_id, int64_t account_id)
{
    return (vos_actor){.name = name, .user_id = user_id, .role = role, .account_id = account_id};
}

/* ---- organisation --------------------------------------------------------------------------- */

START_TEST(init_creates_the_organisation_once)
{
    /* the fixture's init was audit record 1 */
    apptest_audit_is(&T, 1, "organisation.init", "organisation", 1, "system");
    vos_organisation_row *org = NULL;
    OK(vos_store_organisation_get(T.s.st, &org, 1));
    ck_assert_str_eq(org->name, "Vendor Inc");
    ck_assert_str_eq(org->currency, "USD");
    ck_assert_double_eq(org->default_tolerance, 0.1);
    ck_assert_int_eq(org->stale_after_days, 30);
    ck_assert_int_eq(org->fiscal_year_start, 1);
    vos_organisation_row_free(org);

    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_ORGANISATION, 1);
    int created = -1;
    OK(vos_app_init(T.app, &T.admin, "Other", "EUR", &created));
    ck_assert_int_eq(created, 0);
    apptest_unchanged(&T, &s, VOS_ENTITY_ORGANISATION, 1);
}
END_TEST

START_TEST(init_is_for_admins)
{
    vos_actor seller = actor("sam@vendor.example", VOS_ROLE_SELLER, 7, 0);
    int created = -1;
    FAILS(vos_app_init(T.app, &seller, "X", "USD", &created), VOS_EFORBIDDEN,
          "sam@vendor.example (seller) may not set up the organisation");
    ck_assert_int_eq(created, 0);
}
END_TEST

/* ---- users and accounts --------------------------------------------------------------------- */

START_TEST(user_and_account_add_are_audited)
{
    vos_user_row u = {
        .email = "ana@vendor.example", .name = "Ana", .role = VOS_ROLE_SELLER, .active = true};
    OK(vos_app_user_add(T.app, &T.admin, &u));
    ck_assert_int_gt(u.id, 0);
    apptest_audit_is(&T, 2, "user.add", "user", u.id, "system");

    vos_actor ana = actor("ana@vendor.example", VOS_ROLE_SELLER, u.id, 0);
    vos_account_row a = {.name = "Acme", .industry = "Manufacturing", .owner_user_id = u.id};
    OK(vos_app_account_add(T.app, &ana, &a));
    apptest_audit_is(&T, 3, "account.add", "account", a.id, "ana@vendor.example");

    vos_account_row *got = NULL;
    OK(vos_app_account_get(T.app, &ana, "acme", &got)); /* names compare without case */
    ck_assert_int_eq(got->id, a.id);
    ck_assert_str_eq(got->industry, "Manufacturing");
    vos_account_row_free(got);

    vos_user_row *users = NULL;
    size_t n = 0;
    OK(vos_app_user_list(T.app, &ana, &users, &n, NULL));
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(users[0].email, "ana@vendor.example");
    vos_user_rows_free(users, n);
    apptest_verify(&T);
}
END_TEST

START_TEST(failed_writes_change_nothing)
{
    int64_t acme = apptest_account(&T, "Acme", 0);
    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_ACCOUNT, acme);
    vos_account_row dup = {.name = "ACME"};
    FAILS(vos_app_account_add(T.app, &T.admin, &dup), VOS_ECONFLICT,
          "account name 'ACME' already exists");
    apptest_unchanged(&T, &s, VOS_ENTITY_ACCOUNT, acme);

    apptest_capture(&T, &s, VOS_ENTITY_USER, 1);
    vos_user_row bad = {.email = "not-an-email", .name = "X", .role = VOS_ROLE_SELLER};
    ck_assert_int_eq(vos_app_user_add(T.app, &T.admin, &bad), VOS_EINVALID);
    ck_assert_ptr_nonnull(strstr(vos_error_last(), "user email"));
    apptest_unchanged(&T, &s, VOS_ENTITY_USER, 1);

    /* a customer user needs the account it is scoped to */
    apptest_capture(&T, &s, VOS_ENTITY_USER, 1);
    vos_user_row cust = {.email = "c@acme.example", .name = "C", .role = VOS_ROLE_CUSTOMER};
    ck_assert_int_lt(vos_app_user_add(T.app, &T.admin, &cust), 0);
    apptest_unchanged(&T, &s, VOS_ENTITY_USER, 1);

    vos_actor csm = actor("c@vendor.example", VOS_ROLE_CSM, 3, 0);
    apptest_capture(&T, &s, VOS_ENTITY_USER, 1);
    vos_user_row u = {.email = "x@vendor.example", .name = "X", .role = VOS_ROLE_ADMIN};
    FAILS(vos_app_user_add(T.app, &csm, &u), VOS_EFORBIDDEN, "(csm) may not add users");
    apptest_unchanged(&T, &s, VOS_ENTITY_USER, 1);
}
END_TEST

/* ---- permissions ---------------------------------------------------------------------------- */

START_TEST(permission_table)
{
    vos_actor admin = T.admin;
    vos_actor ve = actor("v", VOS_ROLE_VALUE_ENGINEER, 1, 0);
    vos_actor seller = actor("s", VOS_ROLE_SELLER, 2, 0);
    vos_actor csm = actor("c", VOS_ROLE_CSM, 3, 0);
    vos_actor exec = actor("e", VOS_ROLE_EXECUTIVE, 4, 0);
    vos_actor cust = actor("k", VOS_ROLE_CUSTOMER, 5, 1);
    vos_actor partner = actor("p", VOS_ROLE_PARTNER, 6, 0);
    for (int op = 0; op < VOS_APP_OP_COUNT; op++)
        ck_assert(vos_app_allows(&admin, (vos_app_op)op));
    ck_assert(vos_app_allows(&ve, VOS_OP_MODEL_WRITE));
    ck_assert(!vos_app_allows(&seller, VOS_OP_MODEL_WRITE));
    ck_assert(vos_app_allows(&seller, VOS_OP_CASE_COMMIT));
    ck_assert(!vos_app_allows(&csm, VOS_OP_CASE_COMMIT));
    ck_assert(vos_app_allows(&csm, VOS_OP_CASE_TRANSITION));
    ck_assert(!vos_app_allows(&exec, VOS_OP_CASE_EDIT));
    ck_assert(vos_app_allows(&exec, VOS_OP_AUDIT_READ));
    ck_assert(vos_app_allows(&cust, VOS_OP_CASE_READ));
    ck_assert(!vos_app_allows(&cust, VOS_OP_MODEL_READ));
    ck_assert(!vos_app_allows(&cust, VOS_OP_CASE_CREATE));
    ck_assert(!vos_app_allows(&partner, VOS_OP_AUDIT_READ));
    ck_assert(!vos_app_allows(&seller, VOS_OP_BACKUP));
    ck_assert(!vos_app_allows(NULL, VOS_OP_CASE_READ));
    ck_assert(!vos_app_allows(&admin, VOS_APP_OP_COUNT));

    vos_actor nameless = actor(NULL, VOS_ROLE_ADMIN, 0, 0);
    vos_account_row *rows = NULL;
    size_t n = 0;
    FAILS(vos_app_account_list(T.app, &nameless, &rows, &n, NULL), VOS_EINVALID,
          "the actor has no name");
    vos_actor bad_role = actor("x", (vos_role)42, 0, 0);
    FAILS(vos_app_account_list(T.app, &bad_role, &rows, &n, NULL), VOS_EINVALID, "not a role");
    vos_audit_row *log = NULL;
    FAILS(vos_app_audit_log(T.app, &cust, &log, &n, NULL), VOS_EFORBIDDEN,
          "may not read the audit log");
}
END_TEST

/* ---- scoping -------------------------------------------------------------------------------- */

START_TEST(customers_see_only_their_account)
{
    char *text = apptest_sda("1.2.0");
    apptest_import_approved(&T, text, "1.2.0");
    free(text);
    int64_t acme = apptest_account(&T, "Acme", 0);
    apptest_account(&T, "Globex", 0);
    int64_t c_acme = apptest_case(&T, "Acme", "Acme service desk", NULL);
    int64_t c_globex = apptest_case(&T, "Globex", "Globex service desk", NULL);
    vos_actor cust = actor("it@acme.example", VOS_ROLE_CUSTOMER, 9, acme);

    vos_account_row *rows = NULL;
    size_t n = 0;
    OK(vos_app_account_list(T.app, &cust, &rows, &n, NULL));
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(rows[0].name, "Acme");
    vos_account_rows_free(rows, n);

    vos_account_row *a = NULL;
    FAILS(vos_app_account_get(T.app, &cust, "Globex", &a), VOS_ENOTFOUND,
          "account 'Globex' does not exist");
    ck_assert_ptr_null(a);

    vos_case_row *cases = NULL;
    OK(vos_app_case_list(T.app, &cust, &cases, &n, NULL));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(cases[0].id, c_acme);
    vos_case_rows_free(cases, n);

    vos_case_row *c = NULL;
    OK(vos_app_case_get(T.app, &cust, c_acme, &c));
    vos_case_row_free(c);
    c = NULL;
    char msg[64];
    snprintf(msg, sizeof msg, "case %lld does not exist", (long long)c_globex);
    FAILS(vos_app_case_get(T.app, &cust, c_globex, &c), VOS_ENOTFOUND, msg);
    vos_model *m = NULL;
    vos_case *vc = NULL;
    FAILS(vos_app_case_open(T.app, &cust, c_globex, &m, &vc), VOS_ENOTFOUND, msg);
    OK(vos_app_case_open(T.app, &cust, c_acme, &m, &vc));
    vos_case_free(vc);
    vos_model_free(m);

    FAILS(vos_app_case_create(T.app, &cust, "Acme", "Mine", SDA_KEY, NULL, &c), VOS_EFORBIDDEN,
          "(customer) may not create cases");
    FAILS(vos_app_model_load(T.app, &cust, SDA_KEY, NULL, &m, NULL), VOS_EFORBIDDEN,
          "may not read models");
}
END_TEST

/* A partner sees the accounts it owns; pages are filled across the store's pages. */
START_TEST(partners_see_their_accounts_page_by_page)
{
    vos_user_row u = {
        .email = "p@partner.example", .name = "P", .role = VOS_ROLE_PARTNER, .active = true};
    OK(vos_app_user_add(T.app, &T.admin, &u));
    int64_t mine[4];
    int k = 0;
    for (int i = 0; i < 12; i++) {
        char name[32];
        snprintf(name, sizeof name, "Account %02d", i);
        int64_t id = apptest_account(&T, name, i % 3 == 2 ? u.id : 0);
        if (i % 3 == 2) mine[k++] = id;
    }
    vos_actor p = actor("p@partner.example", VOS_ROLE_PARTNER, u.id, 0);
    vos_store_query q = {.limit = 3};
    vos_account_row *rows = NULL;
    size_t n = 0;
    OK(vos_app_account_list(T.app, &p, &rows, &n, &q));
    ck_assert_uint_eq(n, 3);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(rows[i].id, mine[i]);
    q.after_id = rows[n - 1].id;
    vos_account_rows_free(rows, n);
    OK(vos_app_account_list(T.app, &p, &rows, &n, &q));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(rows[0].id, mine[3]);
    q.after_id = rows[0].id;
    vos_account_rows_free(rows, n);
    OK(vos_app_account_list(T.app, &p, &rows, &n, &q));
    ck_assert_uint_eq(n, 0);
    vos_account_rows_free(rows, n);

    vos_account_row *a = NULL;
    OK(vos_app_account_get(T.app, &p, "Account 02", &a));
    vos_account_row_free(a);
    a = NULL;
    FAILS(vos_app_account_get(T.app, &p, "Account 01", &a), VOS_ENOTFOUND, "does not exist");
}
END_TEST

/* ---- audit ---------------------------------------------------------------------------------- */

START_TEST(audit_log_lists_every_write)
{
    apptest_account(&T, "Acme", 0);
    apptest_account(&T, "Globex", 0);
    vos_audit_row *rows = NULL;
    size_t n = 0;
    OK(vos_app_audit_log(T.app, &T.admin, &rows, &n, NULL));
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(rows[0].operation, "organisation.init");
    ck_assert_str_eq(rows[1].operation, "account.add");
    ck_assert_ptr_null(rows[1].before_json);
    ck_assert_ptr_nonnull(strstr(rows[2].after_json, "\"name\":\"Globex\""));
    vos_audit_rows_free(rows, n);
    apptest_verify(&T);
}
END_TEST

/* ---- backup --------------------------------------------------------------------------------- */

START_TEST(backup_copies_a_database_that_verifies)
{
    if (!storetest_is_sqlite(&T.s)) { /* file backups are SQLite's; pg_dump takes PostgreSQL's */
        char to[PATH_MAX + 32];
        snprintf(to, sizeof to, "%s/backup.db", T.s.dir);
        FAILS(vos_app_backup(T.app, &T.admin, to), VOS_EINVALID, "pg_dump");
        return;
    }
    char *text = apptest_sda("1.2.0");
    apptest_import_approved(&T, text, "1.2.0");
    free(text);
    apptest_account(&T, "Acme", 0);
    int64_t c = apptest_case(&T, "Acme", "Q3", NULL);
    vos_input_override ov = {.value = 11000, .has_value = 1};
    OK(vos_app_case_set(T.app, &T.admin, c, "tickets", &ov, 0, NULL));

    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/backup.db", T.s.dir);
    OK(vos_app_backup(T.app, &T.admin, path));
    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0600);

    char url[PATH_MAX + 64];
    snprintf(url, sizeof url, "sqlite:%s", path);
    vos_app *copy = NULL;
    OK(vos_app_open(&copy, url));
    vos_audit_report orig, r;
    OK(vos_app_audit_verify(T.app, &T.admin, &orig));
    OK(vos_app_audit_verify(copy, &T.admin, &r));
    ck_assert_msg(r.problem == VOS_AUDIT_OK, "%s", r.message);
    ck_assert_int_eq(r.records, orig.records);
    ck_assert_str_eq(r.head_hash, orig.head_hash);
    vos_case_row *row = NULL;
    OK(vos_app_case_get(copy, &T.admin, c, &row));
    ck_assert_str_eq(row->overrides, "{\"tickets\":{\"value\":11000}}");
    vos_case_row_free(row);
    vos_app_close(copy);

    /* never over an existing file, only by admins */
    FAILS(vos_app_backup(T.app, &T.admin, path), VOS_ECONFLICT, "already exists");
    ck_assert_int_eq(stat(path, &sb), 0);
    vos_actor exec = actor("e", VOS_ROLE_EXECUTIVE, 4, 0);
    snprintf(path, sizeof path, "%s/backup2.db", T.s.dir);
    FAILS(vos_app_backup(T.app, &exec, path), VOS_EFORBIDDEN, "may not back up");
    ck_assert_int_ne(stat(path, &sb), 0);
    FAILS(vos_app_backup(T.app, &T.admin, ""), VOS_EINVALID, "backup path is empty");
    snprintf(path, sizeof path, "%s/no/such/dir.db", T.s.dir);
    FAILS(vos_app_backup(T.app, &T.admin, path), VOS_ERROR, "cannot create the backup file");
}
END_TEST

/* A backup runs while another handle holds a write transaction open (WAL: readers go on). */
START_TEST(backup_is_online)
{
    if (!storetest_is_sqlite(&T.s)) return; /* file backups are SQLite's */
    apptest_account(&T, "Acme", 0);
    vos_store *other = storetest_open(&T.s);
    OK(vos_store_begin(other));
    vos_account_row a = {.name = "Uncommitted"};
    OK(vos_store_account_create(other, &a));
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/online.db", T.s.dir);
    OK(vos_app_backup(T.app, &T.admin, path));
    OK(vos_store_rollback(other));
    vos_store_close(other);

    char url[PATH_MAX + 64];
    snprintf(url, sizeof url, "sqlite:%s", path);
    vos_store *copy = NULL;
    OK(vos_store_open(&copy, url));
    vos_account_row *rows = NULL;
    size_t n = 0;
    OK(vos_store_account_list(copy, &rows, &n, NULL));
    ck_assert_uint_eq(n, 1); /* the committed account only */
    ck_assert_str_eq(rows[0].name, "Acme");
    vos_account_rows_free(rows, n);
    vos_audit_report r;
    OK(vos_store_audit_verify(copy, &r));
    ck_assert_msg(r.problem == VOS_AUDIT_OK, "%s", r.message);
    vos_store_close(copy);
}
END_TEST

/* ---- semantic version order ----------------------------------------------------------------- */

START_TEST(latest_approved_follows_semver_order)
{
    const char *versions[] = {"1.2.0", "1.10.0", "1.9.0"};
    for (size_t i = 0; i < 3; i++) {
        char *text = apptest_sda(versions[i]);
        apptest_import_approved(&T, text, versions[i]);
        free(text);
    }
    vos_model *m = NULL;
    vos_model_version_row *v = NULL;
    OK(vos_app_model_load(T.app, &T.admin, SDA_KEY, NULL, &m, &v));
    ck_assert_str_eq(v->version, "1.10.0");
    ck_assert_str_eq(m->version, "1.10.0");
    vos_model_free(m);
    vos_model_version_row_free(v);

    /* 2.0.0-rc.1 ranks above 1.10.0 and below 2.0.0 (SemVer 2.0.0, section 11) */
    const char *more[] = {"2.0.0-rc.1", "2.0.0-beta.11", "2.0.0-beta.2"};
    for (size_t i = 0; i < 3; i++) {
        char *text = apptest_sda(more[i]);
        apptest_import_approved(&T, text, more[i]);
        free(text);
    }
    OK(vos_app_model_load(T.app, &T.admin, SDA_KEY, NULL, &m, &v));
    ck_assert_str_eq(v->version, "2.0.0-rc.1");
    vos_model_free(m);
    vos_model_version_row_free(v);
    OK(vos_app_model_retire(T.app, &T.admin, SDA_KEY, "2.0.0-rc.1", NULL));
    OK(vos_app_model_load(T.app, &T.admin, SDA_KEY, NULL, &m, &v));
    ck_assert_str_eq(v->version, "2.0.0-beta.11"); /* numeric identifiers compare as numbers */
    vos_model_free(m);
    vos_model_version_row_free(v);
    apptest_verify(&T);
}
END_TEST

Suite *vos_test_app_suite(void)
{
    Suite *s = suite_create("app");
    TCase *tc = tcase_create("app");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, init_creates_the_organisation_once);
    tcase_add_test(tc, init_is_for_admins);
    tcase_add_test(tc, user_and_account_add_are_audited);
    tcase_add_test(tc, failed_writes_change_nothing);
    tcase_add_test(tc, permission_table);
    tcase_add_test(tc, customers_see_only_their_account);
    tcase_add_test(tc, partners_see_their_accounts_page_by_page);
    tcase_add_test(tc, audit_log_lists_every_write);
    tcase_add_test(tc, backup_copies_a_database_that_verifies);
    tcase_add_test(tc, backup_is_online);
    tcase_add_test(tc, latest_approved_follows_semver_order);
    suite_add_tcase(s, tc);
    return s;
}
