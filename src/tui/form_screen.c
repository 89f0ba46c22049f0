/* form_screen.c: the form widget on the screen (form.h): drawing a form and its open list or
 * question, reading keys (a paste whole), the key loop of form_run, and the whole-screen pick
 * list (form_pick) and yes/no question (form_confirm). The key logic is form.c. */
#include "form.h"
#include "lineedit.h"
#include "textview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_ESC 27
#define LABEL_X 2
#define VALUE_X 24

static const form_key_help help_rows[] = {
    {"Tab S-Tab", "next / previous field (Down / Up too, from a note's last / first row)"},
    {"Enter", "save the form; in a note or summary: a new line"},
    {"Ctrl-S F2", "save the form, from any field"},
    {"Ctrl-X Ctrl-E",
     "in a note or summary: edit it in $VISUAL or $EDITOR (vi when neither is set)"},
    {"Esc", "cancel (asks first when something was typed)"},
    {"Space", "open the list of a choice; Left/Right change it"},
    {"Ctrl-A/E", "start / end of the line (Home / End)"},
    {"Ctrl-U/K", "cut to the start / end of the line; Ctrl-W the word before; Ctrl-Y puts back"},
};

const form_key_help *form_help(int *n)
{
    *n = (int)(sizeof help_rows / sizeof help_rows[0]);
    return help_rows;
}

/* ---- drawing ---- */

static void bar(tui *t, int y, const char *text, int pair)
{
    attr_t a = tui_attr(t, pair);
    attron(a);
    mvhline(y, 0, ' ', COLS);
    tui_text(stdscr, y, 1, COLS - 2, text);
    attroff(a);
}

static const char *hint_for(const form *f)
{
    if (f->confirm_esc) return "y discard and leave   any other key: go on editing";
    if (f->confirm_new) return "y create it and save   any other key: back to the field";
    if (f->popup && f->fields[f->focus].kind == FORM_LOOKUP)
        return "Type to narrow  Up/Down move  Enter take  Esc close  Tab next";
    if (f->popup) {
        if (f->fields[f->focus].kind == FORM_MULTI)
            return "Up/Down move  Space tick/untick  Enter done";
        return "Up/Down move  Enter choose  Esc back";
    }
    if (form_is_note(&f->fields[f->focus])) {
        if (f->prefix) return "Ctrl-E: edit the note in $EDITOR   any other key: go on typing";
        return "Enter new line  Tab/S-Tab field  Ctrl-S/F2 save  ^X^E $EDITOR  Esc cancel";
    }
    switch (f->fields[f->focus].kind) {
    case FORM_CHOICE: return "Left/Right change  Space list  Tab/Down next  Enter save  Esc cancel";
    case FORM_MULTI: return "Space list  Tab/Down next  S-Tab/Up previous  Enter save  Esc cancel";
    case FORM_YESNO: return "Space/y/n change  Tab/Down next  Enter save  Esc cancel";
    case FORM_LOOKUP: return "Type to pick  Space list  Tab/Down next  Enter save  Esc cancel";
    case FORM_DATE: return FORM_DATE_HINT "  Tab/Down next  Enter save  Esc cancel";
    default: return "Tab/Down next  S-Tab/Up previous  Enter save  Esc cancel";
    }
}

/* Text of a multi-pick field: the picked labels, comma-separated. */
static void multi_text(const form_field *fl, char *out, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < fl->nchoices; i++) {
        if (!fl->picked[i]) continue;
        int w = snprintf(out + used, n - used, "%s%s", used ? ", " : "", fl->labels[i]);
        if (w < 0 || (size_t)w >= n - used) break;
        used += (size_t)w;
    }
    if (!used) snprintf(out, n, "(none)");
}

/* A blank box of rows lines inside a frame, w columns wide, its top left corner at (y0, x0). */
static void frame(int y0, int x0, int rows, int w)
{
    for (int y = y0; y <= y0 + rows + 1; y++)
        mvhline(y, x0, ' ', w);
    mvaddch(y0, x0, ACS_ULCORNER);
    mvhline(y0, x0 + 1, ACS_HLINE, w - 2);
    mvaddch(y0, x0 + w - 1, ACS_URCORNER);
    mvvline(y0 + 1, x0, ACS_VLINE, rows);
    mvvline(y0 + 1, x0 + w - 1, ACS_VLINE, rows);
    mvaddch(y0 + rows + 1, x0, ACS_LLCORNER);
    mvhline(y0 + rows + 1, x0 + 1, ACS_HLINE, w - 2);
    mvaddch(y0 + rows + 1, x0 + w - 1, ACS_LRCORNER);
}

/* A row of a choice list: entry's label from start, len bytes (its first row when start is 0). */
typedef struct popup_row {
    int entry;
    size_t start, len;
} popup_row;

/* The labels of fl wrapped at width columns (lineedit_wrap: at spaces, nothing cut) into rows
 * (allocated; *n of them); *fr, *lr the first and last rows of entry sel. */
static popup_row *popup_wrap(const form_field *fl, int width, int sel, int *n, int *fr, int *lr)
{
    popup_row *rows = NULL;
    int cap = 0;
    *n = *fr = *lr = 0;
    lineedit e;
    lineedit_init(&e, 4096);
    for (int i = 0; i < fl->nchoices; i++) {
        lineedit_set(&e, fl->labels[i]);
        int k = 0;
        lineedit_row *w = lineedit_wrap(&e, width + 1, &k);
        if (i == sel) *fr = *n;
        for (int r = 0; r < (k > 0 ? k : 1); r++) {
            if (*n == cap) {
                cap = cap ? cap * 2 : 64;
                rows = realloc(rows, sizeof *rows * (size_t)cap);
                if (!rows) abort(); /* out of memory: nothing sensible follows */
            }
            rows[(*n)++] = (popup_row){i, k > 0 ? w[r].start : 0, k > 0 ? w[r].len : 0};
        }
        if (i == sel) *lr = *n - 1;
        free(w);
    }
    lineedit_free(&e);
    return rows;
}

static void draw_popup(tui *t, form *f)
{
    form_field *fl = &f->fields[f->focus];
    bool multi = fl->kind == FORM_MULTI;
    int mark_w = multi ? 5 : 3; /* ">[x] " or ">* " before the label */
    int w = 0;
    for (int i = 0; i < fl->nchoices; i++) {
        int lw = tui_text_width(fl->labels[i]);
        if (lw > w) w = lw;
    }
    w += 8;
    if (w > COLS - 4) w = COLS - 4;
    /* Each label whole: a long one wrapped under itself; the list scrolls to the chosen one. */
    int total = 0, fr = 0, lr = 0;
    popup_row *pr = popup_wrap(fl, w - 2 - mark_w, f->popup_sel, &total, &fr, &lr);
    int rows = total;
    if (rows > LINES - 6) rows = LINES - 6;
    if (rows < 1) rows = 1;
    int top = lr - rows + 1;
    if (top < 0) top = 0;
    if (fr < top) top = fr;
    int y0 = (LINES - rows - 2) / 2, x0 = (COLS - w) / 2;
    /* A framed list over the form, its title in the top border. */
    frame(y0, x0, rows, w);
    char title[80];
    snprintf(title, sizeof title, " %s ", fl->label);
    int tw = tui_text_width(title);
    if (tw > w - 4) tw = w - 4;
    attron(A_BOLD);
    tui_text(stdscr, y0, x0 + 2, tw, title);
    attroff(A_BOLD);
    for (int r = 0; r < rows && top + r < total; r++) {
        const popup_row *row = &pr[top + r];
        int i = row->entry;
        attr_t a = i == f->popup_sel ? tui_attr(t, TUI_PAIR_SELECTED) : A_NORMAL;
        attron(a);
        char line[300];
        char mark = i == f->popup_sel && row->start == 0 ? '>' : ' ';
        const char *text = fl->labels[i] + row->start;
        if (row->start > 0)
            snprintf(line, sizeof line, "%*s%.*s", mark_w, "", (int)row->len, text);
        else if (multi)
            snprintf(line, sizeof line, "%c[%c] %.*s", mark, fl->picked[i] ? 'x' : ' ',
                     (int)row->len, text);
        else
            snprintf(line, sizeof line, "%c%c %.*s", mark, i == fl->choice ? '*' : ' ',
                     (int)row->len, text);
        mvhline(y0 + 1 + r, x0 + 1, ' ', w - 2);
        tui_text(stdscr, y0 + 1 + r, x0 + 1, w - 2, line);
        attroff(a);
    }
    free(pr);
}

/* The open list of a lookup, under its field at row y (above it when there is no room): the
 * entries that hold the typed text, the highlighted one marked. */
static void draw_lookup_popup(tui *t, form *f, int y, int value_w)
{
    form_field *fl = &f->fields[f->focus];
    int n = fl->lk_nmatch;
    int below = LINES - 4 - (y + 1), above = y - 3;
    bool down = below >= 6 || below >= above;
    int room = (down ? below : above) - 2;
    int rows = n < 1 ? 1 : n;
    if (rows > room) rows = room;
    if (rows < 1) rows = 1;
    int w = value_w + 2;
    for (int i = 0; i < n; i++) {
        int lw = tui_text_width(form_lookup_label(fl, fl->lk_match[i])) + 4;
        if (lw > w) w = lw;
    }
    if (w > COLS - VALUE_X - 1) w = COLS - VALUE_X - 1;
    int y0 = down ? y + 1 : y - rows - 2, x0 = VALUE_X;
    frame(y0, x0, rows, w);
    char title[80];
    snprintf(title, sizeof title, " %d of %d ", n, fl->lk_n);
    tui_text(stdscr, y0 + rows + 1, x0 + w - 2 - tui_text_width(title), tui_text_width(title),
             title);
    if (n == 0) {
        char none[200];
        snprintf(none, sizeof none, " no known %s holds this", fl->lk_noun);
        attron(tui_attr(t, TUI_PAIR_DIM));
        tui_text(stdscr, y0 + 1, x0 + 1, w - 2, none);
        attroff(tui_attr(t, TUI_PAIR_DIM));
        return;
    }
    int top = f->popup_sel - rows + 1;
    if (top < 0) top = 0;
    for (int r = 0; r < rows && top + r < n; r++) {
        int i = top + r;
        attr_t a = i == f->popup_sel ? tui_attr(t, TUI_PAIR_SELECTED) : A_NORMAL;
        attron(a);
        char line[300];
        snprintf(line, sizeof line, "%c %s", i == f->popup_sel ? '>' : ' ',
                 form_lookup_label(fl, fl->lk_match[i]));
        tui_text(stdscr, y0 + 1 + r, x0 + 1, w - 2, line);
        attroff(a);
    }
}

/* The rows field fl takes on the screen. */
static int field_rows(const form_field *fl)
{
    return form_is_note(fl) ? FORM_NOTE_ROWS : 1;
}

/* Note fl from row y, wrapped at value_w columns, FORM_NOTE_ROWS rows between brackets,
 * scrolled to keep the cursor in sight; beside it, where the cursor is. The focused note sets
 * *cur_y, *cur_x to the cursor. */
static void draw_note(tui *t, form_field *fl, bool focus, int y, int value_w, int note_x,
                      int *cur_y, int *cur_x)
{
    int n, col;
    lineedit_row *rows = lineedit_wrap(&fl->edit, value_w, &n);
    int r = lineedit_cursor_row(&fl->edit, rows, n, &col);
    fl->wrap_width = value_w;
    if (fl->top_row > r) fl->top_row = r;
    if (fl->top_row < r - FORM_NOTE_ROWS + 1) fl->top_row = r - FORM_NOTE_ROWS + 1;
    if (fl->top_row > n - FORM_NOTE_ROWS) fl->top_row = n > FORM_NOTE_ROWS ? n - FORM_NOTE_ROWS : 0;
    if (fl->top_row < 0) fl->top_row = 0;
    const char *text = lineedit_text(&fl->edit);
    for (int k = 0; k < FORM_NOTE_ROWS; k++) {
        int row = fl->top_row + k;
        char buf[1100] = "";
        if (row < n) snprintf(buf, sizeof buf, "%.*s", (int)rows[row].len, text + rows[row].start);
        mvaddch(y + k, VALUE_X, row == fl->top_row && row > 0 ? '^' : '[');
        tui_text(stdscr, y + k, VALUE_X + 1, value_w, buf);
        bool more = k == FORM_NOTE_ROWS - 1 && row + 1 < n;
        mvaddch(y + k, VALUE_X + 1 + value_w, more ? 'v' : ']');
    }
    if (focus) {
        *cur_y = y + r - fl->top_row;
        *cur_x = VALUE_X + 1 + col;
    }
    if (focus || n > FORM_NOTE_ROWS) {
        char where[64];
        if (focus)
            snprintf(where, sizeof where, "line %d of %d", r + 1, n);
        else
            snprintf(where, sizeof where, "%d lines", n);
        attron(tui_attr(t, TUI_PAIR_DIM));
        tui_text(stdscr, y, note_x, COLS - note_x - 1, where);
        attroff(tui_attr(t, TUI_PAIR_DIM));
    }
    free(rows);
}

/* Field i of the form from row y: its label, its value in value_w columns, its note at note_x.
 * The focused text field sets *cur_y, *cur_x to the cursor. */
static void draw_field(tui *t, form *f, int i, int y, int value_w, int note_x, int *cur_y,
                       int *cur_x)
{
    form_field *fl = &f->fields[i];
    bool focus = i == f->focus;
    if (focus) attron(A_BOLD);
    mvaddstr(y, 0, focus ? ">" : " ");
    char label[64];
    snprintf(label, sizeof label, "%s%s", fl->label, fl->required ? " *" : "");
    tui_text(stdscr, y, LABEL_X, VALUE_X - LABEL_X - 1, label);
    if (focus) attroff(A_BOLD);
    if (form_is_note(fl)) {
        draw_note(t, fl, focus, y, value_w, note_x, cur_y, cur_x);
        if (i == f->error_field && *f->error) {
            attron(tui_attr(t, TUI_PAIR_ERROR));
            tui_text(stdscr, y + 1, note_x, COLS - note_x - 1, "<");
            attroff(tui_attr(t, TUI_PAIR_ERROR));
        }
        return;
    }
    mvaddch(y, VALUE_X, '[');
    char buf[300];
    const char *note = "";
    bool bad = false;
    switch (fl->kind) {
    case FORM_TEXT:
    case FORM_DATE:
    case FORM_UPN:
    case FORM_LOOKUP: {
        size_t start, len;
        int col = lineedit_view(&fl->edit, value_w, &start, &len);
        snprintf(buf, sizeof buf, "%.*s", (int)len, lineedit_text(&fl->edit) + start);
        tui_text(stdscr, y, VALUE_X + 1, value_w, buf);
        if (focus) *cur_y = y, *cur_x = VALUE_X + 1 + col;
        note = form_field_note(fl, &bad);
        break;
    }
    case FORM_CHOICE:
        tui_text(stdscr, y, VALUE_X + 1, value_w,
                 fl->choice >= 0 ? fl->labels[fl->choice] : "(choose: Space)");
        break;
    case FORM_MULTI:
        multi_text(fl, buf, sizeof buf);
        tui_text(stdscr, y, VALUE_X + 1, value_w, buf);
        break;
    case FORM_YESNO: tui_text(stdscr, y, VALUE_X + 1, value_w, fl->yes ? "yes" : "no"); break;
    }
    mvaddch(y, VALUE_X + 1 + value_w, ']');
    if (i == f->error_field && *f->error) note = "<", bad = true;
    if (*note) {
        attr_t a = bad ? tui_attr(t, TUI_PAIR_ERROR) : tui_attr(t, TUI_PAIR_DIM);
        attron(a);
        tui_text(stdscr, y, note_x, COLS - note_x - 1, note);
        attroff(a);
    }
}

/* Above the hint line: the question before discarding, the save's error (on two lines when
 * long) or the focused field's failed live check in full. */
static void draw_message(tui *t, form *f)
{
    if (f->confirm_esc) {
        bar(t, LINES - 3, "Discard what you typed? (y/n)", TUI_PAIR_ERROR);
    } else if (f->confirm_new && f->fields[f->focus].kind == FORM_LOOKUP) {
        form_field *fl = &f->fields[f->focus];
        char q[300];
        snprintf(q, sizeof q, "Create %s %s? It is not a known one. (y/n)", fl->lk_noun,
                 form_value(fl));
        bar(t, LINES - 3, q, TUI_PAIR_ERROR);
    } else if (*f->error) {
        /* A message longer than the line takes the line above too, broken at a space. */
        attron(tui_attr(t, TUI_PAIR_ERROR));
        const char *rest = f->error;
        if (tui_text_width(f->error) > COLS - 2) {
            const char *cut = NULL;
            int w = 0;
            for (const char *p = f->error; *p && w < COLS - 2; p++) {
                if (((unsigned char)*p & 0xC0) != 0x80) w++;
                if (*p == ' ') cut = p;
            }
            if (cut) {
                char first[512];
                snprintf(first, sizeof first, "%.*s", (int)(cut - f->error), f->error);
                tui_text(stdscr, LINES - 4, 1, COLS - 2, first);
                rest = cut + 1;
            }
        }
        tui_text(stdscr, LINES - 3, 1, COLS - 2, rest);
        attroff(tui_attr(t, TUI_PAIR_ERROR));
    } else if (f->nfields > 0) {
        /* The focused field's live check in full (the note beside it may be cut). */
        form_field *fl = &f->fields[f->focus];
        bool bad = false;
        const char *note = form_field_note(fl, &bad);
        if (bad) {
            char msg[300];
            snprintf(msg, sizeof msg, "%s: %s", fl->label, note);
            attron(tui_attr(t, TUI_PAIR_ERROR));
            tui_text(stdscr, LINES - 3, 1, COLS - 2, msg);
            attroff(tui_attr(t, TUI_PAIR_ERROR));
        }
    }
}

void form_draw(tui *t, form *f)
{
    erase();
    if (tui_too_small()) {
        tui_draw_too_small();
        curs_set(0);
        refresh();
        return;
    }
    bar(t, 0, f->title, TUI_PAIR_TITLE);
    if (*f->context) {
        attron(tui_attr(t, TUI_PAIR_DIM));
        tui_text(stdscr, 1, 1, COLS - 2, f->context);
        attroff(tui_attr(t, TUI_PAIR_DIM));
    }
    int value_w = COLS - VALUE_X - 30;
    if (value_w > 44) value_w = 44;
    if (value_w < 16) value_w = 16;
    int note_x = VALUE_X + value_w + 3;
    int first = 3, avail = LINES - first - 3;
    /* The first field shown: the focused one and those before it fit, as many as can. */
    int top = 0, above = 0;
    for (int i = 0; i <= f->focus && i < f->nfields; i++)
        above += field_rows(&f->fields[i]);
    while (top < f->focus && above > avail)
        above -= field_rows(&f->fields[top++]);
    int cur_y = -1, cur_x = -1, focus_y = -1;
    for (int i = top, y = first; i < f->nfields && y + field_rows(&f->fields[i]) <= first + avail;
         y += field_rows(&f->fields[i]), i++) {
        draw_field(t, f, i, y, value_w, note_x, &cur_y, &cur_x);
        if (i == f->focus) focus_y = y;
    }
    draw_message(t, f);
    bar(t, LINES - 2, hint_for(f), TUI_PAIR_STATUS);
    bool lookup_open = f->popup && f->fields[f->focus].kind == FORM_LOOKUP;
    if (lookup_open && focus_y >= 0)
        draw_lookup_popup(t, f, focus_y, value_w);
    else if (f->popup)
        draw_popup(t, f);
    if (cur_y >= 0 && (!f->popup || lookup_open) && !f->confirm_esc && !f->confirm_new) {
        curs_set(1);
        move(cur_y, cur_x);
    } else {
        curs_set(0);
    }
    refresh();
}

int form_read_key_paste(bool *is_key, char *paste, size_t n)
{
    wint_t wc = 0;
    int r = get_wch(&wc);
    *is_key = r == KEY_CODE_YES;
    if (r == ERR) return ERR;
    if (*is_key && (int)wc == TUI_KEY_PASTE) tui_read_paste(paste, n);
    return (int)wc;
}

int form_read_key(bool *is_key)
{
    for (;;) {
        int ch = form_read_key_paste(is_key, NULL, 0);
        if (!(*is_key && ch == TUI_KEY_PASTE)) return ch; /* a paste here is dropped */
    }
}

bool form_run(tui *t, form *f, form_save_fn save, void *ctx)
{
    bool saved = false;
    for (;;) {
        form_draw(t, f);
        bool is_key;
        static char paste[8192];
        int ch = form_read_key_paste(&is_key, paste, sizeof paste);
        if (ch == ERR && !is_key) continue;
        if (is_key && ch == TUI_KEY_PASTE) {
            form_paste(f, paste, strlen(paste));
            continue;
        }
        int r = form_key(f, ch, is_key);
        if (r == FORM_EDITOR) form_edit_note(f, &f->fields[f->focus]);
        if (r == FORM_CANCEL) break;
        if (r == FORM_SAVE) {
            if (!form_check(f)) continue;
            if (save(f, ctx)) {
                saved = true;
                break;
            }
        }
    }
    curs_set(0);
    return saved;
}

/* form_pick's list in tv: each entry whole, wrapped under itself, the chosen one sel marked;
 * *fr, *lr the first and last rows of sel once wrapped at the screen's width. */
static void pick_layout(textview *tv, const char *const *lines, int n, int sel, int *fr, int *lr)
{
    textview_clear(tv);
    int first_line = 0, after = 0;
    for (int i = 0; i < n; i++) {
        if (i == sel) first_line = tv->nlines;
        textview_add(tv, i == sel ? TUI_PAIR_SELECTED : 0, false, i == sel ? "> " : "  ", lines[i]);
        if (i == sel) after = tv->nlines;
    }
    textview_layout(tv, COLS - tv->margin);
    *fr = *lr = 0;
    bool seen = false;
    for (int r = 0; r < tv->nrows; r++)
        if (tv->rows[r].line >= first_line && tv->rows[r].line < after) {
            if (!seen) *fr = r;
            seen = true;
            *lr = r;
        }
}

/* Scrolls tv (a page of height rows) to show the chosen entry's rows fr..lr, from its first
 * when it is taller than the page. */
static void pick_show(textview *tv, int height, int fr, int lr)
{
    if (lr - fr + 1 > height || fr < tv->scroll)
        tv->scroll = fr;
    else if (lr >= tv->scroll + height)
        tv->scroll = lr - height + 1;
}

int form_pick(tui *t, const char *title, const char *prompt, const char *const *lines, int n,
              int initial)
{
    int sel = initial >= 0 && initial < n ? initial : 0;
    textview tv;
    textview_init(&tv, 1);
    bool moved = true; /* the chosen entry changed: bring it into sight */
    int chosen = -1;
    for (;;) {
        int fr = 0, lr = 0, first = 4, height = LINES - first - 3;
        erase();
        if (tui_too_small()) {
            tui_draw_too_small();
        } else {
            bar(t, 0, title, TUI_PAIR_TITLE);
            tui_text(stdscr, 2, 1, COLS - 2, prompt);
            pick_layout(&tv, lines, n, sel, &fr, &lr);
            if (moved) pick_show(&tv, height, fr, lr);
            moved = false;
            textview_draw(t, &tv, first, height);
            char hint[120];
            snprintf(hint, sizeof hint, "Up/Down move  Enter choose  Esc back ");
            if (tv.nrows > height) {
                size_t k = strlen(hint);
                textview_position(&tv, hint + k, sizeof hint - k);
            }
            bar(t, LINES - 2, hint, TUI_PAIR_STATUS);
        }
        curs_set(0);
        refresh();
        bool is_key;
        int ch = form_read_key(&is_key);
        if (ch == ERR && !is_key) continue;
        int was = sel;
        /* Down/Up within an entry taller than the page scroll it before moving on. */
        bool down = is_key ? ch == KEY_DOWN : ch == 'j', up = is_key ? ch == KEY_UP : ch == 'k';
        if (down && lr >= tv.scroll + height)
            tv.scroll++;
        else if (up && fr < tv.scroll)
            tv.scroll--;
        else if (down)
            sel = sel + 1 < n ? sel + 1 : n - 1;
        else if (up)
            sel = sel > 0 ? sel - 1 : 0;
        else if (is_key) {
            switch (ch) {
            case KEY_PPAGE: sel = sel > 10 ? sel - 10 : 0; break;
            case KEY_NPAGE: sel = sel + 10 < n ? sel + 10 : n - 1; break;
            case KEY_HOME: sel = 0; break;
            case KEY_END: sel = n - 1; break;
            case KEY_ENTER: chosen = sel; goto done;
            default: break;
            }
        } else {
            switch (ch) {
            case 'g': sel = 0; break;
            case 'G': sel = n - 1; break;
            case '\n':
            case '\r': chosen = sel; goto done;
            case KEY_ESC:
            case 'q': goto done;
            default: break;
            }
        }
        if (sel != was) moved = true;
    }
done:
    textview_free(&tv);
    return chosen;
}

bool form_confirm(tui *t, const char *question)
{
    for (;;) {
        if (!tui_too_small()) {
            char q[300];
            snprintf(q, sizeof q, "%s (y/n)", question);
            bar(t, LINES - 3, q, TUI_PAIR_ERROR);
        }
        curs_set(0);
        refresh();
        bool is_key;
        int ch = form_read_key(&is_key);
        if (ch == ERR || is_key) continue;
        if (ch == 'y' || ch == 'Y') return true;
        if (ch == 'n' || ch == 'N' || ch == KEY_ESC) return false;
    }
}
