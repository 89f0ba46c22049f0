#!/bin/sh
# test_privacy: children's data (SPEC section 10): social_work_ended and the cohort, retention
# review and purge, subject access, the access log and published figures.
. "$SOURCE_ROOT/tests/cli/lib.sh"

cd "$DATA" || exit 1
D="--as-of 2026-01-01"
"$CASELOAD" $D import referrals import-referrals.csv >/dev/null
"$CASELOAD" $D import children import-children.csv >/dev/null

# ---- cohort ----
run $D list --cohort ever6 --format csv
check_rc 0 "list --cohort ever6"
check_out privacy-cohort-ever6.csv "list --cohort ever6: the child whose plan ended in 2023"
run $D list --cohort current --format csv
check_out privacy-cohort-current.csv "list --cohort current: no social_work_ended"
run --as-of 2029-03-31 list --cohort out --format csv
check_out_has "R-2023-002" "on the sixth anniversary of the end the child is out of the cohort"
run --as-of 2029-03-30 list --cohort out --format csv
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

finish
