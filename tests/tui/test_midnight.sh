#!/bin/sh
# An app left open past midnight (issue 13 point 1): without --as-of, today is the local date, so
# when the day changes the app shows the new date and the scores as of it. The clock is moved with
# faketime (Debian's faketime package): the app starts at 23:59:57 and the test waits for the day
# to turn. The scored fact is a CME episode that ends on the new day (open on the old day only),
# imported as of that day (an end is of what has happened: not after the day it is recorded).
. "$SOURCE_ROOT/tests/tui/lib.sh"

if ! command -v faketime >/dev/null 2>&1; then
    t_notok "faketime is installed (.ci/run installs it)"
    finish
    exit 1
fi

header=ref,received,source,issue,upn,la_child_id,first_name,last_name,dob,care_status,sen
printf '%s\nM-1,2026-11-02,school,cme,,MID-1,Ann,Night,2012-02-02,cin,none\n' "$header" \
    >"$TMPDIR_T/r.csv"
printf 'la_child_id,kind,start,end\nMID-1,cme,2026-11-01,2026-11-21\n' >"$TMPDIR_T/e.csv"
"$CASELOAD" --as-of 2026-11-20 import referrals "$TMPDIR_T/r.csv" >/dev/null &&
    "$CASELOAD" --as-of 2026-11-21 import episodes "$TMPDIR_T/e.csv" >/dev/null
check_true "the fixture imports" test $? -eq 0

# ASan wants its runtime first among the preloaded libraries; faketime's comes first here.
tmux -L "$SOCK" -f /dev/null new-session -d -s t -x 100 -y 30 \
    "env TERM=screen ASAN_OPTIONS=verify_asan_link_order=0 faketime '2026-11-20 23:59:57' \
     '$CASELOAD'; echo exit=\$?; sleep 600"
tmux -L "$SOCK" set-option -t t status off >/dev/null
wait_for "(as of 2026-11-20)"
screen_has "(as of 2026-11-20)" "before midnight the app shows 2026-11-20"
capture
check_true "the child scores 13 with the CME episode open (cme 10, cin 3)" \
    grep -q "  13 Ann Night" "$SCREEN"
wait_for "(as of 2026-11-21)"
screen_has "(as of 2026-11-21)" "after midnight the app shows the new date by itself"
capture
check_true "and the score as of the new day: the episode ended, 3 (cin)" \
    grep -q "   3 Ann Night" "$SCREEN"
keys q
wait_for "exit=0"
screen_has "exit=0" "q quits"
app_stop
finish
