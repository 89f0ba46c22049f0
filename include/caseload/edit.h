/* edit: the store side of the app's single-row changes (src/app/record.c) that the import layer
 * (records.h) does not already offer: appending an action or an outcome as a new row every time
 * (import's records_*_add treat an equal row as the same row), reading and updating the editable
 * fields of one referral by id, and the highest generated ref of a year.
 * Schools, officers, children and new referrals are written with records.h.
 *
 * The callers validate; these functions only store. Every write needs an open transaction
 * (store_begin), takes new keys from store_new_id and sets updated_at. Every function returns
 * EXIT_OK, or EXIT_IO / EXIT_BUSY with store_error() set, unless stated otherwise. */
#ifndef CASELOAD_EDIT_H
#define CASELOAD_EDIT_H

#include "caseload/store.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The editable fields of a referral and what the checks need. */
typedef struct edit_referral {
    int64_t id;
    int64_t child_id;
    char ref[64];       /* truncated when longer */
    char received[11];  /* YYYY-MM-DD */
    char issue[24];     /* code */
    char status[12];    /* code */
    char closed[11];    /* "" when not closed */
    int64_t officer_id; /* 0: none */
    char officer[16];   /* the officer's initials, "" when none */
    bool pex_risk;
    char care_status[12]; /* as at referral */
    char sen[20];         /* as at referral */
} edit_referral;

/* Reads referral id into *out. Returns EXIT_OK; EXIT_FOUND when there is no such referral. */
int edit_referral_get(store *s, int64_t id, edit_referral *out);
/* Sets the referral's issue, status, closed date (NULL/"" clears it), officer (0: none) and
 * pex_risk, and updated_at. */
int edit_referral_update(store *s, int64_t id, const char *issue, const char *status,
                         const char *closed, int64_t officer_id, bool pex_risk);
/* Appends an action (officer_id 0: none; note NULL: ""; follow_up NULL/"": none); *id (may be
 * NULL) receives its key. The referral's next follow-up (referral_follow_up) is kept by the
 * schema's triggers. */
int edit_action_insert(store *s, int64_t referral_id, const char *date, int64_t officer_id,
                       const char *kind, const char *note, const char *follow_up, int64_t *id);
/* Appends a row saying the follow-up of action_id was done on date (officer_id 0: none;
 * by_action_id: the later action that said so, 0 when marked done by itself); *id (may be NULL)
 * receives its key. */
int edit_follow_up_done(store *s, int64_t action_id, const char *date, int64_t officer_id,
                        int64_t by_action_id, int64_t *id);
/* Appends an outcome (note NULL: ""); *id (may be NULL) receives its key. */
int edit_outcome_insert(store *s, int64_t referral_id, const char *date, const char *outcome,
                        const char *note, int64_t *id);
/* One action or outcome as stored, for a correction (migration 0015). */
typedef struct edit_entry {
    int64_t id;
    int64_t referral_id;
    char date[11];
    int64_t officer_id; /* actions: 0 for none */
    char officer[16];   /* actions: the officer's initials, "" for none */
    char code[32];      /* the action's kind, or the outcome */
    char note[2048];
    char follow_up[11]; /* actions: "" for none */
    bool current;       /* no row supersedes it and it is not a withdrawal */
    char done[11];      /* actions: the day its follow-up was marked done, "" when not */
    int64_t done_officer_id;
} edit_entry;
/* Reads action id (outcome: false) or outcome id (outcome: true). Returns EXIT_OK, EXIT_FOUND. */
int edit_entry_get(store *s, bool outcome, int64_t id, edit_entry *out);
/* Appends the row that corrects entry old (an action, or an outcome when outcome): its values
 * (e's date, officer_id, code, note, follow_up; e->id and referral_id are taken from old),
 * superseding old, withdrawn or not, made on corrected_on by corrected_by (0: none) for reason.
 * *id (may be NULL) receives its key. */
int edit_entry_correct(store *s, bool outcome, const edit_entry *old, const edit_entry *e,
                       bool withdrawn, const char *corrected_on, int64_t corrected_by,
                       const char *reason, int64_t *id);
/* The outcome that closed referral_id, closed on closed (YYYY-MM-DD): its newest current outcome
 * (by date, then key) dated on or before closed, into *id; 0 when there is none. */
int edit_closing_outcome(store *s, int64_t referral_id, const char *closed, int64_t *id);
/* Appends a reopening of referral_id on date by officer_id (0: none), which had been closed on
 * closed, for reason. */
int edit_reopening_insert(store *s, int64_t referral_id, const char *date, int64_t officer_id,
                          const char *closed, const char *reason, int64_t *id);
/* The highest N of the refs "<prefix>N" where N is exactly `digits` digits (e.g. prefix
 * "R-2024-", 5 digits), 0 when there is none. Uses the unique index on ref. */
int edit_ref_last_number(store *s, const char *prefix, int digits, long *n);

/* ---- a child's facts (the app's child and episode forms) ---- */

/* Sets child id's care status, SEN status and need (NULL/"" for none), school (0: none), youth
 * justice flag and social_work_ended (NULL/"" while a plan is open), and updated_at. */
int edit_child_update(store *s, int64_t id, const char *care_status, const char *sen,
                      const char *sen_need, int64_t school_id, bool youth_justice,
                      const char *social_work_ended);

/* An episode of a child as the episode form shows it. */
typedef struct edit_episode {
    int64_t id;
    char kind[24];  /* code */
    char start[11]; /* YYYY-MM-DD */
    char end[11];   /* "" when it has no end */
} edit_episode;
/* The child's episodes with no end date, earliest start first, up to max into out (*n of them). */
int edit_episodes_open(store *s, int64_t child_id, edit_episode *out, int max, int *n);
/* Gives episode id the end date `end` if it has none yet; *ended tells whether it did (false:
 * it has an end already, or is gone). */
int edit_episode_end(store *s, int64_t id, const char *end, bool *ended);

#endif
