/* JSON of stored documents and of the audit log. */
#include "render/render.h"

#include <jansson.h>

static void write_value(vos_jw *w, json_t *v)
{
    const char *key;
    json_t *item;
    size_t i;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        vos_jw_object(w);
        json_object_foreach(v, key, item)
        {
            vos_jw_key(w, key);
            write_value(w, item);
        }
        vos_jw_end(w);
        break;
    case JSON_ARRAY:
        vos_jw_array(w);
        json_array_foreach(v, i, item) write_value(w, item);
        vos_jw_end(w);
        break;
    case JSON_STRING:
        vos_jw_string(w, json_string_value(v));
        break;
    case JSON_INTEGER:
        vos_jw_integer(w, json_integer_value(v));
        break;
    case JSON_REAL:
        vos_jw_number(w, json_real_value(v));
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        vos_jw_bool(w, json_is_true(v));
        break;
    default:
        vos_jw_null(w);
    }
}

void vos_render_stored(vos_jw *w, const char *text)
{
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    if (!v) {
        vos_jw_null(w);
        return;
    }
    write_value(w, v);
    json_decref(v);
}

void vos_render_audit(vos_jw *w, const vos_audit_row *r)
{
    vos_jw_object(w);
    vos_jw_key(w, "seq");
    vos_jw_integer(w, r->seq);
    vos_jw_key(w, "at");
    vos_jw_string(w, r->at);
    vos_jw_key(w, "actor");
    vos_jw_string(w, r->actor);
    vos_jw_key(w, "operation");
    vos_jw_string(w, r->operation);
    vos_jw_key(w, "entity_type");
    vos_jw_string(w, r->entity_type);
    vos_jw_key(w, "entity_id");
    vos_jw_integer(w, r->entity_id);
    vos_jw_key(w, "before");
    vos_render_stored(w, r->before_json);
    vos_jw_key(w, "after");
    vos_render_stored(w, r->after_json);
    vos_jw_key(w, "prev_hash");
    vos_jw_string(w, r->prev_hash);
    vos_jw_key(w, "hash");
    vos_jw_string(w, r->hash);
    vos_jw_end(w);
}

const char *vos_audit_problem_name(vos_audit_problem p)
{
    static const char *const names[] = {"ok", "gap", "link", "hash", "state", "integrity"};
    return (size_t)p < sizeof names / sizeof *names ? names[p] : "unknown";
}

void vos_render_audit_report(vos_jw *w, const vos_audit_report *r)
{
    vos_jw_object(w);
    vos_jw_key(w, "ok");
    vos_jw_bool(w, r->problem == VOS_AUDIT_OK);
    vos_jw_key(w, "records");
    vos_jw_integer(w, r->records);
    vos_jw_key(w, "head_hash");
    vos_jw_string(w, r->head_hash);
    if (r->problem != VOS_AUDIT_OK) {
        vos_jw_key(w, "problem");
        vos_jw_string(w, vos_audit_problem_name(r->problem));
        vos_jw_key(w, "seq");
        vos_jw_integer(w, r->seq);
        vos_jw_key(w, "entity_type");
        if (r->entity_type)
            vos_jw_string(w, r->entity_type);
        else
            vos_jw_null(w);
        vos_jw_key(w, "entity_id");
        if (r->entity_type)
            vos_jw_integer(w, r->entity_id);
        else
            vos_jw_null(w);
        vos_jw_key(w, "message");
        vos_jw_string(w, r->message);
    }
    vos_jw_end(w);
}
