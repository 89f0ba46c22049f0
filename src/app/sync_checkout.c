/* sync_checkout.c: `sync checkout` (see sync.h): a laptop copy made with VACUUM INTO under a
 * temporary name, given a device and key of its own, flushed and renamed; the hub registers it. */
#include "caseload/sync.h"
#include "sync_internal.h"

#include "caseload/exitcode.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
    if (rc) return sync_say(err, n, rc, "%s", e);
    if ((rc = store_begin(c))) goto out;
    char v[32];
    snprintf(v, sizeof v, "%lld", (long long)device);
    /* The copy holds the hub's log up to hub_seq: when its last entry was made, for the copy's
     * packs to say which of the hub's entries they acknowledge (sync_pack_marks_check). */
    char at[32];
    bool found;
    if ((rc = syncstore_capture(c, 0, false)) || (rc = syncstore_log_max(c, hub_seq)) ||
        (rc = syncstore_log_at(c, *hub_seq, at, &found)) ||
        (found && (rc = sync_applied_at_set(c, "hub", at))) || (rc = syncstore_log_clear(c)) ||
        (rc = syncstore_peers_clear(c)) || (rc = store_meta_set(c, "device_id", v)) ||
        (rc = store_meta_set(c, "counter", "0")) ||
        (rc = store_meta_set(c, "sync_role", "laptop")) ||
        (rc = store_meta_set(c, "sync_name", name)) || (rc = store_meta_set(c, "ref_tag", name)))
        goto out;
    syncstore_peer hub = {.device = hub_device, .applied = *hub_seq};
    snprintf(hub.name, sizeof hub.name, "hub");
    snprintf(hub.role, sizeof hub.role, "hub");
    memcpy(hub.key, key, sizeof hub.key);
    if ((rc = syncstore_peer_add(c, &hub))) goto out;
    rc = store_commit(c);
out:
    if (rc) {
        sync_say(err, n, rc, "%s", store_error(c));
        store_rollback(c);
    }
    store_close(c);
    return rc;
}

/* Registers a laptop copy named name (its new device and key into *p); a database that has none
 * yet becomes the hub (first). */
static int register_laptop(store *s, const char *name, bool first, syncstore_peer *p, char *err,
                           size_t n)
{
    int rc = store_begin(s);
    if (rc) return sync_store_said(s, err, n, rc);
    snprintf(p->name, sizeof p->name, "%s", name);
    snprintf(p->role, sizeof p->role, "laptop");
    p->device = new_device(s);
    crypto_secretstream_xchacha20poly1305_keygen(p->key);
    if ((first && ((rc = store_meta_set(s, "sync_role", "hub")) ||
                   (rc = store_meta_set(s, "sync_name", "hub")))) ||
        (rc = syncstore_peer_add(s, p)) || (rc = store_audit(s, "sync_checkout", NULL, 0, name)) ||
        (rc = store_commit(s))) {
        sync_store_said(s, err, n, rc);
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
    if (sodium_init() < 0)
        return sync_say(err, n, EXIT_IO, "cannot start the cryptography library");
    if (!name_ok(name))
        return sync_say(err, n, EXIT_USAGE,
                        "--name: a copy's name is 1 to 16 letters, digits, '-' or '_' (not 'hub')");
    char role[16], me[64];
    sync_role(s, role, me);
    if (strcmp(role, "laptop") == 0)
        return sync_say(err, n, EXIT_DATA,
                        "this is a laptop copy: make laptop copies on the hub it came from");
    struct stat st;
    if (stat(path, &st) == 0)
        return sync_say(err, n, EXIT_IO, "%s: already exists; name a new file", path);
    syncstore_peer p = {0};
    if (syncstore_peer_get(s, name, &p) == EXIT_OK)
        return sync_say(err, n, EXIT_DATA, "a laptop copy named %s is already registered", name);
    /* A damaged database is not copied (SPEC section 11). */
    int qrc = store_quick_check(s);
    if (qrc) return sync_store_said(s, err, n, qrc);

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
        rc = sync_say(err, n, EXIT_IO, "%s: cannot create: %s", path, strerror(errno));
        goto undo;
    }
    close(fd);
    if ((rc = syncstore_copy(s, tmp))) {
        sync_store_said(s, err, n, rc);
        goto undo;
    }
    if ((rc = make_laptop(tmp, name, p.device, syncstore_device(s), p.key, &hub_seq, err, n)))
        goto undo;
    if (fsync_path(tmp, O_RDONLY) != 0 || rename(tmp, path) != 0) {
        rc = sync_say(err, n, EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
        goto undo;
    }
    char dir[4096];
    folder_of(path, dir, sizeof dir);
    fsync_path(dir, O_RDONLY | O_DIRECTORY);
    sodium_memzero(p.key, sizeof p.key);
    /* The copy holds the hub's log up to hub_seq: nothing of it is sent to the laptop again. */
    if ((rc = store_begin(s))) return sync_store_said(s, err, n, rc);
    if ((rc = syncstore_peer_marks(s, name, hub_seq, 0, NULL)) || (rc = store_commit(s))) {
        sync_store_said(s, err, n, rc);
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
