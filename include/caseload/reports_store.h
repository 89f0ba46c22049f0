/* reports_store: the SQL that gathers the figures of the reports (SPEC section 7) from the
 * database. Each function reads the rows of the period through covering indexes (migration
 * 0003_reports) in sequential passes and hands back counts, or one callback per row (in no
 * particular order) where the app has to apply calendar rules (school days, year groups). Periods
 * are inclusive date ranges [from, to]. Codes not in the lists of SPEC section 2 are counted in
 * totals only. Nothing is written. */
#ifndef CASELOAD_REPORTS_STORE_H
#define CASELOAD_REPORTS_STORE_H

#include "caseload/date.h"
#include "caseload/store.h"
#include <stdbool.h>
#include <stdint.h>

/* Sizes of the code lists of SPEC section 2 (checked against codes_count by the unit tests). */
enum {
    STORE_REPORT_ISSUES = 10,
    STORE_REPORT_SOURCES = 6,
    STORE_REPORT_CARE = 5,
    STORE_REPORT_SEN = 4
};

typedef struct {
    long long total;    /* referrals received in the period */
    long long children; /* distinct children among them */
    long long by_issue[STORE_REPORT_ISSUES];
    long long by_sen[STORE_REPORT_SEN];   /* as recorded at referral */
    long long by_care[STORE_REPORT_CARE]; /* as recorded at referral */
    long long by_source[STORE_REPORT_SOURCES];
    long long *by_month; /* nmonths entries: [0] is the month of from, the last the month of to */
    int nmonths;
    long long at_risk; /* referrals of the period flagged pex_risk */
    long long at_risk_by_sen[STORE_REPORT_SEN];
    long long pex_by_sen[STORE_REPORT_SEN]; /* at risk, with outcome permanently_excluded */
    long long pex;                          /* the same, all SEN statuses */
    long long avoided;                      /* at risk, with outcome exclusion_avoided */
} store_report_summary_t;

/* Fills out for referrals received from..to. out->by_month is allocated (free it with
 * store_report_summary_free). Returns EXIT_OK, EXIT_BUSY or EXIT_IO. */
int store_report_summary(store *s, date_t from, date_t to, store_report_summary_t *out);
void store_report_summary_free(store_report_summary_t *out);

typedef struct {
    long long children;    /* children with at least one suspension in the period */
    long long suspensions; /* suspensions in the period */
    long long *repeat;     /* repeat[n-1]: children with exactly n; nrepeat entries */
    int nrepeat;
} store_report_susp_group;

typedef struct {
    store_report_susp_group by_care[STORE_REPORT_CARE]; /* by the child's CURRENT care status */
    long long left_out_children;    /* children with no (or an unknown) current care status */
    long long left_out_suspensions; /* their suspensions */
    int max_repeat;                 /* the largest n seen among counted children (0: none) */
} store_report_susp_t;

/* Suspensions (category 'suspension'; permanent exclusions are not counted) starting from..to,
 * per child, grouped by the child's current care status. Allocates the repeat arrays (free them
 * with store_report_suspensions_free). Returns EXIT_OK, EXIT_BUSY or EXIT_IO. */
int store_report_suspensions(store *s, date_t from, date_t to, store_report_susp_t *out);
void store_report_suspensions_free(store_report_susp_t *out);

/* For each child, its latest attendance record (greatest to_date, then the latest row) among
 * those whose to_date lies in from..to: calls fn(dob, possible, attended, arg). A child whose
 * date of birth is not a date is passed with dob_ok false. A non-zero return from fn stops the scan
 * and is returned. Returns EXIT_OK, EXIT_BUSY or EXIT_IO. */
typedef int (*store_report_attendance_fn)(date_t dob, bool dob_ok, long long possible,
                                          long long attended, void *arg);
int store_report_attendance(store *s, date_t from, date_t to, store_report_attendance_fn fn,
                            void *arg);

/* For each 'cme' episode whose end lies in from..to: fn(start, end, in_county, arg), in_county
 * 1 (in county), 0 (out of county) or -1 (not recorded). Rows whose start is not a date are
 * skipped. *open receives the number of 'cme' episodes open at to (start <= to and no end or
 * end > to). A non-zero return from fn stops the scan and is returned. */
typedef int (*store_report_cme_fn)(date_t start, date_t end, int in_county, void *arg);
int store_report_cme(store *s, date_t from, date_t to, store_report_cme_fn fn, void *arg,
                     long long *open);

/* For each referral with primary issue 'admissions' received from..to:
 * fn(received, placed, placed_on, arg) where placed tells whether it has a 'placed_on_roll'
 * outcome and placed_on is the date of the earliest one. */
typedef int (*store_report_admissions_fn)(date_t received, bool placed, date_t placed_on,
                                          void *arg);
int store_report_admissions(store *s, date_t from, date_t to, store_report_admissions_fn fn,
                            void *arg);

/* For tests only: runs sql (any number of statements) on the database, outside the statement
 * cache. Returns EXIT_OK or EXIT_IO with store_error() set. */
int store_report_test_exec(store *s, const char *sql);

#endif
