#!/bin/sh
# test_report_demo: every report of SPEC section 7 in every format, unpublished and published
# (SPEC section 10: --publish, and --publish --threshold 10 for more secondary suppression), for
# three periods, on a demo caseload made with a fixed --as-of: the sha256 of each output, listed
# in expected/report_demo.sha256. It pins the reports' output byte for byte while their code is
# moved about (issue 8); the hand-worked figures are checked in test_report.sh and test_privacy.sh.
# When the output or the demo changes on purpose, UPDATE_EXPECTED=1 rewrites the list (and to
# compare two builds, run it with UPDATE_EXPECTED=1 and CASELOAD=the old build, then with the new).
# A workbook is digested without docProps/core.xml, which holds the time it was written.
. "$SOURCE_ROOT/tests/cli/lib.sh"

DB="$TMPDIR_T/demo.db"
AS_OF=2025-03-01
run --db "$DB" --as-of $AS_OF demo
check_rc 0 "demo caseload as of $AS_OF"

LIST="$TMPDIR_T/digests"
: >"$LIST"
R="$TMPDIR_T/report"
failed=0
for period in year month all; do
    case $period in
    year) P="" ;;
    month) P="--from 2025-01-01 --to 2025-01-31" ;;
    all) P="--from 1900-01-01 --to $AS_OF" ;;
    esac
    for r in summary suspensions attendance cme admissions; do
        for pub in off on t10; do
            case $pub in
            off) X="" ;;
            on) X="--publish" ;;
            t10) X="--publish --threshold 10" ;;
            esac
            for f in text ascii json csv md xlsx; do
                rm -f "$R"
                case $f in
                text) LC_ALL=C.UTF-8 "$CASELOAD" --db "$DB" --as-of $AS_OF report $r $P $X >"$R" ;;
                ascii) LC_ALL=C "$CASELOAD" --db "$DB" --as-of $AS_OF report $r $P $X >"$R" ;;
                xlsx)
                    "$CASELOAD" --db "$DB" --as-of $AS_OF report $r $P $X --format xlsx \
                        -o "$R.xlsx" >/dev/null &&
                        /usr/bin/python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for m in z.namelist():
    if m != "docProps/core.xml":
        sys.stdout.buffer.write(b"== " + m.encode() + b"\n" + z.read(m))
' "$R.xlsx" >"$R"
                    rm -f "$R.xlsx"
                    ;;
                *) "$CASELOAD" --db "$DB" --as-of $AS_OF report $r $P $X --format $f >"$R" ;;
                esac
                rc=$?
                if [ "$rc" -ne 0 ] || [ ! -s "$R" ]; then
                    failed=$((failed + 1))
                    echo "# report $r $period publish=$pub $f: exit $rc, $(wc -c <"$R") bytes"
                fi
                echo "$(sha256sum <"$R" | cut -c1-64)  $r $period publish=$pub $f" >>"$LIST"
            done
        done
    done
done
check_true "every report, period, publish setting and format runs and writes something" \
    test "$failed" -eq 0
check_true "the published outputs differ from the unpublished ones (something is suppressed)" \
    sh -c "[ \"\$(grep -c 'summary year publish=off json' '$LIST')\" -eq 1 ] &&
        ! [ \"\$(grep 'summary year publish=off json' '$LIST' | cut -c1-64)\" = \
            \"\$(grep 'summary year publish=on json' '$LIST' | cut -c1-64)\" ]"
cp "$LIST" "$OUT"
check_out report_demo.sha256 "every output byte for byte as recorded (a diff names the ones that moved)"

finish
