/* sync_rows.c: values and changesets read as merge_values, and the rows
 * of the synced tables read and written by key (what applying a pack does to a row). */
#include "caseload/syncstore.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "syncstore_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- values ---- */

void sync_value_from(sqlite3_value *v, merge_value *out)
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

/* v bound to parameter i of st, its text or blob copied (SQLITE_TRANSIENT) or, when v's memory
 * outlasts the statement's step (SQLITE_STATIC), not. */
static int bind_value(store *s, sqlite3_stmt *st, int i, const merge_value *v, void (*d)(void *))
{
    switch (v->type) {
    case MERGE_INT: return store_bind_int64(s, st, i, v->i);
    case MERGE_REAL: return store_bind_double(s, st, i, v->d);
    case MERGE_TEXT: return store_bind_text(s, st, i, (const char *)v->p, v->n, d);
    case MERGE_BLOB: return store_bind_blob(s, st, i, v->p, v->n, d);
    default: return store_bind_null(s, st, i);
    }
}

int sync_bind_value(store *s, sqlite3_stmt *st, int i, const merge_value *v)
{
    return bind_value(s, st, i, v, SQLITE_TRANSIENT);
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
        sync_value_from(o, &c->old[i]);
        sync_value_from(n, &c->new_[i]);
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
    int rc = sync_table_of(s, table, &t);
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
                sync_value_from(sqlite3_column_value(t->get, i), &vals[i]);
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
    int rc = sync_table_of(s, table, &t);
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
    /* Not copied: vals outlast the step, and the bindings are cleared after it. */
    for (int i = 0; i < ncol; i++)
        bind_value(s, t->ins, i + 1, &vals[i], SQLITE_STATIC);
    struct store_sync *y = s->sync;
    bool whole = y->whole && y->session && y->log && !y->deleted;
    if (whole) sqlite3session_enable(y->session, 0);
    rc = store_step(s, t->ins);
    if (whole) sqlite3session_enable(y->session, 1);
    if (whole && rc == SQLITE_DONE) sync_log_insert(y, t, table, vals);
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

/* The statement that sets the columns of mask of a row of t: one prepared before for them, or
 * prepared now (*cached: kept in t for the next, else to be finalized after its step). */
static int update_stmt(store *s, struct sync_table *t, const char *table, uint32_t mask,
                       sqlite3_stmt **out, bool *cached)
{
    *out = NULL;
    *cached = true;
    for (int u = 0; u < t->nupd; u++)
        if (t->upd[u].mask == mask) {
            *out = t->upd[u].st;
            sqlite3_reset(*out);
            sqlite3_clear_bindings(*out);
            return EXIT_OK;
        }
    buf b = BUF_INIT;
    buf_printf(&b, "UPDATE \"%s\" SET ", table);
    int k = 0;
    for (int i = 0; i < t->ncol; i++)
        if (mask & (1u << i)) buf_printf(&b, "%s\"%s\" = ?%d", k++ ? ", " : "", t->names[i], i + 2);
    buf_puts(&b, " WHERE id = ?1");
    *cached = t->nupd < (int)(sizeof t->upd / sizeof t->upd[0]);
    int rc = sqlite3_prepare_v3(s->db, buf_str(&b), -1, *cached ? SQLITE_PREPARE_PERSISTENT : 0,
                                out, NULL);
    buf_free(&b);
    if (rc != SQLITE_OK) return store_fail(s, rc, "preparing a merge");
    if (*cached) {
        t->upd[t->nupd].mask = mask;
        t->upd[t->nupd].st = *out;
        t->nupd++;
    }
    return EXIT_OK;
}

int syncstore_row_update(store *s, const char *table, int64_t id, const merge_value *vals,
                         const bool *set, int ncol)
{
    return syncstore_row_update_from(s, table, id, NULL, vals, set, ncol);
}

int syncstore_row_update_from(store *s, const char *table, int64_t id, const merge_value *old,
                              const merge_value *vals, const bool *set, int ncol)
{
    struct sync_table *t;
    int rc = sync_table_of(s, table, &t);
    if (rc) return rc;
    uint32_t mask = 0;
    for (int i = 0; i < ncol && i < t->ncol; i++)
        if (set[i]) mask |= 1u << i;
    if (!mask) return EXIT_OK;
    sqlite3_stmt *st;
    bool cached;
    if ((rc = update_stmt(s, t, table, mask, &st, &cached))) return rc;
    store_bind_int64(s, st, 1, id);
    for (int i = 0; i < t->ncol; i++)
        if (mask & (1u << i)) bind_value(s, st, i + 2, &vals[i], SQLITE_STATIC); /* as above */
    /* The update logged as the session would have (before the step: old may be read no more
     * after it), or captured by it, and then so is every later change of the table. */
    struct store_sync *y = s->sync;
    bool whole = y->whole && y->session && y->log && !y->deleted;
    size_t rewind = y->whole_rows.len;
    int last = y->whole_last;
    bool own = whole && old && t->own_updates && !t->session_seen &&
               sync_log_update(y, t, table, old, vals, mask);
    if (whole && !own) t->session_seen = true;
    if (own) sqlite3session_enable(y->session, 0);
    rc = store_step(s, st);
    if (own) sqlite3session_enable(y->session, 1);
    if (own && rc != SQLITE_DONE) {
        y->whole_rows.len = rewind; /* nothing was changed: nothing to log */
        if (y->whole_rows.data) y->whole_rows.data[rewind] = '\0';
        y->whole_last = last;
    }
    if (cached) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        sqlite3_finalize(st);
    }
    if (rc != SQLITE_DONE) return store_fail(s, rc, "merging a row from a pack");
    /* What search_stale_update notes while syncstore_triggers_aside has set it aside. */
    if (!y->noting || !(mask & t->searched)) return EXIT_OK;
    st = store_stmt(s, "INSERT OR IGNORE INTO search_stale(id) VALUES (?1)");
    if (!st) return EXIT_IO;
    if ((rc = store_bind_int64(s, st, 1, id))) return rc;
    return store_step_done(s, st, "noting a search text to fold");
}

int syncstore_row_delete(store *s, const char *table, int64_t id)
{
    struct sync_table *t;
    int rc = sync_table_of(s, table, &t);
    if (rc) return rc;
    if (!t->del) {
        char *sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE id = ?1", table);
        rc = sql ? prepare(s, &t->del, sql) : EXIT_IO;
        sqlite3_free(sql);
        if (rc) return rc;
    }
    sqlite3_reset(t->del);
    store_bind_int64(s, t->del, 1, id);
    syncstore_deleting(s);
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
    sync_bind_value(s, st, 1, val);
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

int syncstore_superseders(store *s, const char *table, int64_t id, int64_t *out, int max, int *n)
{
    *n = 0;
    sqlite3_stmt *st = NULL;
    if (strcmp(table, "actions") == 0)
        st = store_stmt(s, "SELECT id FROM actions WHERE supersedes = ?1 ORDER BY id");
    else if (strcmp(table, "outcomes") == 0)
        st = store_stmt(s, "SELECT id FROM outcomes WHERE supersedes = ?1 ORDER BY id");
    else
        return EXIT_OK;
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW)
        if (*n < max) out[(*n)++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading an entry's corrections");
}
