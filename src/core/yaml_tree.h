/* A YAML (or JSON) document as a tree of scalars, maps and lists, each node marked with the
 * line and column where it starts.  Private to libvos: the model loader builds on it.
 *
 * The tree accepts the subset of YAML that a model file needs: exactly one document, no
 * anchors, aliases or tags, no duplicate map keys, only scalar map keys, nesting of at most
 * VOS_MODEL_DEPTH_MAX, at most VOS_MODEL_NODES_MAX nodes.  Columns count characters, not
 * bytes, as libyaml does. */
#ifndef VOS_YAML_TREE_H
#define VOS_YAML_TREE_H

#include "vos/diag.h"

#include <stddef.h>

typedef enum vos_ynode_kind {
    VOS_YNODE_SCALAR = 0,
    VOS_YNODE_MAP,
    VOS_YNODE_LIST,
    VOS_YNODE_BAD /* stands for a node that was rejected and already reported (an alias) */
} vos_ynode_kind;

typedef struct vos_ynode vos_ynode;
struct vos_ynode {
    vos_ynode_kind kind;
    int line, col; /* 1-based start of the node */
    /* scalars */
    const char *text; /* NUL-terminated value (may contain NUL bytes from escapes) */
    size_t len;       /* bytes of text */
    int quoted;       /* written in single or double quotes */
    int is_null;      /* plain "", "~", "null", "Null" or "NULL" */
    int verbatim;     /* the value is written as is on one line, starting at col + quoted, so
                         that a byte offset in text maps to a column of the source */
    /* maps and lists */
    vos_ynode **items; /* lists: n items; maps: 2n entries, key then value for each pair */
    size_t n;
};

typedef struct vos_ytree vos_ytree;

/* Parses `len` bytes of UTF-8 YAML or JSON.  Every problem is added to `diags` as an error
 * with its line and column.  Returns 0 and *out (free with vos_ytree_free) when a tree could
 * be built: problems that leave the rest readable (an alias, which becomes a VOS_YNODE_BAD
 * node; an anchor or tag, ignored; a duplicate or non-text key, whose pair is dropped) are
 * reported and the tree is still returned, so that the caller can report more.  Returns
 * VOS_EINVALID (or VOS_ENOMEM) with *out NULL when the text is not readable YAML, holds no
 * document or more than one, or exceeds the depth or node limits. */
int vos_ytree_parse(vos_ytree **out, const char *text, size_t len, vos_diags *diags);

/* The document's root node.  Borrowed; valid until vos_ytree_free. */
const vos_ynode *vos_ytree_root(const vos_ytree *t);

void vos_ytree_free(vos_ytree *t);

/* Whether scalar `node` is exactly the text `s` (the length is compared too). */
int vos_ynode_is(const vos_ynode *node, const char *s);

/* The value of key `key` in map `map`, or NULL when the map has no such key (or `map` is
 * not a map). */
const vos_ynode *vos_ynode_get(const vos_ynode *map, const char *key);

/* Human name of a node's kind for messages: "text", "a map", "a list". */
const char *vos_ynode_kind_name(const vos_ynode *node);

/* The column of byte `offset` of a scalar's text: exact for verbatim scalars, else the
 * scalar's own column. */
int vos_ynode_col_at(const vos_ynode *node, size_t offset);

/* Bytes of a buffer for vos_ynode_show. */
#define VOS_YNODE_SHOW_MAX 80

/* Copies a scalar's text into buf for a message: control characters become '?', and text
 * that does not fit ends with "...".  Returns buf. */
const char *vos_ynode_show(const vos_ynode *node, char *buf, size_t size);

#endif
