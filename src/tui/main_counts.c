/* main_counts.c: the main screen's counts (the sidebar's per issue type, the count shown, the
 * totals) and its search finished after the screen is drawn: the counts at once from
 * referral_counts or the list's queries, or, for a text of one or two characters or when they
 * run out of time, slice by slice (browse_scan), and so a page that ran out of time. Either way
 * the answer is the one with no time budget: the budget only decides when it comes. */
#include "main_view.h"

#include "caseload/exitcode.h"
#include <limits.h>
#include <stdint.h>
#include <string.h>

/* The sidebar's count of the chosen type is the count shown. */
static void shown_from_sidebar(tui *t, main_view *v)
{
    v->shown = t->filter.issue >= 0 ? v->issue_counts[t->filter.issue] : v->all_count;
}

void main_fill_cancel(main_view *v)
{
    v->filling = false;
    if (v->page_in_counts) v->counts_scan.page = false;
    v->page_in_counts = false;
    browse_scan_free(&v->page_scan);
}

void main_scan_free(main_view *v)
{
    main_fill_cancel(v);
    browse_scan_free(&v->counts_scan);
    v->counting = false;
}

/* Counts from scratch, slice by slice: a page asked of the last count is forgotten with it. */
static void start_counting(main_view *v)
{
    main_scan_free(v);
    browse_scan_init(&v->counts_scan, true);
    v->counting = true;
}

int main_fill_start(tui *t, main_view *v, int kind, bool before, const browse_key *key, int limit,
                    int move)
{
    main_fill_cancel(v);
    /* Counts not begun yet: one pass finds the page too. */
    v->page_in_counts = v->counting && v->counts_scan.from == INT64_MIN;
    browse_scan *sc = v->page_in_counts ? &v->counts_scan : &v->page_scan;
    if (!v->page_in_counts) browse_scan_init(sc, false);
    if (browse_scan_page(sc, before, key, limit)) {
        v->page_in_counts = false;
        return tui_status_store(t, EXIT_IO, "out of memory");
    }
    v->filling = true;
    v->fill_kind = kind;
    v->fill_move = move;
    return TUI_NONE;
}

int main_scan_slice(tui *t, main_view *v, const browse_scan **page)
{
    *page = NULL;
    browse_scan *sc = v->filling && !v->page_in_counts ? &v->page_scan
                      : v->counting                    ? &v->counts_scan
                                                       : NULL;
    if (!sc) return TUI_NONE;
    int rc = browse_scan_slice(t->db, &t->filter, &t->cfg->scoring, t->as_of, BROWSE_SLICE_IDS, sc);
    if (rc) {
        main_scan_free(v);
        return tui_status_store(t, rc, "searching referrals");
    }
    if (!sc->done) return TUI_IDLE_MORE;
    if (sc == &v->counts_scan) {
        v->counting = false;
        memcpy(v->issue_counts, sc->issue_counts, sizeof v->issue_counts);
        v->all_count = sc->all;
        shown_from_sidebar(t, v);
    }
    if (v->filling && sc->page) *page = sc;
    return TUI_REDRAW;
}

int main_load_counts(tui *t, main_view *v, int what)
{
    int rc = EXIT_OK;
    if (what & COUNTS_SIDEBAR) main_scan_free(v);
    if (what == COUNTS_ALL) {
        rc = browse_issue_counts(t->db, 0, v->total_counts, &v->total_all);
        v->overdue_pending = true; /* counted after the screen is drawn: main_idle */
    }
    v->total = t->filter.issue >= 0 ? v->total_counts[t->filter.issue] : v->total_all;
    if (!rc && (what & COUNTS_SIDEBAR)) {
        bool more = false;
        /* A short text's counts are counted after the screen is drawn, a slice at a time
         * (main_idle), and so are those that run out of time at once. */
        if (!browse_counts_sliced(&t->filter))
            rc = browse_issue_counts_filtered(t->db, &t->filter, &t->cfg->scoring, t->as_of,
                                              LONG_MAX, v->issue_counts, &v->all_count, &more);
        if (!rc && (more || browse_counts_sliced(&t->filter))) start_counting(v);
    }
    /* A new issue type takes its count from the sidebar's (when they are done). */
    if (!rc && !v->counting) shown_from_sidebar(t, v);
    return rc ? tui_status_store(t, rc, "counting referrals") : TUI_NONE;
}

/* Adds the got rows of page below the window (keeping its last h rows) and moves the selection
 * down by `by`; returns how far it could not move (past the last row). */
int main_shift_below(main_view *v, int h, const browse_row *page, int got, int by)
{
    int total = v->n + got;
    int drop = total > h ? total - h : 0;
    memmove(v->rows, v->rows + drop, sizeof *page * (size_t)(v->n - drop));
    memcpy(v->rows + (v->n - drop), page, sizeof *page * (size_t)got);
    v->n = total - drop;
    v->cur = v->cur + by - drop;
    int rest = v->cur >= v->n ? v->cur - (v->n - 1) : 0;
    if (v->cur >= v->n) v->cur = v->n - 1;
    return rest;
}

/* Adds the got rows of page above the window (keeping its first h rows) and moves the selection
 * up by `by`; returns how far it could not move (past the first row). */
int main_shift_above(main_view *v, int h, const browse_row *page, int got, int by)
{
    int keep = v->n;
    if (keep + got > h) keep = h - got;
    memmove(v->rows + got, v->rows, sizeof *page * (size_t)keep);
    memcpy(v->rows, page, sizeof *page * (size_t)got);
    v->n = keep + got;
    v->cur = v->cur - by + got;
    int rest = v->cur < 0 ? -v->cur : 0;
    if (v->cur < 0) v->cur = 0;
    return rest;
}
