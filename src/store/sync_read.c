/* sync_read.c: a changeset read in place (see syncstore.h): the changes syncstore_iter gives, read
 * straight from the bytes of SQLite's changeset format (sessionSerializeValue, the tables'
 * headers), with no copy and no allocation. */
#include "caseload/syncstore.h"

#include "caseload/exitcode.h"

#include <sqlite3.h>
#include <string.h>

void syncstore_reader_start(syncstore_reader *r, const void *data, size_t n)
{
    memset(r, 0, sizeof *r);
    r->p = data;
    r->end = r->p + n;
}

/* SQLite's varint (sqlite3GetVarint); false when it runs past the end or past 32 bits. */
static bool get_varint(syncstore_reader *r, uint32_t *out)
{
    uint64_t v = 0;
    for (int i = 0; i < 9; i++) {
        if (r->p >= r->end) return false;
        unsigned char c = *r->p++;
        if (i == 8) {
            v = (v << 8) | c;
            break;
        }
        v = (v << 7) | (c & 0x7f);
        if (!(c & 0x80)) break;
    }
    if (v > INT32_MAX) return false;
    *out = (uint32_t)v;
    return true;
}

static uint64_t get_be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

/* One record of ncol values into v; false when it is damaged. */
static bool get_record(syncstore_reader *r, merge_value *v, int ncol)
{
    for (int i = 0; i < ncol; i++) {
        memset(&v[i], 0, sizeof v[i]);
        if (r->p >= r->end) return false;
        int type = *r->p++;
        v[i].type = type;
        if (type == MERGE_INT || type == MERGE_REAL) {
            if (r->end - r->p < 8) return false;
            uint64_t u = get_be64(r->p);
            r->p += 8;
            if (type == MERGE_INT)
                v[i].i = (int64_t)u;
            else
                memcpy(&v[i].d, &u, sizeof u);
        } else if (type == MERGE_TEXT || type == MERGE_BLOB) {
            uint32_t n;
            if (!get_varint(r, &n) || (size_t)(r->end - r->p) < n) return false;
            v[i].p = r->p;
            v[i].n = (int)n;
            r->p += n;
        } else if (type != MERGE_UNDEF && type != MERGE_NULL) {
            return false;
        }
    }
    return true;
}

/* A table's header ('T', the number of columns, the primary-key flags, the name). */
static bool get_table(syncstore_reader *r)
{
    uint32_t ncol;
    if (!get_varint(r, &ncol) || ncol < 1 || ncol > SYNCSTORE_MAX_COLS ||
        (size_t)(r->end - r->p) < ncol)
        return false;
    memcpy(r->pk, r->p, ncol);
    r->p += ncol;
    const unsigned char *nul = memchr(r->p, 0, (size_t)(r->end - r->p));
    if (!nul) return false;
    r->table = (const char *)r->p;
    r->ncol = (int)ncol;
    r->p = nul + 1;
    return true;
}

int syncstore_reader_next(syncstore_reader *r, syncstore_change *c)
{
    while (r->p < r->end && *r->p == 'T') {
        r->p++;
        if (!get_table(r)) return -EXIT_DATA;
    }
    if (r->p >= r->end) return 0;
    int op = *r->p++;
    if (!r->table || r->p >= r->end ||
        (op != SQLITE_INSERT && op != SQLITE_UPDATE && op != SQLITE_DELETE))
        return -EXIT_DATA;
    r->p++; /* indirect */
    c->table = r->table;
    c->ncol = r->ncol;
    c->op = op == SQLITE_INSERT ? 'I' : op == SQLITE_UPDATE ? 'U' : 'D';
    static const merge_value undef = {MERGE_UNDEF, 0, 0, NULL, 0};
    for (int i = 0; i < c->ncol; i++)
        c->old[i] = c->new_[i] = undef;
    if (op != SQLITE_INSERT && !get_record(r, c->old, c->ncol)) return -EXIT_DATA;
    if (op != SQLITE_DELETE && !get_record(r, c->new_, c->ncol)) return -EXIT_DATA;
    /* As sqlite3changeset_old gives an update: a column neither of the key nor changed has no old
     * value. */
    for (int i = 0; op == SQLITE_UPDATE && i < c->ncol; i++)
        if (!r->pk[i] && c->new_[i].type == MERGE_UNDEF) c->old[i] = undef;
    return 1;
}
