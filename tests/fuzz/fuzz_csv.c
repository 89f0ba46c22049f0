/* fuzz_csv: libFuzzer harness of the CSV reader. Any input must read to the end or stop at an
 * error without crashing or reading outside the text; record lines must never go backwards and
 * never pass the number of lines in the input; an error must carry a message and a line; and every
 * record read must come back unchanged after csv_write_field and a second reading (the writer and
 * the reader agree).
 * Build: CC=clang meson setup build-fuzz -Dfuzz=true && ninja -C build-fuzz, then
 * build-fuzz/tests/fuzz/fuzz_csv -max_total_time=60 (a corpus folder is optional). */
#include "caseload/buf.h"
#include "caseload/csv.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes the current record of r as one CSV line. A record of one empty field is written as ""
 * (a bare empty line would be a blank line, which is not a record). */
static void write_record(const csv_reader *r, buf *out)
{
    size_t n = csv_nfields(r);
    if (n == 1 && csv_field(r, 0)[0] == '\0') {
        buf_puts(out, "\"\"\n");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (i) buf_putc(out, ',');
        csv_write_field(out, csv_field(r, i));
    }
    buf_putc(out, '\n');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes on the heap, so reading past the end is caught. */
    char *text = malloc(size ? size : 1);
    if (!text) return 0;
    if (size) memcpy(text, data, size);
    long lines = 1;
    for (size_t i = 0; i < size; i++)
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == size || text[i + 1] != '\n'))) lines++;

    csv_reader r, again;
    csv_init(&r, text, size);
    buf rewritten = BUF_INIT;
    long last = 0, records = 0;
    int rc;
    while ((rc = csv_next(&r)) == 1) {
        if (r.record_line < last || r.record_line < 1 || r.record_line > lines) abort();
        if (csv_nfields(&r) == 0) abort();
        last = r.record_line;
        records++;
        write_record(&r, &rewritten);
    }
    if (rc == -1 && (!r.error || r.error_line < 1 || r.error_line > lines)) abort();
    if (rc != 0 && rc != -1) abort();
    if (csv_next(&r) != rc) abort(); /* the end and errors are sticky */

    /* Read the rewritten records back and compare them with a fresh reading of the input. */
    csv_reader first;
    csv_init(&first, text, size);
    csv_init(&again, rewritten.data ? rewritten.data : "", rewritten.len);
    for (long k = 0; k < records; k++) {
        if (csv_next(&first) != 1 || csv_next(&again) != 1) abort();
        if (csv_nfields(&first) != csv_nfields(&again)) abort();
        for (size_t i = 0; i < csv_nfields(&first); i++)
            if (strcmp(csv_field(&first, i), csv_field(&again, i)) != 0) abort();
    }
    if (csv_next(&again) != 0) abort();

    csv_free(&first);
    csv_free(&again);
    csv_free(&r);
    buf_free(&rewritten);
    free(text);
    return 0;
}
