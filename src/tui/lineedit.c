/* lineedit.c: a UTF-8 text editor with shell-like keys, one line or several (notes), and the
 * wrapping of a multi-line text into rows. Pure editing logic: no curses, so that
 * tests/unit/test_lineedit.c can drive it key by key. */
#include "lineedit.h"
#include "caseload/text.h"

#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) abort(); /* nothing sensible can follow */
    return q;
}

size_t lineedit_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0) return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if ((u[0] & 0xe0) == 0xc0) {
        len = 2, v = u[0] & 0x1f, min = 0x80;
    } else if ((u[0] & 0xf0) == 0xe0) {
        len = 3, v = u[0] & 0x0f, min = 0x800;
    } else if ((u[0] & 0xf8) == 0xf0) {
        len = 4, v = u[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xc0) != 0x80) return 0;
        v = (v << 6) | (u[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return 0;
    *cp = v;
    return len;
}

static size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

static bool printable(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) return false;
    if (cp >= 0xd800 && cp <= 0xdfff) return false;
    if (cp > 0x10ffff) return false;
    /* Bidirectional overrides and isolates could reorder what the terminal shows. */
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return false;
    return true;
}

static void reserve(lineedit *e, size_t need)
{
    if (need + 1 <= e->cap) return;
    size_t cap = e->cap ? e->cap : 32;
    while (cap < need + 1)
        cap *= 2;
    e->text = xrealloc(e->text, cap);
    e->cap = cap;
}

void lineedit_init(lineedit *e, size_t max)
{
    memset(e, 0, sizeof *e);
    e->max = max;
    reserve(e, 0);
    e->text[0] = '\0';
}

void lineedit_free(lineedit *e)
{
    free(e->text);
    free(e->kill);
    memset(e, 0, sizeof *e);
}

const char *lineedit_text(const lineedit *e)
{
    return e->text ? e->text : "";
}

/* Inserts n bytes (already checked) at the cursor. */
static bool insert_bytes(lineedit *e, const char *s, size_t n)
{
    if (e->max && e->len + n > e->max) return false;
    reserve(e, e->len + n);
    memmove(e->text + e->cur + n, e->text + e->cur, e->len - e->cur + 1);
    memcpy(e->text + e->cur, s, n);
    e->len += n;
    e->cur += n;
    return true;
}

void lineedit_set(lineedit *e, const char *s)
{
    e->len = e->cur = e->scroll = 0;
    e->text[0] = '\0';
    size_t n = s ? strlen(s) : 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = lineedit_utf8_decode(s + i, n - i, &cp);
        char enc[4];
        size_t m;
        if (k == 1 && cp == '\t' && e->multiline) { /* a note's tab: a space, as pasted */
            enc[0] = ' ';
            m = 1;
            i++;
        } else if (k == 0 || (!printable(cp) && !(cp == '\n' && e->multiline))) {
            m = utf8_encode(0xfffd, enc);
            i += k ? k : 1;
        } else {
            memcpy(enc, s + i, k);
            m = k;
            i += k;
        }
        if (!insert_bytes(e, enc, m)) break;
    }
    e->changed = false;
}

bool lineedit_insert(lineedit *e, uint32_t cp)
{
    if (!printable(cp) && !(cp == '\n' && e->multiline)) return false;
    char enc[4];
    size_t n = utf8_encode(cp, enc);
    if (!insert_bytes(e, enc, n)) return false;
    e->changed = true;
    return true;
}

bool lineedit_insert_str(lineedit *e, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = lineedit_utf8_decode(s + i, n - i, &cp);
        if (k == 0 || !lineedit_insert(e, cp)) return false;
        i += k;
    }
    return true;
}

bool lineedit_paste(lineedit *e, const char *s, size_t n)
{
    bool all = true;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = lineedit_utf8_decode(s + i, n - i, &cp);
        if (k == 0) { /* not UTF-8: dropped */
            i++;
            all = false;
            continue;
        }
        i += k;
        if (cp == '\r') {
            if (i < n && s[i] == '\n') i++;
            cp = '\n';
        }
        if (cp == '\n' && !e->multiline) cp = ' ';
        if (cp == '\t') cp = ' ';
        if (cp < 0x20 && cp != '\n') {
            all = false;
            continue;
        }
        if (!lineedit_insert(e, cp)) {
            if (!printable(cp) && cp != '\n') {
                all = false;
                continue;
            }
            return false; /* full */
        }
    }
    return all;
}

/* Byte offset of the character before / after offset i (text is valid UTF-8). */
static size_t prev_char(const lineedit *e, size_t i)
{
    if (i == 0) return 0;
    i--;
    while (i > 0 && ((unsigned char)e->text[i] & 0xc0) == 0x80)
        i--;
    return i;
}

static size_t next_char(const lineedit *e, size_t i)
{
    if (i >= e->len) return e->len;
    i++;
    while (i < e->len && ((unsigned char)e->text[i] & 0xc0) == 0x80)
        i++;
    return i;
}

static bool is_blank_at(const lineedit *e, size_t i)
{
    return e->text[i] == ' ' || e->text[i] == '\t';
}

/* Words for moving: runs of letters and digits (any non-ASCII byte counts as a letter). */
static bool is_word_at(const lineedit *e, size_t i)
{
    unsigned char c = (unsigned char)e->text[i];
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Removes bytes [from, to), keeping them for Ctrl-Y when keep is true. */
static bool cut(lineedit *e, size_t from, size_t to, bool keep)
{
    if (from >= to) return false;
    if (keep) {
        free(e->kill);
        e->kill = xrealloc(NULL, to - from + 1);
        memcpy(e->kill, e->text + from, to - from);
        e->kill[to - from] = '\0';
    }
    memmove(e->text + from, e->text + to, e->len - to + 1);
    e->len -= to - from;
    if (e->cur > to)
        e->cur -= to - from;
    else if (e->cur > from)
        e->cur = from;
    e->changed = true;
    return true;
}

/* The start and the end of the line the cursor is on: the whole text in a one-line editor; in a
 * multi-line one, the bytes between the newlines around the cursor. */
static size_t line_start(const lineedit *e)
{
    size_t i = e->cur;
    if (e->multiline)
        while (i > 0 && e->text[i - 1] != '\n')
            i--;
    return e->multiline ? i : 0;
}

static size_t line_end(const lineedit *e)
{
    if (!e->multiline) return e->len;
    const char *nl = memchr(e->text + e->cur, '\n', e->len - e->cur);
    return nl ? (size_t)(nl - e->text) : e->len;
}

bool lineedit_do(lineedit *e, lineedit_op op)
{
    size_t old = e->cur, i;
    switch (op) {
    case LE_LEFT: e->cur = prev_char(e, e->cur); break;
    case LE_RIGHT: e->cur = next_char(e, e->cur); break;
    case LE_HOME: e->cur = line_start(e); break;
    case LE_END: e->cur = line_end(e); break;
    case LE_WORD_LEFT:
        i = e->cur;
        while (i > 0 && !is_word_at(e, prev_char(e, i)))
            i = prev_char(e, i);
        while (i > 0 && is_word_at(e, prev_char(e, i)))
            i = prev_char(e, i);
        e->cur = i;
        break;
    case LE_WORD_RIGHT:
        i = e->cur;
        while (i < e->len && !is_word_at(e, i))
            i = next_char(e, i);
        while (i < e->len && is_word_at(e, i))
            i = next_char(e, i);
        e->cur = i;
        break;
    case LE_BACKSPACE: return cut(e, prev_char(e, e->cur), e->cur, false);
    case LE_DELETE: return cut(e, e->cur, next_char(e, e->cur), false);
    case LE_KILL_TO_START: return cut(e, line_start(e), e->cur, true);
    case LE_KILL_TO_END:
        /* At the end of a line of several, the newline goes: the next line joins this one. */
        i = line_end(e);
        return cut(e, e->cur, i == e->cur && i < e->len ? i + 1 : i, true);
    case LE_KILL_WORD:
        /* As a shell's unix-word-rubout: the blanks before the cursor, then the non-blanks. */
        i = e->cur;
        while (i > 0 && is_blank_at(e, prev_char(e, i)))
            i = prev_char(e, i);
        while (i > 0 && !is_blank_at(e, prev_char(e, i)))
            i = prev_char(e, i);
        return cut(e, i, e->cur, true);
    case LE_YANK:
        if (!e->kill || !*e->kill) return false;
        if (!insert_bytes(e, e->kill, strlen(e->kill))) return false;
        e->changed = true;
        return true;
    }
    return e->cur != old;
}

int lineedit_control_op(int ch)
{
    switch (ch) {
    case 1: return LE_HOME;           /* Ctrl-A */
    case 2: return LE_LEFT;           /* Ctrl-B */
    case 4: return LE_DELETE;         /* Ctrl-D */
    case 5: return LE_END;            /* Ctrl-E */
    case 6: return LE_RIGHT;          /* Ctrl-F */
    case 8: return LE_BACKSPACE;      /* Ctrl-H */
    case 11: return LE_KILL_TO_END;   /* Ctrl-K */
    case 21: return LE_KILL_TO_START; /* Ctrl-U */
    case 23: return LE_KILL_WORD;     /* Ctrl-W */
    case 25: return LE_YANK;          /* Ctrl-Y */
    case 127: return LE_BACKSPACE;    /* DEL, what most terminals send for Backspace */
    default: return -1;
    }
}

int lineedit_width(const char *s, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = lineedit_utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            w++, i++;
            continue;
        }
        w += text_cp_width(cp);
        i += k;
    }
    return w;
}

int lineedit_view(lineedit *e, int width, size_t *start, size_t *len)
{
    if (width < 1) width = 1;
    if (e->scroll > e->cur) e->scroll = e->cur;
    if (e->scroll > e->len) e->scroll = e->len;
    /* Leave the cursor a cell to stand in after the last character. */
    while (e->scroll < e->cur && lineedit_width(e->text + e->scroll, e->cur - e->scroll) >= width)
        e->scroll = next_char(e, e->scroll);
    /* Use space freed at the right (after deletions) to show more of the left. */
    while (e->scroll > 0) {
        size_t p = prev_char(e, e->scroll);
        if (lineedit_width(e->text + p, e->len - p) >= width) break;
        e->scroll = p;
    }
    size_t end = e->scroll;
    int used = 0;
    while (end < e->len) {
        uint32_t cp;
        size_t k = lineedit_utf8_decode(e->text + end, e->len - end, &cp);
        int w = k ? text_cp_width(cp) : 1;
        if (used + w > width) break;
        used += w;
        end += k ? k : 1;
    }
    *start = e->scroll;
    *len = end - e->scroll;
    return lineedit_width(e->text + e->scroll, e->cur - e->scroll);
}

/* ---- several lines: rows wrapped at a width ---- */

/* Where the row that starts at p ends when the text may take avail columns (see lineedit_wrap):
 * *next is where the row after it starts. */
static size_t wrap_row(const lineedit *e, size_t p, int avail, size_t *next)
{
    size_t q = p, after_space = 0;
    int cols = 0;
    while (q < e->len) {
        if (e->text[q] == '\n') {
            *next = q + 1;
            return q;
        }
        uint32_t cp;
        size_t k = lineedit_utf8_decode(e->text + q, e->len - q, &cp);
        int w = k ? text_cp_width(cp) : 1;
        if (!k) k = 1;
        if (cols + w > avail && q > p) {
            if (cp == ' ') { /* the space that does not fit ends the row, after the cursor cell */
                *next = q + 1;
                return q + 1;
            }
            q = after_space ? after_space : q; /* at the last word's start, else mid-word */
            *next = q;
            return q;
        }
        cols += w;
        q += k;
        if (cp == ' ') after_space = q;
    }
    *next = e->len + 1; /* the last row */
    return e->len;
}

lineedit_row *lineedit_wrap(const lineedit *e, int width, int *n)
{
    if (width < 2) width = 2;
    /* Each row but the last holds a byte at least, so there are at most len + 1. */
    lineedit_row *rows = xrealloc(NULL, sizeof *rows * (e->len + 1));
    int k = 0;
    size_t p = 0;
    for (;;) {
        size_t next;
        size_t end = wrap_row(e, p, width - 1, &next);
        rows[k].start = p;
        rows[k].len = end - p;
        k++;
        if (next > e->len) break;
        p = next;
    }
    *n = k;
    return rows;
}

int lineedit_cursor_row(const lineedit *e, const lineedit_row *rows, int n, int *col)
{
    int r = 0;
    while (r + 1 < n && rows[r + 1].start <= e->cur)
        r++;
    if (col) *col = lineedit_width(e->text + rows[r].start, e->cur - rows[r].start);
    return r;
}

bool lineedit_row_move(lineedit *e, int width, int dir)
{
    int n, col;
    lineedit_row *rows = lineedit_wrap(e, width, &n);
    int r = lineedit_cursor_row(e, rows, n, &col);
    int to = r + dir;
    bool moved = to >= 0 && to < n;
    if (moved) {
        /* The same column in the row, or its end: before the character the row wrapped at (the
         * cursor there would stand on the next row), on the newline that ends it. */
        size_t p = rows[to].start, end = rows[to].start + rows[to].len;
        bool wrapped = to + 1 < n && rows[to + 1].start == end && end > p;
        if (wrapped) end = prev_char(e, end);
        int used = 0;
        while (p < end) {
            size_t q = next_char(e, p);
            int w = lineedit_width(e->text + p, q - p);
            if (used + w > col) break;
            used += w;
            p = q;
        }
        e->cur = p;
    }
    free(rows);
    return moved;
}
