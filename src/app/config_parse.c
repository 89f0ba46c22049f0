/* config_parse.c: the YAML of a configuration read and checked against the key table
 * (config_internal.h, config.c): libyaml's document API after a first pass over its events that
 * refuses nesting deeper than MAX_DEPTH (see check_depth); every error with its line and column,
 * at most MAX_ERRORS of them, with "did you mean" for an unknown key. */
#include "caseload/config.h"
#include "caseload/exitcode.h"
#include "caseload/text.h"
#include "caseload/upn.h"
#include "config_internal.h"
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_ERRORS 50
/* The deepest nesting of mappings and lists a file may have. The table needs 4 (a term inside the
 * terms list inside calendar inside the top-level mapping); past 64 it is not a configuration. */
#define MAX_DEPTH 64

typedef struct {
    const char *file;
    yaml_document_t *doc;
    config *c;
    buf *errors;
    int nerrors;
    bool stopped;
    /* Where each key of the table was set, to tell duplicates and to place the amber/red error. */
    bool seen[CFG_MAX_KEYS];
    yaml_mark_t seen_at[CFG_MAX_KEYS];  /* the key */
    yaml_mark_t value_at[CFG_MAX_KEYS]; /* its value */
    bool bad_bands;
} loader;

static void verr_at(loader *x, size_t line, size_t column, const char *fmt, va_list ap)
{
    if (x->stopped) return;
    if (x->nerrors == MAX_ERRORS) {
        cfg_put_clean(x->errors, x->file, strlen(x->file), 0);
        buf_printf(x->errors, ": more than %d errors; stopping\n", MAX_ERRORS);
        x->nerrors++;
        x->stopped = true;
        return;
    }
    x->nerrors++;
    cfg_put_clean(x->errors, x->file, strlen(x->file), 0);
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
        cfg_put_clean(tmp, (const char *)n->data.scalar.value, n->data.scalar.length, 40);
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

/* "unknown NOUN 'WORD'" plus "(did you mean 'X'?)", or where WORD belongs when it is a key of
 * another place (prefix: the place it was found, NULL for a term), or the list of what is valid. */
static void err_unknown(loader *x, yaml_mark_t m, const char *noun, const char *prefix,
                        const char *word, size_t len, const char *const *names, size_t n)
{
    buf msg = BUF_INIT;
    buf_printf(&msg, "unknown %s '", noun);
    cfg_put_clean(&msg, word, len, 40);
    buf_putc(&msg, '\'');
    const char *near = text_closest(word, len, names, n);
    size_t elsewhere = 0;
    if (near) {
        buf_printf(&msg, " (did you mean '%s'?)", near);
    } else if (prefix) {
        for (size_t i = 0; i < cfg_nkeys; i++) {
            const char *last = cfg_last_part(cfg_keys[i].path);
            if (strlen(last) != len || memcmp(last, word, len) != 0) continue;
            buf_puts(&msg, elsewhere++ ? " or " : " (it belongs ");
            if (last == cfg_keys[i].path)
                buf_puts(&msg, "at the top level");
            else
                buf_printf(&msg, "under '%.*s'", (int)(last - cfg_keys[i].path - 1),
                           cfg_keys[i].path);
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
        *cfg_int_slot(x->c, k) = (int)val;
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
    cal->terms = cfg_xmalloc(n * sizeof *cal->terms);
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
    cal->closures = cfg_xmalloc(n * sizeof *cal->closures);
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
    r->holds = cfg_xmalloc(n * sizeof *r->holds);
    yaml_mark_t *at = cfg_xmalloc(n * sizeof *at);
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
        char *h = cfg_xmalloc(len + 1);
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
    const cfg_key *k = &cfg_keys[ki];
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
    for (size_t i = 0; i < cfg_nkeys; i++)
        if (strcmp(cfg_keys[i].path, prefix) == 0) self = &cfg_keys[i];
    if (self && self->replaces) /* e.g. scoring.weights: what the file leaves out weighs 0 */
        for (size_t i = 0; i < cfg_nkeys; i++)
            if (cfg_keys[i].type == K_INT && is_child(cfg_keys[i].path, prefix))
                *cfg_int_slot(x->c, &cfg_keys[i]) = 0;
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
    const char *names[CFG_MAX_KEYS];
    size_t nnames = 0;
    for (size_t i = 0; i < cfg_nkeys; i++)
        if (is_child(cfg_keys[i].path, prefix)) names[nnames++] = cfg_last_part(cfg_keys[i].path);
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
        size_t found = cfg_nkeys;
        if (len < 64 && memchr(word, '.', len) == NULL) {
            char path[160];
            snprintf(path, sizeof path, "%s%s%.*s", prefix, *prefix ? "." : "", (int)len, word);
            for (size_t i = 0; i < cfg_nkeys && found == cfg_nkeys; i++)
                if (strcmp(cfg_keys[i].path, path) == 0) found = i;
        }
        if (found == cfg_nkeys) {
            err_unknown(x, kn->start_mark, noun, prefix, word, len, names, nnames);
            continue;
        }
        if (x->seen[found]) {
            err_at(x, kn->start_mark, "duplicate key '%s' (first at line %zu)",
                   cfg_keys[found].path, x->seen_at[found].line + 1);
            continue;
        }
        x->seen[found] = true;
        x->seen_at[found] = kn->start_mark;
        x->value_at[found] = vn->start_mark;
        int before = x->nerrors;
        walk_value(x, found, vn);
        if (x->nerrors != before && is_child(cfg_keys[found].path, "scoring.bands"))
            x->bad_bands = true;
    }
done:
    buf_free(&tmp);
}

static size_t key_index(const char *path)
{
    for (size_t i = 0; i < cfg_nkeys; i++)
        if (strcmp(cfg_keys[i].path, path) == 0) return i;
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

/* Reads the one YAML document of text into x's configuration (walk_map), every error into x;
 * *has_root: the document is not empty. */
static void read_document(loader *x, const char *text, size_t len, bool *has_root)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    *has_root = false;
    if (!yaml_parser_initialize(&parser)) {
        fputs("caseload: out of memory\n", stderr);
        abort();
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        syntax_error(x, &parser, text, len);
        goto done;
    }
    x->doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    *has_root = root != NULL;
    if (root) {
        /* Only one document: a second one would be silently ignored otherwise. */
        yaml_document_t next;
        if (!yaml_parser_load(&parser, &next)) {
            syntax_error(x, &parser, text, len);
        } else {
            if (yaml_document_get_root_node(&next))
                err_at(x, next.start_mark, "only one YAML document is allowed");
            yaml_document_delete(&next);
        }
        if (!x->nerrors) walk_map(x, "", root);
    }
    yaml_document_delete(&doc);
    x->doc = NULL;
done:
    yaml_parser_delete(&parser);
}

int config_parse(const char *name, const char *text, size_t len, config *c, buf *errors)
{
    config_defaults(c);
    loader x = {0};
    x.file = name;
    x.c = c;
    x.errors = errors;
    bool has_root = false;
    if (check_depth(&x, text, len)) read_document(&x, text, len, &has_root);
    if (has_root && !x.stopped && !x.bad_bands && c->scoring.amber > c->scoring.red) {
        size_t ia = key_index("scoring.bands.amber"), ir = key_index("scoring.bands.red");
        yaml_mark_t m = x.seen[ia] ? x.value_at[ia] : x.value_at[ir];
        err_at(&x, m, "amber (%d) must not be above red (%d)", c->scoring.amber, c->scoring.red);
    }
    if (x.nerrors) {
        config_free(c);
        config_defaults(c);
        return EXIT_CONFIG;
    }
    snprintf(c->source, sizeof c->source, "%s", name);
    return EXIT_OK;
}
