/* cmd_calendar.c: `caseload calendar days FROM TO` and `caseload calendar year-group DOB`
 * (SPEC sections 2 and 5), on the calendar of the configuration in use.
 *   days FROM TO    prints the number of school days d with FROM <= d < TO (0 when TO <= FROM).
 *   year-group DOB  prints the year group and key stage as of --as-of, as
 *                   "Year N (KS)" for years 1 and above (e.g. "Year 7 (KS3)", "Year 12 (post16)"),
 *                   "Reception (R)" for year 0, "Nursery (EY)" for year -1 and "Year N (EY)" for
 *                   earlier years (e.g. "Year -2 (EY)").
 * Exit 0; 2 for bad usage or a date that does not exist; 78 / 66 for a bad or missing
 * configuration. */
#include "caseload/buf.h"
#include "caseload/cal.h"
#include "caseload/cli.h"
#include "caseload/date.h"
#include "caseload/exitcode.h"
#include "caseload/text.h"
#include <stdio.h>
#include <string.h>

static int exec_calendar(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_cmd_calendar = {
    "calendar",
    "calendar days FROM TO | calendar year-group DOB",
    "school days FROM <= d < TO; year group as of --as-of ('Year 7 (KS3)', 'Reception (R)', "
    "'Nursery (EY)', 'Year -2 (EY)')",
    "  days FROM TO        the number of school days d with FROM <= d < TO: Monday\n"
    "                      to Friday, not a closure day and, where the\n"
    "                      configuration lists terms for that academic year, inside\n"
    "                      a term\n"
    "  year-group DOB      the year group and key stage of a child born on DOB, as\n"
    "                      of --as-of\n"
    "Dates are YYYY-MM-DD; the calendar comes from the configuration (check-config\n"
    "shows it).\n",
    exec_calendar,
};

/* Parses a date argument; prints "caseload calendar: WHAT: 'X' is not a date" on failure. */
static bool arg_date(const char *what, const char *s, date_t *out)
{
    if (date_parse(s, strlen(s), out)) return true;
    buf b = BUF_INIT;
    text_sanitize(&b, s);
    cli_error("calendar", "%s: '%s' is not a date (YYYY-MM-DD)", what, buf_str(&b));
    buf_free(&b);
    return false;
}

static int print(const char *text)
{
    fputs(text, stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("caseload calendar: standard output");
        return EXIT_IO;
    }
    return EXIT_OK;
}

static int days(cli_ctx *ctx, int n, char **args)
{
    if (n != 2) return cli_usage(&cli_cmd_calendar);
    date_t from, to;
    if (!arg_date("FROM", args[0], &from) || !arg_date("TO", args[1], &to)) return EXIT_USAGE;
    int rc = cli_config(ctx);
    if (rc) return rc;
    char line[32];
    snprintf(line, sizeof line, "%ld\n", cal_school_days(&ctx->cfg.calendar, from, to));
    return print(line);
}

static int year_group(cli_ctx *ctx, int n, char **args)
{
    if (n != 1) return cli_usage(&cli_cmd_calendar);
    date_t dob;
    if (!arg_date("DOB", args[0], &dob)) return EXIT_USAGE;
    if (dob > ctx->as_of) {
        char a[11];
        date_format(ctx->as_of, a);
        cli_error("calendar", "DOB: %s is after the --as-of date %s", args[0], a);
        return EXIT_USAGE;
    }
    /* The configuration is not needed for year groups, but a bad one is still reported, as for
     * every command that uses it. */
    int rc = cli_config(ctx);
    if (rc) return rc;
    char yg[CAL_YEAR_TEXT], line[CAL_YEAR_TEXT + 1];
    cal_year_text(cal_year_group(dob, ctx->as_of), CAL_YEAR_LONG, yg);
    snprintf(line, sizeof line, "%s\n", yg);
    return print(line);
}

static int exec_calendar(cli_ctx *ctx, int argc, char **argv)
{
    /* Collect the operands; "--" ends options (there are none). */
    char *args[4];
    int n = 0;
    bool rest = false;
    for (int i = 1; i < argc; i++) {
        if (!rest && strcmp(argv[i], "--") == 0) {
            rest = true;
            continue;
        }
        if (!rest && argv[i][0] == '-' && argv[i][1] != '\0') {
            buf s = BUF_INIT;
            text_sanitize(&s, argv[i]);
            cli_error("calendar", "unknown option '%s'", buf_str(&s));
            buf_free(&s);
            return cli_usage(&cli_cmd_calendar);
        }
        if (n == 4) return cli_usage(&cli_cmd_calendar);
        args[n++] = argv[i];
    }
    if (n >= 1 && strcmp(args[0], "days") == 0) return days(ctx, n - 1, args + 1);
    if (n >= 1 && strcmp(args[0], "year-group") == 0) return year_group(ctx, n - 1, args + 1);
    if (n >= 1) {
        buf s = BUF_INIT;
        text_sanitize(&s, args[0]);
        cli_error("calendar", "unknown subcommand '%s' (days or year-group)", buf_str(&s));
        buf_free(&s);
    }
    return cli_usage(&cli_cmd_calendar);
}
