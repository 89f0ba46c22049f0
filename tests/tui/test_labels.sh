#!/bin/sh
# Labels, not codes, on screen (issue 11 item 7): days in the singular for one day, the filters'
# pick lists and the status line in labels, UK dates (DD/MM/YYYY) typed into a date field, and the
# command line still printing codes (the screens' labels come from src/core/codes.c alone).
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture
# R21-042 (Ruby Johnson, LA0018, as is R21-011) received yesterday: one day open.
sqlite3 "$CASELOAD_DB" "UPDATE referrals SET received = '2022-02-28' WHERE ref = 'R21-042'"
printf 'ref,date,outcome,note\nR21-042,2022-02-28,exclusion_avoided,\n' >"$TMPDIR_T/outcome.csv"
"$CASELOAD" --as-of "$AS_OF" import outcomes "$TMPDIR_T/outcome.csv" >/dev/null

app_start 80 24 CASELOAD_OFFICER=AB
wait_for "shown of"
keys / R 2 1 - 0 4 2 Enter
screen_has "1 shown of" "the filter finds R21-042"
keys Enter
screen_has "Received      2022-02-28 from Other    1 day open" "one day open, not 1 days"
keys q v
screen_has "received 2022-02-28  officer" "the child view lists R21-042"
screen_has "officer EF  1 day" "the child view shows R21-042's days open"
screen_lacks "1 days" "no '1 days' anywhere on the child view"
keys q Escape

# ---- the filters: pick lists and the status line in labels ----
keys f
wait_for "Filters"
keys Space
screen_has "│   Closed" "the status pick list shows labels (Closed, not closed)"
screen_lacks "│   closed" "and not the codes"
keys Down Down Enter
keys Down Space
screen_has "│   AMBER" "the band pick list shows the bands as the list does"
keys Down Down Enter Enter
screen_has "Filter: status Open, band AMBER" "the filter chosen, said in labels"
keys j
screen_has "filter: status Open, band AMBER" "and on the status line"
screen_lacks "status=" "no codes in the filter's description"
keys f Space Up Up Enter Down Space Up Up Enter Enter
screen_has "Filter: status New or Open" "the default filter again"

# ---- a date typed the UK way ----
keys / R 2 1 - 0 4 2 Enter
screen_has "1 shown of" "R21-042 again"
keys Enter
wait_for "Timeline"
keys a
screen_has "Add an action" "a: the action form"
keys Space Enter Tab C-u '15/02/2022'
screen_has "[15/02/2022" "a date field takes / as typed"
screen_has "Tuesday" "and reads 15/02/2022 as the 15th of February"
keys Tab Tab 'Rang the school' C-s
screen_has "Saved: action on R21-042" "saved"
keys G
screen_has "2022-02-15  action Call (AB): Rang the school" "the action dated 2022-02-15, its kind a label"
check_true "stored as 2022-02-15, the kind as its code" sh -c \
    "[ \"\$(sqlite3 '$CASELOAD_DB' \"SELECT date || ' ' || kind FROM actions WHERE note = 'Rang the school'\")\" = '2022-02-15 call' ]"
keys q q
wait_for "exit=0"

# ---- an amended outcome says what it was in labels ----
app_start 120 30 CASELOAD_OFFICER=AB
wait_for "shown of"
keys / R 2 1 - 0 4 2 Enter
screen_has "1 shown of" "R21-042 once more (a wide window: the correction on one line)"
keys Enter
wait_for "Timeline"
keys m
screen_has "2022-02-28  outcome: Exclusion avoided" "m lists the outcome by its label"
keys Enter
screen_has "Amend the outcome" "the amendment form"
keys Right Tab Tab Tab 'wrong outcome' Enter
screen_has "Saved: outcome amended on R21-042" "saved"
keys NPage
screen_has "outcome: Permanently excluded" "the timeline: the amended outcome, a label"
screen_has "amended 2022-03-01 by AB: wrong outcome; was Exclusion avoided of 2022-02-28" \
    "and what it was, a label, not exclusion_avoided"
screen_lacks "exclusion_avoided" "no outcome code on the referral screen"
keys q q
wait_for "exit=0"


# ---- the command line keeps the codes ----
check_true "list --format csv still prints the codes" sh -c \
    "'$CASELOAD' --as-of $AS_OF list --format csv | grep -q ',attendance,.*open,'"
finish
