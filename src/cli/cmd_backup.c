/* cmd_backup.c: `caseload backup FILE`: a consistent copy of the database, made while others go
 * on working, into a new file (mode 0600) that must not exist. */
#include "caseload/buf.h"
#include "caseload/cli.h"
#include "caseload/exitcode.h"
#include "caseload/text.h"
#include <stdio.h>
#include <string.h>

static int exec_backup(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_cmd_backup = {
    "backup",
    "backup FILE",
    "writes a consistent copy of the database to a new file, while others go on working",
    "  FILE           the copy to write (mode 0600); it must not exist: a backup\n"
    "                 never replaces a file (exit 74). The copy is the database as of\n"
    "                 one moment, checked first (a damaged database is refused, exit\n"
    "                 74), and appears under its name only once it is whole. Open it\n"
    "                 with --db FILE, or copy it back to restore.\n",
    exec_backup,
};

static int exec_backup(cli_ctx *ctx, int argc, char **argv)
{
    const char *file = NULL;
    bool rest = false;
    for (int i = 1; i < argc; i++) {
        if (!rest && strcmp(argv[i], "--") == 0) {
            rest = true;
        } else if (!rest && argv[i][0] == '-' && argv[i][1]) {
            cli_error("backup", "unknown option");
            return cli_usage(&cli_cmd_backup);
        } else if (!file) {
            file = argv[i];
        } else {
            cli_error("backup", "too many arguments");
            return cli_usage(&cli_cmd_backup);
        }
    }
    if (!file || !*file) return cli_usage(&cli_cmd_backup);
    store *s;
    int rc = cli_store(ctx, STORE_READONLY, &s);
    if (rc) return rc;
    buf name = BUF_INIT;
    if ((rc = store_backup(s, file))) {
        text_sanitize(&name, store_error(s));
        fprintf(stderr, "caseload backup: %s\n", buf_str(&name));
    }
    buf_free(&name);
    return rc;
}
