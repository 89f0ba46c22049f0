/* report_internal.h: what the files of the reports share (report.c, report_build.c,
 * report_publish.c, report_text.c, report_render.c) and nothing else includes: the calls that build
 * the model of report.h, and the renderers report_render calls. */
#ifndef CASELOAD_REPORT_INTERNAL_H
#define CASELOAD_REPORT_INTERNAL_H

#include "caseload/report.h"

/* A new, empty report of kind for from..to (NULL when memory runs out). */
report *report_new(report_kind kind, date_t from, date_t to);
/* Adds a table to r: title, dotted JSON path with {r} and {c}, the heading of its rows; no chart,
 * no row total. More tables than the model holds is a programming error (abort). */
report_table *report_add_table(report *r, const char *title, const char *path,
                               const char *row_heading);
/* Adds a VALUE column (key replaces {c}; NULL: text and md only) and returns its index. */
int report_add_col(report_table *t, const char *key, const char *label);
/* Adds a PERCENT column, 100 * v[num] / v[den] (den < 0: / the table's base); returns its index. */
int report_add_pct(report_table *t, const char *label, int num, int den);
/* Adds a row of zeros (key replaces {r}). Aborts when memory runs out, as buf does. */
report_row *report_add_row(report_table *t, const char *key, const char *label);
/* Adds a note (printf format). Aborts when memory runs out. */
void report_add_note(report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The sum of column col over the rows of t (what the Total row shows). */
long long report_total_of(const report_table *t, int col);

/* The last step of report_publish (report_audit.c): hides more cells until no hidden count can be
 * worked out from the figures shown and how they add up. Returns how many it hid. */
long long report_audit(report *r, int threshold);

/* Appends r as text width columns wide (report_text.c). */
void report_render_text(const report *r, int width, buf *out);
/* Appends r as md (report_text.c). */
void report_render_md(const report *r, buf *out);

#endif
