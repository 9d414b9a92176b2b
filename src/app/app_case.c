/* Business cases: create, read, override inputs, open for computing, move along the
 * lifecycle, re-base onto another model version.  Committing is in app_commit.c. */
#include "app_int.h"

#include "vos/error.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBLEMS_MAX 2048 /* bytes of the list of problems of a re-base */

/* ---- reading -------------------------------------------------------------------------------- */

int app_case_get(vos_app *app, const vos_actor *who, int64_t case_id, vos_case_row **out)
{
    *out = NULL;
    vos_case_row *c = NULL;
    int rc = vos_store_case_get(app->st, &c, case_id);
    if (rc == 0 && !app_sees_account(app, who, c->account_id)) {
        vos_case_row_free(c);
        c = NULL;
        rc = VOS_ENOTFOUND;
    }
    if (rc == VOS_ENOTFOUND)
        return vos_error_set(VOS_ENOTFOUND, "case %" PRId64 " does not exist", case_id);
    *out = c;
    return rc;
}

int app_case_model(vos_app *app, int64_t version_id, vos_model **model, vos_model_version_row **row)
{
    *model = NULL;
    if (row) *row = NULL;
    vos_model_version_row *v = NULL;
    vos_model_row *m = NULL;
    int rc = vos_store_model_version_get(app->st, &v, version_id);
    if (rc == 0) rc = vos_store_model_get(app->st, &m, v->model_id);
    if (rc == 0) rc = app_version_load_cached(app, v, m->key, model);
    if (rc == 0 && row) {
        *row = v;
        v = NULL;
    }
    vos_model_version_row_free(v);
    vos_model_row_free(m);
    return rc;
}

int vos_app_case_get(vos_app *app, const vos_actor *who, int64_t case_id, vos_case_row **out)
{
    *out = NULL;
    int rc = app_allow(who, VOS_OP_CASE_READ);
    if (rc < 0) return rc;
    return app_case_get(app, who, case_id, out);
}

int vos_app_case_list(vos_app *app, const vos_actor *who, vos_case_row **out, size_t *n,
                      const vos_store_query *q)
{
    *out = NULL;
    *n = 0;
    int rc = app_allow(who, VOS_OP_CASE_READ);
    if (rc < 0) return rc;
    if (!app_scoped(who)) return vos_store_case_list(app->st, out, n, q);
    void *rows = NULL;
    rc = app_scoped_list(app, who, VOS_ENTITY_CASE, &rows, n, q);
    *out = rows;
    return rc;
}

int vos_app_case_open(vos_app *app, const vos_actor *who, int64_t case_id, vos_model **model,
                      vos_case **c)
{
    *model = NULL;
    *c = NULL;
    int rc = app_allow(who, VOS_OP_CASE_READ);
    if (rc < 0) return rc;
    vos_case_row *row = NULL;
    app_overrides ov = {0};
    rc = app_case_get(app, who, case_id, &row);
    if (rc == 0) rc = app_case_model(app, row->model_version_id, model, NULL);
    if (rc == 0) rc = vos_case_new(c, *model);
    if (rc == 0) rc = app_overrides_parse(&ov, row->overrides, row->name);
    if (rc == 0) rc = app_overrides_apply(&ov, *c);
    if (rc < 0) {
        vos_case_free(*c);
        vos_model_free(*model);
        *c = NULL;
        *model = NULL;
    }
    app_overrides_free(&ov);
    vos_case_row_free(row);
    return rc;
}

/* ---- create --------------------------------------------------------------------------------- */

/* The version a new case pins: the given one (not retired) or the latest approved. */
static int pin_version(vos_app *app, const char *key, const char *version,
                       vos_model_version_row **out)
{
    vos_model_row *model = NULL;
    int rc = app_model_by_key(app, key, &model);
    if (rc == 0) rc = app_version_find(app, model, version, out);
    if (rc == 0 && (*out)->status == VOS_VERSION_RETIRED) {
        rc = vos_error_set(VOS_ECONFLICT,
                           "model '%s' version %s is retired; pin an approved version", key,
                           (*out)->version);
        vos_model_version_row_free(*out);
        *out = NULL;
    }
    vos_model_row_free(model);
    return rc;
}

int vos_app_case_create(vos_app *app, const vos_actor *who, const char *account, const char *name,
                        const char *key, const char *version, vos_case_row **out)
{
    if (out) *out = NULL;
    int rc = app_allow(who, VOS_OP_CASE_CREATE);
    if (rc < 0) return rc;
    if ((rc = app_begin(app)) < 0) return rc;
    vos_account_row *acct = NULL;
    vos_model_version_row *v = NULL;
    rc = vos_app_account_get(app, who, account, &acct);
    if (rc == 0) rc = pin_version(app, key, version, &v);
    vos_case_row row = {0};
    if (rc == 0) {
        row = (vos_case_row){.account_id = acct->id,
                             .model_version_id = v->id,
                             .name = (char *)name,
                             .stage = VOS_STAGE_HYPOTHESIS,
                             .overrides = "{}",
                             .owner_user_id = who->user_id};
        rc = vos_store_case_create(app->st, &row);
    }
    if (rc == 0) rc = app_audit(app, who, "case.create", VOS_ENTITY_CASE, row.id, NULL);
    if (rc == 0 && out) rc = vos_store_case_get(app->st, out, row.id);
    vos_account_row_free(acct);
    vos_model_version_row_free(v);
    rc = app_end(app, rc);
    if (rc < 0 && out) {
        vos_case_row_free(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- overrides ------------------------------------------------------------------------------ */

/* VOS_ECONFLICT unless the case is still a hypothesis. */
static int need_hypothesis(const vos_case_row *c)
{
    if (c->stage == VOS_STAGE_HYPOTHESIS) return 0;
    return vos_error_set(VOS_ECONFLICT, "case '%s' is %s: its inputs are frozen", c->name,
                         vos_case_stage_name(c->stage));
}

static int need_revision(const vos_case_row *c, int64_t expected)
{
    if (expected == 0 || expected == c->revision) return 0;
    return vos_error_set(VOS_ESTALE,
                         "case '%s' was changed by someone else (revision %" PRId64 ", not %" PRId64
                         "); read it again",
                         c->name, c->revision, expected);
}

/* VOS_EINVALID unless `id` names an input of m, saying what else it is. */
static int need_input(const vos_model *m, const char *id, long *index)
{
    if (!id || !*id) return vos_error_set(VOS_EINVALID, "the input to override is not named");
    *index = vos_model_find_input(m, id);
    if (*index >= 0) return 0;
    const char *what = vos_model_find_driver(m, id) >= 0 ? "a driver formula"
                       : vos_model_find_cost(m, id) >= 0 ? "a cost formula"
                       : vos_model_find_kpi(m, id) >= 0  ? "a KPI"
                                                         : NULL;
    if (what)
        return vos_error_set(VOS_EINVALID, "'%s' is %s of model %s; a case overrides inputs only",
                             id, what, m->id);
    return vos_error_set(VOS_EINVALID, "model %s version %s has no input '%.*s'", m->id, m->version,
                         VOS_ID_MAX, id);
}

/* Sets (ov given) or removes (ov NULL) the override of one input of a hypothesis case. */
static int change_override(vos_app *app, const vos_actor *who, int64_t case_id, const char *input,
                           const vos_input_override *ov, int64_t expected_revision,
                           vos_case_row **out)
{
    if (out) *out = NULL;
    int rc = app_allow(who, VOS_OP_CASE_EDIT);
    if (rc < 0) return rc;
    if ((rc = app_begin(app)) < 0) return rc;
    vos_case_row *c = NULL;
    vos_model *m = NULL;
    vos_case *vc = NULL;
    app_overrides all = {0};
    char *json = NULL, *before = NULL;
    long index = -1;
    rc = app_case_get(app, who, case_id, &c);
    if (rc == 0) rc = need_revision(c, expected_revision);
    if (rc == 0) rc = need_hypothesis(c);
    if (rc == 0) rc = app_case_model(app, c->model_version_id, &m, NULL);
    if (rc == 0) rc = need_input(m, input, &index);
    if (rc == 0) rc = app_overrides_parse(&all, c->overrides, c->name);
    if (rc == 0 && !ov && !app_overrides_find(&all, input))
        rc = vos_error_set(VOS_ENOTFOUND, "case '%s' does not override input '%s'", c->name, input);
    if (rc == 0) rc = app_overrides_put(&all, input, ov);
    if (rc == 0) rc = vos_case_new(&vc, m);
    if (rc == 0) rc = app_overrides_apply(&all, vc); /* the result must be a valid input */
    if (rc == 0) rc = app_overrides_json(&all, m, &json);
    if (rc == 0) rc = app_before(app, VOS_ENTITY_CASE, c->id, &before);
    if (rc == 0) {
        char *old = c->overrides;
        c->overrides = json;
        rc = vos_store_case_update(app->st, c);
        c->overrides = old;
    }
    if (rc == 0) {
        rc = app_audit(app, who, ov ? "case.set" : "case.unset", VOS_ENTITY_CASE, c->id, before);
        before = NULL;
    }
    if (rc == 0 && out) rc = vos_store_case_get(app->st, out, c->id);
    free(before);
    free(json);
    app_overrides_free(&all);
    vos_case_free(vc);
    vos_model_free(m);
    vos_case_row_free(c);
    rc = app_end(app, rc);
    if (rc < 0 && out) {
        vos_case_row_free(*out);
        *out = NULL;
    }
    return rc;
}

int vos_app_case_set(vos_app *app, const vos_actor *who, int64_t case_id, const char *input,
                     const vos_input_override *ov, int64_t expected_revision, vos_case_row **out)
{
    if (!ov || (!ov->has_value && !ov->has_low && !ov->has_high && !ov->evidence &&
                !ov->has_confidence))
        return vos_error_set(VOS_EINVALID,
                             "nothing to override: give a value, low, high, evidence or "
                             "confidence");
    return change_override(app, who, case_id, input, ov, expected_revision, out);
}

int vos_app_case_unset(vos_app *app, const vos_actor *who, int64_t case_id, const char *input,
                       int64_t expected_revision, vos_case_row **out)
{
    return change_override(app, who, case_id, input, NULL, expected_revision, out);
}

/* ---- lifecycle ------------------------------------------------------------------------------ */

/* Whether a case may move from stage `from` to `to` by a transition (commit is separate). */
static bool transition_allowed(vos_case_stage from, vos_case_stage to)
{
    bool open =
        from == VOS_STAGE_HYPOTHESIS || from == VOS_STAGE_COMMITTED || from == VOS_STAGE_REALIZING;
    switch (to) {
    case VOS_STAGE_REALIZING:
        return from == VOS_STAGE_COMMITTED;
    case VOS_STAGE_EXPANDED:
        return from == VOS_STAGE_REALIZING;
    case VOS_STAGE_LOST:
    case VOS_STAGE_CLOSED:
        return open;
    default:
        return false;
    }
}

static int transition_refused(const vos_case_row *c, vos_case_stage to)
{
    const char *from_name = vos_case_stage_name(c->stage), *to_name = vos_case_stage_name(to);
    if (!to_name) return vos_error_set(VOS_EINVALID, "stage %d is not a stage of a case", (int)to);
    if (c->stage == to)
        return vos_error_set(VOS_ECONFLICT, "case '%s' is already %s", c->name, to_name);
    if (c->stage == VOS_STAGE_HYPOTHESIS && to == VOS_STAGE_COMMITTED)
        return vos_error_set(VOS_ECONFLICT,
                             "case '%s' moves from hypothesis to committed only by committing it "
                             "(with its KPIs)",
                             c->name);
    return vos_error_set(VOS_ECONFLICT, "case '%s' cannot move from %s to %s", c->name, from_name,
                         to_name);
}

int vos_app_case_transition(vos_app *app, const vos_actor *who, int64_t case_id, vos_case_stage to,
                            vos_case_row **out)
{
    if (out) *out = NULL;
    int rc = app_allow(who, VOS_OP_CASE_TRANSITION);
    if (rc < 0) return rc;
    if ((rc = app_begin(app)) < 0) return rc;
    vos_case_row *c = NULL;
    char *before = NULL;
    rc = app_case_get(app, who, case_id, &c);
    if (rc == 0 && !transition_allowed(c->stage, to)) rc = transition_refused(c, to);
    if (rc == 0) rc = app_before(app, VOS_ENTITY_CASE, c->id, &before);
    if (rc == 0) {
        c->stage = to;
        rc = vos_store_case_update(app->st, c);
    }
    if (rc == 0) {
        rc = app_audit(app, who, "case.transition", VOS_ENTITY_CASE, c->id, before);
        before = NULL;
    }
    if (rc == 0 && out) rc = vos_store_case_get(app->st, out, c->id);
    free(before);
    vos_case_row_free(c);
    rc = app_end(app, rc);
    if (rc < 0 && out) {
        vos_case_row_free(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- re-base -------------------------------------------------------------------------------- */

static void add_problem(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_problem(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 3 >= size) return;
    if (len) {
        memcpy(buf + len, "; ", 3);
        len += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

/* Carries the overrides from model `a` to model `b`: each must name an input of b, in the same
 * unit (values are converted between units of the same dimension), and give a valid input.
 * Every problem is listed in one VOS_EINVALID message. */
static int carry_overrides(app_overrides *o, const vos_model *a, const vos_model *b,
                           const char *case_name)
{
    char problems[PROBLEMS_MAX] = "";
    for (size_t k = 0; k < o->n; k++) {
        app_override *x = &o->items[k];
        long ia = vos_model_find_input(a, x->input), ib = vos_model_find_input(b, x->input);
        if (ib < 0) {
            add_problem(problems, sizeof problems, "input '%s' does not exist in version %s",
                        x->input, b->version);
            continue;
        }
        if (ia < 0) continue;
        const vos_unit *ua = &a->inputs[ia].unit, *ub = &b->inputs[ib].unit;
        if (ua->currency != 0 && strcmp(a->currency, b->currency) != 0) {
            add_problem(problems, sizeof problems,
                        "input '%s' is an amount in %s but version %s counts in %s", x->input,
                        a->currency, b->version, b->currency);
            continue;
        }
        if (vos_unit_equal(ua, ub)) continue;
        double *vals[3] = {x->ov.has_value ? &x->ov.value : NULL, x->ov.has_low ? &x->ov.low : NULL,
                           x->ov.has_high ? &x->ov.high : NULL};
        for (int i = 0; i < 3; i++)
            if (vals[i] && vos_unit_convert(vals[i], ua, ub, b->currency) < 0) {
                add_problem(problems, sizeof problems, "input '%s' changed unit from %s to %s",
                            x->input, a->inputs[ia].unit_text, b->inputs[ib].unit_text);
                break;
            }
    }
    vos_case *c = NULL;
    int rc = vos_case_new(&c, b);
    for (size_t k = 0; k < o->n && rc == 0; k++) {
        long ib = vos_model_find_input(b, o->items[k].input);
        if (ib >= 0 && vos_case_override(c, (size_t)ib, &o->items[k].ov) < 0)
            add_problem(problems, sizeof problems, "%s", vos_error_last());
    }
    vos_case_free(c);
    if (rc < 0) return rc;
    if (*problems)
        return vos_error_set(VOS_EINVALID, "case '%s' cannot move to version %s: %s", case_name,
                             b->version, problems);
    return 0;
}

/* The target version of a re-base: another version, of the same model, not retired. */
static int rebase_target(vos_app *app, const vos_case_row *c, const char *to_version,
                         vos_model_version_row **out)
{
    vos_model_version_row *cur = NULL;
    vos_model_row *model = NULL;
    *out = NULL;
    if (!to_version || !*to_version)
        return vos_error_set(VOS_EINVALID, "give the version to re-base case '%s' onto", c->name);
    int rc = vos_store_model_version_get(app->st, &cur, c->model_version_id);
    if (rc == 0) rc = vos_store_model_get(app->st, &model, cur->model_id);
    if (rc == 0) rc = app_version_find(app, model, to_version, out);
    if (rc == 0 && (*out)->id == cur->id)
        rc = vos_error_set(VOS_ECONFLICT, "case '%s' is already on model '%s' version %s", c->name,
                           model->key, cur->version);
    else if (rc == 0 && (*out)->status == VOS_VERSION_RETIRED)
        rc = vos_error_set(VOS_ECONFLICT,
                           "model '%s' version %s is retired; re-base onto an "
                           "approved version",
                           model->key, (*out)->version);
    if (rc < 0) {
        vos_model_version_row_free(*out);
        *out = NULL;
    }
    vos_model_version_row_free(cur);
    vos_model_row_free(model);
    return rc;
}

int vos_app_case_rebase(vos_app *app, const vos_actor *who, int64_t case_id, const char *to_version,
                        vos_changes *changes, vos_case_row **out)
{
    if (changes) *changes = (vos_changes){0};
    if (out) *out = NULL;
    int rc = app_allow(who, VOS_OP_CASE_EDIT);
    if (rc < 0) return rc;
    if ((rc = app_begin(app)) < 0) return rc;
    vos_case_row *c = NULL;
    vos_model_version_row *target = NULL;
    vos_model *ma = NULL, *mb = NULL;
    app_overrides o = {0}, carried = {0};
    char *json = NULL, *before = NULL;
    vos_changes diff = {0};
    rc = app_case_get(app, who, case_id, &c);
    if (rc == 0) rc = need_hypothesis(c);
    if (rc == 0) rc = rebase_target(app, c, to_version, &target);
    if (rc == 0) rc = app_case_model(app, c->model_version_id, &ma, NULL);
    if (rc == 0) rc = app_case_model(app, target->id, &mb, NULL);
    if (rc == 0) rc = app_overrides_parse(&o, c->overrides, c->name);
    if (rc == 0) rc = app_overrides_parse(&carried, c->overrides, c->name);
    if (rc == 0) rc = carry_overrides(&carried, ma, mb, c->name);
    if (rc == 0) rc = app_diff_models(&diff, ma, &o, mb, &carried);
    if (rc == 0) rc = app_overrides_json(&carried, mb, &json);
    if (rc == 0) rc = app_before(app, VOS_ENTITY_CASE, c->id, &before);
    if (rc == 0) {
        char *old = c->overrides;
        c->overrides = json;
        c->model_version_id = target->id;
        rc = vos_store_case_update(app->st, c);
        c->overrides = old;
    }
    if (rc == 0) {
        rc = app_audit(app, who, "case.rebase", VOS_ENTITY_CASE, c->id, before);
        before = NULL;
    }
    if (rc == 0 && out) rc = vos_store_case_get(app->st, out, c->id);
    free(before);
    free(json);
    app_overrides_free(&o);
    app_overrides_free(&carried);
    vos_model_free(ma);
    vos_model_free(mb);
    vos_model_version_row_free(target);
    vos_case_row_free(c);
    rc = app_end(app, rc);
    if (rc == 0 && changes) {
        *changes = diff;
    } else {
        vos_changes_free(&diff);
        if (out) {
            vos_case_row_free(*out);
            *out = NULL;
        }
    }
    return rc;
}
