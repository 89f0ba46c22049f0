# lib.sh: helpers for the screen tests. Each test runs the real binary in a private tmux server
# (tmux -L test$$ -f /dev/null) at a fixed size, types with send-keys and compares capture-pane -p
# with saved screens in tests/tui/expected/ (UPDATE_EXPECTED=1 rewrites them). TAP output.
#
#   fixture                    a fresh database with tests/tui/make_fixture.py's caseload
#   app_start W H [VAR=V...]   starts `caseload --as-of 2022-03-01` in a W x H window (extra
#                              environment for the app); the shell around it prints "exit=N" after
#   keys KEY...                tmux send-keys (names like Enter, Escape, Down, NPage, or text)
#   wait_for TEXT              waits (up to 10 s) until the screen shows TEXT
#   screen_is NAME DESC        the screen equals expected/NAME (waits up to 10 s for it)
#   screen_has TEXT DESC / screen_lacks TEXT DESC
#   check_true DESC CMD...     any command that must succeed
#   app_b_start                a second copy of the app ("app B", 100x30) on the same database
#   b_keys KEY... / b_has TEXT DESC   keys and screen_has for app B
#   app_stop                   ends the tmux server
set -u
: "${CASELOAD:?run through meson test}"
: "${SOURCE_ROOT:?run through meson test}"
EXPECTED="$SOURCE_ROOT/tests/tui/expected"
TMPDIR_T=$(mktemp -d "${TMPDIR:-/tmp}/caseload-tui.XXXXXX")
SOCK="test$$"
APP_N=0
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$TMPDIR_T"' EXIT
. "$SOURCE_ROOT/tests/tap.sh"
export CASELOAD_SEARCH_BUDGET_MS=600000 # short filters are never cut short on a busy machine
SCREEN="$TMPDIR_T/screen"
AS_OF=2022-03-01

fixture() {
    rm -f "$CASELOAD_DB" "$CASELOAD_DB-wal" "$CASELOAD_DB-shm"
    "$CASELOAD" --as-of "$AS_OF" list --limit 0 >/dev/null
    python3 "$SOURCE_ROOT/tests/tui/make_fixture.py" "$CASELOAD_DB"
}

app_start() {
    w=$1
    h=$2
    shift 2
    tmux -L "$SOCK" kill-server 2>/dev/null
    APP_N=$((APP_N + 1))
    SOCK="test$$-$APP_N" # a fresh server each time: a dying one may still hold the old socket
    tmux -L "$SOCK" -f /dev/null new-session -d -s t -x "$w" -y "$h" \
        "env TERM=screen $* '$CASELOAD' --as-of $AS_OF; echo exit=\$?; sleep 600"
    tmux -L "$SOCK" set-option -t t status off >/dev/null
    tmux -L "$SOCK" resize-window -t t -x "$w" -y "$h" 2>/dev/null
    wait_for "$AS_OF"
}

keys() {
    tmux -L "$SOCK" send-keys -t t "$@"
}

paste() { # TEXT (printf escapes allowed): sent as the terminal sends a paste
    tmux -L "$SOCK" send-keys -t t -l "$(printf '\033[200~%b\033[201~' "$1")"
}

capture() {
    tmux -L "$SOCK" capture-pane -p -t t >"$SCREEN"
}

wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        capture
        if grep -qF -- "$1" "$SCREEN"; then return 0; fi
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

screen_is() {
    if [ "${UPDATE_EXPECTED:-}" = 1 ]; then
        sleep 1
        capture
        cp "$SCREEN" "$EXPECTED/$1"
    fi
    if [ ! -f "$EXPECTED/$1" ]; then
        t_notok "$2" "missing $EXPECTED/$1 (run with UPDATE_EXPECTED=1)"
        return
    fi
    i=0
    while [ $i -lt 100 ]; do
        capture
        if cmp -s "$SCREEN" "$EXPECTED/$1"; then
            t_ok "$2"
            return
        fi
        sleep 0.1
        i=$((i + 1))
    done
    t_notok "$2" "screen differs from expected/$1:" "$(diff "$EXPECTED/$1" "$SCREEN" | head -30)"
}

screen_has() {
    if wait_for "$1"; then t_ok "$2"; else t_notok "$2" "screen lacks: $1" "$(cat "$SCREEN")"; fi
}

screen_lacks() {
    sleep 0.3
    capture
    if grep -qF -- "$1" "$SCREEN"; then t_notok "$2" "screen shows: $1"; else t_ok "$2"; fi
}

app_b_start() {
    tmux -L "$SOCK" new-session -d -s b -x 100 -y 30 "env TERM=screen '$CASELOAD' --as-of $AS_OF; sleep 600"
    tmux -L "$SOCK" set-option -t b status off >/dev/null
}

b_keys() {
    tmux -L "$SOCK" send-keys -t b "$@"
}

b_has() {
    i=0
    while [ $i -lt 100 ]; do
        if tmux -L "$SOCK" capture-pane -p -t b | grep -qF -- "$1"; then
            t_ok "$2"
            return
        fi
        sleep 0.1
        i=$((i + 1))
    done
    t_notok "$2" "app B lacks: $1" "$(tmux -L "$SOCK" capture-pane -p -t b)"
}

app_stop() {
    tmux -L "$SOCK" kill-server 2>/dev/null
}

finish() {
    app_stop
    t_plan
}
