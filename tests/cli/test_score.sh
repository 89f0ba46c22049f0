#!/bin/sh
# test_score: `caseload score CHILD [--format text|json]` (SPEC sections 3 and 5) on a small fixture
# whose facts sit on the boundaries of section 3 (an episode ending on the day, a suspension 364
# and 365 days back, an attendance record ending after the day), and the stored scores that
# `list` sorts by.
. "$SOURCE_ROOT/tests/cli/lib.sh"

cd "$DATA" || exit 1
D=--as-of=2025-11-20
for k in children referrals episodes exclusions; do
    run $D import $k score-$k.csv
    check_rc 0 "import the score fixture: $k"
done
# Attendance is of what has happened: the record ending after the day (2025-12-19) is imported once
# it is over, and the scores as of the day do not count it.
run --as-of=2025-12-19 import attendance score-attendance.csv
check_rc 0 "import the score fixture: attendance"

run $D score B801200005001
check_rc 0 "score by UPN"
check_out score_text.txt "text: name, date, score, band and every factor"
check_err_empty "score prints nothing on stderr"

run $D score b801200005001 --format json
check_rc 0 "score by lower-case UPN, json"
check_out score_json.json "json exactly as SPEC section 5, every factor in order"
check_true "json parses and lists 16 factors" python3 -c "
import json, sys
d = json.load(open('$OUT'))
assert list(d) == ['child', 'as_of', 'score', 'band', 'factors']
assert d['child'] == 'B801200005001' and d['score'] == 44 and d['band'] == 'red'
assert len(d['factors']) == 16
assert sum(f['points'] for f in d['factors']) == d['score']
assert all(f['points'] == f['value'] * f['weight'] for f in d['factors'])
"

run --as-of=2025-11-19 score B801200005001 --format=json
check_out_has '"score": 52' "a day earlier: the part-time episode is open and a third suspension counts"

run $D score C100 --format json
check_out_has '"child": "C100"' "by LA id: the id as given"
check_out_has '"score": 44' "by LA id: the same child and score"

run $D score LA200
check_rc 0 "a child with an LA id only"
check_out_has "Siobhán Smith-Jones (LA200)" "the name as stored, accents and hyphen"
check_out_has "Score as of 2025-11-20: 7 (green)" "cin plan and attendance below 90%"

run $D list --status all --format csv
check_out_has "S-1,44," "list shows the stored score, equal to the one score computes"
check_out_has "S-2,7," "list: the other child's stored score"

run $D --config score-weights.yaml score B801200005001 --format json
check_out_has '"score": 20' "other weights: only cme and cin_plan count"
check_out_has '"band": "amber"' "other bands: 20 is amber under red 30 / amber 15"
check_out_has '{"factor": "cme", "value": 1, "weight": 20, "points": 20}' "the factor row with the new weight"
run $D --config score-weights.yaml list --status all --format csv
check_out_has "S-1,20," "the stored scores follow the weights"
check_out_has "S-2,1," "every child is recomputed when the weights change"

run $D score B801200005002
check_rc 65 "a UPN with a wrong check letter: exit 65"
check_err_has "caseload score: 'B801200005002' is not a valid UPN: " "the bad UPN is named"
run $D score N0SUCHCHILD
check_rc 65 "unknown child: exit 65"
check_err_has "caseload score: no child with UPN or LA id 'N0SUCHCHILD'" "the unknown child is named"
run $D score G80120000101A
check_rc 65 "a valid UPN of no child"
check_err_has "no child with UPN or LA id 'G80120000101A'" "a valid unknown UPN is an unknown child"
run $D score "$(printf 'x\033[31my')"
check_true "no escape character reaches the terminal" sh -c "! grep -q \"\$(printf '\\033')\" '$ERR'"
run $D score
check_rc 2 "no CHILD: usage"
run $D score C100 --format xml
check_rc 2 "a bad format: usage"
check_err_has "--format: 'xml' is not text or json" "the bad format is named"
run $D score C100 --bogus
check_rc 2 "an unknown option: usage"

finish
