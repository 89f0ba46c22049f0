#!/bin/sh
# test_check: `caseload check [--format text|json]` (SPEC section 11): sound (exit 0) on a fresh
# caseload; each derived table or column made untrue is named by its check, by table and id only
# (exit 1); and a database with 32 bytes flipped in a children page (found with dbstat) is found
# by check and refused, untouched, by export, import and backup (exit 74).
. "$SOURCE_ROOT/tests/cli/lib.sh"

AS_OF=--as-of=2024-02-01
GOOD="$TMPDIR_T/good.db"
DB="$TMPDIR_T/t.db"
"$CASELOAD" $AS_OF --db "$GOOD" demo --children 120 >/dev/null
sqlite3 "$GOOD" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
# Nothing about a child in what check says: no first or last name of any child.
sqlite3 "$GOOD" "SELECT first_name FROM children UNION SELECT last_name FROM children" >"$TMPDIR_T/names"
fresh() { rm -f "$DB" "$DB-wal" "$DB-shm"; cp "$GOOD" "$DB"; }
q() { sqlite3 "$DB" "$1"; }
# json_field CHECK KEY: the value of KEY for CHECK in the JSON of the last run.
json_field() {
    python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
c = [c for c in d["checks"] if c["check"] == sys.argv[2]][0]
print(json.dumps(c[sys.argv[3]]), json.dumps(d["sound"]))' "$OUT" "$1" "$2"
}

fresh
run $AS_OF --db "$DB" check
check_rc 0 "a fresh caseload is sound"
check_out_has "sound: all" "and says so"
for c in integrity foreign_keys header row_keys search_index child_names referral_counts referral_list follow_up scores; do
    check_true "the check $c is run and ok" grep -qE "^$c +ok$" "$OUT"
done
run $AS_OF --db "$DB" check --format json
check_rc 0 "check --format json"
check_true "json: sound is true" test "$(json_field integrity ok)" = "true true"
check_true "json: every check has check, ok, problems and detail" python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"sound", "checks"} and len(d["checks"]) >= 8
for c in d["checks"]:
    assert set(c) == {"check", "ok", "problems", "detail"} and c["ok"] is True and c["problems"] == 0' "$OUT"
run $AS_OF --db "$TMPDIR_T/none.db" check
check_rc 74 "check of a missing database exits 74"
check_true "and makes no database" test ! -e "$TMPDIR_T/none.db"
run $AS_OF --db "$DB" check --format yaml
check_rc 2 "an unknown format exits 2"

# tamper CHECK SQL DESC [TEXT]: SQL makes one derived thing untrue; check exits 1 and names it.
tamper() {
    fresh
    q "$2"
    run $AS_OF --db "$DB" check --format json
    check_rc 1 "$3: check exits 1"
    check_true "$3: named by the $1 check, not sound" test "$(json_field "$1" ok)" = "false false"
    if [ -n "${4:-}" ]; then
        check_true "$3: the detail names it" sh -c "grep -F '$4' '$OUT' >/dev/null"
    fi
    check_true "$3: no child's name in the output" sh -c "! grep -qwFf '$TMPDIR_T/names' '$OUT'"
}
REF=$(sqlite3 "$GOOD" "SELECT min(id) FROM referrals")
tamper referral_counts "UPDATE referral_counts SET n = n + 2 WHERE (issue, status) IN (SELECT issue, status FROM referral_counts LIMIT 1)" \
    "a sidebar count off by two" "stored,"
tamper referral_list "UPDATE referral_list SET status = CASE status WHEN 'closed' THEN 'new' ELSE 'closed' END WHERE id = $REF" \
    "the list's copy of a status" "referral $REF: referral_list differs in status"
tamper referral_list "DELETE FROM referral_list WHERE id = $REF" "a referral missing from the list" \
    "referral $REF: no referral_list row"
tamper referral_list "UPDATE referral_list SET score = score + 1 WHERE id = $REF" \
    "the list's copy of a child's score" "differs in score"
SCORED=$(sqlite3 "$GOOD" "SELECT min(child_id) FROM child_scores")
tamper scores "UPDATE child_scores SET score = score + 1 WHERE child_id = $SCORED" \
    "a stored score (and the list's copy) that is not the computed one" \
    "child $SCORED: the stored score is not its computed one"
fresh
run --as-of=2024-02-02 --db "$DB" check --format json
check_true "stored scores for another date are not compared (they are computed before shown)" \
    test "$(json_field scores ok)" = "true true"
FOLLOW=$(sqlite3 "$GOOD" "SELECT min(id) FROM referral_follow_up")
tamper follow_up "UPDATE referral_follow_up SET follow_up = '2099-01-01' WHERE id = $FOLLOW" \
    "a follow-up no action set" "referral $FOLLOW: referral_follow_up says 2099-01-01"
tamper follow_up "DELETE FROM referral_follow_up WHERE id = $FOLLOW" \
    "a pending follow-up missing" "referral $FOLLOW: referral_follow_up says none"
tamper search_index "INSERT INTO referral_search(rowid, body) VALUES (1, 'not a referral')" \
    "a search index entry for no referral" "referral_search row 1: no such referral"
tamper search_index "UPDATE referral_search SET body = 'other text' WHERE rowid = $REF" \
    "a referral's search text changed in the index" "referral $REF: referral_search holds other text"
tamper search_index "DELETE FROM referral_search WHERE rowid = $REF" \
    "a referral missing from the search index" "referral $REF: no referral_search row"
CHILD=$(sqlite3 "$GOOD" "SELECT min(id) FROM children")
tamper child_names "UPDATE child_names SET last = 'someone else' WHERE id = $CHILD" \
    "a child's folded name changed" "child $CHILD: child_names holds other text"
WORDED=$(sqlite3 "$GOOD" "SELECT min(id) FROM child_name_words")
check_true "the demo has a child with a name of two words (child_name_words)" test -n "$WORDED"
tamper child_names "UPDATE child_name_words SET word = 'other' WHERE id = $WORDED" \
    "a later word of a child's name changed" "child $WORDED: child_name_words holds other words"
tamper child_names "DELETE FROM child_name_words WHERE id = $WORDED" \
    "a later word of a child's name missing" "child $WORDED: child_name_words holds other words"
tamper child_names "INSERT INTO child_name_words VALUES ('x', 'y', 'z', 999999, 'z', 'w y')" \
    "the words of no child" "child_name_words of 999999: no such child"
tamper child_names "UPDATE child_names SET words = 0 WHERE id = $WORDED" \
    "a child of a name of two words not flagged" "child $WORDED: child_names.words is 0, its names say 1"
tamper child_names "UPDATE child_names SET words = 1 WHERE id = $CHILD" \
    "a child of names of one word flagged" "child $CHILD: child_names.words is 1, its names say 0"
# Renamed from one word to two and back to one (child_names written again, and its key kept):
# the flag follows, and check says so.
fresh
q "UPDATE children SET last_name = last_name || ' Smyth' WHERE id = $CHILD"
run $AS_OF --db "$DB" list --search smyth
check_rc 0 "a child renamed to two words: folded by the next search"
check_true "and flagged" test "$(q "SELECT words FROM child_names WHERE id = $CHILD")" = 1
q "UPDATE children SET last_name = replace(last_name, ' Smyth', 'Smyth') WHERE id = $CHILD"
run $AS_OF --db "$DB" list --search smyth
run $AS_OF --db "$DB" check
check_rc 0 "renamed back to one word of the same key: sound"
check_true "and not flagged" test "$(q "SELECT words FROM child_names WHERE id = $CHILD")" = 0
tamper row_keys "UPDATE meta SET value = '3' WHERE key = 'counter'" "a row-key counter gone back" \
    "past the counter 3"
tamper foreign_keys "INSERT INTO outcomes(id, referral_id, date, outcome) VALUES (1, 77, '2024-01-01', 'other')" \
    "an outcome of no referral" "outcomes row 1: no referrals row"
tamper header "PRAGMA application_id = 0" "a header without caseload's application_id" "application_id is 0x00000000"
# Another program's change not folded yet (noted by the triggers, folded at caseload's next
# commit) is no problem.
fresh
q "UPDATE children SET first_name = 'Zebedee' WHERE id = $CHILD; UPDATE referrals SET summary = 'changed' WHERE id = $REF"
run $AS_OF --db "$DB" check
check_rc 0 "changes another program made, noted but not folded yet, are sound"
fresh
q "UPDATE referral_counts SET n = n + 1; UPDATE referral_follow_up SET follow_up = '2099-01-01'"
run $AS_OF --db "$DB" check
check_rc 1 "many problems: exit 1"
check_out_has "NOT SOUND: 2 of" "the verdict counts the checks that found problems"
check_true "the first five are spelt out, the rest counted" grep -qE '^follow_up +[0-9]+ problems: .*; and [0-9]+ more$' "$OUT"

# 32 bytes flipped in a children page (its cell pointers): found, and refused by every command
# that would copy it or write into it, the file left as it was.
fresh
"$CASELOAD" $AS_OF --db "$DB" sync checkout "$TMPDIR_T/laptop.db" --name L >/dev/null 2>&1
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
PAGE=$(q "SELECT pageno FROM dbstat WHERE name = 'children' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1")
SIZE=$(q "PRAGMA page_size")
check_true "dbstat finds a children page" test -n "$PAGE"
printf '\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377' |
    dd of="$DB" bs=1 seek=$(((PAGE - 1) * SIZE + 8)) conv=notrunc 2>/dev/null
run $AS_OF --db "$DB" check
check_rc 1 "check finds the damaged page"
check_true "named by the integrity check, with its page" grep -qE "^integrity +[0-9]+ problems?: .*page $PAGE" "$OUT"
cp "$DB" "$TMPDIR_T/damaged.before"
for kind in referrals actions children; do
    run $AS_OF --db "$DB" export $kind
    check_rc 74 "export $kind of the damaged database exits 74"
    check_true "export $kind writes nothing" test ! -s "$OUT"
    check_err_has "the database is damaged" "export $kind says the database is damaged"
done
"$CASELOAD" --db "$GOOD" export actions >"$TMPDIR_T/actions.csv"
run $AS_OF --db "$DB" import actions "$TMPDIR_T/actions.csv"
check_rc 74 "import into the damaged database exits 74"
check_err_has "the database is damaged" "import says the database is damaged"
run $AS_OF --db "$DB" backup "$TMPDIR_T/copy.db"
check_rc 74 "backup of the damaged database exits 74"
check_err_has "the database is damaged" "backup says the database is damaged"
check_true "no backup file, not even a partial one" sh -c "! ls '$TMPDIR_T' | grep -q copy"
run $AS_OF --db "$DB" sync checkout "$TMPDIR_T/laptop2.db" --name M
check_rc 74 "sync checkout of the damaged database exits 74"
check_err_has "the database is damaged" "sync checkout says the database is damaged"
check_true "and writes no copy" test ! -e "$TMPDIR_T/laptop2.db"
run $AS_OF --db "$DB" sync pack "$TMPDIR_T/l.pack" --for L
check_rc 74 "sync pack of the damaged database exits 74"
check_err_has "the database is damaged" "sync pack says the database is damaged"
check_true "and writes no pack" test ! -e "$TMPDIR_T/l.pack"
check_true "the damaged file was left as it was" cmp -s "$DB" "$TMPDIR_T/damaged.before"

finish
