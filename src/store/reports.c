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
 * only more slowly. */
#include "store_internal.h"

#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include "caseload/reports_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bind_period(store *s, sqlite3_stmt *st, date_t from, date_t to)
{
    char f[11], t[11];
    date_format(from, f);
    date_format(to, t);
    store_bind_text(s, st, 1, f, -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 2, t, -1, SQLITE_TRANSIENT);
}

static bool col_date(sqlite3_stmt *st, int i, date_t *out)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    if (!t) return false;
    return date_parse(t, (size_t)sqlite3_column_bytes(st, i), out);
}

/* Index of a code in a list, remembering the texts already seen in the column in a small table
 * hashed on the length and the first and last bytes (a column holds a dozen distinct codes, and
 * a million rows are then matched with one short memcmp each). */
enum { MEMO_SLOTS = 64, MEMO_LEN = 24 };
typedef struct {
    unsigned char len[MEMO_SLOTS]; /* 0: empty */
    signed char idx[MEMO_SLOTS];
    char text[MEMO_SLOTS][MEMO_LEN];
} code_memo;

static int code_index(code_memo *m, codes_list l, const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len >= MEMO_LEN) return codes_find(l, s);
    unsigned h =
        ((unsigned)len * 31u + (unsigned char)s[0] * 7u + (unsigned char)s[len - 1]) % MEMO_SLOTS;
    if (m->len[h] == len && memcmp(m->text[h], s, len) == 0) return m->idx[h];
    int i = codes_find(l, s);
    if (m->len[h] == 0) {
        memcpy(m->text[h], s, len);
        m->len[h] = (unsigned char)len;
        m->idx[h] = (signed char)i;
    }
    return i;
}

/* A list of 64-bit row keys, to count the distinct children of many rows: appending is
 * sequential; the count then uses a bitmap over the keys' range (row keys of one database are
 * close together) or, when the range is wide, a sort. */
typedef struct {
    int64_t *v;
    size_t n, cap;
} idlist;

static bool idlist_add(idlist *l, int64_t v)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4096;
        int64_t *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv) return false;
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = v;
    return true;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Membership of row keys: a bitmap over the keys' range when it is small enough, else a binary
 * search of the sorted list. */
typedef struct {
    const idlist *l; /* sorted */
    uint64_t *bits;
    int64_t lo;
    uint64_t range;
} idset;

static void idset_init(idset *set, const idlist *sorted)
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

static bool idlist_has(const idlist *l, int64_t v);
static bool idset_has(const idset *set, int64_t v)
{
    if (!set->bits) return idlist_has(set->l, v);
    uint64_t k = (uint64_t)v - (uint64_t)set->lo;
    if (v < set->lo || k > set->range) return false;
    return set->bits[k >> 6] >> (k & 63) & 1;
}

/* Whether v is in l, which is sorted. */
static bool idlist_has(const idlist *l, int64_t v)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->v[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->n && l->v[lo] == v;
}

/* The number of distinct keys; -1 when memory runs out. */
static long long idlist_distinct(idlist *l)
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

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static int oom(store *s, const char *what)
{
    snprintf(s->err, sizeof s->err, "%s: out of memory", what);
    return EXIT_IO;
}

static int month_index(const char *t, int y0, int m0)
{
    /* t is "YYYY-MM-DD" (checked by the range scan's bounds and the caller). */
    int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    int m = (t[5] - '0') * 10 + (t[6] - '0');
    return (y - y0) * 12 + (m - m0);
}

int store_report_summary(store *s, date_t from, date_t to, store_report_summary_t *out)
{
    static const char *what = "reading referrals for the summary";
    memset(out, 0, sizeof *out);
    int fy, fm, fd, ty, tm, td;
    date_to_ymd(from, &fy, &fm, &fd);
    date_to_ymd(to, &ty, &tm, &td);
    out->nmonths = to < from ? 0 : (ty - fy) * 12 + (tm - fm) + 1;
    if (out->nmonths > 0) {
        out->by_month = calloc((size_t)out->nmonths, sizeof *out->by_month);
        if (!out->by_month) return oom(s, what);
    }
    /* The referrals with an exclusion outcome: a short sequential read of outcomes_report, looked
     * up below for the at-risk referrals (rather than two index seeks for each of them). */
    idlist pex = {0}, avoided = {0};
    sqlite3_stmt *st =
        store_stmt(s, "SELECT referral_id, outcome = 'permanently_excluded' "
                      "FROM outcomes_current "
                      "WHERE outcome IN ('permanently_excluded', 'exclusion_avoided')");
    if (!st) {
        store_report_summary_free(out);
        return EXIT_IO;
    }
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        idlist *l = sqlite3_column_int(st, 1) ? &pex : &avoided;
        if (!idlist_add(l, sqlite3_column_int64(st, 0))) {
            sqlite3_reset(st);
            free(pex.v);
            free(avoided.v);
            store_report_summary_free(out);
            return oom(s, what);
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(pex.v);
        free(avoided.v);
        store_report_summary_free(out);
        return store_fail(s, rc, what);
    }
    if (pex.n) qsort(pex.v, pex.n, sizeof *pex.v, cmp_id);
    if (avoided.n) qsort(avoided.v, avoided.n, sizeof *avoided.v, cmp_id);
    idset pex_set, avoided_set;
    idset_init(&pex_set, &pex);
    idset_init(&avoided_set, &avoided);

    st = store_stmt(s, "SELECT r.received, r.issue, r.source, r.care_status, r.sen, r.pex_risk, "
                       "r.child_id, r.id FROM referrals r "
                       "WHERE r.received >= ?1 AND r.received <= ?2");
    if (!st) {
        free(pex.v);
        free(avoided.v);
        free(pex_set.bits);
        free(avoided_set.bits);
        store_report_summary_free(out);
        return EXIT_IO;
    }
    bind_period(s, st, from, to);
    idlist kids = {0};
    code_memo mi = {0}, ms = {0}, mc = {0}, mn = {0};
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        const char *rec = store_col_text(st, 0);
        out->total++;
        if (strlen(rec) == 10) {
            int k = month_index(rec, fy, fm);
            if (k >= 0 && k < out->nmonths) out->by_month[k]++;
        }
        int i = code_index(&mi, CODES_ISSUE, store_col_text(st, 1));
        if (i >= 0 && i < STORE_REPORT_ISSUES) out->by_issue[i]++;
        i = code_index(&ms, CODES_SOURCE, store_col_text(st, 2));
        if (i >= 0 && i < STORE_REPORT_SOURCES) out->by_source[i]++;
        i = code_index(&mc, CODES_CARE_STATUS, store_col_text(st, 3));
        if (i >= 0 && i < STORE_REPORT_CARE) out->by_care[i]++;
        int sen = code_index(&mn, CODES_SEN, store_col_text(st, 4));
        if (sen >= 0 && sen < STORE_REPORT_SEN)
            out->by_sen[sen]++;
        else
            sen = -1;
        if (!idlist_add(&kids, sqlite3_column_int64(st, 6))) {
            sqlite3_reset(st);
            free(kids.v);
            free(pex.v);
            free(avoided.v);
            free(pex_set.bits);
            free(avoided_set.bits);
            store_report_summary_free(out);
            return oom(s, what);
        }
        if (sqlite3_column_int(st, 5)) {
            int64_t id = sqlite3_column_int64(st, 7);
            out->at_risk++;
            if (sen >= 0) out->at_risk_by_sen[sen]++;
            if (idset_has(&pex_set, id)) {
                out->pex++;
                if (sen >= 0) out->pex_by_sen[sen]++;
            }
            if (idset_has(&avoided_set, id)) out->avoided++;
        }
    }
    sqlite3_reset(st);
    out->children = rc == SQLITE_DONE ? idlist_distinct(&kids) : 0;
    free(kids.v);
    free(pex.v);
    free(avoided.v);
    free(pex_set.bits);
    free(avoided_set.bits);
    if (out->children < 0) {
        store_report_summary_free(out);
        return oom(s, what);
    }
    if (rc != SQLITE_DONE) {
        store_report_summary_free(out);
        return store_fail(s, rc, what);
    }
    return EXIT_OK;
}

void store_report_summary_free(store_report_summary_t *out)
{
    free(out->by_month);
    out->by_month = NULL;
    out->nmonths = 0;
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

int store_report_suspensions(store *s, date_t from, date_t to, store_report_susp_t *out)
{
    static const char *what = "reading suspensions";
    memset(out, 0, sizeof *out);
    /* Pass 1: the child of every suspension of the period (index exclusions_start), sorted so
     * that each child's suspensions are a run. */
    sqlite3_stmt *st =
        store_stmt(s, "SELECT child_id FROM exclusions "
                      "WHERE start >= ?1 AND start <= ?2 AND category = 'suspension'");
    if (!st) return EXIT_IO;
    bind_period(s, st, from, to);
    idlist all = {0};
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        if (!idlist_add(&all, sqlite3_column_int64(st, 0))) {
            sqlite3_reset(st);
            free(all.v);
            return oom(s, what);
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(all.v);
        return store_fail(s, rc, what);
    }
    if (all.n == 0) {
        free(all.v);
        return EXIT_OK;
    }
    qsort(all.v, all.n, sizeof *all.v, cmp_id);
    /* Runs: kids[i] has counts[i] suspensions (kids reuses all's memory). */
    long long *counts = malloc(all.n * sizeof *counts);
    if (!counts) {
        free(all.v);
        return oom(s, what);
    }
    size_t nk = 0;
    for (size_t i = 0; i < all.n; i++) {
        if (nk && all.v[nk - 1] == all.v[i]) {
            counts[nk - 1]++;
        } else {
            all.v[nk] = all.v[i];
            counts[nk++] = 1;
        }
    }
    idlist kids = {all.v, nk, all.cap};
    /* Pass 2: every child's current care status (index children_care), for the children found. */
    st = store_stmt(s, "SELECT id, care_status FROM children");
    if (!st) {
        free(all.v);
        free(counts);
        return EXIT_IO;
    }
    size_t seen = 0;
    while (seen < nk && (rc = store_step(s, st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        size_t lo = 0, hi = kids.n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (kids.v[mid] < id)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo >= kids.n || kids.v[lo] != id) continue;
        seen++;
        long long n = counts[lo];
        int c = sqlite3_column_type(st, 1) == SQLITE_NULL
                    ? -1
                    : codes_find(CODES_CARE_STATUS, store_col_text(st, 1));
        if (c < 0 || c >= STORE_REPORT_CARE) {
            out->left_out_children++;
            out->left_out_suspensions += n;
            continue;
        }
        store_report_susp_group *g = &out->by_care[c];
        g->children++;
        g->suspensions += n;
        if (!susp_add(g, n)) {
            sqlite3_reset(st);
            free(all.v);
            free(counts);
            store_report_suspensions_free(out);
            return oom(s, what);
        }
        if (n > out->max_repeat && n <= 1000000) out->max_repeat = (int)n;
    }
    sqlite3_reset(st);
    free(all.v);
    free(counts);
    if (seen < nk && rc != SQLITE_DONE) {
        store_report_suspensions_free(out);
        return store_fail(s, rc, what);
    }
    return EXIT_OK;
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

int store_report_attendance(store *s, date_t from, date_t to, store_report_attendance_fn fn,
                            void *arg)
{
    static const char *what = "reading attendance";
    /* Pass 1: the records ending in the period (index attendance_report), the latest per child. */
    sqlite3_stmt *st = store_stmt(s, "SELECT child_id, to_date, id, possible, attended "
                                     "FROM attendance "
                                     "WHERE to_date >= ?1 AND to_date <= ?2");
    if (!st) return EXIT_IO;
    bind_period(s, st, from, to);
    att_map m = {0};
    /* Sized for every child at once: growing a table this large costs more than the scan. */
    sqlite3_stmt *cnt = store_stmt(s, "SELECT count(*) FROM children");
    if (!cnt) return EXIT_IO;
    long long nchildren = store_step(s, cnt) == SQLITE_ROW ? sqlite3_column_int64(cnt, 0) : 0;
    sqlite3_reset(cnt);
    if (nchildren > 0 && nchildren < 100000000 && !att_reserve(&m, (size_t)nchildren))
        return oom(s, what);
    att_slot batch[ATT_BATCH];
    int nb = 0, rc;
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
            if (r->child == 0 || !col_date(st, 1, &r->to)) continue;
            nb++;
        }
        if (nb == ATT_BATCH || (rc != SQLITE_ROW && nb)) {
            if (!att_reserve(&m, (size_t)nb)) {
                sqlite3_reset(st);
                free(m.slot);
                return oom(s, what);
            }
            att_apply(&m, batch, nb);
            nb = 0;
        }
        if (rc != SQLITE_ROW) break;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(m.slot);
        return store_fail(s, rc, what);
    }
    if (m.n == 0) {
        free(m.slot);
        return EXIT_OK;
    }
    /* Pass 2: the children's dates of birth, read in one pass over the index children_dob. */
    st = store_stmt(s, "SELECT id, dob FROM children");
    if (!st) {
        free(m.slot);
        return EXIT_IO;
    }
    int r = EXIT_OK;
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
            kid[nk].ok = col_date(st, 1, &kid[nk].dob);
            nk++;
        }
        if (nk == ATT_BATCH || (rc != SQLITE_ROW && nk)) {
            for (int i = 0; i < nk; i++)
                __builtin_prefetch(&m.slot[mix((uint64_t)kid[i].id) & (m.cap - 1)]);
            for (int i = 0; i < nk && !r; i++) {
                att_slot *a = att_find(&m, kid[i].id, false);
                if (a) r = fn(kid[i].dob, kid[i].ok, a->possible, a->attended, arg);
            }
            nk = 0;
        }
        if (rc != SQLITE_ROW || r) break;
    }
    sqlite3_reset(st);
    free(m.slot);
    if (r) return r;
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, what);
}

int store_report_cme(store *s, date_t from, date_t to, store_report_cme_fn fn, void *arg,
                     long long *open)
{
    *open = 0;
    sqlite3_stmt *st = store_stmt(s, "SELECT start, end_date, in_county FROM episodes "
                                     "WHERE kind = 'cme' AND end_date >= ?1 AND end_date <= ?2");
    if (!st) return EXIT_IO;
    bind_period(s, st, from, to);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        date_t start, end;
        if (!col_date(st, 0, &start) || !col_date(st, 1, &end)) continue;
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
    bind_period(s, st, from, to);
    rc = store_step(s, st);
    if (rc == SQLITE_ROW) *open = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? EXIT_OK : store_fail(s, rc, "counting open CME episodes");
}

int store_report_admissions(store *s, date_t from, date_t to, store_report_admissions_fn fn,
                            void *arg)
{
    static const char *what = "reading admissions referrals";
    /* The earliest placed_on_roll date of every referral that has one, in referral order (a
     * sequential read of outcomes_report), looked up below for each admissions referral. */
    sqlite3_stmt *st = store_stmt(s, "SELECT referral_id, date FROM outcomes_current "
                                     "WHERE outcome = 'placed_on_roll' "
                                     "ORDER BY referral_id, date");
    if (!st) return EXIT_IO;
    idlist ids = {0};
    date_t *dates = NULL;
    size_t dcap = 0;
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        date_t d;
        if (!col_date(st, 1, &d)) continue;
        if (ids.n && ids.v[ids.n - 1] == id) continue; /* a later placement of the same one */
        if (ids.n == dcap) {
            size_t cap = dcap ? dcap * 2 : 4096;
            date_t *nd = realloc(dates, cap * sizeof *nd);
            if (!nd) break;
            dates = nd;
            dcap = cap;
        }
        if (!idlist_add(&ids, id)) break;
        dates[ids.n - 1] = d;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) { /* stopped early: out of memory */
        free(ids.v);
        free(dates);
        return oom(s, what);
    }
    if (rc != SQLITE_DONE) {
        free(ids.v);
        free(dates);
        return store_fail(s, rc, what);
    }
    st = store_stmt(s, "SELECT r.received, r.id FROM referrals r "
                       "WHERE r.issue = 'admissions' AND r.received >= ?1 AND r.received <= ?2");
    if (!st) {
        free(ids.v);
        free(dates);
        return EXIT_IO;
    }
    bind_period(s, st, from, to);
    int r = EXIT_OK;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        date_t rec, placed_on = 0;
        if (!col_date(st, 0, &rec)) continue;
        int64_t id = sqlite3_column_int64(st, 1);
        size_t lo = 0, hi = ids.n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (ids.v[mid] < id)
                lo = mid + 1;
            else
                hi = mid;
        }
        bool placed = lo < ids.n && ids.v[lo] == id;
        if (placed) placed_on = dates[lo];
        if ((r = fn(rec, placed, placed_on, arg))) break;
    }
    sqlite3_reset(st);
    free(ids.v);
    free(dates);
    if (r) return r;
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, what);
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
