#!/bin/sh
# test_xlsx: `export KIND --format xlsx -o FILE` and `report NAME --format xlsx -o FILE` (SPEC
# section 6): text cells for UPNs, ids, URNs, refs and codes (leading zeros kept, 1E5 not a
# number), date cells, numbers, the header row frozen, never a formula; and the round trip a hub
# makes: export xlsx, save as "CSV UTF-8" from a spreadsheet, import into a fresh database,
# export CSV: the same bytes, for every kind. The workbooks are read with openpyxl
# (python3-openpyxl, for /usr/bin/python3; tests/cli/xlsx_check.py); LibreOffice is used too
# when it is installed.
. "$SOURCE_ROOT/tests/cli/lib.sh"

PY=/usr/bin/python3
CHECK="$SOURCE_ROOT/tests/cli/xlsx_check.py"
T=$TMPDIR_T
TAB=$(printf '\t')
t_skip() {
    T_N=$((T_N + 1))
    echo "ok $T_N - $1 # SKIP $2"
}
# Runs the xlsx_check.py commands of file $1, turning its lines into TAP checks.
checks() {
    $PY "$CHECK" <"$1" >"$T/checks.out" 2>&1 || echo "not ok xlsx_check.py failed: $(tail -1 "$T/checks.out")" >>"$T/checks.out"
    while IFS= read -r line; do
        case $line in
        "ok "*) t_ok "${line#ok }" ;;
        "not ok "*) t_notok "${line#not ok }" ;;
        *) t_notok "xlsx_check.py: $line" ;;
        esac
    done <"$T/checks.out"
}
cd "$DATA" || exit 1
KINDS="referrals children outcomes actions exclusions attendance episodes"
A="$T/a.db"
for k in $KINDS; do
    "$CASELOAD" --db "$A" --as-of 2024-02-01 import $k import-$k.csv >/dev/null || exit 1
done
"$CASELOAD" --db "$A" --as-of 2024-02-01 import referrals xlsx-referrals.csv >/dev/null || exit 1
umask 022
for k in $KINDS; do
    run --db "$A" export $k --format xlsx -o "$T/$k.xlsx"
    check_rc 0 "export $k --format xlsx -o FILE exits 0"
    check_true "export $k: the workbook is 0600" test "$(stat -c %a "$T/$k.xlsx")" = 600
    "$CASELOAD" --db "$A" export $k >"$T/$k.csv"
done
run --db "$A" export referrals --format xlsx
check_rc 2 "xlsx without -o is refused (no workbook on a terminal or a pipe)"
check_err_has "--format xlsx needs -o FILE" "and says so"
run --db "$A" --as-of 2024-02-01 report summary --format xlsx
check_rc 2 "report xlsx without -o is refused"
run --db "$A" --as-of 2024-02-01 report summary --format xlsx -o "$T/summary.xlsx"
check_rc 0 "report summary --format xlsx -o FILE exits 0"
for r in suspensions attendance cme admissions; do
    run --db "$A" --as-of 2024-02-01 report $r --format xlsx -o "$T/report-$r.xlsx"
    check_rc 0 "report $r --format xlsx exits 0"
done

# libxlsxwriter is opened by the commands that write a workbook only (src/app/xlsx.c, issue 8):
# with it missing (/dev/null mounted over it in a mount namespace of its own), every other
# command works and a workbook is refused with a message saying what is missing, and no file.
LXW=$(ldconfig -p | awk '$1 ~ /^libxlsxwriter[.]so[.]/ { print $NF; exit }')
if [ -n "$LXW" ] && unshare -m sh -c 'mount --bind /dev/null "$1"' sh "$LXW" 2>/dev/null; then
    printf '#!/bin/sh\nexec unshare -m sh -c '"'"'mount --bind /dev/null "$1" && shift && exec "$@"'"'"' sh %s %s "$@"\n' \
        "$LXW" "$CASELOAD" >"$T/no-lxw"
    chmod +x "$T/no-lxw"
    WITH_LXW=$CASELOAD
    CASELOAD=$T/no-lxw
    run --db "$A" --as-of 2024-02-01 list --limit 5
    check_rc 0 "without libxlsxwriter: list works"
    run --db "$A" export referrals -o "$T/no-lxw.csv"
    check_rc 0 "without libxlsxwriter: export as CSV works"
    check_true "and writes the same CSV" cmp "$T/no-lxw.csv" "$T/referrals.csv"
    run --db "$A" --as-of 2024-02-01 report summary --format md
    check_rc 0 "without libxlsxwriter: report --format md works"
    run --db "$A" export referrals --format xlsx -o "$T/no-lxw.xlsx"
    check_rc 74 "without libxlsxwriter: export --format xlsx exits 74"
    check_err_has "caseload export: cannot write a workbook: $LXW: " "naming the library"
    check_err_has "the xlsx format needs libxlsxwriter" "and what needs it"
    check_true "and leaves no file" test ! -e "$T/no-lxw.xlsx"
    run --db "$A" --as-of 2024-02-01 report summary --format xlsx -o "$T/no-lxw.xlsx"
    check_rc 74 "without libxlsxwriter: report --format xlsx exits 74"
    check_err_has "caseload report: cannot write a workbook: $LXW: " "naming the library"
    check_true "and leaves no file" test ! -e "$T/no-lxw.xlsx"
    CASELOAD=$WITH_LXW
else
    t_skip "commands without libxlsxwriter" "no mount namespace here (unshare -m needs root)"
fi

if ! $PY -c "import openpyxl" 2>/dev/null; then
    t_skip "the workbooks as openpyxl reads them" "python3-openpyxl is not installed"
    finish
    exit $?
fi

# Cell types, the frozen header, no formula; then each workbook saved as "CSV UTF-8".
R="$T/referrals.xlsx"
{
    printf 'cells\t%s\t%s\n' "$R" "ref=s${TAB}received=d${TAB}source=s${TAB}issue=s${TAB}upn=s${TAB}la_child_id=s${TAB}first_name=s${TAB}last_name=s${TAB}dob=d${TAB}school_urn=s${TAB}care_status=s${TAB}sen=s${TAB}officer=s${TAB}closed=d${TAB}summary=s"
    printf 'cells\t%s\t%s\n' "$T/children.xlsx" "upn=s${TAB}la_child_id=s${TAB}dob=d${TAB}school_urn=s${TAB}care_status=s${TAB}sen=s"
    printf 'cells\t%s\t%s\n' "$T/outcomes.xlsx" "ref=s${TAB}date=d${TAB}outcome=s${TAB}note=s"
    printf 'cells\t%s\t%s\n' "$T/actions.xlsx" "ref=s${TAB}date=d${TAB}officer=s${TAB}kind=s${TAB}follow_up=d"
    printf 'cells\t%s\t%s\n' "$T/exclusions.xlsx" "upn=s${TAB}start=d${TAB}category=s${TAB}days=n${TAB}reason=s${TAB}school_urn=s"
    printf 'cells\t%s\t%s\n' "$T/attendance.xlsx" "upn=s${TAB}from=d${TAB}to=d${TAB}possible_sessions=n${TAB}attended_sessions=n"
    printf 'cells\t%s\t%s\n' "$T/episodes.xlsx" "upn=s${TAB}kind=s${TAB}start=d${TAB}end=d${TAB}hours_per_week=n${TAB}in_county=s"
    printf 'value\t%s\tref\t1E5\ts 1E5\tref 1E5 is the text 1E5, not 100000\n' "$R"
    printf 'value\t%s\tref\t0042\ts 0042\tref 0042 keeps its zeros\n' "$R"
    printf 'value\t%s\tschool_urn\t1E5\ts 012345\tURN 012345 keeps its leading zero\n' "$R"
    printf 'value\t%s\tla_child_id\t1E5\ts 007123\tLA child id 007123 keeps its zeros\n' "$R"
    printf 'value\t%s\tsummary\t1E5\ts =HYPERLINK("http://example.org","click")\t=HYPERLINK( is text, not a formula\n' "$R"
    printf 'value\t%s\tfirst_name\t1E5\ts +Ann\t+ at the start is text\n' "$R"
    printf 'value\t%s\tlast_name\t1E5\ts -Lee\t- at the start is text\n' "$R"
    printf 'value\t%s\tschool_name\t1E5\ts @Home School\t@ at the start is text\n' "$R"
    printf 'value\t%s\treceived\t1E5\td 2023-10-05 00:00:00\treceived is a date cell\n' "$R"
    printf 'value\t%s\tdays\tP801200005011\tn 2.5\tdays are numbers (2.5)\n' "$T/exclusions.xlsx"
    for k in $KINDS; do printf 'csv\t%s\t%s\n' "$T/$k.xlsx" "$T/$k.saved.csv"; done
    printf 'cells\t%s\t%s\n' "$T/summary.xlsx" "section=s${TAB}item=s${TAB}measure=s${TAB}value=n${TAB}percent=n${TAB}from=d${TAB}to=d${TAB}key=s"
    for r in suspensions attendance cme admissions; do
        printf 'cells\t%s\t%s\n' "$T/report-$r.xlsx" "value=n${TAB}percent=n${TAB}from=d${TAB}to=d${TAB}key=s"
    done
    printf 'csv\t%s\t%s\n' "$T/summary.xlsx" "$T/summary.saved.csv"
} >"$T/checks"
checks "$T/checks"

# The round trip through "CSV UTF-8" as a spreadsheet saves it.
check_true "the saved CSV starts with a byte order mark" \
    sh -c "head -c 3 '$T/referrals.saved.csv' | od -An -tx1 | grep -q 'ef bb bf'"
B="$T/b.db"
for k in $KINDS; do
    run --db "$B" --as-of 2024-02-01 import $k "$T/$k.saved.csv"
    check_rc 0 "the $k saved from the workbook import into a fresh database"
done
for k in $KINDS; do
    run --db "$B" export $k
    if cmp -s "$OUT" "$T/$k.csv"; then t_ok "round trip of $k through xlsx: the same CSV"; else
        t_notok "round trip of $k through xlsx: the same CSV" "$(diff "$T/$k.csv" "$OUT" | head)"; fi
done

if command -v soffice >/dev/null 2>&1; then
    mkdir "$T/lo"
    soffice --headless --convert-to csv:"Text - txt - csv (StarCalc)":44,34,76 \
        --outdir "$T/lo" "$T/referrals.xlsx" >/dev/null 2>&1
    run --db "$T/c.db" --as-of 2024-02-01 import referrals "$T/lo/referrals.csv"
    run --db "$T/c.db" export referrals
    check_true "round trip of referrals through LibreOffice" cmp "$OUT" "$T/referrals.csv"
else
    t_skip "round trip through LibreOffice (soffice --convert-to csv)" "LibreOffice is not installed"
fi

# A report's workbook holds the rows of its csv.
"$CASELOAD" --db "$A" --as-of 2024-02-01 report summary --format csv >"$T/summary.csv"
sed '1s/^\xef\xbb\xbf//' "$T/summary.saved.csv" | tr -d '\r' >"$T/summary.saved"
check_true "the report workbook holds the csv's rows" cmp "$T/summary.saved" "$T/summary.csv"
finish
