/* privacy: the database's part of SPEC section 10 (children's data). What the retention rules
 * look at for each child, erasing a child for good (every row, the search index's copy, the
 * write-ahead log) and leaving a tombstone, and the child's access log. Every function returns
 * EXIT_OK, or EXIT_IO / EXIT_BUSY with store_error() set; messages never name a child. */
#ifndef CASELOAD_PRIVACY_H
#define CASELOAD_PRIVACY_H

#include "caseload/buf.h"
#include "caseload/store.h"
#include "caseload/syncstore.h"
#include <stdbool.h>
#include <stdint.h>

/* What the retention rules look at, as stored ("" for unknown). */
typedef struct {
    int64_t id;
    char upn[14];
    char la_child_id[64];
    char dob[11];
    char social_work_ended[11];
    char last_activity[11]; /* the latest date of a referral (received or closed), action,
                               outcome, exclusion, attendance record or episode (start or end) */
} privacy_child;

typedef int (*privacy_child_fn)(void *ctx, const privacy_child *c);
/* Calls fn for every child, ordered by UPN (those without last), then LA child id; a non-zero
 * return stops and is returned. */
int privacy_each_child(store *s, privacy_child_fn fn, void *ctx);
/* The same for one child; EXIT_FOUND when there is none. */
int privacy_child_get(store *s, int64_t id, privacy_child *out);

/* Inside the caller's transaction: erases child_id and every row about it — its referrals, their
 * actions, follow-ups and outcomes, its exclusions, attendance and episodes, every other row of a
 * table with a child_id or referral_id column, the conflicts and audit rows about any of them — and
 * leaves a tombstone (tombstones: 'children', the child's key, rule, officer, os user, on_date,
 * reason) and one audit row 'purge' naming the tombstone. officer must be a known officer's
 * initials. On an offline copy the purge's own deletes are not logged (privacy_erase) and
 * privacy_compact rewrites the change log. EXIT_FOUND when there is no such child. */
int privacy_purge(store *s, int64_t child_id, const char *rule, const char *officer,
                  const char *on_date, const char *reason);
/* Inside the caller's transaction: what privacy_purge erases, without the tombstone and audit row
 * (a copy applying a tombstone from a pack): every row of child_id (none is an error), each noted
 * by key in erased_rows, and this transaction's changeset written without them at commit.
 * privacy_compact must follow (it rewrites the change log). */
int privacy_erase(store *s, int64_t child_id);
/* changeset data (n bytes) without the changes of rows noted in erased_rows (or naming one: a
 * referral's action, an audit row about it), into out, in the changeset format; *dropped: how many
 * changes were left out (out is then the same changeset when 0). EXIT_DATA for a damaged one. */
int privacy_changeset_filter(store *s, const void *data, int n, buf *out, int64_t *dropped);
/* Whether change c of a pack is about a purged child (child, the child it names, holds a
 * tombstone; or the row, or one it names, is in erased_rows): *erased true, and, unless c is a
 * delete, the row is noted in erased_rows so that rows naming it are known too. */
int privacy_change_erased(store *s, const syncstore_change *c, int64_t child, bool *erased);
/* Whether this copy holds no tombstone of a child and no erased row: then no change is about a
 * purged child (privacy_change_erased answers false for each) until a tombstone is added. Read
 * once for a pack, so that its changes are not looked up one by one. */
int privacy_none_erased(store *s, bool *none);
/* When change c of a pack inserts a tombstone of a child this copy has not erased yet: erases it
 * here (privacy_erase), *erased true. */
int privacy_follow_tombstone(store *s, const syncstore_change *c, bool *erased);
/* When change c of a pack inserts the tombstone of a child this copy purged too (its own tombstone,
 * another row): on the hub (hub true) *skip is set, the hub's stays; on a laptop its own is deleted
 * so that the hub's goes in. Both copies then hold the same one. */
int privacy_tombstone_twice(store *s, const syncstore_change *c, bool hub, bool *skip);
/* Inside the caller's transaction, after purges (privacy_purge, privacy_erase): rewrites every
 * changeset of the change log of an offline copy (sync_log) without the erased rows (an entry left
 * empty stays, so the log's numbering has no gap), and the search index into one segment (FTS5
 * 'optimize'), so that no page of either keeps the text of a deleted row. */
int privacy_compact(store *s);
/* Outside a transaction, after a purge has committed: copies the write-ahead log into the database
 * and empties it (wal_checkpoint(TRUNCATE)). *complete is false when another program reading the
 * database kept part of the log in use (it is emptied when that program ends). */
int privacy_checkpoint(store *s, bool *complete);
/* At open (store_open), on a database that may be written: a child purged before migration 0014
 * left its tombstone but no note in erased_rows, and on an offline copy the change log kept the
 * child's rows (a purge did not rewrite it then). Each such child (a tombstone with no note whose
 * child is no longer in the database) is erased again here as a
 * tombstone from a pack is (privacy_erase, privacy_compact, in one transaction; then
 * privacy_checkpoint), so the log holds nothing of it and a change arriving from a copy that had
 * not seen the tombstone (an action on the child's referral) is recognised and dropped. One
 * query when every tombstone is noted; EXIT_OK when another program holds the database (done at
 * a later open). */
int privacy_erase_old_tombstones(store *s);

/* Calls fn for each conflict (SPEC section 9) held about a row of the child, oldest first, with
 * the columns id, kind, tbl, row_id, field, base, hub, laptop, laptop_name, at, state as text
 * (NULL when empty). Nothing when the database has no conflicts table. */
typedef int (*privacy_conflict_fn)(void *ctx, const char *const *v, size_t n);
int privacy_each_conflict(store *s, int64_t child_id, privacy_conflict_fn fn, void *ctx);

/* One row of a child's access log: every audit row about the child, its referrals, their actions,
 * outcomes and follow-ups marked done, and its events. Text truncated to fit. */
typedef struct {
    int64_t id;       /* the audit row's id */
    char at[32];      /* UTC timestamp */
    char action[24];  /* view, score, sar, insert, update, close, import, ... */
    char tbl[24];     /* the table of row_id */
    int64_t row_id;   /* 0 when none */
    char officer[16]; /* a known officer's initials, or "" */
    char claimed[64]; /* the name given when it was not a known officer's, or "" */
    char os_user[64];
    char detail[200];
} privacy_access;
/* Where a page of the access log ends: the (at, id) of its last row. */
typedef struct {
    char at[32];
    int64_t id;
} privacy_access_key;
typedef int (*privacy_access_fn)(void *ctx, const privacy_access *a);
/* Calls fn for each row of the child's access log, newest first (ordered by at, then id), from
 * the row after `before` (NULL: from the newest), at most max rows (max <= 0 for all); a non-zero
 * return of fn stops and is returned. The rows are found through the indexes audit_child and
 * audit_row. */
int privacy_each_access(store *s, int64_t child_id, const privacy_access_key *before, int max,
                        privacy_access_fn fn, void *ctx);

#endif
