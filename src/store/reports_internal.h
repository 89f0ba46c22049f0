/* reports_internal: what the files of the reports' SQL share (reports.c, reports_referrals.c,
 * reports_events.c) and nothing else sees: the period's binds, dates read from a column, and lists
 * of row keys that count distinct children and look keys up without an index seek per row. */
#ifndef CASELOAD_REPORTS_INTERNAL_H
#define CASELOAD_REPORTS_INTERNAL_H

#include "store_internal.h"

#include "caseload/reports_store.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Binds from and to as ?1 and ?2 (YYYY-MM-DD). */
void reports_bind_period(store *s, sqlite3_stmt *st, date_t from, date_t to);
/* Column i of st as a date; false when it is NULL or not a date. Inline: called for every row. */
static inline bool reports_col_date(sqlite3_stmt *st, int i, date_t *out)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    if (!t) return false;
    return date_parse(t, (size_t)sqlite3_column_bytes(st, i), out);
}
/* Sets "WHAT: out of memory" as the store's error and returns EXIT_IO. */
int reports_oom(store *s, const char *what);

/* A list of 64-bit row keys, to count the distinct children of many rows: appending is
 * sequential; the count then uses a bitmap over the keys' range (row keys of one database are
 * close together) or, when the range is wide, a sort. */
typedef struct {
    int64_t *v;
    size_t n, cap;
} reports_ids;

/* Appends v; false when memory runs out (l unchanged). Inline: called for every row of a scan. */
bool reports_ids_grow(reports_ids *l);
static inline bool reports_ids_add(reports_ids *l, int64_t v)
{
    if (l->n == l->cap && !reports_ids_grow(l)) return false;
    l->v[l->n++] = v;
    return true;
}
/* Sorts l in increasing order. */
void reports_ids_sort(reports_ids *l);
/* The index of the first key of l (sorted) that is not below v: l->n when there is none. */
static inline size_t reports_ids_lower_bound(const reports_ids *l, int64_t v)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->v[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
/* The number of distinct keys (l may be reordered); -1 when memory runs out. */
long long reports_ids_distinct(reports_ids *l);

/* Membership of row keys: a bitmap over the keys' range when it is small enough, else a binary
 * search of the sorted list. */
typedef struct {
    const reports_ids *l; /* sorted */
    uint64_t *bits;
    int64_t lo;
    uint64_t range;
} reports_idset;

/* A set of the keys of sorted, which must outlive it (falls back to the list without memory). */
void reports_idset_init(reports_idset *set, const reports_ids *sorted);
/* Whether v is in the set. Inline: called for many rows of a scan. */
static inline bool reports_idset_has(const reports_idset *set, int64_t v)
{
    if (!set->bits) {
        size_t i = reports_ids_lower_bound(set->l, v);
        return i < set->l->n && set->l->v[i] == v;
    }
    uint64_t k = (uint64_t)v - (uint64_t)set->lo;
    if (v < set->lo || k > set->range) return false;
    return set->bits[k >> 6] >> (k & 63) & 1;
}
void reports_idset_free(reports_idset *set);

#endif
