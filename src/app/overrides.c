/* The input overrides of a case as stored: a JSON object
 *     {"tickets": {"value": 9000}, "agent_rate": {"value": 50, "low": 45, "high": 58},
 *      "aht": {"evidence": "Genesys export, March 2026", "confidence": "high"}}
 * with only the fields given, numbers in the input's declared unit.  Overrides stored before
 * evidence and confidence existed hold numbers only and read the same. */
#include "app_int.h"

#include "vos/error.h"
#include "vos/jsonw.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void app_overrides_free(app_overrides *o)
{
    if (!o) return;
    for (size_t i = 0; i < o->n; i++) {
        free(o->items[i].input);
        free((char *)o->items[i].ov.evidence);
    }
    free(o->items);
    o->items = NULL;
    o->n = 0;
}

app_override *app_overrides_find(app_overrides *o, const char *input)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->items[i].input, input) == 0) return &o->items[i];
    return NULL;
}

/* Replaces the owned evidence of `dst` by a copy of `evidence`. */
static int set_evidence(vos_input_override *dst, const char *evidence)
{
    char *copy = app_strdup(evidence);
    if (!copy) return vos_error_set(VOS_ENOMEM, "out of memory");
    free((char *)dst->evidence);
    dst->evidence = copy;
    return 0;
}

static int append(app_overrides *o, const char *input, const vos_input_override *ov)
{
    app_override *items = realloc(o->items, (o->n + 1) * sizeof *items);
    if (!items) return vos_error_set(VOS_ENOMEM, "out of memory");
    o->items = items;
    app_override it = {.input = app_strdup(input), .ov = *ov};
    it.ov.evidence = NULL;
    if (!it.input || (ov->evidence && set_evidence(&it.ov, ov->evidence) < 0)) {
        free(it.input);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    o->items[o->n++] = it;
    return 0;
}

int app_overrides_put(app_overrides *o, const char *input, const vos_input_override *ov)
{
    app_override *cur = app_overrides_find(o, input);
    if (!ov) {
        if (!cur) return 0;
        size_t i = (size_t)(cur - o->items);
        free(cur->input);
        free((char *)cur->ov.evidence);
        memmove(cur, cur + 1, (o->n - i - 1) * sizeof *cur);
        o->n--;
        return 0;
    }
    if (!cur) return append(o, input, ov);
    if (ov->has_value) cur->ov.value = ov->value, cur->ov.has_value = 1;
    if (ov->has_low) cur->ov.low = ov->low, cur->ov.has_low = 1;
    if (ov->has_high) cur->ov.high = ov->high, cur->ov.has_high = 1;
    if (ov->has_confidence) cur->ov.confidence = ov->confidence, cur->ov.has_confidence = 1;
    return ov->evidence ? set_evidence(&cur->ov, ov->evidence) : 0;
}

/* Reads the evidence or confidence of a stored override (its key is one of the two).  The
 * evidence is borrowed from the JSON document. */
static int parse_text(vos_input_override *ov, const char *input, const char *key, json_t *x,
                      const char *case_name)
{
    const char *text = json_string_value(x);
    if (!text)
        return vos_error_set(VOS_EINVALID, "case '%s' overrides: input '%s' %s must be text",
                             case_name, input, key);
    if (strcmp(key, "evidence") == 0) {
        ov->evidence = text;
        return 0;
    }
    if (vos_confidence_parse(&ov->confidence, text) < 0)
        return vos_error_set(VOS_EINVALID,
                             "case '%s' overrides: input '%s' confidence must be low, medium or "
                             "high",
                             case_name, input);
    ov->has_confidence = 1;
    return 0;
}

/* Reads one stored override: a number (the value) or an object of value, low, high. */
static int parse_one(vos_input_override *ov, const char *input, json_t *v, const char *case_name)
{
    *ov = (vos_input_override){0};
    if (json_is_number(v)) {
        ov->value = json_number_value(v);
        ov->has_value = 1;
        return 0;
    }
    if (!json_is_object(v))
        return vos_error_set(VOS_EINVALID,
                             "case '%s' overrides: input '%s' must be a number or an object of "
                             "value, low, high, evidence and confidence",
                             case_name, input);
    const char *key;
    json_t *x;
    json_object_foreach(v, key, x)
    {
        if (strcmp(key, "evidence") == 0 || strcmp(key, "confidence") == 0) {
            int rc = parse_text(ov, input, key, x, case_name);
            if (rc < 0) return rc;
            continue;
        }
        double *dst = strcmp(key, "value") == 0  ? &ov->value
                      : strcmp(key, "low") == 0  ? &ov->low
                      : strcmp(key, "high") == 0 ? &ov->high
                                                 : NULL;
        if (!dst)
            return vos_error_set(VOS_EINVALID,
                                 "case '%s' overrides: input '%s' has an unknown field '%.*s' "
                                 "(value, low, high, evidence, confidence)",
                                 case_name, input, VOS_ID_MAX, key);
        if (!json_is_number(x))
            return vos_error_set(VOS_EINVALID,
                                 "case '%s' overrides: input '%s' %s must be a number", case_name,
                                 input, key);
        *dst = json_number_value(x);
        ov->has_value |= dst == &ov->value;
        ov->has_low |= dst == &ov->low;
        ov->has_high |= dst == &ov->high;
    }
    return 0;
}

int app_overrides_parse(app_overrides *out, const char *json, const char *case_name)
{
    *out = (app_overrides){0};
    if (!json || !*json) return 0;
    json_error_t err;
    json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &err);
    if (!root || !json_is_object(root)) {
        json_decref(root);
        return vos_error_set(VOS_EINVALID, "case '%s' overrides are not a JSON object", case_name);
    }
    int rc = 0;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        vos_input_override ov;
        rc = parse_one(&ov, key, v, case_name);
        if (rc == 0) rc = append(out, key, &ov);
        if (rc < 0) break;
    }
    json_decref(root);
    if (rc < 0) app_overrides_free(out);
    return rc;
}

static void write_one(vos_jw *w, const app_override *o)
{
    vos_jw_key(w, o->input);
    vos_jw_object(w);
    if (o->ov.has_value) {
        vos_jw_key(w, "value");
        vos_jw_number(w, o->ov.value);
    }
    if (o->ov.has_low) {
        vos_jw_key(w, "low");
        vos_jw_number(w, o->ov.low);
    }
    if (o->ov.has_high) {
        vos_jw_key(w, "high");
        vos_jw_number(w, o->ov.high);
    }
    if (o->ov.evidence) {
        vos_jw_key(w, "evidence");
        vos_jw_string(w, o->ov.evidence);
    }
    if (o->ov.has_confidence) {
        vos_jw_key(w, "confidence");
        vos_jw_string(w, vos_confidence_name(o->ov.confidence));
    }
    vos_jw_end(w);
}

void app_overrides_write(vos_jw *w, const app_overrides *o, const vos_model *m)
{
    vos_jw_object(w);
    for (size_t i = 0; i < m->n_inputs; i++)
        for (size_t k = 0; k < o->n; k++)
            if (strcmp(o->items[k].input, m->inputs[i].id) == 0) write_one(w, &o->items[k]);
    for (size_t k = 0; k < o->n; k++)
        if (vos_model_find_input(m, o->items[k].input) < 0) write_one(w, &o->items[k]);
    vos_jw_end(w);
}

int app_overrides_json(const app_overrides *o, const vos_model *m, char **out)
{
    vos_jw w;
    vos_jw_init(&w, VOS_STORE_JSON_MAX);
    app_overrides_write(&w, o, m);
    size_t len;
    int rc = vos_jw_finish(&w, out, &len);
    if (rc < 0)
        return vos_error_set(rc, "the overrides are larger than %d bytes", VOS_STORE_JSON_MAX);
    return 0;
}

int app_overrides_apply(const app_overrides *o, vos_case *c)
{
    const vos_model *m = vos_case_model(c);
    for (size_t k = 0; k < o->n; k++) {
        long i = vos_model_find_input(m, o->items[k].input);
        if (i < 0)
            return vos_error_set(VOS_EINVALID, "'%s' is not an input of model %s version %s",
                                 o->items[k].input, m->id, m->version);
        int rc = vos_case_override(c, (size_t)i, &o->items[k].ov);
        if (rc < 0) return rc;
    }
    return 0;
}
