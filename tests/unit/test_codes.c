/* test_codes: the code lists of SPEC section 2, in order, with labels and aliases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "caseload/codes.h"
#include "caseload/retention.h"
#include "caseload/score.h"

/* Each list exactly as the spec writes it, space-separated, in order. */
static const char *const spec[CODES_NLISTS] = {
    [CODES_ISSUE] =
        "attendance cme exclusion admissions sen reduced_timetable managed_move ehe neet "
        "other",
    [CODES_SOURCE] = "social_worker school other_professional parent_carer self other",
    [CODES_CARE_STATUS] = "cin cp cla plac ever6",
    [CODES_SEN] = "none sen_support ehcp ehcp_in_progress",
    [CODES_SEN_NEED] = "SPLD MLD SLD PMLD SEMH SLCN HI VI MSI PD ASD DS OTH NSA",
    [CODES_STATUS] = "new open closed",
    [CODES_OUTCOME] = "exclusion_avoided permanently_excluded placed_on_roll returned_full_time "
                      "attendance_improved ehcp_issued moved_to_ap ehe_confirmed no_further_action "
                      "other",
    [CODES_EXCLUSION_CATEGORY] = "suspension permanent",
    [CODES_EXCLUSION_REASON] = "PP PA VP VA BU RA SM DA DM TH DB OT OW LG DS MT PH",
    [CODES_EPISODE_KIND] = "cme part_time ehe alternative_provision",
    [CODES_GENDER] = "female male other unknown",
};

static void test_lists_match_spec(void **state)
{
    (void)state;
    for (int l = 0; l < CODES_NLISTS; l++) {
        char words[512];
        strcpy(words, spec[l]);
        size_t i = 0;
        for (char *w = strtok(words, " "); w; w = strtok(NULL, " "), i++) {
            assert_non_null(codes_code((codes_list)l, i));
            assert_string_equal(codes_code((codes_list)l, i), w);
            assert_int_equal(codes_find((codes_list)l, w), (int)i);
            const char *label = codes_label((codes_list)l, i);
            assert_non_null(label);
            assert_true(strlen(label) > 0);
        }
        assert_int_equal(codes_count((codes_list)l), i);
        assert_null(codes_code((codes_list)l, i));
        assert_null(codes_label((codes_list)l, i));
        assert_true(strlen(codes_list_name((codes_list)l)) > 0);
    }
}

static void test_spec_labels(void **state)
{
    (void)state;
    const char *labels[] = {"Attendance",
                            "Children missing education",
                            "Exclusion / suspension",
                            "Admissions / awaiting a place",
                            "Special educational needs",
                            "Reduced / part-time timetable",
                            "Managed move",
                            "Elective home education",
                            "NEET / post-16",
                            "Other"};
    for (size_t i = 0; i < 10; i++)
        assert_string_equal(codes_label(CODES_ISSUE, i), labels[i]);
    assert_string_equal(codes_label(CODES_CARE_STATUS, CARE_CIN), "Child in need");
    assert_string_equal(codes_label(CODES_CARE_STATUS, CARE_CP), "Child protection");
    assert_string_equal(codes_label(CODES_CARE_STATUS, CARE_CLA), "Looked after");
    assert_string_equal(codes_label(CODES_CARE_STATUS, CARE_PLAC), "Previously looked after");
    assert_string_equal(codes_label(CODES_CARE_STATUS, CARE_EVER6), "Ever 6");
    assert_string_equal(codes_label(CODES_SOURCE, 0), "Social worker");
    assert_string_equal(codes_label(CODES_SEN, SEN_EHCP), "EHC plan");
    assert_string_equal(codes_label_of(CODES_SEN_NEED, "SEMH"),
                        "Social, emotional and mental health");
}

static void test_enums_match_lists(void **state)
{
    (void)state;
    assert_string_equal(codes_code(CODES_ISSUE, ISSUE_ATTENDANCE), "attendance");
    assert_string_equal(codes_code(CODES_ISSUE, ISSUE_CME), "cme");
    assert_string_equal(codes_code(CODES_ISSUE, ISSUE_EXCLUSION), "exclusion");
    assert_string_equal(codes_code(CODES_ISSUE, ISSUE_ADMISSIONS), "admissions");
    assert_string_equal(codes_code(CODES_ISSUE, ISSUE_SEN), "sen");
    assert_string_equal(codes_code(CODES_ISSUE, ISSUE_REDUCED_TIMETABLE), "reduced_timetable");
    assert_string_equal(codes_code(CODES_ISSUE, ISSUE_MANAGED_MOVE), "managed_move");
    assert_string_equal(codes_code(CODES_ISSUE, ISSUE_EHE), "ehe");
    assert_string_equal(codes_code(CODES_ISSUE, ISSUE_NEET), "neet");
    assert_string_equal(codes_code(CODES_ISSUE, ISSUE_OTHER), "other");
    assert_string_equal(codes_code(CODES_CARE_STATUS, CARE_EVER6), "ever6");
    assert_string_equal(codes_code(CODES_SEN, SEN_NONE), "none");
    assert_string_equal(codes_code(CODES_SEN, SEN_SUPPORT), "sen_support");
    assert_string_equal(codes_code(CODES_SEN, SEN_EHCP_IN_PROGRESS), "ehcp_in_progress");
    assert_string_equal(codes_code(CODES_STATUS, STATUS_CLOSED), "closed");
    assert_string_equal(codes_code(CODES_EXCLUSION_CATEGORY, EXCL_PERMANENT), "permanent");
    assert_string_equal(codes_code(CODES_EPISODE_KIND, EPISODE_PART_TIME), "part_time");
    assert_string_equal(codes_code(CODES_EPISODE_KIND, EPISODE_AP), "alternative_provision");
}

static void test_aliases(void **state)
{
    (void)state;
    assert_int_equal(codes_find(CODES_SEN, "N"), SEN_NONE);
    assert_int_equal(codes_find(CODES_SEN, "K"), SEN_SUPPORT);
    assert_int_equal(codes_find(CODES_SEN, "E"), SEN_EHCP);
    assert_int_equal(codes_find(CODES_EXCLUSION_CATEGORY, "FIXD"), EXCL_SUSPENSION);
    assert_int_equal(codes_find(CODES_EXCLUSION_CATEGORY, "PERM"), EXCL_PERMANENT);
    assert_string_equal(codes_label_of(CODES_SEN, "K"), "SEN support");
    /* aliases belong to their list only */
    assert_int_equal(codes_find(CODES_ISSUE, "N"), -1);
    assert_int_equal(codes_find(CODES_OUTCOME, "PERM"), -1);
    assert_int_equal(codes_find(CODES_SEN, "n"), -1);
}

static void test_unknown(void **state)
{
    (void)state;
    assert_int_equal(codes_find(CODES_ISSUE, "CME"), -1); /* case-sensitive */
    assert_int_equal(codes_find(CODES_ISSUE, "cme "), -1);
    assert_int_equal(codes_find(CODES_ISSUE, ""), -1);
    assert_int_equal(codes_find(CODES_ISSUE, NULL), -1);
    assert_int_equal(codes_find(CODES_SEN_NEED, "semh"), -1);
    assert_string_equal(codes_label_of(CODES_ISSUE, "bogus"), "bogus");
    assert_string_equal(codes_label_of(CODES_ISSUE, NULL), "");
    assert_string_equal(codes_label_of(CODES_ISSUE, "cme"), "Children missing education");
    /* the same word in two lists */
    assert_int_equal(codes_find(CODES_EPISODE_KIND, "cme"), EPISODE_CME);
    assert_int_equal(codes_find(CODES_SEN_NEED, "DS"), 11);
    assert_int_equal(codes_find(CODES_EXCLUSION_REASON, "DS"), 14);
    assert_string_equal(codes_list_name(CODES_ISSUE), "issue");
    assert_string_equal(codes_list_name(CODES_CARE_STATUS), "care_status");
}

/* Characters (code points) of a UTF-8 string. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void test_fit(void **state)
{
    (void)state;
    for (int l = 0; l < CODES_NLISTS; l++)
        for (size_t i = 0; i < codes_count((codes_list)l); i++) {
            const char *label = codes_label((codes_list)l, i);
            /* Wide enough: the label itself. */
            assert_string_equal(codes_label_fit((codes_list)l, i, chars(label)), label);
            assert_true(chars(codes_label_fit((codes_list)l, i, CODES_SHORT_MAX)) <=
                            CODES_SHORT_MAX ||
                        l != CODES_ISSUE);
            if (l == CODES_ISSUE)
                assert_true(chars(codes_label_fit((codes_list)l, i, CODES_ABBR_MAX)) <=
                            CODES_ABBR_MAX);
        }
    /* The sidebar's short labels, and the issue column's abbreviations on 80 columns. */
    assert_string_equal(codes_label_fit(CODES_ISSUE, ISSUE_ADMISSIONS, 10), "Admissions");
    assert_string_equal(codes_label_fit(CODES_ISSUE, ISSUE_REDUCED_TIMETABLE, 10), "Reduced TT");
    assert_string_equal(codes_label_fit(CODES_ISSUE, ISSUE_REDUCED_TIMETABLE, 4), "RTT");
    assert_string_equal(codes_label_fit(CODES_ISSUE, ISSUE_ATTENDANCE, 9), "Att");
    assert_string_equal(codes_label_fit(CODES_ISSUE, ISSUE_CME, 4), "CME");
    assert_string_equal(codes_label_fit(CODES_ISSUE, ISSUE_CME, 40), "Children missing education");
    assert_string_equal(codes_label_of_fit(CODES_STATUS, "closed", 6), "Closed");
    assert_string_equal(codes_label_of_fit(CODES_ISSUE, "bogus", 4), "bogus");
    assert_null(codes_label_fit(CODES_ISSUE, ISSUE_COUNT, 10));
    assert_int_equal(codes_widest_fit(CODES_ISSUE, 4), 4);
    assert_int_equal(codes_widest_fit(CODES_ISSUE, 10), 10);
    assert_int_equal(codes_widest_fit(CODES_STATUS, 6), 6);
}

static void test_other_labels(void **state)
{
    (void)state;
    /* One label per factor, each different, none the factor's code. */
    for (int f = 0; f < SCORE_NFACTORS; f++) {
        assert_true(strlen(codes_factor_label(f)) > 0);
        assert_true(strlen(codes_factor_label(f)) <= 30); /* the breakdown's column */
        assert_string_not_equal(codes_factor_label(f), score_factor_name((score_factor)f));
        for (int g = 0; g < f; g++)
            assert_string_not_equal(codes_factor_label(f), codes_factor_label(g));
    }
    assert_string_equal(codes_factor_label(F_PART_TIME), "Part-time timetable");
    assert_string_equal(codes_factor_label(SCORE_NFACTORS), "");
    assert_string_equal(codes_band_label(BAND_RED), "RED");
    assert_string_equal(codes_band_label(BAND_GREEN), "GREEN");
    assert_string_equal(codes_band_label(3), "");
    assert_string_equal(codes_cohort_label(COHORT_CURRENT, false), "current (a plan open)");
    assert_string_equal(codes_cohort_label(COHORT_OUT, true), "out");
    assert_string_equal(codes_cohort_label(RETENTION_NCOHORTS, true), "");
    assert_string_equal(codes_rule_label(RULE_SOCIAL_WORK_ENDED), "social work ended");
    assert_string_equal(codes_rule_label(RULE_NONE), "on request");
    /* Words: known ones get their label, others stay as stored. */
    assert_string_equal(codes_word_label_of(CODES_W_ACTION_KIND, "call"), "Call");
    assert_string_equal(codes_word_label_of(CODES_W_ACTION_KIND, "phoned"), "phoned");
    assert_string_equal(codes_word_label_of(CODES_W_ACCESS, "view"), "opened");
    assert_string_equal(codes_word_label_of(CODES_W_TABLE, "referrals"), "referral");
    assert_string_equal(codes_word_label_of(CODES_W_TABLE, NULL), "");
    assert_int_equal(codes_words_count(CODES_W_ACTION_KIND), 6);
    for (size_t i = 0; i < codes_words_count(CODES_W_ACCESS); i++)
        assert_true(chars(codes_word_label(CODES_W_ACCESS, i)) <= 10); /* the log's column */
    assert_null(codes_word(CODES_W_TABLE, codes_words_count(CODES_W_TABLE)));
    assert_null(codes_word(CODES_NWORDS, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_match_spec),  cmocka_unit_test(test_spec_labels),
        cmocka_unit_test(test_enums_match_lists), cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_unknown),           cmocka_unit_test(test_fit),
        cmocka_unit_test(test_other_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
