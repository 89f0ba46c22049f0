/* privacy_log.c: a purged child's rows kept out of what offline copies exchange (SPEC sections 9
 * and 10, privacy.h). The change log (sync_log) holds every transaction's changes as a changeset
 * with whole row images: a purge notes every row of the child by key (erased_rows, migration
 * 0014), the log's changesets are rewritten without them (the changeset format rebuilt from the
 * iterator: Debian 12's SQLite 3.40 has no way to drop one change from a changeset), and so is the
 * purge's own changeset (only its tombstone and audit row travel). A change of a pack about an
 * erased row is recognised and dropped; a tombstone arriving in a pack erases the child here. */
#include "privacy_internal.h"
#include "syncstore_internal.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/privacy.h"
#include "caseload/syncstore.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const privacy_link privacy_links[] = {
    {"child_id", "children"},
    {"referral_id", "referrals"},
    {"action_id", "actions"},
    {"by_action_id", "actions"},
};
const size_t privacy_nlinks = sizeof privacy_links / sizeof privacy_links[0];

int privacy_column_at(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

/* The child erased_rows holds (table, id) for, in *child (0: none). */
static int erased_child(store *s, const char *table, int64_t id, int64_t *child)
{
    sqlite3_stmt *st =
        store_stmt(s, "SELECT child_id FROM erased_rows WHERE tbl = ?1 AND row_id = ?2");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, table, -1, SQLITE_TRANSIENT);
    store_bind_int64(s, st, 2, id);
    return store_step_int(s, st, child, "reading the erased rows");
}

static int note_erased(store *s, const char *table, int64_t id, int64_t child)
{
    sqlite3_stmt *st = store_stmt(
        s, "INSERT OR IGNORE INTO erased_rows(tbl, row_id, child_id) VALUES (?1, ?2, ?3)");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, table, -1, SQLITE_TRANSIENT);
    store_bind_int64(s, st, 2, id);
    store_bind_int64(s, st, 3, child);
    return store_step_done(s, st, "noting an erased row");
}

/* A value of the change: the new one where the change sets it, else the old. */
static const merge_value *image(const syncstore_change *c, int i)
{
    if (c->op != 'D' && c->new_[i].type != MERGE_UNDEF) return &c->new_[i];
    return &c->old[i];
}

/* Whether change c is about an erased row: its own key, or a row it names, is in erased_rows.
 * *child: that row's child, 0 when none. */
static int change_child(store *s, const syncstore_change *c, int64_t *child)
{
    *child = 0;
    const merge_value *key = c->op == 'I' ? &c->new_[0] : &c->old[0];
    int rc;
    if (key->type == MERGE_INT && (rc = erased_child(s, c->table, key->i, child))) return rc;
    if (*child) return EXIT_OK;
    const char *const *names;
    int n;
    if (syncstore_table_index(c->table) < 0) return EXIT_OK;
    if ((rc = syncstore_columns(s, c->table, &names, &n))) return rc;
    if (n > c->ncol) n = c->ncol;
    for (size_t l = 0; l < privacy_nlinks; l++) {
        int i = privacy_column_at(names, n, privacy_links[l].column);
        if (i < 0) continue;
        const merge_value *v = image(c, i);
        if (v->type != MERGE_INT) continue;
        if ((rc = erased_child(s, privacy_links[l].parent, v->i, child))) return rc;
        if (*child) return EXIT_OK;
    }
    int ti = privacy_column_at(names, n, "tbl"), ri = privacy_column_at(names, n, "row_id");
    if (ti < 0 || ri < 0 || strcmp(c->table, "tombstones") == 0) return EXIT_OK;
    const merge_value *tv = image(c, ti), *rv = image(c, ri);
    if (tv->type != MERGE_TEXT || rv->type != MERGE_INT || tv->n >= 64) return EXIT_OK;
    char t[64];
    snprintf(t, sizeof t, "%.*s", tv->n, (const char *)tv->p);
    return erased_child(s, t, rv->i, child);
}

/* ---- the change log ---- */

/* Appends the iterator's current change to out in the changeset format (a table header first
 * when the table differs from *last). */
static int copy_change(sqlite3_changeset_iter *it, buf *out, char *last, size_t lastn)
{
    const char *table;
    int ncol, op, indirect;
    unsigned char *pk;
    int npk;
    if (sqlite3changeset_op(it, &table, &ncol, &op, &indirect) != SQLITE_OK ||
        sqlite3changeset_pk(it, &pk, &npk) != SQLITE_OK)
        return EXIT_DATA;
    if (strcmp(last, table) != 0) {
        buf_putc(out, 'T');
        sync_put_varint(out, (uint64_t)ncol);
        buf_append(out, (const char *)pk, (size_t)ncol);
        buf_append(out, table, strlen(table) + 1);
        snprintf(last, lastn, "%s", table);
    }
    buf_putc(out, (char)op);
    buf_putc(out, (char)(indirect ? 1 : 0));
    for (int pass = 0; pass < 2; pass++) {
        if ((pass == 0 && op == SQLITE_INSERT) || (pass == 1 && op == SQLITE_DELETE)) continue;
        for (int i = 0; i < ncol; i++) {
            sqlite3_value *v = NULL;
            int rc = pass == 0 ? sqlite3changeset_old(it, i, &v) : sqlite3changeset_new(it, i, &v);
            if (rc != SQLITE_OK) return EXIT_DATA;
            sync_put_value(out, v);
        }
    }
    return EXIT_OK;
}

int privacy_changeset_filter(store *s, const void *data, int n, buf *out, int64_t *dropped)
{
    buf_reset(out);
    *dropped = 0;
    syncstore_iter *it;
    int rc = syncstore_iter_start(data, n, &it);
    if (rc) {
        snprintf(s->err, sizeof s->err, "a change of the change log is damaged");
        return rc;
    }
    syncstore_change *c = malloc(sizeof *c);
    if (!c) abort();
    char last[256] = "";
    int more;
    while (!rc && (more = syncstore_iter_next(it, c)) > 0) {
        int64_t child = 0;
        if ((rc = change_child(s, c, &child))) break;
        if (child) {
            (*dropped)++;
            continue;
        }
        if (strlen(c->table) >= sizeof last ||
            copy_change(syncstore_iter_raw(it), out, last, sizeof last) != EXIT_OK) {
            snprintf(s->err, sizeof s->err, "a change of the change log is damaged");
            rc = EXIT_DATA;
        }
    }
    if (!rc && more < 0) {
        snprintf(s->err, sizeof s->err, "a change of the change log is damaged");
        rc = -more;
    }
    free(c);
    syncstore_iter_free(it);
    return rc;
}

typedef struct {
    store *s;
    int64_t added;
} scan_ctx;

/* Notes the rows of a log entry that belong to a row already noted (a referral gone before the
 * purge still names the child in the change that deleted it). */
static int scan_entry(void *ctx, int64_t seq, int64_t origin, const char *at, const void *data,
                      int n)
{
    (void)seq;
    (void)origin;
    (void)at;
    scan_ctx *x = ctx;
    syncstore_iter *it;
    int rc = syncstore_iter_start(data, n, &it);
    if (rc) return EXIT_OK; /* a damaged entry is refused where it is read for a pack */
    syncstore_change *c = malloc(sizeof *c);
    if (!c) abort();
    int more;
    while (!rc && (more = syncstore_iter_next(it, c)) > 0) {
        const merge_value *key = c->op == 'I' ? &c->new_[0] : &c->old[0];
        if (key->type != MERGE_INT) continue;
        int64_t own = 0, child = 0;
        if ((rc = erased_child(x->s, c->table, key->i, &own)) || own) continue;
        if ((rc = change_child(x->s, c, &child)) || !child) continue;
        if (!(rc = note_erased(x->s, c->table, key->i, child))) x->added++;
    }
    free(c);
    syncstore_iter_free(it);
    return rc;
}

int privacy_rewrite_log(store *s)
{
    scan_ctx x = {s, 0};
    int rc;
    for (int round = 0; round < 8; round++) {
        x.added = 0;
        if ((rc = syncstore_log_each(s, 0, scan_entry, &x))) return rc;
        if (!x.added) break;
    }
    sqlite3_stmt *next =
        store_stmt(s, "SELECT seq, changes FROM sync_log WHERE seq > ?1 AND length(changes) > 0 "
                      "ORDER BY seq LIMIT 1");
    if (!next) return EXIT_IO;
    buf out = BUF_INIT;
    int64_t seq = 0;
    rc = EXIT_OK;
    for (;;) {
        store_bind_int64(s, next, 1, seq);
        int step = store_step(s, next);
        int64_t dropped = 0;
        if (step == SQLITE_ROW) {
            seq = sqlite3_column_int64(next, 0);
            rc = privacy_changeset_filter(s, sqlite3_column_blob(next, 1),
                                          sqlite3_column_bytes(next, 1), &out, &dropped);
        }
        sqlite3_reset(next);
        if (step != SQLITE_ROW && step != SQLITE_DONE)
            rc = store_fail(s, step, "rewriting the change log");
        if (rc || step != SQLITE_ROW) break;
        if (!dropped) continue;
        sqlite3_stmt *up = store_stmt(s, "UPDATE sync_log SET changes = ?2 WHERE seq = ?1");
        if (!up) {
            rc = EXIT_IO;
            break;
        }
        store_bind_int64(s, up, 1, seq);
        /* An entry left with no change holds an empty blob (not NULL). */
        store_bind_blob(s, up, 2, out.len ? out.data : "", (int)out.len, SQLITE_STATIC);
        if ((rc = store_step_done(s, up, "rewriting the change log"))) break;
    }
    buf_free(&out);
    return rc;
}

int privacy_change_erased(store *s, const syncstore_change *c, int64_t child, bool *erased)
{
    *erased = false;
    bool purged = false;
    int rc = syncstore_purged(s, child, &purged);
    if (rc) return rc;
    if (!purged) {
        /* Most copies never erased a child: one look then. */
        sqlite3_stmt *st = store_stmt(s, "SELECT EXISTS (SELECT 1 FROM erased_rows)");
        int64_t any = 0;
        if (!st || (rc = store_step_int(s, st, &any, "reading the erased rows")))
            return st ? rc : EXIT_IO;
        if (!any) return EXIT_OK;
        if ((rc = change_child(s, c, &child))) return rc;
    }
    if (!purged && !child) return EXIT_OK;
    *erased = true;
    const merge_value *key = c->op == 'I' ? &c->new_[0] : &c->old[0];
    if (c->op == 'D' || key->type != MERGE_INT) return EXIT_OK;
    return note_erased(s, c->table, key->i, child);
}

int privacy_none_erased(store *s, bool *none)
{
    *none = false;
    sqlite3_stmt *st = store_stmt(s, "SELECT NOT EXISTS (SELECT 1 FROM tombstones WHERE tbl = "
                                     "'children') AND NOT EXISTS (SELECT 1 FROM erased_rows)");
    int64_t v = 0;
    if (!st) return EXIT_IO;
    int rc = store_step_int(s, st, &v, "reading the erased rows");
    *none = !rc && v != 0;
    return rc;
}

/* The child key of change c when it inserts a child's tombstone, else 0. */
static int tombstone_child(store *s, const syncstore_change *c, int64_t *child)
{
    *child = 0;
    if (c->op != 'I' || strcmp(c->table, "tombstones") != 0) return EXIT_OK;
    const char *const *names;
    int n, rc;
    if ((rc = syncstore_columns(s, "tombstones", &names, &n))) return rc;
    if (n > c->ncol) n = c->ncol;
    int ti = privacy_column_at(names, n, "tbl"), ki = privacy_column_at(names, n, "row_key");
    if (ti < 0 || ki < 0) return EXIT_OK;
    const merge_value *t = &c->new_[ti], *k = &c->new_[ki];
    if (t->type == MERGE_TEXT && t->n == 8 && memcmp(t->p, "children", 8) == 0 &&
        k->type == MERGE_INT)
        *child = k->i;
    return EXIT_OK;
}

int privacy_follow_tombstone(store *s, const syncstore_change *c, bool *erased)
{
    *erased = false;
    int64_t child, done = 0;
    int rc = tombstone_child(s, c, &child);
    if (rc || !child) return rc;
    if ((rc = erased_child(s, "children", child, &done)) || done) return rc;
    if ((rc = privacy_erase(s, child))) return rc;
    *erased = true;
    return EXIT_OK;
}

int privacy_tombstone_twice(store *s, const syncstore_change *c, bool hub, bool *skip)
{
    *skip = false;
    int64_t child, own = 0;
    int rc = tombstone_child(s, c, &child);
    if (rc || !child || c->new_[0].type != MERGE_INT) return rc;
    sqlite3_stmt *st = store_stmt(
        s, "SELECT id FROM tombstones WHERE tbl = 'children' AND row_key = ?1 AND id <> ?2");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, child);
    store_bind_int64(s, st, 2, c->new_[0].i);
    if ((rc = store_step_int(s, st, &own, "reading the tombstones")) || !own) return rc;
    if (hub) {
        *skip = true;
        return EXIT_OK;
    }
    st = store_stmt(s, "DELETE FROM tombstones WHERE id = ?1");
    if (!st) return EXIT_IO;
    syncstore_deleting(s);
    store_bind_int64(s, st, 1, own);
    return store_step_done(s, st, "replacing a tombstone");
}
