/* merge.c: the column merge rule of offline copies (see merge.h). */
#include "caseload/merge.h"

#include <string.h>

bool merge_value_equal(const merge_value *a, const merge_value *b)
{
    if (a->type == MERGE_UNDEF || b->type == MERGE_UNDEF) return false;
    if (a->type == MERGE_INT && b->type == MERGE_REAL) return (double)a->i == b->d;
    if (a->type == MERGE_REAL && b->type == MERGE_INT) return a->d == (double)b->i;
    if (a->type != b->type) return false;
    switch (a->type) {
    case MERGE_INT: return a->i == b->i;
    case MERGE_REAL: return a->d == b->d;
    case MERGE_TEXT:
    case MERGE_BLOB: return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, (size_t)a->n) == 0);
    default: return true; /* both NULL */
    }
}

/* Columns computed from other data that live in fact tables (SPEC section 9: never a conflict,
 * recomputed after the merge). None since children.score and referrals.follow_up moved to
 * derived tables (migrations 0009 and 0011); one line per column should one come back. */
static const struct {
    const char *table, *column;
} computed[] = {
    {NULL, NULL},
};

merge_column_class merge_column_kind(const char *table, const char *column)
{
    if (strcmp(column, "id") == 0) return MERGE_KEY;
    /* A conflict's resolved_at is a timestamp too: resolved on two copies, it is not a clash
     * (SPEC section 9: timestamps are never conflicts). */
    if (strcmp(column, "updated_at") == 0 ||
        (strcmp(table, "conflicts") == 0 && strcmp(column, "resolved_at") == 0))
        return MERGE_TIMESTAMP;
    for (size_t i = 0; computed[i].table; i++)
        if (strcmp(table, computed[i].table) == 0 && strcmp(column, computed[i].column) == 0)
            return MERGE_COMPUTED;
    return MERGE_FACT;
}

static const struct {
    const char *table, *column;
} natural_keys[] = {
    {"officers", "initials"},    {"schools", "urn"},   {"children", "upn"},
    {"children", "la_child_id"}, {"referrals", "ref"},
};

bool merge_natural_key(const char *table, const char *column)
{
    for (size_t i = 0; i < sizeof natural_keys / sizeof natural_keys[0]; i++)
        if (strcmp(table, natural_keys[i].table) == 0 &&
            strcmp(column, natural_keys[i].column) == 0)
            return true;
    return false;
}

/* Orders two timestamps (text in one ISO 8601 form sorts by time); a NULL is the earliest. */
static int later(const merge_value *a, const merge_value *b)
{
    if (a->type != MERGE_TEXT) return b->type == MERGE_TEXT ? -1 : 0;
    if (b->type != MERGE_TEXT) return 1;
    int n = a->n < b->n ? a->n : b->n;
    int c = memcmp(a->p, b->p, (size_t)n);
    return c ? c : a->n - b->n;
}

merge_decision merge_column(merge_column_class kind, const merge_value *base,
                            const merge_value *theirs, const merge_value *mine, bool hub,
                            bool mine_unsent)
{
    if (theirs->type == MERGE_UNDEF) return MERGE_NOTHING;
    if (kind == MERGE_COMPUTED || kind == MERGE_KEY) return MERGE_NOTHING;
    if (kind == MERGE_TIMESTAMP) return later(theirs, mine) > 0 ? MERGE_TAKE : MERGE_NOTHING;
    if (merge_value_equal(mine, theirs)) return MERGE_NOTHING;
    if (merge_value_equal(mine, base)) return MERGE_TAKE;
    /* Both changed it (or, with no base, both hold the row with different values). */
    if (hub) return base->type == MERGE_UNDEF ? MERGE_NOTHING : MERGE_CONFLICT;
    return mine_unsent ? MERGE_NOTHING : MERGE_TAKE;
}
