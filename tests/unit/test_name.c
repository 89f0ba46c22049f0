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

static void query(const char *typed, const char *words)
{
    buf w = BUF_INIT;
    name_query(typed, &w);
    assert_string_equal(buf_str(&w), words);
    buf_free(&w);
}

static void test_query(void **state)
{
    (void)state;
    query("amy", "amy");
    query("Amy Smith", "amy smith");
    query("  Amy   Smith  ", "amy smith");
    query("Amy Jane Smith", "amy jane smith"); /* every word, none dropped */
    query("Tom van der Berg", "tom van der berg");
    query("\xc5\x81ucja D\xc4\x85"
          "b",
          "lucja dab");
    query("O'Bri", "obri"); /* keyed as the finder's names are stored: no ' or - */
    query("Mary-Jane O\xe2\x80\x99"
          "Brien",
          "maryjane obrien");
    query("' -", "");
    query("", "");
    query("   ", "");
    query(NULL, "");
}

/* Whether typed finds the child whose first and last names are first and last. */
static bool finds(const char *typed, const char *first, const char *last)
{
    buf w = BUF_INIT, f = BUF_INIT, l = BUF_INIT;
    name_query(typed, &w);
    name_key(&f, first);
    name_key(&l, last);
    bool found = name_found(buf_str(&w), buf_str(&f), buf_str(&l));
    buf_free(&w);
    buf_free(&f);
    buf_free(&l);
    return found;
}

/* Every word typed counts (issue 8): "tom van der berg" read only "tom" and "berg" and found
 * nobody; "amy jane smith" found Amy Smith, "van" being skipped. */
static void test_found(void **state)
{
    (void)state;
    const char *yes[] = {"tom van der berg",
                         "Tom Van Der Berg",
                         "van der berg tom",
                         "tom vanderberg",
                         "tom van",
                         "tom van de",
                         "van der",
                         "vanderb t",
                         "t van der berg",
                         "to",
                         "van",
                         "vAN DER berg, tom"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (!finds(yes[i], "Tom", "van der Berg")) fail_msg("'%s' misses Tom van der Berg", yes[i]);
    const char *no[] = {"tom berg", "tom der berg", "berg", "tom van der berg x",
                        "tom tom",  "tom van tom",  "tomv", "van tom der berg",
                        "",         "' -",          "der"};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (finds(no[i], "Tom", "van der Berg")) fail_msg("'%s' finds Tom van der Berg", no[i]);
    assert_true(finds("mary jane smith", "Mary-Jane", "Smith"));
    assert_true(finds("mary smith", "Mary Jane", "Smith"));
    assert_true(finds("smith mary jane", "Mary Jane", "Smith"));
    assert_true(finds("amy smi", "Amy", "Smith"));
    assert_true(finds("smith amy", "Amy", "Smith"));
    assert_true(finds("siobhan o'bri", "Siobhan", "O'Brien"));
    const char *lucja = "\xc5\x81ucja", *dabrowska = "D\xc4\x85"
                                                     "browska";
    assert_true(finds("\xc5\x81UCJA d\xc4\x85"
                      "b",
                      lucja, dabrowska));
    assert_false(finds("amy jane smith", "Amy", "Smith")); /* "jane" is not in her name */
    assert_true(finds("smith, amy", "Amy", "Smith"));      /* as a register writes it */
    assert_false(finds("amy smith", "Anna", "Smith"));
    assert_false(finds("amy smith", "Amy", NULL));
    assert_false(name_found(NULL, "amy", "smith"));
    assert_false(name_found("amy", "", ""));
    assert_true(name_found("smith", "", "smith")); /* no first name recorded */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key),   cmocka_unit_test(test_same),  cmocka_unit_test(test_similar),
        cmocka_unit_test(test_query), cmocka_unit_test(test_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
