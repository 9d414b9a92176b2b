#!/bin/sh
# Lists every Check suite constructor (Suite *vos_test_NAME_suite(void)) found in the
# given test sources as X(NAME) lines, for tests/unit/main.c.
grep -ho 'Suite \*vos_test_[a-z0-9_]*_suite(void)' "$@" \
  | sed 's/Suite \*vos_test_\([a-z0-9_]*\)_suite(void)/X(\1)/' | sort -u
