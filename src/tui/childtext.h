/* childtext: how the screens that show a child write it into a text view (textview.h): the
 * child's details (name, ids, date of birth with the year group, school, care status, cohort,
 * SEN, flags), the band of a score, and one line per event of a timeline or chronology, with
 * labels for codes. Shared by the referral screen and the child view, so a child reads the same
 * on both. Internal to src/tui. */
#ifndef CASELOAD_TUI_CHILDTEXT_H
#define CASELOAD_TUI_CHILDTEXT_H

#include "caseload/browse.h"
#include "caseload/codes.h"
#include "caseload/date.h"
#include "caseload/score.h"
#include "textview.h"
#include "tui.h"
#include <stdbool.h>
#include <stddef.h>

/* The label of a code of list l ("unknown" for none). */
const char *tui_label(codes_list l, const char *code);
/* "s" unless n is 1: "%d day%s". */
const char *tui_plural(long n);
/* "Year 7 (KS3)", "Reception (R)", "early years (EY)" as of as_of; "?" for no date of birth. */
void tui_year_text(const char *dob, date_t as_of, char *out, size_t n);
/* "RED", "AMBER" or "GREEN", and its colour pair in *pair (may be NULL). */
const char *tui_band_name(score_band_t b, int *pair);
/* "  ! open conflict" when one of fields (column names separated by spaces; "-" for the row
 * itself: deleted on one copy, edited on the other) of row row_id of table has an open conflict
 * of offline copies (sync conflicts), else "". */
const char *tui_conflict_mark(tui *t, const char *table, int64_t row_id, const char *fields);
/* The section "Child": name, UPN and LA child id, date of birth with year group and gender,
 * school, care status, cohort as of as_of, SEN, and flags (youth justice, then more_flags when
 * not NULL, e.g. "at risk of permanent exclusion", with more_mark after it); each line marked
 * when a field it shows has an open conflict (tui_conflict_mark). */
void tui_add_child_details(tui *t, textview *tv, const browse_child *c, date_t as_of,
                           const char *more_flags, const char *more_mark);
/* "  ! open conflict" when the row event e shows (an action, an outcome, an exclusion, an
 * attendance record, an episode; of a corrected entry its current version, which holds the
 * conflict of two copies correcting it) has an open conflict of offline copies, else "". */
const char *tui_event_mark(tui *t, const browse_event *e);
/* One event: "  DATE  " then what happened (labels, not codes), wrapped under itself, then mark
 * (tui_event_mark; "" for none); with_ref, the event's referral ref stands before the text of the
 * events of a referral. */
void tui_add_event(textview *tv, const browse_event *e, bool with_ref, const char *mark);

#endif
