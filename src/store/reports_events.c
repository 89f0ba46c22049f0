/* reports_events.c: the SQL behind the reports of a child's events (SPEC section 7):
 * suspensions (the exclusions table), attendance and cme (episodes); see reports.c for how every
 * report reads. Nothing is written. */
#include "reports_internal.h"

#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

void store_report_suspensions_free(store_report_susp_t *out)
{
    for (int c = 0; c < STORE_REPORT_CARE; c++) {
        free(out->by_care[c].repeat);
        out->by_care[c].repeat = NULL;
        out->by_care[c].nrepeat = 0;
    }
}

static bool susp_add(store_report_susp_group *g, long long n)
{
    if (n > g->nrepeat) {
        if (n > 1000000) return true; /* implausible; counted in totals only */
        long long *r = realloc(g->repeat, (size_t)n * sizeof *r);
        if (!r) return false;
        memset(r + g->nrepeat, 0, (size_t)(n - g->nrepeat) * sizeof *r);
        g->repeat = r;
        g->nrepeat = (int)n;
    }
    g->repeat[n - 1]++;
    return true;
}

static const char *const susp_what = "reading suspensions";

/* The children with a suspension in the period: kids (sorted) has counts[i] suspensions each. */
typedef struct {
    reports_ids kids;
    long long *counts;
} susp_runs;

/* Pass 1: the child of every suspension of the period (index exclusions_start), sorted so that
 * each child's suspensions are a run, and the runs counted (kids reuses the list's memory). */
static int suspension_runs(store *s, date_t from, date_t to, susp_runs *runs)
{
    sqlite3_stmt *st =
        store_stmt(s, "SELECT child_id FROM exclusions "
                      "WHERE start >= ?1 AND start <= ?2 AND category = 'suspension'");
    if (!st) return EXIT_IO;
    reports_bind_period(s, st, from, to);
    reports_ids *all = &runs->kids;
    int rc = SQLITE_DONE;
    bool oom = false;
    while (!oom && (rc = store_step(s, st)) == SQLITE_ROW)
        oom = !reports_ids_add(all, sqlite3_column_int64(st, 0));
    sqlite3_reset(st);
    if (oom) return reports_oom(s, susp_what);
    if (rc != SQLITE_DONE) return store_fail(s, rc, susp_what);
    if (all->n == 0) return EXIT_OK;
    reports_ids_sort(all);
    long long *counts = malloc(all->n * sizeof *counts);
    if (!counts) return reports_oom(s, susp_what);
    size_t nk = 0;
    for (size_t i = 0; i < all->n; i++) {
        if (nk && all->v[nk - 1] == all->v[i]) {
            counts[nk - 1]++;
        } else {
            all->v[nk] = all->v[i];
            counts[nk++] = 1;
        }
    }
    all->n = nk;
    runs->counts = counts;
    return EXIT_OK;
}

/* Counts a child with n suspensions under its current care status (column 1 of st); false when
 * memory runs out. */
static bool susp_count_child(sqlite3_stmt *st, long long n, store_report_susp_t *out)
{
    int c = sqlite3_column_type(st, 1) == SQLITE_NULL
                ? -1
                : codes_find(CODES_CARE_STATUS, store_col_text(st, 1));
    if (c < 0 || c >= STORE_REPORT_CARE) {
        out->left_out_children++;
        out->left_out_suspensions += n;
        return true;
    }
    store_report_susp_group *g = &out->by_care[c];
    g->children++;
    g->suspensions += n;
    if (!susp_add(g, n)) return false;
    if (n > out->max_repeat && n <= 1000000) out->max_repeat = (int)n;
    return true;
}

int store_report_suspensions(store *s, date_t from, date_t to, store_report_susp_t *out)
{
    memset(out, 0, sizeof *out);
    susp_runs runs = {0};
    sqlite3_stmt *st;
    size_t seen = 0;
    int step = SQLITE_DONE, rc = suspension_runs(s, from, to, &runs);
    if (rc || runs.kids.n == 0) goto done;
    /* Pass 2: every child's current care status (index children_care), for the children found. */
    st = store_stmt(s, "SELECT id, care_status FROM children");
    if (!st) {
        rc = EXIT_IO;
        goto done;
    }
    while (seen < runs.kids.n && (step = store_step(s, st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        size_t at = reports_ids_lower_bound(&runs.kids, id);
        if (at >= runs.kids.n || runs.kids.v[at] != id) continue;
        seen++;
        if (!susp_count_child(st, runs.counts[at], out)) {
            rc = reports_oom(s, susp_what);
            break;
        }
    }
    sqlite3_reset(st);
    if (!rc && seen < runs.kids.n && step != SQLITE_DONE) rc = store_fail(s, step, susp_what);
done:
    free(runs.kids.v);
    free(runs.counts);
    if (rc) store_report_suspensions_free(out);
    return rc;
}

/* Each child's latest record so far, keyed by child id (open addressing; id 0 is not a child). */
typedef struct {
    int64_t child, id;
    date_t to;
    int32_t possible, attended; /* sessions: two a day, so small */
} att_slot;

typedef struct {
    att_slot *slot;
    size_t cap, n;
} att_map;

/* Makes room for n more children (load at most one half). */
static bool att_reserve(att_map *m, size_t more)
{
    if ((m->n + more) * 2 <= m->cap) return true;
    size_t cap = m->cap ? m->cap : 1024;
    while ((m->n + more) * 2 > cap)
        cap *= 2;
    att_slot *slot = calloc(cap, sizeof *slot);
    if (!slot) return false;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slot[i].child) continue;
        size_t j = mix((uint64_t)m->slot[i].child) & (cap - 1);
        while (slot[j].child)
            j = (j + 1) & (cap - 1);
        slot[j] = m->slot[i];
    }
    free(m->slot);
    m->slot = slot;
    m->cap = cap;
    return true;
}

/* The slot of child, added when add (room must have been reserved), else NULL when absent. */
static att_slot *att_find(att_map *m, int64_t child, bool add)
{
    if (!m->cap) return NULL;
    size_t j = mix((uint64_t)child) & (m->cap - 1);
    while (m->slot[j].child) {
        if (m->slot[j].child == child) return &m->slot[j];
        j = (j + 1) & (m->cap - 1);
    }
    if (!add) return NULL;
    m->slot[j].child = child;
    m->n++;
    return &m->slot[j];
}

enum { ATT_BATCH = 64 };

/* Applies a batch of records: the slots are fetched ahead (the table is far larger than the
 * caches, so each lookup would otherwise wait for memory in turn). */
static void att_apply(att_map *m, const att_slot *rows, int n)
{
    for (int i = 0; i < n; i++)
        __builtin_prefetch(&m->slot[mix((uint64_t)rows[i].child) & (m->cap - 1)], 1);
    for (int i = 0; i < n; i++) {
        att_slot *a = att_find(m, rows[i].child, true);
        if (a->id == 0 || rows[i].to > a->to || (rows[i].to == a->to && rows[i].id > a->id))
            *a = rows[i];
    }
}

static const char *const att_what = "reading attendance";

/* Pass 1: the records ending in the period (index attendance_report), the latest per child. */
static int att_latest(store *s, date_t from, date_t to, att_map *m)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT child_id, to_date, id, possible, attended "
                                     "FROM attendance "
                                     "WHERE to_date >= ?1 AND to_date <= ?2");
    if (!st) return EXIT_IO;
    reports_bind_period(s, st, from, to);
    /* Sized for every child at once: growing a table this large costs more than the scan. */
    sqlite3_stmt *cnt = store_stmt(s, "SELECT count(*) FROM children");
    if (!cnt) return EXIT_IO;
    long long nchildren = store_step(s, cnt) == SQLITE_ROW ? sqlite3_column_int64(cnt, 0) : 0;
    sqlite3_reset(cnt);
    if (nchildren > 0 && nchildren < 100000000 && !att_reserve(m, (size_t)nchildren))
        return reports_oom(s, att_what);
    att_slot batch[ATT_BATCH];
    int nb = 0, rc;
    bool oom = false;
    for (;;) {
        rc = store_step(s, st);
        if (rc == SQLITE_ROW) {
            att_slot *r = &batch[nb];
            r->child = sqlite3_column_int64(st, 0);
            r->id = sqlite3_column_int64(st, 2);
            long long possible = sqlite3_column_int64(st, 3);
            long long attended = sqlite3_column_int64(st, 4);
            if (possible < 0 || possible > INT32_MAX || attended < 0 || attended > INT32_MAX)
                continue; /* not sessions: left out */
            r->possible = (int32_t)possible;
            r->attended = (int32_t)attended;
            if (r->child == 0 || !reports_col_date(st, 1, &r->to)) continue;
            nb++;
        }
        if (nb == ATT_BATCH || (rc != SQLITE_ROW && nb)) {
            if ((oom = !att_reserve(m, (size_t)nb))) break;
            att_apply(m, batch, nb);
            nb = 0;
        }
        if (rc != SQLITE_ROW) break;
    }
    sqlite3_reset(st);
    if (oom) return reports_oom(s, att_what);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, att_what);
}

/* Pass 2: the children's dates of birth, read in one pass over the index children_dob, each
 * child with a record of m passed to fn (looked up in prefetched batches). */
static int att_each_child(store *s, att_map *m, store_report_attendance_fn fn, void *arg)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT id, dob FROM children");
    if (!st) return EXIT_IO;
    int r = EXIT_OK, rc;
    struct {
        int64_t id;
        date_t dob;
        bool ok;
    } kid[ATT_BATCH];
    int nk = 0;
    for (;;) {
        rc = store_step(s, st);
        if (rc == SQLITE_ROW) {
            kid[nk].id = sqlite3_column_int64(st, 0);
            kid[nk].dob = 0;
            kid[nk].ok = reports_col_date(st, 1, &kid[nk].dob);
            nk++;
        }
        if (nk == ATT_BATCH || (rc != SQLITE_ROW && nk)) {
            for (int i = 0; i < nk; i++)
                __builtin_prefetch(&m->slot[mix((uint64_t)kid[i].id) & (m->cap - 1)]);
            for (int i = 0; i < nk && !r; i++) {
                att_slot *a = att_find(m, kid[i].id, false);
                if (a) r = fn(kid[i].dob, kid[i].ok, a->possible, a->attended, arg);
            }
            nk = 0;
        }
        if (rc != SQLITE_ROW || r) break;
    }
    sqlite3_reset(st);
    if (r) return r;
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, att_what);
}

int store_report_attendance(store *s, date_t from, date_t to, store_report_attendance_fn fn,
                            void *arg)
{
    att_map m = {0};
    int rc = att_latest(s, from, to, &m);
    if (!rc && m.n) rc = att_each_child(s, &m, fn, arg);
    free(m.slot);
    return rc;
}

int store_report_cme(store *s, date_t from, date_t to, store_report_cme_fn fn, void *arg,
                     long long *open)
{
    *open = 0;
    sqlite3_stmt *st = store_stmt(s, "SELECT start, end_date, in_county FROM episodes "
                                     "WHERE kind = 'cme' AND end_date >= ?1 AND end_date <= ?2");
    if (!st) return EXIT_IO;
    reports_bind_period(s, st, from, to);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        date_t start, end;
        if (!reports_col_date(st, 0, &start) || !reports_col_date(st, 1, &end)) continue;
        int in = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 2) != 0;
        int r = fn(start, end, in, arg);
        if (r) {
            sqlite3_reset(st);
            return r;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return store_fail(s, rc, "reading CME episodes");
    st = store_stmt(s, "SELECT (SELECT count(*) FROM episodes "
                       "        WHERE kind = 'cme' AND end_date IS NULL AND start <= ?2) "
                       "     + (SELECT count(*) FROM episodes "
                       "        WHERE kind = 'cme' AND end_date > ?2 AND start <= ?2)");
    if (!st) return EXIT_IO;
    reports_bind_period(s, st, from, to);
    rc = store_step(s, st);
    if (rc == SQLITE_ROW) *open = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? EXIT_OK : store_fail(s, rc, "counting open CME episodes");
}
