#!/bin/sh
# The retention review screen (issue 12; SPEC section 10): `R` on the main screen lists the
# children due under the `retention:` rules as of the date shown, with the rule and its date, as
# `caseload retention review` does, and those a hold keeps, marked; `X` purges the selected child
# after a form that names the child and the rule and asks why (a reason naming the child is
# refused), then a question; a held child, or no known officer, is refused with the reason.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture
# Chloe Jones (A801200000003) and Finn Taylor (LA0006): social work ended in 2014, so the rule
# years_after_social_work_ended (6) was reached on 2020-01-01; Finn is under a hold.
sqlite3 "$CASELOAD_DB" "UPDATE children SET social_work_ended = '2014-01-01' WHERE id IN (3, 6)"
CONFIG="$TMPDIR_T/hold.yaml"
printf 'retention:\n  holds: [LA0006]\n' >"$CONFIG"
review() {
    "$CASELOAD" --as-of "$AS_OF" --config "$CONFIG" retention review --format json
}
check_true "the command line: one child due" sh -c "'$CASELOAD' --as-of $AS_OF --config '$CONFIG' retention review --format json | grep -q '\"child\": \"A801200000003\", .*\"rule\": \"years_after_social_work_ended\", \"date\": \"2020-01-01\"'"

# Nobody known at the keyboard: refused.
app_start 80 24 CASELOAD_CONFIG="$CONFIG"
wait_for "shown of"
keys R
screen_is retention_review.txt "R: the children due, with the rule and the date; the held one marked"
keys X
screen_has 'A purge needs a known officer: "test" is not one' "no known officer: refused, saying why"
keys q q
wait_for "exit=0"

app_start 80 24 CASELOAD_CONFIG="$CONFIG" CASELOAD_OFFICER=AB
wait_for "shown of"
keys R j X
screen_has "Finn Taylor is under a hold (retention.holds)" "a held child: refused, saying why"
keys v
screen_has "Finn Taylor  LA0006  score" "v: the child view of the selected child"
keys q k X
screen_has "Chloe Jones (A801200000003): due under social work ended + 6 years since" \
    "X: a form naming the child and the rule"
keys 'Chloe moved away' Enter
screen_has "Not purged: the reason names the child" "a reason naming the child is refused"
keys C-u 'retention schedule' Enter
screen_has "Erase Chloe Jones for good? Nothing of the child can be brought back. (y/n)" \
    "then a question naming the child"
keys n
screen_has "Not purged (Esc leaves the form)" "n: nothing purged"
check_true "still due" sh -c "'$CASELOAD' --as-of $AS_OF --config '$CONFIG' retention review --format json | grep -q A801200000003"
keys Enter y
screen_has "Purged (social work ended + 6 years); a tombstone kept" "y: purged"
screen_has "0 children due; 1 more under a hold" "the list is read again"
screen_lacks "Chloe Jones" "without the purged child"
check_true "the command line agrees: none due" sh -c "'$CASELOAD' --as-of $AS_OF --config '$CONFIG' retention review --format json | grep -q '\"due\": \[\]'"
check_true "a tombstone with the rule, the officer and the reason" sh -c \
    "sqlite3 '$CASELOAD_DB' \"SELECT tbl, rule, officer, on_date, reason FROM tombstones\" | grep -qx 'children|years_after_social_work_ended|AB|2022-03-01|retention schedule'"
check_true "the child is gone" sh -c "! '$CASELOAD' --as-of $AS_OF score A801200000003 2>/dev/null"
keys q q
screen_has "exit=0" "quit"
finish
