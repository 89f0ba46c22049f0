#!/bin/sh
# Opening the app where it cannot draw (issue 10, "Conventions"): TERM=dumb, a terminal type
# terminfo does not know, or no TERM at all give one clear line and exit 2, not a blank screen.
. "$SOURCE_ROOT/tests/tui/lib.sh"
"$CASELOAD" --as-of "$AS_OF" list --limit 0 >/dev/null

n=0
for term in dumb no-such-terminal-xyz ""; do
    n=$((n + 1))
    tmux -L "$SOCK-$n" -f /dev/null new-session -d -s t -x 400 -y 10 \
        "env TERM='$term' '$CASELOAD' --as-of $AS_OF 2>&1; echo exit=\$?; sleep 600"
    i=0
    while [ $i -lt 100 ]; do
        tmux -L "$SOCK-$n" capture-pane -p -t t >"$SCREEN"
        grep -q "exit=" "$SCREEN" && break
        sleep 0.1
        i=$((i + 1))
    done
    tmux -L "$SOCK-$n" kill-server 2>/dev/null
    label=${term:-unset}
    check_true "TERM=$label: exit 2" grep -q "exit=2" "$SCREEN"
    check_true "TERM=$label: one line saying why and what to do" \
        sh -c "[ \$(grep -c . '$SCREEN') -eq 2 ] && grep -q 'set TERM to the terminal' '$SCREEN'"
done
finish
