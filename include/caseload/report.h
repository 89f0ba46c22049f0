/* report: the reports of SPEC section 7 (summary, suspensions, attendance, cme, admissions).
 * A report is computed once into a model (tables of rows and columns, each figure with the dotted
 * JSON name the spec gives it, plus notes), then rendered as text (aligned tables, percentages
 * rounded half up, bar charts of block characters), json (nested objects, every key present), csv
 * (one long table: section,item,measure,value,key) or md (pipe tables). The command line and the
 * app's reports screen render the same model. */
#ifndef CASELOAD_REPORT_H
#define CASELOAD_REPORT_H

#include "caseload/buf.h"
#include "caseload/cal.h"
#include "caseload/date.h"
#include "caseload/store.h"
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    REPORT_SUMMARY,
    REPORT_SUSPENSIONS,
    REPORT_ATTENDANCE,
    REPORT_CME,
    REPORT_ADMISSIONS,
    REPORT_NKINDS
} report_kind;

typedef enum {
    REPORT_TEXT,
    REPORT_JSON,
    REPORT_CSV,
    REPORT_MD,
    REPORT_XLSX, /* written to a file by report_write_xlsx, not by report_render */
    REPORT_NFORMATS
} report_format;

/* Index of a report name ("summary", ...) or format name ("text", ...); -1 when unknown. */
int report_kind_find(const char *name);
int report_format_find(const char *name);
/* The name of a kind or format as written on the command line; the title of a kind ("Summary"). */
const char *report_kind_name(report_kind k);
const char *report_kind_title(report_kind k);
const char *report_format_name(report_format f);

/* The period of a report. With neither bound given: the academic year (1 September to
 * 31 August) containing as_of. With only from: to is 31 August of from's academic year; with only
 * to: from is 1 September of to's academic year. from and to may be NULL (not given). Returns
 * false when the resulting from is after to. */
bool report_period(date_t as_of, const date_t *from, const date_t *to, date_t *out_from,
                   date_t *out_to);

#define REPORT_MAX_COLS 8

enum { REPORT_COL_VALUE, REPORT_COL_PERCENT };

typedef struct {
    const char *key;   /* replaces {c} in the table's path; NULL: shown in text/md only */
    const char *label; /* the column heading */
    int type;          /* REPORT_COL_VALUE or REPORT_COL_PERCENT */
    int decimals;      /* VALUE: 1 when the value is held in tenths (a mean) */
    int num, den;      /* PERCENT: 100 * v[num] / v[den] of the row; den < 0: / the table's base */
} report_col;

typedef struct {
    char key[32];   /* replaces {r}: a code, "2024-09", "1", ... ("" drops the segment) */
    char label[64]; /* what text and md show */
    long long v[REPORT_MAX_COLS];
    unsigned hidden; /* bit c: cell c is suppressed (shown "c"; report_publish) */
} report_row;

typedef struct {
    const char *title;
    const char *path; /* dotted JSON name with {r} and {c}, e.g. "referrals.by_issue.{r}" */
    const char *row_heading;
    int ncols;
    report_col cols[REPORT_MAX_COLS];
    report_row *rows;
    size_t nrows;
    long long base; /* denominator of PERCENT columns with den < 0 */
    int chart_col;  /* the column whose values draw the bar chart in text; -1 for none */
    bool total_row; /* text and md add a Total row (VALUE columns summed) */
    /* For report_publish: the rows of each count column add up to a total that is known (the
     * Total row, or a figure published beside the table); row_total_col, when >= 0, is a column
     * equal to the sum of the row's other count columns. hidden_total: bit c, the Total row's
     * cell c is suppressed. */
    bool partition;
    int row_total_col;
    unsigned hidden_total;
} report_table;

typedef struct report {
    report_kind kind;
    date_t from, to;
    report_table *tables;
    size_t ntables;
    char **notes; /* sentences printed under the tables in text and md */
    size_t nnotes;
    int threshold; /* report_publish's: counts 1..threshold-1 hidden; 0 when not published */
    /* How it is rendered (set by the caller after report_compute): */
    date_t made;     /* the day it is made, named in md's closing line (0: not named) */
    bool ascii_bars; /* text: bars of '#' for a terminal that is not UTF-8 */
} report;

/* Computes report kind for from..to (inclusive) from the database, with cal for school days.
 * Returns EXIT_OK and *out (free with report_free), or the store's exit code (EXIT_BUSY, EXIT_IO)
 * with store_error() set. Never writes to the database. */
int report_compute(store *s, const cal_calendar *cal, report_kind kind, date_t from, date_t to,
                   report **out);
/* Appends r rendered in format f to out. width is the text width in columns (bars fill it;
 * ignored by the other formats; values below 40 count as 40).
 * csv: one row per figure, `section,item,measure,value,percent,from,to,key`: percent is the
 * figure's share where the report shows one (whole percent, half up; empty when undefined), from
 * and to the period, key its dotted JSON name. md: pipe tables padded to their columns' widths,
 * UK long dates, a closing line naming the period, r->made and the caseload version. */
void report_render(const report *r, report_format f, int width, buf *out);
/* Makes r fit to publish (SPEC section 10): every count from 1 to threshold - 1 is hidden
 * (rendered "c"; in JSON the string "c"), and the percentages and means built on a hidden count;
 * then, in tables whose counts add up to a known total, further cells (the smallest non-zero
 * ones; the total when there is none) are hidden until no hidden cell is the only one hidden in
 * its column or row; then more, until none can be worked out from the figures shown and how
 * they add up (also between tables), nor pinned by a hidden count being at least 1. 0 stays 0.
 * Counts in the notes are hidden the same way, and a last note says what was hidden and why.
 * threshold >= 2. */
void report_publish(report *r, int threshold);
/* The thresholds report_publish is given: the default (SPEC section 10) and the range the command
 * line and the reports screen accept. */
#define REPORT_THRESHOLD_DEFAULT 5
#define REPORT_THRESHOLD_MIN 2
#define REPORT_THRESHOLD_MAX 1000
/* Writes r as an Excel workbook at path: the rows of the csv format, values and percentages as
 * numbers, the period as date cells, the header row frozen. Returns EXIT_OK or EXIT_IO with
 * errmsg (n bytes). */
int report_write_xlsx(const report *r, const char *path, char *errmsg, size_t n);
void report_free(report *r);

/* School days between many pairs of dates, fast: a table of running totals of cal's school days
 * over [lo, hi] so each count is one subtraction. Equal to cal_school_days(cal, a, b). */
typedef struct {
    const cal_calendar *cal;
    date_t base;
    long *cum; /* cum[i]: school days in [base, base + i); n + 1 entries */
    long n;
} report_days;
/* Prepares counts for dates in [lo, hi] (others fall back to cal_school_days). Returns false when
 * memory runs out (counts then all fall back). */
bool report_days_init(report_days *d, const cal_calendar *cal, date_t lo, date_t hi);
long report_days_between(const report_days *d, date_t from, date_t to);
void report_days_free(report_days *d);

/* Rounds a / b to a whole percentage, half up, in integer maths ((200a + b) / 2b); b > 0. */
long long report_percent(long long a, long long b);
/* The mean total / n in tenths, rounded half up ((20 total + n) / 2n); 0 when n is 0. */
long long report_mean_tenths(long long total, long long n);

#endif
