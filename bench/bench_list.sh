#!/bin/sh
# bench_list: the whole `caseload list --limit 50` process (start, open, score check, one keyset
# page, print, exit) on a database, run RUNS times after one warm-up; prints the median and worst
# wall time and the peak resident memory. Build a big database once and reuse it, e.g.
#   caseload --db /tmp/big.db --as-of 2022-03-01 demo --children 250000   (about 1,000,000 referrals)
# usage: bench/bench_list.sh CASELOAD DATABASE [RUNS] [extra list options...]
set -eu
bin=$1
db=$2
runs=${3:-21}
shift 2
[ $# -gt 0 ] && shift
as_of=2022-03-01
"$bin" --db "$db" --as-of $as_of list --limit 50 "$@" >/dev/null # warm-up (and score refresh)
times=""
for i in $(seq "$runs"); do
    t0=$(date +%s%N)
    "$bin" --db "$db" --as-of $as_of list --limit 50 "$@" >/dev/null
    t1=$(date +%s%N)
    times="$times $(((t1 - t0) / 1000))"
done
echo "$times" | tr ' ' '\n' | grep . | sort -n | awk -v runs="$runs" '
    { t[NR] = $1 }
    END { printf "caseload list --limit 50: median %.1f ms, worst %.1f ms over %d runs\n",
          t[int((NR + 1) / 2)] / 1000, t[NR] / 1000, runs }'
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "peak resident memory: %M kB" "$bin" --db "$db" --as-of $as_of list --limit 50 "$@" \
        2>&1 >/dev/null | tail -1
fi
