#!/bin/sh
# Corrections (migration 0015, SPEC section 8): an amended or withdrawn action or outcome is a new
# row superseding the old one, both kept. Everything that counts actions and outcomes counts the
# current versions only: the follow-ups (`list --follow-up`), the reports (summary's
# exclusions.avoided and permanently_excluded_by_sen) and export, which writes each entry once,
# as its current version, and leaves a withdrawn one out (the columns of SPEC section 6 stay as
# they are); importing that export again changes nothing. The rows are written here as the app
# (or another copy, through sync) writes them.
. "$SOURCE_ROOT/tests/cli/lib.sh"
D="--as-of 2022-03-01"
"$CASELOAD" $D list --limit 0 >/dev/null
python3 "$SOURCE_ROOT/tests/tui/make_fixture.py" "$CASELOAD_DB"
q() { sqlite3 "$CASELOAD_DB" "$1"; }
EMAIL=$(q "SELECT a.id FROM actions a JOIN referrals r ON r.id = a.referral_id WHERE r.ref = 'R21-030' AND a.kind = 'email'")
CALL=$(q "SELECT a.id FROM actions a JOIN referrals r ON r.id = a.referral_id WHERE r.ref = 'R21-030' AND a.kind = 'call'")

run $D list --follow-up overdue --format csv
check_out_has "R21-030" "before: R21-030's email follow-up (2022-02-08) is overdue"
run $D export actions
cp "$OUT" "$TMPDIR_T/actions-before.csv"

# The email withdrawn, the call amended (its follow-up brought forward to 2022-02-20).
q "INSERT INTO actions(id, referral_id, date, officer_id, kind, note, follow_up, supersedes, withdrawn, corrected_on, corrected_by, reason)
   SELECT 9001, referral_id, date, officer_id, kind, note, follow_up, id, 1, '2022-03-01', 1, 'logged twice' FROM actions WHERE id = $EMAIL;
   INSERT INTO actions(id, referral_id, date, officer_id, kind, note, follow_up, supersedes, withdrawn, corrected_on, corrected_by, reason)
   SELECT 9002, referral_id, date, officer_id, kind, 'Spoke to the head', '2022-02-20', id, 0, '2022-03-01', 1, '' FROM actions WHERE id = $CALL;"

run $D list --follow-up overdue --format csv
check_true "the withdrawn email's follow-up is no longer pending; the amended call's is" sh -c "grep '^R21-030,' '$OUT' | grep -q '2022-02-20'"
run $D list --status all --format csv
check_true "R21-030's next follow-up is the amended call's" sh -c "grep '^R21-030,' '$OUT' | grep -q '2022-02-20'"
run $D export actions
check_rc 0 "export actions"
check_true "export: the withdrawn email is left out" sh -c "! grep -q '^R21-030,2021-12-10,CD,email' '$OUT'"
check_out_has "R21-030,2021-12-05,AB,call,Spoke to the head,2022-02-20" "export: the call once, as amended"
check_true "export: the call's first version is not written" sh -c "! grep -q 'R21-030,2021-12-05,AB,call,Spoke to school (0)' '$OUT'"
check_true "export: one row fewer than before (the columns as before)" sh -c "[ \$(wc -l <'$OUT') -eq \$((\$(wc -l <'$TMPDIR_T/actions-before.csv') - 1)) ] && [ \"\$(head -1 '$OUT')\" = \"\$(head -1 '$TMPDIR_T/actions-before.csv')\" ]"
cp "$OUT" "$TMPDIR_T/actions.csv"
rows=$(q "SELECT count(*) FROM actions")
run $D import actions "$TMPDIR_T/actions.csv"
check_rc 0 "the export imports back"
check_true "and changes nothing" test "$(q "SELECT count(*) FROM actions")" = "$rows"
run $D import actions "$TMPDIR_T/actions-before.csv"
check_true "nor does the file from before the corrections (its rows are the old versions)" test "$(q "SELECT count(*) FROM actions")" = "$rows"
run $D list --status all --format csv
check_true "the corrections stand" sh -c "grep '^R21-030,' '$OUT' | grep -q '2022-02-20'"

# Outcomes: R21-001 (at risk of permanent exclusion) avoided; the outcome amended to permanently
# excluded, then withdrawn.
summary() { "$CASELOAD" $D report summary --from 2021-09-01 --to 2022-08-31 --format json | python3 -c "
import json, sys
e = json.load(sys.stdin)['exclusions']
print(e['avoided'], sum(e['permanently_excluded_by_sen'].values()))"; }
q "INSERT INTO outcomes(id, referral_id, date, outcome, note) SELECT 9101, id, '2022-02-01', 'exclusion_avoided', '' FROM referrals WHERE ref = 'R21-001'"
check_true "summary: one exclusion avoided" test "$(summary)" = "1 0"
q "INSERT INTO outcomes(id, referral_id, date, outcome, note, supersedes, corrected_on) SELECT 9102, referral_id, date, 'permanently_excluded', '', 9101, '2022-03-01' FROM outcomes WHERE id = 9101"
check_true "summary: amended, it counts as permanently excluded only" test "$(summary)" = "0 1"
run $D export outcomes
check_out_has "R21-001,2022-02-01,permanently_excluded," "export: the outcome as amended"
check_true "export: not as it was" sh -c "! grep -q 'R21-001,2022-02-01,exclusion_avoided' '$OUT'"
q "INSERT INTO outcomes(id, referral_id, date, outcome, note, supersedes, withdrawn, corrected_on) SELECT 9103, referral_id, date, outcome, note, 9102, 1, '2022-03-01' FROM outcomes WHERE id = 9102"
check_true "summary: withdrawn, it counts nowhere" test "$(summary)" = "0 0"
run $D export outcomes
check_true "export: a withdrawn outcome is left out" sh -c "! grep -q '^R21-001,' '$OUT'"
run $D check
check_rc 0 "check: the derived follow-ups agree with the corrected facts"
finish
