#!/bin/sh
# bench_import.sh [BUILD] [N]: imports N referrals (default 100,000, each with its own new child)
# into a fresh database and reports the wall time of the whole process (checking every row,
# writing in one transaction, the scores of the children touched). Then imports the same file
# again (everything unchanged) and times that too. Not part of the test suite.
#   meson compile -C build && bench/bench_import.sh build
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
n=${2:-100000}
bin="$build/caseload"
[ -x "$bin" ] || { echo "bench_import: build $bin first (meson compile -C $build)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_import.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 "$here/gen_referrals.py" "$n" 1 >"$tmp/referrals.csv"
echo "bench_import: $n referrals, $(wc -c <"$tmp/referrals.csv") bytes; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in fresh again; do
    /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$bin" --db "$tmp/caseload.db" --as-of 2024-06-01 \
        import referrals "$tmp/referrals.csv" >"$tmp/out" 2>"$tmp/err" || {
        cat "$tmp/err" >&2
        exit 1
    }
    read -r wall user sys mem <"$tmp/time"
    printf 'bench_import: %-5s %s s wall (%s s user, %s s system, %s kB peak): %s\n' "$run" "$wall" \
        "$user" "$sys" "$mem" "$(sed 's/^.*: //' "$tmp/out")"
done
