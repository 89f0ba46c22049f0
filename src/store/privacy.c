/* privacy.c: children's data in the database (SPEC section 10): what the retention rules look at,
 * and erasing a child for good with a tombstone left behind.
 *
 * Erasing: with secure_delete on (store_open), SQLite overwrites a deleted row's bytes in the
 * database pages. Two copies survive that: the search index keeps the deleted text's entries in
 * its older segments until they are merged (FTS5 'optimize', privacy_compact), and in WAL mode the
 * pages as they were before stay in the -wal file until a checkpoint copies the new ones into the
 * database and truncates it (privacy_checkpoint).
 *
 * Offline copies (SPEC section 9) keep a third copy, in their change log: a purge notes every row
 * of the child by key (erased_rows) and has the log rewritten without them (privacy_log.c). A copy
 * that applies the tombstone from a pack runs the same erase. The child's conflicts and access log
 * are read in privacy_access.c. */
#include "privacy_internal.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/privacy.h"
#include "caseload/syncstore.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The latest date recorded about child c.id ('' when none). Each arm reads an index on the child
 * or the referral. */
#define LAST_ACTIVITY                                                                              \
    "max(coalesce((SELECT max(max(received, coalesce(closed, ''))) FROM referrals "                \
    "WHERE child_id = c.id), ''), "                                                                \
    "coalesce((SELECT max(a.date) FROM referrals r JOIN actions a ON a.referral_id = r.id "        \
    "WHERE r.child_id = c.id), ''), "                                                              \
    "coalesce((SELECT max(o.date) FROM referrals r JOIN outcomes o ON o.referral_id = r.id "       \
    "WHERE r.child_id = c.id), ''), "                                                              \
    "coalesce((SELECT max(start) FROM exclusions WHERE child_id = c.id), ''), "                    \
    "coalesce((SELECT max(to_date) FROM attendance WHERE child_id = c.id), ''), "                  \
    "coalesce((SELECT max(max(start, coalesce(end_date, ''))) FROM episodes "                      \
    "WHERE child_id = c.id), ''))"

#define CHILD_SELECT                                                                               \
    "SELECT c.id, coalesce(c.upn, ''), coalesce(c.la_child_id, ''), c.dob, "                       \
    "coalesce(c.social_work_ended, ''), " LAST_ACTIVITY " FROM children c "

static void read_child(sqlite3_stmt *st, privacy_child *c)
{
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    COPY(c->upn, st, 1);
    COPY(c->la_child_id, st, 2);
    COPY(c->dob, st, 3);
    COPY(c->social_work_ended, st, 4);
    COPY(c->last_activity, st, 5);
}

int privacy_each_child(store *s, privacy_child_fn fn, void *ctx)
{
    sqlite3_stmt *st =
        store_stmt(s, CHILD_SELECT "ORDER BY c.upn IS NULL, c.upn, c.la_child_id, c.id");
    if (!st) return EXIT_IO;
    int rc = SQLITE_DONE, stop = 0;
    while (!stop && (rc = store_step(s, st)) == SQLITE_ROW) {
        privacy_child c;
        read_child(st, &c);
        stop = fn(ctx, &c);
    }
    sqlite3_reset(st);
    if (stop) return stop;
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the children");
}

int privacy_child_get(store *s, int64_t id, privacy_child *out)
{
    sqlite3_stmt *st = store_stmt(s, CHILD_SELECT "WHERE c.id = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) read_child(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return EXIT_OK;
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no such child");
        return EXIT_FOUND;
    }
    return store_fail(s, rc, "reading a child");
}

/* Runs sql (with ?1 the child's key) once for every table of the main schema holding a column
 * named col, except the tables named in skip (a space-separated list, each followed by a space). */
static int delete_by_column(store *s, int64_t child_id, const char *col, const char *skip,
                            const char *where_fmt)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT m.name FROM main.sqlite_schema m "
                                     "JOIN pragma_table_info(m.name) p ON p.name = ?1 "
                                     "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' "
                                     "ORDER BY m.name");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, col, -1, SQLITE_STATIC);
    buf names = BUF_INIT;
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        buf_puts(&names, store_col_text(st, 0));
        buf_putc(&names, '\0');
    }
    sqlite3_reset(st);
    int code = rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "erasing a child");
    for (size_t at = 0; !code && at < names.len; at += strlen(names.data + at) + 1) {
        const char *t = names.data + at;
        char key[80];
        snprintf(key, sizeof key, " %s ", t);
        if (strstr(skip, key)) continue;
        buf q = BUF_INIT;
        buf_puts(&q, "DELETE FROM \"");
        for (const char *p = t; *p; p++) {
            if (*p == '"') buf_putc(&q, '"');
            buf_putc(&q, *p);
        }
        buf_puts(&q, "\" WHERE ");
        buf_printf(&q, where_fmt, col);
        sqlite3_stmt *del = NULL;
        rc = sqlite3_prepare_v2(s->db, buf_str(&q), -1, &del, NULL);
        if (rc == SQLITE_OK) {
            store_bind_int64(s, del, 1, child_id);
            rc = store_step(s, del);
            if (rc == SQLITE_DONE) rc = SQLITE_OK;
        }
        if (rc != SQLITE_OK) code = store_fail(s, rc, "erasing a child");
        sqlite3_finalize(del);
        buf_free(&q);
    }
    buf_free(&names);
    return code;
}

/* ---- the child's rows, by key ---- */

static int exec_child(store *s, const char *sql, int64_t child_id, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        store_bind_int64(s, st, 1, child_id);
        rc = store_step(s, st);
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, what);
}

/* Notes in erased_rows every row of the synced tables that belongs to child_id: the child, the
 * rows naming it, the rows naming those, and the audit and conflict rows about any of them. */
static int note_rows_here(store *s, int64_t child_id)
{
    int rc = exec_child(s,
                        "INSERT OR IGNORE INTO erased_rows(tbl, row_id, child_id) "
                        "VALUES ('children', ?1, ?1)",
                        child_id, "erasing a child");
    /* Parents come first in syncstore_tables; a second round finds the audit rows about
     * conflicts, which come after the audit. */
    for (int round = 0; round < 2 && !rc; round++) {
        for (size_t t = 0; syncstore_tables[t] && !rc; t++) {
            const char *table = syncstore_tables[t];
            const char *const *names;
            int n;
            if ((rc = syncstore_columns(s, table, &names, &n))) break;
            for (size_t l = 0; l < privacy_nlinks && !rc; l++) {
                if (privacy_column_at(names, n, privacy_links[l].column) < 0) continue;
                char *sql = sqlite3_mprintf(
                    "INSERT OR IGNORE INTO erased_rows(tbl, row_id, child_id) SELECT %Q, id, ?1 "
                    "FROM \"%w\" WHERE \"%w\" IN (SELECT row_id FROM erased_rows "
                    "WHERE child_id = ?1 AND tbl = %Q)",
                    table, table, privacy_links[l].column, privacy_links[l].parent);
                rc = sql ? exec_child(s, sql, child_id, "erasing a child") : EXIT_IO;
                sqlite3_free(sql);
            }
            if (!rc && privacy_column_at(names, n, "tbl") >= 0 &&
                privacy_column_at(names, n, "row_id") >= 0 && strcmp(table, "tombstones") != 0) {
                char *sql = sqlite3_mprintf(
                    "INSERT OR IGNORE INTO erased_rows(tbl, row_id, child_id) SELECT %Q, t.id, ?1 "
                    "FROM erased_rows e JOIN \"%w\" t ON t.tbl = e.tbl AND t.row_id = e.row_id "
                    "WHERE e.child_id = ?1",
                    table, table);
                rc = sql ? exec_child(s, sql, child_id, "erasing a child") : EXIT_IO;
                sqlite3_free(sql);
            }
        }
    }
    return rc;
}

/* ---- erasing ---- */

int privacy_erase(store *s, int64_t child_id)
{
    int rc;
    if ((rc = note_rows_here(s, child_id))) return rc;
    /* The rows of the synced tables, children before parents; then whatever else names the
     * child or one of its referrals (derived tables); the child last. */
    size_t nt = 0;
    while (syncstore_tables[nt])
        nt++;
    for (size_t t = nt; t-- > 0 && !rc;) {
        const char *table = syncstore_tables[t];
        if (strcmp(table, "children") == 0 || strcmp(table, "tombstones") == 0) continue;
        char *sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE id IN (SELECT row_id FROM "
                                    "erased_rows WHERE child_id = ?1 AND tbl = %Q)",
                                    table, table);
        rc = sql ? exec_child(s, sql, child_id, "erasing a child") : EXIT_IO;
        sqlite3_free(sql);
    }
    if (rc) return rc;
    if ((rc = delete_by_column(s, child_id, "referral_id", " ",
                               "%s IN (SELECT id FROM referrals WHERE child_id = ?1)")))
        return rc;
    if ((rc = delete_by_column(s, child_id, "child_id", " erased_rows ", "%s = ?1"))) return rc;
    sqlite3_stmt *st = store_stmt(s, "DELETE FROM children WHERE id = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, child_id);
    if ((rc = store_step_done(s, st, "erasing a child"))) return rc;
    /* This transaction's own changeset is written without them too (privacy_compact rewrites
     * the log's earlier ones). */
    syncstore_erasing(s);
    return EXIT_OK;
}

int privacy_purge(store *s, int64_t child_id, const char *rule, const char *officer,
                  const char *on_date, const char *reason)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM children WHERE id = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, child_id);
    int rc = store_step(s, st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no such child");
        return EXIT_FOUND;
    }
    if (rc != SQLITE_ROW) return store_fail(s, rc, "erasing a child");
    if ((rc = privacy_erase(s, child_id))) return rc;

    st = store_stmt(s, "INSERT INTO tombstones(id, tbl, row_key, rule, officer, os_user, on_date, "
                       "reason, created_at, updated_at) "
                       "VALUES (?1, 'children', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)");
    if (!st) return EXIT_IO;
    int64_t id = store_new_id(s);
    store_bind_int64(s, st, 1, id);
    store_bind_int64(s, st, 2, child_id);
    store_bind_text(s, st, 3, rule, -1, SQLITE_STATIC);
    store_bind_text(s, st, 4, officer, -1, SQLITE_STATIC);
    store_bind_text(s, st, 5, store_os_user(), -1, SQLITE_STATIC);
    store_bind_text(s, st, 6, on_date, -1, SQLITE_STATIC);
    store_bind_text(s, st, 7, reason, -1, SQLITE_STATIC);
    store_bind_text(s, st, 8, store_now(s), -1, SQLITE_TRANSIENT);
    if ((rc = store_step_done(s, st, "leaving a tombstone"))) return rc;
    /* The audit row names the tombstone (which holds the child's key): it travels with it, and a
     * copy erasing the child's rows keeps it. */
    return store_audit(s, "purge", "tombstones", id, rule);
}

int privacy_compact(store *s)
{
    /* The change log of an offline copy: rows gone before the purge, found by what named them,
     * then every changeset rewritten without the erased rows (once for all the children erased in
     * the transaction). */
    int64_t logged = 0;
    int rc = syncstore_log_max(s, &logged);
    if (rc || (logged && (rc = privacy_rewrite_log(s)))) return rc;
    /* The search text of the erased rows leaves the index first (it is otherwise folded out at
     * commit, after the merge below: its terms would stay in the old segments). */
    rc = store_search_refresh(s);
    if (rc) return rc;
    rc = sqlite3_exec(s->db, "INSERT INTO referral_search(referral_search) VALUES ('optimize')",
                      NULL, NULL, NULL);
    if (rc != SQLITE_OK) return store_fail(s, rc, "rewriting the search index");
    /* Statistics with sampled values (ANALYZE with STAT4) could keep a deleted key: renewed. */
    sqlite3_stmt *st =
        store_stmt(s, "SELECT 1 FROM main.sqlite_schema WHERE name = 'sqlite_stat4'");
    if (!st) return EXIT_IO;
    bool stat4 = store_step(s, st) == SQLITE_ROW;
    sqlite3_reset(st);
    if (stat4 && (rc = sqlite3_exec(s->db, "ANALYZE", NULL, NULL, NULL)) != SQLITE_OK)
        return store_fail(s, rc, "renewing the statistics");
    return EXIT_OK;
}

/* The children of tombstones with no note in erased_rows whose row is gone (a purge before
 * migration 0014). */
#define UNNOTED                                                                                    \
    "SELECT t.row_key FROM tombstones t WHERE t.tbl = 'children' AND NOT EXISTS "                  \
    "(SELECT 1 FROM erased_rows e WHERE e.tbl = 'children' AND e.row_id = t.row_key) AND NOT "     \
    "EXISTS (SELECT 1 FROM children c WHERE c.id = t.row_key)"

int privacy_erase_old_tombstones(store *s)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT EXISTS (" UNNOTED ")");
    int64_t any = 0;
    if (!st) return EXIT_IO;
    int rc = store_step_int(s, st, &any, "reading the tombstones");
    if (rc || !any) return rc;
    if ((rc = store_begin(s))) return rc == EXIT_BUSY ? EXIT_OK : rc;
    /* Read again inside the transaction: another program may have erased them meanwhile. */
    int64_t child, n = 0;
    for (;;) {
        if (!(st = store_stmt(s, UNNOTED " LIMIT 1"))) {
            rc = EXIT_IO;
            break;
        }
        if ((rc = store_step_int(s, st, &child, "reading the tombstones")) || !child) break;
        if ((rc = privacy_erase(s, child))) break;
        n++;
    }
    if (!rc && n) rc = privacy_compact(s);
    if (rc) {
        store_rollback(s);
        return rc == EXIT_BUSY ? EXIT_OK : rc;
    }
    if ((rc = store_commit(s))) return rc == EXIT_BUSY ? EXIT_OK : rc;
    bool complete;
    return n ? privacy_checkpoint(s, &complete) : EXIT_OK;
}

int privacy_checkpoint(store *s, bool *complete)
{
    *complete = false;
    /* A statement of this connection left on a row would keep a read transaction open, and the
     * log could not be emptied past it. */
    for (sqlite3_stmt *p = sqlite3_next_stmt(s->db, NULL); p; p = sqlite3_next_stmt(s->db, p))
        if (sqlite3_stmt_busy(p)) sqlite3_reset(p);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        *complete = sqlite3_column_int(st, 0) == 0;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return EXIT_OK; /* *complete stays false */
    return rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, "emptying the write-ahead log");
}
