/* main_view: the main screen's state (screen_main.c) and its counts (main_counts.c). */
#ifndef CASELOAD_TUI_MAIN_VIEW_H
#define CASELOAD_TUI_MAIN_VIEW_H

#include "tui.h"

/* What a page found slice by slice (main_fill_start) does to the screen when it comes: the
 * window's rows replaced (FILL_RELOAD: and, when fewer than a screen, the list's last rows shown),
 * or rows added below or above it with the selection moved on (main_shift_in). */
enum { FILL_WINDOW, FILL_RELOAD, FILL_DOWN, FILL_UP };

/* The main screen's state: the rows on screen, the counts of the sidebar and the status line. */
typedef struct main_view {
    browse_row *rows; /* the rows on screen (cap of them) */
    int n, cap;
    int cur;               /* index of the selected row in rows */
    long issue_counts[16]; /* per issue type under every filter but the issue (the sidebar) */
    long all_count;
    long total_counts[16]; /* per issue type, every status */
    long total_all;
    long overdue;
    bool overdue_pending; /* the overdue count is due (done by main_idle after drawing) */
    long shown;           /* rows matching the filter */
    long total;           /* rows of the issue type, without the filter */
    bool searching;       /* `/` is taking the keys */
    /* A search finished slice by slice in main_idle (browse_scan): the sidebar's counts of a
     * short text (browse_counts_sliced) or of any filter whose counts ran out of time, and a page
     * that ran out of time (its rows so far shown, "searching..."). Until done, the counts and
     * the count shown are pending (counting), and so is the page (filling). */
    bool counting, filling;
    browse_scan counts_scan, page_scan;
    bool page_in_counts; /* the page asked of counts_scan (before its first slice), not page_scan */
    int fill_kind;       /* FILL_* */
    int fill_move;       /* FILL_DOWN / FILL_UP: how many rows the selection still moves */
} main_view;

/* What load_counts reads again besides the count of rows shown. */
enum {
    COUNTS_SHOWN = 0,
    COUNTS_SIDEBAR =
        1,         /* the sidebar: per issue type under every other filter (a filter changed) */
    COUNTS_ALL = 3 /* that and the totals and overdue follow-ups (the data changed) */
};

/* The counts of `what`, and always the count of rows matching the filter, exact: at once, or,
 * for a short text or when they run out of time, pending (counted slice by slice after drawing,
 * main_scan_slice). Returns TUI_* flags. */
int main_load_counts(tui *t, main_view *v, int what);
/* Asks for the page of kind (FILL_*) that browse_page(_before) cut short at its budget: the limit
 * rows before or after key (NULL: the end or the top), found slice by slice; move: FILL_DOWN /
 * FILL_UP's rows the selection still moves. Forgets a page asked before. */
int main_fill_start(tui *t, main_view *v, int kind, bool before, const browse_key *key, int limit,
                    int move);
/* Forgets the page asked (a new page is read). */
void main_fill_cancel(main_view *v);
/* One slice of the pending search, the page's first; when the counts are done they are shown
 * (TUI_REDRAW), when the page is, *page is its scan (for browse_scan_rows, then main_fill_cancel).
 * Returns TUI_IDLE_MORE while more is pending. */
int main_scan_slice(tui *t, main_view *v, const browse_scan **page);
/* The got rows of page added below the window (keeping its last h rows), the selection moved down
 * by `by`; returns how far it could not move (past the last row). */
int main_shift_below(main_view *v, int h, const browse_row *page, int got, int by);
/* The same above the window (keeping its first h rows), the selection moved up. */
int main_shift_above(main_view *v, int h, const browse_row *page, int got, int by);
/* Frees the scans. */
void main_scan_free(main_view *v);

#endif
