/* sync.c: the store side of offline copies (see syncstore.h): the synced tables, capture of each
 * transaction's changes with SQLite's session extension into the log, the rows relayed, and the
 * follow-ups set aside while a pack is applied. The rest in sync_columns.c, sync_log.c,
 * sync_rows.c and sync_conflict_rows.c (syncstore_internal.h). */
#include "caseload/syncstore.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/privacy.h"
#include "syncstore_internal.h"
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
_Static_assert(sizeof syncstore_tables / sizeof syncstore_tables[0] - 1 == SYNC_NTABLES,
               "SYNC_NTABLES (syncstore_internal.h) counts syncstore_tables");

/* The triggers set aside while a pack is applied: those that keep referral_follow_up as actions
 * change (migration 0011), which cost most of applying a pack's actions, and the one that notes a
 * referral's search text stale when it is edited (data/schema.sql): it made each edit a statement
 * of two tables that can abort, which SQLite journals page by page (about half of what an edit
 * cost). syncstore_row_update notes what it noted (searched_columns). */
static const char *const aside_triggers[] = {
    "actions_follow_up_insert",
    "actions_follow_up_delete",
    "actions_follow_up_update",
    "search_stale_update",
};
#define NASIDE (sizeof aside_triggers / sizeof aside_triggers[0])
_Static_assert(NASIDE <= sizeof((struct store_sync *)0)->aside / sizeof(char *),
               "store_sync.aside holds each trigger set aside");

/* The columns of referrals search_stale_update watches: an update of one of them makes the
 * referral's search text stale. */
static const char *const searched_columns[] = {"id", "ref", "summary", "child_id"};

uint32_t sync_searched_mask(const struct sync_table *t, const char *table)
{
    uint32_t mask = 0;
    if (strcmp(table, "referrals") != 0) return 0;
    for (int i = 0; i < t->ncol; i++)
        for (size_t k = 0; k < sizeof searched_columns / sizeof searched_columns[0]; k++)
            if (strcmp(t->names[i], searched_columns[k]) == 0) mask |= 1u << i;
    return mask;
}

struct store_sync *sync_of(store *s)
{
    if (!s->sync) {
        s->sync = calloc(1, sizeof *s->sync);
        if (!s->sync) abort(); /* nothing sensible can follow */
    }
    return s->sync;
}

int syncstore_table_index(const char *table)
{
    for (size_t i = 0; i < SYNC_NTABLES; i++)
        if (strcmp(syncstore_tables[i], table) == 0) return (int)i;
    return -1;
}

void syncstore_free(store *s)
{
    if (!s->sync) return;
    if (s->sync->session) sqlite3session_delete(s->sync->session);
    for (size_t i = 0; i < SYNC_NTABLES; i++) {
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
    buf_free(&s->sync->whole_rows);
    for (size_t i = 0; i < NASIDE; i++)
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
    for (size_t i = 0; rc == SQLITE_OK && i < SYNC_NTABLES; i++)
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
    for (size_t ti = 0; rc == SQLITE_OK && ti < SYNC_NTABLES; ti++) {
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
    buf kept = BUF_INIT, all = BUF_INIT;
    const void *data = p;
    int64_t dropped = 0;
    /* The rows added whole first: what the session captured after them may change them. */
    if (y->whole_rows.len) {
        buf_append(&all, y->whole_rows.data, y->whole_rows.len);
        if (n > 0) buf_append(&all, p, (size_t)n);
        data = all.data;
        n = (int)all.len;
    }
    if (n > 0 && y->erasing && !(code = privacy_changeset_filter(s, data, n, &kept, &dropped))) {
        data = kept.data;
        n = (int)kept.len;
    }
    if (!code && n > 0) code = log_entry(s, y->origin, data, n);
    sqlite3_free(p);
    buf_free(&kept);
    buf_free(&all);
    if (!code && y->nrelay) code = log_relayed(s, y);
    return code;
}

void syncstore_tx_end(store *s)
{
    if (!s->sync) return;
    s->sync->erasing = false;
    s->sync->nrelay = 0;
    s->sync->whole = s->sync->deleted = false;
    buf_reset(&s->sync->whole_rows);
    s->sync->whole_last = 0;
    /* A rollback brought the triggers set aside back; a commit came after putting them back. */
    s->sync->noting = false;
    for (size_t i = 0; i < NASIDE; i++) {
        free(s->sync->aside[i]);
        s->sync->aside[i] = NULL;
    }
    /* syncstore_row_get keeps its row until the next call: a statement left on a row keeps a
     * read transaction open, and a write after another program's would then be refused. */
    for (size_t i = 0; i < SYNC_NTABLES; i++) {
        if (s->sync->t[i].get) sqlite3_reset(s->sync->t[i].get);
        s->sync->t[i].session_seen = false;
    }
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

/* ---- triggers set aside ---- */

int syncstore_triggers_aside(store *s)
{
    struct store_sync *y = sync_of(s);
    if (!s->in_tx || y->noting) return EXIT_OK;
    int rc =
        sqlite3_exec(s->db,
                     "CREATE TEMP TABLE IF NOT EXISTS sync_follow_ups (id INTEGER PRIMARY KEY);"
                     "DELETE FROM temp.sync_follow_ups;",
                     NULL, NULL, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < NASIDE; i++) {
        sqlite3_stmt *st = store_stmt(s, "SELECT sql FROM main.sqlite_master WHERE type = "
                                         "'trigger' AND name = ?1");
        if (!st) return EXIT_IO;
        store_bind_text(s, st, 1, aside_triggers[i], -1, SQLITE_STATIC);
        if ((rc = store_step(s, st)) == SQLITE_ROW) {
            y->aside[i] = strdup(store_col_text(st, 0));
            if (!y->aside[i]) abort();
        }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) break;
        rc = SQLITE_OK;
        if (y->aside[i]) {
            char *sql = sqlite3_mprintf("DROP TRIGGER main.\"%w\"", aside_triggers[i]);
            rc = sql ? sqlite3_exec(s->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
            sqlite3_free(sql);
        }
    }
    if (rc != SQLITE_OK) return store_fail(s, rc, "setting triggers aside");
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

/* Above this many pending actions (those with a follow-up) for each referral noted, the noted
 * referrals' follow-ups are derived one by one: the one statement for them all reads the view
 * whole, every pending action of the database (SQLite cannot look into the view's groups by keys
 * that come from a table), which costs about a quarter of deriving one referral alone. */
#define FOLLOW_UPS_PER_NOTED 4

/* The follow-up of referral id from the view into referral_follow_up (no row when it has none
 * pending), by statements of one row, which SQLite does not journal page by page as it does an
 * INSERT ... SELECT into a table with a NOT NULL column. */
static int follow_up_derive(store *s, int64_t id)
{
    static const char *const what = "deriving the follow-ups";
    sqlite3_stmt *st =
        store_stmt(s, "SELECT follow_up FROM referral_follow_up_source WHERE id = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    int rc = store_step(s, st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) return store_fail(s, rc, what);
        if (!(st = store_stmt(s, "DELETE FROM referral_follow_up WHERE id = ?1"))) return EXIT_IO;
        store_bind_int64(s, st, 1, id);
        return store_step_done(s, st, what);
    }
    static const char *const put[] = {
        "UPDATE referral_follow_up SET follow_up = ?2 WHERE id = ?1",
        "INSERT INTO referral_follow_up(id, follow_up) VALUES (?1, ?2)"};
    rc = EXIT_OK;
    for (int k = 0; !rc && k < 2; k++) {
        sqlite3_stmt *wr = store_stmt(s, put[k]);
        if (!wr) {
            rc = EXIT_IO;
            break;
        }
        store_bind_int64(s, wr, 1, id);
        if (!(rc = store_bind_value(s, wr, 2, sqlite3_column_value(st, 0))) &&
            !(rc = store_step_done(s, wr, what)) && sqlite3_changes(s->db) > 0)
            break;
    }
    sqlite3_reset(st);
    return rc;
}

/* The follow-ups of the referrals noted in temp.sync_follow_ups from their one definition, the
 * view: in one statement, or one by one when the database holds many more pending actions. */
static int follow_ups_derive(store *s)
{
    static const char *const what = "deriving the follow-ups";
    int64_t noted = 0, pending = 0;
    sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM temp.sync_follow_ups");
    int rc = st ? store_step_int(s, st, &noted, what) : EXIT_IO;
    if (rc || !noted) return rc;
    st = store_stmt(s, "SELECT count(*) FROM (SELECT 1 FROM actions WHERE follow_up IS NOT NULL "
                       "LIMIT ?1)");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, noted * FOLLOW_UPS_PER_NOTED + 1);
    if ((rc = store_step_int(s, st, &pending, what))) return rc;
    if (pending <= noted * FOLLOW_UPS_PER_NOTED) {
        rc = store_run(s,
                       "DELETE FROM referral_follow_up WHERE id IN "
                       "(SELECT id FROM temp.sync_follow_ups)",
                       what);
        return rc ? rc
                  : store_run(s,
                              "INSERT INTO referral_follow_up(id, follow_up) "
                              "SELECT id, follow_up FROM referral_follow_up_source "
                              "WHERE id IN (SELECT id FROM temp.sync_follow_ups)",
                              what);
    }
    if (!(st = store_stmt(s, "SELECT id FROM temp.sync_follow_ups"))) return EXIT_IO;
    int step = SQLITE_DONE;
    while (!rc && (step = store_step(s, st)) == SQLITE_ROW)
        rc = follow_up_derive(s, sqlite3_column_int64(st, 0));
    sqlite3_reset(st);
    if (rc) return rc;
    return step == SQLITE_DONE ? EXIT_OK : store_fail(s, step, what);
}

int syncstore_triggers_back(store *s)
{
    struct store_sync *y = s->sync;
    if (!y || !y->noting) return EXIT_OK;
    /* The follow-ups of the noted referrals; then the triggers as they were. */
    int code = follow_ups_derive(s);
    if (code) return code;
    int rc = sqlite3_exec(s->db, "DELETE FROM temp.sync_follow_ups", NULL, NULL, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < NASIDE; i++)
        if (y->aside[i]) rc = sqlite3_exec(s->db, y->aside[i], NULL, NULL, NULL);
    if (rc != SQLITE_OK) return store_fail(s, rc, "deriving the follow-ups");
    y->noting = false;
    for (size_t i = 0; i < NASIDE; i++) {
        free(y->aside[i]);
        y->aside[i] = NULL;
    }
    return EXIT_OK;
}

/* ---- erasing (src/store/privacy.c) ---- */

void syncstore_erasing(store *s)
{
    syncstore_deleting(s);
    if (s->sync && s->sync->session) s->sync->erasing = true;
}

void syncstore_deleting(store *s)
{
    if (s->sync) s->sync->deleted = true;
}

void syncstore_log_added_whole(store *s)
{
    struct store_sync *y = sync_of(s);
    y->whole = y->session && y->log;
}
