/* browse_scan.c: a search of the list finished slice by slice (see browse.h): every referral
 * looked at in the order of its id, a range of referral_list's key at a time, with every condition
 * of the filter checked on each row (list_query.c's PH_SLICE), the counts summed and the best rows
 * of a page kept in C. */
#include "browse_internal.h"

#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>

bool browse_counts_sliced(const browse_filter *f)
{
    list_query lq;
    score_weights w;
    memset(&w, 0, sizeof w);
    list_prepare(&lq, f, &w, 0);
    return (lq.mask & Q_LIKE) && !(lq.mask & (Q_FTS | Q_FOLLOW));
}

void browse_scan_init(browse_scan *sc, bool counts)
{
    memset(sc, 0, sizeof *sc);
    sc->from = INT64_MIN;
    sc->counts = counts;
}

void browse_scan_free(browse_scan *sc)
{
    free(sc->found);
    browse_scan_init(sc, false);
    sc->done = true;
}

int browse_scan_page(browse_scan *sc, bool before, const browse_key *key, int limit)
{
    browse_key *found = malloc(sizeof *found * (size_t)(limit > 0 ? limit : 1));
    if (!found) return EXIT_IO;
    free(sc->found);
    sc->found = found;
    sc->n = 0;
    sc->page = true;
    sc->before = before;
    sc->keyed = key != NULL;
    if (key) sc->key = *key;
    sc->limit = limit > 0 ? limit : 0;
    return EXIT_OK;
}

/* a against b in list order: score DESC, id (with a follow-up filter: follow_up, id). */
static int key_cmp(const browse_key *a, const browse_key *b, bool follow)
{
    if (follow) {
        int c = strcmp(a->follow_up, b->follow_up);
        if (c) return c;
    } else if (a->score != b->score) {
        return a->score > b->score ? -1 : 1;
    }
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Keeps k among the page's rows when it is one of the limit first after the key (or, before it,
 * the limit last). */
static void offer(browse_scan *sc, const browse_key *k, bool follow)
{
    if (sc->keyed) {
        int c = key_cmp(k, &sc->key, follow);
        if (sc->before ? c >= 0 : c <= 0) return;
    }
    if (sc->limit == 0) return;
    if (sc->n == sc->limit) {
        /* Full: k replaces the worst (the last after the key, the first before it). */
        if (sc->before) {
            if (key_cmp(k, &sc->found[0], follow) < 0) return;
            memmove(sc->found, sc->found + 1, sizeof *sc->found * (size_t)(sc->n - 1));
        } else if (key_cmp(k, &sc->found[sc->n - 1], follow) > 0) {
            return;
        }
        sc->n--;
    }
    int i = sc->n;
    while (i > 0 && key_cmp(k, &sc->found[i - 1], follow) < 0) {
        sc->found[i] = sc->found[i - 1];
        i--;
    }
    sc->found[i] = *k;
    sc->n++;
}

/* The last (*hi) of the next ids ids of referral_list after from, and how many there are (*n). */
static int slice_bound(store *s, int64_t from, int ids, int64_t *hi, long *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(max(id), 0), count(*) FROM (SELECT id FROM "
                                     "referral_list WHERE id > ?1 ORDER BY id LIMIT ?2)");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, from);
    store_bind_int(s, st, 2, ids);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        *hi = sqlite3_column_int64(st, 0);
        *n = (long)sqlite3_column_int64(st, 1);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "searching referrals");
}

/* Reads one matching row of a slice into the scan. */
static void scan_row(sqlite3_stmt *st, browse_scan *sc, const char *issue, bool follow)
{
    const char *row_issue = store_col_text(st, 0);
    if (sc->counts) {
        int i = codes_find(CODES_ISSUE, row_issue);
        if (i >= 0) sc->issue_counts[i]++;
        sc->all++;
    }
    if (!sc->page || (issue && strcmp(row_issue, issue) != 0)) return;
    browse_key k;
    memset(&k, 0, sizeof k);
    k.id = sqlite3_column_int64(st, 1);
    k.score = sqlite3_column_int(st, 2);
    COPY(k.follow_up, st, 3);
    offer(sc, &k, follow);
}

int browse_scan_slice(store *s, const browse_filter *f, const score_weights *w, date_t as_of,
                      int ids, browse_scan *sc)
{
    if (sc->done) return EXIT_OK;
    /* Every issue (the sidebar's counts); the page keeps the rows of f's. */
    browse_filter any = *f;
    any.issue = -1;
    list_query lq;
    list_prepare(&lq, &any, w, as_of);
    if (lq.mask & Q_FTS) lq = list_walk(&lq); /* every word checked on the folded text */
    int rc = sc->from == INT64_MIN && f->text[0] ? store_search_current(s) : EXIT_OK;
    int64_t hi = 0;
    long n = 0;
    if (rc || (rc = slice_bound(s, sc->from, ids, &hi, &n))) return rc;
    sc->done = n < ids;
    if (n == 0) return EXIT_OK; /* none left */
    sqlite3_stmt *st = store_stmt(s, list_sql(lq.mask, PH_SLICE, any.statuses));
    if (!st) return EXIT_IO;
    list_bind(s, st, &lq, NULL, INT_MAX);
    store_bind_int64(s, st, 15, sc->from);
    store_bind_int64(s, st, 16, hi);
    const char *issue = f->issue >= 0 ? codes_code(CODES_ISSUE, (size_t)f->issue) : NULL;
    bool follow = (lq.mask & Q_FOLLOW) != 0;
    while ((rc = store_step(s, st)) == SQLITE_ROW)
        scan_row(st, sc, issue, follow);
    sqlite3_reset(st);
    sc->from = hi;
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "searching referrals");
}

int browse_scan_rows(store *s, const score_weights *w, date_t as_of, const browse_scan *sc,
                     browse_row *rows, int *n)
{
    *n = 0;
    sqlite3_stmt *st = store_stmt(s, "SELECT " ROW_COLUMNS
                                     "FROM referral_list k CROSS JOIN referrals r ON r.id = k.id "
                                     "CROSS JOIN children c ON c.id = r.child_id WHERE k.id = ?1");
    if (!st) return EXIT_IO;
    int rc = SQLITE_DONE;
    for (int i = 0; i < sc->n && rc == SQLITE_DONE; i++) {
        store_bind_int64(s, st, 1, sc->found[i].id);
        rc = store_step(s, st);
        if (rc == SQLITE_ROW) {
            list_read_row(st, w, as_of, &rows[(*n)++]);
            rc = SQLITE_DONE;
        }
        sqlite3_reset(st);
    }
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the list");
}

int browse_issue_counts_slice(store *s, const browse_filter *f, const score_weights *w,
                              date_t as_of, int ids, int64_t *from, long *counts, long *all,
                              bool *done)
{
    browse_scan sc;
    browse_scan_init(&sc, true);
    sc.from = *from;
    int rc = browse_scan_slice(s, f, w, as_of, ids, &sc);
    for (size_t i = 0; i < codes_count(CODES_ISSUE); i++)
        counts[i] += sc.issue_counts[i];
    *all += sc.all;
    *from = sc.from;
    *done = sc.done;
    return rc;
}
