/* sync_columns.c: the synced tables' columns, read from the schema
 * once per connection, and their hash; this copy's time and device for the app. */
#include "caseload/syncstore.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "syncstore_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- columns ---- */

/* A declared type's affinity, by SQLite's rules (its section 3.1 of datatypes): 'i' INTEGER,
 * 't' TEXT, 'b' BLOB (or none), 'n' NUMERIC or REAL. */
static char column_affinity(const char *type)
{
    char up[64];
    size_t n = 0;
    for (; type[n] && n + 1 < sizeof up; n++)
        up[n] = (char)(type[n] >= 'a' && type[n] <= 'z' ? type[n] - 'a' + 'A' : type[n]);
    up[n] = '\0';
    if (strstr(up, "INT")) return 'i';
    if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT")) return 't';
    if (!n || strstr(up, "BLOB")) return 'b';
    return 'n';
}

int sync_table_load(store *s, int ti, struct sync_table **out)
{
    struct sync_table *t = &sync_of(s)->t[ti];
    *out = t;
    if (t->loaded) return EXIT_OK;
    sqlite3_stmt *st =
        store_stmt(s, "SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, syncstore_tables[ti], -1, SQLITE_STATIC);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW && t->ncol < SYNCSTORE_MAX_COLS) {
        t->names[t->ncol] = strdup(store_col_text(st, 0));
        t->types[t->ncol] = strdup(store_col_text(st, 1));
        t->pk[t->ncol] = (unsigned char)sqlite3_column_int(st, 2);
        if (!t->names[t->ncol] || !t->types[t->ncol]) abort();
        t->ncol++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return store_fail(s, rc, "reading the schema");
    t->searched = sync_searched_mask(t, syncstore_tables[ti]);
    const char *name = syncstore_tables[ti];
    t->own_updates = strcmp(name, "conflicts") != 0 && strcmp(name, "audit") != 0 &&
                     strcmp(name, "tombstones") != 0;
    for (int i = 0; i < t->ncol; i++) {
        t->affinity[i] = column_affinity(t->types[i]);
        if (t->affinity[i] == 'n') t->own_updates = false;
    }
    t->loaded = true;
    return EXIT_OK;
}

int sync_table_of(store *s, const char *table, struct sync_table **out)
{
    int ti = syncstore_table_index(table);
    if (ti < 0) {
        snprintf(s->err, sizeof s->err, "table %s is not synced", table);
        return EXIT_DATA;
    }
    return sync_table_load(s, ti, out);
}

int syncstore_columns(store *s, const char *table, const char *const **names, int *n)
{
    struct sync_table *t;
    int rc = sync_table_of(s, table, &t);
    if (rc) return rc;
    *names = (const char *const *)t->names;
    *n = t->ncol;
    return EXIT_OK;
}

int syncstore_columns_hash(store *s, char out[33])
{
    buf b = BUF_INIT;
    int rc = EXIT_OK;
    for (size_t i = 0; i < SYNC_NTABLES; i++) {
        struct sync_table *t;
        if ((rc = sync_table_load(s, (int)i, &t))) goto out;
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
out:
    buf_free(&b);
    return rc;
}

const char *syncstore_now(store *s)
{
    return store_now(s);
}

int64_t syncstore_device(const store *s)
{
    return s->device;
}
