#!/bin/sh
# Two copies correcting the same entry (SPEC section 9's merge rule, corrections of migration
# 0015): the app amends or withdraws an action on the hub and on a laptop copy (or on two laptop
# copies), the command line syncs. The two corrections are both kept, but the entry has one current
# version, the hub's (counted once by actions_current, the follow-ups and the list), and a person
# decides on a conflict (the conflicts screen shows the three versions; K keeps the hub's, T takes
# the laptop's; `sync resolve ID set` is refused). The decision travels, and every synced table
# ends equal, row for row, on every copy.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture

cd "$TMPDIR_T" || exit 1
TABLES=$(sed -n 's/^SYNCED_TABLES="\(.*\)"$/\1/p' "$SOURCE_ROOT/tests/cli/lib.sh")
cl() { # DB ARGS...: the command line on DB
    db=$1
    shift
    "$CASELOAD" --db "$db" --as-of "$AS_OF" "$@" >"$TMPDIR_T/out" 2>"$TMPDIR_T/err"
}
q() { sqlite3 -readonly "$1" "$2"; }
digest() {
    for t in $TABLES; do
        echo "== $t"
        sqlite3 -readonly "$1" ".mode quote" "SELECT * FROM $t ORDER BY id"
    done
}
same() { # DESC DB1 DB2: every synced table equal
    digest "$2" >"$TMPDIR_T/d1"
    digest "$3" >"$TMPDIR_T/d2"
    if cmp -s "$TMPDIR_T/d1" "$TMPDIR_T/d2"; then t_ok "$1"; else
        t_notok "$1" "$(diff "$TMPDIR_T/d1" "$TMPDIR_T/d2" | head -10)"
    fi
}
# KIND (email or call) of R21-030 as its current versions say: note|follow-up, one line each.
current() {
    q "$1" "SELECT a.note || '|' || coalesce(a.follow_up, '') FROM actions_current a
        JOIN referrals r ON r.id = a.referral_id WHERE r.ref = 'R21-030' AND a.kind = '$2'"
}
follow_up() { # DB: R21-030's next follow-up as derived
    q "$1" "SELECT f.follow_up FROM referral_follow_up f JOIN referrals r ON r.id = f.id
        WHERE r.ref = 'R21-030'"
}
open_conflicts() { q "$HUB" "SELECT count(*) FROM conflicts WHERE state = 'open'"; }
# amend DB N NOTE FOLLOW-UP: the app on DB amends R21-030's Nth action (1: the newest, the email)
amend() {
    app_start 100 30 "CASELOAD_DB=$1"
    wait_for "shown of"
    keys / R 2 1 - 0 3 0 Enter Enter
    wait_for "Referral R21-030"
    keys m
    wait_for "Amend: which action or outcome?"
    [ "$2" = 2 ] && keys Down
    keys Enter
    wait_for "Amend the action"
    keys Tab Tab Tab C-u "$3" Tab C-u "$4" Tab "on $1" Enter
    screen_has "Saved: action amended on R21-030" "$1 amends R21-030's action $2 ($3)"
    app_stop
}
# withdraw DB: the app on DB withdraws R21-030's newest action (the email)
withdraw() {
    app_start 100 30 "CASELOAD_DB=$1"
    wait_for "shown of"
    keys / R 2 1 - 0 3 0 Enter Enter
    wait_for "Referral R21-030"
    keys W
    wait_for "Withdraw: which action or outcome?"
    keys Enter
    wait_for "Withdraw the action"
    keys "on $1" Enter
    screen_has "Saved: action withdrawn on R21-030" "$1 withdraws R21-030's email"
    app_stop
}

HUB=$CASELOAD_DB
# The officer the app records the corrections by, known before the copies are made (made on two
# copies, it would be a duplicate of its own).
sqlite3 "$HUB" "INSERT INTO officers(initials) VALUES ('TEST')"
cl "$HUB" sync checkout l2.db --name L2
cl "$HUB" sync checkout l3.db --name L3
CALL0=$(current "$HUB" call)

# ---- two copies: the hub and L2 amend the same email differently ----
amend l2.db 1 "laptop words" 2022-03-20
amend "$HUB" 1 "hub words" 2022-03-25
cl l2.db sync with "$HUB"
check_true "sync with: both directions" test "$(open_conflicts)" = 1
check_true "the hub holds a field conflict on the correction's supersedes, from L2" test \
    "$(q "$HUB" "SELECT kind || ' ' || tbl || ' ' || field || ' ' || laptop_name FROM conflicts")" = \
    "field actions supersedes L2"
check_true "both corrections are kept" test "$(q "$HUB" "SELECT count(*) FROM actions
    WHERE note IN ('hub words', 'laptop words')")" = 2
check_true "the email has one current version on the hub: the hub's" test \
    "$(current "$HUB" email)" = "hub words|2022-03-25"
check_true "... and on the laptop copy" test "$(current l2.db email)" = "hub words|2022-03-25"
check_true "the next follow-up is the hub's correction's" test "$(follow_up "$HUB")" = 2022-03-25
check_true "... on the laptop copy too" test "$(follow_up l2.db)" = 2022-03-25
cl "$HUB" list --status all --format csv
check_true "list: R21-030 once, with the hub's follow-up" sh -c \
    "[ \$(grep -c '^R21-030,' '$TMPDIR_T/out') -eq 1 ] && grep '^R21-030,' '$TMPDIR_T/out' | grep -q 2022-03-25"
same "the hub and L2 are equal, table for table" "$HUB" l2.db
# The referral's timeline marks the corrected email (its current version, the hub's correction)
# while the conflict is open, on both copies; the call beside it is not marked.
timeline() { # DB: the app on DB on R21-030's screen, its timeline shown
    app_start 140 40 "CASELOAD_DB=$1"
    wait_for "shown of"
    keys / R 2 1 - 0 3 0 Enter Enter
    wait_for "Referral R21-030"
    keys End
}
for db in "$HUB" l2.db; do
    timeline "$db"
    screen_has "2022-03-25  ! open conflict" "$(basename "$db"): the timeline marks the email corrected on two copies"
    check_true "... on the email's line alone" sh -c "grep -F '! open conflict' '$SCREEN' | grep -qv 'Spoke to school'"
    check_true "... one line marked" test "$(grep -c '! open conflict' "$SCREEN")" = 1
    app_stop
done
ID=$(q "$HUB" "SELECT id FROM conflicts WHERE state = 'open'")
cl "$HUB" sync resolve "$ID" set anything
check_true "sync resolve set is refused for two corrections (65), saying why" sh -c \
    "[ $? -eq 65 ] && grep -q 'keep the hub' '$TMPDIR_T/err'"

# sync conflicts names the conflict as the screen does: the referral, the child, what was
# corrected and the three versions (never the rows' keys), and how it can be resolved.
cl "$HUB" sync conflicts
check_true "sync conflicts: the referral, the child and what was corrected twice, as the screen says" \
    grep -qF "$ID open: R21-030 · W801200000010 · Action corrected on both: the hub's current until decided, found " "$TMPDIR_T/out"
check_true "... the version both corrected" grep -qx "  Base (both had):  Email of 2021-12-10: Spoke to school (1)" "$TMPDIR_T/out"
check_true "... the hub's correction (current)" grep -qx "  Hub's (kept now): Email of 2021-12-10: hub words" "$TMPDIR_T/out"
check_true "... the laptop's correction" grep -qx "  L2's:             Email of 2021-12-10: laptop words" "$TMPDIR_T/out"
check_true "... and the resolutions that apply (no value to set)" grep -qx "  resolve: caseload sync resolve $ID keep|take" "$TMPDIR_T/out"
KEYS=$(q "$HUB" "SELECT row_id || ' ' || base || ' ' || hub FROM conflicts WHERE id = $ID")
check_true "... none of the three rows' keys is printed ($KEYS)" sh -c \
    "for k in $KEYS; do ! grep -qw \$k '$TMPDIR_T/out' || exit 1; done"
cl "$HUB" sync conflicts --format json
check_true "sync conflicts --format json: SPEC's keys, base, hub and laptop the versions as a person reads them" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 1, d
c = d[0]
assert list(c) == ["id", "kind", "table", "ref", "child", "field", "base", "hub", "laptop",
                   "laptop_name", "at", "state"], list(c)
assert (c["kind"], c["table"], c["field"], c["ref"], c["child"]) == ("field", "actions", "supersedes", "R21-030", "W801200000010"), c
assert c["base"] == "Email of 2021-12-10: Spoke to school (1)", c
assert c["hub"] == "Email of 2021-12-10: hub words", c
assert c["laptop"] == "Email of 2021-12-10: laptop words", c' "$TMPDIR_T/out"

# The conflicts screen: the three versions; E says why no value can be typed, T takes the
# laptop's.
app_start 100 30
wait_for "referrals"
keys C
screen_has "Action corrected on both" "the conflicts screen names what was corrected twice"
screen_has "Email of 2021-12-10: hub words" "the hub's correction, as a person reads it"
screen_has "L2: Email of 2021-12-10: laptop w" "... beside the laptop's"
keys E
screen_has "two corrections of one entry: keep the hub's correction or take the laptop's" \
    "E on two corrections says why there is no value to type, as sync resolve does"
screen_lacks "Resolve: type the value" "... and opens no form"
keys '?'
screen_has "entry corrected on both: K or T" "? says E is not for an entry corrected on both"
keys q
wait_for "Conflicts between copies"
keys T
screen_has "took the laptop's value" "T takes the laptop's correction"
app_stop
check_true "the email's current version is now the laptop's" test \
    "$(current "$HUB" email)" = "laptop words|2022-03-20"
timeline "$HUB"
screen_has "laptop words" "once decided, the timeline shows the laptop's correction"
screen_lacks "! open conflict" "... with no mark"
app_stop
check_true "... its follow-up the next" test "$(follow_up "$HUB")" = 2022-03-20
check_true "the decision is audited" test "$(q "$HUB" "SELECT count(*) FROM audit
    WHERE action = 'resolve' AND row_id = $ID")" = 1
cl l2.db sync with "$HUB"
check_true "the decision travels to L2" test "$(current l2.db email)" = "laptop words|2022-03-20"
same "the hub and L2 are equal again" "$HUB" l2.db

# ---- three copies: L2 and L3 amend the same call; the hub keeps the first it had ----
amend l2.db 2 "L2 call" 2022-04-01
amend l3.db 2 "L3 call" 2022-04-02
cl l2.db sync with "$HUB"
check_true "L2's correction alone: no conflict" test "$(open_conflicts)" = 0
cl l3.db sync with "$HUB"
check_true "L3's correction of the same call: a conflict, from L3" test \
    "$(q "$HUB" "SELECT laptop_name FROM conflicts WHERE state = 'open'")" = L3
check_true "the call has one current version on the hub: L2's, which the hub had" test \
    "$(current "$HUB" call)" = "L2 call|2022-04-01"
check_true "... on L3 too" test "$(current l3.db call)" = "L2 call|2022-04-01"
app_start 100 30
wait_for "referrals"
keys C
screen_has "L3: Call of 2021-12-05: L3 call" "the screen shows L3's correction"
keys K
screen_has "kept the hub's value" "K keeps the hub's correction"
app_stop
check_true "no conflict left open" test "$(open_conflicts)" = 0
check_true "the call's current version stays L2's" test "$(current "$HUB" call)" = "L2 call|2022-04-01"
cl l2.db sync with "$HUB"
cl l3.db sync with "$HUB"
same "the hub and L2 are equal" "$HUB" l2.db
same "the hub and L3 are equal" "$HUB" l3.db
check_true "each copy counts R21-030's two actions once each" sh -c \
    "for d in '$HUB' l2.db l3.db; do [ \$(sqlite3 -readonly \$d \"SELECT count(*) FROM actions_current a
    JOIN referrals r ON r.id = a.referral_id WHERE r.ref = 'R21-030'\") -eq 2 ] || exit 1; done"

# ---- the hub withdraws what a laptop amends: the hub's withdrawal holds until decided ----
withdraw "$HUB"
amend l2.db 1 "amended again" 2022-03-28
cl l2.db sync with "$HUB"
check_true "withdrawn on the hub, amended on L2: a conflict" test "$(open_conflicts)" = 1
check_true "the email has no current version (the hub withdrew it)" test -z "$(current "$HUB" email)"
check_true "... on L2 too" test -z "$(current l2.db email)"
same "the hub and L2 are equal" "$HUB" l2.db
check_true "CALL0 was the call as the fixture had it" test -n "$CALL0"

finish
