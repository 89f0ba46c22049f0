/* testdb.h: what the unit tests share once cmocka.h is included: dates written as text, and SQL
 * run straight on a raw connection (to set facts up, or to read back what the code under test
 * wrote). */
#ifndef CASELOAD_TESTDB_H
#define CASELOAD_TESTDB_H

#include "caseload/date.h"
#include <sqlite3.h>
#include <string.h>

/* The date written YYYY-MM-DD (the test fails when it is not one). */
static inline date_t t_date(const char *s)
{
    date_t d = 0;
    assert_true(date_parse(s, strlen(s), &d));
    return d;
}

/* Runs SQL statements; the test fails on an error. */
static inline void t_exec(sqlite3 *db, const char *q)
{
    char *err = NULL;
    if (sqlite3_exec(db, q, NULL, NULL, &err) != SQLITE_OK) fail_msg("%s: %s", q, err ? err : "?");
}

/* The integer in the first column of the first row of a query; the test fails without a row. */
static inline long t_long(sqlite3 *db, const char *q)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", q, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

#endif
