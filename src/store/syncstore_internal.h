/* syncstore_internal: what the files of the store side of offline copies share (sync.c: capture and
 * the follow-ups set aside; sync_columns.c: the synced tables' columns and their hash;
 * sync_log.c: the log, the peers and a laptop's unsent changes; sync_rows.c: values, changesets
 * and rows read and written by key; sync_conflict_rows.c: the conflicts) and nothing outside
 * src/store may see. */
#ifndef CASELOAD_SYNCSTORE_INTERNAL_H
#define CASELOAD_SYNCSTORE_INTERNAL_H

#include "store_internal.h"

#include "caseload/buf.h"

/* The number of syncstore_tables (sync.c checks it against the list). */
#define SYNC_NTABLES 14

struct sync_table {
    bool loaded;
    int ncol;
    char *names[SYNCSTORE_MAX_COLS];
    char *types[SYNCSTORE_MAX_COLS];
    unsigned char pk[SYNCSTORE_MAX_COLS]; /* each column's place in the primary key, 0: none */
    sqlite3_stmt *get, *ins, *del;
    /* Updates by the set of columns they write (bit i: column i): a pack's updates of one table
     * mostly write the same few. */
    struct {
        uint32_t mask;
        sqlite3_stmt *st;
    } upd[8];
    int nupd;
    uint32_t searched; /* the columns an update of which makes a referral's search text stale */
    /* Each column's type affinity ('i' INTEGER, 't' TEXT, 'b' BLOB or none, 'n' any other), and
     * whether syncstore_row_update_from may log this table's updates itself (not the conflicts,
     * the audit trail and the tombstones, which other statements change, nor a table with a
     * column of REAL affinity), as long as the session has seen no change of it (session_seen,
     * in the open transaction). */
    char affinity[SYNCSTORE_MAX_COLS];
    bool own_updates, session_seen;
};

struct store_sync {
    sqlite3_session *session; /* of the open transaction, NULL when nothing is captured */
    int64_t origin;
    bool log;
    bool erasing; /* the transaction erased a child (privacy.c): its changeset is filtered */
    struct sync_table t[SYNC_NTABLES];
    struct relay {
        int ti; /* syncstore_tables[ti] */
        int64_t id;
    } * relay; /* syncstore_relay_row's rows of the open transaction */
    size_t nrelay, relay_cap;
    char *aside[4]; /* syncstore_triggers_aside: the triggers dropped, as they were made */
    bool noting;    /* ... and the referrals whose follow-up is re-derived are being noted */
    /* syncstore_log_added_whole: the rows syncstore_row_add adds are written here as inserts in
     * the changeset format, not captured by the session, until a synced row is deleted. */
    bool whole, deleted;
    buf whole_rows;
    int whole_last; /* 1 + the table of the last row written there, 0: none */
};

/* sync.c: s->sync, made on first use. */
struct store_sync *sync_of(store *s);
/* sync.c: the columns of table t (of that name) whose update search_stale_update (data/schema.sql)
 * notes, as bits (bit i: column i); 0 for any table but referrals. */
uint32_t sync_searched_mask(const struct sync_table *t, const char *table);
/* sync_columns.c: syncstore_tables[ti]'s columns, read from the schema once; sync_table_of the
 * same by name (EXIT_DATA when the table is not synced). */
int sync_table_load(store *s, int ti, struct sync_table **out);
int sync_table_of(store *s, const char *table, struct sync_table **out);
/* sync_rows.c: a value of SQLite's as a merge_value (NULL: MERGE_UNDEF), pointing into SQLite's
 * memory; a merge_value bound to parameter i of st. */
void sync_value_from(sqlite3_value *v, merge_value *out);
int sync_bind_value(store *s, sqlite3_stmt *st, int i, const merge_value *v);
/* sync_records.c: the changeset format as SQLite's session extension writes it: a varint, a value
 * of a record (NULL / MERGE_UNDEF: "not given"). */
void sync_put_varint(buf *b, uint64_t v);
void sync_put_value(buf *b, sqlite3_value *v);
void sync_put_merge_value(buf *b, const merge_value *v);
/* sync_records.c: a row added, into y->whole_rows as the session would have written its insert;
 * an update of row old (every column) setting the columns of mask to vals, the same (true; false
 * when it cannot be written so, and nothing was). */
void sync_log_insert(struct store_sync *y, const struct sync_table *t, const char *table,
                     const merge_value *vals);
bool sync_log_update(struct store_sync *y, const struct sync_table *t, const char *table,
                     const merge_value *old, const merge_value *vals, uint32_t mask);

#endif
