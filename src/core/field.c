/* field.c: the rule of each field, written once (see field.h). */
#include "caseload/field.h"

#include "caseload/text.h"
#include "caseload/upn.h"
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

/* Writes the strings given (up to a NULL) one after another into why (core does no stdio). */
static void say(char why[FIELD_WHY], ...) __attribute__((sentinel));
static void say(char why[FIELD_WHY], ...)
{
    va_list ap;
    va_start(ap, why);
    size_t used = 0;
    for (const char *p; (p = va_arg(ap, const char *));) {
        size_t k = strlen(p);
        if (k > FIELD_WHY - 1 - used) k = FIELD_WHY - 1 - used;
        memcpy(why + used, p, k);
        used += k;
    }
    va_end(ap);
    why[used] = '\0';
}

/* v in decimal, or in hex with at least `width` digits when width > 0, into out. */
static const char *num(unsigned long v, int width, char out[24])
{
    char t[24];
    int n = 0;
    unsigned base = width > 0 ? 16 : 10;
    do {
        t[n++] = "0123456789ABCDEF"[v % base];
        v /= base;
    } while (v && n < 23);
    while (n < width && n < 23)
        t[n++] = '0';
    for (int i = 0; i < n; i++)
        out[i] = t[n - 1 - i];
    out[n] = '\0';
    return out;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* ---- dates ---- */

/* Reads 1..max digits at s[*i]; returns the value, or -1 when fewer than min digits are there. */
static int read_digits(const char *s, size_t n, size_t *i, int min, int max)
{
    int v = 0, k = 0;
    while (*i < n && k < max && is_digit(s[*i])) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    return k < min ? -1 : v;
}

/* The length of the date part of s: n less a time part of midnight (" 00:00:00", " 00:00", or
 * with 'T'); n when there is no time part; 0 when there is another time. */
static size_t without_midnight(const char *s, size_t n)
{
    static const char *const times[] = {"00:00:00", "00:00"};
    for (size_t t = 0; t < 2; t++) {
        size_t k = strlen(times[t]);
        if (n > k + 1 && memcmp(s + n - k, times[t], k) == 0 &&
            (s[n - k - 1] == ' ' || s[n - k - 1] == 'T'))
            return n - k - 1;
    }
    return memchr(s, ':', n) ? 0 : n;
}

static bool days_ok(int y, int m, int d)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= (m == 2 && leap ? 29 : dim[m - 1]);
}

bool field_date(const char *s, size_t n, unsigned flags, date_t *out, char why[FIELD_WHY])
{
    int y = -1, m = -1, d = -1;
    size_t len = s ? without_midnight(s, n) : 0;
    bool shaped = false;
    if (len == 10 && s[4] == '-' && s[7] == '-') {
        size_t i = 0;
        y = read_digits(s, len, &i, 4, 4);
        i = 5;
        m = read_digits(s, len, &i, 2, 2);
        i = 8;
        d = read_digits(s, len, &i, 2, 2);
        shaped = y >= 0 && m >= 0 && d >= 0;
    } else if (len >= 8 && len <= 10 && memchr(s, '/', len)) {
        size_t i = 0;
        d = read_digits(s, len, &i, 1, 2);
        bool ok = d >= 0 && i < len && s[i++] == '/';
        if (ok) m = read_digits(s, len, &i, 1, 2);
        ok = ok && m >= 0 && i < len && s[i++] == '/';
        if (ok) y = read_digits(s, len, &i, 4, 4);
        ok = ok && y >= 0 && i == len;
        if (ok && !(flags & FIELD_DMY)) {
            say(why,
                "is not a date (YYYY-MM-DD; to read dates written DD/MM/YYYY, use "
                "--date-format dmy)",
                NULL);
            return false;
        }
        shaped = ok;
    }
    if (!shaped || !days_ok(y, m, d)) {
        say(why, "is not a date (", flags & FIELD_DMY ? "YYYY-MM-DD or DD/MM/YYYY" : "YYYY-MM-DD",
            ")", NULL);
        return false;
    }
    if (y < FIELD_DATE_MIN_Y) {
        say(why, "is before " STR(FIELD_DATE_MIN_Y) "-01-01 (not a plausible date)", NULL);
        return false;
    }
    if (y > FIELD_DATE_MAX_Y) {
        say(why, "is after " STR(FIELD_DATE_MAX_Y) "-12-31 (not a plausible date)", NULL);
        return false;
    }
    *out = date_from_ymd(y, m, d);
    return true;
}

bool field_date_past(date_t d, date_t today, char why[FIELD_WHY])
{
    if (d <= today) return true;
    char t[11];
    date_format(today, t);
    say(why, "is after today (", t, ")", NULL);
    return false;
}

bool field_date_from(date_t d, date_t first, const char *name, char why[FIELD_WHY])
{
    if (d >= first) return true;
    char t[11];
    date_format(first, t);
    say(why, "is before ", name, " (", t, ")", NULL);
    return false;
}

/* ---- numbers ---- */

/* Reads a plain decimal (digits, and when fraction one '.' followed by digits). Returns false on
 * any other shape; *out is the value (at most 18 significant digits are read exactly; longer
 * whole parts are capped at 1e18, which is above every maximum). */
static bool plain_number(const char *s, size_t n, bool fraction, double *out)
{
    size_t i = 0;
    uint64_t whole = 0;
    bool big = false;
    while (i < n && is_digit(s[i])) {
        if (whole >= 100000000000000000ull)
            big = true;
        else
            whole = whole * 10 + (uint64_t)(s[i] - '0');
        i++;
    }
    size_t ndig = i;
    double frac = 0, scale = 1;
    if (fraction && i < n && s[i] == '.') {
        i++;
        size_t k = 0;
        while (i < n && is_digit(s[i])) {
            if (k < 15) {
                scale /= 10;
                frac += (s[i] - '0') * scale;
            }
            i++;
            k++;
        }
        if (!k) return false; /* "5." */
        ndig += k;
    }
    if (i != n || !ndig || (fraction && s[0] == '.')) return false;
    *out = big ? 1e18 : (double)whole + frac;
    return true;
}

static void shape_why(bool fraction, char why[FIELD_WHY])
{
    say(why,
        fraction ? "is not a number (digits, and a '.' for a fraction such as 2.5; no sign, "
                   "blank, hex or exponent)"
                 : "is not a whole number (digits only: no sign, blank, decimal point, hex "
                   "or exponent)",
        NULL);
}

/* A plain number (a fraction when fraction) from 0 (above 0 when positive) to max; too_many
 * says why a larger one is refused. */
static bool ranged(const char *s, size_t n, bool fraction, bool positive, double max,
                   const char *too_many, double *out, char why[FIELD_WHY])
{
    double v;
    if (!plain_number(s, n, fraction, &v)) {
        shape_why(fraction, why);
        return false;
    }
    if (positive && v <= 0) {
        say(why, "is not a number of days above 0", NULL);
        return false;
    }
    if (v > max) {
        say(why, too_many, NULL);
        return false;
    }
    *out = v;
    return true;
}

bool field_sessions(const char *s, size_t n, long *out, char why[FIELD_WHY])
{
    double v;
    if (!ranged(s, n, false, false, FIELD_MAX_SESSIONS,
                "is more than " STR(FIELD_MAX_SESSIONS) " sessions (not plausible for one record)",
                &v, why))
        return false;
    *out = (long)v;
    return true;
}

bool field_days(const char *s, size_t n, double *out, char why[FIELD_WHY])
{
    return ranged(s, n, true, true, FIELD_MAX_DAYS,
                  "is more than " STR(FIELD_MAX_DAYS) " days (not plausible for one exclusion)",
                  out, why);
}

bool field_hours(const char *s, size_t n, double *out, char why[FIELD_WHY])
{
    return ranged(s, n, true, false, FIELD_MAX_HOURS,
                  "is more than " STR(FIELD_MAX_HOURS) " hours a week (not plausible)", out, why);
}

bool field_attended(long attended, long possible, char why[FIELD_WHY])
{
    if (attended <= possible) return true;
    char n[24];
    say(why, "is more than possible_sessions ",
        num(possible < 0 ? 0 : (unsigned long)possible, 0, n), NULL);
    return false;
}

/* ---- codes and flags ---- */

typedef struct {
    codes_list list;
    const char *alias;
    int code;
} alias;

static const alias aliases[] = {
    {CODES_CARE_STATUS, "LAC", CARE_CLA},
    {CODES_CARE_STATUS, "CLA", CARE_CLA},
    {CODES_CARE_STATUS, "CP", CARE_CP},
    {CODES_CARE_STATUS, "CPP", CARE_CP},
    {CODES_CARE_STATUS, "CIN", CARE_CIN},
    {CODES_SEN, "N", SEN_NONE},
    {CODES_SEN, "K", SEN_SUPPORT},
    {CODES_SEN, "E", SEN_EHCP},
    {CODES_EXCLUSION_CATEGORY, "FIXD", EXCL_SUSPENSION},
    {CODES_EXCLUSION_CATEGORY, "PERM", EXCL_PERMANENT},
};

/* Whether the n bytes of s equal the string w, ignoring ASCII case. */
static bool same_word(const char *s, size_t n, const char *w)
{
    size_t i = 0;
    for (; i < n && w[i]; i++)
        if (lower((unsigned char)s[i]) != lower((unsigned char)w[i])) return false;
    return i == n && !w[i];
}

int field_code(codes_list l, const char *s, size_t n)
{
    size_t count = codes_count(l);
    if (!s || !n) return -1;
    for (size_t i = 0; i < count; i++)
        if (same_word(s, n, codes_code(l, i))) return (int)i;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (aliases[i].list == l && same_word(s, n, aliases[i].alias)) return aliases[i].code;
    for (size_t i = 0; i < count; i++)
        if (same_word(s, n, codes_label(l, i))) return (int)i;
    return -1;
}

/* The closest name (code, alias or label) within typo distance: *code is its code, *d its
 * distance; returns whether another code is as close. */
static void consider(const char *s, size_t n, const char *name, int code, int *best, size_t *bestd,
                     bool *tie)
{
    size_t k = strlen(name);
    size_t limit = k <= 3 ? 1 : k <= 6 ? 2 : 3;
    size_t d = text_edit_distance(s, n, name);
    if (d > limit || d > *bestd) return;
    if (d < *bestd) {
        *bestd = d;
        *best = code;
        *tie = false;
    } else if (code != *best) {
        *tie = true;
    }
}

void field_code_hint(codes_list l, const char *s, size_t n, buf *out)
{
    size_t count = codes_count(l);
    int best = -1;
    size_t bestd = TEXT_FAR;
    bool tie = false;
    for (size_t i = 0; i < count; i++) {
        consider(s, n, codes_code(l, i), (int)i, &best, &bestd, &tie);
        consider(s, n, codes_label(l, i), (int)i, &best, &bestd, &tie);
    }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (aliases[i].list == l)
            consider(s, n, aliases[i].alias, aliases[i].code, &best, &bestd, &tie);
    if (best >= 0 && !tie) {
        buf_printf(out, " (did you mean '%s'?)", codes_code(l, (size_t)best));
        return;
    }
    buf_puts(out, " (one of: ");
    for (size_t i = 0; i < count; i++)
        buf_printf(out, "%s%s", i ? ", " : "", codes_code(l, i));
    buf_putc(out, ')');
}

int field_flag(const char *s, size_t n)
{
    static const char *const yes[] = {"yes", "y", "true"}, *const no[] = {"no", "n", "false"};
    for (size_t i = 0; i < 3; i++) {
        if (same_word(s, n, yes[i])) return 1;
        if (same_word(s, n, no[i])) return 0;
    }
    return -1;
}

int field_flag_why(const char *s, size_t n, char why[FIELD_WHY])
{
    int f = field_flag(s, n);
    if (f < 0) say(why, "is not yes or no (also Y/N, true/false)", NULL);
    return f;
}

/* ---- UPNs ---- */

bool field_upn(const char *s, size_t n, char out[14], char why[FIELD_WHY])
{
    char u[32];
    const char *reason = NULL;
    if (n >= sizeof u) {
        say(why, "is not a UPN (13 characters)", NULL);
        return false;
    }
    memcpy(u, s, n);
    u[n] = '\0';
    if (upn_check(u, out, &reason) == UPN_INVALID) {
        say(why, "is not a UPN: ", reason ? reason : "not a UPN", NULL);
        return false;
    }
    return true;
}

/* ---- officers ---- */

bool field_initials(const char *s, size_t n, char out[FIELD_INITIALS_MAX + 1], char why[FIELD_WHY])
{
    if (!n || n > FIELD_INITIALS_MAX) {
        say(why,
            "is not an officer's initials (1 to " STR(FIELD_INITIALS_MAX) " letters, such as JH)",
            NULL);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z') {
            say(why,
                "is not an officer's initials (letters A-Z only, 1 to " STR(
                    FIELD_INITIALS_MAX) ", such as JH)",
                NULL);
            return false;
        }
        out[i] = c;
    }
    out[n] = '\0';
    return true;
}

/* ---- kinds of action ---- */

static int column_char(int c);

bool field_action_kind(const char *s, size_t n, char out[FIELD_KIND_MAX + 1], char why[FIELD_WHY])
{
    bool ok = n > 0 && n <= FIELD_KIND_MAX;
    for (size_t i = 0; ok && i < n; i++) {
        int c = column_char((unsigned char)s[i]);
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        out[i] = (char)c;
    }
    if (!ok) {
        say(why,
            "is not a kind of action (a word such as call, email, meeting or visit: letters, "
            "digits and _, at most " STR(FIELD_KIND_MAX) ")",
            NULL);
        return false;
    }
    out[n] = '\0';
    return true;
}

/* ---- text ---- */

/* Whether cp is what Windows-1252 shows for a byte 0x80-0xBF (a UTF-8 continuation byte). */
static bool cp1252_continuation(unsigned cp)
{
    static const unsigned high[] = {0x20AC, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017D, 0x2018,
                                    0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
                                    0x2122, 0x0161, 0x203A, 0x0153, 0x017E, 0x0178};
    if (cp >= 0xA0 && cp <= 0xBF) return true;
    for (size_t i = 0; i < sizeof high / sizeof high[0]; i++)
        if (cp == high[i]) return true;
    return false;
}

/* "U+XXXX at character N" into out. */
static const char *where(unsigned cp, size_t chars, char out[FIELD_WHY])
{
    char h[24], d[24];
    num(cp, 4, h);
    num(chars, 0, d);
    say(out, "U+", h, " at character ", d, NULL);
    return out;
}

field_text_fault field_text(const char *s, size_t n, bool multiline, char why[FIELD_WHY])
{
    size_t i = 0, chars = 0;
    char at[FIELD_WHY];
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        chars++;
        if (c >= 0x20 && c < 0x7F) {
            i++;
            continue;
        }
        if (c < 0x80) {
            if (multiline && (c == '\n' || c == '\t')) {
                i++;
                continue;
            }
            if (why)
                say(why, "holds a control character (", where(c, chars, at), ")",
                    c == '\n' || c == '\t' ? ": line breaks and tabs only in notes and summaries"
                                           : "",
                    NULL);
            return FIELD_TEXT_CONTROL;
        }
        unsigned cp;
        size_t k = text_utf8_len(s + i, n - i, &cp);
        if (!k) {
            char h[24], d[24];
            if (why)
                say(why, "is not UTF-8 (byte 0x", num(c, 2, h), " at character ", num(chars, 0, d),
                    ")", NULL);
            return FIELD_TEXT_NOT_UTF8;
        }
        if (cp < 0xA0) {
            if (why) say(why, "holds a control character (", where(cp, chars, at), ")", NULL);
            return FIELD_TEXT_CONTROL;
        }
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            if (why)
                say(why, "holds a bidirectional override (", where(cp, chars, at),
                    "), which could make text show in another order than it is stored", NULL);
            return FIELD_TEXT_BIDI;
        }
        unsigned next;
        if (((cp >= 0xC2 && cp <= 0xDF) || cp == 0xE2) &&
            text_utf8_len(s + i + k, n - i - k, &next) && cp1252_continuation(next)) {
            if (why)
                say(why, "looks like UTF-8 read as Windows-1252 and saved again (",
                    where(cp, chars, at),
                    " then a symbol, like \"\xc3\x83\xc2\xa9\" for \"\xc3\xa9\")", NULL);
            return FIELD_TEXT_MOJIBAKE;
        }
        i += k;
    }
    return FIELD_TEXT_OK;
}

void field_unguard(const char **s, size_t *n)
{
    if (*n >= 2 && (*s)[0] == '\'' && strchr("=+-@", (*s)[1])) {
        (*s)++;
        (*n)--;
    }
}

/* ---- columns and names ---- */

static int column_char(int c)
{
    return c == ' ' || c == '-' ? '_' : lower(c);
}

void field_column_key(const char *s, size_t n, buf *out)
{
    for (size_t i = 0; i < n; i++)
        buf_putc(out, (char)column_char((unsigned char)s[i]));
}

int field_column(const char *s, size_t n, const char *const *cols, size_t ncols)
{
    for (size_t k = 0; k < ncols; k++) {
        const char *c = cols[k];
        size_t i = 0;
        while (i < n && c[i] && column_char((unsigned char)s[i]) == c[i])
            i++;
        if (i == n && !c[i]) return (int)k;
    }
    return -1;
}

/* ---- the stored fields ---- */

#define RULE(t, c, label, kind, list, req)                                                         \
    {                                                                                              \
        t, c, label, FIELD_RULE_##kind, list, req                                                  \
    }
#define FIXED(t, c, label) RULE(t, c, label, FIXED, CODES_ISSUE, false)
/* Every column of the fact tables a person records (SPEC sections 2 and 6), with its rule and the
 * label the app shows; keys, links between rows, timestamps, the audit, tombstones and the
 * conflicts themselves are FIXED. */
static const field_rule rules[] = {
    RULE("officers", "initials", "Initials", INITIALS, CODES_ISSUE, true),
    RULE("officers", "name", "Name", TEXT, CODES_ISSUE, false),
    RULE("schools", "urn", "URN", TEXT, CODES_ISSUE, false),
    RULE("schools", "name", "School name", TEXT, CODES_ISSUE, false),
    RULE("children", "upn", "UPN", UPN, CODES_ISSUE, false),
    RULE("children", "la_child_id", "LA child id", TEXT, CODES_ISSUE, false),
    RULE("children", "first_name", "First name", TEXT, CODES_ISSUE, true),
    RULE("children", "last_name", "Last name", TEXT, CODES_ISSUE, true),
    RULE("children", "dob", "Date of birth", PAST, CODES_ISSUE, true),
    RULE("children", "gender", "Gender", CODE, CODES_GENDER, false),
    RULE("children", "school_id", "School", SCHOOL, CODES_ISSUE, false),
    RULE("children", "care_status", "Care status", CODE, CODES_CARE_STATUS, false),
    RULE("children", "sen", "SEN", CODE, CODES_SEN, false),
    RULE("children", "sen_need", "SEN need", CODE, CODES_SEN_NEED, false),
    RULE("children", "youth_justice", "Youth justice", FLAG, CODES_ISSUE, true),
    RULE("children", "social_work_ended", "Social work ended", PAST, CODES_ISSUE, false),
    RULE("referrals", "ref", "Ref", TEXT, CODES_ISSUE, true),
    FIXED("referrals", "child_id", "Child"),
    RULE("referrals", "received", "Received", PAST, CODES_ISSUE, true),
    RULE("referrals", "source", "Source", CODE, CODES_SOURCE, true),
    RULE("referrals", "issue", "Issue", CODE, CODES_ISSUE, true),
    RULE("referrals", "other_issues", "Other issues", CODES, CODES_ISSUE, false),
    RULE("referrals", "pex_risk", "Risk of permanent exclusion", FLAG, CODES_ISSUE, true),
    RULE("referrals", "status", "Status", CODE, CODES_STATUS, true),
    RULE("referrals", "closed", "Closed", PAST, CODES_ISSUE, false),
    RULE("referrals", "officer_id", "Officer", OFFICER, CODES_ISSUE, false),
    RULE("referrals", "care_status", "Care status at referral", CODE, CODES_CARE_STATUS, true),
    RULE("referrals", "sen", "SEN at referral", CODE, CODES_SEN, true),
    RULE("referrals", "summary", "Summary", NOTE, CODES_ISSUE, false),
    FIXED("actions", "referral_id", "Referral"),
    RULE("actions", "date", "Date", PAST, CODES_ISSUE, true),
    RULE("actions", "officer_id", "Officer", OFFICER, CODES_ISSUE, false),
    RULE("actions", "kind", "Kind of action", KIND, CODES_ISSUE, true),
    RULE("actions", "note", "Note", NOTE, CODES_ISSUE, false),
    RULE("actions", "follow_up", "Follow-up", DATE, CODES_ISSUE, false),
    FIXED("follow_up_done", "action_id", "Action"),
    RULE("follow_up_done", "date", "Done on", PAST, CODES_ISSUE, true),
    RULE("follow_up_done", "officer_id", "Officer", OFFICER, CODES_ISSUE, false),
    FIXED("follow_up_done", "by_action_id", "Done by action"),
    FIXED("outcomes", "referral_id", "Referral"),
    RULE("outcomes", "date", "Date", PAST, CODES_ISSUE, true),
    RULE("outcomes", "outcome", "Outcome", CODE, CODES_OUTCOME, true),
    RULE("outcomes", "note", "Note", NOTE, CODES_ISSUE, false),
    FIXED("exclusions", "child_id", "Child"),
    RULE("exclusions", "start", "Start", PAST, CODES_ISSUE, true),
    RULE("exclusions", "category", "Category", CODE, CODES_EXCLUSION_CATEGORY, true),
    RULE("exclusions", "days", "Days", DAYS, CODES_ISSUE, false),
    RULE("exclusions", "reason", "Reason", CODE, CODES_EXCLUSION_REASON, false),
    RULE("exclusions", "school_id", "School", SCHOOL, CODES_ISSUE, false),
    FIXED("attendance", "child_id", "Child"),
    RULE("attendance", "from_date", "From", PAST, CODES_ISSUE, true),
    RULE("attendance", "to_date", "To", PAST, CODES_ISSUE, true),
    RULE("attendance", "possible", "Possible sessions", SESSIONS, CODES_ISSUE, true),
    RULE("attendance", "attended", "Attended sessions", SESSIONS, CODES_ISSUE, true),
    FIXED("episodes", "child_id", "Child"),
    RULE("episodes", "kind", "Kind of episode", CODE, CODES_EPISODE_KIND, true),
    RULE("episodes", "start", "Start", PAST, CODES_ISSUE, true),
    RULE("episodes", "end_date", "End", PAST, CODES_ISSUE, false),
    RULE("episodes", "hours_per_week", "Hours a week", HOURS, CODES_ISSUE, false),
    RULE("episodes", "in_county", "In county", FLAG, CODES_ISSUE, false),
};

/* Columns every table has, none of them set by hand. */
static const field_rule common[] = {
    FIXED("", "id", "Key"),
    FIXED("", "created_at", "Created"),
    FIXED("", "updated_at", "Updated"),
};

const field_rule *field_rule_of(const char *table, const char *column)
{
    if (!table || !column) return NULL;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strcmp(rules[i].table, table) == 0 && strcmp(rules[i].column, column) == 0)
            return &rules[i];
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        if (strcmp(common[i].column, column) == 0) return &common[i];
    return NULL;
}

void field_code_why(codes_list l, const char *s, size_t n, char why[FIELD_WHY])
{
    buf b = BUF_INIT;
    buf_puts(&b, "is not ");
    const char *name = codes_list_name(l);
    /* The list's name in words: '_' a space, SEN an abbreviation ("an SEN need"). */
    bool sen = strncmp(name, "sen", 3) == 0 && (!name[3] || name[3] == '_');
    buf_puts(&b, sen || strchr("aeiou", name[0]) ? "an " : "a ");
    if (sen) {
        buf_puts(&b, "SEN");
        name += 3;
    }
    for (const char *p = name; *p; p++)
        buf_putc(&b, *p == '_' ? ' ' : *p);
    field_code_hint(l, s, n, &b);
    say(why, buf_str(&b), NULL);
    buf_free(&b);
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

bool field_codes(codes_list l, const char *s, size_t n, buf *out, const char **bad, size_t *badn)
{
    size_t start = out->len;
    for (size_t i = 0; i <= n;) {
        size_t j = i;
        while (j < n && s[j] != ';')
            j++;
        size_t a = i, b = j;
        while (a < b && blank(s[a]))
            a++;
        while (b > a && blank(s[b - 1]))
            b--;
        i = j + 1;
        if (a == b) continue; /* ";;", a ';' at the end */
        int c = field_code(l, s + a, b - a);
        if (c < 0) {
            out->len = start;
            if (out->data) out->data[start] = '\0';
            if (bad) *bad = s + a;
            if (badn) *badn = b - a;
            return false;
        }
        const char *code = codes_code(l, (size_t)c);
        size_t k = strlen(code);
        bool seen = false;
        for (size_t p = start; p < out->len && !seen; p++) {
            size_t e = p;
            while (e < out->len && out->data[e] != ';')
                e++;
            seen = e - p == k && memcmp(out->data + p, code, k) == 0;
            p = e;
        }
        if (!seen) buf_printf(out, "%s%s", out->len > start ? ";" : "", code);
    }
    return true;
}

bool field_value(const field_rule *r, const char *s, size_t n, date_t today, buf *out,
                 char why[FIELD_WHY])
{
    if (!r || r->kind == FIELD_RULE_FIXED) {
        say(why, "cannot be set by hand", NULL);
        return false;
    }
    while (n && blank(*s)) {
        s++;
        n--;
    }
    while (n && blank(s[n - 1]))
        n--;
    bool multiline = r->kind == FIELD_RULE_NOTE;
    if (field_text(s, n, multiline, why)) return false;
    if (!n) {
        if (!r->required) return true;
        say(why, "is required", NULL);
        return false;
    }
    char t[FIELD_KIND_MAX + 1];
    date_t d;
    double x;
    long k;
    switch (r->kind) {
    case FIELD_RULE_TEXT:
    case FIELD_RULE_NOTE: buf_append(out, s, n); return true;
    case FIELD_RULE_DATE:
    case FIELD_RULE_PAST: {
        if (!field_date(s, n, FIELD_DMY, &d, why)) return false;
        if (r->kind == FIELD_RULE_PAST && !field_date_past(d, today, why)) return false;
        char iso[11];
        date_format(d, iso);
        buf_puts(out, iso);
        return true;
    }
    case FIELD_RULE_CODE: {
        int i = field_code(r->list, s, n);
        if (i < 0) {
            field_code_why(r->list, s, n, why);
            return false;
        }
        buf_puts(out, codes_code(r->list, (size_t)i));
        return true;
    }
    case FIELD_RULE_CODES: {
        const char *bad;
        size_t badn;
        if (field_codes(r->list, s, n, out, &bad, &badn)) return true;
        field_code_why(r->list, bad, badn, why);
        return false;
    }
    case FIELD_RULE_FLAG: {
        int f = field_flag_why(s, n, why);
        if (f < 0) return false;
        buf_putc(out, f ? '1' : '0');
        return true;
    }
    case FIELD_RULE_UPN: {
        char norm[14];
        if (!field_upn(s, n, norm, why)) return false;
        buf_puts(out, norm);
        return true;
    }
    case FIELD_RULE_INITIALS:
    case FIELD_RULE_OFFICER: {
        char in[FIELD_INITIALS_MAX + 1];
        if (!field_initials(s, n, in, why)) return false;
        buf_puts(out, in);
        return true;
    }
    case FIELD_RULE_KIND:
        if (!field_action_kind(s, n, t, why)) return false;
        buf_puts(out, t);
        return true;
    case FIELD_RULE_SESSIONS:
        if (!field_sessions(s, n, &k, why)) return false;
        buf_printf(out, "%ld", k);
        return true;
    case FIELD_RULE_DAYS:
    case FIELD_RULE_HOURS:
        if (!(r->kind == FIELD_RULE_DAYS ? field_days : field_hours)(s, n, &x, why)) return false;
        buf_append(out, s, n);
        return true;
    case FIELD_RULE_SCHOOL: buf_append(out, s, n); return true;
    default: say(why, "cannot be set by hand", NULL); return false;
    }
}
