/* test_text: nothing from data reaches a terminal as a control: C0, DEL, C1 and bad UTF-8 are
 * replaced; valid text passes unchanged. Folding: names found however typed, and words of Latin-1
 * and Latin Extended-A letters folded as ICU folds them without opening ICU. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <locale.h>

#include "caseload/text.h"

#include <dlfcn.h>
#include <stdio.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

/* ICU's transliterators opened by this program: utrans_openU (a macro naming ICU's versioned
 * symbol) is defined here, in front of ICU's, counts and hands on to ICU's. */
static int icu_opened;
#define NAME2(x) #x
#define NAME(x) NAME2(x)

U_CAPI UTransliterator *U_EXPORT2 utrans_openU(const UChar *id, int32_t idlen, UTransDirection dir,
                                               const UChar *rules, int32_t rlen, UParseError *pe,
                                               UErrorCode *e)
{
    typedef UTransliterator *open_fn(const UChar *, int32_t, UTransDirection, const UChar *,
                                     int32_t, UParseError *, UErrorCode *);
    open_fn *icu = (open_fn *)(uintptr_t)dlsym(RTLD_NEXT, NAME(utrans_openU));
    assert_non_null(icu);
    icu_opened++;
    return icu(id, idlen, dir, rules, rlen, pe, e);
}

static void sanitized(const char *in, size_t n, const char *out, size_t replaced)
{
    buf b = BUF_INIT;
    assert_int_equal(text_sanitize_n(&b, in, n), replaced);
    assert_string_equal(buf_str(&b), out);
    assert_int_equal(b.len, strlen(out));
    buf_free(&b);
}

#define S(in, out, k) sanitized(in, sizeof in - 1, out, k)

static void test_clean_text_unchanged(void **state)
{
    (void)state;
    S("", "", 0);
    S("Smith", "Smith", 0);
    S("O'Brien-Łukasz Zoë", "O'Brien-Łukasz Zoë", 0);
    S("日本語 🙂 \xc2\xa0nbsp", "日本語 🙂 \xc2\xa0nbsp",
      0); /* U+00A0 is the first after C1 */
    S("~ and space", "~ and space", 0);
    assert_true(text_is_clean("Zoë 🙂"));
    assert_true(text_is_clean(NULL));
    assert_true(text_is_clean(""));
}

static void test_c0_and_del(void **state)
{
    (void)state;
    S("\x1b[2J\x1b]0;title\x07", "?[2J?]0;title?", 3);
    S("a\nb\rc\td", "a?b?c?d", 3);
    S("\x7f", "?", 1);
    S("\x01\x1f", "??", 2);
    S("nul\0inside", "nul?inside", 1); /* with a length, NUL is data too */
    assert_false(text_is_clean("a\nb"));
    assert_false(text_is_clean("\x1b"));
    assert_false(text_is_clean("\x7f"));
}

static void test_c1(void **state)
{
    (void)state;
    /* U+009B is the 8-bit CSI: as UTF-8 it is C2 9B */
    S("\xc2\x9b"
      "31m",
      "?31m", 1);
    S("\xc2\x80\xc2\x9f", "??", 2);
    /* raw C1 bytes are not UTF-8 either */
    S("\x9b"
      "2J",
      "?2J", 1);
    assert_false(text_is_clean("\xc2\x9b"));
    assert_true(text_is_clean("\xc2\xa0"));
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    S("a\xff"
      "b",
      "a?b", 1);
    S("\xc3", "?", 1);                /* truncated at the end */
    S("\xc3(", "?(", 1);              /* bad continuation */
    S("\xc0\xaf", "??", 2);           /* overlong '/' */
    S("\xe0\x80\xaf", "???", 3);      /* overlong, three bytes */
    S("\xed\xa0\x80", "???", 3);      /* surrogate */
    S("\xf4\x90\x80\x80", "????", 4); /* above U+10FFFF */
    S("\xf0\x9f\x99", "???", 3);      /* truncated emoji */
    S("\xe2\x82\xac\x80", "€?", 1);   /* stray continuation */
    assert_false(text_is_clean("\xff"));
}

static void test_utf8_len(void **state)
{
    (void)state;
    unsigned cp = 0;
    assert_int_equal(text_utf8_len("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(text_utf8_len("é", 2, &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(text_utf8_len("€", 3, &cp), 3);
    assert_int_equal(cp, 0x20AC);
    assert_int_equal(text_utf8_len("🙂", 4, &cp), 4);
    assert_int_equal(cp, 0x1F642);
    assert_int_equal(text_utf8_len("🙂", 3, NULL), 0); /* n too short */
    assert_int_equal(text_utf8_len("x", 0, NULL), 0);
    assert_int_equal(text_utf8_len("\xef\xbf\xbf", 3, &cp), 3);
    assert_int_equal(cp, 0xFFFF);
    assert_int_equal(text_utf8_len("\xf4\x8f\xbf\xbf", 4, &cp), 4);
    assert_int_equal(cp, 0x10FFFF);
    assert_true(text_utf8_valid("Zoë", 4));
    assert_false(text_utf8_valid("Zo\xc3", 3));
    assert_true(text_utf8_valid("", 0));
}

static void test_sanitize_appends(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_puts(&b, "name: ");
    text_sanitize(&b, "Ann\x1b[0m");
    text_sanitize(&b, NULL);
    assert_string_equal(buf_str(&b), "name: Ann?[0m");
    buf_free(&b);
}

static void test_bidi_controls(void **state)
{
    (void)state;
    /* U+202A-U+202E (embeddings and overrides) and U+2066-U+2069 (isolates) are replaced ... */
    S("a\xe2\x80\xae"
      "b",
      "a?b", 1);
    S("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "????", 4);
    S("\xe2\x81\xa6x\xe2\x81\xa7x\xe2\x81\xa8x\xe2\x81\xa9", "?x?x?x?", 4);
    assert_false(text_is_clean("evil\xe2\x80\xaetxt.exe"));
    assert_false(text_is_clean("\xe2\x81\xa9"));
    assert_true(text_is_bidi_control(0x202E));
    assert_false(text_is_bidi_control(0x2065));
    /* ... their neighbours, and right-to-left letters themselves, are not. */
    S("\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa",
      "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa", 0);
    S("שלום سلام", "שלום سلام", 0);
    assert_true(text_is_clean("שלום"));
}

static void test_sanitize_lines(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    const char in[] = "a,Evil\x1b]2;x\x07\n\"b\nc\"\r\nlone\rcr\t\xe2\x80\xae\n";
    assert_int_equal(text_sanitize_lines(&b, in, sizeof in - 1), 5);
    assert_string_equal(buf_str(&b), "a,Evil?]2;x?\n\"b\nc\"\r\nlone?cr??\n");
    buf_reset(&b);
    assert_int_equal(text_sanitize_lines(&b, "end\r", 4), 1); /* a CR not before an LF */
    assert_string_equal(buf_str(&b), "end?");
    buf_free(&b);
}

static void test_width(void **state)
{
    (void)state;
    if (!setlocale(LC_CTYPE, "C.UTF-8")) skip();
    assert_int_equal(text_width("Ann Lee"), 7);
    assert_int_equal(text_width("王小明"), 6); /* wide: 2 each */
    assert_int_equal(text_width("김민준"), 6); /* Hangul syllables */
    assert_int_equal(text_width("\xe0\xa4\x85\xe0\xa4\xb0\xe0\xa5\x8d"),
                     2);                             /* अर्: the virama is 0 */
    assert_int_equal(text_width("Rene\xcc\x81"), 4); /* a combining acute */
    assert_int_equal(text_cp_width(0x4E00), 2);
    assert_int_equal(text_cp_width(0x0301), 0);
    buf b = BUF_INIT;
    assert_int_equal(text_fit(&b, "王小明", 5), 4); /* the third would overflow: left out */
    assert_string_equal(buf_str(&b), "王小");
    buf_reset(&b);
    assert_int_equal(text_fit(&b,
                              "Rene\xcc\x81"
                              "e",
                              4),
                     4); /* the mark stays with its letter */
    assert_string_equal(buf_str(&b), "Rene\xcc\x81");
    /* Not UTF-8: every non-ASCII character is the placeholder, one column. */
    setlocale(LC_CTYPE, "C");
    buf_reset(&b);
    assert_int_equal(text_fit(&b, "Zo\xc3\xab 王", 10), 5);
    assert_string_equal(buf_str(&b), "Zo? ?");
    buf_free(&b);
}

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(text_edit_distance("scoring", 7, "scoring"), 0);
    assert_int_equal(text_edit_distance("SCORING", 7, "scoring"), 0); /* case is ignored */
    assert_int_equal(text_edit_distance("scorign", 7, "scoring"), 1); /* neighbours swapped */
    assert_int_equal(text_edit_distance("scorng", 6, "scoring"), 1);
    assert_int_equal(text_edit_distance("sxoribgg", 8, "scoring"), 3);
    assert_int_equal(text_edit_distance("abc", 3, ""), 3);
    assert_int_equal(text_edit_distance("scoring!", 7, "scoring"), 0); /* only len bytes count */
    char long_word[70];
    memset(long_word, 'a', 64);
    long_word[64] = '\0';
    assert_int_equal(text_edit_distance(long_word, 64, "a"), TEXT_FAR);
}

static void folded(const char *in, const char *out)
{
    buf b = BUF_INIT;
    buf_puts(&b, "<");
    text_fold(&b, in);
    buf_puts(&b, ">");
    buf want = BUF_INIT;
    buf_printf(&want, "<%s>", out);
    assert_string_equal(buf_str(&b), buf_str(&want));
    buf_free(&b);
    buf_free(&want);
}

/* Names are found however they are typed: accents, case and ligatures of Latin letters go;
 * other scripts keep their letters (lower-cased where they have case). */
static void test_fold(void **state)
{
    (void)state;
    folded("", "");
    folded("Khan Eastbrook 1E5", "khan eastbrook 1e5");
    folded("Oisín", "oisin");
    folded("Łucja Dąbrowska", "lucja dabrowska");
    folded("SEÁN", "sean");
    folded("Müller", "muller");
    folded("Zoë", "zoe");
    folded("Straße Æthelred", "strasse aethelred");
    folded("Nguyễn Ørsted", "nguyen orsted");
    folded("देवनागरी", "देवनागरी");
    folded("Иван", "иван");
    /* Word by word, as the whole text would fold; a word seen before folds the same. */
    folded("Zoë ZOË  zoë", "zoe zoe  zoe");
    folded("ÆSOP Æsop", "aesop aesop");
    folded("王小明", "王小明");
    /* ASCII words around the others, and the spaces between, as they were. */
    folded("  Zoë  O'NEIL Émile-Dupont x  ", "  zoe  o'neil emile-dupont x  ");
    folded("A Zoë B Ørsted C", "a zoe b orsted c");
    folded("ABC DEF Zoë", "abc def zoe");
    folded("Zoë ABC DEF", "zoe abc def");
    folded(" ", " ");
    /* Decomposed input folds as the composed one does. */
    folded("Zoe\xcc\x88", "zoe");
    /* A bad byte becomes U+FFFD; the rest still folds. */
    folded("\xffÉ", "\xef\xbf\xbd"
                    "e");
    /* Text longer than the first buffer, and growing as it folds. */
    char big[3001], want[6001];
    for (int i = 0; i < 1000; i++) {
        memcpy(big + 3 * i,
               "\xc3\x9f"
               "A",
               3); /* ßA */
        memcpy(want + 3 * i, "ssa", 3);
    }
    big[3000] = '\0';
    want[3000] = '\0';
    folded(big, want);
    buf b = BUF_INIT;
    text_fold(&b, NULL);
    assert_int_equal(b.len, 0);
    text_fold_n(&b, "ÉCOLE", 3); /* "ÉC": n bytes only */
    assert_string_equal(buf_str(&b), "ec");
    buf_free(&b);
}

/* Words of ASCII and the letters of Latin-1 and Latin Extended-A fold without ICU (opening its
 * transliterator costs about 20 ms, more than folding thousands of names). Runs first: ICU, once
 * open, stays open. */
static void test_latin_folds_without_icu(void **state)
{
    (void)state;
    folded("Zoë Chloé Siobhán Łucja Dąbrowska ŒUVRE Straße ÆSOP Ørsted", "zoe chloe siobhan "
                                                                         "lucja dabrowska oeuvre "
                                                                         "strasse aesop orsted");
    assert_int_equal(icu_opened, 0);
    folded("Nguyễn", "nguyen"); /* U+1EC5: ICU's */
    assert_int_equal(icu_opened, 1);
}

/* ICU's folding of word (UTF-8), as text.c asks ICU for it, into out. */
static void icu_fold(UTransliterator *t, const char *word, char *out, size_t n)
{
    UChar u[64];
    int32_t len = 0, olen = 0;
    UErrorCode e = U_ZERO_ERROR;
    u_strFromUTF8(u, 64, &len, word, -1, &e);
    int32_t limit = len;
    utrans_transUChars(t, u, &len, 64, 0, &limit, &e);
    u_strToUTF8(out, (int32_t)n, &olen, u, len, &e);
    assert_true(U_SUCCESS(e));
}

/* Every letter U+00C0 to U+017F folds as ICU folds it: alone, between letters of either case and
 * beside each other letter of the range. */
static void test_latin_folds_as_icu(void **state)
{
    (void)state;
    UChar id[40];
    u_uastrcpy(id, "NFD; Latin-ASCII; Any-Lower; NFC");
    UErrorCode e = U_ZERO_ERROR;
    UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
    assert_true(U_SUCCESS(e));
    for (unsigned a = 0xC0; a < 0x180; a++) {
        char c[3] = {(char)(0xC0 | a >> 6), (char)(0x80 | (a & 0x3F)), 0};
        for (unsigned b = 0xC0; b < 0x180; b++) {
            char d[3] = {(char)(0xC0 | b >> 6), (char)(0x80 | (b & 0x3F)), 0}, word[32];
            const char *shapes[] = {"%s", "A%s%s", "%sb%s", "Xy%s%sZ", "%s%sqR"};
            for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
                if (k == 0 && b != a) continue;
                snprintf(word, sizeof word, shapes[k], c, d);
                char want[64];
                icu_fold(t, word, want, sizeof want);
                buf got = BUF_INIT;
                text_fold(&got, word);
                if (strcmp(buf_str(&got), want) != 0)
                    fail_msg("U+%04X U+%04X in \"%s\": folded \"%s\", ICU \"%s\"", a, b, word,
                             buf_str(&got), want);
                buf_free(&got);
            }
        }
    }
    utrans_close(t);
}

static void test_closest(void **state)
{
    (void)state;
    const char *names[] = {"cme", "ehe", "attendance_below_50", "attendance_below_90", "sen"};
    assert_string_equal(text_closest("cmr", 3, names, 5), "cme");
    assert_null(text_closest("cxx", 3, names, 5)); /* 2 edits: too far for a 3-letter name */
    assert_string_equal(text_closest("attendance_below_5", 18, names, 5), "attendance_below_50");
    assert_string_equal(text_closest("Attendance-Below-90", 19, names, 5), "attendance_below_90");
    assert_null(text_closest("weights", 7, names, 5));
    assert_null(text_closest("cme", 3, names, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latin_folds_without_icu),
        cmocka_unit_test(test_latin_folds_as_icu),
        cmocka_unit_test(test_clean_text_unchanged),
        cmocka_unit_test(test_c0_and_del),
        cmocka_unit_test(test_c1),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_utf8_len),
        cmocka_unit_test(test_sanitize_appends),
        cmocka_unit_test(test_bidi_controls),
        cmocka_unit_test(test_sanitize_lines),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_closest),
        cmocka_unit_test(test_fold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
