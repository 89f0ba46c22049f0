/* test_csv: the RFC 4180 reader (fields, quoting, line numbers across multi-line records, errors)
 * and the writer's quoting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "caseload/csv.h"

/* Reads the next record and checks its start line and fields ("|"-separated in expect). */
static void next_is(csv_reader *r, long line, size_t n, const char *const *fields)
{
    assert_int_equal(csv_next(r), 1);
    assert_int_equal(r->record_line, line);
    assert_int_equal(csv_nfields(r), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(csv_field(r, i), fields[i]);
}

#define NEXT(r, line, ...)                                                                         \
    do {                                                                                           \
        const char *const f_[] = {__VA_ARGS__};                                                    \
        next_is(r, line, sizeof f_ / sizeof f_[0], f_);                                            \
    } while (0)

static void init_s(csv_reader *r, const char *s)
{
    csv_init(r, s, strlen(s));
}

static void test_simple(void **state)
{
    (void)state;
    csv_reader r;
    init_s(&r, "a,b,c\n1,2,3\n");
    NEXT(&r, 1, "a", "b", "c");
    NEXT(&r, 2, "1", "2", "3");
    assert_int_equal(csv_next(&r), 0);
    assert_int_equal(csv_next(&r), 0);
    csv_free(&r);
}

static void test_no_final_newline_and_empty_fields(void **state)
{
    (void)state;
    csv_reader r;
    init_s(&r, "a,,c\n,,\n,x\nlast,");
    NEXT(&r, 1, "a", "", "c");
    NEXT(&r, 2, "", "", "");
    NEXT(&r, 3, "", "x");
    NEXT(&r, 4, "last", "");
    assert_int_equal(csv_next(&r), 0);
    csv_free(&r);
}

static void test_empty_input(void **state)
{
    (void)state;
    csv_reader r;
    init_s(&r, "");
    assert_int_equal(csv_next(&r), 0);
    csv_free(&r);
    init_s(&r, "\xEF\xBB\xBF");
    assert_int_equal(csv_next(&r), 0);
    csv_free(&r);
    init_s(&r, "\n\r\n");
    assert_int_equal(csv_next(&r), 0);
    csv_free(&r);
}

static void test_crlf_and_bom(void **state)
{
    (void)state;
    csv_reader r;
    init_s(&r, "\xEF\xBB\xBFref,upn\r\nR1,\"B801200005001\"\r\nR2,x\r\n");
    NEXT(&r, 1, "ref", "upn");
    NEXT(&r, 2, "R1", "B801200005001");
    NEXT(&r, 3, "R2", "x");
    assert_int_equal(csv_next(&r), 0);
    csv_free(&r);
    /* a BOM only at the start is skipped */
    init_s(&r, "a\n\xEF\xBB\xBF");
    NEXT(&r, 1, "a");
    NEXT(&r, 2, "\xEF\xBB\xBF");
    csv_free(&r);
    /* lone CR line ends (old Mac exports) */
    init_s(&r, "a,b\rc,d\r");
    NEXT(&r, 1, "a", "b");
    NEXT(&r, 2, "c", "d");
    assert_int_equal(csv_next(&r), 0);
    csv_free(&r);
}

static void test_quoted(void **state)
{
    (void)state;
    csv_reader r;
    init_s(&r, "\"a,b\",\"say \"\"hi\"\"\",\"\",\"\"\"\"\n\"x\"\n");
    NEXT(&r, 1, "a,b", "say \"hi\"", "", "\"");
    NEXT(&r, 2, "x");
    assert_int_equal(csv_next(&r), 0);
    csv_free(&r);
    /* quoted field at the very end, no newline */
    init_s(&r, "1,\"end\"");
    NEXT(&r, 1, "1", "end");
    assert_int_equal(csv_next(&r), 0);
    csv_free(&r);
}

static void test_multiline_line_numbers(void **state)
{
    (void)state;
    csv_reader r;
    init_s(&r, "ref,summary\n"
               "R1,\"line one\nline two\nline three\"\n"
               "R2,plain\n"
               "R3,\"crlf\r\ninside\"\r\n"
               "\n"
               "R4,\"cr\rinside\",\"and\n\"\n"
               "R5,x\n");
    NEXT(&r, 1, "ref", "summary");
    NEXT(&r, 2, "R1", "line one\nline two\nline three");
    NEXT(&r, 5, "R2", "plain");
    NEXT(&r, 6, "R3", "crlf\ninside");        /* a line break in a field is LF */
    NEXT(&r, 9, "R4", "cr\ninside", "and\n"); /* line 8 was blank */
    NEXT(&r, 12, "R5", "x");
    assert_int_equal(csv_next(&r), 0);
    csv_free(&r);
}

static void test_blank_lines_skipped(void **state)
{
    (void)state;
    csv_reader r;
    init_s(&r, "\n\na,b\n\n\nc,d\n\n\n");
    NEXT(&r, 3, "a", "b");
    NEXT(&r, 6, "c", "d");
    assert_int_equal(csv_next(&r), 0);
    csv_free(&r);
    init_s(&r, "a\r\n\r\nb\r\n");
    NEXT(&r, 1, "a");
    NEXT(&r, 3, "b");
    csv_free(&r);
}

static void test_utf8_passes(void **state)
{
    (void)state;
    csv_reader r;
    init_s(&r, "Zoë,O'Brien,Łukasz-José\n");
    NEXT(&r, 1, "Zoë", "O'Brien", "Łukasz-José");
    csv_free(&r);
}

static void expect_error(const char *text, size_t len, int good_records, const char *msg, long line)
{
    csv_reader r;
    csv_init(&r, text, len);
    for (int i = 0; i < good_records; i++)
        assert_int_equal(csv_next(&r), 1);
    assert_int_equal(csv_next(&r), -1);
    assert_non_null(r.error);
    assert_non_null(strstr(r.error, msg));
    assert_int_equal(r.error_line, line);
    assert_int_equal(csv_next(&r), -1); /* stays failed */
    csv_free(&r);
}

#define ERR(text, good, msg, line) expect_error(text, sizeof text - 1, good, msg, line)

static void test_errors(void **state)
{
    (void)state;
    /* the unterminated quote is named at the line where the field started */
    ERR("a,b\n1,\"never\nclosed\n\n", 1, "unterminated quoted field", 2);
    ERR("a,b\n1,\"two\nlines\"\n2,\"open\n", 2, "unterminated quoted field", 4);
    ERR("\"", 0, "unterminated quoted field", 1);
    /* a quote inside an unquoted field */
    ERR("a,b\nO\"Brien,x\n", 1, "quote inside an unquoted field", 2);
    ERR("a,b\n1,\"x\ny\"\nab\"c\n", 2, "quote inside an unquoted field", 4);
    ERR("a, \"b\"\n", 0, "quote inside an unquoted field", 1);
    /* text after a closing quote */
    ERR("a,b\n\"x\"y,1\n", 1, "text after a closing quote", 2);
    ERR("a,b\n\"multi\nline\" ,1\n", 1, "text after a closing quote", 3);
    /* a NUL byte (e.g. a UTF-16 file) */
    ERR("a,b\nx\0y,1\n", 1, "NUL", 2);
    ERR("a,\"x\0\"\n", 0, "NUL", 1);
}

static void test_not_nul_terminated(void **state)
{
    (void)state;
    /* The reader must not read past len: the text is cut in the middle of a longer buffer. */
    const char text[] = "a,b\nc,\"d\"XYZ";
    csv_reader r;
    csv_init(&r, text, 9);
    NEXT(&r, 1, "a", "b");
    NEXT(&r, 2, "c", "d");
    assert_int_equal(csv_next(&r), 0);
    csv_free(&r);
    char *heap = malloc(3);
    memcpy(heap, "x,y", 3);
    csv_init(&r, heap, 3);
    NEXT(&r, 1, "x", "y");
    csv_free(&r);
    free(heap);
}

static void test_many_fields(void **state)
{
    (void)state;
    char text[4000];
    size_t n = 0;
    for (int i = 0; i < 500; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%d", i ? "," : "", i);
    csv_reader r;
    csv_init(&r, text, n);
    assert_int_equal(csv_next(&r), 1);
    assert_int_equal(csv_nfields(&r), 500);
    assert_string_equal(csv_field(&r, 0), "0");
    assert_string_equal(csv_field(&r, 499), "499");
    assert_string_equal(csv_field(&r, 500), ""); /* out of range */
    csv_free(&r);
}

static void write_is(const char *in, const char *out)
{
    buf b = BUF_INIT;
    csv_write_field(&b, in);
    assert_string_equal(buf_str(&b), out);
    buf_free(&b);
}

static void test_separator_at_every_offset(void **state)
{
    (void)state;
    /* The reader scans plain text eight bytes at a time: a separator, line break or quote must be
     * found at any offset in those blocks, after ASCII or multi-byte UTF-8 text. */
    const char *fillers[] = {"x", "é", "\xff"};
    for (int f = 0; f < 3; f++) {
        for (int k = 0; k < 20; k++) {
            char field[128] = "", text[512];
            size_t fl = strlen(fillers[f]);
            for (int i = 0; i < k; i++)
                memcpy(field + i * fl, fillers[f], fl + 1);
            csv_reader r;
            snprintf(text, sizeof text, "%s,%s\n%s\r\nlast", field, field, field);
            init_s(&r, text);
            NEXT(&r, 1, field, field);
            if (k) NEXT(&r, 2, field); /* else a blank line, which is not a record */
            NEXT(&r, 3, "last");
            assert_int_equal(csv_next(&r), 0);
            csv_free(&r);
            snprintf(text, sizeof text, "%s\"q", field);
            init_s(&r, text);
            assert_int_equal(csv_next(&r), -1);
            assert_non_null(strstr(r.error, k ? "quote inside an unquoted field" : "unterminated"));
            csv_free(&r);
            snprintf(text, sizeof text, "%s\r%s", field, field);
            init_s(&r, text);
            if (k) NEXT(&r, 1, field);
            if (k) NEXT(&r, 2, field);
            assert_int_equal(csv_next(&r), 0);
            csv_free(&r);
        }
    }
}

static void test_write_field(void **state)
{
    (void)state;
    write_is("plain", "plain");
    write_is("", "");
    write_is("a,b", "\"a,b\"");
    write_is("say \"hi\"", "\"say \"\"hi\"\"\"");
    write_is("\"", "\"\"\"\"");
    write_is("two\nlines", "\"two\nlines\"");
    write_is("cr\r", "\"cr\r\"");
    write_is("O'Brien", "O'Brien");
    write_is(" spaced ", " spaced ");
    write_is("\xEF\xBB\xBF"
             "bom",
             "\"\xEF\xBB\xBF"
             "bom\""); /* found by fuzz_csv */
    write_is("a\xEF\xBB\xBF", "a\xEF\xBB\xBF");
}

static void test_write_read_roundtrip(void **state)
{
    (void)state;
    const char *fields[] = {"\xEF\xBB\xBF\x62om", /* "bom" after a byte order mark */
                            "",
                            "x",
                            "a,b",
                            "\"",
                            "q\"q",
                            "l1\nl2",
                            "crlf\r\nx",
                            "Zoë",
                            ",\n\""};
    size_t n = sizeof fields / sizeof fields[0];
    buf b = BUF_INIT;
    for (int rec = 0; rec < 3; rec++) {
        for (size_t i = 0; i < n; i++) {
            if (i) buf_putc(&b, ',');
            csv_write_field(&b, fields[i]);
        }
        buf_append(&b, "\r\n", 2);
    }
    csv_reader r;
    csv_init(&r, b.data, b.len);
    long line = 1;
    for (int rec = 0; rec < 3; rec++) {
        assert_int_equal(csv_next(&r), 1);
        assert_int_equal(r.record_line, line);
        assert_int_equal(csv_nfields(&r), n);
        for (size_t i = 0; i < n; i++) /* a CRLF inside a field is read as LF */
            assert_string_equal(csv_field(&r, i),
                                strcmp(fields[i], "crlf\r\nx") == 0 ? "crlf\nx" : fields[i]);
        line += 4; /* three line breaks inside the fields, one at the end */
    }
    assert_int_equal(csv_next(&r), 0);
    csv_free(&r);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple),
        cmocka_unit_test(test_no_final_newline_and_empty_fields),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_crlf_and_bom),
        cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_multiline_line_numbers),
        cmocka_unit_test(test_blank_lines_skipped),
        cmocka_unit_test(test_utf8_passes),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_not_nul_terminated),
        cmocka_unit_test(test_many_fields),
        cmocka_unit_test(test_separator_at_every_offset),
        cmocka_unit_test(test_write_field),
        cmocka_unit_test(test_write_read_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
