/* retention.c: the cohort of a child and the retention rules of SPEC section 10. */
#include "caseload/retention.h"

#include <string.h>

static const char *const cohort_names[RETENTION_NCOHORTS] = {"current", "ever6", "out"};
static const char *const rule_names[RETENTION_NRULES] = {"years_after_social_work_ended",
                                                         "years_after_last_activity", "age"};

const char *retention_cohort_name(retention_cohort_t c)
{
    return c >= 0 && c < RETENTION_NCOHORTS ? cohort_names[c] : "";
}

int retention_cohort_find(const char *name)
{
    for (int i = 0; name && i < RETENTION_NCOHORTS; i++)
        if (strcmp(name, cohort_names[i]) == 0) return i;
    return -1;
}

date_t retention_ever6_bound(date_t as_of)
{
    return date_add_years(as_of, -6);
}

retention_cohort_t retention_cohort(bool has_ended, date_t ended, date_t as_of)
{
    if (!has_ended || ended > as_of) return COHORT_CURRENT;
    return ended > retention_ever6_bound(as_of) ? COHORT_EVER6 : COHORT_OUT;
}

const char *retention_rule_name(retention_rule r)
{
    return r >= 0 && r < RETENTION_NRULES ? rule_names[r] : "request";
}

retention_rule retention_due_date(const retention_rules *r, const retention_facts *f, date_t *on)
{
    bool known[RETENTION_NRULES] = {
        r->years_after_social_work_ended > 0 && f->has_ended,
        r->years_after_last_activity > 0 && f->has_activity,
        r->age > 0 && f->has_dob,
    };
    date_t when[RETENTION_NRULES] = {
        known[0] ? date_add_years(f->social_work_ended, r->years_after_social_work_ended) : 0,
        known[1] ? date_add_years(f->last_activity, r->years_after_last_activity) : 0,
        known[2] ? date_add_years(f->dob, r->age) : 0,
    };
    retention_rule first = RULE_NONE;
    for (int i = 0; i < RETENTION_NRULES; i++)
        if (known[i] && (first == RULE_NONE || when[i] < when[first])) first = (retention_rule)i;
    if (first != RULE_NONE) *on = when[first];
    return first;
}

bool retention_is_due(const retention_rules *r, const retention_facts *f, date_t as_of,
                      retention_rule *rule, date_t *on)
{
    *rule = retention_due_date(r, f, on);
    return *rule != RULE_NONE && *on <= as_of && !f->held;
}
