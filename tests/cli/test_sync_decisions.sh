#!/bin/sh
# test_sync_decisions: a duplicate, a row deleted on one copy and changed on the other, or an entry
# corrected on both, resolved
# differently on the hub and on a laptop (issue 9; the field's case is in test_sync_resolve). The
# rule is the field's: the hub's decision stays as the hub made it, the disagreement waits as a
# new conflict for a person (none on the conflicts table's own columns), and after packs both ways
# every table of the two copies compares equal. For a delete, SPEC section 9's rule for a row
# deleted on one side and kept on the other: the row is kept until a person decides. (Rows are
# deleted with the sqlite3 shell in a session and logged as caseload logs its own changes, as
# test_sync_merge does.)
. "$SOURCE_ROOT/tests/cli/lib.sh"

cd "$TMPDIR_T" || exit 1
D="$DATA"
AS="--as-of 2024-02-01"

c() { # DB ARGS...
    db=$1
    shift
    run --db "$db" $AS "$@"
}
q() { sqlite3 -readonly "$1" "$2"; }
field() { q "$1" "SELECT $3 FROM referrals WHERE ref = '$2'"; }
has() { q "$1" "SELECT count(*) FROM referrals WHERE ref = '$2'"; }
open_on() { # DB REF KIND: the open conflicts of that kind on the referral, their ids
    q "$1" "SELECT group_concat(c.id, ' ') FROM conflicts c JOIN referrals r ON r.id = c.row_id
        WHERE c.tbl = 'referrals' AND r.ref = '$2' AND c.kind = '$3' AND c.state = 'open'"
}
res() { # ID...: the hub's resolutions of those conflicts
    for id in "$@"; do printf '%s ' "$(q hub.db "SELECT resolution FROM conflicts WHERE id = $id")"; done
}
none_on_conflicts() { # DESC
    check_true "$1" test "$(q hub.db "SELECT count(*) FROM conflicts WHERE tbl = 'conflicts'")" = 0
}
H="ref,received,source,issue,upn,la_child_id,first_name,last_name,dob,care_status,sen,officer,school_urn,school_name,summary"

c hub.db import referrals "$D/import-referrals.csv"
c hub.db sync checkout l2.db --name L2
check_rc 0 "a hub and its laptop copy"

# ---- a row deleted on one side and edited on the other: four referrals ----
# 800 and 801: L2 deletes, the hub edits (delete_vs_edit); 802 and 803: the hub deletes, L2 edits
# (edit_vs_delete).
printf '%s\n' "$H" >new.csv
for n in 800 801 802 803; do
    printf 'R-2024-%s,2024-01-15,school,cme,,LA-%s,Ben,Ray,2013-03-03,cin,none,,,,\n' $n $n >>new.csv
done
c hub.db import referrals new.csv
c l2.db sync with hub.db
edit --only new.csv hub-e.csv R-2024-800 summary "edited on the hub" R-2024-801 summary "edited on the hub"
edit --only new.csv l2-e.csv R-2024-802 summary "edited on L2" R-2024-803 summary "edited on L2"
c hub.db import referrals hub-e.csv
c l2.db import referrals l2-e.csv
logged_delete l2.db R-2024-800
logged_delete l2.db R-2024-801
logged_delete hub.db R-2024-802
logged_delete hub.db R-2024-803
c l2.db sync with hub.db
check_rc 0 "rows deleted on one side and edited on the other"
K800=$(open_on hub.db R-2024-800 delete_vs_edit)
K801=$(open_on hub.db R-2024-801 delete_vs_edit)
K802=$(open_on hub.db R-2024-802 edit_vs_delete)
K803=$(open_on hub.db R-2024-803 edit_vs_delete)
check_true "... four conflicts, the rows kept" sh -c "test -n '$K800' && test -n '$K801' &&
    test -n '$K802' && test -n '$K803'"
same "... on both copies" hub.db l2.db

# Each decided one way on the hub and the other on L2: 800 the hub keeps the row (keep), L2 takes
# its delete; 801 the hub takes L2's delete, L2 keeps the row; 802 the hub takes the row with L2's
# edit, L2 keeps the hub's delete; 803 the hub keeps its delete, L2 takes the row.
c hub.db sync resolve "$K800" keep
c hub.db sync resolve "$K801" take
c hub.db sync resolve "$K802" take
c hub.db sync resolve "$K803" keep
check_true "the hub's decisions: 800 and 802 kept, 801 and 803 gone" test \
    "$(has hub.db R-2024-800)$(has hub.db R-2024-801)$(has hub.db R-2024-802)$(has hub.db R-2024-803)" = 1010
c l2.db sync resolve "$K800" take
c l2.db sync resolve "$K801" keep
c l2.db sync resolve "$K802" keep
c l2.db sync resolve "$K803" take
check_rc 0 "L2 decides each the other way"
check_true "... L2's: 801 and 803 kept, 800 and 802 gone" test \
    "$(has l2.db R-2024-800)$(has l2.db R-2024-801)$(has l2.db R-2024-802)$(has l2.db R-2024-803)" = 0101
c l2.db sync pack l2.pack
c hub.db sync apply l2.pack
check_rc 0 "L2's decisions applied on the hub"
check_true "... every row is kept until a person decides again" test \
    "$(has hub.db R-2024-800)$(has hub.db R-2024-801)$(has hub.db R-2024-802)$(has hub.db R-2024-803)" = 1111
check_true "... with the edits made on it" test "$(field hub.db R-2024-800 summary)|$(field hub.db R-2024-801 summary)|$(field hub.db R-2024-802 summary)|$(field hub.db R-2024-803 summary)" = \
    "edited on the hub|edited on the hub|edited on L2|edited on L2"
check_true "... a delete against the row kept, where L2's decision deleted it (800, 802)" test \
    "$(open_on hub.db R-2024-800 delete_vs_edit)|$(open_on hub.db R-2024-802 delete_vs_edit)" != "|"
check_true "... the row deleted on the hub against L2's, where the hub's decision deleted it (801, 803)" test \
    "$(open_on hub.db R-2024-801 edit_vs_delete)|$(open_on hub.db R-2024-803 edit_vs_delete)" != "|"
check_true "... one new open conflict on each, nothing else open" test "$(q hub.db \
    "SELECT count(*) || ' ' || count(DISTINCT row_id) FROM conflicts WHERE state = 'open'")" = "4 4"
check_true "... the hub's decisions stay as it made them" test "$(res $K800 $K801 $K802 $K803)" = "keep take take keep "
none_on_conflicts "... none on the conflicts table's own columns"
c hub.db sync conflicts --format json
check_true "sync conflicts --format json: the new ones from L2" python3 -c '
import json, sys
d = sorted((x["ref"], x["kind"], x["laptop_name"], x["state"]) for x in json.load(open(sys.argv[1])))
assert d == [("R-2024-800", "delete_vs_edit", "L2", "open"), ("R-2024-801", "edit_vs_delete", "L2", "open"),
             ("R-2024-802", "delete_vs_edit", "L2", "open"), ("R-2024-803", "edit_vs_delete", "L2", "open")], d' "$OUT"
c l2.db sync with hub.db
check_rc 0 "the reply pack"
same "... the two copies are the same" hub.db l2.db
check_true "... L2 holds every row again" test \
    "$(has l2.db R-2024-800)$(has l2.db R-2024-801)$(has l2.db R-2024-802)$(has l2.db R-2024-803)" = 1111
c l2.db sync with hub.db
same "... and stay so" hub.db l2.db

# The new conflicts decided the same way on both: the decision holds everywhere.
N800=$(open_on hub.db R-2024-800 delete_vs_edit)
N801=$(open_on hub.db R-2024-801 edit_vs_delete)
c hub.db sync resolve "$N800" take
c l2.db sync resolve "$N800" take
c hub.db sync resolve "$N801" keep
c l2.db sync resolve "$N801" keep
c l2.db sync with hub.db
check_true "decided alike: both rows go on the hub" test "$(has hub.db R-2024-800)$(has hub.db R-2024-801)" = 00
check_true "... with no conflict about it" test "$(q hub.db "SELECT count(*) FROM conflicts WHERE state = 'open'")" = 2
c l2.db sync with hub.db
same "... the copies the same" hub.db l2.db

# ... and when L2 decided before it applied the hub's decision (the hub's pack first).
printf '%s\nR-2024-810,2024-01-15,school,cme,,LA-810,Cy,Ray,2013-03-03,cin,none,,,,\n' "$H" >n810.csv
c hub.db import referrals n810.csv
c l2.db sync with hub.db
edit --only n810.csv h810.csv R-2024-810 summary "edited on the hub"
c hub.db import referrals h810.csv
logged_delete l2.db R-2024-810
c l2.db sync with hub.db
K810=$(open_on hub.db R-2024-810 delete_vs_edit)
check_true "another delete against an edit" test -n "$K810"
c hub.db sync resolve "$K810" take
c l2.db sync resolve "$K810" keep
c hub.db sync pack early.pack --for L2
c l2.db sync apply early.pack
check_rc 0 "L2 applies the hub's decision after its own"
c l2.db sync with hub.db
check_rc 0 "... then both ways"
check_true "... the row is back, kept until a person decides" test "$(has hub.db R-2024-810)" = 1
check_true "... as an open conflict" test -n "$(open_on hub.db R-2024-810 edit_vs_delete)"
none_on_conflicts "... none on the conflicts table's own columns"
c l2.db sync with hub.db
same "... the two copies are the same" hub.db l2.db

# ---- a duplicate ref decided differently ----
# R-2024-900 made on both: L2's row is R-2024-900-L2 with a duplicate conflict. The hub keeps it as
# it is, L2 gives it a key of its own (R-2024-910): a field conflict on its ref, the hub's key kept.
# Then a second, R-2024-901: the hub gives it R-2024-911, L2 keeps it as it is.
printf '%s\nR-2024-900,2024-01-15,school,cme,,LA-900,Di,Ray,2013-03-03,cin,none,,,,\nR-2024-901,2024-01-15,school,cme,,LA-901,Ed,Ray,2013-03-03,cin,none,,,,\n' "$H" >dup.csv
sed 's/LA-90/LA-L2-90/' dup.csv >dup-l2.csv
c hub.db import referrals dup.csv
c l2.db import referrals dup-l2.csv
c l2.db sync with hub.db
dup_of() { q hub.db "SELECT id FROM conflicts WHERE kind = 'duplicate' AND hub = '$1' AND state = 'open'"; }
U900=$(dup_of R-2024-900)
U901=$(dup_of R-2024-901)
check_true "two duplicate refs" sh -c "test -n '$U900' && test -n '$U901'"
c hub.db sync resolve "$U900" keep
c l2.db sync resolve "$U900" set R-2024-910
check_rc 0 "the hub keeps L2's row as it is, L2 gives it a key of its own"
c hub.db sync resolve "$U901" set R-2024-911
c l2.db sync resolve "$U901" keep
check_rc 0 "the hub gives the other a key of its own, L2 keeps it"
c l2.db sync pack l2d.pack
c hub.db sync apply l2d.pack
check_rc 0 "L2's decisions applied on the hub"
check_true "... the hub's keys stay" test "$(has hub.db R-2024-900-L2)$(has hub.db R-2024-911)$(has hub.db R-2024-910)" = 110
check_true "... the hub's decisions stay" test "$(res $U900 $U901)" = "keep set "
none_on_conflicts "... none on the conflicts table's own columns"
c hub.db sync conflicts --format json
check_true "... one field conflict on each ref: base, the hub's key and L2's" python3 -c '
import json, sys
d = sorted((x["kind"], x["table"], x["field"], x["base"], x["hub"], x["laptop"], x["laptop_name"])
           for x in json.load(open(sys.argv[1])) if x["state"] == "open" and x["field"] == "ref")
assert d == [("field", "referrals", "ref", "R-2024-900-L2", "R-2024-900-L2", "R-2024-910", "L2"),
             ("field", "referrals", "ref", "R-2024-901-L2", "R-2024-911", "R-2024-901-L2", "L2")], d' "$OUT"
c l2.db sync with hub.db
check_rc 0 "the reply pack"
same "... the two copies are the same" hub.db l2.db
check_true "... L2 holds the hub's keys" test "$(has l2.db R-2024-900-L2)$(has l2.db R-2024-911)$(has l2.db R-2024-910)" = 110
F900=$(q hub.db "SELECT id FROM conflicts WHERE field = 'ref' AND kind = 'field' AND laptop = 'R-2024-910'")
c hub.db sync resolve "$F900" take
check_rc 0 "a person takes L2's key"
c l2.db sync with hub.db
check_true "... it travels" test "$(has l2.db R-2024-910)$(has l2.db R-2024-900-L2)" = 10
same "... the two copies are the same" hub.db l2.db

# ---- an entry corrected on both copies, decided differently ----
# The hub and L4 amend (or withdraw) the same action: the hub's correction is current and a
# correction conflict waits (sync_corrections.c; keep: the hub's current, take: the laptop's).
# Each decided one way on the hub and the other on L4: the hub's decision stays (its line of
# versions, its resolution), one new correction conflict asks again, none on the conflicts table,
# and after packs both ways every table of the two copies is the same. The corrections are written
# with the sqlite3 shell as the app writes them, under keys of the copy's own device (store_new_id).
correct() { # DB KIND N NOTE WITHDRAWN: the current version of the KIND action corrected
    logged_sql "$1" actions "INSERT INTO actions(id, referral_id, date, officer_id, kind, note,
        follow_up, supersedes, withdrawn, corrected_on, corrected_by, reason)
        SELECT (SELECT value FROM meta WHERE key = 'device_id') * 4294967296 + $3, referral_id,
        date, officer_id, kind, '$4', follow_up, id, $5, '2024-02-01', officer_id, 'typo'
        FROM actions_current WHERE kind = '$2';"
}
now() { # DB KIND: the KIND action's current version's note, (none) when withdrawn
    q "$1" "SELECT coalesce((SELECT group_concat(note, '+') FROM actions_current WHERE kind = '$2'), '(none)')"
}
corr() { # KIND [STATE]: the hub's correction conflicts on the KIND action's line, their ids
    q hc.db "SELECT group_concat(c.id, ' ') FROM conflicts c JOIN actions a ON a.id = c.row_id
        WHERE c.field = 'supersedes' AND a.kind = '$1' AND c.state = '${2:-open}'"
}
c hc.db import referrals "$D/import-referrals.csv"
c hc.db import actions "$D/import-actions.csv"
printf 'ref,date,officer,kind,note,follow_up\nR-2023-002,2023-10-05,CD,email,Emailed mum,\n' >email.csv
c hc.db import actions email.csv
c hc.db sync checkout l4.db --name L4
correct hc.db call 901 "hub call" 0
correct l4.db call 901 "L4 call" 0
correct hc.db visit 902 "hub visit" 0
correct l4.db visit 902 "L4 visit" 0
correct hc.db meeting 903 "withdrawn" 1
correct l4.db meeting 903 "L4 meeting" 0
c l4.db sync with hc.db
check_rc 0 "the hub and L4 correct the same three actions (the meeting withdrawn on the hub)"
KCALL=$(corr call)
KVISIT=$(corr visit)
KMEET=$(corr meeting)
check_true "... three correction conflicts, the hub's corrections current" sh -c "test -n '$KCALL' &&
    test -n '$KVISIT' && test -n '$KMEET' &&
    test '$(now hc.db call)|$(now hc.db visit)|$(now hc.db meeting)' = 'hub call|hub visit|(none)'"
same "... on both copies" hc.db l4.db
# The call: the hub keeps its correction, L4 takes its own; the visit and the meeting: the hub
# takes L4's, L4 keeps the hub's.
c hc.db sync resolve "$KCALL" keep
c hc.db sync resolve "$KVISIT" take
c hc.db sync resolve "$KMEET" take
check_true "the hub's decisions: its call, L4's visit and meeting" test \
    "$(now hc.db call)|$(now hc.db visit)|$(now hc.db meeting)" = "hub call|L4 visit|L4 meeting"
c l4.db sync resolve "$KCALL" take
c l4.db sync resolve "$KVISIT" keep
c l4.db sync resolve "$KMEET" keep
check_true "L4 decides each the other way" test \
    "$(now l4.db call)|$(now l4.db visit)|$(now l4.db meeting)" = "L4 call|hub visit|(none)"
c l4.db sync pack l4.pack
c hc.db sync apply l4.pack
check_rc 0 "L4's decisions applied on the hub"
check_true "... the hub's decisions stay: each entry one current version, the hub's choice" test \
    "$(now hc.db call)|$(now hc.db visit)|$(now hc.db meeting)" = "hub call|L4 visit|L4 meeting"
check_true "... and its resolutions" test "$(q hc.db "SELECT group_concat(resolution, ' ') FROM
    (SELECT resolution FROM conflicts WHERE id IN ($KCALL, $KVISIT, $KMEET) ORDER BY id)")" = "keep take take"
check_true "... one new correction conflict on each, nothing else open" test \
    "$(corr call | wc -w)$(corr visit | wc -w)$(corr meeting | wc -w)$(q hc.db "SELECT count(*) FROM conflicts WHERE state = 'open'")" = 1113
check_true "... none on the conflicts table's own columns" test \
    "$(q hc.db "SELECT count(*) FROM conflicts WHERE tbl = 'conflicts'")" = 0
c hc.db sync conflicts --format json
check_true "... each names the version the hub holds current and the one L4 chose" python3 -c '
import json, sys
d = sorted((x["hub"].split(": ")[-1], x["laptop"].split(": ")[-1], x["laptop_name"])
           for x in json.load(open(sys.argv[1])) if x["field"] == "supersedes")
assert d == [("L4 meeting", "withdrawn (Meeting of 2023-10-03)", "L4"), ("L4 visit", "hub visit", "L4"),
             ("hub call", "L4 call", "L4")], d' "$OUT"
c l4.db sync with hc.db
check_rc 0 "the reply pack"
same "... the two copies are the same" hc.db l4.db
check_true "... L4 holds the hub's decisions" test \
    "$(now l4.db call)|$(now l4.db visit)|$(now l4.db meeting)" = "hub call|L4 visit|L4 meeting"
c l4.db sync with hc.db
same "... and stay so" hc.db l4.db

# The new conflicts decided: take on the hub turns each entry round, the decision travels.
for k in $(corr call) $(corr visit) $(corr meeting); do c hc.db sync resolve "$k" take; done
check_true "taking L4's side of each new conflict" test \
    "$(now hc.db call)|$(now hc.db visit)|$(now hc.db meeting)" = "L4 call|hub visit|(none)"
c l4.db sync with hc.db
check_true "... travels" test "$(now l4.db call)|$(now l4.db visit)|$(now l4.db meeting)" = "L4 call|hub visit|(none)"
check_true "... nothing left open" test "$(q hc.db "SELECT count(*) FROM conflicts WHERE state = 'open'")" = 0
same "... the two copies are the same" hc.db l4.db

# ... and when L4 decided before it applied the hub's pack holding the hub's decision.
correct hc.db email 904 "hub email" 0
correct l4.db email 904 "L4 email" 0
c l4.db sync with hc.db
KEMAIL=$(corr email)
check_true "a fourth correction conflict" test -n "$KEMAIL"
c hc.db sync resolve "$KEMAIL" keep
c l4.db sync resolve "$KEMAIL" take
c hc.db sync pack early.pack --for L4
c l4.db sync apply early.pack
check_rc 0 "L4 applies the hub's decision after its own"
c l4.db sync with hc.db
check_rc 0 "... then both ways"
check_true "... the hub's correction stays current" test "$(now hc.db email)" = "hub email"
check_true "... with one new conflict on it" test "$(corr email | wc -w)" = 1
c l4.db sync with hc.db
same "... the two copies are the same" hc.db l4.db
check_true "... L4's current email the hub's" test "$(now l4.db email)" = "hub email"

# ... and when the same pack holds L4's other decision on a second correction conflict of the same
# table that only L4 resolved: only the disagreeing entry's line stays as the hub's decision made
# it, L4's take of the other (its line turned round) applies on the hub.
correct hc.db call 905 "hub call 2" 0
correct l4.db call 905 "L4 call 2" 0
correct hc.db visit 906 "hub visit 2" 0
correct l4.db visit 906 "L4 visit 2" 0
c l4.db sync with hc.db
KA=$(corr call)
KB=$(corr visit)
check_true "two more correction conflicts" sh -c "test -n '$KA' && test -n '$KB'"
c hc.db sync resolve "$KA" keep
c l4.db sync resolve "$KA" take
c l4.db sync resolve "$KB" take
check_true "... the hub keeps its call, L4 takes its own call and its own visit" test \
    "$(now hc.db call)|$(now hc.db visit)|$(now l4.db call)|$(now l4.db visit)" = "hub call 2|hub visit 2|L4 call 2|L4 visit 2"
c l4.db sync pack both.pack
c hc.db sync apply both.pack
check_rc 0 "L4's two decisions applied on the hub"
check_true "... the hub's call stays, L4's visit is current" test \
    "$(now hc.db call)|$(now hc.db visit)" = "hub call 2|L4 visit 2"
check_true "... the visit's conflict resolved as L4 took it" test \
    "$(q hc.db "SELECT state || ' ' || resolution FROM conflicts WHERE id = $KB")" = "resolved take"
check_true "... one new correction conflict, on the call only" test \
    "$(corr call | wc -w)$(corr visit | wc -w)" = 10
c l4.db sync with hc.db
check_rc 0 "... then both ways"
same "... the two copies are the same" hc.db l4.db
check_true "... L4's call the hub's, its visit its own" test \
    "$(now l4.db call)|$(now l4.db visit)" = "hub call 2|L4 visit 2"

# ... and the two decisions in one entry of L4's log (caseload writes each resolution as an entry
# of its own; the entries joined with the sqlite3 shell): the same.
for k in $(corr call); do c hc.db sync resolve "$k" keep; done
c l4.db sync with hc.db
correct hc.db call 907 "hub call 3" 0
correct l4.db call 907 "L4 call 3" 0
correct hc.db visit 908 "hub visit 3" 0
correct l4.db visit 908 "L4 visit 3" 0
c l4.db sync with hc.db
KA=$(corr call)
KB=$(corr visit)
check_true "two more correction conflicts, one on each" test "$(corr call | wc -w)$(corr visit | wc -w)" = 11
c hc.db sync resolve "$KA" keep
c l4.db sync resolve "$KA" take
c l4.db sync resolve "$KB" take
sqlite3 l4.db "UPDATE sync_log SET changes = changes || (SELECT changes FROM sync_log
    WHERE seq = (SELECT max(seq) FROM sync_log)) WHERE seq = (SELECT max(seq) - 1 FROM sync_log);
    DELETE FROM sync_log WHERE seq = (SELECT max(seq) FROM sync_log);"
c l4.db sync pack one.pack
c hc.db sync apply one.pack
check_rc 0 "L4's two decisions in one entry applied on the hub"
check_true "... the hub's call stays, L4's visit is current" test \
    "$(now hc.db call)|$(now hc.db visit)" = "hub call 3|L4 visit 3"
check_true "... one new correction conflict, on the call only" test \
    "$(corr call | wc -w)$(corr visit | wc -w)" = 10
c l4.db sync with hc.db
same "... the two copies are the same" hc.db l4.db
check_true "... L4's call the hub's, its visit its own" test \
    "$(now l4.db call)|$(now l4.db visit)" = "hub call 3|L4 visit 3"

finish
