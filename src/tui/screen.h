/* screen: what a screen of the full-screen app is to the app's loop (app.c). Each screen is one
 * file (screen_*.c) exporting a const screen_ops, listed in the table of screens.c; the loop
 * keeps a stack of open screens and drives the top one through its ops: load, draw, the keys of
 * its flag in the key table (keys.h) as actions, idle work after drawing, free. A screen opens
 * another with tui_open (tui.h) and leaves with TUI_BACK: the one below is shown again, so a
 * screen opened from two places returns to whichever opened it. Internal to src/tui. */
#ifndef CASELOAD_TUI_SCREEN_H
#define CASELOAD_TUI_SCREEN_H

#include "keys.h"
#include "tui.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A key as the loop read it, for the screen's action op. */
typedef struct tui_keypress {
    int key;           /* the character, or FK(curses key); 0 for ACT_PASTE */
    const char *utf8;  /* a character typed, as UTF-8 ("" for a function key) */
    const char *paste; /* ACT_PASTE: the text pasted (NUL ended, paste_len bytes) */
    size_t paste_len;
} tui_keypress;

typedef struct screen_ops {
    unsigned id; /* its SCR_* flag: its keys in the key table, its help title */
    /* A new screen's state (zeroed; NULL when out of memory). */
    void *(*create)(void);
    /* Reads what the screen shows. opening: it was just opened for arg (tui_open's arg); else
     * the data or the window's size changed (keep the place). Returns TUI_* flags; on failure
     * sets the status line. */
    int (*load)(tui *t, void *s, int64_t arg, bool opening);
    /* Draws the whole screen on stdscr (erase first; the loop refreshes). */
    void (*draw)(tui *t, void *s);
    /* Every key read while the screen is on top: a, the key table's action for its flag (maybe
     * ACT_NONE), and k, the key itself. What it does not handle goes to tui_key_common (whose
     * TUI_UNHANDLED it returns). Returns TUI_* flags. */
    int (*action)(tui *t, void *s, tui_action a, const tui_keypress *k);
    /* Work left for after the screen is drawn (called for every open screen each time the top
     * one has been drawn); TUI_NONE when there is none. */
    int (*idle)(tui *t, void *s);
    void (*free)(void *s);
} screen_ops;

extern const screen_ops screen_main_ops, screen_detail_ops, screen_report_ops, screen_help_ops,
    screen_conflicts_ops;
extern const screen_ops screen_child_ops, screen_access_ops, screen_retention_ops;

/* The idle op of a screen that has no work left after drawing: TUI_NONE. */
int screen_no_idle(tui *t, void *s);

/* The screens (screens.c), *n of them. */
const screen_ops *const *tui_screens(int *n);
/* The screen whose flag is id, or NULL. */
const screen_ops *tui_screen_find(unsigned id);

#endif
