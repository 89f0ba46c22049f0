/* test_score: every factor of the vulnerability matrix (SPEC section 3), bands and weights. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "caseload/buf.h"
#include "caseload/codes.h"
#include "caseload/score.h"

static score_weights ones(void)
{
    score_weights w;
    memset(&w, 0, sizeof w);
    for (int i = 0; i < SCORE_NFACTORS; i++)
        w.weight[i] = 1;
    w.cap_suspensions = 5;
    w.red = 20;
    w.amber = 10;
    return w;
}

static score_facts none(void)
{
    score_facts f;
    memset(&f, 0, sizeof f);
    f.sen = -1;
    f.care_status = -1;
    return f;
}

/* Computes and checks that exactly the factor `only` has value v (all others 0). */
static void expect_only(const score_facts *f, int only, int v)
{
    score_weights w = ones();
    score_result r;
    score_compute(&w, f, &r);
    for (int i = 0; i < SCORE_NFACTORS; i++) {
        assert_int_equal(r.value[i], i == only ? v : 0);
        assert_int_equal(r.points[i], r.value[i]);
    }
    assert_int_equal(r.total, only >= 0 ? v : 0);
}

static void test_names(void **state)
{
    (void)state;
    const char *names[] = {"cme",
                           "ehe",
                           "part_time",
                           "alternative_provision",
                           "attendance_below_50",
                           "attendance_below_90",
                           "suspensions",
                           "permanent_exclusion",
                           "pex_risk",
                           "youth_justice",
                           "ehcp",
                           "ehcp_in_progress",
                           "sen_support",
                           "cp_plan",
                           "cin_plan",
                           "looked_after"};
    assert_int_equal(SCORE_NFACTORS, 16);
    for (int i = 0; i < SCORE_NFACTORS; i++) {
        assert_string_equal(score_factor_name((score_factor)i), names[i]);
        assert_int_equal(score_factor_find(names[i]), i);
    }
    assert_int_equal(score_factor_find("cmee"), -1);
    assert_int_equal(score_factor_find(NULL), -1);
    assert_string_equal(score_band_name(BAND_RED), "red");
    assert_string_equal(score_band_name(BAND_AMBER), "amber");
    assert_string_equal(score_band_name(BAND_GREEN), "green");
    assert_int_equal(score_band_find("red"), BAND_RED);
    assert_int_equal(score_band_find("amber"), BAND_AMBER);
    assert_int_equal(score_band_find("green"), BAND_GREEN);
    assert_int_equal(score_band_find("Red"), -1);
}

static void test_no_facts(void **state)
{
    (void)state;
    score_facts f = none();
    expect_only(&f, -1, 0);
    f.sen = SEN_NONE;
    f.care_status = CARE_PLAC;
    expect_only(&f, -1, 0);
    f.care_status = CARE_EVER6;
    expect_only(&f, -1, 0);
}

static void test_each_flag(void **state)
{
    (void)state;
    score_facts f;
    f = none(), f.cme_open = true, expect_only(&f, F_CME, 1);
    f = none(), f.ehe_open = true, expect_only(&f, F_EHE, 1);
    f = none(), f.part_time_open = true, expect_only(&f, F_PART_TIME, 1);
    f = none(), f.ap_open = true, expect_only(&f, F_ALTERNATIVE_PROVISION, 1);
    f = none(), f.permanent_365 = true, expect_only(&f, F_PERMANENT_EXCLUSION, 1);
    f = none(), f.pex_risk_open = true, expect_only(&f, F_PEX_RISK, 1);
    f = none(), f.youth_justice = true, expect_only(&f, F_YOUTH_JUSTICE, 1);
    f = none(), f.sen = SEN_EHCP, expect_only(&f, F_EHCP, 1);
    f = none(), f.sen = SEN_EHCP_IN_PROGRESS, expect_only(&f, F_EHCP_IN_PROGRESS, 1);
    f = none(), f.sen = SEN_SUPPORT, expect_only(&f, F_SEN_SUPPORT, 1);
    f = none(), f.care_status = CARE_CP, expect_only(&f, F_CP_PLAN, 1);
    f = none(), f.care_status = CARE_CIN, expect_only(&f, F_CIN_PLAN, 1);
    f = none(), f.care_status = CARE_CLA, expect_only(&f, F_LOOKED_AFTER, 1);
}

static void attendance(long attended, long possible, int expect_factor)
{
    score_facts f = none();
    f.has_attendance = true;
    f.possible_sessions = possible;
    f.attended_sessions = attended;
    expect_only(&f, expect_factor, expect_factor >= 0);
}

static void test_attendance_thresholds(void **state)
{
    (void)state;
    attendance(0, 100, F_ATTENDANCE_BELOW_50);
    attendance(49, 100, F_ATTENDANCE_BELOW_50);
    attendance(50, 100, F_ATTENDANCE_BELOW_90); /* exactly 50% is not below 50 */
    attendance(89, 100, F_ATTENDANCE_BELOW_90);
    attendance(90, 100, -1); /* exactly 90% is not persistent absence */
    attendance(100, 100, -1);
    /* fractions that floating point would blur: 9/10 exactly, 899/999 just under 90% */
    attendance(9, 10, -1);
    attendance(899, 999, F_ATTENDANCE_BELOW_90);
    attendance(900, 1000, -1);
    attendance(1, 2, F_ATTENDANCE_BELOW_90);
    attendance(499999, 1000000, F_ATTENDANCE_BELOW_50);
    /* no possible sessions: as if there were no record */
    attendance(0, 0, -1);
    /* the record is used only when has_attendance says so */
    score_facts f = none();
    f.possible_sessions = 100;
    expect_only(&f, -1, 0);
    /* large counts do not overflow */
    attendance(40000000000L, 100000000000L, F_ATTENDANCE_BELOW_50);
}

/* Counts at the edge of long (a database written before the range checks may hold
 * 99999999999999999999 stored as INT64_MAX): no overflow (UBSan would stop here) and the right
 * factor. */
static void test_attendance_extremes(void **state)
{
    (void)state;
    attendance(5, LONG_MAX, F_ATTENDANCE_BELOW_50); /* 5 of "infinity" is below 50% */
    attendance(LONG_MAX, LONG_MAX, -1);
    attendance(LONG_MAX / 2, LONG_MAX, F_ATTENDANCE_BELOW_50);     /* just under half */
    attendance(LONG_MAX / 2 + 1, LONG_MAX, F_ATTENDANCE_BELOW_90); /* just over half */
    attendance(LONG_MAX / 10 * 9, LONG_MAX, F_ATTENDANCE_BELOW_90);
    attendance(LONG_MAX - LONG_MAX / 10, LONG_MAX, -1); /* 90% and a little */
    attendance(LONG_MAX, 10, -1);                       /* more attended than possible */
    attendance(-5, 10, F_ATTENDANCE_BELOW_50);          /* a negative count is 0 */
    attendance(LONG_MIN, LONG_MAX, F_ATTENDANCE_BELOW_50);
}

static void test_suspensions_cap(void **state)
{
    (void)state;
    score_facts f = none();
    f.suspensions_365 = 1, expect_only(&f, F_SUSPENSIONS, 1);
    f.suspensions_365 = 4, expect_only(&f, F_SUSPENSIONS, 4);
    f.suspensions_365 = 5, expect_only(&f, F_SUSPENSIONS, 5);
    f.suspensions_365 = 9, expect_only(&f, F_SUSPENSIONS, 5);
    score_weights w = ones();
    w.cap_suspensions = 0;
    w.weight[F_SUSPENSIONS] = 2;
    score_result r;
    score_compute(&w, &f, &r);
    assert_int_equal(r.value[F_SUSPENSIONS], 0);
    w.cap_suspensions = 3;
    score_compute(&w, &f, &r);
    assert_int_equal(r.value[F_SUSPENSIONS], 3);
    assert_int_equal(r.points[F_SUSPENSIONS], 6);
    assert_int_equal(r.total, 6);
}

static void test_weights_and_bands(void **state)
{
    (void)state;
    score_weights w;
    memset(&w, 0, sizeof w);
    w.weight[F_CME] = 10;
    w.weight[F_SUSPENSIONS] = 2;
    w.weight[F_ATTENDANCE_BELOW_50] = 8;
    w.weight[F_LOOKED_AFTER] = -3; /* negative weights are allowed */
    w.cap_suspensions = 5;
    w.red = 20;
    w.amber = 10;
    score_facts f = none();
    score_result r;
    score_compute(&w, &f, &r);
    assert_int_equal(r.total, 0);
    assert_int_equal(r.band, BAND_GREEN);
    f.cme_open = true; /* 10: amber at exactly the threshold */
    score_compute(&w, &f, &r);
    assert_int_equal(r.total, 10);
    assert_int_equal(r.band, BAND_AMBER);
    f.care_status = CARE_CLA; /* 7 */
    score_compute(&w, &f, &r);
    assert_int_equal(r.points[F_LOOKED_AFTER], -3);
    assert_int_equal(r.total, 7);
    assert_int_equal(r.band, BAND_GREEN);
    f.suspensions_365 = 3; /* 13 */
    f.has_attendance = true;
    f.possible_sessions = 10;
    f.attended_sessions = 4; /* 21 */
    score_compute(&w, &f, &r);
    assert_int_equal(r.points[F_SUSPENSIONS], 6);
    assert_int_equal(r.points[F_ATTENDANCE_BELOW_50], 8);
    assert_int_equal(r.total, 21);
    assert_int_equal(r.band, BAND_RED);
    f.care_status = CARE_CP; /* no weight for cp_plan: 10 + 6 + 8 = 24 */
    score_compute(&w, &f, &r);
    assert_int_equal(r.total, 24);
    /* band edges */
    assert_int_equal(score_band_of(&w, 19), BAND_AMBER);
    assert_int_equal(score_band_of(&w, 20), BAND_RED);
    assert_int_equal(score_band_of(&w, 9), BAND_GREEN);
    assert_int_equal(score_band_of(&w, -50), BAND_GREEN);
    /* negative totals and thresholds */
    w.red = 0;
    w.amber = -5;
    assert_int_equal(score_band_of(&w, -5), BAND_AMBER);
    assert_int_equal(score_band_of(&w, -6), BAND_GREEN);
    assert_int_equal(score_band_of(&w, 0), BAND_RED);
}

static void test_everything_at_once(void **state)
{
    (void)state;
    score_weights w = ones();
    for (int i = 0; i < SCORE_NFACTORS; i++)
        w.weight[i] = i + 1;
    score_facts f = none();
    f.cme_open = f.ehe_open = f.part_time_open = f.ap_open = true;
    f.has_attendance = true;
    f.possible_sessions = 10;
    f.attended_sessions = 1;
    f.suspensions_365 = 2;
    f.permanent_365 = f.pex_risk_open = f.youth_justice = true;
    f.sen = SEN_EHCP;
    f.care_status = CARE_CLA;
    score_result r;
    score_compute(&w, &f, &r);
    int expect[SCORE_NFACTORS] = {1, 1, 1, 1, 1, 0, 2, 1, 1, 1, 1, 0, 0, 0, 0, 1};
    int total = 0;
    for (int i = 0; i < SCORE_NFACTORS; i++) {
        assert_int_equal(r.value[i], expect[i]);
        assert_int_equal(r.points[i], expect[i] * (i + 1));
        total += r.points[i];
    }
    assert_int_equal(r.total, total);
    assert_int_equal(r.band, BAND_RED);
}

static void test_weights_key(void **state)
{
    (void)state;
    score_weights w = ones();
    buf a = BUF_INIT, b = BUF_INIT;
    score_weights_key(&w, &a);
    assert_non_null(strstr(buf_str(&a), "cme=1,ehe=1,"));
    assert_non_null(strstr(buf_str(&a), ",looked_after=1;cap=5;red=20;amber=10"));
    /* any change shows */
    for (int field = 0; field < SCORE_NFACTORS + 3; field++) {
        score_weights v = w;
        if (field < SCORE_NFACTORS)
            v.weight[field] = -1;
        else if (field == SCORE_NFACTORS)
            v.cap_suspensions = 6;
        else if (field == SCORE_NFACTORS + 1)
            v.red = 21;
        else
            v.amber = 11;
        buf_reset(&b);
        score_weights_key(&v, &b);
        assert_string_not_equal(buf_str(&a), buf_str(&b));
    }
    buf_free(&a);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_no_facts),
        cmocka_unit_test(test_each_flag),
        cmocka_unit_test(test_attendance_thresholds),
        cmocka_unit_test(test_attendance_extremes),
        cmocka_unit_test(test_suspensions_cap),
        cmocka_unit_test(test_weights_and_bands),
        cmocka_unit_test(test_everything_at_once),
        cmocka_unit_test(test_weights_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
