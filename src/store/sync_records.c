/* sync_records.c: the changeset format as SQLite's session extension writes it, and the records
 * of a pack's rows that the apply writes itself, in that format, instead of the session (which
 * copies every changed row and reads it back at the commit): the rows added, and the rows updated
 * while the session has seen no other change of their table (see syncstore_row_update_from). */
#include "caseload/syncstore.h"

#include "caseload/buf.h"
#include "syncstore_internal.h"
#include <string.h>

/* SQLite's varint, as changesets write lengths (sqlite3PutVarint), into p (9 bytes at most):
 * how many bytes it took. */
static size_t varint_to(unsigned char *p, uint64_t v)
{
    if (v & ((uint64_t)0xff000000 << 32)) {
        p[8] = (unsigned char)v;
        v >>= 8;
        for (int i = 7; i >= 0; i--) {
            p[i] = (unsigned char)((v & 0x7f) | 0x80);
            v >>= 7;
        }
        return 9;
    }
    unsigned char tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = (unsigned char)((v & 0x7f) | 0x80);
        v >>= 7;
    } while (v);
    tmp[0] &= 0x7f;
    for (size_t i = 0; i < n; i++)
        p[i] = tmp[n - 1 - i];
    return n;
}

void sync_put_varint(buf *b, uint64_t v)
{
    unsigned char p[9];
    buf_append(b, (const char *)p, varint_to(p, v));
}

/* v big-endian into p (8 bytes). */
static void be64_to(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * (7 - i)));
}

static void put_be64(buf *b, uint64_t v)
{
    unsigned char p[8];
    be64_to(p, v);
    buf_append(b, (const char *)p, 8);
}

/* One value of a changeset record (sessionSerializeValue): NULL v is "not given". */
void sync_put_value(buf *b, sqlite3_value *v)
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
        sync_put_varint(b, (uint64_t)n);
        if (n) buf_append(b, p, (size_t)n);
    }
}

/* The same of a value held as a merge_value (MERGE_UNDEF: "not given"). */
void sync_put_merge_value(buf *b, const merge_value *v)
{
    unsigned char p[1 + 9]; /* the type, then the number or the length */
    size_t n = 1;
    p[0] = (unsigned char)v->type;
    if (v->type == MERGE_INT) {
        be64_to(p + 1, (uint64_t)v->i);
        n += 8;
    } else if (v->type == MERGE_REAL) {
        uint64_t u;
        memcpy(&u, &v->d, sizeof u);
        be64_to(p + 1, u);
        n += 8;
    } else if (v->type == MERGE_TEXT || v->type == MERGE_BLOB) {
        n += varint_to(p + 1, (uint64_t)v->n);
    }
    buf_append(b, (const char *)p, n);
    if ((v->type == MERGE_TEXT || v->type == MERGE_BLOB) && v->n)
        buf_append(b, (const char *)v->p, (size_t)v->n);
}

/* ---- records written by the apply ---- */

/* The table's header before its first record, or when the last record was of another table. */
static void table_header(struct store_sync *y, const struct sync_table *t, const char *table)
{
    buf *b = &y->whole_rows;
    int ti = (int)(t - y->t);
    if (y->whole_last == ti + 1) return;
    buf_putc(b, 'T');
    sync_put_varint(b, (uint64_t)t->ncol);
    buf_append(b, (const char *)t->pk, (size_t)t->ncol);
    buf_append(b, table, strlen(table) + 1);
    y->whole_last = ti + 1;
}

/* A row added, into y->whole_rows as the session would have written its insert. */
void sync_log_insert(struct store_sync *y, const struct sync_table *t, const char *table,
                     const merge_value *vals)
{
    buf *b = &y->whole_rows;
    table_header(y, t, table);
    buf_putc(b, SQLITE_INSERT);
    buf_putc(b, 0); /* direct */
    static const merge_value null = {MERGE_NULL, 0, 0, NULL, 0};
    for (int i = 0; i < t->ncol; i++)
        sync_put_merge_value(b, vals[i].type == MERGE_UNDEF ? &null : &vals[i]);
}

/* Whether a and b are the same value as the session compares them: of one type (an integer
 * is not a real of the same value) and equal. */
static bool same(const merge_value *a, const merge_value *b)
{
    return a->type == b->type && merge_value_equal(a, b);
}

/* Whether column i stores v as it is (its type affinity converts none of it), so that the row
 * read back would hold v. */
static bool stored_as_is(const struct sync_table *t, int i, const merge_value *v)
{
    switch (t->affinity[i]) {
    case 'i': return v->type == MERGE_INT || v->type == MERGE_NULL;
    case 't': return v->type == MERGE_TEXT || v->type == MERGE_BLOB || v->type == MERGE_NULL;
    case 'b': return v->type != MERGE_UNDEF;
    default: return false;
    }
}

bool sync_log_update(struct store_sync *y, const struct sync_table *t, const char *table,
                     const merge_value *old, const merge_value *vals, uint32_t mask)
{
    bool changed[SYNCSTORE_MAX_COLS] = {0}, any = false;
    for (int i = 0; i < t->ncol; i++) {
        if ((t->pk[i] || (mask & (1u << i))) && old[i].type == MERGE_UNDEF) return false;
        if (!(mask & (1u << i))) continue;
        if (!stored_as_is(t, i, &vals[i])) return false;
        changed[i] = !same(&old[i], &vals[i]);
        any |= changed[i];
    }
    if (!any) return true; /* the session records no change that changes nothing */
    static const merge_value undef = {MERGE_UNDEF, 0, 0, NULL, 0};
    buf *b = &y->whole_rows;
    table_header(y, t, table);
    buf_putc(b, SQLITE_UPDATE);
    buf_putc(b, 0); /* direct */
    /* The old values of the key and of the columns changed, then the new values of those. */
    for (int i = 0; i < t->ncol; i++)
        sync_put_merge_value(b, t->pk[i] || changed[i] ? &old[i] : &undef);
    for (int i = 0; i < t->ncol; i++)
        sync_put_merge_value(b, changed[i] ? &vals[i] : &undef);
    return true;
}
