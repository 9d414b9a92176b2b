/* The OpenAPI 3.1 document, generated from the route table: paths and operations from the
 * routes, request bodies from their fields, and the component schemas of their replies,
 * written here by hand from what the renderers (src/render, h_*.c) write. */
#include "http/http_int.h"
#include "http/schemas_assess.h"

#include "vos/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCHEMA_REF "#/components/schemas/"
#define RESPONSE_REF "#/components/responses/"
#define NAME_MAX_OPENAPI 128

/* ---- component schemas (JSON Schema 2020-12, as OpenAPI 3.1 has it) ----
 *
 * Rows are written by the renderers from the store's description of each entity
 * (vos_entity_def), so their schemas are made from the same description (row_schemas).  The
 * other replies are written here by hand from src/render and the handlers. */

#define S(name) "{\"$ref\": \"" SCHEMA_REF name "\"}"
#define NUM "{\"type\": \"number\"}"
#define NUM_OR_NULL "{\"type\": [\"number\", \"null\"]}"
#define STR "{\"type\": \"string\"}"
#define STR_OR_NULL "{\"type\": [\"string\", \"null\"]}"
#define INT "{\"type\": \"integer\"}"
#define SCENARIOS "[\"conservative\", \"expected\", \"optimistic\"]"

static const struct {
    const char *name, *json;
} schemas[] = {
    {"Problem",
     "{\"type\": \"object\", \"description\": \"An error (RFC 9457 problem details).\","
     " \"required\": [\"type\", \"title\", \"status\", \"detail\"], \"properties\": {"
     "\"type\": {\"type\": \"string\", \"format\": \"uri\","
     " \"description\": \"https://vos.invalid/problems/<slug>\"},"
     "\"title\": {\"type\": \"string\", \"description\": \"the status's reason phrase\"},"
     "\"status\": " INT ","
     "\"detail\": {\"type\": \"string\", \"description\": \"one sentence\"},"
     "\"errors\": {\"type\": \"array\", \"description\": \"problems of single fields (a model"
     " import: of lines)\", \"items\": {\"type\": \"object\", \"properties\": {"
     "\"field\": {\"type\": \"string\", \"description\": \"e.g. kpis[0].target_value\"},"
     "\"line\": " INT ", \"column\": " INT ", \"severity\": {\"enum\": [\"error\", \"warning\"]},"
     "\"message\": " STR "}, \"required\": [\"message\"]}},"
     "\"request_id\": {\"type\": \"string\", \"description\": \"the X-Request-Id of the reply,"
     " which names the request in the server's log\"}}}"},
    {"Health", "{\"type\": \"object\", \"required\": [\"status\"], \"properties\": {"
               "\"status\": {\"type\": \"string\", \"enum\": [\"ok\"]}}}"},
    {"SessionUser",
     "{\"type\": \"object\", \"required\": [\"id\", \"email\", \"name\", \"role\","
     " \"account_id\"], \"properties\": {"
     "\"id\": " INT ", \"email\": " STR ", \"name\": " STR_OR_NULL ","
     "\"role\": {\"type\": \"string\", \"enum\": [\"admin\", \"value_engineer\", \"seller\","
     " \"csm\", \"executive\", \"customer\", \"partner\"]},"
     "\"account_id\": {\"type\": [\"integer\", \"null\"], \"description\": \"the account a"
     " customer or partner is scoped to\"}}}"},
    {"SessionCreated",
     "{\"type\": \"object\", \"required\": [\"user\", \"csrf_token\", \"expires_at\"],"
     " \"properties\": {\"user\": " S(
         "SessionUser") ","
                        "\"csrf_token\": {\"type\": \"string\", \"description\": \"send it in "
                        "X-CSRF-Token with"
                        " every POST, PUT, PATCH and DELETE that uses the cookie\"},"
                        "\"expires_at\": {\"type\": \"string\", \"format\": \"date-time\"}}}"},
    {"Session",
     "{\"type\": \"object\", \"required\": [\"user\", \"auth\", \"csrf_token\"], \"properties\": {"
     "\"user\": " S(
         "SessionUser") ","
                        "\"auth\": {\"type\": \"string\", \"enum\": [\"session\", \"token\"]},"
                        "\"csrf_token\": {\"type\": [\"string\", \"null\"], \"description\": "
                        "\"null for an API"
                        " token\"}}}"},
    {"ApiTokenCreated",
     "{\"type\": \"object\", \"required\": [\"token\", \"secret\"], \"properties\": {"
     "\"token\": " S("ApiToken") ","
                                 "\"secret\": {\"type\": \"string\", \"description\": \"vos_...: "
                                 "shown this once, never"
                                 " stored\"}}}"},
    {"MeasurementBatch",
     "{\"type\": \"object\", \"required\": [\"ingestion_id\", \"added\", \"unchanged\"],"
     " \"properties\": {\"ingestion_id\": {\"type\": [\"integer\", \"null\"], \"description\":"
     " \"null when every measurement was stored already\"},"
     "\"added\": " INT ", \"unchanged\": " INT "}}"},
    {"ModelSummary",
     "{\"type\": \"object\", \"required\": [\"id\", \"version\", \"name\", \"currency\","
     " \"horizon_years\", \"period\", \"discount_rate\"], \"properties\": {"
     "\"id\": " STR ", \"version\": " STR ", \"name\": " STR ", \"currency\": " STR ","
     "\"horizon_years\": " INT ", \"period\": {\"enum\": [\"month\", \"year\"]},"
     "\"discount_rate\": " NUM "}}"},
    {"ScenarioResult",
     "{\"type\": \"object\", \"description\": \"The figures of one scenario; irr, payback_months"
     " and roi are null when not defined.\", \"required\": [\"npv\", \"irr\", \"payback_months\","
     " \"roi\", \"benefits_total\", \"costs_total\", \"net_total\", \"levers\", \"inputs\"],"
     " \"properties\": {\"npv\": " NUM ", \"irr\": " NUM_OR_NULL
     ", \"payback_months\": " NUM_OR_NULL ", \"roi\": " NUM_OR_NULL ", \"benefits_total\": " NUM
     ", \"costs_total\": " NUM ", \"net_total\": " NUM ","
     "\"levers\": {\"type\": \"object\", \"required\": [\"revenue\", \"cost\", \"risk\"],"
     " \"properties\": {\"revenue\": " NUM ", \"cost\": " NUM ", \"risk\": " NUM "}},"
     "\"inputs\": {\"type\": \"object\", \"description\": \"by input id\","
     " \"additionalProperties\": {\"type\": \"object\", \"required\": [\"value\", \"end\"],"
     " \"properties\": {\"value\": " NUM ", \"end\": {\"enum\": [\"value\", \"low\","
     " \"high\"]}}}},"
     "\"cash_flow\": " S("CashFlow") "}}"},
    {"CashFlow",
     "{\"type\": \"object\", \"description\": \"Per period; index 0 is up front.\","
     " \"required\": [\"drivers\", \"costs\", \"total_benefits\", \"total_costs\", \"net\","
     " \"cumulative\"],"
     " \"properties\": {"
     "\"drivers\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"object\","
     " \"required\": [\"lever\", \"value_per_period\", \"total\", \"periods\"], \"properties\": {"
     "\"lever\": {\"enum\": [\"revenue\", \"cost\", \"risk\"]}, \"value_per_period\": " NUM_OR_NULL
     ", \"total\": " NUM ", \"periods\": {\"type\": \"array\", \"items\": " NUM_OR_NULL "}}}},"
     "\"costs\": {\"type\": \"object\", \"description\": \"by cost id\", \"additionalProperties\":"
     " {\"type\": \"object\", \"required\": [\"total\", \"periods\"], \"properties\": {"
     "\"total\": " NUM ", \"periods\": {\"type\": \"array\", \"items\": " NUM_OR_NULL "}}}},"
     "\"total_benefits\": {\"type\": \"array\", \"items\": " NUM_OR_NULL "},"
     "\"total_costs\": {\"type\": \"array\", \"items\": " NUM_OR_NULL "},"
     "\"net\": {\"type\": \"array\", \"items\": " NUM_OR_NULL "},"
     "\"cumulative\": {\"type\": \"array\", \"items\": " NUM_OR_NULL "}}}"},
    {"CaseFigures",
     "{\"type\": \"object\", \"required\": [\"model\", \"scenario\", \"scenarios\"],"
     " \"properties\": {\"model\": " S(
         "ModelSummary") ","
                         "\"scenario\": {\"enum\": " SCENARIOS "},"
                         "\"scenarios\": {\"type\": \"object\", \"required\": " SCENARIOS
                         ", \"properties\": {"
                         "\"conservative\": " S("ScenarioResult") ", \"expected\": " S(
                             "ScenarioResult") ","
                                               " \"optimistic\": " S("ScenarioResult") "}},"
     " \"warnings\": {\"type\": \"array\", \"description\": \"with detail: the model's policy"
     " warnings as the case sees its inputs\", \"items\": " S("PolicyWarning") "}}}"},
    {"PolicyWarning",
     "{\"type\": \"object\", \"required\": [\"code\", \"element\", \"id\", \"message\"],"
     " \"properties\": {\"code\": {\"enum\": [\"no_evidence\", \"no_range\", \"unused_input\","
     " \"no_haircut\", \"no_outcome\", \"empty_capability\", \"empty_outcome\","
     " \"unlisted_outcome\", \"unlisted_kpi\"]}, \"element\": {\"enum\": [\"input\", \"driver\","
     " \"capability\", \"outcome\", \"kpi\"]}, \"id\": {\"type\": \"string\"},"
     " \"message\": {\"type\": \"string\"}}}"},
    {"SimulationStats",
     "{\"type\": \"object\", \"required\": [\"mean\", \"sd\", \"min\", \"max\", \"p10\", \"p50\","
     " \"p90\"], \"properties\": {\"mean\": " NUM_OR_NULL ", \"sd\": " NUM_OR_NULL
     ", \"min\": " NUM_OR_NULL ", \"max\": " NUM_OR_NULL ", \"p10\": " NUM_OR_NULL
     ", \"p50\": " NUM_OR_NULL ", \"p90\": " NUM_OR_NULL "}}"},
    {"Simulation",
     "{\"type\": \"object\", \"required\": [\"iterations\", \"seed\", \"npv\", \"roi\","
     " \"p_npv_positive\", \"histogram\"], \"properties\": {\"iterations\": " INT ", \"seed\": " INT
     ", \"npv\": " S("SimulationStats") ", \"roi\": " S(
         "SimulationStats") ","
                            "\"p_npv_positive\": " NUM_OR_NULL ","
                            "\"histogram\": {\"type\": \"object\", \"required\": [\"min\", "
                            "\"max\", \"counts\"],"
                            " \"properties\": {\"min\": " NUM_OR_NULL ", \"max\": " NUM_OR_NULL
                            ", \"counts\":"
                            " {\"type\": \"array\", \"items\": " INT "}}}}}"},
    {"Tornado",
     "{\"type\": \"object\", \"required\": [\"scenario\", \"npv\", \"bars\"], \"properties\": {"
     "\"scenario\": {\"enum\": " SCENARIOS "}, \"npv\": " NUM_OR_NULL ","
     "\"bars\": {\"type\": \"array\", \"description\": \"largest swing first\", \"items\": {"
     "\"type\": \"object\", \"required\": [\"input\", \"low\", \"high\", \"npv_low\","
     " \"npv_high\", \"swing\"], \"properties\": {\"input\": " STR ", \"low\": " NUM_OR_NULL
     ", \"high\": " NUM_OR_NULL ", \"npv_low\": " NUM_OR_NULL ", \"npv_high\": " NUM_OR_NULL
     ", \"swing\": " NUM_OR_NULL "}}}}}"},
    {"Explanation",
     "{\"type\": \"object\", \"required\": [\"model\", \"scenario\", \"figure\", \"value\","
     " \"unit\", \"formula\", \"terms\"], \"properties\": {\"model\": " S(
         "ModelSummary") ","
                         "\"scenario\": {\"enum\": " SCENARIOS "}, \"figure\": " STR
                         ", \"value\": " NUM_OR_NULL ", \"unit\": " STR_OR_NULL
                         ", \"formula\": " STR_OR_NULL ","
                         "\"terms\": {\"type\": \"array\", \"items\": {\"type\": \"object\", "
                         "\"required\":"
                         " [\"label\", \"value\", \"unit\", \"detail\"], \"properties\": "
                         "{\"label\": " STR_OR_NULL ", \"value\": " NUM_OR_NULL
                         ", \"unit\": " STR_OR_NULL ", \"detail\": " STR_OR_NULL "}}}}}"},
    {"ElementChange",
     "{\"type\": \"object\", \"required\": [\"element\", \"id\", \"field\", \"before\","
     " \"after\"], \"properties\": {\"element\": " STR_OR_NULL ", \"id\": " STR_OR_NULL
     ", \"field\": " STR_OR_NULL ", \"before\": " STR_OR_NULL ", \"after\": " STR_OR_NULL "}}"},
    {"FigureChange",
     "{\"type\": \"object\", \"required\": [\"scenario\", \"figure\", \"before\", \"after\","
     " \"change\"], \"properties\": {\"scenario\": " STR ", \"figure\": " STR
     ", \"before\": " NUM_OR_NULL ", \"after\": " NUM_OR_NULL ", \"change\": " NUM_OR_NULL "}}"},
    {"ModelDiff",
     "{\"type\": \"object\", \"required\": [\"model\", \"from\", \"to\", \"changes\","
     " \"figures\"], \"properties\": {\"model\": " STR ", \"from\": " STR ", \"to\": " STR ","
     "\"changes\": {\"type\": \"array\", \"items\": " S(
         "ElementChange") "},"
                          "\"figures\": {\"type\": \"array\", \"items\": " S("FigureChange") "}}}"},
    {"Rebase",
     "{\"type\": \"object\", \"required\": [\"case\", \"version\", \"revision\", \"changes\","
     " \"figures\"], \"properties\": {\"case\": " INT ", \"version\": " STR ", \"revision\": " INT
     ", \"changes\": {\"type\": \"array\", \"items\": " S(
         "ElementChange") "},"
                          "\"figures\": {\"type\": \"array\", \"items\": " S("FigureChange") "}}}"},
    {"AuditRecord",
     "{\"type\": \"object\", \"required\": [\"seq\", \"at\", \"actor\", \"operation\","
     " \"entity_type\", \"entity_id\", \"before\", \"after\", \"prev_hash\", \"hash\"],"
     " \"properties\": {\"seq\": " INT ", \"at\": {\"type\": \"string\", \"format\":"
     " \"date-time\"}, \"actor\": " STR ", \"operation\": " STR ", \"entity_type\": " STR ","
     " \"entity_id\": " INT ", \"before\": {\"type\": [\"object\", \"null\"]},"
     " \"after\": {\"type\": [\"object\", \"null\"]},"
     " \"prev_hash\": {\"type\": \"string\", \"pattern\": \"^[0-9a-f]{64}$\"},"
     " \"hash\": {\"type\": \"string\", \"pattern\": \"^[0-9a-f]{64}$\"}}}"},
    {"AuditReport",
     "{\"type\": \"object\", \"required\": [\"ok\", \"records\", \"head_hash\"], \"properties\":"
     " {\"ok\": {\"type\": \"boolean\"}, \"records\": " INT ", \"head_hash\": " STR ","
     "\"problem\": {\"enum\": [\"gap\", \"link\", \"hash\", \"state\", \"integrity\"]},"
     "\"seq\": " INT ", \"entity_type\": " STR_OR_NULL ", \"entity_id\": {\"type\": [\"integer\","
     " \"null\"]}, \"message\": " STR "}}"},
    {"LeverValues",
     "{\"type\": \"object\", \"description\": \"committed, planned and realized value of one"
     " lever\", \"required\": [\"committed\", \"planned_to_date\", \"realized_to_date\"],"
     " \"properties\": {\"committed\": " NUM_OR_NULL ", \"planned_to_date\": " NUM_OR_NULL ","
     " \"realized_to_date\": " NUM_OR_NULL "}}"},
    {"KpiRealization",
     "{\"type\": \"object\", \"description\": \"A committed KPI at as_of; numbers without a value"
     " are null.\", \"required\": [\"kpi\", \"name\", \"unit\", \"better\", \"baseline_value\","
     " \"baseline_date\", \"target_value\", \"target_date\", \"trajectory\", \"tolerance\","
     " \"measurements\", \"actual\", \"actual_at\", \"planned\", \"progress\","
     " \"planned_progress\", \"variance\", \"behind\", \"drifting\", \"stale\","
     " \"milestones_missed\", \"milestones\", \"forecast\"], \"properties\": {\"kpi\": " STR
     ", \"name\": " STR
     ", \"unit\": " STR_OR_NULL ", \"better\": {\"enum\": [\"lower\", \"higher\"]},"
     " \"baseline_value\": " NUM ", \"baseline_date\": {\"type\": \"string\", \"format\":"
     " \"date\"}, \"target_value\": " NUM ", \"target_date\": {\"type\": \"string\", \"format\":"
     " \"date\"}, \"trajectory\": {\"enum\": [\"linear\", \"s_curve\", \"step\"]},"
     " \"tolerance\": " NUM ", \"measurements\": " INT ", \"actual\": " NUM_OR_NULL ","
     " \"actual_at\": " STR_OR_NULL ", \"planned\": " NUM_OR_NULL ", \"progress\": " NUM_OR_NULL
     ", \"planned_progress\": " NUM_OR_NULL ", \"variance\": " NUM_OR_NULL ", \"behind\": "
     NUM_OR_NULL ", \"drifting\": {\"type\": \"boolean\"}, \"stale\": {\"type\": \"boolean\"},"
     " \"milestones_missed\": " INT ", \"milestones\": {\"type\": \"array\", \"items\":"
     " {\"type\": \"object\", \"required\": [\"date\", \"value\", \"due\", \"missed\"],"
     " \"properties\": {\"date\": {\"type\": \"string\", \"format\": \"date\"}, \"value\": "
     NUM ", \"due\": {\"type\": \"boolean\"}, \"missed\": {\"type\": \"boolean\"}}}},"
     " \"forecast\": {\"type\": [\"object\", \"null\"],"
     " \"properties\": {\"value\": " NUM_OR_NULL ", \"low\": " NUM_OR_NULL ", \"high\": "
     NUM_OR_NULL ", \"level\": " NUM ", \"progress\": " NUM_OR_NULL ", \"misses\": {\"type\":"
     " \"boolean\"}, \"points\": " INT "}}}}"},
    {"DriverRealization",
     "{\"type\": \"object\", \"required\": [\"driver\", \"name\", \"lever\", \"has_realized\","
     " \"planned_to_date\", \"realized_to_date\", \"variance\", \"roi_points\","
     " \"periods_measured\", \"missing_kpi\", \"realized_per_period\"], \"properties\": {"
     "\"driver\": " STR ", \"name\": " STR ", \"lever\": {\"enum\": [\"revenue\", \"cost\","
     " \"risk\"]}, \"has_realized\": {\"type\": \"boolean\"}, \"planned_to_date\": " NUM_OR_NULL
     ", \"realized_to_date\": " NUM_OR_NULL ", \"variance\": " NUM_OR_NULL ", \"roi_points\": "
     NUM_OR_NULL ", \"periods_measured\": " INT ", \"missing_kpi\": {\"type\": [\"string\","
     " \"null\"], \"description\": \"a KPI the realized formula reads that is not committed\"},"
     " \"realized_per_period\": {\"type\": \"array\", \"items\": " NUM_OR_NULL "}}}"},
    {"Realization",
     "{\"type\": \"object\", \"description\": \"The value a committed case realized to as_of"
     " against its committed plan (docs/realization.md).\", \"required\": [\"case\", \"account\","
     " \"model\", \"as_of\", \"start\", \"period_days\", \"periods_elapsed\", \"committed_npv\","
     " \"committed_total\", \"planned_to_date\", \"realized_to_date\", \"costs_to_date\","
     " \"percent_of_plan\", \"percent_of_total\", \"roi_planned\", \"roi_realized\", \"roi_gap\","
     " \"levers\", \"kpis\", \"drivers\"], \"properties\": {\"case\": {\"type\": \"object\","
     " \"properties\": {\"id\": " INT ", \"name\": " STR ", \"stage\": " STR ", \"account_id\": "
     INT "}}, \"account\": " STR ", \"model\": " S("ModelSummary") ", \"as_of\": {\"type\":"
     " \"string\", \"format\": \"date-time\"}, \"start\": {\"type\": \"string\", \"format\":"
     " \"date\"}, \"period_days\": " NUM ", \"periods_elapsed\": " INT ", \"committed_npv\": "
     NUM_OR_NULL ", \"committed_total\": " NUM_OR_NULL ", \"planned_to_date\": " NUM_OR_NULL
     ", \"realized_to_date\": " NUM_OR_NULL ", \"costs_to_date\": " NUM_OR_NULL
     ", \"percent_of_plan\": " NUM_OR_NULL ", \"percent_of_total\": " NUM_OR_NULL
     ", \"roi_planned\": " NUM_OR_NULL ", \"roi_realized\": " NUM_OR_NULL ", \"roi_gap\": "
     NUM_OR_NULL ", \"levers\": {\"type\": \"object\", \"additionalProperties\": " S(
         "LeverValues") "}, \"kpis\": {\"type\": \"array\", \"items\": " S("KpiRealization")
     "}, \"drivers\": {\"type\": \"array\", \"items\": " S("DriverRealization") "}}}"},
    {"Portfolio",
     "{\"type\": \"object\", \"required\": [\"as_of\", \"currency\", \"cases\","
     " \"committed_total\", \"planned_to_date\", \"realized_to_date\", \"realization_rate\","
     " \"open_alerts\", \"levers\", \"accounts\", \"skipped\"], \"properties\": {\"as_of\": "
     STR ", \"currency\": " STR ", \"cases\": " INT ", \"committed_total\": " NUM_OR_NULL
     ", \"planned_to_date\": " NUM_OR_NULL ", \"realized_to_date\": " NUM_OR_NULL
     ", \"realization_rate\": " NUM_OR_NULL ", \"open_alerts\": " INT ", \"levers\": {\"type\":"
     " \"object\", \"additionalProperties\": " S("LeverValues") "}, \"accounts\": {\"type\":"
     " \"array\", \"description\": \"worst first: the lowest realization rate\", \"items\":"
     " {\"type\": \"object\", \"required\": [\"account_id\", \"name\", \"cases\","
     " \"committed_total\", \"planned_to_date\", \"realized_to_date\", \"realization_rate\","
     " \"open_alerts\"], \"properties\": {\"account_id\": " INT ", \"name\": " STR ", \"cases\": "
     INT ", \"committed_total\": " NUM_OR_NULL ", \"planned_to_date\": " NUM_OR_NULL
     ", \"realized_to_date\": " NUM_OR_NULL ", \"realization_rate\": " NUM_OR_NULL
     ", \"open_alerts\": " INT "}}}, \"skipped\": {\"type\": \"array\", \"items\": {\"type\":"
     " \"object\", \"properties\": {\"case_id\": " INT ", \"reason\": " STR "}}}}}"},
    {"AlertEvaluation",
     "{\"type\": \"object\", \"required\": [\"cases\", \"raised\", \"updated\", \"resolved\","
     " \"unchanged\", \"failed\", \"first_error\"], \"properties\": {\"cases\": " INT
     ", \"raised\": " INT ", \"updated\": " INT ", \"resolved\": " INT ", \"unchanged\": " INT
     ", \"failed\": " INT ", \"first_error\": " STR_OR_NULL "}}"},
    {"WebhookCreated",
     "{\"type\": \"object\", \"required\": [\"webhook\", \"secret\"], \"properties\": {"
     "\"webhook\": " S("Webhook") ", \"secret\": {\"type\": [\"string\", \"null\"],"
     " \"description\": \"the generated signing secret, shown this once (null when the"
     " request gave one)\"}}}"},
    {"Delivery",
     "{\"type\": \"object\", \"description\": \"An event queued for a webhook and its attempts\","
     " \"required\": [\"id\", \"webhook_id\", \"event\", \"created_at\", \"attempts\","
     " \"next_attempt_at\", \"claimed_until\", \"delivered_at\", \"failed_at\", \"last_status\","
     " \"last_error\", \"state\", \"payload\"], \"properties\": {\"id\": " INT ", \"webhook_id\": "
     INT ", \"event\": " STR ", \"created_at\": " STR ", \"attempts\": " INT
     ", \"next_attempt_at\": " STR ", \"claimed_until\": " STR_OR_NULL ", \"delivered_at\": "
     STR_OR_NULL ", \"failed_at\": " STR_OR_NULL ", \"last_status\": {\"type\": [\"integer\","
     " \"null\"]}, \"last_error\": " STR_OR_NULL ", \"state\": {\"enum\": [\"pending\","
     " \"delivered\", \"failed\"]}, \"payload\": {\"type\": \"object\"}}}"},
    /* maturity: schemas_assess.c */
    {"MaturityGroup", http_schema_maturity_group},
    {"MaturityScores", http_schema_maturity_scores},
    {"AssessmentSummary", http_schema_assessment_summary},
    {"Assessment", http_schema_assessment},
    {"Blueprint", http_schema_blueprint},
    {"Roadmap", http_schema_roadmap},
    {"MaturityIndicators", http_schema_maturity_indicators},
};
#define N_SCHEMAS (sizeof schemas / sizeof *schemas)

/* Schemas of rows: an entity, the fields the renderer leaves out, and those it writes only
 * sometimes (not required). */
static const struct {
    const char *name;
    vos_entity entity;
    const char *omit, *optional; /* one field name each, or NULL */
    const char *extra;           /* a property the renderer adds: {"name": schema}, or NULL */
    bool extra_required;
} row_schemas[] = {
    {"Organisation", VOS_ENTITY_ORGANISATION, NULL, NULL, NULL, false},
    {"User", VOS_ENTITY_USER, NULL, NULL, NULL, false},
    {"Account", VOS_ENTITY_ACCOUNT, NULL, NULL, NULL, false},
    {"Model", VOS_ENTITY_MODEL, NULL, NULL, NULL, false},
    {"ModelVersion", VOS_ENTITY_MODEL_VERSION, NULL, "source",
     "{\"model\": {\"type\": \"string\", \"description\": \"the model's key\"}}", false},
    {"Benchmark", VOS_ENTITY_BENCHMARK, NULL, NULL, NULL, false},
    {"Case", VOS_ENTITY_CASE, NULL, NULL, NULL, false},
    {"CaseItem", VOS_ENTITY_CASE, NULL, NULL,
     "{\"account_name\": {\"type\": \"string\", \"description\": \"the account's name\"},"
     " \"model\": {\"type\": \"string\", \"description\": \"the model's key\"},"
     " \"version\": {\"type\": \"string\", \"description\": \"the model version\"}}",
     true},
    {"Commitment", VOS_ENTITY_COMMITMENT, NULL, NULL,
     "{\"kpis\": {\"type\": \"array\", \"items\": " S("CommitmentKpi") "}}", true},
    {"CommitmentKpi", VOS_ENTITY_COMMITMENT_KPI, NULL, NULL, NULL, false},
    {"Measurement", VOS_ENTITY_MEASUREMENT, NULL, NULL, NULL, false},
    {"ProofPoint", VOS_ENTITY_PROOF_POINT, NULL, NULL, NULL, false},
    {"Alert", VOS_ENTITY_ALERT, NULL, NULL, NULL, false},
    {"Webhook", VOS_ENTITY_WEBHOOK, "secret_sha256", NULL, NULL, false},
    {"ApiToken", VOS_ENTITY_API_TOKEN, "secret_sha256", NULL, NULL, false},
};
#define N_ROW_SCHEMAS (sizeof row_schemas / sizeof *row_schemas)

bool http_openapi_has_schema(const char *name)
{
    for (size_t i = 0; i < N_SCHEMAS; i++)
        if (strcmp(schemas[i].name, name) == 0) return true;
    for (size_t i = 0; i < N_ROW_SCHEMAS; i++)
        if (strcmp(row_schemas[i].name, name) == 0) return true;
    return false;
}

/* Descriptions of the tags. */
static const struct {
    const char *tag, *description;
} tags[] = {
    {"system", "Health, metrics and this document."},
    {"session", "Signing in and out with a session cookie."},
    {"users", "Users of the organisation and their API tokens."},
    {"tokens", "API tokens for integrations (Authorization: Bearer)."},
    {"models", "Value models and their versions (the value fabric)."},
    {"benchmarks", "Reference values of model inputs by industry and segment."},
    {"accounts", "Customers of the vendor."},
    {"cases", "Business cases: hypotheses, commitments and their lifecycle."},
    {"measurements", "Observed KPI values that prove realization."},
    {"alerts", "Drift, stale and forecast alerts on committed KPIs."},
    {"proof_points", "Proven value, validated and published."},
    {"proof-points", "Proven value, validated and published."},
    {"audit", "The tamper-evident audit log."},
    {"realization", "Value realized against the value committed to, over the portfolio."},
    {"webhooks", "Receivers of alert events: signed JSON POSTs with retries."},
    {"maturity", "The value maturity self-assessment (Ecosystems' Value Blueprint)."},
};

/* ---- building ---- */

typedef struct doc {
    json_t *root;
    bool failed;
    char why[256];
} doc;

static json_t *set(doc *d, json_t *obj, const char *key, json_t *value)
{
    if (!value || json_object_set_new(obj, key, value) < 0) d->failed = true;
    return value;
}

static void push(doc *d, json_t *arr, json_t *value)
{
    if (!value || json_array_append_new(arr, value) < 0) d->failed = true;
}

static json_t *obj_at(doc *d, json_t *parent, const char *key)
{
    json_t *o = json_object_get(parent, key);
    return o ? o : set(d, parent, key, json_object());
}

static json_t *ref(const char *base, const char *name)
{
    char r[NAME_MAX_OPENAPI + 64];
    snprintf(r, sizeof r, "%s%s", base, name);
    return json_pack("{s:s}", "$ref", r);
}

/* {"type": T} or, for a field that may be null, {"type": [T, "null"]}. */
static json_t *typed(const char *type, bool nullable)
{
    return nullable ? json_pack("{s:[ss]}", "type", type, "null")
                    : json_pack("{s:s}", "type", type);
}

static json_t *field_schema(doc *d, const vos_field *f)
{
    bool nullable = !f->required;
    json_t *s = NULL;
    switch (f->type) {
    case VOS_F_STRING:
        s = typed("string", nullable);
        set(d, s, "maxLength", json_integer((json_int_t)(f->max ? f->max : VOS_NAME_MAX)));
        if (f->enum_values) {
            json_t *e = set(d, s, "enum", json_array());
            for (const char *p = f->enum_values; e;) {
                const char *bar = strchr(p, '|');
                size_t n = bar ? (size_t)(bar - p) : strlen(p);
                push(d, e, json_stringn(p, n));
                if (!bar) break;
                p = bar + 1;
            }
            if (e && nullable) push(d, e, json_null());
        }
        break;
    case VOS_F_INTEGER:
        s = typed("integer", nullable);
        break;
    case VOS_F_NUMBER:
        s = typed("number", nullable);
        break;
    case VOS_F_BOOL:
        s = typed("boolean", nullable);
        break;
    case VOS_F_DATE:
        s = typed("string", nullable);
        set(d, s, "format", json_string("date"));
        break;
    case VOS_F_STAMP:
        s = typed("string", nullable);
        set(d, s, "format", json_string("date-time"));
        break;
    case VOS_F_OBJECT:
        s = typed("object", nullable);
        break;
    case VOS_F_ARRAY:
        s = typed("array", nullable);
        set(d, s, "maxItems",
            json_integer((json_int_t)(f->max ? f->max : VOS_HTTP_JSON_ARRAY_MAX)));
        set(d, s, "items", json_object());
        break;
    }
    if (s && f->doc) set(d, s, "description", json_string(f->doc));
    if (!s) d->failed = true;
    return s;
}

/* A text/csv body: a measurement file (docs/ingestion.md#the-csv-format). */
static const char csv_body_doc[] =
    "A CSV file (RFC 4180, UTF-8; records end with CRLF, LF or CR; a byte order mark is "
    "dropped). The first record is the header naming the five columns, in any order: "
    "account (the account's name, compared without case, or its id), kpi (the key of a KPI "
    "committed to in a case of that account), time (ISO 8601: YYYY-MM-DD, or "
    "YYYY-MM-DDTHH:MM[:SS[.fff]] with Z or an offset +HH:MM/-HH:MM; between 1970 and 2200 and "
    "at most one day after now), value (a finite decimal number in the KPI's unit, '.' as the "
    "decimal point, no thousands separators) and source (the data source's name, 1 to 200 "
    "characters on one line); account_id, kpi_key and at are accepted as column names too. "
    "Then one measurement per record, at most 100,000. Every row is checked before anything "
    "is written: a bad row is a 422 problem listing every problem with its line and column.";
static const char csv_body_example[] =
    "account,kpi,time,value,source\r\nAcme Corporation,mttr,2026-03-01T08:00:00Z,8.25,"
    "ServiceNow\r\n";

static json_t *object_schema(doc *d, const vos_route *r);

/* The schema of one media type of a body given as text (`body_media`): an object of the
 * route's fields for application/json when it has some, the CSV columns for text/csv, else a
 * string taken as is. */
static json_t *media_schema(doc *d, const vos_route *r, const char *media)
{
    if (strcmp(media, "application/json") == 0 && r->n_body) return object_schema(d, r);
    if (strcmp(media, "text/csv") == 0) {
        json_t *csv = json_pack("{s:s,s:s,s:s}", "type", "string", "description", csv_body_doc,
                                "example", csv_body_example);
        if (!csv) d->failed = true;
        return csv;
    }
    return json_pack("{s:s}", "type", "string");
}

static json_t *request_body(doc *d, const vos_route *r)
{
    json_t *body = json_pack("{s:b}", "required", 1);
    json_t *content = set(d, body, "content", json_object());
    if (!content) return body;
    if (r->body_media) {
        /* "application/yaml, application/json": each media type takes the text as is */
        char media[NAME_MAX_OPENAPI];
        for (const char *p = r->body_media; *p;) {
            while (*p == ' ' || *p == ',' || *p == '|')
                p++;
            size_t n = strcspn(p, " ,|");
            if (n == 0) break;
            snprintf(media, sizeof media, "%.*s", (int)n, p);
            set(d, set(d, content, media, json_object()), "schema", media_schema(d, r, media));
            p += n;
        }
        return body;
    }
    set(d, set(d, content, "application/json", json_object()), "schema", object_schema(d, r));
    return body;
}

/* The JSON object of the route's body fields. */
static json_t *object_schema(doc *d, const vos_route *r)
{
    json_t *schema = json_pack("{s:s,s:b}", "type", "object", "additionalProperties", 0);
    json_t *props = set(d, schema, "properties", json_object());
    json_t *required = json_array();
    for (size_t i = 0; i < r->n_body && props; i++) {
        set(d, props, r->body[i].name, field_schema(d, &r->body[i]));
        if (r->body[i].required) push(d, required, json_string(r->body[i].name));
    }
    if (json_array_size(required))
        set(d, schema, "required", required);
    else
        json_decref(required);
    return schema;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && strncmp(s + n - k, suffix, k) == 0;
}

static json_t *parameter(const char *name, size_t n, const char *in, bool required, json_t *schema)
{
    return json_pack("{s:s#,s:s,s:b,s:o}", "name", name, (int)n, "in", in, "required", required,
                     "schema", schema);
}

static json_t *id_or_string(const char *name, size_t n)
{
    return ends_with(name, n, "_id") ? json_pack("{s:s,s:i}", "type", "integer", "minimum", 1)
                                     : json_pack("{s:s}", "type", "string");
}

static json_t *parameters(doc *d, const vos_route *r)
{
    json_t *params = json_array();
    for (const char *p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
        size_t n = strcspn(p + 1, "}");
        push(d, params, parameter(p + 1, n, "path", true, id_or_string(p + 1, n)));
    }
    for (const char *const *q = r->query; q && *q; q++) {
        json_t *qp = parameter(*q, strlen(*q), "query", false, id_or_string(*q, strlen(*q)));
        push(d, params, qp);
    }
    if (r->flags & VOS_ROUTE_LIST) {
        json_t *limit =
            parameter("limit", 5, "query", false,
                      json_pack("{s:s,s:i,s:i,s:i}", "type", "integer", "minimum", 1, "maximum",
                                VOS_HTTP_PAGE_MAX, "default", VOS_HTTP_PAGE_DEFAULT));
        set(d, limit, "description", json_string("items of one page"));
        push(d, params, limit);
        json_t *after = parameter("after", 5, "query", false, json_pack("{s:s}", "type", "string"));
        set(d, after, "description",
            json_string("the cursor of the page to read: `next` of the page before"));
        push(d, params, after);
    }
    bool authed = !(r->flags & VOS_ROUTE_PUBLIC);
    if (authed && strcmp(r->method, "POST") == 0) {
        json_t *key = parameter(
            "Idempotency-Key", 15, "header", false,
            json_pack("{s:s,s:i}", "type", "string", "maxLength", VOS_IDEMPOTENCY_KEY_MAX));
        set(d, key, "description",
            json_string("a retried POST with the same key gets the first reply again (kept 24 "
                        "hours)"));
        push(d, params, key);
    }
    if (authed && (strcmp(r->method, "PUT") == 0 || strcmp(r->method, "PATCH") == 0)) {
        json_t *im =
            parameter("If-Match", 8, "header", false, json_pack("{s:s}", "type", "string"));
        set(d, im, "description",
            json_string("the ETag read before: the update fails with 412 if it changed since"));
        push(d, params, im);
    }
    return params;
}

/* The problem statuses an operation may reply, by what it takes. */
static void problem_statuses(const vos_route *r, int *out, size_t *n)
{
    bool authed = !(r->flags & VOS_ROUTE_PUBLIC);
    bool write = strcmp(r->method, "GET") != 0;
    bool takes_body = r->body || r->body_media || write;
    bool has_params = strchr(r->pattern, '{') != NULL;
    *n = 0;
    if (takes_body || r->query || (r->flags & VOS_ROUTE_LIST) || has_params) out[(*n)++] = 400;
    if (authed) out[(*n)++] = 401;
    if (authed) out[(*n)++] = 403;
    if (has_params) out[(*n)++] = 404;
    if (authed && write) out[(*n)++] = 409;
    if (authed && (strcmp(r->method, "PUT") == 0 || strcmp(r->method, "PATCH") == 0))
        out[(*n)++] = 412;
    if (takes_body && strcmp(r->method, "DELETE") != 0) out[(*n)++] = 413;
    if (write || r->query) out[(*n)++] = 422;
    if (!(r->flags & VOS_ROUTE_UNLIMITED) || strcmp(r->operation_id, "createSession") == 0)
        out[(*n)++] = 429;
}

static const struct {
    int status;
    const char *name, *description;
} problem_responses[] = {
    {400, "BadRequest", "The request is malformed (JSON, fields, parameters)."},
    {401, "Unauthorized", "No valid session cookie or API token."},
    {403, "Forbidden", "The user's role may not do this, or the CSRF token is missing."},
    {404, "NotFound", "No such resource (or one the user may not see)."},
    {409, "Conflict", "The state of the resource forbids the operation."},
    {412, "PreconditionFailed", "If-Match names a revision that is no longer current."},
    {413, "TooLarge", "The body is larger than the server accepts."},
    {422, "Unprocessable", "The request is well formed but breaks a rule of the domain."},
    {429, "TooManyRequests", "Rate limit exceeded; Retry-After says when to retry."},
};
#define N_PROBLEMS (sizeof problem_responses / sizeof *problem_responses)

static size_t problem_index(int status)
{
    for (size_t i = 0; i < N_PROBLEMS; i++)
        if (problem_responses[i].status == status) return i;
    return 0;
}

static json_t *success_response(doc *d, const vos_route *r)
{
    const char *what = r->status == 201 ? "Created" : r->status == 204 ? "No content" : "OK";
    json_t *resp = json_pack("{s:s}", "description", what);
    if (r->status == 204) return resp;
    json_t *content = set(d, resp, "content", json_object());
    if (r->flags & VOS_ROUTE_RAW) {
        set(d, content, (r->flags & VOS_ROUTE_HTML) ? "text/html" : "text/plain",
            json_pack("{s:{s:s}}", "schema", "type", "string"));
        return resp;
    }
    json_t *schema;
    if (r->flags & VOS_ROUTE_LIST)
        schema = json_pack("{s:s,s:[ss],s:{s:{s:s,s:o},s:{s:[ss],s:s}}}", "type", "object",
                           "required", "items", "next", "properties", "items", "type", "array",
                           "items", ref(SCHEMA_REF, r->response), "next", "type", "string", "null",
                           "description", "the cursor of the next page (?after=), or null");
    else if (r->response)
        schema = ref(SCHEMA_REF, r->response);
    else
        schema = json_pack("{s:s}", "type", "object");
    set(d, set(d, content, "application/json", json_object()), "schema", schema);
    return resp;
}

static json_t *operation(doc *d, const vos_route *r, bool used[N_PROBLEMS])
{
    json_t *op = json_pack("{s:s,s:s,s:[s]}", "operationId", r->operation_id, "summary", r->summary,
                           "tags", r->tag);
    if (!op) {
        d->failed = true;
        return NULL;
    }
    json_t *params = parameters(d, r);
    if (json_array_size(params))
        set(d, op, "parameters", params);
    else
        json_decref(params);
    if (r->body || r->body_media) set(d, op, "requestBody", request_body(d, r));
    json_t *responses = set(d, op, "responses", json_object());
    char code[8];
    snprintf(code, sizeof code, "%d", r->status);
    set(d, responses, code, success_response(d, r));
    int statuses[N_PROBLEMS];
    size_t n;
    problem_statuses(r, statuses, &n);
    for (size_t i = 0; i < n; i++) {
        size_t k = problem_index(statuses[i]);
        used[k] = true;
        snprintf(code, sizeof code, "%d", statuses[i]);
        set(d, responses, code, ref(RESPONSE_REF, problem_responses[k].name));
    }
    if (r->flags & VOS_ROUTE_PUBLIC) set(d, op, "security", json_array());
    return op;
}

/* ---- schemas of rows ---- */

static json_t *text_schema(doc *d, const vos_field_def *f, bool nullable)
{
    json_t *s;
    switch (f->format) {
    case VOS_TF_JSON_OBJECT:
        return typed("object", nullable);
    case VOS_TF_JSON_ARRAY:
        return typed("array", false); /* none is written as [] */
    case VOS_TF_DATE:
        s = typed("string", nullable);
        set(d, s, "format", json_string("date"));
        return s;
    case VOS_TF_STAMP:
        s = typed("string", nullable);
        set(d, s, "format", json_string("date-time"));
        return s;
    case VOS_TF_DOCUMENT:
        return typed("string", nullable);
    default:
        s = typed("string", nullable);
        if (f->max > 0) set(d, s, "maxLength", json_integer((json_int_t)f->max));
        return s;
    }
}

static json_t *enum_schema(doc *d, const vos_field_def *f)
{
    bool nullable = false;
    json_t *names = json_array();
    for (int i = 0; i < f->n_names; i++) {
        if (strcmp(f->names[i], "unstated") == 0)
            nullable = true; /* the renderers write "none" as null */
        else
            push(d, names, json_string(f->names[i]));
    }
    if (nullable) push(d, names, json_null());
    json_t *s = typed("string", nullable);
    set(d, s, "enum", names);
    return s;
}

/* The schema of one field as the row renderers write it (render.h). */
static json_t *row_field_schema(doc *d, const vos_field_def *f)
{
    bool opt = f->flags & VOS_FF_OPTIONAL;
    json_t *s = NULL;
    switch (f->type) {
    case VOS_FT_ID:
    case VOS_FT_REVISION:
        s = json_pack("{s:s,s:i}", "type", "integer", "minimum", 1);
        break;
    case VOS_FT_INT:
        s = typed("integer", false);
        if (f->lo < f->hi) {
            set(d, s, "minimum", json_integer(f->lo));
            set(d, s, "maximum", json_integer(f->hi));
        }
        break;
    case VOS_FT_REF:
        s = typed("integer", opt);
        set(d, s, "description", json_string(opt ? "the id of a row, or null" : "the id of a row"));
        break;
    case VOS_FT_REAL:
        s = typed("number", opt);
        break;
    case VOS_FT_BOOL:
        s = typed("boolean", false);
        break;
    case VOS_FT_ENUM:
        s = enum_schema(d, f);
        break;
    case VOS_FT_TEXT:
        s = text_schema(d, f, opt);
        break;
    case VOS_FT_CREATED:
    case VOS_FT_UPDATED:
        s = json_pack("{s:s,s:s}", "type", "string", "format", "date-time");
        break;
    case VOS_FT_DIGEST:
        s = json_pack("{s:s,s:s}", "type", "string", "pattern", "^[0-9a-f]{64}$");
        break;
    }
    if (!s) d->failed = true;
    return s;
}

static json_t *row_schema(doc *d, size_t k)
{
    const vos_entity_def *def = vos_entity_def_get(row_schemas[k].entity);
    json_t *s = json_pack("{s:s}", "type", "object");
    json_t *props = set(d, s, "properties", json_object());
    json_t *required = set(d, s, "required", json_array());
    for (size_t i = 0; def && props && required && i < def->n_fields; i++) {
        const char *name = def->fields[i].name;
        const char *omit = row_schemas[k].omit, *optional = row_schemas[k].optional;
        if (omit && strcmp(name, omit) == 0) continue;
        set(d, props, name, row_field_schema(d, &def->fields[i]));
        if (!optional || strcmp(name, optional) != 0) push(d, required, json_string(name));
    }
    if (row_schemas[k].extra && props) {
        json_t *extra = json_loads(row_schemas[k].extra, 0, NULL);
        const char *name;
        json_t *v;
        json_object_foreach(extra, name, v)
        {
            set(d, props, name, json_incref(v));
            if (row_schemas[k].extra_required) push(d, required, json_string(name));
        }
        if (!extra) d->failed = true;
        json_decref(extra);
    }
    return s;
}

/* ---- which schemas the document holds ---- */

/* Marks every schema that `v` refers to. */
static void mark_refs(json_t *all, json_t *want, json_t *v)
{
    const char *k;
    json_t *x;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(v, k, x)
        {
            const char *r = json_string_value(x);
            if (strcmp(k, "$ref") == 0 && r && strncmp(r, SCHEMA_REF, strlen(SCHEMA_REF)) == 0) {
                const char *name = r + strlen(SCHEMA_REF);
                if (!json_object_get(want, name) && json_object_get(all, name)) {
                    json_object_set_new(want, name, json_true());
                    mark_refs(all, want, json_object_get(all, name));
                }
            } else {
                mark_refs(all, want, x);
            }
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) mark_refs(all, want, x);
    }
}

/* Adds the component schemas that the document refers to (and Problem), in table order. */
static void add_schemas(doc *d, json_t *out)
{
    json_t *all = json_object(), *want = json_object();
    for (size_t k = 0; k < N_SCHEMAS; k++) {
        json_error_t err;
        json_t *s = json_loads(schemas[k].json, 0, &err);
        if (!s) {
            snprintf(d->why, sizeof d->why, "schema %s: %s", schemas[k].name, err.text);
            d->failed = true;
        }
        set(d, all, schemas[k].name, s);
    }
    for (size_t k = 0; k < N_ROW_SCHEMAS; k++)
        set(d, all, row_schemas[k].name, row_schema(d, k));
    json_object_set_new(want, "Problem", json_true());
    mark_refs(all, want, json_object_get(d->root, "paths"));
    mark_refs(all, want, json_object_get(all, "Problem"));
    const char *name;
    json_t *s;
    json_object_foreach(all, name, s)
    {
        if (json_object_get(want, name)) set(d, out, name, json_incref(s));
    }
    json_decref(all);
    json_decref(want);
}

static void add_tags(doc *d, const vos_route *routes, size_t n)
{
    json_t *list = set(d, d->root, "tags", json_array());
    for (size_t i = 0; i < n && list; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(routes[j].tag, routes[i].tag) == 0;
        if (seen) continue;
        const char *description = NULL;
        for (size_t k = 0; k < sizeof tags / sizeof *tags; k++)
            if (strcmp(tags[k].tag, routes[i].tag) == 0) description = tags[k].description;
        json_t *t = json_pack("{s:s}", "name", routes[i].tag);
        if (description) set(d, t, "description", json_string(description));
        push(d, list, t);
    }
}

static void add_components(doc *d, const bool used[N_PROBLEMS])
{
    json_t *comp = set(d, d->root, "components", json_object());
    if (!comp) return;
    json_t *sec = set(d, comp, "securitySchemes", json_object());
    set(d, sec, "bearer",
        json_pack("{s:s,s:s,s:s}", "type", "http", "scheme", "bearer", "description",
                  "An API token (vos_...) created with POST /api/v1/tokens or `vos token "
                  "create`."));
    set(d, sec, "cookie",
        json_pack("{s:s,s:s,s:s,s:s}", "type", "apiKey", "in", "cookie", "name",
                  HTTP_SESSION_COOKIE, "description",
                  "The session cookie set by POST /api/v1/session.  Writes (POST, PUT, PATCH, "
                  "DELETE) with it also need the header X-CSRF-Token: the session's "
                  "csrf_token."));
    json_t *responses = set(d, comp, "responses", json_object());
    for (size_t k = 0; k < N_PROBLEMS && responses; k++) {
        if (!used[k]) continue;
        json_t *resp =
            json_pack("{s:s,s:{s:{s:o}}}", "description", problem_responses[k].description,
                      "content", "application/problem+json", "schema", ref(SCHEMA_REF, "Problem"));
        if (problem_responses[k].status == 429)
            set(d, resp, "headers",
                json_pack("{s:{s:s,s:{s:s}}}", "Retry-After", "description", "seconds to wait",
                          "schema", "type", "integer"));
        set(d, responses, problem_responses[k].name, resp);
    }
    add_schemas(d, set(d, comp, "schemas", json_object()));
}

int vos_http_openapi(char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    size_t n;
    const vos_route *routes = vos_http_routes(&n);
    doc d = {json_object(), false, ""};
    if (!d.root) return vos_error_set(VOS_ENOMEM, "out of memory");
    set(&d, d.root, "openapi", json_string("3.1.0"));
    set(&d, d.root, "info",
        json_pack("{s:s,s:s,s:s}", "title", "VOS API", "version", HTTP_API_VERSION, "description",
                  "The API of VOS, the Value Operating System: value models, business cases, "
                  "commitments, measurements and proof of the value delivered to customers.  "
                  "Errors are RFC 9457 problem details; lists page with ?limit and ?after."));
    set(&d, d.root, "servers",
        json_pack("[{s:s,s:s}]", "url", "http://127.0.0.1:8080", "description",
                  "vos serve with its default --listen"));
    set(&d, d.root, "security", json_pack("[{s:[]},{s:[]}]", "bearer", "cookie"));
    add_tags(&d, routes, n);
    json_t *paths = set(&d, d.root, "paths", json_object());
    bool used[N_PROBLEMS] = {false};
    for (size_t i = 0; i < n && paths; i++) {
        char method[8];
        size_t k = 0;
        for (; routes[i].method[k] && k + 1 < sizeof method; k++)
            method[k] = (char)(routes[i].method[k] - 'A' + 'a');
        method[k] = '\0';
        set(&d, obj_at(&d, paths, routes[i].pattern), method, operation(&d, &routes[i], used));
    }
    add_components(&d, used);
    char *text = d.failed ? NULL : json_dumps(d.root, JSON_INDENT(2));
    json_decref(d.root);
    if (!text)
        return vos_error_set(VOS_ERROR, "building the OpenAPI document failed%s%s",
                             d.why[0] ? ": " : "", d.why);
    *out = text;
    *len = strlen(text);
    return 0;
}
