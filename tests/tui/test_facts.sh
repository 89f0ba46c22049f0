#!/bin/sh
# The facts the score is made of, recorded from the referral screen (issue 11 item 5): x a
# suspension or permanent exclusion, t an attendance record, P an episode opened and ended, E the
# child's care status, SEN, school (picked from the known schools by typing), youth justice and
# social_work_ended. Each form: filled and saved, then the command line shows the fact stored
# (export), audited in the child's access log (sar) and the score changed (score --as-of); a bad
# value refused with its field's rule and nothing saved; and E between two copies of the app: a
# colleague's change kept, an overwrite stopped with both values shown.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture

cl() { "$CASELOAD" --as-of "$AS_OF" "$@"; }
factor() { # CHILD FACTOR [AS_OF]: the factor's value in `score --format json`
    "$CASELOAD" --as-of "${3:-$AS_OF}" score "$1" --format json | python3 -c "
import json, sys
print([f['value'] for f in json.load(sys.stdin)['factors'] if f['factor'] == '$2'][0])"
}
total() { "$CASELOAD" --as-of "$AS_OF" score "$1" --format json | python3 -c "
import json, sys
print(json.load(sys.stdin)['score'])"; }
logged() { # CHILD ACTION TABLE: how many rows of the child's access log say ACTION on TABLE
    rm -f "$TMPDIR_T/sar.json"
    cl --officer AB sar "$1" -o "$TMPDIR_T/sar.json" --format json >/dev/null
    python3 - "$TMPDIR_T/sar.json" "$2" "$3" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(sum(1 for a in d["access_log"] if a["action"] == sys.argv[2] and a["table"] == sys.argv[3]))
PY
}
rows() { cl export "$1" | grep -c "LA0012" || true; }

# R21-002 is a CME referral of Lily Williams (LA0012): looked after (4), nothing else.
check_true "Lily starts at score 4" test "$(total LA0012)" = 4
check_true "the CME referral scores cme 0: no episode could be opened" test "$(factor LA0012 cme)" = 0
app_start 80 24
wait_for "shown of"
keys / R 2 1 - 0 0 2 Enter Enter
screen_has "R21-002  Lily Williams" "the referral screen of R21-002"

# ---- x: a suspension ----
keys x
screen_has "Add a suspension or permanent exclusion" "x opens the exclusion form"
screen_has "Child: Lily Williams (LA0012)" "for the referral's child"
keys Tab C-u 2022-02-14 Tab 0 Enter
screen_has "Days (e.g. 2.5): '0' is not a number of days above 0" "days 0 refused with the rule's message"
check_true "nothing saved" test "$(rows exclusions)" = 0
keys BSpace 3 Tab ' '
screen_has "PP  Physical assault against a pupil" "the DfE reason codes listed with their labels"
keys G
screen_has "│>  PH  Wilful and repeated transgression of protective measures in place  │" "a label longer than the list is wide: its first row, cut at a space"
screen_has "│   to protect public health " "and the rest on the next, under the label, not cut"
keys g
keys Down Enter Enter
screen_has "Saved: Suspension of Lily Williams" "saved"
check_true "the suspension is stored" sh -c "'$CASELOAD' --as-of $AS_OF export exclusions | grep -qx ',LA0012,2022-02-14,suspension,3,PP,100003'"
check_true "audited in the child's access log" test "$(logged LA0012 insert exclusions)" = 1
check_true "the score counts it" test "$(factor LA0012 suspensions)/$(total LA0012)" = 1/6
screen_has "score 6" "the referral screen shows the new score"

# ---- t: an attendance record ----
keys t
screen_has "Add an attendance record" "t opens the attendance form"
keys 2022-01-04 Tab C-u 2022-03-02 Tab 60 Tab 70 Enter
screen_has "To: '2022-03-02' is after today (2022-03-01)" "a record to after today refused (as import refuses it), the focus on To"
keys C-u 2022-02-11 Enter
screen_has "Attended sessions: 70 is more than possible_sessions 60" "more attended than possible refused"
check_true "nothing saved" test "$(rows attendance)" = 0
keys C-u 25 Enter
screen_has "Saved: attendance record of Lily Williams" "saved"
check_true "the record is stored" sh -c "'$CASELOAD' --as-of $AS_OF export attendance | grep -qx ',LA0012,2022-01-04,2022-02-11,60,25'"
check_true "audited" test "$(logged LA0012 insert attendance)" = 1
check_true "41.7%: attendance below 50" test "$(factor LA0012 attendance_below_50)/$(total LA0012)" = 1/14

# ---- P: an episode opened, then ended ----
keys P
screen_has "Open an episode" "P with none open: the form to open one"
keys ' '
screen_has "Child missing education" "the kinds listed by label"
keys Enter Tab C-u 2022-03-02 Enter
screen_has "Start: '2022-03-02' is after today (2022-03-01)" "a start after today refused"
check_true "nothing saved" test "$(rows episodes)" = 0
keys C-u 2022-02-21 Enter
screen_has "Saved: Child missing education opened for Lily Williams" "saved"
check_true "the episode is stored, open" sh -c "'$CASELOAD' --as-of $AS_OF export episodes | grep -qx ',LA0012,cme,2022-02-21,,,'"
check_true "audited" test "$(logged LA0012 insert episodes)" = 1
check_true "the CME referral now scores cme" test "$(factor LA0012 cme)/$(total LA0012)" = 1/24
keys P
screen_has "End: Child missing education, open since 2022-02-21" "P with one open: end it, or open another"
keys Enter
screen_has "End an episode" "ending it"
keys C-u 2022-02-20 Enter
screen_has "Ended on: '2022-02-20' is before the episode's start (2022-02-21)" "an end before the start refused"
keys C-u 2022-03-02 Enter
screen_has "Ended on: '2022-03-02' is after today (2022-03-01)" "an end after today refused (as import and sync resolve)"
check_true "nothing saved" sh -c "'$CASELOAD' --as-of $AS_OF export episodes | grep -qx ',LA0012,cme,2022-02-21,,,'"
keys C-u 2022-02-28 Enter
screen_has "Saved: Child missing education ended for Lily Williams" "saved"
check_true "the end is stored" sh -c "'$CASELOAD' --as-of $AS_OF export episodes | grep -qx ',LA0012,cme,2022-02-21,2022-02-28,,'"
check_true "audited" test "$(logged LA0012 update episodes)" = 1
check_true "cme as of the day before the end" test "$(factor LA0012 cme 2022-02-27)" = 1
check_true "no cme from the end on" test "$(factor LA0012 cme)/$(total LA0012)" = 0/14

# ---- E: the child ----
keys E
screen_is facts_child_edit.txt "E: care status, SEN and need, school, youth justice, social work ended"
keys Tab Tab Tab C-u r i v
screen_has "100002 Riverside Academy" "typing narrows the schools"
keys Enter Tab y Tab 2022-03-02 Enter
screen_has "Social work ended: '2022-03-02' is after today (2022-03-01)" "a date after today refused"
check_true "nothing saved" sh -c "'$CASELOAD' --as-of $AS_OF export children | grep -q ',LA0012,Lily,Williams,2005-01-09,female,100003,'"
keys C-u Enter
screen_has "Saved: Lily Williams" "saved"
check_true "school and youth justice stored" sh -c "'$CASELOAD' --as-of $AS_OF export children | grep -q ',LA0012,Lily,Williams,2005-01-09,female,100002,Riverside Academy,cla,none,,yes,'"
check_true "audited" test "$(logged LA0012 update children)" = 1
check_true "youth justice scores" test "$(factor LA0012 youth_justice)/$(total LA0012)" = 1/20
keys q q
screen_has "exit=0" "quit"

# ---- E in two copies of the app ----
app_start 100 30
wait_for "shown of"
app_b_start
b_has "shown of" "app B is open on the same database"
keys / R 2 1 - 0 0 2 Enter Enter E
screen_has "Edit the child" "A: E opens the child's form"
b_keys / R 2 1 - 0 0 2 Enter Enter E
b_has "Edit the child" "B: the same child's form"
# B: child in need; A, opened before, changes only the SEN status: B's change kept.
b_keys ' ' Home Enter Enter
b_has "Saved: Lily Williams" "B saves care status cin"
keys Tab ' ' End Enter Enter
screen_has "Saved: Lily Williams" "A saves SEN status EHCP in progress"
check_true "both changes kept" sh -c "'$CASELOAD' --as-of $AS_OF export children | grep -q ',LA0012,.*,cin,ehcp_in_progress,'"
# Both change the care status: the later save is stopped and shows both values.
keys E
screen_has "Edit the child" "A opens the form again"
b_keys E
b_has "Edit the child" "B too"
b_keys Right Enter
b_has "Saved: Lily Williams" "B saves care status cp"
keys Right Right Enter
screen_has "changed meanwhile to 'cp' (it was 'cin' when the form opened; yours: 'cla')" "A's save is stopped: both values shown"
screen_has "saves yours over it" "and it asks"
check_true "nothing overwritten" sh -c "'$CASELOAD' --as-of $AS_OF export children | grep -q ',LA0012,.*,cp,ehcp_in_progress,'"
keys Enter
screen_has "Saved: Lily Williams" "Enter again: A's value saved, knowingly"
check_true "care status cla" sh -c "'$CASELOAD' --as-of $AS_OF export children | grep -q ',LA0012,.*,cla,ehcp_in_progress,'"
b_keys Escape q

# ---- the same keys on the child view ----
keys v
screen_has "Referrals (" "v: the child view of Lily Williams"
keys t
screen_has "Add an attendance record" "t on the child view opens the attendance form"
screen_has "Child: Lily Williams (LA0012)" "for the child shown"
keys 2022-02-14 Tab C-u 2022-02-25 Tab 20 Tab 15 Enter
screen_has "Saved: attendance record of Lily Williams" "saved from the child view"
check_true "the record is stored" sh -c "'$CASELOAD' --as-of $AS_OF export attendance | grep -qx ',LA0012,2022-02-14,2022-02-25,20,15'"
keys q
keys q q
screen_has "exit=0" "quit"
finish
