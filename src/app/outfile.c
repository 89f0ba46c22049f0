/* outfile.c: files written atomically, 0600, without overwriting by accident (see outfile.h). */
#include "caseload/outfile.h"

#include "caseload/exitcode.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Makes o->path the full path of path: its folder resolved (symbolic links and ..), then its
 * name. Returns 0 or an errno value (the folder does not exist, ...). */
static int full_path(outfile *o, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    char dir[4096];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    char *real = realpath(dir, NULL);
    if (!real) {
        int e = errno;
        /* Name what was asked for, made absolute, so the message still says where. */
        char cwd[2048];
        if (path[0] != '/' && getcwd(cwd, sizeof cwd))
            snprintf(o->path, sizeof o->path, "%s/%.2000s", cwd, path);
        else
            snprintf(o->path, sizeof o->path, "%.4000s", path);
        return e;
    }
    int w = snprintf(o->path, sizeof o->path, "%s%s%s", real, strcmp(real, "/") ? "/" : "", name);
    free(real);
    return w < 0 || (size_t)w >= sizeof o->path ? ENAMETOOLONG : 0;
}

int outfile_open(outfile *o, const char *path, bool force, char *errmsg, size_t n)
{
    memset(o, 0, sizeof *o);
    o->force = force;
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        snprintf(errmsg, n, "'%s' is a folder, not a file name", path);
        return EXIT_USAGE;
    }
    int e = full_path(o, path);
    if (e) {
        snprintf(errmsg, n, "cannot write %s: %s", o->path, strerror(e));
        return EXIT_IO;
    }
    struct stat st;
    if (lstat(o->path, &st) == 0) {
        if (S_ISDIR(st.st_mode) || (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))) {
            snprintf(errmsg, n, "%s exists and is not a regular file", o->path);
            return EXIT_USAGE;
        }
        if (!force) {
            snprintf(errmsg, n, "%s exists (--force replaces it)", o->path);
            return EXIT_USAGE;
        }
    }
    const char *base = strrchr(o->path, '/') + 1;
    int w = snprintf(o->tmp, sizeof o->tmp, "%.*s.%s.XXXXXX", (int)(base - o->path), o->path, base);
    if (w < 0 || (size_t)w >= sizeof o->tmp) {
        snprintf(errmsg, n, "cannot write %s: %s", o->path, strerror(ENAMETOOLONG));
        return EXIT_IO;
    }
    int fd = mkostemp(o->tmp, O_CLOEXEC);
    if (fd < 0) {
        snprintf(errmsg, n, "cannot write %s: %s", o->path, strerror(errno));
        o->tmp[0] = '\0';
        return EXIT_IO;
    }
    /* mkstemp asks for 0600 less the umask; make it exactly 0600 (a umask of 0277 would leave
     * a file its owner cannot write). */
    if (fchmod(fd, 0600) != 0 || !(o->f = fdopen(fd, "wb"))) {
        snprintf(errmsg, n, "cannot write %s: %s", o->path, strerror(errno));
        close(fd);
        unlink(o->tmp);
        o->tmp[0] = '\0';
        return EXIT_IO;
    }
    return EXIT_OK;
}

/* Renames tmp to path, never replacing a file that exists unless force. Returns 0 or errno. */
static int put_in_place(const outfile *o)
{
    if (o->force) return rename(o->tmp, o->path) == 0 ? 0 : errno;
    if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->path, RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS) return errno;
    /* A file system without RENAME_NOREPLACE: a hard link also fails when path exists. */
    if (link(o->tmp, o->path) == 0) {
        unlink(o->tmp);
        return 0;
    }
    if (errno == EEXIST) return EEXIST;
    struct stat st;
    if (lstat(o->path, &st) == 0) return EEXIST;
    return rename(o->tmp, o->path) == 0 ? 0 : errno;
}

int outfile_commit(outfile *o, char *errmsg, size_t n)
{
    int e = 0;
    if (fflush(o->f) != 0 || ferror(o->f)) e = errno ? errno : EIO;
    if (!e && fsync(fileno(o->f)) != 0) e = errno;
    if (fclose(o->f) != 0 && !e) e = errno ? errno : EIO;
    o->f = NULL;
    if (!e) e = put_in_place(o);
    if (e) {
        if (e == EEXIST)
            snprintf(errmsg, n, "%s exists (--force replaces it)", o->path);
        else
            snprintf(errmsg, n, "writing %s failed: %s", o->path, strerror(e));
        outfile_abort(o);
        return e == EEXIST ? EXIT_USAGE : EXIT_IO;
    }
    o->tmp[0] = '\0';
    /* The rename itself survives a power cut once the folder is synced. */
    char dir[4096];
    const char *base = strrchr(o->path, '/');
    snprintf(dir, sizeof dir, "%.*s", base == o->path ? 1 : (int)(base - o->path), o->path);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return EXIT_OK;
}

void outfile_abort(outfile *o)
{
    if (o->f) fclose(o->f);
    o->f = NULL;
    if (o->tmp[0]) unlink(o->tmp);
    o->tmp[0] = '\0';
}

void outfile_expand_home(const char *path, char *out, size_t n)
{
    const char *home = getenv("HOME");
    if (path[0] == '~' && (path[1] == '/' || !path[1]) && home && *home)
        snprintf(out, n, "%s%s", home, path + 1);
    else
        snprintf(out, n, "%s", path);
}
