/* codes.c: the code lists of SPEC section 2 with their labels, in the spec's order, and the
 * labels the app shows for the other words it stores (factors, bands, cohorts, retention rules,
 * action kinds, the access log's actions and tables): every label on screen has its home here.
 * Labels the spec gives are used as written; the others follow the DfE descriptions. */
#include "caseload/codes.h"
#include "caseload/retention.h"
#include "caseload/score.h"
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

/* For narrow columns, a short label (at most CODES_SHORT_MAX characters: the sidebar) and an
 * abbreviation (at most CODES_ABBR_MAX: the issue column on 80 columns); NULL where the label
 * (or the short label) is short enough. In the order of the codes. */
typedef struct {
    const char *short_label, *abbr;
} code_short;

static const code_short issue_short[] = {
    {NULL, "Att"},  {"CME", NULL},         {"Exclusion", "Excl"}, {"Admissions", "Adm"},
    {"SEN", NULL},  {"Reduced TT", "RTT"}, {"Managed mv", "MM"},  {"EHE", NULL},
    {"NEET", NULL}, {NULL, "Oth"},
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
_Static_assert(N(issue_short) == ISSUE_COUNT, "issue short labels: one per issue code");
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
        name, a, sizeof a / sizeof a[0], NULL                                                      \
    }
static const struct {
    const char *name;
    const code_entry *entries;
    size_t n;
    const code_short *shorts; /* NULL: the labels are all there is */
} lists[CODES_NLISTS] = {
    [CODES_ISSUE] = {"issue", issue_codes, N(issue_codes), issue_short},
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

/* Characters (UTF-8 code points) of s. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

const char *codes_label_fit(codes_list l, size_t i, size_t width)
{
    if (!valid_list(l) || i >= lists[l].n) return NULL;
    const char *label = lists[l].entries[i].label;
    const code_short *e = lists[l].shorts ? &lists[l].shorts[i] : NULL;
    if (!e || chars(label) <= width) return label;
    if (e->short_label && chars(e->short_label) <= width) return e->short_label;
    if (e->abbr) return e->abbr;
    return e->short_label ? e->short_label : label;
}

const char *codes_label_of_fit(codes_list l, const char *code, size_t width)
{
    if (!code) return "";
    int i = codes_find(l, code);
    return i < 0 ? code : codes_label_fit(l, (size_t)i, width);
}

size_t codes_widest_fit(codes_list l, size_t width)
{
    size_t w = 0;
    for (size_t i = 0; valid_list(l) && i < lists[l].n; i++) {
        size_t c = chars(codes_label_fit(l, i, width));
        if (c > w) w = c;
    }
    return w;
}

/* ---- labels of the words that are not codes of SPEC section 2 ---- */

/* SPEC section 3's factors, as the score breakdown names them. */
static const char *const factor_labels[] = {
    [F_CME] = "Child missing education",
    [F_EHE] = "Elective home education",
    [F_PART_TIME] = "Part-time timetable",
    [F_ALTERNATIVE_PROVISION] = "Alternative provision",
    [F_ATTENDANCE_BELOW_50] = "Attendance below 50%",
    [F_ATTENDANCE_BELOW_90] = "Attendance below 90%",
    [F_SUSPENSIONS] = "Suspensions in 365 days",
    [F_PERMANENT_EXCLUSION] = "Permanent exclusion",
    [F_PEX_RISK] = "At risk of permanent exclusion",
    [F_YOUTH_JUSTICE] = "Known to youth justice",
    [F_EHCP] = "EHC plan",
    [F_EHCP_IN_PROGRESS] = "EHC needs assessment",
    [F_SEN_SUPPORT] = "SEN support",
    [F_CP_PLAN] = "Child protection plan",
    [F_CIN_PLAN] = "Child in need plan",
    [F_LOOKED_AFTER] = "Looked after",
};
_Static_assert(N(factor_labels) == SCORE_NFACTORS, "factor labels: one per factor of score.h");

static const char *const band_labels[] = {
    [BAND_GREEN] = "GREEN", [BAND_AMBER] = "AMBER", [BAND_RED] = "RED"};
_Static_assert(N(band_labels) == BAND_RED + 1, "band labels: one per band of score.h");

static const char *const cohort_labels[] = {
    [COHORT_CURRENT] = "current (a plan open)",
    [COHORT_EVER6] = "Ever6",
    [COHORT_OUT] = "out of the cohort",
};
static const char *const cohort_short[] = {
    [COHORT_CURRENT] = "current", [COHORT_EVER6] = "Ever6", [COHORT_OUT] = "out"};
_Static_assert(N(cohort_labels) == RETENTION_NCOHORTS && N(cohort_short) == RETENTION_NCOHORTS,
               "cohort labels: one per cohort of retention.h");

static const char *const rule_labels[] = {
    [RULE_SOCIAL_WORK_ENDED] = "social work ended",
    [RULE_LAST_ACTIVITY] = "last activity",
    [RULE_AGE] = "age",
};
_Static_assert(N(rule_labels) == RETENTION_NRULES, "rule labels: one per rule of retention.h");

const char *codes_factor_label(int factor)
{
    return factor >= 0 && factor < SCORE_NFACTORS ? factor_labels[factor] : "";
}

const char *codes_band_label(int band)
{
    return band >= 0 && band <= BAND_RED ? band_labels[band] : "";
}

const char *codes_cohort_label(int cohort, bool brief)
{
    if (cohort < 0 || cohort >= RETENTION_NCOHORTS) return "";
    return brief ? cohort_short[cohort] : cohort_labels[cohort];
}

const char *codes_rule_label(int rule)
{
    return rule >= 0 && rule < RETENTION_NRULES ? rule_labels[rule] : "on request";
}

typedef struct {
    const char *word, *label;
} word_entry;

/* The usual kinds of action (SPEC section 6: any word may be recorded; these are offered). */
static const word_entry action_kinds[] = {
    {"call", "Call"},   {"email", "Email"},   {"meeting", "Meeting"},
    {"visit", "Visit"}, {"advice", "Advice"}, {"challenge", "Challenge"},
};

/* The access log's actions (protect_access, store_audit and the triggers of the migrations), at
 * most 10 characters (the access log's column). */
static const word_entry access_actions[] = {
    {"view", "opened"},
    {"score", "score read"},
    {"sar", "SAR"},
    {"export", "exported"},
    {"insert", "added"},
    {"update", "changed"},
    {"delete", "deleted"},
    {"close", "closed"},
    {"reopen", "reopened"},
    {"amend", "amended"},
    {"withdraw", "withdrawn"},
    {"follow_up_done", "completed"},
    {"import", "imported"},
    {"import_child", "imported"},
    {"bulk_insert", "imported"},
    {"purge", "purged"},
    {"resolve", "resolved"},
    {"sync_apply", "merged in"},
    {"sync_checkout", "copied out"},
    {"sync_revoke", "revoked"},
    {"scores_refresh", "rescored"},
};

/* The tables rows of the access log and the conflicts name, as one row of each. */
static const word_entry table_labels[] = {
    {"children", "child"},       {"referrals", "referral"},
    {"actions", "action"},       {"outcomes", "outcome"},
    {"exclusions", "exclusion"}, {"attendance", "attendance record"},
    {"episodes", "episode"},     {"follow_up_done", "follow-up done"},
    {"reopenings", "reopening"}, {"conflicts", "conflict"},
    {"tombstones", "tombstone"}, {"officers", "officer"},
    {"schools", "school"},
};

static const struct {
    const word_entry *entries;
    size_t n;
} words[CODES_NWORDS] = {
    [CODES_W_ACTION_KIND] = {action_kinds, N(action_kinds)},
    [CODES_W_ACCESS] = {access_actions, N(access_actions)},
    [CODES_W_TABLE] = {table_labels, N(table_labels)},
};

static int valid_words(codes_words w)
{
    return (int)w >= 0 && w < CODES_NWORDS;
}

size_t codes_words_count(codes_words w)
{
    return valid_words(w) ? words[w].n : 0;
}

const char *codes_word(codes_words w, size_t i)
{
    return valid_words(w) && i < words[w].n ? words[w].entries[i].word : NULL;
}

const char *codes_word_label(codes_words w, size_t i)
{
    return valid_words(w) && i < words[w].n ? words[w].entries[i].label : NULL;
}

const char *codes_word_label_of(codes_words w, const char *word)
{
    if (!word) return "";
    for (size_t i = 0; valid_words(w) && i < words[w].n; i++)
        if (strcmp(words[w].entries[i].word, word) == 0) return words[w].entries[i].label;
    return word;
}
