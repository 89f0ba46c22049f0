/* privacy_internal.h: what the files of privacy.h share inside src/store: privacy.c erases a
 * child and its traces, privacy_log.c keeps the erased rows out of the change log and the packs,
 * privacy_access.c reads the child's conflicts and access log. */
#ifndef CASELOAD_PRIVACY_INTERNAL_H
#define CASELOAD_PRIVACY_INTERNAL_H

#include "store_internal.h"
#include <stddef.h>

/* The columns that make a row of a synced table belong to another row: the child's rows are its
 * own and those below them. (tbl, row_id) pairs (audit, conflicts) name any row. */
typedef struct {
    const char *column, *parent;
} privacy_link;
extern const privacy_link privacy_links[];
extern const size_t privacy_nlinks;

/* The index of name in names[0..n-1], or -1. */
int privacy_column_at(const char *const *names, int n, const char *name);
/* Rewrites every entry of the change log (sync_log) holding a change of a row noted in
 * erased_rows without it, after noting the rows of the log that belong to a noted row; an entry
 * left with no change stays, empty (packs number the entries). Inside the caller's transaction. */
int privacy_rewrite_log(store *s);

#endif
