/* The input overrides of a case as stored: a JSON object
 *     {"tickets": {"value": 9000}, "agent_rate": {"value": 50, "low": 45, "high": 58}}
 * with only the fields given, each in the input's declared unit. */
#include "app_int.h"

#include "vos/error.h"
#include "vos/jsonw.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void app_overrides_free(app_overrides *o)
{
    if (!o) return;
    for (size_t i = 0; i < o->n; i++)
        free(o->items[i].input);
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

static int append(app_overrides *o, const char *input, const vos_input_override *ov)
{
    app_override *items = realloc(o->items, (o->n + 1) * sizeof *items);
    if (!items) return vos_error_set(VOS_ENOMEM, "out of memory");
    o->items = items;
    char *id = app_strdup(input);
    if (!id) return vos_error_set(VOS_ENOMEM, "out of memory");
    o->items[o->n++] = (app_override){.input = id, .ov = *ov};
    return 0;
}

int app_overrides_put(app_overrides *o, const char *input, const vos_input_override *ov)
{
    app_override *cur = app_overrides_find(o, input);
    if (!ov) {
        if (!cur) return 0;
        size_t i = (size_t)(cur - o->items);
        free(cur->input);
        memmove(cur, cur + 1, (o->n - i - 1) * sizeof *cur);
        o->n--;
        return 0;
    }
    if (!cur) return append(o, input, ov);
    if (ov->has_value) cur->ov.value = ov->value, cur->ov.has_value = 1;
    if (ov->has_low) cur->ov.low = ov->low, cur->ov.has_low = 1;
    if (ov->has_high) cur->ov.high = ov->high, cur->ov.has_high = 1;
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
                             "value, low and high",
                             case_name, input);
    const char *key;
    json_t *x;
    json_object_foreach(v, key, x)
    {
        double *dst = strcmp(key, "value") == 0  ? &ov->value
                      : strcmp(key, "low") == 0  ? &ov->low
                      : strcmp(key, "high") == 0 ? &ov->high
                                                 : NULL;
        if (!dst)
            return vos_error_set(VOS_EINVALID,
                                 "case '%s' overrides: input '%s' has an unknown field '%.*s' "
                                 "(value, low, high)",
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
