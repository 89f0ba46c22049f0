/* csv: an RFC 4180 reader over text in memory, and the quoting rule for writing.
 * The reader reports the line on which each record starts, counting the newlines
 * inside quoted fields of earlier records, so errors name the right line. */
#ifndef CASELOAD_CSV_H
#define CASELOAD_CSV_H

#include "caseload/buf.h"
#include <stddef.h>

typedef struct {
    const char *text; /* the whole file; need not be NUL-terminated */
    size_t len;
    size_t pos;      /* next byte to read */
    long line;       /* line number (1-based) at pos */
    buf field_text;  /* unquoted fields of the current record, NUL-separated */
    size_t *offsets; /* start of each field in field_text */
    size_t nfields, cap_fields;
    long record_line;  /* line on which the current record started */
    const char *error; /* on -1: what is wrong, e.g. "unterminated quoted field" */
    long error_line;
} csv_reader;

/* Starts reading text (len bytes). A UTF-8 byte order mark at the start is skipped. */
void csv_init(csv_reader *r, const char *text, size_t len);
/* Reads the next record. Returns 1 with a record, 0 at the end, -1 on malformed input
 * (r->error, r->error_line; every later call returns -1 too). Lines may end in LF, CRLF or a lone
 * CR; inside a quoted field each of them is read as LF. Blank lines (anywhere) are not records, but
 * they count for line numbers. Errors: an unterminated quoted field (error_line is the line where
 * the field started), a quote inside an unquoted field, text after a closing quote, a NUL byte. */
int csv_next(csv_reader *r);
/* Number of fields of the current record and the i-th one (NUL-terminated, valid until the
 * next call to csv_next). */
size_t csv_nfields(const csv_reader *r);
const char *csv_field(const csv_reader *r, size_t i);
/* Frees what the reader allocated. */
void csv_free(csv_reader *r);

/* Appends s to out as one CSV field, quoted only when it holds a comma, quote, CR or LF (or starts
 * with a byte order mark, which a reader would otherwise skip at the start of a file). */
void csv_write_field(buf *out, const char *s);

#endif
