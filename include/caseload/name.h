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

/* The child finder (SPEC section 8, `n`) and what is typed into it, one rule: every word typed
 * counts. The words, in the order typed, are read as the first name then the last name, or as the
 * last then the first; the words of each, joined without their spaces, begin that name's key
 * (name_key). So "tom van der berg", "van der berg tom", "tom vanderb" and "tom van" all find Tom
 * van der Berg (keys "tom", "vanderberg"), "mary jane smith" and "mary smith" find Mary Jane
 * Smith, and one word alone finds a child whose first or last name it begins; but "tom berg" and
 * "amy jane smith" (for Amy Smith) find nobody: a word typed is never skipped. The first word
 * typed always begins the first or the last name, which is how the store finds its candidates by
 * index (child_names). */

/* Appends the words of typed as the finder reads them: folded as the children's names are keyed
 * (name_key, but the spaces kept between the words: "O'Bri" is "obri", as child_names holds
 * "O'Brien" as "obrien"; a comma parts words as a space does: "Berg, Tom"), separated by one space,
 * none before the first or after the last
 * ("" when only spaces, hyphens or apostrophes were typed). */
void name_query(const char *typed, buf *words);

/* Whether query (from name_query) finds the child whose name keys (name_key) are first and last,
 * by the rule above. NULL or "" finds nobody. */
bool name_found(const char *query, const char *first, const char *last);

#endif
