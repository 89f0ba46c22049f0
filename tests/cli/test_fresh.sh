#!/bin/sh
# test_fresh: a score shown is the score as of the date shown, always (SPEC section 11, issue 13
# point 1): stored scores for another date, an import for yet another, a large import, and a
# database that cannot be written never make `list` show a stale score.
. "$SOURCE_ROOT/tests/cli/lib.sh"

q() { sqlite3 "$CASELOAD_DB" "$1"; }
cfg="$TMPDIR_T/config.yaml"
printf 'scoring:\n  weights:\n    cp_plan: 22\n    cin_plan: 1\n  bands:\n    red: 20\n    amber: 10\n' >"$cfg"
export CASELOAD_CONFIG="$cfg"

header=ref,received,source,issue,upn,la_child_id,first_name,last_name,dob,care_status,sen
printf '%s\nF-1,2026-09-10,school,cme,,LOW-1,Ann,Low,2012-01-01,cin,none\n' "$header" \
    >"$TMPDIR_T/low.csv"
printf '%s\nF-2,2026-11-02,school,cme,,HIGH-1,Bo,High,2012-02-02,cp,none\n' "$header" \
    >"$TMPDIR_T/high.csv"
printf '%s\nF-3,2026-11-03,school,cme,,HIGH-2,Cy,High,2012-03-03,cp,none\n' "$header" \
    >"$TMPDIR_T/high2.csv"

# The child's score in `list --format csv` as of a date: "score,band".
listed() { # la_child_id as_of
    "$CASELOAD" --as-of "$2" list --format csv | python3 -c "
import csv, sys
for r in csv.DictReader(sys.stdin):
    if r['la_child_id'] == '$1': print(r['score'] + ',' + r['band'])"
}

run --as-of 2026-11-20 import referrals "$TMPDIR_T/low.csv"
check_rc 0 "a first child imports"
run --as-of 2026-11-20 list
check_rc 0 "a list stores the scores as of 2026-11-20"
check_q_meta() { # value desc
    check_true "$2" test "$(q "SELECT value FROM meta WHERE key = 'scores_as_of'")" = "$1"
}
check_q_meta 2026-11-20 "the stored scores are as of that date"

# The app left open on 2026-11-20 past midnight; a scheduled import on 2026-11-21 adds a child.
run --as-of 2026-11-21 import referrals "$TMPDIR_T/high.csv"
check_rc 0 "an import on the next day adds a high-risk child"
check_q_meta "" "the stored scores now hold for no date (the new child was scored for none)"
got=$(listed HIGH-1 2026-11-20)
check_true "list for 2026-11-20 shows the new child red 22, not green 0 (got $got)" \
    test "$got" = "22,red"
run --as-of 2026-11-21 import referrals "$TMPDIR_T/high2.csv"
got=$(listed HIGH-2 2026-11-20)
check_true "and again after a second import (got $got)" test "$got" = "22,red"
check_true "every stored copy equals the computed score" test \
    "$(q "SELECT count(*) FROM referral_list l LEFT JOIN child_scores s ON s.child_id = l.child_id
          WHERE l.score <> coalesce(s.score, 0)")" = 0

# A large import (more than 1,000 children) scores every child inside its transaction, as of the
# import's date: the next command for that date finds them current and recomputes nothing.
python3 - "$TMPDIR_T/many.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("ref,received,source,issue,upn,la_child_id,first_name,last_name,dob,care_status,sen\n")
    for i in range(1200):
        care = "cp" if i % 3 == 0 else "cin"
        f.write(f"M-{i},2026-10-01,school,cme,,M{i},N{i},Many,2012-01-01,{care},none\n")
PY
run --as-of 2026-11-22 import referrals "$TMPDIR_T/many.csv"
check_rc 0 "1,200 new children import"
check_q_meta 2026-11-22 "the import left every score current for its date"
refreshes=$(q "SELECT count(*) FROM audit WHERE action = 'scores_refresh'")
got=$(listed M3 2026-11-22)
check_true "a child of the large import is listed with its score (got $got)" test "$got" = "22,red"
check_true "and that list recomputed nothing" \
    test "$(q "SELECT count(*) FROM audit WHERE action = 'scores_refresh'")" = "$refreshes"

# A database that cannot be written, read with other weights: the scores are computed for the
# screen. (As root, permissions do not stop writes: the commands then run as nobody.)
printf 'scoring:\n  weights:\n    cp_plan: 30\n    cin_plan: 2\n  bands:\n    red: 20\n    amber: 10\n' \
    >"$TMPDIR_T/config2.yaml"
chmod 0644 "$TMPDIR_T/config2.yaml"
ro_run() {
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$TMPDIR_T" "$@"
    else
        "$@"
    fi
}
chmod 0777 "$TMPDIR_T"
chmod 0444 "$CASELOAD_DB"
before=$(cksum <"$CASELOAD_DB")
ro_run "$CASELOAD" --config "$TMPDIR_T/config2.yaml" --as-of 2026-11-23 list --format csv >"$OUT" 2>"$ERR"
RC=$?
check_rc 0 "list on a read-only database"
got=$(python3 -c "
import csv
for r in csv.DictReader(open('$OUT')):
    if r['la_child_id'] == 'HIGH-1': print(r['score'] + ',' + r['band'])")
check_true "read-only: the child shows red 30, computed for the screen (got $got)" \
    test "$got" = "30,red"
check_true "read-only: no referral shows a score its child does not have" python3 -c "
import csv
rows = list(csv.DictReader(open('$OUT')))
assert len(rows) == 1203, len(rows)
bad = [r['ref'] for r in rows if r['score'] != ('30' if r['la_child_id'].startswith('HIGH') or
       (r['la_child_id'].startswith('M') and int(r['la_child_id'][1:]) % 3 == 0) else '2')]
assert not bad, bad[:5]
"
check_true "read-only: the file is unchanged" test "$(cksum <"$CASELOAD_DB")" = "$before"
chmod 0600 "$CASELOAD_DB"

finish
