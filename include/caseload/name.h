/* name: how a name that is typed or read finds a child already known, written once (SPEC
 * sections 6 and 8). Import's possible-duplicate check, the app's likely duplicates before `n`
 * creates a child, and the app's child finder all read names through these. Pure rules: no I/O. */
#ifndef CASELOAD_NAME_H
#define CASELOAD_NAME_H

#include "caseload/buf.h"
#include <stdbool.h>

/* Appends the key by which two names are the same name to out: the name folded (text_fold: case
 * and accents do not matter, "Zoë" is "zoe", "Łucja" is "lucja") without spaces, hyphens and
 * apostrophes ("Mary-Jane" and "Mary Jane" are "maryjane", "O'Brien" and "OBrien" are "obrien").
 * NULL appends nothing. */
void name_key(buf *out, const char *name);
/* The same of the n bytes of name (the child finder's names, child_names, are stored so). */
void name_key_n(buf *out, const char *name, size_t n);

typedef enum {
    NAME_DIFFERENT = 0,
    NAME_SIMILAR, /* likely the same child typed another way (see name_match) */
    NAME_SAME,    /* the same first name and the same last name (their name_keys equal) */
} name_likeness;

/* How alike the child named first1 last1 is to the child named first2 last2 (NULL is no name):
 * NAME_SAME when both keys equal; NAME_SIMILAR when the last names are the same and the first
 * names start with the same letter, the two names are swapped, or the keys are at most 2 edits
 * apart in all (text_edit_distance of the first names plus that of the last names); else
 * NAME_DIFFERENT. A child with
 * the same date of birth and a NAME_SAME name is import's possible duplicate (an error unless
 * --allow-duplicates), with a NAME_SIMILAR one the app's likely duplicate (a question). */
name_likeness name_match(const char *first1, const char *last1, const char *first2,
                         const char *last2);

/* The child finder's reading of a typed name (SPEC section 8, `n`): the text folded as the
 * children's names are stored for it (name_key, but spaces kept between the words: "O'Bri" is
 * "obri", as child_names holds "O'Brien" as "obrien"), its first word into first and its
 * last word into last ("" when there is only one word: that word may begin a first or a last
 * name). Spaces around and between the words do not count. Both are appended. */
void name_query(const char *typed, buf *first, buf *last);

#endif
