#!/bin/sh
# test_calendar: `caseload calendar days FROM TO` and `caseload calendar year-group DOB`
# (SPEC sections 2 and 5) on tests/cli/data/calendar.yaml and on the built-in calendar.
. "$SOURCE_ROOT/tests/cli/lib.sh"
CAL="$DATA/calendar.yaml"

days() { # expected, from, to, description
    run --as-of 2022-03-01 --config "$CAL" calendar days "$2" "$3"
    if [ "$RC" -eq 0 ] && [ "$(cat "$OUT")" = "$1" ]; then
        t_ok "$4"
    else
        t_notok "$4" "exit $RC, printed '$(cat "$OUT")', expected '$1'"
    fi
}

days 5 2021-09-06 2021-09-13 "a full week in term is 5 school days"
days 0 2021-09-06 2021-09-06 "FROM = TO is 0 days (TO not included)"
days 1 2021-09-06 2021-09-07 "one weekday in term"
days 0 2021-09-13 2021-09-06 "TO before FROM is 0 days"
days 0 2021-09-11 2021-09-13 "a weekend is not school"
days 10 2021-10-18 2021-11-08 "half-term week is not school"
days 3 2022-05-30 2022-06-06 "closures on weekdays in term are not school"
days 8 2022-04-25 2022-05-06 "a bank holiday closure inside the term"
days 0 2021-12-18 2022-01-05 "the Christmas holiday, with a closure in it"
days 197 2021-09-01 2022-09-01 "the whole 2021/22 academic year"
days 0 2022-07-23 2022-09-01 "the summer holiday is not school"
days 5 2022-09-01 2022-09-08 "a year with no terms: every weekday counts"
days 4 2021-08-30 2021-09-06 "across 31 August/1 September: the new year's terms apply from 1 September"
days 1 2024-02-29 2024-03-01 "a leap day is a weekday"

run --as-of 2022-03-01 --config "$CAL" calendar days 2021-09-06 2021-09-13
check_err_empty "nothing on stderr for a count"

# The built-in calendar (no configuration file): 1 September 2025 is an INSET day.
run --as-of 2025-09-10 calendar days 2025-09-01 2025-09-08
check_rc 0 "the built-in calendar is used without a configuration file"
check_true "the built-in calendar has the INSET day of 1 September 2025" grep -qx 4 "$OUT"

# The same file through $CASELOAD_CONFIG.
CASELOAD_CONFIG="$CAL" run --as-of 2022-03-01 calendar days 2022-05-30 2022-06-06
check_true "\$CASELOAD_CONFIG names the calendar" grep -qx 3 "$OUT"

run --as-of 2022-03-01 --config "$CAL" calendar days 2022-02-30 2022-03-07
check_rc 2 "an impossible FROM date is bad usage"
check_err_has "caseload calendar: FROM: '2022-02-30' is not a date (YYYY-MM-DD)" "the bad FROM is named"
run --as-of 2022-03-01 --config "$CAL" calendar days 2022-02-01 7/3/2022
check_rc 2 "a TO that is not YYYY-MM-DD is bad usage"
check_err_has "caseload calendar: TO: '7/3/2022' is not a date (YYYY-MM-DD)" "the bad TO is named"
run --as-of 2022-03-01 --config "$CAL" calendar days 2022-02-01
check_rc 2 "days needs two dates"
check_err_has "usage: caseload calendar days FROM TO" "days with one date prints the usage"
run --as-of 2022-03-01 --config "$CAL" calendar days 2022-02-01 2022-02-02 2022-02-03
check_rc 2 "days takes only two dates"
run --as-of 2022-03-01 --config "$CAL" calendar
check_rc 2 "no subcommand is bad usage"
run --as-of 2022-03-01 --config "$CAL" calendar weeks 2022-02-01 2022-02-02
check_rc 2 "an unknown subcommand is bad usage"
check_err_has "caseload calendar: unknown subcommand 'weeks'" "the unknown subcommand is named"
run --as-of 2022-03-01 --config "$CAL" calendar days --terms 2022-02-01 2022-02-02
check_rc 2 "an unknown option is bad usage"

# A bad or missing configuration stops the command.
printf 'calendar:\n  terms:\n    - { from: 2022-02-30, to: 2022-03-01 }\n' >"$TMPDIR_T/bad.yaml"
run --as-of 2022-03-01 --config "$TMPDIR_T/bad.yaml" calendar days 2022-02-01 2022-02-08
check_rc 78 "a bad configuration exits 78"
check_err_has "bad.yaml:3:" "the configuration error names the file and line"
run --as-of 2022-03-01 --config "$TMPDIR_T/missing.yaml" calendar days 2022-02-01 2022-02-08
check_rc 66 "a missing configuration file exits 66"

# Year groups as of --as-of: the academic year starts on 1 September.
yg() { # expected, as_of, dob, description
    run --as-of "$2" --config "$CAL" calendar year-group "$3"
    if [ "$RC" -eq 0 ] && [ "$(cat "$OUT")" = "$1" ]; then
        t_ok "$4"
    else
        t_notok "$4" "exit $RC, printed '$(cat "$OUT")', expected '$1'"
    fi
}
yg "Year 7 (KS3)" 2022-03-01 2009-09-01 "born 1 September: the oldest of the year"
yg "Year 7 (KS3)" 2022-03-01 2010-08-31 "born 31 August: the youngest of the year"
yg "Year 6 (KS2)" 2022-03-01 2010-09-01 "born a day later: a year below"
yg "Year 6 (KS2)" 2022-08-31 2010-09-01 "as of 31 August: still last year's group"
yg "Year 7 (KS3)" 2022-09-01 2010-09-01 "as of 1 September: the next group"
yg "Year 1 (KS1)" 2022-03-01 2015-09-01 "Year 1 is KS1"
yg "Year 2 (KS1)" 2022-03-01 2014-09-01 "Year 2 is KS1"
yg "Year 3 (KS2)" 2022-03-01 2013-09-01 "Year 3 is KS2"
yg "Year 9 (KS3)" 2022-03-01 2007-09-01 "Year 9 is KS3"
yg "Year 10 (KS4)" 2022-03-01 2006-09-01 "Year 10 is KS4"
yg "Year 11 (KS4)" 2022-03-01 2005-09-01 "Year 11 is KS4"
yg "Year 12 (post16)" 2022-03-01 2004-09-01 "Year 12 is post16"
yg "Year 13 (post16)" 2022-03-01 2003-09-01 "Year 13 is post16"
yg "Year 17 (post16)" 2022-03-01 2000-01-01 "older than Year 13 counts as post16"
yg "Reception (R)" 2022-03-01 2016-09-01 "year 0 is Reception"
yg "Nursery (EY)" 2022-03-01 2017-09-01 "year -1 is Nursery"
yg "Year -2 (EY)" 2022-03-01 2018-09-01 "earlier years are early years"
yg "Year 7 (KS3)" 2024-02-29 2012-02-29 "a leap-day birthday on a leap day"

run --as-of 2022-03-01 --config "$CAL" calendar year-group 2010-09-01
check_out calendar_year_group.out "year-group prints one line"
check_err_empty "nothing on stderr for a year group"

run --as-of 2022-03-01 --config "$CAL" calendar year-group 2011-02-29
check_rc 2 "an impossible DOB is bad usage"
check_err_has "caseload calendar: DOB: '2011-02-29' is not a date (YYYY-MM-DD)" "the bad DOB is named"
run --as-of 2022-03-01 --config "$CAL" calendar year-group 2022-03-02
check_rc 2 "a DOB after --as-of is bad usage"
check_err_has "is after the --as-of date 2022-03-01" "the DOB after --as-of is explained"
run --as-of 2022-03-01 --config "$CAL" calendar year-group
check_rc 2 "year-group needs a DOB"
check_err_has "usage: caseload calendar" "year-group without a DOB prints the usage"

finish
