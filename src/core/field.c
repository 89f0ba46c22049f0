/* field.c: the rule of each stored field, written once (see field.h): the table of the stored
 * fields, field_value by it, and the helpers the field*.c files share (field_internal.h). The rules
 * of dates and numbers are in field_date.c, of codes, flags and UPNs in field_codes.c, of
 * initials, kinds of action, text and columns in field_text.c. */
#include "field_internal.h"

#include <stdarg.h>
#include <string.h>

/* ---- shared helpers (field_internal.h) ---- */

void fld_say(char why[FIELD_WHY], ...)
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

const char *fld_num(unsigned long v, int width, char out[24])
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

/* The n bytes of s (trimmed, clean, not empty) by rule r's kind into out. */
static bool value_of(const field_rule *r, const char *s, size_t n, date_t today, buf *out,
                     char why[FIELD_WHY])
{
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
    default: fld_say(why, "cannot be set by hand", NULL); return false;
    }
}

bool field_value(const field_rule *r, const char *s, size_t n, date_t today, buf *out,
                 char why[FIELD_WHY])
{
    if (!r || r->kind == FIELD_RULE_FIXED) {
        fld_say(why, "cannot be set by hand", NULL);
        return false;
    }
    while (n && fld_blank(*s)) {
        s++;
        n--;
    }
    while (n && fld_blank(s[n - 1]))
        n--;
    bool multiline = r->kind == FIELD_RULE_NOTE;
    if (field_text(s, n, multiline, why)) return false;
    if (!n) {
        if (!r->required) return true;
        fld_say(why, "is required", NULL);
        return false;
    }
    return value_of(r, s, n, today, out, why);
}
