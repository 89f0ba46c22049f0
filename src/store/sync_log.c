/* sync_log.c: the change log of a copy, the copies it exchanges packs
 * with (the peers and their marks) and a laptop's unsent changes. */
#include "caseload/syncstore.h"

#include "caseload/exitcode.h"
#include "syncstore_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the log ---- */

int syncstore_log_max(store *s, int64_t *seq)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(max(seq), 0) FROM sync_log");
    return st ? store_step_int(s, st, seq, "reading the change log") : EXIT_IO;
}

int syncstore_log_count(store *s, int64_t after, int64_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM sync_log WHERE seq > ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, after);
    return store_step_int(s, st, n, "reading the change log");
}

int syncstore_log_each(store *s, int64_t after, syncstore_entry_fn fn, void *ctx)
{
    sqlite3_stmt *st =
        store_stmt(s, "SELECT seq, origin, changes, at FROM sync_log WHERE seq > ?1 ORDER BY seq");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, after);
    int rc, code = EXIT_OK;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        const void *p = sqlite3_column_blob(st, 2);
        int n = sqlite3_column_bytes(st, 2);
        code = fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                  store_col_text(st, 3), p, n);
        if (code) break;
    }
    if (!code && rc != SQLITE_DONE) code = store_fail(s, rc, "reading the change log");
    sqlite3_reset(st);
    return code;
}

int syncstore_log_at(store *s, int64_t seq, char at[32], bool *found)
{
    at[0] = '\0';
    *found = false;
    sqlite3_stmt *st = store_stmt(s, "SELECT at FROM sync_log WHERE seq = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, seq);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        *found = true;
        store_copy_text(at, 32, store_col_text(st, 0));
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? EXIT_OK
                                                 : store_fail(s, rc, "reading the change log");
}

int syncstore_log_clear(store *s)
{
    sqlite3_stmt *st = store_stmt(s, "DELETE FROM sync_log");
    return st ? store_step_done(s, st, "emptying the change log") : EXIT_IO;
}

int syncstore_changeset_deleted(const void *data, int n, const char *table, int64_t id,
                                syncstore_change_fn fn, void *ctx, bool *found)
{
    *found = false;
    syncstore_iter *it;
    int code = syncstore_iter_start(data, n, &it);
    if (code) return code;
    syncstore_change *c = malloc(sizeof *c);
    if (!c) abort();
    int more;
    while ((more = syncstore_iter_next(it, c)) > 0) {
        if (c->op != 'D' || strcmp(c->table, table) != 0 || c->old[0].type != MERGE_INT ||
            c->old[0].i != id)
            continue;
        *found = true;
        code = fn(ctx, c);
        break;
    }
    if (!code && more < 0) code = -more;
    free(c);
    syncstore_iter_free(it);
    return code;
}

int syncstore_log_deleted(store *s, const char *table, int64_t id, syncstore_change_fn fn,
                          void *ctx, bool *found)
{
    *found = false;
    sqlite3_stmt *st = store_stmt(s, "SELECT changes FROM sync_log ORDER BY seq DESC");
    if (!st) return EXIT_IO;
    int rc = SQLITE_DONE, code = EXIT_OK;
    while (!*found && !code && (rc = store_step(s, st)) == SQLITE_ROW)
        code = syncstore_changeset_deleted(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0),
                                           table, id, fn, ctx, found);
    if (!code && !*found && rc != SQLITE_DONE) code = store_fail(s, rc, "reading the change log");
    sqlite3_reset(st);
    return code;
}

/* ---- peers ---- */

#define PEER_COLS "name, device, role, key, acked, applied, last_sync, revoked"

static void read_peer(sqlite3_stmt *st, syncstore_peer *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", store_col_text(st, 0));
    p->device = sqlite3_column_int64(st, 1);
    snprintf(p->role, sizeof p->role, "%s", store_col_text(st, 2));
    int n = sqlite3_column_bytes(st, 3);
    const void *k = sqlite3_column_blob(st, 3);
    if (k && n == (int)sizeof p->key) memcpy(p->key, k, sizeof p->key);
    p->acked = sqlite3_column_int64(st, 4);
    p->applied = sqlite3_column_int64(st, 5);
    snprintf(p->last_sync, sizeof p->last_sync, "%s", store_col_text(st, 6));
    snprintf(p->revoked, sizeof p->revoked, "%s", store_col_text(st, 7));
}

static int peer_query(store *s, sqlite3_stmt *st, syncstore_peer *out)
{
    int rc = store_step(s, st);
    int code = EXIT_FOUND;
    if (rc == SQLITE_ROW) {
        read_peer(st, out);
        code = EXIT_OK;
    } else if (rc != SQLITE_DONE) {
        code = store_fail(s, rc, "reading the copies");
    }
    sqlite3_reset(st);
    return code;
}

int syncstore_peer_add(store *s, const syncstore_peer *p)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO sync_peers(" PEER_COLS
                                     ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, NULL)");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, p->name, -1, SQLITE_TRANSIENT);
    store_bind_int64(s, st, 2, p->device);
    store_bind_text(s, st, 3, p->role, -1, SQLITE_TRANSIENT);
    store_bind_blob(s, st, 4, p->key, sizeof p->key, SQLITE_TRANSIENT);
    store_bind_int64(s, st, 5, p->acked);
    store_bind_int64(s, st, 6, p->applied);
    int rc = store_step(s, st);
    sqlite3_reset(st);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        snprintf(s->err, sizeof s->err, "a copy named %s is already registered", p->name);
        return EXIT_DATA;
    }
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "registering a copy");
}

int syncstore_peer_get(store *s, const char *name, syncstore_peer *out)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " PEER_COLS " FROM sync_peers WHERE name = ?1");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, name, -1, SQLITE_TRANSIENT);
    return peer_query(s, st, out);
}

int syncstore_peer_by_device(store *s, int64_t device, syncstore_peer *out)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " PEER_COLS " FROM sync_peers WHERE device = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, device);
    return peer_query(s, st, out);
}

int syncstore_peer_marks(store *s, const char *name, int64_t acked, int64_t applied,
                         const char *last_sync)
{
    sqlite3_stmt *st = store_stmt(s, "UPDATE sync_peers SET acked = ?2, applied = ?3, "
                                     "last_sync = coalesce(?4, last_sync) WHERE name = ?1");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, name, -1, SQLITE_TRANSIENT);
    store_bind_int64(s, st, 2, acked);
    store_bind_int64(s, st, 3, applied);
    store_bind_opt_text(s, st, 4, last_sync);
    return store_step_done(s, st, "saving what was exchanged");
}

int syncstore_peer_revoke(store *s, const char *name)
{
    const char *now = store_now(s);
    sqlite3_stmt *st = store_stmt(s, "UPDATE sync_peers SET revoked = ?2 WHERE name = ?1");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, name, -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 2, now, -1, SQLITE_TRANSIENT);
    return store_step_done(s, st, "revoking a key");
}

int syncstore_peer_remove(store *s, const char *name)
{
    sqlite3_stmt *st = store_stmt(s, "DELETE FROM sync_peers WHERE name = ?1");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, name, -1, SQLITE_TRANSIENT);
    return store_step_done(s, st, "forgetting a copy");
}

int syncstore_defer_foreign_keys(store *s)
{
    int rc = sqlite3_exec(s->db, "PRAGMA defer_foreign_keys = ON", NULL, NULL, NULL);
    return rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, "applying a pack");
}

int syncstore_peers_clear(store *s)
{
    sqlite3_stmt *st = store_stmt(s, "DELETE FROM sync_peers");
    return st ? store_step_done(s, st, "forgetting the copies") : EXIT_IO;
}

int syncstore_peer_each(store *s, syncstore_peer_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " PEER_COLS " FROM sync_peers ORDER BY name");
    if (!st) return EXIT_IO;
    int rc, code = EXIT_OK;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        syncstore_peer p;
        read_peer(st, &p);
        if ((code = fn(ctx, &p))) break;
    }
    if (!code && rc != SQLITE_DONE) code = store_fail(s, rc, "reading the copies");
    sqlite3_reset(st);
    return code;
}

int syncstore_copy(store *s, const char *path)
{
    char *sql = sqlite3_mprintf("VACUUM INTO %Q", path);
    if (!sql) return store_fail(s, SQLITE_NOMEM, "copying the database");
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    sqlite3_free(sql);
    return rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, "copying the database");
}

/* ---- a laptop's unsent changes ---- */

static int unsent_add(store *s, const char *table, int64_t id, int col)
{
    sqlite3_stmt *st =
        store_stmt(s, "INSERT OR IGNORE INTO temp.sync_unsent(tbl, id, col) VALUES (?1, ?2, ?3)");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, table, -1, SQLITE_TRANSIENT);
    store_bind_int64(s, st, 2, id);
    store_bind_int(s, st, 3, col);
    return store_step_done(s, st, "reading unsent changes");
}

static int unsent_entry(void *ctx, int64_t seq, int64_t origin, const char *at, const void *data,
                        int n)
{
    (void)seq;
    (void)origin;
    (void)at;
    store *s = ctx;
    syncstore_iter *it;
    int rc = syncstore_iter_start(data, n, &it);
    if (rc) return rc;
    syncstore_change *c = malloc(sizeof *c);
    if (!c) abort();
    int more;
    while (!rc && (more = syncstore_iter_next(it, c)) > 0) {
        const merge_value *key = c->op == 'I' ? &c->new_[0] : &c->old[0];
        if (key->type != MERGE_INT) continue;
        rc = unsent_add(s, c->table, key->i, -1);
        for (int i = 1; !rc && i < c->ncol; i++)
            if (c->new_[i].type != MERGE_UNDEF) rc = unsent_add(s, c->table, key->i, i);
    }
    if (!rc && more < 0) rc = -more;
    free(c);
    syncstore_iter_free(it);
    return rc;
}

int syncstore_unsent_build(store *s, int64_t after)
{
    int rc = sqlite3_exec(s->db,
                          "CREATE TEMP TABLE IF NOT EXISTS sync_unsent (tbl TEXT, id INTEGER, "
                          "col INTEGER, PRIMARY KEY (tbl, id, col)) WITHOUT ROWID; "
                          "DELETE FROM temp.sync_unsent;",
                          NULL, NULL, NULL);
    if (rc != SQLITE_OK) return store_fail(s, rc, "reading unsent changes");
    return syncstore_log_each(s, after, unsent_entry, s);
}

int syncstore_unsent_has(store *s, const char *table, int64_t id, int col, bool *has)
{
    sqlite3_stmt *st =
        store_stmt(s, "SELECT 1 FROM temp.sync_unsent WHERE tbl = ?1 AND id = ?2 AND col = ?3");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, table, -1, SQLITE_TRANSIENT);
    store_bind_int64(s, st, 2, id);
    store_bind_int(s, st, 3, col);
    int64_t v;
    int rc = store_step_int(s, st, &v, "reading unsent changes");
    *has = v != 0;
    return rc;
}
