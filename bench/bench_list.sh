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
python3 - "$runs" "$bin" --db "$db" --as-of $as_of list --limit 50 "$@" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    times.append((time.perf_counter() - t0) * 1000)
base = []
for _ in range(runs):  # the cost of starting any process here, for comparison
    t0 = time.perf_counter()
    subprocess.run(['/bin/true'], check=True)
    base.append((time.perf_counter() - t0) * 1000)
print('caseload list --limit 50: median %.1f ms, worst %.1f ms over %d runs '
      '(starting /bin/true: median %.1f ms)' % (statistics.median(times), max(times), runs,
                                                statistics.median(base)))
PY
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "peak resident memory: %M kB" "$bin" --db "$db" --as-of $as_of list --limit 50 "$@" \
        2>&1 >/dev/null | tail -1
fi
