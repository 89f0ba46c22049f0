/* test_form: the key logic of the form widget (form_key, form_check, form_value) without a
 * terminal: moving between fields, Esc asking only when something was typed, fields that accept
 * only what they hold (dates, UPNs), codes picked from lists (never typed), several choices,
 * yes/no, required fields and live checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/tui/form.h"
#include <locale.h>
#include <string.h>

static void type(form *f, const char *s)
{
    for (; *s; s++)
        form_key(f, (unsigned char)*s, false);
}

static int key(form *f, int k)
{
    return form_key(f, k, true);
}

static void build(form *f)
{
    form_init(f, "Test");
    form_text(f, "first_name", "First name", 40, NULL, true);
    form_date(f, "dob", "Date of birth", NULL, true);
    form_upn(f, "upn", "UPN", NULL);
    form_codes(f, CODES_CARE_STATUS, "Care status", NULL, NULL, true);
    form_multi(f, CODES_ISSUE, "other_issues", "Other issues", "cme;sen");
    form_yesno(f, "youth_justice", "Youth justice", false);
}

static void test_tab_and_arrows_move(void **state)
{
    (void)state;
    form f;
    build(&f);
    assert_int_equal(f.focus, 0);
    assert_int_equal(form_key(&f, '\t', false), FORM_CONTINUE);
    assert_int_equal(f.focus, 1);
    key(&f, KEY_DOWN);
    assert_int_equal(f.focus, 2);
    key(&f, KEY_BTAB);
    key(&f, KEY_UP);
    assert_int_equal(f.focus, 0);
    key(&f, KEY_UP); /* wraps to the last field */
    assert_int_equal(f.focus, 5);
    form_free(&f);
}

static void test_esc_asks_only_after_typing(void **state)
{
    (void)state;
    form f;
    build(&f);
    assert_int_equal(form_key(&f, 27, false), FORM_CANCEL);
    type(&f, "Ada");
    assert_true(form_dirty(&f));
    assert_int_equal(form_key(&f, 27, false), FORM_CONTINUE);
    assert_true(f.confirm_esc);
    assert_int_equal(form_key(&f, 'n', false), FORM_CONTINUE); /* go on editing */
    assert_false(f.confirm_esc);
    assert_string_equal(form_value(form_find(&f, "first_name")), "Ada");
    form_key(&f, 27, false);
    assert_int_equal(form_key(&f, 'y', false), FORM_CANCEL);
    form_free(&f);
    /* A changed choice counts as typed too. */
    build(&f);
    f.focus = 5;
    form_key(&f, ' ', false);
    assert_int_equal(form_key(&f, 27, false), FORM_CONTINUE);
    form_free(&f);
}

static void test_enter_saves_and_text_edits(void **state)
{
    (void)state;
    form f;
    build(&f);
    type(&f, "Adx");
    key(&f, KEY_BACKSPACE);
    type(&f, "a");
    form_key(&f, 1, false); /* Ctrl-A */
    type(&f, "Z");
    assert_string_equal(form_value(&f.fields[0]), "ZAda");
    assert_int_equal(form_key(&f, '\n', false), FORM_SAVE);
    assert_int_equal(key(&f, KEY_ENTER), FORM_SAVE);
    form_free(&f);
}

static void test_date_and_upn_accept_only_their_characters(void **state)
{
    (void)state;
    form f;
    build(&f);
    bool bad;
    f.focus = 1;
    type(&f, "2014-o5-05x");
    assert_string_equal(form_value(&f.fields[1]), "2014-5-05");
    assert_string_equal(form_field_note(&f.fields[1], &bad), "YYYY-MM-DD or DD/MM/YYYY");
    assert_false(bad);
    form_key(&f, 21, false); /* Ctrl-U */
    type(&f, "2014-02-30");
    form_field_note(&f.fields[1], &bad);
    assert_true(bad);
    form_key(&f, 21, false);
    type(&f, "2014-05-05");
    assert_string_equal(form_field_note(&f.fields[1], &bad), "Monday");
    f.focus = 2;
    type(&f, "b80120 000-5001");
    assert_string_equal(form_value(&f.fields[2]), "B801200005001");
    assert_string_equal(form_field_note(&f.fields[2], &bad), "valid");
    key(&f, KEY_BACKSPACE);
    assert_string_equal(form_field_note(&f.fields[2], &bad), "12 of 13 characters");
    assert_false(bad);
    type(&f, "2");
    assert_true(strncmp(form_field_note(&f.fields[2], &bad), "invalid: ", 9) == 0);
    assert_true(bad);
    type(&f, "3"); /* at most 13 characters */
    assert_string_equal(form_value(&f.fields[2]), "B801200005002");
    form_free(&f);
}

static void test_codes_are_picked_not_typed(void **state)
{
    (void)state;
    form f;
    build(&f);
    form_field *care = form_find(&f, "care_status");
    f.focus = 3;
    assert_string_equal(form_value(care), "");
    key(&f, KEY_RIGHT);
    assert_string_equal(form_value(care), "cin");
    key(&f, KEY_RIGHT);
    assert_string_equal(form_value(care), "cp");
    key(&f, KEY_LEFT);
    assert_string_equal(form_value(care), "cin");
    /* Space opens the list; moving and Enter picks. */
    form_key(&f, ' ', false);
    assert_true(f.popup);
    key(&f, KEY_DOWN);
    key(&f, KEY_DOWN);
    form_key(&f, '\n', false);
    assert_false(f.popup);
    assert_string_equal(form_value(care), "cla");
    /* Esc closes the list without changing the choice, and does not leave the form. */
    form_key(&f, ' ', false);
    key(&f, KEY_DOWN);
    assert_int_equal(form_key(&f, 27, false), FORM_CONTINUE);
    assert_string_equal(form_value(care), "cla");
    /* A letter moves to the next label starting with it ("Previously looked after"). */
    form_key(&f, 'p', false);
    assert_string_equal(form_value(care), "plac");
    form_free(&f);
}

static void test_multi_and_yesno(void **state)
{
    (void)state;
    form f;
    build(&f);
    form_field *m = form_find(&f, "other_issues");
    assert_string_equal(form_value(m), "cme;sen");
    f.focus = 4;
    form_key(&f, ' ', false); /* opens the list at the first issue */
    form_key(&f, ' ', false); /* ticks attendance */
    key(&f, KEY_DOWN);
    form_key(&f, ' ', false); /* unticks cme */
    form_key(&f, '\n', false);
    assert_false(f.popup);
    assert_string_equal(form_value(m), "attendance;sen");
    f.focus = 5;
    form_field *yj = form_find(&f, "youth_justice");
    assert_string_equal(form_value(yj), "no");
    form_key(&f, 'y', false);
    assert_string_equal(form_value(yj), "yes");
    form_key(&f, ' ', false);
    assert_string_equal(form_value(yj), "no");
    form_free(&f);
}

static void test_check_and_errors(void **state)
{
    (void)state;
    form f;
    build(&f);
    assert_false(form_check(&f));
    assert_int_equal(f.focus, 0);
    assert_string_equal(f.error, "First name: required");
    type(&f, "Ada"); /* answering the field clears its error */
    assert_string_equal(f.error, "");
    assert_false(form_check(&f));
    assert_int_equal(f.focus, 1);
    type(&f, "2014-05-05");
    f.focus = 2;
    type(&f, "A801200005001");
    assert_false(form_check(&f));
    assert_int_equal(f.focus, 2);
    form_key(&f, 21, false);
    assert_false(form_check(&f)); /* care status not chosen */
    assert_int_equal(f.focus, 3);
    assert_true(strstr(f.error, "choose one") != NULL);
    key(&f, KEY_RIGHT);
    assert_true(form_check(&f));
    /* An error from saving lands on its field. */
    form_set_error(&f, "dob", "Date of birth: after today");
    assert_int_equal(f.focus, 1);
    assert_int_equal(f.error_field, 1);
    form_set_error(&f, "", "Not saved: the database is busy");
    assert_int_equal(f.error_field, -1);
    assert_int_equal(f.focus, 1);
    form_free(&f);
}

static bool upper_initials(const char *typed, char *out, size_t n, char *why, size_t nwhy)
{
    size_t len = strlen(typed);
    if (len > 4 || strspn(typed, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != len) {
        snprintf(why, nwhy, "is not an officer's initials");
        return false;
    }
    for (size_t i = 0; i < len && i + 1 < n; i++)
        out[i] = (char)(typed[i] >= 'a' && typed[i] <= 'z' ? typed[i] - 32 : typed[i]);
    out[len < n ? len : n - 1] = '\0';
    return true;
}

static const char *const officer_values[] = {"AB", "J.H", "SK", "SKM"};
static const char *const officer_labels[] = {"AB  Alex Brown", "J.H  Jo Hall", "SK  Sam Kaur",
                                             "SKM  Sue Martin"};

/* A lookup: typing narrows the list (any case, value or label), Up/Down and Enter take one, a
 * known value in another case is that value, a new one is checked and asked about before the
 * save goes on; without check_new only known values pass. */
static void test_lookup(void **state)
{
    (void)state;
    form f;
    form_init(&f, "Test");
    form_field *o = form_lookup(&f, "officer", "Officer", 15, "", false, officer_values,
                                officer_labels, 4, "officer", upper_initials);
    form_text(&f, "note", "Note", 100, NULL, false);
    assert_int_equal(o->lk_nmatch, 4);
    type(&f, "sk");
    assert_true(f.popup);
    assert_int_equal(o->lk_nmatch, 2); /* SK, SKM: both begin with it */
    assert_string_equal(form_value(o), "SK");
    assert_true(form_check(&f)); /* sk is the known SK: nothing to ask */
    assert_false(f.confirm_new);
    assert_int_equal(form_key(&f, '\n', false), FORM_SAVE); /* it names the first: Enter saves */
    type(&f, "m");
    form_key(&f, 8, false); /* the list again, SK first */
    assert_true(f.popup);
    key(&f, KEY_DOWN);
    form_key(&f, '\n', false); /* takes SKM; the list closes, the form stays */
    assert_false(f.popup);
    assert_string_equal(lineedit_text(&o->edit), "SKM");
    assert_true(form_dirty(&f));
    /* Narrowing by the label, accents and case ignored; a word inside it counts. */
    form_key(&f, 21, false); /* Ctrl-U */
    type(&f, "MARTI");
    assert_int_equal(o->lk_nmatch, 1);
    assert_string_equal(o->lk_values[o->lk_match[0]], "SKM");
    form_key(&f, 27, false); /* Esc closes the list, keeps the text */
    assert_false(f.popup);
    assert_string_equal(lineedit_text(&o->edit), "MARTI");
    assert_false(form_check(&f)); /* MARTI: five letters, not initials */
    assert_non_null(strstr(f.error, "not an officer's initials"));
    /* A stored value outside the rule is known, so it passes. */
    form_key(&f, 21, false);
    type(&f, "j.h");
    assert_string_equal(form_value(o), "J.H");
    assert_true(form_check(&f));
    /* A new one: the save asks first; any key but y goes back; y says save. */
    form_key(&f, 21, false);
    type(&f, "xyz");
    assert_int_equal(o->lk_nmatch, 0);
    assert_string_equal(form_value(o), "XYZ");
    assert_int_equal(form_key(&f, '\n', false), FORM_SAVE); /* nothing to take: Enter saves */
    assert_false(f.popup);
    type(&f, "z");
    form_key(&f, 8, false);
    assert_true(f.popup);
    form_key(&f, '\t', false); /* Tab closes the list and moves on */
    assert_false(f.popup);
    assert_int_equal(f.focus, 1);
    assert_false(form_check(&f));
    assert_true(f.confirm_new);
    assert_int_equal(f.focus, 0);
    assert_int_equal(form_key(&f, 'n', false), FORM_CONTINUE);
    assert_false(f.confirm_new);
    assert_false(form_check(&f));
    assert_int_equal(form_key(&f, 'y', false), FORM_SAVE);
    assert_true(form_check(&f));
    /* Changing the text asks again. */
    form_key(&f, 8, false); /* Ctrl-H: backspace */
    assert_false(form_check(&f));
    assert_true(f.confirm_new);
    form_free(&f);

    /* Only known values (a filter). */
    form_init(&f, "Test");
    o = form_lookup(&f, "officer", "Officer", 15, "ab", false, officer_values, officer_labels, 4,
                    "officer", NULL);
    assert_true(form_check(&f));
    assert_string_equal(form_value(o), "AB");
    form_key(&f, 21, false);
    type(&f, "xyz");
    assert_false(form_check(&f));
    assert_false(f.confirm_new);
    assert_non_null(strstr(f.error, "not a known officer"));
    form_free(&f);
}

/* A note: Enter starts a new line, Up/Down move in it and leave it from its first and last rows,
 * Ctrl-S and F2 save from any field; a note's initial newlines stay. */
static void test_note_takes_lines(void **state)
{
    (void)state;
    form f;
    form_init(&f, "Test");
    form_date(&f, "date", "Date", "2022-03-01", true);
    form_note(&f, "note", "Note", 1000, "was\nthere", false);
    form_text(&f, "reason", "Reason", 100, NULL, false);
    assert_string_equal(form_value(form_find(&f, "note")), "was\nthere");
    assert_false(form_is_note(&f.fields[0]));
    assert_true(form_is_note(&f.fields[1]));
    key(&f, KEY_DOWN);
    assert_int_equal(f.focus, 1);
    assert_int_equal(form_key(&f, '\r', false), FORM_CONTINUE);
    type(&f, "and more");
    assert_string_equal(form_value(form_find(&f, "note")), "was\nthere\nand more");
    assert_int_equal(key(&f, KEY_ENTER), FORM_CONTINUE);
    assert_string_equal(form_value(form_find(&f, "note")), "was\nthere\nand more\n");
    key(&f, KEY_UP); /* to the row above, in the note */
    key(&f, KEY_UP);
    key(&f, KEY_UP);
    assert_int_equal(f.focus, 1);
    form_key(&f, 5, false); /* Ctrl-E: the end of this line, not of the note */
    type(&f, "!");
    assert_string_equal(form_value(form_find(&f, "note")), "was!\nthere\nand more\n");
    key(&f, KEY_UP); /* from the first row: the field before */
    assert_int_equal(f.focus, 0);
    assert_int_equal(form_key(&f, 19, false), FORM_SAVE); /* Ctrl-S */
    key(&f, KEY_DOWN);
    for (int i = 0; i < 4; i++)
        key(&f, KEY_DOWN);
    assert_int_equal(f.focus, 2); /* from the last row: the field after */
    assert_int_equal(key(&f, KEY_F(2)), FORM_SAVE);
    assert_int_equal(form_key(&f, '\r', false), FORM_SAVE); /* Enter in a one-line field */
    form_free(&f);
}

int main(void)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8")) setlocale(LC_CTYPE, "en_US.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tab_and_arrows_move),
        cmocka_unit_test(test_esc_asks_only_after_typing),
        cmocka_unit_test(test_enter_saves_and_text_edits),
        cmocka_unit_test(test_date_and_upn_accept_only_their_characters),
        cmocka_unit_test(test_codes_are_picked_not_typed),
        cmocka_unit_test(test_multi_and_yesno),
        cmocka_unit_test(test_check_and_errors),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_note_takes_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
