/* test_keys: the one key table (src/tui/keys.c) and the table of screens (src/tui/screens.c)
 * hold together: every screen has all its ops, a flag of its own and a name for its help; every
 * row of the key table is for screens that exist, shows its hint only where its keys work, and
 * no key is in two rows of one screen (the second would never be reached, while help and the hint
 * line still showed it); every screen can be left and has its help. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/tui/screen.h"

static unsigned all_screens(void)
{
    int n;
    const screen_ops *const *s = tui_screens(&n);
    unsigned all = 0;
    for (int i = 0; i < n; i++)
        all |= s[i]->id;
    return all;
}

static void every_screen_has_all_its_ops(void **state)
{
    (void)state;
    int n;
    const screen_ops *const *s = tui_screens(&n);
    assert_true(n >= 4);
    unsigned seen = 0;
    for (int i = 0; i < n; i++) {
        const screen_ops *o = s[i];
        assert_non_null(o->create);
        assert_non_null(o->load);
        assert_non_null(o->draw);
        assert_non_null(o->action);
        assert_non_null(o->idle);
        assert_non_null(o->free);
        /* One bit, its own. */
        assert_true(o->id != 0 && (o->id & (o->id - 1)) == 0);
        assert_false(seen & o->id);
        seen |= o->id;
        assert_non_null(tui_screen_name(o->id));
        assert_ptr_equal(tui_screen_find(o->id), o);
    }
    assert_null(tui_screen_find(0));
}

static void every_row_is_for_screens_that_exist(void **state)
{
    (void)state;
    unsigned all = all_screens();
    int n;
    const tui_key_def *k = tui_keys(&n);
    for (int i = 0; i < n; i++) {
        assert_true(k[i].action != ACT_NONE && k[i].action != ACT_PASTE);
        assert_true(k[i].keys[0] != 0);
        assert_non_null(k[i].names);
        assert_non_null(k[i].label);
        assert_true(k[i].screens != 0);
        assert_int_equal(k[i].screens & ~all, 0);
        /* The hint line shows only keys that work there, and only rows with a hint. */
        assert_int_equal(k[i].hint_screens & ~k[i].screens, 0);
        if (k[i].hint_screens) assert_non_null(k[i].hint);
    }
}

static void no_key_is_in_two_rows_of_one_screen(void **state)
{
    (void)state;
    int n, ns;
    const tui_key_def *k = tui_keys(&n);
    const screen_ops *const *s = tui_screens(&ns);
    for (int sc = 0; sc < ns; sc++) {
        unsigned id = s[sc]->id;
        for (int i = 0; i < n; i++) {
            if (!(k[i].screens & id)) continue;
            for (int a = 0; a < TUI_ROW_KEYS && k[i].keys[a]; a++) {
                for (int b = a + 1; b < TUI_ROW_KEYS && k[i].keys[b]; b++)
                    assert_int_not_equal(k[i].keys[a], k[i].keys[b]);
                for (int j = i + 1; j < n; j++) {
                    if (!(k[j].screens & id)) continue;
                    for (int b = 0; b < TUI_ROW_KEYS && k[j].keys[b]; b++)
                        if (k[j].keys[b] == k[i].keys[a])
                            fail_msg("screen %s: key %d is in rows %d (%s) and %d (%s)",
                                     tui_screen_name(id), k[i].keys[a], i, k[i].names, j,
                                     k[j].names);
                }
                /* And the dispatch finds this row's action for it. */
                assert_int_equal(tui_key_action(k[i].keys[a], id), k[i].action);
            }
        }
    }
}

static bool has_action(unsigned screen, tui_action a)
{
    int n;
    const tui_key_def *k = tui_keys(&n);
    for (int i = 0; i < n; i++)
        if ((k[i].screens & screen) && k[i].action == a) return true;
    return false;
}

static void every_screen_can_be_left_and_has_help(void **state)
{
    (void)state;
    int n;
    const screen_ops *const *s = tui_screens(&n);
    for (int i = 0; i < n; i++) {
        unsigned id = s[i]->id;
        if (id == SCR_MAIN)
            assert_true(has_action(id, ACT_QUIT));
        else
            assert_true(has_action(id, ACT_BACK));
        if (id != SCR_HELP) assert_true(has_action(id, ACT_HELP));
    }
    /* Keys of no screen do nothing. */
    assert_int_equal(tui_key_action('q', 0), ACT_NONE);
    assert_int_equal(tui_key_action(FK(KEY_F(12)), SCR_MAIN), ACT_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_screen_has_all_its_ops),
        cmocka_unit_test(every_row_is_for_screens_that_exist),
        cmocka_unit_test(no_key_is_in_two_rows_of_one_screen),
        cmocka_unit_test(every_screen_can_be_left_and_has_help),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
