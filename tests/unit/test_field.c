/* test_field: the rule of each field (field.h): dates and their plausible range, strict numbers
 * with their maxima, lenient codes and flags with hints that never change the meaning, officer
 * initials, clean text, the spreadsheet guard, header names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "caseload/field.h"

static char why[FIELD_WHY];

static bool date_ok(const char *s, unsigned flags, const char *expect)
{
    date_t d;
    why[0] = '\0';
    if (!field_date(s, strlen(s), flags, &d, why)) return false;
    char t[11];
    date_format(d, t);
    assert_string_equal(t, expect);
    return true;
}

static date_t D(const char *s)
{
    date_t d;
    assert_true(date_parse(s, strlen(s), &d));
    return d;
}

static void test_dates(void **state)
{
    (void)state;
    assert_true(date_ok("2024-02-29", 0, "2024-02-29"));
    assert_true(date_ok("1990-01-01", 0, "1990-01-01"));
    assert_true(date_ok("2100-12-31", 0, "2100-12-31"));
    assert_true(date_ok("2024-02-01 00:00:00", 0, "2024-02-01"));
    assert_true(date_ok("2024-02-01T00:00", 0, "2024-02-01"));
    assert_false(date_ok("2024-02-01 13:30:00", 0, ""));
    assert_false(date_ok("2023-02-29", 0, ""));
    assert_false(date_ok("2024-2-01", 0, ""));
    assert_false(date_ok("", 0, ""));
    assert_string_equal(why, "is not a date (YYYY-MM-DD)");
    /* plausible years only */
    assert_false(date_ok("1000-01-01", 0, ""));
    assert_string_equal(why, "is before 1990-01-01 (not a plausible date)");
    assert_false(date_ok("1989-12-31", 0, ""));
    assert_false(date_ok("9999-12-31", 0, ""));
    assert_string_equal(why, "is after 2100-12-31 (not a plausible date)");
    assert_false(date_ok("2101-01-01", 0, ""));
}

static void test_dates_dmy(void **state)
{
    (void)state;
    /* without FIELD_DMY a UK date names the option */
    assert_false(date_ok("01/10/2026", 0, ""));
    assert_non_null(strstr(why, "--date-format dmy"));
    assert_true(date_ok("01/10/2026", FIELD_DMY, "2026-10-01"));
    assert_true(date_ok("1/9/2026", FIELD_DMY, "2026-09-01"));
    assert_true(date_ok("31/12/2025 00:00:00", FIELD_DMY, "2025-12-31"));
    assert_true(date_ok("2026-10-01", FIELD_DMY, "2026-10-01")); /* ISO always */
    assert_false(date_ok("31/02/2025", FIELD_DMY, ""));
    assert_false(date_ok("1/9/26", FIELD_DMY, ""));
    assert_false(date_ok("001/9/2026", FIELD_DMY, ""));
    assert_false(date_ok("01/10/2026 09:00", FIELD_DMY, ""));
    assert_false(date_ok("01/13/2026", FIELD_DMY, "")); /* not month-first */
}

static void test_date_order(void **state)
{
    (void)state;
    assert_true(field_date_past(D("2024-02-01"), D("2024-02-01"), why));
    assert_false(field_date_past(D("2024-02-02"), D("2024-02-01"), why));
    assert_string_equal(why, "is after today (2024-02-01)");
    assert_true(field_date_from(D("2024-02-01"), D("2024-02-01"), "received", why));
    assert_false(field_date_from(D("2024-01-31"), D("2024-02-01"), "received", why));
    assert_string_equal(why, "is before received (2024-02-01)");
}

static void test_numbers(void **state)
{
    (void)state;
    long l;
    double d;
#define L(s) field_sessions(s, strlen(s), &l, why)
#define DAYS(s) field_days(s, strlen(s), &d, why)
#define HOURS(s) field_hours(s, strlen(s), &d, why)
    assert_true(L("0") && l == 0);
    assert_true(L("380") && l == 380);
    assert_true(L("1000") && l == 1000);
    assert_false(L("1001"));
    assert_non_null(strstr(why, "more than 1000"));
    assert_false(L("99999999999999999999"));
    assert_non_null(strstr(why, "more than 1000"));
    assert_false(L("0x10"));
    assert_non_null(strstr(why, "not a whole number"));
    assert_false(L("1e3"));
    assert_false(L("+10"));
    assert_false(L("-1"));
    assert_false(L(" 10"));
    assert_false(L("10 "));
    assert_false(L("1,000"));
    assert_false(L("2.0"));
    assert_false(L(""));
    assert_true(DAYS("0.5") && d == 0.5);
    assert_true(DAYS("2.5") && d == 2.5);
    assert_true(DAYS("200") && d == 200);
    assert_false(DAYS("200.5"));
    assert_false(DAYS("0"));
    assert_false(DAYS("1e308"));
    assert_false(DAYS("0x10"));
    assert_false(DAYS(".5"));
    assert_false(DAYS("5."));
    assert_false(DAYS("1.2.3"));
    assert_false(DAYS("inf"));
    assert_false(DAYS("nan"));
    assert_true(HOURS("0") && d == 0);
    assert_true(HOURS("12.5") && d == 12.5);
    assert_true(HOURS("60") && d == 60);
    assert_false(HOURS("60.01"));
    assert_false(HOURS("-1"));
    /* attended sessions are at most the possible ones */
    assert_true(field_attended(0, 0, why));
    assert_true(field_attended(380, 380, why));
    assert_false(field_attended(381, 380, why));
    assert_string_equal(why, "is more than possible_sessions 380");
#undef L
#undef DAYS
#undef HOURS
}

static int code(codes_list l, const char *s)
{
    return field_code(l, s, strlen(s));
}

static void test_codes(void **state)
{
    (void)state;
    assert_int_equal(code(CODES_CARE_STATUS, "cla"), CARE_CLA);
    assert_int_equal(code(CODES_CARE_STATUS, "LAC"), CARE_CLA);
    assert_int_equal(code(CODES_CARE_STATUS, "lac"), CARE_CLA);
    assert_int_equal(code(CODES_CARE_STATUS, "CLA"), CARE_CLA);
    assert_int_equal(code(CODES_CARE_STATUS, "CP"), CARE_CP);
    assert_int_equal(code(CODES_CARE_STATUS, "CPP"), CARE_CP);
    assert_int_equal(code(CODES_CARE_STATUS, "CIN"), CARE_CIN);
    assert_int_equal(code(CODES_CARE_STATUS, "PLAC"), CARE_PLAC);
    assert_int_equal(code(CODES_CARE_STATUS, "Looked after"), CARE_CLA);
    assert_int_equal(code(CODES_CARE_STATUS, "previously LOOKED after"), CARE_PLAC);
    assert_int_equal(code(CODES_CARE_STATUS, "LACx"), -1);
    assert_int_equal(code(CODES_ISSUE, "Attendance"), ISSUE_ATTENDANCE);
    assert_int_equal(code(CODES_ISSUE, "CME"), ISSUE_CME);
    assert_int_equal(code(CODES_ISSUE, "Managed move"), ISSUE_MANAGED_MOVE);
    assert_int_equal(code(CODES_SEN, "K"), SEN_SUPPORT);
    assert_int_equal(code(CODES_SEN, "e"), SEN_EHCP);
    assert_int_equal(code(CODES_SEN, "EHC plan"), SEN_EHCP);
    assert_int_equal(code(CODES_SEN_NEED, "semh"), 4);
    assert_int_equal(code(CODES_EXCLUSION_CATEGORY, "fixd"), EXCL_SUSPENSION);
    assert_int_equal(code(CODES_GENDER, "Female"), 0);
    assert_int_equal(code(CODES_GENDER, ""), -1);
    /* aliases belong to their list */
    assert_int_equal(code(CODES_ISSUE, "LAC"), -1);
}

static const char *hint(codes_list l, const char *s)
{
    static buf b = BUF_INIT;
    buf_reset(&b);
    field_code_hint(l, s, strlen(s), &b);
    return buf_str(&b);
}

static void test_code_hints(void **state)
{
    (void)state;
    /* never a code of another meaning: a looked-after child is not offered plac */
    assert_string_equal(hint(CODES_CARE_STATUS, "LACC"), " (did you mean 'cla'?)");
    assert_string_equal(hint(CODES_CARE_STATUS, "LA"), " (did you mean 'cla'?)");
    assert_string_equal(hint(CODES_CARE_STATUS, "placc"), " (did you mean 'plac'?)");
    /* 'pla' is as near to cla as to plac: no guess */
    assert_string_equal(hint(CODES_CARE_STATUS, "pla"), " (one of: cin, cp, cla, plac, ever6)");
    assert_string_equal(hint(CODES_ISSUE, "atendance"), " (did you mean 'attendance'?)");
    /* as close to two meanings: no guess */
    assert_string_equal(hint(CODES_CARE_STATUS, "cn"), " (one of: cin, cp, cla, plac, ever6)");
    assert_string_equal(hint(CODES_GENDER, "zzzzzz"), " (one of: female, male, other, unknown)");
}

static void test_flags(void **state)
{
    (void)state;
    const char *yes[] = {"yes", "Yes", "YES", "y", "Y", "true", "TRUE"};
    const char *no[] = {"no", "No", "n", "N", "false", "False"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        assert_int_equal(field_flag(yes[i], strlen(yes[i])), 1);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        assert_int_equal(field_flag(no[i], strlen(no[i])), 0);
    assert_int_equal(field_flag("1", 1), -1);
    assert_int_equal(field_flag("yess", 4), -1);
    assert_int_equal(field_flag("", 0), -1);
}

static void test_initials(void **state)
{
    (void)state;
    char out[FIELD_INITIALS_MAX + 1];
    assert_true(field_initials("jh", 2, out, why));
    assert_string_equal(out, "JH");
    assert_true(field_initials("ABCD", 4, out, why));
    assert_true(field_initials("A", 1, out, why));
    assert_false(field_initials("ABCDE", 5, out, why));
    assert_false(field_initials("", 0, out, why));
    assert_false(field_initials("J Smith!", 8, out, why));
    assert_false(field_initials("J.H", 3, out, why));
    assert_false(field_initials("J1", 2, out, why));
    assert_non_null(strstr(why, "letters A-Z"));
    assert_false(field_initials("É", 2, out, why));
}

static void test_action_kinds(void **state)
{
    (void)state;
    char out[FIELD_KIND_MAX + 1];
    assert_true(field_action_kind("call", 4, out, why));
    assert_string_equal(out, "call");
    assert_true(field_action_kind("Home visit", 10, out, why));
    assert_string_equal(out, "home_visit");
    assert_true(field_action_kind("TAC-meeting2", 12, out, why));
    assert_string_equal(out, "tac_meeting2");
    assert_false(field_action_kind("call!", 5, out, why));
    assert_false(field_action_kind("", 0, out, why));
    assert_false(field_action_kind("appel_téléphonique", 20, out, why));
    assert_false(field_action_kind("a23456789012345678901234567890123", 33, out, why));
}

static field_text_fault text(const char *s, bool multiline)
{
    return field_text(s, strlen(s), multiline, why);
}

static void test_text(void **state)
{
    (void)state;
    assert_int_equal(text("Zoë O'Brien 日本語 🙂", false), FIELD_TEXT_OK);
    assert_int_equal(text("line one\nline\ttwo", true), FIELD_TEXT_OK);
    assert_int_equal(text("line one\nline two", false), FIELD_TEXT_CONTROL);
    assert_int_equal(text("a\tb", false), FIELD_TEXT_CONTROL);
    assert_int_equal(text("a\rb", true), FIELD_TEXT_CONTROL);
    assert_int_equal(text("\x1b]0;owned\x07", true), FIELD_TEXT_CONTROL);
    assert_string_equal(why, "holds a control character (U+001B at character 1)");
    assert_int_equal(text("a\x7f", true), FIELD_TEXT_CONTROL);
    assert_int_equal(text("a\xc2\x9b"
                          "2J",
                          true),
                     FIELD_TEXT_CONTROL);                                /* C1 CSI */
    assert_int_equal(text("Smith\xe2\x80\xae", false), FIELD_TEXT_BIDI); /* U+202E */
    assert_non_null(strstr(why, "U+202E at character 6"));
    assert_int_equal(text("\xe2\x80\xaa", true), FIELD_TEXT_BIDI);              /* U+202A */
    assert_int_equal(text("\xe2\x81\xa6x\xe2\x81\xa9", true), FIELD_TEXT_BIDI); /* U+2066 */
    assert_int_equal(text("\xe2\x80\x8f", true), FIELD_TEXT_OK); /* U+200F RLM is not an override */
    assert_int_equal(text("Ren\xe9", false), FIELD_TEXT_NOT_UTF8); /* Windows-1252 */
    assert_string_equal(why, "is not UTF-8 (byte 0xE9 at character 4)");
    /* mojibake: Ångström read as Windows-1252, and ’ */
    assert_int_equal(text("\xc3\x83\xe2\x80\xa6ngstr\xc3\x83\xc2\xb6m", false),
                     FIELD_TEXT_MOJIBAKE);
    assert_non_null(strstr(why, "UTF-8 read as Windows-1252"));
    assert_int_equal(text("it\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s", true), FIELD_TEXT_MOJIBAKE);
    assert_int_equal(text("Ren\xc3\xa9"
                          "e \xc3\x85ngstr\xc3\xb6m \xc3\x83",
                          false),
                     FIELD_TEXT_OK);
    assert_int_equal(text("Jo\xc3\xa3o \xc3\x9f \xc3\x84 \xc2\xa3", false), FIELD_TEXT_OK);
    assert_int_equal(field_text("x", 1, false, NULL), FIELD_TEXT_OK);
    assert_int_equal(field_text("\x01", 1, false, NULL), FIELD_TEXT_CONTROL);
}

static void test_unguard(void **state)
{
    (void)state;
    const char *cases[][2] = {{"'=HYPERLINK(x)", "=HYPERLINK(x)"},
                              {"'+44 1234", "+44 1234"},
                              {"'-5", "-5"},
                              {"'@home", "@home"},
                              {"'O'Brien", "'O'Brien"},
                              {"'", "'"},
                              {"=1+1", "=1+1"},
                              {"''=x", "''=x"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *s = cases[i][0];
        size_t n = strlen(s);
        field_unguard(&s, &n);
        assert_int_equal(n, strlen(cases[i][1]));
        assert_memory_equal(s, cases[i][1], n);
    }
}

static void test_columns(void **state)
{
    (void)state;
    static const char *const cols[] = {"upn", "la_child_id", "first_name", "dob"};
#define COL(s) field_column(s, strlen(s), cols, 4)
    assert_int_equal(COL("first_name"), 2);
    assert_int_equal(COL("First Name"), 2);
    assert_int_equal(COL("FIRST-NAME"), 2);
    assert_int_equal(COL("LA Child ID"), 1);
    assert_int_equal(COL("DOB"), 3);
    assert_int_equal(COL("UPN"), 0);
    assert_int_equal(COL("First  Name"), -1);
    assert_int_equal(COL("firstname"), -1);
    assert_int_equal(COL("upn2"), -1);
    assert_int_equal(COL("up"), -1);
#undef COL
    buf b = BUF_INIT;
    field_column_key("LA Child-ID", 11, &b);
    assert_string_equal(buf_str(&b), "la_child_id");
    buf_free(&b);
}

/* field_value: the rule of a stored column, as `sync resolve ... set VALUE` uses it. */
static void check_value(const char *table, const char *column, const char *in, const char *want,
                        const char *why_has)
{
    const field_rule *r = field_rule_of(table, column);
    buf b = BUF_INIT;
    char why[FIELD_WHY] = "";
    date_t today = date_from_ymd(2024, 2, 1);
    bool ok = field_value(r, in, strlen(in), today, &b, why);
    if (want) {
        if (!ok) fail_msg("%s.%s '%s' refused: %s", table, column, in, why);
        assert_string_equal(buf_str(&b), want);
    } else {
        if (ok) fail_msg("%s.%s '%s' accepted as '%s'", table, column, in, buf_str(&b));
        if (!strstr(why, why_has))
            fail_msg("%s.%s '%s': why '%s' lacks '%s'", table, column, in, why, why_has);
    }
    buf_free(&b);
}

static void test_stored_fields(void **state)
{
    (void)state;
    assert_null(field_rule_of("referrals", "no_such_column"));
    assert_null(field_rule_of("nowhere", "summary"));
    assert_string_equal(field_rule_of("children", "dob")->label, "Date of birth");
    assert_int_equal(field_rule_of("referrals", "updated_at")->kind, FIELD_RULE_FIXED);
    check_value("referrals", "issue", "Exclusion", "exclusion", NULL);
    check_value("referrals", "issue", "exclusoin", NULL, "did you mean 'exclusion'?");
    check_value("referrals", "issue", "", NULL, "is required");
    check_value("referrals", "issue", "nothing", NULL, "is not an issue (one of: attendance");
    check_value("children", "care_status", "LAC", "cla", NULL);
    check_value("referrals", "other_issues", "cme; SEN", "cme;sen", NULL);
    check_value("referrals", "other_issues", "cme;;sen;", "cme;sen", NULL);    /* empty items */
    check_value("referrals", "other_issues", "sen;CME; sen", "sen;cme", NULL); /* once each */
    check_value("referrals", "other_issues", "cme;sne", NULL,
                "is not an issue (did you mean 'sen'?)");
    check_value("referrals", "other_issues", ";", "", NULL);
    /* What happened in a child's life is not after today, as the app's forms say. */
    check_value("exclusions", "start", "2024-02-02", NULL, "is after today (2024-02-01)");
    check_value("episodes", "start", "2024-02-02", NULL, "is after today (2024-02-01)");
    check_value("exclusions", "start", "2024-02-01", "2024-02-01", NULL);
    check_value("episodes", "end_date", "2024-01-31", "2024-01-31", NULL);
    /* Attendance and an episode's end are of what has happened, as an episode's start. */
    check_value("episodes", "end_date", "2024-03-01", NULL, "is after today (2024-02-01)");
    check_value("attendance", "from_date", "2024-02-02", NULL, "is after today (2024-02-01)");
    check_value("attendance", "to_date", "2024-02-02", NULL, "is after today (2024-02-01)");
    check_value("attendance", "to_date", "2024-02-01", "2024-02-01", NULL);
    check_value("referrals", "received", "15/09/2023", "2023-09-15", NULL);
    check_value("referrals", "received", "2030-01-01", NULL, "is after today (2024-02-01)");
    check_value("actions", "follow_up", "2030-01-01", "2030-01-01", NULL);
    check_value("referrals", "closed", "", "", NULL);
    check_value("referrals", "pex_risk", "Yes", "1", NULL);
    check_value("referrals", "pex_risk", "maybe", NULL, "is not yes or no");
    check_value("referrals", "officer_id", "jh", "JH", NULL);
    check_value("referrals", "officer_id", "j1", NULL, "officer's initials");
    check_value("children", "upn", "b801200005001", "B801200005001", NULL);
    check_value("children", "upn", "B801200005002", NULL, "is not a UPN: ");
    check_value("attendance", "possible", "1e3", NULL, "");
    check_value("exclusions", "days", "2.5", "2.5", NULL);
    check_value("referrals", "summary", "  two\nlines ", "two\nlines", NULL);
    check_value("children", "first_name", "a\nb", NULL, "control character");
    check_value("referrals", "child_id", "12", NULL, "cannot be set by hand");
    check_value("conflicts", "hub", "x", NULL, "cannot be set by hand");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),         cmocka_unit_test(test_dates_dmy),
        cmocka_unit_test(test_date_order),    cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_codes),         cmocka_unit_test(test_code_hints),
        cmocka_unit_test(test_flags),         cmocka_unit_test(test_initials),
        cmocka_unit_test(test_text),          cmocka_unit_test(test_action_kinds),
        cmocka_unit_test(test_unguard),       cmocka_unit_test(test_columns),
        cmocka_unit_test(test_stored_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
