/* child_events.c: what happens to a child outside a referral: exclusions, attendance records and
 * episodes (alternative provision, tuition...), each kept once by its natural key and read back in
 * the column order of SPEC section 6 (records.h); a child's open episodes and their ending, for
 * the app's episode form (edit.h). */
#include "caseload/edit.h"
#include "caseload/records.h"

#include "caseload/exitcode.h"
#include "store_internal.h"
#include <stdio.h>
#include <string.h>

static void bind_real_or_null(store *s, sqlite3_stmt *st, int i, double v)
{
    if (v < 0)
        store_bind_null(s, st, i);
    else
        store_bind_double(s, st, i, v);
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

/* Finds a child's row by its natural key (sql selects id with ?1 the child, ?2 and ?3 the key):
 * *found is its id, 0 when there is none, and *row the id it keeps or the one a new row takes. */
static int find_keyed(store *s, const char *sql, int64_t child_id, const char *k2, const char *k3,
                      const char *what, int64_t *found, int64_t *row, int64_t *id_out)
{
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, child_id);
    store_bind_text(s, st, 2, k2, -1, SQLITE_STATIC);
    store_bind_text(s, st, 3, k3, -1, SQLITE_STATIC);
    int rc = store_step_int(s, st, found, what);
    if (rc) return rc;
    *row = *found ? *found : store_new_id(s);
    if (id_out) *id_out = *row;
    return EXIT_OK;
}

int records_exclusion_put(store *s, int64_t child_id, const char *start, const char *category,
                          double days, const char *reason, int64_t school_id,
                          records_result *result, int64_t *id_out)
{
    *result = RECORDS_UNCHANGED;
    int64_t id, nid;
    int rc = find_keyed(s,
                        "SELECT id FROM exclusions WHERE child_id = ?1 AND "
                        "category = ?2 AND start = ?3 ORDER BY id LIMIT 1",
                        child_id, category, start, "finding an exclusion", &id, &nid, id_out);
    if (rc) return rc;
    sqlite3_stmt *st;
    if (!id) {
        st = store_stmt(s, "INSERT INTO exclusions(id, days, reason, school_id, child_id, start, "
                           "category) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        if (!st) return EXIT_IO;
        store_bind_int64(s, st, 1, nid);
        store_bind_int64(s, st, 5, child_id);
        store_bind_text(s, st, 6, start, -1, SQLITE_STATIC);
        store_bind_text(s, st, 7, category, -1, SQLITE_STATIC);
    } else {
        st = store_stmt(s, "UPDATE exclusions SET days = ?2, reason = ?3, school_id = ?4, "
                           "updated_at = " STORE_NOW_SQL " WHERE id = ?1 AND (days IS NOT ?2 OR "
                           "reason IS NOT ?3 OR school_id IS NOT ?4)");
        if (!st) return EXIT_IO;
        store_bind_int64(s, st, 1, id);
    }
    bind_real_or_null(s, st, 2, days);
    store_bind_opt_text(s, st, 3, reason);
    store_bind_opt_id(s, st, 4, school_id);
    return put_result(s, store_step_done(s, st, "saving an exclusion"), !id, result);
}

int records_attendance_put(store *s, int64_t child_id, const char *from, const char *to,
                           long possible, long attended, records_result *result, int64_t *id_out)
{
    *result = RECORDS_UNCHANGED;
    int64_t id, nid;
    int rc = find_keyed(s,
                        "SELECT id FROM attendance WHERE child_id = ?1 AND "
                        "to_date = ?3 AND from_date = ?2 ORDER BY id LIMIT 1",
                        child_id, from, to, "finding an attendance record", &id, &nid, id_out);
    if (rc) return rc;
    sqlite3_stmt *st;
    if (!id) {
        st = store_stmt(s, "INSERT INTO attendance(id, possible, attended, child_id, from_date, "
                           "to_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        if (!st) return EXIT_IO;
        store_bind_int64(s, st, 1, nid);
        store_bind_int64(s, st, 4, child_id);
        store_bind_text(s, st, 5, from, -1, SQLITE_STATIC);
        store_bind_text(s, st, 6, to, -1, SQLITE_STATIC);
    } else {
        st = store_stmt(
            s, "UPDATE attendance SET possible = ?2, attended = ?3, updated_at = " STORE_NOW_SQL
               " WHERE id = ?1 AND (possible IS NOT ?2 OR attended IS NOT ?3)");
        if (!st) return EXIT_IO;
        store_bind_int64(s, st, 1, id);
    }
    store_bind_int64(s, st, 2, possible);
    store_bind_int64(s, st, 3, attended);
    return put_result(s, store_step_done(s, st, "saving an attendance record"), !id, result);
}

int records_episode_put(store *s, int64_t child_id, const char *kind, const char *start,
                        const char *end, double hours, int in_county, records_result *result,
                        int64_t *id_out)
{
    *result = RECORDS_UNCHANGED;
    int64_t id, nid;
    int rc = find_keyed(s,
                        "SELECT id FROM episodes WHERE child_id = ?1 AND "
                        "kind = ?2 AND start = ?3 ORDER BY id LIMIT 1",
                        child_id, kind, start, "finding an episode", &id, &nid, id_out);
    if (rc) return rc;
    sqlite3_stmt *st;
    if (!id) {
        st = store_stmt(s, "INSERT INTO episodes(id, end_date, hours_per_week, in_county, "
                           "child_id, kind, start) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        if (!st) return EXIT_IO;
        store_bind_int64(s, st, 1, nid);
        store_bind_int64(s, st, 5, child_id);
        store_bind_text(s, st, 6, kind, -1, SQLITE_STATIC);
        store_bind_text(s, st, 7, start, -1, SQLITE_STATIC);
    } else {
        st = store_stmt(s, "UPDATE episodes SET end_date = ?2, hours_per_week = ?3, "
                           "in_county = ?4, updated_at = " STORE_NOW_SQL " WHERE id = ?1 AND "
                           "(end_date IS NOT ?2 OR hours_per_week IS NOT ?3 OR "
                           "in_county IS NOT ?4)");
        if (!st) return EXIT_IO;
        store_bind_int64(s, st, 1, id);
    }
    store_bind_opt_text(s, st, 2, end);
    bind_real_or_null(s, st, 3, hours);
    if (in_county >= 0)
        store_bind_int(s, st, 4, in_county > 0);
    else
        store_bind_null(s, st, 4);
    return put_result(s, store_step_done(s, st, "saving an episode"), !id, result);
}

int records_each_exclusion(store *s, records_row_fn fn, void *ctx)
{
    sqlite3_stmt *st =
        store_stmt(s, "SELECT c.upn, c.la_child_id, e.start, e.category, e.days, e.reason, sc.urn "
                      "FROM exclusions e JOIN children c ON c.id = e.child_id "
                      "LEFT JOIN schools sc ON sc.id = e.school_id "
                      "ORDER BY " CHILD_ORDER ", e.start, e.category");
    return store_each_row(s, st, fn, ctx, "reading exclusions");
}

int records_each_attendance(store *s, records_row_fn fn, void *ctx)
{
    sqlite3_stmt *st =
        store_stmt(s, "SELECT c.upn, c.la_child_id, a.from_date, a.to_date, a.possible, "
                      "a.attended FROM attendance a JOIN children c ON c.id = a.child_id "
                      "ORDER BY " CHILD_ORDER ", a.from_date, a.to_date");
    return store_each_row(s, st, fn, ctx, "reading attendance");
}

int records_each_episode(store *s, records_row_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt(
        s, "SELECT c.upn, c.la_child_id, e.kind, e.start, e.end_date, e.hours_per_week, " YESNO(
               "e.in_county") " FROM episodes e JOIN children c ON c.id = e.child_id "
                              "ORDER BY " CHILD_ORDER ", e.start, e.kind");
    return store_each_row(s, st, fn, ctx, "reading episodes");
}

int edit_episodes_open(store *s, int64_t child_id, edit_episode *out, int max, int *n)
{
    *n = 0;
    sqlite3_stmt *st = store_stmt(s, "SELECT id, kind, start FROM episodes WHERE child_id = ?1 "
                                     "AND end_date IS NULL ORDER BY start, id LIMIT ?2");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, child_id);
    store_bind_int(s, st, 2, max);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW && *n < max) {
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
    store_bind_int64(s, st, 1, id);
    store_bind_text(s, st, 2, end, -1, SQLITE_TRANSIENT);
    int rc = store_step_done(s, st, "ending the episode");
    if (!rc) *ended = sqlite3_changes(s->db) > 0;
    return rc;
}
