/* date: calendar dates as day numbers (days since 1970-01-01, proleptic Gregorian).
 * Pure arithmetic, no time zones, no I/O. */
#ifndef CASELOAD_DATE_H
#define CASELOAD_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t date_t;

/* Parses exactly "YYYY-MM-DD" (len bytes of s, no surrounding text) into *out.
 * Returns false for any other shape or an impossible date such as 2022-02-30. Years 1000-9999. */
bool date_parse(const char *s, size_t len, date_t *out);
/* Writes "YYYY-MM-DD" and a NUL into out. */
void date_format(date_t d, char out[11]);
/* Writes the date as a UK long date ("1 September 2026") and a NUL into out. */
void date_format_long(date_t d, char out[24]);
/* Day number of a civil date; the caller guarantees the date exists. */
date_t date_from_ymd(int y, int m, int d);
/* Splits a day number into year, month (1-12) and day (1-31). */
void date_to_ymd(date_t d, int *y, int *m, int *dd);
/* 0 = Monday ... 6 = Sunday. */
int date_weekday(date_t d);
/* The academic year containing d: A such that 1 September A <= d < 1 September A+1. */
int date_academic_year(date_t d);
/* 1 September of academic year A. */
date_t date_academic_year_start(int a);
/* The same day and month n years later (earlier when n < 0); 29 February becomes 28 February in a
 * year that has none (a child born on 29 February 2008 is 18 on 28 February 2026). */
date_t date_add_years(date_t d, int n);

#endif
