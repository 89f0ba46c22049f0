/* test_name: how a name finds a child already known (name.h): the key two names are compared by,
 * import's same name and the app's similar one, and the child finder's reading of what is typed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "caseload/name.h"
#include "caseload/text.h"

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

static void words(const char *name, const char *want)
{
    buf w = BUF_INIT, k = BUF_INIT;
    name_words_n(&w, name, strlen(name));
    assert_string_equal(buf_str(&w), want);
    name_key(&k, name); /* the key is the words without their spaces */
    size_t j = 0;
    for (size_t i = 0; i < w.len; i++)
        if (w.data[i] != ' ') w.data[j++] = w.data[i];
    w.len = j;
    if (w.data) w.data[j] = '\0';
    assert_string_equal(buf_str(&w), buf_str(&k));
    buf_free(&w);
    buf_free(&k);
}

static void test_words(void **state)
{
    (void)state;
    words("van der Berg", "van der berg");
    words("Ali-Khan", "ali khan");
    words("O'Brien", "obrien");
    words("  Amy -  Jane ", "amy jane");
    words("Mary\xc2\xa0Jane", "mary jane"); /* a no-break space folds to a space */
    words("Zo\xc3\xab", "zoe");
    words("'- -", "");
    words("", "");
    assert_true(name_one_word("Zo\xc3\xab", 4));
    assert_true(name_one_word("O'Brien", 7));
    assert_false(name_one_word("Ali-Khan", 8));
    assert_false(name_one_word("van der Berg", 12));
    assert_false(name_one_word("Mary\xc2\xa0Jane", 10));
}

/* name_one_word says "one word" of no code point that folds to a space or a hyphen: every one of
 * U+0080-FFFF (those above it it never says so of). */
static void test_one_word_every_code_point(void **state)
{
    (void)state;
    buf f = BUF_INIT;
    for (unsigned cp = 0x80; cp <= 0xffff; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        char u[4];
        size_t n = cp < 0x800 ? 2 : 3;
        if (n == 2) {
            u[0] = (char)(0xc0 | cp >> 6);
            u[1] = (char)(0x80 | (cp & 0x3f));
        } else {
            u[0] = (char)(0xe0 | cp >> 12);
            u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
            u[2] = (char)(0x80 | (cp & 0x3f));
        }
        if (!name_one_word(u, n)) continue;
        buf_reset(&f);
        text_fold_n(&f, u, n);
        if (memchr(f.data ? f.data : "", ' ', f.len) || memchr(f.data ? f.data : "", '-', f.len))
            fail_msg("U+%04X folds to '%s', said to be one word", cp, buf_str(&f));
    }
    buf_free(&f);
    assert_false(name_one_word("\xf0\x9d\x90\x80", 4)); /* above U+FFFF: never surely */
}

/* Whether typed finds the child whose first and last names are first and last. */
static bool finds(const char *typed, const char *first, const char *last)
{
    buf w = BUF_INIT, f = BUF_INIT, l = BUF_INIT;
    name_query(typed, &w);
    if (first) name_words_n(&f, first, strlen(first));
    if (last) name_words_n(&l, last, strlen(last));
    bool found = first && last && name_found(buf_str(&w), buf_str(&f), buf_str(&l));
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
    const char *yes[] = {"tom van der berg", "Tom Van Der Berg", "van der berg tom",
                         "tom vanderberg", "tom van", "tom van de", "van der", "vanderb t",
                         "t van der berg", "to", "van", "vAN DER berg, tom",
                         /* any word of a name begins it (issue 8: a hub officer types one) */
                         "berg", "der", "der berg", "be", "tom berg", "tom der berg", "berg tom",
                         "berg, tom", "der b t", "to de"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (!finds(yes[i], "Tom", "van der Berg")) fail_msg("'%s' misses Tom van der Berg", yes[i]);
    const char *no[] = {"tom van der berg x",
                        "tom tom",
                        "tom van tom",
                        "tomv",
                        "van tom der berg",
                        "",
                        "' -",
                        "erg",
                        "om",
                        "berg der tom",
                        "tom berg van",
                        "bergt",
                        "tom van berg"};
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
    assert_true(finds("jane", "Amy Jane", "Smith"));       /* a second given name */
    assert_true(finds("jane smith", "Amy Jane", "Smith"));
    assert_true(finds("smith jane", "Amy Jane", "Smith"));
    assert_false(finds("jane amy", "Amy Jane", "Smith"));
    assert_true(finds("khan", "Ali", "Patel-Khan")); /* a double-barrelled name */
    assert_true(finds("ali khan", "Ali", "Patel-Khan"));
    assert_true(finds("jane khan", "Amy Jane", "Patel-Khan")); /* later words of both names */
    assert_true(finds("khan ja", "Amy Jane", "Patel-Khan"));
    assert_false(finds("brien", "Siobhan", "O'Brien")); /* an apostrophe parts no words */
    /* Keys (child_names) are the words of a name of one word: as before for them. */
    assert_true(name_found("tom van", "tom", "vanderberg"));
    assert_false(name_found("berg", "tom", "vanderberg"));
    assert_true(finds("smith, amy", "Amy", "Smith")); /* as a register writes it */
    assert_false(finds("amy smith", "Anna", "Smith"));
    assert_false(finds("amy smith", "Amy", NULL));
    assert_false(name_found(NULL, "amy", "smith"));
    assert_false(name_found("amy", "", ""));
    assert_true(name_found("smith", "", "smith")); /* no first name recorded */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key),
        cmocka_unit_test(test_same),
        cmocka_unit_test(test_similar),
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_found),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_one_word_every_code_point),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
