/* record.c: what a user can change, one saved change at a time (see record.h). Each function
 * checks everything first, then writes in one transaction: the rows (records.h for schools,
 * officers, children, new referrals and a child's exclusions, attendance and episodes; edit.h
 * for appended actions/outcomes, referral and child edits and ending an episode), an audit row
 * naming ids and field names only, and the child's score. */
#include "caseload/record.h"

#include "caseload/browse.h"
#include "caseload/codes.h"
#include "caseload/edit.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/records.h"
#include "caseload/scoring.h"
#include "caseload/text.h"
#include "caseload/upn.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int problem(record_problem *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int problem(record_problem *p, const char *field, const char *fmt, ...)
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
static int store_problem(store *s, record_problem *p, int rc)
{
    if (p) {
        p->field[0] = '\0';
        snprintf(p->message, sizeof p->message, "%s", store_error(s));
    }
    return rc;
}

static void clear(record_problem *p)
{
    if (p) {
        p->field[0] = p->message[0] = p->theirs[0] = '\0';
        p->conflict = false;
    }
}

/* Copies s without leading and trailing blanks into out (n bytes). Returns false when it does not
 * fit. */
static bool trim(const char *s, char *out, size_t n)
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
static int text_field(const char *field, const char *s, char *out, size_t n, bool required,
                      record_problem *p)
{
    if (!trim(s, out, n)) return problem(p, field, "too long (at most %zu bytes)", n - 1);
    bool multiline = strcmp(field, "note") == 0 || strcmp(field, "summary") == 0;
    char why[FIELD_WHY];
    if (field_text(out, strlen(out), multiline, why)) return problem(p, field, "%s", why);
    if (required && !*out) return problem(p, field, "required");
    return EXIT_OK;
}

/* A date field into out[11]; "" stays "" unless required, or takes dflt when dflt is given. */
static int date_field(const char *field, const char *s, char out[11], bool required,
                      const date_t *dflt, record_problem *p)
{
    char t[64];
    if (!trim(s, t, sizeof t)) return problem(p, field, "not a date (YYYY-MM-DD)");
    if (!*t) {
        if (dflt) {
            date_format(*dflt, out);
            return EXIT_OK;
        }
        out[0] = '\0';
        return required ? problem(p, field, "required") : EXIT_OK;
    }
    date_t d;
    char why[FIELD_WHY];
    if (!field_date(t, strlen(t), FIELD_DMY, &d, why)) {
        if (!text_is_clean(t)) return problem(p, field, "not a date (YYYY-MM-DD or DD/MM/YYYY)");
        return problem(p, field, "'%s' %s", t, why);
    }
    date_format(d, out);
    return EXIT_OK;
}

/* The date out[11] (a date_field) of something that happened: not after today. */
static int past_field(const char *field, const char *out, date_t as_of, record_problem *p)
{
    date_t d;
    char why[FIELD_WHY];
    if (!*out || !date_parse(out, 10, &d) || field_date_past(d, as_of, why)) return EXIT_OK;
    return problem(p, field, "'%s' %s", out, why);
}

/* A code of list l into out (the canonical code, aliases resolved). */
static int code_field(codes_list l, const char *s, char *out, size_t n, bool required,
                      record_problem *p)
{
    const char *field = codes_list_name(l);
    char t[64];
    if (!trim(s, t, sizeof t)) return problem(p, field, "unknown %s", field);
    if (!*t) {
        out[0] = '\0';
        return required ? problem(p, field, "required") : EXIT_OK;
    }
    int i = field_code(l, t, strlen(t));
    if (i < 0) {
        if (!text_is_clean(t)) return problem(p, field, "unknown %s", field);
        return problem(p, field, "unknown %s '%s'", field, t);
    }
    snprintf(out, n, "%s", codes_code(l, (size_t)i));
    return EXIT_OK;
}

/* Officer initials (field_initials: 1-4 letters, upper-cased), or "" for none. Initials stored
 * already are taken as they are, even where they do not follow today's rule (older rows), so a
 * form can keep the officer it was given. */
static int officer_field(store *db, const char *s, char out[16], record_problem *p)
{
    char t[64], why[FIELD_WHY];
    if (!trim(s, t, sizeof t)) return problem(p, "officer", "initials too long");
    out[0] = '\0';
    int64_t known = 0;
    if (*t && strlen(t) < 16) {
        int rc = records_officer_find(db, t, &known);
        if (rc) return store_problem(db, p, rc);
    }
    if (known) { /* shorter than 16 bytes, checked above */
        memcpy(out, t, strlen(t) + 1);
        return EXIT_OK;
    }
    if (*t && !field_initials(t, strlen(t), out, why)) {
        if (!text_is_clean(t)) return problem(p, "officer", "not an officer's initials");
        return problem(p, "officer", "'%s' %s", t, why);
    }
    return EXIT_OK;
}

/* Rolls back and returns rc with the store's message. */
static int fail(store *s, record_problem *p, int rc)
{
    store_problem(s, p, rc);
    store_rollback(s);
    return rc;
}

/* Ends a change: the child's score, then commit. */
static int finish(store *s, const config *cfg, date_t as_of, int64_t child_id, record_problem *p)
{
    int rc = scoring_children_changed(s, cfg, as_of, &child_id, 1);
    if (rc) return fail(s, p, rc);
    rc = store_commit(s);
    if (rc) return store_problem(s, p, rc);
    return EXIT_OK;
}

int record_next_ref(store *s, date_t received, char *out, size_t n)
{
    int y, m, d;
    date_to_ymd(received, &y, &m, &d);
    /* A laptop copy numbers its own (R-YYYY-NAME-NNNNN), so no two copies make the same ref. */
    char tag[32], prefix[48];
    if (store_meta_get(s, "ref_tag", tag, sizeof tag) && *tag)
        snprintf(prefix, sizeof prefix, "R-%04d-%s-", y, tag);
    else
        snprintf(prefix, sizeof prefix, "R-%04d-", y);
    long last = 0;
    int rc = edit_ref_last_number(s, prefix, 5, &last);
    if (rc) return rc;
    if (last >= 99999) {
        /* Five digits used up: go on with six (edit_ref_last_number finds those too). */
        rc = edit_ref_last_number(s, prefix, 6, &last);
        if (rc) return rc;
        if (last < 99999) last = 99999;
        snprintf(out, n, "%s%06ld", prefix, last + 1);
        return EXIT_OK;
    }
    snprintf(out, n, "%s%05ld", prefix, last + 1);
    return EXIT_OK;
}

/* The checked fields of a new child. */
typedef struct {
    char upn[14], la_child_id[64], first_name[128], last_name[128], dob[11], gender[16];
    char school_urn[32], school_name[160], care_status[16], sen[24], sen_need[8];
} child_in;

static int check_child(store *s, date_t as_of, const record_child *c, child_in *o,
                       record_problem *p)
{
    int rc;
    char t[64];
    memset(o, 0, sizeof *o);
    if (!trim(c->upn, t, sizeof t)) return problem(p, "upn", "must be 13 characters");
    if (*t) {
        const char *reason = NULL;
        if (upn_check(t, o->upn, &reason) == UPN_INVALID)
            return problem(p, "upn", "%s", reason ? reason : "not a valid UPN");
    }
    if ((rc = text_field("la_child_id", c->la_child_id, o->la_child_id, sizeof o->la_child_id,
                         false, p)))
        return rc;
    if (!*o->upn && !*o->la_child_id)
        return problem(p, "upn", "a UPN or an LA child id is required");
    if ((rc =
             text_field("first_name", c->first_name, o->first_name, sizeof o->first_name, true, p)))
        return rc;
    if ((rc = text_field("last_name", c->last_name, o->last_name, sizeof o->last_name, true, p)))
        return rc;
    if ((rc = date_field("dob", c->dob, o->dob, true, NULL, p))) return rc;
    if ((rc = past_field("dob", o->dob, as_of, p))) return rc;
    if ((rc = code_field(CODES_GENDER, c->gender, o->gender, sizeof o->gender, false, p)))
        return rc;
    if ((rc = text_field("school_urn", c->school_urn, o->school_urn, sizeof o->school_urn, false,
                         p)))
        return rc;
    if ((rc = text_field("school_name", c->school_name, o->school_name, sizeof o->school_name,
                         false, p)))
        return rc;
    if ((rc = code_field(CODES_CARE_STATUS, c->care_status, o->care_status, sizeof o->care_status,
                         true, p)))
        return rc;
    if ((rc = code_field(CODES_SEN, c->sen, o->sen, sizeof o->sen, true, p))) return rc;
    if ((rc = code_field(CODES_SEN_NEED, c->sen_need, o->sen_need, sizeof o->sen_need, false, p)))
        return rc;
    /* The keys must be new. */
    records_child_key k;
    if (*o->upn) {
        if ((rc = records_child_find(s, o->upn, NULL, &k))) return store_problem(s, p, rc);
        if (k.id) return problem(p, "upn", "a child with this UPN is already recorded");
    }
    if (*o->la_child_id) {
        if ((rc = records_child_find(s, NULL, o->la_child_id, &k))) return store_problem(s, p, rc);
        if (k.id)
            return problem(p, "la_child_id", "a child with this LA child id is already recorded");
    }
    return EXIT_OK;
}

int record_child_check(store *s, date_t as_of, const record_child *c, record_problem *p)
{
    clear(p);
    child_in ch;
    return check_child(s, as_of, c, &ch, p);
}

/* other_issues: ';'-separated issue codes, normalized (no blanks, no repeats). */
static int check_other_issues(const char *s, char *out, size_t n, record_problem *p)
{
    char t[512];
    out[0] = '\0';
    if (!trim(s, t, sizeof t)) return problem(p, "other_issues", "too long");
    size_t used = 0;
    for (char *tok = strtok(t, ";"); tok; tok = strtok(NULL, ";")) {
        char code[32];
        int rc = code_field(CODES_ISSUE, tok, code, sizeof code, false, p);
        if (rc) {
            if (p) snprintf(p->field, sizeof p->field, "other_issues");
            return rc;
        }
        if (!*code) continue;
        /* Skip repeats. */
        bool seen = false;
        for (const char *q = out; *q && !seen;) {
            size_t len = strcspn(q, ";");
            if (len == strlen(code) && strncmp(q, code, len) == 0) seen = true;
            q += len + (q[len] == ';');
        }
        if (seen) continue;
        int w = snprintf(out + used, n - used, "%s%s", used ? ";" : "", code);
        if (w < 0 || (size_t)w >= n - used) return problem(p, "other_issues", "too long");
        used += (size_t)w;
    }
    return EXIT_OK;
}

int record_referral_create(store *s, const config *cfg, date_t as_of, int64_t child_id,
                           const record_child *c, const record_referral *r, int64_t *referral_id,
                           int64_t *child_id_out, record_problem *p)
{
    clear(p);
    int rc;
    child_in ch;
    char care_now[16] = "", sen_now[24] = "", born[11] = "";
    if (child_id) {
        browse_child bc;
        rc = browse_child_get(s, child_id, &bc);
        if (rc == EXIT_FOUND) return problem(p, "child", "no such child");
        if (rc) return store_problem(s, p, rc);
        snprintf(care_now, sizeof care_now, "%s", bc.care_status);
        snprintf(sen_now, sizeof sen_now, "%s", bc.sen);
        snprintf(born, sizeof born, "%s", bc.dob);
    } else {
        if (!c) return problem(p, "child", "required");
        if ((rc = check_child(s, as_of, c, &ch, p))) return rc;
        snprintf(care_now, sizeof care_now, "%s", ch.care_status);
        snprintf(sen_now, sizeof sen_now, "%s", ch.sen);
    }

    char ref[64], received[11], source[32], issue[32], other[256], care[16], sen[24];
    char officer[16], summary[2048];
    if ((rc = date_field("received", r->received, received, true, NULL, p))) return rc;
    if ((rc = past_field("received", received, as_of, p))) return rc;
    date_t rec;
    date_parse(received, 10, &rec);
    /* A child is born on or before the referral is received. */
    const char *dob = child_id ? born : ch.dob;
    if (*dob && strcmp(dob, received) > 0)
        return problem(p, "received", "'%s' is before the child's date of birth (%s)", received,
                       dob);
    if ((rc = text_field("ref", r->ref, ref, sizeof ref, false, p))) return rc;
    if (!*ref) {
        if ((rc = record_next_ref(s, rec, ref, sizeof ref))) return store_problem(s, p, rc);
    } else {
        int64_t id = 0;
        if ((rc = records_referral_find(s, ref, &id, NULL))) return store_problem(s, p, rc);
        if (id) return problem(p, "ref", "'%s' is already used", ref);
    }
    if ((rc = code_field(CODES_SOURCE, r->source, source, sizeof source, true, p))) return rc;
    if ((rc = code_field(CODES_ISSUE, r->issue, issue, sizeof issue, true, p))) return rc;
    if ((rc = check_other_issues(r->other_issues, other, sizeof other, p))) return rc;
    if ((rc = code_field(CODES_CARE_STATUS, r->care_status, care, sizeof care, false, p)))
        return rc;
    if ((rc = code_field(CODES_SEN, r->sen, sen, sizeof sen, false, p))) return rc;
    if (!*care) snprintf(care, sizeof care, "%s", care_now);
    if (!*sen) snprintf(sen, sizeof sen, "%s", sen_now);
    if (!*care) return problem(p, "care_status", "required (none is recorded for the child)");
    if (!*sen) return problem(p, "sen", "required (none is recorded for the child)");
    if ((rc = officer_field(s, r->officer, officer, p))) return rc;
    if ((rc = text_field("summary", r->summary, summary, sizeof summary, false, p))) return rc;

    if ((rc = store_begin(s))) return store_problem(s, p, rc);
    if (!child_id) {
        int64_t school_id = 0;
        if ((*ch.school_urn || *ch.school_name) &&
            (rc = records_school_ensure(s, ch.school_urn, ch.school_name, &school_id)))
            return fail(s, p, rc);
        records_child rc_child = {
            .upn = ch.upn,
            .la_child_id = ch.la_child_id,
            .first_name = ch.first_name,
            .last_name = ch.last_name,
            .dob = ch.dob,
            .gender = ch.gender,
            .school_id = school_id,
            .care_status = ch.care_status,
            .sen = ch.sen,
            .sen_need = ch.sen_need,
            .youth_justice = c->youth_justice ? 1 : 0,
        };
        if ((rc = records_child_insert(s, &rc_child, &child_id))) return fail(s, p, rc);
        if ((rc = store_audit(s, "insert", "children", child_id, NULL))) return fail(s, p, rc);
    }
    int64_t officer_id = 0;
    if (*officer && (rc = records_officer_ensure(s, officer, &officer_id))) return fail(s, p, rc);
    records_referral rr = {
        .ref = ref,
        .received = received,
        .source = source,
        .issue = issue,
        .other_issues = other,
        .pex_risk = r->pex_risk ? 1 : 0,
        .child_id = child_id,
        .status = "new",
        .closed = NULL,
        .officer_id = officer_id,
        .care_status = care,
        .sen = sen,
        .summary = summary,
    };
    records_result res;
    int64_t rid = 0;
    if ((rc = records_referral_put(s, &rr, &res, &rid))) return fail(s, p, rc);
    if (res != RECORDS_ADDED) {
        store_rollback(s);
        return problem(p, "ref", "'%s' is already used", ref);
    }
    if ((rc = records_child_status_if_newest(s, child_id, ref, received, care, sen, NULL)))
        return fail(s, p, rc);
    if ((rc = store_audit(s, "insert", "referrals", rid, NULL))) return fail(s, p, rc);
    if ((rc = finish(s, cfg, as_of, child_id, p))) return rc;
    if (referral_id) *referral_id = rid;
    if (child_id_out) *child_id_out = child_id;
    return EXIT_OK;
}

/* Reads the referral, or says it does not exist. */
static int get_referral(store *s, int64_t id, edit_referral *r, record_problem *p)
{
    int rc = edit_referral_get(s, id, r);
    if (rc == EXIT_FOUND) return problem(p, "referral", "no such referral");
    if (rc) return store_problem(s, p, rc);
    return EXIT_OK;
}

/* A kind of action (field_action_kind: a word, kept lower case). */
static int kind_field(const char *s, char out[FIELD_KIND_MAX + 1], record_problem *p)
{
    char t[64], why[FIELD_WHY];
    if (!trim(s, t, sizeof t)) return problem(p, "kind", "a word such as call, email or visit");
    if (!*t) return problem(p, "kind", "required");
    if (!field_action_kind(t, strlen(t), out, why))
        return problem(p, "kind", "a word such as call, email or visit");
    return EXIT_OK;
}

int record_action_add(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                      const record_action *a, int64_t *action_id, record_problem *p)
{
    clear(p);
    edit_referral r;
    int rc = get_referral(s, referral_id, &r, p);
    if (rc) return rc;
    char date[11], follow[11], officer[16], kind[32], note[2048];
    if ((rc = date_field("date", a->date, date, true, &as_of, p))) return rc;
    if ((rc = past_field("date", date, as_of, p))) return rc;
    if ((rc = officer_field(s, a->officer, officer, p))) return rc;
    if ((rc = kind_field(a->kind, kind, p))) return rc;
    if ((rc = text_field("note", a->note, note, sizeof note, false, p))) return rc;
    if ((rc = date_field("follow_up", a->follow_up, follow, false, NULL, p))) return rc;
    if (*follow && strcmp(follow, date) < 0)
        return problem(p, "follow_up", "before the action's date (%s)", date);

    if ((rc = store_begin(s))) return store_problem(s, p, rc);
    /* The follow-ups this action does, read before it adds its own. */
    enum { MAX_PENDING = 64 };
    browse_follow_up pending[MAX_PENDING];
    int npending = 0;
    if (a->done_pending &&
        (rc = browse_follow_ups_pending(s, referral_id, pending, MAX_PENDING, &npending)))
        return fail(s, p, rc);
    int64_t officer_id = 0, id = 0;
    if (*officer && (rc = records_officer_ensure(s, officer, &officer_id))) return fail(s, p, rc);
    if ((rc = edit_action_insert(s, referral_id, date, officer_id, kind, note, follow, &id)))
        return fail(s, p, rc);
    if ((rc = store_audit(s, "insert", "actions", id, NULL))) return fail(s, p, rc);
    for (int i = 0; i < npending; i++) {
        int64_t done_id = 0;
        if ((rc = edit_follow_up_done(s, pending[i].action_id, date, officer_id, id, &done_id)))
            return fail(s, p, rc);
        if ((rc = store_audit(s, "insert", "follow_up_done", done_id, NULL))) return fail(s, p, rc);
    }
    if ((rc = finish(s, cfg, as_of, r.child_id, p))) return rc;
    if (action_id) *action_id = id;
    return EXIT_OK;
}

int record_follow_up_done(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                          int64_t action_id, const char *date, const char *officer,
                          record_problem *p)
{
    clear(p);
    edit_referral r;
    int rc = get_referral(s, referral_id, &r, p);
    if (rc) return rc;
    char d[11], initials[16];
    if ((rc = date_field("date", date, d, true, &as_of, p))) return rc;
    if ((rc = officer_field(s, officer, initials, p))) return rc;
    enum { MAX_PENDING = 64 };
    browse_follow_up pending[MAX_PENDING];
    int n = 0;
    if ((rc = browse_follow_ups_pending(s, referral_id, pending, MAX_PENDING, &n)))
        return store_problem(s, p, rc);
    const browse_follow_up *fu = NULL;
    for (int i = 0; i < n; i++)
        if (pending[i].action_id == action_id) fu = &pending[i];
    if (!fu) return problem(p, "follow_up", "no pending follow-up on that action");
    if (strcmp(d, fu->date) < 0)
        return problem(p, "date", "before the action's date (%s)", fu->date);
    if ((rc = store_begin(s))) return store_problem(s, p, rc);
    int64_t officer_id = 0, id = 0;
    if (*initials && (rc = records_officer_ensure(s, initials, &officer_id))) return fail(s, p, rc);
    if ((rc = edit_follow_up_done(s, action_id, d, officer_id, 0, &id))) return fail(s, p, rc);
    if ((rc = store_audit(s, "insert", "follow_up_done", id, NULL))) return fail(s, p, rc);
    return finish(s, cfg, as_of, r.child_id, p);
}

/* Checks an outcome's fields. */
static int check_outcome(date_t as_of, const edit_referral *r, const char *outcome,
                         const char *date, const char *note, char code[32], char d[11], char *n,
                         size_t nn, record_problem *p)
{
    int rc;
    if ((rc = code_field(CODES_OUTCOME, outcome, code, 32, true, p))) return rc;
    if ((rc = date_field("date", date, d, true, &as_of, p))) return rc;
    if ((rc = past_field("date", d, as_of, p))) return rc;
    if (strcmp(d, r->received) < 0)
        return problem(p, "date", "before the referral was received (%s)", r->received);
    return text_field("note", note, n, nn, false, p);
}

int record_outcome_add(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                       const char *outcome, const char *date, const char *note, int64_t *outcome_id,
                       record_problem *p)
{
    clear(p);
    edit_referral r;
    int rc = get_referral(s, referral_id, &r, p);
    if (rc) return rc;
    char code[32], d[11], n[2048];
    if ((rc = check_outcome(as_of, &r, outcome, date, note, code, d, n, sizeof n, p))) return rc;
    if ((rc = store_begin(s))) return store_problem(s, p, rc);
    int64_t id = 0;
    if ((rc = edit_outcome_insert(s, referral_id, d, code, n, &id))) return fail(s, p, rc);
    if ((rc = store_audit(s, "insert", "outcomes", id, NULL))) return fail(s, p, rc);
    if ((rc = finish(s, cfg, as_of, r.child_id, p))) return rc;
    if (outcome_id) *outcome_id = id;
    return EXIT_OK;
}

int record_close(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                 const char *outcome, const char *date, const char *note, record_problem *p)
{
    clear(p);
    edit_referral r;
    int rc = get_referral(s, referral_id, &r, p);
    if (rc) return rc;
    if (strcmp(r.status, "closed") == 0)
        return problem(p, "status", "the referral is already closed");
    char code[32], d[11], n[2048];
    if ((rc = check_outcome(as_of, &r, outcome, date, note, code, d, n, sizeof n, p))) return rc;
    if ((rc = store_begin(s))) return store_problem(s, p, rc);
    int64_t id = 0;
    if ((rc = edit_outcome_insert(s, referral_id, d, code, n, &id))) return fail(s, p, rc);
    if ((rc = store_audit(s, "insert", "outcomes", id, NULL))) return fail(s, p, rc);
    if ((rc = edit_referral_update(s, referral_id, r.issue, "closed", d, r.officer_id, r.pex_risk)))
        return fail(s, p, rc);
    if ((rc = store_audit(s, "close", "referrals", referral_id, "status,closed")))
        return fail(s, p, rc);
    return finish(s, cfg, as_of, r.child_id, p);
}

/* A field the save would change that another program changed since the form opened (SPEC
 * section 8: nothing is overwritten silently): rolls back and says both values. */
static int conflict(store *s, record_problem *p, const char *field, const char *now,
                    const char *opened, const char *yours)
{
    store_rollback(s);
    problem(p, field, "changed meanwhile to '%s' (it was '%s' when the form opened; yours: '%s')",
            now, opened, yours);
    if (p) {
        p->conflict = true;
        snprintf(p->theirs, sizeof p->theirs, "%s", now);
    }
    return EXIT_DATA;
}

/* Rolls back a check that failed inside the transaction. */
static int refuse(store *s, int rc)
{
    store_rollback(s);
    return rc;
}

static int reopening(store *s, date_t as_of, const edit_referral *r, const char *initials,
                     const char *reason);

int record_referral_edit(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                         const record_edit *e, record_problem *p)
{
    clear(p);
    /* Read, checked and written in one transaction, so that no other change comes between the
     * check against what the form was opened with and the write. */
    int rc = store_begin(s);
    if (rc) return store_problem(s, p, rc);
    edit_referral r;
    if ((rc = get_referral(s, referral_id, &r, p))) return refuse(s, rc);
    /* What the user started from: the form's values when it opened, else the row as it is. */
    const edit_referral *base = e->opened ? e->opened : &r;
    char status[16], issue[32], officer[16];
    snprintf(status, sizeof status, "%s", base->status);
    snprintf(issue, sizeof issue, "%s", base->issue);
    snprintf(officer, sizeof officer, "%s", base->officer);
    bool pex = base->pex_risk;
    if (e->status && (rc = code_field(CODES_STATUS, e->status, status, sizeof status, true, p)))
        return refuse(s, rc);
    if (e->issue && (rc = code_field(CODES_ISSUE, e->issue, issue, sizeof issue, true, p)))
        return refuse(s, rc);
    if (e->officer && (rc = officer_field(s, e->officer, officer, p))) return refuse(s, rc);
    if (e->pex_risk >= 0) pex = e->pex_risk != 0;
    /* Only the fields the user changed are written; each must still hold what the form opened
     * with (or already what the user wants). */
    bool ch_status = strcmp(status, base->status) != 0, ch_issue = strcmp(issue, base->issue) != 0;
    bool ch_officer = strcmp(officer, base->officer) != 0, ch_pex = pex != base->pex_risk;
    if (ch_status && strcmp(r.status, base->status) != 0 && strcmp(r.status, status) != 0)
        return conflict(s, p, "status", r.status, base->status, status);
    if (ch_issue && strcmp(r.issue, base->issue) != 0 && strcmp(r.issue, issue) != 0)
        return conflict(s, p, "issue", r.issue, base->issue, issue);
    if (ch_officer && strcmp(r.officer, base->officer) != 0 && strcmp(r.officer, officer) != 0)
        return conflict(s, p, "officer", r.officer[0] ? r.officer : "(none)",
                        base->officer[0] ? base->officer : "(none)",
                        officer[0] ? officer : "(none)");
    if (ch_pex && r.pex_risk != base->pex_risk && r.pex_risk != pex)
        return conflict(s, p, "pex_risk", r.pex_risk ? "yes" : "no", base->pex_risk ? "yes" : "no",
                        pex ? "yes" : "no");
    if (!ch_status) snprintf(status, sizeof status, "%s", r.status);
    if (!ch_issue) snprintf(issue, sizeof issue, "%s", r.issue);
    if (!ch_officer) snprintf(officer, sizeof officer, "%s", r.officer);
    if (!ch_pex) pex = r.pex_risk;
    char closed[11];
    snprintf(closed, sizeof closed, "%s", r.closed);

    /* The field names that change, for the audit row. */
    char fields[64] = "";
#define CHANGED(name)                                                                              \
    snprintf(fields + strlen(fields), sizeof fields - strlen(fields), "%s%s", *fields ? "," : "",  \
             name)
    if (strcmp(status, r.status) != 0) {
        CHANGED("status");
        if (strcmp(status, "closed") == 0) /* closing records its outcome: record_close */
            return refuse(s, problem(p, "status",
                                     "a referral is closed with its outcome (key c), not by "
                                     "editing its status"));
        if (*closed) {
            closed[0] = '\0';
            CHANGED("closed");
        }
    }
    if (strcmp(issue, r.issue) != 0) CHANGED("issue");
    if (strcmp(officer, r.officer) != 0) CHANGED("officer");
    if (pex != r.pex_risk) CHANGED("pex_risk");
#undef CHANGED
    if (!*fields) return refuse(s, EXIT_OK);

    int64_t officer_id = 0;
    if (*officer && (rc = records_officer_ensure(s, officer, &officer_id))) return fail(s, p, rc);
    if ((rc = edit_referral_update(s, referral_id, issue, status, closed, officer_id, pex)))
        return fail(s, p, rc);
    if ((rc = store_audit(s, "update", "referrals", referral_id, fields))) return fail(s, p, rc);
    /* Out of closed: a reopening, kept like one made with record_reopen. */
    if (strcmp(r.status, "closed") == 0 && strcmp(status, "closed") != 0 &&
        (rc = reopening(s, as_of, &r, store_officer(s), "")))
        return fail(s, p, rc);
    return finish(s, cfg, as_of, r.child_id, p);
}

/* ---- corrections (migration 0015) ---- */

/* Checks who corrects and why: initials (or "") into initials, the reason into why. */
static int correction_by(store *s, const char *officer, const char *reason, char initials[16],
                         char why[2048], record_problem *p)
{
    int rc = officer_field(s, officer, initials, p);
    if (rc) return rc;
    return text_field("reason", reason, why, 2048, false, p);
}

/* Appends the reopening of closed referral r today by initials (or none) for reason, audited. */
static int reopening(store *s, date_t as_of, const edit_referral *r, const char *initials,
                     const char *reason)
{
    char today[11];
    date_format(as_of, today);
    int64_t officer_id = 0, id = 0;
    int rc;
    if (initials && *initials && (rc = records_officer_ensure(s, initials, &officer_id))) return rc;
    if ((rc = edit_reopening_insert(s, r->id, today, officer_id, r->closed, reason, &id)))
        return rc;
    return store_audit(s, "insert", "reopenings", id, NULL);
}

int record_reopen(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                  const char *officer, const char *reason, record_problem *p)
{
    clear(p);
    char initials[16], why[2048];
    int rc = correction_by(s, officer, reason, initials, why, p);
    if (rc) return rc;
    if ((rc = store_begin(s))) return store_problem(s, p, rc);
    edit_referral r;
    if ((rc = get_referral(s, referral_id, &r, p))) return refuse(s, rc);
    if (strcmp(r.status, "closed") != 0)
        return refuse(s, problem(p, "status", "the referral is not closed"));
    if ((rc =
             edit_referral_update(s, referral_id, r.issue, "open", NULL, r.officer_id, r.pex_risk)))
        return fail(s, p, rc);
    if ((rc = store_audit(s, "reopen", "referrals", referral_id, "status,closed")))
        return fail(s, p, rc);
    if ((rc = reopening(s, as_of, &r, initials, why))) return fail(s, p, rc);
    return finish(s, cfg, as_of, r.child_id, p);
}

/* Reads the entry to correct inside the transaction: it must be of referral_id and current. */
static int current_entry(store *s, bool outcome, int64_t referral_id, int64_t id, edit_entry *e,
                         record_problem *p)
{
    int rc = edit_entry_get(s, outcome, id, e);
    const char *what = outcome ? "outcome" : "action";
    if (rc == EXIT_FOUND || (!rc && e->referral_id != referral_id))
        return refuse(s, problem(p, what, "no such %s on this referral", what));
    if (rc) return fail(s, p, rc);
    if (!e->current) {
        refuse(s, problem(p, what,
                          "this %s was corrected meanwhile (amended or withdrawn): look at the "
                          "timeline again",
                          what));
        if (p) p->conflict = true;
        return EXIT_DATA;
    }
    return EXIT_OK;
}

/* Saves correction e of entry old (withdrawn or amended) by initials for reason, audited; an
 * amended action whose follow-up was done and stays the same keeps it done. */
static int save_correction(store *s, date_t as_of, bool outcome, const edit_entry *old,
                           const edit_entry *e, bool withdrawn, const char *initials,
                           const char *reason, int64_t *new_id, record_problem *p)
{
    char today[11];
    date_format(as_of, today);
    int64_t by = 0, id = 0;
    int rc;
    if (*initials && (rc = records_officer_ensure(s, initials, &by))) return fail(s, p, rc);
    if ((rc = edit_entry_correct(s, outcome, old, e, withdrawn, today, by, reason, &id)))
        return fail(s, p, rc);
    const char *table = outcome ? "outcomes" : "actions";
    if ((rc = store_audit(s, withdrawn ? "withdraw" : "amend", table, id, NULL)))
        return fail(s, p, rc);
    if (!outcome && !withdrawn && *old->done && strcmp(old->follow_up, e->follow_up) == 0) {
        int64_t done_id = 0;
        if ((rc = edit_follow_up_done(s, id, old->done, old->done_officer_id, 0, &done_id)))
            return fail(s, p, rc);
        if ((rc = store_audit(s, "insert", "follow_up_done", done_id, NULL))) return fail(s, p, rc);
    }
    if (new_id) *new_id = id;
    return EXIT_OK;
}

/* Begins the correction's transaction and reads referral_id into *r and its current entry id
 * (an outcome when outcome) into *old; on failure the transaction is over. */
static int correction_begin(store *s, bool outcome, int64_t referral_id, int64_t id,
                            edit_referral *r, edit_entry *old, record_problem *p)
{
    int rc = store_begin(s);
    if (rc) return store_problem(s, p, rc);
    if ((rc = get_referral(s, referral_id, r, p))) return refuse(s, rc);
    return current_entry(s, outcome, referral_id, id, old, p);
}

int record_action_amend(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                        int64_t action_id, const record_action *a, const char *officer,
                        const char *reason, int64_t *new_id, record_problem *p)
{
    clear(p);
    if (new_id) *new_id = 0;
    edit_entry e = {0};
    char initials[16], why[2048];
    int rc;
    if ((rc = date_field("date", a->date, e.date, true, &as_of, p))) return rc;
    if ((rc = past_field("date", e.date, as_of, p))) return rc;
    if ((rc = officer_field(s, a->officer, e.officer, p))) return rc;
    if ((rc = kind_field(a->kind, e.code, p))) return rc;
    if ((rc = text_field("note", a->note, e.note, sizeof e.note, false, p))) return rc;
    if ((rc = date_field("follow_up", a->follow_up, e.follow_up, false, NULL, p))) return rc;
    if (*e.follow_up && strcmp(e.follow_up, e.date) < 0)
        return problem(p, "follow_up", "before the action's date (%s)", e.date);
    if ((rc = correction_by(s, officer, reason, initials, why, p))) return rc;
    edit_referral r;
    edit_entry old;
    if ((rc = correction_begin(s, false, referral_id, action_id, &r, &old, p))) return rc;
    if (strcmp(old.date, e.date) == 0 && strcmp(old.officer, e.officer) == 0 &&
        strcmp(old.code, e.code) == 0 && strcmp(old.note, e.note) == 0 &&
        strcmp(old.follow_up, e.follow_up) == 0)
        return refuse(s, EXIT_OK); /* nothing to amend */
    if (*e.officer && (rc = records_officer_ensure(s, e.officer, &e.officer_id)))
        return fail(s, p, rc);
    if ((rc = save_correction(s, as_of, false, &old, &e, false, initials, why, new_id, p)))
        return rc;
    return finish(s, cfg, as_of, r.child_id, p);
}

int record_outcome_amend(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                         int64_t outcome_id, const char *outcome, const char *date,
                         const char *note, const char *officer, const char *reason, int64_t *new_id,
                         record_problem *p)
{
    clear(p);
    if (new_id) *new_id = 0;
    char initials[16], why[2048];
    int rc;
    if ((rc = correction_by(s, officer, reason, initials, why, p))) return rc;
    edit_referral r;
    if ((rc = get_referral(s, referral_id, &r, p))) return rc;
    edit_entry e = {0};
    if ((rc = check_outcome(as_of, &r, outcome, date, note, e.code, e.date, e.note, sizeof e.note,
                            p)))
        return rc;
    edit_entry old;
    if ((rc = correction_begin(s, true, referral_id, outcome_id, &r, &old, p))) return rc;
    if (strcmp(old.date, e.date) == 0 && strcmp(old.code, e.code) == 0 &&
        strcmp(old.note, e.note) == 0)
        return refuse(s, EXIT_OK);
    if ((rc = save_correction(s, as_of, true, &old, &e, false, initials, why, new_id, p)))
        return rc;
    return finish(s, cfg, as_of, r.child_id, p);
}

int record_withdraw(store *s, const config *cfg, date_t as_of, int64_t referral_id, bool outcome,
                    int64_t id, const char *officer, const char *reason, record_problem *p)
{
    clear(p);
    char initials[16], why[2048];
    int rc;
    if ((rc = correction_by(s, officer, reason, initials, why, p))) return rc;
    edit_referral r;
    edit_entry old;
    if ((rc = correction_begin(s, outcome, referral_id, id, &r, &old, p))) return rc;
    if ((rc = save_correction(s, as_of, outcome, &old, &old, true, initials, why, NULL, p)))
        return rc;
    return finish(s, cfg, as_of, r.child_id, p);
}

/* ---- the facts the matrix scores ---- */

/* Reads the child, or says it does not exist. */
static int get_child(store *s, int64_t id, browse_child *c, record_problem *p)
{
    int rc = browse_child_get(s, id, c);
    if (rc == EXIT_FOUND) return problem(p, "child", "no such child");
    if (rc) return store_problem(s, p, rc);
    return EXIT_OK;
}

/* A date field of the child's life (out[11]): required, not before the child's birth, and when
 * past, not after the as-of date. */
static int life_date(const char *field, const char *s, char out[11], const browse_child *c,
                     bool past, date_t as_of, record_problem *p)
{
    int rc = date_field(field, s, out, true, NULL, p);
    if (!rc && past) rc = past_field(field, out, as_of, p);
    if (rc) return rc;
    date_t d, born;
    char why[FIELD_WHY];
    if (date_parse(out, 10, &d) && date_parse(c->dob, strlen(c->dob), &born) &&
        !field_date_from(d, born, "the child's date of birth", why))
        return problem(p, field, "'%s' %s", out, why);
    return EXIT_OK;
}

/* A date out[11] (a date_field) not before first (named name). */
static int from_field(const char *field, const char *out, const char *first, const char *name,
                      record_problem *p)
{
    date_t d, f;
    char why[FIELD_WHY];
    if (!*out || !date_parse(out, 10, &d) || !date_parse(first, strlen(first), &f) ||
        field_date_from(d, f, name, why))
        return EXIT_OK;
    return problem(p, field, "'%s' %s", out, why);
}

/* A number field read by rule (field_days, field_hours: "" is unknown, *out = -1). */
static int number_field(const char *field, const char *s,
                        bool (*rule)(const char *, size_t, double *, char *), bool required,
                        double *out, record_problem *p)
{
    char t[64], why[FIELD_WHY];
    *out = -1;
    if (!trim(s, t, sizeof t)) return problem(p, field, "not a number");
    if (!*t) return required ? problem(p, field, "required") : EXIT_OK;
    if (!rule(t, strlen(t), out, why)) {
        if (!text_is_clean(t)) return problem(p, field, "not a number");
        return problem(p, field, "'%s' %s", t, why);
    }
    return EXIT_OK;
}

/* A number of sessions (field_sessions), required. */
static int sessions_field(const char *field, const char *s, long *out, record_problem *p)
{
    char t[64], why[FIELD_WHY];
    if (!trim(s, t, sizeof t)) return problem(p, field, "not a number");
    if (!*t) return problem(p, field, "required");
    if (!field_sessions(t, strlen(t), out, why)) {
        if (!text_is_clean(t)) return problem(p, field, "not a number");
        return problem(p, field, "'%s' %s", t, why);
    }
    return EXIT_OK;
}

/* Ends a change about a child: audits the new row (in the child's access log), the score, commit.
 */
static int finish_fact(store *s, const config *cfg, date_t as_of, int64_t child_id,
                       const char *table, int64_t row_id, const char *detail, record_problem *p)
{
    int rc = store_audit_child(s, detail ? "update" : "insert", table, row_id, child_id, detail);
    if (rc) return fail(s, p, rc);
    return finish(s, cfg, as_of, child_id, p);
}

int record_exclusion_add(store *s, const config *cfg, date_t as_of, int64_t child_id,
                         const record_exclusion *x, int64_t *id, record_problem *p)
{
    clear(p);
    browse_child c;
    int rc = get_child(s, child_id, &c, p);
    if (rc) return rc;
    char start[11], category[16], reason[8];
    double days;
    if ((rc = life_date("start", x->start, start, &c, true, as_of, p))) return rc;
    if ((rc =
             code_field(CODES_EXCLUSION_CATEGORY, x->category, category, sizeof category, true, p)))
        return rc;
    if ((rc = number_field("days", x->days, field_days, false, &days, p))) return rc;
    if ((rc = code_field(CODES_EXCLUSION_REASON, x->reason, reason, sizeof reason, false, p)))
        return rc;
    if ((rc = store_begin(s))) return store_problem(s, p, rc);
    records_result res;
    int64_t xid = 0;
    if ((rc = records_exclusion_put(s, child_id, start, category, days, *reason ? reason : NULL,
                                    x->school_id, &res, &xid)))
        return fail(s, p, rc);
    if (res != RECORDS_ADDED)
        return refuse(s, problem(p, "start", "a %s starting %s is already recorded for the child",
                                 codes_label_of(CODES_EXCLUSION_CATEGORY, category), start));
    if ((rc = finish_fact(s, cfg, as_of, child_id, "exclusions", xid, NULL, p))) return rc;
    if (id) *id = xid;
    return EXIT_OK;
}

int record_attendance_add(store *s, const config *cfg, date_t as_of, int64_t child_id,
                          const record_attendance *a, int64_t *id, record_problem *p)
{
    clear(p);
    browse_child c;
    int rc = get_child(s, child_id, &c, p);
    if (rc) return rc;
    char from[11], to[11], why[FIELD_WHY];
    long possible, attended;
    if ((rc = life_date("from", a->from, from, &c, true, as_of, p))) return rc;
    if ((rc = life_date("to", a->to, to, &c, true, as_of, p))) return rc;
    if ((rc = from_field("to", to, from, "from", p))) return rc;
    if ((rc = sessions_field("possible_sessions", a->possible_sessions, &possible, p))) return rc;
    if ((rc = sessions_field("attended_sessions", a->attended_sessions, &attended, p))) return rc;
    if (!field_attended(attended, possible, why))
        return problem(p, "attended_sessions", "%ld %s", attended, why);
    if ((rc = store_begin(s))) return store_problem(s, p, rc);
    records_result res;
    int64_t tid = 0;
    if ((rc = records_attendance_put(s, child_id, from, to, possible, attended, &res, &tid)))
        return fail(s, p, rc);
    if (res != RECORDS_ADDED)
        return refuse(s, problem(p, "from",
                                 "an attendance record from %s to %s is already recorded for "
                                 "the child",
                                 from, to));
    if ((rc = finish_fact(s, cfg, as_of, child_id, "attendance", tid, NULL, p))) return rc;
    if (id) *id = tid;
    return EXIT_OK;
}

enum { MAX_OPEN_EPISODES = 32 };

int record_episode_open(store *s, const config *cfg, date_t as_of, int64_t child_id,
                        const record_episode *e, int64_t *id, record_problem *p)
{
    clear(p);
    browse_child c;
    int rc = get_child(s, child_id, &c, p);
    if (rc) return rc;
    char kind[32], start[11];
    double hours;
    if ((rc = code_field(CODES_EPISODE_KIND, e->kind, kind, sizeof kind, true, p))) return rc;
    if ((rc = life_date("start", e->start, start, &c, true, as_of, p))) return rc;
    if ((rc = number_field("hours_per_week", e->hours_per_week, field_hours, false, &hours, p)))
        return rc;
    /* Checked and written in one transaction: no other program opens the same meanwhile. */
    if ((rc = store_begin(s))) return store_problem(s, p, rc);
    edit_episode open[MAX_OPEN_EPISODES];
    int n = 0;
    if ((rc = edit_episodes_open(s, child_id, open, MAX_OPEN_EPISODES, &n))) return fail(s, p, rc);
    for (int i = 0; i < n; i++)
        if (strcmp(open[i].kind, kind) == 0)
            return refuse(s, problem(p, "kind",
                                     "the child has a %s episode open since %s: end it first",
                                     codes_label_of(CODES_EPISODE_KIND, kind), open[i].start));
    records_result res;
    int64_t eid = 0;
    if ((rc = records_episode_put(s, child_id, kind, start, NULL, hours,
                                  e->in_county < 0 ? -1 : e->in_county > 0, &res, &eid)))
        return fail(s, p, rc);
    if (res != RECORDS_ADDED)
        return refuse(s, problem(p, "start", "a %s episode starting %s is already recorded",
                                 codes_label_of(CODES_EPISODE_KIND, kind), start));
    if ((rc = finish_fact(s, cfg, as_of, child_id, "episodes", eid, NULL, p))) return rc;
    if (id) *id = eid;
    return EXIT_OK;
}

int record_episode_end(store *s, const config *cfg, date_t as_of, int64_t child_id,
                       int64_t episode_id, const char *end, record_problem *p)
{
    clear(p);
    browse_child c;
    int rc = get_child(s, child_id, &c, p);
    if (rc) return rc;
    char d[11];
    if ((rc = date_field("end", end, d, true, NULL, p))) return rc;
    if ((rc = store_begin(s))) return store_problem(s, p, rc);
    edit_episode open[MAX_OPEN_EPISODES];
    int n = 0;
    if ((rc = edit_episodes_open(s, child_id, open, MAX_OPEN_EPISODES, &n))) return fail(s, p, rc);
    const edit_episode *ep = NULL;
    for (int i = 0; i < n; i++)
        if (open[i].id == episode_id) ep = &open[i];
    if (!ep) return refuse(s, problem(p, "episode", "not open any more (ended meanwhile?)"));
    if ((rc = from_field("end", d, ep->start, "the episode's start", p))) return refuse(s, rc);
    bool ended;
    if ((rc = edit_episode_end(s, episode_id, d, &ended))) return fail(s, p, rc);
    if (!ended) return refuse(s, problem(p, "episode", "not open any more (ended meanwhile?)"));
    return finish_fact(s, cfg, as_of, child_id, "episodes", episode_id, "end", p);
}

/* The child's school as a conflict names it: its name, else its URN, else "(none)". */
static const char *school_label(const browse_child *c)
{
    return *c->school ? c->school : *c->school_urn ? c->school_urn : "(none)";
}

/* The child's facts as the user wants them: the form's values over what it opened with. */
typedef struct {
    char care[16], sen[24], need[8], swe[11];
    int64_t school;
    char school_name[160]; /* the school chosen, for a conflict's message */
    bool yj;
} child_facts;

/* Checks the values of ch over base (the child as the form opened) into *w; now is the child as
 * stored (inside the transaction). */
static int child_wanted(store *s, date_t as_of, const browse_child *base, const browse_child *now,
                        const record_child_change *ch, child_facts *w, record_problem *p)
{
    int rc;
    memset(w, 0, sizeof *w);
    snprintf(w->care, sizeof w->care, "%s", base->care_status);
    snprintf(w->sen, sizeof w->sen, "%s", base->sen);
    snprintf(w->need, sizeof w->need, "%s", base->sen_need);
    snprintf(w->swe, sizeof w->swe, "%s", base->social_work_ended);
    w->school = ch->school_id >= 0 ? ch->school_id : base->school_id;
    w->yj = ch->youth_justice >= 0 ? ch->youth_justice != 0 : base->youth_justice;
    if (ch->care_status &&
        (rc = code_field(CODES_CARE_STATUS, ch->care_status, w->care, sizeof w->care, true, p)))
        return rc;
    if (ch->sen && (rc = code_field(CODES_SEN, ch->sen, w->sen, sizeof w->sen, true, p))) return rc;
    if (ch->sen_need &&
        (rc = code_field(CODES_SEN_NEED, ch->sen_need, w->need, sizeof w->need, false, p)))
        return rc;
    if (w->school && w->school != now->school_id) {
        /* Only a school already known (a picker's choice), checked against the table. */
        browse_school sc;
        rc = browse_school_get(s, w->school, &sc);
        if (rc == EXIT_FOUND) return problem(p, "school", "no such school");
        if (rc) return store_problem(s, p, rc);
        snprintf(w->school_name, sizeof w->school_name, "%s", *sc.name ? sc.name : sc.urn);
    }
    if (ch->social_work_ended) {
        char t[64];
        if (!trim(ch->social_work_ended, t, sizeof t))
            return problem(p, "social_work_ended", "not a date (YYYY-MM-DD)");
        w->swe[0] = '\0';
        if (*t && (rc = life_date("social_work_ended", t, w->swe, now, true, as_of, p))) return rc;
    }
    return EXIT_OK;
}

/* Compares what the user wants (*w) with base (as the form opened) and now (as stored): a field
 * the user changed that another program changed since is a conflict (rolled back); a field the
 * user left as it was takes now's value. The names of the fields that change go into fields. */
static int child_changes(store *s, const browse_child *base, const browse_child *now,
                         child_facts *w, char *fields, size_t n, record_problem *p)
{
    fields[0] = '\0';
#define CHANGED(name)                                                                              \
    snprintf(fields + strlen(fields), n - strlen(fields), "%s%s", *fields ? "," : "", name)
#define TEXT_FIELD(name, mine, member)                                                             \
    do {                                                                                           \
        if (strcmp(mine, base->member) == 0) {                                                     \
            snprintf(mine, sizeof mine, "%s", now->member);                                        \
        } else {                                                                                   \
            if (strcmp(now->member, base->member) != 0 && strcmp(now->member, mine) != 0)          \
                return conflict(s, p, name, *now->member ? now->member : "(none)",                 \
                                *base->member ? base->member : "(none)", *mine ? mine : "(none)"); \
            if (strcmp(mine, now->member) != 0) CHANGED(name);                                     \
        }                                                                                          \
    } while (0)
    TEXT_FIELD("care_status", w->care, care_status);
    TEXT_FIELD("sen", w->sen, sen);
    TEXT_FIELD("sen_need", w->need, sen_need);
    TEXT_FIELD("social_work_ended", w->swe, social_work_ended);
#undef TEXT_FIELD
    if (w->school == base->school_id) {
        w->school = now->school_id;
    } else {
        if (now->school_id != base->school_id && now->school_id != w->school)
            return conflict(s, p, "school", school_label(now), school_label(base),
                            w->school ? w->school_name : "(none)");
        if (w->school != now->school_id) CHANGED("school");
    }
    if (w->yj == base->youth_justice) {
        w->yj = now->youth_justice;
    } else {
        if (now->youth_justice != base->youth_justice && now->youth_justice != w->yj)
            return conflict(s, p, "youth_justice", now->youth_justice ? "yes" : "no",
                            base->youth_justice ? "yes" : "no", w->yj ? "yes" : "no");
        if (w->yj != now->youth_justice) CHANGED("youth_justice");
    }
#undef CHANGED
    return EXIT_OK;
}

int record_child_edit(store *s, const config *cfg, date_t as_of, int64_t child_id,
                      const record_child_change *ch, record_problem *p)
{
    clear(p);
    /* Read, checked and written in one transaction, as record_referral_edit. */
    int rc = store_begin(s);
    if (rc) return store_problem(s, p, rc);
    browse_child now;
    if ((rc = get_child(s, child_id, &now, p))) return refuse(s, rc);
    const browse_child *base = ch->opened ? ch->opened : &now;
    child_facts w;
    if ((rc = child_wanted(s, as_of, base, &now, ch, &w, p))) return refuse(s, rc);
    char fields[96];
    if ((rc = child_changes(s, base, &now, &w, fields, sizeof fields, p))) return rc;
    if (!*fields) return refuse(s, EXIT_OK);
    if ((rc = edit_child_update(s, child_id, w.care, w.sen, w.need, w.school, w.yj, w.swe)))
        return fail(s, p, rc);
    if ((rc = store_audit(s, "update", "children", child_id, fields))) return fail(s, p, rc);
    return finish(s, cfg, as_of, child_id, p);
}
