/* store: the caseload database. Opening, migrations, transactions, keys and the audit trail.
 * The only module (with the other src/store files) that talks to SQLite. Every function that can
 * fail returns an exit code of exitcode.h and leaves a message in store_error(). */
#ifndef CASELOAD_STORE_H
#define CASELOAD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct store store;

enum { STORE_READONLY = 1 };

/* SQLite's application_id of every caseload database ("CSLD"), set by migration 0013. */
#define STORE_APPLICATION_ID 0x43534c44

/* Opens (creating it with mode 0600, and its folder, when missing) the database at path and brings
 * its schema up to date in one transaction (which reads the version again once it holds the write
 * lock, so two programs opening a new or old database at once both succeed). An empty file is
 * taken as a new database (and made 0600). With STORE_READONLY the file must exist and is never
 * written (no migration either: an old schema is then an error), and no empty -wal/-shm files are
 * left behind; on a read-only file system a database without its -shm file is read as immutable.
 * Returns EXIT_OK and *out, or: EXIT_IO (cannot open or create, read-only, not a database, another
 * program's SQLite file (neither STORE_APPLICATION_ID nor, from before it, caseload's tables), a
 * negative schema version, written by a newer caseload — the file is then left untouched, not a
 * byte changed), EXIT_BUSY (locked after retrying). On failure *out is NULL and the message is
 * written to errmsg (size n). */
int store_open(const char *path, int flags, store **out, char *errmsg, int n);
/* Closes the database, finalizing every cached statement. NULL is ignored. */
void store_close(store *s);
/* The message of the last failure, "" if none. Never names a child. */
const char *store_error(const store *s);
/* Whether the database was opened read-only (asked for, or a file this program may not write). */
bool store_readonly(const store *s);
/* The schema version of the database and the newest this program knows. */
int store_schema_version(const store *s);
int store_schema_latest(void);

/* A quick check that the database is whole, for a command about to copy it or write into it
 * (export, import, backup, sync pack and checkout): SQLite's PRAGMA quick_check, which reads every
 * page of every table and index and checks their structure (not that each index matches its
 * table: `caseload check` does that). Returns EXIT_OK, or EXIT_IO with a message ("the database
 * is damaged (...)") naming pages, tables and rows by number only; EXIT_BUSY when locked. */
int store_quick_check(store *s);

/* Writes a consistent copy of the database (as of one moment, while other programs go on
 * writing: SQLite's backup API in one step under a read transaction) to path, which must not
 * exist: the copy is written to a temporary file beside it (mode 0600), synced, and then linked
 * as path, which never exists half-written. Runs store_quick_check first: a damaged database is
 * not copied. Returns EXIT_OK; EXIT_IO (path exists, its folder cannot be written, disk full,
 * damaged: nothing is left behind); EXIT_BUSY. */
int store_backup(store *s, const char *path);

/* Starts a write transaction (BEGIN IMMEDIATE), waiting up to the busy timeout for other writers.
 * Returns EXIT_OK, EXIT_BUSY or EXIT_IO (read-only). */
int store_begin(store *s);
/* hook(ctx) is called when a statement starts waiting for a lock another program holds (before
 * the wait, once per wait; NULL: none), so that a screen can say so. */
void store_on_wait(store *s, void (*hook)(void *ctx), void *ctx);
/* store_begin for a change that adds about `bytes` of data. When that is more than the database
 * holds (a first import into a new database, say) and no other connection has it open, this
 * transaction is written through a rollback journal instead of the write-ahead log, and the
 * database returns to WAL when it ends: pages added to the file are then written once, where WAL
 * writes them twice (into the log, then copied into the database). Meanwhile, a connection
 * opened elsewhere waits for the change to end. */
int store_begin_large(store *s, size_t bytes);
/* A change of many rows (an import): begins its transaction as store_begin_large does and raises
 * the page cache to 256 MB for it, so that the transaction is not spilled to disk row by row.
 * store_bulk_end ends it: commits when commit is true (as store_commit: any index set aside must
 * have been built again), else rolls back; either way it puts back the cache size in force before.
 * Not nested; the state is the store's. Returns as store_begin / store_commit. */
int store_bulk_begin(store *s, size_t bytes);
int store_bulk_end(store *s, bool commit);
/* A number that changes whenever another connection (another program) commits a change to the
 * database, and not for this connection's own changes (PRAGMA data_version); 0 when it cannot be
 * read. Cheap: no disk read. */
long long store_data_version(store *s);
/* Commits. Returns EXIT_OK, EXIT_BUSY, or EXIT_IO (disk full, I/O error); on failure the
 * transaction has been rolled back and nothing was written. */
int store_commit(store *s);
/* Rolls back the open transaction, if any. */
void store_rollback(store *s);
/* For a change too large to fold its search text while it holds the write lock (a pack applied,
 * src/app/sync.c): the open transaction's commit leaves the referrals and children it changed
 * noted in search_stale and child_names_stale, as another program's change would (the next
 * caseload that writes or searches folds them, so a kill meanwhile leaves nothing wrong). Follow
 * the commit with store_search_catch_up. */
void store_defer_search(store *s);
/* Folds the noted search text in transactions that each fold batches of batch referrals (and
 * batch children's names) for work_ms (writing out the search index at the commit takes about
 * as long again), pausing pause_ms before each so that a writer waiting for the lock gets it
 * first. Outside a transaction; EXIT_OK at once when nothing is noted or the database is
 * read-only. */
int store_search_catch_up(store *s, int batch, int work_ms, int pause_ms);

/* A new row key, unique across copies of the database: (device id << 32) | counter.
 * Only inside a transaction; the counter is saved by store_commit. */
int64_t store_new_id(store *s);

/* Who is recorded in the audit trail: $CASELOAD_OFFICER, else $USER, else "unknown". */
const char *store_actor(void);
/* Names who uses this connection: claimed (--officer or $CASELOAD_OFFICER; NULL or "" for nobody)
 * is looked up among the officers' initials, in any case. From then on every audit row carries the
 * officer's initials as stored (column officer) when known, else the claim as given (column
 * claimed), and always the operating-system user (os_user). Without a call, the first audit row
 * does it with $CASELOAD_OFFICER. Returns EXIT_OK or EXIT_IO / EXIT_BUSY. */
int store_identify(store *s, const char *claimed);
/* The initials of the known officer store_identify found, "" when none. */
const char *store_officer(const store *s);
/* What named an officer who is not known ("" when none did, or the officer is known). */
const char *store_claimed(const store *s);
/* The operating-system user running the program (getpwuid), "uid N" when it has no name. */
const char *store_os_user(void);
/* store_audit for a row about one child (child_id; 0 for none), so that it shows in the child's
 * access log. */
int store_audit_child(store *s, const char *action, const char *table, int64_t row_id,
                      int64_t child_id, const char *detail);
/* Records a look at a child's data (a screen, a score, a subject access request, an export) in
 * the audit table, in a transaction of its own when none is open. ids only; detail never holds a
 * child's personal details. Returns EXIT_OK; EXIT_IO (read-only: the look cannot be recorded) or
 * EXIT_BUSY. */
int store_access(store *s, const char *action, const char *table, int64_t row_id, int64_t child_id,
                 const char *detail);
/* Appends an audit row (who = store_actor()) inside the open transaction. detail may be NULL and
 * must never hold a child's personal details. Returns EXIT_OK or EXIT_IO. */
int store_audit(store *s, const char *action, const char *table, int64_t row_id,
                const char *detail);

/* Copies src into dst (size n), cutting on a UTF-8 character boundary (for text the store hands
 * out into fixed arrays). */
void store_copy_text(char *dst, size_t n, const char *src);

/* Reads and writes the meta table (key/value text). store_meta_get returns false when missing;
 * out is always NUL-terminated. store_meta_set needs an open transaction. */
bool store_meta_get(store *s, const char *key, char *out, int n);
int store_meta_set(store *s, const char *key, const char *value);

#endif
