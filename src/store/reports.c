/* reports.c: the SQL behind the reports of SPEC section 7. Nothing is written.
 *
 * Every figure comes from sequential range scans of covering indexes (migration 0003:
 * referrals_report, referrals_issue_received, attendance_report, outcomes_report,
 * episodes_report, children_care; and exclusions_start, children_dob of 0001) and is counted
 * here in C, with no index seek per row and no GROUP BY (which would sort up to a million rows):
 * - summary: one pass over the period's referrals; distinct children with a bitmap over row keys;
 *   the exclusion outcomes read once and looked up for the at-risk referrals;
 * - suspensions: the period's suspensions sorted by child, then one pass over every child's care
 *   status;
 * - attendance: the period's records folded into a table of each child's latest (looked up in
 *   prefetched batches: the table outgrows the caches), then one pass over the dates of birth;
 * - admissions: the earliest placed_on_roll per referral read once, in referral order.
 * The indexes are not forced (no INDEXED BY): SQLite picks these covering indexes by itself, also
 * on a database nobody has ANALYZEd, and a database without them still gets every figure right,
 * only more slowly.
 *
 * This file holds what they share (reports_internal.h); the reports of referrals (summary,
 * admissions) are in reports_referrals.c, those of a child's events (suspensions, attendance,
 * cme) in reports_events.c. */
#include "reports_internal.h"

#include "caseload/exitcode.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void reports_bind_period(store *s, sqlite3_stmt *st, date_t from, date_t to)
{
    char f[11], t[11];
    date_format(from, f);
    date_format(to, t);
    store_bind_text(s, st, 1, f, -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 2, t, -1, SQLITE_TRANSIENT);
}

int reports_oom(store *s, const char *what)
{
    snprintf(s->err, sizeof s->err, "%s: out of memory", what);
    return EXIT_IO;
}

/* Doubles the room of l (4096 keys at first); false when memory runs out. */
bool reports_ids_grow(reports_ids *l)
{
    size_t cap = l->cap ? l->cap * 2 : 4096;
    int64_t *nv = realloc(l->v, cap * sizeof *nv);
    if (!nv) return false;
    l->v = nv;
    l->cap = cap;
    return true;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

void reports_ids_sort(reports_ids *l)
{
    if (l->n) qsort(l->v, l->n, sizeof *l->v, cmp_id);
}

void reports_idset_init(reports_idset *set, const reports_ids *sorted)
{
    memset(set, 0, sizeof *set);
    set->l = sorted;
    if (!sorted->n) return;
    set->lo = sorted->v[0];
    set->range = (uint64_t)sorted->v[sorted->n - 1] - (uint64_t)set->lo;
    if (set->range >= ((uint64_t)1 << 30)) return;
    set->bits = calloc((size_t)(set->range / 64) + 1, sizeof *set->bits);
    if (!set->bits) return;
    for (size_t i = 0; i < sorted->n; i++) {
        uint64_t k = (uint64_t)sorted->v[i] - (uint64_t)set->lo;
        set->bits[k >> 6] |= (uint64_t)1 << (k & 63);
    }
}

void reports_idset_free(reports_idset *set)
{
    free(set->bits);
    set->bits = NULL;
}

long long reports_ids_distinct(reports_ids *l)
{
    if (l->n == 0) return 0;
    int64_t lo = l->v[0], hi = l->v[0];
    for (size_t i = 1; i < l->n; i++) {
        if (l->v[i] < lo) lo = l->v[i];
        if (l->v[i] > hi) hi = l->v[i];
    }
    uint64_t range = (uint64_t)hi - (uint64_t)lo;
    long long n = 0;
    if (range < ((uint64_t)1 << 30)) {
        size_t words = (size_t)(range / 64) + 1;
        uint64_t *bits = calloc(words, sizeof *bits);
        if (bits) {
            for (size_t i = 0; i < l->n; i++) {
                uint64_t k = (uint64_t)l->v[i] - (uint64_t)lo;
                uint64_t m = (uint64_t)1 << (k & 63);
                if (!(bits[k >> 6] & m)) {
                    bits[k >> 6] |= m;
                    n++;
                }
            }
            free(bits);
            return n;
        }
    }
    qsort(l->v, l->n, sizeof *l->v, cmp_id);
    for (size_t i = 0; i < l->n; i++)
        if (i == 0 || l->v[i] != l->v[i - 1]) n++;
    return n;
}

int store_report_test_exec(store *s, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(s->err, sizeof s->err, "test sql: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return EXIT_IO;
    }
    return EXIT_OK;
}
