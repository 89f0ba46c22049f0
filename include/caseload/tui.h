/* tui: the full-screen app (SPEC section 8), opened by `caseload` without a command. */
#ifndef CASELOAD_TUI_H
#define CASELOAD_TUI_H

#include "caseload/cli.h"

/* Runs the app on ctx's database and configuration until the user quits. Needs a terminal on
 * standard input and output (else prints why and returns EXIT_USAGE). The terminal is restored on
 * every way out, including a fatal error and SIGINT/SIGTERM/SIGHUP. Returns an exit code of
 * exitcode.h: EXIT_OK when the user quits, or the failure to open the database or configuration. */
int tui_run(cli_ctx *ctx);

#endif
