#!/bin/sh
# test_import_rules: what `caseload import` accepts (SPEC sections 6 and 11): files as councils'
# systems and spreadsheets write them (BOM, CRLF, Title Case headers, codes in any case, labels
# and aliases, UK dates with --date-format dmy, Y/N flags, trailing empty rows, the ' guard,
# standard input), and what it refuses, naming FILE:LINE: COLUMN: numbers out of range or not
# plain decimals, implausible or future dates, control characters, bidirectional overrides,
# Windows-1252 bytes, initials that are not initials, a possible duplicate child; a problem on
# many rows is shown five times and then counted.
. "$SOURCE_ROOT/tests/cli/lib.sh"

cd "$DATA" || exit 1
DB="$TMPDIR_T/caseload.db"
export CASELOAD_DB="$DB"
AS_OF=--as-of=2024-02-01
q() { sqlite3 "$DB" "$1"; }
check_q() {
    got=$(q "$1")
    if [ "$got" = "$2" ]; then t_ok "$3"; else t_notok "$3" "query: $1" "got: $got" "expected: $2"; fi
}
T="$TMPDIR_T"

# ---- a council's export ----
run $AS_OF import children council-children.csv
check_rc 65 "UK dates without --date-format dmy are refused"
check_err_has "council-children.csv:2: dob: '01/05/2012' is not a date (YYYY-MM-DD; to read dates written DD/MM/YYYY, use --date-format dmy)" \
    "the message names the option"
run $AS_OF import children council-children.csv --date-format dmy
check_rc 0 "the council's children import with --date-format dmy"
check_out_has "council-children.csv: 4 rows: 4 added" "BOM, CRLF, Title Case headers; the empty rows are skipped"
check_q "SELECT dob FROM children WHERE la_child_id = 'LA-9002'" 2010-09-01 "D/M/YYYY with a midnight time is read"
check_q "SELECT group_concat(care_status || '/' || sen || '/' || coalesce(youth_justice, ''), ' ') FROM (SELECT * FROM children ORDER BY la_child_id)" \
    "cla/sen_support/0 cp/ehcp/1 cin/none/0 plac/none/0" "LAC, CP, CIN, labels, SEN aliases and Y/N/No/false flags"
check_q "SELECT gender FROM children WHERE la_child_id = 'LA-9002'" male "a code in upper case"
check_q "SELECT upn FROM children WHERE la_child_id = 'LA-9002'" P801200005011 "a lower-case UPN upper-cased"
run $AS_OF import referrals council-referrals.csv --date-format=dmy
check_rc 0 "the council's referrals import"
check_q "SELECT received || ' ' || source || ' ' || issue || ' ' || other_issues || ' ' || care_status || ' ' || pex_risk FROM referrals WHERE ref = 'LA-R-1'" \
    "2023-09-12 school attendance cme;sen cla 0" "codes and labels in any case"
check_q "SELECT summary FROM referrals WHERE ref = 'LA-R-1'" '=HYPERLINK("http://x")' \
    "a ' before = is removed"
check_q "SELECT initials FROM officers ORDER BY initials" "AB
JH" "officer initials are stored upper case"
check_q "SELECT closed || '|' || summary FROM referrals WHERE ref = 'LA-R-2'" "2023-12-01|Two lines
of summary" "a CRLF inside a quoted summary is a newline"
run $AS_OF import referrals council-referrals.csv --date-format dmy
check_out_has "2 rows: 0 added, 0 updated, 2 unchanged" "imported again: nothing changes"
run $AS_OF import referrals council-referrals.csv --date-format ymd
check_rc 2 "--date-format knows only dmy"

# The command line reads initials and codes by the same rules.
run $AS_OF list --officer jh --issue Attendance --format csv
check_rc 0 "list --officer in lower case, --issue as a label"
check_out_has "LA-R-1," "finds the referral imported with officer jh"
run $AS_OF list --officer 'J Smith!'
check_rc 2 "list --officer refuses what is not initials"

# ---- standard input ----
printf 'upn,la_child_id,first_name,last_name,dob\n,LA-S1,Ann,Lee,2013-04-04\n' >"$T/in.csv"
run_in "$T/in.csv" $AS_OF import children -
check_rc 0 "FILE - reads standard input"
check_out_has "(stdin): 1 rows: 1 added" "and calls it (stdin)"
printf 'upn,la_child_id,first_name,last_name,dob\n,LA-S2,Ann,Lee,2013-13-04\n' >"$T/in.csv"
run_in "$T/in.csv" $AS_OF import children -
check_rc 65 "a bad row on standard input"
check_err_has "(stdin):2: dob: '2013-13-04' is not a date" "is named (stdin):LINE: COLUMN"

# ---- numbers ----
att="upn,la_child_id,from,to,possible_sessions,attended_sessions"
printf '%s\n' "$att" \
    ",LA-9001,2023-09-01,2023-10-01,99999999999999999999,5" \
    ",LA-9001,2023-10-01,2023-11-01,0x10,5" \
    ",LA-9001,2023-11-01,2023-12-01,1e3,5" \
    ",LA-9001,2023-12-01,2023-12-20,+10,5" \
    ",LA-9001,2024-01-01,2024-01-20, 10,5" \
    ",LA-9001,2024-01-20,2024-01-30,1001,-1" \
    ",LA-9001,2024-01-20,2024-01-31,10,11" >"$T/att.csv"
run $AS_OF import attendance "$T/att.csv"
check_rc 65 "sessions out of range or not plain digits"
for l in "2: possible_sessions: '99999999999999999999' is more than 1000 sessions" \
    "3: possible_sessions: '0x10' is not a whole number" "4: possible_sessions: '1e3' is not a whole number" \
    "5: possible_sessions: '+10' is not a whole number" "6: possible_sessions: ' 10' is not a whole number" \
    "7: possible_sessions: '1001' is more than 1000" "7: attended_sessions: '-1' is not a whole number" \
    "8: attended_sessions: 11 is more than possible_sessions 10"; do
    check_err_has "att.csv:$l" "attendance line $l"
done
printf 'upn,la_child_id,from,to,possible_sessions,attended_sessions\n,LA-9001,2023-09-01,2023-10-01,1000,0\n' >"$T/att.csv"
run $AS_OF import attendance "$T/att.csv"
check_rc 0 "1000 sessions is the most a record may hold"
exc="upn,la_child_id,start,category,days,reason,school_urn"
printf '%s\n' "$exc" ",LA-9001,2023-09-05,suspension,0x10,," ",LA-9001,2023-09-06,suspension,1e308,," \
    ",LA-9001,2023-09-07,suspension,201,," ",LA-9001,2023-09-08,suspension,0,," >"$T/exc.csv"
run $AS_OF import exclusions "$T/exc.csv"
check_rc 65 "days out of range or not plain decimals"
check_err_has "exc.csv:2: days: '0x10' is not a number" "no hex days"
check_err_has "exc.csv:3: days: '1e308' is not a number" "no exponent"
check_err_has "exc.csv:4: days: '201' is more than 200 days" "at most 200 days"
check_err_has "exc.csv:5: days: '0' is not a number of days above 0" "days above 0"
printf '%s\n' "$exc" ",LA-9001,2023-09-05,FIXD,0.5,PP," >"$T/exc.csv"
run $AS_OF import exclusions "$T/exc.csv"
check_rc 0 "half a day is a number of days"
printf 'upn,la_child_id,kind,start,end,hours_per_week,in_county\n,LA-9001,part_time,2023-09-01,,61,Yes\n,LA-9001,cme,2023-09-01,,12.5,Y\n' >"$T/ep.csv"
run $AS_OF import episodes "$T/ep.csv"
check_err_has "ep.csv:2: hours_per_week: '61' is more than 60 hours a week" "at most 60 hours a week"

# ---- dates ----
ref="ref,received,source,issue,upn,la_child_id,first_name,last_name,dob,care_status,sen,officer,status,closed"
printf '%s\n' "$ref" \
    "D-1,1000-01-01,school,cme,,LA-D1,Al,Bee,2012-01-01,cp,none,,," \
    "D-2,2023-09-01,school,cme,,LA-D2,Al,Bee,9999-01-01,cp,none,,," \
    "D-3,2023-09-01,school,cme,,LA-D3,Al,Bee,1989-12-31,cp,none,,," \
    "D-4,2024-02-02,school,cme,,LA-D4,Al,Bee,2012-01-01,cp,none,,," \
    "D-5,2023-09-01,school,cme,,LA-D5,Al,Bee,2023-09-02,cp,none,,," \
    "D-6,2024-01-01,school,cme,,LA-D6,Al,Bee,2024-02-03,cp,none,,," \
    "D-7,2023-09-01,school,cme,,LA-D7,Al,Bee,2012-01-01,cp,none,,closed,2024-03-01" \
    "D-8,2023-09-01,school,cme,,LA-D8,Al,Bee,2101-01-01,cp,none,,," >"$T/dates.csv"
run $AS_OF import referrals "$T/dates.csv"
check_rc 65 "implausible and future dates are refused"
check_err_has "dates.csv:2: received: '1000-01-01' is before 1990-01-01 (not a plausible date)" "year 1000"
check_err_has "dates.csv:3: dob: '9999-01-01' is after 2100-12-31" "year 9999"
check_err_has "dates.csv:4: dob: '1989-12-31' is before 1990-01-01" "born before 1990"
check_err_has "dates.csv:5: received: '2024-02-02' is after today (2024-02-01)" "received after today"
check_err_has "dates.csv:6: received: '2023-09-01' is before the child's date of birth (2023-09-02)" \
    "born after the referral (the app's words: field_date_from)"
check_err_has "dates.csv:7: dob: '2024-02-03' is after today (2024-02-01)" "born after today"
check_err_has "dates.csv:8: closed: '2024-03-01' is after today" "closed after today"
check_err_has "dates.csv:9: dob: '2101-01-01' is after 2100-12-31" "nothing after 2100"
# The dates of a child's life as the app's forms check them (record.c): an exclusion and an
# episode start by today, and nothing starts before the child was born (LA-9001: 2012-05-01);
# the order of two dates of a row through the one rule (field_date_from).
printf '%s\n' "$exc" ",LA-9001,2024-02-02,suspension,1,," ",LA-9001,2011-01-01,suspension,1,," \
    ",LA-9001,2024-02-01,suspension,1,," >"$T/life-exc.csv"
run $AS_OF import exclusions "$T/life-exc.csv"
check_rc 65 "exclusions: a future start, a start before birth"
check_err_has "life-exc.csv:2: start: '2024-02-02' is after today (2024-02-01)" "an exclusion does not start after today"
check_err_has "life-exc.csv:3: start: '2011-01-01' is before the child's date of birth (2012-05-01)" \
    "nor before the child was born"
check_true "an exclusion starting today is good" sh -c "! grep -q 'life-exc.csv:4' '$ERR'"
printf '%s\n' upn,la_child_id,kind,start,end,hours_per_week,in_county ",LA-9001,cme,2024-02-02,,," \
    ",LA-9001,cme,2023-10-01,2023-09-30,," ",LA-9001,part_time,2011-05-01,,," \
    ",LA-9001,ehe,2023-10-01,2024-02-02,," ",LA-9001,ehe,2023-11-01,2024-02-01,," >"$T/life-ep.csv"
run $AS_OF import episodes "$T/life-ep.csv"
check_rc 65 "episodes: a future start, an end before the start, a start before birth"
check_err_has "life-ep.csv:2: start: '2024-02-02' is after today (2024-02-01)" "an episode does not start after today"
check_err_has "life-ep.csv:3: end: '2023-09-30' is before the episode's start (2023-10-01)" "an episode ends on or after its start"
check_err_has "life-ep.csv:4: start: '2011-05-01' is before the child's date of birth (2012-05-01)" \
    "an episode does not start before birth"
check_err_has "life-ep.csv:5: end: '2024-02-02' is after today (2024-02-01)" "an episode does not end after today"
check_true "an episode ending today is good" sh -c "! grep -q 'life-ep.csv:6' '$ERR'"
printf '%s\n' "$att" ",LA-9001,2011-09-01,2011-12-01,10,5" ",LA-9001,2023-12-01,2023-11-01,10,5" \
    ",LA-9001,2024-01-08,2024-02-02,10,5" ",LA-9001,2024-02-02,2024-02-09,10,5" \
    ",LA-9001,2024-01-08,2024-02-01,10,5" >"$T/life-att.csv"
run $AS_OF import attendance "$T/life-att.csv"
check_rc 65 "attendance: before birth, to before from, after today"
check_err_has "life-att.csv:4: to: '2024-02-02' is after today (2024-02-01)" "attendance is of what has happened: to"
check_err_has "life-att.csv:5: from: '2024-02-02' is after today (2024-02-01)" "... and from"
check_true "a record to today is good" sh -c "! grep -q 'life-att.csv:6' '$ERR'"
check_err_has "life-att.csv:2: from: '2011-09-01' is before the child's date of birth (2012-05-01)" "attendance from before birth"
check_err_has "life-att.csv:2: to: '2011-12-01' is before the child's date of birth (2012-05-01)" "attendance to before birth"
check_err_has "life-att.csv:3: to: '2023-11-01' is before from (2023-12-01)" "to on or after from"
printf 'ref,received,source,issue,la_child_id,care_status,sen\nK-1,2011-01-01,school,cme,LA-9001,cp,none\n' >"$T/life-ref.csv"
run $AS_OF import referrals "$T/life-ref.csv"
check_rc 65 "a referral of a known child received before the child was born"
check_err_has "life-ref.csv:2: received: '2011-01-01' is before the child's date of birth (2012-05-01)" \
    "the stored date of birth counts when the row has none"
printf 'upn,la_child_id,social_work_ended\n,LA-9001,2011-01-01\n' >"$T/life-swe.csv"
run $AS_OF import children "$T/life-swe.csv"
check_err_has "life-swe.csv:2: social_work_ended: '2011-01-01' is before the child's date of birth (2012-05-01)" \
    "a plan does not end before the child was born"
# Other issues by field_codes: empty items skipped, each code once (the app's form and sync resolve
# read them alike).
printf 'ref,received,source,issue,la_child_id,care_status,sen,other_issues\nK-2,2023-10-01,school,attendance,LA-9001,cp,none,cme; SEN;cme;\n' >"$T/other.csv"
run $AS_OF import referrals "$T/other.csv"
check_rc 0 "other issues with a repeat and an empty item"
check_q "SELECT other_issues FROM referrals WHERE ref = 'K-2'" "cme;sen" "are stored once each"
printf 'ref,date,officer,kind,note,follow_up\nLA-R-1,2024-01-10,jh,call,,2024-01-09\nLA-R-1,2024-02-02,JH,call,,\nLA-R-1,2024-01-10,J Smith!,call,,\n' >"$T/act.csv"
run $AS_OF import actions "$T/act.csv"
check_rc 65 "actions: follow-up before the action, a future action, bad initials"
check_err_has "act.csv:2: follow_up: '2024-01-09' is before the action's date (2024-01-10)" "a follow-up is not before its action"
check_err_has "act.csv:3: date: '2024-02-02' is after today" "an action is not after today"
check_err_has "act.csv:4: officer: 'J Smith!' is not an officer's initials" "initials are letters"
printf 'ref,date,outcome,note\nLA-R-1,2024-02-05,other,\n' >"$T/out.csv"
run $AS_OF import outcomes "$T/out.csv"
check_err_has "out.csv:2: date: '2024-02-05' is after today" "an outcome is not after today"
# As the app's form has it, an outcome comes on or after its referral (LA-R-1: 2023-09-12).
printf 'ref,date,outcome,note\nLA-R-1,2023-09-11,other,\nLA-R-1,2023-09-12,other,\nLA-R-1,2023-09-10,other,\n' >"$T/out.csv"
run $AS_OF import outcomes "$T/out.csv"
check_rc 65 "an outcome before its referral"
check_err_has "out.csv:2: date: '2023-09-11' is before the referral's received date (2023-09-12)" \
    "is refused, naming the referral's date"
check_err_has "out.csv:4: date: '2023-09-10' is before the referral's received date (2023-09-12)" \
    "the referral's date comes from the cache the second time"
check_true "an outcome on the day of the referral is good" sh -c "! grep -q 'out.csv:3' '$ERR'"

# ---- text ----
printf '%s\n' "$ref,summary" \
    "T-1,2023-09-01,school,cme,,LA-T1,Al$(printf '\033')]0;x,Bee,2012-01-01,cp,none,,,,ok" \
    "T-2,2023-09-01,school,cme,,LA-T2,Al,Bee$(printf '\342\200\256')cba,2012-01-01,cp,none,,,,ok" \
    "T-3,2023-09-01,school,cme,,LA-T3,Al,Bee,2012-01-01,cp,none,,,,\"a $(printf '\342\201\246')b\"" \
    "T-4,2023-09-01,school,cme,,LA-T4,\"A	l\",Bee,2012-01-01,cp,none,,,,\"tab	and
newline are fine here\"" >"$T/text.csv"
run $AS_OF import referrals "$T/text.csv"
check_rc 65 "control characters and bidi overrides are refused"
check_err_has "text.csv:2: first_name: holds a control character (U+001B at character 3)" "ESC in a name"
check_err_has "text.csv:3: last_name: holds a bidirectional override (U+202E at character 4)" "U+202E in a name"
check_err_has "text.csv:4: summary: holds a bidirectional override (U+2066" "an isolate in a summary"
check_err_has "text.csv:5: first_name: holds a control character (U+0009" "a tab in a name"
check_true "the summary with a tab and a newline is not named" sh -c "! grep -q 'text.csv:6' '$ERR'"
check_true "no escape character or override reaches stderr" \
    sh -c "! grep -q \"\$(printf '\\033')\" '$ERR' && ! grep -q \"\$(printf '\\342\\200\\256')\" '$ERR'"
printf 'upn,la_child_id,first_name,last_name,dob\n,LA-W1,Ren\351e,Lef\350vre,2012-01-01\n' >"$T/cp1252.csv"
run $AS_OF import children "$T/cp1252.csv"
check_rc 65 "Windows-1252 bytes are refused"
check_err_has "cp1252.csv:2: first_name: is not UTF-8 (byte 0xE9 at character 4): the file is not UTF-8 (saved as Windows-1252" \
    "the message names Windows-1252"
check_err_has 'Save As > "CSV UTF-8 (Comma delimited)"' "and says how to save as CSV UTF-8"
check_q "SELECT count(*) FROM children WHERE la_child_id = 'LA-W1'" 0 "nothing that is not UTF-8 is stored"

# A BOM-less export opened in a spreadsheet as Windows-1252 and saved as UTF-8: mojibake.
printf 'upn,la_child_id,first_name,last_name,dob\n,LA-W2,Anders,\303\203\342\200\246ngstr\303\203\302\266m,2012-01-01\n' >"$T/mojibake.csv"
run $AS_OF import children "$T/mojibake.csv"
check_rc 65 "mojibake is refused"
check_err_has "mojibake.csv:2: last_name: looks like UTF-8 read as Windows-1252 and saved again (U+00C3 at character 1" \
    "naming the row, the column and the character"
check_err_has "a spreadsheet opened a UTF-8 file as Windows-1252" "and what happened"

# ---- codes: hints keep the meaning ----
printf 'upn,la_child_id,first_name,last_name,dob,care_status\n,LA-C1,Al,Bee,2012-01-01,LACC\n,LA-C2,Al,Bee,2012-01-01,pla\n' >"$T/codes.csv"
run $AS_OF import children "$T/codes.csv"
check_err_has "codes.csv:2: care_status: 'LACC' is not a care status (did you mean 'cla'?)" "LACC is offered cla"
check_err_has "codes.csv:3: care_status: 'pla' is not a care status (one of: cin, cp, cla, plac, ever6)" \
    "as near to two meanings: the list, not a guess"
check_true "plac is never offered" sh -c "! grep -q \"did you mean 'plac'\" '$ERR'"
printf 'UPN,LA Child ID,Frist Name\n' >"$T/hdr.csv"
run $AS_OF import children "$T/hdr.csv"
check_err_has "hdr.csv:1: Frist Name: unknown column (did you mean 'first_name'?)" "a header typo in Title Case"

# ---- possible duplicates ----
printf 'upn,la_child_id,first_name,last_name,dob\nD801200005041,,AMARA,okafor,2012-05-01\n' >"$T/dup.csv"
run $AS_OF import children "$T/dup.csv"
check_rc 65 "a new child with the name and birth date of a known one"
check_err_has "dup.csv:2: possible duplicate of the child with UPN B801200005001, LA child id LA-9001 in the database" \
    "is a possible duplicate (names compared ignoring case)"
printf 'upn,la_child_id,first_name,last_name,dob\n,LA-Z1,Zoë,Ødegård,2012-02-02\n' >"$T/z1.csv"
printf 'upn,la_child_id,first_name,last_name,dob\n,LA-Z2,ZOE,odegard,2012-02-02\n' >"$T/z2.csv"
run $AS_OF import children "$T/z1.csv"
run $AS_OF import children "$T/z2.csv"
check_err_has "z2.csv:2: possible duplicate of the child with LA child id LA-Z1" "and accents"
# Names are compared by one key (name_key), the one the app's likely duplicates use: spaces, hyphens
# and apostrophes do not count.
printf 'upn,la_child_id,first_name,last_name,dob\n,LA-K1,Mary-Jane,O'"'"'Brien,2012-03-03\n' >"$T/k1.csv"
printf 'upn,la_child_id,first_name,last_name,dob\n,LA-K2,Mary Jane,OBrien,2012-03-03\n' >"$T/k2.csv"
run $AS_OF import children "$T/k1.csv"
check_rc 0 "Mary-Jane O'Brien is imported"
run $AS_OF import children "$T/k2.csv"
check_rc 65 "Mary Jane OBrien born the same day"
check_err_has "k2.csv:2: possible duplicate of the child with LA child id LA-K1" \
    "is a possible duplicate of Mary-Jane O'Brien (hyphen and apostrophe do not count)"
run $AS_OF import children "$T/dup.csv" --allow-duplicates
check_rc 0 "--allow-duplicates imports it"
printf 'upn,la_child_id,first_name,last_name,dob\nB801200005001,,Amara,Okafor,2012-05-01\n' >"$T/same.csv"
run $AS_OF import children "$T/same.csv"
check_rc 0 "the same child by its own UPN is no duplicate"

# ---- a problem on many rows: five, then a count ----
python3 -c "
import sys
print('upn,la_child_id,first_name,last_name,dob')
for i in range(5000): print(',LA-M%d,Al,Bee,%02d/01/2012' % (i, 1 + i % 28))
" >"$T/many.csv"
run $AS_OF import children "$T/many.csv"
check_rc 65 "5,000 rows with UK dates"
lines=$(wc -l <"$ERR")
check_true "print a handful of lines, not 5,000 ($lines)" test "$lines" -le 8
check_err_has "many.csv: dob: the same problem on 4995 more rows (the last on line 5001)" "and a count"
check_err_has "many.csv:6: dob:" "the first five are shown"
check_true "the sixth is not" sh -c "! grep -q 'many.csv:7:' '$ERR'"
# The same problem with other dates in its message is still one problem.
python3 -c "
print('ref,received,source,issue,la_child_id,first_name,last_name,dob,care_status,sen,status,closed')
for i in range(300): print('M-%d,2023-%02d-%02d,school,cme,LA-N%d,Al,Bee,2012-01-01,cp,none,closed,2023-01-01' % (i, 1 + i % 12, 2 + i % 27, i))
" >"$T/closed.csv"
run $AS_OF import referrals "$T/closed.csv"
lines=$(wc -l <"$ERR")
check_true "300 rows closed before received, each with its own date: a handful of lines ($lines)" test "$lines" -le 8
check_err_has "closed.csv: closed: the same problem on 295 more rows (the last on line 301)" "counted as one problem"

finish
