/* sync.c: the store side of offline copies (see syncstore.h): capture of each transaction's
 * changes with SQLite's session extension, the log, the peers, changesets read as merge_values,
 * rows of the synced tables read and written by key, and the conflicts. */
#include "caseload/syncstore.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/privacy.h"
#include "store_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parents first, so that inserts apply in an order foreign keys accept; the tombstones before
 * all, so a child purged in a change is known as purged for the rest of it. Adding a table to
 * what travels is adding its name here (its columns then count in syncstore_columns_hash). */
const char *const syncstore_tables[] = {
    "tombstones", "officers",       "schools",  "children",   "referrals",
    "actions",    "follow_up_done", "outcomes", "reopenings", "exclusions",
    "attendance", "episodes",       "audit",    "conflicts",  NULL,
};
#define NTABLES (sizeof syncstore_tables / sizeof syncstore_tables[0] - 1)

struct sync_table {
    bool loaded;
    int ncol;
    char *names[SYNCSTORE_MAX_COLS];
    char *types[SYNCSTORE_MAX_COLS];
    sqlite3_stmt *get, *ins, *del;
    /* Updates by the set of columns they write (bit i: column i): a pack's updates of one table
     * mostly write the same few. */
    struct {
        uint32_t mask;
        sqlite3_stmt *st;
    } upd[8];
    int nupd;
};

struct store_sync {
    sqlite3_session *session; /* of the open transaction, NULL when nothing is captured */
    int64_t origin;
    bool log;
    bool erasing; /* the transaction erased a child (privacy.c): its changeset is filtered */
    struct sync_table t[NTABLES];
    struct relay {
        int ti; /* syncstore_tables[ti] */
        int64_t id;
    } * relay; /* syncstore_relay_row's rows of the open transaction */
    size_t nrelay, relay_cap;
    char *aside[4]; /* syncstore_follow_ups_aside: the triggers dropped, as they were made */
    bool noting;    /* ... and the referrals whose follow-up is re-derived are being noted */
};

/* The triggers that keep referral_follow_up as actions change (migration 0011), set aside while a
 * pack is applied: they cost most of applying a pack's actions. */
static const char *const follow_up_triggers[] = {
    "actions_follow_up_insert",
    "actions_follow_up_delete",
    "actions_follow_up_update",
};
#define NFOLLOW (sizeof follow_up_triggers / sizeof follow_up_triggers[0])

static struct store_sync *sync_of(store *s)
{
    if (!s->sync) {
        s->sync = calloc(1, sizeof *s->sync);
        if (!s->sync) abort(); /* nothing sensible can follow */
    }
    return s->sync;
}

int syncstore_table_index(const char *table)
{
    for (size_t i = 0; i < NTABLES; i++)
        if (strcmp(syncstore_tables[i], table) == 0) return (int)i;
    return -1;
}

void syncstore_free(store *s)
{
    if (!s->sync) return;
    if (s->sync->session) sqlite3session_delete(s->sync->session);
    for (size_t i = 0; i < NTABLES; i++) {
        struct sync_table *t = &s->sync->t[i];
        for (int c = 0; c < t->ncol; c++) {
            free(t->names[c]);
            free(t->types[c]);
        }
        sqlite3_finalize(t->get);
        sqlite3_finalize(t->ins);
        sqlite3_finalize(t->del);
        for (int u = 0; u < t->nupd; u++)
            sqlite3_finalize(t->upd[u].st);
    }
    free(s->sync->relay);
    for (size_t i = 0; i < NFOLLOW; i++)
        free(s->sync->aside[i]);
    free(s->sync);
    s->sync = NULL;
}

/* ---- capture ---- */

/* A session on the synced tables from now on in the open transaction. */
static int start_session(store *s)
{
    struct store_sync *y = sync_of(s);
    int rc = sqlite3session_create(s->db, "main", &y->session);
    for (size_t i = 0; rc == SQLITE_OK && i < NTABLES; i++)
        rc = sqlite3session_attach(y->session, syncstore_tables[i]);
    if (rc != SQLITE_OK) {
        if (y->session) sqlite3session_delete(y->session);
        y->session = NULL;
        return store_fail(s, rc, "recording changes for offline copies");
    }
    y->origin = s->device;
    y->log = true;
    return EXIT_OK;
}

int syncstore_tx_begin(store *s)
{
    char role[16];
    if (!store_meta_get(s, "sync_role", role, sizeof role)) return EXIT_OK;
    return start_session(s);
}

int syncstore_capture(store *s, int64_t origin, bool log)
{
    char role[16];
    if (!s->in_tx || !store_meta_get(s, "sync_role", role, sizeof role)) return EXIT_OK;
    struct store_sync *y = sync_of(s);
    if (!log) {
        if (y->session) sqlite3session_delete(y->session);
        y->session = NULL;
        return EXIT_OK;
    }
    if (!y->session) {
        int rc = start_session(s);
        if (rc) return rc;
    }
    y->origin = origin ? origin : s->device;
    return EXIT_OK;
}

static int log_entry(store *s, int64_t origin, const void *p, int n)
{
    const char *now = store_now(s); /* first: a query of its own would take a bind's failure */
    sqlite3_stmt *st =
        store_stmt(s, "INSERT INTO sync_log(origin, at, changes) VALUES (?1, ?2, ?3)");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, origin);
    store_bind_text(s, st, 2, now, -1, SQLITE_TRANSIENT);
    store_bind_blob(s, st, 3, p, n, SQLITE_STATIC);
    return store_step_done(s, st, "recording changes for offline copies");
}

/* The rows syncstore_relay_row named, as a changeset of inserts, logged after the transaction's
 * own entry. A session records only changes, and a row put back as it was is none: the rows are
 * copied into an empty database in memory with the same tables, whose session records them. */
static int log_relayed(store *s, struct store_sync *y)
{
    sqlite3 *m = NULL;
    sqlite3_session *ses = NULL;
    sqlite3_stmt *get = NULL, *put = NULL;
    void *p = NULL;
    int n = 0;
    int rc = sqlite3_open_v2(":memory:", &m, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) rc = sqlite3session_create(m, "main", &ses);
    /* Parents first, as syncstore_tables lists them, so the inserts apply in that order. */
    for (size_t ti = 0; rc == SQLITE_OK && ti < NTABLES; ti++) {
        bool any = false;
        for (size_t i = 0; i < y->nrelay; i++)
            any |= y->relay[i].ti == (int)ti;
        if (!any) continue;
        sqlite3_stmt *def = store_stmt(s, "SELECT sql FROM sqlite_master WHERE type = 'table' "
                                          "AND name = ?1");
        if (!def) {
            rc = SQLITE_ERROR;
            break;
        }
        store_bind_text(s, def, 1, syncstore_tables[ti], -1, SQLITE_STATIC);
        if ((rc = store_step(s, def)) == SQLITE_ROW)
            rc = sqlite3_exec(m, store_col_text(def, 0), NULL, NULL, NULL);
        sqlite3_reset(def);
        if (rc == SQLITE_OK) rc = sqlite3session_attach(ses, syncstore_tables[ti]);
        char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" WHERE id = ?1", syncstore_tables[ti]);
        if (rc == SQLITE_OK)
            rc = sql ? sqlite3_prepare_v2(s->db, sql, -1, &get, NULL) : SQLITE_NOMEM;
        sqlite3_free(sql);
        int ncol = get ? sqlite3_column_count(get) : 0;
        if (rc == SQLITE_OK) {
            buf b = BUF_INIT;
            buf_printf(&b, "INSERT INTO \"%s\" VALUES (", syncstore_tables[ti]);
            for (int c = 0; c < ncol; c++)
                buf_printf(&b, "%s?%d", c ? ", " : "", c + 1);
            buf_puts(&b, ")");
            rc = sqlite3_prepare_v2(m, buf_str(&b), -1, &put, NULL);
            buf_free(&b);
        }
        for (size_t i = 0; rc == SQLITE_OK && i < y->nrelay; i++) {
            if (y->relay[i].ti != (int)ti) continue;
            store_bind_int64(s, get, 1, y->relay[i].id);
            if ((rc = store_step(s, get)) == SQLITE_ROW) {
                for (int c = 0; c < ncol; c++)
                    store_bind_value(s, put, c + 1, sqlite3_column_value(get, c));
                rc = store_step(s, put);
                rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
                sqlite3_reset(put);
            } else if (rc == SQLITE_DONE) {
                rc = SQLITE_OK; /* gone after all: nothing to tell */
            }
            sqlite3_reset(get);
        }
        sqlite3_finalize(get);
        sqlite3_finalize(put);
        get = put = NULL;
    }
    if (rc == SQLITE_OK) rc = sqlite3session_changeset(ses, &n, &p);
    int code =
        rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, "recording rows kept for offline copies");
    if (!code && n > 0) code = log_entry(s, y->origin, p, n);
    sqlite3_free(p);
    if (ses) sqlite3session_delete(ses);
    sqlite3_close(m);
    return code;
}

int syncstore_tx_commit(store *s)
{
    struct store_sync *y = s->sync;
    if (!y || !y->session || !y->log) return EXIT_OK;
    int n = 0;
    void *p = NULL;
    int rc = sqlite3session_changeset(y->session, &n, &p);
    if (rc != SQLITE_OK) return store_fail(s, rc, "recording changes for offline copies");
    int code = EXIT_OK;
    /* A transaction that erased a child (privacy.c) is logged without the child's rows: a
     * purge's own deletes carry the whole rows (only its tombstone and audit row travel), and on
     * the hub an apply that erased a child had recorded its earlier changes of them. */
    buf kept = BUF_INIT;
    const void *data = p;
    int64_t dropped = 0;
    if (n > 0 && y->erasing && !(code = privacy_changeset_filter(s, p, n, &kept, &dropped))) {
        data = kept.data;
        n = (int)kept.len;
    }
    if (!code && n > 0) code = log_entry(s, y->origin, data, n);
    sqlite3_free(p);
    buf_free(&kept);
    if (!code && y->nrelay) code = log_relayed(s, y);
    return code;
}

void syncstore_tx_end(store *s)
{
    if (!s->sync) return;
    s->sync->erasing = false;
    s->sync->nrelay = 0;
    /* A rollback brought the triggers set aside back; a commit came after putting them back. */
    s->sync->noting = false;
    for (size_t i = 0; i < NFOLLOW; i++) {
        free(s->sync->aside[i]);
        s->sync->aside[i] = NULL;
    }
    /* syncstore_row_get keeps its row until the next call: a statement left on a row keeps a
     * read transaction open, and a write after another program's would then be refused. */
    for (size_t i = 0; i < NTABLES; i++)
        if (s->sync->t[i].get) sqlite3_reset(s->sync->t[i].get);
    if (!s->sync->session) return;
    sqlite3session_delete(s->sync->session);
    s->sync->session = NULL;
}

int syncstore_relay_row(store *s, const char *table, int64_t id)
{
    struct store_sync *y = sync_of(s);
    int ti = syncstore_table_index(table);
    if (!y->session || !y->log || ti < 0) return EXIT_OK;
    for (size_t i = 0; i < y->nrelay; i++)
        if (y->relay[i].ti == ti && y->relay[i].id == id) return EXIT_OK;
    if (y->nrelay == y->relay_cap) {
        y->relay_cap = y->relay_cap ? y->relay_cap * 2 : 16;
        y->relay = realloc(y->relay, y->relay_cap * sizeof *y->relay);
        if (!y->relay) abort();
    }
    y->relay[y->nrelay++] = (struct relay){ti, id};
    return EXIT_OK;
}

/* ---- follow-ups set aside ---- */

int syncstore_follow_ups_aside(store *s)
{
    struct store_sync *y = sync_of(s);
    if (!s->in_tx || y->noting) return EXIT_OK;
    int rc =
        sqlite3_exec(s->db,
                     "CREATE TEMP TABLE IF NOT EXISTS sync_follow_ups (id INTEGER PRIMARY KEY);"
                     "DELETE FROM temp.sync_follow_ups;",
                     NULL, NULL, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < NFOLLOW; i++) {
        sqlite3_stmt *st = store_stmt(s, "SELECT sql FROM main.sqlite_master WHERE type = "
                                         "'trigger' AND name = ?1");
        if (!st) return EXIT_IO;
        store_bind_text(s, st, 1, follow_up_triggers[i], -1, SQLITE_STATIC);
        if ((rc = store_step(s, st)) == SQLITE_ROW) {
            y->aside[i] = strdup(store_col_text(st, 0));
            if (!y->aside[i]) abort();
        }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) break;
        rc = SQLITE_OK;
        if (y->aside[i]) {
            char *sql = sqlite3_mprintf("DROP TRIGGER main.\"%w\"", follow_up_triggers[i]);
            rc = sql ? sqlite3_exec(s->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
            sqlite3_free(sql);
        }
    }
    if (rc != SQLITE_OK) return store_fail(s, rc, "setting the follow-ups aside");
    y->noting = true;
    return EXIT_OK;
}

int syncstore_follow_ups_note(store *s, int64_t referral_id)
{
    if (!s->sync || !s->sync->noting) return EXIT_OK;
    sqlite3_stmt *st = store_stmt(s, "INSERT OR IGNORE INTO temp.sync_follow_ups(id) VALUES (?1)");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, referral_id);
    return store_step_done(s, st, "noting a follow-up to derive");
}

int syncstore_follow_ups_back(store *s)
{
    struct store_sync *y = s->sync;
    if (!y || !y->noting) return EXIT_OK;
    /* The one definition, the view, for the noted referrals; then the triggers as they were. */
    int rc = sqlite3_exec(s->db,
                          "DELETE FROM referral_follow_up WHERE id IN "
                          "(SELECT id FROM temp.sync_follow_ups);"
                          "INSERT INTO referral_follow_up(id, follow_up) "
                          "SELECT id, follow_up FROM referral_follow_up_source "
                          "WHERE id IN (SELECT id FROM temp.sync_follow_ups);"
                          "DELETE FROM temp.sync_follow_ups;",
                          NULL, NULL, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < NFOLLOW; i++)
        if (y->aside[i]) rc = sqlite3_exec(s->db, y->aside[i], NULL, NULL, NULL);
    if (rc != SQLITE_OK) return store_fail(s, rc, "deriving the follow-ups");
    y->noting = false;
    for (size_t i = 0; i < NFOLLOW; i++) {
        free(y->aside[i]);
        y->aside[i] = NULL;
    }
    return EXIT_OK;
}

/* ---- erasing (src/store/privacy.c) ---- */

void syncstore_erasing(store *s)
{
    if (s->sync && s->sync->session) s->sync->erasing = true;
}

/* ---- columns ---- */

static int load_table(store *s, int ti, struct sync_table **out)
{
    struct sync_table *t = &sync_of(s)->t[ti];
    *out = t;
    if (t->loaded) return EXIT_OK;
    sqlite3_stmt *st = store_stmt(s, "SELECT name, type FROM pragma_table_info(?1) ORDER BY cid");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, syncstore_tables[ti], -1, SQLITE_STATIC);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW && t->ncol < SYNCSTORE_MAX_COLS) {
        t->names[t->ncol] = strdup(store_col_text(st, 0));
        t->types[t->ncol] = strdup(store_col_text(st, 1));
        if (!t->names[t->ncol] || !t->types[t->ncol]) abort();
        t->ncol++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return store_fail(s, rc, "reading the schema");
    t->loaded = true;
    return EXIT_OK;
}

static int table_of(store *s, const char *table, struct sync_table **out)
{
    int ti = syncstore_table_index(table);
    if (ti < 0) {
        snprintf(s->err, sizeof s->err, "table %s is not synced", table);
        return EXIT_DATA;
    }
    return load_table(s, ti, out);
}

int syncstore_columns(store *s, const char *table, const char *const **names, int *n)
{
    struct sync_table *t;
    int rc = table_of(s, table, &t);
    if (rc) return rc;
    *names = (const char *const *)t->names;
    *n = t->ncol;
    return EXIT_OK;
}

int syncstore_columns_hash(store *s, char out[33])
{
    buf b = BUF_INIT;
    for (size_t i = 0; i < NTABLES; i++) {
        struct sync_table *t;
        int rc = load_table(s, (int)i, &t);
        if (rc) {
            buf_free(&b);
            return rc;
        }
        buf_printf(&b, "%s(", syncstore_tables[i]);
        for (int c = 0; c < t->ncol; c++)
            buf_printf(&b, "%s %s,", t->names[c], t->types[c]);
        buf_puts(&b, ")");
    }
    /* FNV-1a, 128 bits as two 64-bit lanes: a fingerprint, not a secret. */
    uint64_t h1 = 0xcbf29ce484222325ULL, h2 = 0x84222325cbf29ce4ULL;
    for (size_t i = 0; i < b.len; i++) {
        h1 = (h1 ^ (unsigned char)b.data[i]) * 0x100000001b3ULL;
        h2 = (h2 ^ (unsigned char)b.data[b.len - 1 - i]) * 0x100000001b3ULL;
    }
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h1, (unsigned long long)h2);
    buf_free(&b);
    return EXIT_OK;
}

const char *syncstore_now(store *s)
{
    return store_now(s);
}

int64_t syncstore_device(const store *s)
{
    return s->device;
}

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
        store_stmt(s, "SELECT seq, origin, changes FROM sync_log WHERE seq > ?1 ORDER BY seq");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, after);
    int rc, code = EXIT_OK;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        const void *p = sqlite3_column_blob(st, 2);
        int n = sqlite3_column_bytes(st, 2);
        code = fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), p, n);
        if (code) break;
    }
    if (!code && rc != SQLITE_DONE) code = store_fail(s, rc, "reading the change log");
    sqlite3_reset(st);
    return code;
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

/* ---- values ---- */

static void from_sqlite(sqlite3_value *v, merge_value *out)
{
    memset(out, 0, sizeof *out);
    if (!v) return; /* MERGE_UNDEF */
    out->type = sqlite3_value_type(v);
    switch (out->type) {
    case SQLITE_INTEGER: out->i = sqlite3_value_int64(v); break;
    case SQLITE_FLOAT: out->d = sqlite3_value_double(v); break;
    case SQLITE_TEXT:
        out->p = sqlite3_value_text(v);
        out->n = sqlite3_value_bytes(v);
        break;
    case SQLITE_BLOB:
        out->p = sqlite3_value_blob(v);
        out->n = sqlite3_value_bytes(v);
        break;
    default: out->type = MERGE_NULL;
    }
}

static int bind_value(store *s, sqlite3_stmt *st, int i, const merge_value *v)
{
    switch (v->type) {
    case MERGE_INT: return store_bind_int64(s, st, i, v->i);
    case MERGE_REAL: return store_bind_double(s, st, i, v->d);
    case MERGE_TEXT: return store_bind_text(s, st, i, (const char *)v->p, v->n, SQLITE_TRANSIENT);
    case MERGE_BLOB: return store_bind_blob(s, st, i, v->p, v->n, SQLITE_TRANSIENT);
    default: return store_bind_null(s, st, i);
    }
}

/* ---- changesets ---- */

struct syncstore_iter {
    sqlite3_changeset_iter *it;
};

int syncstore_iter_start(const void *data, int n, syncstore_iter **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out) return EXIT_IO;
    if (sqlite3changeset_start(&(*out)->it, n, (void *)data) != SQLITE_OK) {
        free(*out);
        *out = NULL;
        return EXIT_DATA;
    }
    return EXIT_OK;
}

int syncstore_iter_next(syncstore_iter *it, syncstore_change *c)
{
    int rc = sqlite3changeset_next(it->it);
    if (rc == SQLITE_DONE) return 0;
    if (rc != SQLITE_ROW) return -EXIT_DATA;
    int op = 0, indirect = 0;
    if (sqlite3changeset_op(it->it, &c->table, &c->ncol, &op, &indirect) != SQLITE_OK ||
        c->ncol > SYNCSTORE_MAX_COLS || c->ncol < 1)
        return -EXIT_DATA;
    c->op = op == SQLITE_INSERT ? 'I' : op == SQLITE_UPDATE ? 'U' : 'D';
    for (int i = 0; i < c->ncol; i++) {
        sqlite3_value *o = NULL, *n = NULL;
        if (op != SQLITE_INSERT && sqlite3changeset_old(it->it, i, &o) != SQLITE_OK)
            return -EXIT_DATA;
        if (op != SQLITE_DELETE && sqlite3changeset_new(it->it, i, &n) != SQLITE_OK)
            return -EXIT_DATA;
        from_sqlite(o, &c->old[i]);
        from_sqlite(n, &c->new_[i]);
    }
    return 1;
}

sqlite3_changeset_iter *syncstore_iter_raw(syncstore_iter *it)
{
    return it->it;
}

void syncstore_iter_free(syncstore_iter *it)
{
    if (!it) return;
    sqlite3changeset_finalize(it->it);
    free(it);
}

/* ---- rows ---- */

static int prepare(store *s, sqlite3_stmt **st, const char *sql)
{
    if (*st) {
        sqlite3_reset(*st);
        sqlite3_clear_bindings(*st);
        return EXIT_OK;
    }
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    return rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, "preparing a merge");
}

int syncstore_row_get(store *s, const char *table, int64_t id, merge_value *vals, int ncol,
                      bool *found)
{
    *found = false;
    struct sync_table *t;
    int rc = table_of(s, table, &t);
    if (rc) return rc;
    if (!t->get) {
        char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" WHERE id = ?1", table);
        rc = sql ? prepare(s, &t->get, sql) : EXIT_IO;
        sqlite3_free(sql);
        if (rc) return rc;
    }
    sqlite3_reset(t->get);
    store_bind_int64(s, t->get, 1, id);
    rc = store_step(s, t->get);
    if (rc == SQLITE_ROW) {
        *found = true;
        int n = sqlite3_column_count(t->get);
        for (int i = 0; i < ncol; i++) {
            if (i < n)
                from_sqlite(sqlite3_column_value(t->get, i), &vals[i]);
            else
                memset(&vals[i], 0, sizeof vals[i]);
        }
        return EXIT_OK; /* the values stay until the next call for this table */
    }
    sqlite3_reset(t->get);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading a row to merge");
}

int syncstore_row_add(store *s, const char *table, const merge_value *vals, int ncol, bool *held,
                      bool *clash)
{
    *held = *clash = false;
    struct sync_table *t;
    int rc = table_of(s, table, &t);
    if (rc) return rc;
    if (ncol != t->ncol) {
        snprintf(s->err, sizeof s->err, "a change of %s has %d columns, the table %d", table, ncol,
                 t->ncol);
        return EXIT_DATA;
    }
    if (!t->ins) {
        buf b = BUF_INIT;
        buf_printf(&b, "INSERT INTO \"%s\" VALUES (", table);
        for (int i = 0; i < t->ncol; i++)
            buf_printf(&b, "%s?%d", i ? ", " : "", i + 1);
        buf_puts(&b, ")");
        rc = prepare(s, &t->ins, buf_str(&b));
        buf_free(&b);
        if (rc) return rc;
    }
    sqlite3_reset(t->ins);
    for (int i = 0; i < ncol; i++)
        bind_value(s, t->ins, i + 1, &vals[i]);
    rc = store_step(s, t->ins);
    sqlite3_reset(t->ins);
    sqlite3_clear_bindings(t->ins);
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        *held = true;
        return EXIT_OK;
    }
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
        *clash = true;
        return EXIT_OK;
    }
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "adding a row from a pack");
}

int syncstore_row_insert(store *s, const char *table, const merge_value *vals, int ncol,
                         bool *clash)
{
    bool held;
    int rc = syncstore_row_add(s, table, vals, ncol, &held, clash);
    return !rc && held ? store_fail(s, SQLITE_CONSTRAINT_PRIMARYKEY, "adding a row from a pack")
                       : rc;
}

int syncstore_row_update(store *s, const char *table, int64_t id, const merge_value *vals,
                         const bool *set, int ncol)
{
    struct sync_table *t;
    int rc = table_of(s, table, &t);
    if (rc) return rc;
    uint32_t mask = 0;
    for (int i = 0; i < ncol && i < t->ncol; i++)
        if (set[i]) mask |= 1u << i;
    if (!mask) return EXIT_OK;
    sqlite3_stmt *st = NULL;
    bool cached = false;
    for (int u = 0; u < t->nupd && !st; u++)
        if (t->upd[u].mask == mask) st = t->upd[u].st;
    if (st) {
        cached = true;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        buf b = BUF_INIT;
        buf_printf(&b, "UPDATE \"%s\" SET ", table);
        int k = 0;
        for (int i = 0; i < t->ncol; i++)
            if (mask & (1u << i))
                buf_printf(&b, "%s\"%s\" = ?%d", k++ ? ", " : "", t->names[i], i + 2);
        buf_puts(&b, " WHERE id = ?1");
        cached = t->nupd < (int)(sizeof t->upd / sizeof t->upd[0]);
        rc = sqlite3_prepare_v3(s->db, buf_str(&b), -1, cached ? SQLITE_PREPARE_PERSISTENT : 0, &st,
                                NULL);
        buf_free(&b);
        if (rc != SQLITE_OK) return store_fail(s, rc, "preparing a merge");
        if (cached) {
            t->upd[t->nupd].mask = mask;
            t->upd[t->nupd].st = st;
            t->nupd++;
        }
    }
    store_bind_int64(s, st, 1, id);
    for (int i = 0; i < t->ncol; i++)
        if (mask & (1u << i)) bind_value(s, st, i + 2, &vals[i]);
    rc = store_step(s, st);
    if (cached) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        sqlite3_finalize(st);
    }
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "merging a row from a pack");
}

int syncstore_row_delete(store *s, const char *table, int64_t id)
{
    struct sync_table *t;
    int rc = table_of(s, table, &t);
    if (rc) return rc;
    if (!t->del) {
        char *sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE id = ?1", table);
        rc = sql ? prepare(s, &t->del, sql) : EXIT_IO;
        sqlite3_free(sql);
        if (rc) return rc;
    }
    sqlite3_reset(t->del);
    store_bind_int64(s, t->del, 1, id);
    return store_step_done(s, t->del, "deleting a row from a pack");
}

int syncstore_dangling_rows(store *s, syncstore_dangling *out, int max, int *n)
{
    *n = 0;
    int cur = 0, hi = 0;
    if (sqlite3_db_status(s->db, SQLITE_DBSTATUS_DEFERRED_FKS, &cur, &hi, 0) == SQLITE_OK &&
        cur == 0)
        return EXIT_OK;
    sqlite3_stmt *st = store_stmt(s, "SELECT k.\"table\", k.rowid, k.parent, f.\"from\" "
                                     "FROM pragma_foreign_key_check k "
                                     "JOIN pragma_foreign_key_list(k.\"table\") f "
                                     "ON f.id = k.fkid AND f.seq = 0");
    if (!st) return EXIT_IO;
    int rc = SQLITE_DONE;
    while (*n < max && (rc = store_step(s, st)) == SQLITE_ROW) {
        syncstore_dangling *d = &out[*n];
        snprintf(d->table, sizeof d->table, "%s", store_col_text(st, 0));
        d->id = sqlite3_column_int64(st, 1);
        snprintf(d->parent, sizeof d->parent, "%s", store_col_text(st, 2));
        char *sql = sqlite3_mprintf("SELECT \"%w\" FROM \"%w\" WHERE rowid = ?1",
                                    store_col_text(st, 3), d->table);
        sqlite3_stmt *v = NULL;
        rc = sql ? sqlite3_prepare_v2(s->db, sql, -1, &v, NULL) : SQLITE_NOMEM;
        sqlite3_free(sql);
        if (rc != SQLITE_OK) break;
        store_bind_int64(s, v, 1, d->id);
        rc = store_step(s, v);
        d->parent_id = rc == SQLITE_ROW ? sqlite3_column_int64(v, 0) : 0;
        sqlite3_finalize(v);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) break;
        rc = SQLITE_ROW;
        (*n)++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? EXIT_OK
                                                 : store_fail(s, rc,
                                                              "checking the rows refer to rows "
                                                              "that are there");
}

int syncstore_key_holder(store *s, const char *table, const char *column, const merge_value *val,
                         int64_t id, int64_t *other)
{
    *other = 0;
    if (syncstore_table_index(table) < 0) return EXIT_DATA;
    char *sql =
        sqlite3_mprintf("SELECT id FROM \"%w\" WHERE \"%w\" = ?1 AND id <> ?2", table, column);
    sqlite3_stmt *st = NULL;
    int rc = sql ? sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK) return store_fail(s, rc, "finding a key");
    bind_value(s, st, 1, val);
    store_bind_int64(s, st, 2, id);
    rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        *other = sqlite3_column_int64(st, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "finding a key");
}

int syncstore_row_child(store *s, const char *table, int64_t id, int64_t *child_id)
{
    *child_id = 0;
    const char *sql = NULL;
    if (strcmp(table, "children") == 0) {
        *child_id = id;
        return EXIT_OK;
    } else if (strcmp(table, "referrals") == 0) {
        sql = "SELECT child_id FROM referrals WHERE id = ?1";
    } else if (strcmp(table, "exclusions") == 0) {
        sql = "SELECT child_id FROM exclusions WHERE id = ?1";
    } else if (strcmp(table, "attendance") == 0) {
        sql = "SELECT child_id FROM attendance WHERE id = ?1";
    } else if (strcmp(table, "episodes") == 0) {
        sql = "SELECT child_id FROM episodes WHERE id = ?1";
    } else if (strcmp(table, "actions") == 0) {
        sql = "SELECT r.child_id FROM actions a JOIN referrals r ON r.id = a.referral_id "
              "WHERE a.id = ?1";
    } else if (strcmp(table, "outcomes") == 0) {
        sql = "SELECT r.child_id FROM outcomes o JOIN referrals r ON r.id = o.referral_id "
              "WHERE o.id = ?1";
    } else {
        return EXIT_OK;
    }
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    return store_step_int(s, st, child_id, "finding a row's child");
}

int syncstore_purged(store *s, int64_t child_id, bool *purged)
{
    *purged = false;
    if (!child_id) return EXIT_OK;
    sqlite3_stmt *st =
        store_stmt(s, "SELECT 1 FROM tombstones WHERE tbl = 'children' AND row_key = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, child_id);
    int64_t v;
    int rc = store_step_int(s, st, &v, "reading the tombstones");
    *purged = v != 0;
    return rc;
}

int syncstore_new_row_child(store *s, const char *table, const merge_value *vals, int ncol,
                            int64_t *child_id)
{
    *child_id = 0;
    const char *const *names;
    int n, rc;
    if ((rc = syncstore_columns(s, table, &names, &n))) return rc;
    if (strcmp(table, "children") == 0) {
        if (vals[0].type == MERGE_INT) *child_id = vals[0].i;
        return EXIT_OK;
    }
    for (int i = 0; i < n && i < ncol; i++) {
        if (vals[i].type != MERGE_INT) continue;
        if (strcmp(names[i], "child_id") == 0) {
            *child_id = vals[i].i;
            return EXIT_OK;
        }
        if (strcmp(names[i], "referral_id") == 0)
            return syncstore_row_child(s, "referrals", vals[i].i, child_id);
    }
    return EXIT_OK;
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

static int unsent_entry(void *ctx, int64_t seq, int64_t origin, const void *data, int n)
{
    (void)seq;
    (void)origin;
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

/* ---- conflicts ---- */

int syncstore_conflict_add(store *s, const char *kind, const char *table, int64_t row_id,
                           const char *field, const merge_value *base, const merge_value *hub,
                           const merge_value *laptop, const char *laptop_name)
{
    /* Before the binds: store_now's own query would take a failed bind's code. */
    const char *now = store_now(s);
    int64_t id = store_new_id(s);
    sqlite3_stmt *st = store_stmt(
        s,
        "INSERT INTO conflicts(id, kind, tbl, row_id, field, base, hub, laptop, laptop_name, "
        "at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?10)");
    if (!st) return EXIT_IO;
    static const merge_value null = {MERGE_NULL, 0, 0, NULL, 0};
    store_bind_int64(s, st, 1, id);
    store_bind_text(s, st, 2, kind, -1, SQLITE_STATIC);
    store_bind_text(s, st, 3, table, -1, SQLITE_TRANSIENT);
    store_bind_int64(s, st, 4, row_id);
    store_bind_opt_text(s, st, 5, field);
    bind_value(s, st, 6, base ? base : &null);
    bind_value(s, st, 7, hub ? hub : &null);
    bind_value(s, st, 8, laptop ? laptop : &null);
    store_bind_text(s, st, 9, laptop_name, -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 10, now, -1, SQLITE_TRANSIENT);
    return store_step_done(s, st, "recording a conflict");
}

#define CONFLICT_SELECT                                                                            \
    "SELECT c.id, c.kind, c.tbl, c.row_id, c.field, c.base, c.hub, c.laptop, c.laptop_name, "      \
    "c.at, c.state, c.resolution, "                                                                \
    "CASE c.tbl WHEN 'referrals' THEN (SELECT ref FROM referrals WHERE id = c.row_id) "            \
    "WHEN 'actions' THEN (SELECT r.ref FROM actions a JOIN referrals r ON r.id = a.referral_id "   \
    "WHERE a.id = c.row_id) "                                                                      \
    "WHEN 'outcomes' THEN (SELECT r.ref FROM outcomes o JOIN referrals r "                         \
    "ON r.id = o.referral_id WHERE o.id = c.row_id) END, "                                         \
    "(SELECT coalesce(ch.upn, ch.la_child_id) FROM children ch WHERE ch.id = CASE c.tbl "          \
    "WHEN 'children' THEN c.row_id "                                                               \
    "WHEN 'referrals' THEN (SELECT child_id FROM referrals WHERE id = c.row_id) "                  \
    "WHEN 'exclusions' THEN (SELECT child_id FROM exclusions WHERE id = c.row_id) "                \
    "WHEN 'attendance' THEN (SELECT child_id FROM attendance WHERE id = c.row_id) "                \
    "WHEN 'episodes' THEN (SELECT child_id FROM episodes WHERE id = c.row_id) "                    \
    "WHEN 'actions' THEN (SELECT r.child_id FROM actions a JOIN referrals r "                      \
    "ON r.id = a.referral_id WHERE a.id = c.row_id) "                                              \
    "WHEN 'outcomes' THEN (SELECT r.child_id FROM outcomes o JOIN referrals r "                    \
    "ON r.id = o.referral_id WHERE o.id = c.row_id) END) "                                         \
    "FROM conflicts c "

static const char *text_or_null(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : store_col_text(st, i);
}

static int conflict_rows(store *s, sqlite3_stmt *st, syncstore_conflict_fn fn, void *ctx, bool *any)
{
    int rc, code = EXIT_OK;
    *any = false;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        *any = true;
        syncstore_conflict c;
        c.id = sqlite3_column_int64(st, 0);
        c.kind = store_col_text(st, 1);
        c.table = store_col_text(st, 2);
        c.row_id = sqlite3_column_int64(st, 3);
        c.field = text_or_null(st, 4);
        from_sqlite(sqlite3_column_value(st, 5), &c.base);
        from_sqlite(sqlite3_column_value(st, 6), &c.hub);
        from_sqlite(sqlite3_column_value(st, 7), &c.laptop);
        c.laptop_name = store_col_text(st, 8);
        c.at = store_col_text(st, 9);
        c.state = store_col_text(st, 10);
        c.resolution = store_col_text(st, 11);
        c.ref = text_or_null(st, 12);
        c.child = text_or_null(st, 13);
        if ((code = fn(ctx, &c))) break;
    }
    if (!code && rc != SQLITE_DONE) code = store_fail(s, rc, "reading the conflicts");
    sqlite3_reset(st);
    return code;
}

int syncstore_conflict_each(store *s, bool all, syncstore_conflict_fn fn, void *ctx)
{
    sqlite3_stmt *st =
        store_stmt(s, CONFLICT_SELECT "WHERE ?1 OR c.state = 'open' ORDER BY c.at, c.id");
    if (!st) return EXIT_IO;
    store_bind_int(s, st, 1, all);
    bool any;
    return conflict_rows(s, st, fn, ctx, &any);
}

int syncstore_conflict_page(store *s, const syncstore_conflict_key *from, bool backward, int limit,
                            syncstore_conflict_fn fn, void *ctx)
{
    /* No key: from before the first (at "" sorts first) or after the last (at holds
     * YYYY-MM-DDTHH:MM:SS.SSSZ, all before "~"). */
    sqlite3_stmt *st =
        !backward
            ? store_stmt(s, CONFLICT_SELECT "WHERE c.state = 'open' AND (c.at, c.id) > (?1, ?2) "
                                            "ORDER BY c.at, c.id LIMIT ?3")
            : store_stmt(s, CONFLICT_SELECT "WHERE c.state = 'open' AND (c.at, c.id) < (?1, ?2) "
                                            "ORDER BY c.at DESC, c.id DESC LIMIT ?3");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, from ? from->at : backward ? "~" : "", -1, SQLITE_TRANSIENT);
    store_bind_int64(s, st, 2, from ? from->id : backward ? INT64_MAX : INT64_MIN);
    store_bind_int(s, st, 3, limit);
    bool any;
    return conflict_rows(s, st, fn, ctx, &any);
}

int syncstore_conflict_get(store *s, int64_t id, syncstore_conflict_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt(s, CONFLICT_SELECT "WHERE c.id = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    bool any;
    int rc = conflict_rows(s, st, fn, ctx, &any);
    return rc ? rc : any ? EXIT_OK : EXIT_FOUND;
}

int syncstore_conflict_open_count(store *s, const char *table, int64_t row_id, int64_t *n)
{
    sqlite3_stmt *st;
    if (table) {
        st = store_stmt(s, "SELECT count(*) FROM conflicts WHERE state = 'open' AND tbl = ?1 "
                           "AND row_id = ?2");
        if (!st) return EXIT_IO;
        store_bind_text(s, st, 1, table, -1, SQLITE_TRANSIENT);
        store_bind_int64(s, st, 2, row_id);
    } else {
        st = store_stmt(s, "SELECT count(*) FROM conflicts WHERE state = 'open'");
        if (!st) return EXIT_IO;
    }
    return store_step_int(s, st, n, "counting the conflicts");
}

int syncstore_conflict_open_field(store *s, const char *table, int64_t row_id, const char *field,
                                  bool *open)
{
    *open = false;
    sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM conflicts WHERE state = 'open' AND "
                                     "tbl = ?1 AND row_id = ?2 AND field = ?3");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, table, -1, SQLITE_TRANSIENT);
    store_bind_int64(s, st, 2, row_id);
    store_bind_text(s, st, 3, field, -1, SQLITE_TRANSIENT);
    int64_t n;
    int rc = store_step_int(s, st, &n, "reading the conflicts");
    *open = n > 0;
    return rc;
}

int syncstore_conflict_resolve(store *s, int64_t id, const char *resolution)
{
    const char *now = store_now(s);
    sqlite3_stmt *st = store_stmt(s, "UPDATE conflicts SET state = 'resolved', resolution = ?2, "
                                     "resolved_by = ?3, resolved_at = ?4, updated_at = ?4 "
                                     "WHERE id = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    store_bind_text(s, st, 2, resolution, -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 3, store_actor(), -1, SQLITE_STATIC);
    store_bind_text(s, st, 4, now, -1, SQLITE_TRANSIENT);
    return store_step_done(s, st, "resolving a conflict");
}
