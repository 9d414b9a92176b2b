/* JSON renderers shared by the adapters: what `vos ... --format json` prints and what the HTTP
 * API replies are written by the same functions, so one concept has one name and one shape
 * everywhere.  Field names are the store's field names (include/vos/store.h), which are the
 * model language's names; enumerations are written by name; numbers in their shortest
 * round-trip form, and a number that is not defined (no IRR, no payback) as null.
 *
 * Conventions of the row renderers:
 *   - every field of the row, in declaration order, is written;
 *   - an optional field that holds none is written as null (a reference 0, a number NAN, text
 *     NULL), except an optional JSON array, which is written as [];
 *   - text holding a JSON document (case overrides, a commitment snapshot, account segments)
 *     is written as that JSON value, not as a string;
 *   - secrets are never written: no password (users have none in their row) and no API token
 *     hash.
 *
 * Every renderer writes one JSON value into `w` (or, where it says so, keys into the object
 * that is open in `w`).  Errors stay sticky in the writer (vos_jw_finish reports them). */
#ifndef VOS_RENDER_H
#define VOS_RENDER_H

#include "vos/app.h"
#include "vos/engine.h"
#include "vos/jsonw.h"
#include "vos/model.h"
#include "vos/model_diff.h"
#include "vos/store.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- stored JSON ---- */

/* Writes a JSON document stored as text (an audit snapshot, case overrides) as a value of `w`
 * (objects keep their key order); NULL or unreadable text is written as null. */
void vos_render_stored(vos_jw *w, const char *text);

/* ---- computed cases ---- */

/* The model a case is computed from:
 *   {"id", "version", "name", "currency", "horizon_years", "period" ("month" | "year"),
 *    "discount_rate"} */
void vos_render_model_summary(vos_jw *w, const vos_model *m);

/* One scenario's figures:
 *   {"npv", "irr", "payback_months", "roi", "benefits_total", "costs_total", "net_total",
 *    "levers": {"revenue", "cost", "risk"},
 *    "inputs": {"<input id>": {"value", "end" ("value" | "low" | "high")}, ...},
 *    with `detail` also
 *    "cash_flow": {"drivers": {"<id>": {"lever", "value_per_period", "total", "periods"}},
 *                  "costs": {"<id>": {"total", "periods"}},
 *                  "benefits", "costs", "net", "cumulative"}}
 * irr, payback_months and roi are null when not defined; every "periods" array and the
 * totals per period have periods + 1 entries (index 0 is up front). */
void vos_render_result(vos_jw *w, const vos_model *m, const vos_result *r, bool detail);

/* The figures of a case, as keys of the open object:
 *   "model": model summary, "scenario": the scenario `s`,
 *   "scenarios": {"conservative", "expected", "optimistic"} (results; the cash flow of
 *   scenario `s` only, and only with `detail`).
 * res[] is indexed by vos_scenario. */
void vos_render_figures(vos_jw *w, const vos_model *m, vos_result *const res[VOS_SCENARIO_COUNT],
                        vos_scenario s, bool detail);

/* The policy warnings of a case (vos_case_policy) as the key "warnings" of the open object:
 *   "warnings": [{"code" (the rule: "no_evidence", ...), "element" ("input", "driver",
 *                 "capability", "outcome", "kpi"), "id", "message"}, ...] */
void vos_render_warnings(vos_jw *w, const vos_policy_warning *ws, size_t n);

/* A Monte Carlo simulation:
 *   {"iterations", "seed",
 *    "npv": {"mean", "sd", "min", "max", "p10", "p50", "p90"}, "roi": {the same},
 *    "p_npv_positive", "histogram": {"min", "max", "counts": [VOS_SIM_BINS integers]}} */
void vos_render_simulation(vos_jw *w, const vos_simulation *sim);

/* The tornado bars, largest swing first:
 *   [{"input", "low", "high", "npv_low", "npv_high", "swing"}, ...] */
void vos_render_tornado(vos_jw *w, const vos_model *m, const vos_tornado_bar *bars, size_t n);

/* The lineage of one figure:
 *   {"model": model summary, "scenario", "figure", "value", "unit", "formula",
 *    "terms": [{"label", "value", "unit", "detail"}, ...]} */
void vos_render_explanation(vos_jw *w, const vos_model *m, vos_scenario s,
                            const vos_explanation *e);

/* ---- changes ---- */

/* As keys of the open object:
 *   "changes": [{"element", "id", "field", "before", "after"}, ...] (the model's elements;
 *              before/after are text, null when added/removed),
 *   "figures": [{"scenario", "figure", "before", "after", "change"}, ...] (numbers; null
 *              where a figure is not defined). */
void vos_render_changes(vos_jw *w, const vos_changes *ch);

/* ---- rows ---- */

/* Organisation: {"id", "revision", "created_at", "updated_at", "name", "currency",
 * "fiscal_year_start", "default_tolerance", "stale_after_days", "customer_measurements"} */
void vos_render_organisation(vos_jw *w, const vos_organisation_row *row);

/* User: {"id", "revision", "created_at", "updated_at", "email", "name", "role", "account_id",
 * "active"} (never a password) */
void vos_render_user(vos_jw *w, const vos_user_row *row);

/* Account: {"id", "revision", "created_at", "updated_at", "name", "industry", "size" (null when
 * unstated), "segments" (array of names), "owner_user_id"} */
void vos_render_account(vos_jw *w, const vos_account_row *row);

/* Model: {"id", "revision", "created_at", "updated_at", "key", "name", "description"} */
void vos_render_model(vos_jw *w, const vos_model_row *row);

/* Model version: {"id", "revision", "created_at", "updated_at", "model_id", "version",
 * "status", ["source",] "content_sha256", "created_by", "approved_by", "approved_at",
 * "retired_at"[, "model"]}: "source" (the model text) only with `with_source`; "model" (the
 * model's key) when `key` is not NULL. */
void vos_render_model_version(vos_jw *w, const vos_model_version_row *row, const char *key,
                              bool with_source);

/* Benchmark: {"id", "revision", "created_at", "updated_at", "input_key", "industry",
 * "segment", "value", "low", "high", "unit", "source", "as_of"} */
void vos_render_benchmark(vos_jw *w, const vos_benchmark_row *row);

/* Case: {"id", "revision", "created_at", "updated_at", "account_id", "model_version_id",
 * "name", "stage", "overrides" (object: input id -> {"value", "low", "high", "evidence",
 * "confidence"}, the fields given), "owner_user_id", "parent_case_id"} */
void vos_render_case(vos_jw *w, const vos_case_row *row);
/* A case in a list: the fields of a Case and "account_name", "model" (the key), "version". */
void vos_render_case_item(vos_jw *w, const vos_case_row *row, const vos_case_names *names);

/* Commitment KPI: {"id", "revision", "created_at", "updated_at", "commitment_id", "kpi_key",
 * "unit", "baseline_value", "baseline_date", "target_value", "target_date", "trajectory",
 * "tolerance", "owner_user_id", "data_source"} */
void vos_render_commitment_kpi(vos_jw *w, const vos_commitment_kpi_row *row);

/* Commitment: {"id", "created_at", "case_id", "snapshot" (object), "snapshot_sha256",
 * "committed_by"[, "kpis": [commitment KPIs]]}: "kpis" when `kpis` is not NULL. */
void vos_render_commitment(vos_jw *w, const vos_commitment_row *row,
                           const vos_commitment_kpi_row *kpis, size_t n_kpis);

/* Ingestion: {"id", "created_at", "label", "created_by"} */
void vos_render_ingestion(vos_jw *w, const vos_ingestion_row *row);

/* Measurement: {"id", "ingestion_id", "account_id", "kpi_key", "at", "value", "source"} */
void vos_render_measurement(vos_jw *w, const vos_measurement_row *row);

/* Proof point: {"id", "revision", "created_at", "updated_at", "account_id", "case_id",
 * "kpi_key", "title", "statement", "value", "unit", "evidence", "status"} */
void vos_render_proof_point(vos_jw *w, const vos_proof_point_row *row);

/* Alert: {"id", "revision", "created_at", "updated_at", "account_id", "case_id", "kpi_key",
 * "kind", "severity", "status", "message", "resolved_at"} */
void vos_render_alert(vos_jw *w, const vos_alert_row *row);

/* API token: {"id", "revision", "created_at", "updated_at", "user_id", "name", "prefix",
 * "revoked_at"} (never the secret or its hash) */
void vos_render_api_token(vos_jw *w, const vos_api_token_row *row);

/* ---- audit ---- */

/* Audit record: {"seq", "at", "actor", "operation", "entity_type", "entity_id",
 * "before" (object or null), "after" (object or null), "prev_hash", "hash"} */
void vos_render_audit(vos_jw *w, const vos_audit_row *row);

/* The name of a verification problem: "ok", "gap", "link", "hash", "state", "integrity". */
const char *vos_audit_problem_name(vos_audit_problem p);

/* Audit verification: {"ok", "records", "head_hash"}, and when not ok also "problem" (name),
 * "seq", "entity_type", "entity_id" (both null unless an entity differs) and "message". */
void vos_render_audit_report(vos_jw *w, const vos_audit_report *r);

#endif
