#!/bin/sh
# The forms of the app at 80x24: the whole new-referral flow (finding a child by name, date of
# birth and UPN; a new child with the UPN checked as typed; the duplicate warning, both creating
# anyway and taking the existing child), adding an action and seeing it in the timeline after
# restarting the app, recording an outcome, closing, editing, the filters, Esc asking before
# discarding what was typed, and a busy database reported in the form with nothing lost.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture
# A child with an apostrophe in her name, one with a last name of three words, one with a second
# given name and a double-barrelled last name (no referral: the list stays as it is).
printf "la_child_id,first_name,last_name,dob,care_status,sen\nLA-OB1,Siobhan,O'Brien,2013-03-03,cin,none\nLA-VB1,Tom,van der Berg,2013-04-04,cin,none\nLA-AK1,Amy Jane,Patel-Khan,2013-05-05,cin,none\n" \
    >"$TMPDIR_T/obrien.csv"
"$CASELOAD" --as-of "$AS_OF" import children "$TMPDIR_T/obrien.csv" >/dev/null

count() { # KIND: rows of `caseload export KIND` (header excluded)
    "$CASELOAD" --as-of "$AS_OF" export "$1" | tail -n +2 | wc -l
}

children0=$(count children)
app_start 80 24
wait_for "34 shown of 45"

# ---- finding the child ----
keys n
screen_has "New referral: find the child" "n opens the new referral: first find the child"
keys s m y
screen_has "Smyth, Jon" "a name prefix finds the child"
keys C-u 2014-05-05
screen_has "Smyth, Jon" "a date of birth finds the child"
keys C-u l801200000031
screen_has "Smyth, Jon" "a UPN (any case) finds the child"
keys C-u 'zoe odeg'
screen_has "Ødegård, Zoë" "the child finder ignores accents and case"
keys C-u OBrien
screen_has "O'Brien, Siobhan" "OBrien finds O'Brien (names keyed as name_key keys them)"
keys C-u 'tom van der berg'
screen_has "van der Berg, Tom" "every word typed counts: 'tom van der berg' finds Tom van der Berg"
keys C-u 'van der berg, tom'
screen_has "van der Berg, Tom" "and 'van der berg, tom' as a register writes it"
keys C-u berg
screen_has "van der Berg, Tom" "any word of a name finds the child: 'berg' finds Tom van der Berg"
keys C-u jane
screen_has "Patel-Khan, Amy Jane" "'jane' finds Amy Jane (a second given name)"
keys C-u khan
screen_has "Patel-Khan, Amy Jane" "'khan' finds Patel-Khan (a double-barrelled name)"
keys C-u 'jane khan'
screen_has "Patel-Khan, Amy Jane" "'jane khan': a later word of each name"
keys C-u 05/05/2014
screen_has "Smyth, Jon" "a date of birth typed as a UK date (DD/MM/YYYY) finds the child too"
keys C-u 'John Smyth'
screen_has "+ New child (not in this list)" "no match: only 'new child' is offered"
keys Enter
screen_is forms_new_child.txt "new child: the form, names taken from the search"

# ---- the new child, UPN checked as typed ----
keys Tab Tab 2014-05-05 Tab Right Right Tab b8012000050
screen_has "11 of 13 characters" "UPN: progress while typing"
keys 0 2
screen_has "invalid: check letter is 'B', expected 'Q'" "UPN: a wrong check letter is shown at once"
keys C-u G80120000101A
screen_has "valid (temporary)" "UPN: a temporary UPN"
keys C-u b801200005001
screen_has "B801200005001" "UPN: typed in lower case, shown upper case"
screen_has "] valid" "UPN: valid"
tmux -L "$SOCK" resize-window -t t -x 79 -y 24
screen_has "terminal too small (need 80" "a form below 80x24 says the terminal is too small"
tmux -L "$SOCK" resize-window -t t -x 100 -y 30
screen_has "New referral: a new child" "a larger window draws the form again"
tmux -L "$SOCK" resize-window -t t -x 80 -y 24
screen_has "B801200005001" "back at 80x24, with what was typed"
keys Enter
screen_has "Care status: choose one" "Enter with a required code missing says which"
keys ' '
screen_has "Child in need" "Space opens the list of codes, shown by label"
keys Down Enter Tab Right
screen_has "No SEN" "Right picks the next code in place"
keys Enter
screen_is forms_duplicates.txt "before creating: likely duplicates (same date of birth, similar name)"
keys Escape
screen_has "New referral: a new child" "Esc on the duplicates goes back to the form, nothing lost"
screen_has "B801200005001" "what was typed is still there"
keys Enter
screen_has "Use Jon Smyth" "the duplicates again"
keys Down Enter
screen_is forms_referral.txt "create anyway: the referral form with generated ref, today, officer"

# ---- the referral ----
keys Tab Tab ' ' Enter Tab Right Right Tab ' ' Down Down Down Down ' ' Enter Tab y
keys Tab Tab Tab Tab 'Not attending since January'
keys C-s
screen_has "Create officer TEST? It is not a known one. (y/n)" "an officer not known yet (\$CASELOAD_OFFICER) only after asking"
keys y
screen_has "Saved: referral R-2022-00001" "Enter saves: shown in the status line"
screen_has "All           35" "the list has the new referral"
check_true "the new child is in the database" sh -c "'$CASELOAD' --as-of $AS_OF export children | grep -q 'B801200005001,,John,Smyth,2014-05-05,male'"
check_true "the referral is in the database" sh -c "'$CASELOAD' --as-of $AS_OF export referrals | grep 'R-2022-00001,2022-03-01,social_worker,cme,sen,yes' | grep -q 'B801200005001'"

# ---- a duplicate taken instead of a new child ----
keys n C-u 'Jonny Smyth' Enter
keys Tab Tab 2014-05-05 Tab Tab Tab LA9999 Tab Tab Tab ' ' Enter Tab ' ' Enter Enter
screen_has "Use John Smyth" "the child just created is a likely duplicate too"
screen_has "Use Jon Smyth" "and the one already there"
keys Enter
screen_has "Child: Jon Smyth, born 2014-05-05" "taking the existing child: the referral is for that child"
keys Tab Tab ' ' Enter Tab ' ' Enter Enter
screen_has "Saved: referral R-2022-00002" "saved for the existing child"
check_true "no child was added for it" sh -c "[ $(count children) -eq $((children0 + 1)) ]"

# ---- add an action, see it after restarting ----
keys / R - 2 0 2 2 - 0 0 0 0 1 Enter
screen_has "1 shown of" "the / filter finds the new referral"
keys a
screen_has "Add an action" "a opens the action form"
screen_has "Referral R-2022-00001: John Smyth" "for the selected referral"
keys Escape
screen_has "shown of" "Esc with nothing typed leaves at once"
keys a ' ' Down Down Enter Tab Tab Tab 'Home visit booked, Zoë' Tab 2022-03-1
screen_has "YYYY-MM-DD or DD/MM/YYYY" "a date being typed is not yet a date: the note says both forms"
screen_has "YYYY-MM-DD or DD/MM/YYYY  Tab/Down next" "so does the hint line"
keys 0
screen_has "Thursday" "a complete date is checked (its weekday shown)"
keys Enter
screen_has "Saved: action on R-2022-00001" "the action is saved"
keys q
screen_has "exit=0" "quit"
app_start 80 24
wait_for "shown of"
keys / R - 2 0 2 2 - 0 0 0 0 1 Enter Enter G
screen_has "action Meeting (TEST): Home visit booked, Zoë" "after restarting, the action is in the timeline"
screen_has "Home visit booked, Zoë" "the entry wrapped, not cut"
screen_has "2022-03-10" "with its follow-up"
check_true "the action is in the database" sh -c "'$CASELOAD' --as-of $AS_OF export actions | grep -q 'R-2022-00001,2022-03-01,TEST,meeting,\"Home visit booked, Zoë\",2022-03-10'"

# ---- Esc asks before discarding ----
keys o
screen_has "Record an outcome" "o opens the outcome form"
keys Tab Tab 'half typed'
keys Escape
screen_has "Discard what you typed? (y/n)" "Esc after typing asks first"
keys n
screen_has "half typed" "n: back to the form, the text kept"
keys Escape y
screen_has "Timeline (newest first)" "y: discarded, back to the detail"
check_true "nothing was saved" sh -c "[ $(count outcomes) -eq $(cd "$TMPDIR_T" && "$CASELOAD" --as-of $AS_OF export outcomes | tail -n +2 | wc -l) ]"
outcomes0=$(count outcomes)

# ---- outcome, close, edit ----
keys o Enter
screen_has "Outcome: choose one" "an outcome is required"
keys ' ' Down Down Down Enter Enter
screen_has "Saved: outcome of R-2022-00001" "the outcome is saved"
check_true "one outcome more" sh -c "[ $(count outcomes) -eq $((outcomes0 + 1)) ]"
keys c ' ' Enter Enter
screen_has "Saved: R-2022-00001 closed" "c closes with an outcome"
check_true "closed with the date" sh -c "'$CASELOAD' --as-of $AS_OF export referrals | grep 'R-2022-00001' | grep -q 'closed,2022-03-01'"
keys c
screen_has "R-2022-00001 is already closed" "closing twice is refused"
keys a
screen_has "This referral is closed. Add an action to it anyway?" "a on a closed referral asks first"
keys n
screen_lacks "Add an action" "n: no form"
keys o
screen_has "This referral is closed. Record an outcome of it anyway?" "o on a closed referral asks first"
keys n
keys e
screen_is forms_edit.txt "e: status, officer, issue and risk flag, as they are"
keys Left Tab C-u CD Tab Right Tab n Enter
screen_has "Saved: R-2022-00001" "the edit is saved"
check_true "edited: reopened, officer, issue, flag" sh -c "'$CASELOAD' --as-of $AS_OF export referrals | grep 'R-2022-00001' | grep -q 'R-2022-00001,2022-03-01,social_worker,exclusion,sen,no,.*,CD,open,,'"
keys e Right Enter
screen_has "closed with its outcome (key c)" "e cannot close: closing needs its outcome"
keys Escape y
keys q

# ---- filters ----
keys Escape f
screen_is forms_filters.txt "f opens the filters"
keys Right Right Tab Tab Tab ' ' Down Down Enter Enter
screen_has "status Open" "the filter is applied and shown"
keys f Left Left Tab Tab Tab Left Left Enter
screen_has "Filter: status New or Open" "choosing the defaults again: the live referrals"
screen_has "All           36" "all of them shown"

# ---- a busy database: the error in the form, nothing typed lost ----
keys q
screen_has "exit=0" "quit"
app_start 80 24 CASELOAD_BUSY_TIMEOUT_MS=100
wait_for "shown of"
python3 - "$CASELOAD_DB" "$TMPDIR_T/hold" "$TMPDIR_T/held" <<'PY' &
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
open(sys.argv[2], "w").close()
db.execute("BEGIN IMMEDIATE")
open(sys.argv[3], "w").close()
while os.path.exists(sys.argv[2]):
    time.sleep(0.05)
db.execute("ROLLBACK")
PY
while [ ! -f "$TMPDIR_T/held" ]; do sleep 0.05; done
keys a ' ' Enter Tab Tab Tab 'typed while busy' C-s
screen_has "database is busy" "a locked database is reported in the form"
screen_has "typed while busy" "and what was typed is kept"
rm -f "$TMPDIR_T/hold"
wait
keys C-s
screen_has "Saved: action on" "once free, Enter saves it"
keys q
screen_has "exit=0" "quit"

# ---- a name of 13 letters is a name: only what has a UPN's shape (upn_shaped) is taken for one ----
app_start 80 24
wait_for "shown of"
keys n Wolfeschlegel
screen_has "+ New child (not in this list)" "a 13-letter name finds nobody"
keys Enter
screen_has "Last name *           [Wolfeschlegel" "and fills the new child's last name, as the finder read it"
screen_lacks "WOLFESCHLEGEL" "not the UPN"

finish
