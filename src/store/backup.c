/* backup.c: `caseload backup FILE`: a consistent copy of the database, made while other programs
 * go on working, that never overwrites a file and never exists half-written. */
#include "store_internal.h"

#include "caseload/exitcode.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Makes the new name of a file in path's folder last (fsync of the folder); best effort. */
static void sync_folder(const char *path)
{
    char dir[4096];
    store_folder(path, dir, sizeof dir);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)fsync(fd);
    close(fd);
}

/* Copies the database into the empty file tmp in one backup step: the source is read under one
 * read transaction, so the copy is the database as of one moment. */
static int copy_into(store *s, const char *tmp)
{
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    /* No journal beside the copy: until it is linked under its name it is only a temporary
     * file, thrown away on failure. It is synced once, at the end. */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(dst, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL, NULL,
                          NULL);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
        if (!b) {
            rc = sqlite3_errcode(dst);
        } else {
            rc = sqlite3_backup_step(b, -1);
            int frc = sqlite3_backup_finish(b);
            if (rc == SQLITE_DONE) rc = frc;
        }
    }
    int code = EXIT_OK;
    if (rc != SQLITE_OK) {
        int primary = rc & 0xff;
        if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
            code = store_fail(s, rc, "making the backup");
        else if (primary == SQLITE_FULL)
            code = store_fail(s, rc, "making the backup");
        else {
            snprintf(s->err, sizeof s->err, "making the backup: %s",
                     dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
            code = EXIT_IO;
        }
    }
    sqlite3_close(dst);
    return code;
}

/* Gives tmp the name path, never replacing a file of that name: link (which fails when path
 * exists), or, where the file system has no links (FAT, on a memory stick), rename when path is
 * still missing. Returns 0 or an errno (EEXIST when path exists). */
static int place(const char *tmp, const char *path)
{
    if (link(tmp, path) == 0) return 0;
    if (errno == EEXIST) return EEXIST;
    struct stat st;
    if (lstat(path, &st) == 0) return EEXIST;
    return rename(tmp, path) == 0 ? 0 : errno;
}

int store_backup(store *s, const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0) {
        snprintf(s->err, sizeof s->err, "%s exists: a backup never replaces a file; name a new one",
                 path);
        return EXIT_IO;
    }
    int rc = store_quick_check(s);
    if (rc) return rc;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.partial-XXXXXX", path);
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0) {
        snprintf(s->err, sizeof s->err, "%s: cannot write the backup: %s", path, strerror(errno));
        return EXIT_IO;
    }
    rc = copy_into(s, tmp);
    if (!rc && fsync(fd) != 0) {
        snprintf(s->err, sizeof s->err, "%s: cannot write the backup: %s", path, strerror(errno));
        rc = EXIT_IO;
    }
    close(fd);
    int err = rc ? 0 : place(tmp, path);
    if (err) {
        if (err == EEXIST)
            snprintf(s->err, sizeof s->err,
                     "%s exists: a backup never replaces a file; name a new one", path);
        else
            snprintf(s->err, sizeof s->err, "%s: cannot write the backup: %s", path, strerror(err));
        rc = EXIT_IO;
    }
    unlink(tmp); /* after a rename, there is none */
    if (!rc) sync_folder(path);
    return rc;
}
