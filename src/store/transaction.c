/* transaction.c: one change, one transaction: begin (at once, or for a large change through a
 * rollback journal), commit (after the derived search text is folded and the sync log written),
 * roll back, and the row keys handed out inside it. */
#include "store_internal.h"

#include "caseload/exitcode.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_begin(store *s)
{
    if (s->readonly) {
        snprintf(s->err, sizeof s->err, "the database is read-only: nothing can be changed");
        return EXIT_IO;
    }
    int rc = store_exec(s, "BEGIN IMMEDIATE", "starting a change");
    if (rc) return rc;
    s->in_tx = true;
    s->now[0] = '\0';
    s->deferred_indexes = false;
    s->deferred_child_names = false;
    char v[32];
    s->counter = store_meta_get(s, "counter", v, sizeof v) ? strtoll(v, NULL, 10) : 0;
    s->counter_dirty = false;
    if ((rc = syncstore_tx_begin(s))) {
        store_rollback(s);
        return rc;
    }
    return EXIT_OK;
}

int store_begin_now(store *s)
{
    store_set_busy(s, 0);
    int rc = store_begin(s);
    store_set_busy(s, store_busy_timeout_ms());
    return rc;
}

/* Runs sql, a PRAGMA journal_mode; true when the mode is then want (SQLite answers with the mode
 * in force, the old one when it could not be changed). */
static bool journal_mode(store *s, const char *sql, const char *want)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
              store_step(s, st) == SQLITE_ROW && strcmp(store_col_text(st, 0), want) == 0;
    sqlite3_finalize(st);
    return ok;
}

/* Back to WAL after a transaction store_begin_large wrote through a rollback journal. When
 * another connection holds the file just now, it stays as it is: every store_open sets WAL. */
static void end_large(store *s)
{
    if (!s->rollback_journal) return;
    s->rollback_journal = false;
    journal_mode(s, "PRAGMA journal_mode = WAL", "wal");
}

int store_begin_large(store *s, size_t bytes)
{
    if (!s->readonly && !s->in_tx) {
        sqlite3_stmt *st = NULL;
        long long size = -1;
        if (sqlite3_prepare_v2(s->db,
                               "SELECT page_count * page_size FROM pragma_page_count(), "
                               "pragma_page_size()",
                               -1, &st, NULL) == SQLITE_OK &&
            store_step(s, st) == SQLITE_ROW)
            size = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (size >= 0 && (unsigned long long)size < bytes) {
            /* Leaving WAL needs the file to itself: with another connection on it, at once. */
            store_set_busy(s, 0);
            s->rollback_journal = journal_mode(s, "PRAGMA journal_mode = DELETE", "delete");
            store_set_busy(s, store_busy_timeout_ms());
        }
    }
    int rc = store_begin(s);
    if (rc) end_large(s);
    return rc;
}

long long store_data_version(store *s)
{
    sqlite3_stmt *st = store_stmt(s, "PRAGMA data_version");
    if (!st) return 0;
    long long v = store_step(s, st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return v;
}

int store_commit(store *s)
{
    int rc = EXIT_OK;
    if (s->deferred_indexes || s->deferred_child_names) {
        /* Never commit a database short of an index or a trigger (records_defer_indexes,
         * records_defer_child_names). */
        snprintf(s->err, sizeof s->err,
                 "saving: indexes or triggers set aside were not made again");
        rc = EXIT_IO;
    }
    /* The search text of what this transaction changed, folded (src/store/search.c). */
    if (!rc) rc = store_search_refresh(s);
    if (!rc && s->counter_dirty) {
        char v[32];
        snprintf(v, sizeof v, "%lld", (long long)s->counter);
        rc = store_meta_set(s, "counter", v);
    }
    if (!rc) rc = syncstore_tx_commit(s);
    if (!rc) rc = store_exec(s, "COMMIT", "saving");
    if (rc) {
        /* Keep the message of the failure, not of the rollback. */
        char keep[sizeof s->err];
        memcpy(keep, s->err, sizeof keep);
        store_rollback(s);
        memcpy(s->err, keep, sizeof keep);
        return rc;
    }
    s->in_tx = false;
    s->search_deferred = false;
    syncstore_tx_end(s);
    end_large(s);
    return EXIT_OK;
}

void store_defer_search(store *s)
{
    if (s->in_tx) s->search_deferred = true;
}

void store_rollback(store *s)
{
    if (!sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_tx = false;
    s->bind_rc = SQLITE_OK; /* a failed bind of the change rolled back is reported already */
    s->counter_dirty = false;
    s->deferred_indexes = false; /* the rollback brought them back */
    s->deferred_child_names = false;
    s->search_deferred = false;
    syncstore_tx_end(s);
    end_large(s);
}

int64_t store_new_id(store *s)
{
    s->counter++;
    s->counter_dirty = true;
    return (s->device << 32) | (s->counter & 0xffffffffLL);
}
