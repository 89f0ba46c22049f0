#!/bin/sh
# caseload list: the same browse query as the app's main screen, highest score first, in three formats.
. "$SOURCE_ROOT/tests/cli/lib.sh"
D="--as-of 2022-03-01"

run $D list
check_rc 0 "list on an empty database"
check_out list_empty.txt "empty list prints the header only"

python3 "$SOURCE_ROOT/tests/tui/make_fixture.py" "$CASELOAD_DB"

run $D list --status all
check_rc 0 "list --status all"
check_out list_all.txt "table of every referral, highest score first"
check_true "scores are in descending order" sh -c "tail -n +2 '$OUT' | awk '{print \$2}' | sort -n -r -c"

run $D list --status all --format csv
check_out list_all.csv "csv with stable columns"
check_true "csv has 45 rows and a header" test "$(wc -l <"$OUT")" -eq 46

# By default the live referrals (new and open); --status takes a comma list.
run $D list --format csv
check_rc 0 "list"
check_out list_live.csv "by default the live referrals, highest score first"
check_true "none of them closed" sh -c "tail -n +2 '$OUT' | cut -d, -f10 | grep -qx closed && exit 1 || exit 0"
check_true "every live referral" test "$(tail -n +2 "$OUT" | wc -l)" -eq "$(tail -n +2 "$EXPECTED/list_all.csv" | cut -d, -f10 | grep -cv closed)"
cp "$OUT" "$TMPDIR_T/live.csv"
run $D list --status new,open --format csv
check_true "--status new,open is the default" cmp -s "$OUT" "$TMPDIR_T/live.csv"
run $D list --status open,new,open --format csv
check_true "in any order, repeats allowed" cmp -s "$OUT" "$TMPDIR_T/live.csv"
run $D list --status new,closed --format csv
check_true "--status new,closed: those two" sh -c "tail -n +2 '$OUT' | cut -d, -f10 | sort -u | tr '\n' ' ' | grep -qx 'closed new '"
run $D list --status new,
check_rc 2 "an empty item in the list is bad usage"

run $D list --status all --format json --limit 3
check_rc 0 "json"
check_out list_top3.json "json with stable keys"

run $D list --issue cme --status open --format csv
check_out list_cme_open.csv "filter by issue and status"

run $D list --status all --band red --format csv
check_out list_red.csv "filter by band"
check_true "red band holds only scores of 20 and more" sh -c "tail -n +2 '$OUT' | cut -d, -f3 | grep -qv red && exit 1 || exit 0"

run $D list --status all --band amber --officer AB
check_out list_amber_ab.txt "filter by band and officer"
check_out_has "Evil?[31m Name??]0;pwned?" "escape sequences in a name are shown as placeholders"
check_true "no escape character reaches the output" sh -c "! grep -q \"\$(printf '\\033')\" '$OUT'"

# Follow-ups are tasks (SPEC section 8): due/overdue ones listed earliest first.
run $D list --follow-up due --format csv
check_rc 0 "list --follow-up due"
check_out list_follow_due.csv "due follow-ups, earliest first"
run $D list --follow-up overdue --format csv
check_true "overdue: follow-ups before today, earliest first" sh -c "tail -n +2 '$OUT' | cut -d, -f14 | awk '\$1 >= \"2022-03-01\" { exit 1 }' && tail -n +2 '$OUT' | cut -d, -f14 | sort -c"
# An email without a follow-up leaves R21-030's pending one; a back-dated call's follow-up
# (before every other) makes R21-045 first; a follow-up after today is not due.
printf 'ref,date,officer,kind,note,follow_up\nR21-030,2022-02-28,AB,email,no follow-up,\nR21-045,2021-11-20,AB,call,back-dated,2022-01-03\nR21-027,2022-02-20,AB,call,next week,2022-03-08\n' >"$TMPDIR_T/actions.csv"
run $D import actions "$TMPDIR_T/actions.csv"
check_rc 0 "actions imported"
run $D list --follow-up due --format csv
check_true "the email without a follow-up leaves R21-030's follow-up pending" grep -q '^R21-030,.*,2022-02-08$' "$OUT"
check_true "the back-dated call's follow-up is R21-045's next, listed first" sh -c "sed -n 2p '$OUT' | grep -q '^R21-045,.*,2022-01-03\$'"
check_true "R21-027's earlier pending follow-up stays its next" grep -q '^R21-027,.*,2022-02-26$' "$OUT"
run $D list --status closed --format csv
check_true "closed referrals have no pending follow-up" sh -c "tail -n +2 '$OUT' | cut -d, -f14 | grep -q . && exit 1 || exit 0"
run $D list --follow-up soon
check_rc 2 "a bad --follow-up is bad usage"

run $D list --limit 0 --format csv
check_true "limit 0 prints only the header" test "$(wc -l <"$OUT")" -eq 1

run $D list --status all --band amber --officer ab
check_out list_amber_ab.txt "officer initials match in any case"

run $D list --officer ZZ --format csv
check_rc 0 "unknown officer lists nothing"
check_true "no rows for an unknown officer" test "$(wc -l <"$OUT")" -eq 1

run $D list --issue bogus
check_rc 2 "bad issue code is bad usage"
check_err_has "valid: attendance, cme, exclusion" "the error names the valid codes"

run $D list --status shut
check_rc 2 "bad status code"
check_err_has "valid: new, open, closed; a comma list of them, or all" "status codes listed"

run $D list --band purple
check_rc 2 "bad band"

run $D list --format xml
check_rc 2 "bad format"

run $D list --limit -4
check_rc 2 "bad limit"
# --search: the app's `/` search for scripts: every word in any order, case and accents folded,
# the LA child id and the school too, and never cut short by the app's time budget.
run $D list --search "odegard ZOE" --format csv
check_rc 0 "list --search"
check_out list_search.csv "--search finds Zoë Ødegård typed without accents, words in any order"
cp "$OUT" "$TMPDIR_T/search.csv"
run $D list --search "ØDEGÅRD" --format csv
check_true "--search ignores case and accents" cmp -s "$OUT" "$TMPDIR_T/search.csv"
run $D list --search "LA0007 mary's" --format csv
check_true "--search finds the LA child id and the school" cmp -s "$OUT" "$TMPDIR_T/search.csv"
run $D list --search "o" --format csv
cp "$OUT" "$TMPDIR_T/o.csv"
check_true "a one-letter search matches many" test "$(wc -l <"$OUT")" -gt 20
export CASELOAD_SEARCH_BUDGET_MS=0.000001 # the app's budget, spent at once
run $D list --search "o" --format csv
unset CASELOAD_SEARCH_BUDGET_MS
check_true "--search is never cut short by the app's budget" cmp -s "$OUT" "$TMPDIR_T/o.csv"
# Every search answers the same with a budget of 0 and with none (issue 8): a short text few
# referrals hold, a short common one, a word of 3+ letters, several words, other filters.
for args in "yl" "o" "10" "smith" "zara taylor" "taylor brook" "o --status all" "yl --issue exclusion" \
    "10 --band amber" "ta --officer CD"; do
    set -- $args
    text=$1
    shift
    run $D list --search "$text" "$@" --format csv
    cp "$OUT" "$TMPDIR_T/nobudget.csv"
    export CASELOAD_SEARCH_BUDGET_MS=0
    run $D list --search "$text" "$@" --format csv
    unset CASELOAD_SEARCH_BUDGET_MS
    check_true "list --search $args: the same with a budget of 0" cmp -s "$OUT" "$TMPDIR_T/nobudget.csv"
done
set --
run $D list --search yl --format csv
check_true "a rare short text: every row" test "$(tail -n +2 "$OUT" | wc -l)" -eq 2
run $D list --search ""
check_rc 2 "--search with no text"
check_err_has "--search: text of 1 to 127 bytes" "empty --search named"

run $D list --issue
check_rc 2 "option without a value"

# Columns line up whatever the script: widths as the app measures them (text_width: Chinese and
# Korean 2 columns a character, Devanagari signs and combining accents none).
W="$TMPDIR_T/wide.db"
"$CASELOAD" --db "$W" --as-of 2024-02-01 import referrals "$DATA/wide-referrals.csv" >/dev/null
run --db "$W" --as-of 2024-02-01 list
problems=$(python3 "$SOURCE_ROOT/tests/cli/columns.py" "$OUT" SCHOOL "Oak Academy")
if [ -z "$problems" ]; then t_ok "list: columns line up with Chinese, Korean, Devanagari and combining marks"
else t_notok "list: columns line up with Chinese, Korean, Devanagari and combining marks" "$problems"; fi
finish
