/* privacy_access.c: reading what is held about one child besides its rows (SPEC section 10,
 * privacy.h): the conflicts between copies held about the child's rows, and the child's access
 * log (every audit row about the child, its referrals and their rows, and its events). */
#include "store_internal.h"

#include "caseload/exitcode.h"
#include "caseload/privacy.h"
#include <string.h>

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
    "(tbl = 'episodes' AND row_id IN (SELECT id FROM episodes WHERE child_id = ?1)) OR "           \
    "(tbl = 'follow_up_done' AND row_id IN (SELECT d.id FROM referrals r JOIN actions a "          \
    "ON a.referral_id = r.id JOIN follow_up_done d ON d.action_id = a.id WHERE r.child_id = ?1))"

/* 1 when the database has the conflicts table of offline copies (SPEC section 9), 0 when not, -1
 * on an error. */
static int has_conflicts(store *s)
{
    sqlite3_stmt *st = store_stmt(
        s, "SELECT 1 FROM main.sqlite_schema WHERE type = 'table' AND name = 'conflicts'");
    if (!st) return -1;
    int rc = store_step(s, st);
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
    store_bind_int64(s, st, 1, child_id);
    int stop = 0;
    while (!stop && (rc = store_step(s, st)) == SQLITE_ROW) {
        const char *v[11];
        for (int i = 0; i < 11; i++)
            v[i] = (const char *)sqlite3_column_text(st, i);
        stop = fn(ctx, v, 11);
    }
    sqlite3_reset(st);
    if (stop) return stop;
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading conflicts");
}

int privacy_each_access(store *s, int64_t child_id, const privacy_access_key *before, int max,
                        privacy_access_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt(
        s, "SELECT id, at, action, coalesce(tbl, ''), coalesce(row_id, 0), coalesce(officer, ''), "
           "coalesce(claimed, ''), coalesce(os_user, ''), coalesce(detail, '') FROM audit "
           "WHERE (child_id = ?1 OR " ROWS_OF_CHILD ") "
           "AND (?3 IS NULL OR (at, id) < (?3, ?4)) ORDER BY at DESC, id DESC LIMIT ?2");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, child_id);
    store_bind_int(s, st, 2, max > 0 ? max : -1);
    if (before) {
        store_bind_text(s, st, 3, before->at, -1, SQLITE_TRANSIENT);
        store_bind_int64(s, st, 4, before->id);
    }
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        privacy_access a;
        memset(&a, 0, sizeof a);
        a.id = sqlite3_column_int64(st, 0);
        COPY(a.at, st, 1);
        COPY(a.action, st, 2);
        COPY(a.tbl, st, 3);
        a.row_id = sqlite3_column_int64(st, 4);
        COPY(a.officer, st, 5);
        COPY(a.claimed, st, 6);
        COPY(a.os_user, st, 7);
        COPY(a.detail, st, 8);
        int stop = fn(ctx, &a);
        if (stop) {
            sqlite3_reset(st);
            return stop;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the access log");
}
