/* Maturity self-assessments (vos/app_assess.h): the built-in blueprints, taking an assessment
 * (one transaction, every row audited), reading one, the history and the roadmap.  The
 * indicators from usage are in app_indicators.c; the arithmetic is core's (maturity.c). */
#include "app/blueprints.h"
#include "app_int.h"

#include "vos/app_assess.h"
#include "vos/error.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATE_LEN 10        /* "YYYY-MM-DD" */
#define KEYS_TEXT_MAX 1024 /* bytes of a list of dimension keys in a message */

/* ---- blueprints ----------------------------------------------------------------------------- */

/* Loads the built-in blueprint `k`. */
static int load_builtin(size_t k, vos_blueprint **out)
{
    const app_blueprint_text *b = &app_blueprints[k];
    size_t len = 0;
    for (const char *const *l = b->lines; *l; l++)
        len += strlen(*l);
    char *text = malloc(len + 1);
    if (!text) return vos_error_set(VOS_ENOMEM, "out of memory loading the blueprint");
    size_t at = 0;
    for (const char *const *l = b->lines; *l; l++) {
        size_t n = strlen(*l);
        memcpy(text + at, *l, n);
        at += n;
    }
    text[at] = '\0';
    vos_diags d;
    vos_diags_init(&d);
    int rc = vos_blueprint_load(out, text, len, &d);
    if (rc < 0 && rc != VOS_ENOMEM)
        rc = vos_error_set(VOS_ERROR, "the built-in blueprint %s does not load: %d:%d: %s", b->path,
                           d.n ? d.items[0].line : 0, d.n ? d.items[0].col : 0,
                           d.n ? d.items[0].msg : vos_error_last());
    vos_diags_free(&d);
    free(text);
    return rc;
}

/* The built-in blueprint with that id and version (both NULL: the current one). */
static int builtin_blueprint(const char *id, const char *version, vos_blueprint **out)
{
    *out = NULL;
    if (app_blueprints_count == 0)
        return vos_error_set(VOS_ENOTFOUND, "no blueprint is built into VOS");
    if (!id && !version) return load_builtin(app_blueprints_count - 1, out);
    for (size_t k = app_blueprints_count; k-- > 0;) {
        vos_blueprint *bp = NULL;
        int rc = load_builtin(k, &bp);
        if (rc < 0) return rc;
        if (id && version && strcmp(bp->id, id) == 0 && strcmp(bp->version, version) == 0) {
            *out = bp;
            return 0;
        }
        vos_blueprint_free(bp);
    }
    return vos_error_set(VOS_ENOTFOUND, "blueprint '%.*s' version '%.*s' is not built into VOS",
                         VOS_ID_MAX, id ? id : "", VOS_ID_MAX, version ? version : "");
}

int vos_app_blueprint(vos_app *app, const vos_actor *who, const char *id, const char *version,
                      vos_blueprint **out)
{
    (void)app;
    *out = NULL;
    int rc = app_allow(who, VOS_OP_ASSESS_READ);
    if (rc < 0) return rc;
    if (!id != !version)
        return vos_error_set(VOS_EINVALID, "a blueprint is named by its id and its version");
    return builtin_blueprint(id, version, out);
}

/* ---- assessments as read ------------------------------------------------------------------- */

void vos_assessment_clear(vos_assessment *a)
{
    if (!a) return;
    vos_assessment_row_free(a->row);
    vos_assessment_answer_rows_free(a->answers, a->n_answers);
    vos_blueprint_free(a->blueprint);
    free(a->assessor);
    memset(a, 0, sizeof *a);
}

void vos_assessment_free(vos_assessment *a)
{
    vos_assessment_clear(a);
    free(a);
}

void vos_assessments_free(vos_assessment *a, size_t n)
{
    for (size_t i = 0; a && i < n; i++)
        vos_assessment_clear(&a[i]);
    free(a);
}

/* Puts the answers read into the blueprint's order and takes their stages. */
static int order_answers(vos_assessment *a, vos_assessment_answer_row *rows, size_t n)
{
    const vos_blueprint *bp = a->blueprint;
    int rc = 0;
    a->answers = calloc(bp->n_dimensions ? bp->n_dimensions : 1, sizeof *a->answers);
    if (!a->answers) rc = vos_error_set(VOS_ENOMEM, "out of memory reading an assessment");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int d = vos_blueprint_dimension(bp, rows[i].dimension_key);
        if (d < 0 || a->answers[d].id != 0) break;
        a->answers[d] = rows[i];
        memset(&rows[i], 0, sizeof rows[i]);
        a->stages[d] = (int)a->answers[d].stage;
        a->n_answers++;
    }
    if (rc == 0 && a->n_answers != bp->n_dimensions)
        rc = vos_error_set(VOS_ERROR,
                           "assessment %" PRId64 " does not answer the dimensions of blueprint "
                           "%s %s",
                           a->row->id, bp->id, bp->version);
    if (rc < 0) { /* keep a->answers freeable: only complete rows are counted */
        vos_assessment_answer_rows_free(a->answers, bp->n_dimensions);
        a->answers = NULL;
        a->n_answers = 0;
    }
    vos_assessment_answer_rows_free(rows, n);
    return rc;
}

/* Completes an assessment from its row (taken over): answers, blueprint, scores, assessor. */
static int complete(vos_app *app, vos_assessment_row *row, vos_assessment *a)
{
    memset(a, 0, sizeof *a);
    a->row = row;
    int rc = builtin_blueprint(row->blueprint, row->blueprint_version, &a->blueprint);
    if (rc == VOS_ENOTFOUND)
        rc = vos_error_set(VOS_ENOTFOUND,
                           "assessment %" PRId64 " was taken against blueprint %s %s, which this "
                           "VOS does not have",
                           row->id, row->blueprint, row->blueprint_version);
    vos_assessment_answer_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "assessment_id", .i = row->id};
    if (rc == 0) rc = vos_store_assessment_answer_list(app->st, &rows, &n, &q);
    if (rc == 0) rc = order_answers(a, rows, n);
    if (rc == 0) rc = vos_maturity_score(&a->scores, a->blueprint, a->stages);
    vos_user_row *u = NULL;
    if (rc == 0 && row->taken_by && vos_store_user_get(app->st, &u, row->taken_by) == 0) {
        a->assessor = app_strdup(u->email);
        if (!a->assessor) rc = vos_error_set(VOS_ENOMEM, "out of memory reading an assessment");
    }
    vos_user_row_free(u);
    if (rc < 0) vos_assessment_clear(a);
    return rc;
}

/* Whether assessment a was taken after b (the later taken_at, then the later id). */
static int later(const vos_assessment_row *a, const vos_assessment_row *b)
{
    int c = strcmp(a->taken_at, b->taken_at);
    return c > 0 || (c == 0 && a->id > b->id);
}

static int by_time(const void *x, const void *y)
{
    const vos_assessment *a = x, *b = y;
    return later(a->row, b->row) ? 1 : later(b->row, a->row) ? -1 : 0;
}

/* Every assessment row, page by page.  OUT: *out, *n (vos_assessment_rows_free). */
static int all_rows(vos_app *app, vos_assessment_row **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    for (;;) {
        vos_assessment_row *page = NULL;
        size_t got = 0;
        int rc = vos_store_assessment_list(app->st, &page, &got, &q);
        vos_assessment_row *grown = rc == 0 ? realloc(*out, (*n + got + 1) * sizeof **out) : NULL;
        if (rc == 0 && !grown) rc = vos_error_set(VOS_ENOMEM, "out of memory listing assessments");
        if (rc < 0) {
            vos_assessment_rows_free(page, got);
            vos_assessment_rows_free(*out, *n);
            *out = NULL;
            *n = 0;
            return rc;
        }
        *out = grown;
        if (got) memcpy(*out + *n, page, got * sizeof *page);
        *n += got;
        free(page); /* the rows' texts moved to *out */
        if (got < q.limit) return 0;
        q.after_id = (*out)[*n - 1].id;
    }
}

/* Completes rows[0..n) into assessments (the rows are taken over). */
static int complete_all(vos_app *app, vos_assessment_row *rows, size_t n, vos_assessment **out)
{
    *out = calloc(n ? n : 1, sizeof **out);
    int rc = *out ? 0 : vos_error_set(VOS_ENOMEM, "out of memory reading assessments");
    size_t done = 0;
    for (; rc == 0 && done < n; done++) {
        vos_assessment_row *row = malloc(sizeof *row);
        if (!row) {
            rc = vos_error_set(VOS_ENOMEM, "out of memory reading assessments");
            break;
        }
        *row = rows[done];
        memset(&rows[done], 0, sizeof rows[done]);
        rc = complete(app, row, &(*out)[done]);
    }
    vos_assessment_rows_free(rows, n); /* those not taken over */
    if (rc < 0) {
        vos_assessments_free(*out, done);
        *out = NULL;
    }
    return rc;
}

int vos_app_assessment_list(vos_app *app, const vos_actor *who, const vos_store_query *q,
                            vos_assessment **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int rc = app_allow(who, VOS_OP_ASSESS_READ);
    vos_assessment_row *rows = NULL;
    size_t got = 0;
    if (rc == 0) rc = vos_store_assessment_list(app->st, &rows, &got, q);
    if (rc == 0) rc = complete_all(app, rows, got, out);
    if (rc == 0) *n = got;
    return rc;
}

int vos_app_assessment_history(vos_app *app, const vos_actor *who, vos_assessment **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int rc = app_allow(who, VOS_OP_ASSESS_READ);
    vos_assessment_row *rows = NULL;
    size_t got = 0;
    if (rc == 0) rc = all_rows(app, &rows, &got);
    if (rc == 0) rc = complete_all(app, rows, got, out);
    if (rc < 0) return rc;
    qsort(*out, got, sizeof **out, by_time);
    *n = got;
    return 0;
}

/* The latest assessment row (the last taken_at, then the last id). */
static int latest_row(vos_app *app, vos_assessment_row **out)
{
    *out = NULL;
    vos_assessment_row *rows = NULL;
    size_t n = 0;
    int rc = all_rows(app, &rows, &n);
    if (rc < 0) return rc;
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (later(&rows[i], &rows[best])) best = i;
    if (n == 0)
        rc = vos_error_set(VOS_ENOTFOUND, "no assessment has been taken yet (vos assess "
                                          "take)");
    if (rc == 0) *out = malloc(sizeof **out);
    if (rc == 0 && !*out) rc = vos_error_set(VOS_ENOMEM, "out of memory reading an assessment");
    if (rc == 0) {
        **out = rows[best];
        memset(&rows[best], 0, sizeof rows[best]);
    }
    vos_assessment_rows_free(rows, n);
    return rc;
}

int vos_app_assessment_get(vos_app *app, const vos_actor *who, int64_t id, vos_assessment **out)
{
    *out = NULL;
    int rc = app_allow(who, VOS_OP_ASSESS_READ);
    if (rc < 0) return rc;
    if (id < 0) return vos_error_set(VOS_EINVALID, "assessment id %" PRId64 " is not an id", id);
    vos_assessment_row *row = NULL;
    rc = id ? vos_store_assessment_get(app->st, &row, id) : latest_row(app, &row);
    if (rc == VOS_ENOTFOUND && id)
        rc = vos_error_set(VOS_ENOTFOUND, "assessment %" PRId64 " does not exist", id);
    if (rc < 0) return rc;
    vos_assessment *a = malloc(sizeof *a);
    if (!a) {
        vos_assessment_row_free(row);
        return vos_error_set(VOS_ENOMEM, "out of memory reading an assessment");
    }
    rc = complete(app, row, a);
    if (rc < 0) {
        free(a);
        return rc;
    }
    *out = a;
    return 0;
}

/* ---- taking an assessment ------------------------------------------------------------------ */

static void today(char out[VOS_DATE_SIZE])
{
    char now[VOS_STAMP_SIZE];
    vos_store_now(now);
    snprintf(out, VOS_DATE_SIZE, "%.*s", DATE_LEN, now);
}

/* The dimension keys of bp, comma-separated, for messages. */
static const char *keys_text(char *buf, size_t size, const vos_blueprint *bp, const int *stages)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < bp->n_dimensions && len < size; i++)
        if (!stages || stages[i] == 0)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
                                    bp->dimensions[i].key);
    return buf;
}

/* Maps the answers onto the blueprint's dimensions: stages[d] for dimension d; evidence[d]. */
static int map_answers(const vos_blueprint *bp, const vos_assessment_in *in, int *stages,
                       const char **evidence)
{
    char keys[KEYS_TEXT_MAX];
    if (!in->answers && in->n_answers)
        return vos_error_set(VOS_EINVALID, "the assessment has no answers");
    for (size_t j = 0; j < in->n_answers; j++) {
        const vos_assessment_answer_in *an = &in->answers[j];
        int d = vos_blueprint_dimension(bp, an->dimension);
        if (d < 0)
            return vos_error_set(VOS_EINVALID,
                                 "answer %zu: '%.*s' is not a dimension of the blueprint (the "
                                 "keys are %s)",
                                 j + 1, VOS_ID_MAX, an->dimension ? an->dimension : "",
                                 keys_text(keys, sizeof keys, bp, NULL));
        if (stages[d])
            return vos_error_set(VOS_EINVALID, "answer %zu: dimension '%s' is answered twice",
                                 j + 1, bp->dimensions[d].key);
        if (an->stage < 1 || an->stage > VOS_MATURITY_STAGES)
            return vos_error_set(VOS_EINVALID,
                                 "answer %zu: dimension '%s' has stage %d: a stage is 1 (%s) to "
                                 "%d (%s)",
                                 j + 1, bp->dimensions[d].key, an->stage, bp->stages[0].name,
                                 VOS_MATURITY_STAGES, bp->stages[VOS_MATURITY_STAGES - 1].name);
        stages[d] = an->stage;
        evidence[d] = an->evidence;
    }
    size_t missing = 0;
    for (size_t i = 0; i < bp->n_dimensions; i++)
        missing += stages[i] == 0;
    if (missing)
        return vos_error_set(VOS_EINVALID, "%zu %s not answered: %s", missing,
                             missing == 1 ? "dimension is" : "dimensions are",
                             keys_text(keys, sizeof keys, bp, stages));
    return 0;
}

/* The date and target of the assessment, checked; target 0 becomes the default. */
static int check_header(const vos_assessment_in *in, const vos_blueprint *bp, const int *stages,
                        char taken_at[VOS_DATE_SIZE], int *target)
{
    char now[VOS_DATE_SIZE];
    today(now);
    if (!in->taken_at || !*in->taken_at)
        snprintf(taken_at, VOS_DATE_SIZE, "%s", now);
    else if (!app_is_date(in->taken_at))
        return vos_error_set(VOS_EINVALID, "assessment taken_at '%.*s' is not a date YYYY-MM-DD",
                             VOS_ID_MAX, in->taken_at);
    else if (strcmp(in->taken_at, now) > 0)
        return vos_error_set(VOS_EINVALID, "assessment taken_at %s is in the future (today is %s)",
                             in->taken_at, now);
    else
        snprintf(taken_at, VOS_DATE_SIZE, "%s", in->taken_at);
    *target = in->target_stage;
    if (*target == 0) {
        vos_maturity_scores s;
        int rc = vos_maturity_score(&s, bp, stages);
        if (rc < 0) return rc;
        *target = vos_maturity_default_target(&s);
    }
    if (*target < 1 || *target > VOS_MATURITY_STAGES)
        return vos_error_set(VOS_EINVALID, "assessment target_stage %d is not a stage 1 to %d",
                             *target, VOS_MATURITY_STAGES);
    return 0;
}

/* Writes the assessment and its answers, each audited, in the open transaction. */
static int write_assessment(vos_app *app, const vos_actor *who, const vos_blueprint *bp,
                            vos_assessment_row *row, const int *stages, const char **evidence)
{
    int rc = vos_store_assessment_create(app->st, row);
    if (rc == 0) rc = app_audit(app, who, "assessment.take", VOS_ENTITY_ASSESSMENT, row->id, NULL);
    for (size_t i = 0; rc == 0 && i < bp->n_dimensions; i++) {
        vos_assessment_answer_row an = {.assessment_id = row->id,
                                        .dimension_key = (char *)bp->dimensions[i].key,
                                        .stage = stages[i],
                                        .evidence = (char *)evidence[i]};
        rc = vos_store_assessment_answer_create(app->st, &an);
        if (rc == 0)
            rc = app_audit(app, who, "assessment.take", VOS_ENTITY_ASSESSMENT_ANSWER, an.id, NULL);
    }
    return rc;
}

int vos_app_assessment_take(vos_app *app, const vos_actor *who, const vos_assessment_in *in,
                            vos_assessment **out)
{
    if (out) *out = NULL;
    int rc = app_allow(who, VOS_OP_ASSESS_WRITE);
    if (rc < 0) return rc;
    if (!in) return vos_error_set(VOS_EINVALID, "no assessment given");
    vos_blueprint *bp = NULL;
    if ((rc = builtin_blueprint(NULL, NULL, &bp)) < 0) return rc;
    int stages[VOS_BLUEPRINT_DIMENSIONS_MAX] = {0}, target = 0;
    const char *evidence[VOS_BLUEPRINT_DIMENSIONS_MAX] = {0};
    char taken_at[VOS_DATE_SIZE];
    rc = map_answers(bp, in, stages, evidence);
    if (rc == 0) rc = check_header(in, bp, stages, taken_at, &target);
    vos_assessment_row row = {.taken_at = taken_at,
                              .taken_by = who->user_id,
                              .blueprint = (char *)bp->id,
                              .blueprint_version = (char *)bp->version,
                              .target_stage = target,
                              .notes = (char *)in->notes};
    if (rc == 0 && (rc = app_begin(app)) == 0)
        rc = app_end(app, write_assessment(app, who, bp, &row, stages, evidence));
    vos_blueprint_free(bp);
    if (rc == 0 && out) rc = vos_app_assessment_get(app, who, row.id, out);
    return rc;
}

/* ---- roadmap -------------------------------------------------------------------------------- */

int vos_app_assessment_roadmap(vos_app *app, const vos_actor *who, int64_t id, int target,
                               const char *start, const char *owner, vos_assessment **a,
                               vos_roadmap *out)
{
    if (a) *a = NULL;
    memset(out, 0, sizeof *out);
    vos_assessment *as = NULL;
    int rc = vos_app_assessment_get(app, who, id, &as);
    if (rc < 0) return rc;
    vos_user_row *u = NULL;
    if (owner && vos_store_user_by_email(app->st, &u, owner) < 0)
        rc = vos_error_set(VOS_ENOTFOUND, "no user has the email '%.*s' (the roadmap's owner)",
                           VOS_EMAIL_MAX, owner);
    vos_user_row_free(u);
    char from[VOS_DATE_SIZE];
    today(from);
    if (rc == 0)
        rc = vos_maturity_roadmap(out, as->blueprint, as->stages,
                                  target ? target : (int)as->row->target_stage,
                                  start ? start : from);
    if (rc == 0 && a)
        *a = as;
    else
        vos_assessment_free(as);
    return rc;
}
