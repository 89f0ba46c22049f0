/* screen_report: the reports screen of the full-screen app (`r` on the main screen): pick one of
 * the reports of SPEC section 7 and a period, see the same tables and charts as
 * `caseload report`, scroll, and write the report to a file as csv, md or xlsx (asking for the path
 * and never overwriting a file without asking). Internal to src/tui. */
#ifndef CASELOAD_TUI_SCREEN_REPORT_H
#define CASELOAD_TUI_SCREEN_REPORT_H

#include "tui.h"

/* Runs the reports screen until q or Esc. Returns TUI_* flags for the caller (TUI_REDRAW). */
int tui_reports(tui *t);

#endif
