/* vos account: the customers of the vendor. */
#include "cli.h"

#include "vos/app.h"
#include "vos/error.h"
#include "vos/jsonw.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define SEGMENTS_MAX 32 /* --segment options of one account */

static const char add_help[] =
    "usage: vos account add NAME [--industry I] [--size S] [--segment S]... [--db URL]\n"
    "\n"
    "Adds an account (a customer).  Names are unique without regard to case.\n"
    "\n"
    "options:\n"
    "  --industry I   the account's industry, e.g. \"Financial services\"\n"
    "  --size S       smb | mid_market | enterprise\n"
    "  --segment S    a segment the account belongs to, e.g. emea (repeatable)\n"
    "  --db URL       the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help     this help\n"
    "\n"
    "Exit status: 0 added, 1 refused (the name is taken, a field is malformed), 2 usage,\n"
    "3 the database cannot be used.\n";

static const char list_help[] =
    "usage: vos account list [--format table|json] [--db URL]\n"
    "\n"
    "Lists every account: id, name, industry, size and segments.\n"
    "\n"
    "options:\n"
    "  --format F     table (default) or json\n"
    "  --db URL       the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help     this help\n";

static const char account_help[] = "usage: vos account <command> [options]\n"
                                   "\n"
                                   "commands:\n"
                                   "  add NAME    add an account (a customer)\n"
                                   "  list        list the accounts\n"
                                   "\n"
                                   "`vos account <command> --help` describes each command.\n";

/* The segments as a JSON array text (caller frees), or NULL for none. */
static int segments_json(char **out, const char **segments, size_t n)
{
    *out = NULL;
    if (n == 0) return 0;
    vos_jw w;
    vos_jw_init(&w, CLI_JSON_MAX);
    vos_jw_array(&w);
    for (size_t i = 0; i < n; i++)
        vos_jw_string(&w, segments[i]);
    vos_jw_end(&w);
    size_t len;
    return vos_jw_finish(&w, out, &len);
}

static int cmd_add(int argc, char **argv)
{
    const char *db = NULL, *industry = NULL, *size = NULL, *segments[SEGMENTS_MAX];
    int n_segments = 0;
    cli_option opts[] = {
        {"--db", &db, NULL, NULL, 0},
        {"--industry", &industry, NULL, NULL, 0},
        {"--size", &size, NULL, NULL, 0},
        {"--segment", NULL, &n_segments, segments, SEGMENTS_MAX},
    };
    const char *cmd = "vos account add";
    cli_args a = {cmd, add_help, opts, sizeof opts / sizeof *opts, 1, 1, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    vos_account_row row = {0};
    row.name = (char *)a.pos[0];
    row.industry = (char *)industry;
    if (size && vos_account_size_parse(&row.size, size) < 0) {
        fprintf(stderr, "%s: --size must be smb, mid_market or enterprise, not '%s'\n", cmd, size);
        return CLI_USAGE;
    }
    char *seg = NULL;
    if (segments_json(&seg, segments, (size_t)n_segments) < 0) return cli_fail(cmd, VOS_ENOMEM);
    row.segments = seg;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(db))) == CLI_OK) {
        vos_actor who = vos_actor_system();
        int err = vos_app_account_add(app, &who, &row);
        if (err < 0)
            rc = cli_fail(cmd, err);
        else
            printf("added account '%s' (id %lld)\n", row.name, (long long)row.id);
    }
    vos_app_close(app);
    free(seg);
    return rc;
}

/* The segments of an account, comma-separated, into buf. */
static const char *segments_text(char *buf, size_t size, const char *json)
{
    buf[0] = '\0';
    if (!json) return buf;
    json_t *arr = json_loads(json, 0, NULL);
    size_t i, len = 0;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_string(v) && len < size)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
                                    json_string_value(v));
    }
    json_decref(arr);
    return buf;
}

static void json_account(vos_jw *w, const vos_account_row *r)
{
    vos_jw_object(w);
    vos_jw_key(w, "id");
    vos_jw_integer(w, r->id);
    vos_jw_key(w, "name");
    vos_jw_string(w, r->name);
    vos_jw_key(w, "industry");
    if (r->industry)
        vos_jw_string(w, r->industry);
    else
        vos_jw_null(w);
    vos_jw_key(w, "size");
    if (r->size != VOS_ACCOUNT_SIZE_UNSTATED)
        vos_jw_string(w, vos_account_size_name(r->size));
    else
        vos_jw_null(w);
    vos_jw_key(w, "segments");
    vos_jw_array(w);
    json_t *arr = r->segments ? json_loads(r->segments, 0, NULL) : NULL;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_string(v)) vos_jw_string(w, json_string_value(v));
    }
    json_decref(arr);
    vos_jw_end(w);
    vos_jw_key(w, "created_at");
    vos_jw_string(w, r->created_at);
    vos_jw_end(w);
}

static int render_accounts(const vos_account_row *rows, size_t n, int json)
{
    if (json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_jw_array(&w);
        for (size_t i = 0; i < n; i++)
            json_account(&w, &rows[i]);
        vos_jw_end(&w);
        return cli_print_json("vos account list", &w);
    }
    if (n == 0) {
        printf("no accounts (add one with `vos account add NAME`)\n");
        return CLI_OK;
    }
    cli_table t;
    cli_table_init(&t, 5, 1u);
    cli_table_cell(&t, "id");
    cli_table_cell(&t, "name");
    cli_table_cell(&t, "industry");
    cli_table_cell(&t, "size");
    cli_table_cell(&t, "segments");
    for (size_t i = 0; i < n; i++) {
        char seg[512];
        cli_table_cell(&t, "%lld", (long long)rows[i].id);
        cli_table_cell(&t, "%s", rows[i].name);
        cli_table_cell(&t, "%s", rows[i].industry ? rows[i].industry : "");
        cli_table_cell(&t, "%s", rows[i].size ? vos_account_size_name(rows[i].size) : "");
        cli_table_cell(&t, "%s", segments_text(seg, sizeof seg, rows[i].segments));
    }
    int rc = cli_table_print(stdout, &t);
    cli_table_free(&t);
    return rc;
}

static int cmd_list(int argc, char **argv)
{
    const char *db = NULL, *format = NULL;
    cli_option opts[] = {
        {"--db", &db, NULL, NULL, 0},
        {"--format", &format, NULL, NULL, 0},
    };
    const char *cmd = "vos account list";
    cli_args a = {cmd, list_help, opts, sizeof opts / sizeof *opts, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(cmd, format);
    if (json < 0) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_account_row *rows = NULL;
    size_t n = 0;
    int err = cli_accounts_all(app, &rows, &n, NULL, 0);
    rc = err < 0 ? cli_fail(cmd, err) : render_accounts(rows, n, json);
    vos_account_rows_free(rows, n);
    vos_app_close(app);
    return rc;
}

int vos_cmd_account(int argc, char **argv)
{
    if (argc < 2) {
        fputs(account_help, stderr);
        return CLI_USAGE;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        fputs(account_help, stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "add") == 0) return cmd_add(argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0) return cmd_list(argc - 1, argv + 1);
    fprintf(stderr, "vos account: unknown command '%s' (add, list)\n", argv[1]);
    return CLI_USAGE;
}
