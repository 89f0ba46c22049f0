/* import.c: reading the CSV files of SPEC section 6 into the database, all or nothing.
 *
 * Two phases. Checking reads every record, copies its fields into an arena, checks and normalizes
 * them (codes to their canonical word, UPNs upper case), resolves children and referrals against
 * the database and the earlier rows of the file, and collects every problem. Only when there is
 * none does writing start: one transaction, statements prepared once (store_stmt), lookups of
 * schools and officers cached, one audit row, and the scores of the children touched. This file
 * holds the kinds and their columns and the two phases; import_internal.h lists the others. */
#include "import_internal.h"

#include "caseload/exitcode.h"
#include "caseload/records.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the kinds and their columns (SPEC section 6 order) ---- */

static const char *const kind_names[KIND_COUNT] = {
    "referrals", "outcomes", "actions", "exclusions", "attendance", "episodes", "children",
};

static const char *const referral_cols[] = {
    "ref",        "received",    "source",      "issue",     "other_issues", "pex_risk",
    "upn",        "la_child_id", "first_name",  "last_name", "dob",          "gender",
    "school_urn", "school_name", "care_status", "sen",       "sen_need",     "youth_justice",
    "officer",    "status",      "closed",      "summary",
};
static const char *const outcome_cols[] = {"ref", "date", "outcome", "note"};
static const char *const action_cols[] = {"ref", "date", "officer", "kind", "note", "follow_up"};
static const char *const exclusion_cols[] = {"upn",  "la_child_id", "start",     "category",
                                             "days", "reason",      "school_urn"};
static const char *const attendance_cols[] = {"upn", "la_child_id",       "from",
                                              "to",  "possible_sessions", "attended_sessions"};
static const char *const episode_cols[] = {"upn", "la_child_id",    "kind",     "start",
                                           "end", "hours_per_week", "in_county"};
static const char *const child_cols[] = {
    "upn",      "la_child_id",   "first_name",        "last_name",   "dob",
    "gender",   "school_urn",    "school_name",       "care_status", "sen",
    "sen_need", "youth_justice", "social_work_ended",
};

static const kind_def kinds[KIND_COUNT] = {
    [KIND_REFERRALS] = {referral_cols, R_N,
                        BIT(R_REF) | BIT(R_RECEIVED) | BIT(R_SOURCE) | BIT(R_ISSUE) | BIT(R_CARE) |
                            BIT(R_SEN),
                        BIT(R_SUMMARY), 0, true, "referrals"},
    [KIND_OUTCOMES] = {outcome_cols, O_N, BIT(O_REF) | BIT(O_DATE) | BIT(O_OUTCOME), BIT(O_NOTE), 0,
                       false, "outcomes"},
    [KIND_ACTIONS] = {action_cols, A_N, BIT(A_REF) | BIT(A_DATE) | BIT(A_KIND), BIT(A_NOTE), 0,
                      false, "actions"},
    [KIND_EXCLUSIONS] = {exclusion_cols, X_N, BIT(X_START) | BIT(X_CATEGORY), 0, BIT(X_DAYS), true,
                         "exclusions"},
    [KIND_ATTENDANCE] = {attendance_cols, T_N,
                         BIT(T_FROM) | BIT(T_TO) | BIT(T_POSSIBLE) | BIT(T_ATTENDED), 0,
                         BIT(T_POSSIBLE) | BIT(T_ATTENDED), true, "attendance"},
    [KIND_EPISODES] = {episode_cols, E_N, BIT(E_KIND) | BIT(E_START), 0, BIT(E_HOURS), true,
                       "episodes"},
    [KIND_CHILDREN] = {child_cols, C_N, 0, 0, 0, true, "children"},
};

int import_kind_find(const char *name)
{
    for (int k = 0; k < KIND_COUNT; k++)
        if (name && strcmp(name, kind_names[k]) == 0) return k;
    return -1;
}

const char *import_kind_name(import_kind k)
{
    return (unsigned)k < KIND_COUNT ? kind_names[k] : NULL;
}

const char *const *import_columns(import_kind k, size_t *n)
{
    if ((unsigned)k >= KIND_COUNT) {
        *n = 0;
        return NULL;
    }
    *n = kinds[k].n;
    return kinds[k].cols;
}

int import_text(store *s, import_kind kind, const char *name, const char *text, size_t len,
                const import_options *o, import_stats *stats, buf *errors)
{
    memset(stats, 0, sizeof *stats);
    if ((unsigned)kind >= KIND_COUNT) {
        buf_printf(errors, "%s: unknown kind of file\n", name);
        return EXIT_USAGE;
    }
    imp m = {0};
    m.s = s;
    m.kind = kind;
    m.def = &kinds[kind];
    m.name = name;
    m.errors = errors;
    m.today = o->as_of;
    m.date_flags = o->dmy ? FIELD_DMY : 0;
    m.allow_duplicates = o->allow_duplicates;
    /* The transaction starts before the checks, so that the rows are checked against the database
     * they are written to and the lookups share one lock. When it cannot start (busy, read-only),
     * the rows are still checked: bad rows are reported (65) before the database's problem. */
    int begin_rc = store_bulk_begin(s, len); /* EXIT_OK: the transaction is open */
    /* A first import looks nothing up (imp.none_stored); should the question fail, it does. */
    if (!begin_rc && records_child_none(s, &m.none_stored)) m.none_stored = false;
    char why[512];
    snprintf(why, sizeof why, "%s", store_error(s));
    int rc = imp_read_and_check(&m, text, len, o->progress);
    stats->rows = (long)m.nrows;
    /* Only the checks look keys up: their memory goes to the writing (SQLite's page cache and
     * search index), which then touches that much less new memory. */
    imp_hmap_free(&m.children);
    imp_hmap_free(&m.keys);
    if (!rc && begin_rc) {
        rc = begin_rc;
        buf_printf(errors, "%s: %s\n", name, why);
    } else if (!rc) {
        rc = imp_write_all(&m, o, stats);
        if (rc) {
            memset(stats, 0, sizeof *stats);
            stats->rows = (long)m.nrows;
            buf_printf(errors, "%s: %s\n", name, store_error(s));
        }
    } else if (!begin_rc) {
        store_bulk_end(s, false);
        if (rc != EXIT_DATA) buf_printf(errors, "%s: %s\n", name, store_error(s));
    }
    imp_arena_free(&m.a);
    imp_hmap_free(&m.cache);
    buf_free(&m.key);
    buf_free(&m.scratch);
    free(m.vals);
    free(m.meta);
    free(m.slots);
    return rc;
}
