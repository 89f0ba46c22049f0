#!/bin/sh
# bench_sync.sh [BUILD] [N] [ROUNDS] [BEFORE]: offline copies at the size of issue 9. A hub of N referrals
# (default 100,000) makes a laptop copy; the laptop makes 10,000 changes (5,000 new actions, 5,000
# referral edits) of which 100 clash with edits the hub made to the same field meanwhile. Times:
# making the laptop's pack, applying it on the hub, the longest wait of a desk user's write while
# it applied (a second process makes a small write every 10 ms, retrying a busy lock as caseload's
# busy handler does: every 2 ms ten times, then every 20 ms; its longest wait is how long the
# write lock was held at a time, as a desk user sees it), the hub's reply pack and applying it on
# the laptop; and, in the same run, importing the same 5,000 actions as CSV into a copy of the hub
# (the baseline the issue compares the apply with; it runs SQLite's quick check first, which the
# apply does not: that check is timed alone too and the ratio given without it as well), then the
# laptop's 5,000 referral edits (with the actions, the same changes as the pack, made by CSV). ROUNDS (default 3) rounds alternate the apply
# and the import, each on fresh copies; the medians come last. BEFORE, a build folder of another
# version (e.g. main's, to measure a change), applies the same pack on a fresh copy in every round
# too, before BUILD's apply, with its own desk user: its figures are labelled "before". Not part
# of the test suite.
#   meson compile -C build && bench/bench_sync.sh build
#   bench/bench_sync.sh build 100000 3 ../main/build
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
n=${2:-100000}
rounds=${3:-3}
before=${4:-}
bin="$build/caseload"
[ -x "$bin" ] || { echo "bench_sync: build $bin first (meson compile -C $build)" >&2; exit 1; }
if [ -n "$before" ]; then
    [ -x "$before/caseload" ] || { echo "bench_sync: no $before/caseload" >&2; exit 1; }
    before=$(cd "$before" && pwd)/caseload
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_sync.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
AS="--as-of 2024-06-01"
export CASELOAD_OFFICER=bench
python3 "$here/gen_referrals.py" "$n" 1 >"$tmp/referrals.csv"
"$bin" --db "$tmp/hub.db" $AS import referrals "$tmp/referrals.csv" >/dev/null
"$bin" --db "$tmp/hub.db" $AS sync checkout "$tmp/laptop.db" --name L2 >/dev/null
# The laptop's work: 5,000 actions on the first 5,000 referrals, the summary of 5,000 referrals
# edited; the hub edits the summary of 100 of those too.
/usr/bin/python3 - "$tmp" <<'PY'
import csv, sys
tmp = sys.argv[1]
rows = list(csv.reader(open(tmp + "/referrals.csv", newline="", encoding="utf-8")))
h, body = rows[0], rows[1:]
s = h.index("summary")
with open(tmp + "/actions.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["ref", "date", "officer", "kind", "note", "follow_up"])
    for r in body[:5000]:
        w.writerow([r[0], "2024-05-20", "AB", "visit", "school visit, spoke to the DSL", "2024-06-10"])
lap, hub = [h], [h]
for i, r in enumerate(body[5000:10000]):
    x = list(r)
    x[s] = r[s] + " - seen at school"
    lap.append(x)
    if i < 100:
        y = list(r)
        y[s] = r[s] + " - phoned the carer"
        hub.append(y)
csv.writer(open(tmp + "/laptop-edits.csv", "w", newline="", encoding="utf-8")).writerows(lap)
csv.writer(open(tmp + "/hub-edits.csv", "w", newline="", encoding="utf-8")).writerows(hub)
PY
"$bin" --db "$tmp/laptop.db" $AS import actions "$tmp/actions.csv" >/dev/null
"$bin" --db "$tmp/laptop.db" $AS import referrals "$tmp/laptop-edits.csv" >/dev/null
"$bin" --db "$tmp/hub.db" $AS import referrals "$tmp/hub-edits.csv" >/dev/null
# The desk user's table, made now (made during the apply, it would change the schema under it).
sqlite3 "$tmp/hub.db" "CREATE TABLE bench_probe(x)"
cp "$tmp/hub.db" "$tmp/hub0.db"
cp "$tmp/laptop.db" "$tmp/laptop0.db"
echo "bench_sync: hub of $n referrals; laptop: 5,000 new actions, 5,000 referral edits, 100 of" \
    "them clashing; $rounds rounds; load: $(cut -d' ' -f1-3 /proc/loadavg)"

timed() { # label, db, args...: runs caseload (or $run), prints wall time and its last line of output
    label=$1
    db=$2
    shift 2
    /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "${run:-$bin}" --db "$db" $AS "$@" >"$tmp/out" 2>"$tmp/err" || {
        cat "$tmp/err" >&2
        exit 1
    }
    read -r wall mem user sys <"$tmp/time"
    cpu=$(echo "$user $sys" | awk '{printf "%.2f", $1 + $2}')
    echo "$label $wall" >>"$tmp/figures"
    echo "$label cpu $cpu" >>"$tmp/figures"
    printf 'bench_sync: %-18s %6s s wall, %s s CPU (%s kB peak): %s\n' "$label" "$wall" "$cpu" \
        "$mem" "$(tail -n 1 "$tmp/out")"
}

# The desk user: a small write every 10 ms, a busy lock retried as caseload's busy handler does.
probe() { # db, stop-file, result-file
    /usr/bin/python3 - "$@" <<'PY' &
import os, sqlite3, sys, time
db, stop, out = sys.argv[1:4]
c = sqlite3.connect(db, timeout=0, isolation_level=None)
longest = 0.0
while not os.path.exists(stop):
    t = time.monotonic()
    tries = 0
    while True:
        try:
            c.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError:
            tries += 1
            time.sleep(0.002 if tries < 10 else 0.02)
    c.execute("INSERT INTO bench_probe VALUES (1)")
    c.execute("DELETE FROM bench_probe")
    c.execute("COMMIT")
    longest = max(longest, time.monotonic() - t)
    time.sleep(0.01)
open(out, "w").write("%.3f\n" % longest)
PY
}

: >"$tmp/figures"
# The pack applied on db by caseload binary while the desk user writes: label prefix, binary, db.
apply_watched() {
    probe "$3" "$tmp/stop" "$tmp/longest"
    sleep 0.3
    run=$2
    timed "${1}hub apply" "$3" sync apply "$tmp/l2.pack"
    run=
    touch "$tmp/stop"
    wait
    rm -f "$tmp/stop"
    echo "${1}longest-wait $(cat "$tmp/longest")" >>"$tmp/figures"
    echo "bench_sync: ${1}longest wait of a desk user's write during the apply:" \
        "$(cat "$tmp/longest") s (goal: 0.5 s)"
}
r=1
while [ "$r" -le "$rounds" ]; do
    rm -f "$tmp/stop" "$tmp"/*.db-wal "$tmp"/*.db-shm
    cp "$tmp/hub0.db" "$tmp/hub.db"
    cp "$tmp/laptop0.db" "$tmp/laptop.db"
    cp "$tmp/hub0.db" "$tmp/baseline.db"
    echo "bench_sync: round $r"
    timed "laptop pack" "$tmp/laptop.db" sync pack "$tmp/l2.pack"
    # BEFORE's apply on a copy of its own, first in odd rounds, second in even ones.
    if [ -n "$before" ]; then
        cp "$tmp/hub0.db" "$tmp/before.db"
        if [ $((r % 2)) -eq 1 ]; then apply_watched "before: " "$before" "$tmp/before.db"; fi
    fi
    apply_watched "" "$bin" "$tmp/hub.db"
    if [ -n "$before" ]; then
        if [ $((r % 2)) -eq 0 ]; then apply_watched "before: " "$before" "$tmp/before.db"; fi
        rm -f "$tmp"/before.db*
    fi
    timed "hub reply pack" "$tmp/hub.db" sync pack "$tmp/reply.pack" --for L2
    timed "laptop apply" "$tmp/laptop.db" sync apply "$tmp/reply.pack"
    timed "same pack again" "$tmp/hub.db" sync apply "$tmp/l2.pack"
    # The import runs SQLite's quick check of the whole database before it writes (nothing is
    # written into a damaged one) and the apply runs none: the same check timed alone, by the
    # same library, so the import can be compared without it too.
    /usr/bin/time -f '%e %U %S' -o "$tmp/time" sqlite3 -readonly "$tmp/baseline.db" \
        "PRAGMA quick_check(3)" >/dev/null
    read -r wall user sys <"$tmp/time"
    cpu=$(echo "$user $sys" | awk '{printf "%.2f", $1 + $2}')
    printf 'quick check %s\nquick check cpu %s\n' "$wall" "$cpu" >>"$tmp/figures"
    printf 'bench_sync: %-18s %6s s wall, %s s CPU (the import runs it before it writes)\n' \
        "quick check" "$wall" "$cpu"
    timed "baseline: import" "$tmp/baseline.db" import actions "$tmp/actions.csv"
    timed "import the edits" "$tmp/baseline.db" import referrals "$tmp/laptop-edits.csv"
    r=$((r + 1))
done
echo "bench_sync: pack size $(wc -c <"$tmp/l2.pack") bytes"
for t in referrals actions; do
    a=$(sqlite3 -readonly "$tmp/hub.db" "SELECT * FROM $t ORDER BY id" | sha256sum | cut -c1-16)
    b=$(sqlite3 -readonly "$tmp/laptop.db" "SELECT * FROM $t ORDER BY id" | sha256sum | cut -c1-16)
    echo "bench_sync: $t digest hub $a laptop $b"
done
echo "bench_sync: open conflicts on the hub: $(sqlite3 -readonly "$tmp/hub.db" \
    "SELECT count(*) FROM conflicts WHERE state = 'open'")"
/usr/bin/python3 - "$tmp/figures" <<'PY'
import statistics, sys
f = {}
for line in open(sys.argv[1]):
    label, v = line.rsplit(" ", 1)
    f.setdefault(label, []).append(float(v))
for k in ["laptop pack", "hub apply", "longest-wait", "hub reply pack", "laptop apply",
          "same pack again", "quick check", "baseline: import", "import the edits"]:
    print("bench_sync: median %-18s %5.2f s (%s)" % (k, statistics.median(f[k]),
                                                   " ".join("%.2f" % x for x in f[k])))
m = {k: statistics.median(v) for k, v in f.items()}
for k in ["hub apply", "quick check", "baseline: import"]:
    print("bench_sync: median CPU %-14s %5.2f s (%s)" % (k, m[k + " cpu"],
                                                       " ".join("%.2f" % x for x in f[k + " cpu"])))
if "before: hub apply" in f:
    for k in ["before: hub apply", "before: longest-wait"]:
        print("bench_sync: median %-18s %5.2f s (%s)" % (k, m[k], " ".join("%.2f" % x for x in f[k])))
    print("bench_sync: median CPU %-14s %5.2f s (%s)" % ("before: apply", m["before: hub apply cpu"],
          " ".join("%.2f" % x for x in f["before: hub apply cpu"])))
    print("bench_sync: before: apply / import %.2f (CPU %.2f), without its quick check %.2f;"
          " longest wait %.2f s"
          % (m["before: hub apply"] / m["baseline: import"],
             m["before: hub apply cpu"] / m["baseline: import cpu"],
             m["before: hub apply"] / (m["baseline: import"] - m["quick check"]),
             m["before: longest-wait"]))
print("bench_sync: apply / import %.2f (CPU %.2f); longest wait %.2f s (goal: apply / import <= 1,"
      " wait <= 0.5 s)" % (m["hub apply"] / m["baseline: import"],
                           m["hub apply cpu"] / m["baseline: import cpu"], m["longest-wait"]))
print("bench_sync: apply / the import without its quick check %.2f (CPU %.2f; the quick check"
      " alone %.2f s)" % (m["hub apply"] / (m["baseline: import"] - m["quick check"]),
                          m["hub apply cpu"] / (m["baseline: import cpu"] - m["quick check cpu"]),
                          m["quick check"]))
print("bench_sync: apply / the same changes imported as CSV (the actions, then the referral edits) %.2f"
      % (m["hub apply"] / (m["baseline: import"] + m["import the edits"])))
PY
