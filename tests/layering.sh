#!/bin/sh
# Keeps the layers of ARCHITECTURE.md: <sqlite3.h> only in src/store, curses only in src/tui,
# nothing in src/core that does I/O or talks to SQLite, curses or YAML. Prints TAP.
cd "$1" || exit 1
n=0
fail=0
check() { # description, offending files
    n=$((n + 1))
    if [ -z "$2" ]; then echo "ok $n - $1"; else echo "not ok $n - $1: $2"; fail=1; fi
}
check "sqlite3.h only in src/store" \
    "$(grep -rlE '#include[[:space:]]*<sqlite3\.h>' src include | grep -v '^src/store/' | tr '\n' ' ')"
check "curses only in src/tui" \
    "$(grep -rlE '#include[[:space:]]*<(n?cursesw?(/curses)?\.h|ncursesw/)' src include | grep -v '^src/tui/' | tr '\n' ' ')"
check "src/core does no I/O" \
    "$(grep -rlE '#include[[:space:]]*<(stdio|sqlite3|curses|ncurses|yaml|unistd|fcntl)\.h>' src/core | tr '\n' ' ')"
check "yaml only in src/app/config_parse.c (the configuration's reader)" \
    "$(grep -rlE '#include[[:space:]]*<yaml\.h>' src include | grep -v '^src/app/config_parse\.c$' | tr '\n' ' ')"
echo "1..$n"
exit $fail
