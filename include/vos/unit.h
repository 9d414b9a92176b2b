/* Units of measure with dimensional analysis.
 *
 * A unit is a product of powers of two base dimensions, currency (the model's one currency)
 * and time, times an exact rational scale relative to the base units 1 currency and
 * 1 minute.  Counts and percentages are dimensionless.  Examples:
 *
 *   text         currency  time  scale (num/den)
 *   USD              1       0     1/1
 *   h                0       1     60/1
 *   1/month          0      -1     1/43800      (month = year/12 = 43800 min)
 *   USD/h            1      -1     1/60
 *   %                0       0     1/100
 *
 * Time units: s (sec, second, seconds), min (minute, minutes), h (hr, hour, hours),
 * day (days), week (weeks, wk), month (months, mo), year (years, yr); a year is 365 days and
 * a month is a twelfth of a year.  Dimensionless: 1, %, bp (1/10000), count, each, item(s),
 * unit(s).  Currency: the model's ISO 4217 code exactly as declared (e.g. USD).
 * Unit text grammar: term (('*' | '/') term)*, term = NAME ('^' INTEGER)? | '1' | '%';
 * spaces around operators are allowed.  Scales are reduced rationals, so conversions such
 * as (1/month) * min * (USD/h) -> USD/month are exact (factor 1/60). */
#ifndef VOS_UNIT_H
#define VOS_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct vos_unit {
    int8_t currency; /* exponent of currency */
    int8_t time;     /* exponent of time */
    int64_t num;     /* one of this unit is num/den base units; num, den > 0, reduced */
    int64_t den;
} vos_unit;

/* The dimensionless unit 1. */
vos_unit vos_unit_one(void);
/* currency^c * time-unit^t where the time unit is minutes_per_unit minutes (e.g. 43800 for
 * month): vos_unit_make(1, -1, 43800) is currency per month. */
vos_unit vos_unit_make(int currency, int time, int64_t minutes_per_unit);

/* Parses unit text (grammar above).  `currency` is the model's code.  On error returns
 * VOS_EINVALID, sets vos_error_last() to a message naming the offending word, and writes
 * its byte offset into *err_offset when err_offset is not NULL. */
int vos_unit_parse(vos_unit *out, const char *text, size_t len, const char *currency,
                   size_t *err_offset);

/* Parses a quantity: a number, optionally followed by a '%' and/or unit text, e.g. "10%",
 * "10%/year", "120000 USD/year", "6 months", "0.8".  The value is returned as written
 * (10 for "10%/year") with its unit (%/year).  Errors as vos_unit_parse. */
int vos_quantity_parse(double *value, vos_unit *unit, const char *text, const char *currency,
                       size_t *err_offset);

/* Looks up one unit name (len bytes, not NUL-terminated): a time or dimensionless name of
 * the list above, "%", or `currency`.  Returns true and sets *out when it is one; sets no
 * error message either way. */
bool vos_unit_lookup(vos_unit *out, const char *name, size_t len, const char *currency);

/* Products, quotients and integer powers.  Return VOS_ETOOLARGE (and leave *out unchanged)
 * when an exponent leaves [-8, 8] or the scale no longer fits 64-bit integers. */
int vos_unit_mul(vos_unit *out, const vos_unit *a, const vos_unit *b);
int vos_unit_div(vos_unit *out, const vos_unit *a, const vos_unit *b);
int vos_unit_pow(vos_unit *out, const vos_unit *a, int exponent);

/* Whether a and b have the same dimensions (scale may differ). */
bool vos_unit_same_dim(const vos_unit *a, const vos_unit *b);
/* Whether a and b are identical (dimensions and scale). */
bool vos_unit_equal(const vos_unit *a, const vos_unit *b);

/* The exact factor num/den with  value_in_to = value_in_from * num / den.  VOS_EINVALID if
 * the dimensions differ (message shows both units). */
int vos_unit_factor(int64_t *num, int64_t *den, const vos_unit *from, const vos_unit *to,
                    const char *currency);
/* Converts a value in place; errors as vos_unit_factor. */
int vos_unit_convert(double *value, const vos_unit *from, const vos_unit *to,
                     const char *currency);

/* Writes a readable name, e.g. "USD/month", "1/h", "USD*h", "%"; where no named time unit
 * matches the scale it writes the base form with the factor, e.g. "USD (x 1/60)".  Always
 * NUL-terminates; returns the length it wanted (snprintf-style). */
int vos_unit_format(char *buf, size_t size, const vos_unit *u, const char *currency);

#endif
