#!/bin/sh
# test_export: `caseload export KIND [--format csv|json]` (SPEC sections 5 and 6): the columns of
# import in SPEC order, a deterministic order of rows, JSON with the same values, and the round
# trip export → import into a fresh database → export, byte for byte, for all seven kinds.
. "$SOURCE_ROOT/tests/cli/lib.sh"

cd "$DATA" || exit 1
KINDS="children referrals outcomes actions exclusions attendance episodes"
A="$TMPDIR_T/a.db"
B="$TMPDIR_T/b.db"
load_fixture "--db $A --as-of 2024-02-01" $KINDS

for k in $KINDS; do
    run --db "$A" --as-of 2024-02-01 export $k
    check_rc 0 "export $k exits 0"
    check_err_empty "export $k: nothing on stderr"
    check_out export-$k.csv "export $k: the columns of SPEC section 6, rows in a fixed order"
    cp "$OUT" "$TMPDIR_T/$k.csv"
done

for k in referrals children exclusions attendance episodes actions outcomes; do
    run --db "$A" --as-of 2024-02-01 export $k --format json
    check_rc 0 "export $k --format json exits 0"
    check_out export-$k.json "export $k as JSON: same keys and values, numbers as numbers, empty as null"
    cp "$OUT" "$TMPDIR_T/$k.json"
done
check_true "the JSON is valid" python3 -c "import json,sys; [json.load(open(f)) for f in sys.argv[1:]]" \
    "$TMPDIR_T/referrals.json" "$TMPDIR_T/exclusions.json" "$TMPDIR_T/episodes.json"

# Round trip: referrals first (they create children), then the children's own file.
for k in referrals children outcomes actions exclusions attendance episodes; do
    run --db "$B" --as-of 2024-02-01 import $k "$TMPDIR_T/$k.csv"
    check_rc 0 "the exported $k import into a fresh database"
done
for k in $KINDS; do
    run --db "$B" --as-of 2024-02-01 export $k
    check_true "round trip of $k is byte-identical" cmp "$OUT" "$TMPDIR_T/$k.csv"
done
for k in referrals exclusions episodes; do
    run --db "$B" --as-of 2024-02-01 export $k --format=json
    check_true "round trip of $k as JSON is byte-identical" cmp "$OUT" "$TMPDIR_T/$k.json"
done
# And importing the export into the database it came from changes nothing.
for k in $KINDS; do
    run --db "$A" --as-of 2024-02-01 import $k "$TMPDIR_T/$k.csv"
    check_out_has " 0 added, 0 updated," "re-importing the exported $k changes nothing"
done

# An empty database exports the header only / an empty array.
"$CASELOAD" --db "$TMPDIR_T/empty.db" --as-of 2024-02-01 import outcomes /dev/null >/dev/null 2>&1
printf 'ref,date,outcome,note\n' >"$TMPDIR_T/h.csv"
"$CASELOAD" --db "$TMPDIR_T/empty.db" --as-of 2024-02-01 import outcomes "$TMPDIR_T/h.csv" >/dev/null
run --db "$TMPDIR_T/empty.db" export outcomes
check_rc 0 "exporting an empty table exits 0"
check_true "the header only" test "$(cat "$OUT")" = "ref,date,outcome,note"
run --db "$TMPDIR_T/empty.db" export outcomes --format json
check_true "an empty JSON array" test "$(cat "$OUT")" = "[]"

# --excel: CSV for a spreadsheet (a byte order mark, CRLF, a ' before =, +, - and @).
X="$TMPDIR_T/excel.db"
"$CASELOAD" --db "$X" --as-of 2024-02-01 import referrals import-referrals.csv >/dev/null
"$CASELOAD" --db "$X" --as-of 2024-02-01 import referrals xlsx-referrals.csv >/dev/null
run --db "$X" export referrals --excel
check_rc 0 "export --excel exits 0"
check_true "--excel starts with a byte order mark" \
    sh -c "head -c 3 '$OUT' | od -An -tx1 | grep -q 'ef bb bf'"
check_true "--excel ends the header with CRLF" sh -c "head -1 '$OUT' | od -c | grep -q '\\\\r  \\\\n'"
check_true "--excel: every record ends with CRLF (7 records)" \
    test "$(grep -c "$(printf '\r')\$" "$OUT")" = 7
check_out_has "\"'=HYPERLINK(\"\"http://example.org\"\",\"\"click\"\")\"" "a summary beginning with = gets a '"
check_out_has ",'+Ann,'-Lee," "names beginning with + and - get a '"
check_out_has ",'@Home School," "a school beginning with @ gets a '"
check_out_has ",'=Cole," "a surname beginning with = gets a '"
check_out_has ",'-5 days" "a summary beginning with - gets a '"
check_out_has ",Zoë,O'Brien," "other text is left alone"
check_out_has "1E5,2023-10-05," "a ref is left alone"
run --db "$X" export referrals
check_true "without --excel: no byte order mark, no CR, no '" \
    sh -c "! grep -q \"\$(printf '\\r')\" '$OUT' && grep -q ',+Ann,-Lee,' '$OUT' && [ \"\$(head -c 3 '$OUT')\" = ref ]"
run --db "$X" export referrals --excel --format json
check_rc 2 "--excel with json is a usage error"
# And back: every kind exported --excel imports into a fresh database unchanged (import drops the
# ' before =, +, - and @, the byte order mark and the CRs), so its plain export is the same bytes.
Y="$TMPDIR_T/excel-back.db"
for k in referrals children outcomes actions exclusions attendance episodes; do
    [ "$k" = referrals ] || "$CASELOAD" --db "$X" --as-of 2024-02-01 import $k import-$k.csv >/dev/null
    "$CASELOAD" --db "$X" export $k --excel >"$TMPDIR_T/excel-$k.csv"
    run --db "$Y" --as-of 2024-02-01 import $k "$TMPDIR_T/excel-$k.csv"
    check_rc 0 "$k exported --excel imports back"
    "$CASELOAD" --db "$X" export $k >"$TMPDIR_T/plain-$k.csv"
    "$CASELOAD" --db "$Y" export $k >"$TMPDIR_T/back-$k.csv"
    check_true "$k: exported --excel and imported back, nothing changed" \
        cmp "$TMPDIR_T/plain-$k.csv" "$TMPDIR_T/back-$k.csv"
done

# Usage errors.
run --db "$A" export pupils
check_rc 2 "an unknown kind is a usage error"
check_err_has "unknown kind 'pupils'" "the kind is named"
run --db "$A" export referrals --format xml
check_rc 2 "an unknown format is a usage error"
check_err_has "unknown format 'xml'" "the format is named"
check_err_has "usage: caseload export KIND [--format csv|json|xlsx]" "with the usage"
run --db "$A" export
check_rc 2 "export without a kind is a usage error"

finish
