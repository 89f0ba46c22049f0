/* scores: the store side of the vulnerability matrix. Gathers what is known about a child as of a
 * date (score_facts, SPEC section 3) with indexed queries, stores a child's score (the database
 * copies it onto each of the child's referrals, which the list sorts by), walks every child for a
 * full recompute, and keeps the meta keys that say for which date and weights the stored scores
 * hold. Every function that can fail returns an exit code of exitcode.h and sets store_error(). */
#ifndef CASELOAD_SCORES_H
#define CASELOAD_SCORES_H

#include "caseload/date.h"
#include "caseload/score.h"
#include "caseload/store.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Meta keys: the date (YYYY-MM-DD) and the weights key (score_weights_key) the stored scores were
 * computed for. An empty or missing value means the stored scores are stale. */
#define SCORES_META_AS_OF "scores_as_of"
#define SCORES_META_WEIGHTS "scores_weights"

/* The facts about one child as of as_of. Returns EXIT_OK; EXIT_DATA when there is no such child
 * (a message in store_error); EXIT_IO / EXIT_BUSY on a database error. */
int scores_facts(store *s, int64_t child_id, date_t as_of, score_facts *out);
/* Whether a change of column (NULL: a row added or removed) of table can change a child's score,
 * that is whether scores_facts and scores_each read it: a change of anything else (an action, a
 * referral's summary) leaves every score as it was. */
bool scores_reads(const char *table, const char *column);

/* One child as seen by scores_each. */
typedef struct {
    int64_t child_id;
    int stored_score;  /* its score as stored now (child_scores; 0 when none) */
    bool unstored;     /* no row in child_scores (scores_each only; false elsewhere) */
    score_facts facts; /* as of the date given to scores_each */
} scores_row;

/* Calls fn for every child (in id order) with its facts as of as_of, gathered first with one
 * sequential pass over each table (children, episodes, exclusions, attendance, the referrals
 * flagged pex_risk) into memory (about 60 bytes a child), so fn may write to the database. A
 * non-zero return of fn stops the walk and is returned. Returns EXIT_OK, or EXIT_IO / EXIT_BUSY
 * on a database error. */
int scores_each(store *s, date_t as_of, int (*fn)(void *ctx, const scores_row *row), void *ctx);

/* Inside an open transaction: sets the child's score to score (child_scores, migration 0009);
 * the database copies it onto each referral of the child (referral_list: a referral always holds
 * its child's score). unstored: the child is known to have no row yet (scores_row.unstored), so
 * it is added without looking for one first. Returns EXIT_OK, or EXIT_IO / EXIT_BUSY. */
int scores_set(store *s, int64_t child_id, int score, bool unstored);

/* Scores computed for this connection alone, where the file cannot store them (read-only):
 * scores_shadow_begin puts a temporary copy of child_scores in front of the stored one (for
 * scores_set to write into), scores_shadow_end a temporary referral_list with the same indexes
 * holding those scores, so every list query of this connection reads them in place of the
 * stored ones; scores_shadow_drop removes both (the stored scores are read again). Nothing is
 * written to the file. Return EXIT_OK or EXIT_IO (out of memory). */
int scores_shadow_begin(store *s);
int scores_shadow_end(store *s);
int scores_shadow_drop(store *s);

/* Gives the connection a larger page cache (32 MB) for a full recompute, or the default
 * back. Never fails (the cache is only a matter of speed). */
void scores_big_cache(store *s, bool on);

/* How many children the database holds (0 on a database error, with store_error set). */
long scores_count_children(store *s);

/* Whether the database can be written (false when opened or found read-only). */
bool scores_writable(const store *s);

/* Finds a child by UPN (upn is the normalized UPN, or NULL) or else by LA child id (la_id, or
 * NULL). Fills *child_id, and first/last (NUL-terminated, truncated to n bytes) when not NULL.
 * Returns EXIT_OK; EXIT_DATA when no child matches; EXIT_IO / EXIT_BUSY on a database error. */
int scores_find_child(store *s, const char *upn, const char *la_id, int64_t *child_id, char *first,
                      char *last, size_t n);

#endif
