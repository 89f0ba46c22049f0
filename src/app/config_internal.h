/* config_internal.h: what the two files of the configuration share: the key table (config.c) that
 * drives parsing (config_parse.c), the defaults and config_write, and the helpers both use. Not
 * for use outside src/app/config*.c. */
#ifndef CASELOAD_CONFIG_INTERNAL_H
#define CASELOAD_CONFIG_INTERNAL_H

#include "caseload/buf.h"
#include "caseload/config.h"
#include <stdbool.h>
#include <stddef.h>

enum ktype { K_MAP, K_INT, K_TERMS, K_DATES, K_HOLDS };

typedef struct {
    const char *path; /* dotted key path, e.g. "scoring.weights.cme" */
    enum ktype type;
    size_t offset;     /* K_INT: where the int lives in struct config */
    int def, min, max; /* K_INT: default and inclusive limits */
    const char *noun;  /* K_MAP: what its keys are called in messages ("factor", "key") */
    bool replaces;     /* K_MAP: the file's map replaces the defaults (children start at 0) */
    const char *help;  /* one line, printed as a comment by config_write */
} cfg_key;

/* The most keys the table may have (the parser keeps where each was seen); config.c asserts it. */
#define CFG_MAX_KEYS 128

/* Every key, in the order config_write prints them; cfg_nkeys of them. */
extern const cfg_key cfg_keys[];
extern const size_t cfg_nkeys;

/* malloc that aborts when out of memory (n 0 allocates 1 byte). */
void *cfg_xmalloc(size_t n);
/* Where the int of K_INT key k lives in c. */
int *cfg_int_slot(config *c, const cfg_key *k);
/* Appends s (len bytes) for a message: control characters become '?', and at most max bytes
 * (0: no limit) are kept, cut on a UTF-8 boundary and marked with "...". */
void cfg_put_clean(buf *b, const char *s, size_t len, size_t max);
/* The last part of a dotted key path ("a.b.c" -> "c"). */
const char *cfg_last_part(const char *path);

#endif
