#!/bin/sh
# The child view (issue 11 item 7): `v` on the main screen and the referral screen shows one
# child — details, cohort and score as of the date shown, every referral (j/k select, Enter opens,
# q comes back), the whole chronology across the referrals, wrapped — and records the look in the
# access log; `L` shows the child's access log; `n` starts a referral with the child filled in,
# and a referral that duplicates a live one of the same child and issue asks first.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture
views() { # TABLE ROW: the access log's looks at that row, by officer AB
    sqlite3 "$CASELOAD_DB" "SELECT count(*) FROM audit WHERE action = 'view' AND tbl = '$1' AND row_id = $2 AND child_id = 18 AND officer = 'AB' AND os_user = '$(id -un)'"
}

app_start 80 24 CASELOAD_OFFICER=AB
wait_for "shown of"
# R21-042 is Ruby Johnson's (LA0018), as is R21-011: two referrals of one child.
keys / R 2 1 - 0 4 2 Enter
screen_has "1 shown of" "the filter finds R21-042"
keys v
screen_is child_view.txt "v: the child's details, cohort, score, both referrals, the chronology"
check_true "opening the child view is in the access log (ids only, officer and OS user)" \
    sh -c "[ \"\$(sqlite3 '$CASELOAD_DB' \"SELECT count(*) FROM audit WHERE action = 'view' AND tbl = 'children' AND row_id = 18 AND child_id = 18 AND officer = 'AB' AND os_user = '$(id -un)'\")\" = 1 ]"
"$CASELOAD" --as-of "$AS_OF" --officer AB sar LA0018 --format json -o "$TMPDIR_T/sar.json" 2>/dev/null
check_true "and in the child's subject access request" python3 -c "
import json, sys
log = json.load(open('$TMPDIR_T/sar.json'))['access_log']
sys.exit(0 if any(a['action'] == 'view' and a['table'] == 'children' and a['row_id'] == 18
                  and a['officer'] == 'AB' for a in log) else 1)"
screen_has "referral 1 of 2: R21-011" "the newest referral is selected"
keys j
screen_has "referral 2 of 2: R21-042" "j selects the next referral"
keys Enter
screen_has " R21-042  Ruby Johnson" "Enter opens the selected referral"
keys q
screen_has "referral 2 of 2: R21-042" "q comes back to the child view, the same referral selected"
keys k G
screen_has "(the start of the record)" "G goes to the end of the chronology"
screen_has "R21-042: referral received from Other" "the chronology holds the events of one referral"
screen_has "R21-011: referral received from Self-referral" "and of the other"
screen_has "episode: Child missing education open" "and the child's own events"
screen_has "              follow-up 2022-02-17" "an entry longer than the screen is wrapped under itself"
keys g

# ---- the access log ----
keys L
screen_has "Access log of Ruby Johnson, LA0018" "L: the child's access log"
screen_has "opened     child 18                     AB, OS user $(id -un)" "the look at the child view: what, which row, who"
screen_has "opened     referral 42                  AB, OS user $(id -un)" "and the look at the referral"
screen_lacks "Spoke to school" "ids only: no note"
keys q
screen_has "referral 1 of 2" "q comes back to the child view"
keys q
screen_has "1 shown of" "q again: the main screen"
keys Enter
screen_has " R21-042  Ruby Johnson" "the referral screen"
keys v
screen_has "Ruby Johnson  LA0018  score" "v on the referral screen: the child view"
keys q
screen_has " R21-042  Ruby Johnson" "q: back to the referral screen it was opened from"
keys L
screen_has "Access log of Ruby Johnson, LA0018" "L on the referral screen"
check_true "the child view opened twice, the referral twice: each look logged" \
    sh -c "[ \"\$(sqlite3 '$CASELOAD_DB' \"SELECT count(*) FROM audit WHERE action = 'view' AND child_id = 18\")\" = 4 ]"
keys q q

# ---- a new referral for the child, and the duplicate warning ----
keys v n
screen_has "Child: Ruby Johnson, born 2011-07-27" "n on the child view: the child filled in"
# Source: social worker; issue: Attendance, as the child's open R21-011 and R21-042.
keys Tab Tab ' ' Enter Tab Right Enter
screen_has "R21-011 (received 2021-11-15) is open for this issue. Save another? (y/n)" \
    "a referral duplicating a live one of the child and issue asks first"
keys n
screen_has "Not saved: R21-011 (received 2021-11-15) is this child's open referral" "n: not saved, the form says why"
keys Right
keys Enter
screen_has "Saved: referral R-2022-00001" "another issue (CME) saves without asking"
screen_has "Referrals (3, newest first)" "the child view shows the new referral"
check_true "the new referral is the child's" sh -c \
    "'$CASELOAD' --as-of $AS_OF export referrals | grep -q '^R-2022-00001,2022-03-01,social_worker,cme,.*,LA0018,'"
keys n Tab Tab ' ' Enter Tab Right Enter
screen_has "Save another? (y/n)" "asked again for Attendance"
keys y
screen_has "Saved: referral R-2022-00002" "y: saved all the same"
check_true "the second attendance referral is saved for the child" sh -c \
    "'$CASELOAD' --as-of $AS_OF export referrals | grep -q '^R-2022-00002,2022-03-01,social_worker,attendance,.*,LA0018,'"
keys n Tab Tab ' ' Enter Tab Right Right Enter
screen_has "R-2022-00001 (received 2022-03-01) is open for this issue" "CME again: the new one is a live duplicate too"
keys n Escape y
keys q
screen_has "shown of" "back on the main screen"

# ---- from the main screen too ----
keys n 'Ruby Joh' Enter
screen_has "Child: Ruby Johnson" "n on the main screen, the child found"
keys Tab Tab ' ' Enter Tab Right Enter
screen_has "is open for this issue. Save another? (y/n)" "the same warning on the main screen's n"
keys n Escape y
check_true "nothing saved after n" sh -c \
    "[ \"\$('$CASELOAD' --as-of $AS_OF export referrals | grep -c ',LA0018,')\" = 4 ]"
keys q
screen_has "exit=0" "quit"
finish
