/* record_fields.c: the checks and the transaction steps the record_*.c files share
 * (record_internal.h): a field read by its rule (field.h) into its stored form, or a problem
 * naming the field; and the ends of a change (begin, end, finish, fail, refuse, conflict). */
#include "record_internal.h"

#include "caseload/browse.h"
#include "caseload/edit.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/records.h"
#include "caseload/scoring.h"
#include "caseload/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int rec_problem(record_problem *p, const char *field, const char *fmt, ...)
{
    if (p) {
        snprintf(p->field, sizeof p->field, "%s", field);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->message, sizeof p->message, fmt, ap);
        va_end(ap);
    }
    return EXIT_DATA;
}

/* A store failure: the message of store_error, no field. */
int rec_store_problem(store *s, record_problem *p, int rc)
{
    if (p) {
        p->field[0] = '\0';
        snprintf(p->message, sizeof p->message, "%s", store_error(s));
    }
    return rc;
}

void rec_clear(record_problem *p)
{
    if (p) {
        p->field[0] = p->message[0] = p->theirs[0] = '\0';
        p->conflict = false;
    }
}

/* Copies s without leading and trailing blanks into out (n bytes). Returns false when it does not
 * fit. */
bool rec_trim(const char *s, char *out, size_t n)
{
    if (!s) s = "";
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len + 1 > n) return false;
    memcpy(out, s, len);
    out[len] = '\0';
    return true;
}

/* A text field: trimmed, clean UTF-8 (field_text: newlines and tabs only in a note or summary),
 * at most n-1 bytes. */
int rec_text_field(const char *field, const char *s, char *out, size_t n, bool required,
                   record_problem *p)
{
    if (!rec_trim(s, out, n)) return rec_problem(p, field, "too long (at most %zu bytes)", n - 1);
    bool multiline = strcmp(field, "note") == 0 || strcmp(field, "summary") == 0;
    char why[FIELD_WHY];
    if (field_text(out, strlen(out), multiline, why)) return rec_problem(p, field, "%s", why);
    if (required && !*out) return rec_problem(p, field, "required");
    return EXIT_OK;
}

/* A date field into out[11]; "" stays "" unless required, or takes dflt when dflt is given. */
int rec_date_field(const char *field, const char *s, char out[11], bool required,
                   const date_t *dflt, record_problem *p)
{
    char t[64];
    if (!rec_trim(s, t, sizeof t))
        return rec_problem(p, field, "not a date (YYYY-MM-DD or DD/MM/YYYY)");
    if (!*t) {
        if (dflt) {
            date_format(*dflt, out);
            return EXIT_OK;
        }
        out[0] = '\0';
        return required ? rec_problem(p, field, "required") : EXIT_OK;
    }
    date_t d;
    char why[FIELD_WHY];
    if (!field_date(t, strlen(t), FIELD_DMY, &d, why)) {
        if (!text_is_clean(t))
            return rec_problem(p, field, "not a date (YYYY-MM-DD or DD/MM/YYYY)");
        return rec_problem(p, field, "'%s' %s", t, why);
    }
    date_format(d, out);
    return EXIT_OK;
}

/* The date out[11] (a date_field) of something that happened: not after today. */
int rec_past_field(const char *field, const char *out, date_t as_of, record_problem *p)
{
    date_t d;
    char why[FIELD_WHY];
    if (!*out || !date_parse(out, 10, &d) || field_date_past(d, as_of, why)) return EXIT_OK;
    return rec_problem(p, field, "'%s' %s", out, why);
}

/* A date out[11] (a date_field) not before first (named name): field_date_from. */
int rec_from_field(const char *field, const char *out, const char *first, const char *name,
                   record_problem *p)
{
    date_t d, f;
    char why[FIELD_WHY];
    if (!*out || !date_parse(out, 10, &d) || !date_parse(first, strlen(first), &f) ||
        field_date_from(d, f, name, why))
        return EXIT_OK;
    return rec_problem(p, field, "'%s' %s", out, why);
}

/* A code of list l into out (the canonical code, aliases resolved). */
/* A value of list l that field_code did not know, in import's and sync resolve's words
 * (field_code_why): "'XX' is not a reason (one of: ...)"; a value that is not clean text is
 * not repeated. */
int rec_code_problem(record_problem *p, const char *field, codes_list l, const char *s, size_t n)
{
    char why[FIELD_WHY], v[64];
    field_code_why(l, s, n, why);
    snprintf(v, sizeof v, "%.*s", (int)n, s);
    if (n >= sizeof v || !text_is_clean(v)) return rec_problem(p, field, "%s", why);
    return rec_problem(p, field, "'%s' %s", v, why);
}

int rec_code_field(codes_list l, const char *s, char *out, size_t n, bool required,
                   record_problem *p)
{
    const char *field = codes_list_name(l);
    char t[64];
    if (!rec_trim(s, t, sizeof t)) return rec_code_problem(p, field, l, s, strlen(s));
    if (!*t) {
        out[0] = '\0';
        return required ? rec_problem(p, field, "required") : EXIT_OK;
    }
    int i = field_code(l, t, strlen(t));
    if (i < 0) return rec_code_problem(p, field, l, t, strlen(t));
    snprintf(out, n, "%s", codes_code(l, (size_t)i));
    return EXIT_OK;
}

/* A kind of action (field_action_kind: a word, kept lower case). */
int rec_kind_field(const char *s, char out[FIELD_KIND_MAX + 1], record_problem *p)
{
    char t[64], why[FIELD_WHY];
    if (!rec_trim(s, t, sizeof t))
        return rec_problem(p, "kind", "a word such as call, email or visit");
    if (!*t) return rec_problem(p, "kind", "required");
    if (!field_action_kind(t, strlen(t), out, why))
        return rec_problem(p, "kind", "a word such as call, email or visit");
    return EXIT_OK;
}

/* A number field read by rule (field_days, field_hours: "" is unknown, *out = -1). */
int rec_number_field(const char *field, const char *s,
                     bool (*rule)(const char *, size_t, double *, char *), bool required,
                     double *out, record_problem *p)
{
    char t[64], why[FIELD_WHY];
    *out = -1;
    if (!rec_trim(s, t, sizeof t)) return rec_problem(p, field, "not a number");
    if (!*t) return required ? rec_problem(p, field, "required") : EXIT_OK;
    if (!rule(t, strlen(t), out, why)) {
        if (!text_is_clean(t)) return rec_problem(p, field, "not a number");
        return rec_problem(p, field, "'%s' %s", t, why);
    }
    return EXIT_OK;
}

/* A number of sessions (field_sessions), required. */
int rec_sessions_field(const char *field, const char *s, long *out, record_problem *p)
{
    char t[64], why[FIELD_WHY];
    if (!rec_trim(s, t, sizeof t)) return rec_problem(p, field, "not a number");
    if (!*t) return rec_problem(p, field, "required");
    if (!field_sessions(t, strlen(t), out, why)) {
        if (!text_is_clean(t)) return rec_problem(p, field, "not a number");
        return rec_problem(p, field, "'%s' %s", t, why);
    }
    return EXIT_OK;
}

/* Officer initials (field_initials: 1-4 letters, upper-cased), or "" for none. Initials stored
 * already are taken as they are, even where they do not follow today's rule (older rows), so a
 * form can keep the officer it was given. */
int rec_officer_field(store *db, const char *s, char out[16], record_problem *p)
{
    char t[64], why[FIELD_WHY];
    if (!rec_trim(s, t, sizeof t)) return rec_problem(p, "officer", "initials too long");
    out[0] = '\0';
    int64_t known = 0;
    if (*t && strlen(t) < 16) {
        int rc = records_officer_find(db, t, &known);
        if (rc) return rec_store_problem(db, p, rc);
    }
    if (known) { /* shorter than 16 bytes, checked above */
        memcpy(out, t, strlen(t) + 1);
        return EXIT_OK;
    }
    if (*t && !field_initials(t, strlen(t), out, why)) {
        if (!text_is_clean(t)) return rec_problem(p, "officer", "not an officer's initials");
        return rec_problem(p, "officer", "'%s' %s", t, why);
    }
    return EXIT_OK;
}

/* Rolls back and returns rc with the store's message. */
int rec_fail(store *s, record_problem *p, int rc)
{
    rec_store_problem(s, p, rc);
    store_rollback(s);
    return rc;
}

/* Ends a change: the child's score, then commit. */
int rec_finish(store *s, const config *cfg, date_t as_of, int64_t child_id, record_problem *p)
{
    int rc = scoring_children_changed(s, cfg, as_of, &child_id, 1);
    if (rc) return rec_fail(s, p, rc);
    rc = store_commit(s);
    if (rc) return rec_store_problem(s, p, rc);
    return EXIT_OK;
}

int rec_begin(store *s, record_problem *p)
{
    int rc = store_begin(s);
    return rc ? rec_store_problem(s, p, rc) : EXIT_OK;
}

/* Ends a change: the audit row of what it wrote (store_audit_child), the score, commit. */
int rec_end(store *s, const config *cfg, date_t as_of, const rec_wrote *w, int64_t *id,
            record_problem *p)
{
    int rc = store_audit_child(s, w->action, w->table, w->row_id, w->child_log ? w->child_id : 0,
                               w->detail);
    if (rc) return rec_fail(s, p, rc);
    if ((rc = rec_finish(s, cfg, as_of, w->child_id, p))) return rc;
    if (id) *id = w->row_id;
    return EXIT_OK;
}

/* The answer rc of reading one what (a referral, a child) into p, emptied first: EXIT_FOUND is
 * "no such what" (EXIT_DATA), another failure the store's message. */
static int read_one(store *s, int rc, const char *what, record_problem *p)
{
    rec_clear(p);
    if (rc == EXIT_FOUND) return rec_problem(p, what, "no such %s", what);
    if (rc) return rec_store_problem(s, p, rc);
    return EXIT_OK;
}

int rec_get_referral(store *s, int64_t id, edit_referral *r, record_problem *p)
{
    return read_one(s, edit_referral_get(s, id, r), "referral", p);
}

int rec_get_child(store *s, int64_t id, browse_child *c, record_problem *p)
{
    return read_one(s, browse_child_get(s, id, c), "child", p);
}

/* A field the save would change that another program changed since the form opened (SPEC
 * section 8: nothing is overwritten silently): rolls back and says both values. */
int rec_conflict(store *s, record_problem *p, const char *field, const char *now,
                 const char *opened, const char *yours)
{
    store_rollback(s);
    rec_problem(p, field,
                "changed meanwhile to '%s' (it was '%s' when the form opened; yours: '%s')", now,
                opened, yours);
    if (p) {
        p->conflict = true;
        snprintf(p->theirs, sizeof p->theirs, "%s", now);
    }
    return EXIT_DATA;
}

/* Rolls back a check that failed inside the transaction. */
int rec_refuse(store *s, int rc)
{
    store_rollback(s);
    return rc;
}
