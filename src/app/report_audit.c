/* report_audit.c: the last step of report_publish (SPEC section 10): after the small counts and
 * the secondary cells are hidden, the published figures are attacked as a reader holding the
 * report would attack them, and more cells are hidden until the attack fails.
 *
 * The reader knows every figure shown (the Total rows of text and md included), that a hidden
 * count is at least 1 (0 stays 0), and how the figures add up (the relations below). From the
 * equations that are left once the shown figures are put in, a hidden count is worked out when
 * elimination fixes it (a row of the reduced equations holds it alone) or when the bounds (every
 * hidden count >= 1, carried through the equations) leave it one value. The single-cell rule
 * before this step is not enough: the suspensions report's "n times the children with n
 * suspensions add up to the suspensions" gives a second equation for each care status, the
 * counts of two tables are the same figures, and two hidden counts that add up to 2 are both 1.
 *
 * Relations, each the sum of some cells (times a whole number) equal to another:
 * - in a table whose rows add up to its Total row (partition, total_row): each count column;
 * - in a table with a column holding each row's total (row_total_col): each row;
 * - summary: each table of referrals by a code, and by month, adds up to referrals.total; the
 *   Total of the at-risk referrals by SEN status is exclusions.at_risk;
 * - suspensions: each care status's children by number of suspensions add up to its children,
 *   and n times each of them to its suspensions; all of them to all the children;
 * - cme: all episodes are those in county, out of county and not recorded (a note's count,
 *   hidden with the notes' counts when small, and never hidden to protect another).
 * A relation that does not hold in the figures (a code outside the lists) is left out. */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A cell of the report: row == the table's nrows is its Total row; table < 0: the note's count
 * of a relation (its value in rest). */
typedef struct {
    int table;
    size_t row;
    int col;
    long long coef;
} term;

typedef struct {
    term *t;
    size_t n, cap;
    long long rest;   /* added to the left side: cme's count not recorded, given in a note */
    bool rest_hidden; /* the note shows it as c: an unknown, never hidden to protect another */
} relation;

typedef struct {
    relation *r;
    size_t n, cap;
} relations;

static bool is_count(const report_col *c)
{
    return c->type == REPORT_COL_VALUE && c->decimals == 0;
}

static bool small(long long v, int threshold)
{
    return v >= 1 && v < threshold;
}

static long long cell_value(const report *r, const term *t)
{
    const report_table *tb = &r->tables[t->table];
    return t->row == tb->nrows ? report_total_of(tb, t->col) : tb->rows[t->row].v[t->col];
}

static bool cell_hidden(const report *r, const term *t)
{
    const report_table *tb = &r->tables[t->table];
    unsigned h = t->row == tb->nrows ? tb->hidden_total : tb->rows[t->row].hidden;
    return h >> t->col & 1;
}

static void cell_hide(report *r, const term *t)
{
    report_table *tb = &r->tables[t->table];
    unsigned *h = t->row == tb->nrows ? &tb->hidden_total : &tb->rows[t->row].hidden;
    *h |= 1u << t->col;
}

static relation *rel_new(relations *rs)
{
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 16;
        rs->r = realloc(rs->r, rs->cap * sizeof *rs->r);
        if (!rs->r) abort();
    }
    relation *x = &rs->r[rs->n++];
    memset(x, 0, sizeof *x);
    return x;
}

static void rel_add(relation *x, int table, size_t row, int col, long long coef)
{
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 8;
        x->t = realloc(x->t, x->cap * sizeof *x->t);
        if (!x->t) abort();
    }
    x->t[x->n++] = (term){table, row, col, coef};
}

/* Drops the last relation when it does not hold in the figures. */
static void rel_check(const report *r, relations *rs)
{
    relation *x = &rs->r[rs->n - 1];
    long long sum = x->rest;
    for (size_t i = 0; i < x->n; i++)
        sum += x->t[i].coef * cell_value(r, &x->t[i]);
    if (sum != 0) {
        free(x->t);
        rs->n--;
    }
}

static int table_at(const report *r, const char *path)
{
    for (size_t k = 0; k < r->ntables; k++)
        if (strcmp(r->tables[k].path, path) == 0) return (int)k;
    return -1;
}

static long row_at(const report_table *t, const char *key)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (strcmp(t->rows[i].key, key) == 0) return (long)i;
    return -1;
}

/* Column c of table k (its rows) adds up to the cell (tk, row, col). */
static void column_sum(const report *r, relations *rs, int k, int c, int tk, size_t row, int col)
{
    relation *x = rel_new(rs);
    for (size_t i = 0; i < r->tables[k].nrows; i++)
        rel_add(x, k, i, c, 1);
    rel_add(x, tk, row, col, -1);
    rel_check(r, rs);
}

static void generic_relations(const report *r, relations *rs)
{
    for (size_t k = 0; k < r->ntables; k++) {
        const report_table *t = &r->tables[k];
        for (int c = 0; t->partition && t->total_row && c < t->ncols; c++)
            if (is_count(&t->cols[c])) column_sum(r, rs, (int)k, c, (int)k, t->nrows, c);
        for (size_t i = 0; t->row_total_col >= 0 && i <= t->nrows; i++) {
            if (i == t->nrows && !t->total_row) break;
            relation *x = rel_new(rs);
            for (int c = 0; c < t->ncols; c++)
                if (is_count(&t->cols[c]) && c != t->row_total_col) rel_add(x, (int)k, i, c, 1);
            rel_add(x, (int)k, i, t->row_total_col, -1);
            rel_check(r, rs);
        }
    }
}

static void summary_relations(const report *r, relations *rs)
{
    int t0 = table_at(r, "referrals.{r}");
    long total = t0 < 0 ? -1 : row_at(&r->tables[t0], "total");
    for (size_t k = 0; total >= 0 && k < r->ntables; k++)
        if (strncmp(r->tables[k].path, "referrals.by_", 13) == 0)
            column_sum(r, rs, (int)k, 0, t0, (size_t)total, 0);
    int risk = table_at(r, "exclusions.{r}"), sen = table_at(r, "exclusions.{c}.{r}");
    long at_risk = risk < 0 ? -1 : row_at(&r->tables[risk], "at_risk");
    if (sen >= 0 && at_risk >= 0) {
        relation *x = rel_new(rs);
        rel_add(x, sen, r->tables[sen].nrows, 0, 1);
        rel_add(x, risk, (size_t)at_risk, 0, -1);
        rel_check(r, rs);
    }
}

static void suspensions_relations(const report *r, relations *rs)
{
    int t1 = table_at(r, "by_care_status.{r}.{c}"),
        t2 = table_at(r, "by_care_status.{c}.repeat.{r}");
    if (t1 < 0 || t2 < 0) return;
    const report_table *a = &r->tables[t1], *b = &r->tables[t2];
    for (size_t s = 0; s < a->nrows && (int)s < b->ncols && (int)s != b->row_total_col; s++) {
        column_sum(r, rs, t2, (int)s, t1, s, 0); /* its children */
        relation *x = rel_new(rs);               /* its suspensions */
        for (size_t i = 0; i < b->nrows; i++)
            rel_add(x, t2, i, (int)s, atoll(b->rows[i].key));
        rel_add(x, t1, s, 1, -1);
        rel_check(r, rs);
    }
    if (b->row_total_col >= 0) column_sum(r, rs, t2, b->row_total_col, t1, a->nrows, 0);
}

static void cme_relations(const report *r, relations *rs, int threshold)
{
    int k = table_at(r, "{r}.{c}");
    if (k < 0) return;
    const report_table *t = &r->tables[k];
    long all = row_at(t, ""), in = row_at(t, "in_county"), out = row_at(t, "out_of_county");
    if (all < 0 || in < 0 || out < 0) return;
    relation *x = rel_new(rs);
    rel_add(x, k, (size_t)in, 0, 1);
    rel_add(x, k, (size_t)out, 0, 1);
    rel_add(x, k, (size_t)all, 0, -1);
    x->rest = t->rows[all].v[0] - t->rows[in].v[0] - t->rows[out].v[0]; /* the note's count */
    x->rest_hidden = small(x->rest, threshold); /* as publish_note hides it */
    rel_check(r, rs);
}

/* ---- the attack ---- */

#define TOL 1e-7

/* The unknowns: the hidden cells of the relations, and the notes' hidden counts. */
typedef struct {
    term *cell; /* cell[i] for unknown i; table -1: the note's count (rest) of relation row */
    size_t n, cap;
} unknowns;

static size_t unknown_of(unknowns *u, const term *t)
{
    for (size_t i = 0; i < u->n; i++)
        if (u->cell[i].table == t->table && u->cell[i].row == t->row && u->cell[i].col == t->col)
            return i;
    if (u->n == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 32;
        u->cell = realloc(u->cell, u->cap * sizeof *u->cell);
        if (!u->cell) abort();
    }
    u->cell[u->n] = *t;
    return u->n++;
}

/* The equations left once the shown figures are put in: m rows of n + 1 doubles (the last the
 * constant), one per relation with an unknown; rel[e] the relation of equation e. */
typedef struct {
    double *a;
    size_t m, n;
    size_t *rel;
} eqsys;

static eqsys equations(const report *r, const relations *rs, unknowns *u)
{
    u->n = 0;
    for (size_t k = 0; k < rs->n; k++) {
        const relation *x = &rs->r[k];
        for (size_t i = 0; i < x->n; i++)
            if (cell_hidden(r, &x->t[i])) unknown_of(u, &x->t[i]);
        if (x->rest_hidden) unknown_of(u, &(term){-1, k, 0, 0});
    }
    eqsys sy = {calloc(rs->n * (u->n + 1) + 1, sizeof(double)), 0, u->n,
                calloc(rs->n + 1, sizeof(size_t))};
    if (!sy.a || !sy.rel) abort();
    for (size_t k = 0; k < rs->n; k++) {
        const relation *x = &rs->r[k];
        double *row = &sy.a[sy.m * (u->n + 1)];
        bool any = false;
        double cst = x->rest_hidden ? 0 : -(double)x->rest;
        for (size_t i = 0; i < x->n; i++) {
            if (cell_hidden(r, &x->t[i])) {
                row[unknown_of(u, &x->t[i])] += (double)x->t[i].coef;
                any = true;
            } else {
                cst -= (double)x->t[i].coef * (double)cell_value(r, &x->t[i]);
            }
        }
        if (x->rest_hidden) row[unknown_of(u, &(term){-1, k, 0, 0})] += 1, any = true;
        row[u->n] = cst;
        if (any) sy.rel[sy.m++] = k;
    }
    return sy;
}

/* Reduces a copy of sy's rows (Gauss-Jordan, partial pivoting) into out (m x (n + 1)). */
static void reduce(const eqsys *sy, double *out)
{
    size_t w = sy->n + 1, prow = 0;
    memcpy(out, sy->a, sy->m * w * sizeof *out);
    for (size_t c = 0; c < sy->n && prow < sy->m; c++) {
        size_t p = prow;
        for (size_t i = prow + 1; i < sy->m; i++)
            if (fabs(out[i * w + c]) > fabs(out[p * w + c])) p = i;
        if (fabs(out[p * w + c]) < TOL) continue;
        for (size_t j = 0; j < w; j++) {
            double tmp = out[p * w + j];
            out[p * w + j] = out[prow * w + j];
            out[prow * w + j] = tmp;
        }
        double pv = out[prow * w + c];
        for (size_t j = 0; j < w; j++)
            out[prow * w + j] /= pv;
        for (size_t i = 0; i < sy->m; i++) {
            double f = out[i * w + c];
            if (i == prow || fabs(f) < TOL) continue;
            for (size_t j = 0; j < w; j++)
                out[i * w + j] -= f * out[prow * w + j];
            out[i * w + c] = 0;
        }
        prow++;
    }
}

/* The least and the most of c x for x in [lo, hi] (lo finite, hi maybe infinite). */
static void term_range(double c, double lo, double hi, double *min, double *max)
{
    *min = c > 0 ? c * lo : c * hi;
    *max = c > 0 ? c * hi : c * lo;
}

/* Narrows lo/hi of each unknown by one equation (row of n + 1: sum of a_j x_j = b): a_i x_i is
 * b less the others, whose least and most are the sums of their terms' (the infinite ones
 * counted apart). */
static bool narrow(const double *row, size_t n, double *lo, double *hi)
{
    double smin = 0, smax = 0; /* the finite parts */
    int kmin = 0, kmax = 0;    /* how many terms are -inf at least / +inf at most */
    for (size_t j = 0; j < n; j++) {
        if (fabs(row[j]) < TOL) continue;
        double mn, mx;
        term_range(row[j], lo[j], hi[j], &mn, &mx);
        if (isinf(mn))
            kmin++;
        else
            smin += mn;
        if (isinf(mx))
            kmax++;
        else
            smax += mx;
    }
    bool changed = false;
    for (size_t i = 0; i < n; i++) {
        double a = row[i], mn, mx;
        if (fabs(a) < TOL) continue;
        term_range(a, lo[i], hi[i], &mn, &mx);
        /* the others' least and most (isinf gives the sign: compared, not counted) */
        bool imn = isinf(mn) != 0, imx = isinf(mx) != 0;
        double omin = kmin - imn > 0 ? -INFINITY : smin - (imn ? 0 : mn);
        double omax = kmax - imx > 0 ? INFINITY : smax - (imx ? 0 : mx);
        double rlo = row[n] - omax, rhi = row[n] - omin; /* the range of a x_i */
        double xlo = a > 0 ? rlo / a : rhi / a, xhi = a > 0 ? rhi / a : rlo / a;
        if (isfinite(xlo) && ceil(xlo - TOL) > lo[i]) lo[i] = ceil(xlo - TOL), changed = true;
        if (isfinite(xhi) && floor(xhi + TOL) < hi[i]) hi[i] = floor(xhi + TOL), changed = true;
    }
    return changed;
}

/* The first unknown the equations fix, or n when none is fixed. */
static size_t fixed_unknown(const eqsys *sy)
{
    size_t w = sy->n + 1;
    double *red = malloc((sy->m * w + 1) * sizeof *red);
    double *lo = malloc((sy->n + 1) * sizeof *lo), *hi = malloc((sy->n + 1) * sizeof *hi);
    if (!red || !lo || !hi) abort();
    reduce(sy, red);
    size_t found = sy->n;
    for (size_t i = 0; i < sy->m && found == sy->n; i++) {
        size_t nz = 0, at = 0;
        for (size_t j = 0; j < sy->n; j++)
            if (fabs(red[i * w + j]) > TOL) nz++, at = j;
        if (nz == 1) found = at;
    }
    for (size_t j = 0; j < sy->n; j++)
        lo[j] = 1, hi[j] = INFINITY; /* a hidden count is not 0 */
    for (int pass = 0; pass < 100 && found == sy->n; pass++) {
        bool changed = false;
        for (size_t i = 0; i < sy->m; i++)
            changed |= narrow(&sy->a[i * w], sy->n, lo, hi);
        for (size_t i = 0; i < sy->m; i++)
            changed |= narrow(&red[i * w], sy->n, lo, hi);
        if (!changed) break;
    }
    for (size_t j = 0; j < sy->n && found == sy->n; j++)
        if (hi[j] <= lo[j]) found = j;
    free(red);
    free(lo);
    free(hi);
    return found;
}

/* The shown non-zero cell of the smallest value in relation x, or false when there is none. */
static bool smallest_shown(const report *r, const relation *x, term *best)
{
    bool any = false;
    for (size_t i = 0; i < x->n; i++) {
        const term *t = &x->t[i];
        long long v = cell_value(r, t);
        if (cell_hidden(r, t) || v <= 0) continue;
        if (!any || v < cell_value(r, best)) *best = *t;
        any = true;
    }
    return any;
}

/* Hides one more cell where the unknown u is worked out: the smallest shown non-zero one of its
 * relations, else of any relation with an unknown. Returns false when there is none. */
static bool protect(report *r, const relations *rs, const eqsys *sy, const term *u)
{
    term best = {0}, t;
    bool any = false;
    for (int wide = 0; wide < 2 && !any; wide++)
        for (size_t e = 0; e < sy->m; e++) {
            const relation *x = &rs->r[sy->rel[e]];
            bool holds = wide || (u->table < 0 && u->row == sy->rel[e]);
            for (size_t i = 0; !holds && i < x->n; i++)
                holds = x->t[i].table == u->table && x->t[i].row == u->row && x->t[i].col == u->col;
            if (!holds || !smallest_shown(r, x, &t)) continue;
            if (!any || cell_value(r, &t) < cell_value(r, &best)) best = t;
            any = true;
        }
    if (any) cell_hide(r, &best);
    return any;
}

long long report_audit(report *r, int threshold)
{
    relations rs = {0};
    generic_relations(r, &rs);
    switch (r->kind) {
    case REPORT_SUMMARY: summary_relations(r, &rs); break;
    case REPORT_SUSPENSIONS: suspensions_relations(r, &rs); break;
    case REPORT_CME: cme_relations(r, &rs, threshold); break;
    default: break;
    }
    long long more = 0;
    unknowns u = {0};
    for (;;) {
        eqsys sy = equations(r, &rs, &u);
        size_t at = fixed_unknown(&sy);
        bool hid = at < sy.n && protect(r, &rs, &sy, &u.cell[at]);
        free(sy.a);
        free(sy.rel);
        if (!hid) break;
        more++;
    }
    free(u.cell);
    for (size_t k = 0; k < rs.n; k++)
        free(rs.r[k].t);
    free(rs.r);
    return more;
}
