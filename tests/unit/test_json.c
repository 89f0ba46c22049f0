/* test_json: the streaming writer: commas, nesting, pretty printing, escaping, numbers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "caseload/json.h"

static void escape_is(const char *in, const char *out)
{
    buf b = BUF_INIT;
    json_escape(&b, in);
    assert_string_equal(buf_str(&b), out);
    buf_free(&b);
}

static void test_score_shape(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    json_writer w;
    json_init(&w, &b, false);
    json_begin_object(&w);
    json_key(&w, "child");
    json_string(&w, "B801200005001");
    json_key(&w, "score");
    json_int(&w, 12);
    json_key(&w, "factors");
    json_begin_array(&w);
    for (int i = 0; i < 2; i++) {
        json_begin_object(&w);
        json_key(&w, "factor");
        json_string(&w, i ? "ehe" : "cme");
        json_key(&w, "value");
        json_int(&w, 1 - i);
        json_end_object(&w);
    }
    json_end_array(&w);
    json_end_object(&w);
    assert_string_equal(buf_str(&b), "{\"child\": \"B801200005001\", \"score\": 12, \"factors\": "
                                     "[{\"factor\": \"cme\", \"value\": 1}, {\"factor\": \"ehe\", "
                                     "\"value\": 0}]}");
    buf_free(&b);
}

static void test_values(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    json_writer w;
    json_init(&w, &b, false);
    json_begin_array(&w);
    json_bool(&w, true);
    json_bool(&w, false);
    json_null(&w);
    json_string(&w, NULL);
    json_int(&w, -9223372036854775807LL - 1);
    json_begin_object(&w);
    json_end_object(&w);
    json_begin_array(&w);
    json_end_array(&w);
    json_end_array(&w);
    assert_string_equal(buf_str(&b), "[true, false, null, null, -9223372036854775808, {}, []]");
    buf_free(&b);
}

static void test_pretty(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    json_writer w;
    json_init(&w, &b, true);
    json_begin_object(&w);
    json_key(&w, "referrals");
    json_begin_object(&w);
    json_key(&w, "total");
    json_int(&w, 3);
    json_key(&w, "by_issue");
    json_begin_object(&w);
    json_end_object(&w);
    json_key(&w, "list");
    json_begin_array(&w);
    json_int(&w, 1);
    json_int(&w, 2);
    json_end_array(&w);
    json_end_object(&w);
    json_end_object(&w);
    assert_string_equal(buf_str(&b), "{\n"
                                     "  \"referrals\": {\n"
                                     "    \"total\": 3,\n"
                                     "    \"by_issue\": {},\n"
                                     "    \"list\": [\n"
                                     "      1,\n"
                                     "      2\n"
                                     "    ]\n"
                                     "  }\n"
                                     "}");
    buf_free(&b);
}

static void test_top_level_scalars(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    json_writer w;
    json_init(&w, &b, false);
    json_string(&w, "x");
    assert_string_equal(buf_str(&b), "\"x\"");
    buf_free(&b);
}

static void number_is(double v, int decimals, const char *out)
{
    buf b = BUF_INIT;
    json_writer w;
    json_init(&w, &b, false);
    json_number(&w, v, decimals);
    assert_string_equal(buf_str(&b), out);
    buf_free(&b);
}

static void test_numbers(void **state)
{
    (void)state;
    number_is(12.5, 1, "12.5");
    number_is(12.0, 1, "12.0");
    number_is(0, 1, "0.0");
    number_is(3, 0, "3");
    number_is(2.5, 0, "3"); /* half away from zero */
    number_is(-2.5, 0, "-3");
    number_is(0.15, 1, "0.2"); /* 0.1499999... in binary, meant as 0.15 */
    number_is(12.25, 1, "12.3");
    number_is(12.24, 1, "12.2");
    number_is(1.0 / 3.0, 2, "0.33");
    number_is(2.0 / 3.0, 1, "0.7");
    number_is(-0.04, 1, "0.0"); /* no negative zero */
    number_is(-1.06, 1, "-1.1");
    number_is(0.05, 1, "0.1");
    number_is(100.05, 1, "100.1");
    number_is(7.0, 3, "7.000");
    number_is(0.001, 3, "0.001");
    number_is(NAN, 1, "null");
    number_is(INFINITY, 1, "null");
    number_is(1e20, 1, "100000000000000000000.0");
}

static void test_escape(void **state)
{
    (void)state;
    escape_is("plain", "\"plain\"");
    escape_is(NULL, "\"\"");
    escape_is("", "\"\"");
    escape_is("a\"b\\c", "\"a\\\"b\\\\c\"");
    escape_is("l1\nl2\r\tt", "\"l1\\nl2\\r\\tt\"");
    escape_is("\b\f", "\"\\b\\f\"");
    escape_is("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
    escape_is("\x1b[31mred", "\"\\u001b[31mred\"");
    escape_is("/", "\"/\"");
    escape_is("Zoë Łukasz 🙂", "\"Zoë Łukasz 🙂\""); /* valid UTF-8 passes through */
    escape_is("bad \xff byte", "\"bad \\ufffd byte\"");
    escape_is("cut \xc3", "\"cut \\ufffd\"");
    escape_is("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* a surrogate is not UTF-8 */
}

static void test_key_escaped(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    json_writer w;
    json_init(&w, &b, false);
    json_begin_object(&w);
    json_key(&w, "a\"b");
    json_int(&w, 1);
    json_end_object(&w);
    assert_string_equal(buf_str(&b), "{\"a\\\"b\": 1}");
    buf_free(&b);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    /* deeper than JSON_MAX_DEPTH still writes balanced output */
    buf b = BUF_INIT;
    json_writer w;
    json_init(&w, &b, false);
    for (int i = 0; i < 40; i++)
        json_begin_array(&w);
    json_int(&w, 1);
    for (int i = 0; i < 40; i++)
        json_end_array(&w);
    assert_int_equal(b.len, 81);
    assert_int_equal(w.depth, 0);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_shape), cmocka_unit_test(test_values),
        cmocka_unit_test(test_pretty),      cmocka_unit_test(test_top_level_scalars),
        cmocka_unit_test(test_numbers),     cmocka_unit_test(test_escape),
        cmocka_unit_test(test_key_escaped), cmocka_unit_test(test_deep_nesting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
