/* The indicators of maturity from the organisation's own data (vos_app_maturity_indicators):
 * the counts are taken here, page by page through the store's lists, and divided by core
 * (vos_maturity_indicators).  docs/maturity.md defines each count.
 *
 * The lifecycle stages an account covers:
 *   opportunity  the account has a business case;
 *   target       one of its cases has a commitment;
 *   realization  a KPI committed for it has a measurement;
 *   expansion    one of its cases is expanded, or expands another (parent_case_id). */
#include "app_int.h"

#include "vos/app_assess.h"
#include "vos/error.h"

#include <stdlib.h>
#include <string.h>

enum { LC_OPPORTUNITY = 1, LC_TARGET = 2, LC_REALIZATION = 4, LC_EXPANSION = 8 };

/* A growable array of ids (ascending when filled from lists by id) with a byte per id. */
typedef struct idset {
    int64_t *ids;
    unsigned char *flags;
    size_t *ref; /* a second value per id (an index into another set), or NULL */
    size_t n, cap;
} idset;

typedef struct usage {
    idset accounts;    /* flags: LC_* */
    idset cases;       /* ref: the account's index */
    idset commitments; /* ref: the account's index; flags: 1 when measured */
    idset owners;      /* users who own a case (unsorted until counted) */
    vos_maturity_counts c;
} usage;

static void idset_free(idset *s)
{
    free(s->ids);
    free(s->flags);
    free(s->ref);
    memset(s, 0, sizeof *s);
}

static int idset_add(idset *s, int64_t id, size_t ref)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : VOS_STORE_PAGE_MAX;
        int64_t *ids = realloc(s->ids, cap * sizeof *ids);
        if (ids) s->ids = ids;
        unsigned char *flags = ids ? realloc(s->flags, cap) : NULL;
        if (flags) s->flags = flags;
        size_t *refs = flags ? realloc(s->ref, cap * sizeof *refs) : NULL;
        if (refs) s->ref = refs;
        if (!refs) return vos_error_set(VOS_ENOMEM, "out of memory counting maturity indicators");
        s->cap = cap;
    }
    s->ids[s->n] = id;
    s->flags[s->n] = 0;
    s->ref[s->n] = ref;
    s->n++;
    return 0;
}

/* The index of id in a set filled in ascending order, or -1. */
static long idset_find(const idset *s, int64_t id)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->ids[lo] == id ? (long)lo : -1;
}

static int by_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Reads every row of an entity page by page: LIST is the store's list function, ROW its row
 * type, FREE its rows' free function; BODY sees `rows` and `n` of each page. */
#define EACH_PAGE(LIST, ROW, FREE, BODY)                                                           \
    do {                                                                                           \
        vos_store_query q_ = {.limit = VOS_STORE_PAGE_MAX};                                        \
        for (;;) {                                                                                 \
            ROW *rows = NULL;                                                                      \
            size_t n = 0;                                                                          \
            int rc_ = LIST(app->st, &rows, &n, &q_);                                               \
            if (rc_ == 0) rc_ = (BODY);                                                            \
            if (n) q_.after_id = rows[n - 1].id;                                                   \
            FREE(rows, n);                                                                         \
            if (rc_ < 0) return rc_;                                                               \
            if (n < q_.limit) break;                                                               \
        }                                                                                          \
    } while (0)

static int take_accounts(usage *u, const vos_account_row *rows, size_t n)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = idset_add(&u->accounts, rows[i].id, 0);
    u->c.accounts += (int64_t)n;
    return rc;
}

static int take_cases(usage *u, const vos_case_row *rows, size_t n)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        long a = idset_find(&u->accounts, rows[i].account_id);
        if (a < 0) continue; /* an account added since it was counted */
        u->accounts.flags[a] |= LC_OPPORTUNITY;
        if (rows[i].stage == VOS_STAGE_EXPANDED || rows[i].parent_case_id)
            u->accounts.flags[a] |= LC_EXPANSION;
        rc = idset_add(&u->cases, rows[i].id, (size_t)a);
        if (rc == 0 && rows[i].owner_user_id) rc = idset_add(&u->owners, rows[i].owner_user_id, 0);
    }
    return rc;
}

static int take_commitments(usage *u, const vos_commitment_row *rows, size_t n)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        long c = idset_find(&u->cases, rows[i].case_id);
        if (c < 0) continue;
        size_t a = u->cases.ref[c];
        u->accounts.flags[a] |= LC_TARGET;
        rc = idset_add(&u->commitments, rows[i].id, a);
    }
    return rc;
}

/* Marks a commitment measured when its KPI has a measurement on its account. */
static int take_kpis(vos_app *app, usage *u, const vos_commitment_kpi_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        long c = idset_find(&u->commitments, rows[i].commitment_id);
        if (c < 0 || u->commitments.flags[c]) continue;
        size_t a = u->commitments.ref[c];
        vos_store_query q = {.limit = 1, .n_where = 2};
        q.where[0] = (vos_store_filter){.field = "account_id", .i = u->accounts.ids[a]};
        q.where[1] = (vos_store_filter){.field = "kpi_key", .s = rows[i].kpi_key};
        vos_measurement_row *m = NULL;
        size_t got = 0;
        int rc = vos_store_measurement_list(app->st, &m, &got, &q);
        vos_measurement_rows_free(m, got);
        if (rc < 0) return rc;
        if (got) {
            u->commitments.flags[c] = 1;
            u->accounts.flags[a] |= LC_REALIZATION;
        }
    }
    return 0;
}

/* Counts the models, those with an approved version, and the inputs of the latest approved
 * version of each (with evidence or not). */
static int take_models(vos_app *app, usage *u, const vos_model_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        u->c.models++;
        vos_model_version_row *v = NULL;
        int rc = app_version_find(app, &rows[i], NULL, &v);
        if (rc == VOS_ENOTFOUND) continue;
        vos_model *m = NULL;
        if (rc == 0) rc = app_version_load(v, rows[i].key, &m);
        vos_model_version_row_free(v);
        if (rc < 0) return rc;
        u->c.models_approved++;
        u->c.inputs += (int64_t)m->n_inputs;
        for (size_t k = 0; k < m->n_inputs; k++)
            u->c.inputs_with_evidence += m->inputs[k].evidence && *m->inputs[k].evidence;
        vos_model_free(m);
    }
    return 0;
}

static int take_users(usage *u, const vos_user_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int front = rows[i].role == VOS_ROLE_SELLER || rows[i].role == VOS_ROLE_CSM;
        if (!front || !rows[i].active) continue;
        u->c.front_line++;
        if (u->owners.n && bsearch(&rows[i].id, u->owners.ids, u->owners.n, sizeof(int64_t), by_id))
            u->c.front_line_owners++;
    }
    return 0;
}

/* The lifecycle counts from the accounts' flags. */
static void count_accounts(usage *u)
{
    for (size_t a = 0; a < u->accounts.n; a++) {
        unsigned f = u->accounts.flags[a];
        if (!(f & LC_OPPORTUNITY)) continue;
        u->c.accounts_with_case++;
        u->c.lifecycle_stages += (f & LC_OPPORTUNITY ? 1 : 0) + (f & LC_TARGET ? 1 : 0) +
                                 (f & LC_REALIZATION ? 1 : 0) + (f & LC_EXPANSION ? 1 : 0);
    }
    u->c.committed_cases = (int64_t)u->commitments.n;
    for (size_t c = 0; c < u->commitments.n; c++)
        u->c.measured_cases += u->commitments.flags[c];
}

static int count_usage(vos_app *app, usage *u)
{
    EACH_PAGE(vos_store_account_list, vos_account_row, vos_account_rows_free,
              take_accounts(u, rows, n));
    EACH_PAGE(vos_store_case_list, vos_case_row, vos_case_rows_free, take_cases(u, rows, n));
    EACH_PAGE(vos_store_commitment_list, vos_commitment_row, vos_commitment_rows_free,
              take_commitments(u, rows, n));
    EACH_PAGE(vos_store_commitment_kpi_list, vos_commitment_kpi_row, vos_commitment_kpi_rows_free,
              take_kpis(app, u, rows, n));
    EACH_PAGE(vos_store_model_list, vos_model_row, vos_model_rows_free,
              take_models(app, u, rows, n));
    if (u->owners.n) qsort(u->owners.ids, u->owners.n, sizeof(int64_t), by_id);
    EACH_PAGE(vos_store_user_list, vos_user_row, vos_user_rows_free, take_users(u, rows, n));
    count_accounts(u);
    return 0;
}

int vos_app_maturity_indicators(vos_app *app, const vos_actor *who,
                                vos_indicator out[VOS_INDICATOR_COUNT], vos_maturity_counts *counts)
{
    if (counts) memset(counts, 0, sizeof *counts);
    int rc = app_allow(who, VOS_OP_ASSESS_READ);
    if (rc < 0) return rc;
    usage u;
    memset(&u, 0, sizeof u);
    rc = count_usage(app, &u);
    if (rc == 0) rc = vos_maturity_indicators(out, &u.c);
    if (rc == 0 && counts) *counts = u.c;
    idset_free(&u.accounts);
    idset_free(&u.cases);
    idset_free(&u.commitments);
    idset_free(&u.owners);
    return rc;
}
