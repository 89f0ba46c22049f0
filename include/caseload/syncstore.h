/* syncstore: the store side of offline copies (SPEC section 9; the packs and the merge rule are in
 * src/app/sync.c). Capture: once a database has a role (meta sync_role), every transaction records
 * its changes of the synced tables with SQLite's session extension, and store_commit writes them,
 * when there are any, to the log table sync_log in the same transaction. Also: the peers and their
 * marks, reading changesets, reading and writing rows of synced tables by key, the conflicts.
 * Every function returns EXIT_OK, or EXIT_IO / EXIT_BUSY with store_error() set, unless stated
 * otherwise. Values point into SQLite's memory: valid until the next call on the same object. */
#ifndef CASELOAD_SYNCSTORE_H
#define CASELOAD_SYNCSTORE_H

#include "caseload/merge.h"
#include "caseload/store.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYNCSTORE_MAX_COLS 32

/* The synced tables, parents first, NULL-terminated. Only facts: no derived table, no search
 * index, no meta, no sync_* table. Adding a table is one line in src/store/sync.c
 * (and the count SYNC_NTABLES in src/store/syncstore_internal.h, which the build checks). */
extern const char *const syncstore_tables[];
/* The index of table in syncstore_tables, -1 when it is not synced. */
int syncstore_table_index(const char *table);

/* The column names of synced table `table` in their order (up to SYNCSTORE_MAX_COLS; a table
 * missing from this database has none). names[i] stays valid until store_close. */
int syncstore_columns(store *s, const char *table, const char *const **names, int *n);
/* A hash (32 hex digits) of the names, declared types and order of the synced tables' columns:
 * two copies exchange packs only when theirs are equal. */
int syncstore_columns_hash(store *s, char out[33]);

/* Inside the open transaction (of a database with a role): with log true, the changes from now
 * on are recorded (from the start of the transaction when they already were) and the log entry
 * store_commit writes is marked as made on device origin (0: this copy; the hub names the laptop
 * whose pack it applies); with log false nothing recorded so far or until log is true again is
 * logged (a laptop applying its hub's pack: those changes are the hub's, not its own). */
int syncstore_capture(store *s, int64_t origin, bool log);
/* While the changes are logged (a hub applying a pack): each row syncstore_row_add adds from now
 * on is logged as the insert it is, written ahead of what the session captures in the log entry
 * (which may change it later), instead of being captured by the session, which would read each
 * back at the commit: about a third of applying a pack's thousands of added rows, under the
 * write lock. Until a synced row is deleted in the transaction (a row deleted and added again
 * must be logged in that order): the rest is captured as before. */
void syncstore_log_added_whole(store *s);

/* The time of the open transaction as created_at/updated_at hold it. */
const char *syncstore_now(store *s);
/* This copy's device id. */
int64_t syncstore_device(const store *s);
/* The highest seq of the log, 0 when empty. */
int syncstore_log_max(store *s, int64_t *seq);
/* How many log entries have seq > after. */
int syncstore_log_count(store *s, int64_t after, int64_t *n);
/* Calls fn for every log entry with seq > after, in order (at: when it was made); a non-zero
 * return stops and is returned. */
typedef int (*syncstore_entry_fn)(void *ctx, int64_t seq, int64_t origin, const char *at,
                                  const void *data, int n);
int syncstore_log_each(store *s, int64_t after, syncstore_entry_fn fn, void *ctx);
/* When entry seq of the log was made (its at, as "YYYY-MM-DDTHH:MM:SS.SSSZ"); *found false, at
 * "", when the log has no such entry. */
int syncstore_log_at(store *s, int64_t seq, char at[32], bool *found);
/* Empties the log (a new laptop copy starts with none). Needs a transaction. */
int syncstore_log_clear(store *s);
/* Calls fn with the change of changeset data (n bytes) that deleted row id of table (its old
 * image: every column); *found false when it holds none. EXIT_DATA: a damaged changeset. */
struct syncstore_change;
typedef int (*syncstore_change_fn)(void *ctx, const struct syncstore_change *c);
int syncstore_changeset_deleted(const void *data, int n, const char *table, int64_t id,
                                syncstore_change_fn fn, void *ctx, bool *found);
/* The same for this copy's log: the newest entry that deleted the row. */
int syncstore_log_deleted(store *s, const char *table, int64_t id, syncstore_change_fn fn,
                          void *ctx, bool *found);
/* Inside a transaction that logs: row id of table goes into the log as a whole, as this copy
 * holds it at commit (an entry of its own after the transaction's, read as an insert), so that
 * the copies hear of a row kept where their change would have removed it: a delete refused, a
 * row put back for the rows that refer to it. */
int syncstore_relay_row(store *s, const char *table, int64_t id);

/* A copy this one exchanges packs with. */
typedef struct syncstore_peer {
    char name[64];
    int64_t device;
    char role[8];           /* the peer's role: "hub" or "laptop" */
    unsigned char key[32];  /* the pack key */
    int64_t acked, applied; /* see sync_peers in data/migrations/0012_sync.sql */
    char last_sync[32];     /* "" when never */
    char revoked[32];       /* "" when not revoked */
} syncstore_peer;

/* Adds a peer (needs a transaction). A name or device already used is EXIT_DATA. */
int syncstore_peer_add(store *s, const syncstore_peer *p);
/* Reads the peer of that name / device. Returns EXIT_OK, EXIT_FOUND when there is none. */
int syncstore_peer_get(store *s, const char *name, syncstore_peer *out);
int syncstore_peer_by_device(store *s, int64_t device, syncstore_peer *out);
/* Saves a peer's marks and last sync time (last_sync NULL: unchanged). */
int syncstore_peer_marks(store *s, const char *name, int64_t acked, int64_t applied,
                         const char *last_sync);
/* Marks a peer's key revoked (now). */
int syncstore_peer_revoke(store *s, const char *name);
/* Forgets the peer of that name (a checkout that failed). */
int syncstore_peer_remove(store *s, const char *name);
/* Inside the open transaction: foreign keys are checked when it commits, not change by change
 * (a pack's rows may arrive children before parents). */
int syncstore_defer_foreign_keys(store *s);
/* Deletes every peer (a new laptop copy knows only its hub). */
int syncstore_peers_clear(store *s);
/* Calls fn for every peer, by name. */
typedef int (*syncstore_peer_fn)(void *ctx, const syncstore_peer *p);
int syncstore_peer_each(store *s, syncstore_peer_fn fn, void *ctx);

/* Writes a consistent copy of the database to path (VACUUM INTO; path must not exist or be an
 * empty file). Outside a transaction. */
int syncstore_copy(store *s, const char *path);

/* One row change of a changeset. */
typedef struct syncstore_change {
    const char *table;
    char op; /* 'I' insert, 'U' update, 'D' delete */
    int ncol;
    merge_value old[SYNCSTORE_MAX_COLS];  /* U: key and changed columns; D: all; I: undefined */
    merge_value new_[SYNCSTORE_MAX_COLS]; /* U: changed columns; I: all; D: undefined */
} syncstore_change;
typedef struct syncstore_iter syncstore_iter;
/* Reads a changeset (the bytes are not copied: keep them while iterating). EXIT_DATA when it is
 * not one. */
int syncstore_iter_start(const void *data, int n, syncstore_iter **out);
/* The next change into *c: 1, 0 at the end, or -EXIT_DATA for a damaged changeset. */
int syncstore_iter_next(syncstore_iter *it, syncstore_change *c);
void syncstore_iter_free(syncstore_iter *it);

/* The same changes read in place from the bytes (sync_read.c; no copy, no allocation): texts and
 * blobs of c point into data, not NUL-terminated; table names too (terminated). */
typedef struct syncstore_reader {
    const unsigned char *p, *end;
    const char *table; /* of the last table header read */
    int ncol;
    unsigned char pk[SYNCSTORE_MAX_COLS];
} syncstore_reader;
void syncstore_reader_start(syncstore_reader *r, const void *data, size_t n);
/* As syncstore_iter_next: 1, 0 at the end, -EXIT_DATA for a damaged changeset. */
int syncstore_reader_next(syncstore_reader *r, syncstore_change *c);

/* Reads row id of a synced table into vals (ncol of them); *found false when there is none. */
int syncstore_row_get(store *s, const char *table, int64_t id, merge_value *vals, int ncol,
                      bool *found);
/* Inserts a row with these values (MERGE_UNDEF: the column's default). *clash is set (and nothing
 * written) when a UNIQUE constraint refuses it. */
int syncstore_row_insert(store *s, const char *table, const merge_value *vals, int ncol,
                         bool *clash);
/* The same, but a row of that key already there is no error: *held is set, nothing written. */
int syncstore_row_add(store *s, const char *table, const merge_value *vals, int ncol, bool *held,
                      bool *clash);
/* Sets the columns i where set[i] to vals[i] in row id. */
int syncstore_row_update(store *s, const char *table, int64_t id, const merge_value *vals,
                         const bool *set, int ncol);
/* The same, given the row as it is (old: every column, as syncstore_row_get reads it): on the hub
 * while a pack is applied (syncstore_log_added_whole), the update is written into the change log
 * as the session would have recorded it, not captured by the session, as long as the session has
 * seen no other change of that table in the transaction (later changes of the row, captured by
 * the session, then come after it in the log). */
int syncstore_row_update_from(store *s, const char *table, int64_t id, const merge_value *old,
                              const merge_value *vals, const bool *set, int ncol);
/* Deletes row id. */
int syncstore_row_delete(store *s, const char *table, int64_t id);
/* The rows of table (actions or outcomes, migration 0015; any other table has none) that
 * supersede row id, oldest key first: up to max of them into out, *n of them. */
int syncstore_superseders(store *s, const char *table, int64_t id, int64_t *out, int max, int *n);
/* Inside a transaction, for a pack: the triggers that keep referral_follow_up as actions change
 * are dropped (they cost most of applying a pack's actions), and syncstore_follow_ups_note notes
 * the referrals whose actions changed; syncstore_triggers_back derives their follow-ups from the
 * view referral_follow_up_source (in one statement, or referral by referral when the database holds
 * many more pending actions than that reads) and makes the triggers again as they were,
 * before the commit (a rollback or a kill brings them back as they were). The trigger that notes
 * an edited referral's search text stale is dropped too: meanwhile syncstore_row_update notes it
 * in search_stale itself, in a statement of its own (one that cannot abort half done, so SQLite
 * keeps no journal of the edit's pages for it). */
int syncstore_triggers_aside(store *s);
int syncstore_follow_ups_note(store *s, int64_t referral_id);
int syncstore_triggers_back(store *s);
/* A row that refers to a row which is not there (a foreign key the open transaction broke). */
typedef struct syncstore_dangling {
    char table[32], parent[32]; /* the referring row's table, the table it refers to */
    int64_t id, parent_id;      /* the referring row, the missing row's key */
} syncstore_dangling;
/* Up to max rows that refer to missing rows, into out (*n of them); cheap when there are none
 * (SQLite counts deferred foreign keys). Needs PRAGMA defer_foreign_keys in the transaction. */
int syncstore_dangling_rows(store *s, syncstore_dangling *out, int max, int *n);
/* Whether another row than id holds val in column (a natural key); *other its id or 0. */
int syncstore_key_holder(store *s, const char *table, const char *column, const merge_value *val,
                         int64_t id, int64_t *other);
/* The child a row belongs to (children: itself; referrals, exclusions, attendance, episodes:
 * child_id; actions, outcomes: their referral's), 0 when none. */
int syncstore_row_child(store *s, const char *table, int64_t id, int64_t *child_id);

/* The child a new row would belong to, from its values (children: its id; a child_id column;
 * a referral_id column: that referral's child), 0 when none. */
int syncstore_new_row_child(store *s, const char *table, const merge_value *vals, int ncol,
                            int64_t *child_id);
/* Whether child_id was purged (a tombstone holds its key): no copy brings it back. */
int syncstore_purged(store *s, int64_t child_id, bool *purged);

/* A laptop's own changes its hub has not acknowledged: the (table, row, column)s changed by its log
 * entries above `after` (a temporary table, rebuilt by each call). */
int syncstore_unsent_build(store *s, int64_t after);
/* Whether column col (-1: any) of row id of table was changed by an unsent entry. */
int syncstore_unsent_has(store *s, const char *table, int64_t id, int col, bool *has);

/* A conflict as listed. Text fields are "" when null, except as noted. */
typedef struct syncstore_conflict {
    int64_t id, row_id;
    const char *kind, *table, *field; /* field: NULL when not a field conflict */
    const char *ref, *child;          /* NULL when the row belongs to no referral / child */
    merge_value base, hub, laptop;
    const char *laptop_name, *at, *state, *resolution;
} syncstore_conflict;
/* Records a conflict (a new row of conflicts, state open, at = now). field may be NULL. */
int syncstore_conflict_add(store *s, const char *kind, const char *table, int64_t row_id,
                           const char *field, const merge_value *base, const merge_value *hub,
                           const merge_value *laptop, const char *laptop_name);
/* Calls fn for the open conflicts (all: resolved too), oldest first. */
typedef int (*syncstore_conflict_fn)(void *ctx, const syncstore_conflict *c);
int syncstore_conflict_each(store *s, bool all, syncstore_conflict_fn fn, void *ctx);
/* Where a page of open conflicts starts or ends: a conflict's (at, id), their list order. */
typedef struct syncstore_conflict_key {
    char at[32];
    int64_t id;
} syncstore_conflict_key;
/* Calls fn for up to limit open conflicts in list order (oldest first, as sync conflicts lists
 * them) after `from` (NULL: from the first); with backward, for those before `from` (NULL: the
 * last ones), nearest first. Reads only those rows (the index conflicts_open). */
int syncstore_conflict_page(store *s, const syncstore_conflict_key *from, bool backward, int limit,
                            syncstore_conflict_fn fn, void *ctx);
/* Calls fn for conflict id; EXIT_FOUND when there is none. */
int syncstore_conflict_get(store *s, int64_t id, syncstore_conflict_fn fn, void *ctx);
/* The number of open conflicts; those of one row of a table when table is not NULL. */
int syncstore_conflict_open_count(store *s, const char *table, int64_t row_id, int64_t *n);
/* Whether field of row row_id of table has an open conflict (a screen marks it); field NULL: a
 * conflict of the whole row (a delete against an edit). */
int syncstore_conflict_open_field(store *s, const char *table, int64_t row_id, const char *field,
                                  bool *open);
/* Marks conflict id resolved with resolution (keep, take or set) by store_actor(), now. */
int syncstore_conflict_resolve(store *s, int64_t id, const char *resolution);

#endif
