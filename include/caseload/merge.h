/* merge: the column merge rule of offline copies (SPEC section 9), with no I/O: given the value a
 * change started from (its old value: the common ancestor), the value it brings and the value this
 * copy holds, what this copy does with one column. src/app/sync.c applies packs with it. */
#ifndef CASELOAD_MERGE_H
#define CASELOAD_MERGE_H

#include <stdbool.h>
#include <stdint.h>

/* A value of one column, as SQLite holds it (the numbers are SQLite's type codes, and those of its
 * changesets: 0 is "not in the change"). Text and blobs point into memory owned by the caller. */
enum {
    MERGE_UNDEF = 0,
    MERGE_INT = 1,
    MERGE_REAL = 2,
    MERGE_TEXT = 3,
    MERGE_BLOB = 4,
    MERGE_NULL = 5
};
typedef struct merge_value {
    int type;
    int64_t i;
    double d;
    const unsigned char *p; /* MERGE_TEXT, MERGE_BLOB: n bytes (text not NUL-terminated) */
    int n;
} merge_value;

/* Whether two values are the same: same type and content; an integer equals a real of the same
 * value. MERGE_UNDEF equals nothing, not even itself. */
bool merge_value_equal(const merge_value *a, const merge_value *b);

/* What a column is to the merge. */
typedef enum {
    MERGE_FACT,      /* what a person recorded: merged, a clash is a conflict */
    MERGE_COMPUTED,  /* computed from other data (a score, a follow-up date): never merged, never
                        a conflict; recomputed after the merge */
    MERGE_TIMESTAMP, /* updated_at (and a conflict's resolved_at): the later of the two, never a
                        conflict */
    MERGE_KEY        /* the row key (id): never changes */
} merge_column_class;

/* The class of column `column` of synced table `table`. */
merge_column_class merge_column_kind(const char *table, const char *column);

/* Whether column is a natural key of table (a ref, a UPN or LA child id, an officer's initials,
 * a school's URN): the same value created on two copies keeps both rows as a `duplicate`. */
bool merge_natural_key(const char *table, const char *column);

typedef enum {
    MERGE_NOTHING,  /* this copy already holds the value it keeps */
    MERGE_TAKE,     /* write the incoming value */
    MERGE_CONFLICT, /* both sides changed it: keep this copy's value, record a conflict */
} merge_decision;

/* The decision for one column of an incoming change.
 * base: the change's old value (MERGE_UNDEF for an inserted row that this copy already holds);
 * theirs: its new value; mine: this copy's value; hub: this copy is the hub; mine_unsent: this copy
 * (a laptop) changed the column and the hub has not yet acknowledged that change.
 * The rule: mine == theirs -> nothing; mine == base -> take; else both changed it: on the hub a
 * conflict (its value kept), on a laptop its own value while its change is unsent, else the hub's
 * (the hub has judged). Computed columns: nothing; timestamps: the later. */
merge_decision merge_column(merge_column_class kind, const merge_value *base,
                            const merge_value *theirs, const merge_value *mine, bool hub,
                            bool mine_unsent);

#endif
