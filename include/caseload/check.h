/* check: is the database sound? (SPEC section 11.) SQLite's own integrity check, the search
 * index's check, and a comparison of every derived table and column (kept by the triggers of
 * data/migrations) with the facts it is derived from. Each check is one function of the same
 * type, listed with its name in the table of `caseload check` (src/cli/cmd_check.c): adding a
 * check is one function and one line there. A check names what is wrong by table, code and id
 * only, never by a child's name or UPN. */
#ifndef CASELOAD_CHECK_H
#define CASELOAD_CHECK_H

#include "caseload/date.h"
#include "caseload/store.h"
#include <stdbool.h>

struct config;

/* What a check may look at. */
typedef struct check_ctx {
    store *s;
    const struct config *cfg; /* the configuration (scoring weights), for checks that need it */
    date_t as_of;             /* the date that stands for today */
} check_ctx;

/* What a check found. */
typedef struct check_result {
    long problems;     /* how many things are wrong: 0 when sound */
    char detail[1024]; /* the first few problems ("; "-separated, then "and N more"), or what
                          could not be checked here; "" otherwise */
} check_result;

/* One check. Fills r (zeroed by the caller) and returns EXIT_OK when it ran: a database too
 * damaged to read is a finding (a problem), not a failure. Returns EXIT_BUSY when another program
 * held the database past the busy timeout, EXIT_IO when the check itself could not run. */
typedef int (*check_fn)(const check_ctx *c, check_result *r);

typedef struct check_def {
    const char *name;  /* e.g. "referral_counts": the key in the output */
    const char *about; /* what it compares, one line, for --help and the man page */
    check_fn run;
} check_def;

/* Adds one problem to r: its text (printf-style) goes into the detail while there is room for
 * it among the first five. check_finish then notes how many more there were. */
void check_problem(check_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void check_finish(check_result *r);

/* SQLite's PRAGMA integrity_check: every page, every index against its table, constraints. */
int check_integrity(const check_ctx *c, check_result *r);
/* PRAGMA foreign_key_check: every row's references lead to a row. */
int check_foreign_keys(const check_ctx *c, check_result *r);
/* The schema version and application_id in the header are this program's. */
int check_header(const check_ctx *c, check_result *r);
/* The row-key counter in meta is above every key this copy handed out (else new rows collide). */
int check_row_keys(const check_ctx *c, check_result *r);
/* The search index (data/DERIVED.md): FTS5's integrity-check of the index against its own text
 * (not run when the database cannot be written: SQLite runs it as a write), and that text
 * against text_fold of referral_search_source for every referral not noted in search_stale. */
int check_search_index(const check_ctx *c, check_result *r);
/* child_names against text_fold of each child's names (but those noted in child_names_stale). */
int check_child_names(const check_ctx *c, check_result *r);
/* referral_counts against the referrals counted by issue and status. */
int check_referral_counts(const check_ctx *c, check_result *r);
/* referral_list against the referrals (child, issue, status, officer) and their child's score
 * (child_scores: 0 without a row); no list row without a referral, no score without a child. */
int check_referral_list(const check_ctx *c, check_result *r);
/* referral_follow_up against its one definition, the view referral_follow_up_source (each open
 * referral's earliest follow-up not marked done). */
int check_follow_up(const check_ctx *c, check_result *r);

#endif
