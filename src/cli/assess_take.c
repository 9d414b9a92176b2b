/* vos assess take: records a maturity self-assessment, from an answers file (YAML or JSON,
 * read with libyaml's document loader so every problem has its line and column) or by asking
 * dimension by dimension in a terminal.  The answers file (docs/maturity.md):
 *
 *   taken_at: 2026-01-15        # optional, default today
 *   target_stage: 3             # optional: 1..5, a numeral (III) or a stage name
 *   notes: Quarterly review     # optional
 *   answers:                    # every dimension of the blueprint, once
 *     prioritization: 2
 *     value_technology: {stage: 1, evidence: "Business cases live in spreadsheets"} */
#include "assess.h"
#include "cli.h"

#include "vos/error.h"
#include "vos/jsonw.h"
#include "render/render_assess.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <yaml.h>

#define ANSWERS_BYTES_MAX (1 << 20) /* bytes of an answers file */
#define WRAP_WIDTH 96               /* columns of the interactive prompts */
#define KEYS_TEXT_MAX 1024
#define SUGGEST_EDITS 3 /* edits within which an unknown dimension key gets a suggestion */

static const char take_help[] =
    "usage: vos assess take [--answers FILE] [--target-stage N] [--date YYYY-MM-DD]\n"
    "                       [--notes TEXT] [--by EMAIL] [--interactive] [--format table|json]\n"
    "                       [--db URL]\n"
    "\n"
    "Records a maturity self-assessment against the Ecosystems' Value Blueprint: for each of\n"
    "its 15 dimensions, the stage (1 Nascent .. 5 Leading Edge) whose description fits.\n"
    "With --answers, the answers come from a YAML (or JSON) file; without it, in a terminal,\n"
    "vos shows each dimension's five descriptions and asks for a stage and optional evidence.\n"
    "\n"
    "The answers file:\n"
    "  taken_at: 2026-01-15        # optional, default today\n"
    "  target_stage: 3             # optional (default: one stage above the overall stage)\n"
    "  notes: Quarterly review     # optional\n"
    "  answers:                    # every dimension, by key (vos assess blueprint)\n"
    "    prioritization: 2\n"
    "    value_technology: {stage: 1, evidence: \"Business cases live in spreadsheets\"}\n"
    "A stage is written 1..5, as a numeral (II) or by name (emerging).\n"
    "\n"
    "options:\n"
    "  --answers FILE      the answers (\"-\" reads standard input)\n"
    "  --target-stage N    the stage to reach (overrides the file's)\n"
    "  --date D            the date the assessment stands for (overrides the file's)\n"
    "  --notes TEXT        notes (overrides the file's)\n"
    "  --by EMAIL          the user taking it (admin, value_engineer or executive); default:\n"
    "                      the system\n"
    "  --interactive       ask even when standard input is not a terminal\n"
    "  --format F          table (default) or json: how to print the assessment recorded\n"
    "  --db URL            the database (default $VOS_DB, else sqlite:vos.db)\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit status: 0 recorded, 1 refused (a bad answer, named with FILE:LINE:COL), 2 usage,\n"
    "3 the database or the file cannot be read.\n";

/* ---- the answers file ---- */

typedef struct reader {
    yaml_document_t *doc;
    const vos_blueprint *bp;
    vos_diags *diags;
    int bad;
} reader;

#define LINE(n) ((int)(n)->start_mark.line + 1)
#define COL(n) ((int)(n)->start_mark.column + 1)

static void problem(reader *r, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(reader *r, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[VOS_DIAG_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    vos_diags_add(r->diags, VOS_DIAG_ERROR, n ? LINE(n) : 0, n ? COL(n) : 0, "%s", msg);
    r->bad = 1;
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node(reader *r, int id)
{
    return yaml_document_get_node(r->doc, id);
}

/* A stage written 1..5, as a numeral ("III") or by key or name ("established"); 0 if none. */
static int parse_stage(const vos_blueprint *bp, const char *s)
{
    if (!s) return 0;
    if (s[0] >= '1' && s[0] <= '0' + VOS_MATURITY_STAGES && s[1] == '\0') return s[0] - '0';
    for (int i = 0; i < VOS_MATURITY_STAGES; i++) {
        const vos_bp_stage *st = &bp->stages[i];
        if (strcmp(s, st->numeral) == 0 || strcasecmp(s, st->key) == 0 ||
            strcasecmp(s, st->name) == 0)
            return i + 1;
    }
    return 0;
}

static int stage_of(reader *r, yaml_node_t *n, const char *what)
{
    int st = parse_stage(r->bp, scalar(n));
    if (st == 0)
        problem(r, n, "%s must be a stage 1 to %d (or I..V, or a stage name), not '%s'", what,
                VOS_MATURITY_STAGES, scalar(n) ? scalar(n) : "a list or map");
    return st;
}

/* The edit distance of a and b (insertions, deletions, substitutions), at most `cap`. */
static size_t distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b), row[VOS_ID_MAX + 2];
    if (la > VOS_ID_MAX || lb > VOS_ID_MAX) return cap;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb] < cap ? row[lb] : cap;
}

/* The dimension key closest to `key` within SUGGEST_EDITS edits, or NULL. */
static const char *closest_key(const vos_blueprint *bp, const char *key)
{
    const char *best = NULL;
    size_t best_d = SUGGEST_EDITS + 1;
    for (size_t i = 0; key && i < bp->n_dimensions; i++) {
        size_t d = distance(key, bp->dimensions[i].key, best_d);
        if (d < best_d) {
            best_d = d;
            best = bp->dimensions[i].key;
        }
    }
    return best;
}

/* One answer: `key: STAGE` or `key: {stage: STAGE, evidence: TEXT}`. */
static void answer(reader *r, yaml_node_t *k, yaml_node_t *v, cli_answers *out, int *seen)
{
    const char *key = scalar(k);
    int d = vos_blueprint_dimension(r->bp, key);
    char keys[KEYS_TEXT_MAX] = "";
    const char *near = d < 0 ? closest_key(r->bp, key) : NULL;
    if (near) {
        problem(r, k, "'%s' is not a dimension of the blueprint; did you mean '%s'?", key, near);
        return;
    }
    if (d < 0) {
        size_t len = 0;
        for (size_t i = 0; i < r->bp->n_dimensions && len < sizeof keys; i++)
            len += (size_t)snprintf(keys + len, sizeof keys - len, "%s%s", i ? ", " : "",
                                    r->bp->dimensions[i].key);
        problem(r, k, "'%s' is not a dimension of the blueprint (the keys are %s)", key ? key : "?",
                keys);
        return;
    }
    if (seen[d]) {
        problem(r, k, "dimension '%s' is answered twice (first on line %d)", key, seen[d]);
        return;
    }
    seen[d] = LINE(k);
    vos_assessment_answer_in *a = &out->answers[out->in.n_answers++];
    a->dimension = r->bp->dimensions[d].key;
    char what[VOS_ID_MAX + 32];
    snprintf(what, sizeof what, "the stage of '%s'", key);
    if (v->type != YAML_MAPPING_NODE) {
        a->stage = stage_of(r, v, what);
        return;
    }
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *pk = node(r, p->key), *pv = node(r, p->value);
        const char *name = scalar(pk);
        if (name && strcmp(name, "stage") == 0)
            a->stage = stage_of(r, pv, what);
        else if (name && strcmp(name, "evidence") == 0 && scalar(pv))
            a->evidence = scalar(pv);
        else if (name && strcmp(name, "evidence") == 0)
            problem(r, pv, "the evidence of '%s' must be text", key);
        else
            problem(r, pk, "'%s': unknown key '%s' (stage, evidence)", key, name ? name : "?");
    }
    if (a->stage == 0 && !r->bad) problem(r, v, "'%s' needs a stage", key);
}

static void answers(reader *r, yaml_node_t *key, yaml_node_t *list, cli_answers *out)
{
    if (list->type != YAML_MAPPING_NODE) {
        problem(r, list, "answers must map each dimension to its stage (prioritization: 2)");
        return;
    }
    int seen[VOS_BLUEPRINT_DIMENSIONS_MAX] = {0};
    for (yaml_node_pair_t *p = list->data.mapping.pairs.start; p < list->data.mapping.pairs.top;
         p++)
        answer(r, node(r, p->key), node(r, p->value), out, seen);
    char missing[KEYS_TEXT_MAX];
    size_t n = 0, len = 0;
    missing[0] = '\0';
    for (size_t i = 0; i < r->bp->n_dimensions; i++)
        if (!seen[i]) {
            n++;
            if (len < sizeof missing)
                len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%s",
                                        len ? ", " : "", r->bp->dimensions[i].key);
        }
    if (n)
        problem(r, key, "%zu %s not answered: %s", n, n == 1 ? "dimension is" : "dimensions are",
                missing);
}

static int is_date_form(const char *s)
{
    if (!s || strlen(s) != VOS_DATE_SIZE - 1 || s[4] != '-' || s[7] != '-') return 0;
    for (int i = 0; i < VOS_DATE_SIZE - 1; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i])) return 0;
    return 1;
}

static void header_key(reader *r, yaml_node_t *k, yaml_node_t *v, cli_answers *out,
                       yaml_node_t **list)
{
    const char *key = scalar(k);
    if (key && strcmp(key, "answers") == 0) {
        list[0] = k;
        list[1] = v;
    } else if (key && strcmp(key, "taken_at") == 0) {
        out->in.taken_at = scalar(v);
        if (!is_date_form(out->in.taken_at))
            problem(r, v, "taken_at must be a date YYYY-MM-DD, not '%s'",
                    scalar(v) ? scalar(v) : "a list or map");
    } else if (key && strcmp(key, "target_stage") == 0) {
        out->in.target_stage = stage_of(r, v, "target_stage");
    } else if (key && strcmp(key, "notes") == 0) {
        out->in.notes = scalar(v);
        if (!out->in.notes) problem(r, v, "notes must be text");
    } else if (key && strcmp(key, "blueprint") == 0) {
        if (!scalar(v) || strcmp(scalar(v), r->bp->id) != 0)
            problem(r, v, "these answers are for blueprint '%s', not '%s'",
                    scalar(v) ? scalar(v) : "?", r->bp->id);
    } else {
        problem(r, k, "unknown key '%s' (blueprint, taken_at, target_stage, notes, answers)",
                key ? key : "?");
    }
}

static void read_root(reader *r, cli_answers *out)
{
    yaml_node_t *root = yaml_document_get_root_node(r->doc);
    if (!root) {
        problem(r, NULL, "the file is empty: it should hold `answers:` for every dimension");
        return;
    }
    if (root->type != YAML_MAPPING_NODE) {
        problem(r, root,
                "the file must be a map with answers: (and taken_at, target_stage, "
                "notes)");
        return;
    }
    yaml_node_t *list[2] = {NULL, NULL}; /* the answers: key and its value */
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++)
        header_key(r, node(r, p->key), node(r, p->value), out, list);
    if (!list[1])
        problem(r, root, "the file needs answers: (each dimension's key and its stage)");
    else
        answers(r, list[0], list[1], out);
}

void cli_answers_free(cli_answers *a)
{
    if (!a || !a->doc_) return;
    yaml_document_delete(a->doc_);
    free(a->doc_);
    a->doc_ = NULL;
}

int cli_answers_load(cli_answers *out, const char *text, size_t len, const vos_blueprint *bp,
                     vos_diags *diags)
{
    memset(out, 0, sizeof *out);
    out->in.answers = out->answers;
    yaml_document_t *doc = calloc(1, sizeof *doc);
    yaml_parser_t p;
    if (!doc || !yaml_parser_initialize(&p)) {
        free(doc);
        return vos_error_set(VOS_ENOMEM, "out of memory reading the answers");
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    if (!yaml_parser_load(&p, doc)) {
        vos_diags_add(diags, VOS_DIAG_ERROR, (int)p.problem_mark.line + 1,
                      (int)p.problem_mark.column + 1, "YAML syntax: %s",
                      p.problem ? p.problem : "malformed");
        yaml_parser_delete(&p);
        free(doc);
        return vos_error_set(VOS_EINVALID, "the answers file is not valid YAML");
    }
    yaml_parser_delete(&p);
    out->doc_ = doc;
    reader r = {doc, bp, diags, 0};
    read_root(&r, out);
    if (r.bad) {
        cli_answers_free(out);
        return vos_error_set(VOS_EINVALID, "the answers file has errors");
    }
    return 0;
}

/* ---- asking in a terminal ---- */

/* Prints `text` wrapped at WRAP_WIDTH, every line but the first indented by `indent`. */
static void print_wrapped(const char *text, size_t indent, size_t first_col)
{
    size_t col = first_col;
    while (*text) {
        while (*text == ' ')
            text++;
        size_t word = strcspn(text, " ");
        if (col > indent && col + 1 + word > WRAP_WIDTH) {
            printf("\n%*s", (int)indent, "");
            col = indent;
        } else if (col > indent) {
            putchar(' ');
            col++;
        }
        fwrite(text, 1, word, stdout);
        col += word;
        text += word;
    }
    putchar('\n');
}

/* Reads one line from standard input without its newline.  Returns 0, or -1 at the end. */
static int read_line(char **line, size_t *cap)
{
    ssize_t n = getline(line, cap, stdin);
    if (n < 0) return -1;
    while (n > 0 && ((*line)[n - 1] == '\n' || (*line)[n - 1] == '\r'))
        (*line)[--n] = '\0';
    return 0;
}

/* Asks for the stage of dimension d: 1..5 (or a numeral or name); q quits.
 * Returns the stage, 0 to quit, -1 at the end of the input. */
static int ask_stage(const vos_blueprint *bp, char **line, size_t *cap)
{
    for (;;) {
        printf("Stage 1-%d (q to quit): ", VOS_MATURITY_STAGES);
        fflush(stdout);
        if (read_line(line, cap) < 0) return -1;
        if (strcmp(*line, "q") == 0) return 0;
        int st = parse_stage(bp, *line);
        if (st) return st;
        printf("  '%s' is not a stage: answer with a number from 1 to %d.\n", *line,
               VOS_MATURITY_STAGES);
    }
}

static void show_dimension(const vos_blueprint *bp, size_t i)
{
    const vos_bp_dimension *d = &bp->dimensions[i];
    if (i == bp->pillars[d->pillar].first) printf("\n== %s ==\n", bp->pillars[d->pillar].name);
    printf("\n[%zu/%zu] %s\n", i + 1, bp->n_dimensions, d->name);
    for (int s = 0; s < VOS_MATURITY_STAGES; s++) {
        char label[64];
        vos_render_stage_label(label, sizeof label, bp, s + 1);
        int col = printf("  %d  %-16s ", s + 1, label);
        print_wrapped(d->stages[s], (size_t)col, (size_t)col);
    }
}

/* Asks every dimension in turn.  Texts of evidence are kept in `evidence` (caller frees). */
static int ask_all(const vos_blueprint *bp, cli_answers *out, char **evidence)
{
    char *line = NULL;
    size_t cap = 0;
    int rc = CLI_OK;
    printf("Maturity self-assessment: %s (%zu dimensions).\n"
           "For each dimension, choose the stage whose description fits best.\n",
           bp->source, bp->n_dimensions);
    for (size_t i = 0; i < bp->n_dimensions && rc == CLI_OK; i++) {
        show_dimension(bp, i);
        int st = ask_stage(bp, &line, &cap);
        if (st <= 0) {
            fprintf(stderr, "vos assess take: %s; nothing was saved\n",
                    st == 0 ? "stopped" : "the input ended before every dimension was answered");
            rc = CLI_PROBLEMS;
            break;
        }
        printf("Evidence (optional, Enter to skip): ");
        fflush(stdout);
        if (read_line(&line, &cap) == 0 && *line) evidence[i] = strdup(line);
        vos_assessment_answer_in *a = &out->answers[out->in.n_answers++];
        *a = (vos_assessment_answer_in){bp->dimensions[i].key, st, evidence[i]};
    }
    free(line);
    return rc;
}

/* ---- the command ---- */

/* The actor: the system, or the user with `email`. */
static int take_actor(vos_app *app, const char *email, vos_actor *who, vos_user_row **user)
{
    *who = vos_actor_system();
    *user = NULL;
    if (!email) return CLI_OK;
    vos_store_query q = {.limit = 1, .n_where = 1};
    q.where[0] = (vos_store_filter){.field = "email", .s = email};
    size_t n = 0;
    int err = vos_app_user_list(app, who, user, &n, &q);
    if (err < 0) return cli_fail("vos assess take", err);
    if (n == 0 || !(*user)->active) {
        fprintf(stderr, "vos assess take: --by %s: no active user has that email\n", email);
        vos_user_rows_free(*user, n);
        *user = NULL;
        return CLI_PROBLEMS;
    }
    *who = (vos_actor){(*user)->email, (*user)->id, (*user)->role, (*user)->account_id};
    return CLI_OK;
}

/* Loads the answers: from the file, or by asking.  OUT: *out; evidence texts (asked). */
static int gather(const char *file, int ask, const vos_blueprint *bp, cli_answers *out,
                  char **evidence)
{
    if (ask) {
        memset(out, 0, sizeof *out);
        out->in.answers = out->answers;
        return ask_all(bp, out, evidence);
    }
    char *text = NULL;
    size_t len = 0;
    if (cli_read_file(&text, &len, file, ANSWERS_BYTES_MAX) < 0) return CLI_FAILED;
    vos_diags d;
    vos_diags_init(&d);
    int err = cli_answers_load(out, text, len, bp, &d);
    free(text);
    if (err < 0) {
        vos_diags_sort(&d);
        cli_print_diags(stderr, file, &d, 0);
        fprintf(stderr, "vos assess take: %s: %s; nothing was saved\n", file, vos_error_last());
    }
    vos_diags_free(&d);
    return err < 0 ? cli_status(err) : CLI_OK;
}

typedef struct take_opts {
    const char *db, *file, *target, *date, *notes, *by, *format;
    int interactive;
} take_opts;

/* Applies the command line's --target-stage, --date and --notes over the answers. */
static int apply_options(const take_opts *o, const vos_blueprint *bp, cli_answers *ans)
{
    if (o->target) {
        ans->in.target_stage = parse_stage(bp, o->target);
        if (!ans->in.target_stage) {
            fprintf(stderr, "vos assess take: --target-stage must be a stage 1 to %d, not '%s'\n",
                    VOS_MATURITY_STAGES, o->target);
            return CLI_USAGE;
        }
    }
    if (o->date) ans->in.taken_at = o->date;
    if (o->notes) ans->in.notes = o->notes;
    return CLI_OK;
}

static int record(vos_app *app, const take_opts *o, const vos_blueprint *bp, int json)
{
    vos_actor who;
    vos_user_row *user = NULL;
    cli_answers ans;
    char *evidence[VOS_BLUEPRINT_DIMENSIONS_MAX] = {0};
    memset(&ans, 0, sizeof ans);
    int ask = !o->file;
    int rc = take_actor(app, o->by, &who, &user);
    if (rc == CLI_OK) rc = gather(o->file, ask, bp, &ans, evidence);
    if (rc == CLI_OK) rc = apply_options(o, bp, &ans);
    vos_assessment *a = NULL;
    if (rc == CLI_OK) {
        int err = vos_app_assessment_take(app, &who, &ans.in, &a);
        rc = err < 0 ? cli_fail("vos assess take", err) : CLI_OK;
    }
    if (rc == CLI_OK && json) {
        vos_jw w;
        vos_jw_init(&w, CLI_JSON_MAX);
        vos_render_assessment(&w, a, 1);
        rc = cli_print_json("vos assess take", &w);
    } else if (rc == CLI_OK) {
        printf("recorded assessment %lld (%s)\n\n", (long long)a->row->id, a->row->taken_at);
        rc = cli_assess_print(a, NULL, 0);
    }
    vos_assessment_free(a);
    cli_answers_free(&ans);
    for (size_t i = 0; i < VOS_BLUEPRINT_DIMENSIONS_MAX; i++)
        free(evidence[i]);
    vos_user_rows_free(user, user ? 1 : 0);
    return rc;
}

int cli_assess_take(int argc, char **argv)
{
    take_opts o = {0};
    cli_option opts[] = {
        {"--db", &o.db, NULL, NULL, 0},
        {"--answers", &o.file, NULL, NULL, 0},
        {"--target-stage", &o.target, NULL, NULL, 0},
        {"--date", &o.date, NULL, NULL, 0},
        {"--notes", &o.notes, NULL, NULL, 0},
        {"--by", &o.by, NULL, NULL, 0},
        {"--interactive", NULL, &o.interactive, NULL, 0},
        {"--format", &o.format, NULL, NULL, 0},
    };
    const char *cmd = "vos assess take";
    cli_args a = {cmd, take_help, opts, sizeof opts / sizeof *opts, 0, 0, NULL, 0};
    int rc = cli_parse_args(&a, argc, argv);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    int json = cli_format_json(cmd, o.format);
    if (json < 0) return CLI_USAGE;
    if (!o.file && !o.interactive && !isatty(STDIN_FILENO)) {
        fprintf(stderr,
                "%s: give the answers with --answers FILE (standard input is not a "
                "terminal to ask in; --interactive asks anyway)\n",
                cmd);
        return CLI_USAGE;
    }
    if (o.file && o.interactive) {
        fprintf(stderr, "%s: --answers and --interactive exclude each other\n", cmd);
        return CLI_USAGE;
    }
    vos_app *app = NULL;
    if ((rc = cli_app_open(&app, cmd, cli_db_url(o.db))) != CLI_OK) return rc;
    vos_actor sys = vos_actor_system();
    vos_blueprint *bp = NULL;
    int err = vos_app_blueprint(app, &sys, NULL, NULL, &bp);
    rc = err < 0 ? cli_fail(cmd, err) : record(app, &o, bp, json);
    vos_blueprint_free(bp);
    vos_app_close(app);
    return rc;
}
