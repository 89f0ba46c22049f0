#!/bin/sh
# caseload report: the five reports of SPEC section 7 on the fixtures tests/cli/data/report-*.csv,
# in all four formats. The figures were worked out by hand; the key ones are checked one by one
# below (with the working), the rest through the expected files.
. "$SOURCE_ROOT/tests/cli/lib.sh"
CAL="--config $DATA/report-calendar.yaml"
NOTERMS="--config $DATA/report-noterms.yaml"
D="--as-of 2025-03-01 $CAL" # default period: 2024-09-01 to 2025-08-31

# Usage errors come before the database is touched.
run $D report
check_rc 2 "a report name is needed"
run $D report nonsense
check_rc 2 "an unknown report is bad usage"
check_err_has "'nonsense' is not a report" "the unknown name is named"
run $D report summary --from 2025-13-01
check_rc 2 "a bad --from date is bad usage"
run $D report summary --to yesterday
check_rc 2 "a bad --to date is bad usage"
run $D report summary --from 2025-03-01 --to 2025-02-28
check_rc 2 "--from after --to is bad usage"
check_err_has "--from 2025-03-01 is after --to 2025-02-28" "the message gives both dates"
run $D report summary --format pdf
check_rc 2 "an unknown format is bad usage"
run $D report summary extra
check_rc 2 "a second name is bad usage"

# An empty database gives zeros, not errors, and every key of the spec.
for r in summary suspensions attendance cme admissions; do
    run $D report $r --format json
    check_rc 0 "$r on an empty database"
    check_out report_empty_$r.json "$r: every key present with zeros on an empty database"
done

for kind in children referrals outcomes exclusions attendance episodes; do
    # imported as of a date after every fixture date (nothing that happened may be after today)
    run --as-of 2025-09-30 $CAL import $kind "$DATA/report-$kind.csv"
    check_rc 0 "import the $kind fixture"
done

for r in summary suspensions attendance cme admissions; do
    for f in text json csv md; do
        ext=$f
        [ "$f" = text ] && ext=txt
        run $D report $r --format $f
        check_rc 0 "report $r --format $f"
        check_out "report_$r.$ext" "report $r as $f"
        if [ "$f" = text ]; then
            check_true "report $r: no text line is wider than 80 columns" \
                sh -c "[ \$(wc -L <'$OUT') -le 80 ]"
        fi
        if [ "$f" = text ] || [ "$f" = md ]; then
            check_true "report $r as $f: labels, not codes (no word like placed_on_roll)" \
                sh -c "! grep -qE '[a-z]+_[a-z]+' '$OUT'"
        fi
    done
done

run $D report summary
check_out report_summary.txt "text is the default format"
check_true "text is 80 columns wide when not a terminal" sh -c "[ \$(wc -L <'$OUT') -le 80 ]"
check_true "the month chart reaches column 80" sh -c "[ \$(wc -L <'$OUT') -eq 80 ]"
check_out_has "█" "bar charts of block characters"
LC_ALL=C "$CASELOAD" $D report summary >"$OUT" 2>"$ERR"
check_true "not UTF-8 (LC_ALL=C): bars of #, no block characters" \
    sh -c "grep -q '#' '$OUT' && ! grep -q '█' '$OUT' && ! LC_ALL=C grep -q '[^ -~]' '$OUT'"

# summary: R1, R2, R3, R6-R9 were received in the period; R4 (the day before) and R5 (the day
# after) were not. Ann (LA1) was referred twice: with SEN none and then sen_support (now
# sen_support, earlier none): the summary counts each as recorded.
run $D report summary --format json
check_out_has '"total": 7,' "summary: referrals on the first and last day count, not outside"
check_out_has '"children": 5,' "summary: distinct children"
check_out_has '"none": 3,' "summary: SEN as recorded at referral (R1, R8, R9)"
check_out_has '"2024-09": 2,' "summary: September holds R6 (1st) and R1"
check_out_has '"at_risk": 3,' "summary: at risk R2, R3, R6 (R4, R5 outside)"
check_out_has '"avoided": 2,' "summary: exclusion avoided R2, R6 (R1 was not at risk)"

# suspensions: by current care status. Ann (cla now): 2 (the permanent exclusion and the one of
# 31 Aug 2024 do not count); Ben (cp now, from his newest referral): 1; Cal (cin): 3 (1 Sep, 1 Jan,
# 31 Aug; not 1 Sep 2025); Dee has no care status: left out; Eve's exclusion is permanent.
run $D report suspensions --format json
check_true "suspensions: cin has one child with 3" \
    sh -c "tr -d ' \n' <'$OUT' | grep -qF '\"cin\":{\"children\":1,\"suspensions\":3,\"repeat\":{\"1\":0,\"2\":0,\"3\":1}}'"
check_true "suspensions: cla has one child with 2" \
    sh -c "tr -d ' \n' <'$OUT' | grep -qF '\"cla\":{\"children\":1,\"suspensions\":2,\"repeat\":{\"1\":0,\"2\":1,\"3\":0}}'"
run $D report suspensions
check_out_has "(1 child, 1 suspension)" "suspensions: the child with no care status is left out, and said so"

# attendance: latest record ending in the period, year group as of 2025-08-31. Ann (KS2): 90%
# exactly (the 10% record ends after the period); Ben (KS3) 89.5%: persistent; Cal (EY) 40%:
# severe; Eve (KS3): latest 95%; Fay (R) 50% exactly: persistent, not severe; Dee's ends before.
run $D report attendance --format json
check_true "attendance: KS3 has 2 children, 1 persistent, 0 severe" \
    sh -c "tr -d ' \n' <'$OUT' | grep -qF '\"KS3\":{\"children\":2,\"persistent\":1,\"severe\":0}'"
check_true "attendance: Reception at exactly 50% is persistent, not severe" \
    sh -c "tr -d ' \n' <'$OUT' | grep -qF '\"R\":{\"children\":1,\"persistent\":1,\"severe\":0}'"
# A period ending before Ann's 90% record: her December record (40%) is the latest.
run --as-of 2025-03-01 $CAL report attendance --from 2024-09-01 --to 2025-01-31 --format json
check_true "attendance: records after the period are ignored" \
    sh -c "tr -d ' \n' <'$OUT' | grep -qF '\"KS2\":{\"children\":1,\"persistent\":1,\"severe\":1}'"

# cme with the test calendar: Ann 21 Oct - 13 Nov 2024: 5 + half-term 0 + 5 + closure 11 Nov + 1
# = 11; Ben 2 - 9 Sep: 5; Cal 16 Dec - 8 Jan: 5 + 2 = 7 (out of county); Dee 26 Aug - 3 Sep 2024:
# 5 weekdays of 2023/24, which has no terms, + 2 Sep = 6 (county not recorded). 29 / 4 = 7.25.
# Open on 31 Aug 2025: Cal's (ends 10 Sep) and Eve's; not Fay's (starts 5 Sep).
run $D report cme --format json
check_out_has '"mean_school_days": 7.3,' "cme: school days across half-terms, closures and a year with no terms"
check_out_has '"open": 2' "cme: episodes still open at --to"
# With no terms and no closures every weekday counts: 17 + 5 + 17 + 6 = 45 / 4 = 11.25.
run --as-of 2025-03-01 $NOTERMS report cme --format json
check_out_has '"mean_school_days": 11.3,' "cme: a calendar with no terms configured"

# admissions: R6 1 Sep -> 1 Oct 2024: 21 school days; R7 6 Jan -> 3 Feb: 20 (within); R8 10 Feb
# -> 3 Mar: 5 + half-term + 5 = 10; R9 3 Mar -> 10 Mar (its earliest placement): 5. 56 / 4 = 14.0.
run $D report admissions --format json
check_out_has '"placed_within_20_school_days": 3,' "admissions: at most 20 school days"
check_out_has '"mean_school_days_to_place": 14.0' "admissions: mean school days to place"
# With no terms: R6 21 (1 Sep is a Sunday), R7 20, R8 15, R9 5: within 3, 61 / 4 = 15.25.
run --as-of 2025-03-01 $NOTERMS report admissions --format json
check_out_has '"mean_school_days_to_place": 15.3' "admissions: a calendar with no terms configured"

# Periods: the default follows --as-of; one bound takes the other from its academic year.
run --as-of 2025-09-01 $CAL report summary --format json
check_out_has '"total": 1,' "the next academic year holds only R5"
run --as-of 2025-03-01 $CAL report summary --from 2025-02-01 --to 2025-02-28 --format json
check_out_has '"total": 2,' "an explicit period (R2, R8)"
check_out_has '"2025-02": 2' "by_month covers only the months of the period"
check_true "no month outside the period" sh -c "! grep -q '2025-03' '$OUT'"
run --as-of 2030-01-01 $CAL report summary --to 2025-08-31 --format csv
check_out_has "referrals.total" "csv names each figure"
check_out_has ",7,,2024-09-01,2025-08-31,referrals.total" "--to alone: from 1 September of its academic year"
run --as-of 2030-01-01 $CAL report admissions --from 2030-01-01 --to 2030-01-01 --format json
check_out_has '"referrals": 0,' "an empty period gives zeros"
check_out_has '"mean_school_days_to_place": 0.0' "no one placed: the mean is 0.0"

finish
