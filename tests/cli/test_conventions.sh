#!/bin/sh
# test_conventions: what a command-line tool is expected to do (issue 10, "Conventions"): bash
# completion of commands, options, kinds, report names, formats and codes (data/caseload.bash,
# sourced in bash, its function called as bash would); --help and --version exit 74 when
# standard output cannot be written; an unknown command gets one line with "did you mean"; the
# man page has a parseable date and no hyphenation.
. "$SOURCE_ROOT/tests/cli/lib.sh"

BIN=$(dirname "$CASELOAD")
# Completes the words given (the last one being typed); prints the candidates, one a line.
complete_words() {
    PATH="$BIN:$PATH" bash -c '
        . "$1"
        shift
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
        _caseload caseload "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}"' complete "$SOURCE_ROOT/data/caseload.bash" "$@"
}
offers() { # DESC WANT WORDS...: the candidates include every word of WANT
    desc=$1
    want=$2
    shift 2
    got=$(complete_words "$@" | sort | tr '\n' ' ')
    missing=""
    for w in $want; do
        case " $got" in *" $w "*) ;; *) missing="$missing $w" ;; esac
    done
    if [ -z "$missing" ]; then t_ok "$desc"; else t_notok "$desc" "missing:$missing" "got: $got"; fi
}
offers_exactly() { # DESC WANT WORDS...
    desc=$1
    want=$2
    shift 2
    got=$(complete_words "$@" | sort | tr '\n' ' ')
    if [ "$got" = "$want" ]; then t_ok "$desc"; else t_notok "$desc" "got: $got" "expected: $want"; fi
}
check_true "the completion script is valid bash" bash -n "$SOURCE_ROOT/data/caseload.bash"
offers "commands" "demo import export list score report upn calendar check-config" caseload ""
offers_exactly "commands by their start" "report " caseload rep
offers "global options" "--db --config --as-of --help --version" caseload --
offers "export's options" "--format --excel -o --force" caseload export referrals -
offers_exactly "export's kinds" "actions attendance children episodes exclusions outcomes referrals " \
    caseload export ""
offers_exactly "import's kinds by their start" "episodes exclusions " caseload import e
offers_exactly "export --format's values" "csv json xlsx " caseload export referrals --format ""
offers_exactly "report names" "admissions attendance cme summary suspensions " caseload report ""
offers_exactly "report --format's values" "csv json md text xlsx " caseload report cme --format ""
offers "list --issue's codes" "attendance cme exclusion admissions sen reduced_timetable ehe neet other" \
    caseload list --issue ""
offers_exactly "list --status's codes" "closed new open " caseload list --status ""
offers_exactly "list --band's values" "amber green red " caseload list --band ""
offers_exactly "list --cohort's values" "current ever6 out " caseload list --cohort ""
offers_exactly "calendar's subcommands" "days year-group " caseload calendar ""
offers "after a global option and its value" "--issue --band --format" caseload --db x.db list --
offers_exactly "export: options only once a - is typed" "--excel --force --format --help -o " caseload export referrals ""
offers "list, which takes no operand: its options" "--issue --band" caseload list ""
mkdir "$TMPDIR_T/files" && touch "$TMPDIR_T/files/exported.csv"
offers_exactly "-o completes file names" "$TMPDIR_T/files/exported.csv " \
    caseload export referrals -o "$TMPDIR_T/files/exp"
offers_exactly "import's FILE completes file names" "$TMPDIR_T/files/exported.csv " \
    caseload import referrals "$TMPDIR_T/files/exp"
# meson installs it where bash-completion's pkg-config says.
if pkg-config --exists bash-completion 2>/dev/null; then
    dest=$(DESTDIR="$TMPDIR_T/inst" meson install -C "$(dirname "$CASELOAD")" --no-rebuild \
        --only-changed 2>/dev/null | sed -n 's/^Installing .*caseload.bash to //p')
    check_true "meson installs it into bash-completion's completionsdir ($dest)" \
        sh -c "echo '$dest' | grep -q 'bash-completion/completions\$'"
fi

# --help and --version when standard output cannot be written: 74, and why.
if [ -w /dev/full ]; then
    for args in --help --version "export --help" "report --help"; do
        # shellcheck disable=SC2086
        "$CASELOAD" $args >/dev/full 2>"$ERR"
        RC=$?
        check_rc 74 "caseload $args >/dev/full exits 74"
        check_err_has "writing to standard output failed: No space left on device" "$args: and says why"
    done
fi

# An unknown command: one line, with "did you mean" when one is close.
run lsit
check_rc 2 "an unknown command exits 2"
check_true "in one line" test "$(wc -l <"$ERR")" -eq 1
check_err_has "caseload: unknown command 'lsit' (did you mean 'list'?)" "naming the likely command"
run frobnicate
check_true "with nothing close: one line too" test "$(wc -l <"$ERR")" -eq 1
check_err_has "unknown command 'frobnicate'; caseload --help lists the commands" "pointing at --help"

# The man page: a date a program can parse, and no hyphenation.
th=$(sed -n 's/^\.TH [^ ]* [0-9] \([^ ]*\) .*/\1/p' "$SOURCE_ROOT/caseload.1")
check_true "the man page's .TH date is YYYY-MM-DD ($th)" date -d "$th" +%F
check_true "the man page's .TH date is YYYY-MM-DD" sh -c "echo '$th' | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}\$'"
check_true "hyphenation is off before .TH reads it (.nr HY 0)" \
    sh -c "sed -n '1,/^\\.TH/p' '$SOURCE_ROOT/caseload.1' | grep -qx '.nr HY 0'"
if command -v groff >/dev/null 2>&1; then
    check_true "no word is hyphenated at a line end" \
        sh -c "! groff -man -Tascii -P-cbou '$SOURCE_ROOT/caseload.1' 2>/dev/null | grep -q '[a-z]-\$'"
fi
finish
