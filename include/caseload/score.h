/* score: the vulnerability matrix of SPEC section 3. Pure: facts in, score and breakdown out. */
#ifndef CASELOAD_SCORE_H
#define CASELOAD_SCORE_H

#include <stdbool.h>

/* In the order of the table in SPEC section 3. */
typedef enum {
    F_CME,
    F_EHE,
    F_PART_TIME,
    F_ALTERNATIVE_PROVISION,
    F_ATTENDANCE_BELOW_50,
    F_ATTENDANCE_BELOW_90,
    F_SUSPENSIONS,
    F_PERMANENT_EXCLUSION,
    F_PEX_RISK,
    F_YOUTH_JUSTICE,
    F_EHCP,
    F_EHCP_IN_PROGRESS,
    F_SEN_SUPPORT,
    F_CP_PLAN,
    F_CIN_PLAN,
    F_LOOKED_AFTER,
    SCORE_NFACTORS
} score_factor;

typedef enum { BAND_GREEN, BAND_AMBER, BAND_RED } score_band_t;

typedef struct {
    int weight[SCORE_NFACTORS];
    int cap_suspensions;
    int red, amber;
} score_weights;

/* What is known about a child as of a date; the store gathers it, this module judges it. */
typedef struct {
    bool cme_open, ehe_open, part_time_open, ap_open;
    bool has_attendance;                       /* a record ending on or before the date exists */
    long possible_sessions, attended_sessions; /* of the latest such record */
    int suspensions_365; /* suspensions starting in the 365 days up to and including the date */
    bool permanent_365;
    bool pex_risk_open; /* a referral not closed on the date is flagged pex_risk */
    bool youth_justice;
    int sen;         /* index in CODES_SEN or -1 when unknown */
    int care_status; /* index in CODES_CARE_STATUS or -1 when unknown */
} score_facts;

typedef struct {
    int value[SCORE_NFACTORS];
    int points[SCORE_NFACTORS];
    int total;
    score_band_t band;
} score_result;

/* Factor name as in the spec ("cme", "attendance_below_50", ...). */
const char *score_factor_name(score_factor f);
/* Index of a factor name, or -1. */
int score_factor_find(const char *name);
/* "red", "amber" or "green". */
const char *score_band_name(score_band_t b);
/* Index of a band name, or -1. */
int score_band_find(const char *name);
/* The band of a total under the weights' thresholds. */
score_band_t score_band_of(const score_weights *w, int total);
/* Appends to out a text that changes whenever anything in w changes (to tell stale scores). */
struct buf;
void score_weights_key(const score_weights *w, struct buf *out);
/* Fills r from the facts and weights. A record with no possible sessions counts as no record. */
void score_compute(const score_weights *w, const score_facts *f, score_result *r);

#endif
