#!/bin/sh
# The conflicts screen (SPEC section 9, key C on the main screen): a hub and its laptop copy change
# the same fields of two referrals and make a referral of the same ref (from the command line), the
# packs go both ways, and on the hub C lists the four conflicts with the hub's and the laptop's values side by side (a code by its
# label, a date as a date). One is resolved by keeping the hub's value (K), one by taking the
# laptop's (T), one by typing a value (E; a date after today is refused in the form with the
# rule's message and nothing saved), the duplicate by typing a key of its own (T refused). The command line then sees them resolved and the fields
# holding the decisions, and the next pack brings the laptop copy to the same values.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture

cd "$TMPDIR_T" || exit 1
cl() { # DB ARGS...: the command line on DB
    db=$1
    shift
    "$CASELOAD" --db "$db" --as-of "$AS_OF" "$@" >"$TMPDIR_T/out" 2>"$TMPDIR_T/err"
}
field() { # DB REF COLUMN
    sqlite3 -readonly "$1" "SELECT $3 FROM referrals WHERE ref = '$2'"
}
edit() { # [--only] IN OUT REF COLUMN VALUE...: a copy of a CSV file with those cells changed
    python3 "$SOURCE_ROOT/tests/csv_edit.py" "$@"
}

HUB=$CASELOAD_DB
cl "$HUB" sync checkout l2.db --name L2
cl "$HUB" export referrals -o base.csv
edit --only base.csv hub.csv R21-002 summary "hub words" R21-002 issue ehe R21-003 received 2021-11-16
edit --only base.csv lap.csv R21-002 summary "laptop words" R21-002 issue neet R21-003 received 2021-11-17
# And a new referral with the same ref on both: a duplicate.
edit --only base.csv dup.csv R21-001 ref R21-900
cl "$HUB" import referrals hub.csv
cl "$HUB" import referrals dup.csv
cl l2.db import referrals lap.csv
cl l2.db import referrals dup.csv
cl l2.db sync with "$HUB"
check_true "the command line made three field conflicts and a duplicate" test "$(sqlite3 -readonly "$HUB" \
    "SELECT group_concat(kind, ' ') FROM (SELECT kind FROM conflicts WHERE state = 'open' ORDER BY kind)")" = \
    "duplicate field field field"

app_start 80 24
wait_for "referrals"
screen_has "4 to review" "the status line counts the four conflicts"
keys C
screen_has "Conflicts between copies" "C opens the conflicts screen"
screen_has "Elective home" "the hub's value of a code is shown by its label"
screen_has "L2: NEET" "... beside the laptop's, named by the laptop copy"
screen_has "hub words" "a summary: the hub's value"
screen_has "L2: laptop words" "... and the laptop's side by side"
screen_has "16 November 2021" "a date is shown as a date"
screen_has "K keep" "the hint line shows the keys to resolve"
keys '?'
screen_has "take the laptop" "? lists the keys of the conflicts screen"
keys q
wait_for "Conflicts between copies"

# The rows are oldest first, found in one apply: ordered by their ids. Pick each by its field.
row_at() { # N: waits (up to 10 s) until the list's row N (1: the first) is the selected one
    i=0
    while [ $i -lt 50 ]; do
        capture
        if sed -n "$(($1 + 2))p" "$SCREEN" | grep -q '^>'; then return 0; fi
        sleep 0.2
        i=$((i + 1))
    done
    return 1
}
row_of() { # TEXT: moves the selection to the row showing TEXT, one key at a time
    keys g
    row_at 1 || return 1
    n=1
    while [ $n -le 6 ]; do
        if grep -qE "^>.*$1" "$SCREEN"; then return 0; fi
        keys j
        n=$((n + 1))
        row_at $n || return 1
    done
    return 1
}

check_true "the summary's row can be selected" row_of "Summary"
keys K
screen_has "kept the hub's value" "K keeps the hub's value"
screen_has "3 to review" "... and the count goes down"
check_true "the issue's row can be selected" row_of "Issue"
keys T
screen_has "took the laptop's value" "T takes the laptop's value"
screen_has "2 to review" "... and the count goes down again"
check_true "the date's row can be selected" row_of "Received"
keys E
screen_has "Resolve: type the value to keep" "E opens a form to type a value"
screen_has "2021-11-16" "... holding the current value as one would type it"
keys C-u 2030-01-01 Enter
screen_has "received: is after today (2022-03-01)" "a bad value: the field rule's message in the form"
check_true "... and nothing saved" test "$(sqlite3 -readonly "$HUB" \
    "SELECT count(*) FROM conflicts WHERE state = 'open'")" = 2
keys C-u 15/01/2022 Enter
screen_has "set to the value typed" "a good value resolves it"
check_true "the duplicate's row can be selected" row_of "Ref"
screen_has "the same key made on both copies" "... the pane says what happened"
keys T
screen_has "both rows of a duplicate are kept" "T on a duplicate says why it cannot take"
keys E
screen_has "a key of its own" "E on a duplicate asks for a key of its own"
screen_has "R21-900-L2" "... holding the key the laptop's row has now"
keys C-u R21-901 Enter
screen_has "set to the value typed" "... and gives it"
screen_has "No open conflicts" "the list is empty"
screen_lacks "to review" "... and the status line says nothing of conflicts"
keys q
screen_has "referrals" "q goes back to the main screen"
app_stop

cl "$HUB" sync conflicts --format json
check_true "the command line sees no open conflict" python3 -c '
import json, sys
assert json.load(open(sys.argv[1])) == []' "$TMPDIR_T/out"
cl "$HUB" sync conflicts --all --format json
check_true "... and four resolved" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert sorted((x["field"], x["state"]) for x in d) == [("issue", "resolved"),
    ("received", "resolved"), ("ref", "resolved"), ("summary", "resolved")], d' "$TMPDIR_T/out"
check_true "the fields hold the decisions (kept, taken, typed)" test \
    "$(field "$HUB" R21-002 summary)|$(field "$HUB" R21-002 issue)|$(field "$HUB" R21-003 received)" = \
    "hub words|neet|2022-01-15"
check_true "the resolutions are audited" test "$(sqlite3 -readonly "$HUB" \
    "SELECT count(*) FROM audit WHERE action = 'resolve'")" = 4
cl l2.db sync with "$HUB"
check_true "the next pack brings the laptop copy to the same values" test \
    "$(field l2.db R21-002 summary)|$(field l2.db R21-002 issue)|$(field l2.db R21-003 received)" = \
    "hub words|neet|2022-01-15"
check_true "... the laptop's duplicate under the key typed" test \
    "$(sqlite3 -readonly l2.db "SELECT count(*) FROM referrals WHERE ref IN ('R21-900', 'R21-901')")" = 2
check_true "... and its conflicts resolved too" test "$(sqlite3 -readonly l2.db \
    "SELECT count(*) FROM conflicts WHERE state = 'open'")" = 0

# A conflict of a row that belongs to no referral or child (a school, an officer) names the row as
# a person reads it, never by its table.
URN=$(sqlite3 -readonly "$HUB" "SELECT urn FROM schools WHERE urn IS NOT NULL ORDER BY id LIMIT 1")
OFFICER=$(sqlite3 -readonly "$HUB" "SELECT initials FROM officers ORDER BY id LIMIT 1")
sqlite3 -cmd ".timeout 10000" "$HUB" "INSERT INTO conflicts(id, kind, tbl, row_id, field, base, hub,
    laptop, laptop_name, at) SELECT 901, 'field', 'schools', id, 'name', 'Old name', 'Hub name',
    'Laptop name', 'L2', '2022-03-01T09:00:00.000Z' FROM schools WHERE urn = '$URN';
    INSERT INTO conflicts(id, kind, tbl, row_id, field, base, hub, laptop, laptop_name, at)
    SELECT 902, 'delete_vs_edit', 'officers', id, NULL, NULL, NULL, NULL, 'L2',
    '2022-03-01T09:00:01.000Z' FROM officers WHERE initials = '$OFFICER'"
cl "$HUB" sync conflicts
check_true "sync conflicts names a school's conflict as the screen does" \
    grep -qF "901 open: School URN $URN · School name: changed on both copies" "$TMPDIR_T/out"
check_true "... and an officer's" \
    grep -qF "902 open: Officer $OFFICER · Officer: deleted on the laptop, edited on the hub" "$TMPDIR_T/out"
check_true "... a deleted row resolved by keep or take only" \
    grep -qx "  resolve: caseload sync resolve 902 keep|take" "$TMPDIR_T/out"
app_start 100 30
wait_for "referrals"
keys C
screen_has "School URN $URN" "a school's conflict is named by the school's URN"
screen_has "Officer $OFFICER" "an officer's by the officer's initials"
screen_lacks "schools " "the table's name is not shown"
check_true "... nor 'officers'" sh -c "! grep -qw officers '$SCREEN'"
keys K
screen_has "Resolved: School URN $URN" "the status line names the school too"
app_stop

# An LA child id (UNIQUE) that another child has: T and E refuse it with the words sync resolve
# uses, naming the field, never SQLite's "UNIQUE constraint failed", and the conflict stays open.
KID=$(sqlite3 -readonly "$HUB" "SELECT id FROM children ORDER BY id LIMIT 1")
TAKEN=$(sqlite3 -readonly "$HUB" "SELECT la_child_id FROM children WHERE id <> $KID AND
    la_child_id IS NOT NULL ORDER BY id LIMIT 1")
sqlite3 -cmd ".timeout 10000" "$HUB" "INSERT INTO conflicts(id, kind, tbl, row_id, field, base,
    hub, laptop, laptop_name, at) SELECT 903, 'field', 'children', id, 'la_child_id', la_child_id,
    la_child_id, '$TAKEN', 'L2', '2022-03-01T09:00:02.000Z' FROM children WHERE id = $KID"
app_start 100 30
wait_for "referrals"
keys C
wait_for "Conflicts between copies"
check_true "the LA child id's row can be selected" row_of "LA child"
keys T
screen_has "la_child_id: another child already has that value" \
    "T: a value another child has is refused, naming the field"
screen_lacks "constraint" "... not in the database's words"
keys E
screen_has "Resolve: type the value to keep" "E opens the form"
keys C-u "$TAKEN" Enter
screen_has "another child already has that value" "... the same words for a value typed"
screen_lacks "constraint" "... not the database's"
keys Escape
app_stop
check_true "the conflict stays open and the child's LA child id as it was" test "$(sqlite3 -readonly \
    "$HUB" "SELECT c.state || ' ' || (ch.la_child_id = c.hub) FROM conflicts c JOIN children ch
    ON ch.id = c.row_id WHERE c.id = 903")" = "open 1"

# A summary of 2,000 characters changed on both copies (the screen cut values at 512 bytes): the
# pane says there is more, Enter shows both values whole in the scrolling view, the end of each
# can be reached, an escape in the laptop's value is shown made safe, and Enter goes back.
LONG_H=$(python3 -c 'print("hub " + "ébène " * 330 + "END OF THE HUB'"'"'S")')
LONG_L=$(python3 -c 'print("laptop " + "über " * 400 + "END OF THE LAPTOP'"'"'S")')
cl "$HUB" export referrals -o base.csv
edit --only base.csv hub.csv R21-004 summary "$LONG_H"
edit --only base.csv lap.csv R21-004 summary "$LONG_L"
cl "$HUB" import referrals hub.csv
cl l2.db import referrals lap.csv
cl l2.db sync with "$HUB"
LONGC=$(sqlite3 -readonly "$HUB" "SELECT c.id FROM conflicts c JOIN referrals r ON r.id = c.row_id
    WHERE r.ref = 'R21-004' AND c.field = 'summary' AND c.state = 'open'")
check_true "two summaries of 2,000 characters clash" test -n "$LONGC"
sqlite3 -cmd ".timeout 10000" "$HUB" "UPDATE conflicts SET laptop = replace(laptop, 'laptop über',
    'laptop ' || char(27) || '[31mX über') WHERE id = $LONGC"
app_start 80 24
wait_for "referrals"
keys C
wait_for "Conflicts between copies"
check_true "the long summaries' row can be selected" row_of "R21-004"
screen_has "more: Enter shows the values whole" "the pane says the values go on"
keys Enter
screen_has "the values whole" "Enter shows the conflict whole"
screen_has "Hub's (kept now): hub ébène" "... the hub's value from its beginning"
screen_lacks "END OF THE" "... a page at a time"
keys G
screen_has "END OF THE LAPTOP'S" "G: the end of the laptop's value is reached"
i=0
while [ $i -lt 6 ] && ! grep -qF "END OF THE HUB'S" "$SCREEN"; do
    keys PPage
    sleep 0.3
    capture
    i=$((i + 1))
done
screen_has "END OF THE HUB'S" "PgUp from there: the end of the hub's value is reached"
screen_has "L2's: laptop ?[31mX über" "the laptop's escape shown made safe, never sent to the terminal"
keys g
screen_has "Hub's (kept now): hub ébène" "g: the top again"
keys Enter
screen_has "Conflicts between copies" "Enter goes back to the list"
keys Enter q
screen_has "Conflicts between copies" "... and so does q"
keys E
screen_has "Resolve: type the value to keep" "E on the long summary opens the form"
keys C-s
screen_has "set to the value typed" "... saved as it opened"
app_stop
check_true "... the hub's summary whole, not cut to what the list holds" test \
    "$(field "$HUB" R21-004 summary)" = "$LONG_H"

finish
