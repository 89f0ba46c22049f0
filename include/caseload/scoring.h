/* scoring: keeping every child's stored score (and the copy on each referral that the list sorts
 * by) true for the current date and weights. Scores are stored with the date and weights they were
 * computed for (meta keys scores_as_of and scores_weights); a different date or weights makes them
 * stale, and scoring_refresh recomputes them all. */
#ifndef CASELOAD_SCORING_H
#define CASELOAD_SCORING_H

#include "caseload/config.h"
#include "caseload/date.h"
#include "caseload/score.h"
#include "caseload/store.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Makes sure the stored scores are as of as_of under cfg's weights, recomputing every child in one
 * transaction when they are not (a progress line on standard error when progress is true). On a
 * read-only database stale scores are left as they are and EXIT_OK is returned with *stale true
 * (stale may be NULL). Returns EXIT_OK, EXIT_BUSY or EXIT_IO. */
int scoring_refresh(store *s, const config *cfg, date_t as_of, bool progress, bool *stale);
/* Inside the caller's transaction: the facts under these children changed; recompute and store
 * their scores (or, when many changed or the stored scores are stale anyway, mark every score stale
 * so the next scoring_refresh recomputes all). Returns EXIT_OK or EXIT_IO. */
int scoring_children_changed(store *s, const config *cfg, date_t as_of, const int64_t *child_ids,
                             size_t n);
/* Computes one child's score and breakdown as of as_of without storing anything.
 * Returns EXIT_OK; EXIT_DATA when there is no such child; EXIT_IO on a database error. */
int scoring_child(store *s, const config *cfg, date_t as_of, int64_t child_id, score_result *out);

#endif
