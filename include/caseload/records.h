/* records: finding and writing the caseload's rows (schools, officers, children, referrals,
 * outcomes, actions, exclusions, attendance, episodes) by their natural keys, and reading them
 * back in the column order of SPEC section 6. The data layer of import and export, usable by the
 * app's forms too.
 *
 * Values are the canonical text of the files: codes as in SPEC section 2, dates "YYYY-MM-DD",
 * UPNs upper case. NULL or "" means unknown (stored as NULL, or the column's default). The callers
 * validate; these functions only store. Every write needs an open transaction (store_begin), sets
 * created_at/updated_at, and takes new keys from store_new_id. Every function returns EXIT_OK, or
 * EXIT_IO / EXIT_BUSY with store_error() set. */
#ifndef CASELOAD_RECORDS_H
#define CASELOAD_RECORDS_H

#include "caseload/store.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a put did with a row. */
typedef enum { RECORDS_UNCHANGED = 0, RECORDS_ADDED, RECORDS_UPDATED } records_result;

/* Before adding `adding` rows to table (in the open transaction): when they are at least as many
 * as the table holds, drops its indexes that allow duplicates (made by CREATE INDEX, not those of
 * UNIQUE or PRIMARY KEY), keeping their text, so that records_build_indexes builds each again once,
 * from sorted keys: about twice as fast as keeping them up to date row by row. Until then, a query
 * that would use them reads the whole table. A rollback brings them back. */
int records_defer_indexes(store *s, const char *table, long adding);
/* Creates again every index that records_defer_indexes dropped in this transaction (none: nothing
 * to do). Must run before the transaction commits. */
int records_build_indexes(store *s);
/* Inside a bulk change (store_bulk_begin), before adding `adding` children: when they are at
 * least as many as those stored, sets the trigger child_names_insert aside (as an index above), so
 * that each new child's INSERT writes one table and needs no statement journal; store_bulk_end
 * notes every child added since in child_names_stale in one statement, the trigger's own, and makes
 * the trigger again before the change commits. A rollback brings it back. */
int records_defer_child_names(store *s, long adding);

/* ---- schools and officers ---- */

/* The school with this urn (when urn is given), else the one with no urn and this name.
 * *id = 0 when there is none. */
int records_school_find(store *s, const char *urn, const char *name, int64_t *id);
/* As records_school_find, adding the school when missing; when found by urn and name is given and
 * differs from the stored one, the name is updated. Needs urn or name (else *id = 0). */
int records_school_ensure(store *s, const char *urn, const char *name, int64_t *id);
/* As records_school_ensure; *renamed tells whether a known school's name was changed. */
int records_school_put(store *s, const char *urn, const char *name, int64_t *id, bool *renamed);
/* The officer with these initials; *id = 0 when there is none. */
int records_officer_find(store *s, const char *initials, int64_t *id);
/* As records_officer_find, adding the officer (no name) when missing. */
int records_officer_ensure(store *s, const char *initials, int64_t *id);

/* ---- children ---- */

typedef struct {
    const char *upn, *la_child_id;
    const char *first_name, *last_name, *dob, *gender;
    int64_t school_id; /* 0: none / unknown */
    const char *care_status, *sen, *sen_need;
    int youth_justice; /* 1 yes, 0 no, -1 unknown */
    /* The date the last plan ended: NULL when not given (an update keeps what is stored), "" for
     * none (a plan is open: an update clears it), else YYYY-MM-DD. */
    const char *social_work_ended;
} records_child;

/* A child's keys as stored. */
typedef struct {
    int64_t id;           /* 0 when not found */
    char upn[14];         /* "" when the child has none */
    char la_child_id[64]; /* "" when none (truncated if longer) */
    char dob[11];         /* YYYY-MM-DD */
} records_child_key;

/* Finds the child with this upn; when upn is NULL/"" or matches no child, the one with this
 * la_child_id (which may then have another UPN: the caller decides). out->id = 0 when none. */
int records_child_find(store *s, const char *upn, const char *la_child_id, records_child_key *out);
/* *none: whether the database holds no child (and so no referral or event either). */
int records_child_none(store *s, bool *none);
/* Adds a child (upn or la_child_id, first_name, last_name and dob required); youth_justice -1
 * counts as no. */
int records_child_insert(store *s, const records_child *c, int64_t *id);
/* Sets the fields of c that are known (not NULL/"", school_id not 0, youth_justice not -1) on child
 * id when any differs from what is stored; *changed tells whether it did (updated_at is then set).
 */
int records_child_update(store *s, int64_t id, const records_child *c, bool *changed);
/* Sets the child's current care_status and sen to these when the referral (ref, received) is the
 * child's newest (latest received, then greatest ref) and they differ. *changed may be NULL. */
int records_child_status_if_newest(store *s, int64_t child_id, const char *ref,
                                   const char *received, const char *care_status, const char *sen,
                                   bool *changed);

/* Changing many children at once: records_child_stage_update stages the known fields of c (as
 * records_child_update) for child id when any differs from what is stored or already staged
 * (*changed tells); records_child_flush applies every staged change in one statement, so the
 * search index of their referrals is written once. records_child_stage_begin empties the stage;
 * call it after store_begin. */
int records_child_stage_begin(store *s);
int records_child_stage_update(store *s, int64_t id, const records_child *c, bool *changed);
int records_child_flush(store *s);

/* ---- referrals ---- */

typedef struct {
    const char *ref, *received, *source, *issue;
    const char *other_issues; /* ';'-separated codes, "" for none */
    int pex_risk;             /* 0 or 1 */
    int64_t child_id;
    const char *status; /* NULL/"" = "new" */
    const char *closed;
    int64_t officer_id; /* 0: none */
    const char *care_status, *sen, *summary;
} records_referral;

/* The referral with this ref: *id and *child_id, both 0 when there is none (child_id may be NULL).
 */
int records_referral_find(store *s, const char *ref, int64_t *id, int64_t *child_id);
/* As records_referral_find, and the date the referral was received into received[11] (YYYY-MM-DD;
 * "" when there is no such referral). */
int records_referral_find_received(store *s, const char *ref, int64_t *id, int64_t *child_id,
                                   char received[11]);
/* Adds the referral, or, when its ref exists, sets every field to r's when any differs. *result
 * says which; *id (may be NULL) is the row's key. */
int records_referral_put(store *s, const records_referral *r, records_result *result, int64_t *id);

/* Adding many new referrals at once: records_referral_stage keeps a referral whose ref is known
 * to be new in a temporary table (giving it its key, returned in *id); records_referral_flush adds
 * every staged referral in one statement, whose triggers derive what every new referral derives
 * (data/DERIVED.md), as for a referral added alone; and when they are at least as many as the
 * referrals stored, the table's indexes are built again afterwards (records_defer_indexes).
 * records_referral_stage_begin empties the stage; call it after store_begin. A rollback forgets
 * what was staged. */
int records_referral_stage_begin(store *s);
int records_referral_stage(store *s, const records_referral *r, int64_t *id);
int records_referral_flush(store *s);
/* The same for a referral that exists (key id): when any field of r differs from what is stored,
 * stages r as its new content (*changed true); records_referral_flush then applies every staged
 * change in one statement (updated_at set). */
int records_referral_stage_update(store *s, int64_t id, const records_referral *r, bool *changed);

/* ---- appended rows: outcomes and actions ----
 * They have no key of their own: a row equal in every field to a stored one is that row. nth (0 for
 * the first) picks among equal rows, so a file with two equal rows maps to two stored rows. */

/* An outcome of referral_id: ADDED, or UNCHANGED when the nth equal outcome exists. */
int records_outcome_add(store *s, int64_t referral_id, const char *date, const char *outcome,
                        const char *note, long nth, records_result *result);
/* An action of referral_id (officer_id 0 = none, follow_up NULL/"" = none); as above. */
int records_action_add(store *s, int64_t referral_id, const char *date, int64_t officer_id,
                       const char *kind, const char *note, const char *follow_up, long nth,
                       records_result *result);

/* ---- events of a child, keyed as in SPEC section 6 ---- */

/* Each put sets *id (id may be NULL) to the key of the row added or found. */
/* Exclusion keyed by (child, start, category); days < 0 = unknown, reason NULL = unknown,
 * school_id 0 = none. Other fields are updated when they differ. */
int records_exclusion_put(store *s, int64_t child_id, const char *start, const char *category,
                          double days, const char *reason, int64_t school_id,
                          records_result *result, int64_t *id);
/* Attendance keyed by (child, from, to). */
int records_attendance_put(store *s, int64_t child_id, const char *from, const char *to,
                           long possible, long attended, records_result *result, int64_t *id);
/* Episode keyed by (child, kind, start); end NULL = open; hours < 0 = unknown; in_county -1 =
 * unknown, else 0/1. */
int records_episode_put(store *s, int64_t child_id, const char *kind, const char *start,
                        const char *end, double hours, int in_county, records_result *result,
                        int64_t *id);

/* ---- reading back, for export ----
 * Each calls fn once per row with the row's fields in the column order of SPEC section 6 for the
 * kind (NULL for an empty value; flags "yes"/"no"; numbers as shortest decimal text), in a
 * deterministic order: referrals by ref; children by upn (those without last) then la_child_id;
 * outcomes and actions by ref then date; exclusions, attendance and episodes by child (upn, then
 * la_child_id) then date. A non-zero return from fn stops and is returned. */
typedef int (*records_row_fn)(void *ctx, const char *const *fields, size_t n);

int records_each_referral(store *s, records_row_fn fn, void *ctx);   /* 22 fields */
int records_each_outcome(store *s, records_row_fn fn, void *ctx);    /* 4 fields */
int records_each_action(store *s, records_row_fn fn, void *ctx);     /* 6 fields */
int records_each_exclusion(store *s, records_row_fn fn, void *ctx);  /* 7 fields */
int records_each_attendance(store *s, records_row_fn fn, void *ctx); /* 6 fields */
int records_each_episode(store *s, records_row_fn fn, void *ctx);    /* 7 fields */
int records_each_child(store *s, records_row_fn fn, void *ctx);      /* 13 fields */

#endif
