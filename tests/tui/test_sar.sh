#!/bin/sh
# A subject access request from the child view (issue 12; SPEC section 10): `S` asks the format
# (md or json) and the file (offered: sar-<LA child id, else the row id>-<date>.md, never a name or
# UPN), writes what `caseload sar` writes, 0600, ~ as the home folder, never over a file without
# asking, records it in the access log as `caseload sar` does, and says the full path. It needs a
# known officer, as `caseload sar` does.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture
umask 000 # the file is 0600 even so
cd "$TMPDIR_T" || exit 1 # the app's working folder: the file offered goes there
sars() { # how many subject access requests of child 18 (Ruby Johnson, LA0018) officer AB made
    sqlite3 "$CASELOAD_DB" "SELECT count(*) FROM audit WHERE action = 'sar' AND tbl = 'children' AND row_id = 18 AND child_id = 18 AND officer = 'AB' AND os_user = '$(id -un)' AND detail = '$1'"
}
# The file up to its access log, without the line saying when it was made (the command line's
# run is recorded in the log, and made a moment later).
body() {
    sed -e '/^## Access log/,$d' -e '/^Made /d' "$1"
}

# Nobody known at the keyboard: refused, nothing written.
app_start 80 24
wait_for "shown of"
keys / R 2 1 - 0 4 2 Enter
wait_for "1 shown of"
keys v
wait_for "Ruby Johnson  LA0018"
keys S
screen_has "A subject access request needs a known officer" "no known officer: refused, saying why"
check_true "nothing written" test -z "$(ls "$TMPDIR_T" | grep '^sar')"
keys q q
wait_for "exit=0"

app_start 120 30 CASELOAD_OFFICER=AB "HOME='$TMPDIR_T/home'"
wait_for "shown of"
keys / R 2 1 - 0 4 2 Enter
wait_for "1 shown of"
keys v
wait_for "Ruby Johnson  LA0018"
keys '?'
screen_has "the child's subject access request" "? lists S (from the key table)"
keys q
keys S
screen_has "Subject access request" "S asks where to write the child's subject access request"
screen_has "sar-LA0018-2022-03-01.md" "the file offered: the LA child id and the date"
screen_lacks "Ruby" "no name in the form's file name"
keys Tab Enter
screen_has "subject access request written to $TMPDIR_T/sar-LA0018-2022-03-01.md" \
    "Enter writes it; the message says the full path"
F="$TMPDIR_T/sar-LA0018-2022-03-01.md"
check_true "the file is 0600 under umask 000 (is $(stat -c %a "$F" 2>/dev/null))" test "$(stat -c %a "$F")" = 600
check_true "it is the subject access request" grep -q "^# Subject access request" "$F"
"$CASELOAD" --as-of "$AS_OF" --officer AB sar LA0018 -o "$TMPDIR_T/cli.md" >/dev/null 2>&1
body "$F" >"$TMPDIR_T/a"
body "$TMPDIR_T/cli.md" >"$TMPDIR_T/b"
check_true "it holds what caseload sar writes" cmp "$TMPDIR_T/a" "$TMPDIR_T/b"
check_true "it names the officer" grep -q "by officer AB" "$F"
check_true "the access log records it as caseload sar does (sar, the child, AB, the OS user, md)" \
    test "$(sars md)" = 2

# An existing file: replaced only after a yes.
cp "$F" "$TMPDIR_T/before.md"
keys S
wait_for "Subject access request"
keys Tab Enter
screen_has "That file exists. Replace it?" "writing over a file asks first"
keys n
screen_has "not written: the file exists" "no leaves the file alone"
check_true "the file is unchanged" cmp "$F" "$TMPDIR_T/before.md"
check_true "and nothing more is recorded" test "$(sars md)" = 2
keys Enter
wait_for "That file exists. Replace it?"
keys y
screen_has "subject access request written to $F" "yes replaces it"
check_true "recorded again" test "$(sars md)" = 3
check_true "the replaced file is 0600" test "$(stat -c %a "$F")" = 600

# json; the name offered follows the format; ~ is the home folder.
keys S
wait_for "Subject access request"
keys Right Enter
J="$TMPDIR_T/sar-LA0018-2022-03-01.json"
screen_has "subject access request written to $J" "json: the name offered ends .json"
check_true "it is one JSON object with the child, the referrals and the access log" python3 -c "
import json, sys
d = json.load(open('$J'))
sys.exit(0 if d['child']['la_child_id'] == 'LA0018' and len(d['referrals']) == 2
         and any(a['action'] == 'sar' for a in d['access_log']) else 1)"
check_true "recorded with json as its detail" test "$(sars json)" = 1
mkdir -p "$TMPDIR_T/home"
keys S
wait_for "Subject access request"
keys Tab C-u "~/copy.md" Enter
screen_has "subject access request written to $TMPDIR_T/home/copy.md" "~ is the home folder"
check_true "the file is there, 0600" test "$(stat -c %a "$TMPDIR_T/home/copy.md")" = 600
keys S
wait_for "Subject access request"
keys Tab C-u "$TMPDIR_T/no/such/folder/x.md" Enter
screen_has "nothing was kept" "a folder that does not exist: said in the form"
keys Escape
wait_for "Discard what you typed?"
keys y
screen_has "referral 1 of 2" "Esc leaves the form"
check_true "the failed one is not recorded" test "$(sars md)" = 4
keys q q q
screen_has "exit=0" "quit"
finish
