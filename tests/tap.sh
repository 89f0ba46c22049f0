# tap.sh: what the shell tests share, sourced by tests/cli/lib.sh and tests/tui/lib.sh after they
# set TMPDIR_T (a fresh folder of the test's own): a private HOME, XDG folders and database inside
# it, so no test reads the user's configuration or database, and the TAP checks.
#
#   t_ok DESC                  one passing check
#   t_notok DESC [LINE...]     one failing check, LINEs (and the head of $ERR when set) as comments
#   check_true DESC CMD...     any command that must succeed
#   t_plan                     prints the plan; its status says whether every check passed
export HOME="$TMPDIR_T/home" XDG_CONFIG_HOME="$TMPDIR_T/config" XDG_DATA_HOME="$TMPDIR_T/data"
export CASELOAD_DB="$TMPDIR_T/caseload.db" CASELOAD_OFFICER=test TZ=UTC LC_ALL=C.UTF-8
unset CASELOAD_CONFIG NO_COLOR
mkdir -p "$HOME"
T_N=0
T_FAIL=0

t_ok() {
    T_N=$((T_N + 1))
    echo "ok $T_N - $1"
}

t_notok() {
    T_N=$((T_N + 1))
    T_FAIL=$((T_FAIL + 1))
    echo "not ok $T_N - $1"
    shift
    for line in "$@"; do printf '%s\n' "$line" | sed 's/^/# /'; done
    if [ -n "${ERR:-}" ] && [ -s "$ERR" ]; then sed -n '1,15s/^/# stderr: /p' "$ERR"; fi
}

check_true() {
    desc=$1
    shift
    if "$@" >/dev/null 2>&1; then t_ok "$desc"; else t_notok "$desc" "failed: $*"; fi
}

t_plan() {
    echo "1..$T_N"
    [ "$T_FAIL" -eq 0 ]
}
