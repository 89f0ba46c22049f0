#!/bin/sh
# Bracketed paste (SPEC section 8): pasted text goes into the field being edited, newlines included
# where the field takes several lines (notes, summaries), and never runs as keys.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture

app_start 100 30
wait_for "shown of"
keys /
paste 'Mensah\rq'
screen_has "/Mensah q_" "a paste into / is text: its newline a space, its q not a key"
screen_lacks "exit=" "the app did not quit"
keys Escape

# On the main screen, not in a field: a paste of "an" opens nothing.
paste 'an'
screen_has "Pasted text goes into a field being typed" "a paste outside a field is not run as keys"
screen_lacks "Add an action" "no action form opened"

# A two-line note pasted into the action form: the form stays open, the note holds both lines.
keys / R 2 1 - 0 3 0 Enter Enter a ' ' Enter Tab Tab Tab
paste 'Spoke to the DSL.\r\nCall back Friday.\ra'
screen_has "Add an action" "the paste did not save the form"
screen_has "Spoke to the DSL." "the note holds the first line"
keys C-s y # y: create officer TEST
screen_has "Saved: action on R21-030" "Enter saves"
keys G
screen_has "              Call back Friday." "the timeline shows the note's lines, each under the entry"
keys g a ' ' Enter Tab Tab Tab
paste 'A long note that goes on well past the edge of the screen so that it has to be wrapped onto more lines than one, never cut, ending here: THE END'
keys C-s G
screen_has "THE END" "a long note is wrapped in the timeline, never cut"
check_true "the note keeps its newlines" sh -c "'$CASELOAD' --as-of $AS_OF export actions --format json | python3 -c \"
import json, sys
assert any(a['note'] == 'Spoke to the DSL.\\\\nCall back Friday.\\\\na' for a in json.load(sys.stdin))\""
# A name pasted into the new referral's child search searches at once, as typing it does.
keys q n
screen_has "New referral: find the child" "n: the child search"
paste 'smy'
screen_has "Smyth, Jon" "a name pasted into the child search finds the child without another key"
keys Escape y
keys q q
screen_has "exit=0" "quit"
finish
