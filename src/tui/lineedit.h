/* lineedit: a UTF-8 text editor that edits like a shell line (arrows, Home/End,
 * Backspace, Delete, Ctrl-A/E/U/K/W/Y), on one line or, with multiline, on several (notes: then
 * Home/End and Ctrl-U/K work on the line the cursor is on, and lineedit_wrap lays the text out in
 * rows). The editing is pure (no curses): the form widget maps its
 * keys to lineedit_insert / lineedit_do and draws what lineedit_view says. Only printable
 * characters get in: control characters, invalid UTF-8 and surrogates are refused (or, from
 * lineedit_set, replaced by U+FFFD), so the text can always be drawn as it is. */
#ifndef CASELOAD_TUI_LINEEDIT_H
#define CASELOAD_TUI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lineedit {
    char *text;     /* NUL-terminated UTF-8; never NULL after lineedit_init */
    size_t len;     /* bytes of text */
    size_t cap;     /* bytes allocated */
    size_t cur;     /* cursor: byte offset, always on a character boundary */
    size_t max;     /* most bytes the text may hold; 0 for no limit */
    size_t scroll;  /* first byte shown (kept by lineedit_view) */
    char *kill;     /* the text last cut by Ctrl-U/K/W, for Ctrl-Y; NULL when none */
    bool changed;   /* something was typed or deleted since init / set */
    bool multiline; /* newlines may go in (notes and summaries), as any other character */
} lineedit;

typedef enum {
    LE_LEFT,          /* ←, Ctrl-B */
    LE_RIGHT,         /* →, Ctrl-F */
    LE_HOME,          /* Home, Ctrl-A */
    LE_END,           /* End, Ctrl-E */
    LE_WORD_LEFT,     /* to the start of the word before the cursor */
    LE_WORD_RIGHT,    /* to the end of the word after the cursor */
    LE_BACKSPACE,     /* Backspace, Ctrl-H: the character before the cursor */
    LE_DELETE,        /* Delete, Ctrl-D: the character under the cursor */
    LE_KILL_TO_START, /* Ctrl-U: everything before the cursor */
    LE_KILL_TO_END,   /* Ctrl-K: everything from the cursor on */
    LE_KILL_WORD,     /* Ctrl-W: the word before the cursor (and the blanks after it) */
    LE_YANK           /* Ctrl-Y: inserts the text last cut */
} lineedit_op;

/* An empty editor that holds at most max bytes (0: no limit). Aborts when memory runs out. */
void lineedit_init(lineedit *e, size_t max);
void lineedit_free(lineedit *e);
/* Replaces the text (NULL means empty), cursor at the end, changed false. Bytes that are not
 * printable UTF-8 become U+FFFD (in a multi-line editor newlines stay and tabs are spaces); text
 * beyond max is cut at a character boundary. */
void lineedit_set(lineedit *e, const char *s);
/* The text (never NULL). */
const char *lineedit_text(const lineedit *e);
/* Inserts the code point at the cursor. Returns false (and changes nothing) for a control
 * character, a surrogate, a value above U+10FFFF, or when it would exceed max. */
bool lineedit_insert(lineedit *e, uint32_t cp);
/* Inserts each character of a UTF-8 string; stops at the first one refused. Returns whether all
 * of it went in. */
bool lineedit_insert_str(lineedit *e, const char *s);
/* Inserts pasted text at the cursor: CR LF and CR become newlines, which stay in a multi-line
 * editor and become spaces in a one-line one, as tabs do; other control characters and invalid
 * UTF-8 are dropped; the paste stops at max. Returns whether all of it went in. */
bool lineedit_paste(lineedit *e, const char *s, size_t n);
/* Applies an editing operation. Returns true when the text or the cursor changed. */
bool lineedit_do(lineedit *e, lineedit_op op);
/* The operation bound to a control byte (Ctrl-A = 1 ... Ctrl-Y = 25, 127 DEL = Backspace), or -1.
 */
int lineedit_control_op(int ch);
/* Display columns of n bytes of UTF-8 (wide characters count 2, combining marks 0). Depends on
 * the LC_CTYPE locale for wcwidth; characters it does not know count 1. */
int lineedit_width(const char *s, size_t n);
/* For a field width columns wide: sets *start to the first byte to draw and *len to how many
 * bytes fit, and returns the column of the cursor inside the field. Scrolls (e->scroll) only as
 * much as needed to keep the cursor visible. */
int lineedit_view(lineedit *e, int width, size_t *start, size_t *len);
/* Decodes one UTF-8 character at s (n bytes available): sets *cp and returns its length, or
 * returns 0 for an invalid, overlong or truncated sequence. */
size_t lineedit_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* A row of a multi-line text wrapped at a width: len bytes from start (without the newline
 * that may end it). */
typedef struct lineedit_row {
    size_t start, len;
} lineedit_row;
/* Wraps the text into rows of width columns: a newline ends a row; a row too long ends before
 * the word that does not fit (a word longer than the row is cut where the row is full). A row's
 * text takes at most width - 1 columns, so the cursor has a cell after it; a space at the wrap
 * stays at the end of its row. Returns the rows (malloc'd; aborts when memory runs out), *n of
 * them, at least one. */
lineedit_row *lineedit_wrap(const lineedit *e, int width, int *n);
/* The row of rows (n of them, from lineedit_wrap) the cursor is in; *col (may be NULL) its
 * column in that row. */
int lineedit_cursor_row(const lineedit *e, const lineedit_row *rows, int n, int *col);
/* Moves the cursor to the row above (dir -1) or below (dir 1) of the text wrapped at width, to
 * the same column or the end of that row. Returns false, moving nothing, from the first or the
 * last row. */
bool lineedit_row_move(lineedit *e, int width, int dir);

#endif
