/* cmd_export.c: `caseload export KIND [--format csv|json]`: writes every row of one kind to
 * standard output in the columns import reads, so export then import round-trips. */
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
    "export KIND [--format csv|json]",
    "writes the same columns as import to standard output, so export then import round-trips",
    "  KIND           referrals, outcomes, actions, exclusions, attendance,\n"
    "                 episodes or children\n"
    "  --format F     csv (default: the columns import reads) or json (an array of\n"
    "                 objects)\n",
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
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            format = argv[++i];
        } else if (strncmp(argv[i], "--format=", 9) == 0) {
            format = argv[i] + 9;
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
    store *s;
    /* Read-write, for the access log; a file this program may not write opens read-only. */
    int rc = cli_store(ctx, 0, &s);
    if (rc) return rc;
    /* A damaged database is refused, never exported as if whole. */
    if ((rc = store_quick_check(s))) {
        fprintf(stderr, "caseload export: %s\n", store_error(s));
        return rc;
    }
    char err[512];
    long rows = 0;
    rc = export_write(s, (import_kind)kind, (export_format)fmt, stdout, err, sizeof err, &rows);
    if (rc) {
        fprintf(stderr, "caseload export: %s\n", err[0] ? err : store_error(s));
        return rc;
    }
    /* The access log: the kind (its table) and how many rows left the database. */
    char detail[64];
    snprintf(detail, sizeof detail, "%ld rows, %s", rows, format);
    if ((rc = protect_access(s, "export", kind_name, 0, 0, detail)))
        fprintf(stderr, "caseload export: %s\n", store_error(s));
    return rc;
}
