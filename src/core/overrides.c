/* Input overrides of a case, read from YAML or JSON text. */
#include "engine_int.h"

#include "yaml_tree.h"
#include "vos/error.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Reads a number in the input's unit from a scalar: a plain number, or a quantity whose unit
 * converts to the input's unit. */
static int scalar_value(double *out, const vos_ynode *n, const vos_model *m, const vos_input *in,
                        const char *field, vos_diags *diags)
{
    if (n->kind != VOS_YNODE_SCALAR || n->is_null) {
        vos_diags_add(diags, VOS_DIAG_ERROR, n->line, n->col,
                      "input '%s': %s must be a number, not %s", in->id, field,
                      vos_ynode_kind_name(n));
        return -1;
    }
    char *end;
    errno = 0;
    double v = strtod(n->text, &end);
    if (end != n->text && *end == '\0' && errno == 0 && isfinite(v)) {
        *out = v;
        return 0;
    }
    vos_unit u;
    size_t off = 0;
    if (vos_quantity_parse(&v, &u, n->text, m->currency, &off) < 0) {
        vos_diags_add(diags, VOS_DIAG_ERROR, n->line, vos_ynode_col_at(n, off),
                      "input '%s': %s: %s", in->id, field, vos_error_last());
        return -1;
    }
    if (!isfinite(v) || vos_unit_convert(&v, &u, &in->unit, m->currency) < 0) {
        vos_diags_add(diags, VOS_DIAG_ERROR, n->line, n->col, "input '%s': %s: %s", in->id,
                      field, isfinite(v) ? vos_error_last() : "not a finite number");
        return -1;
    }
    *out = v;
    return 0;
}

static int one_override(vos_case *c, const vos_ynode *key, const vos_ynode *val,
                        vos_diags *diags)
{
    const vos_model *m = c->model;
    long i = vos_model_find_input(m, key->text);
    if (i < 0) {
        vos_diags_add(diags, VOS_DIAG_ERROR, key->line, key->col,
                      "unknown input '%s' (model %s has no such input)", key->text, m->id);
        return -1;
    }
    const vos_input *in = &m->inputs[i];
    vos_input_override ov = {0};
    if (val->kind == VOS_YNODE_SCALAR) {
        if (scalar_value(&ov.value, val, m, in, "value", diags) < 0)
            return -1;
        ov.has_value = 1;
    } else if (val->kind == VOS_YNODE_MAP) {
        int bad = 0;
        for (size_t k = 0; k < val->n; k++) {
            const vos_ynode *f = val->items[2 * k], *v = val->items[2 * k + 1];
            double *dst = vos_ynode_is(f, "value") ? &ov.value
                          : vos_ynode_is(f, "low") ? &ov.low
                          : vos_ynode_is(f, "high") ? &ov.high
                                                    : NULL;
            if (!dst) {
                vos_diags_add(diags, VOS_DIAG_ERROR, f->line, f->col,
                              "input '%s': unknown key '%s' (value, low, high)", in->id, f->text);
                bad = 1;
                continue;
            }
            if (scalar_value(dst, v, m, in, f->text, diags) < 0) {
                bad = 1;
                continue;
            }
            ov.has_value |= dst == &ov.value;
            ov.has_low |= dst == &ov.low;
            ov.has_high |= dst == &ov.high;
        }
        if (bad)
            return -1;
    } else {
        vos_diags_add(diags, VOS_DIAG_ERROR, val->line, val->col,
                      "input '%s': expected a number or a map of value, low, high; got %s",
                      in->id, vos_ynode_kind_name(val));
        return -1;
    }
    if (vos_case_override(c, (size_t)i, &ov) < 0) {
        vos_diags_add(diags, VOS_DIAG_ERROR, val->line, val->col, "%s", vos_error_last());
        return -1;
    }
    return 0;
}

int vos_case_load_overrides(vos_case *c, const char *text, size_t len, vos_diags *diags)
{
    const vos_model *m = c->model;
    vos_ytree *tree = NULL;
    size_t n_in = m->n_inputs ? m->n_inputs : 1;
    vos_dist *saved = malloc(n_in * sizeof *saved);
    int rc = VOS_EINVALID;
    if (!saved)
        return vos_error_set(VOS_ENOMEM, "out of memory");
    memcpy(saved, c->dists, m->n_inputs * sizeof *saved);
    if (vos_ytree_parse(&tree, text, len, diags) < 0)
        goto out;
    const vos_ynode *root = vos_ytree_root(tree);
    if (root->kind == VOS_YNODE_SCALAR && root->is_null) {
        rc = 0; /* an empty file overrides nothing */
        goto out;
    }
    if (root->kind != VOS_YNODE_MAP) {
        vos_diags_add(diags, VOS_DIAG_ERROR, root->line, root->col,
                      "overrides must be a map from input id to a value; got %s",
                      vos_ynode_kind_name(root));
        goto out;
    }
    int bad = 0;
    for (size_t k = 0; k < root->n; k++)
        bad |= one_override(c, root->items[2 * k], root->items[2 * k + 1], diags) < 0;
    rc = bad ? VOS_EINVALID : 0;
out:
    if (rc < 0) {
        memcpy(c->dists, saved, m->n_inputs * sizeof *saved);
        vos_error_set(rc, "the overrides have %zu error(s)", diags->n_errors);
    }
    c->ends_valid = 0;
    free(saved);
    vos_ytree_free(tree);
    return rc;
}
