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

/* Whether the words w[0..n) (lengths len) joined without spaces begin key. */
static bool run_begins(const char *const *w, const size_t *len, size_t n, const char *key)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(key + at, w[i], len[i]) != 0) return false;
        at += len[i];
    }
    return true;
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
