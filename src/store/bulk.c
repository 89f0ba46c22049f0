/* bulk.c: a change of many rows (a large import) between store_bulk_begin and store_bulk_end
 * (store.h): its transaction, the page cache raised for it, and the indexes set aside while the
 * rows go in and built again, once, before it commits (records.h). Its state is the store's. */
#include "caseload/records.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "store_internal.h"
#include <stdio.h>
#include <string.h>

/* The page cache of a bulk change, in KiB: the transaction is not spilled to disk row by row. */
enum { BULK_CACHE_KIB = 262144 };

int store_bulk_begin(store *s, size_t bytes)
{
    int rc = store_begin_large(s, bytes);
    if (rc) return rc;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "PRAGMA cache_size", -1, &st, NULL) == SQLITE_OK &&
        store_step(s, st) == SQLITE_ROW) {
        s->bulk_cache_size = sqlite3_column_int64(st, 0);
        s->bulk = true;
    }
    sqlite3_finalize(st);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", BULK_CACHE_KIB);
    if (s->bulk && (rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL)) != SQLITE_OK) {
        rc = store_fail(s, rc, "preparing a large change");
        store_bulk_end(s, false);
        return rc;
    }
    return EXIT_OK;
}

static int child_names_back(store *s);

int store_bulk_end(store *s, bool commit)
{
    int rc = EXIT_OK;
    /* The children's names noted, then indexes still set aside (referral_list's,
     * records_referral_flush) built last, once. */
    if (commit && (rc = child_names_back(s))) commit = false;
    if (commit && (rc = records_build_indexes(s))) commit = false;
    if (commit)
        rc = store_commit(s);
    else
        store_rollback(s);
    if (s->bulk) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", s->bulk_cache_size);
        sqlite3_exec(s->db, sql, NULL, NULL, NULL);
        s->bulk = false;
    }
    return rc;
}

/* ---- schema set aside during a large change ---- */

/* What a large change dropped, with the text that creates it again before the change commits: a
 * temporary table, so that a rollback, which brings the dropped objects back, forgets them too. */
static int deferred_table(store *s)
{
    return store_run(s,
                     "CREATE TEMP TABLE IF NOT EXISTS deferred_schema (type TEXT NOT NULL, "
                     "name TEXT NOT NULL, sql TEXT NOT NULL, tbl TEXT NOT NULL)",
                     "setting indexes aside");
}

/* Runs one by one the statements (DDL) that query returns in its first column, all read first:
 * the schema cannot change under a query still running. */
static int run_each(store *s, sqlite3_stmt *query, const char *what)
{
    buf all = BUF_INIT;
    int rc;
    while ((rc = store_step(s, query)) == SQLITE_ROW) {
        buf_puts(&all, store_col_text(query, 0));
        buf_putc(&all, '\0');
    }
    sqlite3_reset(query);
    int code = rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, what);
    for (size_t at = 0; !code && at < all.len; at += strlen(all.data + at) + 1)
        if ((rc = sqlite3_exec(s->db, all.data + at, NULL, NULL, NULL)) != SQLITE_OK)
            code = store_fail(s, rc, what);
    buf_free(&all);
    return code;
}

/* Drops the objects of one type saved in temp.deferred_schema that still exist (those of an
 * earlier call are already gone). */
static int drop_deferred(store *s, const char *type, const char *what)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT 'DROP ' || upper(d.type) || ' \"' || "
                                     "replace(d.name, '\"', '\"\"') || '\"' "
                                     "FROM temp.deferred_schema d JOIN sqlite_schema m "
                                     "ON m.type = d.type AND m.name = d.name WHERE d.type = ?1");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, type, -1, SQLITE_STATIC);
    return run_each(s, st, what);
}

/* Creates again every object of this type that was set aside (of the table, when not NULL). */
static int restore_deferred(store *s, const char *type, const char *table, const char *what)
{
    sqlite3_stmt *st = store_stmt(
        s, "SELECT sql FROM temp.deferred_schema WHERE type = ?1 AND (?2 IS NULL OR tbl = ?2)");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, type, -1, SQLITE_STATIC);
    if (table) store_bind_text(s, st, 2, table, -1, SQLITE_STATIC);
    int rc = run_each(s, st, what);
    if (rc) return rc;
    st = store_stmt(
        s, "DELETE FROM temp.deferred_schema WHERE type = ?1 AND (?2 IS NULL OR tbl = ?2)");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, type, -1, SQLITE_STATIC);
    if (table) store_bind_text(s, st, 2, table, -1, SQLITE_STATIC);
    return store_step_done(s, st, what);
}

int records_defer_indexes(store *s, const char *table, long adding)
{
    return store_defer_indexes(s, table, adding, NULL);
}

int store_defer_indexes(store *s, const char *table, long adding, const char *keep)
{
    if (adding <= 0) return EXIT_OK;
    char *sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", table);
    sqlite3_stmt *st = NULL;
    int rc = sql ? sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    long long rows = 0;
    if (rc == SQLITE_OK && (rc = store_step(s, st)) == SQLITE_ROW) {
        rows = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK) return store_fail(s, rc, "setting indexes aside");
    if (rows > adding) return EXIT_OK;
    if ((rc = deferred_table(s))) return rc;
    /* Only the indexes made by CREATE INDEX that allow duplicates: those of UNIQUE and PRIMARY KEY
     * constraints cannot be dropped, and the unique ones check every row as it comes. */
    st = store_stmt(s, "INSERT INTO temp.deferred_schema(type, name, sql, tbl) "
                       "SELECT 'index', m.name, m.sql, ?1 FROM pragma_index_list(?1) il "
                       "JOIN sqlite_schema m ON m.type = 'index' AND m.name = il.name "
                       "WHERE il.origin = 'c' AND NOT il.\"unique\" AND m.sql IS NOT NULL "
                       "AND m.name IS NOT ?2");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, table, -1, SQLITE_STATIC);
    if (keep) store_bind_text(s, st, 2, keep, -1, SQLITE_STATIC);
    if ((rc = store_step_done(s, st, "setting indexes aside"))) return rc;
    if ((rc = drop_deferred(s, "index", "setting indexes aside"))) return rc;
    s->deferred_indexes = true;
    return EXIT_OK;
}

int records_build_indexes(store *s)
{
    if (!s->deferred_indexes) return EXIT_OK;
    int rc = restore_deferred(s, "index", NULL, "building indexes");
    if (!rc) s->deferred_indexes = false;
    return rc;
}

int store_build_indexes_of(store *s, const char *table)
{
    if (!s->deferred_indexes) return EXIT_OK;
    int rc = restore_deferred(s, "index", table, "building indexes");
    if (rc) return rc;
    sqlite3_stmt *st =
        store_stmt(s, "SELECT EXISTS (SELECT 1 FROM temp.deferred_schema WHERE type = 'index')");
    if (!st) return EXIT_IO;
    int64_t left;
    if ((rc = store_step_int(s, st, &left, "building indexes"))) return rc;
    s->deferred_indexes = left != 0;
    return EXIT_OK;
}

/* Children's names while a bulk change adds many children: see records.h. */

/* The last id store_new_id handed out (ids grow within a copy's device). */
static int64_t last_id(const store *s)
{
    return (s->device << 32) | (s->counter & 0xffffffffLL);
}

int records_defer_child_names(store *s, long adding)
{
    if (!s->bulk || s->deferred_child_names || adding <= 0) return EXIT_OK;
    sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM children");
    if (!st) return EXIT_IO;
    int64_t rows;
    int rc = store_step_int(s, st, &rows, "setting a trigger aside");
    if (rc || rows > adding) return rc;
    if ((rc = deferred_table(s))) return rc;
    st = store_stmt(s, "INSERT INTO temp.deferred_schema(type, name, sql, tbl) "
                       "SELECT type, name, sql, tbl_name FROM sqlite_schema "
                       "WHERE type = 'trigger' AND name = 'child_names_insert'");
    if (!st) return EXIT_IO;
    if ((rc = store_step_done(s, st, "setting a trigger aside"))) return rc;
    if (sqlite3_changes(s->db) == 0) return EXIT_OK;
    if ((rc = drop_deferred(s, "trigger", "setting a trigger aside"))) return rc;
    s->child_names_from = last_id(s);
    s->deferred_child_names = true;
    return EXIT_OK;
}

static int child_names_back(store *s)
{
    if (!s->deferred_child_names) return EXIT_OK;
    /* What child_names_insert does for each new child (data/schema.sql), for all at once. */
    sqlite3_stmt *st = store_stmt(s, "INSERT OR IGNORE INTO child_names_stale(id) "
                                     "SELECT id FROM children WHERE id > ?1 AND id <= ?2");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, s->child_names_from);
    store_bind_int64(s, st, 2, last_id(s));
    int rc = store_step_done(s, st, "noting the children's names");
    if (!rc) rc = restore_deferred(s, "trigger", "children", "making a trigger again");
    if (!rc) s->deferred_child_names = false;
    return rc;
}
