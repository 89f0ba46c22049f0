#!/bin/sh
# test_sync_merge: the cases of SPEC section 9's merge rule that test_sync does not run with three
# copies (a hub and two laptop copies, L2 and L3, syncing with the hub only): rows appended on every
# copy all kept; different fields of one row changed on the two laptops both kept; a row deleted on
# one laptop and changed on the other kept, as a conflict; the same UPN, officer's initials and
# school URN created on both laptops kept twice with a duplicate conflict each; and, with two
# copies, the same UPN made on the hub and its laptop; the hub's packs to a laptop applied late and
# twice; and one conflict resolved differently on two copies. After packs both ways every copy holds the
# same data, conflicts included, field for field. (A row is deleted with the sqlite3 shell in a
# session and logged as caseload logs its own changes, as test_sync does.)
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
round() { # every laptop with the hub, twice (what one laptop brings reaches the other)
    for i in 1 2; do
        c l2.db sync with hub.db
        c l3.db sync with hub.db
    done
}
converged() { # DESC
    same "$1: the hub and L2 hold the same" hub.db l2.db
    same "$1: the hub and L3 hold the same" hub.db l3.db
}
H="ref,received,source,issue,upn,la_child_id,first_name,last_name,dob,care_status,sen,officer,school_urn,school_name,summary"

c hub.db import referrals "$D/import-referrals.csv"
c hub.db sync checkout l2.db --name L2
c hub.db sync checkout l3.db --name L3
check_rc 0 "a hub and two laptop copies"

# ---- appended rows on every copy, different fields of one row on the two laptops ----
for who in hub l2 l3; do
    printf 'ref,date,officer,kind,note,follow_up\nR-2023-001,2024-01-10,AB,call,call made on %s,\n' "$who" >act-$who.csv
    c $who.db import actions act-$who.csv
done
edit --only "$D/import-referrals.csv" f2.csv R-2023-001 summary "summary from L2"
edit --only "$D/import-referrals.csv" f3.csv R-2023-001 issue cme
c l2.db import referrals f2.csv
c l3.db import referrals f3.csv
round
check_rc 0 "the laptops sync with the hub in turn"
for db in hub l2 l3; do
    check_true "$db: the actions appended on the hub, L2 and L3 are all kept" test "$(q $db.db \
        "SELECT group_concat(note, ', ') FROM (SELECT note FROM actions WHERE note LIKE 'call made on %'
         ORDER BY note)")" = "call made on hub, call made on l2, call made on l3"
    check_true "$db: L2's summary and L3's issue of one referral are both kept" test \
        "$(field $db.db R-2023-001 summary)|$(field $db.db R-2023-001 issue)" = "summary from L2|cme"
done
check_true "... and neither is a conflict" test "$(q hub.db "SELECT count(*) FROM conflicts")" = 0
converged "appended rows and different fields"

# ---- a row deleted on one laptop and changed on the other ----
printf '%s\nR-2024-800,2024-01-15,school,cme,,LA-800,Ben,Ray,2013-03-03,cin,none,,,,\nR-2024-801,2024-01-15,school,cme,,LA-801,Cal,Ray,2013-03-03,cin,none,,,,\n' "$H" >del.csv
c hub.db import referrals del.csv
round
edit --only del.csv e2.csv R-2024-800 summary "edited on L2"
edit --only del.csv e3.csv R-2024-801 summary "edited on L3"
c l2.db import referrals e2.csv
c l3.db import referrals e3.csv
logged_delete l3.db R-2024-800
logged_delete l2.db R-2024-801
round
for db in hub l2 l3; do
    check_true "$db: the referral L3 deleted and L2 edited is kept, with L2's edit" \
        test "$(field $db.db R-2024-800 summary)" = "edited on L2"
    check_true "$db: the referral L2 deleted and L3 edited is kept, with L3's edit" \
        test "$(field $db.db R-2024-801 summary)" = "edited on L3"
done
check_true "... each a conflict for a person, from the laptop whose change came second" test "$(q hub.db \
    "SELECT group_concat(c.kind || ' ' || r.ref || ' ' || c.laptop_name, ', ') FROM (SELECT * FROM
     conflicts WHERE state = 'open' ORDER BY row_id) c JOIN referrals r ON r.id = c.row_id
     WHERE r.ref LIKE 'R-2024-80_'")" = "delete_vs_edit R-2024-800 L3, edit_vs_delete R-2024-801 L3"
c hub.db sync conflicts
check_true "sync conflicts: the hub's delete is not in effect while the row is kept" \
    sh -c "grep -A2 'R-2024-801 · LA-801 · Referral: edited on the laptop, deleted on the hub' '$OUT' |
        grep -qx \"  Hub's (kept now): deleted (the row is kept until decided)\""
converged "deletes against edits"

# ---- the same natural keys created on both laptops ----
printf '%s\nR-2024-700,2024-01-15,school,cme,N801200005101,,Amy,Lee,2013-03-03,cin,none,QX,654321,Elm Primary,\n' "$H" >n2.csv
printf '%s\nR-2024-701,2024-01-16,school,cme,N801200005101,,Amy,Lee,2013-03-03,cin,none,QX,654321,Elm Primary,\n' "$H" >n3.csv
c l2.db import referrals n2.csv
check_rc 0 "L2 records a new child, officer and school"
c l3.db import referrals n3.csv
check_rc 0 "L3 records the same child, officer and school"
round
for db in hub l2 l3; do
    check_true "$db: both children are kept, L3's UPN marked as its own" test "$(q $db.db \
        "SELECT group_concat(upn, ' ') FROM (SELECT upn FROM children WHERE first_name = 'Amy' ORDER BY upn)")" = \
        "N801200005101 N801200005101-L3"
    check_true "$db: both officers, both schools" test "$(q $db.db \
        "SELECT (SELECT group_concat(initials, ' ') FROM (SELECT initials FROM officers WHERE initials LIKE 'QX%' ORDER BY 1))
         || '|' || (SELECT group_concat(urn, ' ') FROM (SELECT urn FROM schools WHERE urn LIKE '654321%' ORDER BY 1))")" = \
        "QX QX-L3|654321 654321-L3"
    check_true "$db: each referral keeps the child its copy made" test "$(q $db.db \
        "SELECT group_concat(r.ref || ' ' || ch.upn, ', ') FROM (SELECT * FROM referrals WHERE ref LIKE 'R-2024-70_' ORDER BY ref) r
         JOIN children ch ON ch.id = r.child_id")" = "R-2024-700 N801200005101, R-2024-701 N801200005101-L3"
done
c hub.db sync conflicts --format json
check_true "a duplicate conflict for each key made twice, from L3" python3 -c '
import json, sys
d = sorted((x["table"], x["field"], x["hub"], x["laptop"], x["laptop_name"])
           for x in json.load(open(sys.argv[1])) if x["kind"] == "duplicate")
assert d == [("children", "upn", "N801200005101", "N801200005101-L3", "L3"),
             ("officers", "initials", "QX", "QX-L3", "L3"),
             ("schools", "urn", "654321", "654321-L3", "L3")], d' "$OUT"
converged "duplicates"

# ---- two copies: the same UPN made on the hub and on L2 ----
printf '%s\nR-2024-710,2024-01-20,school,ehe,B801200005111,,Dan,Poe,2012-04-04,cp,none,,,,\n' "$H" >h.csv
printf '%s\nR-2024-711,2024-01-21,school,ehe,B801200005111,,Dan,Poe,2012-04-04,cp,none,,,,\n' "$H" >l.csv
c hub.db import referrals h.csv
c l2.db import referrals l.csv
c l2.db sync with hub.db
check_rc 0 "the hub and L2 both made the same child"
check_true "both children are kept, the laptop's UPN marked as its own" test "$(q hub.db \
    "SELECT group_concat(upn, ' ') FROM (SELECT upn FROM children WHERE first_name = 'Dan' ORDER BY upn)")" = \
    "B801200005111 B801200005111-L2"
check_true "... with a duplicate conflict" test "$(q hub.db "SELECT count(*) FROM conflicts
    WHERE kind = 'duplicate' AND tbl = 'children' AND laptop = 'B801200005111-L2'")" = 1
same "two copies: the hub and L2 hold the same" hub.db l2.db

# ---- the hub's packs to a laptop applied late and twice ----
c l3.db sync with hub.db
edit --only "$D/import-referrals.csv" o1.csv R-2024-004 summary "first on the hub"
c hub.db import referrals o1.csv
c hub.db sync pack early.pack --for L3
edit --only "$D/import-referrals.csv" o2.csv R-2024-004 summary "second on the hub"
c hub.db import referrals o2.csv
c hub.db sync pack late.pack --for L3
c l3.db sync apply late.pack
check_rc 0 "L3 applies the hub's later pack first"
check_true "... which brings both changes" test "$(field l3.db R-2024-004 summary)" = "second on the hub"
digest l3.db >l3-digest
c l3.db sync apply early.pack
check_out_has "nothing new from hub" "the earlier pack, late, holds nothing new"
c l3.db sync apply late.pack
check_out_has "nothing new from hub" "the later one, again, neither"
digest l3.db >l3-now
check_true "... and neither changed anything" cmp -s l3-digest l3-now

# ---- one conflict resolved on the hub and on L2, differently ----
edit --only "$D/import-referrals.csv" rh.csv R-2023-002 summary "hub's words"
edit --only "$D/import-referrals.csv" rl.csv R-2023-002 summary "L2's words"
c hub.db import referrals rh.csv
c l2.db import referrals rl.csv
c l2.db sync with hub.db
ID=$(q hub.db "SELECT id FROM conflicts WHERE state = 'open' AND field = 'summary'")
c hub.db sync resolve "$ID" keep
c l2.db sync resolve "$ID" take
c l2.db sync with hub.db
check_rc 0 "a conflict resolved on both copies, differently: the packs apply"
check_true "when each resolved it is a timestamp, never a conflict" test "$(q hub.db \
    "SELECT count(*) FROM conflicts WHERE tbl = 'conflicts' AND field = 'resolved_at'")" = 0
check_true "... the two decisions wait for a person, as a clash of the field (issue 9)" test "$(q hub.db \
    "SELECT group_concat(tbl || ' ' || field || ': ' || hub || ' / ' || laptop) FROM conflicts
     WHERE state = 'open' AND field IN ('summary', 'resolution')")" = "referrals summary: hub's words / L2's words"
check_true "... none on the conflicts table's own columns" test "$(q hub.db \
    "SELECT count(*) FROM conflicts WHERE tbl = 'conflicts'")" = 0
check_true "... the hub's value stays" test "$(field hub.db R-2023-002 summary)" = "hub's words"
c l2.db sync with hub.db
same "the hub and L2 hold the same" hub.db l2.db

finish
