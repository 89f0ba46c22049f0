#!/bin/sh
# Follow-ups are tasks (SPEC section 8): an action without a follow-up leaves the pending one;
# `d` on the referral screen marks one done (the next becomes the referral's follow-up, the
# timeline says when it was done); an action can say it did what was asked; `F` on the main
# screen lists the due and overdue follow-ups of every live referral, earliest first.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture

app_start 100 30
wait_for "shown of"

# R21-030 (Jack Evans): an email on 2021-12-10 set a follow-up on 2022-02-08 (overdue), a call
# on 2021-12-05 one on 2022-04-07.
keys / R 2 1 - 0 3 0 Enter Enter
screen_has "Follow-up     2022-02-08  OVERDUE" "the referral's follow-up is its earliest pending one"
keys a ' ' Down Enter Tab Tab Tab 'no reply yet' C-s y # y: create officer TEST
screen_has "Saved: action on R21-030" "an email without a follow-up is saved"
screen_has "Follow-up     2022-02-08  OVERDUE" "it leaves the pending follow-up as it was"
keys d
screen_has "Mark a follow-up done" "d lists the pending follow-ups"
screen_has "2022-02-08  Email of 2021-12-10" "earliest first, with the action that set it"
screen_has "2022-04-07  Call of 2021-12-05" "and the later one"
keys Enter
screen_has "Saved: follow-up of 2022-02-08 done on R21-030" "Enter marks it done"
screen_has "Follow-up     2022-04-07" "the next pending one is the referral's follow-up"
keys G
screen_has "2022-02-08, done 2022-03-01" "the timeline says when it was done"
check_true "done is a fact of its own, the action row unchanged" sh -c "'$CASELOAD' --as-of $AS_OF export actions | grep -q 'R21-030,2021-12-10,.*,email,.*,2022-02-08'"

# A later action that did what was asked.
keys a ' ' Down Down Down Enter Tab Tab Tab 'visited' Tab Tab y
screen_has "Follow-ups done       [yes" "the action form offers to mark the pending ones done"
keys Enter
screen_has "Saved: action on R21-030" "saved"
keys g
screen_lacks "Follow-up     2" "no follow-up is pending any more"
keys q Escape

# F: the day's follow-ups, earliest first.
keys F
screen_has "follow-ups due" "F lists the due follow-ups"
check_true "earliest first: the first rows are those due on 2022-02-08" sh -c "tmux -L '$SOCK' capture-pane -p -t t | sed -n 3,5p | grep -c '02-08' | grep -qx 3"
screen_lacks "Jack Evans" "a referral whose follow-ups are done is not listed"
screen_has "11 shown of" "11 due (12 before R21-030's were done)"
keys F
screen_lacks "follow-ups due" "F again: back to the whole list"
keys q
screen_has "exit=0" "quit"
finish
