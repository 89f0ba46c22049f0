/* text.c: terminal-safe text and UTF-8 validation (see text.h). */
#include "caseload/text.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <wchar.h>

size_t text_utf8_len(const char *s, size_t n, unsigned *cp)
{
    if (n == 0) return 0;
    const unsigned char *u = (const unsigned char *)s;
    unsigned c = u[0], v;
    size_t len;
    if (c < 0x80) {
        if (cp) *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, or F5-FF */
    }
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (u[i] & 0x3F);
    }
    if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000) || v > 0x10FFFF ||
        (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    if (cp) *cp = v;
    return len;
}

bool text_utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = text_utf8_len(s + i, n - i, NULL);
        if (!k) return false;
        i += k;
    }
    return true;
}

bool text_is_bidi_control(unsigned cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The replacing loop of text_sanitize_n and text_sanitize_lines: lines keeps LF and CR LF. */
static size_t sanitize(buf *out, const char *s, size_t n, bool lines)
{
    size_t replaced = 0, i = 0, run = 0; /* run: start of the bytes not yet copied */
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t k;
        unsigned cp = c;
        if (c >= 0x20 && c < 0x7F) {
            i++;
            continue;
        }
        if (lines && (c == '\n' || (c == '\r' && i + 1 < n && s[i + 1] == '\n'))) {
            i++;
            continue;
        }
        k = c < 0x80 ? 1 : text_utf8_len(s + i, n - i, &cp);
        if (k && cp >= 0xA0 && !text_is_bidi_control(cp)) { /* a valid, printable character */
            i += k;
            continue;
        }
        /* C0, DEL, C1, a bidi control or an invalid byte: one placeholder for it. */
        buf_append(out, s + run, i - run);
        buf_putc(out, TEXT_PLACEHOLDER);
        replaced++;
        i += k ? k : 1;
        run = i;
    }
    buf_append(out, s + run, n - run);
    return replaced;
}

size_t text_sanitize_n(buf *out, const char *s, size_t n)
{
    return sanitize(out, s, n, false);
}

size_t text_sanitize_lines(buf *out, const char *s, size_t n)
{
    return sanitize(out, s, n, true);
}

void text_sanitize(buf *out, const char *s)
{
    if (s) text_sanitize_n(out, s, strlen(s));
}

bool text_is_clean(const char *s)
{
    if (!s) return true;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F) {
            i++;
            continue;
        }
        unsigned cp = c;
        size_t k = c < 0x80 ? 0 : text_utf8_len(s + i, n - i, &cp);
        if (!k || cp < 0xA0 || text_is_bidi_control(cp)) return false;
        i += k;
    }
    return true;
}

int text_cp_width(unsigned cp)
{
    if (cp < 0x80) return 1;
    if (MB_CUR_MAX == 1) return 1; /* not UTF-8: shown as the placeholder */
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

int text_fit(buf *out, const char *s, int width)
{
    bool utf8 = MB_CUR_MAX > 1;
    size_t n = strlen(s);
    int used = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp = 0;
        size_t l = text_utf8_len(s + i, n - i, &cp);
        if (!l) l = 1, cp = TEXT_PLACEHOLDER;
        bool show = cp < 0x80 || (utf8 && wcwidth((wchar_t)cp) >= 0);
        int w = show ? text_cp_width(cp) : 1;
        if (used + w > width) break;
        if (show)
            buf_append(out, s + i, l);
        else
            buf_putc(out, TEXT_PLACEHOLDER);
        used += w;
        i += l;
    }
    return used;
}

int text_width(const char *s)
{
    buf shown = BUF_INIT;
    int w = text_fit(&shown, s, 1 << 30);
    buf_free(&shown);
    return w;
}

static int lower(char c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : (unsigned char)c;
}

size_t text_edit_distance(const char *a, size_t la, const char *b)
{
    size_t lb = strlen(b);
    if (la > 63 || lb > 63) return TEXT_FAR;
    size_t d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int ca = lower(a[i - 1]), cb = lower(b[j - 1]);
            size_t best = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && ca == lower(b[j - 2]) && lower(a[i - 2]) == cb &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

const char *text_closest(const char *word, size_t len, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t bestd = TEXT_FAR;
    for (size_t i = 0; i < n; i++) {
        size_t d = text_edit_distance(word, len, names[i]);
        size_t k = strlen(names[i]);
        size_t limit = k <= 3 ? 1 : k <= 6 ? 2 : 3;
        if (d <= limit && d < bestd) {
            best = names[i];
            bestd = d;
        }
    }
    return best;
}

/* The transliterator, opened on first use and kept (opening one costs milliseconds; it holds no
 * state between calls that could change an answer). NULL after a failed open. */
static UTransliterator *fold_trans;
static bool fold_tried;

static UTransliterator *fold_open(void)
{
    if (!fold_tried) {
        fold_tried = true;
        static const char rules[] = "NFD; Latin-ASCII; Any-Lower; NFC";
        UChar id[sizeof rules];
        u_uastrcpy(id, rules);
        UErrorCode e = U_ZERO_ERROR;
        fold_trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
        if (U_FAILURE(e)) fold_trans = NULL;
    }
    return fold_trans;
}

/* Transliterates the UTF-16 text u (len units, room for cap) in place; false when it needs more
 * room (then *len is what it needs, if ICU says) or fails. */
static bool fold_utf16(UTransliterator *t, UChar *u, int32_t *len, int32_t cap)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t limit = *len;
    utrans_transUChars(t, u, len, cap, 0, &limit, &e);
    return U_SUCCESS(e);
}

/* ASCII letters lower-cased, every other byte as it is. */
static void fold_ascii(buf *out, const char *s, size_t n)
{
    size_t at = out->len;
    buf_append(out, s, n);
    for (size_t i = 0; i < n; i++)
        out->data[at + i] = (char)lower(out->data[at + i]);
}

/* ICU's transliteration of the n bytes at s, appended to out. */
static void fold_icu(buf *out, const char *s, size_t n)
{
    UTransliterator *t = n < INT32_MAX / 8 ? fold_open() : NULL;
    if (!t) {
        fold_ascii(out, s, n);
        return;
    }
    /* Transliteration grows text by at most a few units per character (ß -> ss, ﬃ -> ffi). */
    UChar small[512];
    UChar *u = small;
    int32_t cap = (int32_t)(sizeof small / sizeof *small), len = 0;
    bool done = false;
    for (int attempt = 0; attempt < 3 && !done; attempt++) {
        if (attempt) {
            cap = (int32_t)n * (attempt == 1 ? 4 : 8) + 64;
            UChar *bigger = realloc(u == small ? NULL : u, (size_t)cap * sizeof *u);
            if (!bigger) break;
            u = bigger;
        }
        UErrorCode e = U_ZERO_ERROR;
        u_strFromUTF8WithSub(u, cap, &len, s, (int32_t)n, 0xFFFD, NULL, &e);
        done = U_SUCCESS(e) && len < cap && fold_utf16(t, u, &len, cap);
    }
    char small8[1024];
    char *o = small8;
    int32_t olen = 0;
    if (done) {
        UErrorCode e = U_ZERO_ERROR;
        u_strToUTF8WithSub(NULL, 0, &olen, u, len, 0xFFFD, NULL, &e);
        if (olen >= (int32_t)sizeof small8) o = malloc((size_t)olen + 1);
        e = U_ZERO_ERROR;
        if (o) u_strToUTF8WithSub(o, olen + 1, &olen, u, len, 0xFFFD, NULL, &e);
        done = o && U_SUCCESS(e);
    }
    if (done) buf_append(out, o, (size_t)olen);
    if (o != small8) free(o);
    if (u != small) free(u);
    if (!done) fold_ascii(out, s, n);
}

/* ICU's folding (fold_open's rules, ICU 72) of each letter of Latin-1 and Latin Extended-A,
 * U+00C0 to U+017F, alone: every one is ASCII, so a word of ASCII and these letters folds without
 * ICU, whose transliterator costs about 20 ms to open (more than folding a few thousand texts).
 * Lower-cased, a letter's folding does not depend on the letters around it; test_text checks
 * every entry against ICU, alone and among other letters. */
static const char latin_folds[0x180 - 0xC0][3] = {
    "a", "a", "a",  "a",  "a", "a", "ae", "c", "e", "e",  "e", "e", "i", "i", "i",  "i",
    "d", "n", "o",  "o",  "o", "o", "o",  "*", "o", "u",  "u", "u", "u", "y", "th", "ss",
    "a", "a", "a",  "a",  "a", "a", "ae", "c", "e", "e",  "e", "e", "i", "i", "i",  "i",
    "d", "n", "o",  "o",  "o", "o", "o",  "/", "o", "u",  "u", "u", "u", "y", "th", "y",
    "a", "a", "a",  "a",  "a", "a", "c",  "c", "c", "c",  "c", "c", "c", "c", "d",  "d",
    "d", "d", "e",  "e",  "e", "e", "e",  "e", "e", "e",  "e", "e", "g", "g", "g",  "g",
    "g", "g", "g",  "g",  "h", "h", "h",  "h", "i", "i",  "i", "i", "i", "i", "i",  "i",
    "i", "i", "ij", "ij", "j", "j", "k",  "k", "q", "l",  "l", "l", "l", "l", "l",  "l",
    "l", "l", "l",  "n",  "n", "n", "n",  "n", "n", "'n", "n", "n", "o", "o", "o",  "o",
    "o", "o", "oe", "oe", "r", "r", "r",  "r", "r", "r",  "s", "s", "s", "s", "s",  "s",
    "s", "s", "t",  "t",  "t", "t", "t",  "t", "u", "u",  "u", "u", "u", "u", "u",  "u",
    "u", "u", "u",  "u",  "w", "w", "y",  "y", "y", "z",  "z", "z", "z", "z", "z",  "s",
};

/* The word at s (n bytes) folded by latin_folds into out; false (out as it was) when it holds
 * another letter than ASCII and those. */
static bool fold_latin(buf *out, const char *s, size_t n)
{
    size_t at = out->len;
    for (size_t i = 0; i < n;) {
        unsigned cp = 0;
        size_t len = (unsigned char)s[i] < 0x80 ? 1 : text_utf8_len(s + i, n - i, &cp);
        if (len == 1) {
            buf_putc(out, (char)lower(s[i]));
        } else if (len == 2 && cp >= 0xC0 && cp < 0x180) {
            buf_puts(out, latin_folds[cp - 0xC0]);
        } else {
            out->len = at;
            return false;
        }
        i += len;
    }
    return true;
}

/* The word at s folded: by latin_folds when it can be, else by ICU. */
static void fold_any(buf *out, const char *s, size_t n)
{
    if (!fold_latin(out, s, n)) fold_icu(out, s, n);
}

/* Words seen lately and how they fold: a transliteration costs tens of microseconds, and names
 * repeat (an import folds the same first names thousands of times). A word's folding does not
 * depend on what is around it (the rules look no further than the letters next to a letter, and
 * a space is no letter), so a cached one is what ICU would write again. */
enum { FOLD_SLOTS = 1024, FOLD_WORD = 40, FOLD_OUT = 2 * FOLD_WORD };
static struct {
    unsigned char len, flen;
    char word[FOLD_WORD];
    char folded[FOLD_OUT];
} fold_cache[FOLD_SLOTS];

static void fold_word(buf *out, const char *s, size_t n)
{
    if (n > FOLD_WORD) {
        fold_any(out, s, n);
        return;
    }
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    size_t slot = h % FOLD_SLOTS;
    if (fold_cache[slot].len == n && memcmp(fold_cache[slot].word, s, n) == 0) {
        buf_append(out, fold_cache[slot].folded, fold_cache[slot].flen);
        return;
    }
    size_t at = out->len;
    fold_any(out, s, n);
    size_t flen = out->len - at;
    if (flen <= FOLD_OUT) {
        fold_cache[slot].len = (unsigned char)n;
        fold_cache[slot].flen = (unsigned char)flen;
        memcpy(fold_cache[slot].word, s, n);
        memcpy(fold_cache[slot].folded, out->data + at, flen);
    }
}

void text_fold_n(buf *out, const char *s, size_t n)
{
    /* Word by word (words end at ASCII spaces): ASCII words need no ICU, and a run of them with
     * the spaces between (a space folds to itself) is lower-cased in one go, up to the first
     * word that holds another byte, which is folded alone. */
    size_t i = 0;
    while (i < n) {
        size_t j = i, word = i; /* word: where the word of byte j begins */
        for (; j < n && (unsigned char)s[j] < 0x80; j++)
            if (s[j] == ' ') word = j + 1;
        if (j == n) word = n;
        fold_ascii(out, s + i, word - i);
        for (i = word; i < n && s[i] != ' '; i++)
            ;
        if (i > word) fold_word(out, s + word, i - word);
    }
}

void text_fold(buf *out, const char *s)
{
    if (s) text_fold_n(out, s, strlen(s));
}
