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

void name_query(const char *typed, buf *first, buf *last)
{
    buf folded = BUF_INIT;
    text_fold(&folded, typed ? typed : "");
    strip(&folded, 0, false); /* each word as name_key keys a name */
    const char *p = buf_str(&folded);
    while (*p == ' ')
        p++;
    size_t n = strcspn(p, " ");
    buf_append(first, p, n);
    const char *end = p + strlen(p);
    while (end > p && end[-1] == ' ')
        end--;
    const char *w = end;
    while (w > p + n && w[-1] != ' ')
        w--;
    if (w > p + n) buf_append(last, w, (size_t)(end - w));
    buf_free(&folded);
}
