/* vos_model_diff and vos_changes_add_figures (src/core/model_diff.c) on the example models:
 * each kind of element change, and figures that match the engine's own computation. */
#include "app_fixture.h"

#include "vos/error.h"
#include "vos/model_diff.h"
#include "vos/number.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vos_model *load(const char *text)
{
    vos_diags d;
    vos_diags_init(&d);
    vos_model *m = NULL;
    int rc = vos_model_load(&m, text, strlen(text), "x.yaml", &d);
    ck_assert_msg(rc == 0, "load: %s", d.n ? d.items[0].msg : vos_error_last());
    vos_diags_free(&d);
    return m;
}

static const vos_change *find(const vos_changes *c, const char *element, const char *id,
                              const char *field)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->items[i].element, element) == 0 && strcmp(c->items[i].id, id) == 0 &&
            strcmp(c->items[i].field, field) == 0)
            return &c->items[i];
    return NULL;
}

static void expect(const vos_changes *c, const char *element, const char *id, const char *field,
                   const char *before, const char *after)
{
    const vos_change *x = find(c, element, id, field);
    ck_assert_msg(x != NULL, "no change %s %s %s", element, id, field);
    if (before)
        ck_assert_str_eq(x->before, before);
    else
        ck_assert_ptr_null(x->before);
    if (after)
        ck_assert_str_eq(x->after, after);
    else
        ck_assert_ptr_null(x->after);
}

/* Applies the replacements (pairs from, to) to text in turn. */
static char *edit(const char *text, const char *const *pairs, size_t n)
{
    char *cur = strdup(text);
    for (size_t i = 0; i < n; i += 2) {
        char *next = apptest_replace(cur, pairs[i], pairs[i + 1]);
        free(cur);
        cur = next;
    }
    return cur;
}

START_TEST(same_model_has_only_figures)
{
    char *text = apptest_read(SDA_PATH);
    vos_model *a = load(text), *b = load(text);
    vos_changes ch = {0};
    OK(vos_model_diff(&ch, a, b));
    ck_assert_uint_eq(ch.n, 0);
    vos_case *ca = NULL, *cb = NULL;
    OK(vos_case_new(&ca, a));
    OK(vos_case_new(&cb, b));
    OK(vos_changes_add_figures(&ch, ca, cb));
    ck_assert_uint_eq(ch.n, VOS_SCENARIO_COUNT * VOS_DIFF_FIGURE_COUNT);
    const char *order[] = {"expected.npv",
                           "expected.irr",
                           "expected.payback_months",
                           "expected.roi",
                           "expected.benefits_total",
                           "expected.costs_total",
                           "expected.revenue",
                           "expected.cost",
                           "expected.risk",
                           "conservative.npv"};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        ck_assert_str_eq(ch.items[i].id, order[i]);
    ck_assert_str_eq(ch.items[ch.n - 1].id, "optimistic.risk");
    vos_result *r = NULL;
    OK(vos_result_new(&r, a));
    OK(vos_case_compute(ca, VOS_SCENARIO_CONSERVATIVE, r));
    const vos_change *npv = find(&ch, "figure", "conservative.npv", "value");
    ck_assert_double_eq(npv->before_value, r->npv);
    ck_assert_double_eq(npv->after_value, r->npv);
    char shortest[32];
    vos_num_shortest(shortest, sizeof shortest, r->npv);
    ck_assert_str_eq(npv->before, shortest);
    for (size_t i = 0; i < ch.n; i++) {
        ck_assert_str_eq(ch.items[i].element, "figure");
        ck_assert_str_eq(ch.items[i].field, "value");
        ck_assert_str_eq(ch.items[i].before, ch.items[i].after);
    }
    vos_result_free(r);
    vos_case_free(ca);
    vos_case_free(cb);
    vos_changes_free(&ch);
    vos_changes_free(NULL);
    vos_model_free(a);
    vos_model_free(b);
    free(text);
}
END_TEST

START_TEST(every_kind_of_field)
{
    char *text = apptest_read(SDA_PATH);
    const char *pairs[] = {
        "discount_rate: 10%/year",
        "discount_rate: 8%/year",
        "    value: 48\n    low: 44\n    high: 53\n    unit: USD/h\n    dist: pert",
        "    value: 48\n    low: 44\n    high: 53\n    unit: USD/h\n    dist: normal",
        "Customer BIA, downtime cost of tier-1 services (illustrative)",
        "Customer BIA 2026",
        "    ramp: {scurve: 9 months}\n    realization: 75%\n    start: 2",
        "    ramp: {linear: 12 months}\n    realization: 50%\n    start: 3",
        "    lever: risk\n",
        "    lever: cost\n",
        "    once: 25000 USD\n    at: 1",
        "    once: 25000 USD\n    at: 2",
        "kpis: [triage_effort, mttr]",
        "kpis: [mttr]",
        "outcomes: [ticket_deflection]",
        "outcomes: [ticket_deflection, faster_resolution]",
        "better: higher}",
        "better: lower}",
        "name: Self-service virtual agent",
        "name: Virtual agent",
    };
    char *edited = edit(text, pairs, sizeof pairs / sizeof pairs[0]);
    vos_model *a = load(text), *b = load(edited);
    vos_changes ch = {0};
    OK(vos_model_diff(&ch, a, b));
    expect(&ch, "model", SDA_KEY, "discount_rate", "0.1", "0.08");
    expect(&ch, "input", "agent_rate", "dist", "pert", "normal");
    ck_assert_ptr_nonnull(find(&ch, "input", "agent_rate", "sd"));
    expect(&ch, "input", "p1_impact", "evidence",
           "Customer BIA, downtime cost of tier-1 services (illustrative)", "Customer BIA 2026");
    expect(&ch, "driver", "deflection", "ramp", "scurve 9 months", "linear 12 months");
    expect(&ch, "driver", "deflection", "realization", "0.75", "0.5");
    expect(&ch, "driver", "deflection", "start", "2", "3");
    expect(&ch, "driver", "p1_avoided", "lever", "risk", "cost");
    expect(&ch, "cost", "knowledge_cleanup", "at", "1", "2");
    expect(&ch, "outcome", "faster_resolution", "kpis", "triage_effort, mttr", "mttr");
    expect(&ch, "capability", "virtual_agent", "outcomes", "ticket_deflection",
           "ticket_deflection, faster_resolution");
    expect(&ch, "capability", "virtual_agent", "name", "Self-service virtual agent",
           "Virtual agent");
    expect(&ch, "kpi", "self_service_rate", "better", "higher", "lower");
    ck_assert_uint_eq(ch.n, 13);
    vos_changes_free(&ch);
    vos_model_free(a);
    vos_model_free(b);
    free(edited);
    free(text);
}
END_TEST

START_TEST(added_and_removed_elements)
{
    char *sda = apptest_read(SDA_PATH);
    char *other = apptest_read("models/sales-productivity.yaml");
    vos_model *a = load(sda), *b = load(other);
    vos_changes ch = {0};
    OK(vos_model_diff(&ch, a, b));
    expect(&ch, "input", "tickets", "removed", "12000 1/month (pert, 10500..13500)", NULL);
    const vos_change *x = find(&ch, "driver", "triage_time", "removed");
    ck_assert_ptr_nonnull(x);
    ck_assert_str_eq(x->before, "cost: tickets * triage_minutes_saved * agent_rate");
    expect(&ch, "cost", "knowledge_cleanup", "removed", "once: 25000 USD", NULL);
    ck_assert_ptr_nonnull(find(&ch, "cost", "seats", "added"));
    expect(&ch, "model", "sales-productivity", "discount_rate", "0.1", "0.12");
    for (size_t i = 0; i < b->n_inputs; i++)
        if (vos_model_find_input(a, b->inputs[i].id) < 0)
            ck_assert_ptr_nonnull(find(&ch, "input", b->inputs[i].id, "added"));
    /* removed before added within a kind, kinds in order */
    const char *kinds[] = {"model", "input", "driver", "cost", "kpi", "outcome", "capability"};
    size_t k = 0;
    for (size_t i = 0; i < ch.n; i++) {
        while (k < 7 && strcmp(ch.items[i].element, kinds[k]) != 0)
            k++;
        ck_assert_msg(k < 7, "change %zu (%s) out of order", i, ch.items[i].element);
    }
    vos_changes_free(&ch);
    vos_model_free(a);
    vos_model_free(b);
    free(sda);
    free(other);
}
END_TEST

Suite *vos_test_model_diff_suite(void)
{
    Suite *s = suite_create("model_diff");
    TCase *tc = tcase_create("model_diff");
    tcase_add_test(tc, same_model_has_only_figures);
    tcase_add_test(tc, every_kind_of_field);
    tcase_add_test(tc, added_and_removed_elements);
    suite_add_tcase(s, tc);
    return s;
}
