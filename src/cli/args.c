/* Option parsing shared by the database commands. */
#include "cli.h"

#include <string.h>

/* Whether `arg` is a negative number (a positional argument, not an option). */
static int is_negative_number(const char *arg)
{
    return arg[0] == '-' && ((arg[1] >= '0' && arg[1] <= '9') || arg[1] == '.');
}

static cli_option *find_option(cli_args *a, const char *arg, size_t len)
{
    for (size_t i = 0; i < a->n_opts; i++)
        if (strlen(a->opts[i].name) == len && strncmp(a->opts[i].name, arg, len) == 0)
            return &a->opts[i];
    return NULL;
}

/* Stores the value of one option; returns CLI_OK or CLI_USAGE. */
static int store_value(cli_args *a, cli_option *o, const char *val)
{
    if (!o->many) {
        *o->value = val;
        if (o->count) ++*o->count;
        return CLI_OK;
    }
    size_t n = o->count ? (size_t)*o->count : 0;
    if (n >= o->max_many) {
        fprintf(stderr, "%s: %s is given more than %zu times\n", a->cmd, o->name, o->max_many);
        return CLI_USAGE;
    }
    o->many[n] = val;
    if (o->count) ++*o->count;
    return CLI_OK;
}

static int take_positional(cli_args *a, char *arg)
{
    if (a->n_pos >= a->max_pos) {
        fprintf(stderr, "%s: unexpected argument '%s' (see --help)\n", a->cmd, arg);
        return CLI_USAGE;
    }
    a->pos[a->n_pos++] = arg;
    return CLI_OK;
}

int cli_parse_args(cli_args *a, int argc, char **argv)
{
    int opts_done = 0;
    a->n_pos = 0;
    a->pos = argv + 1; /* positional k goes to argv[1 + k], a slot already read */
    for (int i = 1; i < argc; i++) {
        char *arg = argv[i];
        int rc;
        if (opts_done || arg[0] != '-' || arg[1] == '\0' || is_negative_number(arg)) {
            if ((rc = take_positional(a, arg)) != CLI_OK) return rc;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            opts_done = 1;
            continue;
        }
        if (cli_is_help(arg)) {
            fputs(a->help, stdout);
            return -1;
        }
        size_t len = strcspn(arg, "=");
        cli_option *o = find_option(a, arg, len);
        if (!o) {
            fprintf(stderr, "%s: unknown option '%.*s' (see --help)\n", a->cmd, (int)len, arg);
            return CLI_USAGE;
        }
        if (!o->value && !o->many) {
            if (arg[len] == '=') {
                fprintf(stderr, "%s: %s takes no value\n", a->cmd, o->name);
                return CLI_USAGE;
            }
            ++*o->count;
            continue;
        }
        const char *val;
        if (arg[len] == '=') {
            val = arg + len + 1;
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            fprintf(stderr, "%s: %s needs a value\n", a->cmd, o->name);
            return CLI_USAGE;
        }
        if ((rc = store_value(a, o, val)) != CLI_OK) return rc;
    }
    if (a->n_pos < a->min_pos) {
        fprintf(stderr, "%s: missing arguments\n", a->cmd);
        fputs(a->help, stderr);
        return CLI_USAGE;
    }
    return CLI_OK;
}

int cli_format_json(const char *cmd, const char *format)
{
    if (!format || strcmp(format, "table") == 0 || strcmp(format, "text") == 0) return 0;
    if (strcmp(format, "json") == 0) return 1;
    fprintf(stderr, "%s: --format must be table or json, not '%s'\n", cmd, format);
    return -1;
}
