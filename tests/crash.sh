#!/usr/bin/env bash
# crash.sh: kills caseload with SIGKILL at random moments while it writes (imports of referrals
# small and large and of actions, `demo` into a new database, a full score recompute, the app's
# saves) and checks after every kill that the database is sound:
#   - PRAGMA integrity_check and foreign_key_check;
#   - the search index: FTS5's 'integrity-check' of referral_search; one row per referral, the
#     folded text of its referral_search_source (checked where that is ASCII: folding is then
#     lower-casing), nothing left in search_stale; child_names likewise (name_key: lower case
#     without spaces, hyphens and apostrophes);
#   - every derived table against its facts: referral_counts = referrals counted by issue and
#     status; referral_list = the referrals with their child's score (child_scores, 0 without a
#     row), no score of a child that is gone; referral_follow_up = its view
#     referral_follow_up_source (the earliest pending follow-up of a referral not closed);
#   - all or nothing: an import added none or all of its rows; a new database has the whole
#     schema or none; a recompute left the old scores under the old date and weights or exactly
#     the new scores under the new ones; each save has its audit row and each audit row its save;
#   - `caseload check`, when the program has that command.
# Prints TAP: one line per scenario and kind of check (not one per kill).
#
# The sqlite3 program only reads: the checks run on a copy of the files taken after the kill
# (the FTS5 check is an INSERT statement), and caseload itself reopens the originals next time.
#
# Environment: CASELOAD, CRASH_SAVE (tests/crash/crash_save), SOURCE_ROOT (set by meson);
# CRASH_SANITIZED=1 under the sanitizers (fewer kills: everything is slower); CRASH_KILLS=N for
# more by hand (CRASH_KILLS=2000 meson test -C build crash -t 0); CRASH_SEED=S to repeat a run
# (the seed is printed).
. "$SOURCE_ROOT/tests/cli/lib.sh"
: "${CRASH_SAVE:?run through meson test}"
command -v sqlite3 >/dev/null || {
    echo "1..0 # SKIP no sqlite3 program"
    exit 0
}

if [ -n "${CRASH_KILLS:-}" ]; then
    KILLS=$CRASH_KILLS
elif [ "${CRASH_SANITIZED:-0}" = 1 ]; then
    KILLS=30
else
    KILLS=200
fi
SEED=${CRASH_SEED:-$(($(date +%s) % 32768))}
RANDOM=$SEED
echo "# $KILLS kills, seed $SEED (CRASH_SEED=$SEED repeats the same choices)"

W=$TMPDIR_T
AS_OF=2025-01-15
DB=$W/work.db
SNAP=$W/snap.db
LARGE=${CRASH_LARGE:-1500} # referrals in a large import
SMALL=40
RESET_AT=$LARGE # the working database starts again from the baseline past this

now_ms() { date +%s%3N; }

# copy_db FROM TO: copies the database FROM with its journal and write-ahead log (never its
# -shm: the wal-index is rebuilt from the log, as after any crash).
copy_db() {
    rm -f "$2" "$2-wal" "$2-journal" "$2-shm"
    [ -e "$1" ] && cp "$1" "$2"
    [ -e "$1-wal" ] && cp "$1-wal" "$2-wal"
    [ -e "$1-journal" ] && cp "$1-journal" "$2-journal"
    return 0
}

# The checks, on $SNAP: one "name: value" line each (see the header). The derived tables must
# differ from their facts in 0 rows.
CHECK_SQL="
SELECT 'integrity: ' || group_concat(integrity_check, '; ') FROM pragma_integrity_check;
SELECT 'foreign_keys: ' || count(*) FROM pragma_foreign_key_check;
SELECT 'schema: ' || coalesce(group_concat(name, ' '), '') FROM
  (SELECT name FROM sqlite_schema WHERE type IN ('table', 'index', 'trigger', 'view')
    AND name NOT LIKE 'sqlite_%' ORDER BY name);"
CHECK_DATA_SQL="
SELECT 'counts: ' || count(*) FROM (
  SELECT * FROM (SELECT issue, status, count(*) FROM referrals GROUP BY 1, 2
                 EXCEPT SELECT issue, status, n FROM referral_counts WHERE n <> 0)
  UNION ALL
  SELECT * FROM (SELECT issue, status, n FROM referral_counts WHERE n <> 0
                 EXCEPT SELECT issue, status, count(*) FROM referrals GROUP BY 1, 2));
SELECT 'negative_counts: ' || count(*) FROM referral_counts WHERE n < 0;
SELECT 'list: ' || count(*) FROM (
  SELECT * FROM (SELECT r.id, r.child_id, coalesce(s.score, 0), r.issue, r.status, r.officer_id
                   FROM referrals r LEFT JOIN child_scores s ON s.child_id = r.child_id
                 EXCEPT SELECT id, child_id, score, issue, status, officer_id FROM referral_list)
  UNION ALL
  SELECT * FROM (SELECT id, child_id, score, issue, status, officer_id FROM referral_list
                 EXCEPT SELECT r.id, r.child_id, coalesce(s.score, 0), r.issue, r.status,
                               r.officer_id
                          FROM referrals r LEFT JOIN child_scores s ON s.child_id = r.child_id));
SELECT 'score_orphans: ' || count(*) FROM child_scores s
 WHERE NOT EXISTS (SELECT 1 FROM children WHERE id = s.child_id);
SELECT 'search_rows: ' || count(*) FROM (
  SELECT * FROM (SELECT rowid FROM referral_search EXCEPT SELECT id FROM referrals)
  UNION ALL SELECT * FROM (SELECT id FROM referrals EXCEPT SELECT rowid FROM referral_search));
SELECT 'search_stale: ' || ((SELECT count(*) FROM search_stale)
                            + (SELECT count(*) FROM child_names_stale));
SELECT 'search_text: ' || count(*) FROM referral_search_source s JOIN referral_search f
    ON f.rowid = s.id
 WHERE s.body NOT GLOB '*[^ -~]*' AND f.body IS NOT lower(s.body);
SELECT 'names: ' || count(*) FROM (
  SELECT * FROM (SELECT id FROM child_names EXCEPT SELECT id FROM children)
  UNION ALL SELECT * FROM (SELECT id FROM children EXCEPT SELECT id FROM child_names)
  UNION ALL SELECT c.id FROM children c JOIN child_names n ON n.id = c.id
   WHERE c.first_name || c.last_name NOT GLOB '*[^ -~]*'
     AND (n.first IS NOT replace(replace(replace(lower(c.first_name), ' ', ''), '-', ''), '''', '')
          OR n.last IS NOT replace(replace(replace(lower(c.last_name), ' ', ''), '-', ''), '''', '')));
SELECT 'follow_up: ' || count(*) FROM (
  SELECT * FROM (SELECT id, follow_up FROM referral_follow_up
                 EXCEPT SELECT id, follow_up FROM referral_follow_up_source)
  UNION ALL
  SELECT * FROM (SELECT id, follow_up FROM referral_follow_up_source
                 EXCEPT SELECT id, follow_up FROM referral_follow_up));
SELECT 'saves: ' || (
  (SELECT count(*) FROM children c WHERE la_child_id LIKE 'CRASH-%' AND NOT EXISTS
     (SELECT 1 FROM audit u WHERE u.tbl = 'children' AND u.row_id = c.id AND u.action = 'insert'))
  + (SELECT count(*) FROM referrals r WHERE ref LIKE 'CRASH-%' AND NOT EXISTS
     (SELECT 1 FROM audit u WHERE u.tbl = 'referrals' AND u.row_id = r.id AND u.action = 'insert'))
  + (SELECT count(*) FROM referrals r WHERE ref LIKE 'CRASH-%' AND issue = 'exclusion' AND
     NOT EXISTS (SELECT 1 FROM audit u WHERE u.tbl = 'referrals' AND u.row_id = r.id AND
                 u.action = 'update'))
  + (SELECT count(*) FROM referrals r WHERE ref LIKE 'CRASH-%' AND status = 'closed' AND
     NOT EXISTS (SELECT 1 FROM audit u WHERE u.tbl = 'referrals' AND u.row_id = r.id AND
                 u.action = 'close'))
  + (SELECT count(*) FROM actions a WHERE kind = 'crashtest' AND NOT EXISTS
     (SELECT 1 FROM audit u WHERE u.tbl = 'actions' AND u.row_id = a.id AND u.action = 'insert'))
  + (SELECT count(*) FROM outcomes o JOIN referrals r ON r.id = o.referral_id
      WHERE r.ref LIKE 'CRASH-%' AND NOT EXISTS
     (SELECT 1 FROM audit u WHERE u.tbl = 'outcomes' AND u.row_id = o.id AND u.action = 'insert'))
  + (SELECT count(*) FROM audit u WHERE u.action = 'insert' AND u.row_id <> 0 AND
     ((u.tbl = 'children' AND NOT EXISTS (SELECT 1 FROM children WHERE id = u.row_id)) OR
      (u.tbl = 'referrals' AND NOT EXISTS (SELECT 1 FROM referrals WHERE id = u.row_id)) OR
      (u.tbl = 'actions' AND NOT EXISTS (SELECT 1 FROM actions WHERE id = u.row_id)) OR
      (u.tbl = 'outcomes' AND NOT EXISTS (SELECT 1 FROM outcomes WHERE id = u.row_id)))));
SELECT 'rows: ' || (SELECT count(*) FROM referrals) || ' ' || (SELECT count(*) FROM actions)
       || ' ' || (SELECT count(*) FROM children);
SELECT 'scored: ' || coalesce((SELECT value FROM meta WHERE key = 'scores_as_of'), '-') || ' '
       || coalesce((SELECT length(value) || substr(value, 1, 40) FROM meta
                     WHERE key = 'scores_weights'), '-');
SELECT 'scores: ' || coalesce(group_concat(id || '=' || coalesce(score, 0), ','), '')
  FROM (SELECT c.id, s.score FROM children c LEFT JOIN child_scores s ON s.child_id = c.id
         ORDER BY c.id);
INSERT INTO referral_search(referral_search, rank) VALUES ('integrity-check', 1);
SELECT 'search: ok';"

# run_checks FILE: runs the checks on FILE (one sqlite3 program, which stops at the first error:
# the search index comes last, and a database without a schema stops after the schema line);
# sets R (what it printed) and from it L (name -> value of each line), REFERRALS, ACTIONS, SCORED
# and SCORES. Parsed with the shell's own words: a few hundred checks must not fork thousands.
run_checks() {
    R=$(sqlite3 -bail "$1" "$CHECK_SQL$CHECK_DATA_SQL" 2>&1)
    parse_checks
}
declare -A L=()
parse_checks() { # sets the variables of run_checks from R
    L=()
    local l rows
    while IFS= read -r l; do
        case $l in *": "*) L[${l%%: *}]=${l#*: } ;; esac
    done <<<"$R"
    rows=${L[rows]:-0 0 0}
    REFERRALS=${rows%% *}
    rows=${rows#* }
    ACTIONS=${rows%% *}
    SCORED=${L[scored]:-}
    SCORES=${L[scores]:-}
}
last() { printf '%s' "${R##*$'\n'}"; } # the last line sqlite3 printed (its error, if any)
# check_db FILE [COPY]: run_checks on a copy of FILE in COPY (default $SNAP: the state the next
# scenario starts from).
check_db() {
    copy_db "$1" "${2:-$SNAP}"
    run_checks "${2:-$SNAP}"
}

line() { printf '%s' "${L[$1]:-}"; }

# Failures, per "scenario/check": the first message of each kept for the TAP comments.
declare -A FAILS=() FIRST=() KILLED=() RUNS=() MS=()
fail() { # key message
    FAILS[$1]=$((${FAILS[$1]:-0} + 1))
    [ -n "${FIRST[$1]:-}" ] || FIRST[$1]="$2"
}

# sound SCENARIO FILE [COPY|direct]: the checks every database must pass, whatever was running,
# on a copy of FILE (in COPY, default $SNAP; on FILE itself with "direct"). Returns 1 when the
# database is damaged beyond checking.
sound() {
    local s=$1
    if [ "${3:-}" = direct ]; then run_checks "$2"; else check_db "$2" "${3:-}"; fi
    if [ "${L[integrity]:-}" != ok ]; then
        fail "$s/integrity" "integrity_check: ${L[integrity]:-} $(last)"
        return 1
    fi
    [ "${L[foreign_keys]:-}" = 0 ] || fail "$s/integrity" "foreign_key_check: ${L[foreign_keys]:-} rows"
    local schema
    schema=${L[schema]:-}
    if [ -n "$schema" ] && [ "$schema" != "$SCHEMA" ]; then
        fail "$s/all-or-nothing" "a partial schema: $schema"
    fi
    [ -z "$schema" ] && return 0
    [ "${L[search]:-}" = ok ] || fail "$s/search index" "$(last)"
    for d in counts negative_counts list score_orphans follow_up search_rows search_stale \
        search_text names; do
        [ "${L[$d]:-}" = 0 ] || fail "$s/derived tables" "$d: ${L[$d]:-} rows differ from the facts"
    done
    [ "${L[saves]:-}" = 0 ] || fail "$s/all-or-nothing" "saves: ${L[saves]:-} rows without their audit row or the other way"
    if [ -n "$HAVE_CHECK" ]; then
        "$CASELOAD" --as-of $AS_OF --db "$2" check >"$W/check.out" 2>&1 ||
            fail "$s/caseload check" "exit $?: $(head -3 "$W/check.out")"
    fi
    return 0
}

# kill_at CMD...: runs CMD in the background and kills it with SIGKILL after a random part of
# the time it took to run whole ($T ms, measured once); sets KILLED_NOW=1 when the kill came
# first, 0 when CMD had finished (its exit code must then be 0).
kill_at() {
    local delay=$((RANDOM * T / 32768)) ms
    printf -v ms '%03d' $((delay % 1000))
    "$@" >"$W/cmd.out" 2>&1 &
    local pid=$!
    sleep "$((delay / 1000)).$ms"
    kill -9 $pid 2>/dev/null
    wait $pid
    local rc=$?
    if [ $rc -eq 137 ]; then
        KILLED_NOW=1
    else
        KILLED_NOW=0
        [ $rc -eq 0 ] || fail "$SCEN/runs" "exit $rc when not killed: $(head -3 "$W/cmd.out")"
    fi
}

# ---- files ----
HAVE_CHECK=
if "$CASELOAD" check --help >/dev/null 2>&1; then HAVE_CHECK=1; fi
[ -n "$HAVE_CHECK" ] && echo "# caseload check is run after each kill too"
python3 "$SOURCE_ROOT/bench/gen_referrals.py" "$LARGE" 7 >"$W/large.csv"
head -n $((SMALL + 1)) "$W/large.csv" >"$W/small.csv"
cat >"$W/weights.yaml" <<'YAML'
scoring:
  weights: {cme: 3, ehe: 9, attendance_below_50: 12, suspensions: 5, pex_risk: 1, ehcp: 7}
YAML
N_IMPORT=0
# import_file SRC N: $W/import.csv, SRC with refs (and LA ids) of their own, so that it adds N.
import_file() {
    N_IMPORT=$((N_IMPORT + 1))
    sed "2,\$s/^R-/K$N_IMPORT-/" "$1" >"$W/import.csv"
}
# actions_file: an action (with a follow-up) on each of up to 300 referrals of the snapshot.
actions_file() {
    N_IMPORT=$((N_IMPORT + 1))
    {
        echo "ref,date,officer,kind,note,follow_up"
        sqlite3 "$SNAP" "SELECT ref FROM referrals ORDER BY random() LIMIT 300" |
            awk -v n=$N_IMPORT '{ printf "%s,2025-01-%02d,CT,call,crash %d,2025-02-%02d\n", $0, 1 + NR % 14, n, 1 + NR % 27 }'
    } >"$W/import.csv"
    N_ACTIONS=$(($(wc -l <"$W/import.csv") - 1))
}

# ---- the baseline: a demo caseload, checked, and the time each scenario takes whole ----
A="--as-of $AS_OF"
BASE=$W/base.db
rm -f "$BASE"*
DEMO_CHILDREN=50 # in the demo scenario (a new database each time)
"$CASELOAD" $A --db "$BASE" demo --children 120 >"$W/cmd.out" 2>&1
check_true "baseline: demo exits 0" test $? -eq 0
check_db "$BASE"
SCHEMA=$(line schema)
check_true "baseline: sound (integrity, search index, derived tables)" \
    test "$(line integrity)/$(line search)/$(line counts)/$(line list)/$(line follow_up)" = "ok/ok/0/0/0"

# The checks can fail: a search index without the terms of one referral's text, a count off by one, a
# follow-up that is not the latest action's, a search text that is not the referral's, an action
# saved without its audit row.
cp "$BASE" "$W/broken.db"
sqlite3 "$W/broken.db" "UPDATE referral_search SET body = 'not the text'
   WHERE rowid = (SELECT max(id) FROM referral_search_source WHERE body NOT GLOB '*[^ -~]*');
  UPDATE referral_search_content SET c0 = c0 || ' unindexed'
   WHERE id = (SELECT min(id) FROM referrals);
  UPDATE referral_counts SET n = n + 1
   WHERE (issue, status) IN (SELECT issue, status FROM referral_counts LIMIT 1);
  INSERT OR REPLACE INTO referral_follow_up(id, follow_up)
  SELECT min(id), '2031-01-01' FROM referrals;
  INSERT INTO actions(id, referral_id, date, kind) SELECT 1, max(id), '2025-01-02', 'crashtest'
    FROM referrals;"
check_db "$W/broken.db"
check_true "the checks find a damaged search index" test "$(line search)" != ok
check_true "the checks find a count, a follow-up, a search text and a save that disagree with the facts" \
    test "$(line counts)/$(line saves)/$(($(line follow_up) > 0))/$(($(line search_text) > 0))" = "2/1/1/1"
rm -f "$W/broken.db"*

reset_db() {
    rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"
    cp "$BASE" "$DB"
    check_db "$DB"
}
reset_db

# time_whole SCENARIO PREP CMD...: runs PREP, then CMD whole, three times; T_OF[SCENARIO] is the
# median time (the machine is shared: one run may be much slower than the others).
declare -A T_OF=()
time_whole() {
    local s=$1 prep=$2 i t0 rc=0 times=()
    shift 2
    for i in 1 2 3; do
        $prep
        t0=$(now_ms)
        "$@" >"$W/cmd.out" 2>&1
        rc=$?
        times+=($(($(now_ms) - t0)))
        [ $rc -eq 0 ] || break
    done
    T_OF[$s]=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
    : "${T_OF[$s]:=${times[0]}}"
    check_true "$s runs whole (exit 0; median of three: ${T_OF[$s]} ms)" test $rc -eq 0
}
prep_demo() { rm -f "$W/demo.db"*; }
prep_large() { import_file "$W/large.csv"; }
prep_small() { import_file "$W/small.csv"; }
prep_actions() {
    check_db "$DB"
    actions_file
}
score_day=0
prep_score() { score_day=$((score_day + 1)); }
score_whole() { "$CASELOAD" --as-of 2025-03-0$score_day --db "$DB" --config "$W/weights.yaml" list; }
time_whole demo prep_demo "$CASELOAD" $A --db "$W/demo.db" demo --children $DEMO_CHILDREN
run_checks "$W/demo.db"
DEMO_REFERRALS=$REFERRALS
reset_db
time_whole "import large" prep_large "$CASELOAD" $A --db "$DB" import referrals "$W/import.csv"
reset_db # the others on a database the size the kills meet most: the baseline and one import
prep_large
"$CASELOAD" $A --db "$DB" import referrals "$W/import.csv" >"$W/cmd.out" 2>&1
time_whole "import small" prep_small "$CASELOAD" $A --db "$DB" import referrals "$W/import.csv"
time_whole "import actions" prep_actions "$CASELOAD" $A --db "$DB" import actions "$W/import.csv"
time_whole "score recompute" prep_score score_whole
time_whole "saves" : "$CRASH_SAVE" "$DB" $AS_OF 24
reset_db

# ---- the kills ----
SCENARIOS=("import large" "import large" "import small" "import actions" "demo"
    "score recompute" "score recompute" "saves" "saves")
kills=0
runs=0
day=1
t_start=$(now_ms)
while [ $kills -lt "$KILLS" ] && [ $runs -lt $((KILLS * 3)) ]; do
    runs=$((runs + 1))
    t_run=$(now_ms)
    SCEN=${SCENARIOS[$((RANDOM % ${#SCENARIOS[@]}))]}
    [ "${REFERRALS:-0}" -gt $RESET_AT ] && reset_db
    T=$((${T_OF[$SCEN]} * 8 / 10 + 1))
    before=$REFERRALS
    case $SCEN in
    "import large" | "import small")
        if [ "$SCEN" = "import large" ]; then n=$LARGE; else n=$SMALL; fi
        import_file "$W/$([ $n = $LARGE ] && echo large || echo small).csv"
        kill_at "$CASELOAD" $A --db "$DB" import referrals "$W/import.csv"
        if sound "$SCEN" "$DB" && [ "$REFERRALS" != "$before" ] &&
            [ "$REFERRALS" != $((before + n)) ]; then
            fail "$SCEN/all-or-nothing" "$before referrals before, $REFERRALS after importing $n"
        fi
        ;;
    "import actions")
        before=$ACTIONS
        actions_file
        kill_at "$CASELOAD" $A --db "$DB" import actions "$W/import.csv"
        if sound "$SCEN" "$DB" && [ "$ACTIONS" != "$before" ] &&
            [ "$ACTIONS" != $((before + N_ACTIONS)) ]; then
            fail "$SCEN/all-or-nothing" "$before actions before, $ACTIONS after importing $N_ACTIONS"
        fi
        ;;
    demo) # into a new database, whose first open (the migrations) is killed too
        saved=$R
        rm -f "$W/demo.db"*
        kill_at "$CASELOAD" $A --db "$W/demo.db" demo --children $DEMO_CHILDREN
        if sound demo "$W/demo.db" "$W/demo-copy.db" && [ -n "$(line schema)" ]; then
            [ "$REFERRALS" = 0 ] || [ "$REFERRALS" = "$DEMO_REFERRALS" ] ||
                fail "demo/all-or-nothing" "$REFERRALS referrals, expected 0 or $DEMO_REFERRALS"
        fi
        # It finishes when run again on what the kill left.
        "$CASELOAD" $A --db "$W/demo.db" demo --children $DEMO_CHILDREN >"$W/cmd.out" 2>&1 ||
            fail "demo/runs" "demo again after the kill: exit $?: $(head -3 "$W/cmd.out")"
        sound demo "$W/demo.db" direct
        [ "$REFERRALS" = "$DEMO_REFERRALS" ] ||
            fail "demo/all-or-nothing" "demo again after the kill: $REFERRALS referrals, expected $DEMO_REFERRALS"
        R=$saved # the working database, untouched
        parse_checks
        ;;
    "score recompute") # a new date (and every other time new weights): every child rescored
        day=$((day % 27 + 1))
        opts=(--as-of "2025-02-$(printf %02d $day)" --db "$DB")
        [ $((day % 2)) = 0 ] && opts+=(--config "$W/weights.yaml")
        copy_db "$SNAP" "$W/pre.db"
        old_scored=$SCORED old_scores=$SCORES
        kill_at "$CASELOAD" "${opts[@]}" list
        if sound "$SCEN" "$DB"; then
            killed_scored=$SCORED killed_scores=$SCORES
            if [ "$KILLED_NOW" = 1 ] && { [ "$killed_scored" != "$old_scored" ] ||
                [ "$killed_scores" != "$old_scores" ]; }; then
                # Killed, yet changed: it must be exactly what the whole recompute gives.
                saved=$R
                opts[3]=$W/pre.db
                "$CASELOAD" "${opts[@]}" list >/dev/null 2>&1
                run_checks "$W/pre.db"
                [ "$killed_scored/$killed_scores" = "$SCORED/$SCORES" ] ||
                    fail "$SCEN/all-or-nothing" "scores as of $killed_scored differ from a whole recompute's ($SCORED)"
                R=$saved
                parse_checks
            fi
        fi
        rm -f "$W/pre.db"*
        ;;
    saves)
        kill_at "$CRASH_SAVE" "$DB" $AS_OF
        sound saves "$DB"
        ;;
    esac
    RUNS[$SCEN]=$((${RUNS[$SCEN]:-0} + 1))
    MS[$SCEN]=$((${MS[$SCEN]:-0} + $(now_ms) - t_run))
    if [ "$KILLED_NOW" = 1 ]; then
        kills=$((kills + 1))
        KILLED[$SCEN]=$((${KILLED[$SCEN]:-0} + 1))
    fi
done
echo "# $kills kills in $runs runs, $(($(now_ms) - t_start)) ms"

# ---- the report ----
check_true "$KILLS kills made (in $runs runs)" test $kills -ge "$KILLS"
for s in "import large" "import small" "import actions" "demo" "score recompute" "saves"; do
    for c in runs integrity "search index" "derived tables" all-or-nothing ${HAVE_CHECK:+"caseload check"}; do
        k="$s/$c"
        desc="$s (${KILLED[$s]:-0} kills in ${RUNS[$s]:-0} runs, ${MS[$s]:-0} ms): $c"
        if [ -n "${FAILS[$k]:-}" ]; then
            t_notok "$desc" "${FAILS[$k]} failures; the first: ${FIRST[$k]}"
        else
            t_ok "$desc"
        fi
    done
done
finish
