/* vos user and vos token: the people who sign in, their passwords, and API tokens.
 *
 * The command line acts as the system (local administration): it adds users, sets their
 * passwords and creates tokens on their behalf; the audit log records "system". */
#include "cli.h"

#include "vos/app.h"
#include "vos/error.h"
#include "vos/jsonw.h"

#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define PASSWORD_LINE_MAX (VOS_PASSWORD_MAX + 2) /* a password, its newline and a NUL */

static const char user_help[] =
    "usage: vos user <command> [options]\n"
    "\n"
    "commands:\n"
    "  add EMAIL       add a user who can sign in (with --password-stdin)\n"
    "  list            list the users\n"
    "  passwd EMAIL    set a user's password (read from standard input)\n"
    "\n"
    "`vos user <command> --help` describes each command.\n";

static const char add_help[] =
    "usage: vos user add EMAIL --role R [--name N] [--account A] [--password-stdin] [--db URL]\n"
    "\n"
    "Adds a user.  Emails are unique without regard to case.  With --password-stdin the\n"
    "password is the first line of standard input (12 to 256 characters); without it the\n"
    "user cannot sign in until `vos user passwd` sets one.\n"
    "\n"
    "options:\n"
    "  --role R          admin | value_engineer | seller | csm | executive | customer |\n"
    "                    partner\n"
    "  --name N          the user's name (default: the part of EMAIL before '@')\n"
    "  --account A       the account (by name) a customer belongs to: required for customers;\n"
    "                    for a partner, an account it is scoped to\n"
    "  --password-stdin  read the password from standard input\n"
    "  --db URL          the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help        this help\n"
    "\n"
    "Exit status: 0 added, 1 refused (the email is taken, a field or the password is not\n"
    "accepted, no such account), 2 usage, 3 the database cannot be used.\n";

static const char list_help[] =
    "usage: vos user list [--format table|json] [--db URL]\n"
    "\n"
    "Lists every user: id, email, name, role, account and whether it is active.\n"
    "\n"
    "options:\n"
    "  --format F     table (default) or json\n"
    "  --db URL       the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help     this help\n";

static const char passwd_help[] =
    "usage: vos user passwd EMAIL [--db URL]\n"
    "\n"
    "Sets the password of a user: the first line of standard input (prompted for, without\n"
    "echo, on a terminal).  12 to 256 characters.  Existing sessions stay signed in.\n"
    "\n"
    "options:\n"
    "  --db URL       the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help     this help\n"
    "\n"
    "Exit status: 0 set, 1 refused (no such user, the password is not accepted), 2 usage,\n"
    "3 the database cannot be used.\n";

static const char token_help[] =
    "usage: vos token <command> [options]\n"
    "\n"
    "API tokens let integrations call the HTTP API as a user (Authorization: Bearer vos_...).\n"
    "\n"
    "commands:\n"
    "  create        create a token for a user and print its secret, once\n"
    "  list          list tokens (never their secrets)\n"
    "  revoke ID     revoke a token: it stops working at once\n"
    "\n"
    "`vos token <command> --help` describes each command.\n";

static const char create_help[] =
    "usage: vos token create --user EMAIL --name N [--db URL]\n"
    "\n"
    "Creates an API token for a user and prints its secret on standard output.  The secret\n"
    "is shown this once: VOS keeps only its SHA-256.  Names are unique among a user's tokens\n"
    "that are not revoked; a user has at most 50 of those.\n"
    "\n"
    "options:\n"
    "  --user EMAIL   the user the token acts as\n"
    "  --name N       what the token is for, e.g. \"crm-sync\"\n"
    "  --db URL       the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help     this help\n"
    "\n"
    "Exit status: 0 created, 1 refused (no such user, the name is taken, too many tokens),\n"
    "2 usage, 3 the database cannot be used.\n";

static const char tlist_help[] =
    "usage: vos token list [--user EMAIL] [--format table|json] [--db URL]\n"
    "\n"
    "Lists API tokens (of one user with --user): id, user, name, the first characters of\n"
    "the secret, when it was created and when it was revoked.\n"
    "\n"
    "options:\n"
    "  --user EMAIL   only this user's tokens\n"
    "  --format F     table (default) or json\n"
    "  --db URL       the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help     this help\n";

static const char revoke_help[] =
    "usage: vos token revoke ID [--db URL]\n"
    "\n"
    "Revokes the API token ID (see vos token list).  A revocation is final.\n"
    "\n"
    "options:\n"
    "  --db URL       the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help     this help\n"
    "\n"
    "Exit status: 0 revoked, 1 refused (no such token, already revoked), 2 usage, 3 the\n"
    "database cannot be used.\n";

/* ---- lookups -------------------------------------------------------------------------------- */

/* The user with `email` (without regard to case).  OUT: *out.  VOS_ENOTFOUND. */
static int user_by_email(vos_app *app, const char *email, vos_user_row **out)
{
    vos_actor who = vos_actor_system();
    vos_store_query q = {.limit = 1, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "email", .s = email};
    size_t n = 0;
    *out = NULL;
    int rc = vos_app_user_list(app, &who, out, &n, &q);
    if (rc == 0 && n == 0) {
        vos_user_rows_free(*out, n);
        *out = NULL;
        return vos_error_set(VOS_ENOTFOUND, "no user has the email '%s' (see vos user list)",
                             email);
    }
    return rc;
}

/* Every user, page by page.  OUT: *out, *n (vos_user_rows_free). */
static int users_all(vos_app *app, vos_user_row **out, size_t *n)
{
    vos_actor who = vos_actor_system();
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    vos_user_row *all = NULL;
    size_t n_all = 0;
    *out = NULL;
    *n = 0;
    for (;;) {
        vos_user_row *page = NULL;
        size_t n_page = 0;
        int rc = vos_app_user_list(app, &who, &page, &n_page, &q);
        vos_user_row *grown =
            rc == 0 && n_page ? realloc(all, (n_all + n_page) * sizeof *all) : all;
        if (rc == 0 && n_page && !grown) rc = vos_error_set(VOS_ENOMEM, "out of memory");
        if (rc < 0) {
            vos_user_rows_free(page, n_page);
            vos_user_rows_free(all, n_all);
            return rc;
        }
        all = grown;
        if (n_page) memcpy(all + n_all, page, n_page * sizeof *page);
        n_all += n_page;
        free(page); /* its rows now belong to `all` */
        if (n_page < q.limit) break;
        q.after_id = all[n_all - 1].id;
    }
    *out = all;
    *n = n_all;
    return 0;
}

/* The name of account `id` among `accounts`, or "". */
static const char *account_name(const vos_account_row *accounts, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (accounts[i].id == id) return accounts[i].name;
    return "";
}

/* ---- passwords ------------------------------------------------------------------------------ */

/* Reads the first line of standard input into buf (without its line ending), prompting with
 * echo off when it is a terminal.  Returns 0, or prints why not and returns -1. */
static int read_password(const char *cmd, char buf[PASSWORD_LINE_MAX])
{
    struct termios old, quiet;
    int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        fputs("new password: ", stderr);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *got = fgets(buf, PASSWORD_LINE_MAX, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (!got) {
        fprintf(stderr, "%s: no password on standard input\n", cmd);
        return -1;
    }
    size_t len = strcspn(buf, "\r\n");
    if (len == strlen(buf) && !feof(stdin)) {
        fprintf(stderr, "%s: the password is longer than %d bytes\n", cmd, VOS_PASSWORD_MAX);
        return -1;
    }
    buf[len] = '\0';
    return 0;
}

/* ---- vos user ------------------------------------------------------------------------------- */

static int parse_role(vos_role *out, const char *cmd, const char *text)
{
    if (text && vos_role_parse(out, text) == 0) return 0;
    if (!text)
        fprintf(stderr, "%s: --role is required (see --help)\n", cmd);
    else
        fprintf(stderr,
                "%s: --role must be admin, value_engineer, seller, csm, executive, customer or "
                "partner, not '%s'\n",
                cmd, text);
    return -1;
}

/* Adds the user and sets its password (when given), each in its own transaction: the
 * password is checked first, so that a refused one adds nobody. */
static int add_user(vos_app *app, const char *cmd, vos_user_row *row, const char *account,
                    const char *password)
{
    vos_actor who = vos_actor_system();
    if (password && vos_app_password_check(password) < 0) return cli_fail(cmd, VOS_EINVALID);
    if (account) {
        vos_account_row *a = NULL;
        int err = vos_app_account_get(app, &who, account, &a);
        if (err < 0) return cli_fail(cmd, err);
        row->account_id = a->id;
        vos_account_row_free(a);
    }
    int err = vos_app_user_add(app, &who, row);
    if (err == 0 && password) err = vos_app_user_set_password(app, &who, row->id, password);
    if (err < 0) return cli_fail(cmd, err);
    printf("added user '%s' (id %lld, %s)%s\n", row->email, (long long)row->id,
           vos_role_name(row->role), password ? " with a password" : "");
    return CLI_OK;
}

static int cmd_add(int argc, char **argv)
{
    const char *db = NULL, *name = NULL, *role = NULL, *account = NULL;
    int from_stdin = 0;
    cli_option opts[] = {
        {"--db", &db, NULL, NULL, 0},
        {"--name", &name, NULL, NULL, 0},
        {"--role", &role, NULL, NULL, 0},
        {"--account", &account, NULL, NULL, 0},
        {"--password-stdin", NULL, &from_stdin, NULL, 0},
    };
    const char *cmd = "vos user add";
    cli_args a = {cmd, add_help, opts, sizeof opts / sizeof *opts, 1, 1, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    vos_user_row row = {.email = a.pos[0], .active = true};
    if (parse_role(&row.role, cmd, role) < 0) return CLI_USAGE;
    if (row.role == VOS_ROLE_CUSTOMER && !account) {
        fprintf(stderr, "%s: a customer needs --account A (the account it belongs to)\n", cmd);
        return CLI_USAGE;
    }
    char local[VOS_NAME_MAX + 1];
    snprintf(local, sizeof local, "%.*s", (int)strcspn(a.pos[0], "@"), a.pos[0]);
    row.name = (char *)(name ? name : local);
    char password[PASSWORD_LINE_MAX];
    if (from_stdin && read_password(cmd, password) < 0) return CLI_PROBLEMS;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(db))) == CLI_OK)
        rc = add_user(app, cmd, &row, account, from_stdin ? password : NULL);
    vos_app_close(app);
    memset(password, 0, sizeof password);
    return rc;
}

static void json_user(vos_jw *w, const vos_user_row *u, const char *account)
{
    vos_jw_object(w);
    vos_jw_key(w, "id");
    vos_jw_integer(w, u->id);
    vos_jw_key(w, "email");
    vos_jw_string(w, u->email);
    vos_jw_key(w, "name");
    vos_jw_string(w, u->name);
    vos_jw_key(w, "role");
    vos_jw_string(w, vos_role_name(u->role));
    vos_jw_key(w, "account");
    if (*account)
        vos_jw_string(w, account);
    else
        vos_jw_null(w);
    vos_jw_key(w, "active");
    vos_jw_bool(w, u->active);
    vos_jw_key(w, "created_at");
    vos_jw_string(w, u->created_at);
    vos_jw_end(w);
}

static int render_users(const vos_user_row *u, size_t n, const vos_account_row *acc, size_t na,
                        int json)
{
    if (json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_jw_array(&w);
        for (size_t i = 0; i < n; i++)
            json_user(&w, &u[i], account_name(acc, na, u[i].account_id));
        vos_jw_end(&w);
        return cli_print_json("vos user list", &w);
    }
    if (n == 0) {
        printf("no users (add one with `vos user add EMAIL --role R`)\n");
        return CLI_OK;
    }
    cli_table t;
    cli_table_init(&t, 6, 1u);
    const char *head[] = {"id", "email", "name", "role", "account", "active"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        cli_table_cell(&t, "%s", head[i]);
    for (size_t i = 0; i < n; i++) {
        cli_table_cell(&t, "%lld", (long long)u[i].id);
        cli_table_cell(&t, "%s", u[i].email);
        cli_table_cell(&t, "%s", u[i].name);
        cli_table_cell(&t, "%s", vos_role_name(u[i].role));
        cli_table_cell(&t, "%s", account_name(acc, na, u[i].account_id));
        cli_table_cell(&t, "%s", u[i].active ? "yes" : "no");
    }
    int rc = cli_table_print(stdout, &t);
    cli_table_free(&t);
    return rc;
}

static int cmd_list(int argc, char **argv)
{
    const char *db = NULL, *format = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}, {"--format", &format, NULL, NULL, 0}};
    const char *cmd = "vos user list";
    cli_args a = {cmd, list_help, opts, sizeof opts / sizeof *opts, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(cmd, format);
    if (json < 0) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_user_row *users = NULL;
    vos_account_row *accounts = NULL;
    size_t n = 0, na = 0;
    int err = users_all(app, &users, &n);
    if (err == 0) err = cli_accounts_all(app, &accounts, &na, NULL, 0);
    rc = err < 0 ? cli_fail(cmd, err) : render_users(users, n, accounts, na, json);
    vos_user_rows_free(users, n);
    vos_account_rows_free(accounts, na);
    vos_app_close(app);
    return rc;
}

static int cmd_passwd(int argc, char **argv)
{
    const char *db = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}};
    const char *cmd = "vos user passwd";
    cli_args a = {cmd, passwd_help, opts, sizeof opts / sizeof *opts, 1, 1, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_user_row *u = NULL;
    char password[PASSWORD_LINE_MAX];
    vos_actor who = vos_actor_system();
    int err = user_by_email(app, a.pos[0], &u);
    if (err < 0) {
        rc = cli_fail(cmd, err);
    } else if (read_password(cmd, password) < 0) {
        rc = CLI_PROBLEMS;
    } else if ((err = vos_app_user_set_password(app, &who, u->id, password)) < 0) {
        rc = cli_fail(cmd, err);
    } else {
        printf("set the password of '%s'\n", u->email);
    }
    memset(password, 0, sizeof password);
    vos_user_rows_free(u, u ? 1 : 0);
    vos_app_close(app);
    return rc;
}

int vos_cmd_user(int argc, char **argv)
{
    if (argc < 2) {
        fputs(user_help, stderr);
        return CLI_USAGE;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        fputs(user_help, stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "add") == 0) return cmd_add(argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0) return cmd_list(argc - 1, argv + 1);
    if (strcmp(argv[1], "passwd") == 0) return cmd_passwd(argc - 1, argv + 1);
    fprintf(stderr, "vos user: unknown command '%s' (add, list, passwd)\n", argv[1]);
    return CLI_USAGE;
}

/* ---- vos token ------------------------------------------------------------------------------ */

static int cmd_create(int argc, char **argv)
{
    const char *db = NULL, *email = NULL, *name = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0},
                         {"--user", &email, NULL, NULL, 0},
                         {"--name", &name, NULL, NULL, 0}};
    const char *cmd = "vos token create";
    cli_args a = {cmd, create_help, opts, sizeof opts / sizeof *opts, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    if (!email || !name) {
        fprintf(stderr, "%s: --user and --name are required (see --help)\n", cmd);
        return CLI_USAGE;
    }
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_user_row *u = NULL;
    vos_api_token_row *t = NULL;
    char secret[VOS_SECRET_SIZE];
    int err = user_by_email(app, email, &u);
    if (err == 0) err = vos_app_token_create_for(app, &who, u->id, name, secret, &t);
    if (err < 0) {
        rc = cli_fail(cmd, err);
    } else {
        printf("%s\n", secret);
        fprintf(stderr,
                "created API token %lld '%s' for %s; its secret (above) is not shown again\n",
                (long long)t->id, t->name, u->email);
    }
    memset(secret, 0, sizeof secret);
    vos_api_token_row_free(t);
    vos_user_rows_free(u, u ? 1 : 0);
    vos_app_close(app);
    return rc;
}

/* Every token (of user_id when > 0), page by page.  OUT: *out, *n. */
static int tokens_all(vos_app *app, int64_t user_id, vos_api_token_row **out, size_t *n)
{
    vos_actor who = vos_actor_system();
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    if (user_id > 0) q.where[q.n_where++] = (vos_store_filter){.field = "user_id", .i = user_id};
    vos_api_token_row *all = NULL;
    size_t n_all = 0;
    *out = NULL;
    *n = 0;
    for (;;) {
        vos_api_token_row *page = NULL;
        size_t n_page = 0;
        int rc = vos_app_token_list(app, &who, &page, &n_page, &q);
        vos_api_token_row *grown =
            rc == 0 && n_page ? realloc(all, (n_all + n_page) * sizeof *all) : all;
        if (rc == 0 && n_page && !grown) rc = vos_error_set(VOS_ENOMEM, "out of memory");
        if (rc < 0) {
            vos_api_token_rows_free(page, n_page);
            vos_api_token_rows_free(all, n_all);
            return rc;
        }
        all = grown;
        if (n_page) memcpy(all + n_all, page, n_page * sizeof *page);
        n_all += n_page;
        free(page);
        if (n_page < q.limit) break;
        q.after_id = all[n_all - 1].id;
    }
    *out = all;
    *n = n_all;
    return 0;
}

/* The email of user `id` among `users`, or "". */
static const char *email_of(const vos_user_row *users, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (users[i].id == id) return users[i].email;
    return "";
}

static void json_token(vos_jw *w, const vos_api_token_row *t, const char *email)
{
    vos_jw_object(w);
    vos_jw_key(w, "id");
    vos_jw_integer(w, t->id);
    vos_jw_key(w, "user");
    vos_jw_string(w, email);
    vos_jw_key(w, "name");
    vos_jw_string(w, t->name);
    vos_jw_key(w, "prefix");
    vos_jw_string(w, t->prefix);
    vos_jw_key(w, "created_at");
    vos_jw_string(w, t->created_at);
    vos_jw_key(w, "revoked_at");
    if (t->revoked_at)
        vos_jw_string(w, t->revoked_at);
    else
        vos_jw_null(w);
    vos_jw_end(w);
}

static int render_tokens(const vos_api_token_row *t, size_t n, const vos_user_row *users, size_t nu,
                         int json)
{
    if (json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_jw_array(&w);
        for (size_t i = 0; i < n; i++)
            json_token(&w, &t[i], email_of(users, nu, t[i].user_id));
        vos_jw_end(&w);
        return cli_print_json("vos token list", &w);
    }
    if (n == 0) {
        printf("no API tokens (create one with `vos token create --user EMAIL --name N`)\n");
        return CLI_OK;
    }
    cli_table tb;
    cli_table_init(&tb, 6, 1u);
    const char *head[] = {"id", "user", "name", "prefix", "created", "revoked"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        cli_table_cell(&tb, "%s", head[i]);
    for (size_t i = 0; i < n; i++) {
        cli_table_cell(&tb, "%lld", (long long)t[i].id);
        cli_table_cell(&tb, "%s", email_of(users, nu, t[i].user_id));
        cli_table_cell(&tb, "%s", t[i].name);
        cli_table_cell(&tb, "%s...", t[i].prefix);
        cli_table_cell(&tb, "%s", t[i].created_at);
        cli_table_cell(&tb, "%s", t[i].revoked_at ? t[i].revoked_at : "");
    }
    int rc = cli_table_print(stdout, &tb);
    cli_table_free(&tb);
    return rc;
}

static int cmd_tlist(int argc, char **argv)
{
    const char *db = NULL, *email = NULL, *format = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0},
                         {"--user", &email, NULL, NULL, 0},
                         {"--format", &format, NULL, NULL, 0}};
    const char *cmd = "vos token list";
    cli_args a = {cmd, tlist_help, opts, sizeof opts / sizeof *opts, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(cmd, format);
    if (json < 0) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_user_row *one = NULL, *users = NULL;
    vos_api_token_row *tokens = NULL;
    size_t nu = 0, n = 0;
    int err = email ? user_by_email(app, email, &one) : 0;
    if (err == 0) err = tokens_all(app, one ? one->id : 0, &tokens, &n);
    if (err == 0) err = users_all(app, &users, &nu);
    rc = err < 0 ? cli_fail(cmd, err) : render_tokens(tokens, n, users, nu, json);
    vos_api_token_rows_free(tokens, n);
    vos_user_rows_free(users, nu);
    vos_user_rows_free(one, one ? 1 : 0);
    vos_app_close(app);
    return rc;
}

static int cmd_revoke(int argc, char **argv)
{
    const char *db = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}};
    const char *cmd = "vos token revoke";
    cli_args a = {cmd, revoke_help, opts, sizeof opts / sizeof *opts, 1, 1, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    long long id = 0;
    if (cli_parse_id(&id, cmd, "the token id", a.pos[0]) < 0) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    int err = vos_app_token_revoke(app, &who, id);
    if (err < 0)
        rc = cli_fail(cmd, err);
    else
        printf("revoked API token %lld\n", id);
    vos_app_close(app);
    return rc;
}

int vos_cmd_token(int argc, char **argv)
{
    if (argc < 2) {
        fputs(token_help, stderr);
        return CLI_USAGE;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        fputs(token_help, stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "create") == 0) return cmd_create(argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0) return cmd_tlist(argc - 1, argv + 1);
    if (strcmp(argv[1], "revoke") == 0) return cmd_revoke(argc - 1, argv + 1);
    fprintf(stderr, "vos token: unknown command '%s' (create, list, revoke)\n", argv[1]);
    return CLI_USAGE;
}
