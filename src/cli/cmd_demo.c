/* vos demo: loads the example models, accounts and cases into an empty database. */
#include "cli.h"

#include "vos/app.h"
#include "vos/app_assess.h"
#include "vos/error.h"
#include "vos/limits.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEMO_MODELS_MAX 64 /* model files loaded from the models directory */
#define DEMO_PATH_MAX 4096
#define DEMO_ORG "Demo Value Software"
#define DEMO_CURRENCY "USD"
#define DEMO_PASSWORD "vos-demo-password" /* of every demo user: published, for trying VOS */

static const char demo_help[] =
    "usage: vos demo [--db URL] [--models DIR]\n"
    "\n"
    "Loads the example into an empty database: initialises it (customers may send their\n"
    "own measurements), imports and approves every model of DIR (*.yaml), adds four\n"
    "accounts and one user per role who can sign in with the password " DEMO_PASSWORD "\n"
    "(the partner owns one account; the two customers belong to one account each), creates\n"
    "a business case for each account on a different model with a few overrides, commits\n"
    "two of them with KPIs (baselines half a year ago, targets a year after them) and moves\n"
    "one on to realizing, adds weekly measurements of their KPIs since the baselines (one\n"
    "falls behind its plan) and evaluates the alerts, and records two value maturity\n"
    "self-assessments by the executive (half a year ago and today).  Refuses a database\n"
    "that already has models or accounts.\n"
    "\n"
    "options:\n"
    "  --db URL       the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  --models DIR   the example models (default: models/ in the current directory, else\n"
    "                 next to the vos binary's source tree)\n"
    "  -h, --help     this help\n"
    "\n"
    "Exit status: 0 loaded, 1 refused (the database is not empty) or a step failed,\n"
    "2 usage, 3 a file or the database could not be read.\n";

typedef struct demo_account {
    const char *name, *industry;
    vos_account_size size;
    const char *segments; /* JSON array */
    const char *owner;    /* email of the demo user who owns it, or NULL */
} demo_account;

static const demo_account accounts[] = {
    {"Northwind Traders", "Wholesale distribution", VOS_ACCOUNT_SIZE_MID_MARKET, "[\"na\"]", NULL},
    {"Contoso Bank", "Financial services", VOS_ACCOUNT_SIZE_ENTERPRISE, "[\"emea\",\"fsi\"]", NULL},
    {"Fabrikam Manufacturing", "Manufacturing", VOS_ACCOUNT_SIZE_ENTERPRISE, "[\"emea\"]",
     "partner@vos.demo"},
    {"Tailspin Retail", "Retail", VOS_ACCOUNT_SIZE_MID_MARKET, "[\"na\",\"retail\"]", NULL},
};

/* One user per role.  Customers belong to an account, so they are added after the accounts;
 * the others before, so that the partner can own one. */
typedef struct demo_user {
    const char *email, *name;
    vos_role role;
    const char *account; /* a customer's account, or NULL */
} demo_user;

static const demo_user users[] = {
    {"admin@vos.demo", "Ada Admin", VOS_ROLE_ADMIN, NULL},
    {"engineer@vos.demo", "Val Engineer", VOS_ROLE_VALUE_ENGINEER, NULL},
    {"seller@vos.demo", "Sam Seller", VOS_ROLE_SELLER, NULL},
    {"csm@vos.demo", "Cas Success", VOS_ROLE_CSM, NULL},
    {"exec@vos.demo", "Eve Executive", VOS_ROLE_EXECUTIVE, NULL},
    {"partner@vos.demo", "Pat Partner", VOS_ROLE_PARTNER, NULL},
    {"customer@northwind.demo", "Nora Northwind", VOS_ROLE_CUSTOMER, "Northwind Traders"},
    {"customer@contoso.demo", "Cole Contoso", VOS_ROLE_CUSTOMER, "Contoso Bank"},
};
#define DEMO_USERS (sizeof users / sizeof *users)

typedef struct demo_override {
    const char *input;
    double value, low, high; /* NAN: keep the model's */
} demo_override;

typedef struct demo_kpi {
    const char *kpi;
    double baseline, target;
    vos_trajectory trajectory;
    const char *data_source;
} demo_kpi;

#define DEMO_OVERRIDES_MAX 3
#define DEMO_KPIS_MAX 5

typedef struct demo_case {
    const char *account, *name, *model;
    demo_override overrides[DEMO_OVERRIDES_MAX];
    demo_kpi kpis[DEMO_KPIS_MAX]; /* committed when the first has a kpi */
    int realizing;                /* moved on to realizing after the commitment */
} demo_case;

static const demo_case cases[] = {
    {"Northwind Traders",
     "Service desk automation",
     "service-desk-automation",
     {{"tickets", 20000, 18000, 22000}, {"agent_rate", 52, NAN, NAN}},
     {{"triage_effort", 4, 1.5, VOS_TRAJECTORY_LINEAR, "ServiceNow ticket audit trail"},
      {"mttr", 9.5, 7, VOS_TRAJECTORY_S_CURVE, "ServiceNow resolution times"},
      {"self_service_rate", 20, 30, VOS_TRAJECTORY_LINEAR, "ServiceNow portal analytics"},
      {"escalation_share", 18, 8, VOS_TRAJECTORY_LINEAR, "ServiceNow assignment history"},
      {"p1_incidents", 3, 2.64, VOS_TRAJECTORY_STEP, "Major incident register"}},
     1},
    {"Contoso Bank",
     "Identity security programme",
     "security-risk-reduction",
     {{"identity_alerts", 4200, 3600, 4800}, {"analyst_rate", 76, NAN, NAN}},
     {{"mfa_coverage", 35, 95, VOS_TRAJECTORY_S_CURVE, "Identity provider enrolment report"},
      {"ato_cases", 14, 5, VOS_TRAJECTORY_LINEAR, "Fraud case management system"}},
     0},
    {"Fabrikam Manufacturing",
     "Inventory optimisation",
     "inventory-optimisation",
     {{"avg_inventory", 22000000, 20500000, 24000000},
      {"annual_revenue", 180000000, 170000000, 190000000}},
     {{NULL, 0, 0, 0, NULL}},
     0},
    {"Tailspin Retail",
     "Sales productivity",
     "sales-productivity",
     {{"sellers", 45, 40, 50}, {"deal_size", 18000, 16000, 20000}},
     {{NULL, 0, 0, 0, NULL}},
     0},
};

/* ---- finding the models ---- */

static int is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* models/ in the current directory, else in the source tree of the binary (build/rel/vos
 * -> ../../models). */
static const char *default_models_dir(char *buf, size_t size)
{
    if (is_dir("models")) return "models";
    char exe[DEMO_PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return "models";
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) *slash = '\0';
    static const char *const up[] = {"/../../models", "/../models", "/models"};
    for (size_t i = 0; i < sizeof up / sizeof *up; i++) {
        snprintf(buf, size, "%s%s", exe, up[i]);
        if (is_dir(buf)) return buf;
    }
    return "models";
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml files of `dir`, sorted.  OUT: names[0..*n) (caller frees each). */
static int model_files(char **names, size_t *n, const char *dir)
{
    DIR *d = opendir(dir);
    *n = 0;
    if (!d) {
        fprintf(stderr, "vos demo: %s: cannot open the models directory (see --models)\n", dir);
        return CLI_FAILED;
    }
    struct dirent *e;
    while ((e = readdir(d)) && *n < DEMO_MODELS_MAX) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0 && e->d_name[0] != '.')
            if ((names[*n] = strdup(e->d_name))) ++*n;
    }
    closedir(d);
    qsort(names, *n, sizeof *names, by_name);
    if (*n == 0) {
        fprintf(stderr, "vos demo: %s has no *.yaml model files (see --models)\n", dir);
        return CLI_FAILED;
    }
    return CLI_OK;
}

/* ---- loading ---- */

/* Refuses a database that has models or accounts already. */
static int check_empty(vos_app *app, const char *url)
{
    vos_model_row *m = NULL;
    vos_account_row *a = NULL;
    size_t nm = 0, na = 0;
    int err = cli_models_all(app, &m, &nm, NULL, 1);
    if (err == 0) err = cli_accounts_all(app, &a, &na, NULL, 1);
    vos_model_rows_free(m, nm);
    vos_account_rows_free(a, na);
    if (err < 0) return cli_fail("vos demo", err);
    if (nm || na) {
        fprintf(stderr,
                "vos demo: %s already has %s; load the demo into a new database, e.g. "
                "vos demo --db sqlite:demo.db\n",
                url, nm ? "models" : "accounts");
        return CLI_PROBLEMS;
    }
    return CLI_OK;
}

/* Imports and approves one model file. */
static int load_model(vos_app *app, const char *dir, const char *name)
{
    char path[DEMO_PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = NULL;
    size_t len = 0;
    if (cli_read_file(&text, &len, path, VOS_MODEL_BYTES_MAX) < 0) return CLI_FAILED;
    vos_actor who = vos_actor_system();
    vos_diags d;
    vos_diags_init(&d);
    vos_model_version_row *row = NULL, *approved = NULL;
    int rc = CLI_OK, err = vos_app_model_import(app, &who, text, len, path, &d, &row);
    vos_model *m = NULL;
    vos_diags quiet;
    vos_diags_init(&quiet);
    if (err == 0 && vos_model_load(&m, text, len, path, &quiet) == 0)
        err = vos_app_model_approve(app, &who, m->id, row->version, &approved);
    if (err < 0) {
        vos_diags_sort(&d);
        cli_print_diags(stderr, path, &d, 0);
        fprintf(stderr, "vos demo: %s: %s\n", path, vos_error_last());
        rc = cli_status(err);
    } else if (m) {
        printf("  model    %s %s (approved)\n", m->id, row->version);
    }
    vos_model_free(m);
    vos_diags_free(&quiet);
    vos_diags_free(&d);
    vos_model_version_row_free(row);
    vos_model_version_row_free(approved);
    free(text);
    return rc;
}

static int load_models(vos_app *app, const char *dir)
{
    char *names[DEMO_MODELS_MAX];
    size_t n = 0;
    int rc = model_files(names, &n, dir);
    for (size_t i = 0; i < n && rc == CLI_OK; i++)
        rc = load_model(app, dir, names[i]);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    return rc;
}

/* Adds the demo users of one kind (customers or the others) with the demo password.
 * OUT: ids[i] for each user added. */
static int load_users(vos_app *app, int customers, const int64_t account_ids[],
                      int64_t ids[DEMO_USERS])
{
    vos_actor who = vos_actor_system();
    for (size_t i = 0; i < DEMO_USERS; i++) {
        const demo_user *u = &users[i];
        if ((u->role == VOS_ROLE_CUSTOMER) != customers) continue;
        vos_user_row row = {0};
        row.email = (char *)u->email;
        row.name = (char *)u->name;
        row.role = u->role;
        row.active = true;
        for (size_t k = 0; u->account && k < sizeof accounts / sizeof *accounts; k++)
            if (strcmp(accounts[k].name, u->account) == 0) row.account_id = account_ids[k];
        int err = vos_app_user_add(app, &who, &row);
        if (err == 0) err = vos_app_user_set_password(app, &who, row.id, DEMO_PASSWORD);
        if (err < 0) return cli_fail("vos demo", err);
        ids[i] = row.id;
    }
    return CLI_OK;
}

/* The id of the demo user with `email` (added already), or 0. */
static int64_t user_id(const int64_t ids[DEMO_USERS], const char *email)
{
    for (size_t i = 0; email && i < DEMO_USERS; i++)
        if (strcmp(users[i].email, email) == 0) return ids[i];
    return 0;
}

/* OUT: account_ids[i] for accounts[i]. */
static int load_accounts(vos_app *app, const int64_t user_ids[DEMO_USERS], int64_t account_ids[])
{
    vos_actor who = vos_actor_system();
    for (size_t i = 0; i < sizeof accounts / sizeof *accounts; i++) {
        const demo_account *a = &accounts[i];
        vos_account_row row = {0};
        row.name = (char *)a->name;
        row.industry = (char *)a->industry;
        row.size = a->size;
        row.segments = (char *)a->segments;
        row.owner_user_id = user_id(user_ids, a->owner);
        int err = vos_app_account_add(app, &who, &row);
        if (err < 0) return cli_fail("vos demo", err);
        account_ids[i] = row.id;
        printf("  account  %s (%s, %s)\n", a->name, a->industry, vos_account_size_name(a->size));
    }
    return CLI_OK;
}

/* The users (before the accounts, but the customers), then the accounts, then the customers. */
static int load_people(vos_app *app)
{
    int64_t user_ids[DEMO_USERS] = {0}, account_ids[sizeof accounts / sizeof *accounts] = {0};
    int rc = load_users(app, 0, account_ids, user_ids);
    if (rc == CLI_OK) rc = load_accounts(app, user_ids, account_ids);
    if (rc == CLI_OK) rc = load_users(app, 1, account_ids, user_ids);
    return rc;
}

/* Lets customers send the measurements of their own account. */
static int allow_customer_measurements(vos_app *app)
{
    vos_actor who = vos_actor_system();
    vos_organisation_row *org = NULL;
    int err = vos_app_organisation_get(app, &who, &org);
    if (err == 0) {
        org->customer_measurements = true;
        err = vos_app_organisation_update(app, &who, org);
    }
    vos_organisation_row_free(org);
    return err < 0 ? cli_fail("vos demo", err) : CLI_OK;
}

static void print_users(void)
{
    printf("\nUsers (every one signs in with the password %s):\n", DEMO_PASSWORD);
    for (size_t i = 0; i < DEMO_USERS; i++) {
        const demo_user *u = &users[i];
        const char *owns = NULL;
        for (size_t k = 0; k < sizeof accounts / sizeof *accounts; k++)
            if (accounts[k].owner && strcmp(accounts[k].owner, u->email) == 0)
                owns = accounts[k].name;
        printf("  %-25s %s", u->email, vos_role_name(u->role));
        if (u->account) printf(" of %s", u->account);
        if (owns) printf(", owner of %s", owns);
        putchar('\n');
    }
}

/* The baselines' date, CLI_DEMO_HISTORY_DAYS ago, and the same day a year later (the
 * targets), "YYYY-MM-DD" (UTC; 29 February becomes the 28th). */
static void demo_dates(char today[11], char next_year[11])
{
    time_t now = time(NULL) - (time_t)CLI_DEMO_HISTORY_DAYS * 24 * 3600;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(today, 11, "%Y-%m-%d", &tm);
    tm.tm_year++;
    if (tm.tm_mon == 1 && tm.tm_mday == 29) tm.tm_mday = 28;
    strftime(next_year, 11, "%Y-%m-%d", &tm);
}

static int commit_case(vos_app *app, int64_t id, const demo_case *dc)
{
    vos_actor who = vos_actor_system();
    vos_kpi_commitment kpis[DEMO_KPIS_MAX];
    char today[11], next_year[11];
    demo_dates(today, next_year);
    size_t n = 0;
    for (; n < DEMO_KPIS_MAX && dc->kpis[n].kpi; n++) {
        const demo_kpi *k = &dc->kpis[n];
        memset(&kpis[n], 0, sizeof kpis[n]);
        kpis[n].kpi_key = (char *)k->kpi;
        kpis[n].baseline_value = k->baseline;
        kpis[n].baseline_date = today;
        kpis[n].target_value = k->target;
        kpis[n].target_date = next_year;
        kpis[n].trajectory = k->trajectory;
        kpis[n].tolerance = 0; /* the organisation's default */
        kpis[n].data_source = (char *)k->data_source;
    }
    vos_commitment_row *cm = NULL;
    int err = vos_app_case_commit(app, &who, id, kpis, n, &cm);
    vos_commitment_row_free(cm);
    vos_case_row *row = NULL;
    if (err == 0 && dc->realizing)
        err = vos_app_case_transition(app, &who, id, VOS_STAGE_REALIZING, &row);
    vos_case_row_free(row);
    return err < 0 ? cli_fail("vos demo", err) : CLI_OK;
}

static int set_overrides(vos_app *app, int64_t id, const demo_case *dc)
{
    vos_actor who = vos_actor_system();
    for (size_t k = 0; k < DEMO_OVERRIDES_MAX && dc->overrides[k].input; k++) {
        const demo_override *o = &dc->overrides[k];
        vos_input_override ov = {.value = o->value,
                                 .low = o->low,
                                 .high = o->high,
                                 .has_value = 1,
                                 .has_low = !isnan(o->low),
                                 .has_high = !isnan(o->high)};
        vos_case_row *row = NULL;
        int err = vos_app_case_set(app, &who, id, o->input, &ov, 0, &row);
        vos_case_row_free(row);
        if (err < 0) return cli_fail("vos demo", err);
    }
    return CLI_OK;
}

static int load_case(vos_app *app, const demo_case *dc, int64_t *id)
{
    vos_actor who = vos_actor_system();
    vos_case_row *row = NULL;
    int err = vos_app_case_create(app, &who, dc->account, dc->name, dc->model, NULL, &row);
    if (err < 0) return cli_fail("vos demo", err);
    *id = row->id;
    vos_case_row_free(row);
    int rc = set_overrides(app, *id, dc);
    if (rc == CLI_OK && dc->kpis[0].kpi) rc = commit_case(app, *id, dc);
    if (rc == CLI_OK)
        printf("  case     %lld %s / %s on %s (%s)\n", (long long)*id, dc->account, dc->name,
               dc->model,
               !dc->kpis[0].kpi ? "hypothesis"
               : dc->realizing  ? "realizing"
                                : "committed");
    return rc;
}

/* ---- maturity assessments: one half a year ago and one today, by the executive ---- */

#define DEMO_ASSESSOR "exec@vos.demo"
#define DEMO_ASSESS_AGO_DAYS 182
#define DEMO_DAY_S 86400
#define DEMO_DIMS 15 /* of blueprint v1, in its order (vos assess blueprint) */

static const char *const demo_dims[DEMO_DIMS] = {
    "prioritization",      "process_maturity", "organizational_capability", "value_narrative",
    "executive_sponsorship", "partners",       "targeting",                 "engagement_timing",
    "discussion_lead",     "customer_experience", "content_creation",    "organizational_support",
    "value_technology",    "value_discovery",  "content_integration"};
static const int demo_past[DEMO_DIMS] = {1, 2, 1, 1, 2, 1, 2, 1, 2, 1, 1, 2, 1, 2, 1};
static const int demo_now[DEMO_DIMS] = {2, 3, 2, 2, 3, 1, 2, 2, 2, 2, 2, 2, 3, 2, 1};

static int take_assessment(vos_app *app, const vos_actor *who, const int *stages, int days_ago)
{
    char date[11];
    time_t t = time(NULL) - (time_t)days_ago * DEMO_DAY_S;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    vos_assessment_answer_in answers[DEMO_DIMS];
    for (size_t i = 0; i < DEMO_DIMS; i++)
        answers[i] = (vos_assessment_answer_in){demo_dims[i], stages[i], NULL};
    if (!days_ago) {
        answers[1].evidence = "Value models approved and versioned centrally in VOS";
        answers[12].evidence = "Business cases, commitments and measurements in one platform";
    }
    vos_assessment_in in = {date, 3, days_ago ? "Baseline" : "Half-year review", answers,
                            DEMO_DIMS};
    vos_assessment *a = NULL;
    int err = vos_app_assessment_take(app, who, &in, &a);
    if (err < 0) return cli_fail("vos demo", err);
    printf("  assessment %lld on %s: median %g, target III\n", (long long)a->row->id, date,
           a->scores.overall.median);
    vos_assessment_free(a);
    return CLI_OK;
}

static int load_assessments(vos_app *app)
{
    vos_actor sys = vos_actor_system();
    vos_store_query q = {.limit = 1, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "email", .s = DEMO_ASSESSOR};
    vos_user_row *u = NULL;
    size_t n = 0;
    int err = vos_app_user_list(app, &sys, &u, &n, &q);
    if (err < 0) return cli_fail("vos demo", err);
    vos_actor who = n ? (vos_actor){u->email, u->id, u->role, u->account_id} : sys;
    int rc = take_assessment(app, &who, demo_past, DEMO_ASSESS_AGO_DAYS);
    if (rc == CLI_OK) rc = take_assessment(app, &who, demo_now, 0);
    vos_user_rows_free(u, n);
    return rc;
}

static void print_next(const char *url, int64_t first_case)
{
    char opt[DEMO_PATH_MAX + 8] = "";
    if (strcmp(url, CLI_DB_DEFAULT) != 0) snprintf(opt, sizeof opt, " --db %s", url);
    printf("\nTry next:\n"
           "  vos case list%s\n"
           "  vos case show %lld%s\n"
           "  vos case explain --case %lld npv%s\n"
           "  vos model list%s\n"
           "  vos audit log --limit 10%s\n"
           "  vos audit verify%s\n"
           "  vos assess history%s\n"
           "  vos assess report -o report.html%s\n",
           opt, (long long)first_case, opt, (long long)first_case, opt, opt, opt, opt, opt, opt);
}

int vos_cmd_demo(int argc, char **argv)
{
    const char *db = NULL, *dir = NULL;
    cli_option opts[] = {{"--db", &db, NULL, NULL, 0}, {"--models", &dir, NULL, NULL, 0}};
    cli_args a = {"vos demo", demo_help, opts, sizeof opts / sizeof *opts, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    char dirbuf[DEMO_PATH_MAX];
    if (!dir) dir = default_models_dir(dirbuf, sizeof dirbuf);
    const char *url = cli_db_url(db);
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, a.cmd, url)) != CLI_OK) return rc;
    vos_actor who = vos_actor_system();
    if ((rc = check_empty(app, url)) != CLI_OK) goto out;
    int err = vos_app_init(app, &who, DEMO_ORG, DEMO_CURRENCY, NULL);
    if (err < 0) {
        rc = cli_fail(a.cmd, err);
        goto out;
    }
    printf("loading the demo into %s\n", url);
    if ((rc = allow_customer_measurements(app)) != CLI_OK ||
        (rc = load_models(app, dir)) != CLI_OK || (rc = load_people(app)) != CLI_OK)
        goto out;
    int64_t first = 0, id = 0;
    long long committed[sizeof cases / sizeof *cases];
    size_t n_committed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases && rc == CLI_OK; i++) {
        rc = load_case(app, &cases[i], &id);
        if (i == 0) first = id;
        if (cases[i].kpis[0].kpi) committed[n_committed++] = id;
    }
    if (rc == CLI_OK) rc = cli_demo_history(app, committed, n_committed);
    if (rc == CLI_OK) rc = load_assessments(app);
    if (rc == CLI_OK) {
        print_users();
        print_next(url, first);
    }
out:
    vos_app_close(app);
    return rc;
}
