/* JSON of computed cases: figures, simulations, tornadoes and explanations. */
#include "render/render.h"

#include <math.h>

static const char *period_name(const vos_model *m)
{
    return m->period == VOS_PERIOD_YEAR ? "year" : "month";
}

void vos_render_model_summary(vos_jw *w, const vos_model *m)
{
    vos_jw_object(w);
    vos_jw_key(w, "id");
    vos_jw_string(w, m->id);
    vos_jw_key(w, "version");
    vos_jw_string(w, m->version);
    vos_jw_key(w, "name");
    vos_jw_string(w, m->name);
    vos_jw_key(w, "currency");
    vos_jw_string(w, m->currency);
    vos_jw_key(w, "horizon_years");
    vos_jw_integer(w, m->horizon_years);
    vos_jw_key(w, "period");
    vos_jw_string(w, period_name(m));
    vos_jw_key(w, "discount_rate");
    vos_jw_number(w, m->discount_rate);
    vos_jw_end(w);
}

/* One driver or cost of the cash flow: its lever and value per period (drivers only), its
 * total and its per-period series. */
static void line_item(vos_jw *w, const char *id, const char *lever, double per_period, double total,
                      const double *series, size_t n)
{
    vos_jw_key(w, id);
    vos_jw_object(w);
    if (lever) {
        vos_jw_key(w, "lever");
        vos_jw_string(w, lever);
        vos_jw_key(w, "value_per_period");
        vos_jw_number(w, per_period);
    }
    vos_jw_key(w, "total");
    vos_jw_number(w, total);
    vos_jw_key(w, "periods");
    vos_jw_numbers(w, series, n);
    vos_jw_end(w);
}

static void cash_flow(vos_jw *w, const vos_model *m, const vos_result *r)
{
    size_t width = (size_t)r->periods + 1;
    vos_jw_key(w, "cash_flow");
    vos_jw_object(w);
    vos_jw_key(w, "drivers");
    vos_jw_object(w);
    for (size_t d = 0; d < m->n_drivers; d++)
        line_item(w, m->drivers[d].id, vos_lever_name(m->drivers[d].lever), r->driver_value[d],
                  r->driver_total[d], r->benefit + d * width, width);
    vos_jw_end(w);
    vos_jw_key(w, "costs");
    vos_jw_object(w);
    for (size_t k = 0; k < m->n_costs; k++)
        line_item(w, m->costs[k].id, NULL, NAN, r->cost_total[k], r->cost + k * width, width);
    vos_jw_end(w);
    vos_jw_key(w, "total_benefits");
    vos_jw_numbers(w, r->benefits, width);
    vos_jw_key(w, "total_costs");
    vos_jw_numbers(w, r->costs, width);
    vos_jw_key(w, "net");
    vos_jw_numbers(w, r->net, width);
    vos_jw_key(w, "cumulative");
    vos_jw_numbers(w, r->cumulative, width);
    vos_jw_end(w);
}

static void number_field(vos_jw *w, const char *key, double x)
{
    vos_jw_key(w, key);
    vos_jw_number(w, x);
}

void vos_render_result(vos_jw *w, const vos_model *m, const vos_result *r, bool detail)
{
    vos_jw_object(w);
    number_field(w, "npv", r->npv);
    number_field(w, "irr", r->has_irr ? r->irr : NAN);
    number_field(w, "payback_months", r->has_payback ? r->payback_months : NAN);
    number_field(w, "roi", r->has_roi ? r->roi : NAN);
    number_field(w, "benefits_total", r->benefits_total);
    number_field(w, "costs_total", r->costs_total);
    number_field(w, "net_total", r->net_total);
    vos_jw_key(w, "levers");
    vos_jw_object(w);
    for (int l = 0; l < VOS_LEVER_COUNT; l++)
        number_field(w, vos_lever_name((vos_lever)l), r->lever_total[l]);
    vos_jw_end(w);
    vos_jw_key(w, "inputs");
    vos_jw_object(w);
    for (size_t i = 0; i < m->n_inputs; i++) {
        vos_jw_key(w, m->inputs[i].id);
        vos_jw_object(w);
        number_field(w, "value", r->inputs[i]);
        vos_jw_key(w, "end");
        vos_jw_string(w, vos_input_end_name(r->ends[i]));
        vos_jw_end(w);
    }
    vos_jw_end(w);
    if (detail) cash_flow(w, m, r);
    vos_jw_end(w);
}

void vos_render_figures(vos_jw *w, const vos_model *m, vos_result *const res[VOS_SCENARIO_COUNT],
                        vos_scenario s, bool detail)
{
    vos_jw_key(w, "model");
    vos_render_model_summary(w, m);
    vos_jw_key(w, "scenario");
    vos_jw_string(w, vos_scenario_name(s));
    vos_jw_key(w, "scenarios");
    vos_jw_object(w);
    for (int k = 0; k < VOS_SCENARIO_COUNT; k++) {
        vos_jw_key(w, vos_scenario_name((vos_scenario)k));
        vos_render_result(w, m, res[k], detail && k == (int)s);
    }
    vos_jw_end(w);
}

static void stats(vos_jw *w, const char *key, const vos_sim_stats *s)
{
    vos_jw_key(w, key);
    vos_jw_object(w);
    number_field(w, "mean", s->mean);
    number_field(w, "sd", s->sd);
    number_field(w, "min", s->min);
    number_field(w, "max", s->max);
    number_field(w, "p10", s->p10);
    number_field(w, "p50", s->p50);
    number_field(w, "p90", s->p90);
    vos_jw_end(w);
}

void vos_render_simulation(vos_jw *w, const vos_simulation *sim)
{
    vos_jw_object(w);
    vos_jw_key(w, "iterations");
    vos_jw_integer(w, (long long)sim->iterations);
    vos_jw_key(w, "seed");
    vos_jw_integer(w, (long long)sim->seed);
    stats(w, "npv", &sim->npv);
    stats(w, "roi", &sim->roi);
    number_field(w, "p_npv_positive", sim->p_npv_positive);
    vos_jw_key(w, "histogram");
    vos_jw_object(w);
    number_field(w, "min", sim->hist_min);
    number_field(w, "max", sim->hist_max);
    vos_jw_key(w, "counts");
    vos_jw_array(w);
    for (int b = 0; b < VOS_SIM_BINS; b++)
        vos_jw_integer(w, (long long)sim->hist[b]);
    vos_jw_end(w);
    vos_jw_end(w);
    vos_jw_end(w);
}

void vos_render_tornado(vos_jw *w, const vos_model *m, const vos_tornado_bar *bars, size_t n)
{
    vos_jw_array(w);
    for (size_t i = 0; i < n; i++) {
        vos_jw_object(w);
        vos_jw_key(w, "input");
        vos_jw_string(w, m->inputs[bars[i].input].id);
        number_field(w, "low", bars[i].low);
        number_field(w, "high", bars[i].high);
        number_field(w, "npv_low", bars[i].npv_low);
        number_field(w, "npv_high", bars[i].npv_high);
        number_field(w, "swing", bars[i].swing);
        vos_jw_end(w);
    }
    vos_jw_end(w);
}

void vos_render_explanation(vos_jw *w, const vos_model *m, vos_scenario s, const vos_explanation *e)
{
    vos_jw_object(w);
    vos_jw_key(w, "model");
    vos_render_model_summary(w, m);
    vos_jw_key(w, "scenario");
    vos_jw_string(w, vos_scenario_name(s));
    vos_jw_key(w, "figure");
    vos_jw_string(w, e->figure);
    number_field(w, "value", e->value);
    vos_jw_key(w, "unit");
    vos_jw_string(w, e->unit);
    vos_jw_key(w, "formula");
    vos_jw_string(w, e->formula);
    vos_jw_key(w, "terms");
    vos_jw_array(w);
    for (size_t i = 0; i < e->n_terms; i++) {
        vos_jw_object(w);
        vos_jw_key(w, "label");
        vos_jw_string(w, e->terms[i].label);
        number_field(w, "value", e->terms[i].value);
        vos_jw_key(w, "unit");
        vos_jw_string(w, e->terms[i].unit);
        vos_jw_key(w, "detail");
        vos_jw_string(w, e->terms[i].detail);
        vos_jw_end(w);
    }
    vos_jw_end(w);
    vos_jw_end(w);
}

void vos_render_warnings(vos_jw *w, const vos_policy_warning *ws, size_t n)
{
    vos_jw_key(w, "warnings");
    vos_jw_array(w);
    for (size_t i = 0; i < n; i++) {
        vos_jw_object(w);
        vos_jw_key(w, "code");
        vos_jw_string(w, vos_policy_rule_name(ws[i].rule));
        vos_jw_key(w, "element");
        vos_jw_string(w, ws[i].element);
        vos_jw_key(w, "id");
        vos_jw_string(w, ws[i].id);
        vos_jw_key(w, "message");
        vos_jw_string(w, ws[i].message);
        vos_jw_end(w);
    }
    vos_jw_end(w);
}
