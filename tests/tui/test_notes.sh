#!/bin/sh
# Notes and summaries take several lines (SPEC section 8, issue 11): Enter in a note starts a new
# line, Ctrl-S or F2 saves; the note is wrapped at the field's width on word boundaries and
# scrolls with the cursor, its line shown beside it; a note amended shows its lines again.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture

app_start 100 30
wait_for "shown of"
keys / R 2 1 - 0 3 0 Enter Enter a ' ' Enter Tab Tab Tab
screen_has "Enter new line" "in a note the hint line says Enter starts a new line"
screen_has "Ctrl-S/F2 save" "and how the form is saved"
keys 'Spoke to the DSL.' Enter 'Call back Friday.'
screen_has "Add an action" "Enter in the note did not save the form"
screen_has "[Spoke to the DSL." "the note's first line on the field's first row"
screen_has "[Call back Friday." "its second line on the next row"
screen_has "line 2 of 2" "beside it, the line the cursor is on"
# A long line wraps at a space, never inside a word: 44 columns, 43 of them text.
keys Enter 'The head teacher agreed that the attendance plan starts on Monday.'
screen_has "[The head teacher agreed that the attendance " "a long line is wrapped at the last space that fits"
screen_has "[plan starts on Monday." "the rest of it on the row below"
# More rows than the field shows: it scrolls with the cursor and marks what is out of sight.
keys Enter five Enter six
screen_has "line 6 of 6" "the cursor on the sixth row"
screen_lacks "[Spoke to the DSL." "the first row scrolled out of the field"
screen_has "^Call back Friday." "a mark that more is above"
keys Up Up Up Up Up
screen_has "line 1 of 6" "Up moves to the rows above, in the note"
screen_has "[Spoke to the DSL." "the field scrolled back to the first row"
screen_has "[five$(printf '%40s' '')v" "a mark on the last row that more is below"
keys Up
screen_has "> Officer" "Up from the note's first row goes to the field before"
keys Down C-e '!'
keys C-s y # y: create officer TEST
screen_has "Saved: action on R21-030" "Ctrl-S saves the form"
check_true "the note keeps its lines" sh -c "'$CASELOAD' --as-of $AS_OF export actions --format json | python3 -c \"
import json, sys
want = 'Spoke to the DSL.!\\\\nCall back Friday.\\\\nThe head teacher agreed that the attendance plan starts on Monday.\\\\nfive\\\\nsix'
assert any(a['note'] == want for a in json.load(sys.stdin))\""
# Amending it: the note's lines are lines again in the form, not placeholders.
keys m
screen_has "Spoke to the DSL.!" "in the list to amend from, the note whole"
screen_has "  Call back Friday." "its next line on a row of its own, under the text (form_pick wraps it)"
keys Enter
screen_has "Amend the action" "m: the amend form"
keys Tab Tab Tab
screen_has "[six" "the amended note's last line, the cursor after it"
screen_has "^Call back Friday." "its second line, on a row of its own"
keys Up Up Up Up Up
screen_has "[Spoke to the DSL.!" "its first line"
screen_lacks "�" "no placeholder where a newline was"
keys Escape
keys o ' ' Enter Tab Tab 'Outcome noted' Enter 'over two lines' F2
screen_has "Saved: outcome of R21-030" "F2 saves the form"
keys q q
screen_has "exit=0" "quit"
# At 80x24 the note's hint line fits whole, and so does the form.
app_start 80 24
wait_for "shown of"
keys / R 2 1 - 0 3 0 Enter Enter a ' ' Enter Tab Tab Tab
screen_has "^X^E \$EDITOR  Esc cancel" "at 80 columns the note's hint line is whole"
screen_has "Follow up on" "the fields after the note are on the screen"
keys Escape y
wait_for "Timeline"
keys q q
screen_has "exit=0" "quit"
finish
