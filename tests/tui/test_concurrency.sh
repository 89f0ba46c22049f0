#!/bin/sh
# Two officers, one referral (SPEC section 8): two copies of the app on one database. A save
# writes only the fields its form changed (a colleague's change to another field is kept); a save
# that would overwrite a field changed since the form opened is stopped, shows both values and
# asks; a database held by another program shows "waiting for the database…" while it waits.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture

field() { # REF COLUMN: the referral's column in `export referrals`
    "$CASELOAD" --as-of "$AS_OF" export referrals --format json | python3 -c "
import json, sys
print([r for r in json.load(sys.stdin) if r['ref'] == '$1'][0]['$2'])"
}

app_start 100 30
wait_for "shown of"
# App B: a second window on the same database.
app_b_start
b_has "shown of" "app B is open on the same database"

check_true "R21-030 starts with officer EF, issue other" test "$(field R21-030 officer)/$(field R21-030 issue)" = EF/other
# A opens the edit form; B changes the officer and saves; A changes only the issue.
keys / R 2 1 - 0 3 0 Enter Enter e
screen_has "Edit the referral" "A: e opens the edit form"
b_keys / R 2 1 - 0 3 0 Enter Enter e
b_has "Edit the referral" "B: the same referral's edit form"
b_keys Tab C-u ZZ Enter y # y: create officer ZZ
b_has "Saved: R21-030" "B saves a new officer"
keys Tab Tab Left Enter
screen_has "Saved: R21-030" "A saves a new issue"
check_true "B's officer is kept: A changed only the issue" test "$(field R21-030 officer)" = ZZ
check_true "A's issue is saved" test "$(field R21-030 issue)" = neet

# Both change the officer: the later save is stopped and shows both values.
keys e
screen_has "Edit the referral" "A opens the form again"
b_keys e
b_has "Edit the referral" "B too"
b_keys Tab C-u YY Enter y
b_has "Saved: R21-030" "B saves officer YY"
keys Tab C-u XX Enter y
screen_has "changed meanwhile to 'YY' (it was 'ZZ' when the form opened; yours: 'XX')" "A's save is stopped: both values shown"
screen_has "Enter saves yours over it" "and it asks"
check_true "nothing was overwritten" test "$(field R21-030 officer)" = YY
keys Enter
screen_has "Saved: R21-030" "Enter again: A's value saved, knowingly"
check_true "officer XX" test "$(field R21-030 officer)" = XX
b_keys Escape q

# Another program holds the database: the app says it is waiting, then saves.
app_stop
app_start 100 30 CASELOAD_BUSY_TIMEOUT_MS=6000
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
keys / R 2 1 - 0 3 0 Enter Enter a ' ' Enter Tab Tab Tab 'while held' C-s y
screen_has "waiting for the database… (another program is writing)" "a held database: the app says it is waiting"
rm -f "$TMPDIR_T/hold"
wait
screen_has "Saved: action on R21-030" "once free, the save goes through"
keys q q
screen_has "exit=0" "quit"
finish
