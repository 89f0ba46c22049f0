/* test_config: the YAML configuration (src/app/config.c): defaults equal config.example.yaml,
 * write/load round trips, the merging rules, every kind of error with its exact message, and how
 * the file is found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "caseload/buf.h"
#include "caseload/config.h"
#include "caseload/exitcode.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void assert_config_equal(const config *a, const config *b)
{
    for (int f = 0; f < SCORE_NFACTORS; f++) {
        if (a->scoring.weight[f] != b->scoring.weight[f])
            fail_msg("weight of %s: %d != %d", score_factor_name((score_factor)f),
                     a->scoring.weight[f], b->scoring.weight[f]);
    }
    assert_int_equal(a->scoring.cap_suspensions, b->scoring.cap_suspensions);
    assert_int_equal(a->scoring.red, b->scoring.red);
    assert_int_equal(a->scoring.amber, b->scoring.amber);
    assert_int_equal(a->calendar.nterms, b->calendar.nterms);
    for (size_t i = 0; i < a->calendar.nterms; i++) {
        assert_int_equal(a->calendar.terms[i].from, b->calendar.terms[i].from);
        assert_int_equal(a->calendar.terms[i].to, b->calendar.terms[i].to);
    }
    assert_int_equal(a->calendar.nclosures, b->calendar.nclosures);
    for (size_t i = 0; i < a->calendar.nclosures; i++)
        assert_int_equal(a->calendar.closures[i], b->calendar.closures[i]);
    assert_int_equal(a->retention.rules.years_after_social_work_ended,
                     b->retention.rules.years_after_social_work_ended);
    assert_int_equal(a->retention.rules.years_after_last_activity,
                     b->retention.rules.years_after_last_activity);
    assert_int_equal(a->retention.rules.age, b->retention.rules.age);
    assert_int_equal(a->retention.nholds, b->retention.nholds);
    for (size_t i = 0; i < a->retention.nholds; i++)
        assert_string_equal(a->retention.holds[i], b->retention.holds[i]);
}

static int parse(const char *text, config *c, buf *errors)
{
    buf_reset(errors);
    return config_parse("config.yaml", text, strlen(text), c, errors);
}

/* Parses text, expects EXIT_CONFIG and exactly the given error lines (joined by '\n'). */
static void expect_errors(const char *text, const char *lines)
{
    config c, d;
    buf errors = BUF_INIT;
    int rc = parse(text, &c, &errors);
    if (rc != EXIT_CONFIG || strcmp(buf_str(&errors), lines) != 0)
        fail_msg("rc %d, errors:\n%s\nexpected:\n%s", rc, buf_str(&errors), lines);
    /* A bad file changes nothing: the result is the defaults. */
    config_defaults(&d);
    assert_config_equal(&c, &d);
    assert_string_equal(c.source, "");
    config_free(&c);
    config_free(&d);
    buf_free(&errors);
}

static void defaults_equal_example_file(void **state)
{
    (void)state;
    const char *root = getenv("SOURCE_ROOT");
    assert_non_null(root);
    char path[4096];
    snprintf(path, sizeof path, "%s/config.example.yaml", root);
    config file, def;
    buf errors = BUF_INIT;
    int rc = config_load(path, &file, &errors);
    if (rc != EXIT_OK) fail_msg("%s", buf_str(&errors));
    assert_string_equal(file.source, path);
    config_defaults(&def);
    assert_config_equal(&file, &def);
    config_free(&file);
    config_free(&def);
    buf_free(&errors);
}

static void defaults_weigh_every_factor(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    for (int f = 0; f < SCORE_NFACTORS; f++)
        assert_int_not_equal(c.scoring.weight[f], 0);
    assert_true(c.scoring.amber <= c.scoring.red);
    assert_true(c.calendar.nterms >= 18); /* six half-terms a year for three years */
    assert_true(c.calendar.nclosures > 0);
    assert_string_equal(c.source, "");
    config_free(&c);
}

/* The table's weight keys are the factors of score_factor_name(), in its order. */
static void write_lists_factors_in_order(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    buf out = BUF_INIT;
    config_write(&c, &out);
    const char *p = buf_str(&out);
    for (int f = 0; f < SCORE_NFACTORS; f++) {
        char key[64];
        snprintf(key, sizeof key, "\n    %s: %d ", score_factor_name((score_factor)f),
                 c.scoring.weight[f]);
        const char *at = strstr(p, key);
        if (!at) fail_msg("no line for %s after the previous factor", key + 1);
        p = at + 1;
    }
    assert_non_null(strstr(buf_str(&out), "# caseload configuration: the built-in defaults\n"));
    config_free(&c);
    buf_free(&out);
}

static void roundtrip(const config *c)
{
    buf out = BUF_INIT, errors = BUF_INIT;
    config_write(c, &out);
    config back;
    int rc = config_parse("written.yaml", buf_str(&out), out.len, &back, &errors);
    if (rc != EXIT_OK) fail_msg("%s\n%s", buf_str(&errors), buf_str(&out));
    assert_config_equal(c, &back);
    config_free(&back);
    buf_free(&out);
    buf_free(&errors);
}

static void write_then_load_is_equal(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    roundtrip(&c);
    /* Unusual values: negative weights and bands, zero cap, no terms, no closures. */
    for (int f = 0; f < SCORE_NFACTORS; f++)
        c.scoring.weight[f] = f % 2 ? -f : f * 100;
    c.scoring.cap_suspensions = 0;
    c.scoring.red = -3;
    c.scoring.amber = -7;
    c.calendar.nterms = 0;
    c.calendar.nclosures = 0;
    roundtrip(&c);
    /* One term and one closure, from a file name with a newline (kept out of the comment). */
    c.calendar.nterms = 1;
    c.calendar.terms[0].from = c.calendar.terms[0].to;
    c.calendar.nclosures = 1;
    snprintf(c.source, sizeof c.source, "odd\nname: 1.yaml");
    roundtrip(&c);
    config_free(&c);
}

static void weights_map_replaces_default_weights(void **state)
{
    (void)state;
    config c, d;
    buf errors = BUF_INIT;
    config_defaults(&d);
    assert_int_equal(parse("scoring:\n  weights:\n    cme: 7\n    ehe: -2\n", &c, &errors),
                     EXIT_OK);
    for (int f = 0; f < SCORE_NFACTORS; f++)
        assert_int_equal(c.scoring.weight[f], f == F_CME ? 7 : f == F_EHE ? -2 : 0);
    assert_int_equal(c.scoring.cap_suspensions, d.scoring.cap_suspensions);
    assert_int_equal(c.scoring.red, d.scoring.red);
    assert_int_equal(c.calendar.nterms, d.calendar.nterms);
    assert_string_equal(c.source, "config.yaml");
    config_free(&c);
    /* An empty weights map: every factor weighs 0. */
    assert_int_equal(parse("scoring:\n  weights:\n", &c, &errors), EXIT_OK);
    for (int f = 0; f < SCORE_NFACTORS; f++)
        assert_int_equal(c.scoring.weight[f], 0);
    config_free(&c);
    config_free(&d);
    buf_free(&errors);
}

static void keys_left_out_keep_defaults(void **state)
{
    (void)state;
    config c, d;
    buf errors = BUF_INIT;
    config_defaults(&d);
    assert_int_equal(parse("scoring:\n  bands:\n    red: 40\n", &c, &errors), EXIT_OK);
    assert_int_equal(c.scoring.red, 40);
    assert_int_equal(c.scoring.amber, d.scoring.amber);
    for (int f = 0; f < SCORE_NFACTORS; f++)
        assert_int_equal(c.scoring.weight[f], d.scoring.weight[f]);
    config_free(&c);
    /* Signs, zero, Windows line endings and a UTF-8 byte order mark are fine. */
    assert_int_equal(parse("\xef\xbb\xbfscoring:\r\n  weights:\r\n    cme: +3\r\n    ehe: -0\r\n"
                           "    sen_support: 0\r\n",
                           &c, &errors),
                     EXIT_OK);
    assert_int_equal(c.scoring.weight[F_CME], 3);
    assert_int_equal(c.scoring.weight[F_EHE], 0);
    config_free(&c);
    /* Empty file, a comment only, an explicit null: the defaults. */
    const char *empties[] = {"", "# nothing\n", "~\n", "---\n"};
    for (size_t i = 0; i < sizeof empties / sizeof *empties; i++) {
        assert_int_equal(parse(empties[i], &c, &errors), EXIT_OK);
        assert_config_equal(&c, &d);
        config_free(&c);
    }
    config_free(&d);
    buf_free(&errors);
}

static void calendar_lists_replace_defaults(void **state)
{
    (void)state;
    config c;
    buf errors = BUF_INIT;
    const char *text = "calendar:\n"
                       "  terms:\n"
                       "    - { from: 2021-09-02, to: 2021-10-22 }\n"
                       "    - from: '2021-11-01'\n"
                       "      to: 2021-12-17\n"
                       "  closures: [2022-06-02, 2022-06-03]\n";
    assert_int_equal(parse(text, &c, &errors), EXIT_OK);
    assert_int_equal(c.calendar.nterms, 2);
    char a[11];
    date_format(c.calendar.terms[1].from, a);
    assert_string_equal(a, "2021-11-01");
    date_format(c.calendar.terms[0].to, a);
    assert_string_equal(a, "2021-10-22");
    assert_int_equal(c.calendar.nclosures, 2);
    date_format(c.calendar.closures[1], a);
    assert_string_equal(a, "2022-06-03");
    config_free(&c);
    /* Empty lists: no terms (every weekday counts), no closures. A one-day term is fine. */
    assert_int_equal(parse("calendar:\n  terms: []\n  closures:\n", &c, &errors), EXIT_OK);
    assert_int_equal(c.calendar.nterms, 0);
    assert_int_equal(c.calendar.nclosures, 0);
    config_free(&c);
    assert_int_equal(
        parse("calendar:\n  terms: [{from: 2022-01-04, to: 2022-01-04}]\n", &c, &errors), EXIT_OK);
    assert_int_equal(c.calendar.nterms, 1);
    config_free(&c);
    buf_free(&errors);
}

static void unknown_keys_get_did_you_mean(void **state)
{
    (void)state;
    expect_errors("scoring:\n  weights:\n    cme: 10\n    cmee: 3\n",
                  "config.yaml:4:5: unknown factor 'cmee' (did you mean 'cme'?)\n");
    expect_errors("scoring:\n  weights:\n    CME: 10\n",
                  "config.yaml:3:5: unknown factor 'CME' (did you mean 'cme'?)\n");
    expect_errors("scoring:\n  weights:\n    suspensoins: 1\n",
                  "config.yaml:3:5: unknown factor 'suspensoins' (did you mean 'suspensions'?)\n");
    expect_errors("calender:\n  terms: []\n",
                  "config.yaml:1:1: unknown key 'calender' (did you mean 'calendar'?)\n");
    expect_errors("scoring:\n  bands:\n    redd: 1\n",
                  "config.yaml:3:5: unknown key 'redd' (did you mean 'red'?)\n");
    expect_errors("calendar:\n  terms:\n    - { form: 2022-01-01, to: 2022-03-01 }\n",
                  "config.yaml:3:9: unknown term key 'form' (did you mean 'from'?)\n"
                  "config.yaml:3:7: this term has no 'from'\n");
    /* A key of another place: where it belongs. */
    expect_errors("cme: 10\n",
                  "config.yaml:1:1: unknown key 'cme' (it belongs under 'scoring.weights')\n");
    expect_errors("scoring:\n  suspensions: 2\n  calendar: {}\n",
                  "config.yaml:2:3: unknown key 'suspensions' (it belongs under "
                  "'scoring.weights' or under 'scoring.caps')\n"
                  "config.yaml:3:3: unknown key 'calendar' (it belongs at the top level)\n");
    /* Nothing close: the keys valid there. */
    expect_errors(
        "colour: red\n",
        "config.yaml:1:1: unknown key 'colour' (expected one of scoring, calendar, retention)\n");
    expect_errors("scoring:\n  caps:\n    exclusions: 2\n",
                  "config.yaml:3:5: unknown key 'exclusions' (expected suspensions)\n");
}

static void wrong_types_and_limits(void **state)
{
    (void)state;
    expect_errors(
        "scoring:\n  weights:\n    ehe: ten\n",
        "config.yaml:3:10: expected a whole number for 'scoring.weights.ehe', got 'ten'\n");
    expect_errors(
        "scoring:\n  weights:\n    ehe: 1.5\n",
        "config.yaml:3:10: expected a whole number for 'scoring.weights.ehe', got '1.5'\n");
    expect_errors(
        "scoring:\n  weights:\n    ehe: 010\n",
        "config.yaml:3:10: expected a whole number for 'scoring.weights.ehe', got '010'\n");
    expect_errors(
        "scoring:\n  weights:\n    ehe: 0x10\n",
        "config.yaml:3:10: expected a whole number for 'scoring.weights.ehe', got '0x10'\n");
    expect_errors(
        "scoring:\n  weights:\n    ehe:\n",
        "config.yaml:3:9: expected a whole number for 'scoring.weights.ehe', got nothing\n");
    expect_errors(
        "scoring:\n  weights:\n    ehe: [1]\n",
        "config.yaml:3:10: expected a whole number for 'scoring.weights.ehe', got a list\n");
    expect_errors("scoring:\n  weights:\n    ehe: \"5\"\n",
                  "config.yaml:3:10: expected a whole number for 'scoring.weights.ehe', got the "
                  "quoted text '5' (write numbers without quotes)\n");
    expect_errors("scoring:\n  caps:\n    suspensions: -1\n",
                  "config.yaml:3:18: expected a whole number from 0 to 1000 for "
                  "'scoring.caps.suspensions', got '-1'\n");
    expect_errors("scoring:\n  weights:\n    cme: 99999999999999999999\n",
                  "config.yaml:3:10: expected a whole number for 'scoring.weights.cme', got "
                  "'99999999999999999999'\n");
    expect_errors("scoring: 5\n", "config.yaml:1:10: expected a mapping for 'scoring', got '5'\n");
    expect_errors(
        "- 1\n",
        "config.yaml:1:1: expected a mapping (scoring:, calendar:, retention:), got a list\n");
    expect_errors("calendar:\n  terms: 2022-01-01\n",
                  "config.yaml:2:10: expected a list of terms ({from: DATE, to: DATE}) for "
                  "'calendar.terms', got '2022-01-01'\n");
    expect_errors("calendar:\n  closures: {a: 1}\n",
                  "config.yaml:2:13: expected a list of dates for 'calendar.closures', got a "
                  "mapping\n");
    expect_errors("calendar:\n  terms: [2022-01-01]\n",
                  "config.yaml:2:11: expected a term ({from: DATE, to: DATE}), got '2022-01-01'\n");
}

static void bad_dates(void **state)
{
    (void)state;
    expect_errors("calendar:\n  closures: [2022-06-02, 2022-02-30, 22-6-3]\n",
                  "config.yaml:2:26: '2022-02-30' is not a date (YYYY-MM-DD)\n"
                  "config.yaml:2:38: '22-6-3' is not a date (YYYY-MM-DD)\n");
    expect_errors("calendar:\n  terms:\n    - { from: 2022-02-30, to: 2022-03-01 }\n",
                  "config.yaml:3:15: '2022-02-30' is not a date (YYYY-MM-DD)\n");
    expect_errors("calendar:\n  terms:\n    - { from: 2022-05-01, to: 2022-03-01 }\n",
                  "config.yaml:3:7: this term starts on 2022-05-01, after it ends on 2022-03-01\n");
}

static void amber_above_red_names_amber(void **state)
{
    (void)state;
    expect_errors("scoring:\n  bands:\n    red: 20\n    amber: 30\n",
                  "config.yaml:4:12: amber (30) must not be above red (20)\n");
    /* amber from the defaults (10): the line of red is named. */
    expect_errors("scoring:\n  bands:\n    red: 5\n",
                  "config.yaml:3:10: amber (10) must not be above red (5)\n");
    /* A band that is itself wrong is not also compared. */
    expect_errors("scoring:\n  bands:\n    red: x\n    amber: 30\n",
                  "config.yaml:3:10: expected a whole number for 'scoring.bands.red', got 'x'\n");
    /* Equal is fine. */
    config c;
    buf errors = BUF_INIT;
    assert_int_equal(parse("scoring:\n  bands: {red: 7, amber: 7}\n", &c, &errors), EXIT_OK);
    config_free(&c);
    buf_free(&errors);
}

static void duplicates_and_syntax(void **state)
{
    (void)state;
    expect_errors("scoring:\n  weights:\n    cme: 1\n    cme: 2\n",
                  "config.yaml:4:5: duplicate key 'scoring.weights.cme' (first at line 3)\n");
    expect_errors("scoring: {}\nscoring: {}\n",
                  "config.yaml:2:1: duplicate key 'scoring' (first at line 1)\n");
    expect_errors("calendar:\n  terms:\n    - { from: 2022-01-01, from: 2022-01-02, to: "
                  "2022-02-01 }\n",
                  "config.yaml:3:27: duplicate key 'from' (first at line 3)\n");
    expect_errors("scoring:\n  weights: [1\n  x: 2\n",
                  "config.yaml:3:4: YAML syntax error: did not find expected ',' or ']' (while "
                  "parsing a flow sequence at line 2)\n");
    expect_errors("scoring: {}\n---\ncalendar: {}\n",
                  "config.yaml:2:1: only one YAML document is allowed\n");
}

/* Mappings and lists nested 64 deep are read (and here refused for what they hold); 65 deep are
 * refused as such, at the first one too deep, before libyaml builds a document. */
static void nesting_deeper_than_64_is_refused(void **state)
{
    (void)state;
    buf text = BUF_INIT;
    buf_puts(&text, "scoring:\n  weights: ");
    for (int i = 0; i < 62; i++) /* 62 lists inside scoring and the top level: 64 levels */
        buf_putc(&text, '[');
    for (int i = 0; i < 62; i++)
        buf_putc(&text, ']');
    buf_putc(&text, '\n');
    expect_errors(buf_str(&text),
                  "config.yaml:2:12: expected a mapping for 'scoring.weights', got a list\n");
    buf_reset(&text);
    buf_puts(&text, "scoring:\n  weights: ");
    for (int i = 0; i < 63; i++)
        buf_putc(&text, '[');
    for (int i = 0; i < 63; i++)
        buf_putc(&text, ']');
    buf_putc(&text, '\n');
    expect_errors(buf_str(&text), "config.yaml:2:74: nested deeper than 64 levels (mappings and "
                                  "lists inside one another): not a configuration\n");
    /* Unclosed and far deeper, in a flow mapping: the same message, nothing else. */
    buf_reset(&text);
    for (int i = 0; i < 100000; i++)
        buf_puts(&text, "{a: ");
    expect_errors(buf_str(&text), "config.yaml:1:257: nested deeper than 64 levels (mappings and "
                                  "lists inside one another): not a configuration\n");
    buf_free(&text);
}

static void all_errors_are_collected(void **state)
{
    (void)state;
    expect_errors("scoring:\n"
                  "  weights:\n"
                  "    cmee: 1\n"
                  "    ehe: x\n"
                  "  bands:\n"
                  "    red: 20\n"
                  "    amber: 30\n"
                  "calendar:\n"
                  "  closures: [2022-02-30]\n",
                  "config.yaml:3:5: unknown factor 'cmee' (did you mean 'cme'?)\n"
                  "config.yaml:4:10: expected a whole number for 'scoring.weights.ehe', got 'x'\n"
                  "config.yaml:9:14: '2022-02-30' is not a date (YYYY-MM-DD)\n"
                  "config.yaml:7:12: amber (30) must not be above red (20)\n");
    /* Past 50 errors it stops with one last line. */
    buf text = BUF_INIT;
    buf_puts(&text, "calendar:\n  closures:\n");
    for (int i = 0; i < 200; i++)
        buf_puts(&text, "    - x\n");
    config c;
    buf errors = BUF_INIT;
    assert_int_equal(parse(buf_str(&text), &c, &errors), EXIT_CONFIG);
    int lines = 0;
    for (const char *p = buf_str(&errors); *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 51);
    assert_non_null(strstr(buf_str(&errors), "config.yaml: more than 50 errors; stopping\n"));
    config_free(&c);
    buf_free(&text);
    buf_free(&errors);
}

static void control_characters_never_reach_messages(void **state)
{
    (void)state;
    expect_errors("scoring:\n  weights:\n    \"c\\e[2Jme\": 1\n",
                  "config.yaml:3:5: unknown factor 'c?[2Jme' (expected one of cme, ehe, "
                  "part_time, alternative_provision, attendance_below_50, attendance_below_90, "
                  "suspensions, permanent_exclusion, pex_risk, youth_justice, ehcp, "
                  "ehcp_in_progress, sen_support, cp_plan, cin_plan, looked_after)\n");
}

static void load_missing_and_default_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_config.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[4096];
    config c, d;
    buf errors = BUF_INIT;
    config_defaults(&d);

    snprintf(path, sizeof path, "%s/missing.yaml", dir);
    assert_int_equal(config_load(path, &c, &errors), EXIT_NOINPUT);
    char want[4200];
    snprintf(want, sizeof want, "%s: cannot read: No such file or directory\n", path);
    assert_string_equal(buf_str(&errors), want);
    assert_config_equal(&c, &d);
    config_free(&c);

    /* Larger than any configuration (4 MiB): a bad configuration (78), refused unparsed. */
    snprintf(path, sizeof path, "%s/huge.yaml", dir);
    FILE *h = fopen(path, "w");
    assert_non_null(h);
    for (int i = 0; i < 5 * 1024; i++)
        fprintf(h, "#%1022d\n", i);
    fclose(h);
    buf_reset(&errors);
    assert_int_equal(config_load(path, &c, &errors), EXIT_CONFIG);
    snprintf(want, sizeof want,
             "%s: larger than 4194304 bytes (4 MB): too large for a configuration file\n", path);
    assert_string_equal(buf_str(&errors), want);
    config_free(&c);
    unlink(path);
    snprintf(path, sizeof path, "%s/missing.yaml", dir);

    /* The default location missing: built-in defaults, no error. */
    setenv("XDG_CONFIG_HOME", dir, 1);
    unsetenv("CASELOAD_CONFIG");
    buf_reset(&errors);
    assert_int_equal(config_load_default(NULL, &c, &errors), EXIT_OK);
    assert_string_equal(buf_str(&errors), "");
    assert_config_equal(&c, &d);
    assert_string_equal(c.source, "");
    config_free(&c);

    /* Named but missing: 66. */
    assert_int_equal(config_load_default(path, &c, &errors), EXIT_NOINPUT);
    config_free(&c);

    /* The default location present: read. */
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/caseload", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(path, sizeof path, "%s/caseload/config.yaml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("scoring:\n  caps:\n    suspensions: 3\n", f);
    fclose(f);
    buf_reset(&errors);
    assert_int_equal(config_load_default(NULL, &c, &errors), EXIT_OK);
    assert_int_equal(c.scoring.cap_suspensions, 3);
    assert_string_equal(c.source, path);
    config_free(&c);

    unlink(path);
    rmdir(sub);
    rmdir(dir);
    unsetenv("XDG_CONFIG_HOME");
    config_free(&d);
    buf_free(&errors);
}

static void retention_section(void **state)
{
    (void)state;
    config c;
    buf errors = BUF_INIT;
    assert_int_equal(parse("retention:\n  years_after_social_work_ended: 7\n  age: 0\n"
                           "  holds: [LA-123, b801200005001, \"a \\\"quoted\\\" id\"]\n",
                           &c, &errors),
                     EXIT_OK);
    assert_int_equal(c.retention.rules.years_after_social_work_ended, 7);
    assert_int_equal(c.retention.rules.years_after_last_activity, 6); /* the default */
    assert_int_equal(c.retention.rules.age, 0);
    assert_int_equal(c.retention.nholds, 3);
    assert_string_equal(c.retention.holds[1], "B801200005001"); /* a UPN, upper-cased */
    assert_true(config_held(&c, "B801200005001", NULL));
    assert_true(config_held(&c, NULL, "LA-123"));
    assert_false(config_held(&c, "A801200005001", "LA-12"));
    roundtrip(&c);
    config_free(&c);
    /* By default no child is held. */
    config_defaults(&c);
    assert_int_equal(c.retention.nholds, 0);
    assert_int_equal(c.retention.rules.age, 25);
    config_free(&c);
    expect_errors("retention:\n  holds: [LA-1, LA-2, LA-1]\n  agee: 3\n",
                  "config.yaml:2:23: duplicate hold (first at line 2)\n"
                  "config.yaml:3:3: unknown key 'agee' (did you mean 'age'?)\n");
    expect_errors("retention:\n  holds: LA-1\n  age: -1\n",
                  "config.yaml:2:10: expected a list of UPNs or LA child ids for "
                  "'retention.holds', got 'LA-1'\n"
                  "config.yaml:3:8: expected a whole number from 0 to 200 for 'retention.age', "
                  "got '-1'\n");
    buf_free(&errors);
}

static void path_resolution(void **state)
{
    (void)state;
    char out[4096];
    setenv("HOME", "/home/o", 1);
    setenv("XDG_CONFIG_HOME", "/x", 1);
    setenv("CASELOAD_CONFIG", "/env.yaml", 1);
    assert_true(config_path("opt.yaml", out, sizeof out));
    assert_string_equal(out, "opt.yaml");
    assert_true(config_path(NULL, out, sizeof out));
    assert_string_equal(out, "/env.yaml");
    setenv("CASELOAD_CONFIG", "", 1);
    assert_false(config_path(NULL, out, sizeof out));
    assert_string_equal(out, "/x/caseload/config.yaml");
    unsetenv("CASELOAD_CONFIG");
    setenv("XDG_CONFIG_HOME", "relative", 1); /* ignored, as the XDG spec says */
    assert_false(config_path(NULL, out, sizeof out));
    assert_string_equal(out, "/home/o/.config/caseload/config.yaml");
    unsetenv("XDG_CONFIG_HOME");
    assert_false(config_path(NULL, out, sizeof out));
    assert_string_equal(out, "/home/o/.config/caseload/config.yaml");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_equal_example_file),
        cmocka_unit_test(defaults_weigh_every_factor),
        cmocka_unit_test(write_lists_factors_in_order),
        cmocka_unit_test(write_then_load_is_equal),
        cmocka_unit_test(weights_map_replaces_default_weights),
        cmocka_unit_test(keys_left_out_keep_defaults),
        cmocka_unit_test(calendar_lists_replace_defaults),
        cmocka_unit_test(unknown_keys_get_did_you_mean),
        cmocka_unit_test(wrong_types_and_limits),
        cmocka_unit_test(bad_dates),
        cmocka_unit_test(amber_above_red_names_amber),
        cmocka_unit_test(duplicates_and_syntax),
        cmocka_unit_test(nesting_deeper_than_64_is_refused),
        cmocka_unit_test(all_errors_are_collected),
        cmocka_unit_test(control_characters_never_reach_messages),
        cmocka_unit_test(load_missing_and_default_files),
        cmocka_unit_test(path_resolution),
        cmocka_unit_test(retention_section),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
