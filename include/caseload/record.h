/* record: what a user can change in the caseload, one saved change at a time: create a referral
 * (for a child already known or a new one), add an action, record an outcome, close a referral,
 * edit a referral's status, officer, issue and pex_risk flag; and the facts the vulnerability
 * matrix scores (SPEC section 3): add a suspension or exclusion, an attendance record, open or
 * end an episode, edit the child's care status, SEN, school, youth justice flag and
 * social_work_ended. Shared by the full-screen app's forms and any command that does the same.
 *
 * Every function checks its input with the rules of import (field.h: one rule per field; dates
 * may also be DD/MM/YYYY, and none of something that happened is after the as-of date) first and
 * writes nothing when something is wrong; otherwise it writes in ONE transaction with an audit row
 * (ids and field names only, never a child's details) and brings the score of the child up to
 * date (scoring_children_changed) in the same transaction. Text fields are UTF-8; "" or NULL
 * means "not given". Codes are the words of SPEC section 2.
 *
 * Returns: EXIT_OK; EXIT_DATA when the input is wrong or names a referral that does not exist
 * (nothing written; *p says which field and why); EXIT_BUSY when the database stayed locked by
 * another program; EXIT_IO when it is read-only or cannot be written (p->message then holds
 * store_error()). On failure nothing was written. */
#ifndef CASELOAD_RECORD_H
#define CASELOAD_RECORD_H

#include "caseload/config.h"
#include "caseload/date.h"
#include "caseload/store.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What was wrong. */
typedef struct record_problem {
    char field[32]; /* the field at fault ("upn", "dob", "ref", ...), "" when none in particular */
    char message[300]; /* e.g. "check letter should be 'B'"; never holds a child's details */
    bool conflict;     /* the field was changed by another program since the form opened */
    char theirs[160];  /* then: its value now */
} record_problem;

/* A child to create with a referral. */
typedef struct record_child {
    const char *upn;         /* checked with upn_check (lower case accepted); or "" */
    const char *la_child_id; /* the council's id; upn or la_child_id is required */
    const char *first_name;  /* required */
    const char *last_name;   /* required */
    const char *dob;         /* YYYY-MM-DD, required, not after the as-of date */
    const char *gender;      /* code or "" */
    const char *school_urn;  /* the school's URN, or "" */
    const char *school_name; /* or "" */
    const char *care_status; /* code, required */
    const char *sen;         /* code (or DfE alias), required */
    const char *sen_need;    /* code or "" */
    bool youth_justice;
} record_child;

/* A referral to create. */
typedef struct record_referral {
    const char *ref;          /* unique; "" for the next free generated one (record_next_ref) */
    const char *received;     /* YYYY-MM-DD, required, not after the as-of date nor before the
                                 child's date of birth */
    const char *source;       /* code, required */
    const char *issue;        /* the primary issue, code, required */
    const char *other_issues; /* ';'-separated issue codes, or "" */
    bool pex_risk;
    const char *care_status; /* as at referral; "" for the child's current (or the new child's) */
    const char *sen;         /* as at referral; "" likewise */
    const char *officer;     /* initials: 1-4 letters, upper-cased (field_initials; a new
                                officer is added when unknown), or "" */
    const char *summary;
} record_referral;

/* Checks a new child as record_referral_create would (the UPN or LA child id must not be in use),
 * without writing. Returns EXIT_OK, EXIT_DATA (*p set), or EXIT_IO / EXIT_BUSY. */
int record_child_check(store *s, date_t as_of, const record_child *c, record_problem *p);

/* Creates the referral for child_id, or, when child_id is 0, creates the child c first (c must
 * then not be NULL). The referral's care status and SEN also become the child's current ones when
 * it is the child's newest referral (as import does). Sets *referral_id and *child_id (either may
 * be NULL). A ref, UPN or LA child id already in use is EXIT_DATA. */
int record_referral_create(store *s, const config *cfg, date_t as_of, int64_t child_id,
                           const record_child *c, const record_referral *r, int64_t *referral_id,
                           int64_t *child_id_out, record_problem *p);

/* The next free generated ref for a referral received in the year of `received`:
 * "R-YYYY-NNNNN", one above the highest such ref in use (R-YYYY-00001 for the first); on a laptop
 * copy "R-YYYY-NAME-NNNNN" with the copy's name (sync checkout), so copies never collide.
 * Returns EXIT_OK, or EXIT_IO / EXIT_BUSY (store_error set). */
int record_next_ref(store *s, date_t received, char *out, size_t n);

/* An action on a referral. */
typedef struct record_action {
    const char *date;      /* YYYY-MM-DD; "" for the as-of date */
    const char *officer;   /* initials, or "" */
    const char *kind;      /* required, a lower-case word: call, email, meeting, visit, ... */
    const char *note;      /* or "" */
    const char *follow_up; /* YYYY-MM-DD not before date, or "" */
    bool done_pending;     /* this action does what the referral's pending follow-ups asked:
                              they are marked done (by this action) */
} record_action;

/* Adds an action to referral_id; *action_id (may be NULL) receives the new row's id. */
int record_action_add(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                      const record_action *a, int64_t *action_id, record_problem *p);

/* Marks the pending follow-up of action action_id (an action of referral_id) done on date ("" for
 * the as-of date; not before the action) by officer (initials or ""). A follow-up that is not
 * pending (none set, already done, the referral closed) is EXIT_DATA. */
int record_follow_up_done(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                          int64_t action_id, const char *date, const char *officer,
                          record_problem *p);

/* Records outcome (a code, required) on date ("" for the as-of date) with note. */
int record_outcome_add(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                       const char *outcome, const char *date, const char *note, int64_t *outcome_id,
                       record_problem *p);

/* Closes referral_id: records the outcome (required) and sets status closed with the closed date
 * (date, "" for the as-of date; not before the referral was received). A referral already closed
 * is EXIT_DATA. */
int record_close(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                 const char *outcome, const char *date, const char *note, record_problem *p);

/* The fields of a referral that can be edited; NULL (or -1 for pex_risk) leaves one unchanged. */
typedef struct record_edit {
    const char *status;  /* code; never to `closed` (EXIT_DATA: a referral is closed with its
                            outcome, record_close); from `closed`: the closed date is cleared */
    const char *officer; /* initials; "" for none */
    const char *issue;   /* code */
    int pex_risk;        /* 0, 1, or -1 for unchanged */
    /* The referral as the form showed it when it opened (edit_referral_get), or NULL. Given, only
     * the fields that differ from it are written, and a save that would overwrite one of them
     * changed since (by another app or a script) is refused: EXIT_DATA with p->conflict set,
     * p->field naming it and p->message saying both values. */
    const struct edit_referral *opened;
} record_edit;

/* Changes the given fields of referral_id, checked and written in one transaction. Nothing to
 * change is EXIT_OK with nothing written. A status taken out of `closed` also records the
 * reopening (as record_reopen does, by the store's officer, store_officer). */
int record_referral_edit(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                         const record_edit *e, record_problem *p);

/* ---- the facts the matrix scores ----
 * Values are text as a file's columns have them (SPEC section 6), read with the same rules
 * (field.h) as import; dates may also be DD/MM/YYYY. A date of the child's life is not before
 * the child's date of birth. child_id naming no child is EXIT_DATA (field "child"). */

/* A suspension or permanent exclusion (the columns of an exclusions file). */
typedef struct record_exclusion {
    const char *start;    /* required, not after the as-of date */
    const char *category; /* code (suspension, permanent; FIXD/PERM), required */
    const char *days;     /* field_days (above 0, fractions allowed), or "" for unknown */
    const char *reason;   /* DfE reason code, or "" */
    int64_t school_id;    /* the school that excluded (a known school's id), 0 for none */
} record_exclusion;
/* Adds the exclusion to child_id. One of the same category starting the same day is already
 * recorded: EXIT_DATA (field "start"). *id (may be NULL) receives the new row's id. */
int record_exclusion_add(store *s, const config *cfg, date_t as_of, int64_t child_id,
                         const record_exclusion *x, int64_t *id, record_problem *p);

/* An attendance record (the columns of an attendance file). */
typedef struct record_attendance {
    const char *from;              /* required */
    const char *to;                /* required, not before from, not after the as-of date */
    const char *possible_sessions; /* field_sessions, required */
    const char *attended_sessions; /* field_sessions, required, at most possible_sessions */
} record_attendance;
/* Adds the record to child_id. One for the same from and to is already recorded: EXIT_DATA
 * (field "from"). */
int record_attendance_add(store *s, const config *cfg, date_t as_of, int64_t child_id,
                          const record_attendance *a, int64_t *id, record_problem *p);

/* An episode opened (the columns of an episodes file, with no end). */
typedef struct record_episode {
    const char *kind;           /* code, required */
    const char *start;          /* required, not after the as-of date */
    const char *hours_per_week; /* field_hours, or "" for unknown */
    int in_county;              /* 1 yes, 0 no, -1 unknown */
} record_episode;
/* Opens the episode for child_id. An episode of that kind still open (no end) is EXIT_DATA (field
 * "kind": it is ended first, record_episode_end). */
int record_episode_open(store *s, const config *cfg, date_t as_of, int64_t child_id,
                        const record_episode *e, int64_t *id, record_problem *p);
/* Ends episode_id, an open episode of child_id, on end (required, not before its start). An
 * episode that has an end already (another program ended it meanwhile) or is not the child's is
 * EXIT_DATA. */
int record_episode_end(store *s, const config *cfg, date_t as_of, int64_t child_id,
                       int64_t episode_id, const char *end, record_problem *p);

/* The child's facts that can be edited; NULL (-1 for the numbers) leaves one unchanged. */
typedef struct record_child_change {
    const char *care_status;       /* code, required when given */
    const char *sen;               /* code (or DfE alias), required when given */
    const char *sen_need;          /* code, "" for none */
    int64_t school_id;             /* a known school's id, 0 for none, -1 unchanged */
    int youth_justice;             /* 0, 1, or -1 unchanged */
    const char *social_work_ended; /* the date the last plan ended, not after the as-of date nor
                                      before the child's birth; "" while a plan is open */
    /* The child as the form showed it when it opened (browse_child_get), or NULL: as for
     * record_edit.opened, only fields that differ from it are written, and one changed since by
     * another program stops the save (EXIT_DATA, p->conflict, both values in p->message). */
    const struct browse_child *opened;
} record_child_change;
/* Changes the given facts of child_id in one transaction (audited "update children" with the
 * names of the fields changed); the child's score follows. Nothing to change is EXIT_OK with
 * nothing written. */
int record_child_edit(store *s, const config *cfg, date_t as_of, int64_t child_id,
                      const record_child_change *c, record_problem *p);

/* ---- corrections (SPEC section 8; migration 0015) ----
 * A correction appends a row that supersedes the current version of an action or outcome; both
 * rows stay and both are audited; everything that counts actions or outcomes (the follow-ups,
 * reports, export) reads the current versions only. officer is who corrects (initials or ""),
 * reason why (or ""). An entry that is not referral_id's is EXIT_DATA; one corrected meanwhile
 * by another program is EXIT_DATA with p->conflict set. */

/* Amends action action_id of referral_id to a's values (checked as record_action_add checks
 * them; a->done_pending is not used). Its follow-up, when done and unchanged, stays done; a new
 * follow-up date is pending. *new_id (may be NULL) receives the new row's id, 0 when nothing
 * differed (then nothing is written). */
int record_action_amend(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                        int64_t action_id, const record_action *a, const char *officer,
                        const char *reason, int64_t *new_id, record_problem *p);
/* Amends outcome outcome_id of referral_id (checked as record_outcome_add checks them). The
 * outcome that closed a closed referral (edit_closing_outcome) amended to another date moves the
 * referral's closed date to it (audited); every outcome code closes, so another code keeps the
 * referral closed. */
int record_outcome_amend(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                         int64_t outcome_id, const char *outcome, const char *date,
                         const char *note, const char *officer, const char *reason, int64_t *new_id,
                         record_problem *p);
/* Withdraws action id (outcome false) or outcome id (outcome true) of referral_id: it no longer
 * counts (a withdrawn action's pending follow-up is no longer pending) and the timeline shows it
 * withdrawn. Withdrawing the outcome that closed a closed referral (edit_closing_outcome) reopens
 * the referral in the same transaction, recorded as a reopening (as record_reopen) with the
 * reason "closing outcome withdrawn"; *reopened (may be NULL) then says so. */
int record_withdraw(store *s, const config *cfg, date_t as_of, int64_t referral_id, bool outcome,
                    int64_t id, const char *officer, const char *reason, bool *reopened,
                    record_problem *p);
/* Reopens closed referral referral_id (status open, closed date cleared) and records the
 * reopening (when, by officer, the closed date it had, reason) for the timeline. A referral not
 * closed is EXIT_DATA. */
int record_reopen(store *s, const config *cfg, date_t as_of, int64_t referral_id,
                  const char *officer, const char *reason, record_problem *p);

#endif
