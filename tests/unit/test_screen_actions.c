/* test_screen_actions: every action the key table (src/tui/keys.c) lists for a screen is handled
 * by that screen's action op (the screens of src/tui/screens.c), else the key would be in the help
 * and the hint line and do nothing. Each screen is opened in-process on a small demo caseload, with
 * curses reading from a pipe full of Esc keys (so a form, picker or prompt an action opens is left
 * at once) and writing to /dev/null, and given every action the table lists for it, on a fresh
 * copy of the screen each time; none may answer TUI_UNHANDLED (tui_key_common's answer for an
 * action nothing handled), and each must be seen to do something (effect_of): a handler that
 * takes the action and then does nothing fails too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"
#include "testdb.h"

#include "../../src/tui/screen.h"
#include "caseload/demo.h"
#include "caseload/exitcode.h"
#include "caseload/scoring.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

typedef struct {
    char path[T_DB_PATH];
    store *s;
    config cfg;
    tui t;
    int64_t referral, child; /* a referral of the demo and its child */
    SCREEN *screen;
    FILE *in, *out;
    int in_fd; /* the pipe of Esc keys: what an action read of it shows that it asked */
} fixture;

static int setup(void **state)
{
    setenv("CASELOAD_OFFICER", "tester", 1);
    fixture *f = calloc(1, sizeof *f);
    t_db_open("test_screen_actions", f->path, &f->s, NULL);
    config_defaults(&f->cfg);
    date_t as_of = t_date("2025-11-20");
    demo_options o = {.children = 30, .seed = 1, .as_of = as_of, .cfg = &f->cfg};
    demo_stats st;
    buf errors = BUF_INIT;
    assert_int_equal(demo_fill(f->s, &o, &st, &errors), EXIT_OK);
    buf_free(&errors);
    assert_int_equal(scoring_refresh(f->s, &f->cfg, as_of, false, NULL), EXIT_OK);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
    f->referral = t_long(raw, "SELECT min(id) FROM referrals WHERE status = 'closed'");
    f->child = t_long(raw, "SELECT child_id FROM referrals WHERE id = (SELECT min(id) FROM "
                           "referrals WHERE status = 'closed')");
    /* Two children due for the retention review (social work ended over 6 years before), and
     * three open conflicts between copies, so that those lists have rows to move over. */
    t_exec(raw, "UPDATE children SET social_work_ended = '2014-01-01' WHERE id IN (SELECT id FROM "
                "children ORDER BY id LIMIT 2)");
    for (int i = 1; i <= 3; i++) {
        char sql[300];
        snprintf(sql, sizeof sql,
                 "INSERT INTO conflicts (kind, tbl, row_id, field, base, hub, laptop, "
                 "laptop_name, at) VALUES ('field', 'referrals', %d, 'summary', 'was', 'hub %d', "
                 "'laptop %d', 'laptop1', '2025-11-0%dT10:00:00Z')",
                 i, i, i, i);
        t_exec(raw, sql);
    }
    sqlite3_close(raw);
    f->t = (tui){.db = f->s, .cfg = &f->cfg, .as_of = as_of};

    /* Curses on a pipe of Esc keys (more than any action reads) and /dev/null. */
    int p[2];
    assert_int_equal(pipe(p), 0);
    static char escs[60000];
    memset(escs, 27, sizeof escs);
    assert_int_equal(write(p[1], escs, sizeof escs), (ssize_t)sizeof escs);
    close(p[1]);
    f->in_fd = p[0];
    f->in = fdopen(p[0], "r");
    f->out = fopen("/dev/null", "w");
    assert_non_null(f->in);
    assert_non_null(f->out);
    setenv("LINES", "30", 1);
    setenv("COLUMNS", "100", 1);
    f->screen = newterm("xterm", f->out, f->in);
    assert_non_null(f->screen);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    endwin();
    delscreen(f->screen);
    fclose(f->in);
    fclose(f->out);
    config_free(&f->cfg);
    t_db_close(f->path, f->s, NULL);
    free(f);
    return 0;
}

/* What screen id is opened for (tui_open's arg, as the screen that opens it passes it). */
static int64_t arg_of(const fixture *f, unsigned id)
{
    switch (id) {
    case SCR_DETAIL: return f->referral;
    case SCR_CHILD:
    case SCR_ACCESS: return f->child;
    case SCR_HELP: return SCR_MAIN;
    case SCR_MAIN:
    case SCR_REPORT:
    case SCR_CONFLICTS:
    case SCR_RETENTION: return 0;
    default:
        fail_msg("screen %s: no argument known to open it with (add it here)", tui_screen_name(id));
    }
    return 0;
}

static void every_listed_action_is_handled(void **state)
{
    fixture *f = *state;
    int nkeys, nscreens, tried = 0;
    const tui_key_def *keys = tui_keys(&nkeys);
    const screen_ops *const *screens = tui_screens(&nscreens);
    for (int i = 0; i < nscreens; i++) {
        const screen_ops *ops = screens[i];
        for (int r = 0; r < nkeys; r++) {
            if (!(keys[r].screens & ops->id)) continue;
            /* A fresh screen for each action: one may change the screen's mode (/ searches). */
            tui t = f->t;
            browse_filter_default(&t.filter);
            void *s = ops->create();
            assert_non_null(s);
            ops->load(&t, s, arg_of(f, ops->id), true);
            char utf8[8] = "";
            int key = keys[r].keys[0];
            if (key > 0 && key < 0x80) utf8[0] = (char)key;
            tui_keypress k = {key, utf8, "", 0};
            int rc = ops->action(&t, s, keys[r].action, &k);
            ops->free(s);
            if (rc & TUI_UNHANDLED)
                fail_msg("the key table lists '%s' (%s) for the %s screen, whose action op does "
                         "not handle it",
                         keys[r].names, keys[r].label, tui_screen_name(ops->id));
            tried++;
        }
    }
    assert_true(tried > 40);
}

enum { SHOT_ROWS = 30, SHOT_COLS = 100 }; /* LINES and COLUMNS of setup */

/* The screen as s draws it: every cell, with its attributes (the selection is shown by them). */
static void draw_cells(tui *t, const screen_ops *ops, void *s,
                       cchar_t cells[SHOT_ROWS][SHOT_COLS + 1])
{
    ops->draw(t, s);
    memset(cells, 0, sizeof(cchar_t) * SHOT_ROWS * (SHOT_COLS + 1));
    for (int y = 0; y < SHOT_ROWS; y++)
        mvwin_wchnstr(stdscr, y, 0, cells[y], SHOT_COLS);
}

/* The keys left in the pipe (curses reads it one byte at a time; flushinp empties its own queue,
 * so what an action reads is what leaves the pipe). */
static int keys_left(const fixture *f)
{
    int n = 0;
    assert_int_equal(ioctl(f->in_fd, FIONREAD, &n), 0);
    return n;
}

/* A fresh copy of the screen, loaded as opened, on *t (the app state of the fixture; filtered by
 * text when filtered). */
static void *open_screen(const fixture *f, const screen_ops *ops, tui *t, bool filtered)
{
    *t = f->t;
    browse_filter_default(&t->filter);
    if (filtered) snprintf(t->filter.text, sizeof t->filter.text, "a");
    void *s = ops->create();
    assert_non_null(s);
    ops->load(t, s, arg_of(f, ops->id), true);
    return s;
}

static int act(const screen_ops *ops, tui *t, void *s, tui_action a, int key)
{
    char utf8[8] = "";
    if (key > 0 && key < 0x80) utf8[0] = (char)key;
    tui_keypress k = {key, utf8, "", 0};
    flushinp();
    return ops->action(t, s, a, &k);
}

/* The ways a screen is made ready for an action, tried in turn until one shows what it did: as
 * opened; drawn, then at its end (the way up, to the top or a page back is from there); with a
 * text filter (Esc clears it). */
enum { AS_OPENED, AT_END, FILTERED, WAYS };

/* What action a (by key) did to a fresh copy of the screen, made ready the way given: a reaction
 * other than a redraw (reload, quit, back, open a screen), the app's state changed (the status
 * line, the selection, the filter, the focus), the screen drawn otherwise, or a key read (a form,
 * picker or prompt asked and was left with Esc). NULL when none: the action did nothing to be seen.
 */
static const char *effect_of(const fixture *f, const screen_ops *ops, tui_action a, int key,
                             int way)
{
    static cchar_t before[SHOT_ROWS][SHOT_COLS + 1], after[SHOT_ROWS][SHOT_COLS + 1];
    tui t;
    void *s = open_screen(f, ops, &t, way == FILTERED);
    if (way == AT_END) {
        draw_cells(&t, ops, s, before); /* a view knows its height once drawn */
        act(ops, &t, s, ACT_END, FK(KEY_END));
    }
    t.status_msg[0] = '\0';
    t.status_is_error = false;
    draw_cells(&t, ops, s, before);
    tui t0;
    memcpy(&t0, &t, sizeof t);
    int left = keys_left(f);
    int rc = act(ops, &t, s, a, key);
    const char *effect = NULL;
    if (rc & (TUI_RELOAD | TUI_QUIT | TUI_BACK | TUI_OPEN))
        effect = "a reaction";
    else if (keys_left(f) != left)
        effect = "a key read";
    else if (memcmp(&t0, &t, sizeof t) != 0)
        effect = "the app's state";
    else {
        draw_cells(&t, ops, s, after);
        if (memcmp(before, after, sizeof before) != 0) effect = "the screen drawn";
    }
    ops->free(s);
    return effect;
}

/* The actions deliberately left doing nothing to be seen on the fixture's screens, each with why
 * ({screen, action, why}); none today: every action of the key table shows what it did. The list
 * ends with an entry whose why is NULL. */
static const struct {
    unsigned screen;
    tui_action action;
    const char *why;
} no_effect[] = {
    {0, ACT_NONE, NULL},
};

static const char *no_effect_why(unsigned screen, tui_action a)
{
    for (size_t i = 0; i < sizeof no_effect / sizeof no_effect[0]; i++)
        if (no_effect[i].why && no_effect[i].screen == screen && no_effect[i].action == a)
            return no_effect[i].why;
    return NULL;
}

static void every_listed_action_does_something(void **state)
{
    fixture *f = *state;
    int nkeys, nscreens, tried = 0, excused = 0, failed = 0;
    const tui_key_def *keys = tui_keys(&nkeys);
    const screen_ops *const *screens = tui_screens(&nscreens);
    for (int i = 0; i < nscreens; i++) {
        const screen_ops *ops = screens[i];
        for (int r = 0; r < nkeys; r++) {
            if (!(keys[r].screens & ops->id)) continue;
            /* Any of its keys (1-5 pick a report: 1 is the one shown), any way made ready. */
            const char *effect = NULL;
            for (int way = 0; !effect && way < WAYS; way++)
                for (size_t k = 0;
                     !effect && k < sizeof keys[r].keys / sizeof keys[r].keys[0] && keys[r].keys[k];
                     k++)
                    effect = effect_of(f, ops, keys[r].action, keys[r].keys[k], way);
            const char *why = no_effect_why(ops->id, keys[r].action);
            if (!effect && !why && ++failed)
                print_error("'%s' (%s) on the %s screen did nothing to be seen: no reaction but a "
                            "redraw, no key read, the app's state and the screen drawn the same\n",
                            keys[r].names, keys[r].label, tui_screen_name(ops->id));
            if (effect && why && ++failed)
                print_error("'%s' on the %s screen is listed as doing nothing (%s) but did: %s\n",
                            keys[r].names, tui_screen_name(ops->id), why, effect);
            excused += why != NULL;
            tried++;
        }
    }
    assert_int_equal(failed, 0);
    assert_true(tried > 40);
    print_message("%d actions each seen to do something, %d listed as doing nothing\n",
                  tried - excused, excused);
}

/* The check can fail: an action a screen does not know comes back unhandled. */
static void an_action_not_handled_says_so(void **state)
{
    fixture *f = *state;
    const screen_ops *ops = tui_screen_find(SCR_RETENTION);
    tui t = f->t;
    void *s = ops->create();
    ops->load(&t, s, 0, true);
    tui_keypress k = {'Z', "Z", "", 0};
    assert_true(ops->action(&t, s, ACT_PERIOD, &k) & TUI_UNHANDLED);
    assert_true(ops->action(&t, s, ACT_NONE, &k) & TUI_UNHANDLED);
    assert_false(ops->action(&t, s, ACT_DOWN, &k) & TUI_UNHANDLED);
    ops->free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_listed_action_is_handled, setup, teardown),
        cmocka_unit_test_setup_teardown(every_listed_action_does_something, setup, teardown),
        cmocka_unit_test_setup_teardown(an_action_not_handled_says_so, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
