/* browse.c: the list of the full-screen app and `caseload list` (see browse.h): the filters, the
 * pages before and after a row, the counts, and the time budget of a text search (the SQL is
 * built in list_query.c). */
#include "browse_internal.h"

#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/retention.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void browse_filter_default(browse_filter *f)
{
    browse_filter_init(f);
    f->statuses = BROWSE_LIVE;
}

int browse_statuses_parse(const char *s, unsigned *out)
{
    *out = 0;
    if (strcmp(s, "all") == 0) return 0;
    char t[64];
    if (strlen(s) >= sizeof t || !*s) return -1;
    snprintf(t, sizeof t, "%s", s);
    for (char *p = t, *end; p; p = end ? end + 1 : NULL) {
        end = strchr(p, ',');
        if (end) *end = '\0';
        int i = field_code(CODES_STATUS, p, strlen(p));
        if (i < 0) return -1;
        *out |= BROWSE_STATUS(i);
    }
    if (*out == BROWSE_ALL_STATUSES) *out = 0;
    return 0;
}

void browse_filter_init(browse_filter *f)
{
    memset(f, 0, sizeof *f);
    f->issue = -1;
    f->statuses = 0;
    f->band = -1;
    f->follow_up = BROWSE_FOLLOW_ANY;
    f->cohort = -1;
}

bool browse_filter_active(const browse_filter *f)
{
    return f->statuses != 0 || f->band >= 0 || f->officer[0] || f->follow_up != BROWSE_FOLLOW_ANY ||
           f->text[0] || f->cohort >= 0;
}

void browse_filter_describe(const browse_filter *f, char *out, int n)
{
    int used = 0;
    out[0] = '\0';
#define ADD(...)                                                                                   \
    do {                                                                                           \
        if (used < n) {                                                                            \
            int k = snprintf(out + used, (size_t)(n - used), "%s", used ? ", " : "");              \
            used += k;                                                                             \
            if (used < n) used += snprintf(out + used, (size_t)(n - used), __VA_ARGS__);           \
        }                                                                                          \
    } while (0)
    if (f->statuses) {
        char st[64] = "";
        for (size_t i = 0; i < codes_count(CODES_STATUS); i++)
            if (f->statuses & BROWSE_STATUS(i))
                snprintf(st + strlen(st), sizeof st - strlen(st), "%s%s", st[0] ? " or " : "",
                         codes_label(CODES_STATUS, i));
        ADD("status %s", st);
    }
    if (f->band >= 0) ADD("band %s", codes_band_label(f->band));
    if (f->officer[0]) ADD("officer %s", f->officer);
    if (f->follow_up == BROWSE_FOLLOW_DUE) ADD("follow-ups due");
    if (f->follow_up == BROWSE_FOLLOW_OVERDUE) ADD("follow-ups overdue");
    if (f->cohort >= 0) ADD("cohort %s", codes_cohort_label(f->cohort, true));
    if (f->text[0]) ADD("/%s", f->text);
#undef ADD
}

browse_key browse_key_of(const browse_row *r)
{
    browse_key k;
    memset(&k, 0, sizeof k);
    k.score = r->score;
    k.id = r->id;
    snprintf(k.follow_up, sizeof k.follow_up, "%s", r->follow_up);
    return k;
}

bool browse_partial(const store *s)
{
    return s->browse.partial;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* BROWSE_SHORT_TEXT_MS, or $CASELOAD_SEARCH_BUDGET_MS (tests make it large so that a slow
 * machine cannot cut their results short). */
static double budget_ms(void)
{
    const char *e = getenv("CASELOAD_SEARCH_BUDGET_MS");
    if (e && *e) {
        char *end;
        double v = strtod(e, &end);
        if (!*end && v >= 0) return v; /* 0: every search stops at its first check */
    }
    return BROWSE_SHORT_TEXT_MS;
}

void browse_set_budget(store *s, double index_ms, double walk_ms)
{
    s->browse.budget_fixed = true;
    s->browse.index_ms = index_ms;
    s->browse.walk_ms = walk_ms;
    browse_forget(s);
}

void browse_default_budget(store *s)
{
    s->browse.budget_fixed = false;
    browse_forget(s);
}

/* The trigram index's budget before a query gives way to the walk of the list order (half the
 * walk's, by default); BROWSE_NO_BUDGET for none. */
static double budget_index_ms(const store *s)
{
    return s->browse.budget_fixed ? s->browse.index_ms : budget_ms() / 2;
}

/* The walk's budget, after which the rows so far stand (browse_partial). */
static double budget_walk_ms(const store *s)
{
    return s->browse.budget_fixed ? s->browse.walk_ms : budget_ms();
}

static int over_budget(void *deadline)
{
    return now_ms() > *(double *)deadline;
}

/* Steps st to its end (or, for a short text filter, until the budget runs out: then the rows so
 * far stand and browse_partial() says so). Calls row for each row. */
static int step_all(store *s, const list_query *lq, sqlite3_stmt *st, bool counting,
                    void (*row)(sqlite3_stmt *, void *), void *ctx)
{
    /* The trigram index gets half the budget: when a text matches so many referrals that
     * sorting them all would be slow, walking the list order and checking each row finds the
     * first page sooner (the caller then does that). */
    bool fts = (lq->mask & Q_FTS) != 0;
    double limit = fts ? budget_index_ms(s) : counting ? budget_walk_ms(s) / 2 : budget_walk_ms(s);
    double deadline = now_ms() + limit;
    /* A count stops at the budget too (it is then shown as "N+"). */
    bool budget = (fts || counting || (lq->mask & Q_LIKE)) && limit >= 0;
    if (budget) sqlite3_progress_handler(s->db, 100, over_budget, &deadline);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW)
        row(st, ctx);
    if (budget) sqlite3_progress_handler(s->db, 0, NULL, NULL);
    sqlite3_reset(st);
    if (budget && !fts && rc == SQLITE_INTERRUPT) {
        s->browse.partial = true;
        return SQLITE_DONE;
    }
    return rc;
}

/* Whether lq's text is the one whose trigram search last ran out of time on this store. */
static bool known_dense(const store *s, const list_query *lq)
{
    return (lq->mask & Q_FTS) && strcmp(s->browse.dense_phrase, lq->phrase) == 0;
}

/* Remembers that lq's text is too common for the trigram index within its budget. */
static void note_dense(store *s, const list_query *lq)
{
    snprintf(s->browse.dense_phrase, sizeof s->browse.dense_phrase, "%s", lq->phrase);
}

void browse_forget(store *s)
{
    s->browse.dense_phrase[0] = '\0';
}

typedef struct {
    const list_query *lq;
    browse_row *rows;
    int *n;
} page_ctx;

static void page_row(sqlite3_stmt *st, void *vctx)
{
    page_ctx *c = vctx;
    list_read_row(st, c->lq->w, c->lq->as_of, &c->rows[(*c->n)++]);
}

static void count_row(sqlite3_stmt *st, void *vctx)
{
    (void)st;
    *(long *)vctx += 1;
}

/* Runs one phase, appending up to limit rows at rows[*n]. */
static int run_phase(store *s, const list_query *lq, int phase, const browse_key *key, int limit,
                     browse_row *rows, int *n)
{
    if ((lq->mask & Q_BAND) && !(lq->mask & Q_FOLLOW) &&
        (phase == PH_TIES || phase == PH_TIES_BACK)) {
        int lo, hi;
        list_band_range(lq, &lo, &hi);
        if (key->score < lo || key->score >= hi) return EXIT_OK; /* no tie in the band */
    }
    list_query walk;
    if (known_dense(s, lq)) {
        walk = list_walk(lq);
        lq = &walk;
    }
    sqlite3_stmt *st = store_stmt(s, list_sql(lq->mask, phase, lq->f->statuses));
    if (!st) return EXIT_IO;
    list_bind(s, st, lq, key, limit);
    int n0 = *n;
    page_ctx ctx = {lq, rows, n};
    int rc = step_all(s, lq, st, false, page_row, &ctx);
    if (rc == SQLITE_INTERRUPT && (lq->mask & Q_FTS)) {
        note_dense(s, lq);
        *n = n0;
        return run_phase(s, lq, phase, key, limit, rows, n);
    }
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the list");
}

int browse_page(store *s, const browse_filter *f, const score_weights *w, date_t as_of,
                const browse_key *after, int limit, browse_row *rows, int *n)
{
    list_query lq;
    list_prepare(&lq, f, w, as_of);
    *n = 0;
    s->browse.partial = false;
    if (limit <= 0) return EXIT_OK;
    int rc = f->text[0] ? store_search_current(s) : EXIT_OK;
    if (rc) return rc;
    if (!after) return run_phase(s, &lq, PH_TOP, NULL, limit, rows, n);
    rc = run_phase(s, &lq, PH_TIES, after, limit, rows, n);
    /* Out of time in the tie group: the rows so far are the page's first (not those below). */
    if (rc || *n >= limit || s->browse.partial) return rc;
    return run_phase(s, &lq, PH_BELOW, after, limit - *n, rows, n);
}

static void reverse_rows(browse_row *rows, int n)
{
    for (int i = 0, j = n - 1; i < j; i++, j--) {
        browse_row t = rows[i];
        rows[i] = rows[j];
        rows[j] = t;
    }
}

int browse_page_before(store *s, const browse_filter *f, const score_weights *w, date_t as_of,
                       const browse_key *before, int limit, browse_row *rows, int *n)
{
    list_query lq;
    list_prepare(&lq, f, w, as_of);
    *n = 0;
    s->browse.partial = false;
    if (limit <= 0) return EXIT_OK;
    int rc = f->text[0] ? store_search_current(s) : EXIT_OK;
    if (rc) return rc;
    if (!before) {
        rc = run_phase(s, &lq, PH_END, NULL, limit, rows, n);
    } else {
        rc = run_phase(s, &lq, PH_TIES_BACK, before, limit, rows, n);
        if (!rc && *n < limit && !s->browse.partial)
            rc = run_phase(s, &lq, PH_ABOVE, before, limit - *n, rows, n);
    }
    if (!rc) reverse_rows(rows, *n);
    return rc;
}

int browse_issue_counts(store *s, unsigned statuses, long *counts, long *all)
{
    size_t ni = codes_count(CODES_ISSUE);
    for (size_t i = 0; i < ni; i++)
        counts[i] = 0;
    *all = 0;
    sqlite3_stmt *st = store_stmt(s, "SELECT issue, status, n FROM referral_counts");
    if (!st) return EXIT_IO;
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        int k = codes_find(CODES_STATUS, store_col_text(st, 1));
        if (statuses && (k < 0 || !(statuses & BROWSE_STATUS(k)))) continue;
        long v = (long)sqlite3_column_int64(st, 2);
        int i = codes_find(CODES_ISSUE, store_col_text(st, 0));
        if (i >= 0) counts[i] += v;
        *all += v;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "counting referrals");
}

/* browse_count's answer when its query ran out of time: every referral looked at (browse_scan),
 * so the count is the one with no budget. */
static int count_by_slices(store *s, const browse_filter *f, const score_weights *w, date_t as_of,
                           long cap, long *count, bool *more)
{
    browse_scan sc;
    browse_scan_init(&sc, true);
    int rc = EXIT_OK;
    while (!rc && !sc.done)
        rc = browse_scan_slice(s, f, w, as_of, BROWSE_SLICE_IDS, &sc);
    long n = f->issue >= 0 ? sc.issue_counts[f->issue] : sc.all;
    browse_scan_free(&sc);
    *count = n < cap ? n : cap;
    *more = n >= cap;
    return rc;
}

int browse_count(store *s, const browse_filter *f, const score_weights *w, date_t as_of, long cap,
                 long *count, bool *more)
{
    *count = 0;
    *more = false;
    list_query lq;
    list_prepare(&lq, f, w, as_of);
    if ((lq.mask & ~(Q_ISSUE | Q_STATUS)) == 0) {
        long counts[32], all;
        int rc = browse_issue_counts(s, f->statuses, counts, &all);
        if (rc) return rc;
        *count = f->issue >= 0 ? counts[f->issue] : all;
        return EXIT_OK;
    }
    int rc = f->text[0] ? store_search_current(s) : EXIT_OK;
    if (rc) return rc;
    if (known_dense(s, &lq)) lq = list_walk(&lq);
    sqlite3_stmt *st = store_stmt(s, list_sql(lq.mask, PH_COUNT, f->statuses));
    if (!st) return EXIT_IO;
    list_bind(s, st, &lq, NULL, (int)(cap > INT_MAX ? INT_MAX : cap));
    s->browse.partial = false;
    rc = step_all(s, &lq, st, true, count_row, count);
    if (rc == SQLITE_INTERRUPT && (lq.mask & Q_FTS)) {
        note_dense(s, &lq);
        *count = 0;
        return browse_count(s, f, w, as_of, cap, count, more);
    }
    if (rc == SQLITE_DONE && s->browse.partial)
        return count_by_slices(s, f, w, as_of, cap, count, more);
    *more = *count >= cap;
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "counting referrals");
}

typedef struct {
    long *counts, *all;
} issue_ctx;

static void issue_row(sqlite3_stmt *st, void *vctx)
{
    issue_ctx *c = vctx;
    int i = codes_find(CODES_ISSUE, store_col_text(st, 0));
    if (i >= 0) c->counts[i]++;
    (*c->all)++;
}

int browse_issue_counts_filtered(store *s, const browse_filter *f, const score_weights *w,
                                 date_t as_of, long cap, long *counts, long *all, bool *more)
{
    *more = false;
    browse_filter any = *f;
    any.issue = -1;
    list_query lq;
    list_prepare(&lq, &any, w, as_of);
    if ((lq.mask & ~Q_STATUS) == 0) return browse_issue_counts(s, f->statuses, counts, all);
    for (size_t i = 0; i < codes_count(CODES_ISSUE); i++)
        counts[i] = 0;
    *all = 0;
    int rc = any.text[0] ? store_search_current(s) : EXIT_OK;
    if (rc) return rc;
    if (known_dense(s, &lq)) lq = list_walk(&lq);
    sqlite3_stmt *st = store_stmt(s, list_sql(lq.mask, PH_ISSUES, any.statuses));
    if (!st) return EXIT_IO;
    list_bind(s, st, &lq, NULL, (int)(cap > INT_MAX ? INT_MAX : cap));
    s->browse.partial = false;
    issue_ctx ctx = {counts, all};
    rc = step_all(s, &lq, st, true, issue_row, &ctx);
    if (rc == SQLITE_INTERRUPT && (lq.mask & Q_FTS)) {
        note_dense(s, &lq);
        return browse_issue_counts_filtered(s, f, w, as_of, cap, counts, all, more);
    }
    *more = *all >= cap || s->browse.partial;
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "counting referrals");
}

int browse_overdue_count(store *s, date_t as_of, long *count)
{
    *count = 0;
    sqlite3_stmt *st =
        store_stmt(s, "SELECT count(*) FROM referral_follow_up WHERE follow_up < ?1");
    if (!st) return EXIT_IO;
    char d[11];
    date_format(as_of, d);
    store_bind_text(s, st, 1, d, -1, SQLITE_TRANSIENT);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        *count = (long)sqlite3_column_int64(st, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "counting follow-ups");
}
