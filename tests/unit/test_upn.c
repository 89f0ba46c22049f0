/* test_upn: every rule of the UPN check (SPEC section 2) and the reasons given. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "caseload/upn.h"

static const char letters[] = "ABCDEFGHJKLMNPQRTUVWXYZ";

static const char *why(const char *s)
{
    const char *reason = NULL;
    char norm[14];
    assert_int_equal(upn_check(s, norm, &reason), UPN_INVALID);
    assert_non_null(reason);
    return reason;
}

static void test_spec_examples(void **state)
{
    (void)state;
    char norm[14] = "";
    const char *reason = "unset";
    assert_int_equal(upn_check("B801200005001", norm, &reason), UPN_VALID);
    assert_string_equal(norm, "B801200005001");
    assert_null(reason);
    assert_int_equal(upn_check("G80120000101A", norm, &reason), UPN_VALID_TEMPORARY);
    assert_string_equal(norm, "G80120000101A");
    assert_string_equal(why("A801200005001"), "check letter is 'A', expected 'B'");
}

static void test_lower_case(void **state)
{
    (void)state;
    char norm[14];
    assert_int_equal(upn_check("b801200005001", norm, NULL), UPN_VALID);
    assert_string_equal(norm, "B801200005001");
    assert_int_equal(upn_check("g80120000101a", norm, NULL), UPN_VALID_TEMPORARY);
    assert_string_equal(norm, "G80120000101A");
    assert_string_equal(why("a801200005001"), "check letter is 'A', expected 'B'");
}

static void test_norm_and_reason_optional(void **state)
{
    (void)state;
    assert_int_equal(upn_check("B801200005001", NULL, NULL), UPN_VALID);
    assert_int_equal(upn_check("A801200005001", NULL, NULL), UPN_INVALID);
    char norm[14] = "untouched";
    assert_int_equal(upn_check("A801200005001", norm, NULL), UPN_INVALID);
    assert_string_equal(norm, "untouched"); /* written only when valid */
}

static void test_length(void **state)
{
    (void)state;
    assert_string_equal(why(""), "is empty");
    assert_int_equal(upn_check(NULL, NULL, NULL), UPN_INVALID);
    assert_string_equal(why("B80120000500"), "must be 13 characters (too short)");
    assert_string_equal(why("B8012000050011"), "must be 13 characters (too long)");
    assert_string_equal(why("B80120000500é"), "must hold only letters and digits"); /* 14 bytes */
    assert_string_equal(why("B8012000050é"), "must be 13 characters (too short)");
}

static void test_spaces(void **state)
{
    (void)state;
    assert_string_equal(why("B801 200005001"), "must not contain spaces");
    assert_string_equal(why(" B801200005001"), "must not contain spaces");
    assert_string_equal(why("B801200005001 "), "must not contain spaces");
    assert_string_equal(why("B80120\t005001"), "must not contain spaces");
}

static void test_first_character(void **state)
{
    (void)state;
    const char *r = "character 1 must be a check letter (A-Z but not I, O or S)";
    assert_string_equal(why("I801200005001"), r);
    assert_string_equal(why("O801200005001"), r);
    assert_string_equal(why("S801200005001"), r);
    assert_string_equal(why("1801200005001"), r);
    assert_string_equal(why("-801200005001"), r);
}

static void test_digits(void **state)
{
    (void)state;
    const char *r = "characters 2-12 must be digits";
    assert_string_equal(why("BA01200005001"), r);
    assert_string_equal(why("B80120000500X1"), "must be 13 characters (too long)");
    assert_string_equal(why("B8012000050A1"), r); /* character 12 */
    assert_string_equal(why("B8O1200005001"), r); /* letter O for zero */
    assert_string_equal(why("B80120-005001"), r);
}

static void test_last_character(void **state)
{
    (void)state;
    const char *r = "character 13 must be a digit, or a letter (not I, O or S) for a temporary UPN";
    assert_string_equal(why("G80120000101I"), r);
    assert_string_equal(why("G80120000101O"), r);
    assert_string_equal(why("G80120000101S"), r);
    assert_string_equal(why("G80120000101-"), r);
    /* A wrong check letter on a temporary UPN: its letter counts by its index. */
    assert_string_equal(why("A80120000101A"), "check letter is 'A', expected 'G'");
    /* Letter B (index 1) adds 13 to the sum of G80120000101A (52): 65 mod 23 = 19, 'W'. */
    assert_int_equal(upn_check("W80120000101B", NULL, NULL), UPN_VALID_TEMPORARY);
}

/* Builds a valid UPN from a 12-character tail by computing its check letter independently. */
static void make(char out[14], const char *tail)
{
    int sum = 0;
    for (int p = 2; p <= 13; p++) {
        char c = tail[p - 2];
        int v = c >= '0' && c <= '9' ? c - '0' : (int)(strchr(letters, c) - letters);
        sum += v * p;
    }
    out[0] = letters[sum % 23];
    memcpy(out + 1, tail, 12);
    out[13] = '\0';
}

static void test_every_check_letter(void **state)
{
    (void)state;
    /* Vary one digit and the last character so that every check letter comes up; every other
     * first letter is then rejected with the expected one named. */
    int seen[23] = {0};
    char tail[13] = "80120000500X";
    for (int d = 0; d < 10; d++) {
        for (int k = 0; k < 10 + 23; k++) {
            tail[9] = (char)('0' + d);
            tail[11] = k < 10 ? (char)('0' + k) : letters[k - 10];
            char upn[14], norm[14];
            make(upn, tail);
            seen[strchr(letters, upn[0]) - letters] = 1;
            assert_int_equal(upn_check(upn, norm, NULL), k < 10 ? UPN_VALID : UPN_VALID_TEMPORARY);
            assert_string_equal(norm, upn);
            char bad[14];
            memcpy(bad, upn, 14);
            bad[0] = upn[0] == 'A' ? 'Z' : 'A';
            char expect[64] = "check letter is 'X', expected 'Y'";
            expect[17] = bad[0];
            expect[31] = upn[0];
            assert_string_equal(why(bad), expect);
        }
    }
    for (int i = 0; i < 23; i++)
        assert_true(seen[i]);
}

/* The shape of a UPN, whatever its check letter: what the child finder and `score` take for one. */
static void test_shaped(void **state)
{
    (void)state;
    assert_true(upn_shaped("B801200005001"));
    assert_true(upn_shaped("A801200005001")); /* a wrong check letter: still shaped like one */
    assert_true(upn_shaped("g80120000101a"));
    assert_true(upn_shaped("Z00000000000Z"));
    assert_false(upn_shaped(NULL));
    assert_false(upn_shaped(""));
    assert_false(upn_shaped("B80120000500"));   /* 12 */
    assert_false(upn_shaped("B8012000050011")); /* 14 */
    assert_false(upn_shaped("1801200005001"));  /* no letter first */
    assert_false(upn_shaped("B80120000500!"));  /* last neither digit nor letter */
    assert_false(upn_shaped("B8012000050A1"));  /* a letter among the digits */
    assert_false(upn_shaped(" B80120000500"));
    assert_false(upn_shaped("\xc3\x89"
                            "01200005001")); /* a letter outside A-Z */
}

/* The reason one call returns stays right after later calls (issue 8 item 4: no file-level state
 * that changes a later answer). */
static void test_reasons_kept(void **state)
{
    (void)state;
    const char *first = why("A801200005001");
    const char *second = why("C801200005001");
    assert_int_equal(upn_check("B801200005001", NULL, NULL), UPN_VALID);
    assert_string_equal(first, "check letter is 'A', expected 'B'");
    assert_string_equal(second, "check letter is 'C', expected 'B'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_examples),
        cmocka_unit_test(test_lower_case),
        cmocka_unit_test(test_norm_and_reason_optional),
        cmocka_unit_test(test_length),
        cmocka_unit_test(test_spaces),
        cmocka_unit_test(test_first_character),
        cmocka_unit_test(test_digits),
        cmocka_unit_test(test_last_character),
        cmocka_unit_test(test_every_check_letter),
        cmocka_unit_test(test_shaped),
        cmocka_unit_test(test_reasons_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
