/* cmd_export.c: `caseload export KIND [--format csv|json|xlsx] [--excel] [-o FILE] [--force]`:
 * writes every row of one kind in the columns import reads, so export then import round-trips;
 * to standard output or to a file (cli_out: 0600, whole or not at all). */
#include "caseload/buf.h"
#include "caseload/cli.h"
#include "caseload/exitcode.h"
#include "caseload/export.h"
#include "caseload/protect.h"
#include "caseload/text.h"
#include <stdio.h>
#include <string.h>

static int exec_export(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_cmd_export = {
    "export",
    "export KIND [--format csv|json|xlsx] [--excel] [-o FILE] [--force]",
    "writes the same columns as import to standard output or FILE, so export then import "
    "round-trips",
    "  KIND          referrals, outcomes, actions, exclusions, attendance,\n"
    "                episodes or children\n"
    "  --format F    csv (default: the columns import reads), json (an array of\n"
    "                objects) or xlsx (an Excel workbook; needs -o FILE): text\n"
    "                cells for UPNs, ids, URNs, refs and codes, date cells, numbers,\n"
    "                the header row frozen, never a formula\n"
    "  --excel       csv for a spreadsheet: a byte order mark, CRLF line ends and a '\n"
    "                before text beginning with =, +, - or @ (import removes it)\n" CLI_OUT_OPTIONS,
    exec_export,
};

static void print_arg(const char *what, const char *s)
{
    buf b = BUF_INIT;
    text_sanitize(&b, s);
    fprintf(stderr, "caseload export: %s '%s'\n", what, buf_str(&b));
    buf_free(&b);
}

static int exec_export(cli_ctx *ctx, int argc, char **argv)
{
    const char *kind_name = NULL, *format = "csv";
    bool excel = false;
    cli_out out = {0};
    for (int i = 1; i < argc; i++) {
        int took = cli_out_option(&out, "export", argc, argv, &i);
        if (took < 0) return cli_usage(&cli_cmd_export);
        if (took) continue;
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            format = argv[++i];
        } else if (strncmp(argv[i], "--format=", 9) == 0) {
            format = argv[i] + 9;
        } else if (strcmp(argv[i], "--excel") == 0) {
            excel = true;
        } else if (argv[i][0] == '-') {
            print_arg("unknown option", argv[i]);
            return cli_usage(&cli_cmd_export);
        } else if (!kind_name) {
            kind_name = argv[i];
        } else {
            fprintf(stderr, "caseload export: too many arguments\n");
            return cli_usage(&cli_cmd_export);
        }
    }
    if (!kind_name) return cli_usage(&cli_cmd_export);
    int kind = import_kind_find(kind_name);
    if (kind < 0) {
        print_arg("unknown kind", kind_name);
        fprintf(stderr, "caseload export: KIND is one of referrals, outcomes, actions, exclusions, "
                        "attendance, episodes, children\n");
        return cli_usage(&cli_cmd_export);
    }
    int fmt = export_format_find(format);
    if (fmt < 0) {
        print_arg("unknown format", format);
        return cli_usage(&cli_cmd_export);
    }
    if (excel && fmt != EXPORT_CSV) {
        cli_error("export", "--excel is for --format csv (xlsx is a spreadsheet's own format)");
        return EXIT_USAGE;
    }
    if (!cli_out_usable(&out, "export", fmt == EXPORT_XLSX, "--format xlsx")) return EXIT_USAGE;
    store *s;
    /* Read-write, for the access log; a file this program may not write opens read-only. */
    int rc = cli_store(ctx, 0, &s);
    if (rc) return rc;
    /* A damaged database is refused, never exported as if whole. */
    if ((rc = store_quick_check(s))) {
        fprintf(stderr, "caseload export: %s\n", store_error(s));
        return rc;
    }
    if ((rc = cli_out_open(&out, "export"))) return rc;
    char err[512];
    long rows = 0;
    if (fmt == EXPORT_XLSX)
        rc = export_write_xlsx(s, (import_kind)kind, out.file.tmp, err, sizeof err, &rows);
    else
        rc = export_write(s, (import_kind)kind, (export_format)fmt,
                          (excel ? EXPORT_EXCEL : 0) | (out.terminal ? EXPORT_TERMINAL : 0), out.f,
                          err, sizeof err, &rows);
    if (rc) fprintf(stderr, "caseload export: %s\n", err[0] ? err : store_error(s));
    if ((rc = cli_out_close(&out, "export", rc))) return rc;
    /* The access log: the kind (its table) and how many rows left the database. */
    char detail[64];
    snprintf(detail, sizeof detail, "%ld rows, %s", rows, format);
    if ((rc = protect_access(s, "export", kind_name, 0, 0, detail)))
        fprintf(stderr, "caseload export: %s\n", store_error(s));
    return rc;
}
