#!/bin/sh
# The officer picker of the referral forms (issue 11 item 6): officers are picked from the known
# ones, narrowed as you type in any case ("sk" finds SK, "hall" finds Jo Hall); a new officer only
# after "Create officer XYZ?", checked by the initials rule; an officer stored before today's rule
# (J.H) is kept when the referral is edited and can still be chosen.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture
python3 - "$CASELOAD_DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO officers(id, initials, name) VALUES (90, 'SK', 'Sam Kaur'), (91, 'J.H', 'Jo Hall')")
db.execute("UPDATE referrals SET officer_id = 91 WHERE ref = 'R21-022'")
db.commit()
PY

field() { # REF COLUMN: the referral's column in `export referrals`
    "$CASELOAD" --as-of "$AS_OF" export referrals --format json | python3 -c "
import json, sys
print([r for r in json.load(sys.stdin) if r['ref'] == '$1'][0]['$2'])"
}
officers() { sqlite3 "$CASELOAD_DB" "SELECT group_concat(initials, ' ') FROM (SELECT initials FROM officers ORDER BY initials)"; }

app_start 100 30
wait_for "shown of"

# ---- typing narrows, in any case ----
keys / R 2 1 - 0 3 0 Enter Enter e
screen_has "Edit the referral" "e opens the edit form"
screen_has "] Eve Ford" "the officer is shown with the name it is known by"
keys Tab C-u s
screen_has "> SK    Sam Kaur" "typing opens the list of known officers holding the text"
screen_has " 2 of 5 " "narrowed: SK (its initials begin with s) first, then CD (Chris holds an s)"
keys k
screen_has "[sk  " "typed in lower case"
screen_has "] Sam Kaur" "sk (lower case) is the known SK"
keys Enter
screen_has "Saved: R21-030" "Enter saves: the text names a known officer"
check_true "saved as SK, no officer added" test "$(field R21-030 officer)/$(officers)" = "SK/AB CD EF J.H SK"

# ---- a label narrows too; Up/Down and Enter take one ----
keys e Tab C-u h a l l
screen_has "> J.H   Jo Hall" "the list is narrowed by the name as well"
keys Enter
screen_has "] Jo Hall" "Enter takes the highlighted officer"
keys C-u ' '
screen_has " 5 of 5 " "Space on an empty field opens the whole list"
keys Down Enter
screen_has "] Chris Day" "Down moves in the list"
keys Escape
screen_has "Discard what you typed? (y/n)" "Esc with the list closed asks before discarding"
keys y

# ---- a new officer only after asking ----
keys e Tab C-u x y z
screen_has "no known officer holds this" "an unknown officer: the list says so"
screen_has "] new officer" "and the field says it would be new"
keys Enter
screen_has "Create officer XYZ? It is not a known one. (y/n)" "saving asks before creating an officer"
keys n
screen_lacks "Create officer XYZ?" "n: back to the form"
check_true "nothing saved, no officer added" test "$(field R21-030 officer)/$(officers)" = "SK/AB CD EF J.H SK"
keys 1
screen_has "is not an officer's initials" "a new officer is checked by the initials rule as typed"
keys Enter
screen_has "Officer (initials): 'xyz1' is not an officer's initials" "and Enter refuses it"
keys BSpace Enter
screen_has "Create officer XYZ?" "corrected: asked again"
keys y
screen_has "Saved: R21-030" "y: created and saved"
check_true "officer XYZ created and set" test "$(field R21-030 officer)/$(officers)" = "XYZ/AB CD EF J.H SK XYZ"

# ---- an officer stored before today's rule is kept ----
keys q Escape / R 2 1 - 0 2 2 Enter Enter e
screen_has "] Jo Hall" "R21-022's officer J.H does not follow today's rule"
keys Tab Tab Right Enter
screen_has "Saved: R21-022" "editing another field keeps it: saved"
check_true "J.H kept, the issue changed" test "$(field R21-022 officer)/$(field R21-022 issue)" = "J.H/exclusion"

# ---- the action form picks officers too ----
keys a ' ' Enter Tab Tab C-u j . h Tab 'picked J.H' C-s
screen_has "Saved: action on R21-022" "an action by J.H, typed in lower case"
check_true "the action names J.H" sh -c "'$CASELOAD' --as-of $AS_OF export actions | grep -q 'R21-022,2022-03-01,J.H,call,picked J.H'"
keys q q
screen_has "exit=0" "quit"
finish
