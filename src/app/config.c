/* config.c: the YAML configuration of SPEC section 4, read with libyaml's document API after a
 * first pass over its events that refuses nesting deeper than MAX_DEPTH (see check_depth).
 *
 * One table (keys[] below) of {key path, type, default, limits, help} drives everything: which keys
 * exist (and so the "did you mean" suggestions), how each value is parsed and checked, the built-in
 * defaults, and the YAML that config_write prints for check-config.
 *
 * Merging rule: the defaults are loaded first and the file is laid over them key by key, except
 * that a `scoring.weights` map in the file replaces the default weights entirely (SPEC: "a factor
 * left out weighs 0"), and `calendar.terms` / `calendar.closures` lists replace the default lists.
 * A file with any error changes nothing: the caller gets the defaults and EXIT_CONFIG. */
#include "caseload/config.h"
#include "caseload/exitcode.h"
#include "caseload/text.h"
#include "caseload/upn.h"
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

enum ktype { K_MAP, K_INT, K_TERMS, K_DATES, K_HOLDS };

typedef struct {
    const char *path; /* dotted key path, e.g. "scoring.weights.cme" */
    enum ktype type;
    size_t offset;     /* K_INT: where the int lives in struct config */
    int def, min, max; /* K_INT: default and inclusive limits */
    const char *noun;  /* K_MAP: what its keys are called in messages ("factor", "key") */
    bool replaces;     /* K_MAP: the file's map replaces the defaults (children start at 0) */
    const char *help;  /* one line, printed as a comment by config_write */
} cfg_key;

#define WMIN -10000
#define WMAX 10000
#define W(f, name, def, help)                                                                      \
    {                                                                                              \
        "scoring.weights." name, K_INT, offsetof(config, scoring.weight[f]), def, WMIN, WMAX,      \
            NULL, false, help                                                                      \
    }

/* In the order config_write prints them: a pre-order walk of the YAML tree. The weights follow
 * score_factor_name() (SPEC section 3); the unit test checks that they match. */
static const cfg_key keys[] = {
    {"scoring", K_MAP, 0, 0, 0, 0, "key", false, "the vulnerability matrix (see caseload(1))"},
    {"scoring.weights", K_MAP, 0, 0, 0, 0, "factor", true,
     "points per factor; negative allowed; a factor left out weighs 0"},
    W(F_CME, "cme", 10, "a children-missing-education episode is open"),
    W(F_EHE, "ehe", 6, "an elective-home-education episode is open"),
    W(F_PART_TIME, "part_time", 6, "a part-time (under 25 hours) timetable is open"),
    W(F_ALTERNATIVE_PROVISION, "alternative_provision", 4,
      "an alternative-provision episode is open"),
    W(F_ATTENDANCE_BELOW_50, "attendance_below_50", 8, "latest attendance below 50%"),
    W(F_ATTENDANCE_BELOW_90, "attendance_below_90", 4, "latest attendance 50% or more, below 90%"),
    W(F_SUSPENSIONS, "suspensions", 2, "per suspension in the last 365 days (capped)"),
    W(F_PERMANENT_EXCLUSION, "permanent_exclusion", 10,
      "a permanent exclusion in the last 365 days"),
    W(F_PEX_RISK, "pex_risk", 8, "an open referral flags risk of permanent exclusion"),
    W(F_YOUTH_JUSTICE, "youth_justice", 6, "known to youth justice"),
    W(F_EHCP, "ehcp", 3, "SEN status: education, health and care plan"),
    W(F_EHCP_IN_PROGRESS, "ehcp_in_progress", 2, "SEN status: EHCP needs assessment under way"),
    W(F_SEN_SUPPORT, "sen_support", 1, "SEN status: SEN support"),
    W(F_CP_PLAN, "cp_plan", 5, "care status: child protection plan"),
    W(F_CIN_PLAN, "cin_plan", 3, "care status: child in need plan"),
    W(F_LOOKED_AFTER, "looked_after", 4, "care status: looked after"),
    {"scoring.caps", K_MAP, 0, 0, 0, 0, "key", false, "upper limits on counted values"},
    {"scoring.caps.suspensions", K_INT, offsetof(config, scoring.cap_suspensions), 5, 0, 1000, NULL,
     false, "at most this many suspensions count"},
    {"scoring.bands", K_MAP, 0, 0, 0, 0, "key", false, "thresholds of the bands (amber <= red)"},
    {"scoring.bands.red", K_INT, offsetof(config, scoring.red), 20, -1000000, 1000000, NULL, false,
     "red when the score is at least this"},
    {"scoring.bands.amber", K_INT, offsetof(config, scoring.amber), 10, -1000000, 1000000, NULL,
     false, "amber when at least this (and not red)"},
    {"calendar", K_MAP, 0, 0, 0, 0, "key", false, "the school calendar for counting school days"},
    {"calendar.terms", K_TERMS, 0, 0, 0, 0, NULL, false,
     "inclusive date ranges; replace the default list"},
    {"calendar.closures", K_DATES, 0, 0, 0, 0, NULL, false,
     "bank holidays, INSET days; replace the default list"},
    {"retention", K_MAP, 0, 0, 0, 0, "key", false,
     "when a child is due for review (the first rule reached; 0: rule not used)"},
    {"retention.years_after_social_work_ended", K_INT,
     offsetof(config, retention.rules.years_after_social_work_ended), 6, 0, 200, NULL, false,
     "years after the last plan ended"},
    {"retention.years_after_last_activity", K_INT,
     offsetof(config, retention.rules.years_after_last_activity), 6, 0, 200, NULL, false,
     "years after the latest referral, action, outcome or event"},
    {"retention.age", K_INT, offsetof(config, retention.rules.age), 25, 0, 200, NULL, false,
     "the child's birthday at this age"},
    {"retention.holds", K_HOLDS, 0, 0, 0, 0, NULL, false,
     "UPNs or LA child ids never due (legal hold, open request)"},
};
#define NKEYS (sizeof keys / sizeof keys[0])

/* The default calendar: English half-terms of 2024/25-2026/27 (half-term weeks and holidays
 * excluded), bank holidays and INSET days. Equal to config.example.yaml. */
static const char *const default_terms[][2] = {
    {"2024-09-02", "2024-10-25"}, {"2024-11-04", "2024-12-20"}, {"2025-01-06", "2025-02-14"},
    {"2025-02-24", "2025-04-04"}, {"2025-04-22", "2025-05-23"}, {"2025-06-02", "2025-07-22"},
    {"2025-09-01", "2025-10-24"}, {"2025-11-03", "2025-12-19"}, {"2026-01-05", "2026-02-13"},
    {"2026-02-23", "2026-03-27"}, {"2026-04-13", "2026-05-22"}, {"2026-06-01", "2026-07-22"},
    {"2026-09-01", "2026-10-23"}, {"2026-11-02", "2026-12-18"}, {"2027-01-04", "2027-02-12"},
    {"2027-02-22", "2027-03-25"}, {"2027-04-12", "2027-05-28"}, {"2027-06-07", "2027-07-21"},
};
static const char *const default_closures[] = {
    "2024-09-02", "2024-12-25", "2024-12-26", "2025-01-01", "2025-01-06", "2025-04-18",
    "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-09-01", "2025-12-25",
    "2025-12-26", "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
    "2026-08-31", "2026-09-01", "2026-12-25", "2026-12-28", "2027-01-01", "2027-03-26",
    "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
};
#define NDEF_TERMS (sizeof default_terms / sizeof default_terms[0])
#define NDEF_CLOSURES (sizeof default_closures / sizeof default_closures[0])

#define MAX_ERRORS 50
#define MAX_FILE_BYTES (4u << 20)
/* The deepest nesting of mappings and lists a file may have. The table needs 4 (a term inside the
 * terms list inside calendar inside the top-level mapping); past 64 it is not a configuration. */
#define MAX_DEPTH 64

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("caseload: out of memory\n", stderr);
        abort();
    }
    return p;
}

static date_t must_date(const char *s)
{
    date_t d = 0;
    if (!date_parse(s, strlen(s), &d)) abort(); /* a typo in the tables above */
    return d;
}

static int *int_slot(config *c, const cfg_key *k)
{
    return (int *)((char *)c + k->offset);
}

static const int *int_slot_c(const config *c, const cfg_key *k)
{
    return (const int *)((const char *)c + k->offset);
}

void config_defaults(config *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < NKEYS; i++)
        if (keys[i].type == K_INT) *int_slot(c, &keys[i]) = keys[i].def;
    c->calendar.nterms = NDEF_TERMS;
    c->calendar.terms = xmalloc(NDEF_TERMS * sizeof *c->calendar.terms);
    for (size_t i = 0; i < NDEF_TERMS; i++) {
        c->calendar.terms[i].from = must_date(default_terms[i][0]);
        c->calendar.terms[i].to = must_date(default_terms[i][1]);
    }
    c->calendar.nclosures = NDEF_CLOSURES;
    c->calendar.closures = xmalloc(NDEF_CLOSURES * sizeof *c->calendar.closures);
    for (size_t i = 0; i < NDEF_CLOSURES; i++)
        c->calendar.closures[i] = must_date(default_closures[i]);
}

void config_free(config *c)
{
    if (!c) return;
    free(c->calendar.terms);
    free(c->calendar.closures);
    c->calendar.terms = NULL;
    c->calendar.closures = NULL;
    c->calendar.nterms = c->calendar.nclosures = 0;
    for (size_t i = 0; i < c->retention.nholds; i++)
        free(c->retention.holds[i]);
    free(c->retention.holds);
    c->retention.holds = NULL;
    c->retention.nholds = 0;
}

bool config_held(const config *c, const char *upn, const char *la_child_id)
{
    for (size_t i = 0; i < c->retention.nholds; i++) {
        const char *h = c->retention.holds[i];
        if ((upn && *upn && strcmp(h, upn) == 0) ||
            (la_child_id && *la_child_id && strcmp(h, la_child_id) == 0))
            return true;
    }
    return false;
}

bool config_path(const char *option, char *out, size_t n)
{
    const char *env = getenv("CASELOAD_CONFIG");
    if (option) {
        snprintf(out, n, "%s", option);
        return true;
    }
    if (env && *env) {
        snprintf(out, n, "%s", env);
        return true;
    }
    const char *xdg = getenv("XDG_CONFIG_HOME");
    if (xdg && xdg[0] == '/') { /* the XDG spec: a relative path is to be ignored */
        snprintf(out, n, "%s/caseload/config.yaml", xdg);
    } else {
        const char *home = getenv("HOME");
        snprintf(out, n, "%s/.config/caseload/config.yaml", home && *home ? home : ".");
    }
    return false;
}

/* ---- messages ---- */

/* Appends s (len bytes) for a message: control characters become '?', and at most max bytes
 * (0: no limit) are kept, cut on a UTF-8 boundary and marked with "...". */
static void put_clean(buf *b, const char *s, size_t len, size_t max)
{
    bool cut = false;
    if (max && len > max) {
        len = max;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
        cut = true;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        buf_putc(b, ch < 0x20 || ch == 0x7f ? '?' : (char)ch);
    }
    if (cut) buf_puts(b, "...");
}

typedef struct {
    const char *file;
    yaml_document_t *doc;
    config *c;
    buf *errors;
    int nerrors;
    bool stopped;
    /* Where each key of the table was set, to tell duplicates and to place the amber/red error. */
    bool seen[NKEYS];
    yaml_mark_t seen_at[NKEYS];  /* the key */
    yaml_mark_t value_at[NKEYS]; /* its value */
    bool bad_bands;
} loader;

static void verr_at(loader *x, size_t line, size_t column, const char *fmt, va_list ap)
{
    if (x->stopped) return;
    if (x->nerrors == MAX_ERRORS) {
        put_clean(x->errors, x->file, strlen(x->file), 0);
        buf_printf(x->errors, ": more than %d errors; stopping\n", MAX_ERRORS);
        x->nerrors++;
        x->stopped = true;
        return;
    }
    x->nerrors++;
    put_clean(x->errors, x->file, strlen(x->file), 0);
    buf_printf(x->errors, ":%zu:%zu: ", line, column);
    buf_vprintf(x->errors, fmt, ap);
    buf_putc(x->errors, '\n');
}

static void err_at(loader *x, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void err_at(loader *x, yaml_mark_t m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr_at(x, m.line + 1, m.column + 1, fmt, ap);
    va_end(ap);
}

/* A short, printable rendering of a scalar for messages ("'ten'"), or what the node is. */
static const char *describe(const yaml_node_t *n, buf *tmp)
{
    buf_reset(tmp);
    if (!n) return "nothing";
    switch (n->type) {
    case YAML_MAPPING_NODE: return "a mapping";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_SCALAR_NODE:
        if (n->data.scalar.length == 0) return "nothing";
        buf_putc(tmp, '\'');
        put_clean(tmp, (const char *)n->data.scalar.value, n->data.scalar.length, 40);
        buf_putc(tmp, '\'');
        return buf_str(tmp);
    default: return "nothing";
    }
}

static bool is_null(const yaml_node_t *n)
{
    if (!n) return true;
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    return len == 0 || (len == 1 && v[0] == '~') ||
           (len == 4 && (!memcmp(v, "null", 4) || !memcmp(v, "Null", 4) || !memcmp(v, "NULL", 4)));
}

/* ---- did you mean ---- */

/* The last part of a dotted key path ("a.b.c" -> "c"). */
static const char *last_part(const char *path);

/* "unknown NOUN 'WORD'" plus "(did you mean 'X'?)", or where WORD belongs when it is a key of
 * another place (prefix: the place it was found, NULL for a term), or the list of what is valid. */
static void err_unknown(loader *x, yaml_mark_t m, const char *noun, const char *prefix,
                        const char *word, size_t len, const char *const *names, size_t n)
{
    buf msg = BUF_INIT;
    buf_printf(&msg, "unknown %s '", noun);
    put_clean(&msg, word, len, 40);
    buf_putc(&msg, '\'');
    const char *near = text_closest(word, len, names, n);
    size_t elsewhere = 0;
    if (near) {
        buf_printf(&msg, " (did you mean '%s'?)", near);
    } else if (prefix) {
        for (size_t i = 0; i < NKEYS; i++) {
            const char *last = last_part(keys[i].path);
            if (strlen(last) != len || memcmp(last, word, len) != 0) continue;
            buf_puts(&msg, elsewhere++ ? " or " : " (it belongs ");
            if (last == keys[i].path)
                buf_puts(&msg, "at the top level");
            else
                buf_printf(&msg, "under '%.*s'", (int)(last - keys[i].path - 1), keys[i].path);
        }
        if (elsewhere) buf_putc(&msg, ')');
    }
    if (!near && !elsewhere) {
        buf_printf(&msg, " (expected %s", n > 1 ? "one of " : "");
        for (size_t i = 0; i < n; i++)
            buf_printf(&msg, "%s%s", i ? ", " : "", names[i]);
        buf_putc(&msg, ')');
    }
    err_at(x, m, "%s", buf_str(&msg));
    buf_free(&msg);
}

/* ---- values ---- */

static const char *last_part(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : path;
}

/* Whether path is a direct child of prefix ("" for the top). */
static bool is_child(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    if (n == 0) return strchr(path, '.') == NULL;
    return strncmp(path, prefix, n) == 0 && path[n] == '.' && strchr(path + n + 1, '.') == NULL;
}

static void parse_int(loader *x, const cfg_key *k, yaml_node_t *v)
{
    buf tmp = BUF_INIT;
    bool ok = v && v->type == YAML_SCALAR_NODE && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    long val = 0;
    if (ok) {
        const char *s = (const char *)v->data.scalar.value;
        size_t len = v->data.scalar.length, i = 0;
        if (len > 0 && (s[0] == '-' || s[0] == '+')) i++;
        /* No leading zeros: YAML 1.1 readers take 010 as octal 8, so it is refused, not guessed. */
        ok = i < len && len - i <= 12 && !(s[i] == '0' && len - i > 1);
        for (; ok && i < len; i++)
            if (!isdigit((unsigned char)s[i])) ok = false;
        if (ok) val = strtol(s, NULL, 10);
    }
    if (!ok && v->type == YAML_SCALAR_NODE && v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        err_at(x, v->start_mark,
               "expected a whole number for '%s', got the quoted text %s (write numbers without "
               "quotes)",
               k->path, describe(v, &tmp));
    } else if (!ok) {
        err_at(x, v->start_mark, "expected a whole number for '%s', got %s", k->path,
               describe(v, &tmp));
    } else if (val < k->min || val > k->max) {
        err_at(x, v->start_mark, "expected a whole number from %d to %d for '%s', got %s", k->min,
               k->max, k->path, describe(v, &tmp));
    } else {
        *int_slot(x->c, k) = (int)val;
    }
    buf_free(&tmp);
}

/* Parses a date scalar (plain or quoted); reports and returns false when it is not one. */
static bool parse_date(loader *x, yaml_node_t *v, const char *what, date_t *out)
{
    buf tmp = BUF_INIT;
    bool ok = false;
    if (!v) {
        ok = false;
    } else if (v->type == YAML_SCALAR_NODE && v->data.scalar.length > 0) {
        ok = date_parse((const char *)v->data.scalar.value, v->data.scalar.length, out);
        if (!ok) err_at(x, v->start_mark, "%s is not a date (YYYY-MM-DD)", describe(v, &tmp));
    } else {
        err_at(x, v->start_mark, "expected a date (YYYY-MM-DD) for %s, got %s", what,
               describe(v, &tmp));
    }
    buf_free(&tmp);
    return ok;
}

static bool scalar_is(const yaml_node_t *n, const char *s)
{
    size_t len = strlen(s);
    return n->type == YAML_SCALAR_NODE && n->data.scalar.length == len &&
           memcmp(n->data.scalar.value, s, len) == 0;
}

static void parse_terms(loader *x, const cfg_key *k, yaml_node_t *v)
{
    buf tmp = BUF_INIT;
    cal_calendar *cal = &x->c->calendar;
    free(cal->terms);
    cal->terms = NULL;
    cal->nterms = 0;
    if (is_null(v)) goto done;
    if (v->type != YAML_SEQUENCE_NODE) {
        err_at(x, v->start_mark,
               "expected a list of terms ({from: DATE, to: DATE}) for '%s', got %s", k->path,
               describe(v, &tmp));
        goto done;
    }
    size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    cal->terms = xmalloc(n * sizeof *cal->terms);
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *t = yaml_document_get_node(x->doc, *it);
        if (!t || t->type != YAML_MAPPING_NODE) {
            err_at(x, t ? t->start_mark : v->start_mark,
                   "expected a term ({from: DATE, to: DATE}), got %s", describe(t, &tmp));
            continue;
        }
        static const char *const names[] = {"from", "to"};
        yaml_node_t *val[2] = {NULL, NULL};
        yaml_mark_t at[2];
        bool bad = false;
        for (yaml_node_pair_t *p = t->data.mapping.pairs.start; p < t->data.mapping.pairs.top;
             p++) {
            yaml_node_t *kn = yaml_document_get_node(x->doc, p->key);
            yaml_node_t *vn = yaml_document_get_node(x->doc, p->value);
            int which = scalar_is(kn, "from") ? 0 : scalar_is(kn, "to") ? 1 : -1;
            if (which < 0) {
                if (kn->type == YAML_SCALAR_NODE)
                    err_unknown(x, kn->start_mark, "term key", NULL,
                                (const char *)kn->data.scalar.value, kn->data.scalar.length, names,
                                2);
                else
                    err_at(x, kn->start_mark, "expected a key (from or to), got %s",
                           describe(kn, &tmp));
                bad = true;
            } else if (val[which]) {
                err_at(x, kn->start_mark, "duplicate key '%s' (first at line %zu)", names[which],
                       at[which].line + 1);
                bad = true;
            } else {
                val[which] = vn;
                at[which] = kn->start_mark;
            }
        }
        date_t d[2] = {0, 0};
        for (int i = 0; i < 2; i++) {
            if (!val[i]) {
                err_at(x, t->start_mark, "this term has no '%s'", names[i]);
                bad = true;
            } else if (!parse_date(x, val[i], names[i], &d[i])) {
                bad = true;
            }
        }
        if (bad) continue;
        if (d[0] > d[1]) {
            char a[11], b[11];
            date_format(d[0], a);
            date_format(d[1], b);
            err_at(x, t->start_mark, "this term starts on %s, after it ends on %s", a, b);
            continue;
        }
        cal->terms[cal->nterms].from = d[0];
        cal->terms[cal->nterms].to = d[1];
        cal->nterms++;
    }
done:
    buf_free(&tmp);
}

static void parse_dates(loader *x, const cfg_key *k, yaml_node_t *v)
{
    buf tmp = BUF_INIT;
    cal_calendar *cal = &x->c->calendar;
    free(cal->closures);
    cal->closures = NULL;
    cal->nclosures = 0;
    if (is_null(v)) goto done;
    if (v->type != YAML_SEQUENCE_NODE) {
        err_at(x, v->start_mark, "expected a list of dates for '%s', got %s", k->path,
               describe(v, &tmp));
        goto done;
    }
    size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    cal->closures = xmalloc(n * sizeof *cal->closures);
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *dn = yaml_document_get_node(x->doc, *it);
        date_t d;
        if (parse_date(x, dn, "a closure", &d)) cal->closures[cal->nclosures++] = d;
    }
done:
    buf_free(&tmp);
}

/* retention.holds: UPNs or LA child ids, each once; a valid UPN in any case is kept upper case
 * (as the database holds it). */
static void parse_holds(loader *x, const cfg_key *k, yaml_node_t *v)
{
    buf tmp = BUF_INIT;
    config_retention *r = &x->c->retention;
    for (size_t i = 0; i < r->nholds; i++)
        free(r->holds[i]);
    free(r->holds);
    r->holds = NULL;
    r->nholds = 0;
    if (is_null(v)) goto done;
    if (v->type != YAML_SEQUENCE_NODE) {
        err_at(x, v->start_mark, "expected a list of UPNs or LA child ids for '%s', got %s",
               k->path, describe(v, &tmp));
        goto done;
    }
    size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    r->holds = xmalloc(n * sizeof *r->holds);
    yaml_mark_t *at = xmalloc(n * sizeof *at);
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *hn = yaml_document_get_node(x->doc, *it);
        if (!hn || hn->type != YAML_SCALAR_NODE || hn->data.scalar.length == 0) {
            err_at(x, hn ? hn->start_mark : v->start_mark,
                   "expected a UPN or an LA child id in '%s', got %s", k->path, describe(hn, &tmp));
            continue;
        }
        const char *s = (const char *)hn->data.scalar.value;
        size_t len = hn->data.scalar.length;
        bool clean = len < 64 && memchr(s, '\0', len) == NULL;
        for (size_t i = 0; clean && i < len; i++)
            if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) clean = false;
        if (!clean) {
            err_at(x, hn->start_mark,
                   "a hold is a UPN or an LA child id: at most 63 characters, no control "
                   "characters");
            continue;
        }
        char *h = xmalloc(len + 1);
        memcpy(h, s, len);
        h[len] = '\0';
        char norm[14];
        if (len == 13 && upn_check(h, norm, NULL) != UPN_INVALID) memcpy(h, norm, 14);
        size_t dup = r->nholds;
        for (size_t i = 0; i < r->nholds && dup == r->nholds; i++)
            if (strcmp(r->holds[i], h) == 0) dup = i;
        if (dup < r->nholds) {
            err_at(x, hn->start_mark, "duplicate hold (first at line %zu)", at[dup].line + 1);
            free(h);
            continue;
        }
        at[r->nholds] = hn->start_mark;
        r->holds[r->nholds++] = h;
    }
    free(at);
done:
    buf_free(&tmp);
}

static void walk_map(loader *x, const char *prefix, yaml_node_t *node);

static void walk_value(loader *x, size_t ki, yaml_node_t *v)
{
    const cfg_key *k = &keys[ki];
    switch (k->type) {
    case K_MAP: walk_map(x, k->path, v); break;
    case K_INT: parse_int(x, k, v); break;
    case K_TERMS: parse_terms(x, k, v); break;
    case K_DATES: parse_dates(x, k, v); break;
    case K_HOLDS: parse_holds(x, k, v); break;
    }
}

static void walk_map(loader *x, const char *prefix, yaml_node_t *node)
{
    buf tmp = BUF_INIT;
    const cfg_key *self = NULL;
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].path, prefix) == 0) self = &keys[i];
    if (self && self->replaces) /* e.g. scoring.weights: what the file leaves out weighs 0 */
        for (size_t i = 0; i < NKEYS; i++)
            if (keys[i].type == K_INT && is_child(keys[i].path, prefix))
                *int_slot(x->c, &keys[i]) = 0;
    if (is_null(node)) goto done;
    if (node->type != YAML_MAPPING_NODE) {
        if (*prefix)
            err_at(x, node->start_mark, "expected a mapping for '%s', got %s", prefix,
                   describe(node, &tmp));
        else
            err_at(x, node->start_mark,
                   "expected a mapping (scoring:, calendar:, retention:), got %s",
                   describe(node, &tmp));
        goto done;
    }
    /* The keys valid here, for suggestions. */
    const char *names[NKEYS];
    size_t nnames = 0;
    for (size_t i = 0; i < NKEYS; i++)
        if (is_child(keys[i].path, prefix)) names[nnames++] = last_part(keys[i].path);
    const char *noun = self ? self->noun : "key";

    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
         p++) {
        if (x->stopped) break;
        yaml_node_t *kn = yaml_document_get_node(x->doc, p->key);
        yaml_node_t *vn = yaml_document_get_node(x->doc, p->value);
        if (!vn) continue; /* libyaml always gives a value node; be safe */
        if (!kn || kn->type != YAML_SCALAR_NODE) {
            err_at(x, kn ? kn->start_mark : node->start_mark, "expected a %s name, got %s", noun,
                   describe(kn, &tmp));
            continue;
        }
        const char *word = (const char *)kn->data.scalar.value;
        size_t len = kn->data.scalar.length;
        size_t found = NKEYS;
        if (len < 64 && memchr(word, '.', len) == NULL) {
            char path[160];
            snprintf(path, sizeof path, "%s%s%.*s", prefix, *prefix ? "." : "", (int)len, word);
            for (size_t i = 0; i < NKEYS && found == NKEYS; i++)
                if (strcmp(keys[i].path, path) == 0) found = i;
        }
        if (found == NKEYS) {
            err_unknown(x, kn->start_mark, noun, prefix, word, len, names, nnames);
            continue;
        }
        if (x->seen[found]) {
            err_at(x, kn->start_mark, "duplicate key '%s' (first at line %zu)", keys[found].path,
                   x->seen_at[found].line + 1);
            continue;
        }
        x->seen[found] = true;
        x->seen_at[found] = kn->start_mark;
        x->value_at[found] = vn->start_mark;
        int before = x->nerrors;
        walk_value(x, found, vn);
        if (x->nerrors != before && is_child(keys[found].path, "scoring.bands"))
            x->bad_bands = true;
    }
done:
    buf_free(&tmp);
}

static size_t key_index(const char *path)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].path, path) == 0) return i;
    abort();
}

/* Line and column (1-based) of byte offset off in text, for reader errors that carry no mark. */
static void offset_mark(const char *text, size_t len, size_t off, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static void syntax_error(loader *x, yaml_parser_t *p, const char *text, size_t len)
{
    size_t line, col;
    if (p->error == YAML_READER_ERROR) {
        offset_mark(text, len, p->problem_offset, &line, &col);
    } else {
        line = p->problem_mark.line + 1;
        col = p->problem_mark.column + 1;
    }
    buf msg = BUF_INIT;
    buf_puts(&msg, "YAML syntax error: ");
    buf_puts(&msg, p->problem ? p->problem : "cannot parse");
    if (p->context && p->error != YAML_READER_ERROR)
        buf_printf(&msg, " (%s at line %zu)", p->context, p->context_mark.line + 1);
    yaml_mark_t m = {0, line - 1, col - 1};
    err_at(x, m, "%s", buf_str(&msg));
    buf_free(&msg);
}

/* A first pass over the events: refuses the first mapping or list deeper than MAX_DEPTH, before
 * libyaml builds any document. libyaml's scanner and loader take time quadratic in the depth of
 * flow nesting (`[[[[...`: 100,000 levels take half a minute, in every command), so the pass must
 * stop at the first event too deep rather than measure the whole file. It meets a syntax error
 * before the loader would, and reports it with the loader's message (the same parser). Returns
 * true when the file may be loaded; false after reporting. */
static bool check_depth(loader *x, const char *text, size_t len)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        fputs("caseload: out of memory\n", stderr);
        abort();
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    bool ok = true, end = false;
    int depth = 0;
    while (ok && !end) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            syntax_error(x, &parser, text, len);
            ok = false;
            break;
        }
        switch (ev.type) {
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            if (++depth > MAX_DEPTH) {
                err_at(x, ev.start_mark,
                       "nested deeper than %d levels (mappings and lists inside one another): "
                       "not a configuration",
                       MAX_DEPTH);
                ok = false;
            }
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT: depth--; break;
        case YAML_STREAM_END_EVENT: end = true; break;
        default: break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    return ok;
}

int config_parse(const char *name, const char *text, size_t len, config *c, buf *errors)
{
    config_defaults(c);
    loader x = {0};
    x.file = name;
    x.c = c;
    x.errors = errors;

    if (!check_depth(&x, text, len)) goto failed;
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        fputs("caseload: out of memory\n", stderr);
        abort();
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        syntax_error(&x, &parser, text, len);
        yaml_parser_delete(&parser);
        goto failed;
    }
    x.doc = &doc;
    bool has_root = yaml_document_get_root_node(&doc) != NULL;
    if (has_root) {
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        /* Only one document: a second one would be silently ignored otherwise. */
        yaml_document_t next;
        if (!yaml_parser_load(&parser, &next)) {
            syntax_error(&x, &parser, text, len);
        } else {
            if (yaml_document_get_root_node(&next))
                err_at(&x, next.start_mark, "only one YAML document is allowed");
            yaml_document_delete(&next);
        }
        if (!x.nerrors) walk_map(&x, "", root);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);

    if (has_root && !x.stopped && !x.bad_bands && c->scoring.amber > c->scoring.red) {
        size_t ia = key_index("scoring.bands.amber"), ir = key_index("scoring.bands.red");
        yaml_mark_t m = x.seen[ia] ? x.value_at[ia] : x.value_at[ir];
        err_at(&x, m, "amber (%d) must not be above red (%d)", c->scoring.amber, c->scoring.red);
    }
    if (x.nerrors) goto failed;
    snprintf(c->source, sizeof c->source, "%s", name);
    return EXIT_OK;
failed:
    config_free(c);
    config_defaults(c);
    return EXIT_CONFIG;
}

int config_load(const char *path, config *c, buf *errors)
{
    FILE *f = fopen(path, "rb");
    int e = 0;
    buf text = BUF_INIT;
    if (!f) {
        e = errno;
    } else {
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
            buf_append(&text, chunk, n);
            if (text.len > MAX_FILE_BYTES) break;
        }
        if (ferror(f)) e = errno ? errno : EIO;
        fclose(f);
    }
    if (e || text.len > MAX_FILE_BYTES) {
        /* Unreadable: 66. Readable but far too large to be a configuration: a bad one, 78. */
        config_defaults(c);
        put_clean(errors, path, strlen(path), 0);
        if (e)
            buf_printf(errors, ": cannot read: %s\n", strerror(e));
        else
            buf_printf(errors,
                       ": larger than %u bytes (4 MB): too large for a configuration file\n",
                       MAX_FILE_BYTES);
        buf_free(&text);
        return e ? EXIT_NOINPUT : EXIT_CONFIG;
    }
    int rc = config_parse(path, buf_str(&text), text.len, c, errors);
    buf_free(&text);
    return rc;
}

int config_load_default(const char *option, config *c, buf *errors)
{
    char path[4096];
    bool named = config_path(option, path, sizeof path);
    if (!named) {
        struct stat st;
        if (stat(path, &st) != 0 && errno == ENOENT) {
            config_defaults(c);
            return EXIT_OK;
        }
    }
    return config_load(path, c, errors);
}

/* ---- writing ---- */

static void put_line(buf *out, size_t start, const char *help)
{
    size_t col = out->len - start;
    if (help) {
        do
            buf_putc(out, ' ');
        while (++col < 36);
        buf_printf(out, "# %s", help);
    }
    buf_putc(out, '\n');
}

void config_write(const config *c, buf *out)
{
    if (c->source[0]) {
        buf_puts(out, "# caseload configuration read from ");
        put_clean(out, c->source, strlen(c->source), 0);
        buf_putc(out, '\n');
    } else {
        buf_puts(out, "# caseload configuration: the built-in defaults\n");
    }
    for (size_t i = 0; i < NKEYS; i++) {
        const cfg_key *k = &keys[i];
        size_t depth = 0;
        for (const char *p = k->path; *p; p++)
            depth += *p == '.';
        size_t start = out->len;
        for (size_t d = 0; d < depth; d++)
            buf_puts(out, "  ");
        buf_printf(out, "%s:", last_part(k->path));
        switch (k->type) {
        case K_MAP: put_line(out, start, k->help); break;
        case K_INT:
            buf_printf(out, " %d", *int_slot_c(c, k));
            put_line(out, start, k->help);
            break;
        case K_TERMS:
            if (!c->calendar.nterms) buf_puts(out, " []");
            put_line(out, start, k->help);
            for (size_t t = 0; t < c->calendar.nterms; t++) {
                char a[11], b[11];
                date_format(c->calendar.terms[t].from, a);
                date_format(c->calendar.terms[t].to, b);
                for (size_t d = 0; d < depth; d++)
                    buf_puts(out, "  ");
                buf_printf(out, "  - { from: %s, to: %s }\n", a, b);
            }
            break;
        case K_DATES:
            if (!c->calendar.nclosures) buf_puts(out, " []");
            put_line(out, start, k->help);
            for (size_t t = 0; t < c->calendar.nclosures; t++) {
                char a[11];
                date_format(c->calendar.closures[t], a);
                for (size_t d = 0; d < depth; d++)
                    buf_puts(out, "  ");
                buf_printf(out, "  - %s\n", a);
            }
            break;
        case K_HOLDS:
            if (!c->retention.nholds) buf_puts(out, " []");
            put_line(out, start, k->help);
            for (size_t t = 0; t < c->retention.nholds; t++) {
                for (size_t d = 0; d < depth; d++)
                    buf_puts(out, "  ");
                buf_puts(out, "  - \"");
                for (const char *p = c->retention.holds[t]; *p; p++) {
                    if (*p == '"' || *p == '\\') buf_putc(out, '\\');
                    buf_putc(out, *p);
                }
                buf_puts(out, "\"\n");
            }
            break;
        }
    }
}
