/* test_retention: the cohort as of a date and the retention rules (SPEC section 10). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testdb.h"

#include "caseload/retention.h"

static void test_add_years(void **state)
{
    (void)state;
    assert_int_equal(date_add_years(t_date("2020-03-15"), 6), t_date("2026-03-15"));
    assert_int_equal(date_add_years(t_date("2026-03-15"), -6), t_date("2020-03-15"));
    assert_int_equal(date_add_years(t_date("2008-02-29"), 18), t_date("2026-02-28"));
    assert_int_equal(date_add_years(t_date("2008-02-29"), 16), t_date("2024-02-29"));
}

static void test_cohort(void **state)
{
    (void)state;
    date_t d = t_date("2026-03-15");
    assert_int_equal(retention_cohort(false, 0, d), COHORT_CURRENT);
    /* A plan that ends after the as-of date is still open on it. */
    assert_int_equal(retention_cohort(true, t_date("2026-03-16"), d), COHORT_CURRENT);
    assert_int_equal(retention_cohort(true, d, d), COHORT_EVER6);
    assert_int_equal(retention_cohort(true, t_date("2020-03-16"), d), COHORT_EVER6);
    /* On the sixth anniversary of the end the child leaves Ever6. */
    assert_int_equal(retention_cohort(true, t_date("2020-03-15"), d), COHORT_OUT);
    assert_int_equal(retention_cohort(true, t_date("2001-01-01"), d), COHORT_OUT);
    assert_int_equal(retention_ever6_bound(d), t_date("2020-03-15"));
    assert_string_equal(retention_cohort_name(COHORT_EVER6), "ever6");
    assert_int_equal(retention_cohort_find("out"), COHORT_OUT);
    assert_int_equal(retention_cohort_find("Ever6"), -1);
}

static void test_due(void **state)
{
    (void)state;
    retention_rules r = {6, 6, 25};
    retention_facts f = {.has_ended = true,
                         .social_work_ended = t_date("2019-07-31"),
                         .has_activity = true,
                         .last_activity = t_date("2020-01-10"),
                         .has_dob = true,
                         .dob = t_date("2008-05-01")};
    retention_rule rule;
    date_t on = 0;
    /* The first of the configured rules reached. */
    assert_true(retention_is_due(&r, &f, t_date("2025-07-31"), &rule, &on));
    assert_int_equal(rule, RULE_SOCIAL_WORK_ENDED);
    assert_int_equal(on, t_date("2025-07-31"));
    assert_false(retention_is_due(&r, &f, t_date("2025-07-30"), &rule, &on));
    assert_true(retention_is_due(&r, &f, t_date("2025-08-01"), &rule, &on));
    assert_string_equal(retention_rule_name(rule), "years_after_social_work_ended");
    /* Later dates move their rules: the 25th birthday comes first. */
    f.last_activity = t_date("2028-01-10");
    f.social_work_ended = t_date("2029-07-31");
    assert_true(retention_is_due(&r, &f, t_date("2033-06-01"), &rule, &on));
    assert_int_equal(rule, RULE_AGE);
    assert_int_equal(on, t_date("2033-05-01"));
    /* A rule set to 0 is not used; unknown dates do not count. */
    r.age = 0;
    assert_int_equal(retention_due_date(&r, &f, &on), RULE_LAST_ACTIVITY);
    assert_int_equal(on, t_date("2034-01-10"));
    f.has_activity = false;
    assert_int_equal(retention_due_date(&r, &f, &on), RULE_SOCIAL_WORK_ENDED);
    f.has_ended = false;
    on = 42;
    assert_int_equal(retention_due_date(&r, &f, &on), RULE_NONE);
    assert_int_equal(on, 42);
    assert_false(retention_is_due(&r, &f, t_date("2099-01-01"), &rule, &on));
    assert_string_equal(retention_rule_name(RULE_NONE), "request");
    /* A held child is never due, though the rule and date are still told. */
    f.has_dob = true;
    r.age = 25;
    f.held = true;
    assert_false(retention_is_due(&r, &f, t_date("2099-01-01"), &rule, &on));
    assert_int_equal(rule, RULE_AGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_years),
        cmocka_unit_test(test_cohort),
        cmocka_unit_test(test_due),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
