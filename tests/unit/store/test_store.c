/* The store interface suite: written against include/vos/store.h only, so that every backend
 * runs it unchanged (VOS_TEST_STORE_URL, see store_fixture.h).  Rows, revisions, cursors,
 * transactions, and every kind of constraint violation with the message a user sees; after
 * each failure the data is checked to be unchanged.
 *
 * Reference: SHA-256("abc") = ba7816bf...f20015ad is the FIPS 180-2 example (Appendix B.1). */
#include "store_fixture.h"

#include "vos/error.h"
#include "vos/store.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static storetest T;

static void setup(void)
{
    storetest_setup(&T);
}

static void teardown(void)
{
    storetest_teardown(&T);
}

/* Rows of an entity, by listing pages (the count the caller can observe). */
static size_t count_accounts(vos_store *st)
{
    vos_account_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    OK(vos_store_account_list(st, &rows, &n, &q));
    vos_account_rows_free(rows, n);
    return n;
}

/* ---- opening and transactions --------------------------------------------------------------- */

START_TEST(open_rejects_bad_urls)
{
    vos_store *st = (vos_store *)&T; /* must be reset to NULL on failure */
    FAILS(vos_store_open(&st, ""), VOS_EINVALID, "the store URL is empty");
    ck_assert_ptr_null(st);
    FAILS(vos_store_open(&st, "vos.db"), VOS_EINVALID, "has no scheme");
    FAILS(vos_store_open(&st, "mysql://host/db"), VOS_EINVALID, "unknown store scheme 'mysql'");
    FAILS(vos_store_open(&st, "sqlite:"), VOS_EINVALID, "names no database file");
    vos_store_close(NULL);
}
END_TEST

START_TEST(schema_is_current_and_reopen_is_idempotent)
{
    int v = vos_store_schema_version(T.st);
    ck_assert_int_ge(v, 1);
    int64_t id = storetest_account(T.st, "Acme", 0);
    vos_store_close(T.st);
    T.st = storetest_open(&T);
    ck_assert_int_eq(vos_store_schema_version(T.st), v);
    vos_account_row *a = NULL;
    OK(vos_store_account_get(T.st, &a, id));
    ck_assert_str_eq(a->name, "Acme");
    vos_account_row_free(a);
}
END_TEST

START_TEST(writes_need_a_transaction)
{
    vos_account_row a = {.name = "Acme"};
    FAILS(vos_store_account_create(T.st, &a), VOS_ERROR, "outside a transaction");
    FAILS(vos_store_audit_append(T.st, NULL, "x", "a.b", VOS_ENTITY_ACCOUNT, 1, NULL), VOS_ERROR,
          "outside a transaction");
    FAILS(vos_store_commit(T.st), VOS_ERROR, "no transaction is open");
    OK(vos_store_rollback(T.st)); /* a no-op */
    OK(vos_store_begin(T.st));
    FAILS(vos_store_begin(T.st), VOS_ECONFLICT, "already open");
    OK(vos_store_rollback(T.st));
    ck_assert_uint_eq(count_accounts(T.st), 0);
}
END_TEST

START_TEST(rollback_discards_everything)
{
    vos_account_row a = {.name = "Acme"}, b = {.name = "Beta"};
    OK(vos_store_begin(T.st));
    OK(vos_store_account_create(T.st, &a));
    OK(vos_store_account_create(T.st, &b));
    OK(vos_store_audit_append(T.st, NULL, "tester", "account.create", VOS_ENTITY_ACCOUNT, a.id,
                              NULL));
    OK(vos_store_rollback(T.st));
    ck_assert_uint_eq(count_accounts(T.st), 0);
    vos_audit_row *log = NULL;
    size_t n = 9;
    OK(vos_store_audit_list(T.st, &log, &n, NULL));
    ck_assert_uint_eq(n, 0);
    vos_audit_rows_free(log, n);
}
END_TEST

START_TEST(failed_write_keeps_the_rest_of_the_transaction)
{
    vos_account_row a = {.name = "Acme"}, dup = {.name = "ACME"}, b = {.name = "Beta"};
    OK(vos_store_begin(T.st));
    OK(vos_store_account_create(T.st, &a));
    FAILS(vos_store_account_create(T.st, &dup), VOS_ECONFLICT,
          "account name 'ACME' already exists");
    ck_assert_int_eq(dup.id, 0); /* nothing set on failure */
    OK(vos_store_account_create(T.st, &b));
    OK(vos_store_commit(T.st));
    ck_assert_uint_eq(count_accounts(T.st), 2);
}
END_TEST

/* ---- rows ----------------------------------------------------------------------------------- */

static int is_stamp(const char *s)
{
    return strlen(s) == VOS_STAMP_SIZE - 1 && s[4] == '-' && s[10] == 'T' && s[19] == '.' &&
           s[23] == 'Z';
}

START_TEST(account_create_get_update_delete)
{
    vos_account_row a = {.name = "Acme Corp",
                         .industry = "Banking",
                         .size = VOS_ACCOUNT_SIZE_ENTERPRISE,
                         .segments = "[\"emea\",\"fsi\"]"};
    OK(vos_store_begin(T.st));
    OK(vos_store_account_create(T.st, &a));
    OK(vos_store_commit(T.st));
    ck_assert_int_gt(a.id, 0);
    ck_assert_int_eq(a.revision, 1);
    ck_assert(is_stamp(a.created_at));
    ck_assert_str_eq(a.created_at, a.updated_at);

    vos_account_row *got = NULL;
    OK(vos_store_account_get(T.st, &got, a.id));
    ck_assert_int_eq(got->id, a.id);
    ck_assert_str_eq(got->name, "Acme Corp");
    ck_assert_str_eq(got->industry, "Banking");
    ck_assert_int_eq(got->size, VOS_ACCOUNT_SIZE_ENTERPRISE);
    ck_assert_str_eq(got->segments, "[\"emea\",\"fsi\"]");
    ck_assert_int_eq(got->owner_user_id, 0);
    ck_assert_str_eq(got->created_at, a.created_at);

    free(got->name);
    got->name = strdup("Acme Corporation");
    got->industry[0] = '\0'; /* optional text "" is stored as none */
    OK(vos_store_begin(T.st));
    OK(vos_store_account_update(T.st, got));
    OK(vos_store_commit(T.st));
    ck_assert_int_eq(got->revision, 2);

    vos_account_row *again = NULL;
    OK(vos_store_account_get(T.st, &again, a.id));
    ck_assert_str_eq(again->name, "Acme Corporation");
    ck_assert_ptr_null(again->industry);
    ck_assert_int_eq(again->revision, 2);
    ck_assert_str_eq(again->created_at, a.created_at);

    /* a writer holding revision 1 is refused, and changes nothing */
    OK(vos_store_begin(T.st));
    FAILS(vos_store_account_update(T.st, &a), VOS_ESTALE,
          "was changed by someone else (revision 2, not 1)");
    FAILS(vos_store_account_delete(T.st, a.id, 1), VOS_ESTALE, "revision 2, not 1");
    OK(vos_store_account_delete(T.st, a.id, 2));
    FAILS(vos_store_account_delete(T.st, a.id, 2), VOS_ENOTFOUND, "not found");
    OK(vos_store_commit(T.st));
    vos_account_row *gone = (vos_account_row *)&T;
    FAILS(vos_store_account_get(T.st, &gone, a.id), VOS_ENOTFOUND, "not found");
    ck_assert_ptr_null(gone);
    vos_account_row_free(got);
    vos_account_row_free(again);
    vos_account_row_free(NULL);
}
END_TEST

START_TEST(list_pages_with_a_cursor)
{
    const char *names[7] = {"A1", "A2", "A3", "A4", "A5", "A6", "A7"};
    int64_t ids[7];
    for (int i = 0; i < 7; i++)
        ids[i] = storetest_account(T.st, names[i], 0);
    vos_account_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.limit = 3};
    OK(vos_store_account_list(T.st, &rows, &n, &q));
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(rows[0].id, ids[0]);
    ck_assert_int_eq(rows[2].id, ids[2]);
    q.after_id = rows[2].id;
    vos_account_rows_free(rows, n);
    OK(vos_store_account_list(T.st, &rows, &n, &q));
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(rows[0].name, "A4");
    q.after_id = rows[2].id;
    vos_account_rows_free(rows, n);
    OK(vos_store_account_list(T.st, &rows, &n, &q));
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(rows[0].name, "A7");
    vos_account_rows_free(rows, n);

    vos_store_query desc = {.limit = 2, .descending = true};
    OK(vos_store_account_list(T.st, &rows, &n, &desc));
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(rows[0].name, "A7");
    ck_assert_str_eq(rows[1].name, "A6");
    vos_account_rows_free(rows, n);

    vos_store_query by_name = {.limit = VOS_STORE_PAGE_MAX * 5, .n_where = 1};
    by_name.where[0] = (vos_store_filter){.field = "name", .s = "a5"}; /* names ignore case */
    OK(vos_store_account_list(T.st, &rows, &n, &by_name));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(rows[0].id, ids[4]);
    vos_account_rows_free(rows, n);

    by_name.where[0].field = "colour";
    FAILS(vos_store_account_list(T.st, &rows, &n, &by_name), VOS_EINVALID,
          "account has no field 'colour'");
    by_name.n_where = VOS_STORE_FILTERS_MAX + 1;
    FAILS(vos_store_account_list(T.st, &rows, &n, &by_name), VOS_ETOOLARGE, "filters");
    vos_account_row *one = NULL;
    OK(vos_store_account_by_name(T.st, &one, "a3"));
    ck_assert_int_eq(one->id, ids[2]);
    vos_account_row_free(one);
    FAILS(vos_store_account_by_name(T.st, &one, "Zed"), VOS_ENOTFOUND,
          "no account with name 'Zed'");
}
END_TEST

START_TEST(organisation_is_a_single_row)
{
    vos_organisation_row *got = NULL;
    FAILS(vos_store_organisation_get(T.st, &got, 1), VOS_ENOTFOUND, "organisation 1 not found");
    vos_organisation_row o = {.name = "Vendor Inc",
                              .currency = "EUR",
                              .fiscal_year_start = 4,
                              .default_tolerance = 0.1,
                              .stale_after_days = 45};
    OK(vos_store_begin(T.st));
    OK(vos_store_organisation_create(T.st, &o));
    ck_assert_int_eq(o.id, 1);
    FAILS(vos_store_organisation_create(T.st, &o), VOS_ECONFLICT, "organisation 1 already exists");
    o.currency = "usd";
    FAILS(vos_store_organisation_update(T.st, &o), VOS_EINVALID,
          "organisation currency 'usd' must be three capital letters (ISO 4217)");
    o.currency = "USD";
    o.fiscal_year_start = 13;
    FAILS(vos_store_organisation_update(T.st, &o), VOS_EINVALID,
          "organisation fiscal_year_start must be between 1 and 12");
    o.fiscal_year_start = 1;
    o.default_tolerance = 1.5;
    FAILS(vos_store_organisation_update(T.st, &o), VOS_EINVALID,
          "organisation default_tolerance must be more than 0 and at most 1");
    o.default_tolerance = 0.05;
    OK(vos_store_organisation_update(T.st, &o));
    OK(vos_store_commit(T.st));
    OK(vos_store_organisation_get(T.st, &got, 1));
    ck_assert_str_eq(got->currency, "USD");
    ck_assert_double_eq(got->default_tolerance, 0.05);
    ck_assert_int_eq(got->revision, 2);
    vos_organisation_row_free(got);
}
END_TEST

/* ---- validation: each failure names entity and field, and changes nothing ------------------- */

START_TEST(account_fields_are_checked)
{
    char long_name[VOS_NAME_MAX + 2];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    vos_account_row a = {.name = "Acme"};
    OK(vos_store_begin(T.st));
    a.name = "";
    FAILS(vos_store_account_create(T.st, &a), VOS_EINVALID, "account name is required");
    a.name = long_name;
    FAILS(vos_store_account_create(T.st, &a), VOS_ETOOLARGE,
          "account name is longer than 200 characters");
    a.name = "Ac\xff";
    FAILS(vos_store_account_create(T.st, &a), VOS_EINVALID, "account name is not valid UTF-8");
    a.name = "Ac\nme";
    FAILS(vos_store_account_create(T.st, &a), VOS_EINVALID,
          "account name must not hold control characters");
    a.name = "Acme";
    a.segments = "{";
    FAILS(vos_store_account_create(T.st, &a), VOS_EINVALID, "account segments is not valid JSON");
    a.segments = "{}";
    FAILS(vos_store_account_create(T.st, &a), VOS_EINVALID,
          "account segments must be a JSON array");
    a.segments = NULL;
    a.size = (vos_account_size)9;
    FAILS(vos_store_account_create(T.st, &a), VOS_EINVALID,
          "account size 9 is not one of unstated, smb, mid_market, enterprise");
    a.size = VOS_ACCOUNT_SIZE_SMB;
    a.owner_user_id = 42;
    FAILS(vos_store_account_create(T.st, &a), VOS_EINVALID,
          "account owner_user_id 42 does not exist (no such user)");
    OK(vos_store_commit(T.st));
    ck_assert_uint_eq(count_accounts(T.st), 0);
}
END_TEST

START_TEST(user_fields_are_checked)
{
    int64_t acct = storetest_account(T.st, "Acme", 0);
    vos_user_row u = {
        .email = "ana@vendor.example", .name = "Ana", .role = VOS_ROLE_SELLER, .active = true};
    OK(vos_store_begin(T.st));
    OK(vos_store_user_create(T.st, &u));
    vos_user_row dup = u;
    dup.email = "ANA@vendor.example";
    FAILS(vos_store_user_create(T.st, &dup), VOS_ECONFLICT,
          "user email 'ANA@vendor.example' already exists");
    dup.email = "not-an-email";
    FAILS(vos_store_user_create(T.st, &dup), VOS_EINVALID,
          "user email 'not-an-email' is not an email address");
    dup.email = "cy@customer.example";
    dup.role = VOS_ROLE_CUSTOMER;
    FAILS(vos_store_user_create(T.st, &dup), VOS_EINVALID,
          "a user with role customer needs an account_id");
    dup.account_id = acct;
    OK(vos_store_user_create(T.st, &dup));
    OK(vos_store_commit(T.st));
    vos_user_row *got = NULL;
    OK(vos_store_user_by_email(T.st, &got, "Cy@Customer.Example"));
    ck_assert_int_eq(got->id, dup.id);
    ck_assert_int_eq(got->role, VOS_ROLE_CUSTOMER);
    ck_assert_int_eq(got->account_id, acct);
    ck_assert(got->active);
    vos_user_row_free(got);
}
END_TEST

/* ---- models and versions -------------------------------------------------------------------- */

START_TEST(model_version_lifecycle)
{
    vos_model_row m = {.key = "Bad Key", .name = "Service desk"};
    OK(vos_store_begin(T.st));
    FAILS(vos_store_model_create(T.st, &m), VOS_EINVALID,
          "model key 'Bad Key' must start with a-z or 0-9 and hold only a-z, 0-9, '.', '_' and '-'");
    m.key = "service_desk";
    OK(vos_store_model_create(T.st, &m));
    vos_model_version_row v = {
        .model_id = m.id, .version = "1.0", .status = VOS_VERSION_DRAFT, .source = "abc"};
    FAILS(vos_store_model_version_create(T.st, &v), VOS_EINVALID,
          "model_version version '1.0' is not a semantic version");
    v.version = "1.0.0";
    OK(vos_store_model_version_create(T.st, &v));
    ck_assert_str_eq(v.content_sha256,
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    vos_model_version_row dup = v;
    FAILS(vos_store_model_version_create(T.st, &dup), VOS_ECONFLICT,
          "model_version with model_id 1 and version '1.0.0' already exists");
    v.model_id = 77; /* fixed at create: ignored by update */
    v.source = "model: service_desk\n";
    OK(vos_store_model_version_update(T.st, &v)); /* a draft may change */
    ck_assert_int_eq(v.revision, 2);
    v.status = VOS_VERSION_APPROVED;
    FAILS(vos_store_model_version_update(T.st, &v), VOS_EINVALID,
          "a model_version that is approved or retired needs approved_at");
    v.approved_at = "2026-03-01T09:30:00.000Z";
    OK(vos_store_model_version_update(T.st, &v));
    OK(vos_store_commit(T.st));

    /* approved: immutable, status only forward, never deleted */
    vos_model_version_row *got = NULL;
    OK(vos_store_model_version_find(T.st, &got, m.id, "1.0.0"));
    ck_assert_int_eq(got->model_id, m.id);
    ck_assert_int_eq(got->status, VOS_VERSION_APPROVED);
    ck_assert_str_eq(got->source, "model: service_desk\n");
    free(got->source);
    got->source = strdup("model: tampered\n");
    OK(vos_store_begin(T.st));
    FAILS(vos_store_model_version_update(T.st, got), VOS_ECONFLICT,
          "model_version 1 is approved: its model_id, version and source cannot change");
    free(got->source);
    got->source = strdup("model: service_desk\n");
    got->status = VOS_VERSION_DRAFT;
    FAILS(vos_store_model_version_update(T.st, got), VOS_ECONFLICT,
          "model_version 1 cannot move back");
    FAILS(vos_store_model_version_delete(T.st, got->id, got->revision), VOS_ECONFLICT,
          "model_version 1 is approved");
    got->status = VOS_VERSION_RETIRED;
    FAILS(vos_store_model_version_update(T.st, got), VOS_EINVALID,
          "a model_version needs retired_at exactly when it is retired");
    got->retired_at = strdup("2026-09-01T00:00:00.000Z");
    OK(vos_store_model_version_update(T.st, got));
    OK(vos_store_commit(T.st));
    vos_model_version_row_free(got);

    vos_model_row *mm = NULL;
    OK(vos_store_model_by_key(T.st, &mm, "service_desk"));
    ck_assert_int_eq(mm->id, m.id);
    vos_model_row_free(mm);

    /* a key is a model-language id: digits first, '-' and '.' inside; nothing else */
    static const char *good[] = {"service-desk-automation", "3pl.inventory", "a", "x_1-2.3"};
    static const char *bad[] = {"-lead", ".lead", "_lead", "Upper", "sp ace", "uml\xc3\xa4ut"};
    OK(vos_store_begin(T.st));
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        vos_model_row g = {.key = (char *)good[i], .name = "Good"};
        OK(vos_store_model_create(T.st, &g));
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        vos_model_row b = {.key = (char *)bad[i], .name = "Bad"};
        FAILS(vos_store_model_create(T.st, &b), VOS_EINVALID, "must start with a-z or 0-9");
    }
    OK(vos_store_commit(T.st));
    OK(vos_store_model_by_key(T.st, &mm, "service-desk-automation"));
    ck_assert_str_eq(mm->key, "service-desk-automation");
    vos_model_row_free(mm);
    FAILS(vos_store_model_by_key(T.st, &mm, "service_desk_automation"), VOS_ENOTFOUND, "");
}
END_TEST

START_TEST(draft_versions_can_be_deleted)
{
    int64_t model = storetest_model(T.st, "churn");
    int64_t v = storetest_version(T.st, model, "0.1.0-rc.1+build.5");
    OK(vos_store_begin(T.st));
    FAILS(vos_store_model_delete(T.st, model, 1), VOS_ECONFLICT,
          "model 1 is still referred to by model_version 1 (model_id)");
    OK(vos_store_model_version_delete(T.st, v, 1));
    OK(vos_store_model_delete(T.st, model, 1));
    OK(vos_store_commit(T.st));
}
END_TEST

/* ---- benchmarks ----------------------------------------------------------------------------- */

START_TEST(benchmark_fields_and_key)
{
    vos_benchmark_row b = {.input_key = "loaded_rate",
                           .value = 48,
                           .low = NAN,
                           .high = NAN,
                           .unit = "USD/h",
                           .source = "BLS ECEC 2024",
                           .as_of = "2024-12-31"};
    OK(vos_store_begin(T.st));
    OK(vos_store_benchmark_create(T.st, &b));
    vos_benchmark_row dup = b;
    FAILS(vos_store_benchmark_create(T.st, &dup), VOS_ECONFLICT,
          "benchmark with input_key 'loaded_rate', industry none, segment none, source 'BLS ECEC "
          "2024' and as_of '2024-12-31' already exists");
    dup.industry = "Retail";
    OK(vos_store_benchmark_create(T.st, &dup));
    vos_benchmark_row bad = b;
    bad.as_of = "2026-02-30";
    FAILS(vos_store_benchmark_create(T.st, &bad), VOS_EINVALID,
          "benchmark as_of '2026-02-30' is not a date (YYYY-MM-DD)");
    bad.as_of = "2025-01-01";
    bad.low = 50;
    FAILS(vos_store_benchmark_create(T.st, &bad), VOS_EINVALID,
          "benchmark needs low <= value <= high");
    bad.low = NAN;
    bad.value = INFINITY;
    FAILS(vos_store_benchmark_create(T.st, &bad), VOS_EINVALID,
          "benchmark value must be a finite number");
    bad.value = NAN;
    FAILS(vos_store_benchmark_create(T.st, &bad), VOS_EINVALID, "benchmark value is required");
    OK(vos_store_commit(T.st));

    vos_benchmark_row *got = NULL;
    OK(vos_store_benchmark_get(T.st, &got, b.id));
    ck_assert(isnan(got->low) && isnan(got->high));
    ck_assert_double_eq(got->value, 48);
    ck_assert_ptr_null(got->industry);
    vos_benchmark_row_free(got);

    vos_benchmark_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.n_where = 1};
    q.where[0] = (vos_store_filter){.field = "industry", .s = NULL}; /* none */
    OK(vos_store_benchmark_list(T.st, &rows, &n, &q));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(rows[0].id, b.id);
    vos_benchmark_rows_free(rows, n);
}
END_TEST

/* ---- cases and commitments ------------------------------------------------------------------ */

START_TEST(case_rules)
{
    int64_t acct = storetest_account(T.st, "Acme", 0);
    int64_t other = storetest_account(T.st, "Beta", 0);
    int64_t model = storetest_model(T.st, "service_desk");
    int64_t ver = storetest_version(T.st, model, "1.0.0");
    vos_case_row c = {.account_id = acct,
                      .model_version_id = 99,
                      .name = "Q3 expansion",
                      .stage = VOS_STAGE_HYPOTHESIS,
                      .overrides = "{\"tickets\": 14000}"};
    OK(vos_store_begin(T.st));
    FAILS(vos_store_case_create(T.st, &c), VOS_EINVALID,
          "case model_version_id 99 does not exist (no such model_version)");
    c.model_version_id = ver;
    c.overrides = "[]";
    FAILS(vos_store_case_create(T.st, &c), VOS_EINVALID, "case overrides must be a JSON object");
    c.overrides = "{\"tickets\": 1, \"tickets\": 2}";
    FAILS(vos_store_case_create(T.st, &c), VOS_EINVALID, "case overrides is not valid JSON");
    c.overrides = NULL;
    FAILS(vos_store_case_create(T.st, &c), VOS_EINVALID, "case overrides is required");
    c.overrides = "{\"tickets\": 14000}";
    c.stage = (vos_case_stage)17;
    FAILS(vos_store_case_create(T.st, &c), VOS_EINVALID, "case stage 17 is not one of hypothesis");
    c.stage = VOS_STAGE_HYPOTHESIS;
    OK(vos_store_case_create(T.st, &c));
    vos_case_row dup = c;
    dup.name = "q3 EXPANSION";
    FAILS(vos_store_case_create(T.st, &dup), VOS_ECONFLICT,
          "case with account_id 1 and name 'q3 EXPANSION' already exists");
    dup.account_id = other;
    OK(vos_store_case_create(T.st, &dup)); /* unique per account only */
    FAILS(vos_store_account_delete(T.st, acct, 1), VOS_ECONFLICT,
          "account 1 is still referred to by case 1 (account_id)");
    OK(vos_store_commit(T.st));

    vos_case_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.n_where = 2};
    q.where[0] = (vos_store_filter){.field = "account_id", .i = other};
    q.where[1] = (vos_store_filter){.field = "stage", .i = VOS_STAGE_HYPOTHESIS};
    OK(vos_store_case_list(T.st, &rows, &n, &q));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(rows[0].id, dup.id);
    ck_assert_str_eq(rows[0].overrides, "{\"tickets\": 14000}");
    vos_case_rows_free(rows, n);
    q.where[1].i = 99;
    FAILS(vos_store_case_list(T.st, &rows, &n, &q), VOS_EINVALID, "case stage 99");
}
END_TEST

START_TEST(commitment_is_frozen_and_kpis_are_checked)
{
    int64_t acct = storetest_account(T.st, "Acme", 0);
    int64_t ver = storetest_version(T.st, storetest_model(T.st, "m"), "1.0.0");
    int64_t cs = storetest_case(T.st, acct, ver, "Deal");
    vos_commitment_row c = {.case_id = cs, .snapshot = "abc"};
    OK(vos_store_begin(T.st));
    FAILS(vos_store_commitment_create(T.st, &c), VOS_EINVALID,
          "commitment snapshot is not valid JSON");
    c.snapshot = "{\"npv\": 1234567.5}";
    OK(vos_store_commitment_create(T.st, &c));
    ck_assert_int_gt(c.id, 0);
    ck_assert_uint_eq(strlen(c.snapshot_sha256), 64);
    vos_commitment_row again = c;
    FAILS(vos_store_commitment_create(T.st, &again), VOS_ECONFLICT,
          "commitment case_id 1 already exists");

    vos_commitment_kpi_row k = {.commitment_id = c.id,
                                .kpi_key = "mttr",
                                .unit = "h",
                                .baseline_value = 8,
                                .baseline_date = "2026-01-01",
                                .target_value = 5,
                                .target_date = "2025-12-01",
                                .trajectory = VOS_TRAJECTORY_S_CURVE,
                                .tolerance = 0.1,
                                .data_source = "ServiceNow"};
    FAILS(vos_store_commitment_kpi_create(T.st, &k), VOS_EINVALID,
          "commitment_kpi target_date must be after baseline_date");
    k.target_date = "2026-12-31";
    k.tolerance = 0;
    FAILS(vos_store_commitment_kpi_create(T.st, &k), VOS_EINVALID,
          "commitment_kpi tolerance must be more than 0 and at most 1");
    k.tolerance = 0.1;
    k.target_value = 8;
    FAILS(vos_store_commitment_kpi_create(T.st, &k), VOS_EINVALID,
          "commitment_kpi target_value must differ from baseline_value");
    k.target_value = 5;
    OK(vos_store_commitment_kpi_create(T.st, &k));
    vos_commitment_kpi_row k2 = k;
    FAILS(vos_store_commitment_kpi_create(T.st, &k2), VOS_ECONFLICT,
          "commitment_kpi with commitment_id 1 and kpi_key 'mttr' already exists");
    k.tolerance = 0.2;
    OK(vos_store_commitment_kpi_update(T.st, &k));
    OK(vos_store_commit(T.st));

    vos_commitment_row *got = NULL;
    OK(vos_store_commitment_get(T.st, &got, c.id));
    ck_assert_str_eq(got->snapshot, "{\"npv\": 1234567.5}");
    ck_assert_str_eq(got->snapshot_sha256, c.snapshot_sha256);
    vos_commitment_row_free(got);
    vos_commitment_kpi_row *kk = NULL;
    OK(vos_store_commitment_kpi_get(T.st, &kk, k.id));
    ck_assert_double_eq(kk->tolerance, 0.2);
    ck_assert_int_eq(kk->trajectory, VOS_TRAJECTORY_S_CURVE);
    ck_assert_str_eq(kk->baseline_date, "2026-01-01");
    vos_commitment_kpi_row_free(kk);
}
END_TEST

/* ---- measurements --------------------------------------------------------------------------- */

START_TEST(measurements_are_idempotent)
{
    int64_t acct = storetest_account(T.st, "Acme", 0);
    vos_ingestion_row ing = {.label = "itsm-export.csv"};
    OK(vos_store_begin(T.st));
    OK(vos_store_ingestion_create(T.st, &ing));
    const char *at[3] = {"2026-03-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z",
                         "2026-02-01T00:00:00.000Z"};
    const double val[3] = {6.5, 8.0, 7.25};
    for (int i = 0; i < 3; i++) {
        vos_measurement_row m = {.ingestion_id = ing.id,
                                 .account_id = acct,
                                 .kpi_key = "mttr",
                                 .at = (char *)at[i],
                                 .value = val[i],
                                 .source = "servicenow"};
        vos_put_outcome out = VOS_PUT_CONFLICT;
        OK(vos_store_measurement_put(T.st, &m, &out, NULL));
        ck_assert_int_eq(out, VOS_PUT_INSERTED);
        ck_assert_int_gt(m.id, 0);
    }
    vos_measurement_row same = {.ingestion_id = ing.id,
                                .account_id = acct,
                                .kpi_key = "mttr",
                                .at = (char *)at[0],
                                .value = 6.5,
                                .source = "servicenow"};
    vos_put_outcome out = VOS_PUT_INSERTED;
    double existing = 0;
    OK(vos_store_measurement_put(T.st, &same, &out, &existing));
    ck_assert_int_eq(out, VOS_PUT_DUPLICATE);
    same.value = 6.0;
    OK(vos_store_measurement_put(T.st, &same, &out, &existing));
    ck_assert_int_eq(out, VOS_PUT_CONFLICT);
    ck_assert_double_eq(existing, 6.5);
    same.at = "2026-03-01";
    FAILS(vos_store_measurement_put(T.st, &same, &out, NULL), VOS_EINVALID,
          "measurement at '2026-03-01' is not a UTC time (YYYY-MM-DDTHH:MM:SS.mmmZ)");
    same.at = "2026-04-01T00:00:00.000Z";
    same.account_id = 999;
    FAILS(vos_store_measurement_put(T.st, &same, &out, NULL), VOS_EINVALID,
          "measurement account_id 999 does not exist (no such account)");
    same.account_id = acct;
    same.value = NAN;
    FAILS(vos_store_measurement_put(T.st, &same, &out, NULL), VOS_EINVALID,
          "measurement value is required");
    OK(vos_store_commit(T.st));

    vos_measurement_row *s = NULL;
    size_t n = 0;
    OK(vos_store_measurement_series(T.st, &s, &n, acct, "mttr", NULL, NULL));
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(s[0].at, "2026-01-01T00:00:00.000Z"); /* by time, not by id */
    ck_assert_double_eq(s[0].value, 8.0);
    ck_assert_str_eq(s[2].at, "2026-03-01T00:00:00.000Z");
    vos_measurement_rows_free(s, n);
    OK(vos_store_measurement_series(T.st, &s, &n, acct, "mttr", "2026-01-15T00:00:00.000Z",
                                    "2026-03-01T00:00:00.000Z")); /* [from, to) */
    ck_assert_uint_eq(n, 1);
    ck_assert_double_eq(s[0].value, 7.25);
    vos_measurement_rows_free(s, n);
    OK(vos_store_measurement_series(T.st, &s, &n, acct, "csat", NULL, NULL));
    ck_assert_uint_eq(n, 0);
    vos_measurement_rows_free(s, n);
}
END_TEST

/* ---- proof points and alerts ---------------------------------------------------------------- */

START_TEST(proof_points_and_alerts)
{
    int64_t acct = storetest_account(T.st, "Acme", 0);
    vos_proof_point_row p = {.account_id = acct,
                             .kpi_key = "mttr",
                             .title = "MTTR down 38%",
                             .value = 0.38,
                             .evidence = "ServiceNow report 2026-06",
                             .status = VOS_PROOF_VALIDATED};
    vos_alert_row a = {.account_id = acct,
                       .kpi_key = "mttr",
                       .kind = VOS_ALERT_DRIFT,
                       .severity = VOS_SEVERITY_WARNING,
                       .status = VOS_ALERT_OPEN,
                       .message = "MTTR is 12% behind plan"};
    OK(vos_store_begin(T.st));
    OK(vos_store_proof_point_create(T.st, &p));
    OK(vos_store_alert_create(T.st, &a));
    vos_alert_row twin = a;
    FAILS(vos_store_alert_create(T.st, &twin), VOS_ECONFLICT,
          "alert with account_id 1, case_id none, kpi_key 'mttr' and kind 'drift' is already "
          "open (not resolved)");
    a.status = VOS_ALERT_RESOLVED;
    FAILS(vos_store_alert_update(T.st, &a), VOS_EINVALID,
          "alert resolved_at is required exactly when its status is resolved");
    a.resolved_at = "2026-07-01T08:00:00.000Z";
    OK(vos_store_alert_update(T.st, &a));
    OK(vos_store_alert_create(T.st, &twin)); /* a new one may open once the first is resolved */
    twin.kind = VOS_ALERT_STALE;
    twin.case_id = 5;
    FAILS(vos_store_alert_create(T.st, &twin), VOS_EINVALID,
          "alert case_id 5 does not exist (no such case)");
    OK(vos_store_commit(T.st));

    vos_proof_point_row *pp = NULL;
    OK(vos_store_proof_point_get(T.st, &pp, p.id));
    ck_assert_str_eq(pp->title, "MTTR down 38%");
    ck_assert_double_eq(pp->value, 0.38);
    ck_assert_int_eq(pp->case_id, 0);
    ck_assert_ptr_null(pp->statement);
    ck_assert_int_eq(pp->status, VOS_PROOF_VALIDATED);
    vos_proof_point_row_free(pp);
    vos_alert_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.n_where = 1};
    q.where[0] = (vos_store_filter){.field = "status", .i = VOS_ALERT_OPEN};
    OK(vos_store_alert_list(T.st, &rows, &n, &q));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(rows[0].id, twin.id);
    vos_alert_rows_free(rows, n);
}
END_TEST

/* ---- snapshots ------------------------------------------------------------------------------ */

START_TEST(snapshot_is_canonical_json)
{
    vos_account_row a = {
        .name = "Acme \"Q\"", .size = VOS_ACCOUNT_SIZE_SMB, .segments = "[\"emea\"]"};
    OK(vos_store_begin(T.st));
    OK(vos_store_account_create(T.st, &a));
    OK(vos_store_commit(T.st));
    char *json = NULL;
    OK(vos_store_snapshot(T.st, &json, VOS_ENTITY_ACCOUNT, a.id));
    char want[1024];
    snprintf(want, sizeof want,
             "{\"id\":%lld,\"revision\":1,\"created_at\":\"%s\",\"updated_at\":\"%s\","
             "\"name\":\"Acme \\\"Q\\\"\",\"industry\":null,\"size\":\"smb\","
             "\"segments\":\"[\\\"emea\\\"]\",\"owner_user_id\":null}",
             (long long)a.id, a.created_at, a.updated_at);
    ck_assert_str_eq(json, want);
    free(json);
    FAILS(vos_store_snapshot(T.st, &json, VOS_ENTITY_ACCOUNT, a.id + 1), VOS_ENOTFOUND,
          "not found");
    ck_assert_ptr_null(json);
}
END_TEST

START_TEST(enum_names_round_trip)
{
    vos_case_stage s;
    OK(vos_case_stage_parse(&s, "realizing"));
    ck_assert_int_eq(s, VOS_STAGE_REALIZING);
    ck_assert_str_eq(vos_case_stage_name(VOS_STAGE_LOST), "lost");
    ck_assert_ptr_null(vos_case_stage_name((vos_case_stage)42));
    FAILS(vos_case_stage_parse(&s, "won"), VOS_EINVALID, "'won' is not a case stage");
    vos_role r;
    OK(vos_role_parse(&r, "value_engineer"));
    ck_assert_int_eq(r, VOS_ROLE_VALUE_ENGINEER);
    vos_entity e;
    OK(vos_entity_parse(&e, "commitment_kpi"));
    ck_assert_int_eq(e, VOS_ENTITY_COMMITMENT_KPI);
    ck_assert_str_eq(vos_entity_name(VOS_ENTITY_PROOF_POINT), "proof_point");
    ck_assert_str_eq(vos_trajectory_name(VOS_TRAJECTORY_S_CURVE), "s_curve");
}
END_TEST

Suite *vos_test_store_suite(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("interface");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, open_rejects_bad_urls);
    tcase_add_test(tc, schema_is_current_and_reopen_is_idempotent);
    tcase_add_test(tc, writes_need_a_transaction);
    tcase_add_test(tc, rollback_discards_everything);
    tcase_add_test(tc, failed_write_keeps_the_rest_of_the_transaction);
    tcase_add_test(tc, account_create_get_update_delete);
    tcase_add_test(tc, list_pages_with_a_cursor);
    tcase_add_test(tc, organisation_is_a_single_row);
    tcase_add_test(tc, account_fields_are_checked);
    tcase_add_test(tc, user_fields_are_checked);
    tcase_add_test(tc, model_version_lifecycle);
    tcase_add_test(tc, draft_versions_can_be_deleted);
    tcase_add_test(tc, benchmark_fields_and_key);
    tcase_add_test(tc, case_rules);
    tcase_add_test(tc, commitment_is_frozen_and_kpis_are_checked);
    tcase_add_test(tc, measurements_are_idempotent);
    tcase_add_test(tc, proof_points_and_alerts);
    tcase_add_test(tc, snapshot_is_canonical_json);
    tcase_add_test(tc, enum_names_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
