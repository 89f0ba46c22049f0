/* record.c: what a user can change, one saved change at a time (see record.h); here the
 * referrals: a new one (with a new child or for one already known) and an edit of one. Each
 * function checks everything first, then writes in one transaction: the rows (records.h for
 * schools, officers, children and new referrals; edit.h for referral edits), an audit row naming
 * ids and field names only, and the child's score. The same for what happens on a referral
 * (record_events.c) and for the facts of a child (record_facts.c); the field checks and the ends
 * of a change they share are in record_fields.c (record_internal.h). */
#include "record_internal.h"

#include "caseload/browse.h"
#include "caseload/codes.h"
#include "caseload/edit.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/records.h"
#include "caseload/text.h"
#include "caseload/upn.h"

#include <stdio.h>
#include <string.h>

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
    if (!rec_trim(c->upn, t, sizeof t)) return rec_problem(p, "upn", "must be 13 characters");
    if (*t) {
        const char *reason = NULL;
        if (upn_check(t, o->upn, &reason) == UPN_INVALID)
            return rec_problem(p, "upn", "%s", reason ? reason : "not a valid UPN");
    }
    if ((rc = rec_text_field("la_child_id", c->la_child_id, o->la_child_id, sizeof o->la_child_id,
                             false, p)))
        return rc;
    if (!*o->upn && !*o->la_child_id)
        return rec_problem(p, "upn", "a UPN or an LA child id is required");
    if ((rc = rec_text_field("first_name", c->first_name, o->first_name, sizeof o->first_name, true,
                             p)))
        return rc;
    if ((rc =
             rec_text_field("last_name", c->last_name, o->last_name, sizeof o->last_name, true, p)))
        return rc;
    if ((rc = rec_date_field("dob", c->dob, o->dob, true, NULL, p))) return rc;
    if ((rc = rec_past_field("dob", o->dob, as_of, p))) return rc;
    if ((rc = rec_code_field(CODES_GENDER, c->gender, o->gender, sizeof o->gender, false, p)))
        return rc;
    if ((rc = rec_text_field("school_urn", c->school_urn, o->school_urn, sizeof o->school_urn,
                             false, p)))
        return rc;
    if ((rc = rec_text_field("school_name", c->school_name, o->school_name, sizeof o->school_name,
                             false, p)))
        return rc;
    if ((rc = rec_code_field(CODES_CARE_STATUS, c->care_status, o->care_status,
                             sizeof o->care_status, true, p)))
        return rc;
    if ((rc = rec_code_field(CODES_SEN, c->sen, o->sen, sizeof o->sen, true, p))) return rc;
    if ((rc = rec_code_field(CODES_SEN_NEED, c->sen_need, o->sen_need, sizeof o->sen_need, false,
                             p)))
        return rc;
    /* The keys must be new. */
    records_child_key k;
    if (*o->upn) {
        if ((rc = records_child_find(s, o->upn, NULL, &k))) return rec_store_problem(s, p, rc);
        if (k.id) return rec_problem(p, "upn", "a child with this UPN is already recorded");
    }
    if (*o->la_child_id) {
        if ((rc = records_child_find(s, NULL, o->la_child_id, &k)))
            return rec_store_problem(s, p, rc);
        if (k.id)
            return rec_problem(p, "la_child_id",
                               "a child with this LA child id is already recorded");
    }
    return EXIT_OK;
}

int record_child_check(store *s, date_t as_of, const record_child *c, record_problem *p)
{
    rec_clear(p);
    child_in ch;
    return check_child(s, as_of, c, &ch, p);
}

/* other_issues: ';'-separated issue codes, as field_codes reads them (no blanks, no repeats). */
static int check_other_issues(const char *s, char *out, size_t n, record_problem *p)
{
    char t[512];
    out[0] = '\0';
    if (!rec_trim(s, t, sizeof t)) return rec_problem(p, "other_issues", "too long");
    buf b = BUF_INIT;
    const char *bad;
    size_t badn;
    int rc = EXIT_OK;
    if (!field_codes(CODES_ISSUE, t, strlen(t), &b, &bad, &badn)) {
        rc = rec_code_problem(p, "other_issues", CODES_ISSUE, bad, badn);
    } else if (b.len >= n) {
        rc = rec_problem(p, "other_issues", "too long");
    } else if (b.len) {
        memcpy(out, b.data, b.len + 1);
    }
    buf_free(&b);
    return rc;
}

/* The checked fields of a new referral. */
typedef struct {
    char ref[64], received[11], source[32], issue[32], other[256], care[16], sen[24];
    char officer[16], summary[2048];
} referral_in;

/* Checks referral r of a child born on dob ("" unknown) whose care status and SEN are care_now
 * and sen_now (the referral's own default to them) into *o. */
static int check_referral(store *s, date_t as_of, const record_referral *r, const char *dob,
                          const char *care_now, const char *sen_now, referral_in *o,
                          record_problem *p)
{
    int rc;
    if ((rc = rec_date_field("received", r->received, o->received, true, NULL, p))) return rc;
    if ((rc = rec_past_field("received", o->received, as_of, p))) return rc;
    date_t rec;
    date_parse(o->received, 10, &rec);
    /* A child is born on or before the referral is received. */
    if ((rc = rec_from_field("received", o->received, dob, FIELD_FROM_BIRTH, p))) return rc;
    if ((rc = rec_text_field("ref", r->ref, o->ref, sizeof o->ref, false, p))) return rc;
    if (!*o->ref) {
        if ((rc = record_next_ref(s, rec, o->ref, sizeof o->ref)))
            return rec_store_problem(s, p, rc);
    } else {
        int64_t id = 0;
        if ((rc = records_referral_find(s, o->ref, &id, NULL))) return rec_store_problem(s, p, rc);
        if (id) return rec_problem(p, "ref", "'%s' is already used", o->ref);
    }
    if ((rc = rec_code_field(CODES_SOURCE, r->source, o->source, sizeof o->source, true, p)))
        return rc;
    if ((rc = rec_code_field(CODES_ISSUE, r->issue, o->issue, sizeof o->issue, true, p))) return rc;
    if ((rc = check_other_issues(r->other_issues, o->other, sizeof o->other, p))) return rc;
    if ((rc = rec_code_field(CODES_CARE_STATUS, r->care_status, o->care, sizeof o->care, false, p)))
        return rc;
    if ((rc = rec_code_field(CODES_SEN, r->sen, o->sen, sizeof o->sen, false, p))) return rc;
    if (!*o->care) snprintf(o->care, sizeof o->care, "%s", care_now);
    if (!*o->sen) snprintf(o->sen, sizeof o->sen, "%s", sen_now);
    if (!*o->care)
        return rec_problem(p, "care_status", "required (none is recorded for the child)");
    if (!*o->sen) return rec_problem(p, "sen", "required (none is recorded for the child)");
    if ((rc = rec_officer_field(s, r->officer, o->officer, p))) return rc;
    return rec_text_field("summary", r->summary, o->summary, sizeof o->summary, false, p);
}

/* Inserts the checked new child ch (youth_justice: its flag) with its school, audited, into
 * *child_id; inside the caller's transaction. */
static int insert_child(store *s, const child_in *ch, bool youth_justice, int64_t *child_id)
{
    int64_t school_id = 0;
    int rc;
    if ((*ch->school_urn || *ch->school_name) &&
        (rc = records_school_ensure(s, ch->school_urn, ch->school_name, &school_id)))
        return rc;
    records_child row = {
        .upn = ch->upn,
        .la_child_id = ch->la_child_id,
        .first_name = ch->first_name,
        .last_name = ch->last_name,
        .dob = ch->dob,
        .gender = ch->gender,
        .school_id = school_id,
        .care_status = ch->care_status,
        .sen = ch->sen,
        .sen_need = ch->sen_need,
        .youth_justice = youth_justice ? 1 : 0,
    };
    if ((rc = records_child_insert(s, &row, child_id))) return rc;
    return store_audit(s, "insert", "children", *child_id, NULL);
}

int record_referral_create(store *s, const config *cfg, date_t as_of, int64_t child_id,
                           const record_child *c, const record_referral *r, int64_t *referral_id,
                           int64_t *child_id_out, record_problem *p)
{
    rec_clear(p);
    int rc;
    child_in ch = {0};
    browse_child bc = {0};
    if (child_id) {
        if ((rc = rec_get_child(s, child_id, &bc, p))) return rc;
    } else {
        if (!c) return rec_problem(p, "child", "required");
        if ((rc = check_child(s, as_of, c, &ch, p))) return rc;
    }
    referral_in o;
    if ((rc = check_referral(s, as_of, r, child_id ? bc.dob : ch.dob,
                             child_id ? bc.care_status : ch.care_status, child_id ? bc.sen : ch.sen,
                             &o, p)))
        return rc;

    if ((rc = rec_begin(s, p))) return rc;
    if (!child_id && (rc = insert_child(s, &ch, c->youth_justice, &child_id)))
        return rec_fail(s, p, rc);
    int64_t officer_id = 0;
    if (*o.officer && (rc = records_officer_ensure(s, o.officer, &officer_id)))
        return rec_fail(s, p, rc);
    records_referral rr = {
        .ref = o.ref,
        .received = o.received,
        .source = o.source,
        .issue = o.issue,
        .other_issues = o.other,
        .pex_risk = r->pex_risk ? 1 : 0,
        .child_id = child_id,
        .status = "new",
        .closed = NULL,
        .officer_id = officer_id,
        .care_status = o.care,
        .sen = o.sen,
        .summary = o.summary,
    };
    records_result res;
    int64_t rid = 0;
    if ((rc = records_referral_put(s, &rr, &res, &rid))) return rec_fail(s, p, rc);
    if (res != RECORDS_ADDED)
        return rec_refuse(s, rec_problem(p, "ref", "'%s' is already used", o.ref));
    if ((rc = records_child_status_if_newest(s, child_id, o.ref, o.received, o.care, o.sen, NULL)))
        return rec_fail(s, p, rc);
    rec_wrote w = {"insert", "referrals", rid, NULL, child_id, false};
    if ((rc = rec_end(s, cfg, as_of, &w, referral_id, p))) return rc;
    if (child_id_out) *child_id_out = child_id;
    return EXIT_OK;
}

/* The referral's fields as the user wants them: the form's values (e) over what it opened with
 * (base). */
typedef struct {
    char status[16], issue[32], officer[16];
    bool pex;
} edit_wanted;

static int edit_wanted_of(store *s, const record_edit *e, const edit_referral *base, edit_wanted *w,
                          record_problem *p)
{
    int rc;
    snprintf(w->status, sizeof w->status, "%s", base->status);
    snprintf(w->issue, sizeof w->issue, "%s", base->issue);
    snprintf(w->officer, sizeof w->officer, "%s", base->officer);
    w->pex = base->pex_risk;
    if (e->status &&
        (rc = rec_code_field(CODES_STATUS, e->status, w->status, sizeof w->status, true, p)))
        return rc;
    if (e->issue &&
        (rc = rec_code_field(CODES_ISSUE, e->issue, w->issue, sizeof w->issue, true, p)))
        return rc;
    if (e->officer && (rc = rec_officer_field(s, e->officer, w->officer, p))) return rc;
    if (e->pex_risk >= 0) w->pex = e->pex_risk != 0;
    return EXIT_OK;
}

/* Only the fields the user changed are written; each must still hold what the form opened with
 * (base) or already what the user wants, else a conflict (rolled back). A field the user left as
 * it was takes r's value (the row as it is now). */
static int edit_merge(store *s, const edit_referral *r, const edit_referral *base, edit_wanted *w,
                      record_problem *p)
{
    bool ch_status = strcmp(w->status, base->status) != 0;
    bool ch_issue = strcmp(w->issue, base->issue) != 0;
    bool ch_officer = strcmp(w->officer, base->officer) != 0, ch_pex = w->pex != base->pex_risk;
    if (ch_status && strcmp(r->status, base->status) != 0 && strcmp(r->status, w->status) != 0)
        return rec_conflict(s, p, "status", r->status, base->status, w->status);
    if (ch_issue && strcmp(r->issue, base->issue) != 0 && strcmp(r->issue, w->issue) != 0)
        return rec_conflict(s, p, "issue", r->issue, base->issue, w->issue);
    if (ch_officer && strcmp(r->officer, base->officer) != 0 && strcmp(r->officer, w->officer) != 0)
        return rec_conflict(s, p, "officer", r->officer[0] ? r->officer : "(none)",
                            base->officer[0] ? base->officer : "(none)",
                            w->officer[0] ? w->officer : "(none)");
    if (ch_pex && r->pex_risk != base->pex_risk && r->pex_risk != w->pex)
        return rec_conflict(s, p, "pex_risk", r->pex_risk ? "yes" : "no",
                            base->pex_risk ? "yes" : "no", w->pex ? "yes" : "no");
    if (!ch_status) snprintf(w->status, sizeof w->status, "%s", r->status);
    if (!ch_issue) snprintf(w->issue, sizeof w->issue, "%s", r->issue);
    if (!ch_officer) snprintf(w->officer, sizeof w->officer, "%s", r->officer);
    if (!ch_pex) w->pex = r->pex_risk;
    return EXIT_OK;
}

int record_referral_edit(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                         const record_edit *e, record_problem *p)
{
    rec_clear(p);
    /* Read, checked and written in one transaction, so that no other change comes between the
     * check against what the form was opened with and the write. */
    int rc = rec_begin(s, p);
    if (rc) return rc;
    edit_referral r;
    if ((rc = rec_get_referral(s, referral_id, &r, p))) return rec_refuse(s, rc);
    /* What the user started from: the form's values when it opened, else the row as it is. */
    const edit_referral *base = e->opened ? e->opened : &r;
    edit_wanted w;
    if ((rc = edit_wanted_of(s, e, base, &w, p))) return rec_refuse(s, rc);
    if ((rc = edit_merge(s, &r, base, &w, p))) return rc;
    char closed[11];
    snprintf(closed, sizeof closed, "%s", r.closed);

    /* The field names that change, for the audit row. */
    char fields[64] = "";
#define CHANGED(name)                                                                              \
    snprintf(fields + strlen(fields), sizeof fields - strlen(fields), "%s%s", *fields ? "," : "",  \
             name)
    if (strcmp(w.status, r.status) != 0) {
        CHANGED("status");
        if (strcmp(w.status, "closed") == 0) /* closing records its outcome: record_close */
            return rec_refuse(s,
                              rec_problem(p, "status",
                                          "a referral is closed with its outcome (key c), not by "
                                          "editing its status"));
        if (*closed) {
            closed[0] = '\0';
            CHANGED("closed");
        }
    }
    if (strcmp(w.issue, r.issue) != 0) CHANGED("issue");
    if (strcmp(w.officer, r.officer) != 0) CHANGED("officer");
    if (w.pex != r.pex_risk) CHANGED("pex_risk");
#undef CHANGED
    if (!*fields) return rec_refuse(s, EXIT_OK);

    int64_t officer_id = 0;
    if (*w.officer && (rc = records_officer_ensure(s, w.officer, &officer_id)))
        return rec_fail(s, p, rc);
    if ((rc = edit_referral_update(s, referral_id, w.issue, w.status, closed, officer_id, w.pex)))
        return rec_fail(s, p, rc);
    if ((rc = store_audit(s, "update", "referrals", referral_id, fields)))
        return rec_fail(s, p, rc);
    /* Out of closed: a reopening, kept like one made with record_reopen. */
    if (strcmp(r.status, "closed") == 0 && strcmp(w.status, "closed") != 0 &&
        (rc = rec_reopening(s, as_of, &r, store_officer(s), "")))
        return rec_fail(s, p, rc);
    return rec_finish(s, cfg, as_of, r.child_id, p);
}
