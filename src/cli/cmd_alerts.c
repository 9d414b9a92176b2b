/* vos alerts (list, ack, resolve, evaluate) and vos webhook (add, list, remove, deliver,
 * deliveries): alerts on committed KPIs and the receivers of their events
 * (docs/alerts-and-webhooks.md). */
#include "cli.h"

#include "render/render.h"
#include "render/render_realization.h"
#include "vos/app_realize.h"
#include "vos/error.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DB_OPTION "  --db URL            the database (default $VOS_DB, else sqlite:vos.db)\n"
#define HELP_OPTION "  -h, --help          this help\n"
#define FORMAT_OPTION "  --format F          table (default) or json\n"
#define LIST_MAX 10000 /* rows one list command prints at most */
#define EVENTS_MAX VOS_WEBHOOK_EVENTS_MAX
#define TIMEOUT_MAX 300.0 /* seconds of --timeout at most */

static const char alerts_help[] =
    "usage: vos alerts [list] [--account A] [--case ID] [--status S] [--kind K]\n"
    "                  [--format table|json] [--db URL]\n"
    "       vos alerts ack ID | resolve ID [--db URL]\n"
    "       vos alerts evaluate [--case ID] [--as-of WHEN] [--format table|json] [--db URL]\n"
    "\n"
    "Alerts on committed KPIs: drift beyond the tolerance, stale data, a forecast that misses\n"
    "the target, a missed milestone or target (docs/alerts-and-webhooks.md).\n"
    "\n"
    "commands:\n"
    "  list (default)  the alerts; without --status those not resolved (open, acknowledged)\n"
    "  ack ID          acknowledge an open alert\n"
    "  resolve ID      resolve an open or acknowledged alert\n"
    "  evaluate        evaluate the alerts of every committed or realizing case (or of one\n"
    "                  with --case) now or --as-of: raise, update and resolve them, and queue\n"
    "                  their events for the webhooks (vos webhook deliver sends them)\n"
    "\n"
    "options:\n"
    "  --account A         the alerts of account A (its name)\n"
    "  --case ID           the alerts of one case\n"
    "  --status S          open, acknowledged, resolved or all\n"
    "  --kind K            drift, stale, forecast_miss or milestone_missed\n"
    "  --as-of WHEN        evaluate: a date (its end, UTC) or a UTC time; default "
    "now\n" FORMAT_OPTION DB_OPTION HELP_OPTION "\n"
    "Exit status: 0 done, 1 refused (no such alert, a move that is not allowed), 2 usage,\n"
    "3 failure.\n";

static const char webhook_help[] =
    "usage: vos webhook add URL [--event E]... [--secret S] [--db URL]\n"
    "       vos webhook list [--format table|json] [--db URL]\n"
    "       vos webhook remove ID [--db URL]\n"
    "       vos webhook deliver [--all] [--timeout SECONDS] [--db URL]\n"
    "       vos webhook deliveries [--webhook ID] [--limit N] [--format table|json] [--db URL]\n"
    "\n"
    "Webhooks receive the events of alerts (alert.raised, alert.resolved) as signed JSON POSTs\n"
    "(docs/alerts-and-webhooks.md).  Events are queued in the database with the alert, so none\n"
    "is lost; `vos serve` sends them in the background, `vos webhook deliver` now.\n"
    "\n"
    "commands:\n"
    "  add URL         add a receiver (http:// or https://); prints its signing secret once\n"
    "  list            the webhooks\n"
    "  remove ID       remove a webhook with its secret and its undelivered events\n"
    "  deliver         send the events that are due, retrying failures later (1 minute, then\n"
    "                  2, 4, ... up to 6 hours, 12 attempts)\n"
    "  deliveries      the events queued and sent, newest last\n"
    "\n"
    "options:\n"
    "  --event E           add: an event the webhook wants (repeatable; default: all)\n"
    "  --secret S          add: the signing secret (16 to 256 visible ASCII characters;\n"
    "                      default: a random one)\n"
    "  --all               deliver: send every undelivered event now, due or not\n"
    "  --timeout SECONDS   deliver: for each attempt (default 10)\n"
    "  --webhook ID        deliveries: of one webhook\n"
    "  --limit N           deliveries: at most N (default 100)\n" FORMAT_OPTION DB_OPTION
        HELP_OPTION;

/* ---- alerts list ---------------------------------------------------------------------------- */

typedef struct alert_list {
    vos_alert_row *rows;
    size_t n;
} alert_list;

/* Appends the alerts matching base (paged). */
static int gather(vos_app *app, const vos_actor *who, const vos_store_query *base, alert_list *l)
{
    vos_store_query q = *base;
    q.limit = VOS_STORE_PAGE_MAX;
    for (;;) {
        vos_alert_row *page = NULL;
        size_t got = 0;
        int rc = vos_app_alert_list(app, who, &page, &got, &q);
        if (rc < 0) return rc;
        vos_alert_row *grown = got ? realloc(l->rows, (l->n + got) * sizeof *grown) : l->rows;
        if (got && !grown) {
            vos_alert_rows_free(page, got);
            return vos_error_set(VOS_ENOMEM, "out of memory");
        }
        l->rows = grown;
        if (got) memcpy(l->rows + l->n, page, got * sizeof *page);
        l->n += got;
        free(page);
        if (got < q.limit || l->n >= LIST_MAX) return 0;
        q.after_id = l->rows[l->n - 1].id;
    }
}

static int by_id(const void *a, const void *b)
{
    int64_t x = ((const vos_alert_row *)a)->id, y = ((const vos_alert_row *)b)->id;
    return (x > y) - (x < y);
}

static int print_alerts(const alert_list *l, int json)
{
    if (json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_jw_array(&w);
        for (size_t i = 0; i < l->n; i++)
            vos_render_alert(&w, &l->rows[i]);
        vos_jw_end(&w);
        return cli_print_json("vos alerts", &w);
    }
    cli_table t;
    cli_table_init(&t, 8, 0x1);
    const char *head[] = {"id", "account", "case", "kpi", "kind", "severity", "status", "message"};
    for (size_t i = 0; i < 8; i++)
        cli_table_cell(&t, "%s", head[i]);
    for (size_t i = 0; i < l->n; i++) {
        const vos_alert_row *a = &l->rows[i];
        cli_table_cell(&t, "%lld", (long long)a->id);
        cli_table_cell(&t, "%lld", (long long)a->account_id);
        cli_table_cell(&t, a->case_id ? "%lld" : "-", (long long)a->case_id);
        cli_table_cell(&t, "%s", a->kpi_key ? a->kpi_key : "-");
        cli_table_cell(&t, "%s", vos_alert_kind_name(a->kind));
        cli_table_cell(&t, "%s", vos_alert_severity_name(a->severity));
        cli_table_cell(&t, "%s", vos_alert_status_name(a->status));
        cli_table_cell(&t, "%s", a->message);
    }
    int rc = cli_table_print(stdout, &t);
    cli_table_free(&t);
    if (l->n == 0) printf("(no alerts)\n");
    return rc;
}

typedef struct list_opts {
    const char *account, *case_id, *status, *kind, *format, *db;
} list_opts;

/* The filters of the options into base; `statuses` receives the statuses to read. */
static int list_filters(const char *cmd, vos_app *app, const list_opts *o, vos_store_query *base,
                        vos_alert_status *statuses, size_t *n_statuses)
{
    vos_actor who = vos_actor_system();
    if (o->account) {
        vos_account_row *acc = NULL;
        int err = vos_app_account_get(app, &who, o->account, &acc);
        if (err < 0) return cli_fail(cmd, err);
        base->where[base->n_where++] = (vos_store_filter){.field = "account_id", .i = acc->id};
        vos_account_row_free(acc);
    }
    if (o->case_id) {
        long long id;
        if (cli_parse_id(&id, cmd, "--case", o->case_id) < 0) return CLI_USAGE;
        base->where[base->n_where++] = (vos_store_filter){.field = "case_id", .i = id};
    }
    if (o->kind) {
        vos_alert_kind k;
        if (vos_alert_kind_parse(&k, o->kind) < 0) {
            fprintf(stderr,
                    "%s: --kind must be drift, stale, forecast_miss or milestone_missed, "
                    "not '%s'\n",
                    cmd, o->kind);
            return CLI_USAGE;
        }
        base->where[base->n_where++] = (vos_store_filter){.field = "kind", .i = k};
    }
    *n_statuses = 0;
    if (!o->status) {
        statuses[(*n_statuses)++] = VOS_ALERT_OPEN;
        statuses[(*n_statuses)++] = VOS_ALERT_ACKNOWLEDGED;
    } else if (strcmp(o->status, "all") != 0) {
        vos_alert_status s;
        if (vos_alert_status_parse(&s, o->status) < 0) {
            fprintf(stderr, "%s: --status must be open, acknowledged, resolved or all, not '%s'\n",
                    cmd, o->status);
            return CLI_USAGE;
        }
        statuses[(*n_statuses)++] = s;
    }
    return CLI_OK;
}

static int alerts_list(int argc, char **argv)
{
    list_opts o = {0};
    cli_option opts[] = {
        {"--db", &o.db, NULL, NULL, 0},           {"--format", &o.format, NULL, NULL, 0},
        {"--account", &o.account, NULL, NULL, 0}, {"--case", &o.case_id, NULL, NULL, 0},
        {"--status", &o.status, NULL, NULL, 0},   {"--kind", &o.kind, NULL, NULL, 0}};
    cli_args a = {"vos alerts list", alerts_help, opts, 6, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(a.cmd, o.format);
    if (json < 0) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(o.db))) != CLI_OK) return rc;
    vos_store_query base = {0};
    vos_alert_status statuses[2];
    size_t n_statuses = 0;
    alert_list l = {NULL, 0};
    rc = list_filters(a.cmd, app, &o, &base, statuses, &n_statuses);
    vos_actor who = vos_actor_system();
    for (size_t s = 0; s < (n_statuses ? n_statuses : 1) && rc == CLI_OK; s++) {
        vos_store_query q = base;
        if (n_statuses)
            q.where[q.n_where++] = (vos_store_filter){.field = "status", .i = statuses[s]};
        int err = gather(app, &who, &q, &l);
        if (err < 0) rc = cli_fail(a.cmd, err);
    }
    if (rc == CLI_OK) {
        if (l.n > 1) qsort(l.rows, l.n, sizeof *l.rows, by_id);
        rc = print_alerts(&l, json);
    }
    vos_alert_rows_free(l.rows, l.n);
    vos_app_close(app);
    return rc;
}

/* ---- ack, resolve, evaluate ----------------------------------------------------------------- */

static int alerts_move(int argc, char **argv, bool resolve)
{
    const char *db = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}};
    cli_args a = {
        resolve ? "vos alerts resolve" : "vos alerts ack", alerts_help, opts, 1, 1, 1, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    long long id;
    if (cli_parse_id(&id, a.cmd, "the alert ID", a.pos[0]) < 0) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_alert_row *row = NULL;
    int err = resolve ? vos_app_alert_resolve(app, &who, id, &row)
                      : vos_app_alert_acknowledge(app, &who, id, &row);
    if (err < 0)
        rc = cli_fail(a.cmd, err);
    else
        printf("alert %lld %s\n", id, vos_alert_status_name(row->status));
    vos_alert_row_free(row);
    vos_app_close(app);
    return rc;
}

static int alerts_evaluate(int argc, char **argv)
{
    const char *db = NULL, *case_id = NULL, *as_of = NULL, *format = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0},
                         {"--case", &case_id, NULL, NULL, 0},
                         {"--as-of", &as_of, NULL, NULL, 0},
                         {"--format", &format, NULL, NULL, 0}};
    cli_args a = {"vos alerts evaluate", alerts_help, opts, 4, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    long long id = 0;
    int json = cli_format_json(a.cmd, format);
    if (json < 0 || (case_id && cli_parse_id(&id, a.cmd, "--case", case_id) < 0)) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_alerts_summary s;
    int err = vos_app_alerts_evaluate(app, &who, id, as_of, &s);
    if (err < 0) {
        rc = cli_fail(a.cmd, err);
    } else if (json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_render_alerts_summary(&w, &s);
        rc = cli_print_json(a.cmd, &w);
    } else {
        printf("evaluated %zu case%s: %zu raised, %zu updated, %zu resolved, %zu unchanged\n",
               s.cases, s.cases == 1 ? "" : "s", s.raised, s.updated, s.resolved, s.unchanged);
    }
    if (err == 0 && s.failed)
        fprintf(stderr, "%s: %zu case%s could not be evaluated; the first: %s\n", a.cmd, s.failed,
                s.failed == 1 ? "" : "s", s.first_error);
    vos_app_close(app);
    return rc;
}

int vos_cmd_alerts(int argc, char **argv)
{
    if (argc >= 2 && (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0)) {
        fputs(alerts_help, stdout);
        return CLI_OK;
    }
    if (argc < 2 || argv[1][0] == '-') return alerts_list(argc, argv);
    if (strcmp(argv[1], "list") == 0) return alerts_list(argc - 1, argv + 1);
    if (strcmp(argv[1], "ack") == 0 || strcmp(argv[1], "acknowledge") == 0)
        return alerts_move(argc - 1, argv + 1, false);
    if (strcmp(argv[1], "resolve") == 0) return alerts_move(argc - 1, argv + 1, true);
    if (strcmp(argv[1], "evaluate") == 0) return alerts_evaluate(argc - 1, argv + 1);
    fprintf(stderr, "vos alerts: unknown command '%s' (see vos alerts --help)\n", argv[1]);
    return CLI_USAGE;
}

/* ---- webhooks ------------------------------------------------------------------------------- */

static int webhook_add(int argc, char **argv)
{
    const char *db = NULL, *secret = NULL, *events[EVENTS_MAX];
    int n_events = 0;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0},
                         {"--secret", &secret, NULL, NULL, 0},
                         {"--event", NULL, &n_events, events, EVENTS_MAX}};
    cli_args a = {"vos webhook add", webhook_help, opts, 3, 1, 1, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    char key[VOS_WEBHOOK_SECRET_SIZE];
    vos_webhook_row *w = NULL;
    int err = vos_app_webhook_add(app, &who, a.pos[0], events, (size_t)n_events, secret, key, &w);
    if (err < 0) {
        rc = cli_fail(a.cmd, err);
    } else {
        printf("webhook %lld added: %s\n", (long long)w->id, w->url);
        if (!secret) printf("signing secret (shown once, keep it with the receiver): %s\n", key);
    }
    vos_webhook_row_free(w);
    vos_app_close(app);
    return rc;
}

static int webhook_list(int argc, char **argv)
{
    const char *db = NULL, *format = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}, {"--format", &format, NULL, NULL, 0}};
    cli_args a = {"vos webhook list", webhook_help, opts, 2, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(a.cmd, format);
    if (json < 0) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_store_query q = {.limit = VOS_WEBHOOKS_MAX};
    vos_webhook_row *rows = NULL;
    size_t n = 0;
    int err = vos_app_webhook_list(app, &who, &rows, &n, &q);
    if (err < 0) {
        rc = cli_fail(a.cmd, err);
    } else if (json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_jw_array(&w);
        for (size_t i = 0; i < n; i++)
            vos_render_webhook(&w, &rows[i]);
        vos_jw_end(&w);
        rc = cli_print_json(a.cmd, &w);
    } else {
        cli_table t;
        cli_table_init(&t, 4, 0x1);
        const char *head[] = {"id", "url", "events", "active"};
        for (size_t i = 0; i < 4; i++)
            cli_table_cell(&t, "%s", head[i]);
        for (size_t i = 0; i < n; i++) {
            cli_table_cell(&t, "%lld", (long long)rows[i].id);
            cli_table_cell(&t, "%s", rows[i].url);
            cli_table_cell(&t, "%s", strcmp(rows[i].events, "[]") ? rows[i].events : "all");
            cli_table_cell(&t, "%s", rows[i].active ? "yes" : "no");
        }
        rc = cli_table_print(stdout, &t);
        cli_table_free(&t);
    }
    vos_webhook_rows_free(rows, n);
    vos_app_close(app);
    return rc;
}

static int webhook_remove(int argc, char **argv)
{
    const char *db = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}};
    cli_args a = {"vos webhook remove", webhook_help, opts, 1, 1, 1, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    long long id;
    if (cli_parse_id(&id, a.cmd, "the webhook ID", a.pos[0]) < 0) return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    int err = vos_app_webhook_remove(app, &who, id);
    if (err < 0)
        rc = cli_fail(a.cmd, err);
    else
        printf("webhook %lld removed\n", id);
    vos_app_close(app);
    return rc;
}

static int webhook_deliver(int argc, char **argv)
{
    const char *db = NULL, *timeout = NULL;
    int all = 0;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0},
                         {"--timeout", &timeout, NULL, NULL, 0},
                         {"--all", NULL, &all, NULL, 0}};
    cli_args a = {"vos webhook deliver", webhook_help, opts, 3, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    vos_delivery_options o = {.all = all != 0};
    if (timeout) {
        char *end;
        errno = 0;
        o.timeout_s = strtod(timeout, &end);
        if (!*timeout || *end || errno || !(o.timeout_s > 0) || o.timeout_s > TIMEOUT_MAX) {
            fprintf(stderr, "%s: --timeout must be a number of seconds in (0, %g], not '%s'\n",
                    a.cmd, TIMEOUT_MAX, timeout);
            return CLI_USAGE;
        }
    }
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_delivery_report r;
    int err = vos_app_webhooks_deliver(app, &o, &r);
    if (err < 0)
        rc = cli_fail(a.cmd, err);
    else
        printf("attempted %zu: %zu delivered, %zu to retry, %zu failed\n", r.attempted, r.delivered,
               r.retried, r.failed);
    vos_app_close(app);
    return rc;
}

static int print_deliveries(const vos_outbox_row *rows, size_t n, int json)
{
    if (json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_jw_array(&w);
        for (size_t i = 0; i < n; i++)
            vos_render_delivery(&w, &rows[i]);
        vos_jw_end(&w);
        return cli_print_json("vos webhook deliveries", &w);
    }
    cli_table t;
    cli_table_init(&t, 8, 0x31);
    const char *head[] = {"id",       "webhook", "event",        "state",
                          "attempts", "status",  "next attempt", "last error"};
    for (size_t i = 0; i < 8; i++)
        cli_table_cell(&t, "%s", head[i]);
    for (size_t i = 0; i < n; i++) {
        const vos_outbox_row *r = &rows[i];
        cli_table_cell(&t, "%lld", (long long)r->id);
        cli_table_cell(&t, "%lld", (long long)r->webhook_id);
        cli_table_cell(&t, "%s", r->event);
        cli_table_cell(&t, "%s",
                       r->delivered_at ? "delivered"
                       : r->failed_at  ? "failed"
                                       : "pending");
        cli_table_cell(&t, "%lld", (long long)r->attempts);
        cli_table_cell(&t, r->last_status ? "%d" : "-", r->last_status);
        cli_table_cell(&t, "%s", r->delivered_at || r->failed_at ? "-" : r->next_attempt_at);
        cli_table_cell(&t, "%s", r->last_error ? r->last_error : "-");
    }
    int rc = cli_table_print(stdout, &t);
    cli_table_free(&t);
    return rc;
}

static int webhook_deliveries(int argc, char **argv)
{
    const char *db = NULL, *format = NULL, *hook = NULL, *limit = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0},
                         {"--format", &format, NULL, NULL, 0},
                         {"--webhook", &hook, NULL, NULL, 0},
                         {"--limit", &limit, NULL, NULL, 0}};
    cli_args a = {"vos webhook deliveries", webhook_help, opts, 4, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    long long id = 0, lim = VOS_STORE_PAGE_DEFAULT;
    int json = cli_format_json(a.cmd, format);
    if (json < 0 || (hook && cli_parse_id(&id, a.cmd, "--webhook", hook) < 0) ||
        (limit && cli_parse_id(&lim, a.cmd, "--limit", limit) < 0))
        return CLI_USAGE;
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, cli_db_url(db))) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_outbox_row *rows = NULL;
    size_t n = 0;
    int err = vos_app_webhook_deliveries(app, &who, id, 0, (size_t)lim, &rows, &n);
    rc = err < 0 ? cli_fail(a.cmd, err) : print_deliveries(rows, n, json);
    vos_outbox_rows_free(rows, n);
    vos_app_close(app);
    return rc;
}

int vos_cmd_webhook(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } subs[] = {{"add", webhook_add},
                {"list", webhook_list},
                {"remove", webhook_remove},
                {"deliver", webhook_deliver},
                {"deliveries", webhook_deliveries}};
    if (argc < 2) {
        fputs(webhook_help, stderr);
        return CLI_USAGE;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        fputs(webhook_help, stdout);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
        if (strcmp(argv[1], subs[i].name) == 0) return subs[i].run(argc - 1, argv + 1);
    fprintf(stderr, "vos webhook: unknown command '%s' (see vos webhook --help)\n", argv[1]);
    return CLI_USAGE;
}
