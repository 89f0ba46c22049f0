/* cal: the school calendar (SPEC section 2): school days, year groups and key stages. */
#ifndef CASELOAD_CAL_H
#define CASELOAD_CAL_H

#include "caseload/date.h"
#include <limits.h>
#include <stddef.h>

typedef struct {
    date_t from, to; /* inclusive */
} cal_range;

typedef struct {
    cal_range *terms; /* any order; a term belongs to the academic year in which it starts */
    size_t nterms;
    date_t *closures; /* any order */
    size_t nclosures;
} cal_calendar;

/* Number of school days d with from <= d < to (0 when to <= from). */
long cal_school_days(const cal_calendar *c, date_t from, date_t to);
/* True when d itself is a school day. */
int cal_is_school_day(const cal_calendar *c, date_t d);
/* Year group of a child born on dob during the academic year containing as_of
 * (0 Reception, negative early years, 1-13 Years 1-13; may exceed 13 for adults). */
int cal_year_group(date_t dob, date_t as_of);
/* The days a referral received on `received` has been open: to *closed when it is closed (closed
 * not NULL), else to as_of; 0 when that is before received. The list's "days open" column. */
int cal_days_open(date_t received, const date_t *closed, date_t as_of);
/* "EY", "R", "KS1", "KS2", "KS3", "KS4" or "post16" (year groups above 13 count as post16). */
const char *cal_key_stage(int year_group);

/* A year group not known (no date of birth). */
#define CAL_YEAR_UNKNOWN INT_MIN
/* How a year group is written, each by the one rule of cal_year_text. */
typedef enum {
    CAL_YEAR_NUMBER, /* `list`'s column: "EY" before Reception, "R", "7"; "" when unknown */
    CAL_YEAR_SHORT,  /* the main screen's column: "EY", "R", "Y7" (at most "Y99"); "?" unknown */
    CAL_YEAR_LONG,   /* `calendar year-group` and the child's details: "Nursery (EY)" (-1),
                        "Year -2 (EY)" (earlier), "Reception (R)", "Year 7 (KS3)"; "?" unknown */
} cal_year_style;
#define CAL_YEAR_TEXT 24
/* Writes year_group (cal_year_group, or CAL_YEAR_UNKNOWN) in style with a NUL into out. */
void cal_year_text(int year_group, cal_year_style style, char out[CAL_YEAR_TEXT]);

#endif
