/* edit.c: single-row writes of the app's forms that import's records.c does not cover: actions
 * and outcomes appended as new rows every time, the editable fields of one referral, and the last
 * generated ref of a year; a child's current facts set whole (none included), and the open
 * episodes of a child with their ending. */
#include "caseload/edit.h"
#include "caseload/exitcode.h"
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int edit_referral_get(store *s, int64_t id, edit_referral *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st =
        store_stmt(s, "SELECT r.id, r.child_id, r.ref, r.received, r.issue, r.status, r.closed, "
                      "r.officer_id, o.initials, r.pex_risk, r.care_status, r.sen "
                      "FROM referrals r LEFT JOIN officers o ON o.id = r.officer_id "
                      "WHERE r.id = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        snprintf(s->err, sizeof s->err, "referral %lld: no such referral", (long long)id);
        return EXIT_FOUND;
    }
    if (rc != SQLITE_ROW) {
        int code = store_fail(s, rc, "reading a referral");
        sqlite3_reset(st);
        return code;
    }
    out->id = sqlite3_column_int64(st, 0);
    out->child_id = sqlite3_column_int64(st, 1);
    COPY(out->ref, st, 2);
    COPY(out->received, st, 3);
    COPY(out->issue, st, 4);
    COPY(out->status, st, 5);
    COPY(out->closed, st, 6);
    out->officer_id = sqlite3_column_int64(st, 7);
    COPY(out->officer, st, 8);
    out->pex_risk = sqlite3_column_int(st, 9) != 0;
    COPY(out->care_status, st, 10);
    COPY(out->sen, st, 11);
    sqlite3_reset(st);
    return EXIT_OK;
}

int edit_referral_update(store *s, int64_t id, const char *issue, const char *status,
                         const char *closed, int64_t officer_id, bool pex_risk)
{
    sqlite3_stmt *st = store_stmt(
        s, "UPDATE referrals SET issue = ?2, status = ?3, closed = ?4, officer_id = ?5, "
           "pex_risk = ?6, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, issue, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, status, -1, SQLITE_TRANSIENT);
    store_bind_text_or_null(st, 4, closed);
    if (officer_id)
        sqlite3_bind_int64(st, 5, officer_id);
    else
        sqlite3_bind_null(st, 5);
    sqlite3_bind_int(st, 6, pex_risk ? 1 : 0);
    return store_step_done(s, st, "saving the referral");
}

int edit_action_insert(store *s, int64_t referral_id, const char *date, int64_t officer_id,
                       const char *kind, const char *note, const char *follow_up, int64_t *id)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO actions(id, referral_id, date, officer_id, kind, "
                                     "note, follow_up) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st) return EXIT_IO;
    int64_t new_id = store_new_id(s);
    sqlite3_bind_int64(st, 1, new_id);
    sqlite3_bind_int64(st, 2, referral_id);
    sqlite3_bind_text(st, 3, date, -1, SQLITE_TRANSIENT);
    if (officer_id)
        sqlite3_bind_int64(st, 4, officer_id);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_text(st, 5, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, note ? note : "", -1, SQLITE_TRANSIENT);
    store_bind_text_or_null(st, 7, follow_up);
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
    sqlite3_bind_int64(st, 1, new_id);
    sqlite3_bind_int64(st, 2, action_id);
    sqlite3_bind_text(st, 3, date, -1, SQLITE_TRANSIENT);
    if (officer_id)
        sqlite3_bind_int64(st, 4, officer_id);
    else
        sqlite3_bind_null(st, 4);
    if (by_action_id)
        sqlite3_bind_int64(st, 5, by_action_id);
    else
        sqlite3_bind_null(st, 5);
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
    sqlite3_bind_int64(st, 1, new_id);
    sqlite3_bind_int64(st, 2, referral_id);
    sqlite3_bind_text(st, 3, date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, outcome, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, note ? note : "", -1, SQLITE_TRANSIENT);
    int code = store_step_done(s, st, "saving the outcome");
    if (!code && id) *id = new_id;
    return code;
}

int edit_ref_last_number(store *s, const char *prefix, int digits, long *n)
{
    *n = 0;
    if (digits < 1 || digits > 9) return EXIT_OK;
    /* A range on the ref index: prefix followed by exactly `digits` digits, highest first. */
    char lo[128], hi[128];
    snprintf(lo, sizeof lo, "%s%0*d", prefix, digits, 0);
    snprintf(hi, sizeof hi, "%s%.*s", prefix, digits, "999999999");
    sqlite3_stmt *st = store_stmt(s, "SELECT ref FROM referrals WHERE ref >= ?1 AND ref <= ?2 "
                                     "AND length(ref) = ?3 ORDER BY ref DESC");
    if (!st) return EXIT_IO;
    sqlite3_bind_text(st, 1, lo, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, (int)strlen(lo));
    size_t plen = strlen(prefix);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *ref = store_col_text(st, 0);
        bool all_digits = true;
        for (int i = 0; i < digits; i++)
            if (ref[plen + (size_t)i] < '0' || ref[plen + (size_t)i] > '9') all_digits = false;
        if (all_digits) {
            *n = strtol(ref + plen, NULL, 10);
            break;
        }
    }
    int code =
        (rc == SQLITE_ROW || rc == SQLITE_DONE) ? EXIT_OK : store_fail(s, rc, "finding refs");
    sqlite3_reset(st);
    return code;
}

int edit_child_update(store *s, int64_t id, const char *care_status, const char *sen,
                      const char *sen_need, int64_t school_id, bool youth_justice,
                      const char *social_work_ended)
{
    sqlite3_stmt *st = store_stmt(
        s, "UPDATE children SET care_status = ?2, sen = ?3, sen_need = ?4, school_id = ?5, "
           "youth_justice = ?6, social_work_ended = ?7, "
           "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, id);
    store_bind_text_or_null(st, 2, care_status);
    store_bind_text_or_null(st, 3, sen);
    store_bind_text_or_null(st, 4, sen_need);
    if (school_id)
        sqlite3_bind_int64(st, 5, school_id);
    else
        sqlite3_bind_null(st, 5);
    sqlite3_bind_int(st, 6, youth_justice ? 1 : 0);
    store_bind_text_or_null(st, 7, social_work_ended);
    return store_step_done(s, st, "saving the child");
}

int edit_episodes_open(store *s, int64_t child_id, edit_episode *out, int max, int *n)
{
    *n = 0;
    sqlite3_stmt *st = store_stmt(s, "SELECT id, kind, start FROM episodes WHERE child_id = ?1 "
                                     "AND end_date IS NULL ORDER BY start, id LIMIT ?2");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, child_id);
    sqlite3_bind_int(st, 2, max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        edit_episode *e = &out[(*n)++];
        memset(e, 0, sizeof *e);
        e->id = sqlite3_column_int64(st, 0);
        COPY(e->kind, st, 1);
        COPY(e->start, st, 2);
    }
    int code =
        rc == SQLITE_ROW || rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the episodes");
    sqlite3_reset(st);
    return code;
}

int edit_episode_end(store *s, int64_t id, const char *end, bool *ended)
{
    *ended = false;
    sqlite3_stmt *st = store_stmt(s, "UPDATE episodes SET end_date = ?2, "
                                     "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                                     "WHERE id = ?1 AND end_date IS NULL");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, end, -1, SQLITE_TRANSIENT);
    int rc = store_step_done(s, st, "ending the episode");
    if (!rc) *ended = sqlite3_changes(s->db) > 0;
    return rc;
}
