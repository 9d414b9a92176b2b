/* The fixture of the app suites (app_fixture.h).  No suite of its own. */
#include "app_fixture.h"

#include "vos/error.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define READ_MAX (8 << 20) /* bytes of a test data file */

void apptest_setup(apptest *t)
{
    storetest_setup(&t->s);
    t->admin = vos_actor_system();
    OK(vos_app_open(&t->app, t->s.url));
    OK(vos_app_init(t->app, &t->admin, "Vendor Inc", "USD", NULL));
}

void apptest_teardown(apptest *t)
{
    vos_app_close(t->app);
    t->app = NULL;
    storetest_teardown(&t->s);
}

char *apptest_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s (tests run from the repository root)", path);
    char *buf = malloc(READ_MAX);
    ck_assert_ptr_nonnull(buf);
    size_t n = fread(buf, 1, READ_MAX - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

char *apptest_replace(const char *text, const char *from, const char *to)
{
    size_t nf = strlen(from), nt = strlen(to), count = 0;
    for (const char *p = strstr(text, from); p; p = strstr(p + nf, from))
        count++;
    ck_assert_msg(count > 0, "'%s' does not occur in the text", from);
    char *out = malloc(strlen(text) + count * nt + 1);
    ck_assert_ptr_nonnull(out);
    char *o = out;
    const char *p = text;
    for (const char *q = strstr(p, from); q; q = strstr(p, from)) {
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        memcpy(o, to, nt);
        o += nt;
        p = q + nf;
    }
    strcpy(o, p);
    return out;
}

char *apptest_sda(const char *version)
{
    char *text = apptest_read(SDA_PATH);
    if (strcmp(version, "1.2.0") == 0) return text;
    char line[64];
    snprintf(line, sizeof line, "version: %s\n", version);
    char *out = apptest_replace(text, "version: 1.2.0\n", line);
    free(text);
    return out;
}

int64_t apptest_import(apptest *t, const char *text)
{
    vos_diags d;
    vos_diags_init(&d);
    vos_model_version_row *v = NULL;
    int rc = vos_app_model_import(t->app, &t->admin, text, strlen(text), "test.yaml", &d, &v);
    ck_assert_msg(rc == 0, "import: %s (first diag: %s)", vos_error_last(),
                  d.n ? d.items[0].msg : "none");
    int64_t id = v->id;
    vos_model_version_row_free(v);
    vos_diags_free(&d);
    return id;
}

int64_t apptest_import_approved(apptest *t, const char *text, const char *version)
{
    int64_t id = apptest_import(t, text);
    OK(vos_app_model_approve(t->app, &t->admin, SDA_KEY, version, NULL));
    return id;
}

int64_t apptest_account(apptest *t, const char *name, int64_t owner_user_id)
{
    vos_account_row a = {.name = (char *)name, .owner_user_id = owner_user_id};
    OK(vos_app_account_add(t->app, &t->admin, &a));
    return a.id;
}

int64_t apptest_case(apptest *t, const char *account, const char *name, const char *version)
{
    vos_case_row *c = NULL;
    OK(vos_app_case_create(t->app, &t->admin, account, name, SDA_KEY, version, &c));
    int64_t id = c->id;
    vos_case_row_free(c);
    return id;
}

size_t apptest_audit_count(apptest *t)
{
    vos_audit_report r;
    OK(vos_store_audit_verify(t->s.st, &r));
    return (size_t)r.records;
}

vos_audit_row *apptest_audit_last(apptest *t)
{
    vos_audit_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.limit = 1, .descending = true};
    OK(vos_store_audit_list(t->s.st, &rows, &n, &q));
    ck_assert_uint_eq(n, 1);
    return rows;
}

void apptest_audit_is(apptest *t, int64_t seq, const char *op, const char *entity, int64_t id,
                      const char *actor)
{
    vos_audit_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.after_id = seq - 1, .limit = 1};
    OK(vos_store_audit_list(t->s.st, &rows, &n, &q));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(rows[0].seq, seq);
    ck_assert_str_eq(rows[0].operation, op);
    ck_assert_str_eq(rows[0].entity_type, entity);
    ck_assert_int_eq(rows[0].entity_id, id);
    ck_assert_str_eq(rows[0].actor, actor);
    vos_audit_rows_free(rows, n);
}

void apptest_capture(apptest *t, apptest_state *s, vos_entity e, int64_t id)
{
    vos_audit_report r;
    OK(vos_store_audit_verify(t->s.st, &r));
    ck_assert_msg(r.problem == VOS_AUDIT_OK, "audit: %s", r.message);
    s->audit_records = (size_t)r.records;
    memcpy(s->head_hash, r.head_hash, sizeof s->head_hash);
    s->snapshot = NULL;
    if (id) {
        int rc = vos_store_snapshot(t->s.st, &s->snapshot, e, id);
        ck_assert_msg(rc == 0 || rc == VOS_ENOTFOUND, "snapshot: %s", vos_error_last());
    }
}

void apptest_unchanged(apptest *t, apptest_state *before, vos_entity e, int64_t id)
{
    char msg[VOS_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", vos_error_last()); /* keep the failure's message */
    apptest_state now;
    apptest_capture(t, &now, e, id);
    ck_assert_uint_eq(now.audit_records, before->audit_records);
    ck_assert_str_eq(now.head_hash, before->head_hash);
    if (before->snapshot || now.snapshot) {
        ck_assert_ptr_nonnull(before->snapshot);
        ck_assert_ptr_nonnull(now.snapshot);
        ck_assert_str_eq(now.snapshot, before->snapshot);
    }
    free(before->snapshot);
    free(now.snapshot);
    vos_error_set(VOS_ERROR, "%s", msg);
}

void apptest_verify(apptest *t)
{
    vos_audit_report r;
    OK(vos_app_audit_verify(t->app, &t->admin, &r));
    ck_assert_msg(r.problem == VOS_AUDIT_OK, "audit verify: %s", r.message);
}
