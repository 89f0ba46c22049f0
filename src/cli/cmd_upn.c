/* cmd_upn.c: `caseload upn check UPN...` (SPEC section 5): one line per UPN, "UPN valid",
 * "UPN valid (temporary)" or "UPN invalid: REASON", the UPN as typed (made safe for the
 * terminal). Exit 0 when every UPN is valid, 1 when any is not, 2 for bad usage. */
#include "caseload/buf.h"
#include "caseload/cli.h"
#include "caseload/exitcode.h"
#include "caseload/text.h"
#include "caseload/upn.h"
#include <stdio.h>
#include <string.h>

static int exec_upn(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_cmd_upn = {
    "upn",
    "upn check UPN...",
    "check UPNs: prints 'UPN valid', 'UPN valid (temporary)' or 'UPN invalid: REASON'",
    "  UPN...   one or more UPNs (13 characters; lower case is upper-cased)\n"
    "Exit 0 when every UPN is valid, else 1.\n",
    exec_upn,
};

static int exec_upn(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    if (argc < 2 || strcmp(argv[1], "check") != 0) {
        if (argc >= 2) {
            buf s = BUF_INIT;
            text_sanitize(&s, argv[1]);
            cli_error("upn", "unknown subcommand '%s'", buf_str(&s));
            buf_free(&s);
        }
        return cli_usage(&cli_cmd_upn);
    }
    /* The UPNs: everything after "check"; "--" ends the options (there are none). */
    int first = 2;
    bool rest = false;
    for (int i = 2; i < argc; i++) {
        if (!rest && strcmp(argv[i], "--") == 0) {
            rest = true;
            if (i == first) first++;
            continue;
        }
        if (!rest && argv[i][0] == '-' && argv[i][1] != '\0') {
            buf s = BUF_INIT;
            text_sanitize(&s, argv[i]);
            cli_error("upn", "unknown option '%s'", buf_str(&s));
            buf_free(&s);
            return cli_usage(&cli_cmd_upn);
        }
    }
    int count = 0, invalid = 0;
    buf out = BUF_INIT;
    rest = false;
    for (int i = first; i < argc; i++) {
        if (!rest && strcmp(argv[i], "--") == 0) {
            rest = true;
            continue;
        }
        count++;
        const char *reason = NULL;
        upn_status st = upn_check(argv[i], NULL, &reason);
        text_sanitize(&out, argv[i]);
        if (st == UPN_VALID) {
            buf_puts(&out, " valid\n");
        } else if (st == UPN_VALID_TEMPORARY) {
            buf_puts(&out, " valid (temporary)\n");
        } else {
            buf_printf(&out, " invalid: %s\n", reason);
            invalid++;
        }
    }
    if (count) fputs(buf_str(&out), stdout);
    buf_free(&out);
    if (count == 0) {
        cli_error("upn", "give at least one UPN to check");
        return cli_usage(&cli_cmd_upn);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("caseload upn: standard output");
        return EXIT_IO;
    }
    return invalid ? EXIT_FOUND : EXIT_OK;
}
