/* test_reports: the figures of the five reports (SPEC section 7) on small databases whose answers
 * were worked out by hand (see the comments next to each expectation), the school-day counting,
 * the rounding rules and the default period. Rows are put in with SQL through
 * store_report_test_exec on a temporary database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"
#include "testdb.h"

#include "caseload/buf.h"
#include "caseload/cal.h"
#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include "caseload/report.h"
#include "caseload/reports_store.h"
#include "caseload/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    char path[T_DB_PATH];
    store *s;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    t_db_open("test_reports", f->path, &f->s, NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    t_db_close(f->path, f->s, NULL);
    free(f);
    return 0;
}

static void sql(fixture *f, const char *text)
{
    int rc = store_report_test_exec(f->s, text);
    if (rc) fprintf(stderr, "%s\n", store_error(f->s));
    assert_int_equal(rc, EXIT_OK);
}

/* The value of a dotted name in the report's csv (the fourth field of the line whose last field
 * is the name). */
static const char *csv_value(const report *r, const char *key, char *out, size_t n)
{
    buf b = BUF_INIT;
    report_render(r, REPORT_CSV, 80, &b);
    char want[128];
    snprintf(want, sizeof want, ",%s\n", key);
    const char *s = buf_str(&b);
    const char *hit = strstr(s, want);
    out[0] = '\0';
    if (hit) {
        const char *start = hit;
        while (start > s && start[-1] != '\n')
            start--;
        for (int commas = 0; commas < 3; start++) /* labels hold no commas or quotes */
            if (*start == ',') commas++;
        const char *end = strchr(start, ',');
        snprintf(out, n, "%.*s", (int)(end - start), start);
    } else {
        snprintf(out, n, "(missing)");
    }
    buf_free(&b);
    return out;
}

#define assert_fig(r, key, text)                                                                   \
    do {                                                                                           \
        char v_[32];                                                                               \
        assert_string_equal(csv_value(r, key, v_, sizeof v_), text);                               \
    } while (0)

static const char *children_sql =
    "INSERT INTO children(id, upn, first_name, last_name, dob, care_status, sen) VALUES "
    "(1, 'A1', 'a', 'a', '2012-01-01', 'cla', 'ehcp'),"
    "(2, 'A2', 'b', 'b', '2013-01-01', 'cla', 'none'),"
    "(3, 'A3', 'c', 'c', '2014-01-01', 'cin', 'none'),"
    "(4, 'A4', 'd', 'd', '2011-01-01', NULL, 'none'),"
    "(5, 'A5', 'e', 'e', '2010-01-01', 'cp', 'none');";

static void test_code_list_sizes(void **state)
{
    (void)state;
    assert_int_equal(codes_count(CODES_ISSUE), STORE_REPORT_ISSUES);
    assert_int_equal(codes_count(CODES_SOURCE), STORE_REPORT_SOURCES);
    assert_int_equal(codes_count(CODES_CARE_STATUS), STORE_REPORT_CARE);
    assert_int_equal(codes_count(CODES_SEN), STORE_REPORT_SEN);
}

static void test_summary(void **state)
{
    fixture *f = *state;
    sql(f, children_sql);
    /* Child 1 is referred twice in the period, first with SEN none / cin, then sen_support / cla
     * (its current status is ehcp / cla): the summary counts what each referral recorded. */
    sql(f, "INSERT INTO referrals(id, ref, child_id, received, source, issue, pex_risk, "
           "care_status, sen) VALUES "
           "(1, 'R1', 1, '2024-09-10', 'school', 'attendance', 0, 'cin', 'none'),"
           "(2, 'R2', 1, '2025-02-01', 'social_worker', 'exclusion', 1, 'cla', 'sen_support'),"
           "(3, 'R3', 2, '2025-08-31', 'school', 'cme', 1, 'cp', 'ehcp'),"
           "(4, 'R4', 2, '2024-08-31', 'school', 'cme', 1, 'cp', 'ehcp')," /* before */
           "(5, 'R5', 3, '2025-09-01', 'school', 'cme', 1, 'cp', 'ehcp')," /* after */
           "(6, 'R6', 3, '2024-09-01', 'parent_carer', 'admissions', 1, 'plac', "
           "'ehcp_in_progress');"
           "INSERT INTO outcomes(id, referral_id, date, outcome) VALUES "
           "(1, 2, '2025-03-01', 'exclusion_avoided'),"
           "(2, 3, '2025-08-31', 'permanently_excluded'),"
           "(3, 6, '2024-10-01', 'placed_on_roll'),"
           "(4, 6, '2024-11-01', 'exclusion_avoided'),"
           "(5, 4, '2024-11-01', 'permanently_excluded')," /* R4 is outside the period */
           "(6, 1, '2024-11-01', 'exclusion_avoided');");  /* R1 is not at risk */
    store_report_summary_t s;
    assert_int_equal(store_report_summary(f->s, t_date("2024-09-01"), t_date("2025-08-31"), &s),
                     EXIT_OK);
    assert_int_equal(s.total, 4);
    assert_int_equal(s.children, 3);
    assert_int_equal(s.by_issue[ISSUE_ATTENDANCE], 1);
    assert_int_equal(s.by_issue[ISSUE_EXCLUSION], 1);
    assert_int_equal(s.by_issue[ISSUE_CME], 1);
    assert_int_equal(s.by_issue[ISSUE_ADMISSIONS], 1);
    assert_int_equal(s.by_issue[ISSUE_SEN], 0);
    assert_int_equal(s.by_sen[SEN_NONE], 1);
    assert_int_equal(s.by_sen[SEN_SUPPORT], 1);
    assert_int_equal(s.by_sen[SEN_EHCP], 1);
    assert_int_equal(s.by_sen[SEN_EHCP_IN_PROGRESS], 1);
    assert_int_equal(s.by_care[CARE_CIN], 1);
    assert_int_equal(s.by_care[CARE_CLA], 1);
    assert_int_equal(s.by_care[CARE_CP], 1);
    assert_int_equal(s.by_care[CARE_PLAC], 1);
    assert_int_equal(s.by_care[CARE_EVER6], 0);
    assert_int_equal(s.by_source[0], 1); /* social_worker */
    assert_int_equal(s.by_source[1], 2); /* school */
    assert_int_equal(s.by_source[3], 1); /* parent_carer */
    assert_int_equal(s.nmonths, 12);
    assert_int_equal(s.by_month[0], 2);  /* September: R1 and R6 (received on the 1st) */
    assert_int_equal(s.by_month[5], 1);  /* February */
    assert_int_equal(s.by_month[11], 1); /* August: R3 on the last day */
    assert_int_equal(s.at_risk, 3);      /* R2, R3, R6 */
    assert_int_equal(s.at_risk_by_sen[SEN_SUPPORT], 1);
    assert_int_equal(s.at_risk_by_sen[SEN_EHCP], 1);
    assert_int_equal(s.at_risk_by_sen[SEN_EHCP_IN_PROGRESS], 1);
    assert_int_equal(s.at_risk_by_sen[SEN_NONE], 0);
    assert_int_equal(s.pex_by_sen[SEN_EHCP], 1);
    assert_int_equal(s.pex, 1);
    assert_int_equal(s.avoided, 2); /* R2 and R6 */
    store_report_summary_free(&s);

    /* The model carries every key, zero or not. */
    report *r;
    cal_calendar cal = {0};
    assert_int_equal(
        report_compute(f->s, &cal, REPORT_SUMMARY, t_date("2024-09-01"), t_date("2025-08-31"), &r),
        EXIT_OK);
    assert_fig(r, "referrals.total", "4");
    assert_fig(r, "referrals.children", "3");
    assert_fig(r, "referrals.by_issue.neet", "0");
    assert_fig(r, "referrals.by_care_status.ever6", "0");
    assert_fig(r, "referrals.by_source.self", "0");
    assert_fig(r, "referrals.by_month.2024-09", "2");
    assert_fig(r, "referrals.by_month.2025-07", "0");
    assert_fig(r, "exclusions.at_risk", "3");
    assert_fig(r, "exclusions.avoided", "2");
    assert_fig(r, "exclusions.at_risk_by_sen.none", "0");
    assert_fig(r, "exclusions.permanently_excluded_by_sen.ehcp", "1");
    assert_fig(r, "exclusions.permanently_excluded_by_sen.sen_support", "0");
    buf b = BUF_INIT;
    report_render(r, REPORT_JSON, 80, &b);
    assert_non_null(strstr(buf_str(&b), "\"by_sen\": {\n      \"none\": 1,"));
    assert_non_null(strstr(buf_str(&b), "\"2025-08\": 1\n"));
    buf_reset(&b);
    report_render(r, REPORT_TEXT, 80, &b);
    /* 1 of 4 is 25%; bars of block characters for the issues */
    assert_non_null(strstr(buf_str(&b), "Attendance                             1  25%  "));
    assert_non_null(strstr(buf_str(&b), "█"));
    buf_free(&b);
    report_free(r);

    /* An empty period gives zeros. */
    assert_int_equal(store_report_summary(f->s, t_date("2030-01-01"), t_date("2030-01-31"), &s),
                     EXIT_OK);
    assert_int_equal(s.total, 0);
    assert_int_equal(s.nmonths, 1);
    assert_int_equal(s.by_month[0], 0);
    store_report_summary_free(&s);
}

/* Rows made on two copies of the database have keys far apart (device id << 32): distinct
 * children are then counted by sorting. */
static void test_summary_two_devices(void **state)
{
    fixture *f = *state;
    sql(f, "INSERT INTO children(id, upn, first_name, last_name, dob) VALUES "
           "(4294967297, 'A1', 'a', 'a', '2012-01-01'), (4294967298, 'A2', 'b', 'b', '2012-01-01'),"
           "(9000000000000000001, 'A3', 'c', 'c', '2012-01-01');"
           "INSERT INTO referrals(id, ref, child_id, received, source, issue, care_status, sen) "
           "VALUES (1, 'R1', 4294967297, '2025-01-01', 'school', 'cme', 'cla', 'none'),"
           "(2, 'R2', 4294967297, '2025-01-02', 'school', 'cme', 'cla', 'none'),"
           "(3, 'R3', 9000000000000000001, '2025-01-03', 'school', 'cme', 'cla', 'none'),"
           "(4, 'R4', 4294967298, '2025-01-04', 'school', 'cme', 'cla', 'none'),"
           "(5, 'R5', 9000000000000000001, '2025-01-05', 'school', 'cme', 'cla', 'none');");
    store_report_summary_t s;
    assert_int_equal(store_report_summary(f->s, t_date("2024-09-01"), t_date("2025-08-31"), &s),
                     EXIT_OK);
    assert_int_equal(s.total, 5);
    assert_int_equal(s.children, 3);
    store_report_summary_free(&s);
}

static void test_suspensions(void **state)
{
    fixture *f = *state;
    sql(f, children_sql);
    sql(f, "INSERT INTO exclusions(id, child_id, start, category) VALUES "
           "(1, 1, '2024-10-01', 'suspension'), (2, 1, '2024-11-01', 'suspension'),"
           "(3, 1, '2025-01-01', 'permanent'),"  /* not a suspension */
           "(4, 1, '2024-08-31', 'suspension')," /* before the period */
           "(5, 2, '2025-06-01', 'suspension'),"
           "(6, 3, '2024-09-01', 'suspension'), (7, 3, '2025-01-01', 'suspension'),"
           "(8, 3, '2025-08-31', 'suspension'),"
           "(9, 3, '2025-09-01', 'suspension'),"  /* after the period */
           "(10, 4, '2025-01-01', 'suspension')," /* no care status: left out */
           "(11, 5, '2025-01-01', 'permanent');");
    store_report_susp_t s;
    assert_int_equal(store_report_suspensions(f->s, t_date("2024-09-01"), t_date("2025-08-31"), &s),
                     EXIT_OK);
    /* cla: child 1 with 2, child 2 with 1 */
    assert_int_equal(s.by_care[CARE_CLA].children, 2);
    assert_int_equal(s.by_care[CARE_CLA].suspensions, 3);
    assert_int_equal(s.by_care[CARE_CLA].repeat[0], 1);
    assert_int_equal(s.by_care[CARE_CLA].repeat[1], 1);
    /* cin: child 3 with 3 */
    assert_int_equal(s.by_care[CARE_CIN].children, 1);
    assert_int_equal(s.by_care[CARE_CIN].suspensions, 3);
    assert_int_equal(s.by_care[CARE_CIN].nrepeat, 3);
    assert_int_equal(s.by_care[CARE_CIN].repeat[2], 1);
    assert_int_equal(s.by_care[CARE_CP].children, 0);
    assert_int_equal(s.max_repeat, 3);
    assert_int_equal(s.left_out_children, 1);
    assert_int_equal(s.left_out_suspensions, 1);
    store_report_suspensions_free(&s);

    report *r;
    cal_calendar cal = {0};
    assert_int_equal(report_compute(f->s, &cal, REPORT_SUSPENSIONS, t_date("2024-09-01"),
                                    t_date("2025-08-31"), &r),
                     EXIT_OK);
    assert_fig(r, "by_care_status.cla.children", "2");
    assert_fig(r, "by_care_status.cla.suspensions", "3");
    assert_fig(r, "by_care_status.cla.repeat.1", "1");
    assert_fig(r, "by_care_status.cla.repeat.2", "1");
    assert_fig(r, "by_care_status.cla.repeat.3", "0");
    assert_fig(r, "by_care_status.cin.repeat.3", "1");
    assert_fig(r, "by_care_status.ever6.repeat.1", "0");
    assert_fig(r, "by_care_status.ever6.children", "0");
    buf b = BUF_INIT;
    report_render(r, REPORT_TEXT, 80, &b);
    assert_non_null(strstr(buf_str(&b), "(1 child, 1 suspension)"));
    buf_free(&b);
    report_free(r);
}

static void test_attendance(void **state)
{
    fixture *f = *state;
    /* Year groups as of 2025-07-31 (academic year 2024): born 2015-03-01 -> Year 5 (KS2);
     * 2010-10-01 -> Year 9 (KS3); 2020-09-01 -> -1 (EY); 2008-01-01 -> Year 12 (post16). */
    sql(f, "INSERT INTO children(id, upn, first_name, last_name, dob) VALUES "
           "(1, 'A1', 'a', 'a', '2015-03-01'), (2, 'A2', 'b', 'b', '2010-10-01'),"
           "(3, 'A3', 'c', 'c', '2020-09-01'), (4, 'A4', 'd', 'd', '2008-01-01');"
           "INSERT INTO attendance(id, child_id, from_date, to_date, possible, attended) VALUES "
           "(10, 1, '2024-09-01', '2024-12-20', 100, 40),"  /* superseded */
           "(11, 1, '2025-01-01', '2025-07-20', 100, 90),"  /* exactly 90%: not persistent */
           "(12, 1, '2025-07-21', '2025-08-15', 100, 10),"  /* after the period */
           "(20, 2, '2025-01-01', '2025-03-31', 200, 179)," /* 89.5% */
           "(21, 2, '2025-01-01', '2025-03-31', 200, 99),"  /* same end, later row: 49.5% */
           "(30, 3, '2024-09-01', '2025-01-10', 10, 4),"    /* 40% */
           "(40, 4, '2024-01-01', '2024-08-30', 10, 0);");  /* before the period */
    report *r;
    cal_calendar cal = {0};
    assert_int_equal(report_compute(f->s, &cal, REPORT_ATTENDANCE, t_date("2024-09-01"),
                                    t_date("2025-07-31"), &r),
                     EXIT_OK);
    assert_fig(r, "by_key_stage.KS2.children", "1");
    assert_fig(r, "by_key_stage.KS2.persistent", "0");
    assert_fig(r, "by_key_stage.KS2.severe", "0");
    assert_fig(r, "by_key_stage.KS3.children", "1");
    assert_fig(r, "by_key_stage.KS3.persistent", "1");
    assert_fig(r, "by_key_stage.KS3.severe", "1");
    assert_fig(r, "by_key_stage.EY.children", "1");
    assert_fig(r, "by_key_stage.EY.persistent", "1");
    assert_fig(r, "by_key_stage.EY.severe", "1");
    assert_fig(r, "by_key_stage.post16.children", "0");
    assert_fig(r, "by_key_stage.R.children", "0");
    assert_fig(r, "by_key_stage.KS1.severe", "0");
    assert_fig(r, "by_key_stage.KS4.persistent", "0");
    report_free(r);
    /* With the period running to 2025-08-31, child 1's latest record is the one of August. */
    assert_int_equal(report_compute(f->s, &cal, REPORT_ATTENDANCE, t_date("2024-09-01"),
                                    t_date("2025-08-31"), &r),
                     EXIT_OK);
    assert_fig(r, "by_key_stage.KS2.severe", "1");
    report_free(r);
}

/* Autumn 2024 with a half-term (28 Oct - 1 Nov) and a closure on Monday 11 November; no spring
 * term; no terms at all in academic year 2023. */
static cal_range terms[] = {{0, 0}, {0, 0}};
static date_t closures[1];
static cal_calendar autumn(void)
{
    terms[0].from = t_date("2024-09-02");
    terms[0].to = t_date("2024-10-25");
    terms[1].from = t_date("2024-11-04");
    terms[1].to = t_date("2024-12-20");
    closures[0] = t_date("2024-11-11");
    cal_calendar c = {terms, 2, closures, 1};
    return c;
}

static void test_cme(void **state)
{
    fixture *f = *state;
    sql(f, children_sql);
    sql(f, "INSERT INTO episodes(id, child_id, kind, start, end_date, in_county) VALUES "
           /* Oct 21-25 (5) + half-term (0) + Nov 4-8 (5) + Nov 11 closed + Nov 12 (1) = 11 */
           "(1, 1, 'cme', '2024-10-21', '2024-11-13', 1),"
           /* Sep 2-6 = 5 */
           "(2, 2, 'cme', '2024-09-02', '2024-09-09', 1),"
           /* Dec 16-20 = 5, then no term in January = 0 */
           "(3, 3, 'cme', '2024-12-16', '2025-01-06', 0),"
           /* academic year 2023 has no terms: every weekday, Oct 2-13 = 10 */
           "(4, 4, 'cme', '2023-10-02', '2023-10-16', NULL),"
           "(5, 5, 'cme', '2025-06-01', '2025-09-10', 1)," /* ends after: open at to */
           "(6, 5, 'cme', '2025-03-03', NULL, 1),"         /* open */
           "(7, 5, 'cme', '2025-09-05', NULL, 1),"         /* starts after to */
           "(8, 5, 'part_time', '2024-09-02', '2024-10-01', 1),"
           "(9, 5, 'cme', '2023-06-01', '2023-08-01', 1);"); /* ends before the period */
    cal_calendar cal = autumn();
    report *r;
    assert_int_equal(
        report_compute(f->s, &cal, REPORT_CME, t_date("2023-09-01"), t_date("2025-08-31"), &r),
        EXIT_OK);
    assert_fig(r, "episodes", "4");
    assert_fig(r, "mean_school_days", "7.8"); /* 31 / 4 = 7.75 */
    assert_fig(r, "in_county.episodes", "2");
    assert_fig(r, "in_county.mean_school_days", "8.0"); /* 16 / 2 */
    assert_fig(r, "out_of_county.episodes", "1");
    assert_fig(r, "out_of_county.mean_school_days", "5.0");
    assert_fig(r, "open", "2");
    buf b = BUF_INIT;
    report_render(r, REPORT_JSON, 80, &b);
    assert_non_null(strstr(buf_str(&b), "\"mean_school_days\": 7.8,"));
    assert_non_null(strstr(buf_str(&b), "\"open\": 2\n"));
    buf_free(&b);
    report_free(r);
    /* Empty period: zeros, means 0.0. */
    assert_int_equal(
        report_compute(f->s, &cal, REPORT_CME, t_date("2030-01-01"), t_date("2030-01-02"), &r),
        EXIT_OK);
    assert_fig(r, "episodes", "0");
    assert_fig(r, "out_of_county.mean_school_days", "0.0");
    assert_fig(r, "open", "2"); /* 6 and 7 have started and not ended by 2030 */
    report_free(r);
}

static void test_admissions(void **state)
{
    fixture *f = *state;
    sql(f, children_sql);
    sql(f, "INSERT INTO referrals(id, ref, child_id, received, source, issue, care_status, sen) "
           "VALUES "
           "(1, 'R1', 1, '2025-01-06', 'school', 'admissions', 'cla', 'none'),"
           "(2, 'R2', 2, '2025-01-06', 'school', 'admissions', 'cla', 'none'),"
           "(3, 'R3', 3, '2025-03-03', 'school', 'admissions', 'cla', 'none'),"
           "(4, 'R4', 4, '2025-03-03', 'school', 'admissions', 'cla', 'none'),"
           "(5, 'R5', 5, '2024-08-01', 'school', 'admissions', 'cla', 'none'),"
           "(6, 'R6', 5, '2025-03-03', 'school', 'cme', 'cla', 'none');"
           "INSERT INTO outcomes(id, referral_id, date, outcome) VALUES "
           "(1, 1, '2025-02-03', 'placed_on_roll')," /* Jan 6-31: 20 weekdays: within */
           "(2, 2, '2025-02-04', 'placed_on_roll')," /* 21: not within */
           "(3, 3, '2025-05-01', 'placed_on_roll'),"
           "(4, 3, '2025-03-10', 'placed_on_roll'),"   /* the earliest: 5 */
           "(5, 4, '2025-03-10', 'ehcp_issued'),"      /* not placed */
           "(6, 5, '2024-09-01', 'placed_on_roll'),"   /* received before the period */
           "(7, 6, '2025-03-04', 'placed_on_roll');"); /* not an admissions referral */
    cal_calendar cal = {0}; /* no terms configured: every weekday counts */
    report *r;
    assert_int_equal(report_compute(f->s, &cal, REPORT_ADMISSIONS, t_date("2024-09-01"),
                                    t_date("2025-08-31"), &r),
                     EXIT_OK);
    assert_fig(r, "referrals", "4");
    assert_fig(r, "placed", "3");
    assert_fig(r, "placed_within_20_school_days", "2");
    assert_fig(r, "mean_school_days_to_place", "15.3"); /* (20 + 21 + 5) / 3 */
    report_free(r);
    assert_int_equal(report_compute(f->s, &cal, REPORT_ADMISSIONS, t_date("2023-09-01"),
                                    t_date("2023-09-30"), &r),
                     EXIT_OK);
    assert_fig(r, "referrals", "0");
    assert_fig(r, "mean_school_days_to_place", "0.0");
    report_free(r);
}

/* A little of everything each report reads (test_without_report_indexes, test_failures). */
static const char *mixed_sql =
    "INSERT INTO referrals(id, ref, child_id, received, source, issue, pex_risk, "
    "care_status, sen) VALUES "
    "(1, 'R1', 1, '2024-09-10', 'school', 'admissions', 1, 'cin', 'none'),"
    "(2, 'R2', 2, '2025-02-01', 'social_worker', 'exclusion', 1, 'cla', 'sen_support'),"
    "(3, 'R3', 3, '2025-03-01', 'self', 'admissions', 0, 'cp', 'ehcp');"
    "INSERT INTO outcomes(id, referral_id, date, outcome) VALUES "
    "(1, 1, '2024-10-01', 'placed_on_roll'), (2, 1, '2024-09-20', 'placed_on_roll'),"
    "(3, 2, '2025-03-01', 'permanently_excluded'), (4, 1, '2025-03-01', "
    "'exclusion_avoided');"
    "INSERT INTO exclusions(id, child_id, start, category) VALUES "
    "(1, 1, '2024-10-01', 'suspension'), (2, 1, '2024-11-01', 'suspension'),"
    "(3, 4, '2025-01-01', 'suspension'), (4, 5, '2025-01-01', 'suspension');"
    "INSERT INTO attendance(id, child_id, from_date, to_date, possible, attended) VALUES "
    "(1, 1, '2024-09-01', '2024-12-20', 100, 40), (2, 1, '2025-01-01', '2025-03-01', 10, 9),"
    "(3, 2, '2024-09-01', '2024-12-20', 100, 80);"
    "INSERT INTO episodes(id, child_id, kind, start, end_date, in_county) VALUES "
    "(1, 1, 'cme', '2024-10-21', '2024-11-13', 1), (2, 2, 'cme', '2025-03-03', NULL, 0);";

/* Every report gives the same figures on a database without the covering indexes of migration
 * 0003 (made by a build from before they existed): only slower. */
static void test_without_report_indexes(void **state)
{
    fixture *f = *state;
    sql(f, children_sql);
    sql(f, mixed_sql);
    cal_calendar cal = autumn();
    buf with[REPORT_NKINDS], without[REPORT_NKINDS];
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            sql(f, "DROP INDEX referrals_report; DROP INDEX referrals_issue_received;"
                   "DROP INDEX attendance_report; DROP INDEX outcomes_report;"
                   "DROP INDEX episodes_report; DROP INDEX children_care;");
        for (int k = 0; k < REPORT_NKINDS; k++) {
            buf *b = pass ? &without[k] : &with[k];
            *b = (buf)BUF_INIT;
            report *r;
            assert_int_equal(report_compute(f->s, &cal, (report_kind)k, t_date("2024-09-01"),
                                            t_date("2025-08-31"), &r),
                             EXIT_OK);
            report_render(r, REPORT_JSON, 80, b);
            report_free(r);
        }
    }
    for (int k = 0; k < REPORT_NKINDS; k++) {
        assert_string_equal(buf_str(&with[k]), buf_str(&without[k]));
        buf_free(&with[k]);
        buf_free(&without[k]);
    }
}

/* A table of the database replaced by a view of it that fails on one row (abs() of the smallest
 * integer overflows: an error in the middle of a scan), or renamed away (a statement cannot be
 * prepared); and put back. */
#define OVERFLOW(col, id)                                                                          \
    "CASE WHEN id = " #id " THEN abs(-9223372036854775808) ELSE " col " END AS " col
#define FAILS_ON(table, cols)                                                                      \
    "ALTER TABLE " table " RENAME TO " table "_x; "                                                \
    "CREATE VIEW " table " AS SELECT " cols " FROM " table "_x;"
#define VIEW_BACK(table) "DROP VIEW " table "; ALTER TABLE " table "_x RENAME TO " table ";"
#define GONE(table) "ALTER TABLE " table " RENAME TO " table "_x;"
#define BACK(table) "ALTER TABLE " table "_x RENAME TO " table ";"
#define REFERRALS_FAIL                                                                             \
    FAILS_ON("referrals",                                                                          \
             "received, issue, source, care_status, sen, pex_risk, child_id, " OVERFLOW("id", 3))
#define CHILDREN_FAIL                                                                              \
    FAILS_ON("children", "id, " OVERFLOW("dob", 4) ", " OVERFLOW("care_status", 4))

/* Every report, when a statement fails to prepare or fails in the middle of its scan (with its
 * lists and tables allocated), returns EXIT_IO with SQLite's message, leaks nothing (the
 * AddressSanitizer build checks) and leaves its statements reset: once the table is back, the
 * same report gives the same figures as before. */
static void test_failures(void **state)
{
    fixture *f = *state;
    sql(f, children_sql);
    sql(f, mixed_sql);
    const struct {
        report_kind kind;
        const char *brk, *back, *err;
    } cases[] = {
        {REPORT_SUMMARY, GONE("referrals"), BACK("referrals"), "no such table: referrals"},
        {REPORT_SUMMARY, REFERRALS_FAIL, VIEW_BACK("referrals"), "integer overflow"},
        {REPORT_ADMISSIONS, REFERRALS_FAIL, VIEW_BACK("referrals"), "integer overflow"},
        {REPORT_SUSPENSIONS, GONE("children"), BACK("children"), "no such table: children"},
        {REPORT_SUSPENSIONS, CHILDREN_FAIL, VIEW_BACK("children"), "integer overflow"},
        {REPORT_ATTENDANCE, CHILDREN_FAIL, VIEW_BACK("children"), "integer overflow"},
        {REPORT_ATTENDANCE,
         FAILS_ON("attendance",
                  "id, child_id, from_date, to_date, possible, " OVERFLOW("attended", 2)),
         VIEW_BACK("attendance"), "integer overflow"},
        {REPORT_CME,
         FAILS_ON("episodes", "id, child_id, kind, start, end_date, " OVERFLOW("in_county", 1)),
         VIEW_BACK("episodes"), "integer overflow"},
    };
    cal_calendar cal = autumn();
    date_t from = t_date("2024-09-01"), to = t_date("2025-08-31");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf before = BUF_INIT, after = BUF_INIT;
        report *r;
        assert_int_equal(report_compute(f->s, &cal, cases[i].kind, from, to, &r), EXIT_OK);
        report_render(r, REPORT_JSON, 80, &before);
        report_free(r);
        sql(f, cases[i].brk);
        assert_int_equal(report_compute(f->s, &cal, cases[i].kind, from, to, &r), EXIT_IO);
        assert_null(r);
        if (!strstr(store_error(f->s), cases[i].err))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, store_error(f->s), cases[i].err);
        sql(f, cases[i].back);
        assert_int_equal(report_compute(f->s, &cal, cases[i].kind, from, to, &r), EXIT_OK);
        report_render(r, REPORT_JSON, 80, &after);
        report_free(r);
        assert_string_equal(buf_str(&before), buf_str(&after));
        buf_free(&before);
        buf_free(&after);
    }
}

static void test_days_table(void **state)
{
    (void)state;
    cal_calendar cal = autumn();
    report_days d;
    assert_true(report_days_init(&d, &cal, t_date("2023-06-01"), t_date("2025-12-31")));
    unsigned seed = 12345;
    for (int i = 0; i < 5000; i++) {
        seed = seed * 1103515245u + 12345u;
        date_t a = t_date("2023-05-01") + (date_t)((seed >> 8) % 1000);
        seed = seed * 1103515245u + 12345u;
        date_t b = t_date("2023-05-01") + (date_t)((seed >> 8) % 1000);
        assert_int_equal(report_days_between(&d, a, b), cal_school_days(&cal, a, b));
    }
    report_days_free(&d);
    assert_int_equal(cal_school_days(&cal, t_date("2024-10-21"), t_date("2024-11-13")), 11);
}

static void test_rounding(void **state)
{
    (void)state;
    assert_int_equal(report_percent(1, 8), 13); /* 12.5 -> 13 */
    assert_int_equal(report_percent(1, 3), 33); /* 33.3 */
    assert_int_equal(report_percent(2, 3), 67); /* 66.7 */
    assert_int_equal(report_percent(0, 5), 0);
    assert_int_equal(report_percent(5, 0), 0);
    assert_int_equal(report_mean_tenths(31, 4), 78); /* 7.75 -> 7.8 */
    assert_int_equal(report_mean_tenths(1, 20), 1);  /* 0.05 -> 0.1 */
    assert_int_equal(report_mean_tenths(1, 21), 0);  /* 0.047 -> 0.0 */
    assert_int_equal(report_mean_tenths(0, 0), 0);
}

static void test_period(void **state)
{
    (void)state;
    date_t f, t, a = t_date("2024-09-05"), b = t_date("2025-02-10");
    assert_true(report_period(t_date("2025-03-01"), NULL, NULL, &f, &t));
    assert_int_equal(f, t_date("2024-09-01"));
    assert_int_equal(t, t_date("2025-08-31"));
    assert_true(report_period(t_date("2025-09-01"), NULL, NULL, &f, &t));
    assert_int_equal(f, t_date("2025-09-01"));
    assert_true(report_period(t_date("2030-01-01"), &a, NULL, &f, &t));
    assert_int_equal(t, t_date("2025-08-31"));
    assert_true(report_period(t_date("2030-01-01"), NULL, &b, &f, &t));
    assert_int_equal(f, t_date("2024-09-01"));
    assert_true(report_period(t_date("2030-01-01"), &a, &a, &f, &t));
    assert_false(report_period(t_date("2030-01-01"), &b, &a, &f, &t));
    assert_int_equal(report_kind_find("cme"), REPORT_CME);
    assert_int_equal(report_kind_find("nope"), -1);
    assert_int_equal(report_format_find("md"), REPORT_MD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_list_sizes),
        cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_two_devices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suspensions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attendance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cme, setup, teardown),
        cmocka_unit_test_setup_teardown(test_admissions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_report_indexes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
        cmocka_unit_test(test_days_table),
        cmocka_unit_test(test_rounding),
        cmocka_unit_test(test_period),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
