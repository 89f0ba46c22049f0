/* test_xlsx: xlsx.c's errors, with libxlsxwriter opened by xlsx_open (dlopen, issue 8): a header
 * or a cell that a worksheet cannot hold is refused with its message, after which the workbook,
 * the xlsx and the library are all let go (run under AddressSanitizer, a message read from a
 * freed xlsx fails here). The workbooks written are checked with openpyxl by cli_xlsx. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "caseload/exitcode.h"
#include "caseload/xlsx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TOO_LONG 32768 /* one more character than a cell holds */

static void temp_path(char *path, size_t n)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, n, "%s/test_xlsx.%ld.xlsx", dir && *dir ? dir : "/tmp", (long)getpid());
}

static char *long_text(void)
{
    char *s = malloc(TOO_LONG + 1);
    assert_non_null(s);
    memset(s, 'a', TOO_LONG);
    s[TOO_LONG] = '\0';
    return s;
}

static void test_header_too_long(void **state)
{
    (void)state;
    char path[512], err[256] = "";
    temp_path(path, sizeof path);
    char *name = long_text();
    const char *cols[] = {"ref", name};
    const xlsx_type types[] = {XLSX_TEXT, XLSX_TEXT};
    xlsx *x = (xlsx *)1;
    assert_int_equal(xlsx_open(&x, path, "referrals", cols, types, 2, err, sizeof err), EXIT_IO);
    assert_null(x);
    assert_string_equal(err, "writing the header row: String exceeds Excel's limit of 32,767 "
                             "characters.");
    free(name);
    unlink(path);
}

static void test_cell_too_long(void **state)
{
    (void)state;
    char path[512], err[256] = "";
    temp_path(path, sizeof path);
    const char *cols[] = {"ref", "summary"};
    const xlsx_type types[] = {XLSX_TEXT, XLSX_TEXT};
    xlsx *x = NULL;
    assert_int_equal(xlsx_open(&x, path, "referrals", cols, types, 2, err, sizeof err), EXIT_OK);
    assert_non_null(x);
    char *summary = long_text();
    const char *ok[] = {"R1", "short"}, *bad[] = {"R2", summary};
    assert_int_equal(xlsx_row(x, ok, 2, err, sizeof err), EXIT_OK);
    assert_int_equal(xlsx_row(x, bad, 2, err, sizeof err), EXIT_DATA);
    assert_string_equal(err, "row 3, column 2: a text longer than 32,767 characters does not fit "
                             "a cell (use CSV)");
    xlsx_discard(x);
    free(summary);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_too_long),
        cmocka_unit_test(test_cell_too_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
