/* referrals.c: the referrals' rows: found by ref, added and updated (one at a time or staged and
 * written in one statement by a large import), read back in the column order of SPEC section 6
 * (records.h), and the editable fields of one referral and the last generated ref of a year for
 * the app's forms (edit.h). */
#include "caseload/edit.h"
#include "caseload/records.h"

#include "caseload/exitcode.h"
#include "store_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int records_referral_find(store *s, const char *ref, int64_t *id, int64_t *child_id)
{
    return records_referral_find_received(s, ref, id, child_id, NULL);
}

int records_referral_find_received(store *s, const char *ref, int64_t *id, int64_t *child_id,
                                   char received[11])
{
    *id = 0;
    if (child_id) *child_id = 0;
    if (received) received[0] = '\0';
    sqlite3_stmt *st = store_stmt(s, "SELECT id, child_id, received FROM referrals WHERE ref = ?1");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, ref, -1, SQLITE_STATIC);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        if (child_id) *child_id = sqlite3_column_int64(st, 1);
        if (received) snprintf(received, 11, "%s", store_col_text(st, 2));
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "finding a referral");
}

static void bind_referral(store *s, sqlite3_stmt *st, const records_referral *r)
{
    store_bind_int64(s, st, 2, r->child_id);
    store_bind_text(s, st, 3, r->received, -1, SQLITE_STATIC);
    store_bind_text(s, st, 4, r->source, -1, SQLITE_STATIC);
    store_bind_text(s, st, 5, r->issue, -1, SQLITE_STATIC);
    store_bind_text(s, st, 6, r->other_issues ? r->other_issues : "", -1, SQLITE_STATIC);
    store_bind_int(s, st, 7, r->pex_risk > 0);
    store_bind_text(s, st, 8, store_known(r->status) ? r->status : "new", -1, SQLITE_STATIC);
    store_bind_opt_text(s, st, 9, r->closed);
    store_bind_opt_id(s, st, 10, r->officer_id);
    store_bind_text(s, st, 11, r->care_status, -1, SQLITE_STATIC);
    store_bind_text(s, st, 12, r->sen, -1, SQLITE_STATIC);
    store_bind_text(s, st, 13, r->summary ? r->summary : "", -1, SQLITE_STATIC);
}

/* Runs st, an insert of a referral's columns bound as (id ?1, bind_referral's ?2-?13, ref ?14),
 * with a new key (returned in *id, which may be NULL). */
static int add_referral(store *s, sqlite3_stmt *st, const records_referral *r, int64_t *id)
{
    if (!st) return EXIT_IO;
    int64_t rid = store_new_id(s);
    store_bind_int64(s, st, 1, rid);
    bind_referral(s, st, r);
    store_bind_text(s, st, 14, r->ref, -1, SQLITE_STATIC);
    int rc = store_step_done(s, st, "adding a referral");
    if (!rc && id) *id = rid;
    return rc;
}

int records_referral_put(store *s, const records_referral *r, records_result *result, int64_t *id)
{
    int64_t rid;
    *result = RECORDS_UNCHANGED;
    int rc = records_referral_find(s, r->ref, &rid, NULL);
    if (rc) return rc;
    sqlite3_stmt *st;
    if (!rid) {
        st = store_stmt(s, "INSERT INTO referrals(id, child_id, received, source, issue, "
                           "other_issues, pex_risk, status, closed, officer_id, care_status, sen, "
                           "summary, ref) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
        if ((rc = add_referral(s, st, r, &rid))) return rc;
        *result = RECORDS_ADDED;
    } else {
        st = store_stmt(
            s, "UPDATE referrals SET child_id = ?2, received = ?3, source = ?4, issue = ?5, "
               "other_issues = ?6, pex_risk = ?7, status = ?8, closed = ?9, officer_id = ?10, "
               "care_status = ?11, sen = ?12, summary = ?13, updated_at = " STORE_NOW_SQL
               " WHERE id = ?1 AND (child_id IS NOT ?2 OR received IS NOT ?3 OR source IS NOT ?4 "
               "OR issue IS NOT ?5 OR other_issues IS NOT ?6 OR pex_risk IS NOT ?7 OR "
               "status IS NOT ?8 OR closed IS NOT ?9 OR officer_id IS NOT ?10 OR "
               "care_status IS NOT ?11 OR sen IS NOT ?12 OR summary IS NOT ?13)");
        if (!st) return EXIT_IO;
        store_bind_int64(s, st, 1, rid);
        bind_referral(s, st, r);
        if ((rc = store_step_done(s, st, "updating a referral"))) return rc;
        if (sqlite3_changes(s->db) > 0) *result = RECORDS_UPDATED;
    }
    if (id) *id = rid;
    return EXIT_OK;
}

/* ---- staged referrals ---- */

int records_referral_stage_begin(store *s)
{
    int rc =
        sqlite3_exec(s->db,
                     "CREATE TEMP TABLE IF NOT EXISTS staged_referrals (id INTEGER PRIMARY KEY, "
                     "ref TEXT, child_id INTEGER, received TEXT, source TEXT, issue TEXT, "
                     "other_issues TEXT, pex_risk INTEGER, status TEXT, closed TEXT, "
                     "officer_id INTEGER, care_status TEXT, sen TEXT, summary TEXT); "
                     "CREATE TEMP TABLE IF NOT EXISTS staged_referral_updates AS "
                     "SELECT * FROM temp.staged_referrals WHERE 0; "
                     "DELETE FROM temp.staged_referrals; "
                     "DELETE FROM temp.staged_referral_updates;",
                     NULL, NULL, NULL);
    return rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, "preparing the import");
}

int records_referral_stage(store *s, const records_referral *r, int64_t *id)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO temp.staged_referrals(id, child_id, received, "
                                     "source, issue, other_issues, pex_risk, status, closed, "
                                     "officer_id, care_status, sen, summary, ref) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                     "?13, ?14)");
    return add_referral(s, st, r, id);
}

int records_referral_stage_update(store *s, int64_t id, const records_referral *r, bool *changed)
{
    *changed = false;
    sqlite3_stmt *st = store_stmt(
        s, "SELECT 1 FROM referrals WHERE id = ?1 AND (child_id IS NOT ?2 OR received IS NOT ?3 "
           "OR source IS NOT ?4 OR issue IS NOT ?5 OR other_issues IS NOT ?6 OR "
           "pex_risk IS NOT ?7 OR status IS NOT ?8 OR closed IS NOT ?9 OR officer_id IS NOT ?10 "
           "OR care_status IS NOT ?11 OR sen IS NOT ?12 OR summary IS NOT ?13 OR ref IS NOT ?14)");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    bind_referral(s, st, r);
    store_bind_text(s, st, 14, r->ref, -1, SQLITE_STATIC);
    int64_t differs;
    int rc = store_step_int(s, st, &differs, "comparing a referral");
    if (rc || !differs) return rc;
    st = store_stmt(s, "INSERT INTO temp.staged_referral_updates(id, child_id, received, source, "
                       "issue, other_issues, pex_risk, status, closed, officer_id, care_status, "
                       "sen, summary, ref) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                       "?12, ?13, ?14)");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    bind_referral(s, st, r);
    store_bind_text(s, st, 14, r->ref, -1, SQLITE_STATIC);
    rc = store_step_done(s, st, "changing a referral");
    if (!rc) *changed = true;
    return rc;
}

/* The new referrals in one statement; the triggers of referrals derive what every new referral
 * derives (data/DERIVED.md), as for a referral added alone. When the new rows are at least as
 * many as those stored, the table's indexes are built again afterwards instead of kept row by
 * row (records_defer_indexes). */
static int referral_flush_new(store *s)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM temp.staged_referrals");
    if (!st) return EXIT_IO;
    int64_t adding;
    int rc = store_step_int(s, st, &adding, "adding referrals");
    if (rc || !adding) return rc;
    if ((rc = records_defer_indexes(s, "referrals", (long)adding))) return rc;
    /* And the list's sort keys, which the scores written next change once more: built when the
     * bulk change ends (store_bulk_end). Not its child index, by which those scores find their
     * referrals. */
    if (s->bulk &&
        (rc = store_defer_indexes(s, "referral_list", (long)adding, "referral_list_child")))
        return rc;
    st = store_stmt(
        s, "INSERT INTO referrals(id, ref, child_id, received, source, issue, other_issues, "
           "pex_risk, status, closed, officer_id, care_status, sen, summary, created_at, "
           "updated_at) "
           "SELECT id, ref, child_id, received, source, issue, other_issues, pex_risk, status, "
           "closed, officer_id, care_status, sen, summary, ?1, ?1 FROM temp.staged_referrals "
           "ORDER BY id");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, store_now(s), -1, SQLITE_TRANSIENT);
    if ((rc = store_step_done(s, st, "adding referrals"))) return rc;
    return store_build_indexes_of(s, "referrals");
}

int records_referral_flush(store *s)
{
    int rc = referral_flush_new(s);
    if (!rc) rc = store_run(s, "DELETE FROM temp.staged_referrals", "adding referrals");
    if (rc) return rc;
    sqlite3_stmt *st = store_stmt(
        s, "UPDATE referrals SET child_id = u.child_id, received = u.received, source = u.source, "
           "issue = u.issue, other_issues = u.other_issues, pex_risk = u.pex_risk, "
           "status = u.status, closed = u.closed, officer_id = u.officer_id, "
           "care_status = u.care_status, sen = u.sen, summary = u.summary, ref = u.ref, "
           "updated_at = ?1 FROM temp.staged_referral_updates u WHERE referrals.id = u.id");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, store_now(s), -1, SQLITE_TRANSIENT);
    if ((rc = store_step_done(s, st, "changing referrals"))) return rc;
    return store_run(s, "DELETE FROM temp.staged_referral_updates", "changing referrals");
}

int records_each_referral(store *s, records_row_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt(
        s, "SELECT r.ref, r.received, r.source, r.issue, r.other_issues, " YESNO(
               "r.pex_risk") ", c.upn, c.la_child_id, c.first_name, c.last_name, c.dob, c.gender, "
                             "sc.urn, sc.name, "
                             "r.care_status, r.sen, c.sen_need, " YESNO(
                                 "c.youth_justice") ", o.initials, r.status, r.closed, r.summary "
                                                    "FROM referrals r "
                                                    "JOIN children c ON c.id = r.child_id LEFT "
                                                    "JOIN schools sc ON sc.id = c.school_id "
                                                    "LEFT JOIN officers o ON o.id = r.officer_id "
                                                    "ORDER BY r.ref");
    return store_each_row(s, st, fn, ctx, "reading referrals");
}

int edit_referral_get(store *s, int64_t id, edit_referral *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st =
        store_stmt(s, "SELECT r.id, r.child_id, r.ref, r.received, r.issue, r.status, r.closed, "
                      "r.officer_id, o.initials, r.pex_risk, r.care_status, r.sen "
                      "FROM referrals r LEFT JOIN officers o ON o.id = r.officer_id "
                      "WHERE r.id = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    int step = store_step(s, st), rc = EXIT_OK;
    if (step == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "referral %lld: no such referral", (long long)id);
        rc = EXIT_FOUND;
        goto done;
    }
    if (step != SQLITE_ROW) {
        rc = store_fail(s, step, "reading a referral");
        goto done;
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
done:
    sqlite3_reset(st);
    return rc;
}

int edit_referral_update(store *s, int64_t id, const char *issue, const char *status,
                         const char *closed, int64_t officer_id, bool pex_risk)
{
    sqlite3_stmt *st = store_stmt(
        s, "UPDATE referrals SET issue = ?2, status = ?3, closed = ?4, officer_id = ?5, "
           "pex_risk = ?6, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    store_bind_text(s, st, 2, issue, -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 3, status, -1, SQLITE_TRANSIENT);
    store_bind_opt_text(s, st, 4, closed);
    store_bind_opt_id(s, st, 5, officer_id);
    store_bind_int(s, st, 6, pex_risk ? 1 : 0);
    return store_step_done(s, st, "saving the referral");
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
    store_bind_text(s, st, 1, lo, -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 2, hi, -1, SQLITE_TRANSIENT);
    store_bind_int(s, st, 3, (int)strlen(lo));
    size_t plen = strlen(prefix);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
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
