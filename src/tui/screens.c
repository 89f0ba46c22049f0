/* screens.c: the table of the full-screen app's screens.
 *
 * Adding a screen:
 *   1. a file screen_NAME.c with its state and a `const screen_ops screen_NAME_ops` (screen.h):
 *      create, load, draw, action, idle, free, every one given (test_keys checks);
 *   2. its flag SCR_NAME (the next bit) in keys.h and its name in keys.c's screen_names (the help
 *      title: "keys of the NAME screen");
 *   3. its keys in the one key table of keys.c (action, keys, help label, hint, SCR_NAME), with
 *      ? (ACT_HELP) and q (ACT_BACK) among them, and an entry that opens it on the screen it is
 *      opened from (that screen's action returns tui_open(t, SCR_NAME, arg)); its action op
 *      handles every action listed for it, the rest going to tui_key_common (test_screen_actions
 *      gives it each one and needs the argument it is opened with);
 *   4. one line in the table below, and the file in meson.build.
 * The app keeps the open screens on a stack: q (TUI_BACK) closes the top one and shows the one it
 * was opened from again, reloaded if the data changed meanwhile. */
#include "screen.h"

static const screen_ops *const screens[] = {
    &screen_main_ops,      /* the list (the first screen) */
    &screen_detail_ops,    /* one referral: Enter on the list */
    &screen_report_ops,    /* r: the reports */
    &screen_help_ops,      /* ?: the keys of the screen below */
    &screen_conflicts_ops, /* C: the conflicts of offline copies */
    &screen_child_ops,     /* v: one child, every referral, the chronology */
    &screen_access_ops,    /* L: a child's access log */
    &screen_retention_ops, /* R: the children due under the retention rules */
};

const screen_ops *const *tui_screens(int *n)
{
    *n = (int)(sizeof screens / sizeof screens[0]);
    return screens;
}

const screen_ops *tui_screen_find(unsigned id)
{
    for (size_t i = 0; i < sizeof screens / sizeof screens[0]; i++)
        if (screens[i]->id == id) return screens[i];
    return NULL;
}

int screen_no_idle(tui *t, void *s)
{
    (void)t;
    (void)s;
    return TUI_NONE;
}
