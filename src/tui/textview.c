/* textview.c: the shared scrolling text view (textview.h). Lines are sanitized once when added;
 * rows are computed from them when the width changes, so drawing and scrolling are cheap. */
#include "textview.h"
#include "caseload/buf.h"
#include "caseload/text.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void textview_init(textview *tv, int margin)
{
    memset(tv, 0, sizeof *tv);
    tv->margin = margin;
}

void textview_clear(textview *tv)
{
    for (int i = 0; i < tv->nlines; i++)
        free(tv->lines[i].text);
    tv->nlines = 0;
    tv->nrows = 0;
    tv->width = 0;
    tv->lost = false;
}

void textview_free(textview *tv)
{
    textview_clear(tv);
    free(tv->lines);
    free(tv->rows);
    tv->lines = NULL;
    tv->rows = NULL;
    tv->cap = tv->rowcap = 0;
}

/* Adds one line: prefix (sanitized, plen bytes) then the n bytes of s sanitized. */
static void add_line(textview *tv, int pair, bool bold, const char *prefix, size_t plen, int indent,
                     const char *s, size_t n)
{
    if (tv->nlines == tv->cap) {
        int cap = tv->cap ? tv->cap * 2 : 64;
        textview_line *l = realloc(tv->lines, sizeof *l * (size_t)cap);
        if (!l) {
            tv->lost = true;
            return;
        }
        tv->lines = l;
        tv->cap = cap;
    }
    buf b = BUF_INIT;
    buf_append(&b, prefix, plen);
    /* A tab (notes may hold them) is a space, not a placeholder. */
    for (size_t i = 0; i < n;) {
        const char *tab = memchr(s + i, '\t', n - i);
        size_t k = tab ? (size_t)(tab - s) - i : n - i;
        text_sanitize_n(&b, s + i, k);
        i += k;
        if (tab) buf_append(&b, " ", 1), i++;
    }
    char *text = strdup(buf_str(&b));
    buf_free(&b);
    if (!text) {
        tv->lost = true;
        return;
    }
    tv->lines[tv->nlines++] = (textview_line){text, plen, indent, pair, bold, false};
    tv->width = 0;
}

void textview_add(textview *tv, int pair, bool bold, const char *prefix, const char *text)
{
    buf p = BUF_INIT;
    text_sanitize(&p, prefix);
    int indent = text_width(buf_str(&p));
    const char *s = text ? text : "";
    bool first = true;
    for (;;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        if (first)
            add_line(tv, pair, bold, buf_str(&p), p.len, indent, s, n);
        else
            add_line(tv, pair, bold, "", 0, indent, s, n);
        first = false;
        if (!nl) break;
        s = nl + 1;
    }
    buf_free(&p);
}

void textview_addf(textview *tv, int pair, bool bold, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        tv->lost = true;
        return;
    }
    textview_add(tv, pair, bold, "", s);
    free(s);
}

void textview_bold_prefix(textview *tv)
{
    if (tv->nlines) tv->lines[tv->nlines - 1].bold_prefix = true;
}

static bool add_row(textview *tv, int line, size_t start, size_t len)
{
    if (tv->nrows == tv->rowcap) {
        int cap = tv->rowcap ? tv->rowcap * 2 : 64;
        textview_row *r = realloc(tv->rows, sizeof *r * (size_t)cap);
        if (!r) {
            tv->lost = true;
            return false;
        }
        tv->rows = r;
        tv->rowcap = cap;
    }
    tv->rows[tv->nrows++] = (textview_row){line, start, len};
    return true;
}

/* Where the row of s that starts at p ends when it may take avail columns: at the last space
 * that fits, else (one word longer than the row) at the last character that fits, and always
 * after at least one character. */
static size_t row_end(const char *s, size_t p, int avail)
{
    size_t q = p, space = 0;
    bool has_space = false;
    int cols = 0;
    while (s[q]) {
        unsigned cp = 0;
        size_t l = text_utf8_len(s + q, strlen(s + q), &cp);
        if (!l) l = 1, cp = '?'; /* sanitized text is valid UTF-8: not reached */
        int w = text_cp_width(cp);
        if (cols + w > avail && q > p) break;
        if (s[q] == ' ' && q > p) {
            space = q;
            has_space = true;
        }
        cols += w;
        q += l;
    }
    if (!s[q]) return q;
    if (s[q] == ' ') return q;
    return has_space ? space : q;
}

void textview_layout(textview *tv, int width)
{
    tv->nrows = 0;
    tv->width = width;
    for (int i = 0; i < tv->nlines; i++) {
        const textview_line *l = &tv->lines[i];
        int avail = width - l->indent;
        if (avail < 10) avail = 10; /* a label wider than the screen: the text still shows */
        size_t p = l->prefix;
        bool first = true;
        while (first || l->text[p]) {
            size_t end = row_end(l->text, p, avail);
            if (!add_row(tv, i, first ? 0 : p, end - (first ? 0 : p))) return;
            first = false;
            p = end;
            if (l->text[p] == ' ') p++;
        }
    }
}

static int max_scroll(const textview *tv)
{
    int h = tv->height > 0 ? tv->height : 1;
    return tv->nrows > h ? tv->nrows - h : 0;
}

void textview_draw(tui *t, textview *tv, int y, int height)
{
    int width = COLS - tv->margin;
    if (tv->width != width) textview_layout(tv, width);
    tv->height = height > 0 ? height : 0;
    if (tv->scroll > max_scroll(tv)) tv->scroll = max_scroll(tv);
    if (tv->scroll < 0) tv->scroll = 0;
    for (int i = 0; i < height && tv->scroll + i < tv->nrows; i++) {
        const textview_row *r = &tv->rows[tv->scroll + i];
        const textview_line *l = &tv->lines[r->line];
        attr_t a = l->pair ? tui_attr(t, l->pair) : A_NORMAL;
        if (l->bold) a |= A_BOLD;
        buf row = BUF_INIT;
        int x = 0;
        if (r->start == 0 && l->prefix) {
            /* The first row: its prefix, then the text after it. */
            buf_append(&row, l->text, l->prefix);
            attrset(l->bold_prefix ? a | A_BOLD : a);
            tui_text(stdscr, y + i, 0, l->indent, buf_str(&row));
            buf_free(&row);
            x = l->indent;
            buf_append(&row, l->text + l->prefix, r->len - l->prefix);
        } else {
            x = l->indent; /* a row after the first: under the text */
            attrset(a);
            if (x) mvhline(y + i, 0, ' ', x);
            buf_append(&row, l->text + r->start, r->len);
        }
        attrset(a);
        tui_text(stdscr, y + i, x, COLS - x, buf_str(&row));
        attrset(A_NORMAL);
        buf_free(&row);
    }
}

void textview_position(const textview *tv, char *out, size_t n)
{
    int last = tv->scroll + tv->height < tv->nrows ? tv->scroll + tv->height : tv->nrows;
    snprintf(out, n, " lines %d-%d of %d", tv->nrows ? tv->scroll + 1 : 0, last, tv->nrows);
}

bool textview_key(textview *tv, tui_action a, int *flags)
{
    int h = tv->height > 0 ? tv->height : 1;
    int before = tv->scroll;
    switch (a) {
    case ACT_DOWN: tv->scroll++; break;
    case ACT_UP: tv->scroll--; break;
    case ACT_PGDN: tv->scroll += h; break;
    case ACT_PGUP: tv->scroll -= h; break;
    case ACT_TOP: tv->scroll = 0; break;
    case ACT_END: tv->scroll = max_scroll(tv); break;
    default: return false;
    }
    if (tv->scroll > max_scroll(tv)) tv->scroll = max_scroll(tv);
    if (tv->scroll < 0) tv->scroll = 0;
    *flags = tv->scroll != before ? TUI_REDRAW : TUI_NONE;
    return true;
}
