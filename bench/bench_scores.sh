#!/bin/sh
# bench_scores.sh [BUILD] [N]: the full recompute of every score after a weight changes (issue 2:
# 100,000 children in <= 3 s). Fills a database with `caseload demo --children N` (default 100,000
# children, about 400,000 referrals; kept in $BENCH_SCORES_DB when set, so it is made only once),
# then alternates two configurations that differ in one weight (cme: about one child in eight
# changes score; then cin_plan: about one in three) and times the whole `caseload
# score` process, whose first step is the refresh (read every child's facts, write the changed
# scores to children and referrals, one transaction). Also times a run with nothing to recompute.
# Not part of the test suite.   meson compile -C build && bench/bench_scores.sh build
set -eu
build=${1:-build}
n=${2:-100000}
bin="$build/caseload"
[ -x "$bin" ] || { echo "bench_scores: build $bin first (meson compile -C $build)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_scores.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
db=${BENCH_SCORES_DB:-$tmp/caseload.db}
as_of=2025-11-20
if [ ! -s "$db" ]; then
    echo "bench_scores: making a demo caseload of $n children in $db (once) ..."
    "$bin" --db "$db" --as-of $as_of demo --children "$n" >/dev/null
fi
child=$("$bin" --db "$db" --as-of $as_of export children | sed -n '2s/^[^,]*,\([^,]*\),.*/\1/p')
weights() { # cme weight, cin_plan weight -> a configuration file
    cat <<YAML
scoring:
  weights: {cme: $1, ehe: 6, part_time: 6, alternative_provision: 4, attendance_below_50: 8,
            attendance_below_90: 4, suspensions: 2, permanent_exclusion: 10, pex_risk: 8,
            youth_justice: 6, ehcp: 3, ehcp_in_progress: 2, sen_support: 1, cp_plan: 5,
            cin_plan: $2, looked_after: 4}
YAML
}
weights 10 3 >"$tmp/a.yaml"
weights 12 3 >"$tmp/b.yaml"
weights 10 4 >"$tmp/c.yaml"
"$bin" --db "$db" --config "$tmp/a.yaml" --as-of $as_of score "$child" >/dev/null # current for a
echo "bench_scores: $("$bin" --db "$db" --as-of $as_of export children | tail -n +2 | wc -l) children," \
    "$("$bin" --db "$db" --as-of $as_of export referrals | tail -n +2 | wc -l) referrals;" \
    "load: $(cut -d' ' -f1-3 /proc/loadavg)"
timed() { # label, config
    /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$bin" --db "$db" --config "$2" --as-of $as_of \
        score "$child" >/dev/null
    read -r wall user sys <"$tmp/time"
    printf 'bench_scores: %-28s %s s wall (%s s user, %s s system)\n' "$1" "$wall" "$user" "$sys"
}
for i in 1 2 3; do
    timed "cme weight 10 -> 12:" "$tmp/b.yaml"
    timed "cme weight 12 -> 10:" "$tmp/a.yaml"
done
timed "cin_plan 3 -> 4 (a third):" "$tmp/c.yaml"
timed "cin_plan 4 -> 3:" "$tmp/a.yaml"
timed "nothing to recompute:" "$tmp/a.yaml"
