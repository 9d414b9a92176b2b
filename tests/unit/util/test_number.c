/* Number formatting: shortest exact text for machines, grouped and rounded text for people.
 * Expected display strings are what Excel shows for the same value and number format
 * (#,##0.00 and friends), which rounds the 15-significant-digit value half away from zero. */
#include "vos/number.h"

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void check_shortest(double x, const char *want)
{
    char buf[64];
    int n = vos_num_shortest(buf, sizeof buf, x);
    ck_assert_str_eq(buf, want);
    ck_assert_int_eq(n, (int)strlen(want));
}

static void check_grouped(double x, int decimals, const char *want)
{
    char buf[600];
    int n = vos_num_grouped(buf, sizeof buf, x, decimals);
    ck_assert_msg(strcmp(buf, want) == 0, "grouped(%.17g, %d) = \"%s\", want \"%s\"", x, decimals,
                  buf, want);
    ck_assert_int_eq(n, (int)strlen(want));
}

START_TEST(shortest_examples)
{
    check_shortest(0.1, "0.1");
    check_shortest(57600, "57600");
    check_shortest(1e-7, "1e-07");
    check_shortest(0, "0");
    check_shortest(-0.0, "-0");
    check_shortest(-2.5, "-2.5");
    check_shortest(1.0 / 3.0, "0.3333333333333333");
    check_shortest(0.1 + 0.2, "0.30000000000000004");
    check_shortest(1e21, "1e+21");
    check_shortest(123456789012345680.0, "1.2345678901234568e+17");
    check_shortest(DBL_MAX, "1.7976931348623157e+308");
    check_shortest(DBL_MIN, "2.2250738585072014e-308");
    check_shortest(5e-324, "4.94065645841247e-324"); /* 15 digits suffice */
    check_shortest(1188.4434123352228, "1188.4434123352228");
}
END_TEST

START_TEST(shortest_round_trips)
{
    /* Every double reads back exactly: random bit patterns and neighbours of decimals. */
    uint64_t s = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 20000; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        double x;
        memcpy(&x, &s, sizeof x);
        if (!isfinite(x)) continue;
        char buf[40];
        vos_num_shortest(buf, sizeof buf, x);
        ck_assert_msg(strtod(buf, NULL) == x, "%s does not read back", buf);
        double y = nextafter(0.01 * i, 1.0);
        vos_num_shortest(buf, sizeof buf, y);
        ck_assert_msg(strtod(buf, NULL) == y, "%s does not read back", buf);
    }
}
END_TEST

START_TEST(shortest_non_finite_and_truncation)
{
    check_shortest(NAN, "null");
    check_shortest(INFINITY, "null");
    char small[4];
    int n = vos_num_shortest(small, sizeof small, 123456.5);
    ck_assert_int_eq(n, 8);
    ck_assert_str_eq(small, "123");
    ck_assert_int_eq(vos_num_shortest(NULL, 0, 0.25), 4);
}
END_TEST

START_TEST(grouped_header_examples)
{
    check_grouped(1234567.891, 2, "1,234,567.89");
    check_grouped(-1234, 0, "-1,234");
    check_grouped(-0.001, 2, "0.00");
}
END_TEST

START_TEST(grouped_rounds_half_away_from_zero)
{
    /* 2.675 is stored just below 2.675, yet shows as 2.68 (Excel); likewise 1.005 -> 1.01. */
    check_grouped(2.675, 2, "2.68");
    check_grouped(-2.675, 2, "-2.68");
    check_grouped(1.005, 2, "1.01");
    check_grouped(0.045, 2, "0.05");
    check_grouped(0.125, 2, "0.13");
    check_grouped(0.5, 0, "1");
    check_grouped(-0.5, 0, "-1");
    check_grouped(1.5, 0, "2");
    check_grouped(2.5, 0, "3");
    check_grouped(0.4999999, 0, "0");
    check_grouped(999.995, 2, "1,000.00");
    check_grouped(-999999.5, 0, "-1,000,000");
    check_grouped(0.1 + 0.2, 2, "0.30");
    /* A value a few units in the last place below 2.675 still shows as 2.68, as in Excel. */
    check_grouped(nextafter(nextafter(2.675, 0), 0), 2, "2.68");
    check_grouped(5e-7, 6, "0.000001");
    check_grouped(4.9e-7, 6, "0.000000");
    check_grouped(-4.9e-7, 6, "0.000000");
}
END_TEST

START_TEST(grouped_separators_and_sizes)
{
    check_grouped(0, 2, "0.00");
    check_grouped(-0.0, 0, "0");
    check_grouped(7, 0, "7");
    check_grouped(123, 0, "123");
    check_grouped(1000, 0, "1,000");
    check_grouped(-100000, 1, "-100,000.0");
    check_grouped(1234.5, 1, "1,234.5");
    check_grouped(0.000001, 6, "0.000001");
    check_grouped(57600, 2, "57,600.00");
    check_grouped(1e20, 0, "100,000,000,000,000,000,000");
    /* Beyond 15 significant digits the display shows zeros, as Excel does. */
    check_grouped(123456789012345678.0, 0, "123,456,789,012,346,000");
    check_grouped(0.12345678901234567, 6, "0.123457");
    char buf[600];
    int n = vos_num_grouped(buf, sizeof buf, -DBL_MAX, 6);
    ck_assert_int_eq(n, (int)strlen(buf));
    ck_assert_int_eq(n, 1 + 309 + 102 + 1 + 6); /* sign, digits, commas, point, decimals */
    ck_assert(strncmp(buf, "-179,769,313,486,232,000,", 25) == 0);
}
END_TEST

START_TEST(grouped_edges)
{
    check_grouped(NAN, 2, "n/a");
    check_grouped(-INFINITY, 0, "n/a");
    check_grouped(1.23456789, 9, "1.234568"); /* decimals above 6 are taken as 6 */
    check_grouped(1.5, -1, "2");              /* below 0 as 0 */
    char small[5];
    int n = vos_num_grouped(small, sizeof small, 1234567, 0);
    ck_assert_int_eq(n, 9);
    ck_assert_str_eq(small, "1,23");
}
END_TEST

Suite *vos_test_number_suite(void)
{
    Suite *s = suite_create("number");
    TCase *tc = tcase_create("shortest");
    tcase_add_test(tc, shortest_examples);
    tcase_add_test(tc, shortest_round_trips);
    tcase_add_test(tc, shortest_non_finite_and_truncation);
    suite_add_tcase(s, tc);
    tc = tcase_create("grouped");
    tcase_add_test(tc, grouped_header_examples);
    tcase_add_test(tc, grouped_rounds_half_away_from_zero);
    tcase_add_test(tc, grouped_separators_and_sizes);
    tcase_add_test(tc, grouped_edges);
    suite_add_tcase(s, tc);
    return s;
}
