# lib.sh: shared helpers for the command-line tests. Source it, then call the checks; each check
# prints one TAP line; `finish` prints the plan and sets the exit status.
#
#   run ARGS...            runs $CASELOAD ARGS (stdin from /dev/null): $OUT, $ERR files, $RC
#   run_in FILE ARGS...    the same with FILE as standard input
#   check_rc N DESC        the last run exited N
#   check_out NAME DESC    its stdout equals tests/cli/expected/NAME (UPDATE_EXPECTED=1 rewrites it)
#   check_out_has TEXT DESC / check_err_has TEXT DESC   stdout / stderr contains TEXT (fixed string)
#   check_err_empty DESC   stderr is empty
#   check_true DESC CMD... any command that must succeed
#   digest DB              every synced table of DB (offline copies), row for row, in key order
#   same DESC DB1 DB2      the synced tables of the two databases are equal
#   edit IN OUT KEY COLUMN VALUE...   a copy of a CSV file with some cells changed
#   logged_sql DB TABLE SQL  SQL run on TABLE, logged as caseload logs a change (offline copies)
#   logged_delete DB REF   referral REF deleted and logged so
#   load_fixture OPTIONS KIND...   imports tests/cli/data/import-KIND.csv of each KIND, in order,
#                          with the global OPTIONS (one string: "--db FILE --as-of DATE")
#
# Every test gets a fresh $TMPDIR_T with HOME, XDG folders and CASELOAD_DB inside it, so no test
# reads the user's configuration or database.
set -u
: "${CASELOAD:?run through meson test}"
: "${SOURCE_ROOT:?run through meson test}"
EXPECTED="$SOURCE_ROOT/tests/cli/expected"
DATA="$SOURCE_ROOT/tests/cli/data"
TMPDIR_T=$(mktemp -d "${TMPDIR:-/tmp}/caseload-test.XXXXXX")
trap 'rm -rf "$TMPDIR_T"' EXIT
. "$SOURCE_ROOT/tests/tap.sh"
OUT="$TMPDIR_T/stdout"
ERR="$TMPDIR_T/stderr"
RC=0

load_fixture() {
    opts=$1
    shift
    for k in "$@"; do
        (cd "$DATA" && "$CASELOAD" $opts import "$k" "import-$k.csv" >/dev/null)
    done
}

run() {
    "$CASELOAD" "$@" >"$OUT" 2>"$ERR" </dev/null
    RC=$?
}

run_in() {
    in=$1
    shift
    "$CASELOAD" "$@" >"$OUT" 2>"$ERR" <"$in"
    RC=$?
}

check_rc() {
    if [ "$RC" -eq "$1" ]; then t_ok "$2"; else t_notok "$2" "exit $RC, expected $1"; fi
}

check_out() {
    if [ "${UPDATE_EXPECTED:-}" = 1 ]; then cp "$OUT" "$EXPECTED/$1"; fi
    if [ ! -f "$EXPECTED/$1" ]; then
        t_notok "$2" "missing $EXPECTED/$1 (run with UPDATE_EXPECTED=1)"
    elif cmp -s "$OUT" "$EXPECTED/$1"; then
        t_ok "$2"
    else
        t_notok "$2" "stdout differs from expected/$1:" "$(diff "$EXPECTED/$1" "$OUT" | head -20)"
    fi
}

check_out_has() {
    if grep -qF -- "$1" "$OUT"; then t_ok "$2"; else t_notok "$2" "stdout lacks: $1" "$(head -5 "$OUT")"; fi
}

check_err_has() {
    if grep -qF -- "$1" "$ERR"; then t_ok "$2"; else t_notok "$2" "stderr lacks: $1"; fi
}

check_err_empty() {
    if [ ! -s "$ERR" ]; then t_ok "$1"; else t_notok "$1" "stderr not empty"; fi
}

# The synced tables (src/store/sync.c), parents first.
SYNCED_TABLES="tombstones officers schools children referrals actions follow_up_done outcomes reopenings exclusions attendance episodes audit conflicts"

digest() {
    for t in $SYNCED_TABLES; do
        echo "== $t"
        sqlite3 -readonly "$1" ".mode quote" "SELECT * FROM $t ORDER BY id"
    done
}

same() {
    digest "$2" >"$TMPDIR_T/d1"
    digest "$3" >"$TMPDIR_T/d2"
    if cmp -s "$TMPDIR_T/d1" "$TMPDIR_T/d2"; then t_ok "$1"; else
        t_notok "$1" "$(diff "$TMPDIR_T/d1" "$TMPDIR_T/d2" | head -10)"
    fi
}

# edit IN OUT KEY COLUMN VALUE [KEY COLUMN VALUE...]: a copy of CSV file IN with those cells changed
# (KEY: the value of the row's first column, a referral's ref).
edit() {
    python3 "$SOURCE_ROOT/tests/csv_edit.py" "$@"
}

# logged_sql DB TABLE SQL: runs SQL with the sqlite3 shell in a session on TABLE and logs the change
# as caseload logs one of its own (for changes no command makes: a delete, a correction).
logged_sql() { # DB TABLE SQL
    rm -f change.bin
    printf ".session open main s\n.session s attach %s\n%s\n.session s changeset change.bin\n.session s close\n" "$2" "$3" | sqlite3 "$1"
    sqlite3 "$1" "INSERT INTO sync_log(origin, at, changes) SELECT value,
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), readfile('change.bin') FROM meta WHERE key = 'device_id'"
}

# logged_delete DB REF: deletes referral REF, logged (caseload deletes synced rows only when it
# resolves a conflict or purges a child).
logged_delete() { # DB REF
    logged_sql "$1" referrals "DELETE FROM referrals WHERE ref = '$2';"
}

finish() {
    t_plan
}
