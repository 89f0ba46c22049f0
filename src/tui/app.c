/* app.c: the full-screen app's frame. The open screens are a stack (screen.h; the table of
 * screens is screens.c): the loop draws the top one, runs every screen's idle work, reads a key,
 * turns it into the top screen's action through the one key table (keys.c) and applies the
 * reaction flags (tui.h) the handler returns: reload, redraw, open a screen, back, quit. The
 * terminal is restored on every way out: a normal quit, exit() on a fatal error (atexit),
 * SIGINT/SIGTERM/SIGHUP/SIGQUIT and a crash (SIGABRT/SIGSEGV/SIGBUS/SIGFPE, re-raised after
 * restoring). */
#include "caseload/exitcode.h"
#include "caseload/scoring.h"
#include "caseload/tui.h"
#include "screen.h"
#include "termcheck.h"
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

/* ---- terminal setup and restoring ---- */

static volatile sig_atomic_t curses_on;

static void restore_terminal(void)
{
    if (curses_on) {
        curses_on = 0;
        fputs("\033[?2004l", stdout); /* bracketed paste off */
        fflush(stdout);
        endwin();
    }
}

static void on_signal(int sig)
{
    restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static bool want_color(void)
{
    const char *nc = getenv("NO_COLOR");
    return !(nc && nc[0]) && has_colors();
}

static void start_curses(tui *t)
{
    initscr();
    curses_on = 1;
    cbreak();
    noecho();
    nonl();
    /* Ctrl-S saves a form: the terminal must not take it for XOFF, which would freeze it. */
    struct termios tio;
    if (tcgetattr(STDIN_FILENO, &tio) == 0) {
        tio.c_iflag &= ~(tcflag_t)IXON;
        if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) == 0) def_prog_mode();
    }
    keypad(stdscr, TRUE);
    /* Bracketed paste: pasted text arrives as one TUI_KEY_PASTE, never as keys. */
    define_key("\033[200~", TUI_KEY_PASTE);
    define_key("\033[201~", TUI_KEY_PASTE_END);
    fputs("\033[?2004h", stdout);
    fflush(stdout);
    set_escdelay(25);
    curs_set(0);
    t->color = want_color();
    if (t->color) {
        start_color();
        use_default_colors();
        init_pair(TUI_PAIR_RED, COLOR_RED, -1);
        init_pair(TUI_PAIR_AMBER, COLOR_YELLOW, -1);
        init_pair(TUI_PAIR_GREEN, COLOR_GREEN, -1);
        init_pair(TUI_PAIR_SELECTED, COLOR_BLACK, COLOR_CYAN);
        init_pair(TUI_PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
        init_pair(TUI_PAIR_OVERDUE, COLOR_RED, -1);
        init_pair(TUI_PAIR_STATUS, COLOR_BLACK, COLOR_WHITE);
        init_pair(TUI_PAIR_ERROR, COLOR_WHITE, COLOR_RED);
        init_pair(TUI_PAIR_DIM, COLOR_CYAN, -1);
    }
}

/* Reads a key: characters as their code point (UTF-8 in *utf8), function keys as FK(code). */
static int read_key(char *utf8, size_t n)
{
    wint_t ch;
    int r = get_wch(&ch);
    utf8[0] = '\0';
    if (r == ERR) return -1;
    if (r == KEY_CODE_YES) return FK((int)ch);
    mbstate_t st;
    memset(&st, 0, sizeof st);
    char tmp[MB_LEN_MAX + 1];
    size_t l = wcrtomb(tmp, (wchar_t)ch, &st);
    if (l != (size_t)-1 && l < n) {
        memcpy(utf8, tmp, l);
        utf8[l] = '\0';
    }
    return (int)ch;
}

/* Another program holds the database: say so at once, instead of a screen that seems frozen
 * for up to the busy timeout. */
static void show_waiting(void *ctx)
{
    tui *t = ctx;
    if (!curses_on) return;
    attrset(tui_attr(t, TUI_PAIR_STATUS));
    tui_text(stdscr, LINES - 2, 0, COLS,
             " waiting for the database\xe2\x80\xa6 (another program is writing)");
    attrset(A_NORMAL);
    refresh();
}

/* ---- the loop ---- */

bool tui_has_terminal(void)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "caseload: the full-screen app needs a terminal; give a command "
                        "(caseload --help lists them)\n");
        return false;
    }
    char why[320];
    if (!tui_terminal_usable(why, sizeof why)) {
        fprintf(stderr, "caseload: %s\n", why);
        return false;
    }
    return true;
}

/* ---- the stack of open screens ---- */

enum { MAX_OPEN = 16 };

typedef struct {
    const screen_ops *ops;
    void *state;
    int64_t arg; /* what it was opened for */
} open_screen;

typedef struct {
    open_screen s[MAX_OPEN];
    int n;
} screen_stack;

/* Opens screen id for arg on top of the stack. Returns TUI_* flags. */
static int stack_open(tui *t, screen_stack *st, unsigned id, int64_t arg)
{
    const screen_ops *ops = tui_screen_find(id);
    if (!ops) return TUI_NONE;
    if (st->n == MAX_OPEN) {
        tui_status_error(t, "too many screens open (q closes one)");
        return TUI_REDRAW;
    }
    void *state = ops->create();
    if (!state) {
        tui_status_error(t, "out of memory");
        return TUI_REDRAW;
    }
    st->s[st->n++] = (open_screen){ops, state, arg};
    return ops->load(t, state, arg, true) | TUI_REDRAW;
}

/* Closes the top screen (never the first). */
static void stack_back(screen_stack *st)
{
    if (st->n <= 1) return;
    open_screen *o = &st->s[--st->n];
    o->ops->free(o->state);
}

/* Applies what the top screen's handler asked about the stack (TUI_OPEN, TUI_BACK); returns the
 * flags left for the loop. */
static int stack_apply(tui *t, screen_stack *st, int flags)
{
    while (flags & (TUI_OPEN | TUI_BACK)) {
        if (flags & TUI_BACK) {
            flags &= ~TUI_BACK;
            stack_back(st);
            flags |= TUI_REDRAW;
        } else {
            flags &= ~TUI_OPEN;
            flags |= stack_open(t, st, t->open_screen, t->open_arg);
        }
    }
    return flags;
}

/* Restores the terminal on every signal that ends the app, a crash included. */
static void catch_signals(void)
{
    atexit(restore_terminal);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
    /* A crash must not leave the terminal in raw mode either. */
    sigaction(SIGABRT, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
}

/* The loop's state. */
typedef struct {
    tui t;
    screen_stack st;
    bool msg_shown; /* the status message has been drawn (the next key clears it) */
    long long seen; /* the database's data version last read */
    date_t (*today_fn)(void);
} app_loop;

/* Reloads every open screen (the ones below are shown again after q). */
static int reload_all(app_loop *l)
{
    int flags = TUI_REDRAW;
    for (int i = 0; i < l->st.n; i++)
        flags |= l->st.s[i].ops->load(&l->t, l->st.s[i].state, l->st.s[i].arg, false);
    return flags;
}

static void draw_top(app_loop *l)
{
    open_screen *top = &l->st.s[l->st.n - 1];
    if (tui_too_small()) {
        tui_draw_too_small();
    } else {
        touchwin(stdscr);
        top->ops->draw(&l->t, top->state);
        refresh();
    }
    l->msg_shown = l->t.status_msg[0] != '\0';
}

/* Work left for after drawing (the main screen's overdue count), of every open screen; the top
 * screen's flags are returned (its result is drawn at once). */
static int idle_all(app_loop *l)
{
    int flags = TUI_NONE;
    for (int i = 0; i < l->st.n; i++) {
        int f = l->st.s[i].ops->idle(&l->t, l->st.s[i].state);
        if (i == l->st.n - 1) flags |= f;
        flags |= f & TUI_IDLE_MORE; /* the screens below the top one go on working too */
    }
    return flags;
}

/* Waits up to wait_ms (a second when the screens have no idle work left) for a key (-1 when none
 * came). Meanwhile, the app looks whether another program (an import, an officer's app on a shared
 * copy) has changed the database, and whether midnight has passed (without --as-of, today is the
 * local date: an app left open overnight shows the new day's scores and days open): then its stale
 * scores are computed and *flags asks for the screens to be read again. */
static int wait_key(app_loop *l, char *utf8, size_t n, int *flags, int wait_ms)
{
    timeout(wait_ms);
    int key = read_key(utf8, n);
    timeout(-1);
    long long version = store_data_version(l->t.db);
    date_t today = l->today_fn ? l->today_fn() : l->t.as_of;
    if (version != l->seen || today != l->t.as_of) {
        l->seen = version;
        l->t.as_of = today;
        int rc = scoring_refresh(l->t.db, l->t.cfg, l->t.as_of, false, NULL);
        if (rc) tui_status_store(&l->t, rc, "scores");
        *flags |= TUI_RELOAD;
    }
    return key;
}

/* A key read: the top screen's action for it. Returns TUI_* flags. */
static int dispatch_key(app_loop *l, int key, const char *utf8)
{
    int flags = TUI_NONE;
    if (l->msg_shown) { /* a message stays on screen until the next key */
        l->t.status_msg[0] = '\0';
        l->msg_shown = false;
        flags |= TUI_REDRAW;
    }
    if (key == FK(KEY_RESIZE)) return flags | TUI_RELOAD;
    open_screen *top = &l->st.s[l->st.n - 1];
    tui_keypress kp = {key, utf8, "", 0};
    tui_action a;
    char paste[sizeof l->t.filter.text];
    if (key == FK(TUI_KEY_PASTE)) {
        /* Pasted text never runs as keys: the screen puts it into a field being typed. */
        kp.paste_len = tui_read_paste(paste, sizeof paste);
        kp.paste = paste;
        kp.key = 0;
        a = ACT_PASTE;
    } else if (tui_too_small()) {
        /* Nothing is drawn: only q works (quits, or closes a screen opened over another). */
        a = tui_key_action(key, top->ops->id);
        if (key == 'q' && a == ACT_QUIT) flags |= TUI_QUIT;
        if (key == 'q' && a == ACT_BACK) flags |= TUI_BACK;
        return flags;
    } else {
        a = tui_key_action(key, top->ops->id);
    }
    return flags | (top->ops->action(&l->t, top->state, a, &kp) & ~TUI_UNHANDLED);
}

/* Runs the screens until one quits. */
static void run_loop(app_loop *l, int flags)
{
    for (;;) {
        flags = stack_apply(&l->t, &l->st, flags);
        if (flags & TUI_QUIT) return;
        if (flags & TUI_RELOAD) {
            flags = (flags & ~TUI_RELOAD) | reload_all(l);
            if (flags & (TUI_OPEN | TUI_BACK | TUI_QUIT)) continue;
        }
        if (flags & TUI_REDRAW) draw_top(l);
        flags = idle_all(l);
        bool more = (flags & TUI_IDLE_MORE) != 0;
        flags &= ~TUI_IDLE_MORE;
        if (flags != TUI_NONE) continue;
        char utf8[8];
        /* Idle work left: only a key already typed, then the next piece of it. */
        int key = wait_key(l, utf8, sizeof utf8, &flags, more ? 0 : 1000);
        if (key != -1) flags |= dispatch_key(l, key, utf8);
    }
}

int tui_run(store *db, const config *cfg, date_t as_of, date_t (*today_fn)(void))
{
    if (!tui_has_terminal()) return EXIT_USAGE;

    app_loop l;
    memset(&l, 0, sizeof l);
    tui *t = &l.t;
    t->db = db;
    t->cfg = cfg;
    t->as_of = as_of;
    l.today_fn = today_fn;
    browse_filter_default(&t->filter);

    /* On a new day every score is computed again (seconds on a million referrals): say so. */
    int rc = scoring_refresh(db, cfg, as_of, isatty(STDERR_FILENO), NULL);
    if (rc == EXIT_BUSY)
        tui_status_error(t, "scores: database busy, scores may be out of date; try again");
    else if (rc) {
        fprintf(stderr, "caseload: %s\n", store_error(db));
        return rc;
    }

    setlocale(LC_ALL, "");
    catch_signals();
    start_curses(t);
    store_on_wait(db, show_waiting, t);

    int flags = stack_open(t, &l.st, SCR_MAIN, 0);
    if (l.st.n == 0) {
        restore_terminal();
        fprintf(stderr, "caseload: out of memory\n");
        return EXIT_IO;
    }
    l.seen = store_data_version(db);
    run_loop(&l, flags);
    while (l.st.n > 1)
        stack_back(&l.st);
    restore_terminal();
    l.st.s[0].ops->free(l.st.s[0].state);
    return EXIT_OK;
}
