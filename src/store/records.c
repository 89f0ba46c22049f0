/* records.c: finding and writing rows by their natural keys (schools, officers, children,
 * referrals, outcomes, actions, exclusions, attendance, episodes) and reading them back in the
 * column order of SPEC section 6. The data layer of import and export; see records.h. */
#include "caseload/records.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "store_internal.h"
#include <stdio.h>
#include <string.h>

#define NOW "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

static bool known(const char *t)
{
    return t && *t;
}

static void bind_id_or_null(sqlite3_stmt *st, int i, int64_t id)
{
    if (id)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

/* Runs a statement that takes no parameter and returns no row (kept in the statement cache). */
static int run(store *s, const char *sql, const char *what)
{
    sqlite3_stmt *st = store_stmt(s, sql);
    return st ? store_step_done(s, st, what) : EXIT_IO;
}

/* ---- schools and officers ---- */

int records_school_find(store *s, const char *urn, const char *name, int64_t *id)
{
    sqlite3_stmt *st;
    *id = 0;
    if (known(urn)) {
        st = store_stmt(s, "SELECT id FROM schools WHERE urn = ?1");
        if (!st) return EXIT_IO;
        sqlite3_bind_text(st, 1, urn, -1, SQLITE_STATIC);
    } else if (known(name)) {
        st = store_stmt(s, "SELECT id FROM schools WHERE urn IS NULL AND name = ?1");
        if (!st) return EXIT_IO;
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    } else {
        return EXIT_OK;
    }
    return store_step_int(s, st, id, "finding a school");
}

int records_school_put(store *s, const char *urn, const char *name, int64_t *id, bool *renamed)
{
    *renamed = false;
    int rc = records_school_find(s, urn, name, id);
    if (rc || (!known(urn) && !known(name))) return rc;
    sqlite3_stmt *st;
    if (*id) {
        if (!known(urn) || !known(name)) return EXIT_OK;
        /* A new name is written into the search text of every referral of the school's children,
         * found by children_school: an index set aside (records_defer_indexes) is built first. */
        if (s->deferred_indexes) {
            st = store_stmt(s, "SELECT 1 FROM schools WHERE id = ?1 AND name IS NOT ?2");
            if (!st) return EXIT_IO;
            sqlite3_bind_int64(st, 1, *id);
            sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
            int64_t differs;
            if ((rc = store_step_int(s, st, &differs, "updating a school")) ||
                (differs && (rc = records_build_indexes(s))))
                return rc;
        }
        st = store_stmt(s, "UPDATE schools SET name = ?2, updated_at = " NOW
                           " WHERE id = ?1 AND name IS NOT ?2");
        if (!st) return EXIT_IO;
        sqlite3_bind_int64(st, 1, *id);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        rc = store_step_done(s, st, "updating a school");
        if (!rc) *renamed = sqlite3_changes(s->db) > 0;
        return rc;
    }
    st = store_stmt(s, "INSERT INTO schools(id, urn, name) VALUES (?1, ?2, ?3)");
    if (!st) return EXIT_IO;
    int64_t nid = store_new_id(s);
    sqlite3_bind_int64(st, 1, nid);
    store_bind_text_or_null(st, 2, urn);
    store_bind_text_or_null(st, 3, name);
    rc = store_step_done(s, st, "adding a school");
    if (!rc) *id = nid;
    return rc;
}

int records_school_ensure(store *s, const char *urn, const char *name, int64_t *id)
{
    bool renamed;
    return records_school_put(s, urn, name, id, &renamed);
}

int records_officer_find(store *s, const char *initials, int64_t *id)
{
    *id = 0;
    if (!known(initials)) return EXIT_OK;
    sqlite3_stmt *st = store_stmt(s, "SELECT id FROM officers WHERE initials = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_text(st, 1, initials, -1, SQLITE_STATIC);
    return store_step_int(s, st, id, "finding an officer");
}

int records_officer_ensure(store *s, const char *initials, int64_t *id)
{
    int rc = records_officer_find(s, initials, id);
    if (rc || *id || !known(initials)) return rc;
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO officers(id, initials) VALUES (?1, ?2)");
    if (!st) return EXIT_IO;
    int64_t nid = store_new_id(s);
    sqlite3_bind_int64(st, 1, nid);
    sqlite3_bind_text(st, 2, initials, -1, SQLITE_STATIC);
    rc = store_step_done(s, st, "adding an officer");
    if (!rc) *id = nid;
    return rc;
}

/* ---- children ---- */

static int child_find_by(store *s, sqlite3_stmt *st, const char *key, records_child_key *out)
{
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        snprintf(out->upn, sizeof out->upn, "%s", store_col_text(st, 1));
        snprintf(out->la_child_id, sizeof out->la_child_id, "%s", store_col_text(st, 2));
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "finding a child");
}

/* social_work_ended in an update: the parameter p is NULL (not given: keep col), '' (none: clear)
 * or a date. */
#define SWE_SET_VALUE(p, col) "CASE WHEN " p " IS NULL THEN " col " ELSE nullif(" p ", '') END"
#define SWE_SET(p, col) "social_work_ended = " SWE_SET_VALUE(p, col)

static void bind_swe(sqlite3_stmt *st, int i, const char *v)
{
    if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

int records_child_find(store *s, const char *upn, const char *la_child_id, records_child_key *out)
{
    memset(out, 0, sizeof *out);
    int rc;
    if (known(upn)) {
        sqlite3_stmt *st =
            store_stmt(s, "SELECT id, upn, la_child_id FROM children WHERE upn = ?1");
        if (!st) return EXIT_IO;
        if ((rc = child_find_by(s, st, upn, out)) || out->id) return rc;
    }
    if (known(la_child_id)) {
        sqlite3_stmt *st =
            store_stmt(s, "SELECT id, upn, la_child_id FROM children WHERE la_child_id = ?1");
        if (!st) return EXIT_IO;
        return child_find_by(s, st, la_child_id, out);
    }
    return EXIT_OK;
}

int records_child_insert(store *s, const records_child *c, int64_t *id)
{
    sqlite3_stmt *st = store_stmt(
        s, "INSERT INTO children(id, upn, la_child_id, first_name, last_name, dob, gender, "
           "school_id, care_status, sen, sen_need, youth_justice, created_at, updated_at, "
           "social_work_ended) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14)");
    if (!st) return EXIT_IO;
    int64_t nid = store_new_id(s);
    sqlite3_bind_int64(st, 1, nid);
    store_bind_text_or_null(st, 2, c->upn);
    store_bind_text_or_null(st, 3, c->la_child_id);
    sqlite3_bind_text(st, 4, c->first_name ? c->first_name : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, c->last_name ? c->last_name : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, c->dob ? c->dob : "", -1, SQLITE_STATIC);
    store_bind_text_or_null(st, 7, c->gender);
    bind_id_or_null(st, 8, c->school_id);
    store_bind_text_or_null(st, 9, c->care_status);
    store_bind_text_or_null(st, 10, c->sen);
    store_bind_text_or_null(st, 11, c->sen_need);
    sqlite3_bind_int(st, 12, c->youth_justice > 0);
    sqlite3_bind_text(st, 13, store_now(s), -1, SQLITE_TRANSIENT);
    store_bind_text_or_null(st, 14, c->social_work_ended);
    int rc = store_step_done(s, st, "adding a child");
    if (!rc) *id = nid;
    return rc;
}

/* Whether a child row (its columns, unqualified) differs from what ?2..?13 give: the known fields
 * of a records_child as bind_child_known binds them (NULL: not given, kept). */
#define CHILD_DIFFERS                                                                              \
    SWE_SET_VALUE("?13", "social_work_ended")                                                      \
    " IS NOT social_work_ended OR coalesce(?2, upn) IS NOT upn OR"                                 \
    " coalesce(?3, la_child_id) IS NOT la_child_id OR coalesce(?4, first_name) IS NOT first_name"  \
    " OR coalesce(?5, last_name) IS NOT last_name OR coalesce(?6, dob) IS NOT dob OR"              \
    " coalesce(?7, gender) IS NOT gender OR coalesce(?8, school_id) IS NOT school_id OR"           \
    " coalesce(?9, care_status) IS NOT care_status OR coalesce(?10, sen) IS NOT sen OR"            \
    " coalesce(?11, sen_need) IS NOT sen_need OR coalesce(?12, youth_justice) IS NOT"              \
    " youth_justice"

/* Binds ?2..?13 to the known fields of c (see CHILD_DIFFERS). */
static void bind_child_known(sqlite3_stmt *st, const records_child *c)
{
    store_bind_text_or_null(st, 2, c->upn);
    store_bind_text_or_null(st, 3, c->la_child_id);
    store_bind_text_or_null(st, 4, c->first_name);
    store_bind_text_or_null(st, 5, c->last_name);
    store_bind_text_or_null(st, 6, c->dob);
    store_bind_text_or_null(st, 7, c->gender);
    bind_id_or_null(st, 8, c->school_id);
    store_bind_text_or_null(st, 9, c->care_status);
    store_bind_text_or_null(st, 10, c->sen);
    store_bind_text_or_null(st, 11, c->sen_need);
    if (c->youth_justice >= 0) sqlite3_bind_int(st, 12, c->youth_justice > 0);
    bind_swe(st, 13, c->social_work_ended);
}

int records_child_update(store *s, int64_t id, const records_child *c, bool *changed)
{
    *changed = false;
    sqlite3_stmt *st = store_stmt(
        s, "UPDATE children SET upn = coalesce(?2, upn), la_child_id = coalesce(?3, la_child_id), "
           "first_name = coalesce(?4, first_name), last_name = coalesce(?5, last_name), "
           "dob = coalesce(?6, dob), gender = coalesce(?7, gender), "
           "school_id = coalesce(?8, school_id), care_status = coalesce(?9, care_status), "
           "sen = coalesce(?10, sen), sen_need = coalesce(?11, sen_need), "
           "youth_justice = coalesce(?12, youth_justice), " SWE_SET(
               "?13", "social_work_ended") ", updated_at = " NOW " WHERE id = ?1 AND "
                                           "(" CHILD_DIFFERS ")");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, id);
    bind_child_known(st, c);
    int rc = store_step_done(s, st, "updating a child");
    if (!rc) *changed = sqlite3_changes(s->db) > 0;
    return rc;
}

int records_child_status_if_newest(store *s, int64_t child_id, const char *ref,
                                   const char *received, const char *care_status, const char *sen,
                                   bool *changed)
{
    if (changed) *changed = false;
    sqlite3_stmt *st =
        store_stmt(s, "UPDATE children SET care_status = ?4, sen = ?5, updated_at = " NOW
                      " WHERE id = ?1 AND (care_status IS NOT ?4 OR sen IS NOT ?5) AND NOT EXISTS "
                      "(SELECT 1 FROM referrals WHERE child_id = ?1 AND "
                      "(received > ?3 OR (received = ?3 AND ref > ?2)))");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, child_id);
    sqlite3_bind_text(st, 2, ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, received, -1, SQLITE_STATIC);
    store_bind_text_or_null(st, 4, care_status);
    store_bind_text_or_null(st, 5, sen);
    int rc = store_step_done(s, st, "updating a child's status");
    if (!rc && changed) *changed = sqlite3_changes(s->db) > 0;
    return rc;
}

/* ---- referrals ---- */

int records_referral_find(store *s, const char *ref, int64_t *id, int64_t *child_id)
{
    *id = 0;
    if (child_id) *child_id = 0;
    sqlite3_stmt *st = store_stmt(s, "SELECT id, child_id FROM referrals WHERE ref = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        if (child_id) *child_id = sqlite3_column_int64(st, 1);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "finding a referral");
}

static void bind_referral(sqlite3_stmt *st, const records_referral *r)
{
    sqlite3_bind_int64(st, 2, r->child_id);
    sqlite3_bind_text(st, 3, r->received, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->issue, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->other_issues ? r->other_issues : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, r->pex_risk > 0);
    sqlite3_bind_text(st, 8, known(r->status) ? r->status : "new", -1, SQLITE_STATIC);
    store_bind_text_or_null(st, 9, r->closed);
    bind_id_or_null(st, 10, r->officer_id);
    sqlite3_bind_text(st, 11, r->care_status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, r->sen, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 13, r->summary ? r->summary : "", -1, SQLITE_STATIC);
}

/* Runs st, an insert of a referral's columns bound as (id ?1, bind_referral's ?2-?13, ref ?14),
 * with a new key (returned in *id, which may be NULL). */
static int add_referral(store *s, sqlite3_stmt *st, const records_referral *r, int64_t *id)
{
    if (!st) return EXIT_IO;
    int64_t rid = store_new_id(s);
    sqlite3_bind_int64(st, 1, rid);
    bind_referral(st, r);
    sqlite3_bind_text(st, 14, r->ref, -1, SQLITE_STATIC);
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
               "care_status = ?11, sen = ?12, summary = ?13, updated_at = " NOW
               " WHERE id = ?1 AND (child_id IS NOT ?2 OR received IS NOT ?3 OR source IS NOT ?4 "
               "OR issue IS NOT ?5 OR other_issues IS NOT ?6 OR pex_risk IS NOT ?7 OR "
               "status IS NOT ?8 OR closed IS NOT ?9 OR officer_id IS NOT ?10 OR "
               "care_status IS NOT ?11 OR sen IS NOT ?12 OR summary IS NOT ?13)");
        if (!st) return EXIT_IO;
        sqlite3_bind_int64(st, 1, rid);
        bind_referral(st, r);
        if ((rc = store_step_done(s, st, "updating a referral"))) return rc;
        if (sqlite3_changes(s->db) > 0) *result = RECORDS_UPDATED;
    }
    if (id) *id = rid;
    return EXIT_OK;
}

/* ---- outcomes and actions ---- */

int records_outcome_add(store *s, int64_t referral_id, const char *date, const char *outcome,
                        const char *note, long nth, records_result *result)
{
    *result = RECORDS_UNCHANGED;
    sqlite3_stmt *st = store_stmt(s, "SELECT id FROM outcomes WHERE referral_id = ?1 AND "
                                     "date = ?2 AND outcome = ?3 AND note = ?4 "
                                     "ORDER BY id LIMIT 1 OFFSET ?5");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, referral_id);
    sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, outcome, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, note ? note : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, nth);
    int64_t found;
    int rc = store_step_int(s, st, &found, "finding an outcome");
    if (rc || found) return rc;
    st = store_stmt(s, "INSERT INTO outcomes(id, referral_id, date, outcome, note) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, store_new_id(s));
    sqlite3_bind_int64(st, 2, referral_id);
    sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, outcome, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, note ? note : "", -1, SQLITE_STATIC);
    rc = store_step_done(s, st, "adding an outcome");
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
    sqlite3_bind_int64(st, 1, referral_id);
    sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
    bind_id_or_null(st, 3, officer_id);
    sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, note ? note : "", -1, SQLITE_STATIC);
    store_bind_text_or_null(st, 6, follow_up);
    sqlite3_bind_int64(st, 7, nth);
    int64_t found;
    int rc = store_step_int(s, st, &found, "finding an action");
    if (rc || found) return rc;
    st = store_stmt(s, "INSERT INTO actions(id, referral_id, date, officer_id, kind, note, "
                       "follow_up) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, store_new_id(s));
    sqlite3_bind_int64(st, 2, referral_id);
    sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
    bind_id_or_null(st, 4, officer_id);
    sqlite3_bind_text(st, 5, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, note ? note : "", -1, SQLITE_STATIC);
    store_bind_text_or_null(st, 7, follow_up);
    rc = store_step_done(s, st, "adding an action");
    if (!rc) *result = RECORDS_ADDED;
    return rc;
}

/* ---- events ---- */

static void bind_real_or_null(sqlite3_stmt *st, int i, double v)
{
    if (v < 0)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

/* After a keyed lookup: result ADDED when the insert ran, UPDATED when the update changed a row. */
static int put_result(store *s, int rc, bool inserted, records_result *result)
{
    if (rc) return rc;
    if (inserted)
        *result = RECORDS_ADDED;
    else if (sqlite3_changes(s->db) > 0)
        *result = RECORDS_UPDATED;
    return EXIT_OK;
}

int records_exclusion_put(store *s, int64_t child_id, const char *start, const char *category,
                          double days, const char *reason, int64_t school_id,
                          records_result *result, int64_t *id_out)
{
    *result = RECORDS_UNCHANGED;
    sqlite3_stmt *st = store_stmt(s, "SELECT id FROM exclusions WHERE child_id = ?1 AND "
                                     "category = ?2 AND start = ?3 ORDER BY id LIMIT 1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, child_id);
    sqlite3_bind_text(st, 2, category, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, start, -1, SQLITE_STATIC);
    int64_t id;
    int rc = store_step_int(s, st, &id, "finding an exclusion");
    if (rc) return rc;
    int64_t nid = id ? id : store_new_id(s);
    if (id_out) *id_out = nid;
    if (!id) {
        st = store_stmt(s, "INSERT INTO exclusions(id, days, reason, school_id, child_id, start, "
                           "category) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        if (!st) return EXIT_IO;
        sqlite3_bind_int64(st, 1, nid);
        sqlite3_bind_int64(st, 5, child_id);
        sqlite3_bind_text(st, 6, start, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, category, -1, SQLITE_STATIC);
    } else {
        st = store_stmt(s, "UPDATE exclusions SET days = ?2, reason = ?3, school_id = ?4, "
                           "updated_at = " NOW " WHERE id = ?1 AND (days IS NOT ?2 OR "
                           "reason IS NOT ?3 OR school_id IS NOT ?4)");
        if (!st) return EXIT_IO;
        sqlite3_bind_int64(st, 1, id);
    }
    bind_real_or_null(st, 2, days);
    store_bind_text_or_null(st, 3, reason);
    bind_id_or_null(st, 4, school_id);
    return put_result(s, store_step_done(s, st, "saving an exclusion"), !id, result);
}

int records_attendance_put(store *s, int64_t child_id, const char *from, const char *to,
                           long possible, long attended, records_result *result, int64_t *id_out)
{
    *result = RECORDS_UNCHANGED;
    sqlite3_stmt *st = store_stmt(s, "SELECT id FROM attendance WHERE child_id = ?1 AND "
                                     "to_date = ?3 AND from_date = ?2 ORDER BY id LIMIT 1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, child_id);
    sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
    int64_t id;
    int rc = store_step_int(s, st, &id, "finding an attendance record");
    if (rc) return rc;
    int64_t nid = id ? id : store_new_id(s);
    if (id_out) *id_out = nid;
    if (!id) {
        st = store_stmt(s, "INSERT INTO attendance(id, possible, attended, child_id, from_date, "
                           "to_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        if (!st) return EXIT_IO;
        sqlite3_bind_int64(st, 1, nid);
        sqlite3_bind_int64(st, 4, child_id);
        sqlite3_bind_text(st, 5, from, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, to, -1, SQLITE_STATIC);
    } else {
        st = store_stmt(s, "UPDATE attendance SET possible = ?2, attended = ?3, updated_at = " NOW
                           " WHERE id = ?1 AND (possible IS NOT ?2 OR attended IS NOT ?3)");
        if (!st) return EXIT_IO;
        sqlite3_bind_int64(st, 1, id);
    }
    sqlite3_bind_int64(st, 2, possible);
    sqlite3_bind_int64(st, 3, attended);
    return put_result(s, store_step_done(s, st, "saving an attendance record"), !id, result);
}

int records_episode_put(store *s, int64_t child_id, const char *kind, const char *start,
                        const char *end, double hours, int in_county, records_result *result,
                        int64_t *id_out)
{
    *result = RECORDS_UNCHANGED;
    sqlite3_stmt *st = store_stmt(s, "SELECT id FROM episodes WHERE child_id = ?1 AND "
                                     "kind = ?2 AND start = ?3 ORDER BY id LIMIT 1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, child_id);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, start, -1, SQLITE_STATIC);
    int64_t id;
    int rc = store_step_int(s, st, &id, "finding an episode");
    if (rc) return rc;
    int64_t nid = id ? id : store_new_id(s);
    if (id_out) *id_out = nid;
    if (!id) {
        st = store_stmt(s, "INSERT INTO episodes(id, end_date, hours_per_week, in_county, "
                           "child_id, kind, start) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        if (!st) return EXIT_IO;
        sqlite3_bind_int64(st, 1, nid);
        sqlite3_bind_int64(st, 5, child_id);
        sqlite3_bind_text(st, 6, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, start, -1, SQLITE_STATIC);
    } else {
        st = store_stmt(s, "UPDATE episodes SET end_date = ?2, hours_per_week = ?3, "
                           "in_county = ?4, updated_at = " NOW " WHERE id = ?1 AND "
                           "(end_date IS NOT ?2 OR hours_per_week IS NOT ?3 OR "
                           "in_county IS NOT ?4)");
        if (!st) return EXIT_IO;
        sqlite3_bind_int64(st, 1, id);
    }
    store_bind_text_or_null(st, 2, end);
    bind_real_or_null(st, 3, hours);
    if (in_county >= 0)
        sqlite3_bind_int(st, 4, in_county > 0);
    else
        sqlite3_bind_null(st, 4);
    return put_result(s, store_step_done(s, st, "saving an episode"), !id, result);
}

/* ---- reading back ---- */

#define EACH_MAX_FIELDS 24

/* Runs st and calls fn with each row's columns as text (NULL for NULL or ""; reals as the
 * shortest decimal that reads back the same). */
static int each_row(store *s, sqlite3_stmt *st, records_row_fn fn, void *ctx, const char *what)
{
    if (!st) return EXIT_IO;
    int n = sqlite3_column_count(st);
    if (n > EACH_MAX_FIELDS) n = EACH_MAX_FIELDS;
    const char *fields[EACH_MAX_FIELDS];
    char num[EACH_MAX_FIELDS][32];
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < n; i++) {
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_NULL: fields[i] = NULL; break;
            case SQLITE_FLOAT:
                snprintf(num[i], sizeof num[i], "%.15g", sqlite3_column_double(st, i));
                fields[i] = num[i];
                break;
            default: {
                const char *t = (const char *)sqlite3_column_text(st, i);
                fields[i] = t && *t ? t : NULL;
            }
            }
        }
        int stop = fn(ctx, fields, (size_t)n);
        if (stop) {
            sqlite3_reset(st);
            return stop;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, what);
}

#define YESNO(col) "CASE WHEN " col " IS NULL THEN NULL WHEN " col " THEN 'yes' ELSE 'no' END"
#define CHILD_ORDER "c.upn IS NULL, c.upn, c.la_child_id"

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
    return each_row(s, st, fn, ctx, "reading referrals");
}

int records_each_outcome(store *s, records_row_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT r.ref, o.date, o.outcome, o.note FROM outcomes o "
                                     "JOIN referrals r ON r.id = o.referral_id "
                                     "ORDER BY r.ref, o.date, o.outcome, o.note");
    return each_row(s, st, fn, ctx, "reading outcomes");
}

int records_each_action(store *s, records_row_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt(
        s, "SELECT r.ref, a.date, o.initials, a.kind, a.note, a.follow_up FROM actions a "
           "JOIN referrals r ON r.id = a.referral_id LEFT JOIN officers o ON o.id = a.officer_id "
           "ORDER BY r.ref, a.date, a.kind, a.note, o.initials, a.follow_up");
    return each_row(s, st, fn, ctx, "reading actions");
}

int records_each_exclusion(store *s, records_row_fn fn, void *ctx)
{
    sqlite3_stmt *st =
        store_stmt(s, "SELECT c.upn, c.la_child_id, e.start, e.category, e.days, e.reason, sc.urn "
                      "FROM exclusions e JOIN children c ON c.id = e.child_id "
                      "LEFT JOIN schools sc ON sc.id = e.school_id "
                      "ORDER BY " CHILD_ORDER ", e.start, e.category");
    return each_row(s, st, fn, ctx, "reading exclusions");
}

int records_each_attendance(store *s, records_row_fn fn, void *ctx)
{
    sqlite3_stmt *st =
        store_stmt(s, "SELECT c.upn, c.la_child_id, a.from_date, a.to_date, a.possible, "
                      "a.attended FROM attendance a JOIN children c ON c.id = a.child_id "
                      "ORDER BY " CHILD_ORDER ", a.from_date, a.to_date");
    return each_row(s, st, fn, ctx, "reading attendance");
}

int records_each_episode(store *s, records_row_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt(
        s, "SELECT c.upn, c.la_child_id, e.kind, e.start, e.end_date, e.hours_per_week, " YESNO(
               "e.in_county") " FROM episodes e JOIN children c ON c.id = e.child_id "
                              "ORDER BY " CHILD_ORDER ", e.start, e.kind");
    return each_row(s, st, fn, ctx, "reading episodes");
}

int records_each_child(store *s, records_row_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt(
        s, "SELECT c.upn, c.la_child_id, c.first_name, c.last_name, c.dob, c.gender, sc.urn, "
           "sc.name, c.care_status, c.sen, c.sen_need, " YESNO(
               "c.youth_justice") ", c.social_work_ended FROM children c "
                                  "LEFT JOIN schools sc ON sc.id = c.school_id "
                                  "ORDER BY " CHILD_ORDER);
    return each_row(s, st, fn, ctx, "reading children");
}

int records_bulk(store *s, bool on)
{
    /* The size in force before, put back when the change is over. */
    static int64_t saved = -2000;
    char sql[64];
    if (on) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(s->db, "PRAGMA cache_size", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            saved = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        snprintf(sql, sizeof sql, "PRAGMA cache_size = -262144");
    } else {
        snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)saved);
    }
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, "preparing a large change");
}

/* ---- schema set aside during a large change ---- */

/* What a large change dropped, with the text that creates it again before the change commits: a
 * temporary table, so that a rollback, which brings the dropped objects back, forgets them too. */
static int deferred_table(store *s)
{
    return run(s,
               "CREATE TEMP TABLE IF NOT EXISTS deferred_schema (type TEXT NOT NULL, "
               "name TEXT NOT NULL, sql TEXT NOT NULL)",
               "setting indexes aside");
}

/* Runs one by one the statements (DDL) that query returns in its first column, all read first:
 * the schema cannot change under a query still running. */
static int run_each(store *s, sqlite3_stmt *query, const char *what)
{
    buf all = BUF_INIT;
    int rc;
    while ((rc = sqlite3_step(query)) == SQLITE_ROW) {
        buf_puts(&all, store_col_text(query, 0));
        buf_putc(&all, '\0');
    }
    sqlite3_reset(query);
    int code = rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, what);
    for (size_t at = 0; !code && at < all.len; at += strlen(all.data + at) + 1)
        if ((rc = sqlite3_exec(s->db, all.data + at, NULL, NULL, NULL)) != SQLITE_OK)
            code = store_fail(s, rc, what);
    buf_free(&all);
    return code;
}

/* Drops the objects of one type saved in temp.deferred_schema that still exist (those of an
 * earlier call are already gone). */
static int drop_deferred(store *s, const char *type, const char *what)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT 'DROP ' || upper(d.type) || ' \"' || "
                                     "replace(d.name, '\"', '\"\"') || '\"' "
                                     "FROM temp.deferred_schema d JOIN sqlite_schema m "
                                     "ON m.type = d.type AND m.name = d.name WHERE d.type = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
    return run_each(s, st, what);
}

/* Creates again every object of this type that was set aside. */
static int restore_deferred(store *s, const char *type, const char *what)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT sql FROM temp.deferred_schema WHERE type = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
    int rc = run_each(s, st, what);
    if (rc) return rc;
    st = store_stmt(s, "DELETE FROM temp.deferred_schema WHERE type = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
    return store_step_done(s, st, what);
}

int records_defer_indexes(store *s, const char *table, long adding)
{
    if (adding <= 0) return EXIT_OK;
    char *sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", table);
    sqlite3_stmt *st = NULL;
    int rc = sql ? sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    long long rows = 0;
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rows = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK) return store_fail(s, rc, "setting indexes aside");
    if (rows > adding) return EXIT_OK;
    if ((rc = deferred_table(s))) return rc;
    /* Only the indexes made by CREATE INDEX that allow duplicates: those of UNIQUE and PRIMARY KEY
     * constraints cannot be dropped, and the unique ones check every row as it comes. */
    st = store_stmt(s, "INSERT INTO temp.deferred_schema(type, name, sql) "
                       "SELECT 'index', m.name, m.sql FROM pragma_index_list(?1) il "
                       "JOIN sqlite_schema m ON m.type = 'index' AND m.name = il.name "
                       "WHERE il.origin = 'c' AND NOT il.\"unique\" AND m.sql IS NOT NULL");
    if (!st) return EXIT_IO;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    if ((rc = store_step_done(s, st, "setting indexes aside"))) return rc;
    if ((rc = drop_deferred(s, "index", "setting indexes aside"))) return rc;
    s->deferred_indexes = true;
    return EXIT_OK;
}

int records_build_indexes(store *s)
{
    if (!s->deferred_indexes) return EXIT_OK;
    int rc = restore_deferred(s, "index", "building indexes");
    if (!rc) s->deferred_indexes = false;
    return rc;
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
    sqlite3_bind_int64(st, 1, id);
    bind_referral(st, r);
    sqlite3_bind_text(st, 14, r->ref, -1, SQLITE_STATIC);
    int64_t differs;
    int rc = store_step_int(s, st, &differs, "comparing a referral");
    if (rc || !differs) return rc;
    st = store_stmt(s, "INSERT INTO temp.staged_referral_updates(id, child_id, received, source, "
                       "issue, other_issues, pex_risk, status, closed, officer_id, care_status, "
                       "sen, summary, ref) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                       "?12, ?13, ?14)");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, id);
    bind_referral(st, r);
    sqlite3_bind_text(st, 14, r->ref, -1, SQLITE_STATIC);
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
    st = store_stmt(
        s, "INSERT INTO referrals(id, ref, child_id, received, source, issue, other_issues, "
           "pex_risk, status, closed, officer_id, care_status, sen, summary, created_at, "
           "updated_at) "
           "SELECT id, ref, child_id, received, source, issue, other_issues, pex_risk, status, "
           "closed, officer_id, care_status, sen, summary, ?1, ?1 FROM temp.staged_referrals "
           "ORDER BY id");
    if (!st) return EXIT_IO;
    sqlite3_bind_text(st, 1, store_now(s), -1, SQLITE_TRANSIENT);
    if ((rc = store_step_done(s, st, "adding referrals"))) return rc;
    return records_build_indexes(s);
}

int records_referral_flush(store *s)
{
    int rc = referral_flush_new(s);
    if (!rc) rc = run(s, "DELETE FROM temp.staged_referrals", "adding referrals");
    if (rc) return rc;
    sqlite3_stmt *st = store_stmt(
        s, "UPDATE referrals SET child_id = u.child_id, received = u.received, source = u.source, "
           "issue = u.issue, other_issues = u.other_issues, pex_risk = u.pex_risk, "
           "status = u.status, closed = u.closed, officer_id = u.officer_id, "
           "care_status = u.care_status, sen = u.sen, summary = u.summary, ref = u.ref, "
           "updated_at = ?1 FROM temp.staged_referral_updates u WHERE referrals.id = u.id");
    if (!st) return EXIT_IO;
    sqlite3_bind_text(st, 1, store_now(s), -1, SQLITE_TRANSIENT);
    if ((rc = store_step_done(s, st, "changing referrals"))) return rc;
    return run(s, "DELETE FROM temp.staged_referral_updates", "changing referrals");
}

/* ---- staged changes of children ---- */

int records_child_stage_begin(store *s)
{
    int rc =
        sqlite3_exec(s->db,
                     "CREATE TEMP TABLE IF NOT EXISTS staged_child_updates (id INTEGER PRIMARY "
                     "KEY, upn TEXT, la_child_id TEXT, first_name TEXT, last_name TEXT, "
                     "dob TEXT, gender TEXT, school_id INTEGER, care_status TEXT, sen TEXT, "
                     "sen_need TEXT, youth_justice INTEGER, social_work_ended TEXT); "
                     "DELETE FROM temp.staged_child_updates;",
                     NULL, NULL, NULL);
    return rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, "preparing the import");
}

int records_child_stage_update(store *s, int64_t id, const records_child *c, bool *changed)
{
    *changed = false;
    /* Compared with what is stored, or with what an earlier row of this change staged. */
    sqlite3_stmt *st = store_stmt(
        s,
        "SELECT 1 FROM (SELECT coalesce(u.upn, c.upn) AS upn, "
        "coalesce(u.la_child_id, c.la_child_id) AS la_child_id, "
        "coalesce(u.first_name, c.first_name) AS first_name, "
        "coalesce(u.last_name, c.last_name) AS last_name, coalesce(u.dob, c.dob) AS dob, "
        "coalesce(u.gender, c.gender) AS gender, coalesce(u.school_id, c.school_id) AS school_id, "
        "coalesce(u.care_status, c.care_status) AS care_status, coalesce(u.sen, c.sen) AS sen, "
        "coalesce(u.sen_need, c.sen_need) AS sen_need, "
        "coalesce(u.youth_justice, c.youth_justice) AS youth_justice, " SWE_SET_VALUE(
            "u.social_work_ended",
            "c.social_work_ended") " AS social_work_ended "
                                   "FROM children c LEFT JOIN temp.staged_child_updates u ON u.id "
                                   "= c.id WHERE c.id = ?1) "
                                   "WHERE " CHILD_DIFFERS);
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, id);
    bind_child_known(st, c);
    int64_t differs;
    int rc = store_step_int(s, st, &differs, "comparing a child");
    if (rc || !differs) return rc;
    st = store_stmt(
        s,
        "INSERT INTO temp.staged_child_updates(id, upn, la_child_id, first_name, last_name, "
        "dob, gender, school_id, care_status, sen, sen_need, youth_justice, social_work_ended) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT(id) DO UPDATE "
        "SET upn = coalesce(excluded.upn, upn), "
        "la_child_id = coalesce(excluded.la_child_id, la_child_id), "
        "first_name = coalesce(excluded.first_name, first_name), "
        "last_name = coalesce(excluded.last_name, last_name), dob = coalesce(excluded.dob, dob), "
        "gender = coalesce(excluded.gender, gender), "
        "school_id = coalesce(excluded.school_id, school_id), "
        "care_status = coalesce(excluded.care_status, care_status), "
        "sen = coalesce(excluded.sen, sen), sen_need = coalesce(excluded.sen_need, sen_need), "
        "youth_justice = coalesce(excluded.youth_justice, youth_justice), "
        "social_work_ended = coalesce(excluded.social_work_ended, social_work_ended)");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, id);
    bind_child_known(st, c);
    rc = store_step_done(s, st, "changing a child");
    if (!rc) *changed = true;
    return rc;
}

int records_child_flush(store *s)
{
    sqlite3_stmt *st = store_stmt(
        s,
        "UPDATE children SET upn = coalesce(u.upn, children.upn), "
        "la_child_id = coalesce(u.la_child_id, children.la_child_id), "
        "first_name = coalesce(u.first_name, children.first_name), "
        "last_name = coalesce(u.last_name, children.last_name), "
        "dob = coalesce(u.dob, children.dob), gender = coalesce(u.gender, children.gender), "
        "school_id = coalesce(u.school_id, children.school_id), "
        "care_status = coalesce(u.care_status, children.care_status), "
        "sen = coalesce(u.sen, children.sen), sen_need = coalesce(u.sen_need, children.sen_need), "
        "youth_justice = coalesce(u.youth_justice, children.youth_justice), " SWE_SET(
            "u.social_work_ended", "children.social_work_ended") ", updated_at = ?1 "
                                                                 "FROM temp.staged_child_updates u "
                                                                 "WHERE children.id = u.id");
    if (!st) return EXIT_IO;
    sqlite3_bind_text(st, 1, store_now(s), -1, SQLITE_TRANSIENT);
    int rc = store_step_done(s, st, "changing children");
    if (rc) return rc;
    return run(s, "DELETE FROM temp.staged_child_updates", "changing children");
}
