/* screen_detail.c: one referral (Enter on the main screen): the child, the score with every
 * factor's value x weight = points (scoring_child), the timeline newest first and the child's
 * other referrals. The text is laid out into lines once per load and scrolled. */
#include "caseload/cal.h"
#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include "caseload/protect.h"
#include "caseload/retention.h"
#include "caseload/scoring.h"
#include "caseload/syncstore.h"
#include "forms.h"
#include "screen.h"
#include "textview.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_EVENTS = 300, MAX_OTHERS = 30 };

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

/* A timeline entry: "  DATE  " then text, wrapped under itself. */
static void add_event(detail_view *v, int pair, bool bold, const char *date, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void add_event(detail_view *v, int pair, bool bold, const char *date, const char *fmt, ...)
{
    char text[2600], prefix[32];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    snprintf(prefix, sizeof prefix, "  %s  ", date);
    textview_add(&v->tv, pair, bold, prefix, text);
}

static const char *label_of(codes_list l, const char *code)
{
    return code && code[0] ? codes_label_of(l, code) : "unknown";
}

static void year_text(const char *dob, date_t as_of, char *out, size_t n)
{
    date_t d;
    if (!date_parse(dob, strlen(dob), &d)) {
        snprintf(out, n, "?");
        return;
    }
    int yg = cal_year_group(d, as_of);
    if (yg < 0)
        snprintf(out, n, "early years (%s)", cal_key_stage(yg));
    else if (yg == 0)
        snprintf(out, n, "Reception (R)");
    else
        snprintf(out, n, "Year %d (%s)", yg, cal_key_stage(yg));
}

/* "  ! open conflict" after a field of the referral that has one (sync conflicts), else "". */
static const char *conflict_mark(tui *t, const detail_view *v, const char *field)
{
    bool open = false;
    if (syncstore_conflict_open_field(t->db, "referrals", v->d.row.id, field, &open) != EXIT_OK)
        open = false;
    return open ? "  ! open conflict" : "";
}

/* The child: who, school, care status, cohort, SEN, flags. */
static void layout_child(tui *t, detail_view *v)
{
    const browse_detail *d = &v->d;
    const browse_child *c = &v->c;
    char yg[48];
    year_text(c->dob, t->as_of, yg, sizeof yg);

    add(v, TUI_PAIR_TITLE, true, "Child");
    add(v, 0, false, "  Name          %s %s", c->first_name, c->last_name);
    add(v, 0, false, "  UPN           %s%s%s", c->upn[0] ? c->upn : "(none)",
        c->la_child_id[0] ? "    LA child id " : "", c->la_child_id);
    add(v, 0, false, "  Date of birth %s    %s    gender %s", c->dob, yg,
        c->gender[0] ? c->gender : "unknown");
    add(v, 0, false, "  School        %s%s%s%s", c->school[0] ? c->school : "(none)",
        c->school_urn[0] ? " (URN " : "", c->school_urn, c->school_urn[0] ? ")" : "");
    add(v, 0, false, "  Care status   %s", label_of(CODES_CARE_STATUS, c->care_status));
    {
        date_t ended = 0;
        bool has = c->social_work_ended[0] &&
                   date_parse(c->social_work_ended, strlen(c->social_work_ended), &ended);
        retention_cohort_t co = retention_cohort(has, ended, t->as_of);
        add(v, 0, false, "  Cohort        %s%s%s",
            co == COHORT_CURRENT ? "current (a plan open)"
            : co == COHORT_EVER6 ? "Ever6"
                                 : "out of the cohort",
            has ? "    social work ended " : "", has ? c->social_work_ended : "");
    }
    add(v, 0, false, "  SEN           %s%s%s", label_of(CODES_SEN, c->sen),
        c->sen_need[0] ? ", primary need " : "", c->sen_need);
    char flags[160] = "";
    if (c->youth_justice) strcat(flags, "known to youth justice");
    if (d->pex_risk)
        strcat(flags,
               flags[0] ? "; at risk of permanent exclusion" : "at risk of permanent exclusion");
    add(v, 0, false, "  Flags         %s", flags[0] ? flags : "none");
    add(v, 0, false, " ");
}

/* The referral: issue, status, officer, dates, summary (open sync conflicts marked). */
static void layout_referral(tui *t, detail_view *v)
{
    const browse_detail *d = &v->d;
    add(v, TUI_PAIR_TITLE, true, "Referral %s", d->row.ref);
    add(v, 0, false, "  Issue         %s%s%s%s", label_of(CODES_ISSUE, d->row.issue),
        d->other_issues[0] ? "; also " : "", d->other_issues, conflict_mark(t, v, "issue"));
    add(v, 0, false, "  Status        %s%s%s    officer %s%s%s",
        label_of(CODES_STATUS, d->row.status), d->closed[0] ? " on " : "", d->closed,
        d->row.officer[0] ? d->row.officer : "none", conflict_mark(t, v, "status"),
        conflict_mark(t, v, "officer_id"));
    add(v, 0, false, "  Received      %s from %s    %d days open", d->row.received,
        label_of(CODES_SOURCE, d->source), d->row.days_open);
    if (d->row.follow_up[0])
        add(v, d->row.overdue ? TUI_PAIR_OVERDUE : 0, d->row.overdue, "  Follow-up     %s%s",
            d->row.follow_up, d->row.overdue ? "  OVERDUE" : "");
    add(v, 0, false, "  At referral   care status %s, SEN %s", d->care_status, d->sen);
    if (*conflict_mark(t, v, "summary"))
        add(v, 0, false, "  Summary       ! open conflict (sync conflicts shows both values)");
    add_wrapped(v, "Summary", d->summary[0] ? d->summary : "(none)");
    add(v, 0, false, " ");
}

/* The score and the factors that give it. */
static void layout_score(tui *t, detail_view *v)
{
    if (v->has_score) {
        const char *bn = v->sr.band == BAND_RED     ? "RED"
                         : v->sr.band == BAND_AMBER ? "AMBER"
                                                    : "GREEN";
        int bp = v->sr.band == BAND_RED     ? TUI_PAIR_RED
                 : v->sr.band == BAND_AMBER ? TUI_PAIR_AMBER
                                            : TUI_PAIR_GREEN;
        add(v, bp, true, "Score %d  %s   (red from %d, amber from %d)", v->sr.total, bn,
            t->cfg->scoring.red, t->cfg->scoring.amber);
        add(v, TUI_PAIR_DIM, false, "  %-24s %6s   %6s   %6s", "factor", "value", "weight",
            "points");
        /* The factors that give points, then the others folded into one line. */
        int zero = 0;
        for (int f = 0; f < SCORE_NFACTORS; f++) {
            int val = v->sr.value[f], w = t->cfg->scoring.weight[f], p = v->sr.points[f];
            if (!p) {
                zero++;
                continue;
            }
            add(v, 0, true, "  %-24s %6d x %6d = %6d", score_factor_name((score_factor)f), val, w,
                p);
        }
        if (zero) {
            char other[40];
            snprintf(other, sizeof other, "%d other factor%s", zero, zero == 1 ? "" : "s");
            add(v, TUI_PAIR_DIM, false, "  %-24s %6s   %6s   %6d", other, "", "", 0);
        }
        add(v, 0, true, "  %-24s %6s   %6s   %6d", "total", "", "", v->sr.total);
    } else {
        add(v, TUI_PAIR_ERROR, true, "Score: could not be computed");
    }
    add(v, 0, false, " ");
}

/* One entry of the timeline. */
static void add_timeline_event(detail_view *v, const browse_event *e)
{
    switch (e->kind) {
    case BROWSE_EV_RECEIVED:
        add_event(v, 0, false, e->date, "referral received from %s",
                  label_of(CODES_SOURCE, e->code));
        break;
    case BROWSE_EV_CLOSED: add_event(v, 0, false, e->date, "referral closed"); break;
    case BROWSE_EV_REOPENED:
        add_event(v, 0, true, e->date, "referral reopened%s%s%s%s%s", e->officer[0] ? " by " : "",
                  e->officer, e->extra[0] ? " (closed on " : "", e->extra, e->extra[0] ? ")" : "");
        if (e->text[0]) add_event(v, 0, false, "          ", "  why: %s", e->text);
        break;
    /* A corrected entry: its current version, withdrawn ones marked and dim, and the correction
     * under it (migration 0015). */
    case BROWSE_EV_ACTION:
        add_event(v, e->withdrawn ? TUI_PAIR_DIM : 0, false, e->date, "%saction %s%s%s%s: %s%s%s",
                  e->withdrawn ? "WITHDRAWN " : "", e->code, e->officer[0] ? " (" : "", e->officer,
                  e->officer[0] ? ")" : "", e->text,
                  /* NBSP: the date stays with its label */
                  e->extra[0] ? "   follow-up\xc2\xa0" : "", e->extra);
        if (e->correction[0])
            add_event(v, TUI_PAIR_DIM, false, "          ", "  %s", e->correction);
        break;
    case BROWSE_EV_OUTCOME:
        add_event(v, e->withdrawn ? TUI_PAIR_DIM : 0, !e->withdrawn, e->date, "%soutcome: %s%s%s",
                  e->withdrawn ? "WITHDRAWN " : "", label_of(CODES_OUTCOME, e->code),
                  e->text[0] ? ": " : "", e->text);
        if (e->correction[0])
            add_event(v, TUI_PAIR_DIM, false, "          ", "  %s", e->correction);
        break;
    case BROWSE_EV_EXCLUSION:
        add_event(v, TUI_PAIR_AMBER, false, e->date, "%s %s%s%s",
                  label_of(CODES_EXCLUSION_CATEGORY, e->code), e->text,
                  e->extra[0] ? ", reason: " : "",
                  e->extra[0] ? label_of(CODES_EXCLUSION_REASON, e->extra) : "");
        break;
    case BROWSE_EV_ATTENDANCE:
        add_event(v, 0, false, e->date, "attendance %s (%s)", e->text, e->extra);
        break;
    case BROWSE_EV_EPISODE:
        add_event(v, 0, false, e->date, "episode: %s %s%s%s", label_of(CODES_EPISODE_KIND, e->code),
                  e->extra, e->text[0] ? ", " : "", e->text);
        break;
    }
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
        add_timeline_event(v, &v->ev[i]);
    add(v, 0, false, " ");
    add(v, TUI_PAIR_TITLE, true, "Other referrals of this child");
    if (v->nothers == 0) add(v, TUI_PAIR_DIM, false, "  none");
    for (int i = 0; i < v->nothers; i++) {
        const browse_row *r = &v->others[i];
        add(v, 0, false, "  %-12s %-28s %-7s received %s  %d days", r->ref,
            label_of(CODES_ISSUE, r->issue), r->status, r->received, r->days_open);
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
             v->d.row.status, score, as_of);
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
