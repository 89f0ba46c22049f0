/* draw.c: the drawing helpers every screen uses (tui.h): data text made safe and fitted to a
 * width, colour pairs with monochrome stand-ins, the status line and the "too small" message. */
#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/syncstore.h"
#include "caseload/text.h"
#include "tui.h"
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tui_text(WINDOW *w, int y, int x, int width, const char *s)
{
    if (width <= 0) return;
    buf clean = BUF_INIT, shown = BUF_INIT;
    text_sanitize(&clean, s ? s : "");
    int used = text_fit(&shown, buf_str(&clean), width);
    for (; used < width; used++)
        buf_putc(&shown, ' ');
    mvwaddstr(w, y, x, buf_str(&shown));
    buf_free(&clean);
    buf_free(&shown);
}

int tui_text_width(const char *s)
{
    buf clean = BUF_INIT;
    text_sanitize(&clean, s ? s : "");
    int used = text_width(buf_str(&clean));
    buf_free(&clean);
    return used;
}

attr_t tui_attr(const tui *t, int pair)
{
    if (t->color) {
        switch (pair) {
        case TUI_PAIR_OVERDUE: return COLOR_PAIR(pair) | A_BOLD;
        case TUI_PAIR_TITLE: return COLOR_PAIR(pair) | A_BOLD;
        case TUI_PAIR_ERROR: return COLOR_PAIR(pair) | A_BOLD;
        case TUI_PAIR_RED: return COLOR_PAIR(pair) | A_BOLD;
        default: return COLOR_PAIR(pair);
        }
    }
    switch (pair) {
    case TUI_PAIR_RED: return A_BOLD;
    case TUI_PAIR_SELECTED: return A_REVERSE;
    case TUI_PAIR_TITLE: return A_REVERSE | A_BOLD;
    case TUI_PAIR_OVERDUE: return A_BOLD | A_UNDERLINE;
    case TUI_PAIR_STATUS: return A_REVERSE;
    case TUI_PAIR_ERROR: return A_BOLD;
    case TUI_PAIR_DIM: return A_DIM;
    default: return A_NORMAL;
    }
}

attr_t tui_band_attr(const tui *t, score_band_t b)
{
    return tui_attr(t, b == BAND_RED     ? TUI_PAIR_RED
                       : b == BAND_AMBER ? TUI_PAIR_AMBER
                                         : TUI_PAIR_GREEN);
}

static void set_status(tui *t, bool error, const char *fmt, va_list ap)
{
    vsnprintf(t->status_msg, sizeof t->status_msg, fmt, ap);
    t->status_is_error = error;
}

void tui_status(tui *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_status(t, false, fmt, ap);
    va_end(ap);
}

void tui_status_error(tui *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_status(t, true, fmt, ap);
    va_end(ap);
}

int tui_status_store(tui *t, int rc, const char *what)
{
    if (rc == EXIT_BUSY)
        tui_status_error(t, "%s: database busy, try again", what);
    else
        tui_status_error(t, "%s: %s", what, store_error(t->db));
    return TUI_REDRAW;
}

bool tui_too_small(void)
{
    return COLS < 80 || LINES < 24;
}

void tui_draw_too_small(void)
{
    erase();
    const char *msg =
        MB_CUR_MAX > 1 ? "terminal too small (need 80\u00d724)" : "terminal too small (need 80x24)";
    int len = (int)strlen(msg);
    int y = LINES / 2, x = COLS > len ? (COLS - len) / 2 : 0;
    mvaddnstr(y, x, msg, COLS);
    refresh();
}

void tui_draw_status(tui *t)
{
    /* Open conflicts of offline copies, at the right end while any wait for a person. */
    int64_t open = 0;
    if (syncstore_conflict_open_count(t->db, NULL, 0, &open) != EXIT_OK) open = 0;
    char review[64] = "";
    if (open > 0) snprintf(review, sizeof review, " %lld to review ", (long long)open);
    int rw = (int)strlen(review);
    if (rw > COLS / 2) rw = 0;
    if (t->status_msg[0]) {
        attr_t a = tui_attr(t, t->status_is_error ? TUI_PAIR_ERROR : TUI_PAIR_STATUS);
        attron(a);
        tui_text(stdscr, LINES - 2, 0, COLS - rw, t->status_msg);
        attroff(a);
    }
    if (rw) {
        attr_t a = tui_attr(t, TUI_PAIR_ERROR);
        attron(a);
        tui_text(stdscr, LINES - 2, COLS - rw, rw, review);
        attroff(a);
    }
}

size_t tui_read_paste(char *out, size_t n)
{
    size_t len = 0;
    if (out && n) out[0] = '\0';
    timeout(1000); /* a paste cut short by the terminal must not hang the app */
    for (;;) {
        wint_t wc;
        int r = get_wch(&wc);
        if (r == ERR) break;
        if (r == KEY_CODE_YES) {
            if ((int)wc == TUI_KEY_PASTE_END) break;
            continue; /* function keys inside a paste: dropped */
        }
        char tmp[MB_LEN_MAX + 1];
        mbstate_t st;
        memset(&st, 0, sizeof st);
        size_t l = wcrtomb(tmp, (wchar_t)wc, &st);
        if (l == (size_t)-1 || !out || len + l + 1 > n) continue;
        memcpy(out + len, tmp, l);
        len += l;
        out[len] = '\0';
    }
    timeout(-1);
    return len;
}
