/* test_cal: school days on a calendar (SPEC section 2), year groups and key stages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testdb.h"

#include "caseload/cal.h"

static long days(const cal_calendar *c, const char *from, const char *to)
{
    return cal_school_days(c, t_date(from), t_date(to));
}

/* The rule of the spec, read literally, day by day: the reference for the fast version. */
static int slow_is_school_day(const cal_calendar *c, date_t d)
{
    if (date_weekday(d) >= 5) return 0;
    for (size_t i = 0; i < c->nclosures; i++)
        if (c->closures[i] == d) return 0;
    int a = date_academic_year(d), has = 0, in = 0;
    for (size_t i = 0; i < c->nterms; i++) {
        if (date_academic_year(c->terms[i].from) != a) continue;
        has = 1;
        if (c->terms[i].from <= d && d <= c->terms[i].to) in = 1;
    }
    return !has || in;
}

static long slow_days(const cal_calendar *c, date_t from, date_t to)
{
    long n = 0;
    for (date_t d = from; d < to; d++)
        n += slow_is_school_day(c, d);
    return n;
}

static void test_empty_calendar(void **state)
{
    (void)state;
    cal_calendar c = {0};
    assert_int_equal(days(&c, "2022-06-06", "2022-06-13"), 5); /* Monday to next Monday */
    assert_int_equal(days(&c, "2022-06-06", "2022-06-06"), 0);
    assert_int_equal(days(&c, "2022-06-13", "2022-06-06"), 0); /* to before from */
    assert_int_equal(days(&c, "2022-06-04", "2022-06-06"), 0); /* a weekend */
    assert_int_equal(days(&c, "2022-06-06", "2022-06-07"), 1);
    assert_int_equal(days(&c, "2022-06-10", "2022-06-14"), 2); /* Fri, Sat, Sun, Mon */
    assert_int_equal(days(&c, "2021-09-01", "2022-09-01"), 261);
    assert_int_equal(days(&c, "2024-02-28", "2024-03-02"), 3); /* Wed, Thu 29th, Fri */
    assert_true(cal_is_school_day(&c, t_date("2022-06-06")));
    assert_false(cal_is_school_day(&c, t_date("2022-06-05")));
}

static void test_closures(void **state)
{
    (void)state;
    date_t cl[] = {t_date("2022-06-03"), t_date("2022-06-02"),
                   t_date("2022-06-04") /* a Saturday */, t_date("2022-06-02") /* listed twice */,
                   t_date("2023-01-02")};
    cal_calendar c = {NULL, 0, cl, 5};
    assert_int_equal(days(&c, "2022-05-30", "2022-06-06"), 3);
    assert_int_equal(days(&c, "2022-06-02", "2022-06-03"), 0);
    assert_int_equal(days(&c, "2022-06-03", "2022-06-07"), 1);
    assert_false(cal_is_school_day(&c, t_date("2022-06-02")));
    assert_false(cal_is_school_day(&c, t_date("2022-06-04")));
    assert_true(cal_is_school_day(&c, t_date("2022-06-01")));
    assert_int_equal(days(&c, "2022-12-26", "2023-01-09"), 9); /* 10 weekdays, one closed */
}

static void test_terms(void **state)
{
    (void)state;
    /* Given out of order; 2021-22 has terms, 2022-23 has none. */
    cal_range t[] = {
        {t_date("2022-01-05"), t_date("2022-04-01")}, /* spring */
        {t_date("2021-09-02"), t_date("2021-12-17")}, /* autumn */
        {t_date("2022-04-19"), t_date("2022-07-22")}, /* summer */
    };
    date_t cl[] = {t_date("2021-10-25") /* half term holiday inside the autumn term */,
                   t_date("2021-12-20") /* closure in a holiday: already not a school day */};
    cal_calendar c = {t, 3, cl, 2};
    assert_int_equal(days(&c, "2021-09-01", "2021-09-06"), 2);     /* Thu 2, Fri 3 */
    assert_int_equal(days(&c, "2021-12-13", "2022-01-10"), 5 + 3); /* spring starts Wed 5 */
    assert_int_equal(days(&c, "2021-10-25", "2021-10-30"), 4);
    assert_int_equal(days(&c, "2021-12-20", "2021-12-21"), 0);
    assert_int_equal(days(&c, "2022-07-18", "2022-07-25"), 5);
    assert_int_equal(days(&c, "2022-07-25", "2022-09-01"), 0); /* summer holiday */
    /* 2022-23 has no terms: every weekday counts. */
    assert_int_equal(days(&c, "2022-09-01", "2022-09-08"), 5);
    assert_int_equal(days(&c, "2022-08-29", "2022-09-06"), 3); /* Aug 29-31 off, Sep 1-2, 5 */
    assert_false(cal_is_school_day(&c, t_date("2022-08-31")));
    assert_true(cal_is_school_day(&c, t_date("2022-09-01")));
    assert_false(cal_is_school_day(&c, t_date("2021-09-01"))); /* before the first term */
    assert_true(cal_is_school_day(&c, t_date("2021-09-02")));
    assert_true(cal_is_school_day(&c, t_date("2022-07-22"))); /* last day, inclusive */
    assert_false(cal_is_school_day(&c, t_date("2022-07-25")));
    /* The year before (2020-21) has no terms either. */
    assert_int_equal(days(&c, "2021-08-30", "2021-09-03"), 3); /* Mon 30, Tue 31, Thu 2 */
    assert_int_equal(slow_days(&c, t_date("2019-01-01"), t_date("2024-01-01")),
                     days(&c, "2019-01-01", "2024-01-01"));
}

static void test_term_across_year_boundary(void **state)
{
    (void)state;
    /* A term starting in August 2022 belongs to 2021-22; its September days are then only school
     * days if 2022-23 has no terms, or they fall in one of 2022-23's own terms. */
    cal_range t[] = {
        {t_date("2022-08-29"), t_date("2022-09-09")},
        {t_date("2021-09-01"), t_date("2022-07-20")},
    };
    cal_calendar c = {t, 2, NULL, 0};
    assert_int_equal(days(&c, "2022-08-29", "2022-09-10"), 10); /* 2022-23 has no terms */
    cal_range t2[] = {
        {t_date("2022-08-29"), t_date("2022-09-09")},
        {t_date("2021-09-01"), t_date("2022-07-20")},
        {t_date("2022-09-07"), t_date("2022-12-16")},
    };
    cal_calendar c2 = {t2, 3, NULL, 0};
    /* Aug 29-31 (term of 2021-22); Sep 1, 2, 5, 6 are in 2022-23 but not in its term; Sep 7-9 are.
     */
    assert_int_equal(days(&c2, "2022-08-29", "2022-09-10"), 3 + 3);
    assert_false(cal_is_school_day(&c2, t_date("2022-09-05")));
    assert_true(cal_is_school_day(&c2, t_date("2022-08-31")));
    /* A term crossing the new year (as most autumn/spring terms do not, but may). */
    cal_range t3[] = {{t_date("2021-12-01"), t_date("2022-01-14")}};
    cal_calendar c3 = {t3, 1, NULL, 0};
    assert_int_equal(days(&c3, "2021-12-30", "2022-01-04"), 3); /* Thu, Fri, Mon */
    assert_int_equal(days(&c3, "2021-11-29", "2021-12-01"), 0);
}

static void test_overlapping_and_odd_terms(void **state)
{
    (void)state;
    cal_range t[] = {
        {t_date("2021-09-06"), t_date("2021-09-17")},
        {t_date("2021-09-13"), t_date("2021-09-24")}, /* overlaps the first */
        {t_date("2021-09-08"), t_date("2021-09-10")}, /* inside the first */
        {t_date("2021-09-06"), t_date("2021-09-17")}, /* duplicate */
        {t_date("2021-10-01"), t_date("2021-09-30")}, /* empty: ends before it starts */
    };
    cal_calendar c = {t, 5, NULL, 0};
    assert_int_equal(days(&c, "2021-09-01", "2021-10-30"), 15);
    assert_int_equal(days(&c, "2021-09-14", "2021-09-21"), 5);
    assert_int_equal(slow_days(&c, t_date("2021-08-01"), t_date("2022-10-01")),
                     days(&c, "2021-08-01", "2022-10-01"));
}

static unsigned long rng = 12345;
static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33) % n;
}

static void test_matches_day_by_day(void **state)
{
    (void)state;
    /* Random calendars (terms in any order, overlapping, across year ends; closures on weekends,
     * in holidays, repeated) against the literal rule, on random ranges. */
    date_t base = t_date("2019-06-01");
    for (int round = 0; round < 300; round++) {
        cal_range terms[12];
        date_t closures[20];
        size_t nt = rnd(13), nc = rnd(21);
        for (size_t i = 0; i < nt; i++) {
            terms[i].from = base + (date_t)rnd(1500);
            terms[i].to = terms[i].from + (date_t)rnd(120) - 3;
        }
        for (size_t i = 0; i < nc; i++)
            closures[i] = i && rnd(4) == 0 ? closures[rnd((unsigned)i)] : base + (date_t)rnd(1500);
        cal_calendar c = {terms, nt, closures, nc};
        for (int k = 0; k < 20; k++) {
            date_t from = base - 100 + (date_t)rnd(1700), to = from + (date_t)rnd(900) - 10;
            assert_int_equal(cal_school_days(&c, from, to),
                             to > from ? slow_days(&c, from, to) : 0);
            assert_int_equal(cal_is_school_day(&c, from), slow_is_school_day(&c, from));
        }
    }
}

static void test_many_terms_in_a_year(void **state)
{
    (void)state;
    /* More terms in one year than the stack copy holds: the slower path gives the same counts. */
    cal_range t[100];
    date_t base = t_date("2021-09-01"),
           cl[] = {t_date("2021-09-07"), t_date("2021-09-08"), t_date("2021-09-07")};
    for (int i = 0; i < 100; i++) {
        t[i].from = base + 3 * (date_t)((i * 37) % 100); /* out of order */
        t[i].to = t[i].from + (i % 3);
    }
    cal_calendar c = {t, 100, cl, 3};
    for (int k = 0; k < 50; k++) {
        date_t from = base - 20 + (date_t)rnd(400), to = from + (date_t)rnd(500);
        assert_int_equal(cal_school_days(&c, from, to), slow_days(&c, from, to));
    }
    assert_int_equal(cal_school_days(&c, base, base + 7), slow_days(&c, base, base + 7));
}

static void test_year_group(void **state)
{
    (void)state;
    /* In 2021-22 a child born 1 Sep 2010 .. 31 Aug 2011 is in Year 6. */
    assert_int_equal(cal_year_group(t_date("2010-09-01"), t_date("2022-03-01")), 6);
    assert_int_equal(cal_year_group(t_date("2011-08-31"), t_date("2022-03-01")), 6);
    assert_int_equal(cal_year_group(t_date("2010-08-31"), t_date("2022-03-01")), 7);
    assert_int_equal(cal_year_group(t_date("2011-09-01"), t_date("2022-03-01")), 5);
    /* as_of on the academic year boundary */
    assert_int_equal(cal_year_group(t_date("2010-09-01"), t_date("2022-08-31")), 6);
    assert_int_equal(cal_year_group(t_date("2010-09-01"), t_date("2022-09-01")), 7);
    /* Reception and early years */
    assert_int_equal(cal_year_group(t_date("2016-09-01"), t_date("2021-09-01")), 0);
    assert_int_equal(cal_year_group(t_date("2017-09-01"), t_date("2021-09-01")), -1);
    assert_int_equal(cal_year_group(t_date("2021-01-01"), t_date("2021-09-01")), -4);
    /* leap day birthday */
    assert_int_equal(cal_year_group(t_date("2012-02-29"), t_date("2024-02-29")), 7);
    /* adults */
    assert_int_equal(cal_year_group(t_date("2000-01-01"), t_date("2022-01-01")), 17);
}

/* A year group written in each style by the one rule of cal_year_text (`list`, the main screen,
 * `calendar year-group` and the child's details). */
static void test_year_text(void **state)
{
    (void)state;
    const struct {
        int yg;
        const char *number, *shrt, *lng;
    } cases[] = {
        {CAL_YEAR_UNKNOWN, "", "?", "?"},      {-4, "EY", "EY", "Year -4 (EY)"},
        {-1, "EY", "EY", "Nursery (EY)"},      {0, "R", "R", "Reception (R)"},
        {1, "1", "Y1", "Year 1 (KS1)"},        {7, "7", "Y7", "Year 7 (KS3)"},
        {13, "13", "Y13", "Year 13 (post16)"}, {120, "120", "Y99", "Year 120 (post16)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char t[CAL_YEAR_TEXT];
        cal_year_text(cases[i].yg, CAL_YEAR_NUMBER, t);
        assert_string_equal(t, cases[i].number);
        cal_year_text(cases[i].yg, CAL_YEAR_SHORT, t);
        assert_string_equal(t, cases[i].shrt);
        cal_year_text(cases[i].yg, CAL_YEAR_LONG, t);
        assert_string_equal(t, cases[i].lng);
    }
}

static void test_key_stage(void **state)
{
    (void)state;
    const char *expect[] = {"EY",  "EY",  "R",   "KS1", "KS1", "KS2",    "KS2",    "KS2",   "KS2",
                            "KS3", "KS3", "KS3", "KS4", "KS4", "post16", "post16", "post16"};
    for (int yg = -2; yg <= 14; yg++)
        assert_string_equal(cal_key_stage(yg), expect[yg + 2]);
    assert_string_equal(cal_key_stage(-10), "EY");
    assert_string_equal(cal_key_stage(40), "post16");
}

/* Days open: to the closing date when closed, else to the as-of date, never below 0. */
static void test_days_open(void **state)
{
    (void)state;
    date_t rec = t_date("2024-02-28"), closed = t_date("2024-03-01");
    assert_int_equal(cal_days_open(rec, NULL, rec), 0);
    assert_int_equal(cal_days_open(rec, NULL, t_date("2024-02-29")), 1);
    assert_int_equal(cal_days_open(rec, NULL, t_date("2024-03-01")), 2); /* a leap year */
    assert_int_equal(cal_days_open(t_date("2023-02-28"), NULL, t_date("2023-03-01")), 1);
    assert_int_equal(cal_days_open(t_date("2023-12-31"), NULL, t_date("2024-01-01")), 1);
    /* closed: the as-of date does not count, before or after */
    assert_int_equal(cal_days_open(rec, &closed, t_date("2030-01-01")), 2);
    assert_int_equal(cal_days_open(rec, &closed, t_date("2024-02-28")), 2);
    assert_int_equal(cal_days_open(rec, &rec, t_date("2030-01-01")), 0);
    /* received after the end (a referral dated ahead, or closed before received): 0 */
    assert_int_equal(cal_days_open(rec, NULL, t_date("2024-02-27")), 0);
    date_t before = t_date("2024-01-01");
    assert_int_equal(cal_days_open(rec, &before, t_date("2030-01-01")), 0);
    assert_int_equal(cal_days_open(t_date("1990-01-01"), NULL, t_date("2100-12-31")), 40541);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_calendar),
        cmocka_unit_test(test_closures),
        cmocka_unit_test(test_terms),
        cmocka_unit_test(test_term_across_year_boundary),
        cmocka_unit_test(test_overlapping_and_odd_terms),
        cmocka_unit_test(test_matches_day_by_day),
        cmocka_unit_test(test_many_terms_in_a_year),
        cmocka_unit_test(test_year_group),
        cmocka_unit_test(test_key_stage),
        cmocka_unit_test(test_year_text),
        cmocka_unit_test(test_days_open),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
