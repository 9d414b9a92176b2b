/* Units: parsing, algebra, exact conversions, formatting.
 * Conversion constants are the ones of include/vos/unit.h: a year is 365 days (525600 min),
 * a month is a twelfth of a year (43800 min). */
#include "vos/error.h"
#include "vos/unit.h"

#include <check.h>
#include <stdint.h>
#include <string.h>

static vos_unit parse_ok(const char *text)
{
    vos_unit u;
    size_t off = 99;
    int rc = vos_unit_parse(&u, text, strlen(text), "USD", &off);
    ck_assert_msg(rc == 0, "parse '%s': %s", text, vos_error_last());
    return u;
}

static void assert_unit(vos_unit u, int c, int t, int64_t num, int64_t den)
{
    ck_assert_int_eq(u.currency, c);
    ck_assert_int_eq(u.time, t);
    ck_assert_int_eq(u.num, num);
    ck_assert_int_eq(u.den, den);
}

static void parse_fails(const char *text, size_t offset, const char *msg)
{
    vos_unit u;
    size_t off = 99;
    ck_assert_int_eq(vos_unit_parse(&u, text, strlen(text), "USD", &off), VOS_EINVALID);
    ck_assert_msg(off == offset, "'%s': offset %zu, expected %zu", text, off, offset);
    ck_assert_msg(strstr(vos_error_last(), msg), "'%s': message '%s' lacks '%s'", text,
                  vos_error_last(), msg);
}

static const char *fmt(vos_unit u)
{
    static char buf[128];
    vos_unit_format(buf, sizeof buf, &u, "USD");
    return buf;
}

START_TEST(parse_table_of_header)
{
    assert_unit(parse_ok("USD"), 1, 0, 1, 1);
    assert_unit(parse_ok("h"), 0, 1, 60, 1);
    assert_unit(parse_ok("1/month"), 0, -1, 1, 43800);
    assert_unit(parse_ok("USD/h"), 1, -1, 1, 60);
    assert_unit(parse_ok("%"), 0, 0, 1, 100);
}
END_TEST

START_TEST(parse_names_and_aliases)
{
    assert_unit(parse_ok("s"), 0, 1, 1, 60);
    assert_unit(parse_ok("seconds"), 0, 1, 1, 60);
    assert_unit(parse_ok("minutes"), 0, 1, 1, 1);
    assert_unit(parse_ok("hr"), 0, 1, 60, 1);
    assert_unit(parse_ok("hours"), 0, 1, 60, 1);
    assert_unit(parse_ok("days"), 0, 1, 1440, 1);
    assert_unit(parse_ok("wk"), 0, 1, 10080, 1);
    assert_unit(parse_ok("mo"), 0, 1, 43800, 1);
    assert_unit(parse_ok("yr"), 0, 1, 525600, 1);
    assert_unit(parse_ok("bp"), 0, 0, 1, 10000);
    assert_unit(parse_ok("items"), 0, 0, 1, 1);
    assert_unit(parse_ok("1"), 0, 0, 1, 1);
    assert_unit(parse_ok("  USD / h  "), 1, -1, 1, 60);
    assert_unit(parse_ok("%/year"), 0, -1, 1, 52560000);
    assert_unit(parse_ok("h^2"), 0, 2, 3600, 1);
    assert_unit(parse_ok("h ^ -1"), 0, -1, 1, 60);
    assert_unit(parse_ok("USD*h/month"), 1, 0, 1, 730);
    /* left to right: USD/h/month = USD / (h * month) */
    assert_unit(parse_ok("USD/h/month"), 1, -2, 1, 60 * 43800);
    assert_unit(parse_ok("count/week"), 0, -1, 1, 10080);
}
END_TEST

START_TEST(parse_errors_with_offsets)
{
    parse_fails("", 0, "empty unit");
    parse_fails("   ", 3, "empty unit");
    parse_fails("USD/fortnight", 4, "unknown unit 'fortnight'");
    parse_fails("EUR", 0, "unknown unit 'EUR'");
    parse_fails("usd", 0, "unknown unit 'usd'");
    parse_fails("USD h", 4, "'*' or '/'");
    parse_fails("USD/", 4, "unit ends");
    parse_fails("h^", 2, "integer exponent");
    parse_fails("h^x", 2, "integer exponent");
    parse_fails("h^9", 2, "exponent outside");
    parse_fails("h*h*h*h*h*h*h*h*h", 15, "unit too large");
    parse_fails("10", 0, "unexpected '10'");
    parse_fails("USD#", 3, "'#'");
    parse_fails("USD\x01", 3, "byte 0x01");
}
END_TEST

START_TEST(no_currency_means_no_currency_word)
{
    vos_unit u;
    ck_assert_int_eq(vos_unit_parse(&u, "USD", 3, NULL, NULL), VOS_EINVALID);
    ck_assert(vos_unit_lookup(&u, "EUR", 3, "EUR"));
    assert_unit(u, 1, 0, 1, 1);
    ck_assert(!vos_unit_lookup(&u, "EU", 2, "EUR"));
    ck_assert(vos_unit_lookup(&u, "minute", 6, NULL));
    assert_unit(u, 0, 1, 1, 1);
}
END_TEST

START_TEST(make_and_one)
{
    vos_unit m = vos_unit_make(1, -1, 43800);
    ck_assert(vos_unit_equal(&m, &(vos_unit){1, -1, 1, 43800}));
    assert_unit(vos_unit_make(0, 2, 60), 0, 2, 3600, 1);
    assert_unit(vos_unit_one(), 0, 0, 1, 1);
}
END_TEST

START_TEST(algebra)
{
    vos_unit per_month = parse_ok("1/month"), min = parse_ok("min"), rate = parse_ok("USD/h");
    vos_unit u, v;
    ck_assert_int_eq(vos_unit_mul(&u, &per_month, &min), 0);
    ck_assert_int_eq(vos_unit_mul(&u, &u, &rate), 0);
    assert_unit(u, 1, -1, 1, 2628000);
    ck_assert_int_eq(vos_unit_div(&v, &rate, &per_month), 0);
    assert_unit(v, 1, 0, 730, 1);
    ck_assert_int_eq(vos_unit_pow(&v, &rate, -2), 0);
    assert_unit(v, -2, 2, 3600, 1);
    ck_assert_int_eq(vos_unit_pow(&v, &rate, 0), 0);
    assert_unit(v, 0, 0, 1, 1);
    ck_assert(vos_unit_same_dim(&rate, &(vos_unit){1, -1, 1, 43800}));
    ck_assert(!vos_unit_equal(&rate, &(vos_unit){1, -1, 1, 43800}));
}
END_TEST

START_TEST(algebra_limits)
{
    vos_unit h = parse_ok("h"), year = parse_ok("year"), out = vos_unit_one();
    ck_assert_int_eq(vos_unit_pow(&out, &h, 9), VOS_ETOOLARGE);
    assert_unit(out, 0, 0, 1, 1); /* unchanged */
    ck_assert_int_eq(vos_unit_pow(&out, &h, 8), 0);
    ck_assert_int_eq(vos_unit_mul(&out, &out, &h), VOS_ETOOLARGE);
    /* 525600^4 > 2^63 */
    vos_unit y3;
    ck_assert_int_eq(vos_unit_pow(&y3, &year, 3), 0);
    ck_assert_int_eq(vos_unit_mul(&out, &y3, &year), VOS_ETOOLARGE);
    vos_unit one = vos_unit_one();
    ck_assert_int_eq(vos_unit_pow(&out, &one, 1000000000), 0);
    assert_unit(out, 0, 0, 1, 1);
}
END_TEST

START_TEST(exact_factors)
{
    int64_t n, d;
    vos_unit per_month = parse_ok("1/month"), per_year = parse_ok("1/year");
    ck_assert_int_eq(vos_unit_factor(&n, &d, &per_month, &per_year, "USD"), 0);
    ck_assert_int_eq(n, 12);
    ck_assert_int_eq(d, 1);
    vos_unit min = parse_ok("min"), h = parse_ok("h");
    ck_assert_int_eq(vos_unit_factor(&n, &d, &min, &h, "USD"), 0);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(d, 60);
    vos_unit pct = parse_ok("%"), one = vos_unit_one();
    ck_assert_int_eq(vos_unit_factor(&n, &d, &pct, &one, "USD"), 0);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(d, 100);
    /* (1/month) * min * (USD/h) -> USD/month is exactly 1/60 (header) */
    vos_unit u = parse_ok("1/month*min*USD/h"), usd_month = parse_ok("USD/month");
    ck_assert_int_eq(vos_unit_factor(&n, &d, &u, &usd_month, "USD"), 0);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(d, 60);
}
END_TEST

START_TEST(convert_values)
{
    double v = 90;
    vos_unit min = parse_ok("min"), h = parse_ok("h"), usd = parse_ok("USD");
    ck_assert_int_eq(vos_unit_convert(&v, &min, &h, "USD"), 0);
    ck_assert_double_eq(v, 1.5);
    v = 120000;
    vos_unit per_year = parse_ok("USD/year"), per_month = parse_ok("USD/month");
    ck_assert_int_eq(vos_unit_convert(&v, &per_year, &per_month, "USD"), 0);
    ck_assert_double_eq(v, 10000);
    v = 80;
    vos_unit pct = parse_ok("%"), one = vos_unit_one();
    ck_assert_int_eq(vos_unit_convert(&v, &pct, &one, "USD"), 0);
    ck_assert_double_eq(v, 0.8);
    v = 1;
    ck_assert_int_eq(vos_unit_convert(&v, &usd, &h, "USD"), VOS_EINVALID);
    ck_assert_double_eq(v, 1);
    ck_assert_str_eq(vos_error_last(), "cannot convert USD to h");
}
END_TEST

START_TEST(format_readable)
{
    ck_assert_str_eq(fmt(parse_ok("USD/month")), "USD/month");
    ck_assert_str_eq(fmt(parse_ok("1/h")), "1/h");
    ck_assert_str_eq(fmt(parse_ok("USD*h")), "USD*h");
    ck_assert_str_eq(fmt(parse_ok("%")), "%");
    ck_assert_str_eq(fmt(parse_ok("1")), "1");
    ck_assert_str_eq(fmt(parse_ok("count")), "1");
    ck_assert_str_eq(fmt(parse_ok("bp")), "bp");
    ck_assert_str_eq(fmt(parse_ok("%/year")), "%/year");
    ck_assert_str_eq(fmt(parse_ok("hours")), "h");
    ck_assert_str_eq(fmt(parse_ok("USD^2/h^2")), "USD^2/h^2");
    ck_assert_str_eq(fmt(parse_ok("1/USD")), "1/USD");
    ck_assert_str_eq(fmt(parse_ok("s")), "s");
    ck_assert_str_eq(fmt(parse_ok("USD*h/month")), "USD*h/month");
    ck_assert_str_eq(fmt(parse_ok("min/h")), "min/h");
    /* (1/month) * min: no single named unit */
    ck_assert_str_eq(fmt(parse_ok("1/month*min")), "min/month");
    vos_unit odd = {1, 0, 7, 3};
    ck_assert_str_eq(fmt(odd), "USD (x 7/3)");
    vos_unit odd2 = {0, 1, 13, 1};
    ck_assert_str_eq(fmt(odd2), "min (x 13)");
    vos_unit week_ratio = {0, 1, 7, 1}; /* 7 min */
    ck_assert_str_eq(fmt(week_ratio), "min*week/day");
}
END_TEST

START_TEST(format_snprintf_semantics)
{
    char small[4];
    vos_unit u = parse_ok("USD/month");
    ck_assert_int_eq(vos_unit_format(small, sizeof small, &u, "USD"), 9);
    ck_assert_str_eq(small, "USD");
    ck_assert_int_eq(vos_unit_format(NULL, 0, &u, "USD"), 9);
    char buf[32];
    vos_unit_format(buf, sizeof buf, &u, NULL);
    ck_assert_str_eq(buf, "currency/month");
}
END_TEST

START_TEST(format_round_trips)
{
    const char *texts[] = {"USD/month", "h^3", "USD/h/month", "%/year",     "USD*h/month",
                           "bp/day",    "s^2", "1/USD",       "USD^-2*week"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        vos_unit u = parse_ok(texts[i]);
        vos_unit back = parse_ok(fmt(u));
        ck_assert_msg(vos_unit_equal(&u, &back), "%s -> %s", texts[i], fmt(u));
    }
}
END_TEST

START_TEST(quantities)
{
    double v;
    vos_unit u;
    size_t off = 99;
    ck_assert_int_eq(vos_quantity_parse(&v, &u, "10%", "USD", &off), 0);
    ck_assert_double_eq(v, 10);
    assert_unit(u, 0, 0, 1, 100);
    ck_assert_int_eq(vos_quantity_parse(&v, &u, "10%/year", "USD", &off), 0);
    ck_assert_double_eq(v, 10);
    assert_unit(u, 0, -1, 1, 52560000);
    ck_assert_int_eq(vos_quantity_parse(&v, &u, "120000 USD/year", "USD", &off), 0);
    ck_assert_double_eq(v, 120000);
    assert_unit(u, 1, -1, 1, 525600);
    ck_assert_int_eq(vos_quantity_parse(&v, &u, "6 months", "USD", &off), 0);
    ck_assert_double_eq(v, 6);
    assert_unit(u, 0, 1, 43800, 1);
    ck_assert_int_eq(vos_quantity_parse(&v, &u, " 0.8 ", "USD", &off), 0);
    ck_assert_double_eq(v, 0.8);
    assert_unit(u, 0, 0, 1, 1);
    ck_assert_int_eq(vos_quantity_parse(&v, &u, "-2.5e3 USD", "USD", &off), 0);
    ck_assert_double_eq(v, -2500);
    ck_assert_int_eq(vos_quantity_parse(&v, &u, "10 / month", "USD", &off), 0);
    ck_assert_double_eq(v, 10);
    assert_unit(u, 0, -1, 1, 43800);
    ck_assert_int_eq(vos_quantity_parse(&v, &u, ".5h", "USD", &off), 0);
    ck_assert_double_eq(v, 0.5);
    assert_unit(u, 0, 1, 60, 1);
}
END_TEST

START_TEST(quantity_errors)
{
    double v = 7;
    vos_unit u;
    size_t off = 99;
    ck_assert_int_eq(vos_quantity_parse(&v, &u, "abc", "USD", &off), VOS_EINVALID);
    ck_assert_int_eq(off, 0);
    ck_assert_int_eq(vos_quantity_parse(&v, &u, "10 foo", "USD", &off), VOS_EINVALID);
    ck_assert_int_eq(off, 3);
    ck_assert(strstr(vos_error_last(), "'foo'"));
    ck_assert_int_eq(vos_quantity_parse(&v, &u, "1e999", "USD", &off), VOS_EINVALID);
    ck_assert_int_eq(off, 0);
    ck_assert_int_eq(vos_quantity_parse(&v, &u, "", "USD", &off), VOS_EINVALID);
    ck_assert_int_eq(vos_quantity_parse(&v, &u, "10 EUR", "USD", &off), VOS_EINVALID);
    ck_assert_int_eq(off, 3);
    ck_assert_double_eq(v, 7);
}
END_TEST

Suite *vos_test_unit_suite(void)
{
    Suite *s = suite_create("unit");
    TCase *tc = tcase_create("unit");
    tcase_add_test(tc, parse_table_of_header);
    tcase_add_test(tc, parse_names_and_aliases);
    tcase_add_test(tc, parse_errors_with_offsets);
    tcase_add_test(tc, no_currency_means_no_currency_word);
    tcase_add_test(tc, make_and_one);
    tcase_add_test(tc, algebra);
    tcase_add_test(tc, algebra_limits);
    tcase_add_test(tc, exact_factors);
    tcase_add_test(tc, convert_values);
    tcase_add_test(tc, format_readable);
    tcase_add_test(tc, format_snprintf_semantics);
    tcase_add_test(tc, format_round_trips);
    tcase_add_test(tc, quantities);
    tcase_add_test(tc, quantity_errors);
    suite_add_tcase(s, tc);
    return s;
}
