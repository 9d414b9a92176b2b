/* `vos finance`: evaluates finance functions over JSON Lines (docs/finance.md).
 *
 * Each non-empty line of standard input is one request {"fn": NAME, "args": {...}}; each is
 * answered by one line {"value": number} or {"error": "line N: message"}, flushed at once so
 * the command works inside a pipe.  A bad line is answered and the next one read. */
#include "cli.h"
#include "vos/error.h"
#include "vos/finance.h"
#include "vos/limits.h"
#include "vos/number.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define FIN_ARGS_MAX 5 /* arguments of the widest function (pmt, pv, fv) */
#define FIN_MSG_MAX (VOS_ERROR_MSG_MAX + 64)
#define FIN_GUESS_DEFAULT 0.1 /* Excel's default guess for IRR and XIRR */

enum fin_kind {
    ARG_NUM,  /* a number */
    ARG_TYPE, /* 0 or 1 */
    ARG_NUMS, /* an array of numbers */
    ARG_DATES /* an array of "YYYY-MM-DD" strings */
};

typedef struct {
    const char *name;
    enum fin_kind kind;
    int optional; /* omitted or null takes `dflt` */
    double dflt;
} fin_arg;

/* The parsed arguments of one request, by position in the function's argument list. */
typedef struct {
    double num[FIN_ARGS_MAX];
    double *vec[FIN_ARGS_MAX];
    size_t len[FIN_ARGS_MAX];
    int32_t *days; /* the ARG_DATES argument, if any */
} fin_vals;

typedef struct {
    const char *name;
    const char *summary;
    fin_arg args[FIN_ARGS_MAX];
    int (*call)(double *out, const fin_vals *a);
} fin_fn;

static int call_npv(double *out, const fin_vals *a)
{
    return vos_fin_npv(out, a->num[0], a->vec[1], a->len[1]);
}

static int call_npv_t0(double *out, const fin_vals *a)
{
    return vos_fin_npv_t0(out, a->num[0], a->vec[1], a->len[1]);
}

static int call_irr(double *out, const fin_vals *a)
{
    return vos_fin_irr(out, a->vec[0], a->len[0], a->num[1]);
}

static int call_xnpv(double *out, const fin_vals *a)
{
    return vos_fin_xnpv(out, a->num[0], a->vec[1], a->days, a->len[1]);
}

static int call_xirr(double *out, const fin_vals *a)
{
    return vos_fin_xirr(out, a->vec[0], a->days, a->len[0], a->num[2]);
}

static int call_mirr(double *out, const fin_vals *a)
{
    return vos_fin_mirr(out, a->vec[0], a->len[0], a->num[1], a->num[2]);
}

static int call_pmt(double *out, const fin_vals *a)
{
    return vos_fin_pmt(out, a->num[0], a->num[1], a->num[2], a->num[3], (int)a->num[4]);
}

static int call_pv(double *out, const fin_vals *a)
{
    return vos_fin_pv(out, a->num[0], a->num[1], a->num[2], a->num[3], (int)a->num[4]);
}

static int call_fv(double *out, const fin_vals *a)
{
    return vos_fin_fv(out, a->num[0], a->num[1], a->num[2], a->num[3], (int)a->num[4]);
}

static int call_payback(double *out, const fin_vals *a)
{
    return vos_fin_payback(out, a->vec[0], a->len[0]);
}

static int call_discounted_payback(double *out, const fin_vals *a)
{
    return vos_fin_discounted_payback(out, a->num[0], a->vec[1], a->len[1]);
}

static int call_roi(double *out, const fin_vals *a)
{
    return vos_fin_roi(out, a->num[0], a->num[1]);
}

#define REQ(name, kind)                                                                            \
    {                                                                                              \
        name, kind, 0, 0.0                                                                         \
    }
#define OPT(name, kind, dflt)                                                                      \
    {                                                                                              \
        name, kind, 1, dflt                                                                        \
    }

static const fin_fn functions[] = {
    {"npv",
     "Excel NPV: sum values[i] / (1+rate)^(i+1) (first value one period out)",
     {REQ("rate", ARG_NUM), REQ("values", ARG_NUMS)},
     call_npv},
    {"npv_t0",
     "NPV with values[0] at time 0: sum values[i] / (1+rate)^i",
     {REQ("rate", ARG_NUM), REQ("values", ARG_NUMS)},
     call_npv_t0},
    {"irr",
     "Excel IRR: the rate where npv_t0 is 0 (guess defaults to 0.1)",
     {REQ("values", ARG_NUMS), OPT("guess", ARG_NUM, FIN_GUESS_DEFAULT)},
     call_irr},
    {"xnpv",
     "Excel XNPV: sum values[i] / (1+rate)^((dates[i]-dates[0])/365)",
     {REQ("rate", ARG_NUM), REQ("values", ARG_NUMS), REQ("dates", ARG_DATES)},
     call_xnpv},
    {"xirr",
     "Excel XIRR: the rate where xnpv is 0 (guess defaults to 0.1)",
     {REQ("values", ARG_NUMS), REQ("dates", ARG_DATES), OPT("guess", ARG_NUM, FIN_GUESS_DEFAULT)},
     call_xirr},
    {"mirr",
     "Excel MIRR: modified internal rate of return",
     {REQ("values", ARG_NUMS), REQ("finance_rate", ARG_NUM), REQ("reinvest_rate", ARG_NUM)},
     call_mirr},
    {"pmt",
     "Excel PMT: payment per period of a loan or annuity",
     {REQ("rate", ARG_NUM), REQ("nper", ARG_NUM), REQ("pv", ARG_NUM), OPT("fv", ARG_NUM, 0),
      OPT("type", ARG_TYPE, 0)},
     call_pmt},
    {"pv",
     "Excel PV: present value of an annuity",
     {REQ("rate", ARG_NUM), REQ("nper", ARG_NUM), REQ("pmt", ARG_NUM), OPT("fv", ARG_NUM, 0),
      OPT("type", ARG_TYPE, 0)},
     call_pv},
    {"fv",
     "Excel FV: future value of an annuity",
     {REQ("rate", ARG_NUM), REQ("nper", ARG_NUM), REQ("pmt", ARG_NUM), OPT("pv", ARG_NUM, 0),
      OPT("type", ARG_TYPE, 0)},
     call_fv},
    {"payback",
     "periods until the cumulative cash flow turns non-negative (interpolated)",
     {REQ("values", ARG_NUMS)},
     call_payback},
    {"discounted_payback",
     "payback over values[i] / (1+rate)^i",
     {REQ("rate", ARG_NUM), REQ("values", ARG_NUMS)},
     call_discounted_payback},
    {"roi",
     "(benefits - costs) / costs",
     {REQ("benefits", ARG_NUM), REQ("costs", ARG_NUM)},
     call_roi},
};

#define N_FUNCTIONS (sizeof functions / sizeof functions[0])

static const fin_fn *find_fn(const char *name)
{
    for (size_t i = 0; i < N_FUNCTIONS; i++)
        if (strcmp(functions[i].name, name) == 0) return &functions[i];
    return NULL;
}

static const char *kind_text(enum fin_kind kind)
{
    switch (kind) {
    case ARG_NUM:
        return "number";
    case ARG_TYPE:
        return "0 or 1";
    case ARG_NUMS:
        return "array of numbers";
    case ARG_DATES:
        return "array of \"YYYY-MM-DD\"";
    }
    return "?";
}

static void usage(FILE *to)
{
    fprintf(to,
            "usage: vos finance < requests.jsonl\n\n"
            "Evaluates finance functions with Excel's semantics and sign conventions (money\n"
            "paid out is negative).  Reads JSON Lines from standard input, one request per\n"
            "line:\n\n"
            "  {\"fn\": NAME, \"args\": {ARGUMENT: VALUE, ...}}\n\n"
            "and writes one line per request, in order:\n\n"
            "  {\"value\": NUMBER}            the result, in the shortest exact form\n"
            "  {\"error\": \"line N: ...\"}     why line N has no result\n\n"
            "Empty lines are skipped.  Rates are fractions per period (0.1 is 10%%); dates are\n"
            "YYYY-MM-DD.  Optional arguments (marked ?) may be omitted or null.  The exit\n"
            "status is 0 once every line is answered, even with errors; 2 for usage errors.\n\n"
            "functions:\n");
    for (size_t i = 0; i < N_FUNCTIONS; i++) {
        const fin_fn *fn = &functions[i];
        char sig[160];
        int o = snprintf(sig, sizeof sig, "%s(", fn->name);
        for (int j = 0; j < FIN_ARGS_MAX && fn->args[j].name; j++)
            o += snprintf(sig + o, sizeof sig - (size_t)o, "%s%s%s", j ? ", " : "",
                          fn->args[j].name, fn->args[j].optional ? "?" : "");
        snprintf(sig + o, sizeof sig - (size_t)o, ")");
        fprintf(to, "  %s\n      %s\n", sig, fn->summary);
        for (int j = 0; j < FIN_ARGS_MAX && fn->args[j].name; j++) {
            const fin_arg *a = &fn->args[j];
            fprintf(to, "      %-14s %s", a->name, kind_text(a->kind));
            if (a->optional) fprintf(to, ", default %g", a->dflt);
            fprintf(to, "\n");
        }
    }
    fprintf(to, "\nexample:\n"
                "  $ echo '{\"fn\": \"pmt\", \"args\": {\"rate\": 0.005, \"nper\": 360, \"pv\": "
                "200000}}' | vos finance\n"
                "  {\"value\": -1199.1010503055047}\n\n"
                "docs/finance.md defines every function and its errors.\n");
}

/* ---- one request ------------------------------------------------------------------------ */

static int fail(char *msg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(char *msg, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, FIN_MSG_MAX, fmt, ap);
    va_end(ap);
    return -1;
}

static int parse_nums(double **out, size_t *len, json_t *arr, const char *fn, const char *name,
                      char *msg)
{
    size_t n = json_array_size(arr);
    if (n > VOS_FINANCE_VALUES_MAX)
        return fail(msg, "%s: argument '%s' has more than %d items", fn, name,
                    VOS_FINANCE_VALUES_MAX);
    double *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) return fail(msg, "%s: out of memory", fn);
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_array_get(arr, i);
        if (!json_is_number(item)) {
            free(v);
            return fail(msg, "%s: argument '%s' must be an array of numbers (item %zu is not)", fn,
                        name, i);
        }
        v[i] = json_number_value(item);
    }
    *out = v;
    *len = n;
    return 0;
}

static int parse_dates(int32_t **out, size_t *len, json_t *arr, const char *fn, const char *name,
                       char *msg)
{
    size_t n = json_array_size(arr);
    if (n > VOS_FINANCE_VALUES_MAX)
        return fail(msg, "%s: argument '%s' has more than %d items", fn, name,
                    VOS_FINANCE_VALUES_MAX);
    int32_t *d = malloc((n ? n : 1) * sizeof *d);
    if (!d) return fail(msg, "%s: out of memory", fn);
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_array_get(arr, i);
        if (!json_is_string(item)) {
            free(d);
            return fail(msg,
                        "%s: argument '%s' must be an array of \"YYYY-MM-DD\" strings (item "
                        "%zu is not a string)",
                        fn, name, i);
        }
        if (vos_fin_date_parse(&d[i], json_string_value(item)) != 0) {
            free(d);
            return fail(msg, "%s: argument '%s' item %zu: %s", fn, name, i, vos_error_last());
        }
    }
    *out = d;
    *len = n;
    return 0;
}

/* Reads argument j of `fn` from `args` into `vals`. */
static int parse_arg(fin_vals *vals, int j, const fin_fn *fn, json_t *args, char *msg)
{
    const fin_arg *spec = &fn->args[j];
    json_t *v = json_object_get(args, spec->name);
    if (!v || (json_is_null(v) && spec->optional)) {
        if (!spec->optional) return fail(msg, "%s: missing argument '%s'", fn->name, spec->name);
        vals->num[j] = spec->dflt;
        return 0;
    }
    switch (spec->kind) {
    case ARG_NUM:
    case ARG_TYPE:
        if (!json_is_number(v))
            return fail(msg, "%s: argument '%s' must be a number", fn->name, spec->name);
        vals->num[j] = json_number_value(v);
        if (spec->kind == ARG_TYPE && vals->num[j] != 0.0 && vals->num[j] != 1.0)
            return fail(msg, "%s: argument '%s' must be 0 (end of period) or 1 (start)", fn->name,
                        spec->name);
        return 0;
    case ARG_NUMS:
        if (!json_is_array(v))
            return fail(msg, "%s: argument '%s' must be an array of numbers", fn->name, spec->name);
        return parse_nums(&vals->vec[j], &vals->len[j], v, fn->name, spec->name, msg);
    case ARG_DATES:
        if (!json_is_array(v))
            return fail(msg, "%s: argument '%s' must be an array of \"YYYY-MM-DD\" strings",
                        fn->name, spec->name);
        return parse_dates(&vals->days, &vals->len[j], v, fn->name, spec->name, msg);
    }
    return fail(msg, "%s: internal error", fn->name);
}

/* Every array argument of one call must have the same length. */
static int check_lengths(const fin_vals *vals, const fin_fn *fn, char *msg)
{
    int first = -1;
    for (int j = 0; j < FIN_ARGS_MAX && fn->args[j].name; j++) {
        enum fin_kind k = fn->args[j].kind;
        if (k != ARG_NUMS && k != ARG_DATES) continue;
        if (first < 0)
            first = j;
        else if (vals->len[j] != vals->len[first])
            return fail(msg, "%s: '%s' has %zu items but '%s' has %zu", fn->name,
                        fn->args[first].name, vals->len[first], fn->args[j].name, vals->len[j]);
    }
    return 0;
}

static int call_fn(double *out, const fin_fn *fn, json_t *args, char *msg)
{
    const char *key;
    json_t *value;
    json_object_foreach(args, key, value)
    {
        int known = 0;
        for (int j = 0; j < FIN_ARGS_MAX && fn->args[j].name; j++)
            known |= strcmp(fn->args[j].name, key) == 0;
        if (!known) return fail(msg, "%s: unknown argument '%.64s'", fn->name, key);
    }
    fin_vals vals;
    memset(&vals, 0, sizeof vals);
    int rc = 0;
    for (int j = 0; rc == 0 && j < FIN_ARGS_MAX && fn->args[j].name; j++)
        rc = parse_arg(&vals, j, fn, args, msg);
    if (rc == 0) rc = check_lengths(&vals, fn, msg);
    if (rc == 0 && fn->call(out, &vals) != 0) rc = fail(msg, "%s", vos_error_last());
    for (int j = 0; j < FIN_ARGS_MAX; j++)
        free(vals.vec[j]);
    free(vals.days);
    return rc;
}

/* Evaluates one request object; on failure writes the reason to msg and returns -1. */
static int evaluate(double *out, json_t *req, char *msg)
{
    if (!json_is_object(req))
        return fail(msg, "a request must be a JSON object {\"fn\": ..., \"args\": {...}}");
    const char *key;
    json_t *value;
    json_object_foreach(req, key, value)
    {
        if (strcmp(key, "fn") != 0 && strcmp(key, "args") != 0)
            return fail(msg, "unknown key '%.64s' (a request has \"fn\" and \"args\")", key);
    }
    json_t *name = json_object_get(req, "fn");
    if (!name) return fail(msg, "missing \"fn\"");
    if (!json_is_string(name)) return fail(msg, "\"fn\" must be a string");
    const fin_fn *fn = find_fn(json_string_value(name));
    if (!fn)
        return fail(msg, "unknown function '%.64s' (see vos finance --help)",
                    json_string_value(name));
    json_t *args = json_object_get(req, "args");
    if (!args) return fail(msg, "%s: missing \"args\"", fn->name);
    if (!json_is_object(args)) return fail(msg, "%s: \"args\" must be an object", fn->name);
    if (call_fn(out, fn, args, msg) != 0) return -1;
    if (!isfinite(*out)) return fail(msg, "%s: the result is not a finite number", fn->name);
    return 0;
}

/* ---- the stream ------------------------------------------------------------------------- */

static int emit_value(double x)
{
    char num[64];
    vos_num_shortest(num, sizeof num, x == 0.0 ? 0.0 : x); /* no "-0" */
    printf("{\"value\": %s}\n", num);
    return fflush(stdout);
}

static int emit_error(long lineno, const char *msg)
{
    char text[FIN_MSG_MAX + 32];
    snprintf(text, sizeof text, "line %ld: %s", lineno, msg);
    json_t *s = json_string(text);
    if (!s) { /* not valid UTF-8 (an echoed fragment of the input): keep the ASCII */
        for (char *p = text; *p; p++)
            if ((unsigned char)*p >= 0x80) *p = '?';
        s = json_string(text);
    }
    char *quoted = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
    printf("{\"error\": %s}\n", quoted ? quoted : "\"out of memory\"");
    free(quoted);
    json_decref(s);
    return fflush(stdout);
}

static int answer_line(const char *line, size_t len, long lineno)
{
    char msg[FIN_MSG_MAX];
    if (len > VOS_JSONL_LINE_MAX) {
        snprintf(msg, sizeof msg, "line is longer than %d bytes", VOS_JSONL_LINE_MAX);
        return emit_error(lineno, msg);
    }
    json_error_t jerr;
    size_t flags = JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL;
    json_t *req = json_loadb(line, len, flags, &jerr);
    if (!req) {
        snprintf(msg, sizeof msg, "invalid JSON: %s (column %d)", jerr.text, jerr.column);
        return emit_error(lineno, msg);
    }
    double value = 0;
    int rc = evaluate(&value, req, msg) == 0 ? emit_value(value) : emit_error(lineno, msg);
    json_decref(req);
    return rc;
}

static int is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return 0;
    return 1;
}

int vos_cmd_finance(int argc, char **argv)
{
    if (argc == 2 && cli_is_help(argv[1])) {
        usage(stdout);
        return CLI_OK;
    }
    if (argc != 1) {
        fprintf(stderr, "vos finance: unexpected argument '%s'\n\n", argv[1]);
        usage(stderr);
        return CLI_USAGE;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    long lineno = 0;
    int rc = CLI_OK;
    while ((got = getline(&line, &cap, stdin)) != -1) {
        size_t len = (size_t)got;
        const char *start = line;
        lineno++;
        if (len > 0 && line[len - 1] == '\n') len--;
        if (len > 0 && line[len - 1] == '\r') len--;
        if (lineno == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
            start += 3; /* a UTF-8 byte order mark */
            len -= 3;
        }
        if (is_blank(start, len)) continue;
        if (answer_line(start, len, lineno) != 0) {
            fprintf(stderr, "vos finance: write error: %s\n", strerror(errno));
            rc = CLI_FAILED;
            break;
        }
    }
    if (rc == CLI_OK && ferror(stdin)) {
        fprintf(stderr, "vos finance: read error: %s\n", strerror(errno));
        rc = CLI_FAILED;
    }
    free(line);
    return rc;
}
