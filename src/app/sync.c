/* sync.c: offline copies (see sync.h): packs (zlib + libsodium secretstream), made and opened.
 * Making a laptop copy is sync_checkout.c, applying a pack sync_apply.c, resolving its conflicts
 * sync_resolve.c (sync_internal.h: what they share). */
#include "caseload/sync.h"
#include "sync_internal.h"

#include "caseload/exitcode.h"
#include "caseload/outfile.h"
#include "caseload/text.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#ifndef CASELOAD_VERSION
#define CASELOAD_VERSION "unknown"
#endif

#define MAGIC "CASELOAD-PACK\n"
#define MAGIC_LEN 14
/* 2: the payload names the entries the marks stand at (issue 9: a copied hub). */
#define FORMAT 2
/* The payload: the ack (i64) and when the receiver's entry at the ack was made (AT_LEN bytes, ""
 * when not known); the sender's mark of what the receiver acknowledged (i64) and when the
 * sender's entry at it was made; then the entries (seq i64, origin i64, at, length u32, the
 * changeset). */
#define AT_LEN 32
#define PAYLOAD_HEAD (2 * (8 + AT_LEN))
#define ENTRY_HEAD (8 + 8 + AT_LEN + 4)
/* magic, format u32, schema u32, column hash 32, version 16, sender i64, recipient i64 */
#define HDR_AD_LEN (MAGIC_LEN + 4 + 4 + 32 + 16 + 8 + 8)
#define HDR_LEN (HDR_AD_LEN + crypto_secretstream_xchacha20poly1305_HEADERBYTES)
#define CHUNK 65536
#define MAX_PACK ((size_t)1 << 31)

int sync_say(char *err, size_t n, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return rc;
}

int sync_store_said(store *s, char *err, size_t n, int rc)
{
    return sync_say(err, n, rc, "%s", store_error(s));
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

/* ---- packs ---- */

typedef struct pack_build {
    buf *payload;
    int64_t count, first, last;
} pack_build;

static void put_at(buf *out, const char *at)
{
    char v[AT_LEN] = {0};
    snprintf(v, sizeof v, "%s", at ? at : "");
    buf_append(out, v, sizeof v);
}

static int add_entry(void *ctx, int64_t seq, int64_t origin, const char *at, const void *data,
                     int n)
{
    pack_build *b = ctx;
    put_i64(b->payload, seq);
    put_i64(b->payload, origin);
    put_at(b->payload, at);
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
        return sync_say(
            err, n, EXIT_DATA,
            "this database has no laptop copies: make one with `caseload sync checkout`");
    if (strcmp(role, "hub") == 0 && (!for_name || !*for_name))
        return sync_say(err, n, EXIT_USAGE,
                        "on the hub, --for names the laptop copy the pack is for");
    const char *name = strcmp(role, "hub") == 0 ? for_name : "hub";
    if (strcmp(role, "laptop") == 0 && for_name && *for_name && strcmp(for_name, "hub") != 0)
        return sync_say(err, n, EXIT_DATA, "a laptop copy makes packs for its hub only");
    int rc = syncstore_peer_get(s, name, p);
    if (rc == EXIT_FOUND) {
        buf b = BUF_INIT;
        text_sanitize(&b, name);
        sync_say(err, n, EXIT_DATA, "no laptop copy named '%s' was checked out here", buf_str(&b));
        buf_free(&b);
        return EXIT_DATA;
    }
    if (rc) return sync_store_said(s, err, n, rc);
    if (*p->revoked)
        return sync_say(err, n, EXIT_DATA, "the key of %s was revoked on %.10s", p->name,
                        p->revoked);
    return EXIT_OK;
}

/* The payload: the ack, then every entry the peer has not acknowledged; compressed into *z (its
 * length before compression first, 8 bytes little-endian), *zn bytes in all. */
static int pack_payload(store *s, const syncstore_peer *p, sync_pack_info *info, unsigned char **z,
                        size_t *zn, char *err, size_t n)
{
    buf payload = BUF_INIT;
    *z = NULL;
    char at[AT_LEN];
    bool found;
    put_i64(&payload, p->applied);
    sync_applied_at(s, p->name, at);
    put_at(&payload, at);
    put_i64(&payload, p->acked);
    int rc = syncstore_log_at(s, p->acked, at, &found);
    put_at(&payload, at);
    pack_build b = {&payload, 0, 0, 0};
    if (!rc) rc = syncstore_log_each(s, p->acked, add_entry, &b);
    if (rc) {
        rc = sync_store_said(s, err, n, rc);
        goto out;
    }
    info->entries = b.count;
    info->first = b.first;
    info->last = b.last;
    uLongf zlen = compressBound(payload.len);
    *z = malloc(zlen + 8);
    if (!*z) abort();
    for (int i = 0; i < 8; i++)
        (*z)[i] = (unsigned char)((uint64_t)payload.len >> (8 * i));
    if (compress2(*z + 8, &zlen, (const Bytef *)payload.data, payload.len, 6) != Z_OK) {
        rc = sync_say(err, n, EXIT_IO, "cannot compress the pack");
        goto out;
    }
    *zn = zlen + 8;
out:
    if (rc) {
        free(*z);
        *z = NULL;
    }
    buf_free(&payload);
    return rc;
}

/* The pack into out: its header (authenticated), then the compressed payload z (plain bytes)
 * encrypted in chunks under p's key, the last tagged final. */
static void pack_seal(store *s, const syncstore_peer *p, const char hash[33],
                      const unsigned char *z, size_t plain, buf *out)
{
    buf_reset(out);
    buf_append(out, MAGIC, MAGIC_LEN);
    put_u32(out, FORMAT);
    put_u32(out, (uint32_t)store_schema_version(s));
    buf_append(out, hash, 32);
    char version[16] = {0};
    snprintf(version, sizeof version, "%s", CASELOAD_VERSION);
    buf_append(out, version, 16);
    put_i64(out, syncstore_device(s));
    put_i64(out, p->device);
    unsigned char ad[HDR_AD_LEN];
    memcpy(ad, out->data, HDR_AD_LEN);
    crypto_secretstream_xchacha20poly1305_state state;
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_init_push(&state, header, p->key);
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
}

int sync_pack_make(store *s, const char *for_name, buf *out, sync_pack_info *info, char *err,
                   size_t n)
{
    if (sodium_init() < 0)
        return sync_say(err, n, EXIT_IO, "cannot start the cryptography library");
    memset(info, 0, sizeof *info);
    syncstore_peer p;
    memset(&p, 0, sizeof p);
    unsigned char *z = NULL;
    size_t plain = 0;
    char hash[33];
    int rc = pack_peer(s, for_name, &p, err, n);
    if (rc) goto out;
    /* A damaged database is not packed (SPEC section 11). */
    if ((rc = store_quick_check(s))) {
        rc = sync_store_said(s, err, n, rc);
        goto out;
    }
    snprintf(info->peer, sizeof info->peer, "%s", p.name);
    if ((rc = syncstore_columns_hash(s, hash))) {
        rc = sync_store_said(s, err, n, rc);
        goto out;
    }
    if ((rc = pack_payload(s, &p, info, &z, &plain, err, n))) goto out;
    pack_seal(s, &p, hash, z, plain, out);
out:
    sodium_memzero(p.key, sizeof p.key);
    free(z);
    return rc;
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
        return sync_say(err, n, EXIT_IO,
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
        return sync_say(err, n, errno == ENOENT ? EXIT_NOINPUT : EXIT_IO, "%s: %s", path,
                        errno == ENOENT ? "no such pack" : strerror(errno));
    char chunk[65536];
    ssize_t r;
    while ((r = read(fd, chunk, sizeof chunk)) > 0) {
        buf_append(out, chunk, (size_t)r);
        if (out->len > MAX_PACK) break;
    }
    int e = errno;
    close(fd);
    if (r < 0) return sync_say(err, n, EXIT_IO, "%s: cannot read: %s", path, strerror(e));
    if (out->len > MAX_PACK) return sync_say(err, n, EXIT_DATA, "%s: too large for a pack", path);
    return EXIT_OK;
}

/* ---- opening a pack ---- */

void sync_pack_close(opened_pack *o)
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
        return sync_say(err, n, EXIT_DATA, "%s: the pack is damaged", what);
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
            rc = sync_say(err, n, EXIT_DATA,
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
        rc = sync_say(err, n, EXIT_DATA, "%s: the pack is cut short: nothing was changed", what);
    if (!rc && at != size)
        rc = sync_say(err, n, EXIT_DATA, "%s: the pack has data after its end: nothing was changed",
                      what);
    if (!rc && z->len < 8) rc = sync_say(err, n, EXIT_DATA, "%s: the pack is damaged", what);
    return rc;
}

/* The compressed payload z uncompressed into o->plain, and read into o's ack and entries. */
static int pack_entries(const char *what, const buf *z, opened_pack *o, char *err, size_t n)
{
    uint64_t raw = 0;
    for (int i = 7; i >= 0; i--)
        raw = raw << 8 | (unsigned char)z->data[i];
    if (raw > MAX_PACK * 4 || raw < 8)
        return sync_say(err, n, EXIT_DATA, "%s: the pack is damaged", what);
    o->plain = malloc(raw);
    if (!o->plain) abort();
    uLongf got = raw;
    int zr = uncompress(o->plain, &got, (const Bytef *)z->data + 8, z->len - 8);
    if (zr != Z_OK || got != raw)
        return sync_say(err, n, EXIT_DATA, "%s: the pack is damaged (cannot uncompress)", what);
    o->plain_len = raw;
    if (raw < PAYLOAD_HEAD) return sync_say(err, n, EXIT_DATA, "%s: the pack is damaged", what);
    o->ack = get_i64(o->plain);
    memcpy(o->ack_at, o->plain + 8, AT_LEN);
    o->base = get_i64(o->plain + 8 + AT_LEN);
    memcpy(o->base_at, o->plain + 16 + AT_LEN, AT_LEN);
    o->ack_at[AT_LEN - 1] = o->base_at[AT_LEN - 1] = '\0';
    size_t p = PAYLOAD_HEAD, cap = 0;
    while (p < raw) {
        if (raw - p < ENTRY_HEAD) break;
        o->plain[p + 16 + AT_LEN - 1] = '\0';
        pack_entry e = {get_i64(o->plain + p), get_i64(o->plain + p + 8),
                        (const char *)o->plain + p + 16, NULL, get_u32(o->plain + p + 16 + AT_LEN)};
        p += ENTRY_HEAD;
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
    return p == raw ? EXIT_OK : sync_say(err, n, EXIT_DATA, "%s: the pack is damaged", what);
}

/* ---- the entries the marks stand at ---- */

/* The meta key of when peer's entry at this copy's applied mark was made. */
static void applied_key(const char *peer, char *key, size_t n)
{
    snprintf(key, n, "sync_applied_at %s", peer);
}

void sync_applied_at(store *s, const char *peer, char at[32])
{
    char key[96];
    applied_key(peer, key, sizeof key);
    if (!store_meta_get(s, key, at, 32)) at[0] = '\0';
}

int sync_applied_at_set(store *s, const char *peer, const char *at)
{
    char key[96];
    applied_key(peer, key, sizeof key);
    return store_meta_set(s, key, at);
}

/* When the sender's entry at seq was made, as pack o says (NULL: it does not say). */
static const char *sender_at(const opened_pack *o, int64_t seq)
{
    if (seq == o->base && o->base_at[0]) return o->base_at;
    for (size_t i = 0; i < o->n; i++)
        if (o->entries[i].seq == seq) return o->entries[i].at;
    return NULL;
}

int sync_pack_marks_check(store *s, const char *what, const opened_pack *o, int64_t applied,
                          char *err, size_t n)
{
    char at[32], mine[32];
    bool found = false;
    int rc = EXIT_OK;
    /* What the sender has applied of this copy's log is this copy's. */
    if (o->ack > 0 && o->ack_at[0] && !(rc = syncstore_log_at(s, o->ack, at, &found)) &&
        (!found || strcmp(at, o->ack_at) != 0))
        return sync_say(err, n, EXIT_DATA,
                        "%s: %s has applied changes up to %lld of another database with this "
                        "one's identity, not this one's (a copy of this database's file, or this "
                        "database put back from a backup): nothing was changed; apply %s's packs "
                        "on the database it syncs with",
                        what, o->peer.name, (long long)o->ack, o->peer.name);
    if (rc) return sync_store_said(s, err, n, rc);
    /* And what this copy has applied of the sender's log is the sender's. */
    sync_applied_at(s, o->peer.name, mine);
    const char *theirs = applied > 0 && mine[0] ? sender_at(o, applied) : NULL;
    if (theirs && strcmp(theirs, mine) != 0)
        return sync_say(err, n, EXIT_DATA,
                        "%s: this pack's change %lld is not the change %lld of %s this copy "
                        "applied: it comes from another database with %s's identity (a copy of "
                        "its file, or it put back from a backup): nothing was changed; apply the "
                        "packs of the database this copy syncs with",
                        what, (long long)applied, (long long)applied, o->peer.name, o->peer.name);
    return EXIT_OK;
}

/* Checks, decrypts and reads a pack meant for this copy. */
int sync_pack_open(store *s, const char *what, const unsigned char *d, size_t size, opened_pack *o,
                   char *err, size_t n)
{
    memset(o, 0, sizeof *o);
    if (size < HDR_LEN || memcmp(d, MAGIC, MAGIC_LEN) != 0)
        return sync_say(err, n, EXIT_DATA, "%s: not a caseload pack", what);
    const unsigned char *h = d + MAGIC_LEN;
    uint32_t format = get_u32(h), schema = get_u32(h + 4);
    char hash[33] = {0}, version[17] = {0};
    memcpy(hash, h + 8, 32);
    memcpy(version, h + 40, 16);
    int64_t sender = get_i64(h + 56), recipient = get_i64(h + 64);
    if (format != FORMAT)
        return sync_say(err, n, EXIT_DATA,
                        "%s: a pack of format %u (this caseload reads format %d)", what, format,
                        FORMAT);
    if (recipient != syncstore_device(s))
        return sync_say(
            err, n, EXIT_DATA,
            "%s: this pack was made for another copy, not this database: apply it where "
            "it is addressed",
            what);
    int rc = syncstore_peer_by_device(s, sender, &o->peer);
    if (rc == EXIT_FOUND)
        return sync_say(
            err, n, EXIT_DATA,
            "%s: this pack comes from a copy this database does not know (not checked out "
            "from here)",
            what);
    if (rc) return sync_store_said(s, err, n, rc);
    buf z = BUF_INIT;
    char mine[33];
    if (*o->peer.revoked)
        rc = sync_say(err, n, EXIT_DATA,
                      "%s: the key of %s was revoked on %.10s: its packs are refused", what,
                      o->peer.name, o->peer.revoked);
    else if (!(rc = pack_decrypt(what, d, size, o->peer.key, &z, err, n)) &&
             (rc = syncstore_columns_hash(s, mine)))
        sync_store_said(s, err, n, rc);
    /* The version check comes after authentication: a damaged header says so above. */
    else if (!rc && ((int)schema != store_schema_version(s) || strcmp(hash, mine) != 0))
        rc = sync_say(
            err, n, EXIT_DATA,
            "%s: made by caseload %s with schema %u (columns %.8s); this database is caseload "
            "%s with schema %d (columns %.8s): bring both copies to the same caseload first",
            what, version, schema, hash, CASELOAD_VERSION, store_schema_version(s), mine);
    if (!rc) rc = pack_entries(what, &z, o, err, n);
    buf_free(&z);
    if (rc) sync_pack_close(o);
    return rc;
}
