/* xlsx: one table written as an Excel workbook with libxlsxwriter, for exports and reports: a
 * bold header row that stays frozen, then rows whose cells are typed by their column, so a
 * spreadsheet keeps what a CSV would lose: text cells stay text (leading zeros kept, "1E5" not a
 * number, "=..." never a formula), dates are date cells shown YYYY-MM-DD, numbers are numbers. */
#ifndef CASELOAD_XLSX_H
#define CASELOAD_XLSX_H

#include <stddef.h>

typedef enum {
    XLSX_TEXT,   /* a text cell, whatever it looks like */
    XLSX_NUMBER, /* a number cell when the value is a decimal number, else text */
    XLSX_DATE    /* a date cell when the value is YYYY-MM-DD, else text */
} xlsx_type;

typedef struct xlsx xlsx;

/* Creates the workbook path (replacing what is there; give it outfile.h's temporary file) with
 * one worksheet named sheet and the header row cols[0..ncols) with types[0..ncols). Returns
 * EXIT_OK and *out, or EXIT_IO with errmsg (n bytes). */
int xlsx_open(xlsx **out, const char *path, const char *sheet, const char *const *cols,
              const xlsx_type *types, size_t ncols, char *errmsg, size_t n);
/* Appends one row: fields[i] (NULL or "" leaves the cell blank) as types[i] says. Returns
 * EXIT_OK, or EXIT_DATA with errmsg when a worksheet cannot hold it (more than 1,048,575 rows, a
 * text of more than 32,767 characters). */
int xlsx_row(xlsx *x, const char *const *fields, size_t nfields, char *errmsg, size_t n);
/* Writes the file and frees x. Returns EXIT_OK or EXIT_IO with errmsg (x is freed either way). */
int xlsx_close(xlsx *x, char *errmsg, size_t n);
/* Frees x without caring whether the file is whole (after an error). */
void xlsx_discard(xlsx *x);

#endif
