/* The application layer: opening, actors and permissions, transactions and audit, and the
 * operations on the organisation, users, accounts, the audit log and backups.  Models are
 * in app_model.c, cases in app_case.c and app_commit.c. */
#include "app_int.h"

#include "vos/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- opening -------------------------------------------------------------------------------- */

vos_actor vos_actor_system(void)
{
    return (vos_actor){.name = "system", .user_id = 0, .role = VOS_ROLE_ADMIN, .account_id = 0};
}

int vos_app_open(vos_app **out, const char *url)
{
    *out = NULL;
    vos_app *app = calloc(1, sizeof *app);
    if (!app) return vos_error_set(VOS_ENOMEM, "out of memory");
    int rc = vos_store_open(&app->st, url);
    if (rc < 0) {
        free(app);
        return rc;
    }
    *out = app;
    return 0;
}

void vos_app_close(vos_app *app)
{
    if (!app) return;
    for (size_t i = 0; i < APP_MODEL_CACHE; i++)
        vos_model_free(app->models[i].model);
    vos_store_close(app->st);
    free(app);
}

/* ---- permissions ---------------------------------------------------------------------------- */

#define ROLE(r) (1u << (r))
#define INTERNAL                                                                                   \
    (ROLE(VOS_ROLE_ADMIN) | ROLE(VOS_ROLE_VALUE_ENGINEER) | ROLE(VOS_ROLE_SELLER) |                \
     ROLE(VOS_ROLE_CSM) | ROLE(VOS_ROLE_EXECUTIVE))
#define BUILDERS                                                                                   \
    (ROLE(VOS_ROLE_ADMIN) | ROLE(VOS_ROLE_VALUE_ENGINEER) | ROLE(VOS_ROLE_SELLER) |                \
     ROLE(VOS_ROLE_CSM))
#define EVERYONE (INTERNAL | ROLE(VOS_ROLE_CUSTOMER) | ROLE(VOS_ROLE_PARTNER))

/* Who may do what: the one table of permissions (docs/internals/app.md shows it). */
static const struct {
    const char *what; /* for messages: "<role> may not <what>" */
    unsigned roles;   /* ROLE() bits */
} permissions[VOS_APP_OP_COUNT] = {
    [VOS_OP_INIT] = {"set up the organisation", ROLE(VOS_ROLE_ADMIN)},
    [VOS_OP_USER_ADD] = {"add users", ROLE(VOS_ROLE_ADMIN)},
    [VOS_OP_USER_READ] = {"list users", INTERNAL},
    [VOS_OP_ACCOUNT_ADD] = {"add accounts", BUILDERS},
    [VOS_OP_ACCOUNT_READ] = {"read accounts", EVERYONE},
    [VOS_OP_MODEL_WRITE] = {"import, approve or retire models",
                            ROLE(VOS_ROLE_ADMIN) | ROLE(VOS_ROLE_VALUE_ENGINEER)},
    [VOS_OP_MODEL_READ] = {"read models", INTERNAL | ROLE(VOS_ROLE_PARTNER)},
    [VOS_OP_CASE_CREATE] = {"create cases", BUILDERS},
    [VOS_OP_CASE_READ] = {"read cases", EVERYONE},
    [VOS_OP_CASE_EDIT] = {"change cases", BUILDERS},
    [VOS_OP_CASE_COMMIT] = {"commit cases", ROLE(VOS_ROLE_ADMIN) | ROLE(VOS_ROLE_VALUE_ENGINEER) |
                                                ROLE(VOS_ROLE_SELLER)},
    [VOS_OP_CASE_TRANSITION] = {"move cases along their lifecycle", BUILDERS},
    [VOS_OP_AUDIT_READ] = {"read the audit log", ROLE(VOS_ROLE_ADMIN) | ROLE(VOS_ROLE_EXECUTIVE)},
    [VOS_OP_BACKUP] = {"back up the database", ROLE(VOS_ROLE_ADMIN)},
    [VOS_OP_USER_UPDATE] = {"change users", ROLE(VOS_ROLE_ADMIN)},
    [VOS_OP_TOKEN] = {"manage API tokens", EVERYONE},
    [VOS_OP_BENCHMARK_WRITE] = {"add benchmarks",
                                ROLE(VOS_ROLE_ADMIN) | ROLE(VOS_ROLE_VALUE_ENGINEER)},
    [VOS_OP_BENCHMARK_READ] = {"read benchmarks", INTERNAL | ROLE(VOS_ROLE_PARTNER)},
    [VOS_OP_MEASUREMENT_WRITE] = {"send measurements", ROLE(VOS_ROLE_ADMIN) |
                                                           ROLE(VOS_ROLE_VALUE_ENGINEER) |
                                                           ROLE(VOS_ROLE_CSM) |
                                                           ROLE(VOS_ROLE_CUSTOMER)},
    [VOS_OP_MEASUREMENT_READ] = {"read measurements", EVERYONE},
    [VOS_OP_PROOF_WRITE] = {"record proof points", ROLE(VOS_ROLE_ADMIN) |
                                                       ROLE(VOS_ROLE_VALUE_ENGINEER) |
                                                       ROLE(VOS_ROLE_CSM)},
    [VOS_OP_PROOF_READ] = {"read proof points", EVERYONE},
    [VOS_OP_ALERT_READ] = {"read alerts", EVERYONE},
    [VOS_OP_ALERT_UPDATE] = {"acknowledge or resolve alerts", ROLE(VOS_ROLE_ADMIN) |
                                                                  ROLE(VOS_ROLE_VALUE_ENGINEER) |
                                                                  ROLE(VOS_ROLE_CSM)},
    [VOS_OP_ASSESS_WRITE] = {"take maturity assessments", ROLE(VOS_ROLE_ADMIN) |
                                                              ROLE(VOS_ROLE_VALUE_ENGINEER) |
                                                              ROLE(VOS_ROLE_EXECUTIVE)},
    [VOS_OP_ASSESS_READ] = {"read maturity assessments", INTERNAL},
};

static int valid_role(vos_role r)
{
    return vos_role_name(r) != NULL;
}

bool vos_app_allows(const vos_actor *who, vos_app_op op)
{
    if (!who || !valid_role(who->role) || (unsigned)op >= VOS_APP_OP_COUNT) return false;
    return (permissions[op].roles & ROLE(who->role)) != 0;
}

int app_allow(const vos_actor *who, vos_app_op op)
{
    if (!who || !who->name || !*who->name)
        return vos_error_set(VOS_EINVALID, "the actor has no name");
    if (!valid_role(who->role))
        return vos_error_set(VOS_EINVALID, "the actor's role %d is not a role", (int)who->role);
    if ((unsigned)op >= VOS_APP_OP_COUNT)
        return vos_error_set(VOS_EINVALID, "operation %d does not exist", (int)op);
    if (vos_app_allows(who, op)) return 0;
    return vos_error_set(VOS_EFORBIDDEN, "%s (%s) may not %s", who->name, vos_role_name(who->role),
                         permissions[op].what);
}

bool app_scoped(const vos_actor *who)
{
    return who->role == VOS_ROLE_CUSTOMER || who->role == VOS_ROLE_PARTNER;
}

/* A customer sees its own account; a partner the account it is scoped to and those it owns. */
int app_sees_account(vos_app *app, const vos_actor *who, int64_t account_id)
{
    if (!app_scoped(who)) return 1;
    if (who->account_id != 0 && who->account_id == account_id) return 1;
    if (who->role != VOS_ROLE_PARTNER || who->user_id == 0) return 0;
    vos_account_row *a = NULL;
    int sees =
        vos_store_account_get(app->st, &a, account_id) == 0 && a->owner_user_id == who->user_id;
    vos_account_row_free(a);
    return sees;
}

/* ---- transactions and audit ----------------------------------------------------------------- */

int app_begin(vos_app *app)
{
    return vos_store_begin(app->st);
}

int app_end(vos_app *app, int rc)
{
    if (rc == 0) return vos_store_commit(app->st);
    char msg[VOS_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", vos_error_last());
    vos_store_rollback(app->st);
    return vos_error_set(rc, "%s", msg);
}

int app_before(vos_app *app, vos_entity entity, int64_t id, char **before)
{
    return vos_store_snapshot(app->st, before, entity, id);
}

int app_audit(vos_app *app, const vos_actor *who, const char *op, vos_entity entity, int64_t id,
              char *before)
{
    int rc = vos_store_audit_append(app->st, NULL, who->name, op, entity, id, before);
    free(before);
    return rc;
}

/* ---- helpers -------------------------------------------------------------------------------- */

char *app_strdup(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

bool app_is_date(const char *s)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1]) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

/* ---- organisation --------------------------------------------------------------------------- */

int vos_app_init(vos_app *app, const vos_actor *who, const char *org_name, const char *currency,
                 int *created)
{
    if (created) *created = 0;
    int rc = app_allow(who, VOS_OP_INIT);
    if (rc < 0) return rc;
    if ((rc = app_begin(app)) < 0) return rc;
    vos_organisation_row *org = NULL;
    rc = vos_store_organisation_get(app->st, &org, 1);
    if (rc == 0) {
        vos_organisation_row_free(org);
        return app_end(app, 0);
    }
    if (rc != VOS_ENOTFOUND) return app_end(app, rc);
    vos_organisation_row row = {
        .id = 1,
        .name = (char *)org_name,
        .currency = (char *)currency,
        .fiscal_year_start = VOS_APP_FISCAL_START_DEFAULT,
        .default_tolerance = VOS_APP_TOLERANCE_DEFAULT,
        .stale_after_days = VOS_APP_STALE_DAYS_DEFAULT,
    };
    rc = vos_store_organisation_create(app->st, &row);
    if (rc == 0)
        rc = app_audit(app, who, "organisation.init", VOS_ENTITY_ORGANISATION, row.id, NULL);
    rc = app_end(app, rc);
    if (rc == 0 && created) *created = 1;
    return rc;
}

/* ---- users and accounts --------------------------------------------------------------------- */

int vos_app_user_add(vos_app *app, const vos_actor *who, vos_user_row *row)
{
    int rc = app_allow(who, VOS_OP_USER_ADD);
    if (rc < 0) return rc;
    if ((rc = app_begin(app)) < 0) return rc;
    rc = vos_store_user_create(app->st, row);
    if (rc == 0) rc = app_audit(app, who, "user.add", VOS_ENTITY_USER, row->id, NULL);
    return app_end(app, rc);
}

int vos_app_user_list(vos_app *app, const vos_actor *who, vos_user_row **out, size_t *n,
                      const vos_store_query *q)
{
    *out = NULL;
    *n = 0;
    int rc = app_allow(who, VOS_OP_USER_READ);
    if (rc < 0) return rc;
    return vos_store_user_list(app->st, out, n, q);
}

int vos_app_account_add(vos_app *app, const vos_actor *who, vos_account_row *row)
{
    int rc = app_allow(who, VOS_OP_ACCOUNT_ADD);
    if (rc < 0) return rc;
    if ((rc = app_begin(app)) < 0) return rc;
    rc = vos_store_account_create(app->st, row);
    if (rc == 0) rc = app_audit(app, who, "account.add", VOS_ENTITY_ACCOUNT, row->id, NULL);
    return app_end(app, rc);
}

int vos_app_account_list(vos_app *app, const vos_actor *who, vos_account_row **out, size_t *n,
                         const vos_store_query *q)
{
    *out = NULL;
    *n = 0;
    int rc = app_allow(who, VOS_OP_ACCOUNT_READ);
    if (rc < 0) return rc;
    if (!app_scoped(who)) return vos_store_account_list(app->st, out, n, q);
    void *rows = NULL;
    rc = app_scoped_list(app, who, VOS_ENTITY_ACCOUNT, &rows, n, q);
    *out = rows;
    return rc;
}

int vos_app_account_get(vos_app *app, const vos_actor *who, const char *name, vos_account_row **out)
{
    *out = NULL;
    int rc = app_allow(who, VOS_OP_ACCOUNT_READ);
    if (rc < 0) return rc;
    if (!name || !*name) return vos_error_set(VOS_EINVALID, "the account name is empty");
    vos_account_row *a = NULL;
    rc = vos_store_account_by_name(app->st, &a, name);
    if (rc == 0 && !app_sees_account(app, who, a->id)) {
        vos_account_row_free(a);
        a = NULL;
        rc = VOS_ENOTFOUND;
    }
    if (rc == VOS_ENOTFOUND)
        return vos_error_set(VOS_ENOTFOUND, "account '%.*s' does not exist", VOS_NAME_MAX, name);
    *out = a;
    return rc;
}

/* ---- audit ---------------------------------------------------------------------------------- */

int vos_app_audit_log(vos_app *app, const vos_actor *who, vos_audit_row **out, size_t *n,
                      const vos_store_query *q)
{
    *out = NULL;
    *n = 0;
    int rc = app_allow(who, VOS_OP_AUDIT_READ);
    if (rc < 0) return rc;
    return vos_store_audit_list(app->st, out, n, q);
}

int vos_app_audit_verify(vos_app *app, const vos_actor *who, vos_audit_report *report)
{
    int rc = app_allow(who, VOS_OP_AUDIT_READ);
    if (rc < 0) return rc;
    return vos_store_audit_verify(app->st, report);
}

/* ---- operations ----------------------------------------------------------------------------- */

int vos_app_backup(vos_app *app, const vos_actor *who, const char *path)
{
    int rc = app_allow(who, VOS_OP_BACKUP);
    if (rc < 0) return rc;
    return vos_store_backup(app->st, path);
}
