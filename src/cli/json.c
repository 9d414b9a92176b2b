/* Stored JSON documents re-emitted through the JSON writer. */
#include "cli.h"

#include "vos/jsonw.h"

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

void cli_jw_stored(vos_jw *w, const char *text)
{
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    if (!v) {
        vos_jw_null(w);
        return;
    }
    write_value(w, v);
    json_decref(v);
}
