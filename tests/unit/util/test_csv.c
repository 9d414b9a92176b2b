/* The CSV reader: RFC 4180 fields and quoting (the examples of RFC 4180 section 2), line
 * numbers, the byte order mark, empty lines, limits and every kind of malformed record.  Each
 * input is read whole and again in chunks of 1, 2, 3 and 7 bytes: the records must not
 * depend on where a chunk ends. */
#include "vos/csv.h"

#include "vos/error.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_MAX 4096

/* The records as text: "3[a|b|c]" for a record on line 3, "5!message" for an error. */
typedef struct sink {
    char out[OUT_MAX];
    size_t len;
    int stop_after; /* stop the reader after this many records (0: never) */
    int records;
} sink;

static int collect(void *ctx, const vos_csv_record *rec)
{
    sink *s = ctx;
    char *o = s->out + s->len;
    size_t room = sizeof s->out - s->len;
    int n;
    if (rec->error) {
        n = snprintf(o, room, "%lld!%s\n", (long long)rec->line, rec->error);
    } else {
        n = snprintf(o, room, "%lld[", (long long)rec->line);
        for (size_t i = 0; i < rec->n && n >= 0 && (size_t)n < room; i++) {
            ck_assert_uint_eq(strlen(rec->field[i]), rec->len[i]);
            n += snprintf(o + n, room - (size_t)n, "%s%s", i ? "|" : "", rec->field[i]);
        }
        if (n >= 0 && (size_t)n < room) n += snprintf(o + n, room - (size_t)n, "]\n");
    }
    ck_assert(n >= 0 && (size_t)n < room);
    s->len += (size_t)n;
    s->records++;
    return s->stop_after && s->records >= s->stop_after ? 42 : 0;
}

/* Reads `in` (n bytes) in chunks of `chunk` (0: at once) into s. */
static int read_chunks(vos_csv *c, sink *s, const char *in, size_t n, size_t chunk)
{
    memset(s, 0, sizeof *s);
    vos_csv_reset(c);
    size_t step = chunk ? chunk : (n ? n : 1);
    for (size_t at = 0; at < n; at += step) {
        int rc = vos_csv_feed(c, in + at, n - at < step ? n - at : step);
        if (rc) return rc;
    }
    return vos_csv_finish(c);
}

static void check_csv_n(const char *in, size_t n, const vos_csv_limits *lim, const char *want)
{
    static const size_t chunks[] = {0, 1, 2, 3, 7};
    sink s;
    vos_csv *c = NULL;
    ck_assert_int_eq(vos_csv_new(&c, lim, collect, &s), 0);
    for (size_t k = 0; k < sizeof chunks / sizeof *chunks; k++) {
        ck_assert_int_eq(read_chunks(c, &s, in, n, chunks[k]), 0);
        ck_assert_msg(strcmp(s.out, want) == 0, "chunks of %zu:\n%s\nwant:\n%s", chunks[k], s.out,
                      want);
    }
    vos_csv_free(c);
}

static void check_csv(const char *in, const char *want)
{
    check_csv_n(in, strlen(in), NULL, want);
}

/* RFC 4180 section 2, rules 1-7. */
START_TEST(rfc4180_examples)
{
    check_csv("aaa,bbb,ccc\r\nzzz,yyy,xxx\r\n", "1[aaa|bbb|ccc]\n2[zzz|yyy|xxx]\n");
    check_csv("aaa,bbb,ccc\r\nzzz,yyy,xxx", "1[aaa|bbb|ccc]\n2[zzz|yyy|xxx]\n");
    check_csv("field_name,field_name,field_name\r\naaa,bbb,ccc\r\n",
              "1[field_name|field_name|field_name]\n2[aaa|bbb|ccc]\n");
    check_csv("\"aaa\",\"bbb\",\"ccc\"\r\nzzz,yyy,xxx", "1[aaa|bbb|ccc]\n2[zzz|yyy|xxx]\n");
    check_csv("\"aaa\",\"b\r\nbb\",\"ccc\"\r\nzzz,yyy,xxx", "1[aaa|b\r\nbb|ccc]\n3[zzz|yyy|xxx]\n");
    check_csv("\"aaa\",\"b\"\"bb\",\"ccc\"", "1[aaa|b\"bb|ccc]\n");
}
END_TEST

START_TEST(line_breaks_and_lines)
{
    check_csv("a,b\nc,d\n", "1[a|b]\n2[c|d]\n");
    check_csv("a,b\rc,d\r", "1[a|b]\n2[c|d]\n");        /* lone CR (old Mac files) */
    check_csv("a\r\n\r\nb\n\nc", "1[a]\n3[b]\n5[c]\n"); /* empty lines are skipped */
    check_csv("\n\n  \t \na", "4[a]\n");                /* blank lines too */
    check_csv("\"x\ny\nz\",1\nnext", "1[x\ny\nz|1]\n4[next]\n");
    check_csv("\"x\r\ny\",1\r\nnext", "1[x\r\ny|1]\n3[next]\n");
    check_csv("\"x\ry\",1\rnext", "1[x\ry|1]\n3[next]\n");
    check_csv("", "");
    check_csv("\n", "");
    check_csv("a", "1[a]\n");
}
END_TEST

START_TEST(empty_fields_and_blanks)
{
    check_csv(",,\n", "1[||]\n");
    check_csv("a,\n", "1[a|]\n");
    check_csv("a,", "1[a|]\n");
    check_csv("\"\"\n", "1[]\n"); /* one empty quoted field is a record */
    check_csv("\"\",\"\"", "1[|]\n");
    check_csv(" a , b \n", "1[ a | b ]\n");       /* unquoted blanks are data */
    check_csv("a, \"b,c\" ,d\n", "1[a|b,c|d]\n"); /* around quotes they are not */
    check_csv("\t\"q\"\t\n", "1[q]\n");
    check_csv("\"a\"\"\"\n", "1[a\"]\n");
    check_csv("\"\"\"\"\n", "1[\"]\n");
}
END_TEST

START_TEST(byte_order_mark)
{
    check_csv("\xEF\xBB\xBF"
              "account,kpi\n",
              "1[account|kpi]\n");
    check_csv("\xEF\xBB\xBF\"q\",1\n", "1[q|1]\n");
    check_csv("\xEF\xBB\xBF", "");
    /* a BOM only counts at the very start; a partial one is data */
    check_csv("a\n\xEF\xBB\xBF"
              "b\n",
              "1[a]\n2[\xEF\xBB\xBF"
              "b]\n");
    check_csv("\xEF\xBB"
              "x\n",
              "1[\xEF\xBBx]\n");
    check_csv("\xEF", "1[\xEF]\n");
}
END_TEST

START_TEST(malformed_records_are_reported_and_skipped)
{
    check_csv("a,b\"c,d\nok\n", "1!field 2 has a quote inside unquoted text: quote the whole "
                                "field and double each quote inside it\n2[ok]\n");
    check_csv("\"ab\"c,d\nok\n", "1!field 1 has text after its closing quote\n2[ok]\n");
    check_csv("x,\"ab\" \"\nok\n", "1!field 2 has text after its closing quote\n2[ok]\n");
    check_csv("ok\n\"open,\nstill\n",
              "1[ok]\n2!field 1 opens a quote on line 2 that is not closed before the end\n");
    check_csv("a,\"b\nc,\"d\nok\n", "1!field 2 has text after its closing quote\n3[ok]\n");
    check_csv_n("a,b\0c\nok\n", 9, NULL, "1!field 2 holds a NUL byte\n2[ok]\n");
    check_csv_n("\"\0\"\nok\n", 7, NULL, "1!field 1 holds a NUL byte\n2[ok]\n");
}
END_TEST

START_TEST(limits)
{
    vos_csv_limits lim = {.field_max = 4, .record_max = 10, .fields_max = 3};
    const char *in = "abcd,e\nabcde,f\n\"ab\"\"d\"\n\"abcde\nx\",1\na,b,c\na,b,c,d\n"
                     "abcd,abcd,abc\nend\n";
    check_csv_n(in, strlen(in), &lim,
                "1[abcd|e]\n2!field 1 is longer than 4 bytes\n3[ab\"d]\n"
                "4!field 1 is longer than 4 bytes\n6[a|b|c]\n7!the record has more than 3 fields\n"
                "8!the record is longer than 10 bytes\n9[end]\n");
}
END_TEST

START_TEST(callback_stops_the_reader)
{
    sink s;
    vos_csv *c = NULL;
    ck_assert_int_eq(vos_csv_new(&c, NULL, collect, &s), 0);
    const char *in = "a\nb\nc\n";
    ck_assert_int_eq(read_chunks(c, &s, in, strlen(in), 0), 0);
    ck_assert_int_eq(s.records, 3);
    ck_assert_int_eq(vos_csv_lines(c), 4);
    ck_assert_uint_eq(vos_csv_bytes(c), strlen(in));
    memset(&s, 0, sizeof s);
    s.stop_after = 2;
    vos_csv_reset(c);
    ck_assert_int_eq(vos_csv_feed(c, in, strlen(in)), 42);
    ck_assert_str_eq(s.out, "1[a]\n2[b]\n");
    vos_csv_free(c);
    vos_csv_free(NULL);
}
END_TEST

/* What count() saw of the records. */
typedef struct tally {
    int records;
    size_t n, len0;
} tally;

static int count(void *ctx, const vos_csv_record *rec)
{
    tally *t = ctx;
    ck_assert_ptr_null(rec->error);
    t->records++;
    t->n = rec->n;
    t->len0 = rec->len[0];
    return 0;
}

/* A large field keeps its bytes exactly and the buffer grows past its first allocation. */
START_TEST(long_fields_grow_the_buffer)
{
    size_t n = 50000;
    char *in = malloc(n + 8);
    ck_assert_ptr_nonnull(in);
    in[0] = '"';
    for (size_t i = 1; i <= n; i++)
        in[i] = (char)('a' + i % 26);
    memcpy(in + n + 1, "\",x\n", 5);
    tally t = {0};
    vos_csv *c = NULL;
    ck_assert_int_eq(vos_csv_new(&c, NULL, count, &t), 0);
    ck_assert_int_eq(vos_csv_feed(c, in, n + 5), 0);
    ck_assert_int_eq(vos_csv_finish(c), 0);
    ck_assert_int_eq(t.records, 1);
    ck_assert_uint_eq(t.n, 2);
    ck_assert_uint_eq(t.len0, n);
    vos_csv_free(c);
    free(in);
}
END_TEST

Suite *vos_test_csv_suite(void)
{
    Suite *s = suite_create("csv");
    TCase *tc = tcase_create("reader");
    tcase_add_test(tc, rfc4180_examples);
    tcase_add_test(tc, line_breaks_and_lines);
    tcase_add_test(tc, empty_fields_and_blanks);
    tcase_add_test(tc, byte_order_mark);
    tcase_add_test(tc, malformed_records_are_reported_and_skipped);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, callback_stops_the_reader);
    tcase_add_test(tc, long_fields_grow_the_buffer);
    suite_add_tcase(s, tc);
    return s;
}
