#!/bin/sh
# test_demo: `caseload demo [--children N] [--seed S]`: deterministic for a seed, idempotent, and a
# caseload with the mix of a real hub (SPEC sections 1 and 5).
. "$SOURCE_ROOT/tests/cli/lib.sh"

D=--as-of=2025-11-20
A="$TMPDIR_T/a.db"
B="$TMPDIR_T/b.db"
KINDS="children referrals actions outcomes exclusions attendance episodes"

run $D --db "$A" demo --seed 7 --children 60
check_rc 0 "demo --seed 7 --children 60"
check_out_has "demo caseload (seed 7, as of 2025-11-20): 60 children," "the summary names seed, date and counts"
run $D --db "$B" demo --children=60 --seed=7
check_rc 0 "the same demo into another database"
for k in $KINDS; do
    "$CASELOAD" $D --db "$A" export $k >"$TMPDIR_T/a-$k.csv" 2>&1
    "$CASELOAD" $D --db "$B" export $k >"$TMPDIR_T/b-$k.csv" 2>&1
    check_true "same seed: identical export of $k" cmp -s "$TMPDIR_T/a-$k.csv" "$TMPDIR_T/b-$k.csv"
done
check_true "the export holds the referrals" test "$(wc -l <"$TMPDIR_T/a-referrals.csv")" -gt 60

run $D --db "$A" demo --seed 7 --children 60
check_rc 0 "demo again with the same seed"
check_out_has "is already in the database: nothing changed" "demo again says nothing changed"
for k in $KINDS; do
    "$CASELOAD" $D --db "$A" export $k >"$TMPDIR_T/a2-$k.csv" 2>&1
    check_true "demo again: $k unchanged" cmp -s "$TMPDIR_T/a-$k.csv" "$TMPDIR_T/a2-$k.csv"
done

run $D --db "$TMPDIR_T/c.db" demo --seed 8 --children 60
"$CASELOAD" $D --db "$TMPDIR_T/c.db" export referrals >"$TMPDIR_T/c-referrals.csv" 2>&1
check_true "another seed: other referrals" sh -c "! cmp -s '$TMPDIR_T/a-referrals.csv' '$TMPDIR_T/c-referrals.csv'"

# Past the first 5,000 children the demo imports in a second batch; two generated children may share
# a name and a date of birth (seed 3 has such a pair across the batches), as real children do, and
# the import's duplicate check must not stop the demo there (it did: 5,000 of 5,100, exit 65).
run $D --db "$TMPDIR_T/big.db" demo --seed 3 --children 5100
check_rc 0 "demo --children 5100: a shared name and date of birth does not stop it"
check_true "demo --children 5100 makes 5,100 children" test "$(sqlite3 "$TMPDIR_T/big.db" 'select count(*) from children')" = 5100

# The default demo: about 400 children and 500 referrals with the mix of a real hub.
run $D demo
check_rc 0 "demo with the defaults"
check_out demo_default.txt "default demo: 400 children, seed 1 (pins the generator)"
for k in $KINDS; do
    "$CASELOAD" $D export $k >"$TMPDIR_T/d-$k.csv" 2>"$ERR"
done
# The generator pinned row for row: a refactoring of demo.c keeps every export byte-identical.
(cd "$TMPDIR_T" && for k in $KINDS; do sha256sum "d-$k.csv"; done) >"$OUT"
check_out demo_default_exports.txt "default demo: every export as before (sha256 of each kind)"
check_true "the mix of a real hub" python3 - "$TMPDIR_T" <<'PY'
import csv, sys, collections
d = sys.argv[1]
rows = {k: list(csv.DictReader(open(f"{d}/d-{k}.csv", encoding="utf-8")))
        for k in "children referrals actions outcomes exclusions attendance episodes".split()}
ch, rf = rows["children"], rows["referrals"]
assert len(ch) == 400, len(ch)
assert 450 <= len(rf) <= 560, len(rf)
n = len(rf)
issue = collections.Counter(r["issue"] for r in rf)
def near(code, share, tol):
    got = issue[code] / n
    assert abs(got - share) <= tol, (code, got)
near("attendance", 1 / 4, 0.06)
near("admissions", 1 / 5, 0.06)
near("cme", 1 / 8, 0.05)
near("exclusion", 1 / 8, 0.05)
near("sen", 1 / 10, 0.04)
assert set(issue) == {"attendance", "cme", "exclusion", "admissions", "sen", "reduced_timetable",
                      "managed_move", "ehe", "neet", "other"}, issue
pex = sum(r["pex_risk"] == "yes" for r in rf)
assert 0.06 * n <= pex <= 0.14 * n, pex  # about 33 in 348
sen = collections.Counter(c["sen"] for c in ch)
assert sen["none"] > 160 and 60 <= sen["sen_support"] <= 140 and 30 <= sen["ehcp"] <= 90, sen
assert 1 <= sen["ehcp_in_progress"] <= 40, sen
care = collections.Counter(c["care_status"] for c in ch)
assert care["cin"] > care["plac"] and care["cp"] > care["ever6"] and care["cla"] >= 40, care
names = " ".join(c["first_name"] + " " + c["last_name"] for c in ch)
assert "'" in names and "-" in names and any(ord(x) > 127 for x in names), "names"
closed = [r for r in rf if r["status"] == "closed"]
assert closed and all(r["closed"] for r in closed)
with_outcome = {o["ref"] for o in rows["outcomes"]}
assert all(r["ref"] in with_outcome for r in closed), "every closed referral has an outcome"
open_refs = {r["ref"] for r in rf if r["status"] != "closed"}
fu = [a["follow_up"] for a in rows["actions"] if a["ref"] in open_refs and a["follow_up"]]
assert any(f < "2025-11-20" for f in fu) and any(f >= "2025-11-20" for f in fu), "follow-ups"
assert all(r["received"] >= "2024-09-01" and r["received"] <= "2025-11-20" for r in rf)
ex = collections.Counter(e["category"] for e in rows["exclusions"])
assert ex["suspension"] > 50 and ex["permanent"] >= 1, ex
assert len(rows["attendance"]) > 200
kinds = {e["kind"] for e in rows["episodes"]}
assert kinds == {"cme", "part_time", "ehe", "alternative_provision"}, kinds
assert all(len(c["school_urn"]) in (0, 6) for c in ch)
PY
cut -d, -f1 "$TMPDIR_T/d-children.csv" | tail -n +2 | grep . >"$TMPDIR_T/upns"
check_true "every UPN is valid (upn check)" sh -c "xargs '$CASELOAD' upn check <'$TMPDIR_T/upns' >/dev/null"
for band in red amber green; do
    run $D list --band $band --format csv
    check_true "some referrals are $band" test "$(wc -l <"$OUT")" -gt 10
done

run $D demo --children 0
check_rc 2 "--children 0: usage"
check_err_has "--children: '0' is not a number of children" "the bad count is named"
run $D demo --children many
check_rc 2 "--children many: usage"
run $D demo --seed -1
check_rc 2 "a negative seed: usage"
run $D demo --colour
check_rc 2 "an unknown option: usage"
check_err_has "unknown argument '--colour'" "the unknown option is named"

finish
