#!/bin/sh
# Timeline entries are wrapped, never cut (SPEC section 8, issue 11): on the referral screen and
# in the child view's chronology a long note of many lines shows whole, each of its lines starting
# under the text, long lines wrapped at a space (a word longer than the screen cut where the row
# is full), and a long summary shows whole too.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture

# A note of 14 lines, 1,900 bytes: lines of whole words, one word of 159 characters, an end.
python3 - "$TMPDIR_T" <<'PY'
import csv, sys
d = sys.argv[1]
lines = ["line %d: " % i + " ".join("word%02d" % j for j in range(3 * i)) for i in range(1, 13)]
lines += ["x" * 150 + "-unbroken", "with a\ttab", "THE END OF THE NOTE"]
note = "\n".join(lines)
assert 1800 < len(note.encode()) < 2000
with open(d + "/actions.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["ref", "date", "officer", "kind", "note", "follow_up"])
    w.writerow(["R21-030", "2022-03-01", "AB", "visit", note, ""])
summary = "\n".join("summary line %d: " % i + " ".join("part%02d" % j for j in range(30))
                    for i in range(1, 9)) + "\nEND OF THE SUMMARY"
assert 1500 < len(summary.encode()) < 2000
with open(d + "/referrals.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["ref", "received", "source", "issue", "la_child_id", "first_name", "last_name", "dob",
                "care_status", "sen", "officer", "status", "summary"])
    w.writerow(["R22-900", "2022-02-01", "school", "attendance", "LA9001", "Long", "Summary", "2012-05-05",
                "cin", "none", "AB", "open", summary])
PY
"$CASELOAD" --as-of "$AS_OF" import actions "$TMPDIR_T/actions.csv" >/dev/null
"$CASELOAD" --as-of "$AS_OF" import referrals "$TMPDIR_T/referrals.csv" >/dev/null

SEEN="$TMPDIR_T/seen"
# Pages through the view from its top, every screen shown added to $SEEN.
read_all() {
    : >"$SEEN"
    keys g
    sleep 0.5
    i=0
    while [ $i -lt 12 ]; do
        capture
        cat "$SCREEN" >>"$SEEN"
        cp "$SCREEN" "$TMPDIR_T/before"
        keys NPage
        j=0
        while [ $j -lt 20 ]; do
            sleep 0.1
            capture
            cmp -s "$SCREEN" "$TMPDIR_T/before" || break
            j=$((j + 1))
        done
        cmp -s "$SCREEN" "$TMPDIR_T/before" && break # the last page
        i=$((i + 1))
    done
}
seen_has() { # TEXT DESC
    if grep -qF -- "$1" "$SEEN"; then t_ok "$2"; else t_notok "$2" "never shown: $1"; fi
}
# The note's lines, whole: each line under the text (14 columns in, after "  2022-03-01  "),
# no word split, the long word cut where the row is full, the end of it.
note_whole() { # WHERE
    seen_has "action Visit (AB): line 1: word00 word01 word02" "$1: the note's first line"
    missing=""
    for n in 2 3 4 5 6 7 8 9 10 11 12; do
        grep -qF -- "              line $n: word00" "$SEEN" || missing="$missing $n"
    done
    if [ -z "$missing" ]; then t_ok "$1: each of its lines on a row of its own, under the text"; else
        t_notok "$1: each of its lines on a row of its own, under the text" "lines missing:$missing"; fi
    check_true "$1: wrapped at spaces, no word split" python3 -c "
import re, sys
t = open('$SEEN').read()
sys.exit(1 if re.search(r'word(?!\d\d)|[^ ]word|word\d\d[^ \n]', t) else 0)"
    check_true "$1: the words of its longest line all shown, in order" python3 -c "
import re, sys
rows = open('$SEEN').read().split('\\n')
# Line 12's 36 words: a row it starts on, then the rows under the text (a page's title and
# status lines between them skipped); the last page may show it again, from the top of a page.
def words_from(i):
    words = re.findall(r'word\\d\\d', rows[i].split('line 12: ')[1])
    for r in rows[i + 1:]:
        if r.startswith('              word'):
            words += re.findall(r'word\\d\\d', r)
        elif r.startswith('  '):
            break
    return words
want = ['word%02d' % j for j in range(36)]
sys.exit(0 if any(words_from(k) == want for k, r in enumerate(rows) if 'line 12: word00' in r) else 1)"
    seen_has "              $(printf 'x%.0s' $(seq 85))" "$1: a word longer than the row fills it"
    seen_has "$(printf 'x%.0s' $(seq 65))-unbroken" "$1: and goes on on the next row"
    seen_has "              with a tab" "$1: a tab in it a space, not a placeholder"
    seen_has "              THE END OF THE NOTE" "$1: the note's last line: nothing cut"
}

app_start 100 30
wait_for "shown of"
keys / R 2 1 - 0 3 0 Enter Enter
wait_for "Timeline"
read_all
note_whole "referral screen"
# The list W picks from: the visit's whole note, wrapped under itself, scrolled with Down.
keys W
wait_for "Withdraw: which action or outcome?"
screen_has "> 2022-03-01  action Visit (AB): line 1: word00 word01 word02" "W's list: the visit first, chosen"
screen_has "  line 2: word00 word01 word02 word03 word04 word05" "its note's next line on a row of its own, under the text"
screen_lacks "THE END OF THE NOTE" "a note taller than the page: its end not yet in sight"
screen_has "lines 1-23 of" "the hint line says where the list is"
i=0
while [ $i -lt 30 ]; do # Down, one at a time, until the note's end shows
    keys Down
    sleep 0.3
    capture
    grep -qF "  THE END OF THE NOTE" "$SCREEN" && break
    i=$((i + 1))
done
screen_has "  THE END OF THE NOTE" "Down scrolls through the chosen entry: its end, nothing cut"
screen_lacks ">" "the visit still chosen (its first row scrolled away), not the next entry"
keys Down
screen_has "> 2021-12-10  action Email (CD): Spoke to school (1)" "then Down goes on to the next entry"
keys Escape
wait_for "Timeline"
keys v
wait_for "Chronology"
read_all
note_whole "child view"
keys q q Escape
keys / R 2 2 - 9 0 0 Enter Enter
wait_for "Timeline"
read_all
seen_has "  Summary       summary line 1: part00 part01" "a long summary: its first line"
seen_has "                summary line 8: part00" "its lines under the text"
seen_has "                END OF THE SUMMARY" "and its end: a summary of 1,700 bytes is not cut"
keys q q
screen_has "exit=0" "quit"

# The visit amended (as the app's m writes it): its note now short, the reason for it 1,800 bytes.
# The timeline's correction shows the whole reason and the whole note it had.
reason="why: $(python3 -c "print(' '.join('reason%02d' % (j % 100) for j in range(200)))") END OF THE REASON"
sqlite3 "$CASELOAD_DB" "INSERT INTO actions(id, referral_id, date, officer_id, kind, note, follow_up,
  supersedes, withdrawn, corrected_on, corrected_by, reason) SELECT 99001, referral_id, date,
  officer_id, kind, 'short now', follow_up, id, 0, '2022-03-01', officer_id, '$reason' FROM actions
  WHERE note LIKE '%THE END OF THE NOTE'"
check_true "a reason of 1,700+ bytes" test "$(printf '%s' "$reason" | wc -c)" -gt 1700
app_start 100 30
wait_for "shown of"
keys / R 2 1 - 0 3 0 Enter Enter
wait_for "Timeline"
read_all
seen_has "action Visit (AB): short now" "the amended visit: its current note"
seen_has "amended 2022-03-01 by AB: why: reason00 reason01" "the correction's reason"
check_true "the reason whole, then what the visit was (its rows joined)" python3 -c "
import sys
t = ' '.join(r.strip() for r in open('$SEEN').read().split('\\n'))
sys.exit(0 if 'END OF THE REASON; was Visit of 2022-03-01 by AB: line 1: word00' in t else 1)"
seen_has "              line 12: word00" "the note it had, each line under the text"
seen_has "              THE END OF THE NOTE" "and its end: the earlier note of 1,900 bytes is not cut"
keys q q
screen_has "exit=0" "quit"

# The list d picks from: a pending follow-up's note of 1,900 bytes whole, to its end (it was cut at
# 200 bytes).
python3 - "$TMPDIR_T" <<'PY'
import csv, sys
lines = ["fu line %d: " % i + " ".join("word%02d" % j for j in range(3 * i)) for i in range(1, 13)]
note = "\n".join(lines + ["THE END OF THE CALL NOTE"])
assert 1000 < len(note.encode()) < 2000
with open(sys.argv[1] + "/call.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["ref", "date", "officer", "kind", "note", "follow_up"])
    w.writerow(["R21-030", "2022-03-01", "AB", "call", note, "2022-03-02"])
PY
"$CASELOAD" --as-of "$AS_OF" import actions "$TMPDIR_T/call.csv" >/dev/null
app_start 100 30
wait_for "shown of"
keys / R 2 1 - 0 3 0 Enter Enter
wait_for "Timeline"
keys d
wait_for "Mark a follow-up done"
i=0
while [ $i -lt 40 ]; do # Down, one at a time, until the note's end shows
    capture
    grep -qF "  THE END OF THE CALL NOTE" "$SCREEN" && break
    keys Down
    sleep 0.3
    i=$((i + 1))
done
screen_has "  THE END OF THE CALL NOTE" "d's list: the follow-up's whole note, nothing cut"
keys Escape
keys q q
screen_has "exit=0" "quit"
finish
