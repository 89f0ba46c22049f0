/* screen_detail.c: one referral (Enter on the main screen): the child, the score with every
 * factor's value x weight = points (scoring_child), the timeline newest first and the child's
 * other referrals. The text is laid out into lines once per load and scrolled. */
#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include "caseload/protect.h"
#include "caseload/scoring.h"
#include "caseload/syncstore.h"
#include "childtext.h"
#include "forms.h"
#include "screen.h"
#include "textview.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FACTOR_W: the score breakdown's column of factor labels (codes_factor_label). */
enum { MAX_EVENTS = 300, MAX_OTHERS = 30, FACTOR_W = 30 };

typedef struct detail_view {
    int64_t id;
    browse_detail d;
    browse_child c;
    score_result sr;
    bool has_score;
    browse_event ev[MAX_EVENTS];
    int nev;
    browse_row others[MAX_OTHERS];
    int nothers;
    textview tv; /* the screen's text, laid out by layout() */
} detail_view;

static void *detail_create(void)
{
    detail_view *v = calloc(1, sizeof *v);
    if (v) textview_init(&v->tv, 1);
    return v;
}

static void detail_free(void *s)
{
    detail_view *v = s;
    if (!v) return;
    textview_free(&v->tv);
    free(v);
}

#define add(v, ...) textview_addf(&(v)->tv, __VA_ARGS__)

/* text after a 16-column label, wrapped under itself. */
static void add_wrapped(detail_view *v, const char *label, const char *text)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "  %-14s", label);
    textview_add(&v->tv, 0, false, prefix, text);
}

/* "  ! open conflict" after a line showing one of fields of the referral (childtext.h). */
static const char *conflict_mark(tui *t, const detail_view *v, const char *fields)
{
    return tui_conflict_mark(t, "referrals", v->d.row.id, fields);
}

/* The child: who, school, care status, cohort, SEN, flags (childtext.h), each line marked when
 * a field it shows has an open conflict (the referral's risk flag among the flags). */
static void layout_child(tui *t, detail_view *v)
{
    tui_add_child_details(t, &v->tv, &v->c, t->as_of,
                          v->d.pex_risk ? "at risk of permanent exclusion" : NULL,
                          conflict_mark(t, v, "pex_risk"));
    add(v, 0, false, " ");
}

/* The referral: issue, status, officer, dates, summary (open sync conflicts marked). */
static void layout_referral(tui *t, detail_view *v)
{
    const browse_detail *d = &v->d;
    add(v, TUI_PAIR_TITLE, true, "Referral %s%s", d->row.ref, conflict_mark(t, v, "- ref"));
    add(v, 0, false, "  Issue         %s%s%s%s", tui_label(CODES_ISSUE, d->row.issue),
        d->other_issues[0] ? "; also " : "", d->other_issues,
        conflict_mark(t, v, "issue other_issues"));
    add(v, 0, false, "  Status        %s%s%s    officer %s%s",
        tui_label(CODES_STATUS, d->row.status), d->closed[0] ? " on " : "", d->closed,
        d->row.officer[0] ? d->row.officer : "none",
        conflict_mark(t, v, "status closed officer_id"));
    add(v, 0, false, "  Received      %s from %s    %d day%s open%s", d->row.received,
        tui_label(CODES_SOURCE, d->source), d->row.days_open, tui_plural(d->row.days_open),
        conflict_mark(t, v, "received source"));
    if (d->row.follow_up[0])
        add(v, d->row.overdue ? TUI_PAIR_OVERDUE : 0, d->row.overdue, "  Follow-up     %s%s",
            d->row.follow_up, d->row.overdue ? "  OVERDUE" : "");
    add(v, 0, false, "  At referral   care status %s, SEN %s%s",
        d->care_status[0] ? codes_label_of(CODES_CARE_STATUS, d->care_status) : "none",
        tui_label(CODES_SEN, d->sen), conflict_mark(t, v, "care_status sen"));
    if (*conflict_mark(t, v, "summary"))
        add(v, 0, false, "  Summary       ! open conflict (sync conflicts shows both values)");
    add_wrapped(v, "Summary", d->summary[0] ? d->summary : "(none)");
    add(v, 0, false, " ");
}

/* The score and the factors that give it. */
static void layout_score(tui *t, detail_view *v)
{
    if (v->has_score) {
        int bp;
        const char *bn = tui_band_name(v->sr.band, &bp);
        add(v, bp, true, "Score %d  %s   (red from %d, amber from %d)", v->sr.total, bn,
            t->cfg->scoring.red, t->cfg->scoring.amber);
        add(v, TUI_PAIR_DIM, false, "  %-*s %6s   %6s   %6s", FACTOR_W, "factor", "value", "weight",
            "points");
        /* The factors that give points, then the others folded into one line. */
        int zero = 0;
        for (int f = 0; f < SCORE_NFACTORS; f++) {
            int val = v->sr.value[f], w = t->cfg->scoring.weight[f], p = v->sr.points[f];
            if (!p) {
                zero++;
                continue;
            }
            add(v, 0, true, "  %-*s %6d x %6d = %6d", FACTOR_W, codes_factor_label(f), val, w, p);
        }
        if (zero) {
            char other[40];
            snprintf(other, sizeof other, "%d other factor%s", zero, zero == 1 ? "" : "s");
            add(v, TUI_PAIR_DIM, false, "  %-*s %6s   %6s   %6d", FACTOR_W, other, "", "", 0);
        }
        add(v, 0, true, "  %-*s %6s   %6s   %6d", FACTOR_W, "total", "", "", v->sr.total);
    } else {
        add(v, TUI_PAIR_ERROR, true, "Score: could not be computed");
    }
    add(v, 0, false, " ");
}

static void layout(tui *t, detail_view *v)
{
    textview_clear(&v->tv);
    layout_child(t, v);
    layout_referral(t, v);
    layout_score(t, v);
    add(v, TUI_PAIR_TITLE, true, "Timeline (newest first)");
    if (v->nev == 0) add(v, TUI_PAIR_DIM, false, "  nothing recorded");
    for (int i = 0; i < v->nev; i++)
        tui_add_event(&v->tv, &v->ev[i], false, tui_event_mark(t, &v->ev[i]));
    add(v, 0, false, " ");
    add(v, TUI_PAIR_TITLE, true, "Other referrals of this child");
    if (v->nothers == 0) add(v, TUI_PAIR_DIM, false, "  none");
    for (int i = 0; i < v->nothers; i++) {
        const browse_row *r = &v->others[i];
        add(v, 0, false, "  %-12s %-28s %-7s received %s  %d day%s", r->ref,
            tui_label(CODES_ISSUE, r->issue), tui_label(CODES_STATUS, r->status), r->received,
            r->days_open, tui_plural(r->days_open));
    }
}

/* Loads referral id (again). Returns TUI_* flags; on failure sets the status line. */
static int detail_load(tui *t, detail_view *v, int64_t id)
{
    if (v->id != id) v->tv.scroll = 0;
    v->id = id;
    int rc = browse_referral(t->db, id, &t->cfg->scoring, t->as_of, &v->d);
    if (!rc) rc = browse_child_get(t->db, v->d.row.child_id, &v->c);
    if (!rc) rc = browse_timeline(t->db, id, v->ev, MAX_EVENTS, &v->nev);
    if (!rc)
        rc = browse_child_referrals(t->db, v->d.row.child_id, id, &t->cfg->scoring, t->as_of,
                                    v->others, MAX_OTHERS, &v->nothers);
    if (rc) {
        tui_status_store(t, rc, "reading the referral");
        textview_clear(&v->tv);
        return TUI_REDRAW;
    }
    v->has_score = scoring_child(t->db, t->cfg, t->as_of, v->d.row.child_id, &v->sr) == EXIT_OK;
    layout(t, v);
    return TUI_REDRAW;
}

/* Opens referral id's screen: records the look in the access log (protect_access), then loads
 * it. */
static int detail_open(tui *t, detail_view *v, int64_t id)
{
    browse_detail d;
    int rc = browse_referral(t->db, id, &t->cfg->scoring, t->as_of, &d);
    /* The access log: this officer opened the referral's (and its child's) screen. */
    if (!rc) rc = protect_access(t->db, "view", "referrals", id, d.row.child_id, NULL);
    if (rc) {
        tui_status_store(t, rc, "recording the access");
        return TUI_BACK | TUI_REDRAW; /* not shown unless logged */
    }
    return detail_load(t, v, id);
}

static void detail_draw(tui *t, void *s)
{
    detail_view *v = s;
    erase();
    attrset(tui_attr(t, TUI_PAIR_TITLE));
    char title[300], as_of[11];
    date_format(t->as_of, as_of);
    /* The score computed for the date shown, as the breakdown below it (the list's copy is only
     * a sort key). */
    int score = v->has_score ? v->sr.total : v->d.row.score;
    snprintf(title, sizeof title, " %s  %s  %s  score %d  (as of %s)", v->d.row.ref, v->d.row.child,
             tui_label(CODES_STATUS, v->d.row.status), score, as_of);
    tui_text(stdscr, 0, 0, COLS, title);
    attrset(A_NORMAL);
    textview_draw(t, &v->tv, 1, LINES - 3);
    attrset(tui_attr(t, TUI_PAIR_STATUS));
    char st[160];
    textview_position(&v->tv, st, sizeof st);
    tui_text(stdscr, LINES - 2, 0, COLS, st);
    attrset(A_NORMAL);
    tui_draw_status(t);
    tui_draw_hints(t, SCR_DETAIL);
}

static int detail_action(tui *t, void *s, tui_action a, const tui_keypress *k)
{
    (void)k;
    detail_view *v = s;
    int flags;
    if (textview_key(&v->tv, a, &flags)) return flags;
    switch (a) {
    case ACT_NEW: return tuiform_new_referral(t);
    case ACT_ACTION: return tuiform_add_action(t, v->id);
    case ACT_OUTCOME: return tuiform_record_outcome(t, v->id);
    case ACT_CLOSE: return tuiform_close(t, v->id);
    case ACT_EDIT: return tuiform_edit(t, v->id);
    case ACT_DONE: return tuiform_follow_up_done(t, v->id);
    case ACT_AMEND: return tuiform_amend(t, v->id);
    case ACT_WITHDRAW: return tuiform_withdraw(t, v->id);
    case ACT_REOPEN: return tuiform_reopen(t, v->id);
    case ACT_EXCLUSION: return tuiform_exclusion(t, v->d.row.child_id);
    case ACT_ATTENDANCE: return tuiform_attendance(t, v->d.row.child_id);
    case ACT_EPISODE: return tuiform_episode(t, v->d.row.child_id);
    case ACT_CHILD_EDIT: return tuiform_child_edit(t, v->d.row.child_id);
    case ACT_CHILD: return tui_open(t, SCR_CHILD, v->d.row.child_id);
    case ACT_ACCESS_LOG: return tui_open(t, SCR_ACCESS, v->d.row.child_id);
    default: return tui_key_common(t, a, SCR_DETAIL);
    }
}

/* The referral's screen opens for referral id arg (the look is logged) and reloads it. */
static int detail_load_op(tui *t, void *s, int64_t arg, bool opening)
{
    detail_view *v = s;
    return opening ? detail_open(t, v, arg) : detail_load(t, v, v->id);
}

const screen_ops screen_detail_ops = {
    .id = SCR_DETAIL,
    .create = detail_create,
    .load = detail_load_op,
    .draw = detail_draw,
    .action = detail_action,
    .idle = screen_no_idle,
    .free = detail_free,
};
