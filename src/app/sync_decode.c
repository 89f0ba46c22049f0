/* sync_decode.c: a pack's changes read out of its changesets into memory before sync apply takes
 * the write lock (sync_internal.h): reading them is about a sixth of the work of applying a pack
 * of 10,000 changes, and done first it is no part of the time desk users wait for. */
#include "sync_internal.h"

#include "caseload/exitcode.h"

#include <stdlib.h>
#include <string.h>

/* The copies of texts and values live in chunks that never move. */
#define CHUNK ((size_t)1 << 20)

struct sync_chunk {
    struct sync_chunk *next;
    size_t used, size;
    unsigned char mem[];
};

static void *take(sync_decoded *d, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct sync_chunk *k = d->chunks;
    if (!k || k->size - k->used < n) {
        size_t size = n > CHUNK ? n : CHUNK;
        k = malloc(sizeof *k + size);
        if (!k) abort(); /* nothing sensible can follow */
        k->next = d->chunks;
        k->used = 0;
        k->size = size;
        d->chunks = k;
    }
    void *p = k->mem + k->used;
    k->used += n;
    return p;
}

/* The values of one image (ncol of them) copied with their texts; NULL when every one is
 * undefined (an insert's old image, a delete's new one). */
static const merge_value *keep_image(sync_decoded *d, const merge_value *v, int ncol)
{
    bool any = false;
    for (int i = 0; i < ncol; i++)
        any |= v[i].type != MERGE_UNDEF;
    if (!any) return NULL;
    merge_value *out = take(d, sizeof *out * (size_t)ncol);
    memcpy(out, v, sizeof *out * (size_t)ncol);
    for (int i = 0; i < ncol; i++) {
        if ((out[i].type != MERGE_TEXT && out[i].type != MERGE_BLOB) || !out[i].p) continue;
        unsigned char *p = take(d, (size_t)out[i].n + 1);
        memcpy(p, out[i].p, (size_t)out[i].n);
        p[out[i].n] = '\0';
        out[i].p = p;
    }
    return out;
}

static const char *keep_name(sync_decoded *d, const char *table)
{
    for (size_t i = 0; syncstore_tables[i]; i++)
        if (strcmp(syncstore_tables[i], table) == 0) return syncstore_tables[i];
    size_t n = strlen(table) + 1;
    return memcpy(take(d, n), table, n);
}

static void keep_change(sync_decoded *d, const syncstore_change *c)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 1024;
        d->c = realloc(d->c, d->cap * sizeof *d->c);
        if (!d->c) abort();
    }
    d->c[d->n++] =
        (sync_decoded_change){keep_name(d, c->table), c->op, c->ncol,
                              keep_image(d, c->old, c->ncol), keep_image(d, c->new_, c->ncol)};
}

/* Entry e's changes; false when its changeset is damaged (the changes before the damage kept). */
static bool decode_entry(sync_decoded *d, const pack_entry *e, syncstore_change *c)
{
    syncstore_reader r;
    syncstore_reader_start(&r, e->data, e->len);
    int more;
    while ((more = syncstore_reader_next(&r, c)) > 0)
        keep_change(d, c);
    return more == 0;
}

void sync_decode(const opened_pack *o, size_t from, sync_decoded *d)
{
    memset(d, 0, sizeof *d);
    d->from = from;
    if (from >= o->n) return;
    d->end = malloc((o->n - from) * sizeof *d->end);
    syncstore_change *c = malloc(sizeof *c);
    if (!d->end || !c) abort();
    for (size_t i = from; i < o->n && !d->damaged; i++) {
        d->damaged = !decode_entry(d, &o->entries[i], c);
        d->end[d->nentries++] = d->n;
    }
    free(c);
}

bool sync_decoded_entry(const sync_decoded *d, size_t entry, size_t *first, size_t *end,
                        bool *damaged)
{
    if (entry < d->from || entry - d->from >= d->nentries) return false;
    size_t k = entry - d->from;
    *first = k ? d->end[k - 1] : 0;
    *end = d->end[k];
    *damaged = d->damaged && k + 1 == d->nentries;
    return true;
}

void sync_decoded_get(const sync_decoded *d, size_t i, syncstore_change *c)
{
    static const merge_value undef = {MERGE_UNDEF, 0, 0, NULL, 0};
    const sync_decoded_change *k = &d->c[i];
    c->table = k->table;
    c->op = k->op;
    c->ncol = k->ncol;
    for (int j = 0; j < k->ncol; j++) {
        c->old[j] = k->old ? k->old[j] : undef;
        c->new_[j] = k->new_ ? k->new_[j] : undef;
    }
}

void sync_decoded_free(sync_decoded *d)
{
    while (d->chunks) {
        struct sync_chunk *k = d->chunks;
        d->chunks = k->next;
        free(k);
    }
    free(d->c);
    free(d->end);
    memset(d, 0, sizeof *d);
}
