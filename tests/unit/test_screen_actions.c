/* test_screen_actions: every action the key table (src/tui/keys.c) lists for a screen is handled
 * by that screen's action op (the screens of src/tui/screens.c), else the key would be in the help
 * and the hint line and do nothing. Each screen is opened in-process on a small demo caseload, with
 * curses reading from a pipe full of Esc keys (so a form, picker or prompt an action opens is left
 * at once) and writing to /dev/null, and given every action the table lists for it, on a fresh
 * copy of the screen each time; none may answer TUI_UNHANDLED (tui_key_common's answer for an
 * action nothing handled). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testdb.h"

#include "../../src/tui/screen.h"
#include "caseload/demo.h"
#include "caseload/exitcode.h"
#include "caseload/scoring.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct {
    char path[64];
    store *s;
    config cfg;
    tui t;
    int64_t referral, child; /* a referral of the demo and its child */
    SCREEN *screen;
    FILE *in, *out;
} fixture;

static int setup(void **state)
{
    setenv("CASELOAD_OFFICER", "tester", 1);
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/test_screen_actions.XXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    close(fd);
    unlink(f->path);
    char err[512];
    assert_int_equal(store_open(f->path, 0, &f->s, err, sizeof err), EXIT_OK);
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
    sqlite3_close(raw);
    f->t = (tui){.db = f->s, .cfg = &f->cfg, .as_of = as_of};

    /* Curses on a pipe of Esc keys (more than any action reads) and /dev/null. */
    int p[2];
    assert_int_equal(pipe(p), 0);
    static char escs[60000];
    memset(escs, 27, sizeof escs);
    assert_int_equal(write(p[1], escs, sizeof escs), (ssize_t)sizeof escs);
    close(p[1]);
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
    store_close(f->s);
    config_free(&f->cfg);
    char p[80];
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
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
        cmocka_unit_test_setup_teardown(an_action_not_handled_says_so, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
