#!/bin/sh
# test_xlsx: `export KIND --format xlsx -o FILE` and `report NAME --format xlsx -o FILE` (SPEC
# section 6): text cells for UPNs, ids, URNs, refs and codes (leading zeros kept, 1E5 not a
# number), date cells, numbers, the header row frozen, never a formula; and the round trip a hub
# makes: export xlsx, save as "CSV UTF-8" from a spreadsheet, import into a fresh database,
# export CSV: the same bytes, for every kind. The workbooks are read with openpyxl
# (python3-openpyxl, for /usr/bin/python3); LibreOffice is used too when it is installed.
. "$SOURCE_ROOT/tests/cli/lib.sh"

PY=/usr/bin/python3
CHECK="$SOURCE_ROOT/tests/cli/xlsx_check.py"
t_skip() {
    T_N=$((T_N + 1))
    echo "ok $T_N - $1 # SKIP $2"
}
cd "$DATA" || exit 1
KINDS="referrals children outcomes actions exclusions attendance episodes"
A="$TMPDIR_T/a.db"
for k in $KINDS; do
    "$CASELOAD" --db "$A" --as-of 2024-02-01 import $k import-$k.csv >/dev/null || exit 1
done
"$CASELOAD" --db "$A" --as-of 2024-02-01 import referrals xlsx-referrals.csv >/dev/null || exit 1
umask 022
for k in $KINDS; do
    run --db "$A" export $k --format xlsx -o "$TMPDIR_T/$k.xlsx"
    check_rc 0 "export $k --format xlsx -o FILE exits 0"
    check_true "export $k: the workbook is 0600" test "$(stat -c %a "$TMPDIR_T/$k.xlsx")" = 600
    "$CASELOAD" --db "$A" export $k >"$TMPDIR_T/$k.csv"
done
run --db "$A" export referrals --format xlsx
check_rc 2 "xlsx without -o is refused (no workbook on a terminal or a pipe)"
check_err_has "--format xlsx needs -o FILE" "and says so"
run --db "$A" --as-of 2024-02-01 report summary --format xlsx
check_rc 2 "report xlsx without -o is refused"

if ! $PY -c "import openpyxl" 2>/dev/null; then
    t_skip "the workbooks as openpyxl reads them" "python3-openpyxl is not installed"
    finish
    exit $?
fi

# Cell types, the frozen header, no formula.
cells() { # FILE COLUMN=TYPE...
    problems=$($PY "$CHECK" cells "$@" 2>&1)
    if [ -z "$problems" ]; then t_ok "$(basename "$1"): frozen header, no formula, types"; else
        t_notok "$(basename "$1"): frozen header, no formula, types" "$problems"; fi
}
cells "$TMPDIR_T/referrals.xlsx" ref=s received=d source=s issue=s upn=s la_child_id=s \
    first_name=s last_name=s dob=d school_urn=s care_status=s sen=s officer=s closed=d summary=s
cells "$TMPDIR_T/children.xlsx" upn=s la_child_id=s dob=d school_urn=s care_status=s sen=s
cells "$TMPDIR_T/outcomes.xlsx" ref=s date=d outcome=s note=s
cells "$TMPDIR_T/actions.xlsx" ref=s date=d officer=s kind=s follow_up=d
cells "$TMPDIR_T/exclusions.xlsx" upn=s start=d category=s days=n reason=s school_urn=s
cells "$TMPDIR_T/attendance.xlsx" upn=s from=d to=d possible_sessions=n attended_sessions=n
cells "$TMPDIR_T/episodes.xlsx" upn=s kind=s start=d end=d hours_per_week=n in_county=s
value() { # COLUMN REF EXPECTED DESC
    got=$($PY "$CHECK" value "$TMPDIR_T/referrals.xlsx" "$1" "$2")
    if [ "$got" = "$3" ]; then t_ok "$4"; else t_notok "$4" "got: $got" "expected: $3"; fi
}
value ref 1E5 "s 1E5" "ref 1E5 is the text 1E5, not 100000"
value ref 0042 "s 0042" "ref 0042 keeps its zeros"
value school_urn 1E5 "s 012345" "URN 012345 keeps its leading zero"
value la_child_id 1E5 "s 007123" "LA child id 007123 keeps its zeros"
value summary 1E5 's =HYPERLINK("http://example.org","click")' "=HYPERLINK( is text, not a formula"
value first_name 1E5 "s +Ann" "+ at the start is text"
value last_name 1E5 "s -Lee" "- at the start is text"
value school_name 1E5 "s @Home School" "@ at the start is text"
value received 1E5 "d 2023-10-05 00:00:00" "received is a date cell"
$PY "$CHECK" value "$TMPDIR_T/exclusions.xlsx" days P801200005011 >"$TMPDIR_T/days"
check_true "days are numbers (2.5)" grep -qx "n 2.5" "$TMPDIR_T/days"

# The round trip through "CSV UTF-8" as a spreadsheet saves it.
B="$TMPDIR_T/b.db"
for k in $KINDS; do
    $PY "$CHECK" csv "$TMPDIR_T/$k.xlsx" "$TMPDIR_T/$k.saved.csv"
done
check_true "the saved CSV starts with a byte order mark" \
    sh -c "head -c 3 '$TMPDIR_T/referrals.saved.csv' | od -An -tx1 | grep -q 'ef bb bf'"
for k in $KINDS; do
    run --db "$B" --as-of 2024-02-01 import $k "$TMPDIR_T/$k.saved.csv"
    check_rc 0 "the $k saved from the workbook import into a fresh database"
done
for k in $KINDS; do
    run --db "$B" export $k
    if cmp -s "$OUT" "$TMPDIR_T/$k.csv"; then t_ok "round trip of $k through xlsx: the same CSV"
    else t_notok "round trip of $k through xlsx: the same CSV" "$(diff "$TMPDIR_T/$k.csv" "$OUT" | head)"; fi
done

if command -v soffice >/dev/null 2>&1; then
    mkdir "$TMPDIR_T/lo"
    soffice --headless --convert-to csv:"Text - txt - csv (StarCalc)":44,34,76 \
        --outdir "$TMPDIR_T/lo" "$TMPDIR_T/referrals.xlsx" >/dev/null 2>&1
    C="$TMPDIR_T/c.db"
    run --db "$C" --as-of 2024-02-01 import referrals "$TMPDIR_T/lo/referrals.csv"
    run --db "$C" export referrals
    check_true "round trip of referrals through LibreOffice" cmp "$OUT" "$TMPDIR_T/referrals.csv"
else
    t_skip "round trip through LibreOffice (soffice --convert-to csv)" "LibreOffice is not installed"
fi

# A report as a workbook: the rows of its csv, values and percentages as numbers, dates.
run --db "$A" --as-of 2024-02-01 report summary --format xlsx -o "$TMPDIR_T/summary.xlsx"
check_rc 0 "report summary --format xlsx -o FILE exits 0"
cells "$TMPDIR_T/summary.xlsx" section=s item=s measure=s value=n percent=n from=d to=d key=s
"$CASELOAD" --db "$A" --as-of 2024-02-01 report summary --format csv | tr -d '\r' >"$TMPDIR_T/summary.csv"
$PY "$CHECK" csv "$TMPDIR_T/summary.xlsx" "$TMPDIR_T/summary.saved.csv"
sed '1s/^\xef\xbb\xbf//' "$TMPDIR_T/summary.saved.csv" | tr -d '\r' >"$TMPDIR_T/summary.saved"
check_true "the report workbook holds the csv's rows" cmp "$TMPDIR_T/summary.saved" "$TMPDIR_T/summary.csv"
for r in suspensions attendance cme admissions; do
    run --db "$A" --as-of 2024-02-01 report $r --format xlsx -o "$TMPDIR_T/report-$r.xlsx"
    check_rc 0 "report $r --format xlsx exits 0"
    cells "$TMPDIR_T/report-$r.xlsx" value=n percent=n from=d to=d key=s
done
finish
