/* JSON of changes: between two versions of a model, or two computations of a case. */
#include "render/render.h"

#include <stdio.h>
#include <string.h>

#define SCENARIO_NAME_MAX 32 /* bytes of a scenario name in a figure id, with its NUL */

static int is_figure(const vos_change *c)
{
    return strcmp(c->element, "figure") == 0;
}

static void text_field(vos_jw *w, const char *key, const char *text)
{
    vos_jw_key(w, key);
    if (text)
        vos_jw_string(w, text);
    else
        vos_jw_null(w);
}

static void element_change(vos_jw *w, const vos_change *c)
{
    vos_jw_object(w);
    text_field(w, "element", c->element);
    text_field(w, "id", c->id);
    text_field(w, "field", c->field);
    text_field(w, "before", c->before);
    text_field(w, "after", c->after);
    vos_jw_end(w);
}

/* A figure's id is "<scenario>.<figure>". */
static void figure_change(vos_jw *w, const vos_change *c)
{
    const char *id = c->id ? c->id : "";
    const char *dot = strchr(id, '.');
    char scenario[SCENARIO_NAME_MAX];
    snprintf(scenario, sizeof scenario, "%.*s", dot ? (int)(dot - id) : 0, id);
    vos_jw_object(w);
    text_field(w, "scenario", scenario);
    text_field(w, "figure", dot ? dot + 1 : id);
    vos_jw_key(w, "before");
    vos_jw_number(w, c->before_value);
    vos_jw_key(w, "after");
    vos_jw_number(w, c->after_value);
    vos_jw_key(w, "change");
    vos_jw_number(w, c->after_value - c->before_value);
    vos_jw_end(w);
}

void vos_render_changes(vos_jw *w, const vos_changes *ch)
{
    vos_jw_key(w, "changes");
    vos_jw_array(w);
    for (size_t i = 0; i < ch->n; i++)
        if (!is_figure(&ch->items[i])) element_change(w, &ch->items[i]);
    vos_jw_end(w);
    vos_jw_key(w, "figures");
    vos_jw_array(w);
    for (size_t i = 0; i < ch->n; i++)
        if (is_figure(&ch->items[i])) figure_change(w, &ch->items[i]);
    vos_jw_end(w);
}
