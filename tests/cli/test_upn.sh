#!/bin/sh
# test_upn: `caseload upn check UPN...` (SPEC sections 2 and 5).
. "$SOURCE_ROOT/tests/cli/lib.sh"

run --as-of 2022-03-01 upn check B801200005001
check_rc 0 "a valid UPN exits 0"
check_out upn_valid.out "a valid UPN prints 'UPN valid'"
check_err_empty "nothing on stderr for a valid UPN"

run --as-of 2022-03-01 upn check G80120000101A b801200005001 g80120000101a
check_rc 0 "temporary and lower-case UPNs are valid"
check_out upn_temporary.out "temporary UPNs say so; lower case is shown as typed"

run --as-of 2022-03-01 upn check B801200005001 A801200005001 G80120000101A B80120000500 \
    B8012000050011 'B801 20005001' I801200005001 BA01200005001 G80120000101O B80120000500é ''
check_rc 1 "any invalid UPN exits 1"
check_out upn_mixed.out "one line per UPN with the reason for each invalid one"
check_err_empty "invalid UPNs are results, not errors"

# Control characters typed (or pasted) never reach the terminal.
run --as-of 2022-03-01 upn check "$(printf 'B80120000500\033')" "$(printf '\033[2J')"
check_rc 1 "a UPN with an escape character is invalid"
check_true "no escape character is printed" sh -c "! grep -q \"\$(printf '\\033')\" '$OUT'"
check_out upn_control.out "control characters are shown as '?'"

run --as-of 2022-03-01 upn check -- B801200005001
check_rc 0 "'--' before the UPNs is accepted"
check_out upn_valid.out "'--' is not taken for a UPN"

run --as-of 2022-03-01 upn check
check_rc 2 "no UPN is bad usage"
check_err_has "usage: caseload upn check UPN..." "no UPN prints the usage"

run --as-of 2022-03-01 upn
check_rc 2 "no subcommand is bad usage"
check_err_has "usage: caseload upn check UPN..." "no subcommand prints the usage"

run --as-of 2022-03-01 upn verify B801200005001
check_rc 2 "an unknown subcommand is bad usage"
check_err_has "caseload upn: unknown subcommand 'verify'" "the unknown subcommand is named"

run --as-of 2022-03-01 upn check --strict B801200005001
check_rc 2 "an unknown option is bad usage"
check_err_has "caseload upn: unknown option '--strict'" "the unknown option is named"

run --as-of 2022-03-01 upn check --help
check_rc 0 "--help exits 0"
check_out_has "usage: caseload upn check UPN..." "--help prints the usage on stdout"

# upn check needs neither the database nor the configuration.
run --as-of 2022-03-01 --config "$TMPDIR_T/missing.yaml" upn check B801200005001
check_rc 0 "upn check does not read the configuration"
check_true "upn check creates no database" test ! -e "$CASELOAD_DB"

finish
