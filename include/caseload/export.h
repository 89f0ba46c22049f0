/* export: writing the rows of one kind in the columns of SPEC section 6 (what import reads back),
 * as CSV or JSON, so that export, import into a fresh database, export gives the same bytes. */
#ifndef CASELOAD_EXPORT_H
#define CASELOAD_EXPORT_H

#include "caseload/import.h"
#include "caseload/json.h"
#include "caseload/store.h"
#include <stdio.h>

typedef enum { EXPORT_CSV, EXPORT_JSON, EXPORT_XLSX } export_format;

/* Index of a format name ("csv", "json", "xlsx"), or -1. */
int export_format_find(const char *name);

/* Flags of export_write. */
enum {
    EXPORT_EXCEL = 1,   /* CSV for a spreadsheet: a byte order mark, CRLF, and a ' before text
                         * beginning with =, +, - or @ (which a spreadsheet would run as a formula) */
    EXPORT_TERMINAL = 2 /* out is a terminal: control and bidi characters replaced
                         * (text_sanitize_lines) */
};

/* Writes every row of kind to out: CSV with the header row first (fields quoted only when
 * needed), or a JSON array with one object per line whose keys are the columns (text and dates as
 * strings, flags as "yes"/"no", days/sessions/hours as numbers, empty values as null). Rows come
 * in a deterministic order (records.h). Returns EXIT_OK, EXIT_IO (a database error, with
 * store_error(), or writing to out failed: then the message is in errmsg) or EXIT_BUSY. *rows
 * (may be NULL) gets how many rows were written, for the access log. */
int export_write(store *s, import_kind kind, export_format fmt, int flags, FILE *out, char *errmsg,
                 size_t n, long *rows);
/* Writes every row of kind as an Excel workbook at path (xlsx.h: ids, UPNs, URNs, refs and codes as
 * text cells, dates as date cells, days/sessions/hours as numbers, the header row frozen). Returns
 * EXIT_OK, EXIT_IO (database or writing; errmsg or store_error()), EXIT_DATA (a worksheet cannot
 * hold it; errmsg) or EXIT_BUSY; *rows (may be NULL) as for export_write. */
int export_write_xlsx(store *s, import_kind kind, const char *path, char *errmsg, size_t n,
                      long *rows);
/* Writes one field of an exported row (column col, value v, NULL for empty) as export's JSON
 * does: null, a number for days, sessions and hours, else a string. */
void export_json_value(json_writer *j, const char *col, const char *v);

#endif
