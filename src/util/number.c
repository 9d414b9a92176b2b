/* Formatting numbers for people and for machines (include/vos/number.h).
 *
 * vos_num_grouped rounds the way a spreadsheet displays: x is first taken to 15 significant
 * decimal digits (the precision Excel shows), then that decimal text is rounded half away
 * from zero at the requested place.  So 2.675, stored as 2.67499999999999982236431605997...,
 * shows as 2.68 with 2 decimals, as in Excel, and a computed value that lands a few units in
 * the last place off a decimal value rounds as that decimal value would. */
#include "vos/number.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUM_SHORTEST_MIN 15 /* significant digits tried first: always exact for decimals */
#define NUM_SHORTEST_MAX 17 /* enough for every double to read back exactly */
#define NUM_DISPLAY_DIGITS 15
#define NUM_DECIMALS_MAX 6
#define NUM_DIGITS_MAX 400 /* digits of the largest double (1.8e308) plus decimals */
#define NUM_TEXT_MAX 560   /* NUM_DIGITS_MAX with separators, sign and point */

int vos_num_shortest(char *buf, size_t size, double x)
{
    if (!isfinite(x)) return snprintf(buf, size, "null");
    char tmp[40];
    for (int prec = NUM_SHORTEST_MIN; prec <= NUM_SHORTEST_MAX; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, x);
        if (strtod(tmp, NULL) == x) break;
    }
    return snprintf(buf, size, "%s", tmp);
}

/* Writes round(|x| * 10^decimals) as decimal digits into `n` (no leading zeros except a
 * lone "0"), rounding half away from zero on the 15-significant-digit text of x. */
static void scaled_digits(char *n, double ax, int decimals)
{
    char sci[40];
    snprintf(sci, sizeof sci, "%.*e", NUM_DISPLAY_DIGITS - 1, ax);
    char dig[NUM_DISPLAY_DIGITS];
    dig[0] = sci[0];
    memcpy(dig + 1, sci + 2, NUM_DISPLAY_DIGITS - 1);
    int exp10 = atoi(strchr(sci, 'e') + 1);
    int last = exp10 + decimals; /* index in dig of the units digit of the result */
    int len = 0;
    n[len++] = '0'; /* room for a carry */
    for (int j = 0; j <= last; j++)
        n[len++] = j < NUM_DISPLAY_DIGITS ? dig[j] : '0';
    n[len] = '\0';
    int round_up = last + 1 >= 0 && last + 1 < NUM_DISPLAY_DIGITS && dig[last + 1] >= '5';
    for (int j = len - 1; round_up && j >= 0; j--) {
        if (n[j] == '9') {
            n[j] = '0';
        } else {
            n[j]++;
            round_up = 0;
        }
    }
    size_t skip = strspn(n, "0");
    if (skip == (size_t)len) skip = (size_t)len - 1; /* keep a lone "0" */
    memmove(n, n + skip, (size_t)len - skip + 1);
}

int vos_num_grouped(char *buf, size_t size, double x, int decimals)
{
    if (!isfinite(x)) return snprintf(buf, size, "n/a");
    if (decimals < 0) decimals = 0;
    if (decimals > NUM_DECIMALS_MAX) decimals = NUM_DECIMALS_MAX;
    char n[NUM_DIGITS_MAX];
    scaled_digits(n, fabs(x), decimals);
    int len = (int)strlen(n);
    int zero = strspn(n, "0") == (size_t)len;

    char out[NUM_TEXT_MAX];
    int o = 0;
    if (x < 0 && !zero) out[o++] = '-';
    int int_len = len > decimals ? len - decimals : 0;
    if (int_len == 0) out[o++] = '0';
    for (int j = 0; j < int_len; j++) {
        if (j > 0 && (int_len - j) % 3 == 0) out[o++] = ',';
        out[o++] = n[j];
    }
    if (decimals > 0) {
        out[o++] = '.';
        for (int j = 0; j < decimals; j++) {
            int src = len - decimals + j;
            out[o++] = src >= 0 ? n[src] : '0';
        }
    }
    out[o] = '\0';
    return snprintf(buf, size, "%s", out);
}
