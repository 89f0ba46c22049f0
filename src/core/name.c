/* name.c: how a name finds a child already known (see name.h). */
#include "caseload/name.h"

#include "caseload/text.h"
#include <string.h>

void name_key(buf *out, const char *name)
{
    if (!name) return;
    buf folded = BUF_INIT;
    text_fold(&folded, name);
    for (const char *p = buf_str(&folded); *p; p++)
        if (*p != ' ' && *p != '-' && *p != '\'') buf_putc(out, *p);
    buf_free(&folded);
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
