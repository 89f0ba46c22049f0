#!/bin/sh
# test_sync_resolve: `sync resolve ID set VALUE` checks VALUE by the rule of the conflict's field
# (field.h, the rule import, the forms and the command line share): a bad value is refused with the
# field and why (65) and changes nothing; a good one is stored as that rule writes it (a label
# becomes its code, DD/MM/YYYY a date, initials upper case and the officer's key) and travels.
. "$SOURCE_ROOT/tests/cli/lib.sh"

cd "$TMPDIR_T" || exit 1
D="$DATA"
AS="--as-of 2024-02-01"

c() { # DB ARGS...
    db=$1
    shift
    run --db "$db" $AS "$@"
}

field() { # DB REF COLUMN
    sqlite3 -readonly "$1" "SELECT $3 FROM referrals WHERE ref = '$2'"
}

conflict() { # FIELD: the id of the open conflict on that field of the hub
    sqlite3 -readonly hub.db "SELECT id FROM conflicts WHERE field = '$1' AND state = 'open'"
}

state_of() {
    for t in referrals officers conflicts audit sync_log; do
        sqlite3 -readonly "$1" ".mode quote" "SELECT * FROM $t ORDER BY 1"
    done
}

c hub.db import referrals "$D/import-referrals.csv"
c hub.db sync checkout l2.db --name L2
edit "$D/import-referrals.csv" lap.csv R-2023-001 summary "laptop summary" \
    R-2023-001 received 2023-09-14 R-2023-003 issue exclusion R-2023-002 officer YY
edit "$D/import-referrals.csv" hub.csv R-2023-001 summary "hub summary" \
    R-2023-001 received 2023-09-13 R-2023-003 issue attendance R-2023-002 officer ZZ
c l2.db import referrals lap.csv
c hub.db import referrals hub.csv
c l2.db sync with hub.db
check_rc 0 "a laptop and its hub changed the same four fields"
check_true "... four conflicts wait" test "$(sqlite3 -readonly hub.db \
    "SELECT group_concat(field, ' ') FROM (SELECT field FROM conflicts ORDER BY field)")" = \
    "issue officer_id received summary"

ISSUE=$(conflict issue)
RECEIVED=$(conflict received)
OFFICER=$(conflict officer_id)
SUMMARY=$(conflict summary)

# sync conflicts names each conflict as the app's conflicts screen does, and gives an officer
# by initials (as sync resolve set takes one), never by the officers' row keys.
c hub.db sync conflicts --format json
check_true "sync conflicts --format json: an officer clash gives the officers' initials" python3 -c '
import json, sys
d = {x["field"]: x for x in json.load(open(sys.argv[1]))}
o = d["officer_id"]
assert (o["base"], o["hub"], o["laptop"]) == ("CD", "ZZ", "YY"), o
assert list(o) == ["id", "kind", "table", "ref", "child", "field", "base", "hub", "laptop",
                   "laptop_name", "at", "state"], list(o)
r = d["received"]
assert (r["base"], r["hub"], r["laptop"]) == ("2023-09-12", "2023-09-13", "2023-09-14"), r
i = d["issue"]
assert (i["hub"], i["laptop"]) == ("attendance", "exclusion"), i' "$OUT"
c hub.db sync conflicts
check_out_has "$OFFICER open: R-2023-002 · P801200005011 · Officer: changed on both copies, found " \
    "sync conflicts: the referral, the child and the field's label, as the screen says"
check_true "... the officers by their initials" sh -c "grep -A3 '^$OFFICER ' '$OUT' | tr -s ' ' |
    tr '\n' '|' | grep -qF 'Base (both had): CD| Hub'\''s (kept now): ZZ| L2'\''s: YY|'"
check_true "... how to resolve it" grep -qx "  resolve: caseload sync resolve $OFFICER keep|take|set VALUE" "$OUT"
check_true "... a date as a date, a code by its label" sh -c "grep -A3 '^$RECEIVED ' '$OUT' | grep -q '13 September 2023' &&
    grep -A3 '^$ISSUE ' '$OUT' | grep -q 'Exclusion / suspension'"
check_true "... a note of several lines whole, each line under the last" sh -c \
    "grep -A2 '^$SUMMARY ' '$OUT' | tail -1 | grep -qx '                    Mum says \"she won.t go\".'"

refused() { # DESC ID VALUE STDERR-TEXT
    state_of hub.db >before
    c hub.db sync resolve "$2" set "$3"
    check_rc 65 "$1: 65"
    check_err_has "$4" "... says which field and why"
    state_of hub.db >after
    check_true "... and changes nothing" cmp -s before after
}

refused "an unknown code" "$ISSUE" nonsense "caseload sync: conflict $ISSUE: issue: 'nonsense' is not an issue (one of: attendance"
refused "a code with a typo" "$ISSUE" exclusoin "issue: 'exclusoin' is not an issue (did you mean 'exclusion'?)"
refused "a required field left empty" "$ISSUE" "" "issue: is required"

same_words() { # DESC ID VALUE KIND CSV COLUMN: resolve ID with VALUE and import CSV (a row whose
    # COLUMN holds VALUE) are refused in the same words after "COLUMN: "
    c hub.db sync resolve "$2" set "$3"
    sed -n "s/^caseload sync: conflict $2: $6: //p" "$ERR" >said.sync
    c hub.db import "$4" "$5"
    sed -n "s/^$5:2: $6: //p" "$ERR" >said.import
    check_true "$1: sync resolve and import say the same ($(cat said.sync))" \
        sh -c 'test -s said.sync && cmp -s said.sync said.import'
}
printf 'ref,received,source,issue,la_child_id,care_status,sen\nW-1,2023-10-01,school,exclusoin,LA-003,cp,none\n' >bad.csv
same_words "a code with a typo" "$ISSUE" exclusoin referrals bad.csv issue
refused "a date after today" "$RECEIVED" 2030-01-01 "conflict $RECEIVED: received: is after today (2024-02-01)"
refused "no such date" "$RECEIVED" 31/02/2023 "received: is not a date"
check_true "... and the date is not quoted (a child's dates stay out of messages)" \
    sh -c "! grep -q '31/02' '$ERR'"
refused "bad initials for the officer" "$OFFICER" j1 "officer_id: 'j1' is not an officer's initials"
refused "a control character in a summary" "$SUMMARY" "$(printf 'a\033[31mb')" \
    "summary: holds a control character (U+001B at character 2)"

c hub.db sync resolve "$ISSUE" set Exclusion
check_rc 0 "a label for a code is accepted"
check_true "... and stored as the code" test "$(field hub.db R-2023-003 issue)" = exclusion
c hub.db sync resolve "$RECEIVED" set 15/09/2023
check_rc 0 "a date typed DD/MM/YYYY"
check_true "... stored YYYY-MM-DD" test "$(field hub.db R-2023-001 received)" = 2023-09-15
c hub.db sync resolve "$OFFICER" set qq
check_rc 0 "an officer by initials, any case"
check_true "... points the referral at that officer" test "$(sqlite3 -readonly hub.db \
    "SELECT o.initials FROM referrals r JOIN officers o ON o.id = r.officer_id
     WHERE r.ref = 'R-2023-002'")" = QQ
c hub.db sync resolve "$SUMMARY" set "  typed on the hub  "
check_rc 0 "a summary typed"
check_true "... kept without the blanks around it" \
    test "$(field hub.db R-2023-001 summary)" = "typed on the hub"
c hub.db sync conflicts --format json
check_true "no conflict is open" python3 -c '
import json, sys
assert json.load(open(sys.argv[1])) == []' "$OUT"
c l2.db sync with hub.db
check_rc 0 "the decisions travel in the next pack"
check_true "... the laptop holds the hub's decisions" test \
    "$(field l2.db R-2023-003 issue),$(field l2.db R-2023-001 received),$(field l2.db R-2023-001 summary)" = \
    "exclusion,2023-09-15,typed on the hub"
check_true "... its officer too" test "$(sqlite3 -readonly l2.db \
    "SELECT o.initials FROM referrals r JOIN officers o ON o.id = r.officer_id
     WHERE r.ref = 'R-2023-002'")" = QQ


# An episode's end is of what has happened (field.h: as import and the app's form have it): a
# conflict on it is not resolved with a date after today.
printf 'upn,la_child_id,kind,start,end,in_county\n,LA-003,cme,2023-11-20,,\n' >ep.csv
c hub.db import episodes ep.csv
c l2.db sync with hub.db
printf 'upn,la_child_id,kind,start,end,in_county\n,LA-003,cme,2023-11-20,2024-01-10,yes\n' >ep.csv
c l2.db import episodes ep.csv
printf 'upn,la_child_id,kind,start,end,in_county\n,LA-003,cme,2023-11-20,2024-01-12,no\n' >ep.csv
c hub.db import episodes ep.csv
c l2.db sync with hub.db
END=$(conflict end_date)
check_true "an episode's end changed on both sides waits as a conflict" test -n "$END"
COUNTY=$(conflict in_county)
check_true "... and its in_county" test -n "$COUNTY"
printf 'upn,la_child_id,kind,start,in_county\n,LA-003,ehe,2023-11-20,maybe\n' >bad.csv
same_words "a flag that is not one" "$COUNTY" maybe episodes bad.csv in_county
refused "an episode's end after today" "$END" 2024-02-02 \
    "conflict $END: end_date: is after today (2024-02-01)"
c hub.db sync resolve "$END" set 2024-01-11
check_rc 0 "an end by today is accepted"
check_true "... and stored" test "$(sqlite3 -readonly hub.db "SELECT end_date FROM episodes")" = 2024-01-11


# Issue 9: the hub and a laptop resolve the same conflicts differently (the hub keeps its value of
# one and takes the laptop's of the other, the laptop the reverse). The two decisions disagreeing
# is a same-field clash of its own: the hub's value stays, one open conflict on each field shows
# the hub's and the laptop's values (base: the value both held before deciding), none on the
# conflicts table's own columns, and after the reply pack the copies are the same.
c h2.db import referrals "$D/import-referrals.csv"
c h2.db sync checkout l3.db --name L3
edit "$D/import-referrals.csv" lap.csv R-2023-001 summary "laptop A" R-2023-002 summary "laptop B"
edit "$D/import-referrals.csv" hub.csv R-2023-001 summary "hub A" R-2023-002 summary "hub B"
c l3.db import referrals lap.csv
c h2.db import referrals hub.csv
c l3.db sync with h2.db
on2() { sqlite3 -readonly h2.db "SELECT c.id FROM conflicts c JOIN referrals r ON r.id = c.row_id
    WHERE c.field = 'summary' AND r.ref = '$1' AND c.state = 'open'"; }
A=$(on2 R-2023-001)
B=$(on2 R-2023-002)
check_true "two summaries clash" sh -c "test -n '$A' && test -n '$B'"
c h2.db sync resolve "$A" keep
c h2.db sync resolve "$B" take
c l3.db sync resolve "$A" take
check_rc 0 "the laptop takes its own value of one"
c l3.db sync resolve "$B" keep
check_rc 0 "... and keeps the hub's of the other"
c l3.db sync pack l3.pack
check_rc 0 "the laptop's decisions in a pack"
c h2.db sync apply l3.pack
check_rc 0 "... applied on the hub"
check_true "... the hub's value stays where it kept its own" test "$(field h2.db R-2023-001 summary)" = "hub A"
check_true "... and where it took the laptop's" test "$(field h2.db R-2023-002 summary)" = "laptop B"
c h2.db sync conflicts --format json
check_true "... one open conflict on each field, the hub's and the laptop's values, none on the conflicts table" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 2, d
got = sorted((x["table"], x["ref"], x["field"], x["kind"], x["base"], x["hub"], x["laptop"])
             for x in d)
assert got == [("referrals", "R-2023-001", "summary", "field", "hub A", "hub A", "laptop A"),
               ("referrals", "R-2023-002", "summary", "field", "hub B", "laptop B", "hub B")], got' "$OUT"
check_true "... the earlier decisions stay as the hub made them" test "$(sqlite3 -readonly h2.db \
    "SELECT group_concat(resolution, ' ') FROM (SELECT resolution FROM conflicts WHERE id IN ($A, $B) ORDER BY id = $B)")" = "keep take"
c l3.db sync with h2.db
check_rc 0 "the reply pack"
same "... the two copies are the same" h2.db l3.db
check_true "... the laptop holds the hub's values" test \
    "$(field l3.db R-2023-001 summary),$(field l3.db R-2023-002 summary)" = "hub A,laptop B"
c l3.db sync with h2.db
same "... and stay so" h2.db l3.db


# ... and when the laptop decided before it applied the hub's pack holding the hub's decision.
edit "$D/import-referrals.csv" lap.csv R-2023-003 summary "laptop C"
edit "$D/import-referrals.csv" hub.csv R-2023-003 summary "hub C"
c l3.db import referrals lap.csv
c h2.db import referrals hub.csv
c l3.db sync with h2.db
C=$(on2 R-2023-003)
check_true "a third clash" test -n "$C"
c h2.db sync resolve "$C" keep
c l3.db sync resolve "$C" take
c h2.db sync pack early.pack --for L3
c l3.db sync apply early.pack
check_rc 0 "the laptop applies the hub's decision after its own"
c l3.db sync with h2.db
check_rc 0 "... then both ways"
check_true "... the hub's value stays" test "$(field h2.db R-2023-003 summary)" = "hub C"
check_true "... with one open conflict on it" test "$(sqlite3 -readonly h2.db "SELECT count(*)
    FROM conflicts WHERE state = 'open' AND field = 'summary' AND hub = 'hub C' AND laptop = 'laptop C'")" = 1
same "... the two copies are the same" h2.db l3.db


# sync conflicts shows a long value whole (it was cut at 512 bytes), its control characters still
# made safe: a summary of 3,000 bytes changed on both copies, the laptop's with an escape in it (a
# value no caseload would store, written with the sqlite3 shell).
LONG_H=$(python3 -c 'print("hub " + "é" * 1400 + " END OF THE HUB'"'"'S")')
LONG_L=$(python3 -c 'print("laptop " + "ü" * 1400 + " END OF THE LAPTOP'"'"'S")')
edit "$D/import-referrals.csv" lap.csv R-2024-004 summary "$LONG_L"
edit "$D/import-referrals.csv" hub.csv R-2024-004 summary "$LONG_H"
c l3.db import referrals lap.csv
c h2.db import referrals hub.csv
c l3.db sync with h2.db
LONG=$(on2 R-2024-004)
check_true "two long summaries clash" test -n "$LONG"
sqlite3 h2.db "UPDATE conflicts SET laptop = replace(laptop, 'üü', 'ü' || char(27) || '[31mü') WHERE id = $LONG"
c h2.db sync conflicts
check_rc 0 "sync conflicts"
check_true "... the hub's value whole" grep -qxF "  Hub's (kept now): $LONG_H" "$OUT"
check_true "... the laptop's whole, its escape made safe" sh -c "grep -A4 '^$LONG ' '$OUT' |
    grep -F \"  L3's:\" | grep -F ' END OF THE LAPTOP'\''S' | grep -qF 'ü?[31mü'"
check_true "... no control character reaches the terminal" sh -c "! tr -d '\\n' <'$OUT' | grep -q '[[:cntrl:]]'"

# A natural key (UNIQUE in the schema: an LA child id, a UPN, a ref) taken or typed to resolve a
# conflict must not be another row's: refused as a duplicate's own key is, naming the field and
# that another record has the value (65), never SQLite's "UNIQUE constraint failed", and nothing
# changes. Here both copies gave one child a new LA child id, and the hub then gave the laptop's
# to another child.
c h3.db import children "$D/import-children.csv"
c h3.db sync checkout l4.db --name L4
printf 'upn,la_child_id,first_name,last_name,dob,care_status,sen\nB801200005001,%s,Zoe,Brien,2012-05-01,cp,sen_support\n' LA-LAP >k.csv
c l4.db import children k.csv
printf 'upn,la_child_id,first_name,last_name,dob,care_status,sen\nB801200005001,%s,Zoe,Brien,2012-05-01,cp,sen_support\n' LA-HUB >k.csv
c h3.db import children k.csv
c l4.db sync with h3.db
KEY=$(sqlite3 -readonly h3.db "SELECT id FROM conflicts WHERE field = 'la_child_id' AND state = 'open'")
check_true "an LA child id changed on both copies waits as a conflict" test -n "$KEY"
printf 'upn,la_child_id,first_name,last_name,dob,care_status,sen\nP801200005011,LA-LAP,Siobhan,Smith,2010-09-01,cla,E\n' >k.csv
c h3.db import children k.csv
check_rc 0 "... and the hub gives the laptop's LA child id to another child"
key_refused() { # DESC HOW [VALUE]
    for t in children conflicts audit sync_log; do
        sqlite3 -readonly h3.db ".mode quote" "SELECT * FROM $t ORDER BY 1"
    done >before
    c h3.db sync resolve "$KEY" "$2" ${3:+"$3"}
    check_rc 65 "$1: 65"
    check_err_has "caseload sync: conflict $KEY: la_child_id: another child already has that value" \
        "... names the field and says another child has the value"
    check_true "... not the database's words" sh -c "! grep -qi 'constraint' '$ERR'"
    for t in children conflicts audit sync_log; do
        sqlite3 -readonly h3.db ".mode quote" "SELECT * FROM $t ORDER BY 1"
    done >after
    check_true "... changes nothing, the conflict stays open" cmp -s before after
}
key_refused "taking the laptop's LA child id another child now has" take
key_refused "typing another child's LA child id" set LA-004
c h3.db sync resolve "$KEY" set LA-NEW
check_rc 0 "an LA child id no other child has is accepted"
check_true "... and stored" test "$(sqlite3 -readonly h3.db \
    "SELECT la_child_id FROM children WHERE upn = 'B801200005001'")" = LA-NEW

# ... and a key the schema makes unique where no other rule names it (a school with no URN is known
# by its name alone): the same words.
sqlite3 h3.db "INSERT INTO schools(id, urn, name) VALUES (7001, NULL, 'Alpha School'), (7002, NULL, 'Beta School');
    INSERT INTO conflicts(id, kind, tbl, row_id, field, base, hub, laptop, laptop_name, at)
    VALUES (7003, 'field', 'schools', 7001, 'name', 'Old School', 'Alpha School', 'Beta School', 'L4',
    '2024-02-01T09:00:00.000Z')"
for t in schools conflicts audit sync_log; do
    sqlite3 -readonly h3.db ".mode quote" "SELECT * FROM $t ORDER BY 1"
done >before
c h3.db sync resolve 7003 take
check_rc 65 "taking a name another school with no URN has: 65"
check_err_has "caseload sync: conflict 7003: name: another school already has that value" \
    "... in the same words"
check_true "... not the database's" sh -c "! grep -qi 'constraint' '$ERR'"
for t in schools conflicts audit sync_log; do
    sqlite3 -readonly h3.db ".mode quote" "SELECT * FROM $t ORDER BY 1"
done >after
check_true "... and changes nothing" cmp -s before after

finish
