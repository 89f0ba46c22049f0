#!/bin/sh
# The reports screen (`r`): the same tables and charts as `caseload report`, moving between
# reports, the period form, scrolling, and writing csv/md to a file without overwriting unasked.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture
umask 000 # report files are 0600 even so (issue 13)

app_start 80 24
keys r
screen_is report_summary_80x24.txt "r opens the reports screen on the summary of the academic year"
screen_has "Reports: Summary (1 of 5)   2021-09-01 to 2022-08-31" "title names the report and period"
screen_has "█" "bar charts of block characters"

keys j j
screen_has "lines 3-22 of" "j scrolls"
keys G
screen_has "Permanently excluded and exclusion avoided" "G scrolls to the notes at the end"
keys g

keys '?'
screen_has "Help: keys of the reports screen" "? lists the keys of the reports screen"
screen_has "write the report to a file as csv, md or xlsx" "help names w (from the key table)"
screen_has "summary, suspensions, attendance, cme, admissions" "help names 1-5"
keys q
screen_has "Reports: Summary (1 of 5)" "q leaves help"

keys Right
screen_has "Repeat suspensions (2 of 5)" "Right moves to the next report"
keys 3
screen_has "Persistent and severe absence by key stage" "3 picks the attendance report"
keys Left
screen_has "Repeat suspensions (2 of 5)" "Left moves back"
keys 5
screen_has "Placed within 20 school days" "5 picks admissions"

keys p
wait_for "Report period"
keys Tab C-u 2021-01-01 Enter
screen_has "the period ends before it starts" "a period ending before it starts is refused in the form"
keys C-u 31/12/2021 Enter
screen_has "Admissions (5 of 5)   2021-09-01 to 2021-12-31" "p changes the period (a UK date taken, as in every date field)"

OUTF="$TMPDIR_T/out.csv"
keys w
wait_for "Write the report to a file"
keys Tab C-u "$OUTF" Enter
screen_has "report written to" "w writes the report"
check_true "the file holds the csv" grep -q "^section,item,measure,value,percent,from,to,key" "$OUTF"
check_true "the file is 0600 under umask 000 (is $(stat -c %a "$OUTF"))" test "$(stat -c %a "$OUTF")" = 600
cp "$OUTF" "$TMPDIR_T/before.csv"

keys w
wait_for "Write the report to a file"
keys Right Tab C-u "$OUTF" Enter
screen_has "That file exists. Replace it?" "writing over a file asks first"
keys n
screen_has "not written: the file exists" "no leaves the file alone"
check_true "the file is unchanged" cmp "$OUTF" "$TMPDIR_T/before.csv"
keys Enter
wait_for "That file exists. Replace it?"
keys y
screen_has "report written to" "yes replaces it"
check_true "the file now holds the md" grep -q "^# Admissions report" "$OUTF"
check_true "the replaced file is 0600 too" test "$(stat -c %a "$OUTF")" = 600
check_true "no temporary file is left beside it" test -z "$(ls -A "$TMPDIR_T" | grep '^\.out')"

keys q
screen_has "All referrals" "q goes back to the main screen"

# ~ is the home folder; the file is the user's alone; the message gives the full path.
keys q
app_start 100 30 "HOME='$TMPDIR_T'"
wait_for "shown of"
keys r
wait_for "Summary"
keys w
wait_for "Write the report to a file"
keys Tab C-u "~/home.csv" Enter
screen_has "report written to $TMPDIR_T/home.csv" "~ expands to the home folder, the full path said"
check_true "the file is 0600" sh -c "[ \"\$(stat -c %a '$TMPDIR_T/home.csv')\" = 600 ]"
finish
