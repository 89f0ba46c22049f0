/* record_events.c: what happens on a referral (record.h): actions and their follow-ups,
 * outcomes, closing and reopening, and the corrections of migration 0015 (an action or outcome
 * amended or withdrawn by a new row, never edited in place). */
#include "record_internal.h"

#include "caseload/browse.h"
#include "caseload/codes.h"
#include "caseload/edit.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/records.h"
#include "caseload/text.h"

#include <stdio.h>
#include <string.h>

int record_action_add(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                      const record_action *a, int64_t *action_id, record_problem *p)
{
    edit_referral r;
    int rc = rec_get_referral(s, referral_id, &r, p);
    if (rc) return rc;
    char date[11], follow[11], officer[16], kind[32], note[2048];
    if ((rc = rec_date_field("date", a->date, date, true, &as_of, p))) return rc;
    if ((rc = rec_past_field("date", date, as_of, p))) return rc;
    if ((rc = rec_officer_field(s, a->officer, officer, p))) return rc;
    if ((rc = rec_kind_field(a->kind, kind, p))) return rc;
    if ((rc = rec_text_field("note", a->note, note, sizeof note, false, p))) return rc;
    if ((rc = rec_date_field("follow_up", a->follow_up, follow, false, NULL, p))) return rc;
    if ((rc = rec_from_field("follow_up", follow, date, FIELD_FROM_ACTION, p))) return rc;

    if ((rc = rec_begin(s, p))) return rc;
    /* The follow-ups this action does, read before it adds its own. */
    enum { MAX_PENDING = 64 };
    browse_follow_up pending[MAX_PENDING];
    int npending = 0;
    if (a->done_pending &&
        (rc = browse_follow_ups_pending(s, referral_id, pending, MAX_PENDING, &npending)))
        return rec_fail(s, p, rc);
    int64_t officer_id = 0, id = 0;
    if (*officer && (rc = records_officer_ensure(s, officer, &officer_id)))
        return rec_fail(s, p, rc);
    if ((rc = edit_action_insert(s, referral_id, date, officer_id, kind, note, follow, &id)))
        return rec_fail(s, p, rc);
    if ((rc = store_audit(s, "insert", "actions", id, NULL))) return rec_fail(s, p, rc);
    for (int i = 0; i < npending; i++) {
        int64_t done_id = 0;
        if ((rc = edit_follow_up_done(s, pending[i].action_id, date, officer_id, id, &done_id)))
            return rec_fail(s, p, rc);
        if ((rc = store_audit(s, "insert", "follow_up_done", done_id, NULL)))
            return rec_fail(s, p, rc);
    }
    if ((rc = rec_finish(s, cfg, as_of, r.child_id, p))) return rc;
    if (action_id) *action_id = id;
    return EXIT_OK;
}

int record_follow_up_done(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                          int64_t action_id, const char *date, const char *officer,
                          record_problem *p)
{
    edit_referral r;
    int rc = rec_get_referral(s, referral_id, &r, p);
    if (rc) return rc;
    char d[11], initials[16];
    if ((rc = rec_date_field("date", date, d, true, &as_of, p))) return rc;
    if ((rc = rec_officer_field(s, officer, initials, p))) return rc;
    enum { MAX_PENDING = 64 };
    browse_follow_up pending[MAX_PENDING];
    int n = 0;
    if ((rc = browse_follow_ups_pending(s, referral_id, pending, MAX_PENDING, &n)))
        return rec_store_problem(s, p, rc);
    const browse_follow_up *fu = NULL;
    for (int i = 0; i < n; i++)
        if (pending[i].action_id == action_id) fu = &pending[i];
    if (!fu) return rec_problem(p, "follow_up", "no pending follow-up on that action");
    if ((rc = rec_from_field("date", d, fu->date, FIELD_FROM_ACTION, p))) return rc;
    if ((rc = rec_begin(s, p))) return rc;
    int64_t officer_id = 0, id = 0;
    if (*initials && (rc = records_officer_ensure(s, initials, &officer_id)))
        return rec_fail(s, p, rc);
    if ((rc = edit_follow_up_done(s, action_id, d, officer_id, 0, &id))) return rec_fail(s, p, rc);
    rec_wrote w = {"insert", "follow_up_done", id, NULL, r.child_id, false};
    return rec_end(s, cfg, as_of, &w, NULL, p);
}

/* Checks an outcome's fields. */
static int check_outcome(date_t as_of, const edit_referral *r, const char *outcome,
                         const char *date, const char *note, char code[32], char d[11], char *n,
                         size_t nn, record_problem *p)
{
    int rc;
    if ((rc = rec_code_field(CODES_OUTCOME, outcome, code, 32, true, p))) return rc;
    if ((rc = rec_date_field("date", date, d, true, &as_of, p))) return rc;
    if ((rc = rec_past_field("date", d, as_of, p))) return rc;
    if ((rc = rec_from_field("date", d, r->received, FIELD_FROM_RECEIVED, p))) return rc;
    return rec_text_field("note", note, n, nn, false, p);
}

int record_outcome_add(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                       const char *outcome, const char *date, const char *note, int64_t *outcome_id,
                       record_problem *p)
{
    edit_referral r;
    int rc = rec_get_referral(s, referral_id, &r, p);
    if (rc) return rc;
    char code[32], d[11], n[2048];
    if ((rc = check_outcome(as_of, &r, outcome, date, note, code, d, n, sizeof n, p))) return rc;
    if ((rc = rec_begin(s, p))) return rc;
    int64_t id = 0;
    if ((rc = edit_outcome_insert(s, referral_id, d, code, n, &id))) return rec_fail(s, p, rc);
    rec_wrote w = {"insert", "outcomes", id, NULL, r.child_id, false};
    return rec_end(s, cfg, as_of, &w, outcome_id, p);
}

int record_close(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                 const char *outcome, const char *date, const char *note, record_problem *p)
{
    edit_referral r;
    int rc = rec_get_referral(s, referral_id, &r, p);
    if (rc) return rc;
    if (strcmp(r.status, "closed") == 0)
        return rec_problem(p, "status", "the referral is already closed");
    char code[32], d[11], n[2048];
    if ((rc = check_outcome(as_of, &r, outcome, date, note, code, d, n, sizeof n, p))) return rc;
    if ((rc = rec_begin(s, p))) return rc;
    int64_t id = 0;
    if ((rc = edit_outcome_insert(s, referral_id, d, code, n, &id))) return rec_fail(s, p, rc);
    if ((rc = store_audit(s, "insert", "outcomes", id, NULL))) return rec_fail(s, p, rc);
    if ((rc = edit_referral_update(s, referral_id, r.issue, "closed", d, r.officer_id, r.pex_risk)))
        return rec_fail(s, p, rc);
    rec_wrote w = {"close", "referrals", referral_id, "status,closed", r.child_id, false};
    return rec_end(s, cfg, as_of, &w, NULL, p);
}

/* ---- corrections (migration 0015) ---- */

/* Checks who corrects and why: initials (or "") into initials, the reason into why. */
static int correction_by(store *s, const char *officer, const char *reason, char initials[16],
                         char why[2048], record_problem *p)
{
    int rc = rec_officer_field(s, officer, initials, p);
    if (rc) return rc;
    return rec_text_field("reason", reason, why, 2048, false, p);
}

/* Appends the reopening of closed referral r today by initials (or none) for reason, audited. */
int rec_reopening(store *s, date_t as_of, const edit_referral *r, const char *initials,
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

/* Reopens closed referral r (status open, the closed date cleared) on as_of by initials for
 * reason, audited and recorded as a reopening; inside the caller's transaction. */
static int reopen(store *s, date_t as_of, const edit_referral *r, const char *initials,
                  const char *reason)
{
    int rc = edit_referral_update(s, r->id, r->issue, "open", NULL, r->officer_id, r->pex_risk);
    if (!rc) rc = store_audit(s, "reopen", "referrals", r->id, "status,closed");
    if (!rc) rc = rec_reopening(s, as_of, r, initials, reason);
    return rc;
}

int record_reopen(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                  const char *officer, const char *reason, record_problem *p)
{
    rec_clear(p);
    char initials[16], why[2048];
    int rc = correction_by(s, officer, reason, initials, why, p);
    if (rc) return rc;
    if ((rc = rec_begin(s, p))) return rc;
    edit_referral r;
    if ((rc = rec_get_referral(s, referral_id, &r, p))) return rec_refuse(s, rc);
    if (strcmp(r.status, "closed") != 0)
        return rec_refuse(s, rec_problem(p, "status", "the referral is not closed"));
    if ((rc = reopen(s, as_of, &r, initials, why))) return rec_fail(s, p, rc);
    return rec_finish(s, cfg, as_of, r.child_id, p);
}

/* Reads the entry to correct inside the transaction: it must be of referral_id and current. */
static int current_entry(store *s, bool outcome, int64_t referral_id, int64_t id, edit_entry *e,
                         record_problem *p)
{
    int rc = edit_entry_get(s, outcome, id, e);
    const char *what = outcome ? "outcome" : "action";
    if (rc == EXIT_FOUND || (!rc && e->referral_id != referral_id))
        return rec_refuse(s, rec_problem(p, what, "no such %s on this referral", what));
    if (rc) return rec_fail(s, p, rc);
    if (!e->current) {
        rec_refuse(
            s, rec_problem(p, what,
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
    if (*initials && (rc = records_officer_ensure(s, initials, &by))) return rec_fail(s, p, rc);
    if ((rc = edit_entry_correct(s, outcome, old, e, withdrawn, today, by, reason, &id)))
        return rec_fail(s, p, rc);
    const char *table = outcome ? "outcomes" : "actions";
    if ((rc = store_audit(s, withdrawn ? "withdraw" : "amend", table, id, NULL)))
        return rec_fail(s, p, rc);
    if (!outcome && !withdrawn && *old->done && strcmp(old->follow_up, e->follow_up) == 0) {
        int64_t done_id = 0;
        if ((rc = edit_follow_up_done(s, id, old->done, old->done_officer_id, 0, &done_id)))
            return rec_fail(s, p, rc);
        if ((rc = store_audit(s, "insert", "follow_up_done", done_id, NULL)))
            return rec_fail(s, p, rc);
    }
    if (new_id) *new_id = id;
    return EXIT_OK;
}

/* The outcome that closed referral r (edit_closing_outcome) into *id; 0 when r is not closed. */
static int closing_outcome(store *s, const edit_referral *r, int64_t *id)
{
    *id = 0;
    if (strcmp(r->status, "closed") != 0) return EXIT_OK;
    return edit_closing_outcome(s, r->id, *r->closed ? r->closed : "9999-12-31", id);
}

/* Begins the correction's transaction and reads referral_id into *r and its current entry id
 * (an outcome when outcome) into *old; on failure the transaction is over. */
static int correction_begin(store *s, bool outcome, int64_t referral_id, int64_t id,
                            edit_referral *r, edit_entry *old, record_problem *p)
{
    int rc = rec_begin(s, p);
    if (rc) return rc;
    if ((rc = rec_get_referral(s, referral_id, r, p))) return rec_refuse(s, rc);
    return current_entry(s, outcome, referral_id, id, old, p);
}

int record_action_amend(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                        int64_t action_id, const record_action *a, const char *officer,
                        const char *reason, int64_t *new_id, record_problem *p)
{
    rec_clear(p);
    if (new_id) *new_id = 0;
    edit_entry e = {0};
    char initials[16], why[2048];
    int rc;
    if ((rc = rec_date_field("date", a->date, e.date, true, &as_of, p))) return rc;
    if ((rc = rec_past_field("date", e.date, as_of, p))) return rc;
    if ((rc = rec_officer_field(s, a->officer, e.officer, p))) return rc;
    if ((rc = rec_kind_field(a->kind, e.code, p))) return rc;
    if ((rc = rec_text_field("note", a->note, e.note, sizeof e.note, false, p))) return rc;
    if ((rc = rec_date_field("follow_up", a->follow_up, e.follow_up, false, NULL, p))) return rc;
    if ((rc = rec_from_field("follow_up", e.follow_up, e.date, FIELD_FROM_ACTION, p))) return rc;
    if ((rc = correction_by(s, officer, reason, initials, why, p))) return rc;
    edit_referral r;
    edit_entry old;
    if ((rc = correction_begin(s, false, referral_id, action_id, &r, &old, p))) return rc;
    if (strcmp(old.date, e.date) == 0 && strcmp(old.officer, e.officer) == 0 &&
        strcmp(old.code, e.code) == 0 && strcmp(old.note, e.note) == 0 &&
        strcmp(old.follow_up, e.follow_up) == 0)
        return rec_refuse(s, EXIT_OK); /* nothing to amend */
    if (*e.officer && (rc = records_officer_ensure(s, e.officer, &e.officer_id)))
        return rec_fail(s, p, rc);
    if ((rc = save_correction(s, as_of, false, &old, &e, false, initials, why, new_id, p)))
        return rc;
    return rec_finish(s, cfg, as_of, r.child_id, p);
}

int record_outcome_amend(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                         int64_t outcome_id, const char *outcome, const char *date,
                         const char *note, const char *officer, const char *reason, int64_t *new_id,
                         record_problem *p)
{
    rec_clear(p);
    if (new_id) *new_id = 0;
    char initials[16], why[2048];
    int rc;
    if ((rc = correction_by(s, officer, reason, initials, why, p))) return rc;
    edit_referral r;
    if ((rc = rec_get_referral(s, referral_id, &r, p))) return rc;
    edit_entry e = {0};
    if ((rc = check_outcome(as_of, &r, outcome, date, note, e.code, e.date, e.note, sizeof e.note,
                            p)))
        return rc;
    edit_entry old;
    if ((rc = correction_begin(s, true, referral_id, outcome_id, &r, &old, p))) return rc;
    if (strcmp(old.date, e.date) == 0 && strcmp(old.code, e.code) == 0 &&
        strcmp(old.note, e.note) == 0)
        return rec_refuse(s, EXIT_OK);
    int64_t closing = 0;
    if ((rc = closing_outcome(s, &r, &closing))) return rec_fail(s, p, rc);
    if ((rc = save_correction(s, as_of, true, &old, &e, false, initials, why, new_id, p)))
        return rc;
    /* The outcome that closed the referral amended to another date: closed on that date. */
    if (closing == outcome_id && strcmp(r.closed, e.date) != 0) {
        if ((rc = edit_referral_update(s, referral_id, r.issue, "closed", e.date, r.officer_id,
                                       r.pex_risk)) ||
            (rc = store_audit(s, "update", "referrals", referral_id, "closed")))
            return rec_fail(s, p, rc);
    }
    return rec_finish(s, cfg, as_of, r.child_id, p);
}

int record_withdraw(store *s, const config *cfg, date_t as_of, int64_t referral_id, bool outcome,
                    int64_t id, const char *officer, const char *reason, bool *reopened,
                    record_problem *p)
{
    rec_clear(p);
    if (reopened) *reopened = false;
    char initials[16], why[2048];
    int rc;
    if ((rc = correction_by(s, officer, reason, initials, why, p))) return rc;
    edit_referral r;
    edit_entry old;
    if ((rc = correction_begin(s, outcome, referral_id, id, &r, &old, p))) return rc;
    /* The outcome that closed the referral withdrawn: it is open again, not closed by nothing. */
    int64_t closing = 0;
    if (outcome && (rc = closing_outcome(s, &r, &closing))) return rec_fail(s, p, rc);
    if ((rc = save_correction(s, as_of, outcome, &old, &old, true, initials, why, NULL, p)))
        return rc;
    if (outcome && closing == id) {
        if ((rc = reopen(s, as_of, &r, initials, "closing outcome withdrawn")))
            return rec_fail(s, p, rc);
        if (reopened) *reopened = true;
    }
    return rec_finish(s, cfg, as_of, r.child_id, p);
}
