/* The blueprint loader: YAML or JSON text -> a validated vos_blueprint (vos/maturity.h; the
 * shape is that of models/maturity/value-blueprint-v1.yaml, described in docs/maturity.md).
 *
 * The parsed tree is kept inside the blueprint and every text points into it, so loading
 * copies no strings.  Like the model loader, every problem is reported with its line and
 * column and loading goes on, so that one run lists every problem of a file. */
#include "vos/maturity.h"

#include "core/yaml_tree.h"
#include "vos/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WHERE_MAX 160 /* bytes of a "where" prefix in messages */

typedef struct loader {
    vos_diags *diags;
    vos_blueprint *bp;
    int bad;   /* an error was reported */
    int nomem; /* an allocation failed */
    int big;   /* a count limit was passed */
} loader;

static void problem(loader *L, const vos_ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(loader *L, const vos_ynode *n, const char *fmt, ...)
{
    char msg[VOS_DIAG_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    vos_diags_add(L->diags, VOS_DIAG_ERROR, n ? n->line : 0, n ? n->col : 0, "%s", msg);
    L->bad = 1;
}

/* Every key of `map` must be one of `allowed` (NULL-terminated). */
static void check_keys(loader *L, const vos_ynode *map, const char *where,
                       const char *const *allowed)
{
    for (size_t i = 0; i < map->n; i++) {
        const vos_ynode *k = map->items[2 * i];
        int ok = 0;
        for (size_t a = 0; allowed[a] && !ok; a++)
            ok = vos_ynode_is(k, allowed[a]);
        if (ok) continue;
        char shown[VOS_YNODE_SHOW_MAX], list[WHERE_MAX] = "";
        size_t len = 0;
        for (size_t a = 0; allowed[a] && len < sizeof list; a++)
            len +=
                (size_t)snprintf(list + len, sizeof list - len, "%s%s", a ? ", " : "", allowed[a]);
        problem(L, k, "%s: unknown key '%s' (the keys are %s)", where,
                vos_ynode_show(k, shown, sizeof shown), list);
    }
}

/* A text (a non-empty scalar without NUL bytes), reported when it is not one. */
static const char *text_node(loader *L, const vos_ynode *n, const char *where)
{
    if (n->kind != VOS_YNODE_SCALAR) {
        if (n->kind != VOS_YNODE_BAD)
            problem(L, n, "%s must be text, not %s", where, vos_ynode_kind_name(n));
        return NULL;
    }
    if (n->is_null || n->len == 0) {
        problem(L, n, "%s is empty", where);
        return NULL;
    }
    if (strlen(n->text) != n->len) {
        problem(L, n, "%s holds a NUL character", where);
        return NULL;
    }
    return n->text;
}

/* The text of `key` in `map` (required). */
static const char *text_field(loader *L, const vos_ynode *map, const char *key, const char *where)
{
    const vos_ynode *n = vos_ynode_get(map, key);
    if (!n) {
        problem(L, map, "%s needs %s", where, key);
        return NULL;
    }
    char w[WHERE_MAX];
    snprintf(w, sizeof w, "%s %s", where, key);
    return text_node(L, n, w);
}

/* A whole number field; 0 when missing or malformed (reported). */
static int int_field(loader *L, const vos_ynode *map, const char *key, const char *where)
{
    const char *s = text_field(L, map, key, where);
    if (!s) return 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 1 || v > VOS_MATURITY_STAGES) {
        problem(L, vos_ynode_get(map, key), "%s %s must be a stage number 1..%d, not '%s'", where,
                key, VOS_MATURITY_STAGES, s);
        return 0;
    }
    return (int)v;
}

/* A key: [a-z][a-z0-9_]*, at most VOS_ID_MAX characters (the store's key format). */
static const char *key_field(loader *L, const vos_ynode *map, const char *where)
{
    const char *s = text_field(L, map, "key", where);
    if (!s) return NULL;
    size_t n = strlen(s);
    int ok = n <= VOS_ID_MAX && s[0] >= 'a' && s[0] <= 'z';
    for (size_t i = 1; ok && i < n; i++)
        ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_';
    if (!ok) {
        problem(L, vos_ynode_get(map, "key"),
                "%s key '%s' must be lower-case letters, digits and _ (a letter first, at most "
                "%d)",
                where, s, VOS_ID_MAX);
        return NULL;
    }
    return s;
}

/* A list node of `key` in `map` with lo..hi items (reported otherwise; NULL then). */
static const vos_ynode *list_field(loader *L, const vos_ynode *map, const char *key,
                                   const char *where, size_t lo, size_t hi)
{
    const vos_ynode *n = vos_ynode_get(map, key);
    if (!n) {
        problem(L, map, "%s needs %s", where, key);
        return NULL;
    }
    if (n->kind != VOS_YNODE_LIST) {
        if (n->kind != VOS_YNODE_BAD)
            problem(L, n, "%s %s must be a list, not %s", where, key, vos_ynode_kind_name(n));
        return NULL;
    }
    if (n->n < lo || n->n > hi) {
        if (n->n > hi) L->big = 1;
        if (lo == hi)
            problem(L, n, "%s %s must list exactly %zu, not %zu", where, key, lo, n->n);
        else
            problem(L, n, "%s %s must list %zu to %zu, not %zu", where, key, lo, hi, n->n);
        return NULL;
    }
    return n;
}

static int is_map(loader *L, const vos_ynode *n, const char *where)
{
    if (n->kind == VOS_YNODE_MAP) return 1;
    if (n->kind != VOS_YNODE_BAD)
        problem(L, n, "%s must be a map, not %s", where, vos_ynode_kind_name(n));
    return 0;
}

static void *alloc_array(loader *L, size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) L->nomem = 1;
    return p;
}

/* ---- header and stages ---- */

/* The id: [a-z0-9][a-z0-9._-]*, at most VOS_ID_MAX characters (the store's model-id format). */
static void header(loader *L, const vos_ynode *root)
{
    static const char *const keys[] = {"blueprint", "version",     "source", "stages",
                                       "pillars",   "transitions", NULL};
    check_keys(L, root, "the blueprint", keys);
    vos_blueprint *bp = L->bp;
    bp->id = text_field(L, root, "blueprint", "the file");
    bp->version = text_field(L, root, "version", "the blueprint");
    bp->source = text_field(L, root, "source", "the blueprint");
    const char *s = bp->id;
    size_t n = s ? strlen(s) : 0;
    int ok = n >= 1 && n <= VOS_ID_MAX;
    for (size_t i = 0; ok && i < n; i++)
        ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
             (i > 0 && (s[i] == '.' || s[i] == '_' || s[i] == '-'));
    if (s && !ok)
        problem(L, vos_ynode_get(root, "blueprint"),
                "the blueprint id '%s' must be lower-case letters, digits, '.', '_' and '-' (at "
                "most %d)",
                s, VOS_ID_MAX);
    if (bp->version && strlen(bp->version) > VOS_ID_MAX)
        problem(L, vos_ynode_get(root, "version"), "the version is longer than %d characters",
                VOS_ID_MAX);
}

static void stages(loader *L, const vos_ynode *root)
{
    const vos_ynode *list =
        list_field(L, root, "stages", "the blueprint", VOS_MATURITY_STAGES, VOS_MATURITY_STAGES);
    for (size_t i = 0; list && i < list->n; i++) {
        char where[WHERE_MAX];
        snprintf(where, sizeof where, "stage %zu", i + 1);
        const vos_ynode *m = list->items[i];
        if (!is_map(L, m, where)) continue;
        static const char *const keys[] = {"number",  "numeral",  "key", "name",
                                           "tagline", "equation", NULL};
        check_keys(L, m, where, keys);
        vos_bp_stage *s = &L->bp->stages[i];
        s->number = int_field(L, m, "number", where);
        if (s->number && s->number != (int)i + 1)
            problem(L, vos_ynode_get(m, "number"), "%s has number %d: stages go 1 to %d in order",
                    where, s->number, VOS_MATURITY_STAGES);
        s->numeral = text_field(L, m, "numeral", where);
        s->key = key_field(L, m, where);
        s->name = text_field(L, m, "name", where);
        s->tagline = text_field(L, m, "tagline", where);
        s->equation = text_field(L, m, "equation", where);
    }
}

/* ---- pillars and dimensions ---- */

static int key_taken(const vos_blueprint *bp, size_t n_dims, const char *key)
{
    for (size_t i = 0; i < n_dims; i++)
        if (bp->dimensions[i].key && strcmp(bp->dimensions[i].key, key) == 0) return 1;
    return 0;
}

static void dimension(loader *L, const vos_ynode *m, size_t pillar, size_t index)
{
    char where[WHERE_MAX];
    const vos_ynode *k = m->kind == VOS_YNODE_MAP ? vos_ynode_get(m, "key") : NULL;
    char shown[VOS_YNODE_SHOW_MAX];
    if (k && k->kind == VOS_YNODE_SCALAR)
        snprintf(where, sizeof where, "dimension '%s'", vos_ynode_show(k, shown, sizeof shown));
    else
        snprintf(where, sizeof where, "dimension %zu", index + 1);
    if (!is_map(L, m, where)) return;
    static const char *const keys[] = {"key", "name", "stages", NULL};
    check_keys(L, m, where, keys);
    vos_bp_dimension *d = &L->bp->dimensions[index];
    d->pillar = pillar;
    const char *key = key_field(L, m, where);
    if (key && key_taken(L->bp, index, key))
        problem(L, k, "%s: the key is taken by another dimension", where);
    else
        d->key = key;
    d->name = text_field(L, m, "name", where);
    const vos_ynode *st =
        list_field(L, m, "stages", where, VOS_MATURITY_STAGES, VOS_MATURITY_STAGES);
    for (size_t s = 0; st && s < st->n; s++) {
        char w[WHERE_MAX + 32];
        snprintf(w, sizeof w, "%s stage %zu", where, s + 1);
        d->stages[s] = text_node(L, st->items[s], w);
    }
}

/* The number of dimensions of every pillar together, 0 when one is malformed. */
static size_t count_dimensions(const vos_ynode *list)
{
    size_t total = 0;
    for (size_t i = 0; i < list->n; i++) {
        const vos_ynode *dims = vos_ynode_get(list->items[i], "dimensions");
        if (dims && dims->kind == VOS_YNODE_LIST) total += dims->n;
    }
    return total;
}

static void pillar(loader *L, const vos_ynode *m, size_t index, size_t *n_dims)
{
    char where[WHERE_MAX];
    snprintf(where, sizeof where, "pillar %zu", index + 1);
    if (!is_map(L, m, where)) return;
    static const char *const keys[] = {"key", "name", "dimensions", NULL};
    check_keys(L, m, where, keys);
    vos_bp_pillar *p = &L->bp->pillars[index];
    p->key = key_field(L, m, where);
    for (size_t i = 0; p->key && i < index; i++)
        if (L->bp->pillars[i].key && strcmp(L->bp->pillars[i].key, p->key) == 0)
            problem(L, vos_ynode_get(m, "key"), "%s: the key is taken by another pillar", where);
    p->name = text_field(L, m, "name", where);
    const vos_ynode *dims = list_field(L, m, "dimensions", where, 1, VOS_BLUEPRINT_DIMENSIONS_MAX);
    p->first = *n_dims;
    for (size_t i = 0; dims && i < dims->n; i++)
        dimension(L, dims->items[i], index, (*n_dims)++);
    p->n = *n_dims - p->first;
}

static void pillars(loader *L, const vos_ynode *root)
{
    const vos_ynode *list =
        list_field(L, root, "pillars", "the blueprint", 1, VOS_BLUEPRINT_PILLARS_MAX);
    if (!list) return;
    size_t total = count_dimensions(list);
    if (total > VOS_BLUEPRINT_DIMENSIONS_MAX) {
        L->big = 1;
        problem(L, list, "the blueprint has %zu dimensions; at most %d are allowed", total,
                VOS_BLUEPRINT_DIMENSIONS_MAX);
        return;
    }
    vos_blueprint *bp = L->bp;
    bp->pillars = alloc_array(L, list->n, sizeof *bp->pillars);
    bp->dimensions = alloc_array(L, total, sizeof *bp->dimensions);
    if (!bp->pillars || !bp->dimensions) return;
    bp->n_pillars = list->n;
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++)
        pillar(L, list->items[i], i, &n);
    bp->n_dimensions = n;
}

/* ---- transitions ---- */

static void action(loader *L, const vos_ynode *n, vos_bp_action *a, const char *where)
{
    if (n->kind == VOS_YNODE_SCALAR) {
        a->text = text_node(L, n, where);
        return;
    }
    if (!is_map(L, n, where)) return;
    static const char *const keys[] = {"text", "steps", NULL};
    check_keys(L, n, where, keys);
    a->text = text_field(L, n, "text", where);
    const vos_ynode *steps = list_field(L, n, "steps", where, 1, VOS_BLUEPRINT_STEPS_MAX);
    if (!steps) return;
    a->steps = alloc_array(L, steps->n, sizeof *a->steps);
    if (!a->steps) return;
    a->n_steps = steps->n;
    for (size_t i = 0; i < steps->n; i++) {
        char w[WHERE_MAX + 64];
        snprintf(w, sizeof w, "%s step %zu", where, i + 1);
        a->steps[i] = text_node(L, steps->items[i], w);
    }
}

static void transition(loader *L, const vos_ynode *m, size_t index)
{
    char where[WHERE_MAX];
    snprintf(where, sizeof where, "transition %zu", index + 1);
    if (!is_map(L, m, where)) return;
    static const char *const keys[] = {"from", "to", "title", "actions", NULL};
    check_keys(L, m, where, keys);
    vos_bp_transition *t = &L->bp->transitions[index];
    t->from = int_field(L, m, "from", where);
    t->to = int_field(L, m, "to", where);
    if ((t->from && t->from != (int)index + 1) || (t->to && t->to != (int)index + 2))
        problem(L, m,
                "%s goes from %d to %d: transitions go from each stage to the next, in "
                "order (1 to 2, 2 to 3, ...)",
                where, t->from, t->to);
    t->title = text_field(L, m, "title", where);
    const vos_ynode *list = list_field(L, m, "actions", where, 1, VOS_BLUEPRINT_ACTIONS_MAX);
    if (!list) return;
    t->actions = alloc_array(L, list->n, sizeof *t->actions);
    if (!t->actions) return;
    t->n_actions = list->n;
    for (size_t i = 0; i < list->n; i++) {
        char w[WHERE_MAX + 32];
        snprintf(w, sizeof w, "%s action %zu", where, i + 1);
        action(L, list->items[i], &t->actions[i], w);
    }
}

static void transitions(loader *L, const vos_ynode *root)
{
    const vos_ynode *list = list_field(L, root, "transitions", "the blueprint",
                                       VOS_MATURITY_TRANSITIONS, VOS_MATURITY_TRANSITIONS);
    for (size_t i = 0; list && i < list->n; i++)
        transition(L, list->items[i], i);
}

/* ---- loading ---- */

void vos_blueprint_free(vos_blueprint *bp)
{
    if (!bp) return;
    for (size_t t = 0; t < VOS_MATURITY_TRANSITIONS; t++) {
        for (size_t i = 0; i < bp->transitions[t].n_actions; i++)
            free(bp->transitions[t].actions[i].steps);
        free(bp->transitions[t].actions);
    }
    free(bp->pillars);
    free(bp->dimensions);
    vos_ytree_free(bp->tree_);
    free(bp);
}

int vos_blueprint_load(vos_blueprint **out, const char *text, size_t len, vos_diags *diags)
{
    *out = NULL;
    if (len > VOS_BLUEPRINT_BYTES_MAX)
        return vos_error_set(VOS_ETOOLARGE, "the blueprint is larger than %d bytes",
                             VOS_BLUEPRINT_BYTES_MAX);
    vos_blueprint *bp = calloc(1, sizeof *bp);
    if (!bp) return vos_error_set(VOS_ENOMEM, "out of memory loading the blueprint");
    size_t before = diags->n_errors;
    int rc = vos_ytree_parse(&bp->tree_, text, len, diags);
    if (rc < 0) {
        vos_blueprint_free(bp);
        return rc == VOS_ENOMEM ? rc : vos_error_set(rc, "the blueprint is not readable YAML");
    }
    loader L = {diags, bp, 0, 0, 0};
    const vos_ynode *root = vos_ytree_root(bp->tree_);
    if (diags->n_errors > before) L.bad = 1;
    if (is_map(&L, root, "the blueprint")) {
        header(&L, root);
        stages(&L, root);
        pillars(&L, root);
        transitions(&L, root);
    }
    if (L.nomem || L.bad) {
        vos_blueprint_free(bp);
        if (L.nomem) return vos_error_set(VOS_ENOMEM, "out of memory loading the blueprint");
        size_t n = diags->n_errors - before;
        return vos_error_set(L.big ? VOS_ETOOLARGE : VOS_EINVALID, "the blueprint has %zu %s", n,
                             n == 1 ? "error" : "errors");
    }
    *out = bp;
    return 0;
}

int vos_blueprint_dimension(const vos_blueprint *bp, const char *key)
{
    for (size_t i = 0; key && i < bp->n_dimensions; i++)
        if (strcmp(bp->dimensions[i].key, key) == 0) return (int)i;
    return -1;
}
