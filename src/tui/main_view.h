/* main_view: the main screen's state (screen_main.c) and its counts (main_counts.c). */
#ifndef CASELOAD_TUI_MAIN_VIEW_H
#define CASELOAD_TUI_MAIN_VIEW_H

#include "tui.h"

/* The counts read under a filter stop at COUNT_CAP ("N+"). */
enum { COUNT_CAP = 10000 };

/* The main screen's state: the rows on screen, the counts of the sidebar and the status line. */
typedef struct main_view {
    browse_row *rows; /* the rows on screen (cap of them) */
    int n, cap;
    int cur;               /* index of the selected row in rows */
    long issue_counts[16]; /* per issue type under every filter but the issue (the sidebar) */
    long all_count;
    bool counts_more;      /* the sidebar's counts stopped at a cap or a time budget: "N+" */
    long total_counts[16]; /* per issue type, every status */
    long total_all;
    long overdue;
    bool overdue_pending; /* the overdue count is due (done by main_idle after drawing) */
    long shown;           /* rows matching the filter (capped, then shown_more) */
    bool shown_more;
    long total;     /* rows of the issue type, without the filter */
    bool searching; /* `/` is taking the keys */
    /* The sidebar's counts of a short text (browse_counts_sliced), slice by slice in main_idle:
     * until done, they and the count shown are pending. */
    bool counting;
    int64_t count_from;
    long slice_counts[16], slice_all;
} main_view;

/* What load_counts reads again besides the count of rows shown. */
enum {
    COUNTS_SHOWN = 0,
    COUNTS_SIDEBAR =
        1,         /* the sidebar: per issue type under every other filter (a filter changed) */
    COUNTS_ALL = 3 /* that and the totals and overdue follow-ups (the data changed) */
};

/* The counts of `what`, and always the count of rows matching the filter (a short text's
 * sidebar counts and count shown are pending: counted slice by slice after drawing,
 * main_count_slice). Returns TUI_* flags. */
int main_load_counts(tui *t, main_view *v, int what);
/* One slice of the sidebar's counts of a short text (v->counting); when the last is done, they
 * are shown: TUI_REDRAW; TUI_IDLE_MORE before. */
int main_count_slice(tui *t, main_view *v);

#endif
