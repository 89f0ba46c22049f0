/* list_query.c: the SQL of the list's pages and counts (see browse.c), built from which filters
 * are set, and the binding of a filter's values and reading of a row.
 *
 * A page of the list is fetched with keyset pagination on (score DESC, id): after a row (s, i),
 * first the rest of its tie group (score = s AND id > i, in id order) and then, if the page is not
 * full, the rows below it (score < s). Each half is a plain range of an index of referral_list
 * (referral_list_score, referral_list_issue_status, referral_list_officer; an issue alone or a
 * status alone merges one range per status or issue), so a page costs the same at row 20 and at
 * row 900,000.
 * The SQL depends on which filters are set; each combination is built once into a static buffer
 * whose address keys the statement cache. */
#include "browse_internal.h"

#include "caseload/buf.h"
#include "caseload/cal.h"
#include "caseload/codes.h"
#include "caseload/retention.h"
#include "caseload/text.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Built on first use and kept (the statement cache keys on the text's address), per mask, phase
 * and status set (BROWSE_STATUS bits, 0 without Q_STATUS: the statuses are written into the
 * SQL). */
static char *query_text[1u << 3][Q_NMASK][PH_N];

/* The columns an arm selects: a count needs none, the issue counts the issue only, an arm of a
 * page of several arms the key only (keys: the page's columns are read once, outside). */
static void arm_select(buf *q, int mask, int phase, bool keys)
{
    if (keys)
        buf_puts(q, "SELECT k.id, k.score ");
    else if (phase == PH_COUNT) /* rows counted in C, under a budget */
        buf_puts(q, "SELECT 1 ");
    else if (phase == PH_ISSUES)
        buf_puts(q, "SELECT r.issue ");
    else if (phase == PH_SLICE) /* the issue to count, the key to sort a page by */
        buf_printf(q, "SELECT k.issue, k.id, k.score, %s ",
                   mask & Q_FOLLOW ? "fu.follow_up" : "''");
    else
        buf_puts(q, "SELECT " ROW_COLUMNS);
}

/* The tables an arm starts from and joins; returns the alias of the one whose issue, status and
 * officer are checked (the one the query starts from). */
static const char *arm_from(buf *q, int mask, int phase, bool keys)
{
    if (phase == PH_SLICE) {
        /* A range of ids along referral_list's key, every row checked (no text index, no order
         * needed): the same work for every slice, whatever matches (NOT INDEXED: an officer's
         * index would read all of the officer's rows for each slice). The folded text from the
         * search index's own table of texts (referral_search_content, the body of
         * referral_search: the same text), a plain lookup by key in the same order: a third of
         * the time of reading it through the index. The child only for its cohort, the
         * follow-up only for a follow-up filter. */
        buf_puts(q, "FROM referral_list k NOT INDEXED ");
        if (mask & Q_LIKE) buf_puts(q, "CROSS JOIN referral_search_content h ON h.id = k.id ");
        if (mask & Q_COHORT) buf_puts(q, "CROSS JOIN children c ON c.id = k.child_id ");
        if (mask & Q_FOLLOW) buf_puts(q, "CROSS JOIN referral_follow_up fu ON fu.id = k.id ");
        return "k";
    }
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
        return "k";
    }
    if (mask & Q_FTS) {
        buf_puts(q, "FROM referral_search s JOIN referrals r ON r.id = s.rowid ");
        /* The score only to show, sort or check the band by (a count needs none). */
        if (phase != PH_COUNT || (mask & Q_BAND))
            buf_puts(q, "CROSS JOIN referral_list k ON k.id = r.id ");
        buf_puts(q, "CROSS JOIN children c ON c.id = r.child_id ");
        return "r";
    }
    /* The index is named so that statistics (ANALYZE) can never trade the ordered walk for a sort
     * of the whole table. */
    const char *index = (mask & (Q_ISSUE | Q_STATUS)) == Q_STATUS && (mask & Q_OFFICER)
                            ? "referral_list_officer"
                        : mask & (Q_ISSUE | Q_STATUS) ? "referral_list_issue_status"
                        : mask & Q_OFFICER            ? "referral_list_officer"
                                                      : "referral_list_score";
    if (keys && !(mask & (Q_COHORT | Q_LIKE))) { /* the filters read referral_list only */
        buf_printf(q, "FROM referral_list k INDEXED BY %s ", index);
        return "k";
    }
    buf_printf(q,
               "FROM referral_list k INDEXED BY %s CROSS JOIN referrals r ON r.id = k.id "
               "CROSS JOIN children c ON c.id = r.child_id ",
               index);
    return "k";
}

/* The filters' conditions on table t (issue_code / status_code, when not NULL, fix the issue /
 * status of the range in place of ?1 / the status set). */
static void arm_filters(buf *q, int mask, int phase, const char *t, const char *issue_code,
                        const char *status_code, unsigned statuses)
{
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
    else if ((mask & Q_LIKE) && phase == PH_SLICE)
        buf_puts(q, " AND caseload_words(h.c0, ?14)");
    else if (mask & Q_LIKE) /* the body by key from the index's table of texts (see PH_SLICE) */
        buf_puts(q, " AND caseload_words((SELECT c0 FROM referral_search_content WHERE id = r.id), "
                    "?14)");
}

/* The page's place in the order: after or before the key, in its tie group or past it. */
static void arm_phase(buf *q, int mask, int phase)
{
    /* The order of the follow-up index (follow_up, id), else of the score (score DESC, id). */
    bool follow = (mask & Q_FOLLOW) != 0;
    const char *k = follow ? "fu.follow_up" : "k.score", *id = follow ? "fu.id" : "k.id";
    switch (phase) {
    case PH_TIES: buf_printf(q, " AND %s = ?8 AND %s > ?9", k, id); break;
    case PH_BELOW: buf_printf(q, " AND %s %s ?8", k, follow ? ">" : "<"); break;
    case PH_TIES_BACK: buf_printf(q, " AND %s = ?8 AND %s < ?9", k, id); break;
    case PH_ABOVE: buf_printf(q, " AND %s %s ?8", k, follow ? "<" : ">"); break;
    case PH_SLICE: buf_puts(q, " AND k.id > ?15 AND k.id <= ?16"); break;
    default: break;
    }
}

/* One arm of a list query: the rows of one index range (issue_code / status_code, when not NULL,
 * fix the issue / status of the range in place of ?1 / the status set). */
static void list_arm(buf *q, int mask, int phase, bool keys, const char *issue_code,
                     const char *status_code, unsigned statuses)
{
    arm_select(q, mask, phase, keys);
    const char *t = arm_from(q, mask, phase, keys);
    buf_puts(q, "WHERE 1");
    arm_filters(q, mask, phase, t, issue_code, status_code, statuses);
    arm_phase(q, mask, phase);
}

/* Parameters: ?1 issue, ?3 officer initials, ?4 lowest score, ?5 score above the band,
 * ?6 follow-up bound (exclusive), ?7 FTS query (the words of 3+ characters), ?8 key score, ?9 key
 * id, ?10 limit, ?11-?13 the cohort (with its dates), ?14 every word (caseload_words), ?15-?16
 * the ids of a slice (above ?15, up to ?16: PH_SLICE, whose mask has no Q_FTS: list_walk).
 * An issue without a status, or a set of statuses without an issue or an officer, has no index
 * of its own (fewer indexes make a full score recompute cheaper, migration 0005): the query is one
 * arm per status, or per issue and status, each an ordered range of referral_list_issue_status,
 * and SQLite merges the arms in list order (MERGE (UNION ALL): no sort, and it stops at the
 * limit). */
const char *list_sql(int mask, int phase, unsigned statuses)
{
    if (!(mask & Q_STATUS)) statuses = 0;
    if (query_text[statuses][mask][phase]) return query_text[statuses][mask][phase];
    buf q = BUF_INIT;
    /* The arms: each issue (none fixed) times each status (of the set, or all). */
    bool by_issue = false, by_status = false;
    if (!(mask & (Q_FTS | Q_FOLLOW)) && phase != PH_SLICE) {
        by_status = (mask & Q_ISSUE) || ((mask & Q_STATUS) && !(mask & Q_OFFICER));
        by_issue = by_status && !(mask & Q_ISSUE);
    }
    size_t ni = by_issue ? codes_count(CODES_ISSUE) : 1, ns = codes_count(CODES_STATUS);
    size_t arms = 0;
    for (size_t j = 0; by_status && j < ns; j++)
        if (!(mask & Q_STATUS) || (statuses & BROWSE_STATUS(j))) arms += ni;
    /* A page of three arms or more merges their keys only and reads the page's columns once for
     * its rows, outside: the columns (three subqueries, two joins) written once and not once an
     * arm, a fifth of the statement to prepare (the default list is 20 arms; for two, the sort of
     * the page's rows outside costs what it saves). */
    bool keys = arms > 2 && phase != PH_COUNT && phase != PH_ISSUES;
    arms = 0;
    if (keys) buf_puts(&q, "SELECT " ROW_COLUMNS "FROM (");
    for (size_t i = 0; i < ni; i++)
        for (size_t j = 0; j < (by_status ? ns : 1); j++) {
            if (by_status && (mask & Q_STATUS) && !(statuses & BROWSE_STATUS(j))) continue;
            if (arms++) buf_puts(&q, " UNION ALL ");
            list_arm(&q, mask, phase, keys, by_issue ? codes_code(CODES_ISSUE, i) : NULL,
                     by_status ? codes_code(CODES_STATUS, j) : NULL, statuses);
        }
    /* A compound orders by its result columns: 4 (2 of the keys) is k.score, 1 is k.id. */
    bool one = arms == 1;
    const char *down = one    ? " ORDER BY k.score DESC, k.id"
                       : keys ? " ORDER BY 2 DESC, 1"
                              : " ORDER BY 4 DESC, 1";
    const char *up = one    ? " ORDER BY k.score, k.id DESC"
                     : keys ? " ORDER BY 2, 1 DESC"
                            : " ORDER BY 4, 1 DESC";
    if (mask & Q_FOLLOW) {
        if (phase == PH_TOP || phase == PH_TIES || phase == PH_BELOW)
            buf_puts(&q, " ORDER BY fu.follow_up, fu.id");
        else if (phase != PH_COUNT && phase != PH_ISSUES)
            buf_puts(&q, " ORDER BY fu.follow_up DESC, fu.id DESC");
    } else
        switch (phase) {
        case PH_TOP:
        case PH_TIES:
        case PH_BELOW: buf_puts(&q, down); break;
        case PH_END:
        case PH_TIES_BACK:
        case PH_ABOVE: buf_puts(&q, up); break;
        default: break;
        }
    buf_puts(&q, " LIMIT ?10");
    if (keys) { /* the page's rows, in the keys' order */
        buf_puts(&q, ") k CROSS JOIN referrals r ON r.id = k.id "
                     "CROSS JOIN children c ON c.id = r.child_id");
        buf_puts(&q, phase == PH_TOP || phase == PH_TIES || phase == PH_BELOW
                         ? " ORDER BY k.score DESC, k.id"
                         : " ORDER BY k.score, k.id DESC");
    }
    query_text[statuses][mask][phase] = q.data;
    return q.data;
}

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

void list_prepare(list_query *lq, const browse_filter *f, const score_weights *w, date_t as_of)
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

list_query list_walk(const list_query *lq)
{
    list_query w = *lq;
    w.mask = (lq->mask & ~Q_FTS) | Q_LIKE;
    return w;
}

void list_band_range(const list_query *lq, int *lo, int *hi)
{
    *lo = CAL_YEAR_UNKNOWN;
    *hi = INT_MAX;
    if (lq->f->band == BAND_RED) *lo = lq->w->red;
    if (lq->f->band == BAND_AMBER) *lo = lq->w->amber, *hi = lq->w->red;
    if (lq->f->band == BAND_GREEN) *hi = lq->w->amber;
}

void list_bind(store *s, sqlite3_stmt *st, const list_query *lq, const browse_key *key, int limit)
{
    const browse_filter *f = lq->f;
    if (lq->mask & Q_ISSUE)
        store_bind_text(s, st, 1, codes_code(CODES_ISSUE, (size_t)f->issue), -1, SQLITE_STATIC);
    if (lq->mask & Q_OFFICER) store_bind_text(s, st, 3, f->officer, -1, SQLITE_TRANSIENT);
    if (lq->mask & Q_BAND) {
        int lo, hi;
        list_band_range(lq, &lo, &hi);
        store_bind_int64(s, st, 4, lo);
        store_bind_int64(s, st, 5, hi);
    }
    if (lq->mask & Q_FOLLOW) {
        char d[11];
        date_format(lq->as_of + (f->follow_up == BROWSE_FOLLOW_DUE ? 1 : 0), d);
        store_bind_text(s, st, 6, d, -1, SQLITE_TRANSIENT);
    }
    if (lq->mask & Q_COHORT) {
        char d[11], bound[11];
        date_format(lq->as_of, d);
        date_format(retention_ever6_bound(lq->as_of), bound);
        store_bind_text(s, st, 11, d, -1, SQLITE_TRANSIENT);
        store_bind_text(s, st, 12, bound, -1, SQLITE_TRANSIENT);
        store_bind_int(s, st, 13, f->cohort);
    }
    if (lq->mask & Q_FTS) store_bind_text(s, st, 7, lq->phrase, -1, SQLITE_STATIC);
    if (lq->mask & Q_LIKE) store_bind_text(s, st, 14, lq->words, -1, SQLITE_STATIC);
    if (key) {
        if (lq->mask & Q_FOLLOW)
            store_bind_text(s, st, 8, key->follow_up, -1, SQLITE_TRANSIENT);
        else
            store_bind_int64(s, st, 8, key->score);
        store_bind_int64(s, st, 9, key->id);
    }
    store_bind_int64(s, st, 10, limit);
}

/* Fills a row from the columns of ROW_COLUMNS. */
void list_read_row(sqlite3_stmt *st, const score_weights *w, date_t as_of, browse_row *r)
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
    r->year_group = date_parse(dob, strlen(dob), &d) ? cal_year_group(d, as_of) : CAL_YEAR_UNKNOWN;
    COPY(r->school, st, 9);
    COPY(r->issue, st, 10);
    COPY(r->status, st, 11);
    COPY(r->officer, st, 12);
    COPY(r->received, st, 13);
    const char *closed = store_col_text(st, 14);
    date_t rec, end;
    bool ended = closed[0] && date_parse(closed, strlen(closed), &end);
    r->days_open = date_parse(r->received, strlen(r->received), &rec)
                       ? cal_days_open(rec, ended ? &end : NULL, as_of)
                       : 0;
    COPY(r->follow_up, st, 15);
    if (r->follow_up[0] && strcmp(r->status, "closed") != 0) {
        char today[11];
        date_format(as_of, today);
        r->overdue = strcmp(r->follow_up, today) < 0;
    }
}
