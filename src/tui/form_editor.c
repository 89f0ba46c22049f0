/* form_editor.c: a note edited in $VISUAL or $EDITOR (Ctrl-X Ctrl-E in a note, form.h). The
 * screen is left (def_prog_mode, endwin), the note is written to a 0600 file in a private
 * directory (mkdtemp under $TMPDIR, 0700), the editor runs on it, the text is read back and
 * cleaned by the note's own rule (lineedit_paste: CR LF a newline, a tab a space, other control
 * characters and invalid UTF-8 left out, no more than the field holds), and the directory is
 * emptied (an editor's backup and swap files too) and removed on every way out, a SIGHUP or
 * SIGTERM meanwhile too (the app then ends as the signal says): the note is about a child and
 * must not stay on disk. Only SIGKILL can leave it. Then the screen comes back as it was. */
#include "form.h"
#include "form_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { READ_MAX = 256 * 1024 }; /* the most read back: far more than any note holds */

static const char *editor_command(void)
{
    const char *v = getenv("VISUAL");
    if (v && *v) return v;
    v = getenv("EDITOR");
    if (v && *v) return v;
    return "vi";
}

/* Removes the files in dir (what the editor left there too) and dir itself. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            char p[PATH_MAX];
            if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) < (int)sizeof p) unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

static bool write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        s += w;
        n -= (size_t)w;
    }
    return true;
}

/* Makes the private directory (dir, PATH_MAX bytes) and the file (path) holding text and a final
 * newline. Returns false with why set, leaving nothing behind. */
static bool make_file(const char *text, char *dir, char *path, char *why, size_t nwhy)
{
    const char *base = getenv("TMPDIR");
    if (!base || base[0] != '/') base = "/tmp";
    snprintf(dir, PATH_MAX, "%s/caseload-note.XXXXXX", base);
    if (!mkdtemp(dir)) {
        snprintf(why, nwhy, "Could not make a private directory in %.200s: %s", base,
                 strerror(errno));
        return false;
    }
    int fd = snprintf(path, PATH_MAX, "%s/note.txt", dir) < PATH_MAX
                 ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)
                 : (errno = ENAMETOOLONG, -1);
    bool ok = fd >= 0 && write_all(fd, text, strlen(text)) && write_all(fd, "\n", 1);
    int err = errno;
    if (fd >= 0 && close(fd) != 0 && ok) ok = false, err = errno;
    if (!ok) {
        snprintf(why, nwhy, "Could not write the note for the editor: %s", strerror(err));
        remove_dir(dir);
    }
    return ok;
}

/* The signals that end the app (SIGHUP, SIGTERM) while the note is on disk: noted, so that the
 * note is removed before the app ends as the signal says; Ctrl-C (SIGINT, SIGQUIT) is the
 * editor's, as system() does it. */
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

typedef struct {
    struct sigaction intr, quit, hup, term;
} saved_signals;

static void guard_signals(saved_signals *old)
{
    struct sigaction ign = {.sa_handler = SIG_IGN}, stop = {.sa_handler = on_stop};
    sigemptyset(&ign.sa_mask);
    sigemptyset(&stop.sa_mask); /* no SA_RESTART: waitpid returns at once */
    stop_signal = 0;
    sigaction(SIGINT, &ign, &old->intr);
    sigaction(SIGQUIT, &ign, &old->quit);
    sigaction(SIGHUP, &stop, &old->hup);
    sigaction(SIGTERM, &stop, &old->term);
}

static void restore_signals(const saved_signals *old)
{
    sigaction(SIGINT, &old->intr, NULL);
    sigaction(SIGQUIT, &old->quit, NULL);
    sigaction(SIGHUP, &old->hup, NULL);
    sigaction(SIGTERM, &old->term, NULL);
}

/* Runs the editor command on path, as a shell would ("emacs -nw" works), the screen left; a
 * signal that ends the app ends the editor too. Returns the wait status, or -1 when it could not
 * be started. */
static int run_editor(const char *cmd, const char *path)
{
    char script[PATH_MAX + 64];
    snprintf(script, sizeof script, "%s \"$1\"", cmd);
    int status = -1;
    pid_t pid = stop_signal ? -1 : fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        execl("/bin/sh", "sh", "-c", script, "sh", path, (char *)NULL);
        _exit(127);
    }
    bool killed = false;
    while (pid > 0 && waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            status = -1;
            break;
        }
        if (stop_signal && !killed) killed = kill(pid, SIGTERM) == 0;
    }
    return status;
}

/* Reads path back (at most READ_MAX bytes) into a malloc'd buffer, *n bytes, without the
 * newlines at its end. NULL with why set when it cannot be read. */
static char *read_back(const char *path, size_t *n, char *why, size_t nwhy)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    char *buf = fd >= 0 ? malloc(READ_MAX + 1) : NULL;
    size_t len = 0;
    bool ok = buf != NULL;
    while (ok && len <= READ_MAX) {
        ssize_t r = read(fd, buf + len, READ_MAX + 1 - len);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) ok = false;
        if (r <= 0) break;
        len += (size_t)r;
    }
    int err = errno;
    if (fd >= 0) close(fd);
    if (!ok || len > READ_MAX) {
        snprintf(why, nwhy, "%s: the note is unchanged",
                 ok ? "The edited note is far too long" : "Could not read the edited note");
        if (!ok && fd < 0)
            snprintf(why, nwhy, "The editor left no note (%s): unchanged", strerror(err));
        free(buf);
        return NULL;
    }
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        len--;
    buf[len] = '\0';
    *n = len;
    return buf;
}

/* What the editor's wait status says went wrong ("" when it ended well), into why. */
static void editor_failure(int status, const char *cmd, char *why, size_t nwhy)
{
    why[0] = '\0';
    if (status == -1)
        snprintf(why, nwhy, "Could not start the editor: the note is unchanged");
    else if (WIFEXITED(status) && (WEXITSTATUS(status) == 127 || WEXITSTATUS(status) == 126))
        snprintf(why, nwhy,
                 "Could not run the editor '%.60s': set VISUAL or EDITOR. The note is unchanged",
                 cmd);
    else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        snprintf(why, nwhy, "The editor ended with status %d: the note is unchanged",
                 WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(why, nwhy, "The editor was stopped by signal %d: the note is unchanged",
                 WTERMSIG(status));
}

/* Puts the text read back (n bytes) into note fl, cleaned by its rule and cut at its most. */
static void take_text(form *f, form_field *fl, const char *s, size_t n)
{
    lineedit e;
    lineedit_init(&e, 0);
    e.multiline = true;
    bool all = lineedit_paste(&e, s, n);
    bool cut = fl->edit.max && e.len > fl->edit.max;
    if (strcmp(lineedit_text(&e), lineedit_text(&fl->edit)) != 0) {
        lineedit_set(&fl->edit, lineedit_text(&e)); /* cut at a character boundary */
        fl->edit.changed = true;
        form_edited(f);
    }
    char msg[200];
    if (cut) {
        snprintf(msg, sizeof msg,
                 "The edited note is longer than the %zu bytes a note holds: its end is left out",
                 fl->edit.max);
        form_set_error(f, fl->name, msg);
    } else if (!all) {
        form_set_error(f, fl->name, "What in the edited note is not text was left out");
    }
    lineedit_free(&e);
}

void form_edit_note(form *f, form_field *fl)
{
    char dir[PATH_MAX], path[PATH_MAX], why[320] = "";
    const char *cmd = editor_command();
    def_prog_mode();
    fputs("\033[?2004l", stdout); /* bracketed paste off for the editor */
    fflush(stdout);
    endwin();
    saved_signals old;
    guard_signals(&old);
    if (make_file(lineedit_text(&fl->edit), dir, path, why, sizeof why)) {
        int status = run_editor(cmd, path);
        editor_failure(status, cmd, why, sizeof why);
        size_t n = 0;
        char *text = why[0] ? NULL : read_back(path, &n, why, sizeof why);
        remove_dir(dir); /* before anything else can go wrong */
        if (text && !stop_signal) take_text(f, fl, text, n);
        free(text);
    }
    restore_signals(&old);
    if (stop_signal) raise(stop_signal); /* the note gone, the app ends as it would have */
    reset_prog_mode();
    fputs("\033[?2004h", stdout);
    fflush(stdout);
    clearok(curscr, TRUE);
    refresh();
    if (why[0]) form_set_error(f, fl->name, why);
}
