/* The app layer's realization data: accounts by id, benchmarks, measurements (batches, all or
 * nothing, idempotent re-send, conflicts), proof points, alerts and commitments, with the
 * roles of the permission table (docs/internals/app.md) and the scoping of customers and
 * partners.  Every test ends with the audit chain verified. */
#include "app_fixture.h"

#include "vos/error.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROLES 7 /* admin .. partner */

static apptest T;
static int64_t ACME, GLOBEX, INITECH; /* accounts; Globex is owned by the partner */
static int64_t Q3;                    /* Acme's case, committed on mttr and self_service_rate */
static int64_t G1;                    /* Globex's case, committed on mttr */
static int64_t H1;                    /* Initech's case, a hypothesis */
static int64_t PARTNER;               /* the partner's user id */
static int64_t ANA;                   /* a csm's user id */

static const char *const JAN = "2026-01-01T00:00:00.000Z", *const FEB = "2026-02-01T00:00:00.000Z",
                         *const MAR = "2026-03-01T00:00:00.000Z",
                         *const APR = "2026-04-01T00:00:00.000Z",
                         *const MAY = "2026-05-01T00:00:00.000Z";

static int64_t add_user(const char *email, vos_role role)
{
    vos_user_row u = {.email = (char *)email, .name = "Someone", .role = role, .active = true};
    OK(vos_app_user_add(T.app, &T.admin, &u));
    return u.id;
}

static void commit(int64_t case_id, const char *kpi1, const char *kpi2)
{
    vos_kpi_commitment k[2] = {{.kpi_key = (char *)kpi1,
                                .baseline_value = 8,
                                .baseline_date = "2026-01-01",
                                .target_value = 5,
                                .target_date = "2026-12-31"},
                               {.kpi_key = (char *)kpi2,
                                .baseline_value = 5,
                                .baseline_date = "2026-01-01",
                                .target_value = 15,
                                .target_date = "2026-12-31"}};
    OK(vos_app_case_commit(T.app, &T.admin, case_id, k, kpi2 ? 2 : 1, NULL));
}

static void setup(void)
{
    apptest_setup(&T);
    char *text = apptest_sda("1.2.0");
    apptest_import_approved(&T, text, "1.2.0");
    free(text);
    PARTNER = add_user("pat@partner.example", VOS_ROLE_PARTNER);
    ANA = add_user("ana@vendor.example", VOS_ROLE_CSM);
    ACME = apptest_account(&T, "Acme", 0);
    GLOBEX = apptest_account(&T, "Globex", PARTNER);
    INITECH = apptest_account(&T, "Initech", 0);
    Q3 = apptest_case(&T, "Acme", "Q3", NULL);
    commit(Q3, "mttr", "self_service_rate");
    G1 = apptest_case(&T, "Globex", "G1", NULL);
    commit(G1, "mttr", NULL);
    H1 = apptest_case(&T, "Initech", "H1", NULL);
}

static void teardown(void)
{
    apptest_teardown(&T);
}

/* An actor of each role: the customer is Acme's, the partner owns Globex. */
static vos_actor as(vos_role role)
{
    static const char *const names[ROLES] = {
        "root@vendor.example", "vic@vendor.example", "sam@vendor.example", "ana@vendor.example",
        "eve@vendor.example",  "kim@acme.example",   "pat@partner.example"};
    vos_actor a = {.name = names[role], .role = role};
    if (role == VOS_ROLE_CUSTOMER) a.account_id = ACME;
    if (role == VOS_ROLE_PARTNER) a.user_id = PARTNER;
    return a;
}

static vos_actor customer_of(int64_t account)
{
    return (vos_actor){
        .name = "kim@customer.example", .role = VOS_ROLE_CUSTOMER, .account_id = account};
}

static vos_measurement_row point(int64_t account, const char *kpi, const char *at, double v)
{
    return (vos_measurement_row){.account_id = account,
                                 .kpi_key = (char *)kpi,
                                 .at = (char *)at,
                                 .value = v,
                                 .source = "servicenow"};
}

static size_t count_measurements(void)
{
    vos_measurement_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    OK(vos_store_measurement_list(T.s.st, &rows, &n, &q));
    vos_measurement_rows_free(rows, n);
    return n;
}

static size_t count_ingestions(void)
{
    vos_ingestion_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    OK(vos_store_ingestion_list(T.s.st, &rows, &n, &q));
    vos_ingestion_rows_free(rows, n);
    return n;
}

/* Turns on measurements from customers, as an administrator would, through the store. */
static void accept_customer_measurements(void)
{
    vos_organisation_row *org = NULL;
    OK(vos_store_organisation_get(T.s.st, &org, 1));
    char *before = NULL;
    OK(vos_store_snapshot(T.s.st, &before, VOS_ENTITY_ORGANISATION, 1));
    org->customer_measurements = true;
    OK(vos_store_begin(T.s.st));
    OK(vos_store_organisation_update(T.s.st, org));
    OK(vos_store_audit_append(T.s.st, NULL, "system", "organisation.update",
                              VOS_ENTITY_ORGANISATION, 1, before));
    OK(vos_store_commit(T.s.st));
    free(before);
    vos_organisation_row_free(org);
    OK(vos_store_organisation_get(T.s.st, &org, 1));
    ck_assert_msg(org->customer_measurements, "the store keeps customer_measurements");
    vos_organisation_row_free(org);
}

/* An open alert raised the way the realization engine will: in a transaction, audited. */
static int64_t raise_alert(int64_t account, int64_t case_id, const char *kpi, vos_alert_kind kind)
{
    vos_alert_row a = {.account_id = account,
                       .case_id = case_id,
                       .kpi_key = (char *)kpi,
                       .kind = kind,
                       .severity = VOS_SEVERITY_WARNING,
                       .status = VOS_ALERT_OPEN,
                       .message = "MTTR is 12% behind plan"};
    OK(vos_store_begin(T.s.st));
    OK(vos_store_alert_create(T.s.st, &a));
    OK(vos_store_audit_append(T.s.st, NULL, "system", "alert.raise", VOS_ENTITY_ALERT, a.id, NULL));
    OK(vos_store_commit(T.s.st));
    return a.id;
}

/* ---- accounts by id ------------------------------------------------------------------------- */

START_TEST(account_by_id_is_scoped)
{
    vos_account_row *a = NULL;
    for (int r = 0; r < ROLES; r++) {
        vos_actor who = as((vos_role)r);
        int64_t mine = r == VOS_ROLE_PARTNER ? GLOBEX : ACME;
        OK(vos_app_account_by_id(T.app, &who, mine, &a));
        ck_assert_int_eq(a->id, mine);
        ck_assert_str_eq(a->name, mine == ACME ? "Acme" : "Globex");
        vos_account_row_free(a);
    }
    /* outside the scope: the same answer as for an account that does not exist */
    vos_actor kim = as(VOS_ROLE_CUSTOMER), pat = as(VOS_ROLE_PARTNER);
    FAILS(vos_app_account_by_id(T.app, &kim, GLOBEX, &a), VOS_ENOTFOUND,
          "account 2 does not exist");
    ck_assert_ptr_null(a);
    FAILS(vos_app_account_by_id(T.app, &pat, ACME, &a), VOS_ENOTFOUND, "account 1 does not exist");
    FAILS(vos_app_account_by_id(T.app, &T.admin, 99, &a), VOS_ENOTFOUND,
          "account 99 does not exist");
    vos_actor nobody = {.name = "", .role = VOS_ROLE_ADMIN};
    FAILS(vos_app_account_by_id(T.app, &nobody, ACME, &a), VOS_EINVALID, "the actor has no name");
    apptest_verify(&T);
}
END_TEST

/* ---- benchmarks ----------------------------------------------------------------------------- */

static vos_benchmark_row benchmark(const char *source)
{
    return (vos_benchmark_row){.input_key = "agent_rate",
                               .industry = "Manufacturing",
                               .value = 48,
                               .low = 44,
                               .high = 53,
                               .unit = "USD/h",
                               .source = (char *)source,
                               .as_of = "2025-06-30"};
}

START_TEST(benchmarks_are_added_by_engineers_and_read_by_internal_roles)
{
    char source[64];
    for (int r = 0; r < ROLES; r++) {
        vos_actor who = as((vos_role)r);
        snprintf(source, sizeof source, "Survey by %s", who.name);
        vos_benchmark_row b = benchmark(source);
        if (r == VOS_ROLE_ADMIN || r == VOS_ROLE_VALUE_ENGINEER) {
            size_t records = apptest_audit_count(&T);
            OK(vos_app_benchmark_add(T.app, &who, &b));
            ck_assert_int_gt(b.id, 0);
            ck_assert_int_eq(b.revision, 1);
            apptest_audit_is(&T, (int64_t)records + 1, "benchmark.add", "benchmark", b.id,
                             who.name);
        } else {
            char want[128];
            snprintf(want, sizeof want, "%s (%s) may not add benchmarks", who.name,
                     vos_role_name((vos_role)r));
            FAILS(vos_app_benchmark_add(T.app, &who, &b), VOS_EFORBIDDEN, want);
        }
    }
    vos_benchmark_row *rows = NULL;
    size_t n = 0;
    for (int r = 0; r < ROLES; r++) {
        vos_actor who = as((vos_role)r);
        if (r == VOS_ROLE_CUSTOMER) {
            FAILS(vos_app_benchmark_list(T.app, &who, &rows, &n, NULL), VOS_EFORBIDDEN,
                  "kim@acme.example (customer) may not read benchmarks");
            ck_assert_ptr_null(rows);
            ck_assert_uint_eq(n, 0);
            continue;
        }
        OK(vos_app_benchmark_list(T.app, &who, &rows, &n, NULL));
        ck_assert_uint_eq(n, 2);
        ck_assert_str_eq(rows[0].source, "Survey by root@vendor.example");
        ck_assert_double_eq(rows[0].value, 48);
        ck_assert_str_eq(rows[0].unit, "USD/h");
        vos_benchmark_rows_free(rows, n);
    }
    apptest_verify(&T);
}
END_TEST

START_TEST(benchmark_rules_and_filters)
{
    vos_benchmark_row b = benchmark("Gartner 2025");
    OK(vos_app_benchmark_add(T.app, &T.admin, &b));
    vos_benchmark_row other = benchmark("Gartner 2025");
    other.industry = "Retail";
    other.segment = "emea";
    other.value = 40;
    other.low = other.high = NAN;
    OK(vos_app_benchmark_add(T.app, &T.admin, &other));

    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_BENCHMARK, b.id);
    vos_benchmark_row dup = benchmark("Gartner 2025");
    FAILS(vos_app_benchmark_add(T.app, &T.admin, &dup), VOS_ECONFLICT, "already exists");
    vos_benchmark_row bad = benchmark("Forrester");
    bad.low = 50;
    FAILS(vos_app_benchmark_add(T.app, &T.admin, &bad), VOS_EINVALID,
          "benchmark needs low <= value <= high");
    bad = benchmark("Forrester");
    bad.input_key = "Agent Rate";
    FAILS(vos_app_benchmark_add(T.app, &T.admin, &bad), VOS_EINVALID, "input_key");
    bad = benchmark("Forrester");
    bad.as_of = "2025-02-30";
    FAILS(vos_app_benchmark_add(T.app, &T.admin, &bad), VOS_EINVALID, "as_of");
    FAILS(vos_app_benchmark_add(T.app, &T.admin, NULL), VOS_EINVALID, "no benchmark given");
    apptest_unchanged(&T, &s, VOS_ENTITY_BENCHMARK, b.id);

    /* the filters of the query pass through */
    vos_benchmark_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.n_where = 1};
    q.where[0] = (vos_store_filter){.field = "industry", .s = "Retail"};
    OK(vos_app_benchmark_list(T.app, &T.admin, &rows, &n, &q));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(rows[0].id, other.id);
    ck_assert_str_eq(rows[0].segment, "emea");
    ck_assert(isnan(rows[0].low));
    vos_benchmark_rows_free(rows, n);
    q.where[0] = (vos_store_filter){.field = "segment", .s = NULL}; /* none: every segment */
    OK(vos_app_benchmark_list(T.app, &T.admin, &rows, &n, &q));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(rows[0].id, b.id);
    vos_benchmark_rows_free(rows, n);
    q.where[0] = (vos_store_filter){.field = "nonsense", .s = "x"};
    ck_assert_int_eq(vos_app_benchmark_list(T.app, &T.admin, &rows, &n, &q), VOS_EINVALID);
    apptest_verify(&T);
}
END_TEST

/* ---- measurements: writing ------------------------------------------------------------------ */

START_TEST(measurements_are_one_audited_ingestion)
{
    vos_actor ana = as(VOS_ROLE_CSM);
    ana.user_id = ANA;
    vos_measurement_row rows[3] = {point(ACME, "mttr", JAN, 8), point(ACME, "mttr", FEB, 7.25),
                                   point(GLOBEX, "mttr", JAN, 9.5)};
    size_t records = apptest_audit_count(&T), added = 0, unchanged = 99;
    OK(vos_app_measurement_add(T.app, &ana, "itsm-export.csv", rows, 3, &added, &unchanged));
    ck_assert_uint_eq(added, 3);
    ck_assert_uint_eq(unchanged, 0);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(rows[i].id, i + 1);
        ck_assert_int_eq(rows[i].ingestion_id, 1);
    }

    /* one ingestion, one audit record whose snapshot covers the points */
    ck_assert_uint_eq(apptest_audit_count(&T), records + 1);
    apptest_audit_is(&T, (int64_t)records + 1, "measurement.ingest", "ingestion", 1,
                     "ana@vendor.example");
    vos_audit_row *last = apptest_audit_last(&T);
    ck_assert_ptr_null(last->before_json);
    ck_assert_ptr_nonnull(strstr(last->after_json, "\"label\":\"itsm-export.csv\""));
    ck_assert_ptr_nonnull(strstr(last->after_json, "\"points\":3,\"points_sha256\":\""));
    vos_audit_rows_free(last, 1);
    vos_ingestion_row *ing = NULL;
    OK(vos_store_ingestion_get(T.s.st, &ing, 1));
    ck_assert_str_eq(ing->label, "itsm-export.csv");
    ck_assert_int_eq(ing->created_by, ANA);
    vos_ingestion_row_free(ing);

    vos_measurement_row *s = NULL;
    size_t n = 0;
    OK(vos_store_measurement_series(T.s.st, &s, &n, ACME, "mttr", NULL, NULL));
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(s[1].at, FEB);
    ck_assert_double_eq(s[1].value, 7.25);
    ck_assert_str_eq(s[1].source, "servicenow");
    vos_measurement_rows_free(s, n);
    apptest_verify(&T);
}
END_TEST

START_TEST(resending_a_batch_changes_nothing)
{
    vos_measurement_row rows[3] = {point(ACME, "mttr", JAN, 8), point(ACME, "mttr", FEB, 7.25),
                                   point(ACME, "self_service_rate", JAN, 5)};
    size_t added = 0, unchanged = 0;
    OK(vos_app_measurement_add(T.app, &T.admin, "jan.csv", rows, 3, &added, &unchanged));
    ck_assert_uint_eq(added, 3);

    /* the same batch again: nothing at all is written, not even an ingestion */
    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_INGESTION, 1);
    vos_measurement_row again[3] = {point(ACME, "mttr", JAN, 8), point(ACME, "mttr", FEB, 7.25),
                                    point(ACME, "self_service_rate", JAN, 5)};
    OK(vos_app_measurement_add(T.app, &T.admin, "jan.csv", again, 3, &added, &unchanged));
    ck_assert_uint_eq(added, 0);
    ck_assert_uint_eq(unchanged, 3);
    ck_assert_int_eq(again[0].id, 0);
    ck_assert_int_eq(again[0].ingestion_id, 0);
    apptest_unchanged(&T, &s, VOS_ENTITY_INGESTION, 1);
    ck_assert_uint_eq(count_ingestions(), 1);
    ck_assert_uint_eq(count_measurements(), 3);

    /* old and new points: only the new ones belong to the new ingestion; the same point twice
     * in one batch is written once */
    vos_measurement_row mixed[4] = {point(ACME, "mttr", FEB, 7.25), point(ACME, "mttr", MAR, 6.5),
                                    point(ACME, "mttr", MAR, 6.5), point(ACME, "mttr", JAN, 8)};
    OK(vos_app_measurement_add(T.app, &T.admin, NULL, mixed, 4, &added, &unchanged));
    ck_assert_uint_eq(added, 1);
    ck_assert_uint_eq(unchanged, 3);
    ck_assert_int_eq(mixed[1].ingestion_id, 2);
    ck_assert_int_eq(mixed[0].ingestion_id, 0);
    ck_assert_uint_eq(count_ingestions(), 2);
    ck_assert_uint_eq(count_measurements(), 4);
    vos_audit_row *last = apptest_audit_last(&T);
    ck_assert_str_eq(last->operation, "measurement.ingest");
    ck_assert_ptr_nonnull(strstr(last->after_json, "\"label\":null"));
    ck_assert_ptr_nonnull(strstr(last->after_json, "\"points\":1,"));
    vos_audit_rows_free(last, 1);

    /* the same time from another source is another point */
    vos_measurement_row other = point(ACME, "mttr", JAN, 8.5);
    other.source = "jira";
    OK(vos_app_measurement_add(T.app, &T.admin, NULL, &other, 1, NULL, NULL));
    ck_assert_uint_eq(count_measurements(), 5);
    apptest_verify(&T);
}
END_TEST

START_TEST(a_changed_value_is_a_conflict)
{
    vos_measurement_row rows[2] = {point(ACME, "mttr", JAN, 8), point(ACME, "mttr", FEB, 7.25)};
    OK(vos_app_measurement_add(T.app, &T.admin, "jan.csv", rows, 2, NULL, NULL));
    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_INGESTION, 1);
    size_t added = 9, unchanged = 9;
    vos_measurement_row batch[3] = {point(ACME, "mttr", MAR, 6.5), point(ACME, "mttr", JAN, 7.5),
                                    point(ACME, "mttr", APR, 6)};
    FAILS(vos_app_measurement_add(T.app, &T.admin, NULL, batch, 3, &added, &unchanged),
          VOS_ECONFLICT,
          "measurement 2: KPI 'mttr' of account 'Acme' at 2026-01-01T00:00:00.000Z from "
          "'servicenow' is stored as 8, not 7.5; a measurement is never changed");
    ck_assert_uint_eq(added, 0);
    ck_assert_uint_eq(unchanged, 0);
    ck_assert_int_eq(batch[0].id, 0); /* written, then rolled back */
    apptest_unchanged(&T, &s, VOS_ENTITY_INGESTION, 1);
    ck_assert_uint_eq(count_measurements(), 2);
    ck_assert_uint_eq(count_ingestions(), 1);

    /* two values for one point within a batch */
    vos_measurement_row twice[2] = {point(ACME, "mttr", MAY, 6), point(ACME, "mttr", MAY, 6.1)};
    FAILS(vos_app_measurement_add(T.app, &T.admin, NULL, twice, 2, NULL, NULL), VOS_ECONFLICT,
          "measurement 2: KPI 'mttr' of account 'Acme' at 2026-05-01T00:00:00.000Z from "
          "'servicenow' is stored as 6, not 6.1");
    ck_assert_uint_eq(count_measurements(), 2);
    apptest_verify(&T);
}
END_TEST

/* A batch of five whose third row is bad writes nothing, and says which row and why. */
/* The stamp of now + seconds, "YYYY-MM-DDTHH:MM:SS.000Z". */
static void stamp_in(char out[VOS_STAMP_SIZE], long seconds)
{
    time_t t = time(NULL) + seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, VOS_STAMP_SIZE, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
}

static void third_row_fails(vos_measurement_row bad, int code, const char *msg)
{
    vos_measurement_row rows[5] = {point(ACME, "mttr", MAR, 6.5), point(GLOBEX, "mttr", MAR, 9),
                                   bad, point(ACME, "mttr", APR, 6),
                                   point(ACME, "self_service_rate", APR, 8)};
    size_t before = count_measurements(), ingestions = count_ingestions();
    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_ACCOUNT, ACME);
    FAILS(vos_app_measurement_add(T.app, &T.admin, "bad.csv", rows, 5, NULL, NULL), code, msg);
    apptest_unchanged(&T, &s, VOS_ENTITY_ACCOUNT, ACME);
    ck_assert_uint_eq(count_measurements(), before);
    ck_assert_uint_eq(count_ingestions(), ingestions);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(rows[i].id, 0);
}

START_TEST(a_bad_row_writes_nothing)
{
    vos_measurement_row first = point(ACME, "mttr", JAN, 8);
    OK(vos_app_measurement_add(T.app, &T.admin, NULL, &first, 1, NULL, NULL));

    third_row_fails(point(99, "mttr", MAR, 1), VOS_EINVALID,
                    "measurement 3: account 99 does not exist");
    third_row_fails(point(ACME, "csat", MAR, 1), VOS_EINVALID,
                    "measurement 3: account 'Acme' has no committed KPI 'csat'");
    third_row_fails(point(GLOBEX, "self_service_rate", MAR, 1), VOS_EINVALID,
                    "measurement 3: account 'Globex' has no committed KPI 'self_service_rate'");
    /* a hypothesis has no commitment yet */
    third_row_fails(point(INITECH, "mttr", MAR, 1), VOS_EINVALID,
                    "measurement 3: account 'Initech' has no committed KPI 'mttr'");
    third_row_fails(point(ACME, NULL, MAR, 1), VOS_EINVALID, "measurement 3: kpi_key is required");
    third_row_fails(point(ACME, "mttr", MAR, NAN), VOS_EINVALID,
                    "measurement 3: value must be a finite number");
    third_row_fails(point(ACME, "mttr", MAR, INFINITY), VOS_EINVALID,
                    "measurement 3: value must be a finite number");
    third_row_fails(point(ACME, "mttr", NULL, 1), VOS_EINVALID,
                    "measurement 3: at is required (a UTC time YYYY-MM-DDTHH:MM:SS.mmmZ)");
    /* found by the store while writing, after rows 1 and 2 were written: rolled back */
    third_row_fails(point(ACME, "mttr", "2026-03-01", 1), VOS_EINVALID,
                    "measurement 3: at '2026-03-01' is not a UTC time (YYYY-MM-DDTHH:MM:SS.mmmZ)");
    /* the bounds and words of a CSV file's times (vos_ingest_time), checked before writing */
    third_row_fails(point(ACME, "mttr", "2026-02-30T00:00:00.000Z", 1), VOS_EINVALID,
                    "measurement 3: at '2026-02-30T00:00:00.000Z' is not a real date");
    third_row_fails(point(ACME, "mttr", "1969-12-31T23:59:59.999Z", 1), VOS_EINVALID,
                    "measurement 3: at '1969-12-31T23:59:59.999Z' is before 1970");
    third_row_fails(point(ACME, "mttr", "2201-01-01T00:00:00.000Z", 1), VOS_EINVALID,
                    "measurement 3: at '2201-01-01T00:00:00.000Z' is after 2200");
    char ahead[VOS_STAMP_SIZE], soon[VOS_STAMP_SIZE];
    stamp_in(ahead, 2 * 86400);
    stamp_in(soon, 3600);
    char msg[VOS_STAMP_SIZE + 80];
    snprintf(msg, sizeof msg, "measurement 3: at '%s' is more than a day in the future", ahead);
    third_row_fails(point(ACME, "mttr", ahead, 1), VOS_EINVALID, msg);
    vos_measurement_row nosource = point(ACME, "mttr", MAR, 1);
    nosource.source = "";
    third_row_fails(nosource, VOS_EINVALID,
                    "measurement 3: source is required (the name of the data source)");
    third_row_fails(point(ACME, "mttr", JAN, 9), VOS_ECONFLICT,
                    "measurement 3: KPI 'mttr' of account 'Acme' at 2026-01-01T00:00:00.000Z from "
                    "'servicenow' is stored as 8, not 9");
    ck_assert_uint_eq(count_measurements(), 1);
    vos_measurement_row in_an_hour = point(ACME, "mttr", soon, 1); /* within the day allowed */
    OK(vos_app_measurement_add(T.app, &T.admin, NULL, &in_an_hour, 1, NULL, NULL));
    ck_assert_uint_eq(count_measurements(), 2);
    apptest_verify(&T);
}
END_TEST

START_TEST(batch_size_is_checked)
{
    vos_measurement_row one = point(ACME, "mttr", JAN, 8);
    FAILS(vos_app_measurement_add(T.app, &T.admin, NULL, &one, 0, NULL, NULL), VOS_EINVALID,
          "the batch has no measurements");
    FAILS(vos_app_measurement_add(T.app, &T.admin, NULL, NULL, 3, NULL, NULL), VOS_EINVALID,
          "the batch has no measurements");
    size_t n = VOS_MEASUREMENT_BATCH_MAX + 1;
    vos_measurement_row *many = calloc(n, sizeof *many);
    ck_assert_ptr_nonnull(many);
    FAILS(vos_app_measurement_add(T.app, &T.admin, NULL, many, n, NULL, NULL), VOS_ETOOLARGE,
          "a batch holds at most 100000 measurements, this one 100001: split it");
    free(many);
    ck_assert_uint_eq(count_ingestions(), 0);
    apptest_verify(&T);
}
END_TEST

/* A committed case that moved on (realizing, closed) still takes measurements. */
START_TEST(later_stages_take_measurements)
{
    OK(vos_app_case_transition(T.app, &T.admin, G1, VOS_STAGE_REALIZING, NULL));
    vos_measurement_row p = point(GLOBEX, "mttr", JAN, 9);
    OK(vos_app_measurement_add(T.app, &T.admin, NULL, &p, 1, NULL, NULL));
    OK(vos_app_case_transition(T.app, &T.admin, G1, VOS_STAGE_CLOSED, NULL));
    p = point(GLOBEX, "mttr", FEB, 8.5);
    OK(vos_app_measurement_add(T.app, &T.admin, NULL, &p, 1, NULL, NULL));
    ck_assert_uint_eq(count_measurements(), 2);
    apptest_verify(&T);
}
END_TEST

START_TEST(measurement_writers_by_role)
{
    char at[2 * VOS_STAMP_SIZE];
    for (int r = 0; r < ROLES; r++) {
        vos_actor who = as((vos_role)r);
        snprintf(at, sizeof at, "2026-06-0%dT00:00:00.000Z", r + 1);
        vos_measurement_row p = point(ACME, "mttr", at, 7);
        int rc = vos_app_measurement_add(T.app, &who, NULL, &p, 1, NULL, NULL);
        if (r == VOS_ROLE_ADMIN || r == VOS_ROLE_VALUE_ENGINEER || r == VOS_ROLE_CSM) {
            ck_assert_msg(rc == 0, "%s: %s", who.name, vos_error_last());
            continue;
        }
        ck_assert_int_eq(rc, VOS_EFORBIDDEN);
        char want[160];
        if (r == VOS_ROLE_CUSTOMER)
            snprintf(want, sizeof want,
                     "kim@acme.example (customer) may not send measurements: the organisation "
                     "does not accept measurements from customers");
        else
            snprintf(want, sizeof want, "%s (%s) may not send measurements", who.name,
                     vos_role_name((vos_role)r));
        ck_assert_str_eq(vos_error_last(), want);
    }
    ck_assert_uint_eq(count_measurements(), 3);
    apptest_verify(&T);
}
END_TEST

START_TEST(customers_send_for_their_account_when_allowed)
{
    accept_customer_measurements();
    vos_actor kim = as(VOS_ROLE_CUSTOMER);
    vos_measurement_row p = point(ACME, "mttr", JAN, 8);
    size_t added = 0;
    OK(vos_app_measurement_add(T.app, &kim, "portal", &p, 1, &added, NULL));
    ck_assert_uint_eq(added, 1);
    apptest_audit_is(&T, (int64_t)apptest_audit_count(&T), "measurement.ingest", "ingestion", 1,
                     "kim@acme.example");
    /* another account does not exist for them, also within a batch of their own */
    vos_measurement_row rows[2] = {point(ACME, "mttr", FEB, 7), point(GLOBEX, "mttr", FEB, 9)};
    FAILS(vos_app_measurement_add(T.app, &kim, NULL, rows, 2, NULL, NULL), VOS_EINVALID,
          "measurement 2: account 2 does not exist");
    ck_assert_uint_eq(count_measurements(), 1);
    /* the other roles stay as they were */
    vos_actor sam = as(VOS_ROLE_SELLER);
    FAILS(vos_app_measurement_add(T.app, &sam, NULL, rows, 1, NULL, NULL), VOS_EFORBIDDEN,
          "(seller) may not send measurements");
    apptest_verify(&T);
}
END_TEST

/* ---- measurements: reading ------------------------------------------------------------------ */

/* Points alternate between Acme and Globex: ids 1 (Acme), 2 (Globex), 3 (Acme), ... */
static void alternate_points(int pairs)
{
    vos_measurement_row rows[20];
    char at[10][2 * VOS_STAMP_SIZE];
    ck_assert_int_le(pairs, 10);
    for (int i = 0; i < pairs; i++) {
        snprintf(at[i], sizeof at[i], "2026-%02d-01T00:00:00.000Z", i + 1);
        rows[2 * i] = point(ACME, "mttr", at[i], 8 - 0.25 * i);
        rows[2 * i + 1] = point(GLOBEX, "mttr", at[i], 9 - 0.5 * i);
    }
    OK(vos_app_measurement_add(T.app, &T.admin, NULL, rows, (size_t)(2 * pairs), NULL, NULL));
}

START_TEST(measurement_list_is_scoped_and_filtered)
{
    alternate_points(6);
    vos_measurement_row extra = point(ACME, "self_service_rate", MAR, 7);
    OK(vos_app_measurement_add(T.app, &T.admin, NULL, &extra, 1, NULL, NULL));
    vos_measurement_row *rows = NULL;
    size_t n = 0;

    /* every role reads; internal roles see all */
    for (int r = 0; r < ROLES; r++) {
        vos_actor who = as((vos_role)r);
        OK(vos_app_measurement_list(T.app, &who, &rows, &n, NULL));
        size_t want = r == VOS_ROLE_CUSTOMER ? 7 : r == VOS_ROLE_PARTNER ? 6 : 13;
        ck_assert_uint_eq(n, want);
        for (size_t i = 0; i < n; i++) {
            if (r == VOS_ROLE_CUSTOMER) ck_assert_int_eq(rows[i].account_id, ACME);
            if (r == VOS_ROLE_PARTNER) ck_assert_int_eq(rows[i].account_id, GLOBEX);
        }
        vos_measurement_rows_free(rows, n);
    }

    /* filters: account, KPI, time range [from, to) */
    vos_store_query q = {.n_where = 4};
    q.where[0] = (vos_store_filter){.field = "account_id", .i = ACME};
    q.where[1] = (vos_store_filter){.field = "kpi_key", .s = "mttr"};
    q.where[2] = (vos_store_filter){.field = "at", .cmp = VOS_CMP_GE, .s = FEB};
    q.where[3] = (vos_store_filter){.field = "at", .cmp = VOS_CMP_LT, .s = APR};
    OK(vos_app_measurement_list(T.app, &T.admin, &rows, &n, &q));
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(rows[0].at, FEB);
    ck_assert_double_eq(rows[0].value, 7.75);
    ck_assert_str_eq(rows[1].at, MAR);
    ck_assert_double_eq(rows[1].value, 7.5);
    vos_measurement_rows_free(rows, n);
    /* a customer with four filters of its own: still only its account */
    vos_actor kim = as(VOS_ROLE_CUSTOMER);
    OK(vos_app_measurement_list(T.app, &kim, &rows, &n, &q));
    ck_assert_uint_eq(n, 2);
    vos_measurement_rows_free(rows, n);
    q.where[0].i = GLOBEX;
    OK(vos_app_measurement_list(T.app, &kim, &rows, &n, &q));
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(rows);
    q.n_where = 1;
    OK(vos_app_measurement_list(T.app, &kim, &rows, &n, &q));
    ck_assert_uint_eq(n, 0);
    vos_measurement_rows_free(rows, n);
    /* a customer of Globex never sees Acme */
    vos_actor gil = customer_of(GLOBEX);
    OK(vos_app_measurement_list(T.app, &gil, &rows, &n, NULL));
    ck_assert_uint_eq(n, 6);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(rows[i].account_id, GLOBEX);
    vos_measurement_rows_free(rows, n);
    apptest_verify(&T);
}
END_TEST

/* A partner's pages are filled from the store's following pages (ids alternate accounts). */
START_TEST(partner_pages_are_full)
{
    alternate_points(6);
    vos_actor pat = as(VOS_ROLE_PARTNER);
    vos_measurement_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.limit = 4};
    OK(vos_app_measurement_list(T.app, &pat, &rows, &n, &q));
    ck_assert_uint_eq(n, 4);
    const int64_t first[4] = {2, 4, 6, 8};
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(rows[i].id, first[i]);
    q.after_id = rows[n - 1].id;
    vos_measurement_rows_free(rows, n);
    OK(vos_app_measurement_list(T.app, &pat, &rows, &n, &q));
    ck_assert_uint_eq(n, 2); /* not full: the end */
    ck_assert_int_eq(rows[0].id, 10);
    ck_assert_int_eq(rows[1].id, 12);
    vos_measurement_rows_free(rows, n);
    /* newest first */
    q = (vos_store_query){.limit = 2, .descending = true};
    OK(vos_app_measurement_list(T.app, &pat, &rows, &n, &q));
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(rows[0].id, 12);
    ck_assert_int_eq(rows[1].id, 10);
    vos_measurement_rows_free(rows, n);
    apptest_verify(&T);
}
END_TEST

/* ---- proof points --------------------------------------------------------------------------- */

static vos_proof_point_row proof(int64_t account, int64_t case_id, const char *title)
{
    return (vos_proof_point_row){.account_id = account,
                                 .case_id = case_id,
                                 .kpi_key = "mttr",
                                 .title = (char *)title,
                                 .statement = "MTTR fell from 8 h to 5 h",
                                 .value = 0.375,
                                 .unit = "%",
                                 .evidence = "ServiceNow report 2026-06",
                                 .status = VOS_PROOF_DRAFT};
}

START_TEST(proof_points_add_update_list)
{
    vos_actor ana = as(VOS_ROLE_CSM);
    vos_proof_point_row p = proof(ACME, Q3, "MTTR down 38%");
    size_t records = apptest_audit_count(&T);
    OK(vos_app_proof_point_add(T.app, &ana, &p));
    ck_assert_int_eq(p.id, 1);
    ck_assert_int_eq(p.revision, 1);
    apptest_audit_is(&T, (int64_t)records + 1, "proof_point.add", "proof_point", p.id,
                     "ana@vendor.example");

    vos_proof_point_row upd = p;
    upd.account_id = 0; /* fixed: 0 keeps it */
    upd.status = VOS_PROOF_VALIDATED;
    upd.title = "MTTR down 37.5%";
    OK(vos_app_proof_point_update(T.app, &ana, &upd));
    ck_assert_int_eq(upd.revision, 2);
    ck_assert_int_eq(upd.account_id, ACME);
    vos_audit_row *last = apptest_audit_last(&T);
    ck_assert_str_eq(last->operation, "proof_point.update");
    ck_assert_ptr_nonnull(strstr(last->before_json, "\"status\":\"draft\""));
    ck_assert_ptr_nonnull(strstr(last->after_json, "\"status\":\"validated\""));
    ck_assert_ptr_nonnull(strstr(last->after_json, "\"title\":\"MTTR down 37.5%\""));
    vos_audit_rows_free(last, 1);

    /* a stale revision: someone else changed it since revision 1 */
    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_PROOF_POINT, p.id);
    vos_proof_point_row stale = p; /* revision 1 */
    stale.status = VOS_PROOF_PUBLISHED;
    FAILS(vos_app_proof_point_update(T.app, &ana, &stale), VOS_ESTALE,
          "proof point 1 was changed by someone else (revision 2, not 1); read it again");
    vos_proof_point_row moved = upd;
    moved.account_id = GLOBEX;
    FAILS(vos_app_proof_point_update(T.app, &ana, &moved), VOS_EINVALID,
          "proof point 1: account_id is fixed (1); record a new proof point for account 2");
    moved = upd;
    moved.case_id = G1;
    FAILS(vos_app_proof_point_update(T.app, &ana, &moved), VOS_EINVALID,
          "proof point case_id 2: case 'G1' is not a case of account 'Acme'");
    moved = upd;
    moved.id = 42;
    FAILS(vos_app_proof_point_update(T.app, &ana, &moved), VOS_ENOTFOUND,
          "proof point 42 does not exist");
    moved = upd;
    moved.title = "";
    FAILS(vos_app_proof_point_update(T.app, &ana, &moved), VOS_EINVALID, "title");
    apptest_unchanged(&T, &s, VOS_ENTITY_PROOF_POINT, p.id);

    vos_proof_point_row *got = NULL;
    size_t n = 0;
    OK(vos_app_proof_point_list(T.app, &T.admin, &got, &n, NULL));
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(got[0].title, "MTTR down 37.5%");
    ck_assert_int_eq(got[0].status, VOS_PROOF_VALIDATED);
    ck_assert_int_eq(got[0].case_id, Q3);
    ck_assert_double_eq(got[0].value, 0.375);
    vos_proof_point_rows_free(got, n);
    apptest_verify(&T);
}
END_TEST

START_TEST(proof_point_references_are_checked)
{
    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_PROOF_POINT, 1);
    vos_proof_point_row p = proof(ACME, G1, "Wrong case");
    FAILS(vos_app_proof_point_add(T.app, &T.admin, &p), VOS_EINVALID,
          "proof point case_id 2: case 'G1' is not a case of account 'Acme'");
    p = proof(ACME, 99, "No case");
    FAILS(vos_app_proof_point_add(T.app, &T.admin, &p), VOS_ENOTFOUND, "case 99 does not exist");
    p = proof(99, 0, "No account");
    FAILS(vos_app_proof_point_add(T.app, &T.admin, &p), VOS_ENOTFOUND, "account 99 does not exist");
    p = proof(0, 0, "No account");
    FAILS(vos_app_proof_point_add(T.app, &T.admin, &p), VOS_EINVALID,
          "proof point account_id is required");
    p = proof(ACME, 0, "Bad KPI");
    p.kpi_key = "Mean Time";
    FAILS(vos_app_proof_point_add(T.app, &T.admin, &p), VOS_EINVALID, "kpi_key");
    FAILS(vos_app_proof_point_add(T.app, &T.admin, NULL), VOS_EINVALID, "no proof point given");
    apptest_unchanged(&T, &s, VOS_ENTITY_PROOF_POINT, 1);
    p = proof(ACME, 0, "Without a case");
    p.kpi_key = NULL;
    OK(vos_app_proof_point_add(T.app, &T.admin, &p));
    apptest_verify(&T);
}
END_TEST

START_TEST(proof_points_by_role_and_scope)
{
    for (int r = 0; r < ROLES; r++) {
        vos_actor who = as((vos_role)r);
        char title[64];
        snprintf(title, sizeof title, "By %s", who.name);
        vos_proof_point_row p = proof(r % 2 ? GLOBEX : ACME, 0, title);
        int rc = vos_app_proof_point_add(T.app, &who, &p);
        if (r == VOS_ROLE_ADMIN || r == VOS_ROLE_VALUE_ENGINEER || r == VOS_ROLE_CSM) {
            ck_assert_msg(rc == 0, "%s: %s", who.name, vos_error_last());
            p.title = "Renamed";
            OK(vos_app_proof_point_update(T.app, &who, &p));
            continue;
        }
        ck_assert_int_eq(rc, VOS_EFORBIDDEN);
        char want[128];
        snprintf(want, sizeof want, "%s (%s) may not record proof points", who.name,
                 vos_role_name((vos_role)r));
        ck_assert_str_eq(vos_error_last(), want);
        p.id = 1;
        p.revision = 2;
        FAILS(vos_app_proof_point_update(T.app, &who, &p), VOS_EFORBIDDEN,
              "may not record proof points");
    }
    /* the admin's on Acme; the value engineer's and the csm's on Globex */
    vos_proof_point_row *rows = NULL;
    size_t n = 0;
    for (int r = 0; r < ROLES; r++) {
        vos_actor who = as((vos_role)r);
        OK(vos_app_proof_point_list(T.app, &who, &rows, &n, NULL));
        size_t want = r == VOS_ROLE_CUSTOMER ? 1 : r == VOS_ROLE_PARTNER ? 2 : 3;
        ck_assert_uint_eq(n, want);
        for (size_t i = 0; i < n; i++) {
            if (r == VOS_ROLE_CUSTOMER) ck_assert_int_eq(rows[i].account_id, ACME);
            if (r == VOS_ROLE_PARTNER) ck_assert_int_eq(rows[i].account_id, GLOBEX);
        }
        vos_proof_point_rows_free(rows, n);
    }
    vos_actor gil = customer_of(GLOBEX);
    vos_store_query q = {.n_where = 1};
    q.where[0] = (vos_store_filter){.field = "account_id", .i = ACME};
    OK(vos_app_proof_point_list(T.app, &gil, &rows, &n, &q));
    ck_assert_uint_eq(n, 0);
    vos_proof_point_rows_free(rows, n);
    apptest_verify(&T);
}
END_TEST

/* ---- alerts --------------------------------------------------------------------------------- */

START_TEST(alerts_are_acknowledged_then_resolved)
{
    int64_t a = raise_alert(ACME, Q3, "mttr", VOS_ALERT_DRIFT);
    vos_actor ana = as(VOS_ROLE_CSM);
    vos_alert_row *row = NULL;
    size_t records = apptest_audit_count(&T);
    OK(vos_app_alert_acknowledge(T.app, &ana, a, &row));
    ck_assert_int_eq(row->status, VOS_ALERT_ACKNOWLEDGED);
    ck_assert_ptr_null(row->resolved_at);
    ck_assert_int_eq(row->revision, 2);
    vos_alert_row_free(row);
    apptest_audit_is(&T, (int64_t)records + 1, "alert.acknowledge", "alert", a,
                     "ana@vendor.example");

    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_ALERT, a);
    FAILS(vos_app_alert_acknowledge(T.app, &ana, a, &row), VOS_ECONFLICT,
          "alert 1 is already acknowledged");
    ck_assert_ptr_null(row);
    apptest_unchanged(&T, &s, VOS_ENTITY_ALERT, a);

    char before[VOS_STAMP_SIZE];
    vos_store_now(before);
    OK(vos_app_alert_resolve(T.app, &ana, a, &row));
    ck_assert_int_eq(row->status, VOS_ALERT_RESOLVED);
    ck_assert_ptr_nonnull(row->resolved_at);
    ck_assert_int_ge(strcmp(row->resolved_at, before), 0);
    vos_alert_row_free(row);
    vos_audit_row *last = apptest_audit_last(&T);
    ck_assert_str_eq(last->operation, "alert.resolve");
    ck_assert_ptr_nonnull(strstr(last->before_json, "\"status\":\"acknowledged\""));
    ck_assert_ptr_nonnull(strstr(last->after_json, "\"status\":\"resolved\""));
    vos_audit_rows_free(last, 1);

    apptest_capture(&T, &s, VOS_ENTITY_ALERT, a);
    FAILS(vos_app_alert_resolve(T.app, &ana, a, NULL), VOS_ECONFLICT,
          "alert 1 is already resolved");
    FAILS(vos_app_alert_acknowledge(T.app, &ana, a, NULL), VOS_ECONFLICT,
          "alert 1 cannot move from resolved to acknowledged");
    FAILS(vos_app_alert_resolve(T.app, &ana, 77, NULL), VOS_ENOTFOUND, "alert 77 does not exist");
    apptest_unchanged(&T, &s, VOS_ENTITY_ALERT, a);

    /* open -> resolved directly; a new alert of the kind may open once the first is resolved */
    int64_t b = raise_alert(ACME, Q3, "mttr", VOS_ALERT_DRIFT);
    OK(vos_app_alert_resolve(T.app, &T.admin, b, NULL));
    apptest_verify(&T);
}
END_TEST

START_TEST(alerts_by_role_and_scope)
{
    int64_t acme = raise_alert(ACME, 0, "mttr", VOS_ALERT_STALE);
    raise_alert(GLOBEX, G1, "mttr", VOS_ALERT_FORECAST_MISS);
    for (int r = 0; r < ROLES; r++) {
        vos_actor who = as((vos_role)r);
        int rc = vos_app_alert_acknowledge(T.app, &who, acme, NULL);
        if (r == VOS_ROLE_ADMIN || r == VOS_ROLE_VALUE_ENGINEER || r == VOS_ROLE_CSM) {
            ck_assert_msg(rc == 0 || rc == VOS_ECONFLICT, "%s: %s", who.name, vos_error_last());
            continue;
        }
        ck_assert_int_eq(rc, VOS_EFORBIDDEN);
        char want[128];
        snprintf(want, sizeof want, "%s (%s) may not acknowledge or resolve alerts", who.name,
                 vos_role_name((vos_role)r));
        ck_assert_str_eq(vos_error_last(), want);
        FAILS(vos_app_alert_resolve(T.app, &who, acme, NULL), VOS_EFORBIDDEN, want);
    }
    vos_alert_row *rows = NULL;
    size_t n = 0;
    for (int r = 0; r < ROLES; r++) {
        vos_actor who = as((vos_role)r);
        OK(vos_app_alert_list(T.app, &who, &rows, &n, NULL));
        size_t want = r == VOS_ROLE_CUSTOMER || r == VOS_ROLE_PARTNER ? 1 : 2;
        ck_assert_uint_eq(n, want);
        if (r == VOS_ROLE_CUSTOMER) ck_assert_int_eq(rows[0].account_id, ACME);
        if (r == VOS_ROLE_PARTNER) ck_assert_int_eq(rows[0].account_id, GLOBEX);
        vos_alert_rows_free(rows, n);
    }
    /* filters pass through */
    vos_store_query q = {.n_where = 1};
    q.where[0] = (vos_store_filter){.field = "status", .i = VOS_ALERT_OPEN};
    OK(vos_app_alert_list(T.app, &T.admin, &rows, &n, &q));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(rows[0].account_id, GLOBEX);
    ck_assert_int_eq(rows[0].kind, VOS_ALERT_FORECAST_MISS);
    vos_alert_rows_free(rows, n);
    apptest_verify(&T);
}
END_TEST

/* ---- commitments ---------------------------------------------------------------------------- */

START_TEST(commitment_get_returns_the_kpis)
{
    vos_commitment_row *cm = NULL;
    vos_commitment_kpi_row *kpis = NULL;
    size_t n = 0;
    vos_actor kim = as(VOS_ROLE_CUSTOMER);
    OK(vos_app_commitment_get(T.app, &kim, Q3, &cm, &kpis, &n));
    ck_assert_int_eq(cm->case_id, Q3);
    ck_assert_ptr_nonnull(strstr(cm->snapshot, "\"account\":\"Acme\""));
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(kpis[0].kpi_key, "mttr");
    ck_assert_double_eq(kpis[0].baseline_value, 8);
    ck_assert_double_eq(kpis[0].target_value, 5);
    ck_assert_str_eq(kpis[0].unit, "h");
    ck_assert_str_eq(kpis[1].kpi_key, "self_service_rate");
    ck_assert_int_eq(kpis[1].commitment_id, cm->id);
    vos_commitment_kpi_rows_free(kpis, n);
    vos_commitment_row_free(cm);

    /* KPIs are optional to ask for */
    OK(vos_app_commitment_get(T.app, &T.admin, G1, &cm, NULL, NULL));
    ck_assert_int_eq(cm->case_id, G1);
    vos_commitment_row_free(cm);

    FAILS(vos_app_commitment_get(T.app, &T.admin, H1, &cm, &kpis, &n), VOS_ENOTFOUND,
          "case 'H1' has no commitment (it is hypothesis)");
    ck_assert_ptr_null(cm);
    ck_assert_ptr_null(kpis);
    ck_assert_uint_eq(n, 0);
    FAILS(vos_app_commitment_get(T.app, &kim, G1, &cm, &kpis, &n), VOS_ENOTFOUND,
          "case 2 does not exist");
    vos_actor pat = as(VOS_ROLE_PARTNER);
    FAILS(vos_app_commitment_get(T.app, &pat, Q3, &cm, &kpis, &n), VOS_ENOTFOUND,
          "case 1 does not exist");
    OK(vos_app_commitment_get(T.app, &pat, G1, &cm, &kpis, &n));
    ck_assert_uint_eq(n, 1);
    vos_commitment_kpi_rows_free(kpis, n);
    vos_commitment_row_free(cm);
    FAILS(vos_app_commitment_get(T.app, &T.admin, 99, &cm, &kpis, &n), VOS_ENOTFOUND,
          "case 99 does not exist");
    apptest_verify(&T);
}
END_TEST

Suite *vos_test_app_data_suite(void)
{
    Suite *s = suite_create("app_data");
    TCase *tc = tcase_create("app_data");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, account_by_id_is_scoped);
    tcase_add_test(tc, benchmarks_are_added_by_engineers_and_read_by_internal_roles);
    tcase_add_test(tc, benchmark_rules_and_filters);
    tcase_add_test(tc, measurements_are_one_audited_ingestion);
    tcase_add_test(tc, resending_a_batch_changes_nothing);
    tcase_add_test(tc, a_changed_value_is_a_conflict);
    tcase_add_test(tc, a_bad_row_writes_nothing);
    tcase_add_test(tc, batch_size_is_checked);
    tcase_add_test(tc, later_stages_take_measurements);
    tcase_add_test(tc, measurement_writers_by_role);
    tcase_add_test(tc, customers_send_for_their_account_when_allowed);
    tcase_add_test(tc, measurement_list_is_scoped_and_filtered);
    tcase_add_test(tc, partner_pages_are_full);
    tcase_add_test(tc, proof_points_add_update_list);
    tcase_add_test(tc, proof_point_references_are_checked);
    tcase_add_test(tc, proof_points_by_role_and_scope);
    tcase_add_test(tc, alerts_are_acknowledged_then_resolved);
    tcase_add_test(tc, alerts_by_role_and_scope);
    tcase_add_test(tc, commitment_get_returns_the_kpis);
    suite_add_tcase(s, tc);
    return s;
}
