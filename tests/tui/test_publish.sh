#!/bin/sh
# Figures for publication on the reports screen (issue 12; SPEC section 10): `P` asks the
# threshold (default 5) and shows the report as `caseload report NAME --publish --threshold N`
# prints it (counts under N as c, secondary suppression, the closing line saying so), says so
# under the report, keeps publishing across reports and periods, and `w` writes the suppressed
# figures (the same files as `report --publish -o`); `P` again shows every figure.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture
umask 000 # report files are 0600 even so

cli() {
    "$CASELOAD" --as-of "$AS_OF" report "$@"
}
# lines_are DESC CLI_FILE: the 20 lines of report on the screen (rows 2-21) are lines FIRST.. of
# the command line's text (its title and the blank after it are the screen's title bar); FIRST
# "end" for its last 20 lines.
lines_are() {
    sleep 0.3
    capture
    sed -n '2,21p' "$SCREEN" | sed 's/ *$//' >"$TMPDIR_T/shown"
    if [ "$3" = end ]; then
        tail -n 20 "$2"
    else
        sed -n "$3,$(($3 + 19))p" "$2"
    fi | sed 's/ *$//' >"$TMPDIR_T/want"
    if cmp -s "$TMPDIR_T/shown" "$TMPDIR_T/want"; then
        t_ok "$1"
    else
        t_notok "$1" "$(diff "$TMPDIR_T/want" "$TMPDIR_T/shown" | head -30)"
    fi
}

cli summary --publish >"$TMPDIR_T/summary5.txt"
cli summary --publish --threshold 3 >"$TMPDIR_T/summary3.txt"
cli summary >"$TMPDIR_T/summary.txt"
check_true "the fixture has small counts (the command line shows c)" \
    grep -q "^Children missing education  *c  *c$" "$TMPDIR_T/summary5.txt"

app_start 80 24
keys r
wait_for "Reports: Summary (1 of 5)"
keys '?'
screen_has "P            for publication: counts under the threshold" "? lists P (from the key table)"
keys q
screen_has " P publish " "the hint line names P"

keys P
screen_has "Figures for publication" "P asks the threshold"
screen_has "Smallest count shown  [5 " "the default threshold is 5"
keys C-u 1 Enter
screen_has "a whole number from 2 to 1000" "a threshold of 1 is refused"
keys C-u x Enter
screen_has "a whole number from 2 to 1000" "a threshold that is not a number is refused"
keys C-u 5 Enter
screen_has "for publication (counts under 5 suppressed)" "the screen says it is for publication"
screen_has "for publication: counts under 5 shown as c" "and the status line too"
lines_are "small counts shown c, as report --publish prints them" "$TMPDIR_T/summary5.txt" 3
keys G
screen_has "Published figures: counts from 1 to 4 are shown as c" "the closing suppression line"
lines_are "the end of the report, closing line included, as the command line's" \
    "$TMPDIR_T/summary5.txt" end
keys g

# w writes the figures shown: the same files as the command line's --publish -o.
keys w
screen_has "Write the report for publication to a file" "w says what is written"
screen_has "-2022-08-31-published.csv" "the name offered says published"
keys Tab C-u "$TMPDIR_T/pub.csv" Enter
screen_has "report written to $TMPDIR_T/pub.csv" "w writes the csv"
cli summary --publish --format csv -o "$TMPDIR_T/cli.csv" >/dev/null 2>&1
check_true "the csv holds c cells" grep -q ',c,' "$TMPDIR_T/pub.csv"
check_true "the csv is the command line's --publish csv" cmp "$TMPDIR_T/pub.csv" "$TMPDIR_T/cli.csv"
check_true "the csv is 0600" test "$(stat -c %a "$TMPDIR_T/pub.csv")" = 600
keys w
wait_for "Write the report for publication to a file"
keys Right Tab C-u "$TMPDIR_T/pub.md" Enter
screen_has "report written to $TMPDIR_T/pub.md" "w writes the md"
cli summary --publish --format md -o "$TMPDIR_T/cli.md" >/dev/null 2>&1
check_true "the md ends with the suppression line" grep -q "^- Published figures: counts from 1 to 4" \
    "$TMPDIR_T/pub.md"
check_true "the md is the command line's --publish md" cmp "$TMPDIR_T/pub.md" "$TMPDIR_T/cli.md"
keys w
wait_for "Write the report for publication to a file"
keys Right Right Tab C-u "$TMPDIR_T/pub.xlsx" Enter
screen_has "report written to $TMPDIR_T/pub.xlsx" "w writes the xlsx"
cli summary --publish --format xlsx -o "$TMPDIR_T/cli.xlsx" >/dev/null 2>&1
check_true "the xlsx holds c cells" sh -c "unzip -p '$TMPDIR_T/pub.xlsx' xl/worksheets/sheet1.xml | grep -q '<t>c</t>'"
check_true "the xlsx's sheet is the command line's --publish xlsx's (the workbook's own time aside)" \
    sh -c "[ \"\$(unzip -p '$TMPDIR_T/pub.xlsx' xl/worksheets/sheet1.xml)\" = \"\$(unzip -p '$TMPDIR_T/cli.xlsx' xl/worksheets/sheet1.xml)\" ]"

# Publishing holds across reports and periods.
keys 2
wait_for "Repeat suspensions (2 of 5)"
screen_has "for publication (counts under 5 suppressed)" "another report is published too"
cli suspensions --publish >"$TMPDIR_T/susp5.txt"
lines_are "as report suspensions --publish" "$TMPDIR_T/susp5.txt" 3
keys 1

# P again: every figure; P then asks the threshold used last.
keys P
screen_has "every figure shown (not for publication)" "P again: every figure"
screen_lacks "for publication (counts" "not said to be for publication"
lines_are "as report summary prints it" "$TMPDIR_T/summary.txt" 3
keys P
wait_for "Smallest count shown"
keys C-u 3 Enter
screen_has "for publication (counts under 3 suppressed)" "another threshold"
lines_are "as report --publish --threshold 3" "$TMPDIR_T/summary3.txt" 3
keys P
wait_for "every figure shown"
keys P
screen_has "Smallest count shown  [3 " "P offers the threshold used last"
keys Escape
screen_lacks "for publication (counts" "Esc: still every figure"
keys w
screen_has "Write the report to a file" "not publishing: w writes every figure"
keys Tab C-u "$TMPDIR_T/all.csv" Enter
wait_for "report written to"
check_true "a csv with no c cell" sh -c "! grep -q ',c,' '$TMPDIR_T/all.csv'"
keys q q
screen_has "exit=0" "quit"
finish
