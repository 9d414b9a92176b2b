/* Copying a whole installation (vos_store_copy): a SQLite source with a row of every entity,
 * audited as the app layer would, copied into the store under test (VOS_TEST_STORE_URL, so
 * the same cases run for SQLite -> PostgreSQL), then compared row by row and verified. */
#include "store_fixture.h"

#include "vos/app.h"
#include "vos/error.h"
#include "vos/store.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOURCE_URL "sqlite:{dir}/source.db"
#define PASSWORD "correct horse battery staple"
#define WEBHOOK_SECRET "whsec_0123456789abcdef"
#define PROGRESS_MAX 32

static storetest S, T; /* the source (SQLite) and the target */

static void setup(void)
{
    storetest_setup_url(&S, SOURCE_URL);
    storetest_setup(&T);
}

static void teardown(void)
{
    storetest_teardown(&T);
    storetest_teardown(&S);
}

/* Appends the audit record of a write just made in the open transaction. */
static void audited(vos_store *st, const char *op, vos_entity e, int64_t id, char *before)
{
    OK(vos_store_audit_append(st, NULL, "tester", op, e, id, before));
    free(before);
}

static char *before_of(vos_store *st, vos_entity e, int64_t id)
{
    char *json = NULL;
    OK(vos_store_snapshot(st, &json, e, id));
    return json;
}

/* ---- the source ----------------------------------------------------------------------------- */

static void add_people(vos_store *st)
{
    vos_organisation_row o = {.name = "Vendor Inc",
                              .currency = "EUR",
                              .fiscal_year_start = 4,
                              .default_tolerance = 0.1,
                              .stale_after_days = 45};
    vos_user_row ana = {
        .email = "ana@vendor.example", .name = "Ana", .role = VOS_ROLE_ADMIN, .active = true};
    OK(vos_store_begin(st));
    OK(vos_store_organisation_create(st, &o));
    audited(st, "organisation.init", VOS_ENTITY_ORGANISATION, o.id, NULL);
    OK(vos_store_user_create(st, &ana)); /* user 1 */
    audited(st, "user.add", VOS_ENTITY_USER, ana.id, NULL);
    /* account 1 refers to user 1, copied after it (accounts come first) */
    vos_account_row acme = {.name = "Acme",
                            .size = VOS_ACCOUNT_SIZE_ENTERPRISE,
                            .segments = "[\"emea\"]",
                            .owner_user_id = ana.id};
    OK(vos_store_account_create(st, &acme));
    audited(st, "account.add", VOS_ENTITY_ACCOUNT, acme.id, NULL);
    vos_user_row cara = {.email = "cara@acme.example",
                         .name = "Cara",
                         .role = VOS_ROLE_CUSTOMER,
                         .account_id = acme.id,
                         .active = true};
    OK(vos_store_user_create(st, &cara)); /* user 2, scoped to account 1 */
    audited(st, "user.add", VOS_ENTITY_USER, cara.id, NULL);
    const char *names[] = {"Temp", "Initech"};
    for (int i = 0; i < 2; i++) {
        vos_account_row a = {.name = (char *)names[i], .size = VOS_ACCOUNT_SIZE_SMB};
        OK(vos_store_account_create(st, &a)); /* accounts 2 and 3 */
        audited(st, "account.add", VOS_ENTITY_ACCOUNT, a.id, NULL);
    }
    char *before = before_of(st, VOS_ENTITY_ACCOUNT, 2);
    OK(vos_store_account_delete(st, 2, 1)); /* a gap in the ids */
    audited(st, "account.delete", VOS_ENTITY_ACCOUNT, 2, before);
    OK(vos_store_commit(st));
}

/* Model 1, its approved version 1, a benchmark, cases 1 and 2 (case 1's parent is case 2, a
 * reference to a row copied after it), a commitment of case 2 with one KPI. */
static void add_cases(vos_store *st)
{
    vos_model_row m = {.key = "desk", .name = "Service desk", .description = "Tickets"};
    vos_model_version_row v = {.version = "1.0.0",
                               .status = VOS_VERSION_APPROVED,
                               .source = "model: desk\n",
                               .created_by = 1,
                               .approved_by = 1,
                               .approved_at = "2026-01-02T03:04:05.678Z"};
    vos_benchmark_row b = {.input_key = "loaded_rate",
                           .value = 48,
                           .low = 40,
                           .high = 60,
                           .unit = "USD/h",
                           .source = "BLS ECEC 2024",
                           .as_of = "2024-12-31"};
    OK(vos_store_begin(st));
    OK(vos_store_model_create(st, &m));
    audited(st, "model.import", VOS_ENTITY_MODEL, m.id, NULL);
    v.model_id = m.id;
    OK(vos_store_model_version_create(st, &v));
    audited(st, "model.import", VOS_ENTITY_MODEL_VERSION, v.id, NULL);
    OK(vos_store_benchmark_create(st, &b));
    audited(st, "benchmark.add", VOS_ENTITY_BENCHMARK, b.id, NULL);
    vos_case_row c[2];
    const char *names[] = {"Desk", "Desk expansion"};
    for (int i = 0; i < 2; i++) {
        c[i] = (vos_case_row){.account_id = 1,
                              .model_version_id = v.id,
                              .name = (char *)names[i],
                              .stage = VOS_STAGE_HYPOTHESIS,
                              .overrides = "{}"};
        OK(vos_store_case_create(st, &c[i]));
        audited(st, "case.create", VOS_ENTITY_CASE, c[i].id, NULL);
    }
    char *before = before_of(st, VOS_ENTITY_CASE, c[0].id);
    c[0].parent_case_id = c[1].id;
    OK(vos_store_case_update(st, &c[0]));
    audited(st, "case.set", VOS_ENTITY_CASE, c[0].id, before);
    vos_commitment_row cm = {
        .case_id = c[1].id, .snapshot = "{\"npv\":1234567.5}", .committed_by = 1};
    OK(vos_store_commitment_create(st, &cm));
    audited(st, "case.commit", VOS_ENTITY_COMMITMENT, cm.id, NULL);
    vos_commitment_kpi_row k = {.commitment_id = cm.id,
                                .kpi_key = "mttr",
                                .unit = "h",
                                .baseline_value = 8,
                                .baseline_date = "2026-01-01",
                                .target_value = 5,
                                .target_date = "2026-12-31",
                                .trajectory = VOS_TRAJECTORY_LINEAR,
                                .tolerance = 0.1};
    OK(vos_store_commitment_kpi_create(st, &k));
    audited(st, "case.commit", VOS_ENTITY_COMMITMENT_KPI, k.id, NULL);
    OK(vos_store_commit(st));
}

/* An ingestion of three measurements, a proof point, a resolved alert, an API token. */
static void add_realization(vos_store *st)
{
    vos_ingestion_row ing = {.label = "itsm.csv", .created_by = 1};
    OK(vos_store_begin(st));
    OK(vos_store_ingestion_create(st, &ing));
    const char *at[3] = {"2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z",
                         "2026-03-01T00:00:00.000Z"};
    for (int i = 0; i < 3; i++) {
        vos_measurement_row m = {.ingestion_id = ing.id,
                                 .account_id = 1,
                                 .kpi_key = "mttr",
                                 .at = (char *)at[i],
                                 .value = 8 - 0.75 * i,
                                 .source = "itsm"};
        vos_put_outcome out = VOS_PUT_CONFLICT;
        OK(vos_store_measurement_put(st, &m, &out, NULL));
        ck_assert_int_eq(out, VOS_PUT_INSERTED);
    }
    audited(st, "measurement.add", VOS_ENTITY_INGESTION, ing.id, NULL);
    vos_proof_point_row p = {.account_id = 1,
                             .case_id = 2,
                             .kpi_key = "mttr",
                             .title = "MTTR down 19%",
                             .value = 0.19,
                             .unit = "%",
                             .status = VOS_PROOF_VALIDATED};
    OK(vos_store_proof_point_create(st, &p));
    audited(st, "proof_point.add", VOS_ENTITY_PROOF_POINT, p.id, NULL);
    vos_alert_row a = {.account_id = 1,
                       .case_id = 2,
                       .kpi_key = "mttr",
                       .kind = VOS_ALERT_DRIFT,
                       .severity = VOS_SEVERITY_WARNING,
                       .status = VOS_ALERT_OPEN,
                       .message = "MTTR is 12% behind plan"};
    OK(vos_store_alert_create(st, &a));
    audited(st, "alert.raise", VOS_ENTITY_ALERT, a.id, NULL);
    char *before = before_of(st, VOS_ENTITY_ALERT, a.id);
    a.status = VOS_ALERT_RESOLVED;
    a.resolved_at = "2026-03-02T00:00:00.000Z";
    OK(vos_store_alert_update(st, &a)); /* revision 2 */
    audited(st, "alert.resolve", VOS_ENTITY_ALERT, a.id, before);
    vos_api_token_row t = {.user_id = 1, .name = "ci", .prefix = "vos_abcd"};
    memset(t.secret_sha256, 'a', VOS_SHA256_HEX_SIZE - 1);
    OK(vos_store_api_token_create(st, &t));
    audited(st, "token.create", VOS_ENTITY_API_TOKEN, t.id, NULL);
    OK(vos_store_commit(st));
}

/* A webhook with its secret and one queued event, an assessment with two answers. */
static void add_webhook_and_assessment(vos_store *st)
{
    vos_webhook_row w = {
        .url = "https://hooks.example/vos", .events = "[]", .active = true, .created_by = 1};
    memset(w.secret_sha256, 'b', VOS_SHA256_HEX_SIZE - 1);
    OK(vos_store_begin(st));
    OK(vos_store_webhook_create(st, &w));
    OK(vos_store_webhook_secret_set(st, w.id, WEBHOOK_SECRET));
    audited(st, "webhook.add", VOS_ENTITY_WEBHOOK, w.id, NULL);
    vos_outbox_row ev = {.webhook_id = w.id, .event = "alert.raised", .payload = "{\"id\":1}"};
    OK(vos_store_outbox_add(st, &ev));
    vos_assessment_row as = {.taken_at = "2026-03-31",
                             .blueprint = "ecosystems-value-blueprint",
                             .blueprint_version = "1.0.0",
                             .target_stage = 3};
    OK(vos_store_assessment_create(st, &as));
    audited(st, "assessment.take", VOS_ENTITY_ASSESSMENT, as.id, NULL);
    const char *keys[] = {"prioritization", "targeting"};
    for (int i = 0; i < 2; i++) {
        vos_assessment_answer_row an = {
            .assessment_id = as.id, .dimension_key = (char *)keys[i], .stage = 2 + i};
        OK(vos_store_assessment_answer_create(st, &an));
        audited(st, "assessment.take", VOS_ENTITY_ASSESSMENT_ANSWER, an.id, NULL);
    }
    OK(vos_store_commit(st));
}

/* Sets Ana's password through the app layer (a real argon2id hash, audited). */
static void set_password(const char *url)
{
    vos_app *app = NULL;
    OK(vos_app_open(&app, url));
    vos_actor who = vos_actor_system();
    OK(vos_app_user_set_password(app, &who, 1, PASSWORD));
    vos_app_close(app);
}

static void populate(void)
{
    add_people(S.st);
    add_cases(S.st);
    add_realization(S.st);
    add_webhook_and_assessment(S.st);
    set_password(S.url);
}

/* ---- comparing ------------------------------------------------------------------------------ */

/* Rows per entity the source holds (populate). */
static const int64_t EXPECTED[VOS_ENTITY_COUNT] = {[VOS_ENTITY_ORGANISATION] = 1,
                                                   [VOS_ENTITY_USER] = 2,
                                                   [VOS_ENTITY_ACCOUNT] = 2,
                                                   [VOS_ENTITY_MODEL] = 1,
                                                   [VOS_ENTITY_MODEL_VERSION] = 1,
                                                   [VOS_ENTITY_BENCHMARK] = 1,
                                                   [VOS_ENTITY_CASE] = 2,
                                                   [VOS_ENTITY_COMMITMENT] = 1,
                                                   [VOS_ENTITY_COMMITMENT_KPI] = 1,
                                                   [VOS_ENTITY_INGESTION] = 1,
                                                   [VOS_ENTITY_MEASUREMENT] = 3,
                                                   [VOS_ENTITY_PROOF_POINT] = 1,
                                                   [VOS_ENTITY_ALERT] = 1,
                                                   [VOS_ENTITY_API_TOKEN] = 1,
                                                   [VOS_ENTITY_WEBHOOK] = 1,
                                                   [VOS_ENTITY_ASSESSMENT] = 1,
                                                   [VOS_ENTITY_ASSESSMENT_ANSWER] = 2};
#define EXPECTED_AUDIT 25 /* the records populate appends (the password's included) */

/* The ids of every row of entity e, by snapshots: both stores hold the same rows, id for id,
 * field for field.  Returns the number of rows. */
static int64_t compare_entity(vos_entity e)
{
    int64_t n = 0;
    for (int64_t id = 1; id <= 16; id++) {
        char *a = NULL, *b = NULL;
        int ra = vos_store_snapshot(S.st, &a, e, id), rb = vos_store_snapshot(T.st, &b, e, id);
        ck_assert_msg(ra == rb, "%s %lld: source %d, target %d", vos_entity_name(e), (long long)id,
                      ra, rb);
        if (ra == 0) {
            ck_assert_str_eq(a, b);
            n++;
        }
        free(a);
        free(b);
    }
    return n;
}

static void compare_audit(void)
{
    vos_audit_row *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    OK(vos_store_audit_list(S.st, &a, &na, &q));
    OK(vos_store_audit_list(T.st, &b, &nb, &q));
    ck_assert_uint_eq(na, EXPECTED_AUDIT);
    ck_assert_uint_eq(nb, na);
    for (size_t i = 0; i < na; i++) {
        ck_assert_int_eq(b[i].seq, a[i].seq);
        ck_assert_str_eq(b[i].at, a[i].at);
        ck_assert_str_eq(b[i].operation, a[i].operation);
        ck_assert_str_eq(b[i].prev_hash, a[i].prev_hash);
        ck_assert_str_eq(b[i].hash, a[i].hash);
        char h[VOS_SHA256_HEX_SIZE];
        storetest_audit_hash(&b[i], h); /* recomputed from docs/internals/store.md */
        ck_assert_str_eq(h, b[i].hash);
    }
    vos_audit_rows_free(a, na);
    vos_audit_rows_free(b, nb);
}

typedef struct progress_log {
    char what[PROGRESS_MAX][32];
    int64_t done[PROGRESS_MAX], total[PROGRESS_MAX];
    int n;
} progress_log;

static void on_progress(void *ctx, const char *what, int64_t done, int64_t total)
{
    progress_log *p = ctx;
    ck_assert_int_lt(p->n, PROGRESS_MAX);
    snprintf(p->what[p->n], sizeof p->what[0], "%s", what);
    p->done[p->n] = done;
    p->total[p->n++] = total;
}

/* The last report of `what`, as "done/total". */
static const char *last_report(const progress_log *p, const char *what)
{
    static char buf[64];
    snprintf(buf, sizeof buf, "(none)");
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->what[i], what) == 0)
            snprintf(buf, sizeof buf, "%lld/%lld", (long long)p->done[i], (long long)p->total[i]);
    return buf;
}

/* ---- tests ---------------------------------------------------------------------------------- */

START_TEST(copies_every_entity_with_its_ids_and_verifies)
{
    populate();
    progress_log p = {.n = 0};
    OK(vos_store_copy(T.st, S.st, on_progress, &p));
    for (int e = 0; e < VOS_ENTITY_COUNT; e++)
        ck_assert_msg(compare_entity((vos_entity)e) == EXPECTED[e], "%s rows differ",
                      vos_entity_name((vos_entity)e));
    compare_audit();

    /* the deleted account 2 stays a gap; account 1's owner and case 1's parent were copied */
    vos_account_row *acct = NULL;
    FAILS(vos_store_account_get(T.st, &acct, 2), VOS_ENOTFOUND, "account 2 not found");
    OK(vos_store_account_get(T.st, &acct, 1));
    ck_assert_int_eq(acct->owner_user_id, 1);
    ck_assert_int_eq(acct->revision, 1);
    vos_account_row_free(acct);
    vos_case_row *c = NULL;
    OK(vos_store_case_get(T.st, &c, 1));
    ck_assert_int_eq(c->parent_case_id, 2);
    ck_assert_int_eq(c->revision, 2);
    vos_case_row_free(c);

    vos_audit_report rs, rt;
    OK(vos_store_audit_verify(S.st, &rs));
    OK(vos_store_audit_verify(T.st, &rt));
    ck_assert_msg(rt.problem == VOS_AUDIT_OK, "%s", rt.message);
    ck_assert_int_eq(rt.records, EXPECTED_AUDIT);
    ck_assert_str_eq(rt.head_hash, rs.head_hash);

    ck_assert_str_eq(last_report(&p, "account"), "2/2");
    ck_assert_str_eq(last_report(&p, "measurement"), "3/3");
    ck_assert_str_eq(last_report(&p, "audit"), "25/25");
    ck_assert_str_eq(last_report(&p, "credentials"), "2/2"); /* a password, a webhook secret */
    ck_assert_str_eq(last_report(&p, "outbox"), "1/1");
}
END_TEST

START_TEST(copies_secrets_and_the_outbox)
{
    populate();
    OK(vos_store_copy(T.st, S.st, NULL, NULL));
    char *secret = NULL;
    OK(vos_store_webhook_secret_get(T.st, 1, &secret));
    ck_assert_str_eq(secret, WEBHOOK_SECRET);
    free(secret);
    char *hs = NULL, *ht = NULL;
    OK(vos_store_password_get(S.st, 1, &hs));
    OK(vos_store_password_get(T.st, 1, &ht));
    ck_assert_str_eq(ht, hs);
    free(hs);
    free(ht);
    FAILS(vos_store_password_get(T.st, 2, &ht), VOS_ENOTFOUND, "user 2 has no password");
    vos_outbox_row *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    OK(vos_store_outbox_list(S.st, &a, &na, 0, 0, 0));
    OK(vos_store_outbox_list(T.st, &b, &nb, 0, 0, 0));
    ck_assert_uint_eq(na, 1);
    ck_assert_uint_eq(nb, 1);
    ck_assert_int_eq(b[0].id, a[0].id);
    ck_assert_str_eq(b[0].event, "alert.raised");
    ck_assert_str_eq(b[0].payload, a[0].payload);
    ck_assert_str_eq(b[0].created_at, a[0].created_at);
    ck_assert_str_eq(b[0].next_attempt_at, a[0].next_attempt_at);
    vos_outbox_rows_free(a, na);
    vos_outbox_rows_free(b, nb);
}
END_TEST

START_TEST(the_copy_signs_in_with_the_copied_password)
{
    populate();
    OK(vos_store_copy(T.st, S.st, NULL, NULL));
    vos_app *app = NULL;
    OK(vos_app_open(&app, T.url));
    vos_session_out s;
    OK(vos_app_login(app, "ana@vendor.example", PASSWORD, &s));
    ck_assert_int_eq(s.who.actor.user_id, 1);
    ck_assert_int_eq(s.who.actor.role, VOS_ROLE_ADMIN);
    ck_assert_int_eq(vos_app_login(app, "ana@vendor.example", "not the password", &s), VOS_EAUTH);
    vos_app_close(app);
}
END_TEST

/* New rows of the copy get ids after every copied one, and the audit chain goes on. */
START_TEST(later_inserts_get_larger_ids)
{
    populate();
    OK(vos_store_copy(T.st, S.st, NULL, NULL));
    int64_t acct = storetest_account(T.st, "Hooli", 1);
    ck_assert_int_eq(acct, 4); /* accounts 1 and 3 copied, 2 deleted before */
    vos_outbox_row ev = {.webhook_id = 1, .event = "alert.resolved", .payload = "{}"};
    vos_ingestion_row ing = {.label = "more.csv"};
    OK(vos_store_begin(T.st));
    OK(vos_store_outbox_add(T.st, &ev));
    OK(vos_store_ingestion_create(T.st, &ing));
    vos_measurement_row m = {.ingestion_id = ing.id,
                             .account_id = 1,
                             .kpi_key = "mttr",
                             .at = "2026-04-01T00:00:00.000Z",
                             .value = 5.5,
                             .source = "itsm"};
    vos_put_outcome out = VOS_PUT_CONFLICT;
    OK(vos_store_measurement_put(T.st, &m, &out, NULL));
    OK(vos_store_audit_append(T.st, NULL, "tester", "measurement.add", VOS_ENTITY_INGESTION, ing.id,
                              NULL));
    OK(vos_store_commit(T.st));
    ck_assert_int_eq(ev.id, 2);
    ck_assert_int_eq(ing.id, 2);
    ck_assert_int_eq(out, VOS_PUT_INSERTED);
    ck_assert_int_eq(m.id, 4);
    vos_audit_report r;
    OK(vos_store_audit_verify(T.st, &r));
    ck_assert_msg(r.problem == VOS_AUDIT_OK, "%s", r.message);
    ck_assert_int_eq(r.records, EXPECTED_AUDIT + 2);
}
END_TEST

START_TEST(a_target_with_rows_is_refused_and_left_unchanged)
{
    populate();
    storetest_account(T.st, "Existing", 1);
    FAILS(vos_store_copy(T.st, S.st, NULL, NULL), VOS_ECONFLICT,
          "the target store is not empty: it holds 1 account row");
    vos_audit_report r;
    OK(vos_store_audit_verify(T.st, &r));
    ck_assert_int_eq(r.problem, VOS_AUDIT_OK);
    ck_assert_int_eq(r.records, 1);
    vos_account_row *rows = NULL;
    size_t n = 0;
    OK(vos_store_account_list(T.st, &rows, &n, NULL));
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(rows[0].name, "Existing");
    vos_account_rows_free(rows, n);
    /* both handles are usable afterwards: no transaction was left open */
    storetest_account(T.st, "Another", 0);
    storetest_account(S.st, "Umbrella", 0);
}
END_TEST

START_TEST(a_copy_into_a_copy_is_refused)
{
    populate();
    OK(vos_store_copy(T.st, S.st, NULL, NULL));
    FAILS(vos_store_copy(T.st, S.st, NULL, NULL), VOS_ECONFLICT,
          "the target store is not empty: it holds 1 organisation row");
    FAILS(vos_store_copy(S.st, S.st, NULL, NULL), VOS_EINVALID, "another store handle");
    OK(vos_store_begin(S.st));
    FAILS(vos_store_copy(T.st, S.st, NULL, NULL), VOS_ERROR, "a transaction is open");
    OK(vos_store_rollback(S.st));
}
END_TEST

START_TEST(an_empty_store_copies_to_an_empty_store)
{
    progress_log p = {.n = 0};
    OK(vos_store_copy(T.st, S.st, on_progress, &p));
    ck_assert_str_eq(last_report(&p, "organisation"), "0/0");
    ck_assert_str_eq(last_report(&p, "audit"), "0/0");
    vos_audit_report r;
    OK(vos_store_audit_verify(T.st, &r));
    ck_assert_int_eq(r.records, 0);
    ck_assert_str_eq(r.head_hash, "");
}
END_TEST

Suite *vos_test_store_copy_suite(void)
{
    Suite *s = suite_create("store_copy");
    TCase *tc = tcase_create("copy");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, copies_every_entity_with_its_ids_and_verifies);
    tcase_add_test(tc, copies_secrets_and_the_outbox);
    tcase_add_test(tc, the_copy_signs_in_with_the_copied_password);
    tcase_add_test(tc, later_inserts_get_larger_ids);
    tcase_add_test(tc, a_target_with_rows_is_refused_and_left_unchanged);
    tcase_add_test(tc, a_copy_into_a_copy_is_refused);
    tcase_add_test(tc, an_empty_store_copies_to_an_empty_store);
    suite_add_tcase(s, tc);
    return s;
}
