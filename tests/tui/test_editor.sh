#!/bin/sh
# A note edited in $EDITOR (issue 11): Ctrl-X Ctrl-E in a note leaves the screen, runs $VISUAL or
# $EDITOR on a 0600 file in a private directory under $TMPDIR, reads the text back cleaned by the
# note's rule, removes the file (and what the editor left beside it) and comes back to the form.
# An editor that cannot run or fails leaves the note as it was, with a message; a SIGTERM while
# the editor runs removes the file before the app ends.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture

TMP="$TMPDIR_T/tmp" # the app's TMPDIR: empty again after every edit
mkdir "$TMP"
LOG="$TMPDIR_T/editor.log"
ED="$TMPDIR_T/editor.sh"
cat >"$ED" <<'SH'
#!/bin/sh
# The test's editor: notes where the file is and its modes, leaves a backup beside it as some
# editors do, and adds a line (with an escape and a tab) after the note.
{ echo "$1"; stat -c %a "$1"; stat -c %a "$(dirname "$1")"; cat "$1"; } >"$EDITOR_LOG"
cp "$1" "$1~"
printf 'Added in the editor: Zo\303\253\n\033[31mred\tx\n' >>"$1"
SH
chmod +x "$ED"

empty() { # the app's TMPDIR holds nothing
    test -z "$(ls -A "$TMP")"
}

app_start 100 30 "TMPDIR=$TMP" "EDITOR=$ED" "EDITOR_LOG=$LOG" VISUAL=
wait_for "shown of"
keys / R 2 1 - 0 3 0 Enter Enter a ' ' Enter Tab Tab Tab 'typed first' Enter 'second line'
screen_has "^X^E \$EDITOR" "the hint line names the key for the editor"
keys C-x
screen_has "Ctrl-E: edit the note in \$EDITOR" "after Ctrl-X the hint line says what Ctrl-E does"
keys C-e
screen_has "[Added in the editor: Zoë" "the editor's line is in the note"
screen_has "[[31mred x" "its escape left out, its tab a space"
screen_has "[typed first" "what was typed before is kept"
screen_has "Add an action" "back in the form"
check_true "the editor had the note" sh -c "sed -n '4,5p' '$LOG' | tr '\n' '|' | grep -qx 'typed first|second line|'"
check_true "in a 0600 file" test "$(sed -n 2p "$LOG")" = 600
check_true "in a 0700 directory" test "$(sed -n 3p "$LOG")" = 700
check_true "under \$TMPDIR" sh -c "sed -n 1p '$LOG' | grep -q '^$TMP/caseload-note\.'"
check_true "the file is gone afterwards" sh -c "! test -e \"\$(sed -n 1p '$LOG')\""
check_true "and its directory, with the editor's backup in it" empty
keys C-s y # y: create officer TEST
screen_has "Saved: action on R21-030" "saved"
check_true "the note as edited, cleaned" sh -c "'$CASELOAD' --as-of $AS_OF export actions --format json | python3 -c \"
import json, sys
want = 'typed first\\\\nsecond line\\\\nAdded in the editor: Zo\\\\u00eb\\\\n[31mred x'
assert any(a['note'] == want for a in json.load(sys.stdin)), want\""
keys q q
screen_has "exit=0" "quit"

# An editor that fails: the note is unchanged, the file gone all the same.
cat >"$ED" <<'SH'
#!/bin/sh
echo "$1" >"$EDITOR_LOG"
echo 'lost' >>"$1"
exit 3
SH
app_start 100 30 "TMPDIR=$TMP" "EDITOR=$ED" "EDITOR_LOG=$LOG" VISUAL=
wait_for "shown of"
keys / R 2 1 - 0 3 0 Enter Enter a ' ' Enter Tab Tab Tab 'kept as typed' C-x C-e
screen_has "The editor ended with status 3: the note is unchanged" "an editor that fails: said"
screen_has "[kept as typed" "the note as it was"
screen_lacks "lost" "nothing of the failed edit"
check_true "the file is gone" sh -c "! test -e \"\$(sed -n 1p '$LOG')\""
check_true "its directory too" empty
# VISUAL before EDITOR; one that does not run: said, the note unchanged.
keys Escape y q q
screen_has "exit=0" "quit"
app_start 100 30 "TMPDIR=$TMP" "EDITOR=$ED" "VISUAL=/nonexistent/visual"
wait_for "shown of"
keys / R 2 1 - 0 3 0 Enter Enter a ' ' Enter Tab Tab Tab 'still here' C-x C-e
screen_has "Could not run the editor '/nonexistent/visual'" "VISUAL first; an editor that does not run: said"
screen_has "[still here" "the note unchanged"
check_true "nothing left in \$TMPDIR" empty
keys Escape y q q
screen_has "exit=0" "quit"

# A SIGTERM while the editor runs: the note's directory is removed all the same, and the app ends
# as that signal ends it.
cat >"$ED" <<'SH'
#!/bin/sh
p=$PPID
[ "$(cat /proc/$p/comm)" = caseload ] || p=$(cut -d' ' -f4 /proc/$p/stat)
echo "$1" >"$EDITOR_LOG"
echo "$p" >"$EDITOR_LOG.pid"
sleep 5
SH
rm -f "$LOG.pid"
app_start 100 30 "TMPDIR=$TMP" "EDITOR=$ED" "EDITOR_LOG=$LOG" VISUAL=
wait_for "shown of"
keys / R 2 1 - 0 3 0 Enter Enter a ' ' Enter Tab Tab Tab 'about a child' C-x C-e
i=0
while [ ! -s "$LOG.pid" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
check_true "the editor is running on the note" sh -c "test -e \"\$(cat '$LOG')\""
kill -TERM "$(cat "$LOG.pid")"
screen_has "exit=143" "SIGTERM while the editor runs: the app ends as SIGTERM ends it"
check_true "the note's file is gone" sh -c "! test -e \"\$(cat '$LOG')\""
check_true "and its directory" empty
finish
