/* screen_child.c: one child (`v` on the main screen, the referral screen or the retention review):
 * the child's details with the cohort and the score as of the date shown, all the child's
 * referrals (newest first; j/k select one, Enter opens it), and the whole chronology of the child
 * across every referral, newest first as on the referral screen, wrapped, never cut. Opening it
 * records a look in the access log (ids only). The chronology is read a page at a time, as the
 * view comes near its end, so a long history costs nothing until it is read. `S` writes the
 * child's subject access request to a file, as `caseload sar` does (protect_sar_write). */
#include "caseload/exitcode.h"
#include "caseload/outfile.h"
#include "caseload/protect.h"
#include "caseload/scoring.h"
#include "childtext.h"
#include "form.h"
#include "forms.h"
#include "screen.h"
#include "textview.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    MAX_REFS = 100,   /* referrals listed (a child has a handful; the newest ones beyond) */
    CHRONO_PAGE = 100 /* events read at a time */
};

typedef struct child_view {
    int64_t id;
    browse_child c;
    score_result sr;
    bool has_score;
    browse_row refs[MAX_REFS + 1]; /* one more than listed: tells there are more */
    int nrefs;
    bool more_refs;
    int sel;                /* the selected referral (index in refs) */
    int ref_line[MAX_REFS]; /* its line in the text view */
    browse_event *ev;       /* the chronology read so far, newest first */
    int nev, evcap;
    bool ev_end; /* the oldest event is read */
    textview tv;
} child_view;

static void *child_create(void)
{
    child_view *v = calloc(1, sizeof *v);
    if (v) textview_init(&v->tv, 1);
    return v;
}

static void child_free(void *s)
{
    child_view *v = s;
    if (!v) return;
    textview_free(&v->tv);
    free(v->ev);
    free(v);
}

#define add(v, ...) textview_addf(&(v)->tv, __VA_ARGS__)

/* The chronology's lines from event `from` on, and the line saying whether there is more. */
static void add_events(tui *t, child_view *v, int from)
{
    /* The last line said "more below": it goes, the new events take its place. */
    if (from > 0 && v->tv.nlines > 0) {
        free(v->tv.lines[--v->tv.nlines].text);
        v->tv.width = 0;
    }
    if (v->nev == 0) add(v, TUI_PAIR_DIM, false, "  nothing recorded");
    for (int i = from; i < v->nev; i++)
        tui_add_event(&v->tv, &v->ev[i], true, tui_event_mark(t, &v->ev[i]));
    if (!v->ev_end)
        add(v, TUI_PAIR_DIM, false, "  \xe2\x80\xa6 older events below (read as you scroll)");
    else if (v->nev)
        add(v, TUI_PAIR_DIM, false, "  (the start of the record)");
}

static void layout(tui *t, child_view *v)
{
    textview_clear(&v->tv);
    tui_add_child_details(t, &v->tv, &v->c, t->as_of, NULL, NULL);
    if (v->has_score) {
        int pair;
        const char *band = tui_band_name(v->sr.band, &pair);
        add(v, pair, true, "  Score         %d %s   (red from %d, amber from %d)", v->sr.total,
            band, t->cfg->scoring.red, t->cfg->scoring.amber);
    } else {
        add(v, TUI_PAIR_ERROR, true, "  Score         could not be computed");
    }
    add(v, 0, false, " ");
    add(v, TUI_PAIR_TITLE, true, "Referrals (%d%s, newest first)", v->nrefs,
        v->more_refs ? "+" : "");
    if (v->nrefs == 0) add(v, TUI_PAIR_DIM, false, "  none");
    for (int i = 0; i < v->nrefs; i++) {
        const browse_row *r = &v->refs[i];
        char follow[48] = "", prefix[48], text[300];
        if (r->follow_up[0])
            snprintf(follow, sizeof follow, "  follow-up %s%s", r->follow_up,
                     r->overdue ? " OVERDUE" : "");
        snprintf(prefix, sizeof prefix, "  %-12s ", r->ref);
        snprintf(text, sizeof text, "%-7s %s  received %s  officer %s  %d day%s%s",
                 tui_label(CODES_STATUS, r->status), tui_label(CODES_ISSUE, r->issue), r->received,
                 r->officer[0] ? r->officer : "none", r->days_open, tui_plural(r->days_open),
                 follow);
        v->ref_line[i] = v->tv.nlines;
        textview_add(&v->tv, i == v->sel ? TUI_PAIR_SELECTED : 0, false, prefix, text);
    }
    if (v->more_refs)
        add(v, TUI_PAIR_DIM, false,
            "  (the newest %d shown; `caseload list --search` finds the rest)", MAX_REFS);
    add(v, 0, false, " ");
    add(v, TUI_PAIR_TITLE, true, "Chronology: every referral and the child's events, newest first");
    add_events(t, v, 0);
}

/* Reads the next page of the chronology (after the last event read). */
static int read_page(tui *t, child_view *v)
{
    if (v->ev_end) return EXIT_OK;
    if (v->evcap - v->nev < CHRONO_PAGE) {
        int cap = v->evcap + CHRONO_PAGE;
        browse_event *e = realloc(v->ev, sizeof *e * (size_t)cap);
        if (!e) return EXIT_IO;
        v->ev = e;
        v->evcap = cap;
    }
    browse_event_key key;
    if (v->nev) key = browse_event_key_of(&v->ev[v->nev - 1]);
    int n = 0;
    int rc = browse_child_chronology(t->db, v->id, v->nev ? &key : NULL, v->ev + v->nev,
                                     CHRONO_PAGE, &n);
    if (rc) return rc;
    v->nev += n;
    v->ev_end = n < CHRONO_PAGE;
    return EXIT_OK;
}

/* Reads the child again (after a change, or when opening): details, score, referrals, and as
 * much of the chronology as was read before (at least a page). */
static int child_load(tui *t, child_view *v, int64_t id)
{
    if (v->id != id) {
        v->tv.scroll = 0;
        v->sel = 0;
    }
    v->id = id;
    int had = v->nev;
    v->nev = 0;
    v->ev_end = false;
    int rc = browse_child_get(t->db, id, &v->c);
    if (!rc)
        rc = browse_child_referrals(t->db, id, 0, &t->cfg->scoring, t->as_of, v->refs, MAX_REFS + 1,
                                    &v->nrefs);
    while (!rc && (v->nev == 0 || v->nev < had) && !v->ev_end)
        rc = read_page(t, v);
    if (rc == EXIT_FOUND) {
        tui_status_error(t, "This child is no longer in the database");
        return TUI_BACK | TUI_REDRAW;
    }
    if (rc) {
        tui_status_store(t, rc, "reading the child");
        textview_clear(&v->tv);
        return TUI_REDRAW;
    }
    v->more_refs = v->nrefs > MAX_REFS;
    if (v->more_refs) v->nrefs = MAX_REFS;
    if (v->sel >= v->nrefs) v->sel = v->nrefs ? v->nrefs - 1 : 0;
    v->has_score = scoring_child(t->db, t->cfg, t->as_of, id, &v->sr) == EXIT_OK;
    layout(t, v);
    return TUI_REDRAW;
}

static int child_load_op(tui *t, void *s, int64_t arg, bool opening)
{
    child_view *v = s;
    if (!opening) return child_load(t, v, v->id);
    /* The access log: this officer opened the child's screen. Not shown unless logged. */
    int rc = protect_access(t->db, "view", "children", arg, arg, NULL);
    if (rc) {
        tui_status_store(t, rc, "recording the access");
        return TUI_BACK | TUI_REDRAW;
    }
    return child_load(t, v, arg);
}

/* The first row of line `line` in the view as last wrapped, or -1. */
static int row_of(const child_view *v, int line)
{
    for (int r = 0; r < v->tv.nrows; r++)
        if (v->tv.rows[r].line == line) return r;
    return -1;
}

static bool sel_visible(const child_view *v)
{
    if (v->nrefs == 0) return false;
    int r = row_of(v, v->ref_line[v->sel]);
    return r >= v->tv.scroll && r < v->tv.scroll + v->tv.height;
}

static void select_ref(child_view *v, int sel)
{
    v->tv.lines[v->ref_line[v->sel]].pair = 0;
    v->sel = sel;
    v->tv.lines[v->ref_line[v->sel]].pair = TUI_PAIR_SELECTED;
    int r = row_of(v, v->ref_line[sel]);
    if (r >= 0 && r < v->tv.scroll) v->tv.scroll = r;
    if (r >= 0 && v->tv.height > 0 && r >= v->tv.scroll + v->tv.height)
        v->tv.scroll = r - v->tv.height + 1;
}

/* Reads more of the chronology when the view shows its last page (or all of it, for G). */
static int read_ahead(tui *t, child_view *v, bool all)
{
    int flags = TUI_NONE;
    while (!v->ev_end && (all || v->tv.scroll + 2 * v->tv.height >= v->tv.nrows)) {
        int from = v->nev;
        int rc = read_page(t, v);
        if (rc) {
            return tui_status_store(t, rc, "reading the chronology");
        }
        add_events(t, v, from);
        textview_layout(&v->tv, COLS - v->tv.margin);
        flags = TUI_REDRAW;
    }
    return flags;
}

static void child_draw(tui *t, void *s)
{
    child_view *v = s;
    erase();
    attrset(tui_attr(t, TUI_PAIR_TITLE));
    char title[300], as_of[11];
    date_format(t->as_of, as_of);
    snprintf(title, sizeof title, " %s %s  %s  score %d%s%s  (as of %s)", v->c.first_name,
             v->c.last_name, v->c.upn[0] ? v->c.upn : v->c.la_child_id,
             v->has_score ? v->sr.total : v->c.score, v->has_score ? " " : "",
             v->has_score ? tui_band_name(v->sr.band, NULL) : "", as_of);
    tui_text(stdscr, 0, 0, COLS, title);
    attrset(A_NORMAL);
    textview_draw(t, &v->tv, 1, LINES - 3);
    attrset(tui_attr(t, TUI_PAIR_STATUS));
    char st[200], pos[80];
    textview_position(&v->tv, pos, sizeof pos);
    if (v->nrefs)
        snprintf(st, sizeof st, " referral %d of %d: %s (Enter opens it)   %s", v->sel + 1,
                 v->nrefs, v->refs[v->sel].ref, pos);
    else
        snprintf(st, sizeof st, " no referrals   %s", pos);
    tui_text(stdscr, LINES - 2, 0, COLS, st);
    attrset(A_NORMAL);
    tui_draw_status(t);
    tui_draw_hints(t, SCR_CHILD);
}

/* ---- S: the subject access request ---- */

static const char *const sar_formats[] = {"md", "json"};
static const char *const sar_labels[] = {"md (a readable timeline)",
                                         "json (one object; its keys in caseload(1))"};

typedef struct {
    tui *t;
    const child_view *v;
    const char *offered; /* the file name the form offered (ends .md) */
    char written[4096];
} sar_ctx;

static bool sar_save(form *f, void *arg)
{
    sar_ctx *x = arg;
    const char *path = form_value(form_find(f, "path"));
    bool json = strcmp(form_value(form_find(f, "format")), "json") == 0;
    if (!*path) {
        form_set_error(f, "path", "where should the file go?");
        return false;
    }
    /* The name offered, left as offered, follows the format chosen. */
    char named[4096], full[4096];
    if (json && strcmp(path, x->offered) == 0) {
        snprintf(named, sizeof named, "%.*s.json", (int)strlen(path) - 3, path);
        path = named;
    }
    outfile_expand_home(path, full, sizeof full);
    bool replace = access(full, F_OK) == 0;
    if (replace && !form_confirm(x->t, "That file exists. Replace it?")) {
        form_set_error(f, "path", "not written: the file exists (choose another name)");
        return false;
    }
    char err[4400];
    if (protect_sar_write(x->t->db, x->t->cfg, x->t->as_of, x->v->id,
                          json ? PROTECT_SAR_JSON : PROTECT_SAR_MD, full, replace, x->written,
                          sizeof x->written, err, sizeof err)) {
        form_set_error(f, "path", err);
        return false;
    }
    return true;
}

/* The file offered: sar-<LA child id>-<date>.md, or the row id when the LA child id is not made
 * of letters, digits, '-' and '_' alone (never the name or the UPN). */
static void sar_name(const tui *t, const child_view *v, char *out, size_t n)
{
    const char *la = v->c.la_child_id;
    bool plain = *la != '\0';
    for (const char *p = la; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", *p))
            plain = false;
    char d[11];
    date_format(t->as_of, d);
    if (plain)
        snprintf(out, n, "sar-%s-%s.md", la, d);
    else
        snprintf(out, n, "sar-%lld-%s.md", (long long)v->id, d);
}

static int ask_sar(tui *t, const child_view *v)
{
    if (!store_officer(t->db)[0]) {
        tui_status_error(t, "A subject access request needs a known officer (it is recorded): "
                            "start caseload with --officer INITIALS (or $CASELOAD_OFFICER)");
        return TUI_REDRAW;
    }
    char name[128];
    sar_name(t, v, name, sizeof name);
    form f;
    form_init(&f, "Subject access request: everything held about the child");
    snprintf(f.context, sizeof f.context,
             "For the information governance team to review; recorded in the access log");
    form_choice(&f, "format", "Format", sar_formats, sar_labels, 2, 0, true);
    form_text(&f, "path", "File", 4000, name, true);
    sar_ctx x = {t, v, name, ""};
    if (form_run(t, &f, sar_save, &x))
        tui_status(t, "subject access request written to %s", x.written);
    form_free(&f);
    return TUI_REDRAW;
}

static int child_action(tui *t, void *s, tui_action a, const tui_keypress *k)
{
    (void)k;
    child_view *v = s;
    int flags = TUI_NONE;
    switch (a) {
    /* j/k select the previous or next referral while the selected one is on screen; past the
     * first or last, they scroll. */
    case ACT_DOWN:
        if (sel_visible(v) && v->sel + 1 < v->nrefs) {
            select_ref(v, v->sel + 1);
            flags = TUI_REDRAW;
        } else {
            textview_key(&v->tv, a, &flags);
        }
        return flags | read_ahead(t, v, false);
    case ACT_UP:
        if (sel_visible(v) && v->sel > 0) {
            select_ref(v, v->sel - 1);
            return TUI_REDRAW;
        }
        textview_key(&v->tv, a, &flags);
        return flags;
    case ACT_END:
        flags = read_ahead(t, v, true);
        textview_key(&v->tv, a, &flags);
        return flags | TUI_REDRAW;
    case ACT_PGDN:
    case ACT_PGUP:
    case ACT_TOP: textview_key(&v->tv, a, &flags); return flags | read_ahead(t, v, false);
    case ACT_OPEN: return v->nrefs ? tui_open(t, SCR_DETAIL, v->refs[v->sel].id) : TUI_NONE;
    case ACT_NEW: return tuiform_new_referral_for(t, v->id);
    case ACT_ACCESS_LOG: return tui_open(t, SCR_ACCESS, v->id);
    case ACT_EXCLUSION: return tuiform_exclusion(t, v->id);
    case ACT_ATTENDANCE: return tuiform_attendance(t, v->id);
    case ACT_EPISODE: return tuiform_episode(t, v->id);
    case ACT_CHILD_EDIT: return tuiform_child_edit(t, v->id);
    case ACT_SAR: return ask_sar(t, v);
    default: return tui_key_common(t, a, SCR_CHILD);
    }
}

const screen_ops screen_child_ops = {
    .id = SCR_CHILD,
    .create = child_create,
    .load = child_load_op,
    .draw = child_draw,
    .action = child_action,
    .idle = screen_no_idle,
    .free = child_free,
};
