/* privacy.c: children's data in the database (SPEC section 10): what the retention rules look at,
 * erasing a child for good with a tombstone left behind, and the child's access log.
 *
 * Erasing: with secure_delete on (store_open), SQLite overwrites a deleted row's bytes in the
 * database pages. Two copies survive that: the search index keeps the deleted text's entries in
 * its older segments until they are merged (FTS5 'optimize', privacy_compact), and in WAL mode the
 * pages as they were before stay in the -wal file until a checkpoint copies the new ones into the
 * database and truncates it (privacy_checkpoint). */
#include "store_internal.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/privacy.h"
#include <stdio.h>
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
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        privacy_child c;
        read_child(st, &c);
        int stop = fn(ctx, &c);
        if (stop) {
            sqlite3_reset(st);
            return stop;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the children");
}

int privacy_child_get(store *s, int64_t id, privacy_child *out)
{
    sqlite3_stmt *st = store_stmt(s, CHILD_SELECT "WHERE c.id = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
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
    sqlite3_bind_text(st, 1, col, -1, SQLITE_STATIC);
    buf names = BUF_INIT;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
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
            sqlite3_bind_int64(del, 1, child_id);
            rc = sqlite3_step(del);
            if (rc == SQLITE_DONE) rc = SQLITE_OK;
        }
        if (rc != SQLITE_OK) code = store_fail(s, rc, "erasing a child");
        sqlite3_finalize(del);
        buf_free(&q);
    }
    buf_free(&names);
    return code;
}

/* (tbl, row_id) names a row about child ?1: the child, a referral of it, an action or outcome
 * of one, or one of its events. */
#define ROWS_OF_CHILD                                                                              \
    "(tbl = 'children' AND row_id = ?1) OR "                                                       \
    "(tbl = 'referrals' AND row_id IN (SELECT id FROM referrals WHERE child_id = ?1)) OR "         \
    "(tbl = 'actions' AND row_id IN (SELECT a.id FROM actions a JOIN referrals r "                 \
    "ON r.id = a.referral_id WHERE r.child_id = ?1)) OR "                                          \
    "(tbl = 'outcomes' AND row_id IN (SELECT o.id FROM outcomes o JOIN referrals r "               \
    "ON r.id = o.referral_id WHERE r.child_id = ?1)) OR "                                          \
    "(tbl = 'exclusions' AND row_id IN (SELECT id FROM exclusions WHERE child_id = ?1)) OR "       \
    "(tbl = 'attendance' AND row_id IN (SELECT id FROM attendance WHERE child_id = ?1)) OR "       \
    "(tbl = 'episodes' AND row_id IN (SELECT id FROM episodes WHERE child_id = ?1))"

/* 1 when the database has the conflicts table of offline copies (SPEC section 9), 0 when not, -1
 * on an error. */
static int has_conflicts(store *s)
{
    sqlite3_stmt *st = store_stmt(
        s, "SELECT 1 FROM main.sqlite_schema WHERE type = 'table' AND name = 'conflicts'");
    if (!st) return -1;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int privacy_each_conflict(store *s, int64_t child_id, privacy_conflict_fn fn, void *ctx)
{
    int rc = has_conflicts(s);
    if (rc <= 0) return rc < 0 ? store_fail(s, sqlite3_errcode(s->db), "reading conflicts") : 0;
    sqlite3_stmt *st = store_stmt(
        s, "SELECT id, kind, tbl, row_id, field, base, hub, laptop, laptop_name, at, state "
           "FROM conflicts WHERE " ROWS_OF_CHILD " ORDER BY at, id");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, child_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v[11];
        for (int i = 0; i < 11; i++)
            v[i] = (const char *)sqlite3_column_text(st, i);
        int stop = fn(ctx, v, 11);
        if (stop) {
            sqlite3_reset(st);
            return stop;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading conflicts");
}

int privacy_purge(store *s, int64_t child_id, const char *rule, const char *officer,
                  const char *on_date, const char *reason)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM children WHERE id = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, child_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no such child");
        return EXIT_FOUND;
    }
    if (rc != SQLITE_ROW) return store_fail(s, rc, "erasing a child");

    /* The conflicts held about the child's rows (their values may be the child's details). */
    if ((rc = has_conflicts(s)) < 0) return EXIT_IO;
    if (rc) {
        st = store_stmt(s, "DELETE FROM conflicts WHERE " ROWS_OF_CHILD);
        if (!st) return EXIT_IO;
        sqlite3_bind_int64(st, 1, child_id);
        if ((rc = store_step_done(s, st, "erasing a child's conflicts"))) return rc;
    }
    /* The audit rows about the child's rows, while those rows still say whose they are. */
    st = store_stmt(
        s, "DELETE FROM audit WHERE child_id = ?1 OR (tbl = 'children' AND row_id = ?1) OR "
           "(tbl = 'referrals' AND row_id IN (SELECT id FROM referrals WHERE child_id = ?1)) OR "
           "(tbl = 'actions' AND row_id IN (SELECT a.id FROM actions a JOIN referrals r "
           "ON r.id = a.referral_id WHERE r.child_id = ?1)) OR "
           "(tbl = 'outcomes' AND row_id IN (SELECT o.id FROM outcomes o JOIN referrals r "
           "ON r.id = o.referral_id WHERE r.child_id = ?1)) OR "
           "(tbl = 'exclusions' AND row_id IN (SELECT id FROM exclusions WHERE child_id = ?1)) OR "
           "(tbl = 'attendance' AND row_id IN (SELECT id FROM attendance WHERE child_id = ?1)) OR "
           "(tbl = 'episodes' AND row_id IN (SELECT id FROM episodes WHERE child_id = ?1))");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, child_id);
    if ((rc = store_step_done(s, st, "erasing a child's audit rows"))) return rc;
    /* Rows of the child's referrals (actions, outcomes, and whatever else names a referral), then
     * rows of the child (referrals, whose triggers take them out of the search index, the list
     * and the counts; events; derived rows), then the child. */
    if ((rc = delete_by_column(s, child_id, "referral_id", " ",
                               "%s IN (SELECT id FROM referrals WHERE child_id = ?1)")))
        return rc;
    if ((rc = delete_by_column(s, child_id, "child_id", " ", "%s = ?1"))) return rc;
    st = store_stmt(s, "DELETE FROM children WHERE id = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, child_id);
    if ((rc = store_step_done(s, st, "erasing a child"))) return rc;

    st = store_stmt(s, "INSERT INTO tombstones(id, tbl, row_key, rule, officer, os_user, on_date, "
                       "reason, created_at, updated_at) "
                       "VALUES (?1, 'children', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, store_new_id(s));
    sqlite3_bind_int64(st, 2, child_id);
    sqlite3_bind_text(st, 3, rule, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, officer, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, store_os_user(), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, on_date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, store_now(s), -1, SQLITE_TRANSIENT);
    if ((rc = store_step_done(s, st, "leaving a tombstone"))) return rc;
    return store_audit_child(s, "purge", "children", child_id, 0, rule);
}

int privacy_compact(store *s)
{
    /* The search text of the erased rows leaves the index first (it is otherwise folded out at
     * commit, after the merge below: its terms would stay in the old segments). */
    int rc = store_search_refresh(s);
    if (rc) return rc;
    rc = sqlite3_exec(s->db, "INSERT INTO referral_search(referral_search) VALUES ('optimize')",
                      NULL, NULL, NULL);
    if (rc != SQLITE_OK) return store_fail(s, rc, "rewriting the search index");
    /* Statistics with sampled values (ANALYZE with STAT4) could keep a deleted key: renewed. */
    sqlite3_stmt *st =
        store_stmt(s, "SELECT 1 FROM main.sqlite_schema WHERE name = 'sqlite_stat4'");
    if (!st) return EXIT_IO;
    bool stat4 = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    if (stat4 && (rc = sqlite3_exec(s->db, "ANALYZE", NULL, NULL, NULL)) != SQLITE_OK)
        return store_fail(s, rc, "renewing the statistics");
    return EXIT_OK;
}

int privacy_checkpoint(store *s, bool *complete)
{
    *complete = false;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *complete = sqlite3_column_int(st, 0) == 0;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return EXIT_OK; /* *complete stays false */
    return rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, "emptying the write-ahead log");
}

int privacy_each_access(store *s, int64_t child_id, int max, privacy_access_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt(
        s, "SELECT at, action, coalesce(tbl, ''), coalesce(row_id, 0), coalesce(officer, ''), "
           "coalesce(claimed, ''), coalesce(os_user, ''), coalesce(detail, '') FROM audit "
           "WHERE child_id = ?1 OR (tbl = 'children' AND row_id = ?1) OR "
           "(tbl = 'referrals' AND row_id IN (SELECT id FROM referrals WHERE child_id = ?1)) OR "
           "(tbl = 'actions' AND row_id IN (SELECT a.id FROM actions a JOIN referrals r "
           "ON r.id = a.referral_id WHERE r.child_id = ?1)) OR "
           "(tbl = 'outcomes' AND row_id IN (SELECT o.id FROM outcomes o JOIN referrals r "
           "ON r.id = o.referral_id WHERE r.child_id = ?1)) "
           "ORDER BY at DESC, id DESC LIMIT ?2");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, child_id);
    sqlite3_bind_int(st, 2, max > 0 ? max : -1);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        privacy_access a;
        memset(&a, 0, sizeof a);
        COPY(a.at, st, 0);
        COPY(a.action, st, 1);
        COPY(a.tbl, st, 2);
        a.row_id = sqlite3_column_int64(st, 3);
        COPY(a.officer, st, 4);
        COPY(a.claimed, st, 5);
        COPY(a.os_user, st, 6);
        COPY(a.detail, st, 7);
        int stop = fn(ctx, &a);
        if (stop) {
            sqlite3_reset(st);
            return stop;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the access log");
}
