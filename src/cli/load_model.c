#include "cli.h"

#include "vos/diag.h"
#include "vos/limits.h"
#include "vos/model.h"

#include <stdlib.h>

int cli_load_model(vos_model **out, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    *out = NULL;
    if (cli_read_file(&text, &len, path, VOS_MODEL_BYTES_MAX) < 0)
        return -1;
    vos_diags d;
    vos_diags_init(&d);
    int rc = vos_model_load(out, text, len, path, &d);
    if (rc < 0) {
        vos_diags_sort(&d);
        cli_print_diags(stderr, path, &d, 0);
        fprintf(stderr, "vos: %s: the model has %zu error(s); `vos model lint %s` shows all "
                        "problems\n",
                path, d.n_errors, path);
    }
    vos_diags_free(&d);
    free(text);
    return rc < 0 ? -1 : 0;
}
