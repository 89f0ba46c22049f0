/* store.c: opening the caseload database (creating or migrating its schema), the wait for another
 * program's lock, failures and their messages, and the settings kept in meta. */
#include "store_internal.h"

#include "caseload/exitcode.h"
#include "caseload/privacy.h"
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

extern const char *const store_migration_sql[];
extern const size_t store_migration_count;
extern const char *const store_schema_sql;    /* data/schema.sql */
extern const size_t store_schema_sql_version; /* the migration it stands for */

int store_busy_timeout_ms(void)
{
    const char *e = getenv("CASELOAD_BUSY_TIMEOUT_MS");
    if (e && *e) {
        long v = strtol(e, NULL, 10);
        if (v >= 0 && v < 600000) return (int)v;
    }
    return 5000;
}

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The busy handler: sleeps a little at a time (2 ms, then 20) up to the store's busy_ms, telling
 * the wait hook when the wait starts (the app then shows "waiting for the database..." instead of
 * freezing), and notes how long it really waited, for the message of a failure (store_fail). */
static int on_busy(void *vs, int count)
{
    store *s = vs;
    long long now = mono_ms();
    if (count == 0) {
        s->busy_start = now;
        if (s->wait_hook) s->wait_hook(s->wait_ctx);
    }
    s->busy_at = now;
    s->busy_waited = now - s->busy_start;
    long long left = s->busy_ms - s->busy_waited;
    if (left <= 0) return 0;
    int step = count < 10 ? 2 : 20; /* ms: short first, as sqlite3_busy_timeout does */
    sqlite3_sleep(step < left ? step : (int)left);
    s->busy_at = mono_ms();
    s->busy_waited = s->busy_at - s->busy_start;
    return 1;
}

void store_set_busy(store *s, int ms)
{
    s->busy_ms = ms;
    if (ms > 0)
        sqlite3_busy_handler(s->db, on_busy, s);
    else
        sqlite3_busy_handler(s->db, NULL, NULL);
}

void store_on_wait(store *s, void (*hook)(void *ctx), void *ctx)
{
    s->wait_hook = hook;
    s->wait_ctx = ctx;
}

int store_fail(store *s, int rc, const char *what)
{
    int primary = rc & 0xff;
    /* SQLite's message, but rc's own when a later call succeeded over it (a failed bind reported
     * at the step, store_bind_*). */
    const char *msg =
        s->db && sqlite3_errcode(s->db) != SQLITE_OK ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
        /* The wait that ended just now in this failure; none when SQLite gave up at once. */
        long long waited = s->busy_at && mono_ms() - s->busy_at < 1000 ? s->busy_waited : 0;
        s->busy_at = 0;
        if (waited > 0)
            snprintf(s->err, sizeof s->err,
                     "%s: the database is locked by another program (waited %lld ms); try again",
                     what, waited);
        else
            snprintf(s->err, sizeof s->err,
                     "%s: the database is locked by another program; try again", what);
        return EXIT_BUSY;
    }
    if (primary == SQLITE_READONLY)
        snprintf(s->err, sizeof s->err, "%s: the database is read-only: %s", what, msg);
    else if (primary == SQLITE_FULL)
        snprintf(s->err, sizeof s->err, "%s: the disk is full: nothing was written", what);
    else
        snprintf(s->err, sizeof s->err, "%s: %s", what, msg);
    return EXIT_IO;
}

const char *store_error(const store *s)
{
    return s ? s->err : "";
}

bool store_readonly(const store *s)
{
    return s->readonly;
}

int store_schema_latest(void)
{
    return (int)store_migration_count;
}

static int user_version(store *s)
{
    sqlite3_stmt *st = store_stmt(s, "PRAGMA user_version");
    if (!st) return -1;
    int v = store_step(s, st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_reset(st);
    return v;
}

int store_schema_version(const store *s)
{
    return user_version((store *)s);
}

const char *store_now(store *s)
{
    if (s->now[0] && s->in_tx) return s->now;
    sqlite3_stmt *st = store_stmt(s, "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
    s->now[0] = '\0';
    if (st && store_step(s, st) == SQLITE_ROW)
        snprintf(s->now, sizeof s->now, "%s", store_col_text(st, 0));
    if (st) sqlite3_reset(st);
    return s->now;
}

int store_exec(store *s, const char *sql, const char *what)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, what);
}

bool store_meta_get(store *s, const char *key, char *out, int n)
{
    out[0] = '\0';
    sqlite3_stmt *st = store_stmt(s, "SELECT value FROM meta WHERE key = ?1");
    if (!st) return false;
    store_bind_text(s, st, 1, key, -1, SQLITE_STATIC);
    bool found = store_step(s, st) == SQLITE_ROW;
    if (found) snprintf(out, (size_t)n, "%s", store_col_text(st, 0));
    sqlite3_reset(st);
    return found;
}

int store_meta_set(store *s, const char *key, const char *value)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO meta(key, value) VALUES (?1, ?2) "
                                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, key, -1, SQLITE_STATIC);
    store_bind_text(s, st, 2, value, -1, SQLITE_STATIC);
    int rc = store_step(s, st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "saving settings");
}

static int64_t random_device_id(void)
{
    uint32_t v = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, &v, sizeof v) != (ssize_t)sizeof v) v = 0;
        close(fd);
    }
    if (v == 0) v = (uint32_t)getpid() ^ (uint32_t)time(NULL);
    v &= 0x7fffffffu;
    return v ? (int64_t)v : 1;
}

/* Whether the database holds no table, view or trigger yet (a new file). */
static bool schema_empty(store *s)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM sqlite_schema");
    bool empty = st && store_step(s, st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
    if (st) sqlite3_reset(st);
    return empty;
}

/* Runs sql, whose first column of its first row is a number, into *out (0 when there is no row).
 * Returns SQLite's code (not prepared in the cache: these run once, at open). */
static int read_number(store *s, const char *sql, long long *out)
{
    sqlite3_stmt *st = NULL;
    *out = 0;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = store_step(s, st);
        if (rc == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(st);
    return rc;
}

/* EXIT_OK when this program can work with schema version have; else the message and EXIT_IO. */
static int version_ok(store *s, long long have)
{
    int latest = store_schema_latest();
    if (have > latest) {
        snprintf(s->err, sizeof s->err,
                 "the database was written by a newer version of caseload (schema %lld; this "
                 "program knows up to %d): it was left untouched; upgrade caseload to open it",
                 have, latest);
        return EXIT_IO;
    }
    if (have < 0) {
        snprintf(s->err, sizeof s->err,
                 "the schema version of the database is negative (%lld): the file is damaged or "
                 "was changed by another program; it was left untouched",
                 have);
        return EXIT_IO;
    }
    return EXIT_OK;
}

/* Brings the schema up to date in one transaction. The version is read again once the write lock
 * is held: another program opening the database at the same time may have brought it up to date
 * while this one waited. */
static int migrate(store *s)
{
    long long have;
    int latest = store_schema_latest();
    int rc = read_number(s, "PRAGMA user_version", &have);
    if (rc != SQLITE_OK) return store_fail(s, rc, "reading the schema version");
    if ((rc = version_ok(s, have))) return rc;
    if (have == latest) return EXIT_OK;
    if (s->readonly) {
        snprintf(s->err, sizeof s->err,
                 "the database has an older schema (%lld, now %d) and was opened read-only", have,
                 latest);
        return EXIT_IO;
    }
    if ((rc = store_exec(s, "BEGIN IMMEDIATE", "upgrading the database"))) return rc;
    int src = read_number(s, "PRAGMA user_version", &have);
    if (src != SQLITE_OK) {
        rc = store_fail(s, src, "reading the schema version");
        goto fail;
    }
    if ((rc = version_ok(s, have))) goto fail;
    if (have == latest) { /* another program upgraded it meanwhile */
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return EXIT_OK;
    }
    int from = (int)have;
    if (have == 0 && schema_empty(s)) {
        /* A new database is made from the whole schema in one step; the migrations after the
         * one it stands for (none, once data/make_schema.sh has run) follow. */
        if ((rc = store_exec(s, store_schema_sql, "creating the database"))) goto fail;
        from = (int)store_schema_sql_version;
    }
    for (int v = from; v < latest; v++) {
        rc = store_exec(s, store_migration_sql[v], "upgrading the database");
        if (rc) goto fail;
    }
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", latest);
    if ((rc = store_exec(s, sql, "upgrading the database"))) goto fail;
    if ((rc = store_search_refresh(s))) goto fail;
    char dev[32];
    if (!store_meta_get(s, "device_id", dev, sizeof dev)) {
        snprintf(dev, sizeof dev, "%lld", (long long)random_device_id());
        if ((rc = store_meta_set(s, "device_id", dev))) goto fail;
        if ((rc = store_meta_set(s, "counter", "0"))) goto fail;
    }
    if ((rc = store_exec(s, "COMMIT", "upgrading the database"))) goto fail;
    return EXIT_OK;
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* Tells a caseload database from another program's SQLite file before anything is written: a
 * caseload database carries STORE_APPLICATION_ID (migration 0013), or, made before it, has a
 * schema version and caseload's own tables with its device id; an empty file (no tables, no
 * version) is a new database (*is_new). Anything else is left untouched: EXIT_IO. */
static int identify(store *s, bool *is_new)
{
    long long tables, app, version;
    int rc = read_number(s, "SELECT count(*) FROM sqlite_master", &tables);
    if (rc == SQLITE_OK) rc = read_number(s, "PRAGMA application_id", &app);
    if (rc == SQLITE_OK) rc = read_number(s, "PRAGMA user_version", &version);
    if (rc != SQLITE_OK) return store_fail(s, rc, "opening the database");
    *is_new = tables == 0 && version == 0 && (app == 0 || app == STORE_APPLICATION_ID);
    if (*is_new) return EXIT_OK;
    if (app == 0 && version != 0) {
        long long ours = 0, device = 0;
        if (read_number(s,
                        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                        "('meta', 'children', 'referrals')",
                        &ours) == SQLITE_OK &&
            ours == 3 &&
            read_number(s, "SELECT count(*) FROM meta WHERE key = 'device_id'", &device) ==
                SQLITE_OK &&
            device == 1)
            app = STORE_APPLICATION_ID;
    }
    if (app != STORE_APPLICATION_ID) {
        char id[48] = "no application_id";
        if (app) snprintf(id, sizeof id, "application_id 0x%08llx", (unsigned long long)app);
        snprintf(s->err, sizeof s->err,
                 "not a caseload database (a SQLite file of another program: %s, %lld table%s): "
                 "it was left untouched",
                 id, tables, tables == 1 ? "" : "s");
        return EXIT_IO;
    }
    return version_ok(s, version);
}

/* Creates the folder (0700) and an empty file (0600) so SQLite never creates it with the umask. */
static int create_file(const char *path, char *errmsg, int n)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            snprintf(errmsg, (size_t)n, "%s: cannot create folder %s: %s", path, dir,
                     strerror(errno));
            return EXIT_IO;
        }
        *p = '/';
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {
        snprintf(errmsg, (size_t)n, "%s: cannot create the database: %s", path, strerror(errno));
        return EXIT_IO;
    }
    if (fd >= 0) close(fd);
    return EXIT_OK;
}

void store_folder(const char *path, char *out, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, n, ".");
    else if (slash == path)
        snprintf(out, n, "/");
    else
        snprintf(out, n, "%.*s", (int)(slash - path), path);
}

/* The size of path + suffix, -1 when it does not exist. */
static long long file_size(const char *path, const char *suffix)
{
    char name[4200];
    snprintf(name, sizeof name, "%s%s", path, suffix);
    struct stat st;
    return stat(name, &st) == 0 ? (long long)st.st_size : -1;
}

/* Whether the database file says it is in WAL mode (bytes 18 and 19 of its header are 2). */
static bool header_says_wal(const char *path)
{
    unsigned char h[20];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool wal = read(fd, h, sizeof h) == (ssize_t)sizeof h && h[18] == 2 && h[19] == 2;
    close(fd);
    return wal;
}

/* file:PATH?immutable=1, with the characters a URI gives a meaning to escaped. */
static void immutable_uri(const char *path, char *out, size_t n)
{
    size_t o = (size_t)snprintf(out, n, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p && o + 4 < n; p++) {
        if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 || *p >= 0x7f)
            o += (size_t)snprintf(out + o, n - o, "%%%02X", *p);
        else
            out[o++] = (char)*p;
    }
    snprintf(out + o, n - o, "?immutable=1");
}

/* A database in WAL mode can be read only with its -shm file (the WAL index) beside it, which
 * SQLite makes when missing. When the folder cannot take one, a database on a read-only file
 * system (a CD, a write-protected stick, a read-only mount), whose every change is in the main
 * file (no -wal, or an empty one), is opened as immutable: nobody can change it meanwhile. Else
 * the message says why it cannot be read. Returns EXIT_OK when *s was reopened. */
static int no_wal_index(store *s, const char *path)
{
    if (!header_says_wal(path) || file_size(path, "-shm") >= 0) return EXIT_IO;
    char dir[4096];
    store_folder(path, dir, sizeof dir);
    struct statvfs vfs;
    bool media_ro = statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
    if (media_ro && file_size(path, "-wal") <= 0) {
        char uri[8400];
        immutable_uri(path, uri, sizeof uri);
        sqlite3_close(s->db);
        s->db = NULL;
        int rc = sqlite3_open_v2(
            uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
        if (rc != SQLITE_OK) return store_fail(s, rc, "opening the database");
        sqlite3_extended_result_codes(s->db, 1);
        store_set_busy(s, s->busy_ms);
        s->readonly = true;
        return store_search_register(s);
    }
    snprintf(s->err, sizeof s->err,
             "the database is read-only here and cannot be read: it needs its -shm file (SQLite's "
             "index of the write-ahead "
             "log) beside it, and none can be made in its folder (%s)%s",
             media_ro ? "a read-only file system" : "the folder is not writable",
             media_ro ? ", while its -wal file holds changes not yet in the database: copy both "
                        "files where they can be written"
                      : ": open it once where the folder can be written, or copy it");
    return EXIT_IO;
}

/* PRAGMA journal_mode = WAL. SQLite answers busy at once, without its busy handler, when another
 * connection holds the file just then (another program opening the same new database, say):
 * retried here as the busy handler would, up to the busy timeout. */
static int set_wal(store *s)
{
    for (int count = 0;; count++) {
        int rc = sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if ((rc & 0xff) != SQLITE_BUSY || !on_busy(s, count))
            return rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, "opening the database");
    }
}

int store_open(const char *path, int flags, store **out, char *errmsg, int n)
{
    /* caseload is one thread and reads no memory statistics: SQLite's mutexes and its memory
     * accounting are pure cost (about a tenth of a large import's instructions). Only a call
     * before SQLite starts takes effect; later ones are refused (SQLITE_MISUSE), harmlessly. */
    (void)sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    *out = NULL;
    errmsg[0] = '\0';
    bool ro = flags & STORE_READONLY;
    struct stat stb;
    bool exists = stat(path, &stb) == 0;
    if (!exists && ro) {
        snprintf(errmsg, (size_t)n, "%s: no such database", path);
        return EXIT_IO;
    }
    if (!exists) {
        int rc = create_file(path, errmsg, n);
        if (rc) return rc;
    }
    store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(errmsg, (size_t)n, "%s: out of memory", path);
        return EXIT_IO;
    }
    s->readonly = ro;
    /* A connection opened read-only leaves the -wal and -shm files it needed behind, empty:
     * store_close removes those it made (see there). */
    if (ro && file_size(path, "-wal") < 0 && file_size(path, "-shm") < 0) s->tidy = strdup(path);
    int oflags = ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    int rc = sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    int code = EXIT_OK;
    if (rc != SQLITE_OK) {
        code = store_fail(s, rc, "opening the database");
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    store_set_busy(s, store_busy_timeout_ms());
    if ((code = store_search_register(s))) goto fail;
    if (sqlite3_db_readonly(s->db, "main") == 1) s->readonly = true;
    /* Reading the schema is the first thing that tells a database from another file, and a
     * caseload database from another program's. */
    bool is_new = false;
    code = identify(s, &is_new);
    if (code && s->readonly && no_wal_index(s, path) == EXIT_OK) code = identify(s, &is_new);
    if (code) goto fail;
    if ((code = store_exec(s,
                           "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; "
                           "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;",
                           "opening the database")))
        goto fail;
    if (!s->readonly && is_new) {
        /* An empty file given to become the database is made private, as a new one is. */
        if (exists && (stb.st_mode & 077) && chmod(path, 0600) != 0) {
            snprintf(s->err, sizeof s->err, "cannot make the new database private (0600): %s",
                     strerror(errno));
            code = EXIT_IO;
            goto fail;
        }
        /* A new database gets 16 KB pages (written in its header with the journal mode, next):
         * a quarter of the pages of 4 KB ones for the same rows, so a large import splits,
         * journals and writes a quarter as many (about 0.5 s of 4 for 100,000 referrals). An
         * existing database keeps its own. */
        if ((code = store_exec(s, "PRAGMA page_size = 16384", "opening the database"))) goto fail;
    }
    if (!s->readonly && (code = set_wal(s))) goto fail;
    if ((code = migrate(s))) goto fail;
    char dev[32];
    if (store_meta_get(s, "device_id", dev, sizeof dev)) s->device = strtoll(dev, NULL, 10);
    /* Children purged before migration 0014 are erased again from what still held them. */
    if (!s->readonly && (code = privacy_erase_old_tombstones(s))) goto fail;
    *out = s;
    return EXIT_OK;
fail:
    snprintf(errmsg, (size_t)n, "%s: %s", path, s->err);
    store_close(s);
    return code;
}

void store_close(store *s)
{
    if (!s) return;
    syncstore_free(s);
    for (int i = 0; i < s->ncache; i++)
        sqlite3_finalize(s->cache[i].stmt);
    sqlite3_close(s->db);
    /* A read-only connection found no -wal or -shm at open and made them; when they are still
     * there, a connection that may write opens the file and closes it again: being the last,
     * SQLite then removes them itself, as it does for any last connection (never while another
     * program has the database open). Nothing in the database changes. */
    if (s->tidy && file_size(s->tidy, "-wal") >= 0 && access(s->tidy, W_OK) == 0) {
        sqlite3 *db = NULL;
        if (sqlite3_open_v2(s->tidy, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) ==
            SQLITE_OK)
            sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
        sqlite3_close(db);
    }
    free(s->tidy);
    free(s);
}
