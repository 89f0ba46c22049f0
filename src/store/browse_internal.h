/* browse_internal: what the files of the list and detail reads share (browse.c, list_query.c,
 * detail.c, child_search.c) and nothing outside src/store may see. */
#ifndef CASELOAD_BROWSE_INTERNAL_H
#define CASELOAD_BROWSE_INTERNAL_H

#include "caseload/browse.h"
#include "store_internal.h"

/* What a list query filters on: the bits of list_query.mask. */
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
/* PH_ISSUES: the issue of every row that matches (the sidebar's counts under a filter);
 * PH_SLICE: the issue and key of every row that matches among the referrals of one range of ids
 * (browse_scan_slice; its mask has no Q_FTS). */
enum {
    PH_TOP,
    PH_TIES,
    PH_BELOW,
    PH_END,
    PH_TIES_BACK,
    PH_ABOVE,
    PH_COUNT,
    PH_ISSUES,
    PH_SLICE,
    PH_N
};

/* The columns of a row of the list (list_read_row reads them). */
#define ROW_COLUMNS                                                                                \
    "k.id, r.child_id, r.ref, k.score, c.upn, c.la_child_id, c.first_name, c.last_name, c.dob, "   \
    "(SELECT coalesce(name, urn, '') FROM schools WHERE id = c.school_id), r.issue, r.status, "    \
    "(SELECT initials FROM officers WHERE id = r.officer_id), r.received, r.closed, "              \
    "(SELECT follow_up FROM referral_follow_up WHERE id = k.id) "

/* One query of the list: the filter, the weights and date it is read with, and its words. */
typedef struct {
    int mask;
    const browse_filter *f;
    const score_weights *w;
    date_t as_of;
    char phrase[STORE_PHRASE_MAX]; /* "w1" AND "w2" ...: the folded words of 3+ characters */
    char words[512];               /* every folded word, separated by a space */
} list_query;

/* The columns of a child (detail_read_child reads them), from children c and schools sc. */
#define CHILD_COLUMNS                                                                              \
    "c.id, c.upn, c.la_child_id, c.first_name, c.last_name, c.dob, c.gender, "                     \
    "coalesce(sc.name, ''), coalesce(sc.urn, ''), c.care_status, c.sen, c.sen_need, "              \
    "c.youth_justice, coalesce((SELECT score FROM child_scores WHERE child_id = c.id), 0), "       \
    "c.social_work_ended, coalesce(c.school_id, 0) "

/* The SQL of one phase of the list under mask (and, with Q_STATUS, the status set), built once and
 * kept: the statement cache keys on its address. Parameters: see list_query.c. */
const char *list_sql(int mask, int phase, unsigned statuses);
/* lq for the filter f under the weights w as of as_of (its mask and folded words). */
void list_prepare(list_query *lq, const browse_filter *f, const score_weights *w, date_t as_of);
/* lq with its trigram search turned into the row-by-row check of every word (the same rows). */
list_query list_walk(const list_query *lq);
/* The scores [lo, hi) of the filter's band (INT_MIN / INT_MAX: no bound). */
void list_band_range(const list_query *lq, int *lo, int *hi);
/* Binds lq's values (and the key after or before which a page starts, and its limit) to st. */
void list_bind(store *s, sqlite3_stmt *st, const list_query *lq, const browse_key *key, int limit);
/* Fills a row from the columns of ROW_COLUMNS. */
void list_read_row(sqlite3_stmt *st, const score_weights *w, date_t as_of, browse_row *r);
/* Fills a child from the columns of CHILD_COLUMNS. */
void detail_read_child(sqlite3_stmt *st, browse_child *c);

#endif
