/* The JSON renderers shared by the command line and the HTTP API: the exact text of each row
 * type with every field set and with the optional fields absent, stored JSON, changes, the
 * audit log, and the figures of a small case whose numbers are worked out by hand (12 months
 * of 100 USD against 600 USD up front at 0%: NPV 600, payback 6 months, ROI 100%). */
#include "render/render.h"

#include "vos/diag.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_MAX (1u << 20)
#define STAMP_A "2026-01-31T12:00:00.000Z"
#define STAMP_B "2026-02-01T08:30:00.250Z"
#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static vos_jw w;

static void begin(void)
{
    vos_jw_init(&w, OUT_MAX);
}

/* Finishes the writer and compares its text with `want`. */
static void expect(const char *want)
{
    char *text = NULL;
    size_t len = 0;
    ck_assert_int_eq(vos_jw_finish(&w, &text, &len), 0);
    ck_assert_msg(strcmp(text, want) == 0, "\n got: %s\nwant: %s", text, want);
    ck_assert_uint_eq(len, strlen(want));
    free(text);
}

static void stamps(char created[VOS_STAMP_SIZE], char updated[VOS_STAMP_SIZE])
{
    memcpy(created, STAMP_A, VOS_STAMP_SIZE);
    memcpy(updated, STAMP_B, VOS_STAMP_SIZE);
}

/* ---- rows ---- */

START_TEST(organisation_row)
{
    vos_organisation_row r = {.id = 1,
                              .revision = 2,
                              .name = "Demo \"Value\" Software",
                              .currency = "USD",
                              .fiscal_year_start = 4,
                              .default_tolerance = 0.1,
                              .stale_after_days = 30,
                              .customer_measurements = true};
    stamps(r.created_at, r.updated_at);
    begin();
    vos_render_organisation(&w, &r);
    expect("{\"id\":1,\"revision\":2,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"name\":\"Demo \\\"Value\\\" Software\",\"currency\":\"USD\","
           "\"fiscal_year_start\":4,\"default_tolerance\":0.1,\"stale_after_days\":30,"
           "\"customer_measurements\":true}");
}
END_TEST

START_TEST(user_row)
{
    vos_user_row r = {.id = 7,
                      .revision = 1,
                      .email = "nora@northwind.example",
                      .name = "Nora",
                      .role = VOS_ROLE_CUSTOMER,
                      .account_id = 3,
                      .active = true};
    stamps(r.created_at, r.updated_at);
    begin();
    vos_render_user(&w, &r);
    expect("{\"id\":7,\"revision\":1,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"email\":\"nora@northwind.example\",\"name\":\"Nora\",\"role\":\"customer\","
           "\"account_id\":3,\"active\":true}");
    r.role = VOS_ROLE_VALUE_ENGINEER;
    r.account_id = 0;
    r.active = false;
    begin();
    vos_render_user(&w, &r);
    expect("{\"id\":7,\"revision\":1,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"email\":\"nora@northwind.example\",\"name\":\"Nora\","
           "\"role\":\"value_engineer\",\"account_id\":null,\"active\":false}");
}
END_TEST

START_TEST(account_row)
{
    vos_account_row r = {.id = 2,
                         .revision = 3,
                         .name = "Contoso Bank",
                         .industry = "Financial services",
                         .size = VOS_ACCOUNT_SIZE_ENTERPRISE,
                         .segments = "[\"emea\",\"fsi\"]",
                         .owner_user_id = 6};
    stamps(r.created_at, r.updated_at);
    begin();
    vos_render_account(&w, &r);
    expect("{\"id\":2,\"revision\":3,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"name\":\"Contoso Bank\",\"industry\":\"Financial services\","
           "\"size\":\"enterprise\",\"segments\":[\"emea\",\"fsi\"],\"owner_user_id\":6}");
    vos_account_row bare = {.id = 5, .revision = 1, .name = "Bare"};
    stamps(bare.created_at, bare.updated_at);
    begin();
    vos_render_account(&w, &bare);
    expect("{\"id\":5,\"revision\":1,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"name\":\"Bare\",\"industry\":null,\"size\":null,\"segments\":[],"
           "\"owner_user_id\":null}");
}
END_TEST

START_TEST(model_rows)
{
    vos_model_row m = {.id = 4,
                       .revision = 1,
                       .key = "service-desk-automation",
                       .name = "IT service desk automation",
                       .description = "Line one\nline two"};
    stamps(m.created_at, m.updated_at);
    begin();
    vos_render_model(&w, &m);
    expect("{\"id\":4,\"revision\":1,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"key\":\"service-desk-automation\",\"name\":\"IT service desk automation\","
           "\"description\":\"Line one\\nline two\"}");

    vos_model_version_row v = {.id = 9,
                               .revision = 2,
                               .model_id = 4,
                               .version = "1.2.0",
                               .status = VOS_VERSION_APPROVED,
                               .source = "model: x\n",
                               .created_by = 2,
                               .approved_by = 1,
                               .approved_at = STAMP_B};
    stamps(v.created_at, v.updated_at);
    memcpy(v.content_sha256, SHA_A, VOS_SHA256_HEX_SIZE);
    const char *head = "{\"id\":9,\"revision\":2,\"created_at\":\"" STAMP_A
                       "\",\"updated_at\":\"" STAMP_B "\",\"model_id\":4,\"version\":\"1.2.0\","
                       "\"status\":\"approved\",";
    const char *tail = "\"content_sha256\":\"" SHA_A "\",\"created_by\":2,\"approved_by\":1,"
                       "\"approved_at\":\"" STAMP_B "\",\"retired_at\":null";
    char want[2048];
    begin();
    vos_render_model_version(&w, &v, "service-desk-automation", true);
    snprintf(want, sizeof want,
             "%s\"source\":\"model: x\\n\",%s,\"model\":\"service-desk-automation\"}", head, tail);
    expect(want);
    begin();
    vos_render_model_version(&w, &v, NULL, false);
    snprintf(want, sizeof want, "%s%s}", head, tail);
    expect(want);
}
END_TEST

START_TEST(benchmark_row)
{
    vos_benchmark_row r = {.id = 1,
                           .revision = 1,
                           .input_key = "agent_rate",
                           .industry = "Retail",
                           .segment = "emea",
                           .value = 48.5,
                           .low = 40,
                           .high = 60.25,
                           .unit = "USD/h",
                           .source = "BLS ECEC 2024",
                           .as_of = "2024-12-01"};
    stamps(r.created_at, r.updated_at);
    begin();
    vos_render_benchmark(&w, &r);
    expect("{\"id\":1,\"revision\":1,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"input_key\":\"agent_rate\",\"industry\":\"Retail\",\"segment\":\"emea\","
           "\"value\":48.5,\"low\":40,\"high\":60.25,\"unit\":\"USD/h\","
           "\"source\":\"BLS ECEC 2024\",\"as_of\":\"2024-12-01\"}");
    vos_benchmark_row bare = {.id = 2,
                              .revision = 1,
                              .input_key = "agent_rate",
                              .value = 45,
                              .low = NAN,
                              .high = NAN,
                              .source = "survey",
                              .as_of = "2025-03-31"};
    stamps(bare.created_at, bare.updated_at);
    begin();
    vos_render_benchmark(&w, &bare);
    expect("{\"id\":2,\"revision\":1,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"input_key\":\"agent_rate\",\"industry\":null,\"segment\":null,\"value\":45,"
           "\"low\":null,\"high\":null,\"unit\":null,\"source\":\"survey\","
           "\"as_of\":\"2025-03-31\"}");
}
END_TEST

START_TEST(case_row)
{
    vos_case_row r = {.id = 3,
                      .revision = 4,
                      .account_id = 2,
                      .model_version_id = 9,
                      .name = "Pilot",
                      .stage = VOS_STAGE_COMMITTED,
                      .overrides =
                          "{\"tickets\":{\"value\":20000,\"low\":18000},\"rate\":{\"value\":0.1}}",
                      .owner_user_id = 3,
                      .parent_case_id = 1};
    stamps(r.created_at, r.updated_at);
    begin();
    vos_render_case(&w, &r);
    expect("{\"id\":3,\"revision\":4,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"account_id\":2,\"model_version_id\":9,\"name\":\"Pilot\",\"stage\":\"committed\","
           "\"overrides\":{\"tickets\":{\"value\":20000,\"low\":18000},\"rate\":{\"value\":0.1}},"
           "\"owner_user_id\":3,\"parent_case_id\":1}");
    r.overrides = "{}";
    r.owner_user_id = r.parent_case_id = 0;
    r.stage = VOS_STAGE_HYPOTHESIS;
    begin();
    vos_render_case(&w, &r);
    expect("{\"id\":3,\"revision\":4,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"account_id\":2,\"model_version_id\":9,\"name\":\"Pilot\","
           "\"stage\":\"hypothesis\",\"overrides\":{},\"owner_user_id\":null,"
           "\"parent_case_id\":null}");
}
END_TEST

static vos_commitment_kpi_row a_kpi(void)
{
    vos_commitment_kpi_row k = {.id = 11,
                                .revision = 1,
                                .commitment_id = 5,
                                .kpi_key = "mttr",
                                .unit = "h",
                                .baseline_value = 9.5,
                                .baseline_date = "2026-01-15",
                                .target_value = 7,
                                .target_date = "2027-01-15",
                                .trajectory = VOS_TRAJECTORY_S_CURVE,
                                .tolerance = 0.1,
                                .owner_user_id = 4,
                                .data_source = "ServiceNow"};
    stamps(k.created_at, k.updated_at);
    return k;
}

#define KPI_JSON                                                                                   \
    "{\"id\":11,\"revision\":1,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B           \
    "\",\"commitment_id\":5,\"kpi_key\":\"mttr\",\"unit\":\"h\",\"baseline_value\":9.5,"           \
    "\"baseline_date\":\"2026-01-15\",\"target_value\":7,\"target_date\":\"2027-01-15\","          \
    "\"trajectory\":\"s_curve\",\"tolerance\":0.1,\"owner_user_id\":4,"                            \
    "\"data_source\":\"ServiceNow\"}"

START_TEST(commitment_rows)
{
    vos_commitment_kpi_row k = a_kpi();
    begin();
    vos_render_commitment_kpi(&w, &k);
    expect(KPI_JSON);
    k.unit = k.data_source = NULL;
    k.owner_user_id = 0;
    k.trajectory = VOS_TRAJECTORY_LINEAR;
    begin();
    vos_render_commitment_kpi(&w, &k);
    expect("{\"id\":11,\"revision\":1,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"commitment_id\":5,\"kpi_key\":\"mttr\",\"unit\":null,\"baseline_value\":9.5,"
           "\"baseline_date\":\"2026-01-15\",\"target_value\":7,\"target_date\":\"2027-01-15\","
           "\"trajectory\":\"linear\",\"tolerance\":0.1,\"owner_user_id\":null,"
           "\"data_source\":null}");

    vos_commitment_row c = {.id = 5,
                            .case_id = 3,
                            .snapshot = "{\"model\":{\"key\":\"m\",\"version\":\"1.0.0\"},"
                                        "\"npv\":1234.5,\"ok\":true,\"none\":null}",
                            .committed_by = 3};
    memcpy(c.created_at, STAMP_A, VOS_STAMP_SIZE);
    memcpy(c.snapshot_sha256, SHA_B, VOS_SHA256_HEX_SIZE);
    const char *row = "{\"id\":5,\"created_at\":\"" STAMP_A "\",\"case_id\":3,"
                      "\"snapshot\":{\"model\":{\"key\":\"m\",\"version\":\"1.0.0\"},"
                      "\"npv\":1234.5,\"ok\":true,\"none\":null},"
                      "\"snapshot_sha256\":\"" SHA_B "\",\"committed_by\":3";
    char want[4096];
    k = a_kpi();
    begin();
    vos_render_commitment(&w, &c, &k, 1);
    snprintf(want, sizeof want, "%s,\"kpis\":[%s]}", row, KPI_JSON);
    expect(want);
    begin();
    vos_render_commitment(&w, &c, &k, 0);
    snprintf(want, sizeof want, "%s,\"kpis\":[]}", row);
    expect(want);
    c.committed_by = 0;
    begin();
    vos_render_commitment(&w, &c, NULL, 0);
    expect("{\"id\":5,\"created_at\":\"" STAMP_A "\",\"case_id\":3,"
           "\"snapshot\":{\"model\":{\"key\":\"m\",\"version\":\"1.0.0\"},"
           "\"npv\":1234.5,\"ok\":true,\"none\":null},"
           "\"snapshot_sha256\":\"" SHA_B "\",\"committed_by\":null}");
}
END_TEST

START_TEST(measurement_and_ingestion_rows)
{
    vos_measurement_row m = {.id = 8,
                             .ingestion_id = 2,
                             .account_id = 1,
                             .kpi_key = "mttr",
                             .at = STAMP_B,
                             .value = -0.125,
                             .source = "ServiceNow"};
    begin();
    vos_render_measurement(&w, &m);
    expect("{\"id\":8,\"ingestion_id\":2,\"account_id\":1,\"kpi_key\":\"mttr\",\"at\":\"" STAMP_B
           "\",\"value\":-0.125,\"source\":\"ServiceNow\"}");
    vos_ingestion_row i = {.id = 2, .label = "march.csv", .created_by = 4};
    memcpy(i.created_at, STAMP_A, VOS_STAMP_SIZE);
    begin();
    vos_render_ingestion(&w, &i);
    expect("{\"id\":2,\"created_at\":\"" STAMP_A "\",\"label\":\"march.csv\",\"created_by\":4}");
    i.label = NULL;
    i.created_by = 0;
    begin();
    vos_render_ingestion(&w, &i);
    expect("{\"id\":2,\"created_at\":\"" STAMP_A "\",\"label\":null,\"created_by\":null}");
}
END_TEST

START_TEST(proof_point_row)
{
    vos_proof_point_row p = {.id = 1,
                             .revision = 2,
                             .account_id = 1,
                             .case_id = 3,
                             .kpi_key = "mttr",
                             .title = "MTTR down",
                             .statement = "9.5 h to 8.7 h",
                             .value = 0.8,
                             .unit = "h",
                             .evidence = "export",
                             .status = VOS_PROOF_PUBLISHED};
    stamps(p.created_at, p.updated_at);
    begin();
    vos_render_proof_point(&w, &p);
    expect("{\"id\":1,\"revision\":2,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"account_id\":1,\"case_id\":3,\"kpi_key\":\"mttr\",\"title\":\"MTTR down\","
           "\"statement\":\"9.5 h to 8.7 h\",\"value\":0.8,\"unit\":\"h\",\"evidence\":\"export\","
           "\"status\":\"published\"}");
    vos_proof_point_row bare = {
        .id = 2, .revision = 1, .account_id = 1, .title = "Bare", .value = NAN};
    stamps(bare.created_at, bare.updated_at);
    begin();
    vos_render_proof_point(&w, &bare);
    expect("{\"id\":2,\"revision\":1,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"account_id\":1,\"case_id\":null,\"kpi_key\":null,\"title\":\"Bare\","
           "\"statement\":null,\"value\":null,\"unit\":null,\"evidence\":null,"
           "\"status\":\"draft\"}");
}
END_TEST

START_TEST(alert_row)
{
    vos_alert_row a = {.id = 4,
                       .revision = 3,
                       .account_id = 1,
                       .case_id = 2,
                       .kpi_key = "mttr",
                       .kind = VOS_ALERT_FORECAST_MISS,
                       .severity = VOS_SEVERITY_CRITICAL,
                       .status = VOS_ALERT_RESOLVED,
                       .message = "forecast 8.1 h misses 7 h",
                       .resolved_at = STAMP_B};
    stamps(a.created_at, a.updated_at);
    begin();
    vos_render_alert(&w, &a);
    expect("{\"id\":4,\"revision\":3,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"account_id\":1,\"case_id\":2,\"kpi_key\":\"mttr\",\"kind\":\"forecast_miss\","
           "\"severity\":\"critical\",\"status\":\"resolved\","
           "\"message\":\"forecast 8.1 h misses 7 h\",\"resolved_at\":\"" STAMP_B "\"}");
    vos_alert_row open = {.id = 5, .revision = 1, .account_id = 1, .message = "stale"};
    stamps(open.created_at, open.updated_at);
    begin();
    vos_render_alert(&w, &open);
    expect("{\"id\":5,\"revision\":1,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"account_id\":1,\"case_id\":null,\"kpi_key\":null,\"kind\":\"drift\","
           "\"severity\":\"info\",\"status\":\"open\",\"message\":\"stale\","
           "\"resolved_at\":null}");
}
END_TEST

START_TEST(api_token_row_has_no_secret)
{
    vos_api_token_row t = {.id = 1,
                           .revision = 2,
                           .user_id = 3,
                           .name = "crm sync",
                           .prefix = "vos_dae8",
                           .revoked_at = STAMP_B};
    stamps(t.created_at, t.updated_at);
    memcpy(t.secret_sha256, SHA_A, VOS_SHA256_HEX_SIZE);
    begin();
    vos_render_api_token(&w, &t);
    expect("{\"id\":1,\"revision\":2,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"user_id\":3,\"name\":\"crm sync\",\"prefix\":\"vos_dae8\","
           "\"revoked_at\":\"" STAMP_B "\"}");
    t.revoked_at = NULL;
    begin();
    vos_render_api_token(&w, &t);
    expect("{\"id\":1,\"revision\":2,\"created_at\":\"" STAMP_A "\",\"updated_at\":\"" STAMP_B
           "\",\"user_id\":3,\"name\":\"crm sync\",\"prefix\":\"vos_dae8\",\"revoked_at\":null}");
}
END_TEST

/* ---- stored JSON, changes, audit ---- */

START_TEST(stored_documents)
{
    begin();
    vos_jw_array(&w);
    vos_render_stored(&w, "{\"b\":1,\"a\":[1.5,\"x\",null,false,{}],\"c\":1e300}");
    vos_render_stored(&w, NULL);
    vos_render_stored(&w, "{not json");
    vos_render_stored(&w, "\"text\"");
    vos_render_stored(&w, "0.1");
    vos_jw_end(&w);
    expect("[{\"b\":1,\"a\":[1.5,\"x\",null,false,{}],\"c\":1e+300},null,null,\"text\",0.1]");
}
END_TEST

START_TEST(changes)
{
    vos_change items[] = {
        {.element = "input",
         .id = "tickets",
         .field = "value",
         .before = "12000",
         .after = "13000"},
        {.element = "driver", .id = "fresh", .field = "added", .before = NULL, .after = "x * 2"},
        {.element = "figure",
         .id = "expected.npv",
         .field = "value",
         .before = "600",
         .after = "840",
         .before_value = 600,
         .after_value = 840},
        {.element = "figure",
         .id = "conservative.irr",
         .field = "value",
         .before = "n/a",
         .after = "0.41",
         .before_value = NAN,
         .after_value = 0.41},
    };
    vos_changes ch = {items, sizeof items / sizeof *items};
    begin();
    vos_jw_object(&w);
    vos_render_changes(&w, &ch);
    vos_jw_end(&w);
    expect("{\"changes\":[{\"element\":\"input\",\"id\":\"tickets\",\"field\":\"value\","
           "\"before\":\"12000\",\"after\":\"13000\"},{\"element\":\"driver\",\"id\":\"fresh\","
           "\"field\":\"added\",\"before\":null,\"after\":\"x * 2\"}],"
           "\"figures\":[{\"scenario\":\"expected\",\"figure\":\"npv\",\"before\":600,"
           "\"after\":840,\"change\":240},{\"scenario\":\"conservative\",\"figure\":\"irr\","
           "\"before\":null,\"after\":0.41,\"change\":null}]}");
}
END_TEST

START_TEST(audit_record)
{
    vos_audit_row r = {.seq = 12,
                       .actor = "admin@vos.demo",
                       .operation = "case.set",
                       .entity_type = "case",
                       .entity_id = 3,
                       .before_json = "{\"id\":3,\"overrides\":\"{}\"}",
                       .after_json = "{\"id\":3,\"overrides\":\"{\\\"a\\\":{\\\"value\\\":1}}\"}"};
    memcpy(r.at, STAMP_A, VOS_STAMP_SIZE);
    memcpy(r.prev_hash, SHA_A, VOS_SHA256_HEX_SIZE);
    memcpy(r.hash, SHA_B, VOS_SHA256_HEX_SIZE);
    begin();
    vos_render_audit(&w, &r);
    expect("{\"seq\":12,\"at\":\"" STAMP_A "\",\"actor\":\"admin@vos.demo\","
           "\"operation\":\"case.set\",\"entity_type\":\"case\",\"entity_id\":3,"
           "\"before\":{\"id\":3,\"overrides\":\"{}\"},"
           "\"after\":{\"id\":3,\"overrides\":\"{\\\"a\\\":{\\\"value\\\":1}}\"},"
           "\"prev_hash\":\"" SHA_A "\",\"hash\":\"" SHA_B "\"}");
    r.before_json = NULL;
    r.after_json = NULL;
    begin();
    vos_render_audit(&w, &r);
    expect("{\"seq\":12,\"at\":\"" STAMP_A "\",\"actor\":\"admin@vos.demo\","
           "\"operation\":\"case.set\",\"entity_type\":\"case\",\"entity_id\":3,"
           "\"before\":null,\"after\":null,\"prev_hash\":\"" SHA_A "\",\"hash\":\"" SHA_B "\"}");
}
END_TEST

START_TEST(audit_report)
{
    vos_audit_report ok = {.problem = VOS_AUDIT_OK, .records = 44};
    memcpy(ok.head_hash, SHA_A, VOS_SHA256_HEX_SIZE);
    begin();
    vos_render_audit_report(&w, &ok);
    expect("{\"ok\":true,\"records\":44,\"head_hash\":\"" SHA_A "\"}");
    vos_audit_report bad = {.problem = VOS_AUDIT_STATE,
                            .records = 44,
                            .seq = 14,
                            .entity_type = "account",
                            .entity_id = 1};
    memcpy(bad.head_hash, SHA_A, VOS_SHA256_HEX_SIZE);
    snprintf(bad.message, sizeof bad.message, "account 1 differs");
    begin();
    vos_render_audit_report(&w, &bad);
    expect("{\"ok\":false,\"records\":44,\"head_hash\":\"" SHA_A "\",\"problem\":\"state\","
           "\"seq\":14,\"entity_type\":\"account\",\"entity_id\":1,"
           "\"message\":\"account 1 differs\"}");
    bad.problem = VOS_AUDIT_LINK;
    bad.entity_type = NULL;
    begin();
    vos_render_audit_report(&w, &bad);
    expect("{\"ok\":false,\"records\":44,\"head_hash\":\"" SHA_A "\",\"problem\":\"link\","
           "\"seq\":14,\"entity_type\":null,\"entity_id\":null,"
           "\"message\":\"account 1 differs\"}");
    ck_assert_str_eq(vos_audit_problem_name(VOS_AUDIT_INTEGRITY), "integrity");
    ck_assert_str_eq(vos_audit_problem_name((vos_audit_problem)99), "unknown");
}
END_TEST

/* ---- figures of a computed case ---- */

static const char simple_model[] =
    "model: simple\n"
    "version: 1.0.0\n"
    "name: Simple case\n"
    "currency: USD\n"
    "horizon: {years: 1, period: month}\n"
    "discount_rate: 0%\n"
    "capabilities: [{id: cap, name: Capability, outcomes: [out]}]\n"
    "outcomes: [{id: out, name: Outcome, kpis: [k]}]\n"
    "kpis: [{id: k, name: KPI, unit: h, better: lower}]\n"
    "inputs:\n"
    "  a: {value: 100, low: 50, high: 200, unit: USD/month, evidence: fixture, confidence: high}\n"
    "drivers:\n"
    "  - {id: d1, lever: cost, outcome: out, formula: a, realization: 100%}\n"
    "costs:\n"
    "  - {id: c1, once: 600 USD, at: 0}\n";

START_TEST(figures_of_a_case)
{
    vos_diags d;
    vos_diags_init(&d);
    vos_model *m = NULL;
    vos_case *c = NULL;
    vos_result *res[VOS_SCENARIO_COUNT] = {0};
    ck_assert_int_eq(vos_model_load(&m, simple_model, strlen(simple_model), "simple", &d), 0);
    ck_assert_int_eq(vos_case_new(&c, m), 0);
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++) {
        ck_assert_int_eq(vos_result_new(&res[s], m), 0);
        ck_assert_int_eq(vos_case_compute(c, (vos_scenario)s, res[s]), 0);
    }
    begin();
    vos_render_model_summary(&w, m);
    expect("{\"id\":\"simple\",\"version\":\"1.0.0\",\"name\":\"Simple case\",\"currency\":\"USD\","
           "\"horizon_years\":1,\"period\":\"month\",\"discount_rate\":0}");

    /* conservative: a = 50 gives 600 of benefits: NPV 0, ROI 0, payback at month 12 */
    begin();
    res[VOS_SCENARIO_CONSERVATIVE]->has_irr = 0; /* its IRR is 0 up to rounding: not checked */
    vos_render_result(&w, m, res[VOS_SCENARIO_CONSERVATIVE], false);
    expect("{\"npv\":0,\"irr\":null,\"payback_months\":12,\"roi\":0,\"benefits_total\":600,"
           "\"costs_total\":600,\"net_total\":0,\"levers\":{\"revenue\":0,\"cost\":600,\"risk\":0},"
           "\"inputs\":{\"a\":{\"value\":50,\"end\":\"low\"}}}");

    /* expected with the cash flow: 600 up front, then 100 a month */
    begin();
    vos_jw_object(&w);
    vos_render_figures(&w, m, res, VOS_SCENARIO_EXPECTED, true);
    vos_jw_end(&w);
    char *text = NULL;
    size_t len = 0;
    ck_assert_int_eq(vos_jw_finish(&w, &text, &len), 0);
    ck_assert_ptr_nonnull(strstr(text, "\"scenario\":\"expected\",\"scenarios\":{"));
    ck_assert_ptr_nonnull(strstr(text, "\"expected\":{\"npv\":600,"));
    ck_assert_ptr_nonnull(strstr(text, "\"payback_months\":6,\"roi\":1,\"benefits_total\":1200,"
                                       "\"costs_total\":600,\"net_total\":600,"));
    ck_assert_ptr_nonnull(strstr(text, "\"cash_flow\":{\"drivers\":{\"d1\":{\"lever\":\"cost\","
                                       "\"value_per_period\":100,\"total\":1200,\"periods\":[0,"
                                       "100,100,100,100,100,100,100,100,100,100,100,100]}},"
                                       "\"costs\":{\"c1\":{\"total\":600,\"periods\":[600,0,0,0,0,"
                                       "0,0,0,0,0,0,0,0]}},"));
    ck_assert_ptr_nonnull(strstr(text, "\"cumulative\":[-600,-500,-400,-300,-200,-100,0,100,200,"
                                       "300,400,500,600]}"));
    ck_assert_ptr_nonnull(strstr(text, "\"optimistic\":{\"npv\":1800,"));
    /* only the scenario asked for carries the cash flow */
    ck_assert_ptr_eq(strstr(strstr(text, "\"optimistic\""), "cash_flow"), NULL);
    ck_assert_ptr_nonnull(strstr(text, "\"cash_flow\""));
    ck_assert(strstr(text, "\"cash_flow\"") > strstr(text, "\"expected\":{"));
    free(text);

    vos_tornado_bar bars[2];
    size_t n = 0;
    ck_assert_int_eq(vos_case_tornado(c, bars, &n), 0);
    begin();
    vos_render_tornado(&w, m, bars, n);
    expect("[{\"input\":\"a\",\"low\":50,\"high\":200,\"npv_low\":0,\"npv_high\":1800,"
           "\"swing\":1800}]");

    for (int s = 0; s < VOS_SCENARIO_COUNT; s++)
        vos_result_free(res[s]);
    vos_case_free(c);
    vos_model_free(m);
    vos_diags_free(&d);
}
END_TEST

START_TEST(simulation_document)
{
    vos_simulation sim = {
        .iterations = 3, .seed = 7, .p_npv_positive = 0.5, .hist_min = -1, .hist_max = 3};
    sim.npv = (vos_sim_stats){1, 0.5, -1, 3, 0, 1, 2};
    sim.roi = (vos_sim_stats){0.25, 0.125, 0, 0.5, 0.1, 0.2, 0.3};
    sim.hist[0] = 1;
    sim.hist[VOS_SIM_BINS - 1] = 2;
    begin();
    vos_render_simulation(&w, &sim);
    expect("{\"iterations\":3,\"seed\":7,"
           "\"npv\":{\"mean\":1,\"sd\":0.5,\"min\":-1,\"max\":3,\"p10\":0,\"p50\":1,\"p90\":2},"
           "\"roi\":{\"mean\":0.25,\"sd\":0.125,\"min\":0,\"max\":0.5,\"p10\":0.1,\"p50\":0.2,"
           "\"p90\":0.3},\"p_npv_positive\":0.5,\"histogram\":{\"min\":-1,\"max\":3,"
           "\"counts\":[1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2]}}");
}
END_TEST

Suite *vos_test_render_suite(void)
{
    Suite *s = suite_create("render");
    TCase *tc = tcase_create("rows");
    tcase_add_test(tc, organisation_row);
    tcase_add_test(tc, user_row);
    tcase_add_test(tc, account_row);
    tcase_add_test(tc, model_rows);
    tcase_add_test(tc, benchmark_row);
    tcase_add_test(tc, case_row);
    tcase_add_test(tc, commitment_rows);
    tcase_add_test(tc, measurement_and_ingestion_rows);
    tcase_add_test(tc, proof_point_row);
    tcase_add_test(tc, alert_row);
    tcase_add_test(tc, api_token_row_has_no_secret);
    suite_add_tcase(s, tc);
    tc = tcase_create("documents");
    tcase_add_test(tc, stored_documents);
    tcase_add_test(tc, changes);
    tcase_add_test(tc, audit_record);
    tcase_add_test(tc, audit_report);
    tcase_add_test(tc, figures_of_a_case);
    tcase_add_test(tc, simulation_document);
    suite_add_tcase(s, tc);
    return s;
}
