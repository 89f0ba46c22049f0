/* test_buf: the growable buffer keeps a NUL, grows, formats and resets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "caseload/buf.h"

static void test_empty(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_string_equal(buf_str(&b), "");
    assert_int_equal(b.len, 0);
    buf_reset(&b); /* on a buffer never used */
    assert_string_equal(buf_str(&b), "");
    buf_free(&b);
    buf_free(&b); /* twice is harmless */
    assert_null(b.data);
}

static void test_append(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_puts(&b, "abc");
    buf_putc(&b, 'd');
    buf_append(&b, "efgh", 2);
    buf_append(&b, "", 0);
    assert_string_equal(buf_str(&b), "abcdef");
    assert_int_equal(b.len, 6);
    assert_int_equal(b.data[6], '\0');
    buf_free(&b);
}

static void test_embedded_nul(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_append(&b, "a\0b", 3);
    buf_putc(&b, '\0');
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.data, "a\0b\0", 5);
    buf_free(&b);
}

static void test_grow_large(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    for (int i = 0; i < 100000; i++)
        buf_putc(&b, (char)('a' + i % 26));
    assert_int_equal(b.len, 100000);
    assert_true(b.cap > b.len);
    assert_int_equal(b.data[99999], 'a' + 99999 % 26);
    assert_int_equal(b.data[100000], '\0');
    buf_free(&b);
}

static void test_printf(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_printf(&b, "%d-%s", 42, "x");
    buf_printf(&b, "|%05.1f", 2.25);
    assert_string_equal(buf_str(&b), "42-x|002.2");
    /* longer than any initial capacity: needs the second formatting pass */
    char big[1000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    buf_reset(&b);
    buf_printf(&b, "<%s>", big);
    assert_int_equal(b.len, 1001);
    assert_int_equal(b.data[0], '<');
    assert_int_equal(b.data[1000], '>');
    assert_int_equal(b.data[1001], '\0');
    buf_free(&b);
}

static void test_reset_keeps_memory(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_puts(&b, "hello world");
    char *p = b.data;
    size_t cap = b.cap;
    buf_reset(&b);
    assert_string_equal(buf_str(&b), "");
    assert_ptr_equal(b.data, p);
    assert_int_equal(b.cap, cap);
    buf_puts(&b, "again");
    assert_string_equal(buf_str(&b), "again");
    buf_free(&b);
    buf_puts(&b, "reused after free");
    assert_string_equal(buf_str(&b), "reused after free");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),        cmocka_unit_test(test_append),
        cmocka_unit_test(test_embedded_nul), cmocka_unit_test(test_grow_large),
        cmocka_unit_test(test_printf),       cmocka_unit_test(test_reset_keeps_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
