/* screen_access.c: a child's access log (`L` on the referral screen and the child view): every
 * look at and change of the child's records — when (UTC), what (view, score, sar, export, insert,
 * update, close, ...), which row (table and id), and who (the officer named to the program and the
 * operating-system user) — newest first, in the shared scrolling view. Ids only, as the log holds
 * them. Read a page at a time as the view comes near its end (privacy_each_access by key). */
#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include "caseload/privacy.h"
#include "screen.h"
#include "textview.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LOG_PAGE = 200, WHAT_W = 10 }; /* WHAT_W: the column of what was done */

typedef struct access_view {
    int64_t child;
    char who[256]; /* the child's name and id, for the title */
    int nrows;     /* log rows read */
    bool end;      /* the oldest row is read */
    privacy_access_key last;
    textview tv;
} access_view;

static void *access_create(void)
{
    access_view *v = calloc(1, sizeof *v);
    if (v) textview_init(&v->tv, 1);
    return v;
}

static void access_free(void *s)
{
    access_view *v = s;
    if (!v) return;
    textview_free(&v->tv);
    free(v);
}

typedef struct {
    access_view *v;
    int n;
} page_ctx;

/* "2022-01-06T12:00:00.123Z" as "2022-01-06 12:00:00". */
static void when_text(const char *at, char *out, size_t n)
{
    snprintf(out, n, "%.19s", at);
    if (strlen(out) > 10 && out[10] == 'T') out[10] = ' ';
}

static int add_row(void *ctx, const privacy_access *a)
{
    page_ctx *p = ctx;
    access_view *v = p->v;
    char when[24], row[64] = "", who[160];
    when_text(a->at, when, sizeof when);
    const char *tbl = codes_word_label_of(CODES_W_TABLE, a->tbl);
    if (a->tbl[0] && a->row_id)
        snprintf(row, sizeof row, "%s %lld", tbl, (long long)a->row_id);
    else if (a->tbl[0])
        snprintf(row, sizeof row, "%s", tbl);
    if (a->officer[0])
        snprintf(who, sizeof who, "%s", a->officer);
    else if (a->claimed[0])
        snprintf(who, sizeof who, "\"%s\" (not a known officer)", a->claimed);
    else
        snprintf(who, sizeof who, "no officer named");
    char prefix[48];
    snprintf(prefix, sizeof prefix, "  %-19s  ", when);
    char text[600];
    snprintf(text, sizeof text, "%-*s %-28s %s, OS user %s%s%s", WHAT_W,
             codes_word_label_of(CODES_W_ACCESS, a->action), row, who,
             a->os_user[0] ? a->os_user : "unknown", a->detail[0] ? "   " : "", a->detail);
    textview_add(&v->tv, 0, false, prefix, text);
    snprintf(v->last.at, sizeof v->last.at, "%s", a->at);
    v->last.id = a->id;
    p->n++;
    return 0;
}

static void end_line(access_view *v)
{
    if (v->nrows == 0)
        textview_addf(&v->tv, TUI_PAIR_DIM, false, "  nothing recorded");
    else if (!v->end)
        textview_addf(&v->tv, TUI_PAIR_DIM, false,
                      "  \xe2\x80\xa6 older entries below (read as you scroll)");
    else
        textview_addf(&v->tv, TUI_PAIR_DIM, false, "  (the oldest entry)");
}

/* Reads the next page of the log into the view. */
static int read_page(tui *t, access_view *v)
{
    if (v->end) return EXIT_OK;
    if (v->nrows > 0 && v->tv.nlines > 0) { /* the "older entries below" line goes */
        free(v->tv.lines[--v->tv.nlines].text);
        v->tv.width = 0;
    }
    page_ctx p = {v, 0};
    int rc =
        privacy_each_access(t->db, v->child, v->nrows ? &v->last : NULL, LOG_PAGE, add_row, &p);
    if (rc) return rc;
    v->nrows += p.n;
    v->end = p.n < LOG_PAGE;
    end_line(v);
    textview_layout(&v->tv, COLS - v->tv.margin);
    return EXIT_OK;
}

static int access_load(tui *t, void *s, int64_t arg, bool opening)
{
    access_view *v = s;
    if (opening) v->child = arg;
    int had = v->nrows;
    browse_child c;
    int rc = browse_child_get(t->db, v->child, &c);
    if (rc == EXIT_FOUND) {
        tui_status_error(t, "This child is no longer in the database");
        return TUI_BACK | TUI_REDRAW;
    }
    if (!rc)
        snprintf(v->who, sizeof v->who, "%s %s, %s", c.first_name, c.last_name,
                 c.upn[0] ? c.upn : c.la_child_id);
    textview_clear(&v->tv);
    v->nrows = 0;
    v->end = false;
    textview_addf(&v->tv, TUI_PAIR_DIM, false, "  %-19s  %-*s %-28s %s", "when (UTC)", WHAT_W,
                  "what", "row", "who");
    while (!rc && (v->nrows == 0 || v->nrows < had) && !v->end)
        rc = read_page(t, v);
    if (rc) {
        return tui_status_store(t, rc, "reading the access log");
    }
    return TUI_REDRAW;
}

static void access_draw(tui *t, void *s)
{
    access_view *v = s;
    erase();
    attrset(tui_attr(t, TUI_PAIR_TITLE));
    char title[300];
    snprintf(title, sizeof title, " Access log of %s  (newest first)", v->who);
    tui_text(stdscr, 0, 0, COLS, title);
    attrset(A_NORMAL);
    textview_draw(t, &v->tv, 1, LINES - 3);
    attrset(tui_attr(t, TUI_PAIR_STATUS));
    char st[160], pos[80];
    textview_position(&v->tv, pos, sizeof pos);
    snprintf(st, sizeof st, " %d entr%s read%s   %s", v->nrows, v->nrows == 1 ? "y" : "ies",
             v->end ? "" : " so far", pos);
    tui_text(stdscr, LINES - 2, 0, COLS, st);
    attrset(A_NORMAL);
    tui_draw_status(t);
    tui_draw_hints(t, SCR_ACCESS);
}

static int access_action(tui *t, void *s, tui_action a, const tui_keypress *k)
{
    (void)k;
    access_view *v = s;
    int flags;
    if (a == ACT_END) /* the end of the whole log */
        while (!v->end && read_page(t, v) == EXIT_OK)
            ;
    if (!textview_key(&v->tv, a, &flags)) return tui_key_common(t, a, SCR_ACCESS);
    /* Near the end of what is read: the next page. */
    if (!v->end && v->tv.scroll + 2 * v->tv.height >= v->tv.nrows) {
        int rc = read_page(t, v);
        if (rc) tui_status_store(t, rc, "reading the access log");
        flags |= TUI_REDRAW;
    }
    return flags | (a == ACT_END ? TUI_REDRAW : 0);
}

const screen_ops screen_access_ops = {
    .id = SCR_ACCESS,
    .create = access_create,
    .load = access_load,
    .draw = access_draw,
    .action = access_action,
    .idle = screen_no_idle,
    .free = access_free,
};
