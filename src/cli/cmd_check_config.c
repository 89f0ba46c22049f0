/* cmd_check_config.c: `caseload check-config [FILE]` (SPEC section 4): validates FILE, or the
 * configuration the program would use (--config, $CASELOAD_CONFIG, $XDG_CONFIG_HOME), and prints
 * the effective configuration as YAML. Exit 0 valid, 78 invalid (errors on stderr), 66 unreadable.
 */
#include "caseload/buf.h"
#include "caseload/cli.h"
#include "caseload/config.h"
#include "caseload/exitcode.h"
#include <stdio.h>
#include <string.h>

static int exec_check_config(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_cmd_check_config = {
    "check-config",
    "check-config [FILE]",
    "validate the configuration (FILE, else the one in use) and print the effective values",
    "  FILE   the configuration to check (default: --config, else $CASELOAD_CONFIG,\n"
    "         else $XDG_CONFIG_HOME/caseload/config.yaml, else the built-in\n"
    "         defaults)\n"
    "Prints the effective configuration as YAML. Exit 78 with every error named\n"
    "FILE:LINE:COLUMN when the file is bad (nothing is changed).\n",
    exec_check_config,
};

static int exec_check_config(cli_ctx *ctx, int argc, char **argv)
{
    const char *file = NULL;
    bool rest = false;
    for (int i = 1; i < argc; i++) {
        if (!rest && strcmp(argv[i], "--") == 0) {
            rest = true;
        } else if (!rest && argv[i][0] == '-' && argv[i][1] != '\0') {
            cli_error("check-config", "unknown option '%s'", argv[i]);
            return cli_usage(&cli_cmd_check_config);
        } else if (file) {
            cli_error("check-config", "only one FILE may be given");
            return cli_usage(&cli_cmd_check_config);
        } else {
            file = argv[i];
        }
    }

    config c;
    buf errors = BUF_INIT;
    int rc = file ? config_load(file, &c, &errors)
                  : config_load_default(ctx->config_option, &c, &errors);
    fputs(buf_str(&errors), stderr);
    buf_free(&errors);
    if (rc == EXIT_OK) {
        buf out = BUF_INIT;
        config_write(&c, &out);
        fputs(buf_str(&out), stdout);
        buf_free(&out);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            perror("caseload check-config: standard output");
            rc = EXIT_IO;
        }
    }
    config_free(&c);
    return rc;
}
