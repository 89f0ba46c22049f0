/* main_counts.c: the main screen's counts: the sidebar's per issue type, the count shown and the
 * totals, at once from referral_counts or the list's queries, or, for a text of one or two
 * characters, slice by slice after the screen is drawn (browse_issue_counts_slice). */
#include "main_view.h"

#include "caseload/exitcode.h"
#include <stdint.h>
#include <string.h>

/* The sidebar's count of the chosen type is the count shown. */
static void shown_from_sidebar(tui *t, main_view *v)
{
    v->shown = t->filter.issue >= 0 ? v->issue_counts[t->filter.issue] : v->all_count;
    v->shown_more = v->counts_more;
}

static void start_counting(main_view *v)
{
    v->counting = true;
    v->count_from = INT64_MIN;
    memset(v->slice_counts, 0, sizeof v->slice_counts);
    v->slice_all = 0;
}

int main_count_slice(tui *t, main_view *v)
{
    bool done;
    int rc =
        browse_issue_counts_slice(t->db, &t->filter, &t->cfg->scoring, t->as_of, BROWSE_SLICE_IDS,
                                  &v->count_from, v->slice_counts, &v->slice_all, &done);
    if (rc) {
        v->counting = false;
        return tui_status_store(t, rc, "counting referrals");
    }
    if (!done) return TUI_IDLE_MORE;
    v->counting = false;
    memcpy(v->issue_counts, v->slice_counts, sizeof v->issue_counts);
    v->all_count = v->slice_all;
    v->counts_more = false;
    shown_from_sidebar(t, v);
    return TUI_REDRAW;
}

int main_load_counts(tui *t, main_view *v, int what)
{
    int rc = EXIT_OK;
    v->counting = v->counting && !(what & COUNTS_SIDEBAR);
    if (what == COUNTS_ALL) {
        rc = browse_issue_counts(t->db, 0, v->total_counts, &v->total_all);
        v->overdue_pending = true; /* counted after the screen is drawn: main_idle */
    }
    if (!rc && browse_counts_sliced(&t->filter)) {
        /* Counted after the screen is drawn, a slice at a time (main_idle); a new issue type
         * takes its count from the sidebar's when they are done. */
        if (what & COUNTS_SIDEBAR) start_counting(v);
        v->total = t->filter.issue >= 0 ? v->total_counts[t->filter.issue] : v->total_all;
        if (!v->counting) shown_from_sidebar(t, v);
        return TUI_NONE;
    }
    if (!rc && (what & COUNTS_SIDEBAR))
        rc = browse_issue_counts_filtered(t->db, &t->filter, &t->cfg->scoring, t->as_of, COUNT_CAP,
                                          v->issue_counts, &v->all_count, &v->counts_more);
    v->total = t->filter.issue >= 0 ? v->total_counts[t->filter.issue] : v->total_all;
    if (!rc && (what & COUNTS_SIDEBAR) && (!v->counts_more || t->filter.issue < 0)) {
        shown_from_sidebar(t, v); /* one query, not two */
    } else if (!rc)
        rc = browse_count(t->db, &t->filter, &t->cfg->scoring, t->as_of, COUNT_CAP, &v->shown,
                          &v->shown_more);
    return rc ? tui_status_store(t, rc, "counting referrals") : TUI_NONE;
}
