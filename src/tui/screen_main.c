/* screen_main.c: the main screen. A sidebar of issue types (All first) with live counts from
 * referral_counts, the list of the chosen type highest score first, and a status line. Only the
 * rows on screen are held: moving past an edge fetches the next keyset page (browse.h). */
#include "caseload/cal.h"
#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include "forms.h"
#include "main_view.h"
#include "screen.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sidebar: a marker, the issue type's label (codes_label_fit), its count. */
enum { SIDEBAR_W = 18, SIDEBAR_LABEL_W = SIDEBAR_W - 8 };
_Static_assert((int)SIDEBAR_LABEL_W >= (int)CODES_SHORT_MAX,
               "the sidebar holds the issues' short labels");

static int list_height(void)
{
    int h = LINES - 4; /* title, column headings, status, hints */
    return h < 1 ? 1 : h;
}

static void *main_create(void)
{
    return calloc(1, sizeof(main_view));
}

static void main_free(void *s)
{
    main_view *v = s;
    if (!v) return;
    main_scan_free(v);
    free(v->rows);
    free(v);
}

static bool ensure_cap(main_view *v)
{
    int h = list_height();
    if (v->cap >= h && v->rows) return true;
    browse_row *r = realloc(v->rows, sizeof *r * (size_t)h);
    if (!r) return false;
    v->rows = r;
    v->cap = h;
    return true;
}

static void select_cur(tui *t, main_view *v)
{
    if (v->n == 0) {
        v->cur = 0;
        t->selected = 0;
        return;
    }
    if (v->cur >= v->n) v->cur = v->n - 1;
    if (v->cur < 0) v->cur = 0;
    t->selected = v->rows[v->cur].id;
}

/* The first page under the current filter; counts as in load_counts. */
static int load_top(tui *t, main_view *v, int counts)
{
    if (!ensure_cap(v)) return tui_status_store(t, EXIT_IO, "out of memory");
    int flags = main_load_counts(t, v, counts);
    main_fill_cancel(v);
    int rc = browse_page(t->db, &t->filter, &t->cfg->scoring, t->as_of, NULL, list_height(),
                         v->rows, &v->n);
    if (rc) return tui_status_store(t, rc, "reading the list");
    if (browse_partial(t->db))
        flags |= main_fill_start(t, v, FILL_WINDOW, false, NULL, list_height(), 0);
    v->cur = 0;
    select_cur(t, v);
    return flags | TUI_REDRAW;
}

static int load_end(tui *t, main_view *v)
{
    main_fill_cancel(v);
    int rc = browse_page_before(t->db, &t->filter, &t->cfg->scoring, t->as_of, NULL, list_height(),
                                v->rows, &v->n);
    if (rc) return tui_status_store(t, rc, "reading the list");
    int flags = TUI_REDRAW;
    if (browse_partial(t->db))
        flags |= main_fill_start(t, v, FILL_WINDOW, true, NULL, list_height(), 0);
    v->cur = v->n - 1;
    select_cur(t, v);
    return flags;
}

/* The list's last rows on screen (the end moved up past the window); *flags gets a search's. */
static int reload_end(tui *t, main_view *v, int *flags)
{
    int h = list_height();
    int rc =
        browse_page_before(t->db, &t->filter, &t->cfg->scoring, t->as_of, NULL, h, v->rows, &v->n);
    if (!rc && browse_partial(t->db))
        *flags |= main_fill_start(t, v, FILL_WINDOW, true, NULL, h, 0);
    return rc;
}

/* Fetches the counts and the rows again from the first row on screen (after a change or a
 * resize), keeping the selected referral when it is still there. */
static int main_reload(tui *t, main_view *v)
{
    if (!ensure_cap(v)) return tui_status_store(t, EXIT_IO, "out of memory");
    int flags = main_load_counts(t, v, COUNTS_ALL);
    main_fill_cancel(v);
    int64_t keep = t->selected;
    int h = list_height();
    int rc;
    if (v->n > 0) {
        browse_key from = browse_key_of(&v->rows[0]);
        from.id -= 1; /* the page from the first row on screen, that row included */
        rc = browse_page(t->db, &t->filter, &t->cfg->scoring, t->as_of, &from, h, v->rows, &v->n);
        if (!rc && browse_partial(t->db))
            flags |= main_fill_start(t, v, FILL_RELOAD, false, &from, h, 0);
        else if (!rc && v->n < h) /* the end moved up (or the screen grew): the last rows */
            rc = reload_end(t, v, &flags);
    } else {
        rc = browse_page(t->db, &t->filter, &t->cfg->scoring, t->as_of, NULL, h, v->rows, &v->n);
        if (!rc && browse_partial(t->db))
            flags |= main_fill_start(t, v, FILL_WINDOW, false, NULL, h, 0);
    }
    if (rc) return tui_status_store(t, rc, "reading the list");
    for (int i = 0; i < v->n; i++)
        if (v->rows[i].id == keep) v->cur = i;
    select_cur(t, v);
    return flags | TUI_REDRAW;
}

/* Moves the window by whole pages or single rows: past its edge, the page beyond it (found slice
 * by slice when it runs out of time: the rows found so far shown, the rest when they come). */
static int move_by(tui *t, main_view *v, int by, bool up)
{
    int h = list_height();
    if (v->n == 0) return TUI_NONE;
    if (up ? v->cur - by >= 0 : v->cur + by < v->n) {
        v->cur += up ? -by : by;
        select_cur(t, v);
        return TUI_REDRAW;
    }
    browse_row *page = malloc(sizeof *page * (size_t)h);
    if (!page) return tui_status_store(t, EXIT_IO, "out of memory");
    main_fill_cancel(v);
    int got = 0, flags = TUI_REDRAW;
    browse_key edge = browse_key_of(&v->rows[up ? 0 : v->n - 1]);
    int rc = up ? browse_page_before(t->db, &t->filter, &t->cfg->scoring, t->as_of, &edge, by, page,
                                     &got)
                : browse_page(t->db, &t->filter, &t->cfg->scoring, t->as_of, &edge, by, page, &got);
    if (rc) {
        flags = tui_status_store(t, rc, "reading the list");
    } else if (browse_partial(t->db)) {
        int rest = up ? main_shift_above(v, list_height(), page, got, by)
                      : main_shift_below(v, list_height(), page, got, by);
        browse_key from = browse_key_of(&v->rows[up ? 0 : v->n - 1]);
        flags |= main_fill_start(t, v, up ? FILL_UP : FILL_DOWN, up, &from, by - got, rest);
    } else if (got == 0) {
        if (v->cur == (up ? 0 : v->n - 1)) flags = TUI_NONE;
        v->cur = up ? 0 : v->n - 1;
    } else if (up) {
        main_shift_above(v, list_height(), page, got, by);
    } else {
        main_shift_below(v, list_height(), page, got, by);
    }
    free(page);
    select_cur(t, v);
    return flags;
}

static int move_down(tui *t, main_view *v, int by)
{
    return move_by(t, v, by, false);
}

static int move_up(tui *t, main_view *v, int by)
{
    return move_by(t, v, by, true);
}

static int change_issue(tui *t, main_view *v, int delta)
{
    int n = (int)codes_count(CODES_ISSUE);
    int pos = t->filter.issue + 1 + delta; /* 0 = All */
    if (pos < 0) pos = n;
    if (pos > n) pos = 0;
    t->filter.issue = pos - 1;
    return load_top(t, v, COUNTS_SHOWN);
}

/* The page found slice by slice (main_fill_start) on screen. */
static int fill_done(tui *t, main_view *v, const browse_scan *sc)
{
    int kind = v->fill_kind, move = v->fill_move;
    browse_row *page = malloc(sizeof *page * (size_t)(sc->limit > 0 ? sc->limit : 1));
    if (!page) return tui_status_store(t, EXIT_IO, "out of memory");
    int got = 0, flags = TUI_REDRAW;
    int rc = browse_scan_rows(t->db, &t->cfg->scoring, t->as_of, sc, page, &got);
    main_fill_cancel(v);
    if (rc) {
        flags = tui_status_store(t, rc, "reading the list");
    } else if (kind == FILL_DOWN) {
        main_shift_below(v, list_height(), page, got, move);
    } else if (kind == FILL_UP) {
        main_shift_above(v, list_height(), page, got, move);
    } else if (kind == FILL_RELOAD && got < list_height()) {
        rc = reload_end(t, v, &flags); /* the end moved up past the window */
        if (rc) flags = tui_status_store(t, rc, "reading the list");
    } else {
        int64_t keep = t->selected;
        memcpy(v->rows, page, sizeof *page * (size_t)got);
        v->n = got;
        for (int i = 0; i < v->n; i++)
            if (v->rows[i].id == keep) v->cur = i;
    }
    free(page);
    select_cur(t, v);
    return flags;
}

/* The overdue count, which reads many rows, and the search finished slice by slice: after the
 * screen is drawn. */
static int main_idle(tui *t, void *s)
{
    main_view *v = s;
    if (v->counting || v->filling) {
        const browse_scan *page;
        int flags = main_scan_slice(t, v, &page);
        return page ? flags | fill_done(t, v, page) : flags;
    }
    if (!v->overdue_pending) return TUI_NONE;
    v->overdue_pending = false;
    int rc = browse_overdue_count(t->db, t->as_of, &v->overdue);
    return rc ? tui_status_store(t, rc, "counting follow-ups") : TUI_REDRAW;
}

/* A typed character (UTF-8 in s) or backspace while searching. */
static int main_search_input(tui *t, main_view *v, const char *s, bool backspace)
{
    char *text = t->filter.text;
    size_t len = strlen(text);
    if (backspace) {
        if (!len) return TUI_NONE;
        while (len > 0 && ((unsigned char)text[len - 1] & 0xC0) == 0x80)
            len--;
        if (len > 0) len--;
        text[len] = '\0';
    } else {
        size_t add = strlen(s);
        if (len + add >= sizeof t->filter.text) return TUI_NONE;
        memcpy(text + len, s, add + 1);
    }
    return load_top(t, v, COUNTS_SIDEBAR);
}

static int list_action(tui *t, main_view *v, tui_action a)
{
    int h = list_height();
    if (t->sidebar_focus && (a == ACT_DOWN || a == ACT_UP))
        return change_issue(t, v, a == ACT_DOWN ? 1 : -1);
    switch (a) {
    case ACT_DOWN: return move_down(t, v, 1);
    case ACT_UP: return move_up(t, v, 1);
    case ACT_PGDN: return move_down(t, v, h);
    case ACT_PGUP: return move_up(t, v, h);
    case ACT_TOP: return load_top(t, v, COUNTS_SHOWN);
    case ACT_END: return load_end(t, v);
    case ACT_PREV_ISSUE: return change_issue(t, v, -1);
    case ACT_NEXT_ISSUE: return change_issue(t, v, 1);
    case ACT_FOCUS: t->sidebar_focus = !t->sidebar_focus; return TUI_REDRAW;
    case ACT_SEARCH: v->searching = true; return TUI_REDRAW;
    case ACT_CLEAR: {
        /* Back to the default filter (the live referrals), keeping the issue type. */
        browse_filter def;
        browse_filter_default(&def);
        def.issue = t->filter.issue;
        bool had = memcmp(&def, &t->filter, sizeof def) != 0;
        t->filter = def;
        v->searching = false;
        return had ? load_top(t, v, COUNTS_SIDEBAR) : TUI_REDRAW;
    }
    case ACT_OPEN: return t->selected ? tui_open(t, SCR_DETAIL, t->selected) : TUI_NONE;
    case ACT_REPORTS: return tui_open(t, SCR_REPORT, 0);
    case ACT_CONFLICTS: return tui_open(t, SCR_CONFLICTS, 0);
    case ACT_RETENTION: return tui_open(t, SCR_RETENTION, 0);
    case ACT_CHILD:
        for (int i = 0; i < v->n; i++)
            if (v->rows[i].id == t->selected) return tui_open(t, SCR_CHILD, v->rows[i].child_id);
        return TUI_NONE;
    case ACT_NEW: return tuiform_new_referral(t);
    case ACT_DUE:
        /* The day's follow-ups, earliest first; again: back to the list. */
        if (t->filter.follow_up == BROWSE_FOLLOW_DUE) {
            t->filter.follow_up = BROWSE_FOLLOW_ANY;
        } else {
            t->filter.follow_up = BROWSE_FOLLOW_DUE;
            t->filter.issue = -1; /* of every issue type */
        }
        return load_top(t, v, COUNTS_SIDEBAR);
    case ACT_FILTER: {
        browse_filter before = t->filter;
        int flags = tuiform_filters(t, &t->filter);
        if (memcmp(&before, &t->filter, sizeof before) != 0) flags |= load_top(t, v, COUNTS_ALL);
        return flags | TUI_REDRAW;
    }
    case ACT_ACTION:
    case ACT_OUTCOME:
    case ACT_CLOSE:
    case ACT_EDIT:
        if (!t->selected) {
            tui_status(t, "no referral selected");
            return TUI_REDRAW;
        }
        if (a == ACT_ACTION) return tuiform_add_action(t, t->selected);
        if (a == ACT_OUTCOME) return tuiform_record_outcome(t, t->selected);
        if (a == ACT_CLOSE) return tuiform_close(t, t->selected);
        return tuiform_edit(t, t->selected);
    default: return tui_key_common(t, a, SCR_MAIN);
    }
}

/* A key while `/` takes the keys: characters go into the search, Enter keeps it, Esc clears it,
 * the moves still move. */
static int search_key(tui *t, main_view *v, tui_action a, const tui_keypress *k)
{
    int key = k->key;
    if (a == ACT_PASTE) {
        /* Pasted text goes into the search being typed (newlines as spaces). */
        char paste[sizeof t->filter.text];
        snprintf(paste, sizeof paste, "%s", k->paste);
        for (size_t i = 0; paste[i]; i++)
            if ((unsigned char)paste[i] < 0x20 || paste[i] == 0x7f) paste[i] = ' ';
        return main_search_input(t, v, paste, false);
    }
    if (key == ESC) return list_action(t, v, ACT_CLEAR);
    if (key == '\n' || key == '\r' || key == FK(KEY_ENTER)) {
        v->searching = false;
        return TUI_REDRAW;
    }
    if (key == FK(KEY_BACKSPACE) || key == 127 || key == 8)
        return main_search_input(t, v, "", true);
    if (key >= 0x20 && key != 127 && !(key & 0x40000000) && k->utf8[0])
        return main_search_input(t, v, k->utf8, false);
    if (a == ACT_DOWN || a == ACT_UP || a == ACT_PGDN || a == ACT_PGUP) return list_action(t, v, a);
    return TUI_NONE;
}

static int main_action(tui *t, void *s, tui_action a, const tui_keypress *k)
{
    main_view *v = s;
    if (v->searching) return search_key(t, v, a, k);
    return list_action(t, v, a);
}

static int main_load(tui *t, void *s, int64_t arg, bool opening)
{
    (void)arg;
    (void)opening;
    return main_reload(t, s);
}

/* ---- drawing ---- */

typedef struct {
    int band, score, child, year, school, issue, status, officer, days, follow;
} widths;

/* The issue column only when every issue type is listed (or there is room for it). */
static widths column_widths(int w, bool issue_column)
{
    widths c = {5, 3, 0, 3, 0, 0, 6, 3, 4, COLS >= 110 ? 10 : 5};
    int fixed = c.band + c.score + c.year + c.status + c.officer + c.days + (c.follow + 1) + 8;
    int rest = w - fixed;
    if (rest < 12) rest = 12;
    /* The issue column takes a fifth of the room and the child 55% of what is left. Narrower
     * than the short labels, the issue column takes their width from the school's share when
     * that leaves the school 10 columns, else it shows the abbreviations (codes_label_fit). */
    int share = issue_column ? rest * 20 / 100 : 0;
    c.child = (rest - (issue_column ? share + 1 : 0)) * 55 / 100;
    if (issue_column) {
        c.issue = share;
        if (c.issue < CODES_SHORT_MAX)
            c.issue = rest - c.child - CODES_SHORT_MAX - 2 >= 10 ? CODES_SHORT_MAX : CODES_ABBR_MAX;
        rest -= c.issue + 1;
    }
    c.school = rest - c.child - 1;
    return c;
}

/* A column's heading: of labels (the whole word, then its abbreviations; NULL-ended), the first
 * that fits w columns, so that a heading is never cut mid-word; the last when none fits. */
static const char *heading_fit(const char *const *labels, int w)
{
    const char *fit = labels[0];
    for (size_t i = 0; labels[i]; i++) {
        fit = labels[i];
        if ((int)strlen(fit) <= w) break;
    }
    return fit;
}

static void draw_sidebar(tui *t, main_view *v)
{
    int n = (int)codes_count(CODES_ISSUE);
    attr_t head = tui_attr(t, TUI_PAIR_DIM);
    attron(head);
    tui_text(stdscr, 1, 0, SIDEBAR_W, "Issue types");
    attroff(head);
    for (int i = 0; i <= n && 2 + i < LINES - 2; i++) {
        const char *label =
            i == 0 ? "All" : codes_label_fit(CODES_ISSUE, (size_t)(i - 1), SIDEBAR_LABEL_W);
        long count = i == 0 ? v->all_count : v->issue_counts[i - 1];
        bool chosen = t->filter.issue == i - 1;
        char num[24];
        if (v->counting)
            snprintf(num, sizeof num, "...");
        else
            snprintf(num, sizeof num, "%ld", count);
        attr_t a = A_NORMAL;
        if (chosen) a = t->sidebar_focus ? tui_attr(t, TUI_PAIR_SELECTED) : A_BOLD;
        attron(a);
        tui_text(stdscr, 2 + i, 0, 1, chosen ? ">" : " ");
        tui_text(stdscr, 2 + i, 1, SIDEBAR_LABEL_W, label);
        mvprintw(2 + i, SIDEBAR_W - 7, "%6s ", num);
        attroff(a);
    }
    for (int y = 1; y < LINES - 2; y++)
        mvaddch(y, SIDEBAR_W, ACS_VLINE);
}

static void draw_row(tui *t, int y, int x, const widths *c, const browse_row *r, bool sel)
{
    attr_t base = A_NORMAL;
    if (sel) base = t->sidebar_focus ? A_UNDERLINE : tui_attr(t, TUI_PAIR_SELECTED);
    char tmp[32];
    attrset(base);
    mvhline(y, x, ' ', COLS - x);
    attrset(sel ? base : tui_band_attr(t, r->band));
    tui_text(stdscr, y, x, c->band, codes_band_label(r->band));
    attrset(base);
    x += c->band + 1;
    snprintf(tmp, sizeof tmp, "%*d", c->score, r->score);
    tui_text(stdscr, y, x, c->score, tmp);
    x += c->score + 1;
    tui_text(stdscr, y, x, c->child, r->child);
    x += c->child + 1;
    cal_year_text(r->year_group, CAL_YEAR_SHORT, tmp);
    tui_text(stdscr, y, x, c->year, tmp);
    x += c->year + 1;
    tui_text(stdscr, y, x, c->school, r->school);
    x += c->school + 1;
    if (c->issue) {
        tui_text(stdscr, y, x, c->issue, codes_label_of_fit(CODES_ISSUE, r->issue, c->issue));
        x += c->issue + 1;
    }
    tui_text(stdscr, y, x, c->status, codes_label_of_fit(CODES_STATUS, r->status, c->status));
    x += c->status + 1;
    tui_text(stdscr, y, x, c->officer, r->officer);
    x += c->officer + 1;
    snprintf(tmp, sizeof tmp, "%*d", c->days, r->days_open);
    tui_text(stdscr, y, x, c->days, tmp);
    x += c->days + 1;
    const char *fu = r->follow_up;
    if (c->follow < 10 && strlen(fu) == 10) fu += 5; /* MM-DD on narrow screens */
    snprintf(tmp, sizeof tmp, "%s%s", fu, r->overdue ? "!" : "");
    if (r->overdue && !sel) attrset(tui_attr(t, TUI_PAIR_OVERDUE));
    tui_text(stdscr, y, x, c->follow + 1, tmp);
    attrset(A_NORMAL);
}

/* The status line: shown/total, the filter, overdue follow-ups; while `/` takes the keys, the
 * text typed. */
static void draw_status_line(tui *t, main_view *v)
{
    char buf[256];
    attr_t st = tui_attr(t, TUI_PAIR_STATUS);
    attron(st);
    char filt[200], shown[32];
    browse_filter_describe(&t->filter, filt, sizeof filt);
    if (v->counting) /* a short text's count, pending (main_idle) */
        snprintf(shown, sizeof shown, "(counting)");
    else
        snprintf(shown, sizeof shown, "%ld", v->shown);
    if (v->searching) {
        snprintf(buf, sizeof buf, " /%s_", t->filter.text);
        char rest[400];
        snprintf(rest, sizeof rest, "%s   (Enter keeps, Esc clears)   %s shown of %ld%s", buf,
                 shown, v->total, v->filling ? "   searching..." : "");
        tui_text(stdscr, LINES - 2, 0, COLS, rest);
    } else {
        char line[400], od[64];
        if (v->overdue_pending)
            snprintf(od, sizeof od, "counting overdue follow-ups");
        else
            snprintf(od, sizeof od, "%ld overdue follow-up%s", v->overdue,
                     v->overdue == 1 ? "" : "s");
        snprintf(line, sizeof line, " %s shown of %ld%s%s   %s%s", shown, v->total,
                 filt[0] ? "   filter: " : "", filt, od, v->filling ? "   searching..." : "");
        tui_text(stdscr, LINES - 2, 0, COLS, line);
    }
    attroff(st);
}

static void main_draw(tui *t, void *s)
{
    main_view *v = s;
    erase();
    /* Title bar. */
    attr_t title = tui_attr(t, TUI_PAIR_TITLE);
    attron(title);
    char buf[256], as_of[11];
    date_format(t->as_of, as_of);
    const char *issue =
        t->filter.issue >= 0 ? codes_label(CODES_ISSUE, (size_t)t->filter.issue) : "All referrals";
    snprintf(buf, sizeof buf, " caseload  %s  (as of %s)", issue, as_of);
    tui_text(stdscr, 0, 0, COLS, buf);
    attroff(title);

    draw_sidebar(t, v);

    int x = SIDEBAR_W + 2;
    widths c = column_widths(COLS - x, t->filter.issue < 0 || COLS >= 100);
    attr_t head = tui_attr(t, TUI_PAIR_DIM) | A_BOLD;
    attron(head);
    int hx = x;
#define HEAD(w, right, ...)                                                                        \
    do {                                                                                           \
        snprintf(buf, sizeof buf, right ? "%*s" : "%-*s", (w),                                     \
                 heading_fit((const char *const[]){__VA_ARGS__, NULL}, (w)));                      \
        tui_text(stdscr, 1, hx, (w), buf);                                                         \
        hx += (w) + 1;                                                                             \
    } while (0)
    HEAD(c.band, 0, "BAND");
    HEAD(c.score, 1, "SCR");
    HEAD(c.child, 0, "CHILD");
    HEAD(c.year, 0, "YR");
    HEAD(c.school, 0, "SCHOOL", "SCH");
    if (c.issue) HEAD(c.issue, 0, "ISSUE", "ISS");
    HEAD(c.status, 0, "STATUS");
    HEAD(c.officer, 0, "OFF");
    HEAD(c.days, 1, "DAYS");
    HEAD(c.follow + 1, 0, "FOLLOW-UP", "F-UP");
#undef HEAD
    attroff(head);

    for (int i = 0; i < v->n; i++)
        draw_row(t, 2 + i, x, &c, &v->rows[i], i == v->cur);
    if (v->n == 0) {
        attron(tui_attr(t, TUI_PAIR_DIM));
        tui_text(stdscr, 3, x, COLS - x,
                 v->filling ? "Searching..."
                 : browse_filter_active(&t->filter)
                     ? "No referral matches the filter (Esc clears it)."
                     : "No referrals yet (n adds one).");
        attroff(tui_attr(t, TUI_PAIR_DIM));
    }

    draw_status_line(t, v);
    tui_draw_status(t);
    tui_draw_hints(t, SCR_MAIN);
}

const screen_ops screen_main_ops = {
    .id = SCR_MAIN,
    .create = main_create,
    .load = main_load,
    .draw = main_draw,
    .action = main_action,
    .idle = main_idle,
    .free = main_free,
};
