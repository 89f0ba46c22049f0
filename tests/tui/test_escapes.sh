#!/bin/sh
# Output on a terminal is made safe (SPEC section 6, issue 13 point 6): a child's name holding
# escape sequences (retitle the window, clear the screen, OSC 52 to write the clipboard) and a
# right-to-left override reaches a terminal through no command: `list` in every format, `export`
# in csv and json, `report` and `score` print them as '?' when standard output is a terminal.
# To a file or a pipe, csv stays byte for byte what the database holds (json escapes them).
. "$SOURCE_ROOT/tests/tui/lib.sh"
export CASELOAD_DB="$TMPDIR_T/escapes.db"
DATA="$SOURCE_ROOT/tests/cli/data"
for k in referrals children; do
    "$CASELOAD" --as-of 2024-02-01 import $k "$DATA/import-$k.csv" >/dev/null || exit 1
done
# Written with sqlite3, not import: import refuses such names (that is import's own test).
sqlite3 "$CASELOAD_DB" "UPDATE children SET first_name = 'Evil' || char(27) || ']2;PWNED' ||
    char(7) || char(27) || '[2J' || char(27) || '[H' || char(27) || ']52;c;UFdORUQ=' || char(7) ||
    char(8238) || 'eman' WHERE upn = 'B801200005001'" || exit 1

# Each command in turn on the pane's terminal; the shell prints a marker before and after.
cat >"$TMPDIR_T/run.sh" <<SH
echo BEFORE-THE-COMMANDS
'$CASELOAD' --as-of 2024-02-01 list --format csv
'$CASELOAD' --as-of 2024-02-01 list --format json
'$CASELOAD' --as-of 2024-02-01 list
'$CASELOAD' --as-of 2024-02-01 export children
'$CASELOAD' --as-of 2024-02-01 export referrals --format json
'$CASELOAD' --as-of 2024-02-01 export children --excel
'$CASELOAD' --as-of 2024-02-01 score B801200005001
echo ALL-DONE
sleep 600
SH
tmux -L "$SOCK" -f /dev/null new-session -d -s t -x 220 -y 150 "sh '$TMPDIR_T/run.sh'"
tmux -L "$SOCK" set-option -t t status off >/dev/null
tmux -L "$SOCK" set-option -s set-clipboard on >/dev/null
tmux -L "$SOCK" select-pane -t t -T caseload-test-title
screen_has "ALL-DONE" "the commands ran"
title=$(tmux -L "$SOCK" display-message -p -t t '#{pane_title}')
check_true "the pane title is unchanged (was: $title)" test "$title" = caseload-test-title
screen_has "BEFORE-THE-COMMANDS" "the screen was not cleared"
check_true "nothing reached the clipboard (OSC 52)" \
    test -z "$(tmux -L "$SOCK" list-buffers 2>/dev/null)"
screen_has "Evil?]2;PWNED??[2J?[H?]52;c;UFdORUQ=??eman,O'Brien" "csv shows each control as one ?"
screen_has "Evil?" "json and the table too"
screen_lacks "$(printf '\342\200\256')" "no right-to-left override on screen"

# To a file: byte for byte.
"$CASELOAD" --as-of 2024-02-01 export children >"$TMPDIR_T/children.csv"
check_true "export to a file keeps the bytes" \
    grep -q "$(printf 'Evil\033]2;PWNED\007')" "$TMPDIR_T/children.csv"
"$CASELOAD" --as-of 2024-02-01 list --format csv | cat >"$TMPDIR_T/list.csv"
check_true "list through a pipe keeps the bytes" \
    grep -q "$(printf '\033\[2J\033\[H')" "$TMPDIR_T/list.csv"
"$CASELOAD" --as-of 2024-02-01 export children --format json >"$TMPDIR_T/children.json"
check_true "json escapes them itself" grep -qF 'Evil\u001b]2;PWNED\u0007' "$TMPDIR_T/children.json"
finish
