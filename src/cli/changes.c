/* Rendering of changes: between two versions of a model, or two computations of a case. */
#include "cli.h"

#include "vos/app.h"
#include "vos/number.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_SHOWN_MAX 60 /* characters of a before/after text shown in a table */

typedef enum { FIG_MONEY, FIG_PERCENT, FIG_MONTHS } figure_kind;

/* How a figure is read, from its name ("expected.irr", "optimistic.payback_months"). */
static figure_kind kind_of(const char *id)
{
    const char *dot = strchr(id, '.');
    const char *name = dot ? dot + 1 : id;
    if (strstr(name, "irr") || strstr(name, "roi")) return FIG_PERCENT;
    if (strstr(name, "payback")) return FIG_MONTHS;
    return FIG_MONEY;
}

static void format_figure(char *buf, size_t size, figure_kind k, double x, int sign)
{
    if (!isfinite(x)) {
        snprintf(buf, size, "n/a");
        return;
    }
    char num[64];
    const char *suffix = "";
    if (k == FIG_PERCENT) {
        vos_num_grouped(num, sizeof num, x * 100, 1);
        suffix = sign ? " pp" : "%";
    } else if (k == FIG_MONTHS) {
        vos_num_grouped(num, sizeof num, x, 1);
    } else {
        vos_num_grouped(num, sizeof num, x, 0);
    }
    int positive = num[0] != '-' && strspn(num, "0.,") != strlen(num);
    snprintf(buf, size, "%s%s%s", sign && positive ? "+" : "", num, suffix);
}

static void shorten(char *buf, size_t size, const char *text)
{
    snprintf(buf, size, "%s", text ? text : "");
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\t') *p = ' ';
    if (strlen(buf) > TEXT_SHOWN_MAX && size > TEXT_SHOWN_MAX)
        memcpy(buf + TEXT_SHOWN_MAX - 3, "...", 4);
}

static int is_figure(const vos_change *c)
{
    return strcmp(c->element, "figure") == 0;
}

static void print_elements(const vos_changes *ch, cli_table *t)
{
    cli_table_init(t, 5, 0);
    cli_table_cell(t, "element");
    cli_table_cell(t, "id");
    cli_table_cell(t, "change");
    cli_table_cell(t, "before");
    cli_table_cell(t, "after");
    for (size_t i = 0; i < ch->n; i++) {
        const vos_change *c = &ch->items[i];
        if (is_figure(c)) continue;
        char before[TEXT_SHOWN_MAX + 8], after[TEXT_SHOWN_MAX + 8];
        shorten(before, sizeof before, c->before);
        shorten(after, sizeof after, c->after);
        cli_table_cell(t, "%s", c->element);
        cli_table_cell(t, "%s", c->id ? c->id : "");
        cli_table_cell(t, "%s", c->field ? c->field : "");
        cli_table_cell(t, "%s", before);
        cli_table_cell(t, "%s", after);
    }
}

static void print_figures(const vos_changes *ch, cli_table *t)
{
    cli_table_init(t, 5, 0x1Cu);
    cli_table_cell(t, "scenario");
    cli_table_cell(t, "figure");
    cli_table_cell(t, "before");
    cli_table_cell(t, "after");
    cli_table_cell(t, "change");
    for (size_t i = 0; i < ch->n; i++) {
        const vos_change *c = &ch->items[i];
        if (!is_figure(c)) continue;
        const char *dot = c->id ? strchr(c->id, '.') : NULL;
        figure_kind k = kind_of(c->id ? c->id : "");
        char before[64], after[64], change[64];
        format_figure(before, sizeof before, k, c->before_value, 0);
        format_figure(after, sizeof after, k, c->after_value, 0);
        format_figure(change, sizeof change, k, c->after_value - c->before_value, 1);
        cli_table_cell(t, "%.*s", dot ? (int)(dot - c->id) : 0, c->id ? c->id : "");
        cli_table_cell(t, "%s", dot ? dot + 1 : (c->id ? c->id : ""));
        cli_table_cell(t, "%s", before);
        cli_table_cell(t, "%s", after);
        cli_table_cell(t, "%s", change);
    }
}

int cli_print_changes(const vos_changes *ch)
{
    size_t n_fig = 0;
    for (size_t i = 0; i < ch->n; i++)
        n_fig += is_figure(&ch->items[i]);
    int rc = CLI_OK;
    cli_table t;
    if (ch->n - n_fig == 0) {
        printf("no element of the model changed\n");
    } else {
        printf("Model changes\n");
        print_elements(ch, &t);
        rc = cli_table_print(stdout, &t);
        cli_table_free(&t);
    }
    if (n_fig) {
        printf("\nFigures (expected, conservative and optimistic scenarios)\n");
        print_figures(ch, &t);
        int r2 = cli_table_print(stdout, &t);
        cli_table_free(&t);
        if (r2 != CLI_OK) rc = r2;
    }
    return rc;
}
