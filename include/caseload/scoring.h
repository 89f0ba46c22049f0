/* scoring: keeping every child's stored score (child_scores, and the copy on each referral that
 * the list sorts by) true for the date shown and the weights in force. Scores are stored with the
 * date and weights they were computed for (meta keys scores_as_of and scores_weights); a different
 * date or weights makes them stale, and scoring_refresh recomputes them all before they are shown.
 */
#ifndef CASELOAD_SCORING_H
#define CASELOAD_SCORING_H

#include "caseload/config.h"
#include "caseload/date.h"
#include "caseload/score.h"
#include "caseload/store.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Makes sure the scores this connection reads are as of as_of under cfg's weights, recomputing
 * every child in one transaction when the stored ones are not (a progress line on standard error
 * when progress is true). On a file that cannot be written they are computed instead into this
 * connection's own temporary copy (scores_shadow_*), which the list queries then read, and
 * *computed is set true (computed may be NULL). Returns EXIT_OK, EXIT_BUSY or EXIT_IO. */
int scoring_refresh(store *s, const config *cfg, date_t as_of, bool progress, bool *computed);
/* Inside the caller's transaction: the facts under these children changed. Their scores are
 * recomputed and stored; when many changed, or the stored scores are for another date or
 * weights, every child's is (the scores then hold for as_of); a few children while the stored
 * scores are for another date mark every score stale (the next scoring_refresh recomputes all),
 * so no stored score is ever taken as current when it is not. Returns EXIT_OK or EXIT_IO. */
int scoring_children_changed(store *s, const config *cfg, date_t as_of, const int64_t *child_ids,
                             size_t n);
/* Compares every stored score with the one computed from the facts under cfg's weights, as of
 * the date the stored scores hold for. Stale scores (another date or weights) are not compared:
 * they are computed again before anything shows them (*checked is then 0). Fills the number of
 * children compared, of those whose stored score differs, and the first of them (0 if none).
 * Returns EXIT_OK, or EXIT_IO / EXIT_BUSY on a database error. */
int scoring_verify(store *s, const config *cfg, long *checked, long *wrong, int64_t *first);
/* Computes one child's score and breakdown as of as_of without storing anything.
 * Returns EXIT_OK; EXIT_DATA when there is no such child; EXIT_IO on a database error. */
int scoring_child(store *s, const config *cfg, date_t as_of, int64_t child_id, score_result *out);

#endif
