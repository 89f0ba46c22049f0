/* events.c: what happens on a referral, appended as new rows: actions (with their follow-ups and
 * when those were done) and outcomes. Import adds each once by its natural key and reads them back
 * in the column order of SPEC section 6 (records.h); the app's forms append (edit.h). */
#include "caseload/edit.h"
#include "caseload/records.h"

#include "caseload/exitcode.h"
#include "store_internal.h"
#include <stdio.h>
#include <string.h>

int records_outcome_add(store *s, int64_t referral_id, const char *date, const char *outcome,
                        const char *note, long nth, records_result *result)
{
    *result = RECORDS_UNCHANGED;
    sqlite3_stmt *st = store_stmt(s, "SELECT id FROM outcomes WHERE referral_id = ?1 AND "
                                     "date = ?2 AND outcome = ?3 AND note = ?4 "
                                     "ORDER BY id LIMIT 1 OFFSET ?5");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, referral_id);
    store_bind_text(s, st, 2, date, -1, SQLITE_STATIC);
    store_bind_text(s, st, 3, outcome, -1, SQLITE_STATIC);
    store_bind_text(s, st, 4, note ? note : "", -1, SQLITE_STATIC);
    store_bind_int64(s, st, 5, nth);
    int64_t found;
    int rc = store_step_int(s, st, &found, "finding an outcome");
    if (rc || found) return rc;
    rc = edit_outcome_insert(s, referral_id, date, outcome, note, NULL);
    if (!rc) *result = RECORDS_ADDED;
    return rc;
}

int records_action_add(store *s, int64_t referral_id, const char *date, int64_t officer_id,
                       const char *kind, const char *note, const char *follow_up, long nth,
                       records_result *result)
{
    *result = RECORDS_UNCHANGED;
    sqlite3_stmt *st = store_stmt(s, "SELECT id FROM actions WHERE referral_id = ?1 AND "
                                     "date = ?2 AND officer_id IS ?3 AND kind = ?4 AND note = ?5 "
                                     "AND follow_up IS ?6 ORDER BY id LIMIT 1 OFFSET ?7");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, referral_id);
    store_bind_text(s, st, 2, date, -1, SQLITE_STATIC);
    store_bind_opt_id(s, st, 3, officer_id);
    store_bind_text(s, st, 4, kind, -1, SQLITE_STATIC);
    store_bind_text(s, st, 5, note ? note : "", -1, SQLITE_STATIC);
    store_bind_opt_text(s, st, 6, follow_up);
    store_bind_int64(s, st, 7, nth);
    int64_t found;
    int rc = store_step_int(s, st, &found, "finding an action");
    if (rc || found) return rc;
    rc = edit_action_insert(s, referral_id, date, officer_id, kind, note, follow_up, NULL);
    if (!rc) *result = RECORDS_ADDED;
    return rc;
}

/* Export reads the current version of each entry (migration 0015): an amended one as amended, a
 * withdrawn one not at all. */
int records_each_outcome(store *s, records_row_fn fn, void *ctx)
{
    sqlite3_stmt *st =
        store_stmt(s, "SELECT r.ref, o.date, o.outcome, o.note FROM outcomes_current o "
                      "JOIN referrals r ON r.id = o.referral_id "
                      "ORDER BY r.ref, o.date, o.outcome, o.note");
    return store_each_row(s, st, fn, ctx, "reading outcomes");
}

int records_each_action(store *s, records_row_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt(
        s, "SELECT r.ref, a.date, o.initials, a.kind, a.note, a.follow_up FROM actions_current a "
           "JOIN referrals r ON r.id = a.referral_id LEFT JOIN officers o ON o.id = a.officer_id "
           "ORDER BY r.ref, a.date, a.kind, a.note, o.initials, a.follow_up");
    return store_each_row(s, st, fn, ctx, "reading actions");
}

/* The one INSERT of an action (and below, of an outcome): the forms and import
 * (records_action_add) both append through it. The text is bound SQLITE_STATIC: the statement is
 * stepped and reset before the function returns. */
int edit_action_insert(store *s, int64_t referral_id, const char *date, int64_t officer_id,
                       const char *kind, const char *note, const char *follow_up, int64_t *id)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO actions(id, referral_id, date, officer_id, kind, "
                                     "note, follow_up) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st) return EXIT_IO;
    int64_t new_id = store_new_id(s);
    store_bind_int64(s, st, 1, new_id);
    store_bind_int64(s, st, 2, referral_id);
    store_bind_text(s, st, 3, date, -1, SQLITE_STATIC);
    store_bind_opt_id(s, st, 4, officer_id);
    store_bind_text(s, st, 5, kind, -1, SQLITE_STATIC);
    store_bind_text(s, st, 6, note ? note : "", -1, SQLITE_STATIC);
    store_bind_opt_text(s, st, 7, follow_up);
    int code = store_step_done(s, st, "saving the action");
    if (!code && id) *id = new_id;
    return code;
}

int edit_follow_up_done(store *s, int64_t action_id, const char *date, int64_t officer_id,
                        int64_t by_action_id, int64_t *id)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO follow_up_done(id, action_id, date, officer_id, "
                                     "by_action_id) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return EXIT_IO;
    int64_t new_id = store_new_id(s);
    store_bind_int64(s, st, 1, new_id);
    store_bind_int64(s, st, 2, action_id);
    store_bind_text(s, st, 3, date, -1, SQLITE_TRANSIENT);
    store_bind_opt_id(s, st, 4, officer_id);
    store_bind_opt_id(s, st, 5, by_action_id);
    int code = store_step_done(s, st, "marking the follow-up done");
    if (!code && id) *id = new_id;
    return code;
}

int edit_outcome_insert(store *s, int64_t referral_id, const char *date, const char *outcome,
                        const char *note, int64_t *id)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO outcomes(id, referral_id, date, outcome, note) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return EXIT_IO;
    int64_t new_id = store_new_id(s);
    store_bind_int64(s, st, 1, new_id);
    store_bind_int64(s, st, 2, referral_id);
    store_bind_text(s, st, 3, date, -1, SQLITE_STATIC);
    store_bind_text(s, st, 4, outcome, -1, SQLITE_STATIC);
    store_bind_text(s, st, 5, note ? note : "", -1, SQLITE_STATIC);
    int code = store_step_done(s, st, "saving the outcome");
    if (!code && id) *id = new_id;
    return code;
}

/* ---- corrections (migration 0015) ---- */

int edit_entry_get(store *s, bool outcome, int64_t id, edit_entry *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st =
        outcome
            ? store_stmt(s, "SELECT e.id, e.referral_id, e.date, 0, '', e.outcome, e.note, '', "
                            "e.withdrawn = 0 AND NOT EXISTS (SELECT 1 FROM outcomes n "
                            "WHERE n.supersedes = e.id), '', 0 FROM outcomes e WHERE e.id = ?1")
            : store_stmt(s, "SELECT e.id, e.referral_id, e.date, coalesce(e.officer_id, 0), "
                            "coalesce(o.initials, ''), e.kind, e.note, coalesce(e.follow_up, ''), "
                            "e.withdrawn = 0 AND NOT EXISTS (SELECT 1 FROM actions n "
                            "WHERE n.supersedes = e.id), coalesce(d.date, ''), "
                            "coalesce(d.officer_id, 0) FROM actions e "
                            "LEFT JOIN officers o ON o.id = e.officer_id "
                            "LEFT JOIN follow_up_done d ON d.id = (SELECT min(id) FROM "
                            "follow_up_done WHERE action_id = e.id) WHERE e.id = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->referral_id = sqlite3_column_int64(st, 1);
        COPY(out->date, st, 2);
        out->officer_id = sqlite3_column_int64(st, 3);
        COPY(out->officer, st, 4);
        COPY(out->code, st, 5);
        COPY(out->note, st, 6);
        COPY(out->follow_up, st, 7);
        out->current = sqlite3_column_int(st, 8) != 0;
        COPY(out->done, st, 9);
        out->done_officer_id = sqlite3_column_int64(st, 10);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return EXIT_OK;
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, outcome ? "no such outcome" : "no such action");
        return EXIT_FOUND;
    }
    return store_fail(s, rc, outcome ? "reading an outcome" : "reading an action");
}

int edit_entry_correct(store *s, bool outcome, const edit_entry *old, const edit_entry *e,
                       bool withdrawn, const char *corrected_on, int64_t corrected_by,
                       const char *reason, int64_t *id)
{
    sqlite3_stmt *st =
        outcome ? store_stmt(s, "INSERT INTO outcomes(id, referral_id, date, outcome, note, "
                                "supersedes, withdrawn, corrected_on, corrected_by, reason) "
                                "VALUES (?1, ?2, ?3, ?5, ?6, ?8, ?9, ?10, ?11, ?12)")
                : store_stmt(s, "INSERT INTO actions(id, referral_id, date, officer_id, kind, "
                                "note, follow_up, supersedes, withdrawn, corrected_on, "
                                "corrected_by, reason) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (!st) return EXIT_IO;
    int64_t new_id = store_new_id(s);
    store_bind_int64(s, st, 1, new_id);
    store_bind_int64(s, st, 2, old->referral_id);
    store_bind_text(s, st, 3, e->date, -1, SQLITE_TRANSIENT);
    store_bind_opt_id(s, st, 4, e->officer_id);
    store_bind_text(s, st, 5, e->code, -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 6, e->note, -1, SQLITE_TRANSIENT);
    store_bind_opt_text(s, st, 7, e->follow_up);
    store_bind_int64(s, st, 8, old->id);
    store_bind_int(s, st, 9, withdrawn ? 1 : 0);
    store_bind_text(s, st, 10, corrected_on, -1, SQLITE_TRANSIENT);
    store_bind_opt_id(s, st, 11, corrected_by);
    store_bind_text(s, st, 12, reason ? reason : "", -1, SQLITE_TRANSIENT);
    int code = store_step_done(s, st, withdrawn ? "withdrawing" : "saving the correction");
    if (!code && id) *id = new_id;
    return code;
}

int edit_reopening_insert(store *s, int64_t referral_id, const char *date, int64_t officer_id,
                          const char *closed, const char *reason, int64_t *id)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO reopenings(id, referral_id, date, officer_id, "
                                     "closed, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st) return EXIT_IO;
    int64_t new_id = store_new_id(s);
    store_bind_int64(s, st, 1, new_id);
    store_bind_int64(s, st, 2, referral_id);
    store_bind_text(s, st, 3, date, -1, SQLITE_TRANSIENT);
    store_bind_opt_id(s, st, 4, officer_id);
    store_bind_opt_text(s, st, 5, closed);
    store_bind_text(s, st, 6, reason ? reason : "", -1, SQLITE_TRANSIENT);
    int code = store_step_done(s, st, "reopening the referral");
    if (!code && id) *id = new_id;
    return code;
}

int edit_closing_outcome(store *s, int64_t referral_id, const char *closed, int64_t *id)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT id FROM outcomes_current WHERE referral_id = ?1 AND "
                                     "date <= ?2 ORDER BY date DESC, id DESC LIMIT 1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, referral_id);
    store_bind_text(s, st, 2, closed, -1, SQLITE_STATIC);
    return store_step_int(s, st, id, "finding the closing outcome");
}
