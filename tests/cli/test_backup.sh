#!/bin/sh
# test_backup: `caseload backup FILE` (SPEC section 11): a copy (0600, caseload's application_id)
# that opens, passes check and holds the same rows; FILE must not exist (exit 74, nothing
# replaced); consistent while another program holds an uncommitted change.
. "$SOURCE_ROOT/tests/cli/lib.sh"

AS_OF=--as-of=2024-02-01
DB="$TMPDIR_T/caseload.db"
COPY="$TMPDIR_T/backups/copy.db"
mkdir -p "$TMPDIR_T/backups"
"$CASELOAD" $AS_OF demo --children 80 >/dev/null
rows() { # the rows of every kind, as export writes them
    for k in children referrals actions outcomes exclusions attendance episodes; do
        "$CASELOAD" --db "$1" export $k
    done
}

umask 022
run $AS_OF backup "$COPY"
check_rc 0 "backup FILE"
check_err_empty "says nothing on success"
check_true "the copy is mode 0600 whatever the umask" test "$(stat -c %a "$COPY")" = 600
check_true "the copy carries caseload's application_id" \
    test "$(sqlite3 "$COPY" 'PRAGMA application_id')" = 1129532484
check_true "and the schema version" \
    test "$(sqlite3 "$COPY" 'PRAGMA user_version')" = "$(sqlite3 "$DB" 'PRAGMA user_version')"
check_true "no temporary file is left beside it" test "$(ls "$TMPDIR_T/backups")" = copy.db
run $AS_OF --db "$COPY" check
check_rc 0 "the copy opens and passes check"
rows "$DB" >"$TMPDIR_T/rows.db"
rows "$COPY" >"$TMPDIR_T/rows.copy"
check_true "the copy holds the same rows" cmp -s "$TMPDIR_T/rows.db" "$TMPDIR_T/rows.copy"
check_true "of which there are some" test "$(wc -l <"$TMPDIR_T/rows.db")" -gt 300

cp "$COPY" "$TMPDIR_T/copy.before"
run $AS_OF backup "$COPY"
check_rc 74 "a FILE that exists is refused with 74"
check_err_has "exists: a backup never replaces a file" "and the message says why"
check_true "the file that was there is untouched" cmp -s "$COPY" "$TMPDIR_T/copy.before"
run $AS_OF backup
check_rc 2 "backup without FILE exits 2"
run $AS_OF backup "$TMPDIR_T/no/such/folder/x.db"
check_rc 74 "a FILE in a missing folder exits 74"
check_err_has "cannot write the backup" "and says it cannot write it"
run $AS_OF --db "$TMPDIR_T/none.db" backup "$TMPDIR_T/x.db"
check_rc 74 "backup of a missing database exits 74"
check_true "and makes neither database nor copy" test ! -e "$TMPDIR_T/none.db" -a ! -e "$TMPDIR_T/x.db"

# While another program holds an uncommitted change (the write lock), the backup is made, without
# waiting, and holds the database as it was committed.
before=$(sqlite3 "$DB" "SELECT count(*) FROM actions")
mkfifo "$TMPDIR_T/lock"
sqlite3 "$DB" <"$TMPDIR_T/lock" >/dev/null 2>&1 &
holder=$!
exec 3>"$TMPDIR_T/lock"
echo "PRAGMA busy_timeout=5000; BEGIN IMMEDIATE; DELETE FROM outcomes; UPDATE referrals SET summary = 'changed';" >&3
echo "INSERT INTO actions(id, referral_id, date, kind) SELECT id + 1000000, id, '2024-01-31', 'call' FROM referrals;" >&3
i=0
while [ $i -lt 100 ] && sqlite3 "$DB" "PRAGMA busy_timeout=0; BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1; do
    i=$((i + 1))
    sleep 0.05
done
CASELOAD_BUSY_TIMEOUT_MS=100 run $AS_OF backup "$TMPDIR_T/during.db"
check_rc 0 "backup while another program holds the write lock"
echo 'COMMIT;' >&3
exec 3>&-
wait $holder
check_true "the other program's change was committed meanwhile" \
    test "$(sqlite3 "$DB" "SELECT count(*) FROM actions")" -gt "$before"
check_true "the backup holds none of it" \
    test "$(sqlite3 "$TMPDIR_T/during.db" "SELECT count(*) FROM actions")" = "$before"
rows "$TMPDIR_T/during.db" >"$TMPDIR_T/rows.during"
check_true "and every row as it was before" cmp -s "$TMPDIR_T/rows.db" "$TMPDIR_T/rows.during"
run $AS_OF --db "$TMPDIR_T/during.db" check
check_rc 0 "the backup made meanwhile passes check"

finish
