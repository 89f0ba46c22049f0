/* test_name: how a name finds a child already known (name.h): the key two names are compared by,
 * import's same name and the app's similar one, and the child finder's reading of what is typed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "caseload/name.h"

static void keyed(const char *in, const char *want)
{
    buf b = BUF_INIT;
    name_key(&b, in);
    assert_string_equal(buf_str(&b), want);
    buf_free(&b);
}

static void test_key(void **state)
{
    (void)state;
    keyed("Smith", "smith");
    keyed("O'Brien", "obrien");
    keyed("OBrien", "obrien");
    keyed("O\xe2\x80\x99"
          "Brien",
          "obrien"); /* a typographic apostrophe */
    keyed("Mary-Jane", "maryjane");
    keyed("Mary Jane", "maryjane");
    keyed("Zo\xc3\xab", "zoe");
    keyed("\xc5\x81ucja D\xc4\x85"
          "browska",
          "lucjadabrowska");
    keyed("", "");
    buf b = BUF_INIT;
    name_key(&b, NULL);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

#define MATCH(f1, l1, f2, l2) name_match(f1, l1, f2, l2)

static void test_same(void **state)
{
    (void)state;
    assert_int_equal(MATCH("Amy", "Smith", "AMY", "SMITH"), NAME_SAME);
    assert_int_equal(MATCH("Zo\xc3\xab", "Khan", "Zoe", "khan"), NAME_SAME);
    assert_int_equal(MATCH("Mary-Jane", "O'Brien", "Mary Jane", "OBrien"), NAME_SAME);
    assert_int_equal(MATCH("\xc5\x81ucja",
                           "D\xc4\x85"
                           "browska",
                           "lucja", "dabrowska"),
                     NAME_SAME);
    /* the same words under the other name are not the same name */
    assert_int_equal(MATCH("Amy", "Smith", "Smith", "Amy"), NAME_SIMILAR);
}

static void test_similar(void **state)
{
    (void)state;
    assert_int_equal(MATCH("Jon", "Smith", "John", "Smith"), NAME_SIMILAR);   /* one edit */
    assert_int_equal(MATCH("Amy", "Smith", "Anna", "Smith"), NAME_SIMILAR);   /* initial */
    assert_int_equal(MATCH("Amy", "Smyth", "Amy", "Smith"), NAME_SIMILAR);    /* one edit */
    assert_int_equal(MATCH("Amy", "Smyth", "Amie", "Smith"), NAME_DIFFERENT); /* three */
    assert_int_equal(MATCH("Jo", "Smith", "Jon", "Smyth"), NAME_SIMILAR);     /* two in all */
    assert_int_equal(MATCH("Bob", "Jones", "Amy", "Smith"), NAME_DIFFERENT);
    assert_int_equal(MATCH("Amy", "Smith", "Beth", "Smith"), NAME_DIFFERENT);   /* same last */
    assert_int_equal(MATCH("Amy", "Smith", "Amy", "Smithson"), NAME_DIFFERENT); /* same first */
    assert_int_equal(MATCH("", "Smith", "", "Smith"), NAME_SAME);
    assert_int_equal(MATCH("", "Smith", "Amy", "Smith"), NAME_DIFFERENT); /* no initial */
    assert_int_equal(MATCH(NULL, "Smith", "Amy", "Smith"), NAME_DIFFERENT);
    assert_int_equal(MATCH("Amy", "Smith", "Amy", NULL), NAME_DIFFERENT);
}

static void query(const char *typed, const char *first, const char *last)
{
    buf f = BUF_INIT, l = BUF_INIT;
    name_query(typed, &f, &l);
    assert_string_equal(buf_str(&f), first);
    assert_string_equal(buf_str(&l), last);
    buf_free(&f);
    buf_free(&l);
}

static void test_query(void **state)
{
    (void)state;
    query("amy", "amy", "");
    query("Amy Smith", "amy", "smith");
    query("  Amy   Smith  ", "amy", "smith");
    query("Amy Jane Smith", "amy", "smith");
    query("\xc5\x81ucja D\xc4\x85"
          "b",
          "lucja", "dab");
    query("O'Bri", "obri", ""); /* keyed as the finder's names are stored: no ' or - */
    query("Mary-Jane O\xe2\x80\x99"
          "Brien",
          "maryjane", "obrien");
    query("' -", "", "");
    query("", "", "");
    query("   ", "", "");
    query(NULL, "", "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key),
        cmocka_unit_test(test_same),
        cmocka_unit_test(test_similar),
        cmocka_unit_test(test_query),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
