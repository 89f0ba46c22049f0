#!/bin/sh
# test_config: `caseload check-config` and how the configuration is found (SPEC section 4):
# valid files, every kind of error with its exact message, missing files, the environment and
# --config precedence, and the built-in defaults when there is no file.
. "$SOURCE_ROOT/tests/cli/lib.sh"
# File names in messages are as given: run from the fixtures folder so they are short and stable.
cd "$DATA" || exit 1
A="--as-of 2025-01-15"

# check_err NAME DESC: stderr equals tests/cli/expected/NAME (UPDATE_EXPECTED=1 rewrites it)
check_err() {
    cp "$ERR" "$OUT"
    check_out "$@"
}

# A valid file: the effective configuration on stdout, nothing on stderr.
run $A check-config config-valid.yaml
check_rc 0 "valid file: exit 0"
check_out config-valid.out "valid file: effective configuration printed"
check_err_empty "valid file: nothing on stderr"

# What check-config prints loads back to the same configuration (and prints the same again).
tail -n +2 "$OUT" >"$TMPDIR_T/written.yaml"
run $A check-config "$TMPDIR_T/written.yaml"
check_rc 0 "printed configuration is valid"
tail -n +2 "$OUT" >"$TMPDIR_T/written2.yaml"
check_true "printed configuration loads back to the same values" \
    cmp "$TMPDIR_T/written.yaml" "$TMPDIR_T/written2.yaml"

# No file anywhere: the built-in defaults, which equal config.example.yaml.
run $A check-config
check_rc 0 "no configuration file: exit 0"
check_out config-defaults.out "no configuration file: the built-in defaults"
tail -n +2 "$OUT" >"$TMPDIR_T/defaults.yaml"
run $A check-config "$SOURCE_ROOT/config.example.yaml"
check_rc 0 "config.example.yaml is valid"
tail -n +2 "$OUT" >"$TMPDIR_T/example.yaml"
check_true "config.example.yaml equals the built-in defaults" \
    cmp "$TMPDIR_T/defaults.yaml" "$TMPDIR_T/example.yaml"

check_true "every line of config.example.yaml is commented" \
    test -z "$(grep -v '#' "$SOURCE_ROOT/config.example.yaml" | grep -v '^ *$')"

# A weights map replaces the default weights: a factor left out weighs 0.
run $A check-config config-weights.yaml
check_rc 0 "weights map: exit 0"
check_out_has "    cme: 7 " "weights map: the given weight"
check_out_has "    ehe: 0 " "weights map: a factor left out weighs 0"
check_out_has "    suspensions: 5 " "weights map: caps keep their defaults"
check_out_has "    - { from: 2024-09-02, to: 2024-10-25 }" "weights map: calendar keeps its default"

# Each kind of error, with its exact message; nothing on stdout.
run $A check-config config-typo.yaml
check_rc 78 "unknown factor: exit 78"
check_err_has "config-typo.yaml:4:5: unknown factor 'cmee' (did you mean 'cme'?)" \
    "unknown factor: did you mean"
check_true "bad configuration: nothing on stdout" test ! -s "$OUT"

printf 'scoring:\n  red: 30\n' >"$TMPDIR_T/misplaced.yaml"
run $A check-config "$TMPDIR_T/misplaced.yaml"
check_rc 78 "misplaced key: exit 78"
check_err_has "misplaced.yaml:2:3: unknown key 'red' (it belongs under 'scoring.bands')" \
    "misplaced key: says where it belongs"

run $A check-config config-bands.yaml
check_rc 78 "amber above red: exit 78"
check_err_has "config-bands.yaml:4:12: amber (30) must not be above red (20)" \
    "amber above red: names the line of amber"

run $A check-config config-date.yaml
check_rc 78 "impossible date: exit 78"
check_err_has "config-date.yaml:5:7: '2022-02-30' is not a date (YYYY-MM-DD)" \
    "impossible date 2022-02-30 named with line and column"

run $A check-config config-syntax.yaml
check_rc 78 "YAML syntax error: exit 78"
check_err_has "config-syntax.yaml:4:4: YAML syntax error: did not find expected key" \
    "YAML syntax error: libyaml's problem with line and column"

run $A check-config config-errors.yaml
check_rc 78 "many errors: exit 78"
check_err config-errors.err "many errors: every one reported, in order, exactly"

# Missing or unreadable files: 66.
run $A check-config nothere.yaml
check_rc 66 "missing file: exit 66"
check_err_has "nothere.yaml: cannot read: No such file or directory" "missing file: message"
run $A check-config "$TMPDIR_T"
check_rc 66 "a folder: exit 66"

# Nested 100,000 deep: refused at once (libyaml alone takes half a minute; a timeout fails).
{
    printf 'scoring:\n  weights: '
    head -c 100000 /dev/zero | tr '\0' '['
    head -c 100000 /dev/zero | tr '\0' ']'
    echo
} >"$TMPDIR_T/deep.yaml"
timeout 10 "$CASELOAD" $A check-config "$TMPDIR_T/deep.yaml" >"$OUT" 2>"$ERR" </dev/null
RC=$?
check_rc 78 "nested 100,000 deep: exit 78 within 10 s (124: timed out)"
check_err_has "deep.yaml:2:74: nested deeper than 64 levels" "nested 100,000 deep: where, and why"
timeout 10 "$CASELOAD" $A --config "$TMPDIR_T/deep.yaml" list >"$OUT" 2>"$ERR" </dev/null
RC=$?
check_rc 78 "nested 100,000 deep: list stops with 78 within 10 s too"

# Larger than 4 MB: not a configuration (78), not an unreadable file (66).
head -c 4194305 /dev/zero | tr '\0' '#' >"$TMPDIR_T/huge.yaml"
run $A check-config "$TMPDIR_T/huge.yaml"
check_rc 78 "file over 4 MB: exit 78"
check_err_has "huge.yaml: larger than 4194304 bytes (4 MB): too large for a configuration file" \
    "file over 4 MB: says so"

# Bad usage: 2.
run $A check-config config-valid.yaml config-typo.yaml
check_rc 2 "two files: usage"
run $A check-config --strict
check_rc 2 "unknown option: usage"
check_err_has "caseload: usage: caseload check-config [FILE]" "unknown option: usage printed"
run $A check-config --help
check_rc 0 "--help: exit 0"
check_out_has "usage: caseload check-config [FILE]" "--help: usage on stdout"

# Where the configuration comes from: --config, else $CASELOAD_CONFIG, else
# $XDG_CONFIG_HOME/caseload/config.yaml, else ~/.config/caseload/config.yaml.
CASELOAD_CONFIG=config-valid.yaml run $A check-config
check_rc 0 "\$CASELOAD_CONFIG: exit 0"
check_out_has "# caseload configuration read from config-valid.yaml" "\$CASELOAD_CONFIG is read"

CASELOAD_CONFIG=nothere.yaml run $A check-config
check_rc 66 "\$CASELOAD_CONFIG naming a missing file: exit 66"

mkdir -p "$XDG_CONFIG_HOME/caseload"
cp config-weights.yaml "$XDG_CONFIG_HOME/caseload/config.yaml"
run $A check-config
check_rc 0 "\$XDG_CONFIG_HOME: exit 0"
check_out_has "read from $XDG_CONFIG_HOME/caseload/config.yaml" "\$XDG_CONFIG_HOME/caseload/config.yaml is read"
check_out_has "    cme: 7 " "\$XDG_CONFIG_HOME file's values in effect"

CASELOAD_CONFIG=config-valid.yaml run $A check-config
check_out_has "read from config-valid.yaml" "\$CASELOAD_CONFIG wins over \$XDG_CONFIG_HOME"

CASELOAD_CONFIG=config-typo.yaml run $A --config config-valid.yaml check-config
check_rc 0 "--config wins over \$CASELOAD_CONFIG"
check_out_has "read from config-valid.yaml" "--config file is the one read"

run $A check-config --config config-typo.yaml config-valid.yaml
check_rc 0 "check-config FILE wins over --config"

run $A --config=config-typo.yaml check-config
check_rc 78 "--config=FILE form is read"

mkdir -p "$HOME/.config/caseload"
cp config-bands.yaml "$HOME/.config/caseload/config.yaml"
rm -rf "$XDG_CONFIG_HOME/caseload"
XDG_CONFIG_HOME= run $A check-config
check_rc 78 "no \$XDG_CONFIG_HOME: ~/.config/caseload/config.yaml is read"
check_err_has "$HOME/.config/caseload/config.yaml:4:12: amber (30)" \
    "~/.config file: errors name its full path"
run $A check-config
check_rc 0 "\$XDG_CONFIG_HOME set: ~/.config is not consulted"
rm -rf "$HOME/.config/caseload"

# The configuration reaches the commands: the calendar of config-valid.yaml has a term starting
# 2021-09-02 (so 1 September is not a school day); the defaults have no terms for 2021/22.
run $A --config config-valid.yaml calendar days 2021-09-01 2021-09-10
check_rc 0 "calendar days with --config: exit 0"
check_true "calendar days counts on the configured terms" test "$(cat "$OUT")" = 6
run $A calendar days 2021-09-01 2021-09-10
check_true "calendar days on the defaults: every weekday of a year without terms" \
    test "$(cat "$OUT")" = 7

# A bad configuration stops a command before it touches the database.
cat >"$TMPDIR_T/referrals.csv" <<'CSV'
ref,received,source,issue,upn,first_name,last_name,dob,care_status,sen
R1,2025-01-06,school,cme,B801200005001,Amy,Test,2012-03-04,cin,none
CSV
run $A --config config-typo.yaml import referrals "$TMPDIR_T/referrals.csv"
check_rc 78 "import with a bad configuration: exit 78"
check_err_has "config-typo.yaml:4:5: unknown factor 'cmee' (did you mean 'cme'?)" \
    "import with a bad configuration: the error is printed"
check_true "import with a bad configuration: no database created" test ! -e "$CASELOAD_DB"
run $A --config config-bands.yaml list
check_rc 78 "list with a bad configuration: exit 78"
check_true "list with a bad configuration: no database created" test ! -e "$CASELOAD_DB"
run $A --config nothere.yaml score B801200005001
check_rc 66 "score with a missing --config file: exit 66"
check_err_has "nothere.yaml: cannot read: No such file or directory" \
    "missing --config file: message"

finish
