/* Renderers of realization shared by the adapters: the JSON of a case's realization, the
 * portfolio, an alert evaluation, webhooks and their deliveries, and the success plan as a
 * Markdown or a self-contained HTML document.  Conventions as src/render/render.h. */
#ifndef VOS_RENDER_REALIZATION_H
#define VOS_RENDER_REALIZATION_H

#include "vos/app_realize.h"
#include "vos/jsonw.h"

#include <stdbool.h>
#include <stddef.h>

#define VOS_PLAN_DOC_MAX (4 << 20) /* bytes of one success plan document */

/* Realization of a case:
 *   {"case": {"id", "name", "stage", "account_id"}, "account", "model": model summary,
 *    "as_of", "start", "period_days", "periods_elapsed", "committed_npv", "committed_total",
 *    "planned_to_date", "realized_to_date", "costs_to_date", "percent_of_plan",
 *    "percent_of_total", "roi_planned", "roi_realized", "roi_gap",
 *    "levers": {"revenue"|"cost"|"risk": {"committed", "planned_to_date", "realized_to_date"}},
 *    "kpis": [{"kpi", "name", "unit", "better", "baseline_value", "baseline_date",
 *              "target_value", "target_date", "trajectory", "tolerance", "measurements",
 *              "actual", "actual_at", "planned", "progress", "planned_progress", "variance",
 *              "behind", "drifting", "stale", "milestones_missed",
 *              "forecast": {"value", "low", "high", "level", "progress", "misses", "points"}
 *              or null}],
 *    "drivers": [{"driver", "name", "lever", "has_realized", "planned_to_date",
 *                 "realized_to_date", "variance", "roi_points", "periods_measured",
 *                 "missing_kpi", "realized_per_period": [periods + 1 numbers]}]}
 * Numbers that are not defined are null. */
void vos_render_realization(vos_jw *w, const vos_case_realization *cr);

/* Portfolio:
 *   {"as_of", "currency", "cases", "committed_total", "planned_to_date", "realized_to_date",
 *    "realization_rate", "open_alerts",
 *    "levers": {"revenue"|"cost"|"risk": {"committed", "planned_to_date", "realized_to_date"}},
 *    "accounts": [{"account_id", "name", "cases", "committed_total", "planned_to_date",
 *                  "realized_to_date", "realization_rate", "open_alerts"}] (worst first),
 *    "skipped": [{"case_id", "reason"}]} */
void vos_render_portfolio(vos_jw *w, const vos_portfolio *p);

/* Alert evaluation: {"cases", "raised", "updated", "resolved", "unchanged", "failed",
 * "first_error" (null when none)} */
void vos_render_alerts_summary(vos_jw *w, const vos_alerts_summary *s);

/* Webhook: {"id", "revision", "created_at", "updated_at", "url", "events" (array), "active",
 * "created_by"} (never the secret or its hash) */
void vos_render_webhook(vos_jw *w, const vos_webhook_row *row);

/* Delivery: {"id", "webhook_id", "event", "created_at", "attempts", "next_attempt_at",
 * "claimed_until", "delivered_at", "failed_at", "last_status" (null when none),
 * "last_error", "state" ("pending" | "delivered" | "failed"), "payload" (object)} */
void vos_render_delivery(vos_jw *w, const vos_outbox_row *row);

/* The success plan as Markdown (html false) or a self-contained HTML page.  OUT: *out
 * (caller frees), *len.  VOS_ETOOLARGE past VOS_PLAN_DOC_MAX, VOS_ENOMEM. */
int vos_render_success_plan(char **out, size_t *len, const vos_success_plan *p, bool html);

#endif
