/* codes.c: the code lists of SPEC section 2 with their labels, in the spec's order.
 * Labels the spec gives are used as written; the others follow the DfE descriptions. */
#include "caseload/codes.h"
#include <string.h>

typedef struct {
    const char *code, *label;
} code_entry;

static const code_entry issue_codes[] = {
    {"attendance", "Attendance"},
    {"cme", "Children missing education"},
    {"exclusion", "Exclusion / suspension"},
    {"admissions", "Admissions / awaiting a place"},
    {"sen", "Special educational needs"},
    {"reduced_timetable", "Reduced / part-time timetable"},
    {"managed_move", "Managed move"},
    {"ehe", "Elective home education"},
    {"neet", "NEET / post-16"},
    {"other", "Other"},
};

static const code_entry source_codes[] = {
    {"social_worker", "Social worker"},
    {"school", "School"},
    {"other_professional", "Other professional"},
    {"parent_carer", "Parent or carer"},
    {"self", "Self-referral"},
    {"other", "Other"},
};

static const code_entry care_status_codes[] = {
    {"cin", "Child in need"}, {"cp", "Child protection"},
    {"cla", "Looked after"},  {"plac", "Previously looked after"},
    {"ever6", "Ever 6"},
};

static const code_entry sen_codes[] = {
    {"none", "No SEN"},
    {"sen_support", "SEN support"},
    {"ehcp", "EHC plan"},
    {"ehcp_in_progress", "EHC needs assessment in progress"},
};

static const code_entry sen_need_codes[] = {
    {"SPLD", "Specific learning difficulty"},
    {"MLD", "Moderate learning difficulty"},
    {"SLD", "Severe learning difficulty"},
    {"PMLD", "Profound and multiple learning difficulty"},
    {"SEMH", "Social, emotional and mental health"},
    {"SLCN", "Speech, language and communication needs"},
    {"HI", "Hearing impairment"},
    {"VI", "Visual impairment"},
    {"MSI", "Multi-sensory impairment"},
    {"PD", "Physical disability"},
    {"ASD", "Autistic spectrum disorder"},
    {"DS", "Down syndrome"},
    {"OTH", "Other difficulty or disability"},
    {"NSA", "SEN support but no specialist assessment"},
};

static const code_entry status_codes[] = {
    {"new", "New"},
    {"open", "Open"},
    {"closed", "Closed"},
};

static const code_entry outcome_codes[] = {
    {"exclusion_avoided", "Exclusion avoided"},
    {"permanently_excluded", "Permanently excluded"},
    {"placed_on_roll", "Placed on roll"},
    {"returned_full_time", "Returned to full-time education"},
    {"attendance_improved", "Attendance improved"},
    {"ehcp_issued", "EHC plan issued"},
    {"moved_to_ap", "Moved to alternative provision"},
    {"ehe_confirmed", "Elective home education confirmed"},
    {"no_further_action", "No further action"},
    {"other", "Other"},
};

static const code_entry exclusion_category_codes[] = {
    {"suspension", "Suspension"},
    {"permanent", "Permanent exclusion"},
};

static const code_entry exclusion_reason_codes[] = {
    {"PP", "Physical assault against a pupil"},
    {"PA", "Physical assault against an adult"},
    {"VP", "Verbal abuse or threatening behaviour against a pupil"},
    {"VA", "Verbal abuse or threatening behaviour against an adult"},
    {"BU", "Bullying"},
    {"RA", "Racist abuse"},
    {"SM", "Sexual misconduct"},
    {"DA", "Drug and alcohol related"},
    {"DM", "Damage to property"},
    {"TH", "Theft"},
    {"DB", "Persistent disruptive behaviour"},
    {"OT", "Other"},
    {"OW", "Use or threat of use of an offensive weapon or prohibited item"},
    {"LG", "Abuse against sexual orientation or gender identity"},
    {"DS", "Abuse relating to disability"},
    {"MT", "Inappropriate use of social media or online technology"},
    {"PH", "Wilful and repeated transgression of protective measures in place to protect public "
           "health"},
};

static const code_entry episode_kind_codes[] = {
    {"cme", "Child missing education"},
    {"part_time", "Part-time timetable"},
    {"ehe", "Elective home education"},
    {"alternative_provision", "Alternative provision"},
};

static const code_entry gender_codes[] = {
    {"female", "Female"},
    {"male", "Male"},
    {"other", "Other"},
    {"unknown", "Unknown"},
};

/* Each list as long as codes.h says (the users' tables are checked against the same sizes). */
#define N(a) (sizeof a / sizeof a[0])
_Static_assert(N(issue_codes) == ISSUE_COUNT, "issue codes: codes.h and codes.c disagree");
_Static_assert(N(source_codes) == SOURCE_COUNT, "source codes: codes.h and codes.c disagree");
_Static_assert(N(care_status_codes) == CARE_COUNT, "care codes: codes.h and codes.c disagree");
_Static_assert(N(sen_codes) == SEN_COUNT, "sen codes: codes.h and codes.c disagree");
_Static_assert(N(sen_need_codes) == SEN_NEED_COUNT, "sen_need codes: codes.h and codes.c disagree");
_Static_assert(N(status_codes) == STATUS_COUNT, "status codes: codes.h and codes.c disagree");
_Static_assert(N(outcome_codes) == OUTCOME_COUNT, "outcome codes: codes.h and codes.c disagree");
_Static_assert(N(exclusion_category_codes) == EXCL_COUNT,
               "exclusion categories: codes.h and codes.c disagree");
_Static_assert(N(exclusion_reason_codes) == EXCL_REASON_COUNT,
               "exclusion reasons: codes.h and codes.c disagree");
_Static_assert(N(episode_kind_codes) == EPISODE_COUNT,
               "episode kinds: codes.h and codes.c disagree");
_Static_assert(N(gender_codes) == GENDER_COUNT, "gender codes: codes.h and codes.c disagree");

#define LIST(name, a)                                                                              \
    {                                                                                              \
        name, a, sizeof a / sizeof a[0]                                                            \
    }
static const struct {
    const char *name;
    const code_entry *entries;
    size_t n;
} lists[CODES_NLISTS] = {
    [CODES_ISSUE] = LIST("issue", issue_codes),
    [CODES_SOURCE] = LIST("source", source_codes),
    [CODES_CARE_STATUS] = LIST("care_status", care_status_codes),
    [CODES_SEN] = LIST("sen", sen_codes),
    [CODES_SEN_NEED] = LIST("sen_need", sen_need_codes),
    [CODES_STATUS] = LIST("status", status_codes),
    [CODES_OUTCOME] = LIST("outcome", outcome_codes),
    [CODES_EXCLUSION_CATEGORY] = LIST("category", exclusion_category_codes),
    [CODES_EXCLUSION_REASON] = LIST("reason", exclusion_reason_codes),
    [CODES_EPISODE_KIND] = LIST("kind", episode_kind_codes),
    [CODES_GENDER] = LIST("gender", gender_codes),
};

static int valid_list(codes_list l)
{
    return (int)l >= 0 && l < CODES_NLISTS;
}

size_t codes_count(codes_list l)
{
    return valid_list(l) ? lists[l].n : 0;
}

const char *codes_code(codes_list l, size_t i)
{
    return valid_list(l) && i < lists[l].n ? lists[l].entries[i].code : NULL;
}

const char *codes_label(codes_list l, size_t i)
{
    return valid_list(l) && i < lists[l].n ? lists[l].entries[i].label : NULL;
}

int codes_find(codes_list l, const char *s)
{
    if (!valid_list(l) || !s) return -1;
    for (size_t i = 0; i < lists[l].n; i++)
        if (strcmp(lists[l].entries[i].code, s) == 0) return (int)i;
    if (l == CODES_SEN) {
        if (strcmp(s, "N") == 0) return SEN_NONE;
        if (strcmp(s, "K") == 0) return SEN_SUPPORT;
        if (strcmp(s, "E") == 0) return SEN_EHCP;
    } else if (l == CODES_EXCLUSION_CATEGORY) {
        if (strcmp(s, "FIXD") == 0) return EXCL_SUSPENSION;
        if (strcmp(s, "PERM") == 0) return EXCL_PERMANENT;
    }
    return -1;
}

const char *codes_list_name(codes_list l)
{
    return valid_list(l) ? lists[l].name : "";
}

const char *codes_label_of(codes_list l, const char *code)
{
    if (!code) return "";
    int i = codes_find(l, code);
    return i < 0 ? code : lists[l].entries[i].label;
}
