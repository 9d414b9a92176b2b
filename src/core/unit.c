/* Units of measure: exact rational scales over the base dimensions currency and time.
 * See include/vos/unit.h for the representation and the unit text grammar. */
#include "vos/unit.h"
#include "vos/error.h"
#include "vos/limits.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_EXP_MAX 8      /* |exponent| of a base dimension */
#define UNIT_NAME_SHOWN 40  /* bytes of an offending word quoted in a message */
#define UNIT_POW_DIGITS 3   /* digits of an exponent in unit text */
#define UNIT_FMT_MAX 128    /* bytes of a unit shown inside an error message */
#define NUMBER_TEXT_MAX 128 /* bytes of the number of a quantity */

#define MIN_PER_HOUR 60
#define MIN_PER_DAY (24 * MIN_PER_HOUR)
#define MIN_PER_WEEK (7 * MIN_PER_DAY)
#define MIN_PER_YEAR (365 * MIN_PER_DAY)
#define MIN_PER_MONTH (MIN_PER_YEAR / 12)
#define SEC_PER_MIN 60
#define PERCENT 100
#define BASIS_POINTS 10000

typedef struct named_unit {
    const char *name;
    int8_t time; /* 1 for time units, 0 for dimensionless ones */
    int64_t num, den;
} named_unit;

static const named_unit NAMES[] = {
    {"s", 1, 1, SEC_PER_MIN},
    {"sec", 1, 1, SEC_PER_MIN},
    {"second", 1, 1, SEC_PER_MIN},
    {"seconds", 1, 1, SEC_PER_MIN},
    {"min", 1, 1, 1},
    {"minute", 1, 1, 1},
    {"minutes", 1, 1, 1},
    {"h", 1, MIN_PER_HOUR, 1},
    {"hr", 1, MIN_PER_HOUR, 1},
    {"hour", 1, MIN_PER_HOUR, 1},
    {"hours", 1, MIN_PER_HOUR, 1},
    {"day", 1, MIN_PER_DAY, 1},
    {"days", 1, MIN_PER_DAY, 1},
    {"week", 1, MIN_PER_WEEK, 1},
    {"weeks", 1, MIN_PER_WEEK, 1},
    {"wk", 1, MIN_PER_WEEK, 1},
    {"month", 1, MIN_PER_MONTH, 1},
    {"months", 1, MIN_PER_MONTH, 1},
    {"mo", 1, MIN_PER_MONTH, 1},
    {"year", 1, MIN_PER_YEAR, 1},
    {"years", 1, MIN_PER_YEAR, 1},
    {"yr", 1, MIN_PER_YEAR, 1},
    {"%", 0, 1, PERCENT},
    {"bp", 0, 1, BASIS_POINTS},
    {"count", 0, 1, 1},
    {"each", 0, 1, 1},
    {"item", 0, 1, 1},
    {"items", 0, 1, 1},
    {"unit", 0, 1, 1},
    {"units", 0, 1, 1},
};

/* Time units tried, in this order, when a unit is written for people; seconds last (used only
 * when nothing else fits). */
static const named_unit SHOWN_TIMES[] = {
    {"min", 1, 1, 1},
    {"h", 1, MIN_PER_HOUR, 1},
    {"day", 1, MIN_PER_DAY, 1},
    {"week", 1, MIN_PER_WEEK, 1},
    {"month", 1, MIN_PER_MONTH, 1},
    {"year", 1, MIN_PER_YEAR, 1},
    {"s", 1, 1, SEC_PER_MIN},
};

/* Dimensionless factors tried, in this order, when a unit is written for people. */
static const named_unit SHOWN_FACTORS[] = {
    {"", 0, 1, 1},
    {"%", 0, 1, PERCENT},
    {"bp", 0, 1, BASIS_POINTS},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b != 0) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* num/den = (an/ad) * (bn/bd), all positive, reduced.  Returns false on overflow. */
static bool ratio_mul(int64_t *num, int64_t *den, int64_t an, int64_t ad, int64_t bn, int64_t bd)
{
    int64_t g1 = gcd64(an, bd), g2 = gcd64(bn, ad);
    an /= g1;
    bd /= g1;
    bn /= g2;
    ad /= g2;
    int64_t n, d;
    if (__builtin_mul_overflow(an, bn, &n) || __builtin_mul_overflow(ad, bd, &d)) return false;
    *num = n;
    *den = d;
    return true;
}

/* num/den = (an/ad)^e for e >= 0.  Returns false on overflow. */
static bool ratio_pow(int64_t *num, int64_t *den, int64_t an, int64_t ad, long long e)
{
    int64_t n = 1, d = 1;
    if (an == 1 && ad == 1) e = 0;
    for (long long i = 0; i < e; i++) {
        if (__builtin_mul_overflow(n, an, &n) || __builtin_mul_overflow(d, ad, &d)) return false;
    }
    *num = n;
    *den = d;
    return true;
}

static bool exp_ok(long long e)
{
    return e >= -UNIT_EXP_MAX && e <= UNIT_EXP_MAX;
}

vos_unit vos_unit_one(void)
{
    vos_unit u = {0, 0, 1, 1};
    return u;
}

/* Exponents are expected within [-8, 8] and minutes_per_unit > 0: with an exponent outside
 * that range the result is the unit 1; with a bad minutes_per_unit, or a scale that does not
 * fit 64-bit integers, the scale is left at 1. */
vos_unit vos_unit_make(int currency, int time, int64_t minutes_per_unit)
{
    vos_unit u = vos_unit_one();
    if (!exp_ok(currency) || !exp_ok(time)) return u;
    u.currency = (int8_t)currency;
    u.time = (int8_t)time;
    if (minutes_per_unit <= 0) return u;
    int64_t n, d;
    if (ratio_pow(&n, &d, minutes_per_unit, 1, time < 0 ? -time : time)) {
        u.num = time < 0 ? d : n;
        u.den = time < 0 ? n : d;
    }
    return u;
}

bool vos_unit_lookup(vos_unit *out, const char *name, size_t len, const char *currency)
{
    if (len == 0) return false;
    if (currency && strlen(currency) == len && memcmp(currency, name, len) == 0) {
        *out = vos_unit_make(1, 0, 1);
        return true;
    }
    for (size_t i = 0; i < COUNT(NAMES); i++) {
        if (strlen(NAMES[i].name) == len && memcmp(NAMES[i].name, name, len) == 0) {
            out->currency = 0;
            out->time = NAMES[i].time;
            out->num = NAMES[i].num;
            out->den = NAMES[i].den;
            return true;
        }
    }
    return false;
}

int vos_unit_mul(vos_unit *out, const vos_unit *a, const vos_unit *b)
{
    long long c = (long long)a->currency + b->currency, t = (long long)a->time + b->time;
    int64_t n, d;
    if (!exp_ok(c) || !exp_ok(t))
        return vos_error_set(VOS_ETOOLARGE, "unit exponent outside -%d..%d", UNIT_EXP_MAX,
                             UNIT_EXP_MAX);
    if (!ratio_mul(&n, &d, a->num, a->den, b->num, b->den))
        return vos_error_set(VOS_ETOOLARGE, "unit scale does not fit 64-bit integers");
    out->currency = (int8_t)c;
    out->time = (int8_t)t;
    out->num = n;
    out->den = d;
    return 0;
}

int vos_unit_div(vos_unit *out, const vos_unit *a, const vos_unit *b)
{
    vos_unit inv = {(int8_t)-b->currency, (int8_t)-b->time, b->den, b->num};
    return vos_unit_mul(out, a, &inv);
}

int vos_unit_pow(vos_unit *out, const vos_unit *a, int exponent)
{
    long long e = exponent;
    long long c = a->currency * e, t = a->time * e;
    int64_t n, d;
    if (!exp_ok(c) || !exp_ok(t))
        return vos_error_set(VOS_ETOOLARGE, "unit exponent outside -%d..%d", UNIT_EXP_MAX,
                             UNIT_EXP_MAX);
    if (!ratio_pow(&n, &d, a->num, a->den, e < 0 ? -e : e))
        return vos_error_set(VOS_ETOOLARGE, "unit scale does not fit 64-bit integers");
    out->currency = (int8_t)c;
    out->time = (int8_t)t;
    out->num = e < 0 ? d : n;
    out->den = e < 0 ? n : d;
    return 0;
}

bool vos_unit_same_dim(const vos_unit *a, const vos_unit *b)
{
    return a->currency == b->currency && a->time == b->time;
}

bool vos_unit_equal(const vos_unit *a, const vos_unit *b)
{
    return vos_unit_same_dim(a, b) && a->num == b->num && a->den == b->den;
}

int vos_unit_factor(int64_t *num, int64_t *den, const vos_unit *from, const vos_unit *to,
                    const char *currency)
{
    if (!vos_unit_same_dim(from, to)) {
        char a[UNIT_FMT_MAX], b[UNIT_FMT_MAX];
        vos_unit_format(a, sizeof a, from, currency);
        vos_unit_format(b, sizeof b, to, currency);
        return vos_error_set(VOS_EINVALID, "cannot convert %s to %s", a, b);
    }
    /* value_to = value_from * (from.num / from.den) / (to.num / to.den) */
    if (!ratio_mul(num, den, from->num, from->den, to->den, to->num))
        return vos_error_set(VOS_ETOOLARGE, "unit conversion factor does not fit 64-bit integers");
    return 0;
}

int vos_unit_convert(double *value, const vos_unit *from, const vos_unit *to, const char *currency)
{
    int64_t num, den;
    int rc = vos_unit_factor(&num, &den, from, to, currency);
    if (rc < 0) return rc;
    if (num != 1) *value *= (double)num;
    if (den != 1) *value /= (double)den;
    return 0;
}

/* --- parsing --- */

typedef struct unit_parser {
    const char *s;
    size_t len, pos;
    const char *currency;
    size_t *err_offset;
} unit_parser;

static int unit_fail(unit_parser *p, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int unit_fail(unit_parser *p, size_t at, const char *fmt, ...)
{
    char msg[VOS_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (p->err_offset) *p->err_offset = at;
    return vos_error_set(VOS_EINVALID, "%s", msg);
}

static bool is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_name_char(char c)
{
    return is_name_start(c) || is_digit(c);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void skip_space(unit_parser *p)
{
    while (p->pos < p->len && is_space(p->s[p->pos]))
        p->pos++;
}

/* The word at p->pos for a message: a name, or one character. */
static int word_len(const unit_parser *p)
{
    size_t n = 0;
    while (p->pos + n < p->len && is_name_char(p->s[p->pos + n]) && n < UNIT_NAME_SHOWN)
        n++;
    return n ? (int)n : 1;
}

static int unexpected(unit_parser *p, const char *what)
{
    if (p->pos >= p->len) return unit_fail(p, p->pos, "unit ends where %s was expected", what);
    char c = p->s[p->pos];
    if (c < ' ' || c > '~')
        return unit_fail(p, p->pos, "unexpected byte 0x%02x in unit where %s was expected",
                         (unsigned char)c, what);
    return unit_fail(p, p->pos, "unexpected '%.*s' in unit where %s was expected", word_len(p),
                     p->s + p->pos, what);
}

/* Reads '^' INTEGER after a unit name, if present, and raises *u to it. */
static int parse_power(unit_parser *p, vos_unit *u)
{
    size_t save = p->pos;
    skip_space(p);
    if (p->pos >= p->len || p->s[p->pos] != '^') {
        p->pos = save;
        return 0;
    }
    p->pos++;
    skip_space(p);
    size_t at = p->pos;
    int sign = 1;
    if (p->pos < p->len && (p->s[p->pos] == '-' || p->s[p->pos] == '+'))
        sign = p->s[p->pos++] == '-' ? -1 : 1;
    int e = 0, digits = 0;
    while (p->pos < p->len && is_digit(p->s[p->pos]) && digits < UNIT_POW_DIGITS) {
        e = e * 10 + (p->s[p->pos++] - '0');
        digits++;
    }
    if (digits == 0 || (p->pos < p->len && is_name_char(p->s[p->pos]))) {
        p->pos = at;
        return unexpected(p, "an integer exponent");
    }
    if (vos_unit_pow(u, u, sign * e) < 0)
        return unit_fail(p, at, "unit exponent outside -%d..%d", UNIT_EXP_MAX, UNIT_EXP_MAX);
    return 0;
}

/* term = NAME ('^' INTEGER)? | '1' | '%' */
static int parse_term(unit_parser *p, vos_unit *u)
{
    skip_space(p);
    if (p->pos >= p->len) return unexpected(p, "a unit name");
    size_t at = p->pos;
    char c = p->s[at];
    if (c == '%') {
        p->pos++;
        vos_unit_lookup(u, "%", 1, NULL);
        return 0;
    }
    if (c == '1' && (at + 1 >= p->len || !is_name_char(p->s[at + 1]))) {
        p->pos++;
        *u = vos_unit_one();
        return 0;
    }
    if (!is_name_start(c)) return unexpected(p, "a unit name");
    while (p->pos < p->len && is_name_char(p->s[p->pos]))
        p->pos++;
    size_t n = p->pos - at;
    if (!vos_unit_lookup(u, p->s + at, n, p->currency)) {
        int shown = n > UNIT_NAME_SHOWN ? UNIT_NAME_SHOWN : (int)n;
        if (p->currency)
            return unit_fail(p, at,
                             "unknown unit '%.*s' (units: min, h, day, week, month, "
                             "year, %%, count, %s)",
                             shown, p->s + at, p->currency);
        return unit_fail(p, at, "unknown unit '%.*s'", shown, p->s + at);
    }
    return parse_power(p, u);
}

/* unit = term (('*' | '/') term)*; when `leading_op` a first '*' or '/' applies to 1. */
static int parse_unit(unit_parser *p, vos_unit *out, bool leading_op)
{
    vos_unit u = vos_unit_one(), t;
    int rc;
    skip_space(p);
    if (!(leading_op && p->pos < p->len && (p->s[p->pos] == '/' || p->s[p->pos] == '*'))) {
        if ((rc = parse_term(p, &u)) < 0) return rc;
    }
    for (;;) {
        skip_space(p);
        if (p->pos >= p->len) break;
        char op = p->s[p->pos];
        if (op != '*' && op != '/') return unexpected(p, "'*' or '/'");
        size_t at = p->pos++;
        if ((rc = parse_term(p, &t)) < 0) return rc;
        rc = op == '*' ? vos_unit_mul(&u, &u, &t) : vos_unit_div(&u, &u, &t);
        if (rc < 0)
            return unit_fail(p, at,
                             "unit too large: exponents must stay within -%d..%d and "
                             "scales within 64-bit integers",
                             UNIT_EXP_MAX, UNIT_EXP_MAX);
    }
    *out = u;
    return 0;
}

int vos_unit_parse(vos_unit *out, const char *text, size_t len, const char *currency,
                   size_t *err_offset)
{
    unit_parser p = {text ? text : "", text ? len : 0, 0, currency, err_offset};
    skip_space(&p);
    if (p.pos >= p.len) return unit_fail(&p, p.pos, "empty unit");
    return parse_unit(&p, out, false);
}

/* Scans a decimal number (optional sign, digits, '.', exponent) at p->pos. */
static int parse_number(unit_parser *p, double *value)
{
    size_t at = p->pos, i = at;
    if (i < p->len && (p->s[i] == '-' || p->s[i] == '+')) i++;
    size_t digits = 0;
    while (i < p->len && is_digit(p->s[i]))
        i++, digits++;
    if (i < p->len && p->s[i] == '.') {
        i++;
        while (i < p->len && is_digit(p->s[i]))
            i++, digits++;
    }
    if (digits == 0) {
        p->pos = at;
        return unexpected(p, "a number");
    }
    if (i + 1 < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
        size_t j = i + 1;
        if (j < p->len && (p->s[j] == '-' || p->s[j] == '+')) j++;
        if (j < p->len && is_digit(p->s[j])) {
            while (j < p->len && is_digit(p->s[j]))
                j++;
            i = j;
        }
    }
    if (i - at >= NUMBER_TEXT_MAX) return unit_fail(p, at, "number too long");
    char buf[NUMBER_TEXT_MAX];
    memcpy(buf, p->s + at, i - at);
    buf[i - at] = '\0';
    double v = strtod(buf, NULL);
    if (!isfinite(v)) return unit_fail(p, at, "number out of range");
    *value = v;
    p->pos = i;
    return 0;
}

int vos_quantity_parse(double *value, vos_unit *unit, const char *text, const char *currency,
                       size_t *err_offset)
{
    unit_parser p = {text ? text : "", text ? strlen(text) : 0, 0, currency, err_offset};
    double v = 0;
    vos_unit u = vos_unit_one();
    int rc;
    skip_space(&p);
    if ((rc = parse_number(&p, &v)) < 0) return rc;
    skip_space(&p);
    if (p.pos < p.len && (rc = parse_unit(&p, &u, true)) < 0) return rc;
    *value = v;
    *unit = u;
    return 0;
}

/* --- formatting --- */

typedef struct outbuf {
    char *buf;
    size_t size, len;
} outbuf;

static void put(outbuf *o, const char *s)
{
    size_t n = strlen(s);
    if (o->size > 0 && o->len < o->size - 1) {
        size_t room = o->size - 1 - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
        o->buf[o->len + (n < room ? n : room)] = '\0';
    }
    o->len += n;
}

/* One factor of a written unit: name^exp. */
typedef struct term {
    const char *name;
    int exp;
} term;

/* Writes the terms with positive exponents joined by '*' (or "1" when there is none), then
 * each term with a negative exponent after a '/', e.g. "USD*h/month", "1/h", "USD^2/h^2". */
static void put_terms(outbuf *o, const term *t, size_t n)
{
    char pw[16];
    bool first = true;
    for (int sign = 1; sign >= -1; sign -= 2) {
        for (size_t i = 0; i < n; i++) {
            int e = t[i].exp * sign;
            if (e <= 0 || !t[i].name[0]) continue;
            if (sign < 0 || !first) put(o, sign < 0 ? "/" : "*");
            put(o, t[i].name);
            if (e > 1) {
                snprintf(pw, sizeof pw, "^%d", e);
                put(o, pw);
            }
            first = false;
        }
        if (sign > 0 && first) put(o, "1");
    }
}

/* num/den = f * a^ea * b^eb; false on overflow. */
static bool scale_of(int64_t *num, int64_t *den, const named_unit *f, const named_unit *a, int ea,
                     const named_unit *b, int eb)
{
    int64_t an, ad, bn, bd;
    if (!ratio_pow(&an, &ad, a->num, a->den, ea < 0 ? -ea : ea) ||
        !ratio_pow(&bn, &bd, b->num, b->den, eb < 0 ? -eb : eb))
        return false;
    if (ea < 0) {
        int64_t t = an;
        an = ad;
        ad = t;
    }
    if (eb < 0) {
        int64_t t = bn;
        bn = bd;
        bd = t;
    }
    return ratio_mul(num, den, an, ad, bn, bd) && ratio_mul(num, den, *num, *den, f->num, f->den);
}

/* Whether f * a^ea * b^eb * c^ec writes u; writes it when so. */
static bool try_form(outbuf *o, const vos_unit *u, const char *cur, const named_unit *f,
                     const named_unit *a, int ea, const named_unit *b, int eb, const named_unit *c,
                     int ec)
{
    int64_t n, d, cn, cd;
    if (!scale_of(&n, &d, f, a, ea, b, eb) ||
        !ratio_pow(&cn, &cd, c->num, c->den, ec < 0 ? -ec : ec))
        return false;
    if (!ratio_mul(&n, &d, n, d, ec < 0 ? cd : cn, ec < 0 ? cn : cd) || n != u->num || d != u->den)
        return false;
    term t[5] = {{f->name, 1}, {cur, u->currency}, {a->name, ea}, {b->name, eb}, {c->name, ec}};
    put_terms(o, t, 5);
    return true;
}

/* Extra total exponent allowed when time is split over two named units (h/month). */
#define SPLIT_EXTRA 4
#define N_TIMES COUNT(SHOWN_TIMES)

/* One named time unit among the first nt: USD/month, %/year. */
static bool put_one_time(outbuf *o, const vos_unit *u, const char *cur, size_t nt)
{
    const named_unit *none = &SHOWN_TIMES[0];
    for (size_t f = 0; f < COUNT(SHOWN_FACTORS); f++)
        for (size_t i = 0; i < (u->time ? nt : 1); i++)
            if (try_form(o, u, cur, &SHOWN_FACTORS[f], &SHOWN_TIMES[i], u->time, none, 0, none, 0))
                return true;
    return false;
}

/* Two named time units: USD*h/month, USD/h/month; the fewest powers first, seconds only
 * when nothing else of that size fits. */
static bool put_two_times(outbuf *o, const vos_unit *u, const char *cur)
{
    const named_unit *none = &SHOWN_TIMES[0];
    int t = u->time, at = t < 0 ? -t : t;
    for (size_t f = 0; f < COUNT(SHOWN_FACTORS); f++)
        for (int total = at < 2 ? 2 : at; total <= at + SPLIT_EXTRA; total++)
            for (size_t nt = N_TIMES - 1; nt <= N_TIMES; nt++)
                for (int ea = UNIT_EXP_MAX; ea >= -UNIT_EXP_MAX; ea--) {
                    int eb = t - ea;
                    if (ea == 0 || eb == 0 || !exp_ok(eb) || abs(ea) + abs(eb) != total) continue;
                    for (size_t i = 0; i < nt; i++)
                        for (size_t j = 0; j < nt; j++)
                            if (i != j && try_form(o, u, cur, &SHOWN_FACTORS[f], &SHOWN_TIMES[i],
                                                   ea, &SHOWN_TIMES[j], eb, none, 0))
                                return true;
                }
    return false;
}

/* Three named time units among the first nt, each to the power 1 or -1: USD*min/h/month
 * (what 1/month * min * USD/h gives). */
static bool put_three_times(outbuf *o, const vos_unit *u, const char *cur, size_t nt)
{
    for (size_t f = 0; f < COUNT(SHOWN_FACTORS); f++)
        for (int ea = 1; ea >= -1; ea -= 2)
            for (int eb = 1; eb >= -1; eb -= 2) {
                int ec = u->time - ea - eb;
                if (ec != 1 && ec != -1) continue;
                for (size_t i = 0; i < nt; i++)
                    for (size_t j = 0; j < nt; j++)
                        for (size_t k = 0; k < nt; k++)
                            if (i != j && j != k && i != k &&
                                try_form(o, u, cur, &SHOWN_FACTORS[f], &SHOWN_TIMES[i], ea,
                                         &SHOWN_TIMES[j], eb, &SHOWN_TIMES[k], ec))
                                return true;
            }
    return false;
}

/* Writes u with named units, seconds only when nothing else fits; returns false when none
 * matches the scale exactly. */
static bool put_named(outbuf *o, const vos_unit *u, const char *cur)
{
    return put_one_time(o, u, cur, N_TIMES - 1) || put_one_time(o, u, cur, N_TIMES) ||
           put_two_times(o, u, cur) || put_three_times(o, u, cur, N_TIMES - 1) ||
           put_three_times(o, u, cur, N_TIMES);
}

int vos_unit_format(char *buf, size_t size, const vos_unit *u, const char *currency)
{
    outbuf o = {buf, size, 0};
    const char *cur = currency && currency[0] ? currency : "currency";
    if (size > 0) buf[0] = '\0';
    if (u->num <= 0 || u->den <= 0) {
        put(&o, "?");
        return (int)o.len;
    }
    if (put_named(&o, u, cur)) return (int)o.len;
    char factor[64];
    term base[2] = {{cur, u->currency}, {"min", u->time}};
    put_terms(&o, base, 2);
    if (u->den == 1)
        snprintf(factor, sizeof factor, " (x %lld)", (long long)u->num);
    else
        snprintf(factor, sizeof factor, " (x %lld/%lld)", (long long)u->num, (long long)u->den);
    put(&o, factor);
    return (int)o.len;
}
