/* sync.c: offline copies (see sync.h): checkout, packs (zlib + libsodium secretstream), the merge
 * of a pack column by column with merge.h's rule, conflicts and their resolution. */
#include "caseload/sync.h"

#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/outfile.h"
#include "caseload/privacy.h"
#include "caseload/records.h"
#include "caseload/scores.h"
#include "caseload/scoring.h"
#include "caseload/text.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#ifndef CASELOAD_VERSION
#define CASELOAD_VERSION "unknown"
#endif

#define MAGIC "CASELOAD-PACK\n"
#define MAGIC_LEN 14
#define FORMAT 1
/* magic, format u32, schema u32, column hash 32, version 16, sender i64, recipient i64 */
#define HDR_AD_LEN (MAGIC_LEN + 4 + 4 + 32 + 16 + 8 + 8)
#define HDR_LEN (HDR_AD_LEN + crypto_secretstream_xchacha20poly1305_HEADERBYTES)
#define CHUNK 65536
/* After a pack's facts commit, its search text is folded in transactions that each fold batches
 * of this many referrals until this long has passed (writing out the search index at the commit
 * takes about as long again), with this pause before each: longer than the 20 ms steps of a
 * waiting caseload's busy handler (src/store/store.c), so a desk user's write gets in between.
 * Fewer, larger transactions cost less in all: each writes out index segments, and every segment
 * costs merging (on a quiet machine 5,000 referrals fold in one, about 0.2 s; on a busy one a
 * transaction folds at least one batch). */
#define SEARCH_BATCH 1000
#define SEARCH_WORK_MS 150
#define SEARCH_PAUSE_MS 25
#define MAX_PACK ((size_t)1 << 31)

static int say(char *err, size_t n, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int say(char *err, size_t n, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return rc;
}

static int store_said(store *s, char *err, size_t n, int rc)
{
    return say(err, n, rc, "%s", store_error(s));
}

void sync_role(store *s, char role[16], char name[64])
{
    if (!store_meta_get(s, "sync_role", role, 16)) role[0] = '\0';
    if (!store_meta_get(s, "sync_name", name, 64)) name[0] = '\0';
}

/* ---- little-endian numbers ---- */

static void put_u32(buf *b, uint32_t v)
{
    char c[4];
    for (int i = 0; i < 4; i++)
        c[i] = (char)(v >> (8 * i));
    buf_append(b, c, 4);
}

static void put_i64(buf *b, int64_t v)
{
    char c[8];
    for (int i = 0; i < 8; i++)
        c[i] = (char)((uint64_t)v >> (8 * i));
    buf_append(b, c, 8);
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int64_t get_i64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return (int64_t)v;
}

/* ---- checkout ---- */

static bool name_ok(const char *name)
{
    size_t len = strlen(name);
    if (len < 1 || len > 16 || strcmp(name, "hub") == 0) return false;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_'))
            return false;
    return true;
}

/* A device id no copy known here uses. */
static int64_t new_device(store *s)
{
    for (;;) {
        int64_t d = (int64_t)randombytes_uniform(0x7ffffffe) + 1;
        syncstore_peer p;
        if (d != syncstore_device(s) && syncstore_peer_by_device(s, d, &p) == EXIT_FOUND) return d;
    }
}

static int fsync_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* The folder of path, for fsync after a rename. */
static void folder_of(const char *path, char *out, size_t n)
{
    snprintf(out, n, "%s", path);
    char *slash = strrchr(out, '/');
    if (!slash)
        snprintf(out, n, ".");
    else if (slash == out)
        out[1] = '\0';
    else
        *slash = '\0';
}

/* Makes the copy at tmp a laptop copy: its own device, only its hub as a peer, no log. */
static int make_laptop(const char *tmp, const char *name, int64_t device, int64_t hub_device,
                       const unsigned char key[32], int64_t *hub_seq, char *err, size_t n)
{
    store *c;
    char e[1024];
    int rc = store_open(tmp, 0, &c, e, sizeof e);
    if (rc) return say(err, n, rc, "%s", e);
    if ((rc = store_begin(c))) goto fail;
    char v[32];
    snprintf(v, sizeof v, "%lld", (long long)device);
    if ((rc = syncstore_capture(c, 0, false)) || (rc = syncstore_log_max(c, hub_seq)) ||
        (rc = syncstore_log_clear(c)) || (rc = syncstore_peers_clear(c)) ||
        (rc = store_meta_set(c, "device_id", v)) || (rc = store_meta_set(c, "counter", "0")) ||
        (rc = store_meta_set(c, "sync_role", "laptop")) ||
        (rc = store_meta_set(c, "sync_name", name)) || (rc = store_meta_set(c, "ref_tag", name)))
        goto fail;
    syncstore_peer hub = {.device = hub_device, .applied = *hub_seq};
    snprintf(hub.name, sizeof hub.name, "hub");
    snprintf(hub.role, sizeof hub.role, "hub");
    memcpy(hub.key, key, sizeof hub.key);
    if ((rc = syncstore_peer_add(c, &hub))) goto fail;
    if ((rc = store_commit(c))) goto fail;
    store_close(c);
    return EXIT_OK;
fail:
    say(err, n, rc, "%s", store_error(c));
    store_rollback(c);
    store_close(c);
    return rc;
}

/* Registers a laptop copy named name (its new device and key into *p); a database that has none
 * yet becomes the hub (first). */
static int register_laptop(store *s, const char *name, bool first, syncstore_peer *p, char *err,
                           size_t n)
{
    int rc = store_begin(s);
    if (rc) return store_said(s, err, n, rc);
    snprintf(p->name, sizeof p->name, "%s", name);
    snprintf(p->role, sizeof p->role, "laptop");
    p->device = new_device(s);
    crypto_secretstream_xchacha20poly1305_keygen(p->key);
    if ((first && ((rc = store_meta_set(s, "sync_role", "hub")) ||
                   (rc = store_meta_set(s, "sync_name", "hub")))) ||
        (rc = syncstore_peer_add(s, p)) || (rc = store_audit(s, "sync_checkout", NULL, 0, name)) ||
        (rc = store_commit(s))) {
        store_said(s, err, n, rc);
        store_rollback(s);
        sodium_memzero(p->key, sizeof p->key);
    }
    return rc;
}

/* A copy left half made: the file and what SQLite kept beside it. */
static void remove_copy(const char *tmp)
{
    unlink(tmp);
    char j[4200];
    snprintf(j, sizeof j, "%s-wal", tmp);
    unlink(j);
    snprintf(j, sizeof j, "%s-shm", tmp);
    unlink(j);
    snprintf(j, sizeof j, "%s-journal", tmp);
    unlink(j);
}

int sync_checkout(store *s, const char *path, const char *name, char *err, size_t n)
{
    if (sodium_init() < 0) return say(err, n, EXIT_IO, "cannot start the cryptography library");
    if (!name_ok(name))
        return say(err, n, EXIT_USAGE,
                   "--name: a copy's name is 1 to 16 letters, digits, '-' or '_' (not 'hub')");
    char role[16], me[64];
    sync_role(s, role, me);
    if (strcmp(role, "laptop") == 0)
        return say(err, n, EXIT_DATA,
                   "this is a laptop copy: make laptop copies on the hub it came from");
    struct stat st;
    if (stat(path, &st) == 0)
        return say(err, n, EXIT_IO, "%s: already exists; name a new file", path);
    syncstore_peer p = {0};
    if (syncstore_peer_get(s, name, &p) == EXIT_OK)
        return say(err, n, EXIT_DATA, "a laptop copy named %s is already registered", name);
    /* A damaged database is not copied (SPEC section 11). */
    int qrc = store_quick_check(s);
    if (qrc) return store_said(s, err, n, qrc);

    /* Register the laptop first: every change from now on is logged (a database becomes the hub
     * with its first checkout). */
    int rc = register_laptop(s, name, !*role, &p, err, n);
    if (rc) return rc;

    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp-checkout", path);
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int64_t hub_seq = 0;
    if (fd < 0) {
        rc = say(err, n, EXIT_IO, "%s: cannot create: %s", path, strerror(errno));
        goto undo;
    }
    close(fd);
    if ((rc = syncstore_copy(s, tmp))) {
        store_said(s, err, n, rc);
        goto undo;
    }
    if ((rc = make_laptop(tmp, name, p.device, syncstore_device(s), p.key, &hub_seq, err, n)))
        goto undo;
    if (fsync_path(tmp, O_RDONLY) != 0 || rename(tmp, path) != 0) {
        rc = say(err, n, EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
        goto undo;
    }
    char dir[4096];
    folder_of(path, dir, sizeof dir);
    fsync_path(dir, O_RDONLY | O_DIRECTORY);
    sodium_memzero(p.key, sizeof p.key);
    /* The copy holds the hub's log up to hub_seq: nothing of it is sent to the laptop again. */
    if ((rc = store_begin(s))) return store_said(s, err, n, rc);
    if ((rc = syncstore_peer_marks(s, name, hub_seq, 0, NULL)) || (rc = store_commit(s))) {
        store_said(s, err, n, rc);
        store_rollback(s);
        return rc;
    }
    return EXIT_OK;
undo:
    sodium_memzero(p.key, sizeof p.key);
    remove_copy(tmp);
    /* Forget the laptop that was never made. */
    if (store_begin(s) == EXIT_OK) {
        if (syncstore_peer_remove(s, name) || store_commit(s)) store_rollback(s);
    }
    return rc;
}

/* ---- packs ---- */

typedef struct pack_build {
    buf *payload;
    int64_t count, first, last;
} pack_build;

static int add_entry(void *ctx, int64_t seq, int64_t origin, const void *data, int n)
{
    pack_build *b = ctx;
    put_i64(b->payload, seq);
    put_i64(b->payload, origin);
    put_u32(b->payload, (uint32_t)n);
    buf_append(b->payload, data, (size_t)n);
    if (!b->first) b->first = seq;
    b->last = seq;
    b->count++;
    return EXIT_OK;
}

/* The peer a pack of this copy goes to. */
static int pack_peer(store *s, const char *for_name, syncstore_peer *p, char *err, size_t n)
{
    char role[16], me[64];
    sync_role(s, role, me);
    if (!*role)
        return say(err, n, EXIT_DATA,
                   "this database has no laptop copies: make one with `caseload sync checkout`");
    if (strcmp(role, "hub") == 0 && (!for_name || !*for_name))
        return say(err, n, EXIT_USAGE, "on the hub, --for names the laptop copy the pack is for");
    const char *name = strcmp(role, "hub") == 0 ? for_name : "hub";
    if (strcmp(role, "laptop") == 0 && for_name && *for_name && strcmp(for_name, "hub") != 0)
        return say(err, n, EXIT_DATA, "a laptop copy makes packs for its hub only");
    int rc = syncstore_peer_get(s, name, p);
    if (rc == EXIT_FOUND) {
        buf b = BUF_INIT;
        text_sanitize(&b, name);
        say(err, n, EXIT_DATA, "no laptop copy named '%s' was checked out here", buf_str(&b));
        buf_free(&b);
        return EXIT_DATA;
    }
    if (rc) return store_said(s, err, n, rc);
    if (*p->revoked)
        return say(err, n, EXIT_DATA, "the key of %s was revoked on %.10s", p->name, p->revoked);
    return EXIT_OK;
}

int sync_pack_make(store *s, const char *for_name, buf *out, sync_pack_info *info, char *err,
                   size_t n)
{
    if (sodium_init() < 0) return say(err, n, EXIT_IO, "cannot start the cryptography library");
    memset(info, 0, sizeof *info);
    syncstore_peer p;
    int rc = pack_peer(s, for_name, &p, err, n);
    if (rc) return rc;
    /* A damaged database is not packed (SPEC section 11). */
    if ((rc = store_quick_check(s))) return store_said(s, err, n, rc);
    snprintf(info->peer, sizeof info->peer, "%s", p.name);
    char hash[33];
    if ((rc = syncstore_columns_hash(s, hash))) return store_said(s, err, n, rc);

    /* The payload: the ack, then every entry the peer has not acknowledged. */
    buf payload = BUF_INIT;
    put_i64(&payload, p.applied);
    pack_build b = {&payload, 0, 0, 0};
    if ((rc = syncstore_log_each(s, p.acked, add_entry, &b))) {
        buf_free(&payload);
        return store_said(s, err, n, rc);
    }
    info->entries = b.count;
    info->first = b.first;
    info->last = b.last;

    uLongf zlen = compressBound(payload.len);
    unsigned char *z = malloc(zlen + 8);
    if (!z) abort();
    for (int i = 0; i < 8; i++)
        z[i] = (unsigned char)((uint64_t)payload.len >> (8 * i));
    if (compress2(z + 8, &zlen, (const Bytef *)payload.data, payload.len, 6) != Z_OK) {
        free(z);
        buf_free(&payload);
        return say(err, n, EXIT_IO, "cannot compress the pack");
    }
    buf_free(&payload);
    size_t plain = zlen + 8;

    buf_reset(out);
    buf_append(out, MAGIC, MAGIC_LEN);
    put_u32(out, FORMAT);
    put_u32(out, (uint32_t)store_schema_version(s));
    buf_append(out, hash, 32);
    char version[16] = {0};
    snprintf(version, sizeof version, "%s", CASELOAD_VERSION);
    buf_append(out, version, 16);
    put_i64(out, syncstore_device(s));
    put_i64(out, p.device);
    unsigned char ad[HDR_AD_LEN];
    memcpy(ad, out->data, HDR_AD_LEN);
    crypto_secretstream_xchacha20poly1305_state state;
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_init_push(&state, header, p.key);
    sodium_memzero(p.key, sizeof p.key);
    buf_append(out, (const char *)header, sizeof header);
    unsigned char *c = malloc(CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES);
    if (!c) abort();
    size_t at = 0;
    do {
        size_t len = plain - at < CHUNK ? plain - at : CHUNK;
        unsigned char tag = at + len == plain ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0;
        unsigned long long clen;
        crypto_secretstream_xchacha20poly1305_push(&state, c, &clen, z + at, len, ad, sizeof ad,
                                                   tag);
        put_u32(out, (uint32_t)clen);
        buf_append(out, (const char *)c, (size_t)clen);
        at += len;
    } while (at < plain);
    free(c);
    sodium_memzero(&state, sizeof state);
    free(z);
    return EXIT_OK;
}

/* Writes data to path as every file caseload writes (outfile.h: 0600, through a temporary file
 * renamed once whole, so a pulled stick or a full disk never leaves half a pack under the name);
 * a pack of the same name is replaced. */
static int write_file(const char *path, const void *data, size_t size, char *err, size_t n)
{
    outfile o;
    int rc = outfile_open(&o, path, true, err, n);
    if (rc) return rc;
    if (size && fwrite(data, 1, size, o.f) != size) {
        outfile_abort(&o);
        return say(err, n, EXIT_IO,
                   "%s: cannot write the pack: %s (nothing was written under "
                   "that name)",
                   o.path, strerror(errno ? errno : ENOSPC));
    }
    return outfile_commit(&o, err, n);
}

int sync_pack_write(store *s, const char *for_name, const char *path, sync_pack_info *info,
                    char *err, size_t n)
{
    buf b = BUF_INIT;
    int rc = sync_pack_make(s, for_name, &b, info, err, n);
    if (!rc) rc = write_file(path, b.data, b.len, err, n);
    buf_free(&b);
    return rc;
}

int sync_pack_read(const char *path, buf *out, char *err, size_t n)
{
    buf_reset(out);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return say(err, n, errno == ENOENT ? EXIT_NOINPUT : EXIT_IO, "%s: %s", path,
                   errno == ENOENT ? "no such pack" : strerror(errno));
    char chunk[65536];
    ssize_t r;
    while ((r = read(fd, chunk, sizeof chunk)) > 0) {
        buf_append(out, chunk, (size_t)r);
        if (out->len > MAX_PACK) break;
    }
    int e = errno;
    close(fd);
    if (r < 0) return say(err, n, EXIT_IO, "%s: cannot read: %s", path, strerror(e));
    if (out->len > MAX_PACK) return say(err, n, EXIT_DATA, "%s: too large for a pack", path);
    return EXIT_OK;
}

/* ---- opening a pack ---- */

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

static void pack_close(opened_pack *o)
{
    sodium_memzero(o->peer.key, sizeof o->peer.key);
    free(o->plain);
    free(o->entries);
    memset(o, 0, sizeof *o);
}

/* The stream of a pack after its header, decrypted and checked whole into z (the compressed
 * payload): an altered, cut short or lengthened pack is refused. */
static int pack_decrypt(const char *what, const unsigned char *d, size_t size,
                        const unsigned char key[32], buf *z, char *err, size_t n)
{
    crypto_secretstream_xchacha20poly1305_state state;
    if (sodium_init() < 0 ||
        crypto_secretstream_xchacha20poly1305_init_pull(&state, d + HDR_AD_LEN, key) != 0)
        return say(err, n, EXIT_DATA, "%s: the pack is damaged", what);
    size_t at = HDR_LEN;
    bool final = false;
    unsigned char *m = malloc(CHUNK);
    if (!m) abort();
    int rc = EXIT_OK;
    while (at < size && !final) {
        if (size - at < 4) break;
        uint32_t clen = get_u32(d + at);
        at += 4;
        if (clen < crypto_secretstream_xchacha20poly1305_ABYTES ||
            clen > CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES || clen > size - at) {
            at = size + 1; /* cut short (or a length that was altered) */
            break;
        }
        unsigned long long mlen;
        unsigned char tag;
        if (crypto_secretstream_xchacha20poly1305_pull(&state, m, &mlen, &tag, d + at, clen, d,
                                                       HDR_AD_LEN) != 0) {
            rc = say(err, n, EXIT_DATA,
                     "%s: the pack was altered or not made for this copy (it fails "
                     "authentication): nothing was changed",
                     what);
            break;
        }
        buf_append(z, (const char *)m, (size_t)mlen);
        at += clen;
        final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    }
    free(m);
    sodium_memzero(&state, sizeof state);
    if (!rc && !final)
        rc = say(err, n, EXIT_DATA, "%s: the pack is cut short: nothing was changed", what);
    if (!rc && at != size)
        rc = say(err, n, EXIT_DATA, "%s: the pack has data after its end: nothing was changed",
                 what);
    if (!rc && z->len < 8) rc = say(err, n, EXIT_DATA, "%s: the pack is damaged", what);
    return rc;
}

/* The compressed payload z uncompressed into o->plain, and read into o's ack and entries. */
static int pack_entries(const char *what, const buf *z, opened_pack *o, char *err, size_t n)
{
    uint64_t raw = 0;
    for (int i = 7; i >= 0; i--)
        raw = raw << 8 | (unsigned char)z->data[i];
    if (raw > MAX_PACK * 4 || raw < 8)
        return say(err, n, EXIT_DATA, "%s: the pack is damaged", what);
    o->plain = malloc(raw);
    if (!o->plain) abort();
    uLongf got = raw;
    int zr = uncompress(o->plain, &got, (const Bytef *)z->data + 8, z->len - 8);
    if (zr != Z_OK || got != raw)
        return say(err, n, EXIT_DATA, "%s: the pack is damaged (cannot uncompress)", what);
    o->plain_len = raw;
    o->ack = get_i64(o->plain);
    size_t p = 8, cap = 0;
    while (p < raw) {
        if (raw - p < 20) break;
        pack_entry e = {get_i64(o->plain + p), get_i64(o->plain + p + 8), NULL,
                        get_u32(o->plain + p + 16)};
        p += 20;
        if (e.len > raw - p) break;
        e.data = o->plain + p;
        p += e.len;
        if (o->n == cap) {
            cap = cap ? cap * 2 : 64;
            o->entries = realloc(o->entries, cap * sizeof *o->entries);
            if (!o->entries) abort();
        }
        o->entries[o->n++] = e;
    }
    return p == raw ? EXIT_OK : say(err, n, EXIT_DATA, "%s: the pack is damaged", what);
}

/* Checks, decrypts and reads a pack meant for this copy. */
static int pack_open(store *s, const char *what, const unsigned char *d, size_t size,
                     opened_pack *o, char *err, size_t n)
{
    memset(o, 0, sizeof *o);
    if (size < HDR_LEN || memcmp(d, MAGIC, MAGIC_LEN) != 0)
        return say(err, n, EXIT_DATA, "%s: not a caseload pack", what);
    const unsigned char *h = d + MAGIC_LEN;
    uint32_t format = get_u32(h), schema = get_u32(h + 4);
    char hash[33] = {0}, version[17] = {0};
    memcpy(hash, h + 8, 32);
    memcpy(version, h + 40, 16);
    int64_t sender = get_i64(h + 56), recipient = get_i64(h + 64);
    if (format != FORMAT)
        return say(err, n, EXIT_DATA, "%s: a pack of format %u (this caseload reads format %d)",
                   what, format, FORMAT);
    if (recipient != syncstore_device(s))
        return say(err, n, EXIT_DATA,
                   "%s: this pack was made for another copy, not this database: apply it where "
                   "it is addressed",
                   what);
    int rc = syncstore_peer_by_device(s, sender, &o->peer);
    if (rc == EXIT_FOUND)
        return say(err, n, EXIT_DATA,
                   "%s: this pack comes from a copy this database does not know (not checked out "
                   "from here)",
                   what);
    if (rc) return store_said(s, err, n, rc);
    buf z = BUF_INIT;
    char mine[33];
    if (*o->peer.revoked)
        rc = say(err, n, EXIT_DATA, "%s: the key of %s was revoked on %.10s: its packs are refused",
                 what, o->peer.name, o->peer.revoked);
    else if (!(rc = pack_decrypt(what, d, size, o->peer.key, &z, err, n)) &&
             (rc = syncstore_columns_hash(s, mine)))
        store_said(s, err, n, rc);
    /* The version check comes after authentication: a damaged header says so above. */
    else if (!rc && ((int)schema != store_schema_version(s) || strcmp(hash, mine) != 0))
        rc = say(err, n, EXIT_DATA,
                 "%s: made by caseload %s with schema %u (columns %.8s); this database is caseload "
                 "%s with schema %d (columns %.8s): bring both copies to the same caseload first",
                 what, version, schema, hash, CASELOAD_VERSION, store_schema_version(s), mine);
    if (!rc) rc = pack_entries(what, &z, o, err, n);
    buf_free(&z);
    if (rc) pack_close(o);
    return rc;
}

/* ---- applying ---- */

typedef struct apply_ctx {
    store *s;
    const opened_pack *o;
    bool hub;
    const char *peer; /* the sender's name */
    char me[64];      /* this copy's name */
    sync_apply_result *r;
    int64_t *children; /* touched, for their scores */
    size_t nchildren, cap;
    char *err;
    size_t en;
} apply_ctx;

static void touch_child(apply_ctx *a, int64_t id)
{
    if (!id) return;
    for (size_t i = a->nchildren; i > 0 && i + 8 > a->nchildren; i--)
        if (a->children[i - 1] == id) return;
    if (a->nchildren == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 256;
        a->children = realloc(a->children, a->cap * sizeof *a->children);
        if (!a->children) abort();
    }
    a->children[a->nchildren++] = id;
}

/* The child of a row whose change can change its score (scores_reads: column NULL for a row added
 * or removed), to be rescored before the commit; any other change leaves every score as it was. */
static int touch_row(apply_ctx *a, const char *table, int64_t id, const char *column)
{
    if (!scores_reads(table, column)) return EXIT_OK;
    int64_t child = 0;
    int rc = syncstore_row_child(a->s, table, id, &child);
    if (!rc) touch_child(a, child);
    return rc;
}

static int column_index(const char *const *names, int ncol, const char *name)
{
    for (int i = 0; i < ncol; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

/* A copy of a text value with "-<tag>" appended, in mem (n bytes). */
static merge_value suffixed(const merge_value *v, const char *tag, char *mem, size_t n)
{
    merge_value out = *v;
    int len = snprintf(mem, n, "%.*s-%s", v->type == MERGE_TEXT ? v->n : 0,
                       v->type == MERGE_TEXT ? (const char *)v->p : "", tag);
    out.type = MERGE_TEXT;
    out.p = (const unsigned char *)mem;
    out.n = len < (int)n ? len : (int)n - 1;
    return out;
}

/* On a laptop, a conflict the hub recorded: where this copy still holds the value it sent, it
 * takes the value the hub kept (the hub holds it until a person decides). */
static int follow_conflict(apply_ctx *a, const syncstore_change *c, const char *const *cn, int nc)
{
    int ki = column_index(cn, nc, "kind"), ti = column_index(cn, nc, "tbl"),
        ri = column_index(cn, nc, "row_id"), fi = column_index(cn, nc, "field"),
        hi = column_index(cn, nc, "hub"), li = column_index(cn, nc, "laptop"),
        si = column_index(cn, nc, "state");
    if (ki < 0 || ti < 0 || ri < 0 || fi < 0 || hi < 0 || li < 0 || si < 0) return EXIT_OK;
    const merge_value *kind = &c->new_[ki], *tbl = &c->new_[ti], *row = &c->new_[ri],
                      *field = &c->new_[fi], *state = &c->new_[si];
    if (kind->type != MERGE_TEXT || tbl->type != MERGE_TEXT || row->type != MERGE_INT ||
        field->type != MERGE_TEXT || state->type != MERGE_TEXT)
        return EXIT_OK;
    if (kind->n != 5 || memcmp(kind->p, "field", 5) != 0 || state->n != 4 ||
        memcmp(state->p, "open", 4) != 0)
        return EXIT_OK;
    char table[64], col[64];
    snprintf(table, sizeof table, "%.*s", tbl->n, (const char *)tbl->p);
    snprintf(col, sizeof col, "%.*s", field->n, (const char *)field->p);
    if (syncstore_table_index(table) < 0) return EXIT_OK;
    const char *const *names;
    int ncol, rc;
    if ((rc = syncstore_columns(a->s, table, &names, &ncol))) return rc;
    int i = column_index(names, ncol, col);
    if (i < 0) return EXIT_OK;
    merge_value mine[SYNCSTORE_MAX_COLS];
    bool found;
    if ((rc = syncstore_row_get(a->s, table, row->i, mine, ncol, &found)) || !found) return rc;
    if (!merge_value_equal(&mine[i], &c->new_[li])) return EXIT_OK;
    merge_value vals[SYNCSTORE_MAX_COLS] = {{0}};
    bool set[SYNCSTORE_MAX_COLS] = {0};
    vals[i] = c->new_[hi];
    set[i] = true;
    if ((rc = syncstore_row_update(a->s, table, row->i, vals, set, ncol))) return rc;
    return touch_row(a, table, row->i, col);
}

/* An inserted row whose natural key another row already holds: both are kept, the newcomer's key
 * (on the hub) or this laptop's own row's key (which the hub will rename the same way) gets the
 * laptop's name appended, and the hub records a duplicate. */
static int insert_duplicate(apply_ctx *a, const syncstore_change *c, const char *const *names,
                            int ncol, merge_value *vals)
{
    char mem[SYNCSTORE_MAX_COLS][160];
    int rc;
    bool renamed = false;
    for (int i = 1; i < ncol; i++) {
        if (!merge_natural_key(c->table, names[i]) || vals[i].type != MERGE_TEXT) continue;
        int64_t other = 0;
        if ((rc = syncstore_key_holder(a->s, c->table, names[i], &vals[i], vals[0].i, &other)))
            return rc;
        if (!other) continue;
        renamed = true;
        if (a->hub) {
            merge_value original = vals[i];
            vals[i] = suffixed(&original, a->peer, mem[i], sizeof mem[i]);
            if ((rc = syncstore_conflict_add(a->s, "duplicate", c->table, vals[0].i, names[i], NULL,
                                             &original, &vals[i], a->peer)))
                return rc;
            a->r->conflicts++;
        } else {
            merge_value own[SYNCSTORE_MAX_COLS], upd[SYNCSTORE_MAX_COLS] = {{0}};
            bool found, set[SYNCSTORE_MAX_COLS] = {0};
            if ((rc = syncstore_row_get(a->s, c->table, other, own, ncol, &found))) return rc;
            if (!found) continue;
            upd[i] = suffixed(&own[i], a->me, mem[i], sizeof mem[i]);
            set[i] = true;
            if ((rc = syncstore_row_update(a->s, c->table, other, upd, set, ncol))) return rc;
        }
    }
    if (!renamed) {
        snprintf(a->err, a->en,
                 "a new row of %s clashes with a unique key that is not a natural "
                 "key",
                 c->table);
        return EXIT_DATA;
    }
    bool clash;
    if ((rc = syncstore_row_insert(a->s, c->table, vals, ncol, &clash))) return rc;
    if (clash) {
        snprintf(a->err, a->en, "a new row of %s clashes with a key held twice", c->table);
        return EXIT_DATA;
    }
    return EXIT_OK;
}

/* The referrals whose follow-up a change of actions can change (its referral before and after),
 * for syncstore_follow_ups_back. */
static int note_follow_ups(store *s, const char *table, const merge_value *a, const merge_value *b,
                           const merge_value *c, int ncol)
{
    if (strcmp(table, "actions") != 0) return EXIT_OK;
    const char *const *names;
    int n, rc;
    if ((rc = syncstore_columns(s, table, &names, &n))) return rc;
    const merge_value *v[3] = {a, b, c};
    for (int i = 0; i < n && i < ncol; i++) {
        if (strcmp(names[i], "referral_id") != 0) continue;
        for (int k = 0; k < 3; k++)
            if (v[k] && v[k][i].type == MERGE_INT && (rc = syncstore_follow_ups_note(s, v[k][i].i)))
                return rc;
    }
    return EXIT_OK;
}

/* Putting back a deleted row from the old image of the change that deleted it. */
typedef struct restore_ctx {
    apply_ctx *a;
    const merge_value *overlay; /* a change's new values laid over the image (NULL: none) */
    bool restored;
} restore_ctx;

static int restore_image(void *ctx, const syncstore_change *c)
{
    restore_ctx *r = ctx;
    store *s = r->a->s;
    const char *const *names;
    int ncol, rc;
    if ((rc = syncstore_columns(s, c->table, &names, &ncol))) return rc;
    if (ncol != c->ncol) return EXIT_OK; /* an image from other columns: not put back */
    merge_value vals[SYNCSTORE_MAX_COLS];
    memcpy(vals, c->old, sizeof vals[0] * (size_t)ncol);
    for (int i = 0; r->overlay && i < ncol; i++)
        if (r->overlay[i].type != MERGE_UNDEF) vals[i] = r->overlay[i];
    /* A purged child's row never comes back. */
    int64_t child = 0;
    bool purged = false, clash = false;
    if ((rc = syncstore_new_row_child(s, c->table, vals, ncol, &child)) ||
        (rc = syncstore_purged(s, child, &purged)) || purged)
        return rc;
    if ((rc = syncstore_row_insert(s, c->table, vals, ncol, &clash))) return rc;
    r->restored = !clash;
    return r->restored ? note_follow_ups(s, c->table, vals, NULL, NULL, ncol) : EXIT_OK;
}

/* Puts back row id of table from the newest delete of it this pack carries. */
static int pack_deleted(apply_ctx *a, const char *table, int64_t id, restore_ctx *r, bool *found)
{
    *found = false;
    int rc = EXIT_OK;
    for (size_t e = a->o->n; e-- > 0 && !*found && !rc;)
        rc = syncstore_changeset_deleted(a->o->entries[e].data, (int)a->o->entries[e].len, table,
                                         id, restore_image, r, found);
    return rc;
}

/* Rows the pack's changes left referring to rows that are gone (a parent deleted on one side, a
 * row added to it on the other): the parent is put back from the old image of its delete (the
 * pack's, else this copy's own log), so no change is lost and the pack does not fail on a foreign
 * key (a pack that fails would fail again every time, since later packs carry the same change).
 * On the hub, a conflict: delete_vs_edit when the laptop deleted it, edit_vs_delete when the hub
 * did; and the row goes to the laptops as the hub holds it. */
static int repair_parents(apply_ctx *a)
{
    store *s = a->s;
    syncstore_dangling d[64];
    for (int round = 0; round < 16; round++) {
        int n, rc;
        if ((rc = syncstore_dangling_rows(s, d, 64, &n))) return rc;
        if (!n) return EXIT_OK;
        for (int i = 0; i < n; i++) {
            merge_value have[SYNCSTORE_MAX_COLS];
            bool there;
            if ((rc = syncstore_row_get(s, d[i].parent, d[i].parent_id, have, SYNCSTORE_MAX_COLS,
                                        &there)))
                return rc;
            if (there) continue; /* put back for an earlier row of this round */
            restore_ctx r = {a, NULL, false};
            bool found;
            const char *kind = "delete_vs_edit";
            if ((rc = pack_deleted(a, d[i].parent, d[i].parent_id, &r, &found))) return rc;
            if (!found) {
                kind = "edit_vs_delete";
                if ((rc = syncstore_log_deleted(s, d[i].parent, d[i].parent_id, restore_image, &r,
                                                &found)))
                    return rc;
            }
            if (!r.restored) {
                snprintf(a->err, a->en,
                         "a row of %s refers to a row of %s that this copy no longer has, with no "
                         "record of it left to put back: nothing was changed",
                         d[i].table, d[i].parent);
                return EXIT_DATA;
            }
            if (a->hub) {
                a->r->conflicts++;
                if ((rc = syncstore_relay_row(s, d[i].parent, d[i].parent_id)) ||
                    (rc = syncstore_conflict_add(s, kind, d[i].parent, d[i].parent_id, NULL, NULL,
                                                 NULL, NULL, a->peer)))
                    return rc;
            }
            if ((rc = touch_row(a, d[i].parent, d[i].parent_id, NULL))) return rc;
        }
    }
    snprintf(a->err, a->en, "rows of the pack refer to rows that cannot be put back");
    return EXIT_DATA;
}

/* A delete of row id (mine: the row as this copy holds it; purged: its child was purged). */
static int apply_delete(apply_ctx *a, const syncstore_change *c, const char *const *names, int ncol,
                        int64_t id, const merge_value *mine, bool purged)
{
    store *s = a->s;
    int rc;
    bool edited = false;
    for (int i = 1; i < ncol; i++)
        if (merge_column_kind(c->table, names[i]) == MERGE_FACT &&
            !merge_value_equal(&c->old[i], &mine[i]))
            edited = true;
    if (purged) edited = false;
    if (edited && a->hub) {
        /* Kept until a person decides; the laptop, which deleted it, gets it back. */
        a->r->conflicts++;
        if ((rc = syncstore_relay_row(s, c->table, id))) return rc;
        return syncstore_conflict_add(s, "delete_vs_edit", c->table, id, NULL, NULL, NULL, NULL,
                                      a->peer);
    }
    if (edited) {
        bool unsent;
        if ((rc = syncstore_unsent_has(s, c->table, id, -1, &unsent))) return rc;
        if (unsent) return EXIT_OK;
    }
    if ((rc = touch_row(a, c->table, id, NULL))) return rc;
    a->r->deleted++;
    return syncstore_row_delete(s, c->table, id);
}

/* An edit of row id, which this copy no longer holds: edited there, deleted here, a conflict, and
 * the row is kept until a person decides, put back from the old image of the hub's delete with
 * the laptop's changes on it (it then travels to the laptops like any row added). */
static int apply_edit_of_deleted(apply_ctx *a, const syncstore_change *c, int64_t id)
{
    if (!a->hub) return EXIT_OK;
    a->r->conflicts++;
    restore_ctx r = {a, c->new_, false};
    bool logged;
    int rc = syncstore_log_deleted(a->s, c->table, id, restore_image, &r, &logged);
    if (rc || (r.restored && (rc = touch_row(a, c->table, id, NULL)))) return rc;
    return syncstore_conflict_add(a->s, "edit_vs_delete", c->table, id, NULL, NULL, NULL, NULL,
                                  a->peer);
}

/* A row added. When its key is held already here (added on both sides, or applied before), *held
 * is set and mine holds the row, to be merged as a change. */
static int apply_insert(apply_ctx *a, const syncstore_change *c, const char *const *names, int ncol,
                        int64_t id, merge_value *mine, bool *held)
{
    store *s = a->s;
    merge_value vals[SYNCSTORE_MAX_COLS];
    memcpy(vals, c->new_, sizeof vals[0] * (size_t)ncol);
    bool clash, found;
    int rc = syncstore_row_add(s, c->table, vals, ncol, held, &clash);
    if (rc) return rc;
    if (*held) {
        if ((rc = syncstore_row_get(s, c->table, id, mine, ncol, &found))) return rc;
        if (!found) {
            snprintf(a->err, a->en, "a new row of %s: its key is held, the row not found",
                     c->table);
            return EXIT_DATA;
        }
        return note_follow_ups(s, c->table, NULL, NULL, mine, ncol);
    }
    bool is_conflicts = strcmp(c->table, "conflicts") == 0;
    if (clash && (rc = insert_duplicate(a, c, names, ncol, vals))) return rc;
    if (!is_conflicts && strcmp(c->table, "audit") != 0) a->r->added++;
    if (is_conflicts && !a->hub && (rc = follow_conflict(a, c, names, ncol))) return rc;
    return touch_row(a, c->table, id, NULL);
}

/* A change of row id, which this copy holds as mine: column by column (merge.h). */
static int apply_columns(apply_ctx *a, const syncstore_change *c, const char *const *names,
                         int ncol, int64_t id, const merge_value *mine)
{
    store *s = a->s;
    int rc;
    merge_value vals[SYNCSTORE_MAX_COLS] = {{0}};
    bool set[SYNCSTORE_MAX_COLS] = {0}, any = false;
    static const merge_value undef = {MERGE_UNDEF, 0, 0, NULL, 0};
    for (int i = 1; i < ncol; i++) {
        merge_column_class kind = merge_column_kind(c->table, names[i]);
        const merge_value *base = c->op == 'I' ? &undef : &c->old[i];
        bool unsent = false;
        if (!a->hub && kind == MERGE_FACT && c->new_[i].type != MERGE_UNDEF &&
            !merge_value_equal(&mine[i], &c->new_[i]) &&
            (rc = syncstore_unsent_has(s, c->table, id, i, &unsent)))
            return rc;
        switch (merge_column(kind, base, &c->new_[i], &mine[i], a->hub, unsent)) {
        case MERGE_TAKE:
            vals[i] = c->new_[i];
            set[i] = true;
            if (kind == MERGE_FACT) any = true;
            break;
        case MERGE_CONFLICT:
            a->r->conflicts++;
            if ((rc = syncstore_conflict_add(s, "field", c->table, id, names[i], base, &mine[i],
                                             &c->new_[i], a->peer)))
                return rc;
            break;
        default: break;
        }
    }
    bool stamp = false;
    const char *scored = NULL; /* a merged column a score reads */
    for (int i = 1; i < ncol; i++) {
        stamp |= set[i];
        if (set[i] && !scored && scores_reads(c->table, names[i])) scored = names[i];
    }
    if (!stamp) return EXIT_OK;
    if (any) a->r->merged++;
    /* A referral moved to another child changes the score of the one it leaves too. */
    if (scored && (rc = touch_row(a, c->table, id, scored))) return rc;
    if ((rc = syncstore_row_update(s, c->table, id, vals, set, ncol))) return rc;
    return scored ? touch_row(a, c->table, id, scored) : EXIT_OK;
}

static int apply_change(apply_ctx *a, const syncstore_change *c)
{
    store *s = a->s;
    if (syncstore_table_index(c->table) < 0) return EXIT_OK;
    const char *const *names;
    int ncol, rc;
    if ((rc = syncstore_columns(s, c->table, &names, &ncol))) return rc;
    if (ncol != c->ncol) {
        snprintf(a->err, a->en, "a change of %s has %d columns, this database %d", c->table,
                 c->ncol, ncol);
        return EXIT_DATA;
    }
    const merge_value *key = c->op == 'I' ? &c->new_[0] : &c->old[0];
    if (key->type != MERGE_INT) return EXIT_OK;
    int64_t id = key->i;
    merge_value mine[SYNCSTORE_MAX_COLS];
    /* A row a laptop added is mostly new on the hub: it is looked for only when its key turns out
     * held. (A hub's pack brings a laptop its own rows back.) */
    bool found = false;
    if ((c->op != 'I' || !a->hub) && (rc = syncstore_row_get(s, c->table, id, mine, ncol, &found)))
        return rc;
    /* A purged child never comes back: no row of it is added or changed, and its rows go. */
    int64_t child = 0;
    bool purged = false;
    if (c->op == 'I')
        rc = syncstore_new_row_child(s, c->table, c->new_, ncol, &child);
    else if (found)
        rc = syncstore_row_child(s, c->table, id, &child);
    if (rc || (rc = privacy_change_erased(s, c, child, &purged))) return rc;
    if (purged && c->op != 'D') {
        a->r->dropped++;
        return EXIT_OK;
    }
    if ((rc = note_follow_ups(s, c->table, c->old, c->new_, found ? mine : NULL, ncol))) return rc;
    if (c->op == 'D') return found ? apply_delete(a, c, names, ncol, id, mine, purged) : EXIT_OK;
    if (!found && c->op == 'U') return apply_edit_of_deleted(a, c, id);
    if (!found) {
        bool held;
        if ((rc = apply_insert(a, c, names, ncol, id, mine, &held)) || !held) return rc;
    }
    return apply_columns(a, c, names, ncol, id, mine);
}

/* One change, with what a purge needs around it: a tombstone of a child purged here too keeps one
 * of the two (the hub's); a tombstone arriving erases the child here as where it was purged
 * (privacy_erase: every row; the change log, the search index and the write-ahead log once the
 * pack is applied). */
static int apply_one(apply_ctx *a, const syncstore_change *c)
{
    bool twice = false, erased = false;
    int rc = privacy_tombstone_twice(a->s, c, a->hub, &twice);
    if (rc || twice || (rc = apply_change(a, c))) return rc;
    rc = privacy_follow_tombstone(a->s, c, &erased);
    if (erased) a->r->erased++;
    return rc;
}

/* After a pack that erased a child: the change log and the search index rewritten (inside the
 * transaction), and, once committed, the write-ahead log emptied into the database (when it
 * cannot be, r->wal_kept says so: the pack is applied all the same). */
static int erased_compact(store *s, const sync_apply_result *r)
{
    return r->erased ? privacy_compact(s) : EXIT_OK;
}

static void erased_checkpoint(store *s, sync_apply_result *r)
{
    bool emptied = false;
    if (r->erased) r->wal_kept = privacy_checkpoint(s, &emptied) != EXIT_OK || !emptied;
}

static int apply_entry(apply_ctx *a, const pack_entry *e)
{
    syncstore_iter *it;
    int rc = syncstore_iter_start(e->data, (int)e->len, &it);
    if (rc) {
        snprintf(a->err, a->en, "change %lld of the pack is damaged", (long long)e->seq);
        return rc;
    }
    syncstore_change *c = malloc(sizeof *c);
    if (!c) abort();
    int more;
    while (!rc && (more = syncstore_iter_next(it, c)) > 0)
        rc = apply_one(a, c);
    if (!rc && more < 0) {
        snprintf(a->err, a->en, "change %lld of the pack is damaged", (long long)e->seq);
        rc = -more;
    }
    free(c);
    syncstore_iter_free(it);
    return rc;
}

/* The first entry of pack o that this copy has not applied (o->n: none), when the entries go on
 * from applied with no gap; else EXIT_DATA saying which pack to bring. */
static int first_new_entry(const char *what, const opened_pack *o, int64_t applied, size_t *first,
                           char *err, size_t n)
{
    size_t f = 0;
    while (f < o->n && o->entries[f].seq <= applied)
        f++;
    *first = f;
    if (f < o->n && o->entries[f].seq != applied + 1)
        return say(err, n, EXIT_DATA,
                   "%s: this pack starts at change %lld of %s, but this copy has applied only up "
                   "to %lld: bring a pack from %s holding its changes from %lld on (make a new one "
                   "there with `caseload sync pack`); nothing was changed",
                   what, (long long)o->entries[f].seq, o->peer.name, (long long)applied,
                   o->peer.name, (long long)applied + 1);
    for (size_t i = f + 1; i < o->n; i++)
        if (o->entries[i].seq != o->entries[i - 1].seq + 1)
            return say(err, n, EXIT_DATA, "%s: the pack's changes are not in order", what);
    return EXIT_OK;
}

static int apply_opened(store *s, const config *cfg, date_t as_of, const char *what, opened_pack *o,
                        sync_apply_result *r, char *err, size_t n)
{
    memset(r, 0, sizeof *r);
    snprintf(r->peer, sizeof r->peer, "%s", o->peer.name);
    char role[16], me[64];
    sync_role(s, role, me);
    int rc = store_begin(s);
    if (rc) return store_said(s, err, n, rc);
    apply_ctx a = {s, o, strcmp(role, "hub") == 0, o->peer.name, "", r, NULL, 0, 0, err, n};
    snprintf(a.me, sizeof a.me, "%s", me);
    err[0] = '\0';
    /* Read again inside the transaction: another program may have applied a pack meanwhile. */
    syncstore_peer p;
    int64_t mine_max;
    if ((rc = syncstore_peer_get(s, o->peer.name, &p)) || (rc = syncstore_log_max(s, &mine_max)))
        goto fail;
    int64_t acked = o->ack > p.acked ? (o->ack < mine_max ? o->ack : mine_max) : p.acked;
    int64_t applied = p.applied;
    size_t first_new;
    if ((rc = first_new_entry(what, o, applied, &first_new, err, n))) goto fail;
    r->skipped = (int64_t)first_new;
    if (first_new == o->n && acked == p.acked) {
        r->nothing_new = true;
        store_rollback(s);
        return EXIT_OK;
    }
    if ((rc = syncstore_capture(s, a.hub ? o->peer.device : 0, a.hub))) goto fail_store;
    if (!a.hub && (rc = syncstore_unsent_build(s, acked))) goto fail_store;
    if ((rc = syncstore_defer_foreign_keys(s)) || (rc = syncstore_follow_ups_aside(s)))
        goto fail_store;
    for (size_t i = first_new; i < o->n; i++) {
        if ((rc = apply_entry(&a, &o->entries[i]))) goto fail_maybe_store;
        applied = o->entries[i].seq;
        r->entries++;
    }
    if ((rc = repair_parents(&a))) goto fail_maybe_store;
    if ((rc = syncstore_follow_ups_back(s))) goto fail_store;
    if ((rc = syncstore_peer_marks(s, p.name, acked, applied, syncstore_now(s)))) goto fail_store;
    if (a.nchildren && (rc = scoring_children_changed(s, cfg, as_of, a.children, a.nchildren)))
        goto fail_store;
    char detail[160];
    snprintf(detail, sizeof detail, "from=%s changes=%lld conflicts=%lld", p.name,
             (long long)r->entries, (long long)r->conflicts);
    /* The hub audits what it applied (the row travels to the laptops with the rest); a laptop
     * logs nothing of applying its hub's pack, its scores included: derived state never travels,
     * and a row of its own would come back as a change of the hub's, pack after pack. */
    if (a.hub && r->entries && (rc = store_audit(s, "sync_apply", NULL, 0, detail)))
        goto fail_store;
    if ((rc = erased_compact(s, r))) goto fail_store;
    /* The facts commit alone: the search text of what changed (the largest part of the work) is
     * folded afterwards in short transactions of its own, so that desk users wait at most for
     * one of them (store_defer_search: noted, it is folded by the next caseload should this one
     * be killed meanwhile). */
    store_defer_search(s);
    if ((rc = store_commit(s))) goto fail_store;
    free(a.children);
    if (store_search_catch_up(s, SEARCH_BATCH, SEARCH_WORK_MS, SEARCH_PAUSE_MS) != EXIT_OK)
        r->search_later = true; /* busy: the next caseload that writes or searches folds it */
    erased_checkpoint(s, r);
    return EXIT_OK;
fail_maybe_store:
    if (err[0]) goto fail;
fail_store:
    store_said(s, err, n, rc);
fail:
    store_rollback(s);
    free(a.children);
    return rc;
}

int sync_pack_apply(store *s, const config *cfg, date_t as_of, const char *what, const void *data,
                    size_t size, sync_apply_result *r, char *err, size_t n)
{
    memset(r, 0, sizeof *r);
    opened_pack o;
    int rc = pack_open(s, what, data, size, &o, err, n);
    if (rc) return rc;
    rc = apply_opened(s, cfg, as_of, what, &o, r, err, n);
    pack_close(&o);
    return rc;
}

int sync_with(store *s, store *other, const config *cfg, date_t as_of, sync_apply_result *to_hub,
              sync_apply_result *to_laptop, char *err, size_t n)
{
    memset(to_hub, 0, sizeof *to_hub);
    memset(to_laptop, 0, sizeof *to_laptop);
    char r1[16], n1[64], r2[16], n2[64];
    sync_role(s, r1, n1);
    sync_role(other, r2, n2);
    store *hub = NULL, *laptop = NULL;
    const char *laptop_name = NULL;
    if (strcmp(r1, "hub") == 0 && strcmp(r2, "laptop") == 0) {
        hub = s;
        laptop = other;
        laptop_name = n2;
    } else if (strcmp(r1, "laptop") == 0 && strcmp(r2, "hub") == 0) {
        hub = other;
        laptop = s;
        laptop_name = n1;
    } else {
        return say(err, n, EXIT_DATA,
                   "sync with joins a hub and one of its laptop copies (this is %s, the other "
                   "%s)",
                   *r1 ? r1 : "neither", *r2 ? r2 : "neither");
    }
    buf b = BUF_INIT;
    sync_pack_info info;
    int rc = sync_pack_make(laptop, NULL, &b, &info, err, n);
    if (!rc)
        rc = sync_pack_apply(hub, cfg, as_of, "the laptop's pack", b.data, b.len, to_hub, err, n);
    if (!rc) rc = sync_pack_make(hub, laptop_name, &b, &info, err, n);
    if (!rc)
        rc =
            sync_pack_apply(laptop, cfg, as_of, "the hub's pack", b.data, b.len, to_laptop, err, n);
    buf_free(&b);
    return rc;
}

int sync_revoke(store *s, const char *name, char *err, size_t n)
{
    char role[16], me[64];
    sync_role(s, role, me);
    if (strcmp(role, "hub") != 0) return say(err, n, EXIT_DATA, "only the hub revokes keys");
    syncstore_peer p;
    int rc = syncstore_peer_get(s, name, &p);
    sodium_memzero(p.key, sizeof p.key);
    if (rc == EXIT_FOUND) return say(err, n, EXIT_DATA, "no laptop copy of that name");
    if (rc) return store_said(s, err, n, rc);
    if ((rc = store_begin(s))) return store_said(s, err, n, rc);
    if ((rc = syncstore_peer_revoke(s, name)) ||
        (rc = store_audit(s, "sync_revoke", NULL, 0, name)) || (rc = store_commit(s))) {
        store_said(s, err, n, rc);
        store_rollback(s);
    }
    return rc;
}

int sync_unsent(store *s, const syncstore_peer *peer, int64_t *n)
{
    return syncstore_log_count(s, peer->acked, n);
}

/* ---- resolving ---- */

typedef struct resolve_ctx {
    store *s;
    date_t as_of;
    const char *how, *value;
    buf typed; /* the value typed, as stored */
    int64_t child;
    char *err;
    size_t en;
} resolve_ctx;

/* The value typed for conflict c's field, checked by the field's rule (field.h) as of as_of, into
 * *v as the column holds it (text in r->typed; an officer's or a school's key for their
 * initials or URN). EXIT_DATA with a message naming the field and why. */
static int typed_value(resolve_ctx *r, const syncstore_conflict *c, merge_value *v)
{
    const field_rule *rule = field_rule_of(c->table, c->field);
    char why[FIELD_WHY];
    buf_reset(&r->typed);
    if (!field_value(rule, r->value, strlen(r->value), r->as_of, &r->typed, why)) {
        /* The value is quoted only where it cannot be a child's details (codes, flags, numbers,
         * initials): names, UPNs, dates of birth and notes never reach a message. */
        bool quote = rule && rule->kind != FIELD_RULE_TEXT && rule->kind != FIELD_RULE_NOTE &&
                     rule->kind != FIELD_RULE_UPN && rule->kind != FIELD_RULE_DATE &&
                     rule->kind != FIELD_RULE_PAST && rule->kind != FIELD_RULE_SCHOOL &&
                     *r->value && text_is_clean(r->value) && strlen(r->value) < 40;
        if (quote)
            snprintf(r->err, r->en, "conflict %lld: %s: '%s' %s", (long long)c->id, c->field,
                     r->value, why);
        else
            snprintf(r->err, r->en, "conflict %lld: %s: %s", (long long)c->id, c->field, why);
        return EXIT_DATA;
    }
    const char *t = buf_str(&r->typed);
    *v = (merge_value){MERGE_TEXT, 0, 0, (const unsigned char *)t, (int)r->typed.len};
    if (!r->typed.len) {
        /* No value: NULL, but text stays "" where the hub holds text (NOT NULL columns). */
        bool text = rule->kind == FIELD_RULE_TEXT || rule->kind == FIELD_RULE_NOTE ||
                    rule->kind == FIELD_RULE_CODES;
        if (!text || c->hub.type == MERGE_NULL) v->type = MERGE_NULL;
        return EXIT_OK;
    }
    int rc;
    int64_t id;
    switch (rule->kind) {
    case FIELD_RULE_FLAG:
    case FIELD_RULE_SESSIONS:
        v->type = MERGE_INT;
        v->i = strtoll(t, NULL, 10);
        break;
    case FIELD_RULE_DAYS:
    case FIELD_RULE_HOURS:
        v->type = MERGE_REAL;
        v->d = strtod(t, NULL);
        break;
    case FIELD_RULE_OFFICER:
        if ((rc = records_officer_ensure(r->s, t, &id))) return rc;
        *v = (merge_value){MERGE_INT, id, 0, NULL, 0};
        break;
    case FIELD_RULE_SCHOOL:
        if ((rc = records_school_find(r->s, t, NULL, &id))) return rc;
        if (!id) {
            snprintf(r->err, r->en, "conflict %lld: %s: no school with that URN", (long long)c->id,
                     c->field);
            return EXIT_DATA;
        }
        *v = (merge_value){MERGE_INT, id, 0, NULL, 0};
        break;
    default: break;
    }
    return EXIT_OK;
}

static int resolve_one(void *ctx, const syncstore_conflict *c)
{
    resolve_ctx *r = ctx;
    store *s = r->s;
    if (strcmp(c->state, "open") != 0) {
        snprintf(r->err, r->en, "conflict %lld is already resolved", (long long)c->id);
        return EXIT_DATA;
    }
    bool field = strcmp(c->kind, "field") == 0, dup = strcmp(c->kind, "duplicate") == 0;
    if (strcmp(r->how, "set") == 0 && !field && !dup) {
        snprintf(r->err, r->en, "a %s conflict is resolved with keep or take", c->kind);
        return EXIT_DATA;
    }
    if (dup && strcmp(r->how, "take") == 0) {
        snprintf(r->err, r->en,
                 "both rows of a duplicate are kept: keep accepts the laptop's row as it is, set "
                 "VALUE gives it a key of its own");
        return EXIT_DATA;
    }
    int rc;
    if ((rc = syncstore_row_child(s, c->table, c->row_id, &r->child))) return rc;
    /* A row deleted on one side and changed on the other was kept: it goes when the side that
     * deleted it wins (take the laptop's delete, keep the hub's). */
    if ((strcmp(c->kind, "delete_vs_edit") == 0 && strcmp(r->how, "take") == 0) ||
        (strcmp(c->kind, "edit_vs_delete") == 0 && strcmp(r->how, "keep") == 0))
        return syncstore_row_delete(s, c->table, c->row_id);
    if (!(field || dup) || strcmp(r->how, "keep") == 0) return EXIT_OK;
    const char *const *names;
    int ncol;
    if ((rc = syncstore_columns(s, c->table, &names, &ncol))) return rc;
    int i = column_index(names, ncol, c->field ? c->field : "");
    if (i < 0) {
        snprintf(r->err, r->en, "the conflict names a field this database does not have");
        return EXIT_DATA;
    }
    merge_value vals[SYNCSTORE_MAX_COLS] = {{0}};
    bool set[SYNCSTORE_MAX_COLS] = {0};
    if (strcmp(r->how, "take") == 0) {
        vals[i] = c->laptop;
    } else {
        if ((rc = typed_value(r, c, &vals[i]))) return rc;
        if (dup) {
            int64_t other;
            if ((rc = syncstore_key_holder(s, c->table, c->field, &vals[i], c->row_id, &other)))
                return rc;
            if (other) {
                snprintf(r->err, r->en, "another row of %s already has that %s", c->table,
                         c->field);
                return EXIT_DATA;
            }
        }
    }
    set[i] = true;
    int ui = column_index(names, ncol, "updated_at");
    if (ui >= 0) {
        const char *now = syncstore_now(s);
        vals[ui] = (merge_value){MERGE_TEXT, 0, 0, (const unsigned char *)now, (int)strlen(now)};
        set[ui] = true;
    }
    rc = syncstore_row_update(s, c->table, c->row_id, vals, set, ncol);
    if (rc == EXIT_IO && strstr(store_error(s), "constraint")) {
        snprintf(r->err, r->en, "%s: that value is not allowed here (%s)", c->field,
                 store_error(s));
        return EXIT_DATA;
    }
    return rc;
}

int sync_resolve(store *s, const config *cfg, date_t as_of, int64_t id, const char *how,
                 const char *value, char *err, size_t n)
{
    if (strcmp(how, "keep") != 0 && strcmp(how, "take") != 0 && strcmp(how, "set") != 0)
        return say(err, n, EXIT_USAGE, "resolve with keep, take or set VALUE");
    if (strcmp(how, "set") == 0 && !value)
        return say(err, n, EXIT_USAGE, "set needs the VALUE to write");
    int rc = store_begin(s);
    if (rc) return store_said(s, err, n, rc);
    err[0] = '\0';
    resolve_ctx r = {s, as_of, how, value ? value : "", BUF_INIT, 0, err, n};
    rc = syncstore_conflict_get(s, id, resolve_one, &r);
    buf_free(&r.typed);
    if (rc == EXIT_FOUND) {
        say(err, n, EXIT_DATA, "no conflict %lld", (long long)id);
        rc = EXIT_DATA;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "%s", how);
    if (!rc) rc = syncstore_conflict_resolve(s, id, how);
    if (!rc) rc = store_audit(s, "resolve", "conflicts", id, detail);
    if (!rc && r.child) rc = scoring_children_changed(s, cfg, as_of, &r.child, 1);
    if (!rc) rc = store_commit(s);
    if (rc) {
        if (!err[0]) store_said(s, err, n, rc);
        store_rollback(s);
    }
    return rc;
}
