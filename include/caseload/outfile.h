/* outfile: writing an export or a report to a file named on the command line or in the app, the
 * same way everywhere: an existing file is kept unless the caller says to replace it, the file is
 * created 0600 whatever the umask (it holds children's data), the text goes to a temporary file
 * beside it that is renamed into place only once it is whole (a full disk or a kill leaves the
 * old file, or none, never half of one), and messages name the full path. */
#ifndef CASELOAD_OUTFILE_H
#define CASELOAD_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    FILE *f;         /* write here (the temporary file) until outfile_commit */
    char path[4096]; /* the file asked for, as a full path */
    char tmp[4096];  /* the temporary file beside it, mode 0600 */
    bool force;      /* replace path if it exists */
} outfile;

/* Starts writing path (relative to the working directory or absolute). Refuses with EXIT_USAGE
 * when path exists and force is false ("PATH exists (--force replaces it)"), when path exists and
 * is not a regular file, or when path is empty; EXIT_IO when the folder is missing or not
 * writable. On success o->f is open on a new empty temporary file of mode 0600 in path's folder;
 * finish with outfile_commit or outfile_abort. errmsg (n bytes) names o->path on failure. */
int outfile_open(outfile *o, const char *path, bool force, char *errmsg, size_t n);
/* Flushes and syncs the temporary file and renames it to o->path (without force, refusing when
 * path has appeared meanwhile). Returns EXIT_OK, EXIT_USAGE (it appeared) or EXIT_IO (writing
 * failed: disk full, ...); on failure the temporary file is removed and path is left as it was. */
int outfile_commit(outfile *o, char *errmsg, size_t n);
/* Closes and removes the temporary file; path is left as it was. Safe after a failed commit. */
void outfile_abort(outfile *o);
/* path typed in the app, into out (n bytes): ~ alone or ~/ in front is the home folder ($HOME,
 * when set), as in a shell; any other path as it is. */
void outfile_expand_home(const char *path, char *out, size_t n);

#endif
