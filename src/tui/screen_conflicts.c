/* screen_conflicts.c: the conflicts screen (SPEC section 9; key C on the main screen). The open
 * conflicts of offline copies, oldest first, each with the referral or child it concerns, the
 * field's label and the base, hub's and laptop's values side by side (sync_conflicts_page: labels
 * for codes, dates as dates); the selected one's values below the list, as many lines as fit, and
 * with Enter whole (sync_conflict_item_get: never cut, however long) in the shared scrolling text
 * view, made safe for the terminal, until Enter or q goes back to the list. Keys of the one key
 * table keep the current (hub's) value, take the laptop's, or type a value (a form checked by the
 * field's rule through sync_resolve, the function `sync resolve` calls: audited, and it travels in
 * the next pack). Only the rows on screen are held: moving past an edge fetches the next keyset
 * page. */
#include "caseload/exitcode.h"
#include "caseload/sync.h"
#include "form.h"
#include "screen.h"
#include "textview.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PANE_H = 5 }; /* the selected conflict's values: a heading, up to 3 lines, a rule */

typedef struct conflicts_view {
    sync_conflict_row *rows; /* the rows on screen, cap of them */
    int n, cap, cur;
    bool reading;   /* the selected conflict's values whole (Enter), not the list */
    int64_t read;   /* ... the one being read */
    textview whole; /* ... its heading and values */
} conflicts_view;

/* Rows of the list: the screen less the title, the headings, the pane, status and hints. */
static int list_height(void)
{
    int h = LINES - 4 - PANE_H;
    return h < 1 ? 1 : h;
}

static void *view_create(void)
{
    conflicts_view *v = calloc(1, sizeof(conflicts_view));
    if (v) textview_init(&v->whole, 1);
    return v;
}

static void view_free(void *s)
{
    conflicts_view *v = s;
    if (!v) return;
    textview_free(&v->whole);
    free(v->rows);
    free(v);
}

static bool ensure_cap(conflicts_view *v)
{
    int h = list_height();
    if (v->cap >= h && v->rows) return true;
    sync_conflict_row *r = realloc(v->rows, sizeof *r * (size_t)h);
    if (!r) return false;
    v->rows = r;
    v->cap = h;
    return true;
}

/* A page into a scratch array; on success it replaces the rows when it holds any (or always
 * with replace_empty). Returns the rows read, or -1 on failure (status line set). */
static int fetch(tui *t, conflicts_view *v, const syncstore_conflict_key *from, bool backward,
                 int limit, bool replace_empty)
{
    sync_conflict_row *page = malloc(sizeof *page * (size_t)(limit > 0 ? limit : 1));
    if (!page) {
        tui_status_store(t, EXIT_IO, "out of memory");
        return -1;
    }
    int n;
    int rc = sync_conflicts_page(t->db, from, backward, limit, page, &n);
    if (rc) {
        tui_status_store(t, rc, "reading the conflicts");
        n = -1;
        goto out;
    }
    if (n > 0 || replace_empty) {
        memcpy(v->rows, page, sizeof *page * (size_t)n);
        v->n = n;
    }
out:
    free(page);
    return n;
}

static void clamp(conflicts_view *v)
{
    if (v->cur >= v->n) v->cur = v->n - 1;
    if (v->cur < 0) v->cur = 0;
}

static int load_top(tui *t, conflicts_view *v)
{
    if (!ensure_cap(v)) return tui_status_store(t, EXIT_IO, "out of memory");
    if (fetch(t, v, NULL, false, list_height(), true) < 0) return TUI_REDRAW;
    v->cur = 0;
    return TUI_REDRAW;
}

static int reload(tui *t, conflicts_view *v)
{
    if (!ensure_cap(v)) return tui_status_store(t, EXIT_IO, "out of memory");
    int h = list_height();
    if (v->n == 0) return load_top(t, v);
    /* From the first row on screen, that row included ((at, id - 1) is just before it). */
    syncstore_conflict_key from = v->rows[0].key;
    from.id -= 1;
    if (fetch(t, v, &from, false, h, true) < 0) return TUI_REDRAW;
    if (v->n < h && fetch(t, v, NULL, true, h, true) < 0) /* the end moved up: the last rows */
        return TUI_REDRAW;
    clamp(v);
    return TUI_REDRAW;
}

static int move_in_list(tui *t, conflicts_view *v, tui_action a)
{
    int h = list_height();
    switch (a) {
    case ACT_DOWN:
        if (v->cur + 1 < v->n) {
            v->cur++;
        } else if (v->n == h) { /* one further: the page from the second row on */
            syncstore_conflict_key from = v->rows[0].key;
            sync_conflict_row last = v->rows[v->n - 1];
            if (fetch(t, v, &from, false, h, false) < 0) break;
            if (v->rows[v->n - 1].id == last.id) { /* nothing further: as it was */
                from.id -= 1;
                fetch(t, v, &from, false, h, false);
            }
            v->cur = v->n - 1;
        }
        break;
    case ACT_UP:
        if (v->cur > 0) {
            v->cur--;
        } else if (v->n > 0) {
            sync_conflict_row before;
            int n;
            int rc = sync_conflicts_page(t->db, &v->rows[0].key, true, 1, &before, &n);
            if (rc) return tui_status_store(t, rc, "reading the conflicts");
            if (n == 1) {
                syncstore_conflict_key from = before.key;
                from.id -= 1;
                fetch(t, v, &from, false, h, false);
                v->cur = 0;
            }
        }
        break;
    case ACT_PGDN:
        if (v->n == h && fetch(t, v, &v->rows[v->n - 1].key, false, h, false) > 0)
            v->cur = 0;
        else
            v->cur = v->n - 1;
        break;
    case ACT_PGUP: {
        if (v->n == 0) break;
        syncstore_conflict_key first = v->rows[0].key;
        int got = fetch(t, v, &first, true, h, false);
        if (got >= 0 && got < h) /* near the top: the first page */
            fetch(t, v, NULL, false, h, false);
        v->cur = 0;
        break;
    }
    case ACT_TOP: return load_top(t, v);
    case ACT_END:
        if (fetch(t, v, NULL, true, h, true) >= 0) v->cur = v->n - 1;
        break;
    default: break;
    }
    clamp(v);
    return TUI_REDRAW;
}

/* ---- reading one conflict whole ---- */

static int add_item(void *ctx, const sync_conflict_item *it)
{
    textview *tv = ctx;
    buf b = BUF_INIT;
    sync_conflict_heading(it->row, &b);
    textview_add(tv, 0, true, "", buf_str(&b));
    textview_add(tv, 0, false, "", "");
    textview_add(tv, 0, false, "Base (both had): ", it->shown[0]);
    textview_add(tv, 0, false, "", "");
    textview_add(tv, 0, false, "Hub's (kept now): ", it->shown[1]);
    textview_add(tv, 0, false, "", "");
    buf_reset(&b);
    buf_printf(&b, "%s's: ", it->row->laptop_name);
    textview_add(tv, 0, false, buf_str(&b), it->shown[2]);
    buf_free(&b);
    return EXIT_OK;
}

/* The selected conflict whole into the text view (the place kept when it is the one already
 * read); reading stops when there is none or it is no longer the selected one. */
static int read_whole(tui *t, conflicts_view *v, bool opening)
{
    if (v->n == 0 || (!opening && v->rows[v->cur].id != v->read)) {
        v->reading = false;
        return TUI_REDRAW;
    }
    textview_clear(&v->whole);
    if (opening) v->whole.scroll = 0;
    v->read = v->rows[v->cur].id;
    int rc = sync_conflict_item_get(t->db, v->read, add_item, &v->whole);
    if (rc == EXIT_FOUND) {
        v->reading = false;
        tui_status_error(t, "the conflict was resolved meanwhile");
        return TUI_RELOAD | TUI_REDRAW;
    }
    if (rc) {
        v->reading = false;
        return tui_status_store(t, rc, "reading the conflict");
    }
    v->reading = true;
    return TUI_REDRAW;
}

/* ---- resolving ---- */

/* The message of sync_resolve for a person: without "conflict ID: " (the screen shows which). */
static const char *plain(const char *err, int64_t id)
{
    char prefix[48];
    int k = snprintf(prefix, sizeof prefix, "conflict %lld: ", (long long)id);
    return strncmp(err, prefix, (size_t)k) == 0 ? err + k : err;
}

static int resolved(tui *t, const sync_conflict_row *r, const char *what)
{
    tui_status(t, "Resolved: %s %s: %s", r->what, r->label, what);
    return TUI_RELOAD | TUI_REDRAW;
}

static int resolve(tui *t, const sync_conflict_row *r, const char *how)
{
    char err[512];
    int rc = sync_resolve(t->db, t->cfg, t->as_of, r->id, how, NULL, err, sizeof err);
    if (rc == EXIT_DATA) {
        tui_status_error(t, "%s", plain(err, r->id));
        return TUI_RELOAD | TUI_REDRAW; /* it may have been resolved elsewhere meanwhile */
    }
    if (rc) return tui_status_store(t, rc, "resolving the conflict");
    if (strcmp(how, "keep") == 0)
        return resolved(t, r,
                        strcmp(r->kind, "delete_vs_edit") == 0 ? "the row is kept, as on the hub"
                        : strcmp(r->kind, "edit_vs_delete") == 0
                            ? "the row is deleted, as on the hub"
                        : strcmp(r->kind, "duplicate") == 0 ? "both rows kept as they are"
                                                            : "kept the hub's value");
    return resolved(t, r,
                    strcmp(r->kind, "delete_vs_edit") == 0 ? "the row is deleted, as on the laptop"
                    : strcmp(r->kind, "edit_vs_delete") == 0 ? "the row is kept, as on the laptop"
                                                             : "took the laptop's value");
}

typedef struct {
    tui *t;
    const sync_conflict_row *r;
} set_ctx;

static bool save_value(form *f, void *vctx)
{
    set_ctx *cx = vctx;
    char err[512];
    int rc = sync_resolve(cx->t->db, cx->t->cfg, cx->t->as_of, cx->r->id, "set",
                          form_value(form_find(f, "value")), err, sizeof err);
    if (rc == EXIT_DATA) {
        form_set_error(f, "value", plain(err, cx->r->id));
        return false;
    }
    if (rc) {
        form_set_error(f, NULL, rc == EXIT_BUSY ? "database busy, try again" : err);
        return false;
    }
    return true;
}

static int copy_typed(void *ctx, const sync_conflict_item *it)
{
    buf_puts(ctx, it->typed);
    return EXIT_OK;
}

static int type_value(tui *t, const sync_conflict_row *r)
{
    /* A summary or a note may be longer than the row holds: the form starts from it whole. */
    bool note = strcmp(r->field, "summary") == 0 || strcmp(r->field, "note") == 0;
    buf typed = BUF_INIT;
    int rc = note ? sync_conflict_item_get(t->db, r->id, copy_typed, &typed) : EXIT_OK;
    if (rc) {
        buf_free(&typed);
        return tui_status_store(t, rc, "reading the conflict");
    }
    form f;
    form_init(&f, strcmp(r->kind, "duplicate") == 0
                      ? "Resolve: a key of its own for the laptop's row"
                      : "Resolve: type the value to keep");
    buf ctx = BUF_INIT;
    buf_printf(&ctx, "%s%s%s  hub: %s  %s: %s", r->ref, r->ref[0] ? " " : "", r->child, r->hub,
               r->laptop_name, r->laptop);
    store_copy_text(f.context, sizeof f.context, buf_str(&ctx));
    buf_free(&ctx);
    if (note)
        form_note(&f, "value", r->label, typed.len + SYNC_SHOWN, buf_str(&typed), false);
    else
        form_text(&f, "value", r->label, SYNC_SHOWN - 1, r->typed, false);
    buf_free(&typed);
    set_ctx cx = {t, r};
    bool saved = form_run(t, &f, save_value, &cx);
    form_free(&f);
    if (!saved) return TUI_REDRAW;
    return resolved(t, r, "set to the value typed");
}

static int view_action(tui *t, void *s, tui_action a, const tui_keypress *k)
{
    (void)k;
    conflicts_view *v = s;
    int flags;
    if (v->reading && textview_key(&v->whole, a, &flags)) return flags;
    switch (a) {
    case ACT_OPEN:
        if (v->reading) {
            v->reading = false;
            return TUI_REDRAW;
        }
        if (v->n == 0) return TUI_NONE;
        return read_whole(t, v, true);
    case ACT_BACK:
        if (!v->reading) return TUI_BACK;
        v->reading = false;
        return TUI_REDRAW;
    case ACT_KEEP:
    case ACT_TAKE:
    case ACT_SET: {
        if (v->n == 0) {
            tui_status(t, "no conflict to resolve");
            return TUI_REDRAW;
        }
        sync_conflict_row r = v->rows[v->cur];
        const char *how = a == ACT_KEEP ? "keep" : a == ACT_TAKE ? "take" : "set";
        /* A key that does not apply to this conflict says why, as sync resolve would. */
        const char *why = sync_resolve_refused(r.kind, r.correction, how);
        if (why) {
            tui_status_error(t, "%s", why);
            return TUI_REDRAW;
        }
        if (a == ACT_SET) return type_value(t, &r);
        return resolve(t, &r, how);
    }
    case ACT_DOWN:
    case ACT_UP:
    case ACT_PGDN:
    case ACT_PGUP:
    case ACT_TOP:
    case ACT_END: return move_in_list(t, v, a);
    case ACT_PASTE: return TUI_NONE; /* dropped: no field here */
    default: return tui_key_common(t, a, SCR_CONFLICTS);
    }
}

/* ---- drawing ---- */

typedef struct {
    int what, field, base, hub, laptop; /* base: 0 when the screen is too narrow for it */
} widths;

static widths column_widths(void)
{
    widths c;
    c.what = COLS >= 110 ? 20 : 14;
    c.field = COLS >= 110 ? 20 : 16;
    int rest = COLS - 1 - c.what - c.field - 3;
    c.base = 0;
    if (COLS >= 110) {
        c.base = rest / 3;
        rest -= c.base + 1;
    }
    c.hub = rest / 2;
    c.laptop = rest - c.hub;
    return c;
}

/* The bytes of s that fit in width columns (tui_text measures), cut on a character, at a space
 * when there is one. */
static size_t fitting(const char *s, size_t len, int width)
{
    char *piece = malloc(len + 1);
    if (!piece) return 0;
    size_t take = len;
    for (;;) {
        memcpy(piece, s, take);
        piece[take] = '\0';
        if (take == 0 || tui_text_width(piece) <= width) break;
        take--;
        while (take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80)
            take--;
    }
    free(piece);
    if (take < len) {
        size_t sp = take;
        while (sp > 0 && s[sp] != ' ')
            sp--;
        if (sp > 0) take = sp + 1;
    }
    return take;
}

/* Up to `lines` lines of s wrapped to width columns at (y, x); a newline starts a line. False
 * when some of s did not fit. */
static bool draw_wrapped(int y, int x, int width, int lines, const char *s)
{
    const char *p = s;
    for (int i = 0; i < lines && *p; i++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        size_t take = fitting(p, len, width);
        if (take == 0 && len > 0) break; /* a character wider than the column */
        char *line = malloc(take + 1);
        if (!line) break;
        memcpy(line, p, take);
        line[take] = '\0';
        tui_text(stdscr, y + i, x, width, line);
        free(line);
        p += take;
        if (take == len && *p == '\n') p++;
    }
    return !*p;
}

/* The title, the headings and the rows on screen. */
static void draw_list(tui *t, const conflicts_view *v)
{
    widths c = column_widths();
    attrset(tui_attr(t, TUI_PAIR_TITLE));
    mvhline(0, 0, ' ', COLS);
    tui_text(stdscr, 0, 0, COLS,
             " Conflicts between copies: both values kept, a person decides (oldest first)");
    attrset(tui_attr(t, TUI_PAIR_DIM));
    int x = 1;
    tui_text(stdscr, 1, x, c.what, "Ref/child");
    x += c.what + 1;
    tui_text(stdscr, 1, x, c.field, "Field");
    x += c.field + 1;
    if (c.base) {
        tui_text(stdscr, 1, x, c.base, "Base");
        x += c.base + 1;
    }
    tui_text(stdscr, 1, x, c.hub, "Hub's (kept now)");
    x += c.hub + 1;
    tui_text(stdscr, 1, x, c.laptop, "Laptop's");
    attrset(A_NORMAL);
    int h = list_height();
    if (v->n == 0)
        tui_text(stdscr, 3, 2, COLS - 4, "No open conflicts: nothing waits for a person.");
    for (int i = 0; i < v->n && i < h; i++) {
        const sync_conflict_row *r = &v->rows[i];
        bool sel = i == v->cur;
        attrset(sel ? tui_attr(t, TUI_PAIR_SELECTED) : A_NORMAL);
        mvhline(2 + i, 0, ' ', COLS);
        buf lap = BUF_INIT;
        buf_printf(&lap, "%s: %s", r->laptop_name, r->laptop);
        x = 1;
        tui_text(stdscr, 2 + i, 0, 1, sel ? ">" : " ");
        tui_text(stdscr, 2 + i, x, c.what, r->what);
        x += c.what + 1;
        tui_text(stdscr, 2 + i, x, c.field, r->label);
        x += c.field + 1;
        if (c.base) {
            tui_text(stdscr, 2 + i, x, c.base, r->base);
            x += c.base + 1;
        }
        tui_text(stdscr, 2 + i, x, c.hub, r->hub);
        x += c.hub + 1;
        tui_text(stdscr, 2 + i, x, c.laptop, buf_str(&lap));
        buf_free(&lap);
    }
    attrset(A_NORMAL);
}

/* The selected conflict whole below the list: what it concerns, then the three values side by
 * side. */
static void draw_pane(tui *t, const conflicts_view *v)
{
    int y = LINES - 2 - PANE_H;
    mvhline(y, 0, ACS_HLINE, COLS);
    if (v->n > 0) {
        const sync_conflict_row *r = &v->rows[v->cur];
        buf head = BUF_INIT;
        buf_putc(&head, ' ');
        sync_conflict_heading(r, &head);
        buf_putc(&head, ' ');
        attrset(A_BOLD);
        tui_text(stdscr, y, 2, COLS - 4, buf_str(&head));
        attrset(A_NORMAL);
        buf_free(&head);
        int w = (COLS - 4) / 3;
        buf lap = BUF_INIT;
        buf_printf(&lap, "%s's", r->laptop_name);
        attrset(tui_attr(t, TUI_PAIR_DIM));
        tui_text(stdscr, y + 1, 1, w, "Base (both had)");
        tui_text(stdscr, y + 1, 2 + w, w, "Hub's (kept now)");
        tui_text(stdscr, y + 1, 3 + 2 * w, w, buf_str(&lap));
        attrset(A_NORMAL);
        buf_free(&lap);
        bool whole = draw_wrapped(y + 2, 1, w, PANE_H - 2, r->base);
        whole &= draw_wrapped(y + 2, 2 + w, w, PANE_H - 2, r->hub);
        whole &= draw_wrapped(y + 2, 3 + 2 * w, w, PANE_H - 2, r->laptop);
        if (!whole) { /* more than the pane holds: say where the rest is */
            static const char more[] = " more: Enter shows the values whole ";
            attrset(tui_attr(t, TUI_PAIR_DIM));
            tui_text(stdscr, y, COLS - (int)sizeof more - 1, (int)sizeof more, more);
            attrset(A_NORMAL);
        }
    }
}

/* The conflict being read: its heading and values whole, scrolled. */
static void draw_whole(tui *t, conflicts_view *v)
{
    char pos[64];
    textview_draw(t, &v->whole, 1, LINES - 3);
    textview_position(&v->whole, pos, sizeof pos);
    attrset(tui_attr(t, TUI_PAIR_TITLE));
    mvhline(0, 0, ' ', COLS);
    buf title = BUF_INIT;
    buf_printf(&title, " Conflict, the values whole (j/k scroll, Enter or q: the list)%s", pos);
    tui_text(stdscr, 0, 0, COLS, buf_str(&title));
    buf_free(&title);
    attrset(A_NORMAL);
}

static void view_draw(tui *t, void *s)
{
    conflicts_view *v = s;
    erase();
    if (v->reading) {
        draw_whole(t, v);
    } else {
        draw_list(t, v);
        draw_pane(t, v);
    }
    tui_draw_status(t);
    tui_draw_hints(t, SCR_CONFLICTS);
}

/* Opens on the oldest conflicts; afterwards (a resolve, another program's change, a resize)
 * from the first row on screen, the selected place kept. */
static int view_load(tui *t, void *s, int64_t arg, bool opening)
{
    (void)arg;
    conflicts_view *v = s;
    if (opening) return load_top(t, v);
    int flags = reload(t, v);
    return v->reading ? flags | read_whole(t, v, false) : flags;
}

const screen_ops screen_conflicts_ops = {
    .id = SCR_CONFLICTS,
    .create = view_create,
    .load = view_load,
    .draw = view_draw,
    .action = view_action,
    .idle = screen_no_idle,
    .free = view_free,
};
