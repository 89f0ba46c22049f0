/* retention: the cohort of a child and the council's retention rules (SPEC section 10). Pure:
 * dates in, a judgement out; the store gathers the dates, the configuration names the rules. */
#ifndef CASELOAD_RETENTION_H
#define CASELOAD_RETENTION_H

#include "caseload/date.h"
#include <stdbool.h>

/* As of a date D: `current` while a plan is open (no social_work_ended, or one after D), `ever6`
 * when the plan ended on or before D and less than six years before it, `out` from the sixth
 * anniversary of the end on. */
typedef enum { COHORT_CURRENT, COHORT_EVER6, COHORT_OUT, RETENTION_NCOHORTS } retention_cohort_t;

/* "current", "ever6" or "out". */
const char *retention_cohort_name(retention_cohort_t c);
/* The index of a cohort name ("current", "ever6", "out"), or -1. */
int retention_cohort_find(const char *name);
/* The child's cohort as of as_of; has_ended false when social_work_ended is empty. */
retention_cohort_t retention_cohort(bool has_ended, date_t ended, date_t as_of);
/* The bound a query compares social_work_ended with, so that the database and this module agree:
 * a plan that ended on E, with E <= as_of, is Ever6 exactly when E > retention_ever6_bound(as_of).
 */
date_t retention_ever6_bound(date_t as_of);

/* The rules of the configuration's `retention:` section, in years (0: the rule is not used). */
typedef struct {
    int years_after_social_work_ended;
    int years_after_last_activity;
    int age;
} retention_rules;

typedef enum {
    RULE_NONE = -1,
    RULE_SOCIAL_WORK_ENDED, /* social_work_ended + N years */
    RULE_LAST_ACTIVITY,     /* the latest date recorded about the child + N years */
    RULE_AGE,               /* the Nth birthday */
    RETENTION_NRULES
} retention_rule;

/* The configuration key of a rule ("years_after_social_work_ended", "years_after_last_activity",
 * "age"); "request" for RULE_NONE (a purge asked for outside the schedule). */
const char *retention_rule_name(retention_rule r);

/* What the rules look at; a date not known is left false. */
typedef struct {
    bool has_ended;
    date_t social_work_ended;
    bool has_activity;
    date_t last_activity; /* the latest date of any referral, action, outcome or event */
    bool has_dob;
    date_t dob;
    bool held; /* named in `holds`: never due */
} retention_facts;

/* The first date on which a configured rule is reached, in *on, and that rule; RULE_NONE (and *on
 * untouched) when no configured rule applies (no rule set, or the dates it needs are unknown).
 * On the same date, rules rank in the order of the enum. */
retention_rule retention_due_date(const retention_rules *r, const retention_facts *f, date_t *on);
/* Whether the child is due for review as of as_of: a rule reached on or before it and not held.
 * *rule and *on get the rule and the date it was reached (also when held, for display). */
bool retention_is_due(const retention_rules *r, const retention_facts *f, date_t as_of,
                      retention_rule *rule, date_t *on);

#endif
