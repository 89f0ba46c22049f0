#!/bin/sh
# bench_reports.sh [BUILD_DIR]: times each report of SPEC section 7 on a database of about a million
# referrals (`caseload demo --children 250000`, made once and kept in $BENCH_DB), for the default
# period (the academic year of --as-of) and for every referral in the database. Prints the best of
# $RUNS runs of each, in seconds: wall clock, and CPU time (user + system) of the whole command
# (start-up, open, query, render); on a shared, busy machine the CPU time is the steadier figure.
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
TIMES=$(mktemp)
trap 'rm -f "$TIMES"' EXIT

if [ ! -f "$BENCH_DB" ]; then
    echo "making $BENCH_DB: demo --children $CHILDREN (once; takes a while)"
    t0=$(now)
    "$CASELOAD" --db "$BENCH_DB" --as-of "$AS_OF" demo --children "$CHILDREN" >/dev/null
    t1=$(now)
    echo "  made in $(( (t1 - t0) / 1000000 )) ms"
fi

total() { # period options...: the number of referrals received in the period
    "$CASELOAD" --db "$BENCH_DB" --as-of "$AS_OF" report summary "$@" --format csv |
        awk -F, '$NF == "referrals.total" { print $4 }'
}

best() { # report, period options...: "WALL CPU", the best of $RUNS runs each, in seconds
    r=$1
    shift
    i=0
    : >"$TIMES"
    while [ "$i" -lt "$RUNS" ]; do
        /usr/bin/time -a -o "$TIMES" -f '%e %U %S' \
            "$CASELOAD" --db "$BENCH_DB" --as-of "$AS_OF" report "$r" "$@" --format json >/dev/null
        i=$((i + 1))
    done
    awk 'NR == 1 || $1 < w { w = $1 } NR == 1 || $2 + $3 < c { c = $2 + $3 }
         END { printf "%.2f %.2f", w, c }' "$TIMES"
}

ALL="--from 1900-01-01 --to $AS_OF"
echo "database: $BENCH_DB, as of $AS_OF"
echo "referrals: $(total $ALL) in all, $(total) in the academic year of $AS_OF"
printf '%-12s %18s %18s\n' report "year: wall cpu" "all: wall cpu"
for r in summary suspensions attendance cme admissions; do
    # one untimed run so that every report starts from a warm page cache
    "$CASELOAD" --db "$BENCH_DB" --as-of "$AS_OF" report "$r" >/dev/null
    printf '%-12s %18s %18s\n' "$r" "$(best "$r")" "$(best "$r" $ALL)"
done
