/* tui: the full-screen app (SPEC section 8), opened by `caseload` without a command. */
#ifndef CASELOAD_TUI_H
#define CASELOAD_TUI_H

#include "caseload/config.h"
#include "caseload/date.h"
#include "caseload/store.h"
#include <stdbool.h>

/* Whether the app can run: a terminal on standard input and output. Else prints why (to give a
 * command instead) and returns false. Called before the configuration and database are opened. */
bool tui_has_terminal(void);
/* Runs the app on db (opened by the caller, who closes it) with cfg as of as_of until the user
 * quits; today_fn, when not NULL, gives today's date, which the app follows past midnight (NULL:
 * as_of stays, as with --as-of). Needs a terminal (tui_has_terminal: else EXIT_USAGE). The
 * terminal is restored on every way out, including a fatal error and SIGINT/SIGTERM/SIGHUP.
 * Returns an exit code of exitcode.h: EXIT_OK when the user quits, or the failure to refresh the
 * scores. */
int tui_run(store *db, const config *cfg, date_t as_of, date_t (*today_fn)(void));

#endif
