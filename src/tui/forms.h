/* forms: the modal forms of the full-screen app (new referral, add action, record outcome, close,
 * edit, filters). Each takes over the screen, runs its own key loop until the user saves or
 * cancels, writes through src/app/record.c (one transaction per saved change) and returns
 * reaction flags (TUI_* of tui.h) so the caller reloads and redraws. */
#ifndef CASELOAD_TUI_FORMS_H
#define CASELOAD_TUI_FORMS_H

#include "caseload/browse.h"
#include "tui.h"
#include <stdint.h>

/* `n`: finds the child (name, UPN or date of birth), or creates one after showing likely
 * duplicates, then the referral. Returns TUI_* flags (reload when something was saved). */
int tuiform_new_referral(tui *t);
/* `n` on the child view: the referral form for child_id, the child filled in. Both warn before
 * saving a referral for an existing child that has a live referral (new or open) with the same
 * primary issue, and save it only when the officer says so. */
int tuiform_new_referral_for(tui *t, int64_t child_id);
/* `a`: adds an action (kind, note, follow-up date) to the referral. */
int tuiform_add_action(tui *t, int64_t referral_id);
/* `d`: marks one of the referral's pending follow-ups done (picked from a list, earliest
 * first) today, by $CASELOAD_OFFICER. */
int tuiform_follow_up_done(tui *t, int64_t referral_id);
/* `o`: records an outcome of the referral. */
int tuiform_record_outcome(tui *t, int64_t referral_id);
/* `c`: closes the referral, asking for its outcome. */
int tuiform_close(tui *t, int64_t referral_id);
/* `e`: edits the referral's status, officer, issue and pex_risk flag. */
int tuiform_edit(tui *t, int64_t referral_id);
/* `m`: amends one of the referral's actions or outcomes (picked from a list): a new version that
 * supersedes it, both kept. */
int tuiform_amend(tui *t, int64_t referral_id);
/* `W`: withdraws one of them (picked from a list), asking why. */
int tuiform_withdraw(tui *t, int64_t referral_id);
/* `O`: reopens a closed referral, asking why; the timeline shows it. */
int tuiform_reopen(tui *t, int64_t referral_id);
/* `f`: edits the filter (status, band, officer, follow-up due/overdue) in place; the caller
 * reloads when the returned flags say so. */
int tuiform_filters(tui *t, browse_filter *f);
/* The facts the score is made of, for child child_id (forms_facts.c). */
/* `x`: adds a suspension or permanent exclusion of the child. */
int tuiform_exclusion(tui *t, int64_t child_id);
/* `t`: adds an attendance record of the child. */
int tuiform_attendance(tui *t, int64_t child_id);
/* `P`: opens an episode of the child, or ends one that is open (picked from a list). */
int tuiform_episode(tui *t, int64_t child_id);
/* `E`: edits the child's care status, SEN status and need, school, youth justice flag and
 * social_work_ended; a field another program changed since the form opened stops the save and
 * shows both values, as `e` does. */
int tuiform_child_edit(tui *t, int64_t child_id);

#endif
