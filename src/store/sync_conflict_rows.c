/* sync_conflict_rows.c: the conflicts table: recorded, read (one, a page, all
 * open or all) with the ref and child each belongs to, counted and resolved. */
#include "caseload/syncstore.h"

#include "caseload/exitcode.h"
#include "syncstore_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- conflicts ---- */

int syncstore_conflict_add(store *s, const char *kind, const char *table, int64_t row_id,
                           const char *field, const merge_value *base, const merge_value *hub,
                           const merge_value *laptop, const char *laptop_name)
{
    /* Before the binds: store_now's own query would take a failed bind's code. */
    const char *now = store_now(s);
    int64_t id = store_new_id(s);
    sqlite3_stmt *st = store_stmt(
        s,
        "INSERT INTO conflicts(id, kind, tbl, row_id, field, base, hub, laptop, laptop_name, "
        "at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?10)");
    if (!st) return EXIT_IO;
    static const merge_value null = {MERGE_NULL, 0, 0, NULL, 0};
    store_bind_int64(s, st, 1, id);
    store_bind_text(s, st, 2, kind, -1, SQLITE_STATIC);
    store_bind_text(s, st, 3, table, -1, SQLITE_TRANSIENT);
    store_bind_int64(s, st, 4, row_id);
    store_bind_opt_text(s, st, 5, field);
    sync_bind_value(s, st, 6, base ? base : &null);
    sync_bind_value(s, st, 7, hub ? hub : &null);
    sync_bind_value(s, st, 8, laptop ? laptop : &null);
    store_bind_text(s, st, 9, laptop_name, -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 10, now, -1, SQLITE_TRANSIENT);
    return store_step_done(s, st, "recording a conflict");
}

#define CONFLICT_SELECT                                                                            \
    "SELECT c.id, c.kind, c.tbl, c.row_id, c.field, c.base, c.hub, c.laptop, c.laptop_name, "      \
    "c.at, c.state, c.resolution, "                                                                \
    "CASE c.tbl WHEN 'referrals' THEN (SELECT ref FROM referrals WHERE id = c.row_id) "            \
    "WHEN 'actions' THEN (SELECT r.ref FROM actions a JOIN referrals r ON r.id = a.referral_id "   \
    "WHERE a.id = c.row_id) "                                                                      \
    "WHEN 'outcomes' THEN (SELECT r.ref FROM outcomes o JOIN referrals r "                         \
    "ON r.id = o.referral_id WHERE o.id = c.row_id) END, "                                         \
    "(SELECT coalesce(ch.upn, ch.la_child_id) FROM children ch WHERE ch.id = CASE c.tbl "          \
    "WHEN 'children' THEN c.row_id "                                                               \
    "WHEN 'referrals' THEN (SELECT child_id FROM referrals WHERE id = c.row_id) "                  \
    "WHEN 'exclusions' THEN (SELECT child_id FROM exclusions WHERE id = c.row_id) "                \
    "WHEN 'attendance' THEN (SELECT child_id FROM attendance WHERE id = c.row_id) "                \
    "WHEN 'episodes' THEN (SELECT child_id FROM episodes WHERE id = c.row_id) "                    \
    "WHEN 'actions' THEN (SELECT r.child_id FROM actions a JOIN referrals r "                      \
    "ON r.id = a.referral_id WHERE a.id = c.row_id) "                                              \
    "WHEN 'outcomes' THEN (SELECT r.child_id FROM outcomes o JOIN referrals r "                    \
    "ON r.id = o.referral_id WHERE o.id = c.row_id) END) "                                         \
    "FROM conflicts c "

static const char *text_or_null(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : store_col_text(st, i);
}

static int conflict_rows(store *s, sqlite3_stmt *st, syncstore_conflict_fn fn, void *ctx, bool *any)
{
    int rc, code = EXIT_OK;
    *any = false;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        *any = true;
        syncstore_conflict c;
        c.id = sqlite3_column_int64(st, 0);
        c.kind = store_col_text(st, 1);
        c.table = store_col_text(st, 2);
        c.row_id = sqlite3_column_int64(st, 3);
        c.field = text_or_null(st, 4);
        sync_value_from(sqlite3_column_value(st, 5), &c.base);
        sync_value_from(sqlite3_column_value(st, 6), &c.hub);
        sync_value_from(sqlite3_column_value(st, 7), &c.laptop);
        c.laptop_name = store_col_text(st, 8);
        c.at = store_col_text(st, 9);
        c.state = store_col_text(st, 10);
        c.resolution = store_col_text(st, 11);
        c.ref = text_or_null(st, 12);
        c.child = text_or_null(st, 13);
        if ((code = fn(ctx, &c))) break;
    }
    if (!code && rc != SQLITE_DONE) code = store_fail(s, rc, "reading the conflicts");
    sqlite3_reset(st);
    return code;
}

int syncstore_conflict_each(store *s, bool all, syncstore_conflict_fn fn, void *ctx)
{
    sqlite3_stmt *st =
        store_stmt(s, CONFLICT_SELECT "WHERE ?1 OR c.state = 'open' ORDER BY c.at, c.id");
    if (!st) return EXIT_IO;
    store_bind_int(s, st, 1, all);
    bool any;
    return conflict_rows(s, st, fn, ctx, &any);
}

int syncstore_conflict_page(store *s, const syncstore_conflict_key *from, bool backward, int limit,
                            syncstore_conflict_fn fn, void *ctx)
{
    /* No key: from before the first (at "" sorts first) or after the last (at holds
     * YYYY-MM-DDTHH:MM:SS.SSSZ, all before "~"). */
    sqlite3_stmt *st =
        !backward
            ? store_stmt(s, CONFLICT_SELECT "WHERE c.state = 'open' AND (c.at, c.id) > (?1, ?2) "
                                            "ORDER BY c.at, c.id LIMIT ?3")
            : store_stmt(s, CONFLICT_SELECT "WHERE c.state = 'open' AND (c.at, c.id) < (?1, ?2) "
                                            "ORDER BY c.at DESC, c.id DESC LIMIT ?3");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, from ? from->at : backward ? "~" : "", -1, SQLITE_TRANSIENT);
    store_bind_int64(s, st, 2, from ? from->id : backward ? INT64_MAX : INT64_MIN);
    store_bind_int(s, st, 3, limit);
    bool any;
    return conflict_rows(s, st, fn, ctx, &any);
}

int syncstore_conflict_get(store *s, int64_t id, syncstore_conflict_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt(s, CONFLICT_SELECT "WHERE c.id = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    bool any;
    int rc = conflict_rows(s, st, fn, ctx, &any);
    return rc ? rc : any ? EXIT_OK : EXIT_FOUND;
}

int syncstore_conflict_open_count(store *s, const char *table, int64_t row_id, int64_t *n)
{
    sqlite3_stmt *st;
    if (table) {
        st = store_stmt(s, "SELECT count(*) FROM conflicts WHERE state = 'open' AND tbl = ?1 "
                           "AND row_id = ?2");
        if (!st) return EXIT_IO;
        store_bind_text(s, st, 1, table, -1, SQLITE_TRANSIENT);
        store_bind_int64(s, st, 2, row_id);
    } else {
        st = store_stmt(s, "SELECT count(*) FROM conflicts WHERE state = 'open'");
        if (!st) return EXIT_IO;
    }
    return store_step_int(s, st, n, "counting the conflicts");
}

int syncstore_conflict_open_field(store *s, const char *table, int64_t row_id, const char *field,
                                  bool *open)
{
    *open = false;
    sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM conflicts WHERE state = 'open' AND "
                                     "tbl = ?1 AND row_id = ?2 AND field IS ?3");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, table, -1, SQLITE_TRANSIENT);
    store_bind_int64(s, st, 2, row_id);
    store_bind_opt_text(s, st, 3, field);
    int64_t n;
    int rc = store_step_int(s, st, &n, "reading the conflicts");
    *open = n > 0;
    return rc;
}

int syncstore_conflict_resolve(store *s, int64_t id, const char *resolution)
{
    const char *now = store_now(s);
    sqlite3_stmt *st = store_stmt(s, "UPDATE conflicts SET state = 'resolved', resolution = ?2, "
                                     "resolved_by = ?3, resolved_at = ?4, updated_at = ?4 "
                                     "WHERE id = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    store_bind_text(s, st, 2, resolution, -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 3, store_actor(), -1, SQLITE_STATIC);
    store_bind_text(s, st, 4, now, -1, SQLITE_TRANSIENT);
    return store_step_done(s, st, "resolving a conflict");
}
