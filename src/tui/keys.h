/* keys: the one key table of the full-screen app and what is drawn from it. Every key of every
 * screen is one row {action, keys, names, label, hint, screens, hint screens}: the key dispatch
 * (tui_key_action), the `?` help (the help screen) and the hint line (tui_draw_hints) all read
 * it, so a key shown is a key that works. The screens' flags (SCR_*) and the actions (ACT_*) live
 * here with it; the screens themselves (screen.h) include this header, and nothing here knows a
 * screen's code. Internal to src/tui. */
#ifndef CASELOAD_TUI_KEYS_H
#define CASELOAD_TUI_KEYS_H

#include "tui.h"
#include <stdbool.h>

/* What a key does; the key table in keys.c maps keys to these, per screen. */
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
    ACT_AMEND,
    ACT_WITHDRAW,
    ACT_REOPEN,
    ACT_EXCLUSION,
    ACT_ATTENDANCE,
    ACT_EPISODE,
    ACT_CHILD_EDIT,
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
    ACT_BACK,
    ACT_CONFLICTS,  /* the conflicts screen (offline copies) */
    ACT_KEEP,       /* a conflict: keep the current (hub's) value */
    ACT_TAKE,       /* ... take the laptop's */
    ACT_SET,        /* ... type a value */
    ACT_CHILD,      /* the child view of the selected referral's (or child's) child */
    ACT_ACCESS_LOG, /* the child's access log */
    ACT_RETENTION,  /* the retention review */
    ACT_PURGE,      /* purge the selected child (retention review) */
    ACT_PUBLISH,    /* the reports: figures for publication (small counts suppressed), or not */
    ACT_SAR,        /* the child view: write the child's subject access request to a file */
    ACT_PASTE       /* not a key: text pasted while the screen is shown (tui_keypress.paste) */
} tui_action;

/* The screens, one bit each (a key table row lists where its keys work). A new screen takes the
 * next bit and a name in keys.c's screen_names (for its help title). */
enum {
    SCR_MAIN = 1,
    SCR_DETAIL = 2,
    SCR_HELP = 4,
    SCR_REPORT = 8,
    SCR_CONFLICTS = 16, /* open conflicts of offline copies (screen_conflicts.c) */
    SCR_CHILD = 32,     /* one child: details, referrals, chronology (screen_child.c) */
    SCR_ACCESS = 64,    /* a child's access log (screen_access.c) */
    SCR_RETENTION = 128 /* the children due under the retention rules (screen_retention.c) */
};

/* Function keys are numbered apart from characters (get_wch returns both as numbers). */
#define FK(k) (0x40000000 | (k))
#define ESC 27
/* At most this many keys in one row of the key table. */
#define TUI_ROW_KEYS 6

/* One row of the key table. */
typedef struct tui_key_def {
    tui_action action;
    int keys[TUI_ROW_KEYS]; /* 0-terminated */
    const char *names;      /* as shown in help */
    const char *label;
    const char *hint;      /* short label for the hint line, or NULL */
    unsigned screens;      /* where the key works (and is listed by `?`) */
    unsigned hint_screens; /* where the hint line shows it */
} tui_key_def;

/* The key table (for tests): its rows, *n of them. */
const tui_key_def *tui_keys(int *n);
/* What key (a character, or FK(a curses key)) does on a screen (one SCR_* flag), from the key
 * table; ACT_NONE for a key the screen has not. */
tui_action tui_key_action(int key, unsigned screen);
/* Draws the hint line (last line of the screen) for a screen, from the key table. */
void tui_draw_hints(tui *t, unsigned screen);
/* The screen's name as help says it ("main", "referral", "reports"), or NULL for a flag that
 * names no screen. */
const char *tui_screen_name(unsigned screen);

/* What every screen does with the keys it leaves to the app: ? opens the help of `screen`
 * (tui_open, screen.h), q quits (ACT_QUIT), q/Esc goes back (ACT_BACK: TUI_BACK), pasted text
 * outside a field says where it goes. Returns TUI_* flags; TUI_UNHANDLED for any other action
 * (ACT_NONE: a key the screen has not). */
int tui_key_common(tui *t, tui_action a, unsigned screen);

#endif
