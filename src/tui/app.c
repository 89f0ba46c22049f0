/* app.c: the full-screen app's frame. One key table {action, keys, label, screens} drives the key
 * dispatch, the `?` help and the hint line. Handlers return reaction flags (tui.h) and one render
 * pass per loop draws the current screen. The terminal is restored on every way out: a normal
 * quit, exit() on a fatal error (atexit), SIGINT/SIGTERM/SIGHUP/SIGQUIT and a crash
 * (SIGABRT/SIGSEGV/SIGBUS/SIGFPE, re-raised after restoring). */
#include "app.h"
#include "caseload/exitcode.h"
#include "caseload/scoring.h"
#include "caseload/tui.h"
#include "forms.h"
#include "screen_report.h"
#include "termcheck.h"
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

typedef struct {
    tui_action action;
    int keys[6];       /* 0-terminated */
    const char *names; /* as shown in help */
    const char *label;
    const char *hint;      /* short label for the hint line */
    unsigned screens;      /* where the key works (and is listed by `?`) */
    unsigned hint_screens; /* where the hint line shows it */
} key_def;

static const key_def keytab[] = {
    {ACT_DOWN,
     {'j', FK(KEY_DOWN)},
     "j Down",
     "move down",
     "j/k scroll",
     SCR_MAIN | SCR_DETAIL | SCR_HELP | SCR_REPORT,
     SCR_REPORT},
    {ACT_UP,
     {'k', FK(KEY_UP)},
     "k Up",
     "move up",
     NULL,
     SCR_MAIN | SCR_DETAIL | SCR_HELP | SCR_REPORT,
     0},
    {ACT_TOP,
     {'g', FK(KEY_HOME)},
     "g Home",
     "go to the top",
     NULL,
     SCR_MAIN | SCR_DETAIL | SCR_REPORT,
     0},
    {ACT_END,
     {'G', FK(KEY_END)},
     "G End",
     "go to the end",
     NULL,
     SCR_MAIN | SCR_DETAIL | SCR_REPORT,
     0},
    {ACT_PGDN, {FK(KEY_NPAGE)}, "PgDn", "next page", NULL, SCR_MAIN | SCR_DETAIL | SCR_HELP, 0},
    {ACT_PGDN, {' ', FK(KEY_NPAGE)}, "Space PgDn", "next page", NULL, SCR_REPORT, 0},
    {ACT_PGUP,
     {FK(KEY_PPAGE)},
     "PgUp",
     "previous page",
     NULL,
     SCR_MAIN | SCR_DETAIL | SCR_HELP | SCR_REPORT,
     0},
    {ACT_PREV_ISSUE, {'['}, "[", "previous issue type", NULL, SCR_MAIN, 0},
    {ACT_NEXT_ISSUE, {']'}, "]", "next issue type", "[ ] issue", SCR_MAIN, SCR_MAIN},
    {ACT_FOCUS, {'\t'}, "Tab", "move focus between the sidebar and the list", NULL, SCR_MAIN, 0},
    {ACT_OPEN,
     {'\n', '\r', FK(KEY_ENTER)},
     "Enter",
     "open the selected referral",
     "Enter open",
     SCR_MAIN,
     SCR_MAIN},
    {ACT_SEARCH,
     {'/'},
     "/",
     "filter as you type (name, UPN, ref, school, summary)",
     "/ search",
     SCR_MAIN,
     SCR_MAIN},
    {ACT_CLEAR, {ESC}, "Esc", "clear the filter", NULL, SCR_MAIN, 0},
    {ACT_FILTER,
     {'f'},
     "f",
     "filter by status, band, officer, follow-up",
     "f filter",
     SCR_MAIN,
     SCR_MAIN},
    {ACT_NEW, {'n'}, "n", "new referral", "n new", SCR_MAIN | SCR_DETAIL, SCR_MAIN},
    {ACT_ACTION, {'a'}, "a", "add an action", "a action", SCR_MAIN | SCR_DETAIL, SCR_DETAIL},
    {ACT_OUTCOME, {'o'}, "o", "record an outcome", "o outcome", SCR_MAIN | SCR_DETAIL, SCR_DETAIL},
    {ACT_CLOSE, {'c'}, "c", "close the referral", "c close", SCR_MAIN | SCR_DETAIL, SCR_DETAIL},
    {ACT_EDIT,
     {'e'},
     "e",
     "edit status, officer, issue, risk flag",
     "e edit",
     SCR_MAIN | SCR_DETAIL,
     SCR_DETAIL},
    {ACT_DUE,
     {'F'},
     "F",
     "follow-ups due today and overdue, earliest first (again: the whole list)",
     "F due",
     SCR_MAIN,
     SCR_MAIN},
    {ACT_DONE, {'d'}, "d", "mark a pending follow-up done", "d done", SCR_DETAIL, SCR_DETAIL},
    {ACT_REPORTS, {'r'}, "r", "reports", "r reports", SCR_MAIN, SCR_MAIN},
    {ACT_PREV_REPORT, {'[', FK(KEY_LEFT)}, "[ Left", "the previous report", NULL, SCR_REPORT, 0},
    {ACT_NEXT_REPORT,
     {']', '\t', FK(KEY_RIGHT)},
     "] Tab Right",
     "the next report",
     "Left/Right report",
     SCR_REPORT,
     SCR_REPORT},
    {ACT_PICK_REPORT,
     {'1', '2', '3', '4', '5'},
     "1-5",
     "summary, suspensions, attendance, cme, admissions",
     "1-5",
     SCR_REPORT,
     SCR_REPORT},
    {ACT_PERIOD,
     {'p'},
     "p",
     "the period (from and to, both days included)",
     "p period",
     SCR_REPORT,
     SCR_REPORT},
    {ACT_WRITE,
     {'w'},
     "w",
     "write the report to a file as csv, md or xlsx",
     "w write csv/md",
     SCR_REPORT,
     SCR_REPORT},
    {ACT_HELP,
     {'?'},
     "?",
     "help: the keys of this screen",
     "? help",
     SCR_MAIN | SCR_DETAIL | SCR_REPORT,
     SCR_MAIN | SCR_DETAIL | SCR_REPORT},
    {ACT_QUIT, {'q'}, "q", "quit", "q quit", SCR_MAIN, SCR_MAIN},
    {ACT_BACK,
     {'q', ESC},
     "q Esc",
     "back",
     "q back",
     SCR_DETAIL | SCR_REPORT,
     SCR_DETAIL | SCR_REPORT},
    {ACT_BACK, {'q', ESC, '?'}, "q Esc ?", "back", "q back", SCR_HELP, SCR_HELP},
};
#define NKEYS ((int)(sizeof keytab / sizeof keytab[0]))

tui_action tui_key_action(int key, int screen)
{
    for (int i = 0; i < NKEYS; i++) {
        if (!(keytab[i].screens & (unsigned)screen)) continue;
        for (int k = 0; k < 6 && keytab[i].keys[k]; k++)
            if (keytab[i].keys[k] == key) return keytab[i].action;
    }
    return ACT_NONE;
}

void tui_draw_hints(tui *t, int screen)
{
    char line[512] = "";
    size_t used = 0;
    for (int i = 0; i < NKEYS; i++) {
        if (!(keytab[i].hint_screens & (unsigned)screen) || !keytab[i].hint) continue;
        int k = snprintf(line + used, sizeof line - used, " %s ", keytab[i].hint);
        if (k < 0 || (size_t)k >= sizeof line - used) break;
        used += (size_t)k;
    }
    attrset(tui_attr(t, TUI_PAIR_DIM));
    tui_text(stdscr, LINES - 1, 0, COLS, line);
    attrset(A_NORMAL);
}

/* ---- help ---- */

static int help_lines(int screen)
{
    int n = 0;
    for (int i = 0; i < NKEYS; i++)
        if (keytab[i].screens & (unsigned)screen) n++;
    return n;
}

static void help_draw(tui *t, int screen, int scroll)
{
    erase();
    attrset(tui_attr(t, TUI_PAIR_TITLE));
    tui_text(stdscr, 0, 0, COLS,
             screen == SCR_MAIN     ? " Help: keys of the main screen"
             : screen == SCR_REPORT ? " Help: keys of the reports screen"
                                    : " Help: keys of the referral screen");
    attrset(A_NORMAL);
    int y = 2, row = 0;
    for (int i = 0; i < NKEYS && y < LINES - 2; i++) {
        if (!(keytab[i].screens & (unsigned)screen)) continue;
        if (row++ < scroll) continue;
        attrset(A_BOLD);
        tui_text(stdscr, y, 2, 12, keytab[i].names);
        attrset(A_NORMAL);
        tui_text(stdscr, y, 15, COLS - 16, keytab[i].label);
        y++;
    }
    tui_draw_status(t);
    tui_draw_hints(t, SCR_HELP);
}

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

void tui_help(tui *t, int screen)
{
    int scroll = 0;
    for (;;) {
        if (tui_too_small())
            tui_draw_too_small();
        else
            help_draw(t, screen, scroll);
        refresh();
        char utf8[8];
        int key = read_key(utf8, sizeof utf8);
        if (key == FK(TUI_KEY_PASTE)) tui_read_paste(NULL, 0); /* never keys */
        switch (key == -1 ? ACT_NONE : tui_key_action(key, SCR_HELP)) {
        case ACT_BACK: return;
        case ACT_DOWN:
        case ACT_PGDN:
            if (scroll + 1 < help_lines(screen)) scroll++;
            break;
        case ACT_UP:
        case ACT_PGUP:
            if (scroll > 0) scroll--;
            break;
        default: break;
        }
    }
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

int tui_run(store *db, const config *cfg, date_t as_of, date_t (*today_fn)(void))
{
    if (!tui_has_terminal()) return EXIT_USAGE;

    tui t;
    memset(&t, 0, sizeof t);
    t.db = db;
    t.cfg = cfg;
    t.as_of = as_of;
    browse_filter_default(&t.filter);

    /* On a new day every score is computed again (seconds on a million referrals): say so. */
    int rc = scoring_refresh(db, cfg, as_of, isatty(STDERR_FILENO), NULL);
    if (rc == EXIT_BUSY)
        tui_status_error(&t, "scores: database busy, scores may be out of date; try again");
    else if (rc) {
        fprintf(stderr, "caseload: %s\n", store_error(db));
        return rc;
    }

    setlocale(LC_ALL, "");
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
    start_curses(&t);
    store_on_wait(db, show_waiting, &t);

    main_view mv;
    main_init(&mv);
    detail_view *dv = detail_new();
    if (!dv) {
        restore_terminal();
        fprintf(stderr, "caseload: out of memory\n");
        return EXIT_IO;
    }
    int screen = SCR_MAIN;
    int flags = TUI_RELOAD | TUI_REDRAW;
    bool msg_shown = false;
    long long seen = store_data_version(db);
    for (;;) {
        if (flags & TUI_QUIT) break;
        if (flags & TUI_RELOAD) {
            flags |= main_reload(&t, &mv);
            if (screen == SCR_DETAIL) flags |= detail_load(&t, dv, detail_id(dv));
            flags |= TUI_REDRAW;
        }
        if (flags & TUI_REDRAW) {
            if (tui_too_small()) {
                tui_draw_too_small();
            } else {
                touchwin(stdscr);
                if (screen == SCR_MAIN)
                    main_draw(&t, &mv);
                else
                    detail_draw(&t, dv);
                refresh();
            }
            msg_shown = t.status_msg[0] != '\0';
        }
        if (mv.overdue_pending) {
            flags = main_idle(&t, &mv);
            if (screen == SCR_MAIN) continue; /* draw the count */
        }
        flags = TUI_NONE;
        char utf8[8];
        /* Waiting for a key, the app looks every second whether another program (an import, an
         * officer's app on a shared copy) has changed the database, and whether midnight has
         * passed (without --as-of, today is the local date: an app left open overnight shows the
         * new day's scores and days open): then its stale scores are computed and the screen is
         * read again. */
        timeout(1000);
        int key = read_key(utf8, sizeof utf8);
        timeout(-1);
        long long version = store_data_version(db);
        date_t today = today_fn ? today_fn() : t.as_of;
        if (version != seen || today != t.as_of) {
            seen = version;
            t.as_of = today;
            rc = scoring_refresh(db, cfg, t.as_of, false, NULL);
            if (rc) tui_status_store(&t, rc, "scores");
            flags |= TUI_RELOAD;
        }
        if (key == -1) continue;
        if (msg_shown) { /* a message stays on screen until the next key */
            t.status_msg[0] = '\0';
            msg_shown = false;
            flags |= TUI_REDRAW;
        }
        if (key == FK(KEY_RESIZE)) {
            flags |= TUI_RELOAD;
            continue;
        }
        if (key == FK(TUI_KEY_PASTE)) {
            /* Pasted text goes into the search being typed (newlines as spaces), never runs as
             * keys. */
            char paste[sizeof t.filter.text];
            size_t n = tui_read_paste(paste, sizeof paste);
            if (screen == SCR_MAIN && mv.searching) {
                for (size_t i = 0; i < n; i++)
                    if ((unsigned char)paste[i] < 0x20 || paste[i] == 0x7f) paste[i] = ' ';
                flags |= main_search_input(&t, &mv, paste, false);
            } else {
                tui_status(&t, "Pasted text goes into a field being typed (/ or a form)");
                flags |= TUI_REDRAW;
            }
            continue;
        }
        if (tui_too_small()) {
            if (key == 'q') break;
            continue;
        }
        if (screen == SCR_MAIN && mv.searching) {
            if (key == ESC) {
                flags |= main_action(&t, &mv, ACT_CLEAR);
            } else if (key == '\n' || key == '\r' || key == FK(KEY_ENTER)) {
                mv.searching = false;
                flags |= TUI_REDRAW;
            } else if (key == FK(KEY_BACKSPACE) || key == 127 || key == 8) {
                flags |= main_search_input(&t, &mv, "", true);
            } else if (key >= 0x20 && key != 127 && !(key & 0x40000000) && utf8[0]) {
                flags |= main_search_input(&t, &mv, utf8, false);
            } else {
                tui_action a = tui_key_action(key, SCR_MAIN);
                if (a == ACT_DOWN || a == ACT_UP || a == ACT_PGDN || a == ACT_PGUP)
                    flags |= main_action(&t, &mv, a);
            }
            continue;
        }
        tui_action a = tui_key_action(key, screen);
        if (a == ACT_NONE) continue;
        if (a == ACT_HELP) {
            tui_help(&t, screen);
            flags |= TUI_RELOAD; /* the window may have changed size meanwhile */
            continue;
        }
        if (a == ACT_QUIT) break;
        switch (screen) {
        case SCR_MAIN:
            if (a == ACT_OPEN) {
                if (!t.selected) break;
                flags |= detail_open(&t, dv, t.selected);
                screen = SCR_DETAIL;
                flags |= TUI_REDRAW;
            } else if (a == ACT_REPORTS) {
                flags |= tui_reports(&t) | TUI_REDRAW;
            } else {
                flags |= main_action(&t, &mv, a);
            }
            break;
        case SCR_DETAIL:
            if (a == ACT_BACK) {
                screen = SCR_MAIN;
                flags |= TUI_REDRAW;
            } else {
                flags |= detail_action(&t, dv, a);
            }
            break;
        }
    }
    restore_terminal();
    detail_free(dv);
    main_free(&mv);
    return EXIT_OK;
}
