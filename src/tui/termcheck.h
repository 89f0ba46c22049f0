/* termcheck: whether the terminal of standard output can show the full-screen app at all. */
#ifndef CASELOAD_TUI_TERMCHECK_H
#define CASELOAD_TUI_TERMCHECK_H

#include <stdbool.h>
#include <stddef.h>

/* Looks up $TERM in terminfo without starting curses. False, with why (n bytes: one sentence for
 * "caseload: ..."), when TERM is unset, unknown to terminfo, or a terminal that cannot move the
 * cursor or clear the screen (TERM=dumb): curses would draw a blank or garbled screen there. */
bool tui_terminal_usable(char *why, size_t n);

#endif
