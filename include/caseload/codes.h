/* codes: the code lists of SPEC section 2 with their labels, in the spec's order, and the labels
 * of the other stored words the app shows (factors, bands, cohorts, retention rules, action
 * kinds, the access log's actions and tables). Files and the command line keep the codes; the
 * screens show these labels, and take them from here only. */
#ifndef CASELOAD_CODES_H
#define CASELOAD_CODES_H

#include <stdbool.h>
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

/* Narrow columns: the short labels are at most CODES_SHORT_MAX characters (the sidebar), the
 * abbreviations at most CODES_ABBR_MAX (the main list's issue column on 80 columns). */
enum { CODES_SHORT_MAX = 10, CODES_ABBR_MAX = 4 };
/* The i-th code's label if it fits in width characters, else its short label if that fits (or
 * there is no abbreviation), else its abbreviation; NULL when i is out of range. Only issue codes
 * have short labels and abbreviations so far; the others always give their label. */
const char *codes_label_fit(codes_list l, size_t i, size_t width);
/* codes_label_fit of a code given as text; the code itself when unknown; "" for NULL. */
const char *codes_label_of_fit(codes_list l, const char *code, size_t width);
/* The widest codes_label_fit(l, i, width) of the list, in characters. */
size_t codes_widest_fit(codes_list l, size_t width);

/* The label of a factor of SPEC section 3 (a score_factor of score.h; "" out of range). */
const char *codes_factor_label(int factor);
/* "RED", "AMBER", "GREEN" for a score_band_t of score.h ("" out of range). */
const char *codes_band_label(int band);
/* A retention_cohort_t of retention.h: "current (a plan open)", "Ever6", "out of the cohort";
 * brief: "current", "Ever6", "out". "" out of range. */
const char *codes_cohort_label(int cohort, bool brief);
/* A retention_rule of retention.h: "social work ended", "last activity", "age" (the screens add
 * the rule's years: "social work ended + 6 years", "age 25"); "on request" for RULE_NONE. */
const char *codes_rule_label(int rule);

/* Stored words that are not codes of SPEC section 2 but have labels on screen. */
typedef enum {
    CODES_W_ACTION_KIND, /* the usual kinds of action ("call" Call, ...): any word may be stored */
    CODES_W_ACCESS,      /* the access log's actions ("view" opened, "insert" added, ...) */
    CODES_W_TABLE,       /* tables as one row of each ("referrals" referral, ...) */
    CODES_NWORDS
} codes_words;
/* How many words the list has; the i-th word and its label (NULL out of range). */
size_t codes_words_count(codes_words w);
const char *codes_word(codes_words w, size_t i);
const char *codes_word_label(codes_words w, size_t i);
/* The label of a word; the word itself when the list does not have it; "" for NULL. */
const char *codes_word_label_of(codes_words w, const char *word);

#endif
