/* cmd_sar.c: `caseload sar CHILD -o FILE [--format md|json]` (SPEC section 10): everything held
 * about one child, for a subject access request, into a new file of mode 0600, recorded in the
 * access log. */
#include "caseload/cli.h"
#include "caseload/exitcode.h"
#include "caseload/protect.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int exec_sar(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_cmd_sar = {
    "sar",
    "sar CHILD -o FILE [--format md|json]",
    "everything held about one child, for a subject access request: details, referrals, "
    "actions, outcomes, events, the score now, conflicts and the child's access log",
    "  CHILD         the child's UPN or LA child id\n"
    "  -o FILE       the file to write (mode 0600); one that exists is not\n"
    "                overwritten\n"
    "  --format F    md (default: a readable timeline) or json (one object; its\n"
    "                keys are in caseload(1))\n"
    "Needs a known officer (global --officer or $CASELOAD_OFFICER); recorded in the\n"
    "child's access log.\n",
    exec_sar,
};

static int exec_sar(cli_ctx *ctx, int argc, char **argv)
{
    const char *child = NULL, *file = NULL, *format = "md";
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc)
            file = argv[++i];
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (strncmp(argv[i], "--format=", 9) == 0)
            format = argv[i] + 9;
        else if (argv[i][0] == '-' || child)
            return cli_usage(&cli_cmd_sar);
        else
            child = argv[i];
    }
    if (!child || !file) return cli_usage(&cli_cmd_sar);
    int fmt = strcmp(format, "md") == 0     ? PROTECT_SAR_MD
              : strcmp(format, "json") == 0 ? PROTECT_SAR_JSON
                                            : -1;
    if (fmt < 0) {
        cli_error("sar", "--format: expected md or json");
        return EXIT_USAGE;
    }
    if (access(file, F_OK) == 0) {
        cli_error("sar", "%s exists: it is not overwritten (name a new file)", file);
        return EXIT_USAGE;
    }
    int rc = cli_config(ctx);
    if (rc) return rc;
    store *s;
    if ((rc = cli_store(ctx, 0, &s))) return rc;
    if ((rc = cli_need_officer(ctx, s, "sar"))) return rc;
    int64_t id;
    if ((rc = cli_find_child(s, "sar", child, 1, &id))) return rc;
    /* Written as exports are (outfile.h): 0600 whatever the umask, whole or not at all, never
     * over a file that appeared meanwhile; recorded once whole (protect_sar_write). */
    char written[4096], err[4400];
    rc = protect_sar_write(s, &ctx->cfg, ctx->as_of, id, fmt, file, false, written, sizeof written,
                           err, sizeof err);
    if (rc) cli_error("sar", "%s", err);
    return rc;
}
