/* app.h: what the app's loop (app.c) and its screens (screen_main.c, screen_detail.c,
 * screen_report.c) share:
 * the actions of the one key table, and each screen's state and entry points. Internal to
 * src/tui. */
#ifndef CASELOAD_TUI_APP_H
#define CASELOAD_TUI_APP_H

#include "caseload/browse.h"
#include "caseload/score.h"
#include "tui.h"

/* What a key does; the key table in app.c maps keys to these, per screen. */
typedef enum {
    ACT_NONE,
    ACT_DOWN,
    ACT_UP,
    ACT_TOP,
    ACT_END,
    ACT_PGDN,
    ACT_PGUP,
    ACT_PREV_ISSUE,
    ACT_NEXT_ISSUE,
    ACT_FOCUS,
    ACT_SEARCH,
    ACT_CLEAR,
    ACT_OPEN,
    ACT_NEW,
    ACT_ACTION,
    ACT_OUTCOME,
    ACT_CLOSE,
    ACT_EDIT,
    ACT_DONE,
    ACT_DUE,
    ACT_FILTER,
    ACT_REPORTS,
    ACT_PREV_REPORT,
    ACT_NEXT_REPORT,
    ACT_PICK_REPORT,
    ACT_PERIOD,
    ACT_WRITE,
    ACT_HELP,
    ACT_QUIT,
    ACT_BACK
} tui_action;

enum { SCR_MAIN = 1, SCR_DETAIL = 2, SCR_HELP = 4, SCR_REPORT = 8 };

/* Function keys are numbered apart from characters (get_wch returns both as numbers). */
#define FK(k) (0x40000000 | (k))
#define ESC 27

/* What key (a character, or FK(a curses key)) does on a screen, from the key table. */
tui_action tui_key_action(int key, int screen);
/* Draws the hint line (last line of the screen) for a screen, from the key table. */
void tui_draw_hints(tui *t, int screen);
/* Shows every key of a screen, from the key table, until q, Esc or ? (scrolls with j/k). */
void tui_help(tui *t, int screen);

/* ---- the main screen: sidebar of issue types, the list, status line ---- */
typedef struct main_view {
    browse_row *rows; /* the rows on screen (cap of them) */
    int n, cap;
    int cur;               /* index of the selected row in rows */
    long issue_counts[16]; /* per issue type under every filter but the issue (the sidebar) */
    long all_count;
    bool counts_more;      /* the sidebar's counts stopped at a cap or a time budget: "N+" */
    long total_counts[16]; /* per issue type, every status */
    long total_all;
    long overdue;
    bool overdue_pending; /* the overdue count is due (done by main_idle after drawing) */
    long shown;           /* rows matching the filter (capped, then shown_more) */
    bool shown_more;
    long total;     /* rows of the issue type, without the filter */
    bool searching; /* `/` is taking the keys */
} main_view;

void main_init(main_view *v);
void main_free(main_view *v);
/* Fetches the counts and the first page (at the top). Returns TUI_* flags. */
int main_load_top(tui *t, main_view *v);
/* Fetches the counts and the rows again from the first row on screen (after a change or a resize),
 * keeping the selected referral when it is still there. */
int main_reload(tui *t, main_view *v);
void main_draw(tui *t, main_view *v);
int main_action(tui *t, main_view *v, tui_action a);
/* Work left for after the screen is drawn (the overdue count, which reads many rows). Returns
 * TUI_* flags. */
int main_idle(tui *t, main_view *v);
/* A typed character (UTF-8 in s) or backspace while searching. */
int main_search_input(tui *t, main_view *v, const char *s, bool backspace);

/* ---- the detail screen of one referral ---- */
typedef struct detail_view detail_view;
detail_view *detail_new(void);
void detail_free(detail_view *v);
/* Loads referral id (again). Returns TUI_* flags; on failure sets the status line. */
int detail_load(tui *t, detail_view *v, int64_t id);
/* Opens referral id's screen: records the look in the access log (protect_access), then loads it.
 */
int detail_open(tui *t, detail_view *v, int64_t id);
void detail_draw(tui *t, detail_view *v);
int detail_action(tui *t, detail_view *v, tui_action a);
int64_t detail_id(const detail_view *v);

#endif
