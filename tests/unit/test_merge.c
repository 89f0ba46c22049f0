/* test_merge: the column merge rule of SPEC section 9, case by case: a side that did not change a
 * column takes the other's value; a value already held changes nothing (a pack applied twice is
 * harmless); a same-field clash is a conflict on the hub (its value kept) and, on a laptop, keeps
 * the laptop's unsent value or takes the hub's judged one; computed columns never merge; the later
 * timestamp wins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "caseload/merge.h"

static merge_value T(const char *s)
{
    merge_value v = {MERGE_TEXT, 0, 0, (const unsigned char *)s, (int)strlen(s)};
    return v;
}

static merge_value I(int64_t i)
{
    merge_value v = {MERGE_INT, i, 0, NULL, 0};
    return v;
}

static const merge_value undef = {MERGE_UNDEF, 0, 0, NULL, 0};
static const merge_value null = {MERGE_NULL, 0, 0, NULL, 0};

static void test_values(void **state)
{
    (void)state;
    merge_value a = T("open"), b = T("open"), c = T("opened"), real = {MERGE_REAL, 0, 2.0, NULL, 0};
    assert_true(merge_value_equal(&a, &b));
    assert_false(merge_value_equal(&a, &c));
    merge_value two = I(2), seven = T("007"), seven_i = I(7);
    assert_true(merge_value_equal(&two, &real));
    assert_false(merge_value_equal(&seven, &seven_i)); /* '007' is text, not 7 */
    assert_true(merge_value_equal(&null, &null));
    assert_false(merge_value_equal(&null, &a));
    assert_false(merge_value_equal(&undef, &undef));
}

static void test_one_side_changed(void **state)
{
    (void)state;
    merge_value base = T("new"), theirs = T("open"), mine = T("new");
    /* This copy still holds the old value: take the new one, on either side. */
    assert_int_equal(merge_column(MERGE_FACT, &base, &theirs, &mine, true, false), MERGE_TAKE);
    assert_int_equal(merge_column(MERGE_FACT, &base, &theirs, &mine, false, true), MERGE_TAKE);
    /* It already holds the new value: nothing (a second application changes nothing). */
    assert_int_equal(merge_column(MERGE_FACT, &base, &theirs, &theirs, true, false), MERGE_NOTHING);
    /* A column the change does not touch. */
    assert_int_equal(merge_column(MERGE_FACT, &undef, &undef, &mine, true, false), MERGE_NOTHING);
    merge_value was_null = null, set = T("2026-01-05");
    assert_int_equal(merge_column(MERGE_FACT, &was_null, &set, &null, true, false), MERGE_TAKE);
}

static void test_same_field_clash(void **state)
{
    (void)state;
    merge_value base = T("new"), laptop = T("closed"), hub = T("open");
    assert_int_equal(merge_column(MERGE_FACT, &base, &laptop, &hub, true, false), MERGE_CONFLICT);
    /* A laptop keeps its own value while its change is unsent, else takes the hub's. */
    assert_int_equal(merge_column(MERGE_FACT, &base, &hub, &laptop, false, true), MERGE_NOTHING);
    assert_int_equal(merge_column(MERGE_FACT, &base, &hub, &laptop, false, false), MERGE_TAKE);
    /* The same change made on both sides is no clash. */
    assert_int_equal(merge_column(MERGE_FACT, &base, &hub, &hub, true, false), MERGE_NOTHING);
}

static void test_inserted_row_already_held(void **state)
{
    (void)state;
    merge_value theirs = T("JS-L2"), mine = T("JS");
    /* The hub keeps its row; a laptop takes the hub's version unless it changed it since. */
    assert_int_equal(merge_column(MERGE_FACT, &undef, &theirs, &mine, true, false), MERGE_NOTHING);
    assert_int_equal(merge_column(MERGE_FACT, &undef, &theirs, &mine, false, false), MERGE_TAKE);
    assert_int_equal(merge_column(MERGE_FACT, &undef, &theirs, &mine, false, true), MERGE_NOTHING);
}

static void test_computed_and_timestamps(void **state)
{
    (void)state;
    assert_int_equal(merge_column_kind("actions", "follow_up"), MERGE_FACT);
    assert_int_equal(merge_column_kind("referrals", "status"), MERGE_FACT);
    assert_int_equal(merge_column_kind("referrals", "updated_at"), MERGE_TIMESTAMP);
    assert_int_equal(merge_column_kind("conflicts", "resolved_at"), MERGE_TIMESTAMP);
    assert_int_equal(merge_column_kind("referrals", "id"), MERGE_KEY);
    merge_value b = I(10), t = I(30), m = I(20);
    assert_int_equal(merge_column(MERGE_COMPUTED, &b, &t, &m, true, false), MERGE_NOTHING);
    merge_value early = T("2026-01-05T10:00:00.000Z"), late = T("2026-01-05T11:00:00.000Z");
    assert_int_equal(merge_column(MERGE_TIMESTAMP, &early, &late, &early, true, false), MERGE_TAKE);
    assert_int_equal(merge_column(MERGE_TIMESTAMP, &early, &early, &late, true, false),
                     MERGE_NOTHING);
    assert_true(merge_natural_key("referrals", "ref"));
    assert_true(merge_natural_key("children", "upn"));
    assert_true(merge_natural_key("officers", "initials"));
    assert_false(merge_natural_key("referrals", "summary"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_one_side_changed),
        cmocka_unit_test(test_same_field_clash),
        cmocka_unit_test(test_inserted_row_already_held),
        cmocka_unit_test(test_computed_and_timestamps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
