/* sync_internal.h: what the files of offline copies share (sync.c: checkout and packs,
 * sync_apply.c: applying a pack, sync_resolve.c: resolving its conflicts) and nothing else
 * includes. */
#ifndef CASELOAD_SYNC_INTERNAL_H
#define CASELOAD_SYNC_INTERNAL_H

#include "caseload/sync.h"
#include <stddef.h>
#include <stdint.h>

/* Writes the message (printf format) into err (n bytes) and returns rc. */
int sync_say(char *err, size_t n, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The store's message into err; returns rc. */
int sync_store_said(store *s, char *err, size_t n, int rc);
/* The index of column name among names (ncol of them), -1 when there is none. */
int sync_column_index(const char *const *names, int ncol, const char *name);

/* One entry of a pack: a transaction of the sender's log. */
typedef struct pack_entry {
    int64_t seq, origin;
    const unsigned char *data;
    uint32_t len;
} pack_entry;

typedef struct opened_pack {
    syncstore_peer peer;
    unsigned char *plain; /* the payload, uncompressed */
    size_t plain_len;
    int64_t ack;
    pack_entry *entries;
    size_t n;
} opened_pack;

/* Checks, decrypts and reads a pack meant for this copy (d, size bytes) into o; what names it in
 * messages. */
int sync_pack_open(store *s, const char *what, const unsigned char *d, size_t size, opened_pack *o,
                   char *err, size_t n);
/* Frees what sync_pack_open kept, the key wiped. */
void sync_pack_close(opened_pack *o);

#endif
