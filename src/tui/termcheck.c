/* termcheck.c: the terminal checked before curses starts (termcheck.h). In a file of its own:
 * <term.h> defines macros named like ordinary words (lines, columns, ...). */
#include "termcheck.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <term.h>
#include <unistd.h>

static bool has_string(const char *cap)
{
    const char *s = tigetstr(cap);
    return s && s != (const char *)-1 && *s;
}

bool tui_terminal_usable(char *why, size_t n)
{
    const char *term = getenv("TERM");
    const char *hint = "set TERM to the terminal's type (for example xterm-256color) or give a "
                       "command (caseload --help lists them)";
    if (!term || !*term) {
        snprintf(why, n, "TERM is not set, so the full-screen app cannot draw; %s", hint);
        return false;
    }
    int err = 0;
    if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
        snprintf(why, n, "the terminal type '%.40s' is not known here (no terminfo entry); %s",
                 term, hint);
        return false;
    }
    bool ok = has_string("cup") && has_string("clear");
    del_curterm(cur_term);
    if (!ok) {
        snprintf(why, n,
                 "the terminal type '%.40s' cannot move the cursor, so the full-screen app "
                 "cannot draw; %s",
                 term, hint);
        return false;
    }
    return true;
}
