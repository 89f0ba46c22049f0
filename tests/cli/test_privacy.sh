#!/bin/sh
# test_privacy: children's data (SPEC section 10): social_work_ended and the cohort, retention
# review and purge, subject access, the access log and published figures.
. "$SOURCE_ROOT/tests/cli/lib.sh"

cd "$DATA" || exit 1
D="--as-of 2026-01-01"
load_fixture "$D" referrals children

# ---- cohort ----
run $D list --status all --cohort ever6 --format csv
check_rc 0 "list --cohort ever6"
check_out privacy-cohort-ever6.csv "list --cohort ever6: the child whose plan ended in 2023"
run $D list --status all --cohort current --format csv
check_out privacy-cohort-current.csv "list --cohort current: no social_work_ended"
run --as-of 2029-03-31 list --status all --cohort out --format csv
check_out_has "R-2023-002" "on the sixth anniversary of the end the child is out of the cohort"
run --as-of 2029-03-30 list --status all --cohort out --format csv
check_true "the day before, not yet" sh -c "! grep -q R-2023-002 '$OUT'"
run $D list --cohort later
check_rc 2 "an unknown cohort is bad usage"
check_err_has "unknown cohort 'later' (valid: current, ever6, out)" "it names the valid ones"

# An empty social_work_ended in a file with the column clears it (a plan opened again).
printf 'upn,social_work_ended\nP801200005011,\n' >"$TMPDIR_T/reopen.csv"
run $D import children "$TMPDIR_T/reopen.csv"
check_rc 0 "import children clearing social_work_ended"
run $D export children
check_out_has "P801200005011,,Siobhán,Smith-Jones,2010-09-01,female,123457,Oak Academy,cla,ehcp,ASD,yes," \
    "the date is gone"
check_true "and only that row changed" sh -c "grep -q ',2019-07-31\$' '$OUT'"
printf 'upn,social_work_ended\nP801200005011,2025-13-01\n' >"$TMPDIR_T/bad.csv"
run $D import children "$TMPDIR_T/bad.csv"
check_rc 65 "a bad social_work_ended is bad input"
check_err_has "bad.csv:2: social_work_ended: '2025-13-01' is not a date (YYYY-MM-DD)" \
    "named by file, line and column"

# ---- subject access ----
S="--db $TMPDIR_T/s.db --as-of 2026-01-10"
for k in referrals children actions outcomes exclusions attendance episodes; do
    "$CASELOAD" $S import $k privacy-$k.csv >/dev/null
    "$CASELOAD" $S export $k --format json >"$TMPDIR_T/export-$k.json"
done
"$CASELOAD" $S --officer AB score Y801200007001 >/dev/null
CONFLICT="INSERT INTO conflicts(id, kind, tbl, row_id, field, base, hub, laptop, laptop_name, at)
  SELECT 1, 'field', 'referrals', id, 'summary', 'Zebrafinch summary', 'hub text', 'Kingfisher laptop text',
         'L1', '2026-01-02T10:00:00Z' FROM referrals WHERE ref = 'R-P-001'"
sqlite3 "$TMPDIR_T/s.db" "$CONFLICT"
# ... and one on the officer (the column holds the officers' row keys) and one on the issue (a code).
sqlite3 "$TMPDIR_T/s.db" "INSERT INTO officers(id, initials, created_at, updated_at) VALUES (9001, 'QZ', '', '');
  INSERT INTO conflicts(id, kind, tbl, row_id, field, base, hub, laptop, laptop_name, at)
  SELECT 2, 'field', 'referrals', id, 'officer_id', officer_id, officer_id, 9001, 'L1',
         '2026-01-03T10:00:00Z' FROM referrals WHERE ref = 'R-P-002';
  INSERT INTO conflicts(id, kind, tbl, row_id, field, base, hub, laptop, laptop_name, at)
  SELECT 3, 'field', 'referrals', id, 'issue', 'attendance', 'exclusion', 'cme', 'L1',
         '2026-01-04T10:00:00Z' FROM referrals WHERE ref = 'R-P-001'"
run $S sar Y801200007001 -o "$TMPDIR_T/sar.json" --format json
check_rc 2 "sar needs a known officer"
run $S --officer ab sar Y801200007001 -o "$TMPDIR_T/sar.json" --format json
check_rc 0 "sar --format json"
check_err_empty "sar: nothing on stderr"
check_true "the SAR file is 0600" sh -c "stat -c %a '$TMPDIR_T/sar.json' | grep -qx 600"
check_true "the SAR holds every row about the child an export holds, and no other" \
    /usr/bin/python3 -c '
import json, sys
d = sys.argv[1]
sar = json.load(open(d + "/sar.json"))
ch = sar["child"]
def mine(r): return r.get("upn") == ch["upn"] and r.get("la_child_id") == ch["la_child_id"]
refs = set()
for k in ["referrals", "children", "actions", "outcomes", "exclusions", "attendance", "episodes"]:
    rows = json.load(open(d + "/export-" + k + ".json"))
    if k in ("actions", "outcomes"): want = [r for r in rows if r["ref"] in refs]
    else: want = [r for r in rows if mine(r)]
    if k == "referrals": refs = {r["ref"] for r in want}
    got = [dict((a, b) for a, b in ch.items() if a != "cohort")] if k == "children" else sar[k]
    assert want == got, (k, want, got)
    assert want, k
assert sar["score"]["factors"][0]["factor"] == "cme" and len(sar["score"]["factors"]) == 16
log = sar["access_log"]
assert log[0]["action"] == "score", log
kinds = ["referrals", "children", "actions", "outcomes", "exclusions", "attendance", "episodes"]
assert [a["action"] for a in log[1:]] == ["import_child"] * 7, log
assert sorted(a["detail"] for a in log[1:]) == sorted(kinds), log
assert all(a["table"] == "children" and a["officer"] is None for a in log[1:]), log
c = sar["conflicts"]
assert len(c) == 3 and c[0]["laptop"] == "Kingfisher laptop text" and c[0]["table"] == "referrals", c
assert (c[1]["field"], c[1]["base"], c[1]["hub"], c[1]["laptop"]) == ("officer_id", "AB", "AB", "QZ"), c[1]
assert (c[2]["base"], c[2]["hub"], c[2]["laptop"]) == ("attendance", "exclusion", "cme"), c[2]
assert sar["access_log"][0]["officer"] == "AB" and sar["access_log"][0]["os_user"]
' "$TMPDIR_T"
run $S --officer ab sar Y801200007001 -o "$TMPDIR_T/sar.json" --format json
check_rc 2 "an existing file is not overwritten"
check_err_has "sar.json exists: it is not overwritten" "it says so"
run $S --officer ab sar LA-P1 -o "$TMPDIR_T/sar.md"
check_rc 0 "sar (Markdown, by LA child id)"
for w in Wilhelmina Zebrafinch Nightingale Pelican Cormorant Osprey Kingfisher "| sar | children"; do
    check_true "the Markdown timeline holds '$w'" grep -qF "$w" "$TMPDIR_T/sar.md"
done
check_true "the Markdown says each conflict in the words of sync conflicts" sh -c "grep -A3 -x -e '- 2 open: R-P-002 · Y801200007001 · Officer: changed on both copies, found 2026-01-03 10:00' '$TMPDIR_T/sar.md' |
    tr '\\n' '|' | grep -qxF -e '- 2 open: R-P-002 · Y801200007001 · Officer: changed on both copies, found 2026-01-03 10:00|  - Base (both had): AB|  - Hub'\\''s: AB|  - L1'\\''s: QZ|'"
check_true "... a code by its label" grep -qF "Issue: changed on both copies" "$TMPDIR_T/sar.md"
check_true "... its values as labels" sh -c "grep -A3 -F 'Issue: changed on both copies' '$TMPDIR_T/sar.md' | grep -qF 'L1'\\''s: Children missing education'"
check_true "... never the officers' row keys" sh -c "! grep -q 9001 '$TMPDIR_T/sar.md'"
check_true "and nothing of the other child" sh -c "! grep -q -e Umbrellaford -e Albatross -e Heron '$TMPDIR_T/sar.md'"
check_true "each SAR is in the audit, ids only" sh -c \
    "sqlite3 '$TMPDIR_T/s.db' \"SELECT count(*) FROM audit WHERE action = 'sar' AND officer = 'AB' AND tbl = 'children' AND child_id = row_id\" | grep -qx 2"

# ---- the access log ----
A="$TMPDIR_T/s.db"
"$CASELOAD" $S --officer AB export referrals --format json >/dev/null
"$CASELOAD" $S --officer zz score LA-P2 >/dev/null
check_true "an export is recorded with its kind and row count" sh -c \
    "sqlite3 '$A' \"SELECT count(*) FROM audit WHERE action = 'export' AND tbl = 'referrals' AND detail = '3 rows, json' AND officer = 'AB' AND os_user <> ''\" | grep -qx 1"
check_true "each export of the test is there (7 kinds and this one)" sh -c \
    "sqlite3 '$A' \"SELECT count(*) FROM audit WHERE action = 'export'\" | grep -qx 8"
check_true "a score by an officer who is not known: recorded as claimed, with the OS user" sh -c \
    "sqlite3 '$A' \"SELECT count(*) FROM audit WHERE action = 'score' AND officer IS NULL AND claimed = 'zz' AND os_user = '$(id -un)' AND child_id = row_id\" | grep -qx 1"
check_true "a change (the imports) names the officer and the OS user too" sh -c \
    "sqlite3 '$A' \"SELECT count(*) FROM audit WHERE action = 'import' AND claimed = 'test' AND os_user = '$(id -un)'\" | grep -qx 7"
check_true "each import that changed a child is in that child's access log: one row per child and import (the other child's children row was unchanged)" sh -c \
    "sqlite3 '$A' \"SELECT count(*) FROM audit a JOIN children c ON c.id = a.child_id WHERE a.action = 'import_child' AND a.tbl = 'children' AND a.row_id = c.id AND a.os_user = '$(id -un)' GROUP BY c.upn ORDER BY c.upn\" | tr '\\n' ' ' | grep -qx '6 7 '"
check_true "the access log holds ids only: no name, UPN or note" sh -c \
    "! sqlite3 '$A' 'SELECT * FROM audit' | grep -qi -e wilhelmina -e Y801200007001 -e LA-P -e zebrafinch"

# ---- retention review and purge ----
P="$TMPDIR_T/p.db"
R="--db $P --as-of 2026-01-10"
for k in referrals children actions outcomes exclusions attendance episodes; do
    "$CASELOAD" $R import $k privacy-$k.csv >/dev/null
done
run $R retention review
check_rc 0 "retention review"
check_out privacy-review.txt "review: the child due, the rule reached first and its date"
run $R retention review --format json
check_out privacy-review.json "review as JSON"
printf 'retention:\n  holds: [LA-P1, LA-P1]\n' >"$TMPDIR_T/dup.yaml"
run $R --config "$TMPDIR_T/dup.yaml" retention review
check_rc 78 "a duplicate hold is a bad configuration"
check_err_has "dup.yaml:2:18: duplicate hold (first at line 2)" "named by file, line and column"
printf 'retention:\n  holds: [LA-P1]\n' >"$TMPDIR_T/hold.yaml"
run $R --config "$TMPDIR_T/hold.yaml" retention review
check_out_has "0 children due as of 2026-01-10; 1 more under a hold" "a held child is never due"

for k in referrals children actions outcomes exclusions attendance episodes; do
    "$CASELOAD" $R export $k >"$TMPDIR_T/before-$k.csv"
done
sqlite3 "$P" "$CONFLICT"
# A follow-up marked done on one of the child's actions (the app writes these).
sqlite3 "$P" "INSERT INTO follow_up_done(id, action_id, date) SELECT 777, id, '2019-01-10' FROM actions WHERE note LIKE 'Cormorant%'"
cp "$P" "$TMPDIR_T/copy.db"
run $R --config "$TMPDIR_T/hold.yaml" --officer ab retention purge Y801200007001 --reason "schedule"
check_rc 1 "purge refused while the child is under a hold"
check_err_has "child 1 is under a hold (retention.holds): nothing was purged" "it says why"
check_true "and the database is unchanged" sh -c "$CASELOAD $R export children | cmp -s - '$TMPDIR_T/before-children.csv'"
run $R retention purge Y801200007001 --reason "schedule"
check_rc 2 "purge refused without a known officer (CASELOAD_OFFICER=test is not one)"
check_err_has "'test' is not a known officer's initials" "it says so, naming no child"
run $R --officer ab retention purge M801200007002 --reason "schedule"
check_rc 1 "purge refused for a child not due"
check_err_has "child 1 is not due until 2031-11-01 (years_after_last_activity; use --request" \
    "it says when it will be due"
run $R --officer ab retention purge Y801200007001 --reason "Quackenbush moved away"
check_rc 2 "a reason that names the child is refused"

# traces DESC DB WORD...: no byte of DB, its log or journal holds any WORD (case folded too)
traces() {
    desc=$1 db=$2
    shift 2
    found=""
    for f in "$db" "$db-wal" "$db-journal" "$db-shm"; do
        [ -e "$f" ] || continue
        for w in "$@"; do
            if grep -qai -- "$w" "$f"; then found="$found $w in $(basename "$f");"; fi
        done
    done
    if [ -z "$found" ]; then t_ok "$desc"; else t_notok "$desc" "$found"; fi
}
# hold DB / release: another program keeps DB open meanwhile, so the log is not removed when
# caseload closes it: the purge (or the apply) must empty it itself.
hold() {
    rm -f "$TMPDIR_T/ready" "$TMPDIR_T/done"
    /usr/bin/python3 -c '
import sqlite3, sys, os, time
c = sqlite3.connect(sys.argv[1]); c.execute("select count(*) from children").fetchall()
open(sys.argv[2], "w").close()
for _ in range(600):
    if os.path.exists(sys.argv[3]): break
    time.sleep(0.05)
' "$1" "$TMPDIR_T/ready" "$TMPDIR_T/done" &
    HOLDER=$!
    for _ in $(seq 600); do [ -e "$TMPDIR_T/ready" ] && break; sleep 0.05; done
}
release() {
    touch "$TMPDIR_T/done"
    wait $HOLDER
}
hold "$P"
run $R --officer ab retention purge Y801200007001 --reason "retention schedule"
check_rc 0 "purge of the child due"
check_out_has "1 child purged; a tombstone kept for each" "it says what it did"
check_err_empty "nothing on stderr: the log was emptied"
traces "no byte of the database, its log or journal holds the name, UPN, notes or summaries" "$P" \
    Wilhelmina Quackenbush Y801200007001 LA-P1 Zebrafinch Nightingale Pelican Cormorant Osprey Kingfisher
release
check_true "(the check can see them: they are in the copy made before)" grep -qa Quackenbush "$TMPDIR_T/copy.db"
check_true "(folded too, as the search index holds them)" grep -qa quackenbush "$TMPDIR_T/copy.db"
for k in referrals children actions outcomes exclusions attendance episodes; do
    grep -v -e Y801200007001 -e R-P-001 -e R-P-002 "$TMPDIR_T/before-$k.csv" >"$TMPDIR_T/want-$k.csv"
    "$CASELOAD" $R export $k >"$TMPDIR_T/after-$k.csv"
    check_true "the other child's $k are untouched" cmp "$TMPDIR_T/want-$k.csv" "$TMPDIR_T/after-$k.csv"
done
check_true "the tombstone: row key, rule, officer, date, no name" sh -c \
    "sqlite3 '$P' \"SELECT tbl, rule, officer, on_date, reason FROM tombstones\" | grep -qx 'children|years_after_social_work_ended|AB|2026-01-10|retention schedule'"
check_true "the follow-up marked done on the child's action went with it" sh -c \
    "sqlite3 '$P' 'SELECT count(*) FROM follow_up_done' | grep -qx 0"
check_true "the purge is in the audit" sh -c \
    "sqlite3 '$P' \"SELECT count(*) FROM audit WHERE action = 'purge' AND officer = 'AB'\" | grep -qx 1"
# The index holds the folded text (text_fold: lower case, no accents), as the search asks.
check_true "the search index finds the other child" sh -c \
    "sqlite3 '$P' \"SELECT count(*) FROM referral_search WHERE referral_search MATCH 'umbrellaford'\" | grep -qx 1"
check_true "and not the purged one" sh -c \
    "sqlite3 '$P' \"SELECT count(*) FROM referral_search WHERE referral_search MATCH 'quackenbush'\" | grep -qx 0"
run $R --officer ab retention purge Y801200007001 --reason "again"
check_rc 65 "a purged child is no longer there"
check_err_has "CHILD 1: no child has that UPN or LA child id" "said without the UPN"

# ---- purge on offline copies ----
# A hub and two laptop copies, the child's data in every copy's change log (sync_log): a purge on
# one copy erases every trace there, its tombstone travels in the packs (laptop to hub, hub to the
# other laptop), each copy that applies it erases every trace too, an edit of the child from a copy
# that had not seen the tombstone is dropped, and the copies converge.
H="$TMPDIR_T/hub.db" L1="$TMPDIR_T/l1.db" L2="$TMPDIR_T/l2.db"
Y="--as-of 2026-01-10 --officer ab"
X_WORDS="Wilhelmina Quackenbush Y801200007001 LA-P1 Zebrafinch Nightingale Pelican Cormorant Osprey Kittiwake Gannet Razorbill Shearwater"
Z_WORDS="Ptarmigan Featherstonehaugh LA-P3 Fulmarbay"
printf '%s\n' "ref,received,source,issue,la_child_id,first_name,last_name,dob,care_status,sen,officer,summary" \
    "R-P-004,2025-11-01,school,cme,LA-P3,Ptarmigan,Featherstonehaugh,2013-02-02,cin,none,AB,Fulmarbay summary" \
    >"$TMPDIR_T/third.csv"
"$CASELOAD" --db "$H" $Y import referrals privacy-referrals.csv >/dev/null
"$CASELOAD" --db "$H" $Y sync checkout "$L1" --name L1 >/dev/null
"$CASELOAD" --db "$H" $Y sync checkout "$L2" --name L2 >/dev/null
# From the first checkout on the hub logs every change: the rest of the children's data is in its log.
for k in children actions outcomes exclusions attendance episodes; do
    "$CASELOAD" --db "$H" $Y import $k privacy-$k.csv >/dev/null
done
"$CASELOAD" --db "$H" $Y import referrals "$TMPDIR_T/third.csv" >/dev/null
"$CASELOAD" --db "$L1" $Y sync with "$H" >/dev/null
# L1 edits the child (its own log), then sends it; the hub relays it (the hub's log), L2 takes it.
sed -e 's/Zebrafinch summary about attendance/Zebrafinch Kittiwake summary/' privacy-referrals.csv >"$TMPDIR_T/l1a.csv"
printf 'ref,date,officer,kind,note\nR-P-002,2025-12-01,AB,visit,Gannet visit note\n' >"$TMPDIR_T/l1a-actions.csv"
"$CASELOAD" --db "$L1" $Y import referrals "$TMPDIR_T/l1a.csv" >/dev/null
"$CASELOAD" --db "$L1" $Y import actions "$TMPDIR_T/l1a-actions.csv" >/dev/null
"$CASELOAD" --db "$L1" $Y sync with "$H" >/dev/null
"$CASELOAD" --db "$L2" $Y sync with "$H" >/dev/null
# Not yet sent: L2 adds an action to the child and edits the other child; L1 edits both children in
# one import (one change set holding both).
printf 'ref,date,officer,kind,note\nR-P-001,2025-12-02,AB,call,Shearwater call note\n' >"$TMPDIR_T/l2-actions.csv"
"$CASELOAD" --db "$L2" $Y import actions "$TMPDIR_T/l2-actions.csv" >/dev/null
sed -e 's/^R-P-003,2025-10-01,school,cme,no,/R-P-003,2025-10-01,school,cme,yes,/' privacy-referrals.csv >"$TMPDIR_T/l2.csv"
"$CASELOAD" --db "$L2" $Y import referrals "$TMPDIR_T/l2.csv" >/dev/null
sed -e 's/Zebrafinch summary about attendance/Zebrafinch Razorbill summary/' \
    -e 's/Kept child summary Albatross/Kept child summary Albatross Sanderling/' privacy-referrals.csv >"$TMPDIR_T/l1b.csv"
"$CASELOAD" --db "$L1" $Y import referrals "$TMPDIR_T/l1b.csv" >/dev/null
"$CASELOAD" --db "$L1" $Y sync pack "$TMPDIR_T/before.pack" >/dev/null
logged() { # DB WORD: WORD is in a change set of DB's change log
    test "$(sqlite3 "$1" "SELECT count(*) FROM sync_log WHERE instr(changes, CAST('$2' AS BLOB))")" != 0
}
check_true "(the check can see them: the child's data is in each copy's change log)" logged "$L1" Razorbill
check_true "(... the hub's, its own changes and those it relayed)" logged "$H" Kittiwake
check_true "(... and those made before)" logged "$H" Cormorant

hold "$L1"
run --db "$L1" $Y retention purge Y801200007001 --request --reason "erasure request"
check_rc 0 "purge on a laptop copy"
check_err_empty "nothing on stderr: the laptop's log was emptied"
traces "the laptop that purged: no byte of its database, log or journal holds the child's data" "$L1" $X_WORDS
release
check_true "the other child's edit in the same change set is still in the laptop's log" logged "$L1" Sanderling
run --db "$L1" $Y sync pack "$TMPDIR_T/after.pack"
check_rc 0 "a pack made after the purge (cumulative: it holds the rewritten changes too)"
hold "$H"
run --db "$H" $Y sync apply "$TMPDIR_T/after.pack"
check_rc 0 "the hub applies it"
check_out_has "1 child erased" "it says it erased the child the tombstone names"
traces "the hub that applied the tombstone: no byte of its database, log or journal holds the child's data" "$H" $X_WORDS
release
check_true "the hub has the other child's edit of the same change set" sh -c \
    "sqlite3 '$H' \"SELECT summary FROM referrals WHERE ref = 'R-P-003'\" | grep -qx 'Kept child summary Albatross Sanderling'"
run --db "$H" $Y sync apply "$TMPDIR_T/before.pack"
check_rc 0 "the pack made before the purge, applied late"
check_out_has "nothing new from L1" "holds nothing new"
traces "... and brings nothing of the child back" "$H" $X_WORDS
"$CASELOAD" --db "$L1" $Y sync with "$H" >/dev/null
same "the laptop that purged and the hub converge" "$H" "$L1"
# L2 had not seen the tombstone: its edit of the child is dropped, its edit of the other kept.
run --db "$L2" $Y sync pack "$TMPDIR_T/l2.pack"
run --db "$H" $Y sync apply "$TMPDIR_T/l2.pack"
check_rc 0 "the hub applies a pack editing the purged child"
check_out_has "dropped: their child was purged" "it says what it dropped"
traces "... which does not bring the child back" "$H" $X_WORDS
check_true "... and the other child's edit is kept" sh -c \
    "sqlite3 '$H' \"SELECT pex_risk FROM referrals WHERE ref = 'R-P-003'\" | grep -qx 1"
run --db "$H" $Y sync pack "$TMPDIR_T/r2.pack" --for L2
hold "$L2"
run --db "$L2" $Y sync apply "$TMPDIR_T/r2.pack"
check_rc 0 "the other laptop applies the tombstone relayed by the hub"
traces "the other laptop: no byte of its database, log or journal holds the child's data" "$L2" $X_WORDS
release
same "the other laptop and the hub converge" "$H" "$L2"

# A purge on the hub travels to both laptops the same way.
hold "$H"
run --db "$H" $Y retention purge LA-P3 --request --reason "erasure request"
check_rc 0 "purge on the hub"
check_err_empty "nothing on stderr"
traces "the hub that purged: no byte holds the child's data" "$H" $Z_WORDS
release
for L in "$L1" "$L2"; do
    hold "$L"
    run --db "$L" $Y sync with "$H"
    check_rc 0 "$(basename "$L") syncs with the hub"
    traces "$(basename "$L"): no byte holds the child purged on the hub" "$L" $Z_WORDS
    release
done
"$CASELOAD" --db "$L1" $Y sync with "$H" >/dev/null
same "three copies converge: L1 and the hub" "$H" "$L1"
same "three copies converge: L2 and the hub" "$H" "$L2"
for db in "$H" "$L1" "$L2"; do
    check_true "$(basename "$db") holds both tombstones and the other child, untouched" sh -c \
        "test \"\$(sqlite3 '$db' 'SELECT count(*) FROM tombstones')\" = 2 && sqlite3 '$db' \"SELECT first_name FROM children\" | grep -qx Bartholomew && test \"\$(sqlite3 '$db' 'SELECT count(*) FROM referrals')\" = 1 && test \"\$(sqlite3 '$db' 'SELECT count(*) FROM actions')\" = 1"
    check_true "$(basename "$db"): the search index finds the other child and none of the purged" sh -c \
        "test \"\$(sqlite3 '$db' \"SELECT count(*) FROM referral_search WHERE referral_search MATCH 'umbrellaford'\")\" = 1 && test \"\$(sqlite3 '$db' \"SELECT count(*) FROM referral_search WHERE referral_search MATCH 'quackenbush OR featherstonehaugh'\")\" = 0"
done

# The same child purged on the hub and on a laptop before they sync: each keeps one tombstone, the
# hub's, and the syncs go on.
run --db "$H" $Y retention purge M801200007002 --request --reason "erasure request"
check_rc 0 "the hub purges the last child"
run --db "$L1" $Y retention purge M801200007002 --request --reason "erasure request"
check_rc 0 "... and so does a laptop, before they sync"
run --db "$L1" $Y sync with "$H"
check_rc 0 "their packs apply, both ways"
"$CASELOAD" --db "$L2" $Y sync with "$H" >/dev/null
"$CASELOAD" --db "$L1" $Y sync with "$H" >/dev/null
same "the laptop and the hub converge, one tombstone for the child" "$H" "$L1"
same "and the other laptop" "$H" "$L2"
check_true "three tombstones, no child" sh -c \
    "test \"\$(sqlite3 '$H' 'SELECT count(*), (SELECT count(*) FROM children) FROM tombstones')\" = '3|0'"

# ---- a purge made before migration 0014 (erased_rows) ----
# Such a purge left its tombstone but noted none of the child's rows, and an offline copy's change
# log still held them (the purge did not rewrite it). Made here from a purge of today: the log put
# back as it was before it, the notes forgotten. On its next open the copy erases the child again
# as a tombstone from a pack would (its log rewritten without the child's rows, the rows noted), so
# a change from a laptop that had not seen the tombstone (an action on the child's referral) is
# dropped, where it used to stop that pack, and every later one, on a foreign key.
H="$TMPDIR_T/old-hub.db" L="$TMPDIR_T/old-l.db"
"$CASELOAD" --db "$H" $Y import referrals "$TMPDIR_T/third.csv" >/dev/null
"$CASELOAD" --db "$H" $Y sync checkout "$L" --name L3 >/dev/null
"$CASELOAD" --db "$H" $Y import referrals privacy-referrals.csv >/dev/null
"$CASELOAD" --db "$H" $Y import actions privacy-actions.csv >/dev/null
"$CASELOAD" --db "$L" $Y sync with "$H" >/dev/null
"$CASELOAD" --db "$L" $Y import actions "$TMPDIR_T/l2-actions.csv" >/dev/null
sqlite3 "$H" "ATTACH '$TMPDIR_T/old-log.db' AS k; CREATE TABLE k.log AS SELECT seq, changes FROM sync_log"
"$CASELOAD" --db "$H" $Y retention purge Y801200007001 --request --reason "erasure request" >/dev/null 2>&1
sqlite3 "$H" "ATTACH '$TMPDIR_T/old-log.db' AS k; UPDATE sync_log SET changes = (SELECT changes FROM k.log WHERE k.log.seq = sync_log.seq) WHERE seq IN (SELECT seq FROM k.log); DELETE FROM erased_rows"
check_true "(as a purge before 0014 left it: the tombstone, no notes, the child in the hub's log)" sh -c \
    "test \"\$(sqlite3 '$H' 'SELECT count(*) FROM tombstones')\" = 1 && test \"\$(sqlite3 '$H' 'SELECT count(*) FROM erased_rows')\" = 0 && test \"\$(sqlite3 '$H' \"SELECT count(*) FROM sync_log WHERE instr(changes, CAST('Quackenbush' AS BLOB))\")\" != 0"
run --db "$H" $Y list --limit 0
check_rc 0 "the hub opens"
traces "the hub's next open erases the child from its change log" "$H" Wilhelmina Quackenbush Y801200007001 LA-P1
check_true "and notes the child's rows (its referrals among them)" sh -c \
    "test \"\$(sqlite3 '$H' \"SELECT count(*) FROM erased_rows WHERE tbl = 'referrals'\")\" -ge 1"
run --db "$L" $Y sync pack "$TMPDIR_T/old-l.pack"
run --db "$H" $Y sync apply "$TMPDIR_T/old-l.pack"
check_rc 0 "the hub applies the pack of a laptop that added an action to the purged child's referral"
check_out_has "dropped: their child was purged" "the action is dropped, and said so"
traces "... which brings nothing of the child back" "$H" Wilhelmina Quackenbush Y801200007001 Shearwater
"$CASELOAD" --db "$L" $Y sync with "$H" >/dev/null
run --db "$L" $Y sync with "$H"
check_rc 0 "the laptop syncs on"
traces "the laptop takes the old tombstone: nothing of the child is left there" "$L" Wilhelmina Quackenbush Y801200007001 Shearwater
same "the laptop and the hub converge" "$H" "$L"
run --db "$H" $Y list --limit 0
check_err_empty "the next open finds nothing more to erase"

# ---- published figures ----
G="--db $TMPDIR_T/g.db --as-of 2025-06-01"
/usr/bin/python3 -c '
import sys
print("ref,received,source,issue,la_child_id,first_name,last_name,dob,care_status,sen")
issues = ["attendance"] * 20 + ["cme"] * 7 + ["sen"] * 2
for i, issue in enumerate(issues):
    print("R-G-%02d,2025-01-%02d,school,%s,LA-G%02d,Child%02d,Test,2012-01-01,cin,none" % (i, i + 1, issue, i, i))
' >"$TMPDIR_T/g.csv"
"$CASELOAD" $G import referrals "$TMPDIR_T/g.csv" >/dev/null
run $G report summary --format json
check_true "(unpublished, the figures are all there)" grep -q '"sen": 2' "$OUT"
run $G report summary --format json --publish
check_rc 0 "report summary --publish --format json"
check_true "a count below 5 is the string \"c\", and a true zero stays 0" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["referrals"]
assert d["by_issue"]["sen"] == "c" and d["by_issue"]["ehe"] == 0 and d["total"] == 29, d
' "$OUT"
check_true "no hidden count can be worked out from its total and the other cells" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["referrals"]
total = d["total"]
for group in ["by_issue", "by_sen", "by_care_status", "by_source", "by_month"]:
    cells = d[group]
    hidden = [k for k, v in cells.items() if v == "c"]
    if len(hidden) == 1 and total != "c":
        sys.exit("%s.%s = %d, solved from the total" % (group, hidden[0], total - sum(v for v in cells.values() if v != "c")))
' "$OUT"
check_true "the secondary cell is the smallest other one (cme, 7)" sh -c "grep -q '\"cme\": \"c\"' '$OUT'"
run $G report summary --publish --threshold 8 --format csv
check_true "--threshold 8: 7 is hidden too, in CSV as c (and its percentage)" grep -q '^Referrals by primary issue,Children missing education,Referrals,c,c,[0-9-]*,[0-9-]*,referrals.by_issue.cme$' "$OUT"
run $G report summary --publish
check_true "text: percentages built on a hidden count are hidden" sh -c "grep -E '^Special educational needs +c +c\$' '$OUT'"
check_true "text ends with a line saying what was hidden and why" sh -c \
    "tail -4 '$OUT' | tr '\n' ' ' | grep -q 'Published figures: counts from 1 to 4 are shown as c.*secondary suppression). 0 is a true zero.'"
run $G report summary --publish --format md
check_true "md too (its last note, before the closing line)" sh -c "grep -q '^- Published figures: counts from 1 to 4' '$OUT' && tail -1 '$OUT' | grep -q 'by caseload '"
run $G report summary --threshold 3
check_rc 2 "--threshold without --publish is bad usage"
run $G report summary --publish --threshold 1
check_rc 2 "--threshold below 2 is bad usage"

# ---- no core dumps ----
check_true "core dumps are off (RLIMIT_CORE 0) while the program runs" /usr/bin/python3 -c '
import subprocess, sys, time
p = subprocess.Popen([sys.argv[1], "--db", sys.argv[2], "import", "referrals", "-"],
                     stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ok = False
for _ in range(200):
    line = [l for l in open("/proc/%d/limits" % p.pid) if l.startswith("Max core file size")][0]
    if line.split()[4:6] == ["0", "0"]: ok = True; break
    time.sleep(0.05)
p.stdin.close(); p.wait()
sys.exit(0 if ok else 1)
' "$CASELOAD" "$TMPDIR_T/core.db"
# PR_SET_DUMPABLE 0: the kernel then gives the process's /proc files to root, whoever runs it
# (and lets no program of the same user attach to it). Run as another user than root (nobody,
# when the test runs as root), the files of a dumpable program are that user's: a control.
check_true "the program is not dumpable (PR_SET_DUMPABLE 0): its /proc files are root's while it runs as another user, a plain program's its own" /usr/bin/python3 -c '
import os, shutil, subprocess, sys, tempfile, time
exe = sys.argv[1]
d = tempfile.mkdtemp(dir="/tmp")
os.chmod(d, 0o777)
pre = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.getuid() == 0 else []
uid = 65534 if pre else os.getuid()
def owner(cmd, prog):
    p = subprocess.Popen(pre + cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = None
    try:
        for _ in range(400):
            try:
                argv0 = open("/proc/%d/cmdline" % p.pid, "rb").read().split(b"\0")[0]
                st = os.stat("/proc/%d/status" % p.pid)
            except OSError:
                break
            if os.path.basename(argv0).decode() == prog:
                seen = st.st_uid
                if prog != "caseload" or seen == 0: break
            time.sleep(0.025)
    finally:
        p.stdin.close(); p.wait()
    return seen
try:
    plain = owner([sys.executable, "-c", "import sys; sys.stdin.read()"], os.path.basename(sys.executable))
    ours = owner([exe, "--db", d + "/core.db", "import", "referrals", "-"], "caseload")
finally:
    shutil.rmtree(d)
if plain != uid or ours != 0:
    sys.exit("a plain program: /proc owner %s (want %d); caseload: %s (want 0)" % (plain, uid, ours))
' "$CASELOAD"

finish
