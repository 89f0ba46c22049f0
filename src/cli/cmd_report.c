/* cmd_report.c: `caseload report NAME [--from D] [--to D] [--format text|json|csv|md]` — the
 * committee and performance-board figures of SPEC section 7 (see report.h). Text output is as wide
 * as the terminal on standard output (80 columns when it is not a terminal). */
#include "caseload/buf.h"
#include "caseload/cli.h"
#include "caseload/exitcode.h"
#include "caseload/report.h"
#include "caseload/text.h"
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

extern const cli_command cli_cmd_report;

static int out_width(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

/* Prints "caseload report: OPTION: 'VALUE' ..." with the value made safe for a terminal. */
static int bad_value(const char *opt, const char *v, const char *why)
{
    buf s = BUF_INIT;
    text_sanitize(&s, v);
    if (opt)
        cli_error("report", "%s: '%s' %s", opt, buf_str(&s), why);
    else
        cli_error("report", "'%s' %s", buf_str(&s), why);
    buf_free(&s);
    return EXIT_USAGE;
}

/* What the command line asked for: as written (parse_args), then what it means (check_args). */
typedef struct {
    const char *name, *from_s, *to_s, *format_s, *threshold_s;
    bool publish;
    cli_out out;
    int kind, format;
    long threshold;
    date_t from, to; /* the period */
} report_args;

/* Reads argv into a. Returns 0, or the exit code of a usage error (said). */
static int parse_args(report_args *a, int argc, char **argv)
{
    a->format_s = "text";
    for (int i = 1; i < argc; i++) {
        int took = cli_out_option(&a->out, "report", argc, argv, &i);
        if (took < 0) return cli_usage(&cli_cmd_report);
        if (took) continue;
        const char *arg = argv[i];
        const char **dest = NULL;
        const char *opt = NULL;
        if (strcmp(arg, "--publish") == 0) {
            a->publish = true;
            continue;
        }
        if (strncmp(arg, "--threshold", 11) == 0 && (arg[11] == '\0' || arg[11] == '='))
            dest = &a->threshold_s, opt = "--threshold";
        else if (strncmp(arg, "--from", 6) == 0 && (arg[6] == '\0' || arg[6] == '='))
            dest = &a->from_s, opt = "--from";
        else if (strncmp(arg, "--to", 4) == 0 && (arg[4] == '\0' || arg[4] == '='))
            dest = &a->to_s, opt = "--to";
        else if (strncmp(arg, "--format", 8) == 0 && (arg[8] == '\0' || arg[8] == '='))
            dest = &a->format_s, opt = "--format";
        if (dest) {
            size_t n = strlen(opt);
            if (arg[n] == '=') {
                *dest = arg + n + 1;
            } else if (i + 1 < argc) {
                *dest = argv[++i];
            } else {
                cli_error("report", "%s needs a value", opt);
                return cli_usage(&cli_cmd_report);
            }
        } else if (arg[0] == '-' && arg[1] != '\0') {
            bad_value("option", arg, "is not an option of report");
            return cli_usage(&cli_cmd_report);
        } else if (!a->name) {
            a->name = arg;
        } else {
            bad_value(NULL, arg, "is one argument too many");
            return cli_usage(&cli_cmd_report);
        }
    }
    return 0;
}

/* What a's values mean: its report, format, threshold and period. Returns 0, or the exit code
 * of a usage error (said). */
static int check_args(const cli_ctx *ctx, report_args *a)
{
    if (!a->name) {
        cli_error("report", "which report? (summary, suspensions, attendance, cme, admissions)");
        return cli_usage(&cli_cmd_report);
    }
    if ((a->kind = report_kind_find(a->name)) < 0)
        return bad_value(NULL, a->name,
                         "is not a report (summary, suspensions, attendance, cme, admissions)");
    if ((a->format = report_format_find(a->format_s)) < 0)
        return bad_value("--format", a->format_s, "is not a format (text, json, csv, md, xlsx)");
    if (!cli_out_usable(&a->out, "report", a->format == REPORT_XLSX, "--format xlsx"))
        return EXIT_USAGE;
    a->threshold = REPORT_THRESHOLD_DEFAULT;
    if (a->threshold_s) {
        char *end;
        a->threshold = strtol(a->threshold_s, &end, 10);
        if (*end || end == a->threshold_s || a->threshold < REPORT_THRESHOLD_MIN ||
            a->threshold > REPORT_THRESHOLD_MAX)
            return bad_value("--threshold", a->threshold_s, "is not a whole number from 2 to 1000");
        if (!a->publish) {
            cli_error("report", "--threshold goes with --publish");
            return cli_usage(&cli_cmd_report);
        }
    }
    date_t from, to;
    if (a->from_s && !date_parse(a->from_s, strlen(a->from_s), &from))
        return bad_value("--from", a->from_s, "is not a date (YYYY-MM-DD)");
    if (a->to_s && !date_parse(a->to_s, strlen(a->to_s), &to))
        return bad_value("--to", a->to_s, "is not a date (YYYY-MM-DD)");
    if (!report_period(ctx->as_of, a->from_s ? &from : NULL, a->to_s ? &to : NULL, &a->from,
                       &a->to)) {
        char fb[11], tb[11];
        date_format(a->from, fb);
        date_format(a->to, tb);
        cli_error("report", "--from %s is after --to %s", fb, tb);
        return EXIT_USAGE;
    }
    return 0;
}

/* Writes r in format to out (opened) and closes it. */
static int write_report(const report *r, int format, cli_out *out)
{
    int rc;
    if (format == REPORT_XLSX) {
        char err[512];
        rc = report_write_xlsx(r, out->file.tmp, err, sizeof err);
        if (rc) cli_error("report", "%s", err);
    } else {
        buf text = BUF_INIT;
        report_render(r, (report_format)format, out->path ? 80 : out_width(), &text);
        rc = cli_out_write(out, buf_str(&text), text.len);
        buf_free(&text);
    }
    return cli_out_close(out, "report", rc);
}

static int exec_report(cli_ctx *ctx, int argc, char **argv)
{
    report_args a = {0};
    int rc = parse_args(&a, argc, argv);
    if (!rc) rc = check_args(ctx, &a);
    if (!rc) rc = cli_config(ctx);
    if (rc) return rc;
    store *s;
    if ((rc = cli_store(ctx, 0, &s))) return rc;
    report *r;
    if ((rc = report_compute(s, &ctx->cfg.calendar, (report_kind)a.kind, a.from, a.to, &r))) {
        cli_error("report", "%s", *store_error(s) ? store_error(s) : "out of memory");
        return rc;
    }
    if (a.publish) report_publish(r, (int)a.threshold);
    r->made = ctx->as_of;
    const char *cs = nl_langinfo(CODESET);
    r->ascii_bars = !cs || strcmp(cs, "UTF-8") != 0;
    if (!(rc = cli_out_open(&a.out, "report"))) rc = write_report(r, a.format, &a.out);
    report_free(r);
    return rc;
}

const cli_command cli_cmd_report = {
    "report",
    "report summary|suspensions|attendance|cme|admissions [--from D] [--to D] "
    "[--format text|json|csv|md|xlsx] [--publish] [--threshold N] [-o FILE] [--force]",
    "the committee and performance-board figures for a period (default: the academic year "
    "containing --as-of; with one bound, the academic year of that bound)",
    "  NAME          summary, suspensions, attendance, cme or admissions\n"
    "  --from D      the first day of the period (YYYY-MM-DD)\n"
    "  --to D        the last day of the period\n"
    "  --format F    text (default: tables and bar charts as wide as the terminal),\n"
    "                json, csv (one row per figure, with its percentage and the\n"
    "                period), md (tables for a paper) or xlsx (an Excel workbook of\n"
    "                the csv rows; needs -o FILE)\n"
    "  --publish     figures safe to publish: counts from 1 to N-1 shown as c\n"
    "                (in JSON the string \"c\"), with the percentages built on\n"
    "                them, and more cells as c so that none can be worked out\n"
    "                from a total (secondary suppression); 0 stays 0\n"
    "  --threshold N with --publish: the smallest count shown (default 5)\n" CLI_OUT_OPTIONS,
    exec_report,
};
