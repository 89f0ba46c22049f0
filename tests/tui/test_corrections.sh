#!/bin/sh
# Corrections on the referral screen (issue 11 item 6): W withdraws an action or outcome picked
# from a list (kept, marked withdrawn in the timeline, its follow-up no longer pending); m amends
# one (a new version, the timeline says what it was); O reopens a closed referral and the
# timeline shows the reopening.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture
rows() { sqlite3 "$CASELOAD_DB" "SELECT count(*) FROM $1"; }
actions0=$(rows actions)

app_start 100 30
wait_for "shown of"
keys / R 2 1 - 0 3 0 Enter Enter
screen_has "Follow-up     2022-02-08  OVERDUE" "R21-030: the email's follow-up is the next"

# ---- withdraw ----
keys W
screen_has "Withdraw: which action or outcome?" "W lists the actions and outcomes"
screen_has "2021-12-10  action Email (CD): Spoke to school (1)" "newest first"
screen_has "2021-12-05  action Call (AB)" "the call too"
keys Enter
screen_has "Withdraw the action" "Enter: the withdrawal, asking why"
keys 'logged twice' Enter
screen_has "Saved: action withdrawn on R21-030" "saved"
screen_has "Follow-up     2022-04-07" "the withdrawn email's follow-up is no longer pending"
keys G
screen_has "WITHDRAWN action Email (CD): Spoke to school (1)" "the timeline keeps it, marked withdrawn"
screen_has "withdrawn 2022-03-01 by TEST: logged twice" "with when, by whom and why"
check_true "a new row, the old one kept" test "$(rows actions)" -eq $((actions0 + 1))

# ---- amend ----
keys g m
screen_has "Amend: which action or outcome?" "m lists them"
screen_lacks "action Email (CD)" "a withdrawn action is not offered"
keys Enter
screen_has "Amend the action" "the amendment form"
screen_has "Spoke to school (0)" "with the action as it is"
keys Tab Tab Tab C-u 'Spoke to the head' Tab C-u 2022-03-20 Tab 'wrong note' Enter
screen_has "Saved: action amended on R21-030" "saved"
screen_has "Follow-up     2022-03-20" "the amended follow-up is the next"
keys G
screen_has "action Call (AB): Spoke to the head" "the timeline shows the current version"
screen_has "amended 2022-03-01 by TEST: wrong note; was Call of 2021-12-05 by AB: Spoke to" "and what it was, its kind a label"
check_true "both versions kept" test "$(rows actions)" -eq $((actions0 + 2))

# ---- reopen ----
keys g O
screen_has "R21-030 is not closed" "O on an open referral says so"
keys c ' ' Enter Enter
screen_has "Saved: R21-030 closed" "closed"
keys O
screen_has "Reopen the referral" "O on a closed referral asks why"
keys 'new evidence' Enter
screen_has "Saved: R21-030 reopened" "reopened"
keys G
screen_has "referral reopened by TEST (closed on 2022-03-01)" "the timeline shows the reopening"
screen_has "why: new evidence" "and why"
screen_has "referral closed" "and the closing it undid"
check_true "the reopening is a row of its own" test "$(rows reopenings)" -eq 1

# ---- the closing outcome withdrawn: the referral reopens, recorded as a reopening ----
keys g c ' ' Enter Enter
screen_has "Saved: R21-030 closed" "closed again"
keys W
screen_has "2022-03-01  outcome" "W offers the closing outcome, newest first"
keys Enter 'closed by mistake' Enter
screen_has "Saved: outcome withdrawn on R21-030, its closing outcome: reopened" "withdrawing it says the referral reopened"
check_true "the referral is open again, with no closed date" test "$(sqlite3 "$CASELOAD_DB" "SELECT status || '|' || coalesce(closed, '') FROM referrals WHERE ref = 'R21-030'")" = "open|"
check_true "recorded as a reopening, why: closing outcome withdrawn" test "$(sqlite3 "$CASELOAD_DB" "SELECT count(*) FROM reopenings WHERE reason = 'closing outcome withdrawn' AND closed = '2022-03-01'")" -eq 1
keys G
screen_has "why: closing outcome withdrawn" "the timeline shows the reopening and why"

# ---- the closing outcome amended to another date: the referral is closed on that date ----
keys g c ' ' Enter Enter
screen_has "Saved: R21-030 closed" "closed once more, on 2022-03-01"
keys m
screen_has "2022-03-01  outcome" "m offers the closing outcome, newest first"
keys Enter
screen_has "Amend the outcome" "the amendment form"
keys Tab C-u 2022-02-25 Tab Tab 'closed earlier' Enter
screen_has "Saved: outcome amended on R21-030" "saved"
check_true "the closed date follows the closing outcome's" test "$(sqlite3 "$CASELOAD_DB" "SELECT status || '|' || closed FROM referrals WHERE ref = 'R21-030'")" = "closed|2022-02-25"
keys g
keys ?
screen_has "amend an action or outcome" "help lists m"
screen_has "reopen a closed referral" "and O"
keys q q q
screen_has "exit=0" "quit"
finish
