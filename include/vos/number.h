/* Formatting numbers for people and for machines. */
#ifndef VOS_NUMBER_H
#define VOS_NUMBER_H

#include <stddef.h>

/* The shortest decimal text that reads back as exactly x (tries %.15g, %.16g, %.17g), e.g.
 * 0.1 -> "0.1", 57600 -> "57600", 1e-7 -> "1e-07".  For JSON output: x must be finite.
 * Returns the length written (snprintf-style); always NUL-terminates. */
int vos_num_shortest(char *buf, size_t size, double x);

/* x rounded half away from zero to `decimals` (0..6) places, with ',' between thousands:
 * 1234567.891 with 2 -> "1,234,567.89", -1234 with 0 -> "-1,234", -0.001 with 2 -> "0.00".
 * Non-finite x gives "n/a". Returns the length written; always NUL-terminates. */
int vos_num_grouped(char *buf, size_t size, double x, int decimals);

#endif
