/* name.c: how a name finds a child already known (see name.h). */
#include "caseload/name.h"

#include "caseload/text.h"
#include <string.h>

/* Whether c counts in a name's key: spaces, hyphens and apostrophes do not. */
static bool keeps(char c)
{
    return c != ' ' && c != '-' && c != '\'';
}

/* Drops what keeps() refuses from out[from..]. */
static void strip(buf *out, size_t from, bool spaces)
{
    size_t w = from;
    for (size_t r = from; r < out->len; r++)
        if (keeps(out->data[r]) || (!spaces && out->data[r] == ' ')) out->data[w++] = out->data[r];
    out->len = w;
    if (out->data) out->data[w] = '\0';
}

void name_key_n(buf *out, const char *name, size_t n)
{
    if (!name) return;
    size_t from = out->len;
    text_fold_n(out, name, n);
    strip(out, from, true);
}

void name_key(buf *out, const char *name)
{
    if (name) name_key_n(out, name, strlen(name));
}

void name_words_n(buf *out, const char *name, size_t n)
{
    if (!name) return;
    size_t from = out->len, w = from;
    text_fold_n(out, name, n);
    bool gap = false;
    for (size_t r = from; r < out->len; r++) {
        char c = out->data[r];
        if (c == ' ' || c == '-')
            gap = w > from; /* one space between two words, none before the first */
        else if (c != '\'') {
            if (gap) out->data[w++] = ' ';
            out->data[w++] = c;
            gap = false;
        }
    }
    out->len = w;
    if (out->data) out->data[w] = '\0';
}

bool name_one_word(const char *name, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        /* What folds to a space or a hyphen: ' ', '-', and the code points (by their UTF-8
         * lead bytes) U+0080-00BF (no-break space, soft hyphen, 1/2), U+02C0-02FF (the modifier
         * minus), U+2000-2FFF (the spaces and dashes, the Roman numerals), U+3000-3FFF (the
         * ideographic space), U+F000-FFFF (the fullwidth forms) and every code point above
         * U+FFFF; test_name checks the whole of U+0080-FFFF against text_fold. */
        if (c == ' ' || c == '-' || c == 0xc2 || c == 0xcb || c == 0xe2 || c == 0xe3 || c >= 0xef)
            return false;
    }
    return true;
}

static size_t distance(const buf *a, const buf *b)
{
    return text_edit_distance(buf_str(a), a->len, buf_str(b));
}

static bool equal(const buf *a, const buf *b)
{
    return strcmp(buf_str(a), buf_str(b)) == 0;
}

name_likeness name_match(const char *first1, const char *last1, const char *first2,
                         const char *last2)
{
    if (!first1 || !last1 || !first2 || !last2) return NAME_DIFFERENT;
    buf k[4] = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT};
    name_key(&k[0], first1);
    name_key(&k[1], last1);
    name_key(&k[2], first2);
    name_key(&k[3], last2);
    const buf *f1 = &k[0], *l1 = &k[1], *f2 = &k[2], *l2 = &k[3];
    name_likeness m = NAME_DIFFERENT;
    if (equal(f1, f2) && equal(l1, l2))
        m = NAME_SAME;
    else if (equal(l1, l2) && f1->len && f2->len && buf_str(f1)[0] == buf_str(f2)[0])
        m = NAME_SIMILAR; /* same last name and first initial */
    else if (equal(f1, l2) && equal(l1, f2))
        m = NAME_SIMILAR; /* swapped */
    else if (distance(f1, f2) + distance(l1, l2) <= 2)
        m = NAME_SIMILAR; /* a typo or two (one name the same, the other 2 edits away, too) */
    for (int i = 0; i < 4; i++)
        buf_free(&k[i]);
    return m;
}

void name_query(const char *typed, buf *words)
{
    buf folded = BUF_INIT;
    text_fold(&folded, typed ? typed : "");
    strip(&folded, 0, false); /* each word as name_key keys a name */
    for (size_t i = 0; i < folded.len; i++)
        if (folded.data[i] == ',') folded.data[i] = ' '; /* "Berg, Tom" as a register writes */
    const char *p = buf_str(&folded);
    size_t from = words->len;
    for (;;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n) break;
        if (words->len > from) buf_append(words, " ", 1);
        buf_append(words, p, n);
        p += n;
    }
    buf_free(&folded);
}

/* Whether the words w[0..n) (lengths len) joined without spaces begin the words of name from
 * its word at (joined without their spaces too). */
static bool run_begins_at(const char *const *w, const size_t *len, size_t n, const char *at)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < len[i]; j++) {
            while (*at == ' ')
                at++;
            if (*at++ != w[i][j]) return false; /* the end of the name too: no word has a NUL */
        }
    return true;
}

/* Whether the words w[0..n) joined begin the words of name from one of its words. */
static bool run_begins(const char *const *w, const size_t *len, size_t n, const char *name)
{
    for (const char *at = name; at; at = strchr(at, ' ')) {
        while (*at == ' ')
            at++;
        if (run_begins_at(w, len, n, at)) return true;
    }
    return false;
}

enum { MAX_WORDS = 64 };

bool name_found(const char *query, const char *first, const char *last)
{
    const char *w[MAX_WORDS];
    size_t len[MAX_WORDS], n = 0;
    if (!query || !first || !last) return false;
    for (const char *p = query;;) {
        while (*p == ' ')
            p++;
        size_t k = strcspn(p, " ");
        if (!k) break;
        if (n == MAX_WORDS) return false; /* more words than any name has */
        w[n] = p;
        len[n++] = k;
        p += k;
    }
    if (!n) return false;
    for (size_t k = 1; k <= n; k++) { /* words [0, k) one name, [k, n) the other */
        const char *const *b = w + k;
        size_t nb = n - k;
        if (run_begins(w, len, k, first) && (!nb || run_begins(b, len + k, nb, last))) return true;
        if (run_begins(w, len, k, last) && (!nb || run_begins(b, len + k, nb, first))) return true;
    }
    return false;
}
