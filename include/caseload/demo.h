/* demo: a realistic synthetic caseload (SPEC section 5, `caseload demo`), deterministic for a seed.
 * Each child's story (referrals, actions, outcomes, exclusions, attendance, episodes) is drawn from
 * its own pseudo-random stream (splitmix64 of the seed and the child's number), written as the CSV
 * files of SPEC section 6 and fed to import_text, so the demo passes the same checks as any import
 * and importing it twice changes nothing. Dates are relative to as_of: the current and previous
 * academic years. */
#ifndef CASELOAD_DEMO_H
#define CASELOAD_DEMO_H

#include "caseload/buf.h"
#include "caseload/config.h"
#include "caseload/date.h"
#include "caseload/import.h"
#include "caseload/store.h"
#include <stdbool.h>
#include <stdint.h>

#define DEMO_DEFAULT_CHILDREN 400
#define DEMO_MAX_CHILDREN 10000000L

typedef struct {
    long children; /* how many children (1 .. DEMO_MAX_CHILDREN) */
    uint64_t seed;
    date_t as_of;
    const config *cfg;
    bool progress; /* a progress line on standard error */
} demo_options;

typedef struct {
    long rows[KIND_COUNT];             /* rows generated, per kind of import_kind */
    long inserted, updated, unchanged; /* summed over every import */
} demo_stats;

/* Appends to out[k] (one buf per import_kind, each starting with its header row when empty) the
 * CSV rows of children first .. first+n-1 of the demo caseload for o->seed and o->as_of, and adds
 * the row counts to rows[k] when rows is not NULL. Pure: the same arguments give the same text. */
void demo_csv(const demo_options *o, long first, long n, buf out[KIND_COUNT], long *rows);

/* Fills the database with the demo caseload: children in chunks, each chunk imported kind by kind
 * (children, referrals, actions, outcomes, exclusions, attendance, episodes), one transaction per
 * import. Problems are appended to errors ("demo-KIND.csv:LINE: COLUMN: message": a bug, since
 * the demo writes valid rows). Returns EXIT_OK, or import_text's failure (EXIT_DATA, EXIT_BUSY,
 * EXIT_IO); chunks imported before a failure stay. */
int demo_fill(store *s, const demo_options *o, demo_stats *stats, buf *errors);

#endif
