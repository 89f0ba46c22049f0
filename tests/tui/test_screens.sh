#!/bin/sh
# The screens as a stack and the shared text view (issue 8): help scrolls like every text (j/k,
# PgDn/PgUp, g/G) when its keys do not fit; each screen goes back on q to the one it was opened
# from, whichever that was; a resize on a screen opened over another redraws it in place.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture

app_start 80 24
wait_for "shown of"
keys '?'
screen_has "Help: keys of the main screen" "? opens the main screen's help"
screen_has "j Down       move down" "help starts at the top"
screen_lacks "q            quit" "at 80x24 the last key is below the screen"
keys G
screen_has "q            quit" "G shows the end of help"
screen_lacks "j Down       move down" "and the top has scrolled away"
keys g
screen_has "j Down       move down" "g goes back to the top of help"
keys NPage
screen_has "q            quit" "PgDn pages help"
keys PPage
screen_has "j Down       move down" "PgUp pages back"
keys q
screen_has "shown of" "q leaves help back to the main screen"

# main > referral > help > referral > main, and main > reports > help > reports > main.
keys Enter
wait_for "lines 1-"
keys '?'
screen_has "Help: keys of the referral screen" "? on the referral screen: its own help"
keys q
screen_has "lines 1-" "q goes back to the referral screen"
keys r
screen_has "lines 1-" "a key of another screen does nothing here (r is the main screen's)"
keys q
screen_has "shown of" "q goes back to the main screen"
keys r
wait_for "Reports: Summary"
tmux -L "$SOCK" resize-window -t t -x 100 -y 30
screen_has "Reports: Summary (1 of 5)" "a resize redraws the reports screen"
keys '?'
screen_has "Help: keys of the reports screen" "? on the reports screen: its own help"
keys Escape
screen_has "Reports: Summary (1 of 5)" "Esc goes back to the reports"
keys q
screen_has "shown of" "q goes back to the main screen"
keys q
screen_has "exit=0" "q on the main screen quits"
finish
