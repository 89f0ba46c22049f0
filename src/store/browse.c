/* browse.c: the read queries of the full-screen app and `caseload list` (see browse.h).
 *
 * A page of the list is fetched with keyset pagination on (score DESC, id): after a row (s, i),
 * first the rest of its tie group (score = s AND id > i, in id order) and then, if the page is not
 * full, the rows below it (score < s). Each half is a plain range of an index of referral_list
 * (referral_list_score, referral_list_issue_status, referral_list_officer; an issue alone or a
 * status alone merges one range per status or issue), so a page costs the same at row 20 and at
 * row 900,000.
 * The SQL depends on which filters are set; each combination is built once into a static buffer
 * whose address keys the statement cache. */
#include "store_internal.h"

#include "caseload/browse.h"
#include "caseload/buf.h"
#include "caseload/cal.h"
#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/retention.h"
#include "caseload/text.h"
#include <ctype.h>
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
            int k = snprintf(out + used, (size_t)(n - used), "%s", used ? " " : "");               \
            used += k;                                                                             \
            if (used < n) used += snprintf(out + used, (size_t)(n - used), __VA_ARGS__);           \
        }                                                                                          \
    } while (0)
    if (f->statuses) {
        char st[64] = "";
        for (size_t i = 0; i < codes_count(CODES_STATUS); i++)
            if (f->statuses & BROWSE_STATUS(i))
                snprintf(st + strlen(st), sizeof st - strlen(st), "%s%s", st[0] ? "," : "",
                         codes_code(CODES_STATUS, i));
        ADD("status=%s", st);
    }
    if (f->band >= 0) ADD("band=%s", score_band_name((score_band_t)f->band));
    if (f->officer[0]) ADD("officer=%s", f->officer);
    if (f->follow_up == BROWSE_FOLLOW_DUE) ADD("follow-up=due");
    if (f->follow_up == BROWSE_FOLLOW_OVERDUE) ADD("follow-up=overdue");
    if (f->cohort >= 0) ADD("cohort=%s", retention_cohort_name((retention_cohort_t)f->cohort));
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

/* ---- building the list queries ---- */

enum {
    Q_ISSUE = 1,
    Q_STATUS = 2,
    Q_OFFICER = 4,
    Q_BAND = 8,
    Q_FOLLOW = 16, /* due follow-ups: walked in follow-up order on referral_follow_up_date */
    Q_FTS = 32,    /* a word of 3+ characters: the trigram index */
    Q_LIKE = 64, /* every word checked on the folded text (the walk, or words of 1-2 characters) */
    Q_COHORT = 128, /* the child's cohort (src/core/retention.c) */
    Q_NMASK = 256
};
/* PH_ISSUES: the issue of every row that matches (the sidebar's counts under a filter). */
enum { PH_TOP, PH_TIES, PH_BELOW, PH_END, PH_TIES_BACK, PH_ABOVE, PH_COUNT, PH_ISSUES, PH_N };

/* Built on first use and kept (the statement cache keys on the text's address), per mask, phase
 * and status set (BROWSE_STATUS bits, 0 without Q_STATUS: the statuses are written into the
 * SQL). */
static char *query_text[1u << 3][Q_NMASK][PH_N];

#define ROW_COLUMNS                                                                                \
    "k.id, r.child_id, r.ref, k.score, c.upn, c.la_child_id, c.first_name, c.last_name, c.dob, "   \
    "(SELECT coalesce(name, urn, '') FROM schools WHERE id = c.school_id), r.issue, r.status, "    \
    "(SELECT initials FROM officers WHERE id = r.officer_id), r.received, r.closed, "              \
    "(SELECT follow_up FROM referral_follow_up WHERE id = k.id) "

/* One arm of a list query: the rows of one index range (issue_code / status_code, when not NULL,
 * fix the issue / status of the range in place of ?1 / the status set). */
static void list_arm(buf *q, int mask, int phase, const char *issue_code, const char *status_code,
                     unsigned statuses)
{
    if (phase == PH_COUNT) /* rows counted in C, under a budget */
        buf_puts(q, "SELECT 1 ");
    else if (phase == PH_ISSUES)
        buf_puts(q, "SELECT r.issue ");
    else
        buf_puts(q, "SELECT " ROW_COLUMNS);
    /* The table whose issue, status and officer are checked: the one the query starts from. */
    const char *t = "k";
    if (mask & Q_FOLLOW) {
        /* Earliest follow-up first: the follow-up index gives the order, the other filters are
         * checked on each row (a text filter of 3+ characters through the trigram index's set). */
        buf_puts(q, "FROM referral_follow_up fu INDEXED BY referral_follow_up_date ");
        bool text = (mask & (Q_FTS | Q_LIKE | Q_COHORT)) != 0; /* these need the child too */
        if (phase != PH_COUNT || (mask & (Q_ISSUE | Q_STATUS | Q_OFFICER | Q_BAND)) || text)
            buf_puts(q, "CROSS JOIN referral_list k ON k.id = fu.id ");
        if (phase != PH_COUNT || text)
            buf_puts(q, "CROSS JOIN referrals r ON r.id = fu.id "
                        "CROSS JOIN children c ON c.id = r.child_id ");
    } else if (mask & Q_FTS) {
        t = "r";
        buf_puts(q, "FROM referral_search s JOIN referrals r ON r.id = s.rowid ");
        /* The score only to show, sort or check the band by (a count needs none). */
        if (phase != PH_COUNT || (mask & Q_BAND))
            buf_puts(q, "CROSS JOIN referral_list k ON k.id = r.id ");
        buf_puts(q, "CROSS JOIN children c ON c.id = r.child_id ");
    } else {
        /* The index is named so that statistics (ANALYZE) can never trade the ordered walk for
         * a sort of the whole table. */
        const char *index = (mask & (Q_ISSUE | Q_STATUS)) == Q_STATUS && (mask & Q_OFFICER)
                                ? "referral_list_officer"
                            : mask & (Q_ISSUE | Q_STATUS) ? "referral_list_issue_status"
                            : mask & Q_OFFICER            ? "referral_list_officer"
                                                          : "referral_list_score";
        buf_printf(q,
                   "FROM referral_list k INDEXED BY %s CROSS JOIN referrals r ON r.id = k.id "
                   "CROSS JOIN children c ON c.id = r.child_id ",
                   index);
    }
    buf_puts(q, "WHERE 1");
    if (issue_code)
        buf_printf(q, " AND %s.issue = '%s'", t, issue_code);
    else if (mask & Q_ISSUE)
        buf_printf(q, " AND %s.issue = ?1", t);
    if (status_code) {
        buf_printf(q, " AND %s.status = '%s'", t, status_code);
    } else if (mask & Q_STATUS) {
        buf_printf(q, " AND %s.status IN (", t);
        const char *sep = "";
        for (size_t i = 0; i < codes_count(CODES_STATUS); i++)
            if (statuses & BROWSE_STATUS(i)) {
                buf_printf(q, "%s'%s'", sep, codes_code(CODES_STATUS, i));
                sep = ", ";
            }
        buf_puts(q, ")");
    }
    if (mask & Q_OFFICER)
        buf_printf(
            q, " AND %s.officer_id = (SELECT id FROM officers WHERE initials = ?3 COLLATE NOCASE)",
            t);
    /* In a tie group the score is fixed (and checked against the band by the caller): a second
     * condition on score could make the planner give up the (score, id) order. */
    if ((mask & Q_BAND) && ((phase != PH_TIES && phase != PH_TIES_BACK) || (mask & Q_FOLLOW)))
        buf_puts(q, " AND k.score >= ?4 AND k.score < ?5");
    if (mask & Q_FOLLOW) buf_puts(q, " AND fu.follow_up < ?6");
    if (mask & Q_COHORT) /* retention_cohort, with ?11 the as-of date and ?12 its Ever6 bound */
        buf_puts(q, " AND CASE WHEN c.social_work_ended IS NULL OR c.social_work_ended > ?11 "
                    "THEN 0 WHEN c.social_work_ended > ?12 THEN 1 ELSE 2 END = ?13");
    /* Both read the one folded text of migration 0010 (referral_search.body), so the index and
     * the walk find the same rows. */
    if ((mask & (Q_FTS | Q_FOLLOW)) == (Q_FTS | Q_FOLLOW))
        buf_puts(q, " AND fu.id IN (SELECT rowid FROM referral_search WHERE referral_search "
                    "MATCH ?7)");
    else if (mask & Q_FTS)
        buf_puts(q, " AND referral_search MATCH ?7");
    if ((mask & Q_LIKE) && (mask & Q_FTS) && !(mask & Q_FOLLOW))
        buf_puts(q, " AND caseload_words(s.body, ?14)");
    else if (mask & Q_LIKE)
        buf_puts(q, " AND caseload_words((SELECT body FROM referral_search WHERE rowid = r.id), "
                    "?14)");
    if (mask & Q_FOLLOW) {
        switch (phase) {
        case PH_TIES: buf_puts(q, " AND fu.follow_up = ?8 AND fu.id > ?9"); break;
        case PH_BELOW: buf_puts(q, " AND fu.follow_up > ?8"); break;
        case PH_TIES_BACK: buf_puts(q, " AND fu.follow_up = ?8 AND fu.id < ?9"); break;
        case PH_ABOVE: buf_puts(q, " AND fu.follow_up < ?8"); break;
        default: break;
        }
        return;
    }
    switch (phase) {
    case PH_TIES: buf_puts(q, " AND k.score = ?8 AND k.id > ?9"); break;
    case PH_BELOW: buf_puts(q, " AND k.score < ?8"); break;
    case PH_TIES_BACK: buf_puts(q, " AND k.score = ?8 AND k.id < ?9"); break;
    case PH_ABOVE: buf_puts(q, " AND k.score > ?8"); break;
    default: break;
    }
}

/* Parameters: ?1 issue, ?3 officer initials, ?4 lowest score, ?5 score above the band,
 * ?6 follow-up bound (exclusive), ?7 FTS query (the words of 3+ characters), ?8 key score, ?9 key
 * id, ?10 limit, ?11-?13 the cohort (with its dates), ?14 every word (caseload_words).
 * An issue without a status, or a set of statuses without an issue or an officer, has no index
 * of its own (fewer indexes make a full score recompute cheaper, migration 0005): the query is one
 * arm per status, or per issue and status, each an ordered range of referral_list_issue_status,
 * and SQLite merges the arms in list order (MERGE (UNION ALL): no sort, and it stops at the
 * limit). */
static const char *list_sql(int mask, int phase, unsigned statuses)
{
    if (!(mask & Q_STATUS)) statuses = 0;
    if (query_text[statuses][mask][phase]) return query_text[statuses][mask][phase];
    buf q = BUF_INIT;
    /* The arms: each issue (none fixed) times each status (of the set, or all). */
    bool by_issue = false, by_status = false;
    if (!(mask & (Q_FTS | Q_FOLLOW))) {
        by_status = (mask & Q_ISSUE) || ((mask & Q_STATUS) && !(mask & Q_OFFICER));
        by_issue = by_status && !(mask & Q_ISSUE);
    }
    size_t ni = by_issue ? codes_count(CODES_ISSUE) : 1, ns = codes_count(CODES_STATUS);
    size_t arms = 0;
    for (size_t i = 0; i < ni; i++)
        for (size_t j = 0; j < (by_status ? ns : 1); j++) {
            if (by_status && (mask & Q_STATUS) && !(statuses & BROWSE_STATUS(j))) continue;
            if (arms++) buf_puts(&q, " UNION ALL ");
            list_arm(&q, mask, phase, by_issue ? codes_code(CODES_ISSUE, i) : NULL,
                     by_status ? codes_code(CODES_STATUS, j) : NULL, statuses);
        }
    /* A compound orders by its result columns: 4 is k.score, 1 is k.id. */
    bool one = arms == 1;
    if (mask & Q_FOLLOW) {
        if (phase == PH_TOP || phase == PH_TIES || phase == PH_BELOW)
            buf_puts(&q, " ORDER BY fu.follow_up, fu.id");
        else if (phase != PH_COUNT && phase != PH_ISSUES)
            buf_puts(&q, " ORDER BY fu.follow_up DESC, fu.id DESC");
    } else
        switch (phase) {
        case PH_TOP:
        case PH_TIES:
        case PH_BELOW:
            buf_puts(&q, one ? " ORDER BY k.score DESC, k.id" : " ORDER BY 4 DESC, 1");
            break;
        case PH_END:
        case PH_TIES_BACK:
        case PH_ABOVE:
            buf_puts(&q, one ? " ORDER BY k.score, k.id DESC" : " ORDER BY 4, 1 DESC");
            break;
        default: break;
        }
    buf_puts(&q, " LIMIT ?10");
    query_text[statuses][mask][phase] = q.data;
    return q.data;
}

typedef struct {
    int mask;
    const browse_filter *f;
    const score_weights *w;
    date_t as_of;
    char phrase[1024]; /* "w1" AND "w2" ...: the folded words of 3+ characters */
    char words[512];   /* every folded word, separated by a space */
} list_query;

/* Counts UTF-8 characters. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* The words of lq->f->text, folded (text_fold), into lq->words and, those of 3 characters or more
 * as FTS5 strings (each a substring for the trigram tokenizer), into lq->phrase. Returns the mask
 * bits of the text: Q_FTS when a word is long enough for the index, Q_LIKE when every word must
 * be checked on the text (no word for the index, or some too short for it). */
static int search_words(list_query *lq)
{
    buf folded = BUF_INIT;
    text_fold(&folded, lq->f->text);
    size_t np = 0, nw = 0;
    bool short_word = false;
    for (const char *p = buf_str(&folded); *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n) break;
        /* Whole words only: one that does not fit ends the query (the text is at most 127
         * bytes, which fit). */
        if (nw + n + 2 > sizeof lq->words || np + 2 * n + 8 > sizeof lq->phrase) break;
        if (nw) lq->words[nw++] = ' ';
        memcpy(lq->words + nw, p, n);
        nw += n;
        char word[512];
        memcpy(word, p, n);
        word[n] = '\0';
        if (utf8_chars(word) >= 3) {
            if (np) np += (size_t)sprintf(lq->phrase + np, " AND ");
            lq->phrase[np++] = '"';
            for (size_t i = 0; i < n; i++) {
                if (p[i] == '"') lq->phrase[np++] = '"';
                lq->phrase[np++] = p[i];
            }
            lq->phrase[np++] = '"';
        } else {
            short_word = true;
        }
        p += n;
    }
    lq->words[nw] = '\0';
    lq->phrase[np] = '\0';
    buf_free(&folded);
    if (!nw) return 0;
    return (np ? Q_FTS : 0) | (short_word || !np ? Q_LIKE : 0);
}

static void prepare_query(list_query *lq, const browse_filter *f, const score_weights *w,
                          date_t as_of)
{
    memset(lq, 0, sizeof *lq);
    lq->f = f;
    lq->w = w;
    lq->as_of = as_of;
    int m = 0;
    if (f->issue >= 0) m |= Q_ISSUE;
    if (f->statuses && f->statuses != BROWSE_ALL_STATUSES) m |= Q_STATUS;
    if (f->officer[0]) m |= Q_OFFICER;
    if (f->band >= 0) m |= Q_BAND;
    if (f->follow_up != BROWSE_FOLLOW_ANY) m |= Q_FOLLOW;
    if (f->cohort >= 0) m |= Q_COHORT;
    if (f->text[0]) m |= search_words(lq);
    lq->mask = m;
}

static void band_range(const list_query *lq, int *lo, int *hi)
{
    *lo = INT_MIN;
    *hi = INT_MAX;
    if (lq->f->band == BAND_RED) *lo = lq->w->red;
    if (lq->f->band == BAND_AMBER) *lo = lq->w->amber, *hi = lq->w->red;
    if (lq->f->band == BAND_GREEN) *hi = lq->w->amber;
}

static void bind_query(sqlite3_stmt *st, const list_query *lq, const browse_key *key, int limit)
{
    const browse_filter *f = lq->f;
    if (lq->mask & Q_ISSUE)
        sqlite3_bind_text(st, 1, codes_code(CODES_ISSUE, (size_t)f->issue), -1, SQLITE_STATIC);
    if (lq->mask & Q_OFFICER) sqlite3_bind_text(st, 3, f->officer, -1, SQLITE_TRANSIENT);
    if (lq->mask & Q_BAND) {
        int lo, hi;
        band_range(lq, &lo, &hi);
        sqlite3_bind_int64(st, 4, lo);
        sqlite3_bind_int64(st, 5, hi);
    }
    if (lq->mask & Q_FOLLOW) {
        char d[11];
        date_format(lq->as_of + (f->follow_up == BROWSE_FOLLOW_DUE ? 1 : 0), d);
        sqlite3_bind_text(st, 6, d, -1, SQLITE_TRANSIENT);
    }
    if (lq->mask & Q_COHORT) {
        char d[11], bound[11];
        date_format(lq->as_of, d);
        date_format(retention_ever6_bound(lq->as_of), bound);
        sqlite3_bind_text(st, 11, d, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 12, bound, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 13, f->cohort);
    }
    if (lq->mask & Q_FTS) sqlite3_bind_text(st, 7, lq->phrase, -1, SQLITE_STATIC);
    if (lq->mask & Q_LIKE) sqlite3_bind_text(st, 14, lq->words, -1, SQLITE_STATIC);
    if (key) {
        if (lq->mask & Q_FOLLOW)
            sqlite3_bind_text(st, 8, key->follow_up, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_int64(st, 8, key->score);
        sqlite3_bind_int64(st, 9, key->id);
    }
    sqlite3_bind_int64(st, 10, limit);
}

/* Fills a row from the columns of ROW_COLUMNS. */
static void read_row(sqlite3_stmt *st, const score_weights *w, date_t as_of, browse_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->child_id = sqlite3_column_int64(st, 1);
    COPY(r->ref, st, 2);
    r->score = sqlite3_column_int(st, 3);
    r->band = score_band_of(w, r->score);
    COPY(r->upn, st, 4);
    COPY(r->la_child_id, st, 5);
    char first[80], last[80];
    COPY(first, st, 6);
    COPY(last, st, 7);
    snprintf(r->child, sizeof r->child, "%s %s", first, last);
    const char *dob = store_col_text(st, 8);
    date_t d;
    r->year_group = date_parse(dob, strlen(dob), &d) ? cal_year_group(d, as_of) : INT_MIN;
    COPY(r->school, st, 9);
    COPY(r->issue, st, 10);
    COPY(r->status, st, 11);
    COPY(r->officer, st, 12);
    COPY(r->received, st, 13);
    const char *closed = store_col_text(st, 14);
    date_t rec, end = as_of;
    if (closed[0] && !date_parse(closed, strlen(closed), &end)) end = as_of;
    r->days_open = date_parse(r->received, strlen(r->received), &rec) ? (int)(end - rec) : 0;
    if (r->days_open < 0) r->days_open = 0;
    COPY(r->follow_up, st, 15);
    if (r->follow_up[0] && strcmp(r->status, "closed") != 0) {
        char today[11];
        date_format(as_of, today);
        r->overdue = strcmp(r->follow_up, today) < 0;
    }
}

/* The time budget of a 1-2 character text filter, which is checked row by row. */
static bool last_partial;

bool browse_partial(void)
{
    return last_partial;
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
        double v = strtod(e, NULL);
        if (v > 0) return v;
    }
    return BROWSE_SHORT_TEXT_MS;
}

/* Set by browse_set_budget (tests): the budgets in force instead of budget_ms's. */
static bool budget_fixed;
static double budget_index_fixed, budget_walk_fixed;

void browse_set_budget(double index_ms, double walk_ms)
{
    budget_fixed = true;
    budget_index_fixed = index_ms;
    budget_walk_fixed = walk_ms;
    browse_forget();
}

void browse_default_budget(void)
{
    budget_fixed = false;
    browse_forget();
}

/* The trigram index's budget before a query gives way to the walk of the list order (half the
 * walk's, by default); BROWSE_NO_BUDGET for none. */
static double budget_index_ms(void)
{
    return budget_fixed ? budget_index_fixed : budget_ms() / 2;
}

/* The walk's budget, after which the rows so far stand (browse_partial). */
static double budget_walk_ms(void)
{
    return budget_fixed ? budget_walk_fixed : budget_ms();
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
    double limit = fts ? budget_index_ms() : counting ? budget_walk_ms() / 2 : budget_walk_ms();
    double deadline = now_ms() + limit;
    /* A count stops at the budget too (it is then shown as "N+"). */
    bool budget = (fts || counting || (lq->mask & Q_LIKE)) && limit >= 0;
    if (budget) sqlite3_progress_handler(s->db, 100, over_budget, &deadline);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        row(st, ctx);
    if (budget) sqlite3_progress_handler(s->db, 0, NULL, NULL);
    sqlite3_reset(st);
    if (budget && !fts && rc == SQLITE_INTERRUPT) {
        last_partial = true;
        return SQLITE_DONE;
    }
    return rc;
}

/* The last text whose trigram search ran out of time: the next queries with it (the count, the
 * next pages) walk the list order straight away. */
static char dense_phrase[sizeof((list_query *)0)->phrase];

/* lq with its trigram search turned into the row-by-row check. */
static list_query as_walk(const list_query *lq)
{
    list_query w = *lq;
    w.mask = (lq->mask & ~Q_FTS) | Q_LIKE;
    return w;
}

static bool known_dense(const list_query *lq)
{
    return (lq->mask & Q_FTS) && strcmp(dense_phrase, lq->phrase) == 0;
}

void browse_forget(void)
{
    dense_phrase[0] = '\0';
}

typedef struct {
    const list_query *lq;
    browse_row *rows;
    int *n;
} page_ctx;

static void page_row(sqlite3_stmt *st, void *vctx)
{
    page_ctx *c = vctx;
    read_row(st, c->lq->w, c->lq->as_of, &c->rows[(*c->n)++]);
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
        band_range(lq, &lo, &hi);
        if (key->score < lo || key->score >= hi) return EXIT_OK; /* no tie in the band */
    }
    list_query walk;
    if (known_dense(lq)) {
        walk = as_walk(lq);
        lq = &walk;
    }
    sqlite3_stmt *st = store_stmt(s, list_sql(lq->mask, phase, lq->f->statuses));
    if (!st) return EXIT_IO;
    bind_query(st, lq, key, limit);
    int n0 = *n;
    page_ctx ctx = {lq, rows, n};
    int rc = step_all(s, lq, st, false, page_row, &ctx);
    if (rc == SQLITE_INTERRUPT && (lq->mask & Q_FTS)) {
        snprintf(dense_phrase, sizeof dense_phrase, "%s", lq->phrase);
        *n = n0;
        return run_phase(s, lq, phase, key, limit, rows, n);
    }
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the list");
}

int browse_page(store *s, const browse_filter *f, const score_weights *w, date_t as_of,
                const browse_key *after, int limit, browse_row *rows, int *n)
{
    list_query lq;
    prepare_query(&lq, f, w, as_of);
    *n = 0;
    last_partial = false;
    if (limit <= 0) return EXIT_OK;
    int rc = f->text[0] ? store_search_current(s) : EXIT_OK;
    if (rc) return rc;
    if (!after) return run_phase(s, &lq, PH_TOP, NULL, limit, rows, n);
    rc = run_phase(s, &lq, PH_TIES, after, limit, rows, n);
    if (rc || *n >= limit) return rc;
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
    prepare_query(&lq, f, w, as_of);
    *n = 0;
    last_partial = false;
    if (limit <= 0) return EXIT_OK;
    int rc = f->text[0] ? store_search_current(s) : EXIT_OK;
    if (rc) return rc;
    if (!before) {
        rc = run_phase(s, &lq, PH_END, NULL, limit, rows, n);
    } else {
        rc = run_phase(s, &lq, PH_TIES_BACK, before, limit, rows, n);
        if (!rc && *n < limit) rc = run_phase(s, &lq, PH_ABOVE, before, limit - *n, rows, n);
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
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
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

int browse_count(store *s, const browse_filter *f, const score_weights *w, date_t as_of, long cap,
                 long *count, bool *more)
{
    *count = 0;
    *more = false;
    list_query lq;
    prepare_query(&lq, f, w, as_of);
    if ((lq.mask & ~(Q_ISSUE | Q_STATUS)) == 0) {
        long counts[32], all;
        int rc = browse_issue_counts(s, f->statuses, counts, &all);
        if (rc) return rc;
        *count = f->issue >= 0 ? counts[f->issue] : all;
        return EXIT_OK;
    }
    int rc = f->text[0] ? store_search_current(s) : EXIT_OK;
    if (rc) return rc;
    if (known_dense(&lq)) lq = as_walk(&lq);
    sqlite3_stmt *st = store_stmt(s, list_sql(lq.mask, PH_COUNT, f->statuses));
    if (!st) return EXIT_IO;
    bind_query(st, &lq, NULL, (int)(cap > INT_MAX ? INT_MAX : cap));
    last_partial = false;
    rc = step_all(s, &lq, st, true, count_row, count);
    if (rc == SQLITE_INTERRUPT && (lq.mask & Q_FTS)) {
        snprintf(dense_phrase, sizeof dense_phrase, "%s", lq.phrase);
        *count = 0;
        return browse_count(s, f, w, as_of, cap, count, more);
    }
    *more = *count >= cap || last_partial;
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
    prepare_query(&lq, &any, w, as_of);
    if ((lq.mask & ~Q_STATUS) == 0) return browse_issue_counts(s, f->statuses, counts, all);
    for (size_t i = 0; i < codes_count(CODES_ISSUE); i++)
        counts[i] = 0;
    *all = 0;
    int rc = any.text[0] ? store_search_current(s) : EXIT_OK;
    if (rc) return rc;
    if (known_dense(&lq)) lq = as_walk(&lq);
    sqlite3_stmt *st = store_stmt(s, list_sql(lq.mask, PH_ISSUES, any.statuses));
    if (!st) return EXIT_IO;
    bind_query(st, &lq, NULL, (int)(cap > INT_MAX ? INT_MAX : cap));
    last_partial = false;
    issue_ctx ctx = {counts, all};
    rc = step_all(s, &lq, st, true, issue_row, &ctx);
    if (rc == SQLITE_INTERRUPT && (lq.mask & Q_FTS)) {
        snprintf(dense_phrase, sizeof dense_phrase, "%s", lq.phrase);
        return browse_issue_counts_filtered(s, f, w, as_of, cap, counts, all, more);
    }
    *more = *all >= cap || last_partial;
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
    sqlite3_bind_text(st, 1, d, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *count = (long)sqlite3_column_int64(st, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "counting follow-ups");
}

/* ---- one referral ---- */

int browse_referral(store *s, int64_t id, const score_weights *w, date_t as_of, browse_detail *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_stmt(
        s, "SELECT " ROW_COLUMNS ", r.source, r.other_issues, r.pex_risk, r.care_status, r.sen, "
           "r.summary FROM referrals r JOIN referral_list k ON k.id = r.id "
           "JOIN children c ON c.id = r.child_id "
           "LEFT JOIN schools sc ON sc.id = c.school_id "
           "LEFT JOIN officers o ON o.id = r.officer_id WHERE r.id = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_row(st, w, as_of, &out->row);
        COPY(out->source, st, 16);
        COPY(out->other_issues, st, 17);
        out->pex_risk = sqlite3_column_int(st, 18) != 0;
        COPY(out->care_status, st, 19);
        COPY(out->sen, st, 20);
        COPY(out->summary, st, 21);
        COPY(out->closed, st, 14);
        sqlite3_reset(st);
        return EXIT_OK;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no such referral");
        return EXIT_FOUND;
    }
    return store_fail(s, rc, "reading a referral");
}

int browse_referral_by_ref(store *s, const char *ref, int64_t *id)
{
    *id = 0;
    sqlite3_stmt *st = store_stmt(s, "SELECT id FROM referrals WHERE ref = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return EXIT_OK;
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no such referral");
        return EXIT_FOUND;
    }
    return store_fail(s, rc, "finding a referral");
}

#define CHILD_COLUMNS                                                                              \
    "c.id, c.upn, c.la_child_id, c.first_name, c.last_name, c.dob, c.gender, "                     \
    "coalesce(sc.name, ''), coalesce(sc.urn, ''), c.care_status, c.sen, c.sen_need, "              \
    "c.youth_justice, coalesce((SELECT score FROM child_scores WHERE child_id = c.id), 0), "       \
    "c.social_work_ended, coalesce(c.school_id, 0) "

static void read_child(sqlite3_stmt *st, browse_child *c)
{
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    COPY(c->upn, st, 1);
    COPY(c->la_child_id, st, 2);
    COPY(c->first_name, st, 3);
    COPY(c->last_name, st, 4);
    COPY(c->dob, st, 5);
    COPY(c->gender, st, 6);
    COPY(c->school, st, 7);
    COPY(c->school_urn, st, 8);
    COPY(c->care_status, st, 9);
    COPY(c->sen, st, 10);
    COPY(c->sen_need, st, 11);
    c->youth_justice = sqlite3_column_int(st, 12) != 0;
    c->score = sqlite3_column_int(st, 13);
    COPY(c->social_work_ended, st, 14);
    c->school_id = sqlite3_column_int64(st, 15);
}

int browse_child_get(store *s, int64_t id, browse_child *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_stmt(s, "SELECT " CHILD_COLUMNS "FROM children c "
                                     "LEFT JOIN schools sc ON sc.id = c.school_id WHERE c.id = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) read_child(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return EXIT_OK;
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no such child");
        return EXIT_FOUND;
    }
    return store_fail(s, rc, "reading a child");
}

int browse_timeline(store *s, int64_t referral_id, browse_event *out, int max, int *n)
{
    *n = 0;
    sqlite3_stmt *st = store_stmt(
        s,
        "WITH ref AS (SELECT id, child_id, received, source, closed FROM referrals "
        "WHERE id = ?1) "
        "SELECT received, 0, '', source, '', '', 0 FROM ref "
        "UNION ALL SELECT closed, 6, '', '', '', '', 0 FROM ref WHERE closed IS NOT NULL "
        "UNION ALL SELECT a.date, 1, coalesce(o.initials, ''), a.kind, a.note, "
        "coalesce(a.follow_up || coalesce(', done ' || (SELECT min(d.date) FROM follow_up_done d "
        "WHERE d.action_id = a.id), ''), ''), a.id FROM actions a LEFT JOIN officers o "
        "ON o.id = a.officer_id WHERE a.referral_id = ?1 "
        "UNION ALL SELECT date, 2, '', outcome, note, '', id FROM outcomes "
        "WHERE referral_id = ?1 "
        "UNION ALL SELECT e.start, 3, '', e.category, "
        "CASE WHEN e.days IS NULL THEN '' WHEN e.days = 1 THEN '1 day' "
        "ELSE printf('%g days', e.days) END, "
        "coalesce(e.reason, ''), e.id FROM exclusions e, ref WHERE e.child_id = ref.child_id "
        "UNION ALL SELECT t.to_date, 4, '', '', "
        "printf('%s to %s: %d of %d sessions', t.from_date, t.to_date, t.attended, "
        "t.possible), CASE WHEN t.possible > 0 THEN printf('%.1f%%', "
        "100.0 * t.attended / t.possible) ELSE '' END, t.id "
        "FROM attendance t, ref WHERE t.child_id = ref.child_id "
        "UNION ALL SELECT p.start, 5, '', p.kind, "
        "CASE WHEN p.hours_per_week IS NULL THEN '' "
        "WHEN p.hours_per_week = 1 THEN '1 hour a week' "
        "ELSE printf('%g hours a week', p.hours_per_week) END, "
        "coalesce('until ' || p.end_date, 'open'), p.id FROM episodes p, ref "
        "WHERE p.child_id = ref.child_id "
        "ORDER BY 1 DESC, 2 DESC, 7 DESC LIMIT ?2");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, referral_id);
    sqlite3_bind_int(st, 2, max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        browse_event *e = &out[(*n)++];
        memset(e, 0, sizeof *e);
        COPY(e->date, st, 0);
        e->kind = (browse_event_kind)sqlite3_column_int(st, 1);
        COPY(e->officer, st, 2);
        COPY(e->code, st, 3);
        COPY(e->text, st, 4);
        COPY(e->extra, st, 5);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? EXIT_OK
                                                 : store_fail(s, rc, "reading the timeline");
}

int browse_follow_ups_pending(store *s, int64_t referral_id, browse_follow_up *out, int max, int *n)
{
    *n = 0;
    sqlite3_stmt *st = store_stmt(
        s, "SELECT a.id, a.date, a.follow_up, a.kind, a.note FROM actions a "
           "JOIN referrals r ON r.id = a.referral_id "
           "WHERE a.referral_id = ?1 AND a.follow_up IS NOT NULL AND r.status <> 'closed' "
           "AND NOT EXISTS (SELECT 1 FROM follow_up_done d WHERE d.action_id = a.id) "
           "ORDER BY a.follow_up, a.id LIMIT ?2");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, referral_id);
    sqlite3_bind_int(st, 2, max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        browse_follow_up *f = &out[(*n)++];
        memset(f, 0, sizeof *f);
        f->action_id = sqlite3_column_int64(st, 0);
        COPY(f->date, st, 1);
        COPY(f->follow_up, st, 2);
        COPY(f->kind, st, 3);
        COPY(f->note, st, 4);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? EXIT_OK
                                                 : store_fail(s, rc, "reading the follow-ups");
}

int browse_child_referrals(store *s, int64_t child_id, int64_t except_id, const score_weights *w,
                           date_t as_of, browse_row *out, int max, int *n)
{
    *n = 0;
    sqlite3_stmt *st =
        store_stmt(s, "SELECT " ROW_COLUMNS "FROM referrals r JOIN referral_list k ON k.id = r.id "
                      "JOIN children c ON c.id = r.child_id "
                      "LEFT JOIN schools sc ON sc.id = c.school_id "
                      "LEFT JOIN officers o ON o.id = r.officer_id "
                      "WHERE r.child_id = ?1 AND r.id <> ?2 "
                      "ORDER BY r.received DESC, r.id DESC LIMIT ?3");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, child_id);
    sqlite3_bind_int64(st, 2, except_id);
    sqlite3_bind_int(st, 3, max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_row(st, w, as_of, &out[(*n)++]);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the child's referrals");
}

/* ---- finding children ---- */

/* The bounds of "starts with p": [p, p + U+10FFFF). */
static void prefix_bounds(const char *p, char *lo, char *hi, size_t n)
{
    store_copy_text(lo, n - 4, p);
    size_t k = strlen(lo);
    memcpy(hi, lo, k);
    memcpy(hi + k, "\xf4\x8f\xbf\xbf", 5);
}

static bool looks_like_upn(const char *q)
{
    if (strlen(q) != 13) return false;
    if (!isalpha((unsigned char)q[0])) return false;
    for (int i = 1; i < 12; i++)
        if (!isdigit((unsigned char)q[i])) return false;
    return isalnum((unsigned char)q[12]);
}

static int collect_children(store *s, sqlite3_stmt *st, browse_child *out, int max, int *n,
                            const char *what)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        int64_t id = sqlite3_column_int64(st, 0);
        bool seen = false;
        for (int i = 0; i < *n; i++)
            seen = seen || out[i].id == id;
        if (!seen) read_child(st, &out[(*n)++]);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? EXIT_OK : store_fail(s, rc, what);
}

int browse_child_search(store *s, const char *query, browse_child *out, int max, int *n)
{
    *n = 0;
    char q[128];
    while (*query == ' ')
        query++;
    store_copy_text(q, sizeof q, query);
    size_t len = strlen(q);
    while (len && q[len - 1] == ' ')
        q[--len] = '\0';
    if (!len || max <= 0) return EXIT_OK;
    date_t d;
    if (looks_like_upn(q)) {
        char up[14];
        for (int i = 0; i < 13; i++)
            up[i] = (char)toupper((unsigned char)q[i]);
        up[13] = '\0';
        sqlite3_stmt *st =
            store_stmt(s, "SELECT " CHILD_COLUMNS "FROM children c "
                          "LEFT JOIN schools sc ON sc.id = c.school_id WHERE c.upn = ?1");
        if (!st) return EXIT_IO;
        sqlite3_bind_text(st, 1, up, -1, SQLITE_TRANSIENT);
        return collect_children(s, st, out, max, n, "finding a child");
    }
    if (date_parse(q, len, &d)) {
        sqlite3_stmt *st = store_stmt(s, "SELECT " CHILD_COLUMNS "FROM children c "
                                         "LEFT JOIN schools sc ON sc.id = c.school_id "
                                         "WHERE c.dob = ?1 ORDER BY c.last_name COLLATE NOCASE, "
                                         "c.first_name COLLATE NOCASE, c.id LIMIT ?2");
        if (!st) return EXIT_IO;
        sqlite3_bind_text(st, 1, q, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 2, max);
        return collect_children(s, st, out, max, n, "finding a child");
    }
    /* An LA child id, exactly. */
    sqlite3_stmt *st =
        store_stmt(s, "SELECT " CHILD_COLUMNS "FROM children c "
                      "LEFT JOIN schools sc ON sc.id = c.school_id WHERE c.la_child_id = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_text(st, 1, q, -1, SQLITE_TRANSIENT);
    int rc = collect_children(s, st, out, max, n, "finding a child");
    if (rc) return rc;
    /* A name: the first word and the last word, each a prefix of a first or last name, folded
     * (child_names, migration 0010). */
    if ((rc = store_search_current(s))) return rc;
    buf folded = BUF_INIT;
    text_fold(&folded, q);
    store_copy_text(q, sizeof q, buf_str(&folded));
    buf_free(&folded);
    char *first = q, *last = strrchr(q, ' ');
    char w1[128], w2[128];
    if (last) {
        char *end = strchr(q, ' ');
        *end = '\0';
        last++;
        store_copy_text(w1, sizeof w1, first);
        store_copy_text(w2, sizeof w2, last);
    } else {
        store_copy_text(w1, sizeof w1, q);
        w2[0] = '\0';
    }
    char lo1[140], hi1[140], lo2[140], hi2[140];
    prefix_bounds(w1, lo1, hi1, sizeof lo1);
    prefix_bounds(w2, lo2, hi2, sizeof lo2);
    if (!w2[0]) {
        st = store_stmt(s,
                        "SELECT " CHILD_COLUMNS "FROM child_names n "
                        "CROSS JOIN children c ON c.id = n.id "
                        "LEFT JOIN schools sc ON sc.id = c.school_id "
                        "WHERE (n.last >= ?1 AND n.last < ?2) OR (n.first >= ?1 AND n.first < ?2) "
                        "ORDER BY n.last, n.first, c.id LIMIT ?3");
        if (!st) return EXIT_IO;
        sqlite3_bind_text(st, 1, lo1, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, hi1, -1, SQLITE_TRANSIENT);
    } else {
        st =
            store_stmt(s, "SELECT " CHILD_COLUMNS "FROM child_names n "
                          "CROSS JOIN children c ON c.id = n.id "
                          "LEFT JOIN schools sc ON sc.id = c.school_id "
                          "WHERE (n.last >= ?4 AND n.last < ?5 AND n.first >= ?1 AND n.first < ?2) "
                          "OR (n.last >= ?1 AND n.last < ?2 AND n.first >= ?4 AND n.first < ?5) "
                          "ORDER BY n.last, n.first, c.id LIMIT ?3");
        if (!st) return EXIT_IO;
        sqlite3_bind_text(st, 1, lo1, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, hi1, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, lo2, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, hi2, -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int(st, 3, max);
    return collect_children(s, st, out, max, n, "finding a child");
}

/* s folded as every search folds it (text_fold: case and accents), without spaces, hyphens and
 * apostrophes, for comparing names. */
static void fold(const char *s, char *out, size_t n)
{
    buf b = BUF_INIT;
    text_fold(&b, s);
    size_t k = 0;
    for (const char *p = buf_str(&b); *p && k + 1 < n; p++)
        if (*p != ' ' && *p != '-' && *p != '\'') out[k++] = *p;
    out[k] = '\0';
    buf_free(&b);
}

/* The edit distance of two folded names (core's text_edit_distance). */
static int edit_distance(const char *a, const char *b)
{
    return (int)text_edit_distance(a, strlen(a), b);
}

static bool similar_names(const char *f1, const char *l1, const char *f2, const char *l2)
{
    char a[100], b[100], c[100], d[100];
    fold(f1, a, sizeof a);
    fold(l1, b, sizeof b);
    fold(f2, c, sizeof c);
    fold(l2, d, sizeof d);
    if (strcmp(b, d) == 0 && a[0] && a[0] == c[0]) return true; /* same surname and initial */
    if (strcmp(a, d) == 0 && strcmp(b, c) == 0) return true;    /* swapped */
    if (edit_distance(a, c) + edit_distance(b, d) <= 2) return true;
    if (strcmp(b, d) == 0 && edit_distance(a, c) <= 2) return true;
    if (strcmp(a, c) == 0 && edit_distance(b, d) <= 2) return true;
    return false;
}

/* The children born on dob, up to max; with names (first_name not NULL) only those with similar
 * names. */
static int children_born(store *s, const char *first_name, const char *last_name, const char *dob,
                         browse_child *out, int max, int *n)
{
    *n = 0;
    sqlite3_stmt *st = store_stmt(s, "SELECT " CHILD_COLUMNS "FROM children c "
                                     "LEFT JOIN schools sc ON sc.id = c.school_id "
                                     "WHERE c.dob = ?1 ORDER BY c.id");
    if (!st) return EXIT_IO;
    int rc = sqlite3_bind_text(st, 1, dob, -1, SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) {
        sqlite3_reset(st);
        return store_fail(s, rc, "looking for duplicates");
    }
    rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!first_name ||
            similar_names(first_name, last_name, store_col_text(st, 3), store_col_text(st, 4)))
            read_child(st, &out[(*n)++]);
    }
    if (*n >= max) rc = SQLITE_DONE;
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "looking for duplicates");
}

int browse_child_duplicates(store *s, const char *first_name, const char *last_name,
                            const char *dob, browse_child *out, int max, int *n)
{
    return children_born(s, first_name, last_name, dob, out, max, n);
}

int browse_child_born(store *s, const char *dob, browse_child *out, int max, int *n)
{
    return children_born(s, NULL, NULL, dob, out, max, n);
}

/* Whether every blank-separated word of the folded query is in the folded text. */
static bool holds_words(const char *text, const char *query)
{
    for (const char *q = query; *q;) {
        while (*q == ' ')
            q++;
        size_t len = strcspn(q, " ");
        if (!len) break;
        bool found = false;
        for (const char *t = text; !found && (t = strchr(t, q[0])); t++)
            found = strncmp(t, q, len) == 0;
        if (!found) return false;
        q += len;
    }
    return true;
}

int browse_schools(store *s, const char *query, browse_school *out, int max, int *n, bool *more)
{
    *n = 0;
    if (more) *more = false;
    sqlite3_stmt *st = store_stmt(s, "SELECT id, coalesce(urn, ''), coalesce(name, '') FROM "
                                     "schools ORDER BY name COLLATE NOCASE, urn, id");
    if (!st) return EXIT_IO;
    buf want = BUF_INIT, text = BUF_INIT;
    text_fold(&want, query ? query : "");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        buf_reset(&text);
        text_fold(&text, store_col_text(st, 1));
        buf_puts(&text, " ");
        text_fold(&text, store_col_text(st, 2));
        if (!holds_words(buf_str(&text), buf_str(&want))) continue;
        if (*n == max) {
            if (more) *more = true;
            break;
        }
        browse_school *b = &out[(*n)++];
        b->id = sqlite3_column_int64(st, 0);
        COPY(b->urn, st, 1);
        COPY(b->name, st, 2);
    }
    buf_free(&want);
    buf_free(&text);
    int code =
        rc == SQLITE_ROW || rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the schools");
    sqlite3_reset(st);
    return code;
}

int browse_school_get(store *s, int64_t id, browse_school *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_stmt(
        s, "SELECT id, coalesce(urn, ''), coalesce(name, '') FROM schools WHERE id = ?1");
    if (!st) return EXIT_IO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        COPY(out->urn, st, 1);
        COPY(out->name, st, 2);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return EXIT_OK;
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no such school");
        return EXIT_FOUND;
    }
    return store_fail(s, rc, "reading a school");
}
