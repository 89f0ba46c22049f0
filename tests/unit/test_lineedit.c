/* test_lineedit: the shell-like line editor of the forms, key by key. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/tui/lineedit.h"

static void type(lineedit *e, const char *s)
{
    assert_true(lineedit_insert_str(e, s));
}

static void test_insert_and_cursor(void **state)
{
    (void)state;
    lineedit e;
    lineedit_init(&e, 0);
    assert_string_equal(lineedit_text(&e), "");
    assert_false(e.changed);
    type(&e, "Smith");
    assert_string_equal(lineedit_text(&e), "Smith");
    assert_int_equal(e.cur, 5);
    assert_true(e.changed);
    lineedit_do(&e, LE_HOME);
    type(&e, "J ");
    assert_string_equal(lineedit_text(&e), "J Smith");
    lineedit_do(&e, LE_END);
    type(&e, "!");
    assert_string_equal(lineedit_text(&e), "J Smith!");
    assert_false(lineedit_do(&e, LE_RIGHT)); /* at the end: nothing moves */
    lineedit_do(&e, LE_LEFT);
    lineedit_do(&e, LE_LEFT);
    type(&e, "x");
    assert_string_equal(lineedit_text(&e), "J Smitxh!");
    lineedit_free(&e);
}

static void test_utf8_moves_whole_characters(void **state)
{
    (void)state;
    lineedit e;
    lineedit_init(&e, 0);
    type(&e, "Zoë Łukasz 日本");
    size_t end = e.cur;
    lineedit_do(&e, LE_LEFT); /* over the 3-byte 本 */
    assert_int_equal(e.cur, end - 3);
    lineedit_do(&e, LE_BACKSPACE); /* removes 日 whole */
    assert_string_equal(lineedit_text(&e), "Zoë Łukasz 本");
    lineedit_do(&e, LE_HOME);
    lineedit_do(&e, LE_RIGHT);
    lineedit_do(&e, LE_RIGHT);
    lineedit_do(&e, LE_DELETE); /* removes the 2-byte ë */
    assert_string_equal(lineedit_text(&e), "Zo Łukasz 本");
    assert_true(lineedit_insert(&e, 0xe9)); /* é */
    assert_string_equal(lineedit_text(&e), "Zoé Łukasz 本");
    assert_true(lineedit_insert(&e, 0x1f600)); /* a 4-byte emoji */
    assert_int_equal(e.cur, 4 + 4);
    lineedit_do(&e, LE_LEFT);
    assert_int_equal(e.cur, 4);
    lineedit_free(&e);
}

static void test_backspace_delete_at_edges(void **state)
{
    (void)state;
    lineedit e;
    lineedit_init(&e, 0);
    assert_false(lineedit_do(&e, LE_BACKSPACE));
    assert_false(lineedit_do(&e, LE_DELETE));
    assert_false(e.changed);
    type(&e, "ab");
    assert_false(lineedit_do(&e, LE_DELETE));
    lineedit_do(&e, LE_HOME);
    assert_false(lineedit_do(&e, LE_BACKSPACE));
    assert_true(lineedit_do(&e, LE_DELETE));
    assert_string_equal(lineedit_text(&e), "b");
    lineedit_free(&e);
}

static void test_kill_and_yank(void **state)
{
    (void)state;
    lineedit e;
    lineedit_init(&e, 0);
    type(&e, "one two  three");
    assert_true(lineedit_do(&e, LE_KILL_WORD));
    assert_string_equal(lineedit_text(&e), "one two  ");
    assert_true(lineedit_do(&e, LE_KILL_WORD)); /* blanks, then the word */
    assert_string_equal(lineedit_text(&e), "one ");
    assert_true(lineedit_do(&e, LE_YANK));
    assert_string_equal(lineedit_text(&e), "one two  ");
    lineedit_do(&e, LE_HOME);
    lineedit_do(&e, LE_RIGHT);
    assert_true(lineedit_do(&e, LE_KILL_TO_END));
    assert_string_equal(lineedit_text(&e), "o");
    assert_true(lineedit_do(&e, LE_KILL_TO_START));
    assert_string_equal(lineedit_text(&e), "");
    assert_int_equal(e.cur, 0);
    assert_false(lineedit_do(&e, LE_KILL_TO_START));
    assert_true(lineedit_do(&e, LE_YANK));
    assert_string_equal(lineedit_text(&e), "o");
    lineedit_set(&e, "Łódź ąę");
    assert_true(lineedit_do(&e, LE_KILL_WORD));
    assert_string_equal(lineedit_text(&e), "Łódź ");
    lineedit_free(&e);
}

static void test_word_moves(void **state)
{
    (void)state;
    lineedit e;
    lineedit_init(&e, 0);
    type(&e, "St. Mary's school");
    lineedit_do(&e, LE_WORD_LEFT);
    assert_int_equal(e.cur, strlen("St. Mary's "));
    lineedit_do(&e, LE_WORD_LEFT);
    assert_int_equal(e.cur, strlen("St. Mary'"));
    lineedit_do(&e, LE_HOME);
    lineedit_do(&e, LE_WORD_RIGHT);
    assert_int_equal(e.cur, 2);
    lineedit_free(&e);
}

static void test_control_keys_map(void **state)
{
    (void)state;
    assert_int_equal(lineedit_control_op(1), LE_HOME);
    assert_int_equal(lineedit_control_op(5), LE_END);
    assert_int_equal(lineedit_control_op(21), LE_KILL_TO_START);
    assert_int_equal(lineedit_control_op(11), LE_KILL_TO_END);
    assert_int_equal(lineedit_control_op(23), LE_KILL_WORD);
    assert_int_equal(lineedit_control_op(127), LE_BACKSPACE);
    assert_int_equal(lineedit_control_op(8), LE_BACKSPACE);
    assert_int_equal(lineedit_control_op('a'), -1);
    assert_int_equal(lineedit_control_op(27), -1);
}

static void test_refuses_control_characters(void **state)
{
    (void)state;
    lineedit e;
    lineedit_init(&e, 0);
    assert_false(lineedit_insert(&e, 0x1b)); /* ESC */
    assert_false(lineedit_insert(&e, '\n'));
    assert_false(lineedit_insert(&e, 0x7f));
    assert_false(lineedit_insert(&e, 0x9b)); /* C1 CSI */
    assert_false(lineedit_insert(&e, 0xd800));
    assert_false(lineedit_insert(&e, 0x110000));
    assert_false(lineedit_insert(&e, 0x202e)); /* right-to-left override */
    assert_string_equal(lineedit_text(&e), "");
    assert_false(e.changed);
    assert_false(lineedit_insert_str(&e, "a\x1b[2Jb"));
    assert_string_equal(lineedit_text(&e), "a");
    /* Text set from elsewhere: what cannot be shown becomes U+FFFD. */
    lineedit_set(&e, "x\x1b[31my\xff");
    assert_string_equal(lineedit_text(&e), "x\xef\xbf\xbd[31my\xef\xbf\xbd");
    assert_false(e.changed);
    lineedit_set(&e, NULL);
    assert_string_equal(lineedit_text(&e), "");
    lineedit_free(&e);
}

static void test_max_bytes(void **state)
{
    (void)state;
    lineedit e;
    lineedit_init(&e, 10);
    type(&e, "2024-01-31");
    assert_false(lineedit_insert(&e, '9'));
    assert_string_equal(lineedit_text(&e), "2024-01-31");
    lineedit_set(&e, "ééééééé"); /* 14 bytes: cut at a character boundary */
    assert_string_equal(lineedit_text(&e), "ééééé");
    lineedit_do(&e, LE_BACKSPACE);
    assert_false(lineedit_insert(&e, 0x65e5)); /* 3 bytes do not fit in the 2 left */
    assert_true(lineedit_insert(&e, 0xe9));
    lineedit_free(&e);
}

static void test_decode(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(lineedit_utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(lineedit_utf8_decode("\xc3\xa9", 2, &cp), 2);
    assert_int_equal(cp, 0xe9);
    assert_int_equal(lineedit_utf8_decode("\xc3", 1, &cp), 0);         /* truncated */
    assert_int_equal(lineedit_utf8_decode("\xc0\xaf", 2, &cp), 0);     /* overlong */
    assert_int_equal(lineedit_utf8_decode("\xed\xa0\x80", 3, &cp), 0); /* surrogate */
    assert_int_equal(lineedit_utf8_decode("\x80", 1, &cp), 0);
}

static void test_view_scrolls_to_cursor(void **state)
{
    (void)state;
    lineedit e;
    lineedit_init(&e, 0);
    size_t start, len;
    type(&e, "abcdefghij");
    int col = lineedit_view(&e, 5, &start, &len);
    /* The cursor after the last character needs a cell: "ghij" and the cursor. */
    assert_int_equal(start, 6);
    assert_int_equal(len, 4);
    assert_int_equal(col, 4);
    lineedit_do(&e, LE_HOME);
    col = lineedit_view(&e, 5, &start, &len);
    assert_int_equal(start, 0);
    assert_int_equal(len, 5);
    assert_int_equal(col, 0);
    lineedit_do(&e, LE_RIGHT);
    col = lineedit_view(&e, 5, &start, &len); /* no need to scroll */
    assert_int_equal(start, 0);
    assert_int_equal(col, 1);
    /* After deleting, the field shows as much as fits again. */
    lineedit_do(&e, LE_END);
    lineedit_view(&e, 5, &start, &len);
    lineedit_do(&e, LE_KILL_TO_START);
    col = lineedit_view(&e, 5, &start, &len);
    assert_int_equal(start, 0);
    assert_int_equal(len, 0);
    assert_int_equal(col, 0);
    lineedit_free(&e);
}

static void test_view_wide_characters(void **state)
{
    (void)state;
    lineedit e;
    lineedit_init(&e, 0);
    size_t start, len;
    assert_int_equal(lineedit_width("日本", 6), 4);
    assert_int_equal(lineedit_width("e\xcc\x81", 3), 1); /* e + combining acute */
    type(&e, "日本語");
    int col = lineedit_view(&e, 5, &start, &len);
    assert_int_equal(start, 3);
    assert_int_equal(len, 6);
    assert_int_equal(col, 4);
    lineedit_free(&e);
}

/* A paste: CR LF and CR are newlines, kept in a multi-line editor and spaces in a one-line one;
 * tabs are spaces; other control characters are dropped. */
static void test_paste(void **state)
{
    (void)state;
    lineedit e;
    lineedit_init(&e, 0);
    const char *p = "Mensah\r\nq\tx\x1b[31m";
    assert_false(lineedit_paste(&e, p, strlen(p))); /* the escape was dropped */
    assert_string_equal(lineedit_text(&e), "Mensah q x[31m");
    lineedit_free(&e);
    lineedit_init(&e, 0);
    e.multiline = true;
    p = "one\r\ntwo\rthree\nfour";
    assert_true(lineedit_paste(&e, p, strlen(p)));
    assert_string_equal(lineedit_text(&e), "one\ntwo\nthree\nfour");
    assert_false(lineedit_insert(&e, 7)); /* still no other control character */
    lineedit_free(&e);
    lineedit_init(&e, 5);
    assert_false(lineedit_paste(&e, "abcdefgh", 8)); /* stops at max */
    assert_string_equal(lineedit_text(&e), "abcde");
    lineedit_free(&e);
}

/* Several lines: wrapped at word boundaries, a newline a row's end, the cursor found in its row. */
static void test_wrap_rows(void **state)
{
    (void)state;
    lineedit e;
    lineedit_init(&e, 0);
    e.multiline = true;
    type(&e, "Spoke to the DSL about it\n\nCall back");
    int n;
    /* 11 columns: 10 for text and a cell for the cursor. */
    lineedit_row *r = lineedit_wrap(&e, 11, &n);
    const char *t = lineedit_text(&e);
    const char *want[] = {"Spoke to ", "the DSL ", "about it", "", "Call back"};
    assert_int_equal(n, 5);
    for (int i = 0; i < n; i++) {
        char got[32];
        snprintf(got, sizeof got, "%.*s", (int)r[i].len, t + r[i].start);
        assert_string_equal(got, want[i]);
    }
    int col;
    assert_int_equal(lineedit_cursor_row(&e, r, n, &col), 4); /* at the end */
    assert_int_equal(col, 9);
    e.cur = 9; /* "the": the start of row 1, not the end of row 0 */
    assert_int_equal(lineedit_cursor_row(&e, r, n, &col), 1);
    assert_int_equal(col, 0);
    free(r);
    /* A word longer than the row is cut where the row is full; a trailing newline is a row. */
    lineedit_set(&e, "abcdefghijklmnop\n");
    r = lineedit_wrap(&e, 6, &n);
    assert_int_equal(n, 5);
    assert_int_equal(r[0].len, 5);
    assert_int_equal(r[3].len, 1);
    assert_int_equal(r[4].len, 0);
    free(r);
    /* Wide characters take two columns: 4 of them in 9 columns. */
    lineedit_set(&e, "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5");
    r = lineedit_wrap(&e, 9, &n);
    assert_int_equal(n, 2);
    assert_int_equal(r[0].len, 12);
    free(r);
    lineedit_free(&e);
}

/* Up and Down keep the column, stop at the first and last rows; Home/End and Ctrl-K work on the
 * line the cursor is on; newlines set in a multi-line editor stay. */
static void test_rows_and_lines(void **state)
{
    (void)state;
    lineedit e;
    lineedit_init(&e, 0);
    e.multiline = true;
    lineedit_set(&e, "tab\there");
    assert_string_equal(lineedit_text(&e), "tab here");
    lineedit_set(&e, "first line\nsecond\nthird line here");
    assert_string_equal(lineedit_text(&e), "first line\nsecond\nthird line here");
    e.cur = 3; /* fir|st */
    assert_false(lineedit_row_move(&e, 40, -1));
    assert_true(lineedit_row_move(&e, 40, 1));
    assert_int_equal(e.cur, 14); /* sec|ond */
    e.cur = 9;                   /* first lin|e */
    assert_true(lineedit_row_move(&e, 40, 1));
    assert_int_equal(e.cur, 17); /* second|: the end of the shorter line */
    assert_true(lineedit_row_move(&e, 40, 1));
    assert_int_equal(e.cur, 24); /* third|: column 6 */
    assert_false(lineedit_row_move(&e, 40, 1));
    lineedit_do(&e, LE_HOME);
    assert_int_equal(e.cur, 18);
    lineedit_do(&e, LE_END);
    assert_int_equal(e.cur, e.len);
    e.cur = 10; /* the end of the first line: Ctrl-K joins the next one */
    lineedit_do(&e, LE_KILL_TO_END);
    assert_string_equal(lineedit_text(&e), "first linesecond\nthird line here");
    lineedit_do(&e, LE_KILL_TO_END);
    assert_string_equal(lineedit_text(&e), "first line\nthird line here");
    /* Within a wrapped line, Down goes to the next row, not past it. */
    lineedit_set(&e, "aaaa bbbb cccc");
    e.cur = 1;
    assert_true(lineedit_row_move(&e, 6, 1));
    assert_int_equal(e.cur, 6);
    lineedit_free(&e);
    /* A one-line editor: a newline given to set is not text. */
    lineedit_init(&e, 0);
    lineedit_set(&e, "a\nb");
    assert_string_equal(lineedit_text(&e), "a\xef\xbf\xbd"
                                           "b");
    lineedit_free(&e);
}

int main(void)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8")) setlocale(LC_CTYPE, "en_US.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_and_cursor),
        cmocka_unit_test(test_utf8_moves_whole_characters),
        cmocka_unit_test(test_backspace_delete_at_edges),
        cmocka_unit_test(test_kill_and_yank),
        cmocka_unit_test(test_word_moves),
        cmocka_unit_test(test_control_keys_map),
        cmocka_unit_test(test_refuses_control_characters),
        cmocka_unit_test(test_max_bytes),
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_view_scrolls_to_cursor),
        cmocka_unit_test(test_view_wide_characters),
        cmocka_unit_test(test_paste),
        cmocka_unit_test(test_wrap_rows),
        cmocka_unit_test(test_rows_and_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
