/* field_text.c: the rules of officer initials, kinds of action, stored text and column names
 * (field.h). */
#include "field_internal.h"

#include "caseload/text.h"
#include <string.h>

/* ---- officers ---- */

bool field_initials(const char *s, size_t n, char out[FIELD_INITIALS_MAX + 1], char why[FIELD_WHY])
{
    if (!n || n > FIELD_INITIALS_MAX) {
        fld_say(
            why,
            "is not an officer's initials (1 to " STR(FIELD_INITIALS_MAX) " letters, such as JH)",
            NULL);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z') {
            fld_say(why,
                    "is not an officer's initials (letters A-Z only, 1 to " STR(
                        FIELD_INITIALS_MAX) ", such as JH)",
                    NULL);
            return false;
        }
        out[i] = c;
    }
    out[n] = '\0';
    return true;
}

/* ---- kinds of action ---- */

bool field_action_kind(const char *s, size_t n, char out[FIELD_KIND_MAX + 1], char why[FIELD_WHY])
{
    bool ok = n > 0 && n <= FIELD_KIND_MAX;
    for (size_t i = 0; ok && i < n; i++) {
        int c = fld_column_char((unsigned char)s[i]);
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        out[i] = (char)c;
    }
    if (!ok) {
        fld_say(why,
                "is not a kind of action (a word such as call, email, meeting or visit: letters, "
                "digits and _, at most " STR(FIELD_KIND_MAX) ")",
                NULL);
        return false;
    }
    out[n] = '\0';
    return true;
}

/* ---- text ---- */

/* Whether cp is what Windows-1252 shows for a byte 0x80-0xBF (a UTF-8 continuation byte). */
static bool cp1252_continuation(unsigned cp)
{
    static const unsigned high[] = {0x20AC, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017D, 0x2018,
                                    0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
                                    0x2122, 0x0161, 0x203A, 0x0153, 0x017E, 0x0178};
    if (cp >= 0xA0 && cp <= 0xBF) return true;
    for (size_t i = 0; i < sizeof high / sizeof high[0]; i++)
        if (cp == high[i]) return true;
    return false;
}

/* "U+XXXX at character N" into out. */
static const char *where(unsigned cp, size_t chars, char out[FIELD_WHY])
{
    char h[24], d[24];
    fld_num(cp, 4, h);
    fld_num(chars, 0, d);
    fld_say(out, "U+", h, " at character ", d, NULL);
    return out;
}

field_text_fault field_text(const char *s, size_t n, bool multiline, char why[FIELD_WHY])
{
    size_t i = 0, chars = 0;
    char at[FIELD_WHY];
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        chars++;
        if (c >= 0x20 && c < 0x7F) {
            i++;
            continue;
        }
        if (c < 0x80) {
            if (multiline && (c == '\n' || c == '\t')) {
                i++;
                continue;
            }
            if (why)
                fld_say(why, "holds a control character (", where(c, chars, at), ")",
                        c == '\n' || c == '\t'
                            ? ": line breaks and tabs only in notes and summaries"
                            : "",
                        NULL);
            return FIELD_TEXT_CONTROL;
        }
        unsigned cp;
        size_t k = text_utf8_len(s + i, n - i, &cp);
        if (!k) {
            char h[24], d[24];
            if (why)
                fld_say(why, "is not UTF-8 (byte 0x", fld_num(c, 2, h), " at character ",
                        fld_num(chars, 0, d), ")", NULL);
            return FIELD_TEXT_NOT_UTF8;
        }
        if (cp < 0xA0) {
            if (why) fld_say(why, "holds a control character (", where(cp, chars, at), ")", NULL);
            return FIELD_TEXT_CONTROL;
        }
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            if (why)
                fld_say(why, "holds a bidirectional override (", where(cp, chars, at),
                        "), which could make text show in another order than it is stored", NULL);
            return FIELD_TEXT_BIDI;
        }
        unsigned next;
        if (((cp >= 0xC2 && cp <= 0xDF) || cp == 0xE2) &&
            text_utf8_len(s + i + k, n - i - k, &next) && cp1252_continuation(next)) {
            if (why)
                fld_say(why, "looks like UTF-8 read as Windows-1252 and saved again (",
                        where(cp, chars, at),
                        " then a symbol, like \"\xc3\x83\xc2\xa9\" for \"\xc3\xa9\")", NULL);
            return FIELD_TEXT_MOJIBAKE;
        }
        i += k;
    }
    return FIELD_TEXT_OK;
}

void field_unguard(const char **s, size_t *n)
{
    if (*n >= 2 && (*s)[0] == '\'' && strchr("=+-@", (*s)[1])) {
        (*s)++;
        (*n)--;
    }
}

/* ---- columns and names ---- */

void field_column_key(const char *s, size_t n, buf *out)
{
    for (size_t i = 0; i < n; i++)
        buf_putc(out, (char)fld_column_char((unsigned char)s[i]));
}

int field_column(const char *s, size_t n, const char *const *cols, size_t ncols)
{
    for (size_t k = 0; k < ncols; k++) {
        const char *c = cols[k];
        size_t i = 0;
        while (i < n && c[i] && fld_column_char((unsigned char)s[i]) == c[i])
            i++;
        if (i == n && !c[i]) return (int)k;
    }
    return -1;
}
