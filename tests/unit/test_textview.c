/* test_textview: the shared scrolling text view of the app (src/tui/textview.c) without a
 * terminal: long lines wrap at the width at a space, under their label, and nothing is cut (every
 * word of the text is on some row, no row is wider than the width, even with wide characters or a
 * word longer than a row); a newline starts a row; control characters are made safe when added;
 * the moves of the key table scroll by rows and stop at both ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/tui/textview.h"
#include "caseload/text.h"
#include <locale.h>
#include <stdio.h>
#include <string.h>

/* Row r of the view as drawn (the label or the indent, then the text), in out. */
static void row_text(const textview *tv, int r, char *out, size_t n)
{
    const textview_row *row = &tv->rows[r];
    const textview_line *l = &tv->lines[row->line];
    if (row->start == 0 && l->prefix)
        snprintf(out, n, "%.*s", (int)row->len, l->text);
    else
        snprintf(out, n, "%*s%.*s", l->indent, "", (int)row->len, l->text + row->start);
}

static void wraps_at_a_space_under_the_label(void **state)
{
    (void)state;
    textview tv;
    textview_init(&tv, 0);
    textview_add(&tv, 0, false, "  Summary  ", "one two three four five six seven eight nine ten");
    textview_layout(&tv, 30);
    char r[128];
    assert_int_equal(tv.nrows, 3);
    row_text(&tv, 0, r, sizeof r);
    assert_string_equal(r, "  Summary  one two three four");
    row_text(&tv, 1, r, sizeof r);
    assert_string_equal(r, "           five six seven");
    row_text(&tv, 2, r, sizeof r);
    assert_string_equal(r, "           eight nine ten");
    /* Wider: one row. */
    textview_layout(&tv, 80);
    assert_int_equal(tv.nrows, 1);
    textview_free(&tv);
}

/* Every row fits in width columns and the rows hold every character of text but the spaces
 * they were broken at. */
static void check_nothing_cut(const char *text, int width)
{
    textview tv;
    textview_init(&tv, 0);
    textview_add(&tv, 0, false, "", text);
    textview_layout(&tv, width);
    char joined[4096] = "", stripped[4096] = "";
    for (int i = 0; i < tv.nrows; i++) {
        char r[1024];
        row_text(&tv, i, r, sizeof r);
        assert_true(text_width(r) <= width);
        strcat(joined, r);
    }
    size_t k = 0;
    for (const char *p = text; *p; p++)
        if (*p != ' ') stripped[k++] = *p;
    stripped[k] = '\0';
    k = 0;
    for (char *p = joined; *p; p++)
        if (*p != ' ') joined[k++] = *p;
    joined[k] = '\0';
    assert_string_equal(joined, stripped);
    textview_free(&tv);
}

static void nothing_is_cut(void **state)
{
    (void)state;
    check_nothing_cut(
        "a word longer than the row: Llanfairpwllgwyngyllgogerychwyrndrobwllllantysilio"
        "gogogoch, then more words after it",
        20);
    /* Wide characters take two columns: a row of 10 holds five. */
    check_nothing_cut("\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e \xe6\x9d\x8e\xe5\x9b\x9b "
                      "\xe5\xbc\xa0\xe4\xb8\x89\xe6\x9d\x8e\xe5\x9b\x9b\xe7\x8e\x8b\xe4\xba\x94"
                      "\xe8\xb5\xb5\xe5\x85\xad",
                      10);
    check_nothing_cut("exactly ten", 10);
    check_nothing_cut("", 10);
}

static void a_newline_starts_a_row_and_control_characters_are_safe(void **state)
{
    (void)state;
    textview tv;
    textview_init(&tv, 0);
    textview_add(&tv, 0, false, "  Note  ", "first\nsecond \x1b[31mred");
    textview_addf(&tv, 0, true, "%s", "plain");
    textview_layout(&tv, 40);
    assert_int_equal(tv.nlines, 3);
    assert_int_equal(tv.nrows, 3);
    char r[128];
    row_text(&tv, 1, r, sizeof r);
    assert_string_equal(r, "        second ?[31mred");
    assert_true(text_is_clean(tv.lines[1].text));
    assert_true(tv.lines[2].bold);
    textview_free(&tv);
}

static void moves_stop_at_both_ends(void **state)
{
    (void)state;
    textview tv;
    textview_init(&tv, 0);
    for (int i = 0; i < 25; i++)
        textview_addf(&tv, 0, false, "line %d", i);
    textview_layout(&tv, 40);
    tv.height = 10; /* as a draw of 10 rows leaves it */
    int flags;
    assert_true(textview_key(&tv, ACT_UP, &flags));
    assert_int_equal(flags, TUI_NONE);
    assert_true(textview_key(&tv, ACT_DOWN, &flags));
    assert_int_equal(flags, TUI_REDRAW);
    assert_int_equal(tv.scroll, 1);
    assert_true(textview_key(&tv, ACT_PGDN, &flags));
    assert_int_equal(tv.scroll, 11);
    assert_true(textview_key(&tv, ACT_PGDN, &flags));
    assert_int_equal(tv.scroll, 15); /* the last page: rows 16-25 */
    assert_true(textview_key(&tv, ACT_END, &flags));
    assert_int_equal(flags, TUI_NONE);
    assert_true(textview_key(&tv, ACT_TOP, &flags));
    assert_int_equal(tv.scroll, 0);
    char pos[64];
    textview_position(&tv, pos, sizeof pos);
    assert_string_equal(pos, " lines 1-10 of 25");
    assert_false(textview_key(&tv, ACT_HELP, &flags));
    /* A reload keeps the place. */
    tv.scroll = 5;
    textview_clear(&tv);
    assert_int_equal(tv.scroll, 5);
    textview_free(&tv);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wraps_at_a_space_under_the_label),
        cmocka_unit_test(nothing_is_cut),
        cmocka_unit_test(a_newline_starts_a_row_and_control_characters_are_safe),
        cmocka_unit_test(moves_stop_at_both_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
