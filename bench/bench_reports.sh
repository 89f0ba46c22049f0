#!/bin/sh
# bench_reports.sh [BUILD_DIR]: times each report of SPEC section 7 on a database of about a million
# referrals (`caseload demo --children 250000`, made once and kept in $BENCH_DB), for the default
# period (the academic year of --as-of) and for every referral in the database. Prints the best of
# $RUNS runs of each, in seconds, wall clock (the whole command: start-up, open, query, render).
# Target (issue 4): every report within 0.5 s.
set -eu
BUILD=${1:-build}
CASELOAD=${CASELOAD:-$BUILD/caseload}
BENCH_DB=${BENCH_DB:-${TMPDIR:-/tmp}/caseload-bench-reports.db}
CHILDREN=${CHILDREN:-250000}
AS_OF=${AS_OF:-2025-07-01}
RUNS=${RUNS:-3}
export XDG_CONFIG_HOME="${TMPDIR:-/tmp}/caseload-bench-reports-config" # built-in calendar
[ -x "$CASELOAD" ] || { echo "bench_reports: build first ($CASELOAD missing)" >&2; exit 1; }

now() { date +%s%N; }

if [ ! -f "$BENCH_DB" ]; then
    echo "making $BENCH_DB: demo --children $CHILDREN (once; takes a while)"
    t0=$(now)
    "$CASELOAD" --db "$BENCH_DB" --as-of "$AS_OF" demo --children "$CHILDREN" >/dev/null
    t1=$(now)
    echo "  made in $(( (t1 - t0) / 1000000 )) ms"
fi

total() { # period options...: the number of referrals received in the period
    "$CASELOAD" --db "$BENCH_DB" --as-of "$AS_OF" report summary "$@" --format csv |
        awk -F, '$NF == "referrals.total" { print $(NF - 1) }'
}

best() { # report, period options...: the best wall-clock time of $RUNS runs, in seconds
    r=$1
    shift
    b=
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        t0=$(now)
        "$CASELOAD" --db "$BENCH_DB" --as-of "$AS_OF" report "$r" "$@" --format json >/dev/null
        t1=$(now)
        ms=$(( (t1 - t0) / 1000000 ))
        if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
        i=$((i + 1))
    done
    printf '%d.%03d' $((b / 1000)) $((b % 1000))
}

ALL="--from 1900-01-01 --to $AS_OF"
echo "database: $BENCH_DB, as of $AS_OF"
echo "referrals: $(total $ALL) in all, $(total) in the academic year of $AS_OF"
printf '%-12s %14s %14s\n' report "year (s)" "all (s)"
for r in summary suspensions attendance cme admissions; do
    # one untimed run so that every report starts from a warm page cache
    "$CASELOAD" --db "$BENCH_DB" --as-of "$AS_OF" report "$r" >/dev/null
    printf '%-12s %14s %14s\n' "$r" "$(best "$r")" "$(best "$r" $ALL)"
done
