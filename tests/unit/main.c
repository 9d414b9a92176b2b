/* One Check runner for every unit suite.  The list of suites is generated from the
 * test sources (scripts/gen-suites.sh), so a new tests/unit/<module>/test_<x>.c that
 * defines `Suite *vos_test_<x>_suite(void)` is picked up without editing this file.
 *
 * Usage: vos-test [SUITE]   run all suites, or only the named one. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define X(name) Suite *vos_test_##name##_suite(void);
#include "suites.inc"
#undef X

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    SRunner *sr = srunner_create(NULL);
    int added = 0;
#define X(name)                                                                                    \
    if (!only || strcmp(only, #name) == 0) {                                                       \
        srunner_add_suite(sr, vos_test_##name##_suite());                                          \
        added++;                                                                                   \
    }
#include "suites.inc"
#undef X
    if (!added) {
        fprintf(stderr, "vos-test: no suite named '%s'\n", only ? only : "");
        srunner_free(sr);
        return 2;
    }
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
