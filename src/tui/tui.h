/* tui: what the screens of the full-screen app share (internal to src/tui). The app state, the
 * reaction flags every key handler and form returns, colour pairs, and the drawing helpers that
 * every screen uses for data text (so control characters never reach the terminal). */
#ifndef CASELOAD_TUI_INTERNAL_H
#define CASELOAD_TUI_INTERNAL_H

#include "caseload/browse.h"
#include "caseload/config.h"
#include "caseload/date.h"
#include "caseload/score.h"
#include "caseload/store.h"
#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

/* Reaction flags: what a handler or form needs done before the next key. */
enum {
    TUI_NONE = 0,   /* nothing changed */
    TUI_REDRAW = 1, /* draw the screen again */
    TUI_RELOAD = 2, /* the data changed: fetch the rows, counts and detail again (and redraw) */
    TUI_QUIT = 4,   /* leave the app */
    TUI_BACK = 8,   /* close this screen: back to the one it was opened from (screen.h) */
    TUI_OPEN = 16,  /* open the screen t->open_screen over this one (tui_open) */
    /* Nothing handled the action (tui_key_common's answer for one it does not know): the loop
     * ignores it; test_screen_actions fails when an action of the key table gets it on a screen
     * the table lists it for. */
    TUI_UNHANDLED = 32,
    /* An idle op has more work (a slice of counting, say): the loop reads a key typed meanwhile
     * without waiting, then calls the idle ops again. */
    TUI_IDLE_MORE = 64
};

/* Colour pairs (init_pair numbers). With colour off, tui_attr gives a monochrome attribute. */
enum {
    TUI_PAIR_RED = 1,
    TUI_PAIR_AMBER,
    TUI_PAIR_GREEN,
    TUI_PAIR_SELECTED, /* the selected row */
    TUI_PAIR_TITLE,    /* headings, the bar at the top */
    TUI_PAIR_OVERDUE,  /* an overdue follow-up */
    TUI_PAIR_STATUS,   /* the status and hint lines */
    TUI_PAIR_ERROR,    /* an error in the status line */
    TUI_PAIR_DIM,      /* secondary text */
    TUI_NPAIRS
};

typedef struct tui {
    store *db;
    const config *cfg;
    date_t as_of;
    bool color;           /* false with NO_COLOR or a terminal without colours */
    int64_t selected;     /* the selected referral id, 0 when the list is empty */
    browse_filter filter; /* the main list's filter (issue type, `/` text, `f` choices) */
    char status_msg[256]; /* shown in the status line until the next key */
    bool status_is_error;
    bool sidebar_focus;   /* Tab: the sidebar has the focus */
    unsigned open_screen; /* with TUI_OPEN: the screen to open (SCR_* of keys.h) */
    int64_t open_arg;     /* and what it is opened for (screen.h) */
} tui;

/* Asks the app to open screen (an SCR_* flag of keys.h) over the current one, for arg (a
 * referral id, a child id, the screen help is about: each screen says). q on it comes back.
 * Returns the flags to return from the key's handler (TUI_OPEN | TUI_REDRAW). */
static inline int tui_open(tui *t, unsigned screen, int64_t arg)
{
    t->open_screen = screen;
    t->open_arg = arg;
    return TUI_OPEN | TUI_REDRAW;
}

/* Bracketed paste: the terminal sends pasted text between ESC[200~ and ESC[201~, which the app
 * defines as these two keys (get_wch: KEY_CODE_YES). Pasted text never runs as keys. */
#define TUI_KEY_PASTE (KEY_MAX + 1)
#define TUI_KEY_PASTE_END (KEY_MAX + 2)
/* After TUI_KEY_PASTE: reads the pasted text up to its end as UTF-8 into out (n bytes, NUL
 * ended; what does not fit is read and dropped; out may be NULL to drop it all). Returns the
 * bytes kept. */
size_t tui_read_paste(char *out, size_t n);

/* Draws s at (y, x) in exactly width columns: control characters and escape sequences are shown as
 * visible placeholders (text_sanitize), UTF-8 is measured with wcwidth, the text is cut to the
 * width (never splitting a wide character) and padded with spaces. Uses the window's current
 * attributes. Nothing is drawn when width <= 0. */
void tui_text(WINDOW *w, int y, int x, int width, const char *s);
/* Columns s takes once sanitized (as tui_text would draw it uncut). */
int tui_text_width(const char *s);
/* The attribute for a colour pair, or a monochrome stand-in when colour is off. */
attr_t tui_attr(const tui *t, int pair);
/* The attribute of a band (red/amber/green). */
attr_t tui_band_attr(const tui *t, score_band_t b);
/* Sets the status-line message (printf-style), e.g. "database busy, try again"; shown at the next
 * draw and cleared by the key after. tui_status_error marks it as an error. */
void tui_status(tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_status_error(tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reports a store failure (rc of exitcode.h, message of store_error) in the status line:
 * "database busy, try again" for EXIT_BUSY. Returns TUI_REDRAW, for a key handler to return. */
int tui_status_store(tui *t, int rc, const char *what);
/* Whether the terminal is below 80x24; then tui_draw_too_small draws the message and callers
 * draw nothing else. */
bool tui_too_small(void);
void tui_draw_too_small(void);
/* Draws the status line (the message, if any) on the last-but-one line of stdscr. */
void tui_draw_status(tui *t);

#endif
