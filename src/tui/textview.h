/* textview: the one scrolling text view of the full-screen app (the referral screen, the reports
 * screen and help). It holds lines of text, each drawn in one colour pair (bold or not), wraps
 * the long ones at the screen's width without cutting anything (at a space where it can; rows
 * after the first start under the text, after its prefix), and scrolls by rows with the key
 * table's moves: j/k, PgDn/PgUp, g/G. Text is made safe when added (text_sanitize: control
 * characters and escape sequences never reach the terminal); a newline starts a new row, a tab
 * is a space.
 * Internal to src/tui. */
#ifndef CASELOAD_TUI_TEXTVIEW_H
#define CASELOAD_TUI_TEXTVIEW_H

#include "keys.h"
#include "tui.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct textview_line {
    char *text;       /* sanitized, no newline */
    size_t prefix;    /* bytes at the start of text drawn before the wrapped part (a label) */
    int indent;       /* the columns the wrapped part starts at (the prefix's width) */
    int pair;         /* TUI_PAIR_* or 0 */
    bool bold;        /* the whole line bold */
    bool bold_prefix; /* the prefix bold */
} textview_line;

typedef struct textview_row {
    int line;     /* index in lines */
    size_t start; /* bytes of the line's text on this row: [start, start + len) */
    size_t len;
} textview_row;

typedef struct textview {
    textview_line *lines;
    int nlines, cap;
    textview_row *rows; /* the lines wrapped at width (textview_layout) */
    int nrows, rowcap;
    int width;  /* the width rows were wrapped at; 0 when they are to be wrapped again */
    int margin; /* columns kept free at the right edge of the screen */
    int scroll; /* the first row shown */
    int height; /* the rows shown by the last draw (a page) */
    bool lost;  /* out of memory: some text is not shown */
} textview;

/* An empty view wrapping margin columns short of the screen's right edge. */
void textview_init(textview *tv, int margin);
/* Drops every line, keeping the scroll position (a reload shows the same place). */
void textview_clear(textview *tv);
void textview_free(textview *tv);
/* Adds text (NULL as "") after prefix (a label; "" for none): one line per newline of text, the
 * lines after the first start under the text. */
void textview_add(textview *tv, int pair, bool bold, const char *prefix, const char *text);
/* textview_add of a formatted line with no prefix. */
void textview_addf(textview *tv, int pair, bool bold, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The last line added bold in its prefix only (help's key names). */
void textview_bold_prefix(textview *tv);
/* Wraps the lines at width columns (done by textview_draw at the screen's width). */
void textview_layout(textview *tv, int width);
/* Draws height rows from the scroll position at rows y.. of stdscr (the whole width). */
void textview_draw(tui *t, textview *tv, int y, int height);
/* " lines A-B of N": the rows shown by the last draw. */
void textview_position(const textview *tv, char *out, size_t n);
/* Applies a move of the key table (ACT_DOWN, ACT_UP, ACT_PGDN, ACT_PGUP, ACT_TOP, ACT_END) and
 * returns true with *flags TUI_REDRAW when the view moved, TUI_NONE when it was already there;
 * false for any other action. */
bool textview_key(textview *tv, tui_action a, int *flags);

#endif
