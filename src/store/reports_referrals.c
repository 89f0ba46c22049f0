/* reports_referrals.c: the SQL behind the reports of referrals (SPEC section 7): summary, one pass
 * over the period's referrals, and admissions (see reports.c for how every report reads). Nothing
 * is written. */
#include "reports_internal.h"

#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include <stdlib.h>
#include <string.h>

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

static int month_index(const char *t, int y0, int m0)
{
    /* t is "YYYY-MM-DD" (checked by the range scan's bounds and the caller). */
    int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    int m = (t[5] - '0') * 10 + (t[6] - '0');
    return (y - y0) * 12 + (m - m0);
}

static const char *const summary_what = "reading referrals for the summary";

/* The referrals with an exclusion outcome, each list sorted: a short sequential read of
 * outcomes_report, looked up for the at-risk referrals (rather than two index seeks for each of
 * them). */
static int exclusion_outcomes(store *s, reports_ids *pex, reports_ids *avoided)
{
    sqlite3_stmt *st =
        store_stmt(s, "SELECT referral_id, outcome = 'permanently_excluded' "
                      "FROM outcomes_current "
                      "WHERE outcome IN ('permanently_excluded', 'exclusion_avoided')");
    if (!st) return EXIT_IO;
    int rc = SQLITE_DONE;
    bool oom = false;
    while (!oom && (rc = store_step(s, st)) == SQLITE_ROW) {
        reports_ids *l = sqlite3_column_int(st, 1) ? pex : avoided;
        oom = !reports_ids_add(l, sqlite3_column_int64(st, 0));
    }
    sqlite3_reset(st);
    if (oom) return reports_oom(s, summary_what);
    if (rc != SQLITE_DONE) return store_fail(s, rc, summary_what);
    reports_ids_sort(pex);
    reports_ids_sort(avoided);
    return EXIT_OK;
}

/* What the summary's pass over the period's referrals keeps besides the counts. */
typedef struct {
    int fy, fm; /* the month of from: by_month[0] */
    code_memo issue, source, care, sen;
    reports_idset pex, avoided; /* referrals with that outcome */
    reports_ids kids;           /* the child of every referral */
} summary_pass;

/* Counts one referral (the columns of the summary's SELECT) into out; false when memory runs
 * out. */
static bool summary_row(sqlite3_stmt *st, summary_pass *p, store_report_summary_t *out)
{
    const char *rec = store_col_text(st, 0);
    out->total++;
    if (strlen(rec) == 10) {
        int k = month_index(rec, p->fy, p->fm);
        if (k >= 0 && k < out->nmonths) out->by_month[k]++;
    }
    int i = code_index(&p->issue, CODES_ISSUE, store_col_text(st, 1));
    if (i >= 0 && i < STORE_REPORT_ISSUES) out->by_issue[i]++;
    i = code_index(&p->source, CODES_SOURCE, store_col_text(st, 2));
    if (i >= 0 && i < STORE_REPORT_SOURCES) out->by_source[i]++;
    i = code_index(&p->care, CODES_CARE_STATUS, store_col_text(st, 3));
    if (i >= 0 && i < STORE_REPORT_CARE) out->by_care[i]++;
    int sen = code_index(&p->sen, CODES_SEN, store_col_text(st, 4));
    if (sen >= 0 && sen < STORE_REPORT_SEN)
        out->by_sen[sen]++;
    else
        sen = -1;
    if (!reports_ids_add(&p->kids, sqlite3_column_int64(st, 6))) return false;
    if (sqlite3_column_int(st, 5)) {
        int64_t id = sqlite3_column_int64(st, 7);
        out->at_risk++;
        if (sen >= 0) out->at_risk_by_sen[sen]++;
        if (reports_idset_has(&p->pex, id)) {
            out->pex++;
            if (sen >= 0) out->pex_by_sen[sen]++;
        }
        if (reports_idset_has(&p->avoided, id)) out->avoided++;
    }
    return true;
}

int store_report_summary(store *s, date_t from, date_t to, store_report_summary_t *out)
{
    memset(out, 0, sizeof *out);
    int fy, fm, fd, ty, tm, td;
    date_to_ymd(from, &fy, &fm, &fd);
    date_to_ymd(to, &ty, &tm, &td);
    out->nmonths = to < from ? 0 : (ty - fy) * 12 + (tm - fm) + 1;
    if (out->nmonths > 0) {
        out->by_month = calloc((size_t)out->nmonths, sizeof *out->by_month);
        if (!out->by_month) return reports_oom(s, summary_what);
    }
    summary_pass p = {.fy = fy, .fm = fm};
    reports_ids pex = {0}, avoided = {0};
    sqlite3_stmt *st;
    int step, rc = exclusion_outcomes(s, &pex, &avoided);
    if (rc) goto done;
    reports_idset_init(&p.pex, &pex);
    reports_idset_init(&p.avoided, &avoided);
    st = store_stmt(s, "SELECT r.received, r.issue, r.source, r.care_status, r.sen, r.pex_risk, "
                       "r.child_id, r.id FROM referrals r "
                       "WHERE r.received >= ?1 AND r.received <= ?2");
    if (!st) {
        rc = EXIT_IO;
        goto done;
    }
    reports_bind_period(s, st, from, to);
    while ((step = store_step(s, st)) == SQLITE_ROW)
        if (!summary_row(st, &p, out)) break;
    sqlite3_reset(st);
    if (step == SQLITE_ROW) /* stopped: out of memory */
        rc = reports_oom(s, summary_what);
    else if (step != SQLITE_DONE)
        rc = store_fail(s, step, summary_what);
    else if ((out->children = reports_ids_distinct(&p.kids)) < 0)
        rc = reports_oom(s, summary_what);
done:
    free(p.kids.v);
    free(pex.v);
    free(avoided.v);
    reports_idset_free(&p.pex);
    reports_idset_free(&p.avoided);
    if (rc) store_report_summary_free(out);
    return rc;
}

void store_report_summary_free(store_report_summary_t *out)
{
    free(out->by_month);
    out->by_month = NULL;
    out->nmonths = 0;
}

/* The earliest placed_on_roll date of every referral that has one: ids (sorted) and dates[i]
 * that of ids[i]. */
typedef struct {
    reports_ids ids;
    date_t *dates;
    size_t dcap;
} placements;

static const char *const admissions_what = "reading admissions referrals";

/* Reads the placements in referral order (a sequential read of outcomes_report). */
static int read_placements(store *s, placements *pl)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT referral_id, date FROM outcomes_current "
                                     "WHERE outcome = 'placed_on_roll' "
                                     "ORDER BY referral_id, date");
    if (!st) return EXIT_IO;
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        date_t d;
        if (!reports_col_date(st, 1, &d)) continue;
        if (pl->ids.n && pl->ids.v[pl->ids.n - 1] == id) continue; /* a later placement */
        if (pl->ids.n == pl->dcap) {
            size_t cap = pl->dcap ? pl->dcap * 2 : 4096;
            date_t *nd = realloc(pl->dates, cap * sizeof *nd);
            if (!nd) break;
            pl->dates = nd;
            pl->dcap = cap;
        }
        if (!reports_ids_add(&pl->ids, id)) break;
        pl->dates[pl->ids.n - 1] = d;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return reports_oom(s, admissions_what); /* stopped early */
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, admissions_what);
}

int store_report_admissions(store *s, date_t from, date_t to, store_report_admissions_fn fn,
                            void *arg)
{
    placements pl = {0};
    sqlite3_stmt *st;
    int step, rc = read_placements(s, &pl);
    if (rc) goto done;
    st = store_stmt(s, "SELECT r.received, r.id FROM referrals r "
                       "WHERE r.issue = 'admissions' AND r.received >= ?1 AND r.received <= ?2");
    if (!st) {
        rc = EXIT_IO;
        goto done;
    }
    reports_bind_period(s, st, from, to);
    while ((step = store_step(s, st)) == SQLITE_ROW) {
        date_t rec, placed_on = 0;
        if (!reports_col_date(st, 0, &rec)) continue;
        int64_t id = sqlite3_column_int64(st, 1);
        size_t at = reports_ids_lower_bound(&pl.ids, id);
        bool placed = at < pl.ids.n && pl.ids.v[at] == id;
        if (placed) placed_on = pl.dates[at];
        if ((rc = fn(rec, placed, placed_on, arg))) break;
    }
    sqlite3_reset(st);
    if (!rc && step != SQLITE_DONE) rc = store_fail(s, step, admissions_what);
done:
    free(pl.ids.v);
    free(pl.dates);
    return rc;
}
