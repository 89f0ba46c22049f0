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

static int exec_report(cli_ctx *ctx, int argc, char **argv)
{
    const char *name = NULL, *from_s = NULL, *to_s = NULL, *format_s = "text", *threshold_s = NULL;
    bool publish = false;
    cli_out out = {0};
    for (int i = 1; i < argc; i++) {
        int took = cli_out_option(&out, "report", argc, argv, &i);
        if (took < 0) return cli_usage(&cli_cmd_report);
        if (took) continue;
        const char *a = argv[i];
        const char **dest = NULL;
        const char *opt = NULL;
        if (strcmp(a, "--publish") == 0) {
            publish = true;
            continue;
        }
        if (strncmp(a, "--threshold", 11) == 0 && (a[11] == '\0' || a[11] == '='))
            dest = &threshold_s, opt = "--threshold";
        else if (strncmp(a, "--from", 6) == 0 && (a[6] == '\0' || a[6] == '='))
            dest = &from_s, opt = "--from";
        else if (strncmp(a, "--to", 4) == 0 && (a[4] == '\0' || a[4] == '='))
            dest = &to_s, opt = "--to";
        else if (strncmp(a, "--format", 8) == 0 && (a[8] == '\0' || a[8] == '='))
            dest = &format_s, opt = "--format";
        if (dest) {
            size_t n = strlen(opt);
            if (a[n] == '=') {
                *dest = a + n + 1;
            } else if (i + 1 < argc) {
                *dest = argv[++i];
            } else {
                cli_error("report", "%s needs a value", opt);
                return cli_usage(&cli_cmd_report);
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            bad_value("option", a, "is not an option of report");
            return cli_usage(&cli_cmd_report);
        } else if (!name) {
            name = a;
        } else {
            bad_value(NULL, a, "is one argument too many");
            return cli_usage(&cli_cmd_report);
        }
    }
    if (!name) {
        cli_error("report", "which report? (summary, suspensions, attendance, cme, admissions)");
        return cli_usage(&cli_cmd_report);
    }
    int kind = report_kind_find(name);
    if (kind < 0)
        return bad_value(NULL, name,
                         "is not a report (summary, suspensions, attendance, cme, admissions)");
    int format = report_format_find(format_s);
    if (format < 0)
        return bad_value("--format", format_s, "is not a format (text, json, csv, md, xlsx)");
    if (!cli_out_usable(&out, "report", format == REPORT_XLSX, "--format xlsx")) return EXIT_USAGE;
    long threshold = REPORT_THRESHOLD_DEFAULT;
    if (threshold_s) {
        char *end;
        threshold = strtol(threshold_s, &end, 10);
        if (*end || end == threshold_s || threshold < REPORT_THRESHOLD_MIN ||
            threshold > REPORT_THRESHOLD_MAX)
            return bad_value("--threshold", threshold_s, "is not a whole number from 2 to 1000");
        if (!publish) {
            cli_error("report", "--threshold goes with --publish");
            return cli_usage(&cli_cmd_report);
        }
    }
    date_t from, to, f, t;
    if (from_s && !date_parse(from_s, strlen(from_s), &from))
        return bad_value("--from", from_s, "is not a date (YYYY-MM-DD)");
    if (to_s && !date_parse(to_s, strlen(to_s), &to))
        return bad_value("--to", to_s, "is not a date (YYYY-MM-DD)");
    if (!report_period(ctx->as_of, from_s ? &from : NULL, to_s ? &to : NULL, &f, &t)) {
        char fb[11], tb[11];
        date_format(f, fb);
        date_format(t, tb);
        cli_error("report", "--from %s is after --to %s", fb, tb);
        return EXIT_USAGE;
    }
    int rc = cli_config(ctx);
    if (rc) return rc;
    store *s;
    if ((rc = cli_store(ctx, 0, &s))) return rc;
    report *r;
    if ((rc = report_compute(s, &ctx->cfg.calendar, (report_kind)kind, f, t, &r))) {
        cli_error("report", "%s", *store_error(s) ? store_error(s) : "out of memory");
        return rc;
    }
    if (publish) report_publish(r, (int)threshold);
    r->made = ctx->as_of;
    const char *cs = nl_langinfo(CODESET);
    r->ascii_bars = !cs || strcmp(cs, "UTF-8") != 0;
    if ((rc = cli_out_open(&out, "report"))) {
        report_free(r);
        return rc;
    }
    if (format == REPORT_XLSX) {
        char err[512];
        rc = report_write_xlsx(r, out.file.tmp, err, sizeof err);
        if (rc) cli_error("report", "%s", err);
    } else {
        buf text = BUF_INIT;
        report_render(r, (report_format)format, out.path ? 80 : out_width(), &text);
        rc = cli_out_write(&out, buf_str(&text), text.len);
        buf_free(&text);
    }
    report_free(r);
    return cli_out_close(&out, "report", rc);
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
