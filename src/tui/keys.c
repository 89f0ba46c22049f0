/* keys.c: the one key table of the full-screen app (keys.h), the hint line and the `?` help
 * drawn from it, and the help screen (the keys of the screen it was opened from, in the shared
 * scrolling view). */
#include "keys.h"
#include "form.h"
#include "screen.h"
#include "textview.h"
#include <stdio.h>
#include <stdlib.h>

/* Adding a key: one row (or a screen's flag added to a row that already says what it does). The
 * first row of a screen's flag that holds a key wins, so a key must be in one row per screen
 * (test_keys checks). */
/* The screens of the child view, the access log and the retention review: the usual moves,
 * help and back. */
#define SCR_LISTS (SCR_CHILD | SCR_ACCESS | SCR_RETENTION)

static const tui_key_def keytab[] = {
    {ACT_DOWN,
     {'j', FK(KEY_DOWN)},
     "j Down",
     "move down",
     "j/k scroll",
     SCR_MAIN | SCR_DETAIL | SCR_HELP | SCR_REPORT | SCR_CONFLICTS | SCR_LISTS,
     SCR_REPORT},
    {ACT_UP,
     {'k', FK(KEY_UP)},
     "k Up",
     "move up",
     NULL,
     SCR_MAIN | SCR_DETAIL | SCR_HELP | SCR_REPORT | SCR_CONFLICTS | SCR_LISTS,
     0},
    {ACT_TOP,
     {'g', FK(KEY_HOME)},
     "g Home",
     "go to the top",
     NULL,
     SCR_MAIN | SCR_DETAIL | SCR_HELP | SCR_REPORT | SCR_CONFLICTS | SCR_LISTS,
     0},
    {ACT_END,
     {'G', FK(KEY_END)},
     "G End",
     "go to the end",
     NULL,
     SCR_MAIN | SCR_DETAIL | SCR_HELP | SCR_REPORT | SCR_CONFLICTS | SCR_LISTS,
     0},
    {ACT_PGDN,
     {FK(KEY_NPAGE)},
     "PgDn",
     "next page",
     NULL,
     SCR_MAIN | SCR_DETAIL | SCR_HELP | SCR_CONFLICTS | SCR_LISTS,
     0},
    {ACT_PGDN, {' ', FK(KEY_NPAGE)}, "Space PgDn", "next page", NULL, SCR_REPORT, 0},
    {ACT_PGUP,
     {FK(KEY_PPAGE)},
     "PgUp",
     "previous page",
     NULL,
     SCR_MAIN | SCR_DETAIL | SCR_HELP | SCR_REPORT | SCR_CONFLICTS | SCR_LISTS,
     0},
    {ACT_PREV_ISSUE, {'['}, "[", "previous issue type", NULL, SCR_MAIN, 0},
    {ACT_NEXT_ISSUE, {']'}, "]", "next issue type", "[ ] issue", SCR_MAIN, SCR_MAIN},
    {ACT_FOCUS, {'\t'}, "Tab", "move focus between the sidebar and the list", NULL, SCR_MAIN, 0},
    {ACT_OPEN,
     {'\n', '\r', FK(KEY_ENTER)},
     "Enter",
     "open the selected referral",
     "Enter open",
     SCR_MAIN | SCR_CHILD,
     SCR_MAIN | SCR_CHILD},
    {ACT_OPEN,
     {'\n', '\r', FK(KEY_ENTER)},
     "Enter",
     "the selected conflict's values whole, to read (j/k scroll; Enter or q: back to the list)",
     "Enter whole",
     SCR_CONFLICTS,
     SCR_CONFLICTS},
    {ACT_SEARCH,
     {'/'},
     "/",
     "filter as you type (name, UPN, ref, school, summary)",
     "/ search",
     SCR_MAIN,
     SCR_MAIN},
    {ACT_CLEAR, {ESC}, "Esc", "clear the filter", NULL, SCR_MAIN, 0},
    {ACT_FILTER,
     {'f'},
     "f",
     "filter by status, band, officer, follow-up",
     "f filter",
     SCR_MAIN,
     SCR_MAIN},
    {ACT_NEW, {'n'}, "n", "new referral", "n new", SCR_MAIN | SCR_DETAIL, SCR_MAIN},
    {ACT_NEW,
     {'n'},
     "n",
     "new referral for this child (the child filled in)",
     "n new referral",
     SCR_CHILD,
     SCR_CHILD},
    {ACT_CHILD,
     {'v'},
     "v",
     "the child view: the child's details, every referral and the whole chronology",
     "v child",
     SCR_MAIN | SCR_DETAIL | SCR_RETENTION,
     SCR_DETAIL | SCR_RETENTION},
    {ACT_ACCESS_LOG,
     {'L'},
     "L",
     "the child's access log: who looked at or changed the child's records, and when",
     "L log",
     SCR_DETAIL | SCR_CHILD,
     SCR_CHILD},
    {ACT_SAR,
     {'S'},
     "S",
     "the child's subject access request: everything held about the child, written to a file "
     "(md or json), as caseload sar",
     "S SAR",
     SCR_CHILD,
     SCR_CHILD},
    {ACT_RETENTION,
     {'R'},
     "R",
     "retention review: the children due under the retention rules, to purge",
     NULL,
     SCR_MAIN,
     0},
    {ACT_PURGE,
     {'X'},
     "X",
     "purge the selected child for good (asks to confirm, and why)",
     "X purge",
     SCR_RETENTION,
     SCR_RETENTION},
    {ACT_ACTION, {'a'}, "a", "add an action", "a action", SCR_MAIN | SCR_DETAIL, SCR_DETAIL},
    {ACT_OUTCOME, {'o'}, "o", "record an outcome", "o outcome", SCR_MAIN | SCR_DETAIL, SCR_DETAIL},
    {ACT_CLOSE, {'c'}, "c", "close the referral", "c close", SCR_MAIN | SCR_DETAIL, SCR_DETAIL},
    {ACT_EDIT,
     {'e'},
     "e",
     "edit status, officer, issue, risk flag",
     "e edit",
     SCR_MAIN | SCR_DETAIL,
     SCR_DETAIL},
    {ACT_DUE,
     {'F'},
     "F",
     "follow-ups due today and overdue, earliest first (again: the whole list)",
     "F due",
     SCR_MAIN,
     SCR_MAIN},
    {ACT_DONE, {'d'}, "d", "mark a pending follow-up done", "d done", SCR_DETAIL, SCR_DETAIL},
    {ACT_AMEND, {'m'}, "m", "amend an action or outcome (both versions kept)", NULL, SCR_DETAIL, 0},
    {ACT_WITHDRAW, {'W'}, "W", "withdraw an action or outcome", NULL, SCR_DETAIL, 0},
    {ACT_REOPEN, {'O'}, "O", "reopen a closed referral", NULL, SCR_DETAIL, 0},
    /* The facts the score is made of, for the child (forms_facts.c). */
    {ACT_EXCLUSION,
     {'x'},
     "x",
     "add a suspension or permanent exclusion of the child",
     "x t P E facts",
     SCR_DETAIL | SCR_CHILD,
     SCR_DETAIL},
    {ACT_ATTENDANCE,
     {'t'},
     "t",
     "add an attendance record of the child",
     NULL,
     SCR_DETAIL | SCR_CHILD,
     0},
    {ACT_EPISODE,
     {'P'},
     "P",
     "open an episode (CME, part-time, EHE, alternative provision) or end one",
     NULL,
     SCR_DETAIL | SCR_CHILD,
     0},
    {ACT_CHILD_EDIT,
     {'E'},
     "E",
     "edit the child: care status, SEN, school, youth justice, social work ended",
     NULL,
     SCR_DETAIL | SCR_CHILD,
     0},
    {ACT_REPORTS, {'r'}, "r", "reports", "r reports", SCR_MAIN, SCR_MAIN},
    {ACT_CONFLICTS,
     {'C'},
     "C",
     "conflicts between offline copies: both values side by side, a person decides",
     NULL,
     SCR_MAIN,
     0},
    {ACT_KEEP,
     {'K'},
     "K",
     "keep the current (hub's) value; a row deleted on one side: as the hub has it (kept or "
     "deleted); a duplicate: both rows as they are; an entry corrected on both: the hub's "
     "correction",
     "K keep",
     SCR_CONFLICTS,
     SCR_CONFLICTS},
    {ACT_TAKE,
     {'T'},
     "T",
     "take the laptop's value; a row deleted on one side: as the laptop has it; an entry "
     "corrected on both: the laptop's correction (not for a duplicate: both rows are kept)",
     "T take",
     SCR_CONFLICTS,
     SCR_CONFLICTS},
    {ACT_SET,
     {'E'},
     "E",
     "type the value to keep (checked by the field's rule; a duplicate: a key of its own); "
     "not for a row deleted on one side or an entry corrected on both: K or T",
     "E type a value",
     SCR_CONFLICTS,
     SCR_CONFLICTS},
    {ACT_PREV_REPORT, {'[', FK(KEY_LEFT)}, "[ Left", "the previous report", NULL, SCR_REPORT, 0},
    {ACT_NEXT_REPORT,
     {']', '\t', FK(KEY_RIGHT)},
     "] Tab Right",
     "the next report",
     "Left/Right report",
     SCR_REPORT,
     SCR_REPORT},
    {ACT_PICK_REPORT,
     {'1', '2', '3', '4', '5'},
     "1-5",
     "summary, suspensions, attendance, cme, admissions",
     NULL,
     SCR_REPORT,
     0},
    {ACT_PERIOD,
     {'p'},
     "p",
     "the period (from and to, both days included)",
     "p period",
     SCR_REPORT,
     SCR_REPORT},
    {ACT_PUBLISH,
     {'P'},
     "P",
     "for publication: counts under the threshold (asked, default 5) shown as c, with "
     "secondary suppression (again: every figure)",
     "P publish",
     SCR_REPORT,
     SCR_REPORT},
    {ACT_WRITE,
     {'w'},
     "w",
     "write the report to a file as csv, md or xlsx",
     "w write",
     SCR_REPORT,
     SCR_REPORT},
    {ACT_HELP,
     {'?'},
     "?",
     "help: the keys of this screen",
     "? help",
     SCR_MAIN | SCR_DETAIL | SCR_REPORT | SCR_CONFLICTS | SCR_LISTS,
     SCR_MAIN | SCR_DETAIL | SCR_REPORT | SCR_CONFLICTS | SCR_LISTS},
    {ACT_QUIT, {'q'}, "q", "quit", "q quit", SCR_MAIN, SCR_MAIN},
    {ACT_BACK,
     {'q', ESC},
     "q Esc",
     "back",
     "q back",
     SCR_DETAIL | SCR_REPORT | SCR_CONFLICTS | SCR_LISTS,
     SCR_DETAIL | SCR_REPORT | SCR_CONFLICTS | SCR_LISTS},
    {ACT_BACK, {'q', ESC, '?'}, "q Esc ?", "back", "q back", SCR_HELP, SCR_HELP},
};
#define NKEYS ((int)(sizeof keytab / sizeof keytab[0]))

static const struct {
    unsigned screen;
    const char *name;
} screen_names[] = {
    {SCR_MAIN, "main"},
    {SCR_DETAIL, "referral"},
    {SCR_HELP, "help"},
    {SCR_REPORT, "reports"},
    {SCR_CHILD, "child"},
    {SCR_ACCESS, "access log"},
    {SCR_RETENTION, "retention review"},
    {SCR_CONFLICTS, "conflicts"},
};

const tui_key_def *tui_keys(int *n)
{
    *n = NKEYS;
    return keytab;
}

const char *tui_screen_name(unsigned screen)
{
    for (size_t i = 0; i < sizeof screen_names / sizeof screen_names[0]; i++)
        if (screen_names[i].screen == screen) return screen_names[i].name;
    return NULL;
}

tui_action tui_key_action(int key, unsigned screen)
{
    for (int i = 0; i < NKEYS; i++) {
        if (!(keytab[i].screens & screen)) continue;
        for (int k = 0; k < TUI_ROW_KEYS && keytab[i].keys[k]; k++)
            if (keytab[i].keys[k] == key) return keytab[i].action;
    }
    return ACT_NONE;
}

void tui_draw_hints(tui *t, unsigned screen)
{
    char line[512] = "";
    size_t used = 0;
    for (int i = 0; i < NKEYS; i++) {
        if (!(keytab[i].hint_screens & screen) || !keytab[i].hint) continue;
        int k = snprintf(line + used, sizeof line - used, " %s ", keytab[i].hint);
        if (k < 0 || (size_t)k >= sizeof line - used) break;
        used += (size_t)k;
    }
    attrset(tui_attr(t, TUI_PAIR_DIM));
    tui_text(stdscr, LINES - 1, 0, COLS, line);
    attrset(A_NORMAL);
}

int tui_key_common(tui *t, tui_action a, unsigned screen)
{
    switch (a) {
    case ACT_HELP: return tui_open(t, SCR_HELP, screen);
    case ACT_QUIT: return TUI_QUIT;
    case ACT_BACK: return TUI_BACK;
    case ACT_PASTE:
        tui_status(t, "Pasted text goes into a field being typed (/ or a form)");
        return TUI_REDRAW;
    default: return TUI_UNHANDLED;
    }
}

/* ---- the help screen: the keys of the screen below (its flag is the screen's arg) ---- */

typedef struct {
    unsigned screen; /* whose keys */
    textview tv;     /* a line per row of the key table that works there */
} help_view;

static void *help_create(void)
{
    help_view *v = calloc(1, sizeof *v);
    if (v) textview_init(&v->tv, 1);
    return v;
}

static void help_free(void *s)
{
    help_view *v = s;
    if (!v) return;
    textview_free(&v->tv);
    free(v);
}

/* The keys of screen arg (a SCR_* flag): its names in bold, then what they do. */
static int help_load(tui *t, void *s, int64_t arg, bool opening)
{
    (void)t;
    help_view *v = s;
    if (opening) v->screen = (unsigned)arg;
    textview_clear(&v->tv);
    for (int i = 0; i < NKEYS; i++) {
        if (!(keytab[i].screens & v->screen)) continue;
        char names[32];
        snprintf(names, sizeof names, "  %-12.12s ", keytab[i].names);
        textview_add(&v->tv, 0, false, names, keytab[i].label);
        textview_bold_prefix(&v->tv);
    }
    /* The forms the screen opens have keys of their own (form.h). */
    int nf;
    const form_key_help *fk = form_help(&nf);
    textview_add(&v->tv, 0, false, "", " ");
    textview_add(&v->tv, TUI_PAIR_TITLE, true, "", "In a form");
    for (int i = 0; i < nf; i++) {
        char names[32];
        snprintf(names, sizeof names, "  %-14.14s ", fk[i].keys);
        textview_add(&v->tv, 0, false, names, fk[i].does);
        textview_bold_prefix(&v->tv);
    }
    return TUI_REDRAW;
}

static void help_draw(tui *t, void *s)
{
    help_view *v = s;
    erase();
    char title[128];
    const char *name = tui_screen_name(v->screen);
    snprintf(title, sizeof title, " Help: keys of the %s screen", name ? name : "this");
    attrset(tui_attr(t, TUI_PAIR_TITLE));
    tui_text(stdscr, 0, 0, COLS, title);
    attrset(A_NORMAL);
    textview_draw(t, &v->tv, 2, LINES - 4);
    tui_draw_status(t);
    tui_draw_hints(t, SCR_HELP);
}

static int help_action(tui *t, void *s, tui_action a, const tui_keypress *k)
{
    (void)k;
    help_view *v = s;
    int flags;
    if (textview_key(&v->tv, a, &flags)) return flags;
    if (a == ACT_PASTE) return TUI_NONE; /* dropped: help has no field */
    return tui_key_common(t, a, SCR_HELP);
}

const screen_ops screen_help_ops = {
    .id = SCR_HELP,
    .create = help_create,
    .load = help_load,
    .draw = help_draw,
    .action = help_action,
    .idle = screen_no_idle,
    .free = help_free,
};
