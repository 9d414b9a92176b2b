/* vos audit: verify the audit chain and show the history of changes. */
#include "cli.h"

#include "vos/app.h"
#include "vos/error.h"
#include "vos/jsonw.h"

#include "render/render.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define CHANGE_VALUE_MAX 60   /* characters of one value shown in a change summary */
#define CHANGES_TEXT_MAX 2048 /* bytes of the change summary of one record */

static const char verify_help[] =
    "usage: vos audit verify [--format table|json] [--db URL]\n"
    "\n"
    "Checks the whole database: its own integrity, the audit chain record by record (no gap,\n"
    "each record linked to the hash of the one before it, each hash matching its content),\n"
    "then every audited entity against its last audit record, so that a change made behind\n"
    "VOS's back (e.g. in the sqlite3 shell) is found.  Stops at the first problem.\n"
    "\n"
    "options:\n"
    "  --format F   table (default) or json\n"
    "  --db URL     the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help   this help\n"
    "\n"
    "Exit status: 0 verified, 1 a problem was found, 2 usage, 3 the check could not run.\n";

static const char log_help[] =
    "usage: vos audit log [--entity TYPE[:ID]] [--limit N] [--format table|json] [--db URL]\n"
    "\n"
    "Shows the audit log, oldest first: sequence number, time (UTC), actor, operation, the\n"
    "entity written, and the fields that changed.\n"
    "\n"
    "options:\n"
    "  --entity TYPE[:ID]  only records of one entity type (account, case, model_version,\n"
    "                      ...), or of one entity, e.g. case:3\n"
    "  --limit N           only the last N records\n"
    "  --format F          table (default) or json (with the full before and after\n"
    "                      snapshots and the hashes)\n"
    "  --db URL            the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help          this help\n";

static const char audit_help[] =
    "usage: vos audit <command> [options]\n"
    "\n"
    "commands:\n"
    "  verify   recompute the audit chain and compare every entity with its last record\n"
    "  log      show the history of changes\n"
    "\n"
    "`vos audit <command> --help` describes each command.\n";

static int verify_json(const vos_audit_report *r)
{
    vos_jw w;
    vos_jw_init(&w, CLI_JSON_MAX);
    vos_render_audit_report(&w, r);
    return cli_print_json("vos audit verify", &w);
}

static void verify_text(const vos_audit_report *r)
{
    if (r->problem == VOS_AUDIT_OK) {
        printf("audit chain verified: %lld records, head %s\n", (long long)r->records,
               *r->head_hash ? r->head_hash : "(empty log)");
        return;
    }
    printf("audit verification FAILED (%s)", vos_audit_problem_name(r->problem));
    if (r->seq > 0) printf(" at record %lld", (long long)r->seq);
    if (r->entity_type) printf(", %s %lld", r->entity_type, (long long)r->entity_id);
    printf(": %s\n", r->message);
}

static int cmd_verify(int argc, char **argv)
{
    const char *db = NULL, *format = NULL;
    cli_option opts[] = {
        {"--db", &db, NULL, NULL, 0},
        {"--format", &format, NULL, NULL, 0},
    };
    const char *cmd = "vos audit verify";
    cli_args a = {cmd, verify_help, opts, sizeof opts / sizeof *opts, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(cmd, format);
    if (json < 0) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_audit_report report;
    memset(&report, 0, sizeof report);
    int err = vos_app_audit_verify(app, &who, &report);
    if (err < 0) {
        rc = cli_fail(cmd, err);
    } else {
        rc = json ? verify_json(&report) : (verify_text(&report), CLI_OK);
        if (rc == CLI_OK && report.problem != VOS_AUDIT_OK) rc = CLI_PROBLEMS;
    }
    vos_app_close(app);
    return rc;
}

/* ---- log ---- */

/* A JSON value as short text for a change summary. */
static void value_text(char *buf, size_t size, const json_t *v)
{
    char *s = NULL;
    if (!v || json_is_null(v))
        snprintf(buf, size, "none");
    else if (json_is_string(v))
        snprintf(buf, size, "'%s'", json_string_value(v));
    else if ((s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17))))
        snprintf(buf, size, "%s", s);
    else
        snprintf(buf, size, "?");
    free(s);
    size_t len = strlen(buf);
    if (len > CHANGE_VALUE_MAX && size > CHANGE_VALUE_MAX)
        memcpy(buf + CHANGE_VALUE_MAX - 3, "...", 4);
}

/* Whether a field is one the store sets on every write (not worth showing as a change). */
static int bookkeeping_field(const char *key)
{
    return strcmp(key, "revision") == 0 || strcmp(key, "updated_at") == 0 ||
           strcmp(key, "created_at") == 0;
}

/* A JSON object held in a text field (e.g. a case's overrides), or NULL. */
static json_t *embedded_object(const json_t *v)
{
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (!s || *s != '{') return NULL;
    json_t *o = json_loads(s, 0, NULL);
    if (json_is_object(o)) return o;
    json_decref(o);
    return NULL;
}

/* Appends "prefix.key: before -> after" for every key of `before` or `after` that differs.
 * Returns the new length of the text in buf. */
static size_t append_changes(char *buf, size_t size, size_t len, const char *prefix, json_t *before,
                             json_t *after, int nest)
{
    const char *key;
    json_t *v;
    json_t *both[2] = {after, before};
    for (int pass = 0; pass < 2; pass++) {
        json_object_foreach(both[pass], key, v)
        {
            json_t *old = json_object_get(before, key), *now = json_object_get(after, key);
            if (pass == 1 && now)
                continue; /* the second pass only adds the keys that were removed */
            if (bookkeeping_field(key) || (old && now && json_equal(old, now)) || len >= size)
                continue;
            char name[2 * VOS_ID_MAX + 2];
            snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "." : "", key);
            json_t *eo = nest ? embedded_object(old) : NULL;
            json_t *en = nest ? embedded_object(now) : NULL;
            if (eo && en) {
                len = append_changes(buf, size, len, name, eo, en, 0);
            } else {
                char a[CHANGE_VALUE_MAX + 8], b[CHANGE_VALUE_MAX + 8];
                value_text(a, sizeof a, old);
                value_text(b, sizeof b, now);
                len += (size_t)snprintf(buf + len, size - len, "%s%s: %s -> %s", len ? "; " : "",
                                        name, a, b);
            }
            json_decref(eo);
            json_decref(en);
        }
    }
    return len < size ? len : size;
}

/* "created", "deleted", or the fields that changed: "stage: 'hypothesis' -> 'committed'";
 * inside a JSON-valued field, the keys that changed: "overrides.tickets: none -> {...}". */
static void change_summary(char *buf, size_t size, const vos_audit_row *r)
{
    buf[0] = '\0';
    if (!r->before_json) {
        snprintf(buf, size, "created");
        return;
    }
    if (!r->after_json) {
        snprintf(buf, size, "deleted");
        return;
    }
    json_t *before = json_loads(r->before_json, 0, NULL);
    json_t *after = json_loads(r->after_json, 0, NULL);
    append_changes(buf, size, 0, "", before, after, 1);
    if (!*buf) snprintf(buf, size, "no field changed");
    json_decref(before);
    json_decref(after);
}

static int render_log(const vos_audit_row *rows, size_t n, int json)
{
    if (json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_jw_array(&w);
        for (size_t i = 0; i < n; i++)
            vos_render_audit(&w, &rows[i]);
        vos_jw_end(&w);
        return cli_print_json("vos audit log", &w);
    }
    if (n == 0) {
        printf("no audit records\n");
        return CLI_OK;
    }
    cli_table t;
    cli_table_init(&t, 6, 1u);
    const char *head[] = {"seq", "at", "actor", "operation", "entity", "changes"};
    for (size_t c = 0; c < 6; c++)
        cli_table_cell(&t, "%s", head[c]);
    for (size_t i = 0; i < n; i++) {
        char changes[CHANGES_TEXT_MAX];
        change_summary(changes, sizeof changes, &rows[i]);
        cli_table_cell(&t, "%lld", (long long)rows[i].seq);
        cli_table_cell(&t, "%s", rows[i].at);
        cli_table_cell(&t, "%s", rows[i].actor);
        cli_table_cell(&t, "%s", rows[i].operation);
        cli_table_cell(&t, "%s %lld", rows[i].entity_type, (long long)rows[i].entity_id);
        cli_table_cell(&t, "%s", changes);
    }
    int rc = cli_table_print(stdout, &t);
    cli_table_free(&t);
    return rc;
}

/* Reads --entity TYPE[:ID] into the query's filters; returns CLI_OK or CLI_USAGE. */
static int entity_filter(vos_store_query *q, char *type, size_t type_size, const char *arg)
{
    const char *colon = strchr(arg, ':');
    size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
    if (len >= type_size) {
        fprintf(stderr, "vos audit log: --entity: unknown entity type '%s'\n", arg);
        return CLI_USAGE;
    }
    memcpy(type, arg, len);
    type[len] = '\0';
    vos_entity e;
    if (vos_entity_parse(&e, type) < 0) {
        fprintf(stderr, "vos audit log: --entity: %s\n", vos_error_last());
        return CLI_USAGE;
    }
    q->where[q->n_where++] = (vos_store_filter){"entity_type", VOS_CMP_EQ, 0, 0, type};
    if (colon) {
        long long id;
        if (cli_parse_id(&id, "vos audit log", "the entity id of --entity", colon + 1) < 0)
            return CLI_USAGE;
        q->where[q->n_where++] = (vos_store_filter){"entity_id", VOS_CMP_EQ, id, 0, NULL};
    }
    return CLI_OK;
}

static int cmd_log(int argc, char **argv)
{
    const char *db = NULL, *format = NULL, *entity = NULL, *limit = NULL;
    cli_option opts[] = {
        {"--db", &db, NULL, NULL, 0},
        {"--format", &format, NULL, NULL, 0},
        {"--entity", &entity, NULL, NULL, 0},
        {"--limit", &limit, NULL, NULL, 0},
    };
    const char *cmd = "vos audit log";
    cli_args a = {cmd, log_help, opts, sizeof opts / sizeof *opts, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(cmd, format);
    if (json < 0) return CLI_USAGE;
    vos_store_query q = {0};
    char type[VOS_ID_MAX + 1];
    if (entity && (rc = entity_filter(&q, type, sizeof type, entity)) != CLI_OK) return rc;
    long long max = 0;
    if (limit && cli_parse_id(&max, cmd, "--limit", limit) < 0) return CLI_USAGE;
    q.descending = max > 0; /* the last N: read newest first, then show oldest first */
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_audit_row *rows = NULL;
    size_t n = 0;
    int err = cli_audit_all(app, &rows, &n, &q, (size_t)max);
    if (err < 0) {
        rc = cli_fail(cmd, err);
    } else {
        for (size_t i = 0; q.descending && i < n / 2; i++) {
            vos_audit_row tmp = rows[i];
            rows[i] = rows[n - 1 - i];
            rows[n - 1 - i] = tmp;
        }
        rc = render_log(rows, n, json);
    }
    vos_audit_rows_free(rows, n);
    vos_app_close(app);
    return rc;
}

int vos_cmd_audit(int argc, char **argv)
{
    if (argc < 2) {
        fputs(audit_help, stderr);
        return CLI_USAGE;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        fputs(audit_help, stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "verify") == 0) return cmd_verify(argc - 1, argv + 1);
    if (strcmp(argv[1], "log") == 0) return cmd_log(argc - 1, argv + 1);
    fprintf(stderr, "vos audit: unknown command '%s' (verify, log)\n", argv[1]);
    return CLI_USAGE;
}
