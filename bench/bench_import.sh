#!/bin/sh
# bench_import.sh [BUILD] [N]: imports N referrals (default 100,000, each with its own new child)
# into a fresh database and reports the wall time of the whole process (checking every row,
# writing in one transaction). So many children change at once (more than 1,000 and a fifth of
# all) that the import recomputes every score in one pass inside its transaction, as of its date:
# the first command after it that shows scores (`list --limit 1`, timed next) finds them current.
# Then the same file is imported again (everything unchanged) and timed too. Not part of the test
# suite.
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
run() { # label, what, command...: runs caseload on the database; prints its times and what it
    # did (what, else the last line of its output)
    label=$1
    what=$2
    shift 2
    /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$bin" --db "$tmp/caseload.db" --as-of 2024-06-01 \
        "$@" >"$tmp/out" 2>"$tmp/err" || {
        cat "$tmp/err" >&2
        exit 1
    }
    read -r wall user sys mem <"$tmp/time"
    printf 'bench_import: %-5s %s s wall (%s s user, %s s system, %s kB peak): %s\n' "$label" "$wall" \
        "$user" "$sys" "$mem" "${what:-$(tail -n 1 "$tmp/out" | sed 's/^.*: //')}"
}
run fresh "" import referrals "$tmp/referrals.csv"
run next "list --limit 1, the first screen after the import" list --limit 1
run again "" import referrals "$tmp/referrals.csv"
