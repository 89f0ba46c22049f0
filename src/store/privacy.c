/* privacy.c: children's data in the database (SPEC section 10): what the retention rules look at,
 * erasing a child for good with a tombstone left behind, and the child's access log.
 *
 * Erasing: with secure_delete on (store_open), SQLite overwrites a deleted row's bytes in the
 * database pages. Two copies survive that: the search index keeps the deleted text's entries in
 * its older segments until they are merged (FTS5 'optimize', privacy_compact), and in WAL mode the
 * pages as they were before stay in the -wal file until a checkpoint copies the new ones into the
 * database and truncates it (privacy_checkpoint).
 *
 * Offline copies (SPEC section 9) keep a third copy: the change log (sync_log) holds every
 * transaction's changes as a changeset with whole row images. A purge notes every row of the child
 * by key (erased_rows, migration 0014), rewrites the log's changesets without them (the changeset
 * format rebuilt from the iterator: Debian 12's SQLite 3.40 has no way to drop one change from a
 * changeset), and has the purge's own changeset written without them too (only its tombstone and
 * audit row travel). A copy that applies the tombstone from a pack runs the same erase. */
#include "store_internal.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/privacy.h"
#include "caseload/syncstore.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The latest date recorded about child c.id ('' when none). Each arm reads an index on the child
 * or the referral. */
#define LAST_ACTIVITY                                                                              \
    "max(coalesce((SELECT max(max(received, coalesce(closed, ''))) FROM referrals "                \
    "WHERE child_id = c.id), ''), "                                                                \
    "coalesce((SELECT max(a.date) FROM referrals r JOIN actions a ON a.referral_id = r.id "        \
    "WHERE r.child_id = c.id), ''), "                                                              \
    "coalesce((SELECT max(o.date) FROM referrals r JOIN outcomes o ON o.referral_id = r.id "       \
    "WHERE r.child_id = c.id), ''), "                                                              \
    "coalesce((SELECT max(start) FROM exclusions WHERE child_id = c.id), ''), "                    \
    "coalesce((SELECT max(to_date) FROM attendance WHERE child_id = c.id), ''), "                  \
    "coalesce((SELECT max(max(start, coalesce(end_date, ''))) FROM episodes "                      \
    "WHERE child_id = c.id), ''))"

#define CHILD_SELECT                                                                               \
    "SELECT c.id, coalesce(c.upn, ''), coalesce(c.la_child_id, ''), c.dob, "                       \
    "coalesce(c.social_work_ended, ''), " LAST_ACTIVITY " FROM children c "

static void read_child(sqlite3_stmt *st, privacy_child *c)
{
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    COPY(c->upn, st, 1);
    COPY(c->la_child_id, st, 2);
    COPY(c->dob, st, 3);
    COPY(c->social_work_ended, st, 4);
    COPY(c->last_activity, st, 5);
}

int privacy_each_child(store *s, privacy_child_fn fn, void *ctx)
{
    sqlite3_stmt *st =
        store_stmt(s, CHILD_SELECT "ORDER BY c.upn IS NULL, c.upn, c.la_child_id, c.id");
    if (!st) return EXIT_IO;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        privacy_child c;
        read_child(st, &c);
        int stop = fn(ctx, &c);
        if (stop) {
            sqlite3_reset(st);
            return stop;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the children");
}

int privacy_child_get(store *s, int64_t id, privacy_child *out)
{
    sqlite3_stmt *st = store_stmt(s, CHILD_SELECT "WHERE c.id = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) read_child(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return EXIT_OK;
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no such child");
        return EXIT_FOUND;
    }
    return store_fail(s, rc, "reading a child");
}

/* Runs sql (with ?1 the child's key) once for every table of the main schema holding a column
 * named col, except the tables named in skip (a space-separated list, each followed by a space). */
static int delete_by_column(store *s, int64_t child_id, const char *col, const char *skip,
                            const char *where_fmt)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT m.name FROM main.sqlite_schema m "
                                     "JOIN pragma_table_info(m.name) p ON p.name = ?1 "
                                     "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' "
                                     "ORDER BY m.name");
    if (!st) return EXIT_IO;
    sqlite3_bind_text(st, 1, col, -1, SQLITE_STATIC);
    buf names = BUF_INIT;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        buf_puts(&names, store_col_text(st, 0));
        buf_putc(&names, '\0');
    }
    sqlite3_reset(st);
    int code = rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "erasing a child");
    for (size_t at = 0; !code && at < names.len; at += strlen(names.data + at) + 1) {
        const char *t = names.data + at;
        char key[80];
        snprintf(key, sizeof key, " %s ", t);
        if (strstr(skip, key)) continue;
        buf q = BUF_INIT;
        buf_puts(&q, "DELETE FROM \"");
        for (const char *p = t; *p; p++) {
            if (*p == '"') buf_putc(&q, '"');
            buf_putc(&q, *p);
        }
        buf_puts(&q, "\" WHERE ");
        buf_printf(&q, where_fmt, col);
        sqlite3_stmt *del = NULL;
        rc = sqlite3_prepare_v2(s->db, buf_str(&q), -1, &del, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int64(del, 1, child_id);
            rc = sqlite3_step(del);
            if (rc == SQLITE_DONE) rc = SQLITE_OK;
        }
        if (rc != SQLITE_OK) code = store_fail(s, rc, "erasing a child");
        sqlite3_finalize(del);
        buf_free(&q);
    }
    buf_free(&names);
    return code;
}

/* (tbl, row_id) names a row about child ?1: the child, a referral of it, an action or outcome
 * of one, or one of its events. */
#define ROWS_OF_CHILD                                                                              \
    "(tbl = 'children' AND row_id = ?1) OR "                                                       \
    "(tbl = 'referrals' AND row_id IN (SELECT id FROM referrals WHERE child_id = ?1)) OR "         \
    "(tbl = 'actions' AND row_id IN (SELECT a.id FROM actions a JOIN referrals r "                 \
    "ON r.id = a.referral_id WHERE r.child_id = ?1)) OR "                                          \
    "(tbl = 'outcomes' AND row_id IN (SELECT o.id FROM outcomes o JOIN referrals r "               \
    "ON r.id = o.referral_id WHERE r.child_id = ?1)) OR "                                          \
    "(tbl = 'exclusions' AND row_id IN (SELECT id FROM exclusions WHERE child_id = ?1)) OR "       \
    "(tbl = 'attendance' AND row_id IN (SELECT id FROM attendance WHERE child_id = ?1)) OR "       \
    "(tbl = 'episodes' AND row_id IN (SELECT id FROM episodes WHERE child_id = ?1)) OR "           \
    "(tbl = 'follow_up_done' AND row_id IN (SELECT d.id FROM referrals r JOIN actions a "          \
    "ON a.referral_id = r.id JOIN follow_up_done d ON d.action_id = a.id WHERE r.child_id = ?1))"

/* 1 when the database has the conflicts table of offline copies (SPEC section 9), 0 when not, -1
 * on an error. */
static int has_conflicts(store *s)
{
    sqlite3_stmt *st = store_stmt(
        s, "SELECT 1 FROM main.sqlite_schema WHERE type = 'table' AND name = 'conflicts'");
    if (!st) return -1;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int privacy_each_conflict(store *s, int64_t child_id, privacy_conflict_fn fn, void *ctx)
{
    int rc = has_conflicts(s);
    if (rc <= 0) return rc < 0 ? store_fail(s, sqlite3_errcode(s->db), "reading conflicts") : 0;
    sqlite3_stmt *st = store_stmt(
        s, "SELECT id, kind, tbl, row_id, field, base, hub, laptop, laptop_name, at, state "
           "FROM conflicts WHERE " ROWS_OF_CHILD " ORDER BY at, id");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, child_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v[11];
        for (int i = 0; i < 11; i++)
            v[i] = (const char *)sqlite3_column_text(st, i);
        int stop = fn(ctx, v, 11);
        if (stop) {
            sqlite3_reset(st);
            return stop;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading conflicts");
}

/* ---- the child's rows, by key ---- */

/* The columns that make a row of a synced table belong to another row: the child's rows are its
 * own and those below them. (tbl, row_id) pairs (audit, conflicts) name any row. */
static const struct {
    const char *column, *parent;
} links[] = {
    {"child_id", "children"},
    {"referral_id", "referrals"},
    {"action_id", "actions"},
    {"by_action_id", "actions"},
};
#define NLINKS (sizeof links / sizeof links[0])

static int column_at(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

static int exec_child(store *s, const char *sql, int64_t child_id, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, child_id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, what);
}

/* Notes in erased_rows every row of the synced tables that belongs to child_id: the child, the
 * rows naming it, the rows naming those, and the audit and conflict rows about any of them. */
static int note_rows_here(store *s, int64_t child_id)
{
    int rc = exec_child(s,
                        "INSERT OR IGNORE INTO erased_rows(tbl, row_id, child_id) "
                        "VALUES ('children', ?1, ?1)",
                        child_id, "erasing a child");
    /* Parents come first in syncstore_tables; a second round finds the audit rows about
     * conflicts, which come after the audit. */
    for (int round = 0; round < 2 && !rc; round++) {
        for (size_t t = 0; syncstore_tables[t] && !rc; t++) {
            const char *table = syncstore_tables[t];
            const char *const *names;
            int n;
            if ((rc = syncstore_columns(s, table, &names, &n))) break;
            for (size_t l = 0; l < NLINKS && !rc; l++) {
                if (column_at(names, n, links[l].column) < 0) continue;
                char *sql = sqlite3_mprintf(
                    "INSERT OR IGNORE INTO erased_rows(tbl, row_id, child_id) SELECT %Q, id, ?1 "
                    "FROM \"%w\" WHERE \"%w\" IN (SELECT row_id FROM erased_rows "
                    "WHERE child_id = ?1 AND tbl = %Q)",
                    table, table, links[l].column, links[l].parent);
                rc = sql ? exec_child(s, sql, child_id, "erasing a child") : EXIT_IO;
                sqlite3_free(sql);
            }
            if (!rc && column_at(names, n, "tbl") >= 0 && column_at(names, n, "row_id") >= 0 &&
                strcmp(table, "tombstones") != 0) {
                char *sql = sqlite3_mprintf(
                    "INSERT OR IGNORE INTO erased_rows(tbl, row_id, child_id) SELECT %Q, t.id, ?1 "
                    "FROM erased_rows e JOIN \"%w\" t ON t.tbl = e.tbl AND t.row_id = e.row_id "
                    "WHERE e.child_id = ?1",
                    table, table);
                rc = sql ? exec_child(s, sql, child_id, "erasing a child") : EXIT_IO;
                sqlite3_free(sql);
            }
        }
    }
    return rc;
}

/* The child erased_rows holds (table, id) for, in *child (0: none). */
static int erased_child(store *s, const char *table, int64_t id, int64_t *child)
{
    sqlite3_stmt *st =
        store_stmt(s, "SELECT child_id FROM erased_rows WHERE tbl = ?1 AND row_id = ?2");
    if (!st) return EXIT_IO;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, id);
    return store_step_int(s, st, child, "reading the erased rows");
}

static int note_erased(store *s, const char *table, int64_t id, int64_t child)
{
    sqlite3_stmt *st = store_stmt(
        s, "INSERT OR IGNORE INTO erased_rows(tbl, row_id, child_id) VALUES (?1, ?2, ?3)");
    if (!st) return EXIT_IO;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_int64(st, 3, child);
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
    for (size_t l = 0; l < NLINKS; l++) {
        int i = column_at(names, n, links[l].column);
        if (i < 0) continue;
        const merge_value *v = image(c, i);
        if (v->type != MERGE_INT) continue;
        if ((rc = erased_child(s, links[l].parent, v->i, child))) return rc;
        if (*child) return EXIT_OK;
    }
    int ti = column_at(names, n, "tbl"), ri = column_at(names, n, "row_id");
    if (ti < 0 || ri < 0 || strcmp(c->table, "tombstones") == 0) return EXIT_OK;
    const merge_value *tv = image(c, ti), *rv = image(c, ri);
    if (tv->type != MERGE_TEXT || rv->type != MERGE_INT || tv->n >= 64) return EXIT_OK;
    char t[64];
    snprintf(t, sizeof t, "%.*s", tv->n, (const char *)tv->p);
    return erased_child(s, t, rv->i, child);
}

/* ---- the change log ---- */

/* SQLite's varint, as changesets write lengths (sqlite3PutVarint). */
static void put_varint(buf *b, uint64_t v)
{
    unsigned char tmp[10];
    int n = 0;
    if (v & ((uint64_t)0xff000000 << 32)) {
        unsigned char p[9];
        p[8] = (unsigned char)v;
        v >>= 8;
        for (int i = 7; i >= 0; i--) {
            p[i] = (unsigned char)((v & 0x7f) | 0x80);
            v >>= 7;
        }
        buf_append(b, (const char *)p, 9);
        return;
    }
    do {
        tmp[n++] = (unsigned char)((v & 0x7f) | 0x80);
        v >>= 7;
    } while (v);
    tmp[0] &= 0x7f;
    for (int i = n - 1; i >= 0; i--)
        buf_putc(b, (char)tmp[i]);
}

static void put_be64(buf *b, uint64_t v)
{
    for (int i = 7; i >= 0; i--)
        buf_putc(b, (char)(v >> (8 * i)));
}

/* One value of a changeset record (sessionSerializeValue): NULL v is "not given". */
static void put_value(buf *b, sqlite3_value *v)
{
    if (!v) {
        buf_putc(b, 0);
        return;
    }
    int type = sqlite3_value_type(v);
    buf_putc(b, (char)type);
    if (type == SQLITE_INTEGER) {
        put_be64(b, (uint64_t)sqlite3_value_int64(v));
    } else if (type == SQLITE_FLOAT) {
        double d = sqlite3_value_double(v);
        uint64_t u;
        memcpy(&u, &d, sizeof u);
        put_be64(b, u);
    } else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
        const void *p =
            type == SQLITE_TEXT ? (const void *)sqlite3_value_text(v) : sqlite3_value_blob(v);
        int n = sqlite3_value_bytes(v);
        put_varint(b, (uint64_t)n);
        if (n) buf_append(b, p, (size_t)n);
    }
}

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
        put_varint(out, (uint64_t)ncol);
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
            put_value(out, v);
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
static int scan_entry(void *ctx, int64_t seq, int64_t origin, const void *data, int n)
{
    (void)seq;
    (void)origin;
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

/* Rewrites every log entry holding a change of an erased row without it. An entry left with no
 * change stays, empty: packs number the entries, and a gap would be refused. */
static int rewrite_log(store *s)
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
        sqlite3_bind_int64(next, 1, seq);
        int step = sqlite3_step(next);
        if (step == SQLITE_DONE) {
            sqlite3_reset(next);
            break;
        }
        if (step != SQLITE_ROW) {
            sqlite3_reset(next);
            rc = store_fail(s, step, "rewriting the change log");
            break;
        }
        seq = sqlite3_column_int64(next, 0);
        int64_t dropped = 0;
        rc = privacy_changeset_filter(s, sqlite3_column_blob(next, 1),
                                      sqlite3_column_bytes(next, 1), &out, &dropped);
        sqlite3_reset(next);
        if (rc) break;
        if (!dropped) continue;
        sqlite3_stmt *up = store_stmt(s, "UPDATE sync_log SET changes = ?2 WHERE seq = ?1");
        if (!up) {
            rc = EXIT_IO;
            break;
        }
        sqlite3_bind_int64(up, 1, seq);
        if (out.len)
            sqlite3_bind_blob(up, 2, out.data, (int)out.len, SQLITE_STATIC);
        else
            sqlite3_bind_zeroblob(up, 2, 0);
        if ((rc = store_step_done(s, up, "rewriting the change log"))) break;
    }
    buf_free(&out);
    return rc;
}

/* ---- erasing ---- */

int privacy_erase(store *s, int64_t child_id)
{
    int rc;
    if ((rc = note_rows_here(s, child_id))) return rc;
    /* The rows of the synced tables, children before parents; then whatever else names the
     * child or one of its referrals (derived tables); the child last. */
    size_t nt = 0;
    while (syncstore_tables[nt])
        nt++;
    for (size_t t = nt; t-- > 0 && !rc;) {
        const char *table = syncstore_tables[t];
        if (strcmp(table, "children") == 0 || strcmp(table, "tombstones") == 0) continue;
        char *sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE id IN (SELECT row_id FROM "
                                    "erased_rows WHERE child_id = ?1 AND tbl = %Q)",
                                    table, table);
        rc = sql ? exec_child(s, sql, child_id, "erasing a child") : EXIT_IO;
        sqlite3_free(sql);
    }
    if (rc) return rc;
    if ((rc = delete_by_column(s, child_id, "referral_id", " ",
                               "%s IN (SELECT id FROM referrals WHERE child_id = ?1)")))
        return rc;
    if ((rc = delete_by_column(s, child_id, "child_id", " erased_rows ", "%s = ?1"))) return rc;
    sqlite3_stmt *st = store_stmt(s, "DELETE FROM children WHERE id = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, child_id);
    if ((rc = store_step_done(s, st, "erasing a child"))) return rc;
    /* This transaction's own changeset is written without them too (privacy_compact rewrites
     * the log's earlier ones). */
    syncstore_erasing(s);
    return EXIT_OK;
}

int privacy_purge(store *s, int64_t child_id, const char *rule, const char *officer,
                  const char *on_date, const char *reason)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM children WHERE id = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, child_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no such child");
        return EXIT_FOUND;
    }
    if (rc != SQLITE_ROW) return store_fail(s, rc, "erasing a child");
    if ((rc = privacy_erase(s, child_id))) return rc;

    st = store_stmt(s, "INSERT INTO tombstones(id, tbl, row_key, rule, officer, os_user, on_date, "
                       "reason, created_at, updated_at) "
                       "VALUES (?1, 'children', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)");
    if (!st) return EXIT_IO;
    int64_t id = store_new_id(s);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, child_id);
    sqlite3_bind_text(st, 3, rule, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, officer, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, store_os_user(), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, on_date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, store_now(s), -1, SQLITE_TRANSIENT);
    if ((rc = store_step_done(s, st, "leaving a tombstone"))) return rc;
    /* The audit row names the tombstone (which holds the child's key): it travels with it, and a
     * copy erasing the child's rows keeps it. */
    return store_audit(s, "purge", "tombstones", id, rule);
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

/* The child key of change c when it inserts a child's tombstone, else 0. */
static int tombstone_child(store *s, const syncstore_change *c, int64_t *child)
{
    *child = 0;
    if (c->op != 'I' || strcmp(c->table, "tombstones") != 0) return EXIT_OK;
    const char *const *names;
    int n, rc;
    if ((rc = syncstore_columns(s, "tombstones", &names, &n))) return rc;
    if (n > c->ncol) n = c->ncol;
    int ti = column_at(names, n, "tbl"), ki = column_at(names, n, "row_key");
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
    sqlite3_bind_int64(st, 1, child);
    sqlite3_bind_int64(st, 2, c->new_[0].i);
    if ((rc = store_step_int(s, st, &own, "reading the tombstones")) || !own) return rc;
    if (hub) {
        *skip = true;
        return EXIT_OK;
    }
    st = store_stmt(s, "DELETE FROM tombstones WHERE id = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, own);
    return store_step_done(s, st, "replacing a tombstone");
}

int privacy_compact(store *s)
{
    /* The change log of an offline copy: rows gone before the purge, found by what named them,
     * then every changeset rewritten without the erased rows (once for all the children erased in
     * the transaction). */
    int64_t logged = 0;
    int rc = syncstore_log_max(s, &logged);
    if (rc || (logged && (rc = rewrite_log(s)))) return rc;
    /* The search text of the erased rows leaves the index first (it is otherwise folded out at
     * commit, after the merge below: its terms would stay in the old segments). */
    rc = store_search_refresh(s);
    if (rc) return rc;
    rc = sqlite3_exec(s->db, "INSERT INTO referral_search(referral_search) VALUES ('optimize')",
                      NULL, NULL, NULL);
    if (rc != SQLITE_OK) return store_fail(s, rc, "rewriting the search index");
    /* Statistics with sampled values (ANALYZE with STAT4) could keep a deleted key: renewed. */
    sqlite3_stmt *st =
        store_stmt(s, "SELECT 1 FROM main.sqlite_schema WHERE name = 'sqlite_stat4'");
    if (!st) return EXIT_IO;
    bool stat4 = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    if (stat4 && (rc = sqlite3_exec(s->db, "ANALYZE", NULL, NULL, NULL)) != SQLITE_OK)
        return store_fail(s, rc, "renewing the statistics");
    return EXIT_OK;
}

/* The children of tombstones with no note in erased_rows whose row is gone (a purge before
 * migration 0014). */
#define UNNOTED                                                                                    \
    "SELECT t.row_key FROM tombstones t WHERE t.tbl = 'children' AND NOT EXISTS "                  \
    "(SELECT 1 FROM erased_rows e WHERE e.tbl = 'children' AND e.row_id = t.row_key) AND NOT "     \
    "EXISTS (SELECT 1 FROM children c WHERE c.id = t.row_key)"

int privacy_erase_old_tombstones(store *s)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT EXISTS (" UNNOTED ")");
    int64_t any = 0;
    if (!st) return EXIT_IO;
    int rc = store_step_int(s, st, &any, "reading the tombstones");
    if (rc || !any) return rc;
    if ((rc = store_begin(s))) return rc == EXIT_BUSY ? EXIT_OK : rc;
    /* Read again inside the transaction: another program may have erased them meanwhile. */
    int64_t child, n = 0;
    for (;;) {
        if (!(st = store_stmt(s, UNNOTED " LIMIT 1"))) {
            rc = EXIT_IO;
            break;
        }
        if ((rc = store_step_int(s, st, &child, "reading the tombstones")) || !child) break;
        if ((rc = privacy_erase(s, child))) break;
        n++;
    }
    if (!rc && n) rc = privacy_compact(s);
    if (rc) {
        store_rollback(s);
        return rc == EXIT_BUSY ? EXIT_OK : rc;
    }
    if ((rc = store_commit(s))) return rc == EXIT_BUSY ? EXIT_OK : rc;
    bool complete;
    return n ? privacy_checkpoint(s, &complete) : EXIT_OK;
}

int privacy_checkpoint(store *s, bool *complete)
{
    *complete = false;
    /* A statement of this connection left on a row would keep a read transaction open, and the
     * log could not be emptied past it. */
    for (sqlite3_stmt *p = sqlite3_next_stmt(s->db, NULL); p; p = sqlite3_next_stmt(s->db, p))
        if (sqlite3_stmt_busy(p)) sqlite3_reset(p);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *complete = sqlite3_column_int(st, 0) == 0;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return EXIT_OK; /* *complete stays false */
    return rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, "emptying the write-ahead log");
}

int privacy_each_access(store *s, int64_t child_id, const privacy_access_key *before, int max,
                        privacy_access_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt(
        s, "SELECT id, at, action, coalesce(tbl, ''), coalesce(row_id, 0), coalesce(officer, ''), "
           "coalesce(claimed, ''), coalesce(os_user, ''), coalesce(detail, '') FROM audit "
           "WHERE (child_id = ?1 OR " ROWS_OF_CHILD ") "
           "AND (?3 IS NULL OR (at, id) < (?3, ?4)) ORDER BY at DESC, id DESC LIMIT ?2");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, child_id);
    sqlite3_bind_int(st, 2, max > 0 ? max : -1);
    if (before) {
        sqlite3_bind_text(st, 3, before->at, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 4, before->id);
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        privacy_access a;
        memset(&a, 0, sizeof a);
        a.id = sqlite3_column_int64(st, 0);
        COPY(a.at, st, 1);
        COPY(a.action, st, 2);
        COPY(a.tbl, st, 3);
        a.row_id = sqlite3_column_int64(st, 4);
        COPY(a.officer, st, 5);
        COPY(a.claimed, st, 6);
        COPY(a.os_user, st, 7);
        COPY(a.detail, st, 8);
        int stop = fn(ctx, &a);
        if (stop) {
            sqlite3_reset(st);
            return stop;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the access log");
}
