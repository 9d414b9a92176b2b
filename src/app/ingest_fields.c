/* The fields of a measurement file, without the store (include/vos/ingest.h): the header,
 * times, values and the checks of one row that need no lookup.  Pure: no I/O, no globals. */
#include "app_measure_int.h"

#include "vos/error.h"
#include "vos/ingest.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MS_PER_S 1000
#define MS_PER_DAY INT64_C(86400000)
#define FRACTION_DIGITS_MAX 9   /* digits after the seconds' point (nanoseconds) */
#define DECIMAL_DIGITS_EXACT 15 /* digits of a decimal read without strtod (see read_decimal) */
#define QUOTE_BYTES 40          /* bytes of a field quoted in a message */

static const char *const column_names[VOS_INGEST_COLUMNS] = {"account", "kpi", "time", "value",
                                                             "source"};
/* Other names a header may use: the fields of the JSON API. */
static const char *const column_aliases[VOS_INGEST_COLUMNS] = {"account_id", "kpi_key", "at", NULL,
                                                               NULL};

const char *vos_ingest_column_name(vos_ingest_column c)
{
    return (unsigned)c < VOS_INGEST_COLUMNS ? column_names[c] : NULL;
}

/* ---- problems ------------------------------------------------------------------------------- */

void vos_ingest_report_free(vos_ingest_report *rep)
{
    if (!rep) return;
    free(rep->problems);
    free(rep->accounts);
    rep->problems = NULL;
    rep->accounts = NULL;
    rep->n_problems = rep->more = rep->n_accounts = 0;
}

int vos_ingest_problem_add(vos_ingest_report *rep, int64_t line, const char *field, const char *fmt,
                           ...)
{
    if (rep->n_problems >= VOS_INGEST_PROBLEMS_MAX) {
        rep->more++;
        return VOS_EINVALID;
    }
    if (!rep->problems) {
        rep->problems = calloc(VOS_INGEST_PROBLEMS_MAX, sizeof *rep->problems);
        if (!rep->problems) return vos_error_set(VOS_ENOMEM, "out of memory");
    }
    vos_ingest_problem *p = &rep->problems[rep->n_problems++];
    p->line = line;
    p->field = field;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->message, sizeof p->message, fmt, ap);
    va_end(ap);
    return VOS_EINVALID;
}

const char *ingest_quote(char out[INGEST_QUOTE_SIZE], const char *s)
{
    size_t n = 0;
    const unsigned char *u = (const unsigned char *)s;
    while (u[n] && n < QUOTE_BYTES)
        n++;
    if (u[n]) /* cut before a UTF-8 continuation byte, not inside a character */
        while (n > 0 && (u[n] & 0xC0) == 0x80)
            n--;
    for (size_t i = 0; i < n; i++)
        out[i] = u[i] < 0x20 || u[i] == 0x7F ? '?' : (char)u[i];
    strcpy(out + n, u[n] ? "..." : "");
    return out;
}

/* ---- times ---------------------------------------------------------------------------------- */

static bool digits_at(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static int number_at(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's
 * days_from_civil, valid for every year here). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = (int)(z - era * 146097);
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400) + (*m <= 2);
}

static void put_digits(char *out, int v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
}

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" of ms since 1970 (years 0..9999). */
static void stamp_of(char out[VOS_STAMP_SIZE], int64_t ms)
{
    int64_t days = ms >= 0 ? ms / MS_PER_DAY : -((-ms + MS_PER_DAY - 1) / MS_PER_DAY);
    int in_day = (int)(ms - days * MS_PER_DAY);
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    int s = in_day / MS_PER_S;
    memcpy(out, "0000-00-00T00:00:00.000Z", VOS_STAMP_SIZE);
    put_digits(out, y, 4);
    put_digits(out + 5, m, 2);
    put_digits(out + 8, d, 2);
    put_digits(out + 11, s / 3600, 2);
    put_digits(out + 14, s / 60 % 60, 2);
    put_digits(out + 17, s % 60, 2);
    put_digits(out + 20, in_day % MS_PER_S, 3);
}

static int bad_time(char *why, size_t size, const char *what)
{
    snprintf(why, size, "%s", what);
    return VOS_EINVALID;
}

#define TIME_FORMAT                                                                                \
    "is not a date or time (YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS[.fff]] with Z or +HH:MM)"

/* "THH:MM[:SS[.f...]]" from p (after the date).  OUT: *ms within the day, *rest after it. */
static int read_clock(const char *p, int64_t *ms, const char **rest, char *why, size_t size)
{
    if (!digits_at(p + 1, 2) || p[3] != ':' || !digits_at(p + 4, 2))
        return bad_time(why, size, TIME_FORMAT);
    int h = number_at(p + 1, 2), mi = number_at(p + 4, 2), s = 0, milli = 0;
    p += 6;
    if (*p == ':') {
        if (!digits_at(p + 1, 2)) return bad_time(why, size, TIME_FORMAT);
        s = number_at(p + 1, 2);
        p += 3;
        if (*p == '.') {
            int n = 0;
            for (p++; *p >= '0' && *p <= '9'; p++, n++)
                if (n < 3) milli = milli * 10 + (*p - '0');
            if (n == 0 || n > FRACTION_DIGITS_MAX) return bad_time(why, size, TIME_FORMAT);
            for (; n < 3; n++)
                milli *= 10;
        }
    }
    if (h > 23 || mi > 59 || s > 59) return bad_time(why, size, "is not a real time of day");
    *ms = ((int64_t)h * 3600 + mi * 60 + s) * MS_PER_S + milli;
    *rest = p;
    return 0;
}

/* "Z" or "+HH:MM" / "-HH:MM" and the end.  OUT: *offset_ms (local minus UTC). */
static int read_zone(const char *p, int64_t *offset_ms, char *why, size_t size)
{
    if ((p[0] == 'Z' || p[0] == 'z') && !p[1]) {
        *offset_ms = 0;
        return 0;
    }
    if (!*p)
        return bad_time(why, size,
                        "has no time zone: end it with Z (UTC) or an offset such as +02:00");
    if ((p[0] != '+' && p[0] != '-') || !digits_at(p + 1, 2) || p[3] != ':' ||
        !digits_at(p + 4, 2) || p[6])
        return bad_time(why, size, TIME_FORMAT);
    int h = number_at(p + 1, 2), m = number_at(p + 4, 2);
    if (h > 23 || m > 59) return bad_time(why, size, "has an offset that is not a time of day");
    *offset_ms = (p[0] == '-' ? -1 : 1) * ((int64_t)h * 3600 + m * 60) * MS_PER_S;
    return 0;
}

int vos_ingest_time(char out[VOS_STAMP_SIZE], int64_t *ms_out, const char *text, int64_t now_ms,
                    char *why, size_t why_size)
{
    if (strlen(text) < 10 || !digits_at(text, 4) || text[4] != '-' || !digits_at(text + 5, 2) ||
        text[7] != '-' || !digits_at(text + 8, 2))
        return bad_time(why, why_size, TIME_FORMAT);
    int y = number_at(text, 4), m = number_at(text + 5, 2), d = number_at(text + 8, 2);
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return bad_time(why, why_size, "is not a real date");
    int64_t ms = days_from_civil(y, m, d) * MS_PER_DAY;
    const char *p = text + 10;
    if (*p) {
        if (*p != 'T' && *p != 't' && *p != ' ') return bad_time(why, why_size, TIME_FORMAT);
        int64_t clock = 0, offset = 0;
        int rc = read_clock(p, &clock, &p, why, why_size);
        if (rc == 0) rc = read_zone(p, &offset, why, why_size);
        if (rc < 0) return rc;
        ms += clock - offset;
    }
    char bound[48];
    if (ms < days_from_civil(VOS_INGEST_YEAR_MIN, 1, 1) * MS_PER_DAY) {
        snprintf(bound, sizeof bound, "is before %d", VOS_INGEST_YEAR_MIN);
        return bad_time(why, why_size, bound);
    }
    if (ms >= days_from_civil(VOS_INGEST_YEAR_MAX + 1, 1, 1) * MS_PER_DAY) {
        snprintf(bound, sizeof bound, "is after %d", VOS_INGEST_YEAR_MAX);
        return bad_time(why, why_size, bound);
    }
    if (ms > now_ms + (int64_t)VOS_INGEST_FUTURE_S * MS_PER_S)
        return bad_time(why, why_size, "is more than a day in the future");
    stamp_of(out, ms);
    if (ms_out) *ms_out = ms;
    return 0;
}

/* ---- values --------------------------------------------------------------------------------- */

static const double exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Whether text has the shape of a decimal number: [+-]d*[.d*][(e|E)[+-]d+] with a digit in
 * the mantissa.  OUT: *simple when it has no exponent and at most DECIMAL_DIGITS_EXACT digits,
 * with its digits as an integer *m and the digits after the point *k. */
static bool decimal_shape(const char *s, bool *simple, double *m, int *k)
{
    const char *p = s + (*s == '+' || *s == '-');
    int digits = 0, after = 0, significant = 0;
    double v = 0;
    bool point = false;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            digits++;
            after += point;
            if (significant || *p != '0') significant++;
            if (significant <= DECIMAL_DIGITS_EXACT) v = v * 10 + (*p - '0');
        } else if (*p == '.' && !point) {
            point = true;
        } else {
            break;
        }
    }
    if (digits == 0) return false;
    *simple = !*p && significant <= DECIMAL_DIGITS_EXACT &&
              after < (int)(sizeof exact_pow10 / sizeof *exact_pow10);
    *m = *s == '-' ? -v : v;
    *k = after;
    if (!*p) return true;
    if (*p != 'e' && *p != 'E') return false;
    p += 1 + (p[1] == '+' || p[1] == '-');
    if (!(*p >= '0' && *p <= '9')) return false;
    while (*p >= '0' && *p <= '9')
        p++;
    return !*p;
}

int vos_ingest_value(double *out, const char *text, char *why, size_t why_size)
{
    bool simple = false;
    double m = 0;
    int k = 0;
    if (!decimal_shape(text, &simple, &m, &k)) {
        snprintf(why, why_size, "%s",
                 strchr(text, ',') ? "is not a number (write the decimal point as '.')"
                                   : "is not a number");
        return VOS_EINVALID;
    }
    /* m (below 2^53) and 10^k are exact doubles, so m / 10^k is the correctly rounded value of
     * the decimal: what strtod returns, without its cost */
    double v = simple ? m / exact_pow10[k] : strtod(text, NULL);
    if (!isfinite(v)) {
        snprintf(why, why_size, "is out of range");
        return VOS_EINVALID;
    }
    *out = v == 0 ? 0.0 : v; /* no -0 */
    return 0;
}

/* ---- the header ----------------------------------------------------------------------------- */

static char *trim(char *s, size_t *len)
{
    size_t n = *len;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    size_t skip = 0;
    while (skip < n && (s[skip] == ' ' || s[skip] == '\t'))
        skip++;
    *len = n - skip;
    return s + skip;
}

static int column_of(const char *name)
{
    for (int c = 0; c < VOS_INGEST_COLUMNS; c++)
        if (strcasecmp(name, column_names[c]) == 0 ||
            (column_aliases[c] && strcasecmp(name, column_aliases[c]) == 0))
            return c;
    return -1;
}

int vos_ingest_header(int map[VOS_INGEST_COLUMNS], const vos_csv_record *rec,
                      vos_ingest_report *rep)
{
    char q[INGEST_QUOTE_SIZE];
    int rc = 0;
    long long line = (long long)rec->line;
    for (int c = 0; c < VOS_INGEST_COLUMNS; c++)
        map[c] = -1;
    for (size_t i = 0; i < rec->n && rc != VOS_ENOMEM; i++) {
        size_t len = rec->len[i];
        const char *name = trim(rec->field[i], &len);
        int c = column_of(name);
        if (c < 0)
            rc = vos_ingest_problem_add(rep, rec->line, NULL,
                                        "column '%s' on line %lld is not one of account, kpi, "
                                        "time, value, source",
                                        ingest_quote(q, name), line);
        else if (map[c] >= 0)
            rc = vos_ingest_problem_add(rep, rec->line, NULL,
                                        "column '%s' on line %lld appears twice",
                                        ingest_quote(q, name), line);
        else
            map[c] = (int)i;
    }
    for (int c = 0; c < VOS_INGEST_COLUMNS && rc != VOS_ENOMEM; c++)
        if (map[c] < 0)
            rc = vos_ingest_problem_add(rep, rec->line, NULL,
                                        "the header on line %lld has no column '%s' (a "
                                        "measurement file starts with "
                                        "account,kpi,time,value,source)",
                                        line, column_names[c]);
    return rc;
}

/* ---- one row -------------------------------------------------------------------------------- */

/* Characters of valid UTF-8 text without control characters, or -1. */
static long name_chars(const unsigned char *s)
{
    long n = 0;
    while (*s) {
        unsigned c = *s;
        int len = c < 0x80             ? 1
                  : (c & 0xE0) == 0xC0 ? 2
                  : (c & 0xF0) == 0xE0 ? 3
                  : (c & 0xF8) == 0xF0 ? 4
                                       : 0;
        if (!len || (len == 1 && (c < 0x20 || c == 0x7F))) return -1;
        unsigned long cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
        for (int k = 1; k < len; k++) {
            if ((s[k] & 0xC0) != 0x80) return -1;
            cp = cp << 6 | (s[k] & 0x3F);
        }
        static const unsigned long min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
        s += len;
        n++;
    }
    return n;
}

static int check_source(const char *text, int64_t line, vos_ingest_report *rep)
{
    const char *field = column_names[VOS_COL_SOURCE];
    if (!*text)
        return vos_ingest_problem_add(rep, line, field, "source on line %lld is empty",
                                      (long long)line);
    long chars = name_chars((const unsigned char *)text);
    if (chars < 0)
        return vos_ingest_problem_add(rep, line, field,
                                      "source on line %lld is not valid UTF-8 text on one line",
                                      (long long)line);
    if (chars > VOS_NAME_MAX)
        return vos_ingest_problem_add(rep, line, field,
                                      "source on line %lld is longer than %d characters",
                                      (long long)line, VOS_NAME_MAX);
    return 0;
}

/* The time of a row: the memo's stamp when the text is the memo's, else read (and kept in
 * the memo when good). */
static int row_time(char stamp[VOS_STAMP_SIZE], const char *text, int64_t now_ms,
                    vos_ingest_memo *memo, char *why, size_t why_size)
{
    if (memo && memo->text[0] && strcmp(memo->text, text) == 0) {
        memcpy(stamp, memo->stamp, VOS_STAMP_SIZE);
        return 0;
    }
    int rc = vos_ingest_time(stamp, NULL, text, now_ms, why, why_size);
    if (memo && rc == 0 && strlen(text) < sizeof memo->text) {
        strcpy(memo->text, text);
        memcpy(memo->stamp, stamp, VOS_STAMP_SIZE);
    }
    return rc;
}

int vos_ingest_row_parse(const vos_csv_record *rec, const int map[VOS_INGEST_COLUMNS],
                         size_t n_columns, int64_t now_ms, vos_ingest_memo *memo,
                         const char *text[VOS_INGEST_COLUMNS], char stamp[VOS_STAMP_SIZE],
                         double *value, vos_ingest_report *rep)
{
    long long line = (long long)rec->line;
    if (rec->n != n_columns)
        return vos_ingest_problem_add(rep, rec->line, NULL,
                                      "line %lld has %zu fields, not %zu as the header", line,
                                      rec->n, n_columns);
    for (int c = 0; c < VOS_INGEST_COLUMNS; c++) {
        size_t len = rec->len[map[c]];
        text[c] = trim(rec->field[map[c]], &len);
    }
    int bad = 0;
    char why[VOS_INGEST_MESSAGE_MAX / 2], q[INGEST_QUOTE_SIZE];
    for (int c = VOS_COL_ACCOUNT; c <= VOS_COL_KPI; c++)
        if (!*text[c])
            bad = vos_ingest_problem_add(rep, rec->line, column_names[c],
                                         "%s on line %lld is empty", column_names[c], line);
    if (row_time(stamp, text[VOS_COL_TIME], now_ms, memo, why, sizeof why) < 0)
        bad = vos_ingest_problem_add(rep, rec->line, column_names[VOS_COL_TIME],
                                     "time '%s' on line %lld %s",
                                     ingest_quote(q, text[VOS_COL_TIME]), line, why);
    if (vos_ingest_value(value, text[VOS_COL_VALUE], why, sizeof why) < 0)
        bad = vos_ingest_problem_add(rep, rec->line, column_names[VOS_COL_VALUE],
                                     "value '%s' on line %lld %s",
                                     ingest_quote(q, text[VOS_COL_VALUE]), line, why);
    int src = check_source(text[VOS_COL_SOURCE], rec->line, rep);
    if (src < 0) bad = src;
    if (bad == VOS_ENOMEM || src == VOS_ENOMEM) return VOS_ENOMEM;
    return bad ? VOS_EINVALID : 0;
}
