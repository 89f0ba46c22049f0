#!/bin/sh
# bench_import_ratio.sh [N] [RUNS] BUILD...: the import's speed as a ratio (issue 8's decision on
# issue 2's budget: at most 2x). Makes N referrals (default 100,000, each with its own new child;
# bench/gen_referrals.py) and, RUNS times (default 5), imports them into a fresh database with
# each BUILD's caseload and with BUILD's bench/baseline_import (a plain SQLite program inserting
# the same rows into the same tables with the same indexes, no derived state), in turn and in a
# rotating order so that a busy period falls on each alike. Prints each one's median wall time
# and CPU time (user + system) and its ratio to the baseline's. Several BUILDs compare builds in
# the same session (e.g. before and after a change). Not part of the test suite.
#   meson compile -C build && bench/bench_import_ratio.sh 100000 5 build
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=${1:-100000}
runs=${2:-5}
shift 2 || true
[ $# -gt 0 ] || set -- build
for b in "$@"; do
    [ -x "$b/caseload" ] || { echo "bench_import_ratio: build $b/caseload first" >&2; exit 1; }
done
base="$1/bench/baseline_import"
[ -x "$base" ] || { echo "bench_import_ratio: build $base first" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_import_ratio.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 "$here/gen_referrals.py" "$n" 1 >"$tmp/referrals.csv"
echo "bench_import_ratio: $n referrals, $(wc -c <"$tmp/referrals.csv") bytes, $runs runs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$tmp/times"
first=$1
order="baseline $*"
k=0
for i in $(seq "$runs"); do
    # Each run starts with the next program: a busy period falls on each alike.
    set -- $order
    head=$1
    shift
    order="$* $head"
    for p in $order; do
        k=$((k + 1))
        db="$tmp/db$k.db"
        # An empty database with caseload's schema (not timed).
        if [ "$p" = baseline ]; then mk="$first/caseload"; else mk="$p/caseload"; fi
        "$mk" --db "$db" --as-of 2024-06-01 list >/dev/null
        if [ "$p" = baseline ]; then
            /usr/bin/time -f '%e %U %S' -o "$tmp/t" "$base" "$db" "$tmp/referrals.csv" >/dev/null
        else
            /usr/bin/time -f '%e %U %S' -o "$tmp/t" "$p/caseload" --db "$db" --as-of 2024-06-01 \
                import referrals "$tmp/referrals.csv" >/dev/null
        fi
        echo "$p $(cat "$tmp/t")" >>"$tmp/times"
        rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
    done
done
python3 - "$tmp/times" <<'PY'
import statistics, sys
t = {}
order = []
for line in open(sys.argv[1]):
    p, wall, user, sys_ = line.split()
    if p not in t:
        t[p] = []
        order.append(p)
    t[p].append((float(wall), float(user) + float(sys_)))
def med(p, i):
    return statistics.median(x[i] for x in t[p])
bw, bc = med('baseline', 0), med('baseline', 1)
for p in order:
    w, c = med(p, 0), med(p, 1)
    print('bench_import_ratio: %-28s wall median %6.2f s (%s)  cpu median %6.2f s  ratio %.2f wall, %.2f cpu'
          % (p, w, ' '.join('%.2f' % x[0] for x in t[p]), c, w / bw, c / bc))
PY
