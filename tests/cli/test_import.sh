#!/bin/sh
# test_import: `caseload import KIND FILE [--dry-run]` (SPEC section 6): every kind, idempotence,
# updates, aliases, normalization, the child's current status, officers, audit and dry runs.
. "$SOURCE_ROOT/tests/cli/lib.sh"

cd "$DATA" || exit 1
DB="$TMPDIR_T/caseload.db"
AS_OF=--as-of=2024-02-01
q() { sqlite3 "$DB" "$1"; }
# check_q SQL EXPECTED DESC: the query prints EXPECTED.
check_q() {
    got=$(q "$1")
    if [ "$got" = "$2" ]; then t_ok "$3"; else t_notok "$3" "query: $1" "got: $got" "expected: $2"; fi
}

# A fresh import of every kind, in the order a hub would load them.
for k in children referrals outcomes actions exclusions attendance episodes; do
    run $AS_OF import $k import-$k.csv
    check_rc 0 "import $k exits 0"
    check_err_empty "import $k prints no progress or error when stderr is not a terminal"
    case $k in
    children | referrals) n=4 ;;
    *) n=3 ;;
    esac
    check_out_has "import-$k.csv: $n rows: $n added, 0 updated, 0 unchanged" "import $k: the summary"
done

check_q "SELECT count(*) FROM children" 5 "four children from children.csv, one new from referrals.csv"
check_q "SELECT count(*) FROM referrals" 4 "four referrals"
check_q "SELECT count(*) FROM outcomes" 3 "two equal outcome rows make two outcomes"
check_q "SELECT group_concat(initials, ',') FROM (SELECT initials FROM officers ORDER BY initials)" \
    "AB,CD,EF" "initials not seen before add officers (from referrals and actions)"
check_q "SELECT count(*) FROM schools" 3 "schools by urn, and by name when there is no urn"
check_q "SELECT upn FROM children WHERE la_child_id IS NULL" P801200005011 \
    "a lower-case UPN is stored upper case"
check_q "SELECT sen FROM children WHERE upn = 'P801200005011'" ehcp "the SEN alias E is stored as ehcp"
check_q "SELECT sen FROM children WHERE upn = 'G80120000101A'" none "the SEN alias N is stored as none"
check_q "SELECT group_concat(category) FROM (SELECT category FROM exclusions ORDER BY start)" \
    "permanent,suspension,suspension" \
    "the category alias FIXD is stored as suspension"
check_q "SELECT other_issues FROM referrals WHERE ref = 'R-2023-001'" "cme;sen" \
    "other issues are kept ;-separated"
check_q "SELECT summary FROM referrals WHERE ref = 'R-2023-001'" "Attendance 62%, worse since July.
Mum says \"she won't go\"." "a quoted summary keeps its comma, quotes and newline"
check_q "SELECT first_name || ' ' || last_name FROM children WHERE upn = 'B801200005001'" "Zoë O'Brien" \
    "accents and apostrophes are kept"
check_q "SELECT days FROM exclusions WHERE start = '2023-09-20'" 2.5 "fractional days are kept"
check_q "SELECT count(*) FROM audit WHERE action = 'import'" 7 "one audit row per import"
check_q "SELECT detail FROM audit WHERE action = 'import' AND tbl = 'referrals'" \
    "referrals: 4 added, 0 updated, 0 unchanged" "the audit row holds counts only"
check_q "SELECT count(*) FROM audit WHERE detail LIKE '%Zoë%' OR detail LIKE '%B8012%'" 0 \
    "no child's details in the audit trail"
check_q "SELECT f.follow_up FROM referral_follow_up f JOIN referrals r ON r.id = f.id WHERE r.ref = 'R-2023-001'" 2023-09-20 \
    "the later visit without a follow-up leaves the call's follow-up pending"

# Once scores are current (the score command refreshes them), an import recomputes the stored
# scores of the children it touches, inside its transaction.
run $AS_OF score P801200005011 --format json
before_score=$(q "SELECT coalesce((SELECT score FROM child_scores s JOIN children c ON c.id = s.child_id WHERE c.upn = 'P801200005011'), 0)")
printf 'upn,la_child_id,start,category,days,reason,school_urn\nP801200005011,,2024-01-10,suspension,1,PP,\n' \
    >"$TMPDIR_T/susp.csv"
run $AS_OF import exclusions "$TMPDIR_T/susp.csv"
check_rc 0 "one more suspension imports"
stored=$(q "SELECT coalesce((SELECT score FROM child_scores s JOIN children c ON c.id = s.child_id WHERE c.upn = 'P801200005011'), 0)")
check_true "the stored score changed with the import ($before_score -> $stored)" test "$stored" != "$before_score"
check_q "SELECT count(*) FROM referrals r JOIN referral_list k ON k.id = r.id JOIN children c ON c.id = r.child_id WHERE c.upn = 'P801200005011' AND k.score <> $stored" \
    0 "and its copy on the child's referrals"
run $AS_OF score P801200005011 --format json
check_out_has "\"score\": $stored," "the stored score equals the computed one"

# Importing the same files again changes nothing, not even updated_at.
before=$(q "SELECT group_concat(updated_at) FROM (SELECT updated_at FROM children ORDER BY id)")
for k in children referrals outcomes actions exclusions attendance episodes; do
    run $AS_OF import $k import-$k.csv
    check_rc 0 "import $k again exits 0"
    case $k in
    children | referrals) n=4 ;;
    *) n=3 ;;
    esac
    check_out_has "import-$k.csv: $n rows: 0 added, 0 updated, $n unchanged" "import $k again: all unchanged"
done
check_q "SELECT group_concat(updated_at) FROM (SELECT updated_at FROM children ORDER BY id)" "$before" \
    "unchanged rows are not written (updated_at untouched)"
check_q "SELECT count(*) FROM outcomes" 3 "outcomes are not added twice"
check_q "SELECT count(*) FROM actions" 3 "actions are not added twice"

# A changed row is updated; the others stay unchanged.
cat >"$TMPDIR_T/att.csv" <<'EOF'
upn,la_child_id,from,to,possible_sessions,attended_sessions
B801200005001,,2023-09-01,2023-12-20,140,90
,LA-003,2023-09-01,2023-12-20,140,140
EOF
run $AS_OF import attendance "$TMPDIR_T/att.csv"
check_rc 0 "a changed attendance record imports"
check_out_has "2 rows: 0 added, 1 updated, 1 unchanged" "the changed row is updated"
check_q "SELECT attended FROM attendance WHERE from_date = '2023-09-01' AND possible = 140 AND child_id = (SELECT id FROM children WHERE upn = 'B801200005001')" \
    90 "the new value is stored"

# A school renamed: the first row naming it counts as updated.
cat >"$TMPDIR_T/kids.csv" <<'EOF2'
upn,school_urn,school_name
B801200005001,123456,"St Mary's RC, Leeds"
G80120000101A,123456,"St Mary's RC, Leeds"
EOF2
run $AS_OF import children "$TMPDIR_T/kids.csv"
check_out_has "2 rows: 0 added, 1 updated, 1 unchanged" "a renamed school counts once as updated"
check_q "SELECT name FROM schools WHERE urn = '123456'" "St Mary's RC, Leeds" "the school has its new name"

# Columns in any order; a child found by its la_child_id.
cat >"$TMPDIR_T/ep.csv" <<'EOF'
in_county,start,kind,la_child_id
no,2024-01-08,part_time,LA-003
EOF
run $AS_OF import episodes "$TMPDIR_T/ep.csv"
check_rc 0 "columns may come in any order"
check_out_has "1 rows: 1 added" "the episode is added"

# The child's current care status follows its newest referral, not an older one.
cat >"$TMPDIR_T/newer.csv" <<'EOF'
ref,received,source,issue,upn,care_status,sen
R-2024-010,2024-01-20,school,attendance,B801200005001,cla,ehcp
EOF
run $AS_OF import referrals "$TMPDIR_T/newer.csv"
check_rc 0 "a newer referral for a known child imports without the child's names"
check_q "SELECT care_status || ',' || sen FROM children WHERE upn = 'B801200005001'" "cla,ehcp" \
    "the newest referral sets the child's current care status and SEN"
cat >"$TMPDIR_T/older.csv" <<'EOF'
ref,received,source,issue,upn,care_status,sen
R-2022-001,2022-01-20,school,attendance,B801200005001,cin,none
EOF
run $AS_OF import referrals "$TMPDIR_T/older.csv"
check_rc 0 "an older referral imports"
check_q "SELECT care_status || ',' || sen FROM children WHERE upn = 'B801200005001'" "cla,ehcp" \
    "an older referral does not change the child's current status"
check_q "SELECT care_status FROM referrals WHERE ref = 'R-2022-001'" cin \
    "the referral keeps the status recorded at referral"

# A dry run checks and counts but writes nothing.
cat >"$TMPDIR_T/dry.csv" <<'EOF'
ref,received,source,issue,upn,care_status,sen,status,closed
R-2024-011,2024-01-21,school,cme,B801200005001,cla,ehcp,closed,2024-01-30
R-2024-010,2024-01-20,school,attendance,B801200005001,cla,ehcp,open,
EOF
n_before=$(q "SELECT count(*) FROM referrals")
a_before=$(q "SELECT count(*) FROM audit")
run $AS_OF import referrals "$TMPDIR_T/dry.csv" --dry-run
check_rc 0 "a dry run exits 0"
check_out_has "2 rows: 1 added, 1 updated, 0 unchanged (dry run: nothing written)" "a dry run says what would change"
check_q "SELECT count(*) FROM referrals" "$n_before" "a dry run adds no referral"
check_q "SELECT status FROM referrals WHERE ref = 'R-2024-010'" new "a dry run changes no referral"
check_q "SELECT count(*) FROM audit" "$a_before" "a dry run writes no audit row"
run $AS_OF import referrals "$TMPDIR_T/dry.csv"
check_out_has "2 rows: 1 added, 1 updated, 0 unchanged" "the same file for real"
check_q "SELECT status || ' ' || closed FROM referrals WHERE ref = 'R-2024-011'" "closed 2024-01-30" \
    "a closed referral keeps its closed date"

# A file with only a header, a BOM and CRLF line ends.
printf '\357\273\277upn,la_child_id,from,to,possible_sessions,attended_sessions\r\n,LA-003,2024-01-01,2024-01-31,40,30\r\n' \
    >"$TMPDIR_T/crlf.csv"
run $AS_OF import attendance "$TMPDIR_T/crlf.csv"
check_rc 0 "a BOM and CRLF line ends are accepted"
check_out_has "1 rows: 1 added" "the CRLF row is added"
printf 'ref,date,outcome,note\n' >"$TMPDIR_T/empty.csv"
run $AS_OF import outcomes "$TMPDIR_T/empty.csv"
check_rc 0 "a file with only a header imports nothing"
check_out_has "0 rows: 0 added, 0 updated, 0 unchanged" "and says so"

# A progress line on standard error only when it is a terminal.
if command -v script >/dev/null 2>&1; then
    python3 "$SOURCE_ROOT/bench/gen_referrals.py" 3000 >"$TMPDIR_T/many.csv"
    script -qec "'$CASELOAD' --db '$TMPDIR_T/p.db' $AS_OF import referrals '$TMPDIR_T/many.csv'" \
        /dev/null >"$OUT" 2>&1 </dev/null
    check_out_has "many.csv: checking" "a terminal gets a progress line"
    check_true "updated in place with carriage returns" grep -q "$(printf '\r')" "$OUT"
    check_out_has "3000 rows: 3000 added" "the summary follows"
else
    t_ok "# SKIP no script(1) to give the import a terminal"
fi

# Usage errors.
run $AS_OF import
check_rc 2 "import without arguments is a usage error"
check_err_has "usage: caseload import KIND FILE [--dry-run]" "the usage is printed"
run $AS_OF import pupils import-children.csv
check_rc 2 "an unknown kind is a usage error"
check_err_has "unknown kind 'pupils'" "the kind is named"
run $AS_OF import children import-children.csv --force
check_rc 2 "an unknown option is a usage error"

finish
