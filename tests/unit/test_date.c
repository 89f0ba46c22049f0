/* test_date: day numbers, strict parsing, weekdays and academic years. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testdb.h"

#include "caseload/date.h"

static bool parses(const char *s)
{
    date_t d;
    return date_parse(s, strlen(s), &d);
}

static void test_epoch(void **state)
{
    (void)state;
    assert_int_equal(date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(date_from_ymd(1970, 1, 2), 1);
    assert_int_equal(date_from_ymd(1969, 12, 31), -1);
    assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
    assert_int_equal(date_from_ymd(2021, 9, 1), 18871);
    assert_int_equal(t_date("2024-02-29"), date_from_ymd(2024, 2, 29));
}

static void test_roundtrip_every_day(void **state)
{
    (void)state;
    /* Every day from 1000-01-01 to 9999-12-31 survives format and parse, and days are consecutive.
     */
    date_t first = date_from_ymd(1000, 1, 1), last = date_from_ymd(9999, 12, 31);
    int py = 999, pm = 12, pd = 31;
    for (date_t d = first; d <= last; d++) {
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        assert_int_equal(date_from_ymd(y, m, dd), d);
        if (dd == 1) {
            assert_true(m == pm + 1 || (m == 1 && pm == 12 && y == py + 1));
        } else {
            assert_int_equal(dd, pd + 1);
        }
        py = y, pm = m, pd = dd;
        if (dd == 1 || d % 997 == 0) { /* format/parse on a sample, to keep it quick */
            char s[11];
            date_format(d, s);
            date_t back;
            assert_true(date_parse(s, 10, &back));
            assert_int_equal(back, d);
        }
    }
}

static void test_parse_strict(void **state)
{
    (void)state;
    assert_true(parses("2022-02-28"));
    assert_false(parses("2022-02-29"));
    assert_false(parses("2022-02-30"));
    assert_true(parses("2024-02-29"));  /* divisible by 4 */
    assert_false(parses("1900-02-29")); /* by 100, not 400 */
    assert_true(parses("2000-02-29"));  /* by 400 */
    assert_false(parses("2022-04-31"));
    assert_true(parses("2022-12-31"));
    assert_false(parses("2022-13-01"));
    assert_false(parses("2022-00-10"));
    assert_false(parses("2022-01-00"));
    assert_false(parses("2022-01-32"));
    assert_false(parses("2022-1-01"));
    assert_false(parses("22-01-01"));
    assert_false(parses("2022/01/01"));
    assert_false(parses("2022-01-01 "));
    assert_false(parses(" 2022-01-01"));
    assert_false(parses("2022-01-0a"));
    assert_false(parses("+022-01-01"));
    assert_false(parses(""));
    assert_false(parses("0999-12-31"));
    assert_true(parses("1000-01-01"));
    assert_true(parses("9999-12-31"));
    date_t d;
    assert_false(date_parse(NULL, 0, &d));
    /* len counts: a longer string is fine when len says 10 */
    assert_true(date_parse("2022-03-04T10:00", 10, &d));
    assert_int_equal(d, date_from_ymd(2022, 3, 4));
    assert_false(date_parse("2022-03-04", 9, &d));
}

static void test_format(void **state)
{
    (void)state;
    char s[11];
    date_format(date_from_ymd(2021, 9, 2), s);
    assert_string_equal(s, "2021-09-02");
    date_format(date_from_ymd(1000, 1, 1), s);
    assert_string_equal(s, "1000-01-01");
    date_format(0, s);
    assert_string_equal(s, "1970-01-01");
}

static void test_format_long(void **state)
{
    (void)state;
    char out[24];
    date_format_long(date_from_ymd(2026, 9, 1), out);
    assert_string_equal(out, "1 September 2026");
    date_format_long(date_from_ymd(2027, 8, 31), out);
    assert_string_equal(out, "31 August 2027");
    date_format_long(date_from_ymd(2024, 2, 29), out);
    assert_string_equal(out, "29 February 2024");
    date_format_long(date_from_ymd(1999, 12, 10), out);
    assert_string_equal(out, "10 December 1999");
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(date_weekday(t_date("1970-01-01")), 3); /* Thursday */
    assert_int_equal(date_weekday(t_date("2021-09-01")), 2); /* Wednesday */
    assert_int_equal(date_weekday(t_date("2024-02-29")), 3); /* Thursday */
    assert_int_equal(date_weekday(t_date("2022-06-04")), 5); /* Saturday */
    assert_int_equal(date_weekday(t_date("2022-06-05")), 6); /* Sunday */
    assert_int_equal(date_weekday(t_date("2022-06-06")), 0); /* Monday */
    assert_int_equal(date_weekday(t_date("1969-12-29")), 0); /* before the epoch */
    assert_int_equal(date_weekday(t_date("2000-01-01")), 5); /* Saturday */
    assert_int_equal(date_weekday(t_date("1600-01-01")), 5); /* proleptic Gregorian Saturday */
}

static void test_academic_year(void **state)
{
    (void)state;
    assert_int_equal(date_academic_year(t_date("2021-08-31")), 2020);
    assert_int_equal(date_academic_year(t_date("2021-09-01")), 2021);
    assert_int_equal(date_academic_year(t_date("2021-12-31")), 2021);
    assert_int_equal(date_academic_year(t_date("2022-01-01")), 2021);
    assert_int_equal(date_academic_year(t_date("2022-08-31")), 2021);
    assert_int_equal(date_academic_year_start(2021), t_date("2021-09-01"));
    assert_int_equal(date_academic_year(date_academic_year_start(1999) - 1), 1998);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_epoch),        cmocka_unit_test(test_roundtrip_every_day),
        cmocka_unit_test(test_parse_strict), cmocka_unit_test(test_format),
        cmocka_unit_test(test_weekday),      cmocka_unit_test(test_academic_year),
        cmocka_unit_test(test_format_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
