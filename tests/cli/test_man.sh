#!/bin/sh
# test_man: the man page caseload.1 renders without warnings and documents every command and
# option that `caseload --help` lists, every environment variable and every exit code.
. "$SOURCE_ROOT/tests/cli/lib.sh"
MAN="$SOURCE_ROOT/caseload.1"
TEXT="$TMPDIR_T/caseload.txt"

if command -v groff >/dev/null 2>&1; then
    groff -man -ww -z "$MAN" >"$ERR" 2>&1
    RC=$?
    check_rc 0 "groff renders caseload.1"
    check_err_empty "groff gives no warnings"
    groff -man -Tascii -P-cbou "$MAN" 2>/dev/null >"$TEXT"
else
    # No groff: check the source text instead (roff escapes removed).
    sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/^\.[A-Z]* //' "$MAN" >"$TEXT"
fi

run --as-of 2025-01-15 --help
check_rc 0 "caseload --help"
# Commands: the first word of each usage line of --help ("  import KIND FILE ...").
for name in $(sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' "$OUT" | sort -u); do
    check_true "man page documents 'caseload $name'" grep -q "caseload $name" "$TEXT"
done
# Options: every --option in --help.
for opt in $(grep -o -- '--[a-z][a-z-]*' "$OUT" | sort -u); do
    check_true "man page documents $opt" grep -q -- "$opt" "$TEXT"
done
# Each command's own --help: fits an 80-column terminal and explains every option of its usage.
check_true "caseload --help fits 80 columns" awk 'length($0) > 80 { exit 1 }' "$OUT"
for name in $(sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' "$OUT" | sort -u); do
    run --as-of 2025-01-15 "$name" --help
    check_rc 0 "caseload $name --help"
    check_true "caseload $name --help fits 80 columns" awk 'length($0) > 80 { exit 1 }' "$OUT"
    for opt in $(sed -n '1,/^$/p' "$OUT" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        check_true "caseload $name --help explains $opt" grep -qE -- "^  $opt " "$OUT"
    done
done
# sync's subcommands (SPEC section 9, and revoke): each in the man page, in sync's --help, and
# each answering --help.
for sub in checkout pack apply with status conflicts resolve revoke; do
    check_true "man page documents 'caseload sync $sub'" grep -q "caseload sync $sub" "$TEXT"
    run --as-of 2025-01-15 sync $sub --help
    check_rc 0 "caseload sync $sub --help"
    check_true "caseload sync $sub --help explains $sub" grep -qE -- "^  $sub " "$OUT"
done
run --as-of 2025-01-15 --help
for opt in --db --config --as-of --help --version; do
    check_true "man page documents global option $opt" grep -q -- "$opt" "$TEXT"
done
for var in CASELOAD_DB CASELOAD_CONFIG XDG_CONFIG_HOME XDG_DATA_HOME CASELOAD_OFFICER NO_COLOR \
    CASELOAD_BUSY_TIMEOUT_MS; do
    check_true "man page documents \$$var" grep -q "$var" "$TEXT"
done
for code in 0 1 2 65 66 74 75 78; do
    check_true "man page documents exit status $code" grep -qE "^ +$code( |\$)" "$TEXT"
done

finish
