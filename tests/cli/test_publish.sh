#!/bin/sh
# test_publish: published figures (SPEC section 10, `report NAME --publish`): no hidden count can be
# worked out from the published report. tests/cli/publish_check.py attacks each published report
# as a reader would, with every figure it shows and how they add up (columns to their totals,
# rows to their All column, the grand total, the tables of one report to each other, the
# suspensions report's n x children to its suspensions, the cme note's count), elimination and
# the bounds of a hidden count (at least 1); and checks that no percentage or mean built on a
# hidden count is shown. First on reports made to leak in each way, then on every report of a
# demo caseload for years, terms and months and two thresholds.
. "$SOURCE_ROOT/tests/cli/lib.sh"

CHECK="/usr/bin/python3 $SOURCE_ROOT/tests/cli/publish_check.py"
T=$TMPDIR_T
A="--as-of 2025-06-01"

# leaks REPORT THRESHOLD [OPTIONS...]: what publish_check finds in `report REPORT OPTIONS` on $DB
# published with --threshold THRESHOLD (nothing when it is safe), in $T/leaks
leaks() {
    r=$1
    th=$2
    shift 2
    # shellcheck disable=SC2086
    "$CASELOAD" $DB report "$r" "$@" --format md >"$T/plain.md" 2>"$ERR" &&
        "$CASELOAD" $DB report "$r" "$@" --format md --publish --threshold "$th" >"$T/pub.md" \
            2>"$ERR" &&
        $CHECK "$r" "$th" "$T/plain.md" "$T/pub.md" >"$T/leaks"
}
check_safe() { # DESC
    if [ -s "$T/leaks" ]; then t_notok "$1" "$(head -5 "$T/leaks")"; else t_ok "$1"; fi
}

# The checker finds what it is meant to find (a pair of reports written by hand).
cat >"$T/plain.md" <<'EOF'
## Referrals received

|                    | Number |
|:-------------------|-------:|
| Referrals received |     22 |

## Referrals by primary issue

| Primary issue | Referrals |   % |
|:--------------|----------:|----:|
| Attendance    |        20 | 91% |
| Other         |         1 |  5% |
| Managed move  |         1 |  5% |
EOF
sed -e 's/|         1 |  5% |/|         c |   c |/' "$T/plain.md" >"$T/pub.md"
$CHECK summary 5 "$T/plain.md" "$T/pub.md" >"$T/leaks"
check_true "publish_check: two hidden counts that add up to 2 are both 1" \
    sh -c "grep -q 'leak: Referrals by primary issue / Other / Referrals = 1' '$T/leaks'"
sed -e 's/|         1 |  5% |/|         c |  5% |/' "$T/plain.md" >"$T/pub.md"
$CHECK summary 5 "$T/plain.md" "$T/pub.md" >"$T/leaks"
check_true "publish_check: a percentage shown on a hidden count" \
    grep -q 'percentage shown on a hidden count: Referrals by primary issue / Other / %' "$T/leaks"

# Columns, and the bounds: two hidden issues that add up to 2 (22 referrals: 20 attendance, one
# cme, one sen). The single-cell rule hid nothing more (each column already held two).
DB="--db $T/a.db $A"
/usr/bin/python3 -c '
print("ref,received,source,issue,la_child_id,first_name,last_name,dob,care_status,sen")
for i, issue in enumerate(["attendance"] * 20 + ["cme", "sen"]):
    print("R-A-%02d,2025-01-%02d,school,%s,LA-A%02d,A%02d,Test,2012-01-01,cin,none" % (i, i + 1, issue, i, i))
' >"$T/a.csv"
"$CASELOAD" $DB import referrals "$T/a.csv" >/dev/null
leaks summary 5
check_safe "summary: two hidden counts of a column adding up to 2 are protected"
check_true "  (by one more hidden count: attendance)" grep -q '^| Attendance  *|  *c |  *c |' "$T/pub.md"

# Rows and the suspensions' second equation: children in need, 5 with one suspension and 1 with
# two (6 children, 7 suspensions: 1 x5 + 2 x1 = 7 gives both away); looked after, 10 with one and
# 6 with three.
DB="--db $T/s.db $A"
/usr/bin/python3 -c '
print("la_child_id,first_name,last_name,dob,care_status,sen")
for i in range(22):
    print("LA-S%02d,S%02d,Test,2012-01-01,%s,none" % (i, i, "cin" if i < 6 else "cla"))
' >"$T/sc.csv"
/usr/bin/python3 -c '
print("la_child_id,start,category,days,reason")
n = [1] * 5 + [2] + [1] * 10 + [3] * 6
for i, k in enumerate(n):
    for j in range(k):
        print("LA-S%02d,2025-01-%02d,suspension,1,PP" % (i, 6 + j))
' >"$T/se.csv"
"$CASELOAD" $DB import children "$T/sc.csv" >/dev/null
"$CASELOAD" $DB import exclusions "$T/se.csv" >/dev/null
leaks suspensions 5
check_safe "suspensions: n x children with n suspensions adding up to the suspensions gives nothing away"
check_true "  (children in need: the one child with two suspensions is c)" \
    grep -q '^| 2  *|  *c |' "$T/pub.md"

# The cme note: 20 episodes, 3 in county, 17 out, none unrecorded (the note says 0): in county is
# c, so out of county or all of them must be too.
DB="--db $T/c.db $A"
/usr/bin/python3 -c '
print("la_child_id,first_name,last_name,dob,care_status,sen")
for i in range(20):
    print("LA-C%02d,C%02d,Test,2012-01-01,cin,none" % (i, i))
' >"$T/cc.csv"
/usr/bin/python3 -c '
print("la_child_id,kind,start,end,hours_per_week,in_county")
for i in range(20):
    print("LA-C%02d,cme,2025-01-06,2025-01-%02d,,%s" % (i, 10 + i % 5, "yes" if i < 3 else "no"))
' >"$T/ce.csv"
"$CASELOAD" $DB import children "$T/cc.csv" >/dev/null
"$CASELOAD" $DB import episodes "$T/ce.csv" >/dev/null
leaks cme 5
check_safe "cme: in county + out of county + not recorded = all episodes gives nothing away"
check_true "  (in county c, and its mean)" grep -q '^| In county  *|  *c |  *c |' "$T/pub.md"

# Every report of a demo caseload, for two years, the whole history, a term and some months, with
# the default threshold and with 10.
DB="--db $T/demo.db --as-of 2025-03-01"
"$CASELOAD" $DB demo >/dev/null
for r in summary suspensions attendance cme admissions; do
    for th in 5 10; do
        : >"$T/all"
        for per in "" "--from 2023-09-01 --to 2024-08-31" "--from 1900-01-01 --to 2025-03-01" \
            "--from 2024-09-01 --to 2024-12-31" "--from 2024-05-01 --to 2024-05-31" \
            "--from 2024-09-01 --to 2024-09-30" "--from 2024-10-01 --to 2024-10-31" \
            "--from 2025-01-01 --to 2025-01-31" "--from 2025-02-01 --to 2025-02-28"; do
            # shellcheck disable=SC2086
            leaks $r $th $per || echo "report $r $per failed" >>"$T/all"
            sed "s|^|$per: |" "$T/leaks" >>"$T/all"
        done
        cp "$T/all" "$T/leaks"
        check_safe "demo caseload: $r --publish --threshold $th, 9 periods: nothing can be worked out"
    done
done

finish
