#!/bin/sh
# test_open: what caseload opens as its database (SPEC section 11): another program's SQLite file
# refused untouched (not a byte changed, no WAL, no tables); an empty file or a new path made a
# database (0600); one from before application_id upgraded; a negative schema version named; two
# programs opening a new or older database at once both succeed; the busy message states the
# time really waited; export leaves no -wal/-shm behind; read-only media without a -shm are read.
. "$SOURCE_ROOT/tests/cli/lib.sh"

AS_OF=--as-of=2024-02-01
D="$TMPDIR_T"
no_side_files() { test ! -e "$1-wal" -a ! -e "$1-shm" -a ! -e "$1-journal"; }
# A database at schema 7, as caseload made it before migration 0008 (application_id 0).
old_db() {
    rm -f "$1" "$1-wal" "$1-shm"
    for m in "$SOURCE_ROOT"/data/migrations/000[1-7]_*.sql; do cat "$m"; done | sqlite3 "$1"
    sqlite3 "$1" "PRAGMA user_version = 7; INSERT INTO meta VALUES ('device_id', '9'), ('counter', '0')"
}

# Another program's SQLite file: refused with 74, not one byte changed, no -wal, no tables added.
sqlite3 "$D/other.db" "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('x'); PRAGMA user_version = 3"
cp "$D/other.db" "$D/other.before"
for cmd in "list" "export referrals" "import children $DATA/import-children.csv" "check" "backup $D/b.db"; do
    run $AS_OF --db "$D/other.db" $cmd
    check_rc 74 "another program's file: $cmd exits 74"
    check_true "and leaves it as it was ($cmd)" cmp -s "$D/other.db" "$D/other.before"
done
check_err_has "not a caseload database" "the message says it is not a caseload database"
check_err_has "left untouched" "and that it was left untouched"
check_true "no -wal or -shm made beside it" no_side_files "$D/other.db"
check_true "not switched to WAL" test "$(sqlite3 "$D/other.db" 'PRAGMA journal_mode')" = delete
check_true "no tables added" test "$(sqlite3 "$D/other.db" "SELECT count(*) FROM sqlite_master")" = 1
check_true "no backup made of it" test ! -e "$D/b.db"
# One with caseload's tables but another program's application_id.
old_db "$D/theirs.db"
sqlite3 "$D/theirs.db" "PRAGMA application_id = 4660"
cp "$D/theirs.db" "$D/theirs.before"
run $AS_OF --db "$D/theirs.db" list
check_rc 74 "a file with another application_id exits 74"
check_err_has "application_id 0x00001234" "and the message names the application_id"
check_true "and it is left as it was" cmp -s "$D/theirs.db" "$D/theirs.before"
# A file with no tables and no version but another program's application_id is theirs too.
sqlite3 "$D/empty-theirs.db" "PRAGMA application_id = 4660"
cp "$D/empty-theirs.db" "$D/empty-theirs.before"
run $AS_OF --db "$D/empty-theirs.db" list
check_rc 74 "an empty SQLite file with another application_id exits 74"
check_true "and it is left as it was" cmp -s "$D/empty-theirs.db" "$D/empty-theirs.before"

# An empty file, or a new path, is a new database, made private.
: >"$D/empty.db"
chmod 644 "$D/empty.db"
run $AS_OF --db "$D/empty.db" list
check_rc 0 "an empty file given as --db becomes a database"
check_true "its mode is now 0600" test "$(stat -c %a "$D/empty.db")" = 600
check_true "with caseload's application_id" test "$(sqlite3 "$D/empty.db" 'PRAGMA application_id')" = 1129532484
run $AS_OF --db "$D/new/folder/new.db" list
check_rc 0 "a new path becomes a database"
check_true "with caseload's application_id" test "$(sqlite3 "$D/new/folder/new.db" 'PRAGMA application_id')" = 1129532484

# A caseload database from before application_id is upgraded, its rows kept.
old_db "$D/old.db"
sqlite3 "$D/old.db" "INSERT INTO officers(id, initials) VALUES (1, 'AB')"
run $AS_OF --db "$D/old.db" list
check_rc 0 "a database made before application_id opens"
check_true "and is given it" test "$(sqlite3 "$D/old.db" 'PRAGMA application_id')" = 1129532484
check_true "its rows kept" test "$(sqlite3 "$D/old.db" "SELECT initials FROM officers")" = AB
check_true "and its schema brought up to date" \
    test "$(sqlite3 "$D/old.db" 'PRAGMA user_version')" = "$(sqlite3 "$D/empty.db" 'PRAGMA user_version')"

# A negative schema version on a caseload-looking file: a clear message, untouched.
old_db "$D/neg.db"
sqlite3 "$D/neg.db" "PRAGMA user_version = -1"
cp "$D/neg.db" "$D/neg.before"
run $AS_OF --db "$D/neg.db" list
check_rc 74 "a negative schema version exits 74"
check_err_has "schema version of the database is negative (-1)" "and says so"
check_true "not 'not an error'" sh -c "! grep -q 'not an error' '$ERR'"
check_true "and leaves the file as it was" cmp -s "$D/neg.db" "$D/neg.before"

# Two programs opening a new database at once, 20 times; then an older one, 10 times.
# race N MAKE: N times, MAKE makes race.db afresh and two programs open it at once; $fails
# counts the programs that failed (their messages go to $ERR).
race() {
    fails=0
    i=0
    while [ $i -lt "$1" ]; do
        $2 "$D/race.db"
        "$CASELOAD" $AS_OF --db "$D/race.db" list >/dev/null 2>"$D/race1" &
        p1=$!
        "$CASELOAD" $AS_OF --db "$D/race.db" list >/dev/null 2>"$D/race2" &
        p2=$!
        wait $p1 || { fails=$((fails + 1)); cat "$D/race1" >>"$ERR"; }
        wait $p2 || { fails=$((fails + 1)); cat "$D/race2" >>"$ERR"; }
        i=$((i + 1))
    done
}
no_db() { rm -f "$1" "$1-wal" "$1-shm"; }
race 20 no_db
check_true "20 times two programs opening a new database: all succeed ($fails failed)" test $fails = 0
check_true "the new database has 16 KB pages" test "$(sqlite3 "$D/race.db" 'PRAGMA page_size')" = 16384
check_true "and is in WAL mode" test "$(sqlite3 "$D/race.db" 'PRAGMA journal_mode')" = wal
race 4 old_db
check_true "4 times two programs upgrading an older database: all succeed ($fails failed)" test $fails = 0

# The busy message states the time really waited: another program holds the write lock of a
# database in rollback-journal mode, so the switch to WAL at open must wait for it (SQLite itself
# gives up at once there, without its busy handler).
old_db "$D/busy.db"
mkfifo "$D/lock"
sqlite3 "$D/busy.db" <"$D/lock" >/dev/null 2>&1 &
holder=$!
exec 3>"$D/lock"
echo "PRAGMA busy_timeout=5000; BEGIN IMMEDIATE; INSERT INTO officers(id, initials) VALUES (5, 'ZZ');" >&3
i=0 # until the other program holds the lock (a loaded machine can take its time to start it)
while [ $i -lt 100 ] && sqlite3 "$D/busy.db" "PRAGMA busy_timeout=0; BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1; do
    i=$((i + 1))
    sleep 0.05
done
start=$(date +%s%N)
CASELOAD_BUSY_TIMEOUT_MS=400 run $AS_OF --db "$D/busy.db" list
elapsed=$((($(date +%s%N) - start) / 1000000))
echo 'COMMIT;' >&3
exec 3>&-
wait $holder
check_rc 75 "a database another program holds exits 75"
waited=$(sed -n 's/.*(waited \([0-9]*\) ms).*/\1/p' "$ERR")
check_true "the message says how long it waited (${waited:-nothing})" test -n "$waited"
check_true "at least the timeout (${waited:-?} >= 400 ms)" test "${waited:-0}" -ge 400
check_true "and no more than it really took (${waited:-?} <= $elapsed ms)" test "${waited:-0}" -le "$elapsed"
run $AS_OF --db "$D/busy.db" list
check_rc 0 "the same database opens once it is free"

# Read-only use (export) leaves no -wal or -shm files behind.
"$CASELOAD" $AS_OF --db "$D/ro.db" demo --children 20 >/dev/null
check_true "no -wal/-shm after the demo" no_side_files "$D/ro.db"
run $AS_OF --db "$D/ro.db" export referrals
check_rc 0 "export"
check_true "export leaves no -wal/-shm behind" no_side_files "$D/ro.db"
"$CASELOAD" --db "$D/ro.db" export referrals >"$D/referrals.csv"

# Read-only media: a database without its -shm file on a read-only file system is read.
mkdir "$D/media" "$D/mnt"
cp "$D/ro.db" "$D/media/caseload.db"
if unshare -m true 2>/dev/null; then
    unshare -m sh -c 'mount --bind "$1/media" "$1/mnt" && mount -o remount,bind,ro "$1/mnt" &&
        "$2" --db "$1/mnt/caseload.db" export referrals >"$1/media.csv" 2>"$1/media.err"
        echo $? >"$1/media.rc"' sh "$D" "$CASELOAD" 2>/dev/null
    if [ -f "$D/media.rc" ]; then
        check_true "export from read-only media exits 0 ($(cat "$D/media.err"))" test "$(cat "$D/media.rc")" = 0
        check_true "with every referral" cmp -s "$D/media.csv" "$D/referrals.csv"
    else
        t_ok "# SKIP cannot mount read-only here"
        t_ok "# SKIP cannot mount read-only here"
    fi
else
    t_ok "# SKIP no mount namespace: the read-only media test"
    t_ok "# SKIP no mount namespace: the read-only media test"
fi
# A folder the user may not write (not read-only media: its owner may be writing): the message
# says why the database cannot be read.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
    chmod 755 "$D" "$D/media"
    chmod 644 "$D/media/caseload.db"
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$CASELOAD" --db "$D/media/caseload.db" \
        export referrals >"$OUT" 2>"$ERR"
    RC=$?
    chmod 700 "$D"
    check_rc 74 "a database in a folder the user may not write, without its -shm: 74"
    check_err_has "needs its -shm file" "and the message says why"
else
    t_ok "# SKIP not root or no setpriv: the folder the user may not write"
    t_ok "# SKIP not root or no setpriv"
fi

finish
