/* Precedence of semantic versions (SemVer 2.0.0, section 11). */
#include "app_int.h"

#include <string.h>

/* Length of the identifier at s (up to '.', '-', '+' or the end, as the part allows). */
static size_t ident_len(const char *s, const char *stops)
{
    return strcspn(s, stops);
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return n > 0;
}

/* Numeric identifiers (no leading zeros) compare by length, then digit by digit. */
static int cmp_numeric(const char *a, size_t na, const char *b, size_t nb)
{
    if (na != nb) return na < nb ? -1 : 1;
    int c = memcmp(a, b, na);
    return c < 0 ? -1 : c > 0;
}

static int cmp_ident(const char *a, size_t na, const char *b, size_t nb)
{
    int da = all_digits(a, na), db = all_digits(b, nb);
    if (da && db) return cmp_numeric(a, na, b, nb);
    if (da != db) return da ? -1 : 1; /* numeric identifiers come first */
    int c = memcmp(a, b, na < nb ? na : nb);
    if (c) return c < 0 ? -1 : 1;
    return na == nb ? 0 : na < nb ? -1 : 1;
}

int app_semver_cmp(const char *a, const char *b)
{
    /* MAJOR.MINOR.PATCH */
    for (int part = 0; part < 3; part++) {
        size_t na = ident_len(a, ".-+"), nb = ident_len(b, ".-+");
        int c = cmp_numeric(a, na, b, nb);
        if (c) return c;
        a += na;
        b += nb;
        if (part < 2) {
            a += *a == '.';
            b += *b == '.';
        }
    }
    /* a version without pre-release identifiers ranks above one with them */
    int pa = *a == '-', pb = *b == '-';
    if (!pa || !pb) return pa == pb ? 0 : pa ? -1 : 1;
    a++;
    b++;
    for (;;) {
        size_t na = ident_len(a, ".+"), nb = ident_len(b, ".+");
        int c = cmp_ident(a, na, b, nb);
        if (c) return c;
        a += na;
        b += nb;
        int ma = *a == '.', mb = *b == '.';
        if (!ma || !mb) return ma == mb ? 0 : ma ? 1 : -1; /* more identifiers rank higher */
        a++;
        b++;
    }
}
