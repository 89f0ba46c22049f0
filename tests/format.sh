#!/bin/sh
# Every C file of the project is as clang-format (the .clang-format at the top) writes it. Prints
# TAP: one check per file; skipped when clang-format is not installed.
cd "$1" || exit 1
if ! command -v clang-format >/dev/null 2>&1; then
    echo "1..0 # SKIP clang-format is not installed"
    exit 0
fi
n=0
fail=0
for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find src include tests bench -name '*.[ch]'); do
    n=$((n + 1))
    if clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "ok $n - $f"
    else
        echo "not ok $n - $f is not clang-formatted (clang-format -i $f)"
        fail=1
    fi
done
echo "1..$n"
exit $fail
