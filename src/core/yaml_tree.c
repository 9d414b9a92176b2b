/* Builds a vos_ytree from libyaml's event stream (see yaml_tree.h). */
#include "core/yaml_tree.h"

#include "vos/error.h"
#include "vos/limits.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define ARENA_CHUNK_BYTES (64 * 1024)
#define UTF8_BOM "\xEF\xBB\xBF"
#define UTF8_BOM_LEN 3

/* --- arena: every node and string of a tree lives in a few large chunks --- */

typedef struct chunk {
    struct chunk *next;
    size_t cap, used;
    max_align_t data[];
} chunk;

struct vos_ytree {
    chunk *chunks;
    vos_ynode *root;
};

static void *arena_alloc(vos_ytree *t, size_t size)
{
    size_t align = alignof(max_align_t);
    size = (size + align - 1) / align * align;
    chunk *c = t->chunks;
    if (!c || c->cap - c->used < size) {
        size_t cap = size > ARENA_CHUNK_BYTES ? size : ARENA_CHUNK_BYTES;
        c = malloc(sizeof *c + cap);
        if (!c) return NULL;
        c->cap = cap;
        c->used = 0;
        c->next = t->chunks;
        t->chunks = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    return p;
}

void vos_ytree_free(vos_ytree *t)
{
    if (!t) return;
    chunk *c = t->chunks;
    while (c) {
        chunk *next = c->next;
        free(c);
        c = next;
    }
    free(t);
}

const vos_ynode *vos_ytree_root(const vos_ytree *t)
{
    return t->root;
}

/* --- builder --- */

typedef struct frame {
    vos_ynode *node;
    vos_ynode **items; /* heap while the collection is open; moved to the arena at its end */
    size_t n, cap;
} frame;

typedef struct builder {
    vos_ytree *t;
    vos_diags *diags;
    const char *text;
    size_t len;
    size_t cur_char, cur_byte; /* a character index of libyaml and its byte offset */
    frame stack[VOS_MODEL_DEPTH_MAX];
    int depth;
    size_t nodes;
    int documents;
    int errors;
    int fatal; /* the text could not be read to its end: no tree */
    int nomem;
} builder;

static void report(builder *b, const yaml_mark_t *mark, const char *fmt, const char *arg)
{
    vos_diags_add(b->diags, VOS_DIAG_ERROR, (int)mark->line + 1, (int)mark->column + 1, fmt, arg);
    b->errors++;
}

/* Byte offset of libyaml's character index `index` (indices only grow within one parse, so
 * a forward cursor makes this linear over the whole text). */
static size_t byte_offset(builder *b, size_t index)
{
    if (index < b->cur_char) {
        b->cur_char = 0;
        b->cur_byte = 0;
    }
    while (b->cur_char < index && b->cur_byte < b->len) {
        b->cur_byte++;
        while (b->cur_byte < b->len && ((unsigned char)b->text[b->cur_byte] & 0xC0) == 0x80)
            b->cur_byte++;
        b->cur_char++;
    }
    return b->cur_byte;
}

static vos_ynode *new_node(builder *b, vos_ynode_kind kind, const yaml_mark_t *mark)
{
    if (++b->nodes > VOS_MODEL_NODES_MAX) {
        if (b->nodes == VOS_MODEL_NODES_MAX + 1) {
            vos_diags_add(b->diags, VOS_DIAG_ERROR, (int)mark->line + 1, (int)mark->column + 1,
                          "too many YAML nodes (the limit is %d)", VOS_MODEL_NODES_MAX);
            b->errors++;
        }
        return NULL;
    }
    vos_ynode *n = arena_alloc(b->t, sizeof *n);
    if (!n) {
        b->nomem = 1;
        return NULL;
    }
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->line = (int)mark->line + 1;
    n->col = (int)mark->column + 1;
    n->text = "";
    return n;
}

static int is_null_text(const char *s, size_t len)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
        if (strlen(nulls[i]) == len && memcmp(nulls[i], s, len) == 0) return 1;
    return 0;
}

/* Reports anchors and tags, which models do not use. */
static void check_decorations(builder *b, const yaml_event_t *e, const yaml_char_t *anchor,
                              const yaml_char_t *tag)
{
    if (anchor)
        report(b, &e->start_mark, "anchors are not supported ('&%s')", (const char *)anchor);
    if (tag) report(b, &e->start_mark, "tags are not supported ('%s')", (const char *)tag);
}

static vos_ynode *scalar_node(builder *b, const yaml_event_t *e)
{
    check_decorations(b, e, e->data.scalar.anchor, e->data.scalar.tag);
    vos_ynode *n = new_node(b, VOS_YNODE_SCALAR, &e->start_mark);
    if (!n) return NULL;
    size_t len = e->data.scalar.length;
    char *text = arena_alloc(b->t, len + 1);
    if (!text) {
        b->nomem = 1;
        return NULL;
    }
    memcpy(text, e->data.scalar.value, len);
    text[len] = '\0';
    n->text = text;
    n->len = len;
    yaml_scalar_style_t style = e->data.scalar.style;
    n->quoted =
        style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    n->is_null = style == YAML_PLAIN_SCALAR_STYLE && is_null_text(text, len);
    if ((style == YAML_PLAIN_SCALAR_STYLE || n->quoted) && e->start_mark.line == e->end_mark.line) {
        size_t at = byte_offset(b, e->start_mark.index) + (size_t)n->quoted;
        n->verbatim = at <= b->len && b->len - at >= len && memcmp(b->text + at, text, len) == 0;
    }
    return n;
}

/* Adds `n` to the open collection, or makes it the root. */
static void attach(builder *b, vos_ynode *n)
{
    if (b->depth == 0) {
        if (!b->t->root) b->t->root = n;
        return;
    }
    frame *f = &b->stack[b->depth - 1];
    if (f->node->kind == VOS_YNODE_MAP && f->n % 2 == 0 && n->kind != VOS_YNODE_SCALAR &&
        n->kind != VOS_YNODE_BAD) {
        vos_diags_add(b->diags, VOS_DIAG_ERROR, n->line, n->col, "map keys must be text, not %s",
                      vos_ynode_kind_name(n));
        b->errors++;
    }
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        vos_ynode **items = realloc(f->items, cap * sizeof *items);
        if (!items) {
            b->nomem = 1;
            return;
        }
        f->items = items;
        f->cap = cap;
    }
    f->items[f->n++] = n;
}

static int open_collection(builder *b, const yaml_event_t *e, vos_ynode_kind kind)
{
    if (kind == VOS_YNODE_MAP)
        check_decorations(b, e, e->data.mapping_start.anchor, e->data.mapping_start.tag);
    else
        check_decorations(b, e, e->data.sequence_start.anchor, e->data.sequence_start.tag);
    if (b->depth >= VOS_MODEL_DEPTH_MAX) {
        vos_diags_add(b->diags, VOS_DIAG_ERROR, (int)e->start_mark.line + 1,
                      (int)e->start_mark.column + 1, "nesting deeper than %d levels",
                      VOS_MODEL_DEPTH_MAX);
        b->errors++;
        return -1;
    }
    vos_ynode *n = new_node(b, kind, &e->start_mark);
    if (!n) return -1;
    attach(b, n);
    frame *f = &b->stack[b->depth++];
    memset(f, 0, sizeof *f);
    f->node = n;
    return 0;
}

typedef struct keyref {
    const char *text;
    size_t len, pair;
} keyref;

static int keyref_cmp(const void *pa, const void *pb)
{
    const keyref *a = pa, *b = pb;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->text, b->text, n);
    if (c) return c;
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    return a->pair < b->pair ? -1 : a->pair > b->pair;
}

/* Drops pairs whose key is not text (reported when attached) or repeats an earlier key
 * (reported here, at the repeated key). */
static void dedupe_keys(builder *b, frame *f)
{
    size_t pairs = f->n / 2;
    if (pairs == 0) return;
    keyref *refs = malloc(pairs * sizeof *refs);
    unsigned char *drop = calloc(pairs, 1);
    if (!refs || !drop) {
        b->nomem = 1;
        goto out;
    }
    size_t nref = 0;
    for (size_t i = 0; i < pairs; i++) {
        const vos_ynode *k = f->items[2 * i];
        if (k->kind != VOS_YNODE_SCALAR) {
            drop[i] = 1;
            continue;
        }
        refs[nref++] = (keyref){k->text, k->len, i};
    }
    qsort(refs, nref, sizeof *refs, keyref_cmp);
    size_t first = 0;
    for (size_t i = 1; i < nref; i++) {
        if (refs[i].len != refs[first].len ||
            memcmp(refs[i].text, refs[first].text, refs[i].len) != 0) {
            first = i;
            continue;
        }
        const vos_ynode *k = f->items[2 * refs[i].pair];
        const vos_ynode *k0 = f->items[2 * refs[first].pair];
        char shown[VOS_YNODE_SHOW_MAX];
        vos_diags_add(b->diags, VOS_DIAG_ERROR, k->line, k->col,
                      "duplicate key '%s' (first at line %d)",
                      vos_ynode_show(k, shown, sizeof shown), k0->line);
        b->errors++;
        drop[refs[i].pair] = 1;
    }
    size_t w = 0;
    for (size_t i = 0; i < pairs; i++) {
        if (drop[i]) continue;
        f->items[2 * w] = f->items[2 * i];
        f->items[2 * w + 1] = f->items[2 * i + 1];
        w++;
    }
    f->n = 2 * w;
out:
    free(refs);
    free(drop);
}

static void close_collection(builder *b)
{
    frame *f = &b->stack[--b->depth];
    vos_ynode *n = f->node;
    if (n->kind == VOS_YNODE_MAP) {
        if (f->n % 2) f->n--; /* cannot happen with a well-formed event stream */
        dedupe_keys(b, f);
        n->n = f->n / 2;
    } else {
        n->n = f->n;
    }
    if (f->n) {
        n->items = arena_alloc(b->t, f->n * sizeof *n->items);
        if (n->items)
            memcpy(n->items, f->items, f->n * sizeof *n->items);
        else {
            b->nomem = 1;
            n->n = 0;
        }
    }
    free(f->items);
    memset(f, 0, sizeof *f);
}

/* Reports libyaml's error with its position. */
static void report_parser_error(builder *b, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR) {
        b->nomem = 1;
        return;
    }
    const char *problem = p->problem ? p->problem : "malformed YAML";
    int line = 1, col = 1;
    if (p->error == YAML_READER_ERROR) {
        size_t off = p->problem_offset < b->len ? p->problem_offset : b->len;
        for (size_t i = 0; i < off; i++) {
            if (b->text[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)b->text[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        vos_diags_add(b->diags, VOS_DIAG_ERROR, line, col, "invalid text: %s", problem);
    } else if (p->context) {
        vos_diags_add(b->diags, VOS_DIAG_ERROR, (int)p->problem_mark.line + 1,
                      (int)p->problem_mark.column + 1, "YAML syntax: %s (%s at line %d, column %d)",
                      problem, p->context, (int)p->context_mark.line + 1,
                      (int)p->context_mark.column + 1);
    } else {
        vos_diags_add(b->diags, VOS_DIAG_ERROR, (int)p->problem_mark.line + 1,
                      (int)p->problem_mark.column + 1, "YAML syntax: %s", problem);
    }
    b->errors++;
}

/* Handles one event; returns 1 to go on, 0 at the end of the stream, -1 to stop. */
static int on_event(builder *b, const yaml_event_t *e)
{
    vos_ynode *n;
    switch (e->type) {
    case YAML_STREAM_END_EVENT:
        return 0;
    case YAML_DOCUMENT_START_EVENT:
        if (++b->documents > 1) {
            report(b, &e->start_mark, "a model file holds one YAML document%s",
                   "; another one starts here");
            return -1;
        }
        return 1;
    case YAML_SCALAR_EVENT:
        n = scalar_node(b, e);
        if (!n) return -1;
        attach(b, n);
        return 1;
    case YAML_ALIAS_EVENT:
        report(b, &e->start_mark, "aliases are not supported ('*%s')",
               (const char *)e->data.alias.anchor);
        n = new_node(b, VOS_YNODE_BAD, &e->start_mark);
        if (!n) return -1;
        attach(b, n);
        return 1;
    case YAML_SEQUENCE_START_EVENT:
        return open_collection(b, e, VOS_YNODE_LIST) == 0 ? 1 : -1;
    case YAML_MAPPING_START_EVENT:
        return open_collection(b, e, VOS_YNODE_MAP) == 0 ? 1 : -1;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (b->depth > 0) close_collection(b);
        return 1;
    default:
        return 1;
    }
}

int vos_ytree_parse(vos_ytree **out, const char *text, size_t len, vos_diags *diags)
{
    *out = NULL;
    if (len >= UTF8_BOM_LEN && memcmp(text, UTF8_BOM, UTF8_BOM_LEN) == 0) {
        text += UTF8_BOM_LEN; /* libyaml reads a BOM only when it detects the encoding itself */
        len -= UTF8_BOM_LEN;
    }
    builder b;
    memset(&b, 0, sizeof b);
    b.diags = diags;
    b.text = text;
    b.len = len;
    b.t = calloc(1, sizeof *b.t);
    if (!b.t) return vos_error_set(VOS_ENOMEM, "out of memory");

    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        free(b.t);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            report_parser_error(&b, &p);
            b.fatal = 1;
            break;
        }
        int go = on_event(&b, &e);
        yaml_event_delete(&e);
        if (go < 0) b.fatal = 1;
        if (go <= 0 || b.nomem) break;
    }
    yaml_parser_delete(&p);
    while (b.depth > 0)
        close_collection(&b);

    if (b.nomem) {
        vos_diags_add(diags, VOS_DIAG_ERROR, 0, 0, "out of memory");
        vos_ytree_free(b.t);
        return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    if (!b.errors && !b.t->root) {
        vos_diags_add(diags, VOS_DIAG_ERROR, 0, 0, "empty file: expected a model");
        b.errors++;
    }
    if (b.errors && (b.fatal || !b.t->root)) {
        vos_ytree_free(b.t);
        return vos_error_set(VOS_EINVALID, "the file is not valid YAML for a model");
    }
    *out = b.t;
    return 0;
}

/* --- queries --- */

int vos_ynode_is(const vos_ynode *node, const char *s)
{
    size_t n = strlen(s);
    return node && node->kind == VOS_YNODE_SCALAR && node->len == n &&
           memcmp(node->text, s, n) == 0;
}

const vos_ynode *vos_ynode_get(const vos_ynode *map, const char *key)
{
    if (!map || map->kind != VOS_YNODE_MAP) return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (vos_ynode_is(map->items[2 * i], key)) return map->items[2 * i + 1];
    return NULL;
}

const char *vos_ynode_kind_name(const vos_ynode *node)
{
    switch (node->kind) {
    case VOS_YNODE_MAP:
        return "a map";
    case VOS_YNODE_LIST:
        return "a list";
    case VOS_YNODE_SCALAR:
        return node->is_null ? "nothing" : "text";
    default:
        return "an alias";
    }
}

int vos_ynode_col_at(const vos_ynode *node, size_t offset)
{
    if (node->kind != VOS_YNODE_SCALAR || !node->verbatim) return node->col;
    if (offset > node->len) offset = node->len;
    int col = node->col + node->quoted;
    for (size_t i = 0; i < offset; i++)
        if (((unsigned char)node->text[i] & 0xC0) != 0x80) col++;
    return col;
}

const char *vos_ynode_show(const vos_ynode *node, char *buf, size_t size)
{
    static const char ellipsis[] = "...";
    size_t n = 0, i = 0;
    const char *s = node->kind == VOS_YNODE_SCALAR ? node->text : "";
    size_t len = node->kind == VOS_YNODE_SCALAR ? node->len : 0;
    if (size < sizeof ellipsis + 1) {
        if (size) buf[0] = '\0';
        return buf;
    }
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t clen = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (i + clen > len) clen = len - i;
        if (n + clen + sizeof ellipsis > size) {
            memcpy(buf + n, ellipsis, sizeof ellipsis);
            return buf;
        }
        if (c < 0x20 || c == 0x7F) {
            buf[n++] = '?';
            i++;
            continue;
        }
        memcpy(buf + n, s + i, clen);
        n += clen;
        i += clen;
    }
    buf[n] = '\0';
    return buf;
}
