#!/bin/sh
# test_errors: the exit-code contract of SPEC section 5 on bad input: missing file 66, bad rows 65
# (every row named, nothing written), bad configuration 78, busy 75, read-only and disk full 74
# (nothing lost), unknown command or option 2 with the usage; and the messages for bad values.
. "$SOURCE_ROOT/tests/cli/lib.sh"

cd "$DATA" || exit 1
DB="$TMPDIR_T/caseload.db"
AS_OF=--as-of=2024-02-01
q() { sqlite3 "$DB" "$1"; }
counts() { q "SELECT (SELECT count(*) FROM children) || ',' || (SELECT count(*) FROM referrals) || ',' ||
                     (SELECT count(*) FROM attendance) || ',' || (SELECT count(*) FROM audit)"; }
# check_err NAME DESC: stderr equals tests/cli/expected/NAME.
check_err() {
    cp "$ERR" "$OUT"
    check_out "$1" "$2"
}

load_fixture "$AS_OF" children referrals

# 66: the input file is missing or unreadable.
run $AS_OF import referrals no-such-file.csv
check_rc 66 "a missing file exits 66"
check_err_has "no-such-file.csv: cannot read: No such file or directory" "the file and the reason are named"
run $AS_OF import referrals "$TMPDIR_T"
check_rc 66 "a folder given as the file exits 66"

# 65: bad rows; every one named FILE:LINE: COLUMN: message; nothing written.
before=$(counts)
run $AS_OF import referrals bad-referrals.csv
check_rc 65 "bad rows exit 65"
check_err errors-bad-referrals.txt "every bad row is named with its line and column"
check_err_has "bad-referrals.csv:4: upn: 'A801200005001' is not a UPN: check letter" "an invalid UPN, with the reason"
check_err_has "bad-referrals.csv:5: received: '2022-02-30' is not a date (YYYY-MM-DD)" "an impossible date"
check_err_has "bad-referrals.csv:6: issue: 'atendance' is not an issue (did you mean 'attendance'?)" \
    "an unknown code, with a suggestion"
check_err_has "bad-referrals.csv:7: closed: required when status is 'closed'" "a closed referral without a closed date"
check_err_has "bad-referrals.csv:9: ref: 'R-1' is repeated (first on line 2)" \
    "line numbers count the newline inside a quoted field of an earlier row"
check_true "nothing was written" test "$(counts)" = "$before"
run $AS_OF import referrals bad-referrals.csv --dry-run
check_rc 65 "a dry run of bad rows exits 65 too"

run $AS_OF import referrals bad-header.csv
check_rc 65 "a bad header exits 65"
check_err errors-bad-header.txt "unknown (with a suggestion), duplicate and missing columns are named"
run $AS_OF import exclusions bad-quote.csv
check_rc 65 "an unterminated quote exits 65"
check_err_has "bad-quote.csv:3: unterminated quoted field" "the line where the quoted field starts"
run $AS_OF import attendance bad-attendance.csv
check_rc 65 "bad attendance rows exit 65"
check_err errors-bad-attendance.txt "sessions, dates, an unknown child and a repeated record are named"
run $AS_OF import exclusions bad-exclusions.csv
check_rc 65 "bad exclusion rows exit 65"
check_err errors-bad-exclusions.txt "codes listed when nothing is close; days must be above 0"
run $AS_OF import outcomes bad-outcomes.csv
check_rc 65 "bad outcome rows exit 65"
check_err_has "bad-outcomes.csv:2: ref: no referral 'R-404' in the database" "an outcome for an unknown ref"
check_true "still nothing written" test "$(counts)" = "$before"

# Control characters in a bad value never reach the terminal.
printf 'upn,la_child_id,from,to,possible_sessions,attended_sessions\nB801200005001,,2023-09-01\033[2J,2023-12-20,10,5\n' \
    >"$TMPDIR_T/esc.csv"
run $AS_OF import attendance "$TMPDIR_T/esc.csv"
check_rc 65 "a value with an escape character is bad"
check_err_has "from: holds a control character (U+001B at character 11)" "the escape character is named, not shown"
check_true "no escape character on stderr" sh -c "! grep -q \"\$(printf '\\033')\" '$ERR'"

# 78: a bad configuration stops the import before anything is read into the database.
run $AS_OF --config errors-config.yaml import attendance import-attendance.csv
check_rc 78 "a configuration with an unknown key exits 78"
check_err_has "errors-config.yaml:2:" "the configuration error names file and line"
check_true "nothing was written with a bad configuration" test "$(counts)" = "$before"

# 75: another program holds the write lock past the busy timeout.
mkfifo "$TMPDIR_T/lock"
sqlite3 "$DB" <"$TMPDIR_T/lock" >/dev/null 2>&1 &
holder=$!
exec 3>"$TMPDIR_T/lock"
# (The holder waits for the lock itself: the loop below takes it for an instant on each try.)
echo 'PRAGMA busy_timeout=5000; BEGIN IMMEDIATE;' >&3
i=0
while [ $i -lt 100 ] && sqlite3 "$DB" "PRAGMA busy_timeout=0; BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1; do
    i=$((i + 1))
    sleep 0.05
done
CASELOAD_BUSY_TIMEOUT_MS=200 run $AS_OF import attendance import-attendance.csv
check_rc 75 "a database locked by another program exits 75"
check_err_has "locked by another program" "the message says the database is locked"
echo 'ROLLBACK;' >&3
exec 3>&-
wait $holder
check_true "nothing was written while busy" test "$(counts)" = "$before"

# 74: a read-only database (as SQLite sees it), nothing lost.
CASELOAD_READONLY=1 run $AS_OF import attendance import-attendance.csv
check_rc 74 "a read-only database exits 74"
check_err_has "read-only" "the message says the database is read-only"
check_true "nothing was written to the read-only database" test "$(counts)" = "$before"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
    chmod 755 "$TMPDIR_T" "$HOME"
    chmod 644 "$DB"
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$CASELOAD" --db "$DB" $AS_OF \
        import attendance import-attendance.csv >"$OUT" 2>"$ERR"
    RC=$?
    check_rc 74 "a database the user may not write (run as nobody) exits 74"
    check_err_has "read-only" "and says it is read-only"
    chmod 600 "$DB"
    chmod 700 "$TMPDIR_T"
    check_true "nothing was written by nobody" test "$(counts)" = "$before"
else
    t_ok "# SKIP not root or no setpriv: the read-only test as another user"
fi

# 74: the disk is full (a file size limit: writes fail with EFBIG), the database intact.
python3 "$SOURCE_ROOT/bench/gen_referrals.py" 4000 >"$TMPDIR_T/big.csv"
(
    trap '' XFSZ
    ulimit -f 400
    exec "$CASELOAD" $AS_OF import referrals "$TMPDIR_T/big.csv"
) >"$OUT" 2>"$ERR"
RC=$?
check_rc 74 "a full disk exits 74"
check_err_has "nothing was imported" "the message says nothing was imported"
check_true "the database is intact" test "$(q 'PRAGMA integrity_check')" = ok
check_true "nothing was lost or half-written" test "$(counts)" = "$before"
run $AS_OF import attendance import-attendance.csv
check_rc 0 "the database works after the failed import"

# 2: unknown command (one line, see test_conventions) or option, with the usage.
run $AS_OF frobnicate
check_rc 2 "an unknown command exits 2"
check_err_has "unknown command 'frobnicate'" "the command is named"
check_err_has "caseload --help lists the commands" "with where to find them"
run $AS_OF --frobnicate
check_rc 2 "an unknown option exits 2"
check_err_has "usage: caseload" "with the usage"
run $AS_OF import attendance import-attendance.csv --frobnicate
check_rc 2 "an unknown option of a command exits 2"
check_err_has "usage: caseload import" "with the command's usage"

finish
