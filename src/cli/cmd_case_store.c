/* vos case on stored cases: create, set, unset, commit, show, transition, rebase, list. */
#include "cli.h"

#include "vos/app.h"
#include "vos/error.h"
#include "vos/jsonw.h"
#include "vos/number.h"

#include "render/render.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DB_OPTION "  --db URL            the database (default $VOS_DB, else sqlite:vos.db)\n"
#define HELP_OPTION "  -h, --help          this help\n"

static const char create_help[] =
    "usage: vos case create --account A --name N --model KEY [--version V] [-q] [--db URL]\n"
    "\n"
    "Creates a business case for account A on a version of model KEY: the latest approved\n"
    "version unless --version pins another (a draft may be pinned while building, but a case\n"
    "is only committed on an approved version).  The case starts as a hypothesis without\n"
    "overrides.  Prints the new case's id.\n"
    "\n"
    "options:\n"
    "  --account A         the account's name\n"
    "  --name N            the case's name, unique within the account\n"
    "  --model KEY         the model\n"
    "  --version V         the model version (default: the latest approved)\n"
    "  -q, --quiet         print only the id\n" DB_OPTION HELP_OPTION;

static const char set_help[] =
    "usage: vos case set ID INPUT [VALUE] [--value V] [--low L] [--high H]\n"
    "                    [--evidence TEXT] [--confidence low|medium|high] [--revision R]\n"
    "                    [--db URL]\n"
    "\n"
    "Overrides one input of a hypothesis case.  Values are plain numbers in the input's unit\n"
    "(as the model declares it) or quantities with a unit that converts to it: \"20000\",\n"
    "\"0.1 h\", \"5%\".  Giving only the value of a ranged input keeps its low and high; the\n"
    "result must still satisfy low <= value <= high.  Only inputs can be overridden: drivers\n"
    "and costs are formulas of the governed model.  The case may also give its own evidence\n"
    "for the input (where its value comes from) and its own confidence: they replace the\n"
    "model's in the case's lineage and policy warnings.\n"
    "\n"
    "options:\n"
    "  --value V           the value (the same as the VALUE argument)\n"
    "  --low L, --high H   the range\n"
    "  --evidence TEXT     the case's evidence for the input (at most 4000 characters)\n"
    "  --confidence C      the case's confidence: low, medium or high\n"
    "  --revision R        refuse if the case changed since revision R\n" DB_OPTION HELP_OPTION;

static const char unset_help[] =
    "usage: vos case unset ID INPUT [--revision R] [--db URL]\n"
    "\n"
    "Removes the override of one input of a hypothesis case: the model's figures apply.\n"
    "\n"
    "options:\n"
    "  --revision R        refuse if the case changed since revision R\n" DB_OPTION HELP_OPTION;

static const char commit_help[] =
    "usage: vos case commit ID [--kpis FILE] [--db URL]\n"
    "\n"
    "Commits to a hypothesis case on an approved model version: freezes a snapshot of the\n"
    "case (model, version, content hash, overrides, every figure of the three scenarios and\n"
    "the KPIs) and moves it to the committed stage.  From then on it cannot be changed.\n"
    "\n"
    "options:\n"
    "  --kpis FILE         the KPIs committed to (YAML or JSON), a list of\n"
    "                        - kpi: ID                        # a KPI of the model\n"
    "                          baseline: {value: 8, date: 2026-01-15}\n"
    "                          target: {value: 5, date: 2027-01-15}\n"
    "                          trajectory: linear             # s_curve, step\n"
    "                          milestones:                    # step only, optional\n"
    "                            - {date: 2026-07-15, value: 7}\n"
    "                          tolerance: 10%                 # default: the organisation's\n"
    "                          owner: jane@example.com        # a user, optional\n"
    "                          data_source: ServiceNow        # optional\n"
    "                      values are numbers in the KPI's unit\n" DB_OPTION HELP_OPTION;

static const char show_help[] =
    "usage: vos case show ID [--format table|json] [--db URL]\n"
    "\n"
    "Shows a stored case: its account, model version, stage and revision, its overrides next\n"
    "to the model's figures, and the figures of the three scenarios computed now.\n"
    "\n"
    "options:\n"
    "  --format F          table (default) or json\n" DB_OPTION HELP_OPTION;

static const char transition_help[] =
    "usage: vos case transition ID STAGE [--db URL]\n"
    "\n"
    "Moves a case along its lifecycle: committed -> realizing -> expanded, and any stage\n"
    "before expanded -> lost or closed.  A hypothesis becomes committed only through\n"
    "`vos case commit`.\n"
    "\n"
    "options:\n" DB_OPTION HELP_OPTION;

static const char rebase_help[] =
    "usage: vos case rebase ID VERSION [--format table|json] [--db URL]\n"
    "\n"
    "Moves a hypothesis case onto another version of its model, explicitly: every override\n"
    "must still name an input of that version with a valid value, else nothing changes.\n"
    "Prints what changed in the model and every figure of the three scenarios before and\n"
    "after.\n"
    "\n"
    "options:\n"
    "  --format F          table (default) or json\n" DB_OPTION HELP_OPTION;

static const char list_help[] =
    "usage: vos case list [--account A] [--stage S] [--format table|json] [--db URL]\n"
    "\n"
    "Lists the cases: id, account, name, stage, model and version, last change.\n"
    "\n"
    "options:\n"
    "  --account A         only the cases of account A\n"
    "  --stage S           only the cases at stage S (hypothesis, committed, realizing,\n"
    "                      expanded, lost, closed)\n"
    "  --format F          table (default) or json\n" DB_OPTION HELP_OPTION;

/* ---- shared helpers ---- */

/* The parse result: CLI_OK to go on, or the exit status (help printed: CLI_OK). */
#define PARSE_OR_RETURN(a, argc, argv)                                                             \
    do {                                                                                           \
        int prc_ = cli_parse_args(&(a), argc, argv);                                               \
        if (prc_ != CLI_OK) return prc_ < 0 ? CLI_OK : prc_;                                       \
    } while (0)

/* A number for people: whole numbers grouped ("12,000"), others with up to 6 digits. */
static const char *num_text(char *buf, size_t size, double x)
{
    if (!isfinite(x))
        snprintf(buf, size, "n/a");
    else if (x == floor(x) && fabs(x) < 1e15)
        vos_num_grouped(buf, size, x, 0);
    else if (fabs(x) >= 1000)
        vos_num_grouped(buf, size, x, 2);
    else
        snprintf(buf, size, "%.6g", x);
    return buf;
}

/* "12,000 (10,500 .. 13,500)" or "48" for a distribution. */
static const char *dist_text(char *buf, size_t size, const vos_dist *d)
{
    char v[64], lo[64], hi[64];
    num_text(v, sizeof v, d->likely);
    if (d->low < d->high)
        snprintf(buf, size, "%s (%s .. %s)", v, num_text(lo, sizeof lo, d->low),
                 num_text(hi, sizeof hi, d->high));
    else
        snprintf(buf, size, "%s", v);
    return buf;
}

static int parse_revision(long long *out, const char *cmd, const char *text)
{
    *out = 0;
    return text ? cli_parse_id(out, cmd, "--revision", text) : 0;
}

/* Reads one override value: a plain number, or a quantity converted to the input's unit
 * (which needs the case's model, opened on demand into *m / *c). */
static int override_value(double *out, const char *text, vos_app *app, long long id,
                          const char *input, vos_model **m, vos_case **c)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end != text && *end == '\0' && errno == 0 && isfinite(v)) {
        *out = v;
        return 0;
    }
    vos_actor who = vos_actor_system();
    int err = *m ? 0 : vos_app_case_open(app, &who, id, m, c);
    if (err < 0) return err;
    long i = vos_model_find_input(*m, input);
    if (i < 0)
        return vos_error_set(VOS_EINVALID, "unknown input '%s' (model %s has no such input)", input,
                             (*m)->id);
    const vos_input *in = &(*m)->inputs[i];
    vos_unit u;
    if (vos_quantity_parse(&v, &u, text, (*m)->currency, NULL) < 0 || !isfinite(v) ||
        vos_unit_convert(&v, &u, &in->unit, (*m)->currency) < 0)
        return vos_error_set(VOS_EINVALID, "input '%s': '%s': %s", input, text,
                             isfinite(v) ? vos_error_last() : "not a finite number");
    *out = v;
    return 0;
}

/* Prints the input's distribution as the case now sees it (a read after the write). */
static void print_input_now(vos_app *app, long long id, const char *input, const char *verb)
{
    vos_actor who = vos_actor_system();
    vos_model *m = NULL;
    vos_case *c = NULL;
    long i = -1;
    if (vos_app_case_open(app, &who, id, &m, &c) == 0) i = vos_model_find_input(m, input);
    if (i >= 0) {
        char d[256];
        printf("case %lld: %s %s %s %s\n", id, input, verb,
               dist_text(d, sizeof d, vos_case_input(c, (size_t)i)), m->inputs[i].unit_text);
        int ev_case, conf_case;
        const char *ev = vos_case_input_evidence(c, (size_t)i, &ev_case);
        vos_confidence conf = vos_case_input_confidence(c, (size_t)i, &conf_case);
        if (ev_case || conf_case)
            printf("  evidence%s: %s; confidence%s: %s\n", ev_case ? " (this case)" : "",
                   ev ? ev : "none given", conf_case ? " (this case)" : "",
                   conf ? vos_confidence_name(conf) : "unstated");
    } else {
        printf("case %lld: %s %s\n", id, input, verb);
    }
    vos_case_free(c);
    vos_model_free(m);
}

/* ---- create ---- */

/* The version string of model version `version_id` of model `key` into buf ("" if unknown). */
static void version_of(char *buf, size_t size, vos_app *app, const char *key, int64_t version_id)
{
    vos_actor who = vos_actor_system();
    vos_model_version_row *v = NULL;
    size_t n = 0;
    buf[0] = '\0';
    if (vos_app_model_versions(app, &who, key, &v, &n) == 0)
        for (size_t i = 0; i < n; i++)
            if (v[i].id == version_id) snprintf(buf, size, "%s", v[i].version);
    vos_model_version_rows_free(v, n);
}

int cli_case_create(int argc, char **argv)
{
    const char *db = NULL, *account = NULL, *name = NULL, *model = NULL, *version = NULL;
    int quiet = 0;
    cli_option opts[] = {
        {"--db", &db, NULL, NULL, 0},           {"--account", &account, NULL, NULL, 0},
        {"--name", &name, NULL, NULL, 0},       {"--model", &model, NULL, NULL, 0},
        {"--version", &version, NULL, NULL, 0}, {"--quiet", NULL, &quiet, NULL, 0},
        {"-q", NULL, &quiet, NULL, 0},
    };
    cli_args a = {"vos case create", create_help, opts, sizeof opts / sizeof *opts, 0, 0, NULL, 0};
    PARSE_OR_RETURN(a, argc, argv);
    if (!account || !name || !model) {
        fprintf(stderr, "%s: --account, --name and --model are required\n", a.cmd);
        return CLI_USAGE;
    }
    vos_app *app = NULL;
    int rc = cli_app_open(&app, a.cmd, cli_db_url(db));
    if (rc != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_case_row *row = NULL;
    int err = vos_app_case_create(app, &who, account, name, model, version, &row);
    if (err < 0) {
        rc = cli_fail(a.cmd, err);
    } else if (quiet) {
        printf("%lld\n", (long long)row->id);
    } else {
        char v[64];
        version_of(v, sizeof v, app, model, row->model_version_id);
        printf("created case %lld '%s' for %s on %s %s (hypothesis)\n", (long long)row->id,
               row->name, account, model, v);
    }
    vos_case_row_free(row);
    vos_app_close(app);
    return rc;
}

/* ---- set, unset ---- */

/* Reads the values of `vos case set` into *ov. */
static int read_override(vos_input_override *ov, const char *const text[3], vos_app *app,
                         long long id, const char *input, vos_model **m, vos_case **c)
{
    double *dst[3] = {&ov->value, &ov->low, &ov->high};
    int *has[3] = {&ov->has_value, &ov->has_low, &ov->has_high};
    for (int k = 0; k < 3; k++) {
        if (!text[k]) continue;
        int err = override_value(dst[k], text[k], app, id, input, m, c);
        if (err < 0) return err;
        *has[k] = 1;
    }
    return 0;
}

int cli_case_set(int argc, char **argv)
{
    const char *db = NULL, *value = NULL, *low = NULL, *high = NULL, *revision = NULL;
    const char *evidence = NULL, *confidence = NULL;
    cli_option opts[] = {
        {"--db", &db, NULL, NULL, 0},
        {"--value", &value, NULL, NULL, 0},
        {"--low", &low, NULL, NULL, 0},
        {"--high", &high, NULL, NULL, 0},
        {"--evidence", &evidence, NULL, NULL, 0},
        {"--confidence", &confidence, NULL, NULL, 0},
        {"--revision", &revision, NULL, NULL, 0},
    };
    cli_args a = {"vos case set", set_help, opts, sizeof opts / sizeof *opts, 2, 3, NULL, 0};
    PARSE_OR_RETURN(a, argc, argv);
    long long id, rev;
    if (cli_parse_id(&id, a.cmd, "the case ID", a.pos[0]) < 0 ||
        parse_revision(&rev, a.cmd, revision) < 0)
        return CLI_USAGE;
    if (a.n_pos == 3 && value) {
        fprintf(stderr, "%s: give the value once (VALUE or --value)\n", a.cmd);
        return CLI_USAGE;
    }
    const char *text[3] = {a.n_pos == 3 ? a.pos[2] : value, low, high};
    if (!text[0] && !low && !high && !evidence && !confidence) {
        fprintf(stderr, "%s: give a VALUE, --low, --high, --evidence or --confidence\n", a.cmd);
        return CLI_USAGE;
    }
    vos_input_override ov = {.evidence = evidence, .has_confidence = confidence != NULL};
    if (confidence && vos_confidence_parse(&ov.confidence, confidence) < 0) {
        fprintf(stderr, "%s: --confidence: %s\n", a.cmd, vos_error_last());
        return CLI_USAGE;
    }
    vos_app *app = NULL;
    int rc = cli_app_open(&app, a.cmd, cli_db_url(db));
    if (rc != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_model *m = NULL;
    vos_case *c = NULL;
    vos_case_row *row = NULL;
    int err = read_override(&ov, text, app, id, a.pos[1], &m, &c);
    if (err == 0) err = vos_app_case_set(app, &who, id, a.pos[1], &ov, rev, &row);
    if (err < 0)
        rc = cli_fail(a.cmd, err);
    else
        print_input_now(app, id, a.pos[1], "is now");
    vos_case_row_free(row);
    vos_case_free(c);
    vos_model_free(m);
    vos_app_close(app);
    return rc;
}

int cli_case_unset(int argc, char **argv)
{
    const char *db = NULL, *revision = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}, {"--revision", &revision, NULL, NULL, 0}};
    cli_args a = {"vos case unset", unset_help, opts, sizeof opts / sizeof *opts, 2, 2, NULL, 0};
    PARSE_OR_RETURN(a, argc, argv);
    long long id, rev;
    if (cli_parse_id(&id, a.cmd, "the case ID", a.pos[0]) < 0 ||
        parse_revision(&rev, a.cmd, revision) < 0)
        return CLI_USAGE;
    vos_app *app = NULL;
    int rc = cli_app_open(&app, a.cmd, cli_db_url(db));
    if (rc != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_case_row *row = NULL;
    int err = vos_app_case_unset(app, &who, id, a.pos[1], rev, &row);
    if (err < 0)
        rc = cli_fail(a.cmd, err);
    else
        print_input_now(app, id, a.pos[1], "is back to the model's");
    vos_case_row_free(row);
    vos_app_close(app);
    return rc;
}

/* ---- commit ---- */

/* Sets owner_user_id of each KPI from its owner's email.  VOS_EINVALID naming an unknown
 * owner. */
static int resolve_owners(vos_app *app, vos_kpi_commitment *kpis, char **owners, size_t n)
{
    vos_actor who = vos_actor_system();
    for (size_t i = 0; i < n; i++) {
        if (!owners[i]) continue;
        vos_store_query q = {0};
        q.limit = 1;
        q.where[q.n_where++] = (vos_store_filter){"email", VOS_CMP_EQ, 0, 0, owners[i]};
        vos_user_row *u = NULL;
        size_t nu = 0;
        int err = vos_app_user_list(app, &who, &u, &nu, &q);
        if (err < 0) return err;
        kpis[i].owner_user_id = nu ? u[0].id : 0;
        vos_user_rows_free(u, nu);
        if (!nu)
            return vos_error_set(VOS_EINVALID, "kpi '%s': owner '%s' is not a user of VOS",
                                 kpis[i].kpi_key, owners[i]);
    }
    return 0;
}

/* Reads --kpis FILE; prints its problems.  Returns CLI_OK or the exit status. */
static int read_kpis(vos_kpi_commitment **kpis, char ***owners, vos_kpi_milestones **ms, size_t *n,
                     const char *path)
{
    char *text = NULL;
    size_t len = 0;
    if (cli_read_file(&text, &len, path, VOS_MODEL_BYTES_MAX) < 0) return CLI_FAILED;
    vos_diags d;
    vos_diags_init(&d);
    int err = cli_kpis_load(kpis, owners, ms, n, text, len, &d);
    vos_diags_sort(&d);
    cli_print_diags(stderr, path, &d, 0);
    if (err < 0)
        fprintf(stderr, "vos case commit: %s: %s; nothing was committed\n", path, vos_error_last());
    vos_diags_free(&d);
    free(text);
    return err < 0 ? cli_status(err) : CLI_OK;
}

int cli_case_commit(int argc, char **argv)
{
    const char *db = NULL, *kpi_path = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}, {"--kpis", &kpi_path, NULL, NULL, 0}};
    cli_args a = {"vos case commit", commit_help, opts, sizeof opts / sizeof *opts, 1, 1, NULL, 0};
    PARSE_OR_RETURN(a, argc, argv);
    long long id;
    if (cli_parse_id(&id, a.cmd, "the case ID", a.pos[0]) < 0) return CLI_USAGE;
    vos_kpi_commitment *kpis = NULL;
    char **owners = NULL;
    vos_kpi_milestones *ms = NULL;
    size_t n = 0;
    int rc = kpi_path ? read_kpis(&kpis, &owners, &ms, &n, kpi_path) : CLI_OK;
    vos_app *app = NULL;
    if (rc == CLI_OK) rc = cli_app_open(&app, a.cmd, cli_db_url(db));
    vos_commitment_row *cm = NULL;
    if (rc == CLI_OK) {
        vos_actor who = vos_actor_system();
        int err = resolve_owners(app, kpis, owners, n);
        if (err == 0) err = vos_app_case_commit_plan(app, &who, id, kpis, ms, n, &cm);
        if (err < 0)
            rc = cli_fail(a.cmd, err);
        else
            printf("committed case %lld: commitment %lld with %zu KPI%s, snapshot sha256 %s\n", id,
                   (long long)cm->id, n, n == 1 ? "" : "s", cm->snapshot_sha256);
    }
    vos_commitment_row_free(cm);
    vos_app_close(app);
    cli_kpis_free(kpis, owners, ms, n);
    return rc;
}

/* ---- show ---- */

/* The names behind the ids of a case: its account, model and version. */
typedef struct case_names {
    char account[VOS_NAME_MAX * 4 + 1];
    char status[16];
} case_names;

static void lookup_names(case_names *nm, vos_app *app, const vos_case_row *row, const vos_model *m)
{
    vos_actor who = vos_actor_system();
    memset(nm, 0, sizeof *nm);
    vos_store_query q = {0};
    q.limit = 1;
    q.where[q.n_where++] = (vos_store_filter){"id", VOS_CMP_EQ, row->account_id, 0, NULL};
    vos_account_row *acc = NULL;
    size_t n = 0;
    if (vos_app_account_list(app, &who, &acc, &n, &q) == 0 && n)
        snprintf(nm->account, sizeof nm->account, "%s", acc[0].name);
    vos_account_rows_free(acc, n);
    vos_model_version_row *v = NULL;
    n = 0;
    if (vos_app_model_versions(app, &who, m->id, &v, &n) == 0)
        for (size_t i = 0; i < n; i++)
            if (v[i].id == row->model_version_id)
                snprintf(nm->status, sizeof nm->status, "%s", vos_version_status_name(v[i].status));
    vos_model_version_rows_free(v, n);
}

/* The ids of the overridden inputs, in model order, as indices; *n receives the count. */
static void overridden(size_t *idx, size_t *n, const vos_model *m, const char *overrides)
{
    json_t *o = overrides ? json_loads(overrides, 0, NULL) : NULL;
    *n = 0;
    for (size_t i = 0; i < m->n_inputs; i++)
        if (json_object_get(o, m->inputs[i].id)) idx[(*n)++] = i;
    json_decref(o);
}

static void show_text(const vos_case_row *row, const case_names *nm, const vos_model *m,
                      vos_case *c, vos_result *const res[])
{
    printf("case %lld: %s\n", (long long)row->id, row->name);
    printf("  account    %s\n", nm->account);
    printf("  model      %s %s%s%s%s\n", m->id, m->version, *nm->status ? " (" : "", nm->status,
           *nm->status ? ")" : "");
    printf("  stage      %s\n", vos_case_stage_name(row->stage));
    printf("  revision   %lld (created %s, updated %s)\n\n", (long long)row->revision,
           row->created_at, row->updated_at);
    size_t *idx = calloc(m->n_inputs + 1, sizeof *idx), n = 0;
    if (idx) overridden(idx, &n, m, row->overrides);
    if (n == 0) {
        printf("No overrides: every input has the model's figures.\n\n");
    } else {
        printf("Overrides (in each input's unit)\n");
        cli_table t;
        cli_table_init(&t, 4, 0);
        cli_table_cell(&t, "input");
        cli_table_cell(&t, "unit");
        cli_table_cell(&t, "model");
        cli_table_cell(&t, "case");
        for (size_t k = 0; k < n; k++) {
            const vos_input *in = &m->inputs[idx[k]];
            char a[256], b[256];
            cli_table_cell(&t, "%s", in->id);
            cli_table_cell(&t, "%s", in->unit_text);
            cli_table_cell(&t, "%s", dist_text(a, sizeof a, &in->dist));
            cli_table_cell(&t, "%s", dist_text(b, sizeof b, vos_case_input(c, idx[k])));
        }
        cli_table_print(stdout, &t);
        cli_table_free(&t);
        printf("\n");
    }
    free(idx);
    cli_print_model_header(m);
    cli_print_scenarios(m, res);
}

static int show_json(const vos_case_row *row, const case_names *nm, const vos_model *m,
                     vos_result *const res[])
{
    vos_jw w;
    vos_jw_init(&w, CLI_JSON_MAX);
    vos_jw_object(&w);
    vos_jw_key(&w, "id");
    vos_jw_integer(&w, row->id);
    vos_jw_key(&w, "name");
    vos_jw_string(&w, row->name);
    vos_jw_key(&w, "account");
    vos_jw_object(&w);
    vos_jw_key(&w, "id");
    vos_jw_integer(&w, row->account_id);
    vos_jw_key(&w, "name");
    vos_jw_string(&w, nm->account);
    vos_jw_end(&w);
    vos_jw_key(&w, "model");
    vos_jw_object(&w);
    vos_jw_key(&w, "key");
    vos_jw_string(&w, m->id);
    vos_jw_key(&w, "version");
    vos_jw_string(&w, m->version);
    vos_jw_key(&w, "status");
    vos_jw_string(&w, nm->status);
    vos_jw_key(&w, "currency");
    vos_jw_string(&w, m->currency);
    vos_jw_end(&w);
    vos_jw_key(&w, "stage");
    vos_jw_string(&w, vos_case_stage_name(row->stage));
    vos_jw_key(&w, "revision");
    vos_jw_integer(&w, row->revision);
    vos_jw_key(&w, "created_at");
    vos_jw_string(&w, row->created_at);
    vos_jw_key(&w, "updated_at");
    vos_jw_string(&w, row->updated_at);
    vos_jw_key(&w, "overrides");
    vos_render_stored(&w, row->overrides);
    vos_jw_key(&w, "scenarios");
    vos_jw_object(&w);
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++) {
        vos_jw_key(&w, vos_scenario_name((vos_scenario)s));
        vos_render_result(&w, m, res[s], false);
    }
    vos_jw_end(&w);
    vos_jw_end(&w);
    return cli_print_json("vos case show", &w);
}

/* Computes the three scenarios of `c` into res[]. */
static int compute_all(vos_result *res[], vos_case *c, const vos_model *m)
{
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++) {
        int err = vos_result_new(&res[s], m);
        if (err == 0) err = vos_case_compute(c, (vos_scenario)s, res[s]);
        if (err < 0) return err;
    }
    return 0;
}

int cli_case_show(int argc, char **argv)
{
    const char *db = NULL, *format = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}, {"--format", &format, NULL, NULL, 0}};
    cli_args a = {"vos case show", show_help, opts, sizeof opts / sizeof *opts, 1, 1, NULL, 0};
    PARSE_OR_RETURN(a, argc, argv);
    long long id;
    int json = cli_format_json(a.cmd, format);
    if (json < 0 || cli_parse_id(&id, a.cmd, "the case ID", a.pos[0]) < 0) return CLI_USAGE;
    vos_app *app = NULL;
    int rc = cli_app_open(&app, a.cmd, cli_db_url(db));
    if (rc != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_case_row *row = NULL;
    vos_model *m = NULL;
    vos_case *c = NULL;
    vos_result *res[VOS_SCENARIO_COUNT] = {0};
    int err = vos_app_case_get(app, &who, id, &row);
    if (err == 0) err = vos_app_case_open(app, &who, id, &m, &c);
    if (err == 0) err = compute_all(res, c, m);
    if (err < 0) {
        rc = cli_fail(a.cmd, err);
    } else {
        case_names nm;
        lookup_names(&nm, app, row, m);
        if (json)
            rc = show_json(row, &nm, m, res);
        else
            show_text(row, &nm, m, c, res);
    }
    for (int s = 0; s < VOS_SCENARIO_COUNT; s++)
        vos_result_free(res[s]);
    vos_case_free(c);
    vos_model_free(m);
    vos_case_row_free(row);
    vos_app_close(app);
    return rc;
}

/* ---- transition, rebase ---- */

int cli_case_transition(int argc, char **argv)
{
    const char *db = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}};
    cli_args a = {"vos case transition", transition_help, opts, 1, 2, 2, NULL, 0};
    PARSE_OR_RETURN(a, argc, argv);
    long long id;
    vos_case_stage to;
    if (cli_parse_id(&id, a.cmd, "the case ID", a.pos[0]) < 0) return CLI_USAGE;
    if (vos_case_stage_parse(&to, a.pos[1]) < 0) {
        fprintf(stderr,
                "%s: STAGE must be hypothesis, committed, realizing, expanded, lost or "
                "closed, not '%s'\n",
                a.cmd, a.pos[1]);
        return CLI_USAGE;
    }
    vos_app *app = NULL;
    int rc = cli_app_open(&app, a.cmd, cli_db_url(db));
    if (rc != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_case_row *row = NULL;
    int err = vos_app_case_transition(app, &who, id, to, &row);
    if (err < 0)
        rc = cli_fail(a.cmd, err);
    else
        printf("case %lld is now %s\n", id, vos_case_stage_name(row->stage));
    vos_case_row_free(row);
    vos_app_close(app);
    return rc;
}

int cli_case_rebase(int argc, char **argv)
{
    const char *db = NULL, *format = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}, {"--format", &format, NULL, NULL, 0}};
    cli_args a = {"vos case rebase", rebase_help, opts, sizeof opts / sizeof *opts, 2, 2, NULL, 0};
    PARSE_OR_RETURN(a, argc, argv);
    long long id;
    int json = cli_format_json(a.cmd, format);
    if (json < 0 || cli_parse_id(&id, a.cmd, "the case ID", a.pos[0]) < 0) return CLI_USAGE;
    vos_app *app = NULL;
    int rc = cli_app_open(&app, a.cmd, cli_db_url(db));
    if (rc != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    vos_changes ch = {0};
    vos_case_row *row = NULL;
    int err = vos_app_case_rebase(app, &who, id, a.pos[1], &ch, &row);
    if (err < 0) {
        rc = cli_fail(a.cmd, err);
    } else if (json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_jw_object(&w);
        vos_jw_key(&w, "case");
        vos_jw_integer(&w, id);
        vos_jw_key(&w, "version");
        vos_jw_string(&w, a.pos[1]);
        vos_jw_key(&w, "revision");
        vos_jw_integer(&w, row->revision);
        vos_render_changes(&w, &ch);
        vos_jw_end(&w);
        rc = cli_print_json(a.cmd, &w);
    } else {
        printf("re-based case %lld onto version %s (revision %lld)\n\n", id, a.pos[1],
               (long long)row->revision);
        rc = cli_print_changes(&ch);
    }
    vos_changes_free(&ch);
    vos_case_row_free(row);
    vos_app_close(app);
    return rc;
}

/* ---- list ---- */

/* Model key and version of every model version, for the list. */
typedef struct version_name {
    int64_t id;
    char *key, *version;
} version_name;

typedef struct catalog {
    vos_account_row *accounts;
    size_t n_accounts;
    version_name *versions;
    size_t n_versions;
} catalog;

static void catalog_free(catalog *cat)
{
    vos_account_rows_free(cat->accounts, cat->n_accounts);
    for (size_t i = 0; i < cat->n_versions; i++) {
        free(cat->versions[i].key);
        free(cat->versions[i].version);
    }
    free(cat->versions);
    memset(cat, 0, sizeof *cat);
}

static int catalog_add_versions(catalog *cat, const char *key, const vos_model_version_row *v,
                                size_t n)
{
    version_name *grown = realloc(cat->versions, (cat->n_versions + n) * sizeof *grown);
    if (!grown && n) return vos_error_set(VOS_ENOMEM, "out of memory listing cases");
    cat->versions = grown;
    for (size_t i = 0; i < n; i++) {
        version_name *vn = &cat->versions[cat->n_versions];
        vn->id = v[i].id;
        vn->key = strdup(key);
        vn->version = strdup(v[i].version);
        cat->n_versions++;
        if (!vn->key || !vn->version)
            return vos_error_set(VOS_ENOMEM, "out of memory listing cases");
    }
    return 0;
}

static int catalog_load(catalog *cat, vos_app *app)
{
    vos_actor who = vos_actor_system();
    memset(cat, 0, sizeof *cat);
    int err = cli_accounts_all(app, &cat->accounts, &cat->n_accounts, NULL, 0);
    vos_model_row *models = NULL;
    size_t n_models = 0;
    if (err == 0) err = cli_models_all(app, &models, &n_models, NULL, 0);
    for (size_t i = 0; err == 0 && i < n_models; i++) {
        vos_model_version_row *v = NULL;
        size_t n = 0;
        err = vos_app_model_versions(app, &who, models[i].key, &v, &n);
        if (err == 0) err = catalog_add_versions(cat, models[i].key, v, n);
        vos_model_version_rows_free(v, n);
    }
    vos_model_rows_free(models, n_models);
    return err;
}

static const char *account_name(const catalog *cat, int64_t id)
{
    for (size_t i = 0; i < cat->n_accounts; i++)
        if (cat->accounts[i].id == id) return cat->accounts[i].name;
    return "?";
}

static const version_name *version_name_of(const catalog *cat, int64_t id)
{
    static const version_name unknown = {0, "?", "?"};
    for (size_t i = 0; i < cat->n_versions; i++)
        if (cat->versions[i].id == id) return &cat->versions[i];
    return &unknown;
}

static int render_cases(const vos_case_row *rows, size_t n, const catalog *cat, int json)
{
    vos_jw w;
    cli_table t;
    vos_jw_init(&w, CLI_JSON_MAX);
    vos_jw_array(&w);
    cli_table_init(&t, 7, 1u);
    const char *head[] = {"id", "account", "name", "stage", "model", "version", "updated"};
    for (size_t k = 0; k < 7; k++)
        cli_table_cell(&t, "%s", head[k]);
    for (size_t i = 0; i < n; i++) {
        const vos_case_row *r = &rows[i];
        const version_name *vn = version_name_of(cat, r->model_version_id);
        const char *acc = account_name(cat, r->account_id);
        const char *stage = vos_case_stage_name(r->stage);
        cli_table_cell(&t, "%lld", (long long)r->id);
        cli_table_cell(&t, "%s", acc);
        cli_table_cell(&t, "%s", r->name);
        cli_table_cell(&t, "%s", stage);
        cli_table_cell(&t, "%s", vn->key);
        cli_table_cell(&t, "%s", vn->version);
        cli_table_cell(&t, "%s", r->updated_at);
        vos_jw_object(&w);
        vos_jw_key(&w, "id");
        vos_jw_integer(&w, r->id);
        vos_jw_key(&w, "account");
        vos_jw_string(&w, acc);
        vos_jw_key(&w, "name");
        vos_jw_string(&w, r->name);
        vos_jw_key(&w, "stage");
        vos_jw_string(&w, stage);
        vos_jw_key(&w, "model");
        vos_jw_string(&w, vn->key);
        vos_jw_key(&w, "version");
        vos_jw_string(&w, vn->version);
        vos_jw_key(&w, "revision");
        vos_jw_integer(&w, r->revision);
        vos_jw_key(&w, "updated_at");
        vos_jw_string(&w, r->updated_at);
        vos_jw_end(&w);
    }
    vos_jw_end(&w);
    int rc;
    if (json)
        rc = cli_print_json("vos case list", &w);
    else if (n == 0)
        rc = (printf("no cases\n"), CLI_OK);
    else
        rc = cli_table_print(stdout, &t);
    vos_jw_free(&w);
    cli_table_free(&t);
    return rc;
}

/* The filters of `vos case list`; returns 0 or a libvos error. */
static int list_filters(vos_store_query *q, vos_app *app, const char *account, const char *stage)
{
    vos_actor who = vos_actor_system();
    if (account) {
        vos_account_row *acc = NULL;
        int err = vos_app_account_get(app, &who, account, &acc);
        if (err < 0) return err;
        q->where[q->n_where++] = (vos_store_filter){"account_id", VOS_CMP_EQ, acc->id, 0, NULL};
        vos_account_row_free(acc);
    }
    if (stage) {
        vos_case_stage s;
        if (vos_case_stage_parse(&s, stage) < 0)
            return vos_error_set(VOS_EINVALID,
                                 "--stage must be hypothesis, committed, realizing, expanded, "
                                 "lost or closed, not '%s'",
                                 stage);
        q->where[q->n_where++] = (vos_store_filter){"stage", VOS_CMP_EQ, s, 0, NULL};
    }
    return 0;
}

int cli_case_list(int argc, char **argv)
{
    const char *db = NULL, *format = NULL, *account = NULL, *stage = NULL;
    cli_option opts[] = {
        {"--db", &db, NULL, NULL, 0},
        {"--format", &format, NULL, NULL, 0},
        {"--account", &account, NULL, NULL, 0},
        {"--stage", &stage, NULL, NULL, 0},
    };
    cli_args a = {"vos case list", list_help, opts, sizeof opts / sizeof *opts, 0, 0, NULL, 0};
    PARSE_OR_RETURN(a, argc, argv);
    int json = cli_format_json(a.cmd, format);
    if (json < 0) return CLI_USAGE;
    vos_app *app = NULL;
    int rc = cli_app_open(&app, a.cmd, cli_db_url(db));
    if (rc != CLI_OK) return rc;
    vos_store_query q = {0};
    vos_case_row *rows = NULL;
    size_t n = 0;
    catalog cat;
    memset(&cat, 0, sizeof cat);
    int err = list_filters(&q, app, account, stage);
    if (err == 0) err = cli_cases_all(app, &rows, &n, &q, 0);
    if (err == 0) err = catalog_load(&cat, app);
    rc = err < 0 ? cli_fail(a.cmd, err) : render_cases(rows, n, &cat, json);
    catalog_free(&cat);
    vos_case_rows_free(rows, n);
    vos_app_close(app);
    return rc;
}
