/* codes: the code lists of SPEC section 2 with their labels, in the spec's order. */
#ifndef CASELOAD_CODES_H
#define CASELOAD_CODES_H

#include <stddef.h>

typedef enum {
    CODES_ISSUE,
    CODES_SOURCE,
    CODES_CARE_STATUS,
    CODES_SEN,
    CODES_SEN_NEED,
    CODES_STATUS,
    CODES_OUTCOME,
    CODES_EXCLUSION_CATEGORY,
    CODES_EXCLUSION_REASON,
    CODES_EPISODE_KIND,
    CODES_GENDER,
    CODES_NLISTS
} codes_list;

/* Indexes into the lists, for code that needs a particular code by name, and the size of each
 * list (*_COUNT), for tables that must have one entry per code: codes.c checks its own lists
 * against these at compile time, and a table elsewhere says so with
 * _Static_assert(sizeof t / sizeof t[0] == ISSUE_COUNT, ...). */
enum {
    ISSUE_ATTENDANCE,
    ISSUE_CME,
    ISSUE_EXCLUSION,
    ISSUE_ADMISSIONS,
    ISSUE_SEN,
    ISSUE_REDUCED_TIMETABLE,
    ISSUE_MANAGED_MOVE,
    ISSUE_EHE,
    ISSUE_NEET,
    ISSUE_OTHER,
    ISSUE_COUNT
};
enum { CARE_CIN, CARE_CP, CARE_CLA, CARE_PLAC, CARE_EVER6, CARE_COUNT };
enum { SEN_NONE, SEN_SUPPORT, SEN_EHCP, SEN_EHCP_IN_PROGRESS, SEN_COUNT };
enum { STATUS_NEW, STATUS_OPEN, STATUS_CLOSED, STATUS_COUNT };
enum { EXCL_SUSPENSION, EXCL_PERMANENT, EXCL_COUNT };
enum { EPISODE_CME, EPISODE_PART_TIME, EPISODE_EHE, EPISODE_AP, EPISODE_COUNT };
/* The lists no code needs by name. */
enum {
    SOURCE_COUNT = 6,
    SEN_NEED_COUNT = 14,
    OUTCOME_COUNT = 10,
    EXCL_REASON_COUNT = 17,
    GENDER_COUNT = 4
};

/* How many codes the list has. */
size_t codes_count(codes_list l);
/* The i-th code (as written in files) or NULL when i is out of range. */
const char *codes_code(codes_list l, size_t i);
/* The i-th label (as shown in the app) or NULL when i is out of range. */
const char *codes_label(codes_list l, size_t i);
/* Index of s in the list, accepting the DfE aliases (sen N/K/E, exclusion FIXD/PERM);
 * -1 when s is not a code of the list. Codes are matched exactly (case-sensitive). */
int codes_find(codes_list l, const char *s);
/* The list's field name ("issue", "source", "care_status", ...). */
const char *codes_list_name(codes_list l);
/* Label of a code given as text; the code itself when unknown; "" for NULL. */
const char *codes_label_of(codes_list l, const char *code);

#endif
