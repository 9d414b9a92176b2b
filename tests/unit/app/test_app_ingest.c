/* Measurement files: the fields without the store (ISO 8601 times to UTC stamps, with the
 * calendar of the proleptic Gregorian calendar and the offsets of ISO 8601 section 4.2.5.1;
 * decimal values read exactly as strtod reads them), then vos_app_measurement_ingest over a
 * real store: every problem with its line and column and nothing written, batches with their
 * labels and ingestions, a conflict in a later batch, roles, sources that cannot rewind or
 * change between the two readings. */
#include "app_fixture.h"

#include "vos/error.h"
#include "vos/ingest.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW_MS INT64_C(1795000000000) /* 2026-11-18T11:06:40Z */

static apptest T;
static int64_t ACME, GLOBEX, INITECH;

/* ---- fields --------------------------------------------------------------------------------- */

static void time_is(const char *text, const char *want)
{
    char out[VOS_STAMP_SIZE], why[128];
    int64_t ms = 0;
    int rc = vos_ingest_time(out, &ms, text, NOW_MS, why, sizeof why);
    ck_assert_msg(rc == 0, "'%s': %s", text, why);
    ck_assert_str_eq(out, want);
}

static void time_fails(const char *text, const char *want)
{
    char out[VOS_STAMP_SIZE], why[128];
    ck_assert_int_eq(vos_ingest_time(out, NULL, text, NOW_MS, why, sizeof why), VOS_EINVALID);
    ck_assert_msg(strstr(why, want) != NULL, "'%s': '%s' lacks '%s'", text, why, want);
}

START_TEST(times_to_utc_stamps)
{
    time_is("2026-03-01", "2026-03-01T00:00:00.000Z");
    time_is("2026-03-01T08:30Z", "2026-03-01T08:30:00.000Z");
    time_is("2026-03-01T08:30:15z", "2026-03-01T08:30:15.000Z");
    time_is("2026-03-01 08:30:15.5Z", "2026-03-01T08:30:15.500Z");
    time_is("2026-03-01T08:30:15.123987654Z", "2026-03-01T08:30:15.123Z"); /* cut, not rounded */
    time_is("2026-03-01T08:30:00+02:00", "2026-03-01T06:30:00.000Z");
    time_is("2026-03-01T01:00:00+05:30", "2026-02-28T19:30:00.000Z"); /* back over a month */
    time_is("2024-03-01T01:00:00+05:30", "2024-02-29T19:30:00.000Z"); /* into a leap day */
    time_is("2025-12-31T23:30:00-01:00", "2026-01-01T00:30:00.000Z"); /* on into a year */
    time_is("2026-03-01T08:00:00-00:00", "2026-03-01T08:00:00.000Z");
    time_is("2000-02-29", "2000-02-29T00:00:00.000Z"); /* 2000 is a leap year */
    time_is("1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z");
    time_is("2026-11-19T11:06:40Z", "2026-11-19T11:06:40.000Z"); /* now + exactly a day */
    time_fails("2026-11-19T11:06:40.001Z", "is more than a day in the future");
    time_fails("2200-01-01", "is more than a day in the future");
    time_fails("1970-01-01T00:30:00+01:00", "is before 1970");
    time_fails("1969-12-31", "is before 1970");
    time_fails("1900-02-29", "is not a real date"); /* 1900 is not a leap year */
    time_fails("2026-02-29", "is not a real date");
    time_fails("2026-13-01", "is not a real date");
    time_fails("2026-04-31", "is not a real date");
    time_fails("2026-03-01T24:00Z", "is not a real time of day");
    time_fails("2026-03-01T10:60Z", "is not a real time of day");
    time_fails("2026-03-01T10:00:60Z", "is not a real time of day");
    time_fails("2026-03-01T10:00", "has no time zone");
    time_fails("2026-03-01T10:00:00+25:00", "offset that is not a time of day");
    time_fails("2026-03-01T10:00:00+0200", "is not a date or time");
    time_fails("2026-03-01T10:00:00.Z", "is not a date or time");
    time_fails("2026-03-01T10:00:00.1234567890Z", "is not a date or time");
    time_fails("2026-3-1", "is not a date or time");
    time_fails("01/03/2026", "is not a date or time");
    time_fails("", "is not a date or time");
    time_fails("2026-03-01T", "is not a date or time");
    time_fails("2026-03-01Z", "is not a date or time");
    /* without "now" in the way: the last instant of 2200, then 2201 */
    char out[VOS_STAMP_SIZE], why[128];
    ck_assert_int_eq(
        vos_ingest_time(out, NULL, "2200-12-31T23:59:59.999Z", INT64_MAX / 2, why, sizeof why), 0);
    ck_assert_str_eq(out, "2200-12-31T23:59:59.999Z");
    ck_assert_int_eq(vos_ingest_time(out, NULL, "2201-01-01", INT64_MAX / 2, why, sizeof why),
                     VOS_EINVALID);
    ck_assert_str_eq(why, "is after 2200");
}
END_TEST

/* Every day from 1970 to 2200 goes through days_from_civil and back. */
START_TEST(every_day_round_trips)
{
    char text[48], out[VOS_STAMP_SIZE], want[64], why[128];
    int64_t last = -1;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int y = 1970; y <= 2200; y++)
        for (int m = 1; m <= 12; m++) {
            int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            for (int d = 1; d <= mdays[m - 1] + (m == 2 && leap); d++) {
                snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
                int64_t ms = 0;
                ck_assert_int_eq(vos_ingest_time(out, &ms, text, INT64_MAX / 2, why, sizeof why),
                                 0);
                snprintf(want, sizeof want, "%sT00:00:00.000Z", text);
                ck_assert_str_eq(out, want);
                ck_assert_int_eq(ms, last + 86400000 * (last >= 0) + (last < 0));
                last = ms;
            }
        }
}
END_TEST

static void value_is(const char *text, double want)
{
    double v = NAN;
    char why[64];
    ck_assert_msg(vos_ingest_value(&v, text, why, sizeof why) == 0, "'%s': %s", text, why);
    ck_assert_msg(v == want && signbit(v) == signbit(want), "'%s' read as %.17g", text, v);
}

static void value_fails(const char *text, const char *want)
{
    double v = 0;
    char why[64];
    ck_assert_int_eq(vos_ingest_value(&v, text, why, sizeof why), VOS_EINVALID);
    ck_assert_str_eq(why, want);
}

START_TEST(values_read_as_strtod_does)
{
    value_is("8.25", 8.25);
    value_is("-0.5", -0.5);
    value_is("+12", 12);
    value_is(".5", 0.5);
    value_is("5.", 5);
    value_is("-0", 0.0); /* no negative zero */
    value_is("1e3", 1000);
    value_is("1.5E-3", 0.0015);
    value_is("0.1", 0.1);
    value_is("123456789012345", 123456789012345.0);
    value_is("1234567890123456789", 1234567890123456789.0); /* more digits: strtod */
    value_is("0.000000000000000000000001", 1e-24);
    value_fails("abc", "is not a number");
    value_fails("", "is not a number");
    value_fails("nan", "is not a number");
    value_fails("inf", "is not a number");
    value_fails("0x10", "is not a number");
    value_fails("1e", "is not a number");
    value_fails("1.2.3", "is not a number");
    value_fails("- 1", "is not a number");
    value_fails("3,5", "is not a number (write the decimal point as '.')");
    value_fails("1e999", "is out of range");
    /* decimals of up to 15 digits at every scale: the same double as strtod */
    unsigned seed = 7;
    char text[64];
    for (int i = 0; i < 200000; i++) {
        int digits = 1 + rand_r(&seed) % 15, point = rand_r(&seed) % (digits + 8);
        int n = 0;
        if (rand_r(&seed) % 2) text[n++] = '-';
        for (int k = 0; k < digits; k++) {
            if (k == point) text[n++] = '.';
            text[n++] = (char)('0' + rand_r(&seed) % 10);
        }
        for (int k = digits; k < point; k++)
            text[n++] = '0';
        text[n] = '\0';
        double v = 0, want = strtod(text, NULL);
        char why[64];
        ck_assert_int_eq(vos_ingest_value(&v, text, why, sizeof why), 0);
        ck_assert_msg(v == want, "'%s': %.17g, strtod %.17g", text, v, want);
    }
}
END_TEST

/* ---- files ---------------------------------------------------------------------------------- */

typedef struct mem {
    const char *text;
    size_t at;
    const char *again; /* read after a rewind, when set (a file that changed) */
} mem;

static int mem_read(void *ctx, char *buf, size_t size, size_t *got)
{
    mem *m = ctx;
    size_t len = strlen(m->text);
    *got = len - m->at < size ? len - m->at : size;
    memcpy(buf, m->text + m->at, *got);
    m->at += *got;
    return 0;
}

static int mem_rewind(void *ctx)
{
    mem *m = ctx;
    if (m->again) m->text = m->again;
    m->at = 0;
    return 0;
}

typedef struct batches {
    vos_ingest_batch b[16];
    int n;
} batches;

static void on_batch(void *ctx, const vos_ingest_batch *b)
{
    batches *s = ctx;
    ck_assert_int_lt(s->n, 16);
    s->b[s->n++] = *b;
}

static int ingest(const vos_actor *who, const char *text, size_t batch, vos_ingest_report *rep,
                  batches *seen, bool rewind)
{
    mem m = {.text = text};
    vos_ingest_source src = {mem_read, rewind ? mem_rewind : NULL, &m};
    vos_ingest_options opt = {
        .label = "t.csv", .batch = batch, .now_ms = NOW_MS, .on_batch = on_batch, .ctx = seen};
    memset(rep, 0, sizeof *rep);
    return vos_app_measurement_ingest(T.app, who, &src, &opt, rep);
}

static size_t count(const char *table)
{
    vos_store_query q = {.limit = VOS_STORE_PAGE_MAX};
    size_t n = 0;
    if (strcmp(table, "measurements") == 0) {
        vos_measurement_row *rows = NULL;
        OK(vos_store_measurement_list(T.s.st, &rows, &n, &q));
        vos_measurement_rows_free(rows, n);
    } else {
        vos_ingestion_row *rows = NULL;
        OK(vos_store_ingestion_list(T.s.st, &rows, &n, &q));
        vos_ingestion_rows_free(rows, n);
    }
    return n;
}

static void commit(int64_t case_id, const char *kpi)
{
    vos_kpi_commitment k = {.kpi_key = (char *)kpi,
                            .baseline_value = 8,
                            .baseline_date = "2026-01-01",
                            .target_value = 5,
                            .target_date = "2026-12-31"};
    OK(vos_app_case_commit(T.app, &T.admin, case_id, &k, 1, NULL));
}

static void setup(void)
{
    apptest_setup(&T);
    char *text = apptest_sda("1.2.0");
    apptest_import_approved(&T, text, "1.2.0");
    free(text);
    ACME = apptest_account(&T, "Acme", 0);
    GLOBEX = apptest_account(&T, "Globex", 0);
    INITECH = apptest_account(&T, "Initech", 0);
    commit(apptest_case(&T, "Acme", "Q3", NULL), "mttr");
    commit(apptest_case(&T, "Globex", "G1", NULL), "escalation_share");
    apptest_case(&T, "Initech", "H1", NULL); /* a hypothesis: no KPI committed */
}

static void teardown(void)
{
    apptest_teardown(&T);
}

#define HEAD "account,kpi,time,value,source\n"

START_TEST(every_problem_with_its_line_and_nothing_written)
{
    const char *text = HEAD "Acme,mttr,2026-01-05,9.5,erp\n"
                            "acme,csat,2026-01-06,abc,erp\n"
                            "Initech,mttr,2026-01-07,1,erp\n"
                            "Nobody,mttr,2026-01-08T10:00,1,\n"
                            "Acme,mttr,2026-01-09\n";
    vos_ingest_report rep;
    batches seen = {.n = 0};
    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_ACCOUNT, ACME);
    ck_assert_int_eq(ingest(&T.admin, text, 0, &rep, &seen, true), VOS_EINVALID);
    apptest_unchanged(&T, &s, VOS_ENTITY_ACCOUNT, ACME);
    ck_assert_uint_eq(count("measurements"), 0);
    ck_assert_int_eq(seen.n, 0);
    ck_assert_int_eq(rep.rows, 5);
    static const struct {
        int64_t line;
        const char *field, *message;
    } want[] = {
        {3, "kpi", "kpi 'csat' on line 3 is not a KPI committed to for account 'Acme'"},
        {3, "value", "value 'abc' on line 3 is not a number"},
        {4, "kpi", "kpi 'mttr' on line 4 is not a KPI committed to for account 'Initech'"},
        {5, "account", "account 'Nobody' on line 5 does not exist"},
        {5, "time",
         "time '2026-01-08T10:00' on line 5 has no time zone: end it with Z (UTC) or "
         "an offset such as +02:00"},
        {5, "source", "source on line 5 is empty"},
        {6, NULL, "line 6 has 3 fields, not 5 as the header"},
    };
    ck_assert_uint_eq(rep.n_problems, sizeof want / sizeof *want);
    for (size_t i = 0; i < rep.n_problems; i++) {
        ck_assert_int_eq(rep.problems[i].line, want[i].line);
        if (want[i].field)
            ck_assert_str_eq(rep.problems[i].field, want[i].field);
        else
            ck_assert_ptr_null(rep.problems[i].field);
        ck_assert_str_eq(rep.problems[i].message, want[i].message);
    }
    ck_assert_str_eq(vos_error_last(), "kpi 'csat' on line 3 is not a KPI committed to for "
                                       "account 'Acme' (and 6 more problems); nothing was written");
    vos_ingest_report_free(&rep);
    vos_ingest_report_free(&rep); /* a second free is harmless */
}
END_TEST

START_TEST(batches_are_ingestions_with_their_lines)
{
    char text[4096] = HEAD;
    for (int i = 0; i < 7; i++) { /* lines 2..8: Acme and Globex in turn */
        char row[128];
        snprintf(row, sizeof row, "%s,%s,2026-02-%02dT00:00Z,%d.5,erp\n", i % 2 ? "Globex" : "Acme",
                 i % 2 ? "escalation_share" : "mttr", 1 + i, i);
        strcat(text, row);
    }
    vos_ingest_report rep;
    batches seen = {.n = 0};
    OK(ingest(&T.admin, text, 3, &rep, &seen, true));
    ck_assert_int_eq(rep.rows, 7);
    ck_assert_int_eq(rep.added, 7);
    ck_assert_int_eq(rep.batches, 3);
    ck_assert_int_eq(seen.n, 3);
    ck_assert_int_eq(seen.b[0].first_line, 2);
    ck_assert_int_eq(seen.b[0].last_line, 4);
    ck_assert_int_eq(seen.b[2].first_line, 8);
    ck_assert_int_eq(seen.b[2].last_line, 8);
    ck_assert_uint_eq(rep.n_accounts, 2);
    ck_assert_int_eq(rep.accounts[0], ACME);
    ck_assert_int_eq(rep.accounts[1], GLOBEX);
    vos_ingestion_row *ing = NULL;
    OK(vos_store_ingestion_get(T.s.st, &ing, seen.b[1].ingestion_id));
    ck_assert_str_eq(ing->label, "t.csv lines 5-7");
    vos_ingestion_row_free(ing);
    /* series by series within a batch: ids of batch 1 are Acme's two, then Globex's one */
    vos_measurement_row *rows = NULL;
    size_t n = 0;
    vos_store_query q = {.limit = 10};
    OK(vos_store_measurement_list(T.s.st, &rows, &n, &q));
    ck_assert_uint_eq(n, 7);
    ck_assert_str_eq(rows[0].at, "2026-02-01T00:00:00.000Z");
    ck_assert_str_eq(rows[1].at, "2026-02-03T00:00:00.000Z");
    ck_assert_str_eq(rows[2].at, "2026-02-02T00:00:00.000Z");
    ck_assert_double_eq(rows[2].value, 1.5);
    vos_measurement_rows_free(rows, n);
    vos_ingest_report_free(&rep);
    apptest_verify(&T);

    /* the same file again: nothing new, every batch says so, nothing written */
    apptest_state s;
    apptest_capture(&T, &s, VOS_ENTITY_ACCOUNT, ACME);
    seen.n = 0;
    OK(ingest(&T.admin, text, 3, &rep, &seen, true));
    ck_assert_int_eq(rep.unchanged, 7);
    ck_assert_int_eq(rep.batches, 0);
    ck_assert_int_eq(seen.n, 3);
    ck_assert_int_eq(seen.b[0].ingestion_id, 0);
    apptest_unchanged(&T, &s, VOS_ENTITY_ACCOUNT, ACME);
    vos_ingest_report_free(&rep);

    /* a source that cannot rewind holds at most one batch */
    ck_assert_int_eq(ingest(&T.admin, text, 3, &rep, &seen, false), VOS_ETOOLARGE);
    vos_ingest_report_free(&rep);
}
END_TEST

START_TEST(a_conflict_in_a_later_batch_keeps_the_earlier_ones)
{
    const char *first = HEAD "Acme,mttr,2026-03-01,1,erp\nAcme,mttr,2026-03-02,2,erp\n";
    vos_ingest_report rep;
    batches seen = {.n = 0};
    OK(ingest(&T.admin, first, 0, &rep, &seen, true));
    vos_ingest_report_free(&rep);
    const char *text = HEAD "Acme,mttr,2026-03-03,3,erp\nAcme,mttr,2026-03-04,4,erp\n"
                            "Acme,mttr,2026-03-05,5,erp\nAcme,mttr,2026-03-02,2.5,erp\n";
    seen.n = 0;
    ck_assert_int_eq(ingest(&T.admin, text, 2, &rep, &seen, true), VOS_ECONFLICT);
    ck_assert_int_eq(seen.n, 1);
    ck_assert_int_eq(rep.added, 2);
    ck_assert_uint_eq(rep.n_problems, 1);
    ck_assert_int_eq(rep.problems[0].line, 5);
    ck_assert_str_eq(rep.problems[0].field, "value");
    ck_assert_str_eq(rep.problems[0].message,
                     "line 5: KPI 'mttr' of account 'Acme' at 2026-03-02T00:00:00.000Z from 'erp' "
                     "is stored as 2, not 2.5; a measurement is never changed");
    ck_assert_uint_eq(count("measurements"), 4); /* lines 2-3; not line 4 of the failed batch */
    vos_ingest_report_free(&rep);
    apptest_verify(&T);
}
END_TEST

START_TEST(a_file_that_changes_between_the_readings)
{
    const char *text = HEAD "Acme,mttr,2026-04-01,1,erp\nAcme,mttr,2026-04-02,2,erp\n"
                            "Acme,mttr,2026-04-03,3,erp\n";
    const char *changed = HEAD "Acme,mttr,2026-04-01,1,erp\nAcme,mttr,2026-04-02,2,erp\n"
                               "Globex,mttr,2026-04-03,3,erp\n";
    mem m = {.text = text, .again = changed};
    vos_ingest_source src = {mem_read, mem_rewind, &m};
    vos_ingest_options opt = {.batch = 2, .now_ms = NOW_MS};
    vos_ingest_report rep = {0};
    ck_assert_int_eq(vos_app_measurement_ingest(T.app, &T.admin, &src, &opt, &rep), VOS_ECONFLICT);
    ck_assert_str_eq(vos_error_last(), "the file changed while it was read (line 4)");
    ck_assert_uint_eq(count("measurements"), 2); /* the first batch */
    vos_ingest_report_free(&rep);
    const char *shorter = HEAD "Acme,mttr,2026-04-05,1,erp\nAcme,mttr,2026-04-06,2,erp\n"
                               "Acme,mttr,2026-04-07,3,erp\n";
    m = (mem){.text = shorter, .again = HEAD "Acme,mttr,2026-04-05,1,erp\n"};
    ck_assert_int_eq(vos_app_measurement_ingest(T.app, &T.admin, &src, &opt, &rep), VOS_ECONFLICT);
    ck_assert_str_eq(vos_error_last(), "the file changed while it was read (1 rows, not 3)");
    vos_ingest_report_free(&rep);
}
END_TEST

START_TEST(roles_limits_and_empty_files)
{
    vos_ingest_report rep;
    batches seen = {.n = 0};
    vos_actor seller = {.name = "sam@vendor.example", .role = VOS_ROLE_SELLER};
    ck_assert_int_eq(ingest(&seller, HEAD "Acme,mttr,2026-01-05,1,erp\n", 0, &rep, &seen, true),
                     VOS_EFORBIDDEN);
    vos_actor kim = {.name = "kim@acme.example", .role = VOS_ROLE_CUSTOMER, .account_id = ACME};
    ck_assert_int_eq(ingest(&kim, HEAD "Acme,mttr,2026-01-05,1,erp\n", 0, &rep, &seen, true),
                     VOS_EFORBIDDEN); /* the organisation does not accept them */
    ck_assert_int_eq(ingest(&T.admin, HEAD, 0, &rep, &seen, true), VOS_EINVALID);
    ck_assert_ptr_nonnull(strstr(vos_error_last(), "holds no measurements"));
    ck_assert_int_eq(ingest(&T.admin, "", 0, &rep, &seen, true), VOS_EINVALID);
    ck_assert_int_eq(ingest(&T.admin, HEAD, VOS_MEASUREMENT_BATCH_MAX + 1, &rep, &seen, true),
                     VOS_EINVALID);
    mem m = {.text = HEAD "Acme,mttr,2026-01-05,1,erp\nAcme,mttr,2026-01-06,1,erp\n"};
    vos_ingest_source src = {mem_read, mem_rewind, &m};
    vos_ingest_options opt = {.max_rows = 1, .now_ms = NOW_MS};
    ck_assert_int_eq(vos_app_measurement_ingest(T.app, &T.admin, &src, &opt, &rep), VOS_ETOOLARGE);
    vos_ingest_report_free(&rep);
    ck_assert_uint_eq(count("measurements"), 0);
    ck_assert_uint_eq(count("ingestions"), 0);
}
END_TEST

Suite *vos_test_app_ingest_suite(void)
{
    Suite *s = suite_create("app_ingest");
    TCase *tc = tcase_create("fields");
    tcase_add_test(tc, times_to_utc_stamps);
    tcase_add_test(tc, every_day_round_trips);
    tcase_add_test(tc, values_read_as_strtod_does);
    suite_add_tcase(s, tc);
    tc = tcase_create("files");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_problem_with_its_line_and_nothing_written);
    tcase_add_test(tc, batches_are_ingestions_with_their_lines);
    tcase_add_test(tc, a_conflict_in_a_later_batch_keeps_the_earlier_ones);
    tcase_add_test(tc, a_file_that_changes_between_the_readings);
    tcase_add_test(tc, roles_limits_and_empty_files);
    suite_add_tcase(s, tc);
    return s;
}
