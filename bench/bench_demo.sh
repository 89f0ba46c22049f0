#!/bin/sh
# bench_demo.sh [BUILD] [N]: times `caseload demo` (the default 400 children, then N children,
# default 100,000) into fresh databases, and the same demo again (every row already there).
# Not part of the test suite.   meson compile -C build && bench/bench_demo.sh build
set -eu
build=${1:-build}
n=${2:-100000}
bin="$build/caseload"
[ -x "$bin" ] || { echo "bench_demo: build $bin first (meson compile -C $build)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "bench_demo: load: $(cut -d' ' -f1-3 /proc/loadavg)"
for children in 400 "$n"; do
    for run in fresh again; do
        /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$bin" --db "$tmp/$children.db" \
            --as-of 2025-11-20 demo --children "$children" >"$tmp/out"
        read -r wall user sys mem <"$tmp/time"
        printf 'bench_demo: %7s children, %-5s %s s wall (%s s user, %s s system, %s kB peak)\n' \
            "$children" "$run" "$wall" "$user" "$sys" "$mem"
    done
    sed 's/^/bench_demo:   /' "$tmp/out"
done
