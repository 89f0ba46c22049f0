/* children.c: the children's rows: found by UPN or LA child id, added, updated (one at a time or
 * staged and written in one statement by a large import), and read back in the column order of
 * SPEC section 6 (records.h); a child's current facts set whole by the app's child form (edit.h).
 */
#include "caseload/edit.h"
#include "caseload/records.h"

#include "caseload/exitcode.h"
#include "store_internal.h"
#include <stdio.h>
#include <string.h>

static int child_find_by(store *s, sqlite3_stmt *st, const char *key, records_child_key *out)
{
    store_bind_text(s, st, 1, key, -1, SQLITE_STATIC);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        snprintf(out->upn, sizeof out->upn, "%s", store_col_text(st, 1));
        snprintf(out->la_child_id, sizeof out->la_child_id, "%s", store_col_text(st, 2));
        snprintf(out->dob, sizeof out->dob, "%s", store_col_text(st, 3));
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "finding a child");
}

/* social_work_ended in an update: the parameter p is NULL (not given: keep col), '' (none: clear)
 * or a date. */
#define SWE_SET_VALUE(p, col) "CASE WHEN " p " IS NULL THEN " col " ELSE nullif(" p ", '') END"
#define SWE_SET(p, col) "social_work_ended = " SWE_SET_VALUE(p, col)

static void bind_swe(store *s, sqlite3_stmt *st, int i, const char *v)
{
    if (v) store_bind_text(s, st, i, v, -1, SQLITE_TRANSIENT);
}

int records_child_find(store *s, const char *upn, const char *la_child_id, records_child_key *out)
{
    memset(out, 0, sizeof *out);
    int rc;
    if (store_known(upn)) {
        sqlite3_stmt *st =
            store_stmt(s, "SELECT id, upn, la_child_id, dob FROM children WHERE upn = ?1");
        if (!st) return EXIT_IO;
        if ((rc = child_find_by(s, st, upn, out)) || out->id) return rc;
    }
    if (store_known(la_child_id)) {
        sqlite3_stmt *st =
            store_stmt(s, "SELECT id, upn, la_child_id, dob FROM children WHERE la_child_id = ?1");
        if (!st) return EXIT_IO;
        return child_find_by(s, st, la_child_id, out);
    }
    return EXIT_OK;
}

int records_child_none(store *s, bool *none)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT NOT EXISTS (SELECT 1 FROM children)");
    if (!st) return EXIT_IO;
    int64_t v = 0;
    int rc = store_step_int(s, st, &v, "reading children");
    *none = !rc && v;
    return rc;
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
    store_bind_int64(s, st, 1, nid);
    store_bind_opt_text(s, st, 2, c->upn);
    store_bind_opt_text(s, st, 3, c->la_child_id);
    store_bind_text(s, st, 4, c->first_name ? c->first_name : "", -1, SQLITE_STATIC);
    store_bind_text(s, st, 5, c->last_name ? c->last_name : "", -1, SQLITE_STATIC);
    store_bind_text(s, st, 6, c->dob ? c->dob : "", -1, SQLITE_STATIC);
    store_bind_opt_text(s, st, 7, c->gender);
    store_bind_opt_id(s, st, 8, c->school_id);
    store_bind_opt_text(s, st, 9, c->care_status);
    store_bind_opt_text(s, st, 10, c->sen);
    store_bind_opt_text(s, st, 11, c->sen_need);
    store_bind_int(s, st, 12, c->youth_justice > 0);
    store_bind_text(s, st, 13, store_now(s), -1, SQLITE_TRANSIENT);
    store_bind_opt_text(s, st, 14, c->social_work_ended);
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
static void bind_child_known(store *s, sqlite3_stmt *st, const records_child *c)
{
    store_bind_opt_text(s, st, 2, c->upn);
    store_bind_opt_text(s, st, 3, c->la_child_id);
    store_bind_opt_text(s, st, 4, c->first_name);
    store_bind_opt_text(s, st, 5, c->last_name);
    store_bind_opt_text(s, st, 6, c->dob);
    store_bind_opt_text(s, st, 7, c->gender);
    store_bind_opt_id(s, st, 8, c->school_id);
    store_bind_opt_text(s, st, 9, c->care_status);
    store_bind_opt_text(s, st, 10, c->sen);
    store_bind_opt_text(s, st, 11, c->sen_need);
    if (c->youth_justice >= 0) store_bind_int(s, st, 12, c->youth_justice > 0);
    bind_swe(s, st, 13, c->social_work_ended);
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
               "?13", "social_work_ended") ", updated_at = " STORE_NOW_SQL " WHERE id = ?1 AND "
                                           "(" CHILD_DIFFERS ")");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    bind_child_known(s, st, c);
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
        store_stmt(s, "UPDATE children SET care_status = ?4, sen = ?5, updated_at = " STORE_NOW_SQL
                      " WHERE id = ?1 AND (care_status IS NOT ?4 OR sen IS NOT ?5) AND NOT EXISTS "
                      "(SELECT 1 FROM referrals WHERE child_id = ?1 AND "
                      "(received > ?3 OR (received = ?3 AND ref > ?2)))");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, child_id);
    store_bind_text(s, st, 2, ref, -1, SQLITE_STATIC);
    store_bind_text(s, st, 3, received, -1, SQLITE_STATIC);
    store_bind_opt_text(s, st, 4, care_status);
    store_bind_opt_text(s, st, 5, sen);
    int rc = store_step_done(s, st, "updating a child's status");
    if (!rc && changed) *changed = sqlite3_changes(s->db) > 0;
    return rc;
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
    store_bind_int64(s, st, 1, id);
    bind_child_known(s, st, c);
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
    store_bind_int64(s, st, 1, id);
    bind_child_known(s, st, c);
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
    store_bind_text(s, st, 1, store_now(s), -1, SQLITE_TRANSIENT);
    int rc = store_step_done(s, st, "changing children");
    if (rc) return rc;
    return store_run(s, "DELETE FROM temp.staged_child_updates", "changing children");
}

int records_each_child(store *s, records_row_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt(
        s, "SELECT c.upn, c.la_child_id, c.first_name, c.last_name, c.dob, c.gender, sc.urn, "
           "sc.name, c.care_status, c.sen, c.sen_need, " YESNO(
               "c.youth_justice") ", c.social_work_ended FROM children c "
                                  "LEFT JOIN schools sc ON sc.id = c.school_id "
                                  "ORDER BY " CHILD_ORDER);
    return store_each_row(s, st, fn, ctx, "reading children");
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
    store_bind_int64(s, st, 1, id);
    store_bind_opt_text(s, st, 2, care_status);
    store_bind_opt_text(s, st, 3, sen);
    store_bind_opt_text(s, st, 4, sen_need);
    store_bind_opt_id(s, st, 5, school_id);
    store_bind_int(s, st, 6, youth_justice ? 1 : 0);
    store_bind_opt_text(s, st, 7, social_work_ended);
    return store_step_done(s, st, "saving the child");
}
