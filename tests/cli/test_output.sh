#!/bin/sh
# test_output: `-o FILE` of export and report (SPEC sections 5 and 6, issue 13 point 7): every
# format written to a file created 0600 whatever the umask, never over an existing file without
# --force, through a temporary file renamed into place (nothing half-written, no temporary file
# left), messages naming the full path.
. "$SOURCE_ROOT/tests/cli/lib.sh"

cd "$DATA" || exit 1
A="$TMPDIR_T/a.db"
load_fixture "--db $A --as-of 2024-02-01" referrals children outcomes
umask 000 # the files are 0600 even so
W=$(cd "$TMPDIR_T" && pwd -P)
mkdir "$W/out"
cd "$W/out" || exit 1

mode() { stat -c %a "$1"; }

# export: each format, relative path.
for f in csv json; do
    "$CASELOAD" --db "$A" export referrals --format $f >"$W/stdout.$f"
    run --db "$A" export referrals --format $f -o referrals.$f
    check_rc 0 "export --format $f -o FILE exits 0"
    check_out_has "written to $W/out/referrals.$f" "export $f: the message names the full path"
    check_true "export $f: the file holds what standard output would" cmp referrals.$f "$W/stdout.$f"
    check_true "export $f: created 0600 under umask 000 (is $(mode referrals.$f))" \
        test "$(mode referrals.$f)" = 600
done
run --db "$A" export children --output="$W/out/children.csv"
check_rc 0 "--output=FILE with a full path"
check_true "--output=FILE writes the file" test -s "$W/out/children.csv"

# An existing file is kept without --force.
printf 'precious\n' >keep.csv
chmod 644 keep.csv
run --db "$A" export referrals -o keep.csv
check_rc 2 "export over an existing file without --force is refused"
check_err_has "caseload export: $W/out/keep.csv exists (--force replaces it)" \
    "the refusal names the full path and --force"
check_true "the existing file is untouched" test "$(cat keep.csv)" = precious
run --db "$A" export referrals -o keep.csv --force
check_rc 0 "--force replaces it"
check_true "the file now holds the export" cmp keep.csv "$W/stdout.csv"
check_true "a replaced file is 0600 too (was 0644)" test "$(mode keep.csv)" = 600
check_true "no temporary file is left" test "$(ls -A | grep -c '^\.')" = 0

# Where the file cannot be written: the full path, exit 74, nothing created.
run --db "$A" export referrals -o missing/x.csv
check_rc 74 "a missing folder is an I/O error"
check_err_has "$W/out/missing/x.csv: No such file or directory" "it names the full path and why"
run --db "$A" export referrals -o "$W/out"
check_rc 2 "a folder given as -o is refused"
run --db "$A" export referrals -o
check_rc 2 "-o without a file name is a usage error"
check_err_has "-o needs a file name" "and says so"
run --db "$A" export referrals --force
check_rc 2 "--force without -o is a usage error"
# A failed export leaves no file: an unknown database table cannot be, so use a full disk.
if [ -w /dev/full ] && ln -s /dev/full full.csv 2>/dev/null; then
    run --db "$A" export referrals -o full.csv --force
    check_true "the link to /dev/full is replaced by the whole file, not written through" \
        test -f full.csv -a ! -L full.csv
fi

# report: every text format to a file, 0600, the same as standard output.
for f in text json csv md; do
    "$CASELOAD" --db "$A" --as-of 2024-02-01 report summary --format $f >"$W/report.$f"
    run --db "$A" --as-of 2024-02-01 report summary --format $f -o summary.$f
    check_rc 0 "report --format $f -o FILE exits 0"
    check_out_has "written to $W/out/summary.$f" "report $f: the message names the full path"
    check_true "report $f: the file holds what standard output would" cmp summary.$f "$W/report.$f"
    check_true "report $f: created 0600 under umask 000 (is $(mode summary.$f))" \
        test "$(mode summary.$f)" = 600
done
run --db "$A" --as-of 2024-02-01 report summary -o summary.md
check_rc 2 "report over an existing file without --force is refused"
check_err_has "caseload report: $W/out/summary.md exists (--force replaces it)" "naming the full path"
check_true "the report file is untouched" cmp summary.md "$W/report.md"
run --db "$A" --as-of 2024-02-01 report summary -o summary.md --force
check_rc 0 "report --force replaces it"
check_true "with the text report" cmp summary.md "$W/report.text"

finish
