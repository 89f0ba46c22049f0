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
/* Appends the words of the n bytes of name as the child finder reads them: folded as name_key
 * folds it, without apostrophes, each run of spaces and hyphens one space between two words, none
 * before the first or after the last ("van der Berg" is "van der berg", "Ali-Khan" "ali khan",
 * "O'Brien" "obrien"); without its spaces, name_key's key. NULL appends nothing. */
void name_words_n(buf *out, const char *name, size_t n);
/* Whether the n bytes of name are surely one word to name_words_n (no byte of them could fold to
 * a space or a hyphen): a test that needs no folding, true for most names. */
bool name_one_word(const char *name, size_t n);

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
 * counts, and any word of a name may begin it. The words, in the order typed, are read as the
 * first name then the last name, or as the last then the first; the words of each, joined without
 * their spaces, begin that name's words (name_words_n) from one of them on, joined without their
 * spaces too. So "tom van der berg", "van der berg tom", "tom vanderb", "tom van", "berg", "der
 * berg" and "tom berg" all find Tom van der Berg, "jane" and "jane smith" find Amy Jane Smith,
 * "khan" finds Ali-Khan, and one word alone finds a child one of whose names has a word it
 * begins; but "amy jane smith" (for Amy Smith) and "berg tom der" find nobody: a word typed is
 * never skipped, nor are a name's words read out of order. The first word typed always begins a
 * word of the first or the last name, which is how the store finds its candidates by index
 * (child_names for a name's first word, child_name_words for its others). */

/* Appends the words of typed as the finder reads them: folded as the children's names are keyed
 * (name_key, but the spaces kept between the words: "O'Bri" is "obri", as child_names holds
 * "O'Brien" as "obrien"; a comma parts words as a space does: "Berg, Tom"), separated by one space,
 * none before the first or after the last
 * ("" when only spaces, hyphens or apostrophes were typed). */
void name_query(const char *typed, buf *words);

/* Whether query (from name_query) finds the child whose names' words (name_words_n) are first
 * and last, by the rule above (a key, name_key, is the words of a name of one word). NULL or ""
 * finds nobody. */
bool name_found(const char *query, const char *first, const char *last);

#endif
