/* text.c: terminal-safe text and UTF-8 validation (see text.h). */
#include "caseload/text.h"
#include <string.h>

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

size_t text_sanitize_n(buf *out, const char *s, size_t n)
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
        k = c < 0x80 ? 1 : text_utf8_len(s + i, n - i, &cp);
        if (k && cp >= 0xA0) { /* a valid, printable non-ASCII character */
            i += k;
            continue;
        }
        /* C0, DEL, C1 or an invalid byte: one placeholder for this character or byte. */
        buf_append(out, s + run, i - run);
        buf_putc(out, TEXT_PLACEHOLDER);
        replaced++;
        i += k ? k : 1;
        run = i;
    }
    buf_append(out, s + run, n - run);
    return replaced;
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
        if (!k || cp < 0xA0) return false;
        i += k;
    }
    return true;
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
