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
 * A file with any error changes nothing: the caller gets the defaults and EXIT_CONFIG.
 *
 * Here the table, the defaults, reading the file and config_write; the YAML itself is read and
 * checked in config_parse.c (config_internal.h). */
#include "caseload/config.h"
#include "caseload/exitcode.h"
#include "config_internal.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WMIN -10000
#define WMAX 10000
#define W(f, name, def, help)                                                                      \
    {                                                                                              \
        "scoring.weights." name, K_INT, offsetof(config, scoring.weight[f]), def, WMIN, WMAX,      \
            NULL, false, help                                                                      \
    }

/* In the order config_write prints them: a pre-order walk of the YAML tree. The weights follow
 * score_factor_name() (SPEC section 3); the unit test checks that they match. */
const cfg_key cfg_keys[] = {
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
const size_t cfg_nkeys = sizeof cfg_keys / sizeof cfg_keys[0];
_Static_assert(sizeof cfg_keys / sizeof cfg_keys[0] <= CFG_MAX_KEYS,
               "CFG_MAX_KEYS: room for every key");

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

#define MAX_FILE_BYTES (4u << 20)

void *cfg_xmalloc(size_t n)
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

int *cfg_int_slot(config *c, const cfg_key *k)
{
    return (int *)((char *)c + k->offset);
}

static const int *cfg_int_slot_c(const config *c, const cfg_key *k)
{
    return (const int *)((const char *)c + k->offset);
}

void config_defaults(config *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < cfg_nkeys; i++)
        if (cfg_keys[i].type == K_INT) *cfg_int_slot(c, &cfg_keys[i]) = cfg_keys[i].def;
    c->calendar.nterms = NDEF_TERMS;
    c->calendar.terms = cfg_xmalloc(NDEF_TERMS * sizeof *c->calendar.terms);
    for (size_t i = 0; i < NDEF_TERMS; i++) {
        c->calendar.terms[i].from = must_date(default_terms[i][0]);
        c->calendar.terms[i].to = must_date(default_terms[i][1]);
    }
    c->calendar.nclosures = NDEF_CLOSURES;
    c->calendar.closures = cfg_xmalloc(NDEF_CLOSURES * sizeof *c->calendar.closures);
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

/* Appends s (len bytes) for a message: control characters become '?', and at most max bytes
 * (0: no limit) are kept, cut on a UTF-8 boundary and marked with "...". */
void cfg_put_clean(buf *b, const char *s, size_t len, size_t max)
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

/* The last part of a dotted key path ("a.b.c" -> "c"). */

const char *cfg_last_part(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : path;
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
    int rc;
    if (e || text.len > MAX_FILE_BYTES) {
        /* Unreadable: 66. Readable but far too large to be a configuration: a bad one, 78. */
        config_defaults(c);
        cfg_put_clean(errors, path, strlen(path), 0);
        if (e)
            buf_printf(errors, ": cannot read: %s\n", strerror(e));
        else
            buf_printf(errors,
                       ": larger than %u bytes (4 MB): too large for a configuration file\n",
                       MAX_FILE_BYTES);
        rc = e ? EXIT_NOINPUT : EXIT_CONFIG;
    } else {
        rc = config_parse(path, buf_str(&text), text.len, c, errors);
    }
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
        cfg_put_clean(out, c->source, strlen(c->source), 0);
        buf_putc(out, '\n');
    } else {
        buf_puts(out, "# caseload configuration: the built-in defaults\n");
    }
    for (size_t i = 0; i < cfg_nkeys; i++) {
        const cfg_key *k = &cfg_keys[i];
        size_t depth = 0;
        for (const char *p = k->path; *p; p++)
            depth += *p == '.';
        size_t start = out->len;
        for (size_t d = 0; d < depth; d++)
            buf_puts(out, "  ");
        buf_printf(out, "%s:", cfg_last_part(k->path));
        switch (k->type) {
        case K_MAP: put_line(out, start, k->help); break;
        case K_INT:
            buf_printf(out, " %d", *cfg_int_slot_c(c, k));
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
