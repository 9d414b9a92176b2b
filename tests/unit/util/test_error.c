#include "vos/diag.h"
#include "vos/error.h"

#include <check.h>
#include <string.h>

START_TEST(error_message_is_kept)
{
    int rc = vos_error_set(VOS_EINVALID, "field '%s' is bad", "x");
    ck_assert_int_eq(rc, VOS_EINVALID);
    ck_assert_str_eq(vos_error_last(), "field 'x' is bad");
    ck_assert_str_eq(vos_error_name(VOS_ENOTFOUND), "not found");
}
END_TEST

START_TEST(diags_sorted_and_capped)
{
    vos_diags d;
    vos_diags_init(&d);
    vos_diags_add(&d, VOS_DIAG_ERROR, 5, 2, "b");
    vos_diags_add(&d, VOS_DIAG_WARNING, 1, 9, "a");
    vos_diags_add(&d, VOS_DIAG_ERROR, 5, 1, "c");
    vos_diags_sort(&d);
    ck_assert_str_eq(d.items[0].msg, "a");
    ck_assert_str_eq(d.items[1].msg, "c");
    ck_assert_str_eq(d.items[2].msg, "b");
    ck_assert_uint_eq(d.n_errors, 2);
    ck_assert_uint_eq(d.n_warnings, 1);
    for (int i = 0; i < VOS_DIAG_MAX + 10; i++)
        vos_diags_add(&d, VOS_DIAG_ERROR, i, 1, "x%d", i);
    ck_assert_uint_eq(d.n, VOS_DIAG_MAX);
    ck_assert_uint_eq(d.n_errors, 2 + VOS_DIAG_MAX + 10);
    vos_diags_free(&d);
}
END_TEST

Suite *vos_test_util_suite(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("error");
    tcase_add_test(tc, error_message_is_kept);
    tcase_add_test(tc, diags_sorted_and_capped);
    suite_add_tcase(s, tc);
    return s;
}
