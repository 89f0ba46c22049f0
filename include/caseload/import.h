/* import: reading the CSV files of SPEC section 6 into the database, all or nothing. */
#ifndef CASELOAD_IMPORT_H
#define CASELOAD_IMPORT_H

#include "caseload/buf.h"
#include "caseload/config.h"
#include "caseload/date.h"
#include "caseload/store.h"
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    KIND_REFERRALS,
    KIND_OUTCOMES,
    KIND_ACTIONS,
    KIND_EXCLUSIONS,
    KIND_ATTENDANCE,
    KIND_EPISODES,
    KIND_CHILDREN,
    KIND_COUNT
} import_kind;

/* Index of a kind name ("referrals", ...), or -1. */
int import_kind_find(const char *name);
const char *import_kind_name(import_kind k);
/* The columns of a kind in SPEC section 6 order (what export writes and import accepts); *n is
 * their number. NULL and 0 for an unknown kind. */
const char *const *import_columns(import_kind k, size_t *n);

typedef struct {
    bool dry_run;  /* check every row, write nothing */
    bool progress; /* a progress line on standard error (the caller decides: a terminal) */
    date_t as_of;  /* today: for scores, and no received, dob, closed, outcome or action after it */
    bool dmy;      /* dates may also be DD/MM/YYYY (--date-format dmy) */
    bool allow_duplicates; /* a new child may have the name and date of birth of a known one */
    const config *cfg;
} import_options;

typedef struct {
    long rows;      /* data rows read */
    long inserted;  /* new rows written */
    long updated;   /* existing rows changed */
    long unchanged; /* rows already there as they are */
} import_stats;

/* Checks every row of text (len bytes of one CSV file; name is how messages call it) and, when all
 * are good and not a dry run, writes them in one transaction and brings the scores of the children
 * they touch up to date. Each field is read by its rule in field.h (lenient about form: header
 * and code case, labels and aliases, flags, a spreadsheet's ' guard, blank rows; strict about
 * meaning: plausible dates and numbers, clean UTF-8). Problems are appended to errors, one line
 * each, "NAME:LINE: COLUMN: message"; a problem met on more than five rows is shown for the first
 * five and then counted in one line "NAME: COLUMN: the same problem on N more rows ...". Returns
 * EXIT_OK; EXIT_DATA (bad rows: nothing written); EXIT_BUSY; EXIT_IO. Importing the same text twice
 * changes nothing the second time. */
int import_text(store *s, import_kind kind, const char *name, const char *text, size_t len,
                const import_options *o, import_stats *stats, buf *errors);

#endif
