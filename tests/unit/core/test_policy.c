/* Policy warnings of a case (vos_case_policy) and a case's own evidence and confidence for an
 * input (vos_case_override, vos_case_input_evidence, lineage).  The rules and sentences are
 * those of docs/model-language.md ("Policy warnings"), which the loader reports too: every
 * structured warning must be one of the loader's warnings, word for word. */
#include "vos/engine.h"
#include "vos/error.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* One of each of the nine rules: `a` has no evidence, `b` is fixed at medium confidence,
 * `c` is read by nothing; d1 has no haircut and no outcome; cap2 lists no outcomes, out2
 * no KPIs; out3 is listed by no capability; k2 belongs to no outcome. */
static const char nine[] =
    "model: t\nversion: 1.0.0\ncurrency: USD\nhorizon: {years: 1, period: month}\n"
    "discount_rate: 0%\n"
    "capabilities: [{id: cap, name: C, outcomes: [out, out2]}, {id: cap2, name: C2, outcomes: []}]\n"
    "outcomes: [{id: out, name: O, kpis: [k]}, {id: out2, name: O2, kpis: []},\n"
    "           {id: out3, name: O3, kpis: [k]}]\n"
    "kpis: [{id: k, name: K, unit: h, better: lower}, {id: k2, name: K2, unit: h, better: lower}]\n"
    "inputs:\n"
    "  a: {value: 100, low: 50, high: 200, unit: USD/month, confidence: high}\n"
    "  b: {value: 2, unit: 1, evidence: \"survey\", confidence: medium}\n"
    "  c: {value: 1, unit: 1, evidence: \"survey\", confidence: high}\n"
    "drivers:\n"
    "  - {id: d1, lever: cost, formula: a * b}\n"
    "  - {id: d2, lever: cost, outcome: out, formula: a, realization: 50%}\n"
    "costs:\n"
    "  - {id: c1, once: 600 USD, at: 0}\n";

typedef struct fixture {
    vos_model *m;
    vos_case *c;
    vos_diags d;
} fixture;

static fixture open_fx(void)
{
    fixture f = {0};
    vos_diags_init(&f.d);
    ck_assert_int_eq(vos_model_load(&f.m, nine, strlen(nine), "t.yaml", &f.d), 0);
    ck_assert_int_eq(vos_case_new(&f.c, f.m), 0);
    return f;
}

static void close_fx(fixture *f)
{
    vos_case_free(f->c);
    vos_model_free(f->m);
    vos_diags_free(&f->d);
}

static const vos_policy_warning *find(const vos_policy_warning *ws, size_t n, const char *code,
                                      const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(vos_policy_rule_name(ws[i].rule), code) == 0 && strcmp(ws[i].id, id) == 0)
            return &ws[i];
    return NULL;
}

START_TEST(nine_rules_as_the_loader_words_them)
{
    fixture f = open_fx();
    vos_policy_warning *ws = NULL;
    size_t n = 0;
    ck_assert_int_eq(vos_case_policy(f.c, &ws, &n), 0);
    static const char *const expected[][3] = {
        {"no_evidence", "input", "a"},       {"no_range", "input", "b"},
        {"unused_input", "input", "c"},      {"no_haircut", "driver", "d1"},
        {"no_outcome", "driver", "d1"},      {"empty_capability", "capability", "cap2"},
        {"empty_outcome", "outcome", "out2"}, {"unlisted_outcome", "outcome", "out3"},
        {"unlisted_kpi", "kpi", "k2"},
    };
    ck_assert_uint_eq(n, sizeof expected / sizeof *expected);
    for (size_t i = 0; i < n; i++) {
        ck_assert_str_eq(vos_policy_rule_name(ws[i].rule), expected[i][0]);
        ck_assert_str_eq(ws[i].element, expected[i][1]);
        ck_assert_str_eq(ws[i].id, expected[i][2]);
    }
    ck_assert_str_eq(ws[0].message, "input 'a' has no evidence: say where the value comes from");
    /* the loader reports the same sentences (with a line and column) */
    ck_assert_uint_eq(f.d.n_warnings, n);
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t k = 0; k < f.d.n; k++)
            seen |= strcmp(f.d.items[k].msg, ws[i].message) == 0;
        ck_assert_msg(seen, "the loader does not say: %s", ws[i].message);
    }
    free(ws);
    close_fx(&f);
}
END_TEST

START_TEST(the_case_evidence_and_range_clear_warnings)
{
    fixture f = open_fx();
    vos_input_override ev = {.evidence = "Payroll export, March 2026",
                             .confidence = VOS_CONFIDENCE_MEDIUM,
                             .has_confidence = 1};
    ck_assert_int_eq(vos_case_override(f.c, 0, &ev), 0);
    int from_case = 0;
    ck_assert_str_eq(vos_case_input_evidence(f.c, 0, &from_case), "Payroll export, March 2026");
    ck_assert_int_eq(from_case, 1);
    ck_assert_int_eq(vos_case_input_confidence(f.c, 0, &from_case), VOS_CONFIDENCE_MEDIUM);
    ck_assert_int_eq(from_case, 1);
    ck_assert_str_eq(vos_case_input_evidence(f.c, 1, &from_case), "survey");
    ck_assert_int_eq(from_case, 0);
    /* the value is untouched by an override of evidence alone */
    ck_assert(vos_case_input(f.c, 0)->likely == 100);
    /* b: a range clears "no range" as confidence high would */
    vos_input_override range = {.low = 1, .high = 3, .has_low = 1, .has_high = 1};
    ck_assert_int_eq(vos_case_override(f.c, 1, &range), 0);

    vos_policy_warning *ws = NULL;
    size_t n = 0;
    ck_assert_int_eq(vos_case_policy(f.c, &ws, &n), 0);
    ck_assert_ptr_null(find(ws, n, "no_evidence", "a"));
    ck_assert_ptr_null(find(ws, n, "no_range", "b"));
    ck_assert_ptr_nonnull(find(ws, n, "unused_input", "c"));
    ck_assert_uint_eq(n, 7);
    free(ws);

    /* c at low confidence: it is unused, which is the warning given (not "no range") */
    vos_input_override low = {.confidence = VOS_CONFIDENCE_LOW, .has_confidence = 1};
    ck_assert_int_eq(vos_case_override(f.c, 2, &low), 0);
    ck_assert_int_eq(vos_case_policy(f.c, &ws, &n), 0);
    ck_assert_ptr_null(find(ws, n, "no_range", "c"));
    free(ws);
    close_fx(&f);
}
END_TEST

START_TEST(bad_evidence_and_confidence_are_refused)
{
    fixture f = open_fx();
    vos_input_override blank = {.evidence = " \n\t"};
    ck_assert_int_eq(vos_case_override(f.c, 0, &blank), VOS_EINVALID);
    ck_assert_str_eq(vos_error_last(),
                     "input 'a': evidence must say where the value comes from (it is empty)");
    vos_input_override ctl = {.evidence = "export\x1b[31m"};
    ck_assert_int_eq(vos_case_override(f.c, 0, &ctl), VOS_EINVALID);
    ck_assert_str_eq(vos_error_last(), "input 'a': evidence contains a control character");
    /* 4000 characters are allowed (é is one character of two bytes), 4001 are not */
    char *text = malloc(2 * VOS_TEXT_MAX + 2);
    ck_assert_ptr_nonnull(text);
    for (int i = 0; i < VOS_TEXT_MAX; i++)
        memcpy(text + 2 * i, "\xc3\xa9", 2);
    text[2 * VOS_TEXT_MAX] = '\0';
    vos_input_override longest = {.evidence = text};
    ck_assert_int_eq(vos_case_override(f.c, 0, &longest), 0);
    memcpy(text + 2 * VOS_TEXT_MAX, "x", 2);
    ck_assert_int_eq(vos_case_override(f.c, 0, &longest), VOS_EINVALID);
    free(text);
    vos_input_override conf = {.confidence = (vos_confidence)7, .has_confidence = 1};
    ck_assert_int_eq(vos_case_override(f.c, 0, &conf), VOS_EINVALID);
    vos_confidence c;
    ck_assert_int_eq(vos_confidence_parse(&c, "high"), 0);
    ck_assert_int_eq(c, VOS_CONFIDENCE_HIGH);
    ck_assert_int_eq(vos_confidence_parse(&c, "sure"), VOS_EINVALID);
    /* a refused override changes nothing: the first valid one stays */
    ck_assert_int_eq(vos_case_input_evidence(f.c, 0, NULL)[0], (char)0xc3);
    close_fx(&f);
}
END_TEST

START_TEST(the_lineage_cites_the_case_evidence)
{
    fixture f = open_fx();
    vos_input_override ev = {.evidence = "Payroll export", .confidence = VOS_CONFIDENCE_HIGH,
                             .has_confidence = 1};
    ck_assert_int_eq(vos_case_override(f.c, 0, &ev), 0);
    vos_figure fig;
    ck_assert_int_eq(vos_figure_parse(&fig, f.m, "driver:d2"), 0);
    vos_explanation *e = NULL;
    ck_assert_int_eq(vos_case_explain(&e, f.c, VOS_SCENARIO_EXPECTED, &fig), 0);
    int seen = 0;
    for (size_t i = 0; i < e->n_terms; i++)
        if (strcmp(e->terms[i].label, "input a") == 0) {
            ck_assert_ptr_nonnull(strstr(e->terms[i].detail, "; evidence (this case): Payroll "
                                                             "export; confidence (this case): "
                                                             "high"));
            seen = 1;
        }
    ck_assert(seen);
    vos_explanation_free(e);
    close_fx(&f);
}
END_TEST

Suite *vos_test_policy_suite(void)
{
    Suite *s = suite_create("policy");
    TCase *tc = tcase_create("policy");
    tcase_add_test(tc, nine_rules_as_the_loader_words_them);
    tcase_add_test(tc, the_case_evidence_and_range_clear_warnings);
    tcase_add_test(tc, bad_evidence_and_confidence_are_refused);
    tcase_add_test(tc, the_lineage_cites_the_case_evidence);
    suite_add_tcase(s, tc);
    return s;
}
